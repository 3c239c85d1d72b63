#![allow(clippy::unwrap_used, clippy::panic)]
//! The latency a practitioner meets: the real release binary in a pseudo-terminal on the
//! 20-year demo, time from a key to the last byte of the frame it causes, per key, and the first
//! start of the day (a copy of the practice with no backups yet). Run by hand, never in CI:
//!
//!     cargo bench --bench latency
//!
//! Settings (environment):
//! - `CASELOAD_LATENCY_DB`: the practice to copy (default `target/latency/practice.db`, written
//!   once with `caseload demo --clients 2000 --months 240 --seed 1` and kept).
//! - `CASELOAD_BIN`: another build of caseload to measure (to compare before and after).
//! - `CASELOAD_LATENCY_ROUNDS`: presses of each key (default 20); `CASELOAD_LATENCY_STARTS`:
//!   first starts (default 3).
//!
//! A key's latency is the time from writing it to the pty to the last byte the app writes before
//! it goes quiet for `QUIET`; a key that changes nothing on screen within `FIRST_BYTE` counts 0. Prints p50 / p99 /
//! max per key in milliseconds, as a Markdown table for the README.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// The app is taken to have finished a frame when it writes nothing for this long.
const QUIET: Duration = Duration::from_millis(150);
/// How long a key may take to its first byte before it counts as changing nothing.
const FIRST_BYTE: Duration = Duration::from_millis(2000);
/// A start is settled when the app writes nothing for this long.
const SETTLED: Duration = Duration::from_millis(1500);
/// The binary measured: this build's, or `CASELOAD_BIN` (to compare with another build).
fn bin() -> String {
    std::env::var("CASELOAD_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_caseload").to_string())
}
const NOW: &str = "2026-11-20 09:00";
const COLS: u16 = 140;
const ROWS: u16 = 45;

struct Out {
    /// (when, bytes) for every read from the pty.
    chunks: Vec<(Instant, usize)>,
    /// When the screen first showed text.
    first_text: Option<Instant>,
    parser: vt100::Parser,
}

