#![allow(clippy::unwrap_used, clippy::panic)]
//! The cancellation dialog, driven key by key on a TestBackend with a fixed clock: the figures
//! (keystrokes from Today), every path, and snapshots of each step.

use caseload::clock::Clock;
use caseload::config::Config;
use caseload::domain::cancellation::{Alternative, CancelOutcome, PracticeSettings};
use caseload::domain::client::{ClientInput, Telehealth};
use caseload::domain::schedule::Repeat;
use caseload::domain::session::{Modality, SessionStatus};
use caseload::domain::time::parse_local;
use caseload::store::Store;
use caseload::store::session::{BookOutcome, BookingRequest};
use caseload::tui::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const NOW: &str = "2026-11-23 08:20";

fn clock() -> Clock {
    Clock::fixed(parse_local(NOW).unwrap())
}

fn add_client(store: &mut Store, name: &str, phone: &str, consent: Telehealth) -> i64 {
    let input = ClientInput {
        name: name.into(),
        phone: phone.into(),
        telehealth_consent: consent,
        telehealth_consent_date: if consent == Telehealth::None {
            "".into()
        } else {
            "2026-03-12".into()
        },
        intake_date: "2026-01-05".into(),
        ..Default::default()
    };
    let f = input.validate(clock().today()).unwrap();
    store.add_client(&f, clock().now_utc()).unwrap().id
}

fn book(store: &mut Store, client: i64, at: &str, modality: Modality) -> i64 {
    let req = BookingRequest {
        client_id: client,
        starts_at: parse_local(at).unwrap(),
        minutes: 50,
        modality,
        repeat: Repeat::Once,
    };
    match store.book(&req, false, clock().now_utc()).unwrap() {
        BookOutcome::Booked(ids) => ids[0],
        BookOutcome::Clash(c) => panic!("clash: {}", c.describe()),
    }
}

/// Monday 23 Nov 2026, 08:20. Tom (consent to both) at 10:00 in person, Maria (no consent) at
/// 11:00 in person, Priya (both) at 14:00 by video; Tuesday and Wednesday mornings are busy.
fn practice() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    let tom = add_client(&mut s, "Tom Berg", "555-0101", Telehealth::Both);
    let maria = add_client(&mut s, "Maria Lopez", "555-0199", Telehealth::None);
    let priya = add_client(&mut s, "Priya Nair", "", Telehealth::Both);
    book(&mut s, tom, "2026-11-23 10:00", Modality::InPerson);
    book(&mut s, maria, "2026-11-23 11:00", Modality::InPerson);
    book(&mut s, priya, "2026-11-23 14:00", Modality::Video);
    book(&mut s, priya, "2026-11-24 09:00", Modality::Video);
    book(&mut s, maria, "2026-11-24 10:00", Modality::InPerson);
    s.set_practice_settings(&PracticeSettings {
        video_link: "https://meet.example/harbour".into(),
        ..Default::default()
    })
    .unwrap();
    s
}

fn app() -> App {
    App::new(practice(), Config::default(), clock(), true).unwrap()
}

fn draw(app: &mut App) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(120, 30)).unwrap();
    t.draw(|f| app.draw(f)).unwrap();
    t
}

/// Types keys as the practitioner would; returns how many were pressed.
fn keys(app: &mut App, keys: &[KeyCode]) -> usize {
    for k in keys {
        app.handle_key(KeyEvent::new(*k, KeyModifiers::NONE));
    }
    keys.len()
}

use KeyCode::{Char as C, Enter, Esc};

fn select(app: &mut App, client: &str) {
    for _ in 0..10 {
        if app.today.selected().unwrap().client == client {
            return;
        }
        keys(app, &[C('j')]);
    }
    panic!("{client} is not on Today");
}

#[test]
fn four_keys_save_a_session_by_phone_for_a_sick_child() {
    let mut app = app();
    select(&mut app, "Tom B.");
    let id = app.today.selected().unwrap().session.id;
    let mut pressed = keys(&mut app, &[C('c')]);
    insta::assert_snapshot!("step1_who_and_why", draw(&mut app).backend());
    pressed += keys(&mut app, &[C('2')]);
    insta::assert_snapshot!("step2_the_offer", draw(&mut app).backend());
    pressed += keys(&mut app, &[Enter]);
    insta::assert_snapshot!("step3_remote_check", draw(&mut app).backend());
    pressed += keys(&mut app, &[C('y')]);
    assert_eq!(pressed, 4, "c 2 Enter y");
    assert!(app.popups.is_empty(), "the dialog closed");
    let s = app.store.session(id).unwrap();
    assert_eq!(
        (s.modality, s.status),
        (Modality::Phone, SessionStatus::Scheduled)
    );
    assert_eq!(s.starts_at, parse_local("2026-11-23 10:00").unwrap());
    let c = app.store.cancellation_for_session(id).unwrap().unwrap();
    assert_eq!(c.outcome, CancelOutcome::ConvertedPhone);
    assert_eq!(
        c.offered,
        vec![
            Alternative::Phone,
            Alternative::Video,
            Alternative::Reschedule
        ]
    );
    assert_eq!(
        (c.remote_private, c.remote_not_driving, c.remote_location_ok),
        (Some(true), Some(true), Some(true))
    );
    assert!(app.message.as_ref().unwrap().text.contains("Saved: Tom B."));
}

