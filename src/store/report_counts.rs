//! The report's kept monthly figures (migration 013): sessions by month × status × who
//! cancelled, and cancellation requests by month × breakdown. Triggers keep them in step with
//! every write in the same transaction; this module reads them, rebuilds them (after an import)
//! and compares them with a fresh count (`caseload check`).
//!
//! The definitions are those of [`crate::domain::attendance`]: the breakdown words are
//! [`RequestTally`]'s, and a property test (tests/report_props.rs) checks the kept figures
//! against a plain count after random writes.

use rusqlite::Connection;
use serde::Serialize;

use super::{Result, Store, StoreError};
use crate::domain::attendance::{Month, RequestTally, Requests, StatusCounts};
use crate::domain::session::SessionStatus;

/// The fresh counts, grouped as the kept tables are.
const FRESH_SESSIONS: &str =
    "SELECT month, status, by_practitioner, count(*) FROM report_session_facts
     GROUP BY 1, 2, 3";
const FRESH_REQUESTS: &str =
    "SELECT month, dim, key, count(*) FROM report_request_facts GROUP BY 1, 2, 3";

/// Counts the kept figures afresh from the sessions and cancellation records. Runs inside the
/// caller's transaction (an import calls it once its rows are in).
pub(crate) fn rebuild(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(&format!(
        "DELETE FROM report_sessions;
         INSERT INTO report_sessions (month, status, by_practitioner, n) {FRESH_SESSIONS};
         DELETE FROM report_requests;
         INSERT INTO report_requests (month, dim, key, n) {FRESH_REQUESTS};"
    ))?;
    super::flag_history::rebuild(conn)
}

/// What comparing the kept figures with a fresh count found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeptFiguresCheck {
    pub ok: bool,
    /// Each difference in words; empty when the kept figures equal a fresh count.
    pub problems: Vec<String>,
}

fn differences(conn: &Connection, kept: &str, fresh: &str, what: &str) -> Result<Vec<String>> {
    // Rows in one and not the other, both ways; a handful at most in practice.
    let sql = format!(
        "SELECT 'kept', * FROM (SELECT * FROM {kept} EXCEPT {fresh})
         UNION ALL
         SELECT 'fresh', * FROM ({fresh} EXCEPT SELECT * FROM {kept})
         ORDER BY 2, 3, 4 LIMIT 20"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let side: String = r.get(0)?;
        let month: String = r.get(1)?;
        let a: rusqlite::types::Value = r.get(2)?;
        let b: rusqlite::types::Value = r.get(3)?;
        let n: i64 = r.get(4)?;
        let key = format!("{} {}", show(&a), show(&b));
        out.push(if side == "kept" {
            format!("The kept {what} for {month} ({key}) say {n}, which a fresh count does not.")
        } else {
            format!(
                "A fresh count of {what} for {month} ({key}) gives {n}; the kept figures differ."
            )
        });
    }
    Ok(out)
}

fn show(v: &rusqlite::types::Value) -> String {
    match v {
        rusqlite::types::Value::Integer(i) => i.to_string(),
        rusqlite::types::Value::Text(t) => t.clone(),
        other => format!("{other:?}"),
    }
}

impl Store {
    /// Rebuilds the kept figures from a fresh count and compares: `ok` when they were equal.
    /// Reads only; the file is not changed.
    pub fn check_kept_figures(&self) -> Result<KeptFiguresCheck> {
        let mut problems = differences(
            self.conn(),
            "report_sessions",
            FRESH_SESSIONS,
            "session figures",
        )?;
        problems.extend(differences(
            self.conn(),
            "report_requests",
            FRESH_REQUESTS,
            "request figures",
        )?);
        problems.extend(self.check_attendance_history()?);
        if !problems.is_empty() {
            problems.push(
                "The kept report figures (the monthly counts and each client's recent attendance) are out of step with the records; the records themselves are unchanged. Run `caseload report recount` to count them afresh."
                    .into(),
            );
        }
        Ok(KeptFiguresCheck {
            ok: problems.is_empty(),
            problems,
        })
    }

    /// Counts the kept figures afresh, in one transaction.
    pub fn rebuild_kept_figures(&mut self) -> Result<()> {
        self.write(|tx| Ok(rebuild(tx)?))
    }

    /// Sessions by status for every month in `[from, to]` (empty months included), from the
    /// kept figures.
    pub(crate) fn kept_status_by_month(
        &self,
        from: Month,
        to: Month,
    ) -> Result<Vec<(Month, StatusCounts)>> {
        let mut out: Vec<(Month, StatusCounts)> = from
            .through(to)
            .map(|m| (m, StatusCounts::default()))
            .collect();
        let mut stmt = self.conn().prepare_cached(
            "SELECT month, status, by_practitioner, n FROM report_sessions
             WHERE month BETWEEN ?1 AND ?2",
        )?;
        let mut rows = stmt.query((from.key(), to.key()))?;
        while let Some(r) = rows.next()? {
            let month = Month::parse(&r.get::<_, String>(0)?).map_err(StoreError::Refused)?;
            let status: SessionStatus = super::report::parse(&r.get::<_, String>(1)?)?;
            let by_practitioner: bool = r.get(2)?;
            let n = count(r.get(3)?);
            let i = from.months_until(month);
            if let Some((_, c)) = usize::try_from(i).ok().and_then(|i| out.get_mut(i)) {
                c.add(status, by_practitioner, n);
            }
        }
        Ok(out)
    }

