/*
 * The public monitor's JSON and CSV API (docs/api.md, Monitor): anyone
 * may ask, no token.  The figures and their disclosure control come
 * from db/monitor.c; this file reads the parameters and writes the
 * answers.  Answers are the same for everyone until a license changes,
 * so each worker keeps the last few, keyed by the question and the
 * roll-ups' generation, and clients and proxies may keep them a minute.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "lib/date.h"
#include "lib/limits.h"
#include "lib/log.h"
#include "forms/country.h"
#include "forms/disclosure.h"
#include "forms/hts.h"
#include "forms/surge.h"
#include "db/monitor.h"
#include "route.h"

/* Months of the default range, ending with the current month. */
#define DEFAULT_MONTHS	12
/*
 * Answers a worker keeps: this many, each and all together at most this
 * large (the oldest go first).  An answer of cells or surges is good
 * while its months have not changed (monitor_stamp), so filings for
 * other months leave it be; its updated_at is put in as it is now.
 */
#define CACHE_ENTRIES	512
#define CACHE_MAX_BYTES	(2 * 1024 * 1024)
#define CACHE_ALL_BYTES	(24 * 1024 * 1024)
#define CACHE_CONTROL	"public, max-age=60"

#define NOTE	"Figures come from import licenses, not official trade " \
		"statistics."

struct cached {
	char		*key;
	uint64_t	 stamp;		/* what it is good for */
	int		 status;
	char		 type[48];
	char		*disposition;
	char		*body;
	size_t		 len;
	size_t		 upd, nupd;	/* updated_at's value in the body
					 * (nupd 0: none) */
};

static struct cached	 cache[CACHE_ENTRIES];
static size_t		 cache_next, cache_bytes;

/* An optional JSON string: the string, or null. */
static void json_opt(struct buf *, const char *);

/* The answer to a question asked before, if it is still good. */
static int
cache_get(struct req *r, const char *key, uint64_t stamp,
    const char *updated)
{
	const struct cached	*c;
	size_t			 i;

	if (stamp == 0)
		return 0;
	for (i = 0; i < CACHE_ENTRIES; i++) {
		c = &cache[i];
		if (c->key == NULL || c->stamp != stamp ||
		    strcmp(c->key, key) != 0)
			continue;
		r->status = c->status;
		resp_header(r, "Content-Type", c->type);
		if (c->disposition != NULL)
			resp_header(r, "Content-Disposition", c->disposition);
		resp_header(r, "Cache-Control", CACHE_CONTROL);
		buf_reset(&r->out);
		if (c->nupd == 0) {
			buf_add(&r->out, c->body, c->len);
			return 1;
		}
		buf_add(&r->out, c->body, c->upd);
		json_opt(&r->out, *updated ? updated : NULL);
		buf_add(&r->out, c->body + c->upd + c->nupd,
		    c->len - c->upd - c->nupd);
		return 1;
	}
	return 0;
}

static void
cache_drop(struct cached *c)
{
	if (c->key != NULL)
		cache_bytes -= c->len;
	free(c->key);
	free(c->body);
	free(c->disposition);
	memset(c, 0, sizeof(*c));
}

/* Keeps the answer just written (upd, nupd: where its updated_at is,
 * nupd 0 none). */
static void
cache_put(const struct req *r, const char *key, uint64_t stamp,
    const char *type, const char *disposition, size_t upd, size_t nupd)
{
	struct cached	*c;
	size_t		 i;

	if (stamp == 0 || r->out.overflow || r->out.len > CACHE_MAX_BYTES)
		return;
	for (i = 0; i < CACHE_ENTRIES &&
	    cache_bytes + r->out.len > CACHE_ALL_BYTES; i++)
		cache_drop(&cache[(cache_next + i) % CACHE_ENTRIES]);
	c = &cache[cache_next];
	cache_next = (cache_next + 1) % CACHE_ENTRIES;
	cache_drop(c);
	if ((c->key = strdup(key)) == NULL ||
	    (c->body = malloc(r->out.len + 1)) == NULL ||
	    (disposition != NULL &&
	    (c->disposition = strdup(disposition)) == NULL)) {
		free(c->key);
		free(c->body);
		free(c->disposition);
		memset(c, 0, sizeof(*c));
		return;
	}
	memcpy(c->body, r->out.p, r->out.len);
	c->len = r->out.len;
	c->stamp = stamp;
	c->status = r->status;
	c->upd = upd;
	c->nupd = nupd;
	snprintf(c->type, sizeof(c->type), "%s", type);
	cache_bytes += c->len;
}

