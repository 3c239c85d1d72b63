//! Cancellation requests and the practice settings they follow.
//!
//! [`Store::cancel_session`] records a request and its effect on the session in ONE
//! transaction: a conversion changes the session's modality (it stays scheduled), a
//! reschedule marks it rescheduled and books the new session, a declined offer cancels it
//! (late or not). A refused request changes nothing.

use chrono::{DateTime, Duration, Local, NaiveDateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row};

use super::session::session_in;
use super::{Result, Store, StoreError, instant, opt_instant, opt_word, word};
use crate::domain::cancellation::{
    Alternative, CancelOutcome, Cancellation, Decision, OfferItem, PracticeSettings, Request,
    SessionFacts, free_slots, notice_hours_in, offer, plan,
};
use crate::domain::client::Telehealth;
use crate::domain::session::{Session, SessionStatus};
use crate::domain::time::{format_instant, format_local};

const COLUMNS: &str = "id, session_id, requested_at, by, reason, note, notice_hours, offered, outcome, \
    new_session_id, fee_waived, remote_private, remote_not_driving, remote_location_ok, consent_recorded, created_at, reverted_at";

fn cancellation_from_row(r: &Row<'_>) -> rusqlite::Result<Cancellation> {
    let offered: String = r.get(7)?;
    let offered: Vec<Alternative> = serde_json::from_str(&offered).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(7, rusqlite::types::Type::Text, e.into())
    })?;
    Ok(Cancellation {
        id: r.get(0)?,
        session_id: r.get(1)?,
        requested_at: instant(r, 2)?,
        by: word(r, 3)?,
        reason: word(r, 4)?,
        note: r.get(5)?,
        notice_hours: r.get(6)?,
        offered,
        outcome: word(r, 8)?,
        new_session_id: r.get(9)?,
        fee_waived: r.get(10)?,
        remote_private: r.get(11)?,
        remote_not_driving: r.get(12)?,
        remote_location_ok: r.get(13)?,
        consent_recorded: opt_word(r, 14)?,
        created_at: instant(r, 15)?,
        reverted_at: opt_instant(r, 16)?,
    })
}

/// The practice settings as stored, or the defaults.
pub(crate) fn practice_settings_in(conn: &Connection) -> Result<PracticeSettings> {
    let raw: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [PracticeSettings::KEY],
            |r| r.get(0),
        )
        .optional()?;
    match raw {
        None => Ok(PracticeSettings::default()),
        Some(s) => serde_json::from_str(&s).map_err(|e| {
            StoreError::Refused(format!(
                "The practice settings could not be read ({e}). Open Practice to set them again."
            ))
        }),
    }
}

/// Start and end of every session that still takes place (not cancelled or rescheduled)
/// starting in `[from, to)`, except `except`.
pub(crate) fn busy_in(
    conn: &Connection,
    from: NaiveDateTime,
    to: NaiveDateTime,
    except: i64,
) -> Result<Vec<(NaiveDateTime, NaiveDateTime)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT starts_at, minutes FROM sessions
         WHERE starts_at >= ?1 AND starts_at < ?2 AND id != ?3
           AND status NOT IN ('cancelled', 'late_cancelled', 'rescheduled')
         ORDER BY starts_at",
    )?;
    // A session that starts up to ten hours before `from` may still run into it.
    let early = from - Duration::hours(10);
    let rows = stmt
        .query_map((format_local(early), format_local(to), except), |r| {
            let start = super::local(r, 0)?;
            let minutes: i64 = r.get(1)?;
            Ok((start, start + Duration::minutes(minutes)))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn facts(s: &Session) -> SessionFacts {
    SessionFacts {
        starts_at: s.starts_at,
        minutes: s.minutes,
        modality: s.modality,
        status: s.status,
    }
}

/// The practitioner's wall-clock `now` as a moment in their zone (this machine's), so notice is
/// measured in real hours across a daylight-saving change.
fn zoned(now: NaiveDateTime) -> DateTime<Local> {
    crate::clock::local_to_utc(now).with_timezone(&Local)
}

/// Everything the offer for one session needs, read once (for the dialog and the CLI).
#[derive(Debug, Clone)]
pub struct CancelContext {
    pub session: Session,
    pub client_phone: Option<String>,
    pub consent: Telehealth,
    pub consent_date: Option<chrono::NaiveDate>,
    pub settings: PracticeSettings,
    /// Practical barriers to attending the client named in their needs assessment (work hours,
    /// caring for others, travel, transport), in words, for the offer.
    pub barriers: Vec<String>,
}

impl CancelContext {
    pub fn facts(&self) -> SessionFacts {
        facts(&self.session)
    }

    /// Hours of notice if the request is recorded at the practitioner's wall-clock `now`: the
    /// real time until the session starts, in the practitioner's zone.
    pub fn notice_hours(&self, now: NaiveDateTime) -> f64 {
        notice_hours_in(
            self.session.starts_at,
            crate::clock::local_to_utc(now),
            &Local,
        )
    }

    /// The tailored offer for a client's reason.
    pub fn offer(&self, reason: crate::domain::cancellation::Reason) -> Vec<OfferItem> {
        offer(reason, &self.facts(), &self.settings, self.consent)
    }
}

/// A free slot starts at least this long after now.
pub const MIN_LEAD_MINUTES: i64 = 60;

/// Who made a change, as stored in `sessions.marked_by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    App,
    Cli,
}

impl Source {
    fn word(self) -> &'static str {
        match self {
            Source::App => super::session::BY_PRACTITIONER,
            Source::Cli => super::session::BY_CLI,
        }
    }
}

