/*
 * Staff accounts, their sign-in throttle and their sessions (the last
 * two shared with filers in db/sessions.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/limits.h"
#include "clock.h"
#include "sessions.h"
#include "staff.h"

const char *const staff_role_names[STAFF_ROLE__MAX] = {
	"staff", "supervisor",
};

int
staff_role_parse(const char *s)
{
	int	 i;

	for (i = 0; s != NULL && i < STAFF_ROLE__MAX; i++)
		if (strcmp(s, staff_role_names[i]) == 0)
			return i;
	return -1;
}

enum db_err
staff_add(struct db *db, const char *email, enum staff_role role,
    const char *password_hash, int64_t *id)
{
	sqlite3_stmt	*st;
	char		 now[CLOCK_ISO_LEN + 1];
	enum db_err	 e;

	if (email == NULL || *email == '\0' ||
	    strlen(email) > STAFF_EMAIL_MAX || strchr(email, '@') == NULL ||
	    (unsigned)role >= STAFF_ROLE__MAX || password_hash == NULL ||
	    strlen(password_hash) >= sizeof(((struct staff_user *)NULL)->
	    password_hash)) {
		snprintf(db->errmsg, sizeof(db->errmsg), "staff: an email of "
		    "at most %d bytes, a role and a password hash are needed",
		    STAFF_EMAIL_MAX);
		return DB_ERROR;
	}
	clock_iso(clock_now(db), now);
	st = db_stmt(db, ST_STAFF_INSERT);
	db_bind_text(st, 1, email);
	db_bind_text(st, 2, staff_role_names[role]);
	db_bind_text(st, 3, password_hash);
	db_bind_text(st, 4, now);
	if ((e = db_exec_stmt(db, st)) == DB_OK && id != NULL)
		*id = sqlite3_last_insert_rowid(db->h);
	return e;
}

static void
row(sqlite3_stmt *st, struct staff_user *u)
{
	char	 role[16];
	int	 k;

	memset(u, 0, sizeof(*u));
	u->id = sqlite3_column_int64(st, 0);
	db_col_copy(st, 1, u->email, sizeof(u->email));
	db_col_copy(st, 2, role, sizeof(role));
	/* An unknown role grants the least. */
	k = staff_role_parse(role);
	u->role = k < 0 ? STAFF_ROLE_STAFF : (enum staff_role)k;
	db_col_copy(st, 3, u->password_hash, sizeof(u->password_hash));
	u->locked = sqlite3_column_int(st, 4) != 0;
	db_col_copy(st, 5, u->created_at, sizeof(u->created_at));
}

static enum db_err
one(struct db *db, sqlite3_stmt *st, struct staff_user *u)
{
	int	 rc;

	memset(u, 0, sizeof(*u));
	if ((rc = db_step(db, st)) == SQLITE_ROW)
		row(st, u);
	if (st != NULL)
		sqlite3_reset(st);
	return rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOT_FOUND :
	    db_error(db, rc);
}

enum db_err
staff_by_email(struct db *db, const char *email, struct staff_user *u)
{
	sqlite3_stmt	*st = db_stmt(db, ST_STAFF_BY_EMAIL);

	db_bind_text(st, 1, email);
	return one(db, st, u);
}

enum db_err
staff_by_id(struct db *db, int64_t id, struct staff_user *u)
{
	sqlite3_stmt	*st = db_stmt(db, ST_STAFF_BY_ID);

	db_bind_int(st, 1, id);
	return one(db, st, u);
}

static void
row_fill(sqlite3_stmt *st, void *p)
{
	row(st, p);
}

enum db_err
staff_list(struct db *db, struct staff_user **out, size_t *np)
{
	sqlite3_stmt	*st = db_stmt(db, ST_STAFF_LIST);
	void		*v;
	enum db_err	 e;

	db_bind_int(st, 1, LIM_PAGE_ROWS);
	e = db_rows_or_none(db, st, sizeof(**out), 0, row_fill, NULL, &v,
	    np);
	*out = v;
	return e;
}

enum db_err
staff_signin_wait(struct db *db, int64_t id, int *wait)
{
	return signin_kind_wait(db, SESSION_STAFF, id, wait);
}

enum db_err
staff_signin_failed(struct db *db, int64_t id)
{
	return signin_kind_failed(db, SESSION_STAFF, id);
}

enum db_err
staff_signin_ok(struct db *db, int64_t id)
{
	return signin_kind_ok(db, SESSION_STAFF, id);
}

enum db_err
staff_session_create(struct db *db, int64_t staff_id, const char *role,
    int ttl, int max_ttl, char *token)
{
	/* Only a staff role, which the shared code cannot know. */
	if (staff_role_parse(role) < 0) {
		token[0] = '\0';
		snprintf(db->errmsg, sizeof(db->errmsg), "staff session: bad "
		    "role or lifetime");
		return DB_ERROR;
	}
	return session_kind_create(db, SESSION_STAFF, staff_id, role, ttl,
	    max_ttl, token);
}

enum db_err
staff_session_find(struct db *db, const char *token, int ttl,
    struct staff_session *s)
{
	struct session	 x;
	enum db_err	 e;

	e = session_kind_find(db, SESSION_STAFF, token, ttl, &x);
	memset(s, 0, sizeof(*s));
	s->id = x.id;
	s->staff_id = x.account_id;
	memcpy(s->role, x.role, sizeof(s->role));
	memcpy(s->created_at, x.created_at, sizeof(s->created_at));
	memcpy(s->expires_at, x.expires_at, sizeof(s->expires_at));
	return e;
}

enum db_err
staff_session_delete(struct db *db, const char *token)
{
	return session_kind_delete(db, SESSION_STAFF, token);
}
