//! A client's copy of their record: everything held about them, gathered from one read, and
//! the release of a copy recorded in the audit trail.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Result, Store, audit::audit};
use crate::domain::record::{AuditLine, ClientRecord, RecordSession, StatusEvent};

impl Store {
    /// Everything held about a client (from one consistent read), limited to a period when
    /// `from` or `to` is given.
    pub fn client_record(
        &self,
        client_id: i64,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<ClientRecord> {
        // One consistent read (unless the caller already holds one).
        let tx = if self.conn().is_autocommit() {
            Some(self.conn().unchecked_transaction()?)
        } else {
            None
        };
        let client = self.client(client_id)?;
        let mut sessions = Vec::new();
        for s in self.client_sessions(client_id)? {
            let cancellation = self.cancellation_for_session(s.id)?;
            sessions.push(RecordSession {
                session: s,
                cancellation,
            });
        }
        // Oldest first, as a chart reads.
        let mut notes = self.notes_for_client(client_id)?;
        notes.sort_by_key(|n| {
            (
                n.session_starts_at
                    .map(|s| s.and_utc())
                    .unwrap_or(n.created_at),
                n.id,
            )
        });
        let record = ClientRecord {
            status_history: self
                .status_history(client_id)?
                .into_iter()
                .map(|c| StatusEvent {
                    from_status: c.from_status.map(|s| s.as_str().to_string()),
                    to_status: c.to_status.as_str().to_string(),
                    changed_at: c.changed_at,
                })
                .collect(),
            sessions,
            notes,
            assessments: self.assessments(client_id, None)?,
            engagement_models: self.model_history(client_id)?,
            goals: self.goals(client_id)?,
            boundaries: self.boundaries(client_id)?,
            discharges: self.discharges(client_id)?,
            audit: self
                .audit_entries(Some(client_id))?
                .into_iter()
                .map(|e| AuditLine {
                    at: e.at,
                    action: e.action,
                    entity: e.entity,
                    entity_id: e.entity_id,
                    detail: e.detail,
                })
                .collect(),
            client,
            from: None,
            to: None,
        };
        if let Some(tx) = tx {
            tx.finish()?;
        }
        Ok(record.within(from, to))
    }

    /// Records in the audit trail that a copy of a client's record was released (`detail` says
    /// in which format, for which period, and where it went).
    pub fn record_released(
        &mut self,
        client_id: i64,
        detail: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| {
            audit(
                tx,
                now,
                "record_released",
                "client",
                Some(client_id),
                Some(client_id),
                Some(detail),
            )?;
            Ok(())
        })
    }
}
