//! Attendance insight: every definition the reports use, in one place.
//!
//! - A session belongs to the month of its **scheduled start** ([`Month::of`]).
//! - A rescheduled original (status `rescheduled`) is not in the attendance rate: the new session
//!   counts at its new time; the original is counted only in the save figures.
//! - attendance rate = (attended + late) / (attended + late + no_show + client cancelled +
//!   late_cancelled). A session the practitioner cancelled is reported but not in the rate. An
//!   empty denominator gives no rate ([`None`], shown as "—").
//! - A cancellation request is a cancellation record, whatever its outcome. It belongs to the
//!   month, weekday and time of day of the **cancelled session's scheduled start**.
//! - saved = client requests that ended converted_phone, converted_video or rescheduled;
//!   save rate = saved / client requests.
//! - Notice bands: under 24 h (< 24), 24–72 h (24 ≤ notice ≤ 72), over 72 h (> 72).
//!   Time of day: morning (before 12:00), afternoon (12:00–16:59), evening (17:00 on).
//! - A client is flagged ([`flags`]) when, over their last 10 counted past sessions, attendance is
//!   20 points or more below their 10 before, or when 2 or more of their last 5 are no-shows or
//!   late cancellations.
//!
//! The store computes the counts with SQL `GROUP BY`; the bounds it uses come from the constants
//! here, and a property test checks the SQL against [`StatusCounts::add`] and [`Requests::add`].

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::Serialize;

use super::cancellation::{CancelOutcome, CancelledBy, Reason};
use super::session::SessionStatus;
use crate::word_enum;

// ---- months --------------------------------------------------------------------------------

/// A calendar month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    /// 1–12.
    month: u32,
}

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1..=12).contains(&month) && (1..=9999).contains(&year)).then_some(Month { year, month })
    }

    /// The month a session belongs to: the month of its scheduled start.
    pub fn of(t: NaiveDateTime) -> Month {
        Month::of_date(t.date())
    }

    pub fn of_date(d: NaiveDate) -> Month {
        Month {
            year: d.year(),
            month: d.month(),
        }
    }

    /// Parses `YYYY-MM`.
    pub fn parse(input: &str) -> Result<Month, String> {
        let s = input.trim();
        let shaped = s.len() == 7
            && s.bytes().enumerate().all(|(i, b)| match i {
                4 => b == b'-',
                _ => b.is_ascii_digit(),
            });
        let bad = || format!("“{s}” is not a month; type it as YYYY-MM, e.g. 2026-10");
        if !shaped {
            return Err(bad());
        }
        let year: i32 = s[..4].parse().map_err(|_| bad())?;
        let month: u32 = s[5..].parse().map_err(|_| bad())?;
        Month::new(year, month).ok_or_else(bad)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The first moment of the month (inclusive).
    pub fn start(self) -> NaiveDateTime {
        self.first_day().and_time(NaiveTime::MIN)
    }

    /// The first moment of the next month (exclusive end).
    pub fn end(self) -> NaiveDateTime {
        self.next().start()
    }

    pub fn next(self) -> Month {
        self.plus(1)
    }

    pub fn prev(self) -> Month {
        self.plus(-1)
    }

    /// This month moved by `n` months (either way).
    pub fn plus(self, n: i32) -> Month {
        let i = self.year * 12 + self.month as i32 - 1 + n;
        Month {
            year: i.div_euclid(12),
            month: i.rem_euclid(12) as u32 + 1,
        }
    }

    /// How many months from `self` to `other` (0 for the same month).
    pub fn months_until(self, other: Month) -> i32 {
        (other.year * 12 + other.month as i32) - (self.year * 12 + self.month as i32)
    }

    /// Every month from `self` to `to`, inclusive (empty when `to` is earlier).
    pub fn through(self, to: Month) -> impl Iterator<Item = Month> {
        let n = self.months_until(to);
        (0..=n).map(move |i| self.plus(i))
    }

    /// `2026-10`.
    pub fn key(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// `October 2026`.
    pub fn label(self) -> String {
        self.first_day().format("%B %Y").to_string()
    }

    /// `Oct 26`, for narrow columns.
    pub fn short(self) -> String {
        self.first_day().format("%b %y").to_string()
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.key())
    }
}

impl Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.key())
    }
}

// ---- when and how much notice ----------------------------------------------------------------

/// Morning ends (exclusive) at this hour.
pub const MORNING_ENDS_HOUR: u32 = 12;
/// Evening starts (inclusive) at this hour.
pub const EVENING_STARTS_HOUR: u32 = 17;
/// Less notice than this is "under 24 h".
pub const SHORT_NOTICE_HOURS: f64 = 24.0;
/// More notice than this is "over 72 h".
pub const LONG_NOTICE_HOURS: f64 = 72.0;

