//! `caseload calendar`: sessions as an iCalendar (RFC 5545) file for a phone or desktop calendar.
//!
//! Each session keeps the same UID in every export (`session-<id>@caseload`), so importing again
//! updates events rather than doubling them. Summaries carry client initials only unless
//! `--full-names`, and the modality; no note, no contact detail, nothing clinical, ever.

use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::{DateTime, Duration, Utc};
use clap::Args;
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};

use super::Ctx;
use crate::domain::client::initials;
use crate::domain::session::Session;
use crate::domain::time::parse_date;
use crate::store::session::SessionFilter;

#[derive(Debug, Args)]
pub struct CalendarArgs {
    /// From this date, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// To this date, YYYY-MM-DD, inclusive (default: every booked session to come).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Write to this file (default: standard output).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// Put clients' full names in the summaries (initials otherwise).
    #[arg(long)]
    pub full_names: bool,
}

/// The stable UID of a session's event.
pub fn uid(session_id: i64) -> String {
    format!("session-{session_id}@caseload")
}

/// The event summary: who (initials unless full names) and how.
pub fn summary(s: &Session, full_names: bool) -> String {
    let who = if full_names {
        s.client_name.clone()
    } else {
        initials(&s.client_name)
    };
    format!("Session · {who} · {}", s.modality.label().to_lowercase())
}

/// Builds the calendar text. `stamp` is the export's moment (DTSTAMP), so the same file and the
/// same clock give the same bytes.
pub fn to_ics(sessions: &[Session], full_names: bool, stamp: DateTime<Utc>) -> String {
    let mut cal = Calendar::new();
    cal.name("caseload sessions");
    for s in sessions {
        let mut e = Event::new();
        e.uid(&uid(s.id))
            .timestamp(stamp)
            .summary(&summary(s, full_names))
            .starts(s.starts_at)
            .ends(s.starts_at + Duration::minutes(i64::from(s.minutes)));
        if s.status.is_off() {
            e.status(EventStatus::Cancelled);
        } else {
            e.status(EventStatus::Confirmed);
        }
        cal.push(e.done());
    }
    cal.done().to_string()
}

pub fn run(ctx: &Ctx, args: CalendarArgs) -> Result<ExitCode> {
    let from = match args.from.as_deref() {
        Some(d) => parse_date(d).map_err(|e| anyhow::anyhow!("--from: {e}"))?,
        None => ctx.clock.today(),
    };
    let to = args
        .to
        .as_deref()
        .map(parse_date)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--to: {e}"))?;
    if let Some(to) = to
        && to < from
    {
        anyhow::bail!("--to {to} is before --from {from}");
    }
    let store = ctx.open()?;
    let sessions = store.session_list(&SessionFilter {
        from: Some(from),
        to,
        ..Default::default()
    })?;
    let text = to_ics(&sessions, args.full_names, ctx.clock.now_utc());
    match &args.output {
        Some(path) => {
            std::fs::write(path, &text)
                .with_context(|| format!("could not write {}", path.display()))?;
            eprintln!(
                "Wrote {} session{} to {}.",
                sessions.len(),
                if sessions.len() == 1 { "" } else { "s" },
                path.display()
            );
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}
