//! Drawing: the header, the screen, the dialogs in order, the message and key hints.

use super::*;
use crate::tui::action::ScreenId;
use crate::tui::dialogs::Dialog;
use crate::tui::keymap;
use crate::tui::screens::assessments::render_instruments;
use crate::tui::theme::Theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

impl App {
    pub fn draw(&mut self, frame: &mut Frame<'_>) {
        let area = frame.area();
        if let Some(l) = &self.locked {
            l.render(&self.unlock, area, frame.buffer_mut(), &self.theme);
            return;
        }
        // A dialog meant for the client's eyes takes the whole screen: nothing under it shows
        // (only what is opened over it, such as the help).
        let layers: Vec<&dyn Dialog> = self.popups.iter().collect();
        if let Some(i) = layers.iter().rposition(|d| d.client_facing()) {
            let buf = frame.buffer_mut();
            ratatui::widgets::Clear.render(area, buf);
            buf.set_style(area, self.theme.base);
            let mut cursor = None;
            for d in &layers[i..] {
                cursor = d.render(area, buf, &self.theme, self.names());
            }
            if let Some(c) = cursor {
                frame.set_cursor_position(c);
            }
            return;
        }
        self.draw_screen(frame);
    }

    /// Numbers same-named clients in the lists about to be drawn ("Sam L. (2)"); a name already
    /// numbered is left as it is.
    fn tell_twins_apart(&mut self) {
        let twins = &self.twins;
        for l in self
            .today
            .rows
            .iter_mut()
            .chain(self.agenda.rows.iter_mut())
        {
            twins.tell_apart(l.session.client_id, &mut l.client);
        }
        for item in &mut self.today.attention {
            let id = item.client_id();
            if let Some(name) = item.client_mut() {
                twins.tell_apart(id, name);
            }
        }
        if let Some(vm) = &mut self.reports.vm {
            for (f, name) in vm.report.flagged.iter().zip(vm.flagged_names.iter_mut()) {
                twins.tell_apart(f.client_id, name);
            }
        }
    }

    pub(super) fn draw_screen(&mut self, frame: &mut Frame<'_>) {
        self.tell_twins_apart();
        let area = frame.area();
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            draw_too_small(frame, area, &self.theme);
            return;
        }
        let buf = frame.buffer_mut();
        buf.set_style(area, self.theme.base);
        let [header, body, message, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        self.draw_header(header, buf);
        let dates = self.config.date_format;
        let names = self.names();
        let mut cursor = match self.screen {
            _ if self.note_editor.is_some() => {
                if let Some(ed) = &self.note_editor {
                    ed.render(body, buf, &self.theme, names);
                }
                None
            }
            _ if self.client_view.is_some() => {
                if let Some(v) = &self.client_view {
                    v.render(body, buf, &self.theme, dates, names);
                }
                None
            }
            ScreenId::Today => {
                self.today.render(body, buf, &self.theme, names);
                None
            }
            ScreenId::Clients => match &self.assessments {
                Some(v) => {
                    v.render(body, buf, &self.theme, dates, names);
                    None
                }
                None => self.clients.render(body, buf, &self.theme, dates, names),
            },
            ScreenId::Agenda => {
                self.agenda.render(body, buf, &self.theme, names);
                None
            }
            ScreenId::Practice => {
                let [left, right] =
                    Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                        .areas(body);
                // The settings get the room they need; the instruments keep at least a few lines.
                let need = self.practice_settings.height(left.width);
                let [top, bottom] =
                    Layout::vertical([Constraint::Length(need), Constraint::Min(6)]).areas(left);
                self.practice_settings.render(top, buf, &self.theme);
                render_instruments(&self.catalog, bottom, buf, &self.theme);
                self.profile_view.render(right, buf, &self.theme);
                None
            }
            ScreenId::Reports => {
                match &self.income {
                    Some(v) => v.render(body, buf, &self.theme),
                    None => self.reports.render(body, buf, &self.theme, names),
                }
                None
            }
        };
        for p in self.popups.iter() {
            cursor = p.render(body, buf, &self.theme, names);
        }
        if let Some(m) = &self.message {
            let style = match m.kind {
                MessageKind::Info => self.theme.info,
                MessageKind::Error => self.theme.error,
            };
            Paragraph::new(Span::styled(format!(" {}", m.text), style)).render(message, buf);
        } else if self.store.read_only() {
            Paragraph::new(Span::styled(
                format!(" {READ_ONLY_NOTICE}"),
                self.theme.error,
            ))
            .render(message, buf);
        }
        self.draw_status(status, buf);
        if let Some(c) = cursor {
            frame.set_cursor_position(c);
        }
    }

