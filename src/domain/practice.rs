//! The practice profile (who the practice is and how to reach it), the cancellation policy as the
//! handout states it, and the practice's questions and answers.

use serde::{Deserialize, Serialize};

use super::cancellation::{OfficeHours, PracticeSettings};
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

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The days the practice is open and their hours, from the practice settings (where the
/// cancellation rules also read them), e.g. ("Monday", "09:00–17:00").
pub fn open_days(hours: &OfficeHours) -> Vec<(String, String)> {
    hours
        .0
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            d.map(|d| {
                (
                    capitalise(WEEKDAYS[i]),
                    format!("{}–{}", d.start.format("%H:%M"), d.end.format("%H:%M")),
                )
            })
        })
        .collect()
}

/// Who the practice is and how clients reach it. Stored as one setting (`practice_profile`).
/// Office hours, remote options and the cancellation policy live in the practice settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PracticeProfile {
    pub practice_name: String,
    pub practitioner_name: String,
    pub phone: String,
    pub email: String,
    pub address: String,
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
    /// The policy as the practice settings state it.
    pub fn from_settings(s: &PracticeSettings) -> Self {
        Self {
            window_hours: s.cancellation_window_hours,
            late_fee: s.late_fee_text.trim().to_string(),
        }
    }

    /// The policy in one or two plain sentences.
    pub fn sentences(&self) -> String {
        let notice = match self.window_hours {
            0 => {
                return "Please let me know as soon as you can if you can't come. There is no fee for cancelling.".to_string();
            }
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
            format!("{notice} {}", self.late_fee.trim())
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
        for word in [
            "regular",
            "in person",
            "cancel",
            "contact",
            "private",
            "decide",
            "first",
            "end",
        ] {
            assert!(all.contains(word), "{word}");
        }
    }

    #[test]
    fn open_days_come_from_the_settings() {
        let days = open_days(&OfficeHours::default());
        assert_eq!(days.len(), 5);
        assert_eq!(days[0], ("Monday".to_string(), "09:00–17:00".to_string()));
    }

    #[test]
    fn the_profile_reports_every_problem() {
        let p = PracticeProfile {
            practice_name: "x".repeat(121),
            phone: "a\nb".into(),
            ..Default::default()
        };
        let e = p.validate().unwrap_err();
        assert!(e.for_field("practice_name").is_some());
        assert!(e.for_field("phone").unwrap().contains("one line"));
    }

    #[test]
    fn the_policy_in_words() {
        assert_eq!(
            CancellationPolicy::default().sentences(),
            "Please give at least 24 hours' notice if you can't come. There is no fee for a late cancellation."
        );
        let p = CancellationPolicy::from_settings(&PracticeSettings {
            cancellation_window_hours: 48,
            late_fee_text: " The full fee is charged. ".into(),
            ..Default::default()
        });
        assert!(p.sentences().contains("2 days' notice"));
        assert!(
            p.sentences()
                .ends_with("can't come. The full fee is charged.")
        );
    }
}
