/*
 * The public monitor's roll-ups and aggregates (db/monitor.c) against a
 * real SQLite file: the roll-ups equal a full recount after random
 * submits, corrections and cancels (and after faults, a rebuild, and
 * changes made without them); the importer rule at its thresholds, on
 * a figure over months, with two spellings of one importer; canceled
 * licenses leaving the totals; complementary suppression of answers;
 * surges among published figures only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/date.h"
#include "forms/account.h"
#include "forms/rules.h"
#include "db/accounts.h"
#include "db/monitor.h"
#include "db/registry.h"
#include "db/tables.h"
#include "tests.h"

static struct db	*db;
static char		 dir[TESTS_DIR_MAX];
static int64_t		 broker;
static int		 today;

/* A database with a broker's account in a directory of its own. */
static struct db *
open_db(char d[TESTS_DIR_MAX], int64_t *acct)
{
	struct db	*h = tests_db_open(d, 1);

	*acct = tests_add_account(h, "broker@example.com", NULL,
	    "Customs Broker LLC", 1);
	return h;
}

static void
setup(void)
{
	tests_init_tables();
	db = open_db(dir, &broker);
	today = date_from_ymd(2026, 1, 15);
	/* One transaction for the whole test (registry calls nest in
	 * it): no waiting for the disk. */
	ck_assert_int_eq(db_begin(db), DB_OK);
}

/* For the answers a process keeps: every change its own transaction,
 * as in the gateway. */
static void
setup_committed(void)
{
	tests_init_tables();
	db = open_db(dir, &broker);
	today = date_from_ymd(2026, 1, 15);
}

static void
teardown(void)
{
	db_abort(db);
	tests_db_close(db, dir);
}

/* A license: product, importer, origin, import date; lines added by
 * line(). */
static struct form *
license(const char *product, const char *importer, const char *origin,
    const char *import_date)
{
	struct form	*f = form_new();
	char		 exp[11];
	int		 d;

	ck_assert_int_eq(date_parse(import_date, &d), 0);
	date_format(d - 10, exp);
	tests_hset(f, HF_PRODUCT, product);
	tests_hset(f, HF_LICENSE_TYPE, "standard");
	tests_hset(f, HF_ENTRY_TYPE, "consumption");
	tests_hset(f, HF_IMPORTER_NAME, importer);
	tests_hset(f, HF_EXPORTER_NAME, "Exporter Ltd");
	tests_hset(f, HF_MANUFACTURER_NAME, "Works Ltd");
	tests_hset(f, HF_COUNTRY_OF_ORIGIN, origin);
	tests_hset(f, HF_COUNTRY_OF_EXPORTATION, origin);
	tests_hset(f, HF_EXPECTED_EXPORT_DATE, exp);
	tests_hset(f, HF_EXPECTED_IMPORT_DATE, import_date);
	tests_hset(f, HF_PORT_OF_ENTRY, "Baltimore, MD");
	return f;
}

/* A line: aluminum gets smelt and cast, steel melt and pour. */
static void
line(struct form *f, const char *hts, const char *usd, const char *kg,
    const char *where)
{
	struct form_line	*l = form_add_line(f);

	tests_lset(l, LF_HTS_CODE, hts);
	tests_lset(l, LF_CUSTOMS_VALUE_USD, usd);
	tests_lset(l, LF_VOLUME_KG, kg);
	if (strcmp(f->v[HF_PRODUCT], "aluminum") == 0) {
		tests_lset(l, LF_COUNTRY_OF_LARGEST_SMELT, where);
		tests_lset(l, LF_COUNTRY_OF_SECOND_LARGEST_SMELT,
		    "not applicable");
		tests_lset(l, LF_COUNTRY_OF_MOST_RECENT_CAST,
		    f->v[HF_COUNTRY_OF_ORIGIN]);
	} else
		tests_lset(l, LF_COUNTRY_OF_MELT_AND_POUR, where);
}

static struct actor
actor(void)
{
	struct actor	 a = { broker, "broker@example.com", "api", 1 };

	return a;
}

/* Files f (and frees it); the number into out. */
static void
file(struct form *f, char out[LICNUM_LEN + 1])
{
	struct reg_result	 res;
	struct actor		 a = actor();
	enum reg_err		 e;

	reg_result_init(&res);
	e = reg_submit(db, &a, f, today, &res);
	ck_assert_msg(e == REG_OK, "%s: %s", reg_strerror(e),
	    res.report.nerrors ? res.report.errors[0].message : db->errmsg);
	if (out != NULL)
		memcpy(out, res.number, LICNUM_LEN + 1);
	reg_result_free(&res);
	form_free(f);
}

static void
cancel(const char *number)
{
	struct reg_result	 res;
	struct actor		 a = actor();

	reg_result_init(&res);
	ck_assert_int_eq(reg_cancel(db, &a, number, &res), REG_OK);
	reg_result_free(&res);
}

static void
in_step(void)
{
	char	 err[1024];
	long	 d = monitor_recount(db, err, sizeof(err));

	ck_assert_msg(d == 0, "%ld differences: %s", d, err);
}

/* ----- random filing ----- */

static unsigned int	 seed;