    /// Requests in `[from, to]`, every way the report breaks them down, from the kept figures.
    pub(crate) fn kept_requests(&self, from: Month, to: Month) -> Result<Requests> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT dim, key, sum(n) FROM report_requests WHERE month BETWEEN ?1 AND ?2
             GROUP BY 1, 2",
        )?;
        let mut rows = stmt.query((from.key(), to.key()))?;
        let mut out = Requests::default();
        while let Some(r) = rows.next()? {
            let dim: String = r.get(0)?;
            let key: String = r.get(1)?;
            let t = tally(&dim, &key)?;
            out.tally(t, count(r.get(2)?));
        }
        Ok(out)
    }

    /// Month by month over `[from, to]`: (requests, client requests, saved), from the kept
    /// figures (one entry per month, empty months included).
    pub(crate) fn kept_month_requests(&self, from: Month, to: Month) -> Result<Vec<Requests>> {
        let mut out = vec![Requests::default(); from.through(to).count()];
        let mut stmt = self.conn().prepare_cached(
            "SELECT month, key, n FROM report_requests
             WHERE month BETWEEN ?1 AND ?2 AND dim = 'by_outcome'",
        )?;
        let mut rows = stmt.query((from.key(), to.key()))?;
        while let Some(r) = rows.next()? {
            let month = Month::parse(&r.get::<_, String>(0)?).map_err(StoreError::Refused)?;
            let t = tally("by_outcome", &r.get::<_, String>(1)?)?;
            let i = from.months_until(month);
            if let Some(q) = usize::try_from(i).ok().and_then(|i| out.get_mut(i)) {
                q.tally(t, count(r.get(2)?));
            }
        }
        Ok(out)
    }
}

fn tally(dim: &str, key: &str) -> Result<RequestTally> {
    RequestTally::parse(dim, key).ok_or_else(|| {
        StoreError::Refused(format!(
            "The kept report figures hold a breakdown this caseload does not know ({dim} {key}). Run `caseload check`."
        ))
    })
}

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::fixtures::{session, two_clients as store};

    fn kept(s: &Store) -> Vec<(String, String, i64, i64)> {
        let mut stmt = s
            .conn()
            .prepare(
                "SELECT month, status, by_practitioner, n FROM report_sessions ORDER BY 1, 2, 3",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap()
    }

    fn cancel(s: &Store, id: i64, session: i64, by: &str, outcome: &str) {
        s.conn()
            .execute(
                "INSERT INTO cancellations (id, session_id, requested_at, by, reason, notice_hours, outcome, created_at)
                 VALUES (?1, ?2, '2026-01-01T00:00:00Z', ?3, 'travel', 30.0, ?4, 'x')",
                (id, session, by, outcome),
            )
            .unwrap();
    }

    #[test]
    fn writes_keep_the_figures_and_empty_rows_go() {
        let s = store();
        session(&s, 1, 1, "2026-10-01T09:00", "attended");
        session(&s, 2, 1, "2026-10-08T09:00", "cancelled");
        assert_eq!(
            kept(&s),
            [
                ("2026-10".into(), "attended".into(), 0, 1),
                ("2026-10".into(), "cancelled".into(), 0, 1)
            ]
        );
        // The practitioner's cancellation moves session 2 to "by the practitioner".
        cancel(&s, 1, 2, "practitioner", "cancelled");
        assert_eq!(kept(&s)[1], ("2026-10".into(), "cancelled".into(), 1, 1));
        // Moving a session to another month moves its figures and its request's.
        s.conn()
            .execute(
                "UPDATE sessions SET starts_at = '2026-11-02T18:00' WHERE id = 2",
                [],
            )
            .unwrap();
        assert_eq!(
            kept(&s),
            [
                ("2026-10".into(), "attended".into(), 0, 1),
                ("2026-11".into(), "cancelled".into(), 1, 1)
            ]
        );
        let nov = Month::parse("2026-11").unwrap();
        let q = s.kept_requests(nov, nov).unwrap();
        assert_eq!(
            (q.total, q.by_practitioner, q.by_time_of_day),
            (1, 1, [0, 0, 1])
        );
        assert_eq!(q.by_weekday, [1, 0, 0, 0, 0, 0, 0]);
        let oct = Month::parse("2026-10").unwrap();
        assert_eq!(s.kept_requests(oct, oct).unwrap(), Requests::default());
        assert!(s.check_kept_figures().unwrap().ok);
    }

    #[test]
    fn check_finds_figures_out_of_step_and_a_rebuild_mends_them() {
        let mut s = store();
        session(&s, 1, 1, "2026-10-01T09:00", "attended");
        s.conn()
            .execute("UPDATE report_sessions SET n = 5", [])
            .unwrap();
        s.conn()
            .execute(
                "INSERT INTO report_requests VALUES ('2026-09', 'reason', 'work', 2)",
                [],
            )
            .unwrap();
        let c = s.check_kept_figures().unwrap();
        assert!(!c.ok);
        assert_eq!(c.problems.len(), 4, "{:?}", c.problems);
        assert_eq!(
            c.problems[0],
            "The kept session figures for 2026-10 (attended 0) say 5, which a fresh count does not."
        );
        assert_eq!(
            c.problems[1],
            "A fresh count of session figures for 2026-10 (attended 0) gives 1; the kept figures differ."
        );
        assert!(
            c.problems[2].contains("2026-09 (reason work) say 2"),
            "{}",
            c.problems[2]
        );
        s.rebuild_kept_figures().unwrap();
        assert!(s.check_kept_figures().unwrap().ok);
        assert_eq!(kept(&s), [("2026-10".into(), "attended".into(), 0, 1)]);
    }
}
