//! Dialogs for the working relationship: the handout and summary viewer, goals and the rating
//! screen, the boundary form, the discharge flow and the review. Each takes actions and returns
//! a [`RelOutcome`]; the app applies writes (see `tui::relationship`).

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::goals::GoalsView;
use crate::domain::boundary::BoundaryKind;
use crate::domain::discharge::{DischargeFields, DischargeInput, DischargeReason};
use crate::domain::goal::rating_for_key;
use crate::domain::session::Session;
use crate::domain::signals::{ReviewChoice, Signal};
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::names::Names;
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{Field, Form};
use crate::tui::widgets::popup::{centered, frame};

/// What a relationship dialog asks of the app.
pub enum RelOutcome {
    Keep,
    Close,
    Push(RelPopup),
    Apply(RelApply),
}

/// A write (or file) the app carries out for a dialog.
#[derive(Debug, Clone, PartialEq)]
pub enum RelApply {
    MarkHandoutGiven {
        client_id: i64,
    },
    /// Write a printable page beside the practice file.
    WritePage {
        file_name: String,
        html: String,
    },
    AddGoal {
        client_id: i64,
        text: String,
        set_on: String,
        target_on: String,
    },
    RateGoals {
        client_id: i64,
        ratings: Vec<(i64, u8)>,
        session_id: Option<i64>,
    },
    GoalStatus {
        goal_id: i64,
        status: crate::domain::goal::GoalStatus,
    },
    AddBoundary {
        client_id: i64,
        kind: BoundaryKind,
        at: String,
        note: String,
    },
    /// Check the discharge details and, if they pass, go on to the confirmation.
    CheckDischarge {
        client_id: i64,
        input: DischargeInput,
    },
    Discharge {
        client_id: i64,
        fields: DischargeFields,
    },
    Review {
        client_id: i64,
        choice: ReviewChoice,
    },
    OpenGoalForm {
        client_id: i64,
    },
    OpenRating {
        client_id: i64,
    },
    SaveProfile {
        profile: Box<crate::domain::practice::PracticeProfile>,
        channels: String,
    },
    SaveQa {
        id: Option<i64>,
        question: String,
        answer: String,
    },
    MoveQa {
        id: i64,
        to: usize,
    },
    /// Ask before removing a question.
    AskRemoveQa {
        id: i64,
        question: String,
    },
    RemoveQa {
        id: i64,
    },
    AddConsult {
        input: crate::domain::boundary::ConsultInput,
    },
}

pub enum RelPopup {
    Document(DocumentView),
    Goals(GoalsView),
    Rating(RatingDialog),
    GoalForm(FormDialog),
    Boundary(FormDialog),
    DischargeReason(DischargeReasonPicker),
    DischargeForm(FormDialog),
    DischargeConfirm(DischargeConfirm),
    Review(ReviewDialog),
    /// The profile, a question, or a consultation.
    PracticeForm(FormDialog),
    ConfirmRemoveQa {
        id: i64,
        question: String,
    },
}

impl RelPopup {
    pub fn context(&self) -> Context {
        match self {
            RelPopup::Document(_) => Context::RelDocument,
            RelPopup::Goals(_) => Context::RelGoals,
            RelPopup::Rating(_) => Context::RelRating,
            RelPopup::GoalForm(_)
            | RelPopup::Boundary(_)
            | RelPopup::DischargeForm(_)
            | RelPopup::PracticeForm(_) => Context::Form,
            RelPopup::ConfirmRemoveQa { .. } => Context::Confirm,
            RelPopup::DischargeReason(_) => Context::RelDischargeReason,
            RelPopup::DischargeConfirm(_) => Context::RelDischargeConfirm,
            RelPopup::Review(_) => Context::RelReview,
        }
    }

    pub fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> RelOutcome {
        match self {
            RelPopup::Document(d) => d.handle(action),
            RelPopup::Goals(g) => g.handle(action),
            RelPopup::Rating(r) => r.handle(action, key),
            RelPopup::GoalForm(f)
            | RelPopup::Boundary(f)
            | RelPopup::DischargeForm(f)
            | RelPopup::PracticeForm(f) => f.handle(action, key),
            RelPopup::ConfirmRemoveQa { id, .. } => match action {
                Some(Action::Yes) => RelOutcome::Apply(RelApply::RemoveQa { id: *id }),
                Some(Action::No) => RelOutcome::Close,
                _ => RelOutcome::Keep,
            },
            RelPopup::DischargeReason(p) => p.handle(action),
            RelPopup::DischargeConfirm(c) => c.handle(action),
            RelPopup::Review(r) => r.handle(action),
        }
    }

