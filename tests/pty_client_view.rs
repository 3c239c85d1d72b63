#![allow(clippy::unwrap_used, clippy::panic)]
//! End to end: open a client from the Clients screen, go to their Sessions tab, mark a session
//! attended with one key, and read the file back through the command line.

mod common;

use common::Sandbox;
use common::pty::Pty;

fn spawn(s: &Sandbox, cols: u16, rows: u16) -> Pty {
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
        ],
        cols,
        rows,
    )
}

#[test]
fn open_a_client_and_mark_a_session_attended_from_their_sessions() {
    let s = Sandbox::new();
    s.ok(&["client", "add", "--name", "Maria Lopez"]);
    // One this morning (already started) and one next week.
    s.ok(&[
        "session",
        "add",
        "--client",
        "1",
        "--at",
        "2026-11-23 08:00",
    ]);
    s.ok(&[
        "session",
        "add",
        "--client",
        "1",
        "--at",
        "2026-11-30 08:00",
    ]);
    let mut app = spawn(&s, 110, 30);
    app.wait_for("Needs attention");
    app.send("2");
    app.wait_for("Maria Lopez");
    app.enter();
    app.wait_for("Working with Maria L.");
    app.send("]");
    app.wait_for("Sessions · 2");
    // The session that has started is selected: one key marks it.
    app.send("a");
    app.wait_for("Maria L. · Mon 23 Nov 08:00 · attended.");
    app.wait_for("Attendance so far 100% over 1 session");
    app.esc();
    app.wait_for("Clients ·");
    app.send("q");
    assert_eq!(app.finish(), 0);

    let shown = s.json(&["session", "show", "1", "--json"]);
    assert_eq!(shown["status"], "attended");
    assert_eq!(shown["marked_by"], "practitioner");
    let other = s.json(&["session", "show", "2", "--json"]);
    assert_eq!(other["status"], "scheduled");
}
