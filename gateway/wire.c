/*
 * The worker <-> writer messages: a flat run of 8-byte integers and
 * length-prefixed strings (a length of UINT32_MAX is NULL).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/limits.h"
#include "wire.h"

#define NUL_STR		UINT32_MAX

static void
put_int(struct buf *b, int64_t v)
{
	buf_add(b, &v, sizeof(v));
}

static void
put_str(struct buf *b, const char *s)
{
	uint32_t	 n = s == NULL ? NUL_STR : (uint32_t)strlen(s);

	buf_add(b, &n, sizeof(n));
	if (s != NULL)
		buf_add(b, s, n);
}

/* A reader over one message; a short or bad read sets bad. */
struct rd {
	const char	*p;
	size_t		 left;
	int		 bad;
};

static int64_t
get_int(struct rd *r, int64_t min, int64_t max)
{
	int64_t	 v = 0;

	if (r->left < sizeof(v)) {
		r->bad = 1;
		return min;
	}
	memcpy(&v, r->p, sizeof(v));
	r->p += sizeof(v);
	r->left -= sizeof(v);
	if (v < min || v > max) {
		r->bad = 1;
		return min;
	}
	return v;
}

/* A fresh string (NULL for a NULL); sets bad on error. */
static char *
get_str(struct rd *r)
{
	uint32_t	 n;
	char		*s;

	if (r->left < sizeof(n)) {
		r->bad = 1;
		return NULL;
	}
	memcpy(&n, r->p, sizeof(n));
	r->p += sizeof(n);
	r->left -= sizeof(n);
	if (n == NUL_STR)
		return NULL;
	if (n > r->left || memchr(r->p, '\0', n) != NULL ||
	    (s = malloc(n + 1)) == NULL) {
		r->bad = 1;
		return NULL;
	}
	memcpy(s, r->p, n);
	s[n] = '\0';
	r->p += n;
	r->left -= n;
	return s;
}

/* Into a fixed buffer: a string that does not fit is malformed. */
static void
get_fixed(struct rd *r, char *out, size_t sz)
{
	char	*s = get_str(r);

	out[0] = '\0';
	if (s != NULL && strlen(s) >= sz)
		r->bad = 1;
	else if (s != NULL)
		memcpy(out, s, strlen(s) + 1);
	free(s);
}

static void
put_line(struct buf *b, const struct license_line *l)
{
	double	 d = l->usd_per_kg;

	put_str(b, l->hts_code);
	put_str(b, l->product_group);
	put_int(b, l->value_cents);
	put_int(b, l->grams);
	buf_add(b, &d, sizeof(d));
	put_str(b, l->largest_smelt);
	put_str(b, l->second_smelt);
	put_str(b, l->most_recent_cast);
	put_str(b, l->melt_and_pour);
}

int
wire_put_submit(struct buf *b, const struct actor *a,
    const struct license *lic, int app)
{
	size_t	 i;

	put_int(b, a->account_id);
	put_str(b, a->who);
	put_str(b, a->channel);
	put_int(b, a->synthetic);
	put_int(b, app);
	put_int(b, lic->product);
	put_int(b, lic->ltype);
	put_int(b, lic->entry);
	put_str(b, lic->importer_name);
	put_str(b, lic->exporter_name);
	put_str(b, lic->manufacturer_name);
	put_str(b, lic->country_of_origin);
	put_str(b, lic->country_of_exportation);
	put_int(b, lic->export_date);
	put_int(b, lic->import_date);
	put_str(b, lic->port_of_entry);
	put_str(b, lic->customs_entry_number);
	put_int(b, lic->application_date);
	put_int(b, lic->nlines);
	for (i = 0; i < lic->nlines; i++)
		put_line(b, &lic->lines[i]);
	return b->overflow ? -1 : 0;
}

static void
get_line(struct rd *r, struct license_line *l)
{
	double	 d = 0;

	get_fixed(r, l->hts_code, sizeof(l->hts_code));
	get_fixed(r, l->product_group, sizeof(l->product_group));
	l->value_cents = get_int(r, 0, INT64_MAX);
	l->grams = get_int(r, 0, INT64_MAX);
	if (r->left < sizeof(d))
		r->bad = 1;
	else {
		memcpy(&d, r->p, sizeof(d));
		r->p += sizeof(d);
		r->left -= sizeof(d);
	}
	l->usd_per_kg = d;
	l->largest_smelt = get_str(r);
	l->second_smelt = get_str(r);
	l->most_recent_cast = get_str(r);
	l->melt_and_pour = get_str(r);
}

