#![allow(clippy::unwrap_used, clippy::panic)]
//! Every change to a clinical record writes exactly one audit entry, in the same transaction.

use caseload::domain::cancellation::{CancelledBy, Decision, Reason, Request};
use caseload::domain::client::{ClientInput, Telehealth};
use caseload::domain::engagement::EngagementModel;
use caseload::domain::note::{NoteBody, NoteTemplate};
use caseload::domain::session::SessionStatus;
use caseload::domain::time::{parse_instant, parse_local};
use caseload::instruments::Catalog;
use caseload::store::Store;
use caseload::store::audit::AuditEntry;
use caseload::store::cancellation::Source;
use chrono::{DateTime, NaiveDate, Utc};

fn now() -> DateTime<Utc> {
    parse_instant("2026-11-23T09:00:00Z").unwrap()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// A practice with two clients and, for the first, sessions at the given wall-clock times.
fn practice(starts: &[&str]) -> (tempfile::TempDir, Store, i64) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("p.db")).unwrap();
    let mut ids = Vec::new();
    for name in ["Tom Berg", "Ada Lovelace"] {
        let f = ClientInput {
            name: name.into(),
            phone: "555-0101".into(),
            telehealth_consent: Telehealth::Both,
            ..Default::default()
        }
        .validate(today())
        .unwrap();
        ids.push(s.add_client(&f, now()).unwrap().id);
    }
    let client = ids[0];
    s.write(|tx| {
        for st in starts {
            tx.execute(
                "INSERT INTO sessions (client_id, starts_at, minutes, modality, created_at, updated_at)
                 VALUES (?1, ?2, 50, 'in_person', 'x', 'x')",
                (client, caseload::domain::time::format_local(parse_local(st).unwrap())),
            )?;
        }
        Ok(())
    })
    .unwrap();
    (dir, s, client)
}

/// The entries added since `before` entries were there.
fn new_entries(s: &Store, before: usize) -> Vec<AuditEntry> {
    s.audit_entries(None).unwrap().split_off(before)
}

fn one(s: &Store, before: usize) -> AuditEntry {
    let mut e = new_entries(s, before);
    assert_eq!(e.len(), 1, "expected exactly one new audit entry: {e:?}");
    e.remove(0)
}

#[test]
fn note_signing_and_addenda_are_audited() {
    let (_d, mut s, client) = practice(&["2026-11-22 08:00"]);
    let body = NoteBody::from_sections(NoteTemplate::Free, &["Talked about sleep."]);
    let note = s.add_session_note(1, &body, now()).unwrap();
    let before = s.audit_entries(None).unwrap().len();
    s.sign_note(note.id, now()).unwrap();
    let e = one(&s, before);
    assert_eq!(
        (
            e.action.as_str(),
            e.entity.as_str(),
            e.entity_id,
            e.client_id
        ),
        ("note_signed", "note", Some(note.id), Some(client))
    );
    assert_eq!(e.at, now());

    // A refused second signing writes nothing.
    let before = s.audit_entries(None).unwrap().len();
    assert!(s.sign_note(note.id, now()).is_err());
    assert!(new_entries(&s, before).is_empty());

    s.add_addendum(note.id, "Also: sleeping better.", now())
        .unwrap();
    let e = one(&s, before);
    assert_eq!(
        (
            e.action.as_str(),
            e.entity.as_str(),
            e.entity_id,
            e.client_id
        ),
        ("addendum_added", "note", Some(note.id), Some(client))
    );
    // An empty addendum is refused and leaves no trace.
    let before = s.audit_entries(None).unwrap().len();
    assert!(s.add_addendum(note.id, "  ", now()).is_err());
    assert!(new_entries(&s, before).is_empty());
}

#[test]
fn assessments_alert_reviews_and_model_choices_are_audited() {
    let (_d, mut s, client) = practice(&[]);
    let cat = Catalog::built_in();
    let w = cat.get("wellbeing").unwrap();
    let before = s.audit_entries(None).unwrap().len();
    let a = s
        .record_assessment(client, w, &[0, 0, 0, 0, 0, 2], today(), now())
        .unwrap();
    let e = one(&s, before);
    assert_eq!(
        (
            e.action.as_str(),
            e.entity.as_str(),
            e.entity_id,
            e.client_id
        ),
        (
            "assessment_recorded",
            "assessment",
            Some(a.id),
            Some(client)
        )
    );
    assert_eq!(e.detail.as_deref(), Some("wellbeing on 2026-11-23"));

    // Bad answers: nothing recorded, nothing audited.
    let before = s.audit_entries(None).unwrap().len();
    assert!(
        s.record_assessment(client, w, &[9], today(), now())
            .is_err()
    );
    assert!(new_entries(&s, before).is_empty());

    let alert = s.open_alerts(Some(client)).unwrap().remove(0);
    s.review_alert(alert.id, "Called; safe, plan agreed.", now())
        .unwrap();
    let e = one(&s, before);
    assert_eq!(
        (
            e.action.as_str(),
            e.entity.as_str(),
            e.entity_id,
            e.client_id
        ),
        ("alert_reviewed", "alert", Some(alert.id), Some(client))
    );

    let eng = cat.engagement().unwrap();
    let answers: Vec<i64> = eng
        .items
        .iter()
        .map(|i| {
            if i.weights.get("collaborative") == Some(&2.0) {
                4
            } else {
                0
            }
        })
        .collect();
    s.record_assessment(client, eng, &answers, today(), now())
        .unwrap();
    let before = s.audit_entries(None).unwrap().len();
    s.choose_model(client, EngagementModel::Collaborative, None, now())
        .unwrap();
    let e = one(&s, before);
    assert_eq!(
        (
            e.action.as_str(),
            e.entity.as_str(),
            e.entity_id,
            e.client_id
        ),
        ("model_chosen", "client", Some(client), Some(client))
    );
    assert_eq!(e.detail.as_deref(), Some("collaborative, as recommended"));
    // A differing choice without a reason is refused, unaudited.
    let before = s.audit_entries(None).unwrap().len();
    assert!(
        s.choose_model(client, EngagementModel::Expert, None, now())
            .is_err()
    );
    assert!(new_entries(&s, before).is_empty());
}

