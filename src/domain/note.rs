//! Progress notes: templates, their sections, and the markdown form a note is written in
//! outside the app (`caseload note add --file`, `$EDITOR`).
//!
//! A templated note is written as sections under `## Heading` lines:
//!
//! ```text
//! ## Subjective
//! Slept better this week.
//!
//! ## Plan
//! Continue the sleep diary.
//! ```
//!
//! Parsing is strict about headings (an unknown one is refused with a message naming the
//! template's sections) and tolerant of spacing and case. A free note is plain text.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;
use serde::ser::SerializeMap;

use super::time;
use crate::word_enum;

word_enum! {
    /// The shape of a progress note. The practice default is `note_template` in config.toml.
    pub enum NoteTemplate {
        Soap = "soap" / "SOAP",
        Dap = "dap" / "DAP",
        Birp = "birp" / "BIRP",
        Free = "free" / "Free text",
    }
}

// word_enum! takes no variant attributes, so `#[default]` can't be used.
#[allow(clippy::derivable_impls)]
impl Default for NoteTemplate {
    fn default() -> Self {
        NoteTemplate::Soap
    }
}

/// One section of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section {
    /// The key in the stored JSON and in `--json` output.
    pub key: &'static str,
    /// The heading, as written after `## `.
    pub title: &'static str,
    /// Other spellings accepted as the heading.
    pub aliases: &'static [&'static str],
    /// A prompt shown in the empty field.
    pub hint: &'static str,
}

const fn s(
    key: &'static str,
    title: &'static str,
    aliases: &'static [&'static str],
    hint: &'static str,
) -> Section {
    Section {
        key,
        title,
        aliases,
        hint,
    }
}

const SUBJECTIVE: Section = s(
    "subjective",
    "Subjective",
    &[],
    "What the client told you: how the time since the last session went, in their words.",
);
const OBJECTIVE: Section = s(
    "objective",
    "Objective",
    &[],
    "What you observed: presentation, affect, measures taken today.",
);
const ASSESSMENT: Section = s(
    "assessment",
    "Assessment",
    &[],
    "Your clinical view: progress towards goals, risk, what has changed.",
);
const PLAN: Section = s(
    "plan",
    "Plan",
    &[],
    "What happens next: tasks agreed, the next session, referrals.",
);
const DATA: Section = s(
    "data",
    "Data",
    &[],
    "What was said and observed in the session.",
);
const BEHAVIOUR: Section = s(
    "behaviour",
    "Behaviour",
    &["Behavior"],
    "The client's presentation and what they brought to the session.",
);
const INTERVENTION: Section = s(
    "intervention",
    "Intervention",
    &[],
    "What you did: techniques used, topics explored.",
);
const RESPONSE: Section = s(
    "response",
    "Response",
    &[],
    "How the client responded to the work.",
);
const NOTE: Section = s("note", "Note", &[], "The session in your own words.");

const SOAP: &[Section] = &[SUBJECTIVE, OBJECTIVE, ASSESSMENT, PLAN];
const DAP: &[Section] = &[DATA, ASSESSMENT, PLAN];
const BIRP: &[Section] = &[BEHAVIOUR, INTERVENTION, RESPONSE, PLAN];
const FREE: &[Section] = &[NOTE];

impl NoteTemplate {
    /// The sections of this template, in order.
    pub fn sections(self) -> &'static [Section] {
        match self {
            NoteTemplate::Soap => SOAP,
            NoteTemplate::Dap => DAP,
            NoteTemplate::Birp => BIRP,
            NoteTemplate::Free => FREE,
        }
    }

    /// The section a heading names (case and spacing ignored, a trailing colon allowed).
    pub fn section_index(self, heading: &str) -> Option<usize> {
        let wanted = squash(heading.trim().trim_end_matches(':'));
        self.sections().iter().position(|s| {
            squash(s.title) == wanted || s.aliases.iter().any(|a| squash(a) == wanted)
        })
    }

    fn titles(self) -> String {
        let t: Vec<&str> = self.sections().iter().map(|s| s.title).collect();
        t.join(", ")
    }
}

