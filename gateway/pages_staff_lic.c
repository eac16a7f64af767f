/*
 * Licenses in the staff console: the search over every license, a
 * license with all its versions side by side (what changed marked),
 * its events and its emails, a question to the filer, the Action
 * Required list, and possible duplicates to dismiss or ask about.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/date.h"
#include "lib/limits.h"
#include "forms/licjson.h"
#include "forms/licnum.h"
#include "db/console.h"
#include "db/dupes.h"
#include "db/listing.h"
#include "db/registry.h"
#include "layout.h"
#include "licview.h"
#include "staff.h"

#define LIST_ROWS	50		/* licenses on a page */
#define DUP_DAYS	90		/* the duplicates' default window */
#define DUP_DAYS_MAX	3650

static const char *const status_labels[STATUS__MAX] = {
	"Issued", "Action Required", "Canceled",
};
static const char *const status_tags[STATUS__MAX] = {
	"usa-tag bg-success-dark", "usa-tag bg-secondary-dark",
	"usa-tag bg-base",
};
static const char *const status_opts[] = {
	"issued", "Issued",
	"action_required", "Action Required",
	"canceled", "Canceled",
};
static const char *const product_opts[] = {
	"aluminum", "Aluminum",
	"steel", "Steel",
};
static const char *const channel_opts[] = {
	"web", "Web",
	"api", "API",
	"email", "Email (staff approval)",
	"cli", "Operator",
};

#define NOPTS(a)	(sizeof(a) / sizeof(a[0]) / 2)

static void
money(long long cents, char *out, size_t sz)
{
	char	 raw[32];

	money_format(cents, raw, sizeof(raw));
	snprintf(out, sz, "$%s", raw);
}

/* ----- lists ----- */

static void
license_table(struct req *r, const struct listing_staff_row *rows,
    size_t n, size_t total)
{
	static const char *const cols[] = {
		"License number", "Company", "Importer", "Exporter", "Origin",
		"Import date", "Issued", "Status", "Channel", "Lines", "Value",
	};
	struct html	*h = &r->h;
	const struct listing_row *w;
	char		 href[64], buf[64];
	size_t		 i;
	int		 k;

	h_open(h, "table", "class", "usa-table usa-table--striped "
	    "usa-table--stacked aim-staff-licenses", NULL);
	h_open(h, "caption", NULL);
	h_textf(h, "%zu license%s, newest first", total, total == 1 ? "" : "s");
	h_close(h);
	ui_thead_of(h, cols, sizeof(cols) / sizeof(cols[0]));
	for (i = 0; i < n; i++) {
		w = &rows[i].l;
		h_open(h, "tr", NULL);
		snprintf(href, sizeof(href), "/staff/licenses/%s", w->number);
		h_open(h, "th", "scope", "row", "data-label", cols[0], NULL);
		h_elem(h, "a", w->number, "href", href, "class",
		    "usa-link aim-licnum", NULL);
		h_close(h);
		h_open(h, "td", "data-label", cols[1], NULL);
		snprintf(href, sizeof(href), "/staff/accounts/%lld",
		    (long long)rows[i].account_id);
		h_elem(h, "a", rows[i].company_name, "href", href, "class",
		    "usa-link", NULL);
		h_close(h);
		ui_td(h, cols[2], w->importer_name);
		ui_td(h, cols[3], rows[i].exporter_name);
		ui_td(h, cols[4], w->country_of_origin);
		ui_td(h, cols[5], w->expected_import_date);
		ui_td(h, cols[6], w->valid_from);
		h_open(h, "td", "data-label", cols[7], NULL);
		k = licview_status_index(w->status);
		h_elem(h, "span", k >= 0 ? status_labels[k] : w->status,
		    "class", k >= 0 ? status_tags[k] : "usa-tag", NULL);
		h_close(h);
		ui_td(h, cols[8], w->channel);
		snprintf(buf, sizeof(buf), "%d", w->nlines);
		ui_td(h, cols[9], buf);
		money(w->value_cents, buf, sizeof(buf));
		ui_td(h, cols[10], buf);
		h_close(h);
	}
	h_close(h);
	h_close(h);
}

static void
text_field(struct req *r, const char *name, const char *label,
    const char *type, const char *cls)
{
	ui_search_input(r, cls, name, label, type, NULL, NULL);
}

