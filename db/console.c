/*
 * The staff console's reads and actions beyond db/queue.c: each action
 * is one transaction (db_begin nests, so queue calls join it) with its
 * email and its audit row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "lib/limits.h"
#include "forms/licnum.h"
#include "accounts.h"
#include "clock.h"
#include "console.h"
#include "outbox.h"
#include "sessions.h"

/* Mailboxes the dashboard lists: more would be a misconfiguration. */
#define MAILBOXES_MAX	32

static int
kind_index(const char *s)
{
	int	 i;

	for (i = 0; i < QK__MAX; i++)
		if (strcmp(s, queue_kind_names[i]) == 0)
			return i;
	return -1;
}

/* A count and the oldest time of one statement's single row. */
static enum db_err
count_oldest(struct db *db, sqlite3_stmt *st, long *n, char *oldest,
    size_t sz)
{
	int	 rc;

	if ((rc = db_step(db, st)) == SQLITE_ROW) {
		*n = (long)sqlite3_column_int64(st, 0);
		db_col_copy(st, 1, oldest, sz);
	}
	if (st != NULL)
		sqlite3_reset(st);
	return rc == SQLITE_ROW ? DB_OK : db_error(db, rc == SQLITE_DONE ?
	    SQLITE_ERROR : rc);
}

static void
mailbox_fill(sqlite3_stmt *st, void *p)
{
	struct mailbox_state	*m = p;

	db_col_copy(st, 0, m->mailbox, sizeof(m->mailbox));
	m->uidvalidity = (uint32_t)sqlite3_column_int64(st, 1);
	m->last_uid = (uint32_t)sqlite3_column_int64(st, 2);
	db_col_copy(st, 3, m->last_fetch_at, sizeof(m->last_fetch_at));
	db_col_copy(st, 4, m->last_error, sizeof(m->last_error));
}

enum db_err
console_dashboard(struct db *db, struct console_dash *d)
{
	sqlite3_stmt		*st;
	void			*v;
	char			 ignored[24];
	int			 rc, k;
	enum db_err		 e = DB_OK;

	memset(d, 0, sizeof(*d));
	clock_iso(clock_now(db), d->now);

	st = db_stmt(db, ST_CONSOLE_QUEUE_STATS);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		if ((k = kind_index((const char *)sqlite3_column_text(st, 0) ?
		    (const char *)sqlite3_column_text(st, 0) : "")) < 0)
			continue;
		d->active[k] = (long)sqlite3_column_int64(st, 1);
		d->claimed[k] = (long)sqlite3_column_int64(st, 2);
		db_col_copy(st, 3, d->oldest[k], sizeof(d->oldest[k]));
	}
	if (st != NULL)
		sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		e = db_error(db, rc);
		goto out;
	}

	st = db_stmt(db, ST_CONSOLE_MAIL_STATS);
	if ((rc = db_step(db, st)) == SQLITE_ROW) {
		d->mail_unread = (long)sqlite3_column_int64(st, 0);
		db_col_copy(st, 1, d->mail_oldest, sizeof(d->mail_oldest));
		d->mail_quarantined = (long)sqlite3_column_int64(st, 2);
	}
	if (st != NULL)
		sqlite3_reset(st);
	if (rc != SQLITE_ROW) {
		e = db_error(db, rc == SQLITE_DONE ? SQLITE_ERROR : rc);
		goto out;
	}

	st = db_stmt(db, ST_CONSOLE_MAILBOXES);
	db_bind_int(st, 1, MAILBOXES_MAX);
	e = db_rows(db, st, sizeof(*d->mailboxes), 0, mailbox_fill, &v,
	    &d->nmailboxes);
	d->mailboxes = v;
	if (e != DB_OK)
		goto out;

	st = db_stmt(db, ST_CONSOLE_OUTBOX_STATE);
	db_bind_text(st, 1, "queued");
	if ((e = count_oldest(db, st, &d->outbox_queued, d->outbox_oldest,
	    sizeof(d->outbox_oldest))) != DB_OK)
		goto out;
	st = db_stmt(db, ST_CONSOLE_OUTBOX_STATE);
	db_bind_text(st, 1, "failed");
	e = count_oldest(db, st, &d->outbox_failed, ignored,
	    sizeof(ignored));
