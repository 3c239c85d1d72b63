//! Dialogs for sessions: choosing a client (fuzzy), the booking form, the clash warning, a
//! session's detail, and "go to a date".

use chrono::{NaiveDate, NaiveDateTime, Timelike};
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Matcher, Utf32String};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use tui_input::{Input, InputRequest};

use super::action::Action;
use super::theme::Theme;
use super::widgets::form::{Field, Form};
use super::widgets::popup::{centered, frame};
use crate::domain::ValidationError;
use crate::domain::client::Client;
use crate::domain::schedule::{Clash, Repeat, RepeatEnd, parse_day};
use crate::domain::session::{DEFAULT_MINUTES, Modality, Session};
use crate::domain::time::{parse_date, parse_local};
use crate::store::session::BookingRequest;
use crate::tui::dialogs::{Apply, Dialog, Outcome};
use crate::tui::keymap::Context;
use crate::tui::names::Names;

fn type_into(input: &mut Input, key: &KeyEvent) -> bool {
    let req = match key.code {
        KeyCode::Char(c) => InputRequest::InsertChar(c),
        KeyCode::Backspace => InputRequest::DeletePrevChar,
        KeyCode::Delete => InputRequest::DeleteNextChar,
        KeyCode::Left => InputRequest::GoToPrevChar,
        KeyCode::Right => InputRequest::GoToNextChar,
        _ => return false,
    };
    input.handle(req).is_some_and(|r| r.value)
}

// ---- choosing a client ---------------------------------------------------------------------

pub struct ClientPicker {
    clients: Vec<(i64, String, Utf32String)>,
    visible: Vec<usize>,
    selected: usize,
    query: Input,
    matcher: Matcher,
}

impl ClientPicker {
    /// Offers the clients who may be booked (active and on hold).
    pub fn new(clients: &[Client]) -> ClientPicker {
        let clients: Vec<(i64, String, Utf32String)> = clients
            .iter()
            .filter(|c| crate::domain::schedule::check_bookable(&c.name, c.status).is_ok())
            .map(|c| {
                let hay = match &c.preferred_name {
                    Some(p) => format!("{} {p}", c.name),
                    None => c.name.clone(),
                };
                (c.id, c.name.clone(), Utf32String::from(hay.as_str()))
            })
            .collect();
        let visible = (0..clients.len()).collect();
        ClientPicker {
            clients,
            visible,
            selected: 0,
            query: Input::default(),
            matcher: Matcher::new(nucleo_matcher::Config::DEFAULT),
        }
    }

    fn filter(&mut self) {
        let q = self.query.value().trim();
        self.visible.clear();
        if q.is_empty() {
            self.visible.extend(0..self.clients.len());
        } else {
            let pattern = Pattern::parse(q, CaseMatching::Ignore, Normalization::Smart);
            let mut scored: Vec<(u32, usize)> = Vec::new();
            for (i, c) in self.clients.iter().enumerate() {
                if let Some(s) = pattern.score(c.2.slice(..), &mut self.matcher) {
                    scored.push((s, i));
                }
            }
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            self.visible.extend(scored.into_iter().map(|(_, i)| i));
        }
        self.selected = 0;
    }

    pub fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> Outcome {
        match action {
            Some(Action::Down) => {
                self.selected = (self.selected + 1).min(self.visible.len().saturating_sub(1))
            }
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::Back) => return Outcome::Close,
            Some(Action::Submit) => {
                if let Some(&i) = self.visible.get(self.selected) {
                    let (id, name, _) = &self.clients[i];
                    return Outcome::Apply(Apply::PickClient {
                        id: *id,
                        name: name.clone(),
                    });
                }
            }
            _ => {
                if type_into(&mut self.query, key) {
                    self.filter();
                }
            }
        }
        Outcome::Keep
    }

    pub fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        let rect = centered(area, 50, 16);
        let inner = frame(rect, buf, "Book for… · type to find a client", theme);
        if inner.height < 3 {
            return None;
        }
        let prompt = "Find: ";
        buf.set_string(inner.x, inner.y, prompt, theme.muted);
        buf.set_stringn(
            inner.x + prompt.len() as u16,
            inner.y,
            self.query.value(),
            inner.width as usize - prompt.len(),
            theme.input,
        );
        let h = inner.height as usize - 2;
        let offset = if self.selected >= h {
            self.selected + 1 - h
        } else {
            0
        };
        if self.visible.is_empty() {
            buf.set_stringn(
                inner.x,
                inner.y + 2,
                "No active client matches.",
                inner.width as usize,
                theme.muted,
            );
        }
        for (line, (pos, &i)) in self
            .visible
            .iter()
            .enumerate()
            .skip(offset)
            .take(h)
            .enumerate()
        {
            let style = if pos == self.selected {
                theme.selected
            } else {
                theme.base
            };
            let y = inner.y + 2 + line as u16;
            buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
            buf.set_stringn(
                inner.x,
                y,
                names.client(&self.clients[i].1),
                inner.width as usize,
                style,
            );
        }
        Some(Position::new(
            inner.x + prompt.len() as u16 + self.query.visual_cursor() as u16,
            inner.y,
        ))
    }
}

