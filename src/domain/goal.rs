//! Goals agreed with a client, and 0–10 ratings of progress on them.

use chrono::NaiveDate;
use serde::Serialize;

use super::error::{FieldError, ValidationError};
use super::time::parse_date;
use crate::word_enum;

pub const MAX_GOAL_CHARS: usize = 500;
/// The highest progress rating.
pub const MAX_RATING: u8 = 10;

word_enum! {
    /// Where a goal stands.
    pub enum GoalStatus {
        Active = "active" / "Active",
        Achieved = "achieved" / "Achieved",
        Dropped = "dropped" / "Let go",
    }
}

/// One rating of progress on a goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoalRating {
    pub id: i64,
    pub goal_id: i64,
    pub rated_on: NaiveDate,
    pub rating: u8,
    pub session_id: Option<i64>,
}

/// A goal as stored, with its ratings oldest first. JSON keys are a contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Goal {
    pub id: i64,
    pub client_id: i64,
    pub text: String,
    pub set_on: NaiveDate,
    pub target_on: Option<NaiveDate>,
    pub status: GoalStatus,
    pub ratings: Vec<GoalRating>,
}

impl Goal {
    pub fn first_rating(&self) -> Option<&GoalRating> {
        self.ratings.first()
    }

    pub fn last_rating(&self) -> Option<&GoalRating> {
        self.ratings.last()
    }
}

/// A new goal that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalFields {
    pub text: String,
    pub set_on: NaiveDate,
    pub target_on: Option<NaiveDate>,
}

/// Checks a goal as typed. An empty `set_on` means today.
pub fn check_goal(
    text: &str,
    set_on: &str,
    target_on: &str,
    today: NaiveDate,
) -> Result<GoalFields, ValidationError> {
    let mut errors = Vec::new();
    let t = text.trim();
    if t.is_empty() {
        errors.push(FieldError::new(
            "text",
            "is required; write the goal in the client's words",
        ));
    } else if t.chars().count() > MAX_GOAL_CHARS {
        errors.push(FieldError::new(
            "text",
            format!("is too long (at most {MAX_GOAL_CHARS} characters)"),
        ));
    }
    let set = if set_on.trim().is_empty() {
        Some(today)
    } else {
        match parse_date(set_on) {
            Ok(d) if d > today => {
                errors.push(FieldError::new("set_on", "is in the future"));
                None
            }
            Ok(d) => Some(d),
            Err(why) => {
                errors.push(FieldError::new("set_on", why));
                None
            }
        }
    };
    let target = if target_on.trim().is_empty() {
        None
    } else {
        match parse_date(target_on) {
            Ok(d) => {
                if set.is_some_and(|s| d < s) {
                    errors.push(FieldError::new(
                        "target",
                        "is before the day the goal was set",
                    ));
                }
                Some(d)
            }
            Err(why) => {
                errors.push(FieldError::new("target", why));
                None
            }
        }
    };
    match (errors.is_empty(), set) {
        (true, Some(set_on)) => Ok(GoalFields {
            text: t.to_string(),
            set_on,
            target_on: target,
        }),
        _ => Err(ValidationError { errors }),
    }
}

/// Checks a rating: a whole number from 0 to 10.
pub fn check_rating(n: i64) -> Result<u8, ValidationError> {
    u8::try_from(n)
        .ok()
        .filter(|r| *r <= MAX_RATING)
        .ok_or_else(|| {
            ValidationError::one(
                "rating",
                format!("{n} is not a rating; use a whole number from 0 to {MAX_RATING}"),
            )
        })
}

/// After a session is marked: its client's active goals are rated when they attended and have
/// any. The app opens the rating at once; the command line says how. One rule for both faces.
pub fn rate_after(status: super::session::SessionStatus, active_goals: usize) -> bool {
    status.is_attended() && active_goals > 0
}

/// The rating a key gives in the rating dialog: `0`–`9`, and `x` for 10.
pub fn rating_for_key(c: char) -> Option<u8> {
    match c {
        '0'..='9' => c.to_digit(10).and_then(|d| u8::try_from(d).ok()),
        'x' | 'X' => Some(10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn goals_are_rated_after_an_attended_session_only() {
        use crate::domain::session::SessionStatus;
        assert!(rate_after(SessionStatus::Attended, 2));
        assert!(rate_after(SessionStatus::Late, 1));
        assert!(!rate_after(SessionStatus::Attended, 0));
        assert!(!rate_after(SessionStatus::NoShow, 3));
        assert!(!rate_after(SessionStatus::Scheduled, 3));
    }

    #[test]
    fn goals_are_checked() {
        let today = d("2026-11-23");
        let g = check_goal(" Sleep through most nights ", "", "2027-02-01", today).unwrap();
        assert_eq!(g.text, "Sleep through most nights");
        assert_eq!(g.set_on, today);
        let e = check_goal("", "2026-12-01", "2026-11-01", today).unwrap_err();
        assert!(e.for_field("text").is_some());
        assert!(e.for_field("set_on").unwrap().contains("future"));
        let e = check_goal("x", "2026-11-01", "2026-10-01", today).unwrap_err();
        assert!(e.for_field("target").unwrap().contains("before"));
    }

    #[test]
    fn ratings_run_from_0_to_10() {
        assert_eq!(check_rating(0).unwrap(), 0);
        assert_eq!(check_rating(10).unwrap(), 10);
        assert!(check_rating(11).is_err());
        assert!(check_rating(-1).is_err());
        assert_eq!(rating_for_key('7'), Some(7));
        assert_eq!(rating_for_key('x'), Some(10));
        assert_eq!(rating_for_key('a'), None);
    }
}
