//! One client, full screen: a header line and tabs — Overview · Sessions · Notes · Assessments ·
//! Goals · Boundaries · History.
//!
//! Everything shown is read by [`ClientView::load`] / [`ClientView::reload`] (when the view
//! opens and after every write); drawing never touches the store. The app routes the keys
//! (`tui/client_view.rs`); this module holds the state, the moves within a tab, and the drawing.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::domain::attendance::{Month, percent};
use crate::domain::boundary::BoundaryIncident;
use crate::domain::cancellation::Reason;
use crate::domain::client::{Client, Telehealth};
use crate::domain::note::NoteState;
use crate::domain::session::{Session, SessionStatus};
use crate::domain::time::{DateStyle, Shown};
use crate::instruments::Catalog;
use crate::store::report::ClientAttendance;
use crate::store::{Result, Store};
use crate::tui::action::{Action, ScreenId};
use crate::tui::keymap::Context;
use crate::tui::names::Names;
use crate::tui::screens::assessments::AssessmentsView;
use crate::tui::screens::client_billing::BillingView;
use crate::tui::screens::client_notes::ClientNotes;
use crate::tui::screens::goals::GoalsView;
use crate::tui::screens::reports::rate_sparkline;
use crate::tui::screens::today::status_style;
use crate::tui::theme::Theme;
use crate::tui::widgets::rows::{fit, render_rows};

/// The tabs, in order (`[` and `]` step through them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Overview,
    Sessions,
    Notes,
    Assessments,
    Goals,
    Boundaries,
    Billing,
    History,
}

impl Tab {
    pub const ALL: [Tab; 8] = [
        Tab::Overview,
        Tab::Sessions,
        Tab::Notes,
        Tab::Assessments,
        Tab::Goals,
        Tab::Boundaries,
        Tab::Billing,
        Tab::History,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Overview => "Overview",
            Tab::Sessions => "Sessions",
            Tab::Notes => "Notes",
            Tab::Assessments => "Assessments",
            Tab::Goals => "Goals",
            Tab::Boundaries => "Boundaries",
            Tab::Billing => "Billing",
            Tab::History => "History",
        }
    }

    fn index(self) -> usize {
        Self::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    pub fn next(self) -> Tab {
        Self::ALL[(self.index() + 1) % Self::ALL.len()]
    }

    pub fn prev(self) -> Tab {
        Self::ALL[(self.index() + Self::ALL.len() - 1) % Self::ALL.len()]
    }
}

/// One of the client's sessions with the state of its note.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRow {
    pub session: Session,
    pub note: NoteState,
}

/// One line of the History tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    pub at: DateTime<Utc>,
    pub what: String,
}

pub struct ClientView {
    pub client: Client,
    /// Where Esc goes back to.
    pub from: ScreenId,
    pub tab: Tab,
    /// Newest first.
    pub sessions: Vec<SessionRow>,
    pub session_selected: usize,
    pub next_session: Option<Session>,
    pub attendance: ClientAttendance,
    pub notes: ClientNotes,
    pub assessments: AssessmentsView,
    pub goals: GoalsView,
    /// Newest first.
    pub boundaries: Vec<BoundaryIncident>,
    pub boundary_selected: usize,
    /// The working relationship at a glance (handout, goals, boundaries, review signals).
    pub relationship: Vec<(String, String)>,
    /// How the client's care ended, while it has (the latest ending).
    pub discharge: Option<crate::domain::discharge::Discharge>,
    /// Newest first.
    pub history: Vec<HistoryRow>,
    pub history_selected: usize,
    /// Money: the ledger, balance and own fees.
    pub billing: BillingView,
    now: NaiveDateTime,
    /// How the practitioner likes dates shown (in History's words).
    dates: DateStyle,
}

