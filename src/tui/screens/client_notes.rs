//! The Notes tab of a client: the client's notes, newest first, and a search across them
//! (`/`, SQLite FTS5). Enter opens the selected note in the note editor.
//!
//! Key-agnostic: the client view maps its keys to these methods, so the tab fits whatever
//! keymap context the client view gives it.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use crate::domain::note::{Note, NoteState};
use crate::store::note::NoteHit;
use crate::store::{Result, Store};
use crate::tui::theme::Theme;
use crate::tui::widgets::rows::render_rows;

/// The most search results shown.
pub const SEARCH_LIMIT: usize = 200;

/// One row of the list, ready to draw (drawing never queries the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteRow {
    pub note_id: i64,
    pub when: String,
    pub state: NoteState,
    pub template: &'static str,
    pub text: String,
}

#[derive(Debug, Default)]
pub struct ClientNotes {
    pub client_id: Option<i64>,
    pub rows: Vec<NoteRow>,
    pub selected: usize,
    /// What is typed in the search box.
    pub query: String,
    /// The search box has the keys.
    pub typing: bool,
    /// The search shown, when one is applied.
    pub searched: Option<String>,
}

fn row_of_note(n: &Note) -> NoteRow {
    let addenda = match n.addenda.len() {
        0 => String::new(),
        1 => " (+1 addendum)".into(),
        k => format!(" (+{k} addenda)"),
    };
    NoteRow {
        note_id: n.id,
        when: when(n.session_starts_at, n.created_at),
        state: n.state,
        template: n.template.label(),
        text: format!("{}{addenda}", flat(&n.sections.plain_text())),
    }
}

fn row_of_hit(h: &NoteHit) -> NoteRow {
    NoteRow {
        note_id: h.note_id,
        when: when(h.session_starts_at, h.created_at),
        state: h.state,
        template: h.template.label(),
        text: h.snippet.clone(),
    }
}

fn when(session: Option<chrono::NaiveDateTime>, created: chrono::DateTime<chrono::Utc>) -> String {
    match session {
        Some(t) => t.format("%a %-d %b %Y %H:%M").to_string(),
        None => crate::clock::local_of(created)
            .format("%a %-d %b %Y")
            .to_string(),
    }
}

fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl ClientNotes {
    /// Loads a client's notes (or the results of the search applied).
    pub fn refresh(&mut self, store: &Store, client_id: i64) -> Result<()> {
        if self.client_id != Some(client_id) {
            *self = ClientNotes {
                client_id: Some(client_id),
                ..ClientNotes::default()
            };
        }
        let keep = self.selected_note_id();
        self.rows = match &self.searched {
            Some(q) => store
                .search_notes(q, Some(client_id), SEARCH_LIMIT)?
                .iter()
                .map(row_of_hit)
                .collect(),
            None => store
                .notes_for_client(client_id)?
                .iter()
                .map(row_of_note)
                .collect(),
        };
        self.selected = keep
            .and_then(|id| self.rows.iter().position(|r| r.note_id == id))
            .unwrap_or(0);
        Ok(())
    }

    pub fn selected_note_id(&self) -> Option<i64> {
        self.rows.get(self.selected).map(|r| r.note_id)
    }

    pub fn down(&mut self) {
        self.selected = (self.selected + 1).min(self.rows.len().saturating_sub(1));
    }

    pub fn up(&mut self) {
        self.selected = self.selected.saturating_sub(1);
    }

    /// `/`: the search box takes the keys.
    pub fn start_search(&mut self) {
        self.typing = true;
    }

    /// A key typed into the search box; returns true when it was taken.
    pub fn type_key(&mut self, key: &KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('w') if ctrl => {
                let trimmed = self.query.trim_end().len();
                let cut = self.query[..trimmed]
                    .rfind(char::is_whitespace)
                    .map(|i| i + 1)
                    .unwrap_or(0);
                self.query.truncate(cut);
            }
            KeyCode::Char(c) if !ctrl => self.query.push(c),
            KeyCode::Backspace => {
                self.query.pop();
            }
            _ => return false,
        }
        true
    }

    /// Enter in the search box: search this client's notes for what was typed.
    pub fn apply_search(&mut self, store: &Store) -> Result<()> {
        self.typing = false;
        let q = self.query.trim().to_string();
        self.searched = (!q.is_empty()).then_some(q);
        self.selected = 0;
        match self.client_id {
            Some(id) => self.refresh(store, id),
            None => Ok(()),
        }
    }

    /// Esc: back to all the client's notes.
    pub fn clear_search(&mut self, store: &Store) -> Result<()> {
        self.query.clear();
        self.apply_search(store)
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let [search, list] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        let prompt = if self.typing {
            Line::from(vec![
                Span::styled(" Search notes: ", theme.key),
                Span::styled(format!("{}▏", self.query), theme.input),
                Span::styled("  Enter search · Esc all notes", theme.muted),
            ])
        } else if let Some(q) = &self.searched {
            Line::from(vec![
                Span::styled(
                    format!(" Notes with “{q}”: {} ", self.rows.len()),
                    theme.heading,
                ),
                Span::styled(" Esc all notes", theme.muted),
            ])
        } else {
            Line::from(Span::styled(
                format!(
                    " {} note{} · / search · Enter open",
                    self.rows.len(),
                    if self.rows.len() == 1 { "" } else { "s" }
                ),
                theme.muted,
            ))
        };
        Paragraph::new(prompt).render(search, buf);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border)
            .title(Span::styled(" Notes ", theme.title));
        let inner = block.inner(list);
        block.render(list, buf);
        if self.rows.is_empty() {
            let text = if self.searched.is_some() {
                "No notes match. Esc shows all of this client's notes."
            } else {
                "No notes yet. Press e on a session in Today to write one."
            };
            Paragraph::new(Span::styled(text, theme.muted)).render(inner, buf);
            return;
        }
        render_rows(inner, buf, &self.rows, self.selected, |r, sel, _| {
            let state = match r.state {
                NoteState::Signed => "signed",
                NoteState::Draft => "draft",
                NoteState::None => "",
            };
            let text = format!(
                "{} {:<21} {:<6} {:<9} {}",
                if sel { "▶" } else { " " },
                r.when,
                state,
                r.template,
                r.text
            );
            let style = if sel {
                theme.selected
            } else if r.state == NoteState::Draft {
                theme.warn
            } else {
                theme.base
            };
            (text, style)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::client::ClientInput;
    use crate::domain::note::{NoteBody, NoteTemplate};

    fn now() -> chrono::DateTime<chrono::Utc> {
        crate::domain::time::parse_instant("2026-11-23T12:00:00Z").unwrap()
    }

    #[test]
    fn lists_searches_and_clears() {
        let mut store = Store::open_in_memory().unwrap();
        let input = ClientInput {
            name: "Maria Lopez".into(),
            intake_date: "2026-01-05".into(),
            ..ClientInput::default()
        };
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let c = store
            .add_client(&input.validate(today).unwrap(), now())
            .unwrap();
        let free = |s: &str| NoteBody::from_sections(NoteTemplate::Free, &[s]);
        let a = store
            .add_client_note(c.id, &free("Sleep is better."), now())
            .unwrap();
        let b = store
            .add_client_note(c.id, &free("Panic on the bus (again)."), now())
            .unwrap();
        store.sign_note(b.id, now()).unwrap();
        let mut tab = ClientNotes::default();
        tab.refresh(&store, c.id).unwrap();
        assert_eq!(tab.rows.len(), 2);
        assert_eq!(tab.selected_note_id(), Some(b.id));
        tab.down();
        assert_eq!(tab.selected_note_id(), Some(a.id));
        tab.start_search();
        for ch in "bus (again".chars() {
            assert!(tab.type_key(&KeyEvent::new(KeyCode::Char(ch), KeyModifiers::NONE)));
        }
        tab.apply_search(&store).unwrap();
        assert_eq!(tab.rows.len(), 1);
        assert_eq!(tab.selected_note_id(), Some(b.id));
        assert!(tab.rows[0].text.contains("[bus]"), "{}", tab.rows[0].text);
        assert_eq!(tab.rows[0].state, NoteState::Signed);
        tab.clear_search(&store).unwrap();
        assert_eq!(tab.rows.len(), 2);
        assert!(tab.searched.is_none());
    }
}
