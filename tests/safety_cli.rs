#![allow(clippy::unwrap_used, clippy::panic)]
//! The safety commands as the practitioner runs them: backup, restore, check, export, import, audit.

mod common;

use common::Within;

use std::path::Path;
use std::process::{Command, Output};

const NOW: &str = "2026-03-14 09:00";

fn caseload(dir: &Path, db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_caseload"))
        .arg("--db")
        .arg(db)
        .args(["--now", NOW])
        .args(args)
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        // A fixed zone (UTC+1 in March), so the instants below are the same wherever this runs.
        .env("TZ", "Europe/Berlin")
        .env_remove("CASELOAD_DB")
        .output_within()
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn err(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn backup_writes_a_private_copy_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("caseload.db");
    ok(&caseload(dir.path(), &db, &["demo", "--clients", "12"]));
    let out = ok(&caseload(dir.path(), &db, &["backup"]));
    let dest = dir.path().join("backups/caseload-20260314-090000.db");
    assert!(
        out.starts_with(&format!(
            "Backed up {} to {} (",
            db.display(),
            dest.display()
        )),
        "{out}"
    );
    assert!(
        out.trim_end().ends_with("KB).") || out.trim_end().ends_with(" MB)."),
        "{out}"
    );
    let listed = ok(&caseload(dir.path(), &dest, &["client", "list", "--json"]));
    let clients: serde_json::Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(clients.as_array().unwrap().len(), 12);
    // A named file; never over an existing one.
    let named = dir.path().join("elsewhere/monday.db");
    let out = ok(&caseload(
        dir.path(),
        &db,
        &["backup", named.to_str().unwrap()],
    ));
    assert!(out.contains("monday.db"));
    let e = err(&caseload(
        dir.path(),
        &db,
        &["backup", named.to_str().unwrap()],
    ));
    assert!(e.contains("already exists"), "{e}");
}

#[test]
fn check_reports_counts_and_the_last_backup_and_fails_on_a_problem() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("caseload.db");
    ok(&caseload(dir.path(), &db, &["demo", "--clients", "5"]));
    let out = ok(&caseload(dir.path(), &db, &["check"]));
    assert!(out.contains("Integrity:     ok"), "{out}");
    assert!(out.contains("none yet"), "{out}");
    assert!(out.contains("All is well."), "{out}");
    ok(&caseload(dir.path(), &db, &["backup"]));
    let json: serde_json::Value =
        serde_json::from_str(&ok(&caseload(dir.path(), &db, &["check", "--json"]))).unwrap();
    assert_eq!(json["ok"], true);
    assert_eq!(json["integrity"], serde_json::json!(["ok"]));
    assert_eq!(
        json["tables"][0],
        serde_json::json!({"table": "clients", "rows": 5})
    );
    assert_eq!(json["last_backup"]["at"], "2026-03-14T09:00");
    assert_eq!(json["last_backup"]["kind"], "manual");
    assert_eq!(json["schema_version"], json["schema_supported"]);

    // A record pointing at nothing: exit 1, the problem in words.
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch(
        "PRAGMA foreign_keys = OFF; INSERT INTO client_status_changes (client_id, to_status, changed_at) VALUES (99, 'active', '2026-03-14T09:00:00Z')",
    )
    .unwrap();
    drop(c);
    let o = caseload(dir.path(), &db, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.contains("Links:         1 broken"), "{out}");
    assert!(
        out.contains("refers to a record in clients that is not there"),
        "{out}"
    );
    let o = caseload(dir.path(), &db, &["check", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["ok"], false);
    assert_eq!(json["broken_links"][0]["refers_to"], "clients");
}

#[test]
fn demo_practice_round_trips_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    ok(&caseload(dir.path(), &db, &["demo", "--clients", "60"]));
    ok(&caseload(
        dir.path(),
        &db,
        &["client", "status", "3", "discharged"],
    ));
    let first = dir.path().join("first.json");
    let out = ok(&caseload(
        dir.path(),
        &db,
        &["export", "--format", "json", "-o", first.to_str().unwrap()],
    ));
    assert!(out.starts_with("Exported "), "{out}");
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&first).unwrap()).unwrap();
    assert_eq!(doc["format"], "caseload-export");
    assert_eq!(doc["version"], 2);
    assert_eq!(doc["tables"]["clients"].as_array().unwrap().len(), 60);
    // The demo's own trail, then the status change.
    let audit = doc["tables"]["audit"].as_array().unwrap();
    assert!(audit.len() > 60, "{}", audit.len());
    assert_eq!(audit.last().unwrap()["action"], "status_changed");
    let detail = audit.last().unwrap()["detail"].as_str().unwrap();
    assert!(detail.ends_with(" to discharged"), "{detail}");

    let fresh = dir.path().join("fresh.db");
    let out = ok(&caseload(
        dir.path(),
        &fresh,
        &["import", first.to_str().unwrap()],
    ));
    let rows: usize = doc["tables"]
        .as_object()
        .unwrap()
        .values()
        .map(|t| t.as_array().unwrap().len())
        .sum();
    assert!(out.contains(&format!("Imported {rows} records")), "{out}");
    let again = ok(&caseload(dir.path(), &fresh, &["export"]));
    assert_eq!(again.as_bytes(), std::fs::read(&first).unwrap().as_slice());

    // The imported file is a whole practice: checks pass and the rules still hold.
    ok(&caseload(dir.path(), &fresh, &["check"]));
    let c = rusqlite::Connection::open(&fresh).unwrap();
    assert!(c.execute("DELETE FROM clients", []).is_err());
    assert!(c.execute("DELETE FROM audit", []).is_err());
    // Every index, trigger and table is back as the original has them (the import builds
    // plain indexes after the rows), and the notes' search finds the same notes.
    let schema = |c: &rusqlite::Connection| -> Vec<(String, String, Option<String>)> {
        c.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let original = rusqlite::Connection::open(&db).unwrap();
    assert_eq!(schema(&c), schema(&original));
    for word in ["sleep", "work"] {
        let hits = |p: &Path| {
            ok(&caseload(
                dir.path(),
                p,
                &["note", "search", word, "--json"],
            ))
        };
        let (a, b) = (hits(&db), hits(&fresh));
        assert!(
            a.contains("\"note_id\""),
            "the demo's notes mention {word}: {a}"
        );
        assert_eq!(a, b, "search for {word}");
    }
    let n = |c: &rusqlite::Connection| -> i64 {
        c.query_row("SELECT count(*) FROM notes_fts", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(n(&c), n(&original));
}

#[test]
fn import_refuses_a_file_with_records_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("caseload.db");
    ok(&caseload(dir.path(), &db, &["demo", "--clients", "3"]));
    let doc = dir.path().join("e.json");
    ok(&caseload(
        dir.path(),
        &db,
        &["export", "-o", doc.to_str().unwrap()],
    ));
    let before = std::fs::read(&db).unwrap();
    let e = err(&caseload(
        dir.path(),
        &db,
        &["import", doc.to_str().unwrap()],
    ));
    assert!(
        e.contains("already holds records (3 clients, 3 client_status_changes"),
        "{e}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn csv_export_writes_one_file_per_table() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("caseload.db");
    ok(&caseload(dir.path(), &db, &["demo", "--clients", "4"]));
    let o = caseload(dir.path(), &db, &["export", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(2), "a missing -o is a usage error");
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("give a folder with -o DIR"), "{e}");
    let out_dir = dir.path().join("csv");
    let out = ok(&caseload(
        dir.path(),
        &db,
        &["export", "--format", "csv", "-o", out_dir.to_str().unwrap()],
    ));
    assert!(out.contains("CSV files in"), "{out}");
    for t in ["clients", "client_status_changes", "settings", "audit"] {
        assert!(out_dir.join(format!("{t}.csv")).exists(), "{t}");
    }
    let mut r = csv::Reader::from_path(out_dir.join("clients.csv")).unwrap();
    assert_eq!(&r.headers().unwrap()[1], "name");
    assert_eq!(r.records().count(), 4);
}

#[test]
fn restore_brings_back_a_backup_and_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("caseload.db");
    ok(&caseload(
        dir.path(),
        &db,
        &["client", "add", "--name", "Ada Lovelace"],
    ));
    let b = dir.path().join("b.db");
    ok(&caseload(dir.path(), &db, &["backup", b.to_str().unwrap()]));
    ok(&caseload(
        dir.path(),
        &db,
        &["client", "add", "--name", "Grace Hopper"],
    ));
    let out = ok(&caseload(
        dir.path(),
        &db,
        &["restore", b.to_str().unwrap()],
    ));
    assert!(out.contains("Restored"), "{out}");
    assert!(
        out.contains("caseload-before-restore-20260314-090000.db"),
        "{out}"
    );
    let list = ok(&caseload(dir.path(), &db, &["client", "list"]));
    assert!(
        list.contains("Ada Lovelace") && !list.contains("Grace Hopper"),
        "{list}"
    );
    let trail = ok(&caseload(dir.path(), &db, &["audit"]));
    assert!(trail.contains("restored"), "{trail}");
}

#[test]
fn audit_lists_status_changes_per_client() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("caseload.db");
    ok(&caseload(
        dir.path(),
        &db,
        &["client", "add", "--name", "Ada Lovelace"],
    ));
    ok(&caseload(
        dir.path(),
        &db,
        &["client", "add", "--name", "Grace Hopper"],
    ));
    ok(&caseload(
        dir.path(),
        &db,
        &["client", "status", "2", "on_hold"],
    ));
    ok(&caseload(
        dir.path(),
        &db,
        &["client", "status", "2", "active"],
    ));
    let out = ok(&caseload(dir.path(), &db, &["audit"]));
    assert!(
        out.contains("status_changed    client 2  from on_hold to active"),
        "{out}"
    );
    let json: serde_json::Value = serde_json::from_str(&ok(&caseload(
        dir.path(),
        &db,
        &["audit", "--client", "2", "--json"],
    )))
    .unwrap();
    let entries = json.as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["action"], "status_changed");
    assert_eq!(entries[0]["client_id"], 2);
    assert_eq!(entries[0]["at"], json_at());
    assert_eq!(
        ok(&caseload(dir.path(), &db, &["audit", "--client", "1"])).trim(),
        "Nothing in the audit trail yet."
    );
    let e = err(&caseload(dir.path(), &db, &["audit", "--client", "9"]));
    assert!(e.contains("There is no client with id 9"), "{e}");
}

/// NOW, 09:00 on 14 March in Berlin, as the UTC instant the JSON shows.
fn json_at() -> String {
    "2026-03-14T08:00:00Z".to_string()
}
