//! The practice profile (who the practice is and how to reach it), the cancellation policy as the
//! handout states it, and the practice's questions and answers.

use serde::{Deserialize, Serialize};

use super::client::ContactMethod;
use super::error::{FieldError, ValidationError};

/// The days of the week, Monday first, as words in the profile.
pub const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// When the practice is open, one entry per weekday (Monday first). An empty entry is closed.
/// Each entry is one or more ranges, e.g. `09:00-12:00, 13:00-17:00`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OfficeHours {
    pub monday: String,
    pub tuesday: String,
    pub wednesday: String,
    pub thursday: String,
    pub friday: String,
    pub saturday: String,
    pub sunday: String,
}

impl OfficeHours {
    /// The entry for a weekday (0 = Monday).
    pub fn day(&self, i: usize) -> &str {
        match i {
            0 => &self.monday,
            1 => &self.tuesday,
            2 => &self.wednesday,
            3 => &self.thursday,
            4 => &self.friday,
            5 => &self.saturday,
            _ => &self.sunday,
        }
    }

    pub fn day_mut(&mut self, i: usize) -> &mut String {
        match i {
            0 => &mut self.monday,
            1 => &mut self.tuesday,
            2 => &mut self.wednesday,
            3 => &mut self.thursday,
            4 => &mut self.friday,
            5 => &mut self.saturday,
            _ => &mut self.sunday,
        }
    }

    /// "Monday", "Tuesday", … with their hours, skipping closed days.
    pub fn open_days(&self) -> Vec<(String, String)> {
        (0..7)
            .filter(|i| !self.day(*i).trim().is_empty())
            .map(|i| (capitalise(WEEKDAYS[i]), self.day(i).trim().to_string()))
            .collect()
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Checks one day's hours: ranges `HH:MM-HH:MM` separated by commas, each ending after it starts.
pub fn check_hours(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s.is_empty() || s.eq_ignore_ascii_case("closed") {
        return Ok(String::new());
    }
    let mut out = Vec::new();
    for part in s.split(',') {
        let part = part.trim();
        let (a, b) = part
            .split_once(['-', '–'])
            .ok_or_else(|| format!("“{part}” is not a range of hours; type it like 09:00-17:00"))?;
        let t = |x: &str| {
            chrono::NaiveTime::parse_from_str(x.trim(), "%H:%M")
                .map_err(|_| format!("“{}” is not a time; type it as HH:MM", x.trim()))
        };
        let (from, to) = (t(a)?, t(b)?);
        if to <= from {
            return Err(format!("{part} ends before it starts"));
        }
        out.push(format!("{}-{}", from.format("%H:%M"), to.format("%H:%M")));
    }
    Ok(out.join(", "))
}

/// Who the practice is and how clients reach it. Stored as one setting (`practice_profile`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PracticeProfile {
    pub practice_name: String,
    pub practitioner_name: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub office_hours: OfficeHours,
    /// How clients may get in touch between sessions.
    pub contact_channels: Vec<ContactMethod>,
    /// The reply time a client can expect, in words ("within one working day").
    pub reply_time: String,
    /// What to do in an emergency, in words.
    pub emergency: String,
}

impl PracticeProfile {
    /// Checks the profile as typed; returns it tidied (trimmed, hours normalised).
    pub fn validate(&self) -> Result<PracticeProfile, ValidationError> {
        let mut errors = Vec::new();
        let mut out = self.clone();
        let mut line = |field: &'static str, v: &mut String, max: usize| {
            *v = v.trim().to_string();
            if v.chars().count() > max {
                errors.push(FieldError::new(
                    field,
                    format!("is too long (at most {max} characters)"),
                ));
            } else if v.chars().any(char::is_control) {
                errors.push(FieldError::new(field, "must be on one line"));
            }
        };
        line("practice_name", &mut out.practice_name, 120);
        line("practitioner_name", &mut out.practitioner_name, 120);
        line("phone", &mut out.phone, 40);
        line("email", &mut out.email, 254);
        line("address", &mut out.address, 300);
        line("reply_time", &mut out.reply_time, 200);
        out.emergency = out.emergency.trim().to_string();
        if out.emergency.chars().count() > 1000 {
            errors.push(FieldError::new(
                "emergency",
                "is too long (at most 1000 characters)",
            ));
        }
        for i in 0..7 {
            match check_hours(self.office_hours.day(i)) {
                Ok(h) => *out.office_hours.day_mut(i) = h,
                Err(why) => errors.push(FieldError::new("office_hours", format!("{}: {why}", capitalise(WEEKDAYS[i])))),
            }
        }
        let mut seen = Vec::new();
        for c in &self.contact_channels {
            if !seen.contains(c) {
                seen.push(*c);
            }
        }
        out.contact_channels = seen;
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(ValidationError { errors })
        }
    }
}

/// The cancellation policy as the handout states it. Until the practice's cancellation settings
/// say otherwise: 24 hours' notice and no fee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CancellationPolicy {
    pub window_hours: u32,
    /// The fee for a late cancellation or no-show, in the practice's words; none when empty.
    pub late_fee: String,
}

