/*
 * The SQL of the system, in one place, prepared on first use.
 */
#include "stmt.h"

#define NOW "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

/* The filters of a license list, shared by its page and its count.
 * The importer is looked up only when asked for, so that the count
 * reads the license_listing index alone. */
#define LISTING_WHERE \
	"WHERE l.account_id = ?1 " \
	"AND (?2 IS NULL OR substr(l.number, 1, length(?2)) = ?2) " \
	"AND (?3 IS NULL OR EXISTS (SELECT 1 FROM license_version w " \
	"WHERE w.license_id = l.id AND w.version = l.version AND " \
	"instr(lower(w.importer_name), lower(?3)) > 0)) " \
	"AND (?4 IS NULL OR l.status = ?4) " \
	"AND (?5 IS NULL OR l.product = ?5) " \
	"AND (?6 IS NULL OR l.issued_on >= ?6) " \
	"AND (?7 IS NULL OR l.issued_on <= ?7)"

/* The filters of a queue list, shared by its page and its count; as
 * for licenses, a NULL parameter turns its condition off. */
/* A monitor cell by its key (db/monitor.c). */
#define MON_CELL_KEY \
	"WHERE view = ?1 AND product = ?2 AND month = ?3 AND " \
	"product_group = ?4 AND hts6 = ?5 AND country_of_origin = ?6 AND " \
	"country_of_largest_smelt = ?7 AND country_of_most_recent_cast = ?8 " \
	"AND country_of_melt_and_pour = ?9"

#define QUEUE_WHERE \
	"WHERE (?1 IS NULL OR q.kind = ?1) " \
	"AND (?2 IS NULL OR q.state = ?2 OR (?2 = 'active' AND " \
	"q.state IN ('open', 'claimed'))) " \
	"AND (?3 IS NULL OR q.product = ?3) " \
	"AND (?4 IS NULL OR q.created_at <= ?4) " \
	"AND (?5 IS NULL OR q.created_at >= ?5)"

/* An outbox row, as db/outbox.c reads it. */
#define OUTBOX_COLS \
	"id, created_at, template, to_addr, cc_addr, params, message_id, " \
	"state, attempts, license_id, account_id, next_attempt_at, " \
	"last_error, sent_at"

/* The staff console's search: the filer list's filters and more, over
 * every account (listing_staff_query binds ?1-?14). */
#define LISTING_STAFF_WHERE \
	"WHERE (?1 IS NULL OR substr(l.number, 1, length(?1)) = ?1) " \
	"AND (?2 IS NULL OR instr(lower(a.company_name), lower(?2)) > 0) " \
	"AND (?3 IS NULL OR instr(lower(v.importer_name), lower(?3)) > 0) " \
	"AND (?4 IS NULL OR instr(lower(v.exporter_name), lower(?4)) > 0) " \
	"AND (?5 IS NULL OR EXISTS (SELECT 1 FROM license_line x WHERE " \
	"x.license_id = l.id AND x.version = l.version AND " \
	"substr(x.hts_code, 1, length(?5)) = ?5)) " \
	"AND (?6 IS NULL OR instr(lower(v.country_of_origin), lower(?6)) > 0 " \
	"OR instr(lower(v.country_of_exportation), lower(?6)) > 0) " \
	"AND (?7 IS NULL OR l.issued_on >= ?7) " \
	"AND (?8 IS NULL OR l.issued_on <= ?8) " \
	"AND (?9 IS NULL OR v.expected_import_date >= ?9) " \
	"AND (?10 IS NULL OR v.expected_import_date <= ?10) " \
	"AND (?11 IS NULL OR l.status = ?11) " \
	"AND (?12 IS NULL OR l.channel = ?12) " \
	"AND (?13 IS NULL OR l.product = ?13) " \
	"AND (?14 IS NULL OR l.account_id = ?14)"

/* Filer accounts for the staff console, with their license count. */
#define CONSOLE_ACCOUNT_COLS \
	"SELECT a.id, a.email, a.alt_email, a.company_name, a.ein, " \
	"a.importer_number, a.contact_name, a.phone, a.verified, a.locked, " \
	"a.efiling, a.created_at, (SELECT count(*) FROM license l WHERE " \
	"l.account_id = a.id)"
#define CONSOLE_ACCOUNT_WHERE \
	"WHERE ?1 IS NULL OR instr(lower(a.company_name), lower(?1)) > 0 " \
	"OR instr(lower(a.email), lower(?1)) > 0 " \
	"OR instr(lower(coalesce(a.alt_email, '')), lower(?1)) > 0 " \
	"OR a.ein = ?1 OR a.importer_number = ?1"
#define CONSOLE_AUDIT_WHERE \
	"WHERE (?1 IS NULL OR a.who = ?1) AND (?2 IS NULL OR a.action = ?2) " \
	"AND (?3 IS NULL OR a.item_id = ?3) " \
	"AND (?4 IS NULL OR a.license_id = ?4)"

