#![allow(clippy::unwrap_used, clippy::panic)]
//! `caseload retention …`, run as the real binary against a file in a tempdir.

mod common;

use std::path::Path;
use std::process::Output;

use common::cli;
use serde_json::Value;

const NOW: &str = "2026-11-23 09:00";

fn run_at(dir: &Path, now: &str, args: &[&str]) -> Output {
    cli::run(dir, now, args)
}

fn ok_at(dir: &Path, now: &str, args: &[&str]) -> String {
    cli::ok(dir, now, args)
}

fn ok(dir: &Path, args: &[&str]) -> String {
    cli::ok(dir, NOW, args)
}

fn json(dir: &Path, args: &[&str]) -> Value {
    cli::json(dir, NOW, args)
}

/// 1 Ada Byron: an adult seen in 2018, discharged; 2 Noor Haddad: seen from 12 in 2017,
/// discharged in 2018; 3 Ben Ode: active.
fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let then = "2018-03-01 08:00";
    for (name, born) in [
        ("Ada Byron", "1980-05-02"),
        ("Noor Haddad", "2005-06-30"),
        ("Ben Ode", "1990-01-01"),
    ] {
        ok_at(
            d,
            then,
            &[
                "client",
                "add",
                "--name",
                name,
                "--born",
                born,
                "--intake",
                "2017-09-01",
            ],
        );
    }
    for client in ["1", "2"] {
        ok_at(
            d,
            then,
            &[
                "session",
                "add",
                "--client",
                client,
                "--at",
                "2018-03-01 09:00",
                "--force",
            ],
        );
    }
    ok_at(d, "2018-03-01 11:00", &["session", "mark", "1", "attended"]);
    ok_at(d, "2018-03-01 11:00", &["session", "mark", "2", "attended"]);
    for client in ["1", "2"] {
        ok_at(
            d,
            "2018-03-02 09:00",
            &["client", "status", client, "discharged"],
        );
    }
    dir
}

#[test]
fn the_list_has_exactly_the_contract_keys_and_due_filters() {
    let dir = setup();
    let d = dir.path();
    let all = json(d, &["retention", "list", "--json"]);
    let rows = all.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    let mut keys: Vec<&str> = rows[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "client_id",
            "hold",
            "keep_until",
            "last_contact",
            "name",
            "rule"
        ]
    );
    // Earliest keep-until first: Ben (active, no contact: 7 years after the intake), then Ada
    // (7 years after 2018-03-01).
    assert_eq!(rows[0]["client_id"], 3);
    assert_eq!(rows[0]["last_contact"], "2017-09-01");
    assert_eq!(rows[0]["keep_until"], "2024-09-01");
    assert_eq!(rows[1]["client_id"], 1);
    assert_eq!(rows[1]["name"], "Ada Byron");
    assert_eq!(rows[1]["last_contact"], "2018-03-01");
    assert_eq!(rows[1]["keep_until"], "2025-03-01");
    assert_eq!(rows[1]["rule"], "after_last_contact");
    assert!(rows[1]["hold"].is_null());
    // Noor was 12 at intake: 18 on 2023-06-30, + 7 years.
    let noor = rows.iter().find(|r| r["client_id"] == 2).unwrap();
    assert_eq!(noor["keep_until"], "2030-06-30");
    assert_eq!(noor["rule"], "after_majority");

    let due = json(d, &["retention", "list", "--due", "--json"]);
    let due_ids: Vec<i64> = due
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["client_id"].as_i64().unwrap())
        .collect();
    assert_eq!(due_ids, [1]);
    let text = ok(d, &["retention", "list", "--due"]);
    assert!(text.contains("Ada Byron"), "{text}");
    assert!(text.contains("(due)"), "{text}");
}

#[test]
fn a_hold_stops_disposal_until_released_and_is_audited() {
    let dir = setup();
    let d = dir.path();
    let out = ok(
        d,
        &[
            "retention",
            "hold",
            "1",
            "--reason",
            "Records request from the tribunal",
        ],
    );
    assert!(out.contains("Ada Byron's record is on legal hold"), "{out}");
    let due = json(d, &["retention", "list", "--due", "--json"]);
    assert_eq!(due.as_array().unwrap().len(), 0);
    let all = json(d, &["retention", "list", "--json"]);
    let ada = all
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["client_id"] == 1)
        .unwrap();
    assert_eq!(ada["hold"], "Records request from the tribunal");
    ok(d, &["retention", "hold", "1", "--release"]);
    assert_eq!(
        json(d, &["retention", "list", "--due", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let audit = json(d, &["audit", "--client", "1", "--json"]);
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"legal_hold_set"), "{audit}");
    assert!(actions.contains(&"legal_hold_released"), "{audit}");

    // Releasing twice, an empty reason, or an unknown client: refused, nothing changes.
    let o = run_at(d, NOW, &["retention", "hold", "1", "--release"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("has no legal hold"));
    let o = run_at(d, NOW, &["retention", "hold", "1", "--reason", " "]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("needs a reason"));
    let o = run_at(d, NOW, &["retention", "hold", "9", "--reason", "x"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no client with id 9"));
    let o = run_at(d, NOW, &["retention", "hold", "1"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn keep_until_set_by_hand_and_back_to_the_rule() {
    let dir = setup();
    let d = dir.path();
    let row = json(
        d,
        &["retention", "keep", "1", "--until", "2031-01-15", "--json"],
    );
    assert_eq!(row["keep_until"], "2031-01-15");
    assert_eq!(row["rule"], "override");
    let row = json(d, &["retention", "keep", "1", "--rule", "--json"]);
    assert_eq!(row["keep_until"], "2025-03-01");
    assert_eq!(row["rule"], "after_last_contact");
    let o = run_at(d, NOW, &["retention", "keep", "1", "--until", "2031-02-30"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn rules_show_change_and_refuse_bad_numbers() {
    let dir = setup();
    let d = dir.path();
    let r = json(d, &["retention", "rules", "--json"]);
    assert_eq!(r["adult_years"], 7);
    assert_eq!(r["majority_age"], 18);
    assert_eq!(r["minor_years"], 7);
    assert_eq!(r["handover_months"], 12);
    let text = ok(d, &["retention", "rules"]);
    assert!(text.contains("examples, not advice"), "{text}");

    let o = run_at(
        d,
        NOW,
        &[
            "retention",
            "rules",
            "--adult-years",
            "10",
            "--majority-age",
            "0",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("age of majority"));
    let o = run_at(
        d,
        NOW,
        &[
            "retention",
            "rules",
            "--adult-years",
            "10",
            "--handover-months",
            "500",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json(d, &["retention", "rules", "--json"])["adult_years"], 7);

    let r = json(d, &["retention", "rules", "--adult-years", "10", "--json"]);
    assert_eq!(r["adult_years"], 10);
    let all = json(d, &["retention", "list", "--json"]);
    assert_eq!(all[1]["client_id"], 1);
    assert_eq!(all[1]["keep_until"], "2028-03-01");
}

#[test]
fn the_log_is_empty_before_any_disposal() {
    let dir = setup();
    let d = dir.path();
    assert_eq!(
        json(d, &["retention", "log", "--json"]),
        serde_json::json!([])
    );
    assert!(ok(d, &["retention", "log"]).contains("No record has been disposed of"));
}
