//! The income report: billed (charges less their voids, by the session's date), collected
//! (payments less refunds, by their date), what is owed today by age, fees waived and why,
//! late-cancellation and no-show fees charged against waived, by service and month by month.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::billing::currency_in;
use super::{Result, Store, date_text};
use crate::domain::attendance::Month;
use crate::domain::billing::age_band;
use crate::domain::money::Currency;

/// Money owed today, by the age of each unpaid charge.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Outstanding {
    pub days_0_30: i64,
    pub days_31_60: i64,
    pub days_61_90: i64,
    pub over_90: i64,
    pub total: i64,
}

/// Fees waived for one cancellation reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaivedReason {
    pub reason: String,
    pub count: i64,
    pub amount: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Waived {
    pub count: i64,
    pub amount: i64,
    pub by_reason: Vec<WaivedReason>,
}

/// A kind of fee charged against waived (waived in the cancellation flow, or charged and
/// then voided).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FeeFigures {
    pub charged_count: i64,
    pub charged: i64,
    pub waived_count: i64,
    pub waived: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceIncome {
    pub code: String,
    pub name: String,
    /// Charges that stand (not voided).
    pub charges: i64,
    pub billed: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthIncome {
    pub month: String,
    pub billed: i64,
    pub collected: i64,
}

/// The income report. JSON keys are a contract (see the README).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Income {
    pub currency: Currency,
    pub from: String,
    pub to: String,
    pub billed: i64,
    pub collected: i64,
    pub adjustments: i64,
    /// The day `outstanding` is counted on (today).
    pub as_of: NaiveDate,
    pub outstanding: Outstanding,
    pub waived: Waived,
    pub late_cancellation: FeeFigures,
    pub no_show: FeeFigures,
    pub by_service: Vec<ServiceIncome>,
    pub months: Vec<MonthIncome>,
}

