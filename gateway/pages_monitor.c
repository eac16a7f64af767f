/*
 * The public import monitor (DOMAIN.md section 10) at /monitor: monthly
 * totals of the licenses by product group, country and HTS-6, as
 * tables that work without JavaScript; static/monitor.js draws a chart
 * from each table.  Every figure comes from the monitor API
 * (api_monitor.c), asked inside this process exactly as a client asks
 * it, so the page, the JSON and the CSV downloads never disagree and
 * disclosure control happens in one place only.
 */
#include <sys/types.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/limits.h"
#include "forms/form.h"
#include "db/monitor.h"
#include "layout.h"
#include "route.h"

/* Months shown when the visitor chose none. */
#define MON_DEFAULT_MONTHS	24
/* Lines on a monthly chart: more are a tangle (the table has them
 * all for groups; top countries lists every country). */
#define MON_TREND_LINES		8
/* Bars on a bar chart (monitor.js reads it from data-top). */
#define MON_BARS		15
/* Rows of a long table; the CSV has them all. */
#define MON_LONG_ROWS		100
/* Withheld rows of a long table: past these a count says how many
 * more (a page of "(D)" tells nobody anything). */
#define MON_WITHHELD_ROWS	10
/* Distinct labels (groups, countries) read from one answer. */
#define MON_LABELS		400
/* Query parameters of one API call. */
#define MON_QP			10

#define WITHHELD	"withheld to avoid disclosing data of individual " \
			"companies"

enum measure {
	M_TONS,
	M_USD,
	M_UNIT,
	M__MAX
};

static const struct {
	const char	*key;		/* ?measure= and monitor.js */
	const char	*label;		/* the switch */
	const char	*unit;		/* captions */
} measures[M__MAX] = {
	[M_TONS] = { "tons", "Metric tons", "metric tons" },
	[M_USD] = { "usd", "US dollars", "US dollars" },
	[M_UNIT] = { "unit", "US$ per metric ton",
	    "US dollars per metric ton" },
};

/* One figure of a table: kilograms, dollars, dollars a metric ton. */
struct cell {
	double	 kg;
	double	 usd;
	double	 unit;
	int	 state;		/* CELL_* */
};

#define CELL_NONE	0	/* no imports */
#define CELL_PUB	1
#define CELL_SUPP	2

/* A label and the published kilograms under it, for ranking. */
struct label {
	const char	*name;
	double		 kg;
};

/* The visitor's choices, checked. */
struct mon {
	struct req	*r;
	json_t		*meta;
	const char	*product;	/* "aluminum" or "steel" */
	const char	*group;		/* NULL: all */
	const char	*hts6;
	const char	*country;
	char		 from[8];
	char		 to[8];
	enum measure	 measure;
	struct report	 rep;
	char		 months[MON_MAX_MONTHS][8];
	size_t		 nmonths;
};

/* Query parameters, as kvlist wants them (modifiable strings). */
struct qp {
	struct kv	 v[MON_QP];
	char		 key[MON_QP][24];
	char		 val[MON_QP][LIM_FIELD_BYTES + 1];
	size_t		 n;
};

static void
qp_add(struct qp *q, const char *key, const char *val)
{
	if (val == NULL || *val == '\0' || q->n >= MON_QP)
		return;
	snprintf(q->key[q->n], sizeof(q->key[0]), "%s", key);
	snprintf(q->val[q->n], sizeof(q->val[0]), "%s", val);
	q->v[q->n].key = q->key[q->n];
	q->v[q->n].val = q->val[q->n];
	q->n++;
}

/* The filters every view shares. */
static void
qp_filters(struct qp *q, const struct mon *m, const char *by)
{
	memset(q, 0, sizeof(*q));
	qp_add(q, "product", m->product);
	qp_add(q, "by", by);
	qp_add(q, "from", m->from);
	qp_add(q, "to", m->to);
	qp_add(q, "product_group", m->group);
	qp_add(q, "hts6", m->hts6);
	qp_add(q, "country", m->country);
}

static void
url_escape(struct buf *b, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	unsigned char		 c;
	char			 e[3];

	for (; *s; s++) {
		c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~')
			buf_add(b, s, 1);
		else {
			e[0] = '%';
			e[1] = hex[c >> 4];
			e[2] = hex[c & 15];
			buf_add(b, e, 3);
		}
	}
}

/* path?k=v&... plus extra (a literal "k=v" or NULL) into b. */
static void
qp_url(const struct qp *q, const char *path, const char *extra,
    struct buf *b)
{
	size_t	 i;

	buf_reset(b);
	buf_puts(b, path);
	for (i = 0; i < q->n; i++) {
		buf_puts(b, i == 0 ? "?" : "&");
		url_escape(b, q->v[i].key);
		buf_puts(b, "=");
		url_escape(b, q->v[i].val);
	}
	if (extra != NULL) {
		buf_puts(b, q->n == 0 ? "?" : "&");
		buf_puts(b, extra);
	}
}

/*
 * GETs a monitor API resource inside this process through the route
 * table, as a client would.  Returns the parsed document (the caller
 * owns it), or NULL when the API answered otherwise than 200 with
 * JSON; *status then says what it answered (0: no answer).
 */
static json_t *
api_get(struct req *r, const char *path, const struct qp *q, int *status)
{
	struct req	 sub;
	json_error_t	 jerr;
	json_t		*doc = NULL;
	struct kv	 kv[MON_QP];

	memset(&sub, 0, sizeof(sub));
	if (q != NULL) {
		memcpy(kv, q->v, q->n * sizeof(kv[0]));
		sub.query.v = kv;
		sub.query.n = q->n;
	}
	sub.gw = r->gw;
	sub.db = r->db;
	sub.method = METHOD_GET;
	sub.path = path;
	sub.accept = "application/json";
	memcpy(sub.remote, r->remote, sizeof(sub.remote));
	buf_init(&sub.headers, 64 * 1024);
	buf_init(&sub.out, LIM_RESPONSE_BYTES);
	html_init(&sub.h, &sub.out);
	route_dispatch(&sub);
	*status = sub.status;
	if (sub.status == 200 && !sub.out.overflow && sub.out.len > 0)
		doc = json_loadb(sub.out.p, sub.out.len, 0, &jerr);
	account_clear(&sub.account);
	buf_free(&sub.headers);
	buf_free(&sub.out);
	return doc;
}

/* The rows of an answer ({"rows": [...]}, surges {"surges": [...]}),
 * borrowed from it. */
static json_t *
rows_of(json_t *doc, const char *key)
{
	json_t	*v = json_object_get(doc, key);

	return json_is_array(v) ? v : NULL;
}

