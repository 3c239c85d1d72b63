#![allow(clippy::unwrap_used, clippy::panic)]
//! A client's money with 1,000 sessions: every session attended and charged, most paid the same
//! day, a few voided, refunded or adjusted. Reading their ledger and their balance is what the
//! Billing tab and `caseload ledger` do. Run briefly: `cargo bench --bench ledger -- --quick`.

use caseload::domain::billing::{BillingSettings, PaymentMethod, ServiceInput};
use caseload::domain::client::ClientInput;
use caseload::domain::money::Currency;
use caseload::domain::schedule::Repeat;
use caseload::domain::session::{Modality, SessionStatus};
use caseload::domain::time::parse_local;
use caseload::store::Store;
use caseload::store::session::{BookOutcome, BookingRequest};
use criterion::{Criterion, criterion_group, criterion_main};

fn client_with_1000_sessions() -> (Store, i64) {
    let now_local = parse_local("2026-11-23 09:30").unwrap();
    let now = now_local.and_utc();
    let mut s = Store::open_in_memory().unwrap();
    let f = ClientInput {
        name: "Ruth Morgan".into(),
        ..Default::default()
    }
    .validate(now_local.date())
    .unwrap();
    let client = s.add_client(&f, now).unwrap().id;
    s.set_billing_settings(&BillingSettings {
        currency: Some(Currency::parse("USD").unwrap()),
        ..Default::default()
    })
    .unwrap();
    s.add_service(
        &ServiceInput {
            code: "90834".into(),
            name: "Psychotherapy".into(),
            minutes: 45,
            fee: "150".into(),
            ..Default::default()
        },
        now,
    )
    .unwrap();
    let first = parse_local("2007-01-08 10:00").unwrap();
    for i in 0..1000 {
        let at = first + chrono::Duration::weeks(i);
        let req = BookingRequest {
            client_id: client,
            starts_at: at,
            minutes: 50,
            modality: Modality::InPerson,
            repeat: Repeat::Once,
        };
        let BookOutcome::Booked(ids) = s.book(&req, true, now).unwrap() else {
            panic!("clash")
        };
        s.mark_session(ids[0], SessionStatus::Attended, "cli", now_local, now)
            .unwrap();
        match i % 50 {
            7 => {
                let c = s.session_charge(ids[0]).unwrap().unwrap();
                s.void_charge(c.id, "billed twice", at.date(), now).unwrap();
            }
            13 => {
                s.adjust(client, "-10", "goodwill", at.date(), now).unwrap();
            }
            _ if i % 10 != 9 => {
                let p = s
                    .add_payment(
                        client,
                        "150",
                        PaymentMethod::Card,
                        at.date(),
                        None,
                        &[],
                        now,
                    )
                    .unwrap();
                if i % 100 == 21 {
                    s.refund(p.id, "20", None, at.date(), now).unwrap();
                }
            }
            _ => {}
        }
    }
    (s, client)
}

fn ledger(c: &mut Criterion) {
    let (s, client) = client_with_1000_sessions();
    let lines = s.ledger(client, None, None).unwrap();
    eprintln!("ledger lines: {}", lines.len());
    c.bench_function("a client's ledger with 1,000 sessions", |b| {
        b.iter(|| s.ledger(client, None, None).unwrap())
    });
    c.bench_function("a client's balance with 1,000 sessions", |b| {
        b.iter(|| s.balance(client).unwrap())
    });
}

criterion_group!(benches, ledger);
criterion_main!(benches);
