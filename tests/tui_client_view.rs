#![allow(clippy::unwrap_used, clippy::panic)]
//! The client view: snapshots of its Overview and Sessions tabs on a demo practice, and state
//! tests that drive it with keys and no terminal.

mod tui_common;

use tui_common::{clock, demo_app, press, screen};

use caseload::domain::session::SessionStatus;
use caseload::tui::App;
use caseload::tui::action::ScreenId;
use caseload::tui::dialogs::BookingForm;
use caseload::tui::dialogs::CancelDialog;
use caseload::tui::dialogs::{AlertReview, ClientForm};
use caseload::tui::dialogs::{InstrumentPicker, Runner};
use caseload::tui::keymap::Context;
use caseload::tui::screens::client::Tab;
use ratatui::crossterm::event::KeyCode;

fn key(app: &mut App, c: char) {
    press(app, KeyCode::Char(c));
}

/// The client of the first session on Today, opened from the Clients screen.
fn open_todays_client(app: &mut App) -> (i64, i64) {
    let l = app
        .today
        .rows
        .first()
        .expect("the demo books sessions today");
    let (session_id, client_id) = (l.session.id, l.session.client_id);
    key(app, '2');
    app.clients.select_id(client_id);
    press(app, KeyCode::Enter);
    let v = app.client_view.as_ref().expect("Enter opens the client");
    assert_eq!(v.client.id, client_id);
    (session_id, client_id)
}

#[test]
fn overview_tab() {
    let mut app = demo_app(30);
    open_todays_client(&mut app);
    insta::assert_snapshot!(screen(&mut app, 120, 30));
}

/// Gives the client two wellbeing checks and an engagement assessment that favours working
/// together, and accepts that model.
fn assess(app: &mut App, client_id: i64) {
    let now = clock().now_utc();
    let day = |s: &str| caseload::domain::time::parse_date(s).unwrap();
    let w = app.catalog.get("wellbeing").unwrap().clone();
    app.store
        .record_assessment(client_id, &w, &[2, 3, 2, 3, 2, 2], day("2026-09-01"), now)
        .unwrap();
    app.store
        .record_assessment(client_id, &w, &[1, 1, 1, 2, 1, 1], day("2026-11-16"), now)
        .unwrap();
    let e = app.catalog.get("engagement").unwrap().clone();
    let answers: Vec<i64> = e
        .items
        .iter()
        .map(|i| {
            if i.barrier.is_some() {
                i.max()
            } else if i.weights.get("collaborative") == Some(&2.0) {
                4
            } else {
                0
            }
        })
        .collect();
    app.store
        .record_assessment(client_id, &e, &answers, day("2026-10-01"), now)
        .unwrap();
    app.store
        .choose_model(
            client_id,
            caseload::domain::engagement::EngagementModel::Collaborative,
            None,
            now,
        )
        .unwrap();
}

#[test]
fn overview_tab_with_a_model_and_measures() {
    let mut app = demo_app(30);
    let client_id = app.today.rows.first().unwrap().session.client_id;
    assess(&mut app, client_id);
    open_todays_client(&mut app);
    insta::assert_snapshot!(screen(&mut app, 120, 30));
    // The Assessments tab shows the same results.
    for _ in 0..3 {
        key(&mut app, ']');
    }
    assert_eq!(app.context(), Context::ClientAssessments);
    let s = screen(&mut app, 120, 30);
    assert!(s.contains("Wellbeing check"), "{s}");
}

#[test]
fn sessions_tab() {
    let mut app = demo_app(30);
    open_todays_client(&mut app);
    key(&mut app, ']');
    assert_eq!(app.client_view.as_ref().unwrap().tab, Tab::Sessions);
    insta::assert_snapshot!(screen(&mut app, 120, 30));
}