impl Store {
    /// The practice settings (defaults when never saved).
    pub fn practice_settings(&self) -> Result<PracticeSettings> {
        practice_settings_in(self.conn())
    }

    /// Saves the practice settings after checking them.
    pub fn set_practice_settings(&mut self, s: &PracticeSettings) -> Result<()> {
        s.validate()?;
        self.set_setting(PracticeSettings::KEY, s)
    }

    /// The session, its client's phone and consent, and the settings.
    pub fn cancel_context(&self, session_id: i64) -> Result<CancelContext> {
        let session = self.session(session_id)?;
        let client = self.client(session.client_id)?;
        Ok(CancelContext {
            session,
            client_phone: client.phone,
            consent: client.telehealth_consent,
            consent_date: client.telehealth_consent_date,
            settings: self.practice_settings()?,
            barriers: self
                .client_barriers(client.id)?
                .into_iter()
                .filter(|b| b.present)
                .map(|b| b.barrier.label().to_string())
                .collect(),
        })
    }

    /// Every occurrence of a booking that would overlap a booked session (one clash each), and
    /// up to `max` start times nearest the one asked for (in office hours, an hour or more after
    /// `now`) at which the whole booking, every occurrence of a series, is free.
    pub fn booking_clashes(
        &self,
        req: &super::session::BookingRequest,
        now: NaiveDateTime,
        max: usize,
    ) -> Result<(Vec<crate::domain::schedule::Clash>, Vec<NaiveDateTime>)> {
        let times = crate::domain::schedule::occurrences(req.starts_at, req.repeat)?;
        let conn = self.conn();
        let mut clashes = Vec::new();
        for &at in &times {
            let near = super::session::neighbours(conn, at, req.minutes)?;
            if let Some(s) = crate::domain::schedule::find_clash(at, req.minutes, &near, &[]) {
                clashes.push(crate::domain::schedule::Clash {
                    at,
                    minutes: req.minutes,
                    with: s.clone(),
                });
            }
        }
        let settings = self.practice_settings()?;
        let horizon = settings.reschedule_horizon_days;
        let day_start = req.starts_at.date().and_time(chrono::NaiveTime::MIN);
        let from = (now + Duration::minutes(MIN_LEAD_MINUTES)).max(day_start);
        let last = times.last().copied().unwrap_or(req.starts_at);
        let to = last + Duration::days(i64::from(horizon) + 2);
        let busy = busy_in(conn, from, to, 0)?;
        let candidates = free_slots(
            &settings.office_hours,
            &busy,
            req.minutes,
            from,
            horizon,
            2000,
            48,
        );
        let len = Duration::minutes(i64::from(req.minutes));
        let mut free: Vec<NaiveDateTime> = candidates
            .into_iter()
            .filter(|c| {
                crate::domain::schedule::occurrences(*c, req.repeat).is_ok_and(|v| {
                    v.iter()
                        .all(|t| !busy.iter().any(|(a, b)| *t < *b && *a < *t + len))
                })
            })
            .collect();
        // Nearest the time asked for first.
        free.sort_by_key(|c| (*c - req.starts_at).num_minutes().abs());
        free.truncate(max);
        free.sort();
        Ok((clashes, free))
    }

