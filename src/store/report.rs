//! Attendance reports, definitions in [`crate::domain::attendance`].
//!
//! The monthly counts come from the kept figures ([`super::report_counts`], migration 013), so a
//! report over any months reads a few rows whatever the size of the practice; the flags come
//! from each client's kept recent attendance ([`super::flag_history`], migration 018), and a
//! client's own line is counted from the sessions (indexes: migration 007).

use std::str::FromStr;

use chrono::{Duration, NaiveDateTime};

use super::attention::Scope;
use super::{Result, Store, StoreError};
use crate::domain::attendance::{
    Counted, FLAG_HISTORY, FlaggedClient, LONG_NOTICE_HOURS, Month, MonthFigures, NoticeBand,
    Report, RequestFacts, Requests, SHORT_NOTICE_HOURS, StatusCounts, TimeOfDay, flags,
    flags_as_at,
};
use crate::domain::attention::AttentionItem;
use crate::domain::cancellation::{CancelOutcome, CancelledBy, Reason};
use crate::domain::client::short_name;
use crate::domain::session::SessionStatus;
use crate::domain::time::format_local;

/// 1 when session `s` was cancelled at the practitioner's request: a cancellation record by the
/// practitioner, not reverted, ended in the session's (cancelled) status.
const BY_PRACTITIONER: &str = "(s.status IN ('cancelled', 'late_cancelled') AND EXISTS (
    SELECT 1 FROM cancellations pc WHERE pc.session_id = s.id AND pc.by = 'practitioner'
      AND pc.outcome = s.status AND pc.reverted_at IS NULL))";

/// The statuses that can count in the rate (before practitioner cancellations are taken out).
fn counted_status_list() -> String {
    quoted(
        SessionStatus::ALL
            .iter()
            .filter(|s| Counted::of(**s, false).is_some()),
    )
}

fn quoted<'a, T: std::fmt::Display + 'a>(it: impl Iterator<Item = &'a T>) -> String {
    it.map(|w| format!("'{w}'")).collect::<Vec<_>>().join(", ")
}

pub(crate) fn parse<T: FromStr>(s: &str) -> rusqlite::Result<T>
where
    T::Err: std::fmt::Display,
{
    s.parse().map_err(|e: T::Err| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            e.to_string().into(),
        )
    })
}

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A client's attendance over time, for the client view.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClientAttendance {
    /// Month by month over the client's history (at most the last 24 months), oldest first.
    pub months: Vec<(Month, StatusCounts)>,
    /// All their sessions.
    pub total: StatusCounts,
    /// Their cancellation requests, every way the report breaks them down.
    pub requests: Requests,
}

impl Store {
    /// Month by month: sessions by status, requests and saves (from the kept figures).
    pub fn month_figures(&self, from: Month, to: Month) -> Result<Vec<(Month, MonthFigures)>> {
        let mut out = self.month_sessions(from, to)?;
        for ((_, f), q) in out.iter_mut().zip(self.kept_month_requests(from, to)?) {
            f.requests = q.total;
            f.client_requests = q.by_client;
            f.saved = q.saved();
        }
        Ok(out)
    }

    /// Month by month, sessions only (requests and saves left at 0).
    fn month_sessions(&self, from: Month, to: Month) -> Result<Vec<(Month, MonthFigures)>> {
        Ok(self
            .kept_status_by_month(from, to)?
            .into_iter()
            .map(|(m, sessions)| {
                (
                    m,
                    MonthFigures {
                        sessions,
                        ..Default::default()
                    },
                )
            })
            .collect())
    }

    /// Cancellation requests for sessions scheduled in `[from, to]`, every way the report
    /// breaks them down (from the kept figures).
    pub fn requests_between(&self, from: Month, to: Month) -> Result<Requests> {
        self.kept_requests(from, to)
    }

