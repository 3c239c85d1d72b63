#![allow(clippy::unwrap_used, clippy::panic)]
//! The working relationship in the app: the Practice screen (profile, Q&A, consultations), goals
//! and their rating screen, the boundary log, the handout, the review and the discharge flow —
//! snapshots and state tests driven with keys, no terminal.

mod tui_common;

use tui_common::{clock, demo_app, keys, press, screen};

use caseload::config::Config;
use caseload::domain::client::{ClientInput, ClientStatus};
use caseload::domain::signals::ReviewChoice;
use caseload::store::Store;
use caseload::tui::App;
use ratatui::crossterm::event::KeyCode;

/// One client, "Maria Lopez", active since March.
fn one_client_app() -> App {
    let mut store = Store::open_in_memory().unwrap();
    let c = clock();
    let f = ClientInput {
        name: "Maria Lopez".into(),
        intake_date: "2026-03-02".into(),
        ..Default::default()
    }
    .validate(c.today())
    .unwrap();
    store.add_client(&f, c.now_utc()).unwrap();
    App::new(store, Config::default(), c, true).unwrap()
}

#[test]
fn practice_screen_shows_profile_qa_and_consultations() {
    let mut app = demo_app(20);
    keys(&mut app, "5");
    insta::assert_snapshot!(screen(&mut app, 140, 36));
}

#[test]
fn qa_add_move_and_remove_from_the_keyboard() {
    let mut app = one_client_app();
    keys(&mut app, "5");
    assert_eq!(app.store.qa_items().unwrap().len(), 8);
    keys(&mut app, "a");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.store.qa_items().unwrap().len(),
        8,
        "an empty question is refused"
    );
    assert!(screen(&mut app, 120, 30).contains("is required"));
    keys(&mut app, "Is there parking?");
    press(&mut app, KeyCode::Tab);
    keys(&mut app, "Yes, behind the building.");
    press(&mut app, KeyCode::Enter);
    let qa = app.store.qa_items().unwrap();
    assert_eq!(qa.len(), 9);
    assert_eq!(qa[8].question, "Is there parking?");
    assert_eq!(app.profile_view.selected, 8);
    keys(&mut app, "K");
    assert_eq!(
        app.store.qa_items().unwrap()[7].question,
        "Is there parking?"
    );
    keys(&mut app, "x");
    keys(&mut app, "n");
    assert_eq!(app.store.qa_items().unwrap().len(), 9, "n keeps it");
    keys(&mut app, "xy");
    let qa = app.store.qa_items().unwrap();
    assert_eq!(qa.len(), 8);
    assert!(qa.iter().all(|q| q.question != "Is there parking?"));
    // Globals still work on the Practice screen.
    keys(&mut app, "1");
    assert_eq!(app.screen, caseload::tui::action::ScreenId::Today);
}

#[test]
fn profile_and_consultation_from_the_practice_screen() {
    let mut app = one_client_app();
    keys(&mut app, "5p");
    keys(&mut app, "Harbour Counselling");
    for _ in 0..5 {
        press(&mut app, KeyCode::Tab);
    }
    keys(&mut app, "text, fax");
    press(&mut app, KeyCode::Enter);
    assert!(screen(&mut app, 120, 30).contains("“fax” is not one of"));
    for _ in 0..3 {
        press(&mut app, KeyCode::Backspace);
    }
    keys(&mut app, "email");
    press(&mut app, KeyCode::Enter);
    let p = app.store.practice_profile().unwrap();
    assert_eq!(p.practice_name, "Harbour Counselling");
    assert_eq!(p.contact_channels.len(), 2);
    keys(&mut app, "c");
    keys(&mut app, "Dr Ada Quinn");
    press(&mut app, KeyCode::Tab);
    keys(&mut app, "Endings");
    press(&mut app, KeyCode::Enter);
    let k = app.store.consults(None).unwrap();
    assert_eq!(k.len(), 1);
    assert_eq!(k[0].client_id, None);
    assert!(screen(&mut app, 140, 36).contains("Dr Ada Quinn — Endings"));
}

#[test]
fn goals_added_and_rated_then_charted() {
    let mut app = one_client_app();
    keys(&mut app, "2o");
    assert!(screen(&mut app, 110, 30).contains("No goals yet"));
    keys(&mut app, "a");
    keys(&mut app, "Sleep through most nights");
    press(&mut app, KeyCode::Tab);
    keys(&mut app, "2026-09-01");
    press(&mut app, KeyCode::Enter);
    keys(&mut app, "a");
    keys(&mut app, "Walk to work");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.store.goals(1).unwrap().len(), 2);
    // One screen, number keys: 4 for the first goal, x (10) for the second.
    keys(&mut app, "r");
    assert!(screen(&mut app, 110, 30).contains("How far along is each goal"));
    keys(&mut app, "4x");
    let goals = app.store.goals(1).unwrap();
    assert_eq!(goals[0].ratings[0].rating, 4);
    assert_eq!(goals[1].ratings[0].rating, 10);
    // Skip one, rate the other, Enter saves what was given.
    keys(&mut app, "rs7");
    let goals = app.store.goals(1).unwrap();
    assert_eq!(goals[0].ratings.len(), 1);
    assert_eq!(goals[1].ratings[1].rating, 7);
    keys(&mut app, "A");
    assert_eq!(app.store.goals(1).unwrap()[0].status.as_str(), "achieved");
    let s = screen(&mut app, 110, 30);
    // Every rating is from one day: the axis names that day once, not "from 23 Nov to 23 Nov".
    assert_eq!(
        s.matches("23 Nov 2026").count(),
        2,
        "the header and the axis: {s}"
    );
    insta::assert_snapshot!(s);
}

