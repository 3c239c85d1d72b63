#![allow(clippy::unwrap_used, clippy::panic)]
//! Fees and payments on the command line, run as the real binary against a file in a tempdir:
//! the JSON keys of the issue, exit codes 0/1/2, refusals that change nothing, documents 0600.

mod common;

use std::path::Path;
use std::process::Output;

use common::cli;
use serde_json::Value;

const NOW: &str = "2026-03-20 10:00";

fn run(dir: &Path, args: &[&str]) -> Output {
    cli::run(dir, NOW, args)
}

fn run_at(dir: &Path, now: &str, args: &[&str]) -> Output {
    cli::run(dir, now, args)
}

fn ok(dir: &Path, args: &[&str]) -> String {
    cli::ok(dir, NOW, args)
}

fn json(dir: &Path, args: &[&str]) -> Value {
    cli::json(dir, NOW, args)
}

/// Exits with `code`, says `words` on stderr, and changes nothing in the ledger.
fn refused(dir: &Path, args: &[&str], code: i32, words: &str) {
    let before = ok(dir, &["ledger", "--client", "1", "--json"]);
    let o = run(dir, args);
    assert_eq!(o.status.code(), Some(code), "{args:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(words), "{args:?}: {err}");
    assert_eq!(ok(dir, &["ledger", "--client", "1", "--json"]), before);
}

/// A client, USD, service 90834 at 150 (late cancel 50 %), three weekly sessions from 2 March.
fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(
        d,
        &[
            "client",
            "add",
            "--name",
            "Ruth Morgan",
            "--born",
            "1990-05-17",
        ],
    );
    ok(d, &["billing", "--currency", "USD", "--npi", "1234567893"]);
    ok(
        d,
        &[
            "service",
            "add",
            "--code",
            "90834",
            "--name",
            "Psychotherapy, 45 minutes",
            "--minutes",
            "45",
            "--fee",
            "150",
            "--late-cancel-percent",
            "50",
        ],
    );
    ok(
        d,
        &[
            "session",
            "add",
            "--client",
            "1",
            "--at",
            "2026-03-02 10:00",
            "--weekly",
            "3",
            "--service",
            "90834",
        ],
    );
    dir
}

