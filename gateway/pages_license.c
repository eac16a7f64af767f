/*
 * A filer's licenses: the list, the license page (details, product
 * lines, Action Required, versions and events), confirm, cancel with a
 * confirmation step, and the print view.  Every change is one registry
 * call; these pages only show what the core answers and add no rule.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/date.h"
#include "lib/limits.h"
#include "forms/account.h"
#include "forms/licjson.h"
#include "forms/licnum.h"
#include "db/listing.h"
#include "lib/log.h"
#include "db/registry.h"
#include "filing.h"
#include "layout.h"
#include "licview.h"
#include "route.h"

#define LIST_ROWS	25		/* licenses on one page of the list */
#define LIST_PAGE_MAX	1000000		/* highest page number accepted */

static const char *const product_labels[PRODUCT__MAX] = {
	"Aluminum", "Steel",
};
static const char *const ltype_labels[LTYPE__MAX] = {
	"Standard", "Low value",
};
static const char *const entry_labels[ENTRY__MAX] = {
	"Consumption", "Foreign-trade zone admission",
};

/* Tags: Action Required in red, canceled grey.  The utility classes
 * give the colours even before aim.css styles the aim- classes. */
static const struct {
	const char	*label;
	const char	*cls;
	const char	*big;
} status_ui[STATUS__MAX] = {
	{ "Issued", "usa-tag aim-tag--issued bg-success-dark",
	  "usa-tag usa-tag--big aim-tag--issued bg-success-dark" },
	{ "Action Required", "usa-tag aim-tag--action bg-secondary-dark",
	  "usa-tag usa-tag--big aim-tag--action bg-secondary-dark" },
	{ "Canceled", "usa-tag aim-tag--canceled bg-base",
	  "usa-tag usa-tag--big aim-tag--canceled bg-base" },
};

static const struct {
	const char	*action;
	const char	*label;
} event_labels[] = {
	{ "submit", "Filed" },
	{ "correct", "Corrected" },
	{ "cancel", "Canceled" },
	{ "confirm", "Confirmed without change" },
	{ "duplicate", "Duplicated" },
};