static void
unavailable(struct req *r)
{
	log_msg(LOG_LVL_ERR, "monitor %s: %s", r->path, r->db->errmsg);
	resp_header(r, "Retry-After", "1");
	resp_json_error(r, 503, "unavailable", "try again");
}

static void
bad_param(struct req *r, const char *param, const char *message)
{
	json_t	*v;

	if ((v = json_pack("{s:s, s:s, s:s}", "error", "bad_request",
	    "param", param, "message", message)) == NULL)
		unavailable(r);
	else
		resp_json(r, 400, v);
}

/* ----- parameters ----- */

/* A parameter, NULL when absent or empty; too long is refused. */
static int
param(struct req *r, const char *name, const char **out)
{
	const char	*s = kv_get(&r->query, name);

	*out = NULL;
	if (s == NULL || *s == '\0')
		return 0;
	if (strlen(s) > LIM_FIELD_BYTES) {
		bad_param(r, name, "The value is too long.");
		return -1;
	}
	*out = s;
	return 0;
}

static int
param_product(struct req *r, int required, enum product *p)
{
	const char	*s;
	int		 i;

	if (param(r, "product", &s) == -1)
		return -1;
	if (s == NULL && !required) {
		*p = PRODUCT__MAX;
		return 0;
	}
	for (i = 0; s != NULL && i < PRODUCT__MAX; i++)
		if (strcmp(s, product_names[i]) == 0) {
			*p = i;
			return 0;
		}
	bad_param(r, "product", "Give product=aluminum or product=steel.");
	return -1;
}

static int
param_month(struct req *r, const char *name, int *m)
{
	const char	*s;
	char		 msg[96];

	if (param(r, name, &s) == -1)
		return -1;
	if (s == NULL)
		return 0;
	if (mon_month_parse(s, m) == -1) {
		snprintf(msg, sizeof(msg), "%s must be a month, YYYY-MM.",
		    name);
		bad_param(r, name, msg);
		return -1;
	}
	return 1;
}

/* from and to (YYYY-MM), defaulting to the months ending now. */
static int
param_range(struct req *r, int *from, int *to)
{
	int	 y, m, d, hf, ht;
	char	 msg[96];

	date_to_ymd(req_today(r), &y, &m, &d);
	*to = y * 12 + m - 1;
	*from = *to - (DEFAULT_MONTHS - 1);
	if ((hf = param_month(r, "from", from)) == -1 ||
	    (ht = param_month(r, "to", to)) == -1)
		return -1;
	/* Only from: a year from it; only to: the year before it. */
	if (hf && !ht)
		*to = *from + (DEFAULT_MONTHS - 1);
	else if (ht && !hf)
		*from = *to - (DEFAULT_MONTHS - 1);
	if (*from > *to) {
		bad_param(r, "from", "from is after to.");
		return -1;
	}
	if (*to - *from + 1 > MON_MAX_MONTHS) {
		snprintf(msg, sizeof(msg), "Ask for at most %d months at "
		    "once.", MON_MAX_MONTHS);
		bad_param(r, "to", msg);
		return -1;
	}
	return 0;
}

static int
param_format(struct req *r, int *csv)
{
	const char	*s;

	*csv = 0;
	if (param(r, "format", &s) == -1)
		return -1;
	if (s == NULL || strcmp(s, "json") == 0)
		return 0;
	if (strcmp(s, "csv") == 0) {
		*csv = 1;
		return 0;
	}
	bad_param(r, "format", "Give format=json or format=csv.");
	return -1;
}

