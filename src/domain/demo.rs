//! The demo practice: fictional clients (and, as caseload grows, their sessions, notes and
//! assessments), the same for a given seed so that tests and screenshots are repeatable.
//!
//! Generation is pure: [`generate`] returns a [`DemoPractice`] and the store writes it in one
//! transaction. Each later part of the practice adds its own field and its own step here.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::client::{ClientFields, ClientStatus, ContactMethod, Telehealth};

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    pub clients: usize,
    /// How many months of history the practice has.
    pub months: u32,
    pub seed: u64,
    /// The practitioner's today: intake dates fall in the months before it.
    pub today: NaiveDate,
    pub now: DateTime<Utc>,
}

impl DemoOptions {
    pub fn new(today: NaiveDate, now: DateTime<Utc>) -> Self {
        Self {
            clients: 40,
            months: 12,
            seed: 7,
            today,
            now,
        }
    }
}

/// One fictional client, with the status they have reached.
#[derive(Debug, Clone)]
pub struct DemoClient {
    pub fields: ClientFields,
    pub status: ClientStatus,
}

/// A whole fictional practice.
#[derive(Debug, Clone, Default)]
pub struct DemoPractice {
    pub clients: Vec<DemoClient>,
    /// Profile, goals, boundaries, consultations and a referral (issue 7).
    pub relationship: super::demo_relationship::DemoRelationship,
}

const GIVEN: &[&str] = &[
    "Maria", "Tom", "Priya", "Olu", "Lena", "Sam", "Ruth", "Jonas", "Aisha", "Mateo", "Hannah",
    "Kwame", "Mei", "Farah", "Daniel", "Ingrid", "Tariq", "Chloe", "Rafael", "Noor", "Ewan",
    "Yuki", "Amara", "Luca", "Sofia", "Kofi", "Elif", "Niamh", "Arjun", "Beatriz", "Jamal",
    "Freya", "Hugo", "Zanele", "Oskar", "Leila", "Callum", "Ana", "Dmitri", "Grace", "Ines",
    "Malik", "Rosa", "Theo", "Wen", "Zoë", "Björn", "Adaeze", "Marek", "Siobhan",
];

const FAMILY: &[&str] = &[
    "Lopez",
    "Berg",
    "Nair",
    "Adeyemi",
    "Fischer",
    "Okafor",
    "Morgan",
    "Lindqvist",
    "Rahman",
    "Silva",
    "Kowalski",
    "Mensah",
    "Chen",
    "Haddad",
    "Reid",
    "Johansson",
    "Aziz",
    "Dubois",
    "Moreau",
    "Khan",
    "Campbell",
    "Tanaka",
    "Eze",
    "Romano",
    "García",
    "Asante",
    "Yilmaz",
    "O'Brien",
    "Patel",
    "Costa",
    "Ward",
    "Holm",
    "Laurent",
    "Dlamini",
    "Nowak",
    "Karimi",
    "MacLeod",
    "Ferreira",
    "Ivanova",
    "Walsh",
    "Almeida",
    "Hussain",
    "Vega",
    "Brooks",
    "Liu",
    "Müller",
    "Sørensen",
    "Obi",
    "Novak",
    "Byrne",
];

const PRONOUNS: &[&str] = &["she/her", "he/him", "they/them"];