    /// The practice's name from its profile, or the file's name until it has one: whole, never
    /// cut (the header drops it whole where it doesn't fit).
    pub(super) fn header_name(&self) -> String {
        let name = self.profile_view.profile.practice_name.trim();
        if name.is_empty() {
            return self.title.clone();
        }
        name.to_string()
    }

    pub(super) fn draw_header(&self, area: Rect, buf: &mut ratatui::buffer::Buffer) {
        let tag = if self.privacy { " privacy " } else { "" };
        let date = self.clock.today();
        let name = self.header_name();
        let plan = header_plan(area.width, &name, tag.len(), date);
        let mut spans = Vec::new();
        if !plan.name.is_empty() {
            spans.push(Span::styled(plan.name.clone(), self.theme.title));
            spans.push(Span::raw("  "));
        }
        for s in ScreenId::ALL {
            let style = if s == self.screen {
                self.theme.tab_active
            } else {
                self.theme.tab
            };
            spans.push(Span::styled(tab_label(s, plan.tabs), style));
            spans.push(Span::raw(" "));
        }
        Paragraph::new(Line::from(spans)).render(area, buf);
        // The date, then privacy mode, at the right end: both always in sight.
        let mut right = area.right();
        if self.privacy {
            right = right.saturating_sub(tag.len() as u16);
            buf.set_string(right, area.y, tag, self.theme.tab_active);
        }
        let w = plan.date.chars().count() as u16 + 1;
        if right.saturating_sub(area.x) > w {
            buf.set_string(right - w, area.y, &plan.date, self.theme.muted);
        }
    }

    pub(super) fn draw_status(&self, area: Rect, buf: &mut ratatui::buffer::Buffer) {
        let mut hints = keymap::hints(self.context());
        // When the line is too narrow, the screen's own hints give way first: "? help" (which
        // lists them all) and "q quit" always stay in sight.
        let width = |h: &[(String, &'static str)]| -> usize {
            1 + h
                .iter()
                .map(|(k, t)| k.chars().count() + t.chars().count() + 3)
                .sum::<usize>()
        };
        while width(&hints).saturating_sub(2) > area.width as usize {
            match hints
                .iter()
                .rposition(|(_, t)| *t != "help" && *t != "quit")
            {
                Some(i) => {
                    hints.remove(i);
                }
                None => break,
            }
        }
        let mut spans = vec![Span::raw(" ")];
        for (key, hint) in hints {
            spans.push(Span::styled(key, self.theme.key));
            spans.push(Span::styled(format!(" {hint}  "), self.theme.muted));
        }
        Paragraph::new(Line::from(spans)).render(area, buf);
    }
}

fn draw_too_small(frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let text = vec![
        Line::from(Span::styled("Enlarge the terminal", theme.heading)),
        Line::from(format!(
            "It needs {MIN_WIDTH} × {MIN_HEIGHT} or more; now {} × {}.",
            area.width, area.height
        )),
        Line::from("q quits."),
    ];
    let h = 3.min(area.height);
    let y = area.y + area.height.saturating_sub(h) / 2;
    Paragraph::new(text)
        .alignment(ratatui::layout::Alignment::Center)
        .wrap(Wrap { trim: true })
        .render(
            Rect::new(area.x, y, area.width, area.height - (y - area.y)),
            frame.buffer_mut(),
        );
}

/// How the header's tabs are labelled as the terminal narrows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TabLabels {
    /// " 1 Today "
    Full,
    /// " 1 Tod "
    Short,
    /// " 1 "
    Number,
}

