//! Verifying a practice file: the seal of its audit trail, its schema objects, and its records.
//!
//! `caseload check` runs all three on the practice; `import` and `restore` run them on what they
//! are given, before it replaces anything, and refuse it on any problem.

use std::collections::{BTreeMap, HashMap};

use rusqlite::Connection;

use super::audit::{RowView, row_values};
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
    /// Sealed notes and addenda removed by a disposal after their retention period: their
    /// seals stay in the chain, marked disposed rather than broken.
    pub disposed: u64,
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

/// A value of a row read generically (text that is not UTF-8 as bytes), borrowed from it.
fn field<'r>(r: &'r rusqlite::Row<'_>, i: Option<usize>) -> rusqlite::Result<Field<'r>> {
    match i {
        Some(i) => Ok(to_field(r.get_ref(i)?)),
        None => Ok(Field::Null),
    }
}

/// Calls `f` with a whole row as a [`RowView`] (for the words of a problem: the slow path).
fn with_view<T>(
    r: &rusqlite::Row<'_>,
    names: &[String],
    f: impl FnOnce(&RowView<'_>) -> T,
) -> rusqlite::Result<T> {
    let values = row_values(r, names.len())?;
    Ok(f(&RowView {
        names,
        values: &values,
    }))
}

/// The chain from the first entry, and every signed note and addendum against its seal.
///
/// One pass over the trail with one prepared statement: each entry's canonical form is written
/// into one reused buffer by a writer that knows the column order, hashed, and compared as
/// bytes; nothing is allocated for an entry that is in order.
pub fn verify_seal(conn: &Connection) -> Result<SealPart> {
    let mut problems = Problems::default();
    let mut entries = 0u64;
    // The hash of the entry before (none before the first).
    let mut last = String::new();
    let mut have_last = false;
    // (sealed table, row) -> (entry, seal), every seal written for the row.
    let mut seals: HashMap<(usize, i64), Vec<(i64, String)>> = HashMap::new();
    // Sealing entry -> the client it concerns.
    let mut sealed_for: HashMap<i64, i64> = HashMap::new();
    {
        let mut stmt = conn.prepare("SELECT * FROM audit ORDER BY id")?;
        let names: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let ix = |n: &str| names.iter().position(|c| c == n);
        let (i_prev, i_hash, i_id, i_client) =
            (ix("prev_hash"), ix("hash"), ix("id"), ix("client_id"));
        let (i_table, i_row, i_seal) = (ix("sealed_table"), ix("sealed_id"), ix("seal"));
        let writer = seal::CanonicalWriter::new(&refs, &seal::CHAIN_COLUMNS);
        let mut form = String::with_capacity(512);
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            entries += 1;
            let prev = text(field(r, i_prev)?);
            let hash = text(field(r, i_hash)?);
            match (prev, hash) {
                (Some(prev), Some(hash)) => {
                    let expected_prev = if have_last { &last } else { seal::GENESIS };
                    if prev != expected_prev {
                        let words = with_view(r, &names, entry_words)?;
                        problems.push(format!(
                            "The audit trail is broken before {words}: an entry before it was removed, changed or moved. The history before it can't be trusted; restore a backup you trust."
                        ));
                    }
                    let mut bad = None;
                    writer.write(
                        |i| match r.get_ref(i) {
                            Ok(v) => to_field(v),
                            Err(e) => {
                                bad = Some(e);
                                Field::Null
                            }
                        },
                        &mut form,
                    );
                    if let Some(e) = bad {
                        return Err(e.into());
                    }
                    if seal::chain_hash_bytes(prev, &form) != hash.as_bytes() {
                        let words = with_view(r, &names, entry_words)?;
                        problems.push(format!(
                            "Audit {words} was changed after it was written (it no longer matches its seal)."
                        ));
                    }
                    last.clear();
                    last.push_str(hash);
                    have_last = true;
                }
                _ => {
                    let words = with_view(r, &names, entry_words)?;
                    problems.push(format!(
                        "Audit {words} is not sealed: it was added outside caseload."
                    ));
                    last.clear();
                    have_last = hash.is_some();
                    if let Some(h) = hash {
                        last.push_str(h);
                    }
                }
            }
            if let (Some(t), Some(row), Some(s)) = (
                text(field(r, i_table)?),
                int(field(r, i_row)?),
                text(field(r, i_seal)?),
            ) && let Some(t) = seal::SEALED_TABLES.iter().position(|x| *x == t)
            {
                let id = int(field(r, i_id)?).unwrap_or_default();
                seals.entry((t, row)).or_default().push((id, s.to_string()));
                if let Some(c) = int(field(r, i_client)?) {
                    sealed_for.insert(id, c);
                }
            }
        }
    }
    let disposed_clients = disposed_clients(conn)?;
    let mut disposed = 0u64;
    for (ti, table) in seal::SEALED_TABLES.iter().enumerate() {
        let Some(cols) = seal::sealed_columns(table) else {
            continue;
        };
        let what = if *table == "notes" {
            "Note"
        } else {
            "Addendum"
        };
        let sql = format!("SELECT {} FROM {table} ORDER BY id", cols.join(", "));
        let mut seen = std::collections::HashSet::new();
        let mut stmt = conn.prepare(&sql)?;
        let ix = |n: &str| cols.iter().position(|c| *c == n);
        let (i_id, i_client, i_note, i_signed) =
            (ix("id"), ix("client_id"), ix("note_id"), ix("signed_at"));
        let writer = seal::CanonicalWriter::new(cols, &[]);
        let mut form = String::with_capacity(4096);
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id = int(field(r, i_id)?).unwrap_or_default();
            seen.insert(id);
            let must_be_sealed = *table != "notes" || !matches!(field(r, i_signed)?, Field::Null);
            let client = || -> rusqlite::Result<String> {
                Ok(match int(field(r, i_client)?) {
                    Some(c) => format!(" (client {c})"),
                    None => int(field(r, i_note)?)
                        .map(|n| format!(" (of note {n})"))
                        .unwrap_or_default(),
                })
            };
            match seals.get(&(ti, id)) {
                Some(list) => {
                    let mut bad = None;
                    writer.write(
                        |i| match r.get_ref(i) {
                            Ok(v) => to_field(v),
                            Err(e) => {
                                bad = Some(e);
                                Field::Null
                            }
                        },
                        &mut form,
                    );
                    if let Some(e) = bad {
                        return Err(e.into());
                    }
                    let now = seal::sha256_hex_bytes(form.as_bytes());
                    for (entry, s) in list {
                        if s.as_bytes() != now {
                            problems.push(format!(
                                "{what} {id}{} was changed after it was signed: it no longer matches the seal in audit entry {entry}.",
                                client()?
                            ));
                        }
                    }
                }
                None if must_be_sealed => problems.push(format!(
                    "{what} {id}{} is signed, but no audit entry seals it (the entry that signed it is missing).",
                    client()?
                )),
                None => {}
            }
        }
        let mut gone: Vec<(i64, i64)> = seals
            .iter()
            .filter(|((t, r), _)| *t == ti && !seen.contains(r))
            .filter_map(|((_, r), list)| list.first().map(|(e, _)| (*r, *e)))
            .collect();
        gone.sort_unstable();
        // A record disposed of with its client is gone by design, not broken.
        let before = gone.len();
        gone.retain(|(_, e)| {
            !sealed_for
                .get(e)
                .is_some_and(|c| disposed_clients.contains(c))
        });
        disposed += (before - gone.len()) as u64;
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
        head: have_last.then_some(last),
        disposed,
    })
}

