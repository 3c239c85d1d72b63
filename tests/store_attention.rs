#![allow(clippy::unwrap_used, clippy::panic)]
//! Today's needs-attention items that come from assessments, on a real practice file.

use caseload::domain::attention::AttentionItem;
use caseload::domain::client::ClientInput;
use caseload::domain::demo::{DemoOptions, generate};
use caseload::instruments::Catalog;
use caseload::store::Store;
use chrono::{NaiveDate, TimeZone, Utc};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn unreviewed_flags_and_due_reassessments_need_attention() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("p.db")).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let f = ClientInput {
        name: "Sam Okafor".into(),
        ..Default::default()
    }
    .validate(day("2026-11-23"))
    .unwrap();
    let c = s.add_client(&f, now).unwrap();
    let catalog = Catalog::built_in();
    let engagement = catalog.get("engagement").unwrap().clone();
    let answers: Vec<i64> = engagement.items.iter().map(|i| i.min()).collect();
    s.record_assessment(c.id, &engagement, &answers, day("2026-08-01"), now)
        .unwrap();
    // 114 days later: due again.
    let items = s.assessment_attention(day("2026-11-23")).unwrap();
    assert!(
        items.iter().any(|i| matches!(i, AttentionItem::ReassessmentDue { client_id, days_since: 114, .. } if *client_id == c.id)),
        "{items:?}"
    );
    // Not yet due 30 days after.
    assert!(
        s.assessment_attention(day("2026-08-31"))
            .unwrap()
            .is_empty()
    );

    // A wellbeing check whose flag item is answered at its threshold raises an alert until reviewed.
    let wellbeing = catalog.get("wellbeing").unwrap().clone();
    let mut answers: Vec<i64> = wellbeing.items.iter().map(|i| i.min()).collect();
    let flag = wellbeing.flags.first().unwrap().clone();
    let at = wellbeing
        .items
        .iter()
        .position(|i| i.id == flag.item)
        .unwrap();
    answers[at] = flag.at_least;
    let a = s
        .record_assessment(c.id, &wellbeing, &answers, day("2026-11-20"), now)
        .unwrap();
    let items = s.assessment_attention(day("2026-11-23")).unwrap();
    let alert = items.iter().find_map(|i| match i {
        AttentionItem::FlagAlert {
            alert_id, client, ..
        } => Some((*alert_id, client.clone())),
        _ => None,
    });
    let (alert_id, who) = alert.expect("an open alert");
    assert_eq!(who, "Sam O.");
    s.review_alert(alert_id, "Talked it through; safety plan agreed.", now)
        .unwrap();
    assert!(
        !s.assessment_attention(day("2026-11-23"))
            .unwrap()
            .iter()
            .any(|i| matches!(i, AttentionItem::FlagAlert { .. }))
    );
    let _ = a;
}

#[test]
fn the_demo_practice_has_a_few_such_items_not_hundreds() {
    let mut s = Store::open_in_memory().unwrap();
    let today = day("2026-11-23");
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let o = DemoOptions {
        clients: 60,
        months: 12,
        seed: 7,
        today,
        now,
    };
    s.write_demo(&generate(&o), now).unwrap();
    let items = s.assessment_attention(today).unwrap();
    assert!(!items.is_empty());
    assert!(items.len() < 60, "{}", items.len());
}

#[test]
fn the_cancellation_offer_knows_the_barriers_from_the_needs_assessment() {
    let mut s = Store::open_in_memory().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let f = ClientInput {
        name: "Ruth Morgan".into(),
        ..Default::default()
    }
    .validate(day("2026-11-23"))
    .unwrap();
    let c = s.add_client(&f, now).unwrap();
    let catalog = Catalog::built_in();
    let engagement = catalog.get("engagement").unwrap().clone();
    // Every item at its lowest, but caring for others at its highest.
    let answers: Vec<i64> = engagement
        .items
        .iter()
        .map(|i| {
            if i.id == "barrier_caring" {
                i.max()
            } else {
                i.min()
            }
        })
        .collect();
    s.record_assessment(c.id, &engagement, &answers, day("2026-11-20"), now)
        .unwrap();
    s.conn()
        .execute(
            "INSERT INTO sessions (client_id, starts_at, minutes, modality, status, created_at, updated_at)
             VALUES (?1, '2026-11-24T10:00', 50, 'in_person', 'scheduled', 'x', 'x')",
            [c.id],
        )
        .unwrap();
    let id = s.conn().last_insert_rowid();
    let cx = s.cancel_context(id).unwrap();
    assert_eq!(cx.barriers, vec!["Caring for others".to_string()]);
}
