/*
 * Trailing-year history for Action Required.  Statistics are computed
 * over [day - 365, day) and cached per key and day (the stat_* tables):
 * the first submit of a day for an HTS code or product group pays for
 * them, the rest read one row.
 *
 * Paying is cheap too.  The process keeps each key's trailing year as
 * it last counted it (an HTS code's unit values in order, a group's
 * licenses by origin) and rolls it forward to a later day: the lines
 * issued in between enter, the lines of the days that drop out leave.
 * That is what lets aimctl history generate open a new day every few
 * hundred licenses.  A kept year stays good while no license issued
 * inside it changes: the event log since the last look names the
 * licenses changed (submitted, corrected, canceled), and their issue
 * dates say which kept years they fall in.  Anything unexpected (a
 * value to leave that is not there, the event log gone backwards, too
 * many changes at once) counts the year again from the lines.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "history.h"

/* What the process keeps: years of this many keys and unit values in
 * all, and changes looked through at once before starting again. */
#define KEEP_KEYS	4096
#define KEEP_VALUES	(8 * 1024 * 1024)
#define KEEP_EVENTS	10000

struct window {
	int	 app;
	char	 day[11];
	char	 from[11];
};

static void
window(int app, struct window *w)
{
	w->app = app;
	date_format(app, w->day);
	date_format(app - RULES_HISTORY_DAYS, w->from);
}

enum kind {
	YEAR_HTS,
	YEAR_GROUP
};

struct origin_n {
	char	*country;
	long	 n;
};

/* A key's trailing year [day - 365, day), as last counted. */
struct year {
	enum kind	 kind;
	char		*key;
	int		 day;
	double		*v;		/* HTS: ln AUV of the lines, sorted */
	size_t		 n, cap;
	long		 licenses;	/* group: licenses, */
	struct origin_n	*o;		/* by origin (n > 0) */
	size_t		 no;
};

static struct {
	struct year	**y;
	size_t		  n;
	size_t		  values;
	int64_t		  event;	/* looked at up to */
	int		  marked;
} kept;

static void
year_free(struct year *y)
{
	size_t	 i;

	if (y == NULL)
		return;
	for (i = 0; i < y->no; i++)
		free(y->o[i].country);
	free(y->o);
	free(y->v);
	free(y->key);
	free(y);
}

static void
forget(void)
{
	size_t	 i;

	for (i = 0; i < kept.n; i++)
		year_free(kept.y[i]);
	free(kept.y);
	kept.y = NULL;
	kept.n = 0;
	kept.values = 0;
	kept.marked = 0;
}

/* Drops the years that hold day: a license issued that day changed. */
static void
forget_from(int day)
{
	size_t	 i = 0;

	while (i < kept.n) {
		if (day < kept.y[i]->day) {
			kept.values -= kept.y[i]->n;
			year_free(kept.y[i]);
			kept.y[i] = kept.y[--kept.n];
		} else
			i++;
	}
}

/* The kept years are the connection's that counted them. */
static struct db_keeper	 keeper = { "history_keep_owner", forget, NULL,
			    NULL, NULL };

/* Forgets the kept years that licenses changed since the last look
 * fall in. */
static enum db_err
sync_kept(struct db *db)
{
	sqlite3_stmt	*st;
	int64_t		 last = 0;
	char		 day[11] = "";
	int		 rc, d;

	if (db_keeper_own(db, &keeper) == -1)
		return DB_OK;
	st = db_stmt(db, ST_HISTORY_EVENT_LAST);
	if ((rc = db_step(db, st)) == SQLITE_ROW)
		last = sqlite3_column_int64(st, 0);
	if (st != NULL)
		sqlite3_reset(st);
	if (rc != SQLITE_ROW) {
		forget();
		return db_error(db, rc == SQLITE_DONE ? SQLITE_ERROR : rc);
	}
	/* Fewer events than seen: a transaction read from rolled back. */
	if (!kept.marked || last < kept.event ||
	    last - kept.event > KEEP_EVENTS)
		forget();
	else if (last > kept.event) {
		st = db_stmt(db, ST_HISTORY_CHANGED_FROM);
		db_bind_int(st, 1, kept.event);
		db_bind_int(st, 2, last);
		if ((rc = db_step(db, st)) == SQLITE_ROW)
			db_col_copy(st, 0, day, sizeof(day));
		if (st != NULL)
			sqlite3_reset(st);
		if (rc != SQLITE_ROW) {
			forget();
			return db_error(db, rc == SQLITE_DONE ? SQLITE_ERROR :
			    rc);
		}
		if (day[0] != '\0') {
			if (date_parse(day, &d) == 0)
				forget_from(d);
			else
				forget();
		}
	}
	kept.event = last;
	kept.marked = 1;
	return DB_OK;
}

