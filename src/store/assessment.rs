//! Assessments in the practice file: immutable results, the alerts their flags raise, the
//! engagement model chosen for a client and the barriers the client reported.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, Row, Transaction};

use super::client::client_in;
use super::{Result, Store, StoreError, date, date_text, instant, opt_instant, word};
use crate::domain::ValidationError;
use crate::domain::assessment::{Alert, Assessment, ClientBarrier, ModelChoice, Recommendation};
use crate::domain::engagement::{ENGAGEMENT_KEY, EngagementModel, ReassessRule};
use crate::domain::instrument::Instrument;
use crate::domain::time::{DateStyle, Shown, format_instant};

const COLUMNS: &str = "id, client_id, instrument, version, kind, title, administered_at, answers, \
    total, band, flags, subscales, ranking, why, tie, better, reliable_change";

fn json<T: serde::de::DeserializeOwned>(r: &Row<'_>, i: usize) -> rusqlite::Result<T> {
    let s: String = r.get(i)?;
    serde_json::from_str(&s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    })
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v)
        .map_err(|e| StoreError::Refused(format!("The result could not be saved ({e}).")))
}

fn assessment_from_row(r: &Row<'_>) -> rusqlite::Result<Assessment> {
    Ok(Assessment {
        id: r.get(0)?,
        client_id: r.get(1)?,
        instrument: r.get(2)?,
        version: r.get(3)?,
        kind: word(r, 4)?,
        title: r.get(5)?,
        administered_at: date(r, 6)?,
        answers: json(r, 7)?,
        total: r.get(8)?,
        band: r.get(9)?,
        flags: json(r, 10)?,
        subscales: json(r, 11)?,
        ranking: json(r, 12)?,
        why: json(r, 13)?,
        tie: r.get(14)?,
        better: super::opt_word(r, 15)?,
        reliable_change: r.get(16)?,
    })
}

const ALERT_COLUMNS: &str = "al.id, al.assessment_id, al.client_id, a.instrument, a.administered_at, \
    al.item, al.message, al.raised_at, al.reviewed_at, al.review_note";

fn alert_from_row(r: &Row<'_>) -> rusqlite::Result<Alert> {
    Ok(Alert {
        id: r.get(0)?,
        assessment_id: r.get(1)?,
        client_id: r.get(2)?,
        instrument: r.get(3)?,
        administered_at: date(r, 4)?,
        item: r.get(5)?,
        message: r.get(6)?,
        raised_at: instant(r, 7)?,
        reviewed_at: opt_instant(r, 8)?,
        review_note: r.get(9)?,
    })
}

fn choice_from_row(r: &Row<'_>) -> rusqlite::Result<ModelChoice> {
    Ok(ModelChoice {
        model: word(r, 0)?,
        recommended: r.get(1)?,
        assessment_id: r.get(2)?,
        reason: r.get(3)?,
        chosen_at: instant(r, 4)?,
    })
}

