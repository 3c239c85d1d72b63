//! The boundary log and the consultation log.

use chrono::NaiveDate;
use serde::Serialize;

use super::error::{FieldError, ValidationError};
use super::time::parse_date;
use crate::word_enum;

word_enum! {
    /// What kind of boundary was crossed.
    pub enum BoundaryKind {
        AfterHoursContact = "after_hours_contact" / "Contact after hours",
        UnplannedContact = "unplanned_contact" / "Unplanned contact",
        LatePayment = "late_payment" / "Late payment",
        RepeatedLateCancellation = "repeated_late_cancellation" / "Repeated late cancellation",
        DisrespectfulConduct = "disrespectful_conduct" / "Disrespectful conduct",
        UnrealisticDemand = "unrealistic_demand" / "Unrealistic demand",
        Other = "other" / "Other",
    }
}

/// One entry in a client's boundary log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoundaryIncident {
    pub id: i64,
    pub client_id: i64,
    pub occurred_on: NaiveDate,
    pub kind: BoundaryKind,
    pub note: Option<String>,
}

const MAX_NOTE_CHARS: usize = 2000;
const MAX_LINE_CHARS: usize = 200;

/// A date as typed, or today when empty; never in the future.
pub fn check_day(field: &'static str, s: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    if s.trim().is_empty() {
        return Ok(today);
    }
    let d = parse_date(s).map_err(|why| FieldError::new(field, why))?;
    if d > today {
        return Err(FieldError::new(field, "is in the future"));
    }
    Ok(d)
}

/// Optional free text: trimmed, `None` when empty.
pub fn check_text(field: &'static str, s: &str, max: usize) -> Result<Option<String>, FieldError> {
    let t = s.trim();
    if t.is_empty() {
        Ok(None)
    } else if t.chars().count() > max {
        Err(FieldError::new(
            field,
            format!("is too long (at most {max} characters)"),
        ))
    } else {
        Ok(Some(t.to_string()))
    }
}

/// Checks a boundary note and date. Returns (date, note).
pub fn check_incident(
    at: &str,
    note: &str,
    today: NaiveDate,
) -> Result<(NaiveDate, Option<String>), ValidationError> {
    let d = check_day("at", at, today);
    let n = check_text("note", note, MAX_NOTE_CHARS);
    match (d, n) {
        (Ok(d), Ok(n)) => Ok((d, n)),
        (d, n) => Err(ValidationError {
            errors: [d.err(), n.err()].into_iter().flatten().collect(),
        }),
    }
}

/// One consultation with a colleague. JSON shows a linked client by initials only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Consultation {
    pub id: i64,
    pub held_on: NaiveDate,
    pub colleague: String,
    pub topic: String,
    pub notes: Option<String>,
    pub to_try: Option<String>,
    pub client_id: Option<i64>,
    pub client_initials: Option<String>,
}

/// A consultation as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsultInput {
    pub held_on: String,
    pub colleague: String,
    pub topic: String,
    pub notes: String,
    pub to_try: String,
    pub client_id: Option<i64>,
}

/// A consultation that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsultFields {
    pub held_on: NaiveDate,
    pub colleague: String,
    pub topic: String,
    pub notes: Option<String>,
    pub to_try: Option<String>,
    pub client_id: Option<i64>,
}

impl ConsultInput {
    pub fn validate(&self, today: NaiveDate) -> Result<ConsultFields, ValidationError> {
        let mut errors = Vec::new();
        let held_on = check_day("at", &self.held_on, today)
            .map_err(|e| errors.push(e))
            .ok();
        let mut required = |field: &'static str, v: &str| match check_text(field, v, MAX_LINE_CHARS)
        {
            Ok(Some(v)) if v.chars().any(char::is_control) => {
                errors.push(FieldError::new(field, "must be on one line"));
                None
            }
            Ok(Some(v)) => Some(v),
            Ok(None) => {
                errors.push(FieldError::new(field, "is required"));
                None
            }
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let colleague = required("colleague", &self.colleague);
        let topic = required("topic", &self.topic);
        let notes = check_text("notes", &self.notes, MAX_NOTE_CHARS)
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        let to_try = check_text("try", &self.to_try, MAX_NOTE_CHARS)
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        match (held_on, colleague, topic) {
            (Some(held_on), Some(colleague), Some(topic)) if errors.is_empty() => {
                Ok(ConsultFields {
                    held_on,
                    colleague,
                    topic,
                    notes,
                    to_try,
                    client_id: self.client_id,
                })
            }
            _ => Err(ValidationError { errors }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incidents_default_to_today_and_refuse_the_future() {
        let today = parse_date("2026-11-23").unwrap();
        assert_eq!(check_incident("", " ", today).unwrap(), (today, None));
        let e = check_incident("2026-11-24", &"x".repeat(2001), today).unwrap_err();
        assert_eq!(e.errors.len(), 2);
    }

    #[test]
    fn consultations_need_a_colleague_and_a_topic() {
        let today = parse_date("2026-11-23").unwrap();
        let e = ConsultInput::default().validate(today).unwrap_err();
        assert!(e.for_field("colleague").is_some());
        assert!(e.for_field("topic").is_some());
        let ok = ConsultInput {
            colleague: "Dr Ada Quinn".into(),
            topic: "Stuck on goals".into(),
            ..Default::default()
        }
        .validate(today)
        .unwrap();
        assert_eq!(ok.held_on, today);
        assert_eq!(ok.notes, None);
    }
}
