/*
 * The SQL of the system, in one place, prepared on first use.
 */
#include "stmt.h"

#define NOW "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

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
};
