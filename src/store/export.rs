//! Export and import of the whole practice: no lock-in.
//!
//! Everything here is generic over the tables in the file: they are read from `sqlite_master`
//! and `PRAGMA table_info`, so a table added by a later migration is exported, counted, checked
//! and imported without a change here. SQLite's own tables (`sqlite_*`), virtual tables (full-text
//! indexes) and their shadow tables are left out: an index is rebuilt from the records on import.
//!
//! The JSON document:
//! `{"format":"caseload-export","version":2,"schema_version":N,"tables":{table:[{column:value}]}}`
//! (version 2 writes the columns that hold JSON as nested JSON: see `export_v2`; version 1
//! documents still import)
//! with tables in creation order, rows by rowid and columns in declared order, one row a line.
//! A BLOB is written as `{"hex":"…"}`. The same practice always gives the same bytes, so an
//! export → import → export round trip is byte-identical.

use std::collections::HashMap;
use std::io::Write;

use rusqlite::types::{Value as Sql, ValueRef};
use rusqlite::{Connection, Transaction};
use serde_json::{Map, Value as Json};

use super::schema::{
    Affinity, Column, SchemaObject, Table, data_tables, objects, quote, virtual_tables,
};
use super::{Result, Store, StoreError, migrate};

// Table introspection lives in `schema`; these names stay reachable from here.
pub use super::schema::{affinity, table_counts};

/// The `format` of an export document.
pub const FORMAT: &str = "caseload-export";
/// The version of the export document's shape.
pub const VERSION: i64 = 2;

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

