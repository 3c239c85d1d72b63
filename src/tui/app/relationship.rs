//! The app's side of the working relationship: opening the dialogs for the selected client and
//! carrying out what they ask (every write one transaction in the store).

use super::App;
use crate::domain::boundary::check_incident;
use crate::domain::client::ContactMethod;
use crate::domain::document::DocFormat;
use crate::domain::goal::{GoalStatus, check_goal};
use crate::store::StoreError;
use crate::tui::action::{Action, ScreenId};
use crate::tui::dialogs::{Apply, Outcome, RelApply};
use crate::tui::dialogs::{
    ConfirmRemoveQa, DischargeConfirm, DischargeReasonPicker, DocumentView, FormDialog,
    RatingDialog, ReviewDialog,
};
use crate::tui::names::Names;
use crate::tui::screens::goals::GoalsView;
use crate::tui::screens::practice_profile::consult_form;

impl App {
    /// The client the relationship keys act on: the client view's client when it is open, the
    /// selected client, or on Today the client of the selected session.
    fn rel_client(&self) -> Option<(i64, String)> {
        if let Some(v) = &self.client_view {
            return Some((v.client.id, v.client.short_name()));
        }
        match self.screen {
            ScreenId::Today => self
                .today
                .selected()
                .map(|l| (l.session.client_id, l.client.clone())),
            _ => self
                .clients
                .selected_client()
                .map(|c| (c.id, c.short_name())),
        }
    }

    /// Loads the working relationship at a glance for the selected client, when the selection
    /// changed or `force` (after a write). Cheap: a handful of reads for one client.
    pub(crate) fn sync_relationship(&mut self, force: bool) {
        let Some(id) = self.clients.selected_client().map(|c| c.id) else {
            return;
        };
        if !force && self.clients.relationship_for() == Some(id) {
            return;
        }
        match self.store.relationship_overview(id, self.clock.now_local()) {
            Ok(o) => self.clients.set_relationship(id, o.rows()),
            Err(e) => self.error(e.to_string()),
        }
    }

    /// After a review chose to reconsider the engagement model: the needs assessment opens for
    /// the client, and its recommendation card (accept or choose another) follows.
    fn reconsider_model(&mut self, client_id: i64) {
        let Some(ins) = self.catalog.engagement().cloned() else {
            self.error("The engagement needs assessment is not on hand, so it can't be given now.");
            return;
        };
        let name = self
            .store
            .client(client_id)
            .map(|c| c.name)
            .unwrap_or_default();
        self.info(format!(
            "Recorded. Go through the needs assessment with {}: its recommendation follows, to accept or change.",
            self.names().client(&name)
        ));
        self.popups
            .push(crate::tui::dialogs::Runner::new(client_id, &name, ins));
    }

    /// Handles the relationship keys (H, o, b, R, D). Returns false for any other action.
    pub(crate) fn rel_dispatch(&mut self, action: Action) -> bool {
        if self.screen == ScreenId::Practice {
            return match self.profile_view.handle(action) {
                Some(Outcome::Apply(Apply::Rel(a))) => {
                    self.apply_rel(*a);
                    true
                }
                Some(o) => {
                    self.on_outcome(o);
                    true
                }
                None => false,
            };
        }
        if !matches!(
            action,
            Action::Handout
                | Action::Goals
                | Action::AddBoundary
                | Action::Review
                | Action::Discharge
        ) {
            return false;
        }
        let Some((id, name)) = self.rel_client() else {
            self.error("There is no client selected.");
            return true;
        };
        match action {
            Action::Handout => self.open_handout(id),
            Action::Goals => match GoalsView::load(&self.store, id) {
                Ok(v) => self.popups.push(v),
                Err(e) => self.error(e.to_string()),
            },
            Action::AddBoundary => self.popups.push(FormDialog::boundary(id, &name)),
            Action::Review => self.open_review(id, &name),
            Action::Discharge => match self.store.client(id) {
                Ok(c)
                    if matches!(
                        c.status,
                        crate::domain::client::ClientStatus::Discharged
                            | crate::domain::client::ClientStatus::ReferredOut
                    ) =>
                {
                    self.error(format!(
                        "{} is already {}; press s to reopen them first.",
                        c.name,
                        c.status.label().to_lowercase()
                    ))
                }
                Ok(_) => self.popups.push(DischargeReasonPicker {
                    client_id: id,
                    name,
                }),
                Err(e) => self.error(e.to_string()),
            },
            _ => {}
        }
        true
    }

