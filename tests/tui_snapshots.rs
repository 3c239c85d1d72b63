#![allow(clippy::unwrap_used, clippy::panic)]
//! Snapshots of what had none: the client tabs past Sessions, the booking form, the handout
//! viewer and the review, boundary and alert-review dialogs, each at 120×40 and 80×24 (the
//! forms also at 60×16), and the header in privacy mode. The clock is fixed in local time,
//! so these are the same in every time zone (CI runs them under Pacific/Auckland too).

mod tui_common;

use caseload::tui::App;
use caseload::tui::dialogs::{AlertReview, BookingForm, DocumentView, FormDialog, ReviewDialog};
use caseload::tui::keymap::Context;
use caseload::tui::screens::client::Tab;
use ratatui::crossterm::event::KeyCode;
use tui_common::{demo_app, press, screen};

const SIZES: [(u16, u16); 2] = [(120, 40), (80, 24)];

fn key(app: &mut App, c: char) {
    press(app, KeyCode::Char(c));
}

/// Opens the client of the first session on Today.
fn open_todays_client(app: &mut App) -> i64 {
    let id = app
        .today
        .rows
        .first()
        .expect("a session today")
        .session
        .client_id;
    app.open_client(id);
    assert!(app.client_view.is_some());
    id
}

/// Each size's screen, snapshotted as `name_WxH`; returns them for further checks.
fn snap_sizes(app: &mut App, name: &str, sizes: &[(u16, u16)]) -> Vec<String> {
    sizes
        .iter()
        .map(|&(w, h)| {
            let s = screen(app, w, h);
            insta::assert_snapshot!(format!("{name}_{w}x{h}"), s);
            s
        })
        .collect()
}

fn to_tab(app: &mut App, tab: Tab) {
    while app.client_view.as_ref().unwrap().tab != tab {
        key(app, ']');
    }
}

#[test]
fn notes_tab() {
    let mut app = demo_app(30);
    open_todays_client(&mut app);
    to_tab(&mut app, Tab::Notes);
    assert_eq!(app.context(), Context::ClientNotes);
    for s in snap_sizes(&mut app, "notes_tab", &SIZES) {
        assert!(s.contains("Notes"), "{s}");
    }
}

#[test]
fn assessments_tab() {
    let mut app = demo_app(30);
    let id = open_todays_client(&mut app);
    let now = tui_common::clock().now_utc();
    let w = app.catalog.get("wellbeing").unwrap().clone();
    let day = |s: &str| caseload::domain::time::parse_date(s).unwrap();
    app.store
        .record_assessment(id, &w, &[2, 3, 2, 3, 2, 2], day("2026-09-01"), now)
        .unwrap();
    app.store
        .record_assessment(id, &w, &[1, 1, 1, 2, 1, 1], day("2026-11-16"), now)
        .unwrap();
    app.refresh().unwrap();
    to_tab(&mut app, Tab::Assessments);
    assert_eq!(app.context(), Context::ClientAssessments);
    for s in snap_sizes(&mut app, "assessments_tab", &SIZES) {
        assert!(s.contains("Wellbeing check"), "{s}");
        assert!(s.contains("1 Sep 2026") || s.contains("Sep"), "{s}");
    }
}

#[test]
fn goals_tab() {
    let mut app = demo_app(30);
    open_todays_client(&mut app);
    to_tab(&mut app, Tab::Goals);
    assert_eq!(app.context(), Context::ClientGoals);
    snap_sizes(&mut app, "goals_tab", &SIZES);
}

#[test]
fn boundaries_tab() {
    let mut app = demo_app(30);
    open_todays_client(&mut app);
    to_tab(&mut app, Tab::Boundaries);
    assert_eq!(app.context(), Context::ClientBoundaries);
    snap_sizes(&mut app, "boundaries_tab", &SIZES);
}

#[test]
fn history_tab() {
    let mut app = demo_app(30);
    open_todays_client(&mut app);
    to_tab(&mut app, Tab::History);
    assert_eq!(app.context(), Context::ClientHistory);
    for s in snap_sizes(&mut app, "history_tab", &SIZES) {
        assert!(s.contains("History · newest first"), "{s}");
        assert!(s.contains("16 Nov 2026 12:50  Note signed"), "{s}");
    }
}

#[test]
fn booking_form() {
    let mut app = demo_app(30);
    open_todays_client(&mut app);
    key(&mut app, 's');
    assert!(app.popups.top_is::<BookingForm>());
    snap_sizes(&mut app, "booking_form", &[(120, 40), (80, 24), (60, 16)]);
}

#[test]
fn handout_viewer() {
    let mut app = demo_app(30);
    open_todays_client(&mut app);
    key(&mut app, 'H');
    assert!(
        app.popups.top_is::<DocumentView>(),
        "H opens the handout: {:?}",
        app.message
    );
    snap_sizes(&mut app, "handout_viewer", &SIZES);
}

#[test]
fn boundary_dialog() {
    let mut app = demo_app(30);
    open_todays_client(&mut app);
    key(&mut app, 'b');
    assert!(app.popups.top_is::<FormDialog>());
    snap_sizes(
        &mut app,
        "boundary_dialog",
        &[(120, 40), (80, 24), (60, 16)],
    );
}

#[test]
fn review_dialog() {
    let mut app = demo_app(30);
    open_todays_client(&mut app);
    key(&mut app, 'R');
    assert!(
        app.popups.top_is::<ReviewDialog>(),
        "R opens the review: {:?}",
        app.message
    );
    snap_sizes(&mut app, "review_dialog", &SIZES);
}

#[test]
fn alert_review_dialog() {
    let mut app = demo_app(60);
    let alert = app
        .store
        .open_alerts(None)
        .unwrap()
        .into_iter()
        .next()
        .expect("the demo has open alerts");
    app.open_client(alert.client_id);
    key(&mut app, 'r');
    assert!(app.popups.top_is::<AlertReview>());
    snap_sizes(
        &mut app,
        "alert_review_dialog",
        &[(120, 40), (80, 24), (60, 16)],
    );
}

#[test]
fn the_header_in_privacy_mode_keeps_every_tab_and_the_date() {
    let mut app = demo_app(30);
    app.toggle_privacy();
    assert!(app.privacy);
    for (w, h) in [(120, 40), (100, 36), (80, 24)] {
        let s = screen(&mut app, w, h);
        let head = s.lines().next().unwrap();
        // From 80 columns down the tabs shorten; each keeps its number and first letters.
        for tab in ["1 Tod", "2 Cli", "3 Age", "4 Rep", "5 Pra"] {
            assert!(head.contains(tab), "{tab} missing at {w}x{h}: {head}");
        }
        assert!(head.contains("Mon 23 Nov 2026  privacy"), "{w}x{h}: {head}");
    }
}
