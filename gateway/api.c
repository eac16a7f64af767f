/*
 * The JSON API for brokers' software (docs/api.md).  Each route is one
 * registry call, as on the web site and in aimctl, with the bearer
 * token's account as the filer; the API adds no rule of its own.
 * Another account's license is answered exactly like an unknown
 * number, so the API never confirms that a number exists.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "lib/date.h"
#include "lib/limits.h"
#include "lib/log.h"
#include "forms/batch.h"
#include "forms/licjson.h"
#include "forms/read.h"
#include "db/batch.h"
#include "db/listing.h"
#include "db/regjson.h"
#include "db/registry.h"
#include "filing.h"
#include "route.h"
#include "writer.h"

/* Licenses on a page of GET /api/v1/licenses when limit is not given. */
#define LIST_LIMIT_DEFAULT	50

/* The database failed or memory ran out: nothing was changed. */
static void
unavailable(struct req *r)
{
	resp_header(r, "Retry-After", "1");
	resp_json_error(r, 503, "unavailable", "The license register could "
	    "not complete this request (busy, disk full or an I/O error); "
	    "nothing was stored or changed. Send it again in a moment.");
}

static void
out_of_memory(struct req *r)
{
	log_msg(LOG_LVL_ERR, "api %s: out of memory", r->path);
	unavailable(r);
}

/* A JSON answer; a document that could not be built is a 503, never
 * a success with an empty body. */
static void
answer(struct req *r, int status, json_t *v)
{
	if (v == NULL)
		out_of_memory(r);
	else
		resp_json(r, status, v);
}

/* 400 naming the query parameter that is missing or wrong. */
static void
bad_param(struct req *r, const char *param, const char *message)
{
	answer(r, 400, json_pack("{s:s, s:s, s:s}", "error", "bad_request",
	    "param", param, "message", message));
}

/* A registry refusal as its HTTP answer. */
static void
refused(struct req *r, enum reg_err e, const struct reg_result *res)
{
	switch (e) {
	case REG_INVALID:
		answer(r, 422, json_pack("{s:o}", "errors",
		    report_items_json(res->report.errors,
		    res->report.nerrors)));
		break;
	case REG_NOT_FOUND:
		resp_json_error(r, 404, "not_found", "No such license.");
		break;
	case REG_CANCELED:
		resp_json_error(r, 409, "canceled", "The license is canceled "
		    "and cannot be changed; duplicate it to file a new one.");
		break;
	case REG_CONFLICT:
		/* Only confirm meets it: the license needs no confirming. */
		resp_json_error(r, 409, "not_action_required", "The license "
		    "is not marked Action Required: there is nothing to "
		    "confirm.");
		break;
	case REG_ACCOUNT:
		resp_json_error(r, 403, "account_disabled", "The account may "
		    "not file licenses: it is locked or not verified.");
		break;
	case REG_UNSURE:
		filing_unconfirmed(r, 1);
		break;
	default:
		log_msg(LOG_LVL_ERR, "api %s: %s: %s", r->path,
		    reg_strerror(e), e == REG_DB && res != NULL ?
		    db_strerror(res->dberr) : r->db->errmsg);
		unavailable(r);
		break;
	}
}

/*
 * Whether a Content-Type is JSON: "application/json" with optional
 * parameters, of which a charset must be UTF-8 (RFC 8259 allows no
 * other).
 */
static int
is_json(const char *ct)
{
	static const char	 mt[] = "application/json";
	const char		*p, *name, *val;
	size_t			 n, namelen, vallen;

	if (ct == NULL || strncasecmp(ct, mt, sizeof(mt) - 1) != 0)
		return 0;
	p = ct + sizeof(mt) - 1;
	p += strspn(p, " \t");
	while (*p == ';') {
		p++;
		p += strspn(p, " \t");
		name = p;
		namelen = strcspn(p, "=;");
		p += namelen;
		if (*p != '=')
			return 0;
		p++;
		if (*p == '"') {
			val = ++p;
			vallen = strcspn(p, "\"");
			if (p[vallen] != '"')
				return 0;
			p += vallen + 1;
		} else {
			val = p;
			vallen = strcspn(p, "; \t");
			p += vallen;
		}
		p += strspn(p, " \t");
		n = sizeof("charset") - 1;
		if (namelen == n && strncasecmp(name, "charset", n) == 0 &&
		    !(vallen == 5 && strncasecmp(val, "utf-8", 5) == 0))
			return 0;
	}
	return *p == '\0';
}