#[test]
fn every_tab_draws_at_every_size() {
    let mut app = demo_app(30);
    open_todays_client(&mut app);
    let sizes = [(60, 16), (80, 24), (120, 40), (200, 60)];
    // Below the header and the tab bar, each tab draws its own body, not the Overview's.
    let body = |s: &str| s.lines().skip(4).collect::<Vec<_>>().join("\n");
    let overview: Vec<String> = sizes
        .iter()
        .map(|&(w, h)| body(&screen(&mut app, w, h)))
        .collect();
    let titles = [
        "Overview",
        "Sessions",
        "Notes",
        "Assessments",
        "Goals",
        "Boundaries",
        "Billing",
        "History",
    ];
    for (tab, title) in Tab::ALL.into_iter().zip(titles) {
        assert_eq!(app.client_view.as_ref().unwrap().tab, tab);
        for (&(w, h), over) in sizes.iter().zip(&overview) {
            let s = screen(&mut app, w, h);
            // The whole tab bar fits from 80 columns on.
            if w >= 80 {
                assert!(s.contains(title), "{tab:?} at {w}x{h}: {s}");
            }
            if tab != Tab::Overview {
                assert_ne!(&body(&s), over, "{tab:?} at {w}x{h} draws the Overview");
            }
        }
        key(&mut app, ']');
    }
    assert_eq!(app.client_view.as_ref().unwrap().tab, Tab::Overview);
}

#[test]
fn enter_opens_tabs_switch_and_esc_returns() {
    let mut app = demo_app(30);
    let (_, client_id) = open_todays_client(&mut app);
    assert_eq!(app.context(), Context::ClientOverview);
    key(&mut app, ']');
    assert_eq!(app.context(), Context::ClientSessions);
    press(&mut app, KeyCode::Right);
    assert_eq!(app.context(), Context::ClientNotes);
    key(&mut app, '[');
    press(&mut app, KeyCode::Left);
    key(&mut app, '[');
    assert_eq!(app.client_view.as_ref().unwrap().tab, Tab::History);
    assert_eq!(app.context(), Context::ClientHistory);
    // Global keys still work over the view; help shows the view's keys.
    key(&mut app, '?');
    let s = screen(&mut app, 110, 40);
    assert!(s.contains("A client · History"), "{s}");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert!(app.client_view.is_none());
    assert_eq!(app.screen, ScreenId::Clients);
    assert_eq!(app.clients.selected_client().unwrap().id, client_id);
    // `e` still edits from the list.
    key(&mut app, 'e');
    assert!(app.popups.top_is::<ClientForm>());
    press(&mut app, KeyCode::Esc);
    // A screen key leaves the view for that screen.
    press(&mut app, KeyCode::Enter);
    assert!(app.client_view.is_some());
    key(&mut app, '3');
    assert!(app.client_view.is_none());
    assert_eq!(app.screen, ScreenId::Agenda);
}

#[test]
fn opened_from_today_esc_goes_back_to_today() {
    let mut app = demo_app(30);
    let target = app
        .today
        .attention
        .iter()
        .position(|i| {
            matches!(
                i.target(),
                caseload::domain::attention::AttentionTarget::Client { .. }
            )
        })
        .expect("the demo has a client to look at");
    press(&mut app, KeyCode::Right);
    for _ in 0..target {
        key(&mut app, 'j');
    }
    press(&mut app, KeyCode::Enter);
    let v = app.client_view.as_ref().expect("Enter opens the client");
    assert_eq!(v.from, ScreenId::Today);
    press(&mut app, KeyCode::Esc);
    assert!(app.client_view.is_none());
    assert_eq!(app.screen, ScreenId::Today);
}

#[test]
fn cancel_from_the_sessions_tab_opens_the_dialog() {
    let mut app = demo_app(30);
    let (_, client_id) = open_todays_client(&mut app);
    key(&mut app, ']');
    let next = app
        .store
        .client_sessions(client_id)
        .unwrap()
        .into_iter()
        .find(|s| s.status == SessionStatus::Scheduled && s.starts_at > clock().now_local())
        .expect("a session to come");
    app.client_view.as_mut().unwrap().select_session(next.id);
    key(&mut app, 'c');
    match app.popups.top::<CancelDialog>() {
        Some(d) => assert_eq!(d.cx.session.id, next.id),
        None => panic!("no cancellation dialog: {:?}", app.message),
    }
    // Esc closes the dialog and nothing is recorded; the view is still there.
    press(&mut app, KeyCode::Esc);
    assert!(app.popups.is_empty());
    assert!(app.client_view.is_some());
    assert_eq!(
        app.store.session(next.id).unwrap().status,
        SessionStatus::Scheduled
    );
}

