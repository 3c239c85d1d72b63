#![allow(clippy::unwrap_used, clippy::panic)]
//! End to end: the real binary in a pseudo-terminal marks a session attended from Today with one
//! key, and `session show --json` sees it.

mod common;

use common::Within;

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const NOW: &str = "2026-11-23 09:30";

fn cli(dir: &Path, args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_caseload"))
        .arg("--db")
        .arg(dir.join("p.db"))
        .args(["--now", NOW])
        .args(args)
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env_remove("CASELOAD_DB")
        .output_within();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn wait_for(screen: &Arc<Mutex<vt100::Parser>>, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let text = screen.lock().unwrap().screen().contents();
        if text.contains(needle) {
            return text;
        }
        if Instant::now() > deadline {
            panic!("timed out waiting for {needle:?}; screen:\n{text}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn one_key_on_today_marks_a_session_attended() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    cli(d, &["client", "add", "--name", "Maria Lopez"]);
    let id = cli(
        d,
        &[
            "session",
            "add",
            "--client",
            "1",
            "--at",
            "2026-11-23 10:00",
        ],
    );
    let id = id.trim().to_string();

    let pty = native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows: 30,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_caseload"));
    cmd.arg("--db");
    cmd.arg(d.join("p.db"));
    cmd.args(["--now", NOW]);
    cmd.env("XDG_DATA_HOME", d.join("data"));
    cmd.env("XDG_CONFIG_HOME", d.join("config"));
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("CASELOAD_DB");
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut writer = pair.master.take_writer().unwrap();
    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        NonZeroU16::new(30).unwrap(),
        NonZeroU16::new(120).unwrap(),
        0,
    )));
    let p2 = Arc::clone(&parser);
    let reader_thread = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        loop {
            match reader.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => p2.lock().unwrap().process(&buf[..n]),
            }
        }
    });

    wait_for(&parser, "Maria L.");
    let before = wait_for(&parser, "Scheduled");
    assert!(before.contains("10:00"), "{before}");
    writer.write_all(b"a").unwrap();
    writer.flush().unwrap();
    wait_for(&parser, "Attended");
    writer.write_all(b"q").unwrap();
    writer.flush().unwrap();
    let status = common::pty::wait_within(child.as_mut());
    drop(writer);
    drop(pair.master);
    reader_thread.join().unwrap();
    assert!(status.success());

    let shown: serde_json::Value =
        serde_json::from_str(&cli(d, &["session", "show", &id, "--json"])).unwrap();
    assert_eq!(shown["status"], "attended");
    assert_eq!(shown["marked_by"], "practitioner");
    assert!(shown["marked_at"].is_string());
}
