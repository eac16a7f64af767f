/*
 * The license registry: submit, correct, cancel, confirm, duplicate,
 * show and check.  Every change is one transaction holding the license
 * rows, the event and the confirmation email.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/date.h"
#include "lib/limits.h"
#include "forms/rules.h"
#include "accounts.h"
#include "batch.h"
#include "events.h"
#include "history.h"
#include "monitor.h"
#include "outbox.h"
#include "registry.h"

/* Tries at a fresh number before giving up: 32^8 numbers make even one
 * collision unlikely for centuries of filings. */
#define NUMBER_TRIES	8

const char *const status_names[STATUS__MAX] = {
	"issued", "action_required", "canceled",
};

static const char *const errs[REG__MAX] = {
	[REG_OK] = "done",
	[REG_INVALID] = "the application has errors",
	[REG_NOT_FOUND] = "no such license",
	[REG_CANCELED] = "the license is canceled and cannot be changed",
	[REG_CONFLICT] = "not possible in the license's present state",
	[REG_ACCOUNT] = "the account may not file licenses",
	[REG_DB] = "the license could not be stored; nothing was changed",
	[REG_NOMEM] = "out of memory; nothing was changed",
	[REG_UNSURE] = "whether the license was stored is not known",
};

const char *
reg_strerror(enum reg_err e)
{
	return e < REG__MAX ? errs[e] : "unknown error";
}

void
reg_result_init(struct reg_result *r)
{
	memset(r, 0, sizeof(*r));
	report_init(&r->report);
}

void
reg_result_free(struct reg_result *r)
{
	report_free(&r->report);
}

static enum lic_status
status_parse(const char *s)
{
	int	 i;

	for (i = 0; i < STATUS__MAX; i++)
		if (strcmp(s, status_names[i]) == 0)
			return i;
	return STATUS_ISSUED;
}

