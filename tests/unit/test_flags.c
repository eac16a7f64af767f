/*
 * forms/flags.c: the Action Required decisions of DOMAIN.md section 6.
 * Unit value against fixed bounds or a robust z over the HTS code's
 * history, a rare country of origin for a product group, and the
 * median/MAD helper.  Flags never make a form invalid.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forms/form.h"
#include "forms/license.h"
#include "forms/rules.h"
#include "lib/date.h"
#include "tests.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define MAXLINES	4

/* 1.4826 x MAD estimates the standard deviation (DOMAIN.md 6). */
#define MAD_SCALE	1.4826

static char	 origin[] = "Germany";

/* A checked license built by hand: only what rules_flag reads. */
struct lic {
	struct license		 l;
	struct license_line	 lines[MAXLINES];
};

static void
mklic(struct lic *b, enum product p, size_t n, const double *auv,
    const char *const *groups)
{
	size_t	 i;

	memset(b, 0, sizeof(*b));
	b->l.product = p;
	b->l.ltype = LTYPE_STANDARD;
	b->l.entry = ENTRY_CONSUMPTION;
	b->l.country_of_origin = origin;
	b->l.lines = b->lines;
	b->l.nlines = n;
	for (i = 0; i < n; i++) {
		b->lines[i].usd_per_kg = auv[i];
		snprintf(b->lines[i].product_group,
		    sizeof(b->lines[i].product_group), "%s",
		    groups != NULL ? groups[i] : "Sheet and Plate");
	}
}

static int
has_flag(const struct report *r, const char *field)
{
	size_t	 i;

	for (i = 0; i < r->nflags; i++)
		if (strcmp(r->flags[i].field, field) == 0)
			return 1;
	return 0;
}

static const char *
listed(const struct report *r)
{
	return tests_listed(r->flags, r->nflags, "no flags");
}

/*
 * Flags a 2-line license whose second line has unit value auv (the
 * first a plain $10/kg) with history h for line 2 (NULL: none), and
 * checks that line 2 is flagged on both inputs, or not at all.
 */
static void
auv_case(enum product p, double auv, const struct line_history *h,
    int flagged, const char *want)
{
	struct lic		 b;
	struct line_history	 hist[2];
	struct report		 r;
	double			 v[2] = { 10.0, auv };
	size_t			 n;

	mklic(&b, p, 2, v, NULL);
	if (h != NULL) {
		memset(hist, 0, sizeof(hist));
		hist[1] = *h;
	}
	report_init(&r);
	n = rules_flag(&b.l, h != NULL ? hist : NULL, &r);
	ck_assert_msg(n == r.nflags, "%s $%.6f: returned %zu, %zu flags",
	    product_names[p], auv, n, r.nflags);
	ck_assert_msg(r.nerrors == 0, "flags made errors");
	if (!flagged)
		ck_assert_msg(r.nflags == 0, "%s $%.6f/kg: want no flag, got "
		    "%s", product_names[p], auv, listed(&r));
	else {
		ck_assert_msg(r.nflags == 2 &&
		    has_flag(&r, "lines[2].customs_value_usd") &&
		    has_flag(&r, "lines[2].volume_kg"), "%s $%.6f/kg: want "
		    "lines[2] value and kg flagged, got %s", product_names[p],
		    auv, listed(&r));
		if (want != NULL)
			ck_assert_msg(strstr(r.flags[0].message, want) != NULL &&
			    strstr(r.flags[1].message, want) != NULL,
			    "messages lack \"%s\": %s", want, listed(&r));
	}
	report_free(&r);
}

/* ---- fixed bounds (no history) ---- */

START_TEST(test_fixed_aluminum)
{
	static const struct {
		double		 auv;
		int		 flagged;
		const char	*want;
	} c[] = {
		{ 0.50, 0, NULL },
		{ 200.00, 0, NULL },
		{ 10.0, 0, NULL },
		{ 0.5000001, 0, NULL },
		{ 199.9999, 0, NULL },
		{ 0.49, 1, "below" },
		{ 0.4999999, 1, "below" },
		{ 200.01, 1, "above" },
		{ 200.0000001, 1, "above" },
		{ 0.001, 1, "$0.50 to $200.00" },
		{ 12500.0, 1, "$0.50 to $200.00" },
	};
	size_t	 i;

	for (i = 0; i < NELEM(c); i++)
		auv_case(PRODUCT_ALUMINUM, c[i].auv, NULL, c[i].flagged,
		    c[i].want);
}
END_TEST

