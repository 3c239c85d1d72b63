#![allow(clippy::unwrap_used, clippy::panic)]
//! `caseload dispose`: the record leaves the file, its search index and every backup; a
//! tombstone stays; without --confirm nothing changes.

mod common;

use std::path::Path;
use std::process::Output;

use common::cli;
use serde_json::Value;

const NOW: &str = "2026-11-23 09:00";

/// Words only the disposed client's record holds (their name stays, in the tombstone).
const SECRETS: &[&str] = &[
    "xylophonic",
    "marmalade",
    "quixotic",
    "pomegranate",
    "ventriloquist",
    "555-0199",
    "zeb@example.org",
];

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

/// The printable strings of a file (as `strings` finds them), lower-cased.
fn strings(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_default();
    let mut out = String::new();
    let mut run = String::new();
    for b in bytes {
        if b.is_ascii_graphic() || b == b' ' {
            run.push(b as char);
        } else {
            if run.len() >= 4 {
                out.push_str(&run);
                out.push('\n');
            }
            run.clear();
        }
    }
    out.push_str(&run);
    out.to_lowercase()
}

fn leaks(files: &[&Path]) -> Vec<String> {
    let mut found = Vec::new();
    for f in files {
        let text = strings(f);
        for s in SECRETS {
            if text.contains(&s.to_lowercase()) {
                found.push(format!("{s} in {}", f.display()));
            }
        }
    }
    found
}

/// 1 Ben Ode (active, to stay); 2 Zebedee Tangerine: seen in 2018, a signed note with an
/// addendum, a goal, a boundary, discharged — due for disposal. A backup made after, and a
/// damaged file in the backups folder.
fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let then = "2018-03-01 08:00";
    ok_at(
        d,
        then,
        &[
            "client",
            "add",
            "--name",
            "Ben Ode",
            "--intake",
            "2017-09-01",
        ],
    );
    ok_at(
        d,
        then,
        &[
            "client",
            "add",
            "--name",
            "Zebedee Tangerine",
            "--born",
            "1980-05-02",
            "--intake",
            "2017-09-01",
            "--phone",
            "555-0199",
            "--email",
            "zeb@example.org",
        ],
    );
    ok_at(
        d,
        then,
        &[
            "session",
            "add",
            "--client",
            "2",
            "--at",
            "2018-03-01 09:00",
            "--force",
        ],
    );
    ok_at(d, "2018-03-01 11:00", &["session", "mark", "1", "attended"]);
    let note = d.join("n.md");
    std::fs::write(
        &note,
        "## Subjective\nXylophonic marmalade whisperings\n## Objective\nCalm\n## Assessment\nSteady\n## Plan\nRest\n",
    )
    .unwrap();
    ok_at(
        d,
        "2018-03-01 11:00",
        &[
            "note",
            "add",
            "--session",
            "1",
            "--file",
            note.to_str().unwrap(),
        ],
    );
    ok_at(d, "2018-03-01 11:05", &["note", "sign", "1"]);
    ok_at(
        d,
        "2018-03-02 11:05",
        &[
            "note",
            "addendum",
            "1",
            "--text",
            "Quixotic pomegranate addendum",
        ],
    );
    ok_at(
        d,
        "2018-03-05 09:00",
        &[
            "discharge",
            "2",
            "--reason",
            "goals_met",
            "--note",
            "Closing ventriloquist remark",
        ],
    );
    ok_at(d, "2018-03-06 09:00", &["backup"]);
    std::fs::write(
        d.join("backups").join("p-20180307-090000.db"),
        b"not a database",
    )
    .unwrap();
    dir
}

fn backup(d: &Path) -> std::path::PathBuf {
    d.join("backups").join("p-20180306-090000.db")
}