    /// The next free slots for moving a session: within office hours, not clashing with any
    /// other session, starting an hour or more after `now` (time to let the client know),
    /// within the practice's search horizon.
    pub fn free_slots_for(
        &self,
        session_id: i64,
        now: NaiveDateTime,
        max: usize,
        per_day: usize,
    ) -> Result<Vec<NaiveDateTime>> {
        let session = self.session(session_id)?;
        let settings = self.practice_settings()?;
        let horizon = settings.reschedule_horizon_days;
        let to = now + Duration::days(i64::from(horizon) + 1);
        // The session itself stays busy: the client can't make that time.
        let busy = busy_in(self.conn(), now, to, 0)?;
        Ok(free_slots(
            &settings.office_hours,
            &busy,
            session.minutes,
            now + Duration::minutes(MIN_LEAD_MINUTES),
            horizon,
            max,
            per_day,
        ))
    }

    /// Records a cancellation request and its effect, in one transaction. `now` is the
    /// practitioner's wall-clock time; `at` the same moment as an instant.
    pub fn cancel_session(
        &mut self,
        session_id: i64,
        req: &Request,
        decision: Decision,
        now: NaiveDateTime,
        at: DateTime<Utc>,
        source: Source,
    ) -> Result<Cancellation> {
        if let Decision::Reschedule { to } = decision {
            super::session::exist_on_the_clock(&[to])?;
        }
        let id = self.write(|tx| {
            let session = session_in(tx, session_id)?;
            super::note::refuse_if_signed(tx, session_id, "cancelled")?;
            let client = super::client::client_in(tx, session.client_id)?;
            let settings = practice_settings_in(tx)?;
            let busy = match decision {
                Decision::Reschedule { to } => busy_in(
                    tx,
                    to - Duration::days(1),
                    to + Duration::days(1),
                    session_id,
                )?,
                _ => Vec::new(),
            };
            let p = plan(
                req,
                &facts(&session),
                &settings,
                client.telehealth_consent,
                &zoned(now),
                decision,
                &busy,
            )?;
            let stamp = format_instant(at);
            if let Some(alt) = p.consent_added {
                let consent = client.telehealth_consent.with(
                    alt == Alternative::Phone,
                    alt == Alternative::Video,
                );
                tx.execute(
                    "UPDATE clients SET telehealth_consent = ?2, telehealth_consent_date = ?3,
                        updated_at = ?4 WHERE id = ?1",
                    (
                        client.id,
                        consent.as_str(),
                        super::date_text(now.date()),
                        &stamp,
                    ),
                )?;
            }
            let mut new_session_id = None;
            let status = p.outcome.session_status();
            match p.outcome {
                CancelOutcome::ConvertedPhone | CancelOutcome::ConvertedVideo => {
                    let modality = p.new_modality.unwrap_or(session.modality);
                    tx.execute(
                        "UPDATE sessions SET modality = ?2, updated_at = ?3
                         WHERE id = ?1 AND status = 'scheduled'",
                        (session_id, modality.as_str(), &stamp),
                    )?;
                }
                CancelOutcome::Rescheduled => {
                    let start = p.new_start.unwrap_or(session.starts_at);
                    tx.execute(
                        "INSERT INTO sessions (client_id, starts_at, minutes, modality, status,
                            created_at, updated_at)
                         VALUES (?1, ?2, ?3, ?4, 'scheduled', ?5, ?5)",
                        (
                            session.client_id,
                            format_local(start),
                            session.minutes,
                            session.modality.as_str(),
                            &stamp,
                        ),
                    )?;
                    let new_id = tx.last_insert_rowid();
                    new_session_id = Some(new_id);
                    tx.execute(
                        "UPDATE sessions SET status = ?2, rescheduled_to = ?3, marked_at = ?4,
                            marked_by = ?5, updated_at = ?4
                         WHERE id = ?1 AND status = 'scheduled'",
                        (
                            session_id,
                            status.as_str(),
                            new_id,
                            &stamp,
                            source.word(),
                        ),
                    )?;
                }
                CancelOutcome::Cancelled | CancelOutcome::LateCancelled => {
                    tx.execute(
                        "UPDATE sessions SET status = ?2, marked_at = ?3, marked_by = ?4,
                            updated_at = ?3
                         WHERE id = ?1 AND status = 'scheduled'",
                        (session_id, status.as_str(), &stamp, source.word()),
                    )?;
                }
            }
            let offered = serde_json::to_string(&p.offered)
                .map_err(|e| StoreError::Refused(format!("could not record the offer ({e})")))?;
            let check = p.remote_check;
            tx.execute(
                "INSERT INTO cancellations (session_id, requested_at, by, reason, note, notice_hours,
                    offered, outcome, new_session_id, fee_waived, remote_private, remote_not_driving,
                    remote_location_ok, consent_recorded, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?2)",
                rusqlite::params![
                    session_id,
                    &stamp,
                    p.by.as_str(),
                    p.reason.as_str(),
                    p.note,
                    p.notice_hours,
                    offered,
                    p.outcome.as_str(),
                    new_session_id,
                    p.fee_waived,
                    check.map(|c| c.private_place),
                    check.map(|c| c.not_driving),
                    check.map(|c| c.location_ok),
                    p.consent_added.map(|a| a.as_str()),
                ],
            )?;
            let id = tx.last_insert_rowid();
            // A late cancellation's fee follows, in this same transaction.
            super::billing::follow_outcome(tx, session_id, now.date(), at)?;
            let detail = format!("session {session_id}: {}", p.outcome);
            super::audit::audit(
                tx,
                at,
                "cancellation_recorded",
                "cancellation",
                Some(id),
                Some(session.client_id),
                Some(&detail),
            )?;
            Ok(id)
        })?;
        self.cancellation(id)
    }

    /// Reverts a cancellation recorded by mistake, in one transaction: the session goes back to
    /// scheduled, the request keeps the moment it was reverted, and the audit trail says so.
    /// Allowed for a (late) cancellation while the session has not started or on its day.
    pub fn revert_cancellation(
        &mut self,
        session_id: i64,
        now: NaiveDateTime,
        at: DateTime<Utc>,
    ) -> Result<Session> {
        self.write(|tx| {
            let s = session_in(tx, session_id)?;
            super::revert::revert_in(tx, &s, now, at)
        })?;
        super::session::session_in(self.conn(), session_id)
    }

    /// One cancellation record.
    pub fn cancellation(&self, id: i64) -> Result<Cancellation> {
        self.conn()
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM cancellations WHERE id = ?1"
            ))?
            .query_row([id], cancellation_from_row)
            .optional()?
            .ok_or(StoreError::NotFound {
                what: "cancellation",
                id,
            })
    }

    /// The latest cancellation request for a session, if there was one.
    pub fn cancellation_for_session(&self, session_id: i64) -> Result<Option<Cancellation>> {
        Ok(self
            .conn()
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM cancellations WHERE session_id = ?1 ORDER BY id DESC LIMIT 1"
            ))?
            .query_row([session_id], cancellation_from_row)
            .optional()?)
    }

    /// Every cancellation request made in `[from, to)` (UTC instants), oldest first.
    pub fn cancellations_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Cancellation>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM cancellations WHERE requested_at >= ?1 AND requested_at < ?2
             ORDER BY requested_at, id"
        ))?;
        let rows = stmt
            .query_map(
                (format_instant(from), format_instant(to)),
                cancellation_from_row,
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

/// What the demo's cancellations added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoAdded {
    pub cancellations: usize,
    /// Sessions booked by reschedules.
    pub sessions: usize,
    /// Of those, the ones attended: (client id, session id, start, minutes).
    pub attended: Vec<(i64, i64, chrono::NaiveDateTime, u32)>,
}