START_TEST(test_fixed_steel)
{
	static const struct {
		double		 auv;
		int		 flagged;
		const char	*want;
	} c[] = {
		{ 0.20, 0, NULL },
		{ 100.00, 0, NULL },
		{ 0.80, 0, NULL },
		{ 0.19, 1, "below" },
		{ 0.1999999, 1, "below" },
		{ 100.01, 1, "above" },
		{ 150.0, 1, "$0.20 to $100.00" },
		/* Below aluminum's floor, fine for steel. */
		{ 0.30, 0, NULL },
	};
	size_t	 i;

	for (i = 0; i < NELEM(c); i++)
		auv_case(PRODUCT_STEEL, c[i].auv, NULL, c[i].flagged,
		    c[i].want);
	/* The bounds are the product's. */
	auv_case(PRODUCT_ALUMINUM, 150.0, NULL, 0, NULL);
	auv_case(PRODUCT_ALUMINUM, 0.30, NULL, 1, "below");
}
END_TEST

/* A history too short (or zeroed) falls back to the fixed bounds. */
START_TEST(test_short_history)
{
	struct line_history	 h;

	memset(&h, 0, sizeof(h));
	h.hts_lines = RULES_AUV_MIN_LINES - 1;
	h.median_ln_auv = log(300.0);
	h.mad_ln_auv = 0.1;
	/* Usual for the code, but past the fixed bound. */
	auv_case(PRODUCT_ALUMINUM, 300.0, &h, 1, "expected range");
	/* Far from the code's median, but inside the fixed bounds. */
	auv_case(PRODUCT_ALUMINUM, 10.0, &h, 0, NULL);
	auv_case(PRODUCT_ALUMINUM, 200.0, &h, 0, NULL);
	auv_case(PRODUCT_ALUMINUM, 200.01, &h, 1, "$0.50 to $200.00");
	h.hts_lines = 0;
	auv_case(PRODUCT_STEEL, 100.01, &h, 1, "$0.20 to $100.00");
}
END_TEST

/* ---- robust z over the HTS code's history ---- */

START_TEST(test_history_bounds)
{
	static const struct {
		double	 median;	/* $ per kg */
		double	 mad;		/* of ln */
	} c[] = {
		{ 10.0, 0.1 },
		{ 2.5, 0.25 },
		{ 300.0, 0.05 },	/* above the fixed aluminum bound */
		{ 0.3, 0.2 },		/* below it */
	};
	struct line_history	 h;
	double			 spread, lo, hi;
	size_t			 i;

	for (i = 0; i < NELEM(c); i++) {
		memset(&h, 0, sizeof(h));
		h.hts_lines = RULES_AUV_MIN_LINES;
		h.median_ln_auv = log(c[i].median);
		h.mad_ln_auv = c[i].mad;
		spread = RULES_AUV_Z * MAD_SCALE * c[i].mad;
		lo = exp(h.median_ln_auv - spread);
		hi = exp(h.median_ln_auv + spread);

		auv_case(PRODUCT_ALUMINUM, c[i].median, &h, 0, NULL);
		auv_case(PRODUCT_ALUMINUM, hi * (1 - 1e-9), &h, 0, NULL);
		auv_case(PRODUCT_ALUMINUM, lo * (1 + 1e-9), &h, 0, NULL);
		auv_case(PRODUCT_ALUMINUM, hi * (1 + 1e-9), &h, 1, "above");
		auv_case(PRODUCT_ALUMINUM, lo * (1 - 1e-9), &h, 1, "below");
		auv_case(PRODUCT_ALUMINUM, hi * 10, &h, 1, "usual range");
		/* The same history rules steel too. */
		auv_case(PRODUCT_STEEL, hi * (1 - 1e-9), &h, 0, NULL);
		auv_case(PRODUCT_STEEL, lo * (1 - 1e-9), &h, 1, "below");
	}

	/* The concrete numbers: median $10, MAD 0.1 gives $5.95-$16.80. */
	memset(&h, 0, sizeof(h));
	h.hts_lines = 1000;
	h.median_ln_auv = log(10.0);
	h.mad_ln_auv = 0.1;
	auv_case(PRODUCT_ALUMINUM, 16.79, &h, 0, NULL);
	auv_case(PRODUCT_ALUMINUM, 16.81, &h, 1, "$5.95 to $16.80");
	auv_case(PRODUCT_ALUMINUM, 5.96, &h, 0, NULL);
	auv_case(PRODUCT_ALUMINUM, 5.94, &h, 1, "$5.95 to $16.80");
	/* Inside the fixed bounds yet far from this code's prices. */
	auv_case(PRODUCT_ALUMINUM, 100.0, &h, 1, "above");
	auv_case(PRODUCT_ALUMINUM, 1.0, &h, 1, "below");
}
END_TEST

