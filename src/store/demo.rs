//! Writing the demo practice into a file, in one transaction.

use chrono::{DateTime, Utc};

use super::client::insert_client;
use super::{Result, Store, StoreError};
use crate::domain::demo::DemoPractice;

/// What a demo write produced.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct DemoSummary {
    pub clients: usize,
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
            let mut ids = Vec::with_capacity(practice.clients.len());
            for c in &practice.clients {
                ids.push(insert_client(tx, &c.fields, c.status, now)?);
            }
            super::relationship::write_demo_relationship(tx, &practice.relationship, &ids, now)?;
            Ok(DemoSummary {
                clients: practice.clients.len(),
            })
        })
    }
}