#[test]
fn without_confirm_it_shows_what_would_go_and_changes_nothing() {
    let dir = setup();
    let d = dir.path();
    let before = ok(d, &["export"]);
    let o = run_at(d, NOW, &["dispose", "2"]);
    assert_eq!(o.status.code(), Some(3));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("Zebedee Tangerine"), "{out}");
    assert!(out.contains("1 notes"), "{out}");
    assert!(out.contains("--confirm"), "{out}");
    assert_eq!(ok(d, &["export"]), before);
    assert!(
        !leaks(&[&backup(d)]).is_empty(),
        "the backup still holds the record"
    );

    // Not due: still in care, on hold, or before keep-until: refused, nothing changes.
    let o = run_at(d, NOW, &["dispose", "1", "--confirm"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("still in care"));
    ok(
        d,
        &["retention", "hold", "2", "--reason", "Tribunal request"],
    );
    let o = run_at(d, NOW, &["dispose", "2", "--confirm"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("legal hold"));
    ok(d, &["retention", "hold", "2", "--release"]);
    let o = run_at(d, "2025-03-04 09:00", &["dispose", "2", "--confirm"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("kept until 2025-03-05"));
    let o = run_at(d, NOW, &["dispose", "9", "--confirm"]);
    assert_eq!(o.status.code(), Some(1));
    let after: Value = serde_json::from_str(&ok(d, &["export"])).unwrap();
    let before: Value = serde_json::from_str(&before).unwrap();
    assert_eq!(after["tables"]["notes"], before["tables"]["notes"]);
    assert_eq!(after["tables"]["clients"], before["tables"]["clients"]);
}

#[test]
fn disposal_leaves_no_text_in_the_file_the_index_or_the_backups() {
    let dir = setup();
    let d = dir.path();
    assert!(!leaks(&[&d.join("p.db")]).is_empty());
    // Pages the app wrote beside the practice file: the client's go, others stay.
    let page = d.join("handout-2-2018-03-01.html");
    std::fs::write(&page, "Xylophonic marmalade handout").unwrap();
    let summary = d.join("summary-2-2018-03-05.html");
    std::fs::write(&summary, "Quixotic summary").unwrap();
    let others = [
        d.join("handout-12-2018-03-01.html"),
        d.join("handout-2-copy.html"),
        d.join("summary-2-2018-03-05.txt"),
    ];
    for o in &others {
        std::fs::write(o, "kept").unwrap();
    }
    let preview = String::from_utf8(run_at(d, NOW, &["dispose", "2"]).stdout).unwrap();
    assert!(preview.contains("handout-2-2018-03-01.html"), "{preview}");
    assert!(!preview.contains("handout-12-"), "{preview}");
    assert!(page.exists(), "the preview removes nothing");
    let out = ok(d, &["dispose", "2", "--confirm"]);
    assert!(!page.exists() && !summary.exists(), "{out}");
    assert!(
        out.contains("handout-2-2018-03-01.html: overwritten and removed"),
        "{out}"
    );
    for o in &others {
        assert!(o.exists(), "{} was removed", o.display());
    }
    assert!(
        out.contains("Disposed of Zebedee Tangerine's record"),
        "{out}"
    );
    assert!(out.contains("disposed of too"), "{out}");
    assert!(out.contains("file-system snapshots"), "{out}");
    let o = run_at(d, NOW, &["dispose", "2", "--confirm"]);
    assert_eq!(o.status.code(), Some(1), "a disposed client is gone");

    // The damaged backup is listed as not opened.
    let o = run_at(d, NOW, &["retention", "log", "--json"]);
    assert!(o.status.success());
    let files = [d.join("p.db"), d.join("p.db-wal"), backup(d)];
    let refs: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
    assert_eq!(leaks(&refs), Vec::<String>::new());
    assert!(!backup(d).with_extension("db-wal").exists());

    // Search finds nothing; the other client is untouched; check passes.
    let found = json(d, &["note", "search", "xylophonic", "--json"]);
    assert_eq!(found.as_array().map(Vec::len), Some(0), "{found}");
    let clients = json(d, &["client", "list", "--json"]);
    assert_eq!(clients.as_array().unwrap().len(), 1);
    assert_eq!(clients[0]["name"], "Ben Ode");
    let check = run_at(d, NOW, &["check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    // The seals of the disposed note and addendum stay in the chain, marked disposed.
    let check = json(d, &["check", "--json"]);
    assert_eq!(check["seal"]["ok"], true, "{check}");
    assert_eq!(check["seal"]["disposed"], 2, "{check}");

    // The tombstone, with exactly the contract keys.
    let log = json(d, &["retention", "log", "--json"]);
    let t = &log.as_array().unwrap()[0];
    let mut keys: Vec<&str> = t.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "born",
            "client_id",
            "disposed_on",
            "first_contact",
            "keep_until",
            "last_contact",
            "name"
        ]
    );
    assert_eq!(t["client_id"], 2);
    assert_eq!(t["name"], "Zebedee Tangerine");
    assert_eq!(t["born"], "1980-05-02");
    assert_eq!(t["first_contact"], "2017-09-01");
    assert_eq!(t["last_contact"], "2018-03-05");
    assert_eq!(t["keep_until"], "2025-03-05");
    assert_eq!(t["disposed_on"], "2026-11-23");
    let audit = json(d, &["audit", "--json"]);
    let last = audit.as_array().unwrap().last().unwrap();
    assert_eq!(last["action"], "record_disposed");
    assert_eq!(last["client_id"], 2);

    // The backup holds the tombstone too, and opens.
    let restored = tempfile::tempdir().unwrap();
    std::fs::copy(backup(d), restored.path().join("p.db")).unwrap();
    let log = json(restored.path(), &["retention", "log", "--json"]);
    assert_eq!(log[0]["name"], "Zebedee Tangerine");

    // A new client never takes a disposed client's id.
    let id = ok(d, &["client", "add", "--name", "Cara Lind"]);
    assert_eq!(id.trim(), "3");
}

#[test]
fn a_backup_that_cannot_be_opened_is_listed() {
    let dir = setup();
    let d = dir.path();
    let o = run_at(d, NOW, &["dispose", "2", "--confirm", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let outcomes: Vec<(String, String)> = v["backups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                Path::new(b["file"].as_str().unwrap())
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                b["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            ("p-20180306-090000.db".to_string(), "disposed".to_string()),
            (
                "p-20180307-090000.db".to_string(),
                "could_not_open".to_string()
            ),
        ]
    );
}

#[test]
fn an_encrypted_practice_and_its_backups_are_disposed_of_too() {
    let dir = setup();
    let d = dir.path();
    let pass = "correct horse battery";
    let with_pass = |args: &[&str]| {
        common::output(cli::cmd(d, NOW).env("CASELOAD_PASSPHRASE", pass).args(args))
    };
    let o = with_pass(&["encrypt"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = with_pass(&["backup"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = with_pass(&["dispose", "2", "--confirm", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let outcomes: Vec<&str> = v["backups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["outcome"].as_str().unwrap())
        .collect();
    // The plain backup from before, the damaged file, and the encrypted backup.
    assert_eq!(outcomes, ["disposed", "could_not_open", "disposed"]);
    let o = with_pass(&["retention", "log", "--json"]);
    let log: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(log[0]["client_id"], 2);
    let o = with_pass(&["check"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
}

/// Words only the disposed client's money lines hold.
const MONEY_SECRETS: &[&str] = &["marmalade", "pomegranate"];

#[test]
fn disposal_removes_the_charges_descriptions_and_keeps_their_amounts_for_the_books() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let t = "2018-03-01 08:00";
    ok_at(d, t, &["client", "add", "--name", "Ben Ode"]);
    ok_at(d, t, &["client", "add", "--name", "Zebedee Tangerine"]);
    ok_at(d, t, &["billing", "--currency", "USD"]);
    ok_at(
        d,
        t,
        &[
            "service",
            "add",
            "--code",
            "90834",
            "--name",
            "Psychotherapy",
            "--minutes",
            "45",
            "--fee",
            "150",
        ],
    );
    ok_at(
        d,
        t,
        &[
            "session",
            "add",
            "--client",
            "2",
            "--at",
            "2018-03-05 10:00",
            "--weekly",
            "2",
            "--service",
            "90834",
        ],
    );
    ok_at(d, "2018-03-13 12:00", &["session", "mark", "1", "attended"]);
    ok_at(d, "2018-03-13 12:00", &["session", "mark", "2", "attended"]);
    let balance = ok_at(d, "2018-03-13 12:00", &["balance", "--client", "2"]);
    assert!(balance.contains("300.00"), "{balance}");
    ok_at(
        d,
        "2018-03-14 09:00",
        &["charge", "void", "2", "--reason", "Marmalade mix-up"],
    );
    ok_at(
        d,
        "2018-03-14 09:00",
        &[
            "payment",
            "add",
            "--client",
            "2",
            "--amount",
            "100",
            "--method",
            "cash",
            "--note",
            "Pomegranate envelope",
        ],
    );
    ok_at(
        d,
        "2018-03-14 09:00",
        &[
            "payment", "add", "--client", "1", "--amount", "40", "--method", "card",
        ],
    );
    ok_at(
        d,
        "2018-03-20 09:00",
        &["discharge", "2", "--reason", "goals_met"],
    );
    let income = |d: &Path| json(d, &["report", "income", "--month", "2018-03", "--json"]);
    let before = income(d);
    assert_eq!(before["billed"], 15000, "{before}");
    assert_eq!(before["collected"], 14000, "{before}");
    let strings_before = strings(&d.join("p.db"));
    assert!(MONEY_SECRETS.iter().all(|w| strings_before.contains(w)));

    // Before: what they still owe (150 charged after the void, 100 paid) is said plainly.
    let preview = String::from_utf8(run_at(d, NOW, &["dispose", "2"]).stdout).unwrap();
    assert!(
        preview.contains("Zebedee Tangerine still owes USD 50.00."),
        "{preview}"
    );
    let preview: Value =
        serde_json::from_slice(&run_at(d, NOW, &["dispose", "2", "--json"]).stdout).unwrap();
    assert_eq!(preview["still_owed"], 5000, "{preview}");

    ok(d, &["dispose", "2", "--confirm"]);

    // The books are unchanged: the same month, the same figures.
    let after = income(d);
    for key in ["billed", "collected", "adjustments", "by_service", "months"] {
        assert_eq!(after[key], before[key], "{key}: {after}");
    }
    assert_eq!(after["by_service"][0]["code"], "90834");
    assert_eq!(after["by_service"][0]["billed"], 15000);
    // The descriptions are gone from the file.
    let left = strings(&d.join("p.db"));
    for w in MONEY_SECRETS {
        assert!(!left.contains(w), "{w} is still in the file");
    }
    // What stays: amounts, days, kinds, the service; no text and no link to a session.
    let export = json(d, &["export"]);
    let ledger = export["tables"]["ledger"].as_array().unwrap();
    assert_eq!(ledger.len(), 1, "Ben's payment stays in the ledger");
    assert_eq!(ledger[0]["client_id"], 1);
    let kept = export["tables"]["disposed_money"].as_array().unwrap();
    let mut lines: Vec<(String, i64)> = kept
        .iter()
        .map(|r| {
            assert_eq!(r["client_id"], 2);
            assert!(
                r.get("reason").is_none() && r.get("session_id").is_none(),
                "{r}"
            );
            (
                r["kind"].as_str().unwrap().to_string(),
                r["amount"].as_i64().unwrap(),
            )
        })
        .collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            ("charge".to_string(), 15000),
            ("charge".to_string(), 15000),
            ("payment".to_string(), 10000),
            ("void".to_string(), 15000),
        ]
    );
    let check = run_at(d, NOW, &["check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}
