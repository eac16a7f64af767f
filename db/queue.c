/*
 * The staff queue: items made from mail (submissions, correspondence,
 * quarantine) and from failed outbound mail, their threads, and the
 * staff actions on them with the audit log.  Approval issues the
 * license through reg_submit inside the action's own transaction
 * (db_begin nests), so the license, the item's new state, the emails
 * and the audit row land together or not at all.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "lib/date.h"
#include "lib/limits.h"
#include "forms/license.h"
#include "forms/read.h"
#include "forms/rules.h"
#include "accounts.h"
#include "clock.h"
#include "outbox.h"
#include "queue.h"

/* What every acknowledgement and rejection says of the reference. */
#define NOT_A_LICENSE \
	"This reference is NOT a license number. No entry may be filed " \
	"with it. Only a license number issued by the licensing system, " \
	"which we email to you once staff approve the application, may " \
	"be used on an entry summary."

const char *const queue_kind_names[QK__MAX] = {
	"submission", "correspondence", "quarantine", "outbound_failure",
};

const char *const queue_state_names[QS__MAX] = {
	"open", "claimed", "approved", "rejected", "closed",
};

static const char *const errs[QUEUE__MAX] = {
	[QUEUE_OK] = "done",
	[QUEUE_NOT_FOUND] = "no such queue item",
	[QUEUE_CLAIMED] = "another staff member has claimed this item",
	[QUEUE_STATE] = "not possible in the item's present state",
	[QUEUE_KIND] = "not possible for this kind of item",
	[QUEUE_INVALID] = "the form has errors",
	[QUEUE_NO_ACCOUNT] = "no filer account has the sender's email",
	[QUEUE_ACCOUNT] = "the filer account is not verified or is locked",
	[QUEUE_DB] = "database failure; nothing was changed",
	[QUEUE_NOMEM] = "out of memory; nothing was changed",
};

const char *
queue_strerror(enum queue_err e)
{
	return e < QUEUE__MAX ? errs[e] : "unknown error";
}

/* An item as stored (ST_QUEUE_GET). */
struct item {
	int64_t		 id;
	enum queue_kind	 kind;
	enum queue_state state;
	char		 product[12];
	char		 reference[QUEUE_REF_MAX];
	int64_t		 message_id;
	int64_t		 outbox_id;
	int64_t		 license_id;
	char		 license_number[LICNUM_LEN + 1];
	int64_t		 account_id;
	char		*sender;
	char		*filer_email;
	char		*form;
	char		*errors;
	int		 nerrors;
	int		 valid;
	char		*note;
	char		 claimed_by[64];
	char		 claimed_at[24];
	char		 decided_by[64];
	char		 decided_at[24];
	char		 created_at[24];
	char		 updated_at[24];
};

/* A new item's columns. */
struct newitem {
	enum queue_kind	 kind;
	const char	*product;
	int64_t		 message_id;
	int64_t		 outbox_id;
	int64_t		 license_id;
	int64_t		 account_id;
	const char	*sender;
	const char	*filer_email;
	char		*form;		/* JSON, owned */
	char		*errors;	/* JSON, owned */
	char		 reference[QUEUE_REF_MAX];	/* insert_item's */
	int		 nerrors;
	int		 valid;
	const char	*note;
};