/* by=DIM[,DIM]: distinct dimensions the product has. */
static int
param_by(struct req *r, struct mon_query *q)
{
	const char	*s, *p;
	char		 name[40], msg[256];
	size_t		 n;
	int		 d;

	if (param(r, "by", &s) == -1)
		return -1;
	q->nby = 0;
	if (s == NULL)
		s = "month";
	for (p = s; ; p += n + 1) {
		n = strcspn(p, ",");
		if (q->nby == MON_MAX_BY) {
			bad_param(r, "by", "Give at most two dimensions.");
			return -1;
		}
		if (n == 0 || n >= sizeof(name)) {
			bad_param(r, "by", "Give one or two dimensions, "
			    "separated by a comma.");
			return -1;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		if ((d = mon_dim_find(name)) == -1) {
			snprintf(msg, sizeof(msg), "\"%s\" is not a dimension: "
			    "use month, product_group, hts6, "
			    "country_of_origin, country_of_largest_smelt, "
			    "country_of_most_recent_cast or "
			    "country_of_melt_and_pour.", name);
			bad_param(r, "by", msg);
			return -1;
		}
		if (!mon_dim_applies(d, q->product)) {
			snprintf(msg, sizeof(msg), "%s is not recorded for "
			    "%s.", name, product_names[q->product]);
			bad_param(r, "by", msg);
			return -1;
		}
		if (q->nby == 1 && q->by[0] == (enum mon_dim)d) {
			bad_param(r, "by", "Give two different dimensions.");
			return -1;
		}
		q->by[q->nby++] = d;
		if (p[n] == '\0')
			break;
	}
	return 0;
}

/* The filters; hts6 as six digits, a country by its canonical name. */
static int
param_filters(struct req *r, struct mon_query *q, char hts6[7])
{
	const char	*s, *canon;
	size_t		 i, n = 0;

	if (param(r, "product_group", &s) == -1)
		return -1;
	/* One of the product's groups (as meta lists them), by its own
	 * spelling: answers echo it. */
	q->group = NULL;
	for (i = 0; s != NULL && i < hts_group_count(q->product); i++)
		if (strcmp(s, hts_group_name(q->product, i)) == 0)
			q->group = hts_group_name(q->product, i);
	if (s != NULL && q->group == NULL) {
		bad_param(r, "product_group", "product_group must be one of "
		    "the product's groups, as /api/v1/monitor/meta lists "
		    "them.");
		return -1;
	}
	if (param(r, "hts6", &s) == -1)
		return -1;
	q->hts6 = NULL;
	if (s != NULL) {
		for (i = 0; s[i] != '\0'; i++) {
			if (s[i] == '.' || s[i] == ' ')
				continue;
			if (s[i] < '0' || s[i] > '9' || n == 6)
				break;
			hts6[n++] = s[i];
		}
		hts6[n] = '\0';
		if (s[i] != '\0' || n != 6) {
			bad_param(r, "hts6", "hts6 must be a 6-digit HTS "
			    "subheading, such as 760110 or 7601.10.");
			return -1;
		}
		q->hts6 = hts6;
	}
	if (param(r, "country", &s) == -1)
		return -1;
	q->origin = NULL;
	if (s != NULL) {
		if (country_lookup(s, &canon) == COUNTRY_UNKNOWN) {
			bad_param(r, "country", "country must be a country "
			    "of origin, spelled out.");
			return -1;
		}
		q->origin = canon;
	}
	return 0;
}

/* ----- figures ----- */

static int64_t
kg_of(int64_t grams)
{
	return (grams + 500) / 1000;
}

static int64_t
usd_of(int64_t cents)
{
	return (cents + 50) / 100;
}

static int64_t
per_ton(int64_t cents, int64_t grams)
{
	/* dollars / (grams / 10^6) = cents * 10^4 / grams */
	return grams > 0 ? llround((double)cents * 1e4 / (double)grams) : 0;
}

/*
 * JSON written as it goes: an answer of a thousand figures built as
 * jansson objects costs more than the figures themselves.  Strings are
 * license values, valid UTF-8 (forms/ checks): only quotes, backslashes
 * and control characters need escaping.
 */
static void
json_str(struct buf *b, const char *s)
{
	const char	*p;

	buf_puts(b, "\"");
	for (p = s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			buf_add(b, s, p - s);
			buf_puts(b, *p == '"' ? "\\\"" : "\\\\");
			s = p + 1;
		} else if ((unsigned char)*p < 0x20) {
			buf_add(b, s, p - s);
			buf_printf(b, "\\u%04x", (unsigned char)*p);
			s = p + 1;
		}
	}
	buf_add(b, s, p - s);
	buf_puts(b, "\"");
}

/* "name": "value", or null */
static void
json_member(struct buf *b, const char *name, const char *value, int first)
{
	if (!first)
		buf_puts(b, ", ");
	json_str(b, name);
	buf_puts(b, ": ");
	if (value != NULL)
		json_str(b, value);
	else
		buf_puts(b, "null");
}

static void
json_opt(struct buf *b, const char *s)
{
	if (s != NULL)
		json_str(b, s);
	else
		buf_puts(b, "null");
}

/* updated_at, noting where its value is (for answers kept). */
static void
json_updated(struct buf *b, const char *updated, size_t *at, size_t *n)
{
	buf_puts(b, "\"updated_at\": ");
	*at = b->len;
	json_opt(b, *updated ? updated : NULL);
	*n = b->len - *at;
}

