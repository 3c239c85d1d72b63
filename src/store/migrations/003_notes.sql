-- caseload schema 3: progress notes, their addenda, and search over both.
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id),
    session_id INTEGER REFERENCES sessions (id),
    template TEXT NOT NULL CHECK (template IN ('soap', 'dap', 'birp', 'free')),
    -- The sections: a JSON object of section key -> text, in template order.
    body TEXT NOT NULL CHECK (json_valid(body) AND json_type(body) = 'object'),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- Set once, when the practitioner signs; from then on the note is final.
    signed_at TEXT
);
CREATE INDEX notes_by_client ON notes (client_id, created_at);
-- A session has at most one note.
CREATE UNIQUE INDEX notes_by_session ON notes (session_id) WHERE session_id IS NOT NULL;

-- A signed note is final: nothing about it may change, even from raw SQL.
CREATE TRIGGER signed_notes_are_final BEFORE UPDATE ON notes
WHEN OLD.signed_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'this note is signed and can no longer be changed; add an addendum instead');
END;

-- Notes are clinical records: never deleted, drafts included.
CREATE TRIGGER notes_are_never_deleted BEFORE DELETE ON notes
BEGIN
    SELECT RAISE(ABORT, 'notes are never deleted');
END;

-- Corrections and additions to a signed note, each with its own time.
CREATE TABLE note_addenda (
    id INTEGER PRIMARY KEY,
    note_id INTEGER NOT NULL REFERENCES notes (id),
    text TEXT NOT NULL CHECK (length(trim(text)) > 0),
    created_at TEXT NOT NULL
);
CREATE INDEX note_addenda_by_note ON note_addenda (note_id);

CREATE TRIGGER addenda_only_on_signed_notes BEFORE INSERT ON note_addenda
WHEN (SELECT signed_at FROM notes WHERE id = NEW.note_id) IS NULL
BEGIN
    SELECT RAISE(ABORT, 'addenda are added to signed notes; a draft is edited directly');
END;

CREATE TRIGGER addenda_are_final BEFORE UPDATE ON note_addenda
BEGIN
    SELECT RAISE(ABORT, 'addenda can not be changed; add another addendum instead');
END;

CREATE TRIGGER addenda_are_never_deleted BEFORE DELETE ON note_addenda
BEGIN
    SELECT RAISE(ABORT, 'addenda are never deleted');
END;

-- Search: one row per note (rowid = note id) holding its sections' text and its addenda.
CREATE VIRTUAL TABLE notes_fts USING fts5 (text, tokenize = 'unicode61 remove_diacritics 2');

CREATE TRIGGER notes_fts_after_insert AFTER INSERT ON notes
BEGIN
    INSERT INTO notes_fts (rowid, text)
    VALUES (NEW.id, (SELECT coalesce(group_concat(value, char(10)), '') FROM json_each(NEW.body)));
END;

CREATE TRIGGER notes_fts_after_update AFTER UPDATE OF body ON notes
BEGIN
    DELETE FROM notes_fts WHERE rowid = NEW.id;
    INSERT INTO notes_fts (rowid, text)
    VALUES (NEW.id, (SELECT coalesce(group_concat(value, char(10)), '') FROM json_each(NEW.body)));
END;

CREATE TRIGGER notes_fts_after_addendum AFTER INSERT ON note_addenda
BEGIN
    DELETE FROM notes_fts WHERE rowid = NEW.note_id;
    INSERT INTO notes_fts (rowid, text)
    VALUES (NEW.note_id,
        (SELECT coalesce(group_concat(value, char(10)), '') FROM notes, json_each(notes.body)
         WHERE notes.id = NEW.note_id)
        || char(10) ||
        (SELECT group_concat(text, char(10)) FROM note_addenda WHERE note_id = NEW.note_id));
END;
