-- caseload schema: what stays of a disposed client's accounts (issue 18). When a record is
-- disposed of, its money lines (issue 17's ledger) move here with their amounts, dates, kinds
-- and services, so the books still add up; their descriptions (the reasons typed for
-- adjustments and voids), the session they were for and the link to the client's details go
-- with the record. client_id is the tombstone's (disposals.client_id): a number, no details.
CREATE TABLE disposed_money (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL,
    -- The ledger line's id it was: with client_id, a void's or refund's ref_id still finds its
    -- line (a ledger id may be used again after a disposal, so it is not the key alone).
    ledger_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('charge', 'void', 'adjustment', 'payment', 'refund')),
    on_date TEXT NOT NULL,
    amount INTEGER NOT NULL,
    tax INTEGER NOT NULL DEFAULT 0,
    basis TEXT CHECK (basis IS NULL OR basis IN ('session', 'no_show', 'late_cancel')),
    service_id INTEGER REFERENCES services (id),
    ref_id INTEGER,
    method TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (client_id, ledger_id)
);
CREATE INDEX disposed_money_by_date ON disposed_money (on_date, kind);

CREATE TRIGGER disposed_money_is_never_changed BEFORE UPDATE ON disposed_money
BEGIN
    SELECT RAISE(ABORT, 'money records can only be added to');
END;
CREATE TRIGGER disposed_money_is_never_deleted BEFORE DELETE ON disposed_money
BEGIN
    SELECT RAISE(ABORT, 'money records can only be added to');
END;
