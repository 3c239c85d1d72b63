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

    // The same document in version 1's shape (the stored JSON text in strings, exactly as an
    // older caseload wrote it, so signed notes still match their seals) imports to the same
    // practice, and exports to the same bytes.
    let mut v1 = doc.clone();
    v1["version"] = Json::from(1);
    let conn = rusqlite::Connection::open(s.db()).unwrap();
    for (table, column) in JSON_COLUMNS {
        let mut stmt = conn
            .prepare(&format!(
                "SELECT \"{column}\" FROM \"{table}\" ORDER BY rowid"
            ))
            .unwrap();
        let stored: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let rows = v1["tables"][*table].as_array_mut().unwrap();
        assert_eq!(rows.len(), stored.len(), "{table}");
        for (row, text) in rows.iter_mut().zip(stored) {
            row[*column] = Json::String(text);
        }
    }
    drop(conn);
    let v1_path = s.path().join("v1.json");
    std::fs::write(&v1_path, serde_json::to_vec(&v1).unwrap()).unwrap();
    let old = Sandbox::new();
    old.ok(&["import", v1_path.to_str().unwrap()]);
    assert_eq!(export(&old, "from_v1.json"), first);
}

/// The dictionary says what every column holds; a real practice's export agrees with it.
#[test]
fn the_dictionary_agrees_with_a_real_practice() {
    let s = Sandbox::new();
    s.ok(&["demo", "--clients", "8", "--months", "6", "--seed", "5"]);
    let doc: Json = serde_json::from_slice(&export(&s, "e.json")).unwrap();
    let dict = s.json(&["export", "--dictionary", "--json"]);
    assert_eq!(dict["export_version"], 2);
    assert_eq!(dict["schema_version"], doc["schema_version"]);
    let dict_tables: Vec<&str> = dict["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    let doc_tables: Vec<&String> = doc["tables"].as_object().unwrap().keys().collect();
    assert_eq!(dict_tables.len(), doc_tables.len());
    let is_date =
        |v: &str| v.len() == 10 && chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok();
    let is_local = |v: &str| {
        v.len() == 16 && chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M").is_ok()
    };
    let is_instant = |v: &str| v.ends_with('Z') && chrono::DateTime::parse_from_rfc3339(v).is_ok();
    let mut checked = 0;
    for t in dict["tables"].as_array().unwrap() {
        let name = t["name"].as_str().unwrap();
        let rows = doc["tables"][name].as_array().unwrap();
        for c in t["columns"].as_array().unwrap() {
            let col = c["name"].as_str().unwrap();
            for row in rows {
                let v = &row[col];
                if v.is_null() {
                    continue;
                }
                if let Some(kind) = c["time"].as_str() {
                    let text = v.as_str().unwrap();
                    let fits = match kind {
                        "date" => is_date(text),
                        "local_time" => is_local(text),
                        "utc_instant" => is_instant(text),
                        other => panic!("time kind {other}"),
                    };
                    assert!(fits, "{name}.{col} is {kind} but holds {text:?}");
                    checked += 1;
                }
                if let Some(allowed) = c["allowed_values"].as_array() {
                    let text = match v {
                        Json::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    assert!(
                        allowed.iter().any(|a| a.as_str() == Some(text.as_str())),
                        "{name}.{col} holds {text:?}, not one of {allowed:?}"
                    );
                }
                if c["json"] == true {
                    assert!(!v.is_string(), "{name}.{col} is json but a string: {v}");
                }
            }
        }
    }
    assert!(checked > 500, "only {checked} time values checked");
    let entities: Vec<&str> = dict["audit_entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    for row in doc["tables"]["audit"].as_array().unwrap() {
        let e = row["entity"].as_str().unwrap();
        assert!(
            entities.contains(&e),
            "audit.entity {e} is not in the dictionary"
        );
    }
    // Text, and to a private file.
    let text = s.ok(&["export", "--dictionary"]);
    assert!(text.contains("\nsessions\n"), "{text}");
    assert!(text.contains("starts_at"));
    let file = s.path().join("dict/dictionary.txt");
    s.ok(&["export", "--dictionary", "-o", file.to_str().unwrap()]);
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    s.fails(&["export", "--dictionary", "--raw"], 2);
}

#[test]
fn config_and_instrument_files_travel_with_the_export() {
    let s = Sandbox::new();
    s.ok(&["client", "add", "--name", "Ana Diaz"]);
    let config = s.path().join("config/caseload");
    std::fs::create_dir_all(config.join("instruments")).unwrap();
    std::fs::write(config.join("config.toml"), "privacy = true\n").unwrap();
    let mine = "# my own wording\nkey = \"mine\"\n";
    std::fs::write(config.join("instruments/mine.toml"), mine).unwrap();
    let first = export(&s, "e.json");
    let doc: Json = serde_json::from_slice(&first).unwrap();
    assert_eq!(doc["files"]["config.toml"], "privacy = true\n");
    assert_eq!(doc["files"]["instruments/mine.toml"], mine);

    let b = Sandbox::new();
    let out = b.ok(&["import", s.path().join("e.json").to_str().unwrap()]);
    assert!(out.contains("Restored"), "{out}");
    let b_config = b.path().join("config/caseload");
    assert_eq!(
        std::fs::read_to_string(b_config.join("instruments/mine.toml")).unwrap(),
        mine
    );
    assert_eq!(
        std::fs::read_to_string(b_config.join("config.toml")).unwrap(),
        "privacy = true\n"
    );
    // The new machine exports the same bytes.
    assert_eq!(export(&b, "again.json"), first);
}
