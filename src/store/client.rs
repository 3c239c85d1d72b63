//! Clients in the practice file.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, Transaction};

use super::{Result, Store, StoreError, date, date_text, instant, opt_date, opt_word, word};
use crate::domain::client::{Client, ClientFields, ClientStatus};
use crate::domain::time::format_instant;

const COLUMNS: &str = "id, name, preferred_name, pronouns, born, phone, email, preferred_contact, \
    emergency_contact, telehealth_consent, telehealth_consent_date, status, intake_date, created_at, updated_at";

/// Which clients a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    #[default]
    All,
    Only(ClientStatus),
}

impl StatusFilter {
    pub fn admits(self, s: ClientStatus) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::Only(only) => only == s,
        }
    }
}

fn client_from_row(r: &Row<'_>) -> rusqlite::Result<Client> {
    Ok(Client {
        id: r.get(0)?,
        name: r.get(1)?,
        preferred_name: r.get(2)?,
        pronouns: r.get(3)?,
        born: opt_date(r, 4)?,
        phone: r.get(5)?,
        email: r.get(6)?,
        preferred_contact: opt_word(r, 7)?,
        emergency_contact: r.get(8)?,
        telehealth_consent: word(r, 9)?,
        telehealth_consent_date: opt_date(r, 10)?,
        status: word(r, 11)?,
        intake_date: date(r, 12)?,
        created_at: instant(r, 13)?,
        updated_at: instant(r, 14)?,
    })
}

/// Inserts a client inside an open transaction (shared by the form, the CLI and the demo).
pub(crate) fn insert_client(
    tx: &Transaction<'_>,
    f: &ClientFields,
    status: ClientStatus,
    now: DateTime<Utc>,
) -> Result<i64> {
    let at = format_instant(now);
    tx.prepare_cached(
        // A new id is never one a disposed record had (its audit entries still name it).
        "INSERT INTO clients (id, name, preferred_name, pronouns, born, phone, email, preferred_contact,
            emergency_contact, telehealth_consent, telehealth_consent_date, status, intake_date,
            created_at, updated_at)
         VALUES (max(coalesce((SELECT max(id) FROM clients), 0),
                     coalesce((SELECT max(client_id) FROM disposals), 0)) + 1,
                 ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
    )?
    .execute(rusqlite::params![
        f.name,
        f.preferred_name,
        f.pronouns,
        f.born.map(date_text),
        f.phone,
        f.email,
        f.preferred_contact.map(|c| c.as_str()),
        f.emergency_contact,
        f.telehealth_consent.as_str(),
        f.telehealth_consent_date.map(date_text),
        status.as_str(),
        date_text(f.intake_date),
        at,
    ])?;
    let id = tx.last_insert_rowid();
    tx.prepare_cached(
        "INSERT INTO client_status_changes (client_id, from_status, to_status, changed_at) VALUES (?1, NULL, ?2, ?3)",
    )?
    .execute((id, status.as_str(), &at))?;
    Ok(id)
}

pub(crate) fn client_in(conn: &rusqlite::Connection, id: i64) -> Result<Client> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM clients WHERE id = ?1"))?
        .query_row([id], client_from_row)
        .optional()?
        .ok_or(StoreError::NotFound { what: "client", id })
}

/// A status change as recorded.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StatusChange {
    pub from_status: Option<ClientStatus>,
    pub to_status: ClientStatus,
    #[serde(serialize_with = "crate::domain::time::serialize_instant")]
    pub changed_at: DateTime<Utc>,
}

impl Store {
    /// Adds a client (active) and returns them as stored.
    pub fn add_client(&mut self, f: &ClientFields, now: DateTime<Utc>) -> Result<Client> {
        let id = self.write(|tx| insert_client(tx, f, ClientStatus::Active, now))?;
        self.client(id)
    }

