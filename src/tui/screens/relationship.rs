//! Dialogs for the working relationship: the handout and summary viewer, goals and the rating
//! screen, the boundary form, the discharge flow and the review. Each is a [`Dialog`]; the app
//! applies the writes they ask for (see `tui/app/relationship.rs`).

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::domain::boundary::BoundaryKind;
use crate::domain::discharge::{DischargeFields, DischargeInput, DischargeReason};
use crate::domain::goal::rating_for_key;
use crate::domain::session::Session;
use crate::domain::signals::{ReviewChoice, Signal};
use crate::tui::action::Action;
use crate::tui::dialogs::{Dialog, Outcome, RelApply, rel};
use crate::tui::keymap::Context;
use crate::tui::names::Names;
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{Field, Form};
use crate::tui::widgets::popup::{centered, frame};

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
    fn handle(&mut self, action: Option<Action>) -> Outcome {
        match action {
            Some(Action::Down) => self.scroll = self.scroll.saturating_add(1),
            Some(Action::Up) => self.scroll = self.scroll.saturating_sub(1),
            Some(Action::PageDown) => self.scroll = self.scroll.saturating_add(10),
            Some(Action::PageUp) => self.scroll = self.scroll.saturating_sub(10),
            Some(Action::WriteFile) => {
                return rel(RelApply::WritePage {
                    file_name: self.file_name.clone(),
                    html: self.html.clone(),
                });
            }
            Some(Action::MarkGiven) => {
                if let Some(client_id) = self.handout_for {
                    return rel(RelApply::MarkHandoutGiven { client_id });
                }
            }
            Some(Action::Back) => return Outcome::Close,
            _ => {}
        }
        Outcome::Keep
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

    fn save(&self) -> Outcome {
        let ratings: Vec<(i64, u8)> = self
            .goals
            .iter()
            .zip(&self.ratings)
            .filter_map(|((id, _, _), r)| r.map(|r| (*id, r)))
            .collect();
        if ratings.is_empty() {
            return Outcome::Close;
        }
        rel(RelApply::RateGoals {
            client_id: self.client_id,
            ratings,
            session_id: self.session_id,
        })
    }

    fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> Outcome {
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
            Some(Action::Back) => return Outcome::Close,
            _ => {}
        }
        Outcome::Keep
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

    fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> Outcome {
        match action {
            Some(Action::NextField) => self.form.next_field(),
            Some(Action::PrevField) => self.form.prev_field(),
            Some(Action::ChoiceNext) => {
                self.form.cycle(1);
            }
            Some(Action::ChoicePrev) => {
                self.form.cycle(-1);
            }
            Some(Action::Submit) => return rel(self.submit()),
            Some(Action::Back) => return Outcome::Close,
            _ => {
                self.form.type_key(key);
            }
        }
        Outcome::Keep
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
    fn handle(&mut self, action: Option<Action>) -> Outcome {
        match action {
            Some(Action::Pick(n)) if (1..=6).contains(&n) => {
                let reason = DischargeReason::ALL[usize::from(n - 1)];
                Outcome::Push(Box::new(FormDialog::discharge(
                    self.client_id,
                    &self.name,
                    reason,
                )))
            }
            Some(Action::Back) => Outcome::Close,
            _ => Outcome::Keep,
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
    fn handle(&mut self, action: Option<Action>) -> Outcome {
        match action {
            Some(Action::Yes) => rel(RelApply::Discharge {
                client_id: self.client_id,
                fields: self.fields.clone(),
            }),
            Some(Action::No) => Outcome::Close,
            _ => Outcome::Keep,
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
    fn handle(&mut self, action: Option<Action>) -> Outcome {
        match action {
            Some(Action::Pick(n)) if (1..=4).contains(&n) => rel(RelApply::Review {
                client_id: self.client_id,
                choice: ReviewChoice::ALL[usize::from(n - 1)],
            }),
            Some(Action::Back) => Outcome::Close,
            _ => Outcome::Keep,
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

// ---- on the dialog stack -------------------------------------------------------------------

impl Dialog for DocumentView {
    fn context(&self) -> Context {
        Context::RelDocument
    }

    fn handle(&mut self, action: Option<Action>, _key: &KeyEvent) -> Outcome {
        DocumentView::handle(self, action)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        DocumentView::render(self, area, buf, theme, names);
        None
    }

    /// The handout preview is meant to be turned towards the client.
    fn client_facing(&self) -> bool {
        self.handout_for.is_some()
    }
}

impl Dialog for RatingDialog {
    fn context(&self) -> Context {
        Context::RelRating
    }

    fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> Outcome {
        RatingDialog::handle(self, action, key)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        RatingDialog::render(self, area, buf, theme, names);
        None
    }
}

impl Dialog for FormDialog {
    fn context(&self) -> Context {
        Context::Form
    }

    fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> Outcome {
        FormDialog::handle(self, action, key)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        FormDialog::render(self, area, buf, theme, names)
    }

    fn show_errors(&mut self, e: &crate::domain::ValidationError) {
        self.form.show_errors(e);
    }
}

impl Dialog for DischargeReasonPicker {
    fn context(&self) -> Context {
        Context::RelDischargeReason
    }

    fn handle(&mut self, action: Option<Action>, _key: &KeyEvent) -> Outcome {
        DischargeReasonPicker::handle(self, action)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        DischargeReasonPicker::render(self, area, buf, theme, names);
        None
    }
}

impl Dialog for DischargeConfirm {
    fn context(&self) -> Context {
        Context::RelDischargeConfirm
    }

    fn handle(&mut self, action: Option<Action>, _key: &KeyEvent) -> Outcome {
        DischargeConfirm::handle(self, action)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        DischargeConfirm::render(self, area, buf, theme, names);
        None
    }
}

impl Dialog for ReviewDialog {
    fn context(&self) -> Context {
        Context::RelReview
    }

    fn handle(&mut self, action: Option<Action>, _key: &KeyEvent) -> Outcome {
        ReviewDialog::handle(self, action)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        ReviewDialog::render(self, area, buf, theme, names);
        None
    }
}

/// Asks before removing a question from the practice's Q&A.
pub struct ConfirmRemoveQa {
    pub id: i64,
    pub question: String,
}

impl Dialog for ConfirmRemoveQa {
    fn context(&self) -> Context {
        Context::Confirm
    }

    fn handle(&mut self, action: Option<Action>, _key: &KeyEvent) -> Outcome {
        match action {
            Some(Action::Yes) => rel(RelApply::RemoveQa { id: self.id }),
            Some(Action::No) => Outcome::Close,
            _ => Outcome::Keep,
        }
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        _names: Names,
    ) -> Option<Position> {
        let rect = centered(area, 70, 5);
        let inner = frame(rect, buf, "Remove this question?", theme);
        Paragraph::new(vec![
            Line::from(self.question.as_str()),
            Line::default(),
            Line::from(Span::styled(
                "y remove it from the handout · n keep it",
                theme.muted,
            )),
        ])
        .wrap(Wrap { trim: true })
        .render(inner, buf);
        None
    }
}
