//! Reverting a cancellation recorded by mistake, shared by `Store::revert_cancellation` and the
//! undo of an outcome (`Store::mark_session` to scheduled), so both follow the same rule.

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::OptionalExtension;

use super::{Result, StoreError};
use crate::domain::cancellation::check_revert;
use crate::domain::client::ClientStatus;
use crate::domain::session::Session;
use crate::domain::time::format_instant;

/// Reverts the latest cancellation of session `s` (see [`Store::revert_cancellation`]) inside the
/// caller's transaction.
pub(crate) fn revert_in(
    tx: &rusqlite::Transaction<'_>,
    s: &Session,
    now: NaiveDateTime,
    at: DateTime<Utc>,
) -> Result<()> {
    check_revert(s.id, s.status, s.starts_at, now).map_err(StoreError::Refused)?;
    let client = super::client::client_in(tx, s.client_id)?;
    if matches!(
        client.status,
        ClientStatus::Discharged | ClientStatus::ReferredOut
    ) {
        return Err(StoreError::Refused(format!(
            "{} is {}: reopen the client first (caseload client status {} active), then revert.",
            client.name,
            client.status.label().to_lowercase(),
            client.id
        )));
    }
    let request: Option<(i64, String)> = tx
        .prepare_cached(
            "SELECT id, outcome FROM cancellations
             WHERE session_id = ?1 AND reverted_at IS NULL ORDER BY id DESC LIMIT 1",
        )?
        .query_row([s.id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((request, outcome)) = request.filter(|(_, o)| o == s.status.as_str()) else {
        return Err(StoreError::Refused(format!(
            "Session {} has no cancellation record to revert.",
            s.id
        )));
    };
    let stamp = format_instant(at);
    tx.prepare_cached(
        "UPDATE sessions SET status = 'scheduled', marked_at = NULL, marked_by = NULL,
            updated_at = ?2 WHERE id = ?1",
    )?
    .execute((s.id, &stamp))?;
    tx.prepare_cached("UPDATE cancellations SET reverted_at = ?2 WHERE id = ?1")?
        .execute((request, &stamp))?;
    let detail = format!("session {}: {} reverted; scheduled again", s.id, outcome);
    super::audit::audit(
        tx,
        at,
        "cancellation_reverted",
        "cancellation",
        Some(request),
        Some(s.client_id),
        Some(&detail),
    )?;
    Ok(())
}
