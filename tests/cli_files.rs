#![allow(clippy::unwrap_used, clippy::panic)]
//! Every file a user names: private whatever the umask, replaced only with --force, never through
//! a symbolic link, and a device or FIFO written to rather than replaced. Then the calendar,
//! parsed back.

mod common;

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Output;

use common::Sandbox;
use icalendar::{Component, EventLike};

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// A practice with two clients and a few sessions.
fn practice() -> Sandbox {
    let s = Sandbox::new();
    s.ok(&["client", "add", "--name", "Maria Lopez"]);
    s.ok(&["client", "add", "--name", "Tom Berg"]);
    s.ok(&[
        "session",
        "add",
        "--client",
        "1",
        "--at",
        "2026-11-24 10:00",
        "--weekly",
        "3",
        "--modality",
        "video",
    ]);
    s.book("2", "2026-11-25 11:00");
    s
}

/// Runs the binary under a umask (through sh, so the umask is the process's own).
fn run_umask(s: &Sandbox, umask: &str, args: &[&str]) -> Output {
    let c = s.cmd();
    let mut sh = std::process::Command::new("sh");
    sh.arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
        .arg(c.get_program());
    sh.args(c.get_args()).args(args);
    for (k, v) in c.get_envs() {
        match v {
            Some(v) => sh.env(k, v),
            None => sh.env_remove(k),
        };
    }
    sh.output().unwrap()
}

/// Each command that writes a file the user names, with `-o` last.
fn writers() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("cal.ics", vec!["calendar", "--from", "2026-11-01", "-o"]),
        (
            "handout.html",
            vec!["handout", "--client", "1", "--format", "html", "-o"],
        ),
        ("summary.md", vec!["summary", "1", "-o"]),
        ("export.json", vec!["export", "-o"]),
        ("dictionary.txt", vec!["export", "--dictionary", "-o"]),
        ("caseload.1", vec!["man", "-o"]),
    ]
}

#[test]
fn every_writer_makes_private_files_and_folders_whatever_the_umask() {
    let s = practice();
    for umask in ["000", "022"] {
        for (name, args) in writers() {
            let path = s.path().join(format!("u{umask}/new/{name}"));
            let mut a = args.clone();
            let p = path.to_str().unwrap().to_string();
            a.push(&p);
            let out = run_umask(&s, umask, &a);
            assert!(
                out.status.success(),
                "{a:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(mode(&path), 0o600, "{name} under umask {umask}");
            assert_eq!(mode(path.parent().unwrap()), 0o700, "{name}'s folder");
            assert_eq!(
                mode(path.parent().unwrap().parent().unwrap()),
                0o700,
                "{name}'s folder's folder"
            );
        }
        // The CSV export: a folder of files.
        let dir = s.path().join(format!("u{umask}/csv/tables"));
        let out = run_umask(
            &s,
            umask,
            &["export", "--format", "csv", "-o", dir.to_str().unwrap()],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(dir.parent().unwrap()), 0o700);
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            assert_eq!(mode(&f), 0o600, "{} under umask {umask}", f.display());
        }
    }
}

#[test]
fn an_existing_file_is_kept_unless_force_and_then_replaced_private() {
    let s = practice();
    for (name, args) in writers() {
        let path = s.path().join(name);
        std::fs::write(&path, "precious").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let p = path.to_str().unwrap().to_string();
        let mut a = args.clone();
        a.push(&p);
        let err = s.fails(&a, 1);
        assert!(err.contains("already exists"), "{name}: {err}");
        assert!(err.contains("--force"), "{name}: {err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "precious");
        a.push("--force");
        s.ok(&a);
        assert_ne!(std::fs::read_to_string(&path).unwrap(), "precious");
        assert_eq!(mode(&path), 0o600, "{name} replaced");
    }
}

#[test]
fn a_symlink_is_refused_and_what_it_points_at_is_untouched() {
    let s = practice();
    let real = s.path().join("real.txt");
    std::fs::write(&real, "precious").unwrap();
    for (name, args) in writers() {
        let link = s.path().join(name);
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let p = link.to_str().unwrap().to_string();
        let mut a = args.clone();
        a.push(&p);
        a.push("--force");
        let err = s.fails(&a, 1);
        assert!(err.contains("symbolic link"), "{name}: {err}");
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "precious");
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    }
}