static int
name_index(const char *s, const char *const *names, int n)
{
	int	 i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

static void
now_iso(struct db *db, char out[CLOCK_ISO_LEN + 1])
{
	clock_iso(clock_now(db), out);
}

/* An address to answer, or NULL: mail without a usable From is
 * recorded, never answered. */
static const char *
email_or_null(const char *s)
{
	size_t	 n;

	if (s == NULL || (n = strlen(s)) == 0 || n > LIM_EMAIL_BYTES ||
	    strchr(s, '@') == NULL)
		return NULL;
	return s;
}

static void
item_clear(struct item *it)
{
	free(it->sender);
	free(it->filer_email);
	free(it->form);
	free(it->errors);
	free(it->note);
	memset(it, 0, sizeof(*it));
}

static enum db_err
load(struct db *db, int64_t id, struct item *it)
{
	sqlite3_stmt	*st = db_stmt(db, ST_QUEUE_GET);
	char		 buf[32];
	int		 rc, k;

	memset(it, 0, sizeof(*it));
	db_bind_int(st, 1, id);
	if ((rc = db_step(db, st)) != SQLITE_ROW) {
		if (st != NULL)
			sqlite3_reset(st);
		return rc == SQLITE_DONE ? DB_NOT_FOUND : db_error(db, rc);
	}
	it->id = sqlite3_column_int64(st, 0);
	db_col_copy(st, 1, buf, sizeof(buf));
	k = name_index(buf, queue_kind_names, QK__MAX);
	it->kind = k < 0 ? QK_CORRESPONDENCE : (enum queue_kind)k;
	db_col_copy(st, 2, buf, sizeof(buf));
	k = name_index(buf, queue_state_names, QS__MAX);
	it->state = k < 0 ? QS_CLOSED : (enum queue_state)k;
	db_col_copy(st, 3, it->product, sizeof(it->product));
	db_col_copy(st, 4, it->reference, sizeof(it->reference));
	it->message_id = sqlite3_column_int64(st, 5);
	it->outbox_id = sqlite3_column_int64(st, 6);
	it->license_id = sqlite3_column_int64(st, 7);
	db_col_copy(st, 8, it->license_number, sizeof(it->license_number));
	it->account_id = sqlite3_column_int64(st, 9);
	it->sender = db_col_strdup(st, 10);
	it->filer_email = db_col_strdup(st, 11);
	it->form = db_col_strdup(st, 12);
	it->errors = db_col_strdup(st, 13);
	it->nerrors = sqlite3_column_int(st, 14);
	it->valid = sqlite3_column_int(st, 15);
	it->note = db_col_strdup(st, 16);
	db_col_copy(st, 17, it->claimed_by, sizeof(it->claimed_by));
	db_col_copy(st, 18, it->claimed_at, sizeof(it->claimed_at));
	db_col_copy(st, 19, it->decided_by, sizeof(it->decided_by));
	db_col_copy(st, 20, it->decided_at, sizeof(it->decided_at));
	db_col_copy(st, 21, it->created_at, sizeof(it->created_at));
	db_col_copy(st, 22, it->updated_at, sizeof(it->updated_at));
	sqlite3_reset(st);
	return DB_OK;
}

/*
 * The account with this email as its primary address, else the one
 * account with it as alternate: *id 0 if none, -1 if several accounts
 * share it as their alternate (nobody can tell whose it is).
 */
static enum db_err
account_of(struct db *db, const char *email, int64_t *id)
{
	sqlite3_stmt	*st;
	int64_t		 first;
	int		 rc, primary;
	enum db_err	 e = DB_OK;

	*id = 0;
	if (email == NULL || *email == '\0')
		return DB_OK;
	st = db_stmt(db, ST_ACCOUNT_BY_ANY_EMAIL);
	db_bind_text(st, 1, email);
	if ((rc = db_step(db, st)) == SQLITE_DONE)
		goto out;
	if (rc != SQLITE_ROW) {
		e = db_error(db, rc);
		goto out;
	}
	first = sqlite3_column_int64(st, 0);
	primary = sqlite3_column_int(st, 1);
	if (primary) {
		*id = first;
		goto out;
	}
	if ((rc = db_step(db, st)) == SQLITE_DONE)
		*id = first;
	else if (rc == SQLITE_ROW)
		*id = -1;
	else
		e = db_error(db, rc);
out:
	if (st != NULL)
		sqlite3_reset(st);
	return e;
}

/* The account a submission is likely from, for staff to see. */
static enum db_err
account_hint(struct db *db, const char *sender, const char *filer,
    int64_t *id)
{
	enum db_err	 e;

	if ((e = account_of(db, sender, id)) != DB_OK || *id > 0)
		goto out;
	e = account_of(db, filer, id);
out:
	if (*id < 0)
		*id = 0;
	return e;
}

/* The product a submission names, else the mailbox's. */
static const char *
product_of(const struct queue_submission *sub)
{
	const char	*p = sub->form != NULL ? sub->form->v[HF_PRODUCT] :
			    NULL;
	int		 i;

	for (i = 0; p != NULL && i < PRODUCT__MAX; i++)
		if (strcasecmp(p, product_names[i]) == 0)
			return product_names[i];
	for (i = 0; sub->product != NULL && i < PRODUCT__MAX; i++)
		if (strcasecmp(sub->product, product_names[i]) == 0)
			return product_names[i];
	return NULL;
}

/* A report's errors as [{"field", "message"}] text (caller frees). */
static char *
errors_json(const struct report *rep)
{
	json_t	*a;
	char	*s;
	size_t	 i;

	if ((a = json_array()) == NULL)
		return NULL;
	for (i = 0; i < rep->nerrors; i++)
		json_array_append_new(a, json_pack("{s:s, s:s}", "field",
		    rep->errors[i].field, "message", rep->errors[i].message));
	if (rep->truncated)
		json_array_append_new(a, json_pack("{s:s, s:s}", "field", "",
		    "message", "There are more problems than listed here: "
		    "correct these first."));
	s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return s;
}

/*
 * Validates a submission into n: the reader's errors, then the rules'
 * (the same messages the filer gets on every channel).
 */
static enum db_err
validate(struct db *db, const struct queue_submission *sub,
    struct newitem *n)
{
	struct report	 rep;
	size_t		 i;
	int		 app = sub->app_date;
	enum db_err	 e = DB_ERROR;

	report_init(&rep);
	if (app == 0 || app == DATE_NONE)
		app = date_today();
	if (sub->read_report != NULL) {
		for (i = 0; i < sub->read_report->nerrors; i++)
			report_error(&rep, 0, sub->read_report->errors[i].field,
			    "%s", sub->read_report->errors[i].message);
		if (sub->read_report->truncated)
			rep.truncated = 1;
	}
	if (sub->form == NULL)
		report_error(&rep, 0, "", "%s", sub->form_error != NULL ?
		    sub->form_error : "No license form could be read from "
		    "this email: attach the filled PDF license form or the "
		    "XML license form.");
	else {
		rules_check(sub->form, app, &rep, NULL);
		if ((n->form = jsonform_write(sub->form)) == NULL)
			goto out;
	}
	if ((n->errors = errors_json(&rep)) == NULL)
		goto out;
	n->nerrors = rep.nerrors + (rep.truncated ? 1 : 0);
	n->valid = sub->form != NULL && n->nerrors == 0;
	n->product = product_of(sub);
	e = DB_OK;
out:
	if (e != DB_OK)
		snprintf(db->errmsg, sizeof(db->errmsg), "queue: out of "
		    "memory");
	report_free(&rep);
	return e;
}

/* Inserts an item and gives it its reference; the caller holds the
 * transaction. */
static enum db_err
insert_item(struct db *db, struct newitem *n, int64_t *idp)
{
	sqlite3_stmt	*st;
	char		 now[CLOCK_ISO_LEN + 1], ref[QUEUE_REF_MAX];
	int64_t		 id;
	enum db_err	 e;

	now_iso(db, now);
	st = db_stmt(db, ST_QUEUE_INSERT);
	db_bind_text(st, 1, queue_kind_names[n->kind]);
	db_bind_text(st, 2, n->product);
	db_bind_id(st, 3, n->message_id);
	db_bind_id(st, 4, n->outbox_id);
	db_bind_id(st, 5, n->license_id);
	db_bind_id(st, 6, n->account_id);
	db_bind_text(st, 7, email_or_null(n->sender));
	db_bind_text(st, 8, email_or_null(n->filer_email));
	db_bind_text(st, 9, n->form);
	db_bind_text(st, 10, n->errors);
	db_bind_int(st, 11, n->nerrors);
	db_bind_int(st, 12, n->valid != 0);
	db_bind_text(st, 13, n->note);
	db_bind_text(st, 14, now);
	if ((e = db_exec_stmt(db, st)) != DB_OK)
		return e;
	id = sqlite3_last_insert_rowid(db->h);
	/* The year it came in and its number: short enough to read out
	 * on the phone, and never shaped like a license number. */
	snprintf(ref, sizeof(ref), "EF-%.4s-%06lld", now, (long long)id);
	memcpy(n->reference, ref, sizeof(ref));
	st = db_stmt(db, ST_QUEUE_SET_REF);
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, ref);
	if ((e = db_exec_stmt(db, st)) != DB_OK)
		return e;
	if (idp != NULL)
		*idp = id;
	return DB_OK;
}

/* Inserts n, with the account its sender's or filer's email hints at
 * (none given: none), in a transaction of its own (or the caller's). */
static enum db_err
add_item(struct db *db, struct newitem *n, const char *sender,
    const char *filer, int64_t *idp)
{
	enum db_err	 e;

	if ((e = db_begin(db)) != DB_OK)
		return e;
	if ((e = account_hint(db, sender, filer, &n->account_id)) != DB_OK ||
	    (e = insert_item(db, n, idp)) != DB_OK ||
	    (e = db_commit(db)) != DB_OK)
		db_rollback(db);
	return e;
}

/* The new item of an emailed submission, before validate(). */
static void
submission_item(struct newitem *n, const struct queue_submission *sub)
{
	memset(n, 0, sizeof(*n));
	n->kind = QK_SUBMISSION;
	n->message_id = sub->message_id;
	n->sender = sub->sender;
	n->filer_email = sub->filer_email;
}

enum db_err
queue_add_submission(struct db *db, const struct queue_submission *sub,
    int64_t *idp)
{
	struct newitem	 n;
	enum db_err	 e;

	submission_item(&n, sub);
	if ((e = validate(db, sub, &n)) == DB_OK)
		e = add_item(db, &n, email_or_null(sub->sender),
		    email_or_null(sub->filer_email), idp);
	free(n.form);
	free(n.errors);
	return e;
}