static void
select_field(struct req *r, const char *name, const char *label,
    const char *const *opts, size_t n, const char *cls)
{
	ui_search_select(r, cls, name, label, kv_get(&r->query, name), opts,
	    n);
}

void
staff_licenses(struct req *r)
{
	static const char *const keys[] = {
		"number", "company", "importer", "exporter", "hts", "country",
		"from", "to", "import_from", "import_to", "status", "channel",
		"product", "account",
	};
	struct html			*h = &r->h;
	struct listing_staff_query	 q;
	struct listing_staff_row	*rows = NULL;
	struct buf			 base;
	const char			*acc = kv_get(&r->query, "account");
	char				*end;
	size_t				 n = 0, total = 0, i;
	size_t				 page = staff_page_arg(r);
	long long			 aid;
	int				 bad = 0;
	enum db_err			 e;

	memset(&q, 0, sizeof(q));
	q.number = kv_get(&r->query, "number");
	q.company = kv_get(&r->query, "company");
	q.importer = kv_get(&r->query, "importer");
	q.exporter = kv_get(&r->query, "exporter");
	q.hts = kv_get(&r->query, "hts");
	q.country = kv_get(&r->query, "country");
	q.from = kv_get(&r->query, "from");
	q.to = kv_get(&r->query, "to");
	q.import_from = kv_get(&r->query, "import_from");
	q.import_to = kv_get(&r->query, "import_to");
	q.status = kv_get(&r->query, "status");
	q.channel = kv_get(&r->query, "channel");
	q.product = kv_get(&r->query, "product");
	if (acc != NULL && *acc != '\0') {
		aid = strtoll(acc, &end, 10);
		q.account_id = *end == '\0' && aid > 0 ? aid : -1;
	}
	q.offset = (page - 1) * LIST_ROWS;
	q.limit = LIST_ROWS;
	if (q.account_id < 0)
		e = DB_OK;	/* matches nothing */
	else if ((e = listing_staff_query(r->db, &q, &rows, &n, &total)) !=
	    DB_OK) {
		if (strstr(r->db->errmsg, "date") == NULL) {
			staff_fail(r, "licenses");
			return;
		}
		bad = 1;
		r->status = 422;
	}
	staff_page_begin(r, "Licenses", "licenses");
	h_elem(h, "h1", "Licenses", NULL);
	if (bad)
		ui_alert(r, "error", "A date is not one", "Write dates as "
		    "YYYY-MM-DD.");
	staff_search_begin(r, "/staff/licenses");
	h_open(h, "div", "class", "grid-row grid-gap", NULL);
	text_field(r, "number", "License number", "text", "tablet:grid-col-3");
	text_field(r, "company", "Company (filer)", "text",
	    "tablet:grid-col-3");
	text_field(r, "importer", "Importer", "text", "tablet:grid-col-3");
	text_field(r, "exporter", "Exporter", "text", "tablet:grid-col-3");
	text_field(r, "hts", "HTS code (or its start)", "text",
	    "tablet:grid-col-3");
	text_field(r, "country", "Country (origin or exportation)", "text",
	    "tablet:grid-col-3");
	select_field(r, "status", "Status", status_opts, NOPTS(status_opts),
	    "tablet:grid-col-3");
	select_field(r, "channel", "Channel", channel_opts,
	    NOPTS(channel_opts), "tablet:grid-col-3");
	select_field(r, "product", "Product", product_opts,
	    NOPTS(product_opts), "tablet:grid-col-3");
	text_field(r, "from", "Issued from", "date", "tablet:grid-col-3");
	text_field(r, "to", "Issued through", "date", "tablet:grid-col-3");
	text_field(r, "import_from", "Import date from", "date",
	    "tablet:grid-col-3");
	text_field(r, "import_to", "Import date through", "date",
	    "tablet:grid-col-3");
	h_close(h);
	if (q.account_id > 0)
		h_void(h, "input", "type", "hidden", "name", "account",
		    "value", acc, NULL);
	ui_button(r, "Search", NULL);
	h_elem(h, "a", "Clear", "href", "/staff/licenses", "class",
	    "usa-button usa-button--unstyled", NULL);
	h_close(h);
	if (n == 0)
		h_elem(h, "p", "No license matches.", "class",
		    "aim-no-licenses", NULL);
	else
		license_table(r, rows, n, total);
	buf_init(&base, 8192);
	buf_puts(&base, "/staff/licenses");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		ui_qs_add(&base, keys[i], kv_get(&r->query, keys[i]));
	staff_pager(r, buf_str(&base), page, LIST_ROWS, total);
	buf_free(&base);
	page_end(r);
	free(rows);
}

