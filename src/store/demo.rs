//! Writing the demo practice into a file, in one transaction.

use chrono::{DateTime, Utc};

use rusqlite::OptionalExtension;

use super::assessment::{insert_assessment, insert_model_choice};
use super::client::insert_client;
use super::{Result, Store, StoreError};
use crate::domain::demo::DemoPractice;

/// What a demo write produced.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct DemoSummary {
    pub clients: usize,
    pub assessments: usize,
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
            write_assessments(tx, practice, &ids)?;
            Ok(DemoSummary {
                clients: practice.clients.len(),
                assessments: practice.assessments.len(),
            })
        })
    }
}

/// The demo's assessments and model choices. Alerts from all but each client's latest result
/// are marked reviewed, as a practitioner would have done at the next session.
fn write_assessments(
    tx: &rusqlite::Transaction<'_>,
    practice: &DemoPractice,
    ids: &[i64],
) -> Result<()> {
    use crate::domain::instrument::built_in;
    let mut instruments = std::collections::HashMap::new();
    let noon = |d: chrono::NaiveDate| {
        d.and_time(chrono::NaiveTime::MIN).and_utc() + chrono::Duration::hours(12)
    };
    for a in &practice.assessments {
        if !instruments.contains_key(a.instrument) {
            let ins = built_in(a.instrument).ok_or_else(|| {
                StoreError::Refused(format!(
                    "The demo uses an unknown instrument “{}”.",
                    a.instrument
                ))
            })?;
            instruments.insert(a.instrument, ins);
        }
        let Some(ins) = instruments.get(a.instrument) else {
            continue;
        };
        let Some(&client) = ids.get(a.client) else {
            continue;
        };
        insert_assessment(tx, client, ins, &a.answers, a.on, noon(a.on))?;
    }
    for m in &practice.model_choices {
        let Some(&client) = ids.get(m.client) else {
            continue;
        };
        let (assessment_id, recommended): (Option<i64>, Option<String>) = tx
            .query_row(
                "SELECT id, json_extract(ranking, '$[0].model') FROM assessments
                 WHERE client_id = ?1 AND instrument = 'engagement' ORDER BY administered_at DESC, id DESC LIMIT 1",
                [client],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .map(|(a, r)| (Some(a), r))
            .unwrap_or((None, None));
        insert_model_choice(
            tx,
            client,
            m.model,
            recommended.as_deref(),
            assessment_id,
            m.reason.as_deref(),
            noon(m.on),
        )?;
    }
    tx.execute(
        "UPDATE assessment_alerts SET reviewed_at = raised_at,
            review_note = 'Talked it through at the next session; safety plan in place.'
         WHERE assessment_id NOT IN (
            SELECT max(id) FROM assessments WHERE instrument = 'wellbeing' GROUP BY client_id)",
        [],
    )?;
    Ok(())
}
