//! Fees and payments on the command line: `billing`, `service`, `fee`, `payment`, `charge`,
//! `balance` and `ledger`. Amounts are typed as decimals (`150`, `80.5`) and printed in JSON as
//! whole minor units with `"currency"` beside them.

use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Args, Subcommand};

use super::client::word;
use super::println_clean as println;
use super::{Ctx, json_or};
use crate::domain::billing::{PaymentMethod, Service, ServiceInput};
use crate::domain::money::{Currency, format_percent, parse_percent};
use crate::domain::time::parse_date;
use crate::store::Store;
use crate::store::billing::ServiceEdit;
use crate::store::ledger::LedgerLine;

/// `caseload billing`: the practice's currency and billing settings.
#[derive(Debug, Args)]
pub struct BillingArgs {
    /// The practice currency, an ISO 4217 code (USD, EUR, GBP, NZD …); set once.
    #[arg(long, value_name = "CODE")]
    pub currency: Option<String>,
    /// "Needs attention" lists a client whose oldest unpaid charge is older than N days.
    #[arg(long, value_name = "N")]
    pub balance_over_days: Option<u32>,
    /// The service a session is charged as when neither it nor its client names one.
    #[arg(long, value_name = "CODE")]
    pub default_service: Option<String>,
    /// The late-cancellation percent new services take (default 100).
    #[arg(long, value_name = "P")]
    pub late_cancel_percent: Option<String>,
    /// The no-show percent new services take (default 100).
    #[arg(long, value_name = "P")]
    pub no_show_percent: Option<String>,
    /// Your licence (for superbills), e.g. "LPC 12345 (TX)".
    #[arg(long)]
    pub licence: Option<String>,
    /// Your NPI or other provider number (for superbills).
    #[arg(long)]
    pub npi: Option<String>,
    /// Your tax id (for superbills).
    #[arg(long)]
    pub tax_id: Option<String>,
    /// Print JSON instead of words.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ServiceCommand {
    /// Add a service: its code as you bill it, name, minutes and fee.
    Add(ServiceAddArgs),
    /// List the services (active first).
    List {
        /// Print JSON instead of words.
        #[arg(long)]
        json: bool,
    },
    /// Change a service's name, minutes, fee or percentages (charges made keep their amounts).
    Edit(ServiceEditArgs),
    /// Retire a service: kept on past charges, no longer offered.
    Retire {
        /// The service code, as you bill it (e.g. 90834).
        code: String,
        /// Print JSON instead of words.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct ServiceAddArgs {
    /// The service code, as you bill it (e.g. 90834).
    #[arg(long, value_name = "C")]
    pub code: String,
    /// The name, as it appears on invoices.
    #[arg(long, value_name = "N")]
    pub name: String,
    /// How long the session is, in minutes.
    #[arg(long, value_name = "M")]
    pub minutes: u32,
    /// The fee, as a decimal amount in the practice's currency (e.g. 150 or 80.50).
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub fee: String,
    /// Tax added to each charge, in percent.
    #[arg(long, value_name = "PCT", allow_hyphen_values = true)]
    pub tax_rate: Option<String>,
    /// The share of the fee charged for a late cancellation, in percent (e.g. 50).
    #[arg(long, value_name = "P", allow_hyphen_values = true)]
    pub late_cancel_percent: Option<String>,
    /// The share of the fee charged for a no-show, in percent (e.g. 100).
    #[arg(long, value_name = "P", allow_hyphen_values = true)]
    pub no_show_percent: Option<String>,
    /// Print JSON instead of words.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ServiceEditArgs {
    /// The service code, as you bill it (e.g. 90834).
    pub code: String,
    /// The name, as it appears on invoices.
    #[arg(long, value_name = "N")]
    pub name: Option<String>,
    /// How long the session is, in minutes.
    #[arg(long, value_name = "M")]
    pub minutes: Option<u32>,
    /// The fee, as a decimal amount in the practice's currency (e.g. 150 or 80.50).
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub fee: Option<String>,
    /// Tax in percent; `none` removes it.
    #[arg(long, value_name = "PCT", allow_hyphen_values = true)]
    pub tax_rate: Option<String>,
    /// The share of the fee charged for a late cancellation, in percent (e.g. 50).
    #[arg(long, value_name = "P", allow_hyphen_values = true)]
    pub late_cancel_percent: Option<String>,
    /// The share of the fee charged for a no-show, in percent (e.g. 100).
    #[arg(long, value_name = "P", allow_hyphen_values = true)]
    pub no_show_percent: Option<String>,
    /// Print JSON instead of words.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum FeeCommand {
    /// Set a client's own fee from a date (a sliding scale); the history is kept.
    Set {
        /// The client (their id, as `caseload client list` shows).
        #[arg(long, value_name = "ID")]
        client: i64,
        /// The fee, as a decimal amount in the practice's currency (e.g. 150 or 80.50).
        #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
        fee: String,
        /// Only for this service (default: every service).
        #[arg(long, value_name = "CODE")]
        service: Option<String>,
        /// From this day, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Why (kept with the fee).
        #[arg(long)]
        note: Option<String>,
        /// Print JSON instead of words.
        #[arg(long)]
        json: bool,
    },
    /// A client's fee history, default service and diagnosis codes; or change the last two.
    Client {
        /// The client (their id, as `caseload client list` shows).
        #[arg(long, value_name = "ID")]
        client: i64,
        /// The service their sessions are charged as.
        #[arg(long, value_name = "CODE")]
        service: Option<String>,
        /// ICD-10 diagnosis codes for superbills, e.g. "F41.1, F32.0" ("" clears them).
        #[arg(long, value_name = "CODES")]
        diagnosis: Option<String>,
        /// Print JSON instead of words.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum PaymentCommand {
    /// Record a payment; it pays the oldest open charges unless --apply names them.
    Add {
        /// The client (their id, as `caseload client list` shows).
        #[arg(long, value_name = "ID")]
        client: i64,
        /// The amount, as a decimal in the practice's currency (e.g. 150 or 80.50).
        #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
        amount: String,
        /// cash, card, transfer, cheque, insurance or other.
        #[arg(long, value_name = "M", default_value = "card", value_parser = word::<PaymentMethod>)]
        method: PaymentMethod,
        /// The day it was paid, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
        /// A note kept with it.
        #[arg(long)]
        note: Option<String>,
        /// Pay these charges first (ids from `caseload balance`).
        #[arg(long, value_name = "CHARGE_ID", num_args = 1..)]
        apply: Vec<i64>,
        /// Print JSON instead of words.
        #[arg(long)]
        json: bool,
    },
    /// Refund part or all of a payment (its own line in the ledger).
    Refund {
        /// The payment (its id, as the ledger shows).
        payment_id: i64,
        /// The amount, as a decimal in the practice's currency (e.g. 150 or 80.50).
        #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
        amount: String,
        /// A note kept with it.
        #[arg(long)]
        note: Option<String>,
        /// The day, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
        /// Print JSON instead of words.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ChargeCommand {
    /// Void a charge, with the reason (what it had been paid becomes credit).
    Void {
        /// The charge (its id, as the ledger shows).
        charge_id: i64,
        /// Why, in a few words (kept in the ledger and the audit trail).
        #[arg(long)]
        reason: String,
        /// Print JSON instead of words.
        #[arg(long)]
        json: bool,
    },
    /// Add an adjustment: a positive amount is owed, a negative one is credit.
    Adjust {
        /// The client (their id, as `caseload client list` shows).
        #[arg(long, value_name = "ID")]
        client: i64,
        /// The amount, as a decimal in the practice's currency (e.g. 150 or 80.50).
        #[arg(long, value_name = "[-]AMOUNT", allow_hyphen_values = true)]
        amount: String,
        /// Why, in a few words (kept in the ledger and the audit trail).
        #[arg(long)]
        reason: String,
        /// The day, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
        /// Print JSON instead of words.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct BalanceArgs {
    /// The client (their id, as `caseload client list` shows).
    #[arg(long, value_name = "ID")]
    pub client: i64,
    /// Print JSON instead of words.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct LedgerArgs {
    /// The client (their id, as `caseload client list` shows).
    #[arg(long, value_name = "ID")]
    pub client: i64,
    /// From this day, YYYY-MM-DD (inclusive).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// To this day, YYYY-MM-DD (inclusive).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Print JSON instead of words.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV (one line per ledger entry) instead of words.
    #[arg(long)]
    pub csv: bool,
}

fn day(flag: &str, v: Option<&str>, ctx: &Ctx) -> Result<chrono::NaiveDate> {
    match v {
        None => Ok(ctx.clock.today()),
        Some(s) => parse_date(s).map_err(|e| anyhow::anyhow!("{flag}: {e}")),
    }
}

fn opt_day(flag: &str, v: Option<&str>) -> Result<Option<chrono::NaiveDate>> {
    v.map(parse_date)
        .transpose()
        .map_err(|e| anyhow::anyhow!("{flag}: {e}"))
}

pub fn run_billing(ctx: &Ctx, a: BillingArgs) -> Result<ExitCode> {
    let mut store = ctx.open()?;
    let mut s = store.billing_settings()?;
    let changing = a.currency.is_some()
        || a.balance_over_days.is_some()
        || a.default_service.is_some()
        || a.late_cancel_percent.is_some()
        || a.no_show_percent.is_some()
        || a.licence.is_some()
        || a.npi.is_some()
        || a.tax_id.is_some();
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(String::from)
    };
    if a.licence.is_some() {
        s.licence = text(&a.licence);
    }
    if a.npi.is_some() {
        s.npi = text(&a.npi);
    }
    if a.tax_id.is_some() {
        s.tax_id = text(&a.tax_id);
    }
    if let Some(c) = &a.currency {
        s.currency = Some(Currency::parse(c).map_err(|e| anyhow::anyhow!("--currency: {e}"))?);
    }
    if let Some(n) = a.balance_over_days {
        s.balance_over_days = n;
    }
    if let Some(code) = &a.default_service {
        s.default_service = Some(code.trim().to_string());
    }
    if let Some(p) = &a.late_cancel_percent {
        s.late_cancel_bp =
            parse_percent(p).map_err(|e| anyhow::anyhow!("--late-cancel-percent: {e}"))?;
    }
    if let Some(p) = &a.no_show_percent {
        s.no_show_bp = parse_percent(p).map_err(|e| anyhow::anyhow!("--no-show-percent: {e}"))?;
    }
    if changing {
        s = store.set_billing_settings(&s)?;
    }
    let value = serde_json::json!({
        "currency": s.currency,
        "balance_over_days": s.balance_over_days,
        "default_service": s.default_service,
        "late_cancel_percent": format_percent(s.late_cancel_bp),
        "no_show_percent": format_percent(s.no_show_bp),
        "licence": s.licence,
        "npi": s.npi,
        "tax_id": s.tax_id,
    });
    json_or(a.json, &value, || {
        println!(
            "Currency:             {}",
            s.currency.map_or(
                "not set (caseload billing --currency USD)".to_string(),
                |c| c.code().to_string()
            )
        );
        println!(
            "Balance over:         {} days (needs attention)",
            s.balance_over_days
        );
        println!(
            "Default service:      {}",
            s.default_service
                .as_deref()
                .unwrap_or("the first active service")
        );
        println!(
            "Late cancellation:    {} % of the fee for new services",
            format_percent(s.late_cancel_bp)
        );
        println!(
            "No-show:              {} % of the fee for new services",
            format_percent(s.no_show_bp)
        );
        let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| "not set".into());
        println!("Licence:              {}", or_none(&s.licence));
        println!("NPI / provider no.:   {}", or_none(&s.npi));
        println!("Tax id:               {}", or_none(&s.tax_id));
    })?;
    Ok(ExitCode::SUCCESS)
}

fn service_json(s: &Service, cur: Currency) -> serde_json::Value {
    serde_json::json!({
        "id": s.id,
        "code": s.code,
        "name": s.name,
        "minutes": s.minutes,
        "fee": s.fee,
        "currency": cur,
        "tax_rate": s.tax_bp.map(format_percent),
        "late_cancel_percent": format_percent(s.late_cancel_bp),
        "no_show_percent": format_percent(s.no_show_bp),
        "active": s.active,
    })
}

fn print_service(s: &Service, cur: Currency) {
    println!(
        "{:<10} {:<36} {:>4} min  {:>12}  late {:>5} %  no-show {:>5} %{}{}",
        s.code,
        s.name,
        s.minutes,
        cur.show(s.fee),
        format_percent(s.late_cancel_bp),
        format_percent(s.no_show_bp),
        s.tax_bp
            .map(|t| format!("  tax {} %", format_percent(t)))
            .unwrap_or_default(),
        if s.active { "" } else { "  (retired)" }
    );
}

fn currency(store: &Store) -> Result<Currency> {
    match store.billing_settings()?.currency {
        Some(c) => Ok(c),
        None => bail!(
            "The practice has no currency yet. Set it once with `caseload billing --currency USD` (any ISO 4217 code)."
        ),
    }
}

pub fn run_service(ctx: &Ctx, cmd: ServiceCommand) -> Result<ExitCode> {
    let now = ctx.clock.now_utc();
    let mut store = ctx.open()?;
    let (service, json) = match cmd {
        ServiceCommand::Add(a) => {
            let input = ServiceInput {
                code: a.code,
                name: a.name,
                minutes: a.minutes,
                fee: a.fee,
                tax_rate: a.tax_rate,
                late_cancel_percent: a.late_cancel_percent,
                no_show_percent: a.no_show_percent,
            };
            (store.add_service(&input, now)?, a.json)
        }
        ServiceCommand::List { json } => {
            let cur = currency(&store)?;
            let all = store.services()?;
            let values: Vec<serde_json::Value> = all.iter().map(|s| service_json(s, cur)).collect();
            json_or(json, &values, || {
                if all.is_empty() {
                    println!(
                        "No services yet. Add one with `caseload service add --code 90834 --name … --minutes 45 --fee 150`."
                    );
                }
                for s in &all {
                    print_service(s, cur);
                }
            })?;
            return Ok(ExitCode::SUCCESS);
        }
        ServiceCommand::Edit(a) => {
            let e = ServiceEdit {
                name: a.name,
                minutes: a.minutes,
                fee: a.fee,
                tax_rate: a.tax_rate,
                late_cancel_percent: a.late_cancel_percent,
                no_show_percent: a.no_show_percent,
            };
            (store.edit_service(&a.code, &e, now)?, a.json)
        }
        ServiceCommand::Retire { code, json } => (store.retire_service(&code, now)?, json),
    };
    let cur = currency(&store)?;
    json_or(json, &service_json(&service, cur), || {
        print_service(&service, cur)
    })?;
    Ok(ExitCode::SUCCESS)
}

pub fn run_fee(ctx: &Ctx, cmd: FeeCommand) -> Result<ExitCode> {
    let now = ctx.clock.now_utc();
    let mut store = ctx.open()?;
    match cmd {
        FeeCommand::Set {
            client,
            fee,
            service,
            from,
            note,
            json,
        } => {
            let from = day("--from", from.as_deref(), ctx)?;
            let f = store.set_client_fee(
                client,
                &fee,
                service.as_deref(),
                from,
                note.as_deref(),
                now,
            )?;
            let cur = currency(&store)?;
            let mut v = serde_json::to_value(&f)?;
            v["currency"] = serde_json::to_value(cur)?;
            json_or(json, &v, || {
                println!(
                    "Client {client} pays {} for {} from {}.",
                    cur.show(f.fee),
                    f.service.as_deref().unwrap_or("every service"),
                    f.from
                );
            })?;
        }
        FeeCommand::Client {
            client,
            service,
            diagnosis,
            json,
        } => {
            let b = if service.is_some() || diagnosis.is_some() {
                store.set_client_billing(client, service.as_deref(), diagnosis.as_deref(), now)?
            } else {
                store.client_billing(client)?
            };
            let fees = store.client_fees(client)?;
            let cur = currency(&store)?;
            let v = serde_json::json!({
                "client_id": client,
                "currency": cur,
                "service": b.service,
                "diagnosis_codes": b.diagnosis_codes,
                "fees": fees,
            });
            json_or(json, &v, || {
                println!(
                    "Service:    {}",
                    b.service.as_deref().unwrap_or("the practice default")
                );
                println!(
                    "Diagnosis:  {}",
                    if b.diagnosis_codes.is_empty() {
                        "none recorded".to_string()
                    } else {
                        b.diagnosis_codes.join(", ")
                    }
                );
                if fees.is_empty() {
                    println!("Fees:       the service fees (no sliding scale)");
                }
                for f in &fees {
                    println!(
                        "From {}: {} for {}{}",
                        f.from,
                        cur.show(f.fee),
                        f.service.as_deref().unwrap_or("every service"),
                        f.note
                            .as_deref()
                            .map(|n| format!(" — {n}"))
                            .unwrap_or_default()
                    );
                }
            })?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A ledger line in one row of words.
pub fn line_words(l: &LedgerLine) -> String {
    let what = match (l.kind, l.basis) {
        (crate::domain::billing::LedgerKind::Charge, Some(b)) => b.label().to_string(),
        (k, _) => k.label().to_string(),
    };
    let mut extra = Vec::new();
    if let Some(s) = l.session_id {
        extra.push(format!("session {s}"));
    }
    if let Some(s) = &l.service {
        extra.push(s.clone());
    }
    if let Some(m) = l.method {
        extra.push(m.label().to_lowercase());
    }
    if let Some(r) = &l.reason {
        extra.push(r.clone());
    }
    if !l.applied_to.is_empty() {
        let ids: Vec<String> = l.applied_to.iter().map(i64::to_string).collect();
        extra.push(format!("→ {}", ids.join(", ")));
    }
    format!(
        "{:>6}  {}  {:<22} {:>14}  {}",
        l.id,
        l.at,
        what,
        l.currency.show(l.amount),
        extra.join(" · ")
    )
}

pub fn run_payment(ctx: &Ctx, cmd: PaymentCommand) -> Result<ExitCode> {
    let now = ctx.clock.now_utc();
    let mut store = ctx.open()?;
    let (line, json) = match cmd {
        PaymentCommand::Add {
            client,
            amount,
            method,
            at,
            note,
            apply,
            json,
        } => {
            let on = day("--at", at.as_deref(), ctx)?;
            (
                store.add_payment(client, &amount, method, on, note.as_deref(), &apply, now)?,
                json,
            )
        }
        PaymentCommand::Refund {
            payment_id,
            amount,
            note,
            at,
            json,
        } => {
            let on = day("--at", at.as_deref(), ctx)?;
            (
                store.refund(payment_id, &amount, note.as_deref(), on, now)?,
                json,
            )
        }
    };
    print_line_and_balance(&store, &line, json)
}

fn print_line_and_balance(store: &Store, line: &LedgerLine, json: bool) -> Result<ExitCode> {
    let b = store.balance(line.client_id)?;
    json_or(json, line, || {
        println!("{}", line_words(line));
        println!("{}", balance_words(&b));
    })?;
    Ok(ExitCode::SUCCESS)
}

fn balance_words(b: &crate::store::ledger::Balance) -> String {
    if b.credit > 0 {
        format!(
            "Client {} is in credit: {}.",
            b.client_id,
            b.currency.show(b.credit)
        )
    } else if b.balance > 0 {
        format!(
            "Client {} owes {}.",
            b.client_id,
            b.currency.show(b.balance)
        )
    } else {
        format!("Client {} owes nothing.", b.client_id)
    }
}

pub fn run_charge(ctx: &Ctx, cmd: ChargeCommand) -> Result<ExitCode> {
    let now = ctx.clock.now_utc();
    let today = ctx.clock.today();
    let mut store = ctx.open()?;
    let (line, json) = match cmd {
        ChargeCommand::Void {
            charge_id,
            reason,
            json,
        } => (store.void_charge(charge_id, &reason, today, now)?, json),
        ChargeCommand::Adjust {
            client,
            amount,
            reason,
            at,
            json,
        } => {
            let on = day("--at", at.as_deref(), ctx)?;
            (store.adjust(client, &amount, &reason, on, now)?, json)
        }
    };
    print_line_and_balance(&store, &line, json)
}

pub fn run_balance(ctx: &Ctx, a: BalanceArgs) -> Result<ExitCode> {
    let store = ctx.open()?;
    let b = store.balance(a.client)?;
    json_or(a.json, &b, || {
        println!("{}", balance_words(&b));
        println!(
            "Charged {} · paid {}",
            b.currency.show(b.charged),
            b.currency.show(b.paid)
        );
        for o in &b.open {
            println!(
                "  charge {:>6}  {}  {:>14} of {:>14} open{}",
                o.id,
                o.at,
                b.currency.show(o.remaining),
                b.currency.show(o.amount),
                o.session_id
                    .map(|s| format!("  session {s}"))
                    .unwrap_or_default()
            );
        }
    })?;
    Ok(ExitCode::SUCCESS)
}

pub fn run_ledger(ctx: &Ctx, a: LedgerArgs) -> Result<ExitCode> {
    let from = opt_day("--from", a.from.as_deref())?;
    let to = opt_day("--to", a.to.as_deref())?;
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        bail!("--to {t} is before --from {f}; give the earlier day first.");
    }
    let store = ctx.open()?;
    let lines = store.ledger(a.client, from, to)?;
    if a.csv {
        let mut w = csv::Writer::from_writer(std::io::stdout().lock());
        w.write_record([
            "id",
            "kind",
            "at",
            "amount",
            "currency",
            "session_id",
            "service",
            "reason",
            "applied_to",
        ])?;
        for l in &lines {
            let applied: Vec<String> = l.applied_to.iter().map(i64::to_string).collect();
            w.write_record([
                l.id.to_string(),
                l.kind.to_string(),
                l.at.to_string(),
                l.amount.to_string(),
                l.currency.to_string(),
                l.session_id.map(|s| s.to_string()).unwrap_or_default(),
                l.service.clone().unwrap_or_default(),
                l.reason.clone().unwrap_or_default(),
                applied.join(" "),
            ])?;
        }
        w.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    json_or(a.json, &lines, || {
        if lines.is_empty() {
            println!("No money lines for client {} in that time.", a.client);
        }
        for l in &lines {
            println!("{}", line_words(l));
        }
    })?;
    Ok(ExitCode::SUCCESS)
}
