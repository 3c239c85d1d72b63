#![allow(clippy::unwrap_used, clippy::panic)]
//! Every context's status-bar hints, checked against what its keys do.

mod tui_common;

use caseload::tui::App;
use caseload::tui::action::ScreenId;
use caseload::tui::keymap::Context;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use caseload::config::Config;
use caseload::demo::{DemoOptions, generate};
use caseload::store::Store;
use caseload::tui::keymap::{self, Binding};
use tui_common::{clock, screen};

/// Keys written as text: a character is itself; `<Enter>`, `<Esc>`, `<Down>`, `<Up>`, `<Tab>`,
/// `<BS>` and `<C-x>` are what they say.
fn send(app: &mut App, keys: &str) {
    let mut rest = keys;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
            && end > 1
        {
            let name = &rest[1..end];
            let ev = match name {
                "Enter" => KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
                "Esc" => KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
                "Down" => KeyEvent::new(KeyCode::Down, KeyModifiers::NONE),
                "Up" => KeyEvent::new(KeyCode::Up, KeyModifiers::NONE),
                "Right" => KeyEvent::new(KeyCode::Right, KeyModifiers::NONE),
                "Left" => KeyEvent::new(KeyCode::Left, KeyModifiers::NONE),
                "Tab" => KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE),
                "BS" => KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE),
                n if n.starts_with("C-") => KeyEvent::new(
                    KeyCode::Char(n.chars().nth(2).unwrap()),
                    KeyModifiers::CONTROL,
                ),
                other => panic!("no key named {other}"),
            };
            app.handle_key(ev);
            rest = &rest[end + 1..];
            continue;
        }
        app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        rest = &rest[c.len_utf8()..];
    }
}

/// The demo practice (30 clients), written once to a file; each app opens its own copy.
fn demo_file() -> &'static PathBuf {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("tui-hints");
        // The copies of an earlier run go first.
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("demo.caseload");
        let mut store = Store::open(&path).unwrap();
        let c = clock();
        let opts = DemoOptions {
            clients: 30,
            months: 12,
            seed: 7,
            today: c.today(),
            now: c.now_utc(),
        };
        store.write_demo(&generate(&opts), c.now_utc()).unwrap();
        drop(store);
        path
    })
}

/// A fresh app on a copy of the demo practice (or an empty one), after `keys`.
fn app_at(empty: bool, keys: &str) -> App {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let store = if empty {
        Store::open_in_memory().unwrap()
    } else {
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let from = demo_file();
        let to = from.with_file_name(format!("copy-{n}.caseload"));
        std::fs::copy(from, &to).unwrap();
        Store::open(&to).unwrap()
    };
    let mut app = App::new(store, Config::default(), clock(), true).unwrap();
    send(&mut app, keys);
    settle_reports(&mut app);
    app
}

