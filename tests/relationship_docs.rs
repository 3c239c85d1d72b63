#![allow(clippy::unwrap_used, clippy::panic)]
//! The handout and the transition summary in every format: text snapshots, and the HTML parsed.

use caseload::domain::cancellation::DayHours;
use caseload::domain::client::{ClientInput, ContactMethod, Telehealth};
use caseload::domain::discharge::{DischargeInput, DischargeReason};
use caseload::domain::document::DocFormat;
use caseload::domain::goal::check_goal;
use caseload::domain::practice::PracticeProfile;
use caseload::domain::time::parse_local;
use caseload::store::Store;
use scraper::{Html, Selector};

fn practice() -> (Store, i64, chrono::NaiveDateTime) {
    let mut s = Store::open_in_memory().unwrap();
    let now = parse_local("2026-11-23 09:00").unwrap();
    let p = PracticeProfile {
        practice_name: "Harbour Counselling".into(),
        practitioner_name: "Alex Reed".into(),
        phone: "555-0100".into(),
        email: "alex@harbour.example".into(),
        address: "2 Quay Street".into(),
        contact_channels: vec![ContactMethod::Text, ContactMethod::Email],
        reply_time: "within one working day".into(),
        emergency: "Call 999, or go to the nearest emergency department.".into(),
    };
    s.set_practice_profile(&p).unwrap();
    let mut settings = s.practice_settings().unwrap();
    settings.office_hours.0 = [None; 7];
    settings.office_hours.0[0] = Some(DayHours::parse("09:00-17:00").unwrap());
    settings.office_hours.0[3] = Some(DayHours::parse("12:00-20:00").unwrap());
    settings.video_link = "https://meet.example/harbour".into();
    settings.offers_phone = false;
    settings.late_fee_text = "The full fee of £70 is charged.".into();
    s.set_practice_settings(&settings).unwrap();
    let f = ClientInput {
        name: "Tom <Berg> & Sons".into(),
        phone: "555-0101".into(),
        preferred_contact: Some(ContactMethod::Text),
        telehealth_consent: Telehealth::Both,
        intake_date: "2026-03-02".into(),
        born: "1990-05-04".into(),
        ..Default::default()
    }
    .validate(now.date())
    .unwrap();
    let c = s.add_client(&f, now.and_utc()).unwrap().id;
    s.write(|tx| {
        for (at, st) in [
            ("2026-10-27T10:00", "attended"),
            ("2026-11-03T10:00", "attended"),
            ("2026-11-10T10:00", "late"),
            ("2026-11-17T10:00", "no_show"),
            ("2026-12-01T10:00", "scheduled"),
        ] {
            tx.execute(
                "INSERT INTO sessions (client_id, starts_at, minutes, modality, status, created_at, updated_at)
                 VALUES (?1, ?2, 50, 'in_person', ?3, 'x', 'x')",
                (c, at, st),
            )?;
        }
        Ok(())
    })
    .unwrap();
    (s, c, now)
}

fn check_html(html: &str) -> Html {
    let doc = Html::parse_document(html);
    assert!(doc.errors.is_empty(), "HTML parse errors: {:?}", doc.errors);
    let sel = |s: &str| Selector::parse(s).unwrap();
    assert_eq!(doc.select(&sel("title")).count(), 1);
    assert_eq!(doc.select(&sel("h1")).count(), 1);
    let style: String = doc.select(&sel("style")).map(|e| e.inner_html()).collect();
    assert!(style.contains("@media print"));
    // Self-contained: no scripts, links, images or external references.
    for s in ["script", "link", "img", "iframe", "[src]", "[href]"] {
        assert_eq!(doc.select(&sel(s)).count(), 0, "{s}");
    }
    doc
}