void
staff_action_required(struct req *r)
{
	struct html			*h = &r->h;
	struct listing_staff_query	 q;
	struct listing_staff_row	*rows = NULL;
	size_t				 n = 0, total = 0;
	size_t				 page = staff_page_arg(r);

	memset(&q, 0, sizeof(q));
	q.status = status_names[STATUS_ACTION_REQUIRED];
	q.offset = (page - 1) * LIST_ROWS;
	q.limit = LIST_ROWS;
	if (listing_staff_query(r->db, &q, &rows, &n, &total) != DB_OK) {
		staff_fail(r, "action required");
		return;
	}
	staff_page_begin(r, "Action Required", "action");
	h_elem(h, "h1", "Action Required", NULL);
	h_elem(h, "p", "Licenses the system flagged as unusual that the filer "
	    "has not yet corrected or confirmed. Open one to see the flags, "
	    "and email the filer a question if it waits too long.", "class",
	    "usa-intro", NULL);
	if (n == 0)
		h_elem(h, "p", "No license needs action.", "class",
		    "aim-no-licenses", NULL);
	else
		license_table(r, rows, n, total);
	staff_pager(r, "/staff/action-required", page, LIST_ROWS, total);
	page_end(r);
	free(rows);
}

/* ----- a license ----- */

/* The "from" of a change at path, or NULL if it did not change
 * (*changed set either way; a line added has no "from"). */
static const char *
changed_from(json_t *changes, const char *path, int *changed)
{
	json_t		*c;
	const char	*f;
	size_t		 i;

	*changed = 0;
	json_array_foreach(changes, i, c) {
		f = json_string_value(json_object_get(c, "field"));
		if (f != NULL && strcmp(f, path) == 0) {
			*changed = 1;
			return json_string_value(json_object_get(c, "from"));
		}
	}
	return NULL;
}

/* One value cell, marked when it changed from the version before. */
static void
value_cell(struct req *r, const char *tag, json_t *changes, const char *path,
    const char *value, const struct report *flags, const char *label)
{
	struct html	*h = &r->h;
	const char	*from, *flag = ui_flag_for(flags, path);
	int		 changed;

	from = changed_from(changes, path, &changed);
	h_open(h, tag, "data-label", label, "class", changed ?
	    "aim-changed bg-yellow" : flag != NULL ?
	    "aim-flagged border-left-05 border-secondary-dark" : NULL,
	    "data-path", path, NULL);
	if (changed) {
		h_elem(h, "mark", value != NULL && *value ? value : "(none)",
		    NULL);
		h_open(h, "span", "class", "display-block font-body-3xs "
		    "aim-was", NULL);
		h_text(h, "was: ");
		h_text(h, from != NULL ? from : "(none)");
		h_close(h);
	} else
		h_text(h, value != NULL ? value : "");
	licview_flag_message(h, flag);
	h_close(h);
}

/* A version's values, each marked if it changed since the one before
 * (prev NULL: the first). */
