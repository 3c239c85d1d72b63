-- caseload schema: a calendar version counter per session (iCalendar SEQUENCE).
-- It goes up by one whenever a session's time, length, modality or status really changes, so a
-- calendar program that compares versions takes the update. Kept by a trigger, so every path that
-- writes a session (app, command line, cancellation flow, import) keeps it alike.
ALTER TABLE sessions ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0 CHECK (sequence >= 0);

CREATE TRIGGER sessions_sequence_on_change AFTER UPDATE OF starts_at, minutes, modality, status
ON sessions
WHEN old.starts_at IS NOT new.starts_at OR old.minutes IS NOT new.minutes
    OR old.modality IS NOT new.modality OR old.status IS NOT new.status
BEGIN
    UPDATE sessions SET sequence = old.sequence + 1 WHERE id = new.id;
END;
