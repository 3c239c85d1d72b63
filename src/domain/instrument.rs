//! Instruments: questionnaires written as plain TOML files, checked on load, and scored.
//!
//! A file is read into a spanned TOML tree and walked by hand, so that *every* problem is
//! reported with its line number (a serde derive would stop at the first). Nothing here reads a
//! file: callers pass the text in.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Range;

use serde::Serialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::engagement::Barrier;

crate::word_enum! {
    /// What an instrument is for.
    pub enum InstrumentKind {
        Measure = "measure" / "Measure",
        Recommendation = "recommendation" / "Recommendation",
    }
}

crate::word_enum! {
    /// Which way a measure's total gets better: lower on symptom and distress scales, higher on
    /// wellbeing and functioning scales.
    pub enum Better {
        Lower = "lower" / "Lower",
        Higher = "higher" / "Higher",
    }
}

impl Better {
    /// How much better `to` is than `from` (negative when worse).
    pub fn gain(self, from: f64, to: f64) -> f64 {
        match self {
            Better::Lower => from - to,
            Better::Higher => to - from,
        }
    }
}

/// One answer a client can give.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choice {
    pub label: String,
    pub value: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub id: String,
    pub text: String,
    pub options: Vec<Choice>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub reverse: bool,
    /// Recommendation instruments: how much each answer point counts towards each outcome.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub weights: BTreeMap<String, f64>,
    /// A practical barrier to attending: the answer is kept on the client, not scored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub barrier: Option<Barrier>,
}

impl Item {
    pub fn min(&self) -> i64 {
        self.options.iter().map(|c| c.value).min().unwrap_or(0)
    }

    pub fn max(&self) -> i64 {
        self.options.iter().map(|c| c.value).max().unwrap_or(0)
    }

    /// The value counted for an answer (reversed items count max + min − value).
    pub fn scored(&self, value: i64) -> i64 {
        if self.reverse {
            self.max() + self.min() - value
        } else {
            value
        }
    }

    /// The label of an answer value.
    pub fn label_of(&self, value: i64) -> Option<&str> {
        self.options
            .iter()
            .find(|c| c.value == value)
            .map(|c| c.label.as_str())
    }

    /// Whether the item counts towards totals and scores.
    pub fn is_scored(&self) -> bool {
        self.barrier.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    pub min: i64,
    pub max: i64,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlagRule {
    pub item: String,
    pub at_least: i64,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Subscale {
    pub id: String,
    pub items: Vec<String>,
}

/// A checked instrument, ready to run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Instrument {
    pub key: String,
    pub title: String,
    pub version: u32,
    pub kind: InstrumentKind,
    pub instructions: String,
    pub items: Vec<Item>,
    pub bands: Vec<Band>,
    pub flags: Vec<FlagRule>,
    pub subscales: Vec<Subscale>,
    pub outcomes: Vec<String>,
    /// How much a total must change to count as a real change (measures; default 5).
    pub reliable_change: f64,
    /// Which way the total gets better (measures; default lower).
    pub better: Better,
}

/// One problem in an instrument file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// The line (from 1) holding byte `offset` of `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The built-in instruments, embedded in the binary: (file name, text).
pub const BUILT_IN: &[(&str, &str)] = &[
    (
        "engagement.toml",
        include_str!("../../assets/instruments/engagement.toml"),
    ),
    (
        "wellbeing.toml",
        include_str!("../../assets/instruments/wellbeing.toml"),
    ),
];

/// A built-in instrument by key.
pub fn built_in(key: &str) -> Option<Instrument> {
    BUILT_IN
        .iter()
        .filter_map(|(_, text)| parse(text).ok())
        .find(|i| i.key == key)
}

// ---- reading a file ------------------------------------------------------------------------

type Val<'i> = Spanned<DeValue<'i>>;

struct Reader<'t> {
    text: &'t str,
    problems: Vec<Problem>,
}

impl<'t> Reader<'t> {
    fn at(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.problems.push(Problem {
            line: line_of(self.text, span.start),
            message: message.into(),
        });
    }

    /// Reports keys of `table` that are not in `known`.
    fn unknown_keys(&mut self, table: &DeTable<'_>, known: &[&str], place: &str) {
        for (k, _) in table.iter() {
            if !known.contains(&k.get_ref().as_ref()) {
                self.at(
                    k.span(),
                    format!(
                        "“{}” is not a setting {place}; expected one of: {}",
                        k.get_ref(),
                        known.join(", ")
                    ),
                );
            }
        }
    }

