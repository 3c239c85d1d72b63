//! Booking rules: recurring series, clashes, who may be booked, and what a series edit touches.
//!
//! Everything here works on wall-clock local times ([`NaiveDateTime`]): a weekly session at 10:00
//! stays at 10:00 on the clock through a daylight-saving change, because the next occurrence is
//! simply the same clock time seven days later.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::client::ClientStatus;
use super::error::ValidationError;
use super::session::{Modality, Session, SessionStatus};

/// The most occurrences one booking may create (ten years of weekly sessions).
pub const MAX_OCCURRENCES: u32 = 520;
/// The shortest and longest session, in minutes (the store enforces the same).
pub const MIN_MINUTES: u32 = 5;
pub const MAX_MINUTES: u32 = 600;

/// When a series stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepeatEnd {
    /// After this many sessions (the first included).
    Count(u32),
    /// On or before this date.
    Until(NaiveDate),
}

/// How a booking repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Repeat {
    /// One session.
    #[default]
    Once,
    /// Every `every_weeks` weeks at the same clock time.
    Weeks { every_weeks: u32, end: RepeatEnd },
}

impl Repeat {
    /// Weekly for `count` sessions.
    pub fn weekly(count: u32) -> Repeat {
        Repeat::Weeks {
            every_weeks: 1,
            end: RepeatEnd::Count(count),
        }
    }

    /// The interval in weeks, or `None` for a single session.
    pub fn every_weeks(self) -> Option<u32> {
        match self {
            Repeat::Once => None,
            Repeat::Weeks { every_weeks, .. } => Some(every_weeks),
        }
    }

    /// In words, e.g. "every 2 weeks, 6 sessions".
    pub fn describe(self) -> String {
        match self {
            Repeat::Once => "once".into(),
            Repeat::Weeks { every_weeks, end } => {
                let every = if every_weeks == 1 {
                    "weekly".to_string()
                } else {
                    format!("every {every_weeks} weeks")
                };
                match end {
                    RepeatEnd::Count(n) => format!("{every}, {n} sessions"),
                    RepeatEnd::Until(d) => format!("{every} until {}", d.format("%-d %b %Y")),
                }
            }
        }
    }
}

/// The start of every session a booking makes, in order. Refuses a repeat that makes no
/// session, or more than [`MAX_OCCURRENCES`].
pub fn occurrences(
    start: NaiveDateTime,
    repeat: Repeat,
) -> Result<Vec<NaiveDateTime>, ValidationError> {
    let (every_weeks, end) = match repeat {
        Repeat::Once => return Ok(vec![start]),
        Repeat::Weeks { every_weeks, end } => (every_weeks, end),
    };
    if !(1..=52).contains(&every_weeks) {
        return Err(ValidationError::one(
            "every_weeks",
            "must be between 1 and 52 weeks",
        ));
    }
    let step = Duration::days(7 * i64::from(every_weeks));
    let mut out = Vec::new();
    match end {
        RepeatEnd::Count(n) => {
            if n == 0 {
                return Err(ValidationError::one("count", "must be at least 1 session"));
            }
            if n > MAX_OCCURRENCES {
                return Err(ValidationError::one(
                    "count",
                    format!("is more than {MAX_OCCURRENCES} sessions; book a shorter series"),
                ));
            }
            let mut t = start;
            for _ in 0..n {
                out.push(t);
                t += step;
            }
        }
        RepeatEnd::Until(last) => {
            if last < start.date() {
                return Err(ValidationError::one(
                    "until",
                    format!("{} is before the first session on {}", last, start.date()),
                ));
            }
            let mut t = start;
            while t.date() <= last {
                if out.len() as u32 >= MAX_OCCURRENCES {
                    return Err(ValidationError::one(
                        "until",
                        format!(
                            "makes more than {MAX_OCCURRENCES} sessions; choose an earlier date"
                        ),
                    ));
                }
                out.push(t);
                t += step;
            }
        }
    }
    Ok(out)
}

/// Whether `[a, a + a_min)` and `[b, b + b_min)` overlap. Back-to-back sessions do not.
pub fn overlaps(a: NaiveDateTime, a_min: u32, b: NaiveDateTime, b_min: u32) -> bool {
    let a_end = a + Duration::minutes(i64::from(a_min));
    let b_end = b + Duration::minutes(i64::from(b_min));
    a < b_end && b < a_end
}

