/*
 * The trailing-year history of Action Required (db/history.c): the
 * years a process keeps and rolls forward from day to day give the
 * same statistics as counting the year again from the lines, through
 * random submits, corrections and cancels (of licenses issued long
 * before too), gaps of days and a day that goes back; and the linear
 * median and MAD of sorted values are those of sorting everything.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/date.h"
#include "forms/account.h"
#include "forms/hts.h"
#include "forms/rules.h"
#include "db/accounts.h"
#include "db/history.h"
#include "db/registry.h"
#include "db/tables.h"
#include "tests.h"

static struct db	*db;
static char		 dir[TESTS_DIR_MAX];
static int64_t		 broker;
static unsigned int	 seed;

static unsigned int
rnd(unsigned int n)
{
	seed = seed * 1103515245 + 12345;
	return ((seed >> 16) & 0x7fff) % n;
}

static void
setup(void)
{
	db = tests_db_open(dir, 1);
	broker = tests_add_account(db, "broker@example.com", NULL,
	    "Customs Broker LLC", 1);
	/* One transaction for the whole test: no waiting for the disk. */
	ck_assert_int_eq(db_begin(db), DB_OK);
}

static void
teardown(void)
{
	db_abort(db);
	tests_db_close(db, dir);
}

/* The codes and origins licenses use: a few, so that each has a
 * history. */
static const struct {
	const char	*product, *hts;
} codes[] = {
	{ "aluminum", "7601103000" },
	{ "aluminum", "7606123091" },
	{ "aluminum", "7607113000" },
	{ "steel", "7208101500" },
	{ "steel", "7304290010" },
};
static const char *const origins[] = { "Canada", "Mexico", "China" };

#define NCODES	(sizeof(codes) / sizeof(codes[0]))
#define NORIG	(sizeof(origins) / sizeof(origins[0]))

/* A license of a product, applied for on day app: one to three lines
 * of its codes, values spread around $3 a kg. */
static struct form *
license(const char *product, int app)
{
	struct form		*f = form_new();
	struct form_line	*l;
	const char		*origin = origins[rnd(NORIG)];
	char			 d[11], usd[32], kg[32];
	size_t			 i, n, k;

	tests_hset(f, HF_PRODUCT, product);
	tests_hset(f, HF_LICENSE_TYPE, "standard");
	tests_hset(f, HF_ENTRY_TYPE, "consumption");
	tests_hset(f, HF_IMPORTER_NAME, rnd(2) ? "Acme Metals Inc." :
	    "Bolt LLC");
	tests_hset(f, HF_EXPORTER_NAME, "Exporter Ltd");
	tests_hset(f, HF_MANUFACTURER_NAME, "Works Ltd");
	tests_hset(f, HF_COUNTRY_OF_ORIGIN, origin);
	tests_hset(f, HF_COUNTRY_OF_EXPORTATION, origin);
	date_format(app + 10, d);
	tests_hset(f, HF_EXPECTED_EXPORT_DATE, d);
	date_format(app + 20, d);
	tests_hset(f, HF_EXPECTED_IMPORT_DATE, d);
	tests_hset(f, HF_PORT_OF_ENTRY, "Baltimore, MD");
	for (i = 0, n = 1 + rnd(3); i < n; i++) {
		do
			k = rnd(NCODES);
		while (strcmp(codes[k].product, product) != 0);
		l = form_add_line(f);
		tests_lset(l, LF_HTS_CODE, codes[k].hts);
		snprintf(kg, sizeof(kg), "%u", 1000 + rnd(20000));
		/* Equal unit values now and then: ties in the year. */
		snprintf(usd, sizeof(usd), "%u.00", rnd(4) == 0 ?
		    3 * (unsigned)strtoul(kg, NULL, 10) :
		    (1 + rnd(5)) * (unsigned)strtoul(kg, NULL, 10) / 2 +
		    rnd(900));
		tests_lset(l, LF_CUSTOMS_VALUE_USD, usd);
		tests_lset(l, LF_VOLUME_KG, kg);
		if (strcmp(product, "aluminum") == 0) {
			tests_lset(l, LF_COUNTRY_OF_LARGEST_SMELT, origin);
			tests_lset(l, LF_COUNTRY_OF_SECOND_LARGEST_SMELT,
			    "not applicable");
			tests_lset(l, LF_COUNTRY_OF_MOST_RECENT_CAST, origin);
		} else
			tests_lset(l, LF_COUNTRY_OF_MELT_AND_POUR, origin);
	}
	return f;
}

/* Files f (and frees it) on day app; its number into out. */
static void
file(const struct actor *a, struct form *f, int app,
    char out[LICNUM_LEN + 1])
{
	struct reg_result	 res;

	reg_result_init(&res);
	ck_assert_int_eq(reg_submit(db, a, f, app, &res), REG_OK);
	if (out != NULL)
		memcpy(out, res.number, LICNUM_LEN + 1);
	reg_result_free(&res);
	form_free(f);
}

/* The statistics of every code, its group and each origin as of day,
 * rolled and counted: the same, to the last bit. */
