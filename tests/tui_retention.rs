#![allow(clippy::unwrap_used, clippy::panic)]
//! Records over their whole life in the app: the Practice screen's records view (those due for
//! disposal with the rule that set each date, legal holds put on and released, the disposal
//! log) and the keep-until date on a client's Overview — snapshots and state tests driven with
//! keys, no terminal.

mod tui_common;

use tui_common::{clock, keys, press, screen};

use caseload::config::Config;
use caseload::domain::attention::AttentionItem;
use caseload::domain::client::{ClientInput, ClientStatus};
use caseload::store::Store;
use caseload::tui::App;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

struct Ids {
    maria: i64,
    tom: i64,
    priya: i64,
    sam: i64,
}

/// Maria (discharged 2015, due), Tom (discharged 2016, on legal hold), Priya (in care), Sam
/// (seen as a minor, kept until after majority), and Olu, disposed of already.
fn practice() -> (App, Ids) {
    let mut store = Store::open_in_memory().unwrap();
    let c = clock();
    let mut add = |name: &str, intake: &str, born: &str, status: Option<ClientStatus>| {
        let f = ClientInput {
            name: name.into(),
            intake_date: intake.into(),
            born: born.into(),
            ..Default::default()
        }
        .validate(c.today())
        .unwrap();
        let id = store.add_client(&f, c.now_utc()).unwrap().id;
        if let Some(s) = status {
            store.set_client_status(id, s, c.now_utc()).unwrap();
        }
        id
    };
    let maria = add(
        "Maria Lopez",
        "2015-03-02",
        "1980-04-01",
        Some(ClientStatus::Discharged),
    );
    let tom = add(
        "Tom Baker",
        "2016-01-10",
        "",
        Some(ClientStatus::Discharged),
    );
    let priya = add("Priya Nair", "2026-03-02", "", None);
    let sam = add(
        "Sam Ortiz",
        "2018-05-01",
        "2010-06-01",
        Some(ClientStatus::Discharged),
    );
    let olu = add(
        "Olu Adeyemi",
        "2012-02-01",
        "1975-07-07",
        Some(ClientStatus::Discharged),
    );
    store
        .hold_record(tom, "Subpoena 2026-114", c.now_utc())
        .unwrap();
    store
        .dispose(olu, "Dr Ana Ruiz", c.now_utc(), c.today())
        .unwrap();
    let app = App::new(store, Config::default(), c, true).unwrap();
    (
        app,
        Ids {
            maria,
            tom,
            priya,
            sam,
        },
    )
}

fn due_reminder(app: &App) -> bool {
    app.store
        .retention_attention(clock().now_local())
        .unwrap()
        .iter()
        .any(|i| matches!(i, AttentionItem::RetentionDue { .. }))
}

#[test]
fn the_records_view_lists_those_due_and_on_hold_and_the_disposal_log() {
    let (mut app, _) = practice();
    assert!(due_reminder(&app), "Maria is due, not yet looked at");
    keys(&mut app, "5r");
    let s = screen(&mut app, 130, 32);
    insta::assert_snapshot!(s);
    assert!(s.contains("Maria Lopez"));
    assert!(s.contains("2022-03-02"), "7 years after the last contact");
    assert!(s.contains("due for disposal"));
    assert!(s.contains("legal hold: Subpoena 2026-114"));
    assert!(!s.contains("Priya Nair"), "in care: not listed as due");
    assert!(s.contains("Dr Ana Ruiz"), "who disposed of Olu");
    assert!(s.contains("Olu Adeyemi"));
    assert!(
        s.contains("caseload dispose 1 --confirm"),
        "the command for Maria"
    );
    assert!(
        !due_reminder(&app),
        "looking at the list rests the reminder"
    );
    // Every record, with where each stands.
    keys(&mut app, "a");
    let s = screen(&mut app, 130, 32);
    assert!(s.contains("Priya Nair"));
    assert!(s.contains("in care"));
    assert!(s.contains("Sam Ortiz"));
    assert!(s.contains("2035-06-01"), "7 years after Sam turns 18");
    assert!(s.contains("7 years after turning 18"));
    // Esc closes; the Practice screen is beneath.
    press(&mut app, KeyCode::Esc);
    assert!(!screen(&mut app, 130, 32).contains("Disposal log"));
}

