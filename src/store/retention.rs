//! Retention: each client's keep-until date, overrides set by hand, legal holds, and the
//! needs-attention reminders for records due for disposal and for a new handover archive
//! (migration 015). The rule itself lives in [`crate::domain::retention`].

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rusqlite::{OptionalExtension, Transaction};

use super::{Result, Store, StoreError, audit::audit, date_text, opt_date, word};
use crate::domain::ValidationError;
use crate::domain::attention::AttentionItem;
use crate::domain::client::ClientStatus;
use crate::domain::retention::{
    self as rule, ADULT_YEARS_KEY, DEFAULT_ADULT_YEARS, DEFAULT_HANDOVER_REMIND_MONTHS,
    DEFAULT_MAJORITY_AGE, DEFAULT_MINOR_YEARS, HANDOVER_REMIND_KEY, KeepUntil, MAJORITY_AGE_KEY,
    MINOR_YEARS_KEY, REVIEWED_MONTH_KEY, RetentionFacts, RetentionRules, Rule,
};
use crate::domain::time::format_instant;

/// One client's line in the retention list (`caseload retention list --json`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RetentionRow {
    pub client_id: i64,
    pub name: String,
    pub last_contact: NaiveDate,
    pub keep_until: NaiveDate,
    pub rule: Rule,
    /// The reason of a legal hold, or none.
    pub hold: Option<String>,
    #[serde(skip)]
    pub status: ClientStatus,
    #[serde(skip)]
    pub facts: RetentionFacts,
}

impl RetentionRow {
    /// Whether the record may be disposed of on `today`.
    pub fn due(&self, today: NaiveDate) -> bool {
        rule::is_due(
            self.keep_until,
            today,
            self.hold.is_some(),
            matches!(self.status, ClientStatus::Active | ClientStatus::OnHold),
        )
    }
}

/// Every client's dates, with the retention row when there is one.
// Each latest or earliest is `max(col)` / `min(col)` of an indexed column, cut to the day
// afterwards: SQLite then reads one index entry (or a few) per client instead of all their rows
// (the whole list took 48 ms on a 250,000-session practice; the texts sort as their times do).
const ROWS: &str = "SELECT c.id, c.name, c.born, c.intake_date, c.status,
        substr((SELECT max(starts_at) FROM sessions
          WHERE client_id = c.id AND status IN ('attended', 'late')), 1, 10),
        substr((SELECT min(starts_at) FROM sessions
          WHERE client_id = c.id AND status IN ('attended', 'late')), 1, 10),
        substr((SELECT max(created_at) FROM notes WHERE client_id = c.id), 1, 10),
        (SELECT max(administered_at) FROM assessments WHERE client_id = c.id),
        (SELECT max(discharged_on) FROM discharges WHERE client_id = c.id),
        r.keep_until, r.hold_reason
    FROM clients c LEFT JOIN retention r ON r.client_id = c.id";

fn row_from(r: &rusqlite::Row<'_>, rules: &RetentionRules) -> rusqlite::Result<RetentionRow> {
    let intake = super::date(r, 3)?;
    let contacts = [
        opt_date(r, 5)?,
        opt_date(r, 7)?,
        opt_date(r, 8)?,
        opt_date(r, 9)?,
    ];
    let last_contact = contacts.into_iter().flatten().max().unwrap_or(intake);
    let first_contact = opt_date(r, 6)?.map_or(intake, |d| d.min(intake));
    let facts = RetentionFacts {
        born: opt_date(r, 2)?,
        first_contact,
        last_contact,
        override_until: opt_date(r, 10)?,
    };
    let KeepUntil { date, rule } = rule::keep_until(&facts, rules);
    Ok(RetentionRow {
        client_id: r.get(0)?,
        name: r.get(1)?,
        last_contact,
        keep_until: date,
        rule,
        hold: r.get(11)?,
        status: word(r, 4)?,
        facts,
    })
}

