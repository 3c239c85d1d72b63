//! Sessions: when the practitioner meets a client, how, and what happened.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;

use super::time;
use crate::word_enum;

/// The practice default length of a session, in minutes.
pub const DEFAULT_MINUTES: u32 = 50;

word_enum! {
    /// What became of a booked session. Stored and printed exactly so.
    pub enum SessionStatus {
        Scheduled = "scheduled" / "Scheduled",
        Attended = "attended" / "Attended",
        Late = "late" / "Attended late",
        NoShow = "no_show" / "No-show",
        Cancelled = "cancelled" / "Cancelled",
        LateCancelled = "late_cancelled" / "Late cancellation",
        Rescheduled = "rescheduled" / "Rescheduled",
    }
}

impl SessionStatus {
    /// The status after "was" or "is" in a sentence: "a late cancellation", "a no-show".
    pub fn in_sentence(self) -> &'static str {
        match self {
            SessionStatus::Scheduled => "scheduled",
            SessionStatus::Attended => "attended",
            SessionStatus::Late => "attended late",
            SessionStatus::NoShow => "a no-show",
            SessionStatus::Cancelled => "cancelled",
            SessionStatus::LateCancelled => "a late cancellation",
            SessionStatus::Rescheduled => "rescheduled",
        }
    }
}

impl SessionStatus {
    /// The client came (on time or late).
    pub fn is_attended(self) -> bool {
        matches!(self, SessionStatus::Attended | SessionStatus::Late)
    }

    /// The session will not (or did not) take place at this time.
    pub fn is_off(self) -> bool {
        matches!(
            self,
            SessionStatus::Cancelled | SessionStatus::LateCancelled | SessionStatus::Rescheduled
        )
    }

    /// The outcomes that one key on Today can record (and undo back to scheduled).
    pub fn is_markable(self) -> bool {
        matches!(
            self,
            SessionStatus::Scheduled
                | SessionStatus::Attended
                | SessionStatus::Late
                | SessionStatus::NoShow
        )
    }
}

word_enum! {
    /// How a session takes place.
    pub enum Modality {
        InPerson = "in_person" / "In person",
        Phone = "phone" / "Phone",
        Video = "video" / "Video",
    }
}

/// A booked session as stored. JSON keys are a contract (see the README).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Session {
    pub id: i64,
    pub client_id: i64,
    pub client_name: String,
    /// Wall-clock local time, `YYYY-MM-DDTHH:MM`.
    #[serde(serialize_with = "time::serialize_local")]
    pub starts_at: NaiveDateTime,
    pub minutes: u32,
    pub modality: Modality,
    pub status: SessionStatus,
    pub series_id: Option<i64>,
    /// When the outcome was last marked.
    #[serde(serialize_with = "time::serialize_opt_instant")]
    pub marked_at: Option<DateTime<Utc>>,
    /// Who marked it (`practitioner` from the app, `cli` from a script).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marked_by: Option<String>,
}

impl Session {
    pub fn ends_at(&self) -> NaiveDateTime {
        self.starts_at + chrono::Duration::minutes(i64::from(self.minutes))
    }
}
