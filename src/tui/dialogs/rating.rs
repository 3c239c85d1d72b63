//! Rating every active goal on one screen (after an attended session, or from the goals).

use crate::domain::goal::rating_for_key;
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
