//! Verifying a practice file: the seal of its audit trail, its schema objects, and its records.
//!
//! `caseload check` runs all three on the practice; `import` and `restore` run them on what they
//! are given, before it replaces anything, and refuse it on any problem.

use std::collections::{BTreeMap, HashMap};

use rusqlite::Connection;

use super::audit::{RowView, each_row, entry_form, seal_of};
use super::{Result, migrate, schema};
use crate::domain::note::{NoteBody, NoteTemplate};
use crate::domain::records;
use crate::domain::seal::{self, Field};

/// How many problems of one kind are named before the rest are counted.
const NAMED: usize = 50;

/// One part of the verification.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Part {
    pub ok: bool,
    pub problems: Vec<String>,
}

/// The seal: the chain from its first entry, and every signed note and addendum.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct SealPart {
    pub ok: bool,
    pub problems: Vec<String>,
    /// How many entries the audit trail holds.
    pub entries: u64,
    /// The hash of its last entry (none while the trail is empty).
    pub head: Option<String>,
}

/// What verifying a file found.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Verification {
    pub seal: SealPart,
    pub schema_objects: Part,
    pub records: Part,
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.seal.ok && self.schema_objects.ok && self.records.ok
    }

    /// Every problem, seal first.
    pub fn problems(&self) -> Vec<String> {
        let mut all = self.seal.problems.clone();
        all.extend(self.schema_objects.problems.iter().cloned());
        all.extend(self.records.problems.iter().cloned());
        all
    }
}

/// Collects problems, naming the first [`NAMED`] and counting the rest.
#[derive(Default)]
struct Problems {
    named: Vec<String>,
    more: usize,
}

impl Problems {
    fn push(&mut self, p: String) {
        if self.named.len() < NAMED {
            self.named.push(p);
        } else {
            self.more += 1;
        }
    }

    fn done(mut self) -> Vec<String> {
        if self.more > 0 {
            self.named
                .push(format!("… and {} more problems of this kind.", self.more));
        }
        self.named
    }
}

/// Verifies everything.
pub fn verify(conn: &Connection) -> Result<Verification> {
    Ok(Verification {
        seal: verify_seal(conn)?,
        schema_objects: verify_schema(conn)?,
        records: verify_records(conn)?,
    })
}

fn text<'a>(f: Field<'a>) -> Option<&'a str> {
    match f {
        Field::Text(t) => Some(t),
        _ => None,
    }
}

fn int(f: Field<'_>) -> Option<i64> {
    match f {
        Field::Integer(i) => Some(i),
        _ => None,
    }
}

/// How an audit entry is named in a message: "entry 41 (note_signed, note 12, 2026-03-14T09:00:00Z)".
fn entry_words(row: &RowView<'_>) -> String {
    let id = int(row.get("id")).unwrap_or_default();
    let action = text(row.get("action")).unwrap_or("?");
    let entity = text(row.get("entity")).unwrap_or("?");
    let record = match int(row.get("entity_id")) {
        Some(e) => format!("{entity} {e}"),
        None => entity.to_string(),
    };
    let at = text(row.get("at")).unwrap_or("?");
    format!("entry {id} ({action}, {record}, {at})")
}

