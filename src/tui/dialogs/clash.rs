//! A booking that overlaps another session: book anyway, or pick another time.

use crate::domain::schedule::Clash;
use crate::store::session::BookingRequest;
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
use ratatui::widgets::{Paragraph, Widget, Wrap};

pub struct ClashDialog {
    pub req: BookingRequest,
    pub clash: Clash,
}

impl ClashDialog {
    pub fn handle(&mut self, action: Option<Action>) -> Outcome {
        match action {
            Some(Action::Yes) => Outcome::Apply(Apply::Book {
                req: self.req,
                force: true,
            }),
            Some(Action::No) => Outcome::Close,
            _ => Outcome::Keep,
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        let rect = centered(area, 64, 8);
        let inner = frame(rect, buf, "This overlaps another session", theme);
        Paragraph::new(vec![
            Line::from(
                self.clash
                    .describe_with(&names.client(&self.clash.with.client_name)),
            ),
            Line::default(),
            Line::from(vec![
                Span::styled("y", theme.key),
                Span::raw(" book anyway   "),
                Span::styled("n", theme.key),
                Span::raw(" pick another time"),
            ]),
        ])
        .wrap(Wrap { trim: false })
        .render(inner, buf);
    }
}

impl Dialog for ClashDialog {
    fn context(&self) -> Context {
        Context::Clash
    }

    fn handle(&mut self, action: Option<Action>, _key: &KeyEvent) -> Outcome {
        ClashDialog::handle(self, action)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        ClashDialog::render(self, area, buf, theme, names);
        None
    }
}
