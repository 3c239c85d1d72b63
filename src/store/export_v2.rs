//! Export format version 2: the columns that hold JSON text (note sections, assessment answers,
//! flags, subscales, ranking and why, the alternatives a cancellation offered, settings values
//! such as the practice profile, a review's signals) are written as real nested JSON rather than
//! as JSON inside a string, so a migration script reads them with one parse.
//!
//! The stored text is written exactly as it is (only the whitespace around it trimmed), and an
//! import stores exactly the text it reads, so export → import → export stays byte-identical and
//! key order is kept. A stored text that is not valid JSON (it should never be) is written as
//! `{"$text": "…"}` and read back as that text. Version 1 documents (JSON in strings) still
//! import: a version 2 document is turned into the version 1 shape before the checks that every
//! import goes through.

use std::borrow::Cow;
use std::collections::BTreeMap;

use rusqlite::types::ValueRef;
use serde_json::value::RawValue;
use serde_json::{Map, Value as Json};

/// Every column that holds JSON text, as (table, column).
pub const JSON_COLUMNS: &[(&str, &str)] = &[
    ("settings", "value"),
    ("notes", "body"),
    ("assessments", "answers"),
    ("assessments", "flags"),
    ("assessments", "subscales"),
    ("assessments", "ranking"),
    ("assessments", "why"),
    ("cancellations", "offered"),
    ("reviews", "signals"),
];

/// The key of the object that carries a stored text that is not valid JSON.
const TEXT_KEY: &str = "$text";

pub fn is_json_column(table: &str, column: &str) -> bool {
    JSON_COLUMNS.contains(&(table, column))
}

/// One cell of a version 2 export as JSON text, when it is a JSON column's text; `None` for
/// every other cell (written as in version 1).
pub fn json_cell(table: &str, column: &str, v: ValueRef<'_>) -> Option<String> {
    let ValueRef::Text(t) = v else {
        return None;
    };
    if !is_json_column(table, column) {
        return None;
    }
    let text = String::from_utf8_lossy(t);
    Some(match serde_json::from_str::<&RawValue>(&text) {
        Ok(raw) => raw.get().to_string(),
        Err(_) => {
            let mut m = Map::new();
            m.insert(TEXT_KEY.into(), Json::String(text.into_owned()));
            Json::Object(m).to_string()
        }
    })
}

type RawRow = BTreeMap<String, Box<RawValue>>;

/// The files a version 2 document carries beside its records (`"files": {name: text}`), in name
/// order; none when there are none or the document can't be read.
pub fn files(text: &[u8]) -> Vec<(String, String)> {
    #[derive(serde::Deserialize)]
    struct Top {
        #[serde(default)]
        files: BTreeMap<String, String>,
    }
    serde_json::from_slice::<Top>(text)
        .map(|t| t.files.into_iter().collect())
        .unwrap_or_default()
}

/// A version 2 document in the version 1 shape (JSON columns as strings of their exact text);
/// anything else as it is, for the import's own checks to judge. `nullable(table, column)` says
/// whether a column may be NULL (a JSON `null` is then NULL, else the text "null").
pub fn to_v1<'a>(text: &'a [u8], nullable: &dyn Fn(&str, &str) -> bool) -> Cow<'a, [u8]> {
    convert(text, nullable).map_or(Cow::Borrowed(text), Cow::Owned)
}

fn convert(text: &[u8], nullable: &dyn Fn(&str, &str) -> bool) -> Option<Vec<u8>> {
    let top: BTreeMap<String, Box<RawValue>> = serde_json::from_slice(text).ok()?;
    if top.get("version")?.get().trim() != "2" {
        return None;
    }
    let doc_tables: BTreeMap<String, Vec<RawRow>> =
        serde_json::from_str(top.get("tables")?.get()).ok()?;
    let mut out = Map::new();
    for (key, raw) in &top {
        // The files beside the records are not records: the command line restores them.
        if key == "tables" || key == "files" {
            continue;
        }
        let v = if key == "version" {
            Json::from(1)
        } else {
            serde_json::from_str(raw.get()).ok()?
        };
        out.insert(key.clone(), v);
    }
    let mut out_tables = Map::new();
    for (name, rows) in doc_tables {
        let mut out_rows = Vec::with_capacity(rows.len());
        for row in rows {
            let mut out_row = Map::new();
            for (col, raw) in row {
                let v = if is_json_column(&name, &col) {
                    json_cell_to_v1(raw.get(), nullable(&name, &col))
                } else {
                    serde_json::from_str(raw.get()).ok()?
                };
                out_row.insert(col, v);
            }
            out_rows.push(Json::Object(out_row));
        }
        out_tables.insert(name, Json::Array(out_rows));
    }
    out.insert("tables".into(), Json::Object(out_tables));
    serde_json::to_vec(&Json::Object(out)).ok()
}

/// A JSON column's nested value back to the text that is stored.
fn json_cell_to_v1(raw: &str, nullable: bool) -> Json {
    if raw == "null" && nullable {
        return Json::Null;
    }
    if let Ok(Json::Object(m)) = serde_json::from_str::<Json>(raw)
        && m.len() == 1
        && let Some(Json::String(t)) = m.get(TEXT_KEY)
    {
        return Json::String(t.clone());
    }
    Json::String(raw.to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn json_columns_nest_and_keep_their_exact_text() {
        let t = |s: &'static str| json_cell("notes", "body", ValueRef::Text(s.as_bytes())).unwrap();
        assert_eq!(t(r#"{"s":"a","o":"b"}"#), r#"{"s":"a","o":"b"}"#);
        assert_eq!(t("  [1, 2]\n"), "[1, 2]");
        assert_eq!(t("not json"), r#"{"$text":"not json"}"#);
        // Other columns are written as in version 1.
        assert_eq!(json_cell("clients", "name", ValueRef::Text(b"[1]")), None);
        assert_eq!(json_cell("settings", "value", ValueRef::Integer(3)), None);
    }

    #[test]
    fn nested_values_go_back_to_their_text() {
        assert_eq!(
            json_cell_to_v1(r#"{"s":"a","o":"b"}"#, false),
            Json::String(r#"{"s":"a","o":"b"}"#.into())
        );
        assert_eq!(json_cell_to_v1("null", false), Json::String("null".into()));
        assert_eq!(json_cell_to_v1("null", true), Json::Null);
        assert_eq!(
            json_cell_to_v1(r#"{"$text":"not json"}"#, false),
            Json::String("not json".into())
        );
        assert_eq!(
            json_cell_to_v1(r#""purple""#, false),
            Json::String(r#""purple""#.into())
        );
    }
}