impl ClientView {
    /// Reads everything the view shows, on the Overview tab.
    pub fn load(
        store: &Store,
        catalog: &Catalog,
        client_id: i64,
        from: ScreenId,
        now: NaiveDateTime,
        dates: DateStyle,
    ) -> Result<ClientView> {
        let client = store.client(client_id)?;
        let mut notes = ClientNotes::default();
        notes.refresh(store, client_id)?;
        let mut v = ClientView {
            client,
            from,
            tab: Tab::Overview,
            sessions: Vec::new(),
            session_selected: 0,
            next_session: None,
            attendance: ClientAttendance::default(),
            notes,
            assessments: AssessmentsView::load(store, catalog, client_id, now.date())?,
            goals: GoalsView::load(store, client_id)?,
            boundaries: Vec::new(),
            boundary_selected: 0,
            relationship: Vec::new(),
            discharge: None,
            history: Vec::new(),
            history_selected: 0,
            billing: BillingView::load(store, client_id)?,
            now,
            dates,
        };
        v.read_rest(store, now)?;
        // The session nearest now: the latest that has started, else the first to come.
        v.session_selected = v
            .sessions
            .iter()
            .position(|r| r.session.starts_at <= now)
            .unwrap_or(v.sessions.len().saturating_sub(1));
        Ok(v)
    }

    /// Reads it all again (after a write), keeping the tab and the selections.
    pub fn reload(&mut self, store: &Store, catalog: &Catalog, now: NaiveDateTime) -> Result<()> {
        let id = self.client.id;
        self.client = store.client(id)?;
        let keep_session = self.selected_session().map(|s| s.id);
        self.read_rest(store, now)?;
        if let Some(pos) =
            keep_session.and_then(|k| self.sessions.iter().position(|r| r.session.id == k))
        {
            self.session_selected = pos;
        }
        self.session_selected = self
            .session_selected
            .min(self.sessions.len().saturating_sub(1));
        self.history_selected = self
            .history_selected
            .min(self.history.len().saturating_sub(1));
        self.boundary_selected = self
            .boundary_selected
            .min(self.boundaries.len().saturating_sub(1));
        self.goals.reload(store)?;
        self.billing.reload(store)?;
        self.notes.refresh(store, id)?;
        let keep = self.assessments.selected;
        let mut fresh = AssessmentsView::load(store, catalog, id, now.date())?;
        fresh.selected = keep.min(fresh.series.len().saturating_sub(1));
        self.assessments = fresh;
        Ok(())
    }

    fn read_rest(&mut self, store: &Store, now: NaiveDateTime) -> Result<()> {
        let id = self.client.id;
        self.now = now;
        let states = store.client_note_states(id)?;
        let mut sessions = store.client_sessions(id)?;
        sessions.reverse();
        self.next_session = sessions
            .iter()
            .filter(|s| s.status == SessionStatus::Scheduled && s.starts_at >= now)
            .min_by_key(|s| s.starts_at)
            .cloned();
        self.sessions = rows(sessions, &states);
        self.attendance = store.client_attendance(id)?;
        self.boundaries = store.boundaries(id)?;
        self.relationship = store.relationship_overview(id, now)?.rows();
        // How long the record is kept, and any legal hold (issue 18).
        self.relationship
            .extend(super::practice_records::overview_rows(store, id)?);
        self.history = history(store, id, self.dates)?;
        self.discharge = if matches!(
            self.client.status,
            crate::domain::client::ClientStatus::Discharged
                | crate::domain::client::ClientStatus::ReferredOut
        ) {
            store.discharges(id)?.pop()
        } else {
            None
        };
        Ok(())
    }

    /// Where keys go on the tab shown.
    pub fn context(&self) -> Context {
        match self.tab {
            Tab::Overview => Context::ClientOverview,
            Tab::Sessions => Context::ClientSessions,
            Tab::Notes if self.notes.typing => Context::ClientNotesSearch,
            Tab::Notes => Context::ClientNotes,
            Tab::Assessments => Context::ClientAssessments,
            Tab::Goals => Context::ClientGoals,
            Tab::Boundaries => Context::ClientBoundaries,
            Tab::Billing => Context::ClientBilling,
            Tab::History => Context::ClientHistory,
        }
    }

    pub fn selected_session(&self) -> Option<&Session> {
        self.sessions.get(self.session_selected).map(|r| &r.session)
    }

    /// Selects a session by id (after it was written to).
    pub fn select_session(&mut self, id: i64) {
        if let Some(pos) = self.sessions.iter().position(|r| r.session.id == id) {
            self.session_selected = pos;
        }
    }