/* A figure: its keys, then its figures or suppressed. */
static void
fig_json(struct buf *b, const struct mon_fig *f, const enum mon_dim *dims,
    size_t ndims)
{
	size_t	 i;

	buf_puts(b, "{");
	for (i = 0; i < ndims; i++)
		json_member(b, mon_dim_names[dims[i]], f->key[i] != NULL ?
		    f->key[i] : "", i == 0);
	if (ndims > 0)
		buf_puts(b, ", ");
	if (f->state == DISC_PUBLISHED)
		buf_printf(b, "\"kg\": %lld, \"value_usd\": %lld, "
		    "\"usd_per_metric_ton\": %lld, \"suppressed\": false}",
		    (long long)kg_of(f->grams), (long long)usd_of(f->cents),
		    (long long)per_ton(f->cents, f->grams));
	else
		buf_puts(b, "\"suppressed\": true}");
}

/* An array of figures, one a line. */
static void
figs_json(struct buf *b, const struct mon_fig *f, size_t n,
    const enum mon_dim *dims, size_t ndims)
{
	size_t	 i;

	buf_puts(b, "[");
	for (i = 0; i < n; i++) {
		buf_puts(b, i == 0 ? "\n    " : ",\n    ");
		fig_json(b, &f[i], dims, ndims);
	}
	buf_puts(b, n > 0 ? "\n  ]" : "]");
}

/* A CSV field: quoted when it must be. */
static void
csv_field(struct buf *b, const char *s, int first)
{
	if (!first)
		buf_puts(b, ",");
	if (strpbrk(s, ",\"\r\n") == NULL) {
		buf_puts(b, s);
		return;
	}
	buf_puts(b, "\"");
	for (; *s; s++)
		buf_add(b, s, 1 + (*s == '"'));
	buf_puts(b, "\"");
}

static void
csv_answer(struct req *r, const char *name, char *disp, size_t dispsz)
{
	snprintf(disp, dispsz, "attachment; filename=\"%s.csv\"", name);
	r->status = 200;
	resp_header(r, "Content-Type", "text/csv; charset=utf-8");
	resp_header(r, "Content-Disposition", disp);
}

static void
cells_csv(struct req *r, const struct mon_query *q,
    const struct mon_result *res, char *disp, size_t dispsz)
{
	const struct mon_fig	*f;
	char			 name[160];
	size_t			 i, j;

	snprintf(name, sizeof(name), "aim-monitor-%s%s%s%s%s-%s-%s",
	    product_names[q->product], q->nby > 0 ? "-" : "",
	    q->nby > 0 ? mon_dim_names[q->by[0]] : "", q->nby > 1 ? "-" : "",
	    q->nby > 1 ? mon_dim_names[q->by[1]] : "", q->from, q->to);
	csv_answer(r, name, disp, dispsz);
	buf_reset(&r->out);
	for (i = 0; i < q->nby; i++)
		csv_field(&r->out, mon_dim_names[q->by[i]], i == 0);
	buf_puts(&r->out, q->nby > 0 ? "," : "");
	buf_puts(&r->out, "kg,value_usd,usd_per_metric_ton,suppressed\r\n");
	for (j = 0; j < res->nrows; j++) {
		f = &res->rows[j];
		for (i = 0; i < q->nby; i++)
			csv_field(&r->out, f->key[i] != NULL ? f->key[i] : "",
			    i == 0);
		if (q->nby > 0)
			buf_puts(&r->out, ",");
		if (f->state == DISC_PUBLISHED)
			buf_printf(&r->out, "%lld,%lld,%lld,false\r\n",
			    (long long)kg_of(f->grams),
			    (long long)usd_of(f->cents),
			    (long long)per_ton(f->cents, f->grams));
		else
			buf_puts(&r->out, ",,,true\r\n");
	}
}

