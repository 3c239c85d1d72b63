//! `caseload calendar`: sessions as an iCalendar (RFC 5545) file for a phone or desktop calendar.
//!
//! Each session keeps the same UID in every export (`session-<id>@caseload`), so importing again
//! updates events rather than doubling them; `SEQUENCE` goes up when the session's time, length,
//! modality or status changes and `LAST-MODIFIED` is when it last changed, so calendar programs
//! that compare versions take the update. Summaries carry client initials only unless
//! `--full-names`, and the modality; no note, no contact detail, nothing clinical, ever. Times are
//! floating: the local wall-clock time the session was booked at.
//!
//! `--client ID` writes one client's own calendar of their coming sessions, to send them: the
//! practice's name and phone (and the video link for a video session), never another client.

use std::process::ExitCode;

use anyhow::Result;
use chrono::{DateTime, Duration, Utc};
use clap::Args;

use super::Ctx;
use crate::domain::client::initials;
use crate::domain::ical::{self, CalEvent, Reminder};
use crate::domain::session::{Modality, Session, SessionStatus};
use crate::domain::time::parse_date;
use crate::store::calendar::CalendarVersion;
use crate::store::session::SessionFilter;

#[derive(Debug, Args)]
pub struct CalendarArgs {
    /// From this date, YYYY-MM-DD (default: today; with --client, from now).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// To this date, YYYY-MM-DD, inclusive (default: every booked session to come).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Write to this file (default: standard output); made readable by you only.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// Replace the file given with -o if it already exists.
    #[arg(long, requires = "output")]
    pub force: bool,
    /// Put clients' full names in the summaries (initials otherwise).
    #[arg(long, conflicts_with = "client")]
    pub full_names: bool,
    /// Leave out cancelled, late-cancelled and rescheduled sessions.
    #[arg(long)]
    pub no_cancelled: bool,
    /// Add a reminder this long before each session: 15m, 2h, 1d, 1w… (repeatable).
    #[arg(long, value_name = "BEFORE", value_parser = Reminder::parse)]
    pub remind: Vec<Reminder>,
    /// Only this client's coming sessions, worded for the client (a file to send them).
    #[arg(long, value_name = "ID")]
    pub client: Option<i64>,
}

/// The stable UID of a session's event.
pub fn uid(session_id: i64) -> String {
    format!("session-{session_id}@caseload")
}

/// `PRODID`: caseload and its version.
pub fn prodid() -> String {
    format!("-//caseload//caseload {}//EN", env!("CARGO_PKG_VERSION"))
}

/// What a summary starts with: the session's state when it is off.
fn state_prefix(status: SessionStatus) -> &'static str {
    match status {
        SessionStatus::Cancelled | SessionStatus::LateCancelled => "Cancelled · ",
        SessionStatus::Rescheduled => "Rescheduled · ",
        _ => "",
    }
}

/// The event summary for the practitioner's calendar: who (initials unless full names) and how.
pub fn summary(s: &Session, full_names: bool) -> String {
    let who = if full_names {
        s.client_name.clone()
    } else {
        initials(&s.client_name)
    };
    format!(
        "{}Session · {who} · {}",
        state_prefix(s.status),
        s.modality.label().to_lowercase()
    )
}

/// What the practice tells a client in their own calendar.
#[derive(Debug, Clone, Default)]
pub struct PracticeContact {
    pub practice_name: String,
    pub practitioner_name: String,
    pub phone: String,
    pub address: String,
    pub video_link: Option<String>,
}

impl PracticeContact {
    fn with_whom(&self) -> String {
        [&self.practitioner_name, &self.practice_name]
            .into_iter()
            .find(|s| !s.trim().is_empty())
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|| "your practitioner".into())
    }
}

fn client_event_text(s: &Session, p: &PracticeContact) -> (String, String, Option<String>) {
    let how = s.modality.label().to_lowercase();
    let summary = format!(
        "{}Session with {} · {how}",
        state_prefix(s.status),
        p.with_whom()
    );
    let mut lines = Vec::new();
    if !p.practice_name.trim().is_empty() {
        lines.push(p.practice_name.trim().to_string());
    }
    if !p.phone.trim().is_empty() {
        lines.push(format!("Phone: {}", p.phone.trim()));
    }
    let link = match (s.modality, &p.video_link) {
        (Modality::Video, Some(l)) if !l.trim().is_empty() => Some(l.trim().to_string()),
        _ => None,
    };
    if let Some(l) = &link {
        lines.push(format!("Join the video call: {l}"));
    }
    let location = match s.modality {
        Modality::Video => link,
        Modality::InPerson => Some(p.address.trim().to_string()).filter(|a| !a.is_empty()),
        Modality::Phone => None,
    };
    (summary, lines.join("\n"), location)
}

