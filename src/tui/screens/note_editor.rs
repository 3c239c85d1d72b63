//! The note editor: one text area per section of the note's template, Tab between them.
//!
//! Drafts are never lost: the editor asks the app to save as the practitioner types (every
//! [`SAVE_EVERY`] changing keys), on leaving a section, before `$EDITOR`, and on leaving the
//! editor. A signed note opens read-only with its addenda beneath; `a` writes a new addendum.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Local, Utc};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};
use ratatui_textarea::{TextArea, WrapMode};

use crate::domain::note::{Addendum, Note, NoteBody, NoteTemplate};
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::names::Names;
use crate::tui::theme::Theme;

/// Changing keys typed between automatic saves.
pub const SAVE_EVERY: u32 = 20;

/// What the editor asks the app to do after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditorRequest {
    Nothing,
    /// Save the draft now (autosave).
    Save,
    /// Save the draft, then close the editor.
    Close,
    /// Save, then ask whether to sign.
    Sign,
    /// Save, then open the note in `$VISUAL` / `$EDITOR`.
    ExternalEdit,
    /// Add this addendum to the (signed) note.
    SaveAddendum(String),
    /// Ask whether to discard the addendum being written.
    DiscardAddendum,
    /// Tell the practitioner something.
    Say(String),
}

pub struct NoteEditor {
    /// The note, once saved (a new note is created on the first save with any text).
    pub note_id: Option<i64>,
    pub session_id: Option<i64>,
    pub client_id: i64,
    /// When and how, e.g. "Fri 20 Nov 09:00 · In person" (the client is [`NoteEditor::who`]).
    pub heading: String,
    /// The client the note is about, named before the heading through [`Names`].
    pub who: String,
    pub template: NoteTemplate,
    areas: Vec<TextArea<'static>>,
    pub focus: usize,
    pub signed_at: Option<DateTime<Utc>>,
    pub addenda: Vec<Addendum>,
    /// The addendum being written, if any.
    addendum: Option<TextArea<'static>>,
    /// What was last saved (or loaded).
    saved: NoteBody,
    pub saved_at: Option<DateTime<Utc>>,
    keys_since_save: u32,
}

fn area_for(text: &str, hint: &str) -> TextArea<'static> {
    let lines: Vec<String> = if text.is_empty() {
        vec![String::new()]
    } else {
        text.split('\n').map(str::to_string).collect()
    };
    let mut ta = TextArea::new(lines);
    ta.set_wrap_mode(WrapMode::WordOrGlyph);
    ta.set_cursor_line_style(Style::default());
    ta.set_placeholder_text(hint);
    ta
}

impl NoteEditor {
    /// A new note for a session (nothing is written until there is text to save).
    pub fn new(
        client_id: i64,
        session_id: Option<i64>,
        heading: String,
        template: NoteTemplate,
    ) -> NoteEditor {
        let body = NoteBody::empty(template);
        let mut ed = NoteEditor {
            note_id: None,
            session_id,
            client_id,
            heading,
            who: String::new(),
            template,
            areas: Vec::new(),
            focus: 0,
            signed_at: None,
            addenda: Vec::new(),
            addendum: None,
            saved: body.clone(),
            saved_at: None,
            keys_since_save: 0,
        };
        ed.load_body(&body);
        ed
    }

    /// An existing note (a draft to go on with, or a signed one to read).
    pub fn open(note: &Note, heading: String) -> NoteEditor {
        let mut ed = NoteEditor::new(note.client_id, note.session_id, heading, note.template);
        ed.load_body(&note.sections);
        ed.loaded(note);
        ed
    }

    /// Takes in the note as stored (after opening, saving or signing). The text on screen is
    /// left alone: it is what was saved, or what was typed since.
    pub fn loaded(&mut self, note: &Note) {
        self.note_id = Some(note.id);
        self.template = note.template;
        self.signed_at = note.signed_at;
        self.addenda = note.addenda.clone();
        self.saved = note.sections.clone();
        self.saved_at = Some(note.updated_at);
        self.keys_since_save = 0;
        if self.is_signed() {
            for ta in &mut self.areas {
                ta.set_placeholder_text("(left empty)");
            }
        }
        self.style_areas();
    }