#[test]
fn a_marked_session_carries_its_service_and_charge_and_payment_json_has_the_keys() {
    let dir = setup();
    let d = dir.path();
    let s = json(d, &["session", "mark", "1", "attended", "--json"]);
    assert_eq!(s["service"], "90834");
    assert_eq!(s["charge"]["amount"], 15000);
    assert_eq!(s["charge"]["currency"], "USD");
    assert_eq!(s["charge"]["kind"], "charge");
    ok(d, &["session", "mark", "2", "no_show"]);
    let p = json(
        d,
        &[
            "payment",
            "add",
            "--client",
            "1",
            "--amount",
            "200",
            "--method",
            "cash",
            "--at",
            "2026-03-10",
            "--json",
        ],
    );
    let keys: Vec<&str> = p.as_object().unwrap().keys().map(String::as_str).collect();
    for k in [
        "id",
        "kind",
        "at",
        "amount",
        "currency",
        "session_id",
        "service",
        "reason",
        "applied_to",
    ] {
        assert!(keys.contains(&k), "{k} in {keys:?}");
    }
    assert_eq!(p["kind"], "payment");
    assert_eq!(p["amount"], 20000);
    assert_eq!(p["at"], "2026-03-10");
    assert_eq!(p["applied_to"], serde_json::json!([1, 2]));
    let b = json(d, &["balance", "--client", "1", "--json"]);
    assert_eq!(b["client_id"], 1);
    assert_eq!(b["currency"], "USD");
    assert_eq!(b["charged"], 30000);
    assert_eq!(b["paid"], 20000);
    assert_eq!(b["balance"], 10000);
    assert_eq!(b["credit"], 0);
    assert_eq!(b["open"][0]["id"], 2);
    assert_eq!(b["open"][0]["remaining"], 10000);
    // Undo voids; the payment's share becomes credit for nothing else: credit 50.
    ok(d, &["session", "mark", "2", "scheduled"]);
    let b = json(d, &["balance", "--client", "1", "--json"]);
    assert_eq!(
        (b["balance"].as_i64(), b["credit"].as_i64()),
        (Some(0), Some(5000))
    );
    let lines = json(d, &["ledger", "--client", "1", "--json"]);
    let kinds: Vec<&str> = lines
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["charge", "charge", "payment", "void"]);
    assert_eq!(lines[3]["applied_to"], serde_json::json!([2]));
    let csv = ok(d, &["ledger", "--client", "1", "--csv"]);
    assert!(csv.starts_with("id,kind,at,amount,currency,session_id,service,reason,applied_to\n1,charge,2026-03-02,15000,USD,1,90834,,3\n"), "{csv}");
    let check = run(d, &["check"]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn refunds_voids_and_adjustments_and_their_refusals() {
    let dir = setup();
    let d = dir.path();
    ok(d, &["session", "mark", "1", "attended"]);
    let p = json(
        d,
        &[
            "payment", "add", "--client", "1", "--amount", "150", "--json",
        ],
    );
    let pid = p["id"].as_i64().unwrap().to_string();
    refused(
        d,
        &["payment", "refund", &pid, "--amount", "150.01"],
        1,
        "At most USD 150.00",
    );
    refused(
        d,
        &["payment", "add", "--client", "1", "--amount", "12.345"],
        1,
        "has 3 decimals; USD has 2",
    );
    refused(
        d,
        &["payment", "add", "--client", "1", "--amount", "-5"],
        1,
        "negative",
    );
    refused(
        d,
        &[
            "payment", "add", "--client", "1", "--amount", "5", "--method", "bitcoin",
        ],
        2,
        "bitcoin",
    );
    refused(
        d,
        &[
            "payment", "add", "--client", "1", "--amount", "5", "--apply", "1",
        ],
        1,
        "not an unpaid charge",
    );
    refused(
        d,
        &["charge", "void", "99", "--reason", "x"],
        1,
        "no charge with id 99",
    );
    refused(
        d,
        &[
            "charge", "adjust", "--client", "1", "--amount", "0", "--reason", "x",
        ],
        1,
        "not 0",
    );
    refused(d, &["charge", "void", "1"], 2, "--reason");
    let r = json(
        d,
        &[
            "payment", "refund", &pid, "--amount", "50", "--note", "overpaid", "--json",
        ],
    );
    assert_eq!(
        (r["kind"].as_str(), r["amount"].as_i64()),
        (Some("refund"), Some(5000))
    );
    let a = json(
        d,
        &[
            "charge", "adjust", "--client", "1", "--amount", "-20", "--reason", "goodwill",
            "--json",
        ],
    );
    assert_eq!(a["amount"], -2000);
    let b = json(d, &["balance", "--client", "1", "--json"]);
    // 150 charged − 20 adjustment − 150 paid + 50 refunded = 30 owed.
    assert_eq!(b["balance"], 3000);
    let v = json(
        d,
        &[
            "charge",
            "void",
            "1",
            "--reason",
            "billed in error",
            "--json",
        ],
    );
    assert_eq!(v["kind"], "void");
    let b = json(d, &["balance", "--client", "1", "--json"]);
    assert_eq!(
        (b["balance"].as_i64(), b["credit"].as_i64()),
        (Some(0), Some(12000))
    );
    refused(
        d,
        &["charge", "void", "1", "--reason", "again"],
        1,
        "already void",
    );
}

#[test]
fn a_sliding_scale_and_a_waived_late_fee() {
    let dir = setup();
    let d = dir.path();
    let f = json(
        d,
        &[
            "fee",
            "set",
            "--client",
            "1",
            "--fee",
            "90",
            "--from",
            "2026-03-09",
            "--note",
            "between jobs",
            "--json",
        ],
    );
    assert_eq!(
        (f["fee"].as_i64(), f["currency"].as_str()),
        (Some(9000), Some("USD"))
    );
    ok(d, &["session", "mark", "1", "attended"]);
    ok(d, &["session", "mark", "2", "attended"]);
    let lines = json(d, &["ledger", "--client", "1", "--json"]);
    let amounts: Vec<i64> = lines
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["amount"].as_i64().unwrap())
        .collect();
    assert_eq!(amounts, [15000, 9000]);
    // Session 3 (16 March 10:00) cancelled late by the client, fee waived: no charge, counted as waived.
    let o = run_at(
        d,
        "2026-03-16 08:00",
        &[
            "session",
            "cancel",
            "3",
            "--reason",
            "cost",
            "--decline-remote",
            "--waive-fee",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = json(d, &["report", "income", "--month", "2026-03", "--json"]);
    assert_eq!(r["currency"], "USD");
    assert_eq!(r["billed"], 24000);
    assert_eq!(r["collected"], 0);
    assert_eq!(r["waived"]["count"], 1);
    assert_eq!(r["waived"]["amount"], 4500);
    assert_eq!(r["waived"]["by_reason"][0]["reason"], "cost");
    assert_eq!(r["late_cancellation"]["waived_count"], 1);
    assert_eq!(r["outstanding"]["total"], 24000);
    assert_eq!(r["outstanding"]["days_0_30"], 24000);
    assert_eq!(r["by_service"][0]["code"], "90834");
    assert_eq!(r["months"][0]["month"], "2026-03");
    let hist = json(d, &["fee", "client", "--client", "1", "--json"]);
    assert_eq!(hist["fees"][0]["note"], "between jobs");
}

#[test]
fn documents_are_written_private_and_never_over_a_file_unasked() {
    let dir = setup();
    let d = dir.path();
    ok(d, &["session", "mark", "1", "attended"]);
    ok(
        d,
        &[
            "payment",
            "add",
            "--client",
            "1",
            "--amount",
            "150",
            "--at",
            "2026-03-02",
        ],
    );
    ok(
        d,
        &["fee", "client", "--client", "1", "--diagnosis", "f41.1"],
    );
    let bill = ok(
        d,
        &[
            "superbill",
            "--client",
            "1",
            "--month",
            "2026-03",
            "--format",
            "md",
        ],
    );
    for want in [
        "1234567893",
        "1990-05-17",
        "F41.1",
        "| 2026-03-02 | 90834 |",
        "| 11 | 150.00 | 150.00 |",
    ] {
        assert!(bill.contains(want), "{want}: {bill}");
    }
    let inv = ok(
        d,
        &[
            "invoice",
            "--client",
            "1",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-31",
            "--format",
            "txt",
        ],
    );
    assert!(inv.contains("Balance due:            USD 0.00"), "{inv}");
    let pdf = d.join("r.pdf");
    let out = pdf.to_str().unwrap();
    ok(d, &["receipt", "2", "--format", "pdf", "-o", out]);
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&pdf).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let link = d.join("link.md");
        std::os::unix::fs::symlink(d.join("elsewhere.md"), &link).unwrap();
        let o = run(
            d,
            &["receipt", "2", "-o", link.to_str().unwrap(), "--force"],
        );
        assert_eq!(o.status.code(), Some(1));
        assert!(!d.join("elsewhere.md").exists());
    }
    let o = run(d, &["receipt", "2", "--format", "pdf", "-o", out]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("already exists"));
    ok(d, &["receipt", "2", "--format", "md", "-o", out, "--force"]);
    assert!(
        std::fs::read_to_string(&pdf)
            .unwrap()
            .starts_with("# Receipt no. 2")
    );
    let o = run(d, &["receipt", "1"]);
    assert_eq!(o.status.code(), Some(1), "a charge has no receipt");
}

