//! Ending care: the reason, an optional referral, a closing note, and the transition summary.

use chrono::NaiveDate;
use serde::Serialize;

use super::client::ClientStatus;
use super::document::{Block, Document};
use super::error::{FieldError, ValidationError};
use super::goal::{Goal, GoalStatus};
use crate::word_enum;

word_enum! {
    /// Why care ended.
    pub enum DischargeReason {
        GoalsMet = "goals_met" / "Goals met",
        ClientChoice = "client_choice" / "The client's choice",
        NeedsOutsideScope = "needs_outside_scope" / "Needs outside this practice's scope",
        NotProductive = "not_productive" / "The work was no longer helping",
        Moved = "moved" / "Moved away",
        Other = "other" / "Other",
    }
}

/// Who the client was referred to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Referral {
    pub name: String,
    pub profession: Option<String>,
    pub contact: Option<String>,
    pub why: Option<String>,
}

/// A discharge as typed (the flow's fields or the command's flags).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DischargeInput {
    pub reason: Option<DischargeReason>,
    pub referral_name: String,
    pub referral_profession: String,
    pub referral_contact: String,
    pub referral_why: String,
    pub note: String,
}

/// A discharge that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DischargeFields {
    pub reason: DischargeReason,
    pub referral: Option<Referral>,
    pub note: Option<String>,
}

impl DischargeFields {
    /// The status the client moves to: referred out when there is a referral.
    pub fn to_status(&self) -> ClientStatus {
        if self.referral.is_some() {
            ClientStatus::ReferredOut
        } else {
            ClientStatus::Discharged
        }
    }
}

fn line(field: &'static str, v: &str, max: usize, errors: &mut Vec<FieldError>) -> Option<String> {
    let t = v.trim();
    if t.is_empty() {
        None
    } else if t.chars().count() > max {
        errors.push(FieldError::new(
            field,
            format!("is too long (at most {max} characters)"),
        ));
        None
    } else if t.chars().any(char::is_control) {
        errors.push(FieldError::new(field, "must be on one line"));
        None
    } else {
        Some(t.to_string())
    }
}

impl DischargeInput {
    pub fn validate(&self) -> Result<DischargeFields, ValidationError> {
        let mut errors = Vec::new();
        if self.reason.is_none() {
            errors.push(FieldError::new(
                "reason",
                "is required: goals_met, client_choice, needs_outside_scope, not_productive, moved or other",
            ));
        }
        let name = line("referral_name", &self.referral_name, 200, &mut errors);
        let profession = line(
            "referral_profession",
            &self.referral_profession,
            200,
            &mut errors,
        );
        let contact = line("referral_contact", &self.referral_contact, 300, &mut errors);
        let why = {
            let t = self.referral_why.trim();
            if t.chars().count() > 2000 {
                errors.push(FieldError::new(
                    "referral_why",
                    "is too long (at most 2000 characters)",
                ));
            }
            Some(t.to_string()).filter(|s| !s.is_empty())
        };
        if name.is_none()
            && self.referral_name.trim().is_empty()
            && (profession.is_some() || contact.is_some() || why.is_some())
        {
            errors.push(FieldError::new(
                "referral_name",
                "is needed for a referral: who is the client being referred to?",
            ));
        }
        let note = self.note.trim();
        if note.chars().count() > 10_000 {
            errors.push(FieldError::new(
                "note",
                "is too long (at most 10000 characters)",
            ));
        }
        match self.reason {
            Some(reason) if errors.is_empty() => Ok(DischargeFields {
                reason,
                referral: name.map(|name| Referral {
                    name,
                    profession,
                    contact,
                    why,
                }),
                note: Some(note.to_string()).filter(|s| !s.is_empty()),
            }),
            _ => Err(ValidationError { errors }),
        }
    }
}

/// A discharge as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Discharge {
    pub id: i64,
    pub client_id: i64,
    pub discharged_on: NaiveDate,
    pub reason: DischargeReason,
    pub status: ClientStatus,
    pub referral: Option<Referral>,
    pub closing_note: Option<String>,
    pub cancelled_sessions: u32,
}

/// A measure's first and last results with their bands (filled once assessments exist).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureEnds {
    pub name: String,
    pub first: (NaiveDate, f64, String),
    pub last: (NaiveDate, f64, String),
}

/// Everything the transition summary says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TransitionSummary {
    pub client_name: String,
    pub born: Option<NaiveDate>,
    pub status: ClientStatus,
    pub care_from: NaiveDate,
    /// The day care ended; `None` while it goes on.
    pub care_to: Option<NaiveDate>,
    pub first_session: Option<NaiveDate>,
    pub last_session: Option<NaiveDate>,
    pub attended: u32,
    pub attended_late: u32,
    pub no_shows: u32,
    /// Cancelled in time, not counting the sessions the discharge itself cancelled.
    pub cancelled: u32,
    pub late_cancelled: u32,
    /// Future sessions cancelled by ending care: not part of attendance, listed apart.
    pub cancelled_at_discharge: u32,
    pub engagement_models: Vec<String>,
    pub goals: Vec<Goal>,
    pub measures: Vec<MeasureEnds>,
    pub discharge: Option<Discharge>,
    /// Whether the practitioner chose to include the closing note.
    pub include_note: bool,
    pub practitioner: String,
    pub practice: String,
}