/// A stored value as JSON.
pub(crate) fn to_json(v: ValueRef<'_>) -> Json {
    match v {
        ValueRef::Null => Json::Null,
        ValueRef::Integer(i) => Json::from(i),
        ValueRef::Real(f) => serde_json::Number::from_f64(f)
            .map(Json::Number)
            .unwrap_or(Json::Null),
        ValueRef::Text(t) => Json::String(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => {
            let mut m = Map::new();
            m.insert("hex".into(), Json::String(hex(b)));
            Json::Object(m)
        }
    }
}

pub(crate) fn io_error(what: &str, e: std::io::Error) -> StoreError {
    StoreError::Refused(format!("The {what} could not be written ({e})."))
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExportSummary {
    pub tables: usize,
    pub rows: u64,
}

impl Store {
    /// How many rows the practice holds in all.
    pub fn row_total(&self) -> Result<u64> {
        Ok(table_counts(self.conn())?
            .iter()
            .map(|(_, n)| *n as u64)
            .sum())
    }

    /// Writes the whole practice as one JSON document, from one consistent read (another window
    /// may go on writing). `progress` is told of every row written.
    pub fn export_json(
        &self,
        out: &mut dyn Write,
        progress: &mut dyn FnMut(u64),
    ) -> Result<ExportSummary> {
        self.export_json_with_files(out, &[], progress)
    }

    /// [`Store::export_json`], carrying files beside the records (the practitioner's
    /// `config.toml` and instrument files, as `(name, text)`) in a `"files"` object, one a line.
    /// With no files the key is left out.
    pub fn export_json_with_files(
        &self,
        out: &mut dyn Write,
        files: &[(String, String)],
        progress: &mut dyn FnMut(u64),
    ) -> Result<ExportSummary> {
        let tx = self.conn().unchecked_transaction()?;
        let tables = data_tables(&tx)?;
        let version = migrate::user_version(&tx)?;
        let mut rows = 0u64;
        let mut body = || -> std::io::Result<()> {
            writeln!(out, "{{")?;
            writeln!(out, "  \"format\": \"{FORMAT}\",")?;
            writeln!(out, "  \"version\": {VERSION},")?;
            writeln!(out, "  \"schema_version\": {version},")?;
            if !files.is_empty() {
                write!(out, "  \"files\": {{")?;
                for (i, (name, text)) in files.iter().enumerate() {
                    let sep = if i == 0 { "" } else { "," };
                    write!(
                        out,
                        "{sep}\n    {}: {}",
                        Json::String(name.clone()),
                        Json::String(text.clone())
                    )?;
                }
                writeln!(out, "\n  }},")?;
            }
            write!(out, "  \"tables\": {{")?;
            for (ti, t) in tables.iter().enumerate() {
                let sep = if ti == 0 { "" } else { "," };
                write!(out, "{sep}\n    {}: [", Json::String(t.name.clone()))?;
                let keys: Vec<String> = t
                    .columns
                    .iter()
                    .map(|c| Json::String(c.name.clone()).to_string())
                    .collect();
                let mut stmt = tx.prepare(&t.select_sql()).map_err(std::io::Error::other)?;
                let mut q = stmt.query([]).map_err(std::io::Error::other)?;
                let mut n = 0u64;
                while let Some(r) = q.next().map_err(std::io::Error::other)? {
                    let sep = if n == 0 { "" } else { "," };
                    write!(out, "{sep}\n      {{")?;
                    for (i, key) in keys.iter().enumerate() {
                        let v = r.get_ref(i).map_err(std::io::Error::other)?;
                        let sep = if i == 0 { "" } else { ", " };
                        let cell = super::export_v2::json_cell(&t.name, &t.columns[i].name, v)
                            .unwrap_or_else(|| to_json(v).to_string());
                        write!(out, "{sep}{key}: {cell}")?;
                    }
                    write!(out, "}}")?;
                    n += 1;
                    progress(1);
                }
                rows += n;
                if n > 0 {
                    write!(out, "\n    ")?;
                }
                write!(out, "]")?;
            }
            if !tables.is_empty() {
                write!(out, "\n  ")?;
            }
            writeln!(out, "}}")?;
            writeln!(out, "}}")?;
            out.flush()
        };
        body().map_err(|e| io_error("export", e))?;
        Ok(ExportSummary {
            tables: tables.len(),
            rows,
        })
    }
}

// ---- import ---------------------------------------------------------------------------------

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ImportSummary {
    pub tables: usize,
    pub rows: u64,
}

fn kind_of(v: &Json) -> &'static str {
    match v {
        Json::Null => "nothing (null)",
        Json::Bool(_) => "true or false",
        Json::Number(_) => "a number",
        Json::String(_) => "text",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

/// Checks one value against its column; `None` when it fits.
fn value_problem(table: &Table, col: &Column, v: &Json) -> Option<String> {
    let is_alias = table
        .rowid_alias()
        .is_some_and(|i| table.columns[i].name == col.name);
    let fits = match (v, col.affinity) {
        (Json::Null, _) => !col.not_null || is_alias,
        (Json::Number(n), Affinity::Integer) => n.is_i64(),
        (Json::Number(_), Affinity::Real | Affinity::Numeric | Affinity::Blob) => true,
        (Json::String(_), Affinity::Text | Affinity::Numeric | Affinity::Blob) => true,
        (Json::Object(m), Affinity::Blob) => {
            m.len() == 1
                && m.get("hex")
                    .and_then(Json::as_str)
                    .and_then(unhex)
                    .is_some()
        }
        _ => false,
    };
    if fits {
        return None;
    }
    if v.is_null() {
        return Some("is required and can't be empty (null)".into());
    }
    let expected = match col.affinity {
        Affinity::Integer => "a whole number",
        Affinity::Real => "a number",
        Affinity::Numeric => "a number or text",
        Affinity::Text => "text",
        Affinity::Blob => "text, a number or {\"hex\": \"…\"}",
    };
    Some(format!("expected {expected}, found {}", kind_of(v)))
}

fn to_sql(v: &Json) -> Sql {
    match v {
        Json::Null => Sql::Null,
        Json::Bool(b) => Sql::Integer(i64::from(*b)),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Sql::Integer(i),
            None => Sql::Real(n.as_f64().unwrap_or(0.0)),
        },
        Json::String(s) => Sql::Text(s.clone()),
        Json::Object(m) => m
            .get("hex")
            .and_then(Json::as_str)
            .and_then(unhex)
            .map(Sql::Blob)
            .unwrap_or(Sql::Null),
        Json::Array(_) => Sql::Null,
    }
}

/// JSON-path segment for an object key.
fn key_path(key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        format!(".{key}")
    } else {
        format!("[{}]", Json::String(key.to_string()))
    }
}

/// Checks the whole document against the file's tables; every problem, with its JSON path.
fn validate<'d>(doc: &'d Json, tables: &[Table]) -> (Vec<String>, Option<&'d Map<String, Json>>) {
    let mut problems = Vec::new();
    let Some(top) = doc.as_object() else {
        problems.push(format!(
            "$: expected the export object {{\"format\": \"{FORMAT}\", …}}, found {}",
            kind_of(doc)
        ));
        return (problems, None);
    };
    match top.get("format") {
        Some(Json::String(s)) if s == FORMAT => {}
        Some(v) => problems.push(format!(
            "$.format: expected \"{FORMAT}\", found {}",
            match v {
                Json::String(s) => format!("\"{s}\""),
                other => kind_of(other).to_string(),
            }
        )),
        None => problems.push(format!(
            "$.format: missing; a caseload export starts with \"format\": \"{FORMAT}\""
        )),
    }
    match top.get("version").and_then(Json::as_i64) {
        Some(v) if (1..=VERSION).contains(&v) => {}
        Some(v) if v > VERSION => problems.push(format!(
            "$.version: this export has version {v}, written by a newer caseload (this one reads version {VERSION}); update caseload"
        )),
        _ => problems.push(format!("$.version: expected 1 to {VERSION}")),
    }
    match top.get("schema_version").and_then(Json::as_i64) {
        Some(v) if v > i64::from(migrate::LATEST) => problems.push(format!(
            "$.schema_version: the export is of schema {v}, newer than this caseload reads (up to {}); update caseload",
            migrate::LATEST
        )),
        Some(v) if v >= 1 => {}
        _ => problems.push("$.schema_version: expected a whole number of at least 1".into()),
    }
    for key in top.keys() {
        if !["format", "version", "schema_version", "tables"].contains(&key.as_str()) {
            problems.push(format!("${}: not part of a caseload export", key_path(key)));
        }
    }
    let Some(doc_tables) = top.get("tables").and_then(Json::as_object) else {
        problems.push("$.tables: expected an object of tables".into());
        return (problems, None);
    };
    for (name, rows) in doc_tables {
        let tpath = format!("$.tables{}", key_path(name));
        let Some(table) = tables.iter().find(|t| &t.name == name) else {
            problems.push(format!("{tpath}: caseload has no table called “{name}”"));
            continue;
        };
        let Some(rows) = rows.as_array() else {
            problems.push(format!(
                "{tpath}: expected a list of rows, found {}",
                kind_of(rows)
            ));
            continue;
        };
        for (i, row) in rows.iter().enumerate() {
            let rpath = format!("{tpath}[{i}]");
            let Some(obj) = row.as_object() else {
                problems.push(format!(
                    "{rpath}: expected an object of column values, found {}",
                    kind_of(row)
                ));
                continue;
            };
            for (key, v) in obj {
                match table.column(key) {
                    None => problems.push(format!(
                        "{rpath}{}: {name} has no column called “{key}”",
                        key_path(key)
                    )),
                    Some(col) => {
                        if let Some(p) = value_problem(table, col, v) {
                            problems.push(format!("{rpath}{}: {p}", key_path(key)));
                        } else if let Json::String(t) = v
                            && let Some(p) = crate::domain::records::text_problem(name, key, t)
                        {
                            let p = p
                                .strip_prefix(key.as_str())
                                .map(str::trim_start)
                                .unwrap_or(&p);
                            problems.push(format!("{rpath}{}: {p}", key_path(key)));
                        }
                    }
                }
            }
            let alias = table.rowid_alias();
            for (ci, col) in table.columns.iter().enumerate() {
                if col.not_null
                    && !col.has_default
                    && Some(ci) != alias
                    && !obj.contains_key(&col.name)
                {
                    problems.push(format!(
                        "{rpath}{}: is required and missing",
                        key_path(&col.name)
                    ));
                }
            }
        }
    }
    (problems, Some(doc_tables))
}

