#![allow(clippy::unwrap_used, clippy::panic)]
//! Sessions on a large practice: 2,000 clients and about 250,000 sessions from the demo
//! generator (20 years). Run briefly: `cargo bench --bench sessions -- --quick`.

use caseload::clock::Clock;
use caseload::config::Config;
use caseload::demo::{DemoOptions, generate};
use caseload::domain::time::parse_local;
use caseload::store::Store;
use caseload::store::attention::Scope;
use caseload::tui::App;
use caseload::tui::app::MessageKind;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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
    // A practitioner's key on Today: log an outcome (or undo it) on Friday's first session.
    // The write, every view's refresh (the needs-attention list for that one client) and the draw.
    app.today.day = Some(now.date() - chrono::Duration::days(3));
    app.today.refresh(&app.store, now).unwrap();
    app.today.selected = 0;
    let mut attended = false;
    c.bench_function("today: log an outcome with one key, update + draw", |b| {
        b.iter(|| {
            let key = if attended { 'u' } else { 'a' };
            attended = !attended;
            app.handle_key(KeyEvent::new(KeyCode::Char(key), KeyModifiers::NONE));
            assert!(
                app.message
                    .as_ref()
                    .is_none_or(|m| m.kind == MessageKind::Info)
            );
            term.draw(|f| app.draw(f)).unwrap();
        })
    });
    // Once at open (just after the first frame) and every few minutes while idle.
    c.bench_function("needs attention: whole-practice read", |b| {
        b.iter(|| app.store.attention(now, Scope::Practice).unwrap())
    });
}

criterion_group!(benches, sessions);
criterion_main!(benches);
