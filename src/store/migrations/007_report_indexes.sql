-- caseload schema: indexes for the attendance reports.
-- Sessions by month and status, in group order: a report over any range of months counts them
-- from the index alone, with no sort (the expression is the one the report groups by).
CREATE INDEX sessions_by_month_status ON sessions (substr(starts_at, 1, 7), status);
-- The clients seen in a month, from the index alone (client flags).
CREATE INDEX sessions_by_start_status_client ON sessions (starts_at, status, client_id);
-- A client's latest counted sessions, newest first, from the index alone (client flags, the
-- per-client attendance line).
CREATE INDEX sessions_by_client_start_status ON sessions (client_id, starts_at, status);
-- A session's cancellation requests with everything the report groups by, so the join never
-- touches the table.
CREATE INDEX cancellations_for_report ON cancellations (session_id, by, outcome, reason, notice_hours);