#[test]
fn session_outcomes_and_cancellations_are_audited() {
    let (_d, mut s, client) = practice(&["2026-11-23 08:00", "2026-11-23 15:00"]);
    let local = parse_local("2026-11-23 09:00").unwrap();
    let before = s.audit_entries(None).unwrap().len();
    s.mark_session(1, SessionStatus::Attended, "practitioner", local, now())
        .unwrap();
    let e = one(&s, before);
    assert_eq!(
        (
            e.action.as_str(),
            e.entity.as_str(),
            e.entity_id,
            e.client_id
        ),
        ("session_marked", "session", Some(1), Some(client))
    );
    assert_eq!(e.detail.as_deref(), Some("from scheduled to attended"));

    let before = s.audit_entries(None).unwrap().len();
    let c = s
        .cancel_session(
            2,
            &Request {
                by: CancelledBy::Client,
                reason: Reason::Other,
                note: None,
            },
            Decision::Decline { waive_fee: false },
            local,
            now(),
            Source::App,
        )
        .unwrap();
    let e = one(&s, before);
    assert_eq!(
        (
            e.action.as_str(),
            e.entity.as_str(),
            e.entity_id,
            e.client_id
        ),
        (
            "cancellation_recorded",
            "cancellation",
            Some(c.id),
            Some(client)
        )
    );
    assert!(e.detail.unwrap().starts_with("session 2: "));
    // The other client's trail holds none of this.
    let other = s.audit_entries(Some(client + 1)).unwrap();
    assert!(other.is_empty(), "{other:?}");
}

#[test]
fn goal_status_changes_boundary_incidents_and_discharge_are_audited() {
    use caseload::domain::boundary::BoundaryKind;
    use caseload::domain::discharge::{DischargeFields, DischargeReason};
    use caseload::domain::goal::{GoalFields, GoalStatus};

    let (_d, mut s, client) = practice(&["2026-11-30 10:00", "2026-12-07 10:00"]);
    let goal = s
        .add_goal(
            client,
            &GoalFields {
                text: "Sleep through most nights".into(),
                set_on: today(),
                target_on: None,
            },
            now(),
        )
        .unwrap();
    let before = s.audit_entries(None).unwrap().len();
    s.set_goal_status(goal.id, GoalStatus::Achieved, now())
        .unwrap();
    let e = one(&s, before);
    assert_eq!(
        (
            e.action.as_str(),
            e.entity.as_str(),
            e.entity_id,
            e.client_id
        ),
        ("goal_status_changed", "goal", Some(goal.id), Some(client))
    );
    assert_eq!(e.detail.as_deref(), Some("from active to achieved"));
    // The same status again: no change, no entry; an unknown goal: refused, no entry.
    let before = s.audit_entries(None).unwrap().len();
    s.set_goal_status(goal.id, GoalStatus::Achieved, now())
        .unwrap();
    assert!(s.set_goal_status(999, GoalStatus::Dropped, now()).is_err());
    assert!(new_entries(&s, before).is_empty());

    let b = s
        .add_boundary(
            client,
            BoundaryKind::AfterHoursContact,
            today(),
            Some("texted at 23:00"),
            now(),
        )
        .unwrap();
    let e = one(&s, before);
    assert_eq!(
        (
            e.action.as_str(),
            e.entity.as_str(),
            e.entity_id,
            e.client_id
        ),
        (
            "boundary_recorded",
            "boundary_incident",
            Some(b.id),
            Some(client)
        )
    );

    let before = s.audit_entries(None).unwrap().len();
    let out = s
        .discharge(
            client,
            &DischargeFields {
                reason: DischargeReason::GoalsMet,
                referral: None,
                note: None,
            },
            parse_local("2026-11-23 09:00").unwrap(),
            now(),
            caseload::store::cancellation::Source::App,
        )
        .unwrap();
    // One entry for the whole ending of care (status and cancelled sessions included).
    let e = one(&s, before);
    assert_eq!(
        (
            e.action.as_str(),
            e.entity.as_str(),
            e.entity_id,
            e.client_id
        ),
        (
            "discharged",
            "discharge",
            Some(out.discharge.id),
            Some(client)
        )
    );
    assert_eq!(
        e.detail.as_deref(),
        Some("from active to discharged: goals_met; 2 future sessions cancelled")
    );
    // A second discharge is refused and leaves no trace.
    let before = s.audit_entries(None).unwrap().len();
    assert!(
        s.discharge(
            client,
            &DischargeFields {
                reason: DischargeReason::Other,
                referral: None,
                note: None,
            },
            parse_local("2026-11-23 09:00").unwrap(),
            now(),
            caseload::store::cancellation::Source::App,
        )
        .is_err()
    );
    assert!(new_entries(&s, before).is_empty());
}