out:
	if (e != DB_OK)
		console_dash_free(d);
	return e;
}

void
console_dash_free(struct console_dash *d)
{
	free(d->mailboxes);
	d->mailboxes = NULL;
	d->nmailboxes = 0;
}

/* The columns of ST_CONSOLE_ACCOUNT_* rows. */
static void
account_row(sqlite3_stmt *st, struct console_account *a)
{
	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(st, 0);
	a->email = db_col_strdup(st, 1);
	a->alt_email = db_col_strdup(st, 2);
	a->company_name = db_col_strdup(st, 3);
	a->ein = db_col_strdup(st, 4);
	a->importer_number = db_col_strdup(st, 5);
	a->contact_name = db_col_strdup(st, 6);
	a->phone = db_col_strdup(st, 7);
	a->verified = sqlite3_column_int(st, 8) != 0;
	a->locked = sqlite3_column_int(st, 9) != 0;
	a->efiling = sqlite3_column_int(st, 10) != 0;
	db_col_copy(st, 11, a->created_at, sizeof(a->created_at));
	a->licenses = (long)sqlite3_column_int64(st, 12);
}

static void
account_fill(sqlite3_stmt *st, void *p)
{
	account_row(st, p);
}

static void
account_unfill(void *p)
{
	console_account_clear(p);
}

/* Steps st into a fresh array of at most max rows. */
static enum db_err
account_rows(struct db *db, sqlite3_stmt *st, size_t max,
    struct console_account **out, size_t *np)
{
	void		*v;
	enum db_err	 e;

	e = db_rows_or_none(db, st, sizeof(**out), max, account_fill,
	    account_unfill, &v, np);
	*out = v;
	return e;
}

enum db_err
console_accounts(struct db *db, const char *q, size_t offset, size_t limit,
    struct console_account **out, size_t *np, size_t *total)
{
	sqlite3_stmt	*st;
	enum db_err	 e;

	*out = NULL;
	*np = 0;
	*total = 0;
	if (q != NULL && *q == '\0')
		q = NULL;
	if (q != NULL && strnlen(q, LIM_FIELD_BYTES + 1) > LIM_FIELD_BYTES)
		return DB_OK;
	st = db_stmt(db, ST_CONSOLE_ACCOUNT_COUNT);
	db_bind_text(st, 1, q);
	if ((e = queue_count(db, st, total)) != DB_OK)
		return e;
	st = db_stmt(db, ST_CONSOLE_ACCOUNT_FIND);
	db_bind_text(st, 1, q);
	limit = queue_bind_page(st, 2, limit, offset);
	return account_rows(db, st, limit, out, np);
}

enum db_err
console_account(struct db *db, int64_t id, struct console_account *a)
{
	sqlite3_stmt	*st = db_stmt(db, ST_CONSOLE_ACCOUNT_BY_ID);
	int		 rc;

	memset(a, 0, sizeof(*a));
	db_bind_int(st, 1, id);
	if ((rc = db_step(db, st)) == SQLITE_ROW)
		account_row(st, a);
	if (st != NULL)
		sqlite3_reset(st);
	return rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOT_FOUND :
	    db_error(db, rc);
}

enum db_err
console_company(struct db *db, const struct console_account *a,
    struct console_account **out, size_t *np)
{
	sqlite3_stmt	*st = db_stmt(db, ST_CONSOLE_COMPANY);