/* The kept year of a key, made (empty, day 0) if new; NULL when none
 * can be kept. */
static struct year *
year_get(struct db *db, enum kind kind, const char *key)
{
	struct year	*y, **ny;
	size_t		 i;

	if (keeper.h != db->h)
		return NULL;
	for (i = 0; i < kept.n; i++)
		if (kept.y[i]->kind == kind && strcmp(kept.y[i]->key, key) == 0)
			return kept.y[i];
	if (kept.n >= KEEP_KEYS || kept.values > KEEP_VALUES)
		forget();
	if ((y = calloc(1, sizeof(*y))) == NULL ||
	    (y->key = strdup(key)) == NULL ||
	    (ny = reallocarray(kept.y, kept.n + 1, sizeof(*ny))) == NULL) {
		year_free(y);
		return NULL;
	}
	y->kind = kind;
	kept.y = ny;
	kept.y[kept.n++] = y;
	return y;
}

/* The kept year of a key (year_get), or, when full or none can be
 * kept, tmp made empty for it. */
static struct year *
year_or_tmp(struct db *db, enum kind kind, const char *key, int full,
    struct year *tmp)
{
	struct year	*y = full ? NULL : year_get(db, kind, key);

	if (y == NULL) {
		memset(tmp, 0, sizeof(*tmp));
		tmp->kind = kind;
		tmp->key = (char *)key;
		y = tmp;
	}
	return y;
}

static void
year_drop(struct year *y)
{
	size_t	 i;

	for (i = 0; i < kept.n; i++)
		if (kept.y[i] == y) {
			kept.values -= y->n;
			year_free(y);
			kept.y[i] = kept.y[--kept.n];
			return;
		}
}

/* ----- HTS codes: unit values ----- */

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The ln AUVs of an HTS code's lines issued from..to (exclusive), in
 * order. */
static enum db_err
ln_auvs(struct db *db, const char *hts, const char *from, const char *to,
    double **out, size_t *n)
{
	sqlite3_stmt	*st;
	double		*v = NULL, *p;
	size_t		 cap = 0;
	int		 rc;
	enum db_err	 e = DB_OK;

	*n = 0;
	st = db_stmt(db, ST_HISTORY_LN_AUV);
	db_bind_text(st, 1, hts);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			if ((p = reallocarray(v, cap, sizeof(*v))) == NULL) {
				e = DB_ERROR;
				goto out;
			}
			v = p;
		}
		v[(*n)++] = sqlite3_column_double(st, 0);
	}
	if (rc != SQLITE_DONE)
		e = db_error(db, rc);
out:
	if (st != NULL)
		sqlite3_reset(st);
	if (e != DB_OK) {
		free(v);
		v = NULL;
		*n = 0;
	}
	if (*n > 1)
		qsort(v, *n, sizeof(*v), cmp_double);
	*out = v;
	return e;
}

/*
 * Rolls an HTS code's year forward to the window's day: merges in the
 * values that entered, takes out those that left.  1 done, 0 when the
 * values to take out are not all there (count again), -1 failed.
 */
static int
roll_hts(struct db *db, struct year *y, const struct window *w,
    enum db_err *e)
{
	double		*in = NULL, *out = NULL, *nv;
	size_t		 nin, nout, i, j, k, m, t, cap;
	char		 a[11], b[11];
	int		 r = -1;

	date_format(y->day, a);
	if ((*e = ln_auvs(db, y->key, a, w->day, &in, &nin)) != DB_OK)
		goto done;
	date_format(y->day - RULES_HISTORY_DAYS, a);
	date_format(w->app - RULES_HISTORY_DAYS, b);
	if ((*e = ln_auvs(db, y->key, a, b, &out, &nout)) != DB_OK)
		goto done;
	if ((nv = calloc(y->n + nin + 1, sizeof(*nv))) == NULL) {
		*e = DB_ERROR;
		goto done;
	}
	/* The kept values less those leaving (all in order)... */
	for (i = k = m = 0; i < y->n; i++) {
		if (k < nout && y->v[i] == out[k]) {
			k++;
			continue;
		}
		if (k < nout && out[k] < y->v[i])
			break;		/* out[k] is not kept */
		nv[m++] = y->v[i];
	}
	if (k < nout) {
		free(nv);
		r = 0;
		goto done;
	}
	/* ... merged with those entering, from the end. */
	cap = m + nin;
	for (i = m, j = nin, t = cap; j > 0; )
		if (i > 0 && nv[i - 1] > in[j - 1])
			nv[--t] = nv[--i];
		else
			nv[--t] = in[--j];
	free(y->v);
	y->v = nv;
	y->n = y->cap = cap;
	r = 1;
done:
	free(in);
	free(out);
	return r;
}

