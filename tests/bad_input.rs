#![allow(clippy::unwrap_used, clippy::panic)]
//! Bad input, one row a case: each gives its clear message, exits with 1, and leaves the file
//! byte-identical.

mod common;

use common::Within;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn caseload(dir: &Path, db: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_caseload"));
    c.arg("--db")
        .arg(db)
        .args(["--now", "2026-03-14 09:00"])
        .args(args)
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env_remove("CASELOAD_DB");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output_within()
}

fn practice(dir: &Path, name: &str, clients: &str) -> PathBuf {
    let db = dir.join(name);
    let o = caseload(dir, &db, &["demo", "--clients", clients], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    db
}

fn bytes(p: &Path) -> Option<Vec<u8>> {
    std::fs::read(p).ok()
}

struct Case {
    name: &'static str,
    /// Makes the bad input; returns the --db path and the file whose bytes must not change.
    make: fn(&Path) -> (PathBuf, PathBuf),
    args: &'static [&'static str],
    words: &'static [&'static str],
}

fn random_bytes(n: usize) -> Vec<u8> {
    let mut rng = fastrand::Rng::with_seed(8);
    (0..n).map(|_| rng.u8(..)).collect()
}

const CASES: &[Case] = &[
    Case {
        name: "zero-length file",
        make: |d| {
            let p = d.join("empty.db");
            std::fs::write(&p, b"").unwrap();
            (p.clone(), p)
        },
        args: &["client", "add", "--name", "Ada"],
        words: &["is empty (0 bytes)", "left untouched"],
    },
    Case {
        name: "truncated file",
        make: |d| {
            let p = practice(d, "cut.db", "400");
            let b = std::fs::read(&p).unwrap();
            std::fs::write(&p, &b[..b.len() / 3]).unwrap();
            (p.clone(), p)
        },
        args: &["client", "add", "--name", "Ada"],
        words: &["it is damaged", "left untouched", "restore a backup"],
    },
    Case {
        name: "random bytes",
        make: |d| {
            let p = d.join("noise.db");
            std::fs::write(&p, random_bytes(8192)).unwrap();
            (p.clone(), p)
        },
        args: &["client", "add", "--name", "Ada"],
        words: &["is not a caseload practice file", "left untouched"],
    },
    Case {
        name: "a foreign SQLite file",
        make: |d| {
            let p = d.join("foreign.db");
            let c = rusqlite::Connection::open(&p).unwrap();
            c.execute_batch("CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x');")
                .unwrap();
            (p.clone(), p)
        },
        args: &["client", "add", "--name", "Ada"],
        words: &["belongs to another program", "left untouched"],
    },
    Case {
        name: "a newer schema",
        make: |d| {
            let p = practice(d, "newer.db", "3");
            let c = rusqlite::Connection::open(&p).unwrap();
            c.execute_batch("PRAGMA user_version = 999").unwrap();
            drop(c);
            (p.clone(), p)
        },
        args: &["client", "add", "--name", "Ada"],
        words: &["newer version of caseload", "schema 999", "Update caseload"],
    },
    Case {
        name: "a directory",
        make: |d| {
            let p = d.join("folder.db");
            std::fs::create_dir(&p).unwrap();
            (p.clone(), p.join("absent"))
        },
        args: &["client", "add", "--name", "Ada"],
        words: &["is a folder, not a practice file"],
    },
    Case {
        // Tests run as root, who can write any file: a path under a regular file can't be.
        name: "a file that can't be written",
        make: |d| {
            let parent = d.join("plain-file");
            std::fs::write(&parent, b"just text").unwrap();
            (parent.join("caseload.db"), parent)
        },
        args: &["client", "add", "--name", "Ada"],
        words: &["can't write", "a part of the path is a file, not a folder"],
    },
    Case {
        name: "an import with a bad field",
        make: |d| {
            let src = practice(d, "src.db", "6");
            let doc = d.join("export.json");
            let o = caseload(d, &src, &["export", "-o", doc.to_str().unwrap()], &[]);
            assert!(o.status.success());
            let mut v: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&doc).unwrap()).unwrap();
            v["tables"]["clients"][3]["name"] = serde_json::json!(42);
            std::fs::write(&doc, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
            // The target: a new, empty practice file.
            let target = d.join("target.db");
            assert!(caseload(d, &target, &["check"], &[]).status.success());
            (target.clone(), target)
        },
        args: &["import", "export.json"],
        words: &[
            "$.tables.clients[3].name: expected text, found a number",
            "nothing was imported",
        ],
    },
    Case {
        name: "a restore from random bytes",
        make: |d| {
            let p = practice(d, "live.db", "3");
            std::fs::write(d.join("noise.bak"), random_bytes(8192)).unwrap();
            (p.clone(), p)
        },
        args: &["restore", "noise.bak"],
        words: &["Nothing was restored", "is not a caseload practice file"],
    },
];

#[test]
fn every_bad_input_is_refused_clearly_and_changes_nothing() {
    for case in CASES {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let (db, watched) = (case.make)(d);
        let before = bytes(&watched);
        let args: Vec<String> = case
            .args
            .iter()
            .map(|a| {
                if a.ends_with(".json") || a.ends_with(".bak") {
                    d.join(a).display().to_string()
                } else {
                    a.to_string()
                }
            })
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = caseload(d, &db, &args, &[]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{}: {stderr}", case.name);
        assert!(stderr.starts_with("caseload: "), "{}: {stderr}", case.name);
        for w in case.words {
            assert!(
                stderr.contains(w),
                "{}: expected “{w}” in: {stderr}",
                case.name
            );
        }
        assert!(
            !stderr.contains("Sqlite") && !stderr.contains("Error {"),
            "{}: {stderr}",
            case.name
        );
        assert_eq!(bytes(&watched), before, "{}: the file changed", case.name);
    }
}

#[test]
fn a_file_locked_by_another_writer_is_reported_as_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = practice(d, "busy.db", "3");
    let holder = rusqlite::Connection::open(&db).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let before = bytes(&db);
    let started = std::time::Instant::now();
    let o = caseload(
        d,
        &db,
        &["client", "add", "--name", "Ada"],
        &[("CASELOAD_BUSY_TIMEOUT_MS", "300")],
    );
    // Well under the default ten-second wait: the setting was honoured.
    assert!(started.elapsed() < std::time::Duration::from_secs(8));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("is in use"), "{stderr}");
    assert!(stderr.contains("Nothing was changed"), "{stderr}");
    assert_eq!(bytes(&db), before);
    // Reading still works while the other window writes.
    let o = caseload(
        d,
        &db,
        &["client", "list"],
        &[("CASELOAD_BUSY_TIMEOUT_MS", "300")],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // And a restore refuses to pull the file from under the other window.
    let backup = d.join("b.db");
    std::fs::copy(&db, &backup).unwrap();
    let o = caseload(
        d,
        &db,
        &["restore", backup.to_str().unwrap()],
        &[("CASELOAD_BUSY_TIMEOUT_MS", "300")],
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("in use"), "{stderr}");
    assert_eq!(bytes(&db), before);
    holder.execute_batch("ROLLBACK").unwrap();
}