	*out = NULL;
	*np = 0;
	db_bind_int(st, 1, a->id);
	db_bind_text(st, 2, a->ein != NULL && *a->ein ? a->ein : NULL);
	db_bind_text(st, 3, a->importer_number != NULL &&
	    *a->importer_number ? a->importer_number : NULL);
	db_bind_text(st, 4, a->company_name != NULL ? a->company_name : "");
	db_bind_int(st, 5, LIM_PAGE_ROWS);
	return account_rows(db, st, LIM_PAGE_ROWS, out, np);
}

void
console_account_clear(struct console_account *a)
{
	free(a->email);
	free(a->alt_email);
	free(a->company_name);
	free(a->ein);
	free(a->importer_number);
	free(a->contact_name);
	free(a->phone);
	memset(a, 0, sizeof(*a));
}

void
console_accounts_free(struct console_account *v, size_t n)
{
	db_rows_free(v, n, sizeof(*v), account_unfill);
}

enum db_err
console_account_set(struct db *db, const struct staff *s, int64_t id,
    enum console_switch sw, int on)
{
	static const char *const actions[CONSOLE_SWITCH__MAX][2] = {
		[CONSOLE_LOCKED] = { "account_unlock", "account_lock" },
		[CONSOLE_EFILING] = { "efiling_revoke", "efiling_restore" },
	};
	struct account	 acc;
	sqlite3_stmt	*st;
	char		 detail[LIM_EMAIL_BYTES + 64];
	enum db_err	 e;

	memset(&acc, 0, sizeof(acc));
	if ((unsigned)sw >= CONSOLE_SWITCH__MAX) {
		snprintf(db->errmsg, sizeof(db->errmsg), "console: no such "
		    "account switch");
		return DB_ERROR;
	}
	on = on != 0;
	if ((e = db_begin(db)) != DB_OK)
		return e;
	if ((e = accounts_by_id(db, id, &acc)) != DB_OK)
		goto fail;
	st = db_stmt(db, sw == CONSOLE_LOCKED ? ST_CONSOLE_ACCOUNT_LOCK :
	    ST_CONSOLE_ACCOUNT_EFILING);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, on);
	if ((e = db_exec_stmt(db, st)) != DB_OK)
		goto fail;
	/* A locked account is signed out everywhere at once. */
	if (sw == CONSOLE_LOCKED && on &&
	    (e = session_delete_account(db, id)) != DB_OK)
		goto fail;
	snprintf(detail, sizeof(detail), "account %lld %s", (long long)id,
	    acc.v[AF_EMAIL] != NULL ? acc.v[AF_EMAIL] : "");
	if ((e = queue_audit(db, s, actions[sw][on], 0, 0, detail)) !=
	    DB_OK || (e = db_commit(db)) != DB_OK)
		goto fail;
	goto out;
fail:
	db_rollback(db);
out:
	account_clear(&acc);
	return e;
}

enum db_err
console_license_thread(struct db *db, int64_t license_id,
    struct queue_thread_row **out, size_t *np)
{
	sqlite3_stmt	*st = db_stmt(db, ST_THREAD_LIST);
	void		*v;
	enum db_err	 e;

	/* ?1 (the item) NULL: the license's rows only. */
	db_bind_int(st, 2, license_id);
	e = db_rows_or_none(db, st, sizeof(**out), LIM_PAGE_ROWS,
	    queue_thread_fill, queue_thread_clear, &v, np);
	*out = v;
	return e;
}

static void
out_fill(sqlite3_stmt *st, void *p)
{
	struct console_out	*o = p;

	o->id = sqlite3_column_int64(st, 0);
	db_col_copy(st, 1, o->created_at, sizeof(o->created_at));
	db_col_copy(st, 2, o->template, sizeof(o->template));
	o->to = db_col_strdup(st, 3);
	db_col_copy(st, 4, o->state, sizeof(o->state));
	o->message_id = db_col_strdup(st, 5);
}

static void
out_clear(void *p)
{
	struct console_out	*o = p;

	free(o->to);
	free(o->message_id);
}

