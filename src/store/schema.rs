//! What the practice file holds, read from the file itself: its tables with their columns (from
//! `sqlite_master` and `PRAGMA table_info`), their row counts, and its schema objects. Export,
//! import, backups, encryption and the check all work from this, so a table added by a later
//! migration needs no change anywhere here.

use rusqlite::Connection;

/// SQLite's type affinity of a declared column type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Affinity {
    Integer,
    Text,
    Blob,
    Real,
    Numeric,
}

/// The affinity SQLite gives a declared type (section 3.1 of SQLite's "Datatypes" page).
pub fn affinity(decl: &str) -> Affinity {
    let d = decl.to_ascii_uppercase();
    if d.contains("INT") {
        Affinity::Integer
    } else if d.contains("CHAR") || d.contains("CLOB") || d.contains("TEXT") {
        Affinity::Text
    } else if d.is_empty() || d.contains("BLOB") {
        Affinity::Blob
    } else if d.contains("REAL") || d.contains("FLOA") || d.contains("DOUB") {
        Affinity::Real
    } else {
        Affinity::Numeric
    }
}

#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub decl_type: String,
    pub affinity: Affinity,
    pub not_null: bool,
    pub has_default: bool,
    /// Position in the primary key (0 when not part of it).
    pub pk: i64,
}

/// A table that holds the practice's records.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    pub without_rowid: bool,
}

impl Table {
    /// The `INTEGER PRIMARY KEY` column (an alias of the rowid), if the table has one.
    pub fn rowid_alias(&self) -> Option<usize> {
        if self.without_rowid || self.columns.iter().filter(|c| c.pk > 0).count() != 1 {
            return None;
        }
        self.columns
            .iter()
            .position(|c| c.pk > 0 && c.decl_type.eq_ignore_ascii_case("INTEGER"))
    }

    /// Every row, columns in declared order, rows by rowid (by primary key without a rowid).
    pub(crate) fn select_sql(&self) -> String {
        let cols: Vec<String> = self.columns.iter().map(|c| quote(&c.name)).collect();
        let order = if self.without_rowid {
            let mut pk: Vec<&Column> = self.columns.iter().filter(|c| c.pk > 0).collect();
            pk.sort_by_key(|c| c.pk);
            pk.iter()
                .map(|c| quote(&c.name))
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            "rowid".into()
        };
        format!(
            "SELECT {} FROM {} ORDER BY {order}",
            cols.join(", "),
            quote(&self.name)
        )
    }

    pub(crate) fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// An SQL identifier, quoted.
pub fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

pub(crate) struct SchemaObject {
    pub name: String,
    pub sql: String,
}

pub(crate) fn objects(conn: &Connection, kind: &str) -> rusqlite::Result<Vec<SchemaObject>> {
    let mut stmt = conn.prepare(
        "SELECT name, coalesce(sql, '') FROM sqlite_master WHERE type = ?1 ORDER BY rowid",
    )?;
    stmt.query_map([kind], |r| {
        Ok(SchemaObject {
            name: r.get(0)?,
            sql: r.get(1)?,
        })
    })?
    .collect()
}

fn is_virtual(sql: &str) -> bool {
    sql.trim_start()
        .to_ascii_uppercase()
        .starts_with("CREATE VIRTUAL TABLE")
}

/// The virtual tables (full-text indexes) of the file, in creation order.
pub(crate) fn virtual_tables(conn: &Connection) -> rusqlite::Result<Vec<SchemaObject>> {
    Ok(objects(conn, "table")?
        .into_iter()
        .filter(|o| is_virtual(&o.sql))
        .collect())
}

/// The tables that hold records, in creation order: every table except SQLite's own, virtual
/// tables and the shadow tables of a virtual table (named `<virtual>_…`).
pub fn data_tables(conn: &Connection) -> rusqlite::Result<Vec<Table>> {
    let all = objects(conn, "table")?;
    let virtuals: Vec<String> = all
        .iter()
        .filter(|o| is_virtual(&o.sql))
        .map(|o| format!("{}_", o.name))
        .collect();
    let mut tables = Vec::new();
    for o in all {
        if o.name.starts_with("sqlite_")
            || is_virtual(&o.sql)
            || virtuals.iter().any(|v| o.name.starts_with(v.as_str()))
        {
            continue;
        }
        let mut stmt = conn.prepare(&format!("PRAGMA table_info({})", quote(&o.name)))?;
        let columns = stmt
            .query_map([], |r| {
                let decl_type: String = r.get(2)?;
                Ok(Column {
                    name: r.get(1)?,
                    affinity: affinity(&decl_type),
                    decl_type,
                    not_null: r.get::<_, i64>(3)? != 0,
                    has_default: r.get::<_, Option<String>>(4)?.is_some(),
                    pk: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        tables.push(Table {
            without_rowid: o.sql.to_ascii_uppercase().contains("WITHOUT ROWID"),
            name: o.name,
            columns,
        });
    }
    Ok(tables)
}

/// How many rows each table holds, in creation order.
pub fn table_counts(conn: &Connection) -> rusqlite::Result<Vec<(String, i64)>> {
    data_tables(conn)?
        .into_iter()
        .map(|t| {
            let n: i64 = conn.query_row(
                &format!("SELECT count(*) FROM {}", quote(&t.name)),
                [],
                |r| r.get(0),
            )?;
            Ok((t.name, n))
        })
        .collect()
}
