#![allow(clippy::unwrap_used, clippy::panic)]
//! A client's copy of their record and the handover archive, run as the real binary on the
//! demo practice; both parsed back and checked complete against the JSON export.

mod common;

use std::io::{Read, Write};
use std::path::Path;

use age::secrecy::SecretString;
use common::Sandbox;
use scraper::{Html, Selector};
use serde_json::Value;

const PASS: &str = "plum-harbour-lantern-42";

fn demo() -> Sandbox {
    let s = Sandbox::new();
    s.ok(&["demo"]);
    s
}

fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn text_of(html: &str) -> String {
    let doc = Html::parse_document(html);
    doc.root_element().text().collect::<Vec<_>>().join(" ")
}

fn rows<'a>(export: &'a Value, table: &str) -> &'a Vec<Value> {
    export["tables"][table].as_array().unwrap()
}

/// The client of the demo practice with the most notes.
fn busiest(export: &Value) -> i64 {
    let mut counts = std::collections::BTreeMap::new();
    for n in rows(export, "notes") {
        *counts.entry(n["client_id"].as_i64().unwrap()).or_insert(0) += 1;
    }
    counts.into_iter().max_by_key(|(_, n)| *n).unwrap().0
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_record_holds_the_whole_chart_and_its_release_is_audited() {
    let s = demo();
    let export = s.json(&["export"]);
    let id = busiest(&export);
    let ids = id.to_string();
    let out = s.path().join("record.html");
    s.ok(&["record", &ids, "-o", out.to_str().unwrap()]);
    assert_eq!(mode(&out), 0o600);
    let html = std::fs::read_to_string(&out).unwrap();
    let doc = Html::parse_document(&html);
    let client = rows(&export, "clients")
        .iter()
        .find(|c| c["id"] == id)
        .unwrap();
    let h1: String = doc
        .select(&Selector::parse("h1").unwrap())
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(
        h1,
        format!("Record of {}", client["name"].as_str().unwrap())
    );
    assert!(html.contains("@media print"));
    let text = collapse(&text_of(&html));

    // Every section of every note, and every addendum.
    let notes: Vec<&Value> = rows(&export, "notes")
        .iter()
        .filter(|n| n["client_id"] == id)
        .collect();
    assert!(!notes.is_empty());
    for n in &notes {
        // Export format 2 carries the sections as nested JSON (format 1 as a string of JSON).
        let body: Value = match &n["body"] {
            Value::String(s) => serde_json::from_str(s).unwrap(),
            other => other.clone(),
        };
        for (_, v) in body.as_object().unwrap() {
            let v = collapse(v.as_str().unwrap());
            assert!(v.is_empty() || text.contains(&v), "missing note text {v:?}");
        }
        for a in rows(&export, "note_addenda")
            .iter()
            .filter(|a| a["note_id"] == n["id"])
        {
            assert!(text.contains(&collapse(a["text"].as_str().unwrap())));
        }
    }
    // One line per session, one block per assessment, every goal.
    let sessions = rows(&export, "sessions")
        .iter()
        .filter(|x| x["client_id"] == id)
        .count();
    let headings: Vec<String> = doc
        .select(&Selector::parse("h2").unwrap())
        .map(|h| h.text().collect())
        .collect();
    let at = headings.iter().position(|h| h == "Sessions").unwrap();
    let lists = Selector::parse("h2 + ul").unwrap();
    let session_list = doc
        .select(&lists)
        .find(|ul| {
            ul.prev_siblings()
                .find_map(scraper::ElementRef::wrap)
                .map(|h| h.text().collect::<String>())
                == Some(headings[at].clone())
        })
        .unwrap();
    assert_eq!(
        session_list.select(&Selector::parse("li").unwrap()).count(),
        sessions
    );
    let assessments = rows(&export, "assessments")
        .iter()
        .filter(|x| x["client_id"] == id)
        .count();
    assert_eq!(text.matches("Given on").count(), assessments);
    for g in rows(&export, "goals")
        .iter()
        .filter(|x| x["client_id"] == id)
    {
        assert!(text.contains(&collapse(g["text"].as_str().unwrap())));
    }

    // The release is in the audit trail; nothing else about the client changed.
    let audit = s.json(&["audit", "--client", &ids, "--json"]);
    let last = audit.as_array().unwrap().last().unwrap();
    assert_eq!(last["action"], "record_released");
    assert_eq!(
        last["detail"],
        "copy released (html, the whole record) to a file"
    );

    // An existing file is never replaced; that changes nothing.
    let err = s.fails(&["record", &ids, "-o", out.to_str().unwrap()], 1);
    assert!(err.contains("already exists"), "{err}");
    let err = s.fails(&["record", "9999"], 1);
    assert!(err.contains("no client with id 9999"), "{err}");
    let err = s.fails(
        &["record", &ids, "--from", "2026-06-01", "--to", "2026-05-01"],
        1,
    );
    assert!(err.contains("is after --to"), "{err}");
    assert_eq!(
        s.json(&["audit", "--client", &ids, "--json"])
            .as_array()
            .unwrap()
            .len(),
        audit.as_array().unwrap().len()
    );
}

#[test]
fn a_period_keeps_only_what_happened_in_it() {
    let s = demo();
    let export = s.json(&["export"]);
    let id = busiest(&export).to_string();
    let all = s.json(&["record", &id, "--format", "json"]);
    let part = s.json(&[
        "record",
        &id,
        "--format",
        "json",
        "--from",
        "2026-09-01",
        "--to",
        "2026-09-30",
    ]);
    assert_eq!(part["from"], "2026-09-01");
    assert_eq!(part["to"], "2026-09-30");
    assert_eq!(part["client"], all["client"]);
    let in_sept = all["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["starts_at"].as_str().unwrap().starts_with("2026-09"))
        .count();
    let sessions = part["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), in_sept);
    assert!(in_sept > 0);
    for x in sessions {
        assert!(x["starts_at"].as_str().unwrap().starts_with("2026-09"));
    }
    for key in ["notes", "sessions", "assessments", "goals", "audit"] {
        assert!(all[key].is_array(), "{key}");
    }
}

/// Opens an archive with the age and tar crates directly (the format the `age` tool reads).
fn open_with_age(path: &Path, pass: &str) -> Vec<(String, Vec<u8>)> {
    let f = std::fs::File::open(path).unwrap();
    let d = age::Decryptor::new(std::io::BufReader::new(f)).unwrap();
    assert!(d.is_scrypt());
    let id = age::scrypt::Identity::new(SecretString::from(pass.to_string()));
    let r = d
        .decrypt(std::iter::once(&id as &dyn age::Identity))
        .unwrap();
    let mut tar = tar::Archive::new(r);
    tar.entries()
        .unwrap()
        .map(|e| {
            let mut e = e.unwrap();
            let p = e.path().unwrap().to_string_lossy().into_owned();
            let mut b = Vec::new();
            e.read_to_end(&mut b).unwrap();
            (p, b)
        })
        .collect()
}

fn seal(path: &Path, pass: &str, files: &[(String, Vec<u8>)]) {
    let mut r = age::scrypt::Recipient::new(SecretString::from(pass.to_string()));
    r.set_work_factor(10);
    let e = age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient)).unwrap();
    let w = e.wrap_output(std::fs::File::create(path).unwrap()).unwrap();
    let mut t = tar::Builder::new(w);
    for (p, b) in files {
        let mut h = tar::Header::new_ustar();
        h.set_size(b.len() as u64);
        h.set_mode(0o600);
        t.append_data(&mut h, p, b.as_slice()).unwrap();
    }
    t.into_inner().unwrap().finish().unwrap().flush().unwrap();
}

#[test]
fn the_handover_archive_opens_with_age_and_is_complete_against_the_export() {
    let s = demo();
    let export_before = s.json(&["export"]);
    let archive = s.path().join("handover.tar.age");
    let out = s
        .cmd()
        .env("CASELOAD_HANDOVER_PASSPHRASE", PASS)
        .args(["handover", "--custodian", "Dr Ana Ruiz", "-o"])
        .arg(&archive)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Dr Ana Ruiz"), "{stdout}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains(PASS));
    assert_eq!(mode(&archive), 0o600);
    let raw = std::fs::read(&archive).unwrap();
    assert!(raw.starts_with(b"age-encryption.org/v1\n-> scrypt "));

    let files = open_with_age(&archive, PASS);
    let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    for required in [
        "READ-ME-FIRST.html",
        "READ-ME-FIRST.txt",
        "export.json",
        "practice-profile.json",
        "manifest.json",
    ] {
        assert!(names.contains(&required), "{required} in {names:?}");
    }
    let get = |n: &str| &files.iter().find(|(p, _)| p == n).unwrap().1;
    // The export inside is the practice as it was.
    let inside: Value = serde_json::from_slice(get("export.json")).unwrap();
    assert_eq!(inside, export_before);
    // A record for every client, each titled with the client's name.
    let clients = rows(&export_before, "clients");
    let records: Vec<&(String, Vec<u8>)> = files
        .iter()
        .filter(|(p, _)| p.starts_with("records/"))
        .collect();
    assert_eq!(records.len(), clients.len());
    for c in clients {
        let prefix = format!("records/{}-", c["id"]);
        let (_, html) = records
            .iter()
            .find(|(p, _)| p.starts_with(&prefix))
            .unwrap();
        let doc = Html::parse_document(std::str::from_utf8(html).unwrap());
        let h1: String = doc
            .select(&Selector::parse("h1").unwrap())
            .next()
            .unwrap()
            .text()
            .collect();
        assert_eq!(h1, format!("Record of {}", c["name"].as_str().unwrap()));
    }
    // The letter names the custodian and the clients still in care, with the rule.
    let letter = text_of(std::str::from_utf8(get("READ-ME-FIRST.html")).unwrap());
    assert!(letter.contains("Dr Ana Ruiz"));
    assert!(letter.contains("age --decrypt"));
    assert!(letter.contains("7 years after the last contact"));
    for c in clients.iter().filter(|c| c["status"] == "active") {
        assert!(
            letter.contains(c["name"].as_str().unwrap()),
            "{}",
            c["name"]
        );
    }

    // Verify: opens and complete; the making was recorded.
    let ok = s
        .cmd()
        .env("CASELOAD_HANDOVER_PASSPHRASE", PASS)
        .args(["handover", "--json", "--verify"])
        .arg(&archive)
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let v: Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(v["clients"].as_u64().unwrap() as usize, clients.len());
    assert_eq!(v["custodian"], "Dr Ana Ruiz");
    let audit = s.json(&["audit", "--json"]);
    assert_eq!(
        audit.as_array().unwrap().last().unwrap()["action"],
        "handover_made"
    );

    // A wrong passphrase, a damaged file, a missing record: each refused in words.
    let verify = |file: &Path, pass: &str| {
        let o = s
            .cmd()
            .env("CASELOAD_HANDOVER_PASSPHRASE", pass)
            .args(["handover", "--verify"])
            .arg(file)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1));
        String::from_utf8(o.stderr).unwrap()
    };
    assert!(verify(&archive, "not-the-passphrase").contains("does not open"));
    let damaged = s.path().join("damaged.tar.age");
    let mut bytes = raw.clone();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    std::fs::write(&damaged, &bytes).unwrap();
    assert!(verify(&damaged, PASS).contains("damaged"));
    let short = s.path().join("short.tar.age");
    let missing = records[0].0.clone();
    let fewer: Vec<(String, Vec<u8>)> = files
        .iter()
        .filter(|(p, _)| *p != missing)
        .cloned()
        .collect();
    seal(&short, PASS, &fewer);
    let err = verify(&short, PASS);
    assert!(err.contains("not complete"), "{err}");
    assert!(err.contains(&format!("{missing} is missing")), "{err}");

    // An existing file is never replaced; the custodian must be named.
    let again = s
        .cmd()
        .env("CASELOAD_HANDOVER_PASSPHRASE", PASS)
        .args(["handover", "--custodian", "Dr Ana Ruiz", "-o"])
        .arg(&archive)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(std::fs::read(&archive).unwrap(), raw);
    let other = s.path().join("other.tar.age");
    let o = s
        .cmd()
        .env("CASELOAD_HANDOVER_PASSPHRASE", PASS)
        .args(["handover", "--custodian", " ", "-o"])
        .arg(&other)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(!other.exists());
}