#[test]
fn names_are_initials_in_privacy_mode() {
    let (mut app, _) = practice();
    keys(&mut app, "5r");
    app.handle_key(KeyEvent::new(KeyCode::Char('g'), KeyModifiers::CONTROL));
    let s = screen(&mut app, 130, 32);
    for name in ["Maria Lopez", "Tom Baker", "Olu Adeyemi"] {
        assert!(!s.contains(name), "{name} shown in privacy mode:\n{s}");
    }
    assert!(
        s.contains("Dr Ana Ruiz"),
        "the practitioner is not a client"
    );
    insta::assert_snapshot!(s);
}

#[test]
fn a_legal_hold_is_put_on_with_a_reason_and_released_after_asking() {
    let (mut app, ids) = practice();
    keys(&mut app, "5r");
    // Maria is first (the earliest keep-until). An empty reason is refused.
    keys(&mut app, "h");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.store.retention_of(ids.maria).unwrap().hold, None);
    assert!(screen(&mut app, 130, 32).contains("A legal hold needs a reason"));
    keys(&mut app, "Complaint to the board, March");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.store.retention_of(ids.maria).unwrap().hold.as_deref(),
        Some("Complaint to the board, March")
    );
    let s = screen(&mut app, 130, 32);
    assert!(
        s.contains("Maria Lopez is on legal hold: Complaint to the board, March."),
        "{s}"
    );
    assert!(s.contains("is on legal hold"), "the message line");
    // Tom is second: n keeps the hold, y releases it.
    keys(&mut app, "ju");
    assert!(screen(&mut app, 130, 32).contains("Release the legal hold?"));
    keys(&mut app, "n");
    assert!(app.store.retention_of(ids.tom).unwrap().hold.is_some());
    keys(&mut app, "uy");
    assert_eq!(app.store.retention_of(ids.tom).unwrap().hold, None);
    let s = screen(&mut app, 130, 32);
    assert!(s.contains("legal hold is released"), "{s}");
    // Released and discharged long ago: Tom is due now.
    assert!(s.contains("due for disposal"));
    // u on a record without a hold does nothing.
    keys(&mut app, "u");
    assert!(!screen(&mut app, 130, 32).contains("Release the legal hold?"));
    // Both changes are in the audit trail.
    let actions: Vec<String> = app
        .store
        .audit_entries(None)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.iter().any(|a| a == "legal_hold_set"));
    assert!(actions.iter().any(|a| a == "legal_hold_released"));
    let _ = ids.priya;
}

#[test]
fn the_overview_shows_keep_until_and_the_hold() {
    let (mut app, ids) = practice();
    app.open_client(ids.tom);
    let s = screen(&mut app, 130, 36);
    assert!(s.contains("Keep until"), "{s}");
    assert!(
        s.contains("2023-01-10 · 7 years after the last contact"),
        "{s}"
    );
    assert!(s.contains("Legal hold"));
    assert!(s.contains("Subpoena 2026-114"));
    app.open_client(ids.sam);
    let s = screen(&mut app, 130, 36);
    assert!(s.contains("2035-06-01 · 7 years after turning 18"), "{s}");
    assert!(!s.contains("Legal hold"));
}

#[test]
fn enter_on_the_needs_attention_item_opens_the_records_view() {
    let (mut app, _) = practice();
    let at = app
        .today
        .attention
        .iter()
        .position(|i| matches!(i, AttentionItem::RetentionDue { .. }))
        .expect("the reminder is on Today's list");
    press(&mut app, KeyCode::Right);
    for _ in 0..at {
        keys(&mut app, "j");
    }
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, caseload::tui::action::ScreenId::Practice);
    let s = screen(&mut app, 130, 32);
    assert!(s.contains("Due for disposal (1)"), "{s}");
    assert!(!due_reminder(&app), "looked at: the reminder rests");
    // Esc leaves the Practice screen beneath.
    press(&mut app, KeyCode::Esc);
    assert!(!screen(&mut app, 130, 32).contains("Due for disposal"));
}
