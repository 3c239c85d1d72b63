//! Today, the home screen.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::domain::client::ClientStatus;
use crate::store::{Result, Store};
use crate::tui::theme::Theme;

#[derive(Debug, Default)]
pub struct TodayScreen {
    pub day: Option<NaiveDate>,
    /// Clients by status, in [`ClientStatus::ALL`] order.
    counts: [usize; 4],
    total: usize,
    file: String,
}

impl TodayScreen {
    pub fn refresh(&mut self, store: &Store, day: NaiveDate) -> Result<()> {
        self.day = Some(day);
        self.counts = store.client_counts()?;
        self.total = self.counts.iter().sum();
        self.file = store
            .path()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "memory".into());
        Ok(())
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let title = match self.day {
            Some(d) => format!(" Today · {} ", d.format("%A %-d %B")),
            None => " Today ".into(),
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focus)
            .title(Span::styled(title, theme.title));
        let mut lines: Vec<Line> = Vec::new();
        if self.total == 0 {
            lines.push(Line::from(Span::styled(
                "Welcome to caseload.",
                theme.heading,
            )));
            lines.push(Line::default());
            lines.push(Line::from(
                "Your practice is kept in one private file on this computer:",
            ));
            lines.push(Line::from(Span::styled(
                format!("  {}", self.file),
                theme.key,
            )));
            lines.push(Line::from("Nothing leaves it unless you export it."));
            lines.push(Line::default());
            lines.push(Line::from(vec![
                Span::raw("To add your first client, press "),
                Span::styled("a", theme.key),
                Span::raw(" (or "),
                Span::styled("2", theme.key),
                Span::raw(" for Clients, then "),
                Span::styled("a", theme.key),
                Span::raw(")."),
            ]));
            lines.push(Line::from(vec![
                Span::raw("From a shell: "),
                Span::styled("caseload client add --name \"Full Name\"", theme.key),
            ]));
            lines.push(Line::from(vec![
                Span::raw("To look around with fictional clients first: "),
                Span::styled("caseload --demo", theme.key),
            ]));
            lines.push(Line::default());
            lines.push(Line::from(vec![
                Span::styled("?", theme.key),
                Span::raw(" shows every key."),
            ]));
        } else {
            let active = self.counts[ClientStatus::Active.index()];
            let on_hold = self.counts[ClientStatus::OnHold.index()];
            lines.push(Line::from(format!(
                "{active} active client{} · {on_hold} on hold · {} in all.",
                if active == 1 { "" } else { "s" },
                self.total
            )));
            lines.push(Line::default());
            lines.push(Line::from(Span::styled(
                "Not yet: today's sessions and the needs-attention list arrive with session booking.",
                theme.muted,
            )));
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block)
            .render(area, buf);
    }
}
