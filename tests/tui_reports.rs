#![allow(clippy::unwrap_used, clippy::panic)]
//! The Reports screen, drawn on a TestBackend with a fixed clock: a normal month, an empty
//! month, a month with flagged clients, the twelve-month view, and Enter on a flagged client.

mod tui_common;

use tui_common::press;

use caseload::clock::Clock;
use caseload::config::Config;
use caseload::domain::time::{format_local, parse_local};
use caseload::store::Store;
use caseload::tui::App;
use caseload::tui::action::ScreenId;
use chrono::Duration;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

const NOW: &str = "2026-11-23 09:30";

fn clock() -> Clock {
    Clock::fixed(parse_local(NOW).unwrap())
}

struct Practice {
    store: Store,
    next: i64,
}

impl Practice {
    fn new() -> Practice {
        let store = Store::open_in_memory().unwrap();
        store
            .conn()
            .execute_batch(
                "INSERT INTO clients (id, name, preferred_name, intake_date, created_at, updated_at) VALUES
                   (1, 'Maria Lopez', NULL, '2025-01-06', '2025-01-06T00:00:00Z', '2025-01-06T00:00:00Z'),
                   (2, 'Tom Berg', NULL, '2025-01-06', '2025-01-06T00:00:00Z', '2025-01-06T00:00:00Z'),
                   (3, 'Ruth Morgan', NULL, '2025-01-06', '2025-01-06T00:00:00Z', '2025-01-06T00:00:00Z'),
                   (4, 'Oluwaseun Adeyemi', 'Olu', '2025-01-06', '2025-01-06T00:00:00Z', '2025-01-06T00:00:00Z');",
            )
            .unwrap();
        Practice { store, next: 1 }
    }

    fn session(&mut self, client: i64, at: &str, status: &str) -> i64 {
        let at = format_local(parse_local(at).unwrap());
        let id = self.next;
        self.next += 1;
        self.store
            .conn()
            .execute(
                "INSERT INTO sessions (id, client_id, starts_at, minutes, modality, status, created_at, updated_at)
                 VALUES (?1, ?2, ?3, 50, 'in_person', ?4, '2025-01-06T00:00:00Z', '2025-01-06T00:00:00Z')",
                (id, client, &at, status),
            )
            .unwrap();
        id
    }

    #[allow(clippy::too_many_arguments)]
    fn cancel(
        &mut self,
        client: i64,
        at: &str,
        status: &str,
        by: &str,
        reason: &str,
        outcome: &str,
        notice: f64,
    ) {
        let at = format_local(parse_local(at).unwrap());
        let id = self.session(client, &at, status);
        self.store
            .conn()
            .execute(
                "INSERT INTO cancellations (session_id, requested_at, by, reason, notice_hours, outcome, created_at)
                 VALUES (?1, '2026-01-01T00:00:00Z', ?2, ?3, ?4, ?5, '2025-01-06T00:00:00Z')",
                (id, by, reason, notice, outcome),
            )
            .unwrap();
    }

    /// Weekly sessions for a client from `first`, one status each.
    fn weekly(&mut self, client: i64, first: &str, statuses: &[&str]) {
        let mut t = parse_local(first).unwrap();
        for st in statuses {
            self.session(client, &format_local(t), st);
            t += Duration::days(7);
        }
    }
}

/// October 2026: Maria and Tom come weekly, with cancellations of every kind.
fn october(p: &mut Practice) {
    p.weekly(
        1,
        "2026-10-05 09:00",
        &["attended", "attended", "late", "attended"],
    );
    p.weekly(
        2,
        "2026-10-06 17:30",
        &["attended", "no_show", "attended", "attended"],
    );
    p.cancel(
        1,
        "2026-10-30 09:00",
        "rescheduled",
        "client",
        "work",
        "rescheduled",
        30.0,
    );
    p.session(1, "2026-10-31 10:00", "attended");
    p.cancel(
        2,
        "2026-10-08 13:00",
        "scheduled",
        "client",
        "child_or_family_care",
        "converted_phone",
        2.0,
    );
    p.cancel(
        2,
        "2026-10-15 13:00",
        "attended",
        "client",
        "own_illness",
        "converted_video",
        5.0,
    );
    p.cancel(
        1,
        "2026-10-21 09:00",
        "late_cancelled",
        "client",
        "travel",
        "late_cancelled",
        3.0,
    );
    p.cancel(
        2,
        "2026-10-22 18:00",
        "cancelled",
        "client",
        "work",
        "cancelled",
        80.0,
    );
    p.cancel(
        1,
        "2026-10-23 11:00",
        "cancelled",
        "practitioner",
        "own_illness",
        "cancelled",
        50.0,
    );
    // September, for the comparison.
    p.weekly(
        1,
        "2026-09-07 09:00",
        &["attended", "no_show", "attended", "attended"],
    );
}

fn app(store: Store) -> App {
    let mut app = App::new(store, Config::default(), clock(), true).unwrap();
    press(&mut app, KeyCode::Char('4'));
    assert_eq!(app.screen, ScreenId::Reports);
    app
}

fn draw(app: &mut App) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(120, 36)).unwrap();
    t.draw(|f| app.draw(f)).unwrap();
    t
}

#[test]
fn a_normal_month() {
    let mut p = Practice::new();
    october(&mut p);
    let mut app = app(p.store);
    press(&mut app, KeyCode::Char('['));
    let t = draw(&mut app);
    insta::assert_snapshot!("reports_normal_month", t.backend());
}

