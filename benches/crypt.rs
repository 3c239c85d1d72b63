#![allow(clippy::unwrap_used, clippy::panic)]
//! Issue 8's encryption figures on a 2,000-client, 24-month demo practice, plain and encrypted
//! in the same run: the one-time key derivation (Argon2id) at open; start-up as a terminal does
//! it (open + the first Today frame, the needs-attention list read just after it), and with the
//! needs-attention list read before the first frame; the monthly attendance report (on an open
//! file, and open + report).
//!
//! cargo bench --bench crypt -- --warm-up-time 1 --measurement-time 3

use caseload::clock::Clock;
use caseload::config::Config;
use caseload::demo::{DemoOptions, generate};
use caseload::domain::attendance::Month;
use caseload::store::{Store, crypt};
use caseload::tui::App;
use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const PASS: &str = "correct horse battery";

fn clock() -> Clock {
    Clock::fixed(
        NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap(),
    )
}

fn practice(dir: &std::path::Path, name: &str) -> std::path::PathBuf {
    let path = dir.join(name);
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

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let plain = practice(dir.path(), "plain.db");
    let enc = practice(dir.path(), "enc.db");
    crypt::encrypt(&enc, PASS).unwrap();
    let key = crypt::unlock(&enc, PASS).unwrap();
    let month = Month::parse("2026-10").unwrap();
    let now = clock().now_local();

    let mut g = c.benchmark_group("encryption");
    g.sample_size(10);
    g.bench_function("key derivation at open (Argon2id 64 MiB, t=3)", |b| {
        b.iter(|| crypt::unlock(&enc, PASS).unwrap())
    });
    drop(g);

    // What the practitioner waits for before caseload appears: the file opened, every screen's
    // view read, the first frame (Today) drawn, as `caseload` does in a terminal.
    let mut g = c.benchmark_group("start-up: open 2000 clients + first frame, as in a terminal");
    g.sample_size(20);
    for (name, path, key) in [("plain", &plain, None), ("encrypted", &enc, Some(&key))] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let store = Store::open_keyed(path, key).unwrap();
                let mut app =
                    App::new_for_terminal(store, Config::default(), clock(), false).unwrap();
                let mut t = Terminal::new(TestBackend::new(120, 40)).unwrap();
                t.draw(|f| app.draw(f)).unwrap();
            })
        });
    }
    drop(g);

    // The same with Today's whole needs-attention list read before the first frame, then the
    // Clients screen drawn.
    let mut g = c.benchmark_group("start-up with the needs-attention list + first Clients frame");
    g.sample_size(20);
    for (name, path, key) in [("plain", &plain, None), ("encrypted", &enc, Some(&key))] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let store = Store::open_keyed(path, key).unwrap();
                let mut app = App::new(store, Config::default(), clock(), false).unwrap();
                app.handle_key(KeyEvent::new(KeyCode::Char('2'), KeyModifiers::NONE));
                let mut t = Terminal::new(TestBackend::new(120, 40)).unwrap();
                t.draw(|f| app.draw(f)).unwrap();
            })
        });
    }
    drop(g);

    let mut g = c.benchmark_group("monthly attendance report 2026-10");
    g.sample_size(20);
    for (name, path, key) in [("plain", &plain, None), ("encrypted", &enc, Some(&key))] {
        let store = Store::open_keyed(path, key).unwrap();
        g.bench_function(format!("{name}, file open"), |b| {
            b.iter(|| store.attendance_report(month, month, now).unwrap())
        });
        g.bench_function(format!("{name}, open + report"), |b| {
            b.iter(|| {
                let store = Store::open_keyed(path, key).unwrap();
                store.attendance_report(month, month, now).unwrap()
            })
        });
    }
    drop(g);
}

criterion_group!(crypt_benches, benches);
criterion_main!(crypt_benches);