    fn string(&mut self, v: &Val<'_>, what: &str) -> Option<String> {
        match v.get_ref().as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.at(
                    v.span(),
                    format!("{what} must be text in quotes, not {}", kind_of(v)),
                );
                None
            }
        }
    }

    fn integer(&mut self, v: &Val<'_>, what: &str) -> Option<i64> {
        match v.get_ref().as_integer() {
            Some(i) => match i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
                Ok(n) => Some(n),
                Err(_) => {
                    self.at(v.span(), format!("{what} is too large"));
                    None
                }
            },
            None => {
                self.at(
                    v.span(),
                    format!("{what} must be a whole number, not {}", kind_of(v)),
                );
                None
            }
        }
    }

    fn number(&mut self, v: &Val<'_>, what: &str) -> Option<f64> {
        if let Some(f) = v.get_ref().as_float() {
            return match f.as_str().replace('_', "").parse::<f64>() {
                Ok(x) if x.is_finite() => Some(x),
                _ => {
                    self.at(v.span(), format!("{what} must be an ordinary number"));
                    None
                }
            };
        }
        if v.get_ref().is_integer() {
            return self.integer(v, what).map(|n| n as f64);
        }
        self.at(
            v.span(),
            format!("{what} must be a number, not {}", kind_of(v)),
        );
        None
    }

    fn boolean(&mut self, v: &Val<'_>, what: &str) -> Option<bool> {
        match v.get_ref().as_bool() {
            Some(b) => Some(b),
            None => {
                self.at(
                    v.span(),
                    format!("{what} must be true or false, not {}", kind_of(v)),
                );
                None
            }
        }
    }

    /// An array of tables (`[[items]]` or `[{...}, ...]`).
    fn tables<'v, 'i>(&mut self, v: &'v Val<'i>, what: &str) -> Vec<&'v Val<'i>> {
        let Some(arr) = v.get_ref().as_array() else {
            self.at(
                v.span(),
                format!("{what} must be a list of tables, e.g. [[{what}]]"),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for e in arr.iter() {
            if e.get_ref().is_table() {
                out.push(e);
            } else {
                self.at(
                    e.span(),
                    format!("each entry of {what} must be a table, not {}", kind_of(e)),
                );
            }
        }
        out
    }

    fn strings(&mut self, v: &Val<'_>, what: &str) -> Vec<Spanned<String>> {
        let Some(arr) = v.get_ref().as_array() else {
            self.at(
                v.span(),
                format!("{what} must be a list of words, e.g. [\"a\", \"b\"]"),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for e in arr.iter() {
            if let Some(s) = self.string(e, &format!("each entry of {what}")) {
                out.push(Spanned::new(e.span(), s));
            }
        }
        out
    }

    fn options(&mut self, v: &Val<'_>, what: &str) -> Option<Vec<Choice>> {
        let mut out: Vec<Choice> = Vec::new();
        let before = self.problems.len();
        for t in self.tables(v, what) {
            let Some(table) = t.get_ref().as_table() else {
                continue;
            };
            self.unknown_keys(table, &["label", "value"], "in an option");
            let label = match field(table, "label") {
                Some(l) => self.string(l, "an option's label"),
                None => {
                    self.at(t.span(), "this option has no label");
                    None
                }
            };
            let value = match field(table, "value") {
                Some(x) => {
                    let n = self.integer(x, "an option's value");
                    if let Some(n) = n
                        && out.iter().any(|c| c.value == n)
                    {
                        self.at(
                            x.span(),
                            format!("two options of {what} have the value {n}"),
                        );
                    }
                    n
                }
                None => {
                    self.at(t.span(), "this option has no value");
                    None
                }
            };
            if let (Some(label), Some(value)) = (label, value) {
                out.push(Choice { label, value });
            }
        }
        if self.problems.len() == before && out.len() < 2 {
            self.at(v.span(), format!("{what} needs at least two answers"));
            return None;
        }
        (self.problems.len() == before).then_some(out)
    }
}

fn field<'v, 'i>(table: &'v DeTable<'i>, key: &str) -> Option<&'v Val<'i>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(_, v)| v)
}

fn kind_of(v: &Val<'_>) -> &'static str {
    match v.get_ref() {
        DeValue::String(_) => "text",
        DeValue::Integer(_) => "a whole number",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "true/false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

fn is_word(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

const TOP_KEYS: &[&str] = &[
    "key",
    "title",
    "version",
    "kind",
    "instructions",
    "options",
    "items",
    "bands",
    "flags",
    "subscales",
    "outcomes",
    "reliable_change",
    "better",
];
const ITEM_KEYS: &[&str] = &["id", "text", "options", "reverse", "weights", "barrier"];

/// Reads and checks an instrument file. On failure, every problem found, in line order.
pub fn parse(text: &str) -> Result<Instrument, Vec<Problem>> {
    let (doc, errors) = DeTable::parse_recoverable(text);
    let mut r = Reader {
        text,
        problems: Vec::new(),
    };
    for e in &errors {
        let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
        r.problems.push(Problem {
            line,
            message: format!("this is not valid TOML: {}", e.message().trim()),
        });
    }
    let top = doc.get_ref();
    r.unknown_keys(top, TOP_KEYS, "at the top of an instrument");
    let whole = 0..0;
    let need = |r: &mut Reader<'_>, key: &str| -> Option<&Val<'_>> {
        let v = field(top, key);
        if v.is_none() {
            r.at(whole.clone(), format!("the instrument has no {key}"));
        }
        v
    };

    let key = need(&mut r, "key").and_then(|v| {
        let s = r.string(v, "key")?;
        if is_word(&s) {
            Some(s)
        } else {
            r.at(
                v.span(),
                format!("key “{s}” must be one lowercase word (letters, digits, _ or -)"),
            );
            None
        }
    });
    let title = need(&mut r, "title").and_then(|v| {
        let s = r.string(v, "title")?;
        if s.trim().is_empty() {
            r.at(v.span(), "title is empty");
        }
        Some(s)
    });
    let version = need(&mut r, "version").and_then(|v| {
        let n = r.integer(v, "version")?;
        match u32::try_from(n) {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                r.at(v.span(), "version must be 1 or more");
                None
            }
        }
    });
    let kind = need(&mut r, "kind").and_then(|v| {
        let s = r.string(v, "kind")?;
        match s.parse::<InstrumentKind>() {
            Ok(k) => Some(k),
            Err(_) => {
                r.at(
                    v.span(),
                    format!("kind “{s}” must be \"measure\" or \"recommendation\""),
                );
                None
            }
        }
    });
    let instructions = need(&mut r, "instructions").and_then(|v| r.string(v, "instructions"));
    let shared = field(top, "options").and_then(|v| r.options(v, "options"));

    // Outcomes first: item weights are checked against them.
    let mut outcomes: Vec<String> = Vec::new();
    match (field(top, "outcomes"), kind) {
        (Some(v), Some(InstrumentKind::Measure)) => {
            r.at(v.span(), "outcomes are only for recommendation instruments");
        }
        (Some(v), _) => {
            for s in r.strings(v, "outcomes") {
                if !is_word(s.get_ref()) {
                    r.at(
                        s.span(),
                        format!("outcome “{}” must be one lowercase word", s.get_ref()),
                    );
                } else if outcomes.contains(s.get_ref()) {
                    r.at(
                        s.span(),
                        format!("outcome “{}” is listed twice", s.get_ref()),
                    );
                } else {
                    outcomes.push(s.into_inner());
                }
            }
            if outcomes.is_empty() {
                r.at(v.span(), "outcomes is empty");
            }
        }
        (None, Some(InstrumentKind::Recommendation)) => {
            r.at(
                0..0,
                "a recommendation instrument needs outcomes = [\"…\", …]",
            );
        }
        (None, _) => {}
    }

    // Items.
    let mut items: Vec<Item> = Vec::new();
    let mut item_ids: BTreeSet<String> = BTreeSet::new();
    if let Some(v) = need(&mut r, "items") {
        let list = r.tables(v, "items");
        if list.is_empty() && v.get_ref().is_array() {
            r.at(v.span(), "the instrument has no items");
        }
        for t in list {
            let Some(table) = t.get_ref().as_table() else {
                continue;
            };
            let before = r.problems.len();
            r.unknown_keys(table, ITEM_KEYS, "in an item");
            let id = match field(table, "id") {
                Some(x) => r.string(x, "an item's id").and_then(|s| {
                    if !is_word(&s) {
                        r.at(
                            x.span(),
                            format!("item id “{s}” must be one lowercase word"),
                        );
                        None
                    } else if !item_ids.insert(s.clone()) {
                        r.at(x.span(), format!("item id “{s}” is used twice"));
                        None
                    } else {
                        Some(s)
                    }
                }),
                None => {
                    r.at(t.span(), "this item has no id");
                    None
                }
            };
            let name = id.clone().unwrap_or_else(|| "this item".into());
            let text_v = match field(table, "text") {
                Some(x) => r.string(x, "an item's text"),
                None => {
                    r.at(t.span(), format!("item “{name}” has no text"));
                    None
                }
            };
            let options = match field(table, "options") {
                Some(x) => r.options(x, &format!("the options of item “{name}”")),
                None => match &shared {
                    Some(s) => Some(s.clone()),
                    None => {
                        if field(top, "options").is_none() {
                            r.at(
                                t.span(),
                                format!(
                                    "item “{name}” has no options, and the instrument has no shared options"
                                ),
                            );
                        }
                        None
                    }
                },
            };
            let reverse = field(table, "reverse")
                .and_then(|x| r.boolean(x, "reverse"))
                .unwrap_or(false);
            let barrier = field(table, "barrier").and_then(|x| {
                let s = r.string(x, "barrier")?;
                match s.parse::<Barrier>() {
                    Ok(b) => Some(b),
                    Err(_) => {
                        r.at(
                            x.span(),
                            format!(
                                "barrier “{s}” must be one of: {}",
                                Barrier::WORDS.join(", ")
                            ),
                        );
                        None
                    }
                }
            });
            let mut weights = BTreeMap::new();
            if let Some(x) = field(table, "weights") {
                if kind == Some(InstrumentKind::Measure) {
                    r.at(x.span(), "weights are only for recommendation instruments");
                } else if barrier.is_some() {
                    r.at(
                        x.span(),
                        "a barrier item is not scored, so it has no weights",
                    );
                } else if let Some(wt) = x.get_ref().as_table() {
                    for (k, w) in wt.iter() {
                        let outcome = k.get_ref().to_string();
                        if !outcomes.is_empty() && !outcomes.contains(&outcome) {
                            r.at(
                                k.span(),
                                format!(
                                    "item “{name}” weighs “{outcome}”, which is not one of the outcomes ({})",
                                    outcomes.join(", ")
                                ),
                            );
                            continue;
                        }
                        if let Some(n) = r.number(w, "a weight") {
                            if n < 0.0 {
                                r.at(w.span(), "a weight cannot be below 0");
                            } else {
                                weights.insert(outcome, n);
                            }
                        }
                    }
                } else {
                    r.at(
                        x.span(),
                        "weights must be a table, e.g. weights = { expert = 2 }",
                    );
                }
            }
            if r.problems.len() == before
                && let (Some(id), Some(text), Some(options)) = (id, text_v, options)
            {
                items.push(Item {
                    id,
                    text,
                    options,
                    reverse,
                    weights,
                    barrier,
                });
            }
        }
    }
    let scored: Vec<&Item> = items.iter().filter(|i| i.is_scored()).collect();
    let lowest: i64 = scored.iter().map(|i| i.min()).sum();
    let highest: i64 = scored.iter().map(|i| i.max()).sum();

    // Bands.
    let mut bands: Vec<(Band, Range<usize>)> = Vec::new();
    if let Some(v) = field(top, "bands") {
        if kind == Some(InstrumentKind::Recommendation) {
            r.at(v.span(), "bands are only for measures");
        } else {
            for t in r.tables(v, "bands") {
                let Some(table) = t.get_ref().as_table() else {
                    continue;
                };
                r.unknown_keys(table, &["min", "max", "label"], "in a band");
                let get = |r: &mut Reader<'_>, k: &str| match field(table, k) {
                    Some(x) => r.integer(x, &format!("a band's {k}")),
                    None => {
                        r.at(t.span(), format!("this band has no {k}"));
                        None
                    }
                };
                let min = get(&mut r, "min");
                let max = get(&mut r, "max");
                let label = match field(table, "label") {
                    Some(x) => r.string(x, "a band's label"),
                    None => {
                        r.at(t.span(), "this band has no label");
                        None
                    }
                };
                if let (Some(min), Some(max), Some(label)) = (min, max, label) {
                    if min > max {
                        r.at(
                            t.span(),
                            format!("band “{label}” has min {min} above max {max}"),
                        );
                    } else {
                        bands.push((Band { min, max, label }, t.span()));
                    }
                }
            }
        }
    } else if kind == Some(InstrumentKind::Measure) {
        r.at(
            0..0,
            "a measure needs [[bands]] covering every possible total",
        );
    }
    let items_ok = !items.is_empty() && !scored.is_empty();
    if !bands.is_empty() && items_ok {
        bands.sort_by_key(|(b, _)| (b.min, b.max));
        let mut expect = lowest;
        for (i, (b, span)) in bands.iter().enumerate() {
            if b.min > expect {
                r.at(
                    span.clone(),
                    format!(
                        "no band covers {} (a gap before band “{}”)",
                        range_words(expect, b.min - 1),
                        b.label
                    ),
                );
            } else if b.min < expect && i > 0 {
                r.at(
                    span.clone(),
                    format!(
                        "band “{}” overlaps band “{}” ({} is in both)",
                        b.label,
                        bands[i - 1].0.label,
                        range_words(b.min, (expect - 1).min(b.max))
                    ),
                );
            } else if b.min < expect {
                r.at(
                    span.clone(),
                    format!(
                        "band “{}” starts at {}, below the lowest possible total {lowest}",
                        b.label, b.min
                    ),
                );
            }
            expect = expect.max(b.max + 1);
        }
        if let Some((last, span)) = bands.last() {
            if last.max < highest {
                r.at(
                    span.clone(),
                    format!(
                        "no band covers {} (the highest possible total is {highest})",
                        range_words(expect, highest)
                    ),
                );
            } else if last.max > highest {
                r.at(
                    span.clone(),
                    format!(
                        "band “{}” ends at {}, above the highest possible total {highest}",
                        last.label, last.max
                    ),
                );
            }
        }
    }

    // Flags.
    let mut flags: Vec<FlagRule> = Vec::new();
    if let Some(v) = field(top, "flags") {
        for t in r.tables(v, "flags") {
            let Some(table) = t.get_ref().as_table() else {
                continue;
            };
            r.unknown_keys(table, &["item", "at_least", "message"], "in a flag");
            let item = match field(table, "item") {
                Some(x) => r.string(x, "a flag's item").and_then(|s| {
                    if item_ids.contains(&s) {
                        Some(s)
                    } else {
                        r.at(
                            x.span(),
                            format!("the flag names item “{s}”, which is not in this file"),
                        );
                        None
                    }
                }),
                None => {
                    r.at(t.span(), "this flag has no item");
                    None
                }
            };
            let at_least = match field(table, "at_least") {
                Some(x) => r.integer(x, "at_least"),
                None => {
                    r.at(t.span(), "this flag has no at_least");
                    None
                }
            };
            let message = match field(table, "message") {
                Some(x) => r.string(x, "a flag's message"),
                None => {
                    r.at(t.span(), "this flag has no message");
                    None
                }
            };
            if let (Some(item), Some(at_least), Some(message)) = (item, at_least, message) {
                flags.push(FlagRule {
                    item,
                    at_least,
                    message,
                });
            }
        }
    }

    // Subscales.
    let mut subscales: Vec<Subscale> = Vec::new();
    if let Some(v) = field(top, "subscales") {
        for t in r.tables(v, "subscales") {
            let Some(table) = t.get_ref().as_table() else {
                continue;
            };
            r.unknown_keys(table, &["id", "items"], "in a subscale");
            let id = match field(table, "id") {
                Some(x) => r.string(x, "a subscale's id"),
                None => {
                    r.at(t.span(), "this subscale has no id");
                    None
                }
            };
            let mut ids = Vec::new();
            let mut ok = true;
            match field(table, "items") {
                Some(x) => {
                    for s in r.strings(x, "a subscale's items") {
                        if item_ids.contains(s.get_ref()) {
                            ids.push(s.into_inner());
                        } else {
                            ok = false;
                            r.at(
                                s.span(),
                                format!(
                                    "the subscale names item “{}”, which is not in this file",
                                    s.get_ref()
                                ),
                            );
                        }
                    }
                }
                None => {
                    r.at(t.span(), "this subscale has no items");
                    ok = false;
                }
            }
            if let (Some(id), true) = (id, ok) {
                subscales.push(Subscale { id, items: ids });
            }
        }
    }

    let reliable_change = match field(top, "reliable_change") {
        Some(v) => match r.number(v, "reliable_change") {
            Some(x) if x > 0.0 => x,
            Some(_) => {
                r.at(v.span(), "reliable_change must be above 0");
                5.0
            }
            None => 5.0,
        },
        None => 5.0,
    };

    let better = match (field(top, "better"), kind) {
        (Some(v), Some(InstrumentKind::Recommendation)) => {
            r.at(v.span(), "better is only for measures");
            Better::Lower
        }
        (Some(v), _) => match r.string(v, "better") {
            Some(s) => s.parse::<Better>().unwrap_or_else(|_| {
                r.at(
                    v.span(),
                    format!("better “{s}” must be \"lower\" or \"higher\""),
                );
                Better::Lower
            }),
            None => Better::Lower,
        },
        (None, _) => Better::Lower,
    };

    if kind == Some(InstrumentKind::Recommendation)
        && !items.is_empty()
        && items.iter().all(|i| i.weights.is_empty())
    {
        r.at(0..0, "no item has weights, so nothing can be recommended");
    }

    if !r.problems.is_empty() {
        r.problems.sort_by_key(|p| p.line);
        return Err(r.problems);
    }
    match (key, title, version, kind, instructions) {
        (Some(key), Some(title), Some(version), Some(kind), Some(instructions)) => Ok(Instrument {
            key,
            title,
            version,
            kind,
            instructions,
            items,
            bands: bands.into_iter().map(|(b, _)| b).collect(),
            flags,
            subscales,
            outcomes,
            reliable_change,
            better,
        }),
        _ => Err(vec![Problem {
            line: 1,
            message: "the instrument is incomplete".into(),
        }]),
    }
}

fn range_words(a: i64, b: i64) -> String {
    if a == b {
        format!("a total of {a}")
    } else {
        format!("totals {a}–{b}")
    }
}

// ---- scoring -------------------------------------------------------------------------------

/// A fired flag.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct FiredFlag {
    pub item: String,
    pub message: String,
}

/// One outcome's place in a recommendation.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct RankEntry {
    pub model: String,
    pub score: f64,
    pub share: f64,
}

/// An answer that counted towards the recommended outcome.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Reason {
    pub item: String,
    pub text: String,
    pub answer: String,
    pub points: f64,
}

