#![allow(clippy::unwrap_used, clippy::panic)]
//! What the practitioner reads: statuses, reasons and counts in words, never stored words.

mod tui_common;

use ratatui::crossterm::event::KeyCode;
use tui_common::{demo_app, keys, press, screen};

#[test]
fn history_tells_a_referral_in_words() {
    let mut app = demo_app(30);
    // Clients, the first one; end care: needs outside this practice's scope (3), a referral.
    keys(&mut app, "2D3");
    keys(&mut app, "Dr Lee");
    press(&mut app, KeyCode::Enter);
    keys(&mut app, "y");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Enter);
    for _ in 0..7 {
        keys(&mut app, "]");
    }
    let s = screen(&mut app, 120, 40);
    assert!(s.contains("History · newest first"), "{s}");
    assert!(
        s.contains("Care ended: referred out · needs outside this practice's scope · "),
        "{s}"
    );
    assert!(!s.contains("referred_out"), "{s}");
    assert!(!s.contains("needs_outside_scope"), "{s}");
    assert!(!s.contains("(s)"), "{s}");
}

#[test]
fn undoing_a_cancellation_says_it_was_reverted() {
    let mut app = demo_app(30);
    // Today's first session (09:00): cancel it (work), record anyway, then u.
    keys(&mut app, "c1x");
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 120, 40);
    assert!(s.contains("Late cancellation"), "{s}");
    keys(&mut app, "u");
    let m = app.message.clone().unwrap();
    assert!(m.text.contains("cancellation reverted"), "{}", m.text);
    // Marking it attended while cancelled reads as a sentence.
    keys(&mut app, "c1x");
    press(&mut app, KeyCode::Enter);
    keys(&mut app, "a");
    let m = app.message.clone().unwrap();
    assert!(
        m.text
            .contains("was a late cancellation, so it can't be marked attended"),
        "{}",
        m.text
    );
}

#[test]
fn the_summary_opens_again_from_the_client() {
    let mut app = demo_app(30);
    keys(&mut app, "2D3");
    keys(&mut app, "Dr Lee");
    press(&mut app, KeyCode::Enter);
    keys(&mut app, "y");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 120, 40);
    assert!(
        s.contains("Care ended     23 Nov 2026 · referred out · needs outside "),
        "{s}"
    );
    assert!(s.contains("Referred to    Dr Lee"), "{s}");
    assert!(s.contains("S shows the transition summary"), "{s}");
    keys(&mut app, "S");
    let s = screen(&mut app, 120, 40);
    assert!(s.contains("Transition summary · "), "{s}");
    let bar = s.lines().last().unwrap();
    assert!(bar.contains("w write page  Esc close"), "{bar}");
    assert!(!bar.contains("mark given"), "{bar}");
    // An active client has no summary yet, and is told why.
    let mut app = demo_app(30);
    keys(&mut app, "2");
    press(&mut app, KeyCode::Enter);
    keys(&mut app, "S");
    let m = app.message.clone().unwrap();
    assert!(m.text.contains("care has not ended"), "{}", m.text);
}