impl Store {
    /// The practice's retention rule (the example defaults until changed).
    pub fn retention_rules(&self) -> Result<RetentionRules> {
        Ok(RetentionRules {
            adult_years: self
                .setting(ADULT_YEARS_KEY)?
                .unwrap_or(DEFAULT_ADULT_YEARS),
            majority_age: self
                .setting(MAJORITY_AGE_KEY)?
                .unwrap_or(DEFAULT_MAJORITY_AGE),
            minor_years: self
                .setting(MINOR_YEARS_KEY)?
                .unwrap_or(DEFAULT_MINOR_YEARS),
        })
    }

    /// Changes the retention rule (checked; one transaction, audited).
    pub fn set_retention_rules(
        &mut self,
        rules: RetentionRules,
        now: DateTime<Utc>,
    ) -> Result<RetentionRules> {
        let rules = rules.validate()?;
        self.write(|tx| {
            for (key, v) in [
                (ADULT_YEARS_KEY, rules.adult_years),
                (MAJORITY_AGE_KEY, rules.majority_age),
                (MINOR_YEARS_KEY, rules.minor_years),
            ] {
                put_setting(tx, key, &v.to_string())?;
            }
            audit(
                tx,
                now,
                "retention_rule_changed",
                "practice",
                None,
                None,
                Some(&rules.describe()),
            )?;
            Ok(())
        })?;
        Ok(rules)
    }

    /// Months after which a new handover archive is due (0: no reminder).
    pub fn handover_remind_months(&self) -> Result<u32> {
        Ok(self
            .setting(HANDOVER_REMIND_KEY)?
            .unwrap_or(DEFAULT_HANDOVER_REMIND_MONTHS))
    }

    pub fn set_handover_remind_months(&mut self, months: u32) -> Result<()> {
        if months > 120 {
            return Err(ValidationError::one(
                "handover_months",
                format!(
                    "The handover reminder must be between 0 (off) and 120 months (got {months})."
                ),
            )
            .into());
        }
        self.set_setting(HANDOVER_REMIND_KEY, &months)
    }

    /// Every client's retention line, the earliest keep-until first.
    pub fn retention_list(&self) -> Result<Vec<RetentionRow>> {
        let rules = self.retention_rules()?;
        let mut stmt = self.conn().prepare_cached(ROWS)?;
        let mut rows = stmt
            .query_map([], |r| row_from(r, &rules))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.sort_by(|a, b| {
            (a.keep_until, a.name.to_lowercase(), a.client_id).cmp(&(
                b.keep_until,
                b.name.to_lowercase(),
                b.client_id,
            ))
        });
        Ok(rows)
    }

    /// One client's retention line.
    pub fn retention_of(&self, client_id: i64) -> Result<RetentionRow> {
        let rules = self.retention_rules()?;
        self.conn()
            .prepare_cached(&format!("{ROWS} WHERE c.id = ?1"))?
            .query_row([client_id], |r| row_from(r, &rules))
            .optional()?
            .ok_or(StoreError::NotFound {
                what: "client",
                id: client_id,
            })
    }