/// Whether a session still holds its time (it is not cancelled or moved).
pub fn holds_time(s: &Session) -> bool {
    !s.status.is_off()
}

/// The first booked session that a new session at `start` for `minutes` would sit on top of.
/// Sessions in `ignore` (e.g. the ones being moved) and cancelled or moved ones never clash.
pub fn find_clash<'a>(
    start: NaiveDateTime,
    minutes: u32,
    existing: &'a [Session],
    ignore: &[i64],
) -> Option<&'a Session> {
    existing.iter().find(|s| {
        holds_time(s) && !ignore.contains(&s.id) && overlaps(start, minutes, s.starts_at, s.minutes)
    })
}

/// A clash found while booking: the new session's start and the session already there.
#[derive(Debug, Clone, PartialEq)]
pub struct Clash {
    pub at: NaiveDateTime,
    pub minutes: u32,
    pub with: Session,
}

impl Clash {
    /// In words, naming the session already booked.
    pub fn describe(&self) -> String {
        self.describe_with(&self.with.client_name)
    }

    /// [`Clash::describe`] with the other session's client shown as `client` (initials in
    /// privacy mode).
    pub fn describe_with(&self, client: &str) -> String {
        format!(
            "{} would overlap session {} with {} on {} at {} ({} min, {}).",
            self.at.format("%a %-d %b %Y %H:%M"),
            self.with.id,
            client,
            self.with.starts_at.format("%a %-d %b %Y"),
            self.with.starts_at.format("%H:%M"),
            self.with.minutes,
            self.with.modality.label().to_lowercase(),
        )
    }
}

/// Whether a client in this status may be booked. Discharged and referred-out clients are not;
/// a client on hold may be (booking the session that ends the pause is how a pause ends).
pub fn check_bookable(name: &str, status: ClientStatus) -> Result<(), String> {
    match status {
        ClientStatus::Active | ClientStatus::OnHold => Ok(()),
        ClientStatus::Discharged => Err(format!(
            "{name} has been discharged, so no session was booked. Reopen them (status active) to book again."
        )),
        ClientStatus::ReferredOut => Err(format!(
            "{name} has been referred out, so no session was booked. Reopen them (status active) to book again."
        )),
    }
}

/// Checks the length of a session.
pub fn check_minutes(minutes: u32) -> Result<(), ValidationError> {
    if (MIN_MINUTES..=MAX_MINUTES).contains(&minutes) {
        Ok(())
    } else {
        Err(ValidationError::one(
            "minutes",
            format!("must be between {MIN_MINUTES} and {MAX_MINUTES} minutes"),
        ))
    }
}

/// Whether an outcome may be recorded now. Only booked-or-marked sessions can be marked (a
/// cancelled one is not), and an outcome waits for the day of the session.
pub fn check_mark(s: &Session, to: SessionStatus, now: NaiveDateTime) -> Result<(), String> {
    if !to.is_markable() {
        return Err(format!(
            "“{}” is not an outcome that can be marked; use attended, late, no_show or scheduled.",
            to.as_str()
        ));
    }
    if !s.status.is_markable() {
        return Err(format!(
            "Session {} was {}, so it can't be marked {}.",
            s.id,
            s.status.in_sentence(),
            to.label().to_lowercase()
        ));
    }
    if to != SessionStatus::Scheduled && s.starts_at.date() > now.date() {
        return Err(format!(
            "Session {} is on {}; its outcome can be recorded from that day on.",
            s.id,
            s.starts_at.format("%a %-d %b %Y")
        ));
    }
    Ok(())
}

/// Which sessions of a series an edit or cancellation reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SeriesScope {
    /// Only the chosen session.
    #[default]
    ThisOne,
    /// The chosen session and every later one in its series that has not happened yet.
    ThisAndFuture,
}

/// A change to one or more sessions; `None` keeps what is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SessionChange {
    /// The new start of the chosen session. For later sessions in the series the same shift
    /// applies: as many days, and the new clock time.
    pub starts_at: Option<NaiveDateTime>,
    pub minutes: Option<u32>,
    pub modality: Option<Modality>,
}

/// One session as an edit leaves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedSession {
    pub id: i64,
    pub starts_at: NaiveDateTime,
    pub minutes: u32,
    pub modality: Modality,
}