/*
 * The form in a POST or PUT body.  Answers 415 or 400 itself and
 * returns NULL; a readable form's field problems go into rep, so the
 * 422 lists them with the rules' own.
 */
static struct form *
read_form(struct req *r, struct report *rep)
{
	struct form	*f;
	char		 err[256];

	if (!is_json(r->content_type)) {
		resp_json_error(r, 415, "unsupported_media_type", "Send the "
		    "form as JSON with Content-Type: application/json.");
		return NULL;
	}
	if ((f = jsonform_read(r->body, r->bodylen, rep, err,
	    sizeof(err))) == NULL)
		resp_json_error(r, 400, "bad_request", err);
	return f;
}

/* POST /api/v1/licenses */
static void
api_create(struct req *r)
{
	struct reg_result	 res;
	struct actor		 a;
	struct form		*f;
	enum reg_err		 e;
	char			 loc[64];

	reg_result_init(&res);
	if ((f = read_form(r, &res.report)) == NULL)
		goto out;
	filing_actor(r, "api", "api", &a);
	if ((e = writer_submit(r->gw, &a, f, req_today(r), &res)) !=
	    REG_OK) {
		refused(r, e, &res);
		goto out;
	}
	snprintf(loc, sizeof(loc), "/api/v1/licenses/%s", res.number);
	resp_header(r, "Location", loc);
	answer(r, 201, regjson_result(&res));
out:
	form_free(f);
	reg_result_free(&res);
}

/* A query parameter, NULL when absent or empty. */
static const char *
param(const struct req *r, const char *name)
{
	const char	*s = kv_get(&r->query, name);

	return s != NULL && *s != '\0' ? s : NULL;
}

/* A whole number in [min, max] (digits only), or def when the
 * parameter is absent.  Returns 0, or -1 if it is not one. */
static int
param_num(const struct req *r, const char *name, long long min,
    long long max, long long def, long long *out)
{
	const char	*s = param(r, name);
	char		*end;
	long long	 v;

	*out = def;
	if (s == NULL)
		return 0;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* A text parameter no longer than a form field.  Returns 0 or -1. */
static int
param_text(const struct req *r, const char *name, const char **out)
{
	*out = param(r, name);
	return *out != NULL && strnlen(*out, LIM_FIELD_BYTES + 1) >
	    LIM_FIELD_BYTES ? -1 : 0;
}

/* A date parameter as YYYY-MM-DD into out (days into *days when not
 * NULL).  Returns 0 (out "" when absent), or -1 if it is not a date. */
static int
param_date(const struct req *r, const char *name, char out[11], int *days)
{
	const char	*s = param(r, name);
	int		 d;

	out[0] = '\0';
	if (s == NULL)
		return 0;
	if (strnlen(s, 11) > 10 || date_parse(s, &d) == -1)
		return -1;
	date_format(d, out);
	if (days != NULL)
		*days = d;
	return 0;
}

/* A parameter that must be one of names[0..n), or absent. */
static int
param_name(const struct req *r, const char *name, const char *const *names,
    size_t n, const char **out)
{
	size_t	 i;

	if ((*out = param(r, name)) == NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(*out, names[i]) == 0)
			return 0;
	return -1;
}

static json_t *
row_json(const struct listing_row *row)
{
	char	 value[32];

	money_format(row->value_cents, value, sizeof(value));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s, "
	    "s:s?, s:i, s:i, s:s}",
	    "license_number", row->number,
	    "product", row->product,
	    "license_type", row->license_type,
	    "entry_type", row->entry_type,
	    "status", row->status,
	    "importer_name", row->importer_name,
	    "country_of_origin", row->country_of_origin,
	    "expected_import_date", row->expected_import_date[0] ?
	    row->expected_import_date : NULL,
	    "valid_from", row->valid_from,
	    "valid_through", row->valid_through[0] ? row->valid_through :
	    NULL,
	    "version", row->version,
	    "lines", row->nlines,
	    "customs_value_usd", value);
}