fn squash(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

word_enum! {
    /// Whether a session's note is written yet, and signed.
    pub enum NoteState {
        None = "none" / "no note",
        Draft = "draft" / "note draft",
        Signed = "signed" / "note signed",
    }
}

/// A note document that could not be read, with the line at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct NoteFormatError {
    pub line: usize,
    pub message: String,
}

/// What a note says: one text per section of its template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteBody {
    template: NoteTemplate,
    sections: Vec<String>,
}

/// Tidies a section's text: Unix line ends, no blank lines before the text, no trailing spaces
/// or blank lines after it. Indentation of the first line is kept.
pub fn tidy(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines: Vec<&str> = text.split('\n').collect();
    while lines.first().is_some_and(|l| l.trim().is_empty()) {
        lines.remove(0);
    }
    lines.join("\n").trim_end().to_string()
}

/// A line that reads as a `##` heading: `##` then anything but a third `#`.
fn heading_of(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let rest = t.strip_prefix("##")?;
    if rest.starts_with('#') {
        return None;
    }
    Some(rest.trim())
}

/// A line that would read as a heading once one leading backslash is removed (`\## x`,
/// `\\## x`): written out with one more backslash, read back with one fewer.
fn escaped_heading(line: &str) -> bool {
    let t = line.trim_start();
    let rest = t.trim_start_matches('\\');
    rest.len() < t.len() && heading_of(rest).is_some()
}

fn escape_line(line: &str) -> String {
    if heading_of(line).is_some() || escaped_heading(line) {
        let indent = line.len() - line.trim_start().len();
        format!("{}\\{}", &line[..indent], &line[indent..])
    } else {
        line.to_string()
    }
}

fn unescape_line(line: &str) -> String {
    if escaped_heading(line) {
        let indent = line.len() - line.trim_start().len();
        format!("{}{}", &line[..indent], &line[indent + 1..])
    } else {
        line.to_string()
    }
}

impl NoteBody {
    /// An empty note of a template.
    pub fn empty(template: NoteTemplate) -> NoteBody {
        NoteBody {
            template,
            sections: vec![String::new(); template.sections().len()],
        }
    }

    /// A note from its sections' texts in template order (missing ones are empty, extra ones
    /// are ignored). Each text is tidied.
    pub fn from_sections<S: AsRef<str>>(template: NoteTemplate, texts: &[S]) -> NoteBody {
        let mut b = NoteBody::empty(template);
        for (slot, t) in b.sections.iter_mut().zip(texts) {
            *slot = tidy(t.as_ref());
        }
        b
    }

    pub fn template(&self) -> NoteTemplate {
        self.template
    }

    /// The texts, in template order.
    pub fn sections(&self) -> &[String] {
        &self.sections
    }

    pub fn section(&self, i: usize) -> &str {
        self.sections.get(i).map(String::as_str).unwrap_or("")
    }

    /// Replaces one section's text (tidied).
    pub fn set_section(&mut self, i: usize, text: &str) {
        if let Some(slot) = self.sections.get_mut(i) {
            *slot = tidy(text);
        }
    }

    /// Nothing written in any section.
    pub fn is_empty(&self) -> bool {
        self.sections.iter().all(|s| s.trim().is_empty())
    }

    /// The words of the note, sections one after another (for search and previews).
    pub fn plain_text(&self) -> String {
        let parts: Vec<&str> = self
            .sections
            .iter()
            .map(String::as_str)
            .filter(|s| !s.is_empty())
            .collect();
        parts.join("\n")
    }

