/*
 * Fixtures several suites share: a migrated database in a folder of
 * its own, test filer accounts, the test aluminum application, and
 * counts of what the database holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "forms/account.h"
#include "db/accounts.h"
#include "db/outbox.h"
#include "db/tables.h"
#include "tests.h"

struct db *
tests_db_open(char dir[TESTS_DIR_MAX], int hts)
{
	struct db	*db;
	char		 path[TESTS_DIR_MAX + 16], err[256];

	if (hts)
		tests_init_tables();
	snprintf(dir, TESTS_DIR_MAX, "/tmp/aim-test-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/aim.db", dir);
	db = db_open(path, 1, err, sizeof(err));
	ck_assert_msg(db != NULL, "%s", err);
	ck_assert_int_eq(db_migrate(db), DB_OK);
	if (hts)
		ck_assert_int_eq(tables_load_hts(db), DB_OK);
	return db;
}

void
tests_db_close(struct db *db, const char *dir)
{
	char	 cmd[TESTS_DIR_MAX + 16];

	db_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

void
tests_account_form(struct account_form *af, const char *email,
    const char *alt, const char *company)
{
	struct report	 rep;

	memset(af, 0, sizeof(*af));
	report_init(&rep);
	af->v[AF_EMAIL] = strdup(email);
	if (alt != NULL)
		af->v[AF_ALT_EMAIL] = strdup(alt);
	af->v[AF_COMPANY_NAME] = strdup(company);
	af->v[AF_EIN] = strdup("12-3456789");
	af->v[AF_ADDRESS] = strdup("1 Main St, Springfield, IL 62701");
	af->v[AF_PHONE] = strdup("217-555-0100");
	af->v[AF_CONTACT_NAME] = strdup("Pat Tester");
	ck_assert_int_eq(account_check(af, &rep), 0);
	report_free(&rep);
}

int64_t
tests_add_account(struct db *db, const char *email, const char *alt,
    const char *company, int verified)
{
	struct account_form	 af;
	int64_t			 id = 0;

	tests_account_form(&af, email, alt, company);
	ck_assert_int_eq(accounts_add(db, &af, TESTS_HASH, verified, &id),
	    DB_OK);
	account_form_clear(&af);
	return id;
}

int64_t
tests_add_filer(struct db *db, const char *email, int verified)
{
	return tests_add_account(db, email, "alt@example.com",
	    "Test Metals LLC", verified);
}

void
tests_hset(struct form *f, enum hfield h, const char *v)
{
	ck_assert_int_eq(form_set(f, h, v, strlen(v)), 0);
}

void
tests_lset(struct form_line *l, enum lfield h, const char *v)
{
	ck_assert_int_eq(form_line_set(l, h, v, strlen(v)), 0);
}

struct form *
tests_aluminum(void)
{
	struct form	*f = form_new();

	ck_assert_ptr_nonnull(f);
	tests_hset(f, HF_PRODUCT, "aluminum");
	tests_hset(f, HF_LICENSE_TYPE, "standard");
	tests_hset(f, HF_ENTRY_TYPE, "consumption");
	tests_hset(f, HF_IMPORTER_NAME, "Test Metals LLC");
	tests_hset(f, HF_EXPORTER_NAME, "Alu Export GmbH");
	tests_hset(f, HF_MANUFACTURER_NAME, "Hydro");
	tests_hset(f, HF_COUNTRY_OF_ORIGIN, "Germany");
	tests_hset(f, HF_COUNTRY_OF_EXPORTATION, "Germany");
	tests_hset(f, HF_EXPECTED_EXPORT_DATE, "2026-01-20");
	tests_hset(f, HF_EXPECTED_IMPORT_DATE, "2026-02-10");
	tests_hset(f, HF_PORT_OF_ENTRY, "Baltimore, MD");
	tests_add_aluminum_line(f, "7601103000", "25000", "10000");
	return f;
}

void
tests_add_aluminum_line(struct form *f, const char *hts, const char *usd,
    const char *kg)
{
	struct form_line	*l;

	ck_assert_ptr_nonnull(l = form_add_line(f));
	tests_lset(l, LF_HTS_CODE, hts);
	tests_lset(l, LF_CUSTOMS_VALUE_USD, usd);
	tests_lset(l, LF_VOLUME_KG, kg);
	tests_lset(l, LF_COUNTRY_OF_LARGEST_SMELT, "Norway");
	tests_lset(l, LF_COUNTRY_OF_SECOND_LARGEST_SMELT, "not applicable");
	tests_lset(l, LF_COUNTRY_OF_MOST_RECENT_CAST, "Germany");
}

void
tests_make_steel(struct form *f)
{
	struct form_line	*l = &f->lines[0];

	tests_hset(f, HF_PRODUCT, "steel");
	tests_lset(l, LF_HTS_CODE, "7208100015");
	free(l->v[LF_COUNTRY_OF_LARGEST_SMELT]);
	free(l->v[LF_COUNTRY_OF_SECOND_LARGEST_SMELT]);
	free(l->v[LF_COUNTRY_OF_MOST_RECENT_CAST]);
	l->v[LF_COUNTRY_OF_LARGEST_SMELT] = NULL;
	l->v[LF_COUNTRY_OF_SECOND_LARGEST_SMELT] = NULL;
	l->v[LF_COUNTRY_OF_MOST_RECENT_CAST] = NULL;
	tests_lset(l, LF_COUNTRY_OF_MELT_AND_POUR, "Japan");
}

const char *
tests_errmsg(const struct report *r, const char *field)
{
	size_t	 i;

	for (i = 0; i < r->nerrors; i++)
		if (strcmp(r->errors[i].field, field) == 0)
			return r->errors[i].message;
	return NULL;
}

double
tests_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

const char *
tests_listed(const struct report_item *v, size_t nv, const char *none)
{
	static char	 buf[4096];
	size_t		 i, n = 0;
	int		 k;

	buf[0] = '\0';
	if (nv == 0)
		return none;
	for (i = 0; i < nv && n < sizeof(buf); i++) {
		k = snprintf(buf + n, sizeof(buf) - n, "[%s: %s] ",
		    v[i].field, v[i].message);
		if (k < 0)
			break;
		n += k;
	}
	return buf;
}

long long
tests_scalar(struct db *db, const char *sql)
{
	sqlite3_stmt	*st;
	long long	 n;

	ck_assert_int_eq(sqlite3_prepare_v2(db->h, sql, -1, &st, NULL),
	    SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

long
tests_count(struct db *db, const char *table)
{
	char	 sql[128];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	return (long)tests_scalar(db, sql);
}

long
tests_count_rows(struct db *db)
{
	sqlite3_stmt	*st = db_stmt(db, ST_COUNT_ROWS);
	long		 n;

	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

size_t
tests_outbox_count(struct db *db, const char *template,
    struct outbox_row *last)
{
	struct outbox_row	*r;
	size_t			 n, i, c = 0;

	ck_assert_int_eq(outbox_list(db, NULL, &r, &n), DB_OK);
	for (i = 0; i < n; i++) {
		if (template != NULL && strcmp(r[i].template, template) != 0)
			continue;
		c++;
		if (last != NULL) {
			tests_outbox_row_clear(last);
			*last = r[i];
			last->to = r[i].to ? strdup(r[i].to) : NULL;
			last->cc = r[i].cc ? strdup(r[i].cc) : NULL;
			last->params = strdup(r[i].params);
			last->last_error = NULL;
		}
	}
	outbox_rows_free(r, n);
	return c;
}

void
tests_outbox_row_clear(struct outbox_row *r)
{
	free(r->to);
	free(r->cc);
	free(r->params);
	memset(r, 0, sizeof(*r));
}
