#![allow(clippy::unwrap_used, clippy::panic)]
//! A practice opened read-only, in the app: the screen says so, and every key that would change
//! the file answers with a plain message, opens nothing and changes nothing.

use caseload::clock::Clock;
use caseload::config::Config;
use caseload::domain::client::ClientInput;
use caseload::domain::schedule::Repeat;
use caseload::domain::session::Modality;
use caseload::domain::time::parse_local;
use caseload::store::Store;
use caseload::store::session::BookingRequest;
use caseload::tui::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn clock() -> Clock {
    Clock::fixed(parse_local("2026-11-23 08:20").unwrap())
}

/// A practice file with Tom and his 10:00 session today, then opened read-only.
fn read_only_app(dir: &std::path::Path) -> (App, std::path::PathBuf) {
    let db = dir.join("practice.db");
    let mut s = Store::open(&db).unwrap();
    let input = ClientInput {
        name: "Tom Berg".into(),
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
    s.book(&req, false, clock().now_utc()).unwrap();
    drop(s);
    let store = Store::open_read_only(&db, None).unwrap();
    assert!(store.read_only());
    (
        App::new(store, Config::default(), clock(), true).unwrap(),
        db,
    )
}

fn screen(app: &mut App) -> String {
    let mut t = Terminal::new(TestBackend::new(100, 20)).unwrap();
    t.draw(|f| app.draw(f)).unwrap();
    let buf = t.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

fn press(app: &mut App, c: KeyCode) {
    app.handle_key(KeyEvent::new(c, KeyModifiers::NONE));
}

const SAID: &str = "The practice file is read-only: changes can't be saved, so nothing was changed. You can still look at everything, export it or back it up elsewhere.";

#[test]
fn the_screen_says_read_only_and_writing_keys_answer_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, db) = read_only_app(dir.path());
    let before = std::fs::read(&db).unwrap();
    let shown = screen(&mut app);
    assert!(
        shown.contains("read-only: changes can't be saved"),
        "{shown}"
    );
    assert!(
        shown.contains("Tom B."),
        "Today still shows the day: {shown}"
    );
    // Today: mark attended (a), cancel (c), book (b), write a note (e).
    for k in ['a', 'c', 'b', 'e'] {
        press(&mut app, KeyCode::Char(k));
        assert!(app.popups.is_empty(), "{k} opened nothing");
        assert!(app.note_editor.is_none(), "{k} opened no editor");
        assert_eq!(
            app.message.as_ref().map(|m| m.text.as_str()),
            Some(SAID),
            "{k}"
        );
        assert!(screen(&mut app).contains("read-only: changes can't be saved"));
    }
    // Clients: add a client (a).
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('a'));
    assert!(app.popups.is_empty(), "no client form");
    assert_eq!(app.message.as_ref().map(|m| m.text.as_str()), Some(SAID));
    // Moving about still works, and the message gives way to the standing notice.
    press(&mut app, KeyCode::Char('1'));
    assert!(app.message.is_none());
    assert!(screen(&mut app).contains(" read-only: changes can't be saved"));
    let s = app.store.session(1).unwrap();
    assert_eq!(s.status.as_str(), "scheduled");
    drop(app);
    assert_eq!(std::fs::read(&db).unwrap(), before, "the file is unchanged");
}

#[test]
fn a_writable_practice_shows_no_notice() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("practice.db");
    let store = Store::open(&db).unwrap();
    let mut app = App::new(store, Config::default(), clock(), true).unwrap();
    assert!(!screen(&mut app).contains("read-only"));
}
