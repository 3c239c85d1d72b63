//! Fees and payments against a real (in-memory) practice: charges follow outcomes in the same
//! transaction, money rows can't change, and any sequence of writes keeps the balance formula.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use proptest::prelude::*;

use super::Store;
use crate::domain::billing::{BillingSettings, LedgerKind, PaymentMethod, ServiceInput};
use crate::domain::cancellation::{CancelledBy, Decision, Reason, Request};
use crate::domain::money::Currency;
use crate::domain::session::SessionStatus as S;

/// A 50-minute in-person session with the given id, client, start and status.
fn session(s: &Store, id: i64, client: i64, start: &str, status: &str) {
    let at = crate::domain::time::format_instant(utc());
    s.conn()
        .execute(
            "INSERT INTO sessions (id, client_id, starts_at, minutes, modality, status, created_at, updated_at)
             VALUES (?1, ?2, ?3, 50, 'in_person', ?4, ?5, ?5)",
            rusqlite::params![id, client, start, status, at],
        )
        .unwrap();
}

fn utc() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 20, 9, 0, 0).unwrap()
}

fn local(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Two clients, USD, one service 90834 at 150.00 (late cancel 50 %, no-show 100 %), and
/// sessions 1..=n for client 1, a week apart from 2 March 2026 at 10:00.
fn practice(n: i64) -> Store {
    let mut s = Store::open_in_memory().unwrap();
    for name in ["Ruth Morgan", "Olu Adeyemi"] {
        let f = crate::domain::client::ClientInput {
            name: name.into(),
            ..Default::default()
        }
        .validate(day("2026-01-05"))
        .unwrap();
        s.add_client(&f, utc()).unwrap();
    }
    s.set_billing_settings(&BillingSettings {
        currency: Some(Currency::parse("USD").unwrap()),
        ..Default::default()
    })
    .unwrap();
    s.add_service(
        &ServiceInput {
            code: "90834".into(),
            name: "Psychotherapy, 45 minutes".into(),
            minutes: 45,
            fee: "150".into(),
            late_cancel_percent: Some("50".into()),
            ..Default::default()
        },
        utc(),
    )
    .unwrap();
    for i in 1..=n {
        let start = day("2026-03-02") + chrono::Duration::days(7 * (i - 1));
        session(&s, i, 1, &format!("{start}T10:00"), "scheduled");
    }
    s
}

fn mark(s: &mut Store, id: i64, to: crate::domain::session::SessionStatus) {
    s.mark_session(id, to, "cli", local("2026-06-30 12:00"), utc())
        .unwrap();
}

#[test]
fn an_outcome_brings_its_charge_and_undo_voids_it() {
    let mut s = practice(2);
    mark(&mut s, 1, S::Attended);
    let b = s.balance(1).unwrap();
    assert_eq!((b.charged, b.balance, b.open.len()), (15000, 15000, 1));
    // Attended → late keeps the same charge.
    mark(&mut s, 1, S::Late);
    assert_eq!(s.ledger(1, None, None).unwrap().len(), 1);
    // No-show → the no-show percent (100 %): the session fee is voided and charged again.
    mark(&mut s, 1, S::NoShow);
    let kinds: Vec<LedgerKind> = s
        .ledger(1, None, None)
        .unwrap()
        .iter()
        .map(|l| l.kind)
        .collect();
    // In date order: both charges on the session's day, the void on the day it was made.
    assert_eq!(
        kinds,
        [LedgerKind::Charge, LedgerKind::Charge, LedgerKind::Void]
    );
    // Undo → voided, balance 0, the reason said.
    mark(&mut s, 1, S::Scheduled);
    let lines = s.ledger(1, None, None).unwrap();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[3].kind, LedgerKind::Void);
    assert_eq!(
        lines[3].reason.as_deref(),
        Some("the session is now scheduled")
    );
    assert_eq!(s.balance(1).unwrap().balance, 0);
    let trail = s.audit_entries(Some(1)).unwrap();
    let actions: Vec<&str> = trail
        .iter()
        .map(|e| e.action.as_str())
        .filter(|a| a.starts_with("charge"))
        .collect();
    assert_eq!(
        actions,
        [
            "charge_added",
            "charge_voided",
            "charge_added",
            "charge_voided"
        ]
    );
    assert!(
        s.check().unwrap().problems.is_empty(),
        "{:?}",
        s.check().unwrap().problems
    );
}