static unsigned int
rnd(unsigned int n)
{
	seed = seed * 1103515245 + 12345;
	return ((seed >> 16) & 0x7fff) % n;
}

static const char *const importers[] = {
	"Acme Metals Inc.", "ACME METALS, INC", "Bolt Steel LLC",
	"Cobalt Trading Co", "Delta Alloys", "Ember Imports Corp.",
};
static const char *const origins[] = {
	"Canada", "Mexico", "China", "Germany", "South Korea",
};

static struct form *
random_license(const char *product)
{
	static const char *const al[] = { "7601103000", "7606123091",
	    "7607113000", "7606123045" };
	static const char *const st[] = { "7208101500", "7304290010",
	    "7219330035" };
	struct form	*f;
	char		 d[11], usd[32], kg[32];
	int		 i, n;

	if (product == NULL)
		product = rnd(2) ? "aluminum" : "steel";
	date_format(today + 5 + (int)rnd(55), d);
	f = license(product, importers[rnd(6)], origins[rnd(5)], d);
	n = 1 + rnd(3);
	for (i = 0; i < n; i++) {
		snprintf(usd, sizeof(usd), "%u.%02u", 3000 + rnd(90000),
		    rnd(100));
		snprintf(kg, sizeof(kg), "%u", 1000 + rnd(30000));
		line(f, product[0] == 'a' ? al[rnd(4)] : st[rnd(3)], usd, kg,
		    origins[rnd(5)]);
	}
	return f;
}

/* The licenses a random walk of changes has filed: their numbers and
 * products, and whether each still stands. */
struct walk {
	char	 num[60][LICNUM_LEN + 1];
	char	 prod[60][10];
	int	 live[60];
	int	 n;
};

/* One random change: a new license (always while fewer than few, never
 * more than max), a correction (refused only once canceled) or a
 * cancel. */
static void
random_change(struct walk *w, int max, int few)
{
	struct reg_result	 res;
	struct actor		 a = actor();
	struct form		*f;
	int			 i, k = rnd(10);

	ck_assert_int_le(max, 60);
	if (w->n < max && (w->n < few || k < 5)) {
		f = random_license(NULL);
		snprintf(w->prod[w->n], sizeof(w->prod[w->n]), "%s",
		    f->v[HF_PRODUCT]);
		file(f, w->num[w->n]);
		w->live[w->n++] = 1;
	} else if (k < 8) {
		i = rnd(w->n);
		f = random_license(w->prod[i]);
		reg_result_init(&res);
		ck_assert(reg_correct(db, &a, w->num[i], f, today, &res) ==
		    REG_OK || !w->live[i]);
		reg_result_free(&res);
		form_free(f);
	} else if (w->live[i = rnd(w->n)]) {
		cancel(w->num[i]);
		w->live[i] = 0;
	}
}

START_TEST(recount_after_random_changes)
{
	struct walk	 w;
	int		 round;

	memset(&w, 0, sizeof(w));
	seed = 11;
	ck_assert_int_eq(db_begin(db), DB_OK);
	for (round = 0; round < 160; round++) {
		random_change(&w, 60, 5);
		if (round % 20 == 19)
			in_step();
	}
	ck_assert_int_eq(db_commit(db), DB_OK);
	in_step();
	/* Counting everything again gives the same roll-ups. */
	ck_assert_int_eq(monitor_rebuild(db), DB_OK);
	in_step();
}
END_TEST

/* A correction that fails (invalid) or a fault anywhere in a change
 * leaves the roll-ups as they were. */
START_TEST(recount_after_faults)
{
	struct reg_result	 res;
	struct actor		 a = actor();
	char			 num[LICNUM_LEN + 1];
	int			 k;
	enum reg_err		 e;

	seed = 5;
	file(random_license("aluminum"), num);
	for (k = 1; k < 400; k++) {
		struct form *f = random_license("aluminum");

		db->fault_countdown = k;
		reg_result_init(&res);
		e = reg_correct(db, &a, num, f, today, &res);
		reg_result_free(&res);
		form_free(f);
		db->fault_countdown = 0;
		in_step();
		if (e == REG_OK)
			break;
		ck_assert_int_eq(e, REG_DB);
	}
	ck_assert_msg(k > 10 && k < 400, "a correction took %d steps", k);
	for (k = 1; k < 400; k++) {
		db->fault_countdown = k;
		reg_result_init(&res);
		e = reg_cancel(db, &a, num, &res);
		reg_result_free(&res);
		db->fault_countdown = 0;
		in_step();
		if (e == REG_OK)
			break;
	}
	ck_assert_int_lt(k, 400);
}
END_TEST

/* Changes made without the roll-ups (db->no_rollups, benchmarks only)
 * show in the recount; a rebuild puts them right. */
START_TEST(no_rollups_and_rebuild)
{
	char	 err[512];

	seed = 3;
	file(random_license(NULL), NULL);
	in_step();
	db->no_rollups = 1;
	file(random_license(NULL), NULL);
	db->no_rollups = 0;
	ck_assert_int_gt(monitor_recount(db, err, sizeof(err)), 0);
	ck_assert_int_eq(monitor_rebuild(db), DB_OK);
	in_step();
}
END_TEST

/* ----- answers ----- */

