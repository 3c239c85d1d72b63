//! A client's money: payments, refunds, voids and adjustments (each one transaction, each line
//! audited), their balance and ledger, and the check that every balance equals its ledger.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::billing::{currency_in, insert_line, open_debits, settle_in, totals_in, void_in};
use super::{Result, Store, StoreError, date_text};
use crate::domain::ValidationError;
use crate::domain::billing::{LedgerKind, PaymentMethod};
use crate::domain::money::Currency;
use crate::domain::time::format_instant;

/// One line of a client's ledger. JSON keys are a contract (see the README).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerLine {
    pub id: i64,
    pub client_id: i64,
    pub kind: LedgerKind,
    /// The day it counts on (a charge: its session's date).
    pub at: NaiveDate,
    /// Minor units; adjustments are signed, every other line is positive.
    pub amount: i64,
    pub currency: Currency,
    pub session_id: Option<i64>,
    /// The service's code (charges and their voids).
    pub service: Option<String>,
    /// Why (voids, adjustments), or the note of a payment or refund.
    pub reason: Option<String>,
    /// A payment: the charges it pays; a charge: the payments paying it; a void: the charge;
    /// a refund: the payment.
    pub applied_to: Vec<i64>,
    /// Charges: session, no_show or late_cancel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<crate::domain::billing::ChargeBasis>,
    /// Payments: how it was paid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<PaymentMethod>,
    /// Charges: the part of the amount that is tax.
    pub tax: i64,
}

/// An unpaid charge, for the balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenItem {
    pub id: i64,
    pub kind: LedgerKind,
    pub at: NaiveDate,
    pub amount: i64,
    pub remaining: i64,
    pub session_id: Option<i64>,
    pub service: Option<String>,
}

/// A client's balance. JSON keys are a contract (see the README).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Balance {
    pub client_id: i64,
    pub currency: Currency,
    pub charged: i64,
    pub paid: i64,
    pub balance: i64,
    pub credit: i64,
    pub open: Vec<OpenItem>,
}

const LINE_COLUMNS: &str = "l.id, l.client_id, l.kind, l.on_date, l.amount, l.session_id, s.code, \
    l.reason, l.ref_id, l.basis, l.method, l.tax";

fn line_from_row(
    r: &rusqlite::Row<'_>,
    currency: Currency,
) -> rusqlite::Result<(LedgerLine, Option<i64>)> {
    Ok((
        LedgerLine {
            id: r.get(0)?,
            client_id: r.get(1)?,
            kind: super::word(r, 2)?,
            at: super::date(r, 3)?,
            amount: r.get(4)?,
            currency,
            session_id: r.get(5)?,
            service: r.get(6)?,
            reason: r.get(7)?,
            applied_to: Vec::new(),
            basis: super::opt_word(r, 9)?,
            method: super::opt_word(r, 10)?,
            tax: r.get(11)?,
        },
        r.get(8)?,
    ))
}

/// Who pays what, for a client: credit line → debit lines, debit line → credit lines.
fn applied_map(conn: &Connection, client_id: i64) -> Result<HashMap<i64, Vec<i64>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT credit_id, debit_id FROM applications WHERE client_id = ?1
         GROUP BY credit_id, debit_id HAVING SUM(amount) > 0 ORDER BY debit_id, credit_id",
    )?;
    let mut map: HashMap<i64, Vec<i64>> = HashMap::new();
    let rows = stmt.query_map([client_id], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
    })?;
    for row in rows {
        let (credit, debit) = row?;
        map.entry(credit).or_default().push(debit);
        map.entry(debit).or_default().push(credit);
    }
    Ok(map)
}

fn fill_applied(line: &mut LedgerLine, ref_id: Option<i64>, map: &HashMap<i64, Vec<i64>>) {
    line.applied_to = match (line.kind, ref_id) {
        (LedgerKind::Void | LedgerKind::Refund, Some(r)) => vec![r],
        _ => map.get(&line.id).cloned().unwrap_or_default(),
    };
}

/// The lines of a client's ledger between two days (inclusive), in order.
fn lines_in(
    conn: &Connection,
    client_id: i64,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Vec<LedgerLine>> {
    let currency = currency_in(conn)?;
    let map = applied_map(conn, client_id)?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {LINE_COLUMNS} FROM ledger l LEFT JOIN services s ON s.id = l.service_id
         WHERE l.client_id = ?1 AND l.on_date >= ?2 AND l.on_date <= ?3 ORDER BY l.on_date, l.id"
    ))?;
    let from = from.map(date_text).unwrap_or_else(|| "0000-01-01".into());
    let to = to.map(date_text).unwrap_or_else(|| "9999-12-31".into());
    let rows = stmt
        .query_map((client_id, from, to), |r| line_from_row(r, currency))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(|(mut l, r)| {
            fill_applied(&mut l, r, &map);
            l
        })
        .collect())
}