/* GET /api/v1/licenses */
static void
api_list(struct req *r)
{
	struct listing_query	 q;
	struct listing_row	*rows = NULL;
	json_t			*list = NULL, *o;
	size_t			 n = 0, total, i;
	long long		 limit, offset;
	char			 from[11], to[11];
	enum db_err		 e;

	memset(&q, 0, sizeof(q));
	q.account_id = r->account.id;
	if (param_text(r, "number", &q.number) == -1) {
		bad_param(r, "number", "number is too long.");
		goto out;
	}
	if (param_text(r, "importer", &q.importer) == -1) {
		bad_param(r, "importer", "importer is too long.");
		goto out;
	}
	if (param_name(r, "status", status_names, STATUS__MAX,
	    &q.status) == -1) {
		bad_param(r, "status", "status must be issued, "
		    "action_required or canceled.");
		goto out;
	}
	if (param_name(r, "product", product_names, PRODUCT__MAX,
	    &q.product) == -1) {
		bad_param(r, "product", "product must be aluminum or steel.");
		goto out;
	}
	if (param_date(r, "from", from, NULL) == -1) {
		bad_param(r, "from", "from must be a date, YYYY-MM-DD.");
		goto out;
	}
	if (param_date(r, "to", to, NULL) == -1) {
		bad_param(r, "to", "to must be a date, YYYY-MM-DD.");
		goto out;
	}
	q.from = from[0] ? from : NULL;
	q.to = to[0] ? to : NULL;
	if (param_num(r, "limit", 1, LIM_PAGE_ROWS, LIST_LIMIT_DEFAULT,
	    &limit) == -1) {
		bad_param(r, "limit", "limit must be a whole number from 1 "
		    "to 200.");
		goto out;
	}
	if (param_num(r, "offset", 0, INT_MAX, 0, &offset) == -1) {
		bad_param(r, "offset", "offset must be a whole number, 0 or "
		    "more.");
		goto out;
	}
	q.limit = (size_t)limit;
	q.offset = (size_t)offset;
	if ((e = listing_query(r->db, &q, &rows, &n, &total)) != DB_OK) {
		log_msg(LOG_LVL_ERR, "api %s: %s: %s", r->path,
		    db_strerror(e), r->db->errmsg);
		unavailable(r);
		goto out;
	}
	if ((list = json_array()) == NULL)
		goto nomem;
	for (i = 0; i < n; i++)
		if ((o = row_json(&rows[i])) == NULL ||
		    json_array_append_new(list, o) == -1)
			goto nomem;
	answer(r, 200, json_pack("{s:o, s:I, s:I, s:I}", "licenses", list,
	    "total", (json_int_t)total, "limit", (json_int_t)limit,
	    "offset", (json_int_t)offset));
	list = NULL;
	goto out;
nomem:
	out_of_memory(r);
out:
	json_decref(list);
	free(rows);
}

/* GET /api/v1/licenses/{number} */
static void
api_show(struct req *r)
{
	struct reg_view	 v;
	struct actor	 a;
	enum reg_err	 e;

	filing_actor(r, "api", "api", &a);
	if ((e = reg_show(r->db, &a, r->arg, &v)) != REG_OK) {
		refused(r, e, NULL);
		return;
	}
	answer(r, 200, regjson_view(&v, 0));
	reg_view_free(&v);
}