#[test]
fn marking_from_the_sessions_tab_writes_and_refreshes() {
    let mut app = demo_app(30);
    let (session_id, _) = open_todays_client(&mut app);
    key(&mut app, ']');
    app.client_view.as_mut().unwrap().select_session(session_id);
    key(&mut app, 'a');
    assert_eq!(
        app.store.session(session_id).unwrap().status,
        SessionStatus::Attended,
        "{:?}",
        app.message
    );
    let v = app.client_view.as_ref().unwrap();
    assert_eq!(v.selected_session().unwrap().id, session_id);
    assert_eq!(
        v.selected_session().unwrap().status,
        SessionStatus::Attended,
        "the view is reloaded after the write"
    );
    assert!(app.message.as_ref().unwrap().text.contains("attended"));
    // After an attended session the client's active goals may ask for a rating: not now.
    for _ in 0..3 {
        if app.popups.is_empty() {
            break;
        }
        press(&mut app, KeyCode::Esc);
    }
    assert!(app.popups.is_empty());
    // Today follows too.
    assert_eq!(
        app.today
            .rows
            .iter()
            .find(|l| l.session.id == session_id)
            .unwrap()
            .session
            .status,
        SessionStatus::Attended
    );
    key(&mut app, 'u');
    assert_eq!(
        app.store.session(session_id).unwrap().status,
        SessionStatus::Scheduled
    );
    // Enter opens the session's note; Esc closes it and the view is still there.
    press(&mut app, KeyCode::Enter);
    assert!(app.note_editor.is_some());
    press(&mut app, KeyCode::Esc);
    assert!(app.note_editor.is_none());
    assert_eq!(app.context(), Context::ClientSessions);
}

#[test]
fn book_and_assess_are_one_key_away() {
    let mut app = demo_app(30);
    open_todays_client(&mut app);
    key(&mut app, 's');
    assert!(app.popups.top_is::<BookingForm>());
    press(&mut app, KeyCode::Esc);
    while !app.popups.is_empty() {
        key(&mut app, 'y');
    }
    key(&mut app, 'A');
    assert!(app.popups.top_is::<InstrumentPicker>());
    press(&mut app, KeyCode::Enter);
    assert!(
        app.popups.top_is::<Runner>(),
        "A then Enter starts the assessment"
    );
}

#[test]
fn notes_tab_searches_with_typed_keys_and_opens_a_note() {
    let mut app = demo_app(30);
    open_todays_client(&mut app);
    key(&mut app, ']');
    key(&mut app, ']');
    assert_eq!(app.context(), Context::ClientNotes);
    let v = app.client_view.as_ref().unwrap();
    let all = v.notes.rows.len();
    assert!(all > 1, "the demo client has notes");
    let word: String = v.notes.rows[0]
        .text
        .split_whitespace()
        .find(|w| w.len() > 4 && w.chars().all(char::is_alphabetic))
        .unwrap()
        .to_string();
    key(&mut app, '/');
    assert_eq!(app.context(), Context::ClientNotesSearch);
    // Letters are typed, not looked up: q does not quit, 2 does not change screens.
    for c in "q2".chars() {
        key(&mut app, c);
    }
    assert!(!app.quit);
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Backspace);
    for c in word.chars() {
        key(&mut app, c);
    }
    press(&mut app, KeyCode::Enter);
    let v = app.client_view.as_ref().unwrap();
    assert_eq!(v.notes.searched.as_deref(), Some(word.as_str()));
    assert!(!v.notes.rows.is_empty() && v.notes.rows.len() <= all);
    let note_id = v.notes.selected_note_id().unwrap();
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.note_editor.as_ref().unwrap().note_id, Some(note_id));
    press(&mut app, KeyCode::Esc);
    assert!(app.note_editor.is_none());
    // Esc clears the search first, then leaves the view.
    press(&mut app, KeyCode::Esc);
    let v = app.client_view.as_ref().unwrap();
    assert!(v.notes.searched.is_none());
    assert_eq!(v.notes.rows.len(), all);
    press(&mut app, KeyCode::Esc);
    assert!(app.client_view.is_none());
}

