//! Sessions in the practice file.

use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, Row};

use super::{Result, Store, StoreError, local, opt_instant, word};
use crate::domain::session::Session;
use crate::domain::time::format_local;

/// The columns [`session_from_row`] reads, with `c` the clients table and `s` sessions.
pub const SESSION_COLUMNS: &str = "s.id, s.client_id, c.name, s.starts_at, s.minutes, s.modality, s.status, s.series_id, s.marked_at, s.marked_by";

pub fn session_from_row(r: &Row<'_>) -> rusqlite::Result<Session> {
    Ok(Session {
        id: r.get(0)?,
        client_id: r.get(1)?,
        client_name: r.get(2)?,
        starts_at: local(r, 3)?,
        minutes: r.get(4)?,
        modality: word(r, 5)?,
        status: word(r, 6)?,
        series_id: r.get(7)?,
        marked_at: opt_instant(r, 8)?,
        marked_by: r.get(9)?,
    })
}

pub(crate) fn session_in(conn: &rusqlite::Connection, id: i64) -> Result<Session> {
    conn.prepare_cached(&format!(
        "SELECT {SESSION_COLUMNS} FROM sessions s JOIN clients c ON c.id = s.client_id WHERE s.id = ?1"
    ))?
    .query_row([id], session_from_row)
    .optional()?
    .ok_or(StoreError::NotFound { what: "session", id })
}

/// Refuses a start the practitioner's clock never shows (the hour skipped when clocks go
/// forward); a time that happens twice is kept and means the first.
pub(crate) fn exist_on_the_clock(times: &[NaiveDateTime]) -> Result<()> {
    for t in times {
        crate::clock::booked_instant(*t).map_err(StoreError::Refused)?;
    }
    Ok(())
}

impl Store {
    /// One session.
    pub fn session(&self, id: i64) -> Result<Session> {
        session_in(self.conn(), id)
    }

    /// Sessions starting in `[from, to)`, in time order.
    pub fn sessions_between(&self, from: NaiveDateTime, to: NaiveDateTime) -> Result<Vec<Session>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions s JOIN clients c ON c.id = s.client_id
             WHERE s.starts_at >= ?1 AND s.starts_at < ?2 ORDER BY s.starts_at, s.id"
        ))?;
        let rows = stmt
            .query_map((format_local(from), format_local(to)), session_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

// ---- booking, marking, editing and the lists the screens show -------------------------------

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::Transaction;

use super::attention::Scope;
use crate::domain::attention::AttentionItem;
use crate::domain::client::{ClientStatus, short_name};
use crate::domain::schedule::{
    self, Clash, PlannedSession, Repeat, SeriesScope, SessionChange, check_bookable, check_mark,
    check_minutes, occurrences,
};
use crate::domain::session::{Modality, SessionStatus};
use crate::domain::time::format_instant;

/// Who wrote a change: the practitioner in the app, or a script through the command line.
pub const BY_PRACTITIONER: &str = "practitioner";
pub const BY_CLI: &str = "cli";

/// A booking as asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookingRequest {
    pub client_id: i64,
    pub starts_at: NaiveDateTime,
    pub minutes: u32,
    pub modality: Modality,
    pub repeat: Repeat,
}

/// What a booking (or a move) did.
#[derive(Debug, Clone, PartialEq)]
pub enum BookOutcome {
    /// Written: the ids of the sessions, in time order.
    Booked(Vec<i64>),
    /// Nothing was written: the first session already there.
    Clash(Box<Clash>),
}

/// Which sessions a list shows. `None` means any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SessionFilter {
    pub client_id: Option<i64>,
    /// From this date (inclusive).
    pub from: Option<NaiveDate>,
    /// To this date (inclusive).
    pub to: Option<NaiveDate>,
    pub status: Option<SessionStatus>,
}

/// A session with the client's short name, for lists on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub session: Session,
    /// e.g. "Maria L." (preferred name and family initial).
    pub client: String,
}

/// The longest a session may last: anything starting this long before a time can't reach it.
const LOOKBACK_MINUTES: i64 = schedule::MAX_MINUTES as i64;

