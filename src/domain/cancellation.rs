//! Cancellations: before one is recorded, offer the remote alternative that fits the barrier.
//!
//! Everything here is pure. The CLI and the dialog both call [`offer`] to build the tailored
//! offer and [`plan`] to turn the practitioner's decision into what the store records, so a
//! cancellation recorded from a script and from the app follow exactly the same rules.

use std::collections::BTreeMap;

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday,
};
use serde::{Deserialize, Serialize};

use super::client::Telehealth;
use super::error::ValidationError;
use super::session::{Modality, SessionStatus};
use super::time;
use crate::word_enum;

word_enum! {
    /// Why a session is being cancelled. Stored exactly so. The order is the dialog's number
    /// keys: 1 work … 9 feeling better, 0 other.
    pub enum Reason {
        Work = "work" / "work",
        ChildOrFamilyCare = "child_or_family_care" / "child or family care",
        OwnIllness = "own_illness" / "own illness",
        Travel = "travel" / "travel",
        TransportOrWeather = "transport_or_weather" / "transport/weather",
        Forgot = "forgot" / "forgot",
        Cost = "cost" / "cost",
        ScheduleConflict = "schedule_conflict" / "schedule conflict",
        FeelingBetter = "feeling_better" / "feeling better",
        Other = "other" / "other",
    }
}

impl Reason {
    /// The number key that chooses this reason in the dialog (1–9, then 0).
    pub fn key(self) -> char {
        match self.index() {
            9 => '0',
            i => char::from(b'1' + i as u8),
        }
    }

    /// The reason for a number key (1–9, 0).
    pub fn from_key(n: u8) -> Option<Reason> {
        match n {
            0 => Some(Reason::Other),
            1..=9 => Reason::ALL.get(usize::from(n) - 1).copied(),
            _ => None,
        }
    }

    /// A word for the practitioner to carry into the next session, where the reason asks for it.
    pub fn prompt(self) -> Option<&'static str> {
        match self {
            Reason::FeelingBetter => Some(
                "Feeling better is worth talking about together: bring it up next session before deciding to stop or space out sessions.",
            ),
            Reason::Forgot => Some(
                "A reminder the day before may help; ask the client how they would like to be reminded.",
            ),
            _ => None,
        }
    }
}

word_enum! {
    /// Who asked for the cancellation.
    pub enum CancelledBy {
        Client = "client" / "client",
        Practitioner = "practitioner" / "practitioner",
    }
}

word_enum! {
    /// Another way to keep the session.
    pub enum Alternative {
        Phone = "phone" / "Phone session",
        Video = "video" / "Video session",
        Reschedule = "reschedule" / "Reschedule",
    }
}

impl Alternative {
    /// The modality a remote alternative changes the session to.
    pub fn modality(self) -> Option<Modality> {
        match self {
            Alternative::Phone => Some(Modality::Phone),
            Alternative::Video => Some(Modality::Video),
            Alternative::Reschedule => None,
        }
    }

    pub fn is_remote(self) -> bool {
        self.modality().is_some()
    }
}

word_enum! {
    /// What became of a cancellation request.
    pub enum CancelOutcome {
        ConvertedPhone = "converted_phone" / "saved: phone",
        ConvertedVideo = "converted_video" / "saved: video",
        Rescheduled = "rescheduled" / "saved: rescheduled",
        Cancelled = "cancelled" / "cancelled",
        LateCancelled = "late_cancelled" / "late cancellation",
    }
}

impl CancelOutcome {
    /// The session was kept, one way or another.
    pub fn is_saved(self) -> bool {
        matches!(
            self,
            CancelOutcome::ConvertedPhone
                | CancelOutcome::ConvertedVideo
                | CancelOutcome::Rescheduled
        )
    }

    /// The status the original session takes.
    pub fn session_status(self) -> SessionStatus {
        match self {
            CancelOutcome::ConvertedPhone | CancelOutcome::ConvertedVideo => {
                SessionStatus::Scheduled
            }
            CancelOutcome::Rescheduled => SessionStatus::Rescheduled,
            CancelOutcome::Cancelled => SessionStatus::Cancelled,
            CancelOutcome::LateCancelled => SessionStatus::LateCancelled,
        }
    }
}

