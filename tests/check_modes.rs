#![allow(clippy::unwrap_used, clippy::panic)]
//! `caseload check` runs SQLite's quick check unless `--full` asks for the full integrity check,
//! and says which ran.

mod common;

use common::Sandbox;

#[test]
fn check_is_quick_by_default_and_full_on_request() {
    let s = Sandbox::new();
    s.ok(&["client", "add", "--name", "Ann Lee"]);
    let quick = s.json(&["check", "--json"]);
    assert_eq!(quick["integrity_check"], "quick");
    assert_eq!(quick["integrity"], serde_json::json!(["ok"]));
    assert_eq!(quick["ok"], true);
    let full = s.json(&["check", "--full", "--json"]);
    assert_eq!(full["integrity_check"], "full");
    assert_eq!(full["integrity"], serde_json::json!(["ok"]));
    let text = s.ok(&["check"]);
    assert!(
        text.contains("Integrity:     ok (SQLite's quick check; --full checks every index too)"),
        "{text}"
    );
    let text = s.ok(&["check", "--full"]);
    assert!(
        text.contains("Integrity:     ok (SQLite's full integrity check)"),
        "{text}"
    );
}
