#![allow(clippy::unwrap_used, clippy::panic)]
//! The Agenda on a busy day: the "more" marker has a line of its own.

mod tui_common;

use caseload::config::Config;
use caseload::domain::client::ClientInput;
use caseload::domain::schedule::Repeat;
use caseload::domain::session::Modality;
use caseload::store::Store;
use caseload::store::session::{BookOutcome, BookingRequest};
use caseload::tui::App;
use chrono::NaiveDate;
use tui_common::{clock, keys, screen};

fn busy_practice() -> App {
    let mut store = Store::open_in_memory().unwrap();
    let now = clock().now_utc();
    let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    for (i, name) in ["Hamish Moore", "Ava Stone", "Ben Ito"].iter().enumerate() {
        let f = ClientInput {
            name: (*name).into(),
            ..Default::default()
        }
        .validate(clock().today())
        .unwrap();
        let c = store.add_client(&f, now).unwrap();
        // Twenty sessions each on Tuesday, a quarter of an hour apart, overlapping on purpose.
        for k in 0..20u32 {
            let req = BookingRequest {
                client_id: c.id,
                starts_at: day
                    .and_hms_opt(7 + k / 4 + (i as u32), (k % 4) * 15, 0)
                    .unwrap(),
                minutes: 15,
                modality: Modality::InPerson,
                repeat: Repeat::Once,
            };
            match store.book(&req, true, now).unwrap() {
                BookOutcome::Booked(_) => {}
                BookOutcome::Clash(_) => panic!("forced bookings don't clash"),
            }
        }
    }
    App::new(store, Config::default(), clock(), true).unwrap()
}

#[test]
fn the_more_marker_never_draws_over_a_name() {
    let mut app = busy_practice();
    keys(&mut app, "3");
    for (w, h) in [(120, 40), (160, 30)] {
        let s = screen(&mut app, w, h);
        let marker = s
            .lines()
            .find(|l| l.contains(" more"))
            .unwrap_or_else(|| panic!("no marker at {w}×{h}:\n{s}"));
        // The marker's column holds nothing else: no name runs on after it.
        let after = marker.split("more").nth(1).unwrap();
        let cell: String = after.chars().take_while(|c| *c != '│').collect();
        assert!(cell.chars().take(3).all(|c| c == ' '), "{w}×{h}: {marker}");
        assert!(
            !marker.contains("moreH") && !marker.contains("moreA"),
            "{marker}"
        );
    }
    insta::assert_snapshot!("agenda_busy_day_120x40", screen(&mut app, 120, 40));
}

#[test]
fn same_named_clients_are_told_apart_in_every_list() {
    let mut store = Store::open_in_memory().unwrap();
    let now = clock().now_utc();
    let day = clock().today();
    for (k, name) in ["Sam Liu", "Sam Lee", "Ada Wong"].iter().enumerate() {
        let f = ClientInput {
            name: (*name).into(),
            ..Default::default()
        }
        .validate(day)
        .unwrap();
        let c = store.add_client(&f, now).unwrap();
        let req = BookingRequest {
            client_id: c.id,
            starts_at: day.and_hms_opt(10 + k as u32, 0, 0).unwrap(),
            minutes: 50,
            modality: Modality::InPerson,
            repeat: Repeat::Once,
        };
        store.book(&req, false, now).unwrap();
    }
    let mut app = App::new(store, Config::default(), clock(), true).unwrap();
    let s = screen(&mut app, 120, 40);
    assert!(s.contains("Sam L. (1)"), "{s}");
    assert!(s.contains("Sam L. (2)"), "{s}");
    assert!(s.contains("Ada W. ") && !s.contains("Ada W. ("), "{s}");
    keys(&mut app, "3");
    // A narrow day column cuts the name, never the number.
    let s = screen(&mut app, 120, 40);
    assert!(s.contains("Sam …(1)") && s.contains("Sam …(2)"), "{s}");
    let s = screen(&mut app, 160, 40);
    assert!(s.contains("Sam L. (1)") && s.contains("Sam L. (2)"), "{s}");
    // Privacy mode keeps the number with the initials.
    app.toggle_privacy();
    let s = screen(&mut app, 120, 40);
    assert!(s.contains("S.L. (1)") && s.contains("S.L. (2)"), "{s}");
    assert!(!s.contains("Sam"), "{s}");
}
