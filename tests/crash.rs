#![allow(clippy::unwrap_used, clippy::panic)]
//! Crash safety: the real binary adds clients, one process per client, printing each id once it
//! is committed; each process is killed with SIGKILL at a random moment. After every kill the file
//! passes SQLite's integrity check and every id printed as committed is in it.
//!
//! CI runs 20 kills; set `CASELOAD_CRASH_KILLS=200` (or more) to run a longer storm by hand.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn add(dir: &Path, db: &Path, i: usize) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_caseload"))
        .arg("--db")
        .arg(db)
        .args([
            "client",
            "add",
            "--name",
            &format!("Crash Test {i}"),
            "--phone",
            "555 0100",
        ])
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env_remove("CASELOAD_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn killing_the_writer_never_loses_a_committed_record_or_damages_the_file() {
    let kills: usize = std::env::var("CASELOAD_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");

    // How long one uninterrupted add takes here, so that kills land all through it.
    let started = Instant::now();
    let out = add(dir.path(), &db, 0).wait_with_output().unwrap();
    assert!(out.status.success());
    let span = started.elapsed().as_micros().max(1000) as u64;
    let mut committed: Vec<i64> = vec![
        String::from_utf8(out.stdout)
            .unwrap()
            .trim()
            .parse()
            .unwrap(),
    ];

    let mut rng = fastrand::Rng::with_seed(0x5afe);
    let mut killed_mid_write = 0;
    for i in 1..=kills {
        let mut child = add(dir.path(), &db, i);
        std::thread::sleep(Duration::from_micros(rng.u64(0..span * 5 / 4)));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let mut printed = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut printed)
            .unwrap();
        match printed.trim().parse::<i64>() {
            Ok(id) => committed.push(id),
            Err(_) => killed_mid_write += 1,
        }

        let c = rusqlite::Connection::open(&db).unwrap();
        let check: String = c
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok", "after kill {i}");
        for id in &committed {
            let n: i64 = c
                .query_row("SELECT count(*) FROM clients WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .unwrap();
            assert_eq!(
                n, 1,
                "client {id} was printed as committed but is missing after kill {i}"
            );
        }
    }
    let c = rusqlite::Connection::open(&db).unwrap();
    let stored: i64 = c
        .query_row("SELECT count(*) FROM clients", [], |r| r.get(0))
        .unwrap();
    drop(c);
    eprintln!(
        "{kills} kills: {} adds printed as committed, {killed_mid_write} killed before printing; {stored} clients stored",
        committed.len() - 1
    );
    let out = Command::new(env!("CARGO_BIN_EXE_caseload"))
        .arg("--db")
        .arg(&db)
        .arg("check")
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