/// The longest text value an export may hold, in bytes: more than any field of a record holds
/// (a whole note, escaped).
pub const MAX_IMPORT_STRING: usize = 2 * 1024 * 1024;

/// Refuses a document holding a text value longer than any record could, before it is parsed
/// (so it is never held as a value): names its line and the key it belongs to.
fn scan_sizes(text: &[u8]) -> Result<()> {
    let mut line = 1usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut start = 0usize;
    let mut start_line = 1usize;
    let mut last: (usize, usize) = (0, 0);
    let mut key: Option<String> = None;
    for (i, &b) in text.iter().enumerate() {
        if b == b'\n' {
            line += 1;
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
                last = (start, i);
            }
            if in_string && i - start > MAX_IMPORT_STRING {
                let at = key
                    .as_deref()
                    .map(|k| format!(", the value of “{k}”"))
                    .unwrap_or_default();
                return Err(StoreError::Refused(format!(
                    "The export has a text value longer than any record holds (more than {} MB) at line {start_line}{at}. Nothing was imported.",
                    MAX_IMPORT_STRING / (1024 * 1024)
                )));
            }
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                start = i + 1;
                start_line = line;
            }
            b':' => {
                let k = &text[last.0..last.1];
                key = (k.len() <= 100).then(|| String::from_utf8_lossy(k).into_owned());
            }
            _ => {}
        }
    }
    Ok(())
}