    /// The handout preview is meant to be turned towards the client.
    pub fn client_facing(&self) -> bool {
        matches!(self, RelPopup::Document(d) if d.handout_for.is_some())
    }

    pub fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        match self {
            RelPopup::Document(d) => d.render(area, buf, theme, names),
            RelPopup::Goals(g) => g.render(area, buf, theme, names),
            RelPopup::Rating(r) => r.render(area, buf, theme, names),
            RelPopup::GoalForm(f)
            | RelPopup::Boundary(f)
            | RelPopup::DischargeForm(f)
            | RelPopup::PracticeForm(f) => {
                return f.render(area, buf, theme, names);
            }
            RelPopup::ConfirmRemoveQa { question, .. } => {
                let rect = centered(area, 70, 5);
                let inner = frame(rect, buf, "Remove this question?", theme);
                Paragraph::new(vec![
                    Line::from(question.as_str()),
                    Line::default(),
                    Line::from(Span::styled(
                        "y remove it from the handout · n keep it",
                        theme.muted,
                    )),
                ])
                .wrap(Wrap { trim: true })
                .render(inner, buf);
            }
            RelPopup::DischargeReason(p) => p.render(area, buf, theme, names),
            RelPopup::DischargeConfirm(c) => c.render(area, buf, theme, names),
            RelPopup::Review(r) => r.render(area, buf, theme, names),
        }
        None
    }
}

// ---- a document: the handout or the transition summary -------------------------------------

pub struct DocumentView {
    pub title: String,
    /// The client the document is about (the title names them through [`Names`]).
    pub who: String,
    pub lines: Vec<String>,
    /// The same document made with the client's initials, shown in privacy mode.
    pub private_lines: Vec<String>,
    pub scroll: u16,
    /// Set for a handout: the client it may be marked given to.
    pub handout_for: Option<i64>,
    /// A line under the title (e.g. "given 12 Mar · up to date").
    pub status: String,
    pub file_name: String,
    pub html: String,
}

impl DocumentView {
    fn handle(&mut self, action: Option<Action>) -> RelOutcome {
        match action {
            Some(Action::Down) => self.scroll = self.scroll.saturating_add(1),
            Some(Action::Up) => self.scroll = self.scroll.saturating_sub(1),
            Some(Action::PageDown) => self.scroll = self.scroll.saturating_add(10),
            Some(Action::PageUp) => self.scroll = self.scroll.saturating_sub(10),
            Some(Action::WriteFile) => {
                return RelOutcome::Apply(RelApply::WritePage {
                    file_name: self.file_name.clone(),
                    html: self.html.clone(),
                });
            }
            Some(Action::MarkGiven) => {
                if let Some(client_id) = self.handout_for {
                    return RelOutcome::Apply(RelApply::MarkHandoutGiven { client_id });
                }
            }
            Some(Action::Back) => return RelOutcome::Close,
            _ => {}
        }
        RelOutcome::Keep
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        let rect = centered(area, 86, area.height);
        let title = format!("{} · {}", self.title, names.client(&self.who));
        let inner = frame(rect, buf, &title, theme);
        if inner.height < 2 {
            return;
        }
        buf.set_stringn(
            inner.x,
            inner.y,
            &self.status,
            inner.width as usize,
            theme.muted,
        );
        let body = Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1);
        let shown = if names.private {
            &self.private_lines
        } else {
            &self.lines
        };
        let lines: Vec<Line> = shown.iter().map(|l| Line::from(l.as_str())).collect();
        Paragraph::new(lines)
            .scroll((self.scroll, 0))
            .render(body, buf);
    }
}

// ---- rating every active goal on one screen ------------------------------------------------

pub struct RatingDialog {
    pub client_id: i64,
    pub name: String,
    pub session_id: Option<i64>,
    /// (goal id, text, last rating)
    pub goals: Vec<(i64, String, Option<u8>)>,
    pub ratings: Vec<Option<u8>>,
    pub at: usize,
}

