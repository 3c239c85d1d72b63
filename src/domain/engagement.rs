//! The engagement models: how a practitioner works with a client, the guidance card for each,
//! the practical barriers to attending, and when the engagement assessment is due again.
//!
//! The words here are the project's own.

use chrono::NaiveDate;
use serde::Serialize;

/// The built-in engagement-needs assessment.
pub const ENGAGEMENT_KEY: &str = "engagement";

crate::word_enum! {
    /// A way of working with a client.
    pub enum EngagementModel {
        Expert = "expert" / "Expert",
        Medical = "medical" / "Medical",
        Collaborative = "collaborative" / "Collaborative",
        StrengthsBased = "strengths_based" / "Strengths-based",
        SolutionFocused = "solution_focused" / "Solution-focused",
        Empowerment = "empowerment" / "Empowerment",
    }
}

crate::word_enum! {
    /// A practical barrier to getting to sessions.
    pub enum Barrier {
        WorkHours = "work_hours" / "Work hours",
        Caring = "caring" / "Caring for others",
        Travel = "travel" / "Travel",
        Transport = "transport" / "Transport",
    }
}

/// How to work in one model: when it fits, what the practitioner does, what to watch for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Guidance {
    pub model: EngagementModel,
    pub fits_when: &'static str,
    pub you_do: &'static str,
    pub watch_for: &'static str,
}

impl EngagementModel {
    /// The guidance card for this model.
    pub fn guidance(self) -> Guidance {
        use EngagementModel::*;
        let (fits_when, you_do, watch_for) = match self {
            Expert => (
                "The client wants someone who knows the field to read the situation and say what to do next.",
                "Give clear, reasoned recommendations, explain why, and check at the end of each session that the advice made sense.",
                "The client handing over every decision, or going quiet when advice doesn't suit them.",
            ),
            Medical => (
                "The client wants to understand what is wrong, have it named, and follow a plan with clear stages.",
                "Assess carefully, share a working formulation in plain words, agree a written plan and track it with measures.",
                "A label becoming the whole story, and the client waiting to be fixed rather than taking part.",
            ),
            Collaborative => (
                "The client wants a partner: decisions made together and goals they helped to set.",
                "Agree the agenda at the start, offer options rather than answers, and review goals together every month.",
                "Deferring every choice back to you, or drift when nobody owns the next step.",
            ),
            StrengthsBased => (
                "The client wants to build on what already works: their abilities, values and the people around them.",
                "Ask about times things went better, name the strengths you hear, and plan steps that use them.",
                "Real difficulties being glossed over, or praise that feels hollow to the client.",
            ),
            SolutionFocused => (
                "The client wants practical change soon and would rather look forward than go over the past.",
                "Ask what a better week would look like, scale progress each session, and agree one small concrete step.",
                "Pressure to show quick wins, and important history the client isn't ready to set aside.",
            ),
            Empowerment => (
                "The client wants to stay in charge, speak up for themselves and make their own choices about help.",
                "Share information openly, support them to decide and to advocate for themselves, and step back as they lead.",
                "Leaving the client alone with too much, or missing a moment when they want more support.",
            ),
        };
        Guidance {
            model: self,
            fits_when,
            you_do,
            watch_for,
        }
    }
}

/// When the engagement assessment is due again (settings `reassess_after_days` and
/// `reassess_after_sessions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ReassessRule {
    pub days: i64,
    pub sessions: i64,
}

impl Default for ReassessRule {
    fn default() -> Self {
        ReassessRule {
            days: 90,
            sessions: 12,
        }
    }
}

/// Whether, and why, a re-assessment is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reassessment {
    pub due: bool,
    pub days_since: i64,
    pub sessions_since: i64,
    /// In words: why it is due, or when it will be.
    pub reason: String,
}

impl ReassessRule {
    /// Due once `days` days have passed since the last assessment or `sessions` sessions have
    /// been attended since, whichever comes first.
    pub fn check(&self, last: NaiveDate, today: NaiveDate, sessions_since: i64) -> Reassessment {
        let days_since = (today - last).num_days().max(0);
        let by_days = days_since >= self.days;
        let by_sessions = sessions_since >= self.sessions;
        let reason = if by_days {
            format!(
                "Re-assessment due: {days_since} days since the last one (every {} days).",
                self.days
            )
        } else if by_sessions {
            format!(
                "Re-assessment due: {sessions_since} sessions attended since the last one (every {}).",
                self.sessions
            )
        } else {
            let days_left = self.days - days_since;
            let sessions_left = self.sessions - sessions_since;
            format!(
                "Re-assessment in {days_left} {} or after {sessions_left} more {}.",
                if days_left == 1 { "day" } else { "days" },
                if sessions_left == 1 {
                    "session"
                } else {
                    "sessions"
                }
            )
        };
        Reassessment {
            due: by_days || by_sessions,
            days_since,
            sessions_since,
            reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::domain::time::parse_date(s).unwrap()
    }

    #[test]
    fn reassessment_is_due_by_days_or_sessions() {
        let r = ReassessRule::default();
        let a = r.check(d("2026-01-01"), d("2026-03-31"), 3);
        assert!(!a.due, "{a:?}");
        assert_eq!(a.days_since, 89);
        assert!(a.reason.contains("in 1 day"), "{}", a.reason);
        let a = r.check(d("2026-01-01"), d("2026-04-01"), 3);
        assert!(a.due);
        assert!(a.reason.contains("90 days"));
        let a = r.check(d("2026-01-01"), d("2026-01-20"), 12);
        assert!(a.due);
        assert!(a.reason.contains("12 sessions"));
    }

    #[test]
    fn every_model_has_a_card() {
        for m in EngagementModel::ALL {
            let g = m.guidance();
            assert!(g.fits_when.len() > 40 && g.you_do.len() > 40 && g.watch_for.len() > 20);
        }
    }
}