static void
query(struct mon_query *q, const char *product, const char *by,
    const char *from, const char *to)
{
	char	 buf[128], *p, *s;

	memset(q, 0, sizeof(*q));
	q->product = strcmp(product, "aluminum") == 0 ? PRODUCT_ALUMINUM :
	    PRODUCT_STEEL;
	snprintf(buf, sizeof(buf), "%s", by);
	for (p = buf; (s = strsep(&p, ",")) != NULL && *s != '\0'; ) {
		ck_assert_int_ge(mon_dim_find(s), 0);
		q->by[q->nby++] = mon_dim_find(s);
	}
	snprintf(q->from, sizeof(q->from), "%s", from);
	snprintf(q->to, sizeof(q->to), "%s", to);
}

/* The row whose keys are a (and b), or NULL. */
static const struct mon_fig *
row(const struct mon_result *r, const char *a, const char *b)
{
	size_t	 i;

	for (i = 0; i < r->nrows; i++)
		if (strcmp(r->rows[i].key[0], a) == 0 && (b == NULL ||
		    strcmp(r->rows[i].key[1], b) == 0))
			return &r->rows[i];
	return NULL;
}

/* Three importers of $400, $300, $300 of Canadian unwrought aluminum in
 * February: published; the figures add up. */
START_TEST(cell_published_with_three)
{
	struct mon_query	 q;
	struct mon_result	 r;
	const struct mon_fig	*f;
	struct form		*l;

	l = license("aluminum", "Acme Metals Inc.", "Canada", "2026-02-10");
	line(l, "7601103000", "4000.00", "1000", "Canada");
	line(l, "7601106090", "50.25", "10.5", "Canada");
	file(l, NULL);
	l = license("aluminum", "Bolt Metals LLC", "Canada", "2026-02-11");
	line(l, "7601103000", "2974.75", "1000", "Canada");
	file(l, NULL);
	l = license("aluminum", "Cobalt Trading Co", "Canada", "2026-02-28");
	line(l, "7601103000", "3000.00", "1200", "Canada");
	file(l, NULL);
	in_step();

	query(&q, "aluminum", "country_of_origin", "2026-01", "2026-03");
	ck_assert_int_eq(monitor_cells(db, &q, &r), DB_OK);
	ck_assert_uint_eq(r.nrows, 1);
	f = row(&r, "Canada", NULL);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->state, DISC_PUBLISHED);
	ck_assert_int_eq(f->grams, 3210500);
	ck_assert_int_eq(f->cents, 1002500);
	ck_assert_int_eq(r.total.state, DISC_PUBLISHED);
	ck_assert_int_eq(r.total.cents, 1002500);
	monitor_result_free(&r);

	/* By HTS-6: 760110 has all three. */
	query(&q, "aluminum", "month,hts6", "2026-02", "2026-02");
	ck_assert_int_eq(monitor_cells(db, &q, &r), DB_OK);
	ck_assert_uint_eq(r.nrows, 1);
	ck_assert_str_eq(r.rows[0].key[0], "2026-02");
	ck_assert_str_eq(r.rows[0].key[1], "760110");
	ck_assert_int_eq(r.rows[0].state, DISC_PUBLISHED);
	monitor_result_free(&r);

	/* Steel has nothing. */
	query(&q, "steel", "month", "2026-01", "2026-03");
	ck_assert_int_eq(monitor_cells(db, &q, &r), DB_OK);
	ck_assert_uint_eq(r.nrows, 0);
	ck_assert_int_eq(r.total.state, DISC_EMPTY);
	monitor_result_free(&r);
}
END_TEST

static void
three(const char *a, const char *b, const char *c, const char *usd_a,
    const char *usd_b, const char *usd_c)
{
	struct form	*l;

	l = license("steel", a, "Mexico", "2026-02-10");
	line(l, "7208101500", usd_a, "10000", "Mexico");
	file(l, NULL);
	l = license("steel", b, "Mexico", "2026-02-10");
	line(l, "7208101500", usd_b, "10000", "Mexico");
	file(l, NULL);
	l = license("steel", c, "Mexico", "2026-02-10");
	line(l, "7208101500", usd_c, "10000", "Mexico");
	file(l, NULL);
}

static enum disc_state
mexico(void)
{
	struct mon_query	 q;
	struct mon_result	 r;
	enum disc_state		 s;

	query(&q, "steel", "country_of_origin", "2026-02", "2026-02");
	ck_assert_int_eq(monitor_cells(db, &q, &r), DB_OK);
	ck_assert_ptr_nonnull(row(&r, "Mexico", NULL));
	s = row(&r, "Mexico", NULL)->state;
	monitor_result_free(&r);
	return s;
}

/* The largest importer at exactly 80%: published. */
START_TEST(share_at_80_published)
{
	three("Acme", "Bolt", "Cobalt", "8000.00", "1000.00", "1000.00");
	ck_assert_int_eq(mexico(), DISC_PUBLISHED);
}
END_TEST

/* A cent over 80%: withheld. */
START_TEST(share_over_80_withheld)
{
	three("Acme", "Bolt", "Cobalt", "8000.01", "999.99", "1000.00");
	ck_assert_int_eq(mexico(), DISC_PRIMARY);
}
END_TEST

