//! Cancellations in the demo practice: reasons, notice and outcomes that look like a real
//! caseload — roughly one booked session in seven or eight affected, many saved by a phone or video
//! session or a new time, the rest cancelled (late or not).
//!
//! Uses its own random stream (from the seed), so the rest of the demo stays as it was.

use chrono::{Datelike, Duration, NaiveDateTime, Weekday};

use super::model::{DemoCancellation, DemoOptions, DemoPractice, DemoSession};
use crate::domain::cancellation::{
    Alternative, CancelOutcome, CancelledBy, PracticeSettings, Reason, SessionFacts, is_late, offer,
};
use crate::domain::session::{Modality, SessionStatus};

/// How often each reason comes up, out of 100.
const REASONS: &[(Reason, u32)] = &[
    (Reason::Work, 22),
    (Reason::ChildOrFamilyCare, 17),
    (Reason::OwnIllness, 18),
    (Reason::Travel, 9),
    (Reason::TransportOrWeather, 8),
    (Reason::ScheduleConflict, 9),
    (Reason::Forgot, 6),
    (Reason::Cost, 4),
    (Reason::FeelingBetter, 4),
    (Reason::Other, 3),
];

fn pick_reason(rng: &mut fastrand::Rng) -> Reason {
    let mut n = rng.u32(0..100);
    for (r, w) in REASONS {
        if n < *w {
            return *r;
        }
        n -= w;
    }
    Reason::Other
}

fn note_for(reason: Reason, rng: &mut fastrand::Rng) -> Option<&'static str> {
    if rng.u8(0..3) != 0 {
        return None;
    }
    Some(match reason {
        Reason::ChildOrFamilyCare => "daughter home with a fever",
        Reason::OwnIllness => "flu, voice is going",
        Reason::Work => "shift changed at short notice",
        Reason::Travel => "away for work until Thursday",
        Reason::TransportOrWeather => "trains cancelled",
        Reason::ScheduleConflict => "hospital appointment at the same time",
        Reason::Forgot => "called after the time, apologetic",
        Reason::Cost => "money is tight this month",
        Reason::FeelingBetter => "says things are much calmer",
        Reason::Other => "did not say",
    })
}

