/*
 * Web sessions: the cookie is 32 random bytes; the table keeps their
 * SHA-256, an idle expiry pushed on use and an absolute one never
 * pushed.  Filer and staff sessions, and their sign-in throttles, are
 * one implementation over two sets of statements.
 */
#include <stdio.h>
#include <string.h>

#include "lib/b64url.h"
#include "lib/sha256.h"
#include "accounts.h"
#include "clock.h"
#include "sessions.h"
#include "staff.h"

/* An idle expiry moves only when this much later: fewer writes. */
#define TOUCH_SECONDS	60
#define ROLE_SIZE	sizeof(((struct session *)NULL)->role)

/* What tells one kind of session from the other. */
static const struct kind {
	const char	*name;		/* for error messages */
	enum stmt	 purge, insert, find, touch, del, del_id;
	enum stmt	 wait, failed, ok;
	int		 failures, block;
} kinds[] = {
	[SESSION_FILER] = { "session", ST_SESSION_PURGE, ST_SESSION_INSERT,
	    ST_SESSION_FIND, ST_SESSION_TOUCH, ST_SESSION_DELETE,
	    ST_SESSION_DELETE_ID, ST_SIGNIN_WAIT, ST_SIGNIN_FAILED,
	    ST_SIGNIN_OK, SIGNIN_FAILURES, SIGNIN_BLOCK_SECONDS },
	[SESSION_STAFF] = { "staff session", ST_STAFF_SESSION_PURGE,
	    ST_STAFF_SESSION_INSERT, ST_STAFF_SESSION_FIND,
	    ST_STAFF_SESSION_TOUCH, ST_STAFF_SESSION_DELETE,
	    ST_STAFF_SESSION_DELETE_ID, ST_STAFF_SIGNIN_WAIT,
	    ST_STAFF_SIGNIN_FAILED, ST_STAFF_SIGNIN_OK,
	    STAFF_SIGNIN_FAILURES, STAFF_SIGNIN_BLOCK_SECONDS },
};

/* Both cookies are the same length: one hash check serves both. */
_Static_assert(SESSION_TOKEN_LEN == STAFF_TOKEN_LEN, "token lengths");
_Static_assert(sizeof(((struct session *)NULL)->role) ==
    sizeof(((struct staff_session *)NULL)->role), "role sizes");

/* The hash of a cookie value; -1 if it cannot be one of ours. */
static int
token_hash(const char *token, char hash[SHA256_HEX_LEN + 1])
{
	size_t	 n;

	hash[0] = '\0';
	if (token == NULL)
		return -1;
	n = strnlen(token, SESSION_TOKEN_LEN + 1);
	if (n != SESSION_TOKEN_LEN)
		return -1;
	return sha256_hex(token, n, hash);
}

enum db_err
session_kind_create(struct db *db, enum session_kind kind, int64_t owner,
    const char *role, int ttl, int max_ttl, char *token)
{
	const struct kind	*k = &kinds[kind];
	sqlite3_stmt		*st;
	char			 tok[SESSION_TOKEN_LEN + 1];
	char			 hash[SHA256_HEX_LEN + 1];
	char			 now[CLOCK_ISO_LEN + 1], idle[CLOCK_ISO_LEN + 1];
	char			 end[CLOCK_ISO_LEN + 1];
	time_t			 t = clock_now(db);
	enum db_err		 e = DB_ERROR;

	token[0] = '\0';
	tok[0] = '\0';
	if (role == NULL || *role == '\0' ||
	    strnlen(role, ROLE_SIZE) >= ROLE_SIZE || ttl <= 0 ||
	    max_ttl <= 0) {
		snprintf(db->errmsg, sizeof(db->errmsg), "%s: bad role or "
		    "lifetime", k->name);
		goto out;
	}
	if (ttl > max_ttl)
		ttl = max_ttl;
	if (b64url_random(32, tok, sizeof(tok)) == -1 ||
	    token_hash(tok, hash) == -1) {
		snprintf(db->errmsg, sizeof(db->errmsg), "%s: no random bytes",
		    k->name);
		goto out;
	}
	clock_iso(t, now);
	clock_iso(t + ttl, idle);
	clock_iso(t + max_ttl, end);

	/* Each sign-in sweeps the owner's dead sessions, so sessions
	 * never found again do not pile up. */
	st = db_stmt(db, k->purge);
	db_bind_int(st, 1, owner);
	db_bind_text(st, 2, now);
	if ((e = db_exec_stmt(db, st)) != DB_OK)
		goto out;
	st = db_stmt(db, k->insert);
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, owner);
	db_bind_text(st, 3, role);
	db_bind_text(st, 4, now);
	db_bind_text(st, 5, idle);
	db_bind_text(st, 6, end);
	if ((e = db_exec_stmt(db, st)) != DB_OK)
		goto out;
	memcpy(token, tok, sizeof(tok));
out:
	explicit_bzero(tok, sizeof(tok));
	return e;
}