#[test]
fn history_shows_status_changes_newest_first_after_a_refresh() {
    let mut app = demo_app(30);
    let (_, client_id) = open_todays_client(&mut app);
    let now = clock().now_utc();
    app.store
        .set_client_status(
            client_id,
            caseload::domain::client::ClientStatus::OnHold,
            now + chrono::Duration::minutes(1),
        )
        .unwrap();
    app.refresh().unwrap();
    for _ in 0..7 {
        key(&mut app, ']');
    }
    assert_eq!(app.context(), Context::ClientHistory);
    let v = app.client_view.as_ref().unwrap();
    assert_eq!(v.history[0].what, "Status: active → on hold");
    assert!(v.history.last().unwrap().what.starts_with("Added as"));
    let s = screen(&mut app, 100, 20);
    assert!(s.contains("on hold · since"), "the header follows: {s}");
    assert!(s.contains("Status: active → on hold"), "{s}");
}

#[test]
fn an_open_alert_is_reviewed_from_the_client_with_a_note() {
    let mut app = demo_app(60);
    let alert = app
        .store
        .open_alerts(None)
        .unwrap()
        .into_iter()
        .next()
        .expect("the demo has open alerts");
    let client = alert.client_id;
    let before = app.store.open_alerts(Some(client)).unwrap().len();
    app.open_client(client);
    key(&mut app, 'r');
    assert!(app.popups.top_is::<AlertReview>());
    // An empty note is refused and nothing changes.
    press(&mut app, KeyCode::Enter);
    assert!(app.popups.top_is::<AlertReview>());
    assert_eq!(app.store.open_alerts(Some(client)).unwrap().len(), before);
    for c in "Asked about safety; plan agreed.".chars() {
        key(&mut app, c);
    }
    press(&mut app, KeyCode::Enter);
    assert!(app.popups.is_empty(), "{:?}", app.message);
    assert_eq!(
        app.store.open_alerts(Some(client)).unwrap().len(),
        before - 1
    );
    let reviewed = app.store.alert(alert.id).unwrap();
    assert_eq!(
        reviewed.review_note.as_deref(),
        Some("Asked about safety; plan agreed.")
    );
    // A client with no open alert is told so.
    let calm = app
        .store
        .clients(caseload::store::client::StatusFilter::All)
        .unwrap()
        .into_iter()
        .find(|c| app.store.open_alerts(Some(c.id)).unwrap().is_empty())
        .unwrap();
    app.open_client(calm.id);
    key(&mut app, 'r');
    assert!(app.popups.is_empty());
    assert!(app.message.as_ref().unwrap().text.contains("no open alert"));
}

#[test]
fn booking_for_a_discharged_client_says_to_reopen_them_first_without_the_form() {
    let mut app = demo_app(30);
    key(&mut app, '2');
    // Active, On hold, Discharged.
    key(&mut app, 'f');
    key(&mut app, 'f');
    let c = app
        .clients
        .selected_client()
        .expect("the demo has discharged clients")
        .clone();
    assert_eq!(c.status, caseload::domain::client::ClientStatus::Discharged);
    press(&mut app, KeyCode::Enter);
    assert!(app.client_view.is_some(), "Enter opens the client");
    let popups = app.popups.len();
    key(&mut app, 's');
    assert_eq!(app.popups.len(), popups, "no booking form opens");
    let text = app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(
        text.contains("has been discharged: reopen the client first"),
        "{text}"
    );
    assert!(text.contains(&c.name), "{text}");
}
