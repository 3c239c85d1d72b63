//! `caseload invoice`, `receipt` and `superbill`: the money documents, in md, html, txt or pdf,
//! to the terminal or to a new private file (0600; an existing file is replaced only with
//! --force, and never when it is a link or not a regular file).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;

use super::Ctx;
use super::client::word;
use crate::domain::attendance::Month;
use crate::domain::billing::{LedgerKind, Totals};
use crate::domain::billing_docs::{
    BillFormat, Provider, Receipt, Statement, StatementLine, Superbill, SuperbillRow,
};
use crate::domain::document::Document;
use crate::domain::session::SessionStatus;
use crate::domain::time::parse_date;
use crate::store::Store;
use crate::store::ledger::LedgerLine;
use crate::store::session::SessionFilter;

#[derive(Debug, Args)]
pub struct Output {
    /// md, html, txt or pdf.
    #[arg(long, default_value = "md", value_parser = word::<BillFormat>)]
    pub format: BillFormat,
    /// Write to this new file (0600) instead of the terminal.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE if it exists.
    #[arg(long, requires = "output")]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct InvoiceArgs {
    /// The client (their id, as `caseload client list` shows).
    #[arg(long, value_name = "ID")]
    pub client: i64,
    /// First day, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub from: String,
    /// Last day, YYYY-MM-DD (inclusive).
    #[arg(long, value_name = "DATE")]
    pub to: String,
    #[command(flatten)]
    pub out: Output,
}

#[derive(Debug, Args)]
pub struct ReceiptArgs {
    /// The payment (its id, as the ledger shows).
    pub payment_id: i64,
    #[command(flatten)]
    pub out: Output,
}

#[derive(Debug, Args)]
pub struct SuperbillArgs {
    /// The client (their id, as `caseload client list` shows).
    #[arg(long, value_name = "ID")]
    pub client: i64,
    /// The month, YYYY-MM.
    #[arg(long, value_name = "YYYY-MM", value_parser = Month::parse)]
    pub month: Month,
    #[command(flatten)]
    pub out: Output,
}

/// Writes a whole new file readable only by its owner. An existing path is refused unless
/// `force`, and a link, folder or device is never replaced.
fn write_new_private(path: &Path, bytes: &[u8], force: bool) -> Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => bail!(
            "{} is a link; caseload does not write through links. Nothing was written. Choose another file.",
            path.display()
        ),
        Ok(m) if !m.is_file() => bail!(
            "{} is not a regular file. Nothing was written. Choose another file.",
            path.display()
        ),
        Ok(_) if !force => bail!(
            "{} already exists. Nothing was written. Use --force to replace it, or choose another file.",
            path.display()
        ),
        _ => {}
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".caseload-")
        .tempfile_in(dir)
        .with_context(|| format!("could not write in {}", dir.display()))?;
    // tempfile creates the file 0600.
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    if force {
        tmp.persist(path)
            .map_err(|e| anyhow::anyhow!("could not write {} ({})", path.display(), e.error))?;
    } else {
        tmp.persist_noclobber(path).map_err(|e| {
            anyhow::anyhow!(
                "could not write {} ({}); nothing was written",
                path.display(),
                e.error
            )
        })?;
    }
    Ok(())
}

