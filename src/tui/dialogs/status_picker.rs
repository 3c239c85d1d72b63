//! Changing a client's status (active, on hold, discharged, referred out).

use crate::domain::client::{Client, ClientStatus};
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

pub struct StatusPicker {
    pub client_id: i64,
    pub name: String,
    pub current: ClientStatus,
    pub selected: usize,
}

impl StatusPicker {
    pub fn new(c: &Client) -> StatusPicker {
        StatusPicker {
            client_id: c.id,
            name: c.name.clone(),
            current: c.status,
            selected: c.status.index(),
        }
    }

    fn handle(&mut self, action: Option<Action>) -> Outcome {
        let n = ClientStatus::ALL.len();
        match action {
            Some(Action::Down) => self.selected = (self.selected + 1) % n,
            Some(Action::Up) => self.selected = (self.selected + n - 1) % n,
            Some(Action::Pick(k)) if (1..=n as u8).contains(&k) => {
                return Outcome::Apply(Apply::SetStatus {
                    id: self.client_id,
                    status: ClientStatus::ALL[k as usize - 1],
                });
            }
            Some(Action::Submit) => {
                return Outcome::Apply(Apply::SetStatus {
                    id: self.client_id,
                    status: ClientStatus::ALL[self.selected],
                });
            }
            Some(Action::Back) => return Outcome::Close,
            _ => {}
        }
        Outcome::Keep
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        let area = centered(area, 52, ClientStatus::ALL.len() as u16 + 5);
        let inner = frame(
            area,
            buf,
            &format!("Status · {}", names.client(&self.name)),
            theme,
        );
        let mut lines = Vec::new();
        for (i, s) in ClientStatus::ALL.iter().enumerate() {
            let marker = if i == self.selected { "▶" } else { " " };
            let now = if *s == self.current { "  (now)" } else { "" };
            let style = if i == self.selected {
                theme.selected
            } else {
                theme.base
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{marker} {} ", i + 1), theme.key),
                Span::styled(format!("{}{now}", s.label()), style),
            ]));
        }
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            "Clients are never deleted; any status can be changed back.",
            theme.muted,
        )));
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
}

impl Dialog for StatusPicker {
    fn context(&self) -> Context {
        Context::Picker
    }

    fn handle(&mut self, action: Option<Action>, _key: &KeyEvent) -> Outcome {
        StatusPicker::handle(self, action)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        StatusPicker::render(self, area, buf, theme, names);
        None
    }
}
