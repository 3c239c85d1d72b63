//! Dialogs on the popup stack: each takes keys and returns Keep, Close, or a value to apply.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::action::Action;
use super::keymap::Context;
use super::theme::Theme;
use super::widgets::form::{Field, Form, Private};
use super::widgets::popup::{centered, frame};
use crate::domain::client::{Client, ClientInput, ClientStatus, ContactMethod, Telehealth};
use crate::tui::dialogs::{Apply, Dialog, Outcome, Question};
use crate::tui::names::Names;

// ---- the client form -----------------------------------------------------------------------

const CONTACT_CHOICES: [&str; 4] = ["not set", "Phone call", "Text message", "Email"];

pub struct ClientForm {
    pub id: Option<i64>,
    pub form: Form,
}

impl ClientForm {
    pub fn add() -> ClientForm {
        Self::with(None, "Add a client", &ClientInput::default())
    }

    pub fn edit(c: &Client) -> ClientForm {
        let mut f = Self::with(Some(c.id), "Edit · {client}", &ClientInput::from_client(c));
        f.form = f.form.about(c.name.clone());
        f
    }

    fn with(id: Option<i64>, title: &str, i: &ClientInput) -> ClientForm {
        let contact = match i.preferred_contact {
            None => 0,
            Some(c) => c.index() + 1,
        };
        let telehealth: Vec<&'static str> = Telehealth::ALL.iter().map(|t| t.label()).collect();
        let fields = vec![
            Field::text(
                "name",
                "Full name",
                &i.name,
                "Required. As the client writes it, any language.",
            )
            .private(Private::Name),
            Field::text(
                "preferred_name",
                "Preferred name",
                &i.preferred_name,
                "What the client likes to be called.",
            )
            .private(Private::Name),
            Field::text(
                "pronouns",
                "Pronouns",
                &i.pronouns,
                "For example she/her, he/him, they/them.",
            ),
            Field::text("born", "Date of birth", &i.born, "YYYY-MM-DD"),
            Field::text(
                "phone",
                "Phone",
                &i.phone,
                "For example 555-0101 or +44 20 7946 0018.",
            ),
            Field::text("email", "Email", &i.email, "For example name@example.org")
                .private(Private::Email),
            Field::choice(
                "preferred_contact",
                "Preferred contact",
                CONTACT_CHOICES.to_vec(),
                contact,
                "Space or ←/→ to choose.",
            ),
            Field::text(
                "emergency_contact",
                "Emergency contact",
                &i.emergency_contact,
                "Name, relationship and number.",
            )
            .private(Private::People),
            Field::choice(
                "telehealth_consent",
                "Remote sessions",
                telehealth,
                i.telehealth_consent.index(),
                "Consent given for phone or video sessions. Space or ←/→ to choose.",
            ),
            Field::text(
                "telehealth_consent_date",
                "Consent given on",
                &i.telehealth_consent_date,
                "YYYY-MM-DD; today if left empty.",
            ),
            Field::text(
                "intake_date",
                "Intake date",
                &i.intake_date,
                "YYYY-MM-DD; today if left empty.",
            ),
        ];
        ClientForm {
            id,
            form: Form::new(title, fields),
        }
    }

    /// What the practitioner typed, ready for the domain's checks.
    pub fn input(&self) -> ClientInput {
        let f = &self.form;
        ClientInput {
            name: f.text("name"),
            preferred_name: f.text("preferred_name"),
            pronouns: f.text("pronouns"),
            born: f.text("born"),
            phone: f.text("phone"),
            email: f.text("email"),
            preferred_contact: match f.choice("preferred_contact") {
                0 => None,
                n => ContactMethod::ALL.get(n - 1).copied(),
            },
            emergency_contact: f.text("emergency_contact"),
            telehealth_consent: Telehealth::ALL
                .get(f.choice("telehealth_consent"))
                .copied()
                .unwrap_or(Telehealth::None),
            telehealth_consent_date: f.text("telehealth_consent_date"),
            intake_date: f.text("intake_date"),
        }
    }

    fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> Outcome {
        match action {
            Some(Action::NextField) => self.form.next_field(),
            Some(Action::PrevField) => self.form.prev_field(),
            Some(Action::ChoiceNext) => {
                self.form.cycle(1);
            }
            Some(Action::ChoicePrev) => {
                self.form.cycle(-1);
            }
            Some(Action::Submit) => {
                return Outcome::Apply(Apply::SaveClient {
                    id: self.id,
                    input: Box::new(self.input()),
                });
            }
            Some(Action::Back) if !self.form.dirty => return Outcome::Close,
            Some(Action::Back) => {
                return Outcome::Push(Box::new(Confirm::discard_form()));
            }
            _ => {
                self.form.type_key(key);
            }
        }
        Outcome::Keep
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        self.form.render_popup(area, 90, buf, theme, names)
    }
}

// ---- choosing a status ---------------------------------------------------------------------

pub struct StatusPicker {
    pub client_id: i64,
    pub name: String,
    pub current: ClientStatus,
    pub selected: usize,
}

impl StatusPicker {
    pub fn new(c: &Client) -> StatusPicker {
        StatusPicker {
            client_id: c.id,
            name: c.name.clone(),
            current: c.status,
            selected: c.status.index(),
        }
    }

    fn handle(&mut self, action: Option<Action>) -> Outcome {
        let n = ClientStatus::ALL.len();
        match action {
            Some(Action::Down) => self.selected = (self.selected + 1) % n,
            Some(Action::Up) => self.selected = (self.selected + n - 1) % n,
            Some(Action::Pick(k)) if (1..=n as u8).contains(&k) => {
                return Outcome::Apply(Apply::SetStatus {
                    id: self.client_id,
                    status: ClientStatus::ALL[k as usize - 1],
                });
            }
            Some(Action::Submit) => {
                return Outcome::Apply(Apply::SetStatus {
                    id: self.client_id,
                    status: ClientStatus::ALL[self.selected],
                });
            }
            Some(Action::Back) => return Outcome::Close,
            _ => {}
        }
        Outcome::Keep
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        let area = centered(area, 52, ClientStatus::ALL.len() as u16 + 5);
        let inner = frame(
            area,
            buf,
            &format!("Status · {}", names.client(&self.name)),
            theme,
        );
        let mut lines = Vec::new();
        for (i, s) in ClientStatus::ALL.iter().enumerate() {
            let marker = if i == self.selected { "▶" } else { " " };
            let now = if *s == self.current { "  (now)" } else { "" };
            let style = if i == self.selected {
                theme.selected
            } else {
                theme.base
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{marker} {} ", i + 1), theme.key),
                Span::styled(format!("{}{now}", s.label()), style),
            ]));
        }
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            "Clients are never deleted; any status can be changed back.",
            theme.muted,
        )));
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
}

// ---- a yes/no question ---------------------------------------------------------------------

pub struct Confirm {
    pub question: Question,
    pub title: String,
    pub text: String,
    /// What `y` and `n` do, in words.
    pub yes: &'static str,
    pub no: &'static str,
}

impl Confirm {
    pub fn discard_form() -> Confirm {
        Confirm {
            question: Question::DiscardForm,
            title: "Discard changes?".into(),
            text: "What you typed in this form has not been saved. Discard it?".into(),
            yes: "yes, discard",
            no: "no, keep editing",
        }
    }

    /// Stopping a questionnaire part-way.
    pub fn discard_answers() -> Confirm {
        Confirm {
            question: Question::DiscardForm,
            title: "Stop the questionnaire?".into(),
            text: "The answers given so far have not been saved. Stop and discard them?".into(),
            yes: "yes, stop",
            no: "no, go on",
        }
    }