static void
cells_json(struct req *r, const struct mon_query *q,
    const struct mon_result *res, const char *updated, size_t *upd,
    size_t *nupd)
{
	struct buf	*b = &r->out;
	size_t		 i;

	r->status = 200;
	resp_header(r, "Content-Type", "application/json");
	buf_reset(b);
	buf_puts(b, "{\n  ");
	json_member(b, "product", product_names[q->product], 1);
	buf_puts(b, ",\n  \"by\": [");
	for (i = 0; i < q->nby; i++) {
		buf_puts(b, i > 0 ? ", " : "");
		json_str(b, mon_dim_names[q->by[i]]);
	}
	buf_puts(b, "],\n  ");
	json_member(b, "from", q->from, 1);
	json_member(b, "to", q->to, 0);
	buf_puts(b, ",\n  \"filters\": {");
	json_member(b, "product_group", q->group, 1);
	json_member(b, "hts6", q->hts6, 0);
	json_member(b, "country", q->origin, 0);
	buf_puts(b, "},\n  ");
	json_updated(b, updated, upd, nupd);
	buf_puts(b, ",\n  \"rows\": ");
	figs_json(b, res->rows, res->nrows, q->by, q->nby);
	if (q->nby == 2) {
		buf_puts(b, ",\n  \"margins\": {");
		for (i = 0; i < 2; i++) {
			buf_puts(b, i > 0 ? ",\n  " : "\n  ");
			json_str(b, mon_dim_names[q->by[i]]);
			buf_puts(b, ": ");
			figs_json(b, res->margin[i], res->nmargin[i],
			    &q->by[i], 1);
		}
		buf_puts(b, "\n  }");
	}
	buf_puts(b, ",\n  \"total\": ");
	if (res->total.state == DISC_EMPTY)
		buf_puts(b, "{\"kg\": 0, \"value_usd\": 0, "
		    "\"usd_per_metric_ton\": null, \"suppressed\": false}");
	else
		fig_json(b, &res->total, NULL, 0);
	buf_puts(b, "\n}\n");
}

/* The question as a cache key: every parameter as understood. */
static void
key_of(char *key, size_t sz, const char *what, const struct mon_query *q,
    int csv)
{
	snprintf(key, sz, "%s|%d|%d,%d,%d|%s|%s|%s|%s|%s|%d", what,
	    q->product, q->nby > 0 ? (int)q->by[0] : -1,
	    q->nby > 1 ? (int)q->by[1] : -1, (int)q->nby, q->from, q->to,
	    q->group ? q->group : "\x01", q->hts6 ? q->hts6 : "\x01",
	    q->origin ? q->origin : "\x01", csv);
}

static void
api_mon_cells(struct req *r)
{
	struct mon_query	 q;
	struct mon_result	 res;
	char			 hts6[7], updated[24], disp[256];
	char			 key[4 * LIM_FIELD_BYTES + 128];
	uint64_t		 stamp;
	int64_t			 gen;
	size_t			 upd = 0, nupd = 0;
	int			 from, to, csv;

	memset(&q, 0, sizeof(q));
	memset(&res, 0, sizeof(res));
	if (param_product(r, 1, &q.product) == -1 || param_by(r, &q) == -1 ||
	    param_range(r, &from, &to) == -1 ||
	    param_filters(r, &q, hts6) == -1 || param_format(r, &csv) == -1)
		return;
	mon_month_format(from, q.from);
	mon_month_format(to, q.to);
	if (monitor_state(r->db, &gen, updated) != DB_OK) {
		unavailable(r);
		return;
	}
	key_of(key, sizeof(key), "cells", &q, csv);
	if (monitor_stamp(r->db, q.from, q.to, &stamp) != DB_OK) {
		unavailable(r);
		return;
	}
	if (cache_get(r, key, stamp, updated))
		return;
	if (monitor_cells(r->db, &q, &res) != DB_OK) {
		unavailable(r);
		return;
	}
	if (csv) {
		cells_csv(r, &q, &res, disp, sizeof(disp));
		cache_put(r, key, stamp, "text/csv; charset=utf-8", disp, 0,
		    0);
	} else {
		cells_json(r, &q, &res, updated, &upd, &nupd);
		cache_put(r, key, stamp, "application/json", NULL, upd, nupd);
	}
	resp_header(r, "Cache-Control", CACHE_CONTROL);
	monitor_result_free(&res);
}

/* ----- surges ----- */

static void
surge_json(struct buf *b, const struct mon_surge *s)
{
	int64_t	 avg3 = s->trailing_grams, inc3;

	inc3 = s->grams * SURGE_TRAILING_MONTHS - avg3;
	buf_puts(b, "{");
	json_member(b, "month", s->month, 1);
	json_member(b, "product", product_names[s->product], 0);
	json_member(b, "product_group", s->group, 0);
	json_member(b, "country_of_origin", s->origin, 0);
	buf_printf(b, ", \"kg\": %lld, \"trailing_avg_kg\": %lld, "
	    "\"increase_kg\": %lld, \"value_usd\": %lld, "
	    "\"usd_per_metric_ton\": %lld, \"increase_pct\": ",
	    (long long)kg_of(s->grams),
	    (long long)kg_of(avg3 / SURGE_TRAILING_MONTHS),
	    (long long)kg_of(inc3 / SURGE_TRAILING_MONTHS),
	    (long long)usd_of(s->cents),
	    (long long)per_ton(s->cents, s->grams));
	if (avg3 > 0)
		buf_printf(b, "%lld}", (long long)llround((double)inc3 * 100 /
		    avg3));
	else
		buf_puts(b, "null}");
}

