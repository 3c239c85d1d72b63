//! The practice profile, the policy the handout states, the Q&A, and handouts given.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use super::{Result, Store, StoreError, date, date_text, local, word};
use crate::domain::ValidationError;
use crate::domain::client::{ClientStatus, Telehealth};
use crate::domain::handout::{HandoutContent, HandoutState, RhythmSession, rhythm};
use crate::domain::practice::{
    CancellationPolicy, PracticeProfile, QaItem, check_qa, open_days, qa_defaults,
};
use crate::domain::session::SessionStatus;
use crate::domain::time::format_instant;

/// Settings keys.
pub const PROFILE_KEY: &str = "practice_profile";
const QA_SEEDED_KEY: &str = "qa_defaults_written";

/// Writes the default Q&A into a practice that has never had it (once per file, even if the
/// practitioner later removes every item). Called when the file is opened.
pub(crate) fn seed_defaults(conn: &mut Connection) -> rusqlite::Result<()> {
    let seeded: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [QA_SEEDED_KEY],
            |r| r.get(0),
        )
        .optional()?;
    if seeded.is_some() {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let again: Option<String> = tx
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [QA_SEEDED_KEY],
            |r| r.get(0),
        )
        .optional()?;
    if again.is_none() {
        let start: i64 =
            tx.query_row("SELECT coalesce(max(position), 0) FROM qa_items", [], |r| {
                r.get(0)
            })?;
        for (i, item) in qa_defaults().iter().enumerate() {
            tx.execute(
                "INSERT INTO qa_items (position, question, answer) VALUES (?1, ?2, ?3)",
                (start + i as i64 + 1, &item.question, &item.answer),
            )?;
        }
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, 'true')",
            [QA_SEEDED_KEY],
        )?;
    }
    tx.commit()
}

