//! `caseload demo`: write a fictional practice for trying caseload out.

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use super::Ctx;
use crate::demo::{DemoOptions, generate};
use crate::store::Store;

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many clients.
    #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub clients: u32,
    /// How many months of history.
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=360))]
    pub months: u32,
    /// The same seed always gives the same practice.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Start the file afresh even if it holds a practice (the old file is kept beside it).
    #[arg(long)]
    pub force: bool,
}

/// The demo practice written on first use of `--demo`.
pub use crate::open::fill_demo as fill_default;

pub fn run(ctx: &Ctx, args: DemoArgs) -> Result<ExitCode> {
    let path = &ctx.db_path;
    let mut kept = None;
    if args.force && path.exists() {
        // Only ever replace a caseload file: opening checks that, and settles the WAL into it.
        let store = Store::open(path)?;
        store
            .conn()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        drop(store);
        let aside = path.with_extension(format!(
            "before-demo-{}.db",
            ctx.clock.now_local().format("%Y%m%d-%H%M%S")
        ));
        std::fs::rename(path, &aside)
            .with_context(|| format!("could not move {} aside", path.display()))?;
        for ext in ["-wal", "-shm"] {
            let mut side = path.as_os_str().to_owned();
            side.push(ext);
            let _ = std::fs::remove_file(side);
        }
        kept = Some(aside);
    }
    let mut store = Store::open(path)?;
    let opts = DemoOptions {
        clients: args.clients as usize,
        months: args.months,
        seed: args.seed,
        today: ctx.clock.today(),
        now: ctx.clock.now_utc(),
    };
    let summary = store.write_demo(&generate(&opts), ctx.clock.now_utc())?;
    println!(
        "Wrote a demo practice of {} fictional clients, {} sessions ({} cancellation requests) and {} notes to {}.",
        summary.clients,
        summary.sessions,
        summary.cancellations,
        summary.notes,
        path.display()
    );
    if let Some(k) = kept {
        println!("The previous file was kept as {}.", k.display());
    }
    Ok(ExitCode::SUCCESS)
}