/// A borrowed SQLite value as a [`Field`] (text that is not UTF-8 as bytes).
fn to_field(v: rusqlite::types::ValueRef<'_>) -> Field<'_> {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Null => Field::Null,
        ValueRef::Integer(x) => Field::Integer(x),
        ValueRef::Real(x) => Field::Real(x),
        ValueRef::Text(t) => match std::str::from_utf8(t) {
            Ok(s) => Field::Text(s),
            Err(_) => Field::Blob(t),
        },
        ValueRef::Blob(b) => Field::Blob(b),
    }
}

/// The clients whose records were disposed of (none before the disposal log existed).
fn disposed_clients(conn: &Connection) -> Result<std::collections::HashSet<i64>> {
    let has_log: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'disposals')",
        [],
        |r| r.get(0),
    )?;
    if !has_log {
        return Ok(Default::default());
    }
    let mut stmt = conn.prepare("SELECT client_id FROM disposals")?;
    let ids = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
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

/// Whether a note's template and sections keep the rules, read quickly: the sections' names
/// borrowed from the text and their values only looked at. `false` sends the row to
/// [`row_problems`], which says exactly what is wrong (or finds nothing: a name written with
/// escapes, which this quick look does not read).
fn note_body_allows(template: Field<'_>, body: Field<'_>) -> bool {
    let (Some(t), Some(body)) = (text(template), text(body)) else {
        // Without both there is nothing to check against each other.
        return true;
    };
    let Ok(template) = t.parse::<NoteTemplate>() else {
        return false;
    };
    let Ok(map) = serde_json::from_str::<HashMap<&str, &serde_json::value::RawValue>>(body) else {
        return false;
    };
    let sections = template.sections();
    map.iter()
        .all(|(k, v)| v.get().starts_with('"') && sections.iter().any(|s| s.key == *k))
}

/// Every row passes the rules the app and the command line apply: valid dates and times, known
/// words, lengths and control characters, note sections that exist in the note's template, and a
/// note's client equal to its session's client.
///
/// One pass per table with one prepared statement; each column's rules are worked out once per
/// table, and a row is looked at in place (no copy). Only a row that fails the quick look is read
/// again in full for the words of its problems.
pub fn verify_records(conn: &Connection) -> Result<Part> {
    let mut problems = Problems::default();
    for t in schema::data_tables(conn)? {
        let sql = t.select_sql();
        let mut stmt = conn.prepare(&sql)?;
        let names: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
        let rules: Vec<records::ColumnRule> = names
            .iter()
            .map(|c| records::ColumnRule::of(&t.name, c))
            .collect();
        let notes = t.name == "notes";
        let ix = |n: &str| names.iter().position(|c| c == n);
        let (i_template, i_body) = (ix("template"), ix("body"));
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let mut fine = true;
            for (i, rule) in rules.iter().enumerate() {
                fine = match to_field(r.get_ref(i)?) {
                    Field::Text(v) => rule.allows(v),
                    Field::Integer(_) | Field::Real(_) => rule.kind == records::ColumnKind::Other,
                    Field::Null | Field::Blob(_) => true,
                };
                if !fine {
                    break;
                }
            }
            if fine && notes {
                fine = note_body_allows(field(r, i_template)?, field(r, i_body)?);
            }
            if !fine {
                with_view(r, &names, |row| {
                    for p in row_problems(&t.name, row) {
                        problems.push(format!("{}: {p}.", record_words(&t.name, row)));
                    }
                })?;
            }
        }
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
