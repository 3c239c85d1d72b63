//! Review signals: pure rules that notice when a working relationship may need a look.
//! The thresholds are practice settings (`review_thresholds`); every rule reports its evidence.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::boundary::BoundaryKind;
use super::session::SessionStatus;
use crate::word_enum;

/// When each signal fires. Stored as one setting; any key left out takes its default.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Thresholds {
    /// Boundary incidents that fire the signal…
    pub boundary_incidents: u32,
    /// …within this many days.
    pub boundary_days: u32,
    /// No-shows and late cancellations that fire the signal…
    pub missed_sessions: u32,
    /// …among this many most recent past sessions.
    pub missed_of_last: u32,
    /// A measure taken at least this many times…
    pub measure_times: u32,
    /// …over at least this many weeks…
    pub measure_weeks: u32,
    /// …with no change of at least this much towards better (when the instrument gives none).
    pub reliable_change: f64,
    /// Active goals whose ratings have not risen above the first in this many weeks.
    pub goal_weeks: u32,
    /// After a review, the client leaves Today's "Needs attention" for this many days.
    pub review_quiet_days: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            boundary_incidents: 3,
            boundary_days: 90,
            missed_sessions: 3,
            missed_of_last: 8,
            measure_times: 3,
            measure_weeks: 8,
            reliable_change: 5.0,
            goal_weeks: 8,
            review_quiet_days: 28,
        }
    }
}

word_enum! {
    /// Which rule fired.
    pub enum SignalKind {
        BoundaryIncidents = "boundary_incidents" / "Boundary incidents",
        MissedSessions = "missed_sessions" / "Missed sessions",
        MeasureNotImproving = "measure_not_improving" / "Measure not improving",
        GoalsNotMoving = "goals_not_moving" / "Goals not moving",
    }
}

/// A fired signal: what, in one line, and the evidence (dates, figures).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signal {
    pub kind: SignalKind,
    pub summary: String,
    pub evidence: Vec<String>,
    /// The newest day among the evidence: a review on or after it has seen all of it.
    #[serde(skip)]
    pub latest: Option<NaiveDate>,
}

impl Signal {
    /// Whether a review on `reviewed_on` came after all of this signal's evidence (so the
    /// signal stays quiet until something new arrives).
    pub fn reviewed_by(&self, reviewed_on: Option<NaiveDate>) -> bool {
        match (reviewed_on, self.latest) {
            (Some(r), Some(l)) => r >= l,
            _ => false,
        }
    }
}

