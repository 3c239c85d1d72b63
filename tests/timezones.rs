#![allow(clippy::unwrap_used, clippy::panic)]
//! What a practitioner far from UTC sees: every instant on screen and in the command line's text
//! is on their clock (JSON keeps UTC with `Z`), and a booking at a time their clock skips is
//! refused. Each test sets the zone of the process it runs, so it checks the same thing whatever
//! zone the machine running the suite is in.

mod common;

use common::Within;

use std::process::{Command, Output};

use common::Sandbox;
use common::pty::Pty;

fn run(s: &Sandbox, zone: &str, now: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_caseload"))
        .env("XDG_DATA_HOME", s.path().join("data"))
        .env("XDG_CONFIG_HOME", s.path().join("config"))
        .env("HOME", s.path())
        .env("NO_COLOR", "1")
        .env("TZ", zone)
        .env_remove("CASELOAD_DB")
        .arg("--db")
        .arg(s.db())
        .args(["--now", now])
        .args(args)
        .output_within()
}

fn ok(s: &Sandbox, zone: &str, now: &str, args: &[&str]) -> String {
    let out = run(s, zone, now, args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const AUCKLAND: &str = "Pacific/Auckland";

/// Added at 09:00 and put on hold at 09:15 on 30 Nov in Auckland (UTC+13): 20:00 and 20:15 on
/// 29 Nov in UTC.
fn auckland_client(s: &Sandbox) {
    ok(
        s,
        AUCKLAND,
        "2026-11-30 09:00",
        &["client", "add", "--name", "Maria Lopez"],
    );
    ok(
        s,
        AUCKLAND,
        "2026-11-30 09:15",
        &["client", "status", "1", "on_hold"],
    );
}

#[test]
fn the_audit_trail_reads_in_local_time_and_its_json_in_utc() {
    let s = Sandbox::new();
    auckland_client(&s);
    let text = ok(&s, AUCKLAND, "2026-11-30 09:20", &["audit"]);
    assert!(
        text.contains("2026-11-30 09:15  status_changed    client 1  from active to on_hold"),
        "{text}"
    );
    assert!(!text.contains("2026-11-29"), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&ok(&s, AUCKLAND, "2026-11-30 09:20", &["audit", "--json"])).unwrap();
    let ats: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["at"].as_str().unwrap())
        .collect();
    assert_eq!(ats, ["2026-11-29T20:15:00Z"]);
    // The same file read in New York (UTC-5) shows New York's clock.
    let text = ok(&s, "America/New_York", "2026-11-29 15:20", &["audit"]);
    assert!(text.contains("2026-11-29 15:15  status_changed"), "{text}");
}

#[test]
fn a_session_marked_shows_when_on_the_local_clock() {
    let s = Sandbox::new();
    ok(
        &s,
        AUCKLAND,
        "2026-11-30 08:00",
        &["client", "add", "--name", "Tom Berg"],
    );
    ok(
        &s,
        AUCKLAND,
        "2026-11-30 08:00",
        &[
            "session",
            "add",
            "--client",
            "1",
            "--at",
            "2026-11-30 09:00",
        ],
    );
    ok(
        &s,
        AUCKLAND,
        "2026-11-30 09:55",
        &["session", "mark", "1", "attended"],
    );
    let text = ok(&s, AUCKLAND, "2026-11-30 10:00", &["session", "show", "1"]);
    assert!(text.contains("marked    2026-11-30 09:55 by cli"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&ok(
        &s,
        AUCKLAND,
        "2026-11-30 10:00",
        &["session", "show", "1", "--json"],
    ))
    .unwrap();
    assert_eq!(json["marked_at"], "2026-11-29T20:55:00Z");
    assert_eq!(json["starts_at"], "2026-11-30T09:00");
}

#[test]
fn a_time_the_clock_skips_is_refused_and_a_repeated_one_is_booked() {
    let s = Sandbox::new();
    let berlin = "Europe/Berlin";
    ok(
        &s,
        berlin,
        "2026-03-20 09:00",
        &["client", "add", "--name", "Lena Fischer"],
    );
    // Berlin's clocks go from 02:00 to 03:00 on Sunday 29 March 2026.
    let out = run(
        &s,
        berlin,
        "2026-03-20 09:00",
        &[
            "session",
            "add",
            "--client",
            "1",
            "--at",
            "2026-03-29 02:30",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(
        e.contains("02:30 on Sun 29 Mar 2026 does not exist in this time zone: the clocks go forward that night and skip it. Book 03:00 or later instead."),
        "{e}"
    );
    // A weekly series that would land on it is refused whole.
    let out = run(
        &s,
        berlin,
        "2026-03-20 09:00",
        &[
            "session",
            "add",
            "--client",
            "1",
            "--at",
            "2026-03-22 02:30",
            "--weekly",
            "3",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let listed: serde_json::Value = serde_json::from_str(&ok(
        &s,
        berlin,
        "2026-03-20 09:00",
        &["session", "list", "--json"],
    ))
    .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 0, "{listed}");
    // The same clock time is an ordinary one in Auckland.
    ok(
        &s,
        AUCKLAND,
        "2026-03-20 09:00",
        &[
            "session",
            "add",
            "--client",
            "1",
            "--at",
            "2026-03-29 02:30",
        ],
    );
    // 01:30 on 1 November happens twice in New York: booked (as the first).
    ok(
        &s,
        "America/New_York",
        "2026-10-20 09:00",
        &[
            "session",
            "add",
            "--client",
            "1",
            "--at",
            "2026-11-01 01:30",
        ],
    );
    // Moving a session onto the skipped time is refused as well.
    let out = run(
        &s,
        berlin,
        "2026-03-20 09:00",
        &["session", "edit", "1", "--at", "2026-03-29 02:15"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("02:15 on Sun 29 Mar 2026 does not exist"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: serde_json::Value = serde_json::from_str(&ok(
        &s,
        berlin,
        "2026-03-20 09:00",
        &["session", "list", "--json"],
    ))
    .unwrap();
    let starts: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["starts_at"].as_str().unwrap())
        .collect();
    assert_eq!(starts, ["2026-03-29T02:30", "2026-11-01T01:30"]);
}

#[test]
fn the_history_tab_shows_the_local_clock() {
    let s = Sandbox::new();
    auckland_client(&s);
    let db = s.db().display().to_string();
    let data = s.path().join("data").display().to_string();
    let config = s.path().join("config").display().to_string();
    let home = s.path().display().to_string();
    let mut app = Pty::spawn(
        &["--db", &db, "--now", "2026-11-30 09:30"],
        &[
            ("XDG_DATA_HOME", data.as_str()),
            ("XDG_CONFIG_HOME", config.as_str()),
            ("HOME", home.as_str()),
            ("TZ", AUCKLAND),
        ],
        110,
        30,
    );
    app.wait_for("Needs attention");
    app.send("2");
    app.wait_for("No clients are active.");
    // She is on hold: the next filter shows her.
    app.send("f");
    app.wait_for("Maria Lopez");
    app.enter();
    app.wait_for("Working with Maria L.");
    app.send("]]]]]]]");
    let screen = app.wait_for("Added as active");
    assert!(
        screen.contains("30 Nov 2026 09:15  Status: active → on hold"),
        "{screen}"
    );
    assert!(
        screen.contains("30 Nov 2026 09:00  Added as active"),
        "{screen}"
    );
    assert!(!screen.contains("29 Nov 2026"), "{screen}");
    app.esc();
    app.wait_for("Clients ·");
    app.send("q");
    assert_eq!(app.finish(), 0);
}
