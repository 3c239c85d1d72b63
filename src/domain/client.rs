//! Clients: who the practitioner works with, and the rules for what may be recorded about them.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;

use super::error::{FieldError, ValidationError};
use super::time::{self, parse_date};
use crate::word_enum;

/// The longest full name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 200;
const MAX_SHORT_CHARS: usize = 100;
const MAX_TEXT_CHARS: usize = 300;

word_enum! {
    /// Where a client stands with the practice. Clients are never deleted.
    pub enum ClientStatus {
        Active = "active" / "Active",
        OnHold = "on_hold" / "On hold",
        Discharged = "discharged" / "Discharged",
        ReferredOut = "referred_out" / "Referred out",
    }
}

word_enum! {
    /// How the client prefers to be contacted between sessions.
    pub enum ContactMethod {
        Phone = "phone" / "Phone call",
        Text = "text" / "Text message",
        Email = "email" / "Email",
    }
}

word_enum! {
    /// Which remote sessions the client has consented to.
    pub enum Telehealth {
        None = "none" / "None yet",
        Phone = "phone" / "Phone",
        Video = "video" / "Video",
        Both = "both" / "Phone and video",
    }
}

#[allow(clippy::derivable_impls)]
impl Default for Telehealth {
    fn default() -> Self {
        Telehealth::None
    }
}

impl Telehealth {
    pub fn allows_phone(self) -> bool {
        matches!(self, Telehealth::Phone | Telehealth::Both)
    }

    pub fn allows_video(self) -> bool {
        matches!(self, Telehealth::Video | Telehealth::Both)
    }

    /// The consent that covers both what is held and what is added.
    pub fn with(self, phone: bool, video: bool) -> Telehealth {
        match (self.allows_phone() || phone, self.allows_video() || video) {
            (true, true) => Telehealth::Both,
            (true, false) => Telehealth::Phone,
            (false, true) => Telehealth::Video,
            (false, false) => Telehealth::None,
        }
    }
}

/// A client as stored. JSON keys are a contract (see the README).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Client {
    pub id: i64,
    pub name: String,
    pub preferred_name: Option<String>,
    pub pronouns: Option<String>,
    pub born: Option<NaiveDate>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub preferred_contact: Option<ContactMethod>,
    pub emergency_contact: Option<String>,
    pub telehealth_consent: Telehealth,
    pub telehealth_consent_date: Option<NaiveDate>,
    pub status: ClientStatus,
    pub intake_date: NaiveDate,
    #[serde(serialize_with = "time::serialize_instant")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "time::serialize_instant")]
    pub updated_at: DateTime<Utc>,
}

impl Client {
    /// The name to use when speaking of the client: preferred name and family name initial,
    /// e.g. "Maria L." — short enough for lists, never the full record.
    pub fn short_name(&self) -> String {
        short_name(&self.name, self.preferred_name.as_deref())
    }

    /// Initials only, e.g. "M.L." — for calendars and anything that may be seen by others.
    pub fn initials(&self) -> String {
        initials(&self.name)
    }

    /// The age in whole years on a given day, if the date of birth is known.
    pub fn age_on(&self, day: NaiveDate) -> Option<u32> {
        let born = self.born?;
        let mut years = day.year() - born.year();
        if (day.month(), day.day()) < (born.month(), born.day()) {
            years -= 1;
        }
        u32::try_from(years).ok()
    }
}

/// "Maria L." from "Maria Lopez" (or the preferred name with the family initial).
pub fn short_name(name: &str, preferred: Option<&str>) -> String {
    let mut words = name.split_whitespace();
    let first = words.next().unwrap_or("");
    let last = words.next_back();
    let given = preferred.filter(|p| !p.trim().is_empty()).unwrap_or(first);
    match last.and_then(|l| l.chars().next()) {
        Some(c) => format!("{given} {c}."),
        None => given.to_string(),
    }
}

/// "M.L." from "Maria Lopez".
pub fn initials(name: &str) -> String {
    let mut out = String::new();
    for w in name.split_whitespace() {
        if let Some(c) = w.chars().next() {
            out.extend(c.to_uppercase());
            out.push('.');
        }
    }
    out
}

/// Client details as the practitioner typed them, before they are checked.
/// The same checks serve the form and the command line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClientInput {
    pub name: String,
    pub preferred_name: String,
    pub pronouns: String,
    pub born: String,
    pub phone: String,
    pub email: String,
    pub preferred_contact: Option<ContactMethod>,
    pub emergency_contact: String,
    pub telehealth_consent: Telehealth,
    pub telehealth_consent_date: String,
    pub intake_date: String,
}

/// Client details that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientFields {
    pub name: String,
    pub preferred_name: Option<String>,
    pub pronouns: Option<String>,
    pub born: Option<NaiveDate>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub preferred_contact: Option<ContactMethod>,
    pub emergency_contact: Option<String>,
    pub telehealth_consent: Telehealth,
    pub telehealth_consent_date: Option<NaiveDate>,
    pub intake_date: NaiveDate,
}

