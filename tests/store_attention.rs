#![allow(clippy::unwrap_used, clippy::panic)]
//! Today's needs-attention items that come from assessments, on a real practice file.

use caseload::demo::{DemoOptions, generate};
use caseload::domain::attention::AttentionItem;
use caseload::domain::client::ClientInput;
use caseload::domain::session::SessionStatus;
use caseload::instruments::Catalog;
use caseload::store::Store;
use caseload::store::attention::{Changes, Scope, merge};
use caseload::store::discharge::THRESHOLDS_KEY;
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

/// The demo practice at 2026-11-23 09:00, on a real file, with this connection's writes traced.
fn demo_practice(dir: &std::path::Path) -> (Store, chrono::NaiveDateTime) {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let mut s = Store::open(&dir.join("p.db")).unwrap();
    let mut opts = DemoOptions::new(day("2026-11-23"), now);
    opts.clients = 120;
    opts.months = 18;
    s.write_demo(&generate(&opts), now).unwrap();
    s.watch_attention().unwrap();
    (s, day("2026-11-23").and_hms_opt(9, 0, 0).unwrap())
}

fn kind(i: &AttentionItem) -> &'static str {
    match i {
        AttentionItem::NoOutcome { .. } => "no outcome",
        AttentionItem::Attendance { .. } => "attendance",
        AttentionItem::UnsignedNote { .. } => "unsigned note",
        AttentionItem::ReviewSignal { .. } => "review signal",
        AttentionItem::FlagAlert { .. } => "flag alert",
        AttentionItem::ReassessmentDue { .. } => "reassessment",
        AttentionItem::BalanceDue { .. } => "balance due",
        AttentionItem::RetentionDue { .. } => "retention due",
        AttentionItem::HandoverDue { .. } => "handover due",
    }
}

#[test]
fn each_clients_own_read_matches_the_whole_practice_read() {
    let dir = tempfile::tempdir().unwrap();
    let (s, now) = demo_practice(dir.path());
    let all = s.attention(now, Scope::Practice).unwrap();
    // The demo practice has every kind of item, so every kind is compared.
    let mut kinds: Vec<&str> = all.iter().map(kind).collect();
    kinds.sort_unstable();
    kinds.dedup();
    assert_eq!(kinds.len(), 7, "kinds in the demo practice: {kinds:?}");
    let clients: i64 = s
        .conn()
        .query_row("SELECT max(id) FROM clients", [], |r| r.get(0))
        .unwrap();
    for c in 1..=clients {
        let own: Vec<AttentionItem> = all.iter().filter(|i| i.client_id() == c).cloned().collect();
        assert_eq!(
            s.attention(now, Scope::Client(c)).unwrap(),
            own,
            "client {c}"
        );
    }
}

#[test]
fn after_writes_the_list_kept_client_by_client_equals_a_fresh_read() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, now) = demo_practice(dir.path());
    let at = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let mut kept = s.attention(now, Scope::Practice).unwrap();
    assert_eq!(s.attention_changes().unwrap(), Changes::None);
    // Log an outcome, sign a draft, review an alert: the kinds of write made from Today.
    for item in kept.clone() {
        match item {
            AttentionItem::NoOutcome { session_id, .. } => {
                s.mark_session(session_id, SessionStatus::Attended, "practitioner", now, at)
                    .unwrap();
            }
            AttentionItem::UnsignedNote {
                note_id: Some(id), ..
            } => {
                s.sign_note(id, at).unwrap();
            }
            AttentionItem::FlagAlert { alert_id, .. } => {
                s.review_alert(alert_id, "Asked about safety; plan in place.", at)
                    .unwrap();
            }
            _ => continue,
        }
        let Changes::Clients(ids) = s.attention_changes().unwrap() else {
            panic!("a write for one client is traced to that client");
        };
        assert_eq!(ids, vec![item.client_id()]);
        let fresh = s.attention(now, Scope::Client(ids[0])).unwrap();
        merge(&mut kept, &ids, fresh);
        assert_eq!(kept, s.attention(now, Scope::Practice).unwrap());
    }
    assert!(
        !kept
            .iter()
            .any(|i| matches!(i, AttentionItem::NoOutcome { .. }))
    );
    // A changed review threshold moves everyone's items.
    let mut t = s.review_thresholds().unwrap();
    t.review_quiet_days = 7;
    s.set_setting(THRESHOLDS_KEY, &t).unwrap();
    assert_eq!(s.attention_changes().unwrap(), Changes::Everyone);
}
