/*
 * Opening, migrating and stepping the database.
 */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"

extern const char sql_001[];
extern const char sql_002[];
extern const char sql_003[];
extern const char sql_004[];
extern const char sql_005[];
extern const char sql_006[];
extern const char sql_007[];
extern const char sql_008[];
extern const char sql_009[];
extern const char sql_010[];

/* Migration N takes user_version from N-1 to N.  One that edits the
 * table definitions in sqlite_schema (edit) runs with writable_schema
 * and then moves the schema cookie on, so that every connection reads
 * the tables anew. */
static const struct migration {
	const char	*sql;
	int		 edit;
} migrations[] = {
	{ sql_001, 0 },
	{ sql_002, 0 },
	{ sql_003, 0 },
	{ sql_004, 0 },
	{ sql_005, 0 },
	{ sql_006, 0 },
	{ sql_007, 0 },
	{ sql_008, 0 },
	{ sql_009, 1 },
	{ sql_010, 0 },
};
#define NMIGRATIONS (int)(sizeof(migrations) / sizeof(migrations[0]))

static const char *const errs[DB__MAX] = {
	[DB_OK] = "no error",
	[DB_NOT_FOUND] = "not found",
	[DB_EXISTS] = "already exists",
	[DB_BUSY] = "the database is busy; try again",
	[DB_FULL] = "the disk is full",
	[DB_IO] = "database input/output error",
	[DB_ERROR] = "database error",
};

const char *
db_strerror(enum db_err e)
{
	return e < DB__MAX ? errs[e] : "unknown database error";
}

int
db_schema_version(void)
{
	return NMIGRATIONS;
}

struct db *
db_open(const char *path, int create, char *err, size_t errsz)
{
	struct db	*db;
	int		 flags, on = 1;
	char		*msg = NULL;

	if ((db = calloc(1, sizeof(*db))) == NULL) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	snprintf(db->mail_domain, sizeof(db->mail_domain), "aim.test");
	db->wlock = -1;
	flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
	    (create ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", path,
		    db->h ? sqlite3_errmsg(db->h) : "cannot open");
		goto fail;
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, on, NULL);
	sqlite3_busy_timeout(db->h, 5000);
	if (sqlite3_exec(db->h, "PRAGMA journal_mode=WAL;"
	    "PRAGMA synchronous=FULL;PRAGMA foreign_keys=ON;",
	    NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", path, msg ? msg : "pragma");
		sqlite3_free(msg);
		goto fail;
	}
	if (strcmp(path, ":memory:") != 0) {
		char	 lock[1024];

		snprintf(lock, sizeof(lock), "%s-wlock", path);
		if ((db->wlock = open(lock, O_RDWR | O_CREAT | O_CLOEXEC,
		    0600)) == -1) {
			snprintf(err, errsz, "%s: cannot open", lock);
			goto fail;
		}
	}
	return db;
fail:
	db_close(db);
	return NULL;
}

/* Relays SQLite's WAL hook: called after each commit. */
static int
wal_hook(void *arg, sqlite3 *h, const char *name, int pages)
{
	struct db	*db = arg;

	(void)h;
	(void)name;
	db->wal_cb(db->wal_arg, pages);
	return SQLITE_OK;
}

void
db_wal_watch(struct db *db, void (*cb)(void *, int), void *arg)
{
	db->wal_cb = cb;
	db->wal_arg = arg;
	/* Replaces the automatic checkpoint: the watcher does it. */
	sqlite3_wal_hook(db->h, wal_hook, db);
}

enum db_err
db_cache_size(struct db *db, int kib)
{
	char	 sql[64];
	int	 rc;

	snprintf(sql, sizeof(sql), "PRAGMA cache_size=-%d", kib);
	rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? DB_OK : db_error(db, rc);
}