/* Two spellings of one importer are one importer: two in all. */
START_TEST(one_importer_two_spellings)
{
	three("Acme Metals Inc.", "ACME METALS, INC", "Cobalt", "3000.00",
	    "3000.00", "3000.00");
	ck_assert_int_eq(mexico(), DISC_PRIMARY);
}
END_TEST

/* A canceled license leaves the totals: three importers become two. */
START_TEST(cancel_leaves_totals)
{
	struct mon_query	 q;
	struct mon_result	 r;
	struct form		*l;
	char			 num[LICNUM_LEN + 1];

	three("Acme", "Bolt", "Cobalt", "3000.00", "3000.00", "3000.00");
	l = license("steel", "Delta", "Mexico", "2026-02-12");
	line(l, "7208101500", "2500.00", "5000", "Mexico");
	file(l, num);
	query(&q, "steel", "month", "2026-02", "2026-02");
	ck_assert_int_eq(monitor_cells(db, &q, &r), DB_OK);
	ck_assert_int_eq(r.rows[0].cents, 1150000);
	monitor_result_free(&r);
	cancel(num);
	in_step();
	ck_assert_int_eq(monitor_cells(db, &q, &r), DB_OK);
	ck_assert_int_eq(r.rows[0].cents, 900000);
	ck_assert_int_eq(r.rows[0].grams, 30000000);
	monitor_result_free(&r);
	ck_assert_int_eq(mexico(), DISC_PUBLISHED);
}
END_TEST

/* A figure over months passes only if each month does: March has one
 * importer, so January-March is withheld although it has four. */
START_TEST(month_guard)
{
	struct mon_query	 q;
	struct mon_result	 r;
	struct form		*l;

	three("Acme", "Bolt", "Cobalt", "3000.00", "3000.00", "3000.00");
	l = license("steel", "Delta", "Mexico", "2026-03-02");
	line(l, "7208101500", "2500.00", "5000", "Mexico");
	file(l, NULL);
	query(&q, "steel", "country_of_origin", "2026-02", "2026-02");
	ck_assert_int_eq(monitor_cells(db, &q, &r), DB_OK);
	ck_assert_int_eq(row(&r, "Mexico", NULL)->state, DISC_PUBLISHED);
	monitor_result_free(&r);
	query(&q, "steel", "country_of_origin", "2026-01", "2026-03");
	ck_assert_int_eq(monitor_cells(db, &q, &r), DB_OK);
	ck_assert_int_eq(row(&r, "Mexico", NULL)->state, DISC_PRIMARY);
	ck_assert_int_eq(r.total.state, DISC_PRIMARY);
	monitor_result_free(&r);
	/* By month, February shows and March does not. */
	query(&q, "steel", "month", "2026-01", "2026-03");
	ck_assert_int_eq(monitor_cells(db, &q, &r), DB_OK);
	ck_assert_uint_eq(r.nrows, 2);
	ck_assert_int_eq(row(&r, "2026-02", NULL)->state, DISC_PUBLISHED);
	ck_assert_int_eq(row(&r, "2026-03", NULL)->state, DISC_PRIMARY);
	monitor_result_free(&r);
}
END_TEST

/* Countries by month: one country withheld in a month makes another
 * withheld too, and the month total then gives neither away. */
START_TEST(complement_in_answer)
{
	struct mon_query	 q;
	struct mon_result	 r;
	const struct mon_fig	*f;
	struct form		*l;
	const char		*who[] = { "Acme", "Bolt", "Cobalt", "Delta" };
	size_t			 i, hidden;

	/* Canada and Germany: four importers each; China: one. */
	for (i = 0; i < 4; i++) {
		l = license("aluminum", who[i], "Canada", "2026-02-03");
		line(l, "7601103000", "30000.00", "12000", "Canada");
		file(l, NULL);
		l = license("aluminum", who[i], "Germany", "2026-02-04");
		line(l, "7606123091", "20000.00", "5000", "Germany");
		file(l, NULL);
	}
	l = license("aluminum", "Acme", "China", "2026-02-05");
	line(l, "7607113000", "9000.00", "2000", "China");
	file(l, NULL);
	query(&q, "aluminum", "month,country_of_origin", "2026-02", "2026-02");
	ck_assert_int_eq(monitor_cells(db, &q, &r), DB_OK);
	ck_assert_uint_eq(r.nrows, 3);
	f = row(&r, "2026-02", "China");
	ck_assert_int_eq(f->state, DISC_PRIMARY);
	for (i = 0, hidden = 0; i < r.nrows; i++)
		hidden += DISC_HIDDEN(r.rows[i].state);
	ck_assert_uint_eq(hidden, 2);
	/* Germany (the smaller) covers China. */
	ck_assert_int_eq(row(&r, "2026-02", "Germany")->state,
	    DISC_COMPLEMENT);
	ck_assert_int_eq(row(&r, "2026-02", "Canada")->state, DISC_PUBLISHED);
	/* The margins are the one-way answers. */
	ck_assert_uint_eq(r.nmargin[0], 1);
	ck_assert_int_eq(r.margin[0][0].state, DISC_PUBLISHED);
	ck_assert_uint_eq(r.nmargin[1], 3);
	monitor_result_free(&r);
	query(&q, "aluminum", "country_of_origin", "2026-02", "2026-02");
	ck_assert_int_eq(monitor_cells(db, &q, &r), DB_OK);
	ck_assert_int_eq(row(&r, "China", NULL)->state, DISC_PRIMARY);
	ck_assert_int_eq(row(&r, "Germany", NULL)->state, DISC_COMPLEMENT);
	monitor_result_free(&r);
}
END_TEST