/// A practical barrier as answered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BarrierAnswer {
    pub barrier: Barrier,
    pub value: i64,
    pub label: String,
    /// The answer is above the lowest one: the barrier is there, at least sometimes.
    pub present: bool,
}

/// A scored administration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    pub answers: Vec<i64>,
    pub total: i64,
    pub band: Option<String>,
    pub flags: Vec<FiredFlag>,
    pub subscales: BTreeMap<String, i64>,
    pub ranking: Vec<RankEntry>,
    /// The (up to) three answers that counted most towards the first outcome.
    pub why: Vec<Reason>,
    /// Set when outcomes scored the same and the instrument's order decided.
    pub tie: Option<String>,
    pub barriers: Vec<BarrierAnswer>,
}

/// Answers that can't be scored; nothing is recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("{title} has {expected} items, so it needs {expected} answers; {got} were given.")]
    Count {
        title: String,
        expected: usize,
        got: usize,
    },
    #[error("Item {number} “{id}” ({text}): {value} is not one of its answers ({allowed}).")]
    Value {
        number: usize,
        id: String,
        text: String,
        value: i64,
        allowed: String,
    },
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

impl Instrument {
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// The band a total falls in.
    pub fn band_for(&self, total: i64) -> Option<&Band> {
        self.bands.iter().find(|b| b.min <= total && total <= b.max)
    }

