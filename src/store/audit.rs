//! The audit trail: an append-only, sealed record of changes to clinical records (migration
//! 008; sealed into a hash chain by migration 011, see [`crate::domain::seal`]).
//!
//! Every module that changes a clinical record calls [`audit`] inside the same transaction, so
//! that the change and its entry land together or not at all. Each entry is written, then
//! sealed in the same transaction: its `prev_hash` is the hash of the entry before it, and its
//! `hash` covers that and every column of the entry (read back from the file, so a column added
//! to the trail later is covered without a change here). Once sealed an entry can't change.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction};

use super::{Result, Store, StoreError, instant};
use crate::domain::seal::{self, Field};
use crate::domain::time::format_instant;

/// Appends one entry to the audit trail inside an open transaction; returns its id.
///
/// `action` is a snake_case word (`status_changed`, `note_signed`, `restored`, …), `entity` the
/// kind of record (`client`, `note`, `practice_file`, …), `id` the record's id when it has one,
/// `client_id` the client it concerns, and `detail` a short plain sentence.
pub(crate) fn audit(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    action: &str,
    entity: &str,
    id: Option<i64>,
    client_id: Option<i64>,
    detail: Option<&str>,
) -> Result<i64> {
    append(tx, now, action, entity, id, client_id, detail, None)
}

/// [`audit`] for an entry that seals a row's content (a signed note, an addendum): the entry
/// carries the SHA-256 of the row's canonical content ([`seal::sealed_columns`]).
#[allow(clippy::too_many_arguments)]
pub(crate) fn audit_sealing(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    action: &str,
    entity: &str,
    id: Option<i64>,
    client_id: Option<i64>,
    detail: Option<&str>,
    sealed: (&str, i64),
) -> Result<i64> {
    append(tx, now, action, entity, id, client_id, detail, Some(sealed))
}

#[allow(clippy::too_many_arguments)]
fn append(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    action: &str,
    entity: &str,
    id: Option<i64>,
    client_id: Option<i64>,
    detail: Option<&str>,
    sealed: Option<(&str, i64)>,
) -> Result<i64> {
    let prev: Option<Option<String>> = tx
        .prepare_cached("SELECT hash FROM audit ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    let prev = prev.flatten().unwrap_or_else(|| seal::GENESIS.to_string());
    let content = match sealed {
        Some((table, row)) => Some(content_seal(tx, table, row)?),
        None => None,
    };
    tx.prepare_cached(
        "INSERT INTO audit (at, action, entity, entity_id, client_id, detail, sealed_table,
                            sealed_id, seal, prev_hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(rusqlite::params![
        format_instant(now),
        action,
        entity,
        id,
        client_id,
        detail,
        sealed.map(|s| s.0),
        sealed.map(|s| s.1),
        content,
        prev
    ])?;
    let entry = tx.last_insert_rowid();
    seal_entry(tx, entry, &prev)?;
    Ok(entry)
}

/// A row's values, borrowed from it, read generically (text that is not UTF-8 as bytes).
pub(crate) fn row_values<'r>(
    r: &'r rusqlite::Row<'_>,
    n: usize,
) -> rusqlite::Result<Vec<Field<'r>>> {
    use rusqlite::types::ValueRef;
    (0..n)
        .map(|i| {
            Ok(match r.get_ref(i)? {
                ValueRef::Null => Field::Null,
                ValueRef::Integer(x) => Field::Integer(x),
                ValueRef::Real(x) => Field::Real(x),
                ValueRef::Text(t) => match std::str::from_utf8(t) {
                    Ok(s) => Field::Text(s),
                    Err(_) => Field::Blob(t),
                },
                ValueRef::Blob(b) => Field::Blob(b),
            })
        })
        .collect()
}

/// One row read generically: its column names and values.
pub(crate) struct RowView<'a> {
    pub names: &'a [String],
    pub values: &'a [Field<'a>],
}

impl<'a> RowView<'a> {
    /// The value of a column (NULL when the row has no such column).
    pub fn get(&self, name: &str) -> Field<'a> {
        self.names
            .iter()
            .position(|n| n == name)
            .and_then(|i| self.values.get(i).copied())
            .unwrap_or(Field::Null)
    }

    fn pairs(&self) -> impl Iterator<Item = (&'a str, &'a Field<'a>)> + use<'a> {
        self.names
            .iter()
            .map(String::as_str)
            .zip(self.values.iter())
    }
}

