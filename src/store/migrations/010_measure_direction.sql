-- caseload schema 10: how a measure's totals read, kept with each result as its instrument file
-- said when the measure was given: which way is better, and how far a total must move to count
-- as a real change. Results recorded before this have neither (NULL): they read as
-- lower-is-better, with the built-in instrument's value or the practice's default.
ALTER TABLE assessments ADD COLUMN better TEXT CHECK (better IS NULL OR better IN ('lower', 'higher'));
ALTER TABLE assessments ADD COLUMN reliable_change REAL CHECK (reliable_change IS NULL OR reliable_change > 0);
