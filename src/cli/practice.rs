//! `caseload practice …` (the practice profile) and `caseload qa …` (the practice's Q&A).

use super::println_clean as println;
use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;

use super::client::word;
use super::{Ctx, json_or, print_json};
use crate::domain::cancellation::DayHours;
use crate::domain::client::ContactMethod;
use crate::domain::practice::{PracticeProfile, WEEKDAYS, open_days};

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run
pub enum PracticeCommand {
    /// Show the practice profile.
    Show {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Change the practice profile; only the flags given change.
    Set {
        /// The practice's name.
        #[arg(long)]
        practice_name: Option<String>,
        /// Your name as clients see it.
        #[arg(long)]
        practitioner: Option<String>,
        /// The practice's phone number.
        #[arg(long)]
        phone: Option<String>,
        /// The practice's email address.
        #[arg(long)]
        email: Option<String>,
        /// Where sessions in person take place.
        #[arg(long)]
        address: Option<String>,
        /// Office hours for a day, e.g. --hours monday=09:00-17:00 (repeat; "closed" to clear).
        /// Kept in the practice settings, beside the cancellation policy.
        #[arg(long, value_name = "DAY=HOURS")]
        hours: Vec<String>,
        /// How clients may reach you between sessions: comma-separated phone, text, email.
        #[arg(long, value_name = "LIST")]
        channels: Option<String>,
        /// The reply time a client can expect, in words ("within one working day").
        #[arg(long)]
        reply_time: Option<String>,
        /// What to do in an emergency, in words.
        #[arg(long)]
        emergency: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum QaCommand {
    /// List the questions and answers in order.
    List {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Add a question at the end.
    Add {
        /// The question, as a client would ask it.
        #[arg(long)]
        question: String,
        /// The answer.
        #[arg(long)]
        answer: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Change a question or its answer.
    Edit {
        /// The question's id (see `qa list`).
        id: i64,
        /// The new wording of the question.
        #[arg(long)]
        question: Option<String>,
        /// The new answer.
        #[arg(long)]
        answer: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Move a question to another place (1 = first).
    Move {
        /// The question's id (see `qa list`).
        id: i64,
        /// Its new place, 1 = first.
        #[arg(long, value_name = "N")]
        to: usize,
    },
    /// Remove a question.
    Remove {
        /// The question's id (see `qa list`).
        id: i64,
    },
}

pub fn run(ctx: &Ctx, cmd: PracticeCommand) -> Result<ExitCode> {
    let mut store = ctx.open()?;
    match cmd {
        PracticeCommand::Show { json } => {
            let p = store.practice_profile()?;
            let hours = open_days(&store.practice_settings()?.office_hours);
            json_or(json, &p, || {
                print_profile(&p, &hours);
            })?;
        }
        PracticeCommand::Set {
            practice_name,
            practitioner,
            phone,
            email,
            address,
            hours,
            channels,
            reply_time,
            emergency,
            json,
        } => {
            let mut p = store.practice_profile()?;
            let set = |slot: &mut String, v: Option<String>| {
                if let Some(v) = v {
                    *slot = v;
                }
            };
            set(&mut p.practice_name, practice_name);
            set(&mut p.practitioner_name, practitioner);
            set(&mut p.phone, phone);
            set(&mut p.email, email);
            set(&mut p.address, address);
            set(&mut p.reply_time, reply_time);
            set(&mut p.emergency, emergency);
            let mut settings = store.practice_settings()?;
            for h in &hours {
                let (day, value) = h.split_once('=').ok_or_else(|| {
                    super::usage!("--hours: “{h}” should look like monday=09:00-17:00")
                })?;
                let i = WEEKDAYS
                    .iter()
                    .position(|d| {
                        d.starts_with(&day.trim().to_lowercase()) && day.trim().len() >= 2
                    })
                    .ok_or_else(|| {
                        anyhow::anyhow!(
                            "--hours: “{day}” is not a day of the week (monday … sunday)"
                        )
                    })?;
                settings.office_hours.0[i] = match value.trim() {
                    "" | "closed" => None,
                    v => Some(DayHours::parse(v).map_err(|e| super::usage!("--hours: {e}"))?),
                };
            }
            if let Some(list) = channels {
                p.contact_channels = list
                    .split(',')
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| word::<ContactMethod>(s).map_err(|e| super::usage!("--channels: {e}")))
                    .collect::<Result<Vec<_>>>()?;
            }
            let p = store.set_practice_profile(&p)?;
            if !hours.is_empty() {
                store.set_practice_settings(&settings)?;
            }
            json_or(json, &p, || {
                println!("Saved the practice profile.");
            })?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_profile(p: &PracticeProfile, days: &[(String, String)]) {
    let or = |s: &str| {
        if s.trim().is_empty() {
            "—".to_string()
        } else {
            s.to_string()
        }
    };
    println!("  practice           {}", or(&p.practice_name));
    println!("  practitioner       {}", or(&p.practitioner_name));
    println!("  phone              {}", or(&p.phone));
    println!("  email              {}", or(&p.email));
    println!("  address            {}", or(&p.address));
    if days.is_empty() {
        println!("  office hours       —");
    }
    for (i, (d, h)) in days.iter().enumerate() {
        let label = if i == 0 { "office hours" } else { "" };
        println!("  {label:<18} {d:<10} {h}");
    }
    let ch: Vec<&str> = p.contact_channels.iter().map(|c| c.as_str()).collect();
    println!("  between sessions   {}", or(&ch.join(", ")));
    println!("  reply time         {}", or(&p.reply_time));
    println!("  emergency          {}", or(&p.emergency));
}

pub fn run_qa(ctx: &Ctx, cmd: QaCommand) -> Result<ExitCode> {
    let mut store = ctx.open()?;
    match cmd {
        QaCommand::List { json } => {
            let items = store.qa_items()?;
            if json {
                print_json(&items)?;
            } else if items.is_empty() {
                println!("No questions yet.");
            } else {
                for i in &items {
                    println!("{:>3}. [{}] {}", i.position, i.id, i.question);
                }
            }
        }
        QaCommand::Add {
            question,
            answer,
            json,
        } => {
            let i = store.add_qa(&question, &answer)?;
            json_or(json, &i, || {
                println!("{}", i.id);
            })?;
        }
        QaCommand::Edit {
            id,
            question,
            answer,
            json,
        } => {
            let i = store.edit_qa(id, question.as_deref(), answer.as_deref())?;
            json_or(json, &i, || {
                println!("Saved question {}.", i.id);
            })?;
        }
        QaCommand::Move { id, to } => {
            let items = store.move_qa(id, to)?;
            let at = items
                .iter()
                .find(|i| i.id == id)
                .map(|i| i.position)
                .unwrap_or(0);
            println!("Question {id} is now number {at}.");
        }
        QaCommand::Remove { id } => {
            store.remove_qa(id)?;
            println!("Removed question {id}.");
        }
    }
    Ok(ExitCode::SUCCESS)
}
