//! `caseload report income --month YYYY-MM | --from YYYY-MM --to YYYY-MM [--json|--csv|--md]`.

use std::process::ExitCode;

use anyhow::Result;

use clap::Args;

use super::{Ctx, print_json};
use crate::domain::attendance::Month;
use crate::store::income::Income;

#[derive(Debug, Args)]
pub struct IncomeArgs {
    /// The month, YYYY-MM (default: this month).
    #[arg(long, value_name = "YYYY-MM", value_parser = Month::parse, conflicts_with_all = ["from", "to"])]
    pub month: Option<Month>,
    /// The first month of a range, YYYY-MM (with --to).
    #[arg(long, value_name = "YYYY-MM", value_parser = Month::parse, requires = "to")]
    pub from: Option<Month>,
    /// The last month of a range, YYYY-MM, inclusive (with --from).
    #[arg(long, value_name = "YYYY-MM", value_parser = Month::parse, requires = "from")]
    pub to: Option<Month>,
    /// Print JSON (keys in the README).
    #[arg(long, conflicts_with_all = ["csv", "md"])]
    pub json: bool,
    /// Print the month rows as CSV (RFC 4180, with a header).
    #[arg(long, conflicts_with = "md")]
    pub csv: bool,
    /// Print a Markdown report, to print or keep.
    #[arg(long)]
    pub md: bool,
}

pub fn run(ctx: &Ctx, args: IncomeArgs) -> Result<ExitCode> {
    let now = ctx.clock.now_local();
    let (from, to) = match (args.month, args.from, args.to) {
        (Some(m), _, _) => (m, m),
        (None, Some(f), Some(t)) => (f, t),
        _ => {
            let m = Month::of(now);
            (m, m)
        }
    };
    if to < from {
        anyhow::bail!(
            "--to {} is before --from {}; give the earlier month first.",
            to.key(),
            from.key()
        );
    }
    let store = ctx.open()?;
    let r = store.income(from, to, now.date())?;
    if args.json {
        print_json(&r)?;
    } else if args.csv {
        let mut w = csv::Writer::from_writer(std::io::stdout().lock());
        w.write_record(["month", "billed", "collected", "currency"])?;
        for m in &r.months {
            w.write_record([
                m.month.clone(),
                m.billed.to_string(),
                m.collected.to_string(),
                r.currency.to_string(),
            ])?;
        }
        w.flush()?;
    } else if args.md {
        print!("{}", markdown(&r));
    } else {
        print!("{}", text(&r));
    }
    Ok(ExitCode::SUCCESS)
}

fn period(r: &Income) -> String {
    if r.from == r.to {
        r.from.clone()
    } else {
        format!("{} to {}", r.from, r.to)
    }
}

fn text(r: &Income) -> String {
    let c = r.currency;
    let mut out = format!("Income, {}\n\n", period(r));
    out.push_str(&format!(
        "Billed      {:>16}   (charges less voids, by the session's date)\n",
        c.show(r.billed)
    ));
    out.push_str(&format!(
        "Collected   {:>16}   (payments less refunds, by the day paid)\n",
        c.show(r.collected)
    ));
    if r.adjustments != 0 {
        out.push_str(&format!("Adjustments {:>16}\n", c.show(r.adjustments)));
    }
    let o = &r.outstanding;
    out.push_str(&format!(
        "\nOwed on {}: {} (0–30 days {}, 31–60 {}, 61–90 {}, over 90 {})\n",
        r.as_of,
        c.show(o.total),
        c.grouped(o.days_0_30),
        c.grouped(o.days_31_60),
        c.grouped(o.days_61_90),
        c.grouped(o.over_90)
    ));
    out.push_str(&format!(
        "\nLate-cancellation fees: {} charged ({}), {} waived ({})\n",
        r.late_cancellation.charged_count,
        c.show(r.late_cancellation.charged),
        r.late_cancellation.waived_count,
        c.show(r.late_cancellation.waived)
    ));
    out.push_str(&format!(
        "No-show fees:           {} charged ({}), {} waived ({})\n",
        r.no_show.charged_count,
        c.show(r.no_show.charged),
        r.no_show.waived_count,
        c.show(r.no_show.waived)
    ));
    if !r.waived.by_reason.is_empty() {
        out.push_str("Waived in the cancellation flow, by reason:\n");
        for w in &r.waived.by_reason {
            out.push_str(&format!(
                "  {:<24} {:>4}  {}\n",
                w.reason.replace('_', " "),
                w.count,
                c.show(w.amount)
            ));
        }
    }
    if !r.by_service.is_empty() {
        out.push_str("\nBy service:\n");
        for s in &r.by_service {
            out.push_str(&format!(
                "  {:<10} {:<36} {:>5}  {:>16}\n",
                s.code,
                s.name,
                s.charges,
                c.show(s.billed)
            ));
        }
    }
    if r.months.len() > 1 {
        out.push_str("\nMonth by month:\n");
        for m in &r.months {
            out.push_str(&format!(
                "  {}  billed {:>14}  collected {:>14}\n",
                m.month,
                c.grouped(m.billed),
                c.grouped(m.collected)
            ));
        }
    }
    out
}

fn markdown(r: &Income) -> String {
    let c = r.currency;
    let mut out = format!("# Income, {}\n\n", period(r));
    out.push_str("| | amount |\n|---|---:|\n");
    out.push_str(&format!(
        "| Billed | {} |\n| Collected | {} |\n| Adjustments | {} |\n",
        c.show(r.billed),
        c.show(r.collected),
        c.show(r.adjustments)
    ));
    let o = &r.outstanding;
    out.push_str(&format!(
        "\n## Owed on {}\n\n| 0–30 days | 31–60 | 61–90 | over 90 | total |\n|---:|---:|---:|---:|---:|\n| {} | {} | {} | {} | {} |\n",
        r.as_of,
        c.grouped(o.days_0_30),
        c.grouped(o.days_31_60),
        c.grouped(o.days_61_90),
        c.grouped(o.over_90),
        c.grouped(o.total)
    ));
    out.push_str("\n## Fees charged and waived\n\n| fee | charged | amount | waived | amount |\n|---|---:|---:|---:|---:|\n");
    for (name, f) in [
        ("Late cancellation", &r.late_cancellation),
        ("No-show", &r.no_show),
    ] {
        out.push_str(&format!(
            "| {name} | {} | {} | {} | {} |\n",
            f.charged_count,
            c.grouped(f.charged),
            f.waived_count,
            c.grouped(f.waived)
        ));
    }
    if !r.waived.by_reason.is_empty() {
        out.push_str(
            "\n## Waived, by the client's reason\n\n| reason | count | amount |\n|---|---:|---:|\n",
        );
        for w in &r.waived.by_reason {
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                w.reason.replace('_', " "),
                w.count,
                c.grouped(w.amount)
            ));
        }
    }
    out.push_str("\n## By service\n\n| code | service | charges | billed |\n|---|---|---:|---:|\n");
    for s in &r.by_service {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            crate::domain::document::md(&s.code),
            crate::domain::document::md(&s.name),
            s.charges,
            c.grouped(s.billed)
        ));
    }
    out.push_str("\n## Month by month\n\n| month | billed | collected |\n|---|---:|---:|\n");
    for m in &r.months {
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            m.month,
            c.grouped(m.billed),
            c.grouped(m.collected)
        ));
    }
    out
}
