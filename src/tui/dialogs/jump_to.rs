//! Going to a date ("2026-12-01", "tomorrow", a weekday).

use crate::domain::schedule::parse_day;
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
use ratatui::text::Span;
use ratatui::widgets::{Paragraph, Widget, Wrap};
use tui_input::Input;

pub struct JumpTo {
    input: Input,
    error: Option<String>,
    /// What "today" and weekdays are counted from.
    today: NaiveDate,
}

impl JumpTo {
    pub fn new(today: NaiveDate) -> JumpTo {
        JumpTo {
            input: Input::default(),
            error: None,
            today,
        }
    }

    pub fn handle(&mut self, action: Option<Action>, key: &KeyEvent, today: NaiveDate) -> Outcome {
        match action {
            Some(Action::Submit) => match parse_day(self.input.value(), today) {
                Ok(d) => return Outcome::Apply(Apply::JumpTo(d)),
                Err(e) => self.error = Some(e),
            },
            Some(Action::Back) => return Outcome::Close,
            _ => {
                if type_into(&mut self.input, key) {
                    self.error = None;
                }
            }
        }
        Outcome::Keep
    }

    pub fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        _names: Names,
    ) -> Option<Position> {
        let rect = centered(area, 60, 6);
        let inner = frame(rect, buf, "Go to a date", theme);
        let prompt = "Date: ";
        buf.set_string(inner.x, inner.y, prompt, theme.muted);
        buf.set_stringn(
            inner.x + prompt.len() as u16,
            inner.y,
            self.input.value(),
            inner.width as usize - prompt.len(),
            theme.input,
        );
        let (note, style) = match &self.error {
            Some(e) => (e.as_str(), theme.error),
            None => ("YYYY-MM-DD, today, tomorrow, or a weekday", theme.muted),
        };
        Paragraph::new(Span::styled(note, style))
            .wrap(Wrap { trim: true })
            .render(Rect::new(inner.x, inner.y + 2, inner.width, 2), buf);
        Some(Position::new(
            inner.x + prompt.len() as u16 + self.input.visual_cursor() as u16,
            inner.y,
        ))
    }
}

impl Dialog for JumpTo {
    fn context(&self) -> Context {
        Context::JumpTo
    }

    fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> Outcome {
        JumpTo::handle(self, action, key, self.today)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        JumpTo::render(self, area, buf, theme, names)
    }
}