fn qa_in(conn: &Connection) -> Result<Vec<QaItem>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, position, question, answer FROM qa_items ORDER BY position, id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(QaItem {
                id: r.get(0)?,
                position: r.get(1)?,
                question: r.get(2)?,
                answer: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Renumbers the Q&A 1, 2, 3… in the given order of ids.
fn renumber(tx: &rusqlite::Transaction<'_>, ids: &[i64]) -> Result<()> {
    for (i, id) in ids.iter().enumerate() {
        tx.execute(
            "UPDATE qa_items SET position = ?2 WHERE id = ?1",
            (id, i as i64 + 1),
        )?;
    }
    Ok(())
}

impl Store {
    /// The practice profile (empty until it is filled in).
    pub fn practice_profile(&self) -> Result<PracticeProfile> {
        Ok(self.setting(PROFILE_KEY)?.unwrap_or_default())
    }

    /// Checks and saves the practice profile.
    pub fn set_practice_profile(&mut self, p: &PracticeProfile) -> Result<PracticeProfile> {
        let valid = p.validate()?;
        self.set_setting(PROFILE_KEY, &valid)?;
        Ok(valid)
    }

    /// The cancellation policy the handout states, from the practice settings.
    pub fn cancellation_policy(&self) -> Result<CancellationPolicy> {
        Ok(CancellationPolicy::from_settings(
            &self.practice_settings()?,
        ))
    }

    /// The practice's questions and answers, in order.
    pub fn qa_items(&self) -> Result<Vec<QaItem>> {
        qa_in(self.conn())
    }

    /// Adds a question at the end.
    pub fn add_qa(&mut self, question: &str, answer: &str) -> Result<QaItem> {
        let (q, a) = check_qa(question, answer)?;
        let id = self.write(|tx| {
            tx.execute(
                "INSERT INTO qa_items (position, question, answer)
                 VALUES ((SELECT coalesce(max(position), 0) + 1 FROM qa_items), ?1, ?2)",
                (&q, &a),
            )?;
            Ok(tx.last_insert_rowid())
        })?;
        self.qa_item(id)
    }

    pub fn qa_item(&self, id: i64) -> Result<QaItem> {
        self.qa_items()?
            .into_iter()
            .find(|i| i.id == id)
            .ok_or(StoreError::NotFound {
                what: "question",
                id,
            })
    }

    /// Changes a question's wording (either part may be left as it is with `None`).
    pub fn edit_qa(
        &mut self,
        id: i64,
        question: Option<&str>,
        answer: Option<&str>,
    ) -> Result<QaItem> {
        let current = self.qa_item(id)?;
        let (q, a) = check_qa(
            question.unwrap_or(&current.question),
            answer.unwrap_or(&current.answer),
        )?;
        self.write(|tx| {
            tx.execute(
                "UPDATE qa_items SET question = ?2, answer = ?3 WHERE id = ?1",
                (id, &q, &a),
            )?;
            Ok(())
        })?;
        self.qa_item(id)
    }

    /// Moves a question to a place in the list (1 = first; past the end = last).
    pub fn move_qa(&mut self, id: i64, to: usize) -> Result<Vec<QaItem>> {
        if to == 0 {
            return Err(ValidationError::one("to", "places start at 1").into());
        }
        self.write(|tx| {
            let items = qa_in(tx)?;
            let mut ids: Vec<i64> = items.iter().map(|i| i.id).collect();
            let from = ids
                .iter()
                .position(|x| *x == id)
                .ok_or(StoreError::NotFound {
                    what: "question",
                    id,
                })?;
            let moved = ids.remove(from);
            ids.insert((to - 1).min(ids.len()), moved);
            renumber(tx, &ids)
        })?;
        self.qa_items()
    }

    /// Removes a question from the list.
    pub fn remove_qa(&mut self, id: i64) -> Result<()> {
        self.write(|tx| {
            let n = tx.execute("DELETE FROM qa_items WHERE id = ?1", [id])?;
            if n == 0 {
                return Err(StoreError::NotFound {
                    what: "question",
                    id,
                });
            }
            let ids: Vec<i64> = qa_in(tx)?.iter().map(|i| i.id).collect();
            renumber(tx, &ids)
        })
    }

    /// What the handout for a client says now.
    pub fn handout_content(&self, client_id: i64, now: NaiveDateTime) -> Result<HandoutContent> {
        let c = self.client(client_id)?;
        let mut stmt = self.conn().prepare_cached(
            "SELECT s.starts_at, s.status, r.every_weeks FROM sessions s
             LEFT JOIN series r ON r.id = s.series_id WHERE s.client_id = ?1",
        )?;
        let sessions = stmt
            .query_map([client_id], |r| {
                let status: SessionStatus = word(r, 1)?;
                Ok(RhythmSession {
                    starts_at: local(r, 0)?,
                    every_weeks: r.get(2)?,
                    kept: !status.is_off(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let settings = self.practice_settings()?;
        // What the client agreed to, as far as the practice offers it.
        let remote = Telehealth::None.with(
            settings.offers_phone && c.telehealth_consent.allows_phone(),
            settings.offers_video && c.telehealth_consent.allows_video(),
        );
        let link = settings.video_link.trim();
        Ok(HandoutContent {
            client_name: c.name.clone(),
            profile: self.practice_profile()?,
            policy: CancellationPolicy::from_settings(&settings),
            office_hours: open_days(&settings.office_hours),
            contact: c.preferred_contact,
            rhythm: rhythm(&sessions, now),
            remote,
            video_link: (remote.allows_video() && !link.is_empty()).then(|| link.to_string()),
            qa: self
                .qa_items()?
                .into_iter()
                .map(|i| (i.question, i.answer))
                .collect(),
        })
    }

    /// The version and date of the handout last given to a client.
    pub fn last_handout(&self, client_id: i64) -> Result<Option<(String, NaiveDate)>> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT version, given_on FROM handouts_given WHERE client_id = ?1
                 ORDER BY given_on DESC, id DESC LIMIT 1",
            )?
            .query_row([client_id], |r| Ok((r.get(0)?, date(r, 1)?)))
            .optional()?)
    }

    /// Whether the client has the current handout.
    pub fn handout_state(&self, client_id: i64, now: NaiveDateTime) -> Result<HandoutState> {
        let current = self.handout_content(client_id, now)?.version();
        let last = self.last_handout(client_id)?;
        Ok(HandoutState::compare(
            &current,
            last.as_ref().map(|(v, d)| (v.as_str(), *d)),
        ))
    }

    /// Records that the current handout was given to a client on `on`. Returns its version.
    pub fn mark_handout_given(
        &mut self,
        client_id: i64,
        on: NaiveDate,
        now_local: NaiveDateTime,
        now: DateTime<Utc>,
    ) -> Result<String> {
        if on > now_local.date() {
            return Err(ValidationError::one(
                "at",
                "is in the future; mark the handout given once it is",
            )
            .into());
        }
        let version = self.handout_content(client_id, now_local)?.version();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO handouts_given (client_id, version, given_on, recorded_at) VALUES (?1, ?2, ?3, ?4)",
                (client_id, &version, date_text(on), format_instant(now)),
            )?;
            Ok(())
        })?;
        Ok(version)
    }
}

/// Refuses new clinical entries for a client whose care has ended.
pub(crate) fn require_open(conn: &Connection, client_id: i64, what: &str) -> Result<()> {
    let status: ClientStatus = conn
        .query_row(
            "SELECT status FROM clients WHERE id = ?1",
            [client_id],
            |r| word(r, 0),
        )
        .optional()?
        .ok_or(StoreError::NotFound {
            what: "client",
            id: client_id,
        })?;
    if matches!(status, ClientStatus::Discharged | ClientStatus::ReferredOut) {
        return Err(StoreError::Refused(format!(
            "This client is {}, so {what} can't be added. Reopen them first (caseload client status {client_id} active).",
            status.label().to_lowercase()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::client::ClientInput;
    use crate::domain::time::parse_local;

    fn store_with_client() -> (Store, i64) {
        let mut s = Store::open_in_memory().unwrap();
        let now = parse_local("2026-11-23 09:00").unwrap();
        let f = ClientInput {
            name: "Maria Lopez".into(),
            ..Default::default()
        }
        .validate(now.date())
        .unwrap();
        let c = s.add_client(&f, now.and_utc()).unwrap();
        (s, c.id)
    }

    #[test]
    fn a_new_practice_starts_with_the_default_qa_once() {
        let (mut s, _) = store_with_client();
        let items = s.qa_items().unwrap();
        assert_eq!(items.len(), 8);
        for i in &items {
            s.remove_qa(i.id).unwrap();
        }
        seed_defaults(&mut s.conn).unwrap();
        assert!(s.qa_items().unwrap().is_empty(), "never written twice");
    }

    #[test]
    fn qa_add_edit_move_remove() {
        let (mut s, _) = store_with_client();
        let first = s.qa_items().unwrap()[0].clone();
        let new = s
            .add_qa("Is there parking?", "Yes, behind the building.")
            .unwrap();
        assert_eq!(new.position, 9);
        let list = s.move_qa(new.id, 1).unwrap();
        assert_eq!(list[0].id, new.id);
        assert_eq!(list[1].id, first.id);
        assert_eq!(
            list.iter().map(|i| i.position).collect::<Vec<_>>(),
            (1..=9).collect::<Vec<_>>()
        );
        let e = s.edit_qa(new.id, Some(""), None).unwrap_err();
        assert!(e.to_string().contains("question: is required"));
        s.edit_qa(new.id, None, Some("Yes, free.")).unwrap();
        assert_eq!(s.qa_item(new.id).unwrap().answer, "Yes, free.");
        s.remove_qa(new.id).unwrap();
        assert_eq!(s.qa_items().unwrap()[0].id, first.id);
        assert!(matches!(
            s.remove_qa(new.id),
            Err(StoreError::NotFound { .. })
        ));
    }

    #[test]
    fn a_changed_qa_puts_the_handout_out_of_date() {
        let (mut s, id) = store_with_client();
        let now = parse_local("2026-11-23 09:00").unwrap();
        assert_eq!(s.handout_state(id, now).unwrap(), HandoutState::NeverGiven);
        let v = s
            .mark_handout_given(id, now.date(), now, now.and_utc())
            .unwrap();
        assert_eq!(s.last_handout(id).unwrap().unwrap().0, v);
        assert!(matches!(
            s.handout_state(id, now).unwrap(),
            HandoutState::UpToDate { .. }
        ));
        let q = s.qa_items().unwrap()[0].id;
        s.edit_qa(q, None, Some("Something new.")).unwrap();
        assert!(matches!(
            s.handout_state(id, now).unwrap(),
            HandoutState::OutOfDate { .. }
        ));
        // A future date is refused, nothing written.
        let e = s.mark_handout_given(id, now.date().succ_opt().unwrap(), now, now.and_utc());
        assert!(e.is_err());
        assert_eq!(s.last_handout(id).unwrap().unwrap().0, v);
    }
}
