//! What a calendar export needs beyond the session itself: its version counter (`SEQUENCE`,
//! kept by a trigger, see migration 016) and when it last changed (`LAST-MODIFIED`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{Result, Store, instant};

/// A session's calendar version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarVersion {
    pub sequence: u32,
    pub updated_at: DateTime<Utc>,
}

impl Store {
    /// The calendar version of each of these sessions (a session not found is left out).
    pub fn calendar_versions(&self, ids: &[i64]) -> Result<HashMap<i64, CalendarVersion>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT sequence, updated_at FROM sessions WHERE id = ?1")?;
        let mut out = HashMap::with_capacity(ids.len());
        for &id in ids {
            let mut rows = stmt.query([id])?;
            if let Some(r) = rows.next()? {
                let sequence: i64 = r.get(0)?;
                out.insert(
                    id,
                    CalendarVersion {
                        sequence: u32::try_from(sequence).unwrap_or(u32::MAX),
                        updated_at: instant(r, 1)?,
                    },
                );
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn store_with_session() -> Store {
        let s = Store::open_in_memory().unwrap();
        s.conn()
            .execute_batch(
                "INSERT INTO clients (id, name, intake_date, created_at, updated_at)
                     VALUES (1, 'Ana Diaz', '2026-11-01', '2026-11-01T09:00:00Z',
                             '2026-11-01T09:00:00Z');
                 INSERT INTO sessions (id, client_id, starts_at, minutes, modality, created_at, updated_at)
                     VALUES (7, 1, '2026-11-24T10:00', 50, 'video',
                             '2026-11-01T09:00:00Z', '2026-11-02T09:00:00Z');",
            )
            .unwrap();
        s
    }

    fn seq(s: &Store) -> u32 {
        s.calendar_versions(&[7]).unwrap()[&7].sequence
    }

    #[test]
    fn sequence_goes_up_only_on_a_real_change() {
        let s = store_with_session();
        assert_eq!(seq(&s), 0);
        let v = s.calendar_versions(&[7, 99]).unwrap();
        assert_eq!(v.len(), 1);
        assert_eq!(
            v[&7].updated_at,
            crate::domain::time::parse_instant("2026-11-02T09:00:00Z").unwrap()
        );
        let run = |sql: &str| s.conn().execute_batch(sql).unwrap();
        // Writing the same values, or changing what a calendar doesn't show: no bump.
        run(
            "UPDATE sessions SET starts_at = '2026-11-24T10:00', status = 'scheduled' WHERE id = 7",
        );
        run("UPDATE sessions SET marked_by = 'cli' WHERE id = 7");
        assert_eq!(seq(&s), 0);
        run("UPDATE sessions SET starts_at = '2026-11-24T11:00' WHERE id = 7");
        assert_eq!(seq(&s), 1);
        run("UPDATE sessions SET minutes = 60 WHERE id = 7");
        run("UPDATE sessions SET modality = 'phone' WHERE id = 7");
        run("UPDATE sessions SET status = 'cancelled' WHERE id = 7");
        assert_eq!(seq(&s), 4);
    }
}
