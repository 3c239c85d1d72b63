//! The `caseload note …` contract, run as the real binary.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use caseload::store::Store;

struct Practice {
    dir: tempfile::TempDir,
    db: PathBuf,
}

const NOW: &str = "2026-11-23 12:00";

impl Practice {
    fn new() -> Practice {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("p.db");
        Practice { dir, db }
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_caseload"));
        c.arg("--db").arg(&self.db);
        if !args.contains(&"--now") {
            c.args(["--now", NOW]);
        }
        c.args(args)
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("HOME", self.dir.path())
            .env_remove("CASELOAD_DB")
            .env("NO_COLOR", "1");
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_with_stdin(args, "")
    }

    fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = self
            .cmd(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        common::finish(child)
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// A client with one attended session; returns (client id, session id).
    fn client_with_session(&self, name: &str, at: &str) -> (i64, i64) {
        let client: i64 = self
            .ok(&["client", "add", "--name", name])
            .trim()
            .parse()
            .unwrap();
        let session = self.session(client, at);
        (client, session)
    }

    fn session(&self, client: i64, at: &str) -> i64 {
        let mut store = Store::open(&self.db).unwrap();
        store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO sessions (client_id, starts_at, minutes, modality, status, created_at, updated_at)
                     VALUES (?1, ?2, 50, 'video', 'attended', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')",
                    (client, at),
                )?;
                Ok(tx.last_insert_rowid())
            })
            .unwrap()
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    /// The stored row of a note, exactly.
    fn row(&self, id: i64) -> Vec<Option<String>> {
        let store = Store::open(&self.db).unwrap();
        store
            .conn()
            .query_row(
                "SELECT client_id, session_id, template, body, created_at, updated_at, signed_at FROM notes WHERE id = ?1",
                [id],
                |r| {
                    (0..7)
                        .map(|i| {
                            r.get::<_, Option<rusqlite::types::Value>>(i)
                                .map(|v| v.map(|v| format!("{v:?}")))
                        })
                        .collect()
                },
            )
            .unwrap()
    }

