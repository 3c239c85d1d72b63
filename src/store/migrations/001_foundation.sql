-- caseload schema 1: clients and practice settings.
CREATE TABLE clients (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    preferred_name TEXT,
    pronouns TEXT,
    born TEXT,
    phone TEXT,
    email TEXT,
    preferred_contact TEXT CHECK (preferred_contact IN ('phone', 'text', 'email')),
    emergency_contact TEXT,
    telehealth_consent TEXT NOT NULL DEFAULT 'none'
        CHECK (telehealth_consent IN ('none', 'phone', 'video', 'both')),
    telehealth_consent_date TEXT,
    status TEXT NOT NULL DEFAULT 'active'
        CHECK (status IN ('active', 'on_hold', 'discharged', 'referred_out')),
    intake_date TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX clients_by_status ON clients (status);

-- Clients are never deleted: they are discharged or referred out, and can be reopened.
CREATE TRIGGER clients_are_never_deleted BEFORE DELETE ON clients
BEGIN
    SELECT RAISE(ABORT, 'clients are never deleted; discharge them instead');
END;

-- Every change of status, so that reopening a client keeps the whole history.
CREATE TABLE client_status_changes (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    changed_at TEXT NOT NULL
);
CREATE INDEX client_status_changes_by_client ON client_status_changes (client_id);

-- Practice settings, one JSON value per key.
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
