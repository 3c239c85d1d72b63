#![allow(clippy::unwrap_used, clippy::panic)]
//! The session and calendar commands, run as the real binary against a file in a tempdir.

mod common;

use std::path::Path;
use std::process::Output;

use common::cli;
use serde_json::Value;

const NOW: &str = "2026-11-23 08:00";

fn run(dir: &Path, args: &[&str]) -> Output {
    cli::run(dir, NOW, args)
}

fn ok(dir: &Path, args: &[&str]) -> String {
    cli::ok(dir, NOW, args)
}

fn json(dir: &Path, args: &[&str]) -> Value {
    cli::json(dir, NOW, args)
}

fn ids(out: &str) -> Vec<i64> {
    out.lines().map(|l| l.trim().parse().unwrap()).collect()
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["client", "add", "--name", "Maria Lopez"]);
    ok(dir.path(), &["client", "add", "--name", "Tom Berg"]);
    dir
}

#[test]
fn add_prints_ids_and_show_prints_the_contract_keys() {
    let dir = setup();
    let d = dir.path();
    let out = ok(
        d,
        &[
            "session",
            "add",
            "--client",
            "1",
            "--at",
            "2026-11-23 10:00",
            "--modality",
            "video",
            "--minutes",
            "60",
        ],
    );
    assert_eq!(ids(&out), vec![1]);
    let s = json(d, &["session", "show", "1", "--json"]);
    let keys: Vec<&str> = s.as_object().unwrap().keys().map(String::as_str).collect();
    for k in [
        "id",
        "client_id",
        "client_name",
        "starts_at",
        "minutes",
        "modality",
        "status",
        "series_id",
        "marked_at",
    ] {
        assert!(keys.contains(&k), "missing {k} in {s}");
    }
    assert_eq!(s["starts_at"], "2026-11-23T10:00");
    assert_eq!(s["client_name"], "Maria Lopez");
    assert_eq!(s["minutes"], 60);
    assert_eq!(s["modality"], "video");
    assert_eq!(s["status"], "scheduled");
    assert!(s["series_id"].is_null());
    assert!(s["marked_at"].is_null());
}

#[test]
fn series_three_ways() {
    let dir = setup();
    let d = dir.path();
    let weekly = ids(&ok(
        d,
        &[
            "session",
            "add",
            "--client",
            "1",
            "--at",
            "2026-11-23 10:00",
            "--weekly",
            "4",
        ],
    ));
    assert_eq!(weekly.len(), 4);
    let every = ids(&ok(
        d,
        &[
            "session",
            "add",
            "--client",
            "2",
            "--at",
            "2026-11-24 10:00",
            "--every-weeks",
            "2",
            "--count",
            "3",
        ],
    ));
    assert_eq!(every.len(), 3);
    let until = ids(&ok(
        d,
        &[
            "session",
            "add",
            "--client",
            "2",
            "--at",
            "2026-11-26 09:00",
            "--until",
            "2026-12-17",
        ],
    ));
    assert_eq!(until.len(), 4, "weekly until the date, inclusive");
    let list = json(d, &["session", "list", "--client", "2", "--json"]);
    let starts: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["starts_at"].as_str().unwrap())
        .collect();
    assert!(starts.contains(&"2026-12-08T10:00"));
    assert!(starts.contains(&"2026-12-17T09:00"));
    let first = json(d, &["session", "show", &weekly[0].to_string(), "--json"]);
    let last = json(d, &["session", "show", &weekly[3].to_string(), "--json"]);
    assert_eq!(first["series_id"], last["series_id"]);
    assert!(first["series_id"].is_i64());
}