#[test]
fn a_declined_offer_is_recorded_in_four_keys_and_the_fee_applies() {
    let mut app = app();
    select(&mut app, "Tom B.");
    let id = app.today.selected().unwrap().session.id;
    let mut pressed = keys(&mut app, &[C('c'), C('2'), C('x')]);
    insta::assert_snapshot!("late_fee_step", draw(&mut app).backend());
    pressed += keys(&mut app, &[Enter]);
    assert!(pressed <= 5, "c 2 x Enter");
    assert_eq!(
        app.store.session(id).unwrap().status,
        SessionStatus::LateCancelled
    );
    let c = app.store.cancellation_for_session(id).unwrap().unwrap();
    assert_eq!(c.outcome, CancelOutcome::LateCancelled);
    assert!(!c.fee_waived);
    assert_eq!(c.remote_private, None, "not asked");
}

#[test]
fn the_fee_can_be_waived() {
    let mut app = app();
    select(&mut app, "Tom B.");
    let id = app.today.selected().unwrap().session.id;
    keys(&mut app, &[C('c'), C('3'), C('x'), C('w')]);
    let c = app.store.cancellation_for_session(id).unwrap().unwrap();
    assert_eq!(c.outcome, CancelOutcome::LateCancelled);
    assert!(c.fee_waived);
    assert!(app.message.as_ref().unwrap().text.contains("waived"));
}

#[test]
fn missing_consent_can_be_recorded_verbally_or_skipped() {
    let mut app = app();
    select(&mut app, "Maria L.");
    let id = app.today.selected().unwrap().session.id;
    keys(&mut app, &[C('c'), C('2'), Enter]);
    insta::assert_snapshot!("consent_step", draw(&mut app).backend());
    keys(&mut app, &[C('s')]);
    assert!(app.popups.len() == 1, "skip goes back to the options");
    keys(&mut app, &[Enter, C('v'), C('y')]);
    assert!(app.popups.is_empty());
    let s = app.store.session(id).unwrap();
    assert_eq!(s.modality, Modality::Phone);
    let client = app.store.client(s.client_id).unwrap();
    assert_eq!(client.telehealth_consent, Telehealth::Phone);
    assert_eq!(client.telehealth_consent_date, Some(clock().today()));
    let c = app.store.cancellation_for_session(id).unwrap().unwrap();
    assert_eq!(c.consent_recorded, Some(Alternative::Phone));
}

#[test]
fn reschedule_picks_a_free_slot_with_the_keyboard() {
    let mut app = app();
    select(&mut app, "Tom B.");
    let id = app.today.selected().unwrap().session.id;
    // Work: reschedule is the best fit.
    keys(&mut app, &[C('c'), C('1'), Enter]);
    insta::assert_snapshot!("reschedule_slots", draw(&mut app).backend());
    keys(&mut app, &[C('j'), C('j'), Enter]);
    assert!(app.popups.is_empty());
    let c = app.store.cancellation_for_session(id).unwrap().unwrap();
    assert_eq!(c.outcome, CancelOutcome::Rescheduled);
    let old = app.store.session(id).unwrap();
    assert_eq!(old.status, SessionStatus::Rescheduled);
    let new = app.store.session(c.new_session_id.unwrap()).unwrap();
    assert_eq!(new.status, SessionStatus::Scheduled);
    // An hour's lead from 08:20; Tom's own 10:00 and Maria's 11:00 are taken, so Monday offers
    // 12:00 and 12:30; Tuesday 09:00 and 10:00 are booked: the third slot is Tue 11:00.
    assert_eq!(new.starts_at, parse_local("2026-11-24 11:00").unwrap());
}

#[test]
fn a_practitioner_cancellation_skips_the_offer_and_is_never_late() {
    let mut app = app();
    select(&mut app, "Tom B.");
    let id = app.today.selected().unwrap().session.id;
    keys(&mut app, &[C('c'), C('p'), C('3')]);
    insta::assert_snapshot!("practitioner_offer", draw(&mut app).backend());
    keys(&mut app, &[C('x'), Enter]);
    let c = app.store.cancellation_for_session(id).unwrap().unwrap();
    assert_eq!(c.outcome, CancelOutcome::Cancelled);
    assert!(c.offered.is_empty());
    assert_eq!(
        app.store.session(id).unwrap().status,
        SessionStatus::Cancelled
    );
}

