-- caseload schema: each client's recent attendance, kept for the per-client flags (issue 14).
--
-- The flags (domain::attendance::flags) read a client's last 20 counted sessions, newest first:
-- attended, late, no-show, and the client's own cancellations (a practitioner's cancellation
-- never counts against the client). Reading those for every client took a pass over the whole
-- practice's sessions each time Today or Reports asked. So each client's latest 30 counted
-- sessions (domain::attendance::FLAG_KEPT: the 20, and room for counted sessions still ahead,
-- such as a cancellation recorded for next week) are kept here as one line, "start status,…",
-- newest first (ties by id). The triggers below rewrite a client's line in the same transaction
-- as every write that can change it; the flags read the lines, keep the entries before the
-- moment they are taken "as at", and read a client's sessions afresh only when too few are left.
-- A client with no counted session has no line. `caseload check` compares every line with a
-- fresh read, and a property test checks the flags against a plain count.
CREATE TABLE attendance_history (
    client_id INTEGER PRIMARY KEY,
    recent TEXT NOT NULL,
    -- The start of the line's first (newest) session: a read for a window finds the clients
    -- seen in it or since through this index, not by reading every line.
    newest TEXT GENERATED ALWAYS AS (substr(recent, 1, instr(recent, ' ') - 1)) STORED
);
CREATE INDEX attendance_history_by_newest ON attendance_history (newest);

-- One client's line, read afresh from their sessions (NULL when they have no counted session).
-- group_concat takes the rows in the order the subquery gives them; it has no ORDER BY of its
-- own, which SQLite before 3.44 (the sqlite3 of many systems) cannot read in a schema. The
-- reader checks the order and reads the sessions afresh if a line is ever out of order.
CREATE VIEW attendance_history_fresh AS
SELECT cl.id AS client_id,
    (SELECT group_concat(h.starts_at || ' ' || h.status, ',')
     FROM (SELECT s.starts_at, s.status FROM sessions s
           WHERE s.client_id = cl.id
             AND s.status IN ('attended', 'late', 'no_show', 'cancelled', 'late_cancelled')
             AND NOT (s.status IN ('cancelled', 'late_cancelled') AND EXISTS (
                 SELECT 1 FROM cancellations pc WHERE pc.session_id = s.id
                   AND pc.by = 'practitioner' AND pc.outcome = s.status
                   AND pc.reverted_at IS NULL))
           ORDER BY s.starts_at DESC, s.id DESC LIMIT 30) h) AS recent
FROM clients cl;

INSERT INTO attendance_history (client_id, recent)
SELECT client_id, recent FROM attendance_history_fresh WHERE recent IS NOT NULL;

-- Each trigger rewrites the line of the client (or clients) the write touched.

CREATE TRIGGER attendance_history_session_insert AFTER INSERT ON sessions
BEGIN
    DELETE FROM attendance_history WHERE client_id = NEW.client_id;
    INSERT INTO attendance_history (client_id, recent)
    SELECT client_id, recent FROM attendance_history_fresh
    WHERE client_id = NEW.client_id AND recent IS NOT NULL;
END;

CREATE TRIGGER attendance_history_session_update
AFTER UPDATE OF client_id, starts_at, status ON sessions
WHEN OLD.client_id IS NOT NEW.client_id OR OLD.starts_at IS NOT NEW.starts_at
  OR OLD.status IS NOT NEW.status
BEGIN
    DELETE FROM attendance_history WHERE client_id IN (OLD.client_id, NEW.client_id);
    INSERT INTO attendance_history (client_id, recent)
    SELECT client_id, recent FROM attendance_history_fresh
    WHERE client_id IN (OLD.client_id, NEW.client_id) AND recent IS NOT NULL;
END;

CREATE TRIGGER attendance_history_session_delete AFTER DELETE ON sessions
BEGIN
    DELETE FROM attendance_history WHERE client_id = OLD.client_id;
    INSERT INTO attendance_history (client_id, recent)
    SELECT client_id, recent FROM attendance_history_fresh
    WHERE client_id = OLD.client_id AND recent IS NOT NULL;
END;

-- A cancellation record can make its session one the practitioner cancelled, or stop it being
-- one.
CREATE TRIGGER attendance_history_cancellation_insert AFTER INSERT ON cancellations
BEGIN
    DELETE FROM attendance_history
    WHERE client_id = (SELECT client_id FROM sessions WHERE id = NEW.session_id);
    INSERT INTO attendance_history (client_id, recent)
    SELECT client_id, recent FROM attendance_history_fresh
    WHERE client_id = (SELECT client_id FROM sessions WHERE id = NEW.session_id)
      AND recent IS NOT NULL;
END;

CREATE TRIGGER attendance_history_cancellation_update
AFTER UPDATE OF session_id, by, outcome, reverted_at ON cancellations
BEGIN
    DELETE FROM attendance_history WHERE client_id IN
        (SELECT client_id FROM sessions WHERE id IN (OLD.session_id, NEW.session_id));
    INSERT INTO attendance_history (client_id, recent)
    SELECT client_id, recent FROM attendance_history_fresh
    WHERE client_id IN (SELECT client_id FROM sessions WHERE id IN (OLD.session_id, NEW.session_id))
      AND recent IS NOT NULL;
END;

CREATE TRIGGER attendance_history_cancellation_delete AFTER DELETE ON cancellations
BEGIN
    DELETE FROM attendance_history
    WHERE client_id = (SELECT client_id FROM sessions WHERE id = OLD.session_id);
    INSERT INTO attendance_history (client_id, recent)
    SELECT client_id, recent FROM attendance_history_fresh
    WHERE client_id = (SELECT client_id FROM sessions WHERE id = OLD.session_id)
      AND recent IS NOT NULL;
END;

-- Needs attention, read for the whole practice: each active client's measures taken often
-- enough (their count, first and last), and each client's latest assessment of any kind (for
-- the retention dates). On a 20-year practice of 250,000 assessments the first read every row
-- of the table (120 ms) and the second every assessment of each client; with these, 45 ms and
-- one index entry per client.
CREATE INDEX measures_by_client ON assessments (client_id, instrument, administered_at)
    WHERE kind = 'measure';
CREATE INDEX assessments_by_client_day ON assessments (client_id, administered_at);