impl Default for CancellationPolicy {
    fn default() -> Self {
        Self {
            window_hours: 24,
            late_fee: String::new(),
        }
    }
}

impl CancellationPolicy {
    /// The policy in one or two plain sentences.
    pub fn sentences(&self) -> String {
        let notice = match self.window_hours {
            0 => "Please let me know as soon as you can if you can't come.".to_string(),
            1 => "Please give at least 1 hour's notice if you can't come.".to_string(),
            h if h % 24 == 0 && h > 24 => format!(
                "Please give at least {} days' notice if you can't come.",
                h / 24
            ),
            h => format!("Please give at least {h} hours' notice if you can't come."),
        };
        if self.late_fee.trim().is_empty() {
            format!("{notice} There is no fee for a late cancellation.")
        } else {
            format!(
                "{notice} For a later cancellation or a missed session: {}",
                self.late_fee.trim()
            )
        }
    }
}

/// One question and its answer, as stored (in the practice's order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QaItem {
    pub id: i64,
    pub position: i64,
    pub question: String,
    pub answer: String,
}

pub const MAX_QUESTION_CHARS: usize = 300;
pub const MAX_ANSWER_CHARS: usize = 4000;

/// Checks a question and answer as typed; returns them trimmed.
pub fn check_qa(question: &str, answer: &str) -> Result<(String, String), ValidationError> {
    let mut errors = Vec::new();
    let q = question.trim();
    let a = answer.trim();
    if q.is_empty() {
        errors.push(FieldError::new("question", "is required"));
    } else if q.chars().count() > MAX_QUESTION_CHARS {
        errors.push(FieldError::new(
            "question",
            format!("is too long (at most {MAX_QUESTION_CHARS} characters)"),
        ));
    } else if q.chars().any(char::is_control) {
        errors.push(FieldError::new("question", "must be on one line"));
    }
    if a.is_empty() {
        errors.push(FieldError::new("answer", "is required"));
    } else if a.chars().count() > MAX_ANSWER_CHARS {
        errors.push(FieldError::new(
            "answer",
            format!("is too long (at most {MAX_ANSWER_CHARS} characters)"),
        ));
    }
    if errors.is_empty() {
        Ok((q.to_string(), a.to_string()))
    } else {
        Err(ValidationError { errors })
    }
}

#[derive(Debug, Deserialize)]
struct QaFile {
    item: Vec<QaDefault>,
}

/// A default question and answer from `assets/qa_defaults.toml`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct QaDefault {
    pub question: String,
    pub answer: String,
}

const QA_DEFAULTS: &str = include_str!("../../assets/qa_defaults.toml");

/// The questions and answers a new practice starts with.
pub fn qa_defaults() -> Vec<QaDefault> {
    toml::from_str::<QaFile>(QA_DEFAULTS)
        .map(|f| f.item)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_cover_the_eight_topics_and_pass_the_checks() {
        let d = qa_defaults();
        assert_eq!(d.len(), 8);
        for item in &d {
            assert!(check_qa(&item.question, &item.answer).is_ok(), "{item:?}");
            assert!(!item.answer.contains('\\'), "line joins left in {item:?}");
        }
        let all: String = d.iter().map(|i| i.question.to_lowercase()).collect();
        for word in ["regular", "in person", "cancel", "contact", "private", "decide", "first", "end"] {
            assert!(all.contains(word), "{word}");
        }
    }

    #[test]
    fn hours_are_checked_and_tidied() {
        assert_eq!(check_hours(" 9:00-17:00 ").unwrap(), "09:00-17:00");
        assert_eq!(check_hours("9-17:00").unwrap_err(), "“9” is not a time; type it as HH:MM");
        assert_eq!(check_hours("09:00 - 12:00,13:00-17:30").unwrap(), "09:00-12:00, 13:00-17:30");
        assert_eq!(check_hours("closed").unwrap(), "");
        assert!(check_hours("17:00-09:00").unwrap_err().contains("ends before"));
        assert!(check_hours("morning").unwrap_err().contains("range"));
    }

    #[test]
    fn the_profile_reports_every_problem() {
        let mut p = PracticeProfile {
            practice_name: "x".repeat(121),
            ..Default::default()
        };
        p.office_hours.monday = "9-5".into();
        let e = p.validate().unwrap_err();
        assert!(e.for_field("practice_name").is_some());
        assert!(e.for_field("office_hours").unwrap().starts_with("Monday"));
    }

    #[test]
    fn the_policy_in_words() {
        assert_eq!(
            CancellationPolicy::default().sentences(),
            "Please give at least 24 hours' notice if you can't come. There is no fee for a late cancellation."
        );
        let p = CancellationPolicy {
            window_hours: 48,
            late_fee: "the full fee.".into(),
        };
        assert!(p.sentences().contains("2 days' notice"));
        assert!(p.sentences().ends_with("the full fee."));
    }
}
