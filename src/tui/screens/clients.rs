//! The Clients screen: a filtered list and the selected client's details.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Matcher, Utf32String};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};
use tui_input::{Input, InputRequest};

use crate::domain::client::{Client, ClientStatus};
use crate::domain::time::DateStyle;
use crate::store::client::StatusFilter;
use crate::store::{Result, Store};
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::names::Names;
use crate::tui::theme::Theme;
use crate::tui::widgets::rows::fit;

/// The status filters, in the order `f` steps through them.
pub const STATUS_FILTERS: [StatusFilter; 5] = [
    StatusFilter::Only(ClientStatus::Active),
    StatusFilter::Only(ClientStatus::OnHold),
    StatusFilter::Only(ClientStatus::Discharged),
    StatusFilter::Only(ClientStatus::ReferredOut),
    StatusFilter::All,
];

fn filter_label(f: StatusFilter) -> &'static str {
    match f {
        StatusFilter::All => "All",
        StatusFilter::Only(s) => s.label(),
    }
}

struct Row {
    client: Client,
    haystack: Utf32String,
    next_session: Option<chrono::NaiveDateTime>,
}

pub struct ClientsScreen {
    rows: Vec<Row>,
    /// Indices into `rows` that pass the filters, in display order.
    visible: Vec<usize>,
    selected: usize,
    offset: usize,
    status_filter: usize,
    query: Input,
    filtering: bool,
    matcher: Matcher,
    /// The working relationship at a glance for the selected client (issue 7).
    relationship: Option<(i64, Vec<(String, String)>)>,
}

impl Default for ClientsScreen {
    fn default() -> Self {
        ClientsScreen {
            rows: Vec::new(),
            visible: Vec::new(),
            selected: 0,
            offset: 0,
            status_filter: 0,
            query: Input::default(),
            filtering: false,
            matcher: Matcher::new(nucleo_matcher::Config::DEFAULT),
            relationship: None,
        }
    }
}

impl ClientsScreen {
    pub fn context(&self) -> Context {
        if self.filtering {
            Context::ClientsFilter
        } else {
            Context::Clients
        }
    }

    /// Reloads the clients from the store, keeping the selection on the same client.
    pub fn refresh(&mut self, store: &Store, now: chrono::NaiveDateTime) -> Result<()> {
        let keep = self.selected_client().map(|c| c.id);
        let next = store.next_sessions(now)?;
        self.rows = store
            .clients(StatusFilter::All)?
            .into_iter()
            .map(|c| {
                let hay = match &c.preferred_name {
                    Some(p) => format!("{} {p}", c.name),
                    None => c.name.clone(),
                };
                let next_session = next.get(&c.id).copied();
                Row {
                    haystack: Utf32String::from(hay.as_str()),
                    client: c,
                    next_session,
                }
            })
            .collect();
        self.apply_filters();
        if let Some(id) = keep {
            self.select_id(id);
        }
        Ok(())
    }

    /// Selects a client by id, widening the status filter if needed.
    pub fn select_id(&mut self, id: i64) {
        if let Some(pos) = self
            .visible
            .iter()
            .position(|&i| self.rows[i].client.id == id)
        {
            self.selected = pos;
            return;
        }
        if let Some(row) = self.rows.iter().find(|r| r.client.id == id) {
            let status = row.client.status;
            self.status_filter = STATUS_FILTERS
                .iter()
                .position(|f| *f == StatusFilter::Only(status))
                .unwrap_or(4);
            self.query = Input::default();
            self.apply_filters();
            if let Some(pos) = self
                .visible
                .iter()
                .position(|&i| self.rows[i].client.id == id)
            {
                self.selected = pos;
            }
        }
    }

    pub fn selected_client(&self) -> Option<&Client> {
        self.visible
            .get(self.selected)
            .map(|&i| &self.rows[i].client)
    }

    pub fn status_filter(&self) -> StatusFilter {
        STATUS_FILTERS[self.status_filter]
    }

    pub fn query(&self) -> &str {
        self.query.value()
    }

    pub fn visible_count(&self) -> usize {
        self.visible.len()
    }