/* Filters and the dimensions of each product. */
START_TEST(filters_and_dimensions)
{
	struct mon_query	 q;
	struct mon_result	 r;
	struct form		*l;
	const char		*who[] = { "Acme", "Bolt", "Cobalt" };
	size_t			 i;

	for (i = 0; i < 3; i++) {
		l = license("aluminum", who[i], "Canada", "2026-02-03");
		line(l, "7601103000", "30000.00", "12000", "Norway");
		line(l, "7607113000", "9000.00", "2000", "Canada");
		file(l, NULL);
	}
	query(&q, "aluminum", "country_of_largest_smelt", "2026-02",
	    "2026-02");
	q.hts6 = "760110";
	ck_assert_int_eq(monitor_cells(db, &q, &r), DB_OK);
	ck_assert_uint_eq(r.nrows, 1);
	ck_assert_str_eq(r.rows[0].key[0], "Norway");
	ck_assert_int_eq(r.rows[0].cents, 9000000);
	monitor_result_free(&r);
	query(&q, "aluminum", "product_group", "2026-02", "2026-02");
	q.origin = "Canada";
	ck_assert_int_eq(monitor_cells(db, &q, &r), DB_OK);
	ck_assert_uint_eq(r.nrows, 2);
	ck_assert_str_eq(r.rows[0].key[0], "Foil");
	ck_assert_str_eq(r.rows[1].key[0], "Unwrought Aluminum");
	monitor_result_free(&r);
	q.origin = "Mexico";
	ck_assert_int_eq(monitor_cells(db, &q, &r), DB_OK);
	ck_assert_uint_eq(r.nrows, 0);
	monitor_result_free(&r);
	ck_assert(mon_dim_applies(MON_SMELT, PRODUCT_ALUMINUM));
	ck_assert(!mon_dim_applies(MON_SMELT, PRODUCT_STEEL));
	ck_assert(mon_dim_applies(MON_MELT, PRODUCT_STEEL));
	ck_assert(!mon_dim_applies(MON_MELT, PRODUCT_ALUMINUM));
}
END_TEST

/* A surge of Mexican flat steel in April over January-March, among
 * published figures; none where the month is withheld. */
