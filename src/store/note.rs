//! Progress notes in the practice file.
//!
//! A note is a draft until it is signed; drafts are saved as often as the practitioner likes.
//! Signing is final: the store refuses changes to a signed note, and a trigger refuses them
//! even from raw SQL. Corrections are addenda, each with its own time.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row};

use super::attention::Scope;
use super::{Result, Store, StoreError, instant, local, opt_instant, word};
use crate::domain::ValidationError;
use crate::domain::attention::AttentionItem;
use crate::domain::client::short_name;
use crate::domain::note::{Addendum, Note, NoteBody, NoteState, NoteTemplate, fts_query};
use crate::domain::time::{DateStyle, Shown, format_instant, format_local};

/// The most an addendum may hold, in characters.
pub const MAX_ADDENDUM: usize = 20_000;
/// The most a note may hold, in characters, all sections together.
pub const MAX_NOTE: usize = 200_000;

const NOTE_COLUMNS: &str = "n.id, n.client_id, c.name, n.session_id, s.starts_at, n.template, n.body, \
    n.created_at, n.updated_at, n.signed_at";
const NOTE_FROM: &str = "notes n JOIN clients c ON c.id = n.client_id \
    LEFT JOIN sessions s ON s.id = n.session_id";

fn note_from_row(r: &Row<'_>) -> rusqlite::Result<Note> {
    let template: NoteTemplate = word(r, 5)?;
    let body: String = r.get(6)?;
    let sections = NoteBody::from_json(template, &body).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(6, rusqlite::types::Type::Text, e.into())
    })?;
    let signed_at = opt_instant(r, 9)?;
    let starts: Option<String> = r.get(4)?;
    Ok(Note {
        id: r.get(0)?,
        client_id: r.get(1)?,
        client_name: r.get(2)?,
        session_id: r.get(3)?,
        session_starts_at: match starts {
            Some(_) => Some(local(r, 4)?),
            None => None,
        },
        template,
        state: if signed_at.is_some() {
            NoteState::Signed
        } else {
            NoteState::Draft
        },
        sections,
        created_at: instant(r, 7)?,
        updated_at: instant(r, 8)?,
        signed_at,
        addenda: Vec::new(),
    })
}