fn day(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

fn score(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

impl TransitionSummary {
    pub fn document(&self, on: NaiveDate) -> Document {
        let mut d = Document::new(format!("Transition summary · {}", self.client_name));
        let mut who = vec![("Client".to_string(), self.client_name.clone())];
        if let Some(b) = self.born {
            who.push(("Born".into(), day(b)));
        }
        who.push((
            "Care".into(),
            match self.care_to {
                Some(to) => format!("{} to {}", day(self.care_from), day(to)),
                None => format!("since {} (ongoing)", day(self.care_from)),
            },
        ));
        who.push(("Status".into(), self.status.label().to_string()));
        if !self.practitioner.trim().is_empty() || !self.practice.trim().is_empty() {
            let by = [self.practitioner.trim(), self.practice.trim()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            who.push(("Practitioner".into(), by));
        }
        d.push(Block::Fields(who));

        d.push(Block::Heading("Sessions".into()));
        let mut s = vec![(
            "Attended".into(),
            if self.attended_late > 0 {
                format!(
                    "{} (of them {} late)",
                    self.attended + self.attended_late,
                    self.attended_late
                )
            } else {
                self.attended.to_string()
            },
        )];
        s.push(("Missed (no-show)".into(), self.no_shows.to_string()));
        s.push(("Cancelled late".into(), self.late_cancelled.to_string()));
        s.push(("Cancelled in time".into(), self.cancelled.to_string()));
        if self.cancelled_at_discharge > 0 {
            s.push((
                "Future sessions cancelled at discharge".into(),
                self.cancelled_at_discharge.to_string(),
            ));
        }
        if let (Some(a), Some(b)) = (self.first_session, self.last_session) {
            s.push(("First and last".into(), format!("{} · {}", day(a), day(b))));
        }
        d.push(Block::Fields(s));

        if !self.engagement_models.is_empty() {
            d.push(Block::Heading("How we worked".into()));
            d.push(Block::List(self.engagement_models.clone()));
        }

        d.push(Block::Heading("Goals".into()));
        if self.goals.is_empty() {
            d.push(Block::Para("No goals were recorded.".into()));
        } else {
            let items = self
                .goals
                .iter()
                .map(|g| {
                    let status = match g.status {
                        GoalStatus::Active => "still open",
                        GoalStatus::Achieved => "achieved",
                        GoalStatus::Dropped => "let go",
                    };
                    let ratings = match (g.first_rating(), g.last_rating()) {
                        (Some(a), Some(b)) if a.id != b.id => {
                            format!(
                                "; rated {}/10 at first, {}/10 at the end",
                                a.rating, b.rating
                            )
                        }
                        (Some(a), _) => format!("; rated {}/10", a.rating),
                        _ => String::new(),
                    };
                    format!("{} — {status} (set {}){ratings}", g.text, day(g.set_on))
                })
                .collect();
            d.push(Block::List(items));
        }

        if !self.measures.is_empty() {
            d.push(Block::Heading("Measures".into()));
            d.push(Block::List(
                self.measures
                    .iter()
                    .map(|m| {
                        format!(
                            "{}: {} ({}) on {}, then {} ({}) on {}",
                            m.name,
                            score(m.first.1),
                            m.first.2,
                            day(m.first.0),
                            score(m.last.1),
                            m.last.2,
                            day(m.last.0)
                        )
                    })
                    .collect(),
            ));
        }

        if let Some(dc) = &self.discharge {
            d.push(Block::Heading("Ending".into()));
            d.push(Block::Fields(vec![
                ("Ended".into(), day(dc.discharged_on)),
                ("Reason".into(), dc.reason.label().to_string()),
            ]));
            if let Some(r) = &dc.referral {
                d.push(Block::Heading("Referral".into()));
                let mut f = vec![("Referred to".to_string(), r.name.clone())];
                if let Some(p) = &r.profession {
                    f.push(("Profession".into(), p.clone()));
                }
                if let Some(c) = &r.contact {
                    f.push(("Contact".into(), c.clone()));
                }
                if let Some(w) = &r.why {
                    f.push(("Why".into(), w.clone()));
                }
                d.push(Block::Fields(f));
            }
            if self.include_note
                && let Some(n) = &dc.closing_note
            {
                d.push(Block::Heading("Closing note".into()));
                d.push(Block::Para(n.clone()));
            }
        }
        d.push(Block::Footer(format!(
            "Prepared on {}. Session notes are not included.",
            day(on)
        )));
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_referral_needs_a_name_and_sets_referred_out() {
        let mut i = DischargeInput {
            reason: Some(DischargeReason::NeedsOutsideScope),
            referral_contact: "555-0199".into(),
            ..Default::default()
        };
        let e = i.validate().unwrap_err();
        assert!(e.for_field("referral_name").is_some());
        i.referral_name = "Dr Lee".into();
        let f = i.validate().unwrap();
        assert_eq!(f.to_status(), ClientStatus::ReferredOut);
        assert_eq!(f.referral.unwrap().contact.as_deref(), Some("555-0199"));
    }

    #[test]
    fn a_reason_is_required() {
        let e = DischargeInput::default().validate().unwrap_err();
        assert!(e.for_field("reason").unwrap().contains("goals_met"));
        let f = DischargeInput {
            reason: Some(DischargeReason::GoalsMet),
            note: "  ".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(f.to_status(), ClientStatus::Discharged);
        assert_eq!(f.note, None);
    }
}
