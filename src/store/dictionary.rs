//! The data dictionary (`caseload export --dictionary`): every table and column of the export,
//! read from the live schema — declared type, whether it is required, the allowed values its
//! CHECK constraint names, what a `*_id` refers to (the foreign keys), which columns are
//! wall-clock local times, UTC instants or dates, which hold nested JSON, and what `audit.entity`
//! can name. Built from a database, never written by hand, so it can't drift from the schema;
//! the tests check the parts that are declared here against a real practice.

use serde::Serialize;

use super::schema::{data_tables, quote};
use super::{Result, Store, migrate};

/// How a column holds time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeKind {
    /// Wall-clock local time as booked, `YYYY-MM-DDTHH:MM`, no time zone.
    LocalTime,
    /// A moment, UTC, RFC 3339 (`2026-11-23T09:00:00Z`).
    UtcInstant,
    /// A calendar day, `YYYY-MM-DD`.
    Date,
}

impl TimeKind {
    pub fn word(self) -> &'static str {
        match self {
            TimeKind::LocalTime => "local_time",
            TimeKind::UtcInstant => "utc_instant",
            TimeKind::Date => "date",
        }
    }
}

/// What `audit.entity` can name.
pub const AUDIT_ENTITIES: &[&str] = &[
    "alert",
    "assessment",
    "boundary_incident",
    "cancellation",
    "client",
    "discharge",
    "goal",
    "note",
    "practice_file",
    "session",
];

/// `*_id` columns that refer to a record without a foreign key, and what they refer to.
const LOOSE_REFERENCES: &[(&str, &str, &str)] = &[
    (
        "attendance_history",
        "client_id",
        "clients.id: the client whose recent attendance the line is (kept by triggers from their sessions)",
    ),
    (
        "disposals",
        "client_id",
        "the id the disposed client had in clients (the row itself is gone; never reused)",
    ),
    (
        "disposed_money",
        "client_id",
        "disposals.client_id: the disposed client whose money line it was",
    ),
    (
        "disposed_money",
        "ledger_id",
        "the id the line had in ledger (unique with client_id)",
    ),
    (
        "disposed_money",
        "ref_id",
        "disposed_money.ledger_id of the same client: the charge a void is for, the payment a refund is of",
    ),
    (
        "audit",
        "sealed_id",
        "the id of the row in audit.sealed_table that the seal covers",
    ),
    (
        "audit",
        "entity_id",
        "the id of the record audit.entity names",
    ),
    (
        "audit",
        "client_id",
        "clients.id (kept even if the client is disposed of)",
    ),
];

