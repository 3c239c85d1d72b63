#![allow(clippy::unwrap_used, clippy::panic)]
//! The sealed audit chain as an attacker would try it: every way of rewriting a record is named
//! by `check`, and refused by `import` and `restore` with the practice left byte-identical.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rusqlite::Connection;

const NOW: &str = "2026-03-14 09:00";

fn caseload_env(dir: &Path, db: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_caseload"));
    c.arg("--db")
        .arg(db)
        .args(["--now", NOW])
        .args(args)
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env_remove("CASELOAD_DB")
        .env_remove("CASELOAD_PASSPHRASE")
        .env_remove("CASELOAD_BACKUP_PASSPHRASE");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn caseload(dir: &Path, db: &Path, args: &[&str]) -> Output {
    caseload_env(dir, db, args, &[])
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

/// Exit 1; stdout and stderr together.
fn fails(o: &Output) -> String {
    let both = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(o.status.code(), Some(1), "{both}");
    both
}

/// A small practice with signed notes and an addendum; returns (a signed note, its addendum).
fn practice(dir: &Path, db: &Path) -> (i64, i64) {
    ok(&caseload(
        dir,
        db,
        &["demo", "--clients", "6", "--months", "6"],
    ));
    let conn = Connection::open(db).unwrap();
    let note: i64 = conn
        .query_row(
            "SELECT id FROM notes WHERE signed_at IS NOT NULL ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(conn);
    ok(&caseload(
        dir,
        db,
        &[
            "note",
            "addendum",
            &note.to_string(),
            "--text",
            "Spoke again by phone.",
        ],
    ));
    let conn = Connection::open(db).unwrap();
    let addendum: i64 = conn
        .query_row("SELECT max(id) FROM note_addenda", [], |r| r.get(0))
        .unwrap();
    (note, addendum)
}

/// Runs raw SQL on a file as an attacker with the file would.
fn raw(db: &Path, sql: &str) {
    let conn = Connection::open(db).unwrap();
    conn.execute_batch(sql).unwrap();
}

struct Case {
    name: &'static str,
    sql: String,
    /// Words `check` must print.
    words: String,
    /// Whether the change travels in an export (data, not schema).
    in_export: bool,
}

fn cases(note: i64, addendum: i64, draft: i64) -> Vec<Case> {
    vec![
        Case {
            name: "signed note text changed with its trigger dropped",
            sql: format!(
                "DROP TRIGGER signed_notes_are_final;
                 UPDATE notes SET body = json_set(body, '$.subjective', 'rewritten') WHERE id = {note};"
            ),
            words: format!("Note {note} (client"),
            in_export: true,
        },
        Case {
            name: "signed note replaced with INSERT OR REPLACE",
            sql: format!(
                "DROP TRIGGER notes_are_never_replaced;
                 INSERT OR REPLACE INTO notes (id, client_id, session_id, template, body, created_at, updated_at, signed_at)
                 SELECT id, client_id, session_id, template, '{{}}', created_at, updated_at, signed_at FROM notes WHERE id = {note};"
            ),
            words: format!("Note {note} (client"),
            in_export: true,
        },
        Case {
            name: "audit entry deleted",
            sql: "DROP TRIGGER audit_is_never_deleted;
                  DELETE FROM audit WHERE id = 3;"
                .into(),
            words: "The audit trail is broken before entry 4".into(),
            in_export: true,
        },
        Case {
            name: "note_signed entry deleted and the note changed",
            sql: format!(
                "DROP TRIGGER audit_is_never_deleted; DROP TRIGGER signed_notes_are_final;
                 DELETE FROM audit WHERE action = 'note_signed' AND entity_id = {note};
                 UPDATE notes SET body = '{{}}' WHERE id = {note};"
            ),
            words: format!("Note {note} (client"),
            in_export: true,
        },
        Case {
            name: "audit entries reordered",
            sql: "DROP TRIGGER audit_is_never_changed;
                  UPDATE audit SET id = -1 WHERE id = 2;
                  UPDATE audit SET id = 2 WHERE id = 3;
                  UPDATE audit SET id = 3 WHERE id = -1;"
                .into(),
            words: "The audit trail is broken before entry 2".into(),
            in_export: true,
        },
        Case {
            name: "audit entry edited",
            sql: "DROP TRIGGER audit_is_never_changed;
                  UPDATE audit SET detail = 'nothing happened' WHERE id = 5;"
                .into(),
            words: "Audit entry 5 (".into(),
            in_export: true,
        },
        Case {
            name: "addendum changed",
            sql: format!(
                "DROP TRIGGER addenda_are_final;
                 UPDATE note_addenda SET text = 'Never called.' WHERE id = {addendum};"
            ),
            words: format!("Addendum {addendum} (of note {note}) was changed after it was signed"),
            in_export: true,
        },
        Case {
            name: "foreign trigger added",
            sql: "CREATE TRIGGER sneaky AFTER INSERT ON notes BEGIN SELECT 1; END;".into(),
            words: "There is a trigger sneaky that caseload does not define".into(),
            in_export: false,
        },
        Case {
            name: "view added",
            sql: "CREATE VIEW everything AS SELECT * FROM notes;".into(),
            words: "There is a view everything that caseload does not define".into(),
            in_export: false,
        },
        Case {
            name: "impossible date",
            sql: "UPDATE sessions SET starts_at = '2026-02-30T10:00' WHERE id = 1;".into(),
            words: "session 1: starts_at “2026-02-30T10:00” is not a valid time".into(),
            in_export: true,
        },
        Case {
            name: "unknown note section",
            sql: format!("UPDATE notes SET body = '{{\"mood\":\"fine\"}}' WHERE id = {draft};"),
            words: format!("note {draft}: “mood” is not a section of"),
            in_export: true,
        },
    ]
}

fn files_beside(db: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(db.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn every_rewrite_is_named_by_check_and_refused_by_import_and_restore() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.db");
    let (note, addendum) = practice(dir.path(), &base);
    let draft: i64 = Connection::open(&base)
        .unwrap()
        .query_row(
            "SELECT id FROM notes WHERE signed_at IS NULL ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let out = ok(&caseload(dir.path(), &base, &["check"]));
    assert!(out.contains("All is well."), "{out}");
    // The practice a tampered backup is restored into, and its bytes.
    let home = dir.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let practice_db = home.join("caseload.db");
    ok(&caseload(
        dir.path(),
        &practice_db,
        &["demo", "--clients", "3", "--months", "2"],
    ));
    let before = std::fs::read(&practice_db).unwrap();
    let listing = files_beside(&practice_db);

    for case in cases(note, addendum, draft) {
        let tampered = dir
            .path()
            .join(format!("{}.db", case.name.replace(' ', "_")));
        std::fs::copy(&base, &tampered).unwrap();
        raw(&tampered, &case.sql);
        let out = fails(&caseload(dir.path(), &tampered, &["check"]));
        assert!(out.contains(&case.words), "{}: {out}", case.name);
        let json = caseload(dir.path(), &tampered, &["check", "--json"]);
        let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(v["ok"], false, "{}", case.name);
        let parts_failing: Vec<&str> = ["seal", "schema_objects", "records"]
            .into_iter()
            .filter(|p| v[p]["ok"] == false)
            .collect();
        assert!(!parts_failing.is_empty(), "{}: {v}", case.name);

        let out = fails(&caseload(
            dir.path(),
            &practice_db,
            &["restore", tampered.to_str().unwrap()],
        ));
        assert!(out.contains("Nothing was restored"), "{}: {out}", case.name);
        assert!(out.contains(&case.words), "{}: {out}", case.name);
        assert_eq!(
            std::fs::read(&practice_db).unwrap(),
            before,
            "{}",
            case.name
        );
        assert_eq!(files_beside(&practice_db), listing, "{}", case.name);

        if case.in_export {
            let export = dir
                .path()
                .join(format!("{}.json", case.name.replace(' ', "_")));
            ok(&caseload(
                dir.path(),
                &tampered,
                &["export", "-o", export.to_str().unwrap()],
            ));
            let fresh = dir
                .path()
                .join(format!("{}-import.db", case.name.replace(' ', "_")));
            let out = fails(&caseload(
                dir.path(),
                &fresh,
                &["import", export.to_str().unwrap()],
            ));
            assert!(out.contains("nothing was imported"), "{}: {out}", case.name);
            let count: i64 = Connection::open(&fresh)
                .unwrap()
                .query_row("SELECT count(*) FROM clients", [], |r| r.get(0))
                .unwrap();
            assert_eq!(count, 0, "{}", case.name);
        }
    }
}

#[test]
fn a_changed_export_is_refused_on_import() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("caseload.db");
    let (note, _) = practice(dir.path(), &db);
    let export = dir.path().join("all.json");
    ok(&caseload(
        dir.path(),
        &db,
        &["export", "-o", export.to_str().unwrap()],
    ));
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&export).unwrap()).unwrap();
    // The note's text changed, and its signing entry taken out.
    for n in doc["tables"]["notes"].as_array_mut().unwrap() {
        if n["id"] == note {
            n["body"] = serde_json::json!({"subjective": "rewritten"});
        }
    }
    let audit = doc["tables"]["audit"].as_array_mut().unwrap();
    audit.retain(|e| !(e["action"] == "note_signed" && e["entity_id"] == note));
    std::fs::write(&export, serde_json::to_vec(&doc).unwrap()).unwrap();
    let fresh = dir.path().join("fresh.db");
    let out = fails(&caseload(
        dir.path(),
        &fresh,
        &["import", export.to_str().unwrap()],
    ));
    assert!(out.contains("The export fails verification"), "{out}");
    assert!(
        out.contains("The audit trail is broken before entry"),
        "{out}"
    );
    assert!(out.contains(&format!("Note {note} (client")), "{out}");
    // An untouched export imports, seal and all, and checks clean.
    let clean = dir.path().join("clean.json");
    ok(&caseload(
        dir.path(),
        &db,
        &["export", "-o", clean.to_str().unwrap()],
    ));
    let again = dir.path().join("again.db");
    ok(&caseload(
        dir.path(),
        &again,
        &["import", clean.to_str().unwrap()],
    ));
    ok(&caseload(dir.path(), &again, &["check"]));
    let h1 = ok(&caseload(dir.path(), &db, &["audit", "--head"]));
    let h2 = ok(&caseload(dir.path(), &again, &["audit", "--head"]));
    assert_eq!(h1, h2);
}

#[test]
fn the_head_kept_outside_tells_when_history_was_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("caseload.db");
    practice(dir.path(), &db);
    let json = ok(&caseload(dir.path(), &db, &["audit", "--head", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let head = v["head"].as_str().unwrap().to_string();
    assert_eq!(head.len(), 64);
    let entries = v["entries"].as_u64().unwrap();
    assert!(entries > 10, "{v}");
    assert_eq!(v.as_object().unwrap().len(), 2);
    ok(&caseload(
        dir.path(),
        &db,
        &["check", "--expect-head", &head],
    ));
    // New entries after it keep it in the chain.
    ok(&caseload(
        dir.path(),
        &db,
        &["client", "status", "1", "on_hold"],
    ));
    ok(&caseload(
        dir.path(),
        &db,
        &["check", "--expect-head", &head],
    ));
    // A whole chain recomputed by someone with the file: the seal holds, the kept head does not.
    let conn = Connection::open(&db).unwrap();
    let trigger: String = conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE name = 'audit_is_never_changed'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute_batch(
        "DROP TRIGGER audit_is_never_changed; UPDATE audit SET hash = NULL, prev_hash = NULL;
         UPDATE audit SET detail = 'rewritten' WHERE id = 3;",
    )
    .unwrap();
    drop(conn);
    rechain(&db);
    raw(&db, &trigger);
    ok(&caseload(dir.path(), &db, &["check"]));
    let out = fails(&caseload(
        dir.path(),
        &db,
        &["check", "--expect-head", &head],
    ));
    assert!(out.contains("is no longer in the audit trail"), "{out}");
    let out = fails(&caseload(
        dir.path(),
        &db,
        &["check", "--expect-head", "nothex"],
    ));
    assert!(out.contains("is not a head hash"), "{out}");
}

/// Recomputes every hash of the trail the way caseload does (what an attacker can do).
fn rechain(db: &Path) {
    use caseload::domain::seal::{Field, GENESIS, canonical, chain_hash};
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn.prepare("SELECT * FROM audit ORDER BY id").unwrap();
    let names: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
    // (id, canonical form) of each entry.
    let rows: Vec<(i64, String)> = stmt
        .query_map([], |r| {
            let mut pairs: Vec<(&str, Field<'_>)> = Vec::new();
            let mut id = 0;
            for (i, n) in names.iter().enumerate() {
                if n == "hash" || n == "prev_hash" {
                    continue;
                }
                let v = match r.get_ref(i).unwrap() {
                    rusqlite::types::ValueRef::Null => Field::Null,
                    rusqlite::types::ValueRef::Integer(x) => Field::Integer(x),
                    rusqlite::types::ValueRef::Real(x) => Field::Real(x),
                    rusqlite::types::ValueRef::Text(t) => {
                        Field::Text(std::str::from_utf8(t).unwrap())
                    }
                    rusqlite::types::ValueRef::Blob(b) => Field::Blob(b),
                };
                if n == "id" {
                    id = r.get(i)?;
                }
                pairs.push((n.as_str(), v));
            }
            let refs: Vec<(&str, &Field<'_>)> = pairs.iter().map(|(n, v)| (*n, v)).collect();
            Ok((id, canonical(&refs)))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    drop(stmt);
    let mut prev = GENESIS.to_string();
    for (id, form) in rows {
        let hash = chain_hash(&prev, &form);
        conn.execute(
            "UPDATE audit SET prev_hash = ?2, hash = ?3 WHERE id = ?1",
            rusqlite::params![id, prev, hash],
        )
        .unwrap();
        prev = hash;
    }
}

#[test]
fn raw_insert_or_replace_of_a_signed_note_or_an_entry_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("caseload.db");
    let (note, _) = practice(dir.path(), &db);
    let conn = Connection::open(&db).unwrap();
    let e = conn
        .execute(
            "INSERT OR REPLACE INTO notes (id, client_id, session_id, template, body, created_at, updated_at, signed_at)
             SELECT id, client_id, session_id, template, '{}', created_at, updated_at, signed_at FROM notes WHERE id = ?1",
            [note],
        )
        .unwrap_err()
        .to_string();
    assert!(e.contains("notes are never replaced"), "{e}");
    let e = conn
        .execute(
            "INSERT OR REPLACE INTO audit (id, at, action, entity) VALUES (1, '2026-01-01T00:00:00Z', 'x', 'y')",
            [],
        )
        .unwrap_err()
        .to_string();
    assert!(e.contains("only be added to"), "{e}");
    drop(conn);
    ok(&caseload(dir.path(), &db, &["check"]));
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The key file of an encrypted practice file.
fn keys(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(".keys");
    PathBuf::from(s)
}

#[test]
fn restore_keeps_the_practice_encrypted_or_plain_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let pass = [("CASELOAD_PASSPHRASE", "practice horse")];
    for (backup_encrypted, practice_encrypted) in
        [(false, false), (false, true), (true, false), (true, true)]
    {
        let case = format!("backup {backup_encrypted}, practice {practice_encrypted}");
        let home = dir
            .path()
            .join(format!("{backup_encrypted}-{practice_encrypted}"));
        std::fs::create_dir(&home).unwrap();
        let db = home.join("caseload.db");
        ok(&caseload(
            dir.path(),
            &db,
            &["demo", "--clients", "4", "--months", "2"],
        ));
        // The backup: made from another practice with its own passphrase when encrypted.
        let other = home.join("other.db");
        ok(&caseload(
            dir.path(),
            &other,
            &["demo", "--clients", "7", "--months", "2"],
        ));
        if backup_encrypted {
            ok(&caseload_env(
                dir.path(),
                &other,
                &["encrypt"],
                &[("CASELOAD_PASSPHRASE", "backup horse")],
            ));
        }
        let backup = home.join("b.db");
        ok(&caseload_env(
            dir.path(),
            &other,
            &["backup", path_str(&backup)],
            &[("CASELOAD_PASSPHRASE", "backup horse")],
        ));
        if practice_encrypted {
            ok(&caseload_env(dir.path(), &db, &["encrypt"], &pass));
        }
        let mut env: Vec<(&str, &str)> = Vec::new();
        if practice_encrypted {
            env.push(pass[0]);
        }
        if backup_encrypted {
            env.push(("CASELOAD_BACKUP_PASSPHRASE", "backup horse"));
        }
        let out = ok(&caseload_env(
            dir.path(),
            &db,
            &["restore", path_str(&backup)],
            &env,
        ));
        assert!(out.starts_with("Restored "), "{case}: {out}");
        assert_eq!(out.trim_end().lines().count(), 2, "{case}: {out}");
        assert_eq!(keys(&db).exists(), practice_encrypted, "{case}");
        // It opens as the practice did: with its own passphrase when encrypted, without one
        // when not; and it holds the backup's records.
        let list = if practice_encrypted {
            caseload_env(dir.path(), &db, &["client", "list", "--json"], &pass)
        } else {
            caseload(dir.path(), &db, &["client", "list", "--json"])
        };
        let clients: serde_json::Value = serde_json::from_str(&ok(&list)).unwrap();
        assert_eq!(clients.as_array().unwrap().len(), 7, "{case}");
        let header = std::fs::read(&db).unwrap();
        assert_eq!(
            &header[..16] == b"SQLite format 3\0",
            !practice_encrypted,
            "{case}"
        );
        if practice_encrypted {
            // The backup's passphrase does not open it; the practice's does.
            let o = caseload_env(
                dir.path(),
                &db,
                &["client", "list"],
                &[("CASELOAD_PASSPHRASE", "backup horse")],
            );
            assert_eq!(o.status.code(), Some(1), "{case}");
            ok(&caseload_env(dir.path(), &db, &["check"], &pass));
        } else {
            ok(&caseload(dir.path(), &db, &["check"]));
        }
        // Nothing temporary left beside it.
        assert!(
            !files_beside(&db).iter().any(|f| f.contains(".caseload-")),
            "{case}: {:?}",
            files_beside(&db)
        );
    }
}

#[test]
fn a_session_with_a_signed_note_is_final() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("caseload.db");
    practice(dir.path(), &db);
    let conn = Connection::open(&db).unwrap();
    let session: i64 = conn
        .query_row(
            "SELECT session_id FROM notes WHERE signed_at IS NOT NULL AND session_id IS NOT NULL ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(conn);
    let s = session.to_string();
    let before = std::fs::read(&db).unwrap();
    let refused = |args: &[&str]| {
        let out = fails(&caseload(dir.path(), &db, args));
        assert!(
            out.contains(&format!("Session {session} has a signed note")),
            "{args:?}: {out}"
        );
        assert!(out.contains("add an addendum"), "{args:?}: {out}");
    };
    refused(&["session", "mark", &s, "scheduled"]);
    refused(&["session", "mark", &s, "no_show"]);
    assert_eq!(std::fs::read(&db).unwrap(), before);
    // A session still scheduled whose note was signed (as files written before this rule may
    // hold): it can't be moved or cancelled either.
    raw(
        &db,
        &format!(
            "UPDATE sessions SET status = 'scheduled', starts_at = '2026-03-20T10:00' WHERE id = {session}"
        ),
    );
    let before = std::fs::read(&db).unwrap();
    refused(&["session", "edit", &s, "--at", "2026-03-21 10:00"]);
    refused(&[
        "session",
        "cancel",
        &s,
        "--reason",
        "work",
        "--decline-remote",
    ]);
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn a_note_is_signed_only_once_its_session_has_started() {
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
        &[
            "session",
            "add",
            "--client",
            "1",
            "--at",
            "2026-03-14 15:00",
        ],
    ));
    let text = dir.path().join("note.txt");
    std::fs::write(&text, "Prepared the agenda.").unwrap();
    ok(&caseload(
        dir.path(),
        &db,
        &[
            "note",
            "add",
            "--session",
            "1",
            "--template",
            "free",
            "--file",
            path_str(&text),
        ],
    ));
    let out = fails(&caseload(dir.path(), &db, &["note", "sign", "1"]));
    assert!(out.contains("has not started yet"), "{out}");
    let later = Command::new(env!("CARGO_BIN_EXE_caseload"))
        .arg("--db")
        .arg(&db)
        .args(["--now", "2026-03-14 15:00", "note", "sign", "1"])
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env_remove("CASELOAD_DB")
        .output()
        .unwrap();
    ok(&later);
}

#[test]
fn a_read_only_practice_opens_for_reading_and_says_so_on_a_write() {
    use caseload::store::Store;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("caseload.db");
    practice(dir.path(), &db);
    let before = std::fs::read(&db).unwrap();
    let mut s = Store::open_read_only(&db, None).unwrap();
    assert!(s.read_only());
    assert_eq!(s.clients(Default::default()).unwrap().len(), 6);
    assert!(s.check().unwrap().ok);
    let mut out = Vec::new();
    s.export_json(&mut out, &mut |_| {}).unwrap();
    s.backup_to(&dir.path().join("elsewhere.db")).unwrap();
    let now = chrono::Utc::now();
    let e = s
        .set_client_status(1, caseload::domain::client::ClientStatus::OnHold, now)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("read-only") && e.contains("nothing was changed"),
        "{e}"
    );
    assert!(!e.contains("damaged") && !e.contains("restore"), "{e}");
    assert_eq!(
        caseload::store::safety::auto_backup(
            &s,
            chrono::NaiveDate::from_ymd_opt(2026, 3, 14)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap()
        ),
        Ok(None)
    );
    drop(s);
    assert_eq!(std::fs::read(&db).unwrap(), before);
}
