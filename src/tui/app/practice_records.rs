//! The records view on the Practice screen (issue 18): opening it (which counts as looking at
//! the clients due for disposal this month), and the legal hold put on or released from it.

use super::*;
use crate::store::StoreError;
use crate::tui::screens::practice_records::{HoldForm, RecordsView, ReleaseConfirm};

impl App {
    /// Opens the records view. Looking at it rests the monthly needs-attention reminder, as
    /// `caseload retention list --due` does.
    pub(super) fn open_records(&mut self) {
        let today = self.clock.today();
        match RecordsView::load(&self.store, today) {
            Ok(v) => {
                let due = v.due_count();
                self.popups.push(v);
                if due > 0 {
                    match self.store.mark_retention_reviewed(today) {
                        Ok(()) => self.after_write(),
                        Err(e) => self.error(e.to_string()),
                    }
                }
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    fn reload_records(&mut self) {
        let mut failed = None;
        for v in self.popups.each_mut::<RecordsView>() {
            if let Err(e) = v.reload(&self.store) {
                failed = Some(e.to_string());
            }
        }
        if let Some(e) = failed {
            self.error(e);
        }
    }

    pub(super) fn apply_hold(&mut self, client_id: i64, reason: &str) {
        let now = self.clock.now_utc();
        match self.store.hold_record(client_id, reason, now) {
            Ok(()) => {
                self.popups.pop();
                self.after_write();
                self.reload_records();
                let name = self
                    .store
                    .client(client_id)
                    .map(|c| c.name)
                    .unwrap_or_default();
                self.info(format!(
                    "{}'s record is on legal hold: it is not disposed of whatever its date.",
                    self.names().client(&name)
                ));
            }
            // The form stays open with the reason typed: nothing is lost.
            Err(StoreError::Invalid(e)) => {
                if let Some(f) = self.popups.top_mut::<HoldForm>() {
                    f.form.show_errors(&e);
                }
            }
            Err(e) => self.error(format!("Not changed: {e}")),
        }
    }

    pub(super) fn apply_release(&mut self, client_id: i64) {
        let now = self.clock.now_utc();
        if self.popups.top_is::<ReleaseConfirm>() {
            self.popups.pop();
        }
        match self.store.release_hold(client_id, now) {
            Ok(()) => {
                self.after_write();
                self.reload_records();
                let name = self
                    .store
                    .client(client_id)
                    .map(|c| c.name)
                    .unwrap_or_default();
                self.info(format!(
                    "{}'s legal hold is released.",
                    self.names().client(&name)
                ));
            }
            Err(e) => self.error(format!("Not changed: {e}")),
        }
    }
}
