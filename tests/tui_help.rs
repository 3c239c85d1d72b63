#![allow(clippy::unwrap_used, clippy::panic)]
//! The `?` help: the keys that work everywhere first, and where it is when it scrolls.

mod tui_common;

use tui_common::{demo_app, press, screen};

use ratatui::crossterm::event::KeyCode;

#[test]
fn help_lists_the_keys_that_work_everywhere_first() {
    let mut app = demo_app(10);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('?'));
    let s = screen(&mut app, 120, 40);
    assert!(s.contains("Lock the screen"), "{s}");
    assert!(s.contains("Privacy: client names"), "{s}");
    let everywhere = s.find("Lock the screen").unwrap();
    let here = s.find("Filter").unwrap_or(usize::MAX);
    assert!(
        everywhere < here,
        "the keys for everywhere come first:\n{s}"
    );
    insta::assert_snapshot!(s);
}

#[test]
fn help_that_scrolls_shows_where_it_is() {
    let mut app = demo_app(10);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('?'));
    let s = screen(&mut app, 80, 24);
    let top = s
        .lines()
        .find(|l| l.contains("Keys ·"))
        .unwrap()
        .to_string();
    assert!(top.contains("Keys · 1–19 of "), "{top}");
    assert!(top.contains("j/k scroll"), "{top}");
    for _ in 0..3 {
        press(&mut app, KeyCode::Char('j'));
    }
    let s = screen(&mut app, 80, 24);
    let top = s
        .lines()
        .find(|l| l.contains("Keys ·"))
        .unwrap()
        .to_string();
    assert!(top.contains("Keys · 4–22 of "), "{top}");
    // Scrolling far past the end stops at the last page; one k moves back at once.
    for _ in 0..200 {
        press(&mut app, KeyCode::Char('j'));
    }
    let end = screen(&mut app, 80, 24);
    press(&mut app, KeyCode::Char('k'));
    let back = screen(&mut app, 80, 24);
    assert_ne!(end, back, "k moves back from the end at once");
    insta::assert_snapshot!(end);
}