fn line_in(conn: &Connection, id: i64) -> Result<LedgerLine> {
    let currency = currency_in(conn)?;
    let (mut line, r) = conn
        .prepare_cached(&format!(
            "SELECT {LINE_COLUMNS} FROM ledger l LEFT JOIN services s ON s.id = l.service_id WHERE l.id = ?1"
        ))?
        .query_row([id], |r| line_from_row(r, currency))
        .optional()?
        .ok_or(StoreError::NotFound { what: "ledger line", id })?;
    let map = applied_map(conn, line.client_id)?;
    fill_applied(&mut line, r, &map);
    Ok(line)
}

fn amount_of(cur: Currency, field: &'static str, s: &str, signed: bool) -> Result<i64> {
    cur.parse_amount(s, signed)
        .map_err(|m| ValidationError::one(field, m).into())
}

impl Store {
    /// Records a payment and applies it: to the charges in `apply` first (in that order),
    /// then to the oldest open charges; what is left is credit. One transaction, audited.
    #[allow(clippy::too_many_arguments)]
    pub fn add_payment(
        &mut self,
        client_id: i64,
        amount: &str,
        method: PaymentMethod,
        on: NaiveDate,
        note: Option<&str>,
        apply: &[i64],
        now: DateTime<Utc>,
    ) -> Result<LedgerLine> {
        let id = self.write(|tx| {
            super::client::client_in(tx, client_id)?;
            let cur = currency_in(tx)?;
            let minor = amount_of(cur, "amount", amount, false)?;
            if minor == 0 {
                return Err(ValidationError::one("amount", "a payment is more than 0").into());
            }
            let open = open_debits(tx, client_id)?;
            for want in apply {
                if !open.iter().any(|d| d.id == *want) {
                    return Err(StoreError::Refused(format!(
                        "Charge {want} is not an unpaid charge of this client, so the payment was not recorded. See what is open with `caseload balance --client {client_id}`."
                    )));
                }
            }
            let note = note.map(str::trim).filter(|n| !n.is_empty());
            let at = format_instant(now);
            let id = insert_line(tx, client_id, LedgerKind::Payment, on, minor, 0, None, None, None, None, Some(method), note, &at)?;
            let detail = format!("payment {} by {method} on {on}", cur.format(minor));
            super::audit::audit(tx, now, "payment_added", "ledger", Some(id), Some(client_id), Some(&detail))?;
            settle_in(tx, client_id, apply, Some(id), now)?;
            Ok(id)
        })?;
        line_in(self.conn(), id)
    }

