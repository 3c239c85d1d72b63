-- caseload schema 9: indexes for Today's needs-attention list, so that it reads only the notes
-- still in draft and the recent attended sessions, whatever the size of the practice.
CREATE INDEX notes_drafts_by_session ON notes (session_id) WHERE signed_at IS NULL;
CREATE INDEX sessions_attended_by_start ON sessions (starts_at) WHERE status IN ('attended', 'late');
