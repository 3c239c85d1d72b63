//! Choosing a client to book for: type to find one (fuzzy), Enter picks.

use crate::domain::client::Client;
use crate::tui::action::Action;
use crate::tui::dialogs::*;
use crate::tui::keymap::Context;
use crate::tui::names::Names;
use crate::tui::theme::Theme;
use crate::tui::widgets::popup::{centered, frame};
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Matcher, Utf32String};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};

use tui_input::Input;

pub struct ClientPicker {
    clients: Vec<(i64, String, Utf32String)>,
    visible: Vec<usize>,
    selected: usize,
    query: Input,
    matcher: Matcher,
}

impl ClientPicker {
    /// Offers the clients who may be booked (active and on hold).
    pub fn new(clients: &[Client]) -> ClientPicker {
        let clients: Vec<(i64, String, Utf32String)> = clients
            .iter()
            .filter(|c| crate::domain::schedule::check_bookable(&c.name, c.status).is_ok())
            .map(|c| {
                let hay = match &c.preferred_name {
                    Some(p) => format!("{} {p}", c.name),
                    None => c.name.clone(),
                };
                (c.id, c.name.clone(), Utf32String::from(hay.as_str()))
            })
            .collect();
        let visible = (0..clients.len()).collect();
        ClientPicker {
            clients,
            visible,
            selected: 0,
            query: Input::default(),
            matcher: Matcher::new(nucleo_matcher::Config::DEFAULT),
        }
    }

    fn filter(&mut self) {
        let q = self.query.value().trim();
        self.visible.clear();
        if q.is_empty() {
            self.visible.extend(0..self.clients.len());
        } else {
            let pattern = Pattern::parse(q, CaseMatching::Ignore, Normalization::Smart);
            let mut scored: Vec<(u32, usize)> = Vec::new();
            for (i, c) in self.clients.iter().enumerate() {
                if let Some(s) = pattern.score(c.2.slice(..), &mut self.matcher) {
                    scored.push((s, i));
                }
            }
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            self.visible.extend(scored.into_iter().map(|(_, i)| i));
        }
        self.selected = 0;
    }

    pub fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> Outcome {
        match action {
            Some(Action::Down) => {
                self.selected = (self.selected + 1).min(self.visible.len().saturating_sub(1))
            }
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::Back) => return Outcome::Close,
            Some(Action::Submit) => {
                if let Some(&i) = self.visible.get(self.selected) {
                    let (id, name, _) = &self.clients[i];
                    return Outcome::Apply(Apply::PickClient {
                        id: *id,
                        name: name.clone(),
                    });
                }
            }
            _ => {
                if type_into(&mut self.query, key) {
                    self.filter();
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
        names: Names,
    ) -> Option<Position> {
        let rect = centered(area, 50, 16);
        let inner = frame(rect, buf, "Book for… · type to find a client", theme);
        if inner.height < 3 {
            return None;
        }
        let prompt = "Find: ";
        buf.set_string(inner.x, inner.y, prompt, theme.muted);
        buf.set_stringn(
            inner.x + prompt.len() as u16,
            inner.y,
            self.query.value(),
            inner.width as usize - prompt.len(),
            theme.input,
        );
        let h = inner.height as usize - 2;
        let offset = if self.selected >= h {
            self.selected + 1 - h
        } else {
            0
        };
        if self.visible.is_empty() {
            buf.set_stringn(
                inner.x,
                inner.y + 2,
                "No active client matches.",
                inner.width as usize,
                theme.muted,
            );
        }
        for (line, (pos, &i)) in self
            .visible
            .iter()
            .enumerate()
            .skip(offset)
            .take(h)
            .enumerate()
        {
            let style = if pos == self.selected {
                theme.selected
            } else {
                theme.base
            };
            let y = inner.y + 2 + line as u16;
            buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
            buf.set_stringn(
                inner.x,
                y,
                names.client(&self.clients[i].1),
                inner.width as usize,
                style,
            );
        }
        Some(Position::new(
            inner.x + prompt.len() as u16 + self.query.visual_cursor() as u16,
            inner.y,
        ))
    }
}

impl Dialog for ClientPicker {
    fn context(&self) -> Context {
        Context::ClientPick
    }

    fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> Outcome {
        ClientPicker::handle(self, action, key)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        ClientPicker::render(self, area, buf, theme, names)
    }
}
