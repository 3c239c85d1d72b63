#![allow(clippy::unwrap_used, clippy::panic)]
//! End to end: the real binary in a pseudo-terminal, driven from the keyboard.

mod common;

use common::Sandbox;
use common::pty::Pty;

fn env(s: &Sandbox) -> Vec<(String, String)> {
    vec![
        (
            "XDG_DATA_HOME".into(),
            s.path().join("data").display().to_string(),
        ),
        (
            "XDG_CONFIG_HOME".into(),
            s.path().join("config").display().to_string(),
        ),
        ("HOME".into(), s.path().display().to_string()),
    ]
}

fn spawn(s: &Sandbox, cols: u16, rows: u16) -> Pty {
    let db = s.db().display().to_string();
    let e = env(s);
    let e: Vec<(&str, &str)> = e.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    Pty::spawn(&["--db", &db, "--now", "2026-11-23 09:00"], &e, cols, rows)
}

#[test]
fn add_a_client_with_the_keyboard_then_find_it_from_the_command_line() {
    let s = Sandbox::new();
    let mut app = spawn(&s, 100, 32);
    app.wait_for("Welcome to caseload");
    app.send("2");
    app.wait_for("No clients yet");
    app.send("a");
    app.wait_for("Add a client");
    app.send("Ngozi Okonkwo-Bálint");
    app.tab();
    app.send("Ngozi");
    app.tab();
    app.send("she/her");
    app.tab();
    app.send("1990-02-30");
    app.enter();
    app.wait_for("is not a day on the calendar");
    // Fix the date: erase it and type a real one.
    app.send("\x7f\x7f");
    app.send("28");
    app.enter();
    app.wait_for("Added Ngozi Okonkwo-Bálint");
    app.send("q");
    assert_eq!(app.finish(), 0);

    let list = s.json(&["client", "list", "--json"]);
    let arr = list.as_array().unwrap();
    assert_eq!(arr.len(), 1);
    assert_eq!(arr[0]["name"], "Ngozi Okonkwo-Bálint");
    assert_eq!(arr[0]["preferred_name"], "Ngozi");
    assert_eq!(arr[0]["pronouns"], "she/her");
    assert_eq!(arr[0]["born"], "1990-02-28");
}

#[test]
fn help_resize_and_ctrl_c_restore_the_terminal() {
    let s = Sandbox::new();
    s.ok(&["demo", "--clients", "12"]);
    let mut app = spawn(&s, 90, 28);
    app.wait_for("Needs attention");
    app.send("?");
    app.wait_until(
        |sc| sc.contains("Keys ·") && sc.contains("Esc closes"),
        "help open",
    );
    app.esc();
    app.wait_until(|sc| !sc.contains("Keys ·"), "help closed");
    app.send("2");
    app.wait_for("Clients ·");
    app.resize(50, 12);
    app.wait_for("Enlarge the terminal");
    for (c, r) in [(61, 17), (30, 5), (120, 40), (59, 16), (100, 30)] {
        app.resize(c, r);
    }
    app.wait_for("Clients ·");
    app.send("\x03");
    assert_eq!(app.finish(), 0);
}

#[test]
fn a_second_instance_sees_the_first_ones_writes() {
    let s = Sandbox::new();
    s.ok(&["client", "add", "--name", "First Person"]);
    let mut app = spawn(&s, 100, 30);
    app.wait_for("Needs attention");
    app.send("2");
    app.wait_for("First Person");
    // Another instance (a script here) writes to the same file while the app is open.
    s.ok(&["client", "add", "--name", "Second Person"]);
    app.wait_for("Second Person");
    app.send("q");
    assert_eq!(app.finish(), 0);
}

#[test]
fn the_needs_attention_list_follows_this_window_and_another_programs_writes() {
    let s = Sandbox::new();
    s.ok(&["client", "add", "--name", "First Person"]);
    s.ok(&["client", "add", "--name", "Second Person"]);
    s.book("1", "2026-11-20 10:00");
    s.book("2", "2026-11-20 11:00");
    let mut app = spawn(&s, 110, 30);
    app.wait_until(
        |sc| {
            sc.contains("Needs attention (2)")
                && sc.contains("First P. · no outcome")
                && sc.contains("Second P. · no outcome")
        },
        "both sessions without an outcome",
    );
    // In this window: Enter on the first item goes to Friday's session; `a` logs it attended.
    app.send("\x1b[C");
    app.enter();
    app.wait_for("Friday 20 November");
    app.send("a");
    app.wait_until(
        |sc| !sc.contains("First P. · no outcome") && sc.contains("Second P. · no outcome"),
        "the first item gone at once",
    );
    // Another program logs the other one: the list follows within a few seconds.
    s.ok(&["session", "mark", "2", "no_show"]);
    app.wait_until(
        |sc| !sc.contains("Second P. · no outcome") && sc.contains("Needs attention ("),
        "the second item gone after the other program's write",
    );
    app.send("q");
    assert_eq!(app.finish(), 0);
}