static void
surges_json(struct req *r, const struct mon_surge *s, size_t n,
    const char *from, const char *to, int f, int one_month,
    const char *updated, size_t *upd, size_t *nupd)
{
	struct buf	*b = &r->out;
	char		 m[8];
	size_t		 i;
	int		 k;

	r->status = 200;
	resp_header(r, "Content-Type", "application/json");
	buf_reset(b);
	buf_puts(b, "{\n  ");
	json_member(b, "from", from, 1);
	json_member(b, "to", to, 0);
	buf_puts(b, ",\n  \"trailing\": [");
	for (k = SURGE_TRAILING_MONTHS; k > 0; k--) {
		mon_month_format(f - k, m);
		buf_puts(b, k < SURGE_TRAILING_MONTHS ? ", " : "");
		json_str(b, m);
	}
	buf_printf(b, "],\n  \"rule\": {\"min_increase_pct\": %d, "
	    "\"min_increase_kg\": %lld, \"trailing_months\": %d},\n  ",
	    SURGE_MIN_PCT, (long long)(SURGE_MIN_GRAMS / 1000),
	    SURGE_TRAILING_MONTHS);
	json_updated(b, updated, upd, nupd);
	buf_puts(b, ",\n  \"surges\": [");
	for (i = 0; i < n; i++) {
		buf_puts(b, i == 0 ? "\n    " : ",\n    ");
		surge_json(b, &s[i]);
	}
	buf_puts(b, n > 0 ? "\n  ]" : "]");
	if (one_month) {
		buf_puts(b, ",\n  ");
		json_member(b, "month", from, 1);
	}
	buf_puts(b, "\n}\n");
}

static void
api_mon_surges(struct req *r)
{
	struct mon_surge	*s = NULL;
	char			 from[8], to[8], lo[8], updated[24], disp[256];
	char			 key[256], name[96];
	size_t			 n = 0, i;
	uint64_t		 stamp;
	int64_t			 gen;
	size_t			 upd = 0, nupd = 0;
	int			 f, t, hm, csv;
	enum product		 p;

	if (param_product(r, 0, &p) == -1 || param_format(r, &csv) == -1)
		return;
	/* month=YYYY-MM, or from/to for several (default: this month). */
	if ((hm = param_month(r, "month", &f)) == -1)
		return;
	if (hm)
		t = f;
	else {
		if (param_range(r, &f, &t) == -1)
			return;
		if (kv_get(&r->query, "from") == NULL &&
		    kv_get(&r->query, "to") == NULL)
			f = t;
	}
	mon_month_format(f, from);
	mon_month_format(t, to);
	if (monitor_state(r->db, &gen, updated) != DB_OK) {
		unavailable(r);
		return;
	}
	snprintf(key, sizeof(key), "surges|%d|%s|%s|%d", p, from, to, csv);
	/* A surge's months begin three before from. */
	mon_month_format(f - SURGE_TRAILING_MONTHS, lo);
	if (monitor_stamp(r->db, lo, to, &stamp) != DB_OK) {
		unavailable(r);
		return;
	}
	if (cache_get(r, key, stamp, updated))
		return;
	if (monitor_surges(r->db, p, from, to, &s, &n) != DB_OK) {
		unavailable(r);
		return;
	}
	if (csv) {
		snprintf(name, sizeof(name), "aim-monitor-surges-%s-%s-%s",
		    p == PRODUCT__MAX ? "all" : product_names[p], from, to);
		csv_answer(r, name, disp, sizeof(disp));
		buf_reset(&r->out);
		buf_puts(&r->out, "month,product,product_group,"
		    "country_of_origin,kg,trailing_avg_kg,increase_kg,"
		    "increase_pct,value_usd,usd_per_metric_ton\r\n");
		for (i = 0; i < n; i++) {
			int64_t	 inc3 = s[i].grams * SURGE_TRAILING_MONTHS -
			    s[i].trailing_grams;

			csv_field(&r->out, s[i].month, 1);
			csv_field(&r->out, product_names[s[i].product], 0);
			csv_field(&r->out, s[i].group, 0);
			csv_field(&r->out, s[i].origin, 0);
			buf_printf(&r->out, ",%lld,%lld,%lld,",
			    (long long)kg_of(s[i].grams),
			    (long long)kg_of(s[i].trailing_grams /
			    SURGE_TRAILING_MONTHS),
			    (long long)kg_of(inc3 / SURGE_TRAILING_MONTHS));
			if (s[i].trailing_grams > 0)
				buf_printf(&r->out, "%lld", (long long)llround(
				    (double)inc3 * 100 / s[i].trailing_grams));
			buf_printf(&r->out, ",%lld,%lld\r\n",
			    (long long)usd_of(s[i].cents),
			    (long long)per_ton(s[i].cents, s[i].grams));
		}
		cache_put(r, key, stamp, "text/csv; charset=utf-8", disp, 0,
		    0);
	} else {
		surges_json(r, s, n, from, to, f, hm, updated, &upd, &nupd);
		cache_put(r, key, stamp, "application/json", NULL, upd, nupd);
	}
	resp_header(r, "Cache-Control", CACHE_CONTROL);
	monitor_surges_free(s, n);
}

