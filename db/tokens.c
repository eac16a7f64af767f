/*
 * API bearer tokens: "aim_" and 32 random bytes in base64url.  The
 * table keeps the SHA-256 of the whole token, found by lookup (the
 * hash is the key), and its first characters to tell tokens apart.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "lib/b64url.h"
#include "lib/sha256.h"
#include "accounts.h"
#include "clock.h"
#include "events.h"
#include "tokens.h"

/* last_used_at is written at most this often: fewer writes. */
#define USED_SECONDS	60
#define PREFIX_CHARS	(sizeof(((struct api_token *)NULL)->prefix) - 2)
#define NAME_SIZE	sizeof(((struct api_token *)NULL)->name)

static int
token_hash(const char *token, char hash[SHA256_HEX_LEN + 1])
{
	size_t	 n;

	hash[0] = '\0';
	if (token == NULL)
		return -1;
	n = strnlen(token, TOKEN_LEN + 1);
	if (n != TOKEN_LEN || strncmp(token, TOKEN_PREFIX,
	    sizeof(TOKEN_PREFIX) - 1) != 0)
		return -1;
	return sha256_hex(token, n, hash);
}

/* The account's email: the actor of its events. */
static enum db_err
token_event(struct db *db, int64_t account_id, const char *action,
    const char *detail)
{
	struct account	 a;
	enum db_err	 e;

	if ((e = accounts_by_id(db, account_id, &a)) != DB_OK)
		return e;
	e = event_add(db, account_id, 0, a.v[AF_EMAIL], "web", action,
	    detail);
	account_clear(&a);
	return e;
}

enum db_err
token_create(struct db *db, int64_t account_id, const char *name,
    char *token, int64_t *id)
{
	sqlite3_stmt	*st;
	char		 tok[TOKEN_LEN + 1], hash[SHA256_HEX_LEN + 1];
	char		 prefix[PREFIX_CHARS + 1], now[CLOCK_ISO_LEN + 1];
	int64_t		 newid;
	enum db_err	 e = DB_ERROR;

	token[0] = '\0';
	/* No silent truncation: the caller checks the name's length. */
	if (name == NULL || *name == '\0' ||
	    strnlen(name, NAME_SIZE) >= NAME_SIZE) {
		snprintf(db->errmsg, sizeof(db->errmsg), "token: the name "
		    "must have 1 to %zu bytes", NAME_SIZE - 1);
		return DB_ERROR;
	}
	memcpy(tok, TOKEN_PREFIX, sizeof(TOKEN_PREFIX) - 1);
	if (b64url_random(32, tok + sizeof(TOKEN_PREFIX) - 1,
	    sizeof(tok) - (sizeof(TOKEN_PREFIX) - 1)) == -1 ||
	    token_hash(tok, hash) == -1) {
		snprintf(db->errmsg, sizeof(db->errmsg), "token: no random "
		    "bytes");
		goto out;
	}
	memcpy(prefix, tok, PREFIX_CHARS);
	prefix[PREFIX_CHARS] = '\0';
	clock_iso(clock_now(db), now);
	if ((e = db_begin(db)) != DB_OK)
		goto out;
	st = db_stmt(db, ST_TOKEN_INSERT);
	db_bind_int(st, 1, account_id);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, hash);
	db_bind_text(st, 4, prefix);
	db_bind_text(st, 5, now);
	if ((e = db_exec_stmt(db, st)) != DB_OK)
		goto out;
	newid = sqlite3_last_insert_rowid(db->h);
	if ((e = token_event(db, account_id, "api_token_created", name)) !=
	    DB_OK || (e = db_commit(db)) != DB_OK)
		goto out;
	memcpy(token, tok, sizeof(tok));
	if (id != NULL)
		*id = newid;
out:
	if (e != DB_OK)
		db_rollback(db);
	OPENSSL_cleanse(tok, sizeof(tok));
	return e;
}

enum db_err
token_account_read(struct db *db, const char *token, struct account *a)
{
	sqlite3_stmt		*st;
	struct account_token	 t;
	char			 hash[SHA256_HEX_LEN + 1];
	char			 now[CLOCK_ISO_LEN + 1], due[CLOCK_ISO_LEN + 1];
	time_t			 when = clock_now(db);
	enum db_err		 e;

	memset(a, 0, sizeof(*a));
	if (token_hash(token, hash) == -1)
		return DB_NOT_FOUND;
	clock_iso(when, now);
	clock_iso(when - USED_SECONDS, due);
	if ((e = accounts_by_token(db, hash, due, a, &t)) != DB_OK)
		return e;
	if (t.stale) {
		st = db_stmt(db, ST_TOKEN_USED);
		db_bind_int(st, 1, t.id);
		db_bind_text(st, 2, now);
		if ((e = db_exec_stmt(db, st)) != DB_OK) {
			account_clear(a);
			return e;
		}
	}
	return DB_OK;
}

enum db_err
token_account(struct db *db, const char *token, int64_t *account_id)
{
	struct account	 a;
	enum db_err	 e;

	*account_id = 0;
	if ((e = token_account_read(db, token, &a)) == DB_OK)
		*account_id = a.id;
	account_clear(&a);
	return e;
}

static void
token_fill(sqlite3_stmt *st, void *v)
{
	struct api_token	*p = v;

	p->id = sqlite3_column_int64(st, 0);
	db_col_copy(st, 1, p->name, sizeof(p->name));
	db_col_copy(st, 2, p->created_at, sizeof(p->created_at));
	db_col_copy(st, 3, p->last_used_at, sizeof(p->last_used_at));
	db_col_copy(st, 4, p->prefix, sizeof(p->prefix));
}

enum db_err
token_list(struct db *db, int64_t account_id, struct api_token **tp,
    size_t *np)
{
	sqlite3_stmt	*st = db_stmt(db, ST_TOKEN_LIST);
	void		*v;
	enum db_err	 e;

	db_bind_int(st, 1, account_id);
	e = db_rows_or_none(db, st, sizeof(**tp), 0, token_fill, NULL, &v,
	    np);
	*tp = v;
	return e;
}

enum db_err
token_revoke(struct db *db, int64_t account_id, int64_t id)
{
	sqlite3_stmt	*st;
	char		 now[CLOCK_ISO_LEN + 1], detail[32];
	enum db_err	 e;

	clock_iso(clock_now(db), now);
	if ((e = db_begin(db)) != DB_OK)
		goto out;
	st = db_stmt(db, ST_TOKEN_REVOKE);
	db_bind_int(st, 1, account_id);
	db_bind_int(st, 2, id);
	db_bind_text(st, 3, now);
	if ((e = db_exec_stmt(db, st)) != DB_OK)
		goto out;
	/* Another account's token or a revoked one: nothing changed. */
	if (sqlite3_changes(db->h) == 0) {
		e = DB_NOT_FOUND;
		goto out;
	}
	snprintf(detail, sizeof(detail), "%lld", (long long)id);
	if ((e = token_event(db, account_id, "api_token_revoked",
	    detail)) != DB_OK)
		goto out;
	e = db_commit(db);
out:
	if (e != DB_OK)
		db_rollback(db);
	return e;
}