struct App {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    out: Arc<Mutex<Out>>,
    reader: Option<std::thread::JoinHandle<()>>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl App {
    fn start(db: &Path, home: &Path) -> (App, Instant) {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(bin());
        cmd.args(["--db", &db.display().to_string(), "--now", NOW]);
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", home);
        cmd.env("XDG_DATA_HOME", home.join("data"));
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env_remove("CASELOAD_DB");
        let out = Arc::new(Mutex::new(Out {
            chunks: Vec::new(),
            first_text: None,
            parser: vt100::Parser::new(
                NonZeroU16::new(ROWS).unwrap(),
                NonZeroU16::new(COLS).unwrap(),
                0,
            ),
        }));
        let t0 = Instant::now();
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let o = Arc::clone(&out);
        let handle = std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let now = Instant::now();
                        let mut o = o.lock().unwrap();
                        o.chunks.push((now, n));
                        o.parser.process(&buf[..n]);
                        if o.first_text.is_none() && o.parser.screen().contents().trim().len() > 20
                        {
                            o.first_text = Some(now);
                        }
                    }
                }
            }
        });
        (
            App {
                child,
                writer,
                out,
                reader: Some(handle),
                _master: pair.master,
            },
            t0,
        )
    }

    /// Waits (up to a minute) for the screen to show text; returns when it first did.
    fn first_text(&self, since: Instant) -> Option<Instant> {
        while since.elapsed() < Duration::from_secs(60) {
            if let Some(t) = self.out.lock().unwrap().first_text {
                return Some(t);
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        None
    }

    fn screen(&self) -> String {
        self.out.lock().unwrap().parser.screen().contents()
    }

    /// Waits until nothing has been written for `quiet`; returns the time of the last byte
    /// written after `since`, if any.
    fn settle(&self, since: Instant, quiet: Duration) -> Option<Instant> {
        let deadline = since + Duration::from_secs(60);
        loop {
            std::thread::sleep(Duration::from_millis(5));
            let last = {
                let o = self.out.lock().unwrap();
                o.chunks.last().map(|(t, _)| *t).filter(|t| *t >= since)
            };
            let now = Instant::now();
            // Before the first byte, wait up to `FIRST_BYTE`: a slow key is slow, not silent.
            let done = match last {
                Some(t) => now.duration_since(t) >= quiet,
                None => now.duration_since(since) >= FIRST_BYTE.max(quiet),
            };
            if done || now > deadline {
                return last;
            }
        }
    }

    /// Presses a key and returns the time to the last byte of what it caused (0 when nothing).
    fn press(&mut self, key: &str) -> Duration {
        let t0 = Instant::now();
        self.writer.write_all(key.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        self.settle(t0, QUIET)
            .map(|t| t.duration_since(t0))
            .unwrap_or_default()
    }

    fn quit(mut self) {
        let _ = self.writer.write_all(b"q");
        let _ = self.writer.flush();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        drop(self.writer);
        drop(self._master);
        if let Some(h) = self.reader.take() {
            let _ = h.join();
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn practice() -> PathBuf {
    if let Some(p) = std::env::var_os("CASELOAD_LATENCY_DB") {
        return PathBuf::from(p);
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/latency");
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("practice.db");
    if !db.exists() {
        eprintln!(
            "Writing the 20-year demo practice to {} (once)…",
            db.display()
        );
        let ok = Command::new(bin())
            .args(["--db", &db.display().to_string(), "demo"])
            .args(["--clients", "2000", "--months", "240", "--seed", "1"])
            .status()
            .unwrap()
            .success();
        assert!(ok, "the demo practice could not be written");
    }
    // Bring it to this build's schema once, so no round pays for a migration.
    let ok = Command::new(bin())
        .args(["--db", &db.display().to_string(), "check"])
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap()
        .success();
    assert!(ok, "caseload check failed on {}", db.display());
    db
}

fn env_n(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A fresh copy of the practice, with no backups beside it.
fn copy(db: &Path, dir: &Path) -> PathBuf {
    let to = dir.join("practice.db");
    let _ = std::fs::remove_dir_all(dir.join("backups"));
    std::fs::copy(db, &to).unwrap();
    for side in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("practice.db{side}")));
    }
    to
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!(
            "latency: run by hand with `cargo bench --bench latency` (not part of the tests)."
        );
        return;
    }
    let db = practice();
    let rounds = env_n("CASELOAD_LATENCY_ROUNDS", 20);
    let starts = env_n("CASELOAD_LATENCY_STARTS", 3);
    let dir = tempfile::tempdir().unwrap();
    let mut rows: Vec<(String, Vec<Duration>)> = Vec::new();

    // The first start of the day: a copy with no backups yet.
    let (mut first, mut settled) = (Vec::new(), Vec::new());
    for _ in 0..starts {
        let file = copy(&db, dir.path());
        let (app, t0) = App::start(&file, dir.path());
        let f = app.first_text(t0);
        let last = app.settle(f.unwrap_or(t0), SETTLED);
        first.push(f.map(|t| t.duration_since(t0)).unwrap_or_default());
        settled.push(last.map(|t| t.duration_since(t0)).unwrap_or_default());
        app.quit();
    }
    rows.push(("first start of the day: first frame".into(), first));
    rows.push(("first start of the day: settled".into(), settled));

    // Keys, in one session on a copy (marks change it; the original is never touched).
    let file = copy(&db, dir.path());
    let (mut app, t0) = App::start(&file, dir.path());
    let shown = app.first_text(t0);
    app.settle(shown.unwrap_or(t0), SETTLED);
    let run =
        |app: &mut App, label: &str, keys: &[&str], rows: &mut Vec<(String, Vec<Duration>)>| {
            let mut times = Vec::with_capacity(rounds * keys.len());
            for _ in 0..rounds {
                for k in keys {
                    times.push(app.press(k));
                }
            }
            rows.push((label.to_string(), times));
        };
    run(&mut app, "Today: day steps `]` `[`", &["]", "["], &mut rows);
    run(
        &mut app,
        "Today: mark attended / undo `a` `u`",
        &["a", "u"],
        &mut rows,
    );
    run(
        &mut app,
        "Today: help `?` and close `Esc`",
        &["?", "\x1b"],
        &mut rows,
    );
    run(
        &mut app,
        "screens `1`–`5`",
        &["2", "3", "4", "5", "1"],
        &mut rows,
    );
    app.press("2");
    run(
        &mut app,
        "Clients: move `j` `k`",
        &["j", "j", "k"],
        &mut rows,
    );
    run(
        &mut app,
        "Clients: filter `/` `a` `n` `Esc`",
        &["/", "a", "n", "\x1b"],
        &mut rows,
    );
    run(
        &mut app,
        "Clients: open a client `Enter`, `Esc`",
        &["\r", "\x1b"],
        &mut rows,
    );
    app.press("\r");
    run(&mut app, "a client: each tab `]`", &["]"], &mut rows);
    app.press("\x1b");
    app.press("3");
    run(&mut app, "Agenda: weeks `l` `h`", &["l", "h"], &mut rows);
    app.press("4");
    run(&mut app, "Reports: months `[` `]`", &["[", "["], &mut rows);
    run(&mut app, "Reports: view `y`", &["y"], &mut rows);
    let screen = app.screen();
    app.quit();

    println!();
    println!(
        "Latency on {} ({} presses of each key)",
        db.display(),
        rounds
    );
    println!();
    println!("| what | n | p50 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|");
    for (label, mut times) in rows {
        times.sort();
        println!(
            "| {label} | {} | {} | {} | {} |",
            times.len(),
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99)),
            ms(times.last().copied().unwrap_or_default())
        );
    }
    if std::env::var_os("CASELOAD_LATENCY_SCREEN").is_some() {
        println!("\nThe last screen:\n{screen}");
    }
}