/// Every row of every table, for telling a new file from one that holds records.
fn all_rows(
    conn: &Connection,
    tables: &[Table],
) -> rusqlite::Result<HashMap<String, Vec<Vec<Sql>>>> {
    let mut out = HashMap::new();
    for t in tables {
        let mut stmt = conn.prepare(&t.select_sql())?;
        let rows = stmt
            .query_map([], |r| {
                (0..t.columns.len())
                    .map(|i| r.get::<_, Sql>(i))
                    .collect::<rusqlite::Result<Vec<_>>>()
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        out.insert(t.name.clone(), rows);
    }
    Ok(out)
}

fn refused(problems: &[String], header: &str) -> StoreError {
    let mut msg = format!(
        "{header} ({} problem{}); nothing was imported:",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in problems {
        msg.push_str("\n  ");
        msg.push_str(p);
    }
    StoreError::Refused(msg)
}

fn fts_rebuildable(sql: &str) -> bool {
    let s = sql.to_ascii_lowercase().replace(' ', "");
    let fts = s.contains("usingfts5") || s.contains("usingfts4") || s.contains("usingfts3");
    let external =
        s.contains("content=") && !s.contains("content=''") && !s.contains("content=\"\"");
    fts && external
}

impl Store {
    /// Imports an export document into this file, which must be new (nothing in it but what a
    /// new practice file starts with). The whole document is checked first and every problem
    /// reported with its JSON path; then every row is written in one transaction, in table
    /// creation order — all or nothing. Triggers that keep records consistent are set aside
    /// while the rows go in (the rows are the records as they were), except those that keep a
    /// full-text index up to date; external-content indexes are rebuilt at the end.
    pub fn import_json(
        &mut self,
        text: &[u8],
        progress: &mut dyn FnMut(u64),
    ) -> Result<ImportSummary> {
        let tables = data_tables(self.conn())?;
        // A new file may hold rows a migration seeds; anything beyond those means records.
        let fresh = Store::open_in_memory()?;
        let fresh_rows = all_rows(fresh.conn(), &data_tables(fresh.conn())?)?;
        let current = all_rows(self.conn(), &tables)?;
        let mut holding = Vec::new();
        let mut seeded = Vec::new();
        for t in &tables {
            let rows = &current[&t.name];
            if rows.is_empty() {
                continue;
            }
            if fresh_rows.get(&t.name) == Some(rows) {
                seeded.push(t.name.clone());
            } else {
                holding.push(format!("{} {}", rows.len(), t.name));
            }
        }
        if !holding.is_empty() {
            return Err(StoreError::Refused(format!(
                "This practice file already holds records ({}), so nothing was imported. Import only into a new file, for example: caseload --db new.db import FILE",
                holding.join(", ")
            )));
        }

        scan_sizes(text)?;
        // A version 2 document is read in the version 1 shape (JSON columns as their text).
        let nullable = |table: &str, column: &str| {
            tables
                .iter()
                .find(|t| t.name == table)
                .and_then(|t| t.column(column))
                .is_some_and(|c| !c.not_null)
        };
        let text = super::export_v2::to_v1(text, &nullable);
        let doc: Json = serde_json::from_slice(&text).map_err(|e| {
            StoreError::Refused(format!(
                "This is not a caseload export: the JSON is not well-formed at line {}, column {} ({}). Nothing was imported.",
                e.line(),
                e.column(),
                e.to_string().split(" at line").next().unwrap_or_default()
            ))
        })?;
        let (problems, doc_tables) = validate(&doc, &tables);
        if !problems.is_empty() {
            return Err(refused(&problems, "The export has problems"));
        }
        let Some(doc_tables) = doc_tables else {
            return Err(refused(&problems, "The export has problems"));
        };

        let schema = ImportSchema {
            tables,
            fts: virtual_tables(self.conn())?,
            triggers: objects(self.conn(), "trigger")?,
            // Indexes that only speed up reading are built once, after the rows are in (faster
            // than keeping each up to date row by row); unique ones stay, to refuse a duplicate
            // at its row.
            indexes: objects(self.conn(), "index")?
                .into_iter()
                .filter(|i| {
                    let sql = i.sql.trim_start().to_ascii_uppercase();
                    sql.starts_with("CREATE INDEX")
                })
                .collect(),
        };
        // References are checked once, over everything, before the commit (foreign_key_check
        // below). Checked row by row instead, a session pointing to a later one (rescheduled
        // to it) would leave SQLite searching every table's references on each insert: minutes
        // on a large practice. The setting can only change outside a transaction; it is put
        // back whatever the import's outcome.
        self.conn().execute_batch("PRAGMA foreign_keys = OFF")?;
        let unsealed = doc
            .get("schema_version")
            .and_then(Json::as_i64)
            .is_some_and(|v| v < i64::from(migrate::seal_version()));
        let imported = self.import_rows(doc_tables, &schema, seeded, unsealed, progress);
        let restored = self.conn().execute_batch("PRAGMA foreign_keys = ON");
        let summary = imported?;
        restored?;
        Ok(summary)
    }

    fn import_rows(
        &mut self,
        doc_tables: &Map<String, Json>,
        schema: &ImportSchema,
        seeded: Vec<String>,
        unsealed: bool,
        progress: &mut dyn FnMut(u64),
    ) -> Result<ImportSummary> {
        let ImportSchema {
            tables,
            fts,
            triggers,
            indexes,
        } = schema;
        self.write(|tx| {
            for i in indexes {
                tx.execute_batch(&format!("DROP INDEX {}", quote(&i.name)))?;
            }
            // A search index with a fill of its own is filled in one go at the end; the
            // triggers of any other stay, to fill it row by row.
            let filled_later: Vec<(&SchemaObject, &str)> = fts
                .iter()
                .filter_map(|f| {
                    FTS_FILLS
                        .iter()
                        .find(|(name, _)| *name == f.name)
                        .map(|(_, sql)| (f, *sql))
                })
                .collect();
            let set_aside: Vec<&SchemaObject> = triggers
                .iter()
                .filter(|t| {
                    let sql = t.sql.to_ascii_lowercase();
                    !fts.iter().any(|f| {
                        sql.contains(&f.name.to_ascii_lowercase())
                            && !filled_later.iter().any(|(g, _)| g.name == f.name)
                    })
                })
                .collect();
            for t in &set_aside {
                tx.execute_batch(&format!("DROP TRIGGER {}", quote(&t.name)))?;
            }
            for name in &seeded {
                tx.execute_batch(&format!("DELETE FROM {}", quote(name)))?;
            }
            let (problems, rowids, rows) = insert_rows(tx, tables, doc_tables, progress)?;
            if !problems.is_empty() {
                return Err(refused(&problems, "The practice file refused some rows"));
            }
            let fk = foreign_key_problems(tx, &rowids)?;
            if !fk.is_empty() {
                return Err(refused(
                    &fk,
                    "Some rows refer to records that are not in the export",
                ));
            }
            for i in indexes {
                tx.execute_batch(&i.sql)?;
            }
            for t in &set_aside {
                tx.execute_batch(&t.sql)?;
            }
            for f in fts.iter().filter(|f| fts_rebuildable(&f.sql)) {
                let q = quote(&f.name);
                tx.execute_batch(&format!("INSERT INTO {q}({q}) VALUES('rebuild')"))?;
            }
            for (_, fill) in &filled_later {
                tx.execute_batch(fill)?;
            }
            // The report's kept figures are counted afresh from the imported records.
            super::report_counts::rebuild(tx)?;
            // An export from before the seal existed is sealed now, and says so; anything else
            // must carry an intact seal. Either way every row must keep the rules.
            if unsealed {
                super::audit::seal_history(
                    tx,
                    chrono::Utc::now(),
                    "imported_unsealed",
                    "Imported from an export made before the audit trail was sealed, so its history before this entry is not covered by a seal of its own",
                )?;
            }
            let seal = super::verify::verify_seal(tx)?;
            let records = super::verify::verify_records(tx)?;
            if !seal.ok || !records.ok {
                let mut all = seal.problems;
                all.extend(records.problems);
                return Err(refused(&all, "The export fails verification, so it may have been altered"));
            }
            Ok(ImportSummary {
                tables: doc_tables.len(),
                rows,
            })
        })
    }
}

/// Search indexes an import fills in one statement once the rows are in (their triggers set
/// aside meanwhile): (virtual table, the statement).
const FTS_FILLS: &[(&str, &str)] = &[("notes_fts", super::note::NOTES_FTS_FILL)];

/// What an import works with besides the rows: the tables, and the search indexes, triggers
/// and indexes it sets aside while the rows go in.
struct ImportSchema {
    tables: Vec<Table>,
    fts: Vec<SchemaObject>,
    triggers: Vec<SchemaObject>,
    indexes: Vec<SchemaObject>,
}

type Inserted = (Vec<String>, HashMap<String, Vec<i64>>, u64);

fn insert_rows(
    tx: &Transaction<'_>,
    tables: &[Table],
    doc_tables: &Map<String, Json>,
    progress: &mut dyn FnMut(u64),
) -> Result<Inserted> {
    let mut problems = Vec::new();
    let mut rowids: HashMap<String, Vec<i64>> = HashMap::new();
    let mut total = 0u64;
    for t in tables {
        let Some(rows) = doc_tables.get(&t.name).and_then(Json::as_array) else {
            continue;
        };
        let ids = rowids.entry(t.name.clone()).or_default();
        for (i, row) in rows.iter().enumerate() {
            let Some(obj) = row.as_object() else { continue };
            let cols: Vec<&Column> = t
                .columns
                .iter()
                .filter(|c| obj.contains_key(&c.name))
                .collect();
            let sql = if cols.is_empty() {
                format!("INSERT INTO {} DEFAULT VALUES", quote(&t.name))
            } else {
                format!(
                    "INSERT INTO {} ({}) VALUES ({})",
                    quote(&t.name),
                    cols.iter()
                        .map(|c| quote(&c.name))
                        .collect::<Vec<_>>()
                        .join(", "),
                    (1..=cols.len())
                        .map(|n| format!("?{n}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let values: Vec<Sql> = cols
                .iter()
                .map(|c| obj.get(&c.name).map(to_sql).unwrap_or(Sql::Null))
                .collect();
            let mut stmt = tx.prepare_cached(&sql)?;
            match stmt.execute(rusqlite::params_from_iter(values.iter())) {
                Ok(_) => ids.push(tx.last_insert_rowid()),
                Err(e) => {
                    ids.push(0);
                    let why = match &e {
                        rusqlite::Error::SqliteFailure(_, Some(m)) => m.clone(),
                        other => other.to_string(),
                    };
                    problems.push(format!(
                        "$.tables{}[{i}]: the practice file refused this row ({why})",
                        key_path(&t.name)
                    ));
                }
            }
            total += 1;
            progress(1);
        }
    }
    Ok((problems, rowids, total))
}

fn foreign_key_problems(
    tx: &Transaction<'_>,
    rowids: &HashMap<String, Vec<i64>>,
) -> Result<Vec<String>> {
    let mut stmt = tx.prepare("PRAGMA foreign_key_check")?;
    let found = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut problems = Vec::new();
    for (table, rowid, parent) in found {
        let index = rowid.and_then(|id| {
            rowids
                .get(&table)
                .and_then(|ids| ids.iter().position(|x| *x == id))
        });
        let at = match index {
            Some(i) => format!("$.tables{}[{i}]", key_path(&table)),
            None => format!("$.tables{}", key_path(&table)),
        };
        problems.push(format!(
            "{at}: refers to a record in {parent} that is not in the export"
        ));
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::client::{ClientInput, ClientStatus};
    use chrono::{NaiveDate, TimeZone, Utc};

    fn practice() -> Store {
        let mut s = Store::open_in_memory().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 3, 14).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 3, 14, 9, 0, 0).unwrap();
        for name in [
            "Ada \"Countess\" Lovelace",
            "Björn, Berg",
            "Line\u{2028}Sep",
        ] {
            let f = ClientInput {
                name: name.into(),
                phone: "+44 1234 5678".into(),
                ..Default::default()
            }
            .validate(today)
            .unwrap();
            let c = s.add_client(&f, now).unwrap();
            s.set_client_status(c.id, ClientStatus::OnHold, now)
                .unwrap();
        }
        s.set_setting("backup.keep_daily", &7).unwrap();
        s
    }

    fn export(s: &Store) -> Vec<u8> {
        let mut out = Vec::new();
        s.export_json(&mut out, &mut |_| {}).unwrap();
        out
    }

    #[test]
    fn affinity_follows_sqlite() {
        assert_eq!(affinity("INTEGER"), Affinity::Integer);
        assert_eq!(affinity("varchar(20)"), Affinity::Text);
        assert_eq!(affinity(""), Affinity::Blob);
        assert_eq!(affinity("DOUBLE"), Affinity::Real);
        assert_eq!(affinity("DATE"), Affinity::Numeric);
    }

    #[test]
    fn tables_come_in_creation_order_without_virtual_or_shadow_tables() {
        let s = Store::open_in_memory().unwrap();
        s.conn()
            .execute_batch(
                "CREATE VIRTUAL TABLE scratch_fts USING fts5(body);
                 CREATE TABLE scratch_fts_extra (x);
                 CREATE TABLE zz (x INTEGER PRIMARY KEY AUTOINCREMENT)",
            )
            .unwrap();
        let names: Vec<String> = data_tables(s.conn())
            .unwrap()
            .into_iter()
            .map(|t| t.name)
            .collect();
        assert_eq!(names[0], "clients");
        assert!(names.contains(&"audit".to_string()));
        assert_eq!(names.last().unwrap(), "zz");
        assert!(
            !names
                .iter()
                .any(|n| n.contains("_fts") || n.starts_with("sqlite_"))
        );
    }

    #[test]
    fn round_trip_is_byte_identical() {
        let s = practice();
        let first = export(&s);
        let text = String::from_utf8(first.clone()).unwrap();
        assert!(text.starts_with("{\n  \"format\": \"caseload-export\",\n  \"version\": 2,"));
        assert!(text.contains("\"name\": \"Ada \\\"Countess\\\" Lovelace\""));
        let mut t = Store::open_in_memory().unwrap();
        let summary = t.import_json(&first, &mut |_| {}).unwrap();
        assert_eq!(summary.rows, s.row_total().unwrap());
        assert_eq!(export(&t), first);
    }

    #[test]
    fn refuses_a_file_that_holds_records_and_changes_nothing() {
        let s = practice();
        let doc = export(&s);
        let mut t = practice();
        let before = export(&t);
        let e = t.import_json(&doc, &mut |_| {}).unwrap_err().to_string();
        assert!(e.contains("already holds records (3 clients"), "{e}");
        assert_eq!(export(&t), before);
    }

    #[test]
    fn reports_every_problem_with_its_path() {
        let s = practice();
        let text = String::from_utf8(export(&s)).unwrap();
        let mut doc: Json = serde_json::from_str(&text).unwrap();
        let clients = doc["tables"]["clients"].as_array_mut().unwrap();
        clients[1]["name"] = Json::from(12);
        clients[2].as_object_mut().unwrap().remove("intake_date");
        clients[0]["shoe_size"] = Json::from(9);
        doc["tables"]["wishes"] = Json::Array(vec![]);
        doc["version"] = Json::from(2);
        let bad = serde_json::to_vec(&doc).unwrap();
        let mut t = Store::open_in_memory().unwrap();
        let seeded = t.row_total().unwrap();
        let e = t.import_json(&bad, &mut |_| {}).unwrap_err().to_string();
        assert!(e.contains("(4 problems)"), "{e}");
        assert!(
            e.contains("$.tables.clients[1].name: expected text, found a number"),
            "{e}"
        );
        assert!(
            e.contains("$.tables.clients[2].intake_date: is required and missing"),
            "{e}"
        );
        assert!(
            e.contains("$.tables.clients[0].shoe_size: clients has no column called “shoe_size”"),
            "{e}"
        );
        assert!(
            e.contains("$.tables.wishes: caseload has no table called “wishes”"),
            "{e}"
        );
        assert_eq!(t.row_total().unwrap(), seeded);
    }

    #[test]
    fn rows_the_file_refuses_roll_everything_back() {
        let s = practice();
        let text = String::from_utf8(export(&s)).unwrap();
        let mut doc: Json = serde_json::from_str(&text).unwrap();
        doc["tables"]["clients"][2]["status"] = Json::from("asleep");
        doc["tables"]["client_status_changes"][0]["client_id"] = Json::from(99);
        let bad = serde_json::to_vec(&doc).unwrap();
        let mut t = Store::open_in_memory().unwrap();
        let seeded = t.row_total().unwrap();
        let e = t.import_json(&bad, &mut |_| {}).unwrap_err().to_string();
        assert!(
            e.contains(
                "$.tables.clients[2]: the practice file refused this row (CHECK constraint failed"
            ),
            "{e}"
        );
        assert_eq!(t.row_total().unwrap(), seeded);
        // Without the CHECK failure, the dangling reference is found before anything lands.
        doc["tables"]["clients"][2]["status"] = Json::from("on_hold");
        let bad = serde_json::to_vec(&doc).unwrap();
        let e = t.import_json(&bad, &mut |_| {}).unwrap_err().to_string();
        assert!(
            e.contains("$.tables.client_status_changes[0]: refers to a record in clients"),
            "{e}"
        );
        assert_eq!(t.row_total().unwrap(), seeded);
        // References are checked again row by row once the import is over, refused or not.
        let on: i64 = t
            .conn()
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(on, 1);
        // The triggers set aside during the import are back.
        let n: i64 = t
            .conn()
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(n >= 3);
    }

    #[test]
    fn triggers_return_after_an_import_and_fts_indexes_are_rebuilt() {
        let s = practice();
        let doc = export(&s);
        let mut t = Store::open_in_memory().unwrap();
        t.conn()
            .execute_batch(
                "CREATE VIRTUAL TABLE clients_fts USING fts5(name, content='clients', content_rowid='id');",
            )
            .unwrap();
        t.import_json(&doc, &mut |_| {}).unwrap();
        let hits: i64 = t
            .conn()
            .query_row(
                "SELECT count(*) FROM clients_fts WHERE clients_fts MATCH 'Lovelace'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(hits, 1);
        assert!(t.conn().execute("DELETE FROM clients", []).is_err());
        assert!(t.conn().execute("DELETE FROM audit", []).is_err());
    }

    #[test]
    fn csv_has_a_header_and_quotes_what_needs_it() {
        let s = practice();
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("csv");
        let files = s.export_csv(&out, Default::default(), &mut |_| {}).unwrap();
        assert!(
            files
                .iter()
                .any(|(p, n)| p.ends_with("clients.csv") && *n == 3)
        );
        let text = std::fs::read_to_string(out.join("clients.csv")).unwrap();
        assert!(text.starts_with("id,name,preferred_name,"));
        assert!(text.contains("\r\n2,\"Björn, Berg\",,"), "{text}");
        assert!(text.contains("\"Ada \"\"Countess\"\" Lovelace\""));
        let mut r = csv::Reader::from_path(out.join("clients.csv")).unwrap();
        assert_eq!(r.records().count(), 3);
        assert!(out.join("settings.csv").exists());
    }
}