/* Stores a re-validated form on a submission still to be decided. */
static enum db_err
set_form(struct db *db, int64_t id, const struct queue_submission *sub)
{
	struct newitem	 n;
	sqlite3_stmt	*st;
	char		 now[CLOCK_ISO_LEN + 1];
	enum db_err	 e;

	memset(&n, 0, sizeof(n));
	if ((e = validate(db, sub, &n)) != DB_OK)
		goto out;
	now_iso(db, now);
	st = db_stmt(db, ST_QUEUE_SET_FORM);
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, n.product);
	db_bind_text(st, 3, n.form);
	db_bind_text(st, 4, n.errors);
	db_bind_int(st, 5, n.nerrors);
	db_bind_int(st, 6, n.valid);
	db_bind_text(st, 7, email_or_null(sub->filer_email));
	db_bind_text(st, 8, now);
	if ((e = db_exec_stmt(db, st)) == DB_OK &&
	    sqlite3_changes(db->h) == 0)
		e = DB_NOT_FOUND;
out:
	free(n.form);
	free(n.errors);
	return e;
}

enum db_err
queue_set_form(struct db *db, int64_t id, const struct queue_submission *sub)
{
	enum db_err	 e;

	if ((e = db_begin(db)) != DB_OK)
		return e;
	if ((e = set_form(db, id, sub)) != DB_OK ||
	    (e = db_commit(db)) != DB_OK)
		db_rollback(db);
	return e;
}

/* What was read from the form, for the filer to check at a glance. */
static json_t *
summary_of(const struct form *f)
{
	json_t		*o;
	int64_t		 cents, total = 0;
	size_t		 i;
	int		 all = 1;
	char		 buf[64];

	o = json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:I}",
	    "product", f->v[HF_PRODUCT],
	    "importer_name", f->v[HF_IMPORTER_NAME],
	    "exporter_name", f->v[HF_EXPORTER_NAME],
	    "country_of_origin", f->v[HF_COUNTRY_OF_ORIGIN],
	    "country_of_exportation", f->v[HF_COUNTRY_OF_EXPORTATION],
	    "expected_import_date", f->v[HF_EXPECTED_IMPORT_DATE],
	    "lines", (json_int_t)f->nlines);
	for (i = 0; i < f->nlines; i++) {
		if (f->lines[i].v[LF_CUSTOMS_VALUE_USD] == NULL ||
		    rules_parse_money(f->lines[i].v[LF_CUSTOMS_VALUE_USD],
		    &cents) == -1 || cents > INT64_MAX - total) {
			all = 0;
			break;
		}
		total += cents;
	}
	/* A total over values we could not read would mislead. */
	if (o != NULL && all && f->nlines > 0) {
		money_format(total, buf, sizeof(buf));
		json_object_set_new(o, "total_customs_value_usd",
		    json_string(buf));
	} else if (o != NULL)
		json_object_set_new(o, "total_customs_value_usd", json_null());
	return o != NULL ? o : json_null();
}

/* The summary of an item's form as stored. */
static json_t *
summary(const char *formjson)
{
	struct form	*f;
	struct report	 rep;
	json_t		*o;
	char		 err[64];

	if (formjson == NULL)
		return json_null();
	report_init(&rep);
	f = jsonform_read(formjson, strlen(formjson), &rep, err, sizeof(err));
	report_free(&rep);
	if (f == NULL)
		return json_null();
	o = summary_of(f);
	form_free(f);
	return o;
}

/* The item's errors, each with where it is in plain words. */
static json_t *
errors_words(const char *errors)
{
	json_t		*a, *v;
	const char	*field;
	char		 where[128];
	size_t		 i;

	if (errors == NULL || (a = json_loads(errors, 0, NULL)) == NULL ||
	    !json_is_array(a))
		return json_array();
	json_array_foreach(a, i, v) {
		if ((field = json_string_value(json_object_get(v, "field"))) ==
		    NULL)
			field = "";
		form_field_words(field, where, sizeof(where));
		json_object_set_new(v, "where", json_string(where));
	}
	return a;
}

/* The subject and Message-ID of an item's email, to thread replies. */
static enum db_err
origin(struct db *db, const struct item *it, json_t *p)
{
	struct stored_message	 m;
	enum db_err		 e;

	if (it->message_id <= 0)
		return DB_OK;
	if ((e = mail_get(db, it->message_id, &m)) != DB_OK)
		return e;
	json_object_set_new(p, "subject", m.subject != NULL ?
	    json_string(m.subject) : json_null());
	/* A key made from the SHA-256 is no Message-ID to refer to. */
	json_object_set_new(p, "in_reply_to", m.message_id != NULL &&
	    strchr(m.message_id, '@') != NULL ? json_string(m.message_id) :
	    json_null());
	stored_message_clear(&m);
	return DB_OK;
}

/* Queues one email about an item to its sender and threads it. */
static enum db_err
mail_sender(struct db *db, const struct item *it, const char *template,
    json_t *p, int64_t license_id, int64_t account_id, int64_t *oid)
{
	enum db_err	 e;
	int64_t		 id;

	*oid = 0;
	if (p == NULL)
		return DB_ERROR;
	json_object_set_new(p, "reference", json_string(it->reference));
	json_object_set_new(p, "item_id", json_integer(it->id));
	json_object_set_new(p, "product", it->product[0] ?
	    json_string(it->product) : json_null());
	if ((e = origin(db, it, p)) != DB_OK) {
		json_decref(p);
		return e;
	}
	/* outbox_add takes p. */
	if ((e = outbox_add(db, template, it->sender, NULL, p, license_id,
	    account_id, NULL, 0)) != DB_OK)
		return e;
	id = sqlite3_last_insert_rowid(db->h);
	if ((e = queue_thread_add(db, it->id, license_id, 0, id)) != DB_OK)
		return e;
	*oid = id;
	return DB_OK;
}

/* The "submission_received" email of a submission item (f: its form
 * as the caller has it, else NULL to read the item's), unless the
 * item has no sender to answer (*oid 0). */
static enum db_err
ack(struct db *db, const struct item *it, const struct form *f, int update,
    int64_t *oid)
{
	json_t	*p;

	*oid = 0;
	if (it->kind != QK_SUBMISSION)
		return DB_NOT_FOUND;
	if (email_or_null(it->sender) == NULL)
		return DB_OK;
	p = json_pack("{s:b, s:b, s:o, s:o, s:s}",
	    "update", update != 0,
	    "valid", it->valid != 0,
	    "summary", f != NULL ? summary_of(f) : summary(it->form),
	    "errors", errors_words(it->errors),
	    "notice", NOT_A_LICENSE);
	return mail_sender(db, it, "submission_received", p, 0,
	    it->account_id, oid);
}

