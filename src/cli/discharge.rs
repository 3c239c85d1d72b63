//! `caseload discharge ID …`, `caseload summary ID …` and `caseload review ID …`.

use super::println_clean as println;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::client::word;
use super::handout::emit;
use super::{Ctx, print_json};
use crate::domain::discharge::{DischargeInput, DischargeReason};
use crate::domain::document::DocFormat;
use crate::domain::signals::ReviewChoice;
use crate::store::StoreError;

#[derive(Debug, Args)]
pub struct DischargeArgs {
    /// The client whose care ends.
    pub id: i64,
    /// goals_met, client_choice, needs_outside_scope, not_productive, moved or other.
    #[arg(long, value_parser = word::<DischargeReason>)]
    pub reason: DischargeReason,
    /// Who the client is referred to (makes the client referred_out).
    #[arg(long)]
    pub referral_name: Option<String>,
    /// The referral's profession (e.g. psychiatrist).
    #[arg(long)]
    pub referral_profession: Option<String>,
    /// How to reach the referral (phone, email or address).
    #[arg(long)]
    pub referral_contact: Option<String>,
    /// Why this referral.
    #[arg(long)]
    pub referral_why: Option<String>,
    /// A closing note (kept out of the summary unless asked for).
    #[arg(long)]
    pub note: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// The client whose care the summary describes.
    #[arg(value_name = "ID")]
    pub id: i64,
    /// md, html or txt.
    #[arg(long, default_value = "md", value_parser = word::<DocFormat>)]
    pub format: DocFormat,
    /// Write to this file instead of the terminal (made readable by you only).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the file given with -o if it already exists.
    #[arg(long, requires = "output")]
    pub force: bool,
    /// Include the closing note.
    #[arg(long)]
    pub include_note: bool,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The client's id.
    pub id: i64,
    /// Record what you chose: note_for_next_session, reconsider_engagement_model,
    /// log_consultation or start_discharge.
    #[arg(long, value_parser = word::<ReviewChoice>)]
    pub choose: Option<ReviewChoice>,
    /// A note of what you chose and why.
    #[arg(long, requires = "choose")]
    pub note: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run_discharge(ctx: &Ctx, a: DischargeArgs) -> Result<ExitCode> {
    let f = DischargeInput {
        reason: Some(a.reason),
        referral_name: a.referral_name.unwrap_or_default(),
        referral_profession: a.referral_profession.unwrap_or_default(),
        referral_contact: a.referral_contact.unwrap_or_default(),
        referral_why: a.referral_why.unwrap_or_default(),
        note: a.note.unwrap_or_default(),
    }
    .validate()
    .map_err(StoreError::from)?;
    let mut store = ctx.open()?;
    let out = store.discharge(
        a.id,
        &f,
        ctx.clock.now_local(),
        ctx.clock.now_utc(),
        crate::store::cancellation::Source::Cli,
    )?;
    if a.json {
        print_json(&out)?;
    } else {
        let c = store.client(a.id)?;
        println!(
            "{} is now {} ({}).",
            c.name,
            c.status.label().to_lowercase(),
            out.discharge.reason.label().to_lowercase()
        );
        if let Some(r) = &out.discharge.referral {
            println!("Referred to {}.", r.name);
        }
        if out.cancelled_sessions.is_empty() {
            println!("No future sessions to cancel.");
        } else {
            println!(
                "Cancelled {}:",
                crate::domain::words::count(
                    out.cancelled_sessions.len(),
                    "future session",
                    "future sessions"
                )
            );
            for s in &out.cancelled_sessions {
                println!(
                    "  {}  {}",
                    s.starts_at.format("%Y-%m-%d %H:%M"),
                    s.modality.label()
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run_summary(ctx: &Ctx, a: SummaryArgs) -> Result<ExitCode> {
    let store = ctx.open()?;
    if let Some(out) = &a.output {
        crate::outfile::check(out, a.force)?;
    }
    let s = store.transition_summary(a.id, a.include_note)?;
    let to_file = emit(
        &s.document(ctx.clock.today()).render(a.format),
        a.output.as_ref(),
        a.force,
    )?;
    if let Some(out) = a.output.as_ref().filter(|_| to_file) {
        eprintln!(
            "Wrote the summary for {} to {}.",
            s.client_name,
            out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run_review(ctx: &Ctx, a: ReviewArgs) -> Result<ExitCode> {
    let now = ctx.clock.now_local();
    let mut store = ctx.open()?;
    let c = store.client(a.id)?;
    match a.choose {
        Some(choice) => {
            let r =
                store.record_review(a.id, choice, a.note.as_deref(), now, ctx.clock.now_utc())?;
            if a.json {
                print_json(&r)?;
            } else {
                println!(
                    "Recorded for {}: {}.",
                    c.name,
                    choice.label().to_lowercase()
                );
            }
        }
        None => {
            let signals = store.signals(a.id, now)?;
            if a.json {
                print_json(&serde_json::json!({
                    "client_id": a.id,
                    "signals": signals,
                    "reviews": store.reviews(a.id)?,
                }))?;
            } else if signals.is_empty() {
                println!("Nothing needs a review for {}.", c.name);
            } else {
                println!("{} — worth a review:", c.name);
                for s in &signals {
                    println!("  • {}", s.summary);
                    for e in &s.evidence {
                        println!("      {e}");
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
