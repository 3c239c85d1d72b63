//! Fees: the practice's billing settings, services, a client's own fees (sliding scale), and
//! the charge that follows a session's outcome — written in the SAME transaction as the
//! outcome ([`follow_outcome`] is called by `session::mark_session` and
//! `cancellation::cancel_session`). Money rows are only ever added (migration 014).
//!
//! This file reads sessions and cancellations with its own SQL so that it imports neither
//! (they call it).

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction};

use super::{Result, Store, StoreError, date_text};
use crate::domain::billing::{
    self, BillingSettings, ChargeBasis, ChargeRule, OpenCredit, OpenDebit, Service, ServiceFields,
    ServiceInput, Totals,
};
use crate::domain::money::Currency;
use crate::domain::session::SessionStatus;
use crate::domain::time::format_instant;
use crate::domain::{FieldError, ValidationError};

/// The billing settings as stored, or the defaults.
pub(crate) fn settings_in(conn: &Connection) -> Result<BillingSettings> {
    let raw: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([BillingSettings::KEY], |r| r.get(0))
        .optional()?;
    match raw {
        None => Ok(BillingSettings::default()),
        Some(s) => serde_json::from_str(&s).map_err(|e| {
            StoreError::Refused(format!(
                "The billing settings could not be read ({e}). Set them again with `caseload billing`."
            ))
        }),
    }
}

fn save_settings_in(tx: &Transaction<'_>, s: &BillingSettings) -> Result<()> {
    let json = serde_json::to_string(s).map_err(|e| {
        StoreError::Refused(format!("The billing settings could not be saved ({e})."))
    })?;
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (BillingSettings::KEY, json),
    )?;
    Ok(())
}

/// The practice currency, or a refusal that says how to set it.
pub(crate) fn currency_in(conn: &Connection) -> Result<Currency> {
    settings_in(conn)?.currency.ok_or_else(|| {
        StoreError::Refused(
            "The practice has no currency yet, so nothing was recorded. Set it once with `caseload billing --currency USD` (any ISO 4217 code).".into(),
        )
    })
}

const SERVICE_COLUMNS: &str =
    "id, code, name, minutes, fee, tax_bp, late_cancel_bp, no_show_bp, active";

fn service_from_row(r: &Row<'_>) -> rusqlite::Result<Service> {
    Ok(Service {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        minutes: r.get(3)?,
        fee: r.get(4)?,
        tax_bp: r.get(5)?,
        late_cancel_bp: r.get(6)?,
        no_show_bp: r.get(7)?,
        active: r.get(8)?,
    })
}

pub(crate) fn service_by_code_in(conn: &Connection, code: &str) -> Result<Service> {
    conn.prepare_cached(&format!(
        "SELECT {SERVICE_COLUMNS} FROM services WHERE code = ?1"
    ))?
    .query_row([code.trim()], service_from_row)
    .optional()?
    .ok_or_else(|| {
        StoreError::Refused(format!(
            "There is no service with code “{}”. See them with `caseload service list`.",
            code.trim()
        ))
    })
}

pub(crate) fn service_in(conn: &Connection, id: i64) -> Result<Service> {
    conn.prepare_cached(&format!(
        "SELECT {SERVICE_COLUMNS} FROM services WHERE id = ?1"
    ))?
    .query_row([id], service_from_row)
    .optional()?
    .ok_or(StoreError::NotFound {
        what: "service",
        id,
    })
}

/// The service a session is charged as: its own, else its client's, else the practice's
/// default, else the first active service. `None` when the practice has no services.
fn session_service(
    conn: &Connection,
    session_id: i64,
    client_id: i64,
    settings: &BillingSettings,
) -> Result<Option<Service>> {
    let own: Option<i64> = conn
        .prepare_cached(
            "SELECT COALESCE(
                (SELECT service_id FROM session_services WHERE session_id = ?1),
                (SELECT service_id FROM client_billing WHERE client_id = ?2))",
        )?
        .query_row((session_id, client_id), |r| r.get(0))?;
    if let Some(id) = own {
        return Ok(Some(service_in(conn, id)?));
    }
    if let Some(code) = &settings.default_service
        && let Ok(s) = service_by_code_in(conn, code)
    {
        return Ok(Some(s));
    }
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {SERVICE_COLUMNS} FROM services WHERE active = 1 ORDER BY id LIMIT 1"
        ))?
        .query_row([], service_from_row)
        .optional()?)
}