enum db_err
queue_add_submission_acked(struct db *db, const struct queue_submission *sub,
    int answer, int64_t *idp, int64_t *outbox_id)
{
	struct newitem	 n;
	struct item	 it;
	int64_t		 id = 0;
	enum db_err	 e;

	*outbox_id = 0;
	submission_item(&n, sub);
	if ((e = validate(db, sub, &n)) != DB_OK)
		goto out;
	if ((e = db_begin(db)) != DB_OK)
		goto out;
	if ((e = add_item(db, &n, email_or_null(sub->sender),
	    email_or_null(sub->filer_email), &id)) != DB_OK ||
	    (sub->message_id > 0 && (e = queue_thread_add(db, id, 0,
	    sub->message_id, 0)) != DB_OK))
		goto undo;
	if (answer) {
		/* The item as load() would read it back. */
		memset(&it, 0, sizeof(it));
		it.id = id;
		it.kind = QK_SUBMISSION;
		snprintf(it.product, sizeof(it.product), "%s",
		    n.product != NULL ? n.product : "");
		memcpy(it.reference, n.reference, sizeof(it.reference));
		it.message_id = n.message_id;
		it.account_id = n.account_id;
		it.sender = (char *)email_or_null(n.sender);
		it.errors = n.errors;
		it.valid = n.valid != 0;
		if ((e = ack(db, &it, sub->form, 0, outbox_id)) != DB_OK)
			goto undo;
	}
	if ((e = db_commit(db)) == DB_OK) {
		*idp = id;
		goto out;
	}
undo:
	db_rollback(db);
	*outbox_id = 0;
out:
	free(n.form);
	free(n.errors);
	return e;
}

enum db_err
queue_acknowledge(struct db *db, int64_t id, int update, int64_t *outbox_id)
{
	struct item	 it;
	int64_t		 oid = 0;
	enum db_err	 e;

	if ((e = db_begin(db)) != DB_OK)
		return e;
	if ((e = load(db, id, &it)) != DB_OK)
		goto out;
	if ((e = ack(db, &it, NULL, update, &oid)) != DB_OK)
		goto out;
	e = db_commit(db);
out:
	if (e != DB_OK)
		db_rollback(db);
	else if (outbox_id != NULL)
		*outbox_id = oid;
	item_clear(&it);
	return e;
}

enum db_err
queue_add_correspondence(struct db *db, int64_t message_id,
    const char *sender, int64_t license_id, const char *note, int64_t *idp)
{
	struct newitem	 n;

	memset(&n, 0, sizeof(n));
	n.kind = QK_CORRESPONDENCE;
	n.message_id = message_id;
	n.license_id = license_id;
	n.sender = sender;
	n.note = note;
	return add_item(db, &n, email_or_null(sender), NULL, idp);
}

enum db_err
queue_add_quarantine(struct db *db, int64_t message_id, const char *sender,
    const char *reason, int64_t *idp)
{
	struct newitem	 n;

	memset(&n, 0, sizeof(n));
	n.kind = QK_QUARANTINE;
	n.message_id = message_id;
	n.sender = sender;
	n.note = reason;
	return add_item(db, &n, NULL, NULL, idp);
}

enum db_err
queue_add_outbound_failure(struct db *db, int64_t outbox_id,
    const char *reason, int64_t *idp)
{
	struct newitem	 n;
	int64_t		 id = 0;
	enum db_err	 e;

	memset(&n, 0, sizeof(n));
	n.kind = QK_OUTBOUND_FAILURE;
	n.outbox_id = outbox_id;
	n.note = reason;
	if ((e = db_begin(db)) != DB_OK)
		return e;
	if ((e = insert_item(db, &n, &id)) != DB_OK ||
	    (e = queue_thread_add(db, id, 0, 0, outbox_id)) != DB_OK ||
	    (e = db_commit(db)) != DB_OK) {
		db_rollback(db);
		return e;
	}
	if (idp != NULL)
		*idp = id;
	return DB_OK;
}

enum db_err
queue_thread_add(struct db *db, int64_t item_id, int64_t license_id,
    int64_t message_id, int64_t outbox_id)
{
	sqlite3_stmt	*st;
	char		 now[CLOCK_ISO_LEN + 1];

	if ((item_id <= 0 && license_id <= 0) ||
	    (message_id > 0) == (outbox_id > 0)) {
		snprintf(db->errmsg, sizeof(db->errmsg), "queue thread: an "
		    "email in or out, on an item or a license");
		return DB_ERROR;
	}
	now_iso(db, now);
	st = db_stmt(db, ST_THREAD_INSERT);
	db_bind_id(st, 1, item_id);
	db_bind_id(st, 2, license_id);
	db_bind_id(st, 3, message_id);
	db_bind_id(st, 4, outbox_id);
	db_bind_text(st, 5, message_id > 0 ? "in" : "out");
	db_bind_text(st, 6, now);
	return db_exec_stmt(db, st);
}

enum db_err
queue_item_state(struct db *db, int64_t id, enum queue_kind *kind,
    enum queue_state *state, int64_t *license_id)
{
	struct item	 it;
	enum db_err	 e;

	if ((e = load(db, id, &it)) != DB_OK)
		return e;
	if (kind != NULL)
		*kind = it.kind;
	if (state != NULL)
		*state = it.state;
	if (license_id != NULL)
		*license_id = it.license_id;
	item_clear(&it);
	return DB_OK;
}

enum db_err
queue_audit(struct db *db, const struct staff *s, const char *action,
    int64_t item_id, int64_t license_id, const char *detail)
{
	sqlite3_stmt	*st;
	char		 now[CLOCK_ISO_LEN + 1];

	now_iso(db, now);
	st = db_stmt(db, ST_AUDIT_INSERT);
	db_bind_text(st, 1, now);
	db_bind_text(st, 2, s != NULL && s->name != NULL ? s->name :
	    "unknown");
	db_bind_text(st, 3, s != NULL && s->addr != NULL ? s->addr :
	    "unknown");
	db_bind_text(st, 4, action);
	db_bind_id(st, 5, item_id);
	db_bind_id(st, 6, license_id);
	db_bind_text(st, 7, detail);
	return db_exec_stmt(db, st);
}

int
queue_staff_ok(struct db *db, const struct staff *s, const char *who)
{
	if (s == NULL || s->name == NULL || *s->name == '\0' ||
	    strlen(s->name) >= sizeof(((struct item *)NULL)->claimed_by)) {
		snprintf(db->errmsg, sizeof(db->errmsg), "%s: a staff name of "
		    "1 to 63 bytes is needed", who);
		return 0;
	}
	return 1;
}

