//! `caseload backup | restore | check | export | import | audit`: keeping the records safe.

use super::{print_clean as print, println_clean as println};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use super::{Ctx, json_or, print_json};
use crate::domain::time::{DateStyle, Shown, format_local};
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
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Also fail when this hash (from `caseload audit --head`, kept outside the computer) is
        /// no longer in the audit trail: the history before it was rewritten.
        #[arg(long, value_name = "HASH")]
        expect_head: Option<String>,
        /// Run SQLite's full integrity check (every index against its table) instead of its
        /// quick check. Slower on a large practice.
        #[arg(long)]
        full: bool,
    },
    /// Export every record: one JSON document, or one CSV file per table.
    Export {
        /// json (one document) or csv (one file per table in a folder).
        #[arg(long, value_enum, default_value = "json")]
        format: ExportFormat,
        /// The file (JSON; default: standard output) or folder (CSV, required) to write.
        #[arg(short = 'o', long = "output", value_name = "PATH")]
        output: Option<PathBuf>,
        /// Replace what is already at -o (the file, or the CSV files in the folder).
        #[arg(long, requires = "output")]
        force: bool,
        /// CSV: write text exactly as stored (no ' before a cell that starts with =, +, -, @).
        #[arg(long)]
        raw: bool,
        /// CSV: start each file with a UTF-8 byte-order mark, for Excel.
        #[arg(long)]
        bom: bool,
        /// Write the data dictionary instead: every table and column, their types, allowed
        /// values, references and time kinds.
        #[arg(long, conflicts_with_all = ["raw", "bom"])]
        dictionary: bool,
        /// With --dictionary: JSON instead of text.
        #[arg(long, requires = "dictionary")]
        json: bool,
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
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(ctx: &Ctx, cmd: SafetyCommand) -> Result<ExitCode> {
    match cmd {
        SafetyCommand::Backup { file } => backup(ctx, file),
        SafetyCommand::Restore { file } => restore(ctx, &file),
        SafetyCommand::Check {
            json,
            expect_head,
            full,
        } => check(ctx, json, expect_head.as_deref(), full),
        SafetyCommand::Export {
            output,
            force,
            dictionary: true,
            json,
            ..
        } => export_dictionary(json, output, force),
        SafetyCommand::Export {
            format,
            output,
            force,
            raw,
            bom,
            ..
        } => export(
            ctx,
            format,
            output,
            crate::store::export_csv::CsvOptions { force, raw, bom },
        ),
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
    // The practice file is replaced by a regular file: never a link, a device or a FIFO.
    crate::outfile::check_regular(&ctx.db_path)
        .map_err(|e| anyhow::anyhow!("Nothing was restored: {e}"))?;
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

fn check(ctx: &Ctx, json: bool, expect_head: Option<&str>, full: bool) -> Result<ExitCode> {
    if let Some(h) = expect_head
        && !crate::domain::seal::is_hash(&h.to_ascii_lowercase())
    {
        bail!(
            "“{h}” is not a head hash: it has 64 letters and digits (0-9, a-f), as `caseload audit --head` prints it. Nothing was checked."
        );
    }
    let store = ctx.open()?;
    let mode = if full {
        crate::store::safety::Integrity::Full
    } else {
        crate::store::safety::Integrity::Quick
    };
    let r = store.check_with(expect_head, mode)?;
    json_or(json, &r, || {
        println!(
            "Practice file: {} (schema {}; this caseload writes {})",
            ctx.db_path.display(),
            r.schema_version,
            r.schema_supported
        );
        println!(
            "Integrity:     {} ({})",
            if r.integrity == ["ok"] {
                "ok"
            } else {
                "damaged"
            },
            if full {
                "SQLite's full integrity check"
            } else {
                "SQLite's quick check; --full checks every index too"
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
        if v.seal.disposed > 0 {
            println!(
                "               {} and addenda disposed of after their retention period (see caseload retention log)",
                crate::domain::words::count(
                    v.seal.disposed as usize,
                    "sealed note",
                    "sealed notes"
                )
            );
        }
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

/// The data dictionary of this caseload's schema (read from a new, empty practice, so no
/// practice file or passphrase is needed).
fn export_dictionary(json: bool, output: Option<PathBuf>, force: bool) -> Result<ExitCode> {
    if let Some(path) = &output {
        crate::outfile::check(path, force)?;
    }
    let d = crate::store::Store::open_in_memory()?.dictionary()?;
    let text = if json {
        let mut t = serde_json::to_string_pretty(&d)?;
        t.push('\n');
        t
    } else {
        d.to_text()
    };
    match &output {
        Some(path) => {
            if crate::outfile::write(path, text.as_bytes(), force)?.is_file() {
                eprintln!("Wrote the data dictionary to {}.", path.display());
            }
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

fn export(
    ctx: &Ctx,
    format: ExportFormat,
    output: Option<PathBuf>,
    csv: crate::store::export_csv::CsvOptions,
) -> Result<ExitCode> {
    let force = csv.force;
    if format == ExportFormat::Json && (csv.raw || csv.bom) {
        return Err(super::usage!("--raw and --bom go with --format csv"));
    }
    if let (ExportFormat::Json, Some(path)) = (format, &output) {
        crate::outfile::check(path, force)?;
    }
    let store = ctx.open()?;
    // config.toml and instrument files travel with a JSON export.
    let files = crate::paths::config_dir()
        .map(|d| super::export_files::collect(&d))
        .unwrap_or_default();
    let bar = progress(store.row_total()?, "Exporting");
    let mut tick = |n: u64| bar.inc(n);
    match format {
        ExportFormat::Json => match output {
            None => {
                let stdout = std::io::stdout();
                let mut out = std::io::BufWriter::new(stdout.lock());
                store.export_json_with_files(&mut out, &files, &mut tick)?;
                bar.finish_and_clear();
            }
            Some(path) => {
                let mut buf = std::io::BufWriter::new(Vec::new());
                let summary = store.export_json_with_files(&mut buf, &files, &mut tick)?;
                let bytes = buf
                    .into_inner()
                    .context("the export could not be written")?;
                let target = crate::outfile::write(&path, &bytes, force)?;
                bar.finish_and_clear();
                if !target.is_file() {
                    return Ok(ExitCode::SUCCESS);
                }
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
                return Err(super::usage!(
                    "--format csv writes one file per table: give a folder with -o DIR"
                ));
            };
            let files = store.export_csv(&dir, csv, &mut tick)?;
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
    let files = crate::store::export_v2::files(&text);
    if !files.is_empty()
        && let Ok(dir) = crate::paths::config_dir()
    {
        for line in super::export_files::restore(&dir, &files) {
            println!("{line}");
        }
    }
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
        let at = crate::clock::show(e.at, DateStyle::Iso, Shown::DateTime);
        print!("{at}  {:<16}  {record}", e.action);
        if let Some(d) = &e.detail {
            print!("  {d}");
        }
        println!();
    }
    Ok(ExitCode::SUCCESS)
}