static int
name_index(const char *s, const char *const *names, int n)
{
	int	 i;

	for (i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return 0;
}

/* The license row as ST_LICENSE_BY_NUMBER gives it. */
struct row {
	int64_t		 id;
	char		 number[LICNUM_LEN + 1];
	int64_t		 account_id;
	enum product	 product;
	enum ltype	 ltype;
	enum lic_status	 status;
	int		 version;
	char		 issued_on[11];
	char		 valid_through[11];
	char		 channel[16];
	char		 created_at[24];
	char		 canceled_at[24];
	int		 synthetic;
};

/*
 * Finds a license by number for an actor: another account's license is
 * "not found", so its existence is never confirmed.
 */
static enum reg_err
load_row(struct db *db, const struct actor *a, const char *number,
    struct row *r, enum db_err *dberr)
{
	sqlite3_stmt	*st;
	char		 norm[LICNUM_LEN + 1], buf[32];
	int		 rc;

	if (licnum_normalize(number, norm) == -1)
		return REG_NOT_FOUND;
	st = db_stmt(db, ST_LICENSE_BY_NUMBER);
	db_bind_text(st, 1, norm);
	if ((rc = db_step(db, st)) != SQLITE_ROW) {
		if (st != NULL)
			sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return REG_NOT_FOUND;
		*dberr = db_error(db, rc);
		return REG_DB;
	}
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	db_col_copy(st, 1, r->number, sizeof(r->number));
	r->account_id = sqlite3_column_int64(st, 2);
	db_col_copy(st, 3, buf, sizeof(buf));
	r->product = name_index(buf, product_names, PRODUCT__MAX);
	db_col_copy(st, 4, buf, sizeof(buf));
	r->ltype = name_index(buf, ltype_names, LTYPE__MAX);
	db_col_copy(st, 5, buf, sizeof(buf));
	r->status = status_parse(buf);
	r->version = sqlite3_column_int(st, 6);
	db_col_copy(st, 7, r->issued_on, sizeof(r->issued_on));
	db_col_copy(st, 8, r->valid_through, sizeof(r->valid_through));
	db_col_copy(st, 9, r->channel, sizeof(r->channel));
	db_col_copy(st, 10, r->created_at, sizeof(r->created_at));
	db_col_copy(st, 11, r->canceled_at, sizeof(r->canceled_at));
	r->synthetic = sqlite3_column_int(st, 12);
	sqlite3_reset(st);
	if (a != NULL && a->account_id > 0 && a->account_id != r->account_id)
		return REG_NOT_FOUND;
	return REG_OK;
}

/* Reads one stored version back into a struct license. */
static enum reg_err
load_version(struct db *db, const struct row *r, int version,
    struct license **out, struct reg_version *meta, enum db_err *dberr)
{
	sqlite3_stmt		*st;
	struct license		*lic;
	struct license_line	*l, *p;
	char			 buf[32];
	int			 rc;
	enum reg_err		 e = REG_DB;

	*out = NULL;
	if ((lic = calloc(1, sizeof(*lic))) == NULL)
		return REG_NOMEM;
	lic->product = r->product;
	lic->ltype = r->ltype;
	st = db_stmt(db, ST_VERSION_SELECT);
	db_bind_int(st, 1, r->id);
	db_bind_int(st, 2, version);
	if ((rc = db_step(db, st)) != SQLITE_ROW) {
		*dberr = rc == SQLITE_DONE ? DB_NOT_FOUND : db_error(db, rc);
		goto out;
	}
	db_col_copy(st, 0, buf, sizeof(buf));
	lic->entry = name_index(buf, entry_names, ENTRY__MAX);
	lic->importer_name = db_col_strdup(st, 1);
	lic->exporter_name = db_col_strdup(st, 2);
	lic->manufacturer_name = db_col_strdup(st, 3);
	lic->country_of_origin = db_col_strdup(st, 4);
	lic->country_of_exportation = db_col_strdup(st, 5);
	db_col_copy(st, 6, buf, sizeof(buf));
	date_parse(buf, &lic->export_date);
	db_col_copy(st, 7, buf, sizeof(buf));
	date_parse(buf, &lic->import_date);
	lic->port_of_entry = db_col_strdup(st, 8);
	lic->customs_entry_number = db_col_strdup(st, 9);
	db_col_copy(st, 10, buf, sizeof(buf));
	date_parse(buf, &lic->application_date);
	if (meta != NULL) {
		meta->version = version;
		db_col_copy(st, 11, meta->channel, sizeof(meta->channel));
		meta->actor = db_col_strdup(st, 12);
		db_col_copy(st, 13, meta->created_at,
		    sizeof(meta->created_at));
	}
	sqlite3_reset(st);

	st = db_stmt(db, ST_LINE_SELECT);
	db_bind_int(st, 1, r->id);
	db_bind_int(st, 2, version);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		p = reallocarray(lic->lines, lic->nlines + 1, sizeof(*p));
		if (p == NULL) {
			e = REG_NOMEM;
			goto out;
		}
		lic->lines = p;
		l = &lic->lines[lic->nlines++];
		memset(l, 0, sizeof(*l));
		db_col_copy(st, 0, l->hts_code, sizeof(l->hts_code));
		db_col_copy(st, 1, l->product_group, sizeof(l->product_group));
		l->value_cents = sqlite3_column_int64(st, 2);
		l->grams = sqlite3_column_int64(st, 3);
		l->usd_per_kg = sqlite3_column_double(st, 4);
		l->largest_smelt = db_col_strdup(st, 5);
		l->second_smelt = db_col_strdup(st, 6);
		l->most_recent_cast = db_col_strdup(st, 7);
		l->melt_and_pour = db_col_strdup(st, 8);
	}
	if (rc != SQLITE_DONE) {
		*dberr = db_error(db, rc);
		goto out;
	}
	sqlite3_reset(st);
	if (meta != NULL) {
		st = db_stmt(db, ST_FLAG_SELECT);
		db_bind_int(st, 1, r->id);
		db_bind_int(st, 2, version);
		while ((rc = db_step(db, st)) == SQLITE_ROW)
			report_flag(&meta->flags, 0, (const char *)
			    sqlite3_column_text(st, 0), "%s",
			    (const char *)sqlite3_column_text(st, 1));
		if (rc != SQLITE_DONE) {
			*dberr = db_error(db, rc);
			goto out;
		}
	}
	*out = lic;
	lic = NULL;
	e = REG_OK;
out:
	if (st != NULL)
		sqlite3_reset(st);
	license_free(lic);
	return e;
}

