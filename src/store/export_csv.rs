//! The CSV export: one RFC 4180 file per table (`<table>.csv`, a header row, CRLF), for a
//! spreadsheet or `sqlite3 .import`. Files follow the output rules of [`crate::outfile`]: 0600 in
//! a 0700 folder, an existing file replaced only when asked.
//!
//! A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or CR before one) as
//! a formula, so a text value that starts with one of them gets a leading `'` unless the export
//! is `raw`. Numbers are never changed (a number is not a formula).

use std::path::{Path, PathBuf};

use rusqlite::types::ValueRef;

use super::export::{hex, io_error, to_json};
use super::schema::data_tables;
use super::{Result, Store, StoreError};

/// How the CSV files are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CsvOptions {
    /// Replace CSV files already in the folder.
    pub force: bool,
    /// Write text exactly as stored (no `'` before a would-be formula).
    pub raw: bool,
    /// Start each file with a UTF-8 byte-order mark (for Excel).
    pub bom: bool,
}

/// True when a spreadsheet would read the text as a formula.
pub fn looks_like_formula(s: &str) -> bool {
    matches!(s.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'))
}

/// A stored value as one CSV field (NULL is an empty field).
fn to_cell(v: ValueRef<'_>, raw: bool) -> String {
    match v {
        ValueRef::Null => String::new(),
        ValueRef::Blob(b) => hex(b),
        ValueRef::Text(t) => {
            let s = String::from_utf8_lossy(t);
            if !raw && looks_like_formula(&s) {
                format!("'{s}")
            } else {
                s.into_owned()
            }
        }
        other => to_json(other).to_string(),
    }
}

fn refused(e: crate::outfile::OutFileError) -> StoreError {
    StoreError::Refused(format!("Nothing was exported: {e}."))
}

impl Store {
    /// Writes one CSV file per table into `dir`, from one consistent read. Every file's path is
    /// checked before any is written, so a refusal writes nothing.
    pub fn export_csv(
        &self,
        dir: &Path,
        opts: CsvOptions,
        progress: &mut dyn FnMut(u64),
    ) -> Result<Vec<(PathBuf, u64)>> {
        let tx = self.conn().unchecked_transaction()?;
        let tables = data_tables(&tx)?;
        if dir.is_file() || std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_symlink()) {
            return Err(StoreError::Refused(format!(
                "Nothing was exported: {} is not a folder (CSV writes one file per table into a folder).",
                dir.display()
            )));
        }
        let paths: Vec<PathBuf> = tables
            .iter()
            .map(|t| dir.join(format!("{}.csv", t.name)))
            .collect();
        for p in &paths {
            crate::outfile::check(p, opts.force).map_err(refused)?;
        }
        crate::outfile::create_private_dir(dir).map_err(refused)?;
        let mut written = Vec::new();
        for (t, path) in tables.iter().zip(paths) {
            let mut buf = Vec::new();
            if opts.bom {
                buf.extend_from_slice("\u{feff}".as_bytes());
            }
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(buf);
            let csv_err = |e: csv::Error| io_error("export", std::io::Error::other(e));
            w.write_record(t.columns.iter().map(|c| c.name.as_str()))
                .map_err(csv_err)?;
            let mut stmt = tx.prepare(&t.select_sql())?;
            let mut q = stmt.query([])?;
            let mut n = 0u64;
            while let Some(r) = q.next()? {
                let mut cells = Vec::with_capacity(t.columns.len());
                for i in 0..t.columns.len() {
                    cells.push(to_cell(r.get_ref(i)?, opts.raw));
                }
                w.write_record(&cells).map_err(csv_err)?;
                n += 1;
                progress(1);
            }
            let bytes = w
                .into_inner()
                .map_err(|e| io_error("export", std::io::Error::other(e.to_string())))?;
            crate::outfile::write(&path, &bytes, opts.force).map_err(refused)?;
            written.push((path, n));
        }
        Ok(written)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn would_be_formulas_get_a_quote_unless_raw() {
        let text = |s: &'static str, raw| to_cell(ValueRef::Text(s.as_bytes()), raw);
        for s in ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x"] {
            assert_eq!(text(s, false), format!("'{s}"), "{s:?}");
            assert_eq!(text(s, true), s, "{s:?} raw");
        }
        for s in ["plain", "a=b", "", " =x", "'quoted"] {
            assert_eq!(text(s, false), s, "{s:?}");
        }
        // Numbers are numbers, even negative ones.
        assert_eq!(to_cell(ValueRef::Integer(-5), false), "-5");
        assert_eq!(to_cell(ValueRef::Real(-0.5), false), "-0.5");
        assert_eq!(to_cell(ValueRef::Null, false), "");
    }
}
