//! Tests of `domain::cancellation`.

use super::*;

fn at(s: &str) -> NaiveDateTime {
    time::parse_local(s).unwrap()
}

/// A moment (the request being recorded) on a UTC clock.
fn moment(s: &str) -> DateTime<Utc> {
    at(s).and_utc()
}

fn facts(start: &str, modality: Modality) -> SessionFacts {
    SessionFacts {
        starts_at: at(start),
        minutes: 50,
        modality,
        status: SessionStatus::Scheduled,
    }
}

fn req(by: CancelledBy, reason: Reason) -> Request {
    Request {
        by,
        reason,
        note: None,
    }
}

#[test]
fn reasons_are_stored_exactly_and_keyed_1_to_0() {
    assert_eq!(
        Reason::WORDS,
        &[
            "work",
            "child_or_family_care",
            "own_illness",
            "travel",
            "transport_or_weather",
            "forgot",
            "cost",
            "schedule_conflict",
            "feeling_better",
            "other"
        ]
    );
    assert_eq!(Reason::Work.key(), '1');
    assert_eq!(Reason::FeelingBetter.key(), '9');
    assert_eq!(Reason::Other.key(), '0');
    for r in Reason::ALL {
        let n = r.key().to_digit(10).unwrap() as u8;
        assert_eq!(Reason::from_key(n), Some(*r));
    }
    assert_eq!(
        CancelOutcome::WORDS,
        &[
            "converted_phone",
            "converted_video",
            "rescheduled",
            "cancelled",
            "late_cancelled"
        ]
    );
}

#[test]
fn the_reason_to_offer_table() {
    use Alternative::{Phone as P, Reschedule as R, Video as V};
    let t = OfferTable::default();
    let want: &[(Reason, &[Alternative])] = &[
        (Reason::ChildOrFamilyCare, &[P, V, R]),
        (Reason::Travel, &[V, P, R]),
        (Reason::OwnIllness, &[V, P, R]),
        (Reason::TransportOrWeather, &[V, P, R]),
        (Reason::Work, &[R, V, P]),
        (Reason::ScheduleConflict, &[R, V]),
        (Reason::Forgot, &[R]),
        (Reason::Cost, &[R]),
        (Reason::FeelingBetter, &[R]),
        (Reason::Other, &[R]),
    ];
    for (r, alts) in want {
        assert_eq!(t.for_reason(*r), alts.to_vec(), "{r}");
    }
    assert_eq!(t.0.len(), Reason::ALL.len());
    assert!(
        Reason::FeelingBetter
            .prompt()
            .unwrap()
            .contains("next session")
    );
}

#[test]
fn every_offer_line_is_written_for_its_reason() {
    let t = OfferTable::default();
    for r in Reason::ALL {
        for a in t.for_reason(*r) {
            let w = why(*r, a);
            assert!(!w.is_empty() && w.len() < 70, "{r} {a}: {w}");
        }
    }
    assert!(why(Reason::ChildOrFamilyCare, Alternative::Phone).contains("child"));
    assert!(why(Reason::Work, Alternative::Reschedule).contains("work"));
}