word_enum! {
    /// The part of the day a session was booked for.
    pub enum TimeOfDay {
        Morning = "morning" / "morning",
        Afternoon = "afternoon" / "afternoon",
        Evening = "evening" / "evening",
    }
}

impl TimeOfDay {
    pub fn of_hour(hour: u32) -> TimeOfDay {
        if hour < MORNING_ENDS_HOUR {
            TimeOfDay::Morning
        } else if hour < EVENING_STARTS_HOUR {
            TimeOfDay::Afternoon
        } else {
            TimeOfDay::Evening
        }
    }

    pub fn of(t: NaiveDateTime) -> TimeOfDay {
        TimeOfDay::of_hour(t.hour())
    }
}

word_enum! {
    /// How much notice a cancellation request gave.
    pub enum NoticeBand {
        Under24h = "under_24h" / "under 24 h",
        H24To72h = "h24_to_72h" / "24–72 h",
        Over72h = "over_72h" / "over 72 h",
    }
}

impl NoticeBand {
    /// The band for hours of notice (negative once the session had started: under 24 h).
    pub fn of(hours: f64) -> NoticeBand {
        if hours < SHORT_NOTICE_HOURS || hours.is_nan() {
            NoticeBand::Under24h
        } else if hours <= LONG_NOTICE_HOURS {
            NoticeBand::H24To72h
        } else {
            NoticeBand::Over72h
        }
    }
}

/// The weekday keys of the JSON, Monday first.
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
/// Weekday labels for the screen, Monday first.
pub const WEEKDAY_LABELS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// 0 = Monday … 6 = Sunday, of the session's scheduled start.
pub fn weekday_index(t: NaiveDateTime) -> usize {
    t.weekday().num_days_from_monday() as usize
}

// ---- sessions and the rate -------------------------------------------------------------------

/// A past session as the attendance rate sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    Attended,
    Late,
    NoShow,
    /// Cancelled by the client (not late).
    Cancelled,
    LateCancelled,
}

impl Counted {
    /// How a session counts in the rate; `None` when it is not in the rate at all (still
    /// scheduled, rescheduled, or cancelled by the practitioner).
    pub fn of(status: SessionStatus, by_practitioner: bool) -> Option<Counted> {
        match status {
            SessionStatus::Attended => Some(Counted::Attended),
            SessionStatus::Late => Some(Counted::Late),
            SessionStatus::NoShow => Some(Counted::NoShow),
            SessionStatus::Cancelled if by_practitioner => None,
            SessionStatus::Cancelled => Some(Counted::Cancelled),
            // Practitioner cancellations are never late (see cancellation::is_late).
            SessionStatus::LateCancelled if by_practitioner => None,
            SessionStatus::LateCancelled => Some(Counted::LateCancelled),
            SessionStatus::Scheduled | SessionStatus::Rescheduled => None,
        }
    }

    /// The client came (on time or late): the numerator of the rate.
    pub fn came(self) -> bool {
        matches!(self, Counted::Attended | Counted::Late)
    }

    /// A miss the flag rule watches: no-show or late cancellation.
    pub fn is_miss(self) -> bool {
        matches!(self, Counted::NoShow | Counted::LateCancelled)
    }
}

/// A share as a number between 0 and 1, or `None` when there is nothing to divide by.
pub fn rate(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| f64::from(part) / f64::from(whole))
}

/// "85%", or "—" when there is no rate.
pub fn percent(r: Option<f64>) -> String {
    match r {
        Some(r) => format!("{}%", (r * 100.0).round() as i64),
        None => "—".into(),
    }
}

/// Sessions in a period, by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct StatusCounts {
    pub scheduled: u32,
    pub attended: u32,
    pub late: u32,
    pub no_show: u32,
    pub cancelled: u32,
    pub late_cancelled: u32,
    pub rescheduled: u32,
    /// Of `cancelled` (and `late_cancelled`), the sessions the practitioner cancelled.
    #[serde(skip)]
    pub by_practitioner: u32,
}

impl StatusCounts {
    /// Counts `n` sessions of one status.
    pub fn add(&mut self, status: SessionStatus, by_practitioner: bool, n: u32) {
        match status {
            SessionStatus::Scheduled => self.scheduled += n,
            SessionStatus::Attended => self.attended += n,
            SessionStatus::Late => self.late += n,
            SessionStatus::NoShow => self.no_show += n,
            SessionStatus::Cancelled => self.cancelled += n,
            SessionStatus::LateCancelled => self.late_cancelled += n,
            SessionStatus::Rescheduled => self.rescheduled += n,
        }
        if by_practitioner
            && matches!(
                status,
                SessionStatus::Cancelled | SessionStatus::LateCancelled
            )
        {
            self.by_practitioner += n;
        }
    }