fn day(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// At least `boundary_incidents` incidents dated within the last `boundary_days` days
/// (today counts as day 0, so an incident `boundary_days - 1` days ago is inside). The evidence
/// names each incident: its date and what happened.
pub fn boundary_signal(
    incidents: &[(NaiveDate, BoundaryKind)],
    today: NaiveDate,
    t: &Thresholds,
) -> Option<Signal> {
    let from = today - Duration::days(i64::from(t.boundary_days));
    let mut inside: Vec<(NaiveDate, BoundaryKind)> = incidents
        .iter()
        .copied()
        .filter(|(d, _)| *d > from && *d <= today)
        .collect();
    inside.sort_unstable_by_key(|(d, k)| (*d, k.index()));
    if t.boundary_incidents == 0 || (inside.len() as u32) < t.boundary_incidents {
        return None;
    }
    Some(Signal {
        latest: inside.iter().map(|(d, _)| *d).max(),
        kind: SignalKind::BoundaryIncidents,
        summary: format!(
            "{} boundary incidents in the last {} days",
            inside.len(),
            t.boundary_days
        ),
        evidence: inside
            .into_iter()
            .map(|(d, k)| format!("{} {}", day(d), k.label().to_lowercase()))
            .collect(),
    })
}

/// At least `missed_sessions` no-shows or late cancellations among the last `missed_of_last`
/// past sessions that have an outcome (rescheduled and unmarked sessions don't count).
pub fn missed_signal(
    sessions: &[(NaiveDateTime, SessionStatus)],
    now: NaiveDateTime,
    t: &Thresholds,
) -> Option<Signal> {
    let mut past: Vec<(NaiveDateTime, SessionStatus)> = sessions
        .iter()
        .copied()
        .filter(|(at, s)| {
            *at < now && !matches!(s, SessionStatus::Scheduled | SessionStatus::Rescheduled)
        })
        .collect();
    past.sort_by_key(|(at, _)| *at);
    let last: Vec<_> = past
        .iter()
        .rev()
        .take(t.missed_of_last as usize)
        .rev()
        .collect();
    let missed: Vec<_> = last
        .iter()
        .filter(|(_, s)| matches!(s, SessionStatus::NoShow | SessionStatus::LateCancelled))
        .collect();
    if t.missed_sessions == 0 || (missed.len() as u32) < t.missed_sessions {
        return None;
    }
    Some(Signal {
        latest: missed.iter().map(|(at, _)| at.date()).max(),
        kind: SignalKind::MissedSessions,
        summary: format!(
            "{} of the last {} sessions missed or cancelled late",
            missed.len(),
            last.len()
        ),
        evidence: missed
            .iter()
            .map(|(at, s)| format!("{} {}", day(at.date()), s.label().to_lowercase()))
            .collect(),
    })
}

/// One measure's results for a client, oldest or newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureSeries {
    pub name: String,
    /// Which way the total gets better (lower on most symptom measures).
    pub better: super::instrument::Better,
    /// The instrument's reliable-change value, if its file gives one.
    pub reliable_change: Option<f64>,
    /// The results: all of them, or just the first and the last (see `taken`).
    pub results: Vec<(NaiveDate, f64)>,
    /// How many times the measure was taken (at least `results.len()`).
    pub taken: usize,
}

/// A measure taken at least `measure_times` times, spanning at least `measure_weeks` weeks,
/// whose latest score has not moved by the reliable-change value towards better since the first.
pub fn measure_signal(series: &[MeasureSeries], t: &Thresholds) -> Option<Signal> {
    let mut evidence = Vec::new();
    let mut latest: Option<NaiveDate> = None;
    for m in series {
        let mut r = m.results.clone();
        r.sort_by_key(|(d, _)| *d);
        let (Some(first), Some(last)) = (r.first(), r.last()) else {
            continue;
        };
        let taken = m.taken.max(r.len());
        if (taken as u32) < t.measure_times.max(2)
            || (last.0 - first.0).num_days() < i64::from(t.measure_weeks) * 7
        {
            continue;
        }
        let rc = m.reliable_change.unwrap_or(t.reliable_change);
        let better = m.better.gain(first.1, last.1);
        if better < rc {
            latest = latest.max(Some(last.0));
            evidence.push(format!(
                "{}: {} on {}, {} on {} ({} results; reliable change {})",
                m.name,
                fmt_score(first.1),
                day(first.0),
                fmt_score(last.1),
                day(last.0),
                taken,
                fmt_score(rc)
            ));
        }
    }
    if evidence.is_empty() {
        return None;
    }
    Some(Signal {
        latest,
        kind: SignalKind::MeasureNotImproving,
        summary: if evidence.len() == 1 {
            "A measure has not improved reliably".into()
        } else {
            format!("{} measures have not improved reliably", evidence.len())
        },
        evidence,
    })
}

fn fmt_score(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

/// An active goal and its ratings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalTrack {
    pub text: String,
    pub ratings: Vec<(NaiveDate, u8)>,
}