/* Each line is judged by its own history. */
START_TEST(test_history_per_line)
{
	struct lic		 b;
	struct line_history	 hist[3];
	struct report		 r;
	double			 v[3] = { 300.0, 300.0, 300.0 };

	mklic(&b, PRODUCT_ALUMINUM, 3, v, NULL);
	memset(hist, 0, sizeof(hist));
	hist[0].hts_lines = 30;
	hist[0].median_ln_auv = log(300.0);
	hist[0].mad_ln_auv = 0.1;
	hist[1].hts_lines = 29;
	hist[1].median_ln_auv = log(300.0);
	hist[1].mad_ln_auv = 0.1;
	hist[2].hts_lines = 500;
	hist[2].median_ln_auv = log(20.0);
	hist[2].mad_ln_auv = 0.1;
	report_init(&r);
	ck_assert_uint_eq(rules_flag(&b.l, hist, &r), 4);
	ck_assert_msg(!has_flag(&r, "lines[1].customs_value_usd") &&
	    has_flag(&r, "lines[2].customs_value_usd") &&
	    has_flag(&r, "lines[2].volume_kg") &&
	    has_flag(&r, "lines[3].customs_value_usd") &&
	    has_flag(&r, "lines[3].volume_kg"), "%s", listed(&r));
	ck_assert_uint_eq(r.nerrors, 0);
	report_free(&r);
}
END_TEST

/* ---- rare country of origin ---- */

/*
 * Flags a license whose n lines (groups g, $10/kg) have the given
 * group/origin counts; returns the number of rare-origin flags, after
 * checking that no other flag came.
 */
static size_t
rare(size_t n, const char *const *g, const long *group, const long *from,
    struct report *r)
{
	struct lic		 b;
	struct line_history	 hist[MAXLINES];
	double			 v[MAXLINES] = { 10, 10, 10, 10 };
	size_t			 i, k = 0;

	mklic(&b, PRODUCT_ALUMINUM, n, v, g);
	memset(hist, 0, sizeof(hist));
	for (i = 0; i < n; i++) {
		hist[i].group_licenses = group[i];
		hist[i].group_origin_licenses = from[i];
	}
	report_init(r);
	ck_assert_uint_eq(rules_flag(&b.l, hist, r), r->nflags);
	ck_assert_uint_eq(r->nerrors, 0);
	for (i = 0; i < r->nflags; i++) {
		ck_assert_msg(strcmp(r->flags[i].field, "country_of_origin")
		    == 0, "unexpected flag: %s", listed(r));
		k++;
	}
	return k;
}

