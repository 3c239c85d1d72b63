-- caseload: a cancellation recorded by mistake can be reverted (the session goes back to
-- scheduled). The request stays, with the moment it was reverted (UTC instant); reports leave
-- reverted requests out.
ALTER TABLE cancellations ADD COLUMN reverted_at TEXT;
