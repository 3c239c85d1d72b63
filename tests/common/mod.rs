#![allow(dead_code, clippy::unwrap_used, clippy::panic)]
//! Shared helpers for tests that run the real binary.

pub mod cli;
pub mod pty;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

/// How long any one command may run in a test before the test fails (and the command is
/// killed) instead of hanging CI.
pub const PATIENCE: Duration = Duration::from_secs(120);

/// Runs `cmd` to the end as `Command::output` does (no standard input, output captured), but
/// fails if it takes longer than [`PATIENCE`].
pub fn output(cmd: &mut Command) -> Output {
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    finish(child)
}

/// `Command::output` within [`PATIENCE`].
pub trait Within {
    fn output_within(&mut self) -> Output;
}

impl Within for Command {
    fn output_within(&mut self) -> Output {
        output(self)
    }
}

/// Waits for a spawned child (its output piped) as `Child::wait_with_output` does, within
/// [`PATIENCE`].
pub fn finish(mut child: Child) -> Output {
    fn drain(r: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
        std::thread::spawn(move || {
            let mut b = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut b);
            }
            b
        })
    }
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let status = wait_within(&mut child);
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// Waits for a child within [`PATIENCE`]; kills it and fails the test past that.
pub fn wait_within(child: &mut Child) -> ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        if start.elapsed() > PATIENCE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("a command did not finish within {PATIENCE:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// A scratch home for one test: a practice file path and private XDG folders.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("practice.db")
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The binary with this sandbox's folders, no colour and a fixed clock.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_caseload"));
        c.env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("HOME", self.dir.path())
            .env_remove("CASELOAD_DB")
            .env("NO_COLOR", "1")
            .arg("--db")
            .arg(self.db())
            .arg("--now")
            .arg("2026-11-23 09:00");
        c
    }

    /// Runs the binary with `args`.
    pub fn run(&self, args: &[&str]) -> Output {
        output(self.cmd().args(args))
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed ({:?}): {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Books one session through the command line (`session add`); returns what it printed.
    pub fn book(&self, client: &str, at: &str) -> String {
        self.ok(&["session", "add", "--client", client, "--at", at])
    }

    /// Runs and expects the exit code; returns stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }
}

impl Sandbox {
    /// Runs, expects the exit code, and parses stdout as JSON.
    pub fn json_code(&self, args: &[&str], code: i32) -> serde_json::Value {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }
}
