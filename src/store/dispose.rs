//! Disposal: the one sanctioned removal of clinical records, after the retention period.
//!
//! [`Store::dispose`] removes everything held about one client — their details, sessions,
//! cancellations, notes and addenda, assessments and alerts, goals and ratings, boundaries,
//! consultations about them, discharges, retention settings — in one transaction, with SQLite's
//! `secure_delete` on so that no freed page keeps the text, and the notes' search index cleaned.
//! A tombstone stays in the disposal log (name, date of birth, first and last contact,
//! keep-until, when and by whom) and the audit trail records the disposal. The client's money
//! lines keep their amounts for the books in `disposed_money` (kind, day, amount, tax, service),
//! without their descriptions, their session or the client's details.
//!
//! The rows to remove are found by following foreign keys from the client's row, so a table
//! added later that points at a client (or at a client's session, note, …) is covered without
//! a list to keep up to date. The never-delete triggers on those tables are lifted inside the
//! transaction and put back, unchanged, before it commits: for everything else they stand.
//!
//! [`dispose_in_backups`] applies the same removal to every backup in the backups folder.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction};

use super::{Result, Store, StoreError, audit::audit, crypt, date_text, safety};
use crate::domain::time::format_instant;

/// How many rows of each table a disposal removes (or would remove).
pub type Counts = BTreeMap<String, usize>;

/// What a disposal did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Disposed {
    pub client_id: i64,
    pub name: String,
    pub removed: Counts,
}

/// What became of one backup.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BackupOutcome {
    pub file: PathBuf,
    /// `disposed`, `not_in_backup` or `could_not_open`.
    pub outcome: String,
    pub detail: Option<String>,
}

/// A foreign key: (child table, child column, parent table, parent column or none for its
/// primary key).
type ForeignKey = (String, String, String, Option<String>);

/// Every table's foreign keys.
fn foreign_keys(conn: &Connection) -> rusqlite::Result<Vec<ForeignKey>> {
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for t in tables {
        let mut stmt = conn.prepare(&format!(
            "SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list({})",
            sql_text(&t)
        ))?;
        let fks = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (parent, from, to) in fks {
            out.push((t.clone(), from, parent, to));
        }
    }
    Ok(out)
}

fn sql_text(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn json_ids(ids: &BTreeSet<i64>) -> String {
    serde_json::Value::from(ids.iter().copied().collect::<Vec<_>>()).to_string()
}

/// The rowids of every row that belongs to the client: their own row, then (repeatedly) every
/// row whose foreign key points at a row already found.
fn rows_of(conn: &Connection, client_id: i64) -> rusqlite::Result<BTreeMap<String, BTreeSet<i64>>> {
    let fks = foreign_keys(conn)?;
    let mut found: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM clients WHERE id = ?1)",
        [client_id],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(found);
    }
    found.insert("clients".into(), BTreeSet::from([client_id]));
    loop {
        let mut grew = false;
        for (child, from, parent, to) in &fks {
            let Some(parents) = found.get(parent).filter(|s| !s.is_empty()) else {
                continue;
            };
            let keys = match to {
                None => parents.clone(),
                Some(col) => conn
                    .prepare(&format!(
                        "SELECT {} FROM {} WHERE rowid IN (SELECT value FROM json_each(?1))",
                        ident(col),
                        ident(parent)
                    ))?
                    .query_map([json_ids(parents)], |r| r.get::<_, Option<i64>>(0))?
                    .filter_map(|v| v.transpose())
                    .collect::<rusqlite::Result<_>>()?,
            };
            let children: Vec<i64> = conn
                .prepare(&format!(
                    "SELECT rowid FROM {} WHERE {} IN (SELECT value FROM json_each(?1))",
                    ident(child),
                    ident(from)
                ))?
                .query_map([json_ids(&keys)], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let set = found.entry(child.clone()).or_default();
            for c in children {
                grew |= set.insert(c);
            }
        }
        if !grew {
            break;
        }
    }
    found.retain(|_, s| !s.is_empty());
    Ok(found)
}

