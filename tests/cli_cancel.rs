#![allow(clippy::unwrap_used, clippy::panic)]
//! `caseload session cancel` as a script sees it: the offer (exit 3, nothing recorded), every
//! decision, and refusals that change nothing.

mod common;

use caseload::store::Store;
use common::Sandbox;

/// A practice with Tom (phone 555-0101, consent as given) and sessions booked at `starts`
/// (in person, 50 minutes). The sandbox clock is Mon 23 Nov 2026 09:00.
fn practice(consent: &str, starts: &[&str]) -> Sandbox {
    let s = Sandbox::new();
    s.ok(&[
        "client",
        "add",
        "--name",
        "Tom Berg",
        "--phone",
        "555-0101",
        "--telehealth",
        consent,
    ]);
    let mut store = Store::open(&s.db()).unwrap();
    store
        .write(|tx| {
            for st in starts {
                tx.execute(
                    "INSERT INTO sessions (client_id, starts_at, minutes, modality, created_at, updated_at)
                     VALUES (1, ?1, 50, 'in_person', '2026-11-01T09:00:00Z', '2026-11-01T09:00:00Z')",
                    [st],
                )?;
            }
            Ok(())
        })
        .unwrap();
    drop(store);
    s
}

fn session_row(s: &Sandbox, id: i64) -> (String, String, String, Option<i64>) {
    let store = Store::open(&s.db()).unwrap();
    store
        .conn()
        .query_row(
            "SELECT starts_at, modality, status, rescheduled_to FROM sessions WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap()
}

#[test]
fn without_a_decision_the_offer_is_printed_exit_3_and_the_file_is_unchanged() {
    let s = practice("phone", &["2026-11-23T10:00"]);
    let before = std::fs::read(s.db()).unwrap();
    let out = s.run(&[
        "session",
        "cancel",
        "1",
        "--reason",
        "child_or_family_care",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["session_id"], 1);
    assert_eq!(v["reason"], "child_or_family_care");
    let offer = v["offer"].as_array().unwrap();
    let opts: Vec<&str> = offer
        .iter()
        .map(|o| o["option"].as_str().unwrap())
        .collect();
    assert_eq!(opts, ["phone", "video", "reschedule"]);
    let avail: Vec<bool> = offer
        .iter()
        .map(|o| o["available"].as_bool().unwrap())
        .collect();
    assert_eq!(
        avail,
        [true, false, true],
        "video needs consent Tom has not given"
    );
    for o in offer {
        assert_eq!(o.as_object().unwrap().len(), 3);
        assert!(!o["why"].as_str().unwrap().is_empty());
    }
    // Human text: alternatives in order, with why, availability, the phone number and slots.
    let out = s.run(&["session", "cancel", "1", "--reason", "child_or_family_care"]);
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8(out.stdout).unwrap();
    let p = text.find("1  Phone session").unwrap();
    let v = text.find("2  Video session").unwrap();
    let r = text.find("3  Reschedule").unwrap();
    assert!(p < v && v < r, "{text}");
    assert!(text.contains("555-0101"), "{text}");
    assert!(
        text.contains("not available: no consent on file for video"),
        "{text}"
    );
    assert!(text.contains("notice 1 h"), "{text}");
    assert!(text.contains("late cancellation"), "{text}");
    assert!(text.contains("Nothing was recorded"), "{text}");
    // The offer follows the reason.
    let v = s.json_code(&["session", "cancel", "1", "--reason", "work", "--json"], 3);
    let opts: Vec<&str> = v["offer"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["option"].as_str().unwrap())
        .collect();
    assert_eq!(opts, ["reschedule", "video", "phone"]);
    let out = s.run(&["session", "cancel", "1", "--reason", "feeling_better"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("next session")
    );
    assert_eq!(
        std::fs::read(s.db()).unwrap(),
        before,
        "exit 3 leaves the file byte-identical"
    );
    assert_eq!(session_row(&s, 1).2, "scheduled");
}

#[test]
fn convert_keeps_the_time_and_changes_the_modality() {
    let s = practice("both", &["2026-11-23T10:00"]);
    let c = s.json(&[
        "session",
        "cancel",
        "1",
        "--reason",
        "child_or_family_care",
        "--convert",
        "phone",
        "--remote-ok",
        "--note",
        "son has a fever",
        "--json",
    ]);
    let keys = [
        "id",
        "session_id",
        "requested_at",
        "by",
        "reason",
        "note",
        "notice_hours",
        "offered",
        "outcome",
        "new_session_id",
        "fee_waived",
        "remote_private",
        "remote_not_driving",
        "remote_location_ok",
        "consent_recorded",
        "created_at",
    ];
    for k in keys {
        assert!(c.get(k).is_some(), "missing {k}");
    }
    assert_eq!(c["outcome"], "converted_phone");
    assert_eq!(c["by"], "client");
    assert_eq!(c["note"], "son has a fever");
    assert_eq!(c["notice_hours"], 1.0);
    assert_eq!(
        c["offered"],
        serde_json::json!(["phone", "video", "reschedule"])
    );
    assert_eq!(c["remote_private"], true);
    assert_eq!(c["fee_waived"], false);
    assert_eq!(
        session_row(&s, 1),
        (
            "2026-11-23T10:00".into(),
            "phone".into(),
            "scheduled".into(),
            None
        )
    );
}

#[test]
fn the_now_flag_works_after_the_subcommand() {
    let s = practice("both", &["2026-11-25T10:00"]);
    let c = s.json(&[
        "session",
        "cancel",
        "1",
        "--reason",
        "travel",
        "--decline-remote",
        "--now",
        "2026-11-25 09:00",
        "--json",
    ]);
    assert_eq!(c["notice_hours"], 1.0);
    assert_eq!(c["outcome"], "late_cancelled");
}

#[test]
fn missing_consent_is_refused_unless_recorded_verbally() {
    let s = practice("none", &["2026-11-23T10:00"]);
    let before = std::fs::read(s.db()).unwrap();
    let err = s.fails(
        &[
            "session",
            "cancel",
            "1",
            "--reason",
            "travel",
            "--convert",
            "video",
        ],
        1,
    );
    assert!(err.contains("--verbal-consent"), "{err}");
    assert_eq!(std::fs::read(s.db()).unwrap(), before);
    let c = s.json(&[
        "session",
        "cancel",
        "1",
        "--reason",
        "travel",
        "--convert",
        "video",
        "--verbal-consent",
        "--json",
    ]);
    assert_eq!(c["consent_recorded"], "video");
    assert_eq!(c["remote_private"], serde_json::Value::Null, "not asked");
    let client = s.json(&["client", "show", "1", "--json"]);
    assert_eq!(client["telehealth_consent"], "video");
    assert_eq!(client["telehealth_consent_date"], "2026-11-23");
}

#[test]
fn reschedule_books_the_new_session_and_links_it() {
    let s = practice("none", &["2026-11-23T10:00", "2026-11-24T10:00"]);
    let before = std::fs::read(s.db()).unwrap();
    let err = s.fails(
        &[
            "session",
            "cancel",
            "1",
            "--reason",
            "work",
            "--reschedule",
            "2026-11-24 10:20",
        ],
        1,
    );
    assert!(err.contains("clashes"), "{err}");
    let err = s.fails(
        &[
            "session",
            "cancel",
            "1",
            "--reason",
            "work",
            "--reschedule",
            "2026-11-22 10:00",
        ],
        1,
    );
    assert!(err.contains("not in the future"), "{err}");
    let err = s.fails(
        &[
            "session",
            "cancel",
            "1",
            "--reason",
            "work",
            "--reschedule",
            "tomorrow",
        ],
        2,
    );
    assert!(err.contains("--reschedule"), "{err}");
    assert_eq!(std::fs::read(s.db()).unwrap(), before);
    let c = s.json(&[
        "session",
        "cancel",
        "1",
        "--reason",
        "work",
        "--reschedule",
        "2026-11-24 15:00",
        "--json",
    ]);
    assert_eq!(c["outcome"], "rescheduled");
    assert_eq!(c["new_session_id"], 3);
    assert_eq!(session_row(&s, 1).2, "rescheduled");
    assert_eq!(session_row(&s, 1).3, Some(3));
    assert_eq!(
        session_row(&s, 3),
        (
            "2026-11-24T15:00".into(),
            "in_person".into(),
            "scheduled".into(),
            None
        )
    );
}

#[test]
fn declining_is_late_under_the_window_and_the_fee_can_be_waived() {
    let s = practice(
        "none",
        &[
            "2026-11-24T09:00",
            "2026-11-24T09:01",
            "2026-11-24T12:00",
            "2026-11-23T15:00",
        ],
    );
    // Exactly 24 h notice: in time.
    let c = s.json(&[
        "session",
        "cancel",
        "1",
        "--reason",
        "cost",
        "--decline-remote",
        "--json",
    ]);
    assert_eq!(c["outcome"], "cancelled");
    assert_eq!(session_row(&s, 1).2, "cancelled");
    // One minute more than 24 h is in time too; the edge is checked from the other side below.
    let c = s.json(&[
        "session",
        "cancel",
        "2",
        "--reason",
        "cost",
        "--decline-remote",
        "--json",
    ]);
    assert_eq!(c["outcome"], "cancelled");
    let out = s.ok(&[
        "session",
        "cancel",
        "4",
        "--reason",
        "own_illness",
        "--decline-remote",
    ]);
    assert!(out.contains("Late cancellation"), "{out}");
    assert!(out.contains("Fee:"), "{out}");
    assert_eq!(session_row(&s, 4).2, "late_cancelled");
    let c = s.json(&[
        "session",
        "cancel",
        "3",
        "--reason",
        "travel",
        "--decline-remote",
        "--waive-fee",
        "--now",
        "2026-11-23 12:01",
        "--json",
    ]);
    assert_eq!(c["outcome"], "late_cancelled");
    assert_eq!(c["fee_waived"], true);
}

#[test]
fn a_practitioner_cancellation_skips_the_offer_and_is_never_late() {
    let s = practice("both", &["2026-11-23T10:00", "2026-11-23T11:00"]);
    let c = s.json(&[
        "session",
        "cancel",
        "1",
        "--reason",
        "own_illness",
        "--by",
        "practitioner",
        "--json",
    ]);
    assert_eq!(c["outcome"], "cancelled");
    assert_eq!(c["by"], "practitioner");
    assert_eq!(c["offered"], serde_json::json!([]));
    let err = s.fails(
        &[
            "session",
            "cancel",
            "2",
            "--reason",
            "own_illness",
            "--by",
            "practitioner",
            "--convert",
            "video",
        ],
        1,
    );
    assert!(err.contains("client's cancellation"), "{err}");
    let c = s.json(&[
        "session",
        "cancel",
        "2",
        "--reason",
        "other",
        "--by",
        "practitioner",
        "--reschedule",
        "2026-11-26 11:00",
        "--json",
    ]);
    assert_eq!(c["outcome"], "rescheduled");
}

#[test]
fn refusals_exit_1_or_2_and_change_nothing() {
    let s = practice("both", &["2026-11-23T10:00"]);
    s.ok(&[
        "session",
        "cancel",
        "1",
        "--reason",
        "cost",
        "--decline-remote",
    ]);
    let before = std::fs::read(s.db()).unwrap();
    let err = s.fails(
        &[
            "session",
            "cancel",
            "1",
            "--reason",
            "cost",
            "--decline-remote",
        ],
        1,
    );
    assert!(err.contains("not scheduled"), "{err}");
    let err = s.fails(&["session", "cancel", "1", "--reason", "cost"], 1);
    assert!(err.contains("not scheduled"), "{err}");
    let err = s.fails(
        &[
            "session",
            "cancel",
            "9",
            "--reason",
            "cost",
            "--decline-remote",
        ],
        1,
    );
    assert!(err.contains("There is no session with id 9."), "{err}");
    // Usage: an unknown reason, two decisions, a bad --convert.
    s.fails(
        &[
            "session",
            "cancel",
            "1",
            "--reason",
            "bored",
            "--decline-remote",
        ],
        2,
    );
    s.fails(
        &[
            "session",
            "cancel",
            "1",
            "--reason",
            "cost",
            "--decline-remote",
            "--convert",
            "phone",
        ],
        2,
    );
    s.fails(
        &[
            "session",
            "cancel",
            "1",
            "--reason",
            "cost",
            "--convert",
            "carrier-pigeon",
        ],
        2,
    );
    assert_eq!(std::fs::read(s.db()).unwrap(), before);
}

#[test]
fn session_show_json_gains_the_cancellation() {
    let s = Sandbox::new();
    s.ok(&[
        "client",
        "add",
        "--name",
        "Tom Berg",
        "--phone",
        "555-0101",
        "--telehealth",
        "both",
    ]);
    s.ok(&[
        "session",
        "add",
        "--client",
        "1",
        "--at",
        "2026-11-23 10:00",
    ]);
    s.ok(&[
        "session",
        "add",
        "--client",
        "1",
        "--at",
        "2026-11-30 10:00",
    ]);
    let shown = s.json(&["session", "show", "1", "--json"]);
    assert_eq!(shown["cancellation"], serde_json::Value::Null);
    assert_eq!(shown["status"], "scheduled");
    let c = s.json(&[
        "session",
        "cancel",
        "1",
        "--reason",
        "own_illness",
        "--convert",
        "video",
        "--remote-ok",
        "--json",
    ]);
    let shown = s.json(&["session", "show", "1", "--json"]);
    assert_eq!(shown["cancellation"], c);
    assert_eq!(shown["modality"], "video");
    assert_eq!(shown["status"], "scheduled");
    assert_eq!(shown["starts_at"], "2026-11-23T10:00");
    let text = s.ok(&["session", "show", "1"]);
    assert!(text.contains("saved: video"), "{text}");
    s.ok(&[
        "session",
        "cancel",
        "2",
        "--reason",
        "schedule_conflict",
        "--reschedule",
        "2026-12-01 14:00",
    ]);
    let shown = s.json(&["session", "show", "2", "--json"]);
    assert_eq!(shown["status"], "rescheduled");
    assert_eq!(shown["cancellation"]["outcome"], "rescheduled");
    let new_id = shown["cancellation"]["new_session_id"].as_i64().unwrap();
    let new = s.json(&["session", "show", &new_id.to_string(), "--json"]);
    assert_eq!(new["starts_at"], "2026-12-01T14:00");
    assert_eq!(new["status"], "scheduled");
}

#[test]
fn a_cancellation_recorded_by_mistake_is_reverted_the_same_day_and_kept() {
    let s = practice(
        "none",
        &["2026-11-23T15:00", "2026-11-20T10:00", "2026-11-25T10:00"],
    );
    let c = s.json(&[
        "session",
        "cancel",
        "1",
        "--reason",
        "own_illness",
        "--decline-remote",
        "--json",
    ]);
    assert_eq!(c["outcome"], "late_cancelled");

    // `session uncancel`: scheduled again, the request kept and marked reverted.
    let v = s.json(&["session", "uncancel", "1", "--json"]);
    assert_eq!(v["status"], "scheduled");
    assert_eq!(v["marked_at"], serde_json::Value::Null);
    let shown = s.json(&["session", "show", "1", "--json"]);
    let k = &shown["cancellation"];
    assert_eq!(k["outcome"], "late_cancelled");
    assert!(k["reverted_at"].as_str().unwrap().ends_with('Z'), "{k}");
    let audit = s.ok(&["audit", "--json"]);
    assert!(audit.contains("cancellation_reverted"), "{audit}");
    // Reverting twice: nothing left to revert.
    let e = s.fails(&["session", "uncancel", "1"], 1);
    assert!(e.contains("not cancelled"), "{e}");

    // `mark scheduled` (the app's undo key) reverts a cancellation the same way.
    s.json(&[
        "session",
        "cancel",
        "3",
        "--reason",
        "work",
        "--decline-remote",
        "--json",
    ]);
    assert_eq!(session_row(&s, 3).2, "cancelled");
    s.ok(&["session", "mark", "3", "scheduled"]);
    assert_eq!(session_row(&s, 3).2, "scheduled");

    // A session whose day is over keeps its cancellation; nothing changes.
    s.json(&[
        "session",
        "cancel",
        "2",
        "--reason",
        "forgot",
        "--decline-remote",
        "--now",
        "2026-11-20 08:00",
        "--json",
    ]);
    let before = std::fs::read(s.db()).unwrap();
    let e = s.fails(&["session", "uncancel", "2"], 1);
    assert!(
        e.contains("Fri 20 Nov 2026") && e.contains("book a new session"),
        "{e}"
    );
    assert_eq!(session_row(&s, 2).2, "late_cancelled");
    assert_eq!(std::fs::read(s.db()).unwrap(), before);
    // An unknown session is named.
    let e = s.fails(&["session", "uncancel", "99"], 1);
    assert!(e.contains("99"), "{e}");
}

/// Notice is real elapsed time: in Auckland the clocks go forward on Sun 27 Sep 2026 (02:00
/// becomes 03:00), so a request at 10:00 on Saturday for a 10:00 Sunday session gives 23 hours,
/// under the 24-hour policy; a week later the same clock times give 24 hours, in time.
#[test]
fn notice_across_a_daylight_saving_change_counts_real_hours() {
    let s = practice("none", &["2026-09-27T10:00", "2026-10-04T10:00"]);
    let cancel = |id: &str, now: &str| -> serde_json::Value {
        let out = common::output(s.cmd().env("TZ", "Pacific/Auckland").args([
            "session",
            "cancel",
            id,
            "--reason",
            "work",
            "--decline-remote",
            "--now",
            now,
            "--json",
        ]));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let c = cancel("1", "2026-09-26 10:00");
    assert_eq!(c["notice_hours"], 23.0);
    assert_eq!(c["outcome"], "late_cancelled");
    let c = cancel("2", "2026-10-03 10:00");
    assert_eq!(c["notice_hours"], 24.0);
    assert_eq!(c["outcome"], "cancelled");
}