#[test]
fn boundary_logged_from_the_client() {
    let mut app = one_client_app();
    keys(&mut app, "2b");
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    keys(&mut app, "came to the door");
    press(&mut app, KeyCode::Enter);
    let log = app.store.boundaries(1).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].kind.as_str(), "unplanned_contact");
    assert_eq!(log[0].note.as_deref(), Some("came to the door"));
    assert_eq!(log[0].occurred_on, clock().today());
}

#[test]
fn handout_viewed_and_marked_given() {
    let mut app = one_client_app();
    keys(&mut app, "2H");
    let s = screen(&mut app, 110, 34);
    assert!(s.contains("Handout not given yet"), "{s}");
    assert!(s.contains("Working together"), "{s}");
    keys(&mut app, "m");
    assert!(app.store.last_handout(1).unwrap().is_some());
    keys(&mut app, "H");
    assert!(screen(&mut app, 110, 34).contains("up to date"));
    press(&mut app, KeyCode::Esc);
    // A change to the Q&A: the client's handout is out of date.
    keys(&mut app, "5a");
    keys(&mut app, "Q?");
    press(&mut app, KeyCode::Tab);
    keys(&mut app, "A.");
    press(&mut app, KeyCode::Enter);
    keys(&mut app, "2H");
    assert!(screen(&mut app, 110, 34).contains("handout out of date"));
}

#[test]
fn review_from_today_and_the_choice_recorded() {
    let mut app = demo_app(40);
    // The demo's client with three recent boundary incidents is on Today's list.
    assert!(
        app.today
            .attention
            .iter()
            .any(|i| i.line().starts_with("Review · ")),
        "a review item is on Today's list"
    );
    // Go to the client from the needs-attention list and review.
    press(&mut app, KeyCode::Right);
    let items: Vec<String> = app.today.attention.iter().map(|i| i.line()).collect();
    let at = items
        .iter()
        .position(|l| l.starts_with("Review") && l.contains("boundary incidents"))
        .unwrap();
    let id = match &app.today.attention[at] {
        caseload::domain::attention::AttentionItem::ReviewSignal { client_id, .. } => *client_id,
        other => panic!("{other:?}"),
    };
    for _ in 0..at {
        keys(&mut app, "j");
    }
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 140, 36);
    assert!(
        s.contains("boundary incidents in the last 90 days"),
        "the Overview shows the signal:\n{s}"
    );
    keys(&mut app, "R");
    let s = screen(&mut app, 140, 36);
    assert!(s.contains("boundary incidents in the last 90 days"), "{s}");
    keys(&mut app, "1");
    // The choice asks what was decided; for next session the note is needed.
    let s = screen(&mut app, 140, 36);
    assert!(s.contains("What was decided"), "{s}");
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 140, 36);
    assert!(
        s.contains("is needed: what to bring up next session"),
        "{s}"
    );
    assert!(
        app.store.reviews(id).unwrap().is_empty(),
        "nothing recorded yet"
    );
    keys(&mut app, "Revisit the plan for texts after hours");
    press(&mut app, KeyCode::Enter);
    let r = app.store.reviews(id).unwrap();
    assert_eq!(r[0].choice, ReviewChoice::NoteForNextSession);
    assert_eq!(
        r[0].note.as_deref(),
        Some("Revisit the plan for texts after hours")
    );
    // Reviewed: the Overview stops showing the signal (until new evidence arrives).
    let s = screen(&mut app, 140, 36);
    assert!(
        !s.contains("boundary incidents in the last 90 days"),
        "reviewed, so quiet:\n{s}"
    );
    // Reviewed: it leaves Today's list.
    keys(&mut app, "1");
    assert!(!app.today.attention.iter().any(|i| matches!(
        i,
        caseload::domain::attention::AttentionItem::ReviewSignal { client_id, .. } if *client_id == id
    )));
}

