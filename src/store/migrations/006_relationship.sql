-- caseload schema 6: the working relationship — Q&A, handouts given, goals and their ratings,
-- boundary incidents, consultations, reviews of signals, and discharges with referrals.
-- (The practice profile lives in the settings table under "practice_profile".)

CREATE TABLE qa_items (
    id INTEGER PRIMARY KEY,
    position INTEGER NOT NULL,
    question TEXT NOT NULL CHECK (length(trim(question)) > 0),
    answer TEXT NOT NULL
);
CREATE INDEX qa_items_by_position ON qa_items (position, id);

-- Each time the practitioner hands the expectations handout to a client: which version, when.
CREATE TABLE handouts_given (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id),
    version TEXT NOT NULL CHECK (length(version) > 0),
    given_on TEXT NOT NULL CHECK (length(given_on) = 10),
    recorded_at TEXT NOT NULL
);
CREATE INDEX handouts_given_by_client ON handouts_given (client_id, given_on);

CREATE TABLE goals (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id),
    text TEXT NOT NULL CHECK (length(trim(text)) > 0),
    set_on TEXT NOT NULL CHECK (length(set_on) = 10),
    target_on TEXT CHECK (target_on IS NULL OR length(target_on) = 10),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'achieved', 'dropped')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX goals_by_client ON goals (client_id, id);

CREATE TABLE goal_ratings (
    id INTEGER PRIMARY KEY,
    goal_id INTEGER NOT NULL REFERENCES goals (id),
    rated_on TEXT NOT NULL CHECK (length(rated_on) = 10),
    rating INTEGER NOT NULL CHECK (rating BETWEEN 0 AND 10),
    session_id INTEGER REFERENCES sessions (id),
    created_at TEXT NOT NULL
);
CREATE INDEX goal_ratings_by_goal ON goal_ratings (goal_id, rated_on, id);

CREATE TABLE boundary_incidents (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id),
    occurred_on TEXT NOT NULL CHECK (length(occurred_on) = 10),
    kind TEXT NOT NULL CHECK (kind IN ('after_hours_contact', 'unplanned_contact', 'late_payment',
        'repeated_late_cancellation', 'disrespectful_conduct', 'unrealistic_demand', 'other')),
    note TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX boundary_incidents_by_client ON boundary_incidents (client_id, occurred_on);

CREATE TABLE consultations (
    id INTEGER PRIMARY KEY,
    held_on TEXT NOT NULL CHECK (length(held_on) = 10),
    colleague TEXT NOT NULL CHECK (length(trim(colleague)) > 0),
    topic TEXT NOT NULL CHECK (length(trim(topic)) > 0),
    notes TEXT,
    to_try TEXT,
    client_id INTEGER REFERENCES clients (id),
    created_at TEXT NOT NULL
);
CREATE INDEX consultations_by_date ON consultations (held_on, id);
CREATE INDEX consultations_by_client ON consultations (client_id) WHERE client_id IS NOT NULL;

-- A review of the signals that fired for a client, and what the practitioner chose to do.
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id),
    reviewed_on TEXT NOT NULL CHECK (length(reviewed_on) = 10),
    signals TEXT NOT NULL,
    choice TEXT NOT NULL CHECK (choice IN ('note_for_next_session', 'reconsider_engagement_model',
        'log_consultation', 'start_discharge')),
    note TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX reviews_by_client ON reviews (client_id, reviewed_on);

-- Every ending of care; a reopened client keeps these, and a later ending adds another.
CREATE TABLE discharges (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id),
    discharged_on TEXT NOT NULL CHECK (length(discharged_on) = 10),
    reason TEXT NOT NULL CHECK (reason IN ('goals_met', 'client_choice', 'needs_outside_scope',
        'not_productive', 'moved', 'other')),
    to_status TEXT NOT NULL CHECK (to_status IN ('discharged', 'referred_out')),
    referral_name TEXT,
    referral_profession TEXT,
    referral_contact TEXT,
    referral_why TEXT,
    closing_note TEXT,
    cancelled_sessions INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX discharges_by_client ON discharges (client_id, id);

CREATE TRIGGER discharges_are_never_deleted BEFORE DELETE ON discharges
BEGIN
    SELECT RAISE(ABORT, 'discharges are part of the record and are never deleted');
END;