enum db_err
session_kind_find(struct db *db, enum session_kind kind, const char *token,
    int ttl, struct session *s)
{
	const struct kind	*k = &kinds[kind];
	sqlite3_stmt		*st;
	char			 hash[SHA256_HEX_LEN + 1];
	char			 now[CLOCK_ISO_LEN + 1], idle[CLOCK_ISO_LEN + 1];
	char			 due[CLOCK_ISO_LEN + 1], end[CLOCK_ISO_LEN + 1];
	time_t			 t = clock_now(db);
	int			 rc, live;
	enum db_err		 e;

	memset(s, 0, sizeof(*s));
	if (token_hash(token, hash) == -1)
		return DB_NOT_FOUND;
	clock_iso(t, now);
	st = db_stmt(db, k->find);
	db_bind_text(st, 1, hash);
	db_bind_text(st, 2, now);
	if ((rc = db_step(db, st)) != SQLITE_ROW) {
		e = rc == SQLITE_DONE ? DB_NOT_FOUND : db_error(db, rc);
		if (st != NULL)
			sqlite3_reset(st);
		return e;
	}
	s->id = sqlite3_column_int64(st, 0);
	s->account_id = sqlite3_column_int64(st, 1);
	db_col_copy(st, 2, s->role, sizeof(s->role));
	db_col_copy(st, 3, s->created_at, sizeof(s->created_at));
	db_col_copy(st, 4, s->expires_at, sizeof(s->expires_at));
	db_col_copy(st, 5, end, sizeof(end));
	live = sqlite3_column_int(st, 6);
	sqlite3_reset(st);

	if (!live) {
		st = db_stmt(db, k->del_id);
		db_bind_int(st, 1, s->id);
		e = db_exec_stmt(db, st);
		memset(s, 0, sizeof(*s));
		return e == DB_OK ? DB_NOT_FOUND : e;
	}
	if (ttl <= 0)
		return DB_OK;
	clock_iso(t + ttl, idle);
	clock_iso(t + ttl - TOUCH_SECONDS, due);
	/* Most requests move nothing (too soon, or the session already
	 * ends at its cap): then no write at all. */
	if (strcmp(s->expires_at, due) > 0 || strcmp(s->expires_at, end) >= 0)
		return DB_OK;
	st = db_stmt(db, k->touch);
	db_bind_int(st, 1, s->id);
	db_bind_text(st, 2, idle);
	db_bind_text(st, 3, due);
	if ((e = db_exec_stmt(db, st)) != DB_OK) {
		memset(s, 0, sizeof(*s));
		return e;
	}
	/* What the update wrote, without reading the row again. */
	if (sqlite3_changes(db->h) > 0)
		snprintf(s->expires_at, sizeof(s->expires_at), "%s",
		    strcmp(idle, end) < 0 ? idle : end);
	return DB_OK;
}

enum db_err
session_kind_delete(struct db *db, enum session_kind kind, const char *token)
{
	sqlite3_stmt	*st;
	char		 hash[SHA256_HEX_LEN + 1];

	/* Signing out an unknown cookie is not an error. */
	if (token_hash(token, hash) == -1)
		return DB_OK;
	st = db_stmt(db, kinds[kind].del);
	db_bind_text(st, 1, hash);
	return db_exec_stmt(db, st);
}

enum db_err
session_create(struct db *db, int64_t account_id, const char *role,
    int ttl, int max_ttl, char *token)
{
	return session_kind_create(db, SESSION_FILER, account_id, role, ttl,
	    max_ttl, token);
}

enum db_err
session_find(struct db *db, const char *token, int ttl, struct session *s)
{
	return session_kind_find(db, SESSION_FILER, token, ttl, s);
}

enum db_err
session_delete(struct db *db, const char *token)
{
	return session_kind_delete(db, SESSION_FILER, token);
}

enum db_err
session_delete_account(struct db *db, int64_t account_id)
{
	sqlite3_stmt	*st = db_stmt(db, ST_SESSION_DELETE_ACCOUNT);

	db_bind_int(st, 1, account_id);
	return db_exec_stmt(db, st);
}

enum db_err
signin_kind_wait(struct db *db, enum session_kind kind, int64_t owner,
    int *wait)
{
	const struct kind	*k = &kinds[kind];
	sqlite3_stmt		*st = db_stmt(db, k->wait);
	char			 now[CLOCK_ISO_LEN + 1];
	long long		 w;
	int			 rc;
	enum db_err		 e = DB_OK;

	*wait = 0;
	clock_iso(clock_now(db), now);
	db_bind_int(st, 1, owner);
	db_bind_text(st, 2, now);
	if ((rc = db_step(db, st)) != SQLITE_ROW) {
		e = rc == SQLITE_DONE ? DB_NOT_FOUND : db_error(db, rc);
		goto out;
	}
	w = sqlite3_column_int64(st, 0);
	/* A block ends within its seconds; a clock set back must not
	 * make it longer. */
	if (w < 0)
		w = 0;
	if (w > k->block)
		w = k->block;
	*wait = (int)w;
out:
	if (st != NULL)
		sqlite3_reset(st);
	return e;
}

enum db_err
signin_kind_failed(struct db *db, enum session_kind kind, int64_t owner)
{
	const struct kind	*k = &kinds[kind];
	sqlite3_stmt		*st = db_stmt(db, k->failed);
	char			 until[CLOCK_ISO_LEN + 1];
	enum db_err		 e;

	clock_iso(clock_now(db) + k->block, until);
	db_bind_int(st, 1, owner);
	db_bind_text(st, 2, until);
	db_bind_int(st, 3, k->failures);
	if ((e = db_exec_stmt(db, st)) == DB_OK && sqlite3_changes(db->h) == 0)
		e = DB_NOT_FOUND;
	return e;
}

enum db_err
signin_kind_ok(struct db *db, enum session_kind kind, int64_t owner)
{
	sqlite3_stmt	*st = db_stmt(db, kinds[kind].ok);
	enum db_err	 e;

	db_bind_int(st, 1, owner);
	if ((e = db_exec_stmt(db, st)) == DB_OK && sqlite3_changes(db->h) == 0)
		e = DB_NOT_FOUND;
	return e;
}
