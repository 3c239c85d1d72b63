#![allow(clippy::unwrap_used, clippy::panic)]
//! Dialogs on a small terminal (60×16): what doesn't fit scrolls, and the frame shows where
//! the view is; nothing is cut silently.

use caseload::clock::Clock;
use caseload::config::Config;
use caseload::domain::cancellation::PracticeSettings;
use caseload::domain::client::{ClientInput, Telehealth};
use caseload::domain::schedule::Repeat;
use caseload::domain::session::Modality;
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

/// Tom Berg (phone, consent to both) at 10:00 today, in person.
fn app() -> App {
    let mut s = Store::open_in_memory().unwrap();
    let input = ClientInput {
        name: "Tom Berg".into(),
        phone: "555-0101".into(),
        telehealth_consent: Telehealth::Both,
        telehealth_consent_date: "2026-03-12".into(),
        intake_date: "2026-01-05".into(),
        ..Default::default()
    };
    let f = input.validate(clock().today()).unwrap();
    let tom = s.add_client(&f, clock().now_utc()).unwrap().id;
    let req = BookingRequest {
        client_id: tom,
        starts_at: parse_local("2026-11-23 10:00").unwrap(),
        minutes: 50,
        modality: Modality::InPerson,
        repeat: Repeat::Once,
    };
    assert!(matches!(
        s.book(&req, false, clock().now_utc()).unwrap(),
        BookOutcome::Booked(_)
    ));
    s.set_practice_settings(&PracticeSettings {
        video_link: "https://meet.example/harbour".into(),
        ..Default::default()
    })
    .unwrap();
    App::new(s, Config::default(), clock(), true).unwrap()
}

fn draw(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| app.draw(f)).unwrap();
    t
}

fn text(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn press(app: &mut App, c: KeyCode) {
    app.handle_key(KeyEvent::new(c, KeyModifiers::NONE));
}

#[test]
fn the_cancellation_offer_at_60_by_16_scrolls_to_reschedule_and_x() {
    let mut app = app();
    press(&mut app, KeyCode::Char('c'));
    press(&mut app, KeyCode::Char('2'));
    let t = draw(&mut app, 60, 16);
    insta::assert_snapshot!("cancel_offer_60x16_top", t.backend());
    let s = text(&t);
    assert!(s.contains("Phone session at 10:00"), "{s}");
    assert!(
        s.contains("↓ rows 1–"),
        "the frame says there is more:\n{s}"
    );
    // ↓ moves to each option, then on past the last to what follows.
    for _ in 0..2 {
        press(&mut app, KeyCode::Down);
    }
    let s = text(&draw(&mut app, 60, 16));
    assert!(
        s.contains("▶ 3  Reschedule"),
        "the selected option in view:\n{s}"
    );
    for _ in 0..10 {
        press(&mut app, KeyCode::Down);
    }
    let t = draw(&mut app, 60, 16);
    insta::assert_snapshot!("cancel_offer_60x16_end", t.backend());
    let s = text(&t);
    assert!(s.contains("x  Record the cancellation"), "{s}");
    assert!(s.contains("↑ rows"), "at the end:\n{s}");
    // PgUp goes back; the selection stays on Reschedule.
    press(&mut app, KeyCode::PageUp);
    press(&mut app, KeyCode::PageUp);
    let s = text(&draw(&mut app, 60, 16));
    assert!(s.contains("▶ 3  Reschedule"), "{s}");
    // x still records from anywhere in the dialog.
    press(&mut app, KeyCode::Char('x'));
    let s = text(&draw(&mut app, 60, 16));
    assert!(!s.contains("Phone session at 10:00"), "{s}");
}

fn typ(app: &mut App, s: &str) {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// Every dialog that can open here, drawn at 60×16: its end is on screen, or the frame says
/// which part is (a scroll position), never cut without a word.
#[test]
fn every_dialog_at_60_by_16_fits_or_shows_where_it_is() {
    let check = |app: &mut App, what: &str, end: &str| {
        let s = text(&draw(app, 60, 16));
        assert!(
            s.contains(end) || s.contains(" rows ") || s.contains(" fields "),
            "{what}: neither its end ({end}) nor a scroll position:\n{s}"
        );
    };
    // The booking form.
    let mut app = app();
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('a'));
    typ(&mut app, "tom");
    press(&mut app, KeyCode::Enter);
    let s = text(&draw(&mut app, 60, 16));
    assert!(s.contains("↓ fields 1–"), "{s}");
    press(&mut app, KeyCode::Esc);
    // Go to a date.
    press(&mut app, KeyCode::Char('g'));
    check(&mut app, "go to a date", "Date:");
    press(&mut app, KeyCode::Esc);
    // The client form.
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('a'));
    let s = text(&draw(&mut app, 60, 16));
    assert!(s.contains("↓ fields 1–"), "{s}");
    press(&mut app, KeyCode::Esc);
    // The client: boundary form, review, ending care.
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('b'));
    check(&mut app, "boundary form", "Note");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('R'));
    check(&mut app, "review", "Start a discharge");
    press(&mut app, KeyCode::Char('1'));
    check(&mut app, "review note", "What was decided");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('D'));
    check(&mut app, "why care ends", "6  ");
    press(&mut app, KeyCode::Char('1'));
    check(&mut app, "ending care form", "Closing note");
    press(&mut app, KeyCode::Enter);
    let s = text(&draw(&mut app, 60, 16));
    assert!(s.contains("will be cancelled"), "{s}");
    check(&mut app, "end care", "reopened later");
}