/* Bytes in pages of the database (at least one). */
static enum db_err
pages_of(struct db *db, size_t bytes, int *pages)
{
	sqlite3_stmt	*st = NULL;
	long long	 page = 0;
	int		 rc;

	if ((rc = sqlite3_prepare_v2(db->h, "PRAGMA page_size", -1, &st,
	    NULL)) == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		page = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (page <= 0)
		return db_error(db, rc == SQLITE_ROW ? SQLITE_ERROR : rc);
	*pages = bytes / (size_t)page > INT_MAX ? INT_MAX :
	    bytes / (size_t)page < 1 ? 1 : (int)(bytes / (size_t)page);
	return DB_OK;
}

enum db_err
db_cache_spill(struct db *db, size_t bytes)
{
	char		 sql[64];
	int		 pages, rc;
	enum db_err	 e;

	if ((e = pages_of(db, bytes, &pages)) != DB_OK)
		return e;
	snprintf(sql, sizeof(sql), "PRAGMA cache_spill=%d", pages);
	rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? DB_OK : db_error(db, rc);
}

enum db_err
db_checkpoint_after(struct db *db, size_t bytes)
{
	int		 pages, rc;
	enum db_err	 e;

	if ((e = pages_of(db, bytes, &pages)) != DB_OK)
		return e;
	rc = sqlite3_wal_autocheckpoint(db->h, pages);
	return rc == SQLITE_OK ? DB_OK : db_error(db, rc);
}

enum db_err
db_checkpoint(struct db *db)
{
	int	 rc;

	rc = sqlite3_wal_checkpoint_v2(db->h, NULL,
	    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return rc == SQLITE_OK ? DB_OK : db_error(db, rc);
}

static void
keeper_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	sqlite3_result_null(ctx);
}

/* The connection that read what is kept closed: it goes too.  The
 * token names its keeper; a keeper owned since by another connection
 * has another token. */
static void
keeper_gone(void *token)
{
	struct db_keeper	*k = *(struct db_keeper **)token;

	if (k->token == token) {
		k->forget();
		k->token = NULL;
		k->h = NULL;
	}
	free(token);
}

int
db_keeper_own(struct db *db, struct db_keeper *k)
{
	struct db_keeper	**token;
	const char		 *file;
	int			  adopt;

	if (k->token != NULL && k->h == db->h)
		return 0;
	file = sqlite3_db_filename(db->h, "main");
	adopt = k->token == NULL && k->heir != NULL && file != NULL &&
	    strcmp(k->heir, file) == 0;
	free(k->heir);
	k->heir = NULL;
	if (!adopt)
		k->forget();
	k->token = NULL;
	k->h = NULL;
	if ((token = malloc(sizeof(*token))) == NULL) {
		k->forget();
		return -1;
	}
	*token = k;
	/* On failure SQLite frees the token itself. */
	if (sqlite3_create_function_v2(db->h, k->name, 0,
	    SQLITE_UTF8 | SQLITE_DIRECTONLY, token, keeper_fn, NULL, NULL,
	    keeper_gone) != SQLITE_OK)
		return -1;
	k->token = token;
	k->h = db->h;
	return 0;
}

void
db_keeper_bequeath(struct db *db, struct db_keeper *k)
{
	const char	*file = sqlite3_db_filename(db->h, "main");

	if (k->token == NULL || k->h != db->h || file == NULL ||
	    *file == '\0')
		return;
	free(k->heir);
	if ((k->heir = strdup(file)) == NULL) {
		k->forget();
		return;
	}
	/* keeper_gone sees another token and leaves it be. */
	k->token = NULL;
	k->h = NULL;
}

void
db_close(struct db *db)
{
	int	 i;

	if (db == NULL)
		return;
	for (i = 0; i < STMT__MAX; i++)
		sqlite3_finalize(db->stmt[i]);
	sqlite3_close(db->h);
	if (db->wlock != -1)
		close(db->wlock);
	free(db);
}

enum db_err
db_error(struct db *db, int rc)
{
	/* SQLITE_ERROR alone says "SQL logic error": the connection's
	 * own message names the cause (a statement that did not prepare,
	 * "cannot commit - no transaction is active"). */
	snprintf(db->errmsg, sizeof(db->errmsg), "%s", rc == SQLITE_ERROR &&
	    sqlite3_errcode(db->h) == SQLITE_ERROR ? sqlite3_errmsg(db->h) :
	    sqlite3_errstr(rc));
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return DB_OK;
	case SQLITE_CONSTRAINT:
		return (rc == SQLITE_CONSTRAINT_UNIQUE ||
		    rc == SQLITE_CONSTRAINT_PRIMARYKEY) ? DB_EXISTS : DB_ERROR;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_BUSY;
	case SQLITE_FULL:
		return DB_FULL;
	case SQLITE_IOERR:
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
	case SQLITE_CANTOPEN:
		return DB_IO;
	default:
		return DB_ERROR;
	}
}

static int
run_sql(struct db *db, const char *sql, char **msg)
{
	return sqlite3_exec(db->h, sql, NULL, NULL, msg);
}

/* sql edits sqlite_schema: allowed for it alone (the connection stays
 * defensive otherwise); the cookie moved on makes every connection,
 * in this process or another, read the schema again. */
static int
schema_edit(struct db *db, const char *sql, char **msg)
{
	sqlite3_stmt	*st = NULL;
	char		 bump[64];
	int		 rc, cookie, on = 1, off = 0;

	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, off, NULL);
	if ((rc = sqlite3_prepare_v2(db->h, "PRAGMA schema_version", -1, &st,
	    NULL)) != SQLITE_OK)
		goto out;
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		goto out;
	cookie = sqlite3_column_int(st, 0);
	snprintf(bump, sizeof(bump), "PRAGMA schema_version=%d", cookie + 1);
	if ((rc = run_sql(db, "PRAGMA writable_schema=ON", msg)) !=
	    SQLITE_OK || (rc = run_sql(db, sql, msg)) != SQLITE_OK ||
	    (rc = run_sql(db, "PRAGMA writable_schema=OFF", msg)) !=
	    SQLITE_OK)
		goto out;
	rc = run_sql(db, bump, msg);