#[test]
fn no_charges_until_the_practice_has_a_currency_and_a_service() {
    let mut s = practice(0);
    s.conn()
        .execute("DELETE FROM settings WHERE key = 'billing'", [])
        .unwrap();
    session(&s, 1, 1, "2026-03-02T10:00", "scheduled");
    mark(&mut s, 1, S::Attended);
    let n: i64 = s
        .conn()
        .query_row("SELECT count(*) FROM ledger", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
    let e = s
        .add_payment(
            1,
            "10",
            PaymentMethod::Cash,
            day("2026-03-02"),
            None,
            &[],
            utc(),
        )
        .unwrap_err();
    assert!(e.to_string().contains("caseload billing --currency"), "{e}");
}

#[test]
fn a_late_cancellation_charges_its_percent_unless_waived() {
    for (waive, charged, waived) in [(false, 7500, 0), (true, 0, 7500)] {
        let mut s = practice(1);
        let req = Request {
            by: CancelledBy::Client,
            reason: Reason::Cost,
            note: None,
        };
        s.cancel_session(
            1,
            &req,
            Decision::Decline { waive_fee: waive },
            local("2026-03-02 08:00"),
            utc(),
            super::cancellation::Source::Cli,
        )
        .unwrap();
        assert_eq!(s.balance(1).unwrap().charged, charged, "waive={waive}");
        let w: i64 = s
            .conn()
            .query_row(
                "SELECT COALESCE(SUM(amount), 0) FROM waived_fees WHERE reason = 'cost'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(w, waived);
    }
    // The practitioner cancelling late charges nothing.
    let mut s = practice(1);
    let req = Request {
        by: CancelledBy::Practitioner,
        reason: Reason::Other,
        note: None,
    };
    s.cancel_session(
        1,
        &req,
        Decision::Decline { waive_fee: false },
        local("2026-03-02 08:00"),
        utc(),
        super::cancellation::Source::Cli,
    )
    .unwrap();
    assert_eq!(s.balance(1).unwrap().charged, 0);
}

#[test]
fn payments_go_to_the_oldest_first_or_where_asked_and_overpayment_is_credit() {
    let mut s = practice(3);
    for i in 1..=3 {
        mark(&mut s, i, S::Attended);
    }
    let charges: Vec<i64> = s.balance(1).unwrap().open.iter().map(|o| o.id).collect();
    let p = s
        .add_payment(
            1,
            "150",
            PaymentMethod::Card,
            day("2026-03-20"),
            Some("thanks"),
            &[charges[2]],
            utc(),
        )
        .unwrap();
    assert_eq!(p.applied_to, vec![charges[2]]);
    let p2 = s
        .add_payment(
            1,
            "200",
            PaymentMethod::Cash,
            day("2026-03-21"),
            None,
            &[],
            utc(),
        )
        .unwrap();
    assert_eq!(p2.applied_to, vec![charges[0], charges[1]]);
    let b = s.balance(1).unwrap();
    assert_eq!(
        (b.balance, b.open.len(), b.open[0].remaining),
        (10000, 1, 10000)
    );
    let p3 = s
        .add_payment(
            1,
            "120",
            PaymentMethod::Transfer,
            day("2026-03-22"),
            None,
            &[],
            utc(),
        )
        .unwrap();
    let b = s.balance(1).unwrap();
    assert_eq!((b.balance, b.credit, b.open.len()), (0, 2000, 0));
    // The credit pays the next charge.
    session(&s, 9, 1, "2026-03-30T10:00", "scheduled");
    mark(&mut s, 9, S::Attended);
    assert_eq!(s.balance(1).unwrap().balance, 13000);
    // A refund beyond what is free takes money back from the newest charge.
    s.refund(p3.id, "120", None, day("2026-04-01"), utc())
        .unwrap();
    assert_eq!(s.balance(1).unwrap().balance, 25000);
    let e = s
        .refund(p3.id, "0.01", None, day("2026-04-01"), utc())
        .unwrap_err();
    assert!(e.to_string().contains("At most USD 0.00"), "{e}");
    // Applying to a charge that is not open is refused and changes nothing.
    let before = s.ledger(1, None, None).unwrap().len();
    let e = s
        .add_payment(
            1,
            "10",
            PaymentMethod::Cash,
            day("2026-04-01"),
            None,
            &[charges[0]],
            utc(),
        )
        .unwrap_err();
    assert!(e.to_string().contains("not an unpaid charge"), "{e}");
    assert_eq!(s.ledger(1, None, None).unwrap().len(), before);
    assert!(s.check().unwrap().problems.is_empty());
}

#[test]
fn money_rows_never_change_and_bad_input_changes_nothing() {
    let mut s = practice(1);
    mark(&mut s, 1, S::Attended);
    s.add_payment(
        1,
        "100",
        PaymentMethod::Cash,
        day("2026-03-02"),
        None,
        &[],
        utc(),
    )
    .unwrap();
    for sql in [
        "UPDATE ledger SET amount = 1",
        "DELETE FROM ledger",
        "DELETE FROM applications",
    ] {
        let e = s.conn().execute(sql, []).unwrap_err().to_string();
        assert!(e.contains("can only be added to"), "{sql}: {e}");
    }
    let e = s
        .add_payment(
            1,
            "12.345",
            PaymentMethod::Cash,
            day("2026-03-02"),
            None,
            &[],
            utc(),
        )
        .unwrap_err();
    assert!(e.to_string().contains("has 3 decimals; USD has 2"), "{e}");
    let e = s.adjust(1, "5", " ", day("2026-03-02"), utc()).unwrap_err();
    assert!(e.to_string().contains("reason"), "{e}");
    let e = s
        .void_charge(999, "x", day("2026-03-02"), utc())
        .unwrap_err();
    assert!(e.to_string().contains("no charge with id 999"), "{e}");
    assert_eq!(s.ledger(1, None, None).unwrap().len(), 2);
}

#[test]
fn a_sliding_scale_fee_applies_from_its_date() {
    let mut s = practice(3);
    s.set_client_fee(
        1,
        "80",
        None,
        day("2026-03-09"),
        Some("lost hours at work"),
        utc(),
    )
    .unwrap();
    s.set_client_fee(1, "100", Some("90834"), day("2026-03-16"), None, utc())
        .unwrap();
    for i in 1..=3 {
        mark(&mut s, i, S::Attended);
    }
    let amounts: Vec<i64> = s
        .ledger(1, None, None)
        .unwrap()
        .iter()
        .map(|l| l.amount)
        .collect();
    assert_eq!(amounts, [15000, 8000, 10000]);
    let history = s.client_fees(1).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].note.as_deref(), Some("lost hours at work"));
}

