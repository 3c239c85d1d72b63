//! `caseload assess …` and `caseload recommend …`

use super::println_clean as println;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};

use super::client::word;
use super::{Ctx, json_or, print_json};
use crate::domain::assessment::{Assessment, Recommendation};
use crate::domain::engagement::EngagementModel;
use crate::domain::instrument::{self, Instrument, InstrumentKind};
use crate::domain::time::{DateStyle, Shown, parse_date};
use crate::instruments::{Catalog, Source};

#[derive(Debug, Subcommand)]
pub enum AssessCommand {
    /// List the instruments on hand, and any of your files that could not be loaded.
    Instruments {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Record a client's answers to an instrument (values in item order, comma-separated).
    Record {
        /// The client's id.
        #[arg(long, value_name = "ID")]
        client: i64,
        /// The instrument key (see `assess instruments`), e.g. phq9.
        #[arg(long, value_name = "KEY")]
        instrument: String,
        /// The answer values in item order, e.g. 0,2,1,3
        #[arg(long, value_name = "V1,V2,...", allow_hyphen_values = true)]
        answers: String,
        /// The day it was given (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        at: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// A client's results, oldest first.
    History {
        /// The client's id.
        #[arg(long, value_name = "ID")]
        client: i64,
        /// Only this instrument (its key).
        #[arg(long, value_name = "KEY")]
        instrument: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Check an instrument file and report every problem with its line number.
    Check {
        /// The instrument file (TOML) to check.
        file: PathBuf,
    },
    /// List alerts raised by flags that are not reviewed yet.
    Alerts {
        /// Only this client's alerts (the client's id).
        #[arg(long, value_name = "ID")]
        client: Option<i64>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Mark an alert reviewed, with a note of what was done.
    ReviewFlag {
        /// The alert's id (see `assess alerts`).
        id: i64,
        /// What was done about it.
        #[arg(long)]
        note: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct RecommendArgs {
    /// The client's id.
    #[arg(long, value_name = "ID")]
    pub client: i64,
    /// Accept this model (the recommended one, or another with --reason).
    #[arg(long, value_name = "MODEL", value_parser = word::<EngagementModel>)]
    pub accept: Option<EngagementModel>,
    /// Why another model than the recommended one was chosen.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Parses "v1,v2,..." naming the position (and item) of anything that is not a number.
pub fn parse_answers(s: &str, ins: &Instrument) -> Result<Vec<i64>> {
    let mut out = Vec::new();
    for (n, part) in s.split(',').enumerate() {
        let p = part.trim();
        match p.parse::<i64>() {
            Ok(v) => out.push(v),
            Err(_) => {
                let item = ins
                    .items
                    .get(n)
                    .map(|i| format!(" (item “{}”)", i.id))
                    .unwrap_or_default();
                bail!(
                    "answer {}{item}: “{p}” is not a number; give the answer values in item order, e.g. 0,2,1. Nothing was recorded.",
                    n + 1
                );
            }
        }
    }
    Ok(out)
}

pub fn run(ctx: &Ctx, cmd: AssessCommand) -> Result<ExitCode> {
    match cmd {
        AssessCommand::Check { file } => check(&file),
        AssessCommand::Instruments { json } => {
            let cat = Catalog::load_default();
            if json {
                let instruments: Vec<serde_json::Value> = cat
                    .instruments
                    .iter()
                    .map(|(i, src)| {
                        let mut v = serde_json::to_value(i)?;
                        if let Some(o) = v.as_object_mut() {
                            o.insert(
                                "source".into(),
                                match src {
                                    Source::BuiltIn => "built_in".into(),
                                    Source::File(p) => p.display().to_string().into(),
                                },
                            );
                        }
                        Ok(v)
                    })
                    .collect::<Result<_>>()?;
                print_json(&serde_json::json!({
                    "instruments": instruments,
                    "broken": cat.broken,
                }))?;
            } else {
                for (i, src) in &cat.instruments {
                    let from = match src {
                        Source::BuiltIn => "built in".to_string(),
                        Source::File(p) => p.display().to_string(),
                    };
                    println!(
                        "{:<16} {} (version {}, {}, {} items) · {from}",
                        i.key,
                        i.title,
                        i.version,
                        i.kind.label().to_lowercase(),
                        i.items.len()
                    );
                }
                for b in &cat.broken {
                    println!("broken: {}", b.path.display());
                    for p in &b.problems {
                        println!("  {p}");
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        AssessCommand::Record {
            client,
            instrument,
            answers,
            at,
            json,
        } => {
            let cat = Catalog::load_default();
            let Some(ins) = cat.get(&instrument) else {
                bail!(
                    "there is no instrument “{instrument}”; the instruments on hand are: {}",
                    cat.keys()
                );
            };
            let today = ctx.clock.today();
            let on = match at {
                Some(s) => parse_date(&s).map_err(|e| super::usage!("--at: {e}"))?,
                None => today,
            };
            if on > today {
                bail!(
                    "--at: {on} is in the future; an assessment is recorded on the day it was given"
                );
            }
            let values = parse_answers(&answers, ins)?;
            ins.check_answers(&values)
                .map_err(|e| anyhow::anyhow!("{e} Nothing was recorded."))?;
            let mut store = ctx.open()?;
            let a = store.record_assessment(client, ins, &values, on, ctx.clock.now_utc())?;
            if json {
                print_json(&a)?;
            } else {
                let name = store.client(client)?.name;
                println!(
                    "Recorded {} for {name} on {} (result {}).",
                    a.title, a.administered_at, a.id
                );
                print_result(&a);
            }
            Ok(ExitCode::SUCCESS)
        }
        AssessCommand::History {
            client,
            instrument,
            json,
        } => {
            let store = ctx.open()?;
            let c = store.client(client)?;
            let list = store.assessments(client, instrument.as_deref())?;
            if json {
                print_json(&list)?;
            } else if list.is_empty() {
                println!("{} has no assessment results yet.", c.name);
            } else {
                println!(
                    "{} · {}",
                    c.name,
                    crate::domain::words::count(list.len(), "result", "results")
                );
                for a in &list {
                    println!(
                        "{:>5}  {}  {:<14} v{}",
                        a.id, a.administered_at, a.instrument, a.version
                    );
                    print_result(a);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        AssessCommand::Alerts { client, json } => {
            let store = ctx.open()?;
            let list = store.open_alerts(client)?;
            if json {
                print_json(&list)?;
            } else if list.is_empty() {
                println!("No open alerts.");
            } else {
                for a in &list {
                    let name = store.client(a.client_id)?.name;
                    println!(
                        "{:>5}  {name} · {} {} · {}",
                        a.id, a.instrument, a.administered_at, a.message
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        AssessCommand::ReviewFlag { id, note, json } => {
            let mut store = ctx.open()?;
            let a = store.review_alert(id, &note, ctx.clock.now_utc())?;
            json_or(json, &a, || {
                println!("Alert {} marked reviewed.", a.id);
            })?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print_result(a: &Assessment) {
    match a.kind {
        InstrumentKind::Measure => {
            println!(
                "       total {} · {}",
                a.total,
                a.band.as_deref().unwrap_or("no band")
            );
            if !a.subscales.is_empty() {
                let parts: Vec<String> = a
                    .subscales
                    .iter()
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect();
                println!("       subscales: {}", parts.join(" · "));
            }
        }
        InstrumentKind::Recommendation => {
            for e in &a.ranking {
                println!(
                    "       {:<18} {:>6} {:>5.1}%",
                    e.model,
                    e.score,
                    e.share * 100.0
                );
            }
            if let Some(t) = &a.tie {
                println!("       {t}");
            }
        }
    }
    for f in &a.flags {
        println!("       ! {} ({})", f.message, f.item);
    }
}

fn check(file: &std::path::Path) -> Result<ExitCode> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("could not read {}", file.display()))?;
    match instrument::parse(&text) {
        Ok(i) => {
            println!(
                "{} is a good {} instrument: “{}” (key {}, version {}, {} items).",
                file.display(),
                i.kind.as_str(),
                i.title,
                i.key,
                i.version,
                i.items.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(problems) => {
            for p in &problems {
                println!("{}:{}: {}", file.display(), p.line, p.message);
            }
            bail!(
                "{} has {} problem{}; nothing in it can be used until they are fixed",
                file.display(),
                problems.len(),
                if problems.len() == 1 { "" } else { "s" }
            )
        }
    }
}

pub fn recommend(ctx: &Ctx, args: RecommendArgs) -> Result<ExitCode> {
    let mut store = ctx.open()?;
    let c = store.client(args.client)?;
    if let Some(model) = args.accept {
        store.choose_model(
            args.client,
            model,
            args.reason.as_deref(),
            ctx.clock.now_utc(),
        )?;
    } else if args.reason.is_some() {
        return Err(super::usage!("--reason goes with --accept MODEL"));
    }
    let Some(r) = store.recommendation(args.client, ctx.clock.today())? else {
        bail!(
            "{} has no engagement assessment yet; record one with caseload assess record --client {} --instrument engagement --answers …",
            c.name,
            c.id
        );
    };
    if args.json {
        print_json(&r)?;
    } else {
        if args.accept.is_some()
            && let Some(a) = &r.accepted
        {
            println!(
                "{} will be worked with in the {} model.",
                c.name,
                a.model.label().to_lowercase()
            );
        }
        print_recommendation(&c.name, &r);
    }
    Ok(ExitCode::SUCCESS)
}

fn model_label(word: &str) -> String {
    word.parse::<EngagementModel>()
        .map(|m| m.label().to_string())
        .unwrap_or_else(|_| word.to_string())
}

fn print_recommendation(name: &str, r: &Recommendation) {
    println!(
        "{name} · engagement assessment of {} (result {})",
        r.administered_at, r.assessment_id
    );
    for (n, e) in r.ranking.iter().enumerate() {
        println!(
            "  {}. {:<18} {:>5.1}%  (score {})",
            n + 1,
            model_label(&e.model),
            e.share * 100.0,
            e.score
        );
    }
    if let Some(t) = &r.tie {
        println!("  {t}");
    }
    if !r.why.is_empty() {
        println!("Why {}:", model_label(&r.recommended));
        for w in &r.why {
            println!("  • “{}” — {}", w.text, w.answer);
        }
    }
    match &r.accepted {
        Some(a) => {
            let how = match &a.reason {
                Some(reason) => format!(
                    "chosen instead of {}: {reason}",
                    model_label(a.recommended.as_deref().unwrap_or(""))
                ),
                None => "the recommended model".to_string(),
            };
            println!(
                "Accepted: {} ({how}), {}",
                a.model.label(),
                crate::clock::show(a.chosen_at, DateStyle::Iso, Shown::Date)
            );
        }
        None => println!(
            "Not accepted yet: caseload recommend --client {} --accept {}",
            r.client_id, r.recommended
        ),
    }
    if let Some(g) = &r.guidance {
        println!("Working in the {} model", g.model.label().to_lowercase());
        println!("  When it fits:   {}", g.fits_when);
        println!("  What you do:    {}", g.you_do);
        println!("  Watch for:      {}", g.watch_for);
    }
    println!("{}", r.reassessment.reason);
}