out:
	sqlite3_finalize(st);
	run_sql(db, "PRAGMA writable_schema=OFF", NULL);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, on, NULL);
	return rc == SQLITE_ROW ? SQLITE_OK : rc;
}

enum db_err
db_migrate(struct db *db)
{
	sqlite3_stmt	*st = NULL;
	char		*msg = NULL, pragma[64];
	int		 v = 0, rc;
	enum db_err	 e = DB_OK;

	/* Processes starting together (gateway workers) migrate one at a
	 * time: the second finds the work done. */
	if (db->wlock != -1 && flock(db->wlock, LOCK_EX) == -1)
		return DB_IO;
	if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st,
	    NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		e = db_error(db, sqlite3_errcode(db->h));
		goto out;
	}
	v = sqlite3_column_int(st, 0);
	/* A statement still running would keep DROP from working. */
	sqlite3_finalize(st);
	st = NULL;
	if (v > NMIGRATIONS) {
		snprintf(db->errmsg, sizeof(db->errmsg), "the database has "
		    "schema version %d, newer than this program's %d", v,
		    NMIGRATIONS);
		e = DB_ERROR;
		goto out;
	}
	for (; v < NMIGRATIONS; v++) {
		/* Each migration and its version bump commit together. */
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%d;",
		    v + 1);
		if ((rc = sqlite3_exec(db->h, "BEGIN IMMEDIATE", NULL, NULL,
		    &msg)) != SQLITE_OK ||
		    (rc = (migrations[v].edit ? schema_edit : run_sql)(db,
		    migrations[v].sql, &msg)) != SQLITE_OK ||
		    (rc = sqlite3_exec(db->h, pragma, NULL, NULL, &msg)) !=
		    SQLITE_OK ||
		    (rc = sqlite3_exec(db->h, "COMMIT", NULL, NULL, &msg)) !=
		    SQLITE_OK) {
			e = db_error(db, rc);
			snprintf(db->errmsg, sizeof(db->errmsg),
			    "migration %d: %s", v + 1, msg ? msg : "failed");
			sqlite3_free(msg);
			sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
			goto out;
		}
	}
out:
	sqlite3_finalize(st);
	if (db->wlock != -1)
		flock(db->wlock, LOCK_UN);
	return e;
}

sqlite3_stmt *
db_stmt(struct db *db, enum stmt s)
{
	if (db->stmt[s] == NULL) {
		if (sqlite3_prepare_v3(db->h, stmt_sql[s], -1,
		    SQLITE_PREPARE_PERSISTENT, &db->stmt[s], NULL) !=
		    SQLITE_OK) {
			snprintf(db->errmsg, sizeof(db->errmsg), "%s",
			    sqlite3_errmsg(db->h));
			return NULL;
		}
	} else {
		sqlite3_reset(db->stmt[s]);
		sqlite3_clear_bindings(db->stmt[s]);
	}
	return db->stmt[s];
}

int
db_step(struct db *db, sqlite3_stmt *st)
{
	if (st == NULL)
		return SQLITE_ERROR;
	if (db->fault_countdown > 0 && --db->fault_countdown == 0)
		return SQLITE_IOERR;
	return sqlite3_step(st);
}

/* A write statement in a transaction of its own (db_exec_stmt). */
static enum db_err
exec_alone(struct db *db, sqlite3_stmt *st)
{
	enum db_err	 e;

	if ((e = db_begin(db)) != DB_OK) {
		sqlite3_reset(st);
		return e;
	}
	if ((e = db_exec_stmt(db, st)) != DB_OK ||
	    (e = db_commit(db)) != DB_OK)
		db_rollback(db);
	return e;
}

enum db_err
db_exec_stmt(struct db *db, sqlite3_stmt *st)
{
	int	 rc;

	/* A write outside a transaction queues on the write lock as every
	 * other does (db_begin): SQLite's own wait for the lock sleeps and
	 * polls, and behind the gateway's writer that took up to a second. */
	if (st != NULL && db->wlocked == 0 && !sqlite3_stmt_readonly(st))
		return exec_alone(db, st);
	rc = db_step(db, st);
	if (st != NULL)
		sqlite3_reset(st);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return DB_OK;
	return db_error(db, st == NULL ? SQLITE_ERROR : rc);
}

