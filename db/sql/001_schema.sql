-- The license registry.  Dates are ISO text (YYYY-MM-DD), times ISO UTC.
-- Licenses keep every version: license_version, license_line and
-- license_flag are append-only (triggers below), as is the event log.

CREATE TABLE account (
	id		INTEGER PRIMARY KEY,
	email		TEXT NOT NULL UNIQUE COLLATE NOCASE,
	alt_email	TEXT,
	company_name	TEXT NOT NULL,
	ein		TEXT,
	importer_number	TEXT,
	address		TEXT NOT NULL,
	phone		TEXT NOT NULL,
	contact_name	TEXT NOT NULL,
	password_hash	TEXT NOT NULL,
	verified	INTEGER NOT NULL DEFAULT 0,
	locked		INTEGER NOT NULL DEFAULT 0,
	efiling		INTEGER NOT NULL DEFAULT 1,
	created_at	TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE hts (
	code		TEXT PRIMARY KEY,
	product		TEXT NOT NULL CHECK (product IN ('aluminum', 'steel')),
	product_group	TEXT NOT NULL,
	description	TEXT NOT NULL
) WITHOUT ROWID;

-- Steel is covered by 6-digit subheading ranges, not a list of codes.
CREATE TABLE steel_range (
	lo6		TEXT NOT NULL,
	hi6		TEXT NOT NULL,
	PRIMARY KEY (lo6, hi6)
) WITHOUT ROWID;

CREATE TABLE license (
	id		INTEGER PRIMARY KEY,
	number		TEXT NOT NULL UNIQUE,
	account_id	INTEGER NOT NULL REFERENCES account(id),
	product		TEXT NOT NULL CHECK (product IN ('aluminum', 'steel')),
	license_type	TEXT NOT NULL CHECK (license_type IN ('standard', 'low_value')),
	status		TEXT NOT NULL
			CHECK (status IN ('issued', 'action_required', 'canceled')),
	version		INTEGER NOT NULL,	-- the current version
	issued_on	TEXT NOT NULL,		-- valid from
	valid_through	TEXT,			-- NULL: never expires
	channel		TEXT NOT NULL,		-- how it was first filed
	synthetic	INTEGER NOT NULL DEFAULT 0,
	created_at	TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	canceled_at	TEXT
);
CREATE INDEX license_by_account ON license(account_id, id);

CREATE TABLE license_version (
	license_id		INTEGER NOT NULL REFERENCES license(id),
	version			INTEGER NOT NULL,
	entry_type		TEXT NOT NULL CHECK (entry_type IN ('consumption', 'ftz')),
	importer_name		TEXT NOT NULL,
	exporter_name		TEXT NOT NULL,
	manufacturer_name	TEXT NOT NULL,
	country_of_origin	TEXT NOT NULL,
	country_of_exportation	TEXT NOT NULL,
	expected_export_date	TEXT NOT NULL,
	expected_import_date	TEXT NOT NULL,
	port_of_entry		TEXT NOT NULL,
	customs_entry_number	TEXT,
	application_date	TEXT NOT NULL,
	channel			TEXT NOT NULL,
	actor			TEXT NOT NULL,
	created_at		TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	PRIMARY KEY (license_id, version)
) WITHOUT ROWID;

CREATE TABLE license_line (
	license_id		INTEGER NOT NULL,
	version			INTEGER NOT NULL,
	line_no			INTEGER NOT NULL,
	hts_code		TEXT NOT NULL,
	product_group		TEXT NOT NULL,
	customs_value_cents	INTEGER NOT NULL CHECK (customs_value_cents > 0),
	grams			INTEGER NOT NULL CHECK (grams > 0),
	usd_per_kg		REAL NOT NULL,
	country_of_largest_smelt	TEXT,
	country_of_second_largest_smelt	TEXT,
	country_of_most_recent_cast	TEXT,
	country_of_melt_and_pour	TEXT,
	PRIMARY KEY (license_id, version, line_no),
	FOREIGN KEY (license_id, version) REFERENCES license_version
) WITHOUT ROWID;

-- Action Required flags raised on a version.
CREATE TABLE license_flag (
	license_id	INTEGER NOT NULL,
	version		INTEGER NOT NULL,
	seq		INTEGER NOT NULL,
	field		TEXT NOT NULL,
	message		TEXT NOT NULL,
	PRIMARY KEY (license_id, version, seq),
	FOREIGN KEY (license_id, version) REFERENCES license_version
) WITHOUT ROWID;

-- The current lines of licenses not canceled: the history that Action
-- Required compares against (and, later, the monitor's source).
CREATE TABLE active_line (
	license_id	INTEGER NOT NULL REFERENCES license(id),
	line_no		INTEGER NOT NULL,
	issued_on	TEXT NOT NULL,
	hts_code	TEXT NOT NULL,
	product_group	TEXT NOT NULL,
	country_of_origin TEXT NOT NULL,
	ln_auv		REAL NOT NULL,
	PRIMARY KEY (license_id, line_no)
) WITHOUT ROWID;
CREATE INDEX active_line_by_hts ON active_line(hts_code, issued_on);
CREATE INDEX active_line_by_group ON active_line(product_group, issued_on);

-- Trailing-year statistics, computed once per day and key (history.c).
CREATE TABLE stat_hts (
	hts_code	TEXT PRIMARY KEY,
	day		TEXT NOT NULL,
	n		INTEGER NOT NULL,
	median_ln	REAL NOT NULL,
	mad_ln		REAL NOT NULL
) WITHOUT ROWID;
CREATE TABLE stat_group (
	product_group	TEXT PRIMARY KEY,
	day		TEXT NOT NULL,
	n		INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE stat_origin (
	product_group	TEXT NOT NULL,
	country		TEXT NOT NULL,
	n		INTEGER NOT NULL,
	PRIMARY KEY (product_group, country)
) WITHOUT ROWID;

CREATE TABLE event (
	id		INTEGER PRIMARY KEY,
	at		TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	account_id	INTEGER REFERENCES account(id),
	license_id	INTEGER REFERENCES license(id),
	actor		TEXT NOT NULL,
	channel		TEXT NOT NULL,
	action		TEXT NOT NULL,
	detail		TEXT
);
CREATE INDEX event_by_license ON event(license_id, id);

-- Email to send, written in the same transaction as the change it
-- reports; the mail daemon delivers it.  Message-ID fixed here.
CREATE TABLE outbox (
	id		INTEGER PRIMARY KEY,
	created_at	TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	template	TEXT NOT NULL,
	to_addr		TEXT NOT NULL,
	cc_addr		TEXT,
	params		TEXT NOT NULL,
	message_id	TEXT NOT NULL UNIQUE,
	license_id	INTEGER REFERENCES license(id),
	account_id	INTEGER REFERENCES account(id),
	state		TEXT NOT NULL DEFAULT 'queued'
			CHECK (state IN ('queued', 'sent', 'failed')),
	attempts	INTEGER NOT NULL DEFAULT 0,
	next_attempt_at	TEXT,
	last_error	TEXT,
	sent_at		TEXT
);
CREATE INDEX outbox_by_state ON outbox(state, id);

CREATE TRIGGER license_version_append_only BEFORE UPDATE ON license_version
BEGIN SELECT RAISE(ABORT, 'license versions are never changed'); END;
CREATE TRIGGER license_version_no_delete BEFORE DELETE ON license_version
BEGIN SELECT RAISE(ABORT, 'license versions are never deleted'); END;
CREATE TRIGGER license_line_append_only BEFORE UPDATE ON license_line
BEGIN SELECT RAISE(ABORT, 'license lines are never changed'); END;
CREATE TRIGGER license_line_no_delete BEFORE DELETE ON license_line
BEGIN SELECT RAISE(ABORT, 'license lines are never deleted'); END;
CREATE TRIGGER license_flag_append_only BEFORE UPDATE ON license_flag
BEGIN SELECT RAISE(ABORT, 'flags are never changed'); END;
CREATE TRIGGER license_flag_no_delete BEFORE DELETE ON license_flag
BEGIN SELECT RAISE(ABORT, 'flags are never deleted'); END;
CREATE TRIGGER license_no_delete BEFORE DELETE ON license
BEGIN SELECT RAISE(ABORT, 'licenses are never deleted'); END;
CREATE TRIGGER license_number_fixed BEFORE UPDATE OF number, account_id, product, license_type, issued_on ON license
BEGIN SELECT RAISE(ABORT, 'a license number and its owner never change'); END;
CREATE TRIGGER license_stays_canceled BEFORE UPDATE OF status ON license
WHEN OLD.status = 'canceled'
BEGIN SELECT RAISE(ABORT, 'a canceled license cannot be restored'); END;
CREATE TRIGGER event_append_only BEFORE UPDATE ON event
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER event_no_delete BEFORE DELETE ON event
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
