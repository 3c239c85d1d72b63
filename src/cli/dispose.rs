//! `caseload dispose ID [--confirm]`: dispose of a client's record after its keep-until date,
//! in the practice file and in every backup in the backups folder.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::{Ctx, print_json};
use crate::store::dispose::{self, Counts};
use crate::store::safety;

#[derive(Debug, Args)]
pub struct DisposeArgs {
    /// The client whose record is disposed of.
    pub id: i64,
    /// Dispose of it. Without this, caseload shows what would go, changes nothing and exits 3.
    #[arg(long)]
    pub confirm: bool,
    /// Print JSON instead of words.
    #[arg(long)]
    pub json: bool,
}

/// A table's rows in words.
fn label(table: &str) -> String {
    match table {
        "clients" => "client details".into(),
        "client_status_changes" => "status changes".into(),
        "note_addenda" => "note addenda".into(),
        "assessment_alerts" => "assessment alerts".into(),
        "client_models" => "engagement model choices".into(),
        "client_barriers" => "practical barriers".into(),
        "handouts_given" => "handouts given".into(),
        "goal_ratings" => "goal ratings".into(),
        "boundary_incidents" => "boundary incidents".into(),
        "retention" => "retention settings".into(),
        "ledger" => "money lines (their amounts stay for the books, without descriptions)".into(),
        other => other.replace('_', " "),
    }
}

fn words(counts: &Counts) -> String {
    counts
        .iter()
        .map(|(t, n)| format!("{n} {}", label(t)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn by_whom(store: &crate::store::Store) -> String {
    let p = store
        .practice_profile()
        .map(|p| p.practitioner_name)
        .unwrap_or_default();
    if !p.trim().is_empty() {
        return p;
    }
    std::env::var("USER")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "the practitioner".into())
}

pub fn run(ctx: &Ctx, a: DisposeArgs) -> Result<ExitCode> {
    let today = ctx.clock.today();
    let mut store = ctx.open()?;
    let row = store.disposable(a.id, today)?;
    let backups = safety::list_backups(&ctx.db_path).unwrap_or_default();
    let pages = dispose::pages_of(&ctx.db_path, a.id);
    if !a.confirm {
        let counts = store.disposal_preview(a.id)?;
        // An unpaid balance leaves with the record: the practitioner should know before.
        let owed = match store.balance(a.id) {
            Ok(b) if b.balance > 0 => Some(b),
            // No currency set: nothing was ever charged.
            Ok(_) | Err(crate::store::StoreError::Refused(_)) => None,
            Err(e) => return Err(e.into()),
        };
        if a.json {
            print_json(&serde_json::json!({
                "client_id": a.id,
                "name": row.name,
                "would_remove": counts,
                "still_owed": owed.as_ref().map_or(0, |b| b.balance),
                "backups": backups.iter().map(|b| b.path.display().to_string()).collect::<Vec<_>>(),
                "pages": pages.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            }))?;
        } else {
            println!(
                "Disposing of {}'s record (kept until {}) would remove, for good: {}.",
                row.name,
                row.keep_until,
                words(&counts)
            );
            println!(
                "The same would be removed from {} backup{} in {}.",
                backups.len(),
                if backups.len() == 1 { "" } else { "s" },
                safety::backups_dir(&ctx.db_path).display()
            );
            if !pages.is_empty() {
                println!(
                    "And the handouts and summaries written for them beside the practice file: {}.",
                    pages
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            if let Some(owed) = &owed {
                println!(
                    "{} still owes {}. Once the record is disposed of, that amount is no longer shown as owed anywhere (what was charged and paid stays in the income report). Record a payment or write it off first if it should stay on the books.",
                    row.name,
                    owed.currency.show(owed.balance)
                );
            }
            println!(
                "What stays: a line in the disposal log (name, date of birth, first and last contact, keep-until, today's date and who disposed of it) and an entry in the audit trail."
            );
            println!("Nothing was changed. Run it again with --confirm to dispose of the record.");
        }
        return Ok(ExitCode::from(3));
    }
    let by = by_whom(&store);
    let now = ctx.clock.now_utc();
    let done = store.dispose(a.id, &by, now, today)?;
    let passphrase = std::env::var(super::crypt::PASSPHRASE_ENV)
        .ok()
        .filter(|p| !p.is_empty());
    let outcomes = dispose::dispose_in_backups(
        &ctx.db_path,
        store.file_key_for_backups(),
        passphrase.as_deref(),
        a.id,
        &by,
        now,
        today,
    )?;
    let pages = dispose::remove_pages(&ctx.db_path, a.id);
    if a.json {
        print_json(&serde_json::json!({
            "client_id": a.id,
            "name": done.name,
            "removed": done.removed,
            "backups": outcomes,
            "pages": pages.iter().map(|(p, why)| serde_json::json!({
                "file": p.display().to_string(),
                "removed": why.is_none(),
                "detail": why,
            })).collect::<Vec<_>>(),
        }))?;
    } else {
        println!(
            "Disposed of {}'s record: {}.",
            done.name,
            words(&done.removed)
        );
        for o in &outcomes {
            match o.outcome.as_str() {
                "disposed" => println!("  backup {}: disposed of too", o.file.display()),
                "not_in_backup" => println!(
                    "  backup {}: made before the client was added; nothing to remove",
                    o.file.display()
                ),
                _ => eprintln!(
                    "  backup {}: could NOT be opened ({}); the record is still in it",
                    o.file.display(),
                    o.detail.as_deref().unwrap_or("unknown reason")
                ),
            }
        }
        for (p, why) in &pages {
            match why {
                None => println!("  page {}: overwritten and removed", p.display()),
                Some(w) => eprintln!(
                    "  page {}: could NOT be removed ({w}); it still holds the text",
                    p.display()
                ),
            }
        }
        println!(
            "Copies caseload can't reach still hold the record: exports, copies on other drives or in cloud folders, and file-system snapshots. Remove those yourself."
        );
    }
    Ok(ExitCode::SUCCESS)
}
