//! The practice's cancellation settings: a summary to place on the Practice screen and a form to
//! edit them (remote options, video link, the cancellation window and fee, office hours, the
//! reschedule horizon, and the reason → alternatives table).
//!
//! Self-contained: [`SettingsView`] draws into any area, [`SettingsForm`] is a dialog on the
//! popup stack. Saving goes through `Store::set_practice_settings` (checked, one transaction).

use chrono::Weekday;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use crate::domain::cancellation::{Alternative, DayHours, OfficeHours, PracticeSettings, Reason};

use crate::tui::theme::Theme;

pub(crate) const DAYS: [(Weekday, &str, &str); 7] = [
    (Weekday::Mon, "hours_mon", "Monday"),
    (Weekday::Tue, "hours_tue", "Tuesday"),
    (Weekday::Wed, "hours_wed", "Wednesday"),
    (Weekday::Thu, "hours_thu", "Thursday"),
    (Weekday::Fri, "hours_fri", "Friday"),
    (Weekday::Sat, "hours_sat", "Saturday"),
    (Weekday::Sun, "hours_sun", "Sunday"),
];

pub(crate) const YES_NO: [&str; 2] = ["yes", "no"];

/// The settings as shown on the Practice screen (refreshed after a write; drawing reads nothing).
#[derive(Debug, Clone, Default)]
pub struct SettingsView {
    pub settings: PracticeSettings,
}

impl SettingsView {
    pub fn refresh(&mut self, store: &crate::store::Store) -> crate::store::Result<()> {
        self.settings = store.practice_settings()?;
        Ok(())
    }

    /// The height (borders included) that shows every setting and every reason at this width,
    /// so the Practice screen can give the panel the room it needs.
    pub fn height(&self, width: u16) -> u16 {
        let n = self.lines(width.saturating_sub(2), &Theme::plain()).len();
        u16::try_from(n).unwrap_or(u16::MAX).saturating_add(2)
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focus)
            .title(Span::styled(
                " Cancellations and remote sessions ",
                theme.title,
            ));
        let lines = self.lines(block.inner(area).width, theme);
        Paragraph::new(lines).block(block).render(area, buf);
    }

    /// The panel's lines for an inner width: each value wraps under its own column, and the
    /// keys to edit are on the status bar, not repeated here.
    fn lines(&self, width: u16, theme: &Theme) -> Vec<Line<'static>> {
        let s = &self.settings;
        let remote = match (s.offers_phone, s.offers_video) {
            (true, true) => "phone and video",
            (true, false) => "phone only",
            (false, true) => "video only",
            (false, false) => "not offered",
        };
        let mut lines = Vec::new();
        let mut row = |label: &str, value: String| rows(&mut lines, label, &value, width, theme);
        row("Remote sessions", remote.to_string());
        row(
            "Video link",
            match s.video_link.trim() {
                "" => "not set".to_string(),
                l => l.to_string(),
            },
        );
        row(
            "Late cancellation",
            match s.cancellation_window_hours {
                0 => "no policy".to_string(),
                h => format!("less than {h} h notice"),
            },
        );
        row("Late fee", s.late_fee_text.clone());
        row("Office hours", office_summary(&s.office_hours));
        row(
            "Reschedule search",
            format!("the next {} days", s.reschedule_horizon_days),
        );
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            "What to offer when a client cancels, best first",
            theme.heading,
        )));
        for r in Reason::ALL {
            let alts = s.offers.for_reason(*r);
            rows(&mut lines, r.label(), &alts_words(&alts), width, theme);
        }
        lines
    }
}

/// The label's column, in characters (two spaces of indent included).
const LABEL: usize = 24;

/// One setting: its label, then its value wrapped at word boundaries under the value column.
fn rows(lines: &mut Vec<Line<'static>>, label: &str, value: &str, width: u16, theme: &Theme) {
    let room = usize::from(width).saturating_sub(LABEL).max(12);
    let mut parts: Vec<String> = Vec::new();
    for word in value.split_whitespace() {
        match parts.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= room => {
                l.push(' ');
                l.push_str(word);
            }
            _ => parts.push(word.to_string()),
        }
    }
    if parts.is_empty() {
        parts.push(String::new());
    }
    for (i, p) in parts.into_iter().enumerate() {
        let head = if i == 0 { label } else { "" };
        lines.push(Line::from(vec![
            Span::styled(format!("  {head:<22}"), theme.muted),
            Span::raw(p),
        ]));
    }
}

fn alts_words(alts: &[Alternative]) -> String {
    if alts.is_empty() {
        return "nothing (record the cancellation)".into();
    }
    alts.iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn hours_text(h: Option<DayHours>) -> String {
    match h {
        Some(h) => format!("{}-{}", h.start.format("%H:%M"), h.end.format("%H:%M")),
        None => "closed".into(),
    }
}

/// "Mon–Fri 09:00–17:00" when the open days share hours, else each day.
pub(crate) fn office_summary(h: &OfficeHours) -> String {
    let open: Vec<(usize, DayHours)> =
        h.0.iter()
            .enumerate()
            .filter_map(|(i, d)| d.map(|d| (i, d)))
            .collect();
    if open.is_empty() {
        return "closed every day".into();
    }
    let short = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let same = open.iter().all(|(_, d)| *d == open[0].1);
    let contiguous = open.windows(2).all(|w| w[1].0 == w[0].0 + 1);
    if same && contiguous {
        let (a, b) = (open[0].0, open[open.len() - 1].0);
        if a == b {
            return format!("{} {}", short[a], open[0].1);
        }
        return format!("{}–{} {}", short[a], short[b], open[0].1);
    }
    open.iter()
        .map(|(i, d)| format!("{} {d}", short[*i]))
        .collect::<Vec<_>>()
        .join(" · ")
}