impl RatingDialog {
    pub fn new(
        client_id: i64,
        name: &str,
        session_id: Option<i64>,
        goals: Vec<(i64, String, Option<u8>)>,
    ) -> Self {
        let n = goals.len();
        Self {
            client_id,
            name: name.to_string(),
            session_id,
            goals,
            ratings: vec![None; n],
            at: 0,
        }
    }

    fn save(&self) -> RelOutcome {
        let ratings: Vec<(i64, u8)> = self
            .goals
            .iter()
            .zip(&self.ratings)
            .filter_map(|((id, _, _), r)| r.map(|r| (*id, r)))
            .collect();
        if ratings.is_empty() {
            return RelOutcome::Close;
        }
        RelOutcome::Apply(RelApply::RateGoals {
            client_id: self.client_id,
            ratings,
            session_id: self.session_id,
        })
    }

    fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> RelOutcome {
        let n = self.goals.len();
        let typed = match key.code {
            ratatui::crossterm::event::KeyCode::Char(c) => rating_for_key(c),
            _ => None,
        };
        match action {
            Some(Action::Pick(_)) => {
                if let (Some(r), Some(slot)) = (typed, self.ratings.get_mut(self.at)) {
                    *slot = Some(r);
                    self.at += 1;
                    if self.at >= n {
                        return self.save();
                    }
                }
            }
            Some(Action::SkipItem) => {
                self.at += 1;
                if self.at >= n {
                    return self.save();
                }
            }
            Some(Action::Up) => self.at = self.at.saturating_sub(1),
            Some(Action::Submit) => return self.save(),
            Some(Action::Back) => return RelOutcome::Close,
            _ => {}
        }
        RelOutcome::Keep
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        let h = self.goals.len() as u16 + 5;
        let rect = centered(area, 80, h);
        let inner = frame(
            rect,
            buf,
            &format!("Progress · {}", names.client(&self.name)),
            theme,
        );
        let mut lines = vec![Line::from(Span::styled(
            "How far along is each goal, 0 to 10? (x for 10)",
            theme.muted,
        ))];
        for (i, ((_, text, last), r)) in self.goals.iter().zip(&self.ratings).enumerate() {
            let mark = if i == self.at { "▶ " } else { "  " };
            let value = match r {
                Some(r) => format!("{r:>2}/10"),
                None => "  –  ".into(),
            };
            let was = last.map(|l| format!("  (last {l})")).unwrap_or_default();
            let style = if i == self.at {
                theme.selected
            } else {
                theme.base
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{mark}{value}  "), style),
                Span::styled(text.clone(), style),
                Span::styled(was, theme.muted),
            ]));
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .render(inner, buf);
    }
}

