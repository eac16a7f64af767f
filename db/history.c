/*
 * Trailing-year history for Action Required.  Statistics are computed
 * over [day - 365, day) and cached per key and day: the first submit of
 * a day for an HTS code or product group pays for the scan, the rest
 * read one row.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "history.h"

struct window {
	char	 day[11];
	char	 from[11];
};

static void
window(int app, struct window *w)
{
	date_format(app, w->day);
	date_format(app - RULES_HISTORY_DAYS, w->from);
}

static enum db_err
hts_stats(struct db *db, const char *hts, const struct window *w,
    struct line_history *h)
{
	sqlite3_stmt	*st;
	double		*v = NULL, *p;
	size_t		 n = 0, cap = 0;
	char		 day[11];
	int		 rc;
	enum db_err	 e = DB_OK;

	st = db_stmt(db, ST_STAT_HTS_GET);
	db_bind_text(st, 1, hts);
	if ((rc = db_step(db, st)) == SQLITE_ROW) {
		db_col_copy(st, 0, day, sizeof(day));
		if (strcmp(day, w->day) == 0) {
			h->hts_lines = sqlite3_column_int64(st, 1);
			h->median_ln_auv = sqlite3_column_double(st, 2);
			h->mad_ln_auv = sqlite3_column_double(st, 3);
			sqlite3_reset(st);
			return DB_OK;
		}
	} else if (rc != SQLITE_DONE)
		return db_error(db, rc);
	if (st != NULL)
		sqlite3_reset(st);

	st = db_stmt(db, ST_HISTORY_LN_AUV);
	db_bind_text(st, 1, hts);
	db_bind_text(st, 2, w->from);
	db_bind_text(st, 3, w->day);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			if ((p = reallocarray(v, cap, sizeof(*v))) == NULL) {
				e = DB_ERROR;
				goto out;
			}
			v = p;
		}
		v[n++] = sqlite3_column_double(st, 0);
	}
	if (rc != SQLITE_DONE) {
		e = db_error(db, rc);
		goto out;
	}
	h->hts_lines = n;
	h->median_ln_auv = h->mad_ln_auv = 0;
	if (n > 0)
		rules_median_mad(v, n, &h->median_ln_auv, &h->mad_ln_auv);
	st = db_stmt(db, ST_STAT_HTS_PUT);
	db_bind_text(st, 1, hts);
	db_bind_text(st, 2, w->day);
	db_bind_int(st, 3, n);
	sqlite3_bind_double(st, 4, h->median_ln_auv);
	sqlite3_bind_double(st, 5, h->mad_ln_auv);
	e = db_exec_stmt(db, st);
out:
	if (st != NULL)
		sqlite3_reset(st);
	free(v);
	return e;
}

static enum db_err
group_stats(struct db *db, const char *group, const char *origin,
    const struct window *w, struct line_history *h)
{
	sqlite3_stmt	*st;
	char		 day[11] = "";
	int		 rc;
	enum db_err	 e;

	st = db_stmt(db, ST_STAT_GROUP_GET);
	db_bind_text(st, 1, group);
	if ((rc = db_step(db, st)) == SQLITE_ROW) {
		db_col_copy(st, 0, day, sizeof(day));
		h->group_licenses = sqlite3_column_int64(st, 1);
	} else if (rc != SQLITE_DONE)
		return db_error(db, rc);
	if (st != NULL)
		sqlite3_reset(st);

	if (strcmp(day, w->day) != 0) {
		st = db_stmt(db, ST_HISTORY_GROUP_COUNT);
		db_bind_text(st, 1, group);
		db_bind_text(st, 2, w->from);
		db_bind_text(st, 3, w->day);
		if ((rc = db_step(db, st)) != SQLITE_ROW)
			return db_error(db, rc);
		h->group_licenses = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		st = db_stmt(db, ST_STAT_ORIGIN_CLEAR);
		db_bind_text(st, 1, group);
		if ((e = db_exec_stmt(db, st)) != DB_OK)
			return e;
		st = db_stmt(db, ST_STAT_ORIGIN_FILL);
		db_bind_text(st, 1, group);
		db_bind_text(st, 2, w->from);
		db_bind_text(st, 3, w->day);
		if ((e = db_exec_stmt(db, st)) != DB_OK)
			return e;
		st = db_stmt(db, ST_STAT_GROUP_PUT);
		db_bind_text(st, 1, group);
		db_bind_text(st, 2, w->day);
		db_bind_int(st, 3, h->group_licenses);
		if ((e = db_exec_stmt(db, st)) != DB_OK)
			return e;
	}
	h->group_origin_licenses = 0;
	st = db_stmt(db, ST_STAT_ORIGIN_GET);
	db_bind_text(st, 1, group);
	db_bind_text(st, 2, origin);
	if ((rc = db_step(db, st)) == SQLITE_ROW)
		h->group_origin_licenses = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		return db_error(db, rc);
	sqlite3_reset(st);
	return DB_OK;
}

enum db_err
history_for(struct db *db, const struct license *lic,
    struct line_history *hist)
{
	struct window	 w;
	size_t		 i;
	enum db_err	 e;

	window(lic->application_date, &w);
	for (i = 0; i < lic->nlines; i++) {
		memset(&hist[i], 0, sizeof(hist[i]));
		if ((e = hts_stats(db, lic->lines[i].hts_code, &w,
		    &hist[i])) != DB_OK)
			return e;
		if ((e = group_stats(db, lic->lines[i].product_group,
		    lic->country_of_origin, &w, &hist[i])) != DB_OK)
			return e;
	}
	return DB_OK;
}

enum db_err
history_put(struct db *db, int64_t id, const char *issued_on,
    const struct license *lic)
{
	sqlite3_stmt	*st;
	size_t		 i;
	enum db_err	 e;

	if ((e = history_drop(db, id)) != DB_OK)
		return e;
	for (i = 0; i < lic->nlines; i++) {
		st = db_stmt(db, ST_ACTIVE_INSERT);
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, i + 1);
		db_bind_text(st, 3, issued_on);
		db_bind_text(st, 4, lic->lines[i].hts_code);
		db_bind_text(st, 5, lic->lines[i].product_group);
		db_bind_text(st, 6, lic->country_of_origin);
		sqlite3_bind_double(st, 7, log(lic->lines[i].usd_per_kg));
		if ((e = db_exec_stmt(db, st)) != DB_OK)
			return e;
	}
	return DB_OK;
}

enum db_err
history_drop(struct db *db, int64_t id)
{
	sqlite3_stmt	*st = db_stmt(db, ST_ACTIVE_DELETE);

	db_bind_int(st, 1, id);
	return db_exec_stmt(db, st);
}
