//! The relationship forms: a goal, a boundary incident, discharge details, and the practice's
//! profile, questions and consultations.

use crate::domain::boundary::BoundaryKind;
use crate::domain::discharge::{DischargeInput, DischargeReason};
use crate::tui::dialogs::*;
use crate::tui::names::Names;
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{Field, Form};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    Goal,
    Boundary,
    Discharge(DischargeReason),
    Profile,
    Qa(Option<i64>),
    /// A consultation, about a client or not.
    Consult(Option<i64>),
}

pub struct FormDialog {
    pub client_id: i64,
    pub kind: FormKind,
    pub form: Form,
}

impl FormDialog {
    pub fn goal(client_id: i64, name: &str) -> Self {
        Self {
            client_id,
            kind: FormKind::Goal,
            form: Form::for_client(
                name,
                "A new goal · {client}",
                vec![
                    Field::text("text", "Goal", "", "In the client's words."),
                    Field::text("set_on", "Set on", "", "YYYY-MM-DD; today if left empty."),
                    Field::text("target", "Target date", "", "YYYY-MM-DD; optional."),
                ],
            ),
        }
    }

    pub fn boundary(client_id: i64, name: &str) -> Self {
        let kinds: Vec<&'static str> = BoundaryKind::ALL.iter().map(|k| k.label()).collect();
        Self {
            client_id,
            kind: FormKind::Boundary,
            form: Form::for_client(
                name,
                "Boundary log · {client}",
                vec![
                    Field::choice("kind", "What happened", kinds, 0, "Space or ←/→ to choose."),
                    Field::text("at", "When", "", "YYYY-MM-DD; today if left empty."),
                    Field::long_text("note", "Note", "", "Optional: what was said or done.", 2),
                ],
            ),
        }
    }

    pub fn discharge(client_id: i64, name: &str, reason: DischargeReason) -> Self {
        Self {
            client_id,
            kind: FormKind::Discharge(reason),
            form: Form::for_client(
                name,
                format!(
                    "Ending care · {{client}} · {}",
                    reason.label().to_lowercase()
                ),
                vec![
                    Field::text(
                        "referral_name",
                        "Referred to",
                        "",
                        "Optional: who the client is referred to. Leave empty for no referral.",
                    ),
                    Field::text("referral_profession", "Profession", "", "Optional."),
                    Field::text("referral_contact", "Their contact", "", "Optional."),
                    Field::long_text("referral_why", "Why them", "", "Optional.", 2),
                    Field::long_text(
                        "note",
                        "Closing note",
                        "",
                        "Optional; kept out of the summary unless you ask for it.",
                        3,
                    ),
                ],
            ),
        }
    }

    fn to_apply(&self) -> RelApply {
        let f = &self.form;
        match self.kind {
            FormKind::Goal => RelApply::AddGoal {
                client_id: self.client_id,
                text: f.text("text"),
                set_on: f.text("set_on"),
                target_on: f.text("target"),
            },
            FormKind::Boundary => RelApply::AddBoundary {
                client_id: self.client_id,
                kind: BoundaryKind::ALL
                    .get(f.choice("kind"))
                    .copied()
                    .unwrap_or(BoundaryKind::Other),
                at: f.text("at"),
                note: f.text("note"),
            },
            FormKind::Profile => RelApply::SaveProfile {
                profile: Box::new(crate::domain::practice::PracticeProfile {
                    practice_name: f.text("practice_name"),
                    practitioner_name: f.text("practitioner_name"),
                    phone: f.text("phone"),
                    email: f.text("email"),
                    address: f.text("address"),
                    contact_channels: Vec::new(),
                    reply_time: f.text("reply_time"),
                    emergency: f.text("emergency"),
                }),
                channels: f.text("channels"),
            },
            FormKind::Qa(id) => RelApply::SaveQa {
                id,
                question: f.text("question"),
                answer: f.text("answer"),
            },
            FormKind::Consult(client_id) => RelApply::AddConsult {
                input: crate::domain::boundary::ConsultInput {
                    held_on: f.text("at"),
                    colleague: f.text("colleague"),
                    topic: f.text("topic"),
                    notes: f.text("notes"),
                    to_try: f.text("try"),
                    client_id,
                },
            },
            FormKind::Discharge(reason) => RelApply::CheckDischarge {
                client_id: self.client_id,
                input: DischargeInput {
                    reason: Some(reason),
                    referral_name: f.text("referral_name"),
                    referral_profession: f.text("referral_profession"),
                    referral_contact: f.text("referral_contact"),
                    referral_why: f.text("referral_why"),
                    note: f.text("note"),
                },
            },
        }
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        self.form.render_popup(area, 90, buf, theme, names)
    }
}

impl FormHost for FormDialog {
    fn form(&self) -> &Form {
        &self.form
    }

    fn form_mut(&mut self) -> &mut Form {
        &mut self.form
    }

    fn submit(&self) -> Result<Outcome, crate::domain::ValidationError> {
        Ok(rel(self.to_apply()))
    }

    fn asks_before_leaving(&self) -> bool {
        false
    }
    fn draw(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) -> Option<Position> {
        FormDialog::render(self, area, buf, theme, names)
    }
}
