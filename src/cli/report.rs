//! `caseload report attendance`: when and why clients cancel, month by month.
//!
//! `[--month YYYY-MM | --from YYYY-MM --to YYYY-MM] [--json | --csv | --md]`; the current month
//! (by the clock, which `--now` fixes) as text by default. The JSON keys are a contract (README).

use super::print_clean as print;
use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};
use serde::Serialize;
use serde::ser::SerializeMap;

use super::Ctx;
use crate::domain::attendance::{
    FlagRule, Month, NoticeBand, Report, TimeOfDay, WEEKDAY_LABELS, WEEKDAYS, percent,
};
use crate::domain::cancellation::{CancelOutcome, Reason};

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Attendance, cancellations and sessions saved, for a month or a range of months.
    Attendance(AttendanceArgs),
    /// Income: billed, collected, owed by age, fees waived, by service and month by month.
    Income(super::income::IncomeArgs),
    /// Count the report's kept monthly figures afresh from the records (when `caseload check`
    /// finds them out of step).
    Recount,
}

fn month_arg(s: &str) -> Result<Month, String> {
    Month::parse(s)
}

#[derive(Debug, Args)]
pub struct AttendanceArgs {
    /// The month, YYYY-MM (default: this month).
    #[arg(long, value_name = "YYYY-MM", value_parser = month_arg, conflicts_with_all = ["from", "to"])]
    pub month: Option<Month>,
    /// The first month of a range, YYYY-MM (with --to).
    #[arg(long, value_name = "YYYY-MM", value_parser = month_arg, requires = "to")]
    pub from: Option<Month>,
    /// The last month of a range, YYYY-MM, inclusive (with --from).
    #[arg(long, value_name = "YYYY-MM", value_parser = month_arg, requires = "from")]
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

pub fn run(ctx: &Ctx, cmd: ReportCommand) -> Result<ExitCode> {
    match cmd {
        ReportCommand::Attendance(args) => attendance(ctx, args),
        ReportCommand::Income(args) => super::income::run(ctx, args),
        ReportCommand::Recount => {
            let mut store = ctx.open()?;
            let before = store.check_kept_figures()?;
            store.rebuild_kept_figures()?;
            if before.ok {
                println!(
                    "The report's monthly figures were already in step; counted afresh anyway."
                );
            } else {
                println!(
                    "Counted the report's monthly figures afresh; they are in step with the records again."
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn attendance(ctx: &Ctx, args: AttendanceArgs) -> Result<ExitCode> {
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
        return Err(super::usage!(
            "--to {} is before --from {}; give the earlier month first.",
            to.key(),
            from.key()
        ));
    }
    let store = ctx.open()?;
    let report = store.attendance_report(from, to, now)?;
    let text = if args.json {
        let mut s = serde_json::to_string_pretty(&Json(&report))?;
        s.push('\n');
        s
    } else if args.csv {
        csv(&report)
    } else if args.md {
        markdown(&report)
    } else {
        text(&report)
    };
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}

// ---- JSON ------------------------------------------------------------------------------------

/// A map with its keys in a fixed order.
struct Ordered<'a>(Vec<(&'a str, u32)>);

impl Serialize for Ordered<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

#[derive(Serialize)]
struct JsonRequests<'a> {
    total: u32,
    by_reason: Ordered<'a>,
    by_outcome: Ordered<'a>,
    by_weekday: Ordered<'a>,
    by_time_of_day: Ordered<'a>,
    by_notice: Ordered<'a>,
    by: Ordered<'a>,
}

#[derive(Serialize)]
struct JsonSaved {
    phone: u32,
    video: u32,
    rescheduled: u32,
    total: u32,
}

#[derive(Serialize)]
struct JsonMonth {
    month: String,
    attendance_rate: Option<f64>,
    requests: u32,
    saved: u32,
}

#[derive(Serialize)]
struct JsonFlag<'a> {
    client_id: i64,
    name: &'a str,
    rule: FlagRule,
    detail: String,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    from: String,
    to: String,
    sessions: crate::domain::attendance::StatusCounts,
    attendance_rate: Option<f64>,
    requests: JsonRequests<'a>,
    saved: JsonSaved,
    save_rate: Option<f64>,
    months: Vec<JsonMonth>,
    clients_flagged: Vec<JsonFlag<'a>>,
}

/// The report as its JSON contract.
pub struct Json<'a>(pub &'a Report);

