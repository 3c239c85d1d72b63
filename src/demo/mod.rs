//! The demo practice: fictional clients (and, as caseload grows, their sessions, notes and
//! assessments), the same for a given seed so that tests and screenshots are repeatable.
//!
//! Generation is pure: [`generate`] returns a [`DemoPractice`] and the store writes it in one
//! transaction. Each later part of the practice adds its own field and its own step here.

mod cancellations;
mod model;
mod relationship;

pub use model::*;

use chrono::{Datelike, Duration, NaiveDate, NaiveTime};

use crate::domain::client::{ClientFields, ClientStatus, ContactMethod, Telehealth};
use crate::domain::engagement::{ENGAGEMENT_KEY, EngagementModel};
use crate::domain::instrument::{Instrument, built_in};
use crate::domain::note::{NoteBody, NoteTemplate};
use crate::domain::session::{DEFAULT_MINUTES, Modality, SessionStatus};

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
    cancellations::add_cancellations(&mut practice, opts);
    add_notes(&mut practice, opts);
    add_assessments(&mut practice, &mut rng, opts.today);
    practice.relationship = relationship::generate(opts, &practice);
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

// Phrases the demo notes are built from: plain, fictional, and in the project's own words.
const SAID: &[&str] = &[
    "Reports sleeping better since cutting back on late screens.",
    "Describes a difficult week at work; a deadline was moved twice.",
    "Talked about a phone call with their sister that went better than expected.",
    "Says the breathing practice helped before the dentist appointment.",
    "Worried about money this month; rent has gone up.",
    "Feels more able to say no to extra shifts.",
    "Low mood most mornings, lifting by the afternoon.",
    "Had a panic episode on the bus on Tuesday and got off two stops early.",
    "Enjoyed a walk with a friend at the weekend, the first in weeks.",
    "Finds evenings the hardest; the flat feels quiet.",
];
const SEEN: &[&str] = &[
    "Arrived on time, casually dressed, good eye contact.",
    "Tearful when speaking about their father; settled after a few minutes.",
    "Restless at first, calmer by the end of the session.",
    "Speech normal in rate and tone; engaged throughout.",
    "Looked tired; said they had slept about five hours.",
    "Bright and talkative; laughed easily.",
];
const THOUGHT: &[&str] = &[
    "Progress towards the sleep goal; avoidance on the bus remains.",
    "Mood steady compared with last session. No risk indicated.",
    "Using the new skills between sessions more often.",
    "Stress is situational and linked to work; coping is holding.",
    "Some setback this week, understood by the client as part of the process.",
    "Engagement is good; the goals still fit.",
];
const NEXT: &[&str] = &[
    "Keep the sleep diary; review it next session.",
    "Practise the 4-7-8 breathing twice a day.",
    "Plan one small social contact before we next meet.",
    "Try one bus stop further each day this week.",
    "Continue weekly sessions; re-assess mood in four weeks.",
    "Write down three situations where saying no felt possible.",
];
const DONE: &[&str] = &[
    "Explored the link between thoughts and the panic episode.",
    "Grounding exercise using the five senses.",
    "Worked on a values list and chose one to act on.",
    "Reviewed the thought record together.",
    "Role-played the conversation with their manager.",
];
const RESPONSE: &[&str] = &[
    "Engaged well and could name the thought behind the worry.",
    "Found the exercise awkward at first, then useful.",
    "Said it helped to hear the pattern named.",
    "Was quieter today but took the plan home.",
];