/* Stores one version: header, lines, flags. */
static enum db_err
store_version(struct db *db, const struct actor *a, int64_t id, int version,
    const struct license *lic, const struct report *rep)
{
	sqlite3_stmt	*st;
	char		 exp[11], imp[11], app[11];
	size_t		 i;
	enum db_err	 e;

	date_format(lic->export_date, exp);
	date_format(lic->import_date, imp);
	date_format(lic->application_date, app);
	st = db_stmt(db, ST_VERSION_INSERT);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, version);
	db_bind_text(st, 3, entry_names[lic->entry]);
	db_bind_text(st, 4, lic->importer_name);
	db_bind_text(st, 5, lic->exporter_name);
	db_bind_text(st, 6, lic->manufacturer_name);
	db_bind_text(st, 7, lic->country_of_origin);
	db_bind_text(st, 8, lic->country_of_exportation);
	db_bind_text(st, 9, exp);
	db_bind_text(st, 10, imp);
	db_bind_text(st, 11, lic->port_of_entry);
	db_bind_text(st, 12, lic->customs_entry_number);
	db_bind_text(st, 13, app);
	db_bind_text(st, 14, a->channel);
	db_bind_text(st, 15, a->who);
	if ((e = db_exec_stmt(db, st)) != DB_OK)
		return e;
	for (i = 0; i < lic->nlines; i++) {
		const struct license_line *l = &lic->lines[i];

		st = db_stmt(db, ST_LINE_INSERT);
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, version);
		db_bind_int(st, 3, i + 1);
		db_bind_text(st, 4, l->hts_code);
		db_bind_text(st, 5, l->product_group);
		db_bind_int(st, 6, l->value_cents);
		db_bind_int(st, 7, l->grams);
		if (st != NULL)
			sqlite3_bind_double(st, 8, l->usd_per_kg);
		db_bind_text(st, 9, l->largest_smelt);
		db_bind_text(st, 10, l->second_smelt);
		db_bind_text(st, 11, l->most_recent_cast);
		db_bind_text(st, 12, l->melt_and_pour);
		if ((e = db_exec_stmt(db, st)) != DB_OK)
			return e;
	}
	for (i = 0; i < rep->nflags; i++) {
		st = db_stmt(db, ST_FLAG_INSERT);
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, version);
		db_bind_int(st, 3, i + 1);
		db_bind_text(st, 4, rep->flags[i].field);
		db_bind_text(st, 5, rep->flags[i].message);
		if ((e = db_exec_stmt(db, st)) != DB_OK)
			return e;
	}
	return DB_OK;
}

/*
 * Queues the confirmation of a change to the account's primary email,
 * copied to the alternate.  For one license it names the number.
 */
static enum db_err
confirm_mail(struct db *db, const char *template, int64_t account_id,
    const struct account *known, int64_t license_id,
    const struct reg_result *res, const struct license *lic)
{
	struct account	 acc;
	json_t		*p, *flags;
	size_t		 i;
	enum db_err	 e;

	/* known: the account the caller read already (or NULL). */
	if (known != NULL)
		acc = *known;
	else if ((e = accounts_by_id(db, account_id, &acc)) != DB_OK)
		return e;
	flags = json_array();
	for (i = 0; i < res->report.nflags; i++)
		json_array_append_new(flags, json_pack("{s:s, s:s}",
		    "field", res->report.flags[i].field,
		    "message", res->report.flags[i].message));
	p = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:s}",
	    "license_number", res->number,
	    "status", status_names[res->status],
	    "valid_from", res->valid_from,
	    "valid_through", res->valid_through,
	    "flags", flags,
	    "company_name", acc.v[AF_COMPANY_NAME] ? acc.v[AF_COMPANY_NAME] :
	    "",
	    "contact_name", acc.v[AF_CONTACT_NAME] ? acc.v[AF_CONTACT_NAME] :
	    "");
	if (p != NULL && lic != NULL) {
		json_object_set_new(p, "product",
		    json_string(product_names[lic->product]));
		json_object_set_new(p, "license_type",
		    json_string(ltype_names[lic->ltype]));
		json_object_set_new(p, "importer_name",
		    json_string(lic->importer_name));
		json_object_set_new(p, "lines", json_integer(lic->nlines));
	}
	if (p == NULL)
		e = DB_ERROR;
	else
		e = outbox_add(db, template, acc.v[AF_EMAIL],
		    acc.v[AF_ALT_EMAIL], p, license_id, account_id, NULL, 0);
	if (known == NULL)
		account_clear(&acc);
	return e;
}

