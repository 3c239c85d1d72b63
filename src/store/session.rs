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
