//! The cancellation dialog: opening it on a session, and recording what was decided.

use super::*;
use crate::domain::cancellation::cancellable;
use crate::domain::cancellation::{CancelOutcome, CancelledBy, Decision, Request};
use crate::store::cancellation::Source;
use crate::tui::dialogs::{CancelDialog, SLOTS_PER_DAY, SLOTS_SHOWN};

impl App {
    /// Opens the cancellation dialog for a session (from Today, the agenda or a client).
    pub fn open_cancel(&mut self, session_id: i64, name: Option<String>) {
        let now = self.clock.now_local();
        let opened = self.store.cancel_context(session_id).and_then(|cx| {
            let slots = self
                .store
                .free_slots_for(session_id, now, SLOTS_SHOWN, SLOTS_PER_DAY)?;
            Ok((cx, slots))
        });
        match opened {
            Ok((cx, _))
                if let Err(why) = cancellable(cx.session.status, cx.session.ends_at(), now) =>
            {
                self.error(format!("This session {}.", why.words()));
            }
            Ok((cx, slots)) => {
                let mut d = CancelDialog::new(cx, now, slots);
                if let Some(n) = name {
                    d = d.with_name(n);
                }
                self.popups.push(d);
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    /// Records a cancellation decided in the dialog.
    pub(super) fn record_cancellation(
        &mut self,
        session_id: i64,
        request: Request,
        decision: Decision,
    ) {
        let who = self.popups.top::<CancelDialog>().map(|d| d.name.clone());
        let recorded = self.store.cancel_session(
            session_id,
            &request,
            decision,
            self.clock.now_local(),
            self.clock.now_utc(),
            Source::App,
        );
        match recorded {
            Ok(c) => {
                self.popups.pop();
                self.after_write();
                self.today.select_session(session_id);
                let who = match who {
                    Some(w) => self.names().client(&w).into_owned(),
                    None => "The session".to_string(),
                };
                let new_time = c
                    .new_session_id
                    .and_then(|id| self.store.session(id).ok())
                    .map(|s| s.starts_at.format("%a %-d %b %H:%M").to_string());
                let mut text = match c.outcome {
                    CancelOutcome::ConvertedPhone => {
                        format!("Saved: {who} keeps the session, by phone.")
                    }
                    CancelOutcome::ConvertedVideo => {
                        format!("Saved: {who} keeps the session, by video.")
                    }
                    CancelOutcome::Rescheduled => format!(
                        "Saved: {who} is rescheduled to {}.",
                        new_time.unwrap_or_else(|| "a new time".into())
                    ),
                    CancelOutcome::Cancelled => format!("Cancelled: {who}."),
                    CancelOutcome::LateCancelled if c.fee_waived => {
                        format!("Late cancellation recorded for {who}; the fee is waived.")
                    }
                    CancelOutcome::LateCancelled => {
                        format!("Late cancellation recorded for {who}; the fee applies.")
                    }
                };
                if let Some(p) = request
                    .reason
                    .prompt()
                    .filter(|_| request.by == CancelledBy::Client)
                {
                    text.push(' ');
                    text.push_str(p);
                }
                self.info(text);
            }
            // The dialog stays open: nothing was recorded, nothing is lost.
            Err(e) => self.error(format!("Not recorded: {e}")),
        }
    }
}
