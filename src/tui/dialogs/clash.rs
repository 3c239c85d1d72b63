//! A booking that overlaps other sessions: every clashing date with its client, the nearest
//! free times (for the whole series), book anyway, or back to the form to pick another time.

use crate::domain::schedule::Clash;
use crate::store::session::BookingRequest;
use crate::tui::action::Action;
use crate::tui::dialogs::*;
use crate::tui::keymap::Context;
use crate::tui::names::Names;
use crate::tui::theme::Theme;
use crate::tui::widgets::popup::{View, scrolled};
use chrono::{Duration, NaiveDateTime};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use std::cell::Cell;

pub struct ClashDialog {
    pub req: BookingRequest,
    /// Every occurrence that overlaps a booked session, first first.
    pub clashes: Vec<Clash>,
    /// Start times at which the whole booking is free, nearest the one asked for.
    pub free: Vec<NaiveDateTime>,
    /// Rows scrolled, as last drawn (clamped to the end).
    scroll: Cell<u16>,
}

impl ClashDialog {
    pub fn new(req: BookingRequest, clashes: Vec<Clash>, free: Vec<NaiveDateTime>) -> ClashDialog {
        ClashDialog {
            req,
            clashes,
            free,
            scroll: Cell::new(0),
        }
    }

    pub fn handle(&mut self, action: Option<Action>) -> Outcome {
        match action {
            Some(Action::Yes) => Outcome::Apply(Apply::Book {
                req: self.req,
                force: true,
            }),
            Some(Action::No) => Outcome::Close,
            Some(Action::Pick(n)) => match self.free.get(usize::from(n).wrapping_sub(1)) {
                Some(at) => Outcome::Apply(Apply::Book {
                    req: BookingRequest {
                        starts_at: *at,
                        ..self.req
                    },
                    force: false,
                }),
                None => Outcome::Keep,
            },
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

    fn lines(&self, theme: &Theme, names: Names) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        let n = self.clashes.len();
        let series = !matches!(self.req.repeat, crate::domain::schedule::Repeat::Once);
        lines.push(Line::from(if series {
            format!(
                "{n} of the series overlap{} a session already booked:",
                if n == 1 { "s" } else { "" }
            )
        } else {
            "It overlaps a session already booked:".to_string()
        }));
        for c in &self.clashes {
            let end = c.with.starts_at + Duration::minutes(i64::from(c.with.minutes));
            lines.push(Line::from(vec![
                Span::styled(
                    format!("  {}  ", c.at.format("%a %-d %b %Y %H:%M")),
                    theme.warn,
                ),
                Span::raw(format!(
                    "{} {}–{} ({})",
                    names.client(&c.with.client_name),
                    c.with.starts_at.format("%H:%M"),
                    end.format("%H:%M"),
                    c.with.modality.label().to_lowercase()
                )),
            ]));
        }
        lines.push(Line::default());
        if self.free.is_empty() {
            lines.push(Line::from(Span::styled(
                "No free time nearby in office hours: pick another time in the form.",
                theme.muted,
            )));
        } else {
            lines.push(Line::from(Span::styled(
                if series {
                    "Free for every session of the series, nearest first in time:"
                } else {
                    "Free times nearby:"
                },
                theme.heading,
            )));
            for (i, t) in self.free.iter().enumerate() {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {}  ", i + 1), theme.key),
                    Span::raw(t.format("%a %-d %b %Y %H:%M").to_string()),
                ]));
            }
        }
        lines.push(Line::default());
        let mut keys = vec![
            Span::styled("y", theme.key),
            Span::raw(" book anyway   "),
            Span::styled("n", theme.key),
            Span::raw(" pick another time"),
        ];
        if !self.free.is_empty() {
            keys.push(Span::raw("   "));
            keys.push(Span::styled(format!("1–{}", self.free.len()), theme.key));
            keys.push(Span::raw(" book at that time"));
        }
        lines.push(Line::from(keys));
        lines
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        let title = if self.clashes.len() > 1 {
            "This overlaps other sessions"
        } else {
            "This overlaps another session"
        };
        let (_, top) = scrolled(
            area,
            72,
            title,
            self.lines(theme, names),
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

impl Dialog for ClashDialog {
    fn context(&self) -> Context {
        Context::BookingClash
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