    fn requests_where(
        &self,
        join: &str,
        filter: &str,
        params: impl rusqlite::Params,
    ) -> Result<Requests> {
        // Weekday and hour come out raw; the domain says what they mean. The notice band needs
        // its bounds here: they are the domain's constants, bound as parameters.
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT c.by, c.reason, c.outcome, strftime('%w', s.starts_at),
                    CAST(substr(s.starts_at, 12, 2) AS INTEGER),
                    CASE WHEN c.notice_hours >= {SHORT_NOTICE_HOURS:?} THEN
                         CASE WHEN c.notice_hours <= {LONG_NOTICE_HOURS:?} THEN 1 ELSE 2 END
                    ELSE 0 END,
                    count(*)
             FROM {join}
             WHERE {filter}
             GROUP BY 1, 2, 3, 4, 5, 6"
        ))?;
        let mut rows = stmt.query(params)?;
        let mut out = Requests::default();
        while let Some(r) = rows.next()? {
            let by: CancelledBy = parse(&r.get::<_, String>(0)?)?;
            let reason: Reason = parse(&r.get::<_, String>(1)?)?;
            let outcome: CancelOutcome = parse(&r.get::<_, String>(2)?)?;
            // strftime %w: 0 = Sunday; the domain counts Monday first.
            let sunday_first: usize = r.get::<_, String>(3)?.parse().unwrap_or(0);
            let hour: u32 = r.get(4)?;
            let band = usize::try_from(r.get::<_, i64>(5)?).unwrap_or(0);
            let facts = RequestFacts {
                by,
                reason,
                outcome,
                weekday: (sunday_first + 6) % 7,
                time_of_day: TimeOfDay::of_hour(hour),
                notice: NoticeBand::ALL[band.min(2)],
            };
            out.add(&facts, count(r.get(6)?));
        }
        Ok(out)
    }

    /// Clients seen (a counted session) in `[seen_from, as_at)` whose latest counted sessions
    /// before `as_at` trip a flag rule. `open_only` leaves out discharged and referred-out
    /// clients. One entry per rule that fired, by name.
    pub fn flagged_clients(
        &self,
        seen_from: NaiveDateTime,
        as_at: NaiveDateTime,
        open_only: bool,
    ) -> Result<Vec<FlaggedClient>> {
        self.flagged_in(seen_from, as_at, open_only, Scope::Practice)
    }

    fn flagged_in(
        &self,
        seen_from: NaiveDateTime,
        as_at: NaiveDateTime,
        open_only: bool,
        scope: Scope,
    ) -> Result<Vec<FlaggedClient>> {
        self.flagged_kept(seen_from, as_at, open_only, scope)
    }

    /// The flagged clients read afresh from the sessions: what the kept lines of
    /// [`super::flag_history`] stand in for (and are compared with in tests and benches).
    pub fn flagged_fresh(
        &self,
        seen_from: NaiveDateTime,
        as_at: NaiveDateTime,
        open_only: bool,
        scope: Scope,
    ) -> Result<Vec<FlaggedClient>> {
        let counted = counted_status_list();
        // The whole practice is read by date; one client through their own sessions.
        let sessions = match scope {
            Scope::Practice => "sessions s INDEXED BY sessions_by_start_status_client",
            Scope::Client(_) => "sessions s",
        };
        let only = scope.and("s.client_id", 3);
        let open = if open_only {
            "AND cl.status IN ('active', 'on_hold')"
        } else {
            ""
        };
        let mut stmt = self.conn().prepare_cached(&format!(
            "WITH seen AS (
                 SELECT DISTINCT s.client_id FROM {sessions}
                 WHERE s.starts_at >= ?1 AND s.starts_at < ?2 AND s.status IN ({counted})
                   AND NOT {BY_PRACTITIONER}{only})
             SELECT cl.id, cl.name,
                 (SELECT group_concat(h.status, ',' ORDER BY h.starts_at DESC, h.id DESC) || ';' || max(h.starts_at)
                  FROM (SELECT s.id, s.status, s.starts_at FROM sessions s
                        WHERE s.client_id = seen.client_id AND s.starts_at < ?2
                          AND s.status IN ({counted}) AND NOT {BY_PRACTITIONER}
                        ORDER BY s.starts_at DESC, s.id DESC LIMIT {FLAG_HISTORY}) h)
             FROM seen JOIN clients cl ON cl.id = seen.client_id {open}"
        ))?;
        let (from, to) = (format_local(seen_from), format_local(as_at));
        let mut rows = stmt.query(&*scope.params(&[&from, &to]))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let Some(history) = r.get::<_, Option<String>>(2)? else {
                continue;
            };
            let (list, last) = history.split_once(';').unwrap_or((&history, ""));
            let mut newest_first = Vec::with_capacity(FLAG_HISTORY);
            for w in list.split(',') {
                let status: SessionStatus = parse(w)?;
                if let Some(c) = Counted::of(status, false) {
                    newest_first.push(c);
                }
            }
            let fired = flags(&newest_first);
            if fired.is_empty() {
                continue;
            }
            let last_session = crate::domain::time::read_stored_local(last).unwrap_or(as_at);
            out.extend(FlaggedClient::each(
                r.get(0)?,
                r.get(1)?,
                fired,
                last_session,
            ));
        }
        sort_flagged(&mut out);
        Ok(out)
    }

    /// The attendance report for the months `[from, to]`. Flags are as at the end of `to`
    /// (or `now`, if sooner), for the clients seen in `to`.
    pub fn attendance_report(&self, from: Month, to: Month, now: NaiveDateTime) -> Result<Report> {
        if to < from {
            return Err(StoreError::Refused(format!(
                "The report runs from {} to {}: the end is before the start.",
                from.key(),
                to.key()
            )));
        }
        let requests = self.requests_between(from, to)?;
        let months = if from == to {
            // One month: its request figures are the breakdown's; no second join needed.
            let mut m = self.month_sessions(from, to)?;
            for (_, f) in &mut m {
                f.requests = requests.total;
                f.client_requests = requests.by_client;
                f.saved = requests.saved();
            }
            m
        } else {
            self.month_figures(from, to)?
        };
        let mut sessions = StatusCounts::default();
        for (_, f) in &months {
            sessions.merge(&f.sessions);
        }
        let as_at = flags_as_at(to, now);
        let flagged = if as_at > to.start() {
            self.flagged_clients(to.start(), as_at, false)?
        } else {
            Vec::new()
        };
        Ok(Report {
            from,
            to,
            as_at,
            sessions,
            requests,
            months,
            flagged,
        })
    }

    /// Today's "needs attention" items for attendance: open clients seen in the last 30 days
    /// whose attendance trips a rule now.
    pub fn attendance_attention(&self, now: NaiveDateTime) -> Result<Vec<AttentionItem>> {
        self.attendance_attention_in(now, Scope::Practice)
    }

    /// [`Store::attendance_attention`] for the practice or one client.
    pub fn attendance_attention_in(
        &self,
        now: NaiveDateTime,
        scope: Scope,
    ) -> Result<Vec<AttentionItem>> {
        let flagged = self.flagged_in(now - Duration::days(30), now, true, scope)?;
        let mut names = self
            .conn()
            .prepare_cached("SELECT name, preferred_name FROM clients WHERE id = ?1")?;
        let mut out = Vec::with_capacity(flagged.len());
        for f in flagged {
            let client = names.query_row([f.client_id], |r| {
                let n: String = r.get(0)?;
                let p: Option<String> = r.get(1)?;
                Ok(short_name(&n, p.as_deref()))
            })?;
            out.push(AttentionItem::Attendance {
                client_id: f.client_id,
                client,
                flag: f.flag,
                last_session: f.last_session,
            });
        }
        Ok(out)
    }

    /// One client's attendance, month by month over (at most) their last 24 months, and their
    /// cancellation requests.
    pub fn client_attendance(&self, client_id: i64) -> Result<ClientAttendance> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT substr(s.starts_at, 1, 7), s.status, {BY_PRACTITIONER}, count(*)
             FROM sessions s WHERE s.client_id = ?1
             GROUP BY 1, 2, 3 ORDER BY 1"
        ))?;
        let mut rows = stmt.query([client_id])?;
        let mut by_month: Vec<(Month, StatusCounts)> = Vec::new();
        let mut total = StatusCounts::default();
        while let Some(r) = rows.next()? {
            let month = Month::parse(&r.get::<_, String>(0)?).map_err(StoreError::Refused)?;
            let status: SessionStatus = parse(&r.get::<_, String>(1)?)?;
            let by_practitioner: bool = r.get(2)?;
            let n = count(r.get(3)?);
            if by_month.last().map(|(m, _)| *m) != Some(month) {
                by_month.push((month, StatusCounts::default()));
            }
            if let Some((_, c)) = by_month.last_mut() {
                c.add(status, by_practitioner, n);
            }
            total.add(status, by_practitioner, n);
        }
        // Every month from the first to the last, gaps included, at most 24.
        let months = match (by_month.first(), by_month.last()) {
            (Some((first, _)), Some((last, _))) => {
                let start = (*first).max(last.plus(-23));
                start
                    .through(*last)
                    .map(|m| {
                        let c = by_month
                            .iter()
                            .find(|(x, _)| *x == m)
                            .map(|(_, c)| *c)
                            .unwrap_or_default();
                        (m, c)
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
        // The future sessions a discharge cancelled (its own cancellation records, written by
        // the practitioner at the discharge's instant) are not the client's cancellations.
        let requests = self.requests_where(
            "sessions s CROSS JOIN cancellations c ON c.session_id = s.id AND c.reverted_at IS NULL",
            "s.client_id = ?1 AND NOT (c.by = 'practitioner' AND EXISTS (
                 SELECT 1 FROM discharges d
                 WHERE d.client_id = s.client_id AND d.created_at = c.created_at))",
            [client_id],
        )?;
        Ok(ClientAttendance {
            months,
            total,
            requests,
        })
    }
}

