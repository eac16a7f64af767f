-- The mail gateway (aim-maild) and the staff queue.  Every message taken
-- in is kept raw with its SHA-256 before the IMAP server is told
-- anything, keyed so that fetching it again stores nothing new.  Times
-- are ISO UTC text written by the program (db/clock.c).

-- Where each watched mailbox stands: a new UIDVALIDITY means the UIDs
-- start over, so last_uid counts only within uidvalidity.
CREATE TABLE mailbox (
	name		TEXT PRIMARY KEY,
	uidvalidity	INTEGER NOT NULL DEFAULT 0,
	last_uid	INTEGER NOT NULL DEFAULT 0,
	last_fetch_at	TEXT,
	last_error	TEXT
) WITHOUT ROWID;

-- message_id is the key a message is known by: its Message-ID header,
-- else the SHA-256 of the raw message (also when another sender
-- reuses a Message-ID, so a forged one cannot hide a message).
CREATE TABLE mail_message (
	id		INTEGER PRIMARY KEY,
	mailbox		TEXT NOT NULL,
	uidvalidity	INTEGER NOT NULL,
	uid		INTEGER NOT NULL,
	message_id	TEXT NOT NULL,
	sha256		TEXT NOT NULL,
	raw		BLOB NOT NULL,
	size		INTEGER NOT NULL,
	received_at	TEXT NOT NULL,
	from_addr	TEXT,
	from_name	TEXT,
	to_addr		TEXT,
	subject		TEXT,
	date_hdr	TEXT,
	in_reply_to	TEXT,
	auth_results	TEXT,			-- our MTA's Authentication-Results
	body_text	TEXT,			-- decoded, HTML made text
	-- NULL until the message could be read and classified.
	classification	TEXT CHECK (classification IN ('bounce', 'auto_reply',
			    'own', 'reply', 'submission', 'correspondence')),
	state		TEXT NOT NULL DEFAULT 'stored'
			CHECK (state IN ('stored', 'processed', 'quarantined')),
	attempts	INTEGER NOT NULL DEFAULT 0,
	last_error	TEXT,
	UNIQUE (mailbox, uidvalidity, uid),
	UNIQUE (message_id)
);
CREATE INDEX mail_message_by_state ON mail_message(state, id);

-- What each attachment was; the bytes stay in the raw message.
CREATE TABLE mail_attachment (
	message_id	INTEGER NOT NULL REFERENCES mail_message(id),
	idx		INTEGER NOT NULL,	-- from 0, in MIME order
	name		TEXT,
	type		TEXT,
	size		INTEGER NOT NULL,
	sha256		TEXT NOT NULL,
	PRIMARY KEY (message_id, idx)
) WITHOUT ROWID;

-- The staff queue.  reference ("EF-2026-000123") is what the filer is
-- told for an emailed form: it is NOT a license number and no entry
-- may be filed with it.  form is the parsed form as JSON in the
-- foundation vocabulary; errors a JSON array of {field, message}.
CREATE TABLE queue_item (
	id		INTEGER PRIMARY KEY,
	kind		TEXT NOT NULL CHECK (kind IN ('submission',
			    'correspondence', 'quarantine', 'outbound_failure')),
	state		TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open',
			    'claimed', 'approved', 'rejected', 'closed')),
	product		TEXT CHECK (product IN ('aluminum', 'steel')),
	reference	TEXT UNIQUE,
	message_id	INTEGER REFERENCES mail_message(id),
	outbox_id	INTEGER REFERENCES outbox(id),
	license_id	INTEGER REFERENCES license(id),
	account_id	INTEGER REFERENCES account(id),
	sender		TEXT,
	filer_email	TEXT,			-- the form's filer block
	form		TEXT,
	errors		TEXT,
	nerrors		INTEGER NOT NULL DEFAULT 0,
	valid		INTEGER NOT NULL DEFAULT 0,
	note		TEXT,			-- why quarantined, failed, rejected
	claimed_by	TEXT,
	claimed_at	TEXT,
	decided_by	TEXT,
	decided_at	TEXT,
	created_at	TEXT NOT NULL,
	updated_at	TEXT NOT NULL,
	CHECK ((state = 'claimed') = (claimed_by IS NOT NULL)),
	CHECK (state != 'approved' OR license_id IS NOT NULL)
);
CREATE INDEX queue_item_by_state ON queue_item(state, kind, created_at, id);
-- One item per message: storing a message twice cannot make two.
CREATE UNIQUE INDEX queue_item_by_message ON queue_item(message_id)
    WHERE message_id IS NOT NULL;

-- Every email in and out, on a queue item or a license or both.
CREATE TABLE queue_thread (
	id		INTEGER PRIMARY KEY,
	item_id		INTEGER REFERENCES queue_item(id),
	license_id	INTEGER REFERENCES license(id),
	message_id	INTEGER REFERENCES mail_message(id),
	outbox_id	INTEGER REFERENCES outbox(id),
	direction	TEXT NOT NULL CHECK (direction IN ('in', 'out')),
	at		TEXT NOT NULL,
	CHECK (item_id IS NOT NULL OR license_id IS NOT NULL),
	CHECK ((direction = 'in' AND message_id IS NOT NULL AND
	    outbox_id IS NULL) OR (direction = 'out' AND outbox_id IS NOT NULL
	    AND message_id IS NULL))
);
CREATE INDEX queue_thread_by_item ON queue_thread(item_id, id);
CREATE INDEX queue_thread_by_license ON queue_thread(license_id, id);

-- Reply tokens are single use: the SHA-256 of each one used.
CREATE TABLE reply_token_use (
	token_hash	TEXT PRIMARY KEY,
	used_at		TEXT NOT NULL,
	message_id	INTEGER REFERENCES mail_message(id)
) WITHOUT ROWID;

-- Every staff action: who, when, from which address, what.  Readable
-- by supervisors, changed by nobody.
CREATE TABLE staff_audit (
	id		INTEGER PRIMARY KEY,
	at		TEXT NOT NULL,
	who		TEXT NOT NULL,
	addr		TEXT NOT NULL,
	action		TEXT NOT NULL,
	item_id		INTEGER REFERENCES queue_item(id),
	license_id	INTEGER REFERENCES license(id),
	detail		TEXT
);
CREATE INDEX staff_audit_by_item ON staff_audit(item_id, id);

CREATE TRIGGER staff_audit_append_only BEFORE UPDATE ON staff_audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER staff_audit_no_delete BEFORE DELETE ON staff_audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
-- The bytes received are evidence: never rewritten.
CREATE TRIGGER mail_message_raw_fixed BEFORE UPDATE OF mailbox, uidvalidity,
    uid, sha256, raw, size ON mail_message
BEGIN SELECT RAISE(ABORT, 'a stored message is never rewritten'); END;
CREATE TRIGGER queue_thread_append_only BEFORE UPDATE ON queue_thread
BEGIN SELECT RAISE(ABORT, 'the thread is append-only'); END;