    /// Replaces the text on screen (from `$EDITOR`, a template change, or the store).
    pub fn load_body(&mut self, body: &NoteBody) {
        self.template = body.template();
        self.areas = self
            .template
            .sections()
            .iter()
            .zip(body.sections())
            .map(|(s, t)| area_for(t, s.hint))
            .collect();
        self.focus = self.focus.min(self.areas.len().saturating_sub(1));
        self.style_areas();
    }

    fn style_areas(&mut self) {
        let focus = self.focus;
        let read_only = self.is_signed() || self.addendum.is_some();
        for (i, ta) in self.areas.iter_mut().enumerate() {
            let cursor = if i == focus && !read_only {
                Style::default().add_modifier(Modifier::REVERSED)
            } else {
                Style::default()
            };
            ta.set_cursor_style(cursor);
        }
    }

    /// What is on screen now, as a note.
    pub fn body(&self) -> NoteBody {
        let texts: Vec<String> = self.areas.iter().map(|a| a.lines().join("\n")).collect();
        NoteBody::from_sections(self.template, &texts)
    }

    /// Something typed since the last save.
    pub fn is_dirty(&self) -> bool {
        self.body() != self.saved
    }

    pub fn is_signed(&self) -> bool {
        self.signed_at.is_some()
    }

    pub fn writing_addendum(&self) -> bool {
        self.addendum.is_some()
    }

    /// The app saved the draft (the caller passes the note as stored).
    pub fn mark_saved(&mut self, note: &Note) {
        self.loaded(note);
    }

    /// The app saved nothing because there was nothing to save.
    pub fn mark_unchanged(&mut self) {
        self.keys_since_save = 0;
    }

    pub fn context(&self) -> Context {
        if self.addendum.is_some() {
            Context::NoteAddendum
        } else if self.is_signed() {
            Context::NoteView
        } else {
            Context::NoteEditor
        }
    }

    /// The addendum being written is given up (after the practitioner confirmed).
    pub fn drop_addendum(&mut self) {
        self.addendum = None;
        self.style_areas();
    }

    fn move_focus(&mut self, forward: bool) {
        let n = self.areas.len();
        if n == 0 {
            return;
        }
        self.focus = if forward {
            (self.focus + 1) % n
        } else {
            (self.focus + n - 1) % n
        };
        self.style_areas();
    }

