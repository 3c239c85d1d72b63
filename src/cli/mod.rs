//! The command line: for scripting and tests. Human text by default, stable snake_case JSON with
//! `--json`. Exit codes: 0 ok, 1 error, 2 usage, 3 a decision is needed.

pub mod assess;
pub mod calendar;
pub mod cancel;
pub mod client;
pub mod crypt;
pub mod demo;
pub mod note;
pub mod report;
pub mod safety;
pub mod session;
// The working relationship (issue 7).
pub mod discharge;
pub mod goal;
pub mod handout;
pub mod practice;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use crate::domain::time::parse_local;

/// A private, offline practice companion for solo therapists, counsellors and coaches.
/// With no command, caseload opens the app.
#[derive(Debug, Parser)]
#[command(name = "caseload", version, about, long_about = None)]
pub struct Cli {
    /// The practice file to use (default: caseload.db in the data folder).
    #[arg(long, global = true, env = "CASELOAD_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Use the demo practice (demo.db in the data folder, filled on first use).
    #[arg(long, global = true)]
    pub demo: bool,
    /// Fix the clock, as local "YYYY-MM-DD HH:MM" (for scripts and tests).
    #[arg(long, global = true, value_name = "WHEN", value_parser = parse_now)]
    pub now: Option<chrono::NaiveDateTime>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

fn parse_now(s: &str) -> Result<chrono::NaiveDateTime, String> {
    use chrono::Datelike;
    let t = parse_local(s)?;
    // Every time derived from it (in UTC, a session's end, a notice) must stay a time caseload
    // can store, or a write would land that can't be read back.
    if !(1900..=9998).contains(&t.year()) {
        return Err(format!(
            "“{s}” is outside the years caseload works with (1900 to 9998)"
        ));
    }
    Ok(t)
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a demo practice of fictional clients into --db.
    Demo(demo::DemoArgs),
    /// Add, edit, list and show clients.
    #[command(subcommand)]
    Client(Box<client::ClientCommand>),
    /// Book, list, show and mark sessions.
    #[command(subcommand)]
    Session(Box<session::SessionCommand>),
    /// Write sessions as an iCalendar file (client initials only unless --full-names).
    Calendar(calendar::CalendarArgs),
    /// Reports: attendance, cancellations and sessions saved.
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// Write, sign, correct, list and search progress notes.
    #[command(subcommand)]
    Note(Box<note::NoteCommand>),
    #[command(flatten)]
    Safety(safety::SafetyCommand),
    /// Instruments, recording answers, results over time, and alerts from flags.
    #[command(subcommand)]
    Assess(Box<assess::AssessCommand>),
    /// The engagement model recommended for a client, and accepting one.
    Recommend(assess::RecommendArgs),
    /// Show or change the practice profile.
    #[command(subcommand)]
    Practice(Box<practice::PracticeCommand>),
    /// The practice's questions and answers (for the handout).
    #[command(subcommand)]
    Qa(Box<practice::QaCommand>),
    /// Write a client's expectations handout, or mark it given.
    Handout(Box<handout::HandoutArgs>),
    /// Goals agreed with a client, and ratings of progress.
    #[command(subcommand)]
    Goal(Box<goal::GoalCommand>),
    /// A client's boundary log.
    #[command(subcommand)]
    Boundary(Box<goal::BoundaryCommand>),
    /// The consultation log.
    #[command(subcommand)]
    Consult(Box<goal::ConsultCommand>),
    /// End a client's care, with an optional referral.
    Discharge(Box<discharge::DischargeArgs>),
    /// Write a client's transition summary.
    Summary(Box<discharge::SummaryArgs>),
    /// Show the review signals for a client, or record what you chose.
    Review(Box<discharge::ReviewArgs>),
    #[command(flatten)]
    Crypt(crypt::CryptCommand),
}

/// What every command is given (see [`crate::open`]).
pub use crate::open::Ctx;

impl Cli {
    /// Which practice the arguments name, and the clock.
    pub fn ctx(&self) -> Result<Ctx> {
        Ctx::new(self.db.clone(), self.demo, self.now)
    }
}

/// Runs one command.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let ctx = cli.ctx()?;
    match cli.command {
        None => unreachable_app(),
        Some(Command::Practice(cmd)) => practice::run(&ctx, *cmd),
        Some(Command::Qa(cmd)) => practice::run_qa(&ctx, *cmd),
        Some(Command::Handout(a)) => handout::run(&ctx, *a),
        Some(Command::Goal(cmd)) => goal::run_goal(&ctx, *cmd),
        Some(Command::Boundary(cmd)) => goal::run_boundary(&ctx, *cmd),
        Some(Command::Consult(cmd)) => goal::run_consult(&ctx, *cmd),
        Some(Command::Discharge(a)) => discharge::run_discharge(&ctx, *a),
        Some(Command::Summary(a)) => discharge::run_summary(&ctx, *a),
        Some(Command::Review(a)) => discharge::run_review(&ctx, *a),
        Some(Command::Demo(args)) => demo::run(&ctx, args),
        Some(Command::Client(cmd)) => client::run(&ctx, *cmd),
        Some(Command::Session(cmd)) => session::run(&ctx, *cmd),
        Some(Command::Calendar(args)) => calendar::run(&ctx, args),
        Some(Command::Report(cmd)) => report::run(&ctx, cmd),
        Some(Command::Note(cmd)) => note::run(&ctx, *cmd),
        Some(Command::Safety(cmd)) => safety::run(&ctx, cmd),
        Some(Command::Assess(cmd)) => assess::run(&ctx, *cmd),
        Some(Command::Recommend(args)) => assess::recommend(&ctx, args),
        Some(Command::Crypt(cmd)) => crypt::run(&ctx, cmd),
    }
}

fn unreachable_app() -> Result<ExitCode> {
    anyhow::bail!("no command given")
}

/// Prints a value as stable, pretty JSON.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// With `--json`, prints `value` as JSON; else runs `text`, which prints it for people.
pub fn json_or<T: serde::Serialize>(json: bool, value: &T, text: impl FnOnce()) -> Result<()> {
    if json {
        print_json(value)
    } else {
        text();
        Ok(())
    }
}

/// An error in words for the practitioner: the message, then what caused it when that adds
/// something (never a type name or a backtrace).
pub fn describe(e: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in e.chain() {
        let s = cause.to_string();
        if !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
    }
    parts.join(": ")
}