/* ----- meta ----- */

static json_t *
strings_json(char **v, size_t n)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; a != NULL && i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

/* Adds the strings of v not in a yet (a small list: a linear look). */
static void
union_into(json_t *a, char **v, size_t n)
{
	size_t	 i, j;
	json_t	*e;
	int	 seen;

	for (i = 0; i < n; i++) {
		seen = 0;
		json_array_foreach(a, j, e)
			if (strcmp(json_string_value(e), v[i]) == 0) {
				seen = 1;
				break;
			}
		if (!seen)
			json_array_append_new(a, json_string(v[i]));
	}
}

static int
cmp_json_str(const void *a, const void *b)
{
	return strcmp(json_string_value(*(json_t *const *)a),
	    json_string_value(*(json_t *const *)b));
}

/* Sorts an array of strings in place. */
static void
sort_strings(json_t *a)
{
	json_t	**v;
	size_t	  n = json_array_size(a), i;

	if (n < 2 || (v = calloc(n, sizeof(*v))) == NULL)
		return;
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(a, i));
	qsort(v, n, sizeof(*v), cmp_json_str);
	json_array_clear(a);
	for (i = 0; i < n; i++)
		json_array_append_new(a, v[i]);
	free(v);
}

/*
 * The lists of meta change far less often than licenses land: a worker
 * reads them again when a license changed and they are older than
 * META_SECONDS, or META_HTS6_SECONDS for the HTS-6 subheadings (a read
 * of the whole full roll-up; they only serve as suggestions).
 */
#define META_SECONDS		2
#define META_HTS6_SECONDS	60

struct lists {
	struct mon_meta	 mm;
	time_t		 at;
	int64_t		 generation;
};

static struct lists	 meta_lists, hts6_lists;

static int
lists_get(struct db *db, struct lists *l, unsigned dims, int64_t gen,
    time_t keep)
{
	struct mon_meta	 fresh;
	time_t		 now = time(NULL);

	if (l->at != 0 && now >= l->at && (gen == l->generation ||
	    now - l->at < keep))
		return 0;
	if (monitor_meta(db, dims, &fresh) != DB_OK)
		return -1;
	monitor_meta_free(&l->mm);
	l->mm = fresh;
	l->at = now;
	l->generation = gen;
	return 0;
}

/*
 * The largest question of each product, HTS-6 by country of origin,
 * over every month with data: its month figures are not among meta's,
 * and 24 workers each reading them first (20 ms of CPU apiece on a
 * million licenses) held up every answer for a quarter of a second.
 */
static void
warm_largest(struct db *db, const struct mon_meta *mm)
{
	const struct mon_meta_product	*mp;
	struct mon_query		 q;
	struct mon_result		 res;
	int				 p;

	for (p = 0; p < PRODUCT__MAX; p++) {
		mp = &mm->p[p];
		if (mp->nmonths == 0)
			continue;
		memset(&q, 0, sizeof(q));
		q.product = (enum product)p;
		q.by[0] = MON_HTS6;
		q.by[1] = MON_ORIGIN;
		q.nby = 2;
		snprintf(q.from, sizeof(q.from), "%s", mp->months[0]);
		snprintf(q.to, sizeof(q.to), "%s", mp->months[mp->nmonths - 1]);
		/* A span past the limit: nothing kept, workers read theirs. */
		if (monitor_cells(db, &q, &res) == DB_OK)
			monitor_result_free(&res);
	}
}

void
api_monitor_warm(struct db *db)
{
	int64_t		 gen;
	char		 updated[24];

	if (monitor_state(db, &gen, updated) != DB_OK)
		return;
	/* The month figures these read are kept for the workers too. */
	if (lists_get(db, &hts6_lists, MON_DIM(MON_HTS6), gen,
	    META_HTS6_SECONDS) == 0 && lists_get(db, &meta_lists,
	    MON_DIMS_ALL & ~MON_DIM(MON_HTS6), gen, META_SECONDS) == 0)
		/* A license filed since, and a worker reads these again at
		 * once (quickly, from the kept months), as a cold one would. */
		meta_lists.at -= META_SECONDS;
	warm_largest(db, &meta_lists.mm);
	monitor_keep_for_fork(db);
}

