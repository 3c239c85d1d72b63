#![allow(clippy::unwrap_used, clippy::panic)]
//! Encryption at rest as the practitioner runs it: encrypt, open with the passphrase, a wrong
//! passphrase, the recovery key, rekey, decrypt, backups and restore, and no plaintext on disk.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const NOW: &str = "2026-03-14 09:00";
const PASS: &str = "correct horse battery";

struct Practice {
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Practice {
    /// A demo practice of 12 clients, plain.
    fn new() -> Practice {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("caseload.db");
        let p = Practice { dir, db };
        p.ok(&["demo", "--clients", "12"], &[]);
        p
    }

    fn run_on(&self, db: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut c = Command::new(env!("CARGO_BIN_EXE_caseload"));
        c.arg("--db")
            .arg(db)
            .args(["--now", NOW])
            .args(args)
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env_remove("CASELOAD_DB")
            .env_remove("CASELOAD_PASSPHRASE")
            .env_remove("CASELOAD_NEW_PASSPHRASE")
            .env_remove("CASELOAD_RECOVERY_KEY");
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    }

    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        self.run_on(&self.db, args, env)
    }

    fn ok(&self, args: &[&str], env: &[(&str, &str)]) -> String {
        ok(&self.run(args, env), args)
    }

    fn err(&self, args: &[&str], env: &[(&str, &str)]) -> String {
        let o = self.run(args, env);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stdout)
        );
        String::from_utf8(o.stderr).unwrap()
    }

    fn keys(&self) -> PathBuf {
        keys_of(&self.db)
    }

    /// Encrypts with PASS; returns the recovery key shown.
    fn encrypt(&self) -> String {
        let out = self.ok(&["encrypt"], &[("CASELOAD_PASSPHRASE", PASS)]);
        recovery_in(&out)
    }

    fn names(&self) -> Vec<String> {
        let v: serde_json::Value =
            serde_json::from_str(&self.ok(&["client", "list", "--json"], &[])).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_string())
            .collect()
    }
}

fn ok(o: &Output, args: &[&str]) -> String {
    assert!(
        o.status.success(),
        "{args:?} failed: {}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn keys_of(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(".keys");
    PathBuf::from(s)
}

/// The recovery key in a command's output: six groups of four characters of Crockford's base 32
/// (digits and capitals without I, L, O and U).
fn recovery_in(out: &str) -> String {
    out.split_whitespace()
        .find(|w| {
            w.len() == 29
                && w.split('-').count() == 6
                && w.split('-').all(|g| {
                    g.len() == 4
                        && g.bytes().all(|b| {
                            (b.is_ascii_uppercase() && !b"ILOU".contains(&b)) || b.is_ascii_digit()
                        })
                })
        })
        .unwrap_or_else(|| panic!("no recovery key in:\n{out}"))
        .to_string()
}

fn is_plain_sqlite(path: &Path) -> bool {
    std::fs::read(path)
        .unwrap()
        .starts_with(b"SQLite format 3\0")
}

/// Every client name (and each part of it) that appears in the bytes of `path`.
fn names_in(path: &Path, names: &[String]) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    let mut found = Vec::new();
    for name in names {
        for part in name.split_whitespace().filter(|p| p.len() >= 4) {
            if bytes.windows(part.len()).any(|w| w == part.as_bytes()) {
                found.push(part.to_string());
            }
        }
    }
    found
}

