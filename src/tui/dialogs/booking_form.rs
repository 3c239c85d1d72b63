//! The booking form: day, time, length, how, and repeats.

use crate::domain::ValidationError;
use crate::domain::schedule::{Repeat, RepeatEnd, parse_day};
use crate::domain::session::{DEFAULT_MINUTES, Modality};
use crate::domain::time::parse_local;
use crate::store::session::BookingRequest;
use crate::tui::dialogs::*;
use crate::tui::names::Names;
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{Field, Form};
use chrono::{NaiveDate, NaiveDateTime, Timelike};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

const REPEATS: [&str; 3] = ["Once", "Weekly", "Every 2 weeks"];

pub struct BookingForm {
    pub client_id: i64,
    pub form: Form,
    /// What `tomorrow`, `+7` and weekdays count from.
    pub today: NaiveDate,
}

impl BookingForm {
    /// A form for `name`, starting on `day` at the next whole hour after `now` (or 09:00).
    pub fn new(client_id: i64, name: &str, day: NaiveDate, now: NaiveDateTime) -> BookingForm {
        let hour = if day == now.date() {
            (now.hour() + 1).clamp(8, 20)
        } else {
            9
        };
        let modalities: Vec<&'static str> = Modality::ALL.iter().map(|m| m.label()).collect();
        let fields = vec![
            Field::text(
                "date",
                "Date",
                &day.format("%Y-%m-%d").to_string(),
                "YYYY-MM-DD, today, tomorrow, mon…sun or +7",
            ),
            Field::text(
                "time",
                "Time",
                &format!("{hour:02}:00"),
                "HH:MM, 24-hour clock",
            ),
            Field::text(
                "minutes",
                "Minutes",
                &DEFAULT_MINUTES.to_string(),
                "Between 5 and 600.",
            ),
            Field::choice("modality", "How", modalities, 0, "Space or ←/→ to choose."),
            Field::choice(
                "repeat",
                "Repeat",
                REPEATS.to_vec(),
                0,
                "Space or ←/→ to choose.",
            ),
            Field::text(
                "count",
                "Sessions",
                "6",
                "How many in all when repeating, or the last date (YYYY-MM-DD or +84).",
            ),
        ];
        BookingForm {
            client_id,
            form: Form::new("Book · {client}", fields).about(name).replacing(),
            today: now.date(),
        }
    }

    /// Back to the time after a clash: picking another time is the usual answer.
    pub fn focus_time(&mut self) {
        self.form.focus_on("time");
    }

    /// The booking the form describes, or what is wrong with it (field by field).
    pub fn request(&self) -> Result<BookingRequest, ValidationError> {
        let f = &self.form;
        let mut errors = Vec::new();
        let starts_at = match parse_day(&f.text("date"), self.today) {
            Ok(day) => match parse_local(&format!("{day} {}", f.text("time").trim())) {
                Ok(t) => Some(t),
                Err(e) => {
                    errors.push(crate::domain::FieldError::new("time", e));
                    None
                }
            },
            Err(e) => {
                errors.push(crate::domain::FieldError::new("date", e));
                None
            }
        };
        let minutes = match f.text("minutes").trim().parse::<u32>() {
            Ok(m) if (5..=600).contains(&m) => Some(m),
            _ => {
                errors.push(crate::domain::FieldError::new(
                    "minutes",
                    "must be a number of minutes between 5 and 600",
                ));
                None
            }
        };
        let every = match f.choice("repeat") {
            0 => None,
            1 => Some(1),
            _ => Some(2),
        };
        let repeat = match every {
            None => Some(Repeat::Once),
            Some(every_weeks) => {
                let c = f.text("count");
                let c = c.trim();
                if let Ok(n) = c.parse::<u32>() {
                    Some(Repeat::Weeks {
                        every_weeks,
                        end: RepeatEnd::Count(n),
                    })
                } else if let Ok(d) = parse_day(c, self.today) {
                    Some(Repeat::Weeks {
                        every_weeks,
                        end: RepeatEnd::Until(d),
                    })
                } else {
                    errors.push(crate::domain::FieldError::new(
                        "count",
                        "type how many sessions, or the last date as YYYY-MM-DD or +84",
                    ));
                    None
                }
            }
        };
        match (starts_at, minutes, repeat) {
            (Some(starts_at), Some(minutes), Some(repeat)) if errors.is_empty() => {
                Ok(BookingRequest {
                    client_id: self.client_id,
                    starts_at,
                    minutes,
                    modality: Modality::ALL
                        .get(f.choice("modality"))
                        .copied()
                        .unwrap_or(Modality::InPerson),
                    repeat,
                })
            }
            _ => Err(ValidationError { errors }),
        }
    }

    pub fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        self.form.render_popup(area, 96, buf, theme, names)
    }
}

impl FormHost for BookingForm {
    fn form(&self) -> &Form {
        &self.form
    }

    fn form_mut(&mut self) -> &mut Form {
        &mut self.form
    }

    fn submit(&self) -> Result<Outcome, crate::domain::ValidationError> {
        self.request()
            .map(|req| Outcome::Apply(Apply::Book { req, force: false }))
    }

    fn asks_before_leaving(&self) -> bool {
        false
    }
    fn draw(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) -> Option<Position> {
        BookingForm::render(self, area, buf, theme, names)
    }
}
