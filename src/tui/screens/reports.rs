//! Reports: attendance month by month — when and why clients cancel, how many sessions the offer
//! saved, and which clients need a look.
//!
//! The view model is computed when the month (or the view) changes; drawing never queries.

use chrono::NaiveDateTime;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::domain::attendance::{
    Month, MonthFigures, NoticeBand, Report, Requests, StatusCounts, TimeOfDay, WEEKDAY_LABELS,
    percent, rate,
};
use crate::domain::cancellation::Reason;
use crate::store::report::ClientAttendance;
use crate::store::{Result, Store};
use crate::tui::action::Action;
use crate::tui::names::Names;
use crate::tui::theme::Theme;

/// One month, or the twelve months ending with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Month,
    Year,
}

/// Everything the screen draws, computed on month change.
#[derive(Debug, Clone)]
pub struct ViewModel {
    pub month: Month,
    pub view: View,
    pub report: Report,
    /// The twelve months ending with the selected one, oldest first.
    pub trend: Vec<(Month, MonthFigures)>,
    /// The month before the selected one (month view).
    pub previous: Option<(Month, Option<f64>)>,
    /// Pooled over the twelve months.
    pub year_rate: Option<f64>,
    /// Short names of the flagged clients, in the report's order.
    pub flagged_names: Vec<String>,
    /// The month of "now": a later month has not happened, so it has no attendance yet.
    pub this_month: Month,
}

impl ViewModel {
    /// A month's attendance, none for a month that has not come yet (its cancellations made
    /// in advance are not a 0 %).
    fn rate_of(&self, m: Month, f: &MonthFigures) -> Option<f64> {
        if m > self.this_month {
            None
        } else {
            f.attendance_rate()
        }
    }

    /// The attendance of the period shown (— for a month that has not come yet).
    fn rate(&self) -> Option<f64> {
        match self.view {
            View::Month if self.month > self.this_month => None,
            View::Month => self.report.attendance_rate(),
            View::Year => self.year_rate,
        }
    }
}

#[derive(Debug, Default)]
pub struct ReportsScreen {
    /// The month shown (this month on first use).
    pub month: Option<Month>,
    pub view: View,
    pub vm: Option<ViewModel>,
    /// The flagged client selected (Enter opens them).
    pub selected: usize,
    /// The figures for the month shown have been on their way for a while: the pane says so.
    pub counting: bool,
}

impl ReportsScreen {
    /// Recomputes the view model for the month shown (this month on first use), here and now
    /// (the app asks its worker instead: [`ReportsScreen::wanted`] and [`ReportsScreen::put`]).
    pub fn refresh(&mut self, store: &Store, now: NaiveDateTime) -> Result<()> {
        let (month, view) = self.wanted(now);
        let vm = compute(store, month, view, now)?;
        self.put(vm);
        Ok(())
    }

    /// The month and view to count (this month on first use).
    pub fn wanted(&mut self, now: NaiveDateTime) -> (Month, View) {
        (*self.month.get_or_insert(Month::of(now)), self.view)
    }

    /// Puts in figures that have arrived; figures for a month or view no longer shown are
    /// dropped (false).
    pub fn put(&mut self, vm: ViewModel) -> bool {
        if self.month != Some(vm.month) || self.view != vm.view {
            return false;
        }
        self.selected = self.selected.min(vm.report.flagged.len().saturating_sub(1));
        self.vm = Some(vm);
        self.counting = false;
        true
    }

    /// The figures on hand are those of the month and view shown.
    fn current(&self) -> Option<&ViewModel> {
        self.vm
            .as_ref()
            .filter(|v| self.month == Some(v.month) && self.view == v.view)
    }

