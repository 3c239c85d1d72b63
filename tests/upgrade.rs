#![allow(clippy::unwrap_used, clippy::panic)]
//! Files written by every earlier schema version open in this build with every record intact.
//!
//! For each earlier version V the test makes a file the way that version's build did (the
//! migrations up to V, nothing after), fills every table V had with rows (copied, for the
//! columns V had, from a demo practice with something in every table), and then:
//! - opens it with this build: every row of V is there unchanged, every trigger V had and every
//!   trigger of the current schema is present, and `caseload check` passes;
//! - restores it as a backup over a current practice: the same;
//! - imports an export written at schema V into a new file: the same.
//!
//! Nothing here names a table or a column: they come from the schema, so a later migration
//! needs no edit here (only, if it adds a table, a row for it in the source practice).

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use caseload::demo::{DemoOptions, generate};
use caseload::store::Store;
use caseload::store::migrate::{APPLICATION_ID, LATEST, MIGRATIONS};
use chrono::{NaiveDate, TimeZone, Utc};
use rusqlite::Connection;
use rusqlite::types::Value;

use common::{Sandbox, Within};

/// Record tables with their columns, in creation order.
type Tables = Vec<(String, Vec<String>)>;
/// Every row of each record table, by rowid.
type Rows = BTreeMap<String, Vec<Vec<Value>>>;

/// Makes a file at schema `version` exactly as the build of that version did.
fn file_at_version(path: &Path, version: i32) {
    let mut c = Connection::open(path).unwrap();
    for (i, sql) in MIGRATIONS.iter().take(version as usize).enumerate() {
        let tx = c.transaction().unwrap();
        tx.execute_batch(sql).unwrap();
        if i == 0 {
            tx.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}"))
                .unwrap();
        }
        tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))
            .unwrap();
        tx.commit().unwrap();
    }
}

/// The tables that hold records (no SQLite tables, no full-text indexes or their shadow
/// tables), in creation order, with their columns in declared order.
fn record_tables(c: &Connection) -> Vec<(String, Vec<String>)> {
    let mut stmt = c
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY rowid")
        .unwrap();
    let all: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let virtuals: Vec<&str> = all
        .iter()
        .filter(|(_, sql)| sql.to_ascii_uppercase().starts_with("CREATE VIRTUAL TABLE"))
        .map(|(n, _)| n.as_str())
        .collect();
    all.iter()
        .filter(|(n, sql)| {
            !n.starts_with("sqlite_")
                // The report's figures are kept by triggers from the sessions and requests:
                // they follow the rows copied in (and `check` compares them with a fresh count).
                && !["report_sessions", "report_requests", "attendance_history"].contains(&n.as_str())
                && !sql.to_ascii_uppercase().starts_with("CREATE VIRTUAL TABLE")
                && !virtuals.iter().any(|v| n.starts_with(&format!("{v}_")))
        })
        .map(|(n, _)| {
            let cols = c
                .prepare(&format!("PRAGMA table_info(\"{n}\")"))
                .unwrap()
                .query_map([], |r| r.get::<_, String>(1))
                .unwrap()
                .collect::<rusqlite::Result<Vec<_>>>()
                .unwrap();
            (n.clone(), cols)
        })
        .collect()
}

