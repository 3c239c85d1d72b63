//! The audit trail: an append-only record of changes to clinical records (migration 008; the
//! triggers there refuse any UPDATE or DELETE).
//!
//! Every module that changes a clinical record calls [`audit`] inside the same transaction, so
//! that the change and its entry land together or not at all.

use chrono::{DateTime, Utc};
use rusqlite::Transaction;

use super::{Result, Store, instant};
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
    tx.prepare_cached(
        "INSERT INTO audit (at, action, entity, entity_id, client_id, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(rusqlite::params![
        format_instant(now),
        action,
        entity,
        id,
        client_id,
        detail
    ])?;
    Ok(tx.last_insert_rowid())
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

impl Store {
    /// The audit trail, oldest first; only the entries about one client when `client` is given.
    pub fn audit_entries(&self, client: Option<i64>) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, at, action, entity, entity_id, client_id, detail FROM audit
             WHERE ?1 IS NULL OR client_id = ?1 ORDER BY id",
        )?;
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
