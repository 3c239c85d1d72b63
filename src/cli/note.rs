//! `caseload note …`
//!
//! A note is read from `--file` or standard input as markdown: for a templated note, each
//! section under a `## Heading` line (`## Subjective`, `## Plan`, …); a free note is plain text.

use super::{print_clean as print, println_clean as println};
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Subcommand;

use super::client::word;
use super::{Ctx, json_or};
use crate::config::Config;
use crate::domain::note::{Note, NoteBody, NoteTemplate};
use crate::domain::time::{DateStyle, Shown};
use crate::store::note::NoteHit;

#[derive(Debug, Subcommand)]
pub enum NoteCommand {
    /// Write the note of a session (a draft until signed); prints the new note's id.
    Add {
        /// The session the note is about.
        #[arg(long, value_name = "ID")]
        session: i64,
        /// soap, dap, birp or free (default: note_template in config.toml, else soap).
        #[arg(long, value_parser = word::<NoteTemplate>)]
        template: Option<NoteTemplate>,
        /// Read the note from this file ("-" or none: standard input).
        #[arg(long, value_name = "F")]
        file: Option<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Replace the text of a draft note (a signed note can't be changed: add an addendum).
    Edit {
        /// The note's id.
        id: i64,
        /// Read the note from this file ("-" or none: standard input).
        #[arg(long, value_name = "F")]
        file: Option<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Sign a note: it becomes final, and corrections are added as addenda.
    Sign {
        /// The note's id.
        id: i64,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Add a correction or addition to a signed note.
    Addendum {
        /// The note's id.
        id: i64,
        /// The text of the addendum.
        #[arg(long)]
        text: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// A client's notes, newest first.
    List {
        /// The client's id.
        #[arg(long, value_name = "ID")]
        client: i64,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Search every note and addendum for words (each word also matches as a prefix).
    Search {
        /// The words to look for.
        query: String,
        /// Only this client's notes.
        #[arg(long, value_name = "ID")]
        client: Option<i64>,
        /// At most this many results.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Show one note with its addenda.
    Show {
        /// The note's id.
        id: i64,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(ctx: &Ctx, cmd: NoteCommand) -> Result<ExitCode> {
    let now = ctx.clock.now_utc();
    match cmd {
        NoteCommand::Add {
            session,
            template,
            file,
            json,
        } => {
            let template = match template {
                Some(t) => t,
                None => {
                    let (config, warning) = Config::load_default();
                    if let Some(w) = warning {
                        eprintln!("caseload: {w}");
                    }
                    config.note_template
                }
            };
            let body = read_note(template, file.as_deref())?;
            if body.is_empty() {
                anyhow::bail!("the note is empty, so nothing was written");
            }
            let mut store = ctx.open()?;
            let n = store.add_session_note(session, &body, now)?;
            json_or(json, &n, || {
                println!("{}", n.id);
            })?;
        }
        NoteCommand::Edit { id, file, json } => {
            let mut store = ctx.open()?;
            let current = store.note(id)?;
            if current.is_signed() {
                // Refused before reading anything: nothing changes.
                store.save_draft(id, &current.sections, now)?;
            }
            let body = read_note(current.template, file.as_deref())?;
            let n = store.save_draft(id, &body, now)?;
            json_or(json, &n, || {
                println!("Saved note {} (a draft until it is signed).", n.id);
            })?;
        }
        NoteCommand::Sign { id, json } => {
            let mut store = ctx.open()?;
            let n = store.sign_note(id, now)?;
            json_or(json, &n, || {
                println!(
                    "Signed note {}. It is final now; corrections are added as addenda.",
                    n.id
                );
            })?;
        }
        NoteCommand::Addendum { id, text, json } => {
            let mut store = ctx.open()?;
            let n = store.add_addendum(id, &text, now)?;
            json_or(json, &n, || {
                println!("Added an addendum to note {}.", n.id);
            })?;
        }
        NoteCommand::List { client, json } => {
            let store = ctx.open()?;
            let notes = store.notes_for_client(client)?;
            json_or(json, &notes, || {
                print_list(&notes);
            })?;
        }
        NoteCommand::Search {
            query,
            client,
            limit,
            json,
        } => {
            let store = ctx.open()?;
            let hits = store.search_notes(&query, client, limit)?;
            json_or(json, &hits, || {
                print_hits(&hits);
            })?;
        }
        NoteCommand::Show { id, json } => {
            let store = ctx.open()?;
            let n = store.note(id)?;
            json_or(json, &n, || {
                print_note(&n);
            })?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads a note document from a file or standard input and parses it for `template`.
fn read_note(template: NoteTemplate, file: Option<&Path>) -> Result<NoteBody> {
    let (text, from) = match file {
        Some(p) if p.as_os_str() != "-" => (
            std::fs::read_to_string(p)
                .with_context(|| format!("could not read {}", p.display()))?,
            p.display().to_string(),
        ),
        _ => {
            let mut stdin = std::io::stdin();
            if stdin.is_terminal() {
                eprintln!("Type the note, then press Ctrl-D on a line of its own.");
            }
            let mut s = String::new();
            stdin
                .read_to_string(&mut s)
                .context("could not read the note from standard input")?;
            (s, "the note".to_string())
        }
    };
    NoteBody::parse(template, &text).map_err(|e| anyhow::anyhow!("{from}, {e}"))
}

fn when(n: &Note) -> String {
    match n.session_starts_at {
        Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
        None => crate::clock::show(n.created_at, DateStyle::Iso, Shown::Date),
    }
}

fn preview(text: &str, width: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > width {
        let cut: String = flat.chars().take(width.saturating_sub(1)).collect();
        format!("{cut}…")
    } else {
        flat
    }
}

fn print_list(notes: &[Note]) {
    if notes.is_empty() {
        println!("No notes.");
        return;
    }
    println!(
        "{:>5}  {:<16}  {:<6}  {:<9}  text",
        "id", "session", "state", "template"
    );
    for n in notes {
        let addenda = match n.addenda.len() {
            0 => String::new(),
            1 => " (+1 addendum)".into(),
            k => format!(" (+{k} addenda)"),
        };
        println!(
            "{:>5}  {:<16}  {:<6}  {:<9}  {}{addenda}",
            n.id,
            when(n),
            n.state.as_str(),
            n.template.as_str(),
            preview(&n.sections.plain_text(), 50)
        );
    }
}

fn print_hits(hits: &[NoteHit]) {
    if hits.is_empty() {
        println!("No notes match.");
        return;
    }
    for h in hits {
        let when = match h.session_starts_at {
            Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
            None => crate::clock::show(h.created_at, DateStyle::Iso, Shown::Date),
        };
        println!(
            "{:>5}  {}  {}  {}  {}",
            h.note_id,
            when,
            h.client_name,
            h.state.as_str(),
            h.snippet
        );
    }
}

fn print_note(n: &Note) {
    let state = match n.signed_at {
        Some(t) => format!("signed {}", t.format("%Y-%m-%d %H:%M UTC")),
        None => "draft".into(),
    };
    println!(
        "Note {} · {} · {} · {} · {state}",
        n.id,
        n.client_name,
        when(n),
        n.template.label()
    );
    println!();
    print!("{}", n.sections.to_markdown());
    for a in &n.addenda {
        println!();
        println!(
            "## Addendum · {}",
            crate::clock::show(a.created_at, DateStyle::Iso, Shown::DateTime)
        );
        println!();
        println!("{}", a.text);
    }
}
