-- caseload schema: cancellation requests and what became of them.
-- Every request is kept: saved by a phone or video session, rescheduled, or recorded as a
-- (late) cancellation.
CREATE TABLE cancellations (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions (id),
    -- When the request was made (UTC instant).
    requested_at TEXT NOT NULL,
    by TEXT NOT NULL CHECK (by IN ('client', 'practitioner')),
    reason TEXT NOT NULL CHECK (reason IN ('work', 'child_or_family_care', 'own_illness', 'travel',
        'transport_or_weather', 'forgot', 'cost', 'schedule_conflict', 'feeling_better', 'other')),
    note TEXT,
    -- Session start minus the request, in hours (negative once the session had started).
    notice_hours REAL NOT NULL,
    -- JSON array of the alternatives offered, best first, e.g. ["phone","video","reschedule"].
    offered TEXT NOT NULL DEFAULT '[]',
    outcome TEXT NOT NULL CHECK (outcome IN
        ('converted_phone', 'converted_video', 'rescheduled', 'cancelled', 'late_cancelled')),
    new_session_id INTEGER REFERENCES sessions (id),
    fee_waived INTEGER NOT NULL DEFAULT 0 CHECK (fee_waived IN (0, 1)),
    -- The remote check before a phone or video session; NULL when it was not asked.
    remote_private INTEGER CHECK (remote_private IN (0, 1)),
    remote_not_driving INTEGER CHECK (remote_not_driving IN (0, 1)),
    remote_location_ok INTEGER CHECK (remote_location_ok IN (0, 1)),
    -- Verbal consent to phone or video recorded during this request (the client's consent and
    -- its date are updated in the same transaction).
    consent_recorded TEXT CHECK (consent_recorded IN ('phone', 'video')),
    created_at TEXT NOT NULL
);
CREATE INDEX cancellations_by_session ON cancellations (session_id);
CREATE INDEX cancellations_by_requested ON cancellations (requested_at);

-- A cancellation is part of the clinical record.
CREATE TRIGGER cancellations_are_never_deleted BEFORE DELETE ON cancellations
BEGIN
    SELECT RAISE(ABORT, 'cancellation records are never deleted');
END;