    /// The stored form: a JSON object of section key → text, in template order.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    /// Reads the stored form. Unknown keys are refused; missing sections are empty.
    pub fn from_json(template: NoteTemplate, json: &str) -> Result<NoteBody, String> {
        let map: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(json).map_err(|e| format!("the note could not be read ({e})"))?;
        let mut b = NoteBody::empty(template);
        for (k, v) in map {
            let i = template
                .sections()
                .iter()
                .position(|s| s.key == k)
                .ok_or_else(|| format!("“{k}” is not a section of a {} note", template.label()))?;
            let text = v
                .as_str()
                .ok_or_else(|| format!("the section “{k}” is not text"))?;
            b.sections[i] = tidy(text);
        }
        Ok(b)
    }

    /// The markdown form: `## Heading` then the text, for each section; a free note is its text.
    pub fn to_markdown(&self) -> String {
        if self.template == NoteTemplate::Free {
            let text = self.section(0);
            let first = text.lines().find(|l| !l.trim().is_empty());
            // A free note whose first line looks like a heading is written under `## Note` so
            // that reading it back keeps that line.
            return match first {
                Some(l) if heading_of(l).is_some() || escaped_heading(l) => {
                    format!("## Note\n\n{text}\n")
                }
                _ if text.is_empty() => String::new(),
                _ => format!("{text}\n"),
            };
        }
        let mut out = String::new();
        for (sec, text) in self.template.sections().iter().zip(&self.sections) {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str("## ");
            out.push_str(sec.title);
            out.push_str("\n\n");
            for line in text.lines() {
                out.push_str(&escape_line(line));
                out.push('\n');
            }
        }
        out
    }

    /// Reads the markdown form strictly: for a templated note every `##` heading must name one
    /// of the template's sections, once, and no text may come before the first heading.
    pub fn parse(template: NoteTemplate, text: &str) -> Result<NoteBody, NoteFormatError> {
        Self::read(template, text, true).map(|(b, _)| b)
    }

    /// Reads the markdown form without refusing anything (after `$EDITOR`, where nothing the
    /// practitioner wrote may be lost): an unknown heading, a repeated one, or text before the
    /// first heading is kept as text. Returns the note and what was kept so, if anything.
    pub fn parse_lenient(template: NoteTemplate, text: &str) -> (NoteBody, Option<String>) {
        match Self::read(template, text, false) {
            Ok(r) => r,
            // Not reached: lenient reading refuses nothing. Keep everything in the first section.
            Err(_) => (
                NoteBody::from_sections(template, &[text]),
                Some("the note was kept as one section".into()),
            ),
        }
    }

    fn read(
        template: NoteTemplate,
        text: &str,
        strict: bool,
    ) -> Result<(NoteBody, Option<String>), NoteFormatError> {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        if template == NoteTemplate::Free {
            let mut lines: Vec<&str> = text.split('\n').collect();
            if let Some(first) = lines.iter().position(|l| !l.trim().is_empty())
                && heading_of(lines[first]).is_some_and(|h| template.section_index(h) == Some(0))
            {
                lines.drain(..=first);
            }
            return Ok((NoteBody::from_sections(template, &[lines.join("\n")]), None));
        }
        let mut buckets: Vec<Vec<String>> = vec![Vec::new(); template.sections().len()];
        let mut seen = vec![false; buckets.len()];
        let mut current: Option<usize> = None;
        let mut kept: Option<String> = None;
        for (n, line) in text.split('\n').enumerate() {
            let line_no = n + 1;
            if let Some(h) = heading_of(line) {
                let problem = match template.section_index(h) {
                    Some(i) if !seen[i] => {
                        seen[i] = true;
                        current = Some(i);
                        continue;
                    }
                    Some(i) => format!(
                        "the section “{}” appears twice; write it once",
                        template.sections()[i].title
                    ),
                    None if h.is_empty() => format!(
                        "a heading has no name; a {} note's sections are {}",
                        template.label(),
                        template.titles()
                    ),
                    None => format!(
                        "“## {h}” is not a section of a {} note; its sections are {} (or choose another template with --template)",
                        template.label(),
                        template.titles()
                    ),
                };
                if strict {
                    return Err(NoteFormatError {
                        line: line_no,
                        message: problem,
                    });
                }
                kept.get_or_insert(problem);
                buckets[current.unwrap_or(0)].push(line.to_string());
                continue;
            }
            match current {
                Some(i) => buckets[i].push(unescape_line(line)),
                None if line.trim().is_empty() => {}
                None => {
                    let problem = format!(
                        "there is text before the first heading; put it under one of {}, each written as “## {}”",
                        template.titles(),
                        template.sections()[0].title
                    );
                    if strict {
                        return Err(NoteFormatError {
                            line: line_no,
                            message: problem,
                        });
                    }
                    kept.get_or_insert(problem);
                    buckets[0].push(unescape_line(line));
                }
            }
        }
        let texts: Vec<String> = buckets.into_iter().map(|b| b.join("\n")).collect();
        Ok((NoteBody::from_sections(template, &texts), kept))
    }
}

