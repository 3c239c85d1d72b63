-- caseload schema 10. How a measure's totals read, kept with each result as its instrument file
-- said when the measure was given: which way is better, and how far a total must move to count
-- as a real change. Results recorded before this have neither (NULL): they read as
-- lower-is-better, with the built-in instrument's value or the practice's default.
ALTER TABLE assessments ADD COLUMN better TEXT CHECK (better IS NULL OR better IN ('lower', 'higher'));
ALTER TABLE assessments ADD COLUMN reliable_change REAL CHECK (reliable_change IS NULL OR reliable_change > 0);

-- A day's or a week's sessions (Today, the Agenda) read in start order from the index alone, a
-- few pages rather than one per session: it holds every column the lists show, and takes the
-- place of the plain index by start. The same for a note's state beside each session, and for
-- the name shown beside each session (the names, without the rest of each client's record).
CREATE INDEX sessions_listed ON sessions
    (starts_at, client_id, minutes, modality, status, series_id, marked_at, marked_by);
DROP INDEX sessions_by_start;
CREATE INDEX notes_state_by_session ON notes (session_id, signed_at IS NOT NULL)
    WHERE session_id IS NOT NULL;
CREATE INDEX clients_names ON clients (id, name, preferred_name);
