//! `caseload client …`

use super::println_clean as println;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};

use super::{Ctx, json_or};
use crate::domain::client::{Client, ClientInput, ClientStatus, ContactMethod, Telehealth};
use crate::store::StoreError;
use crate::store::client::StatusFilter;

/// Parses an enumeration word for clap, listing the words on a mistake.
pub fn word<T: std::str::FromStr>(s: &str) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    s.parse().map_err(|e: T::Err| e.to_string())
}

#[derive(Debug, Subcommand)]
pub enum ClientCommand {
    /// Add a client; prints the new id (--json: the client).
    Add {
        #[command(flatten)]
        fields: ClientArgs,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Change a client's details; only the flags given change.
    Edit {
        /// The client's id.
        id: i64,
        #[command(flatten)]
        fields: ClientArgs,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Move a client to another status: active, on_hold, discharged, referred_out.
    Status {
        /// The client's id.
        id: i64,
        /// The new status: active, on_hold, discharged or referred_out.
        #[arg(value_parser = word::<ClientStatus>)]
        status: ClientStatus,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List clients (all of them unless --status is given).
    List {
        /// active, on_hold, discharged, referred_out or all.
        #[arg(long, value_name = "S", default_value = "all")]
        status: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Show one client.
    Show {
        /// The client's id.
        id: i64,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Default, Args)]
pub struct ClientArgs {
    /// Full name (required when adding; at most 200 characters).
    #[arg(long)]
    pub name: Option<String>,
    /// The name the client likes to be called.
    #[arg(long)]
    pub preferred_name: Option<String>,
    /// Pronouns, e.g. she/her.
    #[arg(long)]
    pub pronouns: Option<String>,
    /// Phone number.
    #[arg(long)]
    pub phone: Option<String>,
    /// Email address.
    #[arg(long)]
    pub email: Option<String>,
    /// Preferred contact between sessions: phone, text or email.
    #[arg(long, value_parser = word::<ContactMethod>)]
    pub contact: Option<ContactMethod>,
    /// Date of birth, YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub born: Option<String>,
    /// Intake date, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub intake: Option<String>,
    /// Remote sessions consented to: none, phone, video or both.
    #[arg(long, value_parser = word::<Telehealth>)]
    pub telehealth: Option<Telehealth>,
    /// When telehealth consent was given, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub telehealth_date: Option<String>,
    /// Who to call in an emergency (name and number).
    #[arg(long)]
    pub emergency_contact: Option<String>,
}

impl ClientArgs {
    /// Applies the flags given on top of `input`.
    pub fn apply(&self, input: &mut ClientInput) {
        let set = |slot: &mut String, v: &Option<String>| {
            if let Some(v) = v {
                *slot = v.clone();
            }
        };
        set(&mut input.name, &self.name);
        set(&mut input.preferred_name, &self.preferred_name);
        set(&mut input.pronouns, &self.pronouns);
        set(&mut input.phone, &self.phone);
        set(&mut input.email, &self.email);
        set(&mut input.born, &self.born);
        set(&mut input.intake_date, &self.intake);
        set(&mut input.telehealth_consent_date, &self.telehealth_date);
        set(&mut input.emergency_contact, &self.emergency_contact);
        if let Some(c) = self.contact {
            input.preferred_contact = Some(c);
        }
        if let Some(t) = self.telehealth {
            if t != input.telehealth_consent && self.telehealth_date.is_none() {
                // New consent is dated today unless a date is given.
                input.telehealth_consent_date.clear();
            }
            input.telehealth_consent = t;
        }
    }
}

pub fn run(ctx: &Ctx, cmd: ClientCommand) -> Result<ExitCode> {
    let today = ctx.clock.today();
    let now = ctx.clock.now_utc();
    match cmd {
        ClientCommand::Add { fields, json } => {
            let mut input = ClientInput::default();
            fields.apply(&mut input);
            let valid = input.validate(today).map_err(StoreError::from)?;
            let mut store = ctx.open()?;
            let c = store.add_client(&valid, now)?;
            json_or(json, &c, || {
                println!("{}", c.id);
            })?;
        }
        ClientCommand::Edit { id, fields, json } => {
            let mut store = ctx.open()?;
            let current = store.client(id)?;
            let mut input = ClientInput::from_client(&current);
            fields.apply(&mut input);
            let valid = input.validate(today).map_err(StoreError::from)?;
            let c = store.update_client(id, &valid, now)?;
            json_or(json, &c, || {
                println!("Saved {} (id {}).", c.name, c.id);
            })?;
        }
        ClientCommand::Status { id, status, json } => {
            let mut store = ctx.open()?;
            let c = store.set_client_status(id, status, now)?;
            json_or(json, &c, || {
                println!("{} is now {}.", c.name, c.status.label().to_lowercase());
            })?;
        }
        ClientCommand::List { status, json } => {
            let filter = parse_status_filter(&status)?;
            let store = ctx.open()?;
            let clients = store.clients(filter)?;
            json_or(json, &clients, || {
                print_table(&clients);
            })?;
        }
        ClientCommand::Show { id, json } => {
            let store = ctx.open()?;
            let c = store.client(id)?;
            json_or(json, &c, || {
                print_client(&c);
            })?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `all` or one status word.
pub fn parse_status_filter(s: &str) -> Result<StatusFilter> {
    if s.trim() == "all" {
        return Ok(StatusFilter::All);
    }
    let status: ClientStatus = s.parse().map_err(|e| super::usage!("--status: {e}, all"))?;
    Ok(StatusFilter::Only(status))
}

fn print_table(clients: &[Client]) {
    if clients.is_empty() {
        println!("No clients.");
        return;
    }
    let width = clients
        .iter()
        .map(|c| super::display_width(&c.name))
        .max()
        .unwrap_or(4)
        .clamp(4, 40);
    println!("{:>5}  {:<width$}  {:<12}  intake", "id", "name", "status");
    for c in clients {
        println!(
            "{:>5}  {}  {:<12}  {}",
            c.id,
            super::fit(&c.name, width),
            c.status.as_str(),
            c.intake_date
        );
    }
}

fn print_client(c: &Client) {
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    println!("{} (id {})", c.name, c.id);
    println!("  status             {}", c.status.label());
    println!("  preferred name     {}", opt(&c.preferred_name));
    println!("  pronouns           {}", opt(&c.pronouns));
    println!(
        "  born               {}",
        c.born.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
    );
    println!("  phone              {}", opt(&c.phone));
    println!("  email              {}", opt(&c.email));
    println!(
        "  preferred contact  {}",
        c.preferred_contact.map(|m| m.label()).unwrap_or("—")
    );
    println!("  emergency contact  {}", opt(&c.emergency_contact));
    let consent = match c.telehealth_consent_date {
        Some(d) => format!("{} (given {d})", c.telehealth_consent.label()),
        None => c.telehealth_consent.label().to_string(),
    };
    println!("  remote sessions    {consent}");
    println!("  intake             {}", c.intake_date);
}
