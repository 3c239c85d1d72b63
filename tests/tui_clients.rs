#![allow(clippy::unwrap_used, clippy::panic)]
//! The app shell and the Clients screen as the practitioner sees them (TestBackend snapshots), and
//! state tests that drive the app with keys and no terminal.

mod tui_common;

use tui_common::{clock, demo_app, press, screen};

use caseload::config::Config;
use caseload::demo::{DemoOptions, generate};
use caseload::store::Store;
use caseload::tui::App;
use caseload::tui::action::ScreenId;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn empty_app() -> App {
    App::new(
        Store::open_in_memory().unwrap(),
        Config::default(),
        clock(),
        true,
    )
    .unwrap()
}

fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
}

#[test]
fn clients_screen() {
    let mut app = demo_app(30);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('j'));
    insta::assert_snapshot!(screen(&mut app, 110, 30));
}

#[test]
fn clients_screen_filtered() {
    let mut app = demo_app(30);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "mor");
    insta::assert_snapshot!(screen(&mut app, 110, 24));
}

#[test]
fn form_shows_validation_errors_inline() {
    let mut app = empty_app();
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('a'));
    // Name left empty; an impossible date of birth; a bad email.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "2026-02-30");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "maria@");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.store.client_count().unwrap(), 0, "nothing is written");
    insta::assert_snapshot!(screen(&mut app, 100, 34));
}

#[test]
fn help_overlay_is_generated_from_the_keymap() {
    let mut app = demo_app(10);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('?'));
    insta::assert_snapshot!(screen(&mut app, 100, 36));
}

#[test]
fn too_small_terminal_says_so() {
    let mut app = demo_app(10);
    insta::assert_snapshot!(screen(&mut app, 50, 12));
    // Every size from tiny to large draws without a panic.
    for w in [0u16, 1, 20, 59, 60, 61, 80, 200] {
        for h in [0u16, 1, 5, 15, 16, 17, 40] {
            for s in ["1", "2", "3", "4", "5"] {
                press(&mut app, KeyCode::Char(s.chars().next().unwrap()));
                let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
                t.draw(|f| app.draw(f)).unwrap();
            }
        }
    }
}

#[test]
fn welcome_on_an_empty_practice() {
    let mut app = empty_app();
    let s = screen(&mut app, 100, 24);
    assert!(s.contains("Welcome to caseload"), "{s}");
    assert!(s.contains("press a"), "{s}");
    assert!(
        s.contains(":memory:") || s.contains("memory"),
        "says where the file lives: {s}"
    );
}

#[test]
fn adding_a_client_with_the_keyboard() {
    let mut app = empty_app();
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "Zoë Ångström");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "Zo");
    press(&mut app, KeyCode::Enter);
    assert!(app.popups.is_empty());
    assert_eq!(app.screen, ScreenId::Clients);
    let c = app.clients.selected_client().unwrap();
    assert_eq!(c.name, "Zoë Ångström");
    assert_eq!(c.preferred_name.as_deref(), Some("Zo"));
    assert!(
        app.message
            .as_ref()
            .unwrap()
            .text
            .contains("Added Zoë Ångström")
    );
}

#[test]
fn escape_on_a_changed_form_asks_before_discarding() {
    let mut app = empty_app();
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "Half typed");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.popups.len(), 2, "a question above the form");
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.popups.len(), 1, "back to the form, text intact");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('y'));
    assert!(app.popups.is_empty());
    assert_eq!(app.store.client_count().unwrap(), 0);
}

#[test]
fn editing_and_changing_status() {
    let mut app = demo_app(5);
    press(&mut app, KeyCode::Char('2'));
    let id = app.clients.selected_client().unwrap().id;
    press(&mut app, KeyCode::Char('e'));
    // Move to pronouns and replace them.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    for _ in 0..20 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "they/them");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.store.client(id).unwrap().pronouns.as_deref(),
        Some("they/them")
    );
    press(&mut app, KeyCode::Char('s'));
    press(&mut app, KeyCode::Char('2'));
    let c = app.store.client(id).unwrap();
    assert_eq!(c.status, caseload::domain::client::ClientStatus::OnHold);
    // The list follows the client to its new status.
    assert_eq!(app.clients.selected_client().unwrap().id, id);
}

#[test]
fn status_filter_cycles_and_fuzzy_filter_narrows() {
    let mut app = demo_app(60);
    press(&mut app, KeyCode::Char('2'));
    let active = app.clients.visible_count();
    press(&mut app, KeyCode::Char('f'));
    press(&mut app, KeyCode::Char('f'));
    press(&mut app, KeyCode::Char('f'));
    press(&mut app, KeyCode::Char('f'));
    assert_eq!(app.clients.visible_count(), 60, "all");
    press(&mut app, KeyCode::Char('f'));
    assert_eq!(app.clients.visible_count(), active, "back to active");
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "zzzzqqq");
    assert_eq!(app.clients.visible_count(), 0);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.clients.visible_count(), active);
    // q while filtering types q; it does not quit.
    press(&mut app, KeyCode::Char('/'));
    press(&mut app, KeyCode::Char('q'));
    assert!(!app.quit);
    assert_eq!(app.clients.query(), "q");
    app.handle_key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert!(app.quit);
}

#[test]
fn in_a_terminal_the_first_frame_comes_before_the_needs_attention_list() {
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
    let mut app = App::new_for_terminal(store, Config::default(), c, true).unwrap();
    assert!(app.today.attention_pending);
    let first = screen(&mut app, 120, 30);
    assert!(first.contains("Looking through the practice…"), "{first}");
    app.today.load_attention(&app.store, c.now_local()).unwrap();
    assert!(!app.today.attention_pending);
    assert!(!app.today.attention.is_empty());
    let second = screen(&mut app, 120, 30);
    assert!(!second.contains("Looking through"), "{second}");
}

#[test]
fn slash_starts_a_new_filter_instead_of_adding_to_the_kept_one() {
    let mut app = demo_app(30);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "dmi");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.clients.query(), "dmi", "Enter keeps the filter");
    press(&mut app, KeyCode::Char('/'));
    assert_eq!(app.clients.query(), "", "a new filter starts empty");
    type_text(&mut app, "maria");
    assert_eq!(app.clients.query(), "maria");
}