    /// Handles an action; true when the month or view changed (the caller refreshes).
    pub fn handle(&mut self, action: Action, now: NaiveDateTime) -> bool {
        let month = self.month.unwrap_or(Month::of(now));
        let n = self.current().map_or(0, |v| v.report.flagged.len());
        match action {
            Action::PrevMonth => self.set_month(month.prev()),
            Action::NextMonth => self.set_month(month.next()),
            Action::ThisMonth => self.set_month(Month::of(now)),
            Action::YearView => {
                self.view = match self.view {
                    View::Month => View::Year,
                    View::Year => View::Month,
                };
                true
            }
            Action::Down => {
                self.selected = (self.selected + 1).min(n.saturating_sub(1));
                false
            }
            Action::Up => {
                self.selected = self.selected.saturating_sub(1);
                false
            }
            Action::Top => {
                self.selected = 0;
                false
            }
            Action::Bottom => {
                self.selected = n.saturating_sub(1);
                false
            }
            _ => false,
        }
    }

    fn set_month(&mut self, m: Month) -> bool {
        self.month = Some(m);
        self.selected = 0;
        true
    }

    /// The flagged client selected, if any.
    pub fn selected_client(&self) -> Option<i64> {
        self.vm
            .as_ref()
            .filter(|v| self.month == Some(v.month) && self.view == v.view)
            .and_then(|v| v.report.flagged.get(self.selected))
            .map(|f| f.client_id)
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        let Some(vm) = self.current() else {
            self.render_waiting(area, buf, theme);
            return;
        };
        let r = &vm.report;
        let period = match vm.view {
            View::Month => vm.month.label(),
            View::Year => format!("{} to {}", r.from.label(), r.to.label()),
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border)
            .title(Span::styled(
                format!(" Attendance · {period} "),
                theme.title,
            ));
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height < 3 {
            return;
        }
        let head_text = head_lines(vm, theme);
        let head_rows: u16 = head_text.iter().map(|l| rows(l, inner.width)).sum();
        let [head, rest] =
            Layout::vertical([Constraint::Length(head_rows.max(4)), Constraint::Min(0)])
                .areas(inner);
        if r.is_empty() {
            let what = match vm.view {
                View::Month => format!("in {}", vm.month.label()),
                View::Year => "in these twelve months".into(),
            };
            let lines = vec![
                Line::from(Span::styled(
                    format!("No sessions were booked {what}, and no one asked to cancel."),
                    theme.heading,
                )),
                Line::from(Span::styled(
                    "There is nothing to count yet. [ ] steps through the months; t comes back to this month.",
                    theme.muted,
                )),
            ];
            Paragraph::new(lines)
                .wrap(Wrap { trim: true })
                .render(head, buf);
            let [_, trend] =
                Layout::vertical([Constraint::Length(1), Constraint::Length(2)]).areas(rest);
            render_trend(vm, trend, buf, theme);
            return;
        }
        Paragraph::new(head_text)
            .wrap(Wrap { trim: true })
            .render(head, buf);
        // Every reason asked for is listed ("other" too): the panels grow to fit them.
        let reasons = Reason::ALL
            .iter()
            .filter(|w| r.requests.reason(**w) > 0)
            .count();
        let [panels, _, trend, _, flagged] = Layout::vertical([
            Constraint::Length(10.max(1 + reasons as u16)),
            Constraint::Length(1),
            Constraint::Length(2),
            Constraint::Length(1),
            Constraint::Min(2),
        ])
        .areas(rest);
        if r.requests.total == 0 {
            Paragraph::new(Line::from(Span::styled(
                "No cancellation requests in this period: every booked session stood.",
                theme.muted,
            )))
            .render(panels, buf);
        } else {
            render_panels(&r.requests, panels, buf, theme);
        }
        render_trend(vm, trend, buf, theme);
        self.render_flagged(vm, flagged, buf, theme, names);
    }

    /// The month asked for, while its figures are on their way: "counting…" once they have
    /// taken a while ([`crate::background::SHOW_WORKING_AFTER`]), nothing before.
    fn render_waiting(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let Some(month) = self.month else {
            return;
        };
        let period = match self.view {
            View::Month => month.label(),
            View::Year => format!("{} to {}", month.plus(-11).label(), month.label()),
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border)
            .title(Span::styled(
                format!(" Attendance · {period} "),
                theme.title,
            ));
        let inner = block.inner(area);
        block.render(area, buf);
        if self.counting {
            Paragraph::new(Line::from(Span::styled("counting…", theme.muted))).render(inner, buf);
        }
    }

