#![allow(clippy::unwrap_used, clippy::panic)]
//! Crash safety: the real binary is killed with SIGKILL in the middle of a write, and the file
//! afterwards holds either all of that write or none of it, passes SQLite's integrity check and
//! `caseload check`.
//!
//! Two kinds of kill:
//! - Provably inside a transaction: a debug build pauses just before it commits when
//!   `CASELOAD_TEST_PAUSE=commit` (or between the two renames of `encrypt` when
//!   `CASELOAD_TEST_PAUSE=encrypt`) and says so on stderr; the test kills it there. Adding a
//!   client, discharging, importing, restoring and encrypting are each killed this way, and
//!   none of them may have landed.
//! - At random moments through `client add` on an existing file (CI runs 20; set
//!   `CASELOAD_CRASH_KILLS=200` or more for a longer storm by hand): every add printed as
//!   committed is there, and no more landed than were started.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::Sandbox;

/// How long any one child process may take before the test fails instead of hanging CI.
const PATIENCE: Duration = Duration::from_secs(60);

/// Waits for a child with a time limit; kills it and fails when it is exceeded.
fn wait_or_fail(child: &mut Child, what: &str) -> ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        if start.elapsed() > PATIENCE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish within {PATIENCE:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Runs `cmd` (already given its arguments) with the pause at `point`, waits until it says it
/// is paused there, and kills it. Fails if it finishes without reaching the pause.
fn kill_at_pause(mut cmd: Command, point: &str) {
    let mut child = cmd
        .env("CASELOAD_TEST_PAUSE", point)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if line == format!("caseload-test-pause: {}", "commit")
                || line == format!("caseload-test-pause: {}", "encrypt")
            {
                let _ = tx.send(line.clone());
            }
            seen.push(line);
        }
        seen
    });
    match rx.recv_timeout(PATIENCE) {
        Ok(line) => assert_eq!(line, format!("caseload-test-pause: {point}")),
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            let seen = reader.join().unwrap();
            panic!(
                "the command never paused at {point}; it wrote:\n{}",
                seen.join("\n")
            );
        }
    }
    child.kill().unwrap(); // SIGKILL, inside the write
    let status = wait_or_fail(&mut child, "the killed command");
    assert!(
        !status.success(),
        "the command was killed, so it can't have succeeded"
    );
    reader.join().unwrap();
}

