//! Today's "Needs attention" list, read for the whole practice or for one client.
//!
//! The whole-practice read looks across every client's sessions, notes, measures and goals: on
//! a large practice it takes a good part of a second's tenth, too slow to repeat after every key.
//! So the app reads it once, then keeps it current one client at a time: [`Store::watch_attention`]
//! sets temporary triggers on this connection that note which clients each write touches, and
//! [`Store::attention_changes`] hands over (and forgets) that list. The triggers and their table
//! live in SQLite's `temp` schema: they belong to this connection only, are never written to the
//! practice file and never appear in an export. Writes by another program are not seen by them;
//! the app reads the whole list again when `PRAGMA data_version` says another connection wrote.

use chrono::NaiveDateTime;
use rusqlite::ToSql;

use super::{Result, Store};
use crate::domain::attention::{self, AttentionItem};

/// How many "no outcome" and note items a whole-practice read lists (each), at most.
pub const ATTENTION_LIMIT: usize = 200;

/// Which clients a needs-attention read covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Practice,
    Client(i64),
}

impl Scope {
    /// An SQL condition narrowing a query to the scope's client (`AND col = ?n`, with the client
    /// bound as parameter `n` by [`Scope::params`]), or nothing for the whole practice. The SQL
    /// is the same for every client, so its prepared statement is reused.
    pub(crate) fn and(self, column: &str, n: usize) -> String {
        match self {
            Scope::Practice => String::new(),
            Scope::Client(_) => format!(" AND {column} = ?{n}"),
        }
    }

    /// The query's parameters, with the scope's client after them (see [`Scope::and`]).
    pub(crate) fn params<'a>(&'a self, base: &[&'a dyn ToSql]) -> Vec<&'a dyn ToSql> {
        let mut all = base.to_vec();
        if let Scope::Client(id) = self {
            all.push(id);
        }
        all
    }

    pub fn covers(self, client_id: i64) -> bool {
        match self {
            Scope::Practice => true,
            Scope::Client(id) => id == client_id,
        }
    }
}

/// What the writes since the last look changed, for the needs-attention list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changes {
    None,
    /// These clients' records changed (ascending ids).
    Clients(Vec<i64>),
    /// A change that can move every client's items (a setting such as a review threshold).
    Everyone,
}

/// The id noted for a write that touches every client.
const EVERYONE: i64 = 0;

/// The tables whose writes can change a client's needs-attention items, each with the SQL
/// expression that finds the client from the `NEW` or `OLD` row (`{row}`).
const WATCHED: &[(&str, &str)] = &[
    ("clients", "{row}.id"),
    ("sessions", "{row}.client_id"),
    ("notes", "{row}.client_id"),
    ("assessments", "{row}.client_id"),
    ("assessment_alerts", "{row}.client_id"),
    ("goals", "{row}.client_id"),
    (
        "goal_ratings",
        "(SELECT client_id FROM goals WHERE id = {row}.goal_id)",
    ),
    ("boundary_incidents", "{row}.client_id"),
    ("reviews", "{row}.client_id"),
    (
        "cancellations",
        "(SELECT client_id FROM sessions WHERE id = {row}.session_id)",
    ),
    ("settings", "0"),
    ("balances", "{row}.client_id"),
    ("handovers", "0"),
    ("retention", "0"),
];

impl Store {
    /// The needs-attention items for the scope, most urgent first.
    pub fn attention(&self, now: NaiveDateTime, scope: Scope) -> Result<Vec<AttentionItem>> {
        let mut items = self.outcome_attention(now, ATTENTION_LIMIT, scope)?;
        items.extend(self.note_attention(now, ATTENTION_LIMIT, scope)?);
        items.extend(self.review_attention_in(now, scope)?);
        items.extend(self.assessment_attention_in(now.date(), scope)?);
        items.extend(self.attendance_attention_in(now, scope)?);
        items.extend(self.balance_attention(now.date(), scope)?);
        if scope == Scope::Practice {
            items.extend(self.retention_attention(now)?);
        }
        attention::sort(&mut items);
        Ok(items)
    }

    /// Starts noting which clients this connection's writes touch (see the module's notes).
    /// Calling it again changes nothing.
    pub fn watch_attention(&self) -> Result<()> {
        let mut sql = String::from(
            "CREATE TEMP TABLE IF NOT EXISTS attention_changes (client_id INTEGER PRIMARY KEY);",
        );
        for (table, client) in WATCHED {
            for (event, row) in [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")] {
                let who = client.replace("{row}", row);
                sql.push_str(&format!(
                    "CREATE TEMP TRIGGER IF NOT EXISTS attention_{table}_{event} AFTER {event} ON main.{table}
                     BEGIN INSERT OR IGNORE INTO attention_changes (client_id) SELECT {who} WHERE {who} IS NOT NULL; END;",
                    event = event.to_ascii_lowercase(),
                ));
            }
        }
        self.conn().execute_batch(&sql)?;
        Ok(())
    }