/* Flags against history, into res->report.flags; sets the status. */
static enum db_err
flag(struct db *db, const struct license *lic, struct reg_result *res)
{
	struct line_history	*hist = NULL;
	enum db_err		 e = DB_OK;

	if (lic->nlines > 0) {
		if ((hist = calloc(lic->nlines, sizeof(*hist))) == NULL)
			return DB_ERROR;
		if ((e = history_for(db, lic, hist)) != DB_OK)
			goto out;
	}
	rules_flag(lic, hist, &res->report);
	res->status = res->report.nflags > 0 ? STATUS_ACTION_REQUIRED :
	    STATUS_ISSUED;
out:
	free(hist);
	return e;
}

static void
validity(struct reg_result *res, const struct license *lic, int issued_on)
{
	int	 through;

	date_format(issued_on, res->valid_from);
	through = rules_valid_through(lic->ltype, lic->entry, issued_on);
	if (through == DATE_NONE)
		res->valid_through[0] = '\0';
	else
		date_format(through, res->valid_through);
}

/* reg_may_file; when REG_OK, *acc is the account (account_clear). */
static enum reg_err
may_file(struct db *db, const struct actor *a, struct reg_result *res,
    struct account *accp)
{
	struct account	 acc;
	enum db_err	 e;
	enum reg_err	 r = REG_OK;

	if (a->account_id <= 0)
		return REG_ACCOUNT;
	if ((e = accounts_by_id(db, a->account_id, &acc)) != DB_OK) {
		res->dberr = e;
		return e == DB_NOT_FOUND ? REG_ACCOUNT : REG_DB;
	}
	if (!acc.verified || acc.locked)
		r = REG_ACCOUNT;
	/* Electronic filing revoked by staff: the web, the API and
	 * spreadsheets are refused; staff issue (an approved emailed form,
	 * channel "email" or "staff") and the operator ("cli") still may. */
	else if (!acc.efiling && !a->synthetic && (a->channel == NULL ||
	    (strcmp(a->channel, "email") != 0 &&
	    strcmp(a->channel, "staff") != 0 &&
	    strcmp(a->channel, "cli") != 0)))
		r = REG_ACCOUNT;
	if (r == REG_OK && accp != NULL)
		*accp = acc;
	else
		account_clear(&acc);
	return r;
}

enum reg_err
reg_may_file(struct db *db, const struct actor *a, struct reg_result *res)
{
	return may_file(db, a, res, NULL);
}

/*
 * The one insert path of a new license, for reg_submit and
 * reg_submit_batch: flag, number, store; the caller holds the
 * transaction and queues the email.
 */
enum db_err
reg_insert(struct db *db, const struct actor *a, const struct license *lic,
    int app, struct reg_result *res, int64_t *idp)
{
	sqlite3_stmt	*st;
	int64_t		 id;
	int		 tries;
	enum db_err	 e;

	if ((e = flag(db, lic, res)) != DB_OK)
		return e;
	validity(res, lic, app);
	for (tries = 0; tries < NUMBER_TRIES; tries++) {
		if (licnum_generate(res->number) == -1)
			return DB_ERROR;
		st = db_stmt(db, ST_LICENSE_INSERT);
		db_bind_text(st, 1, res->number);
		db_bind_int(st, 2, a->account_id);
		db_bind_text(st, 3, product_names[lic->product]);
		db_bind_text(st, 4, ltype_names[lic->ltype]);
		db_bind_text(st, 5, status_names[res->status]);
		db_bind_text(st, 6, res->valid_from);
		db_bind_text(st, 7, res->valid_through[0] ?
		    res->valid_through : NULL);
		db_bind_text(st, 8, a->channel);
		db_bind_int(st, 9, a->synthetic != 0);
		if ((e = db_exec_stmt(db, st)) != DB_EXISTS)
			break;
	}
	if (e != DB_OK)
		return e;
	id = sqlite3_last_insert_rowid(db->h);
	res->version = 1;
	if ((e = store_version(db, a, id, 1, lic, &res->report)) != DB_OK ||
	    (e = history_add(db, id, res->valid_from, lic)) != DB_OK ||
	    (e = monitor_change(db, id, 0, lic)) != DB_OK ||
	    (e = event_add(db, a->account_id, id, a->who, a->channel,
	    "submit", status_names[res->status])) != DB_OK)
		return e;
	*idp = id;
	return DB_OK;
}