/// What to write and for whom.
#[derive(Debug, Clone, Default)]
pub struct CalendarOptions {
    pub full_names: bool,
    pub reminders: Vec<Reminder>,
    /// Set for a client's own calendar.
    pub for_client: Option<PracticeContact>,
}

/// Builds the calendar text. `stamp` is the export's moment (DTSTAMP), so the same file and the
/// same clock give the same bytes.
pub fn to_ics(
    sessions: &[Session],
    versions: &std::collections::HashMap<i64, CalendarVersion>,
    opts: &CalendarOptions,
    stamp: DateTime<Utc>,
) -> String {
    let events: Vec<CalEvent> = sessions
        .iter()
        .map(|s| {
            let v = versions.get(&s.id);
            let (summary, description, location) = match &opts.for_client {
                Some(p) => {
                    let (sum, desc, loc) = client_event_text(s, p);
                    (sum, Some(desc).filter(|d| !d.is_empty()), loc)
                }
                None => (summary(s, opts.full_names), None, None),
            };
            CalEvent {
                uid: uid(s.id),
                summary,
                description,
                location,
                starts: s.starts_at,
                ends: s.starts_at + Duration::minutes(i64::from(s.minutes)),
                cancelled: s.status.is_off(),
                sequence: v.map_or(0, |v| v.sequence),
                last_modified: v.map(|v| v.updated_at),
            }
        })
        .collect();
    let name = match &opts.for_client {
        Some(p) => format!("Sessions with {}", p.with_whom()),
        None => "caseload sessions".to_string(),
    };
    ical::calendar(&name, &prodid(), &events, &opts.reminders, stamp)
}

pub fn run(ctx: &Ctx, args: CalendarArgs) -> Result<ExitCode> {
    let from = match args.from.as_deref() {
        Some(d) => parse_date(d).map_err(|e| super::usage!("--from: {e}"))?,
        None => ctx.clock.today(),
    };
    let to = args
        .to
        .as_deref()
        .map(parse_date)
        .transpose()
        .map_err(|e| super::usage!("--to: {e}"))?;
    if let Some(to) = to
        && to < from
    {
        return Err(super::usage!("--to {to} is before --from {from}"));
    }
    if let Some(path) = &args.output {
        crate::outfile::check(path, args.force)?;
    }
    let store = ctx.open()?;
    let mut opts = CalendarOptions {
        full_names: args.full_names,
        reminders: args.remind.clone(),
        for_client: None,
    };
    if let Some(id) = args.client {
        store.client(id)?;
        let profile = store.practice_profile()?;
        let settings = store.practice_settings()?;
        let link = settings.video_link.trim();
        opts.for_client = Some(PracticeContact {
            practice_name: profile.practice_name,
            practitioner_name: profile.practitioner_name,
            phone: profile.phone,
            address: profile.address,
            video_link: Some(link.to_string()).filter(|l| !l.is_empty()),
        });
    }
    let now = ctx.clock.now_local();
    let mut sessions = store.session_list(&SessionFilter {
        client_id: args.client,
        from: Some(from),
        to,
        ..Default::default()
    })?;
    sessions.retain(|s| {
        s.client_id == args.client.unwrap_or(s.client_id)
            && !(args.no_cancelled && s.status.is_off())
            && (args.client.is_none() || args.from.is_some() || s.starts_at >= now)
    });
    let ids: Vec<i64> = sessions.iter().map(|s| s.id).collect();
    let versions = store.calendar_versions(&ids)?;
    let text = to_ics(&sessions, &versions, &opts, ctx.clock.now_utc());
    match &args.output {
        Some(path) => {
            if crate::outfile::write(path, text.as_bytes(), args.force)?.is_file() {
                eprintln!(
                    "Wrote {} session{} to {}.",
                    sessions.len(),
                    if sessions.len() == 1 { "" } else { "s" },
                    path.display()
                );
            }
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}