fn pick(rng: &mut fastrand::Rng, from: &[&str], n: usize) -> String {
    let mut out: Vec<&str> = Vec::with_capacity(n);
    for _ in 0..n {
        let s = from[rng.usize(..from.len())];
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out.join(" ")
}

/// Notes for most attended sessions, in each client's own template, signed a few hours after
/// the session; a few recent ones (and the odd older one) left as drafts. Uses its own random
/// stream so that the rest of the practice stays the same for a seed.
fn add_notes(p: &mut DemoPractice, opts: &DemoOptions) {
    let mut rng = fastrand::Rng::with_seed(opts.seed ^ 0x6e6f_7465);
    let templates: Vec<NoteTemplate> = (0..p.clients.len())
        .map(|_| match rng.u8(0..10) {
            0..=5 => NoteTemplate::Soap,
            6 | 7 => NoteTemplate::Dap,
            8 => NoteTemplate::Birp,
            _ => NoteTemplate::Free,
        })
        .collect();
    for (i, s) in p.sessions.iter().enumerate() {
        if !s.status.is_attended() {
            continue;
        }
        // A real caseload keeps its notes up to date: only the last couple of weeks have notes
        // still to write or sign.
        let age = (opts.today - s.starts_at.date()).num_days();
        let missing = rng.u8(0..100) < 8;
        if missing && age < 14 {
            continue;
        }
        let signed = if age < 10 { rng.u8(0..10) < 6 } else { true };
        let t = templates[s.client];
        let texts: Vec<String> = match t {
            NoteTemplate::Soap => vec![
                pick(&mut rng, SAID, 2),
                pick(&mut rng, SEEN, 1),
                pick(&mut rng, THOUGHT, 1),
                pick(&mut rng, NEXT, 1),
            ],
            NoteTemplate::Dap => vec![
                format!("{} {}", pick(&mut rng, SAID, 2), pick(&mut rng, SEEN, 1)),
                pick(&mut rng, THOUGHT, 1),
                pick(&mut rng, NEXT, 1),
            ],
            NoteTemplate::Birp => vec![
                format!("{} {}", pick(&mut rng, SEEN, 1), pick(&mut rng, SAID, 1)),
                pick(&mut rng, DONE, 1),
                pick(&mut rng, RESPONSE, 1),
                pick(&mut rng, NEXT, 1),
            ],
            NoteTemplate::Free => vec![format!(
                "{}\n\n{} {}",
                pick(&mut rng, SAID, 2),
                pick(&mut rng, DONE, 1),
                pick(&mut rng, NEXT, 1)
            )],
        };
        p.notes.push(DemoNote {
            session: i,
            body: NoteBody::from_sections(t, &texts),
            signed,
        });
    }
}

const OVERRIDE_REASONS: &[&str] = &[
    "Asked for more direct advice than the answers suggest; start there and review.",
    "Wants a clear plan first; we agreed to move to sharing decisions later.",
    "Prefers to lead; we will work side by side and check in monthly.",
    "Came in after a crisis: practical steps first, then revisit.",
];

/// Engagement assessments (with the model chosen) for most clients, and the wellbeing check
/// every few weeks for many, improving, flat or worsening.
fn add_assessments(p: &mut DemoPractice, rng: &mut fastrand::Rng, today: NaiveDate) {
    let (Some(engagement), Some(wellbeing)) = (built_in(ENGAGEMENT_KEY), built_in("wellbeing"))
    else {
        return;
    };
    for (ci, c) in p.clients.iter().enumerate() {
        let intake = c.fields.intake_date;
        if rng.u8(0..10) < 9 {
            let on = (intake + Duration::days(rng.i64(0..14))).min(today);
            let leaning = EngagementModel::ALL[rng.usize(..EngagementModel::ALL.len())];
            let answers = engagement_answers(&engagement, leaning, rng);
            let top = engagement
                .score(&answers)
                .ok()
                .and_then(|s| s.ranking.first().and_then(|e| e.model.parse().ok()));
            p.assessments.push(DemoAssessment {
                client: ci,
                instrument: ENGAGEMENT_KEY,
                answers,
                on,
            });
            // Most clients are re-assessed every three months or so; a few are overdue.
            if rng.u8(0..6) > 0 {
                let mut again = on + Duration::days(rng.i64(75..95));
                while again + Duration::days(20) <= today {
                    let answers = engagement_answers(&engagement, leaning, rng);
                    p.assessments.push(DemoAssessment {
                        client: ci,
                        instrument: ENGAGEMENT_KEY,
                        answers,
                        on: again,
                    });
                    again += Duration::days(rng.i64(75..95));
                }
            }
            if let Some(top) = top
                && rng.u8(0..10) < 9
            {
                let (model, reason) = if rng.u8(0..8) == 0 {
                    let others: Vec<EngagementModel> = EngagementModel::ALL
                        .iter()
                        .copied()
                        .filter(|m| *m != top)
                        .collect();
                    (
                        others[rng.usize(..others.len())],
                        Some(OVERRIDE_REASONS[rng.usize(..OVERRIDE_REASONS.len())].to_string()),
                    )
                } else {
                    (top, None)
                };
                p.model_choices.push(DemoModelChoice {
                    client: ci,
                    model,
                    reason,
                    on,
                });
            }
        }
        if rng.u8(0..10) < 7 {
            // 0 improving, 1 flat, 2 worsening.
            let trend = match rng.u8(0..20) {
                0..=11 => -0.25,
                12..=16 => 0.0,
                _ => 0.15,
            };
            let mut severity = 1.3 + rng.f64() * 1.2;
            let mut on = intake + Duration::days(rng.i64(0..10));
            while on <= today {
                p.assessments.push(DemoAssessment {
                    client: ci,
                    instrument: "wellbeing",
                    answers: wellbeing_answers(&wellbeing, severity, rng),
                    on,
                });
                severity = (severity + trend + (rng.f64() - 0.5) * 0.3).clamp(0.1, 2.9);
                on += Duration::days(rng.i64(21..36));
            }
        }
    }
}

/// Answers that lean towards one model: high on the items that weigh it most.
fn engagement_answers(
    ins: &Instrument,
    leaning: EngagementModel,
    rng: &mut fastrand::Rng,
) -> Vec<i64> {
    ins.items
        .iter()
        .map(|i| {
            let (lo, hi) = (i.min(), i.max());
            if i.barrier.is_some() {
                return if rng.u8(0..10) < 6 {
                    lo
                } else {
                    rng.i64(lo..=hi)
                };
            }
            let w = i.weights.get(leaning.as_str()).copied().unwrap_or(0.0);
            let top = i.weights.values().copied().fold(0.0, f64::max);
            if w > 0.0 && w >= top {
                rng.i64((hi - 1).max(lo)..=hi)
            } else if w > 0.0 {
                rng.i64(lo..=hi - 1)
            } else {
                rng.i64(lo..=(lo + 2).min(hi))
            }
        })
        .collect()
}

/// Answers around a severity (0 calm … 3 struggling); reversed items are answered the other way.
fn wellbeing_answers(ins: &Instrument, severity: f64, rng: &mut fastrand::Rng) -> Vec<i64> {
    ins.items
        .iter()
        .map(|i| {
            let (lo, hi) = (i.min(), i.max());
            if i.id == "harm" {
                return if severity > 2.2 && rng.u8(0..4) == 0 {
                    lo + 1
                } else {
                    lo
                };
            }
            let v = (severity + (rng.f64() - 0.5) * 1.2).round() as i64;
            let v = v.clamp(lo, hi);
            if i.reverse { hi + lo - v } else { v }
        })
        .collect()
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
    fn most_attended_sessions_have_notes_and_a_few_are_unsigned() {
        let o = opts(5);
        let p = generate(&o);
        let attended = p.sessions.iter().filter(|s| s.status.is_attended()).count();
        assert!(
            p.notes.len() * 100 > attended * 85,
            "{} of {attended}",
            p.notes.len()
        );
        assert!(p.notes.len() < attended);
        let unsigned: Vec<&DemoNote> = p.notes.iter().filter(|n| !n.signed).collect();
        assert!(!unsigned.is_empty());
        assert!(unsigned.len() * 50 < p.notes.len(), "{}", unsigned.len());
        for n in &p.notes {
            let s = &p.sessions[n.session];
            assert!(s.status.is_attended());
            assert!(!n.body.is_empty());
        }
        let templates: std::collections::HashSet<_> =
            p.notes.iter().map(|n| n.body.template()).collect();
        assert_eq!(templates.len(), 4);
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
    fn demo_assessments_are_valid_with_trends_and_overrides() {
        let o = opts(4);
        let p = generate(&o);
        let e = built_in("engagement").unwrap();
        let w = built_in("wellbeing").unwrap();
        let engaged = p
            .assessments
            .iter()
            .filter(|a| a.instrument == "engagement")
            .count();
        assert!(engaged > 150, "most clients: {engaged}");
        for a in &p.assessments {
            let ins = if a.instrument == "engagement" { &e } else { &w };
            assert!(ins.score(&a.answers).is_ok());
            assert!(a.on <= o.today && a.on >= p.clients[a.client].fields.intake_date);
        }
        let overridden = p
            .model_choices
            .iter()
            .filter(|c| c.reason.is_some())
            .count();
        assert!(overridden > 0 && overridden < p.model_choices.len() / 3);
        // Some clients improve, some get worse, over their wellbeing checks.
        let mut better = 0;
        let mut worse = 0;
        for ci in 0..p.clients.len() {
            let totals: Vec<i64> = p
                .assessments
                .iter()
                .filter(|a| a.client == ci && a.instrument == "wellbeing")
                .map(|a| w.score(&a.answers).unwrap().total)
                .collect();
            if totals.len() >= 6 {
                let d = totals[totals.len() - 1] - totals[0];
                if d <= -4 {
                    better += 1;
                } else if d >= 3 {
                    worse += 1;
                }
            }
        }
        assert!(better > 10 && worse > 0, "better {better}, worse {worse}");
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

#[cfg(test)]
mod cancellation_tests {
    use super::*;
    use crate::domain::cancellation::*;
    use crate::domain::session::*;
    use chrono::NaiveDate;

    fn opts() -> DemoOptions {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        DemoOptions {
            clients: 120,
            months: 12,
            seed: 5,
            today,
            now: today.and_hms_opt(9, 0, 0).unwrap().and_utc(),
        }
    }

    #[test]
    fn cancellations_look_like_a_real_caseload() {
        let o = opts();
        let p = generate(&o);
        let booked = p.sessions.len() as f64;
        let share = p.cancellations.len() as f64 / booked;
        assert!((0.10..=0.20).contains(&share), "{share}");
        let count =
            |f: &dyn Fn(&DemoCancellation) -> bool| p.cancellations.iter().filter(|c| f(c)).count();
        let saved = count(&|c| c.outcome.is_saved());
        assert!(saved > 0 && saved < p.cancellations.len(), "{saved}");
        for outcome in CancelOutcome::ALL {
            assert!(count(&|c| c.outcome == *outcome) > 0, "{outcome}");
        }
        assert!(count(&|c| c.by == CancelledBy::Practitioner) > 0);
        assert!(count(&|c| c.fee_waived) > 0);
        let work = count(&|c| c.reason == Reason::Work);
        let cost = count(&|c| c.reason == Reason::Cost);
        assert!(work > cost, "work is a commoner reason than cost");
        for c in &p.cancellations {
            let s = &p.sessions[c.session];
            assert!(c.requested_at <= o.now.naive_utc());
            match c.outcome {
                CancelOutcome::ConvertedPhone => assert_eq!(s.modality, Modality::Phone),
                CancelOutcome::ConvertedVideo => assert_eq!(s.modality, Modality::Video),
                CancelOutcome::Rescheduled => {
                    assert_eq!(s.status, SessionStatus::Rescheduled);
                    let n = c.new_session.unwrap();
                    assert!(n.starts_at > s.starts_at);
                }
                CancelOutcome::LateCancelled => {
                    assert_eq!(s.status, SessionStatus::LateCancelled);
                    assert!(c.notice_hours < 24.0 && c.by == CancelledBy::Client)
                }
                CancelOutcome::Cancelled => {
                    assert_eq!(s.status, SessionStatus::Cancelled);
                    assert!(c.notice_hours >= 24.0 || c.by == CancelledBy::Practitioner)
                }
            }
            if c.by == CancelledBy::Practitioner {
                assert!(c.offered.is_empty());
            }
        }
    }
}

#[cfg(test)]
mod relationship_tests {
    use super::*;
    use crate::domain::goal::GoalStatus;
    use crate::domain::signals::{GoalTrack, Thresholds, boundary_signal, goal_signal};

    #[test]
    fn the_demo_has_one_client_whose_signals_fire_and_a_referral() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let opts = DemoOptions {
            clients: 40,
            months: 12,
            seed: 7,
            today,
            now: today.and_hms_opt(9, 0, 0).unwrap().and_utc(),
        };
        let p = super::generate(&opts);
        let r = &p.relationship;
        let first = r.boundaries[0].client;
        let dates: Vec<_> = r
            .boundaries
            .iter()
            .filter(|b| b.client == first)
            .map(|b| (b.on, b.kind))
            .collect();
        assert!(boundary_signal(&dates, today, &Thresholds::default()).is_some());
        let tracks: Vec<GoalTrack> = r
            .goals
            .iter()
            .filter(|g| g.client == first && g.status == GoalStatus::Active)
            .map(|g| GoalTrack {
                text: g.fields.text.clone(),
                ratings: g.ratings.clone(),
            })
            .collect();
        assert!(goal_signal(&tracks, today, &Thresholds::default()).is_some());
        assert!(r.discharge.is_some());
        assert_eq!(r.consults.len(), 2);
        for g in &r.goals {
            assert!(
                g.ratings
                    .iter()
                    .all(|(d, x)| *d >= g.fields.set_on && *d <= today && *x <= 10)
            );
        }
        assert!(r.profile.validate().is_ok());
    }
}
