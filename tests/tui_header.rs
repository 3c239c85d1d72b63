#![allow(clippy::unwrap_used, clippy::panic)]
//! The header keeps the five screens and the date in sight at every terminal size.

mod tui_common;

use tui_common::{demo_app, screen};

fn header(text: &str) -> String {
    text.lines().next().unwrap_or("").to_string()
}

#[test]
fn at_80_by_24_the_five_screens_and_the_date_are_in_the_header() {
    let mut app = demo_app(12);
    let s = screen(&mut app, 80, 24);
    let h = header(&s);
    for tab in [
        " 1 Today ",
        " 2 Clients ",
        " 3 Agenda ",
        " 4 Reports ",
        " 5 Practice ",
    ] {
        assert!(h.contains(tab), "{tab:?} missing from {h}");
    }
    assert!(h.contains("Mon 23 Nov 2026"), "{h}");
    insta::assert_snapshot!(s);
}

#[test]
fn at_60_by_16_the_tabs_shorten_and_the_date_stays() {
    let mut app = demo_app(12);
    let s = screen(&mut app, 60, 16);
    let h = header(&s);
    for tab in [" 1 Tod ", " 2 Cli ", " 3 Age ", " 4 Rep ", " 5 Pra "] {
        assert!(h.contains(tab), "{tab:?} missing from {h}");
    }
    assert!(h.contains("Mon 23 Nov 2026"), "{h}");
    insta::assert_snapshot!(s);
}

#[test]
fn between_60_and_200_columns_the_practice_name_is_whole_or_gone() {
    let mut app = demo_app(12);
    for name in [
        "Harbour Counselling",
        "Harbour Counselling and Family Therapy Collective",
    ] {
        app.profile_view.profile.practice_name = name.to_string();
        for w in 60..=200u16 {
            let h = header(&screen(&mut app, w, 24));
            let first = name.split_whitespace().next().unwrap();
            if h.contains(first) {
                assert!(h.contains(name), "{w} columns cut the name: {h}");
            }
            assert!(h.contains(" 5 P"), "{w} columns: {h}");
            assert!(!h.contains('…'), "{w} columns: {h}");
        }
        // Wide enough, it is shown.
        let h = header(&screen(&mut app, 200, 24));
        assert!(h.contains(name), "{h}");
    }
    // 80 to 110 columns: the short name goes whole, the five screens and the date stay.
    app.profile_view.profile.practice_name = "Harbour Counselling".into();
    for w in 80..=107u16 {
        let h = header(&screen(&mut app, w, 24));
        assert!(!h.contains("Harbour"), "{w}: {h}");
        assert!(
            h.contains(" 4 Reports ") && h.contains("Mon 23 Nov 2026"),
            "{w}: {h}"
        );
    }
}
