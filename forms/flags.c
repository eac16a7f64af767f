/*
 * Action Required (DOMAIN.md section 6 decisions): a rare country of
 * origin for a product group, or a unit value far from what that HTS
 * code usually costs.  Flags never make a form invalid; the filer
 * confirms or corrects.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

/* Robust z: 1.4826 x MAD estimates the standard deviation. */
#define MAD_SCALE	1.4826

static const double auv_bounds[PRODUCT__MAX][2] = {
	{ 0.50, 200.0 },	/* aluminum, $ per kg */
	{ 0.20, 100.0 },	/* steel */
};

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median_sorted(const double *v, size_t n)
{
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

void
rules_median_mad(double *v, size_t n, double *median, double *mad)
{
	qsort(v, n, sizeof(*v), cmp_double);
	rules_median_mad_sorted(v, n, median, mad);
}

void
rules_median_mad_sorted(const double *v, size_t n, double *median,
    double *mad)
{
	size_t	 lo, hi, k;
	double	 m, d, prev = 0;

	m = median_sorted(v, n);
	/* The deviations in order, without sorting them: outwards from
	 * the median, those below and those above each grow, so the
	 * smaller of the next two is the next.  Up to the middle one(s). */
	for (hi = 0; hi < n && v[hi] < m; hi++)
		continue;
	lo = hi;
	for (k = 0; k <= n / 2; k++) {
		if (lo > 0 && (hi == n || fabs(v[lo - 1] - m) <=
		    fabs(v[hi] - m)))
			d = fabs(v[--lo] - m);
		else
			d = fabs(v[hi++] - m);
		if (k == n / 2)
			break;
		prev = d;
	}
	*median = m;
	*mad = n % 2 ? d : (prev + d) / 2.0;
}

static void
usd(double x, char *out, size_t sz)
{
	snprintf(out, sz, x >= 0.1 ? "$%.2f" : "$%.4f", x);
}

static void
flag_auv(const struct license *lic, size_t i, const struct line_history *h,
    struct report *r)
{
	const struct license_line *l = &lic->lines[i];
	double		 lo, hi, spread;
	const char	*why;
	char		 v[32], a[32], b[32];

	if (h != NULL && h->hts_lines >= RULES_AUV_MIN_LINES) {
		spread = RULES_AUV_Z * MAD_SCALE * h->mad_ln_auv;
		lo = exp(h->median_ln_auv - spread);
		hi = exp(h->median_ln_auv + spread);
		why = "the usual range for this HTS code over the last year";
		if (fabs(log(l->usd_per_kg) - h->median_ln_auv) <= spread)
			return;
	} else {
		lo = auv_bounds[lic->product][0];
		hi = auv_bounds[lic->product][1];
		why = "the expected range";
		if (l->usd_per_kg >= lo && l->usd_per_kg <= hi)
			return;
	}
	/* Both inputs of the unit value are highlighted: either may be off.
	 * Tiny unit values get more decimals: "$0.00" would say nothing. */
	usd(l->usd_per_kg, v, sizeof(v));
	usd(lo, a, sizeof(a));
	usd(hi, b, sizeof(b));
	report_flag(r, i + 1, "customs_value_usd", "The unit value, %s per "
	    "kg, is %s %s of %s to %s per kg: check the customs value and the "
	    "kilograms (metric tons or pounds typed as kg?).", v,
	    l->usd_per_kg < lo ? "below" : "above", why, a, b);
	report_flag(r, i + 1, "volume_kg", "The unit value, %s per kg, is %s "
	    "%s of %s to %s per kg: check the kilograms and the customs "
	    "value.", v, l->usd_per_kg < lo ? "below" : "above", why, a, b);
}

size_t
rules_flag(const struct license *lic, const struct line_history *hist,
    struct report *r)
{
	size_t		 i, j, before = r->nflags;
	int		 seen;

	for (i = 0; i < lic->nlines; i++) {
		const struct line_history *h = hist ? &hist[i] : NULL;

		flag_auv(lic, i, h, r);
		if (h == NULL || h->group_licenses < RULES_RARE_GROUP_MIN ||
		    h->group_origin_licenses >= RULES_RARE_ORIGIN_MIN)
			continue;
		/* One flag per product group, however many lines share it. */
		for (seen = 0, j = 0; j < i; j++)
			if (strcmp(lic->lines[j].product_group,
			    lic->lines[i].product_group) == 0 &&
			    hist[j].group_licenses
			    >= RULES_RARE_GROUP_MIN && hist[j].group_origin_licenses
			    < RULES_RARE_ORIGIN_MIN)
				seen = 1;
		if (!seen)
			report_flag(r, 0, "country_of_origin", "%s is a rare "
			    "country of origin for %s: %ld of %ld licenses "
			    "in the last year came from there. Confirm the "
			    "country of origin, or correct it.",
			    lic->country_of_origin,
			    lic->lines[i].product_group,
			    h->group_origin_licenses, h->group_licenses);
	}
	return r->nflags - before;
}