#[test]
fn encrypting_keeps_every_record_and_leaves_no_name_on_disk() {
    let p = Practice::new();
    let pass = [("CASELOAD_PASSPHRASE", PASS)];
    let names = p.names();
    assert_eq!(names.len(), 12);
    assert!(
        !names_in(&p.db, &names).is_empty(),
        "the test can see names"
    );
    let before_list = p.ok(&["client", "list", "--json"], &[]);
    let before_report = p.ok(
        &["report", "attendance", "--month", "2026-02", "--json"],
        &[],
    );
    let first = names[0].split_whitespace().next().unwrap().to_string();
    let before_search = p.ok(&["note", "search", "session"], &[]);

    let out = p.ok(&["encrypt"], &pass);
    assert!(out.contains("Encrypted"), "{out}");
    assert!(out.contains("recovery key"), "{out}");
    recovery_in(&out);
    assert!(!is_plain_sqlite(&p.db));
    assert!(p.keys().is_file());
    assert_eq!(names_in(&p.db, &names), Vec::<String>::new());
    assert!(!String::from_utf8_lossy(&std::fs::read(p.keys()).unwrap()).contains(&first));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(p.keys()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let mode = std::fs::metadata(&p.db).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // No temporary file is left behind.
    let left: Vec<_> = std::fs::read_dir(p.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");

    // Same records, same report, full-text search (notes_fts) still answers.
    assert_eq!(p.ok(&["client", "list", "--json"], &pass), before_list);
    assert_eq!(
        p.ok(
            &["report", "attendance", "--month", "2026-02", "--json"],
            &pass
        ),
        before_report
    );
    assert_eq!(p.ok(&["note", "search", "session"], &pass), before_search);
    p.ok(&["check"], &pass);

    // A write to the encrypted file, then its bytes (and any WAL beside it): still no names.
    p.ok(&["client", "add", "--name", "Quillon Marchbanks"], &pass);
    let mut all = names.clone();
    all.push("Quillon Marchbanks".into());
    assert_eq!(names_in(&p.db, &all), Vec::<String>::new());
    let wal = p.dir.path().join("caseload.db-wal");
    if wal.exists() {
        assert_eq!(names_in(&wal, &all), Vec::<String>::new());
    }
    assert!(
        p.ok(&["client", "list"], &pass)
            .contains("Quillon Marchbanks")
    );
}

#[test]
fn a_wrong_passphrase_is_refused_and_changes_nothing() {
    let p = Practice::new();
    p.encrypt();
    let db_before = std::fs::read(&p.db).unwrap();
    let keys_before = std::fs::read(p.keys()).unwrap();
    let e = p.err(
        &["client", "add", "--name", "Ada"],
        &[("CASELOAD_PASSPHRASE", "not the passphrase")],
    );
    assert_eq!(
        e.trim(),
        format!(
            "caseload: That passphrase does not open {}. Nothing was changed.",
            p.db.display()
        )
    );
    // No passphrase at all and no terminal to ask on.
    let e = p.err(&["client", "list"], &[]);
    assert!(e.contains("CASELOAD_PASSPHRASE"), "{e}");
    for args in [&["decrypt"][..], &["rekey"], &["backup"]] {
        let e = p.err(args, &[("CASELOAD_PASSPHRASE", "not the passphrase")]);
        assert!(e.contains("That passphrase does not open"), "{args:?}: {e}");
    }
    assert!(
        std::fs::read(&p.db).unwrap() == db_before,
        "the file changed"
    );
    assert!(
        std::fs::read(p.keys()).unwrap() == keys_before,
        "the key file changed"
    );
    for side in ["caseload.db-wal", "caseload.db-shm", "backups"] {
        assert!(!p.dir.path().join(side).exists(), "{side}");
    }
}

#[test]
fn the_recovery_key_sets_a_new_passphrase() {
    let p = Practice::new();
    let names = p.names();
    let recovery = p.encrypt();
    // A wrong recovery key, and something that is not one at all.
    let other = "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF";
    let e = p.err(
        &["recover"],
        &[
            ("CASELOAD_RECOVERY_KEY", other),
            ("CASELOAD_NEW_PASSPHRASE", "a new passphrase"),
        ],
    );
    assert!(e.contains("That recovery key does not open"), "{e}");
    let e = p.err(&["recover"], &[("CASELOAD_RECOVERY_KEY", "1234")]);
    assert!(e.contains("That is not a recovery key"), "{e}");

    // Typed in lower case with spaces: still the key.
    let typed = recovery.to_lowercase().replace('-', " ");
    let out = p.ok(
        &["recover"],
        &[
            ("CASELOAD_RECOVERY_KEY", &typed),
            ("CASELOAD_NEW_PASSPHRASE", "a new passphrase"),
        ],
    );
    let new_recovery = recovery_in(&out);
    assert_ne!(new_recovery, recovery);
    let e = p.err(&["client", "list"], &[("CASELOAD_PASSPHRASE", PASS)]);
    assert!(e.contains("That passphrase does not open"), "{e}");
    let listed = p.ok(
        &["client", "list", "--json"],
        &[("CASELOAD_PASSPHRASE", "a new passphrase")],
    );
    for n in &names {
        assert!(listed.contains(n.as_str()));
    }
    // The used recovery key no longer opens it; the new one does.
    let e = p.err(
        &["recover"],
        &[
            ("CASELOAD_RECOVERY_KEY", &recovery),
            ("CASELOAD_NEW_PASSPHRASE", "a third passphrase"),
        ],
    );
    assert!(e.contains("That recovery key does not open"), "{e}");
    p.ok(
        &["recover"],
        &[
            ("CASELOAD_RECOVERY_KEY", &new_recovery),
            ("CASELOAD_NEW_PASSPHRASE", "a third passphrase"),
        ],
    );
    p.ok(
        &["client", "list"],
        &[("CASELOAD_PASSPHRASE", "a third passphrase")],
    );
}

#[test]
fn rekey_changes_the_passphrase_and_the_recovery_key() {
    let p = Practice::new();
    let before = p.ok(&["client", "list", "--json"], &[]);
    let recovery = p.encrypt();
    let keys_before = std::fs::read(p.keys()).unwrap();
    let e = p.err(
        &["rekey"],
        &[
            ("CASELOAD_PASSPHRASE", PASS),
            ("CASELOAD_NEW_PASSPHRASE", "short"),
        ],
    );
    assert!(e.contains("at least 8 characters"), "{e}");
    let out = p.ok(
        &["rekey"],
        &[
            ("CASELOAD_PASSPHRASE", PASS),
            ("CASELOAD_NEW_PASSPHRASE", "another passphrase"),
        ],
    );
    let new_recovery = recovery_in(&out);
    assert_ne!(new_recovery, recovery);
    assert!(std::fs::read(p.keys()).unwrap() != keys_before);
    assert!(
        p.err(&["client", "list"], &[("CASELOAD_PASSPHRASE", PASS)])
            .contains("That passphrase does not open")
    );
    assert_eq!(
        p.ok(
            &["client", "list", "--json"],
            &[("CASELOAD_PASSPHRASE", "another passphrase")],
        ),
        before
    );
    let e = p.err(
        &["recover"],
        &[
            ("CASELOAD_RECOVERY_KEY", &recovery),
            ("CASELOAD_NEW_PASSPHRASE", "x passphrase"),
        ],
    );
    assert!(e.contains("That recovery key does not open"), "{e}");
}

#[test]
fn decrypt_gives_back_a_plain_file_that_opens_without_a_passphrase() {
    let p = Practice::new();
    let before = p.ok(&["client", "list", "--json"], &[]);
    p.encrypt();
    let e = p.err(&["encrypt"], &[("CASELOAD_PASSPHRASE", PASS)]);
    assert!(e.contains("already encrypted"), "{e}");
    let out = p.ok(&["decrypt"], &[("CASELOAD_PASSPHRASE", PASS)]);
    assert!(out.contains("Decrypted"), "{out}");
    assert!(is_plain_sqlite(&p.db));
    assert!(!p.keys().exists());
    assert_eq!(p.ok(&["client", "list", "--json"], &[]), before);
    p.ok(&["check"], &[]);
    p.ok(&["note", "search", "session"], &[]);
    let e = p.err(&["decrypt"], &[("CASELOAD_PASSPHRASE", PASS)]);
    assert!(e.contains("is not encrypted"), "{e}");
    // And it can be encrypted again.
    p.encrypt();
    p.ok(&["check"], &[("CASELOAD_PASSPHRASE", PASS)]);
}

#[test]
fn a_backup_of_an_encrypted_file_is_encrypted_and_restores() {
    let p = Practice::new();
    let names = p.names();
    let before = p.ok(&["client", "list", "--json"], &[]);
    p.encrypt();
    let pass = [("CASELOAD_PASSPHRASE", PASS)];
    let out = p.ok(&["backup"], &pass);
    let dest = p.dir.path().join("backups/caseload-20260314-090000.db");
    assert!(out.contains(&dest.display().to_string()), "{out}");
    assert!(!is_plain_sqlite(&dest));
    assert!(keys_of(&dest).is_file());
    assert_eq!(names_in(&dest, &names), Vec::<String>::new());
    // The backup opens with the passphrase, on its own key file.
    assert_eq!(
        ok(
            &p.run_on(&dest, &["client", "list", "--json"], &pass),
            &["backup list"]
        ),
        before
    );

    // Restored onto a new machine with no practice file yet: encrypted, with its key file.
    let fresh = p.dir.path().join("elsewhere/caseload.db");
    let e = String::from_utf8(
        p.run_on(&fresh, &["restore", dest.to_str().unwrap()], &[])
            .stderr,
    )
    .unwrap();
    assert!(e.contains("Nothing was restored"), "{e}");
    assert!(!fresh.exists());
    ok(
        &p.run_on(&fresh, &["restore", dest.to_str().unwrap()], &pass),
        &["restore"],
    );
    assert!(!is_plain_sqlite(&fresh));
    assert!(keys_of(&fresh).is_file());
    assert_eq!(
        ok(
            &p.run_on(&fresh, &["client", "list", "--json"], &pass),
            &["list"]
        ),
        before
    );

    // Restoring over the encrypted practice keeps it (with its key file) in the backups folder.
    p.ok(&["client", "add", "--name", "Quillon Marchbanks"], &pass);
    let out = p.ok(&["restore", dest.to_str().unwrap()], &pass);
    assert!(out.contains("kept as"), "{out}");
    assert_eq!(p.ok(&["client", "list", "--json"], &pass), before);
    let kept = p
        .dir
        .path()
        .join("backups/caseload-before-restore-20260314-090000.db");
    assert!(keys_of(&kept).is_file());
    assert!(
        ok(&p.run_on(&kept, &["client", "list"], &pass), &["kept"]).contains("Quillon Marchbanks")
    );

    // A plain backup restored over an encrypted practice: it stays encrypted, with its own key
    // file and passphrase (the restore needs that passphrase).
    let plain = Practice::new();
    let plain_backup = plain.dir.path().join("plain.db");
    plain.ok(&["backup", plain_backup.to_str().unwrap()], &[]);
    let fresh_enc = p.dir.path().join("elsewhere/caseload.db");
    let keys_before = std::fs::read(keys_of(&fresh_enc)).unwrap();
    let o = p.run_on(
        &fresh_enc,
        &["restore", plain_backup.to_str().unwrap()],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    let out = ok(
        &p.run_on(
            &fresh_enc,
            &["restore", plain_backup.to_str().unwrap()],
            &pass,
        ),
        &["restore plain"],
    );
    assert!(out.contains("encrypted with this practice's key"), "{out}");
    assert!(!is_plain_sqlite(&fresh_enc));
    assert_eq!(std::fs::read(keys_of(&fresh_enc)).unwrap(), keys_before);
    assert!(p.run_on(&fresh_enc, &["client", "list"], &[]).status.code() == Some(1));
    ok(
        &p.run_on(&fresh_enc, &["client", "list"], &pass),
        &["list after a plain restore"],
    );
}

#[test]
fn an_encrypted_file_without_its_key_file_says_so() {
    let p = Practice::new();
    p.encrypt();
    std::fs::rename(p.keys(), p.dir.path().join("elsewhere.keys")).unwrap();
    let before = std::fs::read(&p.db).unwrap();
    let keys = p.keys().display().to_string();
    let e = p.err(&["client", "list"], &[("CASELOAD_PASSPHRASE", PASS)]);
    assert!(e.contains(&keys), "{e}");
    assert!(e.contains("`caseload recover` cannot help"), "{e}");
    let e = p.err(
        &["recover"],
        &[("CASELOAD_RECOVERY_KEY", "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")],
    );
    assert!(e.contains(&keys), "{e}");
    assert!(e.contains("`caseload recover` cannot help"), "{e}");
    assert!(std::fs::read(&p.db).unwrap() == before, "the file changed");
}

#[test]
fn a_damaged_or_foreign_key_file_changes_nothing() {
    let p = Practice::new();
    p.encrypt();
    let other = Practice::new();
    other.encrypt();
    let before = std::fs::read(&p.db).unwrap();
    // Another practice's key file, with the right passphrase for it.
    std::fs::copy(other.keys(), p.keys()).unwrap();
    let e = p.err(&["client", "list"], &[("CASELOAD_PASSPHRASE", PASS)]);
    assert!(e.contains("does not open"), "{e}");
    assert!(e.contains("Nothing was changed"), "{e}");
    std::fs::write(p.keys(), "{ not json").unwrap();
    let e = p.err(&["client", "list"], &[("CASELOAD_PASSPHRASE", PASS)]);
    assert!(e.contains("is damaged"), "{e}");
    assert!(std::fs::read(&p.db).unwrap() == before, "the file changed");
}