/* Whether staff may act on an item now. */
static enum queue_err
may_act(const struct item *it, const struct staff *s, char *why,
    size_t whysz)
{
	if (it->state == QS_APPROVED || it->state == QS_REJECTED ||
	    it->state == QS_CLOSED) {
		why_set(why, whysz, "Item %s is %s already (by %s at %s).",
		    it->reference, queue_state_names[it->state],
		    it->decided_by, it->decided_at);
		return QUEUE_STATE;
	}
	if (it->state == QS_CLAIMED && strcmp(it->claimed_by, s->name) != 0) {
		why_set(why, whysz, "Item %s is claimed by %s since %s.",
		    it->reference, it->claimed_by, it->claimed_at);
		return QUEUE_CLAIMED;
	}
	return QUEUE_OK;
}

static enum queue_err
qerr(enum db_err e)
{
	return e == DB_OK ? QUEUE_OK : e == DB_NOT_FOUND ? QUEUE_NOT_FOUND :
	    QUEUE_DB;
}

/* The transaction begun for staff s and item id loaded into it;
 * anything but QUEUE_OK has left no transaction open. */
static enum queue_err
item_begin(struct db *db, int64_t id, const struct staff *s, struct item *it)
{
	enum queue_err	 q;

	if (!queue_staff_ok(db, s, "queue") || db_begin(db) != DB_OK)
		return QUEUE_DB;
	if ((q = qerr(load(db, id, it))) != QUEUE_OK)
		db_rollback(db);
	return q;
}

/*
 * The start of an action on an item: the transaction begun, the item
 * loaded (only a submission will do when submission is set) and staff
 * free to act on it (why says why not).  Anything but QUEUE_OK has
 * left no transaction open.
 */
static enum queue_err
act_begin(struct db *db, int64_t id, const struct staff *s, int submission,
    struct item *it, char *why, size_t whysz)
{
	enum queue_err	 q;

	if ((q = item_begin(db, id, s, it)) != QUEUE_OK)
		return q;
	if (submission && it->kind != QK_SUBMISSION) {
		why_set(why, whysz, "Item %s is %s, not a submission.",
		    it->reference, queue_kind_names[it->kind]);
		q = QUEUE_KIND;
		goto fail;
	}
	if ((q = may_act(it, s, why, whysz)) == QUEUE_OK)
		return QUEUE_OK;
fail:
	db_rollback(db);
	return q;
}

enum queue_err
queue_edit_form(struct db *db, int64_t id, const struct queue_submission *sub,
    const struct staff *s)
{
	struct item	 it;
	char		 detail[64];
	enum db_err	 e;
	enum queue_err	 q;

	memset(&it, 0, sizeof(it));
	if ((q = act_begin(db, id, s, 1, &it, NULL, 0)) != QUEUE_OK)
		goto out;
	q = QUEUE_DB;
	if ((e = set_form(db, id, sub)) != DB_OK)
		goto fail;
	snprintf(detail, sizeof(detail), "form edited");
	if ((e = queue_audit(db, s, "edit_form", id, 0, detail)) != DB_OK ||
	    (e = db_commit(db)) != DB_OK)
		goto fail;
	q = QUEUE_OK;
	goto out;
fail:
	db_rollback(db);
out:
	item_clear(&it);
	return q;
}

enum queue_err
queue_claim(struct db *db, int64_t id, const struct staff *s, int force,
    char *who, size_t whosz)
{
	struct item	 it;
	sqlite3_stmt	*st;
	char		 now[CLOCK_ISO_LEN + 1], detail[128];
	enum queue_err	 q;

	memset(&it, 0, sizeof(it));
	detail[0] = '\0';
	if (who != NULL && whosz > 0)
		who[0] = '\0';
	if ((q = item_begin(db, id, s, &it)) != QUEUE_OK)
		goto out;
	if ((q = may_act(&it, s, NULL, 0)) == QUEUE_STATE)
		goto fail;
	if (q == QUEUE_CLAIMED && !force) {
		if (who != NULL)
			snprintf(who, whosz, "%s", it.claimed_by);
		goto fail;
	}
	if (it.state == QS_CLAIMED && q == QUEUE_OK) {
		/* Claimed by this staff member already: nothing to do. */
		db_rollback(db);
		goto out;
	}
	now_iso(db, now);
	st = db_stmt(db, ST_QUEUE_SET_CLAIM);
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, "claimed");
	db_bind_text(st, 3, s->name);
	db_bind_text(st, 4, now);
	db_bind_text(st, 5, now);
	if (q == QUEUE_CLAIMED)
		snprintf(detail, sizeof(detail), "taken over from %s",
		    it.claimed_by);
	q = QUEUE_DB;
	if (db_exec_stmt(db, st) != DB_OK ||
	    queue_audit(db, s, it.state == QS_CLAIMED ? "claim_forced" :
	    "claim", id, 0, it.state == QS_CLAIMED ? detail : NULL) !=
	    DB_OK || db_commit(db) != DB_OK)
		goto fail;
	q = QUEUE_OK;
	goto out;
fail:
	db_rollback(db);
out:
	item_clear(&it);
	return q;
}

enum queue_err
queue_release(struct db *db, int64_t id, const struct staff *s, int force)
{
	struct item	 it;
	sqlite3_stmt	*st;
	char		 now[CLOCK_ISO_LEN + 1], detail[128];
	enum queue_err	 q;

	memset(&it, 0, sizeof(it));
	if ((q = item_begin(db, id, s, &it)) != QUEUE_OK)
		goto out;
	if (it.state != QS_CLAIMED) {
		q = QUEUE_STATE;
		goto fail;
	}
	if (strcmp(it.claimed_by, s->name) != 0 && !force) {
		q = QUEUE_CLAIMED;
		goto fail;
	}
	snprintf(detail, sizeof(detail), "held by %s", it.claimed_by);
	now_iso(db, now);
	st = db_stmt(db, ST_QUEUE_SET_CLAIM);
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, "open");
	db_bind_text(st, 5, now);
	q = QUEUE_DB;
	if (db_exec_stmt(db, st) != DB_OK ||
	    queue_audit(db, s, "release", id, 0, detail) != DB_OK ||
	    db_commit(db) != DB_OK)
		goto fail;
	q = QUEUE_OK;
	goto out;
fail:
	db_rollback(db);
out:
	item_clear(&it);
	return q;
}

/* Marks an item decided; the caller holds the transaction. */
static enum db_err
decide(struct db *db, int64_t id, enum queue_state to, const struct staff *s,
    int64_t license_id, int64_t account_id, const char *note)
{
	sqlite3_stmt	*st;
	char		 now[CLOCK_ISO_LEN + 1];

	now_iso(db, now);
	st = db_stmt(db, ST_QUEUE_DECIDE);
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, queue_state_names[to]);
	db_bind_text(st, 3, s->name);
	db_bind_text(st, 4, now);
	db_bind_id(st, 5, license_id);
	db_bind_id(st, 6, account_id);
	db_bind_text(st, 7, note);
	return db_exec_stmt(db, st);
}

