/*
 * Filer accounts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "accounts.h"
#include "clock.h"
#include "codes.h"
#include "events.h"
#include "outbox.h"
#include "sessions.h"

/* Column order of ST_ACCOUNT_BY_* after id, as enum afield. */
static const enum afield cols[] = {
	AF_EMAIL, AF_ALT_EMAIL, AF_COMPANY_NAME, AF_EIN, AF_IMPORTER_NUMBER,
	AF_ADDRESS, AF_PHONE, AF_CONTACT_NAME,
};

static const char *
nonempty(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

enum db_err
accounts_add(struct db *db, const struct account_form *a,
    const char *password_hash, int verified, int64_t *id)
{
	sqlite3_stmt	*st = db_stmt(db, ST_ACCOUNT_INSERT);
	size_t		 i;
	enum db_err	 e;

	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		db_bind_text(st, i + 1, nonempty(a->v[cols[i]]));
	db_bind_text(st, 9, password_hash);
	db_bind_int(st, 10, verified != 0);
	if ((e = db_exec_stmt(db, st)) == DB_OK && id != NULL)
		*id = sqlite3_last_insert_rowid(db->h);
	return e;
}

/* One account st reads; with token, the token columns that follow
 * (ST_ACCOUNT_BY_TOKEN). */
static enum db_err
fetch(struct db *db, sqlite3_stmt *st, struct account *a,
    struct account_token *token)
{
	size_t	 i;
	int	 rc;
	enum db_err e = DB_OK;

	memset(a, 0, sizeof(*a));
	if ((rc = db_step(db, st)) != SQLITE_ROW) {
		e = rc == SQLITE_DONE ? DB_NOT_FOUND : db_error(db, rc);
		goto out;
	}
	a->id = sqlite3_column_int64(st, 0);
	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		a->v[cols[i]] = db_col_strdup(st, i + 1);
	a->password_hash = db_col_strdup(st, 9);
	a->verified = sqlite3_column_int(st, 10);
	a->locked = sqlite3_column_int(st, 11);
	a->efiling = sqlite3_column_int(st, 12);
	if (a->v[AF_EMAIL] == NULL || a->password_hash == NULL) {
		account_clear(a);
		e = DB_ERROR;
	} else if (token != NULL) {
		token->id = sqlite3_column_int64(st, 13);
		token->stale = sqlite3_column_int(st, 14);
	}
out:
	if (st != NULL)
		sqlite3_reset(st);
	return e;
}

enum db_err
accounts_by_email(struct db *db, const char *email, struct account *a)
{
	sqlite3_stmt	*st = db_stmt(db, ST_ACCOUNT_BY_EMAIL);

	db_bind_text(st, 1, email);
	return fetch(db, st, a, NULL);
}

enum db_err
accounts_by_id(struct db *db, int64_t id, struct account *a)
{
	sqlite3_stmt	*st = db_stmt(db, ST_ACCOUNT_BY_ID);

	db_bind_int(st, 1, id);
	return fetch(db, st, a, NULL);
}

enum db_err
accounts_by_token(struct db *db, const char *token_hash, const char *due,
    struct account *a, struct account_token *token)
{
	sqlite3_stmt	*st = db_stmt(db, ST_ACCOUNT_BY_TOKEN);

	db_bind_text(st, 1, token_hash);
	db_bind_text(st, 2, due);
	return fetch(db, st, a, token);
}

void
account_clear(struct account *a)
{
	int	 i;

	for (i = 0; i < AF__MAX; i++)
		free(a->v[i]);
	free(a->password_hash);
	memset(a, 0, sizeof(*a));
}

/* Account events are the filer's own doing on the web site. */
static enum db_err
account_event(struct db *db, const struct account *a, const char *action)
{
	return event_add(db, a->id, 0, a->v[AF_EMAIL], "web", action, NULL);
}

enum db_err
accounts_register(struct db *db, const struct account_form *f,
    const char *password_hash, int64_t *idp, char *code)
{
	struct account	 a;
	int64_t		 id = 0;
	enum db_err	 e;

	memset(&a, 0, sizeof(a));
	code[0] = '\0';
	if ((e = db_begin(db)) != DB_OK)
		goto out;
	/* code_issue joins this transaction. */
	if ((e = accounts_add(db, f, password_hash, 0, &id)) != DB_OK ||
	    (e = accounts_by_id(db, id, &a)) != DB_OK ||
	    (e = account_event(db, &a, "account_registered")) != DB_OK ||
	    (e = code_issue(db, id, CODE_VERIFY_EMAIL, code)) != DB_OK ||
	    (e = db_commit(db)) != DB_OK)
		goto out;
	if (idp != NULL)
		*idp = id;
out:
	if (e != DB_OK) {
		db_rollback(db);
		code[0] = '\0';
	}
	account_clear(&a);
	return e;
}

enum db_err
accounts_update(struct db *db, int64_t id, const struct account_form *f)
{
	struct account	 a;
	sqlite3_stmt	*st;
	size_t		 i;
	enum db_err	 e;

	memset(&a, 0, sizeof(a));
	if ((e = db_begin(db)) != DB_OK)
		goto out;
	st = db_stmt(db, ST_ACCOUNT_UPDATE);
	db_bind_int(st, 1, id);
	/* cols[0] is the email, which never changes here. */
	for (i = 1; i < sizeof(cols) / sizeof(cols[0]); i++)
		db_bind_text(st, i + 1, nonempty(f->v[cols[i]]));
	if ((e = db_exec_stmt(db, st)) != DB_OK)
		goto out;
	if (sqlite3_changes(db->h) == 0) {
		e = DB_NOT_FOUND;
		goto out;
	}
	if ((e = accounts_by_id(db, id, &a)) != DB_OK ||
	    (e = account_event(db, &a, "account_updated")) != DB_OK)
		goto out;
	e = db_commit(db);
out:
	if (e != DB_OK)
		db_rollback(db);
	account_clear(&a);
	return e;
}

enum db_err
accounts_set_password(struct db *db, int64_t id, const char *password_hash)
{
	struct account	 a;
	sqlite3_stmt	*st;
	json_t		*params;
	enum db_err	 e;

	memset(&a, 0, sizeof(a));
	if (password_hash == NULL || *password_hash == '\0')
		return DB_ERROR;
	if ((e = db_begin(db)) != DB_OK)
		goto out;
	if ((e = accounts_by_id(db, id, &a)) != DB_OK)
		goto out;
	st = db_stmt(db, ST_ACCOUNT_SET_PASSWORD);
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, password_hash);
	if ((e = db_exec_stmt(db, st)) != DB_OK)
		goto out;
	/* Signed out everywhere; a reset code still out is void. */
	if ((e = session_delete_account(db, id)) != DB_OK)
		goto out;
	st = db_stmt(db, ST_CODE_DELETE);
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, "reset_password");
	if ((e = db_exec_stmt(db, st)) != DB_OK)
		goto out;
	params = json_pack("{s:s, s:s}",
	    "contact_name", a.v[AF_CONTACT_NAME] ? a.v[AF_CONTACT_NAME] : "",
	    "company_name", a.v[AF_COMPANY_NAME] ? a.v[AF_COMPANY_NAME] : "");
	if (params == NULL) {
		e = DB_ERROR;
		goto out;
	}
	if ((e = outbox_add(db, "password_changed", a.v[AF_EMAIL],
	    a.v[AF_ALT_EMAIL], params, 0, id, NULL, 0)) != DB_OK ||
	    (e = account_event(db, &a, "password_changed")) != DB_OK)
		goto out;
	e = db_commit(db);
out:
	if (e != DB_OK)
		db_rollback(db);
	account_clear(&a);
	return e;
}

enum db_err
accounts_signin_wait(struct db *db, int64_t id, int *wait)
{
	return signin_kind_wait(db, SESSION_FILER, id, wait);
}

enum db_err
accounts_signin_failed(struct db *db, int64_t id)
{
	return signin_kind_failed(db, SESSION_FILER, id);
}

enum db_err
accounts_signin_ok(struct db *db, int64_t id)
{
	return signin_kind_ok(db, SESSION_FILER, id);
}