    fn apply_filters(&mut self) {
        let status = self.status_filter();
        let q = self.query.value().trim();
        self.visible.clear();
        if q.is_empty() {
            self.visible.extend(
                self.rows
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| status.admits(r.client.status))
                    .map(|(i, _)| i),
            );
        } else {
            let pattern = Pattern::parse(q, CaseMatching::Ignore, Normalization::Smart);
            let mut scored: Vec<(u32, usize)> = Vec::with_capacity(self.rows.len());
            for (i, r) in self.rows.iter().enumerate() {
                if !status.admits(r.client.status) {
                    continue;
                }
                if let Some(s) = pattern.score(r.haystack.slice(..), &mut self.matcher) {
                    scored.push((s, i));
                }
            }
            // Best match first; equal scores keep alphabetical order.
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            self.visible.extend(scored.into_iter().map(|(_, i)| i));
        }
        self.selected = self.selected.min(self.visible.len().saturating_sub(1));
    }

    /// Handles an action; returns true when it was used.
    pub fn handle(&mut self, action: Action) -> bool {
        let n = self.visible.len();
        match action {
            Action::Down => self.selected = (self.selected + 1).min(n.saturating_sub(1)),
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::PageDown => self.selected = (self.selected + 10).min(n.saturating_sub(1)),
            Action::PageUp => self.selected = self.selected.saturating_sub(10),
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = n.saturating_sub(1),
            Action::Filter => {
                // `/` starts a new filter: the kept one is replaced, not added to.
                self.filtering = true;
                if !self.query.value().is_empty() {
                    self.query = Input::default();
                    self.selected = 0;
                    self.apply_filters();
                }
            }
            Action::Submit if self.filtering => self.filtering = false,
            Action::Back => {
                self.filtering = false;
                if !self.query.value().is_empty() {
                    self.query = Input::default();
                    self.apply_filters();
                }
            }
            Action::NextStatusFilter => {
                self.status_filter = (self.status_filter + 1) % STATUS_FILTERS.len();
                self.selected = 0;
                self.apply_filters();
            }
            Action::PrevStatusFilter => {
                self.status_filter =
                    (self.status_filter + STATUS_FILTERS.len() - 1) % STATUS_FILTERS.len();
                self.selected = 0;
                self.apply_filters();
            }
            _ => return false,
        }
        true
    }

    /// Types a key into the filter (while filtering).
    pub fn type_key(&mut self, key: &KeyEvent) {
        let req = match key.code {
            KeyCode::Char(c) => InputRequest::InsertChar(c),
            KeyCode::Backspace => InputRequest::DeletePrevChar,
            KeyCode::Delete => InputRequest::DeleteNextChar,
            KeyCode::Left => InputRequest::GoToPrevChar,
            KeyCode::Right => InputRequest::GoToNextChar,
            _ => return,
        };
        if self.query.handle(req).is_some_and(|r| r.value) {
            self.selected = 0;
            self.apply_filters();
        }
    }

    /// The working relationship at a glance for one client (filled by the app for the selected
    /// client; see `tui::relationship`).
    pub fn set_relationship(&mut self, id: i64, rows: Vec<(String, String)>) {
        self.relationship = Some((id, rows));
    }

    pub fn relationship_for(&self) -> Option<i64> {
        self.relationship.as_ref().map(|(id, _)| *id)
    }

    pub fn render(
        &mut self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        dates: DateStyle,
        names: Names,
    ) -> Option<Position> {
        let [bar, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
        let cursor = self.render_bar(bar, buf, theme);
        let detail_w = if body.width >= 110 {
            44
        } else if body.width >= 80 {
            34
        } else {
            0
        };
        let [list, detail] =
            Layout::horizontal([Constraint::Min(30), Constraint::Length(detail_w)]).areas(body);
        self.render_list(list, buf, theme, dates, names);
        if detail_w > 0 {
            self.render_detail(detail, buf, theme, dates, names);
        }
        cursor
    }

    fn render_bar(&self, area: Rect, buf: &mut Buffer, theme: &Theme) -> Option<Position> {
        let mut spans = vec![Span::styled(" Show: ", theme.muted)];
        for (i, f) in STATUS_FILTERS.iter().enumerate() {
            let style = if i == self.status_filter {
                theme.tab_active
            } else {
                theme.tab
            };
            spans.push(Span::styled(format!(" {} ", filter_label(*f)), style));
            spans.push(Span::raw(" "));
        }
        Paragraph::new(Line::from(spans)).render(Rect { height: 1, ..area }, buf);
        let line_area = Rect {
            y: area.y + 1,
            height: 1,
            ..area
        };
        let q = self.query.value();
        if self.filtering || !q.is_empty() {
            let prefix = " Filter: /";
            let style = if self.filtering {
                theme.input
            } else {
                theme.base
            };
            Paragraph::new(Line::from(vec![
                Span::styled(prefix, theme.muted),
                Span::styled(q, style),
            ]))
            .render(line_area, buf);
            if self.filtering {
                let x =
                    line_area.x + prefix.chars().count() as u16 + self.query.visual_cursor() as u16;
                return Some(Position::new(
                    x.min(area.right().saturating_sub(1)),
                    line_area.y,
                ));
            }
        } else {
            Paragraph::new(Span::styled(" / to filter by name", theme.muted))
                .render(line_area, buf);
        }
        None
    }

    fn render_list(
        &mut self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        dates: DateStyle,
        names: Names,
    ) {
        let total_in_status = self
            .rows
            .iter()
            .filter(|r| self.status_filter().admits(r.client.status))
            .count();
        let title = if self.query.value().trim().is_empty() {
            format!(
                " Clients · {} · {} ",
                filter_label(self.status_filter()),
                total_in_status
            )
        } else {
            format!(
                " Clients · {} · {} of {} match ",
                filter_label(self.status_filter()),
                self.visible.len(),
                total_in_status
            )
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focus)
            .title(Span::styled(title, theme.title));
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height < 2 {
            return;
        }
        if self.visible.is_empty() {
            let msg = if self.rows.is_empty() {
                "No clients yet. Press a to add your first client.".to_string()
            } else if !self.query.value().trim().is_empty() {
                format!(
                    "No {} clients match “{}”. Esc clears the filter; f shows other statuses.",
                    filter_label(self.status_filter()).to_lowercase(),
                    self.query.value().trim()
                )
            } else {
                format!(
                    "No clients are {}. f shows other statuses.",
                    filter_label(self.status_filter()).to_lowercase()
                )
            };
            Paragraph::new(Span::styled(msg, theme.muted))
                .wrap(Wrap { trim: true })
                .render(inner, buf);
            return;
        }
        let w = inner.width as usize;
        let status_w = 13;
        let date_w = 12;
        let next_w = if w >= 70 { 17 } else { 0 };
        let name_w = w.saturating_sub(2 + status_w + date_w + next_w).max(8);
        let header = format!(
            "  {:<name_w$}{:<status_w$}{:<date_w$}{}",
            "Name",
            "Status",
            "Intake",
            if next_w > 0 { "Next session" } else { "" }
        );
        buf.set_stringn(inner.x, inner.y, &header, w, theme.heading);
        let rows_h = inner.height as usize - 1;
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows_h {
            self.offset = self.selected + 1 - rows_h;
        }
        self.offset = self.offset.min(self.visible.len().saturating_sub(rows_h));
        for (line, &i) in self
            .visible
            .iter()
            .skip(self.offset)
            .take(rows_h)
            .enumerate()
        {
            let r = &self.rows[i];
            let sel = self.offset + line == self.selected;
            let style = if sel { theme.selected } else { theme.base };
            let y = inner.y + 1 + line as u16;
            let name = fit(&names.client(&r.client.name), name_w.saturating_sub(1));
            let next = r
                .next_session
                .map(|t| format!("{} {}", dates.format(t.date()), t.format("%H:%M")))
                .unwrap_or_else(|| "—".into());
            let text = format!(
                "{}{:<name_w$}{:<status_w$}{:<date_w$}{}",
                if sel { "▶ " } else { "  " },
                name,
                r.client.status.label(),
                dates.format(r.client.intake_date),
                if next_w > 0 { next } else { String::new() },
            );
            buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
            buf.set_stringn(inner.x, y, &text, w, style);
        }
    }

    fn render_detail(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        dates: DateStyle,
        names: Names,
    ) {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border);
        let Some(c) = self.selected_client() else {
            block.render(area, buf);
            return;
        };
        let block = block.title(Span::styled(
            format!(" {} ", names.client(&c.short_name())),
            theme.title,
        ));
        let inner = block.inner(area);
        block.render(area, buf);
        let dash = || "—".to_string();
        let opt = |v: &Option<String>| v.clone().unwrap_or_else(dash);
        let row = |label: &'static str, value: String| {
            Line::from(vec![
                Span::styled(format!("{label:<11}"), theme.muted),
                Span::styled(value, theme.base),
            ])
        };
        let mut lines = vec![
            Line::from(Span::styled(
                names.client(&c.name).into_owned(),
                theme.heading,
            )),
            row("Status", c.status.label().into()),
            row("Pronouns", opt(&c.pronouns)),
            row(
                "Preferred",
                opt(&c
                    .preferred_name
                    .as_deref()
                    .map(|p| names.client(p).into_owned())),
            ),
            row("Born", c.born.map(|d| dates.format(d)).unwrap_or_else(dash)),
            row("Phone", opt(&c.phone)),
            row(
                "Email",
                opt(&c.email.as_deref().map(|e| names.email(e).into_owned())),
            ),
            row(
                "Contact by",
                c.preferred_contact
                    .map(|m| m.label().to_string())
                    .unwrap_or_else(dash),
            ),
            row(
                "Emergency",
                opt(&c
                    .emergency_contact
                    .as_deref()
                    .map(|e| names.people(e).into_owned())),
            ),
            row(
                "Remote",
                match c.telehealth_consent_date {
                    Some(d) => format!("{} ({})", c.telehealth_consent.label(), dates.format(d)),
                    None => c.telehealth_consent.label().into(),
                },
            ),
            row("Intake", dates.format(c.intake_date)),
        ];
        if let Some(t) = self
            .visible
            .get(self.selected)
            .and_then(|&i| self.rows[i].next_session)
        {
            lines.push(row(
                "Next",
                format!("{} {}", dates.format(t.date()), t.format("%H:%M")),
            ));
        }
        if let Some((id, rows)) = &self.relationship
            && *id == c.id
        {
            for (label, value) in rows {
                lines.push(Line::from(vec![
                    Span::styled(format!("{label:<11}"), theme.muted),
                    Span::styled(value.clone(), theme.base),
                ]));
            }
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
}
