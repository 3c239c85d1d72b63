//! Writing the demo practice into a file, in one transaction.

use chrono::{DateTime, Utc};

use super::client::insert_client;
use super::session::{BY_PRACTITIONER, insert_series, insert_session};
use super::{Result, Store, StoreError};
use crate::domain::demo::DemoPractice;
use crate::domain::session::SessionStatus;
use crate::domain::time::format_instant;

/// What a demo write produced.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct DemoSummary {
    pub clients: usize,
    pub sessions: usize,
}

impl Store {
    /// Writes a generated practice into this (empty) file. Refuses a file that already holds
    /// clients: the demo never mixes with real records.
    pub fn write_demo(
        &mut self,
        practice: &DemoPractice,
        now: DateTime<Utc>,
    ) -> Result<DemoSummary> {
        if self.client_count()? > 0 {
            return Err(StoreError::Refused(
                "This practice file already holds clients, so the demo was not written. Use --force to start it afresh, or choose another --db.".into(),
            ));
        }
        self.write(|tx| {
            let mut client_ids = Vec::with_capacity(practice.clients.len());
            for c in &practice.clients {
                client_ids.push(insert_client(tx, &c.fields, c.status, now)?);
            }
            let at = format_instant(now);
            let mut series_ids = Vec::with_capacity(practice.series.len());
            for s in &practice.series {
                series_ids.push(insert_series(tx, client_ids[s.client], s.every_weeks, &at)?);
            }
            for s in &practice.sessions {
                // Outcomes were marked as the session ended.
                let marked = (s.status != SessionStatus::Scheduled).then(|| {
                    format_instant(
                        (s.starts_at + chrono::Duration::minutes(i64::from(s.minutes))).and_utc(),
                    )
                });
                insert_session(
                    tx,
                    client_ids[s.client],
                    s.starts_at,
                    s.minutes,
                    s.modality,
                    s.status,
                    s.series.map(|i| series_ids[i]),
                    marked.as_deref().map(|m| (m, BY_PRACTITIONER)),
                    &at,
                )?;
            }
            super::relationship::write_demo_relationship(
                tx,
                &practice.relationship,
                &client_ids,
                now,
            )?;
            Ok(DemoSummary {
                clients: practice.clients.len(),
                sessions: practice.sessions.len(),
            })
        })
    }
}
