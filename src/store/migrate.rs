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
    SEAL,
    include_str!("migrations/012_cancellation_reverted.sql"),
    include_str!("migrations/013_report_counts.sql"),
    include_str!("migrations/014_billing.sql"),
    include_str!("migrations/015_retention.sql"),
    include_str!("migrations/016_session_sequence.sql"),
    include_str!("migrations/017_disposed_money.sql"),
    include_str!("migrations/018_attendance_history.sql"),
];

/// The migration that seals the audit trail into a hash chain. After its SQL, the runner seals
/// the entries written before it (SHA-256, in Rust: [`super::audit::seal_history`]).
pub const SEAL: &str = include_str!("migrations/011_seal.sql");

/// The schema version from which the audit trail is sealed.
pub fn seal_version() -> i32 {
    MIGRATIONS
        .iter()
        .position(|m| *m == SEAL)
        .map(|i| i as i32 + 1)
        .unwrap_or(LATEST)
}

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
        if *sql == SEAL {
            super::audit::seal_history(
                &tx,
                chrono::Utc::now(),
                "audit_sealed",
                "The audit trail was sealed into a hash chain",
            )
            .map_err(|e| match e {
                super::StoreError::Sqlite(e) => e,
                other => rusqlite::Error::InvalidParameterName(other.to_string()),
            })?;
        }
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

#[cfg(test)]
mod seal_tests {
    use super::*;

    /// A file as caseload wrote it before the seal: schema 10, with a signed note (its signing
    /// entry in the trail), an addendum, one signed before the trail existed, and other entries.
    fn unsealed_file() -> Connection {
        let c = Connection::open_in_memory().unwrap();
        let before = MIGRATIONS.iter().position(|m| *m == SEAL).unwrap();
        for (i, sql) in MIGRATIONS[..before].iter().enumerate() {
            c.execute_batch(sql).unwrap();
            c.execute_batch(&format!("PRAGMA user_version = {}", i + 1))
                .unwrap();
        }
        c.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}"))
            .unwrap();
        c.execute_batch(
            "INSERT INTO clients (id, name, intake_date, created_at, updated_at)
                 VALUES (1, 'Ada Lovelace', '2025-01-01', '2025-01-01T09:00:00Z', '2025-01-01T09:00:00Z');
             INSERT INTO notes (id, client_id, template, body, created_at, updated_at, signed_at)
                 VALUES (1, 1, 'free', '{\"note\":\"First meeting.\"}', '2025-01-02T09:00:00Z', '2025-01-02T12:00:00Z', '2025-01-02T12:00:00Z'),
                        (2, 1, 'free', '{\"note\":\"Second meeting.\"}', '2025-01-09T09:00:00Z', '2025-01-09T12:00:00Z', '2025-01-09T12:00:00Z');
             INSERT INTO note_addenda (id, note_id, text, created_at)
                 VALUES (1, 2, 'Called back.', '2025-01-10T09:00:00Z');
             INSERT INTO audit (at, action, entity, entity_id, client_id, detail) VALUES
                 ('2025-01-05T09:00:00Z', 'status_changed', 'client', 1, 1, 'from active to on_hold'),
                 ('2025-01-09T12:00:00Z', 'note_signed', 'note', 2, 1, NULL),
                 ('2025-01-10T09:00:00Z', 'addendum_added', 'note', 2, 1, 'addendum 1 to note 2');",
        )
        .unwrap();
        c
    }

    #[test]
    fn the_migration_seals_the_entries_before_it_in_order_and_says_so() {
        let mut c = unsealed_file();
        migrate(&mut c).unwrap();
        type Entry = (i64, String, Option<String>, Option<String>, String, String);
        let rows: Vec<Entry> = c
            .prepare(
                "SELECT id, action, sealed_table, detail, prev_hash, hash FROM audit ORDER BY id",
            )
            .unwrap()
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let actions: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
        assert_eq!(
            actions,
            [
                "status_changed",
                "note_signed",
                "addendum_added",
                "audit_sealed",
                "note_sealed"
            ]
        );
        assert_eq!(rows[1].2.as_deref(), Some("notes"));
        assert_eq!(rows[2].2.as_deref(), Some("note_addenda"));
        assert_eq!(
            rows[3].3.as_deref(),
            Some(
                "The audit trail was sealed into a hash chain: 3 earlier entries sealed into the chain; 1 signed note and 0 addenda sealed"
            )
        );
        assert_eq!(rows[0].4, crate::domain::seal::GENESIS);
        for w in rows.windows(2) {
            assert_eq!(w[1].4, w[0].5);
        }
        let v = super::super::verify::verify(&c).unwrap();
        assert!(v.ok(), "{:?}", v.problems());
        assert_eq!(v.seal.entries, 5);
        // Sealed entries can't change; the file's own triggers say so.
        let e = c
            .execute("UPDATE audit SET detail = 'x' WHERE id = 1", [])
            .unwrap_err();
        assert!(e.to_string().contains("only be added to"), "{e}");
    }

    #[test]
    fn a_new_file_starts_with_an_empty_trail() {
        let mut c = Connection::open_in_memory().unwrap();
        migrate(&mut c).unwrap();
        let n: i64 = c
            .query_row("SELECT count(*) FROM audit", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
        assert_eq!(
            seal_version(),
            MIGRATIONS.iter().position(|m| *m == SEAL).unwrap() as i32 + 1
        );
    }
}
