-- caseload schema 2: sessions and recurring series.
CREATE TABLE series (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id),
    every_weeks INTEGER NOT NULL CHECK (every_weeks BETWEEN 1 AND 52),
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id),
    -- Wall-clock local time as booked: YYYY-MM-DDTHH:MM.
    starts_at TEXT NOT NULL CHECK (length(starts_at) = 16),
    minutes INTEGER NOT NULL CHECK (minutes BETWEEN 5 AND 600),
    modality TEXT NOT NULL CHECK (modality IN ('in_person', 'phone', 'video')),
    status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN
        ('scheduled', 'attended', 'late', 'no_show', 'cancelled', 'late_cancelled', 'rescheduled')),
    series_id INTEGER REFERENCES series (id),
    -- When and by whom the outcome was last marked (practitioner from the app, cli from a script).
    marked_at TEXT,
    marked_by TEXT,
    -- For a rescheduled session: the session that took its place.
    rescheduled_to INTEGER REFERENCES sessions (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX sessions_by_start ON sessions (starts_at);
CREATE INDEX sessions_by_client ON sessions (client_id, starts_at);
CREATE INDEX sessions_by_series ON sessions (series_id) WHERE series_id IS NOT NULL;
-- Sessions still waiting for an outcome ("Needs attention"), found without reading the rest.
CREATE INDEX sessions_scheduled ON sessions (starts_at) WHERE status = 'scheduled';

-- A session is a clinical record: it is cancelled or rescheduled, never deleted.
CREATE TRIGGER sessions_are_never_deleted BEFORE DELETE ON sessions
BEGIN
    SELECT RAISE(ABORT, 'sessions are never deleted; cancel them instead');
END;
