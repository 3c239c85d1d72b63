#![allow(clippy::unwrap_used, clippy::panic)]
//! Kill storms: `decrypt` and backups (the copy the daily backup makes) killed with SIGKILL at
//! random moments. After each kill the next command opens the practice (with its passphrase
//! when it is still encrypted), and nothing is left behind: no temporary file, no journal, no
//! plaintext copy of an encrypted practice.
//!
//! CI runs a few kills of each; `CASELOAD_STORM_KILLS=100` runs a longer storm by hand.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const PASS: &str = "storm horse battery";

fn kills() -> usize {
    std::env::var("CASELOAD_STORM_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6)
}

fn command(dir: &Path, db: &Path, args: &[&str], now: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_caseload"));
    c.arg("--db")
        .arg(db)
        .args(["--now", now])
        .args(args)
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("CASELOAD_PASSPHRASE", PASS)
        .env_remove("CASELOAD_DB")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

fn run(dir: &Path, db: &Path, args: &[&str]) -> Output {
    command(dir, db, args, "2026-03-14 09:00")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

fn ok(o: &Output) {
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

fn plain(path: &Path) -> bool {
    std::fs::read(path)
        .map(|b| b.starts_with(b"SQLite format 3\0"))
        .unwrap_or(false)
}

/// Every file in `dir` and its `backups` folder.
fn all_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for d in [dir.to_path_buf(), dir.join("backups")] {
        if let Ok(entries) = std::fs::read_dir(&d) {
            for e in entries.flatten() {
                if e.file_type().unwrap().is_file() {
                    out.push(e.path().display().to_string());
                }
            }
        }
    }
    out.sort();
    out
}

fn no_leftovers(dir: &Path, when: &str) {
    let files = all_files(dir);
    for f in &files {
        assert!(
            !f.contains(".caseload-") && !f.ends_with(".tmp") && !f.ends_with("-journal"),
            "{when}: left behind {f} (all: {files:?})"
        );
    }
}

/// Kills a command at a random moment within `span`.
fn kill_at(mut c: Command, rng: &mut fastrand::Rng, span: u64) {
    let mut child = c.spawn().unwrap();
    std::thread::sleep(Duration::from_micros(rng.u64(0..span)));
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn killed_decrypts_leave_a_practice_that_opens_and_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let db = home.join("caseload.db");
    ok(&run(
        dir.path(),
        &db,
        &["demo", "--clients", "40", "--months", "6"],
    ));
    ok(&run(dir.path(), &db, &["encrypt"]));
    let started = Instant::now();
    ok(&run(dir.path(), &db, &["decrypt"]));
    let span = started.elapsed().as_micros().max(2000) as u64 * 5 / 4;
    let mut rng = fastrand::Rng::with_seed(0xdec);
    for i in 0..kills() {
        if plain(&db) {
            // A decrypt that finished before its key file went leaves that file: move it aside,
            // as `encrypt` asks.
            let keys = home.join("caseload.db.keys");
            if keys.exists() {
                std::fs::remove_file(&keys).unwrap();
            }
            ok(&run(dir.path(), &db, &["encrypt"]));
        }
        kill_at(
            command(dir.path(), &db, &["decrypt"], "2026-03-14 09:00"),
            &mut rng,
            span,
        );
        // The next open, by any command.
        let o = run(dir.path(), &db, &["client", "list"]);
        ok(&o);
        no_leftovers(&home, &format!("kill {i}"));
        if !plain(&db) {
            assert!(home.join("caseload.db.keys").exists(), "kill {i}");
        }
        ok(&run(dir.path(), &db, &["check"]));
    }
}

#[test]
fn killed_backups_leave_only_whole_copies_and_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let db = home.join("caseload.db");
    ok(&run(
        dir.path(),
        &db,
        &["demo", "--clients", "40", "--months", "12"],
    ));
    ok(&run(dir.path(), &db, &["encrypt"]));
    let started = Instant::now();
    ok(&run(dir.path(), &db, &["backup"]));
    let span = started.elapsed().as_micros().max(2000) as u64 * 5 / 4;
    let mut rng = fastrand::Rng::with_seed(0xbac);
    let mut checked = std::collections::HashSet::new();
    for i in 0..kills() {
        let now = format!("2026-03-14 10:{:02}", i % 60);
        kill_at(command(dir.path(), &db, &["backup"], &now), &mut rng, span);
        ok(&run(dir.path(), &db, &["client", "list"]));
        no_leftovers(&home, &format!("kill {i}"));
        // Every copy there is whole, encrypted, and opens with its own key file.
        for f in all_files(&home.join("backups")) {
            if let Some(main) = f.strip_suffix(".keys") {
                assert!(
                    Path::new(main).exists(),
                    "kill {i}: a key file without its copy {f}"
                );
                continue;
            }
            let p = Path::new(&f);
            assert!(!plain(p), "kill {i}: a plaintext copy {f}");
            if checked.insert(f.clone()) {
                ok(&run(dir.path(), p, &["check"]));
            }
        }
    }
}