/// The chain from the first entry, and every signed note and addendum against its seal.
pub fn verify_seal(conn: &Connection) -> Result<SealPart> {
    let mut problems = Problems::default();
    let mut entries = 0u64;
    let mut last: Option<String> = None;
    // (table, row) -> (entry, seal), every seal written for the row.
    let mut seals: HashMap<(String, i64), Vec<(i64, String)>> = HashMap::new();
    each_row(conn, "SELECT * FROM audit ORDER BY id", |row| {
        entries += 1;
        let expected_prev = last.clone().unwrap_or_else(|| seal::GENESIS.to_string());
        let prev = text(row.get("prev_hash"));
        let hash = text(row.get("hash"));
        match (prev, hash) {
            (Some(prev), Some(hash)) => {
                if prev != expected_prev {
                    let words = entry_words(row);
                    problems.push(format!(
                        "The audit trail is broken before {words}: an entry before it was removed, changed or moved. The history before it can't be trusted; restore a backup you trust."
                    ));
                }
                if seal::chain_hash(prev, &entry_form(row)) != hash {
                    let words = entry_words(row);
                    problems.push(format!(
                        "Audit {words} was changed after it was written (it no longer matches its seal)."
                    ));
                }
                last = Some(hash.to_string());
            }
            _ => {
                let words = entry_words(row);
                problems.push(format!(
                    "Audit {words} is not sealed: it was added outside caseload."
                ));
                last = hash.map(str::to_string);
            }
        }
        if let (Some(t), Some(r), Some(s)) = (
            text(row.get("sealed_table")),
            int(row.get("sealed_id")),
            text(row.get("seal")),
        ) {
            let id = int(row.get("id")).unwrap_or_default();
            seals
                .entry((t.to_string(), r))
                .or_default()
                .push((id, s.to_string()));
        }
        Ok(())
    })?;
    for table in seal::SEALED_TABLES {
        let Some(cols) = seal::sealed_columns(table) else {
            continue;
        };
        let what = if table == "notes" { "Note" } else { "Addendum" };
        let sql = format!("SELECT {} FROM {table} ORDER BY id", cols.join(", "));
        let mut seen = std::collections::HashSet::new();
        each_row(conn, &sql, |row| {
            let id = int(row.get("id")).unwrap_or_default();
            seen.insert(id);
            let must_be_sealed = table != "notes" || !matches!(row.get("signed_at"), Field::Null);
            let client = match int(row.get("client_id")) {
                Some(c) => format!(" (client {c})"),
                None => int(row.get("note_id"))
                    .map(|n| format!(" (of note {n})"))
                    .unwrap_or_default(),
            };
            match seals.get(&(table.to_string(), id)) {
                Some(list) => {
                    let now = seal_of(row);
                    for (entry, s) in list {
                        if *s != now {
                            problems.push(format!(
                                "{what} {id}{client} was changed after it was signed: it no longer matches the seal in audit entry {entry}."
                            ));
                        }
                    }
                }
                None if must_be_sealed => problems.push(format!(
                    "{what} {id}{client} is signed, but no audit entry seals it (the entry that signed it is missing)."
                )),
                None => {}
            }
            Ok(())
        })?;
        let mut gone: Vec<(i64, i64)> = seals
            .iter()
            .filter(|((t, r), _)| t == table && !seen.contains(r))
            .filter_map(|((_, r), list)| list.first().map(|(e, _)| (*r, *e)))
            .collect();
        gone.sort_unstable();
        for (r, e) in gone {
            problems.push(format!(
                "{what} {r}, sealed by audit entry {e}, is missing from the file."
            ));
        }
    }
    let problems = problems.done();
    Ok(SealPart {
        ok: problems.is_empty(),
        problems,
        entries,
        head: last,
    })
}

/// Whether `hash` is the hash of an entry in the trail.
pub fn chain_contains(conn: &Connection, hash: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM audit WHERE hash = ?1")?
        .exists([hash.to_ascii_lowercase()])?)
}

