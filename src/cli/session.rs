//! `caseload session …`: book, list, show and mark sessions.

use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{ArgGroup, Args, Subcommand};

use super::client::word;
use super::{Ctx, json_or, print_json};
use crate::domain::schedule::{Repeat, RepeatEnd, SeriesScope, SessionChange};
use crate::domain::session::{DEFAULT_MINUTES, Modality, Session, SessionStatus};
use crate::domain::time::{parse_date, parse_local};
use crate::store::session::{BY_CLI, BookOutcome, BookingRequest, SessionFilter};

#[derive(Debug, Subcommand)]
pub enum SessionCommand {
    /// Book a session or a weekly series; prints the new id(s), one a line.
    Add(AddArgs),
    /// List sessions in time order.
    List {
        #[arg(long, value_name = "ID")]
        client: Option<i64>,
        /// From this date, YYYY-MM-DD (inclusive).
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// To this date, YYYY-MM-DD (inclusive).
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        /// scheduled, attended, late, no_show, cancelled, late_cancelled or rescheduled.
        #[arg(long, value_name = "S", value_parser = word::<SessionStatus>)]
        status: Option<SessionStatus>,
        #[arg(long)]
        json: bool,
    },
    /// Show one session.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Record an outcome: attended, late, no_show, or scheduled to undo it.
    Mark {
        id: i64,
        #[arg(value_parser = word::<SessionStatus>, value_name = "attended|late|no_show|scheduled")]
        status: SessionStatus,
        #[arg(long)]
        json: bool,
    },
    /// Move or change a scheduled session (with --future, the rest of its series too).
    Edit {
        id: i64,
        /// The new start, "YYYY-MM-DD HH:MM".
        #[arg(long, value_name = "WHEN")]
        at: Option<String>,
        #[arg(long, value_name = "N")]
        minutes: Option<u32>,
        #[arg(long, value_parser = word::<Modality>)]
        modality: Option<Modality>,
        /// Also change every later session of the series that has not happened yet.
        #[arg(long)]
        future: bool,
        /// Change even if it overlaps another session.
        #[arg(long)]
        force: bool,
    },
    /// Cancel a session: for a client, first offers the alternative that fits the reason
    /// (exit 3 with the offer until one decision is given).
    Cancel(Box<super::cancel::CancelArgs>),
    /// Revert a cancellation recorded by mistake: the session is scheduled again (until the end
    /// of the session's day; the request is kept, marked reverted).
    Uncancel {
        /// The session whose cancellation to revert.
        id: i64,
        /// Print the session as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("repeat").args(["weekly", "every_weeks", "until"]).multiple(true)))]
pub struct AddArgs {
    #[arg(long, value_name = "ID")]
    pub client: i64,
    /// Start, wall-clock local "YYYY-MM-DD HH:MM".
    #[arg(long, value_name = "WHEN")]
    pub at: String,
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MINUTES)]
    pub minutes: u32,
    /// in_person, phone or video.
    #[arg(long, value_parser = word::<Modality>, default_value = "in_person")]
    pub modality: Modality,
    /// Weekly, this many sessions in all.
    #[arg(long, value_name = "COUNT", conflicts_with_all = ["every_weeks", "count"])]
    pub weekly: Option<u32>,
    /// Every N weeks (with --count or --until).
    #[arg(long, value_name = "N")]
    pub every_weeks: Option<u32>,
    /// How many sessions in all (with --every-weeks).
    #[arg(
        long,
        value_name = "COUNT",
        requires = "every_weeks",
        conflicts_with = "until"
    )]
    pub count: Option<u32>,
    /// Repeat until this date, YYYY-MM-DD (weekly unless --every-weeks is given).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Book even if it overlaps another session.
    #[arg(long)]
    pub force: bool,
}

impl AddArgs {
    fn repeat(&self) -> Result<Repeat> {
        let until = self
            .until
            .as_deref()
            .map(parse_date)
            .transpose()
            .map_err(|e| anyhow::anyhow!("--until: {e}"))?;
        Ok(match (self.weekly, self.every_weeks, self.count, until) {
            (None, None, None, None) => Repeat::Once,
            (Some(n), None, None, None) => Repeat::weekly(n),
            (None, every, None, Some(d)) => Repeat::Weeks {
                every_weeks: every.unwrap_or(1),
                end: RepeatEnd::Until(d),
            },
            (None, Some(every), Some(n), None) => Repeat::Weeks {
                every_weeks: every,
                end: RepeatEnd::Count(n),
            },
            (None, Some(_), None, None) => {
                bail!("--every-weeks needs --count COUNT or --until DATE")
            }
            _ => bail!(
                "choose one way to repeat: --weekly COUNT, --every-weeks N --count COUNT, or --until DATE"
            ),
        })
    }
}

fn date_flag(flag: &str, v: Option<String>) -> Result<Option<chrono::NaiveDate>> {
    v.as_deref()
        .map(parse_date)
        .transpose()
        .map_err(|e| anyhow::anyhow!("{flag}: {e}"))
}

