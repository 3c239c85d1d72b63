//! What the client view reads beyond the other aggregates: the note state of each of a client's
//! sessions.

use std::collections::HashMap;

use super::{Result, Store};
use crate::domain::note::NoteState;

impl Store {
    /// The note state of each of a client's sessions that has a note, by session id (sessions
    /// without a note are absent: their state is [`NoteState::None`]).
    pub fn client_note_states(&self, client_id: i64) -> Result<HashMap<i64, NoteState>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT n.session_id, n.signed_at IS NOT NULL FROM notes n
             WHERE n.client_id = ?1 AND n.session_id IS NOT NULL",
        )?;
        let rows = stmt
            .query_map([client_id], |r| {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::client::ClientInput;
    use crate::domain::note::{NoteBody, NoteTemplate};
    use crate::domain::schedule::Repeat;
    use crate::domain::session::Modality;
    use crate::store::session::BookingRequest;

    #[test]
    fn note_states_follow_drafts_and_signatures() {
        let mut s = Store::open_in_memory().unwrap();
        let now = crate::domain::time::parse_instant("2026-11-23T12:00:00Z").unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let c = s
            .add_client(
                &ClientInput {
                    name: "Maria Lopez".into(),
                    ..ClientInput::default()
                }
                .validate(today)
                .unwrap(),
                now,
            )
            .unwrap();
        let at = |t: &str| crate::domain::time::parse_local(t).unwrap();
        let mut ids = Vec::new();
        for t in ["2026-11-02 10:00", "2026-11-09 10:00", "2026-11-16 10:00"] {
            let req = BookingRequest {
                client_id: c.id,
                starts_at: at(t),
                minutes: 50,
                modality: Modality::InPerson,
                repeat: Repeat::Once,
            };
            match s.book(&req, false, now).unwrap() {
                crate::store::session::BookOutcome::Booked(v) => ids.extend(v),
                other => panic!("{other:?}"),
            }
        }
        let body = NoteBody::from_sections(NoteTemplate::Free, &["Talked about sleep."]);
        let a = s.add_session_note(ids[0], &body, now).unwrap();
        s.add_session_note(ids[1], &body, now).unwrap();
        s.sign_note(a.id, now).unwrap();
        // A note about the client, not a session, is not a session's state.
        s.add_client_note(c.id, &body, now).unwrap();
        let states = s.client_note_states(c.id).unwrap();
        assert_eq!(states.len(), 2);
        assert_eq!(states[&ids[0]], NoteState::Signed);
        assert_eq!(states[&ids[1]], NoteState::Draft);
        assert!(!states.contains_key(&ids[2]));
    }
}