    /// Handles one key: `action` is what the keymap made of it (if anything).
    pub fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> EditorRequest {
        if let Some(ta) = &mut self.addendum {
            return match action {
                Some(Action::Submit) => {
                    let text = ta.lines().join("\n");
                    if text.trim().is_empty() {
                        EditorRequest::Say(
                            "The addendum is empty; write it, or Esc to go back.".into(),
                        )
                    } else {
                        EditorRequest::SaveAddendum(text)
                    }
                }
                Some(Action::Back) => {
                    if ta.is_empty() || ta.lines().join("").trim().is_empty() {
                        self.drop_addendum();
                        EditorRequest::Nothing
                    } else {
                        EditorRequest::DiscardAddendum
                    }
                }
                _ => {
                    ta.input(*key);
                    EditorRequest::Nothing
                }
            };
        }
        if self.is_signed() {
            return match action {
                Some(Action::NextField) => {
                    self.move_focus(true);
                    EditorRequest::Nothing
                }
                Some(Action::PrevField) => {
                    self.move_focus(false);
                    EditorRequest::Nothing
                }
                Some(Action::AddAddendum) => {
                    let mut ta = area_for(
                        "",
                        "What to add or correct, in full. It is kept with today's date and time.",
                    );
                    ta.set_cursor_style(Style::default().add_modifier(Modifier::REVERSED));
                    self.addendum = Some(ta);
                    self.style_areas();
                    EditorRequest::Nothing
                }
                Some(Action::Back) => EditorRequest::Close,
                Some(Action::SignNote) => EditorRequest::Say(
                    "This note is already signed; corrections are addenda (a).".into(),
                ),
                _ => {
                    // Read-only: only moving about the focused section.
                    if matches!(
                        key.code,
                        KeyCode::Up
                            | KeyCode::Down
                            | KeyCode::Left
                            | KeyCode::Right
                            | KeyCode::PageUp
                            | KeyCode::PageDown
                            | KeyCode::Home
                            | KeyCode::End
                    ) && let Some(ta) = self.areas.get_mut(self.focus)
                    {
                        ta.input(*key);
                    }
                    EditorRequest::Nothing
                }
            };
        }
        match action {
            Some(Action::NextField) | Some(Action::PrevField) => {
                self.move_focus(action == Some(Action::NextField));
                if self.is_dirty() {
                    EditorRequest::Save
                } else {
                    EditorRequest::Nothing
                }
            }
            Some(Action::Back) => EditorRequest::Close,
            Some(Action::SaveNote) => EditorRequest::Save,
            Some(Action::SignNote) => {
                if self.body().is_empty() {
                    EditorRequest::Say("There is nothing to sign yet: write the note first.".into())
                } else {
                    EditorRequest::Sign
                }
            }
            Some(Action::ExternalEdit) => EditorRequest::ExternalEdit,
            Some(Action::ChangeTemplate) => {
                if !self.body().is_empty() {
                    return EditorRequest::Say(format!(
                        "The template can change only while the note is empty; this one is a {} note.",
                        self.template.label()
                    ));
                }
                let all = NoteTemplate::ALL;
                let next = all[(self.template.index() + 1) % all.len()];
                self.focus = 0;
                self.load_body(&NoteBody::empty(next));
                EditorRequest::Say(format!("Template: {}.", next.label()))
            }
            _ => {
                let Some(ta) = self.areas.get_mut(self.focus) else {
                    return EditorRequest::Nothing;
                };
                if ta.input(*key) {
                    self.keys_since_save += 1;
                    if self.keys_since_save >= SAVE_EVERY {
                        self.keys_since_save = 0;
                        return EditorRequest::Save;
                    }
                }
                EditorRequest::Nothing
            }
        }
    }