impl ClientInput {
    /// The input that would leave a client exactly as stored.
    pub fn from_client(c: &Client) -> Self {
        let date = |d: Option<NaiveDate>| {
            d.map(|d| d.format(time::DATE_FORMAT).to_string())
                .unwrap_or_default()
        };
        Self {
            name: c.name.clone(),
            preferred_name: c.preferred_name.clone().unwrap_or_default(),
            pronouns: c.pronouns.clone().unwrap_or_default(),
            born: date(c.born),
            phone: c.phone.clone().unwrap_or_default(),
            email: c.email.clone().unwrap_or_default(),
            preferred_contact: c.preferred_contact,
            emergency_contact: c.emergency_contact.clone().unwrap_or_default(),
            telehealth_consent: c.telehealth_consent,
            telehealth_consent_date: date(c.telehealth_consent_date),
            intake_date: date(Some(c.intake_date)),
        }
    }

    /// Checks every field and reports every problem at once. `today` is the practitioner's date:
    /// an empty intake date means today, and so does an empty consent date when consent is given.
    pub fn validate(&self, today: NaiveDate) -> Result<ClientFields, ValidationError> {
        let mut errors = Vec::new();
        let mut push = |field: &'static str, msg: String| errors.push(FieldError::new(field, msg));

        let name = self.name.trim().to_string();
        if name.is_empty() {
            push("name", "is required; type the client's full name".into());
        } else if name.chars().count() > MAX_NAME_CHARS {
            push(
                "name",
                format!(
                    "is too long ({} characters; at most {MAX_NAME_CHARS})",
                    name.chars().count()
                ),
            );
        } else if name.chars().any(char::is_control) {
            push("name", "must be on one line".into());
        }

        let mut short = |field: &'static str, value: &str, max: usize| -> Option<String> {
            let v = value.trim();
            if v.is_empty() {
                None
            } else if v.chars().count() > max {
                push(field, format!("is too long (at most {max} characters)"));
                None
            } else if v.chars().any(char::is_control) {
                push(field, "must be on one line".into());
                None
            } else {
                Some(v.to_string())
            }
        };
        let preferred_name = short("preferred_name", &self.preferred_name, MAX_SHORT_CHARS);
        let pronouns = short("pronouns", &self.pronouns, MAX_SHORT_CHARS);
        let emergency_contact = short("emergency_contact", &self.emergency_contact, MAX_TEXT_CHARS);
        let phone = short("phone", &self.phone, 40);
        let email = short("email", &self.email, 254);

        if let Some(p) = &phone {
            let digits = p.chars().filter(char::is_ascii_digit).count();
            if !p
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().".contains(c))
            {
                push(
                    "phone",
                    format!(
                        "“{p}” has characters a phone number can't have (use digits, spaces, + - ( ) .)"
                    ),
                );
            } else if digits < 3 {
                push(
                    "phone",
                    format!("“{p}” has too few digits for a phone number"),
                );
            }
        }
        if let Some(Err(why)) = email.as_deref().map(check_email) {
            push("email", why);
        }

        let mut date_field = |field: &'static str, value: &str| -> Option<NaiveDate> {
            if value.trim().is_empty() {
                return None;
            }
            match parse_date(value) {
                Ok(d) => Some(d),
                Err(why) => {
                    push(field, why);
                    None
                }
            }
        };
        let born = date_field("born", &self.born);
        let intake = date_field("intake_date", &self.intake_date);
        let consent_date = date_field("telehealth_consent_date", &self.telehealth_consent_date);

        if let Some(b) = born {
            if b > today {
                push("born", "is in the future".into());
            } else if b.year() < 1900 {
                push("born", "is before 1900; check the year".into());
            }
        }
        let intake_date = intake.unwrap_or(today);
        if let Some(b) = born
            && !self.intake_date.trim().is_empty()
            && intake_date < b
        {
            push("intake_date", "is before the date of birth".into());
        }
        if let Some(d) = consent_date
            && d > today
        {
            push(
                "telehealth_consent_date",
                "is in the future; record consent once it is given".into(),
            );
        }
        if matches!(
            self.preferred_contact,
            Some(ContactMethod::Phone | ContactMethod::Text)
        ) && phone.is_none()
        {
            push(
                "phone",
                "is needed when the preferred contact is a call or a text".into(),
            );
        }
        if self.preferred_contact == Some(ContactMethod::Email)
            && email.is_none()
            && !self.email.trim().is_empty()
        {
            // already reported as a bad email
        } else if self.preferred_contact == Some(ContactMethod::Email) && email.is_none() {
            push(
                "email",
                "is needed when the preferred contact is email".into(),
            );
        }

        if !errors.is_empty() {
            return Err(ValidationError { errors });
        }
        let telehealth_consent_date = match self.telehealth_consent {
            Telehealth::None => None,
            _ => Some(consent_date.unwrap_or(today)),
        };
        Ok(ClientFields {
            name,
            preferred_name,
            pronouns,
            born,
            phone,
            email,
            preferred_contact: self.preferred_contact,
            emergency_contact,
            telehealth_consent: self.telehealth_consent,
            telehealth_consent_date,
            intake_date,
        })
    }
}

