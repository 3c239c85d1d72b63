#![allow(clippy::unwrap_used, clippy::panic)]
//! End to end: a client calls because their child is sick; from Today the practitioner offers a
//! phone session, the client accepts, and the file says the session is by phone and scheduled.

mod common;

use common::Sandbox;
use common::pty::Pty;

fn spawn(s: &Sandbox, now: &str) -> Pty {
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
    Pty::spawn(&["--db", &db, "--now", now], &env, 120, 32)
}

#[test]
fn a_sick_child_phone_session_saved_from_today_in_four_keys() {
    let s = Sandbox::new();
    s.ok(&[
        "client",
        "add",
        "--name",
        "Tom Berg",
        "--phone",
        "555-0101",
        "--telehealth",
        "both",
    ]);
    let id = s.ok(&[
        "session",
        "add",
        "--client",
        "1",
        "--at",
        "2026-11-23 10:00",
    ]);
    let id = id.trim().to_string();
    let mut app = spawn(&s, "2026-11-23 08:20");
    app.wait_for("Tom B.");
    let mut keys = 0;
    app.send("c");
    keys += 1;
    app.wait_for("Why?");
    app.send("2");
    keys += 1;
    let screen = app.wait_until(
        |s| s.contains("Before you cancel") && s.contains("555-0101"),
        "the whole offer",
    );
    assert!(screen.contains("Phone session at 10:00"), "{screen}");
    assert!(screen.contains("555-0101"), "{screen}");
    app.enter();
    keys += 1;
    app.wait_for("quick check");
    app.send("y");
    keys += 1;
    app.wait_for("Saved: Tom B.");
    assert_eq!(keys, 4, "c 2 Enter y");
    app.send("q");
    assert_eq!(app.finish(), 0);

    let shown = s.json(&["session", "show", &id, "--json"]);
    assert_eq!(shown["modality"], "phone");
    assert_eq!(shown["status"], "scheduled");
    assert_eq!(shown["starts_at"], "2026-11-23T10:00");
    assert_eq!(shown["cancellation"]["reason"], "child_or_family_care");
    assert_eq!(shown["cancellation"]["outcome"], "converted_phone");
    assert_eq!(shown["cancellation"]["remote_private"], true);
}

#[test]
fn a_declined_offer_is_recorded_in_four_keys() {
    let s = Sandbox::new();
    s.ok(&["client", "add", "--name", "Tom Berg", "--phone", "555-0101"]);
    let id = s.ok(&[
        "session",
        "add",
        "--client",
        "1",
        "--at",
        "2026-11-23 10:00",
    ]);
    let id = id.trim().to_string();
    let mut app = spawn(&s, "2026-11-23 08:20");
    app.wait_for("Tom B.");
    app.send("c");
    app.wait_for("Why?");
    app.send("2");
    app.wait_for("Before you cancel");
    app.send("x");
    app.wait_for("This is a late cancellation");
    app.enter();
    app.wait_for("Late cancellation recorded for Tom B.");
    app.send("q");
    assert_eq!(app.finish(), 0);
    let shown = s.json(&["session", "show", &id, "--json"]);
    assert_eq!(shown["status"], "late_cancelled");
    assert_eq!(shown["cancellation"]["fee_waived"], false);
}
