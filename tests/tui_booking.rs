#![allow(clippy::unwrap_used, clippy::panic)]
//! The booking form from the keyboard: typing replaces a pre-filled value, Ctrl-U clears, days
//! in words, and a clash that lists every clashing date and the nearest free times.

use caseload::clock::Clock;
use caseload::config::Config;
use caseload::domain::client::ClientInput;
use caseload::domain::schedule::Repeat;
use caseload::domain::session::Modality;
use caseload::domain::time::parse_local;
use caseload::store::Store;
use caseload::store::session::{BookOutcome, BookingRequest};
use caseload::tui::App;
use caseload::tui::dialogs::{BookingForm, ClashDialog};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A Monday.
const NOW: &str = "2026-11-23 09:30";

fn clock() -> Clock {
    Clock::fixed(parse_local(NOW).unwrap())
}

fn add_client(store: &mut Store, name: &str) -> i64 {
    let input = ClientInput {
        name: name.into(),
        intake_date: "2026-01-05".into(),
        ..Default::default()
    };
    let f = input.validate(clock().today()).unwrap();
    store.add_client(&f, clock().now_utc()).unwrap().id
}

/// Tom Berg on Mondays at 14:00 for three weeks from 30 November; Ada Quist new.
fn practice() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    let tom = add_client(&mut s, "Tom Berg");
    add_client(&mut s, "Ada Quist");
    let req = BookingRequest {
        client_id: tom,
        starts_at: parse_local("2026-11-30 14:00").unwrap(),
        minutes: 50,
        modality: Modality::Video,
        repeat: Repeat::weekly(3),
    };
    match s.book(&req, false, clock().now_utc()).unwrap() {
        BookOutcome::Booked(ids) => assert_eq!(ids.len(), 3),
        BookOutcome::Clash(c) => panic!("clash: {}", c.describe()),
    }
    s
}

