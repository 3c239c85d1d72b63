//! The demo practice: fictional clients (and, as caseload grows, their sessions, notes and
//! assessments), the same for a given seed so that tests and screenshots are repeatable.
//!
//! Generation is pure: [`generate`] returns a [`DemoPractice`] and the store writes it in one
//! transaction. Each later part of the practice adds its own field and its own step here.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use super::client::{ClientFields, ClientStatus, ContactMethod, Telehealth};
use super::session::{DEFAULT_MINUTES, Modality, SessionStatus};

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

/// A client's recurring rhythm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSeries {
    /// Index into [`DemoPractice::clients`].
    pub client: usize,
    pub every_weeks: u32,
}

/// One fictional session. Plain data, so later parts (cancellations, notes) can walk the list
/// and add their own records beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSession {
    /// Index into [`DemoPractice::clients`].
    pub client: usize,
    /// Index into [`DemoPractice::series`].
    pub series: Option<usize>,
    pub starts_at: NaiveDateTime,
    pub minutes: u32,
    pub modality: Modality,
    pub status: SessionStatus,
}

/// A whole fictional practice.
#[derive(Debug, Clone, Default)]
pub struct DemoPractice {
    pub clients: Vec<DemoClient>,
    pub series: Vec<DemoSeries>,
    /// Every session, client by client, each client's in time order.
    pub sessions: Vec<DemoSession>,
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
    let mut practice = DemoPractice {
        clients,
        ..Default::default()
    };
    add_sessions(&mut practice, opts, &mut rng);
    practice.relationship =
        super::demo_relationship::generate(opts, &practice.clients, &practice.sessions);
    practice
}

/// Each client's rhythm over their time with the practice: weekly or fortnightly at a slot of
/// their own, most sessions attended, some late, a few no-shows, the next weeks booked for
/// active clients, and a handful of recent sessions left with no outcome.
fn add_sessions(p: &mut DemoPractice, opts: &DemoOptions, rng: &mut fastrand::Rng) {
    let now = opts
        .today
        .and_time(NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(NaiveTime::MIN));
    for (i, c) in p.clients.iter().enumerate() {
        let every_weeks = if rng.u8(0..10) < 6 { 1 } else { 2 };
        let step = Duration::weeks(i64::from(every_weeks));
        // A slot of their own: weekday and hour, spread over the working week.
        let slot = (i * 7 + rng.usize(0..3)) % 45;
        let weekday = (slot % 5) as i64;
        let hour = 9 + (slot / 5) as u32;
        let minute = if rng.u8(0..4) == 0 { 30 } else { 0 };
        let time = NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN);
        let course_weeks = rng.i64(8..=400);
        let (first_day, last_day) = match c.status {
            ClientStatus::Active => (
                opts.today - Duration::weeks(course_weeks),
                opts.today + Duration::weeks(4),
            ),
            ClientStatus::OnHold => {
                let end = opts.today - Duration::weeks(rng.i64(2..=8));
                (end - Duration::weeks(course_weeks), end)
            }
            ClientStatus::Discharged | ClientStatus::ReferredOut => {
                let start = c.fields.intake_date;
                let end = (start + Duration::weeks(course_weeks.min(60)))
                    .min(opts.today - Duration::weeks(1));
                (start, end)
            }
        };
        let first_day = first_day.max(c.fields.intake_date);
        // The first session on the client's weekday on or after the first day.
        let back = i64::from(first_day.weekday().num_days_from_monday());
        let mut day = first_day - Duration::days(back) + Duration::days(weekday);
        if day < first_day {
            day += Duration::weeks(1);
        }
        let remote = c.fields.telehealth_consent;
        let series = p.series.len();
        p.series.push(DemoSeries {
            client: i,
            every_weeks,
        });
        while day <= last_day {
            let starts_at = day.and_time(time);
            let modality = match rng.u8(0..10) {
                0 if remote.allows_phone() => Modality::Phone,
                1 | 2 if remote.allows_video() => Modality::Video,
                _ => Modality::InPerson,
            };
            let status = if starts_at >= now {
                SessionStatus::Scheduled
            } else if (now - starts_at).num_days() < 21 && rng.u16(0..100) < 2 {
                // Left for the practitioner: "Needs attention" shows these.
                SessionStatus::Scheduled
            } else {
                match rng.u8(0..100) {
                    0..=6 => SessionStatus::NoShow,
                    7..=14 => SessionStatus::Late,
                    _ => SessionStatus::Attended,
                }
            };
            p.sessions.push(DemoSession {
                client: i,
                series: Some(series),
                starts_at,
                minutes: DEFAULT_MINUTES,
                modality,
                status,
            });
            day += step;
        }
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
    fn sessions_have_a_plausible_mix() {
        let o = opts(3);
        let p = generate(&o);
        assert!(p.sessions.len() > 1000, "{}", p.sessions.len());
        let past: Vec<&DemoSession> = p
            .sessions
            .iter()
            .filter(|s| s.starts_at.date() < o.today)
            .collect();
        let share = |st: SessionStatus| {
            past.iter().filter(|s| s.status == st).count() as f64 / past.len() as f64
        };
        assert!((0.04..=0.10).contains(&share(SessionStatus::NoShow)));
        assert!(share(SessionStatus::Attended) > 0.7);
        assert!(share(SessionStatus::Late) > 0.02);
        let unmarked = share(SessionStatus::Scheduled);
        assert!(unmarked > 0.0 && unmarked < 0.02, "{unmarked}");
        assert!(
            p.sessions
                .iter()
                .any(|s| s.starts_at.date() > o.today && s.status == SessionStatus::Scheduled)
        );
        for s in &p.sessions {
            let c = &p.clients[s.client];
            assert!(s.starts_at.date() >= c.fields.intake_date);
            if matches!(
                c.status,
                ClientStatus::Discharged | ClientStatus::ReferredOut
            ) {
                assert!(s.starts_at.date() < o.today);
            }
            assert_eq!(p.series[s.series.unwrap()].client, s.client);
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
