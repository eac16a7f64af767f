/*
 * The SQLite baseline of the benchmarks: single-row commits per second
 * on this machine's disk with the registry's own settings (WAL,
 * synchronous=FULL), so a license submit reads as a share of it.
 * usage: bench-commits DBFILE SECONDS
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <sqlite3.h>

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char *argv[])
{
	sqlite3		*db;
	sqlite3_stmt	*ins;
	double		 t0, secs;
	long		 n = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: bench-commits DBFILE SECONDS\n");
		return 2;
	}
	secs = strtod(argv[2], NULL);
	if (sqlite3_open(argv[1], &db) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	    "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT);",
	    NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO t (v) VALUES ('a license')",
	    -1, &ins, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench-commits: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	t0 = now();
	while (now() - t0 < secs) {
		/* Each insert is its own transaction: one commit each. */
		if (sqlite3_step(ins) != SQLITE_DONE)
			return 1;
		sqlite3_reset(ins);
		n++;
	}
	printf("%.0f\n", n / (now() - t0));
	sqlite3_finalize(ins);
	sqlite3_close(db);
	return 0;
}
