#![allow(clippy::unwrap_used, clippy::panic)]
//! Sessions on a large practice: 2,000 clients and about 250,000 sessions from the demo
//! generator (20 years). Run briefly: `cargo bench --bench sessions -- --quick`.

use caseload::clock::Clock;
use caseload::config::Config;
use caseload::domain::demo::{DemoOptions, generate};
use caseload::domain::time::parse_local;
use caseload::store::Store;
use caseload::tui::App;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn big_app() -> App {
    let now = parse_local("2026-11-23 09:30").unwrap();
    let clock = Clock::fixed(now);
    let mut opts = DemoOptions::new(clock.today(), clock.now_utc());
    opts.clients = 2000;
    opts.months = 240;
    let practice = generate(&opts);
    let mut store = Store::open_in_memory().unwrap();
    let summary = store.write_demo(&practice, clock.now_utc()).unwrap();
    eprintln!(
        "practice: {} clients, {} sessions",
        summary.clients, summary.sessions
    );
    App::new(store, Config::default(), clock, true).unwrap()
}

fn sessions(c: &mut Criterion) {
    let mut app = big_app();
    let mut term = Terminal::new(TestBackend::new(160, 45)).unwrap();
    let week_start = app.config.week_start;
    let now = app.clock.now_local();
    c.bench_function("agenda week: update + draw", |b| {
        app.screen = caseload::tui::action::ScreenId::Agenda;
        b.iter(|| {
            app.agenda.refresh(&app.store, now, week_start).unwrap();
            term.draw(|f| app.draw(f)).unwrap();
        })
    });
    c.bench_function("today with needs attention: update + draw", |b| {
        app.screen = caseload::tui::action::ScreenId::Today;
        b.iter(|| {
            app.today.refresh(&app.store, now).unwrap();
            term.draw(|f| app.draw(f)).unwrap();
        })
    });
}

criterion_group!(benches, sessions);
criterion_main!(benches);