/*
 * Transactions nest: db_begin inside an open one is a savepoint, so a
 * caller can hold several core calls (a registry call, the queue item
 * and its audit row) in one transaction.  db->wlocked counts the levels
 * open; the write lock is held while it is above 0.
 */
static void
unlock(struct db *db)
{
	if (db->wlocked > 0 && db->wlock != -1)
		flock(db->wlock, LOCK_UN);
	db->wlocked = 0;
}

enum db_err
db_begin(struct db *db)
{
	enum db_err	 e;

	if (db->wlocked > 0 && db->flat) {
		db->wlocked++;
		return DB_OK;
	}
	if (db->wlocked > 0) {
		if ((e = db_exec_stmt(db, db_stmt(db, ST_SAVEPOINT))) ==
		    DB_OK)
			db->wlocked++;
		return e;
	}
	if (db->wlock != -1 && flock(db->wlock, LOCK_EX) == -1)
		return DB_IO;
	db->wlocked = 1;
	if ((e = db_exec_stmt(db, db_stmt(db, ST_BEGIN))) != DB_OK)
		unlock(db);
	return e;
}

enum db_err
db_commit(struct db *db)
{
	enum db_err	 e;

	/* On failure the caller rolls back, which unlocks. */
	if (db->wlocked > 1 && db->flat) {
		db->wlocked--;
		return DB_OK;
	}
	if (db->wlocked > 1) {
		if ((e = db_exec_stmt(db, db_stmt(db, ST_RELEASE))) == DB_OK)
			db->wlocked--;
		return e;
	}
	if ((e = db_exec_stmt(db, db_stmt(db, ST_COMMIT))) == DB_OK)
		unlock(db);
	return e;
}

void
db_rollback(struct db *db)
{
	/* Not through db_step: a rollback must never be a faked fault.
	 * An error may have ended the whole transaction already. */
	if (sqlite3_get_autocommit(db->h) != 0) {
		unlock(db);
		return;
	}
	if (db->wlocked > 1 && db->flat) {
		db->flat_failed = 1;
		db->wlocked--;
		return;
	}
	if (db->wlocked > 1) {
		sqlite3_exec(db->h, "ROLLBACK TO aim_nested; "
		    "RELEASE aim_nested", NULL, NULL, NULL);
		db->wlocked--;
		return;
	}
	sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	unlock(db);
}

void
db_abort(struct db *db)
{
	if (sqlite3_get_autocommit(db->h) == 0)
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	unlock(db);
}

void
db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (st == NULL)
		return;
	if (s == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

void
db_bind_int(sqlite3_stmt *st, int i, long long v)
{
	if (st != NULL)
		sqlite3_bind_int64(st, i, v);
}

void
db_bind_id(sqlite3_stmt *st, int i, int64_t id)
{
	if (id > 0)
		db_bind_int(st, i, id);
}

enum db_err
db_rows(struct db *db, sqlite3_stmt *st, size_t size, size_t max,
    void (*fill)(sqlite3_stmt *, void *), void **vp, size_t *np)
{
	unsigned char	*v = NULL, *p;
	size_t		 n = 0;
	int		 rc = SQLITE_DONE;
	enum db_err	 e = DB_OK;

	while ((max == 0 || n < max) && (rc = db_step(db, st)) == SQLITE_ROW) {
		if ((p = reallocarray(v, n + 1, size)) == NULL) {
			e = DB_ERROR;
			goto out;
		}
		v = p;
		memset(v + n * size, 0, size);
		fill(st, v + n * size);
		n++;
	}
	/* ROW: stopped at max with rows left. */
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		e = db_error(db, rc);
out:
	if (st != NULL)
		sqlite3_reset(st);
	*vp = v;
	*np = n;
	return e;
}

enum db_err
db_rows_or_none(struct db *db, sqlite3_stmt *st, size_t size, size_t max,
    void (*fill)(sqlite3_stmt *, void *), void (*clear)(void *), void **vp,
    size_t *np)
{
	enum db_err	 e;
	int		 saved;

	if ((e = db_rows(db, st, size, max, fill, vp, np)) == DB_OK)
		return DB_OK;
	saved = errno;		/* ENOMEM tells no memory from a bug */
	db_rows_free(*vp, *np, size, clear);
	*vp = NULL;
	*np = 0;
	errno = saved;
	return e;
}

void
db_rows_free(void *v, size_t n, size_t size, void (*clear)(void *))
{
	size_t	 i;

	for (i = 0; clear != NULL && i < n; i++)
		clear((unsigned char *)v + i * size);
	free(v);
}

char *
db_col_strdup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s == NULL ? NULL : strdup((const char *)s);
}

void
db_col_copy(sqlite3_stmt *st, int i, char *out, size_t sz)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	snprintf(out, sz, "%s", s == NULL ? "" : (const char *)s);
}