fn integrity(db: &Path) -> String {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

fn count(db: &Path, sql: &str) -> i64 {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn assert_checks(s: &Sandbox) {
    let out = s.run(&["check"]);
    assert!(
        out.status.success(),
        "caseload check failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn add_cmd(s: &Sandbox, i: usize) -> Command {
    let mut c = s.cmd();
    c.args([
        "client",
        "add",
        "--name",
        &format!("Crash Test {i}"),
        "--phone",
        "555 0100",
    ]);
    c
}

#[test]
fn a_client_add_killed_before_it_commits_leaves_nothing() {
    let s = Sandbox::new();
    s.ok(&["client", "add", "--name", "Already Here"]);
    let mut landed = 0;
    for i in 0..5 {
        kill_at_pause(add_cmd(&s, i), "commit");
        assert_eq!(integrity(&s.db()), "ok", "after kill {i}");
        landed += count(&s.db(), "SELECT count(*) FROM clients") - 1;
    }
    assert_eq!(landed, 0, "no add killed inside its transaction may land");
    assert_checks(&s);
    // And the next add, not killed, lands as the second client.
    assert_eq!(
        s.ok(&["client", "add", "--name", "After The Storm"]).trim(),
        "2"
    );
}

#[test]
fn a_discharge_killed_before_it_commits_leaves_the_client_in_care() {
    let s = Sandbox::new();
    s.ok(&["client", "add", "--name", "Maria Lopez"]);
    s.ok(&[
        "session",
        "add",
        "--client",
        "1",
        "--at",
        "2026-11-30 10:00",
        "--weekly",
        "4",
    ]);
    let mut cmd = s.cmd();
    cmd.args(["discharge", "1", "--reason", "goals_met"]);
    kill_at_pause(cmd, "commit");
    assert_eq!(integrity(&s.db()), "ok");
    assert_eq!(count(&s.db(), "SELECT count(*) FROM discharges"), 0);
    assert_eq!(
        count(
            &s.db(),
            "SELECT count(*) FROM sessions WHERE status = 'scheduled'"
        ),
        4
    );
    assert_eq!(
        s.json(&["client", "show", "1", "--json"])["status"],
        "active"
    );
    assert_checks(&s);
    // Done again without a crash, all of it lands at once.
    s.ok(&["discharge", "1", "--reason", "goals_met"]);
    assert_eq!(
        count(
            &s.db(),
            "SELECT count(*) FROM sessions WHERE status = 'scheduled'"
        ),
        0
    );
    assert_eq!(
        s.json(&["client", "show", "1", "--json"])["status"],
        "discharged"
    );
}

#[test]
fn an_import_killed_before_it_commits_leaves_an_empty_file() {
    let from = Sandbox::new();
    for name in ["Maria Lopez", "Tom Berg", "Priya Nair"] {
        from.ok(&["client", "add", "--name", name]);
    }
    from.book("2", "2026-11-30 10:00");
    let export = from.path().join("export.json");
    from.ok(&["export", "-o", export.to_str().unwrap()]);

    let s = Sandbox::new();
    let mut cmd = s.cmd();
    cmd.arg("import").arg(&export);
    kill_at_pause(cmd, "commit");
    assert_eq!(integrity(&s.db()), "ok");
    assert_eq!(count(&s.db(), "SELECT count(*) FROM clients"), 0);
    assert_eq!(count(&s.db(), "SELECT count(*) FROM sessions"), 0);
    assert_checks(&s);
    // The file is still new, so the import can simply be run again.
    s.ok(&["import", export.to_str().unwrap()]);
    assert_eq!(count(&s.db(), "SELECT count(*) FROM clients"), 3);
    assert_eq!(count(&s.db(), "SELECT count(*) FROM sessions"), 1);
}

#[test]
fn a_restore_killed_before_it_commits_leaves_the_current_file() {
    let s = Sandbox::new();
    s.ok(&["client", "add", "--name", "Maria Lopez"]);
    let backup = s.path().join("before.db");
    s.ok(&["backup", backup.to_str().unwrap()]);
    s.ok(&["client", "add", "--name", "Tom Berg"]);
    let mut cmd = s.cmd();
    cmd.arg("restore").arg(&backup);
    kill_at_pause(cmd, "commit");
    assert_eq!(integrity(&s.db()), "ok");
    // The file in place is the current one, with the client added after the backup.
    assert_eq!(count(&s.db(), "SELECT count(*) FROM clients"), 2);
    assert_checks(&s);
    s.ok(&["restore", backup.to_str().unwrap()]);
    assert_eq!(count(&s.db(), "SELECT count(*) FROM clients"), 1);
}

#[test]
fn an_encrypt_killed_between_its_renames_leaves_a_plain_file_that_opens() {
    let s = Sandbox::new();
    s.ok(&["client", "add", "--name", "Maria Lopez"]);
    let mut cmd = s.cmd();
    cmd.arg("encrypt")
        .env("CASELOAD_PASSPHRASE", "correct horse battery staple");
    kill_at_pause(cmd, "encrypt");
    // The key file is in place but the practice file is still the plain one: it opens as it
    // was, with no passphrase, and nothing is lost.
    assert_eq!(integrity(&s.db()), "ok");
    assert_eq!(count(&s.db(), "SELECT count(*) FROM clients"), 1);
    let listed = s.json(&["client", "list", "--json"]);
    assert_eq!(listed[0]["name"], "Maria Lopez", "{listed}");
    assert_checks(&s);
}

#[test]
fn killing_the_writer_at_random_never_loses_a_committed_record_or_damages_the_file() {
    let kills: usize = std::env::var("CASELOAD_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let s = Sandbox::new();
    // The file exists first, so every kill lands in an add, not in making the file.
    s.ok(&["client", "add", "--name", "Already Here"]);

    // How long one uninterrupted add on an existing file takes here, so kills land all
    // through it.
    let started = Instant::now();
    let mut child = add_cmd(&s, 0).stdout(Stdio::piped()).spawn().unwrap();
    assert!(wait_or_fail(&mut child, "the timing add").success());
    let span = started.elapsed().as_micros().max(1000) as u64;
    let mut printed = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut printed)
        .unwrap();
    let mut committed: Vec<i64> = vec![printed.trim().parse().unwrap()];
    assert_eq!(committed, [2]);

    let mut rng = fastrand::Rng::with_seed(0x5afe);
    let mut killed_unprinted = 0;
    for i in 1..=kills {
        let mut child = add_cmd(&s, i)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.u64(0..span * 5 / 4)));
        let _ = child.kill(); // SIGKILL
        wait_or_fail(&mut child, &format!("add {i}"));
        let mut out = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        match out.trim().parse::<i64>() {
            Ok(id) => committed.push(id),
            Err(_) => killed_unprinted += 1,
        }
        assert_eq!(integrity(&s.db()), "ok", "after kill {i}");
        for id in &committed {
            assert_eq!(
                count(
                    &s.db(),
                    &format!("SELECT count(*) FROM clients WHERE id = {id}")
                ),
                1,
                "client {id} was printed as committed but is missing after kill {i}"
            );
        }
    }
    let stored = count(&s.db(), "SELECT count(*) FROM clients");
    // What landed: every add printed as committed, plus at most the ones killed after their
    // commit but before printing; the client there before and the timing add besides.
    let landed = stored - 2;
    let printed = committed.len() as i64 - 1;
    eprintln!(
        "{kills} kills: {printed} printed as committed, {killed_unprinted} killed before printing; {landed} landed"
    );
    assert_eq!(printed + killed_unprinted, kills as i64);
    assert!(landed >= printed, "{landed} landed, {printed} printed");
    assert!(
        landed <= kills as i64,
        "{landed} landed from {kills} adds started"
    );
    assert_checks(&s);
}
