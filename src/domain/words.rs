//! Stored values in the words a practitioner reads: counts with the right plural, and the audit
//! trail's machine words (`referred_out: needs_outside_scope`) as sentences.

use chrono::NaiveDate;

use crate::domain::boundary::BoundaryKind;
use crate::domain::cancellation::{CancelOutcome, Reason};
use crate::domain::client::ClientStatus;
use crate::domain::discharge::DischargeReason;
use crate::domain::goal::GoalStatus;
use crate::domain::session::{Modality, SessionStatus};

/// `1 session`, `6 sessions`, `0 sessions`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A label as it reads inside a sentence: "Referred out" → "referred out" (an acronym such as
/// "PHQ-9" keeps its capitals).
pub fn in_sentence(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(label.chars().skip(1)).collect()
        }
        _ => label.to_string(),
    }
}

/// The label of a stored word, looked up in the enumerations an audit entry of `action` speaks
/// of (all of them for an action not named here); `None` when it is no such word.
fn label_of(action: &str, word: &str) -> Option<&'static str> {
    fn find<T: std::str::FromStr + Copy>(
        w: &str,
        label: fn(T) -> &'static str,
    ) -> Option<&'static str> {
        w.parse::<T>().ok().map(label)
    }
    let client = |w: &str| find::<ClientStatus>(w, ClientStatus::label);
    let session = |w: &str| find::<SessionStatus>(w, SessionStatus::label);
    let reason = |w: &str| find::<DischargeReason>(w, DischargeReason::label);
    let outcome = |w: &str| find::<CancelOutcome>(w, CancelOutcome::label);
    let boundary = |w: &str| find::<BoundaryKind>(w, BoundaryKind::label);
    let goal = |w: &str| find::<GoalStatus>(w, GoalStatus::label);
    match action {
        "session_marked" => session(word),
        "goal_status_changed" => goal(word),
        "status_changed" => client(word),
        "discharged" => client(word).or_else(|| reason(word)),
        "cancellation_recorded" | "cancellation_reverted" => outcome(word),
        "boundary_recorded" => boundary(word),
        // Elsewhere only words that can't be plain English (`late_cancelled`) are looked up.
        _ if word.contains('_') => client(word)
            .or_else(|| session(word))
            .or_else(|| reason(word))
            .or_else(|| outcome(word))
            .or_else(|| boundary(word))
            .or_else(|| find::<Reason>(word, Reason::label))
            .or_else(|| find::<Modality>(word, Modality::label)),
        _ => None,
    }
}

/// The detail of an audit entry in words: stored words as their labels, ISO dates (`2026-11-30`)
/// through `date` (the practitioner's date format).
pub fn detail_in_words(action: &str, detail: &str, date: &dyn Fn(NaiveDate) -> String) -> String {
    let mut out = String::with_capacity(detail.len());
    let mut rest = detail;
    while let Some(c) = rest.chars().next() {
        if c.is_ascii_digit()
            && let Some(d) = rest
                .get(..10)
                .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        {
            out.push_str(&date(d));
            rest = &rest[10..];
            continue;
        }
        if c.is_ascii_lowercase() {
            let end = rest
                .find(|ch: char| !(ch.is_ascii_lowercase() || ch == '_'))
                .unwrap_or(rest.len());
            let word = &rest[..end];
            match label_of(action, word) {
                Some(l) => out.push_str(&in_sentence(l)),
                None => out.push_str(&word.replace('_', " ")),
            }
            rest = &rest[end..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// What an audit action did, as a heading: `cancellation_recorded` → "Cancellation recorded".
pub fn action_in_words(action: &str) -> String {
    let known = match action {
        "discharged" => Some("Care ended"),
        "status_changed" => Some("Status changed"),
        "session_marked" => Some("Session outcome"),
        "boundary_recorded" => Some("Boundary incident logged"),
        "goal_status_changed" => Some("Goal"),
        _ => None,
    };
    if let Some(k) = known {
        return k.to_string();
    }
    let words = action.replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One audit entry as a line of a client's History: "Care ended: referred out · needs outside
/// this practice's scope · 6 future sessions cancelled".
pub fn audit_line(
    action: &str,
    detail: Option<&str>,
    date: &dyn Fn(NaiveDate) -> String,
) -> String {
    let head = action_in_words(action);
    let Some(detail) = detail.filter(|d| !d.trim().is_empty()) else {
        return head;
    };
    let words = detail_in_words(action, detail, date);
    if action == "discharged" {
        // "from active to referred out: why; 6 future sessions cancelled"
        let (status, rest) = words.split_once(": ").unwrap_or((words.as_str(), ""));
        let to = status.rsplit_once("to ").map_or(status, |(_, t)| t);
        let mut parts = vec![to.to_string()];
        parts.extend(
            rest.split("; ")
                .filter(|p| !p.is_empty())
                .map(str::to_string),
        );
        return format!("{head}: {}", parts.join(" · "));
    }
    // "from scheduled to no-show" → "scheduled → no-show"
    if let Some((from, to)) = words
        .strip_prefix("from ")
        .and_then(|w| w.split_once(" to "))
    {
        return format!("{head}: {from} → {to}");
    }
    format!("{head}: {words}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(d: NaiveDate) -> String {
        d.format("%-d %b %Y").to_string()
    }

    #[test]
    fn counts_have_the_right_plural() {
        assert_eq!(count(1, "session", "sessions"), "1 session");
        assert_eq!(count(6, "session", "sessions"), "6 sessions");
        assert_eq!(count(0, "time", "times"), "0 times");
    }

    #[test]
    fn a_discharge_reads_as_words() {
        assert_eq!(
            audit_line(
                "discharged",
                Some(
                    "from active to referred_out: needs_outside_scope; 6 future sessions cancelled"
                ),
                &iso
            ),
            "Care ended: referred out · needs outside this practice's scope · 6 future sessions cancelled"
        );
        assert_eq!(
            audit_line(
                "discharged",
                Some("to referred_out: needs_outside_scope"),
                &iso
            ),
            "Care ended: referred out · needs outside this practice's scope"
        );
    }

    #[test]
    fn stored_words_and_dates_become_labels() {
        assert_eq!(
            audit_line("session_marked", Some("from scheduled to no_show"), &iso),
            "Session outcome: scheduled → no-show"
        );
        assert_eq!(
            audit_line(
                "cancellation_recorded",
                Some("session 514: late_cancelled"),
                &iso
            ),
            "Cancellation recorded: session 514: late cancellation"
        );
        assert_eq!(
            audit_line("goal_status_changed", Some("from active to dropped"), &iso),
            "Goal: active → let go"
        );
        assert_eq!(
            audit_line(
                "assessment_recorded",
                Some("engagement on 2026-06-20"),
                &iso
            ),
            "Assessment recorded: engagement on 20 Jun 2026"
        );
        assert_eq!(
            audit_line(
                "boundary_recorded",
                Some("after_hours_contact on 2026-11-03"),
                &iso
            ),
            "Boundary incident logged: contact after hours on 3 Nov 2026"
        );
        assert_eq!(audit_line("note_signed", None, &iso), "Note signed");
        assert_eq!(in_sentence("PHQ-9"), "PHQ-9");
        assert_eq!(
            SessionStatus::LateCancelled.in_sentence(),
            "a late cancellation"
        );
    }
}
