//! The per-client flags read from each client's kept recent attendance (migration 018).
//!
//! Triggers keep, for every client with a counted session, their latest
//! [`FLAG_KEPT`](crate::domain::attendance::FLAG_KEPT) counted sessions as one line, rewritten in
//! the same transaction as any write to that client's sessions or cancellation records. A read
//! of the flags "as at" a moment takes from each line the entries before that moment: a client
//! whose newest such entry is in the window was seen, and their first
//! [`FLAG_HISTORY`] entries are what the rules read. Only a client whose line runs out before
//! that (a full line with too few entries before the moment, which happens for a report on a
//! month long past) is read afresh from their sessions; when many are, or when many clients have
//! been seen since the window began (a window long past), the window's sessions are read instead.
//!
//! `caseload check` compares every line with a fresh read ([`Store::check_attendance_history`]),
//! and `report recount` (or an import) writes them afresh ([`rebuild`]).

use chrono::NaiveDateTime;
use rusqlite::Connection;

use super::attention::Scope;
use super::{Result, Store};
use crate::domain::attendance::{Counted, FLAG_HISTORY, FLAG_KEPT, FlaggedClient, flags};
use crate::domain::session::SessionStatus;
use crate::domain::time::{format_local, read_stored_local};

/// Above this many clients to read afresh, one pass over the whole practice is quicker (each
/// client read on their own costs about a tenth of a millisecond).
const FRESH_ONE_BY_ONE: usize = 8;

/// Above this many clients seen since the window began (a window long past), reading each of
/// their lines costs more than reading the window's sessions: the sessions are read instead.
const KEPT_READ_LIMIT: i64 = 250;

/// Writes every client's line afresh. Runs inside the caller's transaction.
pub(crate) fn rebuild(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "DELETE FROM attendance_history;
         INSERT INTO attendance_history (client_id, recent)
         SELECT client_id, recent FROM attendance_history_fresh WHERE recent IS NOT NULL;",
    )
}

/// What one client's kept line says as at a moment.
#[derive(Debug, PartialEq)]
enum AsAt {
    /// No counted session in the window (or none at all before the moment).
    NotSeen,
    /// Seen: their latest counted sessions before the moment (newest first, at most
    /// [`FLAG_HISTORY`]) and the start of the newest.
    Seen {
        newest_first: Vec<Counted>,
        last: String,
    },
    /// The line runs out before the rules have what they need: read the sessions.
    ReadAfresh,
}

/// Reads a kept line ("start status,…", newest first) as at `as_at`, for a window that starts at
/// `seen_from` (both in the stored local form, which sorts as text).
fn as_at(line: &str, seen_from: &str, as_at: &str) -> Result<AsAt> {
    let mut newest_first = Vec::with_capacity(FLAG_HISTORY);
    let mut last: Option<&str> = None;
    let mut kept = 0;
    let mut newer: Option<&str> = None;
    for entry in line.split(',') {
        kept += 1;
        let (start, status) = entry.split_once(' ').unwrap_or((entry, ""));
        if newer.is_some_and(|n| start > n) {
            // Not newest first (written by another program's SQLite?): trust the sessions.
            return Ok(AsAt::ReadAfresh);
        }
        newer = Some(start);
        if start >= as_at {
            continue;
        }
        if last.is_none() {
            if start < seen_from {
                // Their latest before the moment is before the window: nothing more to read
                // (most clients, in a month's report; reading on costs a millisecond a report).
                return Ok(AsAt::NotSeen);
            }
            last = Some(start);
        }
        if newest_first.len() < FLAG_HISTORY {
            let status: SessionStatus = status.parse().map_err(|_| {
                super::StoreError::Refused(format!(
                    "A kept attendance line holds \"{status}\", which is not a session status. Run `caseload report recount` to write the lines afresh."
                ))
            })?;
            if let Some(c) = Counted::of(status, false) {
                newest_first.push(c);
            }
        }
    }
    let full = kept >= FLAG_KEPT;
    Ok(match last {
        // Older counted sessions exist beyond the line: the rules may need them.
        _ if full && newest_first.len() < FLAG_HISTORY => AsAt::ReadAfresh,
        None => AsAt::NotSeen,
        Some(last) => AsAt::Seen {
            newest_first,
            last: last.to_string(),
        },
    })
}

