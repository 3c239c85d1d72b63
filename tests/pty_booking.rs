#![allow(clippy::unwrap_used, clippy::panic)]
//! End to end: booking a weekly series for a new client from the keyboard, a clash resolved
//! from the clash box, and the keys it takes counted.

mod common;

use common::Sandbox;
use common::pty::Pty;

fn spawn(s: &Sandbox, cols: u16, rows: u16) -> Pty {
    let db = s.db().display().to_string();
    let data = s.path().join("data").display().to_string();
    let config = s.path().join("config").display().to_string();
    let home = s.path().display().to_string();
    let e = [
        ("XDG_DATA_HOME", data.as_str()),
        ("XDG_CONFIG_HOME", config.as_str()),
        ("HOME", home.as_str()),
    ];
    Pty::spawn(&["--db", &db, "--now", "2026-11-23 09:00"], &e, cols, rows)
}

/// Key presses sent, one per call (a typed word counts a key per character).
struct Keys {
    app: Pty,
    count: usize,
}

impl Keys {
    fn press(&mut self, key: &str) {
        self.app.send(key);
        self.count += 1;
    }

    fn typ(&mut self, text: &str) {
        for c in text.chars() {
            self.press(&c.to_string());
        }
    }
}

#[test]
fn a_weekly_series_with_a_clash_is_booked_in_twenty_keys() {
    let s = Sandbox::new();
    s.ok(&["client", "add", "--name", "Tom Berg"]);
    s.ok(&[
        "session",
        "add",
        "--client",
        "1",
        "--at",
        "2026-11-30 14:00",
        "--weekly",
        "3",
    ]);
    s.ok(&["client", "add", "--name", "Ada Quist"]);
    let app = spawn(&s, 100, 32);
    app.wait_for("Today");
    let mut k = Keys { app, count: 0 };
    k.press("3");
    k.app.wait_for("Agenda ·");
    k.press("a");
    k.typ("ada");
    k.press("\r");
    k.app.wait_for("Book · Ada Quist");
    k.typ("+7"); // replaces the pre-filled date
    k.press("\t");
    k.typ("14:00"); // replaces the pre-filled time
    k.press("\t");
    k.press("\t");
    k.press("\t");
    k.press("\x1b[C"); // Repeat: weekly
    k.app.wait_for("Weekly");
    k.press("\r");
    // The box arrives over several reads: wait for its last line, then read the whole of it.
    let screen = k.app.wait_for("2  Mon 30 Nov 2026 13:00");
    assert!(screen.contains("This overlaps other sessions"), "{screen}");
    assert!(screen.contains("3 of the series overlap"), "{screen}");
    assert!(
        screen.contains("Mon 14 Dec 2026 14:00  Tom Berg"),
        "{screen}"
    );
    assert!(screen.contains("2  Mon 30 Nov 2026 13:00"), "{screen}");
    k.press("2");
    k.app.wait_for("Booked 6 sessions from Mon 30 Nov 13:00");
    assert_eq!(k.count, 20, "keys from Today to the series booked");
    k.app.send("q");
    assert_eq!(k.app.finish(), 0);

    let list = s.json(&["session", "list", "--client", "2", "--json"]);
    let starts: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["starts_at"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        starts,
        [
            "2026-11-30T13:00",
            "2026-12-07T13:00",
            "2026-12-14T13:00",
            "2026-12-21T13:00",
            "2026-12-28T13:00",
            "2027-01-04T13:00"
        ]
    );
}