/// One line of why an alternative suits the reason: warm, plain, said to the practitioner.
pub fn why(reason: Reason, alt: Alternative) -> &'static str {
    use Alternative as A;
    use Reason as R;
    match (reason, alt) {
        (R::ChildOrFamilyCare, A::Phone) => {
            "a parent or carer can talk while the child rests nearby"
        }
        (R::ChildOrFamilyCare, A::Video) => "they can join from home without finding childcare",
        (R::ChildOrFamilyCare, A::Reschedule) => "a time when someone else can be with the family",
        (R::Travel, A::Video) => "they can join from wherever the trip takes them",
        (R::Travel, A::Phone) => "a call works from a hotel room or a quiet corner",
        (R::Travel, A::Reschedule) => "a slot once they are back home",
        (R::OwnIllness, A::Video) => "they can rest at home and still keep the session",
        (R::OwnIllness, A::Phone) => "a call asks less energy than a screen when unwell",
        (R::OwnIllness, A::Reschedule) => "a time when they feel well enough to come in",
        (R::TransportOrWeather, A::Video) => "no journey needed: they join from home",
        (R::TransportOrWeather, A::Phone) => "no journey and no screen: just a call",
        (R::TransportOrWeather, A::Reschedule) => "a day when getting here is easier",
        (R::Work, A::Reschedule) => "a shorter or shifted slot that fits around work",
        (R::Work, A::Video) => "they can join from a private room at work",
        (R::Work, A::Phone) => "a call in a break, from somewhere private",
        (R::ScheduleConflict, A::Reschedule) => "another time this week keeps the rhythm going",
        (R::ScheduleConflict, A::Video) => "joining remotely may save the travel time",
        (R::ScheduleConflict, A::Phone) => "a call may fit where a visit does not",
        (R::Forgot, A::Reschedule) => "a new time soon, so the work keeps its momentum",
        (R::Cost, A::Reschedule) => "a time that suits, and a chance to talk about fees openly",
        (R::FeelingBetter, A::Reschedule) => "keep the next meeting to talk about what has changed",
        (_, A::Phone) => "they can keep the session by phone at the same time",
        (_, A::Video) => "they can keep the session by video at the same time",
        (_, A::Reschedule) => "a new time that works for them",
    }
}

// ---- practice settings -----------------------------------------------------------------------

/// The reason → alternatives table: best fit first. A practice setting that can be edited;
/// [`OfferTable::default`] is caseload's recommendation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OfferTable(pub BTreeMap<Reason, Vec<Alternative>>);

impl Default for OfferTable {
    fn default() -> Self {
        use Alternative::{Phone, Reschedule, Video};
        let mut t = BTreeMap::new();
        for r in Reason::ALL {
            let alts = match r {
                Reason::ChildOrFamilyCare => vec![Phone, Video, Reschedule],
                Reason::Travel | Reason::OwnIllness | Reason::TransportOrWeather => {
                    vec![Video, Phone, Reschedule]
                }
                Reason::Work => vec![Reschedule, Video, Phone],
                Reason::ScheduleConflict => vec![Reschedule, Video],
                Reason::Forgot | Reason::Cost | Reason::FeelingBetter | Reason::Other => {
                    vec![Reschedule]
                }
            };
            t.insert(*r, alts);
        }
        OfferTable(t)
    }
}

impl OfferTable {
    /// The alternatives for a reason, best first, each once. A reason missing from an edited
    /// table falls back to caseload's default for it.
    pub fn for_reason(&self, reason: Reason) -> Vec<Alternative> {
        let list = match self.0.get(&reason) {
            Some(l) => l.clone(),
            None => OfferTable::default().0.remove(&reason).unwrap_or_default(),
        };
        let mut out: Vec<Alternative> = Vec::new();
        for a in list {
            if !out.contains(&a) {
                out.push(a);
            }
        }
        out
    }