/// Active goals first rated at least `goal_weeks` weeks ago whose ratings since have never
/// been above that first rating.
pub fn goal_signal(goals: &[GoalTrack], today: NaiveDate, t: &Thresholds) -> Option<Signal> {
    let mut evidence = Vec::new();
    let mut latest: Option<NaiveDate> = None;
    for g in goals {
        let mut r = g.ratings.clone();
        r.sort_by_key(|(d, _)| *d);
        let Some(&(first_on, first)) = r.first() else {
            continue;
        };
        if (today - first_on).num_days() < i64::from(t.goal_weeks) * 7 {
            continue;
        }
        if r.iter().all(|(_, x)| *x <= first) {
            let last = r.last().map(|(_, x)| *x).unwrap_or(first);
            latest = latest.max(r.last().map(|(d, _)| *d));
            evidence.push(format!(
                "“{}”: {first}/10 on {}, {last}/10 now ({} ratings)",
                g.text,
                day(first_on),
                r.len()
            ));
        }
    }
    if evidence.is_empty() {
        return None;
    }
    Some(Signal {
        latest,
        kind: SignalKind::GoalsNotMoving,
        summary: format!(
            "{} active goal{} with no progress in {} weeks",
            evidence.len(),
            if evidence.len() == 1 { "" } else { "s" },
            t.goal_weeks
        ),
        evidence,
    })
}

/// Everything the rules look at for one client.
#[derive(Debug, Clone, Default)]
pub struct SignalInput {
    /// Boundary incidents: when, and what kind.
    pub boundary_incidents: Vec<(NaiveDate, BoundaryKind)>,
    pub sessions: Vec<(NaiveDateTime, SessionStatus)>,
    pub measures: Vec<MeasureSeries>,
    pub active_goals: Vec<GoalTrack>,
}

/// Every signal that fires for one client, in a fixed order.
pub fn evaluate(input: &SignalInput, now: NaiveDateTime, t: &Thresholds) -> Vec<Signal> {
    let today = now.date();
    [
        boundary_signal(&input.boundary_incidents, today, t),
        missed_signal(&input.sessions, now, t),
        measure_signal(&input.measures, t),
        goal_signal(&input.active_goals, today, t),
    ]
    .into_iter()
    .flatten()
    .collect()
}

word_enum! {
    /// What the practitioner chose to do about the signals.
    pub enum ReviewChoice {
        NoteForNextSession = "note_for_next_session" / "Note it to discuss next session",
        ReconsiderEngagementModel = "reconsider_engagement_model" / "Reconsider the engagement model",
        LogConsultation = "log_consultation" / "Log a consultation",
        StartDischarge = "start_discharge" / "Start a discharge",
    }
}

/// The working relationship at a glance, for a client's overview.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RelationshipOverview {
    pub handout: crate::domain::handout::HandoutState,
    pub active_goals: usize,
    pub last_rating: Option<u8>,
    pub boundaries_recent: usize,
    pub boundary_days: u32,
    pub consultations: usize,
    pub signals: Vec<Signal>,
}