#[test]
fn dev_null_stays_a_device_and_a_fifo_is_written_to() {
    let s = practice();
    for (_, args) in writers() {
        let mut a = args.clone();
        a.push("/dev/null");
        s.ok(&a);
        assert!(
            std::fs::metadata("/dev/null")
                .unwrap()
                .file_type()
                .is_char_device()
        );
    }
    // A FIFO: a reader on the other end gets the calendar, and the FIFO stays a FIFO.
    let fifo = s.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = {
        let f = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(f).unwrap())
    };
    s.ok(&[
        "calendar",
        "--from",
        "2026-11-01",
        "-o",
        fifo.to_str().unwrap(),
    ]);
    let got = reader.join().unwrap();
    assert!(got.starts_with("BEGIN:VCALENDAR\r\n"), "{got}");
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
}

#[test]
fn dev_stdout_writes_to_standard_output() {
    let s = practice();
    let out = s.ok(&["calendar", "--from", "2026-11-01", "-o", "/dev/stdout"]);
    assert!(out.starts_with("BEGIN:VCALENDAR\r\n"), "{out}");
    assert!(out.contains("UID:session-1@caseload"));
}

#[test]
fn a_folder_at_the_path_is_refused() {
    let s = practice();
    let err = s.fails(&["calendar", "-o", s.path().to_str().unwrap()], 1);
    assert!(err.contains("is a folder"), "{err}");
}

