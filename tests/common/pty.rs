#![allow(dead_code, clippy::unwrap_used, clippy::panic)]
//! The real binary in a pseudo-terminal: type keys, read the screen.
//!
//! Waits poll the parsed screen for the expected text (no fixed sleeps), and `finish` joins the
//! reader thread before the caller's last assertions, so the tests stay steady under load.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

pub struct Pty {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    reader: Option<JoinHandle<()>>,
    /// Every byte the app wrote, for checks on the raw escape sequences.
    raw: Arc<Mutex<Vec<u8>>>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

/// How long any one wait may take before the test fails with the screen it saw.
const PATIENCE: Duration = Duration::from_secs(30);

impl Pty {
    /// Starts the caseload binary with `args` and the environment of `env`.
    pub fn spawn(args: &[&str], env: &[(&str, &str)], cols: u16, rows: u16) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_caseload"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("CASELOAD_DB");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            NonZeroU16::new(rows).unwrap(),
            NonZeroU16::new(cols).unwrap(),
            0,
        )));
        let p = Arc::clone(&parser);
        let raw = Arc::new(Mutex::new(Vec::new()));
        let r = Arc::clone(&raw);
        let handle = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        p.lock().unwrap().process(&buf[..n]);
                        r.lock().unwrap().extend_from_slice(&buf[..n]);
                    }
                }
            }
        });
        Pty {
            child,
            writer,
            parser,
            reader: Some(handle),
            raw,
            _master: pair.master,
        }
    }

    /// What the screen shows now.
    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Types text (each character is a key press).
    pub fn send(&mut self, s: &str) {
        self.writer.write_all(s.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    pub fn enter(&mut self) {
        self.send("\r");
    }

    pub fn tab(&mut self) {
        self.send("\t");
    }

    pub fn esc(&mut self) {
        self.send("\x1b");
    }

    /// Resizes the terminal, as a practitioner dragging the window would.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        // The screen model first: the app redraws as soon as the terminal changes size, and
        // that redraw must land on a screen of the new size.
        self.parser.lock().unwrap().screen_mut().set_size(
            NonZeroU16::new(rows).unwrap(),
            NonZeroU16::new(cols).unwrap(),
        );
        self._master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
    }

    /// Waits until the screen shows `text`; returns the screen.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(|s| s.contains(text), text)
    }

    /// Waits until `pred` holds for the screen.
    pub fn wait_until(&self, pred: impl Fn(&str) -> bool, what: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            if start.elapsed() > PATIENCE {
                panic!("timed out waiting for {what:?}; the screen shows:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Whether the app has exited (without waiting).
    pub fn exited(&mut self) -> bool {
        self.child.try_wait().unwrap().is_some()
    }

    /// Waits for the app to exit; returns its exit code, after the reader has drained.
    pub fn finish(self) -> u32 {
        self.finish_full().code
    }

    /// Waits for the app to exit; returns its exit code, every byte it wrote, and what the
    /// terminal shows after it (the reader drained first).
    pub fn finish_full(mut self) -> Finished {
        let start = Instant::now();
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            if start.elapsed() > PATIENCE {
                let _ = self.child.kill();
                panic!("the app did not exit; the screen shows:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        drop(self._master);
        if let Some(h) = self.reader.take() {
            h.join().unwrap();
        }
        let parser = self.parser.lock().unwrap();
        Finished {
            code: status.exit_code(),
            raw: self.raw.lock().unwrap().clone(),
            screen: parser.screen().contents(),
            alternate_screen: parser.screen().alternate_screen(),
        }
    }
}

/// How a run ended.
pub struct Finished {
    pub code: u32,
    pub raw: Vec<u8>,
    /// What the terminal shows after the app left.
    pub screen: String,
    /// Whether the terminal is still on the alternate screen (it must not be).
    pub alternate_screen: bool,
}

/// Waits for a child started in a pseudo-terminal within [`super::PATIENCE`]; kills it and fails
/// the test past that.
pub fn wait_within(child: &mut (dyn Child + Send + Sync)) -> portable_pty::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        if start.elapsed() > super::PATIENCE {
            let _ = child.kill();
            panic!("the app did not exit within {:?}", super::PATIENCE);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}
