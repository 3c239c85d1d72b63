#![allow(clippy::unwrap_used, clippy::panic)]
//! The note editor, driven by keys on a TestBackend with a fixed clock.

use caseload::clock::Clock;
use caseload::config::Config;
use caseload::domain::client::ClientInput;
use caseload::domain::note::{NoteBody, NoteState, NoteTemplate};
use caseload::domain::time::parse_local;
use caseload::store::Store;
use caseload::tui::App;
use caseload::tui::keymap::Context;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const NOW: &str = "2026-11-23 12:00";

fn clock() -> Clock {
    Clock::fixed(parse_local(NOW).unwrap())
}

/// Maria with an attended session this morning; returns the store and the session id.
fn practice() -> (Store, i64) {
    let mut s = Store::open_in_memory().unwrap();
    let input = ClientInput {
        name: "Maria Lopez".into(),
        intake_date: "2026-01-05".into(),
        ..Default::default()
    };
    let c = s
        .add_client(&input.validate(clock().today()).unwrap(), clock().now_utc())
        .unwrap();
    let id = s
        .write(|tx| {
            tx.execute(
                "INSERT INTO sessions (client_id, starts_at, minutes, modality, status, created_at, updated_at)
                 VALUES (?1, '2026-11-23T09:00', 50, 'in_person', 'attended', 'x', 'x')",
                [c.id],
            )?;
            Ok(tx.last_insert_rowid())
        })
        .unwrap();
    (s, id)
}

fn app(store: Store) -> App {
    App::new(store, Config::default(), clock(), true).unwrap()
}

fn key(app: &mut App, code: KeyCode, mods: KeyModifiers) {
    app.handle_key(KeyEvent::new(code, mods));
}

fn press(app: &mut App, code: KeyCode) {
    key(app, code, KeyModifiers::NONE);
}

fn ctrl(app: &mut App, c: char) {
    key(app, KeyCode::Char(c), KeyModifiers::CONTROL);
}

fn typ(app: &mut App, text: &str) {
    for c in text.chars() {
        match c {
            '\n' => press(app, KeyCode::Enter),
            c => press(app, KeyCode::Char(c)),
        }
    }
}

fn draw(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| app.draw(f)).unwrap();
    t
}

#[test]
fn writing_a_note_from_today_saves_as_you_type_and_on_leaving() {
    let (store, session) = practice();
    let mut app = app(store);
    assert_eq!(app.today.selected_session_id(), Some(session));
    press(&mut app, KeyCode::Char('e'));
    assert_eq!(app.context(), Context::NoteEditor);
    typ(&mut app, "Slept better th"); // 15 keys: not yet saved
    assert!(app.store.note_for_session(session).unwrap().is_none());
    typ(&mut app, "is week."); // the 20th key saves the draft
    let n = app.store.note_for_session(session).unwrap().unwrap();
    assert_eq!(n.state, NoteState::Draft);
    assert_eq!(n.template, NoteTemplate::Soap);
    assert!(n.sections.section(0).starts_with("Slept better this w"));
    // Leaving a section saves it.
    press(&mut app, KeyCode::Tab);
    let n = app.store.note(n.id).unwrap();
    assert_eq!(n.sections.section(0), "Slept better this week.");
    typ(&mut app, "Calm, engaged.");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "Improving.\nSleep diary helps.");
    let t = draw(&mut app, 100, 24);
    insta::assert_snapshot!(t.backend());
    // Leaving the editor saves what is left.
    press(&mut app, KeyCode::Esc);
    assert!(app.note_editor.is_none());
    let n = app.store.note(n.id).unwrap();
    assert_eq!(
        n.sections.sections(),
        [
            "Slept better this week.",
            "Calm, engaged.",
            "Improving.\nSleep diary helps.",
            ""
        ]
    );
    // Today's note column shows the draft.
    assert_eq!(app.today.note_state.get(&session).unwrap(), "note draft");
}

#[test]
fn ctrl_c_saves_the_draft_before_quitting() {
    let (store, session) = practice();
    let mut app = app(store);
    app.open_note_for_session(session);
    typ(&mut app, "Short.");
    ctrl(&mut app, 'c');
    assert!(app.quit);
    let n = app.store.note_for_session(session).unwrap().unwrap();
    assert_eq!(n.sections.section(0), "Short.");
}

#[test]
fn signing_asks_first_then_the_note_is_read_only_and_takes_addenda() {
    let (store, session) = practice();
    let mut app = app(store);
    app.open_note_for_session(session);
    ctrl(&mut app, 't'); // an empty note may change template: DAP
    typ(&mut app, "Talked about work.");
    ctrl(&mut app, 'o');
    let t = draw(&mut app, 100, 20);
    let screen = format!("{:?}", t.backend());
    assert!(
        screen.contains("Signing makes this note final; corrections become addenda."),
        "{screen}"
    );
    // "No" keeps writing; nothing is signed.
    press(&mut app, KeyCode::Char('n'));
    let n = app.store.note_for_session(session).unwrap().unwrap();
    assert_eq!(n.template, NoteTemplate::Dap);
    assert!(n.signed_at.is_none());
    ctrl(&mut app, 'o');
    press(&mut app, KeyCode::Char('y'));
    let n = app.store.note(n.id).unwrap();
    assert!(n.signed_at.is_some());
    assert_eq!(app.context(), Context::NoteView);
    // Typing no longer changes the note.
    typ(&mut app, "xyz");
    assert_eq!(app.store.note(n.id).unwrap().sections, n.sections);
    // An addendum: `a`, write, Ctrl-S.
    press(&mut app, KeyCode::Char('a'));
    assert_eq!(app.context(), Context::NoteAddendum);
    typ(&mut app, "Client phoned: start date moved.");
    ctrl(&mut app, 's');
    let n = app.store.note(n.id).unwrap();
    assert_eq!(n.addenda.len(), 1);
    assert_eq!(n.addenda[0].text, "Client phoned: start date moved.");
    assert_eq!(app.context(), Context::NoteView);
    let t = draw(&mut app, 100, 24);
    insta::assert_snapshot!("signed_note_with_an_addendum", t.backend());
    // Esc on an addendum with text asks before discarding it.
    press(&mut app, KeyCode::Char('a'));
    typ(&mut app, "half a thought");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Context::Confirm);
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(app.context(), Context::NoteView);
    assert_eq!(app.store.note(n.id).unwrap().addenda.len(), 1);
    press(&mut app, KeyCode::Esc);
    assert!(app.note_editor.is_none());
    assert_eq!(app.today.note_state.get(&session).unwrap(), "note signed");
}

#[test]
fn an_existing_draft_reopens_with_its_text() {
    let (mut store, session) = practice();
    let body = NoteBody::from_sections(NoteTemplate::Birp, &["Quiet.", "Grounding."]);
    store
        .add_session_note(session, &body, clock().now_utc())
        .unwrap();
    let mut app = app(store);
    press(&mut app, KeyCode::Char('e'));
    let ed = app.note_editor.as_ref().unwrap();
    assert_eq!(ed.template, NoteTemplate::Birp);
    assert_eq!(ed.body(), body);
    assert!(!ed.is_dirty());
    // Opening and closing without typing writes nothing new.
    let before = app.store.note_for_session(session).unwrap().unwrap();
    press(&mut app, KeyCode::Esc);
    assert_eq!(
        app.store.note_for_session(session).unwrap().unwrap(),
        before
    );
}
