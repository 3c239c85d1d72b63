//! The rules every stored value must keep, whatever wrote it: the same limits the app and the
//! command line apply when a record is typed in, used again by `caseload check` on what the file
//! holds and by `import` on what an export brings.

use super::time;

/// The most any text value may hold, in characters (a whole note, all sections together, is the
/// longest thing caseload writes).
pub const MAX_ANY_TEXT: usize = 200_000;

/// The most characters a stored text value of `table.column` may hold.
pub fn text_limit(table: &str, column: &str) -> usize {
    match (table, column) {
        ("clients", "name") => super::client::MAX_NAME_CHARS,
        ("clients", "preferred_name" | "pronouns") => 100,
        ("clients", "phone") => 40,
        ("clients", "email") => 254,
        ("clients", "emergency_contact") => 300,
        ("note_addenda", "text") => 20_000,
        ("goals", "text") => super::goal::MAX_GOAL_CHARS,
        ("qa_items", "question") => super::practice::MAX_QUESTION_CHARS,
        ("qa_items", "answer") => super::practice::MAX_ANSWER_CHARS,
        ("cancellations", "note") => super::cancellation::MAX_NOTE_CHARS,
        // A note's sections are stored as one JSON object: its escaping can double the text.
        ("notes", "body") => 2 * MAX_ANY_TEXT + 1_000,
        _ => MAX_ANY_TEXT,
    }
}

/// Whether a text value of `table.column` may span lines (notes, addenda, answers, reasons).
pub fn multi_line(table: &str, column: &str) -> bool {
    !matches!(
        (table, column),
        (
            "clients",
            "name" | "preferred_name" | "pronouns" | "phone" | "email"
        )
    ) && !is_time_column(column)
}

/// What a column's name says its values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// `…_at`: a moment (UTC instant), a wall-clock local time, or a day.
    Time,
    /// `…_on`, `…_date`, `born`: a day.
    Date,
    Other,
}

fn is_time_column(column: &str) -> bool {
    column.ends_with("_at")
        || column.ends_with("_on")
        || column.ends_with("_date")
        || column == "born"
}

pub fn column_kind(column: &str) -> ColumnKind {
    if column.ends_with("_at") || column == "at" {
        ColumnKind::Time
    } else if is_time_column(column) {
        ColumnKind::Date
    } else {
        ColumnKind::Other
    }
}

/// The problem with one stored text value, in words (`None` when it keeps the rules).
pub fn text_problem(table: &str, column: &str, value: &str) -> Option<String> {
    ColumnRule::of(table, column).problem(column, value)
}

/// The rules for the text values of one column, worked out once for a whole table's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnRule {
    pub limit: usize,
    pub lines_ok: bool,
    pub kind: ColumnKind,
}

impl ColumnRule {
    pub fn of(table: &str, column: &str) -> ColumnRule {
        ColumnRule {
            limit: text_limit(table, column),
            lines_ok: multi_line(table, column),
            kind: column_kind(column),
        }
    }

    /// Whether `value` keeps the rules: one pass over its bytes, and no allocation.
    /// Exactly when [`ColumnRule::problem`] finds nothing.
    pub fn allows(&self, value: &str) -> bool {
        // A character is at least one byte: a value no longer in bytes than the limit is in.
        if value.len() > self.limit && value.chars().take(self.limit + 1).count() > self.limit {
            return false;
        }
        if has_control(value, self.lines_ok) {
            return false;
        }
        match self.kind {
            ColumnKind::Time => {
                time::read_stored_instant(value).is_some()
                    || time::read_stored_local(value).is_some()
                    || time::read_stored_date(value).is_some()
            }
            ColumnKind::Date => time::read_stored_date(value).is_some(),
            ColumnKind::Other => true,
        }
    }