impl Serialize for Json<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let q = &r.requests;
        let out = JsonReport {
            from: r.from.key(),
            to: r.to.key(),
            sessions: r.sessions,
            attendance_rate: r.attendance_rate(),
            requests: JsonRequests {
                total: q.total,
                by_reason: Ordered(
                    Reason::ALL
                        .iter()
                        .map(|x| (x.as_str(), q.reason(*x)))
                        .collect(),
                ),
                by_outcome: Ordered(
                    CancelOutcome::ALL
                        .iter()
                        .map(|x| (x.as_str(), q.outcome(*x)))
                        .collect(),
                ),
                by_weekday: Ordered(WEEKDAYS.iter().copied().zip(q.by_weekday).collect()),
                by_time_of_day: Ordered(
                    TimeOfDay::ALL
                        .iter()
                        .map(|x| (x.as_str(), q.by_time_of_day[x.index()]))
                        .collect(),
                ),
                by_notice: Ordered(
                    NoticeBand::ALL
                        .iter()
                        .map(|x| (x.as_str(), q.by_notice[x.index()]))
                        .collect(),
                ),
                by: Ordered(vec![
                    ("client", q.by_client),
                    ("practitioner", q.by_practitioner),
                ]),
            },
            saved: JsonSaved {
                phone: q.saved_phone,
                video: q.saved_video,
                rescheduled: q.saved_rescheduled,
                total: q.saved(),
            },
            save_rate: q.save_rate(),
            months: r
                .months
                .iter()
                .map(|(m, f)| JsonMonth {
                    month: m.key(),
                    attendance_rate: f.attendance_rate(),
                    requests: f.requests,
                    saved: f.saved,
                })
                .collect(),
            clients_flagged: r
                .flagged
                .iter()
                .map(|f| JsonFlag {
                    client_id: f.client_id,
                    name: &f.name,
                    rule: f.flag.rule(),
                    detail: f.flag.detail(),
                })
                .collect(),
        };
        out.serialize(s)
    }
}

// ---- CSV -------------------------------------------------------------------------------------

/// The CSV header.
pub const CSV_HEADER: &str = "month,scheduled,attended,late,no_show,cancelled,late_cancelled,rescheduled,attendance_rate,requests,client_requests,saved,save_rate";

fn rate_field(r: Option<f64>) -> String {
    match r {
        // Four places are plenty for a share; no trailing noise from floating point.
        Some(r) => {
            let s = format!("{r:.4}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            s.to_string()
        }
        None => String::new(),
    }
}

/// One row per month (RFC 4180: CRLF line ends; no field needs quoting). A rate with nothing
/// to divide by is an empty field.
pub fn csv(r: &Report) -> String {
    let mut out = String::new();
    out.push_str(CSV_HEADER);
    out.push_str("\r\n");
    for (m, f) in &r.months {
        let c = &f.sessions;
        let _ = write!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n",
            m.key(),
            c.scheduled,
            c.attended,
            c.late,
            c.no_show,
            c.cancelled,
            c.late_cancelled,
            c.rescheduled,
            rate_field(f.attendance_rate()),
            f.requests,
            f.client_requests,
            f.saved,
            rate_field(f.save_rate()),
        );
    }
    out
}

// ---- text and Markdown -----------------------------------------------------------------------

fn period(r: &Report) -> String {
    if r.from == r.to {
        r.from.label()
    } else {
        format!("{} to {}", r.from.label(), r.to.label())
    }
}

fn sessions_line(r: &Report) -> String {
    let c = &r.sessions;
    let mut parts = vec![
        format!("booked {}", c.booked()),
        format!("attended {}", c.attended),
        format!("late {}", c.late),
        format!("no-show {}", c.no_show),
        format!(
            "cancelled {}",
            c.cancelled - c.by_practitioner.min(c.cancelled)
        ),
        format!("late-cancelled {}", c.late_cancelled),
        format!("cancelled by you {}", c.by_practitioner),
    ];
    if c.scheduled > 0 {
        parts.push(format!("still scheduled {}", c.scheduled));
    }
    if c.rescheduled > 0 {
        parts.push(format!("moved to a new time {}", c.rescheduled));
    }
    parts.join(" · ")
}

fn saved_line(r: &Report) -> String {
    let q = &r.requests;
    if q.by_client == 0 {
        return "No client asked to cancel.".into();
    }
    format!(
        "Saved by the offer: {} of {} client requests ({}) · phone {} · video {} · rescheduled {}",
        q.saved(),
        q.by_client,
        percent(q.save_rate()),
        q.saved_phone,
        q.saved_video,
        q.saved_rescheduled
    )
}