static int
name_index(const char *s, const char *const *names, int n)
{
	int	 i;

	for (i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

/* "1234567.89" -> "1,234,567.89": commas in the whole part only. */
static void
group_digits(const char *in, char *out, size_t sz)
{
	size_t	 whole, i, n = 0;

	if (sz == 0)
		return;
	if (*in == '-' && n + 1 < sz)
		out[n++] = *in++;
	whole = strcspn(in, ".");
	for (i = 0; in[i] != '\0' && n + 1 < sz; i++) {
		if (i > 0 && i < whole && (whole - i) % 3 == 0) {
			if (n + 2 >= sz)
				break;
			out[n++] = ',';
		}
		out[n++] = in[i];
	}
	out[n] = '\0';
}

static void
money_pretty(int64_t cents, char *out, size_t sz)
{
	char	 raw[32];

	if (sz < 2)
		return;
	money_format(cents, raw, sizeof(raw));
	out[0] = '$';
	group_digits(raw, out + 1, sz - 1);
}

static void
kg_pretty(int64_t grams, char *out, size_t sz)
{
	char	 raw[32];

	grams_format(grams, raw, sizeof(raw));
	group_digits(raw, out, sz);
}

/* What people read for a vocabulary path ("lines[2].hts_code"). */
static void
field_label(const char *path, char *out, size_t sz)
{
	char	*end;
	long	 line;
	int	 i;

	if (strncmp(path, "lines[", 6) == 0) {
		line = strtol(path + 6, &end, 10);
		if (line > 0 && line <= LIM_LINES &&
		    strncmp(end, "].", 2) == 0 &&
		    (i = lfield_find(end + 2)) >= 0) {
			snprintf(out, sz, "%s, line %ld", lfields[i].label,
			    line);
			return;
		}
	} else if ((i = hfield_find(path)) >= 0) {
		snprintf(out, sz, "%s", hfields[i].label);
		return;
	} else if (strcmp(path, "lines") == 0) {
		snprintf(out, sz, "Product lines");
		return;
	}
	snprintf(out, sz, "%s", path[0] != '\0' ? path : "The license");
}

/* The same page for a missing license and another company's: never
 * confirm that a number exists. */
static void
not_found(struct req *r)
{
	resp_error_page(r, 404, "License not found", "There is no license "
	    "with this number in your account. Check the number, or find "
	    "the license in your list of licenses.");
}

static void
reg_fail(struct req *r, enum reg_err e)
{
	switch (e) {
	case REG_NOT_FOUND:
		not_found(r);
		break;
	case REG_CANCELED:
		resp_error_page(r, 409, "This license is canceled",
		    "A canceled license can never be changed or used for an "
		    "entry. You can still duplicate it to file a new license "
		    "with the same details.");
		break;
	case REG_CONFLICT:
		resp_error_page(r, 409, "Not possible now", "The license is "
		    "not in a state that allows this. Open the license page "
		    "to see where it stands.");
		break;
	default:
		/* The database failed (busy, disk full, I/O): nothing was
		 * changed, and trying again is the answer. */
		log_msg(LOG_LVL_ERR, "%s: %s: %s", r->path, reg_strerror(e),
		    r->db->errmsg);
		resp_header(r, "Retry-After", "1");
		resp_error_page(r, 503, "Not available right now", "The "
		    "license could not be read or changed just now. Nothing "
		    "was lost or changed: try again in a moment.");
		break;
	}
}

/* The number of the route, normalised; -1 (with the 404 page sent)
 * when it cannot be a license number. */
static int
arg_number(struct req *r, char num[LICNUM_LEN + 1])
{
	if (r->arg == NULL || licnum_normalize(r->arg, num) == -1) {
		not_found(r);
		return -1;
	}
	return 0;
}

/* "Valid from X through Y" in plain words. */
static void
validity_text(const struct reg_view *v, const struct license *lic,
    char *out, size_t sz)
{
	if (v->status == STATUS_CANCELED)
		snprintf(out, sz, "Canceled%s%.10s: it can no longer be used "
		    "for any entry.", v->canceled_at[0] ? " on " : "",
		    v->canceled_at);
	else if (v->valid_through[0] != '\0')
		snprintf(out, sz, "Valid from %s through %s.", v->valid_from,
		    v->valid_through);
	else if (v->ltype == LTYPE_LOW_VALUE)
		snprintf(out, sz, "Valid from %s; does not expire (a low "
		    "value license stays valid until canceled).",
		    v->valid_from);
	else if (lic != NULL && lic->entry == ENTRY_FTZ)
		snprintf(out, sz, "Valid from %s; does not expire "
		    "(foreign-trade zone admission).", v->valid_from);
	else
		snprintf(out, sz, "Valid from %s; does not expire.",
		    v->valid_from);
}

/* The license of the route for a page, v to free, and its current
 * version; NULL with the error page sent and nothing to free. */
static const struct reg_version *
view_load(struct req *r, struct reg_view *v)
{
	struct actor	 a;
	char		 num[LICNUM_LEN + 1];
	enum reg_err	 e;

	memset(v, 0, sizeof(*v));
	if (arg_number(r, num) == -1)
		return NULL;
	filing_actor(r, "web", "web", &a);
	if ((e = reg_show(r->db, &a, num, v)) != REG_OK) {
		reg_fail(r, e);
		return NULL;
	}
	if (v->nversions == 0 || v->versions[v->nversions - 1].lic == NULL) {
		reg_fail(r, REG_DB);
		reg_view_free(v);
		return NULL;
	}
	return &v->versions[v->nversions - 1];
}

/* ----- the list ----- */

struct list_filter {
	const char	*number;
	const char	*importer;
	const char	*status;
	const char	*product;
	const char	*from;
	const char	*to;
};

/* The list's address for a page, keeping the search. */
static void
list_href(const struct list_filter *f, size_t page, char *out, size_t sz)
{
	struct buf	 b;
	char		 pg[24];

	buf_init(&b, 4 * LIM_FIELD_BYTES * 3);
	ui_qs_add(&b, "number", f->number);
	ui_qs_add(&b, "importer", f->importer);
	ui_qs_add(&b, "status", f->status);
	ui_qs_add(&b, "product", f->product);
	ui_qs_add(&b, "from", f->from);
	ui_qs_add(&b, "to", f->to);
	if (page > 1) {
		snprintf(pg, sizeof(pg), "%zu", page);
		ui_qs_add(&b, "page", pg);
	}
	/* An address that would not fit drops the search, not the page. */
	if (b.overflow || snprintf(out, sz, "/licenses%s", buf_str(&b)) >=
	    (int)sz)
		snprintf(out, sz, "/licenses");
	buf_free(&b);
}

/* A search text of the query; "" is none. */
static const char *
query_text(struct req *r, const char *key, struct report *rep,
    const char *label)
{
	const char	*v = ui_query_text(r, key, label, rep);

	return v != NULL && *v != '\0' ? v : NULL;
}

static const char *
query_date(struct req *r, const char *key, struct report *rep,
    const char *label)
{
	const char	*v;
	int		 d;

	if ((v = query_text(r, key, rep, label)) == NULL)
		return NULL;
	if (date_parse(v, &d) == -1) {
		report_error(rep, 0, key, "%s must be a date as YYYY-MM-DD, "
		    "for example 2025-03-14.", label);
		return NULL;
	}
	return v;
}

static void
pager_link(struct req *r, const struct list_filter *f, size_t page,
    size_t cur)
{
	struct html	*h = &r->h;
	char		 href[4096], label[32], text[24];

	list_href(f, page, href, sizeof(href));
	snprintf(label, sizeof(label), "Page %zu", page);
	snprintf(text, sizeof(text), "%zu", page);
	h_open(h, "li", "class", "usa-pagination__item "
	    "usa-pagination__page-no", NULL);
	h_elem(h, "a", text, "href", href, "class", page == cur ?
	    "usa-pagination__button usa-current" : "usa-pagination__button",
	    "aria-label", label, "aria-current", page == cur ? "page" : NULL,
	    NULL);
	h_close(h);
}

static void
pager_gap(struct req *r)
{
	h_open(&r->h, "li", "class", "usa-pagination__item "
	    "usa-pagination__overflow", "aria-label", "ellipsis indicating "
	    "non-visible pages", NULL);
	h_elem(&r->h, "span", "…", NULL);
	h_close(&r->h);
}

/* usa-pagination: previous, first, a window round the current page,
 * last, next. */
static void
pager(struct req *r, const struct list_filter *f, size_t cur, size_t pages)
{
	struct html	*h = &r->h;
	char		 href[4096];
	size_t		 p, lo, hi;

	if (pages <= 1)
		return;
	lo = cur > 2 ? cur - 1 : 1;
	hi = cur + 1 < pages ? cur + 1 : pages;
	h_open(h, "nav", "aria-label", "Pages of licenses", "class",
	    "usa-pagination", NULL);
	h_open(h, "ul", "class", "usa-pagination__list", NULL);
	if (cur > 1) {
		list_href(f, cur - 1, href, sizeof(href));
		h_open(h, "li", "class", "usa-pagination__item "
		    "usa-pagination__arrow", NULL);
		h_open(h, "a", "href", href, "class", "usa-pagination__link "
		    "usa-pagination__previous-page", "aria-label",
		    "Previous page", NULL);
		h_elem(h, "span", "Previous", "class",
		    "usa-pagination__link-text", NULL);
		h_close(h);
		h_close(h);
	}
	if (lo > 1)
		pager_link(r, f, 1, cur);
	if (lo > 2)
		pager_gap(r);
	for (p = lo; p <= hi; p++)
		pager_link(r, f, p, cur);
	if (hi + 1 < pages)
		pager_gap(r);
	if (hi < pages)
		pager_link(r, f, pages, cur);
	if (cur < pages) {
		list_href(f, cur + 1, href, sizeof(href));
		h_open(h, "li", "class", "usa-pagination__item "
		    "usa-pagination__arrow", NULL);
		h_open(h, "a", "href", href, "class", "usa-pagination__link "
		    "usa-pagination__next-page", "aria-label", "Next page",
		    NULL);
		h_elem(h, "span", "Next", "class",
		    "usa-pagination__link-text", NULL);
		h_close(h);
		h_close(h);
	}
	h_close(h);
	h_close(h);
}

static void
search_form(struct req *r, const struct list_filter *f,
    const struct report *rep)
{
	static const char *const statuses[] = {
		"issued", "Issued",
		"action_required", "Action Required",
		"canceled", "Canceled",
	};
	static const char *const products[] = {
		"aluminum", "Aluminum",
		"steel", "Steel",
	};
	struct html	*h = &r->h;
	int		 d = h->depth;

	h_open(h, "form", "method", "get", "action", "/licenses", "class",
	    "usa-form maxw-none aim-search", "role", "search", "aria-label",
	    "Search your licenses", NULL);
	h_open(h, "div", "class", "grid-row grid-gap", NULL);
	ui_search_input(r, "tablet:grid-col-4", "number", "License number",
	    NULL, "All or the start of it", rep);
	ui_search_input(r, "tablet:grid-col-4", "importer", "Importer", NULL,
	    "Any part of the name", rep);
	ui_search_select(r, "tablet:grid-col-2", "status", "Status", f->status,
	    statuses, 3);
	ui_search_select(r, "tablet:grid-col-2", "product", "Product",
	    f->product, products, 2);
	/* No hint on dates: the date picker shows its own format. */
	ui_search_input(r, "tablet:grid-col-4", "from", "Issued from", "date",
	    NULL, rep);
	ui_search_input(r, "tablet:grid-col-4", "to", "Issued through", "date",
	    NULL, rep);

	h_open(h, "div", "class", "tablet:grid-col-4 aim-search__buttons",
	    NULL);
	ui_button(r, "Search", NULL);
	h_elem(h, "a", "Clear", "href", "/licenses", "class",
	    "usa-button usa-button--unstyled margin-top-3", NULL);
	h_close_to(h, d);
}

static void
list_table(struct req *r, const struct listing_row *rows, size_t n,
    size_t first, size_t total)
{
	static const char *const cols[] = {
		"License number", "Product", "Type", "Importer", "Origin",
		"Import date", "Valid through", "Status", "Lines",
		"Total value",
	};
	struct html	*h = &r->h;
	const struct listing_row *w;
	char		 href[64], buf[64];
	size_t		 i;
	int		 k;

	h_open(h, "table", "class", "usa-table usa-table--striped "
	    "usa-table--stacked aim-licenses", NULL);
	h_open(h, "caption", NULL);
	h_textf(h, "Licenses %zu to %zu of %zu, newest first", first + 1,
	    first + n, total);
	h_close(h);
	ui_thead_of(h, cols, sizeof(cols) / sizeof(cols[0]));
	for (i = 0; i < n; i++) {
		w = &rows[i];
		h_open(h, "tr", NULL);
		snprintf(href, sizeof(href), "/licenses/%s", w->number);
		h_open(h, "th", "scope", "row", "data-label", cols[0], NULL);
		h_elem(h, "a", w->number, "href", href, "class",
		    "usa-link aim-licnum", NULL);
		h_close(h);
		k = name_index(w->product, product_names, PRODUCT__MAX);
		ui_td(h, cols[1], k >= 0 ? product_labels[k] : w->product);
		k = name_index(w->license_type, ltype_names, LTYPE__MAX);
		snprintf(buf, sizeof(buf), "%s%s", k >= 0 ? ltype_labels[k] :
		    w->license_type, strcmp(w->entry_type, "ftz") == 0 ?
		    ", FTZ" : "");
		ui_td(h, cols[2], buf);
		ui_td(h, cols[3], w->importer_name);
		ui_td(h, cols[4], w->country_of_origin);
		/* Dates never break inside. */
		h_elem(h, "td", w->expected_import_date, "data-label", cols[5],
		    "class", "text-no-wrap", NULL);
		h_elem(h, "td", w->valid_through[0] ? w->valid_through :
		    "Does not expire", "data-label", cols[6], "class",
		    w->valid_through[0] ? "text-no-wrap" : NULL, NULL);
		h_open(h, "td", "data-label", cols[7], NULL);
		k = licview_status_index(w->status);
		h_elem(h, "span", k >= 0 ? status_ui[k].label : w->status,
		    "class", k >= 0 ? status_ui[k].cls : "usa-tag", NULL);
		h_close(h);
		if (w->nlines > 0) {
			snprintf(buf, sizeof(buf), "%d", w->nlines);
			ui_td(h, cols[8], buf);
			money_pretty(w->value_cents, buf, sizeof(buf));
			ui_td(h, cols[9], buf);
		} else {
			ui_td(h, cols[8], "None");
			ui_td(h, cols[9], "Up to $5,000 an entry");
		}
		h_close(h);
	}
	h_close(h);
	h_close(h);
}

static void
list(struct req *r)
{
	struct html		*h = &r->h;
	struct listing_query	 q;
	struct listing_row	*rows = NULL;
	struct list_filter	 f;
	struct report		 rep;
	const char		*s;
	char			*end, href[4096], head[96];
	size_t			 n = 0, total = 0, nflag = 0, page = 1, pages;
	long			 pl;
	int			 d, filtered;
	enum db_err		 e;

	report_init(&rep);
	memset(&f, 0, sizeof(f));
	f.number = query_text(r, "number", &rep, "The license number");
	f.importer = query_text(r, "importer", &rep, "The importer");
	f.from = query_date(r, "from", &rep, "Issued from");
	f.to = query_date(r, "to", &rep, "Issued through");
	/* An unknown status or product is no filter, as the select would
	 * show it. */
	if ((s = kv_get(&r->query, "status")) != NULL && licview_status_index(s) >= 0)
		f.status = s;
	if ((s = kv_get(&r->query, "product")) != NULL &&
	    name_index(s, product_names, PRODUCT__MAX) >= 0)
		f.product = s;
	if ((s = kv_get(&r->query, "page")) != NULL && *s != '\0') {
		pl = strtol(s, &end, 10);
		if (*end == '\0' && pl >= 1 && pl <= LIST_PAGE_MAX)
			page = (size_t)pl;
	}
	filtered = f.number || f.importer || f.status || f.product ||
	    f.from || f.to || rep.nerrors > 0;

	/* The Action Required count: the same query, counted only. */
	memset(&q, 0, sizeof(q));
	q.account_id = r->account.id;
	q.status = status_names[STATUS_ACTION_REQUIRED];
	q.limit = 0;
	if ((e = listing_query(r->db, &q, &rows, &n, &nflag)) != DB_OK)
		goto dberr;
	free(rows);
	rows = NULL;
	n = 0;

	if (rep.nerrors == 0) {
		memset(&q, 0, sizeof(q));
		q.account_id = r->account.id;
		q.number = f.number;
		q.importer = f.importer;
		q.status = f.status;
		q.product = f.product;
		q.from = f.from;
		q.to = f.to;
		q.limit = LIST_ROWS;
		q.offset = (page - 1) * LIST_ROWS;
		if ((e = listing_query(r->db, &q, &rows, &n, &total)) !=
		    DB_OK)
			goto dberr;
	}
	pages = (total + LIST_ROWS - 1) / LIST_ROWS;

	page_begin(r, "My licenses");
	h_open(h, "div", "class", "grid-row flex-align-center aim-title-row",
	    NULL);
	h_elem(h, "h1", "My licenses", "class", "grid-col-fill", NULL);
	h_elem(h, "a", "Apply for a license", "href", "/apply", "class",
	    "usa-button", NULL);
	h_close(h);

	if (nflag > 0) {
		snprintf(head, sizeof(head), "Action Required on %zu "
		    "license%s", nflag, nflag == 1 ? "" : "s");
		d = ui_alert_open(r, "warning", head, "aim-action-count");
		h_open(h, "p", "class", "usa-alert__text", NULL);
		h_text(h, "The system found something unusual on ");
		h_text(h, nflag == 1 ? "one of your licenses" :
		    "some of your licenses");
		h_text(h, ". Open each one to submit it with changes or "
		    "confirm it without change. ");
		h_elem(h, "a", "Show licenses with Action Required", "href",
		    "/licenses?status=action_required", "class", "usa-link",
		    NULL);
		h_close(h);
		h_close_to(h, d);
	}

	ui_error_summary(r, &rep);
	search_form(r, &f, &rep);

	if (n > 0) {
		list_table(r, rows, n, (page - 1) * LIST_ROWS, total);
		pager(r, &f, page, pages);
	} else if (total > 0) {
		/* A page past the end: the search still matches. */
		h_open(h, "p", NULL);
		h_textf(h, "There is no page %zu: your search matches %zu "
		    "license%s. ", page, total, total == 1 ? "" : "s");
		list_href(&f, 1, href, sizeof(href));
		h_elem(h, "a", "Go to the first page", "href", href, "class",
		    "usa-link", NULL);
		h_close(h);
	} else if (rep.nerrors > 0) {
		h_elem(h, "p", "Correct the search above to see your "
		    "licenses.", NULL);
	} else if (filtered) {
		h_open(h, "div", "class", "aim-empty", NULL);
		h_elem(h, "h2", "No licenses match your search", NULL);
		h_open(h, "p", NULL);
		h_elem(h, "a", "Clear the search", "href", "/licenses",
		    "class", "usa-link", NULL);
		h_text(h, " to see all your licenses, or ");
		h_elem(h, "a", "apply for a new license", "href", "/apply",
		    "class", "usa-link", NULL);
		h_text(h, ".");
		h_close(h);
		h_close(h);
	} else {
		h_open(h, "div", "class", "aim-empty", NULL);
		h_elem(h, "h2", "You have no licenses yet", NULL);
		h_elem(h, "p", "Every entry summary of covered aluminum or "
		    "steel needs its own license. It is free, and the number "
		    "is issued as soon as you submit the application.", NULL);
		h_elem(h, "a", "Apply for a license", "href", "/apply",
		    "class", "usa-button", NULL);
		h_close(h);
	}
	page_end(r);
	goto out;
dberr:
	resp_error_page(r, 500, "Something went wrong", "Your licenses could "
	    "not be listed just now. Try again in a moment.");
out:
	free(rows);
	report_free(&rep);
}

/* ----- the license page ----- */

/* One row of the details list; flagged fields in red with the
 * reason. */
static void
dl_row(struct req *r, const struct report *flags, const char *path,
    const char *label, const char *value)
{
	struct html	*h = &r->h;
	const char	*flag = path != NULL ? ui_flag_for(flags, path) : NULL;
	char		 id[160];

	id[0] = '\0';
	if (path != NULL)
		ui_field_id(path, id, sizeof(id));
	h_open(h, "div", "class", flag != NULL ? "aim-summary-list__row "
	    "aim-flagged border-left-05 border-secondary-dark padding-left-1" :
	    "aim-summary-list__row", "id", id[0] ? id : NULL, NULL);
	h_elem(h, "dt", label, "class", "text-bold margin-top-2", NULL);
	h_open(h, "dd", "class", "margin-left-0", NULL);
	h_text(h, value != NULL && *value != '\0' ? value : "Not given");
	licview_flag_message(h, flag);
	h_close(h);
	h_close(h);
}

static void
details_list(struct req *r, const struct license *lic,
    const struct report *flags)
{
	struct html	*h = &r->h;
	char		 d1[11], d2[11], d3[11];

	date_format(lic->export_date, d1);
	date_format(lic->import_date, d2);
	date_format(lic->application_date, d3);
	h_open(h, "dl", "class", "aim-summary-list", NULL);
	dl_row(r, flags, "product", hfields[HF_PRODUCT].label,
	    product_labels[lic->product]);
	dl_row(r, flags, "license_type", hfields[HF_LICENSE_TYPE].label,
	    ltype_labels[lic->ltype]);
	dl_row(r, flags, "entry_type", hfields[HF_ENTRY_TYPE].label,
	    entry_labels[lic->entry]);
	dl_row(r, flags, "importer_name", hfields[HF_IMPORTER_NAME].label,
	    lic->importer_name);
	dl_row(r, flags, "exporter_name", hfields[HF_EXPORTER_NAME].label,
	    lic->exporter_name);
	dl_row(r, flags, "manufacturer_name",
	    hfields[HF_MANUFACTURER_NAME].label, lic->manufacturer_name);
	dl_row(r, flags, "country_of_origin",
	    hfields[HF_COUNTRY_OF_ORIGIN].label, lic->country_of_origin);
	dl_row(r, flags, "country_of_exportation",
	    hfields[HF_COUNTRY_OF_EXPORTATION].label,
	    lic->country_of_exportation);
	dl_row(r, flags, "expected_export_date",
	    hfields[HF_EXPECTED_EXPORT_DATE].label, d1);
	dl_row(r, flags, "expected_import_date",
	    hfields[HF_EXPECTED_IMPORT_DATE].label, d2);
	dl_row(r, flags, "port_of_entry", hfields[HF_PORT_OF_ENTRY].label,
	    lic->port_of_entry);
	dl_row(r, flags, "customs_entry_number",
	    hfields[HF_CUSTOMS_ENTRY_NUMBER].label,
	    lic->customs_entry_number);
	dl_row(r, flags, NULL, "Application date", d3);
	h_close(h);
}

/* A table cell of a line field, flagged in red when the current
 * version flags it. */
static void
line_cell(struct req *r, const struct report *flags, size_t line,
    enum lfield lf, const char *label, const char *text)
{
	struct html	*h = &r->h;
	const char	*flag;
	char		 path[96], id[160];

	snprintf(path, sizeof(path), "lines[%zu].%s", line, lfields[lf].name);
	if ((flag = ui_flag_for(flags, path)) == NULL) {
		h_elem(h, "td", text != NULL ? text : "", "data-label", label,
		    NULL);
		return;
	}
	ui_field_id(path, id, sizeof(id));
	h_open(h, "td", "data-label", label, "id", id, "class",
	    "aim-flagged border-left-05 border-secondary-dark", NULL);
	h_text(h, text);
	h_open(h, "span", "class", "aim-flag-message text-secondary-dark "
	    "display-block", NULL);
	h_elem(h, "strong", "Action Required: ", NULL);
	h_text(h, flag);
	h_close(h);
	h_close(h);
}

static void
lines_table(struct req *r, const struct license *lic,
    const struct report *flags, const char *cls)
{
	struct html			*h = &r->h;
	const struct license_line	*l;
	char				 buf[64];
	size_t				 i;
	int				 al = lic->product == PRODUCT_ALUMINUM;

	h_open(h, "table", "class", cls, NULL);
	h_elem(h, "caption", "Product lines", "class", "usa-sr-only", NULL);
	h_open(h, "thead", NULL);
	h_open(h, "tr", NULL);
	h_elem(h, "th", "Line", "scope", "col", NULL);
	h_elem(h, "th", lfields[LF_HTS_CODE].label, "scope", "col", NULL);
	h_elem(h, "th", al ? "Product group" : "Product category", "scope",
	    "col", NULL);
	h_elem(h, "th", lfields[LF_CUSTOMS_VALUE_USD].label, "scope", "col",
	    NULL);
	h_elem(h, "th", lfields[LF_VOLUME_KG].label, "scope", "col", NULL);
	h_elem(h, "th", "Unit value ($/kg)", "scope", "col", NULL);
	if (al) {
		h_elem(h, "th", lfields[LF_COUNTRY_OF_LARGEST_SMELT].label,
		    "scope", "col", NULL);
		h_elem(h, "th",
		    lfields[LF_COUNTRY_OF_SECOND_LARGEST_SMELT].label,
		    "scope", "col", NULL);
		h_elem(h, "th", lfields[LF_COUNTRY_OF_MOST_RECENT_CAST].label,
		    "scope", "col", NULL);
	} else
		h_elem(h, "th", lfields[LF_COUNTRY_OF_MELT_AND_POUR].label,
		    "scope", "col", NULL);
	h_close(h);
	h_close(h);
	h_open(h, "tbody", NULL);
	for (i = 0; i < lic->nlines; i++) {
		l = &lic->lines[i];
		h_open(h, "tr", NULL);
		snprintf(buf, sizeof(buf), "%zu", i + 1);
		h_elem(h, "th", buf, "scope", "row", "data-label", "Line",
		    NULL);
		line_cell(r, flags, i + 1, LF_HTS_CODE,
		    lfields[LF_HTS_CODE].label, l->hts_code);
		h_elem(h, "td", l->product_group, "data-label", al ?
		    "Product group" : "Product category", NULL);
		money_pretty(l->value_cents, buf, sizeof(buf));
		line_cell(r, flags, i + 1, LF_CUSTOMS_VALUE_USD,
		    lfields[LF_CUSTOMS_VALUE_USD].label, buf);
		kg_pretty(l->grams, buf, sizeof(buf));
		line_cell(r, flags, i + 1, LF_VOLUME_KG,
		    lfields[LF_VOLUME_KG].label, buf);
		snprintf(buf, sizeof(buf), "$%.2f", l->usd_per_kg);
		h_elem(h, "td", buf, "data-label", "Unit value ($/kg)", NULL);
		if (al) {
			line_cell(r, flags, i + 1,
			    LF_COUNTRY_OF_LARGEST_SMELT,
			    lfields[LF_COUNTRY_OF_LARGEST_SMELT].label,
			    l->largest_smelt);
			line_cell(r, flags, i + 1,
			    LF_COUNTRY_OF_SECOND_LARGEST_SMELT,
			    lfields[LF_COUNTRY_OF_SECOND_LARGEST_SMELT].label,
			    l->second_smelt);
			line_cell(r, flags, i + 1,
			    LF_COUNTRY_OF_MOST_RECENT_CAST,
			    lfields[LF_COUNTRY_OF_MOST_RECENT_CAST].label,
			    l->most_recent_cast);
		} else
			line_cell(r, flags, i + 1, LF_COUNTRY_OF_MELT_AND_POUR,
			    lfields[LF_COUNTRY_OF_MELT_AND_POUR].label,
			    l->melt_and_pour);
		h_close(h);
	}
	h_close(h);
	h_close(h);
}

/* The alert a page shows after an action sent the filer here. */
static void
done_alert(struct req *r, const struct reg_view *v, const char *validity)
{
	struct html	*h = &r->h;
	const char	*email = r->account.v[AF_EMAIL];
	char		 head[96];
	int		 d = -1, ar = v->status == STATUS_ACTION_REQUIRED;

	if (kv_get(&r->query, "new") != NULL &&
	    v->status != STATUS_CANCELED) {
		if (ar)
			snprintf(head, sizeof(head), "License issued with "
			    "Action Required: %s", v->number);
		else
			snprintf(head, sizeof(head), "License issued: %s",
			    v->number);
		d = ui_alert_open(r, ar ? "warning" : "success", head,
		    "aim-issued");
		h_elem(h, "p", validity, "class", "usa-alert__text", NULL);
		if (ar)
			h_elem(h, "p", "Some values look unusual. Check the "
			    "fields marked in red below, then submit with "
			    "changes or confirm without change.", "class",
			    "usa-alert__text", NULL);
	} else if (kv_get(&r->query, "corrected") != NULL &&
	    v->status != STATUS_CANCELED) {
		snprintf(head, sizeof(head), "License corrected: %s",
		    v->number);
		d = ui_alert_open(r, ar ? "warning" : "success", head, NULL);
		h_open(h, "p", "class", "usa-alert__text", NULL);
		h_textf(h, "Your changes are saved as version %d; earlier "
		    "versions are kept below. ", v->version);
		h_text(h, validity);
		h_close(h);
		if (ar)
			h_elem(h, "p", "The corrected license still has "
			    "Action Required: see the fields marked in red.",
			    "class", "usa-alert__text", NULL);
	} else if (kv_get(&r->query, "canceled") != NULL &&
	    v->status == STATUS_CANCELED) {
		snprintf(head, sizeof(head), "License canceled: %s",
		    v->number);
		d = ui_alert_open(r, "info", head, NULL);
		h_elem(h, "p", "It can never be used for an entry again. "
		    "You can still duplicate it to file a new license with "
		    "the same details.", "class", "usa-alert__text", NULL);
	} else if (kv_get(&r->query, "confirmed") != NULL &&
	    v->status == STATUS_ISSUED) {
		snprintf(head, sizeof(head), "License confirmed without "
		    "change: %s", v->number);
		d = ui_alert_open(r, "success", head, NULL);
		h_open(h, "p", "class", "usa-alert__text", NULL);
		h_text(h, "Action Required is cleared. ");
		h_text(h, validity);
		h_close(h);
	}
	if (d < 0)
		return;
	h_open(h, "p", "class", "usa-alert__text", NULL);
	h_text(h, "A confirmation email was sent to ");
	h_text(h, email != NULL ? email : "your account's email address");
	if (r->account.v[AF_ALT_EMAIL] != NULL &&
	    r->account.v[AF_ALT_EMAIL][0] != '\0') {
		h_text(h, " and to ");
		h_text(h, r->account.v[AF_ALT_EMAIL]);
	}
	h_text(h, ".");
	h_close(h);
	h_close_to(h, d);
}

static void
action_required(struct req *r, const struct reg_view *v,
    const struct report *flags)
{
	struct html	*h = &r->h;
	char		 label[160], id[160], href[180], act[64];
	size_t		 i;
	int		 d;

	d = ui_alert_open(r, "error", "Action Required",
	    "aim-action-required");
	h_elem(h, "p", "The system found something unusual on this license: "
	    "a value far from what is usual for this product, or a rare "
	    "country of origin. Often a value or a weight was typed wrong "
	    "(metric tons or pounds as kilograms). Check each field below, "
	    "then either submit the license with changes or confirm it "
	    "without change.", "class", "usa-alert__text", NULL);
	h_open(h, "ul", "class", "usa-list", NULL);
	for (i = 0; i < flags->nflags; i++) {
		field_label(flags->flags[i].field, label, sizeof(label));
		h_open(h, "li", NULL);
		if (flags->flags[i].field[0] != '\0') {
			ui_field_id(flags->flags[i].field, id, sizeof(id));
			snprintf(href, sizeof(href), "#%s", id);
			h_elem(h, "a", label, "href", href, "class",
			    "usa-link text-bold", NULL);
		} else
			h_elem(h, "strong", label, NULL);
		h_text(h, ": ");
		h_text(h, flags->flags[i].message);
		h_close(h);
	}
	h_close(h);
	h_open(h, "ul", "class", "usa-button-group aim-ar-actions", NULL);
	snprintf(href, sizeof(href), "/licenses/%s/edit", v->number);
	h_open(h, "li", "class", "usa-button-group__item", NULL);
	h_elem(h, "a", "Submit with changes", "href", href, "class",
	    "usa-button", NULL);
	h_close(h);
	snprintf(act, sizeof(act), "/licenses/%s/confirm", v->number);
	h_open(h, "li", "class", "usa-button-group__item", NULL);
	ui_form_begin(r, act, "confirm-form");
	ui_button(r, "Confirm without change", "usa-button--outline");
	ui_form_end(r);
	h_close_to(h, d);
}

static void
actions(struct req *r, const struct reg_view *v)
{
	struct html	*h = &r->h;
	char		 href[64];
	int		 live = v->status != STATUS_CANCELED;

	h_open(h, "ul", "class", "usa-button-group aim-actions", NULL);
	if (live) {
		snprintf(href, sizeof(href), "/licenses/%s/edit", v->number);
		h_open(h, "li", "class", "usa-button-group__item", NULL);
		h_elem(h, "a", "Edit", "href", href, "class", "usa-button",
		    NULL);
		h_close(h);
	}
	snprintf(href, sizeof(href), "/licenses/%s/duplicate", v->number);
	h_open(h, "li", "class", "usa-button-group__item", NULL);
	h_elem(h, "a", "Duplicate", "href", href, "class",
	    "usa-button usa-button--outline", NULL);
	h_close(h);
	/* A button that downloads the PDF form (pages_forms.c). */
	snprintf(href, sizeof(href), "/licenses/%s/pdf", v->number);
	h_open(h, "li", "class", "usa-button-group__item", NULL);
	h_open(h, "form", "method", "get", "action", href, NULL);
	h_elem(h, "button", "Duplicate as PDF", "type", "submit", "class",
	    "usa-button usa-button--outline", NULL);
	h_close(h);
	h_close(h);
	if (live) {
		snprintf(href, sizeof(href), "/licenses/%s/cancel",
		    v->number);
		h_open(h, "li", "class", "usa-button-group__item", NULL);
		h_elem(h, "a", "Cancel license", "href", href, "class",
		    "usa-button usa-button--outline aim-button--danger",
		    NULL);
		h_close(h);
	}
	snprintf(href, sizeof(href), "/licenses/%s/print", v->number);
	h_open(h, "li", "class", "usa-button-group__item", NULL);
	h_elem(h, "a", "Print", "href", href, "class",
	    "usa-button usa-button--unstyled margin-top-1", NULL);
	h_close(h);
	h_close(h);
}

static void
history(struct req *r, const struct reg_view *v)
{
	struct html		*h = &r->h;
	const struct reg_version *rv;
	const struct reg_event	*ev;
	const char		*what;
	char			 ts[40], label[160];
	size_t			 i, k, j;
	int			 si;

	h_elem(h, "h2", "Version history", "id", "versions", NULL);
	h_open(h, "ol", "class", "usa-list usa-list--unstyled aim-versions",
	    "reversed", "", NULL);
	for (k = v->nversions; k > 0; k--) {
		i = k - 1;
		rv = &v->versions[i];
		h_open(h, "li", "class", "aim-version border-bottom-1px "
		    "border-base-lighter padding-y-2", NULL);
		h_open(h, "h3", "class", "margin-y-0", NULL);
		h_textf(h, "Version %d%s", rv->version, i + 1 == v->nversions ?
		    " (current)" : "");
		h_close(h);
		ui_time(rv->created_at, ts, sizeof(ts));
		h_open(h, "p", "class", "text-base margin-y-1", NULL);
		h_textf(h, "%s, %s, by %s", ts, rv->channel[0] ? rv->channel :
		    "unknown channel", rv->actor != NULL ? rv->actor :
		    "unknown");
		h_close(h);
		if (i == 0)
			h_elem(h, "p", "The license as first filed.", NULL);
		else if (rv->lic != NULL && v->versions[i - 1].lic != NULL)
			licview_changes_list(r, v->versions[i - 1].lic,
			    rv->lic);
		if (rv->flags.nflags > 0) {
			h_open(h, "p", "class", "aim-version__flags", NULL);
			h_text(h, "Action Required on: ");
			for (j = 0; j < rv->flags.nflags; j++) {
				field_label(rv->flags.flags[j].field, label,
				    sizeof(label));
				if (j > 0)
					h_text(h, "; ");
				h_text(h, label);
			}
			h_close(h);
		}
		h_close(h);
	}
	h_close(h);

	if (!licview_events_begin(r, "Event log",
	    "Everything done to this license, oldest first", v->nevents))
		return;
	for (i = 0; i < v->nevents; i++) {
		ev = &v->events[i];
		what = ev->action;
		for (j = 0; j < sizeof(event_labels) / sizeof(event_labels[0]);
		    j++)
			if (strcmp(ev->action, event_labels[j].action) == 0)
				what = event_labels[j].label;
		ui_time(ev->at, ts, sizeof(ts));
		h_open(h, "tr", NULL);
		ui_td(h, "When", ts);
		ui_td(h, "What", what);
		ui_td(h, "Who", ev->actor != NULL ? ev->actor : "");
		ui_td(h, "Channel", ev->channel);
		si = ev->detail != NULL ? licview_status_index(ev->detail) : -1;
		ui_td(h, "Result", si >= 0 ? status_ui[si].label :
		    ev->detail != NULL ? ev->detail : "");
		h_close(h);
	}
	h_close(h);
	h_close(h);
}

static void
show(struct req *r)
{
	struct html		*h = &r->h;
	struct reg_view		 v;
	const struct reg_version *cur;
	const struct report	*flags;
	char			 title[64], kicker[96], validity[160];

	if ((cur = view_load(r, &v)) == NULL)
		return;
	flags = &cur->flags;
	validity_text(&v, cur->lic, validity, sizeof(validity));
	snprintf(title, sizeof(title), "License %s", v.number);
	snprintf(kicker, sizeof(kicker), "%s import license (%s)",
	    product_labels[v.product], v.product == PRODUCT_ALUMINUM ? "AIM" :
	    "SIMA");

	page_begin(r, title);
	h_open(h, "nav", "class", "usa-breadcrumb", "aria-label",
	    "Breadcrumbs", NULL);
	h_open(h, "ol", "class", "usa-breadcrumb__list", NULL);
	h_open(h, "li", "class", "usa-breadcrumb__list-item", NULL);
	h_open(h, "a", "href", "/licenses", "class", "usa-breadcrumb__link",
	    NULL);
	h_elem(h, "span", "My licenses", NULL);
	h_close(h);
	h_close(h);
	h_open(h, "li", "class", "usa-breadcrumb__list-item usa-current",
	    "aria-current", "page", NULL);
	h_elem(h, "span", v.number, NULL);
	h_close(h);
	h_close(h);
	h_close(h);

	done_alert(r, &v, validity);

	h_open(h, "div", "class", "aim-license-head", NULL);
	h_elem(h, "p", kicker, "class", "aim-kicker text-base margin-bottom-0",
	    NULL);
	h_open(h, "h1", "class", "margin-top-0", NULL);
	h_elem(h, "span", "License number ", "class", "usa-sr-only", NULL);
	h_elem(h, "span", v.number, "class", "aim-licnum font-mono-xl", NULL);
	h_text(h, " ");
	h_elem(h, "span", status_ui[v.status].label, "class",
	    status_ui[v.status].big, NULL);
	h_close(h);
	h_open(h, "p", "class", "usa-intro", NULL);
	h_textf(h, "%s, %s license, %s. ", product_labels[v.product],
	    v.ltype == LTYPE_LOW_VALUE ? "low value" : "standard",
	    cur->lic->entry == ENTRY_FTZ ? "foreign-trade zone admission" :
	    "entry for consumption");
	h_text(h, validity);
	h_close(h);
	h_close(h);

	if (v.status == STATUS_ACTION_REQUIRED)
		action_required(r, &v, flags);
	actions(r, &v);

	h_elem(h, "h2", "License details", NULL);
	details_list(r, cur->lic, flags);
	if (cur->lic->nlines > 0) {
		h_open(h, "h2", NULL);
		h_textf(h, "Product lines (%zu)", cur->lic->nlines);
		h_close(h);
		lines_table(r, cur->lic, flags, "usa-table usa-table--striped "
		    "usa-table--stacked aim-lines");
	} else
		h_elem(h, "p", "A low value license has no product lines: it "
		    "covers entries by the importer named on it whose covered "
		    "products are worth at most $5,000 in all.", NULL);
	history(r, &v);
	page_end(r);
	reg_view_free(&v);
}

/* ----- confirm and cancel ----- */

/*
 * A status change by one registry call, then back to the license page
 * saying what was done (done: "confirmed"); REG_CONFLICT goes back to
 * the page too when conflict_ok, which then says why.
 */
static void
status_change(struct req *r, enum reg_err (*change)(struct db *,
    const struct actor *, const char *, struct reg_result *),
    const char *done, int conflict_ok)
{
	struct reg_result	 res;
	struct actor		 a;
	char			 num[LICNUM_LEN + 1], to[64];
	enum reg_err		 e;

	if (arg_number(r, num) == -1)
		return;
	filing_actor(r, "web", "web", &a);
	reg_result_init(&res);
	e = change(r->db, &a, num, &res);
	if (e == REG_OK) {
		snprintf(to, sizeof(to), "/licenses/%s?%s=1", num, done);
		resp_redirect(r, to);
	} else if (e == REG_CONFLICT && conflict_ok) {
		snprintf(to, sizeof(to), "/licenses/%s", num);
		resp_redirect(r, to);
	} else
		reg_fail(r, e);
	reg_result_free(&res);
}

/* Nothing to confirm (already done) is no error: the page says why. */
static void
confirm(struct req *r)
{
	status_change(r, reg_confirm, "confirmed", 1);
}

static void
cancel_page(struct req *r)
{
	struct html		*h = &r->h;
	struct reg_view		 v;
	const struct reg_version *cur;
	const struct license	*lic;
	char			 buf[96], act[64], d1[11];
	int			 d;

	if ((cur = view_load(r, &v)) == NULL)
		return;
	lic = cur->lic;
	if (v.status == STATUS_CANCELED) {
		reg_fail(r, REG_CANCELED);
		goto out;
	}
	snprintf(buf, sizeof(buf), "Cancel license %s?", v.number);
	page_begin(r, buf);
	h_elem(h, "h1", buf, NULL);
	d = ui_alert_open(r, "warning", "Canceling is permanent", NULL);
	h_elem(h, "p", "A canceled license can never be used for an entry "
	    "and cannot be restored. If you still need a license for this "
	    "shipment, you will have to apply again: you can duplicate the "
	    "canceled license to start from its details.", "class",
	    "usa-alert__text", NULL);
	h_close_to(h, d);

	date_format(lic->import_date, d1);
	h_open(h, "dl", "class", "aim-summary-list", NULL);
	dl_row(r, NULL, NULL, "License number", v.number);
	snprintf(buf, sizeof(buf), "%s, %s", product_labels[v.product],
	    v.ltype == LTYPE_LOW_VALUE ? "low value" : "standard");
	dl_row(r, NULL, NULL, "Product and type", buf);
	dl_row(r, NULL, NULL, hfields[HF_IMPORTER_NAME].label,
	    lic->importer_name);
	dl_row(r, NULL, NULL, hfields[HF_EXPECTED_IMPORT_DATE].label, d1);
	h_close(h);

	snprintf(act, sizeof(act), "/licenses/%s/cancel", v.number);
	ui_form_begin(r, act, "cancel-form");
	snprintf(buf, sizeof(buf), "Cancel license %s", v.number);
	ui_button(r, buf, "usa-button--secondary");
	snprintf(act, sizeof(act), "/licenses/%s", v.number);
	h_elem(h, "a", "Keep the license", "href", act, "class",
	    "usa-button usa-button--unstyled margin-left-2", NULL);
	ui_form_end(r);
	page_end(r);
out:
	reg_view_free(&v);
}

static void
cancel(struct req *r)
{
	status_change(r, reg_cancel, "canceled", 0);
}

/* ----- print ----- */

/* The license on one page: no navigation, the site's stylesheets plus
 * static/print.css. */
static void
print_view(struct req *r)
{
	struct html		*h = &r->h;
	struct reg_view		 v;
	const struct reg_version *cur;
	char			 buf[160], today[11];

	if ((cur = view_load(r, &v)) == NULL)
		return;

	r->status = 200;
	snprintf(buf, sizeof(buf), "License %s (print)", v.number);
	page_head(r, buf);
	h_void(h, "link", "rel", "stylesheet", "href", "/static/print.css",
	    NULL);
	h_close(h);
	h_open(h, "body", "class", "aim-print", NULL);
	h_open(h, "main", "class", "aim-print__page", "id", "main-content",
	    NULL);

	snprintf(buf, sizeof(buf), "/licenses/%s", v.number);
	h_open(h, "div", "class", "aim-print__tools", NULL);
	h_elem(h, "a", "Back to the license", "href", buf, "class",
	    "usa-link", NULL);
	h_elem(h, "p", "Use your browser's Print command (Ctrl+P, or "
	    "Command+P on a Mac) to print this page.", NULL);
	h_close(h);

	h_open(h, "header", "class", "aim-print__head", NULL);
	h_open(h, "p", "class", "aim-print__kicker", NULL);
	h_textf(h, "U.S. %s import license (%s)", v.product ==
	    PRODUCT_ALUMINUM ? "aluminum" : "steel", v.product ==
	    PRODUCT_ALUMINUM ? "AIM" : "SIMA");
	h_close(h);
	h_open(h, "h1", "class", "aim-print__number", NULL);
	h_elem(h, "span", "License number ", "class", "usa-sr-only", NULL);
	h_text(h, v.number);
	h_close(h);
	h_elem(h, "p", status_ui[v.status].label, "class",
	    v.status == STATUS_CANCELED ? "aim-print__status "
	    "aim-print__status--canceled" : "aim-print__status", NULL);
	validity_text(&v, cur->lic, buf, sizeof(buf));
	h_elem(h, "p", buf, "class", "aim-print__validity", NULL);
	h_close(h);

	if (v.status == STATUS_ACTION_REQUIRED)
		h_elem(h, "p", "Action Required: the fields marked below "
		    "look unusual and wait for the filer to correct or "
		    "confirm them.", "class", "aim-print__ar", NULL);
	details_list(r, cur->lic, &cur->flags);
	if (cur->lic->nlines > 0) {
		h_elem(h, "h2", "Product lines", NULL);
		lines_table(r, cur->lic, &cur->flags, "usa-table "
		    "usa-table--compact aim-print__lines");
	}
	date_format(req_today(r), today);
	h_open(h, "footer", "class", "aim-print__foot", NULL);
	h_open(h, "p", NULL);
	h_textf(h, "Version %d. Printed %s. ", v.version, today);
	h_text(h, "Put the license number on the CBP entry summary. Anyone "
	    "can check that a license is valid for an entry at ");
	h_text(h, r->gw->cfg->base_url);
	h_text(h, "/check.");
	h_close(h);
	h_close(h);
	h_close_to(h, 0);
	reg_view_free(&v);
}

static const struct route routes[] = {
	{ METHOD_GET, "/licenses", ROLE_FILER, list },
	{ METHOD_GET, "/licenses/*", ROLE_FILER, show },
	{ METHOD_POST, "/licenses/*/confirm", ROLE_FILER, confirm },
	{ METHOD_GET, "/licenses/*/cancel", ROLE_FILER, cancel_page },
	{ METHOD_POST, "/licenses/*/cancel", ROLE_FILER, cancel },
	{ METHOD_GET, "/licenses/*/print", ROLE_FILER, print_view },
};

ROUTE_TABLE(routes_license, routes);