    // ---- drawing ------------------------------------------------------------------------

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        Block::default().style(theme.base).render(area, buf);
        let state = match (self.signed_at, self.saved_at, self.note_id) {
            (Some(t), _, _) => format!("signed {}", local_time(t)),
            (None, Some(t), Some(_)) if !self.is_dirty() => {
                format!("draft · saved {}", t.with_timezone(&Local).format("%H:%M"))
            }
            _ => "draft · saving as you type".into(),
        };
        let head = Line::from(vec![
            Span::styled(" Note · ", theme.title),
            Span::styled(
                format!("{} · {}", names.client(&self.who), self.heading),
                theme.title,
            ),
            Span::styled(format!(" · {} · ", self.template.label()), theme.muted),
            Span::styled(
                state,
                if self.is_signed() {
                    theme.good
                } else {
                    theme.muted
                },
            ),
        ]);
        let extra = if self.addendum.is_some() {
            Constraint::Length(7.min(area.height / 3))
        } else if !self.addenda.is_empty() {
            let lines: u16 = self
                .addenda
                .iter()
                .map(|a| a.text.lines().count() as u16 + 1)
                .sum();
            Constraint::Length((lines + 2).min(area.height / 3))
        } else if self.is_signed() {
            Constraint::Length(3)
        } else {
            Constraint::Length(0)
        };
        let [top, body, bottom] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(3), extra]).areas(area);
        Paragraph::new(head).render(top, buf);

        let sections = self.template.sections();
        let n = self.areas.len().max(1) as u16;
        // The focused section takes the room left when the others have theirs.
        let small = (body.height / n).clamp(3, 6);
        let constraints: Vec<Constraint> = self
            .areas
            .iter()
            .enumerate()
            .map(|(i, ta)| {
                if i == self.focus {
                    Constraint::Min(3)
                } else {
                    Constraint::Length((ta.lines().len() as u16 + 2).clamp(3, small))
                }
            })
            .collect();
        let rects = Layout::vertical(constraints).split(body);
        for (i, (ta, rect)) in self.areas.iter().zip(rects.iter()).enumerate() {
            let focused = i == self.focus && self.addendum.is_none();
            let title = sections.get(i).map(|s| s.title).unwrap_or("Note");
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(if focused {
                    theme.border_focus
                } else {
                    theme.border
                })
                .title(Span::styled(
                    format!(" {title} "),
                    if focused { theme.title } else { theme.heading },
                ));
            let inner = block.inner(*rect);
            block.render(*rect, buf);
            let mut ta = ta.clone();
            ta.set_placeholder_style(theme.muted);
            ta.set_style(theme.base);
            (&ta).render(inner, buf);
        }

        if bottom.height == 0 {
            return;
        }
        if let Some(ta) = &self.addendum {
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border_focus)
                .title(Span::styled(
                    " New addendum · Ctrl-S adds it · Esc back ",
                    theme.title,
                ));
            let inner = block.inner(bottom);
            block.render(bottom, buf);
            let mut ta = ta.clone();
            ta.set_placeholder_style(theme.muted);
            (&ta).render(inner, buf);
            return;
        }
        let mut lines: Vec<Line> = Vec::new();
        for a in &self.addenda {
            lines.push(Line::from(Span::styled(
                format!("Addendum · {}", local_time(a.created_at)),
                theme.heading,
            )));
            for l in a.text.lines() {
                lines.push(Line::from(l.to_string()));
            }
        }
        if lines.is_empty() {
            lines.push(Line::from(Span::styled(
                "Signed notes are final. To correct or add to this one, press a for an addendum.",
                theme.muted,
            )));
        }
        let title = match self.addenda.len() {
            0 => " Addenda ".to_string(),
            k => format!(" Addenda ({k}) "),
        };
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(theme.border)
                    .title(Span::styled(title, theme.heading)),
            )
            .render(bottom, buf);
    }

    /// The addendum was added: show it under the note.
    pub fn addendum_added(&mut self, note: &Note) {
        self.addendum = None;
        self.loaded(note);
    }
}

fn local_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local)
        .format("%a %-d %b %Y %H:%M")
        .to_string()
}

// ---- $VISUAL / $EDITOR ---------------------------------------------------------------------

/// The practitioner's editor: `$VISUAL`, else `$EDITOR`, else `vi`.
pub fn editor_command() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".into())
}

/// Writes `text` to a temporary file only the practitioner can read (0600), runs `command`
/// on it, reads it back, and removes the file. The command is run through the shell as git
/// runs its editor (`sh -c "$EDITOR \"$@\"" sh FILE`), so an editor given with arguments and
/// quoting (`code --wait`, `sh -c '…' sh`) works as it would on the command line. The terminal
/// must already be handed back (see `App::run`).
pub fn edit_in_external_editor(command: &str, text: &str) -> std::io::Result<String> {
    let command = command.trim();
    let command = if command.is_empty() { "vi" } else { command };
    let mut file = tempfile::Builder::new()
        .prefix("caseload-note-")
        .suffix(".md")
        .tempfile()?;
    restrict(file.path())?;
    file.write_all(text.as_bytes())?;
    file.flush()?;
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{command} \"$@\""))
        .arg("sh")
        .arg(file.path())
        .status()
        .map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!("the editor “{command}” could not be started ({e}); set VISUAL or EDITOR"),
            )
        })?;
    if !status.success() {
        let why = match status.code() {
            Some(127) => "it was not found; set VISUAL or EDITOR".to_string(),
            _ => format!("it stopped with an error ({status})"),
        };
        return Err(std::io::Error::other(format!(
            "the editor “{command}” did not finish: {why}; the note was left as it was"
        )));
    }
    let back = std::fs::read_to_string(file.path())?;
    file.close()?;
    Ok(back)
}

