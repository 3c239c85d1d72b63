//! Today, the home screen: the day's sessions in time order, one key to log each outcome, and
//! the "Needs attention" list beside them.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::domain::attention::AttentionItem;
use crate::domain::session::SessionStatus;
pub use crate::store::attention::ATTENTION_LIMIT;
use crate::store::attention::{Changes, Scope, merge};
use crate::store::session::Listed;
use crate::store::{Result, Store};
use crate::tui::action::Action;
use crate::tui::names::Names;
use crate::tui::screens::client_billing::money;
use crate::tui::theme::Theme;
use crate::tui::widgets::rows::{fit, render_rows};

/// How old the needs-attention list may grow before the app reads it whole again while the
/// practitioner is idle (time alone brings items: a session ends with no outcome, a note turns
/// a day old).
pub const ATTENTION_MAX_AGE: Duration = Duration::minutes(5);

/// More clients touched at once than this (an import, say) and the whole list is read again.
const PER_CLIENT_MOST: usize = 50;

/// Which half of Today has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Sessions,
    Attention,
}

#[derive(Debug, Default)]
pub struct TodayScreen {
    /// The day shown (today unless the practitioner stepped away with `[` / `]`).
    pub day: Option<NaiveDate>,
    pub rows: Vec<Listed>,
    /// What each session's note is like, by session id ("note draft", "signed"…); filled by the
    /// notes part of caseload. A session with no entry shows nothing.
    pub note_state: HashMap<i64, String>,
    pub attention: Vec<AttentionItem>,
    /// Clients who owe money past the practice's threshold (`balance_over_days`), with what
    /// they owe as shown: their rows are marked.
    pub owing: HashMap<i64, String>,
    /// Set before the first refresh when the app starts in a terminal: the list is read just
    /// after the first frame is on screen, so opening a large practice feels instant.
    pub defer_attention: bool,
    /// The list has not been read yet (see `defer_attention`).
    pub attention_pending: bool,
    /// When the whole list was last read; `None` until then, or when it must be read again.
    attention_read: Option<NaiveDateTime>,
    pub selected: usize,
    pub attention_selected: usize,
    pub pane: Pane,
    /// How many clients the practice has (none: the welcome is shown).
    total: i64,
    file: String,
    now: Option<NaiveDateTime>,
}