    /// Puts a legal hold on a client's record: it is not disposed of whatever the date.
    pub fn hold_record(&mut self, client_id: i64, reason: &str, now: DateTime<Utc>) -> Result<()> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(ValidationError::one(
                "reason",
                "A legal hold needs a reason (for example the request or case it is kept for).",
            )
            .into());
        }
        self.retention_of(client_id)?;
        self.write(|tx| {
            ensure_row(tx, client_id, now)?;
            tx.execute(
                "UPDATE retention SET hold_reason = ?2, hold_since = ?3, updated_at = ?3
                 WHERE client_id = ?1",
                (client_id, reason, format_instant(now)),
            )?;
            audit(
                tx,
                now,
                "legal_hold_set",
                "client",
                Some(client_id),
                Some(client_id),
                // The reason stays with the hold: the trail holds no free text about a client,
                // so that nothing of theirs outlives a disposal.
                Some("legal hold set (its reason is kept with the hold)"),
            )?;
            Ok(())
        })
    }

    /// Releases a legal hold. Refused when there is none.
    pub fn release_hold(&mut self, client_id: i64, now: DateTime<Utc>) -> Result<()> {
        let row = self.retention_of(client_id)?;
        if row.hold.is_none() {
            return Err(StoreError::Refused(format!(
                "{} has no legal hold, so there is nothing to release. Nothing was changed.",
                row.name
            )));
        }
        self.write(|tx| {
            tx.execute(
                "UPDATE retention SET hold_reason = NULL, hold_since = NULL, updated_at = ?2
                 WHERE client_id = ?1",
                (client_id, format_instant(now)),
            )?;
            audit(
                tx,
                now,
                "legal_hold_released",
                "client",
                Some(client_id),
                Some(client_id),
                None,
            )?;
            Ok(())
        })
    }

    /// Sets (or, with `None`, clears) a client's keep-until date by hand.
    pub fn set_keep_until(
        &mut self,
        client_id: i64,
        until: Option<NaiveDate>,
        now: DateTime<Utc>,
    ) -> Result<RetentionRow> {
        self.retention_of(client_id)?;
        self.write(|tx| {
            ensure_row(tx, client_id, now)?;
            tx.execute(
                "UPDATE retention SET keep_until = ?2, updated_at = ?3 WHERE client_id = ?1",
                (client_id, until.map(date_text), format_instant(now)),
            )?;
            let detail = match until {
                Some(d) => format!("keep until {} (set by hand)", date_text(d)),
                None => "keep-until set by the practice's rule again".to_string(),
            };
            audit(
                tx,
                now,
                "keep_until_changed",
                "client",
                Some(client_id),
                Some(client_id),
                Some(&detail),
            )?;
            Ok(())
        })?;
        self.retention_of(client_id)
    }

    /// Notes that the practitioner looked at the clients due for disposal this month, so the
    /// needs-attention reminder rests until next month.
    pub fn mark_retention_reviewed(&mut self, today: NaiveDate) -> Result<()> {
        let month = rule::month_of(today);
        if self.setting::<String>(REVIEWED_MONTH_KEY)?.as_deref() == Some(month.as_str()) {
            return Ok(());
        }
        self.set_setting(REVIEWED_MONTH_KEY, &month)
    }

    /// The day the newest handover archive was made, if any.
    pub fn newest_handover(&self) -> Result<Option<DateTime<Utc>>> {
        let at: Option<String> =
            self.conn()
                .query_row("SELECT max(made_at) FROM handovers", [], |r| r.get(0))?;
        Ok(at.and_then(|s| crate::domain::time::read_stored_instant(&s)))
    }

    /// The practice-wide reminders: records due for disposal (once a month, until the list is
    /// looked at) and a handover archive that is missing or old.
    pub fn retention_attention(&self, now: NaiveDateTime) -> Result<Vec<AttentionItem>> {
        let today = now.date();
        let mut items = Vec::new();
        let reviewed: Option<String> = self.setting(REVIEWED_MONTH_KEY)?;
        if reviewed.as_deref() != Some(rule::month_of(today).as_str()) {
            let due: Vec<RetentionRow> = self
                .retention_list()?
                .into_iter()
                .filter(|r| r.due(today))
                .collect();
            if let Some(first) = due.first() {
                items.push(AttentionItem::RetentionDue {
                    clients: due.len(),
                    since: first.keep_until,
                    noticed: now,
                });
            }
        }
        let months = self.handover_remind_months()?;
        let newest = self.newest_handover()?.map(|t| t.date_naive());
        if let Some(last) = newest.filter(|_| rule::handover_due(newest, today, months)) {
            items.push(AttentionItem::HandoverDue { last, noticed: now });
        }
        Ok(items)
    }
}

