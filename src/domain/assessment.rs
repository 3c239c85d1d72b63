//! Assessment results as recorded, the alerts their flags raise, the engagement model chosen for
//! a client, and the change in a measure over time.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::engagement::{Barrier, EngagementModel, Guidance, Reassessment};
use super::instrument::{Better, FiredFlag, InstrumentKind, RankEntry, Reason};

/// One recorded result (immutable). Serialises to the `assess record --json` contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub id: i64,
    pub client_id: i64,
    pub instrument: String,
    pub version: u32,
    #[serde(serialize_with = "serialize_date")]
    pub administered_at: NaiveDate,
    pub answers: Vec<i64>,
    pub total: i64,
    pub band: Option<String>,
    pub flags: Vec<FiredFlag>,
    pub subscales: BTreeMap<String, i64>,
    pub ranking: Vec<RankEntry>,
    #[serde(skip)]
    pub kind: InstrumentKind,
    #[serde(skip)]
    pub title: String,
    #[serde(skip)]
    pub why: Vec<Reason>,
    #[serde(skip)]
    pub tie: Option<String>,
    /// Measures: which way the total gets better, and the reliable-change value, as the
    /// instrument said when it was given (`None` on results recorded before caseload kept them).
    #[serde(skip)]
    pub better: Option<Better>,
    #[serde(skip)]
    pub reliable_change: Option<f64>,
}

pub fn serialize_date<S: serde::Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.format(super::time::DATE_FORMAT).to_string())
}

/// A flag that fired, open until reviewed with a note.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    pub id: i64,
    pub assessment_id: i64,
    pub client_id: i64,
    pub instrument: String,
    #[serde(serialize_with = "serialize_date")]
    pub administered_at: NaiveDate,
    pub item: String,
    pub message: String,
    #[serde(serialize_with = "super::time::serialize_instant")]
    pub raised_at: DateTime<Utc>,
    #[serde(serialize_with = "super::time::serialize_opt_instant")]
    pub reviewed_at: Option<DateTime<Utc>>,
    pub review_note: Option<String>,
}

/// One choice of engagement model for a client.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelChoice {
    pub model: EngagementModel,
    pub recommended: Option<String>,
    pub assessment_id: Option<i64>,
    pub reason: Option<String>,
    #[serde(serialize_with = "super::time::serialize_instant")]
    pub chosen_at: DateTime<Utc>,
}

/// A practical barrier as the client last answered it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClientBarrier {
    pub barrier: Barrier,
    pub label: String,
    pub value: i64,
    pub present: bool,
    #[serde(serialize_with = "serialize_date")]
    pub recorded_on: NaiveDate,
}

/// What `caseload recommend` shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    pub client_id: i64,
    pub assessment_id: i64,
    #[serde(serialize_with = "serialize_date")]
    pub administered_at: NaiveDate,
    pub ranking: Vec<RankEntry>,
    pub why: Vec<Reason>,
    pub tie: Option<String>,
    pub recommended: String,
    pub accepted: Option<ModelChoice>,
    pub history: Vec<ModelChoice>,
    pub guidance: Option<Guidance>,
    pub reassessment: Reassessment,
}

/// A measure's change over time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Change {
    pub since_first: i64,
    pub since_previous: Option<i64>,
    /// Whether the change since the first result is at least the instrument's reliable change.
    pub reliable: bool,
    /// Which way the measure's total gets better.
    pub better: Better,
}

impl Change {
    /// Whether the client is reliably better (`Some(true)`), reliably worse (`Some(false)`), or
    /// neither (`None`: the change is within what the measure's own noise could explain).
    pub fn reliably_better(&self) -> Option<bool> {
        self.reliable
            .then(|| self.better.gain(0.0, self.since_first as f64) > 0.0)
    }
}

/// The change in totals across results in time order (None with fewer than one result).
pub fn change(totals: &[i64], reliable_change: f64, better: Better) -> Option<Change> {
    let first = *totals.first()?;
    let last = *totals.last()?;
    let since_first = last - first;
    Some(Change {
        since_first,
        since_previous: (totals.len() >= 2).then(|| last - totals[totals.len() - 2]),
        reliable: since_first != 0 && since_first.unsigned_abs() as f64 >= reliable_change,
        better,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_since_first_and_previous() {
        assert_eq!(change(&[], 4.0, Better::Lower), None);
        let c = change(&[14], 4.0, Better::Lower).unwrap();
        assert_eq!(
            (c.since_first, c.since_previous, c.reliable),
            (0, None, false)
        );
        let c = change(&[14, 11, 7], 4.0, Better::Lower).unwrap();
        assert_eq!(
            (c.since_first, c.since_previous, c.reliable),
            (-7, Some(-4), true)
        );
        let c = change(&[14, 13], 4.0, Better::Lower).unwrap();
        assert!(!c.reliable);
    }

    #[test]
    fn a_reliable_change_reads_better_or_worse_by_the_measures_direction() {
        let down = change(&[14, 11, 7], 4.0, Better::Lower).unwrap();
        assert_eq!(down.reliably_better(), Some(true));
        let down = change(&[14, 11, 7], 4.0, Better::Higher).unwrap();
        assert_eq!(down.reliably_better(), Some(false));
        let up = change(&[30, 41], 5.0, Better::Higher).unwrap();
        assert_eq!(up.reliably_better(), Some(true));
        assert_eq!(
            change(&[30, 33], 5.0, Better::Higher)
                .unwrap()
                .reliably_better(),
            None
        );
    }
}