/// The client's fee for a service on a day: their newest own fee in force (for that service or
/// for every service), else the service's fee.
fn fee_on(conn: &Connection, client_id: i64, service: &Service, on: NaiveDate) -> Result<i64> {
    let own: Option<i64> = conn
        .prepare_cached(
            "SELECT fee FROM client_fees
             WHERE client_id = ?1 AND from_date <= ?2 AND (service_id = ?3 OR service_id IS NULL)
             ORDER BY from_date DESC, (service_id IS NULL), id DESC LIMIT 1",
        )?
        .query_row((client_id, date_text(on), service.id), |r| r.get(0))
        .optional()?;
    Ok(own.unwrap_or(service.fee))
}

/// A session's charge that is not voided: (ledger id, basis).
fn active_charge(conn: &Connection, session_id: i64) -> Result<Option<(i64, ChargeBasis)>> {
    Ok(conn
        .prepare_cached(
            "SELECT l.id, l.basis FROM ledger l
             WHERE l.session_id = ?1 AND l.kind = 'charge'
               AND NOT EXISTS (SELECT 1 FROM ledger v WHERE v.ref_id = l.id AND v.kind = 'void')
             ORDER BY l.id DESC LIMIT 1",
        )?
        .query_row([session_id], |r| Ok((r.get(0)?, super::word(r, 1)?)))
        .optional()?)
}