int
wire_get_submit(const char *p, size_t len, struct wire_submit *w)
{
	struct rd	 r = { p, len, 0 };
	struct license	*lic;
	size_t		 i, n;

	memset(w, 0, sizeof(*w));
	if ((lic = w->lic = calloc(1, sizeof(*lic))) == NULL)
		return -1;
	w->actor.account_id = get_int(&r, INT64_MIN, INT64_MAX);
	w->actor.who = w->who = get_str(&r);
	w->actor.channel = w->channel = get_str(&r);
	w->actor.synthetic = get_int(&r, 0, 1);
	w->app = get_int(&r, INT32_MIN, INT32_MAX);
	lic->product = get_int(&r, 0, PRODUCT__MAX - 1);
	lic->ltype = get_int(&r, 0, LTYPE__MAX - 1);
	lic->entry = get_int(&r, 0, ENTRY__MAX - 1);
	lic->importer_name = get_str(&r);
	lic->exporter_name = get_str(&r);
	lic->manufacturer_name = get_str(&r);
	lic->country_of_origin = get_str(&r);
	lic->country_of_exportation = get_str(&r);
	lic->export_date = get_int(&r, INT32_MIN, INT32_MAX);
	lic->import_date = get_int(&r, INT32_MIN, INT32_MAX);
	lic->port_of_entry = get_str(&r);
	lic->customs_entry_number = get_str(&r);
	lic->application_date = get_int(&r, INT32_MIN, INT32_MAX);
	n = get_int(&r, 0, LIM_LINES);
	if (!r.bad && n > 0 &&
	    (lic->lines = calloc(n, sizeof(*lic->lines))) == NULL)
		r.bad = 1;
	for (i = 0; !r.bad && i < n; i++) {
		lic->nlines++;
		get_line(&r, &lic->lines[i]);
	}
	if (r.bad || r.left != 0) {
		wire_submit_free(w);
		return -1;
	}
	return 0;
}

void
wire_submit_free(struct wire_submit *w)
{
	free(w->who);
	free(w->channel);
	license_free(w->lic);
	memset(w, 0, sizeof(*w));
}

int
wire_put_result(struct buf *b, enum reg_err e, const struct reg_result *res)
{
	size_t	 i;

	put_int(b, e);
	put_int(b, res->dberr);
	put_str(b, res->number);
	put_int(b, res->status);
	put_int(b, res->version);
	put_str(b, res->valid_from);
	put_str(b, res->valid_through);
	put_int(b, res->report.nflags);
	for (i = 0; i < res->report.nflags; i++) {
		put_str(b, res->report.flags[i].field);
		put_str(b, res->report.flags[i].message);
	}
	return b->overflow ? -1 : 0;
}

int
wire_get_result(const char *p, size_t len, enum reg_err *e,
    struct reg_result *res)
{
	struct rd	 r = { p, len, 0 };
	char		*field, *msg;
	size_t		 i, n;

	*e = get_int(&r, 0, REG__MAX - 1);
	res->dberr = get_int(&r, 0, DB__MAX - 1);
	get_fixed(&r, res->number, sizeof(res->number));
	res->status = get_int(&r, 0, STATUS__MAX - 1);
	res->version = get_int(&r, 0, INT32_MAX);
	get_fixed(&r, res->valid_from, sizeof(res->valid_from));
	get_fixed(&r, res->valid_through, sizeof(res->valid_through));
	n = get_int(&r, 0, LIM_REPORT_ITEMS + 1);
	for (i = 0; !r.bad && i < n; i++) {
		field = get_str(&r);
		msg = get_str(&r);
		if (!r.bad && field != NULL && msg != NULL)
			report_flag(&res->report, 0, field, "%s", msg);
		else
			r.bad = 1;
		free(field);
		free(msg);
	}
	return r.bad || r.left != 0 ? -1 : 0;
}