START_TEST(test_rare_origin)
{
	static const char *const one[] = { "Foil" };
	static const struct {
		long	 group;
		long	 from;
		size_t	 flags;
	} c[] = {
		{ 50, 2, 1 },
		{ 50, 0, 1 },
		{ 50, 1, 1 },
		{ 50, 3, 0 },
		{ 50, 4, 0 },
		{ 49, 0, 0 },
		{ 49, 2, 0 },
		{ 100000, 2, 1 },
		{ 100000, 3, 0 },
		{ 0, 0, 0 },
	};
	struct report	 r;
	size_t		 i;

	for (i = 0; i < NELEM(c); i++) {
		ck_assert_msg(rare(1, one, &c[i].group, &c[i].from, &r) ==
		    c[i].flags, "group %ld, origin %ld: %s", c[i].group,
		    c[i].from, listed(&r));
		report_free(&r);
	}

	/* What the filer reads. */
	{
		static const long	 g = 50, o = 2;

		ck_assert_uint_eq(rare(1, one, &g, &o, &r), 1);
		ck_assert_msg(strstr(r.flags[0].message, "Germany") != NULL &&
		    strstr(r.flags[0].message, "Foil") != NULL &&
		    strstr(r.flags[0].message, "2 of 50") != NULL, "%s",
		    r.flags[0].message);
		report_free(&r);
	}
}
END_TEST

/* One flag per product group, however many lines share it. */
START_TEST(test_rare_origin_groups)
{
	static const char *const same[] = { "Foil", "Foil" };
	static const char *const two[] = { "Foil", "Can Stock" };
	static const char *const aba[] = { "Foil", "Can Stock", "Foil" };
	static const char *const aab[] = { "Foil", "Foil", "Can Stock",
	    "Foil" };
	static const long	 g50[] = { 50, 50, 50, 50 };
	static const long	 o2[] = { 2, 2, 2, 2 };
	static const long	 o_mixed[] = { 3, 2, 2, 2 };
	static const long	 g_mixed[] = { 49, 50, 50, 50 };
	struct report		 r;

	ck_assert_uint_eq(rare(2, same, g50, o2, &r), 1);
	report_free(&r);
	ck_assert_uint_eq(rare(2, two, g50, o2, &r), 2);
	ck_assert_msg(strstr(r.flags[0].message, "Foil") != NULL &&
	    strstr(r.flags[1].message, "Can Stock") != NULL, "%s",
	    listed(&r));
	report_free(&r);
	ck_assert_uint_eq(rare(3, aba, g50, o2, &r), 2);
	report_free(&r);
	ck_assert_uint_eq(rare(4, aab, g50, o2, &r), 2);
	report_free(&r);
	/* The first line of a group is not rare: the second still is. */
	ck_assert_uint_eq(rare(2, same, g50, o_mixed, &r), 1);
	ck_assert_msg(strstr(r.flags[0].message, "2 of 50") != NULL, "%s",
	    listed(&r));
	report_free(&r);
	ck_assert_uint_eq(rare(2, same, g_mixed, o2, &r), 1);
	report_free(&r);
}
END_TEST

/* No history: only the fixed unit-value bounds apply. */
START_TEST(test_no_history)
{
	struct lic	 b;
	struct report	 r;
	double		 v[3] = { 10.0, 0.1, 10.0 };

	mklic(&b, PRODUCT_ALUMINUM, 3, v, NULL);
	report_init(&r);
	ck_assert_uint_eq(rules_flag(&b.l, NULL, &r), 2);
	ck_assert(has_flag(&r, "lines[2].customs_value_usd"));
	ck_assert(has_flag(&r, "lines[2].volume_kg"));
	ck_assert(!has_flag(&r, "country_of_origin"));
	report_free(&r);

	/* A low value license has no lines, so nothing to flag. */
	mklic(&b, PRODUCT_ALUMINUM, 0, v, NULL);
	b.l.ltype = LTYPE_LOW_VALUE;
	report_init(&r);
	ck_assert_uint_eq(rules_flag(&b.l, NULL, &r), 0);
	ck_assert_uint_eq(r.nflags, 0);
	report_free(&r);
}
END_TEST

/* Both kinds at once; the count is of this call's flags. */
START_TEST(test_flags_add_up)
{
	struct lic		 b;
	struct line_history	 hist[2];
	struct report		 r;
	double			 v[2] = { 1000.0, 10.0 };

	mklic(&b, PRODUCT_ALUMINUM, 2, v, NULL);
	memset(hist, 0, sizeof(hist));
	hist[0].group_licenses = hist[1].group_licenses = 80;
	hist[0].group_origin_licenses = hist[1].group_origin_licenses = 1;
	report_init(&r);
	report_flag(&r, 0, "earlier", "An earlier flag.");
	report_error(&r, 0, "earlier", "An earlier error.");
	ck_assert_uint_eq(rules_flag(&b.l, hist, &r), 3);
	ck_assert_uint_eq(r.nflags, 4);
	ck_assert_uint_eq(r.nerrors, 1);
	ck_assert(has_flag(&r, "lines[1].customs_value_usd"));
	ck_assert(has_flag(&r, "lines[1].volume_kg"));
	ck_assert(has_flag(&r, "country_of_origin"));
	ck_assert(!report_has_error(&r, "country_of_origin"));
	report_free(&r);
}
END_TEST

