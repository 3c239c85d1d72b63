//! The agenda: a week of sessions, days as columns (or grouped rows when the terminal is narrow).

use chrono::{Duration, NaiveDate, NaiveDateTime};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Widget};

use super::today::status_style;
use crate::domain::session::SessionStatus;
use crate::domain::time::WeekStart;
use crate::store::session::Listed;
use crate::store::{Result, Store};
use crate::tui::action::Action;
use crate::tui::names::Names;
use crate::tui::theme::Theme;
use crate::tui::widgets::rows::fit;

/// The narrowest a day column may be before the week is drawn as grouped rows.
const MIN_COLUMN: u16 = 15;

#[derive(Debug, Default)]
pub struct AgendaScreen {
    /// The first day of the week shown.
    pub week: Option<NaiveDate>,
    pub rows: Vec<Listed>,
    /// `rows` index where each of the seven days begins (and the end, at 7).
    starts: [usize; 8],
    pub selected: usize,
    today: Option<NaiveDate>,
}

impl AgendaScreen {
    /// Reloads the week shown (the week of `now` on first use).
    pub fn refresh(
        &mut self,
        store: &Store,
        now: NaiveDateTime,
        week_start: WeekStart,
    ) -> Result<()> {
        let keep = self.selected().map(|l| l.session.id);
        let week = *self.week.get_or_insert(week_start.week_of(now.date()));
        self.today = Some(now.date());
        self.rows = store.week_sessions(week)?;
        let mut d = 0usize;
        self.starts = [self.rows.len(); 8];
        self.starts[0] = 0;
        for (i, l) in self.rows.iter().enumerate() {
            let day = (l.session.starts_at.date() - week).num_days().clamp(0, 6) as usize;
            while d < day {
                d += 1;
                self.starts[d] = i;
            }
        }
        while d < 7 {
            d += 1;
            self.starts[d] = self.rows.len();
        }
        self.selected = match keep.and_then(|id| self.rows.iter().position(|l| l.session.id == id))
        {
            Some(i) => i,
            None => self
                .rows
                .iter()
                .position(|l| l.session.starts_at >= now)
                .unwrap_or(0),
        };
        Ok(())
    }

    pub fn selected(&self) -> Option<&Listed> {
        self.rows.get(self.selected)
    }

    /// Shows the week holding `day` (the caller refreshes); selects that day's first session.
    pub fn show(&mut self, day: NaiveDate, week_start: WeekStart) {
        self.week = Some(week_start.week_of(day));
        self.rows.clear();
        self.selected = 0;
    }

    /// Handles a moving action; returns a day whose week should be shown, when it changes.
    pub fn handle(&mut self, action: Action) -> Option<NaiveDate> {
        let week = self.week?;
        let last = self.rows.len().saturating_sub(1);
        match action {
            Action::PrevWeek => return Some(week - Duration::days(7)),
            Action::NextWeek => return Some(week + Duration::days(7)),
            Action::ThisDay => return self.today,
            Action::Down => self.selected = (self.selected + 1).min(last),
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = last,
            _ => {}
        }
        None
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        let Some(week) = self.week else { return };
        let end = week + Duration::days(6);
        let title = format!(
            " Agenda · {} – {} · {} session{} ",
            week.format("%-d %b"),
            end.format("%-d %b %Y"),
            self.rows.len(),
            if self.rows.len() == 1 { "" } else { "s" }
        );
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focus)
            .title(Span::styled(title, theme.title));
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height < 2 || inner.width < 10 {
            return;
        }
        if inner.width / 7 >= MIN_COLUMN {
            self.render_columns(inner, buf, theme, week, names);
        } else {
            self.render_grouped(inner, buf, theme, week, names);
        }
    }

    fn line_for(&self, i: usize, w: usize, names: Names) -> String {
        let l = &self.rows[i];
        let mark = match l.session.status {
            SessionStatus::Scheduled => ' ',
            SessionStatus::Attended => '✓',
            SessionStatus::Late => '~',
            SessionStatus::NoShow => '✗',
            _ => '-',
        };
        let name = names.client(&l.client);
        let name = crate::tui::names::fit_name(&name, w.saturating_sub(7));
        let text = format!("{}{} {}", mark, l.session.starts_at.format("%H:%M"), name);
        fit(&text, w)
    }

    fn render_columns(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        week: NaiveDate,
        names: Names,
    ) {
        let col_w = area.width / 7;
        for d in 0..7usize {
            let x = area.x + col_w * d as u16;
            let day = week + Duration::days(d as i64);
            let head_style = if Some(day) == self.today {
                theme.tab_active
            } else {
                theme.heading
            };
            let head = fit(&day.format("%a %-d").to_string(), col_w as usize - 1);
            buf.set_stringn(x, area.y, &head, col_w as usize - 1, head_style);
            let (a, b) = (self.starts[d], self.starts[d + 1]);
            let lines = area.height as usize - 1;
            let n = b - a;
            // A day that overflows keeps its last line for the "more" marker, on its own line.
            let h = if n > lines {
                lines.saturating_sub(1)
            } else {
                lines
            };
            // Keep the selection in view within its own column.
            let offset = if (a..b).contains(&self.selected) && self.selected - a >= h {
                self.selected - a + 1 - h
            } else {
                0
            };
            for (line, i) in (a..b).skip(offset).take(h).enumerate() {
                let y = area.y + 1 + line as u16;
                let style = if i == self.selected {
                    theme.selected
                } else {
                    status_style(self.rows[i].session.status, theme)
                };
                let text = self.line_for(i, col_w as usize - 1, names);
                buf.set_stringn(x, y, &text, col_w as usize - 1, style);
            }
            if n > lines {
                let (above, below) = (offset, n - h - offset);
                let more = match (above, below) {
                    (0, b) => format!("+{b} more"),
                    (a, 0) => format!("+{a} earlier"),
                    (a, b) => format!("+{a} earlier, +{b} more"),
                };
                let w = col_w as usize - 1;
                let more = format!("{:<w$}", fit(&more, w));
                buf.set_stringn(x, area.bottom() - 1, &more, w, theme.muted);
            }
        }
    }

    fn render_grouped(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        week: NaiveDate,
        names: Names,
    ) {
        // Lines: a heading per day with sessions, then its sessions.
        let mut lines: Vec<(Option<usize>, String)> = Vec::new();
        for d in 0..7usize {
            let (a, b) = (self.starts[d], self.starts[d + 1]);
            let day = week + Duration::days(d as i64);
            let count = if a == b {
                " · free".to_string()
            } else {
                String::new()
            };
            lines.push((None, format!("{}{count}", day.format("%A %-d %b"))));
            for i in a..b {
                lines.push((Some(i), String::new()));
            }
        }
        let h = area.height as usize;
        let sel_line = lines
            .iter()
            .position(|(i, _)| *i == Some(self.selected))
            .unwrap_or(0);
        let offset = if sel_line >= h { sel_line + 1 - h } else { 0 };
        let w = area.width as usize;
        for (row, (i, head)) in lines.iter().skip(offset).take(h).enumerate() {
            let y = area.y + row as u16;
            match i {
                None => {
                    buf.set_stringn(area.x, y, head, w, theme.heading);
                }
                Some(i) => {
                    let style = if *i == self.selected {
                        theme.selected
                    } else {
                        status_style(self.rows[*i].session.status, theme)
                    };
                    let text = format!("  {}", self.line_for(*i, w.saturating_sub(2), names));
                    buf.set_stringn(area.x, y, &text, w, style);
                }
            }
        }
    }
}