enum db_err
queue_license_of(struct db *db, const char *number,
    char norm[LICNUM_LEN + 1], int64_t *id, int64_t *account_id)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (number == NULL || licnum_normalize(number, norm) == -1)
		return DB_NOT_FOUND;
	st = db_stmt(db, ST_LICENSE_BY_NUMBER);
	db_bind_text(st, 1, norm);
	if ((rc = db_step(db, st)) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		if (account_id != NULL)
			*account_id = sqlite3_column_int64(st, 2);
	}
	if (st != NULL)
		sqlite3_reset(st);
	return rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOT_FOUND :
	    db_error(db, rc);
}

/* Threads the registry's own emails about a new license on the item. */
static enum db_err
thread_license_mail(struct db *db, int64_t item, int64_t license)
{
	sqlite3_stmt	*st = db_stmt(db, ST_QUEUE_OUTBOX_OF_LICENSE);
	int64_t		 ids[8];
	size_t		 i, n = 0;
	int		 rc;
	enum db_err	 e;

	/* A new license has one confirmation; collect, then insert, as
	 * one statement cannot step while another writes. */
	db_bind_int(st, 1, license);
	while ((rc = db_step(db, st)) == SQLITE_ROW && n < 8)
		ids[n++] = sqlite3_column_int64(st, 0);
	if (st != NULL)
		sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(db, rc);
	for (i = 0; i < n; i++)
		if ((e = queue_thread_add(db, item, license, 0, ids[i])) !=
		    DB_OK)
			return e;
	return DB_OK;
}

/*
 * The account an approved license belongs to: the sender's, else the
 * form's filer email's.  QUEUE_NO_ACCOUNT with why naming the emails.
 */
static enum queue_err
approve_account(struct db *db, const struct item *it, struct account *acc,
    char *why, size_t whysz)
{
	const char	*emails[2];
	int64_t		 id = 0;
	size_t		 i;
	int		 shared = 0;
	enum db_err	 e;

	emails[0] = email_or_null(it->sender);
	emails[1] = email_or_null(it->filer_email);
	for (i = 0; i < 2; i++) {
		if (emails[i] == NULL)
			continue;
		if ((e = account_of(db, emails[i], &id)) != DB_OK)
			return QUEUE_DB;
		if (id > 0)
			break;
		if (id < 0)
			shared = 1;
	}
	if (id <= 0) {
		if (emails[0] == NULL && emails[1] == NULL)
			why_set(why, whysz, "The email has no sender address "
			    "and the form no filer email: no account to issue "
			    "the license to.");
		else if (shared)
			why_set(why, whysz, "Several accounts give %s as "
			    "their alternate email: the filer must write from "
			    "the account's primary email.", emails[0] != NULL ?
			    emails[0] : emails[1]);
		else
			why_set(why, whysz, "No filer account has %s%s%s as "
			    "its primary or alternate email: the filer must "
			    "register, or add the address to the account, "
			    "before the license can be issued.",
			    emails[0] != NULL ? emails[0] : emails[1],
			    emails[0] != NULL && emails[1] != NULL &&
			    strcasecmp(emails[0], emails[1]) != 0 ? " or " :
			    "", emails[0] != NULL && emails[1] != NULL &&
			    strcasecmp(emails[0], emails[1]) != 0 ? emails[1] :
			    "");
		return QUEUE_NO_ACCOUNT;
	}
	if ((e = accounts_by_id(db, id, acc)) != DB_OK)
		return QUEUE_DB;
	return QUEUE_OK;
}

static enum queue_err
reg_to_queue(enum reg_err r)
{
	switch (r) {
	case REG_OK:
		return QUEUE_OK;
	case REG_INVALID:
		return QUEUE_INVALID;
	case REG_ACCOUNT:
		return QUEUE_ACCOUNT;
	case REG_NOMEM:
		return QUEUE_NOMEM;
	default:
		return QUEUE_DB;
	}
}

enum queue_err
queue_approve(struct db *db, int64_t id, const struct staff *s, int app,
    struct reg_result *res, char *why, size_t whysz)
{
	struct item	 it;
	struct account	 acc;
	struct actor	 a;
	struct form	*f = NULL;
	struct report	 rep;
	json_t		*p;
	char		 who[96], detail[256], err[128], num[LICNUM_LEN + 1];
	const char	*alt;
	int64_t		 lid = 0, oid;
	enum queue_err	 q;

	memset(&it, 0, sizeof(it));
	memset(&acc, 0, sizeof(acc));
	report_init(&rep);
	why_set(why, whysz, "%s", "");
	if (app == 0 || app == DATE_NONE)
		app = date_today();
	if ((q = act_begin(db, id, s, 1, &it, why, whysz)) != QUEUE_OK) {
		res->number[0] = '\0';
		goto out;
	}
	if (it.form == NULL || (f = jsonform_read(it.form, strlen(it.form),
	    &rep, err, sizeof(err))) == NULL) {
		why_set(why, whysz, "Item %s has no readable form: ask the "
		    "filer for one, or reject it.", it.reference);
		q = QUEUE_INVALID;
		goto fail;
	}
	if ((q = approve_account(db, &it, &acc, why, whysz)) != QUEUE_OK)
		goto fail;
	/* Staff may issue for an account whose electronic filing was
	 * revoked: the registry checks only verified and not locked. */
	snprintf(who, sizeof(who), "staff:%s", s->name);
	a.account_id = acc.id;
	a.who = who;
	a.channel = "email";
	a.synthetic = 0;
	if ((q = reg_to_queue(reg_submit(db, &a, f, app, res))) !=
	    QUEUE_OK) {
		if (q == QUEUE_INVALID)
			why_set(why, whysz, "The form has %zu error(s): correct "
			    "the form or ask the filer for a corrected one.",
			    res->report.nerrors);
		else if (q == QUEUE_ACCOUNT)
			why_set(why, whysz, "The account %s is not verified "
			    "or is locked.", acc.v[AF_EMAIL]);
		goto fail;
	}
	q = QUEUE_DB;
	if (queue_license_of(db, res->number, num, &lid, NULL) != DB_OK ||
	    decide(db, id, QS_APPROVED, s, lid, acc.id, NULL) != DB_OK ||
	    thread_license_mail(db, id, lid) != DB_OK)
		goto fail;
	/* The registry wrote to the account's addresses; a sender who is
	 * neither (a broker's colleague) learns the number too. */
	alt = acc.v[AF_ALT_EMAIL];
	if (email_or_null(it.sender) != NULL &&
	    strcasecmp(it.sender, acc.v[AF_EMAIL]) != 0 &&
	    (alt == NULL || strcasecmp(it.sender, alt) != 0)) {
		p = json_pack("{s:s, s:s, s:s, s:s}",
		    "license_number", res->number,
		    "status", status_names[res->status],
		    "valid_from", res->valid_from,
		    "valid_through", res->valid_through);
		if (mail_sender(db, &it, "submission_approved", p, lid, acc.id,
		    &oid) != DB_OK)
			goto fail;
	}
	snprintf(detail, sizeof(detail), "license %s issued to %s",
	    res->number, acc.v[AF_EMAIL]);
	if (queue_audit(db, s, "approve", id, lid, detail) != DB_OK ||
	    db_commit(db) != DB_OK)
		goto fail;
	q = QUEUE_OK;
	goto out;
fail:
	db_rollback(db);
	if (q != QUEUE_OK)
		res->number[0] = '\0';
out:
	item_clear(&it);
	account_clear(&acc);
	form_free(f);
	report_free(&rep);
	return q;
}