fn check_email(e: &str) -> Result<(), String> {
    let bad = || format!("“{e}” is not an email address (like name@example.org)");
    if e.chars().any(char::is_whitespace) {
        return Err(bad());
    }
    let (local, domain) = e.split_once('@').ok_or_else(bad)?;
    if local.is_empty()
        || domain.contains('@')
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains("..")
    {
        return Err(bad());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn named(n: &str) -> ClientInput {
        ClientInput {
            name: n.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_name_is_trimmed_and_required() {
        let f = named("  Maria Lopez ").validate(today()).unwrap();
        assert_eq!(f.name, "Maria Lopez");
        assert_eq!(f.intake_date, today());
        let e = named("   ").validate(today()).unwrap_err();
        assert!(e.for_field("name").unwrap().contains("required"));
    }

    #[test]
    fn names_may_be_any_script_up_to_200_characters() {
        assert!(named("Zoë Ångström-Øberg").validate(today()).is_ok());
        assert!(named("李小龍").validate(today()).is_ok());
        assert!(named(&"é".repeat(200)).validate(today()).is_ok());
        let e = named(&"é".repeat(201)).validate(today()).unwrap_err();
        assert!(e.for_field("name").unwrap().contains("too long"));
        assert!(named("two\nlines").validate(today()).is_err());
    }

    #[test]
    fn impossible_and_future_dates_are_refused() {
        let mut i = named("A B");
        i.born = "2026-02-30".into();
        assert!(
            i.validate(today())
                .unwrap_err()
                .for_field("born")
                .unwrap()
                .contains("not a day")
        );
        i.born = "2027-01-01".into();
        assert!(
            i.validate(today())
                .unwrap_err()
                .for_field("born")
                .unwrap()
                .contains("future")
        );
        i.born = "1990-05-01".into();
        i.intake_date = "1980-01-01".into();
        assert!(
            i.validate(today())
                .unwrap_err()
                .for_field("intake_date")
                .is_some()
        );
    }

    #[test]
    fn emails_and_phones_are_checked() {
        let mut i = named("A B");
        for bad in [
            "maria",
            "maria@",
            "@x.org",
            "ma ria@x.org",
            "m@x",
            "m@x..org",
            "m@@x.org",
        ] {
            i.email = bad.into();
            assert!(
                i.validate(today())
                    .unwrap_err()
                    .for_field("email")
                    .is_some(),
                "{bad}"
            );
        }
        i.email = "maria.lopez+work@example.org".into();
        assert!(i.validate(today()).is_ok());
        i.phone = "call me".into();
        assert!(
            i.validate(today())
                .unwrap_err()
                .for_field("phone")
                .is_some()
        );
        i.phone = "+44 (0)20 7946-0018".into();
        assert!(i.validate(today()).is_ok());
    }

    #[test]
    fn preferred_contact_needs_the_means() {
        let mut i = named("A B");
        i.preferred_contact = Some(ContactMethod::Text);
        assert!(
            i.validate(today())
                .unwrap_err()
                .for_field("phone")
                .is_some()
        );
        i.phone = "555 0101".into();
        assert!(i.validate(today()).is_ok());
        i.preferred_contact = Some(ContactMethod::Email);
        assert!(
            i.validate(today())
                .unwrap_err()
                .for_field("email")
                .is_some()
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let i = ClientInput {
            name: "".into(),
            born: "x".into(),
            email: "y".into(),
            ..Default::default()
        };
        let e = i.validate(today()).unwrap_err();
        assert_eq!(e.errors.len(), 3, "{e}");
    }

    #[test]
    fn consent_gets_a_date() {
        let mut i = named("A B");
        i.telehealth_consent = Telehealth::Video;
        assert_eq!(
            i.validate(today()).unwrap().telehealth_consent_date,
            Some(today())
        );
        i.telehealth_consent = Telehealth::None;
        i.telehealth_consent_date = "2026-01-01".into();
        assert_eq!(i.validate(today()).unwrap().telehealth_consent_date, None);
    }

    #[test]
    fn consent_combines() {
        assert_eq!(Telehealth::Phone.with(false, true), Telehealth::Both);
        assert_eq!(Telehealth::None.with(true, false), Telehealth::Phone);
        assert!(Telehealth::Both.allows_phone() && Telehealth::Both.allows_video());
        assert!(!Telehealth::Phone.allows_video());
    }

    #[test]
    fn names_for_lists() {
        assert_eq!(short_name("Maria Lopez", None), "Maria L.");
        assert_eq!(short_name("Maria de la Cruz", Some("Mari")), "Mari C.");
        assert_eq!(short_name("Cher", None), "Cher");
        assert_eq!(initials("maria de lopez"), "M.D.L.");
    }

    #[test]
    fn words_round_trip() {
        for s in ClientStatus::ALL {
            assert_eq!(s.as_str().parse::<ClientStatus>().unwrap(), *s);
        }
        let e = "gone".parse::<ClientStatus>().unwrap_err();
        assert!(
            e.to_string()
                .contains("active, on_hold, discharged, referred_out")
        );
    }
}