/// Booked sessions that may overlap `[start, start + minutes)`, read inside a transaction.
pub(crate) fn neighbours(
    conn: &rusqlite::Connection,
    start: NaiveDateTime,
    minutes: u32,
) -> Result<Vec<Session>> {
    let from = start - Duration::minutes(LOOKBACK_MINUTES);
    let to = start + Duration::minutes(i64::from(minutes));
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SESSION_COLUMNS} FROM sessions s JOIN clients c ON c.id = s.client_id
         WHERE s.starts_at > ?1 AND s.starts_at < ?2
           AND s.status NOT IN ('cancelled', 'late_cancelled', 'rescheduled')
         ORDER BY s.starts_at, s.id"
    ))?;
    let rows = stmt
        .query_map((format_local(from), format_local(to)), session_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The first clash for sessions planned at these times, ignoring the sessions in `ignore`.
fn first_clash(
    conn: &rusqlite::Connection,
    planned: &[(NaiveDateTime, u32)],
    ignore: &[i64],
) -> Result<Option<Clash>> {
    for &(at, minutes) in planned {
        let near = neighbours(conn, at, minutes)?;
        if let Some(s) = schedule::find_clash(at, minutes, &near, ignore) {
            return Ok(Some(Clash {
                at,
                minutes,
                with: s.clone(),
            }));
        }
    }
    Ok(None)
}

/// Inserts one session inside an open transaction (shared by booking and the demo).
#[allow(clippy::too_many_arguments)]
pub(crate) fn insert_session(
    tx: &Transaction<'_>,
    client_id: i64,
    starts_at: NaiveDateTime,
    minutes: u32,
    modality: Modality,
    status: SessionStatus,
    series_id: Option<i64>,
    marked: Option<(&str, &str)>,
    created_at: &str,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO sessions (client_id, starts_at, minutes, modality, status, series_id,
            marked_at, marked_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
    )?
    .execute(rusqlite::params![
        client_id,
        format_local(starts_at),
        minutes,
        modality.as_str(),
        status.as_str(),
        series_id,
        marked.map(|m| m.0),
        marked.map(|m| m.1),
        created_at,
    ])?;
    Ok(tx.last_insert_rowid())
}

/// Inserts a series row inside an open transaction.
pub(crate) fn insert_series(
    tx: &Transaction<'_>,
    client_id: i64,
    every_weeks: u32,
    created_at: &str,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO series (client_id, every_weeks, created_at) VALUES (?1, ?2, ?3)",
    )?
    .execute((client_id, every_weeks, created_at))?;
    Ok(tx.last_insert_rowid())
}

fn listed_from_row(r: &Row<'_>) -> rusqlite::Result<Listed> {
    let session = session_from_row(r)?;
    let preferred: Option<String> = r.get(10)?;
    let client = short_name(&session.client_name, preferred.as_deref());
    Ok(Listed { session, client })
}

impl Store {
    /// Books one session or a series, in one transaction. A clash books nothing and returns the
    /// session already there, unless `force`. A discharged or referred-out client is refused.
    pub fn book(
        &mut self,
        req: &BookingRequest,
        force: bool,
        now: DateTime<Utc>,
    ) -> Result<BookOutcome> {
        self.book_as(req, force, now, None)
    }

    /// Books as [`Store::book`] does; with `service`, each session is charged as that service
    /// (a service code), named in the same transaction.
    pub fn book_as(
        &mut self,
        req: &BookingRequest,
        force: bool,
        now: DateTime<Utc>,
        service: Option<&str>,
    ) -> Result<BookOutcome> {
        check_minutes(req.minutes)?;
        let times = occurrences(req.starts_at, req.repeat)?;
        exist_on_the_clock(&times)?;
        self.write(|tx| {
            let client = super::client::client_in(tx, req.client_id)?;
            check_bookable(&client.name, client.status).map_err(StoreError::Refused)?;
            if !force {
                let planned: Vec<(NaiveDateTime, u32)> =
                    times.iter().map(|t| (*t, req.minutes)).collect();
                if let Some(c) = first_clash(tx, &planned, &[])? {
                    return Ok(BookOutcome::Clash(Box::new(c)));
                }
            }
            let at = format_instant(now);
            let series_id = match req.repeat.every_weeks() {
                Some(every) => Some(insert_series(tx, req.client_id, every, &at)?),
                None => None,
            };
            let mut ids = Vec::with_capacity(times.len());
            for t in &times {
                ids.push(insert_session(
                    tx,
                    req.client_id,
                    *t,
                    req.minutes,
                    req.modality,
                    SessionStatus::Scheduled,
                    series_id,
                    None,
                    &at,
                )?);
            }
            if let Some(code) = service {
                for id in &ids {
                    super::billing::set_session_service_in(tx, *id, code)?;
                }
            }
            Ok(BookOutcome::Booked(ids))
        })
    }

