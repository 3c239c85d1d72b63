#![allow(clippy::unwrap_used, clippy::panic)]
//! End to end: the real binary in a pseudo-terminal. From the Clients screen, run the
//! engagement assessment with the keyboard, accept the recommendation, then check the file
//! through the command line.

mod common;

use common::Within;

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const NOW: &str = "2026-11-23 10:00";

fn cli(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_caseload"))
        .arg("--db")
        .arg(dir.join("p.db"))
        .args(["--now", NOW])
        .args(args)
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("HOME", dir)
        .env_remove("CASELOAD_DB")
        .output_within()
}

struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
}

impl Screen {
    fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Polls the parsed screen until `needle` shows, or fails after a generous timeout.
    fn wait_for(&self, needle: &str) {
        let start = Instant::now();
        loop {
            if self.text().contains(needle) {
                return;
            }
            if start.elapsed() > Duration::from_secs(30) {
                panic!(
                    "timed out waiting for {needle:?}; the screen shows:\n{}",
                    self.text()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[test]
fn engagement_assessment_from_a_client_with_the_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let out = cli(dir.path(), &["client", "add", "--name", "Tom Berg"]);
    assert!(out.status.success(), "{out:?}");

    let pty = native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_caseload"));
    cmd.arg("--db");
    cmd.arg(dir.path().join("p.db"));
    cmd.args(["--now", NOW]);
    cmd.env("XDG_DATA_HOME", dir.path().join("data"));
    cmd.env("XDG_CONFIG_HOME", dir.path().join("config"));
    cmd.env("HOME", dir.path());
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("CASELOAD_DB");
    cmd.env("NO_COLOR", "1");
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);

    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        NonZeroU16::new(40).unwrap(),
        NonZeroU16::new(120).unwrap(),
        0,
    )));
    let mut reader = pair.master.try_clone_reader().unwrap();
    let feed = Arc::clone(&parser);
    let reader_thread = std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        loop {
            match reader.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => feed.lock().unwrap().process(&buf[..n]),
            }
        }
    });
    let mut writer = pair.master.take_writer().unwrap();
    let mut keys = |s: &str| {
        writer.write_all(s.as_bytes()).unwrap();
        writer.flush().unwrap();
    };
    let screen = Screen {
        parser: Arc::clone(&parser),
    };

    screen.wait_for("Today");
    keys("2");
    screen.wait_for("Tom Berg");
    // Two keys start the engagement assessment for the selected client.
    keys("A");
    screen.wait_for("Assess · Tom Berg");
    keys("\r");
    screen.wait_for("Item 1 of 16");
    // Answer, go back with Backspace, and answer again.
    keys("3");
    screen.wait_for("Item 2 of 16");
    keys("\x7f");
    screen.wait_for("Item 1 of 16");
    screen.wait_for("◀ answered");
    // Collaborative items "very like me", barriers: work often, transport sometimes.
    for k in [
        "1", "1", "1", "1", "5", "5", "2", "2", "1", "1", "3", "1", "3", "1", "2", "1",
    ] {
        keys(k);
    }
    screen.wait_for("Check the answers, then save");
    screen.wait_for("16 of 16 answered");
    keys("\r");
    screen.wait_for("How to work with Tom Berg");
    screen.wait_for("recommended");
    screen.wait_for("Working in the collaborative way");
    keys("\r");
    screen.wait_for("Collaborative model chosen, as recommended.");
    // The results view from the client list.
    keys("v");
    screen.wait_for("Assessments · Tom Berg");
    screen.wait_for("Collaborative (as recommended)");
    keys("\x1b");
    screen.wait_for("Clients ·");
    keys("q");

    let status = common::pty::wait_within(child.as_mut());
    drop(writer);
    drop(pair.master);
    reader_thread.join().unwrap();
    assert!(status.success(), "{status:?}");

    let out = cli(dir.path(), &["recommend", "--client", "1", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["recommended"], "collaborative");
    assert_eq!(v["accepted"]["model"], "collaborative");
    assert_eq!(v["accepted"]["reason"], serde_json::Value::Null);
    let out = cli(
        dir.path(),
        &["assess", "history", "--client", "1", "--json"],
    );
    let h: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        h[0]["answers"],
        serde_json::json!([0, 0, 0, 0, 4, 4, 1, 1, 0, 0, 2, 0, 2, 0, 1, 0])
    );
    assert_eq!(h[0]["administered_at"], "2026-11-23");
}
