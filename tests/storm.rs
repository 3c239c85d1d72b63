#![allow(clippy::unwrap_used, clippy::panic)]
//! A resize storm and a flood of random keys (control keys among them) on every screen of the
//! demo practice, in a pseudo-terminal: every screen reached, no panic, the terminal restored,
//! the file still passes `caseload check`, and in privacy mode no client's name on screen.
//! Every wait polls the screen; none is a fixed sleep.
//!
//! The keys are random but repeatable (a fixed seed; set `CASELOAD_STORM_SEED` to try another,
//! and `CASELOAD_STORM_KEYS` for a longer flood by hand).

mod common;

use std::time::{Duration, Instant};

/// The five screens: the key that opens each and a text only it shows.
const SCREENS: [(char, &str); 5] = [
    ('1', "Needs attention"),
    ('2', "Show:  Active"),
    ('3', "Agenda ·"),
    ('4', "Attendance ·"),
    ('5', "Practice profile"),
];

/// How long reaching a screen or quitting may take before the test fails with the screen.
const PATIENCE: Duration = Duration::from_secs(30);

/// Polls the screen for up to `for_at_most`; whether `pred` came true.
fn poll(pty: &Pty, for_at_most: Duration, pred: impl Fn(&str) -> bool) -> bool {
    let start = Instant::now();
    loop {
        if pred(&pty.screen()) {
            return true;
        }
        if start.elapsed() > for_at_most {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Out of whatever the flood left open (a dialog, a form, the lock screen), answering yes to
/// "discard?", until `done` holds for the screen after sending `then`.
fn escape_until(pty: &mut Pty, then: &str, what: &str, mut done: impl FnMut(&mut Pty) -> bool) {
    let deadline = Instant::now() + PATIENCE;
    // Each try presses Esc once more than the last: a flow of several steps (Esc goes back a
    // step, where the next key would choose again) is left in the end.
    let mut escapes = 0;
    loop {
        escapes += 1;
        for _ in 0..escapes {
            pty.esc();
            // A form with typing in it, or a questionnaire begun, asks before it is closed:
            // yes, let the noise go.
            if poll(pty, Duration::from_millis(300), |s| s.contains("y yes")) {
                pty.send("y");
                poll(pty, Duration::from_millis(300), |s| !s.contains("y yes"));
            }
        }
        pty.send(then);
        if done(pty) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "could not {what}; the screen shows:\n{}",
            pty.screen()
        );
    }
}

/// Client names (full, and family names as words) that show on `screen`.
fn leaked(screen: &str, names: &[String]) -> Vec<String> {
    let words: Vec<&str> = screen
        .split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
        .collect();
    let mut out = Vec::new();
    for full in names {
        if screen.contains(full.as_str()) {
            out.push(full.clone());
        }
        if let Some(family) = full.rsplit(' ').next()
            && family.chars().count() > 3
            && words.contains(&family)
        {
            out.push(family.to_string());
        }
    }
    out
}

use common::Sandbox;
use common::pty::Pty;

const NOW: &str = "2026-11-23 09:00";

/// One random key: printable characters (never `q`), arrows, Esc, Enter, Tab, Backspace, and
/// the control keys the app answers everywhere or in an editor: Ctrl-G (privacy, on and off,
/// in the privacy flood too), Ctrl-L (lock), Ctrl-S, Ctrl-O, Ctrl-E.
fn random_key(rng: &mut fastrand::Rng) -> String {
    const SPECIAL: &[&str] = &[
        "\x1b[A", "\x1b[B", "\x1b[C", "\x1b[D", "\x1b", "\r", "\t", "\x1b[Z", "\x7f", "\x07",
        "\x0c", "\x13", "\x0f", "\x05",
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

/// Waits until the screen has not changed for a quarter of a second (every key and resize
/// sent has been drawn); returns it.
fn settled(pty: &Pty) -> String {
    let start = Instant::now();
    let mut last = pty.screen();
    let mut since = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(20));
        let now = pty.screen();
        if now != last {
            last = now;
            since = Instant::now();
        } else if since.elapsed() >= Duration::from_millis(250) {
            return last;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "the screen never settled:\n{last}"
        );
    }
}

/// The screen as seen: each line without trailing blanks (a cell written blank and a cell never
/// written look the same).
fn seen(screen: &str) -> String {
    screen
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim_end()
        .to_string()
}

/// Whether the header says privacy mode is on (only a wide screen has room to say so).
fn privacy_on(screen: &str) -> bool {
    screen
        .lines()
        .next()
        .is_some_and(|l| l.contains(" privacy"))
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

/// Seed 4 once seemed to leave a stale screen after a resize. It was the test's screen model,
/// resized after the app had already drawn the new size (now resized first); kept as a
/// regression with every redraw compared against a fresh one.
#[test]
fn seed_4_redraws_every_resize_in_full() {
    storm(4, false);
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
    let names: Vec<String> = sb
        .json(&["client", "list", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    assert!(names.len() >= 40, "{names:?}");
    let first = pty.wait_for("caseload");
    assert_eq!(first.contains(" privacy "), privacy, "{first}");
    let mut sent = 0;
    let mut reached = Vec::new();
    let mut leaks = Vec::new();
    let mut private_checks = 0;
    let mut redraws = 0;
    for (screen, marker) in SCREENS {
        // Out of whatever the last flood left open, then to the screen, until it shows (wide
        // enough for the header to show " privacy " whatever the screen).
        pty.resize(140, 35);
        escape_until(
            &mut pty,
            &screen.to_string(),
            &format!("reach screen {screen}"),
            |p| poll(p, Duration::from_millis(500), |s| s.contains(marker)),
        );
        reached.push(screen);
        if privacy && !privacy_on(&pty.screen()) {
            // Ctrl-G in the last flood turned privacy off: on again, and it must say so.
            pty.send("\x07");
            assert!(
                poll(&pty, PATIENCE, privacy_on),
                "privacy did not come back on:\n{}",
                pty.screen()
            );
        }
        check_privacy(&pty, privacy, &names, &mut leaks, &mut private_checks);
        for i in 0..per_screen {
            pty.send(&random_key(&mut rng));
            sent += 1;
            if i % 12 == 0 {
                let (w, h) = random_size(&mut rng);
                // Now and then the screen after a resize is compared with the same size drawn
                // afresh (by way of a wide screen): a redraw that left cells of the old size
                // behind would differ.
                let compare = i % 36 == 0;
                if compare {
                    pty.resize(w, h);
                    let before = seen(&settled(&pty));
                    pty.resize(140, 35);
                    check_privacy(&pty, privacy, &names, &mut leaks, &mut private_checks);
                    pty.resize(w, h);
                    let after = seen(&settled(&pty));
                    assert_eq!(
                        before, after,
                        "seed {seed}: at {w}×{h} after {sent} keys the screen differs from a fresh \
                         draw of the same size"
                    );
                    redraws += 1;
                } else if privacy {
                    pty.resize(140, 35);
                    check_privacy(&pty, privacy, &names, &mut leaks, &mut private_checks);
                    pty.resize(w, h);
                } else {
                    pty.resize(w, h);
                }
            }
        }
        assert!(
            !pty.exited(),
            "the app ended during the flood on screen {screen}"
        );
        pty.resize(140, 35);
        check_privacy(&pty, privacy, &names, &mut leaks, &mut private_checks);
    }
    assert_eq!(reached, ['1', '2', '3', '4', '5'], "every screen reached");
    // Back to a comfortable size, out of every dialog, and quit with q.
    pty.resize(100, 30);
    let mut quit_tries = 0;
    escape_until(&mut pty, "q", "quit", |p| {
        quit_tries += 1;
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(1) {
            if p.exited() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    });
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
    assert!(
        leaks.is_empty(),
        "client names showed in privacy mode: {leaks:?}"
    );
    assert!(redraws >= 10, "only {redraws} redraws compared");
    if privacy {
        assert!(
            private_checks >= 20,
            "only {private_checks} screens checked with privacy on"
        );
    }
    eprintln!(
        "storm (seed {seed}): {sent} keys on 5 screens, {redraws} redraws compared, \
         {private_checks} private screens checked, quit after {quit_tries} tries, {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// In the privacy storm, once the screen has settled: if the header says privacy is on, no
/// client's name may show (after Ctrl-G turned it off, names may).
fn check_privacy(
    pty: &Pty,
    privacy: bool,
    names: &[String],
    leaks: &mut Vec<String>,
    checks: &mut usize,
) {
    if !privacy {
        return;
    }
    let s = settled(pty);
    if privacy_on(&s) {
        *checks += 1;
        for l in leaked(&s, names) {
            leaks.push(format!("{l} on:\n{s}"));
        }
    }
}