pub fn run(ctx: &Ctx, cmd: SessionCommand) -> Result<ExitCode> {
    let now = ctx.clock.now_utc();
    let now_local = ctx.clock.now_local();
    match cmd {
        SessionCommand::Cancel(args) => return super::cancel::run(ctx, *args),
        SessionCommand::Add(args) => {
            let starts_at = parse_local(&args.at).map_err(|e| anyhow::anyhow!("--at: {e}"))?;
            let req = BookingRequest {
                client_id: args.client,
                starts_at,
                minutes: args.minutes,
                modality: args.modality,
                repeat: args.repeat()?,
            };
            let mut store = ctx.open()?;
            match store.book(&req, args.force, now)? {
                BookOutcome::Booked(ids) => {
                    for id in ids {
                        println!("{id}");
                    }
                }
                BookOutcome::Clash(c) => bail!(
                    "nothing was booked: {} Use --force to book it anyway.",
                    c.describe()
                ),
            }
        }
        SessionCommand::List {
            client,
            from,
            to,
            status,
            json,
        } => {
            let filter = SessionFilter {
                client_id: client,
                from: date_flag("--from", from)?,
                to: date_flag("--to", to)?,
                status,
            };
            let store = ctx.open()?;
            let sessions = store.session_list(&filter)?;
            json_or(json, &sessions, || {
                print_table(&sessions);
            })?;
        }
        SessionCommand::Show { id, json } => {
            let store = ctx.open()?;
            let s = store.session(id)?;
            let cancellation = store.cancellation_for_session(id)?;
            if json {
                let mut v = serde_json::to_value(&s)?;
                v["cancellation"] = serde_json::to_value(&cancellation)?;
                print_json(&v)?;
            } else {
                print_session(&s);
                if let Some(c) = &cancellation {
                    super::cancel::print_cancellation_line(c);
                }
            }
        }
        SessionCommand::Mark { id, status, json } => {
            let mut store = ctx.open()?;
            let s = store.mark_session(id, status, BY_CLI, now_local, now)?;
            let active = store
                .goals(s.client_id)?
                .iter()
                .filter(|g| g.status == crate::domain::goal::GoalStatus::Active)
                .count();
            json_or(json, &s, || {
                println!(
                    "Session {} with {} on {} is now {}.",
                    s.id,
                    s.client_name,
                    s.starts_at.format("%a %-d %b %Y %H:%M"),
                    s.status.label().to_lowercase()
                );
                // The same rule as the app, which opens the rating here.
                if crate::domain::goal::rate_after(s.status, active) {
                    println!(
                        "Rate progress on their {active} active goal{} (caseload goal list --client {}), each with: caseload goal rate GOAL --rating N --session {}",
                        if active == 1 { "" } else { "s" },
                        s.client_id,
                        s.id
                    );
                }
            })?;
        }
        SessionCommand::Uncancel { id, json } => {
            let mut store = ctx.open()?;
            let s = store.revert_cancellation(id, now_local, now)?;
            json_or(json, &s, || {
                println!(
                    "The cancellation was reverted: session {} with {} on {} is scheduled again.",
                    s.id,
                    s.client_name,
                    s.starts_at.format("%a %-d %b %Y %H:%M")
                );
            })?;
        }
        SessionCommand::Edit {
            id,
            at,
            minutes,
            modality,
            future,
            force,
        } => {
            let starts_at = at
                .as_deref()
                .map(parse_local)
                .transpose()
                .map_err(|e| anyhow::anyhow!("--at: {e}"))?;
            if starts_at.is_none() && minutes.is_none() && modality.is_none() {
                bail!("nothing to change: give --at, --minutes or --modality");
            }
            let change = SessionChange {
                starts_at,
                minutes,
                modality,
            };
            let scope = if future {
                SeriesScope::ThisAndFuture
            } else {
                SeriesScope::ThisOne
            };
            let mut store = ctx.open()?;
            match store.edit_sessions(id, change, scope, force, now_local, now)? {
                BookOutcome::Booked(ids) => {
                    for id in ids {
                        println!("{id}");
                    }
                }
                BookOutcome::Clash(c) => bail!(
                    "nothing was changed: {} Use --force to change it anyway.",
                    c.describe()
                ),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_table(sessions: &[Session]) {
    if sessions.is_empty() {
        println!("No sessions.");
        return;
    }
    println!(
        "{:>6}  {:<16}  {:>4}  {:<24}  {:<9}  status",
        "id", "starts", "min", "client", "modality"
    );
    for s in sessions {
        let name: String = s.client_name.chars().take(24).collect();
        println!(
            "{:>6}  {}  {:>4}  {:<24}  {:<9}  {}",
            s.id,
            s.starts_at.format("%Y-%m-%d %H:%M"),
            s.minutes,
            name,
            s.modality.as_str(),
            s.status.as_str()
        );
    }
}

fn print_session(s: &Session) {
    println!(
        "Session {} with {} (client {})",
        s.id, s.client_name, s.client_id
    );
    println!("  starts    {}", s.starts_at.format("%a %-d %b %Y %H:%M"));
    println!("  length    {} minutes", s.minutes);
    println!("  how       {}", s.modality.label());
    println!("  status    {}", s.status.label());
    if let Some(sid) = s.series_id {
        println!("  series    {sid}");
    }
    if let Some(at) = s.marked_at {
        println!(
            "  marked    {} by {}",
            crate::domain::time::format_instant(at),
            s.marked_by.as_deref().unwrap_or("—")
        );
    }
}
