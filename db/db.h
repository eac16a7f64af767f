/*
 * The SQLite database: one connection per process or thread, WAL,
 * synchronous=FULL (an issued license number must survive a power cut),
 * foreign keys, a busy timeout and SQLITE_DBCONFIG_DEFENSIVE.  Every
 * statement is prepared from the table in db/stmt.c.
 */
#ifndef AIM_DB_H
#define AIM_DB_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <sqlite3.h>

#include "stmt.h"

enum db_err {
	DB_OK,
	DB_NOT_FOUND,
	DB_EXISTS,		/* a unique key is taken */
	DB_BUSY,		/* locked past the busy timeout */
	DB_FULL,		/* disk full */
	DB_IO,			/* I/O error or corruption */
	DB_ERROR,		/* anything else: a bug */
	DB__MAX
};

const char *db_strerror(enum db_err);

struct db {
	sqlite3		*h;
	sqlite3_stmt	*stmt[STMT__MAX];
	/* Fault injection for tests: when > 0, counts statement steps and
	 * fails the one that brings it to 0 with an I/O error. */
	int		 fault_countdown;
	char		 mail_domain[128];	/* for Message-IDs */
	char		 errmsg[256];		/* last error, for operators */
	/* Tests: when nonzero, the time sessions, codes, tokens and the
	 * sign-in throttle take as now (db/clock.c). */
	time_t		 now;
	/* Writers of all processes queue on an flock of PATH-wlock before
	 * BEGIN IMMEDIATE: a waiter wakes the moment the lock is free,
	 * where SQLite's busy handler would sleep and poll (-1: none). */
	int		 wlock;
	int		 wlocked;	/* transaction levels open (savepoints
					 * nest); the lock is held while > 0 */
	/* Group commit's first try: nested levels are no savepoints (each
	 * would copy every page the batch had touched already).  A nested
	 * rollback only sets flat_failed; the caller rolls all back. */
	int		 flat;
	int		 flat_failed;
	/* Tests: group commit takes savepoints from the first try. */
	int		 no_flat;
	void		(*wal_cb)(void *, int);	/* db_wal_watch */
	void		*wal_arg;
	/* Benchmarks only: license changes leave the monitor's roll-ups
	 * alone (bench/submit.c measures what they cost). */
	int		 no_rollups;
};

/* Opens (creating if asked) and sets the pragmas; does not migrate. */
struct db	*db_open(const char *path, int create, char *err, size_t errsz);
void		 db_close(struct db *);
/* Applies the numbered migrations past PRAGMA user_version. */
enum db_err	 db_migrate(struct db *);
/* The schema version this program expects. */
int		 db_schema_version(void);

/* A statement ready to bind (reset and cleared). */
sqlite3_stmt	*db_stmt(struct db *, enum stmt);
/* sqlite3_step with fault injection; maps to SQLITE_ codes. */
int		 db_step(struct db *, sqlite3_stmt *);
/* Steps a statement that returns no rows; resets it. */
enum db_err	 db_exec_stmt(struct db *, sqlite3_stmt *);
/* SQLite result code to enum db_err, remembering the message. */
enum db_err	 db_error(struct db *, int rc);
/*
 * Steps st into a growing array of size-byte rows, each zeroed and then
 * read by fill; at most max rows (0: all).  Resets st.  DB_ERROR with
 * no memory.  *vp and *np receive what was read even on an error, for
 * the caller's own free.
 */
enum db_err	 db_rows(struct db *, sqlite3_stmt *, size_t size, size_t max,
		    void (*fill)(sqlite3_stmt *, void *), void **vp,
		    size_t *np);

/* db_rows that leaves nothing on an error: each row read so far given
 * to clear (NULL: rows own no memory), the array freed, *vp NULL and
 * *np 0. */
enum db_err	 db_rows_or_none(struct db *, sqlite3_stmt *, size_t size,
		    size_t max, void (*fill)(sqlite3_stmt *, void *),
		    void (*clear)(void *), void **vp, size_t *np);
/* Rows of size bytes each given to clear (NULL: none), then freed. */
void		 db_rows_free(void *, size_t n, size_t size,
		    void (*clear)(void *));

/*
 * After each commit of this connection, cb(arg, pages in the WAL), and
 * no automatic checkpoint: for a writer that has the log copied back by
 * another connection (db_checkpoint, PASSIVE: it never blocks writers)
 * instead of doing it itself while others wait.
 */
void		 db_wal_watch(struct db *, void (*cb)(void *, int), void *);
enum db_err	 db_checkpoint(struct db *);
/* The connection's page cache, in KiB (SQLite's default is 2 MB). */
enum db_err	 db_cache_size(struct db *, int kib);
/* Lets a transaction keep up to bytes of changed pages in memory
 * before it writes any to the WAL (SQLite's own limit is cache_size). */
enum db_err	 db_cache_spill(struct db *, size_t bytes);
/* Checkpoints after a commit once the WAL holds bytes (SQLite's own
 * automatic checkpoint is at 1000 pages). */
enum db_err	 db_checkpoint_after(struct db *, size_t bytes);

/*
 * What a process keeps read from one connection (a cache) belongs to
 * that connection: db_keeper_own makes it db's, forgetting what another
 * connection left, and registers the SQL function name on db whose
 * destructor forgets it when db closes, so that what was read through
 * a closed connection never answers for a new one at the same address.
 * -1: out of memory (keep nothing then).
 */
struct db_keeper {
	const char	*name;		/* the SQL function's, one a keeper */
	void		(*forget)(void);	/* drops what is kept */
	void		*token;		/* the connection's, while kept */
	sqlite3		*h;
	char		*heir;		/* db_keeper_bequeath's file */
};
int		 db_keeper_own(struct db *, struct db_keeper *);
/*
 * For a server about to fork its workers: what db's keeper holds stays
 * when db closes, and the next connection of the process (or of a
 * forked child) to the same database file that owns the keeper adopts
 * it instead of forgetting it.  The cache must know how to bring itself
 * up to date (the monitor's months follow the event log).
 */
void		 db_keeper_bequeath(struct db *, struct db_keeper *);

enum db_err	 db_begin(struct db *);	/* BEGIN IMMEDIATE */
enum db_err	 db_commit(struct db *);
void		 db_rollback(struct db *);	/* the innermost level */
/* Rolls back every open level: after a request, whatever it left. */
void		 db_abort(struct db *);

/* Binding helpers: NULL text binds SQL NULL, an id of 0 or less leaves
 * ?i NULL (none). */
void		 db_bind_text(sqlite3_stmt *, int, const char *);
void		 db_bind_int(sqlite3_stmt *, int, long long);
void		 db_bind_id(sqlite3_stmt *, int, int64_t);
/* A column as a fresh string (NULL for SQL NULL or no memory). */
char		*db_col_strdup(sqlite3_stmt *, int);
/* A column copied into a fixed buffer ("" for NULL). */
void		 db_col_copy(sqlite3_stmt *, int, char *, size_t);

#endif
