#![allow(clippy::unwrap_used, clippy::panic)]
//! End to end: from the Clients screen the practitioner ends a client's care with a referral,
//! sees which future sessions will be cancelled, confirms, and writes the transition summary.
//! Then: rating goals from the keyboard after marking a session attended on Today.

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
    Pty::spawn(&["--db", &db, "--now", now], &env, 120, 36)
}

#[test]
fn discharge_with_a_referral_from_the_keyboard_and_find_the_summary() {
    let s = Sandbox::new();
    s.ok(&[
        "client",
        "add",
        "--name",
        "Olu Adeyemi",
        "--intake",
        "2026-03-02",
    ]);
    s.ok(&[
        "session",
        "add",
        "--client",
        "1",
        "--at",
        "2026-11-30 10:00",
        "--weekly",
        "2",
    ]);
    s.ok(&[
        "goal",
        "add",
        "--client",
        "1",
        "--text",
        "Sleep better",
        "--set",
        "2026-03-09",
    ]);
    let mut app = spawn(&s, "2026-11-23 09:00");
    app.wait_for("Today");
    app.send("2");
    app.wait_for("Olu");
    app.send("D");
    app.wait_for("Why is care ending?");
    app.send("3");
    app.wait_for("Referred to");
    app.send("Dr Lee");
    app.tab();
    app.send("Psychiatrist");
    app.tab();
    app.send("555-0199");
    app.tab();
    app.send("Medication review");
    app.tab();
    app.send("Private words");
    app.enter();
    let screen = app.wait_until(
        |s| {
            s.contains("will be cancelled")
                && s.contains("Mon 7 Dec 2026 10:00")
                && s.contains("Referral: Dr Lee")
        },
        "the discharge confirmation",
    );
    assert!(screen.contains("Mon 30 Nov 2026 10:00"), "{screen}");
    assert!(screen.contains("Mon 7 Dec 2026 10:00"), "{screen}");
    assert!(screen.contains("Referral: Dr Lee"), "{screen}");
    app.send("y");
    app.wait_for("Transition summary");
    // The sessions the discharge cancelled are listed apart from the client's attendance.
    let screen = app.wait_until(
        |s| {
            s.contains("future sessions cancelled")
                && s.contains("Future sessions cancelled at discharge:  2")
        },
        "the summary's sessions",
    );
    assert!(screen.contains("2 future sessions cancelled"), "{screen}");
    assert!(
        screen.contains("Cancelled in time:                       0"),
        "{screen}"
    );
    // The referral is further down: page down to it.
    app.send("\x1b[6~");
    let screen = app.wait_until(|s| s.contains("Referred to:  Dr Lee"), "the referral");
    assert!(!screen.contains("Private words"), "{screen}");
    app.send("w");
    app.wait_for("Wrote");
    app.send("q");
    app.wait_until(
        |s| !s.contains("Transition summary ·"),
        "the summary to close",
    );
    app.send("q");
    assert_eq!(app.finish(), 0);

    let c = s.json(&["client", "show", "1", "--json"]);
    assert_eq!(c["status"], "referred_out");
    let page = s.path().join("summary-1-2026-11-23.html");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("<dt>Referred to</dt><dd>Dr Lee</dd>"));
    assert!(html.contains("Sleep better"));
    assert!(!html.contains("Private words"));
    let md = s.ok(&["summary", "1", "--include-note"]);
    assert!(md.contains("Private words"));
    let sessions = s.json(&["session", "list", "--client", "1", "--json"]);
    for sess in sessions.as_array().unwrap() {
        assert_eq!(sess["status"], "cancelled", "{sess}");
    }
}

#[test]
fn goals_are_rated_with_number_keys_after_marking_attended() {
    let s = Sandbox::new();
    s.ok(&[
        "client",
        "add",
        "--name",
        "Tom Berg",
        "--intake",
        "2026-03-02",
    ]);
    s.ok(&[
        "session",
        "add",
        "--client",
        "1",
        "--at",
        "2026-11-23 10:00",
    ]);
    s.ok(&[
        "goal",
        "add",
        "--client",
        "1",
        "--text",
        "Walk to work",
        "--set",
        "2026-03-09",
    ]);
    s.ok(&[
        "goal",
        "add",
        "--client",
        "1",
        "--text",
        "Call my sister",
        "--set",
        "2026-03-09",
    ]);
    let mut app = spawn(&s, "2026-11-23 11:00");
    app.wait_for("Tom B.");
    app.send("a");
    app.wait_until(
        |s| s.contains("How far along is each goal") && s.contains("Call my sister"),
        "the rating screen",
    );
    app.send("7");
    app.send("x");
    app.wait_for("Saved 2 ratings");
    app.send("q");
    assert_eq!(app.finish(), 0);
    let goals = s.json(&["goal", "list", "--client", "1", "--json"]);
    assert_eq!(goals[0]["ratings"][0]["rating"], 7);
    assert_eq!(goals[1]["ratings"][0]["rating"], 10);
    assert_eq!(goals[0]["ratings"][0]["session_id"], 1);
    assert_eq!(goals[0]["ratings"][0]["rated_on"], "2026-11-23");
}
