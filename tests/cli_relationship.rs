#![allow(clippy::unwrap_used, clippy::panic)]
//! CLI contract: handout, goals, boundaries, consultations, discharge, summary and review.

use std::path::PathBuf;
use std::process::{Command, Output};

struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("practice.db")
    }

    fn run_at(&self, now: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_caseload"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("HOME", self.dir.path())
            .env_remove("CASELOAD_DB")
            .env("NO_COLOR", "1")
            .arg("--db")
            .arg(self.db())
            .arg("--now")
            .arg(now)
            .args(args)
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run_at("2026-11-23 09:00", args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.run_at("2026-11-23 09:00", args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8(out.stderr).unwrap()
    }

    fn client(&self, name: &str) -> String {
        self.ok(&["client", "add", "--name", name, "--intake", "2026-03-02"])
            .trim()
            .to_string()
    }

    /// Adds a session straight into the file (booking belongs to the sessions commands).
    fn session(&self, client: &str, at: &str, status: &str) {
        let conn = rusqlite::Connection::open(self.db()).unwrap();
        conn.execute(
            "INSERT INTO sessions (client_id, starts_at, minutes, modality, status, created_at, updated_at)
             VALUES (?1, ?2, 50, 'in_person', ?3, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
            (client.parse::<i64>().unwrap(), at, status),
        )
        .unwrap();
    }
}

#[test]
fn handout_formats_files_and_marking_given() {
    let s = Sandbox::new();
    let id = s.client("Maria Lopez");
    s.ok(&[
        "practice",
        "set",
        "--practice-name",
        "Harbour <Counselling>",
        "--hours",
        "monday=09:00-17:00",
        "--hours",
        "fri=closed",
        "--hours",
        "saturday=10:00-12:00",
    ]);
    let md = s.ok(&["handout", "--client", &id]);
    assert!(md.starts_with("# Working together · Harbour \\<Counselling\\>"));
    let txt = s.ok(&["handout", "--client", &id, "--format", "txt"]);
    assert!(txt.contains("Monday:     09:00–17:00"), "{txt}");
    assert!(txt.contains("Saturday:   10:00–12:00"), "{txt}");
    assert!(!txt.contains("Friday"), "{txt}");
    let file = s.dir.path().join("h.html");
    s.ok(&[
        "handout",
        "--client",
        &id,
        "--format",
        "html",
        "-o",
        file.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.contains("Harbour &lt;Counselling&gt;"));
    assert!(html.contains("@media print"));

    let st = s.json(&["handout", "--client", &id, "--status", "--json"]);
    assert_eq!(st["state"], "never_given");
    let given = s.json(&[
        "handout",
        "--client",
        &id,
        "--mark-given",
        "--at",
        "2026-11-20",
        "--json",
    ]);
    assert_eq!(given["given_on"], "2026-11-20");
    assert_eq!(given["version"].as_str().unwrap().len(), 16);
    let st = s.json(&["handout", "--client", &id, "--status", "--json"]);
    assert_eq!(st["state"], "up_to_date");
    assert_eq!(st["given_version"], given["version"]);

    // A change to the Q&A puts the client's handout out of date.
    s.ok(&[
        "qa",
        "add",
        "--question",
        "Is there parking?",
        "--answer",
        "Yes, at the back.",
    ]);
    let st = s.json(&["handout", "--client", &id, "--status", "--json"]);
    assert_eq!(st["state"], "out_of_date");
    assert!(
        s.ok(&["handout", "--client", &id, "--status"])
            .contains("handout out of date")
    );
    // So does a change to the profile, after giving it again.
    s.ok(&["handout", "--client", &id, "--mark-given"]);
    s.ok(&["practice", "set", "--reply-time", "within two working days"]);
    let st = s.json(&["handout", "--client", &id, "--status", "--json"]);
    assert_eq!(st["state"], "out_of_date");

    // Refusals.
    let e = s.fails(
        &[
            "handout",
            "--client",
            &id,
            "--mark-given",
            "--at",
            "2026-11-24",
        ],
        1,
    );
    assert!(e.contains("at: is in the future"), "{e}");
    let e = s.fails(&["handout", "--client", "99"], 1);
    assert!(e.contains("There is no client with id 99"), "{e}");
    s.fails(&["handout", "--client", &id, "--format", "pdf"], 2);
    s.fails(&["handout", "--client", &id, "--at", "2026-11-20"], 2);
}

#[test]
fn qa_list_reorder_remove() {
    let s = Sandbox::new();
    let items = s.json(&["qa", "list", "--json"]);
    assert_eq!(items.as_array().unwrap().len(), 8);
    let last = items[7]["id"].as_i64().unwrap().to_string();
    s.ok(&["qa", "move", &last, "--to", "1"]);
    let items = s.json(&["qa", "list", "--json"]);
    assert_eq!(items[0]["id"].as_i64().unwrap().to_string(), last);
    assert_eq!(items[0]["position"], 1);
    s.ok(&["qa", "remove", &last]);
    assert_eq!(
        s.json(&["qa", "list", "--json"]).as_array().unwrap().len(),
        7
    );
    let e = s.fails(&["qa", "add", "--question", " ", "--answer", "x"], 1);
    assert!(e.contains("question: is required"), "{e}");
    assert_eq!(
        s.json(&["qa", "list", "--json"]).as_array().unwrap().len(),
        7
    );
}

#[test]
fn goals_add_list_rate_status() {
    let s = Sandbox::new();
    let c = s.client("Tom Berg");
    let g = s
        .ok(&[
            "goal",
            "add",
            "--client",
            &c,
            "--text",
            "Walk to work twice a week",
            "--set",
            "2026-11-01",
            "--target",
            "2027-02-01",
        ])
        .trim()
        .to_string();
    s.ok(&["goal", "rate", &g, "--rating", "3", "--at", "2026-11-10"]);
    s.ok(&["goal", "rate", &g, "--rating", "10"]);
    let list = s.json(&["goal", "list", "--client", &c, "--json"]);
    let goal = &list[0];
    assert_eq!(goal["text"], "Walk to work twice a week");
    assert_eq!(goal["set_on"], "2026-11-01");
    assert_eq!(goal["target_on"], "2027-02-01");
    assert_eq!(goal["status"], "active");
    assert_eq!(goal["ratings"][0]["rating"], 3);
    assert_eq!(goal["ratings"][0]["rated_on"], "2026-11-10");
    assert_eq!(goal["ratings"][1]["rating"], 10);
    assert_eq!(goal["ratings"][1]["session_id"], serde_json::Value::Null);

    let e = s.fails(&["goal", "rate", &g, "--rating", "11"], 1);
    assert!(e.contains("0 to 10"), "{e}");
    let e = s.fails(&["goal", "rate", &g, "--rating", "-1"], 1);
    assert!(e.contains("0 to 10"), "{e}");
    let e = s.fails(&["goal", "rate", &g, "--rating", "4", "--session", "77"], 1);
    assert!(e.contains("no session with id 77"), "{e}");
    let done = s.json(&["goal", "status", &g, "achieved", "--json"]);
    assert_eq!(done["status"], "achieved");
    let e = s.fails(&["goal", "rate", &g, "--rating", "4"], 1);
    assert!(e.contains("can't be rated"), "{e}");
    s.fails(&["goal", "status", &g, "finished"], 2);
    let e = s.fails(&["goal", "add", "--client", &c, "--text", ""], 1);
    assert!(e.contains("text: is required"), "{e}");
    assert_eq!(
        s.json(&["goal", "list", "--client", &c, "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn boundaries_and_consultations() {
    let s = Sandbox::new();
    let c = s.client("Sam Okafor");
    s.ok(&[
        "boundary",
        "add",
        "--client",
        &c,
        "--kind",
        "after_hours_contact",
        "--at",
        "2026-11-01",
        "--note",
        "call at 23:00",
    ]);
    s.ok(&["boundary", "add", "--client", &c, "--kind", "late_payment"]);
    let log = s.json(&["boundary", "list", "--client", &c, "--json"]);
    assert_eq!(log[0]["kind"], "late_payment");
    assert_eq!(log[0]["occurred_on"], "2026-11-23");
    assert_eq!(log[1]["note"], "call at 23:00");
    let e = s.fails(&["boundary", "add", "--client", &c, "--kind", "rude"], 2);
    assert!(e.contains("disrespectful_conduct"), "{e}");
    s.fails(
        &[
            "boundary",
            "add",
            "--client",
            &c,
            "--kind",
            "other",
            "--at",
            "2026-12-01",
        ],
        1,
    );

    s.ok(&[
        "consult",
        "add",
        "--colleague",
        "Dr Ada Quinn",
        "--topic",
        "Boundaries",
        "--client",
        &c,
        "--try",
        "Agree contact hours",
        "--at",
        "2026-11-20",
    ]);
    s.ok(&[
        "consult",
        "add",
        "--colleague",
        "Peer group",
        "--topic",
        "Fees",
    ]);
    let all = s.json(&["consult", "list", "--json"]);
    assert_eq!(all.as_array().unwrap().len(), 2);
    let mine = s.json(&["consult", "list", "--client", &c, "--json"]);
    assert_eq!(mine[0]["client_initials"], "S.O.");
    assert_eq!(mine[0]["to_try"], "Agree contact hours");
    assert!(!s.ok(&["consult", "list"]).contains("Sam"), "initials only");
    let e = s.fails(
        &[
            "consult",
            "add",
            "--colleague",
            "x",
            "--topic",
            "y",
            "--client",
            "42",
        ],
        1,
    );
    assert!(e.contains("no client with id 42"), "{e}");
}

#[test]
fn review_signals_and_choices() {
    let s = Sandbox::new();
    let c = s.client("Ruth Morgan");
    for d in ["2026-08-01", "2026-10-01", "2026-11-20"] {
        s.ok(&[
            "boundary",
            "add",
            "--client",
            &c,
            "--kind",
            "unplanned_contact",
            "--at",
            d,
        ]);
    }
    let r = s.json(&["review", &c, "--json"]);
    assert!(
        r["signals"].as_array().unwrap().is_empty(),
        "the first is outside 90 days: {r}"
    );
    s.ok(&[
        "boundary",
        "add",
        "--client",
        &c,
        "--kind",
        "unplanned_contact",
        "--at",
        "2026-10-15",
    ]);
    let r = s.json(&["review", &c, "--json"]);
    assert_eq!(r["signals"][0]["kind"], "boundary_incidents");
    for (at, st) in [
        ("2026-11-02T10:00", "no_show"),
        ("2026-11-09T10:00", "late_cancelled"),
        ("2026-11-16T10:00", "no_show"),
    ] {
        s.session(&c, at, st);
    }
    let r = s.json(&["review", &c, "--json"]);
    assert_eq!(r["signals"][1]["kind"], "missed_sessions");
    assert!(s.ok(&["review", &c]).contains("3 of the last 3 sessions"));
    let rec = s.json(&[
        "review",
        &c,
        "--choose",
        "log_consultation",
        "--note",
        "bring to peer group",
        "--json",
    ]);
    assert_eq!(rec["choice"], "log_consultation");
    assert_eq!(rec["signals"].as_array().unwrap().len(), 2);
    let r = s.json(&["review", &c, "--json"]);
    assert_eq!(r["reviews"][0]["note"], "bring to peer group");
    s.fails(&["review", &c, "--choose", "ignore"], 2);
}

#[test]
fn discharge_with_referral_then_summary_then_reopen() {
    let s = Sandbox::new();
    let c = s.client("Olu Adeyemi");
    s.session(&c, "2026-11-02T10:00", "attended");
    s.session(&c, "2026-11-09T10:00", "no_show");
    s.session(&c, "2026-11-30T10:00", "scheduled");
    s.session(&c, "2026-12-07T10:00", "scheduled");
    let g = s
        .ok(&[
            "goal",
            "add",
            "--client",
            &c,
            "--text",
            "Sleep better",
            "--set",
            "2026-11-01",
        ])
        .trim()
        .to_string();
    s.ok(&["goal", "rate", &g, "--rating", "2", "--at", "2026-11-02"]);
    s.ok(&["goal", "rate", &g, "--rating", "5"]);

    // Refused input writes nothing.
    s.fails(&["discharge", &c, "--reason", "bored"], 2);
    let e = s.fails(
        &[
            "discharge",
            &c,
            "--reason",
            "needs_outside_scope",
            "--referral-contact",
            "555",
        ],
        1,
    );
    assert!(e.contains("referral_name"), "{e}");
    assert_eq!(
        s.json(&["client", "show", &c, "--json"])["status"],
        "active"
    );

    let out = s.json(&[
        "discharge",
        &c,
        "--reason",
        "needs_outside_scope",
        "--referral-name",
        "Dr Lee",
        "--referral-profession",
        "Psychiatrist",
        "--referral-contact",
        "555-0199",
        "--referral-why",
        "Medication review",
        "--note",
        "A warm ending.",
        "--json",
    ]);
    assert_eq!(out["discharge"]["status"], "referred_out");
    assert_eq!(out["discharge"]["reason"], "needs_outside_scope");
    assert_eq!(out["discharge"]["referral"]["name"], "Dr Lee");
    assert_eq!(out["discharge"]["referral"]["contact"], "555-0199");
    assert_eq!(out["discharge"]["discharged_on"], "2026-11-23");
    assert_eq!(out["cancelled_sessions"].as_array().unwrap().len(), 2);
    assert_eq!(
        out["cancelled_sessions"][0]["starts_at"],
        "2026-11-30T10:00"
    );
    assert_eq!(
        s.json(&["client", "show", &c, "--json"])["status"],
        "referred_out"
    );
    let gone = s.json(&["session", "show", "3", "--json"]);
    assert_eq!(gone["status"], "cancelled");
    assert_eq!(gone["marked_by"], "cli");
    assert_eq!(gone["cancellation"]["by"], "practitioner");
    assert_eq!(gone["cancellation"]["outcome"], "cancelled");

    let again = s.fails(&["discharge", &c, "--reason", "moved"], 1);
    assert!(again.contains("already referred out"), "{again}");

    let md = s.ok(&["summary", &c]);
    assert!(md.contains("Dr Lee"));
    assert!(md.contains("Sleep better — still open"));
    assert!(md.contains("rated 2/10 at first, 5/10 at the end"));
    assert!(!md.contains("A warm ending."), "no note unless chosen");
    assert!(
        s.ok(&["summary", &c, "--include-note"])
            .contains("A warm ending.")
    );
    let file = s.dir.path().join("s.html");
    s.ok(&[
        "summary",
        &c,
        "--format",
        "html",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("<dt>Referred to</dt><dd>Dr Lee</dd>")
    );
    let txt = s.ok(&["summary", &c, "--format", "txt"]);
    assert!(
        txt.contains("Missed (no-show):                        1"),
        "{txt}"
    );
    // The two future sessions the referral cancelled are listed apart, not as the client's.
    assert!(
        txt.contains("Cancelled in time:                       0"),
        "{txt}"
    );
    assert!(
        txt.contains("Future sessions cancelled at discharge:  2"),
        "{txt}"
    );

    // New goals wait for reopening; reopening keeps the history.
    s.fails(&["goal", "add", "--client", &c, "--text", "x"], 1);
    s.ok(&["client", "status", &c, "active"]);
    s.ok(&["goal", "add", "--client", &c, "--text", "x"]);
    assert!(s.ok(&["summary", &c]).contains("(ongoing)"));
    let conn = rusqlite::Connection::open(s.db()).unwrap();
    let n: i64 = conn
        .query_row("SELECT count(*) FROM discharges", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}
