//! A form of labelled fields with inline validation messages.
//!
//! Text fields edit like a shell line (tui-input); a long text field (an answer, a note) shows
//! its paragraph wrapped over a few rows. Choice fields cycle with Space or ←/→.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use tui_input::{Input, InputRequest};

use crate::domain::ValidationError;
use crate::tui::action::Action;
use crate::tui::names::Names;
use crate::tui::theme::Theme;

/// What a key did to a form (see [`Form::handle`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKey {
    /// Moved, cycled or typed: the form stays.
    Edited,
    /// Enter: the dialog checks and saves what was typed.
    Submit,
    /// Esc: the dialog closes (or asks before throwing typing away).
    Back,
}

/// Where a form's title names its client (see [`Form::about`]).
pub const CLIENT: &str = "{client}";

#[derive(Debug, Clone)]
pub enum FieldValue {
    Text(Input),
    Choice {
        options: Vec<&'static str>,
        selected: usize,
    },
}

#[derive(Debug, Clone)]
pub struct Field {
    /// The key the domain uses for this field in its messages.
    pub key: &'static str,
    pub label: &'static str,
    pub value: FieldValue,
    /// A short example or rule, shown when there is no error.
    pub hint: &'static str,
    pub error: Option<String>,
    /// Rows the value is shown on: 1 for a line, more for a paragraph (wrapped at words).
    pub rows: u16,
    /// What of the client's the value is: privacy mode shows it masked (see [`Names`]).
    pub private: Private,
}

/// A field whose value is a client's own: shown through [`Names`] in privacy mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Private {
    #[default]
    No,
    /// The client's name or preferred name: initials.
    Name,
    /// The client's email address: hidden.
    Email,
    /// Text naming the client's people (the emergency contact): names cut to initials.
    People,
}

impl Field {
    pub fn text(key: &'static str, label: &'static str, value: &str, hint: &'static str) -> Field {
        Field {
            key,
            label,
            value: FieldValue::Text(Input::new(value.to_string())),
            hint,
            error: None,
            rows: 1,
            private: Private::No,
        }
    }

    /// The same field, its value shown through [`Names`] in privacy mode.
    pub fn private(self, private: Private) -> Field {
        Field { private, ..self }
    }

    /// A text field for a paragraph, shown wrapped over `rows` rows.
    pub fn long_text(
        key: &'static str,
        label: &'static str,
        value: &str,
        hint: &'static str,
        rows: u16,
    ) -> Field {
        Field {
            rows: rows.max(1),
            ..Field::text(key, label, value, hint)
        }
    }

