-- caseload: the sealed audit chain (see the README, "Keeping your records safe").
-- Each entry carries the hash of the entry before it and its own hash (SHA-256 over that and
-- the entry's canonical form); an entry that signs a note or adds an addendum also carries the
-- SHA-256 of the content it seals (seal), naming the row (sealed_table, sealed_id).
ALTER TABLE audit ADD COLUMN sealed_table TEXT;
ALTER TABLE audit ADD COLUMN sealed_id INTEGER;
ALTER TABLE audit ADD COLUMN seal TEXT;
ALTER TABLE audit ADD COLUMN prev_hash TEXT;
ALTER TABLE audit ADD COLUMN hash TEXT;

-- An entry is written, then sealed in the same transaction; once sealed it never changes.
DROP TRIGGER IF EXISTS audit_is_never_changed;
CREATE TRIGGER audit_is_never_changed BEFORE UPDATE ON audit
WHEN OLD.hash IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the audit trail can only be added to');
END;

-- INSERT OR REPLACE deletes the row it replaces without firing delete triggers: refuse it.
CREATE TRIGGER audit_is_never_replaced BEFORE INSERT ON audit
WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'the audit trail can only be added to');
END;

CREATE TRIGGER notes_are_never_replaced BEFORE INSERT ON notes
WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM notes WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'notes are never replaced; a draft is edited, a signed note gets an addendum');
END;

CREATE TRIGGER addenda_are_never_replaced BEFORE INSERT ON note_addenda
WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM note_addenda WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'addenda can not be changed; add another addendum instead');
END;

CREATE TRIGGER assessments_are_never_replaced BEFORE INSERT ON assessments
WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM assessments WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'assessments are never changed');
END;

-- The entries written before the chain existed are sealed here, in order (by the runner, in
-- Rust: SHA-256), and one entry says so.