#[test]
fn a_void_frees_its_payment_for_the_next_charge() {
    let mut s = practice(2);
    mark(&mut s, 1, S::Attended);
    mark(&mut s, 2, S::Attended);
    s.add_payment(
        1,
        "150",
        PaymentMethod::Cash,
        day("2026-03-02"),
        None,
        &[],
        utc(),
    )
    .unwrap();
    let first = s.ledger(1, None, None).unwrap()[0].id;
    s.void_charge(first, "billed in error", day("2026-03-10"), utc())
        .unwrap();
    let b = s.balance(1).unwrap();
    assert_eq!((b.balance, b.credit), (0, 0));
    let e = s
        .void_charge(first, "again", day("2026-03-10"), utc())
        .unwrap_err();
    assert!(e.to_string().contains("already void"), "{e}");
}

#[derive(Debug, Clone)]
enum Op {
    Mark(i64, u8),
    Pay(u32, bool),
    Refund(usize, u32),
    Void(usize),
    Adjust(i32),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (1i64..=6, 0u8..4).prop_map(|(s, o)| Op::Mark(s, o)),
        (1u32..40_000, any::<bool>()).prop_map(|(a, first)| Op::Pay(a, first)),
        (0usize..8, 1u32..20_000).prop_map(|(p, a)| Op::Refund(p, a)),
        (0usize..12).prop_map(Op::Void),
        (-20_000i32..20_000).prop_map(Op::Adjust),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// For any sequence of outcomes, undos, payments, refunds, voids and adjustments:
    /// balance = charges − voids ± adjustments − payments + refunds, never negative except as
    /// credit; the ledger replays to the same balance; the kept balance and the open items agree.
    #[test]
    fn the_balance_always_equals_its_ledger(ops in proptest::collection::vec(op(), 1..30)) {
        let mut s = practice(6);
        let usd = Currency::parse("USD").unwrap();
        let mut payments: Vec<i64> = Vec::new();
        for o in ops {
            // Refused writes are fine (a refund too large, a void of a void); they must change nothing.
            let before = s.ledger(1, None, None).unwrap();
            let ok = match o {
                Op::Mark(id, w) => {
                    let to = [S::Scheduled, S::Attended, S::Late, S::NoShow][usize::from(w)];
                    s.mark_session(id, to, "cli", local("2026-06-30 12:00"), utc()).is_ok()
                }
                Op::Pay(a, first) => {
                    let open: Vec<i64> = s.balance(1).unwrap().open.iter().map(|o| o.id).collect();
                    let apply: Vec<i64> = if first { open.last().copied().into_iter().collect() } else { Vec::new() };
                    match s.add_payment(1, &usd.format(i64::from(a)), PaymentMethod::Card, day("2026-04-01"), None, &apply, utc()) {
                        Ok(p) => { payments.push(p.id); true }
                        Err(_) => false,
                    }
                }
                Op::Refund(i, a) => match payments.get(i % payments.len().max(1)) {
                    Some(p) => s.refund(*p, &usd.format(i64::from(a)), None, day("2026-04-02"), utc()).is_ok(),
                    None => false,
                },
                Op::Void(i) => {
                    let charges: Vec<i64> = before.iter().filter(|l| l.kind == LedgerKind::Charge).map(|l| l.id).collect();
                    match charges.get(i % charges.len().max(1)) {
                        Some(c) => s.void_charge(*c, "test", day("2026-04-03"), utc()).is_ok(),
                        None => false,
                    }
                }
                Op::Adjust(a) => s.adjust(1, &usd.format(i64::from(a)), "correction", day("2026-04-04"), utc()).is_ok(),
            };
            let after = s.ledger(1, None, None).unwrap();
            if !ok {
                prop_assert_eq!(before.len(), after.len());
            }
            let (mut charges, mut voids, mut adj, mut paid, mut refunds) = (0i64, 0i64, 0i64, 0i64, 0i64);
            for l in &after {
                match l.kind {
                    LedgerKind::Charge => charges += l.amount,
                    LedgerKind::Void => voids += l.amount,
                    LedgerKind::Adjustment => adj += l.amount,
                    LedgerKind::Payment => paid += l.amount,
                    LedgerKind::Refund => refunds += l.amount,
                }
            }
            let net = charges - voids + adj - paid + refunds;
            let b = s.balance(1).unwrap();
            prop_assert!(b.balance >= 0 && b.credit >= 0);
            prop_assert!(b.balance == 0 || b.credit == 0);
            prop_assert_eq!(b.balance - b.credit, net);
            let open: i64 = b.open.iter().map(|o| o.remaining).sum();
            let free = super::ledger::free_credit(s.conn(), 1);
            prop_assert_eq!(open - free, net);
            prop_assert!(open == 0 || free == 0, "open charges while credit is free");
            let problems = s.check().unwrap().problems;
            prop_assert!(problems.is_empty(), "{:?}", problems);
        }
    }
}