#[test]
fn a_clash_books_nothing_and_names_the_session_unless_forced() {
    let dir = setup();
    let d = dir.path();
    ok(
        d,
        &[
            "session",
            "add",
            "--client",
            "1",
            "--at",
            "2026-11-30 10:00",
        ],
    );
    let o = run(
        d,
        &[
            "session",
            "add",
            "--client",
            "2",
            "--at",
            "2026-11-23 10:30",
            "--weekly",
            "3",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("session 1"), "{err}");
    assert!(err.contains("Maria Lopez"), "{err}");
    assert!(o.stdout.is_empty());
    let all = json(d, &["session", "list", "--json"]);
    assert_eq!(
        all.as_array().unwrap().len(),
        1,
        "nothing of the series was booked"
    );
    let forced = ids(&ok(
        d,
        &[
            "session",
            "add",
            "--client",
            "2",
            "--at",
            "2026-11-23 10:30",
            "--weekly",
            "3",
            "--force",
        ],
    ));
    assert_eq!(forced.len(), 3);
    // Back to back is not a clash.
    ok(
        d,
        &[
            "session",
            "add",
            "--client",
            "2",
            "--at",
            "2026-11-30 09:10",
        ],
    );
}

#[test]
fn discharged_clients_are_refused() {
    let dir = setup();
    let d = dir.path();
    ok(d, &["client", "status", "2", "discharged"]);
    let o = run(
        d,
        &[
            "session",
            "add",
            "--client",
            "2",
            "--at",
            "2026-11-23 10:30",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("discharged"));
    ok(d, &["client", "status", "2", "on_hold"]);
    ok(
        d,
        &[
            "session",
            "add",
            "--client",
            "2",
            "--at",
            "2026-11-23 10:30",
        ],
    );
}

#[test]
fn bad_input_is_refused_with_a_message() {
    let dir = setup();
    let d = dir.path();
    // A value that is not a date, or options that don't go together, are usage errors (2); a
    // booking the rules refuse is an error (1).
    for (args, needle, code) in [
        (vec!["--at", "2026-11-31 10:00"], "not a day", 2),
        (
            vec!["--at", "2026-11-23 10:00", "--minutes", "0"],
            "minutes",
            1,
        ),
        (
            vec!["--at", "2026-11-23 10:00", "--every-weeks", "2"],
            "--count",
            2,
        ),
        (
            vec!["--at", "2026-11-23 10:00", "--until", "2026-11-01"],
            "before the first",
            1,
        ),
        (
            vec!["--at", "2026-11-23 10:00", "--weekly", "0"],
            "at least 1",
            1,
        ),
    ] {
        let mut full = vec!["session", "add", "--client", "1"];
        full.extend(args.iter());
        let o = run(d, &full);
        assert_eq!(o.status.code(), Some(code), "{full:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(needle), "{full:?}: {err}");
    }
    let o = run(
        d,
        &[
            "session",
            "add",
            "--client",
            "9",
            "--at",
            "2026-11-23 10:00",
        ],
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("no client with id 9"));
    let o = run(
        d,
        &[
            "session",
            "add",
            "--client",
            "1",
            "--at",
            "2026-11-23 10:00",
            "--modality",
            "fax",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        json(d, &["session", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn marking_keeps_who_and_when_and_can_be_undone() {
    let dir = setup();
    let d = dir.path();
    ok(
        d,
        &[
            "session",
            "add",
            "--client",
            "1",
            "--at",
            "2026-11-23 07:00",
            "--weekly",
            "2",
        ],
    );
    ok(d, &["session", "mark", "1", "attended"]);
    let s = json(d, &["session", "show", "1", "--json"]);
    assert_eq!(s["status"], "attended");
    assert_eq!(s["marked_by"], "cli");
    assert!(s["marked_at"].as_str().unwrap().ends_with('Z'));
    for st in ["late", "no_show", "scheduled"] {
        ok(d, &["session", "mark", "1", st]);
        assert_eq!(json(d, &["session", "show", "1", "--json"])["status"], st);
    }
    // Next week's session can't have an outcome yet.
    let o = run(d, &["session", "mark", "2", "attended"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("from that day on"));
    let o = run(d, &["session", "mark", "1", "cancelled"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        json(d, &["session", "show", "1", "--json"])["status"],
        "scheduled"
    );
}

#[test]
fn list_filters_by_client_dates_and_status() {
    let dir = setup();
    let d = dir.path();
    ok(
        d,
        &[
            "session",
            "add",
            "--client",
            "1",
            "--at",
            "2026-11-02 10:00",
            "--weekly",
            "6",
        ],
    );
    ok(
        d,
        &[
            "session",
            "add",
            "--client",
            "2",
            "--at",
            "2026-11-03 10:00",
            "--weekly",
            "6",
        ],
    );
    ok(d, &["session", "mark", "1", "attended"]);
    let n = |args: &[&str]| {
        let mut full = vec!["session", "list", "--json"];
        full.extend(args);
        json(d, &full).as_array().unwrap().len()
    };
    assert_eq!(n(&[]), 12);
    assert_eq!(n(&["--client", "2"]), 6);
    // Mon 9 and 16 for Maria, Tue 10 for Tom (the 17th is after --to).
    assert_eq!(n(&["--from", "2026-11-09", "--to", "2026-11-16"]), 3);
    assert_eq!(n(&["--status", "attended"]), 1);
    assert_eq!(n(&["--status", "scheduled", "--client", "1"]), 5);
    let text = ok(d, &["session", "list", "--to", "2026-11-02"]);
    assert!(
        text.contains("Maria Lopez") && text.contains("attended"),
        "{text}"
    );
    let o = run(d, &["session", "list", "--status", "gone"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn editing_this_and_future_leaves_the_past() {
    let dir = setup();
    let d = dir.path();
    ok(
        d,
        &[
            "session",
            "add",
            "--client",
            "1",
            "--at",
            "2026-11-16 10:00",
            "--weekly",
            "4",
        ],
    );
    let out = ok(
        d,
        &[
            "session",
            "edit",
            "2",
            "--at",
            "2026-11-23 15:00",
            "--future",
            "--modality",
            "phone",
        ],
    );
    assert_eq!(ids(&out), vec![2, 3, 4]);
    let list = json(d, &["session", "list", "--json"]);
    let starts: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["starts_at"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts,
        vec![
            "2026-11-16T10:00",
            "2026-11-23T15:00",
            "2026-11-30T15:00",
            "2026-12-07T15:00"
        ]
    );
    assert_eq!(list[0]["modality"], "in_person");
    assert_eq!(list[3]["modality"], "phone");
}

#[test]
fn calendar_export_parses_and_keeps_names_private() {
    let dir = setup();
    let d = dir.path();
    ok(
        d,
        &[
            "session",
            "add",
            "--client",
            "1",
            "--at",
            "2026-11-23 10:00",
            "--weekly",
            "2",
            "--modality",
            "video",
        ],
    );
    ok(
        d,
        &[
            "session",
            "add",
            "--client",
            "2",
            "--at",
            "2026-11-24 10:00",
        ],
    );
    let text = ok(
        d,
        &["calendar", "--from", "2026-11-01", "--to", "2026-11-30"],
    );
    let cal: icalendar::Calendar = text.parse().unwrap();
    let events: Vec<&icalendar::Event> = cal.events().collect();
    assert_eq!(events.len(), 3);
    use icalendar::Component;
    let mut uids: Vec<&str> = events.iter().map(|e| e.get_uid().unwrap()).collect();
    uids.sort();
    assert_eq!(
        uids,
        vec![
            "session-1@caseload",
            "session-2@caseload",
            "session-3@caseload"
        ]
    );
    assert_eq!(events[0].get_summary(), Some("Session · M.L. · video"));
    assert!(
        !text.contains("Maria"),
        "no full names without --full-names"
    );
    // Exporting again gives the same UIDs (and with the same clock, the same bytes).
    assert_eq!(
        text,
        ok(
            d,
            &["calendar", "--from", "2026-11-01", "--to", "2026-11-30"]
        )
    );
    let file = d.join("out.ics");
    ok(
        d,
        &[
            "calendar",
            "--from",
            "2026-11-01",
            "--full-names",
            "-o",
            file.to_str().unwrap(),
        ],
    );
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.contains("SUMMARY:Session · Tom Berg · in person"));
    assert!(written.contains("DTSTART:20261124T100000"));
    assert!(written.contains("DTEND:20261124T105000"));
}

#[test]
fn marking_attended_says_how_to_rate_active_goals_as_the_app_opens_them() {
    let dir = setup();
    let d = dir.path();
    ok(
        d,
        &[
            "session",
            "add",
            "--client",
            "1",
            "--at",
            "2026-11-23 07:00",
        ],
    );
    // No goals yet: nothing to rate.
    let out = ok(d, &["session", "mark", "1", "attended"]);
    assert!(!out.contains("Rate progress"), "{out}");
    ok(
        d,
        &[
            "goal",
            "add",
            "--client",
            "1",
            "--text",
            "Sleep through the night",
        ],
    );
    let out = ok(d, &["session", "mark", "1", "attended"]);
    assert!(
        out.contains("Rate progress on their 1 active goal (caseload goal list --client 1)"),
        "{out}"
    );
    assert!(out.contains("--session 1"), "{out}");
    // A no-show is not rated.
    let out = ok(d, &["session", "mark", "1", "no_show"]);
    assert!(!out.contains("Rate progress"), "{out}");
}