enum queue_err
queue_reject(struct db *db, int64_t id, const struct staff *s,
    const char *reason)
{
	struct item	 it;
	json_t		*p;
	int64_t		 oid;
	enum queue_err	 q;

	memset(&it, 0, sizeof(it));
	if (reason == NULL || *reason == '\0' ||
	    strlen(reason) > QUEUE_NOTE_MAX) {
		snprintf(db->errmsg, sizeof(db->errmsg), "a reason of 1 to "
		    "%d bytes is needed", QUEUE_NOTE_MAX);
		return QUEUE_INVALID;
	}
	if ((q = act_begin(db, id, s, 1, &it, NULL, 0)) != QUEUE_OK)
		goto out;
	q = QUEUE_DB;
	if (decide(db, id, QS_REJECTED, s, 0, 0, reason) != DB_OK)
		goto fail;
	if (email_or_null(it.sender) != NULL) {
		p = json_pack("{s:s, s:s}", "reason", reason,
		    "notice", NOT_A_LICENSE);
		if (mail_sender(db, &it, "submission_rejected", p, 0,
		    it.account_id, &oid) != DB_OK)
			goto fail;
	}
	if (queue_audit(db, s, "reject", id, 0, reason) != DB_OK ||
	    db_commit(db) != DB_OK)
		goto fail;
	q = QUEUE_OK;
	goto out;
fail:
	db_rollback(db);
out:
	item_clear(&it);
	return q;
}

enum queue_err
queue_close(struct db *db, int64_t id, const struct staff *s,
    const char *note)
{
	struct item	 it;
	enum queue_err	 q;

	memset(&it, 0, sizeof(it));
	if (note != NULL && strlen(note) > QUEUE_NOTE_MAX) {
		snprintf(db->errmsg, sizeof(db->errmsg), "a note of at most "
		    "%d bytes", QUEUE_NOTE_MAX);
		return QUEUE_INVALID;
	}
	if ((q = act_begin(db, id, s, 0, &it, NULL, 0)) != QUEUE_OK)
		goto out;
	q = QUEUE_DB;
	if (decide(db, id, QS_CLOSED, s, 0, 0, note) != DB_OK ||
	    queue_audit(db, s, "close", id, 0, note) != DB_OK ||
	    db_commit(db) != DB_OK)
		goto fail;
	q = QUEUE_OK;
	goto out;
fail:
	db_rollback(db);
out:
	item_clear(&it);
	return q;
}

/* Binds a filter to a list or count statement. */
static void
bind_filter(struct db *db, sqlite3_stmt *st, const struct queue_filter *f)
{
	char	 t[CLOCK_ISO_LEN + 1];
	time_t	 now = clock_now(db);

	db_bind_text(st, 1, f->kind);
	db_bind_text(st, 2, f->state);
	db_bind_text(st, 3, f->product);
	if (f->min_age > 0) {
		clock_iso(now - f->min_age, t);
		db_bind_text(st, 4, t);
	}
	if (f->max_age > 0) {
		clock_iso(now - f->max_age, t);
		db_bind_text(st, 5, t);
	}
}

/* One ST_QUEUE_LIST row. */
static void
row_fill(sqlite3_stmt *st, void *p)
{
	struct queue_row	*r = p;
	char			 buf[32];
	int			 k;

	r->id = sqlite3_column_int64(st, 0);
	db_col_copy(st, 1, r->reference, sizeof(r->reference));
	db_col_copy(st, 2, buf, sizeof(buf));
	k = name_index(buf, queue_kind_names, QK__MAX);
	r->kind = k < 0 ? QK_CORRESPONDENCE : (enum queue_kind)k;
	db_col_copy(st, 3, buf, sizeof(buf));
	k = name_index(buf, queue_state_names, QS__MAX);
	r->state = k < 0 ? QS_CLOSED : (enum queue_state)k;
	db_col_copy(st, 4, r->product, sizeof(r->product));
	r->sender = db_col_strdup(st, 5);
	r->subject = db_col_strdup(st, 6);
	db_col_copy(st, 7, r->received_at, sizeof(r->received_at));
	db_col_copy(st, 8, r->created_at, sizeof(r->created_at));
	r->valid = sqlite3_column_int(st, 9);
	r->nerrors = sqlite3_column_int(st, 10);
	db_col_copy(st, 11, r->claimed_by, sizeof(r->claimed_by));
	db_col_copy(st, 12, r->license_number, sizeof(r->license_number));
}

static void
row_clear(void *p)
{
	struct queue_row	*r = p;

	free(r->sender);
	free(r->subject);
}

/* db_rows_or_none as a queue error: it says DB_ERROR for no memory as
 * well, which reallocarray's errno tells apart. */
static enum queue_err
list_rows(struct db *db, sqlite3_stmt *st, size_t size,
    void (*fill)(sqlite3_stmt *, void *), void (*clear)(void *), void **vp,
    size_t *np)
{
	enum db_err	 e;

	errno = 0;
	if ((e = db_rows_or_none(db, st, size, 0, fill, clear, vp, np)) ==
	    DB_OK)
		return QUEUE_OK;
	return e == DB_ERROR && errno == ENOMEM ? QUEUE_NOMEM : QUEUE_DB;
}

enum db_err
queue_count(struct db *db, sqlite3_stmt *st, size_t *n)
{
	int	 rc;

	if ((rc = db_step(db, st)) == SQLITE_ROW)
		*n = (size_t)sqlite3_column_int64(st, 0);
	if (st != NULL)
		sqlite3_reset(st);
	return rc == SQLITE_ROW ? DB_OK : db_error(db, rc == SQLITE_DONE ?
	    SQLITE_ERROR : rc);
}

size_t
queue_bind_page(sqlite3_stmt *st, int i, size_t limit, size_t offset)
{
	if (limit == 0 || limit > LIM_PAGE_ROWS)
		limit = LIM_PAGE_ROWS;
	db_bind_int(st, i, (long long)limit);
	db_bind_int(st, i + 1, offset > INT64_MAX ? INT64_MAX :
	    (long long)offset);
	return limit;
}

enum queue_err
queue_list(struct db *db, const struct queue_filter *f,
    struct queue_row **rowsp, size_t *np, size_t *total)
{
	static const struct queue_filter none;
	sqlite3_stmt	*st;
	void		*v;
	enum queue_err	 q;

