/*
 * bench-submit: what the public monitor's roll-ups cost a license
 * submit, measured in one run against one database.  Submits
 * alternate between with and without the roll-up hook (db->no_rollups,
 * in the order with, without, without, with, ... so that neither side
 * gets the warmer cache), each reg_submit timed on its own:
 *
 *   durable  each submit its own transaction, as a filer's is
 *            (synchronous=FULL: the commit waits for the disk);
 *   cpu      all in one transaction that is rolled back: no disk
 *            wait, only the work of the submit itself.
 *
 * The durable phase leaves its licenses in the database, half of them
 * missing from the roll-ups: run it on a copy (bench/monitor does).
 * Prints "NAME VALUE" lines: medians, means and p99 in microseconds
 * and the with/without ratios.
 *
 * usage: bench-submit DB [N]   (N submits per phase, default 2000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/date.h"
#include "forms/account.h"
#include "forms/rules.h"
#include "db/accounts.h"
#include "db/registry.h"

#define EMAIL	"bench-submit@synthetic.aim.test"

static const char *const origins[] = {
	"Canada", "Mexico", "China", "Germany", "South Korea", "India",
	"United Arab Emirates", "Brazil", "Japan", "Vietnam",
};
static const char *const importers[] = {
	"Bench Metals LLC", "Bench Steel Inc.", "Bench Alloys Corp.",
	"Bench Foil Company", "Bench Pipe LLC", "Bench Wire Inc.",
};
static const char *const al_codes[] = {
	"7601103000", "7606123091", "7607113000", "7604291090",
};
static const char *const st_codes[] = {
	"7208101500", "7210490090", "7214200000", "7304290010",
	"7219330035",
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static unsigned long	 seed = 42;

static unsigned
rnd(unsigned n)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(seed >> 33) % n;
}

static double
now_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void
set(struct form *f, enum hfield h, const char *v)
{
	form_set(f, h, v, strlen(v));
}

static void
lset(struct form_line *l, enum lfield h, const char *v)
{
	form_line_set(l, h, v, strlen(v));
}

static struct form *
make_form(int today)
{
	struct form		*f = form_new();
	struct form_line	*l;
	const char		*origin = origins[rnd(NELEM(origins))];
	char			 d[11], usd[32], kg[32];
	int			 al = rnd(3) == 0, i, n = 1 + (rnd(4) == 0);

	if (f == NULL)
		return NULL;
	set(f, HF_PRODUCT, al ? "aluminum" : "steel");
	set(f, HF_LICENSE_TYPE, "standard");
	set(f, HF_ENTRY_TYPE, "consumption");
	set(f, HF_IMPORTER_NAME, importers[rnd(NELEM(importers))]);
	set(f, HF_EXPORTER_NAME, "Bench Export Ltd");
	set(f, HF_MANUFACTURER_NAME, "Bench Works");
	set(f, HF_COUNTRY_OF_ORIGIN, origin);
	set(f, HF_COUNTRY_OF_EXPORTATION, origin);
	date_format(today + 10 + rnd(30), d);
	set(f, HF_EXPECTED_IMPORT_DATE, d);
	date_format(today + 5, d);
	set(f, HF_EXPECTED_EXPORT_DATE, d);
	set(f, HF_PORT_OF_ENTRY, "Baltimore, MD");
	for (i = 0; i < n; i++) {
		if ((l = form_add_line(f)) == NULL)
			break;
		lset(l, LF_HTS_CODE, al ? al_codes[rnd(NELEM(al_codes))] :
		    st_codes[rnd(NELEM(st_codes))]);
		snprintf(kg, sizeof(kg), "%u", 5000 + rnd(40000));
		snprintf(usd, sizeof(usd), "%u.00", (al ? 3 : 1) *
		    (unsigned)strtoul(kg, NULL, 10) + rnd(5000));
		lset(l, LF_VOLUME_KG, kg);
		lset(l, LF_CUSTOMS_VALUE_USD, usd);
		if (al) {
			lset(l, LF_COUNTRY_OF_LARGEST_SMELT, origin);
			lset(l, LF_COUNTRY_OF_SECOND_LARGEST_SMELT,
			    "not applicable");
			lset(l, LF_COUNTRY_OF_MOST_RECENT_CAST, origin);
		} else
			lset(l, LF_COUNTRY_OF_MELT_AND_POUR, origin);
	}
	return f;
}

static int64_t
account(struct db *db)
{
	struct account_form	 af;
	struct account		 acc;
	struct report		 rep;
	int64_t			 id = -1;

	if (accounts_by_email(db, EMAIL, &acc) == DB_OK) {
		id = acc.id;
		account_clear(&acc);
		return id;
	}
	memset(&af, 0, sizeof(af));
	report_init(&rep);
	af.v[AF_EMAIL] = strdup(EMAIL);
	af.v[AF_COMPANY_NAME] = strdup("Bench Customs Brokerage LLC");
	af.v[AF_EIN] = strdup("98-7654000");
	af.v[AF_ADDRESS] = strdup("1 Bench Street, Toledo, OH 43604");
	af.v[AF_PHONE] = strdup("419-555-0100");
	af.v[AF_CONTACT_NAME] = strdup("Bench Filer");
	if (account_check(&af, &rep) == 0 && accounts_add(db, &af,
	    "!bench-no-sign-in", 1, &id) != DB_OK)
		id = -1;
	account_form_clear(&af);
	report_free(&rep);
	return id;
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct stats {
	double	 median, mean, p99;
};

static void
stats(double *v, size_t n, struct stats *s)
{
	size_t	 i;
	double	 sum = 0;

	qsort(v, n, sizeof(*v), cmp_double);
	for (i = 0; i < n; i++)
		sum += v[i];
	s->median = n ? v[n / 2] : 0;
	s->mean = n ? sum / n : 0;
	s->p99 = n ? v[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1] : 0;
}

/* One phase: n submits alternating with and without the roll-ups. */
static int
phase(struct db *db, const char *name, int64_t id, int today, long n,
    int durable)
{
	struct reg_result	 res;
	struct actor		 a = { id, EMAIL, "api", 0 };
	struct stats		 w, wo;
	struct form		*f;
	double			*t[2], t0, t1;
	size_t			 k[2] = { 0, 0 };
	long			 i;
	int			 off, rc = -1;
	enum reg_err		 e;

	t[0] = calloc(n, sizeof(double));
	t[1] = calloc(n, sizeof(double));
	if (t[0] == NULL || t[1] == NULL)
		goto out;
	if (!durable && db_begin(db) != DB_OK)
		goto out;
	for (i = 0; i < n; i++) {
		/* with, without, without, with: ABBA */
		off = (i % 4 == 1 || i % 4 == 2);
		if ((f = make_form(today)) == NULL)
			goto out;
		reg_result_init(&res);
		db->no_rollups = off;
		t0 = now_us();
		e = reg_submit(db, &a, f, today, &res);
		t1 = now_us();
		db->no_rollups = 0;
		if (e != REG_OK) {
			fprintf(stderr, "bench-submit: %s: %s\n",
			    reg_strerror(e), res.report.nerrors > 0 ?
			    res.report.errors[0].message : db->errmsg);
			reg_result_free(&res);
			form_free(f);
			goto out;
		}
		reg_result_free(&res);
		form_free(f);
		t[off][k[off]++] = t1 - t0;
	}
	if (!durable)
		db_rollback(db);
	stats(t[0], k[0], &w);
	stats(t[1], k[1], &wo);
	printf("%s_with_median_us %.1f\n", name, w.median);
	printf("%s_without_median_us %.1f\n", name, wo.median);
	printf("%s_with_mean_us %.1f\n", name, w.mean);
	printf("%s_without_mean_us %.1f\n", name, wo.mean);
	printf("%s_with_p99_us %.1f\n", name, w.p99);
	printf("%s_without_p99_us %.1f\n", name, wo.p99);
	printf("%s_ratio_median %.3f\n", name, wo.median > 0 ? w.median /
	    wo.median : 0);
	printf("%s_ratio_mean %.3f\n", name, wo.mean > 0 ? w.mean / wo.mean :
	    0);
	rc = 0;
out:
	free(t[0]);
	free(t[1]);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct db	*db;
	char		 err[512];
	char		*end;
	long		 n = 2000;
	int64_t		 id;
	int		 today = date_today();

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: bench-submit DB [N]\n");
		return 2;
	}
	if (argc == 3) {
		n = strtol(argv[2], &end, 10);
		if (*end != '\0' || n < 4 || n > 1000000) {
			fprintf(stderr, "bench-submit: N: 4 to 1000000\n");
			return 2;
		}
	}
	if (rules_init(err, sizeof(err)) == -1) {
		fprintf(stderr, "bench-submit: %s\n", err);
		return 1;
	}
	if ((db = db_open(argv[1], 0, err, sizeof(err))) == NULL) {
		fprintf(stderr, "bench-submit: %s\n", err);
		return 1;
	}
	if (db_migrate(db) != DB_OK || (id = account(db)) < 0) {
		fprintf(stderr, "bench-submit: %s\n", db->errmsg);
		db_close(db);
		return 1;
	}
	printf("submits_per_phase %ld\n", n);
	if (phase(db, "cpu", id, today, n, 0) == -1 ||
	    phase(db, "durable", id, today, n, 1) == -1) {
		db_close(db);
		return 1;
	}
	db_close(db);
	return 0;
}