    pub fn merge(&mut self, o: &StatusCounts) {
        self.scheduled += o.scheduled;
        self.attended += o.attended;
        self.late += o.late;
        self.no_show += o.no_show;
        self.cancelled += o.cancelled;
        self.late_cancelled += o.late_cancelled;
        self.rescheduled += o.rescheduled;
        self.by_practitioner += o.by_practitioner;
    }

    /// Every session row in the period, rescheduled originals included.
    pub fn total(&self) -> u32 {
        self.scheduled
            + self.attended
            + self.late
            + self.no_show
            + self.cancelled
            + self.late_cancelled
            + self.rescheduled
    }

    /// Booked sessions: every session except rescheduled originals (their new session counts).
    pub fn booked(&self) -> u32 {
        self.total() - self.rescheduled
    }

    /// The numerator of the rate: attended + late.
    pub fn came(&self) -> u32 {
        self.attended + self.late
    }

    /// The denominator: attended + late + no-show + client cancelled + late cancelled.
    pub fn counted(&self) -> u32 {
        (self.came() + self.no_show + self.cancelled + self.late_cancelled)
            .saturating_sub(self.by_practitioner)
    }

    pub fn attendance_rate(&self) -> Option<f64> {
        rate(self.came(), self.counted())
    }
}

// ---- requests and saves ----------------------------------------------------------------------

/// A request counts as saved when the client asked and the session was kept.
pub fn is_saved(by: CancelledBy, outcome: CancelOutcome) -> bool {
    by == CancelledBy::Client && outcome.is_saved()
}

/// One group of cancellation records (from a `GROUP BY`), or one record with `n = 1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RequestFacts {
    pub by: CancelledBy,
    pub reason: Reason,
    pub outcome: CancelOutcome,
    pub weekday: usize,
    pub time_of_day: TimeOfDay,
    pub notice: NoticeBand,
}

impl RequestFacts {
    /// The facts of one record, from the cancelled session's scheduled start.
    pub fn of(
        by: CancelledBy,
        reason: Reason,
        outcome: CancelOutcome,
        session_start: NaiveDateTime,
        notice_hours: f64,
    ) -> RequestFacts {
        RequestFacts {
            by,
            reason,
            outcome,
            weekday: weekday_index(session_start),
            time_of_day: TimeOfDay::of(session_start),
            notice: NoticeBand::of(notice_hours),
        }
    }
}

/// Cancellation requests in a period, every way the report breaks them down. Every breakdown
/// covers all requests (client and practitioner), so each sums to `total`; the save figures
/// count client requests only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Requests {
    pub total: u32,
    /// Indexed by [`Reason::index`].
    pub by_reason: [u32; 10],
    /// Indexed by [`CancelOutcome::index`].
    pub by_outcome: [u32; 5],
    /// Monday first.
    pub by_weekday: [u32; 7],
    /// Indexed by [`TimeOfDay::index`].
    pub by_time_of_day: [u32; 3],
    /// Weekday × time of day, Monday first.
    pub by_weekday_time: [[u32; 3]; 7],
    /// Indexed by [`NoticeBand::index`].
    pub by_notice: [u32; 3],
    pub by_client: u32,
    pub by_practitioner: u32,
    pub saved_phone: u32,
    pub saved_video: u32,
    pub saved_rescheduled: u32,
}

impl Requests {
    pub fn add(&mut self, f: &RequestFacts, n: u32) {
        self.total += n;
        self.by_reason[f.reason.index()] += n;
        self.by_outcome[f.outcome.index()] += n;
        self.by_weekday[f.weekday.min(6)] += n;
        self.by_time_of_day[f.time_of_day.index()] += n;
        self.by_weekday_time[f.weekday.min(6)][f.time_of_day.index()] += n;
        self.by_notice[f.notice.index()] += n;
        match f.by {
            CancelledBy::Client => self.by_client += n,
            CancelledBy::Practitioner => self.by_practitioner += n,
        }
        if is_saved(f.by, f.outcome) {
            match f.outcome {
                CancelOutcome::ConvertedPhone => self.saved_phone += n,
                CancelOutcome::ConvertedVideo => self.saved_video += n,
                _ => self.saved_rescheduled += n,
            }
        }
    }

    pub fn saved(&self) -> u32 {
        self.saved_phone + self.saved_video + self.saved_rescheduled
    }

    /// saved / client requests.
    pub fn save_rate(&self) -> Option<f64> {
        rate(self.saved(), self.by_client)
    }

    pub fn reason(&self, r: Reason) -> u32 {
        self.by_reason[r.index()]
    }

    pub fn outcome(&self, o: CancelOutcome) -> u32 {
        self.by_outcome[o.index()]
    }
}