impl TodayScreen {
    /// Reloads the day and the needs-attention list. `now` is the practitioner's clock; the day
    /// shown stays where it was (today on first use).
    pub fn refresh(&mut self, store: &Store, now: NaiveDateTime) -> Result<()> {
        let keep = self.selected_session_id();
        let day = *self.day.get_or_insert(now.date());
        self.now = Some(now);
        self.total = store.client_count()?;
        self.rows = store.day_sessions(day)?;
        self.note_state = note_labels(&self.rows, &store.day_note_states(day)?);
        self.owing = owing(store, now.date())?;
        if std::mem::take(&mut self.defer_attention) {
            self.attention_pending = true;
        } else if !self.attention_pending {
            self.update_attention(store, now)?;
        }
        self.file = store
            .path()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "memory".into());
        match keep {
            Some(id) if self.select_session(id) => {}
            _ => self.selected = self.first_selection(now),
        }
        self.keep_attention_selection();
        Ok(())
    }

    /// Reads the whole needs-attention list: every part of caseload adds its own items.
    pub fn load_attention(&mut self, store: &Store, now: NaiveDateTime) -> Result<()> {
        // The whole read covers whatever the writes so far touched.
        store.attention_changes()?;
        let items = store.attention(now, Scope::Practice)?;
        self.set_attention(items, now);
        Ok(())
    }

    /// Puts in the whole list read (elsewhere: the app's worker) at `now`. The caller then
    /// brings it up to date with [`TodayScreen::update_attention`] for writes made meanwhile.
    pub fn set_attention(&mut self, items: Vec<AttentionItem>, now: NaiveDateTime) {
        self.attention = items;
        self.attention_read = Some(now);
        self.attention_pending = false;
        self.keep_attention_selection();
    }

    /// Keeps the list current after a write: only the clients this window's writes touched are
    /// read again. A changed setting, a list read on another day, or one marked stale (another
    /// program wrote to the file) is read whole.
    pub fn update_attention(&mut self, store: &Store, now: NaiveDateTime) -> Result<()> {
        let read_today = self.attention_read.is_some_and(|t| t.date() == now.date());
        if !read_today {
            return self.load_attention(store, now);
        }
        match store.attention_changes()? {
            Changes::None => Ok(()),
            Changes::Clients(ids) if ids.len() <= PER_CLIENT_MOST => {
                let mut fresh = Vec::new();
                for &id in &ids {
                    fresh.extend(store.attention(now, Scope::Client(id))?);
                }
                merge(&mut self.attention, &ids, fresh);
                self.keep_attention_selection();
                Ok(())
            }
            Changes::Clients(_) | Changes::Everyone => self.load_attention(store, now),
        }
    }

    /// Marks the list for a whole read at the next refresh (another program wrote to the file,
    /// and its writes are not traced client by client).
    pub fn invalidate_attention(&mut self) {
        self.attention_read = None;
    }

    /// The list was read whole long enough ago (or on another day) that time alone may have
    /// changed it.
    pub fn attention_is_old(&self, now: NaiveDateTime) -> bool {
        self.attention_read
            .is_some_and(|t| now - t >= ATTENTION_MAX_AGE || t.date() != now.date())
    }

    fn keep_attention_selection(&mut self) {
        self.attention_selected = self
            .attention_selected
            .min(self.attention.len().saturating_sub(1));
    }

    /// The session to select on arriving at a day: the next one not yet over, else the last.
    fn first_selection(&self, now: NaiveDateTime) -> usize {
        self.rows
            .iter()
            .position(|l| l.session.ends_at() > now)
            .unwrap_or(self.rows.len().saturating_sub(1))
    }

    pub fn has_clients(&self) -> bool {
        self.total > 0
    }

    pub fn selected_session_id(&self) -> Option<i64> {
        self.rows.get(self.selected).map(|l| l.session.id)
    }

    pub fn selected(&self) -> Option<&Listed> {
        self.rows.get(self.selected)
    }

    pub fn selected_attention(&self) -> Option<&AttentionItem> {
        self.attention.get(self.attention_selected)
    }

    /// Selects a session of the day shown; false if it is not on that day.
    pub fn select_session(&mut self, id: i64) -> bool {
        match self.rows.iter().position(|l| l.session.id == id) {
            Some(i) => {
                self.selected = i;
                true
            }
            None => false,
        }
    }

    /// Shows another day (the caller refreshes).
    pub fn set_day(&mut self, day: NaiveDate) {
        if self.day != Some(day) {
            self.day = Some(day);
            self.rows.clear();
            self.selected = 0;
        }
    }

    /// Handles a moving action; returns the day to show when it changes (the app refreshes).
    pub fn handle(&mut self, action: Action, today: NaiveDate) -> Option<NaiveDate> {
        let day = self.day.unwrap_or(today);
        match action {
            Action::PrevDay => return Some(day - Duration::days(1)),
            Action::NextDay => return Some(day + Duration::days(1)),
            Action::ThisDay => return Some(today),
            Action::PaneLeft => self.pane = Pane::Sessions,
            Action::PaneRight => self.pane = Pane::Attention,
            Action::Down | Action::Up | Action::Top | Action::Bottom => {
                let (sel, n) = match self.pane {
                    Pane::Sessions => (&mut self.selected, self.rows.len()),
                    Pane::Attention => (&mut self.attention_selected, self.attention.len()),
                };
                let last = n.saturating_sub(1);
                *sel = match action {
                    Action::Down => (*sel + 1).min(last),
                    Action::Up => sel.saturating_sub(1),
                    Action::Top => 0,
                    _ => last,
                };
            }
            _ => {}
        }
        None
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        if self.total == 0 {
            self.render_welcome(area, buf, theme);
            return;
        }
        let (left, right) = if area.width >= 100 {
            let w = (area.width * 2 / 5).clamp(40, 56);
            let [l, r] =
                Layout::horizontal([Constraint::Min(50), Constraint::Length(w)]).areas(area);
            (l, r)
        } else {
            let h = (area.height / 3).max(4);
            let [l, r] = Layout::vertical([Constraint::Min(4), Constraint::Length(h)]).areas(area);
            (l, r)
        };
        self.render_sessions(left, buf, theme, names);
        self.render_attention(right, buf, theme, names);
    }

    fn render_sessions(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        let day = self.day.unwrap_or_default();
        let today = self.now.map(|n| n.date());
        let which = match today.map(|t| (day - t).num_days()) {
            Some(0) => "Today".to_string(),
            Some(1) => "Tomorrow".to_string(),
            Some(-1) => "Yesterday".to_string(),
            _ => "Day".to_string(),
        };
        let title = format!(" {which} · {} ", day.format("%A %-d %B %Y"));
        let focused = self.pane == Pane::Sessions;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(if focused {
                theme.border_focus
            } else {
                theme.border
            })
            .title(Span::styled(title, theme.title));
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 {
            return;
        }
        if self.rows.is_empty() {
            let text = vec![
                Line::from(Span::styled("No sessions booked on this day.", theme.muted)),
                Line::from(Span::styled(
                    "b books one · [ ] step a day · t back to today",
                    theme.muted,
                )),
            ];
            Paragraph::new(text)
                .wrap(Wrap { trim: true })
                .render(inner, buf);
            return;
        }
        let name_w = 14usize;
        render_rows(inner, buf, &self.rows, self.selected, |l, selected, w| {
            let s = &l.session;
            let marker = if selected { "▶" } else { " " };
            let note = self.note_state.get(&s.id).map(String::as_str).unwrap_or("");
            let mut text = format!(
                "{marker} {}  {:>3}m  {:<name_w$} {:<10} {:<16} {}",
                s.starts_at.format("%H:%M"),
                s.minutes,
                fit(&names.client(&l.client), name_w),
                s.modality.label().to_lowercase(),
                s.status.label(),
                note
            );
            let style = if focused && selected {
                theme.selected
            } else {
                status_style(s.status, theme)
            };
            if let Some(owed) = self.owing.get(&s.client_id) {
                // The amount when it fits; else the word alone, at the end of the row.
                let full = format!("  owes {owed}");
                let base = text.trim_end().to_string();
                text = if base.chars().count() + full.chars().count() <= w {
                    base + &full
                } else {
                    fit(&base, w.saturating_sub(6)) + " owes"
                };
            }
            (text, style)
        });
    }

    fn render_attention(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        let focused = self.pane == Pane::Attention;
        let count = if self.attention.len() >= ATTENTION_LIMIT {
            format!("{ATTENTION_LIMIT}+")
        } else {
            self.attention.len().to_string()
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(if focused {
                theme.border_focus
            } else {
                theme.border
            })
            .title(Span::styled(
                format!(" Needs attention ({count}) "),
                theme.title,
            ));
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 {
            return;
        }
        if self.attention_pending {
            Paragraph::new(Span::styled("Looking through the practice…", theme.muted))
                .render(inner, buf);
            return;
        }
        if self.attention.is_empty() {
            Paragraph::new(Span::styled("Nothing needs you. Well done.", theme.muted))
                .wrap(Wrap { trim: true })
                .render(inner, buf);
            return;
        }
        // The selected item in full under the list (the rows are short: client, what, when).
        let mut list = inner;
        if focused && let Some(item) = self.attention.get(self.attention_selected) {
            let full = format!(
                "{} {}",
                item.marker(),
                item.line_for(&names.client(item.client()))
            );
            let width = usize::from(inner.width.max(1));
            let rows = full.chars().count().div_ceil(width).clamp(1, 3) as u16;
            if inner.height >= rows + 4 {
                let [top, rule, detail] = Layout::vertical([
                    Constraint::Min(1),
                    Constraint::Length(1),
                    Constraint::Length(rows),
                ])
                .areas(inner);
                buf.set_stringn(
                    rule.x,
                    rule.y,
                    "─".repeat(usize::from(rule.width)),
                    usize::from(rule.width),
                    theme.border,
                );
                Paragraph::new(Span::styled(full, theme.heading))
                    .wrap(Wrap { trim: true })
                    .render(detail, buf);
                list = top;
            }
        }
        render_rows(
            list,
            buf,
            &self.attention,
            self.attention_selected,
            |item, selected, _| {
                let style = if focused && selected {
                    theme.selected
                } else {
                    theme.base
                };
                (
                    format!(
                        "{} {}",
                        item.marker(),
                        item.row_for(&names.client(item.client()))
                    ),
                    style,
                )
            },
        );
    }

    fn render_welcome(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let title = match self.day {
            Some(d) => format!(" Today · {} ", d.format("%A %-d %B")),
            None => " Today ".into(),
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focus)
            .title(Span::styled(title, theme.title));
        let lines: Vec<Line> = vec![
            Line::from(Span::styled("Welcome to caseload.", theme.heading)),
            Line::default(),
            Line::from("Your practice is kept in one private file on this computer:"),
            Line::from(Span::styled(format!("  {}", self.file), theme.key)),
            Line::from("Nothing leaves it unless you export it."),
            Line::default(),
            Line::from(vec![
                Span::raw("To add your first client, press "),
                Span::styled("a", theme.key),
                Span::raw(" (or "),
                Span::styled("2", theme.key),
                Span::raw(" for Clients, then "),
                Span::styled("a", theme.key),
                Span::raw(")."),
            ]),
            Line::from(vec![
                Span::raw("From a shell: "),
                Span::styled("caseload client add --name \"Full Name\"", theme.key),
            ]),
            Line::from(vec![
                Span::raw("To look around with fictional clients first: "),
                Span::styled("caseload --demo", theme.key),
            ]),
            Line::default(),
            Line::from(vec![
                Span::styled("?", theme.key),
                Span::raw(" shows every key."),
            ]),
        ];
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block)
            .render(area, buf);
    }
}