impl Serialize for NoteBody {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.sections.len()))?;
        for (sec, text) in self.template.sections().iter().zip(&self.sections) {
            m.serialize_entry(sec.key, text)?;
        }
        m.end()
    }
}

/// A correction or addition to a signed note, with its own time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Addendum {
    pub id: i64,
    pub note_id: i64,
    pub text: String,
    #[serde(serialize_with = "time::serialize_instant")]
    pub created_at: DateTime<Utc>,
}

/// A progress note as stored. JSON keys are a contract (see the README).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    pub id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub session_id: Option<i64>,
    /// When the session started (wall-clock local), if the note belongs to one.
    #[serde(serialize_with = "serialize_opt_local")]
    pub session_starts_at: Option<NaiveDateTime>,
    pub template: NoteTemplate,
    pub state: NoteState,
    pub sections: NoteBody,
    #[serde(serialize_with = "time::serialize_instant")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "time::serialize_instant")]
    pub updated_at: DateTime<Utc>,
    #[serde(serialize_with = "time::serialize_opt_instant")]
    pub signed_at: Option<DateTime<Utc>>,
    pub addenda: Vec<Addendum>,
}

impl Note {
    pub fn is_signed(&self) -> bool {
        self.signed_at.is_some()
    }
}

fn serialize_opt_local<S: serde::Serializer>(
    t: &Option<NaiveDateTime>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&time::format_local(*t)),
        None => s.serialize_none(),
    }
}

/// The longest search, in characters: a few words find a note; a pasted paragraph would only
/// slow the search down.
pub const SEARCH_MAX_CHARS: usize = 200;
/// The most words in one search.
pub const SEARCH_MAX_WORDS: usize = 16;