/// How a column holds time, from its name: `*_at` and `at` are UTC instants, `*_on`, `*_date`
/// and `born` are dates; the exceptions are named.
pub fn time_kind(table: &str, column: &str) -> Option<TimeKind> {
    match (table, column) {
        ("sessions", "starts_at") => Some(TimeKind::LocalTime),
        ("assessments", "administered_at") => Some(TimeKind::Date),
        (_, "born") => Some(TimeKind::Date),
        (_, c) if c == "at" || c.ends_with("_at") => Some(TimeKind::UtcInstant),
        (_, c) if c.ends_with("_on") || c.ends_with("_date") => Some(TimeKind::Date),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnDoc {
    pub name: String,
    #[serde(rename = "type")]
    pub decl_type: String,
    pub required: bool,
    pub primary_key: bool,
    /// The values its CHECK constraint allows, when it names them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_values: Option<Vec<String>>,
    /// `table.column` it refers to (a foreign key), or what it refers to in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refers_to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<TimeKind>,
    /// Holds JSON (nested in a version 2 export).
    pub json: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableDoc {
    pub name: String,
    pub columns: Vec<ColumnDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dictionary {
    pub schema_version: i32,
    pub export_version: i64,
    pub tables: Vec<TableDoc>,
    pub audit_entities: Vec<String>,
}

/// The values named in `CHECK (column IN (…))` (or `… OR column IN (…)`) of a table's SQL.
pub fn allowed_values(table_sql: &str, column: &str) -> Option<Vec<String>> {
    let sql: String = table_sql
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("( ", "(")
        .replace(" )", ")");
    let lower = sql.to_ascii_lowercase();
    let col = column.to_ascii_lowercase();
    for needle in [format!("{col} in ("), format!("\"{col}\" in (")] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(&needle).map(|i| i + from) {
            from = i + needle.len();
            let before = lower[..i].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let rest = &sql[i + needle.len()..];
            let end = rest.find(')')?;
            let values = rest[..end]
                .split(',')
                .map(|v| v.trim().trim_matches('\'').to_string())
                .filter(|v| !v.is_empty())
                .collect();
            return Some(values);
        }
    }
    None
}

impl Store {
    /// The data dictionary of this file's schema.
    pub fn dictionary(&self) -> Result<Dictionary> {
        let conn = self.conn();
        let mut tables = Vec::new();
        for t in data_tables(conn)? {
            let sql: String = conn.query_row(
                "SELECT coalesce(sql, '') FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [&t.name],
                |r| r.get(0),
            )?;
            let mut fks: Vec<(String, String, String)> = Vec::new();
            let mut stmt = conn.prepare(&format!("PRAGMA foreign_key_list({})", quote(&t.name)))?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let to: Option<String> = r.get(4)?;
                fks.push((r.get(3)?, r.get(2)?, to.unwrap_or_else(|| "id".into())));
            }
            let columns = t
                .columns
                .iter()
                .map(|c| {
                    let refers_to = fks
                        .iter()
                        .find(|(from, _, _)| from == &c.name)
                        .map(|(_, table, col)| format!("{table}.{col}"))
                        .or_else(|| {
                            LOOSE_REFERENCES
                                .iter()
                                .find(|(tt, cc, _)| *tt == t.name && *cc == c.name)
                                .map(|(_, _, what)| (*what).to_string())
                        });
                    ColumnDoc {
                        name: c.name.clone(),
                        decl_type: c.decl_type.clone(),
                        required: c.not_null || c.pk > 0,
                        primary_key: c.pk > 0,
                        allowed_values: allowed_values(&sql, &c.name),
                        refers_to,
                        time: time_kind(&t.name, &c.name),
                        json: super::export_v2::is_json_column(&t.name, &c.name),
                    }
                })
                .collect();
            tables.push(TableDoc {
                name: t.name,
                columns,
            });
        }
        Ok(Dictionary {
            schema_version: migrate::user_version(conn)?,
            export_version: super::export::VERSION,
            tables,
            audit_entities: AUDIT_ENTITIES.iter().map(|s| s.to_string()).collect(),
        })
    }
}

impl Dictionary {
    /// The dictionary for people: one block a table, one line a column.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "caseload data dictionary: schema {}, export format version {}\n\n\
             Times: local_time is the wall-clock time as booked (YYYY-MM-DDTHH:MM, no time zone);\n\
             utc_instant is a moment in UTC (RFC 3339, ending in Z); date is YYYY-MM-DD.\n\
             json: nested JSON in a version 2 export (JSON text in the database).\n",
            self.schema_version, self.export_version
        );
        for t in &self.tables {
            out.push_str(&format!("\n{}\n", t.name));
            let w = t.columns.iter().map(|c| c.name.len()).max().unwrap_or(0);
            let tw = t
                .columns
                .iter()
                .map(|c| c.decl_type.len())
                .max()
                .unwrap_or(0);
            for c in &t.columns {
                let mut notes: Vec<String> = Vec::new();
                if c.primary_key {
                    notes.push("primary key".into());
                } else if c.required {
                    notes.push("required".into());
                }
                if let Some(r) = &c.refers_to {
                    notes.push(format!("refers to {r}"));
                }
                if let Some(k) = c.time {
                    notes.push(k.word().into());
                }
                if c.json {
                    notes.push("json".into());
                }
                if let Some(v) = &c.allowed_values {
                    notes.push(format!("one of: {}", v.join(", ")));
                }
                let line = format!(
                    "  {:<w$}  {:<tw$}  {}",
                    c.name,
                    c.decl_type,
                    notes.join("; ")
                );
                out.push_str(line.trim_end());
                out.push('\n');
            }
        }
        out.push_str(&format!(
            "\naudit.entity names one of: {}\n",
            self.audit_entities.join(", ")
        ));
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn allowed_values_are_read_from_check_constraints() {
        let sql = "CREATE TABLE s (status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN
            ('scheduled', 'attended')), to_status TEXT CHECK (to_status IN ('a', 'b')),
            better TEXT CHECK (better IS NULL OR better IN ('lower', 'higher')),
            fee_waived INTEGER CHECK (fee_waived IN (0, 1)), note TEXT)";
        assert_eq!(
            allowed_values(sql, "status"),
            Some(vec!["scheduled".to_string(), "attended".to_string()])
        );
        assert_eq!(
            allowed_values(sql, "to_status"),
            Some(vec!["a".to_string(), "b".to_string()])
        );
        assert_eq!(
            allowed_values(sql, "better"),
            Some(vec!["lower".to_string(), "higher".to_string()])
        );
        assert_eq!(
            allowed_values(sql, "fee_waived"),
            Some(vec!["0".to_string(), "1".to_string()])
        );
        assert_eq!(allowed_values(sql, "note"), None);
    }

    #[test]
    fn the_dictionary_covers_the_live_schema() {
        let s = Store::open_in_memory().unwrap();
        let d = s.dictionary().unwrap();
        assert_eq!(d.schema_version, migrate::LATEST);
        let names: Vec<&str> = d.tables.iter().map(|t| t.name.as_str()).collect();
        let live: Vec<String> = data_tables(s.conn())
            .unwrap()
            .into_iter()
            .map(|t| t.name)
            .collect();
        assert_eq!(names, live);
        let col = |t: &str, c: &str| -> ColumnDoc {
            d.tables
                .iter()
                .find(|x| x.name == t)
                .and_then(|x| x.columns.iter().find(|y| y.name == c))
                .cloned()
                .unwrap_or_else(|| unreachable!("no column {t}.{c}"))
        };
        assert_eq!(
            col("sessions", "client_id").refers_to.as_deref(),
            Some("clients.id")
        );
        assert_eq!(col("sessions", "starts_at").time, Some(TimeKind::LocalTime));
        assert_eq!(
            col("sessions", "created_at").time,
            Some(TimeKind::UtcInstant)
        );
        assert_eq!(col("clients", "born").time, Some(TimeKind::Date));
        assert_eq!(
            col("sessions", "modality").allowed_values,
            Some(vec![
                "in_person".to_string(),
                "phone".to_string(),
                "video".to_string()
            ])
        );
        assert!(col("notes", "body").json);
        // Every JSON column named for the export exists.
        for (t, c) in super::super::export_v2::JSON_COLUMNS {
            assert!(col(t, c).json, "{t}.{c}");
        }
        // Every *_id column says what it refers to.
        for t in &d.tables {
            for c in &t.columns {
                if c.name.ends_with("_id") {
                    assert!(
                        c.refers_to.is_some(),
                        "{}.{} refers to nothing",
                        t.name,
                        c.name
                    );
                }
            }
        }
        let text = d.to_text();
        assert!(text.contains("\nsessions\n"), "{text}");
        assert!(text.contains("refers to clients.id"));
        assert!(text.contains("audit.entity names one of: alert, "));
    }
}
