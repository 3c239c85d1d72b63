//! `caseload handout --client ID …`: write the expectations handout, or mark it given.

use super::{print_clean as print, println_clean as println};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::client::word;
use super::{Ctx, print_json};
use crate::domain::boundary::check_day;
use crate::domain::document::DocFormat;
use crate::domain::handout::HandoutState;
use crate::store::StoreError;

#[derive(Debug, Args)]
pub struct HandoutArgs {
    /// The client the handout is for.
    #[arg(long, value_name = "ID")]
    pub client: i64,
    /// md, html or txt.
    #[arg(long, default_value = "md", value_parser = word::<DocFormat>)]
    pub format: DocFormat,
    /// Write to this file instead of the terminal (made readable by you only).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the file given with -o if it already exists.
    #[arg(long, requires = "output")]
    pub force: bool,
    /// Record that the current handout was given to the client.
    #[arg(long)]
    pub mark_given: bool,
    /// The day it was given, YYYY-MM-DD (default: today). Only with --mark-given.
    #[arg(long, value_name = "DATE", requires = "mark_given")]
    pub at: Option<String>,
    /// Say whether the client has the current handout (never_given, up_to_date, out_of_date).
    #[arg(long, conflicts_with = "mark_given")]
    pub status: bool,
    /// Print JSON instead of text (with --status or --mark-given).
    #[arg(long)]
    pub json: bool,
}

/// Writes text to a file under the output rules (0600, `--force` to replace, never through a
/// link; a device or FIFO written to directly), or to the terminal when no file is given.
/// Returns true when a file on disk was written.
pub fn emit(text: &str, output: Option<&PathBuf>, force: bool) -> Result<bool> {
    match output {
        Some(path) => Ok(crate::outfile::write(path, text.as_bytes(), force)?.is_file()),
        None => {
            print!("{text}");
            Ok(false)
        }
    }
}

pub fn run(ctx: &Ctx, a: HandoutArgs) -> Result<ExitCode> {
    let now = ctx.clock.now_local();
    let mut store = ctx.open()?;
    let client = store.client(a.client)?;
    if a.status {
        let state = store.handout_state(a.client, now)?;
        let version = store.handout_content(a.client, now)?.version();
        if a.json {
            let (given_version, given_on) = match store.last_handout(a.client)? {
                Some((v, d)) => (Some(v), Some(d)),
                None => (None, None),
            };
            print_json(&serde_json::json!({
                "client_id": a.client,
                "state": state.word(),
                "current_version": version,
                "given_version": given_version,
                "given_on": given_on,
            }))?;
        } else {
            println!("Handout for {}: {}.", client.name, state.words());
        }
        return Ok(ExitCode::SUCCESS);
    }
    if a.mark_given {
        let on = check_day("at", a.at.as_deref().unwrap_or(""), now.date())
            .map_err(|e| StoreError::from(crate::domain::ValidationError { errors: vec![e] }))?;
        if let Some(out) = &a.output {
            let content = store.handout_content(a.client, now)?;
            emit(&content.document(on).render(a.format), Some(out), a.force)?;
        }
        let version = store.mark_handout_given(a.client, on, now, ctx.clock.now_utc())?;
        if a.json {
            print_json(&serde_json::json!({
                "client_id": a.client,
                "version": version,
                "given_on": on,
                "state": HandoutState::UpToDate { given_on: on }.word(),
            }))?;
        } else {
            println!(
                "Recorded handout version {version} as given to {} on {on}.",
                client.name
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let content = store.handout_content(a.client, now)?;
    if let Some(out) = &a.output {
        crate::outfile::check(out, a.force)?;
    }
    let to_file = emit(
        &content.document(now.date()).render(a.format),
        a.output.as_ref(),
        a.force,
    )?;
    if let Some(out) = a.output.as_ref().filter(|_| to_file) {
        eprintln!(
            "Wrote the handout for {} to {} (version {}).",
            client.name,
            out.display(),
            content.version()
        );
    }
    Ok(ExitCode::SUCCESS)
}
