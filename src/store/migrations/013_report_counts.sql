-- caseload schema: the report's monthly figures, kept; note search with prefix indexes.
--
-- The attendance report's counts are kept in two small tables, updated by the triggers below in
-- the same transaction as every write that changes them (the app, the command line, an import's
-- rebuild), so a report over any months reads a few rows. The definitions are those of
-- domain::attendance (a session's month is its scheduled start's; weekday Monday = 0; morning
-- before 12:00, evening from 17:00; notice under 24 h, 24–72 h, over 72 h); a property test checks
-- the kept figures against a plain count, and `caseload check` rebuilds and compares them.
-- A row whose count falls to 0 is removed, so the tables always equal a fresh count exactly.

-- Sessions by the month of their scheduled start, status, and whether the practitioner
-- cancelled them (a practitioner's cancellation record ending in the session's status).
CREATE TABLE report_sessions (
    month TEXT NOT NULL,
    status TEXT NOT NULL,
    by_practitioner INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (month, status, by_practitioner)
) WITHOUT ROWID;

-- Cancellation requests by the month of the cancelled session's scheduled start, one tally per
-- breakdown: by_outcome ("client:converted_phone"), reason ("work"), when ("0:morning", Monday
-- first) and notice ("under_24h").
CREATE TABLE report_requests (
    month TEXT NOT NULL,
    dim TEXT NOT NULL,
    key TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (month, dim, key)
) WITHOUT ROWID;

-- What one session contributes to report_sessions.
CREATE VIEW report_session_facts AS
SELECT s.id AS session_id, substr(s.starts_at, 1, 7) AS month, s.status AS status,
    (s.status IN ('cancelled', 'late_cancelled') AND EXISTS (
        SELECT 1 FROM cancellations pc WHERE pc.session_id = s.id AND pc.by = 'practitioner'
          AND pc.outcome = s.status AND pc.reverted_at IS NULL)) AS by_practitioner
FROM sessions s;

-- What one cancellation record contributes to report_requests (four tallies); a request
-- reverted as a mistake (migration 012) contributes nothing.
CREATE VIEW report_request_facts AS
SELECT c.id AS cancellation_id, c.session_id AS session_id, substr(s.starts_at, 1, 7) AS month,
    d.dim AS dim,
    CASE d.dim
        WHEN 'by_outcome' THEN c.by || ':' || c.outcome
        WHEN 'reason' THEN c.reason
        WHEN 'when' THEN ((CAST(strftime('%w', s.starts_at) AS INTEGER) + 6) % 7) || ':' ||
            CASE WHEN CAST(substr(s.starts_at, 12, 2) AS INTEGER) < 12 THEN 'morning'
                 WHEN CAST(substr(s.starts_at, 12, 2) AS INTEGER) < 17 THEN 'afternoon'
                 ELSE 'evening' END
        ELSE CASE WHEN c.notice_hours >= 24.0 THEN
                      CASE WHEN c.notice_hours <= 72.0 THEN 'h24_to_72h' ELSE 'over_72h' END
                  ELSE 'under_24h' END
    END AS key
FROM cancellations c JOIN sessions s ON s.id = c.session_id AND c.reverted_at IS NULL
CROSS JOIN (SELECT 'by_outcome' AS dim UNION ALL SELECT 'reason' UNION ALL SELECT 'when'
            UNION ALL SELECT 'notice') d;

-- The counts of the practice as it stands (a file upgraded to this schema).
INSERT INTO report_sessions (month, status, by_practitioner, n)
SELECT month, status, by_practitioner, count(*) FROM report_session_facts GROUP BY 1, 2, 3;
INSERT INTO report_requests (month, dim, key, n)
SELECT month, dim, key, count(*) FROM report_request_facts GROUP BY 1, 2, 3;

-- Every change is "take the old contribution out before, put the new one in after".

CREATE TRIGGER report_sessions_after_insert AFTER INSERT ON sessions
BEGIN
    INSERT INTO report_sessions (month, status, by_practitioner, n)
    SELECT month, status, by_practitioner, 1 FROM report_session_facts WHERE session_id = NEW.id
    ON CONFLICT (month, status, by_practitioner) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER report_sessions_before_update BEFORE UPDATE OF starts_at, status ON sessions
WHEN OLD.starts_at IS NOT NEW.starts_at OR OLD.status IS NOT NEW.status
BEGIN
    INSERT INTO report_sessions (month, status, by_practitioner, n)
    SELECT month, status, by_practitioner, -1 FROM report_session_facts WHERE session_id = OLD.id
    ON CONFLICT (month, status, by_practitioner) DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_requests (month, dim, key, n)
    SELECT month, dim, key, -1 FROM report_request_facts
    WHERE session_id = OLD.id AND OLD.starts_at IS NOT NEW.starts_at
    ON CONFLICT (month, dim, key) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER report_sessions_after_update AFTER UPDATE OF starts_at, status ON sessions
WHEN OLD.starts_at IS NOT NEW.starts_at OR OLD.status IS NOT NEW.status
BEGIN
    INSERT INTO report_sessions (month, status, by_practitioner, n)
    SELECT month, status, by_practitioner, 1 FROM report_session_facts WHERE session_id = NEW.id
    ON CONFLICT (month, status, by_practitioner) DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_requests (month, dim, key, n)
    SELECT month, dim, key, 1 FROM report_request_facts
    WHERE session_id = NEW.id AND OLD.starts_at IS NOT NEW.starts_at
    ON CONFLICT (month, dim, key) DO UPDATE SET n = n + excluded.n;
    DELETE FROM report_sessions WHERE n = 0
      AND month IN (substr(OLD.starts_at, 1, 7), substr(NEW.starts_at, 1, 7));
    DELETE FROM report_requests WHERE n = 0
      AND month IN (substr(OLD.starts_at, 1, 7), substr(NEW.starts_at, 1, 7));
