#![allow(clippy::unwrap_used, clippy::panic)]
//! The encrypted practice as a person meets it, in a pseudo-terminal: the passphrase asked at
//! start-up (wrong twice, then right), a note draft saved when the screen locks, and the lock
//! screen refusing a wrong passphrase through the real check before the right one opens it.

mod common;

use common::pty::Pty;
use common::{Sandbox, Within};

const PASS: &str = "correct horse battery";

fn spawn(s: &Sandbox) -> Pty {
    let db = s.db().display().to_string();
    let data = s.path().join("data").display().to_string();
    let config = s.path().join("config").display().to_string();
    let home = s.path().display().to_string();
    Pty::spawn(
        &["--db", &db, "--now", "2026-11-23 09:00"],
        &[
            ("XDG_DATA_HOME", data.as_str()),
            ("XDG_CONFIG_HOME", config.as_str()),
            ("HOME", home.as_str()),
            ("NO_COLOR", "1"),
            ("CASELOAD_PASSPHRASE", ""),
        ],
        110,
        30,
    )
}

#[test]
fn an_encrypted_practice_asks_locks_keeps_the_draft_and_opens_only_to_its_passphrase() {
    let s = Sandbox::new();
    s.ok(&["client", "add", "--name", "Maria Lopez"]);
    s.book("1", "2026-11-23 08:00");
    let out = s
        .cmd()
        .arg("encrypt")
        .env("CASELOAD_PASSPHRASE", PASS)
        .output_within();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut app = spawn(&s);
    // Start-up: wrong twice, then right.
    app.wait_for("Passphrase for");
    app.send("not it\r");
    app.wait_for("Try again (2 left).");
    app.send("still not it\r");
    app.wait_for("Try again (1 left).");
    app.send(&format!("{PASS}\r"));
    app.wait_for("Needs attention");

    // A note begun on this morning's session, then the screen locked mid-sentence.
    app.send("e");
    app.wait_for("draft");
    app.send("Slept better");
    app.wait_for("Slept better");
    app.send("\x0c"); // Ctrl-L
    let locked = app.wait_for("Locked · type your passphrase and press Enter");
    assert!(!locked.contains("Maria"), "{locked}");
    assert!(!locked.contains("Slept better"), "{locked}");

    // The draft was saved as the screen locked: another process reads it from the file.
    let notes = s
        .cmd()
        .args(["note", "list", "--client", "1", "--json"])
        .env("CASELOAD_PASSPHRASE", PASS)
        .output_within();
    let notes = String::from_utf8_lossy(&notes.stdout).to_string();
    assert!(notes.contains("\"draft\""), "{notes}");
    let shown = s
        .cmd()
        .args(["note", "show", "1"])
        .env("CASELOAD_PASSPHRASE", PASS)
        .output_within();
    let shown = String::from_utf8_lossy(&shown.stdout).to_string();
    assert!(shown.contains("Slept better"), "{shown}");

    // A wrong passphrase keeps it locked; the right one opens it where it was.
    app.send("not the passphrase\r");
    let still = app.wait_for("That passphrase did not open it. Try again.");
    assert!(still.contains("Locked"), "{still}");
    assert!(!still.contains("Slept better"), "{still}");
    assert!(!still.contains("Maria"), "{still}");
    app.send(&format!("{PASS}\r"));
    app.wait_for("Slept better");
    app.esc();
    app.wait_for("Needs attention");
    app.send("q");
    assert_eq!(app.finish(), 0);
}