#[test]
fn without_a_currency_money_is_refused_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["client", "add", "--name", "Ruth Morgan"]);
    let o = run(
        d,
        &[
            "service",
            "add",
            "--code",
            "90834",
            "--name",
            "x",
            "--minutes",
            "45",
            "--fee",
            "150",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("caseload billing --currency USD"));
    let o = run(d, &["billing", "--currency", "XYZ"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not an ISO 4217 currency code"));
    ok(d, &["billing", "--currency", "jpy"]);
    ok(
        d,
        &[
            "service",
            "add",
            "--code",
            "A1",
            "--name",
            "Session",
            "--minutes",
            "50",
            "--fee",
            "8000",
        ],
    );
    let o = run(d, &["billing", "--currency", "USD"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("already kept in it"));
    let list = json(d, &["service", "list", "--json"]);
    assert_eq!(
        (list[0]["fee"].as_i64(), list[0]["currency"].as_str()),
        (Some(8000), Some("JPY"))
    );
}

#[test]
fn services_are_edited_and_retired_and_charges_keep_their_amounts() {
    let dir = setup();
    let d = dir.path();
    ok(d, &["session", "mark", "1", "attended"]);
    let e = json(
        d,
        &[
            "service",
            "edit",
            "90834",
            "--fee",
            "160",
            "--tax-rate",
            "10",
            "--json",
        ],
    );
    assert_eq!(
        (e["fee"].as_i64(), e["tax_rate"].as_str()),
        (Some(16000), Some("10"))
    );
    ok(d, &["session", "mark", "2", "attended"]);
    let lines = json(d, &["ledger", "--client", "1", "--json"]);
    // 160 + 10 % tax = 176; the first charge kept its 150.
    let amounts: Vec<(i64, i64)> = lines
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["amount"].as_i64().unwrap(), l["tax"].as_i64().unwrap()))
        .collect();
    assert_eq!(amounts, [(15000, 0), (17600, 1600)]);
    let r = json(d, &["service", "retire", "90834", "--json"]);
    assert_eq!(r["active"], false);
    let o = run(d, &["service", "retire", "90834"]);
    assert_eq!(o.status.code(), Some(1));
    let o = run(
        d,
        &[
            "session",
            "add",
            "--client",
            "1",
            "--at",
            "2026-04-06 10:00",
            "--service",
            "90834",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("retired; nothing was booked"));
    let list = json(d, &["session", "list", "--client", "1", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 3, "nothing was booked");
    let o = run(
        d,
        &[
            "fee",
            "set",
            "--client",
            "1",
            "--fee",
            "90",
            "--service",
            "NOPE",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no service with code “NOPE”"));
    let o = run(
        d,
        &["fee", "client", "--client", "1", "--diagnosis", "41.1"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("does not look like an ICD-10 code"));
}
