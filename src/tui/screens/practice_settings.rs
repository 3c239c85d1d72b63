//! The practice's cancellation settings: a summary to place on the Practice screen and a form to
//! edit them (remote options, video link, the cancellation window and fee, office hours, the
//! reschedule horizon, and the reason → alternatives table).
//!
//! Self-contained: [`SettingsView`] draws into any area, [`SettingsForm`] is a dialog on the
//! popup stack. Saving goes through `Store::set_practice_settings` (checked, one transaction).

use chrono::Weekday;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::domain::cancellation::{
    Alternative, DayHours, OfferTable, OfficeHours, PracticeSettings, Reason,
};
use crate::domain::error::{FieldError, ValidationError};
use crate::tui::action::Action;
use crate::tui::dialogs::{Apply, Dialog, Outcome};
use crate::tui::keymap::Context;
use crate::tui::names::Names;
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{Field, Form};

const DAYS: [(Weekday, &str, &str); 7] = [
    (Weekday::Mon, "hours_mon", "Monday"),
    (Weekday::Tue, "hours_tue", "Tuesday"),
    (Weekday::Wed, "hours_wed", "Wednesday"),
    (Weekday::Thu, "hours_thu", "Thursday"),
    (Weekday::Fri, "hours_fri", "Friday"),
    (Weekday::Sat, "hours_sat", "Saturday"),
    (Weekday::Sun, "hours_sun", "Sunday"),
];

const YES_NO: [&str; 2] = ["yes", "no"];

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

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let s = &self.settings;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focus)
            .title(Span::styled(
                " Cancellations and remote sessions ",
                theme.title,
            ));
        let yes = |b: bool| if b { "offered" } else { "not offered" };
        let mut lines = vec![
            row("Phone sessions", yes(s.offers_phone).to_string(), theme),
            row("Video sessions", yes(s.offers_video).to_string(), theme),
            row(
                "Video link",
                match s.video_link.trim() {
                    "" => "not set".to_string(),
                    l => l.to_string(),
                },
                theme,
            ),
            row(
                "Late cancellation",
                match s.cancellation_window_hours {
                    0 => "no policy".to_string(),
                    h => format!("less than {h} h notice"),
                },
                theme,
            ),
            row("Late fee", s.late_fee_text.clone(), theme),
            row("Office hours", office_summary(&s.office_hours), theme),
            row(
                "Reschedule search",
                format!("the next {} days", s.reschedule_horizon_days),
                theme,
            ),
            Line::default(),
            Line::from(Span::styled(
                "What to offer when a client cancels, best first",
                theme.heading,
            )),
        ];
        for r in Reason::ALL {
            let alts = s.offers.for_reason(*r);
            lines.push(row(r.label(), alts_words(&alts), theme));
        }
        lines.push(Line::default());
        lines.push(Line::from(vec![
            Span::styled("e", theme.key),
            Span::raw(" edit these settings"),
        ]));
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block)
            .render(area, buf);
    }
}

fn row(label: &str, value: String, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("  {label:<22}"), theme.muted),
        Span::raw(value),
    ])
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

fn hours_text(h: Option<DayHours>) -> String {
    match h {
        Some(h) => format!("{}-{}", h.start.format("%H:%M"), h.end.format("%H:%M")),
        None => "closed".into(),
    }
}

