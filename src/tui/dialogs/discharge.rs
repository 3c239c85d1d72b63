//! Ending care: the reason, then the details (a form), then the confirmation.

use crate::domain::discharge::{DischargeFields, DischargeReason};
use crate::domain::session::Session;
use crate::tui::action::Action;
use crate::tui::dialogs::*;
use crate::tui::keymap::Context;
use crate::tui::names::Names;
use crate::tui::theme::Theme;
use crate::tui::widgets::popup::{View, centered, frame, scrolled};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use std::cell::Cell;

pub struct DischargeReasonPicker {
    pub client_id: i64,
    pub name: String,
}

impl DischargeReasonPicker {
    fn handle(&mut self, action: Option<Action>) -> Outcome {
        match action {
            Some(Action::Pick(n)) if (1..=6).contains(&n) => {
                let reason = DischargeReason::ALL[usize::from(n - 1)];
                Outcome::Push(Box::new(FormDialog::discharge(
                    self.client_id,
                    &self.name,
                    reason,
                )))
            }
            Some(Action::Back) => Outcome::Close,
            _ => Outcome::Keep,
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        let rect = centered(area, 70, 10);
        let inner = frame(
            rect,
            buf,
            &format!("Ending care · {}", names.client(&self.name)),
            theme,
        );
        let mut lines = vec![Line::from(Span::styled(
            "Why is care ending?",
            theme.heading,
        ))];
        for (i, r) in DischargeReason::ALL.iter().enumerate() {
            lines.push(Line::from(vec![
                Span::styled(format!("  {}  ", i + 1), theme.key),
                Span::raw(r.label()),
            ]));
        }
        Paragraph::new(lines).render(inner, buf);
    }
}

pub struct DischargeConfirm {
    pub client_id: i64,
    pub name: String,
    pub fields: DischargeFields,
    /// The future sessions that will be cancelled.
    pub sessions: Vec<Session>,
    /// Rows scrolled on a short terminal, as last drawn.
    pub scroll: Cell<u16>,
}

impl DischargeConfirm {
    fn handle(&mut self, action: Option<Action>) -> Outcome {
        match action {
            Some(Action::Yes) => rel(RelApply::Discharge {
                client_id: self.client_id,
                fields: self.fields.clone(),
            }),
            Some(Action::No) => Outcome::Close,
            Some(Action::Down) => {
                self.scroll.set(self.scroll.get().saturating_add(1));
                Outcome::Keep
            }
            Some(Action::Up) => {
                self.scroll.set(self.scroll.get().saturating_sub(1));
                Outcome::Keep
            }
            _ => Outcome::Keep,
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        let shown = self.sessions.len().min(8);
        let to = self.fields.to_status().label().to_lowercase();
        let mut lines = vec![
            Line::from(format!(
                "{} becomes {to} ({}).",
                names.client(&self.name),
                self.fields.reason.label().to_lowercase()
            )),
            Line::from(match &self.fields.referral {
                Some(r) => format!("Referral: {}", r.name),
                None => "No referral.".to_string(),
            }),
            Line::default(),
        ];
        if self.sessions.is_empty() {
            lines.push(Line::from("There are no future sessions to cancel."));
        } else {
            lines.push(Line::from(Span::styled(
                if self.sessions.len() == 1 {
                    "This future session will be cancelled by you:".to_string()
                } else {
                    format!(
                        "These {} future sessions will be cancelled by you:",
                        self.sessions.len()
                    )
                },
                theme.warn,
            )));
            for s in self.sessions.iter().take(shown) {
                lines.push(Line::from(format!(
                    "  {}  {}",
                    s.starts_at.format("%a %-d %b %Y %H:%M"),
                    s.modality.label()
                )));
            }
            if self.sessions.len() > shown {
                lines.push(Line::from(format!(
                    "  … and {} more",
                    self.sessions.len() - shown
                )));
            }
        }
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            "y end care · n back. The record is kept; the client can be reopened later.",
            theme.muted,
        )));
        let (_, top) = scrolled(
            area,
            80,
            &format!("End care · {}", names.client(&self.name)),
            lines,
            View {
                scroll: self.scroll.get(),
                keep: None,
            },
            buf,
            theme,
        );
        self.scroll.set(top);
    }
}

impl Dialog for DischargeReasonPicker {
    fn context(&self) -> Context {
        Context::RelDischargeReason
    }

    fn handle(&mut self, action: Option<Action>, _key: &KeyEvent) -> Outcome {
        DischargeReasonPicker::handle(self, action)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        DischargeReasonPicker::render(self, area, buf, theme, names);
        None
    }
}

impl Dialog for DischargeConfirm {
    fn context(&self) -> Context {
        Context::RelDischargeConfirm
    }

    fn handle(&mut self, action: Option<Action>, _key: &KeyEvent) -> Outcome {
        DischargeConfirm::handle(self, action)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        DischargeConfirm::render(self, area, buf, theme, names);
        None
    }
}