/// What stays of a disposed record (`caseload retention log --json`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Tombstone {
    pub client_id: i64,
    pub name: String,
    pub born: Option<NaiveDate>,
    pub first_contact: Option<NaiveDate>,
    pub last_contact: Option<NaiveDate>,
    pub keep_until: Option<NaiveDate>,
    pub disposed_on: NaiveDate,
    /// Who disposed of it (shown in the text list; not a key of the JSON).
    #[serde(skip)]
    pub disposed_by: String,
}

impl Store {
    /// The disposal log, the latest first.
    pub fn disposal_log(&self) -> Result<Vec<Tombstone>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT client_id, name, born, first_contact, last_contact, keep_until, disposed_on,
                    disposed_by
             FROM disposals ORDER BY disposed_on DESC, id DESC",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Tombstone {
                    client_id: r.get(0)?,
                    name: r.get(1)?,
                    born: opt_date(r, 2)?,
                    first_contact: opt_date(r, 3)?,
                    last_contact: opt_date(r, 4)?,
                    keep_until: opt_date(r, 5)?,
                    disposed_on: super::date(r, 6)?,
                    disposed_by: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

fn ensure_row(tx: &Transaction<'_>, client_id: i64, now: DateTime<Utc>) -> Result<()> {
    tx.execute(
        "INSERT OR IGNORE INTO retention (client_id, updated_at) VALUES (?1, ?2)",
        (client_id, format_instant(now)),
    )?;
    Ok(())
}

fn put_setting(tx: &Transaction<'_>, key: &str, json: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, json),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::fixtures::{session, two_clients};
    use chrono::TimeZone;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap()
    }

    fn at(s: &str) -> NaiveDateTime {
        crate::domain::time::parse_local(s).unwrap()
    }

    #[test]
    fn last_contact_is_the_latest_attended_session_note_assessment_or_discharge() {
        let s = two_clients();
        session(&s, 1, 1, "2018-03-01T09:00", "attended");
        session(&s, 2, 1, "2019-05-01T09:00", "no_show");
        session(&s, 3, 1, "2018-06-01T09:00", "late");
        let row = s.retention_of(1).unwrap();
        assert_eq!(row.last_contact, d("2018-06-01"));
        assert_eq!(row.keep_until, d("2025-06-01"));
        assert_eq!(row.rule, Rule::AfterLastContact);
        s.conn()
            .execute_batch(
                "INSERT INTO discharges (client_id, discharged_on, reason, to_status, created_at)
                 VALUES (1, '2018-09-30', 'goals_met', 'discharged', 'x');",
            )
            .unwrap();
        assert_eq!(s.retention_of(1).unwrap().last_contact, d("2018-09-30"));
        // No contact at all: the intake date.
        let other = s.retention_of(2).unwrap();
        assert_eq!(other.last_contact, d("2020-01-01"));
        assert_eq!(other.keep_until, d("2027-01-01"));
        assert!(matches!(
            s.retention_of(9),
            Err(StoreError::NotFound { id: 9, .. })
        ));
    }