    /// Moves within the tab shown; returns true when the action was used.
    pub fn handle(&mut self, action: Action) -> bool {
        match action {
            Action::NextTab => self.tab = self.tab.next(),
            Action::PrevTab => self.tab = self.tab.prev(),
            _ => {
                return match self.tab {
                    Tab::Sessions => step(&mut self.session_selected, self.sessions.len(), action),
                    Tab::History => step(&mut self.history_selected, self.history.len(), action),
                    Tab::Boundaries => {
                        step(&mut self.boundary_selected, self.boundaries.len(), action)
                    }
                    Tab::Goals => match action {
                        Action::Down | Action::Up => {
                            self.goals.handle(Some(action));
                            true
                        }
                        _ => false,
                    },
                    Tab::Assessments => self.assessments.handle(action),
                    Tab::Billing => self.billing.handle(action),
                    Tab::Notes => match action {
                        Action::Down => {
                            self.notes.down();
                            true
                        }
                        Action::Up => {
                            self.notes.up();
                            true
                        }
                        Action::SearchNotes => {
                            self.notes.start_search();
                            true
                        }
                        _ => false,
                    },
                    _ => false,
                };
            }
        }
        true
    }

    // ---- drawing --------------------------------------------------------------------------

    pub fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        dates: DateStyle,
        names: Names,
    ) {
        if area.height < 3 {
            return;
        }
        let [header, tabs, body] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(1),
        ])
        .areas(area);
        self.render_header(header, buf, theme, dates, names);
        self.render_tabs(tabs, buf, theme);
        match self.tab {
            Tab::Overview => self.render_overview(body, buf, theme, dates, names),
            Tab::Sessions => self.render_sessions(body, buf, theme),
            Tab::Notes => self.notes.render(body, buf, theme),
            Tab::Assessments => self.assessments.render(body, buf, theme, dates, names),
            Tab::Goals => self.goals.render(body, buf, theme, names),
            Tab::Boundaries => self.render_boundaries(body, buf, theme, dates),
            Tab::Billing => self.billing.render(body, buf, theme, dates),
            Tab::History => self.render_history(body, buf, theme, dates),
        }
    }

    fn render_header(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        dates: DateStyle,
        names: Names,
    ) {
        let c = &self.client;
        let name = match &c.pronouns {
            Some(p) => format!("{} ({p})", names.client(&c.name)),
            None => names.client(&c.name).into_owned(),
        };
        let model = match &self.assessments.model {
            Some(m) => {
                let on = crate::clock::local_of(m.chosen_at).date();
                let on = if on.year() == self.now.year() {
                    on.format("%-d %b").to_string()
                } else {
                    dates.format(on)
                };
                format!("model: {} (accepted {on})", m.model.label())
            }
            None => "no model chosen yet".to_string(),
        };
        let consent = match c.telehealth_consent {
            Telehealth::None => "no remote consent yet",
            Telehealth::Phone => "consent: phone",
            Telehealth::Video => "consent: video",
            Telehealth::Both => "consent: phone, video",
        };
        let rest = format!(
            " · {} · since {} · {model} · {consent}",
            c.status.label().to_lowercase(),
            dates.format(c.intake_date),
        );
        let line = Line::from(vec![
            Span::styled(format!(" {name}"), theme.heading),
            Span::styled(rest, theme.muted),
        ]);
        Paragraph::new(line).render(area, buf);
    }

    fn render_tabs(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let mut spans = vec![Span::raw(" ")];
        for t in Tab::ALL {
            let style = if t == self.tab {
                theme.tab_active
            } else {
                theme.tab
            };
            spans.push(Span::styled(format!(" {} ", t.title()), style));
            // Every tab fits from 80 columns on: narrower, no space between them.
            if area.width >= 90 {
                spans.push(Span::raw(" "));
            }
        }
        spans.push(Span::styled("  [ ] tabs · Esc back", theme.muted));
        Paragraph::new(Line::from(spans)).render(area, buf);
    }

    fn render_overview(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        dates: DateStyle,
        names: Names,
    ) {
        let (left, right) = if area.width >= 100 {
            let [l, r] =
                Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                    .areas(area);
            (l, r)
        } else {
            let [l, r] = Layout::vertical([Constraint::Min(8), Constraint::Length(8)]).areas(area);
            (l, r)
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focus)
            .title(Span::styled(" Overview ", theme.title));
        let inner = block.inner(left);
        block.render(left, buf);
        let w = inner.width as usize;
        let mut lines: Vec<Line> = Vec::new();
        // A client whose care has ended: how, to whom, and the summary a key away.
        if let Some(d) = &self.discharge {
            let how = format!(
                "{} · {} · {}",
                dates.format(d.discharged_on),
                d.status.label().to_lowercase(),
                crate::domain::words::in_sentence(d.reason.label())
            );
            labelled(&mut lines, "Care ended", &how, theme.warn, w, theme);
            if let Some(r) = &d.referral {
                let to = match &r.profession {
                    Some(p) => format!("{} ({p})", r.name),
                    None => r.name.clone(),
                };
                labelled(&mut lines, "Referred to", &to, theme.base, w, theme);
            }
            labelled(
                &mut lines,
                "Summary",
                "S shows the transition summary",
                theme.muted,
                w,
                theme,
            );
        }
        match &self.next_session {
            Some(s) => labelled(
                &mut lines,
                "Next session",
                &format!(
                    "{} · {}",
                    s.starts_at.format("%a %-d %b %H:%M"),
                    s.modality.label().to_lowercase()
                ),
                theme.base,
                w,
                theme,
            ),
            None => labelled(
                &mut lines,
                "Next session",
                "none booked · s books one",
                theme.muted,
                w,
                theme,
            ),
        }
        lines.extend(self.attendance_lines(theme, w));
        let latest = self
            .assessments
            .series
            .iter()
            .filter_map(|s| s.points.last().map(|p| (p.0, s)))
            .max_by_key(|(d, _)| *d)
            .map(|(_, s)| s);
        match latest {
            Some(s) => {
                let (day, total) = s.points.last().copied().unwrap_or_default();
                let band = s
                    .latest_band
                    .as_deref()
                    .map(|b| format!(" ({b})"))
                    .unwrap_or_default();
                let was = match s.change.and_then(|c| c.since_previous) {
                    Some(d) => format!(", was {}", total - d),
                    None => ", the first".to_string(),
                };
                labelled(
                    &mut lines,
                    "Latest measure",
                    &format!("{} {total}{band}{was} · {}", s.title, dates.format(day)),
                    theme.base,
                    w,
                    theme,
                );
            }
            None => labelled(
                &mut lines,
                "Latest measure",
                "none yet · A gives one",
                theme.muted,
                w,
                theme,
            ),
        }
        if self.assessments.alerts.is_empty() {
            labelled(&mut lines, "Alerts", "none open", theme.muted, w, theme);
        }
        for (i, a) in self.assessments.alerts.iter().enumerate() {
            labelled(
                &mut lines,
                if i == 0 { "Alerts" } else { "" },
                &format!("! {} · {}", dates.format(a.administered_at), a.message),
                theme.error,
                w,
                theme,
            );
        }
        for (label, value) in &self.relationship {
            labelled(&mut lines, label, value, theme.base, w, theme);
        }
        Paragraph::new(lines).render(inner, buf);

        self.render_guidance(right, buf, theme, names);
    }

    /// Attendance over the client's sessions with a month-by-month sparkline (months to come
    /// left out), and their cancellation requests by reason with how many were saved.
    fn attendance_lines(&self, theme: &Theme, w: usize) -> Vec<Line<'static>> {
        let label = |s: &'static str| Span::styled(format!("{s:<LABEL_W$}"), theme.heading);
        let a = &self.attendance;
        let this_month = Month::of(self.now);
        let spark = rate_sparkline(
            a.months
                .iter()
                .filter(|(m, _)| *m <= this_month)
                .map(|(_, c)| c.attendance_rate()),
        );
        let n = a.total.counted();
        let attendance = if n == 0 {
            vec![
                label("Attendance"),
                Span::styled("no session with an outcome yet", theme.muted),
            ]
        } else {
            vec![
                label("Attendance"),
                Span::raw(format!(
                    "{} over {n} session{} ",
                    percent(a.total.attendance_rate()),
                    if n == 1 { "" } else { "s" }
                )),
                Span::styled(spark, theme.good),
            ]
        };
        let q = &a.requests;
        let mut reasons: Vec<(Reason, u32)> = Reason::ALL
            .iter()
            .map(|r| (*r, q.reason(*r)))
            .filter(|(_, n)| *n > 0)
            .collect();
        reasons.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        let mut lines = vec![Line::from(attendance)];
        if reasons.is_empty() {
            labelled(
                &mut lines,
                "Cancellations",
                "none asked for",
                theme.muted,
                w,
                theme,
            );
        } else {
            let why: Vec<String> = reasons
                .iter()
                .map(|(r, n)| format!("{} {n}", r.label()))
                .collect();
            let text = format!("{} ({} saved)", why.join(" · "), q.saved());
            labelled(&mut lines, "Cancellations", &text, theme.base, w, theme);
        }
        lines
    }

    fn render_guidance(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        let who = names.client(&self.client.short_name()).into_owned();
        let (title, mut lines) = match &self.assessments.model {
            Some(m) => {
                let g = m.model.guidance();
                (
                    format!(" Working with {who} · {} ", m.model.label()),
                    vec![
                        Line::from(g.you_do),
                        Line::from(vec![
                            Span::styled("Watch for: ", theme.heading),
                            Span::raw(g.watch_for),
                        ]),
                    ],
                )
            }
            None => (
                format!(" Working with {who} "),
                vec![Line::from(Span::styled(
                    "No engagement model chosen yet. A then Enter gives the engagement assessment; its recommendation suggests one.",
                    theme.muted,
                ))],
            ),
        };
        if let Some(r) = &self.assessments.reassessment {
            lines.push(Line::from(Span::styled(
                r.reason.clone(),
                if r.due { theme.warn } else { theme.muted },
            )));
        }
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border)
            .title(Span::styled(title, theme.title));
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(block)
            .render(area, buf);
    }

    fn render_sessions(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let [summary, list] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        let t = &self.attendance.total;
        let upcoming = self
            .sessions
            .iter()
            .filter(|r| {
                r.session.status == SessionStatus::Scheduled && r.session.starts_at >= self.now
            })
            .count();
        let text = if t.counted() == 0 {
            format!(" No attendance to show yet · {upcoming} to come")
        } else {
            format!(
                " Attendance so far {} over {} session{} · {} attended · {} no-show · {} to come",
                percent(t.attendance_rate()),
                t.counted(),
                if t.counted() == 1 { "" } else { "s" },
                t.came(),
                t.no_show,
                upcoming
            )
        };
        Paragraph::new(Span::styled(text, theme.muted)).render(summary, buf);
        let Some(inner) = framed_list(
            list,
            buf,
            theme,
            format!(" Sessions · {} ", self.sessions.len()),
            "No sessions booked yet. s books one.",
            self.sessions.len(),
        ) else {
            return;
        };
        render_rows(
            inner,
            buf,
            &self.sessions,
            self.session_selected,
            |r, sel, w| {
                let s = &r.session;
                let note = if r.note != NoteState::None || s.status.is_attended() {
                    r.note.label()
                } else {
                    ""
                };
                let text = format!(
                    "{} {:<15}  {}  {:>3}m  {:<10} {:<18} {}",
                    if sel { "▶" } else { " " },
                    s.starts_at.format("%a %-d %b %Y").to_string(),
                    s.starts_at.format("%H:%M"),
                    s.minutes,
                    s.modality.label().to_lowercase(),
                    s.status.label(),
                    note
                );
                let style = if sel {
                    theme.selected
                } else {
                    status_style(s.status, theme)
                };
                (fit(&text, w), style)
            },
        );
    }

    fn render_boundaries(&self, area: Rect, buf: &mut Buffer, theme: &Theme, dates: DateStyle) {
        let Some(inner) = framed_list(
            area,
            buf,
            theme,
            format!(" Boundary log · {} · b logs one ", self.boundaries.len()),
            "Nothing logged. b logs a boundary incident.",
            self.boundaries.len(),
        ) else {
            return;
        };
        render_rows(
            inner,
            buf,
            &self.boundaries,
            self.boundary_selected,
            |b, sel, w| {
                let text = format!(
                    "{} {:<12} {:<27} {}",
                    if sel { "▶" } else { " " },
                    dates.format(b.occurred_on),
                    b.kind.label(),
                    b.note.as_deref().unwrap_or("")
                );
                (fit(&text, w), if sel { theme.selected } else { theme.base })
            },
        );
    }

    fn render_history(&self, area: Rect, buf: &mut Buffer, theme: &Theme, dates: DateStyle) {
        let Some(inner) = framed_list(
            area,
            buf,
            theme,
            " History · newest first ".into(),
            "Nothing recorded yet.",
            self.history.len(),
        ) else {
            return;
        };
        render_rows(
            inner,
            buf,
            &self.history,
            self.history_selected,
            |r, sel, w| {
                let text = format!(
                    "{} {}  {}",
                    if sel { "▶" } else { " " },
                    crate::clock::show(r.at, dates, Shown::DateTime),
                    r.what
                );
                (fit(&text, w), if sel { theme.selected } else { theme.base })
            },
        );
    }
}

