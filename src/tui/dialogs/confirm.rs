//! A yes/no question asked before something that cannot be taken back.

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

pub struct Confirm {
    pub question: Question,
    pub title: String,
    pub text: String,
    /// What `y` and `n` do, in words.
    pub yes: &'static str,
    pub no: &'static str,
}

impl Confirm {
    pub fn discard_form() -> Confirm {
        Confirm {
            question: Question::DiscardForm,
            title: "Discard changes?".into(),
            text: "What you typed in this form has not been saved. Discard it?".into(),
            yes: "yes, discard",
            no: "no, keep editing",
        }
    }

    /// Stopping a questionnaire part-way.
    pub fn discard_answers() -> Confirm {
        Confirm {
            question: Question::DiscardForm,
            title: "Stop the questionnaire?".into(),
            text: "The answers given so far have not been saved. Stop and discard them?".into(),
            yes: "yes, stop",
            no: "no, go on",
        }
    }

    pub fn sign_note() -> Confirm {
        Confirm {
            question: Question::SignNote,
            title: "Sign this note?".into(),
            text: "Signing makes this note final; corrections become addenda.".into(),
            yes: "yes, sign it",
            no: "no, keep writing",
        }
    }

    pub fn discard_addendum() -> Confirm {
        Confirm {
            question: Question::DiscardAddendum,
            title: "Discard the addendum?".into(),
            text: "The addendum you are writing has not been added. Discard it?".into(),
            yes: "yes, discard",
            no: "no, keep writing",
        }
    }

    fn handle(&mut self, action: Option<Action>) -> Outcome {
        match action {
            Some(Action::Yes) => Outcome::Apply(Apply::Confirmed(self.question)),
            Some(Action::No) => Outcome::Close,
            _ => Outcome::Keep,
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, _names: Names) {
        let width = (self.text.chars().count() as u16 + 4).clamp(56, 80);
        let area = centered(area, width, 6);
        let inner = frame(area, buf, &self.title, theme);
        Paragraph::new(vec![
            Line::from(self.text.as_str()),
            Line::default(),
            Line::from(vec![
                Span::styled("y", theme.key),
                Span::raw(format!(" {}   ", self.yes)),
                Span::styled("n", theme.key),
                Span::raw(format!(" {}", self.no)),
            ]),
        ])
        .wrap(Wrap { trim: false })
        .render(inner, buf);
    }
}

impl Dialog for Confirm {
    fn context(&self) -> Context {
        Context::Confirm
    }

    fn handle(&mut self, action: Option<Action>, _key: &KeyEvent) -> Outcome {
        Confirm::handle(self, action)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        Confirm::render(self, area, buf, theme, names);
        None
    }
}
