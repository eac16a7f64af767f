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
#define QUEUE_WHERE \
	"WHERE (?1 IS NULL OR q.kind = ?1) " \
	"AND (?2 IS NULL OR q.state = ?2 OR (?2 = 'active' AND " \
	"q.state IN ('open', 'claimed'))) " \
	"AND (?3 IS NULL OR q.product = ?3) " \
	"AND (?4 IS NULL OR q.created_at <= ?4) " \
	"AND (?5 IS NULL OR q.created_at >= ?5)"

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
	[ST_HISTORY_GROUP_COUNT] =
	    "SELECT count(DISTINCT license_id) FROM active_line WHERE "
	    "product_group = ?1 AND issued_on >= ?2 AND issued_on < ?3",
	[ST_STAT_ORIGIN_CLEAR] =
	    "DELETE FROM stat_origin WHERE product_group = ?1",
	[ST_STAT_ORIGIN_FILL] =
	    "INSERT INTO stat_origin (product_group, country, n) "
	    "SELECT ?1, country_of_origin, count(DISTINCT license_id) "
	    "FROM active_line WHERE product_group = ?1 AND issued_on >= ?2 "
	    "AND issued_on < ?3 GROUP BY country_of_origin",
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
	    "SELECT id, created_at, template, to_addr, cc_addr, params, "
	    "message_id, state, attempts FROM outbox "
	    "WHERE ?1 IS NULL OR state = ?1 ORDER BY id",

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
	[ST_TOKEN_FIND] =
	    "SELECT id, account_id, last_used_at IS NULL OR "
	    "last_used_at <= ?2 FROM api_token WHERE token_hash = ?1 AND "
	    "revoked_at IS NULL",
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
	    "sha256, raw, size, received_at, from_addr, from_name, to_addr, "
	    "subject, date_hdr, in_reply_to, auth_results, body_text) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
	    "?14, ?15, ?16)",
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
	[ST_MAIL_RAW] = "SELECT raw FROM mail_message WHERE id = ?1",
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
};