enum db_err
console_license_outbox(struct db *db, int64_t license_id,
    struct console_out **out, size_t *np)
{
	sqlite3_stmt	*st = db_stmt(db, ST_CONSOLE_LICENSE_OUTBOX);
	void		*v;
	enum db_err	 e;

	db_bind_int(st, 1, license_id);
	db_bind_int(st, 2, LIM_PAGE_ROWS);
	e = db_rows_or_none(db, st, sizeof(**out), 0, out_fill, out_clear,
	    &v, np);
	*out = v;
	return e;
}

void
console_thread_free(struct queue_thread_row *v, size_t n)
{
	queue_thread_rows_free(v, n);
}

void
console_out_free(struct console_out *v, size_t n)
{
	db_rows_free(v, n, sizeof(*v), out_clear);
}

/* Text staff write to a filer: 1 to max bytes of UTF-8 without NUL. */
static int
text_ok(struct db *db, const char *s, size_t max, const char *what)
{
	if (s == NULL || *s == '\0' || strnlen(s, max + 1) > max) {
		snprintf(db->errmsg, sizeof(db->errmsg), "console: %s of 1 to "
		    "%zu bytes is needed", what, max);
		return 0;
	}
	return 1;
}

/*
 * The end of a question or a reply: the email queued (outbox_add takes
 * p), threaded on the item and the license, the action audited with
 * detail, and the transaction committed; *outbox_id (may be NULL)
 * receives the row.
 */
static enum db_err
staff_email(struct db *db, const struct staff *s, const char *template,
    const char *to, const char *cc, json_t *p, int64_t item_id,
    int64_t license_id, int64_t account_id, const char *action,
    const char *detail, int64_t *outbox_id)
{
	int64_t		 oid;
	enum db_err	 e;

	if ((e = outbox_add(db, template, to, cc, p, license_id, account_id,
	    NULL, 0)) != DB_OK)
		return e;
	oid = sqlite3_last_insert_rowid(db->h);
	if ((e = queue_thread_add(db, item_id, license_id, 0, oid)) !=
	    DB_OK || (e = queue_audit(db, s, action, item_id, license_id,
	    detail)) != DB_OK || (e = db_commit(db)) != DB_OK)
		return e;
	if (outbox_id != NULL)
		*outbox_id = oid;
	return DB_OK;
}

enum queue_err
console_question(struct db *db, const struct staff *s, const char *number,
    const char *question, int64_t *outbox_id)
{
	struct account	 acc;
	json_t		*p;
	char		 norm[LICNUM_LEN + 1];
	int64_t		 lid = 0, aid = 0;
	enum db_err	 e;
	enum queue_err	 q = QUEUE_DB;

	memset(&acc, 0, sizeof(acc));
	if (outbox_id != NULL)
		*outbox_id = 0;
	if (!text_ok(db, question, CONSOLE_TEXT_MAX, "a question"))
		return QUEUE_INVALID;
	if (!queue_staff_ok(db, s, "console") || db_begin(db) != DB_OK)
		return QUEUE_DB;
	if ((e = queue_license_of(db, number, norm, &lid, &aid)) != DB_OK) {
		q = e == DB_NOT_FOUND ? QUEUE_NOT_FOUND : QUEUE_DB;
		goto fail;
	}
	if (accounts_by_id(db, aid, &acc) != DB_OK)
		goto fail;
	p = json_pack("{s:s, s:s, s:I}", "license_number", norm,
	    "question", question, "license_id", (json_int_t)lid);
	if (p == NULL) {
		q = QUEUE_NOMEM;
		goto fail;
	}
	if (staff_email(db, s, "staff_question", acc.v[AF_EMAIL],
	    acc.v[AF_ALT_EMAIL] != NULL && *acc.v[AF_ALT_EMAIL] != '\0' ?
	    acc.v[AF_ALT_EMAIL] : NULL, p, 0, lid, aid, "question", question,
	    outbox_id) != DB_OK)
		goto fail;
	q = QUEUE_OK;
	goto out;
fail:
	db_rollback(db);
out:
	account_clear(&acc);
	return q;
}

