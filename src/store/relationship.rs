//! Goals and their ratings, the boundary log, and the consultation log.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction};

use super::practice::require_open;
use super::{Result, Store, StoreError, date, date_text, opt_date, word};
use crate::domain::ValidationError;
use crate::domain::boundary::{BoundaryIncident, BoundaryKind, ConsultFields, Consultation};
use crate::domain::client::initials;
use crate::domain::goal::{Goal, GoalFields, GoalRating, GoalStatus, check_rating};
use crate::domain::time::format_instant;

fn goal_from_row(r: &Row<'_>) -> rusqlite::Result<Goal> {
    Ok(Goal {
        id: r.get(0)?,
        client_id: r.get(1)?,
        text: r.get(2)?,
        set_on: date(r, 3)?,
        target_on: opt_date(r, 4)?,
        status: word(r, 5)?,
        ratings: Vec::new(),
    })
}

const GOAL_COLUMNS: &str = "id, client_id, text, set_on, target_on, status";

fn ratings_in(conn: &Connection, goal_id: i64) -> Result<Vec<GoalRating>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, goal_id, rated_on, rating, session_id FROM goal_ratings
         WHERE goal_id = ?1 ORDER BY rated_on, id",
    )?;
    let rows = stmt
        .query_map([goal_id], |r| {
            Ok(GoalRating {
                id: r.get(0)?,
                goal_id: r.get(1)?,
                rated_on: date(r, 2)?,
                rating: r.get(3)?,
                session_id: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(crate) fn goal_in(conn: &Connection, id: i64) -> Result<Goal> {
    let mut g = conn
        .prepare_cached(&format!("SELECT {GOAL_COLUMNS} FROM goals WHERE id = ?1"))?
        .query_row([id], goal_from_row)
        .optional()?
        .ok_or(StoreError::NotFound { what: "goal", id })?;
    g.ratings = ratings_in(conn, id)?;
    Ok(g)
}

pub(crate) fn goals_in(conn: &Connection, client_id: i64) -> Result<Vec<Goal>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {GOAL_COLUMNS} FROM goals WHERE client_id = ?1 ORDER BY id"
    ))?;
    let mut goals = stmt
        .query_map([client_id], goal_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for g in &mut goals {
        g.ratings = ratings_in(conn, g.id)?;
    }
    Ok(goals)
}

/// Inserts a goal inside an open transaction (the form, the CLI and the demo).
pub(crate) fn insert_goal(
    tx: &Transaction<'_>,
    client_id: i64,
    f: &GoalFields,
    status: GoalStatus,
    now: DateTime<Utc>,
) -> Result<i64> {
    let at = format_instant(now);
    tx.prepare_cached(
        "INSERT INTO goals (client_id, text, set_on, target_on, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
    )?
    .execute(rusqlite::params![
        client_id,
        f.text,
        date_text(f.set_on),
        f.target_on.map(date_text),
        status.as_str(),
        at
    ])?;
    Ok(tx.last_insert_rowid())
}

/// Records a rating inside an open transaction, refusing what can't be right.
pub(crate) fn insert_rating(
    tx: &Transaction<'_>,
    goal_id: i64,
    rating: i64,
    session_id: Option<i64>,
    on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64> {
    let rating = check_rating(rating)?;
    let g = goal_in(tx, goal_id)?;
    if g.status != GoalStatus::Active {
        return Err(StoreError::Refused(format!(
            "This goal is {}, so it can't be rated. Set it back to active first.",
            g.status.label().to_lowercase()
        )));
    }
    if on < g.set_on {
        return Err(ValidationError::one("at", "is before the day the goal was set").into());
    }
    if let Some(sid) = session_id {
        let owner: Option<i64> = tx
            .query_row("SELECT client_id FROM sessions WHERE id = ?1", [sid], |r| {
                r.get(0)
            })
            .optional()?;
        match owner {
            None => {
                return Err(StoreError::NotFound {
                    what: "session",
                    id: sid,
                });
            }
            Some(c) if c != g.client_id => {
                return Err(StoreError::Refused(format!(
                    "Session {sid} belongs to another client."
                )));
            }
            Some(_) => {}
        }
    }
    tx.prepare_cached(
        "INSERT INTO goal_ratings (goal_id, rated_on, rating, session_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(rusqlite::params![
        goal_id,
        date_text(on),
        rating,
        session_id,
        format_instant(now)
    ])?;
    Ok(tx.last_insert_rowid())
}

pub(crate) fn insert_incident(
    tx: &Transaction<'_>,
    client_id: i64,
    kind: BoundaryKind,
    on: NaiveDate,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO boundary_incidents (client_id, occurred_on, kind, note, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(rusqlite::params![
        client_id,
        date_text(on),
        kind.as_str(),
        note,
        format_instant(now)
    ])?;
    Ok(tx.last_insert_rowid())
}

pub(crate) fn insert_consult(
    tx: &Transaction<'_>,
    f: &ConsultFields,
    now: DateTime<Utc>,
) -> Result<i64> {
    if let Some(c) = f.client_id {
        super::client::client_in(tx, c)?;
    }
    tx.prepare_cached(
        "INSERT INTO consultations (held_on, colleague, topic, notes, to_try, client_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(rusqlite::params![
        date_text(f.held_on),
        f.colleague,
        f.topic,
        f.notes,
        f.to_try,
        f.client_id,
        format_instant(now)
    ])?;
    Ok(tx.last_insert_rowid())
}

fn incident_from_row(r: &Row<'_>) -> rusqlite::Result<BoundaryIncident> {
    Ok(BoundaryIncident {
        id: r.get(0)?,
        client_id: r.get(1)?,
        occurred_on: date(r, 2)?,
        kind: word(r, 3)?,
        note: r.get(4)?,
    })
}

fn consult_from_row(r: &Row<'_>) -> rusqlite::Result<Consultation> {
    let name: Option<String> = r.get(7)?;
    Ok(Consultation {
        id: r.get(0)?,
        held_on: date(r, 1)?,
        colleague: r.get(2)?,
        topic: r.get(3)?,
        notes: r.get(4)?,
        to_try: r.get(5)?,
        client_id: r.get(6)?,
        client_initials: name.map(|n| initials(&n)),
    })
}

const CONSULT_SELECT: &str =
    "SELECT k.id, k.held_on, k.colleague, k.topic, k.notes, k.to_try, k.client_id, c.name
     FROM consultations k LEFT JOIN clients c ON c.id = k.client_id";

impl Store {
    /// Adds a goal for a client whose care is open.
    pub fn add_goal(&mut self, client_id: i64, f: &GoalFields, now: DateTime<Utc>) -> Result<Goal> {
        let id = self.write(|tx| {
            require_open(tx, client_id, "a goal")?;
            insert_goal(tx, client_id, f, GoalStatus::Active, now)
        })?;
        self.goal(id)
    }

    pub fn goal(&self, id: i64) -> Result<Goal> {
        goal_in(self.conn(), id)
    }

    /// A client's goals (oldest first), each with its ratings.
    pub fn goals(&self, client_id: i64) -> Result<Vec<Goal>> {
        self.client(client_id)?;
        goals_in(self.conn(), client_id)
    }

    /// Records a 0–10 rating of an active goal.
    pub fn rate_goal(
        &mut self,
        goal_id: i64,
        rating: i64,
        session_id: Option<i64>,
        on: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Goal> {
        self.write(|tx| insert_rating(tx, goal_id, rating, session_id, on, now))?;
        self.goal(goal_id)
    }

    /// Rates several goals at once (the rating dialog after a session): all land, or none.
    pub fn rate_goals(
        &mut self,
        ratings: &[(i64, u8)],
        session_id: Option<i64>,
        on: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| {
            for (g, r) in ratings {
                insert_rating(tx, *g, i64::from(*r), session_id, on, now)?;
            }
            Ok(())
        })
    }

    /// Moves a goal to active, achieved or dropped.
    pub fn set_goal_status(
        &mut self,
        goal_id: i64,
        status: GoalStatus,
        now: DateTime<Utc>,
    ) -> Result<Goal> {
        self.write(|tx| {
            let before: Option<(i64, GoalStatus)> = tx
                .query_row(
                    "SELECT client_id, status FROM goals WHERE id = ?1",
                    [goal_id],
                    |r| Ok((r.get(0)?, word(r, 1)?)),
                )
                .optional()?;
            let Some((client_id, from)) = before else {
                return Err(StoreError::NotFound {
                    what: "goal",
                    id: goal_id,
                });
            };
            tx.execute(
                "UPDATE goals SET status = ?2, updated_at = ?3 WHERE id = ?1",
                (goal_id, status.as_str(), format_instant(now)),
            )?;
            if from != status {
                let detail = format!("from {from} to {status}");
                super::audit::audit(
                    tx,
                    now,
                    "goal_status_changed",
                    "goal",
                    Some(goal_id),
                    Some(client_id),
                    Some(&detail),
                )?;
            }
            Ok(())
        })?;
        self.goal(goal_id)
    }

    /// Adds an entry to a client's boundary log.
    pub fn add_boundary(
        &mut self,
        client_id: i64,
        kind: BoundaryKind,
        on: NaiveDate,
        note: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<BoundaryIncident> {
        let id = self.write(|tx| {
            super::client::client_in(tx, client_id)?;
            let id = insert_incident(tx, client_id, kind, on, note, now)?;
            let detail = format!("{kind} on {}", date_text(on));
            super::audit::audit(
                tx,
                now,
                "boundary_recorded",
                "boundary_incident",
                Some(id),
                Some(client_id),
                Some(&detail),
            )?;
            Ok(id)
        })?;
        Ok(self.conn().query_row(
            "SELECT id, client_id, occurred_on, kind, note FROM boundary_incidents WHERE id = ?1",
            [id],
            incident_from_row,
        )?)
    }

    /// A client's boundary log, newest first.
    pub fn boundaries(&self, client_id: i64) -> Result<Vec<BoundaryIncident>> {
        self.client(client_id)?;
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, client_id, occurred_on, kind, note FROM boundary_incidents
             WHERE client_id = ?1 ORDER BY occurred_on DESC, id DESC",
        )?;
        let rows = stmt
            .query_map([client_id], incident_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Adds a consultation.
    pub fn add_consult(&mut self, f: &ConsultFields, now: DateTime<Utc>) -> Result<Consultation> {
        let id = self.write(|tx| insert_consult(tx, f, now))?;
        Ok(self.conn().query_row(
            &format!("{CONSULT_SELECT} WHERE k.id = ?1"),
            [id],
            consult_from_row,
        )?)
    }

    /// Consultations, newest first; only those about one client when `client` is given.
    pub fn consults(&self, client: Option<i64>) -> Result<Vec<Consultation>> {
        let rows = match client {
            Some(c) => {
                self.client(c)?;
                self.conn()
                    .prepare_cached(&format!(
                        "{CONSULT_SELECT} WHERE k.client_id = ?1 ORDER BY k.held_on DESC, k.id DESC"
                    ))?
                    .query_map([c], consult_from_row)?
                    .collect::<rusqlite::Result<Vec<_>>>()?
            }
            None => self
                .conn()
                .prepare_cached(&format!(
                    "{CONSULT_SELECT} ORDER BY k.held_on DESC, k.id DESC"
                ))?
                .query_map([], consult_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        };
        Ok(rows)
    }
}

/// Writes the relationship part of the demo practice inside the demo's transaction.
/// `ids` are the stored ids of the demo's clients, in order.
pub(crate) fn write_demo_relationship(
    tx: &Transaction<'_>,
    r: &crate::demo::DemoRelationship,
    ids: &[i64],
    now: DateTime<Utc>,
) -> Result<()> {
    let id = |i: usize| {
        ids.get(i).copied().ok_or(StoreError::NotFound {
            what: "demo client",
            id: i as i64,
        })
    };
    let profile = serde_json::to_string(&r.profile)
        .map_err(|e| StoreError::Refused(format!("The demo profile could not be saved ({e}).")))?;
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (super::practice::PROFILE_KEY, profile),
    )?;
    for g in &r.goals {
        let gid = insert_goal(tx, id(g.client)?, &g.fields, GoalStatus::Active, now)?;
        for (on, rating) in &g.ratings {
            insert_rating(tx, gid, i64::from(*rating), None, *on, now)?;
        }
        if g.status != GoalStatus::Active {
            tx.execute(
                "UPDATE goals SET status = ?2 WHERE id = ?1",
                (gid, g.status.as_str()),
            )?;
        }
    }
    for b in &r.boundaries {
        insert_incident(tx, id(b.client)?, b.kind, b.on, b.note.as_deref(), now)?;
    }
    for k in &r.consults {
        let mut f = k.fields.clone();
        f.client_id = k.client.map(id).transpose()?;
        insert_consult(tx, &f, now)?;
    }
    if let Some(d) = &r.discharge {
        let c = id(d.client)?;
        let rf = d.fields.referral.as_ref();
        tx.execute(
            "INSERT INTO discharges (client_id, discharged_on, reason, to_status, referral_name,
                referral_profession, referral_contact, referral_why, closing_note, cancelled_sessions, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, ?10)",
            rusqlite::params![
                c,
                date_text(d.on),
                d.fields.reason.as_str(),
                d.fields.to_status().as_str(),
                rf.map(|r| &r.name),
                rf.and_then(|r| r.profession.as_ref()),
                rf.and_then(|r| r.contact.as_ref()),
                rf.and_then(|r| r.why.as_ref()),
                d.fields.note,
                format_instant(now),
            ],
        )?;
        super::client::set_status_in(tx, c, d.fields.to_status(), now)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::boundary::ConsultInput;
    use crate::domain::client::{ClientInput, ClientStatus};
    use crate::domain::goal::check_goal;
    use crate::domain::time::parse_local;

    fn setup() -> (Store, i64, NaiveDate, DateTime<Utc>) {
        let mut s = Store::open_in_memory().unwrap();
        let now = parse_local("2026-11-23 09:00").unwrap();
        let f = ClientInput {
            name: "Maria Lopez".into(),
            intake_date: "2026-01-05".into(),
            ..Default::default()
        }
        .validate(now.date())
        .unwrap();
        let c = s.add_client(&f, now.and_utc()).unwrap();
        (s, c.id, now.date(), now.and_utc())
    }

    #[test]
    fn goals_are_rated_while_active() {
        let (mut s, c, today, now) = setup();
        let f = check_goal("Sleep through", "2026-10-01", "", today).unwrap();
        let g = s.add_goal(c, &f, now).unwrap();
        s.rate_goal(g.id, 3, None, today, now).unwrap();
        let e = s.rate_goal(g.id, 11, None, today, now).unwrap_err();
        assert!(e.to_string().contains("0 to 10"));
        let e = s
            .rate_goal(
                g.id,
                5,
                None,
                NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
                now,
            )
            .unwrap_err();
        assert!(e.to_string().contains("before the day"));
        assert!(matches!(
            s.rate_goal(g.id, 5, Some(99), today, now),
            Err(StoreError::NotFound {
                what: "session",
                ..
            })
        ));
        s.set_goal_status(g.id, GoalStatus::Achieved, now).unwrap();
        assert!(matches!(
            s.rate_goal(g.id, 5, None, today, now),
            Err(StoreError::Refused(_))
        ));
        let goals = s.goals(c).unwrap();
        assert_eq!(goals[0].ratings.len(), 1);
        assert_eq!(goals[0].status, GoalStatus::Achieved);
    }

    #[test]
    fn a_batch_of_ratings_lands_whole_or_not_at_all() {
        let (mut s, c, today, now) = setup();
        let f = check_goal("A", "", "", today).unwrap();
        let a = s.add_goal(c, &f, now).unwrap();
        let b = s.add_goal(c, &f, now).unwrap();
        s.set_goal_status(b.id, GoalStatus::Dropped, now).unwrap();
        assert!(
            s.rate_goals(&[(a.id, 4), (b.id, 5)], None, today, now)
                .is_err()
        );
        assert!(s.goal(a.id).unwrap().ratings.is_empty());
        s.rate_goals(&[(a.id, 4)], None, today, now).unwrap();
        assert_eq!(s.goal(a.id).unwrap().ratings[0].rating, 4);
    }

    #[test]
    fn no_new_goals_after_discharge() {
        let (mut s, c, today, now) = setup();
        s.set_client_status(c, ClientStatus::Discharged, now)
            .unwrap();
        let f = check_goal("A", "", "", today).unwrap();
        let e = s.add_goal(c, &f, now).unwrap_err();
        assert!(e.to_string().contains("Reopen"));
    }

    #[test]
    fn boundaries_and_consultations() {
        let (mut s, c, today, now) = setup();
        s.add_boundary(
            c,
            BoundaryKind::AfterHoursContact,
            today,
            Some("texted at 23:00"),
            now,
        )
        .unwrap();
        s.add_boundary(
            c,
            BoundaryKind::LatePayment,
            today.pred_opt().unwrap(),
            None,
            now,
        )
        .unwrap();
        let log = s.boundaries(c).unwrap();
        assert_eq!(log.len(), 2);
        assert_eq!(log[0].kind, BoundaryKind::AfterHoursContact);
        assert!(
            s.add_boundary(99, BoundaryKind::Other, today, None, now)
                .is_err()
        );

        let f = ConsultInput {
            colleague: "Dr Ada Quinn".into(),
            topic: "Endings".into(),
            client_id: Some(c),
            ..Default::default()
        }
        .validate(today)
        .unwrap();
        let k = s.add_consult(&f, now).unwrap();
        assert_eq!(k.client_initials.as_deref(), Some("M.L."));
        let general = ConsultInput {
            colleague: "Peer group".into(),
            topic: "Fees".into(),
            ..Default::default()
        }
        .validate(today)
        .unwrap();
        s.add_consult(&general, now).unwrap();
        assert_eq!(s.consults(None).unwrap().len(), 2);
        assert_eq!(s.consults(Some(c)).unwrap().len(), 1);
        let bad = ConsultFields {
            client_id: Some(99),
            ..general
        };
        assert!(s.add_consult(&bad, now).is_err());
    }
}