#[test]
fn an_empty_month_says_so() {
    let mut p = Practice::new();
    october(&mut p);
    let mut app = app(p.store);
    for _ in 0..4 {
        press(&mut app, KeyCode::Char('['));
    }
    let t = draw(&mut app);
    insta::assert_snapshot!("reports_empty_month", t.backend());
}

/// Ruth: 10 attended, then a slide (fell 30 points); Olu: two no-shows lately.
fn drifting(p: &mut Practice) {
    let mut statuses = vec!["attended"; 10];
    statuses.extend([
        "attended", "no_show", "attended", "attended", "no_show", "attended", "attended",
        "attended", "no_show", "attended",
    ]);
    p.weekly(3, "2026-06-15 15:00", &statuses);
    p.weekly(
        4,
        "2026-09-28 12:00",
        &["attended", "attended", "no_show", "attended", "no_show"],
    );
}

#[test]
fn a_month_with_flagged_clients() {
    let mut p = Practice::new();
    october(&mut p);
    drifting(&mut p);
    let mut app = app(p.store);
    press(&mut app, KeyCode::Char('['));
    let t = draw(&mut app);
    insta::assert_snapshot!("reports_flagged_clients", t.backend());
    // Enter on the selected flagged client opens them; Esc comes back to the report.
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Enter);
    let v = app.client_view.as_ref().expect("the client view opens");
    assert_eq!(v.client.name, "Ruth Morgan");
    assert_eq!(v.from, ScreenId::Reports);
    press(&mut app, KeyCode::Esc);
    assert!(app.client_view.is_none());
    assert_eq!(app.screen, ScreenId::Reports);
}

#[test]
fn the_twelve_month_view() {
    let mut p = Practice::new();
    october(&mut p);
    drifting(&mut p);
    let mut app = app(p.store);
    press(&mut app, KeyCode::Char('['));
    press(&mut app, KeyCode::Char('y'));
    let t = draw(&mut app);
    insta::assert_snapshot!("reports_twelve_months", t.backend());
    // t comes back to this month.
    press(&mut app, KeyCode::Char('t'));
    assert_eq!(app.reports.month.unwrap().key(), "2026-11");
}

fn draw_at(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| app.draw(f)).unwrap();
    t
}

fn text(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    let mut s = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            s.push_str(buf[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

/// Every reason there is, "other" among them, asked for once more in October.
fn every_reason(p: &mut Practice) {
    for (day, reason) in [
        (12, "transport_or_weather"),
        (13, "forgot"),
        (14, "cost"),
        (19, "schedule_conflict"),
        (20, "feeling_better"),
        (26, "other"),
    ] {
        p.cancel(
            3,
            &format!("2026-10-{day} 19:00"),
            "cancelled",
            "client",
            reason,
            "cancelled",
            90.0,
        );
    }
}

#[test]
fn at_80_columns_the_twelve_months_show_every_reason_and_the_evening_column() {
    let mut p = Practice::new();
    october(&mut p);
    every_reason(&mut p);
    let mut app = app(p.store);
    press(&mut app, KeyCode::Char('['));
    press(&mut app, KeyCode::Char('y'));
    let t = draw_at(&mut app, 80, 32);
    let s = text(&t);
    assert!(s.contains("other                 1"), "{s}");
    assert!(s.contains("feeling better        1"), "{s}");
    // The time-of-day columns, evening included, fit beside the reasons.
    assert!(s.contains("morn  aftn   eve"), "{s}");
    assert!(s.contains("all      3     2     7"), "{s}");
    insta::assert_snapshot!("reports_twelve_months_80_columns", t.backend());
    // The month view too, at 80×24.
    press(&mut app, KeyCode::Char('y'));
    let t = draw_at(&mut app, 80, 24);
    let s = text(&t);
    assert!(s.contains(" eve"), "{s}");
    insta::assert_snapshot!("reports_month_80x24", t.backend());
}

#[test]
fn a_month_still_to_come_has_no_attendance_rate() {
    let mut p = Practice::new();
    october(&mut p);
    // December: one session booked, one cancelled in advance.
    p.session(1, "2026-12-07 09:00", "scheduled");
    p.cancel(
        2,
        "2026-12-08 17:30",
        "cancelled",
        "client",
        "travel",
        "cancelled",
        200.0,
    );
    let mut app = app(p.store);
    press(&mut app, KeyCode::Char(']'));
    assert_eq!(app.reports.month.unwrap().key(), "2026-12");
    let t = draw(&mut app);
    let s = text(&t);
    assert!(
        s.contains("Attendance — (this month has not come yet)"),
        "{s}"
    );
    assert!(!s.contains("Attendance 0%"), "{s}");
    insta::assert_snapshot!("reports_month_to_come", t.backend());
}

#[test]
fn the_month_and_twelve_month_views_name_the_same_clients_to_look_at() {
    let mut p = Practice::new();
    october(&mut p);
    drifting(&mut p);
    let mut app = app(p.store);
    press(&mut app, KeyCode::Char('['));
    let month: Vec<i64> = app
        .reports
        .vm
        .as_ref()
        .unwrap()
        .report
        .flagged
        .iter()
        .map(|f| f.client_id)
        .collect();
    press(&mut app, KeyCode::Char('y'));
    let year: Vec<i64> = app
        .reports
        .vm
        .as_ref()
        .unwrap()
        .report
        .flagged
        .iter()
        .map(|f| f.client_id)
        .collect();
    // Olu (two recent no-shows) and Ruth (a fall of 30 points), in name order.
    assert_eq!(month, vec![4, 3]);
    assert_eq!(year, vec![4, 3]);
    let names = app.reports.vm.as_ref().unwrap().flagged_names.clone();
    assert_eq!(names, vec!["Olu A.".to_string(), "Ruth M.".to_string()]);
}
