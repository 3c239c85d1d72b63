//! Key to effect: an action from the keymap, routed to the screen or the dialog it is for.

use super::*;
use crate::domain::attention::AttentionTarget;
use crate::domain::goal::{GoalStatus, rate_after};
use crate::domain::session::SessionStatus;
use crate::store::client::StatusFilter;
use crate::store::session::BY_PRACTITIONER;
use crate::tui::action::{Action, ScreenId};
use crate::tui::dialogs::InstrumentPicker;
use crate::tui::dialogs::SettingsForm;
use crate::tui::dialogs::{BookingForm, ClientPicker, Help, JumpTo, SessionDetail};
use crate::tui::dialogs::{ClientForm, StatusPicker};
use crate::tui::screens::assessments::AssessmentsView;
use crate::tui::screens::today::Pane;
use chrono::NaiveDate;

impl App {
    pub(super) fn dispatch(&mut self, action: Action) {
        if action.writes() && self.store.read_only() {
            return self.error(READ_ONLY_KEY);
        }
        if self.client_view.is_some() && !action.is_global() {
            // The relationship keys act on the client shown.
            if !self.rel_dispatch(action) {
                self.client_view_action(action);
            }
            return;
        }
        if self.rel_dispatch(action) {
            return;
        }
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.popups.push(Help::new(self.context())),
            Action::Go(s) => self.go(s),
            Action::NextScreen => self.go(self.screen.next()),
            Action::PrevScreen => self.go(self.screen.prev()),
            Action::AddClient => self.popups.push(ClientForm::add()),
            Action::EditClient => match self.clients.selected_client() {
                Some(c) => self.popups.push(ClientForm::edit(c)),
                None => self.error("There is no client selected. Press a to add one."),
            },
            Action::ChangeStatus => match self.clients.selected_client() {
                Some(c) => self.popups.push(StatusPicker::new(c)),
                None => self.error("There is no client selected."),
            },
            Action::Assess => {
                let who = match &self.assessments {
                    Some(v) => Some((v.client_id, v.name.clone())),
                    None => self
                        .clients
                        .selected_client()
                        .map(|c| (c.id, c.name.clone())),
                };
                match who {
                    Some((id, name)) => self.start_assessment(id, &name),
                    None => self.error("There is no client selected. Press a to add one."),
                }
            }
            Action::ViewAssessments => match self.clients.selected_client().map(|c| c.id) {
                Some(id) => {
                    match AssessmentsView::load(&self.store, &self.catalog, id, self.clock.today())
                    {
                        Ok(v) => self.assessments = Some(v),
                        Err(e) => self.error(e.to_string()),
                    }
                }
                None => self.error("There is no client selected."),
            },
            Action::Back if self.assessments.is_some() && self.screen == ScreenId::Clients => {
                self.assessments = None;
            }
            Action::Open if self.screen == ScreenId::Clients && self.assessments.is_none() => {
                match self.clients.selected_client().map(|c| c.id) {
                    Some(id) => self.open_client(id),
                    None => self.error("There is no client selected. Press a to add one."),
                }
            }
            Action::MarkAttended if self.screen == ScreenId::Today => {
                self.mark_selected(SessionStatus::Attended)
            }
            Action::MarkLate if self.screen == ScreenId::Today => {
                self.mark_selected(SessionStatus::Late)
            }
            Action::MarkNoShow if self.screen == ScreenId::Today => {
                self.mark_selected(SessionStatus::NoShow)
            }
            Action::MarkScheduled if self.screen == ScreenId::Today => {
                self.mark_selected(SessionStatus::Scheduled)
            }
            Action::Open if self.screen == ScreenId::Today => self.open_from_today(),
            Action::Open if self.screen == ScreenId::Agenda => {
                if let Some(l) = self.agenda.selected() {
                    let session = l.session.clone();
                    self.popups.push(SessionDetail { session });
                }
            }
            Action::BookSession => self.start_booking(),
            Action::JumpTo => self.popups.push(JumpTo::new(self.clock.today())),
            Action::Records if self.screen == ScreenId::Practice => self.open_records(),
            Action::EditSettings if self.screen == ScreenId::Practice => {
                let form = SettingsForm::new(&self.practice_settings.settings);
                self.popups.push(form);
            }
            Action::CancelSession if self.screen == ScreenId::Today => {
                match self.today.selected() {
                    Some(l) => {
                        let (id, name) = (l.session.id, l.client.clone());
                        self.open_cancel(id, Some(name));
                    }
                    None => self.error("There is no session on this day to cancel."),
                }
            }
            Action::CancelSession if self.screen == ScreenId::Agenda => {
                match self.agenda.selected() {
                    Some(l) => {
                        let (id, name) = (l.session.id, l.client.clone());
                        self.open_cancel(id, Some(name));
                    }
                    None => self.error("There is no session selected to cancel."),
                }
            }
            Action::Open if self.screen == ScreenId::Reports => {
                if let Some(id) = self.reports.selected_client() {
                    self.select_client(id);
                    self.open_client(id);
                }
            }
            Action::OpenNote if self.screen == ScreenId::Today => self.open_note_from_today(),
            Action::RecordPayment if self.screen == ScreenId::Today => self.payment_from_today(),
            Action::IncomeView if self.screen == ScreenId::Reports => self.toggle_income(),
            Action::Services if self.screen == ScreenId::Practice => self.open_services(),
            other => match self.screen {
                ScreenId::Clients => match &mut self.assessments {
                    Some(v) => {
                        v.handle(other);
                    }
                    None => {
                        self.clients.handle(other);
                    }
                },
                ScreenId::Today => {
                    if let Some(day) = self.today.handle(other, self.clock.today()) {
                        self.show_day(day);
                    }
                }
                ScreenId::Agenda => {
                    if let Some(day) = self.agenda.handle(other) {
                        self.show_week(day);
                    }
                }
                ScreenId::Reports if self.income.is_some() => {
                    self.income_action(other);
                }
                ScreenId::Reports if self.reports.handle(other, self.clock.now_local()) => {
                    self.refresh_reports();
                }
                _ => {}
            },
        }
    }

    /// Shows a day on Today.
    pub fn show_day(&mut self, day: NaiveDate) {
        self.today.set_day(day);
        if let Err(e) = self.today.refresh(&self.store, self.clock.now_local()) {
            self.error(e.to_string());
        }
    }

    /// Opens the client picker for a booking.
    pub fn start_booking(&mut self) {
        match self.store.clients(StatusFilter::All) {
            Ok(clients) => self.popups.push(ClientPicker::new(&clients)),
            Err(e) => self.error(e.to_string()),
        }
    }

    /// The booking form for a client, starting on `day`.
    /// A discharged or referred-out client is refused at once, before the form.
    pub(crate) fn open_booking_form(&mut self, id: i64, name: &str, day: NaiveDate) {
        let status = match self.store.client(id) {
            Ok(c) => c.status,
            Err(e) => {
                self.error(e.to_string());
                return;
            }
        };
        if let Some(why) = closed_for_booking(status) {
            let who = self.names().client(name).into_owned();
            self.error(format!(
                "{who} {why}: reopen the client first (on Clients: s, then 1 Active) to book a session."
            ));
            return;
        }
        self.popups
            .push(BookingForm::new(id, name, day, self.clock.now_local()));
    }

    /// The instrument picker for a client (engagement first: `A` then Enter starts it).
    pub(crate) fn start_assessment(&mut self, id: i64, name: &str) {
        self.popups
            .push(InstrumentPicker::new(id, name, &self.catalog));
    }

    /// Shows the week holding `day` on the agenda.
    pub fn show_week(&mut self, day: NaiveDate) {
        self.agenda.show(day, self.config.week_start);
        match self
            .agenda
            .refresh(&self.store, self.clock.now_local(), self.config.week_start)
        {
            Ok(()) => self.agenda_stale = false,
            Err(e) => self.error(e.to_string()),
        }
    }

    /// Records an outcome for the session selected on Today.
    pub(super) fn mark_selected(&mut self, to: SessionStatus) {
        let Some(l) = self.today.selected() else {
            self.error("There is no session on this day to mark.");
            return;
        };
        let (id, who, at) = (l.session.id, l.client.clone(), l.session.starts_at);
        if self.mark_session(id, to, &who, &at.format("%H:%M").to_string()) {
            self.today.select_session(id);
        }
    }

    /// Records an outcome for a session (Today, a client's sessions): one write, then every
    /// view refreshed and a line saying what was done; after an attended session, the rating
    /// of the client's active goals. Returns whether it was recorded.
    pub(crate) fn mark_session(
        &mut self,
        id: i64,
        to: SessionStatus,
        who: &str,
        when: &str,
    ) -> bool {
        // Undoing a cancellation reverts it: the message says so.
        let was_cancelled = self.store.session(id).is_ok_and(|s| {
            matches!(
                s.status,
                SessionStatus::Cancelled | SessionStatus::LateCancelled
            )
        });
        match self.store.mark_session(
            id,
            to,
            BY_PRACTITIONER,
            self.clock.now_local(),
            self.clock.now_utc(),
        ) {
            Ok(s) => {
                self.after_write();
                let what = match s.status {
                    SessionStatus::Scheduled if was_cancelled => {
                        "cancellation reverted, scheduled again".to_string()
                    }
                    SessionStatus::Scheduled => "back to scheduled".to_string(),
                    other => other.label().to_lowercase(),
                };
                let who = self.names().client(who).into_owned();
                self.info(format!("{who} · {when} · {what}."));
                // After a session, progress on the client's active goals is one screen away.
                let active = self.store.goals(s.client_id).map_or(0, |g| {
                    g.iter().filter(|g| g.status == GoalStatus::Active).count()
                });
                if rate_after(s.status, active) {
                    self.open_rating(s.client_id, Some(id));
                }
                true
            }
            Err(e) => {
                self.error(format!("Not marked: {e}"));
                false
            }
        }
    }

    /// Enter on Today: where a needs-attention item points.
    pub(super) fn open_from_today(&mut self) {
        if self.today.pane == Pane::Sessions {
            if let Some(l) = self.today.selected() {
                let session = l.session.clone();
                self.popups.push(SessionDetail { session });
            }
            return;
        }
        let Some(item) = self.today.selected_attention() else {
            return;
        };
        // Records due for disposal open the records view on the Practice screen.
        let records = matches!(
            item,
            crate::domain::attention::AttentionItem::RetentionDue { .. }
        );
        match item.target() {
            AttentionTarget::Session { id, day } => {
                self.show_day(day);
                self.today.select_session(id);
                self.today.pane = Pane::Sessions;
            }
            AttentionTarget::SessionNote { id, day } => {
                self.show_day(day);
                self.today.select_session(id);
                self.today.pane = Pane::Sessions;
                self.open_note_for_session(id);
            }
            AttentionTarget::Client { id } => {
                self.select_client(id);
                self.open_client(id);
            }
            AttentionTarget::Practice => {
                self.go(ScreenId::Practice);
                if records {
                    self.open_records();
                }
            }
        }
    }

    pub(super) fn go(&mut self, screen: ScreenId) {
        self.screen = screen;
        self.assessments = None;
        self.client_view = None;
        // Another instance may have written: screens show the file as it is now.
        if let Err(e) = self.refresh() {
            self.error(e.to_string());
        }
    }
}

/// Why a client can't be booked ("has been discharged"), or None when they can.
fn closed_for_booking(status: crate::domain::client::ClientStatus) -> Option<&'static str> {
    use crate::domain::client::ClientStatus;
    match status {
        ClientStatus::Active | ClientStatus::OnHold => None,
        ClientStatus::Discharged => Some("has been discharged"),
        ClientStatus::ReferredOut => Some("has been referred out"),
    }
}