/// What a disposal of `client_id` would remove, table by table (nothing is changed).
pub fn would_remove(conn: &Connection, client_id: i64) -> Result<Counts> {
    Ok(rows_of(conn, client_id)?
        .into_iter()
        .map(|(t, s)| (t, s.len()))
        .collect())
}

/// The tombstone's facts, read before anything goes.
struct Facts {
    name: String,
    born: Option<String>,
    first_contact: Option<String>,
    last_contact: Option<String>,
    keep_until: Option<String>,
}

/// Removes the client's rows inside `tx` (which must be on a connection with `secure_delete`
/// on), lifting and restoring the delete triggers of the tables touched, cleaning the notes'
/// search index, and leaving the tombstone and an audit entry. Returns the rows removed.
fn remove(
    tx: &Transaction<'_>,
    client_id: i64,
    facts: &Facts,
    by: &str,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<Counts> {
    let rows = rows_of(tx, client_id)?;
    if rows.is_empty() {
        return Ok(Counts::new());
    }
    // Checked at commit, so the order of the deletes does not matter.
    tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
    let triggers: Vec<(String, String)> = {
        let mut stmt = tx.prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1
             AND sql IS NOT NULL",
        )?;
        let mut all = Vec::new();
        for table in rows.keys() {
            let found = stmt
                .query_map([table], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            all.extend(
                found
                    .into_iter()
                    .filter(|(_, sql)| sql.to_ascii_uppercase().contains("BEFORE DELETE")),
            );
        }
        all
    };
    for (name, _) in &triggers {
        tx.execute_batch(&format!("DROP TRIGGER {}", ident(name)))?;
    }
    // The notes' search rows (rowid = note id) go with the notes.
    let fts: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'notes_fts')",
        [],
        |r| r.get(0),
    )?;
    if let (true, Some(notes)) = (fts, rows.get("notes")) {
        // FTS5 then removes the words from its index at once, rather than at a later merge.
        let _ = tx.execute(
            "INSERT INTO notes_fts (notes_fts, rank) VALUES ('secure-delete', 1)",
            [],
        );
        tx.execute(
            "DELETE FROM notes_fts WHERE rowid IN (SELECT value FROM json_each(?1))",
            [json_ids(notes)],
        )?;
    }
    // The money lines keep their amounts for the books, without their descriptions, their
    // session or the client's details (a file from before this table simply loses them).
    let kept_money: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'disposed_money')",
        [],
        |r| r.get(0),
    )?;
    if let (true, Some(lines)) = (kept_money, rows.get("ledger")) {
        tx.execute(
            "INSERT INTO disposed_money (ledger_id, client_id, kind, on_date, amount, tax, basis,
                 service_id, ref_id, method, created_at)
             SELECT id, ?2, kind, on_date, amount, tax, basis, service_id, ref_id, method,
                 created_at
             FROM ledger WHERE rowid IN (SELECT value FROM json_each(?1))",
            rusqlite::params![json_ids(lines), client_id],
        )?;
    }
    let mut counts = Counts::new();
    for (table, ids) in &rows {
        let n = tx.execute(
            &format!(
                "DELETE FROM {} WHERE rowid IN (SELECT value FROM json_each(?1))",
                ident(table)
            ),
            [json_ids(ids)],
        )?;
        counts.insert(table.clone(), n);
    }
    for (_, sql) in &triggers {
        tx.execute_batch(sql)?;
    }
    if fts {
        tx.execute("INSERT INTO notes_fts (notes_fts) VALUES ('optimize')", [])?;
    }
    tx.execute(
        "INSERT INTO disposals (client_id, name, born, first_contact, last_contact, keep_until,
             disposed_on, disposed_at, disposed_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        rusqlite::params![
            client_id,
            facts.name,
            facts.born,
            facts.first_contact,
            facts.last_contact,
            facts.keep_until,
            date_text(today),
            format_instant(now),
            by,
        ],
    )?;
    audit(
        tx,
        now,
        "record_disposed",
        "client",
        Some(client_id),
        Some(client_id),
        Some("record disposed of after its keep-until date (see the disposal log)"),
    )?;
    Ok(counts)
}

