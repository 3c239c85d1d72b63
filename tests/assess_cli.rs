#![allow(clippy::unwrap_used, clippy::panic)]
//! The `assess` and `recommend` command-line contract, run as the real binary.

mod common;

use common::Within;

use std::process::{Command, Output};

use serde_json::Value;

const NOW: &str = "2026-11-23 10:00";

struct Practice {
    dir: tempfile::TempDir,
}

impl Practice {
    fn new() -> Practice {
        let p = Practice {
            dir: tempfile::tempdir().unwrap(),
        };
        let out = p.run(&["client", "add", "--name", "Tom Berg"]);
        assert!(out.status.success(), "{out:?}");
        p
    }

    fn config(&self) -> std::path::PathBuf {
        self.dir.path().join("config")
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_caseload"))
            .arg("--db")
            .arg(self.dir.path().join("p.db"))
            .args(["--now", NOW])
            .args(args)
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_CONFIG_HOME", self.config())
            .env("HOME", self.dir.path())
            .env_remove("CASELOAD_DB")
            .output_within()
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn record_a_measure_prints_the_contract() {
    let p = Practice::new();
    let v = p.json(&[
        "assess",
        "record",
        "--client",
        "1",
        "--instrument",
        "wellbeing",
        "--answers",
        "1,2,1,2,1,1",
        "--at",
        "2026-11-20",
        "--json",
    ]);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    for k in [
        "id",
        "client_id",
        "instrument",
        "version",
        "administered_at",
        "answers",
        "total",
        "band",
        "flags",
        "subscales",
        "ranking",
    ] {
        assert!(keys.contains(&k), "{k} in {keys:?}");
    }
    assert_eq!(v["client_id"], 1);
    assert_eq!(v["instrument"], "wellbeing");
    assert_eq!(v["version"], 1);
    assert_eq!(v["administered_at"], "2026-11-20");
    assert_eq!(v["answers"], serde_json::json!([1, 2, 1, 2, 1, 1]));
    assert_eq!(v["total"], 10);
    assert_eq!(v["band"], "moderate");
    assert_eq!(v["flags"][0]["item"], "harm");
    assert!(
        v["flags"][0]["message"]
            .as_str()
            .unwrap()
            .contains("safety")
    );
    assert_eq!(v["subscales"]["mood"], 4);
    assert_eq!(v["ranking"], serde_json::json!([]));
    // The flag raised an alert that stays until reviewed.
    let alerts = p.json(&["assess", "alerts", "--client", "1", "--json"]);
    assert_eq!(alerts.as_array().unwrap().len(), 1);
    let id = alerts[0]["id"].as_i64().unwrap().to_string();
    let out = p.run(&["assess", "review-flag", &id, "--note", " "]);
    assert_eq!(out.status.code(), Some(1));
    let r = p.json(&[
        "assess",
        "review-flag",
        &id,
        "--note",
        "Called; safe.",
        "--json",
    ]);
    assert_eq!(r["review_note"], "Called; safe.");
    let alerts = p.json(&["assess", "alerts", "--json"]);
    assert!(alerts.as_array().unwrap().is_empty());
}

#[test]
fn wrong_answers_exit_1_naming_the_item_and_record_nothing() {
    let p = Practice::new();
    let base = [
        "assess",
        "record",
        "--client",
        "1",
        "--instrument",
        "wellbeing",
    ];
    for (answers, names) in [
        ("1,2,1", "6 items"),
        ("1,2,1,2,1,1,0", "6 items"),
        ("1,2,7,2,1,1", "“enjoy”"),
        ("1,2,x,2,1,1", "“enjoy”"),
        ("-1,2,1,2,1,1", "“calm”"),
    ] {
        let mut args = base.to_vec();
        args.extend(["--answers", answers]);
        let out = p.run(&args);
        assert_eq!(out.status.code(), Some(1), "{answers}");
        assert!(stderr(&out).contains(names), "{answers}: {}", stderr(&out));
        assert!(stderr(&out).starts_with("caseload: "));
    }
    let out = p.run(&[
        "assess",
        "record",
        "--client",
        "1",
        "--instrument",
        "nope",
        "--answers",
        "1",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("engagement, wellbeing"));
    let h = p.json(&["assess", "history", "--client", "1", "--json"]);
    assert!(h.as_array().unwrap().is_empty());
}

fn engagement_answers(collab: bool) -> String {
    // 12 model items, then 4 barriers (work often, caring no, travel no, transport sometimes).
    let model = if collab {
        "0,0,0,0,4,4,1,1,0,0,2,0"
    } else {
        "4,4,1,1,0,0,0,0,1,0,0,0"
    };
    format!("{model},2,0,0,1")
}

#[test]
fn engagement_ranking_recommend_and_accept() {
    let p = Practice::new();
    let out = p.run(&["recommend", "--client", "1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no engagement assessment"));
    let v = p.json(&[
        "assess",
        "record",
        "--client",
        "1",
        "--instrument",
        "engagement",
        "--answers",
        &engagement_answers(true),
        "--at",
        "2026-08-01",
        "--json",
    ]);
    assert_eq!(v["band"], Value::Null);
    let ranking = v["ranking"].as_array().unwrap();
    assert_eq!(ranking.len(), 6);
    assert_eq!(ranking[0]["model"], "collaborative");
    let shares: f64 = ranking.iter().map(|e| e["share"].as_f64().unwrap()).sum();
    assert!((shares - 1.0).abs() < 0.001);
    for e in ranking {
        let keys: Vec<&str> = e.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        assert_eq!(keys.len(), 3);
        assert!(e.get("score").is_some() && e.get("share").is_some());
    }

    let r = p.json(&["recommend", "--client", "1", "--json"]);
    assert_eq!(r["recommended"], "collaborative");
    assert_eq!(r["accepted"], Value::Null);
    assert_eq!(r["why"].as_array().unwrap().len(), 3);
    // 2026-08-01 → 2026-11-23 is 114 days: due.
    assert_eq!(r["reassessment"]["due"], true);

    // Another model needs a reason.
    let out = p.run(&["recommend", "--client", "1", "--accept", "expert"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("reason"));
    let out = p.run(&["recommend", "--client", "1", "--accept", "psychic"]);
    assert_eq!(out.status.code(), Some(2));

    let r = p.json(&[
        "recommend",
        "--client",
        "1",
        "--accept",
        "collaborative",
        "--json",
    ]);
    assert_eq!(r["accepted"]["model"], "collaborative");
    let r = p.json(&[
        "recommend",
        "--client",
        "1",
        "--accept",
        "expert",
        "--reason",
        "Asked for direct advice",
        "--json",
    ]);
    assert_eq!(r["accepted"]["model"], "expert");
    assert_eq!(r["accepted"]["reason"], "Asked for direct advice");
    assert_eq!(r["history"].as_array().unwrap().len(), 2);
    assert_eq!(r["guidance"]["model"], "expert");

    // A newer assessment: not due.
    p.json(&[
        "assess",
        "record",
        "--client",
        "1",
        "--instrument",
        "engagement",
        "--answers",
        &engagement_answers(false),
        "--json",
    ]);
    let r = p.json(&["recommend", "--client", "1", "--json"]);
    assert_eq!(r["recommended"], "expert");
    assert_eq!(r["reassessment"]["due"], false);
    let h = p.json(&[
        "assess",
        "history",
        "--client",
        "1",
        "--instrument",
        "engagement",
        "--json",
    ]);
    assert_eq!(h.as_array().unwrap().len(), 2);
}

#[test]
fn instruments_lists_built_ins_and_broken_user_files() {
    let p = Practice::new();
    let dir = p.config().join("caseload").join("instruments");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("broken.toml"),
        "key = \"mine\"\ntitle = \"Mine\"\nversion = 1\nkind = \"measure\"\ninstructions = \"x\"\n\n[[items]]\nid = \"a\"\ntext = \"A\"\noptions = [{label = \"no\", value = 0}, {label = \"yes\", value = 1}]\n\n[[bands]]\nmin = 0\nmax = 0\nlabel = \"none\"\n\n[[flags]]\nitem = \"b\"\nat_least = 1\nmessage = \"m\"\n",
    )
    .unwrap();
    let v = p.json(&["assess", "instruments", "--json"]);
    let list = v["instruments"].as_array().unwrap();
    assert_eq!(list[0]["key"], "engagement");
    assert_eq!(list[0]["kind"], "recommendation");
    assert_eq!(list[0]["outcomes"].as_array().unwrap().len(), 6);
    assert!(list[0]["items"][0]["weights"].is_object());
    assert!(list[0]["items"][0]["options"].is_array());
    assert_eq!(list[1]["key"], "wellbeing");
    assert!(list[1]["bands"].is_array() && list[1]["flags"].is_array());
    let broken = v["broken"].as_array().unwrap();
    assert_eq!(broken.len(), 1);
    let problems = broken[0]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 2, "{problems:?}");
    // The gap (total 1) at the band, the unknown item at line 18.
    assert!(
        problems
            .iter()
            .any(|p| p["message"].as_str().unwrap().contains("a total of 1"))
    );
    assert!(problems.iter().any(|p| p["line"] == 18));
    // A broken file never stops anything else.
    assert!(
        p.run(&["assess", "history", "--client", "1"])
            .status
            .success()
    );
}

#[test]
fn check_reports_every_problem_with_its_line() {
    let p = Practice::new();
    let file = p.dir.path().join("x.toml");
    let write = |text: &str| std::fs::write(&file, text).unwrap();
    let check = || p.run(&["assess", "check", file.to_str().unwrap()]);
    write(include_str!("../assets/instruments/wellbeing.toml"));
    let out = check();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("good measure"));

    let bad = include_str!("../assets/instruments/wellbeing.toml")
        .replace("min = 5\nmax = 9", "min = 6\nmax = 9")
        .replace("item = \"harm\"", "item = \"hurt\"");
    write(&bad);
    let out = check();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let line_of = |needle: &str| bad.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].contains("a total of 5"), "{text}");
    assert!(
        lines[1].starts_with(&format!("{}:{}:", file.display(), line_of("\"hurt\""))),
        "{text}"
    );
    assert!(stderr(&out).contains("2 problems"));

    write("key = \"x\"\ntitle = \"oops\nversion = 1\n");
    let out = check();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains(":2: this is not valid TOML"));
    let out = p.run(&["assess", "check", "/nonexistent/file.toml"]);
    assert_eq!(out.status.code(), Some(1));
}
