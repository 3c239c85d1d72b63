//! The demo practice's data: plain records the generators fill and the store writes.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use crate::domain::boundary::{BoundaryKind, ConsultFields};
use crate::domain::cancellation::{Alternative, CancelOutcome, CancelledBy, Reason};
use crate::domain::client::{ClientFields, ClientStatus};
use crate::domain::discharge::DischargeFields;
use crate::domain::engagement::EngagementModel;
use crate::domain::goal::{GoalFields, GoalStatus};
use crate::domain::note::NoteBody;
use crate::domain::practice::PracticeProfile;
use crate::domain::session::{Modality, SessionStatus};

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    pub clients: usize,
    /// How many months of history the practice has.
    pub months: u32,
    pub seed: u64,
    /// The practitioner's today: intake dates fall in the months before it.
    pub today: NaiveDate,
    pub now: DateTime<Utc>,
}

impl DemoOptions {
    pub fn new(today: NaiveDate, now: DateTime<Utc>) -> Self {
        Self {
            clients: 40,
            months: 12,
            seed: 7,
            today,
            now,
        }
    }
}

/// One fictional client, with the status they have reached.
#[derive(Debug, Clone)]
pub struct DemoClient {
    pub fields: ClientFields,
    pub status: ClientStatus,
}

/// A client's recurring rhythm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSeries {
    /// Index into [`DemoPractice::clients`].
    pub client: usize,
    pub every_weeks: u32,
}

/// One fictional session. Plain data, so later parts (cancellations, notes) can walk the list
/// and add their own records beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSession {
    /// Index into [`DemoPractice::clients`].
    pub client: usize,
    /// Index into [`DemoPractice::series`].
    pub series: Option<usize>,
    pub starts_at: NaiveDateTime,
    pub minutes: u32,
    pub modality: Modality,
    pub status: SessionStatus,
}

/// A whole fictional practice.
#[derive(Debug, Clone, Default)]
pub struct DemoPractice {
    pub clients: Vec<DemoClient>,
    pub series: Vec<DemoSeries>,
    /// Every session, client by client, each client's in time order.
    pub sessions: Vec<DemoSession>,
    /// Cancellation requests and what became of them (see `cancellations`).
    pub cancellations: Vec<DemoCancellation>,
    /// Progress notes for most attended sessions.
    pub notes: Vec<DemoNote>,
    /// Assessment results, each for `clients[client]`, in time order per client.
    pub assessments: Vec<DemoAssessment>,
    /// Engagement models chosen after an engagement assessment.
    pub model_choices: Vec<DemoModelChoice>,
    /// Profile, goals, boundaries, consultations and a referral (issue 7).
    pub relationship: DemoRelationship,
}

/// One fictional assessment result.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoAssessment {
    pub client: usize,
    pub instrument: &'static str,
    pub answers: Vec<i64>,
    pub on: NaiveDate,
}

/// One fictional model choice (a reason when the practitioner overrode the recommendation).
#[derive(Debug, Clone, PartialEq)]
pub struct DemoModelChoice {
    pub client: usize,
    pub model: EngagementModel,
    pub reason: Option<String>,
    pub on: NaiveDate,
}

/// One fictional progress note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoNote {
    /// Index into [`DemoPractice::sessions`].
    pub session: usize,
    pub body: NoteBody,
    /// Signed a few hours after the session; a few recent ones are left as drafts.
    pub signed: bool,
}

/// One cancellation request in the demo practice.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoCancellation {
    /// Index into [`DemoPractice::sessions`].
    pub session: usize,
    /// When the request came (wall-clock local time).
    pub requested_at: NaiveDateTime,
    pub by: CancelledBy,
    pub reason: Reason,
    pub note: Option<&'static str>,
    pub notice_hours: f64,
    pub offered: Vec<Alternative>,
    pub outcome: CancelOutcome,
    /// For a reschedule: the session booked in its place.
    pub new_session: Option<DemoSession>,
    pub fee_waived: bool,
    /// The remote check was asked (and answered yes to all three).
    pub remote_checked: bool,
}

#[derive(Debug, Clone)]
pub struct DemoGoal {
    /// Index into the demo's clients.
    pub client: usize,
    pub fields: GoalFields,
    pub status: GoalStatus,
    pub ratings: Vec<(NaiveDate, u8)>,
}

#[derive(Debug, Clone)]
pub struct DemoBoundary {
    pub client: usize,
    pub on: NaiveDate,
    pub kind: BoundaryKind,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct DemoConsult {
    /// The consultation; `client_id` is ignored and `client` (an index) used instead.
    pub fields: ConsultFields,
    pub client: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct DemoDischarge {
    pub client: usize,
    pub on: NaiveDate,
    pub fields: DischargeFields,
}

#[derive(Debug, Clone, Default)]
pub struct DemoRelationship {
    pub profile: PracticeProfile,
    pub goals: Vec<DemoGoal>,
    pub boundaries: Vec<DemoBoundary>,
    pub consults: Vec<DemoConsult>,
    pub discharge: Option<DemoDischarge>,
}
