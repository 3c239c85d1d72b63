-- caseload: the audit trail. Every change to a clinical record is appended here (what, which
-- record, when); nothing can change or remove an entry.
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    client_id INTEGER,
    detail TEXT
);
CREATE INDEX audit_by_client ON audit (client_id);

CREATE TRIGGER audit_is_never_changed BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit trail can only be added to');
END;

CREATE TRIGGER audit_is_never_deleted BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit trail can only be added to');
END;
