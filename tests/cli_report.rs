#![allow(clippy::unwrap_used, clippy::panic)]
//! The `caseload report attendance` contract: keys, zeros, null rates, CSV and Markdown.

mod common;

use caseload::store::Store;
use common::Sandbox;
use serde_json::{Value, json};

/// Writes a small October 2026 into the sandbox's practice file with plain SQL.
fn october(sb: &Sandbox) {
    let store = Store::open(&sb.db()).unwrap();
    store
        .conn()
        .execute_batch(
            "INSERT INTO clients (id, name, intake_date, created_at, updated_at) VALUES
               (1, 'Maria Lopez', '2026-01-05', '2025-01-06T00:00:00Z', '2025-01-06T00:00:00Z'), (2, 'Tom Berg', '2026-01-05', '2025-01-06T00:00:00Z', '2025-01-06T00:00:00Z');
             INSERT INTO sessions (id, client_id, starts_at, minutes, modality, status, created_at, updated_at) VALUES
               (1, 1, '2026-10-05T09:00', 50, 'in_person', 'attended', '2025-01-06T00:00:00Z', '2025-01-06T00:00:00Z'),
               (2, 1, '2026-10-12T09:00', 50, 'in_person', 'late', '2025-01-06T00:00:00Z', '2025-01-06T00:00:00Z'),
               (3, 2, '2026-10-13T12:00', 50, 'in_person', 'no_show', '2025-01-06T00:00:00Z', '2025-01-06T00:00:00Z'),
               (4, 2, '2026-10-20T17:00', 50, 'phone', 'attended', '2025-01-06T00:00:00Z', '2025-01-06T00:00:00Z'),
               (5, 1, '2026-10-21T11:59', 50, 'in_person', 'late_cancelled', '2025-01-06T00:00:00Z', '2025-01-06T00:00:00Z'),
               (6, 1, '2026-10-23T16:59', 50, 'in_person', 'cancelled', '2025-01-06T00:00:00Z', '2025-01-06T00:00:00Z'),
               (7, 2, '2026-10-25T10:00', 50, 'in_person', 'rescheduled', '2025-01-06T00:00:00Z', '2025-01-06T00:00:00Z'),
               (8, 2, '2026-10-27T10:00', 50, 'in_person', 'attended', '2025-01-06T00:00:00Z', '2025-01-06T00:00:00Z'),
               (9, 2, '2026-11-02T10:00', 50, 'in_person', 'attended', '2025-01-06T00:00:00Z', '2025-01-06T00:00:00Z');
             INSERT INTO cancellations (session_id, requested_at, by, reason, notice_hours, outcome, new_session_id, created_at) VALUES
               (4, '2026-10-20T09:00:00Z', 'client', 'child_or_family_care', 8, 'converted_phone', NULL, 'x'),
               (5, '2026-10-21T09:00:00Z', 'client', 'travel', 2.5, 'late_cancelled', NULL, 'x'),
               (6, '2026-10-20T16:59:00Z', 'practitioner', 'own_illness', 72, 'cancelled', NULL, 'x'),
               (7, '2026-10-22T10:00:00Z', 'client', 'work', 72.5, 'rescheduled', 8, 'x');",
        )
        .unwrap();
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

#[test]
fn an_empty_month_has_every_key_zeros_and_null_rates() {
    let sb = Sandbox::new();
    let v = sb.json(&["report", "attendance", "--month", "2026-10", "--json"]);
    let mut top = keys(&v);
    top.sort();
    assert_eq!(
        top,
        [
            "attendance_rate",
            "clients_flagged",
            "from",
            "months",
            "requests",
            "save_rate",
            "saved",
            "sessions",
            "to"
        ]
    );
    assert_eq!(v["from"], "2026-10");
    assert_eq!(v["to"], "2026-10");
    assert_eq!(
        v["sessions"],
        json!({"scheduled": 0, "attended": 0, "late": 0, "no_show": 0, "cancelled": 0,
               "late_cancelled": 0, "rescheduled": 0})
    );
    assert_eq!(v["attendance_rate"], Value::Null);
    assert_eq!(v["save_rate"], Value::Null);
    let r = &v["requests"];
    assert_eq!(r["total"], 0);
    for reason in [
        "work",
        "child_or_family_care",
        "own_illness",
        "travel",
        "transport_or_weather",
        "forgot",
        "cost",
        "schedule_conflict",
        "feeling_better",
        "other",
    ] {
        assert_eq!(r["by_reason"][reason], 0, "{reason}");
    }
    assert_eq!(r["by_reason"].as_object().unwrap().len(), 10);
    assert_eq!(
        r["by_outcome"],
        json!({"converted_phone": 0, "converted_video": 0, "rescheduled": 0, "cancelled": 0, "late_cancelled": 0})
    );
    assert_eq!(
        r["by_weekday"],
        json!({"mon": 0, "tue": 0, "wed": 0, "thu": 0, "fri": 0, "sat": 0, "sun": 0})
    );
    assert_eq!(
        r["by_time_of_day"],
        json!({"morning": 0, "afternoon": 0, "evening": 0})
    );
    assert_eq!(
        r["by_notice"],
        json!({"under_24h": 0, "h24_to_72h": 0, "over_72h": 0})
    );
    assert_eq!(r["by"], json!({"client": 0, "practitioner": 0}));
    assert_eq!(
        v["saved"],
        json!({"phone": 0, "video": 0, "rescheduled": 0, "total": 0})
    );
    assert_eq!(
        v["months"],
        json!([{"month": "2026-10", "attendance_rate": null, "requests": 0, "saved": 0}])
    );
    assert_eq!(v["clients_flagged"], json!([]));
}

#[test]
fn a_month_counts_by_the_definitions() {
    let sb = Sandbox::new();
    october(&sb);
    let v = sb.json(&["report", "attendance", "--month", "2026-10", "--json"]);
    assert_eq!(
        v["sessions"],
        json!({"scheduled": 0, "attended": 3, "late": 1, "no_show": 1, "cancelled": 1,
               "late_cancelled": 1, "rescheduled": 1})
    );
    // (3 + 1) / (3 + 1 + 1 no-show + 0 client cancellations + 1 late): the practitioner's
    // cancellation and the rescheduled original are not in the rate.
    let rate = v["attendance_rate"].as_f64().unwrap();
    assert!((rate - 4.0 / 6.0).abs() < 1e-12, "{rate}");
    let r = &v["requests"];
    assert_eq!(r["total"], 4);
    assert_eq!(r["by"], json!({"client": 3, "practitioner": 1}));
    assert_eq!(r["by_reason"]["travel"], 1);
    assert_eq!(r["by_reason"]["work"], 1);
    assert_eq!(r["by_outcome"]["rescheduled"], 1);
    assert_eq!(r["by_outcome"]["converted_phone"], 1);
    // Weekday and time of day of the cancelled session's start: Tue 20 17:00, Wed 21 11:59,
    // Fri 23 16:59, Sun 25 10:00.
    assert_eq!(
        r["by_weekday"],
        json!({"mon": 0, "tue": 1, "wed": 1, "thu": 0, "fri": 1, "sat": 0, "sun": 1})
    );
    assert_eq!(
        r["by_time_of_day"],
        json!({"morning": 2, "afternoon": 1, "evening": 1})
    );
    // 8 and 2.5 under 24 h; exactly 72 is in 24–72 h; 72.5 is over.
    assert_eq!(
        r["by_notice"],
        json!({"under_24h": 2, "h24_to_72h": 1, "over_72h": 1})
    );
    assert_eq!(
        v["saved"],
        json!({"phone": 1, "video": 0, "rescheduled": 1, "total": 2})
    );
    let save = v["save_rate"].as_f64().unwrap();
    assert!((save - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(v["months"][0]["requests"], 4);
    assert_eq!(v["months"][0]["saved"], 2);
}

#[test]
fn the_default_is_this_month_by_the_clock_as_text() {
    let sb = Sandbox::new();
    october(&sb);
    let out = sb.ok(&["report", "attendance"]);
    assert!(out.starts_with("Attendance · November 2026\n"), "{out}");
    let v = sb.json(&["report", "attendance", "--json"]);
    assert_eq!(v["from"], "2026-11");
    assert_eq!(v["sessions"]["attended"], 1);
    let out = sb.ok(&["report", "attendance", "--month", "2026-10"]);
    assert!(out.contains("Attendance 67%"), "{out}");
    assert!(
        out.contains("Saved by the offer: 2 of 3 client requests (67%)"),
        "{out}"
    );
    let out = sb.ok(&["report", "attendance", "--month", "2026-08"]);
    assert!(
        out.contains("No sessions and no cancellation requests"),
        "{out}"
    );
}

#[test]
fn a_range_has_a_row_per_month_and_csv_writes_them() {
    let sb = Sandbox::new();
    october(&sb);
    let v = sb.json(&[
        "report",
        "attendance",
        "--from",
        "2026-09",
        "--to",
        "2026-11",
        "--json",
    ]);
    let months: Vec<&str> = v["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["month"].as_str().unwrap())
        .collect();
    assert_eq!(months, ["2026-09", "2026-10", "2026-11"]);
    assert_eq!(v["months"][0]["attendance_rate"], Value::Null);
    assert_eq!(v["months"][2]["attendance_rate"], 1.0);
    assert_eq!(v["sessions"]["attended"], 4);

    let csv = sb.ok(&[
        "report",
        "attendance",
        "--from",
        "2026-09",
        "--to",
        "2026-11",
        "--csv",
    ]);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "month,scheduled,attended,late,no_show,cancelled,late_cancelled,rescheduled,attendance_rate,requests,client_requests,saved,save_rate"
    );
    assert_eq!(lines[1], "2026-09,0,0,0,0,0,0,0,,0,0,0,");
    assert_eq!(lines[2], "2026-10,0,3,1,1,1,1,1,0.6667,4,3,2,0.6667");
    assert_eq!(lines[3], "2026-11,0,1,0,0,0,0,0,1,0,0,0,");
    assert_eq!(lines[4], "", "ends with CRLF");
    assert_eq!(lines.len(), 5);
}

#[test]
fn markdown_is_a_report_to_keep() {
    let sb = Sandbox::new();
    october(&sb);
    let md = sb.ok(&["report", "attendance", "--month", "2026-10", "--md"]);
    assert!(md.starts_with("# Attendance · October 2026\n"), "{md}");
    for part in [
        "## Sessions",
        "| Attended | 3 |",
        "| Cancelled by you | 1 |",
        "**Attendance 67%**",
        "## Cancellation requests",
        "| travel | 1 |",
        "| Tue | 0 | 0 | 1 |",
        "| over 72 h | 1 |",
        "## Clients to look at",
    ] {
        assert!(md.contains(part), "missing {part:?} in\n{md}");
    }
    let empty = sb.ok(&["report", "attendance", "--month", "2025-01", "--md"]);
    assert!(empty.contains("nothing to report yet"), "{empty}");
}

#[test]
fn bad_months_are_refused_clearly() {
    let sb = Sandbox::new();
    let e = sb.fails(&["report", "attendance", "--month", "2026-13"], 2);
    assert!(e.contains("YYYY-MM"), "{e}");
    let e = sb.fails(&["report", "attendance", "--from", "2026-05"], 2);
    assert!(e.contains("--to"), "{e}");
    let e = sb.fails(
        &[
            "report",
            "attendance",
            "--month",
            "2026-05",
            "--from",
            "2026-01",
            "--to",
            "2026-02",
        ],
        2,
    );
    assert!(e.contains("cannot be used with"), "{e}");
    let e = sb.fails(
        &[
            "report",
            "attendance",
            "--from",
            "2026-05",
            "--to",
            "2026-03",
        ],
        2,
    );
    assert_eq!(
        e.trim(),
        "caseload: --to 2026-03 is before --from 2026-05; give the earlier month first."
    );
    sb.fails(&["report", "attendance", "--json", "--csv"], 2);
}
