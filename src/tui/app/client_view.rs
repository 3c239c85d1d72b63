//! The app's side of the client view: opening it, and what its keys ask for. Every write goes
//! through the same app functions as elsewhere (marking, booking, cancelling, notes,
//! assessments), and `App::refresh` reloads the view after each one.

use super::App;
use crate::domain::client::ClientStatus;
use crate::domain::session::SessionStatus;
use crate::tui::action::Action;
use crate::tui::dialogs::ClientForm;
use crate::tui::screens::client::{ClientView, Tab};

impl App {
    /// Opens a client full screen, over the screen shown now (Esc comes back to it).
    pub fn open_client(&mut self, id: i64) {
        match ClientView::load(
            &self.store,
            &self.catalog,
            id,
            self.screen,
            self.clock.now_local(),
            self.config.date_format,
        ) {
            Ok(v) => {
                self.assessments = None;
                self.client_view = Some(v);
            }
            Err(e) => self.error(format!("The client could not be opened: {e}")),
        }
    }

    /// A (non-global) action while the client view is open.
    pub(crate) fn client_view_action(&mut self, action: Action) {
        let Some(v) = &mut self.client_view else {
            return;
        };
        let (id, name, short) = (v.client.id, v.client.name.clone(), v.client.short_name());
        let tab = v.tab;
        match action {
            Action::Back if tab == Tab::Notes && v.notes.searched.is_some() => {
                if let Err(e) = v.notes.clear_search(&self.store) {
                    self.error(e.to_string());
                }
            }
            Action::Back if v.notes.typing => {
                if let Err(e) = v.notes.clear_search(&self.store) {
                    self.error(e.to_string());
                }
            }
            Action::Submit if v.notes.typing => {
                if let Err(e) = v.notes.apply_search(&self.store) {
                    self.error(e.to_string());
                }
            }
            Action::Back => {
                let from = v.from;
                self.client_view = None;
                self.screen = from;
                if from == crate::tui::action::ScreenId::Clients {
                    self.select_client(id);
                }
            }
            Action::BookSession => {
                let day = self.clock.today();
                self.open_booking_form(id, &name, day);
            }
            Action::Assess => self.start_assessment(id, &name),
            Action::RecordPayment => self.open_payment(id, &name),
            Action::TransitionSummary
                if !matches!(
                    v.client.status,
                    ClientStatus::Discharged | ClientStatus::ReferredOut
                ) =>
            {
                let who = self.names().client(&short).into_owned();
                self.error(format!(
                    "{who}'s care has not ended: the transition summary is written when it does (D)."
                ))
            }
            Action::TransitionSummary => match self.summary_view(id) {
                Ok(view) => self.popups.push(view),
                Err(e) => self.error(e.to_string()),
            },
            Action::ReviewAlert => match v.assessments.alerts.first() {
                Some(a) => {
                    let popup = crate::tui::dialogs::AlertReview::new(a.id, &short, &a.message);
                    self.popups.push(popup);
                }
                None => self.error(format!("{short} has no open alert to review.")),
            },
            Action::EditClient => {
                let form = ClientForm::edit(&v.client);
                self.popups.push(form);
            }
            Action::CancelSession => {
                let session = match tab {
                    Tab::Sessions => v.selected_session().map(|s| s.id),
                    _ => v.next_session.as_ref().map(|s| s.id),
                };
                match session {
                    Some(sid) => self.open_cancel(sid, Some(short)),
                    None if tab == Tab::Sessions => {
                        self.error("There is no session selected to cancel.")
                    }
                    None => self.error("There is no session to come to cancel."),
                }
            }
            Action::MarkAttended
            | Action::MarkLate
            | Action::MarkNoShow
            | Action::MarkScheduled => {
                let to = match action {
                    Action::MarkAttended => SessionStatus::Attended,
                    Action::MarkLate => SessionStatus::Late,
                    Action::MarkNoShow => SessionStatus::NoShow,
                    _ => SessionStatus::Scheduled,
                };
                let Some(s) = v.selected_session() else {
                    self.error("There is no session selected to mark.");
                    return;
                };
                let (sid, when) = (s.id, s.starts_at.format("%a %-d %b %H:%M").to_string());
                if self.mark_session(sid, to, &short, &when)
                    && let Some(v) = &mut self.client_view
                {
                    v.select_session(sid);
                }
            }
            Action::Open if tab == Tab::Sessions => match v.selected_session().map(|s| s.id) {
                Some(sid) => self.open_note_for_session(sid),
                None => self.error("There is no session selected."),
            },
            Action::Open if tab == Tab::Notes => match v.notes.selected_note_id() {
                Some(nid) => self.open_note(nid),
                None => self.error("There is no note selected."),
            },
            other => {
                v.handle(other);
            }
        }
    }
}