    /// Replaces a client's details (not their status).
    pub fn update_client(
        &mut self,
        id: i64,
        f: &ClientFields,
        now: DateTime<Utc>,
    ) -> Result<Client> {
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE clients SET name = ?2, preferred_name = ?3, pronouns = ?4, born = ?5, phone = ?6,
                    email = ?7, preferred_contact = ?8, emergency_contact = ?9, telehealth_consent = ?10,
                    telehealth_consent_date = ?11, intake_date = ?12, updated_at = ?13
                 WHERE id = ?1",
                rusqlite::params![
                    id,
                    f.name,
                    f.preferred_name,
                    f.pronouns,
                    f.born.map(date_text),
                    f.phone,
                    f.email,
                    f.preferred_contact.map(|c| c.as_str()),
                    f.emergency_contact,
                    f.telehealth_consent.as_str(),
                    f.telehealth_consent_date.map(date_text),
                    date_text(f.intake_date),
                    format_instant(now),
                ],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound { what: "client", id });
            }
            Ok(())
        })?;
        self.client(id)
    }

    /// Moves a client to another status, keeping a record of the change.
    pub fn set_client_status(
        &mut self,
        id: i64,
        status: ClientStatus,
        now: DateTime<Utc>,
    ) -> Result<Client> {
        self.write(|tx| set_status_in(tx, id, status, now))?;
        self.client(id)
    }

    /// One client.
    pub fn client(&self, id: i64) -> Result<Client> {
        client_in(self.conn(), id)
    }

    /// Clients, ordered by name.
    /// Every client's id and short name ("Maria L."), oldest first: to tell same-named clients
    /// apart in lists.
    pub fn short_names(&self) -> Result<Vec<(i64, String)>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT id, name, preferred_name FROM clients ORDER BY id")?;
        let rows = stmt
            .query_map([], |r| {
                let name: String = r.get(1)?;
                let preferred: Option<String> = r.get(2)?;
                Ok((
                    r.get(0)?,
                    crate::domain::client::short_name(&name, preferred.as_deref()),
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    pub fn clients(&self, filter: StatusFilter) -> Result<Vec<Client>> {
        let (sql, status) = match filter {
            StatusFilter::All => (
                format!("SELECT {COLUMNS} FROM clients ORDER BY name COLLATE NOCASE, id"),
                None,
            ),
            StatusFilter::Only(s) => (
                format!(
                    "SELECT {COLUMNS} FROM clients WHERE status = ?1 ORDER BY name COLLATE NOCASE, id"
                ),
                Some(s.as_str()),
            ),
        };
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = match status {
            Some(s) => stmt
                .query_map([s], client_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
            None => stmt
                .query_map([], client_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        };
        Ok(rows)
    }

    /// How many clients have each status, in [`ClientStatus::ALL`] order.
    pub fn client_counts(&self) -> Result<[usize; 4]> {
        let mut out = [0usize; 4];
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT status, count(*) FROM clients GROUP BY status")?;
        let rows = stmt.query_map([], |r| {
            Ok((word::<ClientStatus>(r, 0)?, r.get::<_, i64>(1)?))
        })?;
        for row in rows {
            let (s, n) = row?;
            out[s.index()] = n as usize;
        }
        Ok(out)
    }

    /// How many clients the practice has, in any status.
    pub fn client_count(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT count(*) FROM clients", [], |r| r.get(0))?)
    }

    /// Every status a client has had, oldest first.
    pub fn status_history(&self, id: i64) -> Result<Vec<StatusChange>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT from_status, to_status, changed_at FROM client_status_changes WHERE client_id = ?1 ORDER BY id",
        )?;
        let rows = stmt
            .query_map([id], |r| {
                Ok(StatusChange {
                    from_status: opt_word(r, 0)?,
                    to_status: word(r, 1)?,
                    changed_at: instant(r, 2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

/// Changes a client's status inside an open transaction, with its audit entry.
pub(crate) fn set_status_in(
    tx: &Transaction<'_>,
    id: i64,
    status: ClientStatus,
    now: DateTime<Utc>,
) -> Result<()> {
    if let Some(from) = change_status_in(tx, id, status, now)? {
        let detail = format!("from {from} to {status}");
        super::audit::audit(
            tx,
            now,
            "status_changed",
            "client",
            Some(id),
            Some(id),
            Some(&detail),
        )?;
    }
    Ok(())
}

/// Changes a client's status and keeps its history, without an audit entry (discharge writes
/// its own, one entry for the whole ending of care). Returns the status it changed from, or
/// None when there was no change.
pub(crate) fn change_status_in(
    tx: &Transaction<'_>,
    id: i64,
    status: ClientStatus,
    now: DateTime<Utc>,
) -> Result<Option<ClientStatus>> {
    let current: ClientStatus = tx
        .query_row("SELECT status FROM clients WHERE id = ?1", [id], |r| {
            word(r, 0)
        })
        .optional()?
        .ok_or(StoreError::NotFound { what: "client", id })?;
    if current == status {
        return Ok(None);
    }
    let at = format_instant(now);
    tx.execute(
        "UPDATE clients SET status = ?2, updated_at = ?3 WHERE id = ?1",
        (id, status.as_str(), &at),
    )?;
    tx.execute(
        "INSERT INTO client_status_changes (client_id, from_status, to_status, changed_at) VALUES (?1, ?2, ?3, ?4)",
        (id, current.as_str(), status.as_str(), &at),
    )?;
    Ok(Some(current))
}

impl Store {
    /// Each client's next scheduled session at or after `from` (wall-clock local time).
    pub fn next_sessions(
        &self,
        from: chrono::NaiveDateTime,
    ) -> Result<std::collections::HashMap<i64, chrono::NaiveDateTime>> {
        let mut stmt = self.conn().prepare_cached(
            // From the index by start, which holds the status and client too: only the sessions
            // from now on are read, where SQLite would otherwise walk every session to group
            // them by client.
            "SELECT client_id, min(starts_at) FROM sessions INDEXED BY sessions_by_start_status_client
             WHERE status = 'scheduled' AND starts_at >= ?1 GROUP BY client_id",
        )?;
        let rows = stmt
            .query_map([crate::domain::time::format_local(from)], |r| {
                Ok((r.get(0)?, super::local(r, 1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}