static void
api_mon_meta(struct req *r)
{
	struct mon_meta	*mm = &meta_lists.mm, *hm = &hts6_lists.mm;
	json_t		*o, *prods, *p, *dims, *c, *g, *gl, *months, *countries;
	char		 cur[8], from[8], updated[24], key[64];
	int64_t		 gen;
	size_t		 i;
	int		 pr, d, y, m, dd;

	date_to_ymd(req_today(r), &y, &m, &dd);
	mon_month_format(y * 12 + m - 1, cur);
	mon_month_format(y * 12 + m - 1 - (DEFAULT_MONTHS - 1), from);
	if (monitor_state(r->db, &gen, updated) != DB_OK) {
		unavailable(r);
		return;
	}
	snprintf(key, sizeof(key), "meta|%s", cur);
	if (cache_get(r, key, (uint64_t)gen + 1, updated))
		return;
	if (lists_get(r->db, &hts6_lists, MON_DIM(MON_HTS6), gen,
	    META_HTS6_SECONDS) == -1 || lists_get(r->db, &meta_lists,
	    MON_DIMS_ALL & ~MON_DIM(MON_HTS6), gen, META_SECONDS) == -1) {
		unavailable(r);
		return;
	}
	prods = json_array();
	g = json_object();
	months = json_array();
	countries = json_array();
	dims = json_array();
	for (d = 0; d < MON__MAX; d++)
		json_array_append_new(dims, json_string(mon_dim_names[d]));
	for (pr = 0; pr < PRODUCT__MAX; pr++) {
		struct mon_meta_product	*mp = &mm->p[pr];
		json_t			*pd = json_array();

		for (d = 0; d < MON__MAX; d++)
			if (mon_dim_applies(d, pr))
				json_array_append_new(pd,
				    json_string(mon_dim_names[d]));
		gl = json_array();
		for (i = 0; i < hts_group_count(pr); i++)
			json_array_append_new(gl,
			    json_string(hts_group_name(pr, i)));
		json_object_set_new(g, product_names[pr], json_incref(gl));
		c = json_object();
		for (d = MON_ORIGIN; d < MON__MAX; d++)
			if (mon_dim_applies(d, pr))
				json_object_set_new(c, mon_dim_names[d],
				    strings_json(mp->values[d],
				    mp->nvalues[d]));
		p = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "product",
		    product_names[pr], "dimensions", pd, "months",
		    strings_json(mp->months, mp->nmonths), "groups", gl,
		    "hts6", strings_json(hm->p[pr].values[MON_HTS6],
		    hm->p[pr].nvalues[MON_HTS6]), "countries", c);
		json_array_append_new(prods, p);
		union_into(months, mp->months, mp->nmonths);
		union_into(countries, mp->values[MON_ORIGIN],
		    mp->nvalues[MON_ORIGIN]);
	}
	sort_strings(months);
	sort_strings(countries);
	o = json_pack("{s:s?, s:s, s:s, s:s, s:s, s:{s:i, s:i}, s:o, s:o, "
	    "s:o, s:o, s:o}",
	    "updated_at", *updated ? updated : NULL, "current_month", cur,
	    "default_from", from, "default_to", cur, "note", NOTE,
	    "disclosure", "min_importers", DISC_MIN_IMPORTERS,
	    "max_share_pct", DISC_MAX_SHARE_PCT, "dimensions", dims,
	    "months", months, "countries", countries, "groups", g,
	    "products", prods);
	resp_json(r, 200, o);
	if (r->out.len == 0) {
		unavailable(r);
		return;
	}
	/* Kept only when read for this very generation: lists a little
	 * older must not outlive it. */
	if (meta_lists.generation == gen && hts6_lists.generation == gen)
		cache_put(r, key, (uint64_t)gen + 1, "application/json", NULL,
		    0, 0);
	resp_header(r, "Cache-Control", CACHE_CONTROL);
}

static const struct route routes[] = {
	{ METHOD_GET, "/api/v1/monitor/cells", ROLE_PUBLIC, api_mon_cells },
	{ METHOD_GET, "/api/v1/monitor/surges", ROLE_PUBLIC, api_mon_surges },
	{ METHOD_GET, "/api/v1/monitor/meta", ROLE_PUBLIC, api_mon_meta },
};

ROUTE_TABLE(routes_monitor, routes);
