//! Privacy mode and the lock.
//!
//! Privacy mode shows every client name as initials on every screen. It is done once, generically:
//! after a frame is drawn, [`NameMask::apply`] rewrites the frame's buffer, row by row, replacing
//! each client's name as it appears there (full name, "Maria L.", "Mia L.", the given or
//! preferred name alone, and a name cut short with "…") by initials padded to the same width, so
//! the layout holds. Screens know nothing about it, so a new screen cannot forget it.
//!
//! The matcher is built from the client list when the view models are refreshed (after a write,
//! or when privacy is switched on) — never while drawing.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};
use ratatui::buffer::Buffer;
use ratatui::style::Style;
use ratatui::text::Span;

use crate::domain::client::{initials, short_name};

/// Words that are also given names but must stay readable on their own (dates are everywhere).
const CALENDAR_WORDS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// One client's name, as the mask needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaskName {
    pub name: String,
    pub preferred: Option<String>,
    /// Addresses usually spell the name out ("maria.lopez@…"), so they are hidden too.
    pub email: Option<String>,
}

/// Finds client names in a frame and hides them behind initials.
#[derive(Default)]
pub struct NameMask {
    matcher: Option<AhoCorasick>,
    /// The replacement for each pattern, by pattern index.
    replacements: Vec<String>,
}

impl NameMask {
    /// A mask for these clients' names.
    pub fn new(names: &[MaskName]) -> NameMask {
        let mut by_pattern: HashMap<String, String> = HashMap::new();
        let mut add = |pattern: String, with: String| {
            if pattern.chars().count() >= 2 {
                // The first client to claim a pattern keeps it (two "Maria L." are both "M.L.").
                by_pattern.entry(pattern).or_insert(with);
            }
        };
        for n in names {
            let full = n.name.split_whitespace().collect::<Vec<_>>().join(" ");
            if full.is_empty() {
                continue;
            }
            let all = initials(&full);
            let preferred = n
                .preferred
                .as_deref()
                .map(str::trim)
                .filter(|p| !p.is_empty());
            let given = full.split(' ').next().unwrap_or("").to_string();
            let family = full.split(' ').skip(1).collect::<Vec<_>>().join(" ");
            // The long forms, and each of them cut short with "…" (as lists do in narrow columns).
            let mut long = vec![full.clone(), short_name(&full, None)];
            if let Some(p) = preferred {
                long.push(short_name(&full, Some(p)));
                if !family.is_empty() {
                    long.push(format!("{p} {family}"));
                }
            }
            for form in &long {
                add(form.clone(), all.clone());
                let chars: Vec<char> = form.chars().collect();
                let first_word = form.split(' ').next().unwrap_or("").chars().count();
                for end in 2..chars.len() {
                    let cut: String = chars[..end].iter().collect();
                    let cut = cut.trim_end();
                    // Cut short by a list ("Maria Lo…") …
                    add(format!("{cut}…"), all.clone());
                    // … or by a dialog drawn over it ("Maria Lo│"): past the first word only,
                    // and as a whole word (see `matches_in`).
                    if end > first_word + 1 {
                        add(cut.to_string(), all.clone());
                    }
                }
            }
            // The given, preferred and family names alone ("Maria's phone"): their initial.
            let last = family.split(' ').next_back().unwrap_or("");
            for alone in [given.as_str(), family.as_str(), last]
                .into_iter()
                .chain(preferred)
            {
                if CALENDAR_WORDS.contains(&alone.to_lowercase().as_str()) {
                    continue;
                }
                add(alone.to_string(), initials(alone));
            }
            if let Some(e) = n.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
                add(e.to_string(), all.clone());
            }
        }
        let mut patterns: Vec<(String, String)> = by_pattern.into_iter().collect();
        patterns.sort();
        let matcher = if patterns.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(patterns.iter().map(|(p, _)| p))
                .ok()
        };
        NameMask {
            matcher,
            replacements: patterns.into_iter().map(|(_, r)| r).collect(),
        }
    }

    /// How many patterns the mask looks for.
    pub fn len(&self) -> usize {
        self.replacements.len()
    }

    pub fn is_empty(&self) -> bool {
        self.replacements.is_empty()
    }

    /// Rewrites every row of the buffer, replacing each name by its initials.
    pub fn apply(&self, buf: &mut Buffer) {
        let Some(ac) = &self.matcher else {
            return;
        };
        let area = buf.area;
        let mut row = String::new();
        // (byte offset in `row`, x of the cell) for each cell whose symbol is in `row`.
        let mut cells: Vec<(usize, u16)> = Vec::with_capacity(usize::from(area.width) + 1);
        for y in area.top()..area.bottom() {
            row.clear();
            cells.clear();
            let mut x = area.left();
            while x < area.right() {
                let sym = buf[(x, y)].symbol();
                cells.push((row.len(), x));
                row.push_str(sym);
                // A wide character covers the cells after it: they are not part of the text.
                let w = Span::raw(sym).width().max(1) as u16;
                x = x.saturating_add(w);
            }
            cells.push((row.len(), area.right()));
            let found = self.matches_in(ac, &row);
            for (start, end, pattern) in found {
                let (Ok(a), Ok(b)) = (
                    cells.binary_search_by_key(&start, |c| c.0),
                    cells.binary_search_by_key(&end, |c| c.0),
                ) else {
                    continue; // not on cell boundaries
                };
                let (x0, x1) = (cells[a].1, cells[b].1);
                let with = self
                    .replacements
                    .get(pattern)
                    .map(String::as_str)
                    .unwrap_or("");
                for cx in x0..x1 {
                    buf[(cx, y)].set_symbol(" ");
                }
                buf.set_stringn(x0, y, with, usize::from(x1 - x0), Style::default());
            }
        }
    }

    /// The names in one row of text: (start, end, pattern), whole words only, longest first at
    /// a place, never overlapping.
    fn matches_in(&self, ac: &AhoCorasick, row: &str) -> Vec<(usize, usize, usize)> {
        let mut all: Vec<(usize, usize, usize)> = ac
            .find_overlapping_iter(row)
            .filter(|m| {
                let before = row[..m.start()].chars().next_back();
                let after = row[m.end()..].chars().next();
                let ends_cut = row[..m.end()].ends_with('…');
                !before.is_some_and(char::is_alphanumeric)
                    && (ends_cut || !after.is_some_and(char::is_alphanumeric))
            })
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        all.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut out = Vec::with_capacity(all.len());
        let mut taken_to = 0;
        for m in all {
            if m.0 >= taken_to {
                taken_to = m.1;
                out.push(m);
            }
        }
        out
    }

    /// Rewrites one line of plain text the way [`NameMask::apply`] rewrites a row (for tests and
    /// for anything drawn outside the frame).
    pub fn mask_text(&self, text: &str) -> String {
        let width = Span::raw(text).width() as u16;
        let mut buf = Buffer::empty(ratatui::layout::Rect::new(0, 0, width.max(1), 1));
        buf.set_string(0, 0, text, Style::default());
        self.apply(&mut buf);
        let mut out = String::new();
        let mut x = 0;
        while x < buf.area.width {
            let sym = buf[(x, 0)].symbol();
            out.push_str(sym);
            x += Span::raw(sym).width().max(1) as u16;
        }
        out
    }
}

