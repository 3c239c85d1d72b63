//! `caseload backup | restore | check | export | import | audit`: keeping the records safe.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use super::{Ctx, json_or, print_json};
use crate::domain::time::format_local;
use crate::store::safety::{self, size_words};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum SafetyCommand {
    /// Make a backup copy of the practice file (safe while the app is open).
    Backup {
        /// Where to write it (default: the backups folder beside the practice file).
        file: Option<PathBuf>,
    },
    /// Replace the practice file with a backup, after checking the backup; the current file is
    /// kept in the backups folder.
    Restore {
        /// The backup to restore.
        file: PathBuf,
    },
    /// Check the practice file: integrity, links between records, schema, counts, last backup.
    /// Exits with 1 when there is a problem.
    Check {
        #[arg(long)]
        json: bool,
        /// Also fail when this hash (from `caseload audit --head`, kept outside the computer) is
        /// no longer in the audit trail: the history before it was rewritten.
        #[arg(long, value_name = "HASH")]
        expect_head: Option<String>,
    },
    /// Export every record: one JSON document, or one CSV file per table.
    Export {
        #[arg(long, value_enum, default_value = "json")]
        format: ExportFormat,
        /// The file (JSON; default: standard output) or folder (CSV, required) to write.
        #[arg(short = 'o', long = "output", value_name = "PATH")]
        output: Option<PathBuf>,
    },
    /// Import a JSON export into a new, empty practice file (all or nothing).
    Import {
        /// The export to read.
        file: PathBuf,
    },
    /// Show the audit trail of changes to clinical records.
    Audit {
        /// Only the entries about this client.
        #[arg(long, value_name = "ID", conflicts_with = "head")]
        client: Option<i64>,
        /// Print only the chain's length and the hash of its last entry, to keep outside the
        /// computer (a diary, an email to yourself); `check --expect-head HASH` compares later.
        #[arg(long)]
        head: bool,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(ctx: &Ctx, cmd: SafetyCommand) -> Result<ExitCode> {
    match cmd {
        SafetyCommand::Backup { file } => backup(ctx, file),
        SafetyCommand::Restore { file } => restore(ctx, &file),
        SafetyCommand::Check { json, expect_head } => check(ctx, json, expect_head.as_deref()),
        SafetyCommand::Export { format, output } => export(ctx, format, output),
        SafetyCommand::Import { file } => import(ctx, &file),
        SafetyCommand::Audit {
            head: true, json, ..
        } => audit_head(ctx, json),
        SafetyCommand::Audit { client, json, .. } => audit(ctx, client, json),
    }
}

fn backup(ctx: &Ctx, file: Option<PathBuf>) -> Result<ExitCode> {
    let store = ctx.open()?;
    let dest =
        file.unwrap_or_else(|| safety::default_backup_path(&ctx.db_path, ctx.clock.now_local()));
    let bytes = store.backup_to(&dest)?;
    println!(
        "Backed up {} to {} ({}).",
        ctx.db_path.display(),
        dest.display(),
        size_words(bytes)
    );
    Ok(ExitCode::SUCCESS)
}

fn restore(ctx: &Ctx, file: &Path) -> Result<ExitCode> {
    // An encrypted practice stays encrypted with its own key: its passphrase is needed.
    let current = if crate::store::crypt::is_encrypted(&ctx.db_path) {
        Some(super::crypt::practice_key(&ctx.db_path)?)
    } else {
        None
    };
    // An encrypted backup opens with its own passphrase or recovery key.
    let r = safety::restore_keyed(
        &ctx.db_path,
        file,
        ctx.clock.now_local(),
        ctx.clock.now_utc(),
        &super::crypt::backup_key,
        current.as_ref(),
    )?;
    println!(
        "Restored {} from {}. {}",
        ctx.db_path.display(),
        r.restored_from.display(),
        r.encryption
    );
    if let Some(k) = r.kept {
        println!("The file it replaced was kept as {}.", k.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn check(ctx: &Ctx, json: bool, expect_head: Option<&str>) -> Result<ExitCode> {
    if let Some(h) = expect_head
        && !crate::domain::seal::is_hash(&h.to_ascii_lowercase())
    {
        bail!(
            "“{h}” is not a head hash: it has 64 letters and digits (0-9, a-f), as `caseload audit --head` prints it. Nothing was checked."
        );
    }
    let store = ctx.open()?;
    let r = store.check_expecting(expect_head)?;
    json_or(json, &r, || {
        println!(
            "Practice file: {} (schema {}; this caseload writes {})",
            ctx.db_path.display(),
            r.schema_version,
            r.schema_supported
        );
        println!(
            "Integrity:     {}",
            if r.integrity == ["ok"] {
                "ok"
            } else {
                "damaged"
            }
        );
        println!(
            "Links:         {}",
            if r.broken_links.is_empty() {
                "ok".to_string()
            } else {
                format!("{} broken", r.broken_links.len())
            }
        );
        let v = &r.verification;
        let word = |ok: bool| if ok { "ok" } else { "PROBLEMS" };
        println!(
            "Seal:          {} ({} entries; head {})",
            word(v.seal.ok),
            v.seal.entries,
            v.seal.head.as_deref().unwrap_or("none yet")
        );
        println!("Schema:        {}", word(v.schema_objects.ok));
        println!("Record rules:  {}", word(v.records.ok));
        println!(
            "Figures:       {}",
            if r.kept_figures.ok {
                "ok (the report's kept monthly counts equal a fresh count)"
            } else {
                "PROBLEMS (the report's kept monthly counts are out of step)"
            }
        );
        let width = r.tables.iter().map(|t| t.table.len()).max().unwrap_or(0);
        println!("Records:");
        for t in &r.tables {
            println!("  {:<width$}  {:>8}", t.table, t.rows);
        }
        match &r.last_backup {
            Some(b) => println!(
                "Last backup:   {} ({}, {})",
                b.path.display(),
                format_local(b.at).replace('T', " "),
                size_words(b.bytes)
            ),
            None => println!("Last backup:   none yet — make one with `caseload backup`"),
        }
        if r.ok {
            println!("All is well.");
        } else {
            println!("Problems:");
            for p in &r.problems {
                println!("  - {p}");
            }
        }
    })?;
    Ok(if r.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// A progress bar on stderr when it is a terminal; hidden otherwise.
fn progress(total: u64, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} records") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_string());
    bar
}

fn export(ctx: &Ctx, format: ExportFormat, output: Option<PathBuf>) -> Result<ExitCode> {
    let store = ctx.open()?;
    let bar = progress(store.row_total()?, "Exporting");
    let mut tick = |n: u64| bar.inc(n);
    match format {
        ExportFormat::Json => match output {
            None => {
                let stdout = std::io::stdout();
                let mut out = std::io::BufWriter::new(stdout.lock());
                store.export_json(&mut out, &mut tick)?;
                bar.finish_and_clear();
            }
            Some(path) => {
                let mut buf = std::io::BufWriter::new(Vec::new());
                let summary = store.export_json(&mut buf, &mut tick)?;
                let bytes = buf
                    .into_inner()
                    .context("the export could not be written")?;
                write_private(&path, &bytes)?;
                bar.finish_and_clear();
                println!(
                    "Exported {} records from {} tables to {} ({}).",
                    summary.rows,
                    summary.tables,
                    path.display(),
                    size_words(bytes.len() as u64)
                );
            }
        },
        ExportFormat::Csv => {
            let Some(dir) = output else {
                bail!("--format csv writes one file per table: give a folder with -o DIR");
            };
            let files = store.export_csv(&dir, &mut tick)?;
            bar.finish_and_clear();
            let rows: u64 = files.iter().map(|(_, n)| n).sum();
            println!(
                "Exported {rows} records to {} CSV files in {}.",
                files.len(),
                dir.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes a whole file readable only by its owner: to a temporary file, flushed, then renamed.
fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    if let Some(d) = dir {
        safety_dir(d)?;
    }
    let tmp = path.with_extension("export.tmp");
    let result = (|| -> std::io::Result<()> {
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.mode(0o600);
        }
        let mut f = o.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        bail!(
            "the export could not be written to {} ({e})",
            path.display()
        );
    }
    Ok(())
}

fn safety_dir(d: &Path) -> Result<()> {
    if d.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(d)
        .with_context(|| format!("could not make the folder {}", d.display()))
}

fn import(ctx: &Ctx, file: &Path) -> Result<ExitCode> {
    if file.is_dir() {
        bail!(
            "{} is a folder; import reads one JSON export file",
            file.display()
        );
    }
    let text = std::fs::read(file).with_context(|| format!("could not read {}", file.display()))?;
    let mut store = ctx.open()?;
    // Rows are counted roughly from the lines of the document: one row a line.
    let lines = text.iter().filter(|b| **b == b'\n').count() as u64;
    let bar = progress(lines, "Importing");
    let summary = store.import_json(&text, &mut |n| bar.inc(n))?;
    bar.finish_and_clear();
    println!(
        "Imported {} records from {} tables into {}.",
        summary.rows,
        summary.tables,
        ctx.db_path.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn audit_head(ctx: &Ctx, json: bool) -> Result<ExitCode> {
    let store = ctx.open()?;
    let h = store.audit_head()?;
    json_or(json, &h, || match &h.head {
        Some(head) => {
            println!("{} entries; head {head}", h.entries);
            println!(
                "Keep this line somewhere outside the computer. Later, `caseload check --expect-head {head}` tells whether the history up to here is still intact."
            );
        }
        None => println!("The audit trail is empty: nothing to keep yet."),
    })?;
    Ok(ExitCode::SUCCESS)
}

fn audit(ctx: &Ctx, client: Option<i64>, json: bool) -> Result<ExitCode> {
    let store = ctx.open()?;
    if let Some(id) = client {
        store.client(id)?;
    }
    let entries = store.audit_entries(client)?;
    if json {
        print_json(&entries)?;
        return Ok(ExitCode::SUCCESS);
    }
    if entries.is_empty() {
        println!("Nothing in the audit trail yet.");
    }
    for e in &entries {
        let record = match e.entity_id {
            Some(id) => format!("{} {id}", e.entity),
            None => e.entity.clone(),
        };
        let at = crate::domain::time::format_instant(e.at);
        print!("{at}  {:<16}  {record}", e.action);
        if let Some(d) = &e.detail {
            print!("  {d}");
        }
        println!();
    }
    Ok(ExitCode::SUCCESS)
}