/// Writes the demo practice's cancellation requests (inside the demo's transaction), booking
/// each reschedule's new session and linking it.
pub(crate) fn insert_demo_cancellations(
    tx: &rusqlite::Transaction<'_>,
    practice: &crate::demo::DemoPractice,
    client_ids: &[i64],
    session_ids: &[i64],
    created_at: &str,
) -> Result<DemoAdded> {
    let mut added = DemoAdded::default();
    for c in &practice.cancellations {
        let session_id = session_ids[c.session];
        let requested = format_instant(crate::clock::local_to_utc(c.requested_at));
        let mut new_session_id = None;
        if let Some(n) = &c.new_session {
            let marked = (n.status != SessionStatus::Scheduled).then(|| {
                format_instant(crate::clock::local_to_utc(
                    n.starts_at + Duration::minutes(i64::from(n.minutes)),
                ))
            });
            let id = super::session::insert_session(
                tx,
                client_ids[n.client],
                n.starts_at,
                n.minutes,
                n.modality,
                n.status,
                None,
                marked
                    .as_deref()
                    .map(|m| (m, super::session::BY_PRACTITIONER)),
                created_at,
            )?;
            tx.execute(
                "UPDATE sessions SET rescheduled_to = ?2 WHERE id = ?1",
                (session_id, id),
            )?;
            new_session_id = Some(id);
            added.sessions += 1;
            // The session kept at its new time was written up like any other, once it was a
            // couple of weeks old.
            if n.status.is_attended() {
                added
                    .attended
                    .push((client_ids[n.client], id, n.starts_at, n.minutes));
            }
        }
        if !c.outcome.is_saved() || c.outcome == CancelOutcome::Rescheduled {
            // Marked when the request came.
            tx.execute(
                "UPDATE sessions SET marked_at = ?2 WHERE id = ?1",
                (session_id, &requested),
            )?;
        }
        let offered = serde_json::to_string(&c.offered)
            .map_err(|e| StoreError::Refused(format!("could not record the offer ({e})")))?;
        let check = c.remote_checked.then_some(true);
        tx.prepare_cached(
            "INSERT INTO cancellations (session_id, requested_at, by, reason, note, notice_hours,
                offered, outcome, new_session_id, fee_waived, remote_private, remote_not_driving,
                remote_location_ok, consent_recorded, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?11, NULL, ?2)",
        )?
        .execute(rusqlite::params![
            session_id,
            &requested,
            c.by.as_str(),
            c.reason.as_str(),
            c.note,
            c.notice_hours,
            offered,
            c.outcome.as_str(),
            new_session_id,
            c.fee_waived,
            check,
        ])?;
        added.cancellations += 1;
    }
    Ok(added)
}

