-- The staff console: staff accounts, kept apart from filer accounts (a
-- filer can never become staff by anything done on the filer site),
-- their sessions, and the possible-duplicate flags staff have looked
-- at.  Times are ISO UTC text written by the program (db/clock.c).

-- name is what the queue and the audit log record (claimed_by,
-- decided_by, who): the email, so two staff never share one.
CREATE TABLE staff (
	id		INTEGER PRIMARY KEY,
	email		TEXT NOT NULL UNIQUE COLLATE NOCASE,
	role		TEXT NOT NULL CHECK (role IN ('staff', 'supervisor')),
	password_hash	TEXT NOT NULL,
	locked		INTEGER NOT NULL DEFAULT 0,
	failed_signins	INTEGER NOT NULL DEFAULT 0,
	signin_blocked_until TEXT,
	created_at	TEXT NOT NULL
);

-- As the filer session table (002_web.sql), for staff: the cookie is
-- another, so a filer session can never be taken for a staff one.
CREATE TABLE staff_session (
	id		INTEGER PRIMARY KEY,
	token_hash	TEXT NOT NULL UNIQUE,	-- SHA-256 of the cookie
	staff_id	INTEGER NOT NULL REFERENCES staff(id),
	role		TEXT NOT NULL,		-- the role at sign-in
	created_at	TEXT NOT NULL,
	expires_at	TEXT NOT NULL,		-- idle: pushed on use
	max_expires_at	TEXT NOT NULL		-- absolute: never pushed
);
CREATE INDEX staff_session_by_staff ON staff_session(staff_id);

-- A pair of licenses the duplicate check matched, once staff have
-- dealt with it: dismissed (not a duplicate) or asked (the filer was
-- emailed a question).  A pair is kept once, the smaller id first.
CREATE TABLE duplicate_review (
	license_a	INTEGER NOT NULL REFERENCES license(id),
	license_b	INTEGER NOT NULL REFERENCES license(id),
	state		TEXT NOT NULL CHECK (state IN ('dismissed', 'asked')),
	who		TEXT NOT NULL,
	at		TEXT NOT NULL,
	note		TEXT,
	PRIMARY KEY (license_a, license_b),
	CHECK (license_a < license_b)
) WITHOUT ROWID;

-- The emails about a license, for its staff page.
CREATE INDEX outbox_by_license ON outbox(license_id, id)
    WHERE license_id IS NOT NULL;