/// What the header shows at a given width: the five screens and the date always.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct HeaderPlan {
    pub name: String,
    pub tabs: TabLabels,
    pub date: String,
}

pub(super) fn tab_label(s: ScreenId, labels: TabLabels) -> String {
    let n = s.index() + 1;
    match labels {
        TabLabels::Full => format!(" {n} {} ", s.title()),
        TabLabels::Short => format!(" {n} {} ", s.title().chars().take(3).collect::<String>()),
        TabLabels::Number => format!(" {n} "),
    }
}

/// The richest header that fits in `width`: the tabs shorten (labels, then numbers only) before
/// the date does, and the practice's name gives way first.
pub(super) fn header_plan(
    width: u16,
    practice: &str,
    tag: usize,
    today: chrono::NaiveDate,
) -> HeaderPlan {
    let long_date = today.format("%a %-d %b %Y").to_string();
    let short_date = today.format("%-d %b").to_string();
    let full_name = format!(" caseload · {practice} ");
    let names = [full_name.as_str(), " caseload ", ""];
    let tabs_w = |t: TabLabels| -> usize {
        ScreenId::ALL
            .iter()
            .map(|s| tab_label(*s, t).chars().count() + 1)
            .sum()
    };
    let fits = |name: &str, t: TabLabels, date: &str| {
        let name_w = if name.is_empty() {
            0
        } else {
            name.chars().count() + 2
        };
        name_w + tabs_w(t) + date.chars().count() + 1 + tag <= usize::from(width)
    };
    let mut tries: Vec<(&str, TabLabels, &str)> = Vec::new();
    for t in [TabLabels::Full, TabLabels::Short, TabLabels::Number] {
        for n in names {
            tries.push((n, t, &long_date));
        }
    }
    tries.push(("", TabLabels::Number, &short_date));
    let (name, tabs, date) = tries
        .into_iter()
        .find(|(n, t, d)| fits(n, *t, d))
        .unwrap_or(("", TabLabels::Number, &short_date));
    HeaderPlan {
        name: name.to_string(),
        tabs,
        date: date.to_string(),
    }
}

#[cfg(test)]
mod header_tests {
    use super::*;

    fn plan(width: u16, tag: usize) -> (String, TabLabels, String) {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
        let p = header_plan(width, "Harbour Counselling", tag, day);
        (p.name, p.tabs, p.date)
    }

    #[test]
    fn the_header_shortens_the_tabs_and_keeps_the_date() {
        assert_eq!(
            plan(120, 0),
            (
                " caseload · Harbour Counselling ".to_string(),
                TabLabels::Full,
                "Mon 30 Nov 2026".to_string()
            )
        );
        assert_eq!(
            plan(80, 0),
            (
                "".to_string(),
                TabLabels::Full,
                "Mon 30 Nov 2026".to_string()
            )
        );
        assert_eq!(
            plan(60, 0),
            (
                "".to_string(),
                TabLabels::Short,
                "Mon 30 Nov 2026".to_string()
            )
        );
        assert_eq!(
            plan(60, 9),
            (
                " caseload ".to_string(),
                TabLabels::Number,
                "Mon 30 Nov 2026".to_string()
            )
        );
        assert_eq!(
            plan(30, 9),
            ("".to_string(), TabLabels::Number, "30 Nov".to_string())
        );
        assert_eq!(tab_label(ScreenId::Practice, TabLabels::Short), " 5 Pra ");
    }
}