static void
version_values(struct req *r, const struct license *prev,
    const struct license *cur, const struct report *flags)
{
	static const struct {
		const char	*key;
		const char	*label;
	} lcols[] = {
		{ "hts_code", "HTS code" },
		{ "product_group", "Product group" },
		{ "customs_value_usd", "Customs value (US$)" },
		{ "volume_kg", "Quantity (kg)" },
		{ "usd_per_kg", "Unit value ($/kg)" },
		{ "country_of_largest_smelt", "Largest smelt" },
		{ "country_of_second_largest_smelt", "Second largest smelt" },
		{ "country_of_most_recent_cast", "Most recent cast" },
		{ "country_of_melt_and_pour", "Melt and pour" },
	};
	struct html	*h = &r->h;
	json_t		*j, *changes, *lines, *l;
	char		 path[96], lpath[32];
	size_t		 i, k;
	int		 added, al = cur->product == PRODUCT_ALUMINUM;

	if ((j = license_json(cur)) == NULL)
		return;
	changes = prev != NULL ? licview_changes(prev, cur) : json_array();
	if (changes == NULL)
		changes = json_array();
	h_open(h, "table", "class", "usa-table usa-table--borderless "
	    "aim-version-values", NULL);
	h_elem(h, "caption", "The license as in this version", "class",
	    "usa-sr-only", NULL);
	h_open(h, "tbody", NULL);
	for (i = 0; i < HF__MAX; i++) {
		h_open(h, "tr", NULL);
		h_elem(h, "th", hfields[i].label, "scope", "row", NULL);
		value_cell(r, "td", changes, hfields[i].name,
		    json_string_value(json_object_get(j, hfields[i].name)),
		    flags, hfields[i].label);
		h_close(h);
	}
	h_open(h, "tr", NULL);
	h_elem(h, "th", "Application date", "scope", "row", NULL);
	value_cell(r, "td", changes, "application_date",
	    json_string_value(json_object_get(j, "application_date")), flags,
	    "Application date");
	h_close(h);
	h_close(h);
	h_close(h);

	lines = json_object_get(j, "lines");
	if (json_array_size(lines) > 0) {
		h_open(h, "table", "class", "usa-table usa-table--striped "
		    "usa-table--stacked aim-version-lines", NULL);
		h_elem(h, "caption", "Product lines", NULL);
		h_open(h, "thead", NULL);
		h_open(h, "tr", NULL);
		h_elem(h, "th", "Line", "scope", "col", NULL);
		for (k = 0; k < sizeof(lcols) / sizeof(lcols[0]); k++) {
			if ((k >= 5 && k <= 7 && !al) || (k == 8 && al))
				continue;
			h_elem(h, "th", lcols[k].label, "scope", "col", NULL);
		}
		h_close(h);
		h_close(h);
		h_open(h, "tbody", NULL);
		json_array_foreach(lines, i, l) {
			snprintf(lpath, sizeof(lpath), "lines[%zu]", i + 1);
			changed_from(changes, lpath, &added);
			h_open(h, "tr", "class", added ? "aim-changed "
			    "bg-yellow" : NULL, NULL);
			h_open(h, "th", "scope", "row", "data-label", "Line",
			    NULL);
			h_textf(h, "%zu%s", i + 1, added ? " (added)" : "");
			h_close(h);
			for (k = 0; k < sizeof(lcols) / sizeof(lcols[0]);
			    k++) {
				if ((k >= 5 && k <= 7 && !al) || (k == 8 && al))
					continue;
				snprintf(path, sizeof(path), "lines[%zu].%s",
				    i + 1, lcols[k].key);
				value_cell(r, "td", changes, path,
				    json_string_value(json_object_get(l,
				    lcols[k].key)), flags, lcols[k].label);
			}
			h_close(h);
		}
		h_close(h);
		h_close(h);
	}
	json_decref(changes);
	json_decref(j);
}

static void
events_table(struct req *r, const struct reg_view *v)
{
	struct html	*h = &r->h;
	char		 ts[40];
	size_t		 i;

	if (!licview_events_begin(r, "Events",
	    "Everything done to the license, oldest first", v->nevents))
		return;
	for (i = 0; i < v->nevents; i++) {
		h_open(h, "tr", NULL);
		ui_time(v->events[i].at, ts, sizeof(ts));
		ui_td(h, "When", ts);
		ui_td(h, "What", v->events[i].action);
		ui_td(h, "Who", v->events[i].actor);
		ui_td(h, "Channel", v->events[i].channel);
		ui_td(h, "Result", v->events[i].detail);
		h_close(h);
	}
	h_close(h);
	h_close(h);
}

