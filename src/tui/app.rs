//! App state, the event loop and the routing of actions.
//!
//! crossterm event → keymap → [`Action`] → screen or dialog → (store write in a transaction) →
//! view models refreshed → draw. Drawing never queries the database.

use ratatui::crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use ratatui::{DefaultTerminal, Frame};

use super::action::{Action, ScreenId};
use super::booking::{BookingForm, ClashDialog, ClientPicker, JumpTo, SessionDetail};
use super::keymap::{self, Context};
use super::popups::{Apply, ClientForm, Outcome, Popup, Question, StatusPicker};
use super::privacy::{LockKey, Locked, MaskName, NameMask, Unlock};
use super::questionnaire::{InstrumentPicker, RecommendationCard, saved_message};
use super::screens::agenda::AgendaScreen;
use super::screens::assessments::{AssessmentsView, render_instruments};
use super::screens::cancel_dialog::{CancelDialog, SLOTS_PER_DAY, SLOTS_SHOWN};
use super::screens::practice_settings::{SettingsForm, SettingsView};
use super::screens::reports::ReportsScreen;
use super::screens::today::Pane;
use super::screens::{clients::ClientsScreen, today::TodayScreen};
use super::theme::Theme;
use super::widgets::popup::{centered, frame};
use crate::clock::Clock;
use crate::config::Config;
use crate::domain::attention::AttentionTarget;
use crate::domain::cancellation::{CancelOutcome, CancelledBy, Decision, Request};
use crate::domain::engagement::ENGAGEMENT_KEY;
use crate::domain::session::SessionStatus;
use crate::instruments::Catalog;
use crate::store::cancellation::Source;
use crate::store::client::StatusFilter;
use crate::store::session::BY_PRACTITIONER;
use crate::store::session::BookOutcome;
use crate::store::{Store, StoreError};
use chrono::NaiveDate;

/// The smallest terminal the layout is drawn in.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageKind {
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub kind: MessageKind,
}

pub struct App {
    pub store: Store,
    pub config: Config,
    pub theme: Theme,
    pub clock: Clock,
    pub screen: ScreenId,
    pub today: TodayScreen,
    pub clients: ClientsScreen,
    pub agenda: AgendaScreen,
    pub practice_settings: SettingsView,
    /// The practice profile, Q&A and consultations (right of the settings on Practice).
    pub profile_view: super::screens::practice_profile::ProfileView,
    pub reports: ReportsScreen,
    pub popups: Vec<Popup>,
    pub help: Option<u16>,
    pub message: Option<Message>,
    pub quit: bool,
    /// The instruments on hand (built-ins; `run_app` adds the practitioner's files).
    pub catalog: Catalog,
    /// A client's assessments, shown over the Clients screen while open.
    pub assessments: Option<AssessmentsView>,
    /// The note being written or read, drawn over the screen.
    pub note_editor: Option<super::screens::note_editor::NoteEditor>,
    /// The note editor asked for `$EDITOR`: the loop hands the terminal over after this key.
    pub pending_external_edit: bool,
    /// One client, full screen, over the screen it was opened from.
    pub client_view: Option<super::screens::client::ClientView>,
    title: String,
    /// Privacy mode: client names are shown as initials on every screen.
    pub privacy: bool,
    /// The names privacy mode hides, rebuilt on refresh while it is on.
    names: NameMask,
    /// The lock screen, while it is up: nothing else is drawn and no key reaches the screens.
    pub locked: Option<Locked>,
    /// How the lock screen opens again (a passphrase when the file is encrypted).
    pub unlock: Unlock,
    /// The first tick since the last key: the start of the idle time.
    idle_since: Option<chrono::DateTime<chrono::Utc>>,
    /// The Clients list and the Agenda week are read from the file only while on screen: after a
    /// write made elsewhere they are marked stale and read again when next shown.
    clients_stale: bool,
    agenda_stale: bool,
}