static const char *
row_str(json_t *row, const char *key)
{
	json_t	*v = json_object_get(row, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static double
row_num(json_t *row, const char *key, int *ok)
{
	json_t	*v = json_object_get(row, key);

	if (json_is_number(v)) {
		*ok = 1;
		return json_number_value(v);
	}
	*ok = 0;
	return 0;
}

static void
cell_of(json_t *row, struct cell *c)
{
	int	 ok;

	memset(c, 0, sizeof(*c));
	if (json_is_true(json_object_get(row, "suppressed"))) {
		c->state = CELL_SUPP;
		return;
	}
	c->kg = row_num(row, "kg", &ok);
	c->usd = row_num(row, "value_usd", &ok);
	c->unit = row_num(row, "usd_per_metric_ton", &ok);
	if (!ok)
		c->unit = c->kg > 0 ? c->usd / (c->kg / 1000) : NAN;
	c->state = CELL_PUB;
}

/* ----- numbers ----- */

/* v with thousands separators and dec decimals. */
static void
fmt_num(double v, int dec, char *out, size_t sz)
{
	char	 t[64];
	size_t	 n, i, o = 0, digits;
	int	 neg = v < 0;

	snprintf(t, sizeof(t), "%.*f", dec, neg ? -v : v);
	digits = strcspn(t, ".");
	if (neg && o + 1 < sz)
		out[o++] = '-';
	n = strlen(t);
	for (i = 0; i < n && o + 1 < sz; i++) {
		if (i > 0 && i < digits && (digits - i) % 3 == 0) {
			out[o++] = ',';
			if (o + 1 >= sz)
				break;
		}
		out[o++] = t[i];
	}
	out[o] = '\0';
}

/* Metric tons as the tables and monitor.js show them. */
static void
fmt_tons(double kg, char *out, size_t sz)
{
	double	 t = kg / 1000;

	fmt_num(t, t != 0 && t < 10 ? 1 : 0, out, sz);
}

static void
fmt_dollars(double v, char *out, size_t sz)
{
	char	 n[40];

	fmt_num(v, 0, n, sizeof(n));
	snprintf(out, sz, "$%s", n);
}

/* "$34.5 million" for sentences. */
static void
fmt_dollars_short(double v, char *out, size_t sz)
{
	if (v >= 1e9)
		snprintf(out, sz, "$%.1f billion", v / 1e9);
	else if (v >= 1e6)
		snprintf(out, sz, "$%.1f million", v / 1e6);
	else
		fmt_dollars(v, out, sz);
}

/* The cell's figure in one measure; "" when it has none. */
static void
fmt_measure(const struct cell *c, enum measure m, char *out, size_t sz)
{
	out[0] = '\0';
	switch (m) {
	case M_TONS:
		fmt_tons(c->kg, out, sz);
		break;
	case M_USD:
		fmt_dollars(c->usd, out, sz);
		break;
	default:
		if (c->kg > 0 && !isnan(c->unit))
			fmt_dollars(c->unit, out, sz);
		break;
	}
}

static int
pct(double part, double whole)
{
	return whole > 0 ? (int)lround(part * 100 / whole) : 0;
}

/* ----- months ----- */

/* "YYYY-MM" to a month count (db/monitor.h), or -1. */
static int
month_index(const char *s)
{
	int	 i;

	return mon_month_parse(s, &i) == 0 ? i : -1;
}

/* ----- the metadata ----- */

/*
 * GET /api/v1/monitor/meta: {"updated_at", "current_month", "groups":
 * {PRODUCT: [...]}, "products": [{"product", "months", "groups",
 * "hts6", "countries": {"country_of_origin": [...], ...}}], ...}.
 */
static json_t *
meta_product(json_t *meta, const char *product)
{
	json_t		*e;
	const char	*p;
	size_t		 i;

	json_array_foreach(json_object_get(meta, "products"), i, e)
		if ((p = row_str(e, "product")) != NULL &&
		    strcmp(p, product) == 0)
			return e;
	return NULL;
}

/* The strings of a list, borrowed from it. */
static size_t
strings(json_t *list, const char **out, size_t max)
{
	json_t	*e;
	size_t	 i, n = 0;

	json_array_foreach(list, i, e)
		if (json_is_string(e) && n < max)
			out[n++] = json_string_value(e);
	return n;
}

static size_t
meta_groups(json_t *meta, const char *product, const char **out,
    size_t max)
{
	return strings(json_object_get(json_object_get(meta, "groups"),
	    product), out, max);
}

/* The countries of origin, of both products (the list stays when
 * the product changes). */
static size_t
meta_countries(json_t *meta, const char **out, size_t max)
{
	return strings(json_object_get(meta, "countries"), out, max);
}

/* The months with licenses, oldest first. */
static size_t
meta_months(json_t *meta, const char **out, size_t max)
{
	const char	*v[MON_MAX_MONTHS * 2];
	size_t		 i, n, k = 0;

	n = strings(json_object_get(meta, "months"), v,
	    sizeof(v) / sizeof(v[0]));
	for (i = 0; i < n; i++)
		if (month_index(v[i]) >= 0 && k < max)
			out[k++] = v[i];
	return k;
}

/* The HTS subheadings of a product's licenses. */
static size_t
meta_hts6(json_t *meta, const char *product, const char **out,
    size_t max)
{
	return strings(json_object_get(meta_product(meta, product), "hts6"),
	    out, max);
}

/* "2026-11-28T03:00:00Z" as "2026-11-28 03:00 UTC"; other forms as
 * they are. */
static void
fmt_updated(const char *s, char *out, size_t sz)
{
	size_t	 n = strlen(s);

	if (n >= 16 && s[4] == '-' && s[7] == '-' && (s[10] == 'T' ||
	    s[10] == ' ') && s[13] == ':' && (s[n - 1] == 'Z' ||
	    (n >= 6 && strcmp(s + n - 6, "+00:00") == 0)))
		snprintf(out, sz, "%.10s %.5s UTC", s, s + 11);
	else
		snprintf(out, sz, "%s", s);
}

/* ----- the filters ----- */

static int
in_list(const char *s, const char **list, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

/* A query parameter, "" as NULL; too long is an error on it. */
static const char *
param(struct mon *m, const char *key, const char *label)
{
	const char	*v = kv_get(&m->r->query, key);

	if (v == NULL || *v == '\0')
		return NULL;
	if (strnlen(v, LIM_FIELD_BYTES + 1) > LIM_FIELD_BYTES) {
		report_error(&m->rep, 0, key, "%s is too long.", label);
		return NULL;
	}
	return v;
}

/* Reads and checks the filters; problems go to m->rep, each beside its
 * field. */
static void
filters_read(struct mon *m)
{
	const char	*v, *list[MON_LABELS], *months[MON_MAX_MONTHS * 2];
	size_t		 n, nm, i;
	int		 a, b, last, first, cur;

	m->product = "aluminum";
	if ((v = param(m, "product", "The product")) != NULL) {
		if (strcmp(v, "aluminum") == 0 || strcmp(v, "steel") == 0)
			m->product = v;
		else
			report_error(&m->rep, 0, "product", "Choose "
			    "aluminum or steel.");
	}
	m->measure = M_TONS;
	if ((v = param(m, "measure", "The measure")) != NULL) {
		for (i = 0; i < M__MAX; i++)
			if (strcmp(v, measures[i].key) == 0)
				m->measure = i;
	}
	if ((v = param(m, "product_group", "The product group")) != NULL) {
		n = meta_groups(m->meta, m->product, list, MON_LABELS);
		if (in_list(v, list, n))
			m->group = v;
		else
			report_error(&m->rep, 0, "product_group", "Choose a "
			    "product group of %s, or all product groups.",
			    m->product);
	}
	if ((v = param(m, "hts6", "The HTS-6 code")) != NULL) {
		if (strlen(v) != 6 || strspn(v, "0123456789") != 6)
			report_error(&m->rep, 0, "hts6", "Enter the HTS "
			    "subheading as 6 digits, for example %s.",
			    strcmp(m->product, "steel") == 0 ? "720851" :
			    "760120");
		else if (strcmp(m->product, "aluminum") == 0 ?
		    strncmp(v, "76", 2) != 0 : strncmp(v, "72", 2) != 0 &&
		    strncmp(v, "73", 2) != 0)
			report_error(&m->rep, 0, "hts6", "%s is not a %s "
			    "subheading: %s are in chapter%s.", v, m->product,
			    m->product, strcmp(m->product, "steel") == 0 ?
			    "s 72 and 73" : " 76");
		else
			m->hts6 = v;
	}
	if ((v = param(m, "country", "The country")) != NULL) {
		n = meta_countries(m->meta, list, MON_LABELS);
		if (n == 0 || in_list(v, list, n))
			m->country = v;
		else
			report_error(&m->rep, 0, "country", "There are no "
			    "imports from %s in the monitor. Choose a country "
			    "from the list.", v);
	}

	/* The range: by default the last MON_DEFAULT_MONTHS months with
	 * data up to this month (licenses are filed up to 60 days ahead:
	 * next month's figures are still growing); either end may be
	 * chosen alone. */
	nm = meta_months(m->meta, months, sizeof(months) / sizeof(months[0]));
	first = last = -1;
	for (i = 0; i < nm; i++) {
		a = month_index(months[i]);
		if (first == -1 || a < first)
			first = a;
		if (a > last)
			last = a;
	}
	if (last == -1)
		return;
	cur = month_index(row_str(m->meta, "current_month"));
	b = cur >= first && cur < last ? cur : last;
	if ((v = param(m, "to", "The end month")) != NULL) {
		if ((b = month_index(v)) == -1) {
			report_error(&m->rep, 0, "to", "Choose the last month "
			    "from the list.");
			b = last;
		}
	}
	a = b - (MON_DEFAULT_MONTHS - 1);
	if (a < first)
		a = first;
	if ((v = param(m, "from", "The start month")) != NULL) {
		if ((a = month_index(v)) == -1) {
			report_error(&m->rep, 0, "from", "Choose the first "
			    "month from the list.");
			a = b;
		}
	}
	if (a > b && !report_has_error(&m->rep, "from"))
		report_error(&m->rep, 0, "from", "The first month must not "
		    "be after the last month.");
	else if (b - a + 1 > MON_MAX_MONTHS)
		report_error(&m->rep, 0, "from", "Choose at most %d months.",
		    MON_MAX_MONTHS);
	if (m->rep.nerrors > 0)
		return;
	mon_month_format(a, m->from);
	mon_month_format(b, m->to);
	for (i = a; (int)i <= b; i++)
		mon_month_format(i, m->months[m->nmonths++]);
}

/* <label> and <select> with an "all" option and optional option
 * groups per product. */
static void
select_begin(struct req *r, const char *name, const char *label,
    const char *hint, const char *err, const char *all)
{
	struct html	*h = &r->h;
	char		 id[64], hid[80], eid[80], desc[170];

	ui_field_id(name, id, sizeof(id));
	snprintf(hid, sizeof(hid), "%s-hint", id);
	snprintf(eid, sizeof(eid), "%s-error", id);
	snprintf(desc, sizeof(desc), "%s%s%s", hint ? hid : "",
	    hint && err ? " " : "", err ? eid : "");
	h_open(h, "div", "class", err ? "usa-form-group "
	    "usa-form-group--error aim-mon-field" : "usa-form-group "
	    "aim-mon-field", NULL);
	h_elem(h, "label", label, "class", "usa-label", "for", id, NULL);
	if (hint)
		h_elem(h, "div", hint, "class", "usa-hint", "id", hid, NULL);
	if (err)
		h_elem(h, "span", err, "class", "usa-error-message", "id",
		    eid, "role", "alert", NULL);
	h_open(h, "select", "class", err ? "usa-select usa-input--error" :
	    "usa-select", "id", id, "name", name, "aria-describedby",
	    desc[0] ? desc : NULL, "aria-invalid", err ? "true" : NULL,
	    NULL);
	if (all != NULL)
		h_elem(h, "option", all, "value", "", NULL);
}

static void
option(struct req *r, const char *value, const char *label,
    const char *current)
{
	h_elem(&r->h, "option", label, "value", value, "selected",
	    current != NULL && strcmp(current, value) == 0 ? "" : NULL,
	    NULL);
}

/* A filter's select in its grid column (cols): "all" first, then each
 * of list, the one chosen selected. */
static void
filter_select(struct mon *m, const char *cols, const char *name,
    const char *label, const char *all, const char *const *list, size_t n,
    const char *chosen)
{
	struct html	*h = &m->r->h;
	size_t		 i;

	h_open(h, "div", "class", cols, NULL);
	select_begin(m->r, name, label, NULL, ui_error_for(&m->rep, name),
	    all);
	for (i = 0; i < n; i++)
		option(m->r, list[i], list[i], chosen);
	h_close(h);	/* select */
	h_close(h);	/* form group */
	h_close(h);
}

static void
filters_form(struct mon *m)
{
	static const char *const products[] = {
		"aluminum", "Aluminum", "steel", "Steel",
	};
	static const char *const prods[] = { "aluminum", "steel" };
	struct req	*r = m->r;
	struct html	*h = &r->h;
	struct ui_field	 uf;
	const char	*list[MON_LABELS], *months[MON_MAX_MONTHS * 2];
	const char	*mopts[M__MAX * 2];
	size_t		 n, i, p;
	int		 d;

	d = h->depth;
	h_open(h, "form", "method", "get", "action", "/monitor", "class",
	    "usa-form aim-mon-filters", "id", "monitor-filters",
	    "aria-labelledby", "filters-heading", "novalidate", "", NULL);
	h_elem(h, "h2", "Filters", "id", "filters-heading", "class",
	    "aim-mon-filters__heading", NULL);
	h_open(h, "div", "class", "grid-row grid-gap", NULL);

	h_open(h, "div", "class", "tablet:grid-col-4", NULL);
	memset(&uf, 0, sizeof(uf));
	uf.name = "product";
	uf.label = "Product";
	uf.value = m->product;
	uf.error = ui_error_for(&m->rep, "product");
	ui_radios(r, &uf, products, 2);
	h_close(h);

	h_open(h, "div", "class", "tablet:grid-col-8", NULL);
	for (i = 0; i < M__MAX; i++) {
		mopts[i * 2] = measures[i].key;
		mopts[i * 2 + 1] = measures[i].label;
	}
	memset(&uf, 0, sizeof(uf));
	uf.name = "measure";
	uf.label = "Measure";
	uf.value = measures[m->measure].key;
	ui_radios(r, &uf, mopts, M__MAX);
	h_close(h);
	h_close(h);	/* grid-row */

	/* Bottoms aligned: the HTS field has a hint line. */
	h_open(h, "div", "class", "grid-row grid-gap flex-align-end", NULL);
	h_open(h, "div", "class", "tablet:grid-col-6 desktop:grid-col-3",
	    NULL);
	select_begin(r, "product_group", "Product group", NULL,
	    ui_error_for(&m->rep, "product_group"), "All product groups");
	for (p = 0; p < 2; p++) {
		n = meta_groups(m->meta, prods[p], list, MON_LABELS);
		if (n == 0)
			continue;
		/* monitor.js disables the other product's groups. */
		h_open(h, "optgroup", "label", p == 0 ? "Aluminum" : "Steel",
		    "data-product", prods[p], NULL);
		for (i = 0; i < n; i++)
			option(r, list[i], list[i], kv_get(&r->query,
			    "product_group"));
		h_close(h);
	}
	h_close(h);	/* select */
	h_close(h);	/* form group */
	h_close(h);

	h_open(h, "div", "class", "tablet:grid-col-6 desktop:grid-col-2",
	    NULL);
	memset(&uf, 0, sizeof(uf));
	uf.name = "hts6";
	uf.label = "HTS-6";
	uf.hint = "6 digits";
	uf.value = kv_get(&r->query, "hts6");
	uf.error = ui_error_for(&m->rep, "hts6");
	uf.required = 1;	/* no "(optional)": every filter is */
	uf.width = "usa-input--small";
	uf.list = "hts6-list";
	ui_input(r, &uf);
	/* The subheadings with licenses, as suggestions. */
	h_open(h, "datalist", "id", "hts6-list", NULL);
	n = meta_hts6(m->meta, m->product, list, MON_LABELS);
	for (i = 0; i < n; i++)
		h_elem(h, "option", "", "value", list[i], NULL);
	h_close(h);
	h_close(h);

	n = meta_countries(m->meta, list, MON_LABELS);
	filter_select(m, "tablet:grid-col-6 desktop:grid-col-3", "country",
	    "Country of origin", "All countries", list, n,
	    kv_get(&r->query, "country"));

	n = meta_months(m->meta, months, sizeof(months) / sizeof(months[0]));
	filter_select(m, "tablet:grid-col-3 desktop:grid-col-2", "from",
	    "From month", NULL, months, n, m->from[0] ? m->from :
	    kv_get(&r->query, "from"));
	filter_select(m, "tablet:grid-col-3 desktop:grid-col-2", "to",
	    "To month", NULL, months, n, m->to[0] ? m->to :
	    kv_get(&r->query, "to"));
	h_close(h);	/* grid-row */

	h_open(h, "div", "class", "aim-mon-actions", NULL);
	ui_button(r, "Apply filters", NULL);
	h_elem(h, "a", "Clear filters", "href", "/monitor", "class",
	    "usa-button usa-button--outline", NULL);
	h_close(h);
	h_close_to(h, d);
}

/* ----- tables ----- */

/* Writes the measures of a cell as data attributes (monitor.js draws
 * and switches from them) and the shown figure; (D) when withheld. */
static void
num_td(struct req *r, const struct cell *c, enum measure m,
    const char *tag)
{
	struct html	*h = &r->h;
	char		 t[32], usd[32], unit[32], text[48];

	if (c->state == CELL_SUPP) {
		h_open(h, tag, "class", "aim-num aim-mon-d", "data-d", "",
		    NULL);
		h_elem(h, "abbr", "(D)", "title", "Withheld to avoid "
		    "disclosing data of individual companies", NULL);
		h_close(h);
		return;
	}
	snprintf(t, sizeof(t), "%.3f", c->kg / 1000);
	snprintf(usd, sizeof(usd), "%.2f", c->usd);
	snprintf(unit, sizeof(unit), "%.2f", c->unit);
	fmt_measure(c, m, text, sizeof(text));
	h_elem(h, tag, text[0] ? text : "–", "class", "aim-num", "data-t", t,
	    "data-usd", usd, "data-unit", c->kg > 0 && !isnan(c->unit) ?
	    unit : NULL, NULL);
}

static int
label_cmp(const void *a, const void *b)
{
	const struct label	*x = a, *y = b;

	if (x->kg != y->kg)
		return x->kg < y->kg ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* The distinct values of dim in rows, largest published total first. */
static size_t
rank_labels(json_t *rows, const char *dim, struct label *out, size_t max)
{
	json_t		*row;
	const char	*s;
	struct cell	 c;
	size_t		 i, j, n = 0;

	json_array_foreach(rows, i, row) {
		if ((s = row_str(row, dim)) == NULL)
			continue;
		for (j = 0; j < n && strcmp(out[j].name, s) != 0; j++)
			;
		if (j == n) {
			if (n == max)
				continue;
			out[n].name = s;
			out[n++].kg = 0;
		}
		cell_of(row, &c);
		if (c.state == CELL_PUB)
			out[j].kg += c.kg;
	}
	qsort(out, n, sizeof(out[0]), label_cmp);
	return n;
}

static ssize_t
find_label(const char *s, const char *const *labels, size_t n)
{
	size_t	 i;

	if (s != NULL)
		for (i = 0; i < n; i++)
			if (strcmp(s, labels[i]) == 0)
				return (ssize_t)i;
	return -1;
}

/* The grid of a two-dimensional answer: cells[row * nc + col]. */
static struct cell *
grid(json_t *rows, const char *rdim, const char *const *rl, size_t nr,
    const char *cdim, const char *const *cl, size_t nc)
{
	struct cell	*g;
	json_t		*row;
	size_t		 i;
	ssize_t		 a, b;

	if ((g = calloc(nr * nc + 1, sizeof(*g))) == NULL)
		return NULL;
	json_array_foreach(rows, i, row) {
		a = find_label(row_str(row, rdim), rl, nr);
		b = cdim == NULL ? 0 : find_label(row_str(row, cdim), cl, nc);
		if (a >= 0 && b >= 0)
			cell_of(row, &g[a * nc + b]);
	}
	return g;
}

static void
caption(struct mon *m, const char *text, int switches)
{
	struct html	*h = &m->r->h;

	h_open(h, "caption", NULL);
	h_text(h, text);
	if (switches) {
		h_text(h, ", ");
		h_elem(h, "span", measures[m->measure].unit, "class",
		    "aim-mon-unit", NULL);
	}
	h_close(h);
}

/* Opens a data table monitor.js reads, laid out as layout ("pivot" or
 * "long"), up to its header row: in a region a keyboard can focus to
 * scroll it when wide, captioned cap (with the unit where switches). */
static void
data_table_open(struct mon *m, const char *id, const char *cap,
    const char *layout, int switches)
{
	struct html	*h = &m->r->h;

	h_open(h, "div", "class", "usa-table-container--scrollable "
	    "aim-mon-table", "tabindex", "0", "role", "region", "aria-label",
	    cap, NULL);
	h_open(h, "table", "class", "usa-table usa-table--compact "
	    "usa-table--striped aim-mon-data", "id", id, "data-layout",
	    layout, NULL);
	caption(m, cap, switches);
	h_open(h, "thead", NULL);
	h_open(h, "tr", NULL);
}

/* A month-by-series table: a row per month, a column per series and
 * an optional total column (not charted). */
static int
pivot_table(struct mon *m, const char *id, const char *cap,
    const struct cell *g, const char *const *cl, size_t nc,
    const struct cell *totals)
{
	struct html	*h = &m->r->h;
	size_t		 i, j;
	int		 d = h->depth, supp = 0;

	data_table_open(m, id, cap, "pivot", 1);
	h_elem(h, "th", "Month", "scope", "col", NULL);
	/* monitor.js charts the columns but those marked off. */
	for (j = 0; j < nc; j++)
		h_elem(h, "th", cl[j], "scope", "col", "class", "aim-num",
		    "data-series", j < MON_TREND_LINES ? NULL : "off", NULL);
	if (totals != NULL)
		h_elem(h, "th", "Total", "scope", "col", "class", "aim-num",
		    "data-series", "off", NULL);
	h_close(h);
	h_close(h);
	h_open(h, "tbody", NULL);
	for (i = 0; i < m->nmonths; i++) {
		h_open(h, "tr", NULL);
		h_elem(h, "th", m->months[i], "scope", "row", NULL);
		for (j = 0; j < nc; j++) {
			num_td(m->r, &g[i * nc + j], m->measure, "td");
			supp |= g[i * nc + j].state == CELL_SUPP;
		}
		if (totals != NULL) {
			num_td(m->r, &totals[i], m->measure, "td");
			supp |= totals[i].state == CELL_SUPP;
		}
		h_close(h);
	}
	h_close_to(h, d);
	return supp;
}

/* The rows of a long table in order: published by weight, then the
 * withheld ones by name. */
static const char *sort_dim;

static int
row_cmp(const void *a, const void *b)
{
	json_t		*x = *(json_t *const *)a, *y = *(json_t *const *)b;
	struct cell	 cx, cy;
	const char	*sx, *sy;

	cell_of(x, &cx);
	cell_of(y, &cy);
	if (cx.state != cy.state)
		return cx.state == CELL_PUB ? -1 : 1;
	if (cx.state == CELL_PUB && cx.kg != cy.kg)
		return cx.kg < cy.kg ? 1 : -1;
	sx = row_str(x, sort_dim);
	sy = row_str(y, sort_dim);
	return strcmp(sx ? sx : "", sy ? sy : "");
}

static json_t **
sorted_rows(json_t *rows, const char *dim, size_t *n)
{
	json_t	**v;
	json_t	 *row;
	size_t	  i;

	*n = json_array_size(rows);
	if ((v = calloc(*n + 1, sizeof(*v))) == NULL)
		return NULL;
	json_array_foreach(rows, i, row)
		v[i] = row;
	sort_dim = dim;
	qsort(v, *n, sizeof(*v), row_cmp);
	return v;
}

/* A table with a row per combination of dims and a column per measure
 * (and the share of tonnage when total_kg > 0). */
static int
long_table(struct mon *m, const char *id, const char *cap, json_t **v,
    size_t n, const char *const *dims, const char *const *heads,
    size_t ndims, double total_kg)
{
	struct html	*h = &m->r->h;
	struct cell	 c;
	const char	*s;
	char		 t[32], usd[32], unit[32], share[16];
	size_t		 i, k, shown = 0, withheld = 0;
	int		 d = h->depth, supp = 0;

	data_table_open(m, id, cap, "long", 0);
	for (k = 0; k < ndims; k++)
		h_elem(h, "th", heads[k], "scope", "col", NULL);
	h_elem(h, "th", "Metric tons", "scope", "col", "class", "aim-num",
	    NULL);
	h_elem(h, "th", "US dollars", "scope", "col", "class", "aim-num",
	    NULL);
	h_elem(h, "th", "US$ per metric ton", "scope", "col", "class",
	    "aim-num", NULL);
	if (total_kg > 0)
		h_elem(h, "th", "Share of tons", "scope", "col", "class",
		    "aim-num", NULL);
	h_close(h);
	h_close(h);
	h_open(h, "tbody", NULL);
	/* v has the published rows first. */
	for (i = 0; i < n && shown < MON_LONG_ROWS; i++) {
		cell_of(v[i], &c);
		if (c.state == CELL_SUPP && withheld++ >= MON_WITHHELD_ROWS)
			break;
		shown++;
		snprintf(t, sizeof(t), "%.3f", c.kg / 1000);
		snprintf(usd, sizeof(usd), "%.2f", c.usd);
		snprintf(unit, sizeof(unit), "%.2f", c.unit);
		if (c.state == CELL_SUPP) {
			supp = 1;
			h_open(h, "tr", "data-d", "", NULL);
		} else
			h_open(h, "tr", "data-t", t, "data-usd", usd,
			    "data-unit", c.kg > 0 && !isnan(c.unit) ? unit :
			    NULL, NULL);
		for (k = 0; k < ndims; k++) {
			s = row_str(v[i], dims[k]);
			h_elem(h, k == 0 ? "th" : "td", s ? s : "(unknown)",
			    "scope", k == 0 ? "row" : NULL, "class",
			    "aim-mon-label", NULL);
		}
		num_td(m->r, &c, M_TONS, "td");
		num_td(m->r, &c, M_USD, "td");
		num_td(m->r, &c, M_UNIT, "td");
		if (total_kg > 0) {
			if (c.state == CELL_SUPP)
				num_td(m->r, &c, M_TONS, "td");
			else {
				snprintf(share, sizeof(share), "%.1f%%",
				    c.kg * 100 / total_kg);
				h_elem(h, "td", share, "class", "aim-num",
				    NULL);
			}
		}
		h_close(h);
	}
	h_close(h);
	h_close(h);
	h_close_to(h, d);
	if (shown < n) {
		h_open(h, "p", "class", "aim-mon-note", NULL);
		h_textf(h, "%zu more row%s, %s; the CSV download has them "
		    "all.", n - shown, n - shown == 1 ? "" : "s",
		    c.state == CELL_SUPP ? "all withheld (D)" : "the smallest");
		h_close(h);
	}
	return supp;
}

/* ----- views ----- */

/* Opens a view's section with its heading. */
static int
view_begin(struct mon *m, const char *id, const char *title)
{
	struct html	*h = &m->r->h;
	char		 hid[64];
	int		 d = h->depth;

	snprintf(hid, sizeof(hid), "%s-heading", id);
	h_open(h, "section", "class", "aim-mon-view", "id", id,
	    "aria-labelledby", hid, NULL);
	h_elem(h, "h2", title, "id", hid, NULL);
	return d;
}

/* Where monitor.js draws the chart of table tid; hidden without it.
 * The summary paragraph, written next, describes the chart. */
static void
chart_slot(struct mon *m, const char *tid, const char *type,
    const char *what)
{
	char	 sid[64], top[16];

	snprintf(sid, sizeof(sid), "%s-summary", tid);
	snprintf(top, sizeof(top), "%d", MON_BARS);
	h_elem(&m->r->h, "div", NULL, "class", "aim-mon-chart", "hidden", "",
	    "data-table", tid, "data-type", type, "data-what", what,
	    "data-summary", sid, "data-top", strcmp(type, "bar") == 0 ? top :
	    NULL, NULL);
}

static int
summary_begin(struct mon *m, const char *tid)
{
	char	 sid[64];
	int	 d = m->r->h.depth;

	snprintf(sid, sizeof(sid), "%s-summary", tid);
	h_open(&m->r->h, "p", "class", "aim-mon-summary", "id", sid, NULL);
	return d;
}

/* The table in a disclosure widget: open without JavaScript (it is
 * the content then), closed by monitor.js once the chart is drawn. */
static int
table_begin(struct mon *m)
{
	struct html	*h = &m->r->h;
	int		 d = h->depth;

	h_open(h, "details", "class", "aim-mon-details", "open", "", NULL);
	h_elem(h, "summary", "Table of the figures", NULL);
	return d;
}

/* "Download CSV · JSON": the API's answer at path for q. */
static void
data_links(struct html *h, const struct qp *q, const char *path)
{
	struct buf	 u;

	buf_init(&u, 4096);
	h_open(h, "p", "class", "aim-mon-links", NULL);
	qp_url(q, path, "format=csv", &u);
	h_elem(h, "a", "Download CSV", "href", buf_str(&u), "class",
	    "usa-link aim-mon-csv", "download", "", NULL);
	h_text(h, " · ");
	qp_url(q, path, NULL, &u);
	h_elem(h, "a", "JSON", "href", buf_str(&u), "class", "usa-link",
	    NULL);
	h_close(h);
	buf_free(&u);
}

static void
view_links(struct mon *m, const char *by, const char *legend_needed)
{
	struct html	*h = &m->r->h;
	struct qp	 q;

	if (legend_needed != NULL)
		h_elem(h, "p", "(D) " WITHHELD ".", "class",
		    "aim-mon-note", NULL);
	qp_filters(&q, m, by);
	data_links(h, &q, "/api/v1/monitor/cells");
}

static void
view_unavailable(struct mon *m, int status)
{
	ui_alert(m->r, "warning", NULL, status == 0 || status >= 500 ?
	    "These figures could not be read just now. Reload the page in "
	    "a moment." : "These figures cannot be shown for these "
	    "filters.");
}

/* What a sentence calls the filtered imports. */
static void
subject(struct mon *m, char *out, size_t sz)
{
	snprintf(out, sz, "imports of %s%s%s%s%s", m->group ? m->group :
	    m->product, m->hts6 ? " under HTS " : "", m->hts6 ? m->hts6 : "",
	    m->country ? " from " : "", m->country ? m->country : "");
}

/* A view with nothing to chart or tabulate. */
static void
no_imports(struct mon *m, const char *by)
{
	char	 subj[LIM_FIELD_BYTES * 2 + 64];

	subject(m, subj, sizeof(subj));
	h_open(&m->r->h, "p", "class", "aim-mon-summary", NULL);
	h_textf(&m->r->h, "From %s to %s there were no %s.", m->from, m->to,
	    subj);
	h_close(&m->r->h);
	view_links(m, by, NULL);
}

/*
 * A monthly view's grid: its columns, the values of dim in ranked
 * (largest first, at most max), into cl; the cells of rows by month and
 * column (*g) and the monthly totals of trows (*tot).  Returns the
 * number of columns, or 0 with the view's note written instead (no
 * imports, or the figures unavailable).
 */
static size_t
monthly_grid(struct mon *m, json_t *ranked, json_t *rows, json_t *trows,
    const char *dim, const char **cl, size_t max, struct cell **g,
    struct cell **tot)
{
	struct label	 lab[MON_LABELS];
	const char	*mo[MON_MAX_MONTHS];
	char		 by[64];
	size_t		 nc, i, n = m->nmonths;

	if ((nc = rank_labels(ranked, dim, lab, MON_LABELS)) == 0) {
		snprintf(by, sizeof(by), "month,%s", dim);
		no_imports(m, by);
		return 0;
	}
	if (nc > max)
		nc = max;
	for (i = 0; i < nc; i++)
		cl[i] = lab[i].name;
	for (i = 0; i < n; i++)
		mo[i] = m->months[i];
	*g = grid(rows, "month", mo, n, dim, cl, nc);
	*tot = grid(trows, "month", mo, n, NULL, NULL, 1);
	if (*g == NULL || *tot == NULL) {
		view_unavailable(m, 0);
		return 0;
	}
	return nc;
}

/* Monthly by product group, with the monthly total. */
static void
view_groups(struct mon *m, json_t *totdoc)
{
	struct req	*r = m->r;
	struct html	*h = &r->h;
	struct qp	 q;
	const char	*cl[MON_LABELS];
	struct cell	*g = NULL, *tot = NULL, *cur, *prev;
	json_t		*doc, *rows, *trows;
	char		 subj[LIM_FIELD_BYTES * 2 + 64], a[48], b[48];
	size_t		 nc, i, n = m->nmonths, best;
	int		 d, st, supp, td;

	d = view_begin(m, "by-group", "Monthly imports by product group");
	qp_filters(&q, m, "month,product_group");
	doc = api_get(r, "/api/v1/monitor/cells", &q, &st);
	if ((rows = rows_of(doc, "rows")) == NULL ||
	    (trows = rows_of(totdoc, "rows")) == NULL) {
		view_unavailable(m, st);
		goto out;
	}
	if ((nc = monthly_grid(m, rows, rows, trows, "product_group", cl,
	    MON_LABELS, &g, &tot)) == 0)
		goto out;
	chart_slot(m, "t-by-group", "line", "Line chart of monthly imports "
	    "by product group");

	/* "In 2026-10, imports of aluminum totaled 12,345 t ($34.5
	 * million), up 8% from the month before; the largest product
	 * group was Unwrought Aluminum (61%)." */
	subject(m, subj, sizeof(subj));
	cur = &tot[n - 1];
	prev = n > 1 ? &tot[n - 2] : NULL;
	td = summary_begin(m, "t-by-group");
	if (cur->state == CELL_SUPP)
		h_textf(h, "In %s, the total of %s is withheld to avoid "
		    "disclosing data of individual companies.",
		    m->months[n - 1], subj);
	else if (cur->state == CELL_NONE)
		h_textf(h, "In %s there were no %s.", m->months[n - 1], subj);
	else {
		fmt_tons(cur->kg, a, sizeof(a));
		fmt_dollars_short(cur->usd, b, sizeof(b));
		h_textf(h, "In %s, %s totaled %s t (%s)", m->months[n - 1],
		    subj, a, b);
		if (prev != NULL && prev->state == CELL_PUB && prev->kg > 0) {
			i = (size_t)labs(lround((cur->kg / prev->kg - 1) *
			    100));
			if (i == 0)
				h_text(h, ", about the same as the month "
				    "before");
			else
				h_textf(h, ", %s %zu%% from the month before",
				    cur->kg > prev->kg ? "up" : "down", i);
		}
		best = nc;
		for (i = 0; i < nc; i++)
			if (g[(n - 1) * nc + i].state == CELL_PUB &&
			    (best == nc || g[(n - 1) * nc + i].kg >
			    g[(n - 1) * nc + best].kg))
				best = i;
		if (m->group == NULL && nc > 1 && best < nc)
			h_textf(h, "; the largest product group was %s "
			    "(%d%%)", cl[best], pct(g[(n - 1) * nc + best].kg,
			    cur->kg));
		h_text(h, ".");
	}
	if (nc > MON_TREND_LINES)
		h_textf(h, " The chart shows the %d largest of the %zu "
		    "product groups; the table has them all.",
		    MON_TREND_LINES, nc);
	h_close_to(h, td);

	td = table_begin(m);
	supp = pivot_table(m, "t-by-group", "Monthly imports by product "
	    "group", g, cl, nc, tot);
	h_close_to(h, td);
	view_links(m, "month,product_group", supp ? "" : NULL);
out:
	h_close_to(h, d);
	free(g);
	free(tot);
	json_decref(doc);
}

/* Monthly by country of origin: the largest countries of the range. */
static void
view_countries(struct mon *m, json_t *crows, json_t *totdoc)
{
	struct req	*r = m->r;
	struct html	*h = &r->h;
	struct qp	 q;
	const char	*cl[MON_TREND_LINES];
	struct cell	*g = NULL, *tot = NULL, *cur;
	json_t		*doc, *rows, *trows;
	size_t		 nc, i, k, n = m->nmonths, order[3];
	int		 d, st, supp, td, nb;

	d = view_begin(m, "by-country", "Monthly imports by country of "
	    "origin");
	qp_filters(&q, m, "month,country_of_origin");
	doc = api_get(r, "/api/v1/monitor/cells", &q, &st);
	if ((rows = rows_of(doc, "rows")) == NULL || crows == NULL ||
	    (trows = rows_of(totdoc, "rows")) == NULL) {
		view_unavailable(m, st);
		goto out;
	}
	/* The ranking of the whole range, so the lines stay the same
	 * countries from month to month. */
	if ((nc = monthly_grid(m, crows, rows, trows, "country_of_origin",
	    cl, MON_TREND_LINES, &g, &tot)) == 0)
		goto out;
	chart_slot(m, "t-by-country", "line", "Line chart of monthly "
	    "imports by country of origin");

	/* The three largest origins of the last month and their shares. */
	cur = &tot[n - 1];
	td = summary_begin(m, "t-by-country");
	nb = 0;
	for (k = 0; k < 3; k++) {
		order[k] = nc;
		for (i = 0; i < nc; i++) {
			if (g[(n - 1) * nc + i].state != CELL_PUB ||
			    (k > 0 && i == order[0]) || (k > 1 &&
			    i == order[1]))
				continue;
			if (order[k] == nc || g[(n - 1) * nc + i].kg >
			    g[(n - 1) * nc + order[k]].kg)
				order[k] = i;
		}
		if (order[k] < nc && g[(n - 1) * nc + order[k]].kg > 0)
			nb++;
		else
			break;
	}
	if (nb == 0 || cur->state != CELL_PUB || cur->kg <= 0)
		h_textf(h, "In %s, no country of origin has figures that "
		    "can be published.", m->months[n - 1]);
	else {
		h_textf(h, "In %s, the largest origin was %s (%d%% of the "
		    "tonnage)", m->months[n - 1], cl[order[0]],
		    pct(g[(n - 1) * nc + order[0]].kg, cur->kg));
		for (k = 1; k < (size_t)nb; k++)
			h_textf(h, "%s %s (%d%%)", k == 1 ? ", followed by" :
			    " and", cl[order[k]], pct(g[(n - 1) * nc +
			    order[k]].kg, cur->kg));
		h_text(h, ".");
	}
	if (json_array_size(crows) > nc)
		h_textf(h, " The chart and table show the %zu largest "
		    "countries of the period; Top countries below lists "
		    "them all.", nc);
	h_close_to(h, td);

	td = table_begin(m);
	supp = pivot_table(m, "t-by-country", "Monthly imports by country "
	    "of origin", g, cl, nc, tot);
	h_close_to(h, td);
	view_links(m, "month,country_of_origin", supp ? "" : NULL);
out:
	h_close_to(h, d);
	free(g);
	free(tot);
	json_decref(doc);
}

/* Sum of the published monthly totals (0 when any is withheld: no
 * share can be given then). */
static double
total_kg(json_t *totdoc)
{
	json_t		*rows, *row;
	struct cell	 c;
	double		 kg = 0;
	size_t		 i;

	if ((rows = rows_of(totdoc, "rows")) == NULL)
		return 0;
	json_array_foreach(rows, i, row) {
		cell_of(row, &c);
		if (c.state == CELL_SUPP)
			return 0;
		kg += c.kg;
	}
	return kg;
}

/* A bar chart and long table of one answer, for the top countries,
 * smelt and cast, and melt and pour. */
struct longview {
	const char	*id;		/* section */
	const char	*tid;		/* table */
	const char	*title;
	const char	*by;
	const char	*const *dims;
	const char	*const *heads;
	size_t		 ndims;
	const char	*what;		/* the chart, for its label */
};

static void
view_long(struct mon *m, const struct longview *lv, json_t *rows,
    int status, double tkg, void (*summarize)(struct mon *, json_t **,
    size_t, double))
{
	struct html	*h = &m->r->h;
	json_t		**v = NULL;
	size_t		  n;
	int		  d, td, supp;

	d = view_begin(m, lv->id, lv->title);
	if (rows == NULL || (v = sorted_rows(rows, lv->dims[0], &n)) ==
	    NULL) {
		view_unavailable(m, status);
		goto out;
	}
	if (n == 0) {
		no_imports(m, lv->by);
		goto out;
	}
	chart_slot(m, lv->tid, "bar", lv->what);
	td = summary_begin(m, lv->tid);
	summarize(m, v, n, tkg);
	h_close_to(h, td);
	td = table_begin(m);
	supp = long_table(m, lv->tid, lv->title, v, n, lv->dims, lv->heads,
	    lv->ndims, tkg);
	h_close_to(h, td);
	view_links(m, lv->by, supp ? "" : NULL);
out:
	h_close_to(h, d);
	free(v);
}

static size_t
count_published(json_t **v, size_t n)
{
	struct cell	 c;
	size_t		 i, k = 0;

	for (i = 0; i < n; i++) {
		cell_of(v[i], &c);
		k += c.state == CELL_PUB;
	}
	return k;
}

static void
say_withheld(struct mon *m, json_t **v, size_t n)
{
	size_t	 k = n - count_published(v, n);

	if (k > 0)
		h_textf(&m->r->h, " %zu %s withheld to avoid disclosing data "
		    "of individual companies.", k, k == 1 ? "row is" :
		    "rows are");
}

static void
sum_top(struct mon *m, json_t **v, size_t n, double tkg)
{
	struct html	*h = &m->r->h;
	struct cell	 c;
	char		 a[48];
	size_t		 i, k = count_published(v, n);

	h_textf(h, "From %s to %s, %zu %s of origin shipped %s.", m->from,
	    m->to, n, n == 1 ? "country" : "countries", m->group ? m->group :
	    m->product);
	if (k > 0) {
		h_text(h, " The largest were ");
		for (i = 0; i < k && i < 3; i++) {
			cell_of(v[i], &c);
			fmt_tons(c.kg, a, sizeof(a));
			h_textf(h, "%s%s (%s t%s", i == 0 ? "" : i + 1 ==
			    (k < 3 ? k : 3) ? " and " : ", ",
			    row_str(v[i], "country_of_origin"), a, tkg > 0 ?
			    ", " : ")");
			if (tkg > 0)
				h_textf(h, "%d%%)", pct(c.kg, tkg));
		}
		h_text(h, ".");
	}
	say_withheld(m, v, n);
}

/* Pairs of countries (smelt and cast, melt and pour and origin). */
static void
sum_pairs(struct mon *m, json_t **v, size_t n, double tkg, const char *da,
    const char *db, const char *how)
{
	struct html	*h = &m->r->h;
	struct cell	 c;
	const char	*a, *b;
	char		 t[48];
	double		 same = 0, pub = 0;
	size_t		 i, k = count_published(v, n);

	for (i = 0; i < k; i++) {
		cell_of(v[i], &c);
		a = row_str(v[i], da);
		b = row_str(v[i], db);
		pub += c.kg;
		if (a != NULL && b != NULL && strcmp(a, b) == 0)
			same += c.kg;
	}
	if (k == 0) {
		h_textf(h, "From %s to %s, no combination has figures that "
		    "can be published.", m->from, m->to);
		say_withheld(m, v, n);
		return;
	}
	cell_of(v[0], &c);
	fmt_tons(c.kg, t, sizeof(t));
	h_textf(h, "From %s to %s, the largest combination was %s %s and "
	    "%s %s: %s t", m->from, m->to, how, row_str(v[0], da),
	    strcmp(db, "country_of_origin") == 0 ? "origin" : "cast in",
	    row_str(v[0], db), t);
	if (tkg > 0)
		h_textf(h, " (%d%% of all %s)", pct(c.kg, tkg), m->product);
	h_textf(h, ". Of the published figures, %d%% of the tonnage "
	    "stayed in one country.", pct(same, pub));
	say_withheld(m, v, n);
}

static void
sum_smelt(struct mon *m, json_t **v, size_t n, double tkg)
{
	sum_pairs(m, v, n, tkg, "country_of_largest_smelt",
	    "country_of_most_recent_cast", "smelted in");
}

static void
sum_melt(struct mon *m, json_t **v, size_t n, double tkg)
{
	sum_pairs(m, v, n, tkg, "country_of_melt_and_pour",
	    "country_of_origin", "melted and poured in");
}

static void
view_pairs(struct mon *m, double tkg)
{
	static const char *const sdims[] = { "country_of_largest_smelt",
	    "country_of_most_recent_cast" };
	static const char *const sheads[] = { "Country of largest smelt",
	    "Country of most recent cast" };
	static const char *const mdims[] = { "country_of_melt_and_pour",
	    "country_of_origin" };
	static const char *const mheads[] = { "Country of melt and pour",
	    "Country of origin" };
	static const struct longview smelt = { "smelt-cast", "t-smelt-cast",
	    "Largest smelt and most recent cast", "country_of_largest_smelt,"
	    "country_of_most_recent_cast", sdims, sheads, 2, "Bar chart of "
	    "imports by country of largest smelt and of most recent cast" };
	static const struct longview melt = { "melt-pour", "t-melt-pour",
	    "Melt and pour", "country_of_melt_and_pour,country_of_origin",
	    mdims, mheads, 2, "Bar chart of imports by country of melt and "
	    "pour and country of origin" };
	const struct longview	*lv;
	struct qp		 q;
	json_t			*doc;
	int			 st, al;

	al = strcmp(m->product, "aluminum") == 0;
	lv = al ? &smelt : &melt;
	qp_filters(&q, m, lv->by);
	doc = api_get(m->r, "/api/v1/monitor/cells", &q, &st);
	view_long(m, lv, rows_of(doc, "rows"), st, tkg, al ? sum_smelt : sum_melt);
	json_decref(doc);
}

/* The surge list (DOMAIN.md section 10): newest month first, then the
 * largest increase. */
static int
surge_cmp(const void *a, const void *b)
{
	json_t		*x = *(json_t *const *)a, *y = *(json_t *const *)b;
	const char	*mx = row_str(x, "month"), *my = row_str(y, "month");
	double		 ix, iy;
	int		 c, ok;

	if ((c = strcmp(my ? my : "", mx ? mx : "")) != 0)
		return c;
	ix = row_num(x, "increase_kg", &ok);
	iy = row_num(y, "increase_kg", &ok);
	return ix < iy ? 1 : ix > iy ? -1 : 0;
}

static void
surge_row(struct req *r, json_t *row)
{
	struct html	*h = &r->h;
	const char	*s;
	char		 a[48], b[48], inc[24];
	double		 kg, avg, p;
	int		 ok, okb, okp;

	kg = row_num(row, "kg", &ok);
	avg = row_num(row, "trailing_avg_kg", &okb);
	p = row_num(row, "increase_pct", &okp);
	fmt_tons(kg, a, sizeof(a));
	fmt_tons(avg, b, sizeof(b));
	if (okp)
		snprintf(inc, sizeof(inc), "+%.0f%%", p);
	h_open(h, "tr", NULL);
	h_elem(h, "th", (s = row_str(row, "month")) ? s : "", "scope", "row",
	    NULL);
	h_elem(h, "td", (s = row_str(row, "product_group")) ? s : "", NULL);
	h_elem(h, "td", (s = row_str(row, "country_of_origin")) ? s : "",
	    NULL);
	h_elem(h, "td", ok ? a : "–", "class", "aim-num", NULL);
	h_elem(h, "td", okb ? b : "–", "class", "aim-num", NULL);
	/* No imports in the months before: no percentage. */
	h_elem(h, "td", okp ? inc : "new", "class", "aim-num", NULL);
	h_close(h);
}

static void
view_surges(struct mon *m)
{
	struct req	*r = m->r;
	struct html	*h = &r->h;
	struct qp	 q;
	json_t		*doc, *rows, *row, **v = NULL;
	const char	*s;
	size_t		 i, n = 0, last = 0;
	int		 d, td, st;

	d = view_begin(m, "surges", "Surges");
	h_elem(h, "p", "A product group from one country of origin surges "
	    "when its month is at least 50% above the average of the three "
	    "months before it, and at least 100 metric tons above it. Only "
	    "published figures are compared.", NULL);
	memset(&q, 0, sizeof(q));
	qp_add(&q, "product", m->product);
	qp_add(&q, "from", m->from);
	qp_add(&q, "to", m->to);
	doc = api_get(r, "/api/v1/monitor/surges", &q, &st);
	if ((rows = rows_of(doc, "surges")) == NULL ||
	    (v = calloc(json_array_size(rows) + 1, sizeof(*v))) == NULL) {
		view_unavailable(m, st);
		goto out;
	}
	/* The page's other filters narrow the list too. */
	json_array_foreach(rows, i, row) {
		if (m->group != NULL && ((s = row_str(row, "product_group")) ==
		    NULL || strcmp(s, m->group) != 0))
			continue;
		if (m->country != NULL && ((s = row_str(row,
		    "country_of_origin")) == NULL || strcmp(s, m->country) != 0))
			continue;
		v[n++] = row;
	}
	qsort(v, n, sizeof(*v), surge_cmp);
	for (i = 0; i < n; i++)
		if ((s = row_str(v[i], "month")) != NULL &&
		    strcmp(s, m->to) == 0)
			last++;

	td = summary_begin(m, "t-surges");
	if (last == 0)
		h_textf(h, "No surges in %s.", m->to);
	else {
		h_textf(h, "In %s, %zu surge%s: ", m->to, last, last == 1 ?
		    "" : "s");
		for (i = 0; i < last && i < 3; i++) {
			s = row_str(v[i], "product_group");
			h_textf(h, "%s%s from ", i == 0 ? "" : ", ", s ? s :
			    "");
			s = row_str(v[i], "country_of_origin");
			h_text(h, s ? s : "");
		}
		h_text(h, last > 3 ? " and more." : ".");
	}
	if (n > last)
		h_textf(h, " %zu in the months before, since %s.", n - last,
		    m->from);
	h_close_to(h, td);

	if (n > 0) {
		td = h->depth;
		h_open(h, "div", "class", "usa-table-container--scrollable "
		    "aim-mon-table", "tabindex", "0", "role", "region",
		    "aria-label", "Surges", NULL);
		h_open(h, "table", "class", "usa-table usa-table--compact "
		    "usa-table--striped", "id", "t-surges", NULL);
		h_elem(h, "caption", "Surges by month, product group and "
		    "country of origin", NULL);
		h_open(h, "thead", NULL);
		h_open(h, "tr", NULL);
		h_elem(h, "th", "Month", "scope", "col", NULL);
		h_elem(h, "th", "Product group", "scope", "col", NULL);
		h_elem(h, "th", "Country of origin", "scope", "col", NULL);
		h_elem(h, "th", "Metric tons", "scope", "col", "class",
		    "aim-num", NULL);
		h_elem(h, "th", "Average of the 3 months before (t)",
		    "scope", "col", "class", "aim-num", NULL);
		h_elem(h, "th", "Increase", "scope", "col", "class",
		    "aim-num", NULL);
		h_close(h);
		h_close(h);
		h_open(h, "tbody", NULL);
		for (i = 0; i < n && i < MON_LONG_ROWS; i++)
			surge_row(r, v[i]);
		h_close_to(h, td);
		if (n > MON_LONG_ROWS) {
			h_open(h, "p", "class", "aim-mon-note", NULL);
			h_textf(h, "The first %d of %zu surges; the CSV "
			    "download has them all.", MON_LONG_ROWS, n);
			h_close(h);
		}
	}
	data_links(h, &q, "/api/v1/monitor/surges");
out:
	h_close_to(h, d);
	free(v);
	json_decref(doc);
}

/* ----- the page ----- */

static void
intro(struct mon *m)
{
	struct html	*h = &m->r->h;
	const char	*up = row_str(m->meta, "updated_at");
	char		 when[64];
	int		 d;

	h_elem(h, "h1", "Import monitor", NULL);
	h_elem(h, "p", "Aluminum and steel imports as declared on import "
	    "licenses: metric tons, customs value in US dollars and unit "
	    "value, by month, product group, HTS subheading and country.",
	    "class", "usa-intro", NULL);
	d = h->depth;
	h_open(h, "div", "class", "usa-alert usa-alert--info "
	    "usa-alert--slim aim-mon-source", "role", "note", NULL);
	h_open(h, "div", "class", "usa-alert__body", NULL);
	h_open(h, "p", "class", "usa-alert__text", NULL);
	h_elem(h, "strong", "These figures come from import licenses, not "
	    "official trade statistics. ", NULL);
	h_text(h, "A license is filed before the goods arrive, so the "
	    "monitor is published about seven weeks ahead of the Census "
	    "Bureau's official import statistics, which may differ. ");
	h_text(h, "Last updated: ");
	if (up != NULL)
		fmt_updated(up, when, sizeof(when));
	h_elem(h, "strong", up ? when : "unknown", "class",
	    "aim-mon-updated", NULL);
	h_text(h, " (the totals change as licenses are filed, corrected "
	    "or canceled).");
	h_close_to(h, d);
	h_open(h, "p", "class", "aim-mon-legend", NULL);
	h_elem(h, "abbr", "(D)", "title", "Withheld", NULL);
	h_text(h, " in a table: " WITHHELD ". A figure is published only "
	    "when at least 3 importers contribute to it and none has more "
	    "than 80% of its value.");
	h_close(h);
}

static void
contents(struct mon *m)
{
	struct html	*h = &m->r->h;
	int		 al = strcmp(m->product, "aluminum") == 0;
	const char	*views[] = {
		"Monthly imports by product group", "#by-group",
		"Monthly imports by country of origin", "#by-country",
		"Top countries of origin", "#top-countries",
		al ? "Largest smelt and most recent cast" : "Melt and pour",
		al ? "#smelt-cast" : "#melt-pour",
		"Surges", "#surges",
	};

	h_open(h, "nav", "aria-label", "Views of the monitor", "class",
	    "aim-mon-toc", NULL);
	h_elem(h, "h2", "On this page", "class", "aim-mon-toc__heading",
	    NULL);
	ui_link_list(m->r, "usa-list usa-list--unstyled", views,
	    sizeof(views) / sizeof(views[0]) / 2);
	h_close(h);
}

static void
monitor(struct req *r)
{
	static const char *const cdims[] = { "country_of_origin" };
	static const char *const cheads[] = { "Country of origin" };
	static const struct longview top = { "top-countries",
	    "t-top-countries", "Top countries of origin",
	    "country_of_origin", cdims, cheads, 1, "Bar chart of imports "
	    "by country of origin, largest first" };
	struct html	*h = &r->h;
	struct mon	*m;
	struct qp	 q;
	json_t		*tot = NULL, *cdoc = NULL;
	double		 tkg;
	int		 st, cst;

	if ((m = calloc(1, sizeof(*m))) == NULL) {
		resp_error_page(r, 503, "Not available right now", "The "
		    "monitor could not be shown. Try again in a moment.");
		return;
	}
	m->r = r;
	report_init(&m->rep);
	if ((m->meta = api_get(r, "/api/v1/monitor/meta", NULL, &st)) ==
	    NULL) {
		resp_error_page(r, 503, "Not available right now", "The "
		    "import monitor could not be read just now. Try again in "
		    "a moment.");
		goto out;
	}
	filters_read(m);
	if (m->rep.nerrors > 0)
		r->status = 400;

	page_begin(r, "Import monitor");
	h_void(h, "link", "rel", "stylesheet", "href", "/static/monitor.css",
	    NULL);
	intro(m);
	ui_error_summary(r, &m->rep);
	filters_form(m);
	if (m->rep.nerrors > 0)
		goto end;
	if (m->nmonths == 0) {
		ui_alert(r, "info", "No figures yet", "No licenses have been "
		    "filed yet, so the monitor has nothing to show.");
		goto end;
	}
	contents(m);

	qp_filters(&q, m, "month");
	tot = api_get(r, "/api/v1/monitor/cells", &q, &st);
	qp_filters(&q, m, "country_of_origin");
	cdoc = api_get(r, "/api/v1/monitor/cells", &q, &cst);
	tkg = total_kg(tot);

	view_groups(m, tot);
	view_countries(m, rows_of(cdoc, "rows"), tot);
	view_long(m, &top, rows_of(cdoc, "rows"), cst, tkg, sum_top);
	view_pairs(m, tkg);
	view_surges(m);

	/* After the content: the tables are there when they run. */
	h_open(h, "script", "src", "/static/chartjs/chart.umd.js", "defer",
	    "", NULL);
	h_close(h);
	h_open(h, "script", "src", "/static/monitor.js", "defer", "", NULL);
	h_close(h);
end:
	page_end(r);
out:
	json_decref(tot);
	json_decref(cdoc);
	json_decref(m->meta);
	report_free(&m->rep);
	free(m);
}

static const struct route routes[] = {
	{ METHOD_GET, "/monitor", ROLE_PUBLIC, monitor },
};

ROUTE_TABLE(routes_monitor_page, routes);