/// Plans an edit. `series` is every session of the chosen one's series (or just the chosen one).
/// Past occurrences never change: "this and future" reaches only scheduled sessions that start at
/// or after the chosen one and have not started by `now`. The chosen session itself must be
/// scheduled (an outcome, once recorded, belongs to the time it happened).
pub fn plan_edit(
    chosen: &Session,
    series: &[Session],
    change: SessionChange,
    scope: SeriesScope,
    now: NaiveDateTime,
) -> Result<Vec<PlannedSession>, String> {
    if chosen.status != SessionStatus::Scheduled {
        return Err(format!(
            "Session {} is {}; only a scheduled session can be moved or changed.",
            chosen.id,
            chosen.status.label().to_lowercase()
        ));
    }
    if let Some(m) = change.minutes {
        check_minutes(m).map_err(|e| e.to_string())?;
    }
    let day_shift = change
        .starts_at
        .map(|t| (t.date() - chosen.starts_at.date()).num_days())
        .unwrap_or(0);
    let new_time = change.starts_at.map(|t| t.time());
    let apply = |s: &Session| PlannedSession {
        id: s.id,
        starts_at: match new_time {
            Some(t) => (s.starts_at.date() + Duration::days(day_shift)).and_time(t),
            None => s.starts_at,
        },
        minutes: change.minutes.unwrap_or(s.minutes),
        modality: change.modality.unwrap_or(s.modality),
    };
    let mut out = vec![apply(chosen)];
    if scope == SeriesScope::ThisAndFuture && chosen.series_id.is_some() {
        let mut later: Vec<&Session> = series
            .iter()
            .filter(|s| {
                s.id != chosen.id
                    && s.series_id == chosen.series_id
                    && s.status == SessionStatus::Scheduled
                    && s.starts_at >= chosen.starts_at
                    && s.starts_at >= now
            })
            .collect();
        later.sort_by_key(|s| (s.starts_at, s.id));
        out.extend(later.into_iter().map(apply));
    }
    Ok(out)
}

/// Attendance so far: what became of the sessions that have happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Attendance {
    pub attended: u32,
    pub late: u32,
    pub no_show: u32,
    pub cancelled: u32,
    pub late_cancelled: u32,
    pub rescheduled: u32,
    /// Past sessions still waiting for an outcome.
    pub no_outcome: u32,
    /// Booked sessions still to come.
    pub upcoming: u32,
}

impl Attendance {
    /// Counts `sessions` as they stand at `now`.
    pub fn of(sessions: &[Session], now: NaiveDateTime) -> Attendance {
        let mut a = Attendance::default();
        for s in sessions {
            match s.status {
                SessionStatus::Attended => a.attended += 1,
                SessionStatus::Late => a.late += 1,
                SessionStatus::NoShow => a.no_show += 1,
                SessionStatus::Cancelled => a.cancelled += 1,
                SessionStatus::LateCancelled => a.late_cancelled += 1,
                SessionStatus::Rescheduled => a.rescheduled += 1,
                SessionStatus::Scheduled if s.starts_at < now => a.no_outcome += 1,
                SessionStatus::Scheduled => a.upcoming += 1,
            }
        }
        a
    }

    /// Sessions that came to an outcome the client owns: attended, late, no-show, late cancellation.
    pub fn counted(&self) -> u32 {
        self.attended + self.late + self.no_show + self.late_cancelled
    }

    /// The share of counted sessions the client came to, in whole per cent.
    pub fn rate_percent(&self) -> Option<u32> {
        let n = self.counted();
        (n > 0).then(|| ((self.attended + self.late) * 100 + n / 2) / n)
    }