impl App {
    pub fn new(
        store: Store,
        config: Config,
        clock: Clock,
        no_color: bool,
    ) -> Result<App, StoreError> {
        let theme = Theme::new(config.theme, no_color);
        let mut app = Self::new_without_refresh(store, config, clock, theme);
        app.store.watch_attention()?;
        app.refresh()?;
        Ok(app)
    }

    /// Like [`App::new`], for a terminal: Today's needs-attention list is read just after the
    /// first frame is drawn ([`App::run`] does it), so the app appears at once.
    pub fn new_for_terminal(
        store: Store,
        config: Config,
        clock: Clock,
        no_color: bool,
    ) -> Result<App, StoreError> {
        let theme = Theme::new(config.theme, no_color);
        let mut app = Self::new_without_refresh(store, config, clock, theme);
        app.store.watch_attention()?;
        app.today.defer_attention = true;
        app.refresh()?;
        Ok(app)
    }

    fn new_without_refresh(store: Store, config: Config, clock: Clock, theme: Theme) -> App {
        let privacy = config.privacy;
        let title = store
            .path()
            .and_then(|p| p.file_stem())
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "practice".into());
        App {
            store,
            config,
            theme,
            clock,
            screen: ScreenId::Today,
            today: TodayScreen::default(),
            clients: ClientsScreen::default(),
            agenda: AgendaScreen::default(),
            practice_settings: SettingsView::default(),
            profile_view: Default::default(),
            reports: ReportsScreen::default(),
            popups: Vec::new(),
            help: None,
            message: None,
            quit: false,
            catalog: Catalog::built_in(),
            assessments: None,
            note_editor: None,
            pending_external_edit: false,
            client_view: None,
            title,
            privacy,
            names: NameMask::default(),
            locked: None,
            unlock: Unlock::default(),
            idle_since: None,
            clients_stale: true,
            agenda_stale: true,
        }
    }

    /// Reloads the view models from the store (after a write, or another instance's writes).
    /// The Clients list and the Agenda are read only when on screen (see [`App::refresh_shown`]).
    pub fn refresh(&mut self) -> Result<(), StoreError> {
        self.today.refresh(&self.store, self.clock.now_local())?;
        self.clients_stale = true;
        self.agenda_stale = true;
        self.refresh_shown()?;
        if let Some(v) = &self.assessments {
            let keep = v.selected;
            let mut fresh =
                AssessmentsView::load(&self.store, &self.catalog, v.client_id, self.clock.today())?;
            fresh.selected = keep.min(fresh.series.len().saturating_sub(1));
            self.assessments = Some(fresh);
        }
        self.practice_settings.refresh(&self.store)?;
        self.profile_view.refresh(&self.store)?;
        if let Some(v) = &mut self.client_view {
            v.reload(&self.store, &self.catalog, self.clock.now_local())?;
        }
        // Reports are read only while they are on screen (and on every month change).
        if self.screen == ScreenId::Reports {
            self.reports.refresh(&self.store, self.clock.now_local())?;
        }
        if self.privacy {
            self.rebuild_names()?;
        }
        Ok(())
    }

    /// Reads the Clients list or the Agenda week if it is on screen and stale.
    pub fn refresh_shown(&mut self) -> Result<(), StoreError> {
        match self.screen {
            ScreenId::Clients if self.clients_stale => self.refresh_clients()?,
            ScreenId::Agenda if self.agenda_stale => {
                self.agenda
                    .refresh(&self.store, self.clock.now_local(), self.config.week_start)?;
                self.agenda_stale = false;
            }
            _ => {}
        }
        Ok(())
    }

    /// Reads the Clients list (and the selected client's relationship panel) now.
    fn refresh_clients(&mut self) -> Result<(), StoreError> {
        self.clients.refresh(&self.store, self.clock.now_local())?;
        self.clients_stale = false;
        self.sync_relationship(true);
        Ok(())
    }

    /// Selects a client on the Clients list, reading the list first if it is stale (a client
    /// just added, say).
    pub(crate) fn select_client(&mut self, id: i64) {
        if self.clients_stale
            && let Err(e) = self.refresh_clients()
        {
            self.error(e.to_string());
        }
        self.clients.select_id(id);
    }

    /// Rebuilds the privacy mask from the client list (every status).
    fn rebuild_names(&mut self) -> Result<(), StoreError> {
        let names: Vec<MaskName> = self
            .store
            .clients(StatusFilter::All)?
            .into_iter()
            .map(|c| MaskName {
                name: c.name,
                preferred: c.preferred_name,
                email: c.email,
            })
            .collect();
        self.names = NameMask::new(&names);
        Ok(())
    }

    /// Switches privacy mode on or off.
    pub fn toggle_privacy(&mut self) {
        if !self.privacy {
            if let Err(e) = self.rebuild_names() {
                self.error(format!("Privacy mode could not start: {e}"));
                return;
            }
            self.privacy = true;
            self.info("Privacy on: client names show as initials. Ctrl-G shows them again.");
        } else {
            self.privacy = false;
            self.info("Privacy off: client names show in full.");
        }
    }

    /// Hides everything behind the lock screen (a note being written is saved first).
    pub fn lock(&mut self) {
        self.save_note_draft();
        self.message = None;
        self.locked = Some(Locked::default());
    }

    /// The passing of time, from the event loop (every key and every quiet poll) or a test:
    /// locks the screen once `lock_after_minutes` have passed with no key.
    pub fn tick(&mut self, now: chrono::DateTime<chrono::Utc>) {
        if self.locked.is_some() {
            self.idle_since = None;
            return;
        }
        let Some(after) = self.config.lock_after_minutes.duration() else {
            return;
        };
        match self.idle_since {
            None => self.idle_since = Some(now),
            Some(since) if now - since >= after => self.lock(),
            Some(_) => {}
        }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            kind: MessageKind::Info,
        });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            kind: MessageKind::Error,
        });
    }

    /// Where keys go now.
    pub fn context(&self) -> Context {
        if self.help.is_some() {
            return Context::Help;
        }
        if let Some(p) = self.popups.last() {
            return p.context();
        }
        if let Some(ed) = &self.note_editor {
            return ed.context();
        }
        self.screen_context()
    }

    /// Where keys go on the current screen, with no dialog open.
    fn screen_context(&self) -> Context {
        if let Some(v) = &self.client_view {
            return v.context();
        }
        match self.screen {
            ScreenId::Today if self.today.has_clients() => Context::Today,
            ScreenId::Today => Context::TodayWelcome,
            ScreenId::Agenda => Context::Agenda,
            ScreenId::Clients if self.assessments.is_some() => Context::Assessments,
            ScreenId::Clients => self.clients.context(),
            ScreenId::Practice => Context::PracticeSettings,
            ScreenId::Reports => Context::Reports,
        }
    }

    /// Runs until the practitioner quits.
    pub fn run(&mut self, terminal: &mut DefaultTerminal) -> std::io::Result<()> {
        let mut seen_version = self.store.data_version().ok();
        while !self.quit {
            terminal.draw(|f| self.draw(f))?;
            if self.today.attention_pending {
                if let Err(e) = self
                    .today
                    .load_attention(&self.store, self.clock.now_local())
                {
                    self.error(e.to_string());
                }
                continue;
            }
            // Wake now and then to pick up another instance's writes to the same file, and to
            // count idle time for the lock.
            if event::poll(std::time::Duration::from_secs(2))? {
                match event::read()? {
                    Event::Key(k) if k.kind != KeyEventKind::Release => self.handle_key(k),
                    _ => {}
                }
                seen_version = self.store.data_version().ok();
                if self.pending_external_edit {
                    self.pending_external_edit = false;
                    self.edit_note_externally(terminal)?;
                }
            } else {
                let v = self.store.data_version().ok();
                if v != seen_version {
                    seen_version = v;
                    // Another program's writes are not traced client by client.
                    self.today.invalidate_attention();
                    self.after_write();
                } else if self.today.attention_is_old(self.clock.now_local()) {
                    // Quiet for a while: time alone may have brought new items.
                    if let Err(e) = self
                        .today
                        .load_attention(&self.store, self.clock.now_local())
                    {
                        self.error(e.to_string());
                    }
                }
            }
            self.tick(self.clock.now_utc());
        }
        Ok(())
    }

    /// Handles one key press.
    pub fn handle_key(&mut self, key: KeyEvent) {
        self.handle_key_inner(key);
        // A key may have brought another screen up (or back): it shows the file as it is now.
        if let Err(e) = self.refresh_shown() {
            self.error(e.to_string());
        }
    }

    fn handle_key_inner(&mut self, key: KeyEvent) {
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            // A note being written is saved before leaving.
            self.save_note_draft();
            self.quit = true;
            return;
        }
        // A key is activity: the idle time starts again at the next tick.
        self.idle_since = None;
        if let Some(l) = &mut self.locked {
            if l.key(&self.unlock, &key) == LockKey::Unlocked {
                self.locked = None;
            }
            return;
        }
        match keymap::everywhere(&key) {
            Some(Action::TogglePrivacy) => return self.toggle_privacy(),
            Some(Action::Lock) => return self.lock(),
            _ => {}
        }
        self.message = None;
        let ctx = self.context();
        let action = keymap::lookup(ctx, &key);
        if ctx == Context::Help {
            match action {
                Some(Action::Quit) => self.quit = true,
                Some(Action::Back) => self.help = None,
                Some(Action::Down) => self.help = self.help.map(|s| s.saturating_add(1)),
                Some(Action::Up) => self.help = self.help.map(|s| s.saturating_sub(1)),
                _ => {}
            }
            return;
        }
        if let Some(popup) = self.popups.last_mut() {
            let outcome = popup.handle(action, &key);
            self.on_outcome(outcome);
            return;
        }
        if self.note_editor.is_some() {
            self.note_key(action, &key);
            return;
        }
        if ctx == Context::ClientsFilter && action.is_none() {
            self.clients.type_key(&key);
            self.sync_relationship(false);
            return;
        }
        if ctx == Context::ClientNotesSearch && action.is_none() {
            if let Some(v) = &mut self.client_view {
                v.notes.type_key(&key);
            }
            return;
        }
        if let Some(a) = action {
            self.dispatch(a);
        }
        if self.screen == ScreenId::Clients {
            self.sync_relationship(false);
        }
    }

    fn dispatch(&mut self, action: Action) {
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
            Action::Help => self.help = Some(0),
            Action::Go(s) => self.go(s),
            Action::NextScreen => self.go(self.screen.next()),
            Action::PrevScreen => self.go(self.screen.prev()),
            Action::AddClient => self.popups.push(Popup::ClientForm(ClientForm::add())),
            Action::EditClient => match self.clients.selected_client() {
                Some(c) => self.popups.push(Popup::ClientForm(ClientForm::edit(c))),
                None => self.error("There is no client selected. Press a to add one."),
            },
            Action::ChangeStatus => match self.clients.selected_client() {
                Some(c) => self.popups.push(Popup::StatusPicker(StatusPicker::new(c))),
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
                    self.popups
                        .push(Popup::SessionDetail(SessionDetail { session }));
                }
            }
            Action::BookSession => self.start_booking(),
            Action::JumpTo => self
                .popups
                .push(Popup::JumpTo(JumpTo::default(), self.clock.today())),
            Action::EditSettings if self.screen == ScreenId::Practice => {
                let form = SettingsForm::new(&self.practice_settings.settings);
                self.popups.push(Popup::PracticeSettings(Box::new(form)));
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
                ScreenId::Reports => {
                    if self.reports.handle(other, self.clock.now_local())
                        && let Err(e) = self.reports.refresh(&self.store, self.clock.now_local())
                    {
                        self.error(e.to_string());
                    }
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
            Ok(clients) => self
                .popups
                .push(Popup::ClientPicker(ClientPicker::new(&clients))),
            Err(e) => self.error(e.to_string()),
        }
    }

    /// The booking form for a client, starting on `day`.
    pub(crate) fn open_booking_form(&mut self, id: i64, name: &str, day: NaiveDate) {
        self.popups.push(Popup::BookingForm(BookingForm::new(
            id,
            name,
            day,
            self.clock.now_local(),
        )));
    }

    /// The instrument picker for a client (engagement first: `A` then Enter starts it).
    pub(crate) fn start_assessment(&mut self, id: i64, name: &str) {
        self.popups
            .push(Popup::InstrumentPicker(InstrumentPicker::new(
                id,
                name,
                &self.catalog,
            )));
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
    fn mark_selected(&mut self, to: SessionStatus) {
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
                    SessionStatus::Scheduled => "back to scheduled".to_string(),
                    other => other.label().to_lowercase(),
                };
                self.info(format!("{who} · {when} · {what}."));
                // After a session, progress on the client's active goals is one screen away.
                if s.status.is_attended() {
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
            Ok((cx, _)) if cx.session.status != SessionStatus::Scheduled => {
                self.error(format!(
                    "This session is {}, not scheduled, so there is nothing to cancel.",
                    cx.session.status.label().to_lowercase()
                ));
            }
            Ok((cx, _)) if cx.session.ends_at() <= now => {
                self.error("This session has already ended: record what happened (a attended, n no-show) instead.");
            }
            Ok((cx, slots)) => {
                let mut d = CancelDialog::new(cx, now, slots);
                if let Some(n) = name {
                    d = d.with_name(n);
                }
                self.popups.push(Popup::Cancel(Box::new(d)));
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    /// Records a cancellation decided in the dialog.
    fn record_cancellation(&mut self, session_id: i64, request: Request, decision: Decision) {
        let who = match self.popups.last() {
            Some(Popup::Cancel(d)) => Some(d.name.clone()),
            _ => None,
        };
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
                let who = who.unwrap_or_else(|| "The session".to_string());
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

    /// Enter on Today: where a needs-attention item points.
    fn open_from_today(&mut self) {
        if self.today.pane == Pane::Sessions {
            if let Some(l) = self.today.selected() {
                let session = l.session.clone();
                self.popups
                    .push(Popup::SessionDetail(SessionDetail { session }));
            }
            return;
        }
        let Some(item) = self.today.selected_attention() else {
            return;
        };
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
            AttentionTarget::Practice => self.go(ScreenId::Practice),
        }
    }

    fn go(&mut self, screen: ScreenId) {
        self.screen = screen;
        self.assessments = None;
        self.client_view = None;
        // Another instance may have written: screens show the file as it is now.
        if let Err(e) = self.refresh() {
            self.error(e.to_string());
        }
    }

    fn on_outcome(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Keep => {}
            Outcome::Close => {
                self.popups.pop();
            }
            Outcome::Push(p) => self.popups.push(*p),
            Outcome::Replace(p) => {
                self.popups.pop();
                self.popups.push(*p);
            }
            Outcome::Apply(apply) => self.apply(apply),
        }
    }

    fn apply(&mut self, apply: Apply) {
        let today = self.clock.today();
        let now = self.clock.now_utc();
        match apply {
            Apply::SaveClient { id, input } => {
                let fields = match input.validate(today) {
                    Ok(f) => f,
                    Err(e) => {
                        if let Some(Popup::ClientForm(f)) = self.popups.last_mut() {
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
                        self.info(match id {
                            None => format!("Added {}.", c.name),
                            Some(_) => format!("Saved {}.", c.name),
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
                            c.name,
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
                    while matches!(
                        self.popups.last(),
                        Some(Popup::Clash(_) | Popup::BookingForm(_))
                    ) {
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
                    self.popups
                        .push(Popup::Clash(ClashDialog { req, clash: *clash }));
                }
                Err(e) => {
                    if let Some(Popup::Clash(_)) = self.popups.last() {
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
                        if let Some(Popup::PracticeSettings(f)) = self.popups.last_mut() {
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
                        if let Some(Popup::AlertReview(a)) = self.popups.last_mut() {
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
                        self.info(saved_message(&a, &name));
                        if ins.key == ENGAGEMENT_KEY {
                            self.popups
                                .push(Popup::Recommendation(RecommendationCard::new(&name, &a)));
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
            Apply::Confirmed(Question::DiscardForm) => {
                // The question, then the form beneath it.
                self.popups.pop();
                self.popups.pop();
                self.info("Nothing was saved.");
            }
        }
    }

    pub(crate) fn after_write(&mut self) {
        if let Err(e) = self.refresh() {
            self.error(e.to_string());
        }
    }

    // ---- drawing --------------------------------------------------------------------------

    pub fn draw(&mut self, frame: &mut Frame<'_>) {
        let area = frame.area();
        if let Some(l) = &self.locked {
            l.render(&self.unlock, area, frame.buffer_mut(), &self.theme);
            return;
        }
        self.draw_screen(frame);
        if self.privacy {
            self.names.apply(frame.buffer_mut());
        }
    }

    fn draw_screen(&mut self, frame: &mut Frame<'_>) {
        let area = frame.area();
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            draw_too_small(frame, area, &self.theme);
            return;
        }
        let buf = frame.buffer_mut();
        buf.set_style(area, self.theme.base);
        let [header, body, message, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        self.draw_header(header, buf);
        let dates = self.config.date_format;
        let mut cursor = match self.screen {
            _ if self.note_editor.is_some() => {
                if let Some(ed) = &self.note_editor {
                    ed.render(body, buf, &self.theme);
                }
                None
            }
            _ if self.client_view.is_some() => {
                if let Some(v) = &self.client_view {
                    v.render(body, buf, &self.theme, dates);
                }
                None
            }
            ScreenId::Today => {
                self.today.render(body, buf, &self.theme);
                None
            }
            ScreenId::Clients => match &self.assessments {
                Some(v) => {
                    v.render(body, buf, &self.theme, dates);
                    None
                }
                None => self.clients.render(body, buf, &self.theme, dates),
            },
            ScreenId::Agenda => {
                self.agenda.render(body, buf, &self.theme);
                None
            }
            ScreenId::Practice => {
                let [left, right] =
                    Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                        .areas(body);
                let [top, bottom] =
                    Layout::vertical([Constraint::Min(10), Constraint::Length(8)]).areas(left);
                self.practice_settings.render(top, buf, &self.theme);
                render_instruments(&self.catalog, bottom, buf, &self.theme);
                self.profile_view.render(right, buf, &self.theme);
                None
            }
            ScreenId::Reports => {
                self.reports.render(body, buf, &self.theme);
                None
            }
        };
        for p in &self.popups {
            cursor = p.render(body, buf, &self.theme);
        }
        if let Some(scroll) = self.help {
            self.draw_help(body, buf, scroll);
            cursor = None;
        }
        if let Some(m) = &self.message {
            let style = match m.kind {
                MessageKind::Info => self.theme.info,
                MessageKind::Error => self.theme.error,
            };
            Paragraph::new(Span::styled(format!(" {}", m.text), style)).render(message, buf);
        }
        self.draw_status(status, buf);
        if let Some(c) = cursor {
            frame.set_cursor_position(c);
        }
    }

    /// The practice's name from its profile (cut to fit), or the file's name until it has one.
    fn header_name(&self) -> String {
        let name = self.profile_view.profile.practice_name.trim();
        if name.is_empty() {
            return self.title.clone();
        }
        super::widgets::rows::fit(name, 24)
    }

    fn draw_header(&self, area: Rect, buf: &mut ratatui::buffer::Buffer) {
        let mut spans = vec![
            Span::styled(
                format!(" caseload · {} ", self.header_name()),
                self.theme.title,
            ),
            Span::raw("  "),
        ];
        for s in ScreenId::ALL {
            let style = if s == self.screen {
                self.theme.tab_active
            } else {
                self.theme.tab
            };
            spans.push(Span::styled(
                format!(" {} {} ", s.index() + 1, s.title()),
                style,
            ));
            spans.push(Span::raw(" "));
        }
        Paragraph::new(Line::from(spans)).render(area, buf);
        // Privacy mode is always shown, at the right end (over the tabs on a narrow terminal).
        let mut right = area.right();
        if self.privacy {
            let tag = " privacy ";
            right = right.saturating_sub(tag.len() as u16);
            buf.set_string(right, area.y, tag, self.theme.tab_active);
        }
        let date = self.clock.today().format("%a %-d %b %Y").to_string();
        let w = date.chars().count() as u16 + 1;
        if right.saturating_sub(area.x) > w + 60 {
            buf.set_string(right - w, area.y, &date, self.theme.muted);
        }
    }

    fn draw_status(&self, area: Rect, buf: &mut ratatui::buffer::Buffer) {
        let mut hints = keymap::hints(self.context());
        // When the line is too narrow, the screen's own hints give way first: "? help" (which
        // lists them all) and "q quit" always stay in sight.
        let width = |h: &[(String, &'static str)]| -> usize {
            1 + h
                .iter()
                .map(|(k, t)| k.chars().count() + t.chars().count() + 3)
                .sum::<usize>()
        };
        while width(&hints).saturating_sub(2) > area.width as usize {
            match hints
                .iter()
                .rposition(|(_, t)| *t != "help" && *t != "quit")
            {
                Some(i) => {
                    hints.remove(i);
                }
                None => break,
            }
        }
        let mut spans = vec![Span::raw(" ")];
        for (key, hint) in hints {
            spans.push(Span::styled(key, self.theme.key));
            spans.push(Span::styled(format!(" {hint}  "), self.theme.muted));
        }
        Paragraph::new(Line::from(spans)).render(area, buf);
    }

    fn draw_help(&self, area: Rect, buf: &mut ratatui::buffer::Buffer, scroll: u16) {
        let under = if let Some(p) = self.popups.last() {
            p.context()
        } else if let Some(ed) = &self.note_editor {
            ed.context()
        } else {
            self.screen_context()
        };
        let mut lines: Vec<Line> = Vec::new();
        let section = |ctx: Context, lines: &mut Vec<Line>| {
            let rows = keymap::bindings(ctx);
            if rows.is_empty() {
                return;
            }
            lines.push(Line::from(Span::styled(ctx.title(), self.theme.heading)));
            for b in rows {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {:<18}", keymap::keys_label(b)), self.theme.key),
                    Span::raw(b.help),
                ]));
            }
            lines.push(Line::default());
        };
        section(under, &mut lines);
        if under.takes_globals() {
            section(Context::Global, &mut lines);
        }
        if under.is_text_entry() {
            lines.push(Line::from(Span::styled(
                "While typing: ← → move, Backspace and Delete erase, Ctrl-W erases a word.",
                self.theme.muted,
            )));
        }
        let h = (lines.len() as u16 + 2).min(area.height);
        let rect = centered(area, 76, h);
        let inner = frame(rect, buf, "Keys · Esc closes", &self.theme);
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .render(inner, buf);
    }
}

fn draw_too_small(frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let text = vec![
        Line::from(Span::styled("Enlarge the terminal", theme.heading)),
        Line::from(format!(
            "It needs {MIN_WIDTH} × {MIN_HEIGHT} or more; now {} × {}.",
            area.width, area.height
        )),
        Line::from("q quits."),
    ];
    let h = 3.min(area.height);
    let y = area.y + area.height.saturating_sub(h) / 2;
    Paragraph::new(text)
        .alignment(ratatui::layout::Alignment::Center)
        .wrap(Wrap { trim: true })
        .render(
            Rect::new(area.x, y, area.width, area.height - (y - area.y)),
            frame.buffer_mut(),
        );
}
