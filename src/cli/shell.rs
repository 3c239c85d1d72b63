//! `caseload completions SHELL` and `caseload man`: what a shell and `man` need to know about the
//! command line, generated from the same definitions that parse it (so they can't drift).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::Cli;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for: bash, zsh, fish, elvish or powershell.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write the page to this file (default: standard output).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the file given with -o if it already exists.
    #[arg(long, requires = "output")]
    pub force: bool,
}

/// The completion script for a shell.
pub fn completions(shell: Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "caseload", &mut out);
    out
}

/// The man page (roff), with every command and option.
pub fn man_page() -> Result<Vec<u8>> {
    let cmd = Cli::command();
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut out)?;
    Ok(out)
}

pub fn run_completions(a: CompletionsArgs) -> Result<ExitCode> {
    use std::io::Write;
    std::io::stdout().write_all(&completions(a.shell))?;
    Ok(ExitCode::SUCCESS)
}

pub fn run_man(a: ManArgs) -> Result<ExitCode> {
    let page = man_page()?;
    match &a.output {
        Some(path) => {
            if crate::outfile::write(path, &page, a.force)?.is_file() {
                eprintln!("Wrote the man page to {}.", path.display());
            }
        }
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&page)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