/// One kept tally of cancellation requests: the store keeps, per month, how many requests fall
/// in each breakdown (`dim`, `key`), and a report adds them up with [`Requests::tally`]. Four
/// tallies per request together give every figure [`Requests::add`] gives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RequestTally {
    /// `by_outcome`, key `client:converted_phone`: who asked and what became of it.
    ByOutcome(CancelledBy, CancelOutcome),
    /// `reason`, key `work`.
    Reason(Reason),
    /// `when`, key `0:morning` (weekday Monday = 0, and the part of the day).
    When(usize, TimeOfDay),
    /// `notice`, key `under_24h`.
    Notice(NoticeBand),
}

impl RequestTally {
    /// The four tallies of one request (or group of requests).
    pub fn of(f: &RequestFacts) -> [RequestTally; 4] {
        [
            RequestTally::ByOutcome(f.by, f.outcome),
            RequestTally::Reason(f.reason),
            RequestTally::When(f.weekday.min(6), f.time_of_day),
            RequestTally::Notice(f.notice),
        ]
    }

    /// The stored breakdown and key.
    pub fn dim_key(&self) -> (&'static str, String) {
        match self {
            RequestTally::ByOutcome(by, o) => ("by_outcome", format!("{by}:{o}")),
            RequestTally::Reason(r) => ("reason", r.to_string()),
            RequestTally::When(d, t) => ("when", format!("{d}:{t}")),
            RequestTally::Notice(n) => ("notice", n.to_string()),
        }
    }

    /// Reads a stored breakdown and key; `None` for anything unknown.
    pub fn parse(dim: &str, key: &str) -> Option<RequestTally> {
        let pair = || key.split_once(':');
        match dim {
            "by_outcome" => {
                let (by, o) = pair()?;
                Some(RequestTally::ByOutcome(by.parse().ok()?, o.parse().ok()?))
            }
            "reason" => Some(RequestTally::Reason(key.parse().ok()?)),
            "when" => {
                let (d, t) = pair()?;
                let d: usize = d.parse().ok()?;
                (d < 7).then_some(())?;
                Some(RequestTally::When(d, t.parse().ok()?))
            }
            "notice" => Some(RequestTally::Notice(key.parse().ok()?)),
            _ => None,
        }
    }
}

impl Requests {
    /// Adds `n` requests of one kept tally. Over the four tallies of the same requests this
    /// gives exactly what [`Requests::add`] gives for them.
    pub fn tally(&mut self, t: RequestTally, n: u32) {
        match t {
            RequestTally::ByOutcome(by, outcome) => {
                self.total += n;
                self.by_outcome[outcome.index()] += n;
                match by {
                    CancelledBy::Client => self.by_client += n,
                    CancelledBy::Practitioner => self.by_practitioner += n,
                }
                if is_saved(by, outcome) {
                    match outcome {
                        CancelOutcome::ConvertedPhone => self.saved_phone += n,
                        CancelOutcome::ConvertedVideo => self.saved_video += n,
                        _ => self.saved_rescheduled += n,
                    }
                }
            }
            RequestTally::Reason(r) => self.by_reason[r.index()] += n,
            RequestTally::When(d, t) => {
                self.by_weekday[d.min(6)] += n;
                self.by_time_of_day[t.index()] += n;
                self.by_weekday_time[d.min(6)][t.index()] += n;
            }
            RequestTally::Notice(b) => self.by_notice[b.index()] += n,
        }
    }
}

/// One month of a report.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MonthFigures {
    pub sessions: StatusCounts,
    pub requests: u32,
    pub client_requests: u32,
    pub saved: u32,
}

impl MonthFigures {
    pub fn attendance_rate(&self) -> Option<f64> {
        self.sessions.attendance_rate()
    }

    pub fn save_rate(&self) -> Option<f64> {
        rate(self.saved, self.client_requests)
    }

    /// Nothing at all happened in the month: no sessions and no requests.
    pub fn is_empty(&self) -> bool {
        self.sessions.total() == 0 && self.requests == 0
    }
}

// ---- clients to look at ----------------------------------------------------------------------

/// The window compared for a fall in attendance.
pub const FALL_WINDOW: usize = 10;
/// A fall of this many percentage points or more is flagged.
pub const FALL_POINTS: u32 = 20;
/// The recent window watched for misses.
pub const MISS_WINDOW: usize = 5;
/// This many misses (no-show, late cancellation) in the recent window is flagged.
pub const MISS_LIMIT: u32 = 2;
/// How many of a client's latest counted sessions the rules need.
pub const FLAG_HISTORY: usize = 2 * FALL_WINDOW;
/// How many of each client's latest counted sessions the practice file keeps for the rules
/// (migration 018, whose SQL says 30): the [`FLAG_HISTORY`] they need, and room for counted
/// sessions still ahead of the moment the flags are taken, such as a cancellation recorded for
/// next week. When fewer than [`FLAG_HISTORY`] of the kept ones are before that moment and
/// older ones exist, the client's sessions are read afresh.
pub const FLAG_KEPT: usize = FLAG_HISTORY + 10;

