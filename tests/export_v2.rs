#![allow(clippy::unwrap_used, clippy::panic)]
//! Export format version 2: JSON columns nested, version 1 still imports, and the round trip is
//! byte-identical both ways.

mod common;

use common::Sandbox;
use serde_json::Value as Json;

const JSON_COLUMNS: &[(&str, &str)] = &[
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

fn export(s: &Sandbox, name: &str) -> Vec<u8> {
    let path = s.path().join(name);
    s.ok(&["export", "-o", path.to_str().unwrap()]);
    std::fs::read(path).unwrap()
}

#[test]
fn json_columns_are_nested_and_both_versions_round_trip() {
    let s = Sandbox::new();
    s.ok(&["demo", "--clients", "8", "--months", "6", "--seed", "3"]);
    let first = export(&s, "first.json");
    let doc: Json = serde_json::from_slice(&first).unwrap();
    assert_eq!(doc["version"], 2);
    let t = &doc["tables"];
    assert!(t["notes"][0]["body"].is_object(), "{}", t["notes"][0]);
    assert!(t["assessments"][0]["answers"].is_array());
    assert!(t["assessments"][0]["subscales"].is_object());
    assert!(t["cancellations"][0]["offered"].is_array());
    let profile = t["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "practice_profile")
        .unwrap_or_else(|| panic!("no profile in {}", t["settings"]));
    assert!(profile["value"]["practice_name"].is_string(), "{profile}");
    // Still one row a line.
    let text = String::from_utf8(first.clone()).unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("      {\"id\": 1, ") && l.contains("\"body\": {"))
    );

    // v2 → import → export: the same bytes.
    let again = Sandbox::new();
    let p = s.path().join("first.json");
    again.ok(&["import", p.to_str().unwrap()]);
    assert_eq!(export(&again, "again.json"), first);

    // The same document in version 1's shape (JSON in strings) imports to the same practice.
    let mut v1 = doc.clone();
    v1["version"] = Json::from(1);
    for (table, column) in JSON_COLUMNS {
        if let Some(rows) = v1["tables"][*table].as_array_mut() {
            for row in rows {
                let nested = row[*column].take();
                row[*column] = Json::String(serde_json::to_string(&nested).unwrap());
            }
        }
    }
    let v1_path = s.path().join("v1.json");
    std::fs::write(&v1_path, serde_json::to_vec(&v1).unwrap()).unwrap();
    let old = Sandbox::new();
    old.ok(&["import", v1_path.to_str().unwrap()]);
    let from_v1: Json = serde_json::from_slice(&export(&old, "from_v1.json")).unwrap();
    assert_eq!(from_v1, doc);
}