/// Inserts one ledger line (inside the caller's transaction) and returns its id.
#[allow(clippy::too_many_arguments)]
pub(crate) fn insert_line(
    tx: &Transaction<'_>,
    client_id: i64,
    kind: billing::LedgerKind,
    on: NaiveDate,
    amount: i64,
    tax: i64,
    basis: Option<ChargeBasis>,
    session_id: Option<i64>,
    service_id: Option<i64>,
    ref_id: Option<i64>,
    method: Option<billing::PaymentMethod>,
    reason: Option<&str>,
    created_at: &str,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO ledger (client_id, kind, on_date, amount, tax, basis, session_id, service_id,
            ref_id, method, reason, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(rusqlite::params![
        client_id,
        kind.as_str(),
        date_text(on),
        amount,
        tax,
        basis.map(|b| b.as_str()),
        session_id,
        service_id,
        ref_id,
        method.map(|m| m.as_str()),
        reason,
        created_at,
    ])?;
    Ok(tx.last_insert_rowid())
}

/// Voids a charge inside an open transaction: its payments are taken back (they become credit
/// for other charges when the client is settled), then the void line. Returns the void's id.
pub(crate) fn void_in(
    tx: &Transaction<'_>,
    charge_id: i64,
    reason: &str,
    on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64> {
    #[allow(clippy::type_complexity)]
    let row: Option<(i64, String, i64, Option<i64>, Option<i64>)> = tx
        .prepare_cached(
            "SELECT client_id, kind, amount, session_id, service_id FROM ledger WHERE id = ?1",
        )?
        .query_row([charge_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    let Some((client_id, kind, amount, session_id, service_id)) = row else {
        return Err(StoreError::NotFound {
            what: "charge",
            id: charge_id,
        });
    };
    if kind != "charge" {
        return Err(StoreError::Refused(format!(
            "Line {charge_id} is a {kind}, not a charge; only charges are voided. Correct it with `caseload charge adjust`."
        )));
    }
    let voided: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM ledger WHERE ref_id = ?1 AND kind = 'void')")?
        .query_row([charge_id], |r| r.get(0))?;
    if voided {
        return Err(StoreError::Refused(format!(
            "Charge {charge_id} is already void; nothing was changed."
        )));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ValidationError::one("reason", "say why the charge is void").into());
    }
    let at = format_instant(now);
    let paid: Vec<(i64, i64)> = tx
        .prepare_cached(
            "SELECT credit_id, SUM(amount) FROM applications WHERE debit_id = ?1
             GROUP BY credit_id HAVING SUM(amount) > 0 ORDER BY credit_id",
        )?
        .query_map([charge_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (credit, amount) in paid {
        insert_application(tx, client_id, credit, charge_id, -amount, &at)?;
    }
    let id = insert_line(
        tx,
        client_id,
        billing::LedgerKind::Void,
        on,
        amount,
        0,
        None,
        session_id,
        service_id,
        Some(charge_id),
        None,
        Some(reason),
        &at,
    )?;
    // The reason stays with the line, not in the trail: the trail holds no free text about a
    // client, so nothing of theirs outlives a disposal (issue 18).
    let detail = format!("charge {charge_id} void ({amount})");
    super::audit::audit(
        tx,
        now,
        "charge_voided",
        "ledger",
        Some(id),
        Some(client_id),
        Some(&detail),
    )?;
    Ok(id)
}

pub(crate) fn insert_application(
    tx: &Transaction<'_>,
    client_id: i64,
    credit: i64,
    debit: i64,
    amount: i64,
    at: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO applications (client_id, credit_id, debit_id, amount, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute((client_id, credit, debit, amount, at))?;
    Ok(())
}

/// A client's charges (and positive adjustments) not yet paid in full, oldest first.
pub(crate) fn open_debits(conn: &Connection, client_id: i64) -> Result<Vec<OpenDebit>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.id, l.on_date,
            l.amount - COALESCE((SELECT SUM(a.amount) FROM applications a WHERE a.debit_id = l.id), 0) AS remaining
         FROM ledger l
         WHERE l.client_id = ?1 AND (l.kind = 'charge' OR (l.kind = 'adjustment' AND l.amount > 0))
           AND NOT EXISTS (SELECT 1 FROM ledger v WHERE v.ref_id = l.id AND v.kind = 'void')
           AND remaining > 0
         ORDER BY l.on_date, l.id",
    )?;
    let rows = stmt
        .query_map([client_id], |r| {
            Ok(OpenDebit {
                id: r.get(0)?,
                on: super::date(r, 1)?,
                remaining: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A client's payments (and negative adjustments) with money not yet applied, oldest first.
pub(crate) fn open_credits(conn: &Connection, client_id: i64) -> Result<Vec<OpenCredit>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.id,
            (CASE WHEN l.kind = 'payment' THEN l.amount ELSE -l.amount END)
            - COALESCE((SELECT SUM(r.amount) FROM ledger r WHERE r.ref_id = l.id AND r.kind = 'refund'), 0)
            - COALESCE((SELECT SUM(a.amount) FROM applications a WHERE a.credit_id = l.id), 0) AS available
         FROM ledger l
         WHERE l.client_id = ?1 AND (l.kind = 'payment' OR (l.kind = 'adjustment' AND l.amount < 0))
           AND available > 0
         ORDER BY l.on_date, l.id",
    )?;
    let rows = stmt
        .query_map([client_id], |r| {
            Ok(OpenCredit {
                id: r.get(0)?,
                available: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A client's totals from the sums of their ledger.
pub(crate) fn totals_in(conn: &Connection, client_id: i64) -> Result<Totals> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, SUM(amount) FROM ledger WHERE client_id = ?1
         GROUP BY kind, (kind = 'adjustment' AND amount < 0)",
    )?;
    let lines = stmt
        .query_map([client_id], |r| {
            Ok((super::word(r, 0)?, r.get::<_, i64>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Totals::from_lines(&lines))
}

/// Applies the client's free credit to their open charges (first `first`, from the payment
/// `first_from`, when asked), then records their balance. Called after every money write.
pub(crate) fn settle_in(
    tx: &Transaction<'_>,
    client_id: i64,
    first: &[i64],
    first_from: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Vec<(i64, i64, i64)>> {
    let mut debits = open_debits(tx, client_id)?;
    let credits = open_credits(tx, client_id)?;
    let at = format_instant(now);
    let apps = billing::settle(&debits, &credits, first, first_from);
    for &(credit, debit, amount) in &apps {
        insert_application(tx, client_id, credit, debit, amount, &at)?;
        if let Some(d) = debits.iter_mut().find(|d| d.id == debit) {
            d.remaining -= amount;
        }
    }
    let oldest = debits
        .iter()
        .find(|d| d.remaining > 0)
        .map(|d| date_text(d.on));
    let net = totals_in(tx, client_id)?.net();
    // An UPDATE, then an INSERT when there was no row: an upsert's conflict policy would
    // override the needs-attention watch triggers' own.
    let changed = tx
        .prepare_cached(
            "UPDATE balances SET net = ?2, oldest_open = ?3, updated_at = ?4 WHERE client_id = ?1",
        )?
        .execute((client_id, net, &oldest, &at))?;
    if changed == 0 {
        tx.prepare_cached(
            "INSERT INTO balances (client_id, net, oldest_open, updated_at) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute((client_id, net, oldest, &at))?;
    }
    Ok(apps)
}

/// The charge that follows a session's (new) outcome, inside the caller's transaction: keeps
/// a charge that still fits, voids one that no longer does (with the reason), adds the one
/// now due, records a waived late-cancellation fee, and settles the client. Does nothing when
/// the practice has no currency or no service yet.
pub(crate) fn follow_outcome(
    tx: &Transaction<'_>,
    session_id: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<()> {
    let settings = settings_in(tx)?;
    if settings.currency.is_none() {
        return Ok(());
    }
    let (client_id, starts_at, status): (i64, chrono::NaiveDateTime, SessionStatus) = tx
        .prepare_cached("SELECT client_id, starts_at, status FROM sessions WHERE id = ?1")?
        .query_row([session_id], |r| {
            Ok((r.get(0)?, super::local(r, 1)?, super::word(r, 2)?))
        })
        .optional()?
        .ok_or(StoreError::NotFound {
            what: "session",
            id: session_id,
        })?;
    let Some(service) = session_service(tx, session_id, client_id, &settings)? else {
        return Ok(());
    };
    let on = starts_at.date();
    // The latest cancellation request, when the session was cancelled late.
    let cancellation: Option<(i64, bool, bool, String)> = if status == SessionStatus::LateCancelled
    {
        tx.prepare_cached(
            "SELECT id, by = 'client', fee_waived, reason FROM cancellations
             WHERE session_id = ?1 AND reverted_at IS NULL ORDER BY id DESC LIMIT 1",
        )?
        .query_row([session_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?
    } else {
        None
    };
    let (by_client, waived) = cancellation.as_ref().map_or((true, false), |c| (c.1, c.2));
    let fee = fee_on(tx, client_id, &service, on)?;
    let rule = billing::charge_for(
        status,
        by_client,
        waived,
        fee,
        service.late_cancel_bp,
        service.no_show_bp,
    );
    let active = active_charge(tx, session_id)?;
    let at = format_instant(now);
    let keep =
        matches!((rule, active), (ChargeRule::Charge { basis, .. }, Some((_, b))) if b == basis);
    if !keep {
        if let Some((id, _)) = active {
            let reason = format!("the session is now {}", status.label().to_lowercase());
            void_in(tx, id, &reason, today, now)?;
        }
        match rule {
            ChargeRule::Charge { basis, amount } => {
                let tax = billing::tax_on(amount, service.tax_bp);
                let id = insert_line(
                    tx,
                    client_id,
                    billing::LedgerKind::Charge,
                    on,
                    amount + tax,
                    tax,
                    Some(basis),
                    Some(session_id),
                    Some(service.id),
                    None,
                    None,
                    None,
                    &at,
                )?;
                let detail = format!(
                    "session {session_id}: {} {} ({})",
                    basis.label().to_lowercase(),
                    amount + tax,
                    service.code
                );
                super::audit::audit(
                    tx,
                    now,
                    "charge_added",
                    "ledger",
                    Some(id),
                    Some(client_id),
                    Some(&detail),
                )?;
            }
            ChargeRule::Waived { basis, amount } => {
                if let Some((cid, _, _, reason)) = &cancellation {
                    tx.prepare_cached(
                        "INSERT INTO waived_fees (client_id, session_id, cancellation_id, service_id,
                            basis, amount, reason, on_date, created_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    )?
                    .execute(rusqlite::params![
                        client_id,
                        session_id,
                        cid,
                        service.id,
                        basis.as_str(),
                        amount,
                        reason,
                        date_text(on),
                        &at
                    ])?;
                    let id = tx.last_insert_rowid();
                    let detail = format!(
                        "session {session_id}: late-cancellation fee {amount} waived ({reason})"
                    );
                    super::audit::audit(
                        tx,
                        now,
                        "fee_waived",
                        "waived_fee",
                        Some(id),
                        Some(client_id),
                        Some(&detail),
                    )?;
                }
            }
            ChargeRule::Nothing => {}
        }
    }
    settle_in(tx, client_id, &[], None, now)?;
    Ok(())
}

/// Names the service a (newly booked) session is charged as, inside the booking transaction.
pub(crate) fn set_session_service_in(
    tx: &Transaction<'_>,
    session_id: i64,
    code: &str,
) -> Result<()> {
    let service = service_by_code_in(tx, code)?;
    if !service.active {
        return Err(StoreError::Refused(format!(
            "The service “{}” is retired; nothing was booked. Choose an active service.",
            service.code
        )));
    }
    tx.prepare_cached(
        "INSERT INTO session_services (session_id, service_id) VALUES (?1, ?2)
         ON CONFLICT (session_id) DO UPDATE SET service_id = excluded.service_id",
    )?
    .execute((session_id, service.id))?;
    Ok(())
}

/// A client's own fee from a date.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClientFee {
    pub id: i64,
    pub client_id: i64,
    /// The service's code, or `None` for every service.
    pub service: Option<String>,
    pub fee: i64,
    pub from: NaiveDate,
    pub note: Option<String>,
}

/// A client's billing details: their default service and diagnosis codes.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct ClientBilling {
    pub client_id: i64,
    pub service: Option<String>,
    pub diagnosis_codes: Vec<String>,
}

/// What a service edit changes (`None` keeps it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceEdit {
    pub name: Option<String>,
    pub minutes: Option<u32>,
    pub fee: Option<String>,
    pub tax_rate: Option<String>,
    pub late_cancel_percent: Option<String>,
    pub no_show_percent: Option<String>,
}

impl Store {
    /// The billing settings (defaults when never saved).
    pub fn billing_settings(&self) -> Result<BillingSettings> {
        settings_in(self.conn())
    }

    /// Changes the billing settings in one transaction. The currency is set once: it can't
    /// change after the first money line, since every amount is in it.
    pub fn set_billing_settings(&mut self, new: &BillingSettings) -> Result<BillingSettings> {
        self.write(|tx| {
            let old = settings_in(tx)?;
            if old.currency.is_some() && old.currency != new.currency {
                let lines: i64 = tx.query_row("SELECT count(*) FROM ledger", [], |r| r.get(0))?;
                let services: i64 =
                    tx.query_row("SELECT count(*) FROM services", [], |r| r.get(0))?;
                if lines + services > 0 {
                    return Err(StoreError::Refused(format!(
                        "The practice currency is {} and amounts are already kept in it, so it was not changed.",
                        old.currency.map(|c| c.code()).unwrap_or("")
                    )));
                }
            }
            if let Some(code) = &new.default_service {
                service_by_code_in(tx, code)?;
            }
            if new.balance_over_days == 0 || new.balance_over_days > 3650 {
                return Err(ValidationError::one(
                    "balance_over_days",
                    "give a number of days from 1 to 3650",
                )
                .into());
            }
            save_settings_in(tx, new)?;
            Ok(new.clone())
        })
    }

    /// Every service, active first, by code.
    pub fn services(&self) -> Result<Vec<Service>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {SERVICE_COLUMNS} FROM services ORDER BY active DESC, code"
        ))?;
        let rows = stmt
            .query_map([], service_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    pub fn service_by_code(&self, code: &str) -> Result<Service> {
        service_by_code_in(self.conn(), code)
    }

    /// Adds a service after checking it (one transaction, audited).
    pub fn add_service(&mut self, input: &ServiceInput, now: DateTime<Utc>) -> Result<Service> {
        let id = self.write(|tx| {
            let settings = settings_in(tx)?;
            let cur = currency_in(tx)?;
            let f = input.validate(cur, settings.policy())?;
            let id = insert_service(tx, &f, now)?;
            let detail = format!("{} {} fee {}", f.code, f.name, cur.format(f.fee));
            super::audit::audit(
                tx,
                now,
                "service_added",
                "service",
                Some(id),
                None,
                Some(&detail),
            )?;
            Ok(id)
        })?;
        service_in(self.conn(), id)
    }

    /// Changes a service's details. Charges already made keep their amounts.
    pub fn edit_service(
        &mut self,
        code: &str,
        e: &ServiceEdit,
        now: DateTime<Utc>,
    ) -> Result<Service> {
        let id = self.write(|tx| {
            let s = service_by_code_in(tx, code)?;
            let cur = currency_in(tx)?;
            let pct = |v: &Option<String>, bp: Option<u32>| {
                v.clone()
                    .or_else(|| bp.map(crate::domain::money::format_percent))
            };
            let input = ServiceInput {
                code: s.code.clone(),
                name: e.name.clone().unwrap_or(s.name.clone()),
                minutes: e.minutes.unwrap_or(s.minutes),
                fee: e.fee.clone().unwrap_or_else(|| cur.format(s.fee)),
                tax_rate: match e.tax_rate.as_deref() {
                    Some("none") | Some("0") => None,
                    _ => pct(&e.tax_rate, s.tax_bp),
                },
                late_cancel_percent: pct(&e.late_cancel_percent, Some(s.late_cancel_bp)),
                no_show_percent: pct(&e.no_show_percent, Some(s.no_show_bp)),
            };
            let f = input.validate(cur, settings_in(tx)?.policy())?;
            tx.execute(
                "UPDATE services SET name = ?2, minutes = ?3, fee = ?4, tax_bp = ?5,
                    late_cancel_bp = ?6, no_show_bp = ?7, updated_at = ?8 WHERE id = ?1",
                rusqlite::params![
                    s.id,
                    f.name,
                    f.minutes,
                    f.fee,
                    f.tax_bp,
                    f.late_cancel_bp,
                    f.no_show_bp,
                    format_instant(now)
                ],
            )?;
            let detail = format!(
                "{}: fee {} -> {}, late {} -> {}, no-show {} -> {} (bp)",
                s.code,
                s.fee,
                f.fee,
                s.late_cancel_bp,
                f.late_cancel_bp,
                s.no_show_bp,
                f.no_show_bp
            );
            super::audit::audit(
                tx,
                now,
                "service_changed",
                "service",
                Some(s.id),
                None,
                Some(&detail),
            )?;
            Ok(s.id)
        })?;
        service_in(self.conn(), id)
    }

    /// Retires a service: it stays on past charges but is no longer offered.
    pub fn retire_service(&mut self, code: &str, now: DateTime<Utc>) -> Result<Service> {
        let id = self.write(|tx| {
            let s = service_by_code_in(tx, code)?;
            if !s.active {
                return Err(StoreError::Refused(format!(
                    "The service “{}” is already retired; nothing was changed.",
                    s.code
                )));
            }
            tx.execute(
                "UPDATE services SET active = 0, updated_at = ?2 WHERE id = ?1",
                (s.id, format_instant(now)),
            )?;
            super::audit::audit(
                tx,
                now,
                "service_retired",
                "service",
                Some(s.id),
                None,
                Some(&s.code),
            )?;
            Ok(s.id)
        })?;
        service_in(self.conn(), id)
    }

    /// Sets a client's own fee from a date (for one service, or every service). The history
    /// is kept; sessions from that date on are charged at it.
    pub fn set_client_fee(
        &mut self,
        client_id: i64,
        fee: &str,
        service: Option<&str>,
        from: NaiveDate,
        note: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<ClientFee> {
        let id = self.write(|tx| {
            super::client::client_in(tx, client_id)?;
            let cur = currency_in(tx)?;
            let amount = cur
                .parse_amount(fee, false)
                .map_err(|m| ValidationError::one("fee", m))?;
            let service_id = service
                .map(|c| service_by_code_in(tx, c).map(|s| s.id))
                .transpose()?;
            let note = note.map(str::trim).filter(|n| !n.is_empty());
            tx.execute(
                "INSERT INTO client_fees (client_id, service_id, fee, from_date, note, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![
                    client_id,
                    service_id,
                    amount,
                    date_text(from),
                    note,
                    format_instant(now)
                ],
            )?;
            let id = tx.last_insert_rowid();
            let detail = format!(
                "fee {} from {from} for {}",
                cur.format(amount),
                service.unwrap_or("every service")
            );
            super::audit::audit(
                tx,
                now,
                "fee_set",
                "client_fee",
                Some(id),
                Some(client_id),
                Some(&detail),
            )?;
            Ok(id)
        })?;
        self.client_fees(client_id)?
            .into_iter()
            .find(|f| f.id == id)
            .ok_or(StoreError::NotFound {
                what: "client fee",
                id,
            })
    }

    /// A client's fee history (the sliding scale), oldest first.
    pub fn client_fees(&self, client_id: i64) -> Result<Vec<ClientFee>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT f.id, f.client_id, s.code, f.fee, f.from_date, f.note
             FROM client_fees f LEFT JOIN services s ON s.id = f.service_id
             WHERE f.client_id = ?1 ORDER BY f.from_date, f.id",
        )?;
        let rows = stmt
            .query_map([client_id], |r| {
                Ok(ClientFee {
                    id: r.get(0)?,
                    client_id: r.get(1)?,
                    service: r.get(2)?,
                    fee: r.get(3)?,
                    from: super::date(r, 4)?,
                    note: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// A client's default service and diagnosis codes.
    pub fn client_billing(&self, client_id: i64) -> Result<ClientBilling> {
        super::client::client_in(self.conn(), client_id)?;
        let row: Option<(Option<String>, String)> = self
            .conn()
            .prepare_cached(
                "SELECT s.code, b.diagnosis_codes FROM client_billing b
                 LEFT JOIN services s ON s.id = b.service_id WHERE b.client_id = ?1",
            )?
            .query_row([client_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let (service, codes) = row.unwrap_or((None, String::new()));
        Ok(ClientBilling {
            client_id,
            service,
            diagnosis_codes: codes
                .split(',')
                .filter(|c| !c.is_empty())
                .map(String::from)
                .collect(),
        })
    }

    /// Sets a client's default service and/or diagnosis codes (checked for the ICD-10 shape).
    pub fn set_client_billing(
        &mut self,
        client_id: i64,
        service: Option<&str>,
        diagnoses: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<ClientBilling> {
        self.write(|tx| {
            super::client::client_in(tx, client_id)?;
            let service_id = service
                .map(|c| service_by_code_in(tx, c).map(|s| s.id))
                .transpose()?;
            let codes = diagnoses
                .map(billing::parse_diagnoses)
                .transpose()
                .map_err(|m| ValidationError {
                    errors: vec![FieldError::new("diagnosis", m)],
                })?
                .map(|c| c.join(","));
            tx.execute(
                "INSERT INTO client_billing (client_id, service_id, diagnosis_codes, updated_at)
                 VALUES (?1, ?2, COALESCE(?3, ''), ?4)
                 ON CONFLICT (client_id) DO UPDATE SET
                    service_id = COALESCE(?2, service_id),
                    diagnosis_codes = COALESCE(?3, diagnosis_codes), updated_at = ?4",
                rusqlite::params![client_id, service_id, codes, format_instant(now)],
            )?;
            let detail = format!(
                "service {}, diagnosis {}",
                service.unwrap_or("unchanged"),
                codes.as_deref().unwrap_or("unchanged")
            );
            super::audit::audit(
                tx,
                now,
                "billing_details_changed",
                "client",
                Some(client_id),
                Some(client_id),
                Some(&detail),
            )?;
            Ok(())
        })?;
        self.client_billing(client_id)
    }

    /// The service a session is charged as (its own, its client's or the practice's).
    pub fn service_for_session(&self, session_id: i64) -> Result<Option<Service>> {
        let client_id: i64 = self
            .conn()
            .query_row(
                "SELECT client_id FROM sessions WHERE id = ?1",
                [session_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(StoreError::NotFound {
                what: "session",
                id: session_id,
            })?;
        session_service(
            self.conn(),
            session_id,
            client_id,
            &self.billing_settings()?,
        )
    }
}

/// Inserts a service (the caller audits it; the demo's are not).
pub(crate) fn insert_service(
    tx: &Transaction<'_>,
    f: &ServiceFields,
    now: DateTime<Utc>,
) -> Result<i64> {
    let exists: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM services WHERE code = ?1)")?
        .query_row([&f.code], |r| r.get(0))?;
    if exists {
        return Err(ValidationError::one(
            "code",
            format!("there is already a service with code “{}”; change it with `caseload service edit {}`", f.code, f.code),
        )
        .into());
    }
    let at = format_instant(now);
    tx.prepare_cached(
        "INSERT INTO services (code, name, minutes, fee, tax_bp, late_cancel_bp, no_show_bp,
            active, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?8)",
    )?
    .execute(rusqlite::params![
        f.code,
        f.name,
        f.minutes,
        f.fee,
        f.tax_bp,
        f.late_cancel_bp,
        f.no_show_bp,
        &at
    ])?;
    Ok(tx.last_insert_rowid())
}