    /// Replaces the list for a reason (duplicates dropped).
    pub fn set(&mut self, reason: Reason, alts: Vec<Alternative>) {
        let mut out: Vec<Alternative> = Vec::new();
        for a in alts {
            if !out.contains(&a) {
                out.push(a);
            }
        }
        self.0.insert(reason, out);
    }
}

/// A weekday's office hours, e.g. 09:00–17:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayHours {
    #[serde(with = "hhmm")]
    pub start: NaiveTime,
    #[serde(with = "hhmm")]
    pub end: NaiveTime,
}

impl DayHours {
    pub fn new(start: NaiveTime, end: NaiveTime) -> Self {
        Self { start, end }
    }

    /// Parses "09:00-17:00" (or "09:00–17:00").
    pub fn parse(s: &str) -> Result<DayHours, String> {
        let (a, b) = s.trim().split_once(['-', '–']).ok_or_else(|| {
            format!(
                "“{}” is not a span of hours; type it as 09:00-17:00",
                s.trim()
            )
        })?;
        let t = |x: &str| {
            NaiveTime::parse_from_str(x.trim(), "%H:%M")
                .map_err(|_| format!("“{}” is not a time; type it as HH:MM", x.trim()))
        };
        let (start, end) = (t(a)?, t(b)?);
        if end <= start {
            return Err(format!("{} ends before it starts", s.trim()));
        }
        Ok(DayHours { start, end })
    }
}

impl std::fmt::Display for DayHours {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}–{}",
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }
}

mod hhmm {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.format("%H:%M").to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let s = String::deserialize(d)?;
        NaiveTime::parse_from_str(&s, "%H:%M").map_err(serde::de::Error::custom)
    }
}

/// Office hours Monday to Sunday; `None` is a day the practice is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeHours(pub [Option<DayHours>; 7]);

impl Default for OfficeHours {
    fn default() -> Self {
        let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN);
        let day = Some(DayHours::new(t(9), t(17)));
        OfficeHours([day, day, day, day, day, None, None])
    }
}

impl OfficeHours {
    pub fn on(&self, day: Weekday) -> Option<DayHours> {
        self.0[day.num_days_from_monday() as usize]
    }
}

/// The practice's cancellation policy and remote options, stored as one setting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PracticeSettings {
    pub offers_phone: bool,
    pub offers_video: bool,
    /// The link clients use for a video session.
    pub video_link: String,
    /// A client cancellation with less notice than this is a late cancellation; 0 = no policy.
    pub cancellation_window_hours: u32,
    /// What the practice charges for a late cancellation, in the practitioner's words.
    pub late_fee_text: String,
    pub office_hours: OfficeHours,
    /// How far ahead the reschedule search looks, in days.
    pub reschedule_horizon_days: u32,
    /// Reason → alternatives, best first.
    pub offers: OfferTable,
}

impl Default for PracticeSettings {
    fn default() -> Self {
        Self {
            offers_phone: true,
            offers_video: true,
            video_link: String::new(),
            cancellation_window_hours: 24,
            late_fee_text: "The full session fee is charged for a late cancellation.".into(),
            office_hours: OfficeHours::default(),
            reschedule_horizon_days: 14,
            offers: OfferTable::default(),
        }
    }
}

impl PracticeSettings {
    /// The key under which the settings are stored.
    pub const KEY: &'static str = "practice";

    /// Checks values the practitioner typed.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.cancellation_window_hours > 24 * 14 {
            return Err(ValidationError::one(
                "cancellation_window_hours",
                "is more than two weeks; most practices use 24 or 48 hours (0 for none)",
            ));
        }
        if !(1..=90).contains(&self.reschedule_horizon_days) {
            return Err(ValidationError::one(
                "reschedule_horizon_days",
                "must be between 1 and 90 days",
            ));
        }
        let link = self.video_link.trim();
        if !link.is_empty() && (link.chars().any(char::is_whitespace) || !link.contains('.')) {
            return Err(ValidationError::one(
                "video_link",
                format!("“{link}” does not look like a link (e.g. https://meet.example/room)"),
            ));
        }
        Ok(())
    }
}

// ---- the offer -------------------------------------------------------------------------------