/// Generates the practice described by `opts`. The same options always give the same practice.
pub fn generate(opts: &DemoOptions) -> DemoPractice {
    let mut rng = fastrand::Rng::with_seed(opts.seed);
    let span_days = i64::from(opts.months.max(1)) * 30;
    let mut clients = Vec::with_capacity(opts.clients);
    for i in 0..opts.clients {
        let given = GIVEN[rng.usize(..GIVEN.len())];
        let family = FAMILY[rng.usize(..FAMILY.len())];
        let name = format!("{given} {family}");
        let age_days = rng.i64(19 * 365..72 * 365);
        let born = opts.today - Duration::days(age_days);
        // The oldest clients came in at the start of the period; a few came last week.
        let intake = opts.today - Duration::days(rng.i64(3..=span_days));
        let phone = format!("555-{:04}", 100 + i % 9900);
        let email = format!("{}.{}@example.org", ascii_lower(given), ascii_lower(family));
        let preferred_contact = match rng.u8(0..10) {
            0..=3 => ContactMethod::Text,
            4..=6 => ContactMethod::Email,
            _ => ContactMethod::Phone,
        };
        let telehealth_consent = match rng.u8(0..10) {
            0..=4 => Telehealth::Both,
            5..=6 => Telehealth::Video,
            7 => Telehealth::Phone,
            _ => Telehealth::None,
        };
        let telehealth_consent_date = match telehealth_consent {
            Telehealth::None => None,
            _ => Some(intake + Duration::days(rng.i64(0..14)).min(opts.today - intake)),
        };
        let status = match rng.u8(0..20) {
            0..=14 => ClientStatus::Active,
            15..=16 => ClientStatus::OnHold,
            17..=18 => ClientStatus::Discharged,
            _ => ClientStatus::ReferredOut,
        };
        let preferred_name = (rng.u8(0..8) == 0).then(|| given.chars().take(3).collect::<String>());
        let pronouns =
            (rng.u8(0..3) > 0).then(|| PRONOUNS[rng.usize(..PRONOUNS.len())].to_string());
        let emergency_contact = (rng.u8(0..3) > 0).then(|| {
            let who = GIVEN[rng.usize(..GIVEN.len())];
            format!("{who} {family} (family), 555-{:04}", rng.u16(1000..9999))
        });
        clients.push(DemoClient {
            fields: ClientFields {
                name,
                preferred_name,
                pronouns,
                born: Some(born),
                phone: Some(phone),
                email: Some(email),
                preferred_contact: Some(preferred_contact),
                emergency_contact,
                telehealth_consent,
                telehealth_consent_date,
                intake_date: intake,
            },
            status,
        });
    }
    let relationship = super::demo_relationship::generate(opts, &clients);
    DemoPractice {
        clients,
        relationship,
    }
}

fn ascii_lower(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'é' | 'è' | 'ë' => Some('e'),
            'ö' | 'ø' | 'ó' => Some('o'),
            'ü' | 'ú' => Some('u'),
            'í' => Some('i'),
            'á' | 'å' => Some('a'),
            c if c.is_ascii_alphabetic() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(seed: u64) -> DemoOptions {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let now = today.and_hms_opt(9, 0, 0).unwrap().and_utc();
        DemoOptions {
            clients: 200,
            months: 12,
            seed,
            today,
            now,
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_practice() {
        let a = generate(&opts(1));
        let b = generate(&opts(1));
        let c = generate(&opts(2));
        let names = |p: &DemoPractice| {
            p.clients
                .iter()
                .map(|c| c.fields.name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&a), names(&b));
        assert_ne!(names(&a), names(&c));
    }

    #[test]
    fn demo_clients_are_valid_and_plausible() {
        let o = opts(3);
        let p = generate(&o);
        assert_eq!(p.clients.len(), 200);
        let active = p
            .clients
            .iter()
            .filter(|c| c.status == ClientStatus::Active)
            .count();
        assert!(active > 100, "most clients are active: {active}");
        for c in &p.clients {
            let f = &c.fields;
            assert!(f.intake_date <= o.today && f.intake_date >= o.today - Duration::days(360));
            assert!(f.born.unwrap() < f.intake_date);
            if let Some(d) = f.telehealth_consent_date {
                assert!(d >= f.intake_date && d <= o.today);
            }
            // Everything generated passes the same checks as typed input.
            let mut input = crate::domain::client::ClientInput {
                name: f.name.clone(),
                email: f.email.clone().unwrap_or_default(),
                phone: f.phone.clone().unwrap_or_default(),
                ..Default::default()
            };
            input.preferred_contact = f.preferred_contact;
            assert!(input.validate(o.today).is_ok(), "{}", f.name);
        }
    }
}
