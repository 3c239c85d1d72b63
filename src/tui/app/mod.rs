//! App state, the event loop and the routing of actions.
//!
//! One file per area: `dispatch.rs` (key → effect), `apply.rs` (what a dialog returned),
//! `cancel.rs`, `notes.rs`, `client_view.rs`, `relationship.rs`, and `draw.rs`.
//!
//! How to add a screen: give it a file under `tui/screens/` with its state, `handle` and
//! `render(area, buf, theme, names)` (every client name through `names`), a `ScreenId` and a
//! keymap table, a field here, one arm in `screen_context`, one in `dispatch.rs` and one in
//! `draw.rs`.
//!
//! crossterm event → keymap → [`Action`] → screen or dialog → (store write in a transaction) →
//! view models refreshed → draw. Drawing never queries the database.

use ratatui::crossterm::event::{self, Event, KeyEvent, KeyEventKind};

mod apply;
mod attention;
mod backup;
// Money (issue 17): payments, services, the income view.
mod billing;
mod cancel;
mod client_view;
mod dispatch;
mod draw;
mod income;
mod notes;
mod practice_records;
// The working relationship (issue 7): opening its dialogs and applying them.
mod relationship;
// Reports figures counted on a worker (issue 14).
mod reports;
use ratatui::DefaultTerminal;

pub use backup::DailyBackup;

use super::action::{Action, ScreenId};
use super::dialogs::Layers;
use super::keymap::{self, Context};
use super::names::Names;
use super::privacy::{LockKey, Locked, Unlock};
use super::screens::agenda::AgendaScreen;
use super::screens::assessments::AssessmentsView;
use super::screens::practice_settings::SettingsView;
use super::screens::reports::ReportsScreen;
use super::screens::{clients::ClientsScreen, today::TodayScreen};
use super::theme::Theme;
use crate::clock::Clock;
use crate::config::Config;
use crate::instruments::Catalog;
use crate::store::{Store, StoreError};

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

/// Shown where messages go while the practice file is read-only and nothing else is said.
pub const READ_ONLY_NOTICE: &str = "read-only: changes can't be saved";

/// What a key that would change the practice answers when the file is read-only.
pub const READ_ONLY_KEY: &str = "The practice file is read-only: changes can't be saved, so nothing was changed. You can still look at everything, export it or back it up elsewhere.";

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
    /// Reports · Income, while shown over the attendance report (`i`).
    pub income: Option<super::screens::income::IncomeView>,
    /// The dialogs over the screen, bottom first (see [`Layers`]).
    pub popups: Layers,
    pub message: Option<Message>,
    pub quit: bool,
    /// Today's automatic backup, made on a worker once the first frame is drawn.
    pub backup: Option<backup::DailyBackup>,
    /// Reads the whole needs-attention list off the key path (made on first use).
    attention_reader: Option<attention::AttentionReader>,
    /// Counts the Reports figures off the key path (made on first use).
    reports_reader: Option<reports::ReportsReader>,
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
    /// Privacy mode: client names are shown as initials on every screen (see [`Names`]).
    pub privacy: bool,
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
    /// Clients who share a short name, numbered so lists tell them apart (see [`Twins`]).
    pub twins: super::names::Twins,
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
            income: None,
            popups: Layers::default(),
            message: None,
            quit: false,
            backup: None,
            attention_reader: None,
            reports_reader: None,
            catalog: Catalog::built_in(),
            assessments: None,
            note_editor: None,
            pending_external_edit: false,
            client_view: None,
            title,
            privacy,
            locked: None,
            unlock: Unlock::default(),
            idle_since: None,
            clients_stale: true,
            agenda_stale: true,
            twins: Default::default(),
        }
    }

    /// Reloads the view models from the store (after a write, or another instance's writes).
    /// The Clients list and the Agenda are read only when on screen (see [`App::refresh_shown`]).
    pub fn refresh(&mut self) -> Result<(), StoreError> {
        self.twins = super::names::Twins::new(&self.store.short_names()?);
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
            self.refresh_income();
            self.refresh_reports();
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

    /// How client names are shown now: the one way a client's name becomes screen text.
    pub fn names(&self) -> Names {
        Names::new(self.privacy)
    }

    /// Switches privacy mode on or off.
    pub fn toggle_privacy(&mut self) {
        if !self.privacy {
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
            ScreenId::Reports if self.income.is_some() => Context::Income,
            ScreenId::Reports => Context::Reports,
        }
    }

    /// Runs until the practitioner quits.
    pub fn run(&mut self, terminal: &mut DefaultTerminal) -> std::io::Result<()> {
        let mut seen_version = self.store.data_version().ok();
        while !self.quit {
            // Figures asked for less than a frame ago may be nearly there: wait for them (keys
            // still come first) rather than flash an empty pane.
            if !self.reports_hold_frame(std::time::Instant::now()) {
                terminal.draw(|f| self.draw(f))?;
            }
            // The first frame is on screen: now the daily backup may start.
            self.start_backup();
            if self.today.attention_pending {
                self.read_attention_off_key_path(self.clock.now_local());
            }
            // Wake now and then to pick up another instance's writes to the same file, and to
            // count idle time for the lock.
            // While the backup is being made, look for its result often.
            let wait = if self.reports_pending() {
                std::time::Duration::from_millis(2)
            } else if self.backup_running() || self.attention_reading() {
                std::time::Duration::from_millis(50)
            } else {
                std::time::Duration::from_secs(2)
            };
            let key = event::poll(wait)?;
            self.check_backup();
            self.check_attention();
            self.check_reports(std::time::Instant::now());
            if key {
                match event::read()? {
                    Event::Key(k) if k.kind != KeyEventKind::Release => self.handle_key(k),
                    // A window shrunk and grown back before the next frame ends at the size
                    // last drawn, yet the terminal has cut or moved what it showed: draw
                    // every cell again, not only the ones that changed.
                    // (Blank the terminal, then a blank frame: the next frame writes every
                    // cell. `Terminal::clear` would ask the terminal where its cursor is.)
                    Event::Resize(..) => {
                        ratatui::backend::Backend::clear(terminal.backend_mut())?;
                        terminal.draw(|_| {})?;
                    }
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
                    self.read_attention_off_key_path(self.clock.now_local());
                }
            }
            self.tick(self.clock.now_utc());
        }
        // Quitting while the backup is being made stops it; nothing half-made is left.
        self.stop_backup();
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
        if keymap::quits_everywhere(&key) {
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

    pub(crate) fn after_write(&mut self) {
        if let Err(e) = self.refresh() {
            self.error(e.to_string());
        }
    }
}
