/*
 * Queued email rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "lib/rand.h"
#include "mailstore.h"
#include "outbox.h"
#include "queue.h"

enum db_err
outbox_add(struct db *db, const char *template, const char *to,
    const char *cc, json_t *params, int64_t license_id, int64_t account_id,
    char *message_id, size_t idsz)
{
	sqlite3_stmt	*st;
	struct timespec	 ts;
	unsigned char	 rnd[8];
	char		 mid[160], *text = NULL;
	size_t		 i, n;
	enum db_err	 e = DB_ERROR;

	/* The time first, so that the unique index on Message-IDs grows
	 * at its end rather than a page anywhere per email (the Date
	 * header tells the time anyway); then random, so they never
	 * collide and reveal nothing else. */
	if (rand_fill(rnd, sizeof(rnd)) == -1 ||
	    clock_gettime(CLOCK_REALTIME, &ts) == -1)
		goto out;
	n = snprintf(mid, sizeof(mid), "<%011llx",
	    (unsigned long long)ts.tv_sec * 1000000ULL +
	    (unsigned long long)ts.tv_nsec / 1000);
	for (i = 0; i < sizeof(rnd); i++)
		n += snprintf(mid + n, sizeof(mid) - n, "%02x", rnd[i]);
	snprintf(mid + n, sizeof(mid) - n, ".%s@%s>", template,
	    db->mail_domain);
	if ((text = json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		goto out;
	st = db_stmt(db, ST_OUTBOX_INSERT);
	db_bind_text(st, 1, template);
	db_bind_text(st, 2, to);
	db_bind_text(st, 3, cc != NULL && *cc != '\0' ? cc : NULL);
	db_bind_text(st, 4, text);
	db_bind_text(st, 5, mid);
	if (license_id > 0)
		db_bind_int(st, 6, license_id);
	if (account_id > 0)
		db_bind_int(st, 7, account_id);
	if ((e = db_exec_stmt(db, st)) == DB_OK && message_id != NULL)
		snprintf(message_id, idsz, "%s", mid);
out:
	free(text);
	json_decref(params);
	return e;
}

/* The columns of OUTBOX_COLS (db/stmt.c) into r. */
static void
row_read(sqlite3_stmt *st, struct outbox_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	db_col_copy(st, 1, r->created_at, sizeof(r->created_at));
	db_col_copy(st, 2, r->template, sizeof(r->template));
	r->to = db_col_strdup(st, 3);
	r->cc = db_col_strdup(st, 4);
	r->params = db_col_strdup(st, 5);
	db_col_copy(st, 6, r->message_id, sizeof(r->message_id));
	db_col_copy(st, 7, r->state, sizeof(r->state));
	r->attempts = sqlite3_column_int(st, 8);
	r->license_id = sqlite3_column_int64(st, 9);
	r->account_id = sqlite3_column_int64(st, 10);
	db_col_copy(st, 11, r->next_attempt_at, sizeof(r->next_attempt_at));
	r->last_error = db_col_strdup(st, 12);
	db_col_copy(st, 13, r->sent_at, sizeof(r->sent_at));
}

/* Every row st returns; st is bound already. */
static enum db_err
rows_read(struct db *db, sqlite3_stmt *st, struct outbox_row **rowsp,
    size_t *np)
{
	struct outbox_row	*rows = NULL, *p;
	size_t			 n = 0;
	int			 rc;
	enum db_err		 e = DB_OK;

	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		if ((p = reallocarray(rows, n + 1, sizeof(*rows))) == NULL) {
			e = DB_ERROR;
			goto out;
		}
		rows = p;
		row_read(st, &rows[n++]);
		if (rows[n - 1].to == NULL || rows[n - 1].params == NULL) {
			e = DB_ERROR;
			goto out;
		}
	}
	if (rc != SQLITE_DONE)
		e = db_error(db, rc);
out:
	if (st != NULL)
		sqlite3_reset(st);
	if (e != DB_OK) {
		outbox_rows_free(rows, n);
		rows = NULL;
		n = 0;
	}
	*rowsp = rows;
	*np = n;
	return e;
}

enum db_err
outbox_list(struct db *db, const char *state, struct outbox_row **rowsp,
    size_t *np)
{
	sqlite3_stmt	*st = db_stmt(db, ST_OUTBOX_LIST);

	db_bind_text(st, 1, state);
	return rows_read(db, st, rowsp, np);
}

void
outbox_rows_free(struct outbox_row *rows, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		outbox_row_clear(&rows[i]);
	free(rows);
}

