//! The app's side of notes: opening the editor, saving drafts, signing, addenda, and handing the
//! terminal to `$EDITOR`. Kept apart from `app.rs` so that the notes feature reads in one place.

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::KeyEvent;

use super::App;
use crate::domain::note::NoteBody;
use crate::tui::action::Action;
use crate::tui::dialogs::Confirm;
use crate::tui::screens::note_editor::{self, EditorRequest, NoteEditor};

impl App {
    /// `e` on Today: the selected session's note.
    pub fn open_note_from_today(&mut self) {
        match self.today.selected_session_id() {
            Some(id) => self.open_note_for_session(id),
            None => self.error("There is no session on this day to write a note for."),
        }
    }

    /// Opens the note of a session: the draft or signed note if there is one, else a new note
    /// in the practice's template.
    pub fn open_note_for_session(&mut self, session_id: i64) {
        if self.store.read_only() && matches!(self.store.note_for_session(session_id), Ok(None)) {
            return self.error(super::READ_ONLY_KEY);
        }
        let opened = (|| -> Result<NoteEditor, crate::store::StoreError> {
            let session = self.store.session(session_id)?;
            let client = self.store.client(session.client_id)?;
            let heading = format!(
                "{} · {}",
                session.starts_at.format("%a %-d %b %Y %H:%M"),
                session.modality.label()
            );
            let mut ed = match self.store.note_for_session(session_id)? {
                Some(note) => NoteEditor::open(&note, heading),
                None => NoteEditor::new(
                    client.id,
                    Some(session_id),
                    heading,
                    self.config.note_template,
                ),
            };
            ed.who = client.short_name();
            Ok(ed)
        })();
        match opened {
            Ok(ed) => {
                if ed.is_signed() {
                    self.info("This note is signed. Press a to add an addendum.");
                }
                self.note_editor = Some(ed);
            }
            Err(e) => self.error(format!("The note could not be opened: {e}")),
        }
    }

    /// Opens a note by its id (from a client's list of notes or a search).
    pub fn open_note(&mut self, note_id: i64) {
        match self.store.note(note_id) {
            Ok(note) => {
                let when = match note.session_starts_at {
                    Some(t) => t.format("%a %-d %b %Y %H:%M").to_string(),
                    None => crate::clock::show(
                        note.created_at,
                        crate::domain::time::DateStyle::DayMonth,
                        crate::domain::time::Shown::Date,
                    ),
                };
                let name = crate::domain::client::short_name(&note.client_name, None);
                let mut ed = NoteEditor::open(&note, when);
                ed.who = name;
                self.note_editor = Some(ed);
            }
            Err(e) => self.error(format!("The note could not be opened: {e}")),
        }
    }

    /// A key while the note editor is open.
    pub(crate) fn note_key(&mut self, action: Option<Action>, key: &KeyEvent) {
        if action == Some(Action::Quit) {
            self.save_note_draft();
            self.quit = true;
            return;
        }
        if action.is_some_and(Action::writes) && self.store.read_only() {
            return self.error(super::READ_ONLY_KEY);
        }
        let Some(ed) = &mut self.note_editor else {
            return;
        };
        if self.store.read_only() && action == Some(Action::Back) {
            // Nothing can be saved: the editor closes and says so if text was typed.
            let typed = ed.is_dirty() && !ed.is_signed();
            self.note_editor = None;
            if typed {
                self.error("The practice file is read-only: what you typed was not saved.");
            }
            return;
        }
        match ed.handle(action, key) {
            EditorRequest::Nothing => {}
            EditorRequest::Save => {
                if self.save_note_draft() {
                    let saved = self
                        .note_editor
                        .as_ref()
                        .is_some_and(|e| e.note_id.is_some());
                    if saved {
                        self.info("The draft is saved.");
                    } else {
                        self.info("Nothing is written yet, so there is nothing to save.");
                    }
                }
            }
            EditorRequest::Close => {
                if self.save_note_draft() {
                    let saved = self
                        .note_editor
                        .as_ref()
                        .is_some_and(|e| e.note_id.is_some() && !e.is_signed());
                    self.note_editor = None;
                    self.after_note_write();
                    if saved {
                        self.info(
                            "The draft is saved. Sign it when it is ready (Ctrl-O in the note).",
                        );
                    }
                }
            }
            EditorRequest::Sign => {
                if self.save_note_draft() {
                    self.popups.push(Confirm::sign_note());
                }
            }
            EditorRequest::ExternalEdit => {
                if self.save_note_draft() {
                    self.pending_external_edit = true;
                }
            }
            EditorRequest::SaveAddendum(text) => self.add_addendum_to_open_note(&text),
            EditorRequest::DiscardAddendum => self.popups.push(Confirm::discard_addendum()),
            EditorRequest::Say(text) => self.info(text),
        }
    }

