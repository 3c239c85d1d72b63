#![allow(dead_code, clippy::unwrap_used, clippy::panic)]
//! The command line on a practice file `p.db` in a test's own folder, at a fixed clock: the
//! set-up the CLI tests share (each test file keeps only its clock and its practice).

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// The binary on `dir/p.db` at `now`, with the folder's own data and config folders and no
/// practice or passphrase from the environment.
pub fn cmd(dir: &Path, now: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_caseload"));
    c.arg("--db")
        .arg(dir.join("p.db"))
        .args(["--now", now])
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env_remove("CASELOAD_DB")
        .env_remove("CASELOAD_PASSPHRASE");
    c
}

/// Runs `args` to the end (within [`super::PATIENCE`]).
pub fn run(dir: &Path, now: &str, args: &[&str]) -> Output {
    super::output(cmd(dir, now).args(args))
}

/// Runs `args`, expects success; returns stdout.
pub fn ok(dir: &Path, now: &str, args: &[&str]) -> String {
    let o = run(dir, now, args);
    assert!(
        o.status.success(),
        "{args:?} failed ({:?}): {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// Runs `args`, expects success and JSON on stdout.
pub fn json(dir: &Path, now: &str, args: &[&str]) -> Value {
    let out = ok(dir, now, args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {out}"))
}

/// Runs `args`, expects exit code `code`; returns stderr.
pub fn fails(dir: &Path, now: &str, args: &[&str], code: i32) -> String {
    let o = run(dir, now, args);
    assert_eq!(
        o.status.code(),
        Some(code),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stderr).unwrap()
}
