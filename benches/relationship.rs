#![allow(clippy::unwrap_used, clippy::panic)]
//! Issue 7's figures on a 2,000-client practice: Today's review-signal check for the whole
//! practice, one client's relationship overview, and one handout rendered as HTML.
//!
//! cargo bench --bench relationship -- --quick

use caseload::clock::Clock;
use caseload::demo::{DemoOptions, generate};
use caseload::domain::document::DocFormat;
use caseload::store::Store;
use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};

fn clock() -> Clock {
    Clock::fixed(
        NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap(),
    )
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.db");
    let mut store = Store::open(&path).unwrap();
    let k = clock();
    let opts = DemoOptions {
        clients: 2000,
        months: 24,
        seed: 1,
        today: k.today(),
        now: k.now_utc(),
    };
    store.write_demo(&generate(&opts), k.now_utc()).unwrap();
    let now = k.now_local();

    c.bench_function("review signals for 2000 clients (Today)", |b| {
        b.iter(|| store.review_attention(now).unwrap())
    });
    c.bench_function("relationship overview, one client", |b| {
        b.iter(|| store.relationship_overview(1, now).unwrap())
    });
    c.bench_function("handout as HTML, one client", |b| {
        b.iter(|| {
            store
                .handout_content(1, now)
                .unwrap()
                .document(now.date())
                .render(DocFormat::Html)
        })
    });
}

criterion_group!(relationship, benches);
criterion_main!(relationship);