/* ---- from a form, as the registry does it ---- */

static void
fset(struct form *f, enum hfield h, const char *v)
{
	if (form_set(f, h, v, strlen(v)) == -1)
		ck_abort_msg("form_set: out of memory");
}

static void
lput(struct form_line *l, enum lfield k, const char *v)
{
	if (form_line_set(l, k, v, strlen(v)) == -1)
		ck_abort_msg("form_line_set: out of memory");
}

/* A valid one-line form with this value and weight. */
static struct form *
form_of(enum product p, const char *usd, const char *kg)
{
	struct form		*f;
	struct form_line	*l;

	if ((f = form_new()) == NULL || (l = form_add_line(f)) == NULL)
		ck_abort_msg("out of memory");
	fset(f, HF_PRODUCT, product_names[p]);
	fset(f, HF_ENTRY_TYPE, "consumption");
	fset(f, HF_IMPORTER_NAME, "ACME Metals, Inc.");
	fset(f, HF_EXPORTER_NAME, "Rhein Export GmbH");
	fset(f, HF_MANUFACTURER_NAME, "unknown");
	fset(f, HF_COUNTRY_OF_ORIGIN, "Germany");
	fset(f, HF_COUNTRY_OF_EXPORTATION, "Germany");
	fset(f, HF_EXPECTED_EXPORT_DATE, "2026-01-20");
	fset(f, HF_EXPECTED_IMPORT_DATE, "2026-02-10");
	fset(f, HF_PORT_OF_ENTRY, "Baltimore, MD");
	lput(l, LF_CUSTOMS_VALUE_USD, usd);
	lput(l, LF_VOLUME_KG, kg);
	if (p == PRODUCT_STEEL) {
		lput(l, LF_HTS_CODE, "7208100000");
		lput(l, LF_COUNTRY_OF_MELT_AND_POUR, "Japan");
	} else {
		lput(l, LF_HTS_CODE, "7601103000");
		lput(l, LF_COUNTRY_OF_LARGEST_SMELT, "Canada");
		lput(l, LF_COUNTRY_OF_SECOND_LARGEST_SMELT, "not applicable");
		lput(l, LF_COUNTRY_OF_MOST_RECENT_CAST, "Germany");
	}
	return f;
}

START_TEST(test_from_form)
{
	static const struct {
		enum product	 p;
		const char	*usd;
		const char	*kg;
		size_t		 flags;
	} c[] = {
		{ PRODUCT_ALUMINUM, "500", "1000", 0 },		/* $0.50 */
		{ PRODUCT_ALUMINUM, "499.99", "1000", 2 },
		{ PRODUCT_ALUMINUM, "490", "1000", 2 },		/* $0.49 */
		{ PRODUCT_ALUMINUM, "200,000", "1000", 0 },	/* $200 */
		{ PRODUCT_ALUMINUM, "200,010", "1000", 2 },	/* $200.01 */
		{ PRODUCT_ALUMINUM, "0.50", "1", 0 },
		{ PRODUCT_ALUMINUM, "0.49", "1", 2 },
		/* Tons typed as kg: $2,500 for 1 "kg". */
		{ PRODUCT_ALUMINUM, "2500", "1", 2 },
		{ PRODUCT_STEEL, "200", "1000", 0 },		/* $0.20 */
		{ PRODUCT_STEEL, "199.99", "1000", 2 },
		{ PRODUCT_STEEL, "100,000", "1000", 0 },	/* $100 */
		{ PRODUCT_STEEL, "100,010", "1000", 2 },
		{ PRODUCT_STEEL, "0.2", "1", 0 },
		{ PRODUCT_STEEL, "100", "0.999", 2 },
	};
	struct form	*f;
	struct report	 r;
	struct license	*lic;
	size_t		 i;
	int		 app = date_from_ymd(2026, 1, 15);

	for (i = 0; i < NELEM(c); i++) {
		f = form_of(c[i].p, c[i].usd, c[i].kg);
		report_init(&r);
		lic = NULL;
		ck_assert_msg(rules_check(f, app, &r, &lic) == 0 &&
		    lic != NULL, "%s %s/%s: %s", product_names[c[i].p],
		    c[i].usd, c[i].kg, r.nerrors ? r.errors[0].message : "");
		ck_assert_uint_eq(rules_flag(lic, NULL, &r), c[i].flags);
		ck_assert_msg(r.nflags == c[i].flags, "%s %s/%s: %s",
		    product_names[c[i].p], c[i].usd, c[i].kg, listed(&r));
		if (c[i].flags)
			ck_assert(has_flag(&r, "lines[1].customs_value_usd") &&
			    has_flag(&r, "lines[1].volume_kg"));
		ck_assert_uint_eq(r.nerrors, 0);
		license_free(lic);
		report_free(&r);
		form_free(f);
	}
}
END_TEST

