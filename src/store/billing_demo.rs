//! The demo practice's money, written inside the demo's transaction after its sessions and
//! cancellations: USD, three services, one client on a sliding scale, a charge for every
//! session that calls for one, most paid the same day, some paid later, a few still owed, and
//! the late-cancellation fees that were waived. Deterministic: every choice follows from ids.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Transaction;

use super::billing::{insert_application, insert_line, insert_service, settle_in};
use super::{Result, date_text};
use crate::domain::billing::{
    BillingSettings, ChargeRule, LedgerKind, PaymentMethod, ServiceFields, charge_for, tax_on,
};
use crate::domain::money::Currency;
use crate::domain::session::SessionStatus;
use crate::domain::time::format_instant;

/// What the demo's billing added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoMoney {
    pub charges: usize,
    pub payments: usize,
    pub waived: usize,
}

fn services() -> [ServiceFields; 3] {
    let s = |code: &str, name: &str, minutes, fee, late, ns| ServiceFields {
        code: code.into(),
        name: name.into(),
        minutes,
        fee,
        tax_bp: None,
        late_cancel_bp: late,
        no_show_bp: ns,
    };
    [
        s("90834", "Psychotherapy, 45 minutes", 45, 15000, 5000, 10000),
        s("90837", "Psychotherapy, 60 minutes", 60, 19000, 5000, 10000),
        s("90791", "Intake assessment", 60, 20000, 10000, 10000),
    ]
}