    pub fn choice(
        key: &'static str,
        label: &'static str,
        options: Vec<&'static str>,
        selected: usize,
        hint: &'static str,
    ) -> Field {
        Field {
            key,
            label,
            value: FieldValue::Choice { options, selected },
            hint,
            error: None,
            rows: 1,
            private: Private::No,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Form {
    /// The title; [`CLIENT`] in it stands for the client's name (see [`Form::about`]).
    pub title: String,
    /// The client the form is about, named in the title through [`Names`].
    pub about: Option<String>,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub dirty: bool,
    /// A message about the whole form (e.g. "Check the fields marked below").
    pub banner: Option<String>,
    /// Whether the first key typed into a pre-filled field replaces its value (see
    /// [`Form::replacing`]).
    pub replace_on_type: bool,
    /// The focused field's value is shown selected: the next character typed replaces it.
    selected_all: bool,
}

impl Form {
    pub fn new(title: impl Into<String>, fields: Vec<Field>) -> Form {
        Form {
            title: title.into(),
            about: None,
            fields,
            focus: 0,
            dirty: false,
            banner: None,
            replace_on_type: false,
            selected_all: false,
        }
    }

    /// A form whose pre-filled values are selected on arriving at a field: the first character
    /// typed replaces the value (as most forms do); a move or Backspace edits it instead.
    pub fn replacing(self) -> Form {
        Form {
            replace_on_type: true,
            selected_all: true,
            ..self
        }
    }

    /// Whether the focused field's value is shown selected (typing replaces it).
    pub fn value_selected(&self) -> bool {
        self.replace_on_type
            && self.selected_all
            && matches!(
                self.fields.get(self.focus).map(|f| &f.value),
                Some(FieldValue::Text(i)) if !i.value().is_empty()
            )
    }

    /// Moves to the field `key` (its value selected when the form replaces on typing).
    pub fn focus_on(&mut self, key: &str) {
        if let Some(i) = self.fields.iter().position(|f| f.key == key) {
            self.focus = i;
            self.selected_all = true;
        }
    }

    /// A form about a client: [`CLIENT`] in `title` is their name, drawn through [`Names`].
    pub fn for_client(who: &str, title: impl Into<String>, fields: Vec<Field>) -> Form {
        Form::new(title, fields).about(who)
    }

    /// The form is about this client: [`CLIENT`] in the title is their name, drawn through
    /// [`Names`] (initials in privacy mode).
    pub fn about(self, client: impl Into<String>) -> Form {
        Form {
            about: Some(client.into()),
            ..self
        }
    }

    /// The title as drawn.
    pub fn title(&self, names: Names) -> String {
        match &self.about {
            Some(who) => self.title.replace(CLIENT, &names.client(who)),
            None => self.title.clone(),
        }
    }

    /// The trimmed-or-not text of a text field (empty for unknown keys).
    pub fn text(&self, key: &str) -> String {
        match self.fields.iter().find(|f| f.key == key).map(|f| &f.value) {
            Some(FieldValue::Text(i)) => i.value().to_string(),
            _ => String::new(),
        }
    }

    /// The selected index of a choice field.
    pub fn choice(&self, key: &str) -> usize {
        match self.fields.iter().find(|f| f.key == key).map(|f| &f.value) {
            Some(FieldValue::Choice { selected, .. }) => *selected,
            _ => 0,
        }
    }

    /// The keys every form shares, in one place: Tab and Shift-Tab move between fields, Space
    /// and ←/→ cycle a choice, other keys type into the focused field. Enter and Esc are the
    /// dialog's to answer (save, leave).
    pub fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> FormKey {
        match action {
            Some(Action::NextField) => self.next_field(),
            Some(Action::PrevField) => self.prev_field(),
            Some(Action::ChoiceNext) => {
                self.cycle(1);
            }
            Some(Action::ChoicePrev) => {
                self.cycle(-1);
            }
            Some(Action::Submit) => return FormKey::Submit,
            Some(Action::Back) => return FormKey::Back,
            _ => {
                self.type_key(key);
            }
        }
        FormKey::Edited
    }

    pub fn next_field(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len().max(1);
        self.selected_all = true;
    }

    pub fn prev_field(&mut self) {
        let n = self.fields.len().max(1);
        self.focus = (self.focus + n - 1) % n;
        self.selected_all = true;
    }

    /// Moves the focused choice by `delta`; false if the focused field is not a choice.
    pub fn cycle(&mut self, delta: isize) -> bool {
        if let Some(Field {
            value: FieldValue::Choice { options, selected },
            error,
            ..
        }) = self.fields.get_mut(self.focus)
        {
            let n = options.len() as isize;
            *selected = ((*selected as isize + delta).rem_euclid(n)) as usize;
            *error = None;
            self.dirty = true;
            return true;
        }
        false
    }

    /// Types a key into the focused field. Returns whether the key was used.
    pub fn type_key(&mut self, key: &KeyEvent) -> bool {
        let replace = self.value_selected();
        self.selected_all = false;
        let Some(field) = self.fields.get_mut(self.focus) else {
            return false;
        };
        match &mut field.value {
            FieldValue::Choice { .. } => match key.code {
                KeyCode::Char(' ') | KeyCode::Right => self.cycle(1),
                KeyCode::Left => self.cycle(-1),
                _ => false,
            },
            FieldValue::Text(input) => {
                let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
                if replace && !ctrl && matches!(key.code, KeyCode::Char(_)) {
                    // The first character typed into a selected value replaces it.
                    input.reset();
                }
                let req = match key.code {
                    KeyCode::Char('u') if ctrl => InputRequest::DeleteLine,
                    KeyCode::Char('w') if ctrl => InputRequest::DeletePrevWord,
                    KeyCode::Char('a') if ctrl => InputRequest::GoToStart,
                    KeyCode::Char('e') if ctrl => InputRequest::GoToEnd,
                    KeyCode::Char('k') if ctrl => InputRequest::DeleteTillEnd,
                    KeyCode::Char(_) if ctrl => return false,
                    KeyCode::Char(c) => InputRequest::InsertChar(c),
                    KeyCode::Backspace => InputRequest::DeletePrevChar,
                    KeyCode::Delete => InputRequest::DeleteNextChar,
                    KeyCode::Left => InputRequest::GoToPrevChar,
                    KeyCode::Right => InputRequest::GoToNextChar,
                    KeyCode::Home => InputRequest::GoToStart,
                    KeyCode::End => InputRequest::GoToEnd,
                    _ => return false,
                };
                if input.handle(req).is_some_and(|r| r.value) {
                    field.error = None;
                    self.dirty = true;
                }
                true
            }
        }
    }

    /// Shows each refused field's message under it and moves to the first.
    pub fn show_errors(&mut self, e: &ValidationError) {
        let mut first = None;
        for (i, f) in self.fields.iter_mut().enumerate() {
            f.error = e.for_field(f.key).map(str::to_string);
            if f.error.is_some() && first.is_none() {
                first = Some(i);
            }
        }
        if let Some(i) = first {
            self.focus = i;
        }
        let n = e.errors.len();
        self.banner = Some(if n == 1 {
            "One field needs a look before this can be saved.".into()
        } else {
            format!("{n} fields need a look before this can be saved.")
        });
    }

    /// Rows the form needs at `width` columns: each field's value rows (a choice too long for
    /// one line wraps), then its hint or error, and the banner.
    pub fn height(&self, width: u16) -> u16 {
        let (_, value_w) = self.columns(width);
        self.fields
            .iter()
            .map(|f| f.rows_at(value_w) + 1)
            .sum::<u16>()
            + 2
    }

    /// The label column's and the value column's widths in `width` columns.
    fn columns(&self, width: u16) -> (u16, u16) {
        let label_w: u16 = self
            .fields
            .iter()
            .map(|f| f.label.chars().count() as u16)
            .max()
            .unwrap_or(8)
            + 2;
        (label_w, width.saturating_sub(label_w + 1))
    }

    /// Draws the form in a framed box `width` wide, centred over `area`, titled with the form's
    /// title; returns where the cursor belongs.
    pub fn render_popup(
        &self,
        area: Rect,
        width: u16,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        let inner_w = width.min(area.width).saturating_sub(2);
        let rect = super::popup::centered(area, width, self.height(inner_w) + 2);
        let inner = super::popup::frame(rect, buf, &self.title(names), theme);
        let (cursor, shown) = self.draw(inner, buf, theme, names);
        // Fields out of sight: the frame says which are shown (Tab moves on and scrolls).
        let n = self.fields.len();
        if shown.start > 0 || shown.end < n {
            let arrows = match (shown.start > 0, shown.end < n) {
                (true, true) => "↑↓",
                (true, false) => "↑",
                _ => "↓",
            };
            let label = format!(" {arrows} fields {}–{} of {n} ", shown.start + 1, shown.end);
            let w = label.chars().count() as u16;
            if w + 2 <= rect.width {
                buf.set_string(
                    rect.right().saturating_sub(w + 2),
                    rect.bottom().saturating_sub(1),
                    label,
                    theme.key,
                );
            }
        }
        cursor
    }

    /// Draws the form; returns where the cursor belongs (the focused text field).
    pub fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        self.draw(area, buf, theme, names).0
    }

    /// Draws the form; returns where the cursor belongs and which fields were shown whole.
    fn draw(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> (Option<Position>, std::ops::Range<usize>) {
        let (label_w, value_w) = self.columns(area.width);
        let mut y = area.y;
        let mut cursor = None;
        if let Some(b) = &self.banner {
            Paragraph::new(Line::from(Span::styled(b.as_str(), theme.error)))
                .render(Rect::new(area.x, y, area.width, 1), buf);
        }
        y += 2;
        let value_x = area.x + label_w;
        // Keep the focused field in view when the area is short: skip fields from the top
        // until everything up to the focused one fits.
        let room = area.height.saturating_sub(2);
        let mut skip = 0;
        while skip < self.focus
            && self.fields[skip..=self.focus]
                .iter()
                .map(|f| f.rows_at(value_w) + 1)
                .sum::<u16>()
                > room
        {
            skip += 1;
        }
        let mut shown = skip..skip;
        for (i, f) in self.fields.iter().enumerate().skip(skip) {
            let rows = f.rows_at(value_w);
            let rows_per = rows + 1;
            if y + rows_per > area.y + area.height {
                break;
            }
            shown.end = i + 1;
            let focused = i == self.focus;
            let label_style = if focused { theme.title } else { theme.base };
            Paragraph::new(Span::styled(f.label, label_style))
                .render(Rect::new(area.x, y, label_w, 1), buf);
            let field_area = Rect::new(value_x, y, value_w, rows);
            match &f.value {
                FieldValue::Text(input) if names.private && f.private != Private::No => {
                    // A client's own value in privacy mode: masked whole, never scrolled.
                    let shown = match f.private {
                        Private::Email => names.email(input.value()),
                        Private::People => names.people(input.value()),
                        _ => names.client(input.value()),
                    };
                    let style = if focused { theme.input } else { theme.base };
                    buf.set_style(field_area, style);
                    Paragraph::new(shown.into_owned())
                        .style(style)
                        .render(field_area, buf);
                }
                FieldValue::Text(input) if f.rows > 1 => {
                    let style = if focused { theme.input } else { theme.base };
                    buf.set_style(field_area, style);
                    let text: Vec<char> = input.value().chars().collect();
                    let starts = wrap_starts(&text, value_w.max(1) as usize);
                    let at = input.cursor().min(text.len());
                    let line = starts.iter().rposition(|&s| s <= at).unwrap_or(0);
                    let first = line.saturating_sub(usize::from(f.rows) - 1);
                    for (row, &start) in starts.iter().enumerate().skip(first).take(f.rows.into()) {
                        let end = starts.get(row + 1).copied().unwrap_or(text.len());
                        let shown: String = text[start..end].iter().collect();
                        let ry = y + (row - first) as u16;
                        buf.set_stringn(value_x, ry, shown.trim_end(), value_w.into(), style);
                    }
                    if focused {
                        let col = (at - starts[line]) as u16;
                        cursor = Some(Position::new(
                            value_x + col.min(value_w.saturating_sub(1)),
                            y + (line - first) as u16,
                        ));
                    }
                }
                FieldValue::Text(input) => {
                    let scroll = input.visual_scroll(value_w.saturating_sub(1) as usize);
                    let shown: String = input
                        .value()
                        .chars()
                        .skip(scroll)
                        .take(value_w as usize)
                        .collect();
                    let style = if focused { theme.input } else { theme.base };
                    buf.set_style(field_area, style);
                    let shown_style = if focused && self.value_selected() {
                        theme.selected
                    } else {
                        style
                    };
                    Paragraph::new(Span::styled(shown, shown_style))
                        .style(style)
                        .render(field_area, buf);
                    if focused {
                        let cx = (input.visual_cursor().saturating_sub(scroll)) as u16;
                        cursor = Some(Position::new(
                            value_x + cx.min(value_w.saturating_sub(1)),
                            y,
                        ));
                    }
                }
                FieldValue::Choice { options, selected } => {
                    // Every choice is on screen (wrapped over rows when the line is too
                    // short), so the selected one is always visible.
                    let lines: Vec<Line> = choice_lines(options, value_w)
                        .into_iter()
                        .map(|row| {
                            Line::from(
                                row.map(|j| {
                                    let style = if j == *selected {
                                        if focused { theme.selected } else { theme.title }
                                    } else {
                                        theme.muted
                                    };
                                    Span::styled(format!(" {} ", options[j]), style)
                                })
                                .collect::<Vec<_>>(),
                            )
                        })
                        .collect();
                    Paragraph::new(lines).render(field_area, buf);
                }
            }
            let (note, style) = match &f.error {
                Some(e) => (format!("⚠ {} {e}", f.label), theme.error),
                None if focused => (f.hint.to_string(), theme.muted),
                None => (String::new(), theme.muted),
            };
            Paragraph::new(Span::styled(note, style))
                .render(Rect::new(value_x, y + rows, value_w, 1), buf);
            y += rows_per;
        }
        (cursor, shown)
    }
}

impl Field {
    /// Rows the value takes in `width` columns: a choice whose options don't fit on one line
    /// takes a row for each line they wrap to.
    fn rows_at(&self, width: u16) -> u16 {
        match &self.value {
            FieldValue::Choice { options, .. } => choice_lines(options, width).len().max(1) as u16,
            FieldValue::Text(_) => self.rows,
        }
    }
}

/// The options of a choice laid out in `width` columns: each row the range of options on it,
/// wrapped between options (each drawn as ` option `).
fn choice_lines(options: &[&str], width: u16) -> Vec<std::ops::Range<usize>> {
    let width = usize::from(width.max(1));
    let mut rows = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (j, o) in options.iter().enumerate() {
        let w = o.chars().count() + 2;
        if j > start && used + w > width {
            rows.push(start..j);
            (start, used) = (j, 0);
        }
        used += w;
    }
    rows.push(start..options.len());
    rows
}

/// Where each wrapped row of `text` starts (char offsets), breaking after the last space that
/// fits in `width`, or at `width` inside a word longer than a row. A row holds at most
/// `width - 1` characters, so the cursor always has a cell after the last one.
fn wrap_starts(text: &[char], width: usize) -> Vec<usize> {
    let fit = width.saturating_sub(1).max(1);
    let mut starts = vec![0];
    let mut start = 0;
    while text.len() - start > fit {
        let window = &text[start..start + fit + 1];
        let cut = match window.iter().rposition(|c| *c == ' ') {
            Some(sp) if sp > 0 => start + sp + 1,
            _ => start + fit,
        };
        starts.push(cut);
        start = cut;
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn the_shared_form_keys_move_cycle_type_and_hand_back_enter_and_esc() {
        let mut f = Form::new(
            "t",
            vec![
                Field::text("name", "Name", "", ""),
                Field::choice("how", "How", vec!["a", "b", "c"], 0, ""),
            ],
        );
        let none = key(KeyCode::Null);
        assert_eq!(f.handle(None, &key(KeyCode::Char('Z'))), FormKey::Edited);
        assert_eq!(f.text("name"), "Z");
        assert_eq!(f.handle(Some(Action::NextField), &none), FormKey::Edited);
        assert_eq!(f.focus, 1);
        assert_eq!(f.handle(Some(Action::ChoicePrev), &none), FormKey::Edited);
        assert_eq!(f.choice("how"), 2);
        assert_eq!(f.handle(Some(Action::PrevField), &none), FormKey::Edited);
        assert_eq!(f.focus, 0);
        assert_eq!(f.handle(Some(Action::Submit), &none), FormKey::Submit);
        assert_eq!(f.handle(Some(Action::Back), &none), FormKey::Back);
        assert!(f.dirty);
    }

    #[test]
    fn typing_edits_the_focused_field_and_marks_dirty() {
        let mut f = Form::new(
            "t",
            vec![
                Field::text("name", "Name", "", ""),
                Field::choice("c", "C", vec!["a", "b"], 0, ""),
            ],
        );
        for c in "Zoë".chars() {
            assert!(f.type_key(&key(KeyCode::Char(c))));
        }
        assert_eq!(f.text("name"), "Zoë");
        assert!(f.dirty);
        f.next_field();
        assert!(f.type_key(&key(KeyCode::Char(' '))));
        assert_eq!(f.choice("c"), 1);
        assert!(f.type_key(&key(KeyCode::Right)));
        assert_eq!(f.choice("c"), 0);
    }

    #[test]
    fn a_long_text_wraps_at_words_and_the_cursor_follows() {
        let text: Vec<char> = "You can cancel up to a day before".chars().collect();
        let starts = wrap_starts(&text, 12);
        let rows: Vec<String> = starts
            .iter()
            .enumerate()
            .map(|(i, &s)| {
                let e = starts.get(i + 1).copied().unwrap_or(text.len());
                text[s..e].iter().collect()
            })
            .collect();
        assert_eq!(rows, ["You can ", "cancel up ", "to a day ", "before"]);
        assert_eq!(
            wrap_starts(&"abcdefghij".chars().collect::<Vec<_>>(), 5),
            [0, 4, 8]
        );
        assert_eq!(wrap_starts(&[], 5), [0]);

        let mut f = Form::new("t", vec![Field::long_text("answer", "Answer", "", "", 3)]);
        assert_eq!(f.height(20), 3 + 1 + 2);
        for c in "You can cancel up to a day before".chars() {
            f.type_key(&key(KeyCode::Char(c)));
        }
        let theme = Theme::new(crate::config::ThemeName::default(), true);
        let area = Rect::new(0, 0, 20, 6);
        let mut buf = Buffer::empty(area);
        let cursor = f.render(area, &mut buf, &theme, Names::default()).unwrap();
        let row = |y: u16| -> String {
            (8..20)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
        };
        // Label column is "Answer" + 2; the last three of four rows are shown, cursor on the last.
        assert_eq!(row(2).trim_end(), "cancel up");
        assert_eq!(row(4).trim_end(), "before");
        assert_eq!(cursor, Position::new(8 + 6, 4));
    }

    #[test]
    fn errors_land_on_their_fields() {
        let mut f = Form::new(
            "t",
            vec![
                Field::text("name", "Name", "", ""),
                Field::text("email", "Email", "x", ""),
            ],
        );
        f.show_errors(&ValidationError::one("email", "is not an email address"));
        assert_eq!(f.focus, 1);
        assert!(f.fields[1].error.is_some());
        assert!(f.fields[0].error.is_none());
        f.type_key(&key(KeyCode::Char('y')));
        assert!(
            f.fields[1].error.is_none(),
            "typing clears the field's message"
        );
    }
}