/// Flagged clients in the order they are listed: by name, then id, then rule.
pub(crate) fn sort_flagged(out: &mut [FlaggedClient]) {
    out.sort_by(|a, b| {
        a.name
            .cmp(&b.name)
            .then(a.client_id.cmp(&b.client_id))
            .then(a.flag.rule().cmp(&b.flag.rule()))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_local;

    fn at(s: &str) -> NaiveDateTime {
        parse_local(s).unwrap()
    }

    use crate::store::fixtures::{session, two_clients as store};

    fn cancellation(s: &Store, session: i64, by: &str, reason: &str, outcome: &str, notice: f64) {
        s.conn()
            .execute(
                "INSERT INTO cancellations (session_id, requested_at, by, reason, notice_hours, outcome, created_at)
                 VALUES (?1, '2026-01-01T00:00:00Z', ?2, ?3, ?4, ?5, 'x')",
                (session, by, reason, notice, outcome),
            )
            .unwrap();
    }

    #[test]
    fn a_month_counts_by_status_and_leaves_out_practitioner_cancellations() {
        let s = store();
        session(&s, 1, 1, "2026-10-01T09:00", "attended");
        session(&s, 2, 1, "2026-10-08T12:00", "late");
        session(&s, 3, 1, "2026-10-15T17:00", "no_show");
        session(&s, 4, 1, "2026-10-22T09:00", "cancelled");
        cancellation(&s, 4, "practitioner", "own_illness", "cancelled", 48.0);
        session(&s, 5, 1, "2026-10-29T09:00", "rescheduled");
        cancellation(&s, 5, "client", "work", "rescheduled", 24.0);
        session(&s, 6, 1, "2026-10-30T09:00", "attended"); // the new time
        session(&s, 7, 2, "2026-10-31T23:59", "late_cancelled");
        cancellation(&s, 7, "client", "travel", "late_cancelled", 2.0);
        session(&s, 8, 2, "2026-11-01T00:00", "attended"); // next month
        let m = Month::parse("2026-10").unwrap();
        let r = s.attendance_report(m, m, at("2026-11-23 09:00")).unwrap();
        let c = r.sessions;
        assert_eq!(
            (
                c.attended,
                c.late,
                c.no_show,
                c.cancelled,
                c.late_cancelled,
                c.rescheduled
            ),
            (2, 1, 1, 1, 1, 1)
        );
        assert_eq!(c.by_practitioner, 1);
        assert_eq!(c.total(), 7);
        // (2 + 1) / (2 + 1 + 1 + 0 + 1)
        assert_eq!(r.attendance_rate(), Some(0.6));
        let q = r.requests;
        assert_eq!(q.total, 3);
        assert_eq!((q.by_client, q.by_practitioner), (2, 1));
        assert_eq!(q.saved_rescheduled, 1);
        assert_eq!(q.save_rate(), Some(0.5));
        assert_eq!(q.by_notice, [1, 2, 0]);
        // Thu 22 Oct morning, Thu 29 Oct morning, Sat 31 Oct evening.
        assert_eq!(q.by_weekday, [0, 0, 0, 2, 0, 1, 0]);
        assert_eq!(q.by_time_of_day, [2, 0, 1]);
        assert_eq!(r.months.len(), 1);
        assert_eq!(r.months[0].1.requests, 3);
        assert_eq!(r.months[0].1.saved, 1);
    }

    #[test]
    fn an_empty_range_has_every_month_and_no_rates() {
        let s = store();
        let r = s
            .attendance_report(
                Month::parse("2026-01").unwrap(),
                Month::parse("2026-03").unwrap(),
                at("2026-11-23 09:00"),
            )
            .unwrap();
        assert!(r.is_empty());
        assert_eq!(r.months.len(), 3);
        assert_eq!(r.attendance_rate(), None);
        assert_eq!(r.requests.save_rate(), None);
        assert!(
            s.attendance_report(
                Month::parse("2026-03").unwrap(),
                Month::parse("2026-01").unwrap(),
                at("2026-11-23 09:00")
            )
            .is_err()
        );
    }

    #[test]
    fn flags_use_past_counted_sessions_as_at_the_end_of_the_range() {
        let s = store();
        // Ruth: 10 attended, then 10 with 3 no-shows and 2 (practitioner) cancellations that
        // do not count.
        let mut id = 1;
        let mut day = at("2026-01-05 10:00");
        for st in ["attended"; 10] {
            session(&s, id, 1, &format_local(day), st);
            id += 1;
            day += Duration::days(7);
        }
        for st in [
            "no_show",
            "no_show",
            "cancelled",
            "no_show",
            "attended",
            "attended",
            "attended",
            "attended",
            "attended",
            "attended",
            "attended",
        ] {
            session(&s, id, 1, &format_local(day), st);
            if st == "cancelled" {
                cancellation(&s, id, "practitioner", "other", "cancelled", 100.0);
            }
            id += 1;
            day += Duration::days(7);
        }
        let last = Month::of(day - Duration::days(7));
        let r = s
            .attendance_report(last, last, at("2026-12-31 09:00"))
            .unwrap();
        assert_eq!(r.flagged.len(), 1, "{:?}", r.flagged);
        assert_eq!(
            r.flagged[0].flag.detail(),
            "last 10: 70%, the 10 before: 100%"
        );
        assert_eq!(r.flagged[0].name, "Ruth Morgan");
        // As at a moment before the misses, nothing fired.
        let early = Month::parse("2026-02").unwrap();
        assert!(
            s.attendance_report(early, early, at("2026-12-31 09:00"))
                .unwrap()
                .flagged
                .is_empty()
        );
        // Today's list sees her while she is open.
        let items = s.attendance_attention(day).unwrap();
        assert_eq!(items.len(), 1);
        assert!(items[0].line().contains("Ruth M."), "{}", items[0].line());
    }

    #[test]
    fn a_client_line_has_every_month_and_their_reasons() {
        let s = store();
        session(&s, 1, 2, "2026-01-05T10:00", "attended");
        session(&s, 2, 2, "2026-03-05T10:00", "cancelled");
        cancellation(&s, 2, "client", "travel", "cancelled", 10.0);
        let a = s.client_attendance(2).unwrap();
        assert_eq!(a.months.len(), 3);
        assert_eq!(a.months[1].1.total(), 0);
        assert_eq!(a.total.attendance_rate(), Some(0.5));
        assert_eq!(a.requests.reason(Reason::Travel), 1);
        assert_eq!(s.client_attendance(1).unwrap(), ClientAttendance::default());
    }
}