#[test]
fn reverting_a_late_cancellation_voids_its_fee() {
    let mut s = practice(1);
    let req = Request {
        by: CancelledBy::Client,
        reason: Reason::Work,
        note: None,
    };
    s.cancel_session(
        1,
        &req,
        Decision::Decline { waive_fee: false },
        local("2026-03-02 08:00"),
        utc(),
        super::cancellation::Source::Cli,
    )
    .unwrap();
    assert_eq!(s.balance(1).unwrap().balance, 7500);
    s.revert_cancellation(1, local("2026-03-02 08:30"), utc())
        .unwrap();
    let lines = s.ledger(1, None, None).unwrap();
    let kinds: Vec<LedgerKind> = lines.iter().map(|l| l.kind).collect();
    assert_eq!(kinds, [LedgerKind::Charge, LedgerKind::Void]);
    assert_eq!(
        lines[1].reason.as_deref(),
        Some("the session is now scheduled")
    );
    assert_eq!(s.balance(1).unwrap().balance, 0);
}

#[test]
fn export_and_import_carry_the_money_and_the_triggers_return() {
    let mut s = practice(3);
    mark(&mut s, 1, S::Attended);
    mark(&mut s, 2, S::NoShow);
    s.add_payment(
        1,
        "200",
        PaymentMethod::Cash,
        day("2026-03-10"),
        Some("thanks"),
        &[],
        utc(),
    )
    .unwrap();
    s.set_client_fee(1, "90", None, day("2026-03-16"), None, utc())
        .unwrap();
    let mut out = Vec::new();
    s.export_json(&mut out, &mut |_| {}).unwrap();
    let text = String::from_utf8(out.clone()).unwrap();
    for table in [
        "\"services\"",
        "\"ledger\"",
        "\"applications\"",
        "\"client_fees\"",
        "\"balances\"",
    ] {
        assert!(text.contains(table), "{table}");
    }
    let dir = tempfile::tempdir().unwrap();
    let mut t = Store::open(&dir.path().join("copy.db")).unwrap();
    t.import_json(&out, &mut |_| {}).unwrap();
    assert_eq!(
        t.ledger(1, None, None).unwrap(),
        s.ledger(1, None, None).unwrap()
    );
    assert_eq!(t.balance(1).unwrap(), s.balance(1).unwrap());
    assert!(t.check().unwrap().problems.is_empty());
    let e = t
        .conn()
        .execute("DELETE FROM ledger", [])
        .unwrap_err()
        .to_string();
    assert!(e.contains("can only be added to"), "{e}");
}