END;

CREATE TRIGGER report_sessions_before_delete BEFORE DELETE ON sessions
BEGIN
    INSERT INTO report_sessions (month, status, by_practitioner, n)
    SELECT month, status, by_practitioner, -1 FROM report_session_facts WHERE session_id = OLD.id
    ON CONFLICT (month, status, by_practitioner) DO UPDATE SET n = n + excluded.n;
    DELETE FROM report_sessions WHERE n = 0 AND month = substr(OLD.starts_at, 1, 7);
END;

-- A cancellation record adds its tallies, and may make its session one the practitioner
-- cancelled.
CREATE TRIGGER report_requests_before_insert BEFORE INSERT ON cancellations
BEGIN
    INSERT INTO report_sessions (month, status, by_practitioner, n)
    SELECT month, status, by_practitioner, -1 FROM report_session_facts
    WHERE session_id = NEW.session_id
    ON CONFLICT (month, status, by_practitioner) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER report_requests_after_insert AFTER INSERT ON cancellations
BEGIN
    INSERT INTO report_sessions (month, status, by_practitioner, n)
    SELECT month, status, by_practitioner, 1 FROM report_session_facts
    WHERE session_id = NEW.session_id
    ON CONFLICT (month, status, by_practitioner) DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_requests (month, dim, key, n)
    SELECT month, dim, key, 1 FROM report_request_facts WHERE cancellation_id = NEW.id
    ON CONFLICT (month, dim, key) DO UPDATE SET n = n + excluded.n;
    DELETE FROM report_sessions WHERE n = 0
      AND month = (SELECT substr(starts_at, 1, 7) FROM sessions WHERE id = NEW.session_id);
END;

CREATE TRIGGER report_requests_before_update
BEFORE UPDATE OF session_id, by, reason, outcome, notice_hours, reverted_at ON cancellations
BEGIN
    INSERT INTO report_sessions (month, status, by_practitioner, n)
    SELECT month, status, by_practitioner, -1 FROM report_session_facts
    WHERE session_id IN (OLD.session_id, NEW.session_id)
    ON CONFLICT (month, status, by_practitioner) DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_requests (month, dim, key, n)
    SELECT month, dim, key, -1 FROM report_request_facts WHERE cancellation_id = OLD.id
    ON CONFLICT (month, dim, key) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER report_requests_after_update
AFTER UPDATE OF session_id, by, reason, outcome, notice_hours, reverted_at ON cancellations
BEGIN
    INSERT INTO report_sessions (month, status, by_practitioner, n)
    SELECT month, status, by_practitioner, 1 FROM report_session_facts
    WHERE session_id IN (OLD.session_id, NEW.session_id)
    ON CONFLICT (month, status, by_practitioner) DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_requests (month, dim, key, n)
    SELECT month, dim, key, 1 FROM report_request_facts WHERE cancellation_id = NEW.id
    ON CONFLICT (month, dim, key) DO UPDATE SET n = n + excluded.n;
    DELETE FROM report_sessions WHERE n = 0 AND month IN
        (SELECT substr(starts_at, 1, 7) FROM sessions WHERE id IN (OLD.session_id, NEW.session_id));
    DELETE FROM report_requests WHERE n = 0 AND month IN
        (SELECT substr(starts_at, 1, 7) FROM sessions WHERE id IN (OLD.session_id, NEW.session_id));
END;

CREATE TRIGGER report_requests_before_delete BEFORE DELETE ON cancellations
BEGIN
    INSERT INTO report_sessions (month, status, by_practitioner, n)
    SELECT month, status, by_practitioner, -1 FROM report_session_facts
    WHERE session_id = OLD.session_id
    ON CONFLICT (month, status, by_practitioner) DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_requests (month, dim, key, n)
    SELECT month, dim, key, -1 FROM report_request_facts WHERE cancellation_id = OLD.id
    ON CONFLICT (month, dim, key) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER report_requests_after_delete AFTER DELETE ON cancellations
BEGIN
    INSERT INTO report_sessions (month, status, by_practitioner, n)
    SELECT month, status, by_practitioner, 1 FROM report_session_facts
    WHERE session_id = OLD.session_id
    ON CONFLICT (month, status, by_practitioner) DO UPDATE SET n = n + excluded.n;
    DELETE FROM report_sessions WHERE n = 0
      AND month = (SELECT substr(starts_at, 1, 7) FROM sessions WHERE id = OLD.session_id);
    DELETE FROM report_requests WHERE n = 0
      AND month = (SELECT substr(starts_at, 1, 7) FROM sessions WHERE id = OLD.session_id);
END;

-- Note search: prefix indexes for words of 1 to 3 letters, so a short word (searched as a
-- prefix) reads one list instead of merging every word it begins. The index is rebuilt from
-- the notes and their addenda; its triggers (migration 003) are unchanged.
DROP TABLE notes_fts;
CREATE VIRTUAL TABLE notes_fts USING fts5 (text, tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3');
INSERT INTO notes_fts (rowid, text)
    SELECT n.id, (SELECT coalesce(group_concat(value, char(10)), '') FROM json_each(n.body))
        || coalesce(char(10) || (SELECT group_concat(a.text, char(10)) FROM note_addenda a
                                 WHERE a.note_id = n.id), '')
    FROM notes n;
