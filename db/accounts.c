/*
 * Filer accounts.
 */
#include <stdlib.h>
#include <string.h>

#include "accounts.h"

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

static enum db_err
fetch(struct db *db, sqlite3_stmt *st, struct account *a)
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
	return fetch(db, st, a);
}

enum db_err
accounts_by_id(struct db *db, int64_t id, struct account *a)
{
	sqlite3_stmt	*st = db_stmt(db, ST_ACCOUNT_BY_ID);

	db_bind_int(st, 1, id);
	return fetch(db, st, a);
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