    /// The clients touched by this connection's writes since the last call (and forgets them).
    /// `Changes::None` until [`Store::watch_attention`] has been called.
    pub fn attention_changes(&self) -> Result<Changes> {
        let watching: bool = self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM temp.sqlite_master WHERE name = 'attention_changes')",
            [],
            |r| r.get(0),
        )?;
        if !watching {
            return Ok(Changes::None);
        }
        let mut ids: Vec<i64> = self
            .conn()
            .prepare_cached("DELETE FROM temp.attention_changes RETURNING client_id")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.sort_unstable();
        Ok(match ids.first() {
            None => Changes::None,
            Some(&EVERYONE) => Changes::Everyone,
            Some(_) => Changes::Clients(ids),
        })
    }
}

/// Replaces the items of the clients in `changed` with their fresh items, keeping the order.
pub fn merge(items: &mut Vec<AttentionItem>, changed: &[i64], fresh: Vec<AttentionItem>) {
    items.retain(|i| changed.binary_search(&i.client_id()).is_err());
    items.extend(fresh);
    attention::sort(items);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_local;

    use crate::store::fixtures::{session, two_clients as store};

    #[test]
    fn writes_note_the_clients_they_touch_once_watching() {
        let s = store();
        session(&s, 1, 1, "2026-11-20T09:00", "scheduled");
        assert_eq!(s.attention_changes().unwrap(), Changes::None);
        s.watch_attention().unwrap();
        s.watch_attention().unwrap();
        session(&s, 2, 2, "2026-11-20T10:00", "scheduled");
        s.conn()
            .execute("UPDATE sessions SET status = 'attended' WHERE id = 1", [])
            .unwrap();
        assert_eq!(s.attention_changes().unwrap(), Changes::Clients(vec![1, 2]));
        assert_eq!(s.attention_changes().unwrap(), Changes::None);
        // A rating is traced to its goal's client, a cancellation to its session's.
        s.conn()
            .execute_batch(
                "INSERT INTO goals (id, client_id, text, set_on, created_at, updated_at)
                 VALUES (7, 2, 'Sleep through', '2026-11-01', 'x', 'x');",
            )
            .unwrap();
        assert_eq!(s.attention_changes().unwrap(), Changes::Clients(vec![2]));
        s.conn()
            .execute_batch(
                "INSERT INTO goal_ratings (goal_id, rated_on, rating, created_at)
                 VALUES (7, '2026-11-02', 4, 'x');",
            )
            .unwrap();
        assert_eq!(s.attention_changes().unwrap(), Changes::Clients(vec![2]));
        s.conn()
            .execute("DELETE FROM goal_ratings WHERE goal_id = 7", [])
            .unwrap();
        assert_eq!(s.attention_changes().unwrap(), Changes::Clients(vec![2]));
        // A setting can move everyone's items.
        s.conn()
            .execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES ('review_quiet_days', '30')",
                [],
            )
            .unwrap();
        assert_eq!(s.attention_changes().unwrap(), Changes::Everyone);
    }

    #[test]
    fn a_write_that_rolls_back_notes_nothing() {
        let mut s = store();
        s.watch_attention().unwrap();
        let r: Result<()> = s.write(|tx| {
            tx.execute(
                "INSERT INTO sessions (client_id, starts_at, minutes, modality, status, created_at, updated_at)
                 VALUES (1, '2026-11-20T09:00', 50, 'in_person', 'scheduled', 'x', 'x')",
                [],
            )?;
            Err(crate::store::StoreError::Refused("no".into()))
        });
        assert!(r.is_err());
        assert_eq!(s.attention_changes().unwrap(), Changes::None);
    }

    #[test]
    fn one_clients_items_are_the_practice_items_for_that_client() {
        let s = store();
        let now = parse_local("2026-11-23 09:00").unwrap();
        session(&s, 1, 1, "2026-11-20T09:00", "scheduled");
        session(&s, 2, 2, "2026-11-19T09:00", "scheduled");
        session(&s, 3, 2, "2026-11-18T09:00", "attended");
        let all = s.attention(now, Scope::Practice).unwrap();
        for c in [1, 2] {
            let own: Vec<_> = all.iter().filter(|i| i.client_id() == c).cloned().collect();
            assert!(!own.is_empty());
            assert_eq!(s.attention(now, Scope::Client(c)).unwrap(), own);
        }
    }

    #[test]
    fn merging_replaces_only_the_changed_clients_items() {
        let s = store();
        let now = parse_local("2026-11-23 09:00").unwrap();
        session(&s, 1, 1, "2026-11-20T09:00", "scheduled");
        session(&s, 2, 2, "2026-11-19T09:00", "scheduled");
        let mut items = s.attention(now, Scope::Practice).unwrap();
        s.conn()
            .execute("UPDATE sessions SET status = 'attended' WHERE id = 2", [])
            .unwrap();
        let fresh = s.attention(now, Scope::Client(2)).unwrap();
        merge(&mut items, &[2], fresh);
        assert_eq!(items, s.attention(now, Scope::Practice).unwrap());
    }
}