#[test]
fn not_all_three_goes_back_and_escape_records_nothing() {
    let mut app = app();
    select(&mut app, "Priya N.");
    let id = app.today.selected().unwrap().session.id;
    // Priya's session is already by video: own illness offers phone, then reschedule.
    keys(&mut app, &[C('c'), C('3')]);
    let text = format!("{:?}", draw(&mut app).backend());
    assert!(!text.contains("Video session at"), "{text}");
    assert!(text.contains("Phone session at 14:00"), "{text}");
    assert!(text.contains("no phone number on file"), "{text}");
    keys(&mut app, &[Enter, C('n')]);
    let text = format!("{:?}", draw(&mut app).backend());
    assert!(text.contains("A remote session needs all three"), "{text}");
    keys(&mut app, &[Esc, Esc]);
    assert!(app.popups.is_empty());
    assert_eq!(app.store.cancellation_for_session(id).unwrap(), None);
    assert_eq!(
        app.store.session(id).unwrap().status,
        SessionStatus::Scheduled
    );
}

#[test]
fn a_note_is_kept_and_feeling_better_prompts_a_talk() {
    let mut app = app();
    select(&mut app, "Tom B.");
    let id = app.today.selected().unwrap().session.id;
    keys(&mut app, &[C('c'), C('n')]);
    for ch in "says 1 more week".chars() {
        keys(&mut app, &[C(ch)]);
    }
    keys(&mut app, &[Enter, C('9')]);
    let text = format!("{:?}", draw(&mut app).backend());
    assert!(text.contains("says 1 more week"), "{text}");
    assert!(text.contains("next session"), "{text}");
    keys(&mut app, &[C('x'), Enter]);
    let c = app.store.cancellation_for_session(id).unwrap().unwrap();
    assert_eq!(c.note.as_deref(), Some("says 1 more week"));
    assert_eq!(c.reason.as_str(), "feeling_better");
}

#[test]
fn only_a_scheduled_session_opens_the_dialog() {
    let mut app = app();
    select(&mut app, "Tom B.");
    keys(&mut app, &[C('a'), C('c')]);
    assert!(app.popups.is_empty());
    assert!(app.message.as_ref().unwrap().text.contains("not scheduled"));
}

#[test]
fn practice_settings_are_shown_and_edited_from_the_practice_screen() {
    let mut app = app();
    keys(&mut app, &[C('5')]);
    let shown = format!("{}", draw(&mut app).backend());
    // At 120×30 the whole reason table shows, down to its last row.
    for row in [
        "cost",
        "schedule conflict     reschedule, video",
        "feeling better",
        "other  ",
    ] {
        assert!(shown.contains(row), "{row:?} is cut: {shown}");
    }
    assert!(shown.contains("for a late cancellation."), "{shown}");
    insta::assert_snapshot!("practice_settings", draw(&mut app).backend());
    keys(&mut app, &[C('e')]);
    assert_eq!(app.popups.len(), 1);
    // Down to "Late if notice under (h)", erase 24, type 48, save.
    keys(&mut app, &[KeyCode::Tab, KeyCode::Tab, KeyCode::Tab]);
    keys(
        &mut app,
        &[
            KeyCode::Backspace,
            KeyCode::Backspace,
            C('4'),
            C('8'),
            Enter,
        ],
    );
    assert!(app.popups.is_empty(), "{:?}", app.message);
    assert_eq!(
        app.store
            .practice_settings()
            .unwrap()
            .cancellation_window_hours,
        48
    );
    assert!(app.message.as_ref().unwrap().text.contains("saved"));
    // A bad value keeps the form open with the field marked; nothing is written.
    keys(
        &mut app,
        &[
            C('e'),
            KeyCode::Tab,
            KeyCode::Tab,
            KeyCode::Tab,
            C('x'),
            Enter,
        ],
    );
    assert_eq!(app.popups.len(), 1);
    insta::assert_snapshot!("practice_settings_error", draw(&mut app).backend());
    keys(&mut app, &[Esc]);
    assert!(app.popups.is_empty());
    assert_eq!(
        app.store
            .practice_settings()
            .unwrap()
            .cancellation_window_hours,
        48
    );
}

#[test]
fn the_agenda_opens_the_same_dialog() {
    let mut app = app();
    keys(&mut app, &[C('3')]);
    let id = app.agenda.selected().unwrap().session.id;
    keys(&mut app, &[C('c')]);
    assert_eq!(app.popups.len(), 1, "{:?}", app.message);
    keys(&mut app, &[C('4'), C('x')]);
    let late = app.store.session(id).unwrap().starts_at < parse_local("2026-11-24 08:20").unwrap();
    keys(&mut app, &[Enter]);
    assert!(app.popups.is_empty());
    let c = app.store.cancellation_for_session(id).unwrap().unwrap();
    assert_eq!(c.reason.as_str(), "travel");
    let want = if late {
        CancelOutcome::LateCancelled
    } else {
        CancelOutcome::Cancelled
    };
    assert_eq!(c.outcome, want);
}