#[test]
fn check_finds_a_balance_that_differs_from_its_ledger() {
    let mut s = practice(1);
    mark(&mut s, 1, S::Attended);
    let p = s.check().unwrap().problems;
    assert!(p.is_empty(), "{p:?}");
    s.conn()
        .execute("UPDATE balances SET net = 1 WHERE client_id = 1", [])
        .unwrap();
    let problems = s.check().unwrap().problems;
    assert_eq!(
        problems,
        ["Client 1: the balance kept (1) differs from their ledger (15000, in minor units)."]
    );
}

#[test]
fn the_demo_practice_bills_what_happened() {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let mut opts = crate::demo::DemoOptions::new(day("2026-11-23"), now);
    opts.clients = 60;
    opts.months = 12;
    let mut s = Store::open_in_memory().unwrap();
    s.write_demo(&crate::demo::generate(&opts), now).unwrap();
    let q = |sql: &str| -> i64 { s.conn().query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(q("SELECT count(*) FROM services"), 3);
    assert_eq!(
        q("SELECT count(*) FROM client_fees"),
        1,
        "one sliding-scale client"
    );
    assert!(
        q("SELECT count(*) FROM waived_fees") > 0,
        "a few waived late fees"
    );
    let charges = q("SELECT count(*) FROM ledger WHERE kind = 'charge'");
    let same_day = q(
        "SELECT count(*) FROM ledger c WHERE c.kind = 'charge' AND EXISTS (
            SELECT 1 FROM applications a JOIN ledger p ON p.id = a.credit_id
            WHERE a.debit_id = c.id AND p.on_date = c.on_date)",
    );
    assert!(
        same_day * 10 > charges * 7,
        "most paid the same day: {same_day} of {charges}"
    );
    assert!(
        q("SELECT count(*) FROM balances WHERE net > 0") > 0,
        "some owe"
    );
    assert!(s.check().unwrap().problems.is_empty());
    // The same seed writes the same money.
    let mut t = Store::open_in_memory().unwrap();
    t.write_demo(&crate::demo::generate(&opts), now).unwrap();
    let sum = |st: &Store| -> (i64, i64) {
        st.conn()
            .query_row("SELECT count(*), SUM(amount * id) FROM ledger", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap()
    };
    assert_eq!(sum(&s), sum(&t));
}