word_enum! {
    /// Which rule flagged a client.
    pub enum FlagRule {
        AttendanceFell = "attendance_fell" / "attendance fell by 20 points or more",
        MissedSessions = "missed_sessions" / "2 or more of the last 5 missed",
    }
}

/// Why a client is flagged, with the figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// Attendance over the last 10 counted sessions against the 10 before, in whole per cent.
    AttendanceFell { recent_pct: u32, before_pct: u32 },
    /// Misses among the last `of` (at most 5) counted sessions.
    MissedSessions {
        of: u32,
        no_show: u32,
        late_cancelled: u32,
    },
}

impl Flag {
    pub fn rule(&self) -> FlagRule {
        match self {
            Flag::AttendanceFell { .. } => FlagRule::AttendanceFell,
            Flag::MissedSessions { .. } => FlagRule::MissedSessions,
        }
    }

    /// The figures, e.g. "last 10: 50%, the 10 before: 90%" or
    /// "2 of the last 5: 1 no-show, 1 late cancellation".
    pub fn detail(&self) -> String {
        match *self {
            Flag::AttendanceFell {
                recent_pct,
                before_pct,
            } => format!("last 10: {recent_pct}%, the 10 before: {before_pct}%"),
            Flag::MissedSessions {
                of,
                no_show,
                late_cancelled,
            } => {
                let mut parts = Vec::new();
                if no_show > 0 {
                    parts.push(format!(
                        "{no_show} no-show{}",
                        if no_show == 1 { "" } else { "s" }
                    ));
                }
                if late_cancelled > 0 {
                    parts.push(format!(
                        "{late_cancelled} late cancellation{}",
                        if late_cancelled == 1 { "" } else { "s" }
                    ));
                }
                format!(
                    "{} of the last {of}: {}",
                    no_show + late_cancelled,
                    parts.join(", ")
                )
            }
        }
    }

    /// A few words for Today's list, e.g. "50% from 90%" or "2 of the last 5 missed".
    pub fn short(&self) -> String {
        match *self {
            Flag::AttendanceFell {
                recent_pct,
                before_pct,
            } => format!("{recent_pct}% from {before_pct}%"),
            Flag::MissedSessions {
                of,
                no_show,
                late_cancelled,
            } => format!("{} of the last {of} missed", no_show + late_cancelled),
        }
    }
}

/// The flags for one client, given their counted past sessions **newest first** (at least the
/// latest [`FLAG_HISTORY`]; more are ignored). The fall rule needs a full 10 and 10 before; the
/// miss rule looks at up to the last 5 (a new client with 2 misses in 3 sessions is flagged).
pub fn flags(newest_first: &[Counted]) -> Vec<Flag> {
    let mut out = Vec::new();
    if newest_first.len() >= FLAG_HISTORY {
        let came = |w: &[Counted]| w.iter().filter(|c| c.came()).count() as u32;
        let recent = came(&newest_first[..FALL_WINDOW]);
        let before = came(&newest_first[FALL_WINDOW..FLAG_HISTORY]);
        let w = FALL_WINDOW as u32;
        // before/w − recent/w ≥ FALL_POINTS/100, in whole numbers.
        if before > recent && (before - recent) * 100 >= FALL_POINTS * w {
            out.push(Flag::AttendanceFell {
                recent_pct: (recent * 100 + w / 2) / w,
                before_pct: (before * 100 + w / 2) / w,
            });
        }
    }
    let last = &newest_first[..newest_first.len().min(MISS_WINDOW)];
    let no_show = last.iter().filter(|c| **c == Counted::NoShow).count() as u32;
    let late_cancelled = last
        .iter()
        .filter(|c| **c == Counted::LateCancelled)
        .count() as u32;
    if no_show + late_cancelled >= MISS_LIMIT {
        out.push(Flag::MissedSessions {
            of: last.len() as u32,
            no_show,
            late_cancelled,
        });
    }
    out
}

/// A flagged client, as the report lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlaggedClient {
    pub client_id: i64,
    pub name: String,
    pub flag: Flag,
    /// The start of their latest counted session.
    pub last_session: NaiveDateTime,
}

impl FlaggedClient {
    /// One entry for each rule that fired for the client (`fired`, from [`flags`]).
    pub fn each(
        client_id: i64,
        name: String,
        fired: Vec<Flag>,
        last_session: NaiveDateTime,
    ) -> impl Iterator<Item = FlaggedClient> {
        fired.into_iter().map(move |flag| FlaggedClient {
            client_id,
            name: name.clone(),
            flag,
            last_session,
        })
    }
}

