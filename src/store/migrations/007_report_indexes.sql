-- caseload schema: indexes for the attendance reports.
-- A month's sessions by status, read from the index alone (the rowid rides along for the
-- practitioner-cancellation lookup).
CREATE INDEX sessions_by_start_status ON sessions (starts_at, status);
-- A client's latest counted sessions, newest first, read from the index alone (client flags,
-- the per-client attendance line).
CREATE INDEX sessions_by_client_start_status ON sessions (client_id, starts_at, status);
-- A session's cancellation requests with everything the report groups by, so the join never
-- touches the table.
CREATE INDEX cancellations_for_report ON cancellations (session_id, by, outcome, reason, notice_hours);
