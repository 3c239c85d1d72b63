//! The review of a client's signals: what the practitioner chose to do.

use crate::domain::signals::{ReviewChoice, Signal};
use crate::tui::action::Action;
use crate::tui::dialogs::*;
use crate::tui::keymap::Context;
use crate::tui::names::Names;
use crate::tui::theme::Theme;
use crate::tui::widgets::popup::{centered, frame};
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
