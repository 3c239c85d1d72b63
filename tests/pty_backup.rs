#![allow(clippy::unwrap_used, clippy::panic)]
//! End to end: the daily backup is made after the first frame is on screen, its progress and
//! result show in the status line, and quitting while it is being made leaves nothing behind.

mod common;

use common::Sandbox;
use common::pty::Pty;

fn spawn(s: &Sandbox) -> Pty {
    let db = s.db().display().to_string();
    let data = s.path().join("data").display().to_string();
    let config = s.path().join("config").display().to_string();
    let home = s.path().display().to_string();
    let env = [
        ("XDG_DATA_HOME", data.as_str()),
        ("XDG_CONFIG_HOME", config.as_str()),
        ("HOME", home.as_str()),
        ("NO_COLOR", "1"),
    ];
    Pty::spawn(&["--db", &db, "--now", "2026-11-23 09:00"], &env, 120, 32)
}

/// A practice with one client, made big enough (some hundreds of MB) that copying it takes a
/// while.
fn big_practice(s: &Sandbox) {
    s.ok(&["client", "add", "--name", "Tom Berg"]);
    let conn = rusqlite::Connection::open(s.db()).unwrap();
    conn.execute_batch("CREATE TABLE padding (b BLOB NOT NULL)")
        .unwrap();
    for _ in 0..24 {
        conn.execute(
            "INSERT INTO padding (b) VALUES (randomblob(16 * 1024 * 1024))",
            [],
        )
        .unwrap();
    }
}

/// Everything in the backups folder beside the practice (none when there is no folder).
fn backups(s: &Sandbox) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(s.path().join("backups")) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn the_first_frame_is_drawn_while_the_daily_backup_is_made() {
    let s = Sandbox::new();
    big_practice(&s);
    let mut app = spawn(&s);
    // Today is already on screen while the status line says the backup is being made.
    let screen = app.wait_for("Making today's backup");
    assert!(
        screen.contains("No sessions booked on this day."),
        "{screen}"
    );
    app.wait_for("Today's backup was saved to");
    let made = backups(&s);
    assert_eq!(made.len(), 1, "{made:?}");
    assert!(made[0].ends_with(".db"), "{made:?}");
    assert!(!made[0].starts_with('.'), "{made:?}");
    app.send("q");
    assert_eq!(app.finish(), 0);
}

#[test]
fn quitting_while_the_backup_is_made_leaves_nothing_behind() {
    let s = Sandbox::new();
    big_practice(&s);
    let mut app = spawn(&s);
    app.wait_for("Making today's backup");
    app.send("q");
    assert_eq!(app.finish(), 0);
    let left: Vec<String> = backups(&s)
        .into_iter()
        .filter(|n| n.starts_with('.') || n.ends_with(".tmp"))
        .collect();
    assert_eq!(left, Vec::<String>::new());
}