// ---- the booking form ----------------------------------------------------------------------

const REPEATS: [&str; 3] = ["Once", "Weekly", "Every 2 weeks"];

pub struct BookingForm {
    pub client_id: i64,
    pub form: Form,
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
                "YYYY-MM-DD",
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
                "How many in all when repeating, or an end date YYYY-MM-DD.",
            ),
        ];
        BookingForm {
            client_id,
            form: Form::new("Book · {client}", fields).about(name),
        }
    }

    /// The booking the form describes, or what is wrong with it (field by field).
    pub fn request(&self) -> Result<BookingRequest, ValidationError> {
        let f = &self.form;
        let mut errors = Vec::new();
        let starts_at = match parse_local(&format!(
            "{} {}",
            f.text("date").trim(),
            f.text("time").trim()
        )) {
            Ok(t) => Some(t),
            Err(e) => {
                let field = if parse_date(&f.text("date")).is_err() {
                    "date"
                } else {
                    "time"
                };
                errors.push(crate::domain::FieldError::new(field, e));
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
                } else if let Ok(d) = parse_date(c) {
                    Some(Repeat::Weeks {
                        every_weeks,
                        end: RepeatEnd::Until(d),
                    })
                } else {
                    errors.push(crate::domain::FieldError::new(
                        "count",
                        "type how many sessions, or the last date as YYYY-MM-DD",
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

    pub fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> Outcome {
        match action {
            Some(Action::NextField) => self.form.next_field(),
            Some(Action::PrevField) => self.form.prev_field(),
            Some(Action::ChoiceNext) => {
                self.form.cycle(1);
            }
            Some(Action::ChoicePrev) => {
                self.form.cycle(-1);
            }
            Some(Action::Submit) => match self.request() {
                Ok(req) => {
                    return Outcome::Apply(Apply::Book { req, force: false });
                }
                Err(e) => self.form.show_errors(&e),
            },
            Some(Action::Back) => return Outcome::Close,
            _ => {
                self.form.type_key(key);
            }
        }
        Outcome::Keep
    }

    pub fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        self.form.render_popup(area, 76, buf, theme, names)
    }
}

// ---- a clash -------------------------------------------------------------------------------

pub struct ClashDialog {
    pub req: BookingRequest,
    pub clash: Clash,
}

impl ClashDialog {
    pub fn handle(&mut self, action: Option<Action>) -> Outcome {
        match action {
            Some(Action::Yes) => Outcome::Apply(Apply::Book {
                req: self.req,
                force: true,
            }),
            Some(Action::No) => Outcome::Close,
            _ => Outcome::Keep,
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        let rect = centered(area, 64, 8);
        let inner = frame(rect, buf, "This overlaps another session", theme);
        Paragraph::new(vec![
            Line::from(
                self.clash
                    .describe_with(&names.client(&self.clash.with.client_name)),
            ),
            Line::default(),
            Line::from(vec![
                Span::styled("y", theme.key),
                Span::raw(" book anyway   "),
                Span::styled("n", theme.key),
                Span::raw(" pick another time"),
            ]),
        ])
        .wrap(Wrap { trim: false })
        .render(inner, buf);
    }
}

// ---- a session's detail --------------------------------------------------------------------

pub struct SessionDetail {
    pub session: Session,
}

impl SessionDetail {
    pub fn handle(&mut self, action: Option<Action>) -> Outcome {
        match action {
            Some(Action::Back) | Some(Action::Submit) => Outcome::Close,
            _ => Outcome::Keep,
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        let s = &self.session;
        let rect = centered(area, 60, 10);
        let inner = frame(
            rect,
            buf,
            &format!("Session · {}", names.client(&s.client_name)),
            theme,
        );
        let row = |label: &str, value: String| {
            Line::from(vec![
                Span::styled(format!("{label:<10}"), theme.muted),
                Span::raw(value),
            ])
        };
        let mut lines = vec![
            row(
                "When",
                s.starts_at.format("%A %-d %B %Y, %H:%M").to_string(),
            ),
            row("Length", format!("{} minutes", s.minutes)),
            row("How", s.modality.label().to_string()),
            row("Status", s.status.label().to_string()),
        ];
        if s.series_id.is_some() {
            lines.push(row("Series", "part of a recurring series".into()));
        }
        if let Some(at) = s.marked_at {
            lines.push(row(
                "Marked",
                format!(
                    "{} by {}",
                    crate::domain::time::format_instant(at),
                    s.marked_by.as_deref().unwrap_or("—")
                ),
            ));
        }
        Paragraph::new(lines).render(inner, buf);
    }
}

// ---- go to a date --------------------------------------------------------------------------

pub struct JumpTo {
    input: Input,
    error: Option<String>,
    /// What "today" and weekdays are counted from.
    today: NaiveDate,
}

impl JumpTo {
    pub fn new(today: NaiveDate) -> JumpTo {
        JumpTo {
            input: Input::default(),
            error: None,
            today,
        }
    }

    pub fn handle(&mut self, action: Option<Action>, key: &KeyEvent, today: NaiveDate) -> Outcome {
        match action {
            Some(Action::Submit) => match parse_day(self.input.value(), today) {
                Ok(d) => return Outcome::Apply(Apply::JumpTo(d)),
                Err(e) => self.error = Some(e),
            },
            Some(Action::Back) => return Outcome::Close,
            _ => {
                if type_into(&mut self.input, key) {
                    self.error = None;
                }
            }
        }
        Outcome::Keep
    }

    pub fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        _names: Names,
    ) -> Option<Position> {
        let rect = centered(area, 60, 6);
        let inner = frame(rect, buf, "Go to a date", theme);
        let prompt = "Date: ";
        buf.set_string(inner.x, inner.y, prompt, theme.muted);
        buf.set_stringn(
            inner.x + prompt.len() as u16,
            inner.y,
            self.input.value(),
            inner.width as usize - prompt.len(),
            theme.input,
        );
        let (note, style) = match &self.error {
            Some(e) => (e.as_str(), theme.error),
            None => ("YYYY-MM-DD, today, tomorrow, or a weekday", theme.muted),
        };
        Paragraph::new(Span::styled(note, style))
            .wrap(Wrap { trim: true })
            .render(Rect::new(inner.x, inner.y + 2, inner.width, 2), buf);
        Some(Position::new(
            inner.x + prompt.len() as u16 + self.input.visual_cursor() as u16,
            inner.y,
        ))
    }
}

// ---- on the dialog stack -------------------------------------------------------------------

impl Dialog for ClientPicker {
    fn context(&self) -> Context {
        Context::ClientsFilter
    }

    fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> Outcome {
        ClientPicker::handle(self, action, key)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        ClientPicker::render(self, area, buf, theme, names)
    }
}

impl Dialog for BookingForm {
    fn context(&self) -> Context {
        Context::Form
    }

    fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> Outcome {
        BookingForm::handle(self, action, key)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        BookingForm::render(self, area, buf, theme, names)
    }

    fn show_errors(&mut self, e: &crate::domain::ValidationError) {
        self.form.show_errors(e);
    }
}

impl Dialog for ClashDialog {
    fn context(&self) -> Context {
        Context::Confirm
    }

    fn handle(&mut self, action: Option<Action>, _key: &KeyEvent) -> Outcome {
        ClashDialog::handle(self, action)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        ClashDialog::render(self, area, buf, theme, names);
        None
    }
}

impl Dialog for SessionDetail {
    fn context(&self) -> Context {
        Context::Picker
    }

    fn handle(&mut self, action: Option<Action>, _key: &KeyEvent) -> Outcome {
        SessionDetail::handle(self, action)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        SessionDetail::render(self, area, buf, theme, names);
        None
    }
}

impl Dialog for JumpTo {
    fn context(&self) -> Context {
        Context::ClientsFilter
    }

    fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> Outcome {
        JumpTo::handle(self, action, key, self.today)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        JumpTo::render(self, area, buf, theme, names)
    }
}