fn quoted(cols: &[String]) -> String {
    cols.iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every row of every record table of `tables`, for the columns given there, by rowid.
fn rows_of(c: &Connection, tables: &[(String, Vec<String>)]) -> BTreeMap<String, Vec<Vec<Value>>> {
    tables
        .iter()
        .map(|(t, cols)| {
            let mut stmt = c
                .prepare(&format!(
                    "SELECT {} FROM \"{t}\" ORDER BY rowid",
                    quoted(cols)
                ))
                .unwrap();
            let rows = stmt
                .query_map([], |r| {
                    (0..cols.len())
                        .map(|i| r.get::<_, Value>(i))
                        .collect::<rusqlite::Result<Vec<_>>>()
                })
                .unwrap()
                .collect::<rusqlite::Result<Vec<_>>>()
                .unwrap();
            (t.clone(), rows)
        })
        .collect()
}

fn triggers(c: &Connection) -> Vec<String> {
    c.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// A demo practice with records in every table, written by this build: the demo, and through
/// the command line what the demo leaves out (an addendum, a handout given, a review, entries
/// in the audit trail).
fn source_practice(s: &Sandbox, path: &Path) {
    let mut store = Store::open(path).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let mut opts = DemoOptions::new(today, now);
    opts.clients = 30;
    opts.months = 6;
    store.write_demo(&generate(&opts), now).unwrap();
    drop(store);
    let c = Connection::open(path).unwrap();
    let signed: i64 = c
        .query_row(
            "SELECT id FROM notes WHERE signed_at IS NOT NULL ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let active: i64 = c
        .query_row(
            "SELECT id FROM clients WHERE status = 'active' ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let ended: i64 = c
        .query_row(
            "SELECT id FROM clients WHERE status IN ('discharged', 'referred_out') ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let code: String = c
        .query_row("SELECT code FROM services ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    drop(c);
    let archive = path.with_extension("handover.age");
    let (signed, active, ended) = (signed.to_string(), active.to_string(), ended.to_string());
    // A disposal log entry: a tombstone of a client long gone (a real disposal here would leave
    // seals that files before the disposal log can't account for).
    Connection::open(path)
        .unwrap()
        .execute(
            "INSERT INTO disposals (client_id, name, born, first_contact, last_contact, keep_until,
                disposed_on, disposed_at, disposed_by)
             VALUES (9000, 'Former Client', '1950-01-02', '2001-03-04', '2008-05-06', '2015-05-06',
                '2026-11-20', '2026-11-20T09:00:00Z', 'practitioner')",
            [],
        )
        .unwrap();
    // What stays of that client's accounts (schema 17 on): one charge, with its amount and date.
    Connection::open(path)
        .unwrap()
        .execute(
            "INSERT INTO disposed_money (client_id, ledger_id, kind, on_date, amount, created_at)
             VALUES (9000, 1, 'charge', '2008-05-06', 9000, '2008-05-06T10:00:00Z')",
            [],
        )
        .unwrap();
    for args in [
        // Billing, retention and handover tables (schema 14 on) get rows of their own.
        &[
            "session",
            "add",
            "--client",
            &active,
            "--at",
            "2026-12-02 10:00",
            "--service",
            &code,
            "--force",
        ][..],
        &["fee", "client", "--client", &active, "--diagnosis", "F41.1"],
        &["retention", "hold", &active, "--reason", "Court order"],
        &["retention", "keep", &ended, "--until", "2040-01-01"],
        &[
            "handover",
            "--custodian",
            "Dr Ana Ruiz",
            "-o",
            archive.to_str().unwrap(),
        ],
        &[
            "note",
            "addendum",
            &signed,
            "--text",
            "Also discussed sleep.",
        ][..],
        &["handout", "--client", &active, "--mark-given"],
        &["review", &active, "--choose", "note_for_next_session"],
        &["client", "status", &active, "on_hold"],
        &["client", "status", &active, "active"],
    ] {
        let out = on(s, path).args(args).output_within();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A file at schema `version` with rows in every table it had; returns those rows.
fn filled_file_at(path: &Path, source: &Path, version: i32) -> (Tables, Rows, Vec<String>) {
    file_at_version(path, version);
    let c = Connection::open(path).unwrap();
    let tables = record_tables(&c);
    c.execute("ATTACH DATABASE ?1 AS src", [source.to_str().unwrap()])
        .unwrap();
    for (t, cols) in &tables {
        c.execute_batch(&format!(
            "INSERT OR REPLACE INTO main.\"{t}\" ({cols}) SELECT {cols} FROM src.\"{t}\" ORDER BY rowid",
            cols = quoted(cols)
        ))
        .unwrap_or_else(|e| panic!("schema {version}: filling {t}: {e}"));
    }
    c.execute_batch("DETACH DATABASE src").unwrap();
    let rows = rows_of(&c, &tables);
    for (t, r) in &rows {
        assert!(
            !r.is_empty(),
            "schema {version}: the source practice has no rows in {t}; give the demo (or source_practice here) one"
        );
    }
    let trig = triggers(&c);
    (tables, rows, trig)
}

/// This build's file opened at `path` has every row of `before` unchanged and every trigger
/// (of the version it came from and of the current schema).
fn assert_intact(
    path: &Path,
    version: i32,
    how: &str,
    tables: &[(String, Vec<String>)],
    before: &BTreeMap<String, Vec<Vec<Value>>>,
    old_triggers: &[String],
    current_triggers: &[String],
) {
    let store = Store::open(path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        LATEST,
        "schema {version} {how}"
    );
    drop(store);
    let c = Connection::open(path).unwrap();
    let after = rows_of(&c, tables);
    for (t, rows) in before {
        let now = &after[t];
        // The audit trail is only ever added to: an upgrade that seals it, and a restore, add
        // their own entries after the old ones. Nothing else may gain or lose a row.
        if t == "audit" {
            assert!(
                now.len() >= rows.len(),
                "schema {version} {how}: the audit trail lost entries"
            );
        } else {
            assert_eq!(now.len(), rows.len(), "schema {version} {how}: rows of {t}");
        }
        assert_eq!(
            &now[..rows.len()],
            &rows[..],
            "schema {version} {how}: {t} changed"
        );
    }
    let now = triggers(&c);
    for t in old_triggers.iter().chain(current_triggers) {
        assert!(
            now.contains(t),
            "schema {version} {how}: trigger {t} is missing"
        );
    }
}

/// The binary on the practice file `db`, with the sandbox's private folders and a fixed clock.
fn on(s: &Sandbox, db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_caseload"));
    c.env("XDG_DATA_HOME", s.path().join("data"))
        .env("XDG_CONFIG_HOME", s.path().join("config"))
        .env("HOME", s.path())
        .env(
            "CASELOAD_HANDOVER_PASSPHRASE",
            "correct horse battery staple",
        )
        .env_remove("CASELOAD_DB")
        .arg("--db")
        .arg(db)
        .args(["--now", "2026-11-23 09:00"]);
    c
}

fn check_passes(s: &Sandbox, db: &Path, version: i32, how: &str) {
    let out = on(s, db).arg("check").output_within();
    assert!(
        out.status.success(),
        "schema {version} {how}: caseload check failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// An export document as a build at schema `version` wrote it: generic over its tables.
fn export_at(path: &Path, version: i32, tables: &[(String, Vec<String>)]) -> String {
    let c = Connection::open(path).unwrap();
    let rows = rows_of(&c, tables);
    let mut doc = serde_json::Map::new();
    for (t, cols) in tables {
        let list: Vec<serde_json::Value> = rows[t]
            .iter()
            .map(|r| {
                let obj: serde_json::Map<String, serde_json::Value> = cols
                    .iter()
                    .zip(r)
                    .map(|(k, v)| {
                        let j = match v {
                            Value::Null => serde_json::Value::Null,
                            Value::Integer(i) => serde_json::json!(i),
                            Value::Real(f) => serde_json::json!(f),
                            Value::Text(s) => serde_json::json!(s),
                            Value::Blob(b) => serde_json::json!({
                                "hex": b.iter().map(|x| format!("{x:02x}")).collect::<String>()
                            }),
                        };
                        (k.clone(), j)
                    })
                    .collect();
                serde_json::Value::Object(obj)
            })
            .collect();
        doc.insert(t.clone(), serde_json::Value::Array(list));
    }
    serde_json::json!({
        "format": "caseload-export",
        "version": 1,
        "schema_version": version,
        "tables": doc,
    })
    .to_string()
}

#[test]
fn files_of_every_earlier_schema_open_restore_and_import_with_every_record() {
    let s = Sandbox::new();
    let source = s.path().join("source.db");
    source_practice(&s, &source);
    let current_triggers = {
        let fresh = s.path().join("fresh.db");
        drop(Store::open(&fresh).unwrap());
        triggers(&Connection::open(&fresh).unwrap())
    };
    const { assert!(LATEST > 1, "there is an earlier schema to test") };
    for version in 1..LATEST {
        // Opened in place.
        let old = s.path().join(format!("v{version}.db"));
        let (tables, rows, old_triggers) = filled_file_at(&old, &source, version);
        let backup = s.path().join(format!("v{version}-backup.db"));
        std::fs::copy(&old, &backup).unwrap();
        let export = s.path().join(format!("v{version}.json"));
        std::fs::write(&export, export_at(&old, version, &tables)).unwrap();
        assert_intact(
            &old,
            version,
            "opened",
            &tables,
            &rows,
            &old_triggers,
            &current_triggers,
        );
        check_passes(&s, &old, version, "opened");

        // Restored as a backup over a current practice.
        let practice = s.path().join(format!("restored-{version}.db"));
        let out = on(&s, &practice)
            .args(["client", "add", "--name", "Someone Current"])
            .output_within();
        assert!(out.status.success());
        let out = on(&s, &practice)
            .arg("restore")
            .arg(&backup)
            .output_within();
        assert!(
            out.status.success(),
            "schema {version}: restore failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_intact(
            &practice,
            version,
            "restored",
            &tables,
            &rows,
            &old_triggers,
            &current_triggers,
        );
        check_passes(&s, &practice, version, "restored");

        // An export written at that schema, imported into a new file.
        let imported = s.path().join(format!("imported-{version}.db"));
        let out = on(&s, &imported).arg("import").arg(&export).output_within();
        assert!(
            out.status.success(),
            "schema {version}: import failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_intact(
            &imported,
            version,
            "imported",
            &tables,
            &rows,
            &old_triggers,
            &current_triggers,
        );
        check_passes(&s, &imported, version, "imported");
    }
}