    /// What is wrong with `value` (of `column`), in words.
    pub fn problem(&self, column: &str, value: &str) -> Option<String> {
        let limit = self.limit;
        // Counting stops past the limit: a huge value costs no more than the limit to refuse.
        let len = value.chars().take(limit + 1).count();
        if len > limit {
            return Some(format!(
                "{column} is too long (more than {limit} characters; at most {limit})"
            ));
        }
        let lines_ok = self.lines_ok;
        if has_control(value, lines_ok) {
            return Some(format!(
                "{column} holds control characters{}",
                if lines_ok {
                    ""
                } else {
                    " (it must be on one line)"
                }
            ));
        }
        match self.kind {
            ColumnKind::Time
                if time::read_stored_instant(value).is_none()
                    && time::read_stored_local(value).is_none()
                    && time::read_stored_date(value).is_none() =>
            {
                Some(format!("{column} “{}” is not a valid time", short(value)))
            }
            ColumnKind::Date if time::read_stored_date(value).is_none() => {
                Some(format!("{column} “{}” is not a valid date", short(value)))
            }
            _ => None,
        }
    }
}

/// Whether `value` holds a control character (Unicode Cc: U+0000–U+001F, U+007F–U+009F), other
/// than a line break or tab where lines are allowed. Read as bytes: U+0080–U+009F are the UTF-8
/// pairs C2 80 to C2 9F.
fn has_control(value: &str, lines_ok: bool) -> bool {
    let b = value.as_bytes();
    b.iter().enumerate().any(|(i, &c)| match c {
        b'\n' | b'\t' | b'\r' => !lines_ok,
        0..=0x1f | 0x7f => true,
        0xc2 => b.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)),
        _ => false,
    })
}

/// The first few characters of a value, for a message.
fn short(value: &str) -> String {
    let mut s: String = value.chars().take(40).collect();
    if value.chars().nth(40).is_some() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_kinds_follow_the_forms() {
        assert_eq!(text_problem("clients", "name", "Ada Lovelace"), None);
        let long = "x".repeat(201);
        assert_eq!(
            text_problem("clients", "name", &long).as_deref(),
            Some("name is too long (more than 200 characters; at most 200)")
        );
        assert_eq!(
            text_problem("clients", "name", "Ada\nLovelace").as_deref(),
            Some("name holds control characters (it must be on one line)")
        );
        assert_eq!(text_problem("note_addenda", "text", "one\ntwo"), None);
        assert_eq!(
            text_problem("note_addenda", "text", "bell\u{7}").as_deref(),
            Some("text holds control characters")
        );
        assert_eq!(
            text_problem("sessions", "starts_at", "2026-02-30T10:00").as_deref(),
            Some("starts_at “2026-02-30T10:00” is not a valid time")
        );
        assert_eq!(
            text_problem("sessions", "starts_at", "2026-02-27T10:00"),
            None
        );
        assert_eq!(text_problem("audit", "at", "2026-02-27T10:00:00Z"), None);
        assert_eq!(
            text_problem("goals", "set_on", "2026-13-01").as_deref(),
            Some("set_on “2026-13-01” is not a valid date")
        );
        assert_eq!(column_kind("signed_at"), ColumnKind::Time);
        assert_eq!(column_kind("born"), ColumnKind::Date);
        assert_eq!(column_kind("name"), ColumnKind::Other);
    }

    #[test]
    fn the_fast_check_agrees_with_the_words_and_with_char_is_control() {
        let rule = ColumnRule::of("clients", "name");
        let lines = ColumnRule::of("note_addenda", "text");
        for c in (0u32..0x300)
            .filter_map(char::from_u32)
            .chain(['\u{2028}', '€', '😀'])
        {
            let v = format!("a{c}b");
            for r in [rule, lines] {
                let expected = c.is_control() && !(r.lines_ok && matches!(c, '\n' | '\t' | '\r'));
                assert_eq!(has_control(&v, r.lines_ok), expected, "{:?}", c);
                assert_eq!(r.allows(&v), r.problem("x", &v).is_none(), "{:?}", c);
            }
        }
        let long = "é".repeat(150); // 300 bytes, 150 characters: within 200
        assert!(rule.allows(&long));
        assert!(!rule.allows(&"é".repeat(201)));
        let at = ColumnRule::of("sessions", "starts_at");
        for v in [
            "2026-02-27T10:00",
            "2026-02-30T10:00",
            "2026-02-27T10:00:00Z",
            "x",
            "2026-02-27",
        ] {
            assert_eq!(at.allows(v), at.problem("starts_at", v).is_none(), "{v}");
        }
    }
}
