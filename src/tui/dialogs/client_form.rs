//! Adding or editing a client: the form, checked field by field.

use crate::domain::client::{Client, ClientInput, ContactMethod, Telehealth};
use crate::tui::dialogs::*;
use crate::tui::names::Names;
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{Field, Form, Private};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

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

impl FormHost for ClientForm {
    fn form(&self) -> &Form {
        &self.form
    }

    fn form_mut(&mut self) -> &mut Form {
        &mut self.form
    }

    fn submit(&self) -> Result<Outcome, crate::domain::ValidationError> {
        Ok(Outcome::Apply(Apply::SaveClient {
            id: self.id,
            input: Box::new(self.input()),
        }))
    }
    fn draw(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) -> Option<Position> {
        ClientForm::render(self, area, buf, theme, names)
    }
}