fn addenda_in(conn: &Connection, note_id: i64) -> Result<Vec<Addendum>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, note_id, text, created_at FROM note_addenda WHERE note_id = ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map([note_id], |r| {
            Ok(Addendum {
                id: r.get(0)?,
                note_id: r.get(1)?,
                text: r.get(2)?,
                created_at: instant(r, 3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn note_in(conn: &Connection, id: i64) -> Result<Note> {
    let mut note = conn
        .prepare_cached(&format!(
            "SELECT {NOTE_COLUMNS} FROM {NOTE_FROM} WHERE n.id = ?1"
        ))?
        .query_row([id], note_from_row)
        .optional()?
        .ok_or(StoreError::NotFound { what: "note", id })?;
    note.addenda = addenda_in(conn, id)?;
    Ok(note)
}

fn signed_refusal(note: &Note) -> StoreError {
    let when = note
        .signed_at
        .map(|t| format!(" on {}", t.format("%-d %b %Y")))
        .unwrap_or_default();
    StoreError::Refused(format!(
        "Note {} was signed{when}, so it can no longer be changed. Corrections are added as addenda: caseload note addendum {} --text \"…\"",
        note.id, note.id
    ))
}

/// Refuses a change that would move, cancel or revert a session whose note is signed: such a
/// session is final (`what` says what was asked, e.g. "moved").
pub(crate) fn refuse_if_signed(conn: &Connection, session_id: i64, what: &str) -> Result<()> {
    let signed: Option<i64> = conn
        .prepare_cached("SELECT id FROM notes WHERE session_id = ?1 AND signed_at IS NOT NULL")?
        .query_row([session_id], |r| r.get(0))
        .optional()?;
    match signed {
        Some(note) => Err(StoreError::Refused(format!(
            "Session {session_id} has a signed note (note {note}), so it is final and can't be {what}. Nothing was changed. To correct the record, add an addendum to the note (caseload note addendum {note} --text \"…\"); for another meeting, book a new session."
        ))),
        None => Ok(()),
    }
}

fn check_size(body: &NoteBody) -> Result<()> {
    let len: usize = body.sections().iter().map(|s| s.chars().count()).sum();
    if len > MAX_NOTE {
        return Err(ValidationError::one(
            "note",
            format!("is {len} characters long; a note holds at most {MAX_NOTE}"),
        )
        .into());
    }
    Ok(())
}

/// A search result: the note and a short extract around the words found.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NoteHit {
    pub note_id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub session_id: Option<i64>,
    #[serde(serialize_with = "serialize_opt_local")]
    pub session_starts_at: Option<NaiveDateTime>,
    pub template: NoteTemplate,
    pub state: NoteState,
    #[serde(serialize_with = "crate::domain::time::serialize_instant")]
    pub created_at: DateTime<Utc>,
    /// The words around the match, with the matches in [brackets].
    pub snippet: String,
}

fn serialize_opt_local<S: serde::Serializer>(
    t: &Option<NaiveDateTime>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&format_local(*t)),
        None => s.serialize_none(),
    }
}

/// An attended session whose note is missing or not yet signed, a day or more after it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnsignedSession {
    pub session_id: i64,
    pub client_id: i64,
    pub client_name: String,
    /// e.g. "Maria L." (preferred name and family initial).
    pub client: String,
    #[serde(serialize_with = "crate::domain::time::serialize_local")]
    pub starts_at: NaiveDateTime,
    /// The draft, when one was started.
    pub note_id: Option<i64>,
}

impl Store {
    /// One note, with its addenda.
    pub fn note(&self, id: i64) -> Result<Note> {
        note_in(self.conn(), id)
    }

    /// The note of a session, if one was written.
    pub fn note_for_session(&self, session_id: i64) -> Result<Option<Note>> {
        let id: Option<i64> = self
            .conn()
            .prepare_cached("SELECT id FROM notes WHERE session_id = ?1")?
            .query_row([session_id], |r| r.get(0))
            .optional()?;
        id.map(|id| self.note(id)).transpose()
    }

    /// Starts a note for a session (the client is the session's). Refused when the session
    /// already has a note.
    pub fn add_session_note(
        &mut self,
        session_id: i64,
        body: &NoteBody,
        now: DateTime<Utc>,
    ) -> Result<Note> {
        check_size(body)?;
        let id = self.write(|tx| {
            let client_id: i64 = tx
                .query_row(
                    "SELECT client_id FROM sessions WHERE id = ?1",
                    [session_id],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or(StoreError::NotFound {
                    what: "session",
                    id: session_id,
                })?;
            let existing: Option<i64> = tx
                .query_row(
                    "SELECT id FROM notes WHERE session_id = ?1",
                    [session_id],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(n) = existing {
                return Err(StoreError::Refused(format!(
                    "Session {session_id} already has a note (note {n}). Change a draft with caseload note edit {n}; add to a signed one with caseload note addendum {n} --text \"…\"."
                )));
            }
            insert_note(tx, client_id, Some(session_id), body, now)
        })?;
        self.note(id)
    }

    /// Starts a note for a client that belongs to no session.
    pub fn add_client_note(
        &mut self,
        client_id: i64,
        body: &NoteBody,
        now: DateTime<Utc>,
    ) -> Result<Note> {
        check_size(body)?;
        self.client(client_id)?;
        let id = self.write(|tx| insert_note(tx, client_id, None, body, now))?;
        self.note(id)
    }

    /// Saves a draft's sections (autosave and `note edit`). The template stays the note's own
    /// unless the draft is still empty. A signed note is refused and left as it was.
    pub fn save_draft(&mut self, id: i64, body: &NoteBody, now: DateTime<Utc>) -> Result<Note> {
        check_size(body)?;
        self.write(|tx| {
            let current = note_in(tx, id)?;
            if current.is_signed() {
                return Err(signed_refusal(&current));
            }
            if current.template != body.template() && !current.sections.is_empty() {
                return Err(StoreError::Refused(format!(
                    "Note {id} is written as a {} note; its template can only change while it is empty.",
                    current.template.label()
                )));
            }
            if current.sections == *body {
                return Ok(());
            }
            tx.execute(
                "UPDATE notes SET template = ?2, body = ?3, updated_at = ?4 WHERE id = ?1",
                (
                    id,
                    body.template().as_str(),
                    body.to_json(),
                    format_instant(now),
                ),
            )?;
            Ok(())
        })?;
        self.note(id)
    }

    /// Signs a note: from now on it is final, and corrections are addenda.
    pub fn sign_note(&mut self, id: i64, now: DateTime<Utc>) -> Result<Note> {
        self.write(|tx| {
            let current = note_in(tx, id)?;
            if let Some(at) = current.signed_at {
                return Err(StoreError::Refused(format!(
                    "Note {id} was already signed on {}.",
                    crate::clock::show(at, DateStyle::DayMonth, Shown::Date)
                )));
            }
            if current.sections.is_empty() {
                return Err(StoreError::Refused(format!(
                    "Note {id} is empty; write it before signing."
                )));
            }
            if let Some(starts) = current.session_starts_at
                && crate::clock::local_to_utc(starts) > now
            {
                return Err(StoreError::Refused(format!(
                    "Note {id} belongs to session {} on {}, which has not started yet; a note can be signed once its session has started. Nothing was changed.",
                    current.session_id.unwrap_or_default(),
                    starts.format("%-d %b %Y at %H:%M")
                )));
            }
            let at = format_instant(now);
            tx.execute(
                "UPDATE notes SET signed_at = ?2, updated_at = ?2 WHERE id = ?1",
                (id, &at),
            )?;
            super::audit::audit_sealing(
                tx,
                now,
                "note_signed",
                "note",
                Some(id),
                Some(current.client_id),
                None,
                ("notes", id),
            )?;
            Ok(())
        })?;
        self.note(id)
    }

    /// Adds a correction or addition to a signed note.
    pub fn add_addendum(&mut self, note_id: i64, text: &str, now: DateTime<Utc>) -> Result<Note> {
        let text = crate::domain::note::tidy(text);
        if text.is_empty() {
            return Err(ValidationError::one("text", "is empty; write the addendum").into());
        }
        let len = text.chars().count();
        if len > MAX_ADDENDUM {
            return Err(ValidationError::one(
                "text",
                format!("is {len} characters long; an addendum holds at most {MAX_ADDENDUM}"),
            )
            .into());
        }
        self.write(|tx| {
            let current = note_in(tx, note_id)?;
            if !current.is_signed() {
                return Err(StoreError::Refused(format!(
                    "Note {note_id} is still a draft, so it is changed directly (caseload note edit {note_id}); addenda are for signed notes."
                )));
            }
            tx.execute(
                "INSERT INTO note_addenda (note_id, text, created_at) VALUES (?1, ?2, ?3)",
                (note_id, &text, format_instant(now)),
            )?;
            let addendum = tx.last_insert_rowid();
            let detail = format!("addendum {addendum} to note {note_id}");
            super::audit::audit_sealing(
                tx,
                now,
                "addendum_added",
                "note",
                Some(note_id),
                Some(current.client_id),
                Some(&detail),
                ("note_addenda", addendum),
            )?;
            Ok(())
        })?;
        self.note(note_id)
    }

    /// A client's notes, newest first (by session time, then by when they were written).
    pub fn notes_for_client(&self, client_id: i64) -> Result<Vec<Note>> {
        self.client(client_id)?;
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {NOTE_COLUMNS} FROM {NOTE_FROM} WHERE n.client_id = ?1
             ORDER BY coalesce(s.starts_at, substr(n.created_at, 1, 16)) DESC, n.id DESC"
        ))?;
        let mut notes = stmt
            .query_map([client_id], note_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for n in &mut notes {
            n.addenda = addenda_in(self.conn(), n.id)?;
        }
        Ok(notes)
    }

    /// Notes whose text or addenda hold every word of `query` (each as a word prefix; case,
    /// accents and punctuation ignored), the most recently written first, at most `limit`.
    /// Restricted to one client when `client_id` is given. A search longer than
    /// [`crate::domain::note::SEARCH_MAX_CHARS`] or with more than
    /// [`crate::domain::note::SEARCH_MAX_WORDS`] words is refused with a message.
    ///
    /// One FTS5 query, read newest first and stopped at `limit`: no ranking of every match,
    /// so a common word costs no more than a rare one. For one client, SQLite walks that
    /// client's notes and asks the index about each.
    pub fn search_notes(
        &self,
        query: &str,
        client_id: Option<i64>,
        limit: usize,
    ) -> Result<Vec<NoteHit>> {
        let Some(q) = fts_query(query).map_err(StoreError::Refused)? else {
            return Ok(Vec::new());
        };
        // The index is read newest first and stops at `limit`. For one client, only the
        // stretch of notes between that client's first and last is read.
        let filter = if client_id.is_some() {
            "notes_fts MATCH ?1 AND n.client_id = ?2
             AND notes_fts.rowid BETWEEN (SELECT min(id) FROM notes WHERE client_id = ?2)
                                     AND (SELECT max(id) FROM notes WHERE client_id = ?2)"
        } else {
            "notes_fts MATCH ?1 AND ?2 IS NULL"
        };
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT n.id, n.client_id, c.name, n.session_id, s.starts_at, n.template, n.signed_at,
                    n.created_at, snippet(notes_fts, 0, '[', ']', '…', 12)
             FROM notes_fts CROSS JOIN notes n ON n.id = notes_fts.rowid
             JOIN clients c ON c.id = n.client_id
             LEFT JOIN sessions s ON s.id = n.session_id
             WHERE {filter}
             ORDER BY notes_fts.rowid DESC
             LIMIT ?3"
        ))?;
        let rows = stmt
            .query_map(rusqlite::params![q, client_id, limit as i64], |r| {
                let starts: Option<String> = r.get(4)?;
                let signed: Option<String> = r.get(6)?;
                let snippet: String = r.get(8)?;
                Ok(NoteHit {
                    note_id: r.get(0)?,
                    client_id: r.get(1)?,
                    client_name: r.get(2)?,
                    session_id: r.get(3)?,
                    session_starts_at: match starts {
                        Some(_) => Some(local(r, 4)?),
                        None => None,
                    },
                    template: word(r, 5)?,
                    state: if signed.is_some() {
                        NoteState::Signed
                    } else {
                        NoteState::Draft
                    },
                    created_at: instant(r, 7)?,
                    snippet: snippet.replace('\n', " "),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The note state of each session starting in `[from, to)` (sessions without a note are
    /// absent: their state is [`NoteState::None`]).
    pub fn note_states_between(
        &self,
        from: NaiveDateTime,
        to: NaiveDateTime,
    ) -> Result<HashMap<i64, NoteState>> {
        let mut stmt = self.conn().prepare_cached(
            // The state index holds all this needs: no note's body is read.
            "SELECT s.id, n.signed_at IS NOT NULL
             FROM sessions s JOIN notes n INDEXED BY notes_state_by_session ON n.session_id = s.id
             WHERE s.starts_at >= ?1 AND s.starts_at < ?2",
        )?;
        let rows = stmt
            .query_map((format_local(from), format_local(to)), |r| {
                let signed: bool = r.get(1)?;
                Ok((
                    r.get(0)?,
                    if signed {
                        NoteState::Signed
                    } else {
                        NoteState::Draft
                    },
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Attended sessions (on time or late) that started 24 hours or more before `now` and have
    /// no signed note, oldest first (at most `limit`).
    pub fn unsigned_attended_sessions(
        &self,
        now: NaiveDateTime,
        limit: usize,
    ) -> Result<Vec<UnsignedSession>> {
        self.unsigned_attended_sessions_in(now, limit, Scope::Practice)
    }

    /// [`Store::unsigned_attended_sessions`] for the practice or one client.
    pub fn unsigned_attended_sessions_in(
        &self,
        now: NaiveDateTime,
        limit: usize,
        scope: Scope,
    ) -> Result<Vec<UnsignedSession>> {
        let before = format_local(now - Duration::hours(24));
        let since = format_local(now - Duration::days(NO_NOTE_LOOKBACK_DAYS));
        // Two small reads rather than a scan of every attended session: drafts of any age (a
        // partial index holds only them; CROSS JOIN keeps SQLite starting from it), and recent
        // attended sessions with no note at all.
        // For one client, SQLite starts from the client's sessions instead.
        // INDEXED BY: without statistics SQLite weighs the drafts index and the unique index
        // by session as equals and takes the first it finds; an encrypted file (written by
        // sqlcipher_export, unique indexes last) has them in the other order, and walking every
        // note there read 7,000 pages instead of 500 on 2,000 clients.
        let drafts = match scope {
            Scope::Practice => {
                "notes n INDEXED BY notes_drafts_by_session CROSS JOIN sessions s ON s.id = n.session_id"
            }
            Scope::Client(_) => "sessions s JOIN notes n ON n.session_id = s.id",
        };
        let only = scope.and("s.client_id", 4);
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT s.id, s.client_id, c.name, c.preferred_name, s.starts_at, n.id
             FROM {drafts} JOIN clients c ON c.id = s.client_id
             WHERE n.signed_at IS NULL AND n.session_id IS NOT NULL
               AND s.status IN ('attended', 'late') AND s.starts_at <= ?1{only}
             UNION ALL
             SELECT s.id, s.client_id, c.name, c.preferred_name, s.starts_at, NULL
             FROM sessions s JOIN clients c ON c.id = s.client_id
             WHERE s.status IN ('attended', 'late') AND s.starts_at <= ?1 AND s.starts_at >= ?3{only}
               AND NOT EXISTS (SELECT 1 FROM notes n WHERE n.session_id = s.id)
             ORDER BY 5, 1 LIMIT ?2",
        ))?;
        let rows = stmt
            .query_map(
                &*scope.params(&[&before, &i64::try_from(limit).unwrap_or(i64::MAX), &since]),
                |r| {
                    let name: String = r.get(2)?;
                    let preferred: Option<String> = r.get(3)?;
                    Ok(UnsignedSession {
                        session_id: r.get(0)?,
                        client_id: r.get(1)?,
                        client: short_name(&name, preferred.as_deref()),
                        client_name: name,
                        starts_at: local(r, 4)?,
                        note_id: r.get(5)?,
                    })
                },
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

/// Fills the notes' search index from the notes and their addenda in one statement, as its
/// triggers (migration 003) would have one row at a time: an import sets the triggers aside and
/// runs this once the rows are in.
pub(crate) const NOTES_FTS_FILL: &str = "INSERT INTO notes_fts (rowid, text)
    SELECT n.id, (SELECT coalesce(group_concat(value, char(10)), '') FROM json_each(n.body))
        || coalesce(char(10) || (SELECT group_concat(a.text, char(10)) FROM note_addenda a
                                 WHERE a.note_id = n.id), '')
    FROM notes n";

/// How far back Today looks for attended sessions with no note at all (drafts are listed
/// whatever their age). Older gaps are found with `caseload note list` and the Notes tab.
pub const NO_NOTE_LOOKBACK_DAYS: i64 = 120;

impl Store {
    /// The needs-attention items about notes: attended sessions a day old or more without a
    /// signed note.
    pub fn note_attention(
        &self,
        now: NaiveDateTime,
        limit: usize,
        scope: Scope,
    ) -> Result<Vec<AttentionItem>> {
        Ok(self
            .unsigned_attended_sessions_in(now, limit, scope)?
            .into_iter()
            .map(|u| AttentionItem::UnsignedNote {
                session_id: u.session_id,
                client_id: u.client_id,
                client: u.client,
                starts_at: u.starts_at,
                note_id: u.note_id,
            })
            .collect())
    }

    /// Each session's note state on a day, by session id (for Today's note column).
    pub fn day_note_states(&self, day: chrono::NaiveDate) -> Result<HashMap<i64, NoteState>> {
        let from = day.and_time(chrono::NaiveTime::MIN);
        self.note_states_between(from, from + Duration::days(1))
    }
}

/// Inserts a note as written at `written` (and signed at `signed`), for the demo practice.
pub(crate) fn insert_note_at(
    tx: &rusqlite::Transaction<'_>,
    client_id: i64,
    session_id: i64,
    body: &NoteBody,
    written: DateTime<Utc>,
    signed: Option<DateTime<Utc>>,
) -> Result<i64> {
    let signed = signed.map(format_instant);
    tx.prepare_cached(
        "INSERT INTO notes (client_id, session_id, template, body, created_at, updated_at, signed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, coalesce(?6, ?5), ?6)",
    )?
    .execute(rusqlite::params![
        client_id,
        session_id,
        body.template().as_str(),
        body.to_json(),
        format_instant(written),
        signed
    ])?;
    Ok(tx.last_insert_rowid())
}

/// Inserts a note inside an open transaction (shared by the app, the CLI and the demo).
pub(crate) fn insert_note(
    tx: &rusqlite::Transaction<'_>,
    client_id: i64,
    session_id: Option<i64>,
    body: &NoteBody,
    now: DateTime<Utc>,
) -> Result<i64> {
    let at = format_instant(now);
    tx.prepare_cached(
        "INSERT INTO notes (client_id, session_id, template, body, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
    )?
    .execute(rusqlite::params![
        client_id,
        session_id,
        body.template().as_str(),
        body.to_json(),
        at
    ])?;
    Ok(tx.last_insert_rowid())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::client::ClientInput;
    use chrono::NaiveDate;

    fn now() -> DateTime<Utc> {
        crate::domain::time::parse_instant("2026-11-23T12:00:00Z").unwrap()
    }

    #[test]
    fn old_drafts_stay_listed_and_old_gaps_fall_back_to_the_notes_tab() {
        let (mut store, client, _) = practice();
        let old_draft = add_session(&mut store, client, "2026-03-02T09:00", "attended");
        let old_gap = add_session(&mut store, client, "2026-03-09T09:00", "attended");
        let recent_gap = add_session(&mut store, client, "2026-10-05T09:00", "attended");
        let body = NoteBody::from_sections(NoteTemplate::Soap, &["Came in tired."]);
        store.add_session_note(old_draft, &body, now()).unwrap();
        let now_local = NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let ids: Vec<i64> = store
            .unsigned_attended_sessions(now_local, 200)
            .unwrap()
            .into_iter()
            .map(|u| u.session_id)
            .collect();
        assert!(
            ids.contains(&old_draft),
            "a draft is listed whatever its age"
        );
        assert!(
            ids.contains(&recent_gap),
            "a recent session with no note is listed"
        );
        assert!(
            !ids.contains(&old_gap),
            "beyond {NO_NOTE_LOOKBACK_DAYS} days: the Notes tab"
        );
        // Oldest first.
        assert_eq!(ids.first(), Some(&old_draft));
    }

    fn practice() -> (Store, i64, i64) {
        let mut store = Store::open_in_memory().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let input = ClientInput {
            name: "Maria Lopez".into(),
            ..ClientInput::default()
        };
        let c = store
            .add_client(&input.validate(today).unwrap(), now())
            .unwrap();
        let session = add_session(&mut store, c.id, "2026-11-20T09:00", "attended");
        (store, c.id, session)
    }

    fn add_session(store: &mut Store, client: i64, at: &str, status: &str) -> i64 {
        store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO sessions (client_id, starts_at, minutes, modality, status, created_at, updated_at)
                     VALUES (?1, ?2, 50, 'in_person', ?3, 'x', 'x')",
                    (client, at, status),
                )?;
                Ok(tx.last_insert_rowid())
            })
            .unwrap()
    }

    fn soap(s: &str) -> NoteBody {
        NoteBody::from_sections(NoteTemplate::Soap, &[s, "calm", "", "diary"])
    }

    fn raw_row(store: &Store, id: i64) -> (String, String, String, Option<String>) {
        store
            .conn()
            .query_row(
                "SELECT template, body, updated_at, signed_at FROM notes WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap()
    }

    #[test]
    fn drafts_save_and_sign() {
        let (mut store, client, session) = practice();
        let n = store
            .add_session_note(session, &soap("slept badly"), now())
            .unwrap();
        assert_eq!(n.client_id, client);
        assert_eq!(n.state, NoteState::Draft);
        assert_eq!(
            n.session_starts_at.unwrap().to_string(),
            "2026-11-20 09:00:00"
        );
        let later = now() + Duration::minutes(5);
        let n = store
            .save_draft(n.id, &soap("slept better"), later)
            .unwrap();
        assert_eq!(n.sections.section(0), "slept better");
        assert_eq!(n.updated_at, later);
        assert_eq!(store.note_for_session(session).unwrap().unwrap().id, n.id);
        let e = store
            .add_session_note(session, &soap("again"), now())
            .unwrap_err();
        assert!(e.to_string().contains("already has a note"), "{e}");
        let n = store.sign_note(n.id, later).unwrap();
        assert_eq!(n.state, NoteState::Signed);
        assert!(
            store
                .sign_note(n.id, later)
                .unwrap_err()
                .to_string()
                .contains("already signed")
        );
    }

    #[test]
    fn a_signed_note_refuses_every_change_even_raw_sql() {
        let (mut store, _, session) = practice();
        let n = store
            .add_session_note(session, &soap("original"), now())
            .unwrap();
        store.sign_note(n.id, now()).unwrap();
        let before = raw_row(&store, n.id);
        let e = store
            .save_draft(n.id, &soap("rewritten"), now())
            .unwrap_err();
        assert!(e.to_string().contains("can no longer be changed"), "{e}");
        for sql in [
            "UPDATE notes SET body = '{\"subjective\":\"x\"}' WHERE id = ?1",
            "UPDATE notes SET template = 'free' WHERE id = ?1",
            "UPDATE notes SET session_id = NULL WHERE id = ?1",
            "UPDATE notes SET signed_at = NULL WHERE id = ?1",
            "DELETE FROM notes WHERE id = ?1",
        ] {
            let e = store.conn().execute(sql, [n.id]).unwrap_err();
            assert!(e.to_string().contains("note"), "{sql}: {e}");
        }
        assert_eq!(raw_row(&store, n.id), before);
        // Drafts are never deleted either.
        let other = add_session(&mut store, n.client_id, "2026-11-21T09:00", "attended");
        let d = store
            .add_session_note(other, &soap("draft"), now())
            .unwrap();
        assert!(
            store
                .conn()
                .execute("DELETE FROM notes WHERE id = ?1", [d.id])
                .is_err()
        );
    }

    #[test]
    fn addenda_follow_signing_and_are_final() {
        let (mut store, _, session) = practice();
        let n = store
            .add_session_note(session, &soap("original"), now())
            .unwrap();
        let e = store.add_addendum(n.id, "more", now()).unwrap_err();
        assert!(e.to_string().contains("still a draft"), "{e}");
        assert!(
            store
                .conn()
                .execute(
                    "INSERT INTO note_addenda (note_id, text, created_at) VALUES (?1, 'x', 'x')",
                    [n.id]
                )
                .is_err()
        );
        store.sign_note(n.id, now()).unwrap();
        assert!(store.add_addendum(n.id, "   \n", now()).is_err());
        let t1 = now() + Duration::hours(1);
        let t2 = now() + Duration::hours(2);
        store
            .add_addendum(n.id, "Client called: dose changed.", t1)
            .unwrap();
        let n = store.add_addendum(n.id, "Second thought.", t2).unwrap();
        assert_eq!(n.addenda.len(), 2);
        assert_eq!(n.addenda[0].created_at, t1);
        assert_eq!(n.addenda[1].text, "Second thought.");
        let a = n.addenda[0].id;
        assert!(
            store
                .conn()
                .execute("UPDATE note_addenda SET text = 'y' WHERE id = ?1", [a])
                .is_err()
        );
        assert!(
            store
                .conn()
                .execute("DELETE FROM note_addenda WHERE id = ?1", [a])
                .is_err()
        );
        // Addenda are searchable.
        let hits = store.search_notes("dose", None, 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert!(hits[0].snippet.contains("[dose]"), "{}", hits[0].snippet);
    }

    #[test]
    fn search_is_safe_with_punctuation() {
        let (mut store, client, session) = practice();
        let n = store
            .add_session_note(
                session,
                &soap("Talked about her mother's café (\"the usual\"). Sleep: 5h."),
                now(),
            )
            .unwrap();
        for q in [
            "mother's",
            "\"the usual\"",
            "cafe",
            "sleep:",
            "(café",
            "AND",
            "NOT sleep",
            "*",
            "\"",
            "'",
            "-",
            "5h.",
            "a OR",
            "NEAR(",
            "}",
            "^",
            "sle",
        ] {
            let r = store.search_notes(q, None, 10);
            assert!(r.is_ok(), "{q}: {r:?}");
        }
        let ids = |store: &Store, q: &str| -> Vec<i64> {
            store
                .search_notes(q, None, 10)
                .unwrap()
                .iter()
                .map(|h| h.note_id)
                .collect()
        };
        assert_eq!(ids(&store, "mother's café"), [n.id]);
        assert_eq!(ids(&store, "CAFE"), [n.id]);
        assert_eq!(ids(&store, "sle"), [n.id]);
        assert_eq!(ids(&store, "usual diary"), [n.id]);
        assert!(ids(&store, "anxiety").is_empty());
        assert!(ids(&store, "!!!").is_empty());
        // Editing a draft updates the index.
        store
            .save_draft(n.id, &soap("anxiety at work"), now())
            .unwrap();
        assert!(ids(&store, "café").is_empty());
        assert_eq!(ids(&store, "anxiety"), [n.id]);
        assert_eq!(
            store
                .search_notes("anxiety", Some(client), 10)
                .unwrap()
                .len(),
            1
        );
        assert!(
            store
                .search_notes("anxiety", Some(client + 1), 10)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn search_lists_the_newest_first_and_refuses_long_searches() {
        let (mut store, client, s1) = practice();
        let s2 = add_session(&mut store, client, "2026-11-22T13:00", "attended");
        let s3 = add_session(&mut store, client, "2026-11-18T09:00", "attended");
        let a = store
            .add_session_note(s1, &soap("Panic on the bus."), now())
            .unwrap()
            .id;
        let b = store
            .add_session_note(s2, &soap("Panicky before work."), now())
            .unwrap()
            .id;
        let c = store
            .add_session_note(s3, &soap("No panic this week."), now())
            .unwrap()
            .id;
        let ids = |q: &str, who: Option<i64>, limit: usize| -> Vec<i64> {
            store
                .search_notes(q, who, limit)
                .unwrap()
                .iter()
                .map(|h| h.note_id)
                .collect()
        };
        assert_eq!(ids("panic", None, 10), [c, b, a]);
        assert_eq!(ids("panic", None, 2), [c, b]);
        assert_eq!(ids("panic", Some(client), 10), [c, b, a]);
        assert_eq!(ids("panic", Some(client), 1), [c]);
        assert!(ids("panic", Some(client + 1), 10).is_empty());
        assert_eq!(ids("panic PANICKY panic", None, 10), [b]);
        let many: Vec<String> = (0..17).map(|i| format!("word{i}")).collect();
        match store.search_notes(&many.join(" "), None, 10) {
            Err(StoreError::Refused(m)) => assert_eq!(
                m,
                "A search can have up to 16 words; this one has 17. Search for the few words that matter most."
            ),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn unsigned_attended_sessions_after_a_day() {
        let (mut store, client, s1) = practice(); // attended 20 Nov 09:00
        let s2 = add_session(&mut store, client, "2026-11-22T13:00", "late");
        let s3 = add_session(&mut store, client, "2026-11-19T09:00", "no_show");
        let s4 = add_session(&mut store, client, "2026-11-18T09:00", "attended");
        let _ = s3;
        let now_local = NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        let due: Vec<i64> = store
            .unsigned_attended_sessions(now_local, 100)
            .unwrap()
            .iter()
            .map(|u| u.session_id)
            .collect();
        assert_eq!(due, [s4, s1]); // s2 is under 24 h old
        let n = store.add_session_note(s4, &soap("x"), now()).unwrap();
        let due = store.unsigned_attended_sessions(now_local, 100).unwrap();
        assert_eq!(due[0].note_id, Some(n.id));
        store.sign_note(n.id, now()).unwrap();
        let due: Vec<i64> = store
            .unsigned_attended_sessions(now_local + Duration::hours(2), 100)
            .unwrap()
            .iter()
            .map(|u| u.session_id)
            .collect();
        assert_eq!(due, [s1, s2]);
        let states = store
            .note_states_between(
                NaiveDate::from_ymd_opt(2026, 11, 1)
                    .unwrap()
                    .and_hms_opt(0, 0, 0)
                    .unwrap(),
                now_local,
            )
            .unwrap();
        assert_eq!(states.get(&s4), Some(&NoteState::Signed));
        assert_eq!(states.get(&s1), None);
    }

    #[test]
    fn template_changes_only_while_empty_and_lists_newest_first() {
        let (mut store, client, session) = practice();
        let n = store
            .add_session_note(session, &NoteBody::empty(NoteTemplate::Soap), now())
            .unwrap();
        let dap = NoteBody::from_sections(NoteTemplate::Dap, &["data"]);
        let n = store.save_draft(n.id, &dap, now()).unwrap();
        assert_eq!(n.template, NoteTemplate::Dap);
        let e = store.save_draft(n.id, &soap("x"), now()).unwrap_err();
        assert!(e.to_string().contains("template"), "{e}");
        let free = store
            .add_client_note(client, &NoteBody::empty(NoteTemplate::Free), now())
            .unwrap();
        let e = store.sign_note(free.id, now()).unwrap_err();
        assert!(e.to_string().contains("empty"), "{e}");
        let later = add_session(&mut store, client, "2026-11-22T09:00", "attended");
        let n2 = store.add_session_note(later, &soap("y"), now()).unwrap();
        let list: Vec<i64> = store
            .notes_for_client(client)
            .unwrap()
            .iter()
            .map(|n| n.id)
            .collect();
        // The note without a session was written on the 23rd: it comes first.
        assert_eq!(list, [free.id, n2.id, n.id]);
        assert!(store.notes_for_client(999).is_err());
    }
}