/* PUT /api/v1/licenses/{number}: a correction, as a new version. */
static void
api_correct(struct req *r)
{
	struct reg_result	 res;
	struct actor		 a;
	struct form		*f;
	enum reg_err		 e;

	reg_result_init(&res);
	if ((f = read_form(r, &res.report)) == NULL)
		goto out;
	filing_actor(r, "api", "api", &a);
	e = reg_correct(r->db, &a, r->arg, f, req_today(r), &res);
	if (e != REG_OK)
		refused(r, e, &res);
	else
		answer(r, 200, regjson_result(&res));
out:
	form_free(f);
	reg_result_free(&res);
}

/* POST .../cancel and .../confirm: a change of status. */
static void
status_change(struct req *r, enum reg_err (*fn)(struct db *,
    const struct actor *, const char *, struct reg_result *))
{
	struct reg_result	 res;
	struct actor		 a;
	enum reg_err		 e;

	reg_result_init(&res);
	filing_actor(r, "api", "api", &a);
	if ((e = fn(r->db, &a, r->arg, &res)) != REG_OK)
		refused(r, e, &res);
	else
		answer(r, 200, regjson_result(&res));
	reg_result_free(&res);
}

static void
api_cancel(struct req *r)
{
	status_change(r, reg_cancel);
}

static void
api_confirm(struct req *r)
{
	status_change(r, reg_confirm);
}

/* POST .../duplicate: a new application prefilled from the license,
 * as the vocabulary JSON to edit and POST to /api/v1/licenses. */
static void
api_duplicate(struct req *r)
{
	struct actor	 a;
	struct form	*f = NULL;
	json_t		*form;
	char		*text = NULL;
	enum reg_err	 e;

	filing_actor(r, "api", "api", &a);
	if ((e = reg_duplicate(r->db, &a, r->arg, &f)) != REG_OK) {
		refused(r, e, NULL);
		goto out;
	}
	if ((text = jsonform_write(f)) == NULL ||
	    (form = json_loads(text, 0, NULL)) == NULL) {
		out_of_memory(r);
		goto out;
	}
	answer(r, 200, json_pack("{s:o}", "form", form));
out:
	free(text);
	form_free(f);
}

/* GET /api/v1/license-check: DOMAIN.md section 9, for anyone. */
static void
api_check(struct req *r)
{
	enum check_result	 res;
	const char		*number, *importer, *value;
	int64_t			 cents = -1;
	int			 day;
	char			 date[11];

	if (param_text(r, "number", &number) == -1 || number == NULL) {
		bad_param(r, "number", "number is required: the license "
		    "number.");
		return;
	}
	if (param_text(r, "importer", &importer) == -1 || importer == NULL) {
		bad_param(r, "importer", "importer is required: the "
		    "importer's name, at most 200 characters.");
		return;
	}
	if (param_date(r, "import_date", date, &day) == -1 ||
	    date[0] == '\0') {
		bad_param(r, "import_date", "import_date is required: a "
		    "date, YYYY-MM-DD.");
		return;
	}
	if (param_text(r, "entry_value", &value) == -1 || (value != NULL &&
	    rules_parse_money(value, &cents) == -1)) {
		bad_param(r, "entry_value", "entry_value must be an amount "
		    "in U.S. dollars above 0, such as 1234.50.");
		return;
	}
	if (reg_check(r->db, number, importer, day, cents, &res) != REG_OK) {
		refused(r, REG_DB, NULL);
		return;
	}
	answer(r, 200, json_pack("{s:s}", "result", check_names[res]));
}

/* Whether a Content-Type is the media type mt (any parameters). */
static int
media_is(const char *ct, const char *mt)
{
	size_t	 n = strlen(mt);

	return ct != NULL && strncasecmp(ct, mt, n) == 0 && (ct[n] == '\0' ||
	    ct[n] == ';' || ct[n] == ' ' || ct[n] == '\t');
}

/*
 * POST /api/v1/licenses/batch: the .xlsx or .csv file itself as the
 * body (read by content, as on the web site).  201 when every license
 * was filed, 200 when accept_valid filed the valid ones, 422 when
 * nothing was filed; the same JSON each time (db/batch.h).
 */