void
outbox_row_clear(struct outbox_row *r)
{
	free(r->to);
	free(r->cc);
	free(r->params);
	free(r->last_error);
	r->to = r->cc = r->params = r->last_error = NULL;
}

enum db_err
outbox_get(struct db *db, int64_t id, struct outbox_row *r)
{
	sqlite3_stmt	*st = db_stmt(db, ST_OUTBOX_GET);
	int		 rc;
	enum db_err	 e = DB_OK;

	memset(r, 0, sizeof(*r));
	db_bind_int(st, 1, id);
	if ((rc = db_step(db, st)) == SQLITE_ROW) {
		row_read(st, r);
		if (r->to == NULL || r->params == NULL) {
			outbox_row_clear(r);
			e = DB_ERROR;
		}
	} else
		e = rc == SQLITE_DONE ? DB_NOT_FOUND : db_error(db, rc);
	if (st != NULL)
		sqlite3_reset(st);
	return e;
}

int
outbox_is_auto_reply(const char *template)
{
	const char *const	*t;

	/* One list for the intake and the sender (db/mailstore.c). */
	for (t = mail_auto_templates; *t != NULL; t++)
		if (strcmp(*t, template) == 0)
			return 1;
	return 0;
}

enum db_err
outbox_due(struct db *db, const char *now, int retry_now, size_t max,
    struct outbox_row **rowsp, size_t *np)
{
	sqlite3_stmt	*st = db_stmt(db, ST_OUTBOX_DUE);

	db_bind_text(st, 1, now);
	db_bind_int(st, 2, retry_now != 0);
	db_bind_int(st, 3, (long long)max);
	return rows_read(db, st, rowsp, np);
}

/* One statement that changes row id in its own transaction (or the
 * caller's); DB_NOT_FOUND when it changed nothing. */
static enum db_err
change_one(struct db *db, sqlite3_stmt *st)
{
	enum db_err	 e;

	if ((e = db_begin(db)) != DB_OK) {
		if (st != NULL)
			sqlite3_reset(st);
		return e;
	}
	if ((e = db_exec_stmt(db, st)) == DB_OK &&
	    sqlite3_changes(db->h) == 0)
		e = DB_NOT_FOUND;
	if (e == DB_OK)
		e = db_commit(db);
	if (e != DB_OK)
		db_rollback(db);
	return e;
}

enum db_err
outbox_claim(struct db *db, int64_t id, const char *now, int retry_now,
    const char *lease_until)
{
	sqlite3_stmt	*st = db_stmt(db, ST_OUTBOX_CLAIM);

	db_bind_int(st, 1, id);
	db_bind_text(st, 2, now);
	db_bind_int(st, 3, retry_now != 0);
	db_bind_text(st, 4, lease_until);
	return change_one(db, st);
}

enum db_err
outbox_defer(struct db *db, int64_t id, const char *next_at,
    const char *error)
{
	sqlite3_stmt	*st = db_stmt(db, ST_OUTBOX_DEFER);

	db_bind_int(st, 1, id);
	db_bind_text(st, 2, next_at);
	/* Never NULL: a deferred row is told from one in flight by it. */
	db_bind_text(st, 3, error != NULL && *error != '\0' ? error :
	    "temporary failure");
	return change_one(db, st);
}

enum db_err
outbox_sent(struct db *db, int64_t id, const char *now, const char *refused)
{
	sqlite3_stmt	*st;
	enum db_err	 e;

	if ((e = db_begin(db)) != DB_OK)
		return e;
	st = db_stmt(db, ST_OUTBOX_SENT);
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, now);
	db_bind_text(st, 3, refused);
	if ((e = db_exec_stmt(db, st)) == DB_OK &&
	    sqlite3_changes(db->h) == 0)
		e = DB_NOT_FOUND;
	if (e == DB_OK && refused != NULL)
		e = queue_add_outbound_failure(db, id, refused, NULL);
	if (e == DB_OK)
		e = db_commit(db);
	if (e != DB_OK)
		db_rollback(db);
	return e;
}

enum db_err
outbox_fail(struct db *db, int64_t id, const char *reason, int raise,
    int64_t *item_id)
{
	sqlite3_stmt	*st;
	int64_t		 item = 0;
	enum db_err	 e;

	if (item_id != NULL)
		*item_id = 0;
	if ((e = db_begin(db)) != DB_OK)
		return e;
	st = db_stmt(db, ST_OUTBOX_FAIL);
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, reason != NULL ? reason : "failed");
	if ((e = db_exec_stmt(db, st)) == DB_OK &&
	    sqlite3_changes(db->h) == 0)
		e = DB_NOT_FOUND;
	if (e == DB_OK && raise)
		e = queue_add_outbound_failure(db, id, reason, &item);
	if (e == DB_OK)
		e = db_commit(db);
	if (e != DB_OK)
		db_rollback(db);
	else if (item_id != NULL)
		*item_id = item;
	return e;
}

