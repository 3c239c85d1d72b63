#![allow(dead_code, clippy::unwrap_used, clippy::panic)]
//! Shared helpers for the app tests that draw on a TestBackend and press keys.

use caseload::clock::Clock;
use caseload::config::Config;
use caseload::demo::{DemoOptions, generate};
use caseload::store::Store;
use caseload::tui::App;
use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The practitioner's clock in these tests: Monday 23 November 2026, 09:00.
pub fn clock() -> Clock {
    Clock::fixed(
        NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap(),
    )
}

/// The demo practice (`clients` of them, 12 months), opened in the app.
pub fn demo_app(clients: usize) -> App {
    let mut store = Store::open_in_memory().unwrap();
    let c = clock();
    let opts = DemoOptions {
        clients,
        months: 12,
        seed: 7,
        today: c.today(),
        now: c.now_utc(),
    };
    store.write_demo(&generate(&opts), c.now_utc()).unwrap();
    App::new(store, Config::default(), c, true).unwrap()
}

/// One key, as the terminal would send it.
pub fn press(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

/// Each character of `s` as a key.
pub fn keys(app: &mut App, s: &str) {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// The app drawn on a `w`×`h` TestBackend, as text.
pub fn screen(app: &mut App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| app.draw(f)).unwrap();
    format!("{}", t.backend())
}