/// Turns what the practitioner typed into a search box into an FTS5 query that can never be a
/// syntax error: each word is quoted (quotes doubled) and matched as a prefix; words without a
/// letter or digit are dropped, and so are repeated words and words another word begins with
/// (`anx anxious` finds what `anxious` finds). `Ok(None)` when nothing searchable is left; an
/// error in words when the search is longer than [`SEARCH_MAX_CHARS`] or has more than
/// [`SEARCH_MAX_WORDS`] words. The query is one FTS5 expression, so its cost grows with the
/// number of words, never with their square.
pub fn fts_query(input: &str) -> Result<Option<String>, String> {
    let chars = input.trim().chars().count();
    if chars > SEARCH_MAX_CHARS {
        return Err(format!(
            "A search can be up to {SEARCH_MAX_CHARS} characters long; this one has {chars}. Search for the few words that matter most."
        ));
    }
    let words: Vec<String> = input
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(str::to_lowercase)
        .collect();
    if words.len() > SEARCH_MAX_WORDS {
        return Err(format!(
            "A search can have up to {SEARCH_MAX_WORDS} words; this one has {}. Search for the few words that matter most.",
            words.len()
        ));
    }
    // A plain word that another word begins with adds nothing: that word's notes have it too.
    let plain = |w: &str| w.chars().all(char::is_alphanumeric);
    let mut kept: Vec<&String> = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        let implied = words
            .iter()
            .enumerate()
            .any(|(j, o)| j != i && plain(w) && o.starts_with(w.as_str()) && (o != w || j < i));
        if !implied {
            kept.push(w);
        }
    }
    if kept.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        kept.iter()
            .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" "),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn templates_have_their_sections() {
        let titles =
            |t: NoteTemplate| -> Vec<&str> { t.sections().iter().map(|s| s.title).collect() };
        assert_eq!(
            titles(NoteTemplate::Soap),
            ["Subjective", "Objective", "Assessment", "Plan"]
        );
        assert_eq!(titles(NoteTemplate::Dap), ["Data", "Assessment", "Plan"]);
        assert_eq!(
            titles(NoteTemplate::Birp),
            ["Behaviour", "Intervention", "Response", "Plan"]
        );
        assert_eq!(titles(NoteTemplate::Free), ["Note"]);
        assert_eq!(NoteTemplate::WORDS, ["soap", "dap", "birp", "free"]);
        assert_eq!("birp".parse::<NoteTemplate>(), Ok(NoteTemplate::Birp));
        assert!("SOAP".parse::<NoteTemplate>().is_err());
    }

    #[test]
    fn parses_headings_tolerantly() {
        let text = "\n  ##Subjective  \nSlept better.\n\n\n##   objective:\n  Calm, engaged.\n## PLAN\nDiary.\n\n";
        let b = NoteBody::parse(NoteTemplate::Soap, text).unwrap();
        assert_eq!(
            b.sections(),
            ["Slept better.", "  Calm, engaged.", "", "Diary."]
        );
        let b = NoteBody::parse(
            NoteTemplate::Birp,
            "## Behavior\nQuiet.\r\n## Response\r\nOpened up.",
        )
        .unwrap();
        assert_eq!(b.sections(), ["Quiet.", "", "Opened up.", ""]);
    }

    #[test]
    fn unknown_headings_are_refused_clearly() {
        let e = NoteBody::parse(NoteTemplate::Soap, "## Subjective\nok\n## Data\nx").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(
            e.message
                .contains("“## Data” is not a section of a SOAP note"),
            "{e}"
        );
        assert!(
            e.message
                .contains("Subjective, Objective, Assessment, Plan")
        );
        let e = NoteBody::parse(NoteTemplate::Dap, "hello\n## Data\nx").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("before the first heading"));
        let e = NoteBody::parse(NoteTemplate::Dap, "## Plan\na\n## plan\nb").unwrap_err();
        assert!(e.message.contains("appears twice"));
        let e = NoteBody::parse(NoteTemplate::Dap, "##\nb").unwrap_err();
        assert!(e.message.contains("no name"));
        // A level-3 heading is text.
        let b = NoteBody::parse(NoteTemplate::Dap, "## Data\n### detail\nx").unwrap();
        assert_eq!(b.section(0), "### detail\nx");
    }

    #[test]
    fn lenient_reading_keeps_everything() {
        let (b, kept) =
            NoteBody::parse_lenient(NoteTemplate::Soap, "intro\n## Subjective\na\n## Mood\nlow");
        assert_eq!(b.section(0), "intro\na\n## Mood\nlow");
        assert!(kept.unwrap().contains("before the first heading"));
    }

    #[test]
    fn free_notes_are_plain_text() {
        let b = NoteBody::parse(
            NoteTemplate::Free,
            "## Note\n\nWe talked.\n## not a heading here\n",
        )
        .unwrap();
        assert_eq!(b.section(0), "We talked.\n## not a heading here");
        let b = NoteBody::parse(NoteTemplate::Free, "Just text.\n").unwrap();
        assert_eq!(b.to_markdown(), "Just text.\n");
        let b = NoteBody::from_sections(NoteTemplate::Free, &["## Goals\nmore"]);
        assert_eq!(
            NoteBody::parse(NoteTemplate::Free, &b.to_markdown()).unwrap(),
            b
        );
    }

    #[test]
    fn markdown_and_json_forms() {
        let b =
            NoteBody::from_sections(NoteTemplate::Dap, &["Said a lot.", "", "## not a heading"]);
        assert_eq!(
            b.to_markdown(),
            "## Data\n\nSaid a lot.\n\n## Assessment\n\n\n## Plan\n\n\\## not a heading\n"
        );
        assert_eq!(
            b.to_json(),
            r###"{"data":"Said a lot.","assessment":"","plan":"## not a heading"}"###
        );
        assert_eq!(
            NoteBody::from_json(NoteTemplate::Dap, &b.to_json()).unwrap(),
            b
        );
        assert!(NoteBody::from_json(NoteTemplate::Soap, &b.to_json()).is_err());
        assert_eq!(b.plain_text(), "Said a lot.\n## not a heading");
        assert!(NoteBody::empty(NoteTemplate::Soap).is_empty());
    }

    #[test]
    fn search_queries_are_always_safe() {
        assert_eq!(
            fts_query("sleep diary"),
            Ok(Some("\"sleep\"* \"diary\"*".into()))
        );
        assert_eq!(
            fts_query("  \"quoted\" "),
            Ok(Some("\"\"\"quoted\"\"\"*".into()))
        );
        assert_eq!(fts_query("!!! -- ()"), Ok(None));
        assert_eq!(fts_query(""), Ok(None));
        assert_eq!(
            fts_query("AND OR NOT"),
            Ok(Some("\"and\"* \"or\"* \"not\"*".into()))
        );
    }

    #[test]
    fn search_words_are_kept_once_and_long_searches_are_refused() {
        // Repeats, and words a longer word begins with, go; the longer word stays.
        assert_eq!(
            fts_query("Sleep anx sleep ANXIOUS diary"),
            Ok(Some("\"sleep\"* \"anxious\"* \"diary\"*".into()))
        );
        // A word with punctuation is a phrase: it may make a plain word redundant, but is never
        // folded into another itself.
        assert_eq!(fts_query("o'brien o"), Ok(Some("\"o'brien\"*".into())));
        assert_eq!(
            fts_query("o'b o'brien"),
            Ok(Some("\"o'b\"* \"o'brien\"*".into()))
        );
        let sixteen = vec!["word"; 16].join(" ");
        assert_eq!(fts_query(&sixteen), Ok(Some("\"word\"*".into())));
        let seventeen: Vec<String> = (0..17).map(|i| format!("w{i}")).collect();
        assert_eq!(
            fts_query(&seventeen.join(" ")),
            Err("A search can have up to 16 words; this one has 17. Search for the few words that matter most.".into())
        );
        let long = "a".repeat(201);
        assert_eq!(
            fts_query(&long),
            Err("A search can be up to 200 characters long; this one has 201. Search for the few words that matter most.".into())
        );
        assert!(fts_query(&"é".repeat(200)).is_ok());
    }

    fn any_template() -> impl Strategy<Value = NoteTemplate> {
        prop::sample::select(NoteTemplate::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn format_then_parse_round_trips(
            t in any_template(),
            texts in prop::collection::vec("(\\PC|\n|#|\\\\| ){0,60}", 4),
        ) {
            let b = NoteBody::from_sections(t, &texts);
            let md = b.to_markdown();
            let back = NoteBody::parse(t, &md);
            prop_assert_eq!(back, Ok(b.clone()), "markdown was {:?}", md);
            prop_assert_eq!(NoteBody::from_json(t, &b.to_json()), Ok(b));
        }

        #[test]
        fn parsing_never_panics(t in any_template(), s in "(\\PC|\n|\r|#|\\\\){0,200}") {
            let _ = NoteBody::parse(t, &s);
            let (b, _) = NoteBody::parse_lenient(t, &s);
            prop_assert_eq!(b.sections().len(), t.sections().len());
            let _ = fts_query(&s);
        }
    }
}