/// The report for a range of months.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub from: Month,
    pub to: Month,
    /// Flags are as things stood at this moment: the end of the range, or now if sooner.
    pub as_at: NaiveDateTime,
    pub sessions: StatusCounts,
    pub requests: Requests,
    /// Every month of the range, in order (empty months included).
    pub months: Vec<(Month, MonthFigures)>,
    pub flagged: Vec<FlaggedClient>,
}

impl Report {
    pub fn attendance_rate(&self) -> Option<f64> {
        self.sessions.attendance_rate()
    }

    /// Nothing at all in the range: no sessions and no requests.
    pub fn is_empty(&self) -> bool {
        self.sessions.total() == 0 && self.requests.total == 0
    }

    /// Months with figures, for averages and trends.
    pub fn months_with_sessions(&self) -> impl Iterator<Item = &(Month, MonthFigures)> {
        self.months.iter().filter(|(_, f)| f.sessions.counted() > 0)
    }
}

/// When the flags of a report over `[from, to]` are taken: the end of `to`, or `now` if sooner.
pub fn flags_as_at(to: Month, now: NaiveDateTime) -> NaiveDateTime {
    to.end().min(now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_local;

    fn at(s: &str) -> NaiveDateTime {
        parse_local(s).unwrap()
    }

    #[test]
    fn months_parse_strictly_and_step_across_years() {
        let m = Month::parse("2026-10").unwrap();
        assert_eq!(m.key(), "2026-10");
        assert_eq!(m.label(), "October 2026");
        assert_eq!(Month::parse("2026-12").unwrap().next().key(), "2027-01");
        assert_eq!(Month::parse("2026-01").unwrap().prev().key(), "2025-12");
        assert_eq!(m.plus(-22).key(), "2024-12");
        assert!(Month::parse("2026-13").is_err());
        assert!(Month::parse("2026-00").is_err());
        assert!(Month::parse("2026-1").unwrap_err().contains("YYYY-MM"));
        assert!(Month::parse("october").is_err());
        assert_eq!(m.start(), at("2026-10-01 00:00"));
        assert_eq!(m.end(), at("2026-11-01 00:00"));
        let a = Month::parse("2025-11").unwrap();
        assert_eq!(a.through(m).count(), 12);
        assert_eq!(m.through(a).count(), 0);
        assert_eq!(m.through(m).count(), 1);
    }

    #[test]
    fn a_session_belongs_to_the_month_of_its_scheduled_start() {
        assert_eq!(Month::of(at("2026-10-31 23:59")).key(), "2026-10");
        assert_eq!(Month::of(at("2026-11-01 00:00")).key(), "2026-11");
    }

    #[test]
    fn the_four_tallies_of_a_request_add_up_to_the_request() {
        let mut whole = Requests::default();
        let mut tallied = Requests::default();
        let starts = [
            at("2026-10-05 09:00"),
            at("2026-10-10 12:00"),
            at("2026-10-11 17:30"),
        ];
        for (i, by) in CancelledBy::ALL.iter().enumerate() {
            for (j, outcome) in CancelOutcome::ALL.iter().enumerate() {
                for (k, notice) in [-1.0, 24.0, 72.0, 72.5].iter().enumerate() {
                    let reason = Reason::ALL[(i + j + k) % Reason::ALL.len()];
                    let f = RequestFacts::of(*by, reason, *outcome, starts[(j + k) % 3], *notice);
                    whole.add(&f, 2);
                    for t in RequestTally::of(&f) {
                        let (dim, key) = t.dim_key();
                        let back = RequestTally::parse(dim, &key).unwrap();
                        assert_eq!(back, t);
                        tallied.tally(back, 2);
                    }
                }
            }
        }
        assert_eq!(tallied, whole);
        assert_eq!(whole.total, 80);
        assert_eq!(
            RequestTally::When(5, TimeOfDay::Afternoon).dim_key(),
            ("when", "5:afternoon".to_string())
        );
        assert_eq!(RequestTally::parse("when", "7:morning"), None);
        assert_eq!(RequestTally::parse("reason", "boredom"), None);
        assert_eq!(RequestTally::parse("by_outcome", "client"), None);
        assert_eq!(RequestTally::parse("colour", "red"), None);
    }

    #[test]
    fn time_of_day_edges() {
        assert_eq!(TimeOfDay::of(at("2026-10-01 00:00")), TimeOfDay::Morning);
        assert_eq!(TimeOfDay::of(at("2026-10-01 11:59")), TimeOfDay::Morning);
        assert_eq!(TimeOfDay::of(at("2026-10-01 12:00")), TimeOfDay::Afternoon);
        assert_eq!(TimeOfDay::of(at("2026-10-01 16:59")), TimeOfDay::Afternoon);
        assert_eq!(TimeOfDay::of(at("2026-10-01 17:00")), TimeOfDay::Evening);
        assert_eq!(TimeOfDay::of(at("2026-10-01 23:59")), TimeOfDay::Evening);
    }

    #[test]
    fn notice_band_edges() {
        assert_eq!(NoticeBand::of(-3.0), NoticeBand::Under24h);
        assert_eq!(NoticeBand::of(0.0), NoticeBand::Under24h);
        assert_eq!(NoticeBand::of(23.99), NoticeBand::Under24h);
        assert_eq!(NoticeBand::of(24.0), NoticeBand::H24To72h);
        assert_eq!(NoticeBand::of(72.0), NoticeBand::H24To72h);
        assert_eq!(NoticeBand::of(72.01), NoticeBand::Over72h);
        assert_eq!(NoticeBand::of(f64::NAN), NoticeBand::Under24h);
    }

    #[test]
    fn weekday_is_of_the_scheduled_start_monday_first() {
        assert_eq!(weekday_index(at("2026-11-23 09:00")), 0); // a Monday
        assert_eq!(weekday_index(at("2026-11-29 23:59")), 6); // a Sunday
        assert_eq!(WEEKDAYS[weekday_index(at("2026-11-27 10:00"))], "fri");
    }

    #[test]
    fn the_rate_leaves_out_practitioner_cancellations_rescheduled_and_scheduled() {
        let mut c = StatusCounts::default();
        c.add(SessionStatus::Attended, false, 6);
        c.add(SessionStatus::Late, false, 2);
        c.add(SessionStatus::NoShow, false, 1);
        c.add(SessionStatus::Cancelled, false, 1);
        c.add(SessionStatus::Cancelled, true, 3);
        c.add(SessionStatus::LateCancelled, false, 0);
        c.add(SessionStatus::Rescheduled, false, 4);
        c.add(SessionStatus::Scheduled, false, 5);
        assert_eq!(c.cancelled, 4);
        assert_eq!(c.by_practitioner, 3);
        assert_eq!(c.total(), 22);
        assert_eq!(c.booked(), 18);
        assert_eq!(c.counted(), 10);
        assert_eq!(c.attendance_rate(), Some(0.8));
        assert_eq!(percent(c.attendance_rate()), "80%");
    }

    #[test]
    fn an_empty_denominator_has_no_rate() {
        let mut c = StatusCounts::default();
        assert_eq!(c.attendance_rate(), None);
        c.add(SessionStatus::Scheduled, false, 3);
        c.add(SessionStatus::Rescheduled, false, 1);
        c.add(SessionStatus::Cancelled, true, 2);
        assert_eq!(c.attendance_rate(), None);
        assert_eq!(percent(None), "—");
        c.add(SessionStatus::NoShow, false, 1);
        assert_eq!(c.attendance_rate(), Some(0.0));
        assert_eq!(percent(Some(0.0)), "0%");
        assert_eq!(percent(Some(1.0)), "100%");
        assert_eq!(percent(Some(0.845)), "85%");
    }

    #[test]
    fn counted_outcomes() {
        use SessionStatus as S;
        assert_eq!(Counted::of(S::Attended, false), Some(Counted::Attended));
        assert_eq!(Counted::of(S::Late, false), Some(Counted::Late));
        assert_eq!(Counted::of(S::NoShow, false), Some(Counted::NoShow));
        assert_eq!(Counted::of(S::Cancelled, false), Some(Counted::Cancelled));
        assert_eq!(Counted::of(S::Cancelled, true), None);
        assert_eq!(
            Counted::of(S::LateCancelled, false),
            Some(Counted::LateCancelled)
        );
        assert_eq!(Counted::of(S::Scheduled, false), None);
        assert_eq!(Counted::of(S::Rescheduled, false), None);
    }

    fn facts(by: CancelledBy, outcome: CancelOutcome) -> RequestFacts {
        RequestFacts::of(by, Reason::Work, outcome, at("2026-11-23 17:00"), 30.0)
    }

    #[test]
    fn requests_count_every_record_and_saves_count_the_clients() {
        use CancelOutcome as O;
        let mut r = Requests::default();
        r.add(&facts(CancelledBy::Client, O::ConvertedPhone), 2);
        r.add(&facts(CancelledBy::Client, O::ConvertedVideo), 1);
        r.add(&facts(CancelledBy::Client, O::Rescheduled), 1);
        r.add(&facts(CancelledBy::Client, O::LateCancelled), 1);
        r.add(&facts(CancelledBy::Client, O::Cancelled), 1);
        // The practitioner moving their own session is a request, not a save.
        r.add(&facts(CancelledBy::Practitioner, O::Rescheduled), 1);
        r.add(&facts(CancelledBy::Practitioner, O::Cancelled), 1);
        assert_eq!(r.total, 8);
        assert_eq!(r.by_client, 6);
        assert_eq!(r.by_practitioner, 2);
        assert_eq!(r.outcome(O::Rescheduled), 2);
        assert_eq!(
            (r.saved_phone, r.saved_video, r.saved_rescheduled),
            (2, 1, 1)
        );
        assert_eq!(r.saved(), 4);
        assert_eq!(r.save_rate(), Some(4.0 / 6.0));
        assert_eq!(r.by_weekday, [8, 0, 0, 0, 0, 0, 0]);
        assert_eq!(r.by_time_of_day, [0, 0, 8]);
        assert_eq!(r.by_notice, [0, 8, 0]);
        assert_eq!(r.by_weekday_time[0][2], 8);
        assert_eq!(r.reason(Reason::Work), 8);
        assert_eq!(Requests::default().save_rate(), None);
    }

    #[test]
    fn only_practitioner_requests_have_no_save_rate() {
        let mut r = Requests::default();
        r.add(
            &facts(CancelledBy::Practitioner, CancelOutcome::Rescheduled),
            1,
        );
        assert_eq!(r.saved(), 0);
        assert_eq!(r.save_rate(), None);
    }

    fn seq(s: &str) -> Vec<Counted> {
        // Newest first: a attended, l late, n no-show, c cancelled, x late cancelled.
        s.chars()
            .map(|c| match c {
                'a' => Counted::Attended,
                'l' => Counted::Late,
                'n' => Counted::NoShow,
                'c' => Counted::Cancelled,
                'x' => Counted::LateCancelled,
                _ => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn a_fall_of_exactly_20_points_is_flagged_and_19_is_not() {
        // last 10: 7 came (70%); the 10 before: 9 came (90%): 20 points.
        // Newest first: the last 10, then the 10 before.
        let f = flags(&seq("aaaaaaacccaaaaaaaaac"));
        assert_eq!(
            f,
            vec![Flag::AttendanceFell {
                recent_pct: 70,
                before_pct: 90
            }]
        );
        assert_eq!(f[0].detail(), "last 10: 70%, the 10 before: 90%");
        assert_eq!(f[0].short(), "70% from 90%");
        assert_eq!(f[0].rule().as_str(), "attendance_fell");
        // 80% from 90%: 10 points, not flagged.
        assert!(flags(&seq("aaaaaaaaccaaaaaaaaac")).is_empty());
    }

    #[test]
    fn the_fall_rule_needs_twenty_counted_sessions() {
        // 19 sessions: all attended before, none lately — but not enough history.
        let s: String = "cccc".chars().chain("a".repeat(15).chars()).collect();
        let f = flags(&seq(&s));
        assert!(f.iter().all(|f| f.rule() != FlagRule::AttendanceFell));
        // Only the newest 20 matter: older history is ignored.
        let s: String = "a".repeat(20) + &"c".repeat(10);
        assert!(flags(&seq(&s)).is_empty());
    }

    #[test]
    fn two_misses_in_the_last_five_are_flagged_one_is_not() {
        assert!(flags(&seq("naaaa")).is_empty());
        let f = flags(&seq("naaax"));
        assert_eq!(
            f,
            vec![Flag::MissedSessions {
                of: 5,
                no_show: 1,
                late_cancelled: 1
            }]
        );
        assert_eq!(
            f[0].detail(),
            "2 of the last 5: 1 no-show, 1 late cancellation"
        );
        // The sixth-newest does not count.
        assert!(flags(&seq("naaaan")).is_empty());
        // A plain (not late) cancellation is not a miss.
        assert!(flags(&seq("ncaac")).is_empty());
        // A new client: 2 of their first 2.
        assert_eq!(flags(&seq("nn"))[0].detail(), "2 of the last 2: 2 no-shows");
        assert!(flags(&[]).is_empty());
    }

    #[test]
    fn both_rules_can_fire() {
        let s: String = "nnaaaaaaaa".to_string() + &"a".repeat(10);
        // 80% from 100%: 20 points, and 2 no-shows in the last 5.
        let f = flags(&seq(&s));
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].rule(), FlagRule::AttendanceFell);
        assert_eq!(f[1].rule(), FlagRule::MissedSessions);
    }

    #[test]
    fn flags_are_as_at_the_end_of_the_range_or_now() {
        let m = Month::parse("2026-10").unwrap();
        assert_eq!(
            flags_as_at(m, at("2026-11-23 09:00")),
            at("2026-11-01 00:00")
        );
        assert_eq!(
            flags_as_at(m, at("2026-10-15 09:00")),
            at("2026-10-15 09:00")
        );
    }
}