/*
 * The recipient's automatic replies since since, newest first, before
 * row before_id and after row after_id, until max are counted.  With
 * m: the newest row read and the oldest counted go there.
 */
static enum db_err
recent(struct db *db, const char *recipient, const char *since,
    int64_t before_id, int64_t after_id, int max, int *count,
    struct outbox_recent *m)
{
	sqlite3_stmt	*st = db_stmt(db, ST_OUTBOX_RECENT);
	const char	*at, *tpl, *state;
	size_t		 scanned = 0;
	int64_t		 id;
	int		 rc = SQLITE_DONE;

	*count = 0;
	if (recipient == NULL || *recipient == '\0')
		return DB_OK;
	db_bind_int(st, 1, before_id > 0 ? before_id : INT64_MAX);
	db_bind_text(st, 2, recipient);
	/* The recipient's rows only (outbox_by_recipient; NOCASE folds
	 * ASCII as strcasecmp does), newest first. */
	while (*count < max && (rc = db_step(db, st)) == SQLITE_ROW &&
	    scanned++ < OUTBOX_SCAN_MAX) {
		at = (const char *)sqlite3_column_text(st, 0);
		tpl = (const char *)sqlite3_column_text(st, 1);
		state = (const char *)sqlite3_column_text(st, 2);
		id = sqlite3_column_int64(st, 3);
		/* Ids grow with created_at: the first older row ends it. */
		if (id <= after_id || at == NULL || strcmp(at, since) < 0)
			break;
		if (m != NULL && scanned == 1)
			m->newest = id;
		if (tpl != NULL && state != NULL &&
		    strcmp(state, "failed") != 0 &&
		    outbox_is_auto_reply(tpl)) {
			(*count)++;
			if (m != NULL)
				snprintf(m->oldest, sizeof(m->oldest), "%s",
				    at);
		}
	}
	if (st != NULL)
		sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? DB_OK :
	    db_error(db, rc);
}

enum db_err
outbox_recent_auto(struct db *db, const char *recipient, const char *since,
    int64_t before_id, int max, int *count)
{
	return recent(db, recipient, since, before_id, 0, max, count, NULL);
}

enum db_err
outbox_recent_auto_memo(struct db *db, struct outbox_recent *m,
    const char *recipient, const char *since, int max, int *count)
{
	struct outbox_recent	 was = *m;
	int			 more;
	enum db_err		 e;

	*count = 0;
	if (recipient == NULL || *recipient == '\0')
		return DB_OK;
	/* The same recipient and limit, the hour moved on by no more
	 * than the oldest row counted: only newer rows to add. */
	if (m->set && m->max == max && strcasecmp(m->to, recipient) == 0 &&
	    strcmp(since, m->since) >= 0 && (m->count == 0 ||
	    strcmp(m->oldest, since) >= 0)) {
		m->newest = 0;
		if ((e = recent(db, recipient, since, 0, was.newest,
		    max - was.count, &more, m)) != DB_OK) {
			m->set = 0;
			return e;
		}
		if (m->newest == 0)
			m->newest = was.newest;
		/* The oldest counted is still the one counted before. */
		if (was.count > 0)
			memcpy(m->oldest, was.oldest, sizeof(m->oldest));
		m->count = was.count + more;
	} else {
		memset(m, 0, sizeof(*m));
		if ((e = recent(db, recipient, since, 0, 0, max, &m->count,
		    m)) != DB_OK)
			return e;
		snprintf(m->to, sizeof(m->to), "%s", recipient);
		m->max = max;
		m->set = 1;
	}
	snprintf(m->since, sizeof(m->since), "%s", since);
	*count = m->count;
	return DB_OK;
}

enum db_err
outbox_next_due(struct db *db, char *at, size_t atsz)
{
	sqlite3_stmt	*st = db_stmt(db, ST_OUTBOX_NEXT_DUE);
	int		 rc;
	enum db_err	 e = DB_OK;

	if ((rc = db_step(db, st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) == SQLITE_NULL)
			e = DB_NOT_FOUND;
		else
			db_col_copy(st, 0, at, atsz);
	} else
		e = db_error(db, rc);
	if (st != NULL)
		sqlite3_reset(st);
	return e;
}
