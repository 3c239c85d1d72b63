//! A session's detail.

use crate::domain::session::Session;
use crate::tui::action::Action;
use crate::tui::dialogs::*;
use crate::tui::keymap::Context;
use crate::tui::names::Names;
use crate::tui::theme::Theme;
use crate::tui::widgets::popup::{centered, frame};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

pub struct SessionDetail {
    pub session: Session,
}

impl SessionDetail {
    pub fn handle(&mut self, action: Option<Action>) -> Outcome {
        match action {
            Some(Action::Back) | Some(Action::Submit) => Outcome::Close,
            _ => Outcome::Keep,
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        let s = &self.session;
        let rect = centered(area, 60, 10);
        let inner = frame(
            rect,
            buf,
            &format!("Session · {}", names.client(&s.client_name)),
            theme,
        );
        let row = |label: &str, value: String| {
            Line::from(vec![
                Span::styled(format!("{label:<10}"), theme.muted),
                Span::raw(value),
            ])
        };
        let mut lines = vec![
            row(
                "When",
                s.starts_at.format("%A %-d %B %Y, %H:%M").to_string(),
            ),
            row("Length", format!("{} minutes", s.minutes)),
            row("How", s.modality.label().to_string()),
            row("Status", s.status.label().to_string()),
        ];
        if s.series_id.is_some() {
            lines.push(row("Series", "part of a recurring series".into()));
        }
        if let Some(at) = s.marked_at {
            lines.push(row(
                "Marked",
                format!(
                    "{} by {}",
                    crate::clock::show(
                        at,
                        crate::domain::time::DateStyle::DayMonth,
                        crate::domain::time::Shown::DayDateTime
                    ),
                    s.marked_by.as_deref().unwrap_or("—")
                ),
            ));
        }
        Paragraph::new(lines).render(inner, buf);
    }
}

impl Dialog for SessionDetail {
    fn context(&self) -> Context {
        Context::SessionDetail
    }

    fn handle(&mut self, action: Option<Action>, _key: &KeyEvent) -> Outcome {
        SessionDetail::handle(self, action)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        SessionDetail::render(self, area, buf, theme, names);
        None
    }
}