	*rowsp = NULL;
	*np = 0;
	if (f == NULL)
		f = &none;
	if (total != NULL) {
		st = db_stmt(db, ST_QUEUE_COUNT);
		bind_filter(db, st, f);
		if (queue_count(db, st, total) != DB_OK)
			return QUEUE_DB;
	}
	st = db_stmt(db, ST_QUEUE_LIST);
	bind_filter(db, st, f);
	queue_bind_page(st, 6, f->limit, f->offset);
	q = list_rows(db, st, sizeof(**rowsp), row_fill, row_clear, &v, np);
	*rowsp = v;
	return q;
}

void
queue_rows_free(struct queue_row *rows, size_t n)
{
	db_rows_free(rows, n, sizeof(*rows), row_clear);
}

void
queue_thread_fill(sqlite3_stmt *st, void *p)
{
	struct queue_thread_row	*t = p;

	memset(t, 0, sizeof(*t));
	t->id = sqlite3_column_int64(st, 0);
	db_col_copy(st, 1, t->direction, sizeof(t->direction));
	db_col_copy(st, 2, t->at, sizeof(t->at));
	t->message_id = sqlite3_column_int64(st, 3);
	t->outbox_id = sqlite3_column_int64(st, 4);
	t->from = db_col_strdup(st, 5);
	t->subject = db_col_strdup(st, 6);
	db_col_copy(st, 7, t->template, sizeof(t->template));
	t->to = db_col_strdup(st, 8);
	db_col_copy(st, 9, t->outbox_state, sizeof(t->outbox_state));
}

void
queue_thread_clear(void *p)
{
	struct queue_thread_row	*t = p;

	free(t->from);
	free(t->subject);
	free(t->to);
}

void
queue_thread_rows_free(struct queue_thread_row *v, size_t n)
{
	db_rows_free(v, n, sizeof(*v), queue_thread_clear);
}

static enum db_err
thread_load(struct db *db, struct queue_view *v)
{
	sqlite3_stmt	*st = db_stmt(db, ST_THREAD_LIST);
	void		*t;
	enum db_err	 e;

	db_bind_int(st, 1, v->id);
	db_bind_id(st, 2, v->license_id);
	/* On an error the rows read so far are the view's, to free. */
	e = db_rows(db, st, sizeof(*v->thread), 0, queue_thread_fill, &t,
	    &v->nthread);
	v->thread = t;
	return e;
}

/* The stored errors back into a report. */
static void
errors_load(const char *errors, struct report *rep)
{
	json_t		*a, *v;
	const char	*field, *msg;
	size_t		 i;

	if (errors == NULL || (a = json_loads(errors, 0, NULL)) == NULL)
		return;
	json_array_foreach(a, i, v) {
		field = json_string_value(json_object_get(v, "field"));
		msg = json_string_value(json_object_get(v, "message"));
		if (msg != NULL)
			report_error(rep, 0, field != NULL ? field : "", "%s",
			    msg);
	}
	json_decref(a);
}

enum queue_err
queue_show(struct db *db, int64_t id, struct queue_view *v)
{
	struct item	 it;
	struct report	 rep;
	char		 err[128];
	enum db_err	 e;
	enum queue_err	 q;

	memset(v, 0, sizeof(*v));
	report_init(&v->report);
	if ((q = qerr(load(db, id, &it))) != QUEUE_OK)
		return q;
	v->id = it.id;
	v->kind = it.kind;
	v->state = it.state;
	memcpy(v->product, it.product, sizeof(v->product));
	memcpy(v->reference, it.reference, sizeof(v->reference));
	v->message_id = it.message_id;
	v->outbox_id = it.outbox_id;
	v->license_id = it.license_id;
	memcpy(v->license_number, it.license_number,
	    sizeof(v->license_number));
	v->account_id = it.account_id;
	v->sender = it.sender;
	v->filer_email = it.filer_email;
	v->note = it.note;
	it.sender = it.filer_email = it.note = NULL;
	v->valid = it.valid;
	memcpy(v->claimed_by, it.claimed_by, sizeof(v->claimed_by));
	memcpy(v->claimed_at, it.claimed_at, sizeof(v->claimed_at));
	memcpy(v->decided_by, it.decided_by, sizeof(v->decided_by));
	memcpy(v->decided_at, it.decided_at, sizeof(v->decided_at));
	memcpy(v->created_at, it.created_at, sizeof(v->created_at));
	memcpy(v->updated_at, it.updated_at, sizeof(v->updated_at));
	if (it.form != NULL) {
		report_init(&rep);
		v->form = jsonform_read(it.form, strlen(it.form), &rep, err,
		    sizeof(err));
		report_free(&rep);
	}
	errors_load(it.errors, &v->report);
	q = QUEUE_DB;
	if (it.message_id > 0) {
		if ((e = mail_get(db, it.message_id, &v->msg)) != DB_OK ||
		    (e = mail_attachments(db, it.message_id, &v->att,
		    &v->natt)) != DB_OK)
			goto out;
		v->has_msg = 1;
	}
	if (thread_load(db, v) != DB_OK)
		goto out;
	q = QUEUE_OK;
out:
	item_clear(&it);
	if (q != QUEUE_OK)
		queue_view_free(v);
	return q;
}

void
queue_view_free(struct queue_view *v)
{
	free(v->sender);
	free(v->filer_email);
	free(v->note);
	form_free(v->form);
	report_free(&v->report);
	if (v->has_msg)
		stored_message_clear(&v->msg);
	stored_attachments_free(v->att, v->natt);
	queue_thread_rows_free(v->thread, v->nthread);
	memset(v, 0, sizeof(*v));
}

static void
audit_fill(sqlite3_stmt *st, void *p)
{
	audit_row_read(st, p, 7);
}

static void
audit_clear(void *p)
{
	audit_row_clear(p);
}

enum queue_err
queue_audit_list(struct db *db, int64_t item_id, size_t offset,
    struct audit_row **rowsp, size_t *np)
{
	sqlite3_stmt	*st = db_stmt(db, ST_AUDIT_LIST);
	void		*v;
	enum queue_err	 q;

	db_bind_id(st, 1, item_id);
	queue_bind_page(st, 2, LIM_PAGE_ROWS, offset);
	q = list_rows(db, st, sizeof(**rowsp), audit_fill, audit_clear, &v,
	    np);
	*rowsp = v;
	return q;
}

void
audit_row_clear(struct audit_row *r)
{
	free(r->who);
	free(r->addr);
	free(r->detail);
}

void
audit_rows_free(struct audit_row *rows, size_t n)
{
	db_rows_free(rows, n, sizeof(*rows), audit_clear);
}

void
audit_row_read(sqlite3_stmt *st, struct audit_row *r, int detail_col)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	db_col_copy(st, 1, r->at, sizeof(r->at));
	r->who = db_col_strdup(st, 2);
	r->addr = db_col_strdup(st, 3);
	db_col_copy(st, 4, r->action, sizeof(r->action));
	r->item_id = sqlite3_column_int64(st, 5);
	r->license_id = sqlite3_column_int64(st, 6);
	r->detail = db_col_strdup(st, detail_col);
}
