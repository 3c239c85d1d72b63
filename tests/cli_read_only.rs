#![allow(clippy::unwrap_used, clippy::panic)]
//! A write from the command line to a read-only practice file exits 1 with one plain sentence
//! and changes nothing; reading still works.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use common::Sandbox;

/// The command as an unprivileged user would run it: a superuser writes to read-only files
/// regardless, so as root the command runs under `setpriv` as `nobody`.
fn as_user(s: &Sandbox, args: &[&str]) -> std::process::Output {
    let cmd = s.cmd();
    let privileged = std::fs::OpenOptions::new().write(true).open(s.db()).is_ok();
    let mut c = if privileged {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(cmd.get_program());
        c
    } else {
        Command::new(cmd.get_program())
    };
    c.args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => c.env(k, v),
            None => c.env_remove(k),
        };
    }
    common::output(c.args(args))
}

#[test]
fn a_write_to_a_read_only_practice_is_refused_plainly_and_changes_nothing() {
    let s = Sandbox::new();
    s.ok(&["client", "add", "--name", "Ann Lee"]);
    let before = std::fs::read(s.db()).unwrap();
    let mode = |p: &std::path::Path, m: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap()
    };
    mode(&s.db(), 0o444);
    mode(s.path(), 0o555);
    let out = as_user(&s, &["client", "add", "--name", "Bob Ray"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        err.trim(),
        "caseload: The practice file is read-only (the file, its folder or its disk can't be written): nothing was changed. It can still be read: lists, reports, export, and `caseload backup FILE` to a place you can write."
    );
    let list = as_user(&s, &["client", "list", "--json"]);
    assert!(
        list.status.success(),
        "{}",
        String::from_utf8_lossy(&list.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
    mode(s.path(), 0o755);
    mode(&s.db(), 0o600);
    assert_eq!(std::fs::read(s.db()).unwrap(), before);
}