static void
emails(struct req *r, int64_t license_id)
{
	struct html		*h = &r->h;
	struct queue_thread_row	*t = NULL;
	struct console_out	*o = NULL;
	char			 ts[40], href[64];
	size_t			 nt = 0, no = 0, i;

	h_elem(h, "h2", "Emails", "id", "emails", NULL);
	if (console_license_thread(r->db, license_id, &t, &nt) != DB_OK ||
	    console_license_outbox(r->db, license_id, &o, &no) != DB_OK) {
		h_elem(h, "p", "The emails could not be read.", NULL);
		goto out;
	}
	h_elem(h, "h3", "Received", NULL);
	for (i = 0; i < nt; i++)
		if (strcmp(t[i].direction, "in") == 0)
			break;
	if (i == nt)
		h_elem(h, "p", "None.", NULL);
	h_open(h, "ul", "class", "usa-list aim-license-in", NULL);
	for (i = 0; i < nt; i++) {
		if (strcmp(t[i].direction, "in") != 0)
			continue;
		h_open(h, "li", NULL);
		ui_time(t[i].at, ts, sizeof(ts));
		h_textf(h, "%s from %s: ", ts, t[i].from != NULL ?
		    t[i].from : "?");
		snprintf(href, sizeof(href), "/staff/mail/%lld",
		    (long long)t[i].message_id);
		h_elem(h, "a", t[i].subject != NULL && *t[i].subject ?
		    t[i].subject : "(no subject)", "href", href, "class",
		    "usa-link", NULL);
		h_close(h);
	}
	h_close(h);
	h_elem(h, "h3", "Sent", NULL);
	if (no == 0)
		h_elem(h, "p", "None.", NULL);
	else {
		h_open(h, "table", "class", "usa-table usa-table--borderless "
		    "usa-table--stacked aim-license-out", NULL);
		ui_thead(h, "Queued", "Email", "To", "State", NULL);
		for (i = 0; i < no; i++) {
			h_open(h, "tr", NULL);
			ui_time(o[i].created_at, ts, sizeof(ts));
			ui_td(h, "Queued", ts);
			ui_td(h, "Email", o[i].template);
			ui_td(h, "To", o[i].to);
			ui_td(h, "State", o[i].state);
			h_close(h);
		}
		h_close(h);
		h_close(h);
	}
out:
	console_thread_free(t, nt);
	console_out_free(o, no);
}

static void
question_form(struct req *r, const char *number, const char *value,
    const char *error)
{
	struct html	*h = &r->h;
	char		 action[64];
	int		 d = h->depth;

	h_elem(h, "h2", "Ask the filer", "id", "question", NULL);
	snprintf(action, sizeof(action), "/staff/licenses/%s/question",
	    number);
	ui_form_begin(r, action, "question-form");
	h_open(h, "div", "class", error != NULL ? "usa-form-group "
	    "usa-form-group--error" : "usa-form-group", NULL);
	h_elem(h, "label", "Question", "class", "usa-label", "for",
	    "f-question", NULL);
	h_elem(h, "div", "Emailed to the account's primary and alternate "
	    "addresses; the filer's reply comes back to this license.",
	    "class", "usa-hint", NULL);
	if (error != NULL)
		h_elem(h, "span", error, "class", "usa-error-message", "role",
		    "alert", NULL);
	h_elem(h, "textarea", value != NULL ? value : "", "class",
	    "usa-textarea", "id", "f-question", "name", "question", "rows",
	    "5", "required", "", NULL);
	h_close_to(h, d + 1);
	ui_button(r, "Email the question", NULL);
	ui_form_end(r);
}

