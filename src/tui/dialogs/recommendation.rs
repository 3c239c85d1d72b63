//! The engagement model recommended from the needs assessment: accept it or choose another,
//! with a reason.

use crate::domain::assessment::Assessment;
use crate::domain::engagement::EngagementModel;
use crate::domain::instrument::{InstrumentKind, RankEntry, Reason};
use crate::tui::action::Action;
use crate::tui::dialogs::*;
use crate::tui::keymap::Context;
use crate::tui::names::Names;
use crate::tui::theme::Theme;
use crate::tui::widgets::popup::{centered, frame};
use crate::tui::widgets::rows::fit;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use tui_input::{Input, InputRequest};

pub struct RecommendationCard {
    pub client_id: i64,
    pub client_name: String,
    pub ranking: Vec<RankEntry>,
    pub why: Vec<Reason>,
    pub tie: Option<String>,
    pub selected: usize,
    /// Typing the reason for choosing another model than the first.
    pub reason: Option<Input>,
}

fn model_of(word: &str) -> Option<EngagementModel> {
    word.parse().ok()
}

fn label_of(word: &str) -> String {
    model_of(word)
        .map(|m| m.label().to_string())
        .unwrap_or_else(|| word.to_string())
}

impl RecommendationCard {
    pub fn new(client_name: &str, a: &Assessment) -> RecommendationCard {
        RecommendationCard {
            client_id: a.client_id,
            client_name: client_name.to_string(),
            ranking: a.ranking.clone(),
            why: a.why.clone(),
            tie: a.tie.clone(),
            selected: 0,
            reason: None,
        }
    }

    pub fn context(&self) -> Context {
        if self.reason.is_some() {
            Context::ReasonEntry
        } else {
            Context::Recommendation
        }
    }

    fn choose(&self, reason: Option<String>) -> Outcome {
        match self
            .ranking
            .get(self.selected)
            .and_then(|e| model_of(&e.model))
        {
            Some(model) => Outcome::Apply(Apply::ChooseModel {
                client_id: self.client_id,
                model,
                reason,
            }),
            None => Outcome::Keep,
        }
    }