    /// In words, e.g. "88% over 24 sessions (2 late, 1 no-show)".
    pub fn describe(&self) -> String {
        match self.rate_percent() {
            None => "no sessions yet".into(),
            Some(p) => {
                let mut extra = Vec::new();
                if self.late > 0 {
                    extra.push(format!("{} late", self.late));
                }
                if self.no_show > 0 {
                    extra.push(format!(
                        "{} no-show{}",
                        self.no_show,
                        if self.no_show == 1 { "" } else { "s" }
                    ));
                }
                if self.late_cancelled > 0 {
                    extra.push(format!("{} late cancelled", self.late_cancelled));
                }
                let tail = if extra.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", extra.join(", "))
                };
                format!(
                    "{p}% over {} session{}{tail}",
                    self.counted(),
                    if self.counted() == 1 { "" } else { "s" }
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Local, NaiveTime, TimeZone, Timelike};

    fn at(s: &str) -> NaiveDateTime {
        crate::domain::time::parse_local(s).unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        crate::domain::time::parse_date(s).unwrap()
    }

    fn session(id: i64, start: &str, minutes: u32, status: SessionStatus) -> Session {
        Session {
            id,
            client_id: 1,
            client_name: "Maria Lopez".into(),
            starts_at: at(start),
            minutes,
            modality: Modality::InPerson,
            status,
            series_id: None,
            marked_at: None,
            marked_by: None,
        }
    }

    #[test]
    fn a_single_session_is_one_occurrence() {
        assert_eq!(
            occurrences(at("2026-11-23 10:00"), Repeat::Once).unwrap(),
            vec![at("2026-11-23 10:00")]
        );
    }

    #[test]
    fn weekly_for_a_count() {
        let v = occurrences(at("2026-11-23 10:00"), Repeat::weekly(3)).unwrap();
        assert_eq!(
            v,
            vec![
                at("2026-11-23 10:00"),
                at("2026-11-30 10:00"),
                at("2026-12-07 10:00")
            ]
        );
    }

    #[test]
    fn every_n_weeks_until_a_date_includes_that_date() {
        let r = Repeat::Weeks {
            every_weeks: 2,
            end: RepeatEnd::Until(d("2026-12-21")),
        };
        let v = occurrences(at("2026-11-23 09:30"), r).unwrap();
        assert_eq!(
            v,
            vec![
                at("2026-11-23 09:30"),
                at("2026-12-07 09:30"),
                at("2026-12-21 09:30")
            ]
        );
        let r = Repeat::Weeks {
            every_weeks: 2,
            end: RepeatEnd::Until(d("2026-12-20")),
        };
        assert_eq!(occurrences(at("2026-11-23 09:30"), r).unwrap().len(), 2);
    }

    #[test]
    fn bad_repeats_are_refused() {
        let start = at("2026-11-23 10:00");
        assert!(occurrences(start, Repeat::weekly(0)).is_err());
        assert!(occurrences(start, Repeat::weekly(MAX_OCCURRENCES + 1)).is_err());
        assert!(occurrences(start, Repeat::weekly(MAX_OCCURRENCES)).is_ok());
        let zero = Repeat::Weeks {
            every_weeks: 0,
            end: RepeatEnd::Count(3),
        };
        assert_eq!(
            occurrences(start, zero).unwrap_err().errors[0].field,
            "every_weeks"
        );
        let before = Repeat::Weeks {
            every_weeks: 1,
            end: RepeatEnd::Until(d("2026-11-22")),
        };
        assert!(
            occurrences(start, before).unwrap_err().errors[0]
                .message
                .contains("before the first")
        );
        let far = Repeat::Weeks {
            every_weeks: 1,
            end: RepeatEnd::Until(d("2040-01-01")),
        };
        assert!(occurrences(start, far).is_err());
    }

    /// The EU changes clocks on the last Sunday of March and October, the US on the second
    /// Sunday of March and the first of November. A weekly session keeps its clock time across
    /// every one of them, whatever the local zone of the machine running the test.
    #[test]
    fn weekly_sessions_keep_their_clock_time_across_dst_changes() {
        for (start, change) in [
            ("2026-03-26 18:00", "2026-03-29"), // EU spring forward
            ("2026-10-22 18:00", "2026-10-25"), // EU fall back
            ("2026-03-05 09:00", "2026-03-08"), // US spring forward
            ("2026-10-29 09:00", "2026-11-01"), // US fall back
            ("2026-03-29 01:30", "2026-03-29"), // the changing day itself
        ] {
            let v = occurrences(at(start), Repeat::weekly(3)).unwrap();
            for w in v.windows(2) {
                assert_eq!((w[1] - w[0]).num_days(), 7, "{start}");
                assert_eq!(w[1].time(), w[0].time(), "{start}");
            }
            assert!(v[1].date() > d(change) || v[0].date() >= d(change));
        }
        // A session at 02:30 on the EU spring-forward day (a time the clock skips in Europe)
        // still books as 02:30 the week after: what the practitioner typed is what is kept.
        let v = occurrences(at("2026-03-22 02:30"), Repeat::weekly(2)).unwrap();
        assert_eq!(v[1], at("2026-03-29 02:30"));
        assert_eq!(v[1].time(), NaiveTime::from_hms_opt(2, 30, 0).unwrap());
        // And converting to an instant never fails, whichever zone this runs in.
        let _ = crate::clock::local_to_utc(v[1]);
        let _ = Local.from_local_datetime(&v[1]);
    }

    #[test]
    fn month_ends_and_leap_days() {
        let v = occurrences(at("2028-01-31 10:00"), Repeat::weekly(6)).unwrap();
        assert_eq!(v[1], at("2028-02-07 10:00"));
        assert_eq!(v[4], at("2028-02-28 10:00"));
        assert_eq!(v[5], at("2028-03-06 10:00"));
        let v = occurrences(at("2028-02-22 10:00"), Repeat::weekly(2)).unwrap();
        assert_eq!(v[1], at("2028-02-29 10:00"));
        let v = occurrences(at("2026-12-31 17:00"), Repeat::weekly(2)).unwrap();
        assert_eq!(v[1], at("2027-01-07 17:00"));
        assert_eq!(v[1].year(), 2027);
        // Until the last day of a month that the series lands on.
        let r = Repeat::Weeks {
            every_weeks: 1,
            end: RepeatEnd::Until(d("2026-04-30")),
        };
        let v = occurrences(at("2026-04-02 08:00"), r).unwrap();
        assert_eq!(v.last().copied(), Some(at("2026-04-30 08:00")));
        assert_eq!(v.len(), 5);
        assert!(v.iter().all(|t| t.hour() == 8));
    }

    #[test]
    fn overlap_is_half_open() {
        let a = at("2026-11-23 10:00");
        assert!(overlaps(a, 50, at("2026-11-23 10:49"), 50));
        assert!(!overlaps(a, 50, at("2026-11-23 10:50"), 50));
        assert!(overlaps(a, 50, at("2026-11-23 09:15"), 50));
        assert!(!overlaps(a, 50, at("2026-11-23 09:10"), 50));
        assert!(overlaps(a, 120, at("2026-11-23 10:30"), 10));
    }

    #[test]
    fn cancelled_and_moved_sessions_never_clash() {
        let existing = vec![
            session(1, "2026-11-23 10:00", 50, SessionStatus::Cancelled),
            session(2, "2026-11-23 10:00", 50, SessionStatus::LateCancelled),
            session(3, "2026-11-23 10:00", 50, SessionStatus::Rescheduled),
        ];
        assert!(find_clash(at("2026-11-23 10:15"), 50, &existing, &[]).is_none());
        let mut more = existing.clone();
        more.push(session(4, "2026-11-23 10:30", 50, SessionStatus::NoShow));
        assert_eq!(
            find_clash(at("2026-11-23 10:15"), 50, &more, &[]).map(|s| s.id),
            Some(4)
        );
        assert!(find_clash(at("2026-11-23 10:15"), 50, &more, &[4]).is_none());
    }

    #[test]
    fn a_clash_names_the_session_already_there() {
        let c = Clash {
            at: at("2026-11-23 10:30"),
            minutes: 50,
            with: session(12, "2026-11-23 10:00", 50, SessionStatus::Scheduled),
        };
        let text = c.describe();
        assert!(text.contains("session 12"), "{text}");
        assert!(text.contains("Maria Lopez"), "{text}");
        assert!(text.contains("10:00"), "{text}");
    }

    #[test]
    fn discharged_and_referred_out_clients_are_not_booked() {
        assert!(check_bookable("Tom", ClientStatus::Active).is_ok());
        assert!(check_bookable("Tom", ClientStatus::OnHold).is_ok());
        assert!(
            check_bookable("Tom", ClientStatus::Discharged)
                .unwrap_err()
                .contains("discharged")
        );
        assert!(
            check_bookable("Tom", ClientStatus::ReferredOut)
                .unwrap_err()
                .contains("referred out")
        );
    }

    #[test]
    fn marking_rules() {
        let now = at("2026-11-23 09:00");
        let later_today = session(1, "2026-11-23 15:00", 50, SessionStatus::Scheduled);
        assert!(check_mark(&later_today, SessionStatus::Attended, now).is_ok());
        let tomorrow = session(2, "2026-11-24 10:00", 50, SessionStatus::Scheduled);
        assert!(check_mark(&tomorrow, SessionStatus::NoShow, now).is_err());
        assert!(check_mark(&tomorrow, SessionStatus::Scheduled, now).is_ok());
        let cancelled = session(3, "2026-11-20 10:00", 50, SessionStatus::Cancelled);
        assert!(
            check_mark(&cancelled, SessionStatus::Attended, now)
                .unwrap_err()
                .contains("cancelled")
        );
        let attended = session(4, "2026-11-20 10:00", 50, SessionStatus::Attended);
        assert!(check_mark(&attended, SessionStatus::Scheduled, now).is_ok());
        assert!(check_mark(&attended, SessionStatus::Cancelled, now).is_err());
    }

    fn series(start: &str, n: u32) -> Vec<Session> {
        occurrences(at(start), Repeat::weekly(n))
            .unwrap()
            .into_iter()
            .enumerate()
            .map(|(i, t)| Session {
                id: i as i64 + 1,
                starts_at: t,
                series_id: Some(9),
                ..session(0, start, 50, SessionStatus::Scheduled)
            })
            .collect()
    }

    #[test]
    fn editing_one_occurrence_moves_only_it() {
        let s = series("2026-11-02 10:00", 6);
        let change = SessionChange {
            starts_at: Some(at("2026-11-17 14:00")),
            ..Default::default()
        };
        let plan = plan_edit(
            &s[2],
            &s,
            change,
            SeriesScope::ThisOne,
            at("2026-11-10 12:00"),
        )
        .unwrap();
        assert_eq!(plan.len(), 1);
        assert_eq!(plan[0].id, 3);
        assert_eq!(plan[0].starts_at, at("2026-11-17 14:00"));
    }

    #[test]
    fn this_and_future_never_touches_the_past_or_outcomes() {
        let mut s = series("2026-11-02 10:00", 6);
        s[3].status = SessionStatus::Cancelled; // 23 Nov: off, left alone
        let now = at("2026-11-10 12:00");
        let change = SessionChange {
            starts_at: Some(at("2026-11-17 15:30")), // eight days later, at a later time
            minutes: Some(60),
            modality: Some(Modality::Video),
        };
        let plan = plan_edit(&s[1], &s, change, SeriesScope::ThisAndFuture, now).unwrap();
        // s[1] (9 Nov) is chosen; later scheduled ones: 16, 30 Nov, 7 Dec.
        let ids: Vec<i64> = plan.iter().map(|p| p.id).collect();
        assert_eq!(ids, vec![2, 3, 5, 6]);
        assert_eq!(plan[0].starts_at, at("2026-11-17 15:30"));
        assert_eq!(plan[1].starts_at, at("2026-11-24 15:30"));
        assert_eq!(plan[3].starts_at, at("2026-12-15 15:30"));
        assert!(
            plan.iter()
                .all(|p| p.minutes == 60 && p.modality == Modality::Video)
        );
        // Past occurrences (2 Nov) are not in the plan even though scheduled.
        assert!(!ids.contains(&1));
        // A chosen session with an outcome can't be edited.
        s[0].status = SessionStatus::Attended;
        assert!(plan_edit(&s[0], &s, change, SeriesScope::ThisAndFuture, now).is_err());
    }

    #[test]
    fn attendance_so_far() {
        let now = at("2026-11-23 12:00");
        let v = vec![
            session(1, "2026-11-01 10:00", 50, SessionStatus::Attended),
            session(2, "2026-11-08 10:00", 50, SessionStatus::Late),
            session(3, "2026-11-15 10:00", 50, SessionStatus::NoShow),
            session(4, "2026-11-16 10:00", 50, SessionStatus::Cancelled),
            session(5, "2026-11-22 10:00", 50, SessionStatus::Scheduled),
            session(6, "2026-11-30 10:00", 50, SessionStatus::Scheduled),
        ];
        let a = Attendance::of(&v, now);
        assert_eq!(a.counted(), 3);
        assert_eq!(a.rate_percent(), Some(67));
        assert_eq!(a.no_outcome, 1);
        assert_eq!(a.upcoming, 1);
        assert_eq!(a.describe(), "67% over 3 sessions (1 late, 1 no-show)");
        assert_eq!(Attendance::default().describe(), "no sessions yet");
    }

    proptest::proptest! {
        /// A series never clashes with itself, whatever its interval, length and start.
        #[test]
        fn recurrences_never_clash_with_themselves(
            day in 0i64..3000,
            minute in 0u32..(24 * 60),
            every in 1u32..=52,
            count in 1u32..=60,
            minutes in MIN_MINUTES..=MAX_MINUTES,
        ) {
            let start = d("2024-01-01").and_hms_opt(0, 0, 0).unwrap()
                + Duration::days(day) + Duration::minutes(i64::from(minute));
            let v = occurrences(start, Repeat::Weeks { every_weeks: every, end: RepeatEnd::Count(count) }).unwrap();
            proptest::prop_assert_eq!(v.len() as u32, count);
            let booked: Vec<Session> = v.iter().enumerate().map(|(i, t)| Session {
                id: i as i64,
                starts_at: *t,
                minutes,
                ..session(0, "2026-01-01 00:00", minutes, SessionStatus::Scheduled)
            }).collect();
            for (i, s) in booked.iter().enumerate() {
                let clash = find_clash(s.starts_at, minutes, &booked, &[i as i64]);
                proptest::prop_assert!(clash.is_none());
            }
        }
    }
}

/// A day typed as `YYYY-MM-DD` or in words: today, tomorrow, yesterday, a weekday name (the next
/// one on or after today), "next week" (a week from today), or days ahead as `+7` (`+2w` for
/// weeks).
pub fn parse_day(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    use chrono::Weekday;
    let s = input.trim().to_lowercase();
    let days = |n: i64| today + Duration::days(n);
    if let Some(ahead) = s.strip_prefix('+') {
        let (n, per) = match ahead.strip_suffix('w') {
            Some(n) => (n, 7),
            None => (ahead.strip_suffix('d').unwrap_or(ahead), 1),
        };
        return match n.trim().parse::<i64>() {
            Ok(n) if (0..=3660).contains(&(n * per)) => Ok(days(n * per)),
            _ => Err(format!(
                "“{}” is not a number of days ahead; type +7 for a week from today (at most +3660)",
                input.trim()
            )),
        };
    }
    let weekday = match s.as_str() {
        "today" | "now" => return Ok(today),
        "tomorrow" => return Ok(days(1)),
        "yesterday" => return Ok(days(-1)),
        "next week" => return Ok(days(7)),
        "last week" => return Ok(days(-7)),
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "wednesday" => Weekday::Wed,
        "thu" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => {
            return super::time::parse_date(&s).map_err(|_| {
                format!(
                    "“{}” is not a day; type YYYY-MM-DD, today, tomorrow, a weekday or +7",
                    input.trim()
                )
            });
        }
    };
    use chrono::Datelike;
    let ahead = (i64::from(weekday.num_days_from_monday())
        - i64::from(today.weekday().num_days_from_monday()))
    .rem_euclid(7);
    Ok(days(ahead))
}

#[cfg(test)]
mod day_words {
    use super::*;

    #[test]
    fn words_and_dates() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(); // a Wednesday
        let d = |s| parse_day(s, today).unwrap().to_string();
        assert_eq!(d("today"), "2026-11-25");
        assert_eq!(d(" Tomorrow "), "2026-11-26");
        assert_eq!(d("monday"), "2026-11-30");
        assert_eq!(d("wed"), "2026-11-25");
        assert_eq!(d("fri"), "2026-11-27");
        assert_eq!(d("next week"), "2026-12-02");
        assert_eq!(d("2027-01-04"), "2027-01-04");
        assert_eq!(d("+7"), "2026-12-02");
        assert_eq!(d(" +0 "), "2026-11-25");
        assert_eq!(d("+1"), "2026-11-26");
        assert_eq!(d("+10d"), "2026-12-05");
        assert_eq!(d("+2w"), "2026-12-09");
        assert_eq!(d("sun"), "2026-11-29");
        assert_eq!(d("TUE"), "2026-12-01");
        // Across a month's and a year's end.
        let dec30 = NaiveDate::from_ymd_opt(2026, 12, 30).unwrap();
        assert_eq!(parse_day("+7", dec30).unwrap().to_string(), "2027-01-06");
        assert_eq!(parse_day("mon", dec30).unwrap().to_string(), "2027-01-04");
        for bad in ["+", "+x", "+-3", "+99999", "+7 days"] {
            assert!(
                parse_day(bad, today).unwrap_err().contains("days ahead"),
                "{bad}"
            );
        }
        assert!(
            parse_day("someday", today)
                .unwrap_err()
                .contains("not a day")
        );
    }
}