static void
license_page(struct req *r, const char *question, const char *error)
{
	struct html		*h = &r->h;
	struct reg_view		 v;
	struct actor		 a;
	struct console_account	 acc;
	const struct reg_version *rv, *cur;
	const char		*done = kv_get(&r->query, "done");
	char			 num[LICNUM_LEN + 1], title[64], who[96];
	char			 ts[40], href[64];
	size_t			 i, k;
	enum reg_err		 e;

	memset(&acc, 0, sizeof(acc));
	if (r->arg == NULL || licnum_normalize(r->arg, num) == -1) {
		resp_error_page(r, 404, "No such license", "There is no "
		    "license with this number.");
		return;
	}
	snprintf(who, sizeof(who), "staff:%s", r->staff_user.email);
	memset(&a, 0, sizeof(a));
	a.account_id = -1;	/* staff see every license */
	a.who = who;
	a.channel = "staff";
	if ((e = reg_show(r->db, &a, num, &v)) != REG_OK) {
		if (e == REG_NOT_FOUND)
			resp_error_page(r, 404, "No such license", "There is "
			    "no license with this number.");
		else
			staff_fail(r, "license");
		return;
	}
	if (v.nversions == 0 || v.versions[v.nversions - 1].lic == NULL ||
	    console_account(r->db, v.account_id, &acc) != DB_OK) {
		staff_fail(r, "license: account");
		goto out;
	}
	cur = &v.versions[v.nversions - 1];
	snprintf(title, sizeof(title), "License %s", v.number);
	staff_page_begin(r, title, "licenses");
	if (done != NULL && strcmp(done, "asked") == 0)
		ui_alert(r, "success", "Question queued", "The email to the "
		    "filer is in the emails below; the answer threads back "
		    "here.");
	h_open(h, "h1", NULL);
	h_elem(h, "span", v.number, "class", "aim-licnum font-mono-xl", NULL);
	h_text(h, " ");
	h_elem(h, "span", status_labels[v.status], "class",
	    status_tags[v.status], "id", "license-status", NULL);
	h_close(h);
	h_open(h, "p", "class", "usa-intro", NULL);
	h_textf(h, "%s, %s license, filed by %s (channel %s). ",
	    v.product == PRODUCT_STEEL ? "Steel" : "Aluminum",
	    v.ltype == LTYPE_LOW_VALUE ? "low value" : "standard",
	    acc.company_name != NULL ? acc.company_name : "?", v.channel);
	if (v.status == STATUS_CANCELED)
		h_textf(h, "Canceled %.10s.", v.canceled_at);
	else if (v.valid_through[0] != '\0')
		h_textf(h, "Valid from %s through %s.", v.valid_from,
		    v.valid_through);
	else
		h_textf(h, "Valid from %s; does not expire.", v.valid_from);
	h_close(h);
	h_open(h, "p", NULL);
	snprintf(href, sizeof(href), "/staff/accounts/%lld",
	    (long long)v.account_id);
	h_text(h, "Account: ");
	h_elem(h, "a", acc.email != NULL ? acc.email : "?", "href", href,
	    "class", "usa-link", NULL);
	if (!acc.efiling)
		h_text(h, " (electronic filing revoked)");
	if (acc.locked)
		h_text(h, " (locked)");
	h_close(h);

	if (cur->flags.nflags > 0) {
		h_open(h, "div", "class", "usa-alert usa-alert--error "
		    "aim-action-required", "role", "region", "aria-label",
		    "Action Required", NULL);
		h_open(h, "div", "class", "usa-alert__body", NULL);
		h_elem(h, "h2", "Action Required", "class",
		    "usa-alert__heading", NULL);
		h_open(h, "ul", "class", "usa-list", NULL);
		for (i = 0; i < cur->flags.nflags; i++) {
			h_open(h, "li", NULL);
			h_elem(h, "span", cur->flags.flags[i].field, "class",
			    "font-mono-3xs", NULL);
			h_text(h, ": ");
			h_text(h, cur->flags.flags[i].message);
			h_close(h);
		}
		h_close(h);
		h_close(h);
		h_close(h);
	}
	question_form(r, v.number, question, error);

	h_elem(h, "h2", "Versions", "id", "versions", NULL);
	h_elem(h, "p", "Newest first. What changed since the version before "
	    "is marked, with what it was.", NULL);
	for (k = v.nversions; k > 0; k--) {
		rv = &v.versions[k - 1];
		h_open(h, "section", "class", "aim-version border-top-1px "
		    "border-base-lighter padding-y-1", NULL);
		h_open(h, "h3", NULL);
		h_textf(h, "Version %d%s", rv->version, k == v.nversions ?
		    " (current)" : "");
		h_close(h);
		ui_time(rv->created_at, ts, sizeof(ts));
		h_open(h, "p", "class", "text-base", NULL);
		h_textf(h, "%s, %s, by %s", ts, rv->channel, rv->actor != NULL ?
		    rv->actor : "?");
		h_close(h);
		if (rv->lic != NULL && k > 1 && v.versions[k - 2].lic != NULL)
			licview_changes_list(r, v.versions[k - 2].lic,
			    rv->lic);
		if (rv->lic != NULL)
			version_values(r, k > 1 ? v.versions[k - 2].lic :
			    NULL, rv->lic, &rv->flags);
		h_close(h);
	}
	events_table(r, &v);
	emails(r, v.id);
	page_end(r);
out:
	console_account_clear(&acc);
	reg_view_free(&v);
}

