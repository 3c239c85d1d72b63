//! The expectations handout for one client: practice details, the client's agreed arrangement,
//! the policy and the Q&A. Its version is a hash of its content, so a handout once given can be
//! told apart from the one the practice would give today.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::client::{ContactMethod, Telehealth};
use super::document::{Block, Document};
use super::practice::{CancellationPolicy, PracticeProfile};

/// Everything a handout says. Its version is a hash of exactly this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HandoutContent {
    pub client_name: String,
    pub profile: PracticeProfile,
    pub policy: CancellationPolicy,
    /// Open days and hours, e.g. ("Monday", "09:00–17:00").
    pub office_hours: Vec<(String, String)>,
    pub contact: Option<ContactMethod>,
    pub rhythm: Option<String>,
    /// The remote sessions the client consented to that the practice offers.
    pub remote: Telehealth,
    /// The link for video sessions, when those are among the remote options.
    pub video_link: Option<String>,
    pub qa: Vec<(String, String)>,
}

/// How many hex digits of the hash make a version.
const VERSION_DIGITS: usize = 16;

impl HandoutContent {
    /// The handout's version: the first 16 hex digits of the SHA-256 of its content.
    pub fn version(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_default();
        let digest = Sha256::digest(json.as_bytes());
        let mut hex = String::with_capacity(VERSION_DIGITS);
        for b in digest.iter().take(VERSION_DIGITS / 2) {
            hex.push_str(&format!("{b:02x}"));
        }
        hex
    }

    /// The handout as a document, dated `on`.
    pub fn document(&self, on: NaiveDate) -> Document {
        let p = &self.profile;
        let practice = non_empty(&p.practice_name).unwrap_or("Our practice");
        let mut d = Document::new(format!("Working together · {practice}"));
        d.push(Block::Para(format!(
            "Prepared for {} on {}. This sheet sets out how we work together, so that you know \
             what to expect and what you can ask of me.",
            self.client_name,
            on.format("%-d %B %Y")
        )));

        d.push(Block::Heading("The practice".into()));
        let mut fields = Vec::new();
        for (label, value) in [
            ("Practice", &p.practice_name),
            ("Practitioner", &p.practitioner_name),
            ("Phone", &p.phone),
            ("Email", &p.email),
            ("Address", &p.address),
        ] {
            if let Some(v) = non_empty(value) {
                fields.push((label.to_string(), v.to_string()));
            }
        }
        if fields.is_empty() {
            d.push(Block::Para(
                "Ask me for the practice's contact details.".into(),
            ));
        } else {
            d.push(Block::Fields(fields));
        }

        d.push(Block::Heading("Office hours".into()));
        let days = self.office_hours.clone();
        if days.is_empty() {
            d.push(Block::Para("By appointment.".into()));
        } else {
            d.push(Block::Fields(days));
        }

        d.push(Block::Heading("What we have agreed".into()));
        d.push(Block::Fields(vec![
            (
                "How I contact you".into(),
                self.contact
                    .map(|c| c.label().to_string())
                    .unwrap_or_else(|| "We will agree this together.".into()),
            ),
            (
                "When we meet".into(),
                self.rhythm
                    .clone()
                    .unwrap_or_else(|| "We will agree a rhythm together.".into()),
            ),
            ("Remote sessions".into(), remote_words(self.remote)),
        ]));
        if let Some(link) = &self.video_link {
            d.push(Block::Para(format!(
                "For a video session, join at {link} at the time of your session."
            )));
        }

        d.push(Block::Heading("Contact between sessions".into()));
        let channels: Vec<String> = p
            .contact_channels
            .iter()
            .map(|c| c.label().to_lowercase())
            .collect();
        let how = if channels.is_empty() {
            "You can reach me between sessions using the details above.".to_string()
        } else {
            format!(
                "You can reach me between sessions by {}.",
                join_words(&channels)
            )
        };
        let reply = match non_empty(&p.reply_time) {
            Some(r) => format!(" You can expect a reply {r}."),
            None => String::new(),
        };
        d.push(Block::Para(format!(
            "{how}{reply} This is for practical things; it is not a crisis service."
        )));

        d.push(Block::Heading("In an emergency".into()));
        d.push(Block::Para(
            non_empty(&p.emergency)
                .unwrap_or(
                    "If you or someone else is in danger, call your local emergency number \
                     or go to the nearest emergency department. Do not wait for a reply from me.",
                )
                .to_string(),
        ));

        d.push(Block::Heading("Cancelling a session".into()));
        d.push(Block::Para(self.policy.sentences()));

        if !self.qa.is_empty() {
            d.push(Block::Heading("Questions and answers".into()));
            d.push(Block::Qa(self.qa.clone()));
        }
        d.push(Block::Footer(format!(
            "Handout version {} · {}",
            self.version(),
            on.format("%Y-%m-%d")
        )));
        d
    }
}

fn remote_words(t: Telehealth) -> String {
    match t {
        Telehealth::None => {
            "None agreed yet. If you would like the option of phone or video sessions, ask me."
                .into()
        }
        Telehealth::Phone => {
            "You have agreed to phone sessions when you can't come in person.".into()
        }
        Telehealth::Video => {
            "You have agreed to video sessions when you can't come in person.".into()
        }
        Telehealth::Both => {
            "You have agreed to phone or video sessions when you can't come in person.".into()
        }
    }
}