fn emit(d: &Document, out: &Output, what: &str) -> Result<ExitCode> {
    let bytes = out.format.bytes(d);
    match &out.output {
        Some(p) => {
            write_new_private(p, &bytes, out.force)?;
            eprintln!("Wrote the {what} to {}.", p.display());
        }
        None => {
            if out.format == BillFormat::Pdf && std::io::IsTerminal::is_terminal(&std::io::stdout())
            {
                bail!("A PDF is not for the terminal: give -o FILE.");
            }
            std::io::stdout().lock().write_all(&bytes)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn provider(store: &Store) -> Result<Provider> {
    let p = store.practice_profile()?;
    let s = store.billing_settings()?;
    Ok(Provider {
        practice_name: p.practice_name,
        practitioner_name: p.practitioner_name,
        address: p.address,
        phone: p.phone,
        email: p.email,
        licence: s.licence,
        npi: s.npi,
        tax_id: s.tax_id,
    })
}

fn statement_line(l: &LedgerLine) -> StatementLine {
    StatementLine {
        id: l.id,
        at: l.at,
        kind: l.kind,
        basis: l.basis,
        service: l.service.clone(),
        method: l.method,
        reason: l.reason.clone(),
        amount: l.amount,
    }
}

fn day(flag: &str, s: &str) -> Result<chrono::NaiveDate> {
    parse_date(s).map_err(|e| anyhow::anyhow!("{flag}: {e}"))
}

pub fn run_invoice(ctx: &Ctx, a: InvoiceArgs) -> Result<ExitCode> {
    let from = day("--from", &a.from)?;
    let to = day("--to", &a.to)?;
    if to < from {
        bail!("--to {to} is before --from {from}; give the earlier day first.");
    }
    let store = ctx.open()?;
    let client = store.client(a.client)?;
    let currency = store.balance(a.client)?.currency;
    let before: Vec<(LedgerKind, i64)> = match from.pred_opt() {
        Some(d) => store
            .ledger(a.client, None, Some(d))?
            .iter()
            .map(|l| (l.kind, l.amount))
            .collect(),
        None => Vec::new(),
    };
    let s = Statement {
        provider: provider(&store)?,
        client_name: client.name.clone(),
        client_id: client.id,
        from,
        to,
        issued: ctx.clock.today(),
        currency,
        opening: Totals::from_lines(&before).net(),
        lines: store
            .ledger(a.client, Some(from), Some(to))?
            .iter()
            .map(statement_line)
            .collect(),
    };
    emit(&s.document(), &a.out, "statement")
}

pub fn run_receipt(ctx: &Ctx, a: ReceiptArgs) -> Result<ExitCode> {
    let store = ctx.open()?;
    let p = store.ledger_line(a.payment_id)?;
    if p.kind != LedgerKind::Payment {
        bail!(
            "Line {} is a {}, not a payment; a receipt is for a payment.",
            p.id,
            p.kind
        );
    }
    let client = store.client(p.client_id)?;
    let mut applied = Vec::new();
    for charge in &p.applied_to {
        let c = store.ledger_line(*charge)?;
        let amount = store.applied_to_charge(c.id, Some(p.id))?;
        applied.push((c.at, statement_line(&c).words(), amount));
    }
    let refunded: i64 = store
        .ledger(p.client_id, None, None)?
        .iter()
        .filter(|l| l.kind == LedgerKind::Refund && l.applied_to == [p.id])
        .map(|l| l.amount)
        .sum();
    let r = Receipt {
        provider: provider(&store)?,
        client_name: client.name,
        payment_id: p.id,
        paid_on: p.at,
        amount: p.amount,
        method: p.method,
        note: p.reason.clone(),
        applied,
        refunded,
        issued: ctx.clock.today(),
        currency: p.currency,
    };
    emit(&r.document(), &a.out, "receipt")
}

pub fn run_superbill(ctx: &Ctx, a: SuperbillArgs) -> Result<ExitCode> {
    let store = ctx.open()?;
    let client = store.client(a.client)?;
    let billing = store.client_billing(a.client)?;
    let currency = store.balance(a.client)?.currency;
    let last = a
        .month
        .next()
        .first_day()
        .pred_opt()
        .unwrap_or(a.month.first_day());
    let sessions = store.session_list(&SessionFilter {
        client_id: Some(a.client),
        from: Some(a.month.first_day()),
        to: Some(last),
        status: None,
    })?;
    let mut rows = Vec::new();
    for s in sessions
        .iter()
        .filter(|s| s.status.is_attended() || s.status == SessionStatus::NoShow)
    {
        let Some(charge) = store.session_charge(s.id)? else {
            continue;
        };
        if charge.basis != Some(crate::domain::billing::ChargeBasis::Session) {
            continue;
        }
        let service = match &charge.service {
            Some(code) => store.service_by_code(code)?,
            None => continue,
        };
        let at_home = store
            .cancellation_for_session(s.id)?
            .and_then(|c| c.remote_private);
        rows.push(SuperbillRow {
            on: s.starts_at.date(),
            code: service.code,
            service: service.name,
            minutes: s.minutes,
            place: crate::domain::billing::place_of_service(s.modality, at_home),
            fee: charge.amount,
            paid: store.applied_to_charge(charge.id, None)?,
        });
    }
    let b = Superbill {
        provider: provider(&store)?,
        client_name: client.name,
        born: client.born,
        diagnoses: billing.diagnosis_codes,
        month: a.month.key(),
        rows,
        issued: ctx.clock.today(),
        currency,
    };
    emit(&b.document(), &a.out, "superbill")
}