    fn render_flagged(
        &self,
        vm: &ViewModel,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) {
        if area.height == 0 {
            return;
        }
        let r = &vm.report;
        let mut lines = vec![Line::from(Span::styled(
            "Clients to look at",
            theme.heading,
        ))];
        if r.flagged.is_empty() {
            lines.push(Line::from(Span::styled(
                "No client's attendance needs a look.",
                theme.muted,
            )));
        }
        let room = usize::from(area.height.saturating_sub(1));
        let skip = self.selected.saturating_sub(room.saturating_sub(1));
        for (i, f) in r.flagged.iter().enumerate().skip(skip).take(room) {
            let sel = i == self.selected;
            let name = names.client(vm.flagged_names.get(i).map_or("", String::as_str));
            let style = if sel { theme.selected } else { theme.base };
            lines.push(Line::from(vec![
                Span::styled(if sel { " ▶ " } else { "   " }, style),
                Span::styled(format!("{name:<14}"), style),
                Span::styled(format!(" {:<40}", f.flag.detail()), style),
                Span::styled(format!(" ({})", f.flag.rule().label()), theme.muted),
            ]));
        }
        Paragraph::new(lines).render(area, buf);
    }
}

/// Counts everything the screen draws for `month` (or the twelve months ending with it).
pub fn compute(store: &Store, month: Month, view: View, now: NaiveDateTime) -> Result<ViewModel> {
    let (from, to) = match view {
        View::Month => (month, month),
        View::Year => (month.plus(-11), month),
    };
    let report = store.attendance_report(from, to, now)?;
    let trend = match view {
        View::Year => report.months.clone(),
        View::Month => store.month_figures(month.plus(-11), month)?,
    };
    // Months still to come have no attendance: they are left out of the average.
    let this_month = Month::of(now);
    let mut pooled = StatusCounts::default();
    for (m, f) in &trend {
        if *m <= this_month {
            pooled.merge(&f.sessions);
        }
    }
    let previous = match view {
        View::Month => trend
            .len()
            .checked_sub(2)
            .and_then(|i| trend.get(i))
            .map(|(m, f)| {
                (
                    *m,
                    if *m > this_month {
                        None
                    } else {
                        f.attendance_rate()
                    },
                )
            }),
        View::Year => None,
    };
    let flagged_names = flagged_short_names(store, &report)?;
    Ok(ViewModel {
        month,
        view,
        report,
        trend,
        previous,
        year_rate: pooled.attendance_rate(),
        flagged_names,
        this_month,
    })
}

/// The flagged clients' short names, read through the store.
fn flagged_short_names(store: &Store, r: &Report) -> Result<Vec<String>> {
    r.flagged
        .iter()
        .map(|f| store.client(f.client_id).map(|c| c.short_name()))
        .collect()
}

