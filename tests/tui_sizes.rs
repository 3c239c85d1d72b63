#![allow(clippy::unwrap_used, clippy::panic)]
//! The screens a full day at the desk walks through, at 120×40, 80×24 and 60×16 (issue 16):
//! Today with its alerts, a booking that clashes, the cancellation offer, Reports (month and
//! twelve months) and the help.

mod tui_common;

use ratatui::crossterm::event::KeyCode;
use tui_common::{demo_app, keys, press, screen};

const SIZES: [(u16, u16); 3] = [(120, 40), (80, 24), (60, 16)];

/// Draws the app at each size after `setup`, snapshots each, and hands each screen to `check`.
fn at_every_size(name: &str, setup: &dyn Fn(&mut caseload::tui::App), check: &dyn Fn(&str, u16)) {
    for (w, h) in SIZES {
        let mut app = demo_app(30);
        setup(&mut app);
        let s = screen(&mut app, w, h);
        check(&s, w);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), s);
    }
}

fn header(s: &str) -> &str {
    s.lines().next().unwrap()
}

#[test]
fn today_with_its_alerts() {
    at_every_size("today", &|_| {}, &|s, w| {
        assert!(header(s).contains("Mon 23 Nov 2026"), "{w}: {s}");
        assert!(s.contains("Needs attention"), "{w}: {s}");
        assert!(s.contains("Dmitri M."), "{w}: {s}");
    });
}

#[test]
fn a_booking_that_clashes() {
    at_every_size(
        "booking_clash",
        &|app| {
            keys(app, "2");
            press(app, KeyCode::Enter);
            keys(app, "s");
            press(app, KeyCode::Enter);
        },
        &|s, w| {
            assert!(s.contains("overlaps"), "{w}: {s}");
            assert!(s.contains("book anyway"), "{w}: {s}");
        },
    );
}

#[test]
fn the_cancellation_offer() {
    at_every_size("cancellation_offer", &|app| keys(app, "c1"), &|s, w| {
        assert!(s.contains("Reschedule"), "{w}: {s}");
    });
}

#[test]
fn reports_month_and_twelve_months() {
    at_every_size("reports_month", &|app| keys(app, "4["), &|s, w| {
        assert!(header(s).contains("Mon 23 Nov 2026"), "{w}: {s}")
    });
    at_every_size("reports_twelve_months", &|app| keys(app, "4y"), &|s, w| {
        assert!(header(s).contains("Mon 23 Nov 2026"), "{w}: {s}")
    });
}

#[test]
fn the_help() {
    at_every_size("help", &|app| keys(app, "?"), &|s, w| {
        assert!(s.contains("Keys"), "{w}: {s}");
        // The keys that work everywhere come first: privacy and lock in sight.
        if w >= 80 {
            assert!(s.contains("Ctrl-g") && s.contains("Ctrl-l"), "{w}: {s}");
        }
    });
}