/* Counts an HTS code's year from its lines. */
static enum db_err
count_hts(struct db *db, struct year *y, const struct window *w)
{
	double		*v;
	size_t		 n;
	enum db_err	 e;

	if ((e = ln_auvs(db, y->key, w->from, w->day, &v, &n)) != DB_OK)
		return e;
	free(y->v);
	y->v = v;
	y->n = y->cap = n;
	return DB_OK;
}

/*
 * An HTS code's year as of the window's day: the kept one, rolled
 * forward or counted again; or, when full or none can be kept, one
 * counted for this answer in tmp (its values to free).
 */
static enum db_err
hts_year(struct db *db, const char *hts, const struct window *w, int full,
    struct year *tmp, struct year **out)
{
	struct year	*y = year_or_tmp(db, YEAR_HTS, hts, full, tmp);
	size_t		 before;
	int		 r = 0;
	enum db_err	 e = DB_OK;

	before = y->n;
	if (y->day > 0 && y->day < w->app &&
	    w->app - y->day < RULES_HISTORY_DAYS)
		r = roll_hts(db, y, w, &e);
	if (r == 0 && y->day != w->app)
		e = count_hts(db, y, w);
	if (e != DB_OK) {
		if (y != tmp)
			year_drop(y);
		return e;
	}
	if (y != tmp) {
		kept.values += y->n;
		kept.values -= before;
	}
	y->day = w->app;
	*out = y;
	return DB_OK;
}

static void
hts_of(const struct year *y, struct line_history *h)
{
	h->hts_lines = y->n;
	h->median_ln_auv = h->mad_ln_auv = 0;
	if (y->n > 0)
		rules_median_mad_sorted(y->v, y->n, &h->median_ln_auv,
		    &h->mad_ln_auv);
}

static enum db_err
hts_stats(struct db *db, const char *hts, const struct window *w,
    struct line_history *h)
{
	sqlite3_stmt	*st;
	struct year	*y, tmp;
	char		 day[11];
	int		 rc;
	enum db_err	 e;

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

	if ((e = hts_year(db, hts, w, 0, &tmp, &y)) != DB_OK)
		return e;
	hts_of(y, h);
	if (y == &tmp)
		free(tmp.v);
	st = db_stmt(db, ST_STAT_HTS_PUT);
	db_bind_text(st, 1, hts);
	db_bind_text(st, 2, w->day);
	db_bind_int(st, 3, h->hts_lines);
	sqlite3_bind_double(st, 4, h->median_ln_auv);
	sqlite3_bind_double(st, 5, h->mad_ln_auv);
	return db_exec_stmt(db, st);
}

/* ----- product groups: licenses by origin ----- */

/* Adds sign times the licenses of a group issued from..to (exclusive)
 * by origin to a year.  -1 when out of memory or the database failed
 * (*e), 0 when a count goes below 0 (count again). */
static int
add_origins(struct db *db, struct year *y, const char *from, const char *to,
    int sign, enum db_err *e)
{
	sqlite3_stmt	*st;
	struct origin_n	*no;
	const char	*c;
	size_t		 i;
	long		 n;
	int		 rc, r = 1;

	st = db_stmt(db, ST_HISTORY_GROUP_ORIGINS);
	db_bind_text(st, 1, y->key);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		c = (const char *)sqlite3_column_text(st, 0);
		n = sqlite3_column_int64(st, 1) * sign;
		if (c == NULL)
			c = "";
		for (i = 0; i < y->no && strcmp(y->o[i].country, c) != 0; i++)
			continue;
		if (i == y->no) {
			if ((no = reallocarray(y->o, y->no + 1,
			    sizeof(*no))) == NULL) {
				*e = DB_ERROR;
				r = -1;
				break;
			}
			y->o = no;
			if ((y->o[i].country = strdup(c)) == NULL) {
				*e = DB_ERROR;
				r = -1;
				break;
			}
			y->o[i].n = 0;
			y->no++;
		}
		y->o[i].n += n;
		y->licenses += n;
		if (y->o[i].n < 0)
			r = 0;
	}
	if (r == 1 && rc != SQLITE_DONE) {
		*e = db_error(db, rc);
		r = -1;
	}
	if (st != NULL)
		sqlite3_reset(st);
	return r;
}

static void
origins_clear(struct year *y)
{
	size_t	 i;

	for (i = 0; i < y->no; i++)
		free(y->o[i].country);
	free(y->o);
	y->o = NULL;
	y->no = 0;
	y->licenses = 0;
}