/*
 * The item, in the transaction the caller began, while staff can still
 * act on it (open or claimed); on failure the transaction is rolled
 * back and there is no view to free.
 */
static enum queue_err
open_item(struct db *db, int64_t item_id, struct queue_view *v)
{
	enum queue_err	 q;

	if ((q = queue_show(db, item_id, v)) != QUEUE_OK) {
		db_rollback(db);
		return q;
	}
	if (v->state != QS_OPEN && v->state != QS_CLAIMED) {
		queue_view_free(v);
		db_rollback(db);
		return QUEUE_STATE;
	}
	return QUEUE_OK;
}

enum queue_err
console_reply(struct db *db, int64_t item_id, const struct staff *s,
    const char *subject, const char *body, int64_t *outbox_id)
{
	struct queue_view	 v;
	json_t			*p;
	char			 subj[CONSOLE_SUBJECT_MAX + 8];
	const char		*irt = NULL;
	enum queue_err		 q;

	if (outbox_id != NULL)
		*outbox_id = 0;
	if (!text_ok(db, body, CONSOLE_TEXT_MAX, "a reply"))
		return QUEUE_INVALID;
	if (subject != NULL && *subject != '\0' &&
	    !text_ok(db, subject, CONSOLE_SUBJECT_MAX, "a subject"))
		return QUEUE_INVALID;
	if (!queue_staff_ok(db, s, "console") || db_begin(db) != DB_OK)
		return QUEUE_DB;
	if ((q = open_item(db, item_id, &v)) != QUEUE_OK)
		return q;
	if (v.state == QS_CLAIMED && strcmp(v.claimed_by, s->name) != 0) {
		q = QUEUE_CLAIMED;
		goto fail;
	}
	if (v.sender == NULL || strchr(v.sender, '@') == NULL) {
		snprintf(db->errmsg, sizeof(db->errmsg), "console: the item "
		    "has no sender to answer");
		q = QUEUE_KIND;
		goto fail;
	}
	if (subject != NULL && *subject != '\0')
		snprintf(subj, sizeof(subj), "%s", subject);
	else if (v.has_msg && v.msg.subject != NULL &&
	    strncasecmp(v.msg.subject, "Re:", 3) == 0)
		snprintf(subj, sizeof(subj), "%.*s", CONSOLE_SUBJECT_MAX,
		    v.msg.subject);
	else
		snprintf(subj, sizeof(subj), "Re: %.*s", CONSOLE_SUBJECT_MAX,
		    v.has_msg && v.msg.subject != NULL ? v.msg.subject :
		    v.reference);
	/* A key made from the SHA-256 is no Message-ID to refer to. */
	if (v.has_msg && v.msg.message_id != NULL &&
	    strchr(v.msg.message_id, '@') != NULL)
		irt = v.msg.message_id;
	q = QUEUE_NOMEM;
	if ((p = json_pack("{s:s, s:s, s:I, s:s?, s:s}", "body", body,
	    "subject", subj, "item_id", (json_int_t)item_id, "in_reply_to",
	    irt, "reference", v.reference)) == NULL)
		goto fail;
	q = QUEUE_DB;
	if (staff_email(db, s, "staff_reply", v.sender, NULL, p, item_id,
	    v.license_id, v.account_id, "reply", subj, outbox_id) != DB_OK)
		goto fail;
	q = QUEUE_OK;
	goto out;
fail:
	db_rollback(db);
out:
	queue_view_free(&v);
	return q;
}