/// How the lock screen is opened again.
///
/// **Hook for encryption.** A plain practice file unlocks with any key ([`Unlock::AnyKey`], the
/// default). When the file is encrypted, whoever opens it sets
/// `app.unlock = Unlock::Passphrase(Box::new(move |typed| /* true when `typed` opens the file */))`
/// before `App::run`: the lock screen then asks for the passphrase (typed without echo, Enter
/// checks it, Esc clears it) and stays locked until the function says yes. The function is
/// called only on Enter, with exactly what was typed; it must not panic and should be quick
/// (compare against a key already derived, not a fresh key derivation, where possible).
#[derive(Default)]
pub enum Unlock {
    /// Any key opens the lock screen again.
    #[default]
    AnyKey,
    /// The passphrase must be typed; the function says whether it is right.
    Passphrase(Box<dyn Fn(&str) -> bool>),
}

impl std::fmt::Debug for Unlock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unlock::AnyKey => f.write_str("AnyKey"),
            Unlock::Passphrase(_) => f.write_str("Passphrase(..)"),
        }
    }
}

/// The lock screen's state while it is up.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Locked {
    /// The passphrase typed so far (only when [`Unlock::Passphrase`]).
    pub typed: String,
    /// Wrong passphrases entered since locking.
    pub wrong: u32,
}

/// What a key on the lock screen did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockKey {
    Unlocked,
    StillLocked,
}

