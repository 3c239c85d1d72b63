#![allow(clippy::unwrap_used, clippy::panic)]
//! Screens that show sessions, drawn on a TestBackend with a fixed clock.

use caseload::clock::Clock;
use caseload::config::Config;
use caseload::domain::client::ClientInput;
use caseload::domain::schedule::Repeat;
use caseload::domain::session::{Modality, SessionStatus};
use caseload::domain::time::parse_local;
use caseload::store::Store;
use caseload::store::session::{BookOutcome, BookingRequest};
use caseload::tui::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const NOW: &str = "2026-11-23 09:30";

fn clock() -> Clock {
    Clock::fixed(parse_local(NOW).unwrap())
}

fn add_client(store: &mut Store, name: &str, preferred: &str) -> i64 {
    let input = ClientInput {
        name: name.into(),
        preferred_name: preferred.into(),
        intake_date: "2026-01-05".into(),
        ..Default::default()
    };
    let f = input.validate(clock().today()).unwrap();
    store.add_client(&f, clock().now_utc()).unwrap().id
}

fn book(store: &mut Store, client: i64, at: &str, modality: Modality, repeat: Repeat) -> Vec<i64> {
    let req = BookingRequest {
        client_id: client,
        starts_at: parse_local(at).unwrap(),
        minutes: 50,
        modality,
        repeat,
    };
    match store.book(&req, false, clock().now_utc()).unwrap() {
        BookOutcome::Booked(ids) => ids,
        BookOutcome::Clash(c) => panic!("clash: {}", c.describe()),
    }
}

/// A small practice: four clients, a Monday with four sessions, one last week left unmarked.
pub fn practice() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    let maria = add_client(&mut s, "Maria Lopez", "");
    let tom = add_client(&mut s, "Tom Berg", "");
    let priya = add_client(&mut s, "Priya Nair", "");
    let olu = add_client(&mut s, "Oluwaseun Adeyemi", "Olu");
    let lena = add_client(&mut s, "Lena Fischer", "");
    let first = book(
        &mut s,
        maria,
        "2026-11-16 09:00",
        Modality::InPerson,
        Repeat::weekly(4),
    );
    let _ = book(
        &mut s,
        tom,
        "2026-11-23 10:00",
        Modality::Video,
        Repeat::Once,
    );
    let _ = book(
        &mut s,
        priya,
        "2026-11-23 11:00",
        Modality::InPerson,
        Repeat::Once,
    );
    let _ = book(
        &mut s,
        olu,
        "2026-11-23 14:00",
        Modality::Phone,
        Repeat::Once,
    );
    let _ = book(
        &mut s,
        lena,
        "2026-11-20 14:00",
        Modality::InPerson,
        Repeat::Once,
    );
    let _ = book(
        &mut s,
        tom,
        "2026-11-25 16:00",
        Modality::Video,
        Repeat::Once,
    );
    let now = clock();
    s.mark_session(
        first[0],
        SessionStatus::Attended,
        "practitioner",
        now.now_local(),
        now.now_utc(),
    )
    .unwrap();
    s.mark_session(
        first[1],
        SessionStatus::Attended,
        "practitioner",
        now.now_local(),
        now.now_utc(),
    )
    .unwrap();
    s
}

pub fn app(store: Store) -> App {
    App::new(store, Config::default(), clock(), true).unwrap()
}

fn draw(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| app.draw(f)).unwrap();
    t
}

fn press(app: &mut App, c: KeyCode) {
    app.handle_key(KeyEvent::new(c, KeyModifiers::NONE));
}

#[test]
fn today_shows_the_day_and_what_needs_attention() {
    let mut app = app(practice());
    let t = draw(&mut app, 120, 16);
    insta::assert_snapshot!(t.backend());
}

#[test]
fn one_key_marks_the_selected_session() {
    let mut app = app(practice());
    // The first session not yet over is selected: Maria, in progress at 09:00.
    assert_eq!(app.today.selected().unwrap().client, "Maria L.");
    press(&mut app, KeyCode::Char('a'));
    let id = app.today.selected().unwrap().session.id;
    assert_eq!(
        app.store.session(id).unwrap().status,
        SessionStatus::Attended
    );
    assert_eq!(
        app.store.session(id).unwrap().marked_by.as_deref(),
        Some("practitioner")
    );
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(
        app.store.session(id).unwrap().status,
        SessionStatus::Scheduled
    );
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('n'));
    let id2 = app.today.selected().unwrap().session.id;
    assert_ne!(id, id2);
    assert_eq!(
        app.store.session(id2).unwrap().status,
        SessionStatus::NoShow
    );
    let t = draw(&mut app, 120, 16);
    insta::assert_snapshot!(t.backend());
}