enum reg_err
reg_submit(struct db *db, const struct actor *a, const struct form *f,
    int app, struct reg_result *res)
{
	struct license	*lic = NULL;
	enum reg_err	 r;

	if (rules_check(f, app, &res->report, &lic) > 0)
		r = REG_INVALID;
	else
		r = reg_submit_checked(db, a, lic, app, res);
	license_free(lic);
	return r;
}

enum reg_err
reg_submit_checked(struct db *db, const struct actor *a,
    const struct license *lic, int app, struct reg_result *res)
{
	struct account	 acc;
	int64_t		 id = 0;
	enum db_err	 e = DB_OK;
	enum reg_err	 r;

	if ((r = may_file(db, a, res, &acc)) != REG_OK)
		return r;
	r = REG_DB;
	if ((e = db_begin(db)) != DB_OK)
		goto out;
	if ((e = reg_insert(db, a, lic, app, res, &id)) != DB_OK)
		goto fail;
	if (!a->synthetic && (e = confirm_mail(db, "license_created",
	    a->account_id, &acc, id, res, lic)) != DB_OK)
		goto fail;
	if ((e = db_commit(db)) != DB_OK)
		goto fail;
	r = REG_OK;
	goto out;
fail:
	db_rollback(db);
	res->number[0] = '\0';
out:
	account_clear(&acc);
	res->dberr = e;
	return r;
}

enum reg_err
reg_correct(struct db *db, const struct actor *a, const char *number,
    const struct form *f, int app, struct reg_result *res)
{
	struct license	*lic = NULL;
	struct row	 row;
	sqlite3_stmt	*st;
	int		 issued;
	enum db_err	 e = DB_OK;
	enum reg_err	 r;

	rules_check(f, app, &res->report, &lic);
	if ((e = db_begin(db)) != DB_OK) {
		r = REG_DB;
		goto out;
	}
	if ((r = load_row(db, a, number, &row, &e)) != REG_OK)
		goto fail;
	if (row.status == STATUS_CANCELED) {
		r = REG_CANCELED;
		goto fail;
	}
	if (lic != NULL && lic->product != row.product)
		report_error(&res->report, 0, "product", "A correction cannot "
		    "change the product from %s: duplicate the license and "
		    "file a new %s license instead.",
		    product_names[row.product], product_names[lic->product]);
	if (lic != NULL && lic->ltype != row.ltype)
		report_error(&res->report, 0, "license_type", "A correction "
		    "cannot change the license type from %s: duplicate the "
		    "license and file a new one instead.",
		    ltype_names[row.ltype]);
	if (res->report.nerrors > 0) {
		r = REG_INVALID;
		goto fail;
	}
	r = REG_DB;
	snprintf(res->number, sizeof(res->number), "%s", row.number);
	date_parse(row.issued_on, &issued);
	if ((e = flag(db, lic, res)) != DB_OK)
		goto fail;
	validity(res, lic, issued);
	res->version = row.version + 1;
	st = db_stmt(db, ST_LICENSE_SET_STATUS);
	db_bind_int(st, 1, row.id);
	db_bind_text(st, 2, status_names[res->status]);
	db_bind_int(st, 3, res->version);
	db_bind_text(st, 4, res->valid_through[0] ? res->valid_through :
	    NULL);
	if ((e = db_exec_stmt(db, st)) != DB_OK ||
	    (e = store_version(db, a, row.id, res->version, lic,
	    &res->report)) != DB_OK ||
	    (e = history_put(db, row.id, row.issued_on, lic)) != DB_OK ||
	    (e = monitor_change(db, row.id, row.version, lic)) != DB_OK ||
	    (e = event_add(db, row.account_id, row.id, a->who, a->channel,
	    "correct", status_names[res->status])) != DB_OK ||
	    (e = confirm_mail(db, "license_corrected", row.account_id, NULL,
	    row.id, res, lic)) != DB_OK ||
	    (e = db_commit(db)) != DB_OK)
		goto fail;
	r = REG_OK;
	goto out;
fail:
	db_rollback(db);
out:
	res->dberr = e;
	license_free(lic);
	return r;
}