fn app() -> App {
    App::new(practice(), Config::default(), clock(), true).unwrap()
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

fn ctrl(app: &mut App, c: char) {
    app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

fn typ(app: &mut App, s: &str) {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn form(app: &App) -> &BookingForm {
    app.popups.top::<BookingForm>().unwrap()
}

/// From the Agenda: `a`, the client, Enter: the booking form.
fn open_form(app: &mut App) {
    press(app, KeyCode::Char('3'));
    press(app, KeyCode::Char('a'));
    typ(app, "ada");
    press(app, KeyCode::Enter);
    assert!(app.popups.top_is::<BookingForm>());
}

#[test]
fn typing_replaces_a_prefilled_value_and_ctrl_u_clears_it() {
    let mut app = app();
    open_form(&mut app);
    assert_eq!(form(&app).form.text("date"), "2026-11-23");
    typ(&mut app, "2026-12-07");
    assert_eq!(
        form(&app).form.text("date"),
        "2026-12-07",
        "replaced, not appended"
    );
    // Once typing has begun, keys add to what is there.
    press(&mut app, KeyCode::Backspace);
    typ(&mut app, "8");
    assert_eq!(form(&app).form.text("date"), "2026-12-08");
    ctrl(&mut app, 'u');
    assert_eq!(form(&app).form.text("date"), "");
    typ(&mut app, "fri");
    press(&mut app, KeyCode::Tab);
    // Arriving at the time selects it: a Backspace edits it rather than replacing it.
    press(&mut app, KeyCode::Backspace);
    assert_eq!(form(&app).form.text("time"), "10:0");
    typ(&mut app, "0");
    let req = form(&app).request().unwrap();
    assert_eq!(req.starts_at.to_string(), "2026-11-27 10:00:00");
    for (typed, day) in [
        ("+7", "2026-11-30"),
        ("tomorrow", "2026-11-24"),
        ("today", "2026-11-23"),
        ("mon", "2026-11-23"),
        ("sun", "2026-11-29"),
        ("+2w", "2026-12-07"),
    ] {
        press(&mut app, KeyCode::BackTab);
        typ(&mut app, typed);
        let req = form(&app).request().unwrap();
        assert_eq!(req.starts_at.date().to_string(), day, "{typed}");
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::BackTab);
    typ(&mut app, "someday");
    press(&mut app, KeyCode::Enter);
    let t = draw(&mut app, 120, 30);
    assert!(
        text(&t)
            .contains("“someday” is not a day; type YYYY-MM-DD, today, tomorrow, a weekday or +7"),
        "{}",
        text(&t)
    );
    assert!(app.popups.top_is::<BookingForm>(), "nothing booked");
}

#[test]
fn a_weekly_series_with_a_clash_lists_every_date_and_offers_free_times() {
    let mut app = app();
    open_form(&mut app);
    typ(&mut app, "+7");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "14:00");
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::Right); // Weekly (6 sessions)
    press(&mut app, KeyCode::Enter);
    let d = app.popups.top::<ClashDialog>().unwrap();
    assert_eq!(d.clashes.len(), 3);
    let free: Vec<String> = d.free.iter().map(|t| t.to_string()).collect();
    assert_eq!(
        free,
        [
            "2026-11-30 12:30:00",
            "2026-11-30 13:00:00",
            "2026-11-30 15:00:00",
            "2026-11-30 15:30:00"
        ]
    );
    for (w, h) in [(120, 40), (80, 24), (60, 16)] {
        let t = draw(&mut app, w, h);
        insta::assert_snapshot!(format!("clash_weekly_{w}x{h}"), t.backend());
    }
    let s = text(&draw(&mut app, 120, 40));
    for line in [
        "3 of the series overlap a session already booked:",
        "Mon 30 Nov 2026 14:00  Tom Berg 14:00–14:50 (video)",
        "Mon 7 Dec 2026 14:00  Tom Berg 14:00–14:50 (video)",
        "Mon 14 Dec 2026 14:00  Tom Berg 14:00–14:50 (video)",
        "1  Mon 30 Nov 2026 12:30",
        "4  Mon 30 Nov 2026 15:30",
    ] {
        assert!(s.contains(line), "{line}:\n{s}");
    }
    // Privacy mode: the other client by initials.
    ctrl(&mut app, 'g');
    let s = text(&draw(&mut app, 120, 40));
    assert!(!s.contains("Tom Berg"), "{s}");
    assert!(
        s.contains("  Mon 30 Nov 2026 14:00  T.B. 14:00–14:50"),
        "{s}"
    );
    ctrl(&mut app, 'g');

    // n: back to the form, on the time, which typing replaces.
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(form(&app).form.focus, 1);
    typ(&mut app, "15:00");
    press(&mut app, KeyCode::Enter);
    assert!(app.popups.is_empty(), "booked at 15:00");
    let day = app
        .store
        .day_sessions(parse_local("2026-12-07 00:00").unwrap().date())
        .unwrap();
    let times: Vec<String> = day
        .iter()
        .map(|l| format!("{} {}", l.session.starts_at.format("%H:%M"), l.client))
        .collect();
    assert_eq!(times, ["14:00 Tom B.", "15:00 Ada Q."]);
}

#[test]
fn a_free_time_from_the_clash_box_books_the_series_there() {
    let mut app = app();
    open_form(&mut app);
    typ(&mut app, "+7");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "14:00");
    press(&mut app, KeyCode::Enter);
    let d = app.popups.top::<ClashDialog>().unwrap();
    assert_eq!(d.clashes.len(), 1);
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("It overlaps a session already booked:"), "{s}");
    press(&mut app, KeyCode::Char('2'));
    assert!(app.popups.is_empty());
    let day = app
        .store
        .day_sessions(parse_local("2026-11-30 00:00").unwrap().date())
        .unwrap();
    let times: Vec<String> = day
        .iter()
        .map(|l| format!("{} {}", l.session.starts_at.format("%H:%M"), l.client))
        .collect();
    assert_eq!(times, ["13:00 Ada Q.", "14:00 Tom B."]);
}