#[test]
fn restore_never_turns_a_device_into_a_file() {
    let s = practice();
    let backup = s.path().join("b.db");
    s.ok(&["backup", backup.to_str().unwrap()]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
        .env("XDG_DATA_HOME", s.path().join("data"))
        .env_remove("CASELOAD_DB")
        .args(["--db", "/dev/null", "restore", backup.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/dev/null is a device"), "{err}");
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    // A FIFO is refused and stays a FIFO.
    let fifo = s.path().join("fifo.db");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
        .env("XDG_DATA_HOME", s.path().join("data"))
        .env_remove("CASELOAD_DB")
        .args(["--db", fifo.to_str().unwrap(), "restore"])
        .arg(&backup)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is a FIFO (named pipe), not a plain file"),
        "{err}"
    );
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    // A practice file reached through a link: the real file is restored, the link kept.
    let link: PathBuf = s.path().join("link.db");
    std::os::unix::fs::symlink(s.db(), &link).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
        .env("XDG_DATA_HOME", s.path().join("data"))
        .env_remove("CASELOAD_DB")
        .args(["--db", link.to_str().unwrap(), "restore"])
        .arg(&backup)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert!(std::fs::symlink_metadata(s.db()).unwrap().is_file());
}

/// Runs with the clock at `now` instead of the sandbox's; expects success.
fn ok_at(s: &Sandbox, now: &str, args: &[&str]) -> String {
    let c = s.cmd();
    let mut cmd = std::process::Command::new(c.get_program());
    for (k, v) in c.get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let out = cmd
        .arg("--db")
        .arg(s.db())
        .args(["--now", now])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

// ---- the calendar, parsed back -------------------------------------------------------------

fn parse(text: &str) -> icalendar::Calendar {
    text.parse().unwrap()
}

fn event<'a>(cal: &'a icalendar::Calendar, uid: &str) -> &'a icalendar::Event {
    cal.events()
        .find(|e| e.get_uid() == Some(uid))
        .unwrap_or_else(|| panic!("no event {uid}"))
}

#[test]
fn calendar_names_caseload_and_sequence_bumps_only_on_real_changes() {
    let s = practice();
    let cal_now = || s.ok(&["calendar", "--from", "2026-11-01"]);
    let first = cal_now();
    let version = env!("CARGO_PKG_VERSION");
    assert!(first.contains(&format!("PRODID:-//caseload//caseload {version}//EN\r\n")));
    let cal = parse(&first);
    let e = event(&cal, "session-1@caseload");
    assert_eq!(e.property_value("SEQUENCE"), Some("0"));
    // DTSTAMP is the export's moment in UTC: the fixed clock, 09:00 local time here.
    use chrono::TimeZone;
    let stamp = chrono::Local
        .with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
        .unwrap()
        .with_timezone(&chrono::Utc)
        .format("%Y%m%dT%H%M%SZ")
        .to_string();
    assert_eq!(e.property_value("DTSTAMP"), Some(stamp.as_str()));
    assert!(e.property_value("LAST-MODIFIED").is_some());
    // Marking the outcome the same twice and listing change nothing; moving it bumps once.
    ok_at(
        &s,
        "2026-11-24 12:00",
        &["session", "mark", "1", "attended"],
    );
    ok_at(
        &s,
        "2026-11-24 12:00",
        &["session", "mark", "1", "attended"],
    );
    let after_mark = parse(&cal_now());
    assert_eq!(
        event(&after_mark, "session-1@caseload").property_value("SEQUENCE"),
        Some("1")
    );
    assert_eq!(
        event(&after_mark, "session-2@caseload").property_value("SEQUENCE"),
        Some("0"),
        "another session is untouched"
    );
    s.ok(&["session", "edit", "2", "--at", "2026-12-01 15:00"]);
    let moved = parse(&cal_now());
    let e2 = event(&moved, "session-2@caseload");
    assert_eq!(e2.property_value("SEQUENCE"), Some("1"));
    assert_eq!(e2.property_value("DTSTART"), Some("20261201T150000"));
}

#[test]
fn cancelled_sessions_say_so_in_the_summary_or_are_left_out() {
    let s = practice();
    s.ok(&[
        "session",
        "cancel",
        "4",
        "--by",
        "practitioner",
        "--reason",
        "own_illness",
    ]);
    let cal = parse(&s.ok(&["calendar", "--from", "2026-11-01"]));
    let e = event(&cal, "session-4@caseload");
    assert_eq!(
        e.get_summary(),
        Some("Cancelled · Session · T.B. · in person")
    );
    assert_eq!(e.property_value("STATUS"), Some("CANCELLED"));
    assert_eq!(
        event(&cal, "session-1@caseload").get_summary(),
        Some("Session · M.L. · video")
    );
    let without = parse(&s.ok(&["calendar", "--from", "2026-11-01", "--no-cancelled"]));
    let uids: Vec<&str> = without.events().filter_map(|e| e.get_uid()).collect();
    assert_eq!(
        uids,
        vec![
            "session-1@caseload",
            "session-2@caseload",
            "session-3@caseload"
        ]
    );
}

#[test]
fn reminders_add_one_display_alarm_each() {
    let s = practice();
    let text = s.ok(&[
        "calendar",
        "--from",
        "2026-11-01",
        "--remind",
        "24h",
        "--remind",
        "15m",
    ]);
    let cal = parse(&text);
    let e = event(&cal, "session-1@caseload");
    let alarms: Vec<_> = e
        .components()
        .iter()
        .filter(|c| c.component_kind() == "VALARM")
        .collect();
    assert_eq!(alarms.len(), 2);
    assert_eq!(alarms[0].property_value("ACTION"), Some("DISPLAY"));
    assert_eq!(alarms[0].property_value("TRIGGER"), Some("-P1D"));
    assert_eq!(alarms[1].property_value("TRIGGER"), Some("-PT15M"));
    assert_eq!(
        text.matches("BEGIN:VALARM").count(),
        8,
        "two on each of 4 events"
    );
    let err = s.fails(&["calendar", "--remind", "soon"], 2);
    assert!(err.contains("not a reminder time"), "{err}");
}

#[test]
fn a_clients_calendar_holds_only_their_coming_sessions_and_the_practice() {
    let s = practice();
    s.ok(&[
        "practice",
        "set",
        "--practice-name",
        "Harbour Counselling",
        "--phone",
        "555 0100",
    ]);
    {
        // The video link is set in the app's practice settings.
        let mut store = caseload::store::Store::open(&s.db()).unwrap();
        let mut settings = store.practice_settings().unwrap();
        settings.video_link = "https://meet.example/harbour".into();
        store.set_practice_settings(&settings).unwrap();
    }
    let out = s.path().join("maria.ics");
    ok_at(
        &s,
        "2026-11-30 12:00",
        &[
            "calendar",
            "--client",
            "1",
            "--remind",
            "1d",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let cal = parse(&text);
    let uids: Vec<&str> = cal.events().filter_map(|e| e.get_uid()).collect();
    // Session 1 (24 Nov) is past; 2 (1 Dec) and 3 (8 Dec) are Maria's; 4 is Tom's.
    assert_eq!(uids, vec!["session-2@caseload", "session-3@caseload"]);
    assert!(!text.contains("Tom") && !text.contains("T.B."), "{text}");
    let e = event(&cal, "session-2@caseload");
    let desc = e.get_description().unwrap();
    assert!(desc.contains("Harbour Counselling"), "{desc}");
    assert!(desc.contains("555 0100"), "{desc}");
    assert!(desc.contains("https://meet.example/harbour"), "{desc}");
    assert_eq!(e.get_location(), Some("https://meet.example/harbour"));
    assert!(text.contains("TRIGGER:-P1D"));
}

#[test]
fn a_bare_cr_in_a_name_cannot_break_a_line() {
    let s = Sandbox::new();
    s.ok(&["client", "add", "--name", "Eve Smith"]);
    s.book("1", "2026-11-24 10:00");
    // Names are checked on the way in today; an older file or an import may still hold one.
    let conn = rusqlite::Connection::open(s.db()).unwrap();
    conn.execute(
        "UPDATE clients SET name = 'Eve' || char(13) || 'X-EVIL:1 Smith'",
        [],
    )
    .unwrap();
    drop(conn);
    let text = s.ok(&["calendar", "--full-names"]);
    assert!(!text.contains("\rX-EVIL"), "{text:?}");
    for line in text.split("\r\n") {
        assert!(!line.contains('\r'), "bare CR in {line:?}");
    }
    let cal = parse(&text);
    assert_eq!(
        event(&cal, "session-1@caseload").get_summary(),
        Some("Session · Eve\nX-EVIL:1 Smith · in person")
    );
}

// ---- CSV ---------------------------------------------------------------------------------

#[test]
fn csv_cells_that_would_run_as_formulas_get_a_quote_unless_raw() {
    let s = Sandbox::new();
    s.ok(&["client", "add", "--name", "=HYPERLINK(\"http://x\",\"y\")"]);
    s.ok(&[
        "client",
        "add",
        "--name",
        "Ana Diaz",
        "--phone",
        "+64 21 555",
    ]);
    let dir = s.path().join("csv");
    s.ok(&["export", "--format", "csv", "-o", dir.to_str().unwrap()]);
    let clients = std::fs::read_to_string(dir.join("clients.csv")).unwrap();
    assert!(
        clients.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        "{clients}"
    );
    assert!(clients.contains(",'+64 21 555,"), "{clients}");
    assert!(clients.contains(",Ana Diaz,"), "{clients}");
    assert!(!clients.starts_with('\u{feff}'));
    assert_eq!(mode(&dir.join("clients.csv")), 0o600);
    assert_eq!(mode(&dir), 0o700);

    // Again into the same folder: refused without --force, nothing changed.
    let before = std::fs::read(dir.join("clients.csv")).unwrap();
    let err = s.fails(
        &[
            "export",
            "--format",
            "csv",
            "-o",
            dir.to_str().unwrap(),
            "--raw",
        ],
        1,
    );
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read(dir.join("clients.csv")).unwrap(), before);

    s.ok(&[
        "export",
        "--format",
        "csv",
        "-o",
        dir.to_str().unwrap(),
        "--raw",
        "--bom",
        "--force",
    ]);
    let raw = std::fs::read_to_string(dir.join("clients.csv")).unwrap();
    assert!(raw.starts_with("\u{feff}id,"), "{raw}");
    assert!(raw.contains("\"=HYPERLINK("), "{raw}");
    assert!(raw.contains(",+64 21 555,"), "{raw}");
    s.fails(&["export", "--raw"], 2);
}