    pub fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> Outcome {
        if let Some(input) = &mut self.reason {
            match action {
                Some(Action::Submit) => {
                    let r = input.value().trim().to_string();
                    if !r.is_empty() {
                        return self.choose(Some(r));
                    }
                }
                Some(Action::Back) => self.reason = None,
                _ => {
                    let req = match key.code {
                        KeyCode::Char(c) => Some(InputRequest::InsertChar(c)),
                        KeyCode::Backspace => Some(InputRequest::DeletePrevChar),
                        KeyCode::Delete => Some(InputRequest::DeleteNextChar),
                        KeyCode::Left => Some(InputRequest::GoToPrevChar),
                        KeyCode::Right => Some(InputRequest::GoToNextChar),
                        _ => None,
                    };
                    if let Some(req) = req {
                        input.handle(req);
                    }
                }
            }
            return Outcome::Keep;
        }
        let n = self.ranking.len().max(1);
        match action {
            Some(Action::Down) => self.selected = (self.selected + 1) % n,
            Some(Action::Up) => self.selected = (self.selected + n - 1) % n,
            Some(Action::Pick(k)) if (1..=n as u8).contains(&k) => self.selected = k as usize - 1,
            Some(Action::Submit) if self.selected == 0 => return self.choose(None),
            Some(Action::Submit) => self.reason = Some(Input::default()),
            Some(Action::Back) => return Outcome::Close,
            _ => {}
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
        let h = self.ranking.len() as u16 + self.why.len() as u16 + 17;
        let area = centered(area, 90, h);
        let inner = frame(
            area,
            buf,
            &format!(
                "How to work with {} · recommendation",
                names.client(&self.client_name)
            ),
            theme,
        );
        let w = inner.width as usize;
        let mut lines: Vec<Line> = Vec::new();
        for (i, e) in self.ranking.iter().enumerate() {
            let sel = i == self.selected;
            let style = if sel { theme.selected } else { theme.base };
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{} {} ", if sel { "▶" } else { " " }, i + 1),
                    theme.key,
                ),
                Span::styled(format!("{:<18}", label_of(&e.model)), style),
                Span::styled(bar((e.share * 100.0).round() as usize, 100, 20), theme.good),
                Span::raw(format!(" {:>3.0}%", e.share * 100.0)),
                Span::styled(if i == 0 { "  recommended" } else { "" }, theme.muted),
            ]));
        }
        if let Some(t) = &self.tie {
            let mut t = t.clone();
            for m in EngagementModel::ALL {
                t = t.replace(m.as_str(), m.label());
            }
            lines.push(Line::from(Span::styled(fit(&t, w), theme.warn)));
        }
        if let Some(first) = self.ranking.first() {
            lines.push(Line::from(Span::styled(
                format!("Why {}:", label_of(&first.model)),
                theme.heading,
            )));
        }
        for r in &self.why {
            let answer = format!(" — {}", r.answer);
            let text_w = w.saturating_sub(answer.chars().count() + 6);
            lines.push(Line::from(vec![
                Span::raw(format!("  • “{}”", fit(&r.text, text_w))),
                Span::styled(answer, theme.muted),
            ]));
        }
        lines.push(Line::default());
        let mut cursor = None;
        if let Some(input) = &self.reason {
            let chosen = self
                .ranking
                .get(self.selected)
                .map(|e| label_of(&e.model))
                .unwrap_or_default();
            let first = self
                .ranking
                .first()
                .map(|e| label_of(&e.model))
                .unwrap_or_default();
            let prompt = format!("Why {chosen} rather than {first}? ");
            let y = inner.y + lines.len() as u16;
            let x = inner.x + prompt.chars().count() as u16 + input.visual_cursor() as u16;
            lines.push(Line::from(vec![
                Span::styled(prompt, theme.heading),
                Span::styled(input.value().to_string(), theme.input),
            ]));
            lines.push(Line::from(vec![
                Span::styled("Enter", theme.key),
                Span::styled(" save the choice  ", theme.muted),
                Span::styled("Esc", theme.key),
                Span::styled(" back", theme.muted),
            ]));
            if y < inner.bottom() {
                cursor = Some(Position::new(x.min(inner.right().saturating_sub(1)), y));
            }
        } else {
            lines.push(Line::from(vec![
                Span::styled("Enter", theme.key),
                Span::styled(
                    if self.selected == 0 {
                        " accept  "
                    } else {
                        " choose this one (asks why)  "
                    },
                    theme.muted,
                ),
                Span::styled(format!("1–{}", self.ranking.len()), theme.key),
                Span::styled(" choose another  ", theme.muted),
                Span::styled("Esc", theme.key),
                Span::styled(" decide later", theme.muted),
            ]));
        }
        if let Some(m) = self
            .ranking
            .get(self.selected)
            .and_then(|e| model_of(&e.model))
        {
            let g = m.guidance();
            lines.push(Line::default());
            lines.push(Line::from(Span::styled(
                format!("Working in the {} way", m.label().to_lowercase()),
                theme.heading,
            )));
            for (label, text) in [
                ("When it fits  ", g.fits_when),
                ("What you do   ", g.you_do),
                ("Watch for     ", g.watch_for),
            ] {
                lines.push(Line::from(vec![
                    Span::styled(label, theme.muted),
                    Span::raw(text),
                ]));
            }
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
        cursor
    }
}

/// The words for a saved measure, for the message line.
pub fn saved_message(a: &Assessment, name: &str) -> String {
    match a.kind {
        InstrumentKind::Measure => {
            let mut s = format!(
                "Saved {} for {name}: total {}{}.",
                a.title,
                a.total,
                a.band
                    .as_deref()
                    .map(|b| format!(", {b}"))
                    .unwrap_or_default()
            );
            for f in &a.flags {
                s.push_str(&format!(" ! {}", f.message));
            }
            s
        }
        InstrumentKind::Recommendation => format!("Saved {} for {name}.", a.title),
    }
}

impl Dialog for RecommendationCard {
    fn context(&self) -> Context {
        RecommendationCard::context(self)
    }

    fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> Outcome {
        RecommendationCard::handle(self, action, key)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        RecommendationCard::render(self, area, buf, theme, names)
    }
}
