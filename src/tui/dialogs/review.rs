//! The review of a client's signals: what the practitioner chose to do.

use crate::domain::signals::{ReviewChoice, Signal};
use crate::tui::action::Action;
use crate::tui::dialogs::*;
use crate::tui::keymap::Context;
use crate::tui::names::Names;
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{Field, Form, FormKey};
use crate::tui::widgets::popup::{View, centered, frame, scrolled};
use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

pub struct ReviewDialog {
    pub client_id: i64,
    pub name: String,
    pub signals: Vec<Signal>,
    pub last: Option<(NaiveDate, ReviewChoice)>,
    /// The choice made, and the note on what was decided being written.
    pub deciding: Option<(ReviewChoice, Form)>,
}

impl ReviewDialog {
    pub fn new(
        client_id: i64,
        name: &str,
        signals: Vec<Signal>,
        last: Option<(NaiveDate, ReviewChoice)>,
    ) -> ReviewDialog {
        ReviewDialog {
            client_id,
            name: name.to_string(),
            signals,
            last,
            deciding: None,
        }
    }

    fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> Outcome {
        if let Some((choice, form)) = &mut self.deciding {
            let choice = *choice;
            return match form.handle(action, key) {
                FormKey::Submit => {
                    let note = form.text("note").trim().to_string();
                    if note.is_empty() && choice == ReviewChoice::NoteForNextSession {
                        form.show_errors(&crate::domain::ValidationError::one(
                            "note",
                            "is needed: what to bring up next session",
                        ));
                        return Outcome::Keep;
                    }
                    rel(RelApply::Review {
                        client_id: self.client_id,
                        choice,
                        note,
                    })
                }
                FormKey::Back => {
                    self.deciding = None;
                    Outcome::Keep
                }
                FormKey::Edited => Outcome::Keep,
            };
        }
        match action {
            Some(Action::Pick(n)) if (1..=4).contains(&n) => {
                let choice = ReviewChoice::ALL[usize::from(n - 1)];
                let hint = match choice {
                    ReviewChoice::NoteForNextSession => {
                        "What to bring up, e.g. revisit the plan for texts after hours."
                    }
                    _ => "Optional: what you decided and why. Enter saves, Esc goes back.",
                };
                let form = Form::for_client(
                    &self.name,
                    format!("Review · {{client}} · {}", choice.label().to_lowercase()),
                    vec![Field::long_text("note", "What was decided", "", hint, 3)],
                );
                self.deciding = Some((choice, form));
                Outcome::Keep
            }
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
        scrolled(
            area,
            84,
            &format!("Review · {}", names.client(&self.name)),
            lines,
            View::default(),
            buf,
            theme,
        );
    }
}

impl Dialog for ReviewDialog {
    fn context(&self) -> Context {
        if self.deciding.is_some() {
            Context::Form
        } else {
            Context::RelReview
        }
    }

    fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> Outcome {
        ReviewDialog::handle(self, action, key)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        if let Some((_, form)) = &self.deciding {
            return form.render_popup(area, 84, buf, theme, names);
        }
        ReviewDialog::render(self, area, buf, theme, names);
        None
    }

    fn show_errors(&mut self, e: &crate::domain::ValidationError) {
        if let Some((_, form)) = &mut self.deciding {
            form.show_errors(e);
        }
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
