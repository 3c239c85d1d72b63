//! A big generated practice for the report benchmarks: clients, twenty years of weekly sessions
//! and their cancellation records, written with plain SQL in one transaction.
//!
//! Deterministic for a seed. Each client comes weekly at their own weekday and hour for a
//! stretch of months; outcomes are mostly attended, with no-shows, cancellations (some by the
//! practitioner), late cancellations, reschedules (the new session a few days later) and
//! conversions to phone or video; a share of clients drift in their last sessions so that the
//! flag rules have something to find.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use rusqlite::Connection;

pub struct Spec {
    pub clients: usize,
    pub sessions: usize,
    pub years: i64,
    pub seed: u64,
    /// The practitioner's now: sessions after it are still scheduled.
    pub now: NaiveDateTime,
}

const REASONS: [&str; 10] = [
    "work",
    "child_or_family_care",
    "own_illness",
    "travel",
    "transport_or_weather",
    "forgot",
    "cost",
    "schedule_conflict",
    "feeling_better",
    "other",
];

fn fmt(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

/// Writes the practice into `conn` (a migrated, empty caseload file). Returns the sessions
/// written (exactly `spec.sessions`).
pub fn generate(conn: &mut Connection, spec: &Spec) -> usize {
    let mut rng = fastrand::Rng::with_seed(spec.seed);
    let tx = conn.transaction().unwrap();
    let start = spec.now.date() - Duration::days(365 * spec.years);
    let span_days = (spec.now.date() - start).num_days();
    // Sessions per client, scaled to the total.
    let weights: Vec<u64> = (0..spec.clients).map(|_| rng.u64(20..230)).collect();
    let sum: u64 = weights.iter().sum();
    let mut per: Vec<usize> = weights
        .iter()
        .map(|w| (*w as usize * spec.sessions / sum as usize).max(1))
        .collect();
    let mut have: usize = per.iter().sum();
    let mut i = 0;
    while have != spec.sessions {
        let j = i % per.len();
        if have < spec.sessions {
            per[j] += 1;
            have += 1;
        } else if per[j] > 1 {
            per[j] -= 1;
            have -= 1;
        }
        i += 1;
    }
    {
        let mut client = tx
            .prepare(
                "INSERT INTO clients (id, name, preferred_name, status, intake_date, created_at, updated_at)
                 VALUES (?1, ?2, NULL, ?3, ?4, '2006-01-01T00:00:00Z', '2006-01-01T00:00:00Z')",
            )
            .unwrap();
        let mut session = tx
            .prepare(
                "INSERT INTO sessions (id, client_id, starts_at, minutes, modality, status, created_at, updated_at)
                 VALUES (?1, ?2, ?3, 50, ?4, ?5, '2006-01-01T00:00:00Z', '2006-01-01T00:00:00Z')",
            )
            .unwrap();
        let mut cancel = tx
            .prepare(
                "INSERT INTO cancellations (session_id, requested_at, by, reason, notice_hours, outcome, new_session_id, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, '2006-01-01T00:00:00Z')",
            )
            .unwrap();
        let mut sid: i64 = 0;
        for (c, n) in per.iter().enumerate() {
            let id = c as i64 + 1;
            let given = [
                "Maria", "Tom", "Priya", "Olu", "Lena", "Sam", "Ruth", "Jonas",
            ][c % 8];
            let family = ["Lopez", "Berg", "Nair", "Adeyemi", "Fischer", "Okafor"][(c / 8) % 6];
            let weeks = *n as i64;
            // Their first session: anywhere such that most of their sessions are in the span.
            let latest_start = (span_days - weeks * 7).max(1);
            let first_day = start + Duration::days(rng.i64(0..latest_start + 60));
            let hour = rng.u32(8..20);
            let minute = [0, 30][rng.usize(0..2)];
            let first = first_day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap());
            let last = first + Duration::weeks(weeks);
            let status = if last > spec.now {
                "active"
            } else {
                "discharged"
            };
            client
                .execute((
                    id,
                    format!("{given} {family} {id}"),
                    status,
                    first_day.to_string(),
                ))
                .unwrap();
            let drifting = rng.u8(0..10) == 0;
            let mut k = 0;
            while k < *n {
                let at = first + Duration::weeks(k as i64);
                sid += 1;
                let this = sid;
                let modality = if rng.u8(0..10) == 0 {
                    "video"
                } else {
                    "in_person"
                };
                let near_end = drifting && k + 12 >= *n;
                let roll = rng.u32(0..1000);
                let (status, record): (&str, Option<(&str, &str, f64)>) = if at >= spec.now {
                    ("scheduled", None)
                } else if near_end && roll < 350 {
                    ("no_show", None)
                } else if near_end && roll < 450 {
                    (
                        "late_cancelled",
                        Some(("client", "late_cancelled", rng.f64() * 20.0)),
                    )
                } else {
                    match roll {
                        0..=779 => ("attended", None),
                        780..=819 => ("late", None),
                        820..=859 => ("no_show", None),
                        860..=899 => (
                            "cancelled",
                            Some(("client", "cancelled", 24.0 + rng.f64() * 150.0)),
                        ),
                        900..=914 => (
                            "cancelled",
                            Some(("practitioner", "cancelled", rng.f64() * 120.0)),
                        ),
                        915..=939 => (
                            "late_cancelled",
                            Some(("client", "late_cancelled", rng.f64() * 23.9)),
                        ),
                        940..=969 => (
                            "attended",
                            Some((
                                "client",
                                ["converted_phone", "converted_video"][rng.usize(0..2)],
                                rng.f64() * 30.0,
                            )),
                        ),
                        _ => (
                            "rescheduled",
                            Some(("client", "rescheduled", rng.f64() * 100.0)),
                        ),
                    }
                };
                // A reschedule books the new session (it counts at its new time) — only when
                // there is room left in this client's share.
                let (status, record) = if status == "rescheduled" && k + 1 >= *n {
                    ("attended", None)
                } else {
                    (status, record)
                };
                session
                    .execute((this, id, fmt(at), modality, status))
                    .unwrap();
                let mut new_id = None;
                if status == "rescheduled" {
                    sid += 1;
                    k += 1;
                    let moved = at + Duration::days(rng.i64(1..4));
                    let st = if moved >= spec.now {
                        "scheduled"
                    } else {
                        "attended"
                    };
                    session
                        .execute((sid, id, fmt(moved), modality, st))
                        .unwrap();
                    new_id = Some(sid);
                }
                if let Some((by, outcome, notice)) = record {
                    let asked = at - Duration::minutes((notice * 60.0) as i64);
                    cancel
                        .execute((
                            this,
                            asked.format("%Y-%m-%dT%H:%M:00Z").to_string(),
                            by,
                            REASONS[rng.usize(0..REASONS.len())],
                            notice,
                            outcome,
                            new_id,
                        ))
                        .unwrap();
                }
                k += 1;
            }
        }
        assert_eq!(sid as usize, spec.sessions);
    }
    tx.commit().unwrap();
    spec.sessions
}

/// The practice the figures are measured on: 2,000 clients, 250,000 sessions over 20 years,
/// "now" at Mon 23 Nov 2026 09:00.
pub fn big() -> Spec {
    Spec {
        clients: 2000,
        sessions: 250_000,
        years: 20,
        seed: 5,
        now: NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap(),
    }
}