    #[test]
    fn holds_and_overrides_are_audited_and_stop_or_move_disposal() {
        let mut s = two_clients();
        session(&s, 1, 1, "2018-03-01T09:00", "attended");
        s.conn()
            .execute("UPDATE clients SET status = 'discharged' WHERE id = 1", [])
            .unwrap();
        let today = d("2026-11-20");
        assert!(s.retention_of(1).unwrap().due(today));
        // Active clients are never due.
        assert!(!s.retention_of(2).unwrap().due(d("2040-01-01")));

        let err = s.hold_record(1, "  ", now()).unwrap_err();
        assert!(err.to_string().contains("needs a reason"));
        s.hold_record(1, "Court request 2026/114", now()).unwrap();
        let row = s.retention_of(1).unwrap();
        assert_eq!(row.hold.as_deref(), Some("Court request 2026/114"));
        assert!(!row.due(today));
        s.release_hold(1, now()).unwrap();
        assert!(s.retention_of(1).unwrap().due(today));
        let again = s.release_hold(1, now()).unwrap_err();
        assert!(again.to_string().contains("has no legal hold"));

        let row = s.set_keep_until(1, Some(d("2030-01-01")), now()).unwrap();
        assert_eq!(
            (row.keep_until, row.rule),
            (d("2030-01-01"), Rule::Override)
        );
        assert!(!row.due(today));
        let row = s.set_keep_until(1, None, now()).unwrap();
        assert_eq!(
            (row.keep_until, row.rule),
            (d("2025-03-01"), Rule::AfterLastContact)
        );

        let actions: Vec<String> = s
            .audit_entries(Some(1))
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(
            actions,
            [
                "legal_hold_set",
                "legal_hold_released",
                "keep_until_changed",
                "keep_until_changed"
            ]
        );
        assert!(matches!(
            s.hold_record(7, "x", now()),
            Err(StoreError::NotFound { id: 7, .. })
        ));
    }

    #[test]
    fn rules_are_settings_with_example_defaults() {
        let mut s = two_clients();
        assert_eq!(
            s.retention_rules().unwrap(),
            RetentionRules {
                adult_years: 7,
                majority_age: 18,
                minor_years: 7
            }
        );
        let bad = RetentionRules {
            adult_years: 7,
            majority_age: 31,
            minor_years: 7,
        };
        assert!(s.set_retention_rules(bad, now()).is_err());
        assert_eq!(s.retention_rules().unwrap().majority_age, 18);
        let r = RetentionRules {
            adult_years: 10,
            majority_age: 19,
            minor_years: 5,
        };
        s.set_retention_rules(r, now()).unwrap();
        assert_eq!(s.retention_rules().unwrap(), r);
        assert_eq!(s.retention_of(2).unwrap().keep_until, d("2030-01-01"));
        assert!(s.set_handover_remind_months(121).is_err());
        assert_eq!(s.handover_remind_months().unwrap(), 12);
    }

    #[test]
    fn reminders_come_once_a_month_and_when_the_archive_is_old() {
        let mut s = two_clients();
        session(&s, 1, 1, "2018-03-01T09:00", "attended");
        s.conn()
            .execute("UPDATE clients SET status = 'discharged' WHERE id = 1", [])
            .unwrap();
        let items = s.retention_attention(at("2026-11-20 09:00")).unwrap();
        assert_eq!(items.len(), 1, "{items:?}");
        assert_eq!(
            items[0].line(),
            "Records past their keep-until date · 1 client · since 1 Mar 2025"
        );
        s.mark_retention_reviewed(d("2026-11-02")).unwrap();
        assert!(
            s.retention_attention(at("2026-11-30 09:00"))
                .unwrap()
                .is_empty()
        );
        // Next month it comes back.
        assert_eq!(
            s.retention_attention(at("2026-12-01 09:00")).unwrap().len(),
            1
        );

        s.conn()
            .execute(
                "INSERT INTO handovers (made_at, custodian, file, sha256, clients)
                 VALUES ('2025-11-20T10:00:00Z', 'Dr Ana Ruiz', 'h.tar.age', 'x', 2)",
                [],
            )
            .unwrap();
        assert!(
            s.retention_attention(at("2026-11-19 09:00"))
                .unwrap()
                .is_empty()
        );
        let items = s.retention_attention(at("2026-11-20 09:00")).unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(
            items[0].line(),
            "Handover archive due · the newest is from 20 Nov 2025"
        );
        s.set_handover_remind_months(0).unwrap();
        assert!(
            s.retention_attention(at("2026-11-20 09:00"))
                .unwrap()
                .is_empty()
        );
    }
}
