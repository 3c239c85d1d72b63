//! The lock: the screen hidden behind a lock screen after idle minutes or Ctrl-L.
//!
//! (Privacy mode — names as initials — is not here: a client's name becomes screen text in one
//! place, [`super::names::Names`].)

use ratatui::buffer::Buffer;
use ratatui::text::Span;

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
