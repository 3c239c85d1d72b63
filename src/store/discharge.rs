//! Ending care (discharge and referral), the transition summary, review signals and reviews.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rusqlite::{Connection, Row};

use super::attention::Scope;
use super::relationship::goals_in;
use super::session::{SESSION_COLUMNS, session_from_row};
use super::{Result, Store, StoreError, date, date_text, local, opt_word, word};
use crate::domain::ValidationError;
use crate::domain::attention::AttentionItem;
use crate::domain::client::ClientStatus;
use crate::domain::discharge::{Discharge, DischargeFields, Referral, TransitionSummary};
use crate::domain::goal::GoalStatus;
use crate::domain::instrument::Better;
use crate::domain::session::{Session, SessionStatus};
use crate::domain::signals::{
    GoalTrack, MeasureSeries, ReviewChoice, Signal, SignalInput, Thresholds, evaluate,
};
use crate::domain::time::{format_instant, format_local};

/// The settings key of the review thresholds.
pub const THRESHOLDS_KEY: &str = "review_thresholds";

/// What a discharge did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DischargeOutcome {
    pub discharge: Discharge,
    /// The future sessions it cancelled (as they were before).
    pub cancelled_sessions: Vec<Session>,
}

/// A review of a client's signals, as recorded.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Review {
    pub id: i64,
    pub client_id: i64,
    pub reviewed_on: NaiveDate,
    pub choice: ReviewChoice,
    pub note: Option<String>,
    /// The signals shown when the choice was made (their one-line summaries).
    pub signals: Vec<String>,
}

fn discharge_from_row(r: &Row<'_>) -> rusqlite::Result<Discharge> {
    let name: Option<String> = r.get(5)?;
    Ok(Discharge {
        id: r.get(0)?,
        client_id: r.get(1)?,
        discharged_on: date(r, 2)?,
        reason: word(r, 3)?,
        status: word(r, 4)?,
        referral: match name {
            Some(name) => Some(Referral {
                name,
                profession: r.get(6)?,
                contact: r.get(7)?,
                why: r.get(8)?,
            }),
            None => None,
        },
        closing_note: r.get(9)?,
        cancelled_sessions: r.get(10)?,
    })
}

const DISCHARGE_COLUMNS: &str = "id, client_id, discharged_on, reason, to_status, referral_name, \
    referral_profession, referral_contact, referral_why, closing_note, cancelled_sessions";

/// How a measure's totals read: as its result recorded it (which way is better, the reliable
/// change), else as the built-in instrument of that key says, else lower-is-better with the
/// practice's threshold. Built-ins are parsed once per key per call.
type HowItReads = (Better, Option<f64>);

fn how_it_reads(
    key: &str,
    recorded: (Option<Better>, Option<f64>),
    built_ins: &mut std::collections::HashMap<String, Option<HowItReads>>,
) -> HowItReads {
    let built_in = *built_ins.entry(key.to_string()).or_insert_with(|| {
        crate::domain::instrument::built_in(key).map(|i| (i.better, Some(i.reliable_change)))
    });
    let (better, rc) = built_in.unwrap_or((Better::Lower, None));
    (recorded.0.unwrap_or(better), recorded.1.or(rc))
}

/// One measure result as read for the review signals.
struct MeasureRow {
    key: String,
    title: String,
    on: NaiveDate,
    total: i64,
    better: Option<Better>,
    reliable_change: Option<f64>,
}

/// Groups measure results (oldest first) into one series per instrument, read the way the
/// latest result says (see [`how_it_reads`]).
fn measure_series(rows: Vec<MeasureRow>) -> Vec<MeasureSeries> {
    let mut built_ins = std::collections::HashMap::new();
    let mut out: Vec<(String, MeasureSeries)> = Vec::new();
    for row in rows {
        let (better, rc) =
            how_it_reads(&row.key, (row.better, row.reliable_change), &mut built_ins);
        let point = (row.on, row.total as f64);
        match out.iter_mut().find(|(k, _)| *k == row.key) {
            Some((_, m)) => {
                m.results.push(point);
                (m.name, m.better, m.reliable_change) = (row.title, better, rc);
            }
            None => out.push((
                row.key,
                MeasureSeries {
                    name: row.title,
                    better,
                    reliable_change: rc,
                    results: vec![point],
                    taken: 0,
                },
            )),
        }
    }
    out.into_iter()
        .map(|(_, mut m)| {
            m.taken = m.results.len();
            m
        })
        .collect()
}

