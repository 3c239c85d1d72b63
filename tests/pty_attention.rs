#![allow(clippy::unwrap_used, clippy::panic)]
//! End to end: the whole needs-attention list is read off the key path; keys work while it is
//! read, and it shows once it arrives, with this window's writes made meanwhile merged in.

mod common;

use common::Sandbox;
use common::pty::Pty;

fn spawn(s: &Sandbox) -> Pty {
    let db = s.db().display().to_string();
    let data = s.path().join("data").display().to_string();
    let config = s.path().join("config").display().to_string();
    let home = s.path().display().to_string();
    let env = [
        ("XDG_DATA_HOME", data.as_str()),
        ("XDG_CONFIG_HOME", config.as_str()),
        ("HOME", home.as_str()),
        ("NO_COLOR", "1"),
    ];
    Pty::spawn(&["--db", &db, "--now", "2026-11-23 09:00"], &env, 110, 30)
}

#[test]
fn keys_work_while_the_list_is_read_and_it_shows_when_it_arrives() {
    let s = Sandbox::new();
    s.ok(&["client", "add", "--name", "First Person"]);
    s.book("1", "2026-11-20 10:00");
    let mut app = spawn(&s);
    // Straight to Clients and back, without waiting for the list.
    app.send("2");
    app.wait_for("First Person");
    app.send("1");
    app.wait_until(
        |sc| sc.contains("Needs attention (1)") && sc.contains("First P. · no outcome"),
        "the session without an outcome",
    );
    app.send("q");
    assert_eq!(app.finish(), 0);
}