/// Runs `f` with `secure_delete` on, then writes the change back into the file and empties the
/// write-ahead log, so neither keeps the removed text.
fn securely<T>(conn: &mut Connection, f: impl FnOnce(&mut Connection) -> Result<T>) -> Result<T> {
    conn.execute_batch("PRAGMA secure_delete = ON")?;
    let out = f(conn);
    if out.is_ok() {
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    }
    conn.execute_batch("PRAGMA secure_delete = OFF")?;
    out
}

impl Store {
    /// What disposing of a client would remove (nothing is changed).
    pub fn disposal_preview(&self, client_id: i64) -> Result<Counts> {
        self.retention_of(client_id)?;
        would_remove(self.conn(), client_id)
    }

    /// Disposes of a client's record: refused unless it is due (keep-until reached, no legal
    /// hold, care ended). One transaction; see the module's notes.
    pub fn dispose(
        &mut self,
        client_id: i64,
        by: &str,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<Disposed> {
        let row = self.disposable(client_id, today)?;
        let facts = Facts {
            name: row.name.clone(),
            born: row.facts.born.map(date_text),
            first_contact: Some(date_text(row.facts.first_contact)),
            last_contact: Some(date_text(row.last_contact)),
            keep_until: Some(date_text(row.keep_until)),
        };
        let removed = securely(&mut self.conn, |conn| {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let counts = remove(&tx, client_id, &facts, by, now, today)?;
            // The report's kept figures are counted afresh without the client's sessions.
            super::report_counts::rebuild(&tx)?;
            tx.commit()?;
            Ok(counts)
        })?;
        Ok(Disposed {
            client_id,
            name: row.name,
            removed,
        })
    }

    /// The client's retention line when their record may be disposed of on `today`; else the
    /// reason it may not, in words.
    pub fn disposable(
        &self,
        client_id: i64,
        today: NaiveDate,
    ) -> Result<super::retention::RetentionRow> {
        let row = self.retention_of(client_id)?;
        if let Some(reason) = &row.hold {
            return Err(StoreError::Refused(format!(
                "{}'s record is on legal hold ({reason}), so it is not disposed of. Nothing was changed. Release the hold first if it no longer applies.",
                row.name
            )));
        }
        if matches!(
            row.status,
            crate::domain::client::ClientStatus::Active
                | crate::domain::client::ClientStatus::OnHold
        ) {
            return Err(StoreError::Refused(format!(
                "{} is still in care ({}), so their record is not disposed of. Nothing was changed.",
                row.name,
                row.status.label().to_lowercase()
            )));
        }
        if today < row.keep_until {
            return Err(StoreError::Refused(format!(
                "{}'s record is kept until {} ({}), so it is not disposed of yet. Nothing was changed.",
                row.name,
                row.keep_until,
                row.rule.label().to_lowercase()
            )));
        }
        Ok(row)
    }
}

/// The pages the app wrote about a client beside the practice file (`handout-ID-DATE.html`,
/// `summary-ID-DATE.html`), oldest name first.
pub fn pages_of(db: &Path, client_id: i64) -> Vec<PathBuf> {
    let dir = match db.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            ["handout", "summary"].iter().any(|kind| {
                name.strip_prefix(&format!("{kind}-{client_id}-"))
                    .and_then(|rest| rest.strip_suffix(".html"))
                    .is_some_and(|day| day.parse::<NaiveDate>().is_ok())
            })
        })
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