#[test]
fn the_handout_in_every_format() {
    let (s, c, now) = practice();
    let content = s.handout_content(c, now).unwrap();
    assert_eq!(
        content.rhythm.as_deref(),
        Some("About every week, usually on Tuesdays at 10:00")
    );
    let d = content.document(now.date());
    insta::assert_snapshot!("handout_md", d.render(DocFormat::Md));
    insta::assert_snapshot!("handout_txt", d.render(DocFormat::Txt));
    let html = d.render(DocFormat::Html);
    let doc = check_html(&html);
    let text: String = doc.root_element().text().collect();
    assert!(
        text.contains("Prepared for Tom <Berg> & Sons"),
        "escaped text reads back"
    );
    let qa = Selector::parse("div.qa section h3").unwrap();
    assert_eq!(doc.select(&qa).count(), 8);
    let dt = Selector::parse("dt").unwrap();
    let labels: Vec<String> = doc.select(&dt).map(|e| e.text().collect()).collect();
    assert!(labels.contains(&"Remote sessions".to_string()));
    // The version a practitioner reads on the handout (a digest of this content), fixed here
    // so that a change to what goes into it shows.
    assert_eq!(content.version(), "b8f88984b13b64a5");
    assert!(html.contains("Handout version b8f88984b13b64a5"), "{html}");
}

#[test]
fn the_summary_in_every_format() {
    let (mut s, c, now) = practice();
    let g = s
        .add_goal(
            c,
            &check_goal("Sleep through most nights", "2026-10-27", "", now.date()).unwrap(),
            now.and_utc(),
        )
        .unwrap();
    s.rate_goal(
        g.id,
        2,
        None,
        now.date() - chrono::Duration::days(20),
        now.and_utc(),
    )
    .unwrap();
    s.rate_goal(g.id, 6, None, now.date(), now.and_utc())
        .unwrap();
    // How we worked, and a measure at the start and the end.
    let eng = caseload::domain::instrument::built_in("engagement").unwrap();
    let answers: Vec<i64> = eng.items.iter().map(|i| i.max()).collect();
    let on = chrono::NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
    let a = s
        .record_assessment(c, &eng, &answers, on, now.and_utc())
        .unwrap();
    let top: caseload::domain::engagement::EngagementModel = a.ranking[0].model.parse().unwrap();
    s.choose_model(c, top, None, now.and_utc()).unwrap();
    let wb = caseload::domain::instrument::built_in("wellbeing").unwrap();
    let high: Vec<i64> = wb
        .items
        .iter()
        .map(|i| if i.reverse { i.min() } else { i.max() })
        .collect();
    let low: Vec<i64> = wb
        .items
        .iter()
        .map(|i| if i.reverse { i.max() } else { i.min() })
        .collect();
    s.record_assessment(c, &wb, &high, on, now.and_utc())
        .unwrap();
    s.record_assessment(c, &wb, &low, now.date(), now.and_utc())
        .unwrap();
    let f = DischargeInput {
        reason: Some(DischargeReason::NeedsOutsideScope),
        referral_name: "Dr Lee".into(),
        referral_profession: "Psychiatrist".into(),
        referral_contact: "555-0199".into(),
        referral_why: "A medication review.".into(),
        note: "Private closing words.".into(),
    }
    .validate()
    .unwrap();
    let out = s
        .discharge(
            c,
            &f,
            now,
            now.and_utc(),
            caseload::store::cancellation::Source::App,
        )
        .unwrap();
    assert_eq!(out.cancelled_sessions.len(), 1);
    let d = s.transition_summary(c, false).unwrap().document(now.date());
    insta::assert_snapshot!("summary_md", d.render(DocFormat::Md));
    insta::assert_snapshot!("summary_txt", d.render(DocFormat::Txt));
    let html = d.render(DocFormat::Html);
    let doc = check_html(&html);
    let text: String = doc.root_element().text().collect();
    assert!(text.contains("Dr Lee"));
    assert!(!text.contains("Private closing words."));
    let with_note = s.transition_summary(c, true).unwrap().document(now.date());
    assert!(
        with_note
            .render(DocFormat::Html)
            .contains("Private closing words.")
    );
}