/* The group's year as the stat tables hold it. */
static enum db_err
put_group(struct db *db, const struct year *y, const struct window *w)
{
	sqlite3_stmt	*st;
	size_t		 i;
	enum db_err	 e;

	st = db_stmt(db, ST_STAT_ORIGIN_CLEAR);
	db_bind_text(st, 1, y->key);
	if ((e = db_exec_stmt(db, st)) != DB_OK)
		return e;
	for (i = 0; i < y->no; i++) {
		if (y->o[i].n <= 0)
			continue;
		st = db_stmt(db, ST_STAT_ORIGIN_PUT);
		db_bind_text(st, 1, y->key);
		db_bind_text(st, 2, y->o[i].country);
		db_bind_int(st, 3, y->o[i].n);
		if ((e = db_exec_stmt(db, st)) != DB_OK)
			return e;
	}
	st = db_stmt(db, ST_STAT_GROUP_PUT);
	db_bind_text(st, 1, y->key);
	db_bind_text(st, 2, w->day);
	db_bind_int(st, 3, y->licenses);
	return db_exec_stmt(db, st);
}

/* A group's year as of the window's day, as hts_year. */
static enum db_err
group_year(struct db *db, const char *group, const struct window *w,
    int full, struct year *tmp, struct year **out)
{
	struct year	*y = year_or_tmp(db, YEAR_GROUP, group, full, tmp);
	char		 a[11], b[11];
	int		 r = 0;
	enum db_err	 e = DB_OK;

	/* A license's lines share its issue day: its licenses over a
	 * year are the sum of those over its days. */
	if (y->day > 0 && y->day < w->app &&
	    w->app - y->day < RULES_HISTORY_DAYS) {
		date_format(y->day, a);
		if ((r = add_origins(db, y, a, w->day, 1, &e)) == 1) {
			date_format(y->day - RULES_HISTORY_DAYS, a);
			date_format(w->app - RULES_HISTORY_DAYS, b);
			r = add_origins(db, y, a, b, -1, &e);
		}
		if (r == -1)
			goto fail;
	}
	if (r == 0 && y->day != w->app) {
		origins_clear(y);
		if (add_origins(db, y, w->from, w->day, 1, &e) != 1) {
			if (e == DB_OK)
				e = DB_ERROR;
			goto fail;
		}
	}
	y->day = w->app;
	*out = y;
	return DB_OK;
fail:
	if (y == tmp)
		origins_clear(tmp);
	else
		year_drop(y);
	return e;
}

/* The licenses from one origin in a group's year. */
static long
origin_of(const struct year *y, const char *origin)
{
	size_t	 i;

	for (i = 0; i < y->no; i++)
		if (strcmp(y->o[i].country, origin) == 0)
			return y->o[i].n;
	return 0;
}

static enum db_err
group_stats(struct db *db, const char *group, const char *origin,
    const struct window *w, struct line_history *h)
{
	sqlite3_stmt	*st;
	struct year	*y, tmp;
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
		if ((e = group_year(db, group, w, 0, &tmp, &y)) != DB_OK)
			return e;
		h->group_licenses = y->licenses;
		e = put_group(db, y, w);
		if (y == &tmp)
			origins_clear(&tmp);
		if (e != DB_OK)
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
	if ((e = sync_kept(db)) != DB_OK)
		return e;
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
history_stats(struct db *db, const char *hts, const char *group,
    const char *origin, int day, int full, struct line_history *h)
{
	struct window	 w;
	struct year	*y, tmp;
	enum db_err	 e;

	memset(h, 0, sizeof(*h));
	window(day, &w);
	if ((e = sync_kept(db)) != DB_OK ||
	    (e = hts_year(db, hts, &w, full, &tmp, &y)) != DB_OK)
		return e;
	hts_of(y, h);
	if (y == &tmp)
		free(tmp.v);
	if ((e = group_year(db, group, &w, full, &tmp, &y)) != DB_OK)
		return e;
	h->group_licenses = y->licenses;
	h->group_origin_licenses = origin_of(y, origin);
	if (y == &tmp)
		origins_clear(&tmp);
	return DB_OK;
}

enum db_err
history_put(struct db *db, int64_t id, const char *issued_on,
    const struct license *lic)
{
	enum db_err	 e;

	if ((e = history_drop(db, id)) != DB_OK)
		return e;
	return history_add(db, id, issued_on, lic);
}

/* (A DELETE that finds nothing still costs SQLite a temporary b-tree
 * of the keys to delete: a new license skips it.) */
enum db_err
history_add(struct db *db, int64_t id, const char *issued_on,
    const struct license *lic)
{
	sqlite3_stmt	*st;
	size_t		 i;
	enum db_err	 e;

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
