-- caseload schema: assessments (immutable results), the alerts their flags raise, the client's
-- engagement model with its history, and the practical barriers the client reported.
CREATE TABLE assessments (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id),
    instrument TEXT NOT NULL,
    version INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('measure', 'recommendation')),
    title TEXT NOT NULL,
    -- The day it was given: YYYY-MM-DD.
    administered_at TEXT NOT NULL CHECK (length(administered_at) = 10),
    -- JSON: the answer values in item order; fired flags; subscale totals; the ranking and the
    -- answers that counted most towards its first place.
    answers TEXT NOT NULL,
    total INTEGER NOT NULL,
    band TEXT,
    flags TEXT NOT NULL DEFAULT '[]',
    subscales TEXT NOT NULL DEFAULT '{}',
    ranking TEXT NOT NULL DEFAULT '[]',
    why TEXT NOT NULL DEFAULT '[]',
    tie TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX assessments_by_client ON assessments (client_id, instrument, administered_at);

-- A result is a clinical record: never changed, never deleted.
CREATE TRIGGER assessments_are_never_changed BEFORE UPDATE ON assessments
BEGIN
    SELECT RAISE(ABORT, 'assessment results are never changed');
END;
CREATE TRIGGER assessments_are_never_deleted BEFORE DELETE ON assessments
BEGIN
    SELECT RAISE(ABORT, 'assessment results are never deleted');
END;

-- A fired flag stays open on the client until the practitioner reviews it with a note.
CREATE TABLE assessment_alerts (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id),
    client_id INTEGER NOT NULL REFERENCES clients (id),
    item TEXT NOT NULL,
    message TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    reviewed_at TEXT,
    review_note TEXT,
    CHECK ((reviewed_at IS NULL) = (review_note IS NULL))
);
CREATE INDEX assessment_alerts_open ON assessment_alerts (client_id) WHERE reviewed_at IS NULL;
CREATE TRIGGER assessment_alerts_are_reviewed_once BEFORE UPDATE ON assessment_alerts
WHEN OLD.reviewed_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a reviewed alert is never changed');
END;
CREATE TRIGGER assessment_alerts_are_never_deleted BEFORE DELETE ON assessment_alerts
BEGIN
    SELECT RAISE(ABORT, 'alerts are never deleted; review them instead');
END;

-- The engagement model chosen for a client, every choice kept; the latest is the current one.
CREATE TABLE client_models (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id),
    model TEXT NOT NULL CHECK (model IN
        ('expert', 'medical', 'collaborative', 'strengths_based', 'solution_focused', 'empowerment')),
    -- What the assessment put first when the choice was made.
    recommended TEXT,
    assessment_id INTEGER REFERENCES assessments (id),
    -- Why another model was chosen (required then).
    reason TEXT,
    chosen_at TEXT NOT NULL
);
CREATE INDEX client_models_by_client ON client_models (client_id, id);

-- Practical barriers to attending, as last answered.
CREATE TABLE client_barriers (
    client_id INTEGER NOT NULL REFERENCES clients (id),
    barrier TEXT NOT NULL CHECK (barrier IN ('work_hours', 'caring', 'travel', 'transport')),
    value INTEGER NOT NULL,
    label TEXT NOT NULL,
    present INTEGER NOT NULL CHECK (present IN (0, 1)),
    assessment_id INTEGER NOT NULL REFERENCES assessments (id),
    recorded_on TEXT NOT NULL,
    PRIMARY KEY (client_id, barrier)
);