#[test]
fn without_the_variable_a_new_passphrase_is_shown_once_and_opens_the_archive() {
    let s = Sandbox::new();
    s.ok(&["client", "add", "--name", "Maria Lopez"]);
    let archive = s.path().join("h.tar.age");
    let out = s
        .cmd()
        .env_remove("CASELOAD_HANDOVER_PASSPHRASE")
        .args(["handover", "--custodian", "Sam Lee", "-o"])
        .arg(&archive)
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("shown this once"), "{err}");
    let pass = err
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 29 && l.matches('-').count() == 5)
        .unwrap();
    let files = open_with_age(&archive, pass);
    assert!(files.iter().any(|(p, _)| p == "records/1-maria-lopez.html"));
}

fn has(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn the_record_as_a_pdf_is_a_private_pdf_with_every_section() {
    let s = demo();
    let export = s.json(&["export"]);
    let id = busiest(&export);
    let ids = id.to_string();
    let out = s.path().join("record.pdf");
    s.ok(&[
        "record",
        &ids,
        "--format",
        "pdf",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(mode(&out), 0o600);
    let pdf = std::fs::read(&out).unwrap();
    assert!(pdf.starts_with(b"%PDF-1."), "header");
    let tail = String::from_utf8_lossy(&pdf[pdf.len() - 8..]).to_string();
    assert!(tail.trim_end().ends_with("%%EOF"), "{tail:?}");
    for section in [
        "Details",
        "Sessions",
        "Progress notes",
        "Assessments",
        "Goals",
        "Boundaries",
        "Discharge and referral",
        "Audit trail",
    ] {
        assert!(has(&pdf, section), "{section} missing from the PDF");
    }
    // The client's name is in the title (the demo's names are plain ASCII).
    let client = rows(&export, "clients")
        .iter()
        .find(|c| c["id"] == id)
        .unwrap();
    let name = client["name"].as_str().unwrap();
    assert!(has(&pdf, &format!("Record of {name}")), "{name}");
    // Its release is audited like the web page's.
    let audit = s.json(&["audit", "--client", &ids, "--json"]);
    let last = audit.as_array().unwrap().last().unwrap();
    assert_eq!(
        last["detail"],
        "copy released (pdf, the whole record) to a file"
    );
    // Down a pipe, the same file.
    let piped = s.run(&["record", &ids, "--format", "pdf"]);
    assert!(piped.status.success());
    assert!(piped.stdout.starts_with(b"%PDF-1."));
    // Never written over an existing file.
    let again = s.run(&[
        "record",
        &ids,
        "--format",
        "pdf",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(!again.status.success());
    assert_eq!(std::fs::read(&out).unwrap(), pdf);
}

#[test]
fn a_note_section_of_several_paragraphs_keeps_them_apart_in_the_record() {
    let s = Sandbox::new();
    s.ok(&["client", "add", "--name", "Maria Lopez"]);
    s.book("1", "2026-11-20T09:00");
    let f = s.path().join("n.md");
    std::fs::write(
        &f,
        "## Subjective\nSlept better.\n\nThe café visits help.\n## Objective\nCalm.\n## Assessment\nImproving.\n## Plan\nKeep the sleep diary.\nReview in December.\n",
    )
    .unwrap();
    s.ok(&[
        "note",
        "add",
        "--session",
        "1",
        "--file",
        f.to_str().unwrap(),
    ]);
    let out = s.path().join("record.html");
    s.ok(&["record", "1", "-o", out.to_str().unwrap()]);
    let html = std::fs::read_to_string(&out).unwrap();
    let doc = Html::parse_document(&html);
    let dd = Selector::parse("dd").unwrap();
    let p = Selector::parse("p").unwrap();
    let paras_of = |first: &str| -> Vec<String> {
        doc.select(&dd)
            .find(|d| d.text().collect::<String>().starts_with(first))
            .unwrap_or_else(|| panic!("no <dd> starting {first:?} in {html}"))
            .select(&p)
            .map(|x| x.text().collect::<String>())
            .collect()
    };
    assert_eq!(
        paras_of("Slept better."),
        ["Slept better.", "The café visits help."]
    );
    assert_eq!(
        paras_of("Keep the sleep diary."),
        ["Keep the sleep diary.", "Review in December."]
    );
    // A one-paragraph section stays as it was: no <p> inside.
    assert!(paras_of("Calm.").is_empty());
}