    /// Refunds part or all of a payment: money it had paid toward charges is taken back from
    /// the newest charge first (they are owed again). One transaction, audited.
    pub fn refund(
        &mut self,
        payment_id: i64,
        amount: &str,
        note: Option<&str>,
        on: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<LedgerLine> {
        let id = self.write(|tx| {
            let cur = currency_in(tx)?;
            let minor = amount_of(cur, "amount", amount, false)?;
            if minor == 0 {
                return Err(ValidationError::one("amount", "a refund is more than 0").into());
            }
            let row: Option<(i64, String, i64)> = tx
                .prepare_cached("SELECT client_id, kind, amount FROM ledger WHERE id = ?1")?
                .query_row([payment_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            let Some((client_id, kind, paid)) = row else {
                return Err(StoreError::NotFound { what: "payment", id: payment_id });
            };
            if kind != "payment" {
                return Err(StoreError::Refused(format!(
                    "Line {payment_id} is a {kind}, not a payment; only payments are refunded."
                )));
            }
            let refunded: i64 = tx
                .prepare_cached("SELECT COALESCE(SUM(amount), 0) FROM ledger WHERE ref_id = ?1 AND kind = 'refund'")?
                .query_row([payment_id], |r| r.get(0))?;
            if minor > paid - refunded {
                return Err(StoreError::Refused(format!(
                    "At most {} of payment {payment_id} can be refunded ({} was paid, {} refunded already); nothing was changed.",
                    cur.show(paid - refunded),
                    cur.show(paid),
                    cur.show(refunded)
                )));
            }
            let applied: Vec<(i64, i64)> = tx
                .prepare_cached(
                    "SELECT debit_id, SUM(amount) FROM applications WHERE credit_id = ?1
                     GROUP BY debit_id HAVING SUM(amount) > 0 ORDER BY debit_id DESC",
                )?
                .query_map([payment_id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let used: i64 = applied.iter().map(|a| a.1).sum();
            let mut take_back = minor - (paid - refunded - used).max(0);
            let at = format_instant(now);
            for (debit, amount) in applied {
                if take_back <= 0 {
                    break;
                }
                let part = amount.min(take_back);
                super::billing::insert_application(tx, client_id, payment_id, debit, -part, &at)?;
                take_back -= part;
            }
            let note = note.map(str::trim).filter(|n| !n.is_empty());
            let id = insert_line(tx, client_id, LedgerKind::Refund, on, minor, 0, None, None, None, Some(payment_id), None, note, &at)?;
            let detail = format!("refund {} of payment {payment_id}", cur.format(minor));
            super::audit::audit(tx, now, "refund_added", "ledger", Some(id), Some(client_id), Some(&detail))?;
            settle_in(tx, client_id, &[], None, now)?;
            Ok(id)
        })?;
        line_in(self.conn(), id)
    }

    /// Voids a charge with a reason (its payments become credit for other charges).
    pub fn void_charge(
        &mut self,
        charge_id: i64,
        reason: &str,
        on: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<LedgerLine> {
        let id = self.write(|tx| {
            currency_in(tx)?;
            let id = void_in(tx, charge_id, reason, on, now)?;
            let client_id: i64 =
                tx.query_row("SELECT client_id FROM ledger WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?;
            settle_in(tx, client_id, &[], None, now)?;
            Ok(id)
        })?;
        line_in(self.conn(), id)
    }

    /// Adds an adjustment: a positive amount is owed like a charge, a negative one is credit.
    pub fn adjust(
        &mut self,
        client_id: i64,
        amount: &str,
        reason: &str,
        on: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<LedgerLine> {
        let id = self.write(|tx| {
            super::client::client_in(tx, client_id)?;
            let cur = currency_in(tx)?;
            let minor = amount_of(cur, "amount", amount, true)?;
            if minor == 0 {
                return Err(ValidationError::one("amount", "an adjustment is not 0").into());
            }
            let reason = reason.trim();
            if reason.is_empty() {
                return Err(
                    ValidationError::one("reason", "say why the adjustment is made").into(),
                );
            }
            let at = format_instant(now);
            let id = insert_line(
                tx,
                client_id,
                LedgerKind::Adjustment,
                on,
                minor,
                0,
                None,
                None,
                None,
                None,
                None,
                Some(reason),
                &at,
            )?;
            // The reason stays with the line, not in the trail (see `void_in`).
            let detail = format!("adjustment {}", cur.format(minor));
            super::audit::audit(
                tx,
                now,
                "adjustment_added",
                "ledger",
                Some(id),
                Some(client_id),
                Some(&detail),
            )?;
            settle_in(tx, client_id, &[], None, now)?;
            Ok(id)
        })?;
        line_in(self.conn(), id)
    }

    /// One ledger line.
    pub fn ledger_line(&self, id: i64) -> Result<LedgerLine> {
        line_in(self.conn(), id)
    }

    /// A client's ledger between two days (inclusive; `None` is open-ended), in order.
    pub fn ledger(
        &self,
        client_id: i64,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Vec<LedgerLine>> {
        super::client::client_in(self.conn(), client_id)?;
        lines_in(self.conn(), client_id, from, to)
    }

    /// A client's balance and unpaid charges.
    pub fn balance(&self, client_id: i64) -> Result<Balance> {
        let conn = self.conn();
        super::client::client_in(conn, client_id)?;
        let currency = currency_in(conn)?;
        let t = totals_in(conn, client_id)?;
        let open_ids = open_debits(conn, client_id)?;
        let mut open = Vec::with_capacity(open_ids.len());
        if let Some(first) = open_ids.first() {
            // Every open line in one read, from the day of the oldest.
            let lines = lines_in(conn, client_id, Some(first.on), None)?;
            for d in open_ids {
                if let Some(l) = lines.iter().find(|l| l.id == d.id) {
                    open.push(OpenItem {
                        id: l.id,
                        kind: l.kind,
                        at: l.at,
                        amount: l.amount,
                        remaining: d.remaining,
                        session_id: l.session_id,
                        service: l.service.clone(),
                    });
                }
            }
        }
        Ok(Balance {
            client_id,
            currency,
            charged: t.charged,
            paid: t.paid,
            balance: t.balance,
            credit: t.credit,
            open,
        })
    }

    /// A session's charge that stands (not voided), if any.
    pub fn session_charge(&self, session_id: i64) -> Result<Option<LedgerLine>> {
        let id: Option<i64> = self
            .conn()
            .prepare_cached(
                "SELECT l.id FROM ledger l WHERE l.session_id = ?1 AND l.kind = 'charge'
                   AND NOT EXISTS (SELECT 1 FROM ledger v WHERE v.ref_id = l.id AND v.kind = 'void')
                 ORDER BY l.id DESC LIMIT 1",
            )?
            .query_row([session_id], |r| r.get(0))
            .optional()?;
        id.map(|id| line_in(self.conn(), id)).transpose()
    }

    /// Money applied to a charge (from one payment, or from all), net of what was taken back.
    pub fn applied_to_charge(&self, charge_id: i64, from: Option<i64>) -> Result<i64> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT COALESCE(SUM(amount), 0) FROM applications
                 WHERE debit_id = ?1 AND (?2 IS NULL OR credit_id = ?2)",
            )?
            .query_row((charge_id, from), |r| r.get(0))?)
    }

    /// Clients who owe something, with what and since when: (client id, owed, oldest unpaid).
    pub fn balances_due(&self) -> Result<Vec<(i64, i64, Option<NaiveDate>)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT client_id, net, oldest_open FROM balances WHERE net > 0 ORDER BY oldest_open, client_id",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, super::opt_date(r, 2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

impl Store {
    /// "Balance due": clients whose oldest unpaid charge is older than the practice's
    /// `balance_over_days` (for the practice or one client).
    pub fn balance_attention(
        &self,
        today: NaiveDate,
        scope: super::attention::Scope,
    ) -> Result<Vec<crate::domain::attention::AttentionItem>> {
        let settings = super::billing::settings_in(self.conn())?;
        let Some(currency) = settings.currency else {
            return Ok(Vec::new());
        };
        let before = today - chrono::Duration::days(i64::from(settings.balance_over_days));
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT b.client_id, c.name, c.preferred_name, b.net, b.oldest_open
             FROM balances b INDEXED BY balances_owed JOIN clients c ON c.id = b.client_id
             WHERE b.net > 0 AND b.oldest_open < ?1{} ORDER BY b.oldest_open",
            scope.and("b.client_id", 2)
        ))?;
        let before = date_text(before);
        let rows = stmt
            .query_map(&*scope.params(&[&before]), |r| {
                let name: String = r.get(1)?;
                let preferred: Option<String> = r.get(2)?;
                let since = super::date(r, 4)?;
                Ok(crate::domain::attention::AttentionItem::BalanceDue {
                    client_id: r.get(0)?,
                    client: crate::domain::client::short_name(&name, preferred.as_deref()),
                    owed: currency.show(r.get(3)?),
                    since,
                    days: (today - since).num_days(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

/// What `check` finds wrong with the money records, in words: a kept balance that differs
/// from its ledger, payments applied beyond a charge or beyond what was paid, and a void that
/// did not take back its payments.
pub(crate) fn ledger_problems(conn: &Connection) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT client_id, SUM(from_lines), SUM(kept), SUM(has) FROM (
            SELECT client_id,
                CASE WHEN kind IN ('charge', 'adjustment', 'refund') THEN amount ELSE -amount END
                    AS from_lines, 0 AS kept, 0 AS has
            FROM ledger
            UNION ALL SELECT client_id, 0, net, 1 FROM balances)
         GROUP BY client_id HAVING SUM(from_lines) != SUM(kept) OR SUM(has) = 0",
    )?;
    let rows = stmt
        .query_map([], |r| {
            let has: i64 = r.get(3)?;
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                (has > 0).then_some(r.get::<_, i64>(2)?),
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (client, ledger, kept) in rows {
        problems.push(match kept {
            Some(k) => format!(
                "Client {client}: the balance kept ({k}) differs from their ledger ({ledger}, in minor units)."
            ),
            None => format!("Client {client}: has money lines but no balance kept."),
        });
    }
    let mut stmt = conn.prepare(
        "SELECT l.id, l.client_id FROM ledger l
         JOIN (SELECT debit_id, SUM(amount) AS paid FROM applications GROUP BY debit_id) a ON a.debit_id = l.id
         WHERE a.paid < 0 OR a.paid > ABS(l.amount)
            OR (a.paid != 0 AND EXISTS (SELECT 1 FROM ledger v WHERE v.ref_id = l.id AND v.kind = 'void'))",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (line, client) in rows {
        problems.push(format!(
            "Client {client}: charge {line} has payments applied beyond what it is (or after its void)."
        ));
    }
    let mut stmt = conn.prepare(
        "SELECT l.id, l.client_id FROM ledger l
         JOIN (SELECT credit_id, SUM(amount) AS used FROM applications GROUP BY credit_id) a ON a.credit_id = l.id
         WHERE a.used < 0 OR a.used > ABS(l.amount)
            - COALESCE((SELECT SUM(r.amount) FROM ledger r WHERE r.ref_id = l.id AND r.kind = 'refund'), 0)",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (line, client) in rows {
        problems.push(format!(
            "Client {client}: payment {line} is applied beyond what was paid less refunds."
        ));
    }
    Ok(problems)
}

/// For tests: open credits of a client (available credit, summed).
#[cfg(test)]
pub(crate) fn free_credit(conn: &Connection, client_id: i64) -> i64 {
    super::billing::open_credits(conn, client_id)
        .map(|c| c.iter().map(|c| c.available).sum())
        .unwrap_or(-1)
}
