//! `caseload record ID`: a client's copy of their record (HTML to print, PDF, or JSON), its release
//! recorded in the audit trail.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;

use super::Ctx;
use super::client::word;
use crate::domain::document::DocFormat;
use crate::domain::record::RecordFormat;
use crate::domain::time::parse_date;

#[derive(Debug, Args)]
pub struct RecordArgs {
    /// The client whose record it is.
    pub id: i64,
    /// html (printable web page), pdf or json.
    #[arg(long, value_parser = word::<RecordFormat>, default_value = "html")]
    pub format: RecordFormat,
    /// Write to this file (created readable only by you; an existing file is never replaced).
    /// Without it, the record goes to standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only what happened from this day on (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub from: Option<chrono::NaiveDate>,
    /// Only what happened up to this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub to: Option<chrono::NaiveDate>,
}

/// Writes `bytes` to a new file readable only by its owner; an existing file (or a link) at
/// the path is refused and left alone.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let mut f = match o.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => bail!(
            "{} already exists, so nothing was written over it. Choose another file name.",
            path.display()
        ),
        Err(e) => return Err(e).with_context(|| format!("could not write {}", path.display())),
    };
    f.write_all(bytes)
        .and_then(|_| f.sync_all())
        .with_context(|| format!("could not write {}", path.display()))
}

pub fn run(ctx: &Ctx, a: RecordArgs) -> Result<ExitCode> {
    if let (Some(f), Some(t)) = (a.from, a.to)
        && f > t
    {
        bail!("--from ({f}) is after --to ({t}). Nothing was written.");
    }
    if a.format == RecordFormat::Pdf && a.output.is_none() && std::io::stdout().is_terminal() {
        bail!(
            "A PDF is not readable on the screen. Give a file with -o (for example -o record.pdf), or send it on with a pipe. Nothing was written."
        );
    }
    let mut store = ctx.open()?;
    let record = store.client_record(a.id, a.from, a.to)?;
    let body: Vec<u8> = match a.format {
        RecordFormat::Json => (serde_json::to_string_pretty(&record)? + "\n").into_bytes(),
        RecordFormat::Pdf => record
            .document(&store.practice_profile()?, ctx.clock.today())
            .pdf(),
        RecordFormat::Html => record
            .document(&store.practice_profile()?, ctx.clock.today())
            .render(DocFormat::Html)
            .into_bytes(),
    };
    let period = match (a.from, a.to) {
        (None, None) => "the whole record".to_string(),
        (f, t) => format!(
            "{} to {}",
            f.map_or("the start".into(), |d| d.to_string()),
            t.map_or("today".into(), |d| d.to_string())
        ),
    };
    // Where it went, without the file's name (it may name the client, and the audit trail
    // holds no free text about a client).
    let to = match &a.output {
        Some(_) => "a file",
        None => "standard output",
    };
    match &a.output {
        Some(p) => write_private(p, &body)?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&body)
                .and_then(|_| out.flush())
                .context("the record could not be written to standard output")?;
        }
    }
    // Recorded once the copy exists: a failed write is not a release.
    store.record_released(
        a.id,
        &format!("copy released ({}, {period}) to {to}", a.format),
        ctx.clock.now_utc(),
    )?;
    if let Some(p) = &a.output {
        eprintln!(
            "Wrote the record of {} to {} (its release is in the audit trail).",
            record.client.name,
            p.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
