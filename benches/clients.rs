#![allow(clippy::unwrap_used, clippy::panic)]
//! Issue 2's figures on a 2,000-client practice: opening the file and drawing the first Clients
//! frame, and one fuzzy-filter keystroke (update + draw).
//!
//! cargo bench --bench clients

use caseload::clock::Clock;
use caseload::config::Config;
use caseload::demo::{DemoOptions, generate};
use caseload::store::Store;
use caseload::tui::App;
use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn clock() -> Clock {
    Clock::fixed(
        NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap(),
    )
}

fn practice(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("big.db");
    let mut store = Store::open(&path).unwrap();
    let c = clock();
    let opts = DemoOptions {
        clients: 2000,
        months: 24,
        seed: 1,
        today: c.today(),
        now: c.now_utc(),
    };
    store.write_demo(&generate(&opts), c.now_utc()).unwrap();
    path
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = practice(dir.path());

    c.bench_function("open 2000 clients + first Clients frame", |b| {
        b.iter(|| {
            // As in a terminal: Today's needs-attention list is read just after this frame
            // (`cargo bench --bench sessions` times that read).
            let store = Store::open(&path).unwrap();
            let mut app = App::new_for_terminal(store, Config::default(), clock(), false).unwrap();
            key(&mut app, KeyCode::Char('2'));
            let mut t = Terminal::new(TestBackend::new(120, 40)).unwrap();
            t.draw(|f| app.draw(f)).unwrap();
        })
    });

    let store = Store::open(&path).unwrap();
    let mut app = App::new(store, Config::default(), clock(), false).unwrap();
    key(&mut app, KeyCode::Char('2'));
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Char('f')); // all statuses: the most rows to match
    key(&mut app, KeyCode::Char('/'));
    let mut t = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let typed = ['m', 'a', 'r'];
    let mut n = 0usize;
    c.bench_function(
        "one filter keystroke on 2000 clients (update + draw)",
        |b| {
            b.iter(|| {
                // Type "mar" then erase it, one keystroke per iteration.
                let step = n % 6;
                if step < 3 {
                    key(&mut app, KeyCode::Char(typed[step]));
                } else {
                    key(&mut app, KeyCode::Backspace);
                }
                n += 1;
                t.draw(|f| app.draw(f)).unwrap();
            })
        },
    );
}

criterion_group! {
    name = clients;
    config = Criterion::default().sample_size(30);
    targets = benches
}
criterion_main!(clients);