/// Marks some of the demo's sessions as cancellation requests and records what became of them.
pub fn add_cancellations(p: &mut DemoPractice, opts: &DemoOptions) {
    let mut rng = fastrand::Rng::with_seed(opts.seed ^ 0x0ca5_e10a_d5ee_d5ed);
    let settings = PracticeSettings::default();
    // "Now" on the practitioner's clock, which session starts are on.
    let now = crate::clock::local_of(opts.now);
    // Busy intervals by day, to find a free time for a reschedule.
    let mut busy: std::collections::HashMap<
        chrono::NaiveDate,
        Vec<(NaiveDateTime, NaiveDateTime)>,
    > = std::collections::HashMap::new();
    for s in &p.sessions {
        let end = s.starts_at + Duration::minutes(i64::from(s.minutes));
        busy.entry(s.starts_at.date())
            .or_default()
            .push((s.starts_at, end));
    }
    for i in 0..p.sessions.len() {
        let s = p.sessions[i];
        // Left-unmarked sessions stay as they are (they belong to "Needs attention").
        if s.status == SessionStatus::Scheduled && s.starts_at < now {
            continue;
        }
        if rng.u8(0..100) >= 16 {
            continue;
        }
        let by = if rng.u8(0..100) < 8 {
            CancelledBy::Practitioner
        } else {
            CancelledBy::Client
        };
        let reason = match by {
            CancelledBy::Client => pick_reason(&mut rng),
            CancelledBy::Practitioner => {
                if rng.bool() {
                    Reason::OwnIllness
                } else {
                    Reason::ScheduleConflict
                }
            }
        };
        // Notice: illness and childcare come late; travel and conflicts come early.
        let notice_hours = match (reason, rng.u8(0..100)) {
            (Reason::OwnIllness | Reason::ChildOrFamilyCare, 0..=69) => rng.u32(1..20),
            (Reason::Forgot, _) => rng.u32(0..2),
            (Reason::Travel | Reason::ScheduleConflict, 0..=69) => rng.u32(48..240),
            (_, 0..=34) => rng.u32(2..24),
            (_, 35..=69) => rng.u32(24..72),
            _ => rng.u32(72..240),
        };
        let notice_hours = f64::from(notice_hours) + f64::from(rng.u8(0..4)) * 0.25;
        let requested_at = s.starts_at - Duration::minutes((notice_hours * 60.0).round() as i64);
        if requested_at > now {
            continue;
        }
        let facts = SessionFacts {
            starts_at: s.starts_at,
            minutes: s.minutes,
            modality: s.modality,
            status: SessionStatus::Scheduled,
        };
        let consent = p.clients[s.client].fields.telehealth_consent;
        let offered: Vec<Alternative> = match by {
            CancelledBy::Client => offer(reason, &facts, &settings, consent)
                .into_iter()
                .filter(|o| o.availability.is_available())
                .map(|o| o.option)
                .collect(),
            CancelledBy::Practitioner => Vec::new(),
        };
        // The client takes the first remote option offered about half the time, a new time a
        // third of the time it is offered first.
        let first = offered.first().copied();
        let roll = rng.u8(0..100);
        let mut outcome = match (by, first) {
            (CancelledBy::Client, Some(Alternative::Phone)) if roll < 50 => {
                CancelOutcome::ConvertedPhone
            }
            (CancelledBy::Client, Some(Alternative::Video)) if roll < 50 => {
                CancelOutcome::ConvertedVideo
            }
            // Otherwise a new time, when one is offered: a third of the time when it comes
            // first, one time in ten after declining phone or video.
            (CancelledBy::Client, Some(_))
                if (roll < 35 || (50..60).contains(&roll))
                    && offered.contains(&Alternative::Reschedule) =>
            {
                CancelOutcome::Rescheduled
            }
            (CancelledBy::Practitioner, _) if roll < 45 => CancelOutcome::Rescheduled,
            _ if is_late(by, notice_hours, settings.cancellation_window_hours) => {
                CancelOutcome::LateCancelled
            }
            _ => CancelOutcome::Cancelled,
        };
        let mut new_session = None;
        if outcome == CancelOutcome::Rescheduled {
            new_session = free_time(&s, &busy, &mut rng).map(|t| DemoSession {
                client: s.client,
                series: None,
                starts_at: t,
                minutes: s.minutes,
                modality: s.modality,
                // The new session has happened too when it lies in the past.
                status: if t >= now {
                    SessionStatus::Scheduled
                } else if s.status == SessionStatus::Scheduled {
                    SessionStatus::Attended
                } else {
                    s.status
                },
            });
            match &new_session {
                Some(n) => busy.entry(n.starts_at.date()).or_default().push((
                    n.starts_at,
                    n.starts_at + Duration::minutes(i64::from(n.minutes)),
                )),
                None => {
                    outcome = if is_late(by, notice_hours, settings.cancellation_window_hours) {
                        CancelOutcome::LateCancelled
                    } else {
                        CancelOutcome::Cancelled
                    }
                }
            }
        }
        let session = &mut p.sessions[i];
        match outcome {
            CancelOutcome::ConvertedPhone => session.modality = Modality::Phone,
            CancelOutcome::ConvertedVideo => session.modality = Modality::Video,
            other => session.status = other.session_status(),
        }
        p.cancellations.push(DemoCancellation {
            session: i,
            requested_at,
            by,
            reason,
            note: note_for(reason, &mut rng),
            notice_hours,
            offered,
            outcome,
            new_session,
            fee_waived: outcome == CancelOutcome::LateCancelled && rng.u8(0..100) < 30,
            remote_checked: matches!(
                outcome,
                CancelOutcome::ConvertedPhone | CancelOutcome::ConvertedVideo
            ),
        });
    }
}

fn opening() -> chrono::NaiveTime {
    chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(chrono::NaiveTime::MIN)
}

fn closing() -> chrono::NaiveTime {
    chrono::NaiveTime::from_hms_opt(17, 0, 0).unwrap_or(chrono::NaiveTime::MIN)
}

/// The same hour one to four weekdays later, or the next free half hour that day.
fn free_time(
    s: &DemoSession,
    busy: &std::collections::HashMap<chrono::NaiveDate, Vec<(NaiveDateTime, NaiveDateTime)>>,
    rng: &mut fastrand::Rng,
) -> Option<NaiveDateTime> {
    let len = Duration::minutes(i64::from(s.minutes));
    let first = rng.i64(1..=3);
    for d in first..first + 6 {
        let day = s.starts_at.date() + Duration::days(d);
        if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            continue;
        }
        for shift in [0i64, 60, -60, 120, 30] {
            let t = day.and_time(s.starts_at.time()) + Duration::minutes(shift);
            let end = t + len;
            // Inside office hours: from 9:00, ending by 17:00.
            if t.time() < opening() || end.date() != day || end.time() > closing() {
                continue;
            }
            let clash = busy
                .get(&day)
                .is_some_and(|v| v.iter().any(|(a, b)| t < *b && *a < end));
            if !clash {
                return Some(t);
            }
        }
    }
    None
}
