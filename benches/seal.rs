//! The sealed audit chain: what `check` costs on a large practice, part by part, and what the
//! seal adds to one audited write. `CASELOAD_BENCH_DB=path` times `check` on that practice
//! (e.g. one made with `caseload demo --clients 2000 --months 240`); without it a generated
//! 200-client practice is used.
#![allow(clippy::unwrap_used)]

use std::time::Instant;

use caseload::domain::client::{ClientInput, ClientStatus};
use caseload::store::{Store, verify};
use chrono::{Duration, TimeZone, Utc};

fn time<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    println!("{what:<28} {:>9.3} s", t.elapsed().as_secs_f64());
    out
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let store = match std::env::var("CASELOAD_BENCH_DB") {
        Ok(p) => Store::open(std::path::Path::new(&p)).unwrap(),
        Err(_) => {
            let path = dir.path().join("bench.db");
            let mut s = Store::open(&path).unwrap();
            let mut opts = caseload::demo::DemoOptions::new(
                chrono::NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
                Utc.with_ymd_and_hms(2026, 3, 14, 9, 0, 0).unwrap(),
            );
            opts.clients = 200;
            opts.months = 24;
            let p = caseload::demo::generate(&opts);
            s.write_demo(&p, Utc.with_ymd_and_hms(2026, 3, 14, 9, 0, 0).unwrap())
                .unwrap();
            s
        }
    };
    let conn = store.conn();
    let total = Instant::now();
    time("quick_check (the default)", || {
        conn.query_row("PRAGMA quick_check", [], |r| r.get::<_, String>(0))
            .unwrap()
    });
    time("integrity_check (--full)", || {
        conn.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))
            .unwrap()
    });
    time("foreign_key_check", || {
        conn.prepare("PRAGMA foreign_key_check")
            .unwrap()
            .query_map([], |_| Ok(()))
            .unwrap()
            .count()
    });
    let seal = time("seal", || verify::verify_seal(conn).unwrap());
    time("schema_objects", || verify::verify_schema(conn).unwrap());
    time("records", || verify::verify_records(conn).unwrap());
    println!(
        "{:<28} {:>9.3} s  ({} entries)",
        "all parts",
        total.elapsed().as_secs_f64(),
        seal.entries
    );
    time("Store::check, quick", || {
        store
            .check_with(None, caseload::store::safety::Integrity::Quick)
            .unwrap()
    });
    time("Store::check, --full", || store.check().unwrap());
    drop(store);

    // One audited write, with and without the seal's share: a status change.
    let path = dir.path().join("writes.db");
    let mut s = Store::open(&path).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 14).unwrap();
    let f = ClientInput {
        name: "Ada Lovelace".into(),
        ..Default::default()
    }
    .validate(today)
    .unwrap();
    let c = s.add_client(&f, Utc::now()).unwrap().id;
    let n = 2000;
    let mut at = Utc.with_ymd_and_hms(2026, 3, 14, 9, 0, 0).unwrap();
    let t = Instant::now();
    for i in 0..n {
        at += Duration::seconds(1);
        let to = if i % 2 == 0 {
            ClientStatus::OnHold
        } else {
            ClientStatus::Active
        };
        s.set_client_status(c, to, at).unwrap();
    }
    let per = t.elapsed().as_secs_f64() * 1e3 / f64::from(n);
    println!(
        "{:<28} {per:>9.3} ms per write (sealed, synchronous=FULL)",
        "status change"
    );

    // The seal's own share: entries appended in one transaction, sealed and unsealed.
    let m = 20_000;
    let t = Instant::now();
    caseload::store::audit::bench_appends(&mut s, m, false).unwrap();
    let plain = t.elapsed().as_secs_f64() * 1e3 / m as f64;
    let t = Instant::now();
    caseload::store::audit::bench_appends(&mut s, m, true).unwrap();
    let sealed = t.elapsed().as_secs_f64() * 1e3 / m as f64;
    println!(
        "{:<28} {:>9.4} ms unsealed, {sealed:.4} ms sealed: the seal adds {:.4} ms per entry",
        "one audit entry",
        plain,
        sealed - plain
    );
}
