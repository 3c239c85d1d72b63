//! A client's copy of their record: the whole chart as one printable document (or JSON).
//!
//! The store gathers a [`ClientRecord`]; [`ClientRecord::within`] keeps what falls in a period;
//! [`ClientRecord::document`] lays it out on the shared document model, so the HTML is escaped
//! and prints cleanly like every other document.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::assessment::{Assessment, ModelChoice};
use super::boundary::BoundaryIncident;
use super::cancellation::Cancellation;
use super::client::Client;
use super::discharge::Discharge;
use super::document::{Block, Document};
use super::goal::Goal;
use super::note::Note;
use super::practice::PracticeProfile;
use super::session::Session;
use crate::word_enum;

word_enum! {
    /// The format of a client's record.
    pub enum RecordFormat {
        Html = "html" / "Web page (printable)",
        Pdf = "pdf" / "PDF",
        Json = "json" / "JSON",
    }
}

/// A change of the client's status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusEvent {
    pub from_status: Option<String>,
    pub to_status: String,
    #[serde(serialize_with = "super::time::serialize_instant")]
    pub changed_at: DateTime<Utc>,
}

/// An audit entry about the client's records.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditLine {
    #[serde(serialize_with = "super::time::serialize_instant")]
    pub at: DateTime<Utc>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub detail: Option<String>,
}

/// A session with the cancellation request made about it, if any.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordSession {
    #[serde(flatten)]
    pub session: Session,
    pub cancellation: Option<Cancellation>,
}