fn non_empty(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

/// "a", "a or b", "a, b or c".
fn join_words(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// A session as the rhythm sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RhythmSession {
    pub starts_at: NaiveDateTime,
    /// The series' interval, when the session belongs to one.
    pub every_weeks: Option<u32>,
    /// Whether it is (or was) going ahead: not cancelled or moved.
    pub kept: bool,
}

/// The client's session rhythm in words, from their sessions (any order): the next session's
/// series if it has one, else the usual gap between their recent sessions; `None` with fewer
/// than three kept sessions and no series.
pub fn rhythm(sessions: &[RhythmSession], now: NaiveDateTime) -> Option<String> {
    let mut kept: Vec<&RhythmSession> = sessions.iter().filter(|s| s.kept).collect();
    kept.sort_by_key(|s| s.starts_at);
    let when = |t: NaiveDateTime| format!("on {}s at {}", weekday(t), t.format("%H:%M"));
    if let Some(next) = kept.iter().find(|s| s.starts_at >= now)
        && let Some(n) = next.every_weeks
    {
        return Some(match n {
            1 => format!("Every week {}", when(next.starts_at)),
            n => format!("Every {n} weeks {}", when(next.starts_at)),
        });
    }
    let recent: Vec<&RhythmSession> = kept.iter().rev().take(6).rev().copied().collect();
    if recent.len() < 3 {
        return None;
    }
    let mut gaps: Vec<i64> = recent
        .windows(2)
        .map(|w| (w[1].starts_at - w[0].starts_at).num_days())
        .collect();
    gaps.sort_unstable();
    let median = gaps[gaps.len() / 2];
    let weeks = ((median + 3) / 7).max(1);
    let first = recent[0].starts_at;
    let same_slot = recent
        .iter()
        .all(|s| s.starts_at.weekday() == first.weekday() && s.starts_at.time() == first.time());
    let every = if weeks == 1 {
        "About every week".to_string()
    } else {
        format!("About every {weeks} weeks")
    };
    Some(if same_slot {
        format!("{every}, usually {}", when(first))
    } else {
        every
    })
}

fn weekday(t: NaiveDateTime) -> &'static str {
    match t.weekday() {
        chrono::Weekday::Mon => "Monday",
        chrono::Weekday::Tue => "Tuesday",
        chrono::Weekday::Wed => "Wednesday",
        chrono::Weekday::Thu => "Thursday",
        chrono::Weekday::Fri => "Friday",
        chrono::Weekday::Sat => "Saturday",
        chrono::Weekday::Sun => "Sunday",
    }
}

/// Whether a client's handout needs giving again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HandoutState {
    NeverGiven,
    UpToDate { given_on: NaiveDate },
    OutOfDate { given_on: NaiveDate },
}

impl HandoutState {
    pub fn compare(current: &str, last: Option<(&str, NaiveDate)>) -> HandoutState {
        match last {
            None => HandoutState::NeverGiven,
            Some((v, given_on)) if v == current => HandoutState::UpToDate { given_on },
            Some((_, given_on)) => HandoutState::OutOfDate { given_on },
        }
    }

    /// The words on screen.
    pub fn words(&self) -> String {
        match self {
            HandoutState::NeverGiven => "not given yet".into(),
            HandoutState::UpToDate { given_on } => {
                format!("given {} · up to date", given_on.format("%-d %b %Y"))
            }
            HandoutState::OutOfDate { given_on } => format!(
                "given {} · handout out of date",
                given_on.format("%-d %b %Y")
            ),
        }
    }

    /// The stored word: never_given, up_to_date, out_of_date.
    pub fn word(&self) -> &'static str {
        match self {
            HandoutState::NeverGiven => "never_given",
            HandoutState::UpToDate { .. } => "up_to_date",
            HandoutState::OutOfDate { .. } => "out_of_date",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_local;

    fn content() -> HandoutContent {
        HandoutContent {
            client_name: "Maria Lopez".into(),
            profile: PracticeProfile::default(),
            policy: CancellationPolicy::default(),
            office_hours: vec![],
            contact: Some(ContactMethod::Text),
            rhythm: None,
            remote: Telehealth::Both,
            video_link: None,
            qa: vec![("Q?".into(), "A.".into())],
        }
    }

    #[test]
    fn the_version_is_a_stable_hash_of_the_content() {
        let a = content();
        assert_eq!(a.version().len(), 16);
        assert_eq!(a.version(), content().version());
        let mut b = content();
        b.qa[0].1 = "A!".into();
        assert_ne!(a.version(), b.version());
        let mut c = content();
        c.policy.window_hours = 48;
        assert_ne!(a.version(), c.version());
    }

    #[test]
    fn out_of_date_when_the_version_differs() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 12).unwrap();
        assert_eq!(HandoutState::compare("v1", None), HandoutState::NeverGiven);
        assert_eq!(
            HandoutState::compare("v1", Some(("v1", d))),
            HandoutState::UpToDate { given_on: d }
        );
        let s = HandoutState::compare("v2", Some(("v1", d)));
        assert!(s.words().contains("handout out of date"));
    }

    fn s(at: &str, every: Option<u32>, kept: bool) -> RhythmSession {
        RhythmSession {
            starts_at: parse_local(at).unwrap(),
            every_weeks: every,
            kept,
        }
    }

    #[test]
    fn rhythm_from_series_or_gaps() {
        let now = parse_local("2026-11-23 09:00").unwrap();
        assert_eq!(rhythm(&[], now), None);
        let series = [s("2026-11-24 10:00", Some(2), true)];
        assert_eq!(
            rhythm(&series, now).unwrap(),
            "Every 2 weeks on Tuesdays at 10:00"
        );
        let past = [
            s("2026-11-02 15:00", None, true),
            s("2026-11-09 15:00", None, true),
            s("2026-11-12 11:00", None, false),
            s("2026-11-16 15:00", None, true),
        ];
        assert_eq!(
            rhythm(&past, now).unwrap(),
            "About every week, usually on Mondays at 15:00"
        );
        assert_eq!(rhythm(&past[..2], now), None);
    }
}
