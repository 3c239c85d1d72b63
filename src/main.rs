//! caseload: parse arguments, open the practice file, run the app or one command, and map errors
//! to exit codes (0 ok, 1 error, 2 usage, 3 a decision is needed).

use std::process::ExitCode;

use clap::Parser;

use caseload::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = if cli.command.is_none() {
        caseload::tui::run_app(&cli)
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
