//! The working relationship in the demo practice: a profile, goals with ratings, boundary
//! incidents (one client whose log fires a review signal), two consultations and one client
//! discharged with a referral. Pure and seeded, like the rest of the demo.

use chrono::Duration;

use super::model::{
    DemoBoundary, DemoConsult, DemoDischarge, DemoGoal, DemoOptions, DemoPractice, DemoRelationship,
};
use crate::domain::boundary::{BoundaryKind, ConsultFields};
use crate::domain::client::{ClientStatus, ContactMethod};
use crate::domain::discharge::{DischargeFields, DischargeReason, Referral};
use crate::domain::goal::{GoalFields, GoalStatus};
use crate::domain::practice::PracticeProfile;

const GOALS: &[&str] = &[
    "Sleep through most nights",
    "Speak up once in each team meeting",
    "Walk outdoors three times a week",
    "Call my sister every Sunday",
    "Notice worry early and use the breathing plan",
    "Go back to the choir",
    "Say no to extra shifts without guilt",
    "Eat lunch away from my desk",
];

fn profile() -> PracticeProfile {
    PracticeProfile {
        practice_name: "Harbour Counselling".into(),
        practitioner_name: "Alex Reed".into(),
        phone: "555-0100".into(),
        email: "hello@harbour.example".into(),
        address: "2 Quay Street, Harbourside".into(),
        contact_channels: vec![ContactMethod::Text, ContactMethod::Email],
        reply_time: "within one working day".into(),
        emergency: "If you are in danger, call the emergency number (999 or 112) or go to the \
                    nearest emergency department. Do not wait for a reply from me."
            .into(),
    }
}

/// The relationship part of the demo, for the clients already generated.
pub fn generate(opts: &DemoOptions, practice: &DemoPractice) -> DemoRelationship {
    let clients = &practice.clients;
    let mut rng = fastrand::Rng::with_seed(opts.seed ^ 0x7e1a);
    let today = opts.today;
    let active: Vec<usize> = (0..clients.len())
        .filter(|i| clients[*i].status == ClientStatus::Active)
        .filter(|i| (today - clients[*i].fields.intake_date).num_days() >= 70)
        .collect();
    let mut out = DemoRelationship {
        profile: profile(),
        ..Default::default()
    };

    // Goals with fortnightly ratings for up to ten long-standing active clients.
    for (n, &i) in active.iter().take(10).enumerate() {
        let set_on = clients[i].fields.intake_date + Duration::days(7);
        let goals = 1 + usize::from(rng.bool());
        for k in 0..goals {
            let text = GOALS[(n * 2 + k) % GOALS.len()].to_string();
            // The first client's first goal is stuck (the review signal); the others move.
            let stuck = n == 0 && k == 0;
            let mut rating = rng.u8(1..5);
            let first = rating;
            let mut ratings = Vec::new();
            let mut day = set_on;
            while day <= today {
                ratings.push((day, rating));
                rating = if stuck {
                    first.saturating_sub(rng.u8(0..2))
                } else {
                    (rating + rng.u8(0..2)).min(10)
                };
                day += Duration::days(14);
            }
            let status = if !stuck && rating >= 8 && k == 1 {
                GoalStatus::Achieved
            } else {
                GoalStatus::Active
            };
            out.goals.push(DemoGoal {
                client: i,
                fields: GoalFields {
                    text,
                    set_on,
                    target_on: Some(set_on + Duration::days(120)),
                },
                status,
                ratings,
            });
        }
    }

    // Boundary incidents: three in the last 90 days for the first client (a review signal),
    // one older one for another.
    if let Some(&i) = active.first() {
        for (days, kind, note) in [
            (
                5,
                BoundaryKind::AfterHoursContact,
                "Texted at 23:40 about the week ahead.",
            ),
            (
                26,
                BoundaryKind::UnplannedContact,
                "Came to the door between sessions.",
            ),
            (61, BoundaryKind::LatePayment, "Two invoices outstanding."),
        ] {
            out.boundaries.push(DemoBoundary {
                client: i,
                on: today - Duration::days(days),
                kind,
                note: Some(note.into()),
            });
        }
    }
    if let Some(&i) = active.get(1) {
        out.boundaries.push(DemoBoundary {
            client: i,
            on: today - Duration::days(40),
            kind: BoundaryKind::UnrealisticDemand,
            note: Some("Asked for a daily check-in by text.".into()),
        });
    }

    // Two consultations: one about the client with the signal, one general.
    out.consults.push(DemoConsult {
        fields: ConsultFields {
            held_on: today - Duration::days(3),
            colleague: "Dr Ada Quinn (supervisor)".into(),
            topic: "Contact between sessions keeps growing".into(),
            notes: Some("Pattern since the summer; worth naming kindly.".into()),
            to_try: Some("Restate the contact hours and agree them together next session.".into()),
            client_id: None,
        },
        client: active.first().copied(),
    });
    out.consults.push(DemoConsult {
        fields: ConsultFields {
            held_on: today - Duration::days(30),
            colleague: "Peer group".into(),
            topic: "Raising fees fairly".into(),
            notes: None,
            to_try: Some("Give three months' notice and offer a few reduced-fee places.".into()),
            client_id: None,
        },
        client: None,
    });

    // One client referred on, with a warm ending.
    if let Some(i) = (0..clients.len()).find(|i| clients[*i].status == ClientStatus::ReferredOut) {
        // The day after the last thing on their record (or two months after intake).
        let last = practice
            .sessions
            .iter()
            .filter(|s| s.client == i)
            .map(|s| s.starts_at.date())
            .chain(
                practice
                    .assessments
                    .iter()
                    .filter(|a| a.client == i)
                    .map(|a| a.on),
            )
            .max();
        let on = last
            .map(|d| d + Duration::days(1))
            .unwrap_or(clients[i].fields.intake_date + Duration::days(60))
            .min(today);
        out.discharge = Some(DemoDischarge {
            client: i,
            on,
            fields: DischargeFields {
                reason: DischargeReason::NeedsOutsideScope,
                referral: Some(Referral {
                    name: "Dr Samira Haddad".into(),
                    profession: Some("Psychiatrist".into()),
                    contact: Some("555-0142".into()),
                    why: Some("A medication review alongside talking therapy.".into()),
                }),
                note: Some("We agreed the referral together; the door is open to return.".into()),
            },
        });
    }
    out
}