    /// The lowest and highest possible totals.
    pub fn total_range(&self) -> (i64, i64) {
        let s = self.items.iter().filter(|i| i.is_scored());
        (s.clone().map(Item::min).sum(), s.map(Item::max).sum())
    }

    /// Checks answers (values in item order) against the items' options.
    pub fn check_answers(&self, answers: &[i64]) -> Result<(), AnswerError> {
        if answers.len() != self.items.len() {
            return Err(AnswerError::Count {
                title: self.title.clone(),
                expected: self.items.len(),
                got: answers.len(),
            });
        }
        for (n, (item, &v)) in self.items.iter().zip(answers).enumerate() {
            if item.label_of(v).is_none() {
                return Err(AnswerError::Value {
                    number: n + 1,
                    id: item.id.clone(),
                    text: item.text.clone(),
                    value: v,
                    allowed: item
                        .options
                        .iter()
                        .map(|c| c.value.to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
        }
        Ok(())
    }

    /// Scores answers given in item order.
    pub fn score(&self, answers: &[i64]) -> Result<Scored, AnswerError> {
        self.check_answers(answers)?;
        let pairs: Vec<(&Item, i64)> = self.items.iter().zip(answers.iter().copied()).collect();
        let total: i64 = pairs
            .iter()
            .filter(|(i, _)| i.is_scored())
            .map(|(i, v)| i.scored(*v))
            .sum();
        let measure = self.kind == InstrumentKind::Measure;
        let band = if measure {
            self.band_for(total).map(|b| b.label.clone())
        } else {
            None
        };
        let flags = self
            .flags
            .iter()
            .filter(|f| {
                pairs
                    .iter()
                    .any(|(i, v)| i.id == f.item && *v >= f.at_least)
            })
            .map(|f| FiredFlag {
                item: f.item.clone(),
                message: f.message.clone(),
            })
            .collect();
        let subscales = self
            .subscales
            .iter()
            .map(|s| {
                let sum = pairs
                    .iter()
                    .filter(|(i, _)| s.items.contains(&i.id))
                    .map(|(i, v)| i.scored(*v))
                    .sum();
                (s.id.clone(), sum)
            })
            .collect();
        let barriers = pairs
            .iter()
            .filter_map(|(i, v)| {
                i.barrier.map(|b| BarrierAnswer {
                    barrier: b,
                    value: *v,
                    label: i.label_of(*v).unwrap_or_default().to_string(),
                    present: *v > i.min(),
                })
            })
            .collect();
        let (ranking, why, tie) = if measure {
            (Vec::new(), Vec::new(), None)
        } else {
            self.rank(&pairs)
        };
        Ok(Scored {
            answers: answers.to_vec(),
            total,
            band,
            flags,
            subscales,
            ranking,
            why,
            tie,
            barriers,
        })
    }

    fn rank(&self, pairs: &[(&Item, i64)]) -> (Vec<RankEntry>, Vec<Reason>, Option<String>) {
        let points = |o: &str, i: &Item, v: i64| -> f64 {
            i.weights.get(o).copied().unwrap_or(0.0) * i.scored(v) as f64
        };
        let scores: Vec<f64> = self
            .outcomes
            .iter()
            .map(|o| pairs.iter().map(|(i, v)| points(o, i, *v)).sum())
            .collect();
        let sum: f64 = scores.iter().sum();
        let mut order: Vec<usize> = (0..self.outcomes.len()).collect();
        // Stable: equal scores keep the order of `outcomes`.
        order.sort_by(|a, b| scores[*b].total_cmp(&scores[*a]));
        let ranking: Vec<RankEntry> = order
            .iter()
            .map(|&k| RankEntry {
                model: self.outcomes[k].clone(),
                score: round4(scores[k]),
                share: if sum > 0.0 {
                    round4(scores[k] / sum)
                } else {
                    0.0
                },
            })
            .collect();
        let mut notes = Vec::new();
        let mut k = 0;
        while k < ranking.len() {
            let mut j = k + 1;
            while j < ranking.len() && ranking[j].score == ranking[k].score {
                j += 1;
            }
            // Ties at nothing below the first place say nothing worth reading.
            if j - k > 1 && (k == 0 || ranking[k].score > 0.0) {
                let names: Vec<&str> = ranking[k..j].iter().map(|e| e.model.as_str()).collect();
                notes.push(format!(
                    "{} tied at {}; listed in the instrument's order.",
                    names.join(" and "),
                    ranking[k].score
                ));
            }
            k = j;
        }
        let tie = (!notes.is_empty()).then(|| notes.join(" "));
        let mut why: Vec<Reason> = Vec::new();
        if let Some(top) = ranking.first() {
            let mut contrib: Vec<(usize, f64)> = pairs
                .iter()
                .enumerate()
                .map(|(n, (i, v))| (n, points(&top.model, i, *v)))
                .filter(|(_, p)| *p > 0.0)
                .collect();
            contrib.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            for (n, p) in contrib.into_iter().take(3) {
                let (i, v) = pairs[n];
                why.push(Reason {
                    item: i.id.clone(),
                    text: i.text.clone(),
                    answer: i.label_of(v).unwrap_or_default().to_string(),
                    points: round4(p),
                });
            }
        }
        (ranking, why, tie)
    }
}

#[cfg(test)]
#[path = "instrument_tests.rs"]
mod tests;
