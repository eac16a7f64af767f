/*
 * The license registry against a real SQLite file: submit, correct,
 * cancel, confirm, duplicate, show, check; atomicity under injected
 * faults; versions kept; outbox rows with each change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/date.h"
#include "lib/pwhash.h"
#include "forms/account.h"
#include "forms/rules.h"
#include "db/accounts.h"
#include "db/outbox.h"
#include "db/registry.h"
#include "db/tables.h"
#include "tests.h"

static struct db	*db;
static char		 dir[TESTS_DIR_MAX];
static int64_t		 acct_id, other, unverified;
static int		 today;

static void
setup(void)
{
	db = tests_db_open(dir, 1);
	acct_id = tests_add_filer(db, "filer@example.com", 1);
	other = tests_add_filer(db, "other@example.com", 1);
	unverified = tests_add_filer(db, "new@example.com", 0);
	today = date_from_ymd(2026, 1, 15);
}

static void
teardown(void)
{
	tests_db_close(db, dir);
}

/* The test application from origin, of value dollars for kg. */
static struct form *
aluminum(const char *origin, const char *value, const char *kg)
{
	struct form	*f = tests_aluminum();

	tests_hset(f, HF_COUNTRY_OF_ORIGIN, origin);
	tests_lset(&f->lines[0], LF_CUSTOMS_VALUE_USD, value);
	tests_lset(&f->lines[0], LF_VOLUME_KG, kg);
	return f;
}

static struct actor
filer(int64_t id)
{
	struct actor a = { id, "filer@example.com", "web", 0 };

	return a;
}

/* Submits and returns the number (into out). */
static enum reg_err
submit(int64_t id, struct form *f, int app, char out[10], enum lic_status *st)
{
	struct reg_result	 res;
	struct actor		 a = filer(id);
	enum reg_err		 e;

	reg_result_init(&res);
	e = reg_submit(db, &a, f, app, &res);
	if (out != NULL)
		memcpy(out, res.number, LICNUM_LEN + 1);
	if (st != NULL)
		*st = res.status;
	reg_result_free(&res);
	form_free(f);
	return e;
}

