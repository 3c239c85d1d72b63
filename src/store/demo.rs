//! Writing the demo practice into a file, in one transaction.

use chrono::{DateTime, Utc};

use rusqlite::OptionalExtension;

use super::assessment::{insert_assessment, insert_model_choice};
use super::client::insert_client;
use super::note::insert_note_at;
use super::session::{BY_PRACTITIONER, insert_series, insert_session};
use super::{Result, Store, StoreError};
use crate::demo::DemoPractice;
use crate::domain::session::SessionStatus;
use crate::domain::time::format_instant;

/// What a demo write produced.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct DemoSummary {
    pub clients: usize,
    pub sessions: usize,
    pub cancellations: usize,
    pub notes: usize,
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
            let mut client_ids = Vec::with_capacity(practice.clients.len());
            for c in &practice.clients {
                client_ids.push(insert_client(tx, &c.fields, c.status, now)?);
            }
            let at = format_instant(now);
            let mut series_ids = Vec::with_capacity(practice.series.len());
            for s in &practice.series {
                series_ids.push(insert_series(tx, client_ids[s.client], s.every_weeks, &at)?);
            }
            let mut session_ids = Vec::with_capacity(practice.sessions.len());
            for s in &practice.sessions {
                // Outcomes were marked as the session ended.
                let marked = (s.status != SessionStatus::Scheduled).then(|| {
                    format_instant(
                        (s.starts_at + chrono::Duration::minutes(i64::from(s.minutes))).and_utc(),
                    )
                });
                let id = insert_session(
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
                session_ids.push(id);
            }
            for n in &practice.notes {
                let s = &practice.sessions[n.session];
                // Written just after the session; signed a few hours later, or left a draft.
                let ended = s.starts_at + chrono::Duration::minutes(i64::from(s.minutes));
                let written = crate::clock::local_to_utc(ended + chrono::Duration::minutes(15));
                let signed = n
                    .signed
                    .then(|| crate::clock::local_to_utc(ended + chrono::Duration::hours(3)));
                insert_note_at(
                    tx,
                    client_ids[s.client],
                    session_ids[n.session],
                    &n.body,
                    written,
                    signed,
                )?;
            }
            let added = super::cancellation::insert_demo_cancellations(
                tx,
                practice,
                &client_ids,
                &session_ids,
                &at,
            )?;
            // Notes for the sessions that reschedules kept (older ones signed, like the rest).
            for (client, session, starts_at, minutes) in &added.attended {
                let ended = *starts_at + chrono::Duration::minutes(i64::from(*minutes));
                let age = now.date_naive() - starts_at.date();
                if age.num_days() < 14 {
                    continue;
                }
                let body = crate::domain::note::NoteBody::from_sections(
                    crate::domain::note::NoteTemplate::Free,
                    &["Met at the new time we agreed when the earlier session could not go ahead. Picked up where we left off; reviewed the week and agreed the next step."],
                );
                let written = crate::clock::local_to_utc(ended + chrono::Duration::minutes(15));
                let signed = crate::clock::local_to_utc(ended + chrono::Duration::hours(3));
                insert_note_at(tx, *client, *session, &body, written, Some(signed))?;
            }
            write_assessments(tx, practice, &client_ids)?;
            super::relationship::write_demo_relationship(
                tx,
                &practice.relationship,
                &client_ids,
                now,
            )?;
            // Each client was added on their intake day, before anything else was recorded
            // about them, as in a practice that has been running for a while.
            tx.execute_batch(
                "UPDATE clients SET created_at = intake_date || 'T09:00:00Z',
                                    updated_at = intake_date || 'T09:00:00Z'
                  WHERE intake_date || 'T09:00:00Z' < created_at;
                 UPDATE client_status_changes SET changed_at =
                        (SELECT created_at FROM clients WHERE clients.id = client_status_changes.client_id)
                  WHERE from_status IS NULL;",
            )?;
            // The audit trail a practice with these records would have, sealed.
            super::audit::write_history(tx)?;
            Ok(DemoSummary {
                clients: practice.clients.len(),
                sessions: practice.sessions.len() + added.sessions,
                cancellations: added.cancellations,
                notes: practice.notes.len(),
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