// ---- forms: a goal, a boundary incident, discharge details ---------------------------------

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

    fn submit(&self) -> RelApply {
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

    fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> RelOutcome {
        match action {
            Some(Action::NextField) => self.form.next_field(),
            Some(Action::PrevField) => self.form.prev_field(),
            Some(Action::ChoiceNext) => {
                self.form.cycle(1);
            }
            Some(Action::ChoicePrev) => {
                self.form.cycle(-1);
            }
            Some(Action::Submit) => return RelOutcome::Apply(self.submit()),
            Some(Action::Back) => return RelOutcome::Close,
            _ => {
                self.form.type_key(key);
            }
        }
        RelOutcome::Keep
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

// ---- discharge: the reason, then the details, then the confirmation ------------------------

pub struct DischargeReasonPicker {
    pub client_id: i64,
    pub name: String,
}

impl DischargeReasonPicker {
    fn handle(&mut self, action: Option<Action>) -> RelOutcome {
        match action {
            Some(Action::Pick(n)) if (1..=6).contains(&n) => {
                let reason = DischargeReason::ALL[usize::from(n - 1)];
                RelOutcome::Push(RelPopup::DischargeForm(FormDialog::discharge(
                    self.client_id,
                    &self.name,
                    reason,
                )))
            }
            Some(Action::Back) => RelOutcome::Close,
            _ => RelOutcome::Keep,
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        let rect = centered(area, 70, 10);
        let inner = frame(
            rect,
            buf,
            &format!("Ending care · {}", names.client(&self.name)),
            theme,
        );
        let mut lines = vec![Line::from(Span::styled(
            "Why is care ending?",
            theme.heading,
        ))];
        for (i, r) in DischargeReason::ALL.iter().enumerate() {
            lines.push(Line::from(vec![
                Span::styled(format!("  {}  ", i + 1), theme.key),
                Span::raw(r.label()),
            ]));
        }
        Paragraph::new(lines).render(inner, buf);
    }
}

pub struct DischargeConfirm {
    pub client_id: i64,
    pub name: String,
    pub fields: DischargeFields,
    /// The future sessions that will be cancelled.
    pub sessions: Vec<Session>,
}

impl DischargeConfirm {
    fn handle(&mut self, action: Option<Action>) -> RelOutcome {
        match action {
            Some(Action::Yes) => RelOutcome::Apply(RelApply::Discharge {
                client_id: self.client_id,
                fields: self.fields.clone(),
            }),
            Some(Action::No) => RelOutcome::Close,
            _ => RelOutcome::Keep,
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        let shown = self.sessions.len().min(8);
        let rect = centered(area, 80, shown as u16 + 9);
        let inner = frame(
            rect,
            buf,
            &format!("End care · {}", names.client(&self.name)),
            theme,
        );
        let to = self.fields.to_status().label().to_lowercase();
        let mut lines = vec![
            Line::from(format!(
                "{} becomes {to} ({}).",
                names.client(&self.name),
                self.fields.reason.label().to_lowercase()
            )),
            Line::from(match &self.fields.referral {
                Some(r) => format!("Referral: {}", r.name),
                None => "No referral.".to_string(),
            }),
            Line::default(),
        ];
        if self.sessions.is_empty() {
            lines.push(Line::from("There are no future sessions to cancel."));
        } else {
            lines.push(Line::from(Span::styled(
                format!(
                    "These {} future session(s) will be cancelled by you:",
                    self.sessions.len()
                ),
                theme.warn,
            )));
            for s in self.sessions.iter().take(shown) {
                lines.push(Line::from(format!(
                    "  {}  {}",
                    s.starts_at.format("%a %-d %b %Y %H:%M"),
                    s.modality.label()
                )));
            }
            if self.sessions.len() > shown {
                lines.push(Line::from(format!(
                    "  … and {} more",
                    self.sessions.len() - shown
                )));
            }
        }
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            "y end care · n back. The record is kept; the client can be reopened later.",
            theme.muted,
        )));
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .render(inner, buf);
    }
}

// ---- review ---------------------------------------------------------------------------------

pub struct ReviewDialog {
    pub client_id: i64,
    pub name: String,
    pub signals: Vec<Signal>,
    pub last: Option<(NaiveDate, ReviewChoice)>,
}

impl ReviewDialog {
    fn handle(&mut self, action: Option<Action>) -> RelOutcome {
        match action {
            Some(Action::Pick(n)) if (1..=4).contains(&n) => RelOutcome::Apply(RelApply::Review {
                client_id: self.client_id,
                choice: ReviewChoice::ALL[usize::from(n - 1)],
            }),
            Some(Action::Back) => RelOutcome::Close,
            _ => RelOutcome::Keep,
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        let mut lines = Vec::new();
        if self.signals.is_empty() {
            lines.push(Line::from(
                "No review signals fire for this client just now.",
            ));
        }
        for s in &self.signals {
            lines.push(Line::from(Span::styled(
                format!("• {}", s.summary),
                theme.warn,
            )));
            for e in &s.evidence {
                lines.push(Line::from(Span::styled(format!("    {e}"), theme.muted)));
            }
        }
        if let Some((d, c)) = self.last {
            lines.push(Line::from(Span::styled(
                format!(
                    "Last review {}: {}",
                    d.format("%-d %b %Y"),
                    c.label().to_lowercase()
                ),
                theme.muted,
            )));
        }
        lines.push(Line::default());
        lines.push(Line::from(Span::styled("What will you do?", theme.heading)));
        for (i, c) in ReviewChoice::ALL.iter().enumerate() {
            lines.push(Line::from(vec![
                Span::styled(format!("  {}  ", i + 1), theme.key),
                Span::raw(c.label()),
            ]));
        }
        let rect = centered(area, 84, lines.len() as u16 + 2);
        let inner = frame(
            rect,
            buf,
            &format!("Review · {}", names.client(&self.name)),
            theme,
        );
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .render(inner, buf);
    }
}
