//! `caseload session cancel ID --reason REASON …`: the cancellation flow for scripts.
//!
//! A client's cancellation needs exactly one decision (`--convert phone|video`,
//! `--reschedule "YYYY-MM-DD HH:MM"` or `--decline-remote`). Without one, the tailored offer is
//! printed and the command exits 3 ("a decision is needed"), recording nothing.

use super::println_clean as println;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;
use serde_json::json;

use super::client::word;
use super::{Ctx, print_json};
use crate::domain::cancellation::{
    Alternative, CancelOutcome, CancelledBy, Decision, Reason, RemoteCheck, Request,
    describe_notice, is_late,
};
use crate::domain::client::short_name;
use crate::domain::time::parse_local;
use crate::store::StoreError;
use crate::store::cancellation::{CancelContext, Source};

/// The exit status when a decision is needed.
pub const DECISION_NEEDED: u8 = 3;

#[derive(Debug, Clone, Args)]
#[command(group(clap::ArgGroup::new("decision").multiple(false)))]
pub struct CancelArgs {
    /// The session's id.
    pub id: i64,
    /// Why: work, child_or_family_care, own_illness, travel, transport_or_weather, forgot, cost,
    /// schedule_conflict, feeling_better or other.
    #[arg(long, value_parser = word::<Reason>)]
    pub reason: Reason,
    /// Who is cancelling: client (the default) or practitioner.
    #[arg(long, value_parser = word::<CancelledBy>, default_value = "client")]
    pub by: CancelledBy,
    /// A note about the request.
    #[arg(long)]
    pub note: Option<String>,
    /// Decision: keep the session at its time by phone or video.
    #[arg(long, value_name = "phone|video", value_parser = remote, group = "decision")]
    pub convert: Option<Alternative>,
    /// Decision: move the session to a new time.
    #[arg(long, value_name = "YYYY-MM-DD HH:MM", group = "decision")]
    pub reschedule: Option<String>,
    /// Decision: the client declined the alternatives; record the cancellation.
    #[arg(long, group = "decision")]
    pub decline_remote: bool,
    /// Waive the late-cancellation fee (with --decline-remote).
    #[arg(long)]
    pub waive_fee: bool,
    /// With --convert: record the client's verbal consent to phone or video now (dated today).
    #[arg(long)]
    pub verbal_consent: bool,
    /// With --convert: the client confirmed they are somewhere private, not driving, and where
    /// you may work with them.
    #[arg(long)]
    pub remote_ok: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

fn remote(s: &str) -> Result<Alternative, String> {
    match s.trim() {
        "phone" => Ok(Alternative::Phone),
        "video" => Ok(Alternative::Video),
        other => Err(format!("“{other}” is not one of: phone, video")),
    }
}

pub fn run(ctx: &Ctx, args: CancelArgs) -> Result<ExitCode> {
    let now = ctx.clock.now_local();
    let mut store = ctx.open()?;
    let cx = store.cancel_context(args.id)?;
    // Refused here only when it is not scheduled: an ended session is refused by the store,
    // after what matters more (a signed note), with the same words.
    if let Err(why @ crate::domain::cancellation::NotCancellable::NotScheduled(_)) =
        crate::domain::cancellation::cancellable(cx.session.status, cx.session.ends_at(), now)
    {
        bail!("Session {} {}. Nothing was changed.", args.id, why.words());
    }
    if args.waive_fee && !args.decline_remote && args.by == CancelledBy::Client {
        return Err(super::usage!(
            "--waive-fee goes with --decline-remote (a fee applies only to a cancellation)."
        ));
    }
    if (args.verbal_consent || args.remote_ok) && args.convert.is_none() {
        return Err(super::usage!(
            "--verbal-consent and --remote-ok go with --convert phone|video."
        ));
    }
    let decision = if let Some(to) = args.convert {
        Decision::Convert {
            to,
            verbal_consent: args.verbal_consent,
            check: args.remote_ok.then_some(RemoteCheck::ALL_YES),
        }
    } else if let Some(t) = &args.reschedule {
        let to = parse_local(t).map_err(|e| super::usage!("--reschedule: {e}"))?;
        Decision::Reschedule { to }
    } else if args.decline_remote || args.by == CancelledBy::Practitioner {
        Decision::Decline {
            waive_fee: args.waive_fee,
        }
    } else {
        print_offer(ctx, &store, &cx, &args)?;
        return Ok(ExitCode::from(DECISION_NEEDED));
    };
    let req = Request {
        by: args.by,
        reason: args.reason,
        note: args.note.clone(),
    };
    let c = store
        .cancel_session(
            args.id,
            &req,
            decision,
            now,
            ctx.clock.now_utc(),
            Source::Cli,
        )
        .map_err(|e| match e {
            StoreError::Invalid(v) if v.to_string().contains("verbal consent") => {
                anyhow::anyhow!(
                    "{v} (add --verbal-consent once the client agrees). Nothing was changed."
                )
            }
            StoreError::Invalid(v) => anyhow::anyhow!("{v}. Nothing was changed."),
            other => other.into(),
        })?;
    if args.json {
        print_json(&c)?;
        return Ok(ExitCode::SUCCESS);
    }
    let s = &cx.session;
    let when = s.starts_at.format("%a %-d %b %H:%M");
    match c.outcome {
        CancelOutcome::ConvertedPhone | CancelOutcome::ConvertedVideo => println!(
            "Saved: session {} stays at {when}, now by {}.",
            s.id,
            if c.outcome == CancelOutcome::ConvertedPhone {
                "phone"
            } else {
                "video"
            }
        ),
        CancelOutcome::Rescheduled => {
            let new = c.new_session_id.map(|id| store.session(id)).transpose()?;
            match new {
                Some(n) => println!(
                    "Rescheduled: session {} moved to {} (new session {}).",
                    s.id,
                    n.starts_at.format("%a %-d %b %H:%M"),
                    n.id
                ),
                None => println!("Rescheduled session {}.", s.id),
            }
        }
        CancelOutcome::Cancelled => println!("Cancelled session {} ({when}).", s.id),
        CancelOutcome::LateCancelled => {
            println!("Late cancellation recorded for session {} ({when}).", s.id);
            if c.fee_waived {
                println!("The late-cancellation fee was waived.");
            } else if !cx.settings.late_fee_text.trim().is_empty() {
                println!("Fee: {}", cx.settings.late_fee_text.trim());
            }
        }
    }
    if let Some(p) = args.reason.prompt() {
        println!("{p}");
    }
    Ok(ExitCode::SUCCESS)
}

fn print_offer(
    ctx: &Ctx,
    store: &crate::store::Store,
    cx: &CancelContext,
    args: &CancelArgs,
) -> Result<()> {
    let items = cx.offer(args.reason);
    if args.json {
        let offer: Vec<_> = items
            .iter()
            .map(|i| {
                json!({
                    "option": i.option.as_str(),
                    "available": i.availability.is_available(),
                    "why": i.why,
                })
            })
            .collect();
        return print_json(&json!({
            "session_id": cx.session.id,
            "reason": args.reason.as_str(),
            "offer": offer,
        }));
    }
    let s = &cx.session;
    let now = ctx.clock.now_local();
    let name = short_name(&s.client_name, None);
    let notice = cx.notice_hours(now);
    let window = cx.settings.cancellation_window_hours;
    println!(
        "Before you cancel: offer {name} another way to attend (session {}, {}, {}).",
        s.id,
        s.starts_at.format("%a %-d %b %H:%M"),
        s.modality.label().to_lowercase()
    );
    let late = if is_late(CancelledBy::Client, notice, window) {
        format!(" (under the {window} h policy: a late cancellation)")
    } else {
        String::new()
    };
    println!(
        "Reason: {} · notice {}{late}",
        args.reason.label(),
        describe_notice(notice)
    );
    println!();
    for (n, i) in items.iter().enumerate() {
        println!("  {}  {:<16} {}", n + 1, i.option.label(), i.why);
        let detail = match (i.option, i.availability.note(i.option)) {
            (_, Some(why_not)) => format!("not available: {why_not}"),
            (Alternative::Phone, None) => format!(
                "available · phone {}",
                cx.client_phone.as_deref().unwrap_or("not on file")
            ),
            (Alternative::Video, None) => match cx.settings.video_link.trim() {
                "" => "available · no video link set (Practice settings)".to_string(),
                l => format!("available · link {l}"),
            },
            (Alternative::Reschedule, None) => {
                let slots = store.free_slots_for(s.id, now, 4, 1)?;
                if slots.is_empty() {
                    "available · no free slot in office hours soon; choose a time".to_string()
                } else {
                    let shown: Vec<String> = slots
                        .iter()
                        .map(|t| t.format("%a %-d %b %H:%M").to_string())
                        .collect();
                    format!("available · next free: {}", shown.join(" · "))
                }
            }
        };
        println!("     {detail}");
    }
    if let Some(p) = args.reason.prompt() {
        println!();
        println!("{p}");
    }
    println!();
    println!(
        "Nothing was recorded. Decide with one of: --convert phone, --convert video (add \
         --verbal-consent if consent is missing, --remote-ok once checked), --reschedule \"YYYY-MM-DD HH:MM\", \
         --decline-remote [--waive-fee]."
    );
    Ok(())
}

/// One line about a session's cancellation request, for `session show`.
pub fn print_cancellation_line(c: &crate::domain::cancellation::Cancellation) {
    let mut line = format!(
        "  request   by the {} ({}), {} notice: {}",
        c.by.label(),
        c.reason.label(),
        describe_notice(c.notice_hours),
        c.outcome.label()
    );
    if c.fee_waived {
        line.push_str(", fee waived");
    }
    if let Some(n) = c.new_session_id {
        line.push_str(&format!(" (new session {n})"));
    }
    if c.reverted_at.is_some() {
        line.push_str(", reverted (recorded by mistake)");
    }
    println!("{line}");
}