/// Everything the practice holds about one client.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClientRecord {
    pub client: Client,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub status_history: Vec<StatusEvent>,
    pub sessions: Vec<RecordSession>,
    pub notes: Vec<Note>,
    pub assessments: Vec<Assessment>,
    pub engagement_models: Vec<ModelChoice>,
    pub goals: Vec<Goal>,
    pub boundaries: Vec<BoundaryIncident>,
    pub discharges: Vec<Discharge>,
    pub audit: Vec<AuditLine>,
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn day(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

impl ClientRecord {
    /// Keeps only what happened from `from` to `to` (both days included; either may be open).
    /// The client's details are always kept.
    pub fn within(mut self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> ClientRecord {
        let keep = |d: NaiveDate| from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t);
        self.from = from;
        self.to = to;
        self.status_history
            .retain(|e| keep(e.changed_at.date_naive()));
        self.sessions.retain(|s| keep(s.session.starts_at.date()));
        self.notes.retain(|n| {
            keep(
                n.session_starts_at
                    .map_or(n.created_at.date_naive(), |s| s.date()),
            )
        });
        self.assessments.retain(|a| keep(a.administered_at));
        self.engagement_models
            .retain(|m| keep(m.chosen_at.date_naive()));
        for g in &mut self.goals {
            g.ratings.retain(|r| keep(r.rated_on));
        }
        self.goals
            .retain(|g| keep(g.set_on) || !g.ratings.is_empty());
        self.boundaries.retain(|b| keep(b.occurred_on));
        self.discharges.retain(|d| keep(d.discharged_on));
        self.audit.retain(|a| keep(a.at.date_naive()));
        self
    }

    /// The record laid out for reading and printing.
    pub fn document(&self, practice: &PracticeProfile, today: NaiveDate) -> Document {
        let c = &self.client;
        let mut doc = Document::new(format!("Record of {}", c.name));
        let period = match (self.from, self.to) {
            (None, None) => "the whole record".to_string(),
            (Some(f), None) => format!("from {}", day(f)),
            (None, Some(t)) => format!("up to {}", day(t)),
            (Some(f), Some(t)) => format!("from {} to {}", day(f), day(t)),
        };
        let by = [
            practice.practice_name.as_str(),
            practice.practitioner_name.as_str(),
        ]
        .iter()
        .filter(|s| !s.trim().is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
        doc.push(Block::Para(format!(
            "Kept by {}. Made on {}; it covers {period}.",
            if by.is_empty() { "the practice" } else { &by },
            day(today)
        )));

        doc.push(Block::Heading("Details".into()));
        let opt = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        let mut fields = vec![("Name".to_string(), c.name.clone())];
        for (label, v) in [
            ("Preferred name", opt(&c.preferred_name)),
            ("Pronouns", opt(&c.pronouns)),
            ("Born", c.born.map(day)),
            ("Phone", opt(&c.phone)),
            ("Email", opt(&c.email)),
            (
                "Preferred contact",
                c.preferred_contact.map(|m| m.label().to_string()),
            ),
            ("Emergency contact", opt(&c.emergency_contact)),
        ] {
            if let Some(v) = v {
                fields.push((label.to_string(), v));
            }
        }
        let consent = match c.telehealth_consent_date {
            Some(d) => format!("{} (since {})", c.telehealth_consent.label(), day(d)),
            None => c.telehealth_consent.label().to_string(),
        };
        fields.push(("Phone or video sessions".into(), consent));
        fields.push(("Status".into(), c.status.label().to_string()));
        fields.push(("First seen (intake)".into(), day(c.intake_date)));
        doc.push(Block::Fields(fields));
        if !self.status_history.is_empty() {
            doc.push(Block::List(
                self.status_history
                    .iter()
                    .map(|e| {
                        format!(
                            "{}: status {} → {}",
                            stamp(e.changed_at),
                            e.from_status.as_deref().unwrap_or("new"),
                            e.to_status
                        )
                    })
                    .collect(),
            ));
        }

        section(
            &mut doc,
            "Sessions",
            self.sessions.iter().map(session_line).collect(),
        );
        doc.push(Block::Heading("Progress notes".into()));
        if self.notes.is_empty() {
            doc.push(Block::Para("None.".into()));
        }
        for n in &self.notes {
            doc.push(Block::Fields(note_fields(n)));
        }
        doc.push(Block::Heading("Assessments".into()));
        if self.assessments.is_empty() {
            doc.push(Block::Para("None.".into()));
        }
        for a in &self.assessments {
            doc.push(Block::Fields(assessment_fields(a)));
        }
        section(
            &mut doc,
            "Ways of working (engagement model)",
            self.engagement_models
                .iter()
                .map(|m| {
                    let mut s = format!("{}: {}", stamp(m.chosen_at), m.model.label());
                    if let Some(r) = &m.recommended {
                        s.push_str(&format!(" (the assessment put {r} first)"));
                    }
                    if let Some(r) = &m.reason {
                        s.push_str(&format!("; why: {r}"));
                    }
                    s
                })
                .collect(),
        );
        section(
            &mut doc,
            "Goals",
            self.goals.iter().map(goal_line).collect(),
        );
        section(
            &mut doc,
            "Boundaries",
            self.boundaries
                .iter()
                .map(|b| {
                    let mut s = format!("{}: {}", day(b.occurred_on), b.kind.label());
                    if let Some(n) = &b.note {
                        s.push_str(&format!(" — {n}"));
                    }
                    s
                })
                .collect(),
        );
        doc.push(Block::Heading("Discharge and referral".into()));
        if self.discharges.is_empty() {
            doc.push(Block::Para("None.".into()));
        }
        for d in &self.discharges {
            let mut f = vec![
                ("Care ended".to_string(), day(d.discharged_on)),
                ("Reason".to_string(), d.reason.label().to_string()),
                ("Status".to_string(), d.status.label().to_string()),
            ];
            if let Some(r) = &d.referral {
                let mut s = r.name.clone();
                for part in [&r.profession, &r.contact].into_iter().flatten() {
                    s.push_str(&format!(", {part}"));
                }
                f.push(("Referred to".into(), s));
                if let Some(w) = &r.why {
                    f.push(("Why this referral".into(), w.clone()));
                }
            }
            if let Some(n) = &d.closing_note {
                f.push(("Closing note".into(), n.clone()));
            }
            doc.push(Block::Fields(f));
        }
        section(
            &mut doc,
            "Audit trail (changes to these records)",
            self.audit
                .iter()
                .map(|a| {
                    let mut s = format!("{} · {}", stamp(a.at), a.action.replace('_', " "));
                    if let Some(id) = a.entity_id {
                        s.push_str(&format!(" · {} {id}", a.entity));
                    }
                    if let Some(d) = &a.detail {
                        s.push_str(&format!(" · {d}"));
                    }
                    s
                })
                .collect(),
        );
        doc.push(Block::Footer(format!(
            "A copy of the record of {} kept by {}, made on {}. Times marked UTC are in Coordinated Universal Time; session times are local.",
            c.name,
            if by.is_empty() { "the practice" } else { &by },
            day(today)
        )));
        doc
    }
}

fn section(doc: &mut Document, title: &str, lines: Vec<String>) {
    doc.push(Block::Heading(title.into()));
    if lines.is_empty() {
        doc.push(Block::Para("None.".into()));
    } else {
        doc.push(Block::List(lines));
    }
}

fn session_line(s: &RecordSession) -> String {
    let x = &s.session;
    let mut line = format!(
        "{} · {} min · {} · {}",
        x.starts_at.format("%a %-d %b %Y %H:%M"),
        x.minutes,
        x.modality.label(),
        x.status.label()
    );
    if let Some(c) = &s.cancellation {
        line.push_str(&format!(
            " — asked to cancel on {} by the {} ({}); offered: {}; outcome: {}",
            stamp(c.requested_at),
            c.by.label(),
            c.reason.label(),
            if c.offered.is_empty() {
                "nothing".to_string()
            } else {
                c.offered
                    .iter()
                    .map(|a| a.label().to_lowercase())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            c.outcome.label()
        ));
        if let Some(n) = &c.note {
            line.push_str(&format!("; note: {n}"));
        }
    }
    line
}

fn note_fields(n: &Note) -> Vec<(String, String)> {
    let when = match n.session_starts_at {
        Some(s) => format!("Session of {}", s.format("%a %-d %b %Y %H:%M")),
        None => format!("Written {}", stamp(n.created_at)),
    };
    let state = match n.signed_at {
        Some(t) => format!("signed {}", stamp(t)),
        None => "draft (not signed)".to_string(),
    };
    let mut f = vec![(
        "Note".to_string(),
        format!("{when} · {} · {state}", n.template.label()),
    )];
    for (section, text) in n
        .sections
        .template()
        .sections()
        .iter()
        .zip(n.sections.sections())
    {
        if !text.trim().is_empty() {
            f.push((section.title.to_string(), text.clone()));
        }
    }
    for a in &n.addenda {
        f.push((format!("Addendum {}", stamp(a.created_at)), a.text.clone()));
    }
    f
}

fn assessment_fields(a: &Assessment) -> Vec<(String, String)> {
    let title = if a.title.is_empty() {
        a.instrument.clone()
    } else {
        a.title.clone()
    };
    let mut f = vec![
        (
            "Assessment".to_string(),
            format!("{title} (version {})", a.version),
        ),
        ("Given on".to_string(), day(a.administered_at)),
        ("Total".to_string(), a.total.to_string()),
    ];
    if let Some(b) = &a.band {
        f.push(("Band".into(), b.clone()));
    }
    f.push((
        "Answers".into(),
        a.answers
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{}: {v}", i + 1))
            .collect::<Vec<_>>()
            .join(", "),
    ));
    if !a.subscales.is_empty() {
        f.push((
            "Subscales".into(),
            a.subscales
                .iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    for flag in &a.flags {
        f.push(("Flag".into(), flag.message.clone()));
    }
    f
}

fn goal_line(g: &Goal) -> String {
    let mut s = format!("{} — {}; set {}", g.text, g.status.label(), day(g.set_on));
    if let Some(t) = g.target_on {
        s.push_str(&format!(", target {}", day(t)));
    }
    if !g.ratings.is_empty() {
        let r: Vec<String> = g
            .ratings
            .iter()
            .map(|r| format!("{} {}/10", r.rated_on, r.rating))
            .collect();
        s.push_str(&format!("; ratings: {}", r.join(", ")));
    }
    s
}
