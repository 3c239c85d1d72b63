#![allow(clippy::unwrap_used, clippy::panic)]
//! The practice file is an ordinary SQLite file that the system's own `sqlite3` can read, even
//! one older than the SQLite built into caseload (Debian 12 has 3.40): nothing in the schema
//! (views, triggers, indexes) may use syntax it does not know, or it refuses the whole file as
//! "malformed database schema". CI installs `sqlite3`; where it is missing the test says so.

use std::process::Command;

use caseload::demo::{DemoOptions, generate};
use caseload::store::Store;
use chrono::{NaiveDate, TimeZone, Utc};

#[test]
fn the_systems_sqlite3_reads_a_practice_file() {
    let Ok(version) = Command::new("sqlite3").arg("--version").output() else {
        eprintln!("sqlite3 is not installed here: skipped (CI installs it)");
        return;
    };
    let version = String::from_utf8_lossy(&version.stdout).into_owned();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caseload.db");
    let mut store = Store::open(&path).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 14, 9, 0, 0).unwrap();
    let mut opts = DemoOptions::new(NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(), now);
    opts.clients = 12;
    opts.months = 6;
    store.write_demo(&generate(&opts), now).unwrap();
    let sessions: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM sessions", [], |r| r.get(0))
        .unwrap();
    drop(store);
    let out = Command::new("sqlite3")
        .arg("-readonly")
        .arg(&path)
        .arg("PRAGMA quick_check; SELECT count(*) FROM sessions; SELECT count(*) FROM attendance_history_fresh;")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "sqlite3 {version}: {}{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.first(), Some(&"ok"), "sqlite3 {version}: {text}");
    assert_eq!(lines.get(1), Some(&sessions.to_string().as_str()), "{text}");
}