/// A number 0..100 that follows from an id (the same for the same id, spread evenly).
fn roll(id: i64, salt: u64) -> u64 {
    let mut x = (id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt;
    x ^= x >> 31;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 29;
    x % 100
}

/// Writes the demo's billing (see the module comment). `today` is the practitioner's today.
pub(crate) fn write_demo_billing(
    tx: &Transaction<'_>,
    client_ids: &[i64],
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<DemoMoney> {
    let settings = BillingSettings {
        currency: Currency::parse("USD").ok(),
        npi: Some("1234567893".into()),
        licence: Some("LPC 00000 (demo)".into()),
        tax_id: Some("00-0000000".into()),
        ..Default::default()
    };
    let json = serde_json::to_string(&settings)
        .map_err(|e| super::StoreError::Refused(format!("demo billing settings ({e})")))?;
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (BillingSettings::KEY, json),
    )?;
    let all = services();
    let mut ids = Vec::with_capacity(all.len());
    for f in &all {
        ids.push(insert_service(tx, f, now)?);
    }
    let at = format_instant(now);
    // Every fifth client meets for an hour; the second client pays a reduced fee.
    for (i, c) in client_ids.iter().enumerate() {
        if i % 5 == 4 {
            tx.execute(
                "INSERT INTO client_billing (client_id, service_id, diagnosis_codes, updated_at)
                 VALUES (?1, ?2, 'F41.1', ?3)",
                (c, ids[1], &at),
            )?;
        }
    }
    let sliding = client_ids.get(1).copied();
    if let Some(c) = sliding {
        let intake: String = tx.query_row(
            "SELECT COALESCE(intake_date, ?2) FROM clients WHERE id = ?1",
            (c, date_text(today)),
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO client_fees (client_id, service_id, fee, from_date, note, created_at)
             VALUES (?1, NULL, 9000, ?2, 'Sliding scale: reduced while between jobs; review in six months', ?3)",
            (c, intake, &at),
        )?;
    }
    // A few clients (one in 40) let a balance run for months.
    let slow = |client: i64| roll(client, 7) < 3;
    let mut money = DemoMoney::default();
    let mut stmt = tx.prepare(
        "SELECT s.id, s.client_id, s.starts_at, s.status,
            (SELECT c.by = 'client' FROM cancellations c WHERE c.session_id = s.id ORDER BY c.id DESC LIMIT 1),
            (SELECT c.fee_waived FROM cancellations c WHERE c.session_id = s.id ORDER BY c.id DESC LIMIT 1),
            (SELECT c.id FROM cancellations c WHERE c.session_id = s.id ORDER BY c.id DESC LIMIT 1),
            (SELECT c.reason FROM cancellations c WHERE c.session_id = s.id ORDER BY c.id DESC LIMIT 1),
            (SELECT b.service_id FROM client_billing b WHERE b.client_id = s.client_id)
         FROM sessions s
         WHERE s.status IN ('attended', 'late', 'no_show', 'late_cancelled')
         ORDER BY s.client_id, s.starts_at, s.id",
    )?;
    #[allow(clippy::type_complexity)]
    let rows: Vec<(
        i64,
        i64,
        chrono::NaiveDateTime,
        SessionStatus,
        Option<bool>,
        Option<bool>,
        Option<i64>,
        Option<String>,
        Option<i64>,
    )> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                super::local(r, 2)?,
                super::word(r, 3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    drop(stmt);
    let mut first_of_client: Option<i64> = None;
    let mut touched: Vec<i64> = Vec::new();
    for (sid, client, starts, status, by_client, waived, cancel_id, reason, own) in rows {
        let first = first_of_client != Some(client);
        if first {
            first_of_client = Some(client);
            touched.push(client);
        }
        // The first session is the intake; then the client's own service, else 90834.
        let k = if first && status.is_attended() {
            2
        } else if own == Some(ids[1]) {
            1
        } else {
            0
        };
        let service = &all[k];
        let fee = if Some(client) == sliding {
            9000
        } else {
            service.fee
        };
        let on = starts.date();
        match charge_for(
            status,
            by_client.unwrap_or(true),
            waived.unwrap_or(false),
            fee,
            service.late_cancel_bp,
            service.no_show_bp,
        ) {
            ChargeRule::Charge { basis, amount } => {
                let tax = tax_on(amount, service.tax_bp);
                let charge = insert_line(
                    tx,
                    client,
                    LedgerKind::Charge,
                    on,
                    amount + tax,
                    tax,
                    Some(basis),
                    Some(sid),
                    Some(ids[k]),
                    None,
                    None,
                    None,
                    &at,
                )?;
                money.charges += 1;
                let age = (today - on).num_days();
                let r = roll(sid, 1);
                // Most pay the same day; some a week or two later; recent ones may be owed.
                let paid_on = if slow(client) && Some(client) != sliding && (35..120).contains(&age)
                {
                    None
                } else if r < 78 {
                    Some(on)
                } else if r < 94 {
                    Some(on + chrono::Duration::days(7 + (roll(sid, 2) % 14) as i64))
                } else if age < 45 {
                    None
                } else {
                    Some(on + chrono::Duration::days(30))
                };
                let paid_on = paid_on.filter(|d| *d <= today);
                let Some(paid_on) = paid_on else { continue };
                let method = match roll(sid, 3) {
                    0..=64 => PaymentMethod::Card,
                    65..=79 => PaymentMethod::Transfer,
                    80..=89 => PaymentMethod::Cash,
                    90..=96 => PaymentMethod::Insurance,
                    _ => PaymentMethod::Cheque,
                };
                let pay = insert_line(
                    tx,
                    client,
                    LedgerKind::Payment,
                    paid_on,
                    amount + tax,
                    0,
                    None,
                    None,
                    None,
                    None,
                    Some(method),
                    None,
                    &at,
                )?;
                insert_application(tx, client, pay, charge, amount + tax, &at)?;
                money.payments += 1;
            }
            ChargeRule::Waived { basis, amount } => {
                tx.prepare_cached(
                    "INSERT INTO waived_fees (client_id, session_id, cancellation_id, service_id,
                        basis, amount, reason, on_date, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )?
                .execute(rusqlite::params![
                    client,
                    sid,
                    cancel_id,
                    ids[k],
                    basis.as_str(),
                    amount,
                    reason,
                    date_text(on),
                    &at
                ])?;
                money.waived += 1;
            }
            ChargeRule::Nothing => {}
        }
    }
    for client in touched {
        settle_in(tx, client, &[], None, now)?;
    }
    Ok(money)
}
