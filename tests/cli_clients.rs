#![allow(clippy::unwrap_used, clippy::panic)]
//! The client commands as a script sees them: output, JSON keys and exit codes.

mod common;

use common::Within;

use common::Sandbox;

const CLIENT_KEYS: [&str; 15] = [
    "id",
    "name",
    "preferred_name",
    "pronouns",
    "born",
    "phone",
    "email",
    "preferred_contact",
    "emergency_contact",
    "telehealth_consent",
    "telehealth_consent_date",
    "status",
    "intake_date",
    "created_at",
    "updated_at",
];

#[test]
fn add_prints_the_id_and_json_has_every_key() {
    let s = Sandbox::new();
    let id = s.ok(&["client", "add", "--name", "Maria Lopez"]);
    assert_eq!(id.trim(), "1");
    let c = s.json(&[
        "client",
        "add",
        "--name",
        "  Tom Berg ",
        "--preferred-name",
        "Tommy",
        "--pronouns",
        "he/him",
        "--phone",
        "555-0101",
        "--email",
        "tom@example.org",
        "--contact",
        "text",
        "--born",
        "1988-04-02",
        "--intake",
        "2026-03-03",
        "--telehealth",
        "both",
        "--json",
    ]);
    let obj = c.as_object().unwrap();
    let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    keys.sort();
    let mut want = CLIENT_KEYS.to_vec();
    want.sort();
    assert_eq!(keys, want);
    assert_eq!(c["id"], 2);
    assert_eq!(c["name"], "Tom Berg");
    assert_eq!(c["preferred_contact"], "text");
    assert_eq!(c["telehealth_consent"], "both");
    assert_eq!(
        c["telehealth_consent_date"], "2026-11-23",
        "consent without a date is dated today"
    );
    assert_eq!(c["status"], "active");
    assert_eq!(c["born"], "1988-04-02");
    assert_eq!(c["intake_date"], "2026-03-03");
    assert!(c["created_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(s.json(&["client", "show", "2", "--json"]), c);
}

#[test]
fn bad_input_names_the_field_and_writes_nothing() {
    let s = Sandbox::new();
    s.ok(&["client", "add", "--name", "Keep Me"]);
    let before = std::fs::read(s.db()).unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["client", "add", "--name", "   "], "name: is required"),
        (&["client", "add"], "name: is required"),
        (
            &["client", "add", "--name", &"x".repeat(201)],
            "name: is too long",
        ),
        (
            &["client", "add", "--name", "A B", "--born", "2026-02-30"],
            "born: 2026-02-30 is not a day",
        ),
        (
            &["client", "add", "--name", "A B", "--email", "not-an-email"],
            "email:",
        ),
        (
            &["client", "add", "--name", "A B", "--intake", "23/11/2026"],
            "intake_date:",
        ),
        (&["client", "show", "99"], "There is no client with id 99."),
        (
            &["client", "edit", "99", "--name", "X"],
            "There is no client with id 99.",
        ),
        (
            &["client", "status", "99", "on_hold"],
            "There is no client with id 99.",
        ),
        (&["client", "edit", "1", "--email", "a@b"], "email:"),
    ];
    for (args, words) in cases {
        let err = s.fails(args, 1);
        assert!(err.contains(words), "{args:?}: {err}");
        assert!(err.starts_with("caseload: "), "{err}");
    }
    // Usage mistakes are clap's (exit 2).
    s.fails(&["client", "add", "--name", "A", "--contact", "pigeon"], 2);
    s.fails(&["client", "status", "1", "gone"], 2);
    assert_eq!(
        std::fs::read(s.db()).unwrap(),
        before,
        "a refused command leaves the file byte-identical"
    );
    let list = s.json(&["client", "list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["name"], "Keep Me");
}

#[test]
fn edit_changes_only_the_flags_given() {
    let s = Sandbox::new();
    s.ok(&[
        "client",
        "add",
        "--name",
        "Priya Nair",
        "--phone",
        "555-0110",
        "--contact",
        "phone",
    ]);
    let c = s.json(&["client", "edit", "1", "--pronouns", "she/her", "--json"]);
    assert_eq!(c["pronouns"], "she/her");
    assert_eq!(c["phone"], "555-0110");
    assert_eq!(c["name"], "Priya Nair");
    // Clearing the phone while contact is by phone is refused.
    let err = s.fails(&["client", "edit", "1", "--phone", ""], 1);
    assert!(err.contains("phone:"), "{err}");
}

#[test]
fn status_changes_and_list_filters() {
    let s = Sandbox::new();
    for n in ["Ana Costa", "Ben Ward", "Cleo Holm"] {
        s.ok(&["client", "add", "--name", n]);
    }
    let out = s.ok(&["client", "status", "2", "discharged"]);
    assert!(out.contains("Ben Ward is now discharged"), "{out}");
    let c = s.json(&["client", "status", "3", "referred_out", "--json"]);
    assert_eq!(c["status"], "referred_out");
    let active = s.json(&["client", "list", "--status", "active", "--json"]);
    assert_eq!(active.as_array().unwrap().len(), 1);
    assert_eq!(active[0]["name"], "Ana Costa");
    assert_eq!(
        s.json(&["client", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        s.json(&["client", "list", "--status", "all", "--json"])
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let err = s.fails(&["client", "list", "--status", "asleep"], 2);
    assert!(
        err.contains("active, on_hold, discharged, referred_out"),
        "{err}"
    );
    // Reopening keeps the history.
    s.ok(&["client", "status", "2", "active"]);
    let text = s.ok(&["client", "list"]);
    assert!(
        text.contains("Ben Ward") && text.contains("active"),
        "{text}"
    );
}

#[test]
fn demo_is_deterministic_and_refuses_a_practice_without_force() {
    let a = Sandbox::new();
    let b = Sandbox::new();
    a.ok(&["demo", "--clients", "25", "--seed", "11"]);
    b.ok(&["demo", "--clients", "25", "--seed", "11"]);
    let la = a.json(&["client", "list", "--json"]);
    let lb = b.json(&["client", "list", "--json"]);
    assert_eq!(la, lb);
    assert_eq!(la.as_array().unwrap().len(), 25);
    let err = a.fails(&["demo"], 1);
    assert!(err.contains("already holds clients"), "{err}");
    let out = a.ok(&["demo", "--clients", "5", "--seed", "3", "--force"]);
    assert!(out.contains("kept as"), "{out}");
    assert_eq!(
        a.json(&["client", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        5
    );
}

#[test]
fn refused_files_are_reported_and_untouched() {
    let s = Sandbox::new();
    std::fs::write(
        s.db(),
        "just some text, certainly not a database ".repeat(30),
    )
    .unwrap();
    let before = std::fs::read(s.db()).unwrap();
    let err = s.fails(&["client", "list"], 1);
    assert!(err.contains("not a caseload practice file"), "{err}");
    assert_eq!(std::fs::read(s.db()).unwrap(), before);
}

#[test]
fn the_demo_flag_uses_demo_db_in_the_data_folder() {
    let s = Sandbox::new();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
        .env("XDG_DATA_HOME", s.path().join("data"))
        .env("XDG_CONFIG_HOME", s.path().join("config"))
        .env("HOME", s.path())
        .env_remove("CASELOAD_DB")
        .args(["--demo", "client", "list", "--json"])
        .output_within();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(list.as_array().unwrap().len() >= 20);
    assert!(s.path().join("data/caseload/demo.db").exists());
    assert!(
        !s.path().join("data/caseload/caseload.db").exists(),
        "the real practice file is never touched"
    );
}