/// Removes the pages [`pages_of`] finds, each overwritten with zeros first. Returns each page
/// with what went wrong, if anything (a page that could not be removed still holds the text).
pub fn remove_pages(db: &Path, client_id: i64) -> Vec<(PathBuf, Option<String>)> {
    pages_of(db, client_id)
        .into_iter()
        .map(|p| {
            let wiped = (|| -> std::io::Result<()> {
                let len = std::fs::metadata(&p)?.len();
                let mut f = std::fs::OpenOptions::new().write(true).open(&p)?;
                std::io::Write::write_all(&mut f, &vec![0u8; len as usize])?;
                f.sync_all()?;
                drop(f);
                std::fs::remove_file(&p)
            })();
            let why = wiped.err().map(|e| super::io_reason(&e));
            (p, why)
        })
        .collect()
}

/// Applies a disposal already made in the practice file to every backup of `db` in its backups
/// folder, opened with the practice's key (or, for a backup made under another passphrase, its
/// own key file unlocked with `passphrase`). A backup that can't be opened is listed, not
/// changed. The tombstone and audit entry go into each backup too.
pub fn dispose_in_backups(
    db: &Path,
    key: Option<&crypt::FileKey>,
    passphrase: Option<&str>,
    client_id: i64,
    by: &str,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<Vec<BackupOutcome>> {
    let backups = safety::list_backups(db).map_err(|e| StoreError::CannotWrite {
        path: safety::backups_dir(db).display().to_string(),
        reason: super::io_reason(&e),
    })?;
    let mut out = Vec::new();
    for b in backups {
        let outcome = match open_backup(&b.path, key, passphrase) {
            Err(why) => BackupOutcome {
                file: b.path.clone(),
                outcome: "could_not_open".into(),
                detail: Some(why),
            },
            Ok(mut store) => match dispose_in(&mut store, client_id, by, now, today) {
                Ok(true) => BackupOutcome {
                    file: b.path.clone(),
                    outcome: "disposed".into(),
                    detail: None,
                },
                Ok(false) => BackupOutcome {
                    file: b.path.clone(),
                    outcome: "not_in_backup".into(),
                    detail: None,
                },
                Err(e) => BackupOutcome {
                    file: b.path.clone(),
                    outcome: "could_not_open".into(),
                    detail: Some(e.to_string()),
                },
            },
        };
        out.push(outcome);
    }
    Ok(out)
}

fn open_backup(
    path: &Path,
    key: Option<&crypt::FileKey>,
    passphrase: Option<&str>,
) -> std::result::Result<Store, String> {
    if !crypt::keys_path(path).is_file() {
        return Store::open(path).map_err(|e| e.to_string());
    }
    if let Some(k) = key
        && let Ok(s) = Store::open_keyed(path, Some(k))
    {
        return Ok(s);
    }
    match passphrase {
        Some(p) => {
            let k = crypt::unlock(path, p).map_err(|e| e.to_string())?;
            Store::open_keyed(path, Some(&k)).map_err(|e| e.to_string())
        }
        None => Err(
            "it is encrypted with a key this practice file does not have (set CASELOAD_PASSPHRASE to the passphrase it was made with)"
                .into(),
        ),
    }
}

/// Disposes of the client in an opened backup; `false` when the backup does not hold them.
fn dispose_in(
    store: &mut Store,
    client_id: i64,
    by: &str,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<bool> {
    let present: Option<String> = store
        .conn()
        .query_row("SELECT name FROM clients WHERE id = ?1", [client_id], |r| {
            r.get(0)
        })
        .optional()?;
    if present.is_none() {
        return Ok(false);
    }
    let row = store.retention_of(client_id)?;
    let facts = Facts {
        name: row.name.clone(),
        born: row.facts.born.map(date_text),
        first_contact: Some(date_text(row.facts.first_contact)),
        last_contact: Some(date_text(row.last_contact)),
        keep_until: Some(date_text(row.keep_until)),
    };
    securely(&mut store.conn, |conn| {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        remove(&tx, client_id, &facts, by, now, today)?;
        // The report's kept figures are counted afresh without the client's sessions.
        super::report_counts::rebuild(&tx)?;
        tx.commit()?;
        Ok(())
    })?;
    // A backup is one self-contained file: no write-ahead log beside it.
    store
        .conn()
        .query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::fixtures::{session, two_clients};
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
    }

    /// Client 1 with a linked record in every kind of table; client 2 with a session.
    fn practice() -> Store {
        let s = two_clients();
        session(&s, 1, 1, "2018-03-01T09:00", "attended");
        session(&s, 2, 1, "2018-03-08T09:00", "cancelled");
        session(&s, 3, 2, "2018-03-01T10:00", "attended");
        s.conn()
            .execute_batch(
                "UPDATE clients SET status = 'discharged' WHERE id = 1;
                 INSERT INTO goals (id, client_id, text, set_on, created_at, updated_at)
                     VALUES (7, 1, 'Sleep through', '2018-03-01', 'x', 'x');
                 INSERT INTO goal_ratings (goal_id, rated_on, rating, session_id, created_at)
                     VALUES (7, '2018-03-01', 4, 1, 'x');
                 INSERT INTO boundary_incidents (client_id, occurred_on, kind, note, created_at)
                     VALUES (1, '2018-03-02', 'other', 'Rang late', 'x');
                 INSERT INTO cancellations (session_id, requested_at, by, reason, note, notice_hours,
                     outcome, created_at)
                     VALUES (2, '2018-03-07T09:00:00Z', 'client', 'work', 'Busy at work', 24,
                     'cancelled', 'x');
                 INSERT INTO consultations (held_on, colleague, topic, client_id, created_at)
                     VALUES ('2018-03-03', 'Dr K', 'Sleep', 1, 'x'),
                            ('2018-03-04', 'Dr K', 'Caseload', NULL, 'x');",
            )
            .unwrap();
        s
    }

    #[test]
    fn everything_linked_to_the_client_goes_and_nothing_else() {
        let mut s = practice();
        let preview = s.disposal_preview(1).unwrap();
        let expected: Counts = [
            ("boundary_incidents", 1),
            ("cancellations", 1),
            ("clients", 1),
            ("consultations", 1),
            ("goal_ratings", 1),
            ("goals", 1),
            ("sessions", 2),
        ]
        .into_iter()
        .map(|(t, n)| (t.to_string(), n))
        .collect();
        assert_eq!(preview, expected);
        let done = s.dispose(1, "Alex Reed", now(), today()).unwrap();
        assert_eq!(done.removed, expected);
        assert_eq!(s.disposal_preview(2).unwrap()["sessions"], 1);
        let left: i64 = s
            .conn()
            .query_row("SELECT count(*) FROM consultations", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 1);
        // The guards are back for everyone else.
        let err = s.conn().execute("DELETE FROM sessions WHERE id = 3", []);
        assert!(err.unwrap_err().to_string().contains("never deleted"));
        let err = s.conn().execute("DELETE FROM clients WHERE id = 2", []);
        assert!(err.unwrap_err().to_string().contains("never deleted"));
        let log = s.disposal_log().unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].name, "Ruth Morgan");
        assert_eq!(log[0].disposed_by, "Alex Reed");
        assert_eq!(log[0].last_contact, NaiveDate::from_ymd_opt(2018, 3, 1));
    }

    #[test]
    fn a_refused_disposal_changes_nothing() {
        let mut s = practice();
        s.hold_record(1, "Tribunal", now()).unwrap();
        let err = s.dispose(1, "A", now(), today()).unwrap_err();
        assert!(err.to_string().contains("legal hold (Tribunal)"), "{err}");
        let err = s.dispose(2, "A", now(), today()).unwrap_err();
        assert!(err.to_string().contains("still in care"), "{err}");
        assert_eq!(s.disposal_preview(1).unwrap()["sessions"], 2);
        assert!(s.disposal_log().unwrap().is_empty());
    }
}
