-- The web site: sessions, emailed codes, API tokens, the sign-in
-- throttle.  Secrets are stored only as SHA-256 hex, so a copy of the
-- database signs nobody in.  Times are ISO UTC text, written by the
-- program (db/clock.c) so that tests can move the clock.

CREATE TABLE session (
	id		INTEGER PRIMARY KEY,
	token_hash	TEXT NOT NULL UNIQUE,	-- SHA-256 of the cookie
	account_id	INTEGER NOT NULL REFERENCES account(id),
	role		TEXT NOT NULL,
	created_at	TEXT NOT NULL,
	expires_at	TEXT NOT NULL,		-- idle: pushed on use
	max_expires_at	TEXT NOT NULL		-- absolute: never pushed
);
CREATE INDEX session_by_account ON session(account_id);

-- One live code per account and purpose; a new one replaces it.
CREATE TABLE email_code (
	account_id	INTEGER NOT NULL REFERENCES account(id),
	purpose		TEXT NOT NULL
			CHECK (purpose IN ('verify_email', 'reset_password')),
	code_hash	TEXT NOT NULL,		-- SHA-256 of id:purpose:code
	expires_at	TEXT NOT NULL,
	tries		INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (account_id, purpose)
) WITHOUT ROWID;

CREATE TABLE api_token (
	id		INTEGER PRIMARY KEY,
	account_id	INTEGER NOT NULL REFERENCES account(id),
	name		TEXT NOT NULL,
	token_hash	TEXT NOT NULL UNIQUE,	-- SHA-256 of the token
	prefix		TEXT NOT NULL,		-- shown to tell tokens apart
	created_at	TEXT NOT NULL,
	last_used_at	TEXT,
	revoked_at	TEXT
);
CREATE INDEX api_token_by_account ON api_token(account_id, id);

ALTER TABLE account ADD COLUMN failed_signins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE account ADD COLUMN signin_blocked_until TEXT;

-- License lists: a page, newest first, runs on license_by_account;
-- its total is counted from this index alone (it holds every column
-- the filters read but the importer's name).
CREATE INDEX license_listing ON license(account_id, status, product,
    issued_on, number, version);