enum queue_err
console_reprocess(struct db *db, int64_t item_id, const struct staff *s)
{
	enum queue_kind		 kind;
	enum queue_state	 state;
	struct queue_view	 v;
	sqlite3_stmt		*st;
	char			 detail[64];
	enum db_err		 e;
	enum queue_err		 q;

	if (!queue_staff_ok(db, s, "console") || db_begin(db) != DB_OK)
		return QUEUE_DB;
	if ((e = queue_item_state(db, item_id, &kind, &state, NULL)) !=
	    DB_OK) {
		db_rollback(db);
		return e == DB_NOT_FOUND ? QUEUE_NOT_FOUND : QUEUE_DB;
	}
	if (kind != QK_QUARANTINE) {
		db_rollback(db);
		return QUEUE_KIND;
	}
	if ((q = open_item(db, item_id, &v)) != QUEUE_OK)
		return q;
	if (v.message_id <= 0) {
		q = QUEUE_KIND;
		goto fail;
	}
	/* queue_close checks the state and the claim, and audits the
	 * close; the message must still be in quarantine. */
	if ((q = queue_close(db, item_id, s, "Sent back to the mail "
	    "gateway to be read again.")) != QUEUE_OK)
		goto fail;
	q = QUEUE_DB;
	if ((e = mail_requeue(db, v.message_id)) != DB_OK) {
		if (e == DB_NOT_FOUND) {
			snprintf(db->errmsg, sizeof(db->errmsg), "console: "
			    "the message is no longer in quarantine");
			q = QUEUE_STATE;
		}
		goto fail;
	}
	/* The item keeps the message in its thread, and lets go of it so
	 * that what the intake now makes of it can hold it. */
	st = db_stmt(db, ST_CONSOLE_ITEM_DETACH);
	db_bind_int(st, 1, item_id);
	if (queue_thread_add(db, item_id, 0, v.message_id, 0) != DB_OK ||
	    db_exec_stmt(db, st) != DB_OK)
		goto fail;
	snprintf(detail, sizeof(detail), "message %lld",
	    (long long)v.message_id);
	if (queue_audit(db, s, "reprocess", item_id, 0, detail) != DB_OK ||
	    db_commit(db) != DB_OK)
		goto fail;
	q = QUEUE_OK;
	goto out;
fail:
	db_rollback(db);
out:
	queue_view_free(&v);
	return q;
}

static void
bind_audit(sqlite3_stmt *st, const struct console_audit_filter *f)
{
	db_bind_text(st, 1, f->who != NULL && *f->who ? f->who : NULL);
	db_bind_text(st, 2, f->action != NULL && *f->action ? f->action :
	    NULL);
	db_bind_id(st, 3, f->item_id);
	db_bind_id(st, 4, f->license_id);
}

static void
audit_fill(sqlite3_stmt *st, void *p)
{
	struct console_audit_row	*r = p;

	audit_row_read(st, &r->a, 8);
	db_col_copy(st, 7, r->license_number, sizeof(r->license_number));
}

static void
audit_clear(void *p)
{
	struct console_audit_row	*r = p;

	audit_row_clear(&r->a);
}

enum db_err
console_audit(struct db *db, const struct console_audit_filter *f,
    struct console_audit_row **out, size_t *np, size_t *total)
{
	sqlite3_stmt	*st;
	void		*v;
	enum db_err	 e;

	*out = NULL;
	*np = 0;
	*total = 0;
	st = db_stmt(db, ST_CONSOLE_AUDIT_COUNT);
	bind_audit(st, f);
	if ((e = queue_count(db, st, total)) != DB_OK)
		return e;
	st = db_stmt(db, ST_CONSOLE_AUDIT);
	bind_audit(st, f);
	queue_bind_page(st, 5, f->limit, f->offset);
	if ((e = db_rows_or_none(db, st, sizeof(**out), 0, audit_fill,
	    audit_clear, &v, np)) != DB_OK)
		*total = 0;
	*out = v;
	return e;
}

void
console_audit_free(struct console_audit_row *v, size_t n)
{
	db_rows_free(v, n, sizeof(*v), audit_clear);
}