fn head_lines<'a>(vm: &ViewModel, theme: &Theme) -> Vec<Line<'a>> {
    let r = &vm.report;
    let c = &r.sessions;
    let q = &r.requests;
    let mut status = vec![
        Span::raw(format!("Booked {}", c.booked())),
        Span::styled(" · ", theme.muted),
        Span::raw(format!("attended {}", c.attended)),
        Span::styled(" · ", theme.muted),
        Span::raw(format!("late {}", c.late)),
        Span::styled(" · ", theme.muted),
        Span::raw(format!("no-show {}", c.no_show)),
        Span::styled(" · ", theme.muted),
        Span::raw(format!(
            "cancelled {}",
            c.cancelled - c.by_practitioner.min(c.cancelled)
        )),
        Span::styled(" · ", theme.muted),
        Span::raw(format!("late-cancelled {}", c.late_cancelled)),
        Span::styled(" · ", theme.muted),
        Span::raw(format!("by you {}", c.by_practitioner)),
    ];
    if c.scheduled > 0 {
        status.push(Span::styled(" · ", theme.muted));
        status.push(Span::raw(format!("still scheduled {}", c.scheduled)));
    }
    let rate_words = match vm.rate() {
        Some(_) => percent(vm.rate()),
        None if vm.view == View::Month && vm.month > vm.this_month => {
            "— (this month has not come yet)".into()
        }
        None => "— (no session has an outcome yet)".into(),
    };
    let mut compare = Vec::new();
    if let Some((m, p)) = vm.previous {
        compare.push(format!("{} {}", m.first_day().format("%B"), percent(p)));
    }
    if vm.view == View::Month {
        compare.push(format!("12-month average {}", percent(vm.year_rate)));
    }
    let mut rate_line = vec![
        Span::styled("Attendance ", theme.heading),
        Span::styled(rate_words, theme.heading),
    ];
    if !compare.is_empty() {
        rate_line.push(Span::styled(
            format!("   ({})", compare.join(" · ")),
            theme.muted,
        ));
    }
    let saved = if q.by_client == 0 {
        Line::from(Span::styled(
            "No client asked to cancel, so there was nothing to save.",
            theme.muted,
        ))
    } else {
        Line::from(vec![
            Span::styled("Saved by the offer: ", theme.heading),
            Span::raw(format!(
                "{} of {} client requests ({}) · phone {} · video {} · rescheduled {}",
                q.saved(),
                q.by_client,
                percent(q.save_rate()),
                q.saved_phone,
                q.saved_video,
                q.saved_rescheduled
            )),
        ])
    };
    vec![
        Line::from(status),
        Line::from(rate_line),
        saved,
        Line::default(),
    ]
}

/// The rows `line` takes when wrapped word by word at `room` cells (at least one).
fn rows(line: &Line<'_>, room: u16) -> u16 {
    let room = usize::from(room.max(1));
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    let (mut n, mut used) = (1u16, 0usize);
    for word in text.split_whitespace() {
        let w = unicode_width::UnicodeWidthStr::width(word);
        let need = if used == 0 { w } else { used + 1 + w };
        if need <= room {
            used = need;
        } else {
            n = n.saturating_add(1);
            used = w.min(room);
        }
    }
    n
}

/// A bar of `n` scaled to `max` over `width` cells (at least one cell for anything above 0).
fn bar(n: u32, max: u32, width: u16) -> String {
    if n == 0 || max == 0 || width == 0 {
        return String::new();
    }
    let cells = (u64::from(n) * u64::from(width))
        .div_ceil(u64::from(max))
        .max(1);
    "█".repeat(cells as usize)
}

