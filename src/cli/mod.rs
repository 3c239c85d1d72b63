//! The command line: for scripting and tests. Human text by default, stable snake_case JSON with
//! `--json`. Exit codes: 0 ok, 1 error, 2 usage, 3 a decision is needed.

pub mod assess;
// Fees and payments (issue 17).
pub mod billing;
pub mod calendar;
pub mod cancel;
pub mod client;
pub mod crypt;
pub mod demo;
pub mod dispose;
pub mod export_files;
pub mod handover;
pub mod income;
pub mod invoice;
pub mod note;
pub mod record;
pub mod report;
pub mod retention;
pub mod safety;
pub mod session;
pub mod shell;
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
    /// A client's copy of their record: the whole chart, printable (html), or json.
    Record(Box<record::RecordArgs>),
    /// An encrypted archive of the whole practice for a records custodian (a "professional
    /// will"), or --verify one.
    Handover(Box<handover::HandoverArgs>),
    /// Dispose of a client's record after its keep-until date, here and in every backup
    /// (without --confirm: shows what would go and exits 3).
    Dispose(Box<dispose::DisposeArgs>),
    /// How long records are kept: keep-until dates, legal holds, the rule, the disposal log.
    #[command(subcommand)]
    Retention(Box<retention::RetentionCommand>),
    /// Show or change the practice's currency and billing settings.
    Billing(billing::BillingArgs),
    /// The services the practice bills (code, name, minutes, fee, percentages).
    #[command(subcommand)]
    Service(Box<billing::ServiceCommand>),
    /// A client's own fees (sliding scale), default service and diagnosis codes.
    #[command(subcommand)]
    Fee(Box<billing::FeeCommand>),
    /// Record a payment, or refund one.
    #[command(subcommand)]
    Payment(Box<billing::PaymentCommand>),
    /// Void a charge, or add an adjustment.
    #[command(subcommand)]
    Charge(Box<billing::ChargeCommand>),
    /// What a client owes (or has in credit), and their unpaid charges.
    Balance(billing::BalanceArgs),
    /// A client's money lines: charges, voids, adjustments, payments and refunds.
    Ledger(billing::LedgerArgs),
    /// Write an invoice / statement for a client and a period.
    Invoice(Box<invoice::InvoiceArgs>),
    /// Write a receipt for a payment.
    Receipt(Box<invoice::ReceiptArgs>),
    /// Write a superbill for a client and a month (for insurance reimbursement).
    Superbill(Box<invoice::SuperbillArgs>),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(shell::CompletionsArgs),
    /// Print caseload's manual page (roff, for `man`).
    Man(shell::ManArgs),
}

/// `println!` for text people read: stored text can hold terminal escape sequences (clipboard
/// writes, window titles, clearing the screen), so the whole line goes through
/// [`printable`](crate::domain::printable::printable) first. Each command module imports it as
/// `println` (and [`print_clean`] as `print`), so every text printer of the command line strips
/// them; JSON needs nothing (serde_json escapes control characters).
macro_rules! println_clean {
    () => {
        std::println!()
    };
    ($($t:tt)*) => {
        std::println!("{}", $crate::domain::printable::printable(&format!($($t)*)))
    };
}
pub(crate) use println_clean;

/// `print!` through [`printable`](crate::domain::printable::printable); see [`println_clean`].
macro_rules! print_clean {
    ($($t:tt)*) => {
        std::print!("{}", $crate::domain::printable::printable(&format!($($t)*)))
    };
}
pub(crate) use print_clean;

/// How many terminal columns `s` takes once printed (CJK characters take two, combining marks
/// none).
pub fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(crate::domain::printable::printable(s).as_ref())
}

/// `s` cut to `width` terminal columns and padded with spaces to exactly `width`, so names in a
/// table line up whatever their script.
pub fn fit(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let clean = crate::domain::printable::printable(s);
    let mut out = String::new();
    let mut used = 0;
    for c in clean.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.extend(std::iter::repeat_n(' ', width - used));
    out
}

/// A bad option value or a combination of options that doesn't go together: the command line
/// itself is wrong, so the exit code is 2, as for clap's own usage errors.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Usage(pub String);

/// An [`Usage`] error with a formatted message, as an `anyhow::Error`.
macro_rules! usage {
    ($($t:tt)*) => {
        anyhow::Error::new($crate::cli::Usage(format!($($t)*)))
    };
}
pub(crate) use usage;

/// The exit code for an error: 2 for a usage error, 1 for anything else.
pub fn exit_code(e: &anyhow::Error) -> u8 {
    if e.chain().any(|c| c.is::<Usage>()) {
        2
    } else {
        1
    }
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
    // These two need no practice file.
    match cli.command {
        Some(Command::Completions(a)) => return shell::run_completions(a),
        Some(Command::Man(a)) => return shell::run_man(a),
        _ => {}
    }
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
        Some(Command::Completions(a)) => shell::run_completions(a),
        Some(Command::Man(a)) => shell::run_man(a),
        Some(Command::Billing(a)) => billing::run_billing(&ctx, a),
        Some(Command::Service(cmd)) => billing::run_service(&ctx, *cmd),
        Some(Command::Fee(cmd)) => billing::run_fee(&ctx, *cmd),
        Some(Command::Payment(cmd)) => billing::run_payment(&ctx, *cmd),
        Some(Command::Charge(cmd)) => billing::run_charge(&ctx, *cmd),
        Some(Command::Balance(a)) => billing::run_balance(&ctx, a),
        Some(Command::Ledger(a)) => billing::run_ledger(&ctx, a),
        Some(Command::Invoice(a)) => invoice::run_invoice(&ctx, *a),
        Some(Command::Receipt(a)) => invoice::run_receipt(&ctx, *a),
        Some(Command::Superbill(a)) => invoice::run_superbill(&ctx, *a),
        Some(Command::Retention(cmd)) => retention::run(&ctx, *cmd),
        Some(Command::Record(a)) => record::run(&ctx, *a),
        Some(Command::Dispose(a)) => dispose::run(&ctx, *a),
        Some(Command::Handover(a)) => handover::run(&ctx, *a),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_pads_and_cuts_by_display_width() {
        assert_eq!(fit("Ana", 6), "Ana   ");
        // Two columns each: 李小龙 is 6 wide.
        assert_eq!(fit("李小龙", 8), "李小龙  ");
        assert_eq!(display_width("李小龙"), 6);
        // A wide character that would overflow is left out, and the gap padded.
        assert_eq!(fit("李小龙", 5), "李小 ");
        // A combining accent takes no column.
        assert_eq!(fit("Zoe\u{301} M", 7), "Zoe\u{301} M  ");
        assert_eq!(display_width("Zoe\u{301}"), 3);
        // Escape sequences are not counted (they are not printed).
        assert_eq!(fit("A\u{1b}[2Jb", 3), "Ab ");
    }
}