/// Records a scored result inside an open transaction (shared by the CLI, the runner and the
/// demo): the result, an alert per fired flag, and the barriers it reports.
pub(crate) fn insert_assessment(
    tx: &Transaction<'_>,
    client_id: i64,
    ins: &Instrument,
    answers: &[i64],
    on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64> {
    let s = ins
        .score(answers)
        .map_err(|e| StoreError::Refused(format!("{e} Nothing was recorded.")))?;
    let at = format_instant(now);
    let measure = ins.kind == crate::domain::instrument::InstrumentKind::Measure;
    tx.prepare_cached(
        "INSERT INTO assessments (client_id, instrument, version, kind, title, administered_at,
            answers, total, band, flags, subscales, ranking, why, tie, created_at, better,
            reliable_change)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?
    .execute(rusqlite::params![
        client_id,
        ins.key,
        ins.version,
        ins.kind.as_str(),
        ins.title,
        date_text(on),
        to_json(&s.answers)?,
        s.total,
        s.band,
        to_json(&s.flags)?,
        to_json(&s.subscales)?,
        to_json(&s.ranking)?,
        to_json(&s.why)?,
        s.tie,
        at,
        measure.then(|| ins.better.as_str()),
        measure.then_some(ins.reliable_change),
    ])?;
    let id = tx.last_insert_rowid();
    for f in &s.flags {
        tx.prepare_cached(
            "INSERT INTO assessment_alerts (assessment_id, client_id, item, message, raised_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute((id, client_id, &f.item, &f.message, &at))?;
    }
    for b in &s.barriers {
        tx.prepare_cached(
            "INSERT INTO client_barriers (client_id, barrier, value, label, present, assessment_id, recorded_on)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (client_id, barrier) DO UPDATE SET value = excluded.value,
                label = excluded.label, present = excluded.present,
                assessment_id = excluded.assessment_id, recorded_on = excluded.recorded_on",
        )?
        .execute(rusqlite::params![
            client_id,
            b.barrier.as_str(),
            b.value,
            b.label,
            b.present,
            id,
            date_text(on)
        ])?;
    }
    Ok(id)
}

/// Records a model choice inside an open transaction.
pub(crate) fn insert_model_choice(
    tx: &Transaction<'_>,
    client_id: i64,
    model: EngagementModel,
    recommended: Option<&str>,
    assessment_id: Option<i64>,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO client_models (client_id, model, recommended, assessment_id, reason, chosen_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(rusqlite::params![
        client_id,
        model.as_str(),
        recommended,
        assessment_id,
        reason,
        format_instant(now)
    ])?;
    Ok(())
}

impl Store {
    /// Scores and records a result for a client in one transaction. Refuses (recording
    /// nothing) answers that don't fit the instrument, or an unknown client.
    pub fn record_assessment(
        &mut self,
        client_id: i64,
        ins: &Instrument,
        answers: &[i64],
        on: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Assessment> {
        client_in(self.conn(), client_id)?;
        let id = self.write(|tx| {
            let id = insert_assessment(tx, client_id, ins, answers, on, now)?;
            let detail = format!("{} on {}", ins.key, on.format("%Y-%m-%d"));
            super::audit::audit(
                tx,
                now,
                "assessment_recorded",
                "assessment",
                Some(id),
                Some(client_id),
                Some(&detail),
            )?;
            Ok(id)
        })?;
        self.assessment(id)
    }

    pub fn assessment(&self, id: i64) -> Result<Assessment> {
        self.conn()
            .prepare_cached(&format!("SELECT {COLUMNS} FROM assessments WHERE id = ?1"))?
            .query_row([id], assessment_from_row)
            .optional()?
            .ok_or(StoreError::NotFound {
                what: "assessment",
                id,
            })
    }

    /// A client's results, oldest first (only one instrument's when `instrument` is given).
    pub fn assessments(&self, client_id: i64, instrument: Option<&str>) -> Result<Vec<Assessment>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM assessments WHERE client_id = ?1 AND (?2 IS NULL OR instrument = ?2)
             ORDER BY administered_at, id"
        ))?;
        let rows = stmt
            .query_map((client_id, instrument), assessment_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// A client's latest result for an instrument.
    pub fn latest_assessment(
        &self,
        client_id: i64,
        instrument: &str,
    ) -> Result<Option<Assessment>> {
        Ok(self
            .conn()
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM assessments WHERE client_id = ?1 AND instrument = ?2
                 ORDER BY administered_at DESC, id DESC LIMIT 1"
            ))?
            .query_row((client_id, instrument), assessment_from_row)
            .optional()?)
    }

    /// Alerts not yet reviewed: one client's, or everyone's; oldest first.
    pub fn open_alerts(&self, client_id: Option<i64>) -> Result<Vec<Alert>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {ALERT_COLUMNS} FROM assessment_alerts al JOIN assessments a ON a.id = al.assessment_id
             WHERE al.reviewed_at IS NULL AND (?1 IS NULL OR al.client_id = ?1) ORDER BY al.id"
        ))?;
        let rows = stmt
            .query_map([client_id], alert_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    pub fn alert(&self, id: i64) -> Result<Alert> {
        self.conn()
            .prepare_cached(&format!(
                "SELECT {ALERT_COLUMNS} FROM assessment_alerts al JOIN assessments a ON a.id = al.assessment_id
                 WHERE al.id = ?1"
            ))?
            .query_row([id], alert_from_row)
            .optional()?
            .ok_or(StoreError::NotFound { what: "alert", id })
    }

    /// Marks an alert reviewed, with a note (required). A reviewed alert stays as it is.
    pub fn review_alert(&mut self, id: i64, note: &str, now: DateTime<Utc>) -> Result<Alert> {
        let note = note.trim();
        if note.is_empty() {
            return Err(ValidationError::one(
                "note",
                "is empty; say what you did about the alert (for example: safety plan reviewed by phone)",
            )
            .into());
        }
        let a = self.alert(id)?;
        if let Some(at) = a.reviewed_at {
            return Err(StoreError::Refused(format!(
                "Alert {id} was already reviewed on {}.",
                crate::clock::show(at, DateStyle::DayMonth, Shown::Date)
            )));
        }
        self.write(|tx| {
            tx.execute(
                "UPDATE assessment_alerts SET reviewed_at = ?2, review_note = ?3 WHERE id = ?1",
                (id, format_instant(now), note),
            )?;
            let detail = format!("{} item {}", a.instrument, a.item);
            super::audit::audit(
                tx,
                now,
                "alert_reviewed",
                "alert",
                Some(id),
                Some(a.client_id),
                Some(&detail),
            )?;
            Ok(())
        })?;
        self.alert(id)
    }

    /// Every model chosen for a client, oldest first; the last is the current one.
    pub fn model_history(&self, client_id: i64) -> Result<Vec<ModelChoice>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT model, recommended, assessment_id, reason, chosen_at FROM client_models
             WHERE client_id = ?1 ORDER BY id",
        )?;
        let rows = stmt
            .query_map([client_id], choice_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The model a client is worked with now, if one was chosen.
    pub fn current_model(&self, client_id: i64) -> Result<Option<ModelChoice>> {
        Ok(self.model_history(client_id)?.pop())
    }

    /// Chooses the engagement model for a client after their latest engagement assessment:
    /// the first-ranked one, or another with a reason.
    pub fn choose_model(
        &mut self,
        client_id: i64,
        model: EngagementModel,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<ModelChoice> {
        let client = client_in(self.conn(), client_id)?;
        let latest = self
            .latest_assessment(client_id, ENGAGEMENT_KEY)?
            .ok_or_else(|| {
                StoreError::Refused(format!(
                    "{} has no engagement assessment yet, so there is nothing to accept. Record one first (caseload assess record --client {client_id} --instrument engagement --answers …).",
                    client.name
                ))
            })?;
        let recommended = latest.ranking.first().map(|e| e.model.clone());
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if recommended.as_deref() != Some(model.as_str()) && reason.is_none() {
            return Err(ValidationError::one(
                "reason",
                format!(
                    "is needed when choosing {} instead of the recommended {}; say why in a few words",
                    model.label(),
                    recommended
                        .as_deref()
                        .and_then(|r| r.parse::<EngagementModel>().ok())
                        .map(|m| m.label())
                        .unwrap_or("model")
                ),
            )
            .into());
        }
        self.write(|tx| {
            insert_model_choice(
                tx,
                client_id,
                model,
                recommended.as_deref(),
                Some(latest.id),
                reason,
                now,
            )?;
            let detail = match reason {
                Some(_) => format!("{model}, with a reason"),
                None => format!("{model}, as recommended"),
            };
            super::audit::audit(
                tx,
                now,
                "model_chosen",
                "client",
                Some(client_id),
                Some(client_id),
                Some(&detail),
            )?;
            Ok(())
        })?;
        self.current_model(client_id)?.ok_or(StoreError::NotFound {
            what: "model choice for client",
            id: client_id,
        })
    }

    /// The practical barriers a client reported, as last answered.
    pub fn client_barriers(&self, client_id: i64) -> Result<Vec<ClientBarrier>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT barrier, label, value, present, recorded_on FROM client_barriers
             WHERE client_id = ?1 ORDER BY CASE barrier WHEN 'work_hours' THEN 0 WHEN 'caring' THEN 1
                WHEN 'travel' THEN 2 ELSE 3 END",
        )?;
        let rows = stmt
            .query_map([client_id], |r| {
                Ok(ClientBarrier {
                    barrier: word(r, 0)?,
                    label: r.get(1)?,
                    value: r.get(2)?,
                    present: r.get(3)?,
                    recorded_on: date(r, 4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Sessions a client attended (on time or late) on or after `since`.
    pub fn attended_sessions_since(&self, client_id: i64, since: NaiveDate) -> Result<i64> {
        let has_sessions: bool = self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sessions')",
            [],
            |r| r.get(0),
        )?;
        if !has_sessions {
            return Ok(0);
        }
        Ok(self.conn().query_row(
            "SELECT count(*) FROM sessions WHERE client_id = ?1 AND status IN ('attended', 'late')
             AND starts_at >= ?2",
            (client_id, date_text(since)),
            |r| r.get(0),
        )?)
    }

    /// When the engagement assessment is due again (settings, or 90 days / 12 sessions).
    pub fn reassess_rule(&self) -> Result<ReassessRule> {
        let d = ReassessRule::default();
        Ok(ReassessRule {
            days: self.setting("reassess_after_days")?.unwrap_or(d.days),
            sessions: self
                .setting("reassess_after_sessions")?
                .unwrap_or(d.sessions),
        })
    }

    /// The latest engagement recommendation for a client, the model accepted, and whether a
    /// re-assessment is due; `None` before the first engagement assessment.
    pub fn recommendation(
        &self,
        client_id: i64,
        today: NaiveDate,
    ) -> Result<Option<Recommendation>> {
        client_in(self.conn(), client_id)?;
        let Some(a) = self.latest_assessment(client_id, ENGAGEMENT_KEY)? else {
            return Ok(None);
        };
        let history = self.model_history(client_id)?;
        let accepted = history.last().cloned();
        let sessions = self.attended_sessions_since(client_id, a.administered_at)?;
        let reassessment = self
            .reassess_rule()?
            .check(a.administered_at, today, sessions);
        let recommended = a
            .ranking
            .first()
            .map(|e| e.model.clone())
            .unwrap_or_default();
        let guidance = accepted
            .as_ref()
            .map(|c| c.model)
            .or_else(|| recommended.parse().ok())
            .map(EngagementModel::guidance);
        Ok(Some(Recommendation {
            client_id,
            assessment_id: a.id,
            administered_at: a.administered_at,
            ranking: a.ranking,
            why: a.why,
            tie: a.tie,
            recommended,
            accepted,
            history,
            guidance,
            reassessment,
        }))
    }
}

impl Store {
    /// Today's needs-attention items from assessments: flag alerts not yet reviewed, and active
    /// clients whose engagement assessment is due again. Two grouped reads, whatever the size
    /// of the practice.
    pub fn assessment_attention(
        &self,
        today: NaiveDate,
    ) -> Result<Vec<crate::domain::attention::AttentionItem>> {
        self.assessment_attention_in(today, super::attention::Scope::Practice)
    }

    /// [`Store::assessment_attention`] for the practice or one client.
    pub fn assessment_attention_in(
        &self,
        today: NaiveDate,
        scope: super::attention::Scope,
    ) -> Result<Vec<crate::domain::attention::AttentionItem>> {
        use crate::domain::attention::AttentionItem;
        let mut out = Vec::new();
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT a.id, a.client_id, c.name, c.preferred_name, a.message, s.administered_at
             FROM assessment_alerts a
             JOIN assessments s ON s.id = a.assessment_id
             JOIN clients c ON c.id = a.client_id
             WHERE a.reviewed_at IS NULL AND c.status IN ('active', 'on_hold'){}
             ORDER BY s.administered_at, a.id",
            scope.and("a.client_id", 1)
        ))?;
        let rows = stmt.query_map(&*scope.params(&[]), |r| {
            let name: String = r.get(2)?;
            let preferred: Option<String> = r.get(3)?;
            Ok(AttentionItem::FlagAlert {
                alert_id: r.get(0)?,
                client_id: r.get(1)?,
                client: crate::domain::client::short_name(&name, preferred.as_deref()),
                message: r.get(4)?,
                given: super::date(r, 5)?,
            })
        })?;
        for row in rows {
            out.push(row?);
        }
        let rule = self.reassess_rule()?;
        let mut stmt = self.conn().prepare_cached(&format!(
            // Each active client's latest engagement assessment: one index entry each
            // (clients, instrument, day), not a pass over every assessment in the practice.
            "WITH last AS (
                SELECT c.id AS client_id, c.name, c.preferred_name,
                    (SELECT max(administered_at) FROM assessments
                     WHERE client_id = c.id AND instrument = 'engagement') AS at
                FROM clients c WHERE c.status = 'active'{}
             )
             SELECT last.client_id, last.name, last.preferred_name, last.at,
                (SELECT count(*) FROM sessions s WHERE s.client_id = last.client_id
                   AND s.status IN ('attended', 'late') AND s.starts_at >= last.at)
             FROM last WHERE last.at IS NOT NULL",
            scope.and("c.id", 1)
        ))?;
        let rows = stmt.query_map(&*scope.params(&[]), |r| {
            let name: String = r.get(1)?;
            let preferred: Option<String> = r.get(2)?;
            Ok((
                r.get::<_, i64>(0)?,
                crate::domain::client::short_name(&name, preferred.as_deref()),
                super::date(r, 3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        for row in rows {
            let (client_id, client, last, sessions) = row?;
            let check = rule.check(last, today, sessions);
            if check.due {
                out.push(AttentionItem::ReassessmentDue {
                    client_id,
                    client,
                    days_since: check.days_since,
                    sessions_since: check.sessions_since,
                    last,
                });
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::client::ClientFields;
    use crate::instruments::Catalog;

    fn now() -> DateTime<Utc> {
        crate::domain::time::parse_instant("2026-11-23T09:00:00Z").unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        crate::domain::time::parse_date(s).unwrap()
    }

    fn store_with_client() -> (Store, i64) {
        let mut s = Store::open_in_memory().unwrap();
        let f = ClientFields {
            name: "Tom Berg".into(),
            preferred_name: None,
            pronouns: None,
            born: None,
            phone: None,
            email: None,
            preferred_contact: None,
            emergency_contact: None,
            telehealth_consent: crate::domain::client::Telehealth::None,
            telehealth_consent_date: None,
            intake_date: day("2026-01-05"),
        };
        let c = s.add_client(&f, now()).unwrap();
        (s, c.id)
    }

    #[test]
    fn results_are_recorded_and_immutable() {
        let (mut s, id) = store_with_client();
        let cat = Catalog::built_in();
        let w = cat.get("wellbeing").unwrap();
        let a = s
            .record_assessment(id, w, &[1, 2, 1, 2, 1, 1], day("2026-11-20"), now())
            .unwrap();
        assert_eq!(a.total, 2 + 2 + 2 + 2 + 1 + 1);
        assert_eq!(a.band.as_deref(), Some("moderate"));
        assert_eq!(a.flags.len(), 1);
        assert_eq!(a.subscales["mood"], 4);
        let err = s
            .conn()
            .execute("UPDATE assessments SET total = 0", [])
            .unwrap_err();
        assert!(err.to_string().contains("never changed"));
        assert!(s.conn().execute("DELETE FROM assessments", []).is_err());
        assert_eq!(s.assessments(id, Some("wellbeing")).unwrap(), vec![a]);
    }

    #[test]
    fn bad_answers_record_nothing() {
        let (mut s, id) = store_with_client();
        let cat = Catalog::built_in();
        let w = cat.get("wellbeing").unwrap();
        let e = s
            .record_assessment(id, w, &[1, 2, 9, 2, 1, 1], day("2026-11-20"), now())
            .unwrap_err();
        assert!(e.to_string().contains("“enjoy”"), "{e}");
        assert!(
            s.record_assessment(id, w, &[1], day("2026-11-20"), now())
                .is_err()
        );
        assert!(
            s.record_assessment(99, w, &[0; 6], day("2026-11-20"), now())
                .is_err()
        );
        assert!(s.assessments(id, None).unwrap().is_empty());
        assert!(s.open_alerts(None).unwrap().is_empty());
    }

    #[test]
    fn an_alert_stays_until_reviewed_with_a_note() {
        let (mut s, id) = store_with_client();
        let cat = Catalog::built_in();
        let w = cat.get("wellbeing").unwrap();
        s.record_assessment(id, w, &[0, 0, 0, 0, 0, 2], day("2026-11-20"), now())
            .unwrap();
        let open = s.open_alerts(Some(id)).unwrap();
        assert_eq!(open.len(), 1);
        assert!(s.review_alert(open[0].id, "  ", now()).is_err());
        let a = s
            .review_alert(open[0].id, "Called; safe, plan agreed.", now())
            .unwrap();
        assert_eq!(a.review_note.as_deref(), Some("Called; safe, plan agreed."));
        assert!(s.open_alerts(Some(id)).unwrap().is_empty());
        assert!(s.review_alert(open[0].id, "again", now()).is_err());
    }

    #[test]
    fn choosing_a_model_keeps_history_and_needs_a_reason_to_differ() {
        let (mut s, id) = store_with_client();
        let cat = Catalog::built_in();
        let e = cat.engagement().unwrap();
        assert!(
            s.choose_model(id, EngagementModel::Expert, None, now())
                .is_err()
        );
        // Everything "very like me" on the collaborative items only, barriers often.
        let answers: Vec<i64> = e
            .items
            .iter()
            .map(|i| {
                if i.barrier.is_some() {
                    i.max()
                } else if i.weights.get("collaborative") == Some(&2.0) {
                    4
                } else {
                    0
                }
            })
            .collect();
        let a = s
            .record_assessment(id, e, &answers, day("2026-08-01"), now())
            .unwrap();
        assert_eq!(a.ranking[0].model, "collaborative");
        let c = s
            .choose_model(id, EngagementModel::Collaborative, None, now())
            .unwrap();
        assert_eq!(c.model, EngagementModel::Collaborative);
        let err = s
            .choose_model(id, EngagementModel::Expert, Some(" "), now())
            .unwrap_err();
        assert!(err.to_string().contains("reason"), "{err}");
        s.choose_model(
            id,
            EngagementModel::Expert,
            Some("asked for direct advice"),
            now(),
        )
        .unwrap();
        let h = s.model_history(id).unwrap();
        assert_eq!(h.len(), 2);
        assert_eq!(h[1].recommended.as_deref(), Some("collaborative"));
        let r = s.recommendation(id, day("2026-11-23")).unwrap().unwrap();
        assert_eq!(r.accepted.unwrap().model, EngagementModel::Expert);
        assert!(r.reassessment.due, "{:?}", r.reassessment);
        let b = s.client_barriers(id).unwrap();
        assert_eq!(b.len(), 4);
        assert!(b.iter().all(|b| b.present && b.label == "Often"));
    }

    #[test]
    fn attended_sessions_count_towards_reassessment() {
        let (mut s, id) = store_with_client();
        s.write(|tx| {
            for (i, status) in ["attended", "late", "no_show", "attended"].iter().enumerate() {
                tx.execute(
                    "INSERT INTO sessions (client_id, starts_at, minutes, modality, status, created_at, updated_at)
                     VALUES (?1, ?2, 50, 'in_person', ?3, 'x', 'x')",
                    (id, format!("2026-11-{:02}T10:00", 10 + i), status),
                )?;
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(s.attended_sessions_since(id, day("2026-11-11")).unwrap(), 2);
        assert_eq!(s.attended_sessions_since(id, day("2026-11-01")).unwrap(), 3);
        s.set_setting("reassess_after_sessions", &2).unwrap();
        assert_eq!(s.reassess_rule().unwrap().sessions, 2);
    }
}