/// "Mon–Fri 09:00–17:00" when the open days share hours, else each day.
fn office_summary(h: &OfficeHours) -> String {
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

/// The settings form.
pub struct SettingsForm {
    pub form: Form,
}

/// What the form asks of the app.
pub enum FormOutcome {
    Keep,
    Close,
    Save(Box<PracticeSettings>),
}

impl SettingsForm {
    pub fn new(s: &PracticeSettings) -> SettingsForm {
        let mut fields = vec![
            Field::choice(
                "offers_phone",
                "Offer phone sessions",
                YES_NO.to_vec(),
                usize::from(!s.offers_phone),
                "Space or ←/→ to choose.",
            ),
            Field::choice(
                "offers_video",
                "Offer video sessions",
                YES_NO.to_vec(),
                usize::from(!s.offers_video),
                "Space or ←/→ to choose.",
            ),
            Field::text(
                "video_link",
                "Video link",
                &s.video_link,
                "Shown to you when offering video, e.g. https://meet.example/room",
            ),
            Field::text(
                "cancellation_window_hours",
                "Late if notice under (h)",
                &s.cancellation_window_hours.to_string(),
                "Hours; a client cancelling with less notice is a late cancellation. 0 = no policy.",
            ),
            Field::text(
                "late_fee_text",
                "Late fee",
                &s.late_fee_text,
                "In your words, shown when a late cancellation is recorded.",
            ),
        ];
        for (day, key, label) in DAYS {
            fields.push(Field::text(
                key,
                label,
                &hours_text(s.office_hours.on(day)),
                "Office hours as 09:00-17:00, or closed.",
            ));
        }
        fields.push(Field::text(
            "reschedule_horizon_days",
            "Search free slots (days)",
            &s.reschedule_horizon_days.to_string(),
            "How far ahead to look for a free slot when rescheduling (1–90).",
        ));
        for r in Reason::ALL {
            fields.push(Field::text(
                r.as_str(),
                r.label(),
                &s.offers
                    .for_reason(*r)
                    .iter()
                    .map(|a| a.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                "What to offer, best first: phone, video, reschedule (any of them, comma separated).",
            ));
        }
        SettingsForm {
            form: Form::new("Practice settings · cancellations", fields),
        }
    }

    /// Reads the form into settings, checking every field.
    pub fn settings(&self) -> Result<PracticeSettings, ValidationError> {
        let f = &self.form;
        let mut errors: Vec<FieldError> = Vec::new();
        let mut number = |key: &'static str, max: u32| -> u32 {
            let t = f.text(key);
            match t.trim().parse::<u32>() {
                Ok(n) if n <= max => n,
                Ok(_) => {
                    errors.push(FieldError::new(key, format!("is more than {max}")));
                    0
                }
                Err(_) => {
                    errors.push(FieldError::new(
                        key,
                        format!("“{}” is not a whole number", t.trim()),
                    ));
                    0
                }
            }
        };
        let window = number("cancellation_window_hours", 24 * 14);
        let horizon = number("reschedule_horizon_days", 90);
        let mut hours = OfficeHours([None; 7]);
        for (i, (_, key, _)) in DAYS.iter().enumerate() {
            let t = f.text(key);
            let t = t.trim();
            if t.is_empty() || t.eq_ignore_ascii_case("closed") {
                continue;
            }
            match DayHours::parse(t) {
                Ok(h) => hours.0[i] = Some(h),
                Err(e) => errors.push(FieldError::new(key, e)),
            }
        }
        let mut offers = OfferTable::default();
        for r in Reason::ALL {
            let t = f.text(r.as_str());
            let mut alts = Vec::new();
            for w in t.split([',', ' ']).filter(|w| !w.trim().is_empty()) {
                match w.trim().parse::<Alternative>() {
                    Ok(a) => alts.push(a),
                    Err(e) => errors.push(FieldError::new(r.as_str(), e.to_string())),
                }
            }
            offers.set(*r, alts);
        }
        let s = PracticeSettings {
            offers_phone: f.choice("offers_phone") == 0,
            offers_video: f.choice("offers_video") == 0,
            video_link: f.text("video_link").trim().to_string(),
            cancellation_window_hours: window,
            late_fee_text: f.text("late_fee_text").trim().to_string(),
            office_hours: hours,
            reschedule_horizon_days: horizon,
            offers,
        };
        if errors.is_empty()
            && let Err(e) = s.validate()
        {
            errors.extend(e.errors);
        }
        if errors.is_empty() {
            Ok(s)
        } else {
            Err(ValidationError { errors })
        }
    }

    pub fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> FormOutcome {
        match action {
            Some(Action::NextField) => self.form.next_field(),
            Some(Action::PrevField) => self.form.prev_field(),
            Some(Action::ChoiceNext) => {
                self.form.cycle(1);
            }
            Some(Action::ChoicePrev) => {
                self.form.cycle(-1);
            }
            Some(Action::Submit) => match self.settings() {
                Ok(s) => return FormOutcome::Save(Box::new(s)),
                Err(e) => self.form.show_errors(&e),
            },
            Some(Action::Back) => return FormOutcome::Close,
            _ => {
                self.form.type_key(key);
            }
        }
        FormOutcome::Keep
    }

    pub fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        self.form.render_popup(area, 100, buf, theme, names)
    }
}