/// Whether a session can still be cancelled (it is scheduled).
pub fn can_cancel(s: &Session) -> bool {
    s.status == SessionStatus::Scheduled
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::cancellation::{CancelledBy, Reason, RemoteCheck};
    use crate::domain::client::ClientInput;
    use crate::domain::session::Modality;
    use crate::domain::time::parse_local;

    fn at(s: &str) -> NaiveDateTime {
        parse_local(s).unwrap()
    }

    fn utc() -> DateTime<Utc> {
        at("2026-11-23 08:20").and_utc()
    }

    /// A store with one client (consent as given) and sessions booked with plain SQL.
    fn store(consent: Telehealth, starts: &[&str]) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("p.db")).unwrap();
        let input = ClientInput {
            name: "Tom Berg".into(),
            phone: "555-0101".into(),
            telehealth_consent: consent,
            ..Default::default()
        };
        let f = input
            .validate(chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap())
            .unwrap();
        s.add_client(&f, utc()).unwrap();
        s.write(|tx| {
            for st in starts {
                tx.execute(
                    "INSERT INTO sessions (client_id, starts_at, minutes, modality, created_at, updated_at)
                     VALUES (1, ?1, 50, 'in_person', 'x', 'x')",
                    [format_local(at(st))],
                )?;
            }
            Ok(())
        })
        .unwrap();
        (dir, s)
    }

    fn client_req(reason: Reason) -> Request {
        Request {
            by: CancelledBy::Client,
            reason,
            note: Some("called at 8".into()),
        }
    }

    fn rescheduled_to(s: &Store, id: i64) -> Option<i64> {
        s.conn()
            .query_row(
                "SELECT rescheduled_to FROM sessions WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap()
    }

    #[test]
    fn converting_keeps_the_time_and_changes_the_modality() {
        let (_d, mut s) = store(Telehealth::Both, &["2026-11-23 10:00"]);
        let c = s
            .cancel_session(
                1,
                &client_req(Reason::ChildOrFamilyCare),
                Decision::Convert {
                    to: Alternative::Phone,
                    verbal_consent: false,
                    check: Some(RemoteCheck::ALL_YES),
                },
                at("2026-11-23 08:20"),
                utc(),
                Source::App,
            )
            .unwrap();
        assert_eq!(c.outcome, CancelOutcome::ConvertedPhone);
        assert_eq!(
            c.offered,
            vec![
                Alternative::Phone,
                Alternative::Video,
                Alternative::Reschedule
            ]
        );
        assert_eq!(c.remote_private, Some(true));
        assert!((c.notice_hours - (1.0 + 40.0 / 60.0)).abs() < 1e-9);
        let sess = s.session(1).unwrap();
        assert_eq!(sess.modality, Modality::Phone);
        assert_eq!(sess.status, SessionStatus::Scheduled);
        assert_eq!(sess.starts_at, at("2026-11-23 10:00"));
        assert_eq!(s.cancellation_for_session(1).unwrap(), Some(c));
    }

    #[test]
    fn verbal_consent_is_stored_with_the_date() {
        let (_d, mut s) = store(Telehealth::None, &["2026-11-23 10:00"]);
        let c = s
            .cancel_session(
                1,
                &client_req(Reason::Travel),
                Decision::Convert {
                    to: Alternative::Video,
                    verbal_consent: true,
                    check: Some(RemoteCheck::ALL_YES),
                },
                at("2026-11-23 08:20"),
                utc(),
                Source::Cli,
            )
            .unwrap();
        assert_eq!(c.consent_recorded, Some(Alternative::Video));
        assert_eq!(c.outcome, CancelOutcome::ConvertedVideo);
        let client = s.client(1).unwrap();
        assert_eq!(client.telehealth_consent, Telehealth::Video);
        assert_eq!(
            client.telehealth_consent_date,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
        );
    }

    #[test]
    fn rescheduling_links_the_new_session() {
        let (_d, mut s) = store(Telehealth::None, &["2026-11-23 10:00", "2026-11-24 10:00"]);
        let e = s
            .cancel_session(
                1,
                &client_req(Reason::Work),
                Decision::Reschedule {
                    to: at("2026-11-24 10:30"),
                },
                at("2026-11-23 08:20"),
                utc(),
                Source::App,
            )
            .unwrap_err();
        assert!(e.to_string().contains("clashes"), "{e}");
        assert_eq!(s.session(1).unwrap().status, SessionStatus::Scheduled);
        let c = s
            .cancel_session(
                1,
                &client_req(Reason::Work),
                Decision::Reschedule {
                    to: at("2026-11-24 11:00"),
                },
                at("2026-11-23 08:20"),
                utc(),
                Source::App,
            )
            .unwrap();
        assert_eq!(c.outcome, CancelOutcome::Rescheduled);
        let new_id = c.new_session_id.unwrap();
        let old = s.session(1).unwrap();
        assert_eq!(old.status, SessionStatus::Rescheduled);
        assert_eq!(old.marked_by.as_deref(), Some("practitioner"));
        assert_eq!(rescheduled_to(&s, 1), Some(new_id));
        let new = s.session(new_id).unwrap();
        assert_eq!(new.status, SessionStatus::Scheduled);
        assert_eq!(new.starts_at, at("2026-11-24 11:00"));
        assert_eq!(
            (new.client_id, new.minutes, new.modality),
            (1, 50, Modality::InPerson)
        );
    }

    #[test]
    fn declining_cancels_late_or_not_and_the_waiver_is_stored() {
        let (_d, mut s) = store(
            Telehealth::Both,
            &["2026-11-23 10:00", "2026-11-30 10:00", "2026-11-23 16:00"],
        );
        let now = at("2026-11-23 08:20");
        let c = s
            .cancel_session(
                1,
                &client_req(Reason::OwnIllness),
                Decision::Decline { waive_fee: true },
                now,
                utc(),
                Source::App,
            )
            .unwrap();
        assert_eq!(c.outcome, CancelOutcome::LateCancelled);
        assert!(c.fee_waived);
        assert_eq!(c.remote_private, None);
        assert_eq!(s.session(1).unwrap().status, SessionStatus::LateCancelled);
        let c = s
            .cancel_session(
                2,
                &client_req(Reason::Forgot),
                Decision::Decline { waive_fee: false },
                now,
                utc(),
                Source::App,
            )
            .unwrap();
        assert_eq!(c.outcome, CancelOutcome::Cancelled);
        assert_eq!(s.session(2).unwrap().status, SessionStatus::Cancelled);
        let p = Request {
            by: CancelledBy::Practitioner,
            reason: Reason::OwnIllness,
            note: None,
        };
        let c = s
            .cancel_session(
                3,
                &p,
                Decision::Decline { waive_fee: false },
                now,
                utc(),
                Source::App,
            )
            .unwrap();
        assert_eq!(
            c.outcome,
            CancelOutcome::Cancelled,
            "never late when it is you"
        );
        assert!(c.offered.is_empty());
    }

    #[test]
    fn a_session_that_is_not_scheduled_is_refused_and_nothing_changes() {
        let (_d, mut s) = store(Telehealth::Both, &["2026-11-23 10:00"]);
        let now = at("2026-11-23 08:20");
        let decline = Decision::Decline { waive_fee: false };
        s.cancel_session(
            1,
            &client_req(Reason::Cost),
            decline,
            now,
            utc(),
            Source::App,
        )
        .unwrap();
        let count = |s: &Store| -> i64 {
            s.conn()
                .query_row("SELECT count(*) FROM cancellations", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(count(&s), 1);
        let e = s
            .cancel_session(
                1,
                &client_req(Reason::Cost),
                decline,
                now,
                utc(),
                Source::App,
            )
            .unwrap_err();
        assert!(e.to_string().contains("not scheduled"), "{e}");
        assert_eq!(count(&s), 1);
        let e = s
            .cancel_session(
                9,
                &client_req(Reason::Cost),
                decline,
                now,
                utc(),
                Source::App,
            )
            .unwrap_err();
        assert!(e.to_string().contains("no session with id 9"), "{e}");
    }

    #[test]
    fn settings_round_trip_and_are_checked() {
        let (_d, mut s) = store(Telehealth::None, &[]);
        assert_eq!(s.practice_settings().unwrap(), PracticeSettings::default());
        let mut p = PracticeSettings {
            video_link: "https://meet.example/harbour".into(),
            cancellation_window_hours: 48,
            ..Default::default()
        };
        p.offers.set(Reason::Cost, vec![Alternative::Phone]);
        s.set_practice_settings(&p).unwrap();
        assert_eq!(s.practice_settings().unwrap(), p);
        p.reschedule_horizon_days = 0;
        assert!(s.set_practice_settings(&p).is_err());
        assert_eq!(s.practice_settings().unwrap().reschedule_horizon_days, 14);
    }

    #[test]
    fn free_slots_skip_booked_sessions() {
        let (_d, s) = store(
            Telehealth::None,
            &["2026-11-23 10:00", "2026-11-23 11:00", "2026-11-23 12:00"],
        );
        let slots = s.free_slots_for(1, at("2026-11-23 09:30"), 3, 9).unwrap();
        // An hour's lead: after 10:30. 11:00 and 12:00 are booked, and so is the time being
        // given up (10:00).
        assert_eq!(
            slots,
            vec![
                at("2026-11-23 13:00"),
                at("2026-11-23 13:30"),
                at("2026-11-23 14:00")
            ]
        );
    }
}