START_TEST(submit_issues_number_and_mail)
{
	struct reg_result	 res;
	struct actor		 a = filer(acct_id);
	struct form		*f = aluminum("Germany", "25000", "10000");
	struct outbox_row	*r;
	char			 norm[10];
	size_t			 n;

	reg_result_init(&res);
	ck_assert_int_eq(reg_submit(db, &a, f, today, &res), REG_OK);
	ck_assert_int_eq(licnum_normalize(res.number, norm), 0);
	ck_assert_str_eq(norm, res.number);
	ck_assert_int_eq(res.status, STATUS_ISSUED);
	ck_assert_str_eq(res.valid_from, "2026-01-15");
	ck_assert_str_eq(res.valid_through, "2026-03-31");	/* +75 */
	ck_assert_int_eq(res.version, 1);
	ck_assert_int_eq(outbox_list(db, NULL, &r, &n), DB_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(r[0].template, "license_created");
	ck_assert_str_eq(r[0].to, "filer@example.com");
	ck_assert_str_eq(r[0].cc, "alt@example.com");
	ck_assert_ptr_nonnull(strstr(r[0].params, res.number));
	ck_assert_ptr_nonnull(strstr(r[0].message_id, "@aim.test>"));
	outbox_rows_free(r, n);
	reg_result_free(&res);
	form_free(f);
}
END_TEST

START_TEST(invalid_stores_nothing)
{
	struct form	*f = aluminum("CN", "25000", "10000");
	struct reg_result res;
	struct actor	 a = filer(acct_id);
	long		 before = tests_count_rows(db);

	reg_result_init(&res);
	ck_assert_int_eq(reg_submit(db, &a, f, today, &res), REG_INVALID);
	ck_assert(report_has_error(&res.report, "country_of_origin"));
	ck_assert_int_eq(tests_count_rows(db), before);
	reg_result_free(&res);
	form_free(f);
}
END_TEST

START_TEST(account_must_be_verified)
{
	ck_assert_int_eq(submit(unverified, aluminum("Germany", "25000",
	    "10000"), today, NULL, NULL), REG_ACCOUNT);
	ck_assert_int_eq(submit(9999, aluminum("Germany", "25000", "10000"),
	    today, NULL, NULL), REG_ACCOUNT);
}
END_TEST

/*
 * Fails each statement step of a submit in turn: every failure leaves
 * no row behind, and the next attempt works.
 */
START_TEST(submit_is_atomic)
{
	long		 before = tests_count_rows(db);
	enum reg_err	 e;
	int		 k;

	for (k = 1; k < 100; k++) {
		db->fault_countdown = k;
		e = submit(acct_id, aluminum("Germany", "25000", "10000"), today,
		    NULL, NULL);
		db->fault_countdown = 0;
		if (e == REG_OK)
			break;
		ck_assert_int_eq(e, REG_DB);
		ck_assert_msg(tests_count_rows(db) == before, "fault at step "
		    "%d left rows", k);
	}
	ck_assert_msg(k > 5 && k < 100, "submit took %d steps", k);
	ck_assert_int_gt(tests_count_rows(db), before);
}
END_TEST

START_TEST(correct_keeps_versions)
{
	struct reg_result res;
	struct reg_view	 v;
	struct actor	 a = filer(acct_id);
	struct form	*f;
	char		 num[10];

	ck_assert_int_eq(submit(acct_id, aluminum("Germany", "25000", "10000"),
	    today, num, NULL), REG_OK);
	f = aluminum("Germany", "26000.50", "10000");
	reg_result_init(&res);
	ck_assert_int_eq(reg_correct(db, &a, num, f, today + 1, &res),
	    REG_OK);
	ck_assert_int_eq(res.version, 2);
	ck_assert_str_eq(res.valid_from, "2026-01-15");	/* issue date kept */
	reg_result_free(&res);
	form_free(f);

	ck_assert_int_eq(reg_show(db, &a, num, &v), REG_OK);
	ck_assert_uint_eq(v.nversions, 2);
	ck_assert_int_eq(v.versions[0].lic->lines[0].value_cents, 2500000);
	ck_assert_int_eq(v.versions[1].lic->lines[0].value_cents, 2600050);
	ck_assert_uint_eq(v.nevents, 2);
	ck_assert_str_eq(v.events[1].action, "correct");
	reg_view_free(&v);
	ck_assert_uint_eq(tests_outbox_count(db, "license_corrected", NULL), 1);

	/* The stored versions themselves refuse change. */
	ck_assert_int_ne(sqlite3_exec(db->h, "UPDATE license_version SET "
	    "importer_name = 'x'", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_ne(sqlite3_exec(db->h, "DELETE FROM license_line",
	    NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_ne(sqlite3_exec(db->h, "DELETE FROM event",
	    NULL, NULL, NULL), SQLITE_OK);
}
END_TEST

START_TEST(correct_cannot_change_product)
{
	struct reg_result res;
	struct actor	 a = filer(acct_id);
	struct form	*f;
	char		 num[10];

	ck_assert_int_eq(submit(acct_id, aluminum("Germany", "25000", "10000"),
	    today, num, NULL), REG_OK);
	f = aluminum("Germany", "25000", "10000");
	tests_make_steel(f);
	reg_result_init(&res);
	ck_assert_int_eq(reg_correct(db, &a, num, f, today, &res),
	    REG_INVALID);
	ck_assert(report_has_error(&res.report, "product"));
	reg_result_free(&res);
	form_free(f);
}
END_TEST

START_TEST(cancel_is_permanent)
{
	struct reg_result res;
	struct actor	 a = filer(acct_id);
	struct form	*f, *dup = NULL;
	char		 num[10];
	enum check_result c;

	ck_assert_int_eq(submit(acct_id, aluminum("Germany", "25000", "10000"),
	    today, num, NULL), REG_OK);
	reg_result_init(&res);
	ck_assert_int_eq(reg_cancel(db, &a, num, &res), REG_OK);
	ck_assert_int_eq(res.status, STATUS_CANCELED);
	ck_assert_int_eq(reg_cancel(db, &a, num, &res), REG_CANCELED);
	ck_assert_int_eq(reg_confirm(db, &a, num, &res), REG_CANCELED);
	f = aluminum("Germany", "25000", "10000");
	ck_assert_int_eq(reg_correct(db, &a, num, f, today, &res),
	    REG_CANCELED);
	form_free(f);
	reg_result_free(&res);
	ck_assert_uint_eq(tests_outbox_count(db, "license_canceled", NULL), 1);
	/* A database user cannot bring it back either. */
	ck_assert_int_ne(sqlite3_exec(db->h, "UPDATE license SET status = "
	    "'issued'", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(reg_check(db, num, "Test Metals LLC",
	    today + 10, -1, &c), REG_OK);
	ck_assert_int_eq(c, CHECK_CANCELED);
	/* ... but it can be duplicated into a new application. */
	ck_assert_int_eq(reg_duplicate(db, &a, num, &dup), REG_OK);
	ck_assert_str_eq(dup->v[HF_COUNTRY_OF_ORIGIN], "Germany");
	ck_assert_str_eq(dup->lines[0].v[LF_CUSTOMS_VALUE_USD], "25000.00");
	ck_assert_int_eq(submit(acct_id, dup, today, NULL, NULL), REG_OK);
}
END_TEST

START_TEST(other_account_sees_nothing)
{
	struct reg_result res;
	struct reg_view	 v;
	struct actor	 a = filer(other);
	struct form	*f = NULL;
	char		 num[10];

	ck_assert_int_eq(submit(acct_id, aluminum("Germany", "25000", "10000"),
	    today, num, NULL), REG_OK);
	reg_result_init(&res);
	ck_assert_int_eq(reg_show(db, &a, num, &v), REG_NOT_FOUND);
	ck_assert_int_eq(reg_cancel(db, &a, num, &res), REG_NOT_FOUND);
	ck_assert_int_eq(reg_duplicate(db, &a, num, &f), REG_NOT_FOUND);
	reg_result_free(&res);
}
END_TEST

START_TEST(action_required_and_confirm)
{
	struct reg_result res;
	struct actor	 a = filer(acct_id);
	enum lic_status	 st;
	char		 num[10];

	/* $0.10 per kg: tons typed as kg. */
	ck_assert_int_eq(submit(acct_id, aluminum("Germany", "1000", "10000"),
	    today, num, &st), REG_OK);
	ck_assert_int_eq(st, STATUS_ACTION_REQUIRED);
	reg_result_init(&res);
	ck_assert_int_eq(reg_confirm(db, &a, num, &res), REG_OK);
	ck_assert_int_eq(res.status, STATUS_ISSUED);
	ck_assert_int_eq(reg_confirm(db, &a, num, &res), REG_CONFLICT);
	reg_result_free(&res);
}
END_TEST

/* History makes the flags: a rare origin, and a unit value far from
 * what that HTS code costs, though inside the fixed bounds. */
START_TEST(flags_from_history)
{
	struct actor	 a = { acct_id, "gen", "cli", 1 };
	struct reg_result res;
	struct form	*f;
	enum lic_status	 st;
	char		 value[32];
	int		 i;

	for (i = 0; i < 60; i++) {
		snprintf(value, sizeof(value), "%d", 24000 + i * 50);
		f = aluminum("Germany", value, "10000");
		reg_result_init(&res);
		ck_assert_int_eq(reg_submit(db, &a, f, today - 30 + i / 2, &res),
		    REG_OK);
		reg_result_free(&res);
		form_free(f);
	}
	ck_assert_int_eq(submit(acct_id, aluminum("Germany", "25000", "10000"),
	    today, NULL, &st), REG_OK);
	ck_assert_int_eq(st, STATUS_ISSUED);
	/* $25 per kg is inside $0.50-$200 but ten times the usual. */
	f = aluminum("Germany", "250000", "10000");
	reg_result_init(&res);
	ck_assert_int_eq(reg_submit(db, &a, f, today, &res), REG_OK);
	ck_assert_int_eq(res.status, STATUS_ACTION_REQUIRED);
	ck_assert_str_eq(res.report.flags[0].field,
	    "lines[1].customs_value_usd");
	reg_result_free(&res);
	form_free(f);
	/* Nobody imported unwrought aluminum from Iceland this year. */
	f = aluminum("Iceland", "25000", "10000");
	reg_result_init(&res);
	ck_assert_int_eq(reg_submit(db, &a, f, today, &res), REG_OK);
	ck_assert_int_eq(res.status, STATUS_ACTION_REQUIRED);
	ck_assert_uint_eq(res.report.nflags, 1);
	ck_assert_str_eq(res.report.flags[0].field, "country_of_origin");
	reg_result_free(&res);
	form_free(f);
}
END_TEST

START_TEST(license_check_answers)
{
	struct form		*f;
	char			 num[10], lv[10], ftz[10], bad[10];
	enum check_result	 c;

	ck_assert_int_eq(submit(acct_id, aluminum("Germany", "25000", "10000"),
	    today, num, NULL), REG_OK);
	ck_assert_int_eq(reg_check(db, num, "TEST METALS, LLC",
	    today + 75, -1, &c), REG_OK);
	ck_assert_int_eq(c, CHECK_VALID);
	ck_assert_int_eq(reg_check(db, num, "Test Metals LLC", today + 76,
	    -1, &c), REG_OK);
	ck_assert_int_eq(c, CHECK_EXPIRED);
	ck_assert_int_eq(reg_check(db, num, "Other Importer", today, -1, &c),
	    REG_OK);
	ck_assert_int_eq(c, CHECK_WRONG_IMPORTER);
	/* Lower case and spaces are the same number. */
	memcpy(bad, num, sizeof(bad));
	for (int i = 0; bad[i]; i++)
		bad[i] = (bad[i] >= 'A' && bad[i] <= 'Z') ? bad[i] + 32 :
		    bad[i];
	ck_assert_int_eq(reg_check(db, bad, "Test Metals LLC", today, -1,
	    &c), REG_OK);
	ck_assert_int_eq(c, CHECK_VALID);
	bad[0] = bad[0] == '0' ? '1' : '0';
	ck_assert_int_eq(reg_check(db, bad, "Test Metals LLC", today, -1,
	    &c), REG_OK);
	ck_assert_int_eq(c, CHECK_NOT_FOUND);
	ck_assert_int_eq(reg_check(db, "000000000", "Test Metals LLC", today,
	    -1, &c), REG_OK);
	ck_assert_int_eq(c, CHECK_NOT_FOUND);

	f = aluminum("Germany", "25000", "10000");
	form_set(f, HF_LICENSE_TYPE, "low_value", 9);
	form_free(NULL);
	while (f->nlines > 0) {
		f->nlines--;
		for (int j = 0; j < LF__MAX; j++)
			free(f->lines[f->nlines].v[j]);
	}
	ck_assert_int_eq(submit(acct_id, f, today, lv, NULL), REG_OK);
	ck_assert_int_eq(reg_check(db, lv, "Test Metals LLC", today + 400,
	    500000, &c), REG_OK);
	ck_assert_int_eq(c, CHECK_VALID);
	ck_assert_int_eq(reg_check(db, lv, "Test Metals LLC", today,
	    500001, &c), REG_OK);
	ck_assert_int_eq(c, CHECK_OVER_LOW_VALUE_LIMIT);

	f = aluminum("Germany", "25000", "10000");
	form_set(f, HF_ENTRY_TYPE, "ftz", 3);
	ck_assert_int_eq(submit(acct_id, f, today, ftz, NULL), REG_OK);
	ck_assert_int_eq(reg_check(db, ftz, "Test Metals LLC", today + 3000,
	    -1, &c), REG_OK);
	ck_assert_int_eq(c, CHECK_VALID);
}
END_TEST

START_TEST(numbers_are_unique)
{
	char	 nums[50][10];
	int	 i, j;

	for (i = 0; i < 50; i++)
		ck_assert_int_eq(submit(acct_id, aluminum("Germany", "25000",
		    "10000"), today, nums[i], NULL), REG_OK);
	for (i = 0; i < 50; i++)
		for (j = i + 1; j < 50; j++)
			if (strcmp(nums[i], nums[j]) == 0)
				ck_abort_msg("number %s issued twice", nums[i]);
}
END_TEST

/* Migration 009: the CHECKs on a row's state take no temporary b-tree
 * (an IN list of three values did, on every INSERT and UPDATE), and
 * still refuse a value outside the list. */
START_TEST(state_checks_take_no_temp_btree)
{
	static const char *const writes[] = {
		"INSERT INTO license (number, account_id, product, "
		"license_type, status, version, issued_on, channel) VALUES "
		"('X', 1, 'steel', 'standard', ?1, 1, '2026-01-01', 'web')",
		"INSERT INTO outbox (template, to_addr, params, message_id, "
		"state) VALUES ('t', 'a@b.test', '{}', 'm', ?1)",
		"INSERT INTO mail_message (mailbox, uidvalidity, uid, "
		"message_id, sha256, size, received_at, state, "
		"classification) VALUES ('m', 1, 1, 'x', 'h', 1, "
		"'2026-01-01', ?1, ?1)",
		"UPDATE queue_item SET state = ?1, kind = ?1",
	};
	sqlite3_stmt	*st;
	const char	*op;
	size_t		 i;
	char		 sql[512];
	int		 temp;

	for (i = 0; i < sizeof(writes) / sizeof(writes[0]); i++) {
		snprintf(sql, sizeof(sql), "EXPLAIN %s", writes[i]);
		ck_assert_int_eq(sqlite3_prepare_v2(db->h, sql, -1, &st,
		    NULL), SQLITE_OK);
		temp = 0;
		while (sqlite3_step(st) == SQLITE_ROW)
			if ((op = (const char *)sqlite3_column_text(st, 1)) !=
			    NULL && strcmp(op, "OpenEphemeral") == 0)
				temp++;
		sqlite3_finalize(st);
		ck_assert_msg(temp == 0, "%s: %d temporary b-trees",
		    writes[i], temp);
		ck_assert_int_eq(sqlite3_prepare_v2(db->h, writes[i], -1, &st,
		    NULL), SQLITE_OK);
		sqlite3_bind_text(st, 1, "bogus", -1, SQLITE_STATIC);
		ck_assert_int_eq(sqlite3_step(st), i == 3 ? SQLITE_DONE :
		    SQLITE_CONSTRAINT_CHECK);
		sqlite3_finalize(st);
	}
}
END_TEST

Suite *
suite_registry(void)
{
	Suite	*s = suite_create("registry");
	TCase	*t = tcase_create("registry");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_set_timeout(t, 30);
	tcase_add_test(t, submit_issues_number_and_mail);
	tcase_add_test(t, invalid_stores_nothing);
	tcase_add_test(t, account_must_be_verified);
	tcase_add_test(t, submit_is_atomic);
	tcase_add_test(t, correct_keeps_versions);
	tcase_add_test(t, correct_cannot_change_product);
	tcase_add_test(t, cancel_is_permanent);
	tcase_add_test(t, other_account_sees_nothing);
	tcase_add_test(t, action_required_and_confirm);
	tcase_add_test(t, flags_from_history);
	tcase_add_test(t, license_check_answers);
	tcase_add_test(t, numbers_are_unique);
	tcase_add_test(t, state_checks_take_no_temp_btree);
	suite_add_tcase(s, t);
	return s;
}
