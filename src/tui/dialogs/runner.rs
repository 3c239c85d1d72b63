//! The questionnaire, meant for the client's eyes: one item at a time, then a review page.
//! It takes the whole screen and names only the client, by first name (initials in privacy
//! mode).

use crate::domain::instrument::Instrument;
use crate::tui::action::Action;
use crate::tui::dialogs::*;
use crate::tui::keymap::Context;
use crate::tui::names::Names;
use crate::tui::theme::Theme;
use crate::tui::widgets::popup::{centered, frame};
use crate::tui::widgets::rows::fit;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

pub struct Runner {
    pub client_id: i64,
    pub client_name: String,
    pub instrument: Instrument,
    pub answers: Vec<Option<i64>>,
    /// The item shown; `items.len()` is the review page.
    pub pos: usize,
}

impl Runner {
    pub fn new(client_id: i64, client_name: &str, instrument: Instrument) -> Runner {
        Runner {
            client_id,
            client_name: client_name.to_string(),
            answers: vec![None; instrument.items.len()],
            instrument,
            pos: 0,
        }
    }

    pub fn reviewing(&self) -> bool {
        self.pos >= self.instrument.items.len()
    }

    pub fn answered(&self) -> usize {
        self.answers.iter().filter(|a| a.is_some()).count()
    }

    pub fn handle(&mut self, action: Option<Action>) -> Outcome {
        match action {
            Some(Action::Pick(k)) if !self.reviewing() => {
                let item = &self.instrument.items[self.pos];
                if let Some(c) = item.options.get((k as usize).wrapping_sub(1)) {
                    self.answers[self.pos] = Some(c.value);
                    self.pos += 1;
                }
            }
            Some(Action::Previous) => self.pos = self.pos.saturating_sub(1),
            Some(Action::Submit) if self.reviewing() => {
                let answers: Option<Vec<i64>> = self.answers.iter().copied().collect();
                match answers {
                    Some(answers) => {
                        return Outcome::Apply(Apply::SaveAssessment {
                            client_id: self.client_id,
                            instrument: self.instrument.key.clone(),
                            answers,
                        });
                    }
                    None => {
                        // Go to the first unanswered item.
                        self.pos = self.answers.iter().position(|a| a.is_none()).unwrap_or(0);
                    }
                }
            }
            Some(Action::Submit) if self.answers[self.pos].is_some() => self.pos += 1,
            Some(Action::Back) if self.answered() == 0 => return Outcome::Close,
            Some(Action::Back) => {
                return Outcome::Push(Box::new(Confirm::discard_answers()));
            }
            _ => {}
        }
        Outcome::Keep
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        let n = self.instrument.items.len();
        let h = if self.reviewing() {
            n as u16 + 7
        } else {
            let opts = self
                .instrument
                .items
                .get(self.pos)
                .map(|i| i.options.len())
                .unwrap_or(0) as u16;
            opts + 13
        };
        let area = centered(area, 86, h);
        let inner = frame(
            area,
            buf,
            // Meant for the client's eyes: their own first name (or initials), nothing else.
            &format!(
                "{} · {}",
                self.instrument.title,
                names.first(&self.client_name)
            ),
            theme,
        );
        let w = inner.width as usize;
        let mut lines: Vec<Line> = Vec::new();
        let progress = format!(
            "{} {} of {n} answered",
            bar(self.answered(), n, 30),
            self.answered()
        );
        if self.reviewing() {
            lines.push(Line::from(Span::styled(
                "Check the answers, then save",
                theme.heading,
            )));
            lines.push(Line::from(Span::styled(progress, theme.good)));
            lines.push(Line::default());
            let answer_w = self
                .instrument
                .items
                .iter()
                .flat_map(|i| i.options.iter().map(|c| c.label.chars().count()))
                .max()
                .unwrap_or(8)
                .min(24);
            let text_w = w.saturating_sub(answer_w + 6);
            for (i, item) in self.instrument.items.iter().enumerate() {
                let answer = self.answers[i]
                    .and_then(|v| item.label_of(v))
                    .unwrap_or("— not answered");
                lines.push(Line::from(vec![
                    Span::styled(format!("{:>2} ", i + 1), theme.muted),
                    Span::raw(format!(
                        "{:<text_w$} ",
                        fit(&item.text, text_w.saturating_sub(1))
                    )),
                    Span::styled(fit(answer, answer_w), theme.heading),
                ]));
            }
            lines.push(Line::default());
            lines.push(Line::from(vec![
                Span::styled("Enter", theme.key),
                Span::styled(" save  ", theme.muted),
                Span::styled("Backspace", theme.key),
                Span::styled(" change the last answer  ", theme.muted),
                Span::styled("Esc", theme.key),
                Span::styled(" stop without saving", theme.muted),
            ]));
            Paragraph::new(lines).render(inner, buf);
            return;
        }
        let item = &self.instrument.items[self.pos];
        lines.push(Line::from(vec![
            Span::styled(format!("Item {} of {n}", self.pos + 1), theme.heading),
            Span::styled(
                if item.barrier.is_some() {
                    "  · getting to sessions"
                } else {
                    ""
                },
                theme.muted,
            ),
        ]));
        lines.push(Line::from(Span::styled(progress, theme.good)));
        lines.push(Line::from(Span::styled(
            self.instrument.instructions.clone(),
            theme.muted,
        )));
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(item.text.clone(), theme.title)));
        lines.push(Line::default());
        for (k, c) in item.options.iter().enumerate() {
            let chosen = self.answers[self.pos] == Some(c.value);
            let style: Style = if chosen { theme.selected } else { theme.base };
            lines.push(Line::from(vec![
                Span::styled(format!("  {}  ", k + 1), theme.key),
                Span::styled(c.label.clone(), style),
                Span::styled(if chosen { "  ◀ answered" } else { "" }, theme.muted),
            ]));
        }
        lines.push(Line::default());
        lines.push(Line::from(vec![
            Span::styled(format!("1–{}", item.options.len()), theme.key),
            Span::styled(" answer  ", theme.muted),
            Span::styled("Backspace", theme.key),
            Span::styled(" back  ", theme.muted),
            Span::styled("Esc", theme.key),
            Span::styled(" stop", theme.muted),
        ]));
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
}

impl Dialog for Runner {
    fn context(&self) -> Context {
        Context::Runner
    }

    fn handle(&mut self, action: Option<Action>, _key: &KeyEvent) -> Outcome {
        Runner::handle(self, action)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        Runner::render(self, area, buf, theme, names);
        None
    }

    fn client_facing(&self) -> bool {
        true
    }
}