/// Whether an alternative can happen now, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    Available,
    /// The practice does not offer this kind of remote session (Practice settings).
    NotOffered,
    /// The practice offers it, but the client has not consented; verbal consent can be
    /// recorded now.
    NeedsConsent,
}

impl Availability {
    pub fn is_available(self) -> bool {
        self == Availability::Available
    }

    /// Words for the practitioner when it is not available.
    pub fn note(self, alt: Alternative) -> Option<String> {
        let kind = match alt {
            Alternative::Phone => "phone",
            Alternative::Video => "video",
            Alternative::Reschedule => "rescheduled",
        };
        match self {
            Availability::Available => None,
            Availability::NotOffered => Some(format!(
                "the practice does not offer {kind} sessions (Practice settings)"
            )),
            Availability::NeedsConsent => Some(format!(
                "no consent on file for {kind} sessions; record the client's verbal consent to offer it"
            )),
        }
    }
}

/// Whether `alt` can be offered, given the practice's settings and the client's consent.
pub fn availability(alt: Alternative, s: &PracticeSettings, consent: Telehealth) -> Availability {
    let (offered, consented) = match alt {
        Alternative::Phone => (s.offers_phone, consent.allows_phone()),
        Alternative::Video => (s.offers_video, consent.allows_video()),
        Alternative::Reschedule => return Availability::Available,
    };
    match (offered, consented) {
        (false, _) => Availability::NotOffered,
        (true, false) => Availability::NeedsConsent,
        (true, true) => Availability::Available,
    }
}

/// One alternative as offered.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferItem {
    pub option: Alternative,
    pub availability: Availability,
    pub why: &'static str,
}

/// The session a cancellation is about, as far as the rules need it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SessionFacts {
    pub starts_at: NaiveDateTime,
    pub minutes: u32,
    pub modality: Modality,
    pub status: SessionStatus,
}

impl SessionFacts {
    pub fn ends_at(&self) -> NaiveDateTime {
        self.starts_at + Duration::minutes(i64::from(self.minutes))
    }
}

/// The tailored offer for a client's reason: the table's alternatives in order, without the
/// way the session already takes place (a video session is not offered "video").
pub fn offer(
    reason: Reason,
    session: &SessionFacts,
    s: &PracticeSettings,
    consent: Telehealth,
) -> Vec<OfferItem> {
    s.offers
        .for_reason(reason)
        .into_iter()
        .filter(|a| a.modality() != Some(session.modality))
        .map(|a| OfferItem {
            option: a,
            availability: availability(a, s, consent),
            why: why(reason, a),
        })
        .collect()
}

/// The instant a session booked at a wall-clock time in `zone` (the practitioner's zone) starts.
/// In an hour the clocks repeat, the first; a time the clocks skip counts as the hour after, as
/// the clock on the wall would then read it.
pub fn start_instant<Tz: TimeZone>(starts_at: NaiveDateTime, zone: &Tz) -> DateTime<Utc> {
    match zone.from_local_datetime(&starts_at).earliest() {
        Some(l) => l.with_timezone(&Utc),
        None => zone
            .from_local_datetime(&(starts_at + Duration::hours(1)))
            .earliest()
            .map(|l| l.with_timezone(&Utc))
            .unwrap_or_else(|| starts_at.and_utc()),
    }
}

/// Hours of notice: the real time that passes between the moment the request is recorded and
/// the session's start (negative once it has started). Both are instants, so a daylight-saving
/// change in between counts the hours that really pass, not the hours on the clock face.
pub fn notice_hours(starts: DateTime<Utc>, requested: DateTime<Utc>) -> f64 {
    (starts - requested).num_seconds() as f64 / 3600.0
}

/// Hours of notice for a session booked at `starts_at` on the clock in `zone`, asked for at the
/// instant `requested`.
pub fn notice_hours_in<Tz: TimeZone>(
    starts_at: NaiveDateTime,
    requested: DateTime<Utc>,
    zone: &Tz,
) -> f64 {
    notice_hours(start_instant(starts_at, zone), requested)
}