    pub fn sign_note() -> Confirm {
        Confirm {
            question: Question::SignNote,
            title: "Sign this note?".into(),
            text: "Signing makes this note final; corrections become addenda.".into(),
            yes: "yes, sign it",
            no: "no, keep writing",
        }
    }

    pub fn discard_addendum() -> Confirm {
        Confirm {
            question: Question::DiscardAddendum,
            title: "Discard the addendum?".into(),
            text: "The addendum you are writing has not been added. Discard it?".into(),
            yes: "yes, discard",
            no: "no, keep writing",
        }
    }

    fn handle(&mut self, action: Option<Action>) -> Outcome {
        match action {
            Some(Action::Yes) => Outcome::Apply(Apply::Confirmed(self.question)),
            Some(Action::No) => Outcome::Close,
            _ => Outcome::Keep,
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, _names: Names) {
        let width = (self.text.chars().count() as u16 + 4).clamp(56, 80);
        let area = centered(area, width, 6);
        let inner = frame(area, buf, &self.title, theme);
        Paragraph::new(vec![
            Line::from(self.text.as_str()),
            Line::default(),
            Line::from(vec![
                Span::styled("y", theme.key),
                Span::raw(format!(" {}   ", self.yes)),
                Span::styled("n", theme.key),
                Span::raw(format!(" {}", self.no)),
            ]),
        ])
        .wrap(Wrap { trim: false })
        .render(inner, buf);
    }
}

// ---- reviewing an alert ----------------------------------------------------------------------

/// Marks an alert from a measure reviewed: the practitioner says what they did.
pub struct AlertReview {
    pub alert_id: i64,
    pub form: Form,
}

impl AlertReview {
    pub fn new(alert_id: i64, who: &str, message: &str) -> AlertReview {
        let fields = vec![Field::text(
            "note",
            "What you did",
            "",
            "For example: asked about safety in session; plan reviewed and agreed.",
        )];
        let mut form = Form::new(format!("Review alert · {who}"), fields);
        form.banner = Some(message.to_string());
        AlertReview { alert_id, form }
    }

    fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> Outcome {
        match action {
            Some(Action::Submit) => Outcome::Apply(Apply::ReviewAlert {
                id: self.alert_id,
                note: self.form.text("note"),
            }),
            Some(Action::Back) if !self.form.dirty => Outcome::Close,
            Some(Action::Back) => Outcome::Push(Box::new(Confirm::discard_form())),
            _ => {
                self.form.type_key(key);
                Outcome::Keep
            }
        }
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        self.form.render_popup(area, 90, buf, theme, names)
    }
}

// ---- on the dialog stack -------------------------------------------------------------------

impl Dialog for ClientForm {
    fn context(&self) -> Context {
        Context::Form
    }

    fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> Outcome {
        ClientForm::handle(self, action, key)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        ClientForm::render(self, area, buf, theme, names)
    }

    fn show_errors(&mut self, e: &crate::domain::ValidationError) {
        self.form.show_errors(e);
    }
}

impl Dialog for StatusPicker {
    fn context(&self) -> Context {
        Context::Picker
    }

    fn handle(&mut self, action: Option<Action>, _key: &KeyEvent) -> Outcome {
        StatusPicker::handle(self, action)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        StatusPicker::render(self, area, buf, theme, names);
        None
    }
}

impl Dialog for Confirm {
    fn context(&self) -> Context {
        Context::Confirm
    }

    fn handle(&mut self, action: Option<Action>, _key: &KeyEvent) -> Outcome {
        Confirm::handle(self, action)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        Confirm::render(self, area, buf, theme, names);
        None
    }
}

impl Dialog for AlertReview {
    fn context(&self) -> Context {
        Context::Form
    }

    fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> Outcome {
        AlertReview::handle(self, action, key)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        AlertReview::render(self, area, buf, theme, names)
    }

    fn show_errors(&mut self, e: &crate::domain::ValidationError) {
        self.form.show_errors(e);
    }
}
