#![allow(clippy::unwrap_used, clippy::panic)]
//! Issue 5's figures on a generated practice of 2,000 clients and 250,000 sessions over 20
//! years: a Reports month change (query + draw), the month report and the 20-year report.
//!
//! cargo bench --bench reports
//!
//! The practice is written once to `target/reports-bench.db` (or `$REPORTS_BENCH_DB`) and kept,
//! so the whole-process timings (hyperfine, README) can use the same file:
//!     REPORTS_BENCH_ONLY_GENERATE=1 cargo bench --bench reports

#[path = "support/practice.rs"]
mod practice;

use std::path::PathBuf;

use caseload::domain::attendance::Month;
use caseload::store::Store;
use caseload::store::attention::Scope;
use caseload::tui::action::Action;
use caseload::tui::names::Names;
use caseload::tui::screens::reports::ReportsScreen;
use caseload::tui::theme::Theme;
use criterion::{Criterion, criterion_group};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

fn db_path() -> PathBuf {
    if let Some(p) = std::env::var_os("REPORTS_BENCH_DB") {
        return PathBuf::from(p);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("reports-bench.db")
}

/// Opens the big practice, writing it first if it is not there yet.
fn practice() -> (Store, PathBuf) {
    let path = db_path();
    let spec = practice::big();
    if path.exists() {
        let store = Store::open(&path).unwrap();
        let n: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM sessions", [], |r| r.get(0))
            .unwrap();
        if n as usize == spec.sessions {
            return (store, path);
        }
        drop(store);
        for ext in ["", "-wal", "-shm"] {
            let mut p = path.as_os_str().to_owned();
            p.push(ext);
            let _ = std::fs::remove_file(p);
        }
    }
    let t = std::time::Instant::now();
    let store = Store::open(&path).unwrap();
    drop(store);
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    practice::generate(&mut conn, &spec);
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;")
        .unwrap();
    drop(conn);
    eprintln!(
        "wrote {} sessions for {} clients to {} in {:.1?}",
        spec.sessions,
        spec.clients,
        path.display(),
        t.elapsed()
    );
    (Store::open(&path).unwrap(), path)
}

fn benches(c: &mut Criterion) {
    let (store, _) = practice();
    let now = practice::big().now;
    let theme = Theme::plain();
    let area = Rect::new(0, 0, 120, 40);
    let mut buf = Buffer::empty(area);

    let mut screen = ReportsScreen::default();
    screen.refresh(&store, now).unwrap();
    let mut back = true;
    c.bench_function("Reports: month change (query + draw, 120×40)", |b| {
        b.iter(|| {
            screen.handle(
                if back {
                    Action::PrevMonth
                } else {
                    Action::NextMonth
                },
                now,
            );
            back = !back;
            screen.refresh(&store, now).unwrap();
            buf.reset();
            screen.render(area, &mut buf, &theme, Names::default());
        })
    });

    let oct = Month::parse("2026-10").unwrap();
    c.bench_function("report attendance --month 2026-10 (store)", |b| {
        b.iter(|| store.attendance_report(oct, oct, now).unwrap())
    });
    // The flags as at now for the clients seen in the last 30 days (Today's needs attention),
    // from the kept lines (migration 018) and read afresh from the sessions as before.
    let seen_from = now - chrono::Duration::days(30);
    c.bench_function("flags as at now, whole practice (kept lines)", |b| {
        b.iter(|| store.flagged_clients(seen_from, now, true).unwrap())
    });
    c.bench_function("flags as at now, whole practice (read afresh)", |b| {
        b.iter(|| {
            store
                .flagged_fresh(seen_from, now, true, Scope::Practice)
                .unwrap()
        })
    });
    c.bench_function("needs attention, whole practice", |b| {
        b.iter(|| store.attention(now, Scope::Practice).unwrap())
    });
    let from = Month::parse("2006-12").unwrap();
    let to = Month::parse("2026-11").unwrap();
    c.bench_function(
        "report attendance --from 2006-12 --to 2026-11 (store)",
        |b| b.iter(|| store.attendance_report(from, to, now).unwrap()),
    );
}

criterion_group!(reports, benches);

fn main() {
    if std::env::var_os("REPORTS_BENCH_ONLY_GENERATE").is_some() {
        let (_, path) = practice();
        println!("{}", path.display());
        return;
    }
    reports();
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
}