void
staff_license(struct req *r)
{
	license_page(r, NULL, NULL);
}

void
staff_license_question(struct req *r)
{
	const char	*question = kv_get(&r->form, "question");
	struct staff	 s;
	char		 num[LICNUM_LEN + 1], to[96];
	enum queue_err	 q;

	if (r->arg == NULL || licnum_normalize(r->arg, num) == -1) {
		resp_error_page(r, 404, "No such license", "There is no "
		    "license with this number.");
		return;
	}
	if (question == NULL || *question == '\0' ||
	    strnlen(question, CONSOLE_TEXT_MAX + 1) > CONSOLE_TEXT_MAX) {
		r->status = 422;
		license_page(r, question, question == NULL || *question ==
		    '\0' ? "Write the question." : "Keep the question under "
		    "4000 characters.");
		return;
	}
	staff_who(r, &s);
	if ((q = console_question(r->db, &s, num, question, NULL)) !=
	    QUEUE_OK) {
		staff_queue_fail(r, q, q == QUEUE_NOT_FOUND ? "There is no "
		    "license with this number." : NULL);
		return;
	}
	snprintf(to, sizeof(to), "/staff/licenses/%s?done=asked", num);
	resp_redirect(r, to);
}

/* ----- possible duplicates ----- */

static void
dup_license(struct html *h, const struct dup_pair *p, int i)
{
	char	 href[64];

	snprintf(href, sizeof(href), "/staff/licenses/%s", p->number[i]);
	h_elem(h, "a", p->number[i], "href", href, "class",
	    "usa-link aim-licnum", NULL);
	h_open(h, "span", "class", "display-block font-body-3xs", NULL);
	h_textf(h, "%s, import %s, issued %s", p->channel[i],
	    p->import_date[i], p->issued_on[i]);
	h_close(h);
}

static void
dup_forms(struct req *r, const struct dup_pair *p)
{
	struct html	*h = &r->h;
	char		 q[512], id[32];

	h_open(h, "form", "method", "post", "action",
	    "/staff/duplicates/dismiss", "class", "margin-bottom-1", NULL);
	h_void(h, "input", "type", "hidden", "name", "csrf", "value", r->csrf,
	    NULL);
	h_void(h, "input", "type", "hidden", "name", "a", "value",
	    p->number[0], NULL);
	h_void(h, "input", "type", "hidden", "name", "b", "value",
	    p->number[1], NULL);
	ui_button(r, "Not a duplicate", "usa-button--outline");
	h_close(h);
	snprintf(q, sizeof(q), "Licenses %s and %s name the same importer, "
	    "the same products, values and weights, and import dates within "
	    "a week of each other. Are they for the same shipment? If so, "
	    "please cancel the one you do not need.", p->number[0],
	    p->number[1]);
	h_open(h, "details", NULL);
	h_elem(h, "summary", "Ask the filer", "class", "usa-link", NULL);
	h_open(h, "form", "method", "post", "action", "/staff/duplicates/ask",
	    NULL);
	h_void(h, "input", "type", "hidden", "name", "csrf", "value", r->csrf,
	    NULL);
	h_void(h, "input", "type", "hidden", "name", "a", "value",
	    p->number[0], NULL);
	h_void(h, "input", "type", "hidden", "name", "b", "value",
	    p->number[1], NULL);
	snprintf(id, sizeof(id), "f-question-%s", p->number[1]);
	h_elem(h, "label", "Question", "class", "usa-label", "for", id, NULL);
	h_elem(h, "textarea", q, "class", "usa-textarea", "id", id, "name",
	    "question", "rows", "4", NULL);
	ui_button(r, "Email the question", NULL);
	h_close(h);
	h_close(h);
}