    fn count(&self, table: &str) -> i64 {
        let store = Store::open(&self.db).unwrap();
        store
            .conn()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

const SOAP: &str = "## Subjective\nSlept better; café visits help.\n\n## Objective\nCalm.\n\n## Assessment\nImproving.\n\n## Plan\nKeep the sleep diary.\n";

#[test]
fn add_from_a_file_prints_the_id_and_lists_as_json() {
    let pr = Practice::new();
    let (client, session) = pr.client_with_session("Maria Lopez", "2026-11-20T09:00");
    let f = pr.file("n.md", SOAP);
    let id = pr.ok(&[
        "note",
        "add",
        "--session",
        &session.to_string(),
        "--file",
        p(&f),
    ]);
    let id: i64 = id.trim().parse().unwrap();
    let list = pr.json(&["note", "list", "--client", &client.to_string(), "--json"]);
    let n = &list[0];
    assert_eq!(n["id"], id);
    assert_eq!(n["client_id"], client);
    assert_eq!(n["client_name"], "Maria Lopez");
    assert_eq!(n["session_id"], session);
    assert_eq!(n["session_starts_at"], "2026-11-20T09:00");
    assert_eq!(n["template"], "soap");
    assert_eq!(n["state"], "draft");
    assert_eq!(n["signed_at"], serde_json::Value::Null);
    assert_eq!(
        n["sections"]["subjective"],
        "Slept better; café visits help."
    );
    assert_eq!(n["sections"]["plan"], "Keep the sleep diary.");
    assert_eq!(n["addenda"], serde_json::json!([]));
    assert_eq!(n["created_at"], n["updated_at"]);
    let human = pr.ok(&["note", "list", "--client", &client.to_string()]);
    assert!(
        human.contains("draft") && human.contains("Slept better"),
        "{human}"
    );
}

#[test]
fn add_reads_stdin_and_honours_templates() {
    let pr = Practice::new();
    let (client, s1) = pr.client_with_session("Tom Berg", "2026-11-20T10:00");
    let s2 = pr.session(client, "2026-11-21T10:00");
    let s3 = pr.session(client, "2026-11-22T10:00");
    let out = pr.run_with_stdin(
        &[
            "note",
            "add",
            "--session",
            &s1.to_string(),
            "--template",
            "dap",
        ],
        "##data\nSaid a lot\n## PLAN:\nReview\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = pr.run_with_stdin(
        &[
            "note",
            "add",
            "--session",
            &s2.to_string(),
            "--template",
            "free",
        ],
        "Just a few lines.\n## kept as text\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // The practice default from config.toml.
    let cfg = pr.dir.path().join("config/caseload");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(cfg.join("config.toml"), "note_template = \"birp\"\n").unwrap();
    let out = pr.run_with_stdin(
        &["note", "add", "--session", &s3.to_string()],
        "## Behaviour\nQuiet.\n## Intervention\nGrounding.\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let list = pr.json(&["note", "list", "--client", &client.to_string(), "--json"]);
    assert_eq!(list[0]["template"], "birp");
    assert_eq!(list[0]["sections"]["intervention"], "Grounding.");
    assert_eq!(list[1]["template"], "free");
    assert_eq!(
        list[1]["sections"]["note"],
        "Just a few lines.\n## kept as text"
    );
    assert_eq!(list[2]["template"], "dap");
    assert_eq!(list[2]["sections"]["data"], "Said a lot");
    assert_eq!(list[2]["sections"]["plan"], "Review");
}

#[test]
fn bad_input_is_refused_and_writes_nothing() {
    let pr = Practice::new();
    let (_, session) = pr.client_with_session("Priya Nair", "2026-11-20T11:00");
    let s = session.to_string();
    let out = pr.run_with_stdin(
        &["note", "add", "--session", &s],
        "## Subjective\nx\n## Mood\nlow\n",
    );
    assert_eq!(out.status.code(), Some(1));
    let e = stderr(&out);
    assert!(
        e.contains("line 3") && e.contains("“## Mood” is not a section of a SOAP note"),
        "{e}"
    );
    let out = pr.run_with_stdin(&["note", "add", "--session", &s], "no heading at all\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("before the first heading"));
    let out = pr.run_with_stdin(&["note", "add", "--session", &s], "  \n");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("empty"));
    let out = pr.run_with_stdin(&["note", "add", "--session", "999"], SOAP);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no session with id 999"),
        "{}",
        stderr(&out)
    );
    let out = pr.run(&["note", "add", "--session", &s, "--template", "narrative"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("soap, dap, birp, free"));
    let out = pr.run(&[
        "note",
        "add",
        "--session",
        &s,
        "--file",
        "/nonexistent/x.md",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("could not read /nonexistent/x.md"));
    assert_eq!(pr.count("notes"), 0);
    // One note per session.
    pr.run_with_stdin(&["note", "add", "--session", &s], SOAP);
    let out = pr.run_with_stdin(&["note", "add", "--session", &s], SOAP);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("already has a note"));
    assert_eq!(pr.count("notes"), 1);
}

#[test]
fn a_signed_note_can_not_be_edited_and_takes_addenda() {
    let pr = Practice::new();
    let (client, session) = pr.client_with_session("Olu Adeyemi", "2026-11-20T14:00");
    let id = pr
        .run_with_stdin(&["note", "add", "--session", &session.to_string()], SOAP)
        .stdout;
    let id: i64 = String::from_utf8(id).unwrap().trim().parse().unwrap();
    let ids = id.to_string();
    // A draft can be edited.
    let f = pr.file("edit.md", "## Subjective\nRewritten.\n");
    pr.ok(&["note", "edit", &ids, "--file", p(&f)]);
    let n = pr.json(&["note", "show", &ids, "--json"]);
    assert_eq!(n["sections"]["subjective"], "Rewritten.");
    assert_eq!(n["sections"]["plan"], "");
    // Addenda wait for signing.
    let out = pr.run(&["note", "addendum", &ids, "--text", "too soon"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("still a draft"));
    let out = pr.ok(&["note", "sign", &ids]);
    assert!(out.contains("Signed note"), "{out}");
    let before = pr.row(id);
    // Editing the signed note exits 1 and changes nothing.
    let f2 = pr.file("edit2.md", "## Subjective\nChanged after signing.\n");
    let out = pr.run(&["note", "edit", &ids, "--file", p(&f2)]);
    assert_eq!(out.status.code(), Some(1));
    let e = stderr(&out);
    assert!(
        e.starts_with("caseload: Note") && e.contains("can no longer be changed"),
        "{e}"
    );
    assert!(e.contains(&format!("caseload note addendum {id}")), "{e}");
    let out = pr.run_with_stdin(&["note", "edit", &ids], "## Plan\nsneaky\n");
    assert_eq!(out.status.code(), Some(1));
    let out = pr.run(&["note", "sign", &ids]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("already signed"));
    assert_eq!(pr.row(id), before);
    // Corrections are addenda, each with its time.
    pr.ok(&[
        "--now",
        "2026-11-24 08:30",
        "note",
        "addendum",
        &ids,
        "--text",
        "Correction: the diary is weekly.",
    ]);
    let out = pr.run(&["note", "addendum", &ids, "--text", "  "]);
    assert_eq!(out.status.code(), Some(1));
    let list = pr.json(&["note", "list", "--client", &client.to_string(), "--json"]);
    assert_eq!(list[0]["state"], "signed");
    assert_eq!(
        list[0]["addenda"][0]["text"],
        "Correction: the diary is weekly."
    );
    assert!(
        list[0]["addenda"][0]["created_at"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    assert_eq!(list[0]["addenda"].as_array().unwrap().len(), 1);
    assert_eq!(pr.row(id), before);
    let shown = pr.ok(&["note", "show", &ids]);
    assert!(
        shown.contains("## Addendum") && shown.contains("weekly"),
        "{shown}"
    );
}

#[test]
fn search_finds_notes_and_addenda_and_tolerates_punctuation() {
    let pr = Practice::new();
    let (_, s1) = pr.client_with_session("Lena Fischer", "2026-11-19T09:00");
    let (_, s2) = pr.client_with_session("Sam Okafor", "2026-11-19T10:00");
    pr.run_with_stdin(&["note", "add", "--session", &s1.to_string()], SOAP);
    let out = pr.run_with_stdin(
        &[
            "note",
            "add",
            "--session",
            &s2.to_string(),
            "--template",
            "free",
        ],
        "Panic attacks at work (twice). Breathing practice.",
    );
    let id2: i64 = String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    pr.ok(&["note", "sign", &id2.to_string()]);
    pr.ok(&[
        "note",
        "addendum",
        &id2.to_string(),
        "--text",
        "Referred to the GP.",
    ]);
    let hits = pr.json(&["note", "search", "cafe", "--json"]);
    assert_eq!(hits.as_array().unwrap().len(), 1);
    assert_eq!(hits[0]["client_name"], "Lena Fischer");
    assert_eq!(hits[0]["state"], "draft");
    assert!(hits[0]["snippet"].as_str().unwrap().contains("[café]"));
    let hits = pr.json(&["note", "search", "GP", "--json"]);
    assert_eq!(hits[0]["note_id"], id2);
    assert_eq!(hits[0]["state"], "signed");
    for q in [
        "(twice).", "\"panic", "work AND", "NEAR(x", "breath*", "-", "'", ":", "café's",
    ] {
        let out = pr.run(&["note", "search", q, "--json"]);
        assert!(out.status.success(), "{q}: {}", stderr(&out));
        let _: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    }
    let hits = pr.json(&["note", "search", "(twice).", "--json"]);
    assert_eq!(hits.as_array().unwrap().len(), 1);
    let human = pr.ok(&["note", "search", "nothing-like-this"]);
    assert_eq!(human.trim(), "No notes match.");
}