fn future_sessions_in(
    conn: &Connection,
    client_id: i64,
    now: NaiveDateTime,
) -> Result<Vec<Session>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SESSION_COLUMNS} FROM sessions s JOIN clients c ON c.id = s.client_id
         WHERE s.client_id = ?1 AND s.status = 'scheduled' AND s.starts_at >= ?2
         ORDER BY s.starts_at, s.id"
    ))?;
    let rows = stmt
        .query_map((client_id, format_local(now)), session_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

impl Store {
    /// A client's scheduled sessions from `now` on: what a discharge would cancel.
    pub fn future_sessions(&self, client_id: i64, now: NaiveDateTime) -> Result<Vec<Session>> {
        self.client(client_id)?;
        future_sessions_in(self.conn(), client_id, now)
    }

    /// Ends a client's care in one transaction: records the discharge (and referral), moves the
    /// client to discharged or referred out, and cancels their future sessions as the
    /// practitioner's cancellations (each with its cancellation record, reason "other").
    pub fn discharge(
        &mut self,
        client_id: i64,
        f: &DischargeFields,
        now_local: NaiveDateTime,
        now: DateTime<Utc>,
        source: super::cancellation::Source,
    ) -> Result<DischargeOutcome> {
        let id = self.write(|tx| {
            let c = super::client::client_in(tx, client_id)?;
            if matches!(c.status, ClientStatus::Discharged | ClientStatus::ReferredOut) {
                return Err(StoreError::Refused(format!(
                    "{} is already {}. Reopen them first (caseload client status {client_id} active) to end care again.",
                    c.name,
                    c.status.label().to_lowercase()
                )));
            }
            let future = future_sessions_in(tx, client_id, now_local)?;
            for s in &future {
                super::note::refuse_if_signed(tx, s.id, "cancelled by ending care")?;
            }
            let at = format_instant(now);
            let note = format!("Care ended: {}.", f.reason.label().to_lowercase());
            let by = match source {
                super::cancellation::Source::App => super::session::BY_PRACTITIONER,
                super::cancellation::Source::Cli => super::session::BY_CLI,
            };
            for s in &future {
                tx.execute(
                    "UPDATE sessions SET status = 'cancelled', marked_at = ?2, marked_by = ?3, updated_at = ?2
                     WHERE id = ?1",
                    (s.id, &at, by),
                )?;
                let notice_hours = crate::domain::cancellation::notice_hours_in(
                    s.starts_at,
                    crate::clock::local_to_utc(now_local),
                    &chrono::Local,
                );
                tx.execute(
                    "INSERT INTO cancellations (session_id, requested_at, by, reason, note, notice_hours,
                        offered, outcome, fee_waived, created_at)
                     VALUES (?1, ?2, 'practitioner', 'other', ?3, ?4, '[]', 'cancelled', 0, ?2)",
                    (s.id, &at, &note, notice_hours),
                )?;
            }
            let to = f.to_status();
            let r = f.referral.as_ref();
            tx.execute(
                "INSERT INTO discharges (client_id, discharged_on, reason, to_status, referral_name,
                    referral_profession, referral_contact, referral_why, closing_note, cancelled_sessions, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                rusqlite::params![
                    client_id,
                    date_text(now_local.date()),
                    f.reason.as_str(),
                    to.as_str(),
                    r.map(|r| &r.name),
                    r.and_then(|r| r.profession.as_ref()),
                    r.and_then(|r| r.contact.as_ref()),
                    r.and_then(|r| r.why.as_ref()),
                    f.note,
                    future.len() as i64,
                    at,
                ],
            )?;
            let id = tx.last_insert_rowid();
            super::client::change_status_in(tx, client_id, to, now)?;
            let detail = format!(
                "from {} to {to}: {}; {} future session{} cancelled",
                c.status,
                f.reason,
                future.len(),
                if future.len() == 1 { "" } else { "s" }
            );
            super::audit::audit(
                tx,
                now,
                "discharged",
                "discharge",
                Some(id),
                Some(client_id),
                Some(&detail),
            )?;
            Ok((id, future))
        });
        let (id, cancelled_sessions) = id?;
        let discharge = self.conn().query_row(
            &format!("SELECT {DISCHARGE_COLUMNS} FROM discharges WHERE id = ?1"),
            [id],
            discharge_from_row,
        )?;
        Ok(DischargeOutcome {
            discharge,
            cancelled_sessions,
        })
    }

    /// Every ending of a client's care, oldest first.
    pub fn discharges(&self, client_id: i64) -> Result<Vec<Discharge>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {DISCHARGE_COLUMNS} FROM discharges WHERE client_id = ?1 ORDER BY id"
        ))?;
        let rows = stmt
            .query_map([client_id], discharge_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The transition summary for a client (closing note only when `include_note`).
    pub fn transition_summary(
        &self,
        client_id: i64,
        include_note: bool,
    ) -> Result<TransitionSummary> {
        let c = self.client(client_id)?;
        let ended = matches!(
            c.status,
            ClientStatus::Discharged | ClientStatus::ReferredOut
        );
        let discharge = if ended {
            self.discharges(client_id)?.pop()
        } else {
            None
        };
        let care_to = if ended {
            match &discharge {
                Some(d) => Some(d.discharged_on),
                None => self
                    .status_history(client_id)?
                    .last()
                    .map(|h| crate::clock::local_of(h.changed_at).date()),
            }
        } else {
            None
        };
        let mut counts = std::collections::HashMap::new();
        let mut stmt = self.conn().prepare_cached(
            "SELECT status, count(*), min(starts_at), max(starts_at) FROM sessions
             WHERE client_id = ?1 GROUP BY status",
        )?;
        let mut first: Option<NaiveDateTime> = None;
        let mut last: Option<NaiveDateTime> = None;
        let rows = stmt
            .query_map([client_id], |r| {
                Ok((
                    word::<SessionStatus>(r, 0)?,
                    r.get::<_, u32>(1)?,
                    local(r, 2)?,
                    local(r, 3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (status, n, lo, hi) in rows {
            counts.insert(status, n);
            if status.is_attended() {
                first = Some(first.map_or(lo, |f| f.min(lo)));
                last = Some(last.map_or(hi, |l| l.max(hi)));
            }
        }
        let n = |s: SessionStatus| counts.get(&s).copied().unwrap_or(0);
        // The sessions a discharge cancelled carry its cancellation record, written in the same
        // transaction (the same instant) by the practitioner: they are not the client's attendance.
        let at_discharge: u32 = self.conn().prepare_cached(
            "SELECT count(DISTINCT s.id) FROM sessions s
             JOIN cancellations k ON k.session_id = s.id AND k.by = 'practitioner' AND k.outcome = 'cancelled'
             JOIN discharges d ON d.client_id = s.client_id AND d.created_at = k.created_at
             WHERE s.client_id = ?1 AND s.status = 'cancelled'",
        )?
        .query_row([client_id], |r| r.get(0))?;
        let profile = self.practice_profile()?;
        Ok(TransitionSummary {
            client_name: c.name.clone(),
            born: c.born,
            status: c.status,
            care_from: c.intake_date,
            care_to,
            first_session: first.map(|t| t.date()),
            last_session: last.map(|t| t.date()),
            attended: n(SessionStatus::Attended),
            attended_late: n(SessionStatus::Late),
            no_shows: n(SessionStatus::NoShow),
            cancelled: n(SessionStatus::Cancelled).saturating_sub(at_discharge),
            late_cancelled: n(SessionStatus::LateCancelled),
            cancelled_at_discharge: at_discharge,
            engagement_models: self
                .model_history(client_id)?
                .iter()
                .map(|m| {
                    format!(
                        "{} (chosen {})",
                        m.model.label(),
                        crate::clock::local_of(m.chosen_at).format("%-d %B %Y")
                    )
                })
                .collect(),
            goals: goals_in(self.conn(), client_id)?,
            measures: self.measure_ends(client_id)?,
            discharge,
            include_note,
            practitioner: profile.practitioner_name,
            practice: profile.practice_name,
        })
    }

    /// Each measure's first and last results with their bands, for the transition summary.
    fn measure_ends(&self, client_id: i64) -> Result<Vec<crate::domain::discharge::MeasureEnds>> {
        let mut out: Vec<(String, crate::domain::discharge::MeasureEnds)> = Vec::new();
        for a in self.assessments(client_id, None)? {
            if a.kind != crate::domain::instrument::InstrumentKind::Measure {
                continue;
            }
            let point = (
                a.administered_at,
                a.total as f64,
                a.band.clone().unwrap_or_else(|| "no band".into()),
            );
            match out.iter_mut().find(|(k, _)| *k == a.instrument) {
                Some((_, m)) => {
                    if point.0 < m.first.0 {
                        m.first = point;
                    } else if point.0 >= m.last.0 {
                        m.last = point;
                    }
                }
                None => out.push((
                    a.instrument.clone(),
                    crate::domain::discharge::MeasureEnds {
                        name: a.title.clone(),
                        first: point.clone(),
                        last: point,
                    },
                )),
            }
        }
        Ok(out.into_iter().map(|(_, m)| m).collect())
    }

    /// The review thresholds (defaults for any not set).
    pub fn review_thresholds(&self) -> Result<Thresholds> {
        Ok(self.setting(THRESHOLDS_KEY)?.unwrap_or_default())
    }

    /// What the signal rules look at for one client.
    pub fn signal_input(&self, client_id: i64) -> Result<SignalInput> {
        self.client(client_id)?;
        let conn = self.conn();
        let boundary_incidents = conn
            .prepare_cached(
                "SELECT occurred_on, kind FROM boundary_incidents WHERE client_id = ?1",
            )?
            .query_map([client_id], |r| Ok((date(r, 0)?, word(r, 1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let sessions = conn
            .prepare_cached("SELECT starts_at, status FROM sessions WHERE client_id = ?1")?
            .query_map([client_id], |r| Ok((local(r, 0)?, word(r, 1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let active_goals = goals_in(conn, client_id)?
            .into_iter()
            .filter(|g| g.status == GoalStatus::Active)
            .map(|g| GoalTrack {
                text: g.text,
                ratings: g.ratings.iter().map(|r| (r.rated_on, r.rating)).collect(),
            })
            .collect();
        let measures = measure_series(
            conn.prepare_cached(
                "SELECT instrument, title, administered_at, total, better, reliable_change
                 FROM assessments WHERE client_id = ?1 AND kind = 'measure'
                 ORDER BY administered_at, id",
            )?
            .query_map([client_id], |r| {
                Ok(MeasureRow {
                    key: r.get(0)?,
                    title: r.get(1)?,
                    on: date(r, 2)?,
                    total: r.get(3)?,
                    better: opt_word(r, 4)?,
                    reliable_change: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?,
        );
        Ok(SignalInput {
            boundary_incidents,
            sessions,
            measures,
            active_goals,
        })
    }

    /// The signals that fire for a client now.
    pub fn signals(&self, client_id: i64, now: NaiveDateTime) -> Result<Vec<Signal>> {
        let input = self.signal_input(client_id)?;
        Ok(evaluate(&input, now, &self.review_thresholds()?))
    }

    /// Records what the practitioner chose after reviewing a client's signals.
    pub fn record_review(
        &mut self,
        client_id: i64,
        choice: ReviewChoice,
        note: Option<&str>,
        now_local: NaiveDateTime,
        now: DateTime<Utc>,
    ) -> Result<Review> {
        let signals: Vec<String> = self
            .signals(client_id, now_local)?
            .into_iter()
            .map(|s| s.summary)
            .collect();
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        if note.is_some_and(|n| n.chars().count() > 2000) {
            return Err(
                ValidationError::one("note", "is too long (at most 2000 characters)").into(),
            );
        }
        let json = serde_json::to_string(&signals).unwrap_or_else(|_| "[]".into());
        let id = self.write(|tx| {
            tx.execute(
                "INSERT INTO reviews (client_id, reviewed_on, signals, choice, note, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![
                    client_id,
                    date_text(now_local.date()),
                    json,
                    choice.as_str(),
                    note,
                    format_instant(now)
                ],
            )?;
            Ok(tx.last_insert_rowid())
        })?;
        Ok(Review {
            id,
            client_id,
            reviewed_on: now_local.date(),
            choice,
            note: note.map(str::to_string),
            signals,
        })
    }

    /// A client's reviews, newest first.
    pub fn reviews(&self, client_id: i64) -> Result<Vec<Review>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, client_id, reviewed_on, choice, note, signals FROM reviews
             WHERE client_id = ?1 ORDER BY reviewed_on DESC, id DESC",
        )?;
        let rows = stmt
            .query_map([client_id], |r| {
                let raw: String = r.get(5)?;
                Ok(Review {
                    id: r.get(0)?,
                    client_id: r.get(1)?,
                    reviewed_on: date(r, 2)?,
                    choice: word(r, 3)?,
                    note: r.get(4)?,
                    signals: serde_json::from_str(&raw).unwrap_or_default(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

impl Store {
    /// The working relationship at a glance for one client (the client's overview).
    pub fn relationship_overview(
        &self,
        client_id: i64,
        now: NaiveDateTime,
    ) -> Result<crate::domain::signals::RelationshipOverview> {
        let t = self.review_thresholds()?;
        let goals = goals_in(self.conn(), client_id)?;
        let active: Vec<_> = goals
            .iter()
            .filter(|g| g.status == GoalStatus::Active)
            .collect();
        let last_rating = active
            .iter()
            .filter_map(|g| g.last_rating())
            .max_by_key(|r| (r.rated_on, r.id))
            .map(|r| r.rating);
        let from = now.date() - chrono::Duration::days(i64::from(t.boundary_days));
        let boundaries_recent: i64 = self.conn().query_row(
            "SELECT count(*) FROM boundary_incidents WHERE client_id = ?1 AND occurred_on > ?2",
            (client_id, date_text(from)),
            |r| r.get(0),
        )?;
        let consultations: i64 = self.conn().query_row(
            "SELECT count(*) FROM consultations WHERE client_id = ?1",
            [client_id],
            |r| r.get(0),
        )?;
        Ok(crate::domain::signals::RelationshipOverview {
            handout: self.handout_state(client_id, now)?,
            active_goals: active.len(),
            last_rating,
            boundaries_recent: boundaries_recent as usize,
            boundary_days: t.boundary_days,
            consultations: consultations as usize,
            // A signal reviewed since its newest evidence stays quiet until more arrives.
            signals: {
                let reviewed_on = self
                    .conn()
                    .query_row(
                        "SELECT max(reviewed_on) FROM reviews WHERE client_id = ?1",
                        [client_id],
                        |r| r.get::<_, Option<String>>(0),
                    )?
                    .and_then(|d| crate::domain::time::read_stored_date(&d));
                evaluate(&self.signal_input(client_id)?, now, &t)
                    .into_iter()
                    .filter(|s| !s.reviewed_by(reviewed_on))
                    .collect()
            },
        })
    }
}

/// How far back Today's review check looks for a missed session before reading a client's last
/// few sessions.
const ATTENTION_SESSION_DAYS: i64 = 183;

impl Store {
    /// Today's "Needs attention" items for review signals: one per active client with a fired
    /// signal, unless they were reviewed within the quiet period. Reads in bulk (a few queries
    /// for the whole practice, not a few per client).
    pub fn review_attention(&self, now: NaiveDateTime) -> Result<Vec<AttentionItem>> {
        self.review_attention_in(now, Scope::Practice)
    }

    /// [`Store::review_attention`] for the practice or one client.
    pub fn review_attention_in(
        &self,
        now: NaiveDateTime,
        scope: Scope,
    ) -> Result<Vec<AttentionItem>> {
        use std::collections::{HashMap, HashSet};
        let t = self.review_thresholds()?;
        let today = now.date();
        let conn = self.conn();
        let quiet_from = today - chrono::Duration::days(i64::from(t.review_quiet_days));
        let quiet: HashSet<i64> = conn
            .prepare_cached(&format!(
                "SELECT DISTINCT client_id FROM reviews WHERE reviewed_on > ?1{}",
                scope.and("client_id", 2)
            ))?
            .query_map(&*scope.params(&[&date_text(quiet_from)]), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut inputs: HashMap<i64, SignalInput> = HashMap::new();
        let from = today - chrono::Duration::days(i64::from(t.boundary_days));
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT b.client_id, b.occurred_on, b.kind FROM boundary_incidents b
             JOIN clients c ON c.id = b.client_id
             WHERE c.status = 'active' AND b.occurred_on > ?1{}",
            scope.and("b.client_id", 2)
        ))?;
        for row in stmt.query_map(&*scope.params(&[&date_text(from)]), |r| {
            Ok((r.get::<_, i64>(0)?, date(r, 1)?, word(r, 2)?))
        })? {
            let (c, d, kind) = row?;
            inputs
                .entry(c)
                .or_default()
                .boundary_incidents
                .push((d, kind));
        }
        let since = now - chrono::Duration::days(ATTENTION_SESSION_DAYS);
        // Only clients with a missed session lately can fire the rule: read their last few
        // past sessions with an outcome (an index search each).
        let missing: Vec<i64> = conn
            .prepare_cached(&format!(
                "SELECT DISTINCT s.client_id FROM sessions s JOIN clients c ON c.id = s.client_id
                 WHERE c.status = 'active' AND s.starts_at >= ?1 AND s.starts_at < ?2
                   AND s.status IN ('no_show', 'late_cancelled'){}",
                scope.and("s.client_id", 3)
            ))?
            .query_map(
                &*scope.params(&[&format_local(since), &format_local(now)]),
                |r| r.get(0),
            )?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = conn.prepare_cached(
            "SELECT starts_at, status FROM sessions
             WHERE client_id = ?1 AND starts_at < ?2 AND status NOT IN ('scheduled', 'rescheduled')
             ORDER BY starts_at DESC LIMIT ?3",
        )?;
        for c in missing {
            let rows = stmt
                .query_map((c, format_local(now), i64::from(t.missed_of_last)), |r| {
                    Ok((local(r, 0)?, word(r, 1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            inputs.entry(c).or_default().sessions = rows;
        }
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT g.client_id, g.id, g.text, r.rated_on, r.rating FROM goals g
             JOIN clients c ON c.id = g.client_id
             JOIN goal_ratings r ON r.goal_id = g.id
             WHERE c.status = 'active' AND g.status = 'active'{} ORDER BY g.id, r.rated_on, r.id",
            scope.and("g.client_id", 1)
        ))?;
        let mut goals: HashMap<i64, (i64, GoalTrack)> = HashMap::new();
        for row in stmt.query_map(&*scope.params(&[]), |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                date(r, 3)?,
                r.get::<_, u8>(4)?,
            ))
        })? {
            let (c, g, text, on, rating) = row?;
            goals
                .entry(g)
                .or_insert_with(|| {
                    (
                        c,
                        GoalTrack {
                            text,
                            ratings: Vec::new(),
                        },
                    )
                })
                .1
                .ratings
                .push((on, rating));
        }
        for (_, (c, track)) in goals {
            inputs.entry(c).or_default().active_goals.push(track);
        }
        // Each measure taken often enough: its count, and its first and last results (found
        // through the index on client, instrument and day); the last says how it reads.
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT g.client_id, g.instrument, l.title, g.n, f.administered_at, f.total,
                l.administered_at, l.total, l.better, l.reliable_change
             FROM (SELECT client_id, instrument, count(*) AS n, min(administered_at) AS first_on,
                       max(administered_at) AS last_on
                   FROM assessments WHERE kind = 'measure'{}
                   GROUP BY client_id, instrument HAVING count(*) >= ?1) g
             JOIN clients c ON c.id = g.client_id
             JOIN assessments f ON f.id = (SELECT x.id FROM assessments x
                 WHERE x.client_id = g.client_id AND x.instrument = g.instrument
                   AND x.administered_at = g.first_on ORDER BY x.id LIMIT 1)
             JOIN assessments l ON l.id = (SELECT x.id FROM assessments x
                 WHERE x.client_id = g.client_id AND x.instrument = g.instrument
                   AND x.administered_at = g.last_on ORDER BY x.id DESC LIMIT 1)
             WHERE c.status = 'active'",
            scope.and("client_id", 2)
        ))?;
        let mut built_ins = HashMap::new();
        let times = i64::from(t.measure_times.max(2));
        let rows = stmt.query_map(&*scope.params(&[&times]), |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                (date(r, 4)?, r.get::<_, i64>(5)?),
                (date(r, 6)?, r.get::<_, i64>(7)?),
                (opt_word(r, 8)?, r.get::<_, Option<f64>>(9)?),
            ))
        })?;
        for row in rows {
            let (c, key, title, n, first, last, recorded) = row?;
            let (better, rc) = how_it_reads(&key, recorded, &mut built_ins);
            inputs.entry(c).or_default().measures.push(MeasureSeries {
                name: title,
                better,
                reliable_change: rc,
                results: vec![(first.0, first.1 as f64), (last.0, last.1 as f64)],
                taken: usize::try_from(n).unwrap_or(0),
            });
        }
        let mut items = Vec::new();
        for (c, input) in inputs {
            if quiet.contains(&c) {
                continue;
            }
            let fired = evaluate(&input, now, &t);
            let Some(first) = fired.first() else {
                continue;
            };
            let client = super::client::client_in(conn, c)?;
            let summary = match fired.len() {
                1 => first.summary.clone(),
                n => format!("{} (and {} more)", first.summary, n - 1),
            };
            items.push(AttentionItem::ReviewSignal {
                client_id: c,
                client: client.short_name(),
                summary,
                noticed: now,
            });
        }
        items.sort_by_key(|a| a.line());
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::boundary::BoundaryKind;
    use crate::domain::client::ClientInput;
    use crate::domain::discharge::{DischargeInput, DischargeReason};
    use crate::domain::time::parse_local;

    fn setup() -> (Store, i64, NaiveDateTime) {
        let mut s = Store::open_in_memory().unwrap();
        let now = parse_local("2026-11-23 09:00").unwrap();
        let f = ClientInput {
            name: "Tom Berg".into(),
            intake_date: "2026-03-03".into(),
            ..Default::default()
        }
        .validate(now.date())
        .unwrap();
        let c = s.add_client(&f, now.and_utc()).unwrap();
        (s, c.id, now)
    }

    fn add_session(s: &mut Store, c: i64, at: &str, status: &str) -> i64 {
        s.write(|tx| {
            tx.execute(
                "INSERT INTO sessions (client_id, starts_at, minutes, modality, status, created_at, updated_at)
                 VALUES (?1, ?2, 50, 'in_person', ?3, 'x', 'x')",
                (c, at, status),
            )?;
            Ok(tx.last_insert_rowid())
        })
        .unwrap()
    }

    #[test]
    fn a_reviewed_signal_leaves_the_overview_until_new_evidence_arrives() {
        let (mut s, c, now) = setup();
        for day in ["2026-10-05", "2026-11-02", "2026-11-16"] {
            let on = crate::domain::time::parse_date(day).unwrap();
            s.add_boundary(c, BoundaryKind::LatePayment, on, None, now.and_utc())
                .unwrap();
        }
        let summaries = |s: &Store, at: NaiveDateTime| -> Vec<String> {
            s.relationship_overview(c, at)
                .unwrap()
                .signals
                .into_iter()
                .map(|x| x.summary)
                .collect()
        };
        assert_eq!(
            summaries(&s, now),
            ["3 boundary incidents in the last 90 days"]
        );
        s.record_review(
            c,
            ReviewChoice::NoteForNextSession,
            Some("Talk about the invoices"),
            now,
            now.and_utc(),
        )
        .unwrap();
        assert!(summaries(&s, now).is_empty(), "reviewed");
        assert_eq!(
            s.signals(c, now).unwrap().len(),
            1,
            "still there for the next review"
        );
        let later = parse_local("2026-11-25 09:00").unwrap();
        assert!(summaries(&s, later).is_empty(), "nothing new yet");
        s.add_boundary(
            c,
            BoundaryKind::AfterHoursContact,
            later.date(),
            None,
            later.and_utc(),
        )
        .unwrap();
        assert_eq!(
            summaries(&s, later),
            ["4 boundary incidents in the last 90 days"],
            "new evidence brings it back"
        );
    }

    #[test]
    fn discharge_with_referral_cancels_future_sessions_and_keeps_history() {
        let (mut s, c, now) = setup();
        add_session(&mut s, c, "2026-11-16T10:00", "attended");
        let earlier_today = add_session(&mut s, c, "2026-11-23T08:00", "scheduled");
        let later = add_session(&mut s, c, "2026-11-23T10:00", "scheduled");
        let next_week = add_session(&mut s, c, "2026-11-30T10:00", "scheduled");
        let preview = s.future_sessions(c, now).unwrap();
        assert_eq!(
            preview.iter().map(|x| x.id).collect::<Vec<_>>(),
            vec![later, next_week]
        );

        let f = DischargeInput {
            reason: Some(DischargeReason::NeedsOutsideScope),
            referral_name: "Dr Lee".into(),
            referral_profession: "Psychiatrist".into(),
            note: "Warm ending.".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        let out = s
            .discharge(
                c,
                &f,
                now,
                now.and_utc(),
                super::super::cancellation::Source::App,
            )
            .unwrap();
        assert_eq!(out.cancelled_sessions.len(), 2);
        assert_eq!(out.discharge.status, ClientStatus::ReferredOut);
        assert_eq!(out.discharge.cancelled_sessions, 2);
        assert_eq!(s.client(c).unwrap().status, ClientStatus::ReferredOut);
        assert_eq!(s.session(later).unwrap().status, SessionStatus::Cancelled);
        assert_eq!(
            s.session(later).unwrap().marked_by.as_deref(),
            Some("practitioner")
        );
        assert_eq!(
            s.session(earlier_today).unwrap().status,
            SessionStatus::Scheduled
        );

        // A second discharge is refused and changes nothing.
        assert!(matches!(
            s.discharge(
                c,
                &f,
                now,
                now.and_utc(),
                super::super::cancellation::Source::App
            ),
            Err(StoreError::Refused(_))
        ));
        assert_eq!(s.discharges(c).unwrap().len(), 1);

        // The summary tells the story without the note unless asked.
        let sum = s.transition_summary(c, false).unwrap();
        assert_eq!(sum.attended, 1);
        // The two sessions the discharge cancelled are not the client's cancellations.
        assert_eq!(sum.cancelled, 0);
        assert_eq!(sum.cancelled_at_discharge, 2);
        assert_eq!(sum.care_to, Some(now.date()));
        // Nor are they on the client's Overview as cancellation requests.
        assert_eq!(s.client_attendance(c).unwrap().requests.total, 0);
        let text = sum
            .document(now.date())
            .render(crate::domain::document::DocFormat::Txt);
        assert!(text.contains("Dr Lee"));
        assert!(!text.contains("Warm ending."));
        assert!(
            text.contains("Cancelled in time:                       0"),
            "{text}"
        );
        assert!(
            text.contains("Future sessions cancelled at discharge:  2"),
            "{text}"
        );
        let with = s.transition_summary(c, true).unwrap().document(now.date());
        assert!(
            with.render(crate::domain::document::DocFormat::Md)
                .contains("Warm ending.")
        );

        // Reopening keeps the whole history.
        s.set_client_status(c, ClientStatus::Active, now.and_utc())
            .unwrap();
        assert_eq!(s.discharges(c).unwrap().len(), 1);
        assert_eq!(s.status_history(c).unwrap().len(), 3);
        assert_eq!(s.transition_summary(c, false).unwrap().care_to, None);
    }

    #[test]
    fn today_hears_of_missed_sessions_and_stalled_goals() {
        let (mut s, c, now) = setup();
        for at in ["2026-10-05T10:00", "2026-10-12T10:00", "2026-10-19T10:00"] {
            add_session(&mut s, c, at, "no_show");
        }
        add_session(&mut s, c, "2026-10-26T10:00", "attended");
        let items = s.review_attention(now).unwrap();
        assert_eq!(items.len(), 1);
        assert!(
            items[0].line().contains("3 of the last 4 sessions"),
            "{}",
            items[0].line()
        );
        // A client on hold is not on the list.
        s.set_client_status(c, ClientStatus::OnHold, now.and_utc())
            .unwrap();
        assert!(s.review_attention(now).unwrap().is_empty());
        s.set_client_status(c, ClientStatus::Active, now.and_utc())
            .unwrap();
        // A stalled goal adds to the same item.
        let g = s
            .add_goal(
                c,
                &crate::domain::goal::check_goal("Sleep", "2026-09-01", "", now.date()).unwrap(),
                now.and_utc(),
            )
            .unwrap();
        let d = chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        s.rate_goal(g.id, 5, None, d, now.and_utc()).unwrap();
        let items = s.review_attention(now).unwrap();
        assert!(
            items[0].line().ends_with("(and 1 more)"),
            "{}",
            items[0].line()
        );
    }

    #[test]
    fn measures_join_the_signals_and_the_summary() {
        let (mut s, c, now) = setup();
        let ins = crate::domain::instrument::built_in("wellbeing").unwrap();
        let flat: Vec<i64> = ins.items.iter().map(|i| i.min() + 1).collect();
        for d in ["2026-09-01", "2026-10-01", "2026-10-27"] {
            let on = crate::domain::time::parse_date(d).unwrap();
            s.record_assessment(c, &ins, &flat, on, now.and_utc())
                .unwrap();
        }
        let sig = s.signals(c, now).unwrap();
        assert_eq!(sig.len(), 1, "{sig:?}");
        assert_eq!(
            sig[0].kind,
            crate::domain::signals::SignalKind::MeasureNotImproving
        );
        assert!(
            sig[0].evidence[0].contains("1 Sep 2026"),
            "{:?}",
            sig[0].evidence
        );
        let items = s.review_attention(now).unwrap();
        assert!(
            items[0].line().contains("has not improved"),
            "{}",
            items[0].line()
        );
        let sum = s.transition_summary(c, false).unwrap();
        assert_eq!(sum.measures.len(), 1);
        assert_eq!(sum.measures[0].first.0.to_string(), "2026-09-01");
        assert_eq!(sum.measures[0].last.0.to_string(), "2026-10-27");
        let text = sum
            .document(now.date())
            .render(crate::domain::document::DocFormat::Txt);
        assert!(text.contains("Measures"), "{text}");
    }

    #[test]
    fn results_from_before_the_direction_was_kept_read_as_their_built_in_says() {
        let mut cache = std::collections::HashMap::new();
        // Recorded before schema 10: nothing kept, so the built-in's values (or the defaults).
        assert_eq!(
            how_it_reads("wellbeing", (None, None), &mut cache),
            (Better::Lower, Some(4.0))
        );
        assert_eq!(
            how_it_reads("own_scale", (None, None), &mut cache),
            (Better::Lower, None)
        );
        // Kept with the result: that wins.
        assert_eq!(
            how_it_reads("wellbeing", (Some(Better::Higher), Some(6.0)), &mut cache),
            (Better::Higher, Some(6.0))
        );
    }

    #[test]
    fn a_measure_where_higher_is_better_is_read_that_way() {
        let (mut s, c, now) = setup();
        let text = crate::domain::instrument::BUILT_IN
            .iter()
            .find(|(f, _)| f.contains("wellbeing"))
            .unwrap()
            .1
            .replace("key = \"wellbeing\"", "key = \"thriving\"")
            .replace(
                "kind = \"measure\"",
                "kind = \"measure\"\nbetter = \"higher\"",
            );
        let ins = crate::domain::instrument::parse(&text).unwrap();
        let answers = |v: i64| -> Vec<i64> { ins.items.iter().map(|i| i.min() + v).collect() };
        // Totals rise by far more than the reliable change: better, on this measure.
        for (d, v) in [("2026-09-01", 0), ("2026-10-01", 1), ("2026-10-27", 2)] {
            let on = crate::domain::time::parse_date(d).unwrap();
            let a = s
                .record_assessment(c, &ins, &answers(v), on, now.and_utc())
                .unwrap();
            assert_eq!(a.better, Some(Better::Higher));
            assert_eq!(a.reliable_change, Some(4.0));
        }
        let rising: Vec<i64> = s
            .assessments(c, Some("thriving"))
            .unwrap()
            .iter()
            .map(|a| a.total)
            .collect();
        assert!(rising[2] - rising[0] >= 4, "{rising:?}");
        assert!(s.signals(c, now).unwrap().is_empty());
        assert!(s.review_attention(now).unwrap().is_empty());
        // The same totals on a measure where lower is better have not improved.
        let lower = crate::domain::instrument::parse(
            &text.replace("better = \"higher\"", "better = \"lower\""),
        )
        .unwrap();
        let c2 = s
            .add_client(
                &crate::domain::client::ClientInput {
                    name: "Ada Brook".into(),
                    intake_date: "2026-03-03".into(),
                    ..Default::default()
                }
                .validate(now.date())
                .unwrap(),
                now.and_utc(),
            )
            .unwrap()
            .id;
        for (d, v) in [("2026-09-01", 0), ("2026-10-01", 1), ("2026-10-27", 2)] {
            let on = crate::domain::time::parse_date(d).unwrap();
            s.record_assessment(c2, &lower, &answers(v), on, now.and_utc())
                .unwrap();
        }
        assert_eq!(s.signals(c2, now).unwrap().len(), 1);
        let items = s.review_attention(now).unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].client_id(), c2);
    }

    #[test]
    fn signals_and_reviews() {
        let (mut s, c, now) = setup();
        let today = now.date();
        for _ in 0..3 {
            s.add_boundary(
                c,
                BoundaryKind::AfterHoursContact,
                today,
                None,
                now.and_utc(),
            )
            .unwrap();
        }
        let sig = s.signals(c, now).unwrap();
        assert_eq!(sig.len(), 1);
        // A stricter practice setting: no longer fires.
        s.set_setting(
            THRESHOLDS_KEY,
            &serde_json::json!({"boundary_incidents": 4}),
        )
        .unwrap();
        assert!(s.signals(c, now).unwrap().is_empty());
        s.set_setting(THRESHOLDS_KEY, &Thresholds::default())
            .unwrap();
        let r = s
            .record_review(
                c,
                ReviewChoice::LogConsultation,
                Some(" ask peer group "),
                now,
                now.and_utc(),
            )
            .unwrap();
        assert_eq!(r.signals.len(), 1);
        // Reviewed: Today leaves the client alone for the quiet period.
        assert!(s.review_attention(now).unwrap().is_empty());
        let later = now + chrono::Duration::days(29);
        let items = s.review_attention(later).unwrap();
        assert_eq!(
            items.len(),
            1,
            "quiet period over, incidents still inside 90 days"
        );
        let all = s.reviews(c).unwrap();
        assert_eq!(all[0].choice, ReviewChoice::LogConsultation);
        assert_eq!(all[0].note.as_deref(), Some("ask peer group"));
        assert_eq!(all[0].signals, r.signals);
    }
}
