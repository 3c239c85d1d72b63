//! What a dialog asked for when it closed with a value: the store write, then the views
//! refreshed and a line saying what was done.

use super::*;
use crate::domain::engagement::ENGAGEMENT_KEY;
use crate::store::StoreError;
use crate::store::session::BookOutcome;
use crate::tui::action::ScreenId;
use crate::tui::dialogs::SettingsForm;
use crate::tui::dialogs::{AlertReview, ClientForm};
use crate::tui::dialogs::{Apply, Outcome, Question};
use crate::tui::dialogs::{BookingForm, ClashDialog};
use crate::tui::dialogs::{RecommendationCard, saved_message};

impl App {
    pub(super) fn on_outcome(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Keep => {}
            Outcome::Close => {
                self.popups.pop();
            }
            Outcome::Push(p) => self.popups.push_boxed(p),
            Outcome::Replace(p) => {
                self.popups.pop();
                self.popups.push_boxed(p);
            }
            Outcome::Apply(apply) => self.apply(apply),
            Outcome::Quit => self.quit = true,
        }
    }

    pub(super) fn apply(&mut self, apply: Apply) {
        let today = self.clock.today();
        let now = self.clock.now_utc();
        match apply {
            Apply::SaveClient { id, input } => {
                let fields = match input.validate(today) {
                    Ok(f) => f,
                    Err(e) => {
                        if let Some(f) = self.popups.top_mut::<ClientForm>() {
                            f.form.show_errors(&e);
                        }
                        return;
                    }
                };
                let saved = match id {
                    None => self.store.add_client(&fields, now),
                    Some(id) => self.store.update_client(id, &fields, now),
                };
                match saved {
                    Ok(c) => {
                        self.popups.pop();
                        self.after_write();
                        self.select_client(c.id);
                        let name = self.names().client(&c.name).into_owned();
                        self.info(match id {
                            None => format!("Added {name}."),
                            Some(_) => format!("Saved {name}."),
                        });
                        if id.is_none() {
                            self.screen = ScreenId::Clients;
                        }
                    }
                    // The form stays open with everything typed: nothing is lost.
                    Err(e) => self.error(format!("Not saved: {e}")),
                }
            }
            Apply::SetStatus { id, status } => {
                self.popups.pop();
                match self.store.set_client_status(id, status, now) {
                    Ok(c) => {
                        self.after_write();
                        self.select_client(c.id);
                        self.info(format!(
                            "{} is now {}.",
                            self.names().client(&c.name),
                            c.status.label().to_lowercase()
                        ));
                    }
                    Err(e) => self.error(format!("Not changed: {e}")),
                }
            }
            Apply::Confirmed(Question::SignNote) => {
                self.popups.pop();
                self.sign_open_note();
            }
            Apply::Confirmed(Question::DiscardAddendum) => {
                self.popups.pop();
                if let Some(ed) = &mut self.note_editor {
                    ed.drop_addendum();
                }
                self.info("The addendum was not added.");
            }
            Apply::PickClient { id, name } => {
                self.popups.pop();
                let day = match self.screen {
                    ScreenId::Agenda => self
                        .agenda
                        .selected()
                        .map(|l| l.session.starts_at.date())
                        .or(self.agenda.week)
                        .unwrap_or(today),
                    _ => self.today.day.unwrap_or(today),
                };
                self.open_booking_form(id, &name, day.max(today));
            }
            Apply::Book { req, force } => match self.store.book(&req, force, now) {
                Ok(BookOutcome::Booked(ids)) => {
                    // The clash warning (if any) and the form.
                    while self.popups.top_is::<ClashDialog>() || self.popups.top_is::<BookingForm>()
                    {
                        self.popups.pop();
                    }
                    self.after_write();
                    let n = ids.len();
                    self.info(format!(
                        "Booked {n} session{} from {}.",
                        if n == 1 { "" } else { "s" },
                        req.starts_at.format("%a %-d %b %H:%M")
                    ));
                }
                Ok(BookOutcome::Clash(clash)) => {
                    self.popups.push(ClashDialog { req, clash: *clash });
                }
                Err(e) => {
                    if self.popups.top_is::<ClashDialog>() {
                        self.popups.pop();
                    }
                    self.error(format!("Not booked: {e}"));
                }
            },
            Apply::JumpTo(day) => {
                self.popups.pop();
                match self.screen {
                    ScreenId::Today => self.show_day(day),
                    _ => self.show_week(day),
                }
            }
            Apply::SavePracticeSettings(settings) => {
                match self.store.set_practice_settings(&settings) {
                    Ok(()) => {
                        self.popups.pop();
                        self.after_write();
                        self.info("Practice settings saved.");
                    }
                    Err(StoreError::Invalid(e)) => {
                        if let Some(f) = self.popups.top_mut::<SettingsForm>() {
                            f.form.show_errors(&e);
                        }
                    }
                    Err(e) => self.error(format!("Not saved: {e}")),
                }
            }
            Apply::RecordCancellation {
                session_id,
                request,
                decision,
            } => self.record_cancellation(session_id, request, decision),
            Apply::Rel(a) => self.apply_rel(*a),
            Apply::ReviewAlert { id, note } => {
                match self.store.review_alert(id, &note, self.clock.now_utc()) {
                    Ok(_) => {
                        self.popups.pop();
                        self.after_write();
                        self.info(
                            "Alert reviewed, with your note; it leaves the needs-attention list.",
                        );
                    }
                    Err(StoreError::Invalid(e)) => {
                        if let Some(a) = self.popups.top_mut::<AlertReview>() {
                            a.form.show_errors(&e);
                        }
                    }
                    Err(e) => self.error(format!("Not saved: {e}")),
                }
            }
            Apply::SaveAssessment {
                client_id,
                instrument,
                answers,
            } => {
                let Some(ins) = self.catalog.get(&instrument).cloned() else {
                    self.error(format!(
                        "The instrument “{instrument}” is no longer on hand."
                    ));
                    return;
                };
                let (today, now) = (self.clock.today(), self.clock.now_utc());
                match self
                    .store
                    .record_assessment(client_id, &ins, &answers, today, now)
                {
                    Ok(a) => {
                        self.popups.pop();
                        let name = self
                            .store
                            .client(client_id)
                            .map(|c| c.name)
                            .unwrap_or_default();
                        self.after_write();
                        self.info(saved_message(&a, &self.names().client(&name)));
                        if ins.key == ENGAGEMENT_KEY {
                            self.popups.push(RecommendationCard::new(&name, &a));
                        }
                    }
                    // The runner stays open on its review page: nothing is lost.
                    Err(e) => self.error(format!("Not saved: {e}")),
                }
            }
            Apply::ChooseModel {
                client_id,
                model,
                reason,
            } => match self.store.choose_model(
                client_id,
                model,
                reason.as_deref(),
                self.clock.now_utc(),
            ) {
                Ok(c) => {
                    self.popups.pop();
                    self.after_write();
                    self.info(format!(
                        "{} model chosen{}.",
                        c.model.label(),
                        if c.reason.is_some() {
                            ", with your reason"
                        } else {
                            ", as recommended"
                        }
                    ));
                }
                Err(e) => self.error(format!("Not saved: {e}")),
            },
            Apply::HoldRecord { client_id, reason } => self.apply_hold(client_id, &reason),
            Apply::ReleaseHold { client_id } => self.apply_release(client_id),
            Apply::Confirmed(Question::DiscardForm) => {
                // The question, then the form beneath it.
                self.popups.pop();
                self.popups.pop();
                self.info("Nothing was saved.");
            }
        }
    }
}