#[test]
fn days_step_and_enter_follows_a_needs_attention_item() {
    let mut app = app(practice());
    press(&mut app, KeyCode::Char(']'));
    assert_eq!(app.today.day.unwrap().to_string(), "2026-11-24");
    press(&mut app, KeyCode::Char(']'));
    assert_eq!(app.today.rows.len(), 1);
    press(&mut app, KeyCode::Char('t'));
    assert_eq!(app.today.day.unwrap().to_string(), "2026-11-23");
    // Needs attention: Lena's Friday session has no outcome (first), and Maria's session of
    // the 16th, attended, has no note yet.
    assert_eq!(app.today.attention.len(), 2);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.today.day.unwrap().to_string(), "2026-11-20");
    assert_eq!(app.today.selected().unwrap().client, "Lena F.");
    press(&mut app, KeyCode::Char('a'));
    // The outcome is recorded; what is left is notes to write.
    assert!(app.today.attention.iter().all(|i| matches!(
        i,
        caseload::domain::attention::AttentionItem::UnsignedNote { .. }
    )));
    assert_eq!(app.today.attention.len(), 2);
}

#[test]
fn an_empty_practice_is_welcomed() {
    let mut app = app(Store::open_in_memory().unwrap());
    let t = draw(&mut app, 90, 20);
    let text = format!("{:?}", t.backend());
    assert!(text.contains("Welcome to caseload."));
    press(&mut app, KeyCode::Char('a'));
    assert_eq!(app.popups.len(), 1, "a adds the first client");
    typ(&mut app, "Ada Brook");
    press(&mut app, KeyCode::Enter);
    // Saved from Today, the client is shown selected on the Clients list.
    assert!(app.popups.is_empty());
    assert_eq!(app.screen, caseload::tui::action::ScreenId::Clients);
    assert_eq!(
        app.clients.selected_client().map(|c| c.name.as_str()),
        Some("Ada Brook")
    );
    let t = draw(&mut app, 90, 20);
    assert!(format!("{:?}", t.backend()).contains("Ada Brook"));
}

#[test]
fn a_write_on_today_shows_on_the_agenda_when_it_is_opened() {
    let mut app = app(practice());
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('1'));
    // Maria's session, in progress, is selected: log it attended on Today.
    press(&mut app, KeyCode::Char('a'));
    press(&mut app, KeyCode::Char('3'));
    let maria = app
        .agenda
        .rows
        .iter()
        .find(|l| l.client == "Maria L." && l.session.starts_at.date() == clock().today())
        .unwrap();
    assert_eq!(maria.session.status, SessionStatus::Attended);
}

fn typ(app: &mut App, s: &str) {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
}

#[test]
fn agenda_shows_the_week_in_columns_and_grouped_rows() {
    let mut app = app(practice());
    press(&mut app, KeyCode::Char('3'));
    let t = draw(&mut app, 120, 18);
    insta::assert_snapshot!("agenda_wide", t.backend());
    let t = draw(&mut app, 70, 20);
    insta::assert_snapshot!("agenda_narrow", t.backend());
    press(&mut app, KeyCode::Char('h'));
    assert_eq!(app.agenda.week.unwrap().to_string(), "2026-11-16");
    press(&mut app, KeyCode::Char('g'));
    typ(&mut app, "2026-12-02");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.agenda.week.unwrap().to_string(), "2026-11-30");
    assert_eq!(app.agenda.rows.len(), 1, "Maria's last weekly session");
    press(&mut app, KeyCode::Enter);
    let t = draw(&mut app, 120, 20);
    assert!(format!("{:?}", t.backend()).contains("Monday 30 November 2026, 09:00"));
}

#[test]
fn booking_from_the_agenda_warns_of_a_clash() {
    let mut app = app(practice());
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('a'));
    typ(&mut app, "pri");
    press(&mut app, KeyCode::Enter);
    // The form: date, time (Tab moves), minutes, how, repeat, count.
    assert!(app.popups.top_is::<caseload::tui::dialogs::BookingForm>());
    for _ in 0..10 {
        press(&mut app, KeyCode::Backspace);
    }
    typ(&mut app, "2026-11-23");
    press(&mut app, KeyCode::Tab);
    for _ in 0..5 {
        press(&mut app, KeyCode::Backspace);
    }
    typ(&mut app, "10:30");
    press(&mut app, KeyCode::Enter);
    let t = draw(&mut app, 120, 20);
    let text = format!("{:?}", t.backend());
    assert!(text.contains("This overlaps another session"), "{text}");
    assert!(text.contains("Tom Berg"), "{text}");
    // Pick another time: back to the form, nothing booked.
    press(&mut app, KeyCode::Char('n'));
    assert!(app.popups.top_is::<caseload::tui::dialogs::BookingForm>());
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('y'));
    assert!(app.popups.is_empty());
    let day = app
        .store
        .day_sessions(parse_local("2026-11-23 00:00").unwrap().date())
        .unwrap();
    assert!(
        day.iter().any(|l| l.client == "Priya N."
            && l.session.starts_at.format("%H:%M").to_string() == "10:30")
    );
}
