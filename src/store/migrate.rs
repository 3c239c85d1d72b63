//! Schema migrations: a small `user_version` runner.
//!
//! Each migration runs in its own immediate transaction and re-reads the version inside it, so
//! two processes opening a new file at once never apply a migration twice. A file whose version
//! is newer than [`LATEST`] is refused before anything is written.

use rusqlite::{Connection, TransactionBehavior};

/// Identifies a caseload practice file (`PRAGMA application_id`): "CSLD".
pub const APPLICATION_ID: i32 = 0x4353_4c44;

/// The migrations, in order; migration `i` brings the file to version `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_foundation.sql"),
    include_str!("migrations/002_sessions.sql"),
    include_str!("migrations/003_notes.sql"),
    include_str!("migrations/004_assessments.sql"),
    include_str!("migrations/005_cancellations.sql"),
    include_str!("migrations/006_relationship.sql"),
    include_str!("migrations/007_report_indexes.sql"),
    include_str!("migrations/008_audit.sql"),
    include_str!("migrations/009_attention_indexes.sql"),
    include_str!("migrations/010_direction_and_list_indexes.sql"),
    include_str!("migrations/016_cancellation_reverted.sql"),
    include_str!("migrations/012_report_counts.sql"),
];

/// The schema version this build writes.
pub const LATEST: i32 = MIGRATIONS.len() as i32;

pub fn user_version(conn: &Connection) -> rusqlite::Result<i32> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

pub fn application_id(conn: &Connection) -> rusqlite::Result<i32> {
    conn.query_row("PRAGMA application_id", [], |r| r.get(0))
}

/// Brings the file up to [`LATEST`]. Returns the version it started at.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<i32> {
    let start = user_version(conn)?;
    if start >= LATEST {
        // Up to date: take no write lock, so opening never waits behind another writer.
        return Ok(start);
    }
    for (i, sql) in MIGRATIONS.iter().enumerate() {
        let target = i as i32 + 1;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: i32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if current >= target {
            continue;
        }
        tx.execute_batch(sql)?;
        if target == 1 {
            tx.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}"))?;
        }
        tx.execute_batch(&format!("PRAGMA user_version = {target}"))?;
        tx.commit()?;
    }
    Ok(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrating_twice_is_harmless() {
        let mut c = Connection::open_in_memory().unwrap();
        assert_eq!(migrate(&mut c).unwrap(), 0);
        assert_eq!(user_version(&c).unwrap(), LATEST);
        assert_eq!(application_id(&c).unwrap(), APPLICATION_ID);
        assert_eq!(migrate(&mut c).unwrap(), LATEST);
        assert_eq!(user_version(&c).unwrap(), LATEST);
    }

    #[test]
    fn a_failed_migration_leaves_the_version() {
        let mut c = Connection::open_in_memory().unwrap();
        c.execute_batch("CREATE TABLE clients (x)").unwrap();
        assert!(migrate(&mut c).is_err());
        assert_eq!(user_version(&c).unwrap(), 0);
    }
}