#[test]
fn the_table_is_an_editable_setting() {
    let mut s = PracticeSettings::default();
    s.offers.set(
        Reason::Cost,
        vec![
            Alternative::Phone,
            Alternative::Reschedule,
            Alternative::Phone,
        ],
    );
    let json = serde_json::to_string(&s).unwrap();
    assert!(
        json.contains("\"cost\":[\"phone\",\"reschedule\"]"),
        "{json}"
    );
    let back: PracticeSettings = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s);
    assert_eq!(
        back.offers.for_reason(Reason::Cost),
        vec![Alternative::Phone, Alternative::Reschedule]
    );
    // Missing keys take their defaults; a missing reason falls back to the default list.
    let partial: PracticeSettings =
        serde_json::from_str(r#"{"cancellation_window_hours":48,"offers":{}}"#).unwrap();
    assert_eq!(partial.cancellation_window_hours, 48);
    assert!(partial.offers_phone);
    assert_eq!(
        partial.offers.for_reason(Reason::Travel),
        OfferTable::default().for_reason(Reason::Travel)
    );
    assert!(
        serde_json::to_string(&PracticeSettings::default())
            .unwrap()
            .contains(r#""start":"09:00","end":"17:00""#)
    );
}

#[test]
fn availability_is_settings_times_consent() {
    let mut s = PracticeSettings::default();
    use Availability::*;
    let cases = [
        (true, true, Telehealth::Both, Available, Available),
        (true, true, Telehealth::Phone, Available, NeedsConsent),
        (true, true, Telehealth::Video, NeedsConsent, Available),
        (true, true, Telehealth::None, NeedsConsent, NeedsConsent),
        (false, true, Telehealth::Both, NotOffered, Available),
        (true, false, Telehealth::Both, Available, NotOffered),
        (false, false, Telehealth::None, NotOffered, NotOffered),
    ];
    for (phone, video, consent, want_p, want_v) in cases {
        s.offers_phone = phone;
        s.offers_video = video;
        assert_eq!(availability(Alternative::Phone, &s, consent), want_p);
        assert_eq!(availability(Alternative::Video, &s, consent), want_v);
        assert_eq!(
            availability(Alternative::Reschedule, &s, consent),
            Available
        );
    }
    assert!(
        NeedsConsent
            .note(Alternative::Phone)
            .unwrap()
            .contains("verbal consent")
    );
}

#[test]
fn the_offer_skips_how_the_session_already_happens() {
    let s = PracticeSettings::default();
    let video = facts("2026-11-23 10:00", Modality::Video);
    let o = offer(Reason::OwnIllness, &video, &s, Telehealth::Both);
    let opts: Vec<_> = o.iter().map(|i| i.option).collect();
    assert_eq!(opts, vec![Alternative::Phone, Alternative::Reschedule]);
    let inp = facts("2026-11-23 10:00", Modality::InPerson);
    let o = offer(Reason::ChildOrFamilyCare, &inp, &s, Telehealth::Phone);
    assert_eq!(o[0].option, Alternative::Phone);
    assert!(o[0].availability.is_available());
    assert_eq!(o[1].availability, Availability::NeedsConsent);
}

#[test]
fn notice_and_the_late_rule_at_the_windows_edge() {
    let start = moment("2026-11-24 10:00");
    assert_eq!(notice_hours(start, moment("2026-11-23 10:00")), 24.0);
    assert!(
        !is_late(CancelledBy::Client, 24.0, 24),
        "exactly 24 h is in time"
    );
    let just_under = notice_hours(start, moment("2026-11-23 10:01"));
    assert!(just_under < 24.0);
    assert!(is_late(CancelledBy::Client, just_under, 24));
    assert!(!is_late(CancelledBy::Practitioner, just_under, 24));
    assert!(!is_late(CancelledBy::Client, 0.5, 0), "0 = no policy");
    assert!(is_late(CancelledBy::Client, 47.9, 48));
    assert_eq!(describe_notice(1.0 + 40.0 / 60.0), "1 h 40 min");
    assert_eq!(describe_notice(0.25), "15 min");
    assert_eq!(describe_notice(50.0), "2 days 2 h");
    assert_eq!(describe_notice(-1.0 / 6.0), "started 10 min ago");
}

#[test]
fn declined_is_cancelled_or_late_and_the_fee_can_be_waived() {
    let s = PracticeSettings::default();
    let f = facts("2026-11-24 10:00", Modality::InPerson);
    let d = |now: &str, by, waive| {
        plan(
            &req(by, Reason::Work),
            &f,
            &s,
            Telehealth::Both,
            &moment(now),
            Decision::Decline { waive_fee: waive },
            &[],
        )
    };
    let p = d("2026-11-23 10:00", CancelledBy::Client, false).unwrap();
    assert_eq!(p.outcome, CancelOutcome::Cancelled);
    assert_eq!(p.notice_hours, 24.0);
    assert_eq!(
        p.offered,
        vec![
            Alternative::Reschedule,
            Alternative::Video,
            Alternative::Phone
        ]
    );
    let p = d("2026-11-23 10:30", CancelledBy::Client, false).unwrap();
    assert_eq!(p.outcome, CancelOutcome::LateCancelled);
    assert!(!p.fee_waived);
    let p = d("2026-11-23 10:30", CancelledBy::Client, true).unwrap();
    assert!(p.fee_waived);
    let p = d("2026-11-24 09:30", CancelledBy::Practitioner, false).unwrap();
    assert_eq!(p.outcome, CancelOutcome::Cancelled);
    assert!(
        p.offered.is_empty(),
        "a practitioner's cancellation skips the offer"
    );
    let e = d("2026-11-22 10:00", CancelledBy::Client, true).unwrap_err();
    assert!(e.for_field("waive_fee").is_some());
}

#[test]
fn converting_needs_consent_or_verbal_consent_and_a_clear_check() {
    let s = PracticeSettings::default();
    let f = facts("2026-11-23 10:00", Modality::InPerson);
    let now = moment("2026-11-23 08:20");
    let r = req(CancelledBy::Client, Reason::ChildOrFamilyCare);
    let conv = |consent, verbal, check| {
        plan(
            &r,
            &f,
            &s,
            consent,
            &now,
            Decision::Convert {
                to: Alternative::Phone,
                verbal_consent: verbal,
                check,
            },
            &[],
        )
    };
    let p = conv(Telehealth::Both, false, Some(RemoteCheck::ALL_YES)).unwrap();
    assert_eq!(p.outcome, CancelOutcome::ConvertedPhone);
    assert_eq!(p.new_modality, Some(Modality::Phone));
    assert_eq!(p.remote_check, Some(RemoteCheck::ALL_YES));
    assert!(p.consent_added.is_none());
    let e = conv(Telehealth::None, false, None).unwrap_err();
    assert!(e.for_field("convert").unwrap().contains("consent"));
    let p = conv(Telehealth::None, true, None).unwrap();
    assert_eq!(p.consent_added, Some(Alternative::Phone));
    assert_eq!(
        p.offered,
        vec![Alternative::Phone, Alternative::Reschedule],
        "phone became available once consent was recorded"
    );
    let no = RemoteCheck {
        not_driving: false,
        ..RemoteCheck::ALL_YES
    };
    assert!(conv(Telehealth::Both, false, Some(no)).is_err());
    let mut off = s.clone();
    off.offers_phone = false;
    let e = plan(
        &r,
        &f,
        &off,
        Telehealth::Both,
        &now,
        Decision::Convert {
            to: Alternative::Phone,
            verbal_consent: true,
            check: None,
        },
        &[],
    )
    .unwrap_err();
    assert!(e.for_field("convert").unwrap().contains("does not offer"));
}

#[test]
fn reschedules_must_be_future_and_free() {
    let s = PracticeSettings::default();
    let f = facts("2026-11-23 10:00", Modality::InPerson);
    let now = moment("2026-11-23 08:00");
    let busy = [(at("2026-11-24 10:00"), at("2026-11-24 10:50"))];
    let r = req(CancelledBy::Practitioner, Reason::Other);
    let go = |to: &str| {
        plan(
            &r,
            &f,
            &s,
            Telehealth::None,
            &now,
            Decision::Reschedule { to: at(to) },
            &busy,
        )
    };
    let p = go("2026-11-24 11:00").unwrap();
    assert_eq!(p.outcome, CancelOutcome::Rescheduled);
    assert_eq!(p.new_start, Some(at("2026-11-24 11:00")));
    assert!(
        go("2026-11-24 09:30")
            .unwrap_err()
            .for_field("reschedule")
            .unwrap()
            .contains("clashes")
    );
    assert!(
        go("2026-11-23 07:00")
            .unwrap_err()
            .for_field("reschedule")
            .unwrap()
            .contains("future")
    );
}

#[test]
fn only_scheduled_sessions_that_have_not_ended_can_be_cancelled() {
    let s = PracticeSettings::default();
    let mut f = facts("2026-11-23 10:00", Modality::InPerson);
    let r = req(CancelledBy::Client, Reason::Work);
    let d = Decision::Decline { waive_fee: false };
    f.status = SessionStatus::Attended;
    let e = plan(
        &r,
        &f,
        &s,
        Telehealth::None,
        &moment("2026-11-23 08:00"),
        d,
        &[],
    )
    .unwrap_err();
    assert!(e.for_field("session").unwrap().contains("attended"));
    f.status = SessionStatus::Scheduled;
    assert!(
        plan(
            &r,
            &f,
            &s,
            Telehealth::None,
            &moment("2026-11-23 10:50"),
            d,
            &[]
        )
        .is_err()
    );
    let p = plan(
        &r,
        &f,
        &s,
        Telehealth::None,
        &moment("2026-11-23 10:10"),
        d,
        &[],
    )
    .unwrap();
    assert_eq!(
        p.outcome,
        CancelOutcome::LateCancelled,
        "after the start is late"
    );
}

#[test]
fn free_slots_keep_office_hours_and_never_clash() {
    let hours = OfficeHours::default();
    // Monday 23 Nov 2026, 09:20.
    let from = at("2026-11-23 09:20");
    let busy = [
        (at("2026-11-23 09:30"), at("2026-11-23 10:20")),
        (at("2026-11-23 11:30"), at("2026-11-23 16:00")),
    ];
    let slots = free_slots(&hours, &busy, 50, from, 14, 50, 3);
    assert_eq!(
        slots[0],
        at("2026-11-23 10:30"),
        "the first gap long enough"
    );
    assert_eq!(slots[1], at("2026-11-23 16:00"));
    assert_eq!(slots[2], at("2026-11-24 09:00"), "the next day opens at 9");
    for t in &slots {
        let end = *t + Duration::minutes(50);
        assert!(*t > from);
        let h = hours.on(t.weekday()).unwrap();
        assert!(t.time() >= h.start && end.time() <= h.end);
        assert!(!busy.iter().any(|(a, b)| *t < *b && *a < end));
        assert!((*t - from).num_days() <= 14);
        assert!(!matches!(t.weekday(), Weekday::Sat | Weekday::Sun));
    }
    let per_day = free_slots(&hours, &[], 50, from, 14, 100, 2);
    let mut days: Vec<NaiveDate> = per_day.iter().map(|t| t.date()).collect();
    let n = days.len();
    days.dedup();
    assert_eq!(n, days.len() * 2);
    assert!(free_slots(&OfficeHours([None; 7]), &[], 50, from, 14, 5, 5).is_empty());
    assert_eq!(free_slots(&hours, &[], 50, from, 14, 4, 9).len(), 4);
}

#[test]
fn office_hours_parse() {
    let h = DayHours::parse("08:30-12:00").unwrap();
    assert_eq!(h.to_string(), "08:30–12:00");
    assert!(DayHours::parse("12:00-08:00").is_err());
    assert!(DayHours::parse("nine to five").is_err());
}

proptest::proptest! {
    #[test]
    fn free_slots_never_clash(
        busy_starts in proptest::collection::vec(0i64..(14 * 24 * 2), 0..30),
        minutes in 15u32..120,
    ) {
        let base = at("2026-11-23 00:00");
        let busy: Vec<_> = busy_starts
            .iter()
            .map(|h| (base + Duration::minutes(h * 30), base + Duration::minutes(h * 30 + 50)))
            .collect();
        let from = at("2026-11-23 08:10");
        for t in free_slots(&OfficeHours::default(), &busy, minutes, from, 14, 200, 20) {
            let end = t + Duration::minutes(i64::from(minutes));
            proptest::prop_assert!(t > from);
            proptest::prop_assert!(!busy.iter().any(|(a, b)| t < *b && *a < end));
        }
    }
}

mod daylight_saving {
    //! Notice is real elapsed time: a clock change between the request and the session counts
    //! the hours that really pass (24-hour policy, the practice's default).
    use super::*;
    use chrono_tz::America::New_York;
    use chrono_tz::Pacific::Auckland;

    fn decline<Tz: TimeZone>(zone: &Tz, requested: &str, start: &str) -> Plan {
        let now = zone.from_local_datetime(&at(requested)).single().unwrap();
        plan(
            &req(CancelledBy::Client, Reason::Work),
            &facts(start, Modality::InPerson),
            &PracticeSettings::default(),
            Telehealth::None,
            &now,
            Decision::Decline { waive_fee: false },
            &[],
        )
        .unwrap()
    }

    #[test]
    fn auckland_clocks_forward_makes_a_day_of_23_hours() {
        // Sun 27 Sep 2026 02:00 NZST becomes 03:00 NZDT.
        let p = decline(&Auckland, "2026-09-26 10:00", "2026-09-27 10:00");
        assert_eq!(p.notice_hours, 23.0);
        assert_eq!(p.outcome, CancelOutcome::LateCancelled);
        // The same clock times a week later, with no change between: 24 h, in time.
        let p = decline(&Auckland, "2026-10-03 10:00", "2026-10-04 10:00");
        assert_eq!(p.notice_hours, 24.0);
        assert_eq!(p.outcome, CancelOutcome::Cancelled);
    }

    #[test]
    fn auckland_clocks_back_makes_23_clock_hours_a_real_24() {
        // Sun 5 Apr 2026 03:00 NZDT becomes 02:00 NZST.
        let p = decline(&Auckland, "2026-04-04 10:00", "2026-04-05 09:00");
        assert_eq!(p.notice_hours, 24.0);
        assert_eq!(p.outcome, CancelOutcome::Cancelled);
        // A week earlier, with no change between: 23 h, late.
        let p = decline(&Auckland, "2026-03-28 10:00", "2026-03-29 09:00");
        assert_eq!(p.notice_hours, 23.0);
        assert_eq!(p.outcome, CancelOutcome::LateCancelled);
    }

    #[test]
    fn new_york_both_changes() {
        // Sun 8 Mar 2026 02:00 EST becomes 03:00 EDT.
        let p = decline(&New_York, "2026-03-07 10:00", "2026-03-08 10:00");
        assert_eq!(p.notice_hours, 23.0);
        assert_eq!(p.outcome, CancelOutcome::LateCancelled);
        // Sun 1 Nov 2026 02:00 EDT becomes 01:00 EST.
        let p = decline(&New_York, "2026-10-31 10:30", "2026-11-01 10:00");
        assert_eq!(p.notice_hours, 24.5);
        assert_eq!(p.outcome, CancelOutcome::Cancelled);
        let p = decline(&New_York, "2026-11-07 10:30", "2026-11-08 10:00");
        assert_eq!(p.notice_hours, 23.5);
        assert_eq!(p.outcome, CancelOutcome::LateCancelled);
    }

    #[test]
    fn a_start_the_clocks_skip_or_repeat() {
        // 02:30 does not exist in Auckland on 27 Sep 2026: it counts as 03:30 NZDT (14:30 UTC).
        assert_eq!(
            start_instant(at("2026-09-27 02:30"), &Auckland),
            at("2026-09-26 14:30").and_utc()
        );
        // 01:30 happens twice in New York on 1 Nov 2026: the first, EDT (05:30 UTC).
        assert_eq!(
            start_instant(at("2026-11-01 01:30"), &New_York),
            at("2026-11-01 05:30").and_utc()
        );
        let requested = at("2026-10-31 12:00").and_utc(); // 08:00 EDT
        assert_eq!(
            notice_hours_in(at("2026-11-01 01:30"), requested, &New_York),
            17.5
        );
    }
}
