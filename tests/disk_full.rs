#![allow(clippy::unwrap_used, clippy::panic)]
//! A full disk, as SQLite reports it (SQLITE_FULL, made on a real practice file with
//! `PRAGMA max_page_count`): the write is refused in plain words and nothing is changed.

use caseload::domain::client::{ClientInput, ClientStatus};
use caseload::store::Store;
use caseload::store::client::StatusFilter;

fn fields(name: &str) -> caseload::domain::client::ClientFields {
    ClientInput {
        name: name.into(),
        phone: "555-0101".into(),
        emergency_contact: "A. Person (family), 555-0199, call after six in the evening".into(),
        intake_date: "2026-01-05".into(),
        ..Default::default()
    }
    .validate(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
    .unwrap()
}

#[test]
fn a_full_disk_is_named_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("practice.db");
    let mut s = Store::open(&db).unwrap();
    let now = chrono::Utc::now();
    s.add_client(&fields("Ann Lee"), now).unwrap();
    // The disk holds what the file has now and not one page more.
    let pages: i64 = s
        .conn()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    let max: i64 = s
        .conn()
        .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(max, pages);
    let mut err = None;
    for n in 0..5000 {
        let before = (
            s.clients(StatusFilter::All).unwrap().len(),
            s.audit_head().unwrap(),
        );
        match s.add_client(&fields(&format!("Client Number {n}")), now) {
            Ok(_) => continue,
            Err(e) => {
                let after = (
                    s.clients(StatusFilter::All).unwrap().len(),
                    s.audit_head().unwrap(),
                );
                assert_eq!(after, before, "the refused write left nothing behind");
                err = Some(e.to_string());
                break;
            }
        }
    }
    let err = err.expect("the disk filled up");
    assert_eq!(
        err,
        "The disk is full: nothing was changed. Free some space on it, then try again."
    );
    // Audited changes until the trail's pages are full too: the one refused is said the same
    // way, and leaves the client and the trail as they were.
    let mut refused = None;
    for n in 0..5000 {
        let to = if n % 2 == 0 {
            ClientStatus::OnHold
        } else {
            ClientStatus::Active
        };
        let before = (s.client(1).unwrap().status, s.audit_head().unwrap());
        if let Err(e) = s.set_client_status(1, to, now) {
            assert_eq!(
                (s.client(1).unwrap().status, s.audit_head().unwrap()),
                before
            );
            refused = Some(e.to_string());
            break;
        }
    }
    assert_eq!(
        refused.as_deref(),
        Some("The disk is full: nothing was changed. Free some space on it, then try again.")
    );
    // The file is sound, and everything in it passes the check.
    drop(s);
    let s = Store::open(&db).unwrap();
    let report = s.check().unwrap();
    assert!(report.ok, "{report:?}");
}
