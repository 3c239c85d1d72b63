//! `caseload goal …`, `caseload boundary …` and `caseload consult …`.

use super::println_clean as println;
use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;

use super::client::word;
use super::{Ctx, json_or, print_json};
use crate::domain::ValidationError;
use crate::domain::boundary::{BoundaryKind, ConsultInput, check_day, check_incident};
use crate::domain::goal::{GoalStatus, check_goal};
use crate::store::StoreError;

#[derive(Debug, Subcommand)]
pub enum GoalCommand {
    /// Add a goal agreed with a client; prints the new goal's id.
    Add {
        /// The client's id.
        #[arg(long, value_name = "ID")]
        client: i64,
        /// The goal, in the client's words.
        #[arg(long)]
        text: String,
        /// When it was set, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "DATE")]
        set: Option<String>,
        /// When the client hopes to reach it, YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        target: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List a client's goals with their ratings.
    List {
        /// The client's id.
        #[arg(long, value_name = "ID")]
        client: i64,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Rate progress on an active goal, 0 to 10.
    Rate {
        /// The goal's id.
        goal: i64,
        /// Progress from 0 (none) to 10 (reached).
        #[arg(long, value_name = "N", allow_negative_numbers = true)]
        rating: i64,
        /// The session the rating was given in.
        #[arg(long, value_name = "ID")]
        session: Option<i64>,
        /// The day of the rating, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Set a goal's status: active, achieved or dropped.
    Status {
        /// The goal's id.
        goal: i64,
        /// active, achieved or dropped.
        #[arg(value_parser = word::<GoalStatus>)]
        status: GoalStatus,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum BoundaryCommand {
    /// Add an entry to a client's boundary log; prints its id.
    Add {
        /// The client's id.
        #[arg(long, value_name = "ID")]
        client: i64,
        /// after_hours_contact, unplanned_contact, late_payment, repeated_late_cancellation,
        /// disrespectful_conduct, unrealistic_demand or other.
        #[arg(long, value_parser = word::<BoundaryKind>)]
        kind: BoundaryKind,
        /// The day it happened, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
        /// What happened, in a few words.
        #[arg(long)]
        note: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// A client's boundary log, newest first.
    List {
        /// The client's id.
        #[arg(long, value_name = "ID")]
        client: i64,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConsultCommand {
    /// Log a consultation with a colleague; prints its id.
    Add {
        /// Who you consulted.
        #[arg(long)]
        colleague: String,
        /// What it was about.
        #[arg(long)]
        topic: String,
        /// What you talked through.
        #[arg(long)]
        notes: Option<String>,
        /// What to try next.
        #[arg(long = "try", value_name = "TEXT")]
        to_try: Option<String>,
        /// The client it was about (shown by initials only).
        #[arg(long, value_name = "ID")]
        client: Option<i64>,
        /// The day, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Consultations, newest first.
    List {
        /// Only consultations about this client (the client's id).
        #[arg(long, value_name = "ID")]
        client: Option<i64>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

fn invalid(e: crate::domain::FieldError) -> StoreError {
    StoreError::from(ValidationError { errors: vec![e] })
}

pub fn run_goal(ctx: &Ctx, cmd: GoalCommand) -> Result<ExitCode> {
    let today = ctx.clock.today();
    let now = ctx.clock.now_utc();
    match cmd {
        GoalCommand::Add {
            client,
            text,
            set,
            target,
            json,
        } => {
            let f = check_goal(
                &text,
                set.as_deref().unwrap_or(""),
                target.as_deref().unwrap_or(""),
                today,
            )
            .map_err(StoreError::from)?;
            let mut store = ctx.open()?;
            let g = store.add_goal(client, &f, now)?;
            json_or(json, &g, || {
                println!("{}", g.id);
            })?;
        }
        GoalCommand::List { client, json } => {
            let store = ctx.open()?;
            let goals = store.goals(client)?;
            if json {
                print_json(&goals)?;
            } else if goals.is_empty() {
                println!("No goals yet.");
            } else {
                for g in &goals {
                    let ratings: Vec<String> =
                        g.ratings.iter().map(|r| r.rating.to_string()).collect();
                    let target = g
                        .target_on
                        .map(|t| format!(" · target {t}"))
                        .unwrap_or_default();
                    println!(
                        "{:>4}  {:<8}  {}  (set {}{target})",
                        g.id,
                        g.status.as_str(),
                        g.text,
                        g.set_on
                    );
                    if !ratings.is_empty() {
                        println!("      ratings: {}", ratings.join(" → "));
                    }
                }
            }
        }
        GoalCommand::Rate {
            goal,
            rating,
            session,
            at,
            json,
        } => {
            let on = check_day("at", at.as_deref().unwrap_or(""), today).map_err(invalid)?;
            let mut store = ctx.open()?;
            let g = store.rate_goal(goal, rating, session, on, now)?;
            json_or(json, &g, || {
                println!("Rated “{}” {rating}/10 on {on}.", g.text);
            })?;
        }
        GoalCommand::Status { goal, status, json } => {
            let mut store = ctx.open()?;
            let g = store.set_goal_status(goal, status, now)?;
            json_or(json, &g, || {
                println!("“{}” is now {}.", g.text, g.status.label().to_lowercase());
            })?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run_boundary(ctx: &Ctx, cmd: BoundaryCommand) -> Result<ExitCode> {
    match cmd {
        BoundaryCommand::Add {
            client,
            kind,
            at,
            note,
            json,
        } => {
            let (on, note) = check_incident(
                at.as_deref().unwrap_or(""),
                note.as_deref().unwrap_or(""),
                ctx.clock.today(),
            )
            .map_err(StoreError::from)?;
            let mut store = ctx.open()?;
            let b = store.add_boundary(client, kind, on, note.as_deref(), ctx.clock.now_utc())?;
            json_or(json, &b, || {
                println!("{}", b.id);
            })?;
        }
        BoundaryCommand::List { client, json } => {
            let store = ctx.open()?;
            let log = store.boundaries(client)?;
            if json {
                print_json(&log)?;
            } else if log.is_empty() {
                println!("No boundary incidents.");
            } else {
                for b in &log {
                    println!(
                        "{}  {:<28}  {}",
                        b.occurred_on,
                        b.kind.as_str(),
                        b.note.as_deref().unwrap_or("")
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run_consult(ctx: &Ctx, cmd: ConsultCommand) -> Result<ExitCode> {
    match cmd {
        ConsultCommand::Add {
            colleague,
            topic,
            notes,
            to_try,
            client,
            at,
            json,
        } => {
            let f = ConsultInput {
                held_on: at.unwrap_or_default(),
                colleague,
                topic,
                notes: notes.unwrap_or_default(),
                to_try: to_try.unwrap_or_default(),
                client_id: client,
            }
            .validate(ctx.clock.today())
            .map_err(StoreError::from)?;
            let mut store = ctx.open()?;
            let k = store.add_consult(&f, ctx.clock.now_utc())?;
            json_or(json, &k, || {
                println!("{}", k.id);
            })?;
        }
        ConsultCommand::List { client, json } => {
            let store = ctx.open()?;
            let list = store.consults(client)?;
            if json {
                print_json(&list)?;
            } else if list.is_empty() {
                println!("No consultations.");
            } else {
                for k in &list {
                    let who = k
                        .client_initials
                        .as_deref()
                        .map(|i| format!(" · {i}"))
                        .unwrap_or_default();
                    println!("{}  {} — {}{who}", k.held_on, k.colleague, k.topic);
                    if let Some(t) = &k.to_try {
                        println!("            to try: {t}");
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
