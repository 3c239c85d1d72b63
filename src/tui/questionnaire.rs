//! Assessment dialogs: choosing an instrument, the questionnaire runner (one item at a time,
//! a progress bar, a review page before saving) and the recommendation card shown after an
//! engagement assessment.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use tui_input::{Input, InputRequest};

use super::action::Action;
use super::keymap::Context;
use super::popups::Confirm;
use super::theme::Theme;
use super::widgets::popup::{centered, frame};
use super::widgets::rows::fit;
use crate::domain::assessment::Assessment;
use crate::domain::engagement::EngagementModel;
use crate::domain::instrument::{Instrument, InstrumentKind, RankEntry, Reason};
use crate::instruments::Catalog;
use crate::tui::dialogs::{Apply, Dialog, Outcome};
use crate::tui::names::Names;

/// A bar of `width` cells, `done` of `total` filled.
pub fn bar(done: usize, total: usize, width: usize) -> String {
    let filled = (done * width).checked_div(total).unwrap_or(0).min(width);
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

// ---- choosing an instrument ----------------------------------------------------------------

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

// ---- the runner ----------------------------------------------------------------------------

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

// ---- the recommendation card ---------------------------------------------------------------

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

// ---- on the dialog stack -------------------------------------------------------------------

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

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::KeyModifiers;

    fn key() -> KeyEvent {
        KeyEvent::new(KeyCode::Null, KeyModifiers::NONE)
    }

    fn runner() -> Runner {
        let cat = Catalog::built_in();
        Runner::new(1, "Tom Berg", cat.get("wellbeing").unwrap().clone())
    }

    fn draw(f: impl Fn(Rect, &mut Buffer)) -> Terminal<TestBackend> {
        let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
        t.draw(|fr| {
            let a = fr.area();
            f(a, fr.buffer_mut())
        })
        .unwrap();
        t
    }

    #[test]
    fn the_runner_answers_goes_back_and_saves_from_review() {
        let mut r = runner();
        assert!(matches!(r.handle(Some(Action::Pick(9))), Outcome::Keep));
        assert_eq!(r.pos, 0);
        r.handle(Some(Action::Pick(2)));
        r.handle(Some(Action::Pick(3)));
        assert_eq!(r.pos, 2);
        r.handle(Some(Action::Previous));
        assert_eq!(r.pos, 1);
        r.handle(Some(Action::Pick(1)));
        for _ in 0..4 {
            r.handle(Some(Action::Pick(4)));
        }
        assert!(r.reviewing());
        match r.handle(Some(Action::Submit)) {
            Outcome::Apply(Apply::SaveAssessment { answers, .. }) => {
                assert_eq!(answers, vec![1, 0, 3, 3, 3, 3])
            }
            _ => panic!("expected a save"),
        }
        // Esc with answers asks first.
        assert!(matches!(r.handle(Some(Action::Back)), Outcome::Push(_)));
    }

    #[test]
    fn snapshot_runner_item() {
        let mut r = runner();
        r.handle(Some(Action::Pick(2)));
        r.handle(Some(Action::Pick(3)));
        let theme = Theme::plain();
        let t = draw(|a, b| r.render(a, b, &theme, Names::default()));
        insta::assert_snapshot!(t.backend());
    }

    #[test]
    fn snapshot_runner_review() {
        let mut r = runner();
        for k in [2, 3, 1, 2, 4, 1] {
            r.handle(Some(Action::Pick(k)));
        }
        let theme = Theme::plain();
        let t = draw(|a, b| r.render(a, b, &theme, Names::default()));
        insta::assert_snapshot!(t.backend());
    }

    fn card() -> RecommendationCard {
        let cat = Catalog::built_in();
        let e = cat.engagement().unwrap();
        let answers = [0, 0, 0, 0, 4, 4, 1, 1, 0, 0, 2, 0, 2, 0, 1, 0];
        let s = e.score(&answers).unwrap();
        let a = Assessment {
            id: 1,
            client_id: 1,
            instrument: "engagement".into(),
            version: 1,
            administered_at: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            answers: answers.to_vec(),
            total: s.total,
            band: None,
            flags: vec![],
            subscales: Default::default(),
            ranking: s.ranking,
            kind: InstrumentKind::Recommendation,
            title: e.title.clone(),
            why: s.why,
            tie: s.tie,
            better: None,
            reliable_change: None,
        };
        RecommendationCard::new("Tom Berg", &a)
    }

    #[test]
    fn snapshot_recommendation_card() {
        let c = card();
        let theme = Theme::plain();
        let t = draw(|a, b| {
            c.render(a, b, &theme, Names::default());
        });
        insta::assert_snapshot!(t.backend());
    }

    #[test]
    fn choosing_another_model_asks_why() {
        let mut c = card();
        match c.handle(Some(Action::Submit), &key()) {
            Outcome::Apply(Apply::ChooseModel { model, reason, .. }) => {
                assert_eq!(model, EngagementModel::Collaborative);
                assert_eq!(reason, None);
            }
            _ => panic!("expected a choice"),
        }
        c.handle(Some(Action::Pick(5)), &key());
        assert!(matches!(
            c.handle(Some(Action::Submit), &key()),
            Outcome::Keep
        ));
        assert_eq!(c.context(), Context::ReasonEntry);
        // An empty reason is not enough.
        assert!(matches!(
            c.handle(Some(Action::Submit), &key()),
            Outcome::Keep
        ));
        for ch in "wants advice".chars() {
            c.handle(None, &KeyEvent::new(KeyCode::Char(ch), KeyModifiers::NONE));
        }
        let theme = Theme::plain();
        let t = draw(|a, b| {
            c.render(a, b, &theme, Names::default());
        });
        insta::assert_snapshot!(t.backend());
        match c.handle(Some(Action::Submit), &key()) {
            Outcome::Apply(Apply::ChooseModel { model, reason, .. }) => {
                assert_eq!(model.as_str(), c.ranking[4].model);
                assert_eq!(reason.as_deref(), Some("wants advice"));
            }
            _ => panic!("expected a choice"),
        }
    }
}
