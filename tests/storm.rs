#![allow(clippy::unwrap_used, clippy::panic)]
//! A resize storm and a flood of random keys on every screen of the demo practice, in a
//! pseudo-terminal: no panic, the terminal restored, and the file still passes `caseload check`.
//!
//! The keys are random but repeatable (a fixed seed; set `CASELOAD_STORM_SEED` to try another,
//! and `CASELOAD_STORM_KEYS` for a longer flood by hand).

mod common;

use std::time::{Duration, Instant};

use common::Sandbox;
use common::pty::Pty;

const NOW: &str = "2026-11-23 09:00";

/// One random key: printable characters (never `q`), arrows, Esc, Enter, Tab, Backspace.
fn random_key(rng: &mut fastrand::Rng) -> String {
    const SPECIAL: &[&str] = &[
        "\x1b[A", "\x1b[B", "\x1b[C", "\x1b[D", "\x1b", "\r", "\t", "\x1b[Z", "\x7f",
    ];
    if rng.u8(..4) == 0 {
        return SPECIAL[rng.usize(..SPECIAL.len())].to_string();
    }
    loop {
        let c = char::from(rng.u8(0x20..0x7f));
        if c != 'q' {
            return c.to_string();
        }
    }
}

fn random_size(rng: &mut fastrand::Rng) -> (u16, u16) {
    match rng.u8(..4) {
        0 => (10, 3),
        1 => (rng.u16(10..60), rng.u16(3..16)),
        2 => (rng.u16(60..120), rng.u16(16..40)),
        _ => (rng.u16(120..220), rng.u16(40..70)),
    }
}

#[test]
fn a_storm_of_keys_and_resizes_breaks_nothing() {
    storm(8, false);
}

/// The same in privacy mode (every frame rewritten), from the setting in config.toml.
#[test]
fn a_storm_in_privacy_mode_breaks_nothing() {
    storm(21, true);
}

fn storm(default_seed: u64, privacy: bool) {
    let started = Instant::now();
    let sb = Sandbox::new();
    sb.ok(&["demo", "--clients", "40"]);
    if privacy {
        std::fs::create_dir_all(sb.path().join("config/caseload")).unwrap();
        std::fs::write(
            sb.path().join("config/caseload/config.toml"),
            "privacy = true\n",
        )
        .unwrap();
    }
    let seed: u64 = std::env::var("CASELOAD_STORM_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default_seed);
    let per_screen: usize = std::env::var("CASELOAD_STORM_KEYS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100);
    let mut rng = fastrand::Rng::with_seed(seed);
    let db = sb.db();
    let data = sb.path().join("data");
    let config = sb.path().join("config");
    let mut pty = Pty::spawn(
        &["--db", db.to_str().unwrap(), "--now", NOW],
        &[
            ("XDG_DATA_HOME", data.to_str().unwrap()),
            ("XDG_CONFIG_HOME", config.to_str().unwrap()),
            ("HOME", sb.path().to_str().unwrap()),
            ("NO_COLOR", "1"),
            // Should a key ever ask for an editor, it returns at once.
            ("EDITOR", "true"),
            ("VISUAL", "true"),
        ],
        100,
        30,
    );
    let first = pty.wait_for("caseload");
    assert_eq!(first.contains(" privacy "), privacy, "{first}");
    let mut sent = 0;
    for screen in ['1', '2', '3', '4', '5'] {
        // Out of whatever dialog the last flood left open, then to the screen.
        for _ in 0..3 {
            pty.esc();
            std::thread::sleep(Duration::from_millis(30));
        }
        pty.send(&screen.to_string());
        for i in 0..per_screen {
            pty.send(&random_key(&mut rng));
            sent += 1;
            if i % 12 == 0 {
                let (w, h) = random_size(&mut rng);
                pty.resize(w, h);
            }
        }
        assert!(
            !pty.exited(),
            "the app ended during the flood on screen {screen}"
        );
    }
    // Back to a comfortable size, out of every dialog, and quit with q.
    pty.resize(100, 30);
    let mut quit_tries = 0;
    let deadline = Instant::now() + Duration::from_secs(10);
    while !pty.exited() {
        assert!(
            Instant::now() < deadline,
            "the app did not quit; it shows:\n{}",
            pty.screen()
        );
        for _ in 0..3 {
            pty.esc();
            std::thread::sleep(Duration::from_millis(60));
            // A form with typing in it, or a questionnaire begun, asks before it is closed:
            // yes, let the noise go.
            if pty.screen().contains("y yes") {
                pty.send("y");
                std::thread::sleep(Duration::from_millis(60));
            }
        }
        pty.send("q");
        quit_tries += 1;
        std::thread::sleep(Duration::from_millis(300));
    }
    let end = pty.finish_full();
    let raw = String::from_utf8_lossy(&end.raw);
    assert!(!raw.contains("panicked"), "the app panicked:\n{raw}");
    assert_eq!(
        end.code, 0,
        "exit code; the terminal shows:\n{}",
        end.screen
    );
    assert!(!end.alternate_screen, "still on the alternate screen");
    assert!(
        raw.contains("\x1b[?1049l"),
        "the alternate screen was never left"
    );
    assert!(
        !end.screen.contains("caseload ·"),
        "the app's screen is still showing:\n{}",
        end.screen
    );
    let check = sb.run(&["check"]);
    assert!(
        check.status.success(),
        "caseload check failed after the storm:\n{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    eprintln!(
        "storm: {sent} keys on 5 screens, quit after {quit_tries} tries, {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