impl Store {
    /// The income report for the months `from..=to`; what is owed is counted on `today`.
    pub fn income(&self, from: Month, to: Month, today: NaiveDate) -> Result<Income> {
        let conn = self.conn();
        let currency = currency_in(conn)?;
        let lo = date_text(from.first_day());
        let hi = date_text(to.next().first_day());
        let mut months: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        let mut m = from;
        while m <= to {
            months.insert(m.key(), (0, 0));
            m = m.next();
        }
        let mut late = FeeFigures::default();
        let mut no_show = FeeFigures::default();
        let mut by_service: BTreeMap<String, ServiceIncome> = BTreeMap::new();
        // The ledger, then the amounts kept of disposed records (issue 18): the same figures.
        for sql in [
            "SELECT substr(c.on_date, 1, 7), c.basis, s.code, s.name, count(*), SUM(c.amount),
                SUM(v.id IS NOT NULL), SUM(CASE WHEN v.id IS NULL THEN 0 ELSE c.amount END)
             FROM ledger c INDEXED BY ledger_by_date
             LEFT JOIN ledger v ON v.ref_id = c.id AND v.kind = 'void'
             LEFT JOIN services s ON s.id = c.service_id
             WHERE c.on_date >= ?1 AND c.on_date < ?2 AND c.kind = 'charge'
             GROUP BY 1, 2, 3",
            "SELECT substr(c.on_date, 1, 7), c.basis, s.code, s.name, count(*), SUM(c.amount),
                SUM(v.id IS NOT NULL), SUM(CASE WHEN v.id IS NULL THEN 0 ELSE c.amount END)
             FROM disposed_money c
             LEFT JOIN disposed_money v
                 ON v.client_id = c.client_id AND v.ref_id = c.ledger_id AND v.kind = 'void'
             LEFT JOIN services s ON s.id = c.service_id
             WHERE c.on_date >= ?1 AND c.on_date < ?2 AND c.kind = 'charge'
             GROUP BY 1, 2, 3",
        ] {
            let mut stmt = conn.prepare_cached(sql)?;
            let rows = stmt.query_map((&lo, &hi), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, i64>(6)?,
                    r.get::<_, i64>(7)?,
                ))
            })?;
            for row in rows {
                let (month, basis, code, name, n, sum, voided_n, voided) = row?;
                let billed = sum - voided;
                if let Some(e) = months.get_mut(&month) {
                    e.0 += billed;
                }
                let fees = match basis.as_str() {
                    "late_cancel" => Some(&mut late),
                    "no_show" => Some(&mut no_show),
                    _ => None,
                };
                if let Some(f) = fees {
                    f.charged_count += n - voided_n;
                    f.charged += billed;
                    f.waived_count += voided_n;
                    f.waived += voided;
                }
                let code = code.unwrap_or_default();
                let e = by_service.entry(code.clone()).or_insert(ServiceIncome {
                    code,
                    name: name.unwrap_or_default(),
                    charges: 0,
                    billed: 0,
                });
                e.charges += n - voided_n;
                e.billed += billed;
            }
        }
        let mut stmt = conn.prepare_cached(
            "SELECT substr(on_date, 1, 7), kind, SUM(amount) FROM ledger INDEXED BY ledger_by_date
             WHERE on_date >= ?1 AND on_date < ?2 AND kind IN ('payment', 'refund', 'adjustment')
             GROUP BY 1, 2
             UNION ALL
             SELECT substr(on_date, 1, 7), kind, SUM(amount) FROM disposed_money
             WHERE on_date >= ?1 AND on_date < ?2 AND kind IN ('payment', 'refund', 'adjustment')
             GROUP BY 1, 2",
        )?;
        let rows = stmt.query_map((&lo, &hi), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        let mut adjustments = 0;
        for row in rows {
            let (month, kind, sum) = row?;
            match kind.as_str() {
                "adjustment" => adjustments += sum,
                k => {
                    if let Some(e) = months.get_mut(&month) {
                        e.1 += if k == "payment" { sum } else { -sum };
                    }
                }
            }
        }
        let mut waived = Waived::default();
        let mut stmt = conn.prepare_cached(
            "SELECT COALESCE(reason, 'other'), basis, count(*), SUM(amount) FROM waived_fees
             WHERE on_date >= ?1 AND on_date < ?2
               AND NOT EXISTS (SELECT 1 FROM cancellations c
                   WHERE c.id = waived_fees.cancellation_id AND c.reverted_at IS NOT NULL)
             GROUP BY 1, 2 ORDER BY 4 DESC, 1",
        )?;
        let rows = stmt.query_map((&lo, &hi), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?;
        for row in rows {
            let (reason, basis, n, sum) = row?;
            waived.count += n;
            waived.amount += sum;
            match waived.by_reason.iter_mut().find(|w| w.reason == reason) {
                Some(w) => {
                    w.count += n;
                    w.amount += sum;
                }
                None => waived.by_reason.push(WaivedReason {
                    reason,
                    count: n,
                    amount: sum,
                }),
            }
            let f = if basis == "no_show" {
                &mut no_show
            } else {
                &mut late
            };
            f.waived_count += n;
            f.waived += sum;
        }
        let outstanding = self.outstanding(today)?;
        let months: Vec<MonthIncome> = months
            .into_iter()
            .map(|(month, (billed, collected))| MonthIncome {
                month,
                billed,
                collected,
            })
            .collect();
        Ok(Income {
            currency,
            from: from.key(),
            to: to.key(),
            billed: months.iter().map(|m| m.billed).sum(),
            collected: months.iter().map(|m| m.collected).sum(),
            adjustments,
            as_of: today,
            outstanding,
            waived,
            late_cancellation: late,
            no_show,
            by_service: by_service.into_values().collect(),
            months,
        })
    }

    /// What is owed today across the practice, by the age of each unpaid charge. Reads only
    /// the clients who owe, from the day of their oldest unpaid charge (kept in `balances`).
    pub fn outstanding(&self, today: NaiveDate) -> Result<Outstanding> {
        let mut out = Outstanding::default();
        let mut stmt = self.conn().prepare_cached(
            "SELECT l.on_date,
                l.amount - COALESCE((SELECT SUM(a.amount) FROM applications a WHERE a.debit_id = l.id), 0) AS remaining
             FROM balances b INDEXED BY balances_owed
             JOIN ledger l INDEXED BY ledger_by_client
                ON l.client_id = b.client_id AND l.on_date >= b.oldest_open
             WHERE b.net > 0
               AND (l.kind = 'charge' OR (l.kind = 'adjustment' AND l.amount > 0))
               AND NOT EXISTS (SELECT 1 FROM ledger v WHERE v.ref_id = l.id AND v.kind = 'void')
               AND remaining > 0",
        )?;
        let rows = stmt.query_map([], |r| Ok((super::date(r, 0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (on, remaining) = row?;
            let slot = match age_band((today - on).num_days()) {
                0 => &mut out.days_0_30,
                1 => &mut out.days_31_60,
                2 => &mut out.days_61_90,
                _ => &mut out.over_90,
            };
            *slot += remaining;
            out.total += remaining;
        }
        Ok(out)
    }
}
