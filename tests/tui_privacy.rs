#![allow(clippy::unwrap_used, clippy::panic)]
//! Privacy mode and the lock, on a TestBackend with a fixed clock: no client name anywhere on
//! screen while privacy is on, and nothing at all behind the lock screen.

mod tui_common;

use tui_common::{clock, press, screen};

use caseload::config::{Config, LockAfter};
use caseload::demo::{DemoOptions, generate};
use caseload::store::Store;
use caseload::store::client::StatusFilter;
use caseload::tui::App;
use caseload::tui::action::ScreenId;
use caseload::tui::privacy::Unlock;
use chrono::Duration;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn demo_app(config: Config) -> App {
    let mut store = Store::open_in_memory().unwrap();
    let c = clock();
    let opts = DemoOptions {
        clients: 30,
        months: 12,
        seed: 7,
        today: c.today(),
        now: c.now_utc(),
    };
    store.write_demo(&generate(&opts), c.now_utc()).unwrap();
    App::new(store, config, c, true).unwrap()
}

fn private() -> Config {
    Config {
        privacy: true,
        ..Config::default()
    }
}

fn ctrl(app: &mut App, c: char) {
    app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

/// Every form of every client's name that must not show: the full name, "Maria L.", the
/// preferred name with the family initial, and the given and preferred names alone (as whole
/// words).
fn name_forms(app: &App) -> Vec<String> {
    let mut out = Vec::new();
    for c in app.store.clients(StatusFilter::All).unwrap() {
        out.push(c.name.clone());
        out.push(c.short_name());
        let given = c.name.split_whitespace().next().unwrap().to_string();
        out.push(caseload::domain::client::short_name(&c.name, None));
        out.push(given);
        if let Some(p) = &c.preferred_name {
            out.push(p.clone());
        }
        out.push(c.name.split_whitespace().next_back().unwrap().to_string());
        if let Some(e) = &c.email {
            out.push(e.clone());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Whole-word occurrences of any name form on the screen.
fn leaks(app: &App, text: &str) -> Vec<String> {
    // The demo's supervisor, Dr Ada Quinn, is a colleague, not a client: her name is never
    // changed, even though a client prefers "Ada".
    let text = &text.replace("Dr Ada Quinn", "Dr (colleague)");
    let words = |s: &str| -> bool {
        text.match_indices(s).any(|(i, m)| {
            let before = text[..i].chars().next_back();
            let after = text[i + m.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    };
    name_forms(app).into_iter().filter(|n| words(n)).collect()
}

#[test]
fn privacy_is_off_by_default_and_names_show_then() {
    let mut app = demo_app(Config::default());
    press(&mut app, KeyCode::Char('2'));
    let s = screen(&mut app, 110, 30);
    assert!(
        !leaks(&app, &s).is_empty(),
        "the check itself sees names:\n{s}"
    );
    assert!(!s.contains(" privacy "));
}

#[test]
fn today_in_privacy_mode() {
    let mut app = demo_app(private());
    let s = screen(&mut app, 110, 30);
    assert!(s.contains(" privacy "), "{s}");
    assert_eq!(leaks(&app, &s), Vec::<String>::new(), "\n{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn clients_in_privacy_mode() {
    let mut app = demo_app(private());
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('j'));
    let s = screen(&mut app, 110, 30);
    assert_eq!(leaks(&app, &s), Vec::<String>::new(), "\n{s}");
    insta::assert_snapshot!(s);
    // Narrow: names cut short with "…" are hidden too.
    let s = screen(&mut app, 62, 20);
    assert_eq!(leaks(&app, &s), Vec::<String>::new(), "\n{s}");
}

#[test]
fn a_client_dialog_in_privacy_mode() {
    let mut app = demo_app(private());
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('e'));
    let s = screen(&mut app, 110, 30);
    assert_eq!(leaks(&app, &s), Vec::<String>::new(), "\n{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn the_cancellation_dialog_in_privacy_mode() {
    let mut app = demo_app(private());
    assert_eq!(app.screen, ScreenId::Today);
    press(&mut app, KeyCode::Char('c'));
    let s = screen(&mut app, 110, 30);
    assert_eq!(leaks(&app, &s), Vec::<String>::new(), "\n{s}");
}

#[test]
fn every_screen_in_privacy_mode() {
    let mut app = demo_app(private());
    for key in ['1', '2', '3', '4', '5'] {
        press(&mut app, KeyCode::Char(key));
        let s = screen(&mut app, 120, 40);
        assert_eq!(leaks(&app, &s), Vec::<String>::new(), "screen {key}\n{s}");
    }
}

#[test]
fn ctrl_g_switches_privacy_everywhere_even_in_a_form() {
    let mut app = demo_app(Config::default());
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('e'));
    let s = screen(&mut app, 110, 30);
    assert!(!leaks(&app, &s).is_empty());
    ctrl(&mut app, 'g');
    assert!(app.privacy);
    let s = screen(&mut app, 110, 30);
    assert_eq!(leaks(&app, &s), Vec::<String>::new(), "\n{s}");
    // The form is still open, nothing typed into it.
    assert!(s.contains("Edit · "), "{s}");
    ctrl(&mut app, 'g');
    assert!(!app.privacy);
    let s = screen(&mut app, 110, 30);
    assert!(!leaks(&app, &s).is_empty());
}

#[test]
fn a_client_added_in_privacy_mode_is_hidden_at_once() {
    let mut app = demo_app(private());
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('a'));
    for c in "Zebedee Quill".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    app.handle_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let s = screen(&mut app, 110, 30);
    assert!(
        name_forms(&app).contains(&"Zebedee Quill".to_string()),
        "{s}"
    );
    assert!(!s.contains("Zebedee"), "{s}");
    assert!(s.contains("Z.Q."), "{s}");
}

// ---- the lock ----------------------------------------------------------------------------

#[test]
fn ctrl_l_locks_and_any_key_unlocks_without_reaching_the_screen() {
    let mut app = demo_app(Config::default());
    ctrl(&mut app, 'l');
    assert!(app.locked.is_some());
    let s = screen(&mut app, 110, 30);
    assert!(s.contains("Locked · press any key to unlock"), "{s}");
    assert_eq!(leaks(&app, &s), Vec::<String>::new(), "\n{s}");
    assert!(!s.contains("Today"), "{s}");
    // The key that unlocks goes nowhere else.
    press(&mut app, KeyCode::Char('2'));
    assert!(app.locked.is_none());
    assert_eq!(app.screen, ScreenId::Today);
    press(&mut app, KeyCode::Char('2'));
    assert_eq!(app.screen, ScreenId::Clients);
}

#[test]
fn the_lock_screen() {
    let mut app = demo_app(Config::default());
    press(&mut app, KeyCode::Char('2'));
    ctrl(&mut app, 'l');
    let s = screen(&mut app, 80, 20);
    assert_eq!(leaks(&app, &s), Vec::<String>::new(), "\n{s}");
    insta::assert_snapshot!(s);
    // Even a tiny terminal shows the lock, not "Enlarge the terminal" over the data.
    let s = screen(&mut app, 20, 4);
    assert!(s.contains("Locked"), "{s}");
}

#[test]
fn idle_minutes_lock_the_screen_and_keys_restart_the_count() {
    let mut app = demo_app(Config {
        lock_after_minutes: LockAfter(10),
        ..Config::default()
    });
    let t0 = clock().now_utc();
    let at = |m: i64| t0 + Duration::minutes(m);
    // Ticks every so often, no keys: locked once ten minutes have passed.
    app.tick(at(0));
    app.tick(at(5));
    app.tick(at(9));
    assert!(app.locked.is_none());
    // A key at minute 9 starts the count again from the next tick.
    press(&mut app, KeyCode::Char('j'));
    app.tick(at(9));
    app.tick(at(18));
    assert!(app.locked.is_none());
    app.tick(at(19));
    assert!(app.locked.is_some());
    // Locked, ticks change nothing; a key unlocks and the count starts again.
    app.tick(at(40));
    press(&mut app, KeyCode::Char('x'));
    assert!(app.locked.is_none());
    app.tick(at(41));
    app.tick(at(50));
    assert!(app.locked.is_none());
    app.tick(at(51));
    assert!(app.locked.is_some());
}

#[test]
fn zero_minutes_never_locks() {
    let mut app = demo_app(Config {
        lock_after_minutes: LockAfter(0),
        ..Config::default()
    });
    let t0 = clock().now_utc();
    for h in 0..48 {
        app.tick(t0 + Duration::hours(h));
    }
    assert!(app.locked.is_none());
}

#[test]
fn a_passphrase_unlock_asks_until_it_is_right() {
    let mut app = demo_app(Config::default());
    app.unlock = Unlock::Passphrase(Box::new(|p| p == "open sesame"));
    ctrl(&mut app, 'l');
    let s = screen(&mut app, 80, 20);
    assert!(s.contains("type your passphrase"), "{s}");
    for c in "wrong".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    // What is typed never shows; '2' typed here did not switch screens.
    press(&mut app, KeyCode::Char('2'));
    let s = screen(&mut app, 80, 20);
    assert!(!s.contains("wrong"), "{s}");
    press(&mut app, KeyCode::Enter);
    assert!(app.locked.is_some());
    let s = screen(&mut app, 80, 20);
    assert!(s.contains("did not open it"), "{s}");
    for c in "open sesame".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    assert!(app.locked.is_none());
    assert_eq!(app.screen, ScreenId::Today);
}