#[cfg(unix)]
fn restrict(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn restrict(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyModifiers;

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn an_editor_with_arguments_runs_through_the_shell() {
        // An editor named with its own arguments, as `code --wait` would be.
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("fake editor.sh");
        std::fs::write(
            &script,
            "#!/bin/sh\n[ \"$1\" = --wait ] || exit 3\nprintf ' and more' >> \"$2\"\n",
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
        let quoted = format!("'{}' --wait", script.display());
        assert_eq!(
            edit_in_external_editor(&quoted, "text").unwrap(),
            "text and more"
        );
        // The `sh -c '…' sh` form: the file arrives as $1 of the inner script.
        let inline = "sh -c 'printf \"%s\" \" edited\" >> \"$1\"' sh";
        assert_eq!(
            edit_in_external_editor(inline, "note").unwrap(),
            "note edited"
        );
    }

    #[test]
    fn an_editor_that_fails_or_is_missing_leaves_the_note_and_says_why() {
        let e = edit_in_external_editor("false", "keep")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("“false” did not finish") && e.contains("left as it was"),
            "{e}"
        );
        let e = edit_in_external_editor("no-such-editor-here", "keep")
            .unwrap_err()
            .to_string();
        assert!(e.contains("was not found; set VISUAL or EDITOR"), "{e}");
    }

    #[test]
    fn typing_asks_for_a_save_every_few_keys_and_on_leaving_a_section() {
        let mut ed = NoteEditor::new(1, Some(2), "Maria L.".into(), NoteTemplate::Dap);
        let mut saves = 0;
        for c in "Talked about the move to the new flat.".chars() {
            if ed.handle(None, &key(c)) == EditorRequest::Save {
                saves += 1;
            }
        }
        assert_eq!(saves, 1);
        assert_eq!(
            ed.body().section(0),
            "Talked about the move to the new flat."
        );
        let tab = KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE);
        assert_eq!(
            ed.handle(Some(Action::NextField), &tab),
            EditorRequest::Save
        );
        assert_eq!(ed.focus, 1);
        ed.handle(None, &key('x'));
        assert_eq!(ed.body().section(1), "x");
        assert_eq!(
            ed.handle(Some(Action::Back), &key('q')),
            EditorRequest::Close
        );
    }

    #[test]
    fn the_template_changes_only_while_empty() {
        let mut ed = NoteEditor::new(1, None, "x".into(), NoteTemplate::Soap);
        ed.handle(Some(Action::ChangeTemplate), &key('t'));
        assert_eq!(ed.template, NoteTemplate::Dap);
        ed.handle(None, &key('a'));
        let r = ed.handle(Some(Action::ChangeTemplate), &key('t'));
        assert!(matches!(r, EditorRequest::Say(s) if s.contains("only while")));
        assert_eq!(ed.template, NoteTemplate::Dap);
    }

    #[test]
    fn an_empty_note_is_not_signed() {
        let mut ed = NoteEditor::new(1, None, "x".into(), NoteTemplate::Soap);
        assert!(matches!(
            ed.handle(Some(Action::SignNote), &key('o')),
            EditorRequest::Say(_)
        ));
        ed.handle(None, &key('a'));
        assert_eq!(
            ed.handle(Some(Action::SignNote), &key('o')),
            EditorRequest::Sign
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_external_editor_gets_a_private_file_that_is_removed_after() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("fake-editor");
        let log = dir.path().join("log");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\nstat -c %a \"$1\" > {log}\necho \"$1\" >> {log}\nprintf 'more\\n' >> \"$1\"\n",
                log = log.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
        let out = edit_in_external_editor(script.to_str().unwrap(), "## Plan\nfirst\n").unwrap();
        assert_eq!(out, "## Plan\nfirst\nmore\n");
        let logged = std::fs::read_to_string(&log).unwrap();
        let mut lines = logged.lines();
        assert_eq!(lines.next(), Some("600"));
        let path = lines.next().unwrap();
        assert!(!Path::new(path).exists(), "{path} was left behind");
        let e = edit_in_external_editor("/nonexistent/editor", "x").unwrap_err();
        assert!(e.to_string().contains("was not found"), "{e}");
        let e = edit_in_external_editor("false", "x").unwrap_err();
        assert!(e.to_string().contains("left as it was"));
    }
}