/// Clients whose oldest unpaid charge is older than the practice's threshold, with what they
/// owe (nothing before the practice has a currency).
fn owing(store: &Store, today: NaiveDate) -> Result<HashMap<i64, String>> {
    let settings = store.billing_settings()?;
    let Some(cur) = settings.currency else {
        return Ok(HashMap::new());
    };
    let before = today - Duration::days(i64::from(settings.balance_over_days));
    Ok(store
        .balances_due()?
        .into_iter()
        .filter(|(_, _, since)| since.is_some_and(|d| d < before))
        .map(|(id, owed, _)| (id, money(cur, owed)))
        .collect())
}

/// The style a status is shown in.
pub fn status_style(s: SessionStatus, theme: &Theme) -> Style {
    match s {
        SessionStatus::Scheduled => theme.base,
        SessionStatus::Attended | SessionStatus::Late => theme.good,
        SessionStatus::NoShow | SessionStatus::LateCancelled => theme.warn,
        SessionStatus::Cancelled | SessionStatus::Rescheduled => theme.muted,
    }
}

/// The note column: "note draft" / "note signed" for a session with a note, "no note" for an
/// attended one without, nothing otherwise.
fn note_labels(
    rows: &[Listed],
    states: &HashMap<i64, crate::domain::note::NoteState>,
) -> HashMap<i64, String> {
    use crate::domain::note::NoteState;
    rows.iter()
        .filter_map(|l| {
            let state = states
                .get(&l.session.id)
                .copied()
                .unwrap_or(NoteState::None);
            let show = state != NoteState::None || l.session.status.is_attended();
            show.then(|| (l.session.id, state.label().to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_local;

    #[test]
    fn the_list_is_read_whole_again_once_old_or_on_a_new_day() {
        let store = Store::open_in_memory().unwrap();
        store.watch_attention().unwrap();
        let at = parse_local("2026-11-23 09:00").unwrap();
        let mut t = TodayScreen::default();
        assert!(
            !t.attention_is_old(at),
            "nothing read yet: refresh reads it"
        );
        t.refresh(&store, at).unwrap();
        assert!(!t.attention_is_old(at + Duration::minutes(4)));
        assert!(t.attention_is_old(at + ATTENTION_MAX_AGE));
        // A refresh later the same day reads only what writes touched; the list is old.
        let late = parse_local("2026-11-23 23:58").unwrap();
        t.refresh(&store, late).unwrap();
        assert_eq!(t.attention_read, Some(at));
        assert!(t.attention_is_old(late));
        t.load_attention(&store, late).unwrap();
        assert!(!t.attention_is_old(late + Duration::minutes(1)));
        assert!(
            t.attention_is_old(late + Duration::minutes(3)),
            "past midnight"
        );
        // Another program's writes: the next refresh reads it whole.
        t.invalidate_attention();
        t.refresh(&store, late).unwrap();
        assert_eq!(t.attention_read, Some(late));
    }
}