/// A client cancellation with less notice than the window is late; practitioner
/// cancellations never are, and a window of 0 means the practice has no such policy.
pub fn is_late(by: CancelledBy, notice_hours: f64, window_hours: u32) -> bool {
    by == CancelledBy::Client && window_hours > 0 && notice_hours < f64::from(window_hours)
}

/// "1 h 40 min", "3 days 2 h", "started 10 min ago".
pub fn describe_notice(hours: f64) -> String {
    let mins = (hours * 60.0).round() as i64;
    if mins < 0 {
        return format!("started {} ago", span(-mins));
    }
    span(mins)
}

fn span(mins: i64) -> String {
    let (d, h, m) = (mins / 1440, (mins % 1440) / 60, mins % 60);
    match (d, h, m) {
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} day{}", if d == 1 { "" } else { "s" }),
        (d, h, _) => format!("{d} day{} {h} h", if d == 1 { "" } else { "s" }),
    }
}

/// The answers to the short check before a remote session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct RemoteCheck {
    /// The client is somewhere private.
    pub private_place: bool,
    /// The client is not driving.
    pub not_driving: bool,
    /// The client is where the practitioner may work with them (e.g. licensed region).
    pub location_ok: bool,
}

impl RemoteCheck {
    pub const ALL_YES: RemoteCheck = RemoteCheck {
        private_place: true,
        not_driving: true,
        location_ok: true,
    };

    pub fn all_yes(self) -> bool {
        self.private_place && self.not_driving && self.location_ok
    }
}

/// What the practitioner decided.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decision {
    /// Keep the session at its time, by phone or video.
    Convert {
        to: Alternative,
        /// Record the client's verbal consent now (dated today) if none is on file.
        verbal_consent: bool,
        /// The remote check, when it was asked.
        check: Option<RemoteCheck>,
    },
    /// Move the session to a new time.
    Reschedule { to: NaiveDateTime },
    /// Record the cancellation; a late fee may be waived.
    Decline { waive_fee: bool },
}

/// A cancellation request, before it is recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub by: CancelledBy,
    pub reason: Reason,
    pub note: Option<String>,
}

/// Everything the store records for a decision.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub by: CancelledBy,
    pub reason: Reason,
    pub note: Option<String>,
    pub notice_hours: f64,
    pub offered: Vec<Alternative>,
    pub outcome: CancelOutcome,
    /// For a conversion: the session's new modality.
    pub new_modality: Option<Modality>,
    /// For a reschedule: when the new session starts.
    pub new_start: Option<NaiveDateTime>,
    pub fee_waived: bool,
    pub remote_check: Option<RemoteCheck>,
    /// Verbal consent recorded now, to add to the client's consent.
    pub consent_added: Option<Alternative>,
}

/// The longest note accepted, in characters.
pub const MAX_NOTE_CHARS: usize = 1000;

/// Why a session can't be cancelled now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotCancellable {
    /// Only a scheduled session can be cancelled; this one is attended, cancelled, ….
    NotScheduled(SessionStatus),
    /// The session is over: what happened is recorded instead.
    Ended,
}

impl NotCancellable {
    /// In words, after "Session 12" or "This session".
    pub fn words(self) -> String {
        match self {
            NotCancellable::NotScheduled(s) => format!(
                "is {}, not scheduled, so it can't be cancelled",
                s.in_sentence()
            ),
            NotCancellable::Ended => {
                "has already ended: record what happened (attended or no-show) instead".into()
            }
        }
    }
}