fn reasons(r: &Report) -> Vec<(Reason, u32)> {
    let mut v: Vec<(Reason, u32)> = Reason::ALL
        .iter()
        .map(|x| (*x, r.requests.reason(*x)))
        .filter(|(_, n)| *n > 0)
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

fn flag_lines(r: &Report) -> Vec<String> {
    r.flagged
        .iter()
        .map(|f| {
            format!(
                "{}: {} ({})",
                f.name,
                f.flag.detail(),
                f.flag.rule().label()
            )
        })
        .collect()
}

/// The report as plain text for the terminal.
pub fn text(r: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "Attendance · {}", period(r));
    if r.is_empty() {
        let _ = writeln!(
            o,
            "No sessions and no cancellation requests in this period, so there is nothing to report yet."
        );
        return o;
    }
    let _ = writeln!(o, "{}", sessions_line(r));
    let _ = writeln!(o, "Attendance {}", percent(r.attendance_rate()));
    let q = &r.requests;
    let _ = writeln!(
        o,
        "Cancellation requests {} (clients {}, you {})",
        q.total, q.by_client, q.by_practitioner
    );
    let _ = writeln!(o, "{}", saved_line(r));
    if q.total > 0 {
        let why: Vec<String> = reasons(r)
            .iter()
            .map(|(x, n)| format!("{} {n}", x.label()))
            .collect();
        let _ = writeln!(o, "Why: {}", why.join(" · "));
        let days: Vec<String> = WEEKDAY_LABELS
            .iter()
            .zip(q.by_weekday)
            .map(|(d, n)| format!("{d} {n}"))
            .collect();
        let _ = writeln!(o, "Day: {}", days.join(" · "));
        let tod: Vec<String> = TimeOfDay::ALL
            .iter()
            .map(|t| format!("{} {}", t.label(), q.by_time_of_day[t.index()]))
            .collect();
        let _ = writeln!(o, "Time: {}", tod.join(" · "));
        let notice: Vec<String> = NoticeBand::ALL
            .iter()
            .map(|b| format!("{} {}", b.label(), q.by_notice[b.index()]))
            .collect();
        let _ = writeln!(o, "Notice: {}", notice.join(" · "));
    }
    if r.months.len() > 1 {
        let _ = writeln!(o, "\nMonth      Attendance  Requests  Saved");
        for (m, f) in &r.months {
            let _ = writeln!(
                o,
                "{:<9}  {:>10}  {:>8}  {:>5}",
                m.key(),
                percent(f.attendance_rate()),
                f.requests,
                f.saved
            );
        }
    }
    let lines = flag_lines(r);
    if lines.is_empty() {
        let _ = writeln!(o, "No client's attendance needs a look.");
    } else {
        let _ = writeln!(o, "\nClients to look at");
        for l in lines {
            let _ = writeln!(o, "  {l}");
        }
    }
    o
}

/// The report as Markdown, to print or keep.
pub fn markdown(r: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# Attendance · {}\n", period(r));
    if r.is_empty() {
        let _ = writeln!(
            o,
            "No sessions and no cancellation requests in this period, so there is nothing to report yet."
        );
        return o;
    }
    let c = &r.sessions;
    let _ = writeln!(o, "## Sessions\n");
    let _ = writeln!(o, "| Outcome | Sessions |\n|---|---:|");
    for (label, n) in [
        ("Booked", c.booked()),
        ("Attended", c.attended),
        ("Attended late", c.late),
        ("No-show", c.no_show),
        (
            "Cancelled by the client",
            c.cancelled - c.by_practitioner.min(c.cancelled),
        ),
        ("Late cancellation", c.late_cancelled),
        ("Cancelled by you", c.by_practitioner),
        ("Still scheduled", c.scheduled),
        ("Moved to a new time", c.rescheduled),
    ] {
        let _ = writeln!(o, "| {label} | {n} |");
    }
    let _ = writeln!(
        o,
        "\n**Attendance {}** (attended and late, out of attended, late, no-shows, client cancellations and late cancellations).\n",
        percent(r.attendance_rate())
    );
    let q = &r.requests;
    let _ = writeln!(o, "## Cancellation requests\n");
    let _ = writeln!(
        o,
        "{} requests: {} from clients, {} from you.\n\n{}\n",
        q.total,
        q.by_client,
        q.by_practitioner,
        saved_line(r)
    );
    if q.total > 0 {
        let _ = writeln!(o, "| Why | Requests |\n|---|---:|");
        for (x, n) in reasons(r) {
            let _ = writeln!(o, "| {} | {n} |", x.label());
        }
        let _ = writeln!(
            o,
            "\n| When | Morning | Afternoon | Evening |\n|---|---:|---:|---:|"
        );
        for (i, d) in WEEKDAY_LABELS.iter().enumerate() {
            let row = q.by_weekday_time[i];
            let _ = writeln!(o, "| {d} | {} | {} | {} |", row[0], row[1], row[2]);
        }
        let _ = writeln!(o, "\n| Notice | Requests |\n|---|---:|");
        for b in NoticeBand::ALL {
            let _ = writeln!(o, "| {} | {} |", b.label(), q.by_notice[b.index()]);
        }
        let _ = writeln!(o);
    }
    if r.months.len() > 1 {
        let _ = writeln!(
            o,
            "## Month by month\n\n| Month | Attendance | Requests | Saved |\n|---|---:|---:|---:|"
        );
        for (m, f) in &r.months {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |",
                m.label(),
                percent(f.attendance_rate()),
                f.requests,
                f.saved
            );
        }
        let _ = writeln!(o);
    }
    let _ = writeln!(o, "## Clients to look at\n");
    let lines = flag_lines(r);
    if lines.is_empty() {
        let _ = writeln!(o, "No client's attendance needs a look.");
    } else {
        for l in lines {
            let _ = writeln!(o, "- {l}");
        }
    }
    o
}