/* Cancel and confirm: a status change with its event and email. */
static enum reg_err
set_status(struct db *db, const struct actor *a, const char *number,
    enum lic_status to, struct reg_result *res)
{
	struct row	 row;
	struct license	*lic = NULL;
	sqlite3_stmt	*st;
	enum db_err	 e = DB_OK;
	enum reg_err	 r;

	if ((e = db_begin(db)) != DB_OK) {
		r = REG_DB;
		goto out;
	}
	if ((r = load_row(db, a, number, &row, &e)) != REG_OK)
		goto fail;
	if (row.status == STATUS_CANCELED) {
		r = REG_CANCELED;
		goto fail;
	}
	if (to == STATUS_ISSUED && row.status != STATUS_ACTION_REQUIRED) {
		r = REG_CONFLICT;
		goto fail;
	}
	if ((r = load_version(db, &row, row.version, &lic, NULL, &e)) !=
	    REG_OK)
		goto fail;
	r = REG_DB;
	snprintf(res->number, sizeof(res->number), "%s", row.number);
	snprintf(res->valid_from, sizeof(res->valid_from), "%s",
	    row.issued_on);
	snprintf(res->valid_through, sizeof(res->valid_through), "%s",
	    row.valid_through);
	res->version = row.version;
	res->status = to;
	if (to == STATUS_CANCELED) {
		st = db_stmt(db, ST_LICENSE_CANCEL);
		db_bind_int(st, 1, row.id);
		if ((e = db_exec_stmt(db, st)) != DB_OK ||
		    (e = history_drop(db, row.id)) != DB_OK ||
		    (e = monitor_change(db, row.id, row.version, NULL)) !=
		    DB_OK)
			goto fail;
	} else {
		st = db_stmt(db, ST_LICENSE_SET_STATUS);
		db_bind_int(st, 1, row.id);
		db_bind_text(st, 2, status_names[to]);
		db_bind_int(st, 3, row.version);
		db_bind_text(st, 4, row.valid_through[0] ? row.valid_through :
		    NULL);
		if ((e = db_exec_stmt(db, st)) != DB_OK)
			goto fail;
	}
	if ((e = event_add(db, row.account_id, row.id, a->who, a->channel,
	    to == STATUS_CANCELED ? "cancel" : "confirm", NULL)) != DB_OK ||
	    (e = confirm_mail(db, to == STATUS_CANCELED ? "license_canceled" :
	    "license_confirmed", row.account_id, NULL, row.id, res, lic)) !=
	    DB_OK ||
	    (e = db_commit(db)) != DB_OK)
		goto fail;
	r = REG_OK;
	goto out;
fail:
	db_rollback(db);
out:
	license_free(lic);
	res->dberr = e;
	return r;
}

enum reg_err
reg_cancel(struct db *db, const struct actor *a, const char *number,
    struct reg_result *res)
{
	return set_status(db, a, number, STATUS_CANCELED, res);
}

enum reg_err
reg_confirm(struct db *db, const struct actor *a, const char *number,
    struct reg_result *res)
{
	return set_status(db, a, number, STATUS_ISSUED, res);
}

enum reg_err
reg_duplicate(struct db *db, const struct actor *a, const char *number,
    struct form **out)
{
	struct row	 row;
	struct license	*lic = NULL;
	enum db_err	 e;
	enum reg_err	 r;

	*out = NULL;
	if ((r = load_row(db, a, number, &row, &e)) != REG_OK)
		return r;
	if ((r = load_version(db, &row, row.version, &lic, NULL, &e)) !=
	    REG_OK)
		return r;
	if ((*out = license_to_form(lic)) == NULL)
		r = REG_NOMEM;
	license_free(lic);
	return r;
}

enum reg_err
reg_show(struct db *db, const struct actor *a, const char *number,
    struct reg_view *v)
{
	struct row		 row;
	struct reg_version	*pv;
	struct reg_event	*pe, *ev;
	sqlite3_stmt		*st;
	enum db_err		 e;
	enum reg_err		 r;
	int			 i, rc;