impl RelationshipOverview {
    /// Label and value rows, in plain words.
    pub fn rows(&self) -> Vec<(String, String)> {
        let mut rows = vec![("Handout".to_string(), self.handout.words())];
        rows.push((
            "Goals".into(),
            match (self.active_goals, self.last_rating) {
                (0, _) => "none active".into(),
                (n, Some(r)) => format!("{n} active · last rating {r}/10"),
                (n, None) => format!("{n} active · not rated yet"),
            },
        ));
        if self.boundaries_recent > 0 {
            rows.push((
                "Boundaries".into(),
                format!("{} in {} days", self.boundaries_recent, self.boundary_days),
            ));
        }
        if self.consultations > 0 {
            rows.push((
                "Consulted".into(),
                super::words::count(self.consultations, "time", "times"),
            ));
        }
        for s in &self.signals {
            rows.push(("Review".into(), format!("{} (R)", s.summary)));
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::{parse_date, parse_local};

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    const T: Thresholds = Thresholds {
        boundary_incidents: 3,
        boundary_days: 90,
        missed_sessions: 3,
        missed_of_last: 8,
        measure_times: 3,
        measure_weeks: 8,
        reliable_change: 5.0,
        goal_weeks: 8,
        review_quiet_days: 28,
    };

    #[test]
    fn defaults_match_the_issue() {
        assert_eq!(Thresholds::default(), T);
        let partial: Thresholds = serde_json::from_str(r#"{"boundary_incidents": 4}"#).unwrap();
        assert_eq!(partial.boundary_incidents, 4);
        assert_eq!(partial.goal_weeks, 8);
    }

    #[test]
    fn boundaries_fire_at_three_within_ninety_days() {
        let today = d("2026-11-23");
        let day89 = today - Duration::days(89);
        let day90 = today - Duration::days(90);
        let after = BoundaryKind::AfterHoursContact;
        let late = BoundaryKind::LatePayment;
        // Two incidents: not yet.
        assert!(boundary_signal(&[(today, after), (day89, after)], today, &T).is_none());
        // Three, the oldest 89 days ago: fires, and the evidence says what happened when.
        let s = boundary_signal(
            &[(today, after), (day89, late), (d("2026-10-01"), after)],
            today,
            &T,
        )
        .unwrap();
        assert_eq!(s.kind, SignalKind::BoundaryIncidents);
        assert_eq!(
            s.evidence,
            [
                "26 Aug 2026 late payment",
                "1 Oct 2026 contact after hours",
                "23 Nov 2026 contact after hours"
            ]
        );
        assert!(s.summary.starts_with("3 boundary incidents"));
        // The oldest 90 days ago falls outside the window.
        let three = [(today, after), (day90, after), (d("2026-10-01"), after)];
        assert!(boundary_signal(&three, today, &T).is_none());
        // Future-dated entries don't count.
        let future = [
            (today, after),
            (day89, after),
            (today + Duration::days(1), after),
        ];
        assert!(boundary_signal(&future, today, &T).is_none());
    }

    fn sess(at: &str, s: SessionStatus) -> (NaiveDateTime, SessionStatus) {
        (parse_local(at).unwrap(), s)
    }

    #[test]
    fn missed_fires_at_three_of_the_last_eight() {
        use SessionStatus::*;
        let now = parse_local("2026-11-23 09:00").unwrap();
        let mut s = vec![
            sess("2026-09-01 10:00", NoShow), // 9th from the end: outside the last 8
            sess("2026-09-08 10:00", Attended),
            sess("2026-09-15 10:00", LateCancelled),
            sess("2026-09-22 10:00", Attended),
            sess("2026-09-29 10:00", Rescheduled), // doesn't count as a past session
            sess("2026-10-06 10:00", Cancelled),
            sess("2026-10-13 10:00", NoShow),
            sess("2026-10-20 10:00", Attended),
            sess("2026-10-27 10:00", Late),
            sess("2026-11-03 10:00", Attended),
            sess("2026-11-30 10:00", NoShow), // in the future: ignored
        ];
        // Two missed in the last eight (the first no-show is ninth): not yet.
        assert!(missed_signal(&s, now, &T).is_none());
        // A third in the last eight: fires, and the oldest no-show is still outside.
        s.push(sess("2026-11-17 10:00", LateCancelled));
        // Now the last 8 are 09-15..11-17 minus the rescheduled: LateCancelled, NoShow, LateCancelled.
        let sig = missed_signal(&s, now, &T).unwrap();
        assert_eq!(sig.evidence.len(), 3);
        assert!(sig.summary.starts_with("3 of the last 8"));
        // A session later today hasn't happened yet.
        let early = parse_local("2026-11-17 09:59").unwrap();
        assert!(missed_signal(&s, early, &T).is_none());
    }

    fn series(points: &[(&str, f64)], rc: Option<f64>) -> MeasureSeries {
        MeasureSeries {
            name: "Mood check".into(),
            better: crate::domain::instrument::Better::Lower,
            reliable_change: rc,
            results: points.iter().map(|(a, x)| (d(a), *x)).collect(),
            taken: 0,
        }
    }

    #[test]
    fn measures_fire_after_three_results_over_eight_weeks_without_reliable_change() {
        // 56 days from first to last, three results, improved by 4.9 (< 5): fires.
        let m = series(
            &[
                ("2026-09-01", 15.0),
                ("2026-10-01", 14.0),
                ("2026-10-27", 10.1),
            ],
            None,
        );
        let s = measure_signal(&[m], &T).unwrap();
        assert!(s.evidence[0].contains("15 on 1 Sep 2026"));
        // Improved by exactly 5: reliable change, no signal.
        let m = series(
            &[
                ("2026-09-01", 15.0),
                ("2026-10-01", 14.0),
                ("2026-10-27", 10.0),
            ],
            None,
        );
        assert!(measure_signal(&[m], &T).is_none());
        // 55 days: too soon to say.
        let m = series(
            &[
                ("2026-09-01", 15.0),
                ("2026-10-01", 14.0),
                ("2026-10-26", 15.0),
            ],
            None,
        );
        assert!(measure_signal(&[m], &T).is_none());
        // Only two results.
        let mut m = series(&[("2026-09-01", 15.0), ("2026-11-01", 15.0)], None);
        assert!(measure_signal(&[m.clone()], &T).is_none());
        // The first and last of three: fires, and says three.
        m.taken = 3;
        assert!(measure_signal(&[m], &T).unwrap().evidence[0].contains("(3 results"));
        // The instrument's own reliable change wins over the default.
        let m = series(
            &[
                ("2026-09-01", 15.0),
                ("2026-10-01", 14.0),
                ("2026-10-27", 12.0),
            ],
            Some(3.0),
        );
        assert!(measure_signal(&[m], &T).is_none());
        // Higher is better: a fall is not an improvement.
        let mut m = series(
            &[
                ("2026-09-01", 50.0),
                ("2026-10-01", 40.0),
                ("2026-10-27", 30.0),
            ],
            None,
        );
        m.better = crate::domain::instrument::Better::Higher;
        assert!(measure_signal(&[m], &T).is_some());
    }

    #[test]
    fn goals_fire_when_nothing_rose_above_the_first_rating_in_eight_weeks() {
        let today = d("2026-11-23");
        let g = |first_days_ago: i64, later: &[u8]| GoalTrack {
            text: "Sleep better".into(),
            ratings: std::iter::once((today - Duration::days(first_days_ago), 4))
                .chain(later.iter().map(|x| (today - Duration::days(1), *x)))
                .collect(),
        };
        // First rating exactly 8 weeks ago, never above 4: fires.
        let s = goal_signal(&[g(56, &[3, 4])], today, &T).unwrap();
        assert!(s.evidence[0].contains("4/10 on 28 Sep 2026, 4/10 now (3 ratings)"));
        // 55 days: not yet.
        assert!(goal_signal(&[g(55, &[3, 4])], today, &T).is_none());
        // One rating above the first: moving.
        assert!(goal_signal(&[g(70, &[5, 3])], today, &T).is_none());
        // A single old rating fires too; a goal never rated doesn't.
        assert!(goal_signal(&[g(60, &[])], today, &T).is_some());
        let unrated = GoalTrack {
            text: "x".into(),
            ratings: vec![],
        };
        assert!(goal_signal(&[unrated], today, &T).is_none());
    }

    #[test]
    fn evaluate_collects_in_order() {
        let now = parse_local("2026-11-23 09:00").unwrap();
        let today = now.date();
        let input = SignalInput {
            boundary_incidents: vec![(today, BoundaryKind::Other); 3],
            active_goals: vec![GoalTrack {
                text: "x".into(),
                ratings: vec![(today - Duration::days(60), 2)],
            }],
            ..Default::default()
        };
        let kinds: Vec<_> = evaluate(&input, now, &T).iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            vec![SignalKind::BoundaryIncidents, SignalKind::GoalsNotMoving]
        );
    }
}