const char *const stmt_sql[STMT__MAX] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",

	[ST_ACCOUNT_INSERT] =
	    "INSERT INTO account (email, alt_email, company_name, ein, "
	    "importer_number, address, phone, contact_name, password_hash, "
	    "verified) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[ST_ACCOUNT_BY_EMAIL] =
	    "SELECT id, email, alt_email, company_name, ein, importer_number, "
	    "address, phone, contact_name, password_hash, verified, locked, "
	    "efiling FROM account WHERE email = ?1",
	[ST_ACCOUNT_BY_ID] =
	    "SELECT id, email, alt_email, company_name, ein, importer_number, "
	    "address, phone, contact_name, password_hash, verified, locked, "
	    "efiling FROM account WHERE id = ?1",
	/* An API token's account, and whether the token's last use is
	 * due to be written (db/tokens.c), in one read. */
	[ST_ACCOUNT_BY_TOKEN] =
	    "SELECT a.id, a.email, a.alt_email, a.company_name, a.ein, "
	    "a.importer_number, a.address, a.phone, a.contact_name, "
	    "a.password_hash, a.verified, a.locked, a.efiling, t.id, "
	    "t.last_used_at IS NULL OR t.last_used_at <= ?2 "
	    "FROM api_token t JOIN account a ON a.id = t.account_id "
	    "WHERE t.token_hash = ?1 AND t.revoked_at IS NULL",

	[ST_HTS_UPSERT] =
	    "INSERT INTO hts (code, product, product_group, description) "
	    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (code) DO UPDATE SET "
	    "product = excluded.product, product_group = "
	    "excluded.product_group, description = excluded.description",
	[ST_STEEL_RANGE_UPSERT] =
	    "INSERT OR IGNORE INTO steel_range (lo6, hi6) VALUES (?1, ?2)",

	[ST_LICENSE_INSERT] =
	    "INSERT INTO license (number, account_id, product, license_type, "
	    "status, version, issued_on, valid_through, channel, synthetic) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7, ?8, ?9)",
	[ST_LICENSE_BY_NUMBER] =
	    "SELECT id, number, account_id, product, license_type, status, "
	    "version, issued_on, valid_through, channel, created_at, "
	    "canceled_at, synthetic FROM license WHERE number = ?1",
	[ST_LICENSE_SET_STATUS] =
	    "UPDATE license SET status = ?2, version = ?3, valid_through = ?4 "
	    "WHERE id = ?1",
	[ST_LICENSE_CANCEL] =
	    "UPDATE license SET status = 'canceled', canceled_at = " NOW
	    " WHERE id = ?1 AND status != 'canceled'",

	[ST_VERSION_INSERT] =
	    "INSERT INTO license_version (license_id, version, entry_type, "
	    "importer_name, exporter_name, manufacturer_name, "
	    "country_of_origin, country_of_exportation, "
	    "expected_export_date, expected_import_date, port_of_entry, "
	    "customs_entry_number, application_date, channel, actor) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
	    "?14, ?15)",
	[ST_VERSION_SELECT] =
	    "SELECT entry_type, importer_name, exporter_name, "
	    "manufacturer_name, country_of_origin, country_of_exportation, "
	    "expected_export_date, expected_import_date, port_of_entry, "
	    "customs_entry_number, application_date, channel, actor, "
	    "created_at FROM license_version WHERE license_id = ?1 AND "
	    "version = ?2",
	[ST_VERSION_LIST] =
	    "SELECT version FROM license_version WHERE license_id = ?1 "
	    "ORDER BY version",
	[ST_VERSION_IMPORTER] =
	    "SELECT importer_name FROM license_version WHERE license_id = ?1 "
	    "AND version = ?2",
	[ST_LINE_INSERT] =
	    "INSERT INTO license_line (license_id, version, line_no, "
	    "hts_code, product_group, customs_value_cents, grams, usd_per_kg, "
	    "country_of_largest_smelt, country_of_second_largest_smelt, "
	    "country_of_most_recent_cast, country_of_melt_and_pour) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[ST_LINE_SELECT] =
	    "SELECT hts_code, product_group, customs_value_cents, grams, "
	    "usd_per_kg, country_of_largest_smelt, "
	    "country_of_second_largest_smelt, country_of_most_recent_cast, "
	    "country_of_melt_and_pour FROM license_line WHERE license_id = ?1 "
	    "AND version = ?2 ORDER BY line_no",
	[ST_FLAG_INSERT] =
	    "INSERT INTO license_flag (license_id, version, seq, field, "
	    "message) VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_FLAG_SELECT] =
	    "SELECT field, message FROM license_flag WHERE license_id = ?1 "
	    "AND version = ?2 ORDER BY seq",

	[ST_ACTIVE_DELETE] = "DELETE FROM active_line WHERE license_id = ?1",
	[ST_ACTIVE_INSERT] =
	    "INSERT INTO active_line (license_id, line_no, issued_on, "
	    "hts_code, product_group, country_of_origin, ln_auv) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",

	[ST_STAT_HTS_GET] =
	    "SELECT day, n, median_ln, mad_ln FROM stat_hts "
	    "WHERE hts_code = ?1",
	[ST_STAT_HTS_PUT] =
	    "INSERT OR REPLACE INTO stat_hts (hts_code, day, n, median_ln, "
	    "mad_ln) VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_HISTORY_LN_AUV] =
	    "SELECT ln_auv FROM active_line WHERE hts_code = ?1 AND "
	    "issued_on >= ?2 AND issued_on < ?3",
	[ST_STAT_GROUP_GET] =
	    "SELECT day, n FROM stat_group WHERE product_group = ?1",
	[ST_STAT_GROUP_PUT] =
	    "INSERT OR REPLACE INTO stat_group (product_group, day, n) "
	    "VALUES (?1, ?2, ?3)",
	/* A group's licenses by origin, issued ?2..?3 (exclusive): a
	 * license's lines share its origin and issue day. */
	[ST_HISTORY_GROUP_ORIGINS] =
	    "SELECT country_of_origin, count(DISTINCT license_id) "
	    "FROM active_line WHERE product_group = ?1 AND issued_on >= ?2 "
	    "AND issued_on < ?3 GROUP BY country_of_origin",
	[ST_STAT_ORIGIN_CLEAR] =
	    "DELETE FROM stat_origin WHERE product_group = ?1",
	[ST_STAT_ORIGIN_PUT] =
	    "INSERT INTO stat_origin (product_group, country, n) "
	    "VALUES (?1, ?2, ?3)",
	/* What the trailing years a process keeps may have missed: the
	 * earliest issue day of the licenses changed since an event. */
	[ST_HISTORY_EVENT_LAST] = "SELECT ifnull(max(id), 0) FROM event",
	[ST_HISTORY_CHANGED_FROM] =
	    "SELECT min(l.issued_on) FROM event e JOIN license l "
	    "ON l.id = e.license_id WHERE e.id > ?1 AND e.id <= ?2",
	[ST_STAT_ORIGIN_GET] =
	    "SELECT n FROM stat_origin WHERE product_group = ?1 AND "
	    "country = ?2",

	[ST_EVENT_INSERT] =
	    "INSERT INTO event (account_id, license_id, actor, channel, "
	    "action, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_EVENT_SELECT] =
	    "SELECT at, actor, channel, action, detail FROM event "
	    "WHERE license_id = ?1 ORDER BY id",

	[ST_OUTBOX_INSERT] =
	    "INSERT INTO outbox (template, to_addr, cc_addr, params, "
	    "message_id, license_id, account_id) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_OUTBOX_LIST] =
	    "SELECT " OUTBOX_COLS " FROM outbox "
	    "WHERE ?1 IS NULL OR state = ?1 ORDER BY id",
	[ST_OUTBOX_GET] =
	    "SELECT " OUTBOX_COLS " FROM outbox WHERE id = ?1",
	/* A row is due when never tried, when its time has come, or -
	 * with ?2 - when it waits after a failure (a claimed row has no
	 * last_error: never taken early). */
	[ST_OUTBOX_DUE] =
	    "SELECT " OUTBOX_COLS " FROM outbox WHERE state = 'queued' AND "
	    "(next_attempt_at IS NULL OR next_attempt_at <= ?1 OR "
	    "(?2 AND last_error IS NOT NULL)) ORDER BY id LIMIT ?3",
	[ST_OUTBOX_CLAIM] =
	    "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?4, "
	    "last_error = NULL WHERE id = ?1 AND state = 'queued' AND "
	    "(next_attempt_at IS NULL OR next_attempt_at <= ?2 OR "
	    "(?3 AND last_error IS NOT NULL))",
	[ST_OUTBOX_SENT] =
	    "UPDATE outbox SET state = 'sent', sent_at = ?2, "
	    "next_attempt_at = NULL, last_error = ?3 "
	    "WHERE id = ?1 AND state = 'queued'",
	[ST_OUTBOX_DEFER] =
	    "UPDATE outbox SET next_attempt_at = ?2, last_error = ?3 "
	    "WHERE id = ?1 AND state = 'queued'",
	[ST_OUTBOX_FAIL] =
	    "UPDATE outbox SET state = 'failed', next_attempt_at = NULL, "
	    "last_error = ?2 WHERE id = ?1 AND state = 'queued'",
	/* Newest first by rowid: the caller stops at its time limit. */
	[ST_OUTBOX_RECENT] =
	    "SELECT created_at, template, state, id FROM outbox "
	    "WHERE to_addr = ?2 COLLATE NOCASE AND id < ?1 "
	    "ORDER BY id DESC",
	[ST_OUTBOX_NEXT_DUE] =
	    "SELECT min(coalesce(next_attempt_at, '')) FROM outbox "
	    "WHERE state = 'queued'",

	[ST_COUNT_ROWS] =
	    "SELECT (SELECT count(*) FROM license) + "
	    "(SELECT count(*) FROM license_version) + "
	    "(SELECT count(*) FROM license_line) + "
	    "(SELECT count(*) FROM license_flag) + "
	    "(SELECT count(*) FROM active_line) + "
	    "(SELECT count(*) FROM event) + "
	    "(SELECT count(*) FROM outbox)",

	/* The web site (migration 2).  Times are bound as ISO text from
	 * db/clock.c, which compares in time order. */
	[ST_ACCOUNT_UPDATE] =
	    "UPDATE account SET alt_email = ?2, company_name = ?3, ein = ?4, "
	    "importer_number = ?5, address = ?6, phone = ?7, "
	    "contact_name = ?8 WHERE id = ?1",
	[ST_ACCOUNT_SET_PASSWORD] =
	    "UPDATE account SET password_hash = ?2, failed_signins = 0, "
	    "signin_blocked_until = NULL WHERE id = ?1",
	[ST_ACCOUNT_VERIFY] = "UPDATE account SET verified = 1 WHERE id = ?1",
	[ST_SIGNIN_WAIT] =
	    "SELECT CASE WHEN signin_blocked_until > ?2 THEN "
	    "CAST(round((julianday(signin_blocked_until) - julianday(?2)) * "
	    "86400) AS INTEGER) ELSE 0 END FROM account WHERE id = ?1",
	/* The failure that reaches ?3 blocks until ?2 and starts the
	 * count again; UPDATE reads the old values on the right. */
	[ST_SIGNIN_FAILED] =
	    "UPDATE account SET failed_signins = CASE WHEN "
	    "failed_signins + 1 >= ?3 THEN 0 ELSE failed_signins + 1 END, "
	    "signin_blocked_until = CASE WHEN failed_signins + 1 >= ?3 "
	    "THEN ?2 ELSE signin_blocked_until END WHERE id = ?1",
	[ST_SIGNIN_OK] =
	    "UPDATE account SET failed_signins = 0, "
	    "signin_blocked_until = NULL WHERE id = ?1",

	[ST_SESSION_INSERT] =
	    "INSERT INTO session (token_hash, account_id, role, created_at, "
	    "expires_at, max_expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_SESSION_PURGE] =
	    "DELETE FROM session WHERE account_id = ?1 AND "
	    "(expires_at <= ?2 OR max_expires_at <= ?2)",
	[ST_SESSION_FIND] =
	    "SELECT id, account_id, role, created_at, expires_at, "
	    "max_expires_at, expires_at > ?2 AND max_expires_at > ?2 "
	    "FROM session WHERE token_hash = ?1",
	/* Pushed only when it moves a minute or more: fewer writes. */
	[ST_SESSION_TOUCH] =
	    "UPDATE session SET expires_at = min(?2, max_expires_at) "
	    "WHERE id = ?1 AND expires_at <= ?3",
	[ST_SESSION_DELETE] = "DELETE FROM session WHERE token_hash = ?1",
	[ST_SESSION_DELETE_ID] = "DELETE FROM session WHERE id = ?1",
	[ST_SESSION_DELETE_ACCOUNT] =
	    "DELETE FROM session WHERE account_id = ?1",

	[ST_CODE_UPSERT] =
	    "INSERT INTO email_code (account_id, purpose, code_hash, "
	    "expires_at, tries) VALUES (?1, ?2, ?3, ?4, 0) "
	    "ON CONFLICT (account_id, purpose) DO UPDATE SET "
	    "code_hash = excluded.code_hash, "
	    "expires_at = excluded.expires_at, tries = 0",
	[ST_CODE_SELECT] =
	    "SELECT code_hash = ?3, expires_at > ?4, tries FROM email_code "
	    "WHERE account_id = ?1 AND purpose = ?2",
	[ST_CODE_TRY] =
	    "UPDATE email_code SET tries = tries + 1 WHERE account_id = ?1 "
	    "AND purpose = ?2",
	[ST_CODE_DELETE] =
	    "DELETE FROM email_code WHERE account_id = ?1 AND purpose = ?2",

	[ST_TOKEN_INSERT] =
	    "INSERT INTO api_token (account_id, name, token_hash, prefix, "
	    "created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_TOKEN_USED] =
	    "UPDATE api_token SET last_used_at = ?2 WHERE id = ?1",
	[ST_TOKEN_LIST] =
	    "SELECT id, name, created_at, last_used_at, prefix FROM api_token "
	    "WHERE account_id = ?1 AND revoked_at IS NULL ORDER BY id",
	[ST_TOKEN_REVOKE] =
	    "UPDATE api_token SET revoked_at = ?3 WHERE id = ?2 AND "
	    "account_id = ?1 AND revoked_at IS NULL",

	/*
	 * One statement for every combination of filters: a NULL
	 * parameter turns its condition off, so no SQL is ever built
	 * from input.  The number prefix compares with substr, where
	 * LIKE would read % and _ as wildcards; the importer with
	 * instr (ASCII case folding only).  Newest first runs on
	 * license_by_account.
	 */
	[ST_LISTING_PAGE] =
	    "SELECT l.number, l.product, l.license_type, l.status, "
	    "v.entry_type, v.importer_name, v.country_of_origin, "
	    "v.expected_import_date, l.issued_on, l.valid_through, "
	    "l.version, (SELECT count(*) FROM license_line x WHERE "
	    "x.license_id = l.id AND x.version = l.version), "
	    "(SELECT coalesce(sum(x.customs_value_cents), 0) FROM "
	    "license_line x WHERE x.license_id = l.id AND "
	    "x.version = l.version), l.channel "
	    "FROM license l JOIN license_version v ON v.license_id = l.id "
	    "AND v.version = l.version " LISTING_WHERE
	    " ORDER BY l.id DESC LIMIT ?8 OFFSET ?9",
	[ST_LISTING_COUNT] = "SELECT count(*) FROM license l " LISTING_WHERE,

	[ST_SAVEPOINT] = "SAVEPOINT aim_nested",
	[ST_RELEASE] = "RELEASE aim_nested",

	/* The mail gateway and the staff queue (migration 3). */
	[ST_MAILBOX_GET] =
	    "SELECT uidvalidity, last_uid, last_fetch_at, last_error "
	    "FROM mailbox WHERE name = ?1",
	[ST_MAILBOX_PUT] =
	    "INSERT INTO mailbox (name, uidvalidity, last_uid, "
	    "last_fetch_at, last_error) VALUES (?1, ?2, ?3, ?4, ?5) "
	    "ON CONFLICT (name) DO UPDATE SET uidvalidity = "
	    "excluded.uidvalidity, last_uid = excluded.last_uid, "
	    "last_fetch_at = excluded.last_fetch_at, last_error = "
	    "excluded.last_error",
	[ST_MAIL_BY_UID] =
	    "SELECT id, from_addr, classification, state, attempts "
	    "FROM mail_message WHERE mailbox = ?1 AND uidvalidity = ?2 AND "
	    "uid = ?3",
	[ST_MAIL_BY_KEY] =
	    "SELECT id, from_addr, classification, state, attempts "
	    "FROM mail_message WHERE message_id = ?1",
	[ST_MAIL_BY_ID] =
	    "SELECT id, from_addr, classification, state, attempts "
	    "FROM mail_message WHERE id = ?1",
	[ST_MAIL_INSERT] =
	    "INSERT INTO mail_message (mailbox, uidvalidity, uid, message_id, "
	    "sha256, size, received_at, from_addr, from_name, to_addr, "
	    "subject, date_hdr, in_reply_to, auth_results, body_text, "
	    "classification, state) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
	    "?14, ?15, ?16, ?17)",
	/* Its raw bytes (migration 6): ?2 a blob, or a zeroblob written
	 * in pieces next. */
	[ST_MAIL_RAW_INSERT] =
	    "INSERT INTO mail_raw (message_id, raw) VALUES (?1, ?2)",
	[ST_MAIL_SET_META] =
	    "UPDATE mail_message SET from_addr = ?2, from_name = ?3, "
	    "to_addr = ?4, subject = ?5, date_hdr = ?6, in_reply_to = ?7, "
	    "auth_results = ?8, body_text = ?9 WHERE id = ?1",
	[ST_MAIL_SET_STATE] =
	    "UPDATE mail_message SET classification = ?2, state = ?3 "
	    "WHERE id = ?1",
	[ST_MAIL_SET_FAIL] =
	    "UPDATE mail_message SET attempts = ?2, last_error = ?3, "
	    "state = ?4 WHERE id = ?1",
	[ST_MAIL_PROCESSED] =
	    "UPDATE mail_message SET state = 'processed' WHERE id = ?1 AND "
	    "state = 'stored'",
	[ST_MAIL_GET] =
	    "SELECT id, mailbox, uidvalidity, uid, message_id, sha256, size, "
	    "received_at, from_addr, from_name, to_addr, subject, date_hdr, "
	    "in_reply_to, auth_results, body_text, classification, state, "
	    "attempts, last_error FROM mail_message WHERE id = ?1",
	[ST_MAIL_RAW] = "SELECT raw FROM mail_raw WHERE message_id = ?1",
	[ST_ATT_INSERT] =
	    "INSERT INTO mail_attachment (message_id, idx, name, type, size, "
	    "sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_ATT_LIST] =
	    "SELECT idx, name, type, size, sha256 FROM mail_attachment "
	    "WHERE message_id = ?1 ORDER BY idx",
	[ST_REPLY_TOKEN_USE] =
	    "INSERT INTO reply_token_use (token_hash, used_at, message_id) "
	    "VALUES (?1, ?2, ?3)",
	/* A primary address first; alternates may be shared, so two
	 * rows tell the caller it is ambiguous. */
	[ST_ACCOUNT_BY_ANY_EMAIL] =
	    "SELECT id, email = ?1 FROM account WHERE email = ?1 OR "
	    "lower(alt_email) = lower(?1) ORDER BY 2 DESC, id LIMIT 2",
	[ST_QUEUE_INSERT] =
	    "INSERT INTO queue_item (kind, product, message_id, outbox_id, "
	    "license_id, account_id, sender, filer_email, form, errors, "
	    "nerrors, valid, note, created_at, updated_at) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
	[ST_QUEUE_SET_REF] =
	    "UPDATE queue_item SET reference = ?2 WHERE id = ?1",
	[ST_QUEUE_GET] =
	    "SELECT q.id, q.kind, q.state, q.product, q.reference, "
	    "q.message_id, q.outbox_id, q.license_id, l.number, "
	    "q.account_id, q.sender, q.filer_email, q.form, q.errors, "
	    "q.nerrors, q.valid, q.note, q.claimed_by, q.claimed_at, "
	    "q.decided_by, q.decided_at, q.created_at, q.updated_at "
	    "FROM queue_item q LEFT JOIN license l ON l.id = q.license_id "
	    "WHERE q.id = ?1",
	[ST_QUEUE_SET_FORM] =
	    "UPDATE queue_item SET product = coalesce(?2, product), "
	    "form = ?3, errors = ?4, nerrors = ?5, valid = ?6, "
	    "filer_email = coalesce(?7, filer_email), updated_at = ?8 "
	    "WHERE id = ?1 AND kind = 'submission' AND "
	    "state IN ('open', 'claimed')",
	[ST_QUEUE_SET_CLAIM] =
	    "UPDATE queue_item SET state = ?2, claimed_by = ?3, "
	    "claimed_at = ?4, updated_at = ?5 WHERE id = ?1",
	[ST_QUEUE_DECIDE] =
	    "UPDATE queue_item SET state = ?2, claimed_by = NULL, "
	    "claimed_at = NULL, decided_by = ?3, decided_at = ?4, "
	    "updated_at = ?4, license_id = coalesce(?5, license_id), "
	    "account_id = coalesce(?6, account_id), note = coalesce(?7, "
	    "note) WHERE id = ?1",
	/* Oldest first runs on queue_item_by_state when a state is
	 * asked for, as the console always does. */
	[ST_QUEUE_LIST] =
	    "SELECT q.id, q.reference, q.kind, q.state, q.product, q.sender, "
	    "m.subject, m.received_at, q.created_at, q.valid, q.nerrors, "
	    "q.claimed_by, l.number FROM queue_item q "
	    "LEFT JOIN mail_message m ON m.id = q.message_id "
	    "LEFT JOIN license l ON l.id = q.license_id " QUEUE_WHERE
	    " ORDER BY q.created_at, q.id LIMIT ?6 OFFSET ?7",
	[ST_QUEUE_COUNT] = "SELECT count(*) FROM queue_item q " QUEUE_WHERE,
	[ST_QUEUE_OUTBOX_OF_LICENSE] =
	    "SELECT id FROM outbox WHERE license_id = ?1 ORDER BY id",
	[ST_THREAD_INSERT] =
	    "INSERT INTO queue_thread (item_id, license_id, message_id, "
	    "outbox_id, direction, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_THREAD_LIST] =
	    "SELECT t.id, t.direction, t.at, t.message_id, t.outbox_id, "
	    "m.from_addr, m.subject, o.template, o.to_addr, o.state "
	    "FROM queue_thread t "
	    "LEFT JOIN mail_message m ON m.id = t.message_id "
	    "LEFT JOIN outbox o ON o.id = t.outbox_id "
	    "WHERE t.item_id = ?1 OR t.license_id = ?2 ORDER BY t.id",
	[ST_AUDIT_INSERT] =
	    "INSERT INTO staff_audit (at, who, addr, action, item_id, "
	    "license_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_AUDIT_LIST] =
	    "SELECT id, at, who, addr, action, item_id, license_id, detail "
	    "FROM staff_audit WHERE ?1 IS NULL OR item_id = ?1 ORDER BY id "
	    "LIMIT ?2 OFFSET ?3",
	[ST_MAIL_LICENSE] =
	    "SELECT number, account_id, status FROM license WHERE id = ?1",
	/* Whom we wrote about a license (outbox_by_license). */
	[ST_MAIL_LICENSE_RECIPIENTS] =
	    "SELECT DISTINCT lower(to_addr) FROM outbox WHERE license_id = ?1 "
	    "LIMIT ?2",

	/*
	 * The staff console (migration 4).  Its filters work as the
	 * filer list's: a NULL parameter turns a condition off, so no SQL
	 * is built from input.
	 */
	[ST_STAFF_INSERT] =
	    "INSERT INTO staff (email, role, password_hash, created_at) "
	    "VALUES (?1, ?2, ?3, ?4)",
	[ST_STAFF_BY_EMAIL] =
	    "SELECT id, email, role, password_hash, locked, created_at "
	    "FROM staff WHERE email = ?1",
	[ST_STAFF_BY_ID] =
	    "SELECT id, email, role, password_hash, locked, created_at "
	    "FROM staff WHERE id = ?1",
	[ST_STAFF_LIST] =
	    "SELECT id, email, role, password_hash, locked, created_at "
	    "FROM staff ORDER BY id LIMIT ?1",
	[ST_STAFF_SIGNIN_WAIT] =
	    "SELECT CASE WHEN signin_blocked_until > ?2 THEN "
	    "CAST(round((julianday(signin_blocked_until) - julianday(?2)) * "
	    "86400) AS INTEGER) ELSE 0 END FROM staff WHERE id = ?1",
	[ST_STAFF_SIGNIN_FAILED] =
	    "UPDATE staff SET failed_signins = CASE WHEN "
	    "failed_signins + 1 >= ?3 THEN 0 ELSE failed_signins + 1 END, "
	    "signin_blocked_until = CASE WHEN failed_signins + 1 >= ?3 "
	    "THEN ?2 ELSE signin_blocked_until END WHERE id = ?1",
	[ST_STAFF_SIGNIN_OK] =
	    "UPDATE staff SET failed_signins = 0, "
	    "signin_blocked_until = NULL WHERE id = ?1",
	[ST_STAFF_SESSION_INSERT] =
	    "INSERT INTO staff_session (token_hash, staff_id, role, "
	    "created_at, expires_at, max_expires_at) VALUES (?1, ?2, ?3, ?4, "
	    "?5, ?6)",
	[ST_STAFF_SESSION_PURGE] =
	    "DELETE FROM staff_session WHERE staff_id = ?1 AND "
	    "(expires_at <= ?2 OR max_expires_at <= ?2)",
	[ST_STAFF_SESSION_FIND] =
	    "SELECT id, staff_id, role, created_at, expires_at, "
	    "max_expires_at, expires_at > ?2 AND max_expires_at > ?2 "
	    "FROM staff_session WHERE token_hash = ?1",
	[ST_STAFF_SESSION_TOUCH] =
	    "UPDATE staff_session SET expires_at = min(?2, max_expires_at) "
	    "WHERE id = ?1 AND expires_at <= ?3",
	[ST_STAFF_SESSION_DELETE] =
	    "DELETE FROM staff_session WHERE token_hash = ?1",
	[ST_STAFF_SESSION_DELETE_ID] =
	    "DELETE FROM staff_session WHERE id = ?1",

	[ST_LISTING_STAFF_PAGE] =
	    "SELECT l.number, l.product, l.license_type, l.status, "
	    "v.entry_type, v.importer_name, v.country_of_origin, "
	    "v.expected_import_date, l.issued_on, l.valid_through, "
	    "l.version, (SELECT count(*) FROM license_line x WHERE "
	    "x.license_id = l.id AND x.version = l.version), "
	    "(SELECT coalesce(sum(x.customs_value_cents), 0) FROM "
	    "license_line x WHERE x.license_id = l.id AND "
	    "x.version = l.version), l.channel, l.account_id, "
	    "a.company_name, v.exporter_name "
	    "FROM license l JOIN license_version v ON v.license_id = l.id "
	    "AND v.version = l.version JOIN account a ON a.id = l.account_id "
	    LISTING_STAFF_WHERE " ORDER BY l.id DESC LIMIT ?15 OFFSET ?16",
	[ST_LISTING_STAFF_COUNT] =
	    "SELECT count(*) FROM license l JOIN license_version v ON "
	    "v.license_id = l.id AND v.version = l.version JOIN account a ON "
	    "a.id = l.account_id " LISTING_STAFF_WHERE,

	[ST_CONSOLE_QUEUE_STATS] =
	    "SELECT kind, count(*), sum(state = 'claimed'), min(created_at) "
	    "FROM queue_item WHERE state IN ('open', 'claimed') "
	    "GROUP BY kind",
	[ST_CONSOLE_MAIL_STATS] =
	    "SELECT coalesce(sum(state = 'stored'), 0), min(CASE WHEN "
	    "state = 'stored' THEN received_at END), "
	    "coalesce(sum(state = 'quarantined'), 0) FROM mail_message "
	    "WHERE state IN ('stored', 'quarantined')",
	[ST_CONSOLE_MAILBOXES] =
	    "SELECT name, uidvalidity, last_uid, last_fetch_at, last_error "
	    "FROM mailbox ORDER BY name LIMIT ?1",
	[ST_CONSOLE_OUTBOX_STATE] =
	    "SELECT count(*), min(created_at) FROM outbox WHERE state = ?1",
	[ST_CONSOLE_ACCOUNT_COUNT] =
	    "SELECT count(*) FROM account a " CONSOLE_ACCOUNT_WHERE,
	[ST_CONSOLE_ACCOUNT_FIND] =
	    CONSOLE_ACCOUNT_COLS " FROM account a " CONSOLE_ACCOUNT_WHERE
	    " ORDER BY a.company_name, a.id LIMIT ?2 OFFSET ?3",
	[ST_CONSOLE_ACCOUNT_BY_ID] =
	    CONSOLE_ACCOUNT_COLS " FROM account a WHERE a.id = ?1",
	/* The other accounts of one company. */
	[ST_CONSOLE_COMPANY] =
	    CONSOLE_ACCOUNT_COLS " FROM account a WHERE a.id != ?1 AND "
	    "((?2 IS NOT NULL AND a.ein = ?2) OR (?3 IS NOT NULL AND "
	    "a.importer_number = ?3) OR lower(a.company_name) = lower(?4)) "
	    "ORDER BY a.id LIMIT ?5",
	[ST_CONSOLE_ACCOUNT_LOCK] =
	    "UPDATE account SET locked = ?2 WHERE id = ?1",
	[ST_CONSOLE_ACCOUNT_EFILING] =
	    "UPDATE account SET efiling = ?2 WHERE id = ?1",
	[ST_CONSOLE_LICENSE_OUTBOX] =
	    "SELECT id, created_at, template, to_addr, state, message_id "
	    "FROM outbox WHERE license_id = ?1 ORDER BY id LIMIT ?2",
	[ST_CONSOLE_AUDIT] =
	    "SELECT a.id, a.at, a.who, a.addr, a.action, a.item_id, "
	    "a.license_id, l.number, a.detail FROM staff_audit a "
	    "LEFT JOIN license l ON l.id = a.license_id " CONSOLE_AUDIT_WHERE
	    " ORDER BY a.id DESC LIMIT ?5 OFFSET ?6",
	[ST_CONSOLE_AUDIT_COUNT] =
	    "SELECT count(*) FROM staff_audit a " CONSOLE_AUDIT_WHERE,

	/*
	 * Possible duplicates: pairs of live standard licenses of one
	 * account, the newer issued since ?1 and the older since ?2, with
	 * the same importer (ASCII case aside), import dates at most ?3
	 * days apart and as many lines; forms/dupcheck.c then compares
	 * the lines.  Pairs staff dismissed are left out.
	 */
	[ST_DUP_CANDIDATES] =
	    "SELECT l1.id, l1.number, l1.channel, v1.expected_import_date, "
	    "l1.issued_on, l1.version, l2.id, l2.number, l2.channel, "
	    "v2.expected_import_date, l2.issued_on, l2.version, "
	    "l1.account_id, a.company_name, v1.importer_name, "
	    "v2.importer_name, d.state, d.who, d.at "
	    "FROM license l1 "
	    "JOIN license_version v1 ON v1.license_id = l1.id AND "
	    "v1.version = l1.version "
	    "JOIN license l2 ON l2.account_id = l1.account_id AND "
	    "l2.id < l1.id "
	    "JOIN license_version v2 ON v2.license_id = l2.id AND "
	    "v2.version = l2.version "
	    "JOIN account a ON a.id = l1.account_id "
	    "LEFT JOIN duplicate_review d ON d.license_a = l2.id AND "
	    "d.license_b = l1.id "
	    "WHERE l1.issued_on >= ?1 AND l1.status != 'canceled' AND "
	    "l1.license_type = 'standard' AND l1.synthetic = 0 AND "
	    "l2.issued_on >= ?2 AND l2.status != 'canceled' AND "
	    "l2.license_type = 'standard' AND l2.synthetic = 0 AND "
	    "lower(v2.importer_name) = lower(v1.importer_name) AND "
	    "abs(julianday(v2.expected_import_date) - "
	    "julianday(v1.expected_import_date)) <= ?3 AND "
	    "(SELECT count(*) FROM license_line x WHERE x.license_id = l1.id "
	    "AND x.version = l1.version) = (SELECT count(*) FROM "
	    "license_line y WHERE y.license_id = l2.id AND "
	    "y.version = l2.version) AND "
	    "(d.state IS NULL OR d.state != 'dismissed') "
	    "ORDER BY l1.id DESC, l2.id DESC LIMIT ?4",
	[ST_DUP_REVIEW_PUT] =
	    "INSERT INTO duplicate_review (license_a, license_b, state, who, "
	    "at, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT "
	    "(license_a, license_b) DO UPDATE SET state = excluded.state, "
	    "who = excluded.who, at = excluded.at, note = excluded.note",

	/* A quarantined message made new for the intake to read again,
	 * and the messages stored but never read (mail_message_by_state). */
	[ST_MAIL_REQUEUE] =
	    "UPDATE mail_message SET state = 'stored', attempts = 0, "
	    "last_error = NULL, classification = NULL WHERE id = ?1 AND "
	    "state = 'quarantined'",
	[ST_MAIL_PENDING] =
	    "SELECT id FROM mail_message WHERE state = 'stored' AND "
	    "classification IS NULL ORDER BY id LIMIT ?1",
	/* A quarantine item lets go of its message when staff send it
	 * back to the intake: one item per message (queue_item_by_message),
	 * and the intake's item for it is the next. */
	[ST_CONSOLE_ITEM_DETACH] =
	    "UPDATE queue_item SET message_id = NULL WHERE id = ?1 AND "
	    "kind = 'quarantine'",
	/* The monitor (db/monitor.c).  Cells are keyed by view and every
	 * dimension, '' where the view sums over one (?1-?9, MON_CELL_KEY),
	 * and carry their importers' shares packed in one column: a
	 * line moves one row of each view in one statement. */
	/* Every license change adds an event: the last one says when the
	 * roll-ups moved, and with the rebuilds counts their changes. */
	[ST_MON_STATE] =
	    "SELECT (SELECT ifnull(max(id), 0) FROM event) + generation, "
	    "(SELECT at FROM event ORDER BY id DESC LIMIT 1) FROM mon_state",
	/* What readers keep month figures by (db/monitor_read.c): the
	 * rebuilds, the last event, and the months of the licenses
	 * that events since one they saw changed (every version: a
	 * correction may move a license to another month). */
	[ST_MON_MARKS] =
	    "SELECT generation, (SELECT ifnull(max(id), 0) FROM event) "
	    "FROM mon_state",
	[ST_MON_TOUCHED] =
	    "SELECT DISTINCT substr(v.expected_import_date, 1, 7) "
	    "FROM event e JOIN license_version v ON v.license_id = "
	    "e.license_id WHERE e.id > ?1 AND e.id <= ?2",
	/* A reader's snapshot: the months it reads agree with the
	 * events it looked at. */
	[ST_MON_READ] = "BEGIN",
	[ST_MON_REBUILD_GET] = "SELECT rebuild FROM mon_state",
	[ST_MON_REBUILT] =
	    "UPDATE mon_state SET rebuild = 0, generation = generation + 1",
	[ST_MON_LINES] =
	    "SELECT l.product, substr(v.expected_import_date, 1, 7), "
	    "v.importer_name, v.country_of_origin, n.product_group, "
	    "substr(n.hts_code, 1, 6), n.country_of_largest_smelt, "
	    "n.country_of_most_recent_cast, n.country_of_melt_and_pour, "
	    "n.grams, n.customs_value_cents FROM license l "
	    "JOIN license_version v ON v.license_id = l.id "
	    "AND v.version = ?2 "
	    "JOIN license_line n ON n.license_id = l.id AND n.version = ?2 "
	    "WHERE l.id = ?1 ORDER BY n.line_no",
	[ST_MON_IMPORTER_FIND] = "SELECT id FROM mon_importer WHERE key = ?1",
	[ST_MON_IMPORTER_ADD] = "INSERT INTO mon_importer (key) VALUES (?1)",
	/* mon_shares(shares, importer, cents): the shares column with
	 * cents more (or less) for an importer (db/monitor.c). */
	[ST_MON_CELL_ADD] =
	    "INSERT INTO mon_cell (view, product, month, product_group, hts6, "
	    "country_of_origin, country_of_largest_smelt, "
	    "country_of_most_recent_cast, country_of_melt_and_pour, grams, "
	    "cents, lines, shares) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
	    "?9, ?10, ?11, ?13, mon_shares(NULL, ?12, ?11)) "
	    "ON CONFLICT (view, product, month, product_group, "
	    "country_of_origin, hts6, country_of_largest_smelt, "
	    "country_of_most_recent_cast, country_of_melt_and_pour) "
	    "DO UPDATE SET grams = grams + ?10, cents = cents + ?11, "
	    "lines = lines + ?13, shares = mon_shares(shares, ?12, ?11)",
	[ST_MON_CELL_SUB] =
	    "UPDATE mon_cell SET grams = grams - ?10, cents = cents - ?11, "
	    "lines = lines - 1, shares = mon_shares(shares, ?12, -?11) "
	    MON_CELL_KEY,
	[ST_MON_CELL_PRUNE] =
	    "DELETE FROM mon_cell " MON_CELL_KEY " AND lines <= 0",
	[ST_MON_SCAN] =
	    "SELECT month, product_group, hts6, country_of_origin, "
	    "country_of_largest_smelt, country_of_most_recent_cast, "
	    "country_of_melt_and_pour, grams, cents, lines, shares "
	    "FROM mon_cell WHERE view = ?1 AND product = ?2 AND "
	    "month BETWEEN ?3 AND ?4 "
	    "AND (?5 IS NULL OR product_group = ?5) "
	    "AND (?6 IS NULL OR hts6 = ?6) "
	    "AND (?7 IS NULL OR country_of_origin = ?7)",
	/* The same without filters: fewer tests a row. */
	[ST_MON_SCAN_ALL] =
	    "SELECT month, product_group, hts6, country_of_origin, "
	    "country_of_largest_smelt, country_of_most_recent_cast, "
	    "country_of_melt_and_pour, grams, cents, lines, shares "
	    "FROM mon_cell WHERE view = ?1 AND product = ?2 AND "
	    "month BETWEEN ?3 AND ?4",
	/* The first and last month of a product's data (each an index
	 * look-up). */
	[ST_MON_MONTH_SPAN] =
	    "SELECT (SELECT min(month) FROM mon_cell WHERE view = ?1 AND "
	    "product = ?2), (SELECT max(month) FROM mon_cell WHERE "
	    "view = ?1 AND product = ?2)",
	[ST_MON_CLEAR] = "DELETE FROM mon_cell",
	[ST_MON_LICENSES] =
	    "SELECT id, version FROM license WHERE status <> 'canceled' "
	    "ORDER BY id",
	[ST_MON_RECOUNT] =
	    "SELECT l.product, substr(v.expected_import_date, 1, 7), "
	    "v.importer_name, v.country_of_origin, n.product_group, "
	    "substr(n.hts_code, 1, 6), n.country_of_largest_smelt, "
	    "n.country_of_most_recent_cast, n.country_of_melt_and_pour, "
	    "n.grams, n.customs_value_cents FROM license l "
	    "JOIN license_version v ON v.license_id = l.id "
	    "AND v.version = l.version "
	    "JOIN license_line n ON n.license_id = l.id "
	    "AND n.version = l.version WHERE l.status <> 'canceled'",
	[ST_MON_ALL_CELLS] =
	    "SELECT view, product, month, product_group, hts6, "
	    "country_of_origin, country_of_largest_smelt, "
	    "country_of_most_recent_cast, country_of_melt_and_pour, "
	    "grams, cents, lines, shares FROM mon_cell",
	[ST_MON_ALL_IMPORTERS] = "SELECT id, key FROM mon_importer",
};