/* ---- median and MAD ---- */

START_TEST(test_median_mad)
{
	static const struct {
		size_t	 n;
		double	 v[8];
		double	 median;
		double	 mad;
	} c[] = {
		{ 1, { 5 }, 5, 0 },
		{ 2, { 10, 0 }, 5, 5 },
		{ 3, { 3, 1, 2 }, 2, 1 },
		{ 4, { 4, 1, 3, 2 }, 2.5, 1 },
		{ 5, { -3, 10, 0, 2, -1 }, 0, 2 },
		{ 7, { 9, 1, 2, 6, 1, 4, 2 }, 2, 1 },
		{ 6, { 1, 1, 1, 1, 1, 1 }, 1, 0 },
		{ 8, { 8, 7, 6, 5, 4, 3, 2, 1 }, 4.5, 2 },
		{ 4, { 0.5, 0.25, 1.5, 100 }, 1, 0.625 },
	};
	double	 v[31], m, mad;
	size_t	 i;

	for (i = 0; i < NELEM(c); i++) {
		memcpy(v, c[i].v, c[i].n * sizeof(v[0]));
		rules_median_mad(v, c[i].n, &m, &mad);
		ck_assert_msg(m == c[i].median && mad == c[i].mad,
		    "case %zu: median %g mad %g, want %g %g", i, m, mad,
		    c[i].median, c[i].mad);
	}

	/* 0..30 shuffled: median 15; deviations 0,1,1,...,15,15: MAD 8. */
	for (i = 0; i < 31; i++)
		v[i] = (double)((i * 7) % 31);
	rules_median_mad(v, 31, &m, &mad);
	ck_assert_double_eq(m, 15);
	ck_assert_double_eq(mad, 8);

	/* Logs of unit values, as the registry passes them. */
	for (i = 0; i < 30; i++)
		v[i] = log(10.0);
	v[30] = log(1000.0);
	rules_median_mad(v, 31, &m, &mad);
	ck_assert_double_eq_tol(m, log(10.0), 1e-12);
	ck_assert_double_eq(mad, 0);
}
END_TEST

Suite *
suite_flags(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("flags");

	tc = tcase_create("flags");
	tcase_add_test(tc, test_fixed_aluminum);
	tcase_add_test(tc, test_fixed_steel);
	tcase_add_test(tc, test_short_history);
	tcase_add_test(tc, test_history_bounds);
	tcase_add_test(tc, test_history_per_line);
	tcase_add_test(tc, test_rare_origin);
	tcase_add_test(tc, test_rare_origin_groups);
	tcase_add_test(tc, test_no_history);
	tcase_add_test(tc, test_flags_add_up);
	tcase_add_test(tc, test_median_mad);
	suite_add_tcase(s, tc);

	tc = tcase_create("form");
	tcase_add_checked_fixture(tc, tests_init_tables, NULL);
	tcase_add_test(tc, test_from_form);
	suite_add_tcase(s, tc);
	return s;
}