START_TEST(surges)
{
	struct mon_surge	*s;
	struct mon_meta		 mm;
	struct form		*l;
	const char		*who[] = { "Acme", "Bolt", "Cobalt" };
	const char		*month[] = { "2026-01-10", "2026-02-10",
	    "2026-03-10", "2026-04-10" };
	size_t			 n, i, m;

	/* 100 t a month from each of three importers, then 300 t each
	 * in April: 300 t a month on average, 900 t in April. */
	for (m = 0; m < 4; m++)
		for (i = 0; i < 3; i++) {
			l = license("steel", who[i], "Mexico", month[m]);
			line(l, "7208101500", m == 3 ? "300000.00" :
			    "100000.00", m == 3 ? "300000" : "100000",
			    "Mexico");
			today = date_from_ymd(2026, 1, 5) + (int)m * 30;
			file(l, NULL);
		}
	/* Brazilian pipe surges too, but from one importer: withheld.
	 * (In the flat steel table it would hide Mexico's April as
	 * well, to protect it.) */
	l = license("steel", "Acme", "Brazil", "2026-04-10");
	line(l, "7304290010", "500000.00", "900000", "Brazil");
	file(l, NULL);
	ck_assert_int_eq(monitor_surges(db, PRODUCT__MAX, "2026-04",
	    "2026-04", &s, &n), DB_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(s[0].month, "2026-04");
	ck_assert_str_eq(s[0].origin, "Mexico");
	ck_assert_str_eq(s[0].group, "Flat");
	ck_assert_int_eq(s[0].grams, 900000000LL);
	ck_assert_int_eq(s[0].trailing_grams, 900000000LL);
	monitor_surges_free(s, n);
	/* Only steel; only aluminum: none. */
	ck_assert_int_eq(monitor_surges(db, PRODUCT_ALUMINUM, "2026-04",
	    "2026-04", &s, &n), DB_OK);
	ck_assert_uint_eq(n, 0);
	monitor_surges_free(s, n);

	ck_assert_int_eq(monitor_meta(db, MON_DIMS_ALL, &mm), DB_OK);
	ck_assert_uint_eq(mm.p[PRODUCT_STEEL].nmonths, 4);
	ck_assert_str_eq(mm.p[PRODUCT_STEEL].months[0], "2026-01");
	ck_assert_uint_eq(mm.p[PRODUCT_STEEL].nvalues[MON_ORIGIN], 2);
	ck_assert_str_eq(mm.p[PRODUCT_STEEL].values[MON_ORIGIN][0], "Brazil");
	ck_assert_uint_eq(mm.p[PRODUCT_STEEL].nvalues[MON_HTS6], 2);
	ck_assert_uint_eq(mm.p[PRODUCT_ALUMINUM].nmonths, 0);
	ck_assert_str_ne(mm.updated_at, "");
	monitor_meta_free(&mm);
}
END_TEST

/* ----- answers a process keeps ----- */

/* Whether two answers are the same, figure for figure. */
static void
same_answer(const struct mon_result *a, const struct mon_result *b,
    size_t nby, const char *what)
{
	const struct mon_fig	*x, *y;
	size_t			 i, j, m;

	ck_assert_msg(a->nrows == b->nrows, "%s: %zu rows, %zu fresh", what,
	    a->nrows, b->nrows);
	for (m = 0; m < MON_MAX_BY; m++)
		ck_assert_msg(a->nmargin[m] == b->nmargin[m], "%s: margin",
		    what);
	for (m = 0; m <= MON_MAX_BY; m++) {
		size_t	 n = m == 0 ? a->nrows : a->nmargin[m - 1];
		size_t	 nk = m == 0 ? nby : 1;

		for (i = 0; i < n; i++) {
			x = m == 0 ? &a->rows[i] : &a->margin[m - 1][i];
			y = m == 0 ? &b->rows[i] : &b->margin[m - 1][i];
			for (j = 0; j < nk; j++)
				ck_assert_msg(strcmp(x->key[j], y->key[j]) == 0,
				    "%s: %s, fresh %s", what, x->key[j],
				    y->key[j]);
			ck_assert_msg(x->grams == y->grams &&
			    x->cents == y->cents && x->state == y->state,
			    "%s: %s: %lld g %lld cents state %d; fresh "
			    "%lld g %lld cents state %d", what, x->key[0],
			    (long long)x->grams, (long long)x->cents, x->state,
			    (long long)y->grams, (long long)y->cents, y->state);
		}
	}
	ck_assert_msg(a->total.grams == b->total.grams &&
	    a->total.cents == b->total.cents &&
	    a->total.state == b->total.state, "%s: total", what);
}

static const struct {
	const char	*product, *by, *from, *to;
	const char	*group, *hts6, *origin;
} asked[] = {
	{ "aluminum", "month", "2026-01", "2026-03", NULL, NULL, NULL },
	{ "aluminum", "month,country_of_origin", "2025-12", "2026-04", NULL,
	    NULL, NULL },
	{ "aluminum", "country_of_largest_smelt,country_of_most_recent_cast",
	    "2026-02", "2026-03", NULL, NULL, NULL },
	{ "aluminum", "product_group", "2026-02", "2026-02", NULL, NULL,
	    "Canada" },
	{ "aluminum", "month,hts6", "2026-01", "2026-03", "Foil", NULL, NULL },
	{ "steel", "country_of_origin", "2026-01", "2026-03", NULL, NULL,
	    NULL },
	{ "steel", "hts6,country_of_origin", "2026-01", "2026-02", NULL, NULL,
	    NULL },
	{ "steel", "month,country_of_melt_and_pour", "2026-03", "2026-03",
	    NULL, "720810", NULL },
	{ "steel", "", "2026-01", "2026-03", NULL, NULL, NULL },
};

/* Asks r (outside a transaction: answers from what it keeps) and w
 * (inside one: counted afresh) every question, and compares. */
static void
kept_as_fresh(struct db *r, struct db *w)
{
	struct mon_query	 q;
	struct mon_result	 a, b;
	struct mon_surge	*sa, *sb;
	size_t			 i, na, nb;
	char			 what[128];

	for (i = 0; i < sizeof(asked) / sizeof(asked[0]); i++) {
		query(&q, asked[i].product, asked[i].by, asked[i].from,
		    asked[i].to);
		q.group = asked[i].group;
		q.hts6 = asked[i].hts6;
		q.origin = asked[i].origin;
		snprintf(what, sizeof(what), "%s by %s %s..%s",
		    asked[i].product, asked[i].by, q.from, q.to);
		ck_assert_int_eq(monitor_cells(r, &q, &a), DB_OK);
		ck_assert_int_eq(db_begin(w), DB_OK);
		ck_assert_int_eq(monitor_cells(w, &q, &b), DB_OK);
		db_abort(w);
		same_answer(&a, &b, q.nby, what);
		monitor_result_free(&a);
		monitor_result_free(&b);
	}
	ck_assert_int_eq(monitor_surges(r, PRODUCT__MAX, "2026-02", "2026-03",
	    &sa, &na), DB_OK);
	ck_assert_int_eq(db_begin(w), DB_OK);
	ck_assert_int_eq(monitor_surges(w, PRODUCT__MAX, "2026-02", "2026-03",
	    &sb, &nb), DB_OK);
	db_abort(w);
	ck_assert_uint_eq(na, nb);
	for (i = 0; i < na; i++) {
		ck_assert_str_eq(sa[i].month, sb[i].month);
		ck_assert_str_eq(sa[i].origin, sb[i].origin);
		ck_assert_int_eq(sa[i].grams, sb[i].grams);
		ck_assert_int_eq(sa[i].trailing_grams, sb[i].trailing_grams);
	}
	monitor_surges_free(sa, na);
	monitor_surges_free(sb, nb);
}

static struct db *
reader(const char *d)
{
	struct db	*r;
	char		 path[128], err[256];

	snprintf(path, sizeof(path), "%s/aim.db", d);
	r = db_open(path, 0, err, sizeof(err));
	ck_assert_msg(r != NULL, "%s", err);
	return r;
}

/* A reader that keeps answers (another connection, as a gateway
 * worker) answers as a fresh count does after every round of random
 * submits, corrections and cancels, each committed, and after a
 * rebuild. */
START_TEST(kept_answers_follow_changes)
{
	struct walk	 w;
	struct db	*r;
	int		 round, ops;

	memset(&w, 0, sizeof(w));
	seed = 29;
	r = reader(dir);
	for (round = 0; round < 24; round++) {
		for (ops = 1 + rnd(3); ops > 0; ops--)
			random_change(&w, 40, 6);
		if (round == 16)
			ck_assert_int_eq(monitor_rebuild(db), DB_OK);
		kept_as_fresh(r, db);
	}
	db_close(r);
}
END_TEST

/* The stamp of a range stays while licenses land in other months and
 * grows when one lands in it, is corrected out of it or canceled, and
 * on a rebuild; inside a transaction there is none. */
START_TEST(stamps_follow_months)
{
	struct reg_result	 res;
	struct actor		 a = actor();
	struct db		*r;
	struct form		*f;
	char			 num[LICNUM_LEN + 1];
	uint64_t		 s0, s1, s2, o;

	r = reader(dir);
	f = license("steel", "Acme", "Mexico", "2026-02-10");
	line(f, "7208101500", "1000.00", "10000", "Mexico");
	file(f, num);
	ck_assert_int_eq(monitor_stamp(r, "2026-01", "2026-01", &s0), DB_OK);
	ck_assert_int_eq(monitor_stamp(r, "2026-02", "2026-03", &s1), DB_OK);
	ck_assert_uint_gt(s0, 0);
	ck_assert_uint_gt(s1, 0);
	/* March: February's range moves, January's not. */
	f = license("steel", "Bolt", "Mexico", "2026-03-10");
	line(f, "7208101500", "1000.00", "10000", "Mexico");
	file(f, NULL);
	ck_assert_int_eq(monitor_stamp(r, "2026-01", "2026-01", &o), DB_OK);
	ck_assert_uint_eq(o, s0);
	ck_assert_int_eq(monitor_stamp(r, "2026-02", "2026-03", &s2), DB_OK);
	ck_assert_uint_gt(s2, s1);
	ck_assert_int_eq(monitor_stamp(r, "2026-02", "2026-03", &o), DB_OK);
	ck_assert_uint_eq(o, s2);
	/* The February license corrected to January: both move. */
	f = license("steel", "Acme", "Mexico", "2026-01-20");
	line(f, "7208101500", "1000.00", "10000", "Mexico");
	reg_result_init(&res);
	ck_assert_int_eq(reg_correct(db, &a, num, f, today, &res), REG_OK);
	reg_result_free(&res);
	form_free(f);
	ck_assert_int_eq(monitor_stamp(r, "2026-01", "2026-01", &o), DB_OK);
	ck_assert_uint_gt(o, s0);
	s0 = o;
	ck_assert_int_eq(monitor_stamp(r, "2026-02", "2026-02", &o), DB_OK);
	ck_assert_uint_gt(o, s2);
	s2 = o;
	cancel(num);
	ck_assert_int_eq(monitor_stamp(r, "2026-01", "2026-01", &o), DB_OK);
	ck_assert_uint_gt(o, s0);
	s0 = o;
	ck_assert_int_eq(monitor_rebuild(db), DB_OK);
	ck_assert_int_eq(monitor_stamp(r, "2026-02", "2026-02", &o), DB_OK);
	ck_assert_uint_gt(o, s2);
	ck_assert_int_eq(db_begin(r), DB_OK);
	ck_assert_int_eq(monitor_stamp(r, "2026-02", "2026-02", &o), DB_OK);
	ck_assert_uint_eq(o, 0);
	db_abort(r);
	db_close(r);
}
END_TEST

/* One month's steel, as r answers it. */
static void
asks(struct db *r, const struct mon_query *q, int64_t cents)
{
	struct mon_result	 a;

	ck_assert_int_eq(monitor_cells(r, q, &a), DB_OK);
	ck_assert_uint_eq(a.nrows, 1);
	ck_assert_int_eq(a.rows[0].cents, cents);
	monitor_result_free(&a);
}

/* The same changes to two databases (as many events), with different
 * figures: readers of each, open at once or one after the other,
 * answer each from its own. */
START_TEST(kept_answers_belong_to_their_connection)
{
	static const int64_t	 cents[2] = { 400000, 3600000 };
	struct mon_query	 q;
	struct db		*w[2], *r[2];
	char			 d2[TESTS_DIR_MAX];
	int64_t			 acct;
	int			 i, k;

	w[0] = db;
	w[1] = open_db(d2, &acct);
	ck_assert_int_eq(acct, broker);
	for (k = 0; k < 2; k++) {
		db = w[k];
		for (i = 0; i < 4; i++) {
			struct form *f = license("steel", i % 2 ? "Acme" :
			    "Bolt", "Mexico", "2026-02-10");

			line(f, "7208101500", k ? "9000.00" : "1000.00",
			    "10000", "Mexico");
			file(f, NULL);
		}
	}
	db = w[0];
	query(&q, "steel", "month", "2026-02", "2026-02");
	r[0] = reader(dir);
	r[1] = reader(d2);
	/* Both open: first, second, first. */
	asks(r[0], &q, cents[0]);
	asks(r[1], &q, cents[1]);
	asks(r[0], &q, cents[0]);
	/* One closed, the other asks; it opens again and asks. */
	db_close(r[1]);
	asks(r[0], &q, cents[0]);
	r[1] = reader(d2);
	asks(r[1], &q, cents[1]);
	db_close(r[0]);
	asks(r[1], &q, cents[1]);
	r[0] = reader(dir);
	asks(r[0], &q, cents[0]);
	db_close(r[0]);
	db_close(r[1]);
	tests_db_close(w[1], d2);
}
END_TEST

/*
 * What a gateway's master read before forking (monitor_keep_for_fork)
 * is adopted by the next connection to the same file - the stamps go
 * on, nothing is read again - and follows changes made since; a
 * connection to another file starts afresh.
 */
START_TEST(kept_months_adopted)
{
	struct mon_query	 q;
	struct db		*r, *o;
	struct form		*f;
	char			 d2[TESTS_DIR_MAX];
	int64_t			 acct;
	uint64_t		 s0, s1;

	f = license("steel", "Acme", "Mexico", "2026-02-10");
	line(f, "7208101500", "1000.00", "10000", "Mexico");
	file(f, NULL);
	query(&q, "steel", "month", "2026-02", "2026-02");
	r = reader(dir);
	asks(r, &q, 100000);
	ck_assert_int_eq(monitor_stamp(r, "2026-02", "2026-02", &s0), DB_OK);
	monitor_keep_for_fork(r);
	db_close(r);
	r = reader(dir);
	ck_assert_int_eq(monitor_stamp(r, "2026-02", "2026-02", &s1), DB_OK);
	ck_assert_uint_eq(s1, s0);
	/* A filing since: the adopted month follows it. */
	f = license("steel", "Bolt", "Mexico", "2026-02-11");
	line(f, "7208101500", "2000.00", "10000", "Mexico");
	file(f, NULL);
	asks(r, &q, 300000);
	kept_as_fresh(r, db);
	monitor_keep_for_fork(r);
	db_close(r);
	/* Another database: its own figures, from a new start. */
	o = open_db(d2, &acct);
	r = reader(d2);
	ck_assert_int_eq(monitor_stamp(r, "2026-02", "2026-02", &s1), DB_OK);
	ck_assert_uint_ne(s1, s0);
	query(&q, "steel", "month", "2026-02", "2026-02");
	{
		struct mon_result	 a;

		ck_assert_int_eq(monitor_cells(r, &q, &a), DB_OK);
		ck_assert_uint_eq(a.nrows, 0);
		monitor_result_free(&a);
	}
	db_close(r);
	tests_db_close(o, d2);
}
END_TEST

START_TEST(months)
{
	char	 out[8];
	int	 m;

	ck_assert_int_eq(mon_month_parse("2026-01", &m), 0);
	mon_month_format(m - 1, out);
	ck_assert_str_eq(out, "2025-12");
	mon_month_format(m + 11, out);
	ck_assert_str_eq(out, "2026-12");
	ck_assert_int_eq(mon_month_parse("2026-13", &m), -1);
	ck_assert_int_eq(mon_month_parse("2026-00", &m), -1);
	ck_assert_int_eq(mon_month_parse("2026-1", &m), -1);
	ck_assert_int_eq(mon_month_parse("2026-01-01", &m), -1);
	ck_assert_int_eq(mon_month_parse("1969-12", &m), -1);
	ck_assert_int_eq(mon_month_parse("1970-01", &m), 0);
}
END_TEST

Suite *
suite_monitor(void)
{
	Suite	*s = suite_create("monitor");
	TCase	*tc = tcase_create("db");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, recount_after_random_changes);
	tcase_add_test(tc, recount_after_faults);
	tcase_add_test(tc, no_rollups_and_rebuild);
	tcase_add_test(tc, cell_published_with_three);
	tcase_add_test(tc, share_at_80_published);
	tcase_add_test(tc, share_over_80_withheld);
	tcase_add_test(tc, one_importer_two_spellings);
	tcase_add_test(tc, cancel_leaves_totals);
	tcase_add_test(tc, month_guard);
	tcase_add_test(tc, complement_in_answer);
	tcase_add_test(tc, filters_and_dimensions);
	tcase_add_test(tc, surges);
	tcase_add_test(tc, months);
	suite_add_tcase(s, tc);

	tc = tcase_create("kept");
	tcase_add_checked_fixture(tc, setup_committed, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, kept_answers_follow_changes);
	tcase_add_test(tc, kept_answers_belong_to_their_connection);
	tcase_add_test(tc, kept_months_adopted);
	tcase_add_test(tc, stamps_follow_months);
	suite_add_tcase(s, tc);
	return s;
}