fn render_panels(q: &Requests, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let [why, when, notice] = Layout::horizontal([
        Constraint::Percentage(38),
        Constraint::Percentage(34),
        Constraint::Percentage(28),
    ])
    .spacing(2)
    .areas(area);
    // Why: every reason with a request, most first.
    let mut reasons: Vec<(Reason, u32)> = Reason::ALL
        .iter()
        .map(|r| (*r, q.reason(*r)))
        .filter(|(_, n)| *n > 0)
        .collect();
    reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let max = reasons.first().map_or(0, |r| r.1);
    let label_w = 21usize;
    let bar_w = why.width.saturating_sub(label_w as u16 + 5);
    let mut lines = vec![Line::from(Span::styled("Why (requests)", theme.heading))];
    for (r, n) in &reasons {
        lines.push(Line::from(vec![
            Span::raw(format!("{:<label_w$}", r.label())),
            Span::styled(bar(*n, max, bar_w), theme.info),
            Span::raw(format!(" {n}")),
        ]));
    }
    Paragraph::new(lines).render(why, buf);

    // When: weekday × time of day of the cancelled session's scheduled start.
    // Full words where they fit (33 cells), short ones in a narrow terminal: the evening
    // column is never cut off.
    let (labels, w) = if when.width >= 33 {
        (["morning", "afternoon", "evening"], [7usize, 9, 7])
    } else {
        (["morn", "aftn", "eve"], [4usize, 4, 4])
    };
    let row = |d: &str, c: [String; 3]| {
        format!(
            "{d:<4}  {:>a$}  {:>b$}  {:>e$}",
            c[0],
            c[1],
            c[2],
            a = w[0],
            b = w[1],
            e = w[2]
        )
    };
    let mut lines = vec![
        Line::from(Span::styled("When (session start)", theme.heading)),
        Line::from(Span::styled(row("", labels.map(String::from)), theme.muted)),
    ];
    for (i, d) in WEEKDAY_LABELS.iter().enumerate() {
        let counts = q.by_weekday_time[i];
        let cell = |n: u32| {
            if n == 0 {
                "·".to_string()
            } else {
                n.to_string()
            }
        };
        let style = if q.by_weekday[i] == 0 {
            theme.muted
        } else {
            theme.base
        };
        lines.push(Line::from(Span::styled(
            row(d, [cell(counts[0]), cell(counts[1]), cell(counts[2])]),
            style,
        )));
    }
    lines.push(Line::from(Span::styled(
        row(
            "all",
            [TimeOfDay::Morning, TimeOfDay::Afternoon, TimeOfDay::Evening]
                .map(|t| q.by_time_of_day[t.index()].to_string()),
        ),
        theme.heading,
    )));
    Paragraph::new(lines).render(when, buf);

    // Notice and who asked.
    let nmax = q.by_notice.iter().copied().max().unwrap_or(0);
    let nbar = notice.width.saturating_sub(16);
    let mut lines = vec![Line::from(Span::styled("Notice", theme.heading))];
    for b in NoticeBand::ALL {
        let n = q.by_notice[b.index()];
        lines.push(Line::from(vec![
            Span::raw(format!("{:<11}", b.label())),
            Span::styled(bar(n, nmax, nbar), theme.info),
            Span::raw(format!(" {n}")),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled("Who asked", theme.heading)));
    lines.push(Line::from(format!("clients {:>4}", q.by_client)));
    lines.push(Line::from(format!("you     {:>4}", q.by_practitioner)));
    Paragraph::new(lines).render(notice, buf);
}

const TICKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A sparkline of shares 0..1 on an absolute scale; a month with no rate is a dot.
pub fn rate_sparkline(rates: impl Iterator<Item = Option<f64>>) -> String {
    rates
        .map(|r| match r {
            Some(r) => TICKS[((r.clamp(0.0, 1.0) * 7.0).round()) as usize],
            None => '·',
        })
        .collect()
}

/// A sparkline of counts scaled to the largest; zero is the lowest tick.
pub fn count_sparkline(counts: &[u32]) -> String {
    let max = counts.iter().copied().max().unwrap_or(0);
    counts
        .iter()
        .map(|n| {
            if max == 0 {
                TICKS[0]
            } else {
                TICKS[((f64::from(*n) / f64::from(max)) * 7.0).round() as usize]
            }
        })
        .collect()
}

fn render_trend(vm: &ViewModel, area: Rect, buf: &mut Buffer, theme: &Theme) {
    if area.height == 0 || vm.trend.is_empty() {
        return;
    }
    let first = vm.trend.first().map(|(m, _)| m.short()).unwrap_or_default();
    let last = vm.trend.last().map(|(m, _)| m.short()).unwrap_or_default();
    let rates = rate_sparkline(vm.trend.iter().map(|(m, f)| vm.rate_of(*m, f)));
    let saves: Vec<u32> = vm.trend.iter().map(|(_, f)| f.saved).collect();
    let saved_total: u32 = saves.iter().sum();
    let client_requests: u32 = vm.trend.iter().map(|(_, f)| f.client_requests).sum();
    let attendance = if vm.year_rate.is_none() {
        vec![Span::styled(
            format!("no session with an outcome from {first} to {last}"),
            theme.muted,
        )]
    } else {
        vec![
            Span::styled(rates, theme.good),
            Span::styled(
                format!("  {first} – {last} · overall {}", percent(vm.year_rate)),
                theme.muted,
            ),
        ]
    };
    let saved = if client_requests == 0 {
        vec![Span::styled(
            format!("no client asked to cancel from {first} to {last}"),
            theme.muted,
        )]
    } else {
        vec![
            Span::styled(count_sparkline(&saves), theme.info),
            Span::styled(
                format!(
                    "  {saved_total} saved of {client_requests} client requests ({})",
                    percent(rate(saved_total, client_requests))
                ),
                theme.muted,
            ),
        ]
    };
    let mut a = vec![Span::styled("Attendance over 12 months ", theme.heading)];
    a.extend(attendance);
    let mut b = vec![Span::styled("Saves over 12 months      ", theme.heading)];
    b.extend(saved);
    let lines = vec![Line::from(a), Line::from(b)];
    Paragraph::new(lines).render(area, buf);
}

/// The attendance block for a client's detail view: their attendance month by month as a
/// sparkline and their cancellation requests by reason. Self-contained: give it the result of
/// [`Store::client_attendance`], read when the client view opens.
pub fn render_client_attendance(a: &ClientAttendance, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let mut lines = Vec::new();
    if a.total.total() == 0 {
        lines.push(Line::from(Span::styled(
            "No sessions yet, so there is no attendance to show.",
            theme.muted,
        )));
        Paragraph::new(lines).render(area, buf);
        return;
    }
    let line = rate_sparkline(a.months.iter().map(|(_, c)| c.attendance_rate()));
    let span = match (a.months.first(), a.months.last()) {
        (Some((f, _)), Some((l, _))) if f != l => format!("  {} – {}", f.short(), l.short()),
        _ => String::new(),
    };
    lines.push(Line::from(vec![
        Span::styled("Attendance     ", theme.heading),
        Span::raw(format!(
            "{} over {} session{} ",
            percent(a.total.attendance_rate()),
            a.total.counted(),
            if a.total.counted() == 1 { "" } else { "s" }
        )),
        Span::styled(line, theme.good),
        Span::styled(span, theme.muted),
    ]));
    let q = &a.requests;
    let mut reasons: Vec<(Reason, u32)> = Reason::ALL
        .iter()
        .map(|r| (*r, q.reason(*r)))
        .filter(|(_, n)| *n > 0)
        .collect();
    reasons.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    let text = if reasons.is_empty() {
        "none".to_string()
    } else {
        let why: Vec<String> = reasons
            .iter()
            .map(|(r, n)| format!("{} {n}", r.label()))
            .collect();
        format!("{} ({} saved)", why.join(" · "), q.saved())
    };
    lines.push(Line::from(vec![
        Span::styled("Cancellations  ", theme.heading),
        Span::raw(text),
    ]));
    Paragraph::new(lines)
        .wrap(Wrap { trim: true })
        .style(Style::default())
        .render(area, buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_are_absolute_for_rates_and_relative_for_counts() {
        assert_eq!(
            rate_sparkline([Some(0.0), Some(0.5), None, Some(1.0)].into_iter()),
            "▁▅·█"
        );
        assert_eq!(count_sparkline(&[0, 2, 4]), "▁▅█");
        assert_eq!(count_sparkline(&[0, 0]), "▁▁");
    }

    #[test]
    fn bars_scale_and_never_hide_a_count() {
        assert_eq!(bar(0, 10, 10), "");
        assert_eq!(bar(1, 100, 10).chars().count(), 1);
        assert_eq!(bar(10, 10, 8).chars().count(), 8);
    }

    #[test]
    fn month_keys_step_and_toggle_the_view() {
        let now = crate::domain::time::parse_local("2026-11-23 09:00").unwrap();
        let mut s = ReportsScreen::default();
        assert!(s.handle(Action::PrevMonth, now));
        assert_eq!(s.month.unwrap().key(), "2026-10");
        assert!(s.handle(Action::PrevMonth, now));
        assert!(s.handle(Action::NextMonth, now));
        assert_eq!(s.month.unwrap().key(), "2026-10");
        assert!(s.handle(Action::ThisMonth, now));
        assert_eq!(s.month.unwrap().key(), "2026-11");
        assert!(s.handle(Action::YearView, now));
        assert_eq!(s.view, View::Year);
        assert!(!s.handle(Action::Down, now));
        assert_eq!(s.selected, 0);
    }
}