    /// Records an outcome (attended, late, no_show) or undoes it (scheduled), with who and when.
    /// `today` is the practitioner's wall-clock now: outcomes wait for the day of the session.
    pub fn mark_session(
        &mut self,
        id: i64,
        to: SessionStatus,
        by: &str,
        now_local: NaiveDateTime,
        now: DateTime<Utc>,
    ) -> Result<Session> {
        self.write(|tx| {
            let s = session_in(tx, id)?;
            if s.status != to && !to.is_attended() {
                super::note::refuse_if_signed(
                    tx,
                    id,
                    &format!("marked {}", to.label().to_lowercase()),
                )?;
            }
            // Undoing a (late) cancellation is reverting it: the request records that it was.
            if to == SessionStatus::Scheduled
                && matches!(
                    s.status,
                    SessionStatus::Cancelled | SessionStatus::LateCancelled
                )
            {
                return super::revert::revert_in(tx, &s, now_local, now);
            }
            check_mark(&s, to, now_local).map_err(StoreError::Refused)?;
            let at = format_instant(now);
            tx.prepare_cached(
                "UPDATE sessions SET status = ?2, marked_at = ?3, marked_by = ?4, updated_at = ?3
                 WHERE id = ?1",
            )?
            .execute((id, to.as_str(), &at, by))?;
            // The charge follows the outcome, in this same transaction.
            super::billing::follow_outcome(tx, id, now_local.date(), now)?;
            if s.status != to {
                let detail = format!("from {} to {}", s.status, to);
                super::audit::audit(
                    tx,
                    now,
                    "session_marked",
                    "session",
                    Some(id),
                    Some(s.client_id),
                    Some(&detail),
                )?;
            }
            Ok(())
        })?;
        self.session(id)
    }

    /// Moves or changes one session, or it and the rest of its series still to come. Past
    /// occurrences never change. A clash changes nothing and is returned, unless `force`.
    pub fn edit_sessions(
        &mut self,
        id: i64,
        change: SessionChange,
        scope: SeriesScope,
        force: bool,
        now_local: NaiveDateTime,
        now: DateTime<Utc>,
    ) -> Result<BookOutcome> {
        self.write(|tx| {
            let chosen = session_in(tx, id)?;
            super::note::refuse_if_signed(tx, id, "moved or changed")?;
            let series = match chosen.series_id {
                Some(sid) => series_in(tx, sid)?,
                None => Vec::new(),
            };
            let plan: Vec<PlannedSession> =
                schedule::plan_edit(&chosen, &series, change, scope, now_local)
                    .map_err(StoreError::Refused)?;
            let ids: Vec<i64> = plan.iter().map(|p| p.id).collect();
            exist_on_the_clock(&plan.iter().map(|p| p.starts_at).collect::<Vec<_>>())?;
            for p in &plan {
                super::note::refuse_if_signed(tx, p.id, "moved or changed")?;
            }
            if !force {
                let planned: Vec<(NaiveDateTime, u32)> =
                    plan.iter().map(|p| (p.starts_at, p.minutes)).collect();
                if let Some(c) = first_clash(tx, &planned, &ids)? {
                    return Ok(BookOutcome::Clash(Box::new(c)));
                }
            }
            let at = format_instant(now);
            for p in &plan {
                tx.prepare_cached(
                    "UPDATE sessions SET starts_at = ?2, minutes = ?3, modality = ?4, updated_at = ?5
                     WHERE id = ?1 AND status = 'scheduled'",
                )?
                .execute(rusqlite::params![
                    p.id,
                    format_local(p.starts_at),
                    p.minutes,
                    p.modality.as_str(),
                    &at
                ])?;
            }
            Ok(BookOutcome::Booked(ids))
        })
    }

    /// Every session of a series, in time order.
    pub fn series_sessions(&self, series_id: i64) -> Result<Vec<Session>> {
        series_in(self.conn(), series_id)
    }

