//! A document on screen: the handout (meant for the client's eyes: it takes the whole screen)
//! or the transition summary; w writes it as a page, g marks the handout given.

use crate::tui::action::Action;
use crate::tui::dialogs::*;
use crate::tui::keymap::{self, Context};
use crate::tui::names::Names;
use crate::tui::theme::Theme;
use crate::tui::widgets::popup::{centered, frame};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

pub struct DocumentView {
    pub title: String,
    /// The client the document is about (the title names them through [`Names`]).
    pub who: String,
    pub lines: Vec<String>,
    /// The same document made with the client's initials, shown in privacy mode.
    pub private_lines: Vec<String>,
    pub scroll: u16,
    /// Set for a handout: the client it may be marked given to.
    pub handout_for: Option<i64>,
    /// A line under the title (e.g. "given 12 Mar · up to date").
    pub status: String,
    pub file_name: String,
    pub html: String,
}

impl DocumentView {
    fn handle(&mut self, action: Option<Action>) -> Outcome {
        match action {
            Some(Action::Down) => self.scroll = self.scroll.saturating_add(1),
            Some(Action::Up) => self.scroll = self.scroll.saturating_sub(1),
            Some(Action::PageDown) => self.scroll = self.scroll.saturating_add(10),
            Some(Action::PageUp) => self.scroll = self.scroll.saturating_sub(10),
            Some(Action::WriteFile) => {
                return rel(RelApply::WritePage {
                    file_name: self.file_name.clone(),
                    html: self.html.clone(),
                });
            }
            Some(Action::MarkGiven) => {
                if let Some(client_id) = self.handout_for {
                    return rel(RelApply::MarkHandoutGiven { client_id });
                }
            }
            Some(Action::Back) => return Outcome::Close,
            _ => {}
        }
        Outcome::Keep
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        let rect = centered(area, 86, area.height);
        let title = format!("{} · {}", self.title, names.client(&self.who));
        let inner = frame(rect, buf, &title, theme);
        if inner.height < 2 {
            return;
        }
        // The view covers the hint bar, so its keys sit on its bottom edge.
        if rect.width > 4 && rect.height > 2 {
            let mut spans = vec![Span::raw(" ")];
            for (keys, hint) in keymap::hints(Dialog::context(self)) {
                spans.push(Span::styled(keys, theme.key));
                spans.push(Span::styled(format!(" {hint}  "), theme.muted));
            }
            buf.set_line(
                rect.x + 2,
                rect.bottom() - 1,
                &Line::from(spans),
                rect.width - 4,
            );
        }
        buf.set_stringn(
            inner.x,
            inner.y,
            &self.status,
            inner.width as usize,
            theme.muted,
        );
        let body = Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1);
        let shown = if names.private {
            &self.private_lines
        } else {
            &self.lines
        };
        let lines: Vec<Line> = shown.iter().map(|l| Line::from(l.as_str())).collect();
        Paragraph::new(lines)
            .scroll((self.scroll, 0))
            .render(body, buf);
    }
}

impl Dialog for DocumentView {
    fn context(&self) -> Context {
        // The handout's keys (m marks it given) are not the summary's.
        if self.handout_for.is_some() {
            Context::RelDocument
        } else {
            Context::Summary
        }
    }

    fn handle(&mut self, action: Option<Action>, _key: &KeyEvent) -> Outcome {
        DocumentView::handle(self, action)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        DocumentView::render(self, area, buf, theme, names);
        None
    }

    /// The handout preview is meant to be turned towards the client.
    fn client_facing(&self) -> bool {
        self.handout_for.is_some()
    }
}