    /// Saves what is in the note editor as a draft (creating the note on the first save with
    /// any text). Returns false when saving failed; the editor then stays open with the text.
    pub fn save_note_draft(&mut self) -> bool {
        let now = self.clock.now_utc();
        let Some(ed) = &mut self.note_editor else {
            return true;
        };
        if ed.is_signed() || !ed.is_dirty() {
            ed.mark_unchanged();
            return true;
        }
        let body = ed.body();
        let saved = match ed.note_id {
            Some(id) => self.store.save_draft(id, &body, now),
            None if body.is_empty() => {
                ed.mark_unchanged();
                return true;
            }
            None => match ed.session_id {
                Some(s) => self.store.add_session_note(s, &body, now),
                None => self.store.add_client_note(ed.client_id, &body, now),
            },
        };
        match saved {
            Ok(note) => {
                ed.mark_saved(&note);
                true
            }
            Err(e) => {
                self.error(format!("The draft could not be saved: {e}"));
                false
            }
        }
    }

    /// Signs the note in the editor (after the practitioner confirmed).
    pub fn sign_open_note(&mut self) {
        if !self.save_note_draft() {
            return;
        }
        let now = self.clock.now_utc();
        let Some(id) = self.note_editor.as_ref().and_then(|e| e.note_id) else {
            self.error("There is nothing to sign yet: write the note first.");
            return;
        };
        match self.store.sign_note(id, now) {
            Ok(note) => {
                if let Some(ed) = &mut self.note_editor {
                    ed.loaded(&note);
                }
                self.after_note_write();
                self.info("Signed. The note is final now; press a to add an addendum.");
            }
            Err(e) => self.error(format!("Not signed: {e}")),
        }
    }

    fn add_addendum_to_open_note(&mut self, text: &str) {
        let now = self.clock.now_utc();
        let Some(id) = self.note_editor.as_ref().and_then(|e| e.note_id) else {
            return;
        };
        match self.store.add_addendum(id, text, now) {
            Ok(note) => {
                if let Some(ed) = &mut self.note_editor {
                    ed.addendum_added(&note);
                }
                self.info("The addendum is added under the note.");
            }
            // The addendum stays in its box: nothing typed is lost.
            Err(e) => self.error(format!("Not added: {e}")),
        }
    }

    fn after_note_write(&mut self) {
        if let Err(e) = self.refresh() {
            self.error(e.to_string());
        }
    }

    /// Hands the terminal to `$VISUAL` / `$EDITOR` with the note as markdown, then takes the
    /// text back (nothing is dropped: an unknown heading stays as text) and saves the draft.
    pub fn edit_note_externally(&mut self, terminal: &mut DefaultTerminal) -> std::io::Result<()> {
        let Some(ed) = &self.note_editor else {
            return Ok(());
        };
        let template = ed.template;
        let before = ed.body().to_markdown();
        let command = note_editor::editor_command();
        ratatui::restore();
        let result = note_editor::edit_in_external_editor(&command, &before);
        *terminal = ratatui::init();
        terminal.clear()?;
        match result {
            Ok(after) if after == before => self.info("No changes from the editor."),
            Ok(after) => {
                let (body, kept) = NoteBody::parse_lenient(template, &after);
                if let Some(ed) = &mut self.note_editor {
                    ed.load_body(&body);
                }
                if self.save_note_draft() {
                    match kept {
                        Some(why) => self.info(format!("Saved. Note: {why}; that text was kept.")),
                        None => self.info("Saved the note from the editor."),
                    }
                }
            }
            Err(e) => self.error(format!("The note was not changed: {e}")),
        }
        Ok(())
    }
}