    fn open_handout(&mut self, id: i64) {
        let now = self.clock.now_local();
        let made = self.store.handout_content(id, now).and_then(|content| {
            let state = self.store.handout_state(id, now)?;
            Ok((content, state))
        });
        match made {
            Ok((content, state)) => {
                let doc = content.document(now.date());
                // The preview in privacy mode is made from the same content with initials.
                let private = crate::domain::handout::HandoutContent {
                    client_name: Names::new(true).client(&content.client_name).into_owned(),
                    ..content.clone()
                };
                let view = DocumentView {
                    title: "Handout".into(),
                    who: content.client_name.clone(),
                    lines: text_lines(&doc),
                    private_lines: text_lines(&private.document(now.date())),
                    scroll: 0,
                    handout_for: Some(id),
                    status: format!("Handout {} · version {}", state.words(), content.version()),
                    file_name: format!("handout-{id}-{}.html", now.date()),
                    html: doc.render(DocFormat::Html),
                };
                self.popups.push(view);
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    pub(super) fn summary_view(&self, id: i64) -> Result<DocumentView, StoreError> {
        let today = self.clock.today();
        let s = self.store.transition_summary(id, false)?;
        let doc = s.document(today);
        let private = crate::domain::discharge::TransitionSummary {
            client_name: Names::new(true).client(&s.client_name).into_owned(),
            ..s.clone()
        };
        Ok(DocumentView {
            title: "Transition summary".into(),
            who: s.client_name.clone(),
            lines: text_lines(&doc),
            private_lines: text_lines(&private.document(today)),
            scroll: 0,
            handout_for: None,
            status: "No session notes or closing note are included.".into(),
            file_name: format!("summary-{id}-{today}.html"),
            html: doc.render(DocFormat::Html),
        })
    }

    fn open_review(&mut self, id: i64, name: &str) {
        let now = self.clock.now_local();
        let found = self.store.signals(id, now).and_then(|s| {
            let last = self
                .store
                .reviews(id)?
                .first()
                .map(|r| (r.reviewed_on, r.choice));
            Ok((s, last))
        });
        match found {
            Ok((signals, last)) => self.popups.push(ReviewDialog::new(id, name, signals, last)),
            Err(e) => self.error(e.to_string()),
        }
    }

    /// Opens the rating screen for a client's active goals (after a session, or from Goals).
    /// Returns false when there is nothing to rate.
    pub(crate) fn open_rating(&mut self, id: i64, session_id: Option<i64>) -> bool {
        let (goals, name) = match (self.store.goals(id), self.store.client(id)) {
            (Ok(g), Ok(c)) => (g, c.short_name()),
            (Err(e), _) | (_, Err(e)) => {
                self.error(e.to_string());
                return false;
            }
        };
        let active: Vec<(i64, String, Option<u8>)> = goals
            .into_iter()
            .filter(|g| g.status == GoalStatus::Active)
            .map(|g| (g.id, g.text.clone(), g.last_rating().map(|r| r.rating)))
            .collect();
        if active.is_empty() {
            return false;
        }
        self.popups
            .push(RatingDialog::new(id, &name, session_id, active));
        true
    }

    fn reload_goal_views(&mut self) {
        let mut err = None;
        for v in self.popups.each_mut::<GoalsView>() {
            if let Err(e) = v.reload(&self.store) {
                err = Some(e);
            }
        }
        if let Some(e) = err {
            self.error(e.to_string());
        }
        if let Err(e) = self.refresh() {
            self.error(e.to_string());
        }
    }

    fn form_errors(&mut self, e: &crate::domain::ValidationError) {
        if let Some(d) = self.popups.last_mut() {
            d.show_errors(e);
        }
    }

    /// Carries out what a relationship dialog asked for.
    pub(crate) fn apply_rel(&mut self, a: RelApply) {
        let today = self.clock.today();
        let now = self.clock.now_utc();
        let now_local = self.clock.now_local();
        match a {
            RelApply::MarkHandoutGiven { client_id } => {
                match self
                    .store
                    .mark_handout_given(client_id, today, now_local, now)
                {
                    Ok(v) => {
                        self.popups.pop();
                        self.info(format!("Handout version {v} recorded as given today."));
                        let _ = self.refresh();
                    }
                    Err(e) => self.error(format!("Not recorded: {e}")),
                }
            }
            RelApply::WritePage { file_name, html } => {
                let dir = self
                    .store
                    .path()
                    .and_then(|p| p.parent())
                    .map(|d| d.to_path_buf());
                match dir {
                    Some(d) => {
                        match crate::outfile::write_new_in(&d, &file_name, html.as_bytes()) {
                            Ok(path) => self.info(format!("Wrote {}.", path.display())),
                            Err(e) => self.error(format!("Not written: {e}")),
                        }
                    }
                    None => self.error(
                        "This practice lives only in memory, so there is no folder to write to.",
                    ),
                }
            }
            RelApply::OpenGoalForm { client_id } => {
                let name = self
                    .store
                    .client(client_id)
                    .map(|c| c.short_name())
                    .unwrap_or_default();
                self.popups.push(FormDialog::goal(client_id, &name));
            }
            RelApply::OpenRating { client_id } => {
                if !self.open_rating(client_id, None) {
                    self.error("There are no active goals to rate.");
                }
            }
            RelApply::AddGoal {
                client_id,
                text,
                set_on,
                target_on,
            } => match check_goal(&text, &set_on, &target_on, today) {
                Err(e) => self.form_errors(&e),
                Ok(f) => match self.store.add_goal(client_id, &f, now) {
                    Ok(g) => {
                        self.popups.pop();
                        self.reload_goal_views();
                        self.info(format!("Added the goal “{}”.", g.text));
                    }
                    Err(e) => self.error(format!("Not saved: {e}")),
                },
            },
            RelApply::RateGoals {
                client_id: _,
                ratings,
                session_id,
            } => match self.store.rate_goals(&ratings, session_id, today, now) {
                Ok(()) => {
                    self.popups.pop();
                    self.reload_goal_views();
                    self.info(format!(
                        "Saved {}.",
                        crate::domain::words::count(ratings.len(), "rating", "ratings")
                    ));
                }
                Err(e) => self.error(format!("Not saved: {e}")),
            },
            RelApply::GoalStatus { goal_id, status } => {
                match self.store.set_goal_status(goal_id, status, now) {
                    Ok(g) => {
                        self.reload_goal_views();
                        self.info(format!(
                            "“{}” is now {}.",
                            g.text,
                            g.status.label().to_lowercase()
                        ));
                    }
                    Err(e) => self.error(format!("Not changed: {e}")),
                }
            }
            RelApply::AddBoundary {
                client_id,
                kind,
                at,
                note,
            } => match check_incident(&at, &note, today) {
                Err(e) => self.form_errors(&e),
                Ok((on, note)) => {
                    match self
                        .store
                        .add_boundary(client_id, kind, on, note.as_deref(), now)
                    {
                        Ok(_) => {
                            self.popups.pop();
                            let _ = self.refresh();
                            self.info(format!("Logged: {}.", kind.label().to_lowercase()));
                        }
                        Err(e) => self.error(format!("Not saved: {e}")),
                    }
                }
            },
            RelApply::CheckDischarge { client_id, input } => match input.validate() {
                Err(e) => self.form_errors(&e),
                Ok(fields) => match (
                    self.store.future_sessions(client_id, now_local),
                    self.store.client(client_id),
                ) {
                    (Ok(sessions), Ok(c)) => self.popups.push(DischargeConfirm {
                        client_id,
                        name: c.short_name(),
                        fields,
                        sessions,
                        scroll: Default::default(),
                    }),
                    (Err(e), _) | (_, Err(e)) => self.error(e.to_string()),
                },
            },
            RelApply::Discharge { client_id, fields } => {
                match self.store.discharge(
                    client_id,
                    &fields,
                    now_local,
                    now,
                    crate::store::cancellation::Source::App,
                ) {
                    Ok(out) => {
                        // The confirmation, the details and the reason picker.
                        for _ in 0..3 {
                            self.popups.pop();
                        }
                        let _ = self.refresh();
                        self.select_client(client_id);
                        let n = out.cancelled_sessions.len();
                        self.info(format!(
                            "Care ended ({}); {} cancelled. w writes the summary.",
                            out.discharge.status.label().to_lowercase(),
                            crate::domain::words::count(n, "future session", "future sessions")
                        ));
                        match self.summary_view(client_id) {
                            Ok(v) => self.popups.push(v),
                            Err(e) => self.error(e.to_string()),
                        }
                    }
                    Err(e) => self.error(format!("Nothing changed: {e}")),
                }
            }
            RelApply::SaveProfile { profile, channels } => {
                let mut p = *profile;
                let parsed: Result<Vec<ContactMethod>, String> = channels
                    .split(',')
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| s.trim().parse::<ContactMethod>().map_err(|e| e.to_string()))
                    .collect();
                match parsed {
                    Err(why) => {
                        self.form_errors(&crate::domain::ValidationError::one("channels", why))
                    }
                    Ok(c) => {
                        p.contact_channels = c;
                        match self.store.set_practice_profile(&p) {
                            Ok(_) => {
                                self.popups.pop();
                                let _ = self.refresh();
                                self.info("Practice profile saved.");
                            }
                            Err(StoreError::Invalid(e)) => self.form_errors(&e),
                            Err(e) => self.error(format!("Not saved: {e}")),
                        }
                    }
                }
            }
            RelApply::SaveQa {
                id,
                question,
                answer,
            } => {
                let saved = match id {
                    Some(id) => self.store.edit_qa(id, Some(&question), Some(&answer)),
                    None => self.store.add_qa(&question, &answer),
                };
                match saved {
                    Ok(q) => {
                        self.popups.pop();
                        let _ = self.refresh();
                        if let Some(i) = self.profile_view.qa.iter().position(|x| x.id == q.id) {
                            self.profile_view.selected = i;
                        }
                        self.info("Saved. Handouts given before this change are now out of date.");
                    }
                    Err(StoreError::Invalid(e)) => self.form_errors(&e),
                    Err(e) => self.error(format!("Not saved: {e}")),
                }
            }
            RelApply::MoveQa { id, to } => match self.store.move_qa(id, to) {
                Ok(_) => {
                    let _ = self.refresh();
                    if let Some(i) = self.profile_view.qa.iter().position(|x| x.id == id) {
                        self.profile_view.selected = i;
                    }
                }
                Err(e) => self.error(format!("Not moved: {e}")),
            },
            RelApply::AskRemoveQa { id, question } => {
                self.popups.push(ConfirmRemoveQa { id, question });
            }
            RelApply::RemoveQa { id } => {
                self.popups.pop();
                match self.store.remove_qa(id) {
                    Ok(()) => {
                        let _ = self.refresh();
                        self.info("Removed the question.");
                    }
                    Err(e) => self.error(format!("Not removed: {e}")),
                }
            }
            RelApply::AddConsult { input } => match input.validate(today) {
                Err(e) => self.form_errors(&e),
                Ok(f) => match self.store.add_consult(&f, now) {
                    Ok(k) => {
                        self.popups.pop();
                        let _ = self.refresh();
                        self.info(format!("Logged the consultation with {}.", k.colleague));
                    }
                    Err(e) => self.error(format!("Not saved: {e}")),
                },
            },
            RelApply::Review {
                client_id,
                choice,
                note,
            } => {
                match self
                    .store
                    .record_review(client_id, choice, Some(&note), now_local, now)
                {
                    Ok(_) => {
                        self.popups.pop();
                        self.after_write();
                        self.info(format!("Recorded: {}.", choice.label().to_lowercase()));
                        if choice == crate::domain::signals::ReviewChoice::ReconsiderEngagementModel
                        {
                            self.reconsider_model(client_id);
                        }
                        if choice == crate::domain::signals::ReviewChoice::LogConsultation {
                            let initials = self
                                .store
                                .client(client_id)
                                .map(|c| c.initials())
                                .unwrap_or_default();
                            self.popups.push(consult_form(Some(client_id), &initials));
                        }
                        if choice == crate::domain::signals::ReviewChoice::StartDischarge {
                            let name = self
                                .store
                                .client(client_id)
                                .map(|c| c.short_name())
                                .unwrap_or_default();
                            self.popups.push(DischargeReasonPicker { client_id, name });
                        }
                    }
                    Err(e) => self.error(format!("Not recorded: {e}")),
                }
            }
        }
    }
}

/// A document's plain-text lines, for a preview on screen.
fn text_lines(doc: &crate::domain::document::Document) -> Vec<String> {
    doc.render(DocFormat::Txt)
        .lines()
        .map(str::to_string)
        .collect()
}