#[test]
fn reconsidering_the_model_in_a_review_opens_the_needs_assessment() {
    let mut app = demo_app(40);
    press(&mut app, KeyCode::Right);
    let at = app
        .today
        .attention
        .iter()
        .position(|i| i.line().starts_with("Review · "))
        .unwrap();
    let id = app.today.attention[at].client_id();
    for _ in 0..at {
        keys(&mut app, "j");
    }
    press(&mut app, KeyCode::Enter);
    keys(&mut app, "R2");
    press(&mut app, KeyCode::Enter); // no note: it is optional here
    assert_eq!(
        app.store.reviews(id).unwrap()[0].choice,
        ReviewChoice::ReconsiderEngagementModel
    );
    // The questionnaire is for the client's eyes: it takes the whole screen, and the word to
    // the practitioner waits on the message line beneath it.
    let s = screen(&mut app, 140, 36);
    let said = app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(
        said.contains("Go through the needs assessment with"),
        "{said}"
    );
    assert!(!s.contains("Needs attention"), "{s}");
    match app.popups.top::<caseload::tui::dialogs::Runner>() {
        Some(r) => {
            assert_eq!(r.client_id, id);
            assert_eq!(r.instrument.key, "engagement");
        }
        None => panic!("the needs assessment is open"),
    }
    // Reviewed: the client leaves Today's list at once.
    assert!(!app.today.attention.iter().any(|i| matches!(
        i,
        caseload::domain::attention::AttentionItem::ReviewSignal { client_id, .. } if *client_id == id
    )));
}

#[test]
fn discharge_confirmation_lists_the_sessions_to_cancel() {
    let mut app = demo_app(12);
    keys(&mut app, "2");
    let c = app.clients.selected_client().unwrap().clone();
    assert_eq!(c.status, ClientStatus::Active);
    keys(&mut app, "D4");
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 120, 34);
    assert!(s.contains("No referral."), "{s}");
    // Siobhan Vega has two sessions booked after today in the demo of 12 clients.
    assert!(s.contains("Siobhan Vega"), "{s}");
    assert!(
        s.contains("These 2 future sessions will be cancelled"),
        "{s}"
    );
    insta::assert_snapshot!(s);
    keys(&mut app, "n");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert_eq!(
        app.store.client(c.id).unwrap().status,
        ClientStatus::Active,
        "nothing changed"
    );
}

#[test]
fn a_needs_attention_line_too_long_for_the_pane_is_shown_in_full_when_selected() {
    let mut app = demo_app(40);
    let first = app.today.attention[0].line();
    assert!(
        first.len() > 60,
        "the demo's first item is a long alert: {first}"
    );
    let cut = screen(&mut app, 120, 40);
    let tail = "next contact";
    assert!(first.contains(tail), "{first}");
    assert!(!cut.contains(tail), "{cut}");
    press(&mut app, KeyCode::Right);
    let s = screen(&mut app, 120, 40);
    assert!(s.contains(tail), "{s}");
    // An item that fits needs no second look.
    let fits = app
        .today
        .attention
        .iter()
        .position(|i| i.line().chars().count() < 40)
        .unwrap();
    for _ in 0..fits {
        keys(&mut app, "j");
    }
    assert!(!screen(&mut app, 120, 40).contains(tail));
}

#[test]
fn long_profile_values_are_shown_whole_or_cut_with_a_mark() {
    let mut app = one_client_app();
    let mut p = app.store.practice_profile().unwrap();
    p.practice_name = "Harbour Counselling".into();
    p.phone = "+44 20 7946 0958 (mobile, texts welcome)".into();
    p.email = "hello@harbour-counselling-and-psychotherapy.example".into();
    p.address =
        "Flat 3, The Old Sail Loft, 14–16 Harbour Street, Whitstable, Kent CT5 1AQ, United Kingdom"
            .into();
    app.store.set_practice_profile(&p).unwrap();
    keys(&mut app, "5");
    // Half of 100 columns: phone and email each get a row, and what does not fit is cut with
    // a mark; the rows after them are still there.
    let s = screen(&mut app, 100, 30);
    let row = |s: &str, label: &str| -> String {
        s.lines()
            .find(|l| l.contains(&format!("│ {label} ")))
            .unwrap_or_else(|| panic!("no {label} row: {s}"))
            .to_string()
    };
    assert!(
        row(&s, "Phone").contains("+44 20 7946 0958 (mobile, tex…│"),
        "{s}"
    );
    assert!(
        row(&s, "Email").contains("hello@harbour-counselling-and…│"),
        "{s}"
    );
    assert!(
        row(&s, "Address").contains("Flat 3, The Old Sail Loft, 14…│"),
        "{s}"
    );
    assert!(s.contains("Emergency"), "{s}");
    // Wider, each is whole on its own row.
    let wide = screen(&mut app, 180, 36);
    assert!(
        row(&wide, "Phone").contains("+44 20 7946 0958 (mobile, texts welcome) "),
        "{wide}"
    );
    assert!(
        row(&wide, "Email").contains("hello@harbour-counselling-and-psychotherapy.example "),
        "{wide}"
    );
    // Short enough, they share a line as before.
    p.email = "hello@harbour.example".into();
    p.phone = "01227 555 0100".into();
    app.store.set_practice_profile(&p).unwrap();
    keys(&mut app, "1");
    keys(&mut app, "5");
    let s = screen(&mut app, 140, 36);
    assert!(
        row(&s, "Phone · email").contains("01227 555 0100 · hello@harbour.example"),
        "{s}"
    );
}