void
staff_duplicates(struct req *r)
{
	struct html	*h = &r->h;
	struct dup_pair	*v = NULL;
	const char	*ds = kv_get(&r->query, "days");
	const char	*done = kv_get(&r->query, "done");
	char		 since[11], buf[64];
	char		*end;
	size_t		 n = 0, i;
	long		 days = DUP_DAYS;

	if (ds != NULL && *ds != '\0') {
		days = strtol(ds, &end, 10);
		if (*end != '\0' || days < 1 || days > DUP_DAYS_MAX)
			days = DUP_DAYS;
	}
	date_format(req_today(r) - (int)days, since);
	if (dup_list(r->db, since, &v, &n) != DB_OK) {
		staff_fail(r, "duplicates");
		return;
	}
	staff_page_begin(r, "Possible duplicates", "duplicates");
	if (done != NULL && strcmp(done, "dismissed") == 0)
		ui_alert(r, "success", "Dismissed", "The pair is no longer "
		    "flagged; the decision is in the audit log.");
	else if (done != NULL && strcmp(done, "asked") == 0)
		ui_alert(r, "success", "Question queued", "The filer is asked "
		    "about the pair; it stays listed until dismissed.");
	h_elem(h, "h1", "Possible duplicates", NULL);
	h_open(h, "p", "class", "usa-intro", NULL);
	h_textf(h, "Licenses of one account with the same importer, the same "
	    "HTS codes, values and kilograms, and import dates within a week "
	    "of each other, whatever channel each came by; among licenses "
	    "issued since %s.", since);
	h_close(h);
	if (n == 0)
		h_elem(h, "p", "No possible duplicate.", "class",
		    "aim-no-duplicates", NULL);
	else {
		h_open(h, "table", "class", "usa-table usa-table--striped "
		    "usa-table--stacked aim-duplicates", NULL);
		h_open(h, "caption", NULL);
		h_textf(h, "%zu pair%s", n, n == 1 ? "" : "s");
		h_close(h);
		ui_thead(h, "Company", "Importer", "First license",
		    "Second license", "Lines and value", "State", "Decide",
		    NULL);
		for (i = 0; i < n; i++) {
			h_open(h, "tr", "data-pair", v[i].number[1], NULL);
			ui_td(h, "Company", v[i].company_name);
			ui_td(h, "Importer", v[i].importer_name);
			h_open(h, "td", "data-label", "First license", NULL);
			dup_license(h, &v[i], 0);
			h_close(h);
			h_open(h, "td", "data-label", "Second license", NULL);
			dup_license(h, &v[i], 1);
			h_close(h);
			money(v[i].value_cents, buf, sizeof(buf));
			h_open(h, "td", "data-label", "Lines and value", NULL);
			h_textf(h, "%d line%s, %s each", v[i].nlines,
			    v[i].nlines == 1 ? "" : "s", buf);
			h_close(h);
			h_open(h, "td", "data-label", "State", NULL);
			if (v[i].state[0] != '\0') {
				ui_time(v[i].at, buf, sizeof(buf));
				h_textf(h, "Filer asked by %s, %s", v[i].who,
				    buf);
			} else
				h_text(h, "New");
			h_close(h);
			h_open(h, "td", "data-label", "Decide", NULL);
			dup_forms(r, &v[i]);
			h_close(h);
			h_close(h);
		}
		h_close(h);
		h_close(h);
	}
	page_end(r);
	dup_pairs_free(v, n);
}

static void
dup_refused(struct req *r, enum queue_err q)
{
	if (q == QUEUE_NOT_FOUND)
		resp_error_page(r, 404, "No such pair", "These two licenses "
		    "are not of one account.");
	else if (q == QUEUE_INVALID)
		resp_error_page(r, 422, "Not accepted", "Give two different "
		    "licenses and, to ask the filer, a question of at most "
		    "4000 characters.");
	else
		staff_queue_fail(r, q, NULL);
}

/* A decision on the pair a, b of the form, with its text field; back
 * to the list with done. */
static void
dup_decide(struct req *r, enum queue_err (*decide)(struct db *,
    const struct staff *, const char *, const char *, const char *),
    const char *field, const char *done)
{
	struct staff	 s;
	enum queue_err	 q;

	staff_who(r, &s);
	if ((q = decide(r->db, &s, kv_get(&r->form, "a"),
	    kv_get(&r->form, "b"), kv_get(&r->form, field))) == QUEUE_OK)
		resp_redirect(r, done);
	else
		dup_refused(r, q);
}

void
staff_duplicate_dismiss(struct req *r)
{
	dup_decide(r, dup_dismiss, "note", "/staff/duplicates?done=dismissed");
}

void
staff_duplicate_ask(struct req *r)
{
	dup_decide(r, dup_ask, "question", "/staff/duplicates?done=asked");
}