/// Reports are counted on a worker: waits (up to 10 s) until the month asked for is in.
fn settle_reports(app: &mut App) {
    if app.screen != ScreenId::Reports {
        return;
    }
    for _ in 0..1000 {
        app.check_reports(Instant::now());
        let shown = app.reports.vm.as_ref().map(|v| (v.month, v.view));
        if shown.is_some() && shown == app.reports.month.map(|m| (m, app.reports.view)) {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the reports were not counted in 10 s");
}

/// How to reach every context from the start, on the demo practice at Mon 23 Nov 2026 09:00
/// (its first session selected). `None` for the keys means an empty practice. A context may be
/// listed more than once, in different states (a toggle's two sides): each hint must do something
/// in one of them.
const PLACES: &[(Context, Option<&str>)] = &[
    (Context::Today, Some("")),
    (Context::TodayWelcome, None),
    (Context::Agenda, Some("3")),
    (Context::Clients, Some("2")),
    (Context::ClientsFilter, Some("2/")),
    (Context::Reports, Some("4")),
    (Context::Reports, Some("4[")),
    (Context::Form, Some("2a")),
    (Context::Picker, Some("2s")),
    (Context::Confirm, Some("5x")),
    (Context::Help, Some("?")),
    (Context::CancelWho, Some("c")),
    (Context::CancelWho, Some("cp")),
    (Context::CancelOffer, Some("c1")),
    (Context::CancelConsent, Some("<Down><Down><Down>c12")),
    (Context::CancelSlots, Some("c1<Enter>")),
    (Context::CancelCheck, Some("c12")),
    (Context::CancelConfirm, Some("c1x")),
    (Context::CancelNote, Some("c1n")),
    (Context::PracticeSettings, Some("5")),
    (Context::PracticeRecords, Some("5r")),
    (Context::PracticeRecords, Some("5ra")),
    (Context::PracticeRecords, Some("5rahA court order<Enter>")),
    (Context::NoteEditor, Some("e")),
    (Context::NoteEditor, Some("eHello")),
    (Context::NoteView, Some("2j<Enter>]]<Enter>")),
    (Context::NoteAddendum, Some("2j<Enter>]]<Enter>a")),
    (Context::Runner, Some("2A<Enter>")),
    (Context::Runner, Some("2A<Enter>1<Enter>")),
    (Context::Runner, Some("2A<Enter>1<BS>")),
    (
        Context::Recommendation,
        Some("2A<Enter>1111111111111111111111111111111<Enter>"),
    ),
    (
        Context::ReasonEntry,
        Some("2A<Enter>1111111111111111111111111111111<Enter>2<Enter>"),
    ),
    (
        Context::ReasonEntry,
        Some("2A<Enter>1111111111111111111111111111111<Enter>2<Enter>Prefers it"),
    ),
    (Context::Assessments, Some("2v")),
    (Context::ClientOverview, Some("2<Enter>")),
    (Context::ClientSessions, Some("2<Enter>]")),
    (Context::ClientNotes, Some("2<Enter>]]")),
    (Context::ClientNotesSearch, Some("2<Enter>]]/")),
    (Context::ClientAssessments, Some("2<Enter>]]]")),
    (Context::ClientGoals, Some("2<Enter>]]]]")),
    (Context::ClientBoundaries, Some("2<Enter>]]]]]")),
    (Context::ClientBilling, Some("2<Enter>]]]]]]")),
    (Context::ClientHistory, Some("2<Enter>]]]]]]]")),
    (Context::RelDocument, Some("2H")),
    (Context::RelGoals, Some("2oaSleep better<Enter>")),
    (Context::RelRating, Some("2oaSleep better<Enter>r")),
    (Context::RelDischargeReason, Some("2D")),
    (Context::RelDischargeConfirm, Some("2D1<Enter>")),
    (Context::RelReview, Some("2R")),
    (Context::SessionDetail, Some("<Enter>")),
    (Context::ClientPick, Some("b")),
    (Context::JumpTo, Some("3g")),
    (Context::BookingClash, Some("2<Enter>s<Enter>")),
    (Context::Summary, Some("2D1<Enter>y")),
    (Context::Income, Some("4i")),
    (Context::Income, Some("4i[")),
    (Context::Services, Some("5s")),
];

/// What a key's effect is judged by: the screen drawn, the context, the message (a dialog meant
/// for the client's eyes hides it), whether the app quit or handed the note to `$EDITOR`.
fn state(app: &mut App) -> (String, Context, Option<String>, bool, bool) {
    (
        screen(app, 120, 40),
        app.context(),
        app.message.as_ref().map(|m| m.text.clone()),
        app.quit,
        app.pending_external_edit,
    )
}

/// Whether pressing the binding's first key at `place` changes anything.
fn does_something(place: Option<&str>, b: &Binding) -> bool {
    let mut app = app_at(place.is_none(), place.unwrap_or(""));
    let before = state(&mut app);
    let key = b.keys[0];
    app.handle_key(KeyEvent::new(key.0, key.1));
    let after = state(&mut app);
    before != after
}

#[test]
fn every_context_is_walked() {
    for ctx in Context::ALL {
        assert!(
            PLACES.iter().any(|(c, _)| c == ctx),
            "{ctx:?} is not walked: add a way to reach it"
        );
    }
    for (ctx, keys) in PLACES {
        let app = app_at(keys.is_none(), keys.unwrap_or(""));
        assert_eq!(app.context(), *ctx, "keys {keys:?}");
    }
}

#[test]
fn every_hint_names_a_key_that_does_something_there() {
    let mut wrong = Vec::new();
    for ctx in Context::ALL {
        let places: Vec<Option<&str>> = PLACES
            .iter()
            .filter(|(c, _)| c == ctx)
            .map(|(_, k)| *k)
            .collect();
        for b in keymap::hinted(*ctx) {
            if !places.iter().any(|keys| does_something(*keys, b)) {
                let (k, hint) = keymap::hint_of(b);
                wrong.push(format!("{ctx:?}: \"{k} {hint}\" does nothing"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn enter_and_esc_are_hinted_where_they_do_something() {
    let mut unhinted = Vec::new();
    for (ctx, keys) in PLACES {
        for b in keymap::bindings(*ctx) {
            let main = b
                .keys
                .iter()
                .any(|k| matches!(k.0, KeyCode::Enter | KeyCode::Esc));
            if main && b.hint.is_empty() && does_something(*keys, b) {
                unhinted.push(format!("{ctx:?}: {} ({})", keymap::keys_label(b), b.help));
            }
        }
    }
    assert!(unhinted.is_empty(), "{}", unhinted.join("\n"));
}

#[test]
fn hints_name_ranges_once_and_dialogs_their_own_keys() {
    // The booking search, the session detail and the summary hint at what they do.
    let h = keymap::hints(Context::ClientPick);
    assert_eq!(h[0], ("Enter".to_string(), "choose"));
    let h = keymap::hints(Context::SessionDetail);
    assert_eq!(h[0], ("Esc".to_string(), "close"));
    assert!(
        !keymap::hints(Context::Summary)
            .iter()
            .any(|(_, t)| *t == "mark given")
    );
    let mut app = app_at(false, "2D1<Enter>y");
    let s = screen(&mut app, 120, 40);
    let bar = s.lines().last().unwrap();
    assert!(bar.contains("w write page  Esc close"), "{bar}");
    assert!(!bar.contains("mark given"), "{bar}");
    let mut app = app_at(false, "2R");
    let s = screen(&mut app, 120, 40);
    let bar = s.lines().last().unwrap();
    assert!(bar.contains(" 1–4 choose  Esc close"), "{bar}");
    assert!(!bar.contains("4 1–4"), "{bar}");
}