/// How wide the Overview's labels are.
const LABEL_W: usize = 15;

/// A labelled value on the Overview, wrapped at words under its label (not under the label's
/// column) so that the labels stay a column.
fn labelled(
    lines: &mut Vec<Line<'static>>,
    label: &str,
    text: &str,
    style: ratatui::style::Style,
    width: usize,
    theme: &Theme,
) {
    let room = width.saturating_sub(LABEL_W).max(10);
    let mut rows: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let n = cur.chars().count();
        if n > 0 && n + 1 + word.chars().count() > room {
            rows.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    rows.push(cur);
    for (i, r) in rows.into_iter().enumerate() {
        let head = if i == 0 { label } else { "" };
        lines.push(Line::from(vec![
            Span::styled(format!("{head:<LABEL_W$}"), theme.heading),
            Span::styled(fit(&r, room), style),
        ]));
    }
}

fn rows(sessions: Vec<Session>, states: &HashMap<i64, NoteState>) -> Vec<SessionRow> {
    sessions
        .into_iter()
        .map(|s| SessionRow {
            note: states.get(&s.id).copied().unwrap_or(NoteState::None),
            session: s,
        })
        .collect()
}

/// Status changes and the audit trail about the client, newest first. A status change is in
/// both; it is shown once, from the status history.
fn history(store: &Store, client_id: i64, dates: DateStyle) -> Result<Vec<HistoryRow>> {
    let mut out: Vec<HistoryRow> = store
        .status_history(client_id)?
        .into_iter()
        .map(|c| HistoryRow {
            at: c.changed_at,
            what: match c.from_status {
                None => format!("Added as {}", c.to_status.label().to_lowercase()),
                Some(f) => format!(
                    "Status: {} → {}",
                    f.label().to_lowercase(),
                    c.to_status.label().to_lowercase()
                ),
            },
        })
        .collect();
    out.extend(
        store
            .audit_entries(Some(client_id))?
            .into_iter()
            .filter(|e| e.action != "status_changed")
            .map(|e| HistoryRow {
                at: e.at,
                what: crate::domain::words::audit_line(&e.action, e.detail.as_deref(), &|d| {
                    dates.format(d)
                }),
            }),
    );
    // Stable: entries at the same moment keep the order they were recorded in, newest first.
    out.reverse();
    out.sort_by_key(|r| std::cmp::Reverse(r.at));
    Ok(out)
}

/// Moves a selection in a list of `n`; returns true when the action was a move.
fn step(selected: &mut usize, n: usize, action: Action) -> bool {
    let last = n.saturating_sub(1);
    *selected = match action {
        Action::Down => (*selected + 1).min(last),
        Action::Up => selected.saturating_sub(1),
        Action::PageDown => (*selected + 10).min(last),
        Action::PageUp => selected.saturating_sub(10),
        Action::Top => 0,
        Action::Bottom => last,
        _ => return false,
    };
    true
}

/// A titled list frame: draws the border and, for an empty list, the words that say so.
/// Returns the inside, for [`render_rows`], when there are rows to show.
fn framed_list(
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    title: String,
    empty: &str,
    len: usize,
) -> Option<Rect> {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focus)
        .title(Span::styled(title, theme.title));
    let inner = block.inner(area);
    block.render(area, buf);
    if len == 0 {
        Paragraph::new(Span::styled(empty.to_string(), theme.muted)).render(inner, buf);
        return None;
    }
    Some(inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_wrap_both_ways() {
        assert_eq!(Tab::Overview.next(), Tab::Sessions);
        assert_eq!(Tab::Overview.prev(), Tab::History);
        assert_eq!(Tab::History.next(), Tab::Overview);
        assert_eq!(Tab::Billing.next(), Tab::History);
    }

    #[test]
    fn steps_stay_in_the_list() {
        let mut s = 0;
        assert!(step(&mut s, 3, Action::Up));
        assert_eq!(s, 0);
        assert!(step(&mut s, 3, Action::Bottom));
        assert_eq!(s, 2);
        assert!(step(&mut s, 3, Action::Down));
        assert_eq!(s, 2);
        assert!(!step(&mut s, 3, Action::Open));
        let mut e = 0;
        assert!(step(&mut e, 0, Action::Down));
        assert_eq!(e, 0);
    }
}
