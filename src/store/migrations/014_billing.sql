-- caseload schema: fees and payments (issue 17). Money is whole minor units (cents); the
-- currency is the practice's one currency (setting "billing"). Money rows are only ever added:
-- a correction is a new line (a void, an adjustment, a refund), and triggers refuse the rest.

CREATE TABLE services (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 20),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 600),
    fee INTEGER NOT NULL CHECK (fee >= 0),
    -- Basis points (1 % = 100).
    tax_bp INTEGER CHECK (tax_bp BETWEEN 0 AND 10000),
    late_cancel_bp INTEGER NOT NULL CHECK (late_cancel_bp BETWEEN 0 AND 10000),
    no_show_bp INTEGER NOT NULL CHECK (no_show_bp BETWEEN 0 AND 10000),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- A client's own fee from a date (a sliding scale); for one service, or every service when
-- service_id is NULL. The newest line in force on a session's date wins; history is kept.
CREATE TABLE client_fees (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id),
    service_id INTEGER REFERENCES services (id),
    fee INTEGER NOT NULL CHECK (fee >= 0),
    from_date TEXT NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX client_fees_by_client ON client_fees (client_id, from_date);

-- A client's default service and diagnosis codes (for superbills).
CREATE TABLE client_billing (
    client_id INTEGER PRIMARY KEY REFERENCES clients (id),
    service_id INTEGER REFERENCES services (id),
    -- ICD-10 codes, comma separated.
    diagnosis_codes TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);

-- The service a session was booked as, when one was named (else the client's, else the
-- practice's default).
CREATE TABLE session_services (
    session_id INTEGER PRIMARY KEY REFERENCES sessions (id),
    service_id INTEGER NOT NULL REFERENCES services (id)
);

-- Every money line of every client. amount > 0 except adjustments (signed, never 0).
-- void: ref_id is the charge voided (amount = its amount); refund: ref_id is the payment.
CREATE TABLE ledger (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id),
    kind TEXT NOT NULL CHECK (kind IN ('charge', 'void', 'adjustment', 'payment', 'refund')),
    -- The day it counts on: a charge, its session's date; the others, the day given.
    on_date TEXT NOT NULL,
    amount INTEGER NOT NULL,
    -- Of the amount, the tax (charges only).
    tax INTEGER NOT NULL DEFAULT 0 CHECK (tax >= 0),
    basis TEXT CHECK (basis IN ('session', 'no_show', 'late_cancel')),
    session_id INTEGER REFERENCES sessions (id),
    service_id INTEGER REFERENCES services (id),
    ref_id INTEGER REFERENCES ledger (id),
    method TEXT CHECK (method IN ('cash', 'card', 'transfer', 'cheque', 'insurance', 'other')),
    reason TEXT,
    created_at TEXT NOT NULL,
    CHECK ((kind = 'adjustment' AND amount != 0) OR (kind != 'adjustment' AND amount > 0)),
    CHECK ((kind IN ('void', 'refund')) = (ref_id IS NOT NULL)),
    CHECK ((kind = 'charge') = (basis IS NOT NULL)),
    CHECK ((kind = 'payment') = (method IS NOT NULL))
);
CREATE INDEX ledger_by_client ON ledger (client_id, on_date, id);
-- Covering for the income report (a month's lines without reading the table).
CREATE INDEX ledger_by_date ON ledger (on_date, kind, amount, basis, service_id);
CREATE INDEX ledger_by_session ON ledger (session_id) WHERE session_id IS NOT NULL;
CREATE INDEX ledger_by_ref ON ledger (ref_id) WHERE ref_id IS NOT NULL;

-- Credit (a payment or a negative adjustment) applied to a debit (a charge or a positive
-- adjustment). A negative amount takes an application back (a void or a refund).
CREATE TABLE applications (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id),
    credit_id INTEGER NOT NULL REFERENCES ledger (id),
    debit_id INTEGER NOT NULL REFERENCES ledger (id),
    amount INTEGER NOT NULL CHECK (amount != 0),
    created_at TEXT NOT NULL
);
CREATE INDEX applications_by_debit ON applications (debit_id, amount);
CREATE INDEX applications_by_credit ON applications (credit_id);
-- Covering for a client's ledger (who pays what).
CREATE INDEX applications_by_client ON applications (client_id, credit_id, debit_id, amount);

-- A late-cancellation fee waived in the cancellation flow: what it would have been, and why.
CREATE TABLE waived_fees (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id),
    session_id INTEGER NOT NULL REFERENCES sessions (id),
    cancellation_id INTEGER REFERENCES cancellations (id),
    service_id INTEGER REFERENCES services (id),
    basis TEXT NOT NULL CHECK (basis IN ('no_show', 'late_cancel')),
    amount INTEGER NOT NULL CHECK (amount > 0),
    reason TEXT,
    on_date TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX waived_fees_by_date ON waived_fees (on_date);

-- Each client's balance (owed > 0, credit < 0) and the day of their oldest unpaid charge,
-- kept with every money write; `caseload check` compares it with the ledger.
CREATE TABLE balances (
    client_id INTEGER PRIMARY KEY REFERENCES clients (id),
    net INTEGER NOT NULL,
    oldest_open TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX balances_owed ON balances (oldest_open) WHERE net > 0;

CREATE TRIGGER ledger_is_never_changed BEFORE UPDATE ON ledger
BEGIN
    SELECT RAISE(ABORT, 'money records can only be added to: correct with a void, an adjustment or a refund');
END;
CREATE TRIGGER ledger_is_never_deleted BEFORE DELETE ON ledger
BEGIN
    SELECT RAISE(ABORT, 'money records can only be added to: correct with a void, an adjustment or a refund');
END;
CREATE TRIGGER applications_are_never_changed BEFORE UPDATE ON applications
BEGIN
    SELECT RAISE(ABORT, 'money records can only be added to');
END;
CREATE TRIGGER applications_are_never_deleted BEFORE DELETE ON applications
BEGIN
    SELECT RAISE(ABORT, 'money records can only be added to');
END;
CREATE TRIGGER client_fees_are_never_changed BEFORE UPDATE ON client_fees
BEGIN
    SELECT RAISE(ABORT, 'fee history can only be added to: set a new fee from a date');
END;
CREATE TRIGGER client_fees_are_never_deleted BEFORE DELETE ON client_fees
BEGIN
    SELECT RAISE(ABORT, 'fee history can only be added to: set a new fee from a date');
END;
CREATE TRIGGER waived_fees_are_never_changed BEFORE UPDATE ON waived_fees
BEGIN
    SELECT RAISE(ABORT, 'money records can only be added to');
END;
CREATE TRIGGER waived_fees_are_never_deleted BEFORE DELETE ON waived_fees
BEGIN
    SELECT RAISE(ABORT, 'money records can only be added to');
END;