/// The canonical form of an audit entry: every column but `prev_hash` and `hash`.
pub(crate) fn entry_form(row: &RowView<'_>) -> String {
    let pairs: Vec<(&str, &Field<'_>)> = row
        .pairs()
        .filter(|(n, _)| !seal::CHAIN_COLUMNS.contains(n))
        .collect();
    seal::canonical(&pairs)
}

/// The content seal of a row given as its sealed columns.
pub(crate) fn seal_of(row: &RowView<'_>) -> String {
    let pairs: Vec<(&str, &Field<'_>)> = row.pairs().collect();
    seal::sha256_hex(seal::canonical(&pairs).as_bytes())
}

/// Computes and stores the hash of entry `id`, whose `prev_hash` is `prev`.
fn seal_entry(tx: &Connection, id: i64, prev: &str) -> Result<String> {
    let mut stmt = tx.prepare_cached("SELECT * FROM audit WHERE id = ?1")?;
    let names: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
    let form = stmt.query_row([id], |r| {
        let values = row_values(r, names.len())?;
        Ok(entry_form(&RowView {
            names: &names,
            values: &values,
        }))
    })?;
    let hash = seal::chain_hash(prev, &form);
    tx.prepare_cached("UPDATE audit SET hash = ?2 WHERE id = ?1")?
        .execute(rusqlite::params![id, hash])?;
    Ok(hash)
}

/// The SHA-256 of the sealed content of row `row` of `table` (a note, an addendum).
pub(crate) fn content_seal(conn: &Connection, table: &str, row: i64) -> Result<String> {
    let cols = seal::sealed_columns(table)
        .ok_or_else(|| StoreError::Refused(format!("Records in {table} are not sealed.")))?;
    let sql = format!(
        "SELECT {} FROM {} WHERE id = ?1",
        cols.join(", "),
        super::schema::quote(table)
    );
    let names: Vec<String> = cols.iter().map(|c| c.to_string()).collect();
    conn.prepare_cached(&sql)?
        .query_row([row], |r| {
            let values = row_values(r, names.len())?;
            Ok(seal_of(&RowView {
                names: &names,
                values: &values,
            }))
        })
        .optional()?
        .ok_or(StoreError::NotFound {
            what: "sealed record",
            id: row,
        })
}

/// What sealing the history of a file found and did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SealedHistory {
    /// Entries that had no hash and were sealed into the chain.
    pub entries: u64,
    /// Signed notes and addenda that no entry sealed and got an entry of their own.
    pub notes: u64,
    pub addenda: u64,
}

/// Seals a history written before the chain existed (a file being migrated, an import of an
/// unsealed export): the signing and addendum entries get the seal of what they signed, every
/// entry without a hash is chained in order, and every signed note or addendum no entry seals
/// gets an entry of its own. Appends nothing when there was nothing to seal; otherwise one
/// last entry (`action`, `detail` with the counts added) says it was done.
pub(crate) fn seal_history(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    action: &str,
    detail: &str,
) -> Result<SealedHistory> {
    // The seal of what each existing signing entry signed (notes can't change once signed).
    let signings: Vec<(i64, i64)> = tx
        .prepare(
            "SELECT a.id, a.entity_id FROM audit a JOIN notes n ON n.id = a.entity_id
             WHERE a.hash IS NULL AND a.seal IS NULL AND a.action = 'note_signed'
               AND a.entity = 'note' AND n.signed_at IS NOT NULL",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (entry, note) in signings {
        let s = content_seal(tx, "notes", note)?;
        tx.execute(
            "UPDATE audit SET sealed_table = 'notes', sealed_id = ?2, seal = ?3 WHERE id = ?1",
            rusqlite::params![entry, note, s],
        )?;
    }
    let addenda: Vec<(i64, String)> = tx
        .prepare(
            "SELECT id, detail FROM audit WHERE hash IS NULL AND seal IS NULL
             AND action = 'addendum_added' AND detail LIKE 'addendum % to note %'",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (entry, detail) in addenda {
        let Some(n) = detail
            .strip_prefix("addendum ")
            .and_then(|d| d.split(' ').next())
            .and_then(|n| n.parse::<i64>().ok())
        else {
            continue;
        };
        let Ok(s) = content_seal(tx, "note_addenda", n) else {
            continue;
        };
        tx.execute(
            "UPDATE audit SET sealed_table = 'note_addenda', sealed_id = ?2, seal = ?3 WHERE id = ?1",
            rusqlite::params![entry, n, s],
        )?;
    }
    // Chain every entry without a hash, in order.
    let pending: Vec<i64> = tx
        .prepare("SELECT id FROM audit WHERE hash IS NULL ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = SealedHistory {
        entries: pending.len() as u64,
        ..Default::default()
    };
    for id in pending {
        let prev: Option<String> = tx
            .query_row(
                "SELECT hash FROM audit WHERE id < ?1 ORDER BY id DESC LIMIT 1",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        let prev = prev.unwrap_or_else(|| seal::GENESIS.to_string());
        tx.execute(
            "UPDATE audit SET prev_hash = ?2 WHERE id = ?1",
            rusqlite::params![id, prev],
        )?;
        seal_entry(tx, id, &prev)?;
    }
    let count =
        |sql: &str| -> Result<u64> { Ok(tx.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64) };
    out.notes = count(
        "SELECT count(*) FROM notes WHERE signed_at IS NOT NULL AND id NOT IN
         (SELECT sealed_id FROM audit WHERE sealed_table = 'notes' AND sealed_id IS NOT NULL)",
    )?;
    out.addenda = count(
        "SELECT count(*) FROM note_addenda WHERE id NOT IN
         (SELECT sealed_id FROM audit WHERE sealed_table = 'note_addenda' AND sealed_id IS NOT NULL)",
    )?;
    if out == SealedHistory::default() {
        return Ok(out);
    }
    // The first new entry says what was done.
    let d = format!(
        "{detail}: {} earlier entr{} sealed into the chain; {} signed note{} and {} addend{} sealed",
        out.entries,
        if out.entries == 1 { "y" } else { "ies" },
        out.notes,
        if out.notes == 1 { "" } else { "s" },
        out.addenda,
        if out.addenda == 1 { "um" } else { "a" },
    );
    audit(tx, now, action, "practice_file", None, None, Some(&d))?;
    // Signed notes and addenda that no entry seals.
    let unsealed_notes: Vec<(i64, i64, String)> = tx
        .prepare(
            "SELECT id, client_id, signed_at FROM notes WHERE signed_at IS NOT NULL AND id NOT IN
             (SELECT sealed_id FROM audit WHERE sealed_table = 'notes' AND sealed_id IS NOT NULL)
             ORDER BY id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (note, client, signed_at) in unsealed_notes {
        let d = format!("note {note}, signed {signed_at}, sealed when the audit chain began");
        audit_sealing(
            tx,
            now,
            "note_sealed",
            "note",
            Some(note),
            Some(client),
            Some(&d),
            ("notes", note),
        )?;
    }
    let unsealed_addenda: Vec<(i64, i64, i64)> = tx
        .prepare(
            "SELECT a.id, a.note_id, n.client_id FROM note_addenda a JOIN notes n ON n.id = a.note_id
             WHERE a.id NOT IN (SELECT sealed_id FROM audit WHERE sealed_table = 'note_addenda'
                                AND sealed_id IS NOT NULL)
             ORDER BY a.id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (addendum, note, client) in unsealed_addenda {
        let d = format!("addendum {addendum} to note {note}, sealed when the audit chain began");
        audit_sealing(
            tx,
            now,
            "addendum_sealed",
            "note",
            Some(note),
            Some(client),
            Some(&d),
            ("note_addenda", addendum),
        )?;
    }
    Ok(out)
}

/// Writes the audit trail of a practice whose records were written in bulk (the demo): one
/// entry for each change a practitioner would have made, at the time it was made, in time
/// order, chained and sealed as they would have been.
pub(crate) fn write_history(tx: &Transaction<'_>) -> Result<u64> {
    let mut stmt = tx.prepare(
        "SELECT at, action, entity, entity_id, client_id, detail, sealed_table FROM (
            SELECT changed_at AS at, 'status_changed' AS action, 'client' AS entity,
                   client_id AS entity_id, client_id, 'from ' || from_status || ' to ' || to_status AS detail,
                   NULL AS sealed_table, 1 AS kind, id AS k
              FROM client_status_changes WHERE from_status IS NOT NULL
            UNION ALL
            SELECT a.created_at, 'assessment_recorded', 'assessment', a.id, a.client_id,
                   a.instrument || ' on ' || a.administered_at, NULL, 2, a.id
              FROM assessments a
            UNION ALL
            SELECT n.signed_at, 'note_signed', 'note', n.id, n.client_id, NULL, 'notes', 3, n.id
              FROM notes n WHERE n.signed_at IS NOT NULL
            UNION ALL
            SELECT c.created_at, 'cancellation_recorded', 'cancellation', c.id, s.client_id,
                   'session ' || c.session_id || ': ' || c.outcome, NULL, 4, c.id
              FROM cancellations c JOIN sessions s ON s.id = c.session_id
            UNION ALL
            SELECT d.created_at, 'discharged', 'discharge', d.id, d.client_id,
                   'to ' || d.to_status || ': ' || d.reason, NULL, 5, d.id
              FROM discharges d
         ) ORDER BY at, kind, k",
    )?;
    type Row = (
        String,
        String,
        String,
        Option<i64>,
        Option<i64>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut n = 0;
    for (at, action, entity, id, client, detail, sealed) in rows {
        let Some(at) = crate::domain::time::read_stored_instant(&at) else {
            continue;
        };
        let sealed = match (sealed.as_deref(), id) {
            (Some(t), Some(i)) => Some((t, i)),
            _ => None,
        };
        append(
            tx,
            at,
            &action,
            &entity,
            id,
            client,
            detail.as_deref(),
            sealed,
        )?;
        n += 1;
    }
    Ok(n)
}

/// For the benchmark: appends `n` entries in one transaction, sealed as [`audit`] seals them,
/// or (with `sealed` false) as the trail was written before the seal existed, so that the seal's
/// share of a write can be measured.
#[doc(hidden)]
pub fn bench_appends(store: &mut Store, n: usize, sealed: bool) -> Result<()> {
    let now = chrono::Utc::now();
    store.write(|tx| {
        for i in 0..n {
            let detail = format!("from active to on_hold ({i})");
            if sealed {
                audit(
                    tx,
                    now,
                    "status_changed",
                    "client",
                    Some(1),
                    Some(1),
                    Some(&detail),
                )?;
            } else {
                tx.prepare_cached(
                    "INSERT INTO audit (at, action, entity, entity_id, client_id, detail)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(rusqlite::params![
                    format_instant(now),
                    "status_changed",
                    "client",
                    1,
                    1,
                    detail
                ])?;
            }
        }
        Ok(())
    })
}

/// One entry of the audit trail.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AuditEntry {
    pub id: i64,
    #[serde(serialize_with = "crate::domain::time::serialize_instant")]
    pub at: DateTime<Utc>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub client_id: Option<i64>,
    pub detail: Option<String>,
}

/// The length of the audit trail and the hash of its last entry.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Head {
    pub entries: u64,
    /// 64 hex digits; none while the trail is empty.
    pub head: Option<String>,
}

impl Store {
    /// The chain's length and head, for keeping outside the computer.
    pub fn audit_head(&self) -> Result<Head> {
        let (entries, head): (i64, Option<String>) = self.conn().query_row(
            "SELECT count(*), (SELECT hash FROM audit ORDER BY id DESC LIMIT 1) FROM audit",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(Head {
            entries: entries as u64,
            head,
        })
    }

    /// The audit trail, oldest first; only the entries about one client when `client` is given.
    pub fn audit_entries(&self, client: Option<i64>) -> Result<Vec<AuditEntry>> {
        // Two statements, so one client's entries come through the `audit_by_client` index
        // (`?1 IS NULL OR client_id = ?1` read the whole trail: 30 ms to open a client on the
        // 20-year demo).
        let mut stmt = self.conn().prepare_cached(match client {
            Some(_) => {
                "SELECT id, at, action, entity, entity_id, client_id, detail FROM audit
                 WHERE client_id = ?1 ORDER BY id"
            }
            None => {
                "SELECT id, at, action, entity, entity_id, client_id, detail FROM audit
                 WHERE ?1 IS NULL ORDER BY id"
            }
        })?;
        let rows = stmt
            .query_map([client], |r| {
                Ok(AuditEntry {
                    id: r.get(0)?,
                    at: instant(r, 1)?,
                    action: r.get(2)?,
                    entity: r.get(3)?,
                    entity_id: r.get(4)?,
                    client_id: r.get(5)?,
                    detail: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::client::{ClientInput, ClientStatus};
    use chrono::{NaiveDate, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 14, 9, 0, 0).unwrap()
    }

    #[test]
    fn status_changes_are_audited_and_the_trail_cannot_change() {
        let mut s = Store::open_in_memory().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 3, 14).unwrap();
        let f = ClientInput {
            name: "Ada Lovelace".into(),
            ..Default::default()
        }
        .validate(today)
        .unwrap();
        let c = s.add_client(&f, now()).unwrap();
        s.set_client_status(c.id, ClientStatus::Discharged, now())
            .unwrap();
        // No change, no entry.
        s.set_client_status(c.id, ClientStatus::Discharged, now())
            .unwrap();
        let trail = s.audit_entries(Some(c.id)).unwrap();
        assert_eq!(trail.len(), 1);
        assert_eq!(trail[0].action, "status_changed");
        assert_eq!(trail[0].entity, "client");
        assert_eq!(trail[0].entity_id, Some(c.id));
        assert_eq!(
            trail[0].detail.as_deref(),
            Some("from active to discharged")
        );
        assert!(s.audit_entries(Some(c.id + 1)).unwrap().is_empty());
        assert_eq!(s.audit_entries(None).unwrap().len(), 1);

        let update = s.conn().execute("UPDATE audit SET action = 'x'", []);
        assert!(update.unwrap_err().to_string().contains("only be added to"));
        let delete = s.conn().execute("DELETE FROM audit", []);
        assert!(delete.unwrap_err().to_string().contains("only be added to"));
        assert_eq!(s.audit_entries(None).unwrap().len(), 1);
    }
}
