//! Choosing an instrument to give a client (the engagement needs assessment first).

use crate::domain::instrument::Instrument;
use crate::instruments::Catalog;
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

pub struct InstrumentPicker {
    pub client_id: i64,
    pub client_name: String,
    /// Engagement first, then the rest in catalogue order.
    pub instruments: Vec<Instrument>,
    pub selected: usize,
}

impl InstrumentPicker {
    pub fn new(client_id: i64, client_name: &str, catalog: &Catalog) -> InstrumentPicker {
        InstrumentPicker {
            client_id,
            client_name: client_name.to_string(),
            instruments: catalog.list().cloned().collect(),
            selected: 0,
        }
    }

    fn start(&self, i: usize) -> Outcome {
        match self.instruments.get(i) {
            Some(ins) => Outcome::Replace(Box::new(Runner::new(
                self.client_id,
                &self.client_name,
                ins.clone(),
            ))),
            None => Outcome::Keep,
        }
    }

    pub fn handle(&mut self, action: Option<Action>) -> Outcome {
        let n = self.instruments.len().max(1);
        match action {
            Some(Action::Down) => self.selected = (self.selected + 1) % n,
            Some(Action::Up) => self.selected = (self.selected + n - 1) % n,
            Some(Action::Pick(k)) if k >= 1 => return self.start(k as usize - 1),
            Some(Action::Submit) => return self.start(self.selected),
            Some(Action::Back) => return Outcome::Close,
            _ => {}
        }
        Outcome::Keep
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        let h = self.instruments.len() as u16 + 5;
        let area = centered(area, 64, h);
        let inner = frame(
            area,
            buf,
            &format!("Assess · {}", names.client(&self.client_name)),
            theme,
        );
        let mut lines = Vec::new();
        for (i, ins) in self.instruments.iter().enumerate() {
            let sel = i == self.selected;
            let style = if sel { theme.selected } else { theme.base };
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{} {} ", if sel { "▶" } else { " " }, i + 1),
                    theme.key,
                ),
                Span::styled(ins.title.clone(), style),
                Span::styled(
                    format!(
                        "  {} · {} items",
                        ins.kind.label().to_lowercase(),
                        ins.items.len()
                    ),
                    theme.muted,
                ),
            ]));
        }
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            "Enter or a number starts it with the client.",
            theme.muted,
        )));
        Paragraph::new(lines).render(inner, buf);
    }
}

impl Dialog for InstrumentPicker {
    fn context(&self) -> Context {
        Context::Picker
    }

    fn handle(&mut self, action: Option<Action>, _key: &KeyEvent) -> Outcome {
        InstrumentPicker::handle(self, action)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        InstrumentPicker::render(self, area, buf, theme, names);
        None
    }
}
