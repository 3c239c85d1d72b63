-- caseload schema 14: records over their whole life. A client's retention (a keep-until date set
-- by hand, a legal hold with its reason), the tombstone left when a record is disposed of, and
-- the handover archives made for a custodian.
CREATE TABLE retention (
    client_id INTEGER PRIMARY KEY REFERENCES clients (id),
    -- A keep-until date set by hand (YYYY-MM-DD); NULL: the practice's rule applies.
    keep_until TEXT CHECK (keep_until IS NULL OR length(keep_until) = 10),
    -- A legal hold stops disposal whatever the date; it always has a reason.
    hold_reason TEXT CHECK (hold_reason IS NULL OR length(trim(hold_reason)) > 0),
    hold_since TEXT,
    updated_at TEXT NOT NULL,
    CHECK ((hold_reason IS NULL) = (hold_since IS NULL))
);

-- What stays of a client whose record was disposed of after the retention period.
CREATE TABLE disposals (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL UNIQUE,
    name TEXT NOT NULL,
    born TEXT,
    first_contact TEXT,
    last_contact TEXT,
    keep_until TEXT,
    disposed_on TEXT NOT NULL CHECK (length(disposed_on) = 10),
    disposed_at TEXT NOT NULL,
    disposed_by TEXT NOT NULL
);

CREATE TRIGGER disposals_are_never_changed BEFORE UPDATE ON disposals
BEGIN
    SELECT RAISE(ABORT, 'the disposal log can only be added to');
END;
CREATE TRIGGER disposals_are_never_deleted BEFORE DELETE ON disposals
BEGIN
    SELECT RAISE(ABORT, 'the disposal log can only be added to');
END;

-- Each handover archive made (the file itself lives wherever the practitioner put it).
CREATE TABLE handovers (
    id INTEGER PRIMARY KEY,
    made_at TEXT NOT NULL,
    custodian TEXT NOT NULL CHECK (length(trim(custodian)) > 0),
    file TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    clients INTEGER NOT NULL
);