static void
same_stats(int day)
{
	struct line_history	 a, b;
	const char		*group;
	char			 d[11], code[11];
	enum product		 p;
	size_t			 k, o;

	date_format(day, d);
	for (k = 0; k < NCODES; k++)
		for (o = 0; o < NORIG; o++) {
			ck_assert_int_eq(hts_lookup(codes[k].hts, code, &p,
			    &group), HTS_OK);
			ck_assert_int_eq(history_stats(db, codes[k].hts,
			    group, origins[o], day, 0, &a), DB_OK);
			ck_assert_int_eq(history_stats(db, codes[k].hts,
			    group, origins[o], day, 1, &b), DB_OK);
			ck_assert_msg(a.hts_lines == b.hts_lines &&
			    a.median_ln_auv == b.median_ln_auv &&
			    a.mad_ln_auv == b.mad_ln_auv,
			    "%s on %s: rolled %ld lines median %.17g mad "
			    "%.17g, counted %ld %.17g %.17g", codes[k].hts, d,
			    a.hts_lines, a.median_ln_auv, a.mad_ln_auv,
			    b.hts_lines, b.median_ln_auv, b.mad_ln_auv);
			ck_assert_msg(a.group_licenses == b.group_licenses &&
			    a.group_origin_licenses ==
			    b.group_origin_licenses,
			    "%s from %s on %s: rolled %ld (%ld), counted %ld "
			    "(%ld)", group, origins[o], d, a.group_licenses,
			    a.group_origin_licenses, b.group_licenses,
			    b.group_origin_licenses);
		}
}

START_TEST(rolled_years_match_counts)
{
	struct reg_result	 res;
	struct actor		 a = { 0, "broker@example.com", "api", 1 };
	char			 num[400][LICNUM_LEN + 1];
	const char		*prod[400];
	int			 n = 0, step, day, i, k;
	long			 lines = 0, stats_lines = 0;
	struct line_history	 h;

	a.account_id = broker;
	seed = 41;
	day = date_from_ymd(2025, 1, 6);
	for (step = 0; step < 130; step++) {
		/* Mostly the next days; once a jump past a whole year, once
		 * a day back. */
		if (step == 90)
			day += RULES_HISTORY_DAYS + 20;
		else if (step == 60)
			day -= 3;
		else
			day += 1 + rnd(rnd(4) == 0 ? 40 : 6);
		for (k = 1 + rnd(4); k > 0 && n < 400; k--) {
			prod[n] = rnd(3) ? "aluminum" : "steel";
			file(&a, license(prod[n], day), day, num[n]);
			n++;
		}
		/* Now and then a license of months ago changes. */
		if (n > 10 && rnd(4) == 0) {
			i = rnd(n);
			reg_result_init(&res);
			if (rnd(2)) {
				struct form *f = license(prod[i], day);

				(void)reg_correct(db, &a, num[i], f, day,
				    &res);
				form_free(f);
			} else
				(void)reg_cancel(db, &a, num[i], &res);
			reg_result_free(&res);
		}
		same_stats(day + 1);
	}
	/* The years had something in them. */
	for (k = 0; k < (int)NCODES; k++) {
		ck_assert_int_eq(history_stats(db, codes[k].hts, "x", "y",
		    day - 100, 1, &h), DB_OK);
		stats_lines += h.hts_lines;
		ck_assert_int_eq(history_stats(db, codes[k].hts, "x", "y",
		    day + 1, 1, &h), DB_OK);
		lines += h.hts_lines;
	}
	ck_assert_int_gt(stats_lines, 100);
	ck_assert_int_gt(lines, 100);
}
END_TEST

/* Years rolled over licenses of a transaction that then rolls back
 * are counted again. */
START_TEST(rolled_back_changes_forgotten)
{
	struct actor		 a = { 0, "broker@example.com", "api", 1 };
	int			 day, k;

	a.account_id = broker;
	seed = 43;
	day = date_from_ymd(2025, 3, 3);
	for (k = 0; k < 20; k++, day += 1 + rnd(3)) {
		file(&a, license(rnd(2) ? "aluminum" : "steel", day), day,
		    NULL);
	}
	same_stats(day);
	ck_assert_int_eq(db_begin(db), DB_OK);
	for (k = 0; k < 6; k++) {
		file(&a, license(k % 2 ? "aluminum" : "steel", day), day,
		    NULL);
	}
	same_stats(day + 1);
	db_rollback(db);
	same_stats(day + 1);
}
END_TEST

/* The median and MAD from sorted values in linear time are those of
 * sorting the deviations (the definition), for odd and even counts,
 * ties and a single value. */
static int
cmp_d(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

START_TEST(median_mad_of_sorted)
{
	double	 v[64], w[64], d[64], m, mad, m2, mad2, want_m, want_mad;
	size_t	 n, i, round;

	seed = 7;
	for (round = 0; round < 2000; round++) {
		n = 1 + rnd(63);
		for (i = 0; i < n; i++)
			v[i] = rnd(3) == 0 ? log(1 + rnd(4)) :
			    log((double)(1 + rnd(100000)) / 997);
		qsort(v, n, sizeof(v[0]), cmp_d);
		want_m = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
		for (i = 0; i < n; i++)
			d[i] = fabs(v[i] - want_m);
		qsort(d, n, sizeof(d[0]), cmp_d);
		want_mad = n % 2 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2;
		rules_median_mad_sorted(v, n, &m, &mad);
		memcpy(w, v, n * sizeof(v[0]));
		for (i = 0; i + 1 < n; i += 2) {	/* out of order */
			double t = w[i];

			w[i] = w[n - 1 - i];
			w[n - 1 - i] = t;
		}
		rules_median_mad(w, n, &m2, &mad2);
		ck_assert_msg(m == want_m && mad == want_mad && m2 == want_m &&
		    mad2 == want_mad, "n %zu: %.17g %.17g / %.17g %.17g, want "
		    "%.17g %.17g", n, m, mad, m2, mad2, want_m, want_mad);
	}
}
END_TEST

Suite *
suite_history(void)
{
	Suite	*s = suite_create("history");
	TCase	*tc = tcase_create("years");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, rolled_years_match_counts);
	tcase_add_test(tc, rolled_back_changes_forgotten);
	tcase_add_test(tc, median_mad_of_sorted);
	suite_add_tcase(s, tc);
	return s;
}