static void
api_batch(struct req *r)
{
	struct batch		 b;
	struct reg_result	*res = NULL;
	struct form		**forms = NULL;
	struct actor		 a;
	const char		*av = param(r, "accept_valid");
	char			 err[512];
	size_t			 i;
	int			 accept = 0;
	enum reg_err		 e;

	batch_init(&b);
	if (av != NULL) {
		if (strcmp(av, "1") == 0 || strcmp(av, "true") == 0)
			accept = 1;
		else if (strcmp(av, "0") != 0 && strcmp(av, "false") != 0) {
			bad_param(r, "accept_valid", "accept_valid must be 1 "
			    "(file the valid licenses only) or 0.");
			goto out;
		}
	}
	if (!media_is(r->content_type, "application/vnd.openxmlformats-"
	    "officedocument.spreadsheetml.sheet") &&
	    !media_is(r->content_type, "text/csv")) {
		resp_json_error(r, 415, "unsupported_media_type", "Send the "
		    "spreadsheet itself as the body, with Content-Type: "
		    "application/vnd.openxmlformats-officedocument."
		    "spreadsheetml.sheet (.xlsx) or text/csv.");
		goto out;
	}
	if (r->bodylen > LIM_XLSX_BYTES) {
		resp_json_error(r, 413, "too_large", "The spreadsheet is "
		    "larger than 16 MB: split it into several files.");
		goto out;
	}
	if (r->body == NULL || r->bodylen == 0) {
		resp_json_error(r, 400, "bad_request", "The body is empty: "
		    "send the spreadsheet file itself.");
		goto out;
	}
	if (batch_read(r->body, r->bodylen, &b, err, sizeof(err)) == -1) {
		answer(r, 422, json_pack("{s:[], s:[{s:i, s:s, s:s}]}",
		    "licenses", "errors", "row", 0, "field", "", "message",
		    err));
		goto out;
	}
	/* b.n may be 0 when no row has a license_ref. */
	if ((res = calloc(b.n + 1, sizeof(*res))) == NULL ||
	    (forms = calloc(b.n + 1, sizeof(*forms))) == NULL) {
		out_of_memory(r);
		goto out;
	}
	for (i = 0; i < b.n; i++) {
		reg_result_init(&res[i]);
		/* Rows with errors of their own never reach the registry. */
		forms[i] = b.lic[i].rejected ? NULL : b.lic[i].form;
	}
	filing_actor(r, "api", "api", &a);
	e = reg_submit_batch(r->db, &a, forms, b.n, accept, req_today(r),
	    res);
	for (i = 0; i < b.n; i++)
		batch_report_form(&b, i, &res[i].report);
	batch_report_sort(&b.report);
	switch (e) {
	case REG_OK:
		answer(r, b.report.nerrors == 0 && !b.report.truncated ?
		    201 : 200, reg_batch_json(&b, res));
		break;
	case REG_INVALID:
		answer(r, 422, reg_batch_json(&b, res));
		break;
	default:
		refused(r, e, b.n > 0 ? &res[0] : NULL);
		break;
	}
out:
	for (i = 0; res != NULL && i < b.n; i++)
		reg_result_free(&res[i]);
	free(res);
	free(forms);
	batch_free(&b);
}

static const struct route routes[] = {
	{ METHOD_POST, "/api/v1/licenses", ROLE_API, api_create },
	{ METHOD_POST, "/api/v1/licenses/batch", ROLE_API, api_batch },
	{ METHOD_GET, "/api/v1/licenses", ROLE_API, api_list },
	{ METHOD_GET, "/api/v1/licenses/*", ROLE_API, api_show },
	{ METHOD_PUT, "/api/v1/licenses/*", ROLE_API, api_correct },
	{ METHOD_POST, "/api/v1/licenses/*/cancel", ROLE_API, api_cancel },
	{ METHOD_POST, "/api/v1/licenses/*/duplicate", ROLE_API,
	    api_duplicate },
	{ METHOD_POST, "/api/v1/licenses/*/confirm", ROLE_API, api_confirm },
	{ METHOD_GET, "/api/v1/license-check", ROLE_PUBLIC, api_check },
};

ROUTE_TABLE(routes_api, routes);