    /// Sessions that pass a filter, in time order.
    pub fn session_list(&self, f: &SessionFilter) -> Result<Vec<Session>> {
        let mut sql = format!(
            "SELECT {SESSION_COLUMNS} FROM sessions s JOIN clients c ON c.id = s.client_id WHERE 1 = 1"
        );
        let mut params: Vec<String> = Vec::new();
        let mut add = |clause: &str, value: String| {
            params.push(value);
            sql.push_str(&format!(" AND {clause} ?{}", params.len()));
        };
        if let Some(c) = f.client_id {
            add("s.client_id =", c.to_string());
        }
        if let Some(d) = f.from {
            add(
                "s.starts_at >=",
                format_local(d.and_time(chrono::NaiveTime::MIN)),
            );
        }
        if let Some(d) = f.to {
            add(
                "s.starts_at <",
                format_local((d + Duration::days(1)).and_time(chrono::NaiveTime::MIN)),
            );
        }
        if let Some(s) = f.status {
            add("s.status =", s.as_str().to_string());
        }
        sql.push_str(" ORDER BY s.starts_at, s.id");
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(params.iter()), session_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Sessions starting in `[from, to)` with the clients' short names, in time order.
    pub fn listed_between(&self, from: NaiveDateTime, to: NaiveDateTime) -> Result<Vec<Listed>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {SESSION_COLUMNS}, c.preferred_name
             FROM sessions s JOIN clients c INDEXED BY clients_names ON c.id = s.client_id
             WHERE s.starts_at >= ?1 AND s.starts_at < ?2 ORDER BY s.starts_at, s.id"
        ))?;
        let rows = stmt
            .query_map((format_local(from), format_local(to)), listed_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// One day's sessions, in time order.
    pub fn day_sessions(&self, day: NaiveDate) -> Result<Vec<Listed>> {
        let from = day.and_time(chrono::NaiveTime::MIN);
        self.listed_between(from, from + Duration::days(1))
    }

    /// Seven days of sessions from `first`, in time order.
    pub fn week_sessions(&self, first: NaiveDate) -> Result<Vec<Listed>> {
        let from = first.and_time(chrono::NaiveTime::MIN);
        self.listed_between(from, from + Duration::days(7))
    }

    /// A client's sessions, oldest first.
    pub fn client_sessions(&self, client_id: i64) -> Result<Vec<Session>> {
        self.session_list(&SessionFilter {
            client_id: Some(client_id),
            ..Default::default()
        })
    }

    /// Past sessions with no outcome, oldest first (at most `limit`), for the practice or one
    /// client.
    pub fn sessions_without_outcome(
        &self,
        now: NaiveDateTime,
        limit: usize,
        scope: Scope,
    ) -> Result<Vec<Listed>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {SESSION_COLUMNS}, c.preferred_name FROM sessions s JOIN clients c ON c.id = s.client_id
             WHERE s.status = 'scheduled' AND s.starts_at < ?1{} ORDER BY s.starts_at, s.id LIMIT ?2",
            scope.and("s.client_id", 3)
        ))?;
        let rows = stmt
            .query_map(
                &*scope.params(&[
                    &format_local(now),
                    &i64::try_from(limit).unwrap_or(i64::MAX),
                ]),
                listed_from_row,
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The needs-attention items this part of caseload knows about: sessions that have ended
    /// with no outcome recorded. Other parts add their own items to the list
    /// ([`Store::attention`] gathers them).
    pub fn outcome_attention(
        &self,
        now: NaiveDateTime,
        limit: usize,
        scope: Scope,
    ) -> Result<Vec<AttentionItem>> {
        let items: Vec<AttentionItem> = self
            .sessions_without_outcome(now, limit, scope)?
            .into_iter()
            .filter(|l| l.session.ends_at() <= now)
            .map(|l| AttentionItem::NoOutcome {
                session_id: l.session.id,
                client_id: l.session.client_id,
                client: l.client,
                starts_at: l.session.starts_at,
            })
            .collect();
        Ok(items)
    }

    /// The client's status, for booking checks in the app before a form opens.
    pub fn client_status(&self, client_id: i64) -> Result<ClientStatus> {
        Ok(self.client(client_id)?.status)
    }
}

fn series_in(conn: &rusqlite::Connection, series_id: i64) -> Result<Vec<Session>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SESSION_COLUMNS} FROM sessions s JOIN clients c ON c.id = s.client_id
         WHERE s.series_id = ?1 ORDER BY s.starts_at, s.id"
    ))?;
    let rows = stmt
        .query_map([series_id], session_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
