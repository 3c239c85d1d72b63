//! Editing the practice's cancellation settings: notice, fee, the offer per reason, office
//! hours.

use crate::domain::cancellation::{
    Alternative, DayHours, OfferTable, OfficeHours, PracticeSettings, Reason,
};
use crate::domain::error::{FieldError, ValidationError};
use crate::tui::dialogs::*;
use crate::tui::names::Names;
use crate::tui::screens::practice_settings::{DAYS, YES_NO, hours_text};
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{Field, Form};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

/// The settings form.
pub struct SettingsForm {
    pub form: Form,
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

impl FormHost for SettingsForm {
    fn form(&self) -> &Form {
        &self.form
    }

    fn form_mut(&mut self) -> &mut Form {
        &mut self.form
    }

    fn submit(&self) -> Result<Outcome, crate::domain::ValidationError> {
        self.settings()
            .map(|s| Outcome::Apply(Apply::SavePracticeSettings(Box::new(s))))
    }

    fn asks_before_leaving(&self) -> bool {
        false
    }
    fn draw(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) -> Option<Position> {
        SettingsForm::render(self, area, buf, theme, names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::screens::practice_settings::office_summary;
    use chrono::Weekday;
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
