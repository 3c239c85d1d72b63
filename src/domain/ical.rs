//! Writing iCalendar (RFC 5545) text: CRLF lines folded at 75 octets, TEXT values escaped, times
//! floating (the practitioner's local wall-clock time, no time zone), and `VALARM` reminders.
//! Written here rather than through a general crate so that the bytes are fully ours: the same
//! sessions and the same clock always give the same file.

use chrono::{DateTime, NaiveDateTime, Utc};

/// One event of the calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct CalEvent {
    pub uid: String,
    pub summary: String,
    pub description: Option<String>,
    pub location: Option<String>,
    /// Floating local time.
    pub starts: NaiveDateTime,
    pub ends: NaiveDateTime,
    pub cancelled: bool,
    pub sequence: u32,
    pub last_modified: Option<DateTime<Utc>>,
}

/// A reminder before the start, in minutes (`--remind 15m`, `2h`, `1d`, `1w`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reminder {
    pub minutes: u32,
}

impl Reminder {
    /// Reads `15m`, `2h`, `1d` or `1w` (a whole number and a unit; at most four weeks).
    pub fn parse(input: &str) -> Result<Reminder, String> {
        let s = input.trim();
        let bad = || {
            format!(
                "\"{input}\" is not a reminder time: give a number and m, h, d or w (e.g. 15m, 2h, 1d)"
            )
        };
        let unit = s.chars().last().ok_or_else(bad)?;
        let per = match unit.to_ascii_lowercase() {
            'm' => 1,
            'h' => 60,
            'd' => 60 * 24,
            'w' => 60 * 24 * 7,
            _ => return Err(bad()),
        };
        let n: u32 = s[..s.len() - unit.len_utf8()].parse().map_err(|_| bad())?;
        let minutes = n.checked_mul(per).ok_or_else(bad)?;
        if minutes == 0 || minutes > 4 * 7 * 24 * 60 {
            return Err(format!(
                "\"{input}\": a reminder is between 1 minute and 4 weeks before the session"
            ));
        }
        Ok(Reminder { minutes })
    }

    /// The `TRIGGER` value: a negative duration before the start (`-PT15M`, `-PT2H`, `-P1D`).
    pub fn trigger(self) -> String {
        let m = self.minutes;
        if m.is_multiple_of(60 * 24 * 7) {
            format!("-P{}W", m / (60 * 24 * 7))
        } else if m.is_multiple_of(60 * 24) {
            format!("-P{}D", m / (60 * 24))
        } else if m.is_multiple_of(60) {
            format!("-PT{}H", m / 60)
        } else {
            format!("-PT{m}M")
        }
    }
}

/// Escapes a TEXT value: backslash, semicolon, comma and line breaks (a bare CR too, which
/// calendar programs would otherwise read as the end of the line); other control characters
/// are dropped.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded at 75 octets (never inside a UTF-8 character), with CRLF.
fn line(out: &mut String, text: &str) {
    let mut width = 0;
    for c in text.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

fn local(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The whole calendar. `prodid` names the program and its version; `stamp` is the moment of the
/// export (`DTSTAMP`). Reminders go on every event that is not cancelled.
pub fn calendar(
    name: &str,
    prodid: &str,
    events: &[CalEvent],
    reminders: &[Reminder],
    stamp: DateTime<Utc>,
) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, &format!("PRODID:{prodid}"));
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, &format!("NAME:{}", escape_text(name)));
    line(&mut out, &format!("X-WR-CALNAME:{}", escape_text(name)));
    for e in events {
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{}", escape_text(&e.uid)));
        line(&mut out, &format!("DTSTAMP:{}", utc(stamp)));
        line(&mut out, &format!("DTSTART:{}", local(e.starts)));
        line(&mut out, &format!("DTEND:{}", local(e.ends)));
        line(&mut out, &format!("SEQUENCE:{}", e.sequence));
        if let Some(m) = e.last_modified {
            line(&mut out, &format!("LAST-MODIFIED:{}", utc(m)));
        }
        let status = if e.cancelled {
            "CANCELLED"
        } else {
            "CONFIRMED"
        };
        line(&mut out, &format!("STATUS:{status}"));
        line(&mut out, &format!("SUMMARY:{}", escape_text(&e.summary)));
        if let Some(d) = &e.description {
            line(&mut out, &format!("DESCRIPTION:{}", escape_text(d)));
        }
        if let Some(l) = &e.location {
            line(&mut out, &format!("LOCATION:{}", escape_text(l)));
        }
        if !e.cancelled {
            for r in reminders {
                line(&mut out, "BEGIN:VALARM");
                line(&mut out, "ACTION:DISPLAY");
                line(&mut out, &format!("TRIGGER:{}", r.trigger()));
                line(
                    &mut out,
                    &format!("DESCRIPTION:{}", escape_text(&e.summary)),
                );
                line(&mut out, "END:VALARM");
            }
        }
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reminders_read_and_write_their_trigger() {
        let cases = [
            ("15m", 15, "-PT15M"),
            ("2h", 120, "-PT2H"),
            ("24h", 1440, "-P1D"),
            ("1d", 1440, "-P1D"),
            ("90m", 90, "-PT90M"),
            ("1w", 10080, "-P1W"),
        ];
        for (input, minutes, trigger) in cases {
            let r = Reminder::parse(input).unwrap();
            assert_eq!(r.minutes, minutes, "{input}");
            assert_eq!(r.trigger(), trigger, "{input}");
        }
        for bad in [
            "",
            "15",
            "m",
            "1y",
            "-5m",
            "0h",
            "5w",
            "1.5h",
            "99999999999d",
        ] {
            assert!(Reminder::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn text_is_escaped_and_a_bare_cr_cannot_end_a_line() {
        assert_eq!(escape_text("a,b;c\\d"), "a\\,b\\;c\\\\d");
        assert_eq!(
            escape_text("one\rtwo\r\nthree\nfour"),
            "one\\ntwo\\nthree\\nfour"
        );
        assert_eq!(escape_text("bell\u{7}\u{1b}[2J"), "bell[2J");
    }

    #[test]
    fn long_lines_fold_at_75_octets_on_character_boundaries() {
        let mut out = String::new();
        let text = format!("SUMMARY:{}", "é".repeat(60));
        line(&mut out, &text);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{text}\r\n"));
    }
}
