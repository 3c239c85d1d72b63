//! `caseload retention …`: how long records are kept, legal holds, keep-until dates set by
//! hand, and the disposal log.

use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Subcommand;

use super::{Ctx, json_or, print_json};
use crate::domain::retention::RetentionRules;
use crate::domain::time::parse_date;
use crate::store::retention::RetentionRow;

#[derive(Debug, Subcommand)]
pub enum RetentionCommand {
    /// Every client's keep-until date and the rule that set it (--due: only those that may be
    /// disposed of now: past keep-until, not on hold, not in care).
    List {
        /// Only records whose keep-until date has come, not on hold and out of care.
        #[arg(long)]
        due: bool,
        /// Print JSON instead of words.
        #[arg(long)]
        json: bool,
    },
    /// Put a legal hold on a client's record (it is not disposed of whatever the date), or
    /// release it with --release.
    Hold {
        /// The client (their id, as `caseload client list` shows).
        id: i64,
        /// Why the record is held (required unless --release).
        #[arg(long, required_unless_present = "release", conflicts_with = "release")]
        reason: Option<String>,
        /// Release the hold.
        #[arg(long)]
        release: bool,
    },
    /// Set a client's keep-until date by hand (--until DATE), or go back to the practice's
    /// rule (--rule).
    Keep {
        /// The client (their id, as `caseload client list` shows).
        id: i64,
        /// Keep the record until this date, YYYY-MM-DD.
        #[arg(long, value_name = "DATE", value_parser = parse_date, required_unless_present = "rule", conflicts_with = "rule")]
        until: Option<chrono::NaiveDate>,
        /// Go back to the practice's rule for this client.
        #[arg(long)]
        rule: bool,
        /// Print JSON instead of words.
        #[arg(long)]
        json: bool,
    },
    /// Show the retention rule, or change it (only the numbers given change). The defaults
    /// (7 / 18 / 7) are examples, not advice: check what applies to your profession and place.
    Rules {
        /// Years a record is kept after the last contact.
        #[arg(long, value_name = "N")]
        adult_years: Option<u32>,
        /// The age of majority.
        #[arg(long, value_name = "N")]
        majority_age: Option<u32>,
        /// For someone seen as a minor: years after reaching the age of majority (the later
        /// of this and the years after the last contact applies).
        #[arg(long, value_name = "N")]
        minor_years: Option<u32>,
        /// Remind (Needs attention) when the newest handover archive is this many months old
        /// (0: never).
        #[arg(long, value_name = "N")]
        handover_months: Option<u32>,
        /// Print JSON instead of words.
        #[arg(long)]
        json: bool,
    },
    /// The disposal log: what is left of each record disposed of.
    Log {
        /// Print JSON instead of words.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(ctx: &Ctx, cmd: RetentionCommand) -> Result<ExitCode> {
    let now = ctx.clock.now_utc();
    let today = ctx.clock.today();
    match cmd {
        RetentionCommand::List { due, json } => {
            let mut store = ctx.open()?;
            let rows: Vec<RetentionRow> = store
                .retention_list()?
                .into_iter()
                .filter(|r| !due || r.due(today))
                .collect();
            if due {
                // Looking at the list rests the monthly reminder until next month.
                store.mark_retention_reviewed(today)?;
            }
            json_or(json, &rows, || print_rows(&rows, due, today))?;
        }
        RetentionCommand::Hold {
            id,
            reason,
            release,
        } => {
            let mut store = ctx.open()?;
            let name = store.retention_of(id)?.name;
            if release {
                store.release_hold(id, now)?;
                println!("Released the legal hold on {name}'s record.");
            } else {
                let reason = reason.unwrap_or_default();
                store.hold_record(id, &reason, now)?;
                println!(
                    "{name}'s record is on legal hold: it will not be disposed of until the hold is released."
                );
            }
        }
        RetentionCommand::Keep {
            id,
            until,
            rule: _,
            json,
        } => {
            let mut store = ctx.open()?;
            let row = store.set_keep_until(id, until, now)?;
            json_or(json, &row, || {
                println!(
                    "{}'s record is kept until {} ({}).",
                    row.name,
                    row.keep_until,
                    row.rule.label().to_lowercase()
                )
            })?;
        }
        RetentionCommand::Rules {
            adult_years,
            majority_age,
            minor_years,
            handover_months,
            json,
        } => {
            let mut store = ctx.open()?;
            let mut rules = store.retention_rules()?;
            let changing = adult_years.is_some() || majority_age.is_some() || minor_years.is_some();
            if changing {
                rules = RetentionRules {
                    adult_years: adult_years.unwrap_or(rules.adult_years),
                    majority_age: majority_age.unwrap_or(rules.majority_age),
                    minor_years: minor_years.unwrap_or(rules.minor_years),
                }
                .validate()?;
            }
            if let Some(m) = handover_months {
                // Checked before anything is written, so a bad number changes nothing.
                if m > 120 {
                    bail!(
                        "The handover reminder must be between 0 (off) and 120 months (got {m}). Nothing was changed."
                    );
                }
            }
            if changing {
                rules = store.set_retention_rules(rules, now)?;
            }
            if let Some(m) = handover_months {
                store.set_handover_remind_months(m)?;
            }
            let months = store.handover_remind_months()?;
            let value = serde_json::json!({
                "adult_years": rules.adult_years,
                "majority_age": rules.majority_age,
                "minor_years": rules.minor_years,
                "handover_months": months,
            });
            json_or(json, &value, || {
                println!("{}", rules.describe());
                if months == 0 {
                    println!("No reminder to renew the handover archive.");
                } else {
                    println!("A new handover archive is due {months} months after the newest one.");
                }
                println!(
                    "These numbers are examples, not advice: check the rules of your profession and jurisdiction."
                );
            })?;
        }
        RetentionCommand::Log { json } => {
            let store = ctx.open()?;
            let log = store.disposal_log()?;
            if json {
                print_json(&log)?;
            } else if log.is_empty() {
                println!("No record has been disposed of.");
            } else {
                println!(
                    "{:<10}  {:<24}  {:<10}  {:<10}  {:<10}  {:<10}  Born",
                    "Disposed", "Name", "First", "Last", "Keep until", "By"
                );
                for t in &log {
                    println!(
                        "{:<10}  {:<24}  {:<10}  {:<10}  {:<10}  {:<10}  {}",
                        t.disposed_on.to_string(),
                        t.name,
                        opt(t.first_contact),
                        opt(t.last_contact),
                        opt(t.keep_until),
                        t.disposed_by,
                        opt(t.born)
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn opt(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
}

fn print_rows(rows: &[RetentionRow], due: bool, today: chrono::NaiveDate) {
    if rows.is_empty() {
        println!(
            "{}",
            if due {
                "No record is due for disposal."
            } else {
                "No clients yet."
            }
        );
        return;
    }
    println!(
        "{:>4}  {:<24}  {:<12}  {:<10}  {:<18}  Hold",
        "Id", "Client", "Last contact", "Keep until", "Rule"
    );
    for r in rows {
        let mark = if r.due(today) { "  (due)" } else { "" };
        println!(
            "{:>4}  {:<24}  {:<12}  {:<10}  {:<18}  {}{mark}",
            r.client_id,
            r.name,
            r.last_contact.to_string(),
            r.keep_until.to_string(),
            r.rule.as_str(),
            r.hold.as_deref().unwrap_or("—"),
        );
    }
}