impl Locked {
    /// Handles one key on the lock screen.
    pub fn key(&mut self, unlock: &Unlock, key: &ratatui::crossterm::event::KeyEvent) -> LockKey {
        use ratatui::crossterm::event::{KeyCode, KeyModifiers};
        let Unlock::Passphrase(check) = unlock else {
            return LockKey::Unlocked;
        };
        match key.code {
            KeyCode::Enter => {
                if check(&self.typed) {
                    return LockKey::Unlocked;
                }
                self.wrong = self.wrong.saturating_add(1);
                self.typed.clear();
            }
            KeyCode::Backspace => {
                self.typed.pop();
            }
            KeyCode::Esc => self.typed.clear(),
            KeyCode::Char(c)
                if !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                self.typed.push(c)
            }
            _ => {}
        }
        LockKey::StillLocked
    }

    /// Draws the lock screen over the whole area: nothing of the practice shows.
    pub fn render(
        &self,
        unlock: &Unlock,
        area: ratatui::layout::Rect,
        buf: &mut Buffer,
        theme: &super::theme::Theme,
    ) {
        use ratatui::text::Line;
        use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};
        Clear.render(area, buf);
        buf.set_style(area, theme.base);
        let mut lines = vec![
            Line::from(Span::styled("caseload", theme.title)),
            Line::default(),
        ];
        match unlock {
            Unlock::AnyKey => lines.push(Line::from(Span::styled(
                "Locked · press any key to unlock",
                theme.heading,
            ))),
            Unlock::Passphrase(_) => {
                lines.push(Line::from(Span::styled(
                    "Locked · type your passphrase and press Enter",
                    theme.heading,
                )));
                lines.push(Line::default());
                let dots = "•".repeat(self.typed.chars().count().min(40));
                lines.push(Line::from(Span::styled(
                    format!("[{dots:<40}]"),
                    theme.input,
                )));
                if self.wrong > 0 {
                    lines.push(Line::default());
                    lines.push(Line::from(Span::styled(
                        "That passphrase did not open it. Try again.",
                        theme.error,
                    )));
                }
            }
        }
        let h = (lines.len() as u16).min(area.height);
        let y = area.y + area.height.saturating_sub(h) / 2;
        Paragraph::new(lines)
            .alignment(ratatui::layout::Alignment::Center)
            .wrap(Wrap { trim: true })
            .render(
                ratatui::layout::Rect::new(area.x, y, area.width, area.bottom() - y),
                buf,
            );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(name: &str, preferred: Option<&str>) -> MaskName {
        MaskName {
            name: name.into(),
            preferred: preferred.map(Into::into),
            email: None,
        }
    }

    #[test]
    fn full_short_and_preferred_names_become_initials_of_the_same_width() {
        let m = NameMask::new(&[n("Maria Lopez", Some("Mia")), n("Tom Berg", None)]);
        assert_eq!(
            m.mask_text("10:00 Maria Lopez · video"),
            "10:00 M.L.        · video"
        );
        assert_eq!(m.mask_text("Maria L. and Mia L."), "M.L.     and M.L.  ");
        assert_eq!(m.mask_text("Mia Lopez, Tom Berg"), "M.L.     , T.B.    ");
        assert_eq!(m.mask_text("Call Tom's phone"), "Call T. 's phone");
        // Cut short in a narrow column.
        assert_eq!(m.mask_text("│Maria Lo…│"), "│M.L.     │");
        // Cut by a dialog's border.
        assert_eq!(m.mask_text("│  Tom Be│ x"), "│  T.B.  │ x");
        // The family name alone, and an address.
        let m2 = NameMask::new(&[MaskName {
            email: Some("maria.lopez@example.org".into()),
            ..n("Maria Lopez", None)
        }]);
        assert_eq!(
            m2.mask_text("Lopez: maria.lopez@example.org;"),
            "L.   : M.L.                   ;"
        );
        // Only whole words: "Tomorrow" and "Mariam" are not names here.
        assert_eq!(m.mask_text("Tomorrow Mariam"), "Tomorrow Mariam");
        // The width of every row is kept.
        let row = "Maria Lopez Tom Berg Mia";
        assert_eq!(
            m.mask_text(row).chars().count(),
            row.chars().count(),
            "{}",
            m.mask_text(row)
        );
    }

    #[test]
    fn a_name_that_is_a_prefix_of_another_gives_way_to_the_longer_one() {
        let m = NameMask::new(&[
            n("Ann Lee", None),
            n("Anna Leeds", None),
            n("Ann Lee Smith", None),
        ]);
        assert_eq!(m.mask_text("Anna Leeds"), "A.L.      ");
        assert_eq!(m.mask_text("Ann Lee Smith"), "A.L.S.       ");
        assert_eq!(m.mask_text("Ann Lee"), "A.L.   ");
        assert_eq!(m.mask_text("Ann Lee, Anna"), "A.L.   , A.  ");
    }

    #[test]
    fn month_names_stay_readable_and_wide_characters_keep_their_cells() {
        let m = NameMask::new(&[n("June Carter", None), n("王 小明", None)]);
        assert_eq!(m.mask_text("3 June 2026"), "3 June 2026");
        assert_eq!(m.mask_text("June Carter"), "J.C.       ");
        // "王 小明" is 2 + 1 + 4 = 7 cells wide; its initials fill them.
        let masked = m.mask_text("→ 王 小明 ←");
        assert!(!masked.contains('明'), "{masked}");
        assert!(masked.starts_with("→ 王.小."), "{masked}");
        assert_eq!(Span::raw(masked.as_str()).width(), 11);
    }

    #[test]
    fn no_clients_no_change() {
        let m = NameMask::new(&[]);
        assert!(m.is_empty());
        assert_eq!(m.mask_text("Maria Lopez"), "Maria Lopez");
    }
}