/// Can this session be cancelled now? Only a scheduled session that has not yet ended. The one
/// rule behind the command line, the app's dialog and [`plan`].
pub fn cancellable(
    status: SessionStatus,
    ends_at: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<(), NotCancellable> {
    if status != SessionStatus::Scheduled {
        return Err(NotCancellable::NotScheduled(status));
    }
    if now >= ends_at {
        return Err(NotCancellable::Ended);
    }
    Ok(())
}

/// Checks a decision against the rules and says exactly what to record. `now` is the moment the
/// request is recorded, in the practitioner's zone: its clock time decides what can still be
/// cancelled, and the notice is the real time from it to the session's start in that zone.
/// `busy` holds the other sessions' intervals (for a reschedule, which must not clash).
pub fn plan<Tz: TimeZone>(
    req: &Request,
    session: &SessionFacts,
    settings: &PracticeSettings,
    consent: Telehealth,
    now: &DateTime<Tz>,
    decision: Decision,
    busy: &[(NaiveDateTime, NaiveDateTime)],
) -> Result<Plan, ValidationError> {
    let notice = notice_hours_in(session.starts_at, now.with_timezone(&Utc), &now.timezone());
    let now = now.naive_local();
    if let Err(why) = cancellable(session.status, session.ends_at(), now) {
        return Err(ValidationError::one(
            "session",
            format!("{}; nothing was changed", why.words()),
        ));
    }
    let note = match req.note.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(n) if n.chars().count() > MAX_NOTE_CHARS => {
            return Err(ValidationError::one(
                "note",
                format!("is too long (at most {MAX_NOTE_CHARS} characters)"),
            ));
        }
        Some(n) => Some(n.to_string()),
    };
    let items = match req.by {
        CancelledBy::Client => offer(req.reason, session, settings, consent),
        CancelledBy::Practitioner => Vec::new(),
    };
    let mut offered: Vec<Alternative> = items
        .iter()
        .filter(|i| i.availability.is_available())
        .map(|i| i.option)
        .collect();
    let mut out = Plan {
        by: req.by,
        reason: req.reason,
        note,
        notice_hours: notice,
        offered: Vec::new(),
        outcome: CancelOutcome::Cancelled,
        new_modality: None,
        new_start: None,
        fee_waived: false,
        remote_check: None,
        consent_added: None,
    };
    match decision {
        Decision::Convert {
            to,
            verbal_consent,
            check,
        } => {
            let Some(modality) = to.modality() else {
                return Err(ValidationError::one("convert", "must be phone or video"));
            };
            if req.by == CancelledBy::Practitioner {
                return Err(ValidationError::one(
                    "convert",
                    "is for a client's cancellation; when you cancel, reschedule or record it",
                ));
            }
            if modality == session.modality {
                return Err(ValidationError::one(
                    "convert",
                    format!("this session is already a {} session", to.as_str()),
                ));
            }
            match availability(to, settings, consent) {
                Availability::Available => {}
                Availability::NeedsConsent if verbal_consent => {
                    out.consent_added = Some(to);
                    if !offered.contains(&to) {
                        // It became available when consent was recorded: keep the table's order.
                        offered = items
                            .iter()
                            .filter(|i| i.availability.is_available() || i.option == to)
                            .map(|i| i.option)
                            .collect();
                    }
                }
                a => {
                    return Err(ValidationError::one(
                        "convert",
                        a.note(to).unwrap_or_default(),
                    ));
                }
            }
            if let Some(c) = check
                && !c.all_yes()
            {
                return Err(ValidationError::one(
                    "remote_check",
                    "not every answer was yes, so a remote session is not safe now; choose another option",
                ));
            }
            out.outcome = match to {
                Alternative::Phone => CancelOutcome::ConvertedPhone,
                _ => CancelOutcome::ConvertedVideo,
            };
            out.new_modality = Some(modality);
            out.remote_check = check;
        }
        Decision::Reschedule { to } => {
            if to <= now {
                return Err(ValidationError::one(
                    "reschedule",
                    format!(
                        "{} is not in the future; choose a time after now",
                        time::format_local(to).replace('T', " ")
                    ),
                ));
            }
            let end = to + Duration::minutes(i64::from(session.minutes));
            if let Some((a, b)) = busy.iter().find(|(a, b)| to < *b && *a < end) {
                return Err(ValidationError::one(
                    "reschedule",
                    format!(
                        "{} clashes with another session ({}–{}); choose another time",
                        to.format("%a %-d %b %H:%M"),
                        a.format("%H:%M"),
                        b.format("%H:%M")
                    ),
                ));
            }
            out.outcome = CancelOutcome::Rescheduled;
            out.new_start = Some(to);
        }
        Decision::Decline { waive_fee } => {
            let late = is_late(req.by, notice, settings.cancellation_window_hours);
            if waive_fee && !late {
                return Err(ValidationError::one(
                    "waive_fee",
                    "this is not a late cancellation, so there is no fee to waive",
                ));
            }
            out.outcome = if late {
                CancelOutcome::LateCancelled
            } else {
                CancelOutcome::Cancelled
            };
            out.fee_waived = late && waive_fee;
        }
    }
    out.offered = offered;
    Ok(out)
}

