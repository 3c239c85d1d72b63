#![allow(clippy::unwrap_used, clippy::panic)]
//! Backup, export and import of a big generated practice (`caseload demo --clients 2000`; the
//! sessions come with the booking schema). Run briefly:
//! `cargo bench --bench safety -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;
use std::path::Path;

use chrono::{NaiveDate, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};

use caseload::demo::{DemoOptions, generate};
use caseload::store::Store;

fn big_practice(path: &Path) -> Store {
    let today = NaiveDate::from_ymd_opt(2026, 3, 14).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 14, 9, 0, 0).unwrap();
    let mut opts = DemoOptions::new(today, now);
    // CASELOAD_BENCH_CLIENTS makes it bigger (names in the report stay "2000 clients").
    opts.clients = std::env::var("CASELOAD_BENCH_CLIENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let mut s = Store::open(path).unwrap();
    s.write_demo(&generate(&opts), now).unwrap();
    s
}

fn safety(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let store = big_practice(&dir.path().join("big.db"));
    let mut n = 0u64;
    c.bench_function("backup 2000 clients", |b| {
        b.iter(|| {
            n += 1;
            let dest = dir.path().join(format!("backups/b{n}.db"));
            black_box(store.backup_to(&dest).unwrap());
            std::fs::remove_file(dest).unwrap();
        })
    });
    let mut doc = Vec::new();
    store.export_json(&mut doc, &mut |_| {}).unwrap();
    c.bench_function("export json 2000 clients", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(doc.len());
            store.export_json(&mut out, &mut |_| {}).unwrap();
            black_box(out)
        })
    });
    c.bench_function("import json 2000 clients", |b| {
        b.iter(|| {
            n += 1;
            let p = dir.path().join(format!("import{n}.db"));
            let mut t = Store::open(&p).unwrap();
            black_box(t.import_json(&doc, &mut |_| {}).unwrap());
            drop(t);
            std::fs::remove_file(p).unwrap();
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = safety
}
criterion_main!(benches);
