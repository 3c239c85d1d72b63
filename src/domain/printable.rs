//! Text made safe to print on a terminal: stored text (a note, a goal, a name from an import) can
//! hold escape sequences that would set the clipboard, the window title or clear the screen when
//! printed as they are. [`printable`] removes every escape sequence whole (CSI, OSC, DCS and the
//! other string sequences, in their 7-bit and 8-bit forms) and every other control character but
//! the line feed, the tab
//! and a CR just before a line feed.

use std::borrow::Cow;

const ESC: char = '\u{1b}';
const BEL: char = '\u{7}';

fn is_kept(c: char) -> bool {
    c == '\n' || c == '\t'
}

/// `s` without terminal control sequences. Borrowed when there was nothing to remove.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && !is_kept(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        // What kind of sequence starts here, if any: '[' CSI, ']' OSC, 'P' DCS and the other
        // string sequences ('X' SOS, '^' PM, '_' APC), or a two-character escape.
        let kind = match c {
            ESC => match chars.next() {
                Some(k @ ('[' | ']' | 'P' | 'X' | '^' | '_')) => k,
                _ => continue,
            },
            '\u{9b}' => '[',
            '\u{9d}' => ']',
            '\u{90}' => 'P',
            '\u{98}' => 'X',
            '\u{9e}' => '^',
            '\u{9f}' => '_',
            // A CR that ends a line with its LF (CSV's CRLF) moves nothing: kept.
            '\r' if chars.peek() == Some(&'\n') => {
                out.push('\r');
                continue;
            }
            c if c.is_control() && !is_kept(c) => continue,
            c => {
                out.push(c);
                continue;
            }
        };
        if kind == '[' {
            // Parameters and intermediates, then one final byte in '@'..='~'.
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
        } else {
            // A string, ended by BEL, ST (ESC \) or the 8-bit ST.
            while let Some(c) = chars.next() {
                if c == BEL || c == '\u{9c}' {
                    break;
                }
                if c == ESC {
                    if chars.peek() == Some(&'\\') {
                        chars.next();
                    }
                    break;
                }
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_removed_whole() {
        let cases = [
            // Clipboard write (OSC 52), ended by BEL and by ST.
            ("a\u{1b}]52;c;ZXZpbA==\u{7}b", "ab"),
            ("a\u{1b}]52;c;ZXZpbA==\u{1b}\\b", "ab"),
            // Window title, clear screen, colour.
            ("\u{1b}]0;pwned\u{7}Note", "Note"),
            ("x\u{1b}[2J\u{1b}[Hy", "xy"),
            ("\u{1b}[1;31mred\u{1b}[0m", "red"),
            // 8-bit CSI and OSC.
            ("p\u{9b}2Jq", "pq"),
            ("p\u{9d}0;t\u{9c}q", "pq"),
            // DCS string, a two-character escape, a bell, a CR, a backspace.
            ("\u{1b}Pq#0\u{1b}\\ok", "ok"),
            ("\u{1b}creset", "reset"),
            ("ding\u{7}\r\u{8}", "ding"),
            // Lines and tabs stay; text that needs nothing is borrowed.
            ("two\nlines\tand a tab", "two\nlines\tand a tab"),
            ("a,b\r\nc,d\r\n", "a,b\r\nc,d\r\n"),
            ("over\rwrite\r", "overwrite"),
            ("Zoë 李", "Zoë 李"),
            // An unterminated sequence takes the rest with it, never the escape alone.
            ("cut\u{1b}]0;never ends", "cut"),
        ];
        for (input, want) in cases {
            assert_eq!(printable(input), want, "{input:?}");
        }
        assert!(matches!(printable("plain"), Cow::Borrowed(_)));
    }
}