impl Store {
    /// The flagged clients from the kept lines (see the module's notes); the same as
    /// [`Store::flagged_fresh`] gives.
    pub(crate) fn flagged_kept(
        &self,
        seen_from: NaiveDateTime,
        as_at_time: NaiveDateTime,
        open_only: bool,
        scope: Scope,
    ) -> Result<Vec<FlaggedClient>> {
        let open = if open_only {
            " AND cl.status IN ('active', 'on_hold')"
        } else {
            ""
        };
        let only = scope.and("h.client_id", 2);
        // A client whose newest counted session is before the window was not seen in it.
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT h.client_id, cl.name, h.recent
             FROM attendance_history h JOIN clients cl ON cl.id = h.client_id
             WHERE h.newest >= ?1{open}{only}"
        ))?;
        let (from, to) = (format_local(seen_from), format_local(as_at_time));
        if scope == Scope::Practice {
            let since: i64 = self
                .conn()
                .prepare_cached("SELECT count(*) FROM attendance_history WHERE newest >= ?1")?
                .query_row([&from], |r| r.get(0))?;
            if since > KEPT_READ_LIMIT {
                return self.flagged_fresh(seen_from, as_at_time, open_only, scope);
            }
        }
        let mut rows = stmt.query(&*scope.params(&[&from]))?;
        let mut out = Vec::new();
        let mut afresh = Vec::new();
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let line = r.get_ref(2)?.as_str().unwrap_or("");
            let (newest_first, last) = match as_at(line, &from, &to)? {
                AsAt::NotSeen => continue,
                AsAt::ReadAfresh => {
                    afresh.push(id);
                    continue;
                }
                AsAt::Seen { newest_first, last } => (newest_first, last),
            };
            let fired = flags(&newest_first);
            if fired.is_empty() {
                continue;
            }
            let last_session = read_stored_local(&last).unwrap_or(as_at_time);
            out.extend(FlaggedClient::each(id, r.get(1)?, fired, last_session));
        }
        if afresh.len() > FRESH_ONE_BY_ONE {
            return self.flagged_fresh(seen_from, as_at_time, open_only, scope);
        }
        for id in afresh {
            out.extend(self.flagged_fresh(seen_from, as_at_time, open_only, Scope::Client(id))?);
        }
        super::report::sort_flagged(&mut out);
        Ok(out)
    }

    /// Compares every client's kept line with a fresh read of their sessions: the problems, in
    /// words (none when they agree). Reads only.
    pub fn check_attendance_history(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn().prepare(
            "WITH fresh AS (SELECT client_id, recent FROM attendance_history_fresh
                            WHERE recent IS NOT NULL),
                  differ AS (SELECT client_id FROM (SELECT client_id, recent FROM attendance_history
                                                    EXCEPT SELECT * FROM fresh)
                             UNION
                             SELECT client_id FROM (SELECT * FROM fresh EXCEPT
                                                    SELECT client_id, recent FROM attendance_history))
             SELECT count(*), min(client_id) FROM differ",
        )?;
        let (n, first): (i64, Option<i64>) = stmt.query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(match first {
            Some(first) if n > 0 => vec![format!(
                "The kept recent attendance of {n} client{} (the first is client {first}) differs from a fresh read of their sessions, so their attendance flags may be wrong.",
                if n == 1 { "" } else { "s" }
            )],
            _ => Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_local;
    use crate::store::fixtures::{session, two_clients};

    fn line(entries: &[(&str, &str)]) -> String {
        entries
            .iter()
            .map(|(t, s)| format!("{t} {s}"))
            .collect::<Vec<_>>()
            .join(",")
    }

    #[test]
    fn a_line_read_as_at_a_moment() {
        let l = line(&[
            ("2026-03-20T10:00", "late_cancelled"),
            ("2026-03-10T10:00", "no_show"),
            ("2026-03-03T10:00", "attended"),
            ("2026-01-03T10:00", "no_show"),
        ]);
        // The future cancellation is not counted yet; the client was seen in March.
        match as_at(&l, "2026-03-01T00:00", "2026-03-14T09:00").unwrap() {
            AsAt::Seen { newest_first, last } => {
                assert_eq!(
                    newest_first,
                    [Counted::NoShow, Counted::Attended, Counted::NoShow]
                );
                assert_eq!(last, "2026-03-10T10:00");
            }
            other => panic!("{other:?}"),
        }
        // Not seen in a window after their last session before the moment.
        assert_eq!(
            as_at(&l, "2026-03-12T00:00", "2026-03-14T09:00").unwrap(),
            AsAt::NotSeen
        );
        // Nothing before the moment at all.
        assert_eq!(
            as_at(&l, "2025-01-01T00:00", "2025-06-01T00:00").unwrap(),
            AsAt::NotSeen
        );
        assert!(
            as_at(
                "2026-03-03T10:00 weird",
                "2026-01-01T00:00",
                "2026-04-01T00:00"
            )
            .is_err()
        );
        // A line out of order is not trusted.
        assert_eq!(
            as_at(
                "2026-03-03T10:00 attended,2026-03-10T10:00 no_show",
                "2026-01-01T00:00",
                "2026-04-01T00:00"
            )
            .unwrap(),
            AsAt::ReadAfresh
        );
    }

    #[test]
    fn a_full_line_that_runs_out_before_the_moment_is_read_afresh() {
        let weekly: Vec<(String, &str)> = (0..FLAG_KEPT)
            .map(|i| {
                let t =
                    parse_local("2026-01-01 10:00").unwrap() + chrono::Duration::weeks(i as i64);
                (format_local(t), "attended")
            })
            .rev()
            .collect();
        let l = weekly
            .iter()
            .map(|(t, s)| format!("{t} {s}"))
            .collect::<Vec<_>>()
            .join(",");
        // As at the newest: 20 and more before it.
        assert!(matches!(
            as_at(&l, "2026-01-01T00:00", "2027-01-01T00:00").unwrap(),
            AsAt::Seen { .. }
        ));
        // As at a moment with only 5 of the kept entries before it: older ones may matter.
        let fifth = &weekly[FLAG_KEPT - 5].0;
        assert_eq!(
            as_at(&l, "2026-01-01T00:00", &format!("{fifth}x")).unwrap(),
            AsAt::ReadAfresh
        );
        // Before the whole line: the client may have been seen in the window, beyond it.
        assert_eq!(
            as_at(&l, "2025-01-01T00:00", "2025-12-01T00:00").unwrap(),
            AsAt::ReadAfresh
        );
    }

    #[test]
    fn lines_follow_writes_and_keep_thirty_entries() {
        let s = two_clients();
        let kept = |s: &Store, client: i64| -> Option<String> {
            s.conn()
                .query_row(
                    "SELECT recent FROM attendance_history WHERE client_id = ?1",
                    [client],
                    |r| r.get(0),
                )
                .ok()
        };
        assert_eq!(kept(&s, 1), None);
        let n = FLAG_KEPT as i64 + 5;
        for i in 0..n {
            let t = parse_local("2026-01-05 10:00").unwrap() + chrono::Duration::weeks(i);
            session(&s, i + 1, 1, &format_local(t), "attended");
        }
        // Sessions still to come are not counted.
        session(&s, 100, 1, "2027-06-01T10:00", "scheduled");
        let l = kept(&s, 1).unwrap();
        assert_eq!(l.split(',').count(), FLAG_KEPT, "{l}");
        let newest =
            format_local(parse_local("2026-01-05 10:00").unwrap() + chrono::Duration::weeks(n - 1));
        assert!(l.starts_with(&format!("{newest} attended,")), "{l}");
        // A status changed, then a practitioner's cancellation: the line follows each.
        s.conn()
            .execute(
                "UPDATE sessions SET status = 'cancelled' WHERE id = ?1",
                [n],
            )
            .unwrap();
        assert!(
            kept(&s, 1)
                .unwrap()
                .starts_with(&format!("{newest} cancelled,"))
        );
        s.conn()
            .execute(
                "INSERT INTO cancellations (session_id, by, reason, outcome, notice_hours, requested_at, created_at)
                 VALUES (?1, 'practitioner', 'other', 'cancelled', 48, 'x', 'x')",
                [n],
            )
            .unwrap();
        let l = kept(&s, 1).unwrap();
        assert!(
            !l.contains(&newest) && l.split(',').count() == FLAG_KEPT,
            "{l}"
        );
        assert!(s.check_attendance_history().unwrap().is_empty());
        // Out of step (written around the triggers): check says so, a rebuild mends it.
        s.conn()
            .execute("DELETE FROM attendance_history", [])
            .unwrap();
        let problems = s.check_attendance_history().unwrap();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("of 1 client "), "{problems:?}");
        rebuild(s.conn()).unwrap();
        assert!(s.check_attendance_history().unwrap().is_empty());
        // A client with no counted session left (a no-show marked by mistake, undone): no line.
        session(&s, 200, 2, "2026-02-01T10:00", "no_show");
        assert_eq!(kept(&s, 2).unwrap(), "2026-02-01T10:00 no_show");
        s.conn()
            .execute(
                "UPDATE sessions SET status = 'scheduled' WHERE id = 200",
                [],
            )
            .unwrap();
        assert_eq!(kept(&s, 2), None);
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use crate::domain::time::parse_local;
    use crate::store::fixtures::{session, two_clients};
    use proptest::prelude::*;

    /// Every status, as stored.
    fn status(i: usize) -> &'static str {
        SessionStatus::ALL[i % SessionStatus::ALL.len()].as_str()
    }

    fn at(hours: i64) -> NaiveDateTime {
        parse_local("2026-01-01 09:00").unwrap() + chrono::Duration::hours(hours)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(150))]
        /// Whatever the sessions, their statuses and the practitioner's cancellations, and
        /// whatever moment the flags are taken at, the kept lines give what a fresh read gives.
        #[test]
        fn the_kept_lines_give_what_a_fresh_read_gives(
            sessions in prop::collection::vec((1i64..=2, 0i64..(300 * 24), 0usize..7), 0..90),
            by_practitioner in prop::collection::vec(any::<bool>(), 0..90),
            moments in prop::collection::vec((0i64..(320 * 24), 1i64..(120 * 24)), 1..6),
            moved in prop::collection::vec((0usize..90, 0i64..(300 * 24), 0usize..7), 0..10),
        ) {
            let s = two_clients();
            for (i, (client, h, st)) in sessions.iter().enumerate() {
                // Whole hours apart at most once per client and hour: ties have no order.
                let start = format_local(at(*h * 2 + client));
                session(&s, i as i64 + 1, *client, &start, status(*st));
            }
            for (i, p) in by_practitioner.iter().enumerate().filter(|(i, _)| *i < sessions.len()) {
                let st = status(sessions[i].2);
                if *p && (st == "cancelled" || st == "late_cancelled") {
                    s.conn().execute(
                        "INSERT INTO cancellations (session_id, by, reason, outcome, notice_hours, requested_at, created_at)
                         VALUES (?1, 'practitioner', 'other', ?2, 48, 'x', 'x')",
                        (i as i64 + 1, st),
                    ).unwrap();
                }
            }
            for (i, h, st) in moved.iter().filter(|(i, _, _)| *i < sessions.len()) {
                s.conn().execute(
                    "UPDATE sessions SET starts_at = ?2, status = ?3 WHERE id = ?1",
                    (*i as i64 + 1, format_local(at(*h * 2 + sessions[*i].0)), status(*st)),
                ).ok();
            }
            prop_assert!(s.check_attendance_history().unwrap().is_empty());
            for (when, window) in moments {
                let as_at = at(when);
                let from = as_at - chrono::Duration::hours(window);
                for scope in [Scope::Practice, Scope::Client(1)] {
                    for open in [false, true] {
                        let kept = s.flagged_kept(from, as_at, open, scope).unwrap();
                        let fresh = s.flagged_fresh(from, as_at, open, scope).unwrap();
                        prop_assert_eq!(kept, fresh);
                    }
                }
            }
        }
    }
}