/// A cancellation as recorded. JSON keys are a contract (see the README).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cancellation {
    pub id: i64,
    pub session_id: i64,
    #[serde(serialize_with = "time::serialize_instant")]
    pub requested_at: DateTime<Utc>,
    pub by: CancelledBy,
    pub reason: Reason,
    pub note: Option<String>,
    pub notice_hours: f64,
    pub offered: Vec<Alternative>,
    pub outcome: CancelOutcome,
    pub new_session_id: Option<i64>,
    pub fee_waived: bool,
    pub remote_private: Option<bool>,
    pub remote_not_driving: Option<bool>,
    pub remote_location_ok: Option<bool>,
    /// Verbal consent recorded during this request (phone or video), if any.
    pub consent_recorded: Option<Alternative>,
    #[serde(serialize_with = "time::serialize_instant")]
    pub created_at: DateTime<Utc>,
    /// When a cancellation recorded by mistake was reverted (the session went back to scheduled).
    #[serde(serialize_with = "time::serialize_opt_instant")]
    pub reverted_at: Option<DateTime<Utc>>,
}

/// Whether a cancellation recorded by mistake may be reverted now: only a cancellation or a late
/// cancellation, and only while the session has not started or on the session's own day. After
/// that the record stands; a new session is booked instead.
pub fn check_revert(
    session_id: i64,
    status: SessionStatus,
    starts_at: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<(), String> {
    if !matches!(
        status,
        SessionStatus::Cancelled | SessionStatus::LateCancelled
    ) {
        return Err(format!(
            "Session {session_id} is {}, not cancelled: there is no cancellation to revert.",
            status.label().to_lowercase()
        ));
    }
    if now >= starts_at && now.date() != starts_at.date() {
        return Err(format!(
            "Session {session_id} was on {}; a cancellation can be reverted until the end of the \
             session's day. The cancellation stands: book a new session instead.",
            starts_at.format("%a %-d %b %Y")
        ));
    }
    Ok(())
}

// ---- finding a free slot ---------------------------------------------------------------------

/// The step between candidate start times, in minutes.
pub const SLOT_STEP_MINUTES: i64 = 30;

/// The next free start times for a session of `minutes`: within office hours, after `from`,
/// within `horizon_days`, not overlapping any `busy` interval, at most `max` of them and at
/// most `per_day` on one day (so the choice spans several days). Times fall on the half hour
/// from the day's opening.
pub fn free_slots(
    hours: &OfficeHours,
    busy: &[(NaiveDateTime, NaiveDateTime)],
    minutes: u32,
    from: NaiveDateTime,
    horizon_days: u32,
    max: usize,
    per_day: usize,
) -> Vec<NaiveDateTime> {
    let mut out = Vec::new();
    let len = Duration::minutes(i64::from(minutes.max(1)));
    let first: NaiveDate = from.date();
    for d in 0..=i64::from(horizon_days) {
        if out.len() >= max {
            break;
        }
        let day = first + Duration::days(d);
        if (day - first).num_days() > i64::from(horizon_days) {
            break;
        }
        let Some(h) = hours.on(day.weekday()) else {
            continue;
        };
        let close = day.and_time(h.end);
        let mut t = day.and_time(h.start);
        let mut today = 0;
        while t + len <= close && out.len() < max && today < per_day {
            let end = t + len;
            if t > from && !busy.iter().any(|(a, b)| t < *b && *a < end) {
                out.push(t);
                today += 1;
            }
            t += Duration::minutes(SLOT_STEP_MINUTES);
        }
    }
    out
}

#[cfg(test)]
#[path = "cancellation_tests.rs"]
mod tests;