/// The schema objects of a file: (type, name) -> SQL with its spaces evened out.
fn schema_of(conn: &Connection) -> Result<BTreeMap<(String, String), String>> {
    let mut stmt = conn.prepare(
        "SELECT type, name, coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )?;
    let rows = stmt
        .query_map([], |r| {
            let sql: String = r.get(2)?;
            Ok((
                (r.get::<_, String>(0)?, r.get::<_, String>(1)?),
                sql.split_whitespace().collect::<Vec<_>>().join(" "),
            ))
        })?
        .collect::<rusqlite::Result<BTreeMap<_, _>>>()?;
    Ok(rows)
}

/// Tables, columns, indexes, triggers and views exactly as this schema version defines them.
pub fn verify_schema(conn: &Connection) -> Result<Part> {
    let mut fresh = Connection::open_in_memory()?;
    super::crypt::quiet(&fresh)?;
    migrate::migrate(&mut fresh)?;
    let want = schema_of(&fresh)?;
    let have = schema_of(conn)?;
    let mut problems = Problems::default();
    for ((kind, name), sql) in &want {
        match have.get(&(kind.clone(), name.clone())) {
            None => problems.push(format!(
                "The {kind} {name} is missing: this version of caseload defines it{}.",
                if kind == "trigger" {
                    ", and it protects records from being changed"
                } else {
                    ""
                }
            )),
            Some(s) if s != sql => problems.push(format!(
                "The {kind} {name} was changed from how caseload defines it."
            )),
            Some(_) => {}
        }
    }
    for (kind, name) in have.keys() {
        if !want.contains_key(&(kind.clone(), name.clone())) {
            problems.push(format!(
                "There is a {kind} {name} that caseload does not define: something else added it."
            ));
        }
    }
    let problems = problems.done();
    Ok(Part {
        ok: problems.is_empty(),
        problems,
    })
}

/// A record named in words: "client 12", "note 40", "audit entry 3", "goals row 5".
fn record_words(table: &str, row: &RowView<'_>) -> String {
    let name = match table {
        "clients" => "client",
        "sessions" => "session",
        "notes" => "note",
        "note_addenda" => "addendum",
        "audit" => "audit entry",
        "assessments" => "assessment",
        "cancellations" => "cancellation",
        "goals" => "goal",
        "discharges" => "discharge",
        _ => "",
    };
    let id = int(row.get("id"))
        .map(|i| i.to_string())
        .or_else(|| text(row.get("key")).map(|k| format!("“{k}”")))
        .unwrap_or_else(|| "?".into());
    if name.is_empty() {
        format!("{table} row {id}")
    } else {
        format!("{name} {id}")
    }
}

/// The problems of one row against the rules the app and the command line apply.
pub(crate) fn row_problems(table: &str, row: &RowView<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for (col, v) in row.names.iter().zip(row.values) {
        if let Field::Text(t) = v
            && let Some(p) = records::text_problem(table, col, t)
        {
            out.push(p);
        }
        if matches!(v, Field::Integer(_) | Field::Real(_))
            && records::column_kind(col) != records::ColumnKind::Other
        {
            out.push(format!("{col} is a number, not a date or time"));
        }
    }
    if table == "notes"
        && let (Some(t), Some(body)) = (text(row.get("template")), text(row.get("body")))
    {
        match t.parse::<NoteTemplate>() {
            Ok(template) => {
                if let Err(e) = NoteBody::from_json(template, body) {
                    out.push(e);
                }
            }
            Err(e) => out.push(format!("template: {e}")),
        }
    }
    out
}

/// Every row passes the rules the app and the command line apply: valid dates and times, known
/// words, lengths and control characters, note sections that exist in the note's template, and a
/// note's client equal to its session's client.
pub fn verify_records(conn: &Connection) -> Result<Part> {
    let mut problems = Problems::default();
    for t in schema::data_tables(conn)? {
        let sql = t.select_sql();
        each_row(conn, &sql, |row| {
            for p in row_problems(&t.name, row) {
                problems.push(format!("{}: {p}.", record_words(&t.name, row)));
            }
            Ok(())
        })?;
    }
    let mut stmt = conn.prepare(
        "SELECT n.id, n.client_id, s.id, s.client_id FROM notes n JOIN sessions s ON s.id = n.session_id
         WHERE n.client_id != s.client_id ORDER BY n.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (note, nc, session, sc): (i64, i64, i64, i64) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        problems.push(format!(
            "note {note}: it is filed under client {nc}, but its session {session} is client {sc}'s."
        ));
    }
    let problems = problems.done();
    Ok(Part {
        ok: problems.is_empty(),
        problems,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::client::{ClientInput, ClientStatus};
    use crate::domain::note::{NoteBody, NoteTemplate};
    use crate::store::Store;
    use chrono::{DateTime, Duration, TimeZone, Utc};
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Op {
        Client,
        Status(usize),
        Note(usize),
        Addendum(usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            Just(Op::Client),
            (0usize..8).prop_map(Op::Status),
            (0usize..8).prop_map(Op::Note),
            (0usize..8).prop_map(Op::Addendum),
        ]
    }

    fn run(ops: &[Op]) -> Store {
        let mut s = Store::open_in_memory().unwrap();
        let mut t: DateTime<Utc> = Utc.with_ymd_and_hms(2026, 3, 14, 9, 0, 0).unwrap();
        let today = t.date_naive();
        let mut clients = Vec::new();
        let mut notes = Vec::new();
        for (i, o) in std::iter::once(&Op::Client).chain(ops).enumerate() {
            t += Duration::minutes(7);
            match o {
                Op::Client => {
                    let f = ClientInput {
                        name: format!("Client “{i}”"),
                        ..Default::default()
                    }
                    .validate(today)
                    .unwrap();
                    clients.push(s.add_client(&f, t).unwrap().id);
                }
                Op::Status(k) => {
                    let c = clients[k % clients.len()];
                    let to = if i % 2 == 0 {
                        ClientStatus::OnHold
                    } else {
                        ClientStatus::Active
                    };
                    s.set_client_status(c, to, t).unwrap();
                }
                Op::Note(k) => {
                    let c = clients[k % clients.len()];
                    let body = NoteBody::from_sections(
                        NoteTemplate::Free,
                        &[format!("Met; talked about week {i}.\nNext: \"plan\".")],
                    );
                    let n = s.add_client_note(c, &body, t).unwrap();
                    s.sign_note(n.id, t).unwrap();
                    notes.push(n.id);
                }
                Op::Addendum(k) => {
                    if !notes.is_empty() {
                        let n = notes[k % notes.len()];
                        s.add_addendum(n, &format!("Addendum {i}: ü"), t).unwrap();
                    }
                }
            }
        }
        s
    }

    /// Changes one byte of one text value, as someone with the file could.
    fn flip(s: &Store, table: &str, column: &str, row: i64, at: usize) -> bool {
        let v: Option<String> = s
            .conn()
            .query_row(
                &format!("SELECT {column} FROM {table} WHERE id = ?1"),
                [row],
                |r| r.get(0),
            )
            .unwrap();
        let Some(v) = v.filter(|v| !v.is_empty()) else {
            return false;
        };
        let mut bytes = v.into_bytes();
        let i = at % bytes.len();
        bytes[i] ^= 0x01;
        s.conn()
            .execute_batch(
                "DROP TRIGGER IF EXISTS audit_is_never_changed;
                 DROP TRIGGER IF EXISTS signed_notes_are_final;
                 DROP TRIGGER IF EXISTS addenda_are_final;",
            )
            .unwrap();
        // A change the file's own constraints refuse (a note that is no longer JSON) can't be
        // made at all.
        s.conn()
            .execute(
                &format!("UPDATE {table} SET {column} = CAST(?2 AS TEXT) WHERE id = ?1"),
                rusqlite::params![row, bytes],
            )
            .is_ok()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
        #[test]
        fn clinical_changes_keep_the_chain_and_any_byte_changed_breaks_it(
            ops in proptest::collection::vec(op(), 1..24),
            which in 0usize..1000,
            at in 0usize..1000,
        ) {
            let s = run(&ops);
            let before = verify_seal(s.conn()).unwrap();
            prop_assert!(before.ok, "{:?}", before.problems);
            // The sealed values: every text column of every entry, every signed note's body and
            // every addendum's text.
            let mut targets: Vec<(&str, &str, i64)> = Vec::new();
            for id in s.conn().prepare("SELECT id FROM audit").unwrap()
                .query_map([], |r| r.get::<_, i64>(0)).unwrap().map(|r| r.unwrap()) {
                for col in ["at", "action", "entity", "detail", "seal", "prev_hash", "hash"] {
                    targets.push(("audit", col, id));
                }
            }
            for id in s.conn().prepare("SELECT id FROM notes WHERE signed_at IS NOT NULL").unwrap()
                .query_map([], |r| r.get::<_, i64>(0)).unwrap().map(|r| r.unwrap()) {
                targets.push(("notes", "body", id));
                targets.push(("notes", "signed_at", id));
            }
            for id in s.conn().prepare("SELECT id FROM note_addenda").unwrap()
                .query_map([], |r| r.get::<_, i64>(0)).unwrap().map(|r| r.unwrap()) {
                targets.push(("note_addenda", "text", id));
            }
            if targets.is_empty() {
                // Only clients added: nothing is sealed yet.
                return Ok(());
            }
            let (table, column, row) = targets[which % targets.len()];
            if flip(&s, table, column, row, at) {
                let after = verify_seal(s.conn()).unwrap();
                prop_assert!(!after.ok, "{table}.{column} of {row} changed unnoticed");
            }
        }
    }
}