// ---- on the dialog stack -------------------------------------------------------------------

impl Dialog for SettingsForm {
    fn context(&self) -> Context {
        Context::Form
    }

    fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> Outcome {
        match SettingsForm::handle(self, action, key) {
            FormOutcome::Keep => Outcome::Keep,
            FormOutcome::Close => Outcome::Close,
            FormOutcome::Save(s) => Outcome::Apply(Apply::SavePracticeSettings(s)),
        }
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        SettingsForm::render(self, area, buf, theme, names)
    }

    fn show_errors(&mut self, e: &crate::domain::ValidationError) {
        self.form.show_errors(e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    fn focus(f: &mut SettingsForm, k: &str) {
        f.form.focus = f.form.fields.iter().position(|x| x.key == k).unwrap();
    }

    fn retype(f: &mut SettingsForm, k: &str, text: &str) {
        focus(f, k);
        for _ in 0..60 {
            f.form.type_key(&key(KeyCode::Backspace));
        }
        for c in text.chars() {
            f.form.type_key(&key(KeyCode::Char(c)));
        }
    }

    #[test]
    fn the_defaults_round_trip_through_the_form() {
        let d = PracticeSettings::default();
        assert_eq!(SettingsForm::new(&d).settings().unwrap(), d);
    }

    #[test]
    fn edits_are_read_and_checked() {
        let mut f = SettingsForm::new(&PracticeSettings::default());
        retype(&mut f, "cancellation_window_hours", "48");
        retype(&mut f, "hours_sat", "10:00-13:00");
        retype(&mut f, "hours_fri", "closed");
        retype(&mut f, "cost", "phone, reschedule");
        retype(&mut f, "video_link", "https://meet.example/harbour");
        focus(&mut f, "offers_phone");
        f.form.cycle(1);
        let s = f.settings().unwrap();
        assert_eq!(s.cancellation_window_hours, 48);
        assert!(!s.offers_phone);
        assert_eq!(s.office_hours.on(Weekday::Fri), None);
        assert_eq!(
            s.office_hours.on(Weekday::Sat).unwrap().to_string(),
            "10:00–13:00"
        );
        assert_eq!(
            s.offers.for_reason(Reason::Cost),
            vec![Alternative::Phone, Alternative::Reschedule]
        );
        assert_eq!(
            office_summary(&s.office_hours),
            "Mon 09:00–17:00 · Tue 09:00–17:00 · Wed 09:00–17:00 · Thu 09:00–17:00 · Sat 10:00–13:00"
        );
        retype(&mut f, "cost", "phone, carrier pigeon");
        retype(&mut f, "hours_mon", "17:00-09:00");
        retype(&mut f, "reschedule_horizon_days", "0");
        let e = f.settings().unwrap_err();
        assert!(e.for_field("cost").unwrap().contains("carrier"));
        assert!(e.for_field("hours_mon").is_some());
        // Field errors first; the horizon is checked once the fields read.
        retype(&mut f, "cost", "phone");
        retype(&mut f, "hours_mon", "09:00-17:00");
        let e = f.settings().unwrap_err();
        assert!(e.for_field("reschedule_horizon_days").is_some());
        assert_eq!(
            office_summary(&OfficeHours::default()),
            "Mon–Fri 09:00–17:00"
        );
    }
}