	memset(v, 0, sizeof(*v));
	if ((r = load_row(db, a, number, &row, &e)) != REG_OK)
		return r;
	v->id = row.id;
	memcpy(v->number, row.number, sizeof(v->number));
	v->account_id = row.account_id;
	v->product = row.product;
	v->ltype = row.ltype;
	v->status = row.status;
	v->version = row.version;
	memcpy(v->valid_from, row.issued_on, sizeof(v->valid_from));
	memcpy(v->valid_through, row.valid_through, sizeof(v->valid_through));
	memcpy(v->channel, row.channel, sizeof(v->channel));
	memcpy(v->created_at, row.created_at, sizeof(v->created_at));
	memcpy(v->canceled_at, row.canceled_at, sizeof(v->canceled_at));
	v->synthetic = row.synthetic;

	if ((v->versions = calloc(row.version, sizeof(*pv))) == NULL)
		return REG_NOMEM;
	for (i = 1; i <= row.version; i++) {
		pv = &v->versions[v->nversions++];
		report_init(&pv->flags);
		if ((r = load_version(db, &row, i, &pv->lic, pv, &e)) !=
		    REG_OK)
			goto fail;
	}
	st = db_stmt(db, ST_EVENT_SELECT);
	db_bind_int(st, 1, row.id);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		pe = reallocarray(v->events, v->nevents + 1, sizeof(*pe));
		if (pe == NULL) {
			sqlite3_reset(st);
			r = REG_NOMEM;
			goto fail;
		}
		v->events = pe;
		ev = &v->events[v->nevents++];
		memset(ev, 0, sizeof(*ev));
		db_col_copy(st, 0, ev->at, sizeof(ev->at));
		ev->actor = db_col_strdup(st, 1);
		db_col_copy(st, 2, ev->channel, sizeof(ev->channel));
		db_col_copy(st, 3, ev->action, sizeof(ev->action));
		ev->detail = db_col_strdup(st, 4);
	}
	if (st != NULL)
		sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		r = REG_DB;
		goto fail;
	}
	return REG_OK;
fail:
	reg_view_free(v);
	return r;
}

void
reg_view_free(struct reg_view *v)
{
	size_t	 i;

	for (i = 0; i < v->nversions; i++) {
		license_free(v->versions[i].lic);
		free(v->versions[i].actor);
		report_free(&v->versions[i].flags);
	}
	free(v->versions);
	for (i = 0; i < v->nevents; i++) {
		free(v->events[i].actor);
		free(v->events[i].detail);
	}
	free(v->events);
	memset(v, 0, sizeof(*v));
}

enum reg_err
reg_check(struct db *db, const char *number, const char *importer,
    int import_date, int64_t entry_value_cents, enum check_result *out)
{
	struct row		 row;
	struct check_facts	 facts;
	sqlite3_stmt		*st;
	char			 name[LIM_FIELD_BYTES + 1];
	enum db_err		 e;
	enum reg_err		 r;
	int			 rc;

	r = load_row(db, NULL, number, &row, &e);
	if (r == REG_NOT_FOUND) {
		*out = CHECK_NOT_FOUND;
		return REG_OK;
	}
	if (r != REG_OK)
		return r;
	/* The check is the busiest public call: read the one field it
	 * needs, not the whole version with its lines. */
	st = db_stmt(db, ST_VERSION_IMPORTER);
	db_bind_int(st, 1, row.id);
	db_bind_int(st, 2, row.version);
	if ((rc = db_step(db, st)) != SQLITE_ROW) {
		if (st != NULL)
			sqlite3_reset(st);
		db_error(db, rc);
		return REG_DB;
	}
	db_col_copy(st, 0, name, sizeof(name));
	sqlite3_reset(st);
	facts.canceled = row.status == STATUS_CANCELED;
	facts.ltype = row.ltype;
	facts.importer_name = name;
	if (row.valid_through[0] == '\0' ||
	    date_parse(row.valid_through, &facts.valid_through) == -1)
		facts.valid_through = DATE_NONE;
	*out = rules_license_check(&facts, importer, import_date,
	    entry_value_cents);
	return REG_OK;
}
