//! caseload: parse arguments, open the practice file, run the app or one command, and map errors
//! to exit codes (0 ok, 1 error, 2 usage, 3 a decision is needed).

use std::process::ExitCode;

use clap::Parser;

use caseload::cli::{self, Cli};

fn main() -> ExitCode {
    restore_sigpipe();
    let cli = Cli::parse();
    let result = if cli.command.is_none() {
        cli.ctx().and_then(|ctx| caseload::tui::run_app(&ctx))
    } else {
        cli::run(cli)
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("caseload: {}", caseload::cli::describe(&e));
            ExitCode::from(1)
        }
    }
}

/// Rust starts every program with SIGPIPE ignored, so writing to a closed pipe
/// (`caseload client list | head -1`) turns into an error that `println!` answers with a panic.
/// A command-line tool should instead end quietly when its reader goes away, as `ls` and `cat` do:
/// put back the default action, under which the kernel ends the process on SIGPIPE. This is done
/// first thing, before any output, and for the whole binary (every command and the app alike; the
/// app writes to a terminal, never to a pipe, so it is unaffected).
#[cfg(unix)]
fn restore_sigpipe() {
    // SAFETY: `signal` with SIG_DFL on SIGPIPE installs no handler code; it is called once, at
    // the start of `main`, before any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn restore_sigpipe() {}
