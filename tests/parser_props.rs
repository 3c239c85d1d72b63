#![allow(clippy::unwrap_used, clippy::panic)]
//! Property tests: the instrument file parser and the import reader never panic, whatever they
//! are given — random text, and real documents with random damage. Every case must end in a
//! value or a clear refusal.

use std::sync::OnceLock;

use caseload::demo::{DemoOptions, generate};
use caseload::domain::instrument;
use caseload::store::Store;
use chrono::NaiveDate;
use proptest::prelude::*;
use serde_json::Value;

const WELLBEING: &str = include_str!("../assets/instruments/wellbeing.toml");
const ENGAGEMENT: &str = include_str!("../assets/instruments/engagement.toml");

/// Damage to a text: cut a piece out, put a piece in, or swap one character.
#[derive(Debug, Clone)]
enum Damage {
    Cut(usize, usize),
    Insert(usize, String),
    Replace(usize, char),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (any::<usize>(), 0usize..40).prop_map(|(a, n)| Damage::Cut(a, n)),
        (
            any::<usize>(),
            prop_oneof![
                "[ -~\n]{0,12}",
                Just("\"".to_string()),
                Just("-99999999999999999999".into()),
                Just("1e308".into()),
                Just("[[items]]\n".into()),
                Just("= { }".into()),
                Just("\u{0}\u{feff}é✓".into()),
            ]
        )
            .prop_map(|(a, s)| Damage::Insert(a, s)),
        (any::<usize>(), any::<char>()).prop_map(|(a, c)| Damage::Replace(a, c)),
    ]
}

fn apply(text: &str, damages: &[Damage]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for d in damages {
        let len = chars.len().max(1);
        match d {
            Damage::Cut(at, n) => {
                let a = at % len;
                let b = (a + n).min(chars.len());
                if a < b {
                    chars.drain(a..b);
                }
            }
            Damage::Insert(at, s) => {
                let a = (at % len).min(chars.len());
                for (i, c) in s.chars().enumerate() {
                    chars.insert(a + i, c);
                }
            }
            Damage::Replace(at, c) => {
                if !chars.is_empty() {
                    let a = at % chars.len();
                    chars[a] = *c;
                }
            }
        }
    }
    chars.into_iter().collect()
}

/// Parses; when the file is accepted, scoring any answers must not panic either.
fn parse_and_score(text: &str, answers: &[i64]) {
    if let Ok(ins) = instrument::parse(text) {
        let _ = ins.score(answers);
        let n = ins.items.len();
        let _ = ins.score(&answers.iter().copied().cycle().take(n).collect::<Vec<_>>());
        let _ = ins.total_range();
    }
}

/// A small demo practice exported once: the document damage is done to.
fn export_doc() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| serde_json::from_slice(export_bytes()).unwrap())
}

/// The export as written. (Written back through `Value`, a signed note's nested sections come
/// out in another key order, so its text no longer matches its seal.)
fn export_bytes() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let mut store = Store::open_in_memory().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let now = today.and_hms_opt(9, 0, 0).unwrap().and_utc();
        let opts = DemoOptions {
            clients: 3,
            months: 2,
            seed: 3,
            today,
            now,
        };
        store.write_demo(&generate(&opts), now).unwrap();
        let mut out = Vec::new();
        store.export_json(&mut out, &mut |_| {}).unwrap();
        out
    })
}

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        Just(Value::from(u64::MAX)),
        ".{0,20}".prop_map(Value::String),
        Just(Value::String("2026-13-45T99:99".into())),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every place in a document, as a path of object keys and array indexes.
fn places(v: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(path.clone());
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                path.push(k.clone());
                places(x, path, out);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate().take(3) {
                path.push(i.to_string());
                places(x, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn at_mut<'a>(v: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    let mut cur = v;
    for p in path {
        cur = match cur {
            Value::Object(m) => m.get_mut(p)?,
            Value::Array(a) => a.get_mut(p.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn import(bytes: &[u8]) {
    let mut store = Store::open_in_memory().unwrap();
    // Ok or a refusal; a panic fails the test.
    let _ = store.import_json(bytes, &mut |_| {});
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn the_instrument_parser_never_panics_on_any_text(text in ".{0,400}", answers in prop::collection::vec(any::<i64>(), 0..20)) {
        parse_and_score(&text, &answers);
    }

    #[test]
    fn the_instrument_parser_never_panics_on_damaged_files(
        which in any::<bool>(),
        damages in prop::collection::vec(damage(), 1..6),
        answers in prop::collection::vec(-3i64..8, 0..20),
    ) {
        let base = if which { WELLBEING } else { ENGAGEMENT };
        parse_and_score(&apply(base, &damages), &answers);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_import_reader_never_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        import(&bytes);
    }

    #[test]
    fn the_import_reader_never_panics_on_any_json(v in json_value()) {
        import(v.to_string().as_bytes());
    }

    #[test]
    fn the_import_reader_never_panics_on_a_damaged_export(
        picks in prop::collection::vec((any::<prop::sample::Index>(), json_value()), 1..4),
        cut in prop::option::of(any::<prop::sample::Index>()),
    ) {
        let mut doc = export_doc().clone();
        let mut all = Vec::new();
        places(&doc, &mut Vec::new(), &mut all);
        for (i, with) in picks {
            let path = i.get(&all).clone();
            if let Some(slot) = at_mut(&mut doc, &path) {
                *slot = with;
            }
        }
        let mut text = doc.to_string().into_bytes();
        if let Some(c) = cut {
            text.truncate(c.index(text.len().max(1)));
        }
        import(&text);
    }
}

#[test]
fn the_undamaged_export_imports() {
    let mut store = Store::open_in_memory().unwrap();
    store.import_json(export_bytes(), &mut |_| {}).unwrap();
    assert!(store.client_count().unwrap() == 3);
}
