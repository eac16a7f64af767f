/*
 * The public monitor: roll-ups moved with every license change, and
 * their recount for tests.
 *
 * Writing.  Each license line adds to one cell of every view below (a
 * view keeps some dimensions and sums over the rest).  A cell holds
 * its sums and each importer's value, packed in its shares column, so
 * that a line moves one row per view in one statement (the SQL function
 * mon_shares updates the packed values): a filing writes a page or so
 * a view.
 *
 * Reading, the aggregates and their disclosure control: monitor_read.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "lib/limits.h"
#include "lib/log.h"
#include "forms/disclosure.h"
#include "monitor_int.h"

const char *const mon_dim_names[MON__MAX] = {
	"month", "product_group", "hts6", "country_of_origin",
	"country_of_largest_smelt", "country_of_most_recent_cast",
	"country_of_melt_and_pour",
};

const unsigned mon_views[VIEW__MAX] = {
	[VIEW_FULL] = BIT(MON_GROUP) | BIT(MON_HTS6) | BIT(MON_ORIGIN) |
	    BIT(MON_SMELT) | BIT(MON_CAST) | BIT(MON_MELT),
	[VIEW_SRC] = BIT(MON_GROUP) | BIT(MON_ORIGIN) | BIT(MON_SMELT) |
	    BIT(MON_CAST) | BIT(MON_MELT),
};

int
mon_dim_find(const char *name)
{
	int	 i;

	for (i = 0; i < MON__MAX; i++)
		if (strcmp(name, mon_dim_names[i]) == 0)
			return i;
	return -1;
}

int
mon_dim_applies(enum mon_dim d, enum product p)
{
	if (d == MON_SMELT || d == MON_CAST)
		return p == PRODUCT_ALUMINUM;
	if (d == MON_MELT)
		return p == PRODUCT_STEEL;
	return d < MON__MAX;
}

int
mon_month_parse(const char *s, int *index)
{
	int	 i, y = 0, m;

	if (s == NULL || strlen(s) != 7 || s[4] != '-')
		return -1;
	for (i = 0; i < 4; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		y = y * 10 + (s[i] - '0');
	}
	if (s[5] < '0' || s[5] > '9' || s[6] < '0' || s[6] > '9')
		return -1;
	m = (s[5] - '0') * 10 + (s[6] - '0');
	if (y < 1970 || m < 1 || m > 12)
		return -1;
	*index = y * 12 + m - 1;
	return 0;
}

void
mon_month_format(int index, char out[8])
{
	int	 y = index / 12, m = index % 12 + 1;

	if (index < 0 || y > 9999) {
		out[0] = '\0';
		return;
	}
	out[0] = '0' + y / 1000;
	out[1] = '0' + y / 100 % 10;
	out[2] = '0' + y / 10 % 10;
	out[3] = '0' + y % 10;
	out[4] = '-';
	out[5] = '0' + m / 10;
	out[6] = '0' + m % 10;
	out[7] = '\0';
}

/* ----- writing ----- */

/* The importer's id, added on first sight (not when subtracting: an
 * unknown importer then means the roll-ups are out of step). */
static enum db_err
importer_id(struct db *db, const char *name, int sign, int64_t *id)
{
	sqlite3_stmt	*st;
	char		 key[LIM_FIELD_BYTES + 1];
	int		 rc;
	enum db_err	 e;

	disc_importer_key(name != NULL ? name : "", key, sizeof(key));
	st = db_stmt(db, ST_MON_IMPORTER_FIND);
	db_bind_text(st, 1, key);
	rc = db_step(db, st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	if (st != NULL)
		sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return DB_OK;
	if (rc != SQLITE_DONE)
		return db_error(db, rc);
	if (sign < 0)
		return DB_NOT_FOUND;
	st = db_stmt(db, ST_MON_IMPORTER_ADD);
	db_bind_text(st, 1, key);
	if ((e = db_exec_stmt(db, st)) != DB_OK)
		return e;
	*id = sqlite3_last_insert_rowid(db->h);
	/* Shares keep ids in 4 bytes. */
	return *id > 0 && *id <= (int64_t)UINT32_MAX ? DB_OK : DB_ERROR;
}

/* One row of a statement into v[0..n-1]: 1 a row, 0 none, -1 failed
 * (then *e says why). */
static int
row_of(struct db *db, sqlite3_stmt *st, int64_t *v, int n, enum db_err *e)
{
	int	 rc, i;

	rc = db_step(db, st);
	if (rc == SQLITE_ROW)
		for (i = 0; i < n; i++)
			v[i] = sqlite3_column_int64(st, i);
	if (st != NULL)
		sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	*e = db_error(db, rc);
	return -1;
}

/* One line's values: product, month, dimensions. */
struct mline {
	const char	*product;
	const char	*month;
	const char	*v[MON__MAX];		/* by dimension; "" none */
	int64_t		 grams;
	int64_t		 cents;
	int64_t		 lines;		/* adding: how many lines */
};

/* Binds a cell's key as ?1-?9 (stmt.c MON_CELL_KEY).  The strings are
 * not copied: they outlive the statement's one step. */
static void
bind_key(sqlite3_stmt *st, enum view view, const struct mline *l)
{
	int	 d;

	if (st == NULL)
		return;
	sqlite3_bind_int(st, 1, view);
	sqlite3_bind_text(st, 2, l->product, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, l->month, -1, SQLITE_STATIC);
	for (d = MON_GROUP; d < MON__MAX; d++)
		sqlite3_bind_text(st, 3 + d, (mon_views[view] & BIT(d)) ?
		    l->v[d] : "", -1, SQLITE_STATIC);
}

/* Whether two lines fall in the same cell of a view. */
static int
same_cell(enum view view, const struct mline *a, const struct mline *b)
{
	int	 d;

	for (d = MON_GROUP; d < MON__MAX; d++)
		if ((mon_views[view] & BIT(d)) && strcmp(a->v[d], b->v[d]) != 0)
			return 0;
	return 1;
}

static void
share_put(unsigned char *p, uint32_t imp, int64_t cents)
{
	uint64_t	 v = (uint64_t)cents;
	int		 i;

	for (i = 0; i < 4; i++)
		p[i] = imp >> (8 * i);
	for (i = 0; i < 8; i++)
		p[4 + i] = v >> (8 * i);
}

/* Where importer imp is (or would go) among n shares. */
static size_t
share_find(const unsigned char *sh, size_t n, uint32_t imp, int *found)
{
	size_t	 lo = 0, hi = n, mid;

	*found = 0;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (share_imp(sh + mid * SHARE_BYTES) < imp)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && share_imp(sh + lo * SHARE_BYTES) == imp)
		*found = 1;
	return lo;
}

/*
 * mon_shares(shares, importer, cents): shares with cents added to the
 * importer's value (subtracted when negative), the importer added when
 * new and dropped when its value comes to 0.  Taking more than an
 * importer has means the roll-ups are out of step: SQLITE_CONSTRAINT.
 */
static void
fn_shares(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char	*in;
	unsigned char		*out;
	size_t			 n, k;
	int64_t			 imp, cents, c;
	int			 found;

	if (argc != 3) {
		sqlite3_result_error(ctx, "mon_shares: 3 arguments", -1);
		return;
	}
	in = sqlite3_value_blob(argv[0]);
	n = in != NULL ? (size_t)sqlite3_value_bytes(argv[0]) / SHARE_BYTES :
	    0;
	imp = sqlite3_value_int64(argv[1]);
	cents = sqlite3_value_int64(argv[2]);
	if (imp < 1 || imp > (int64_t)UINT32_MAX) {
		sqlite3_result_error(ctx, "mon_shares: bad importer", -1);
		return;
	}
	if ((out = sqlite3_malloc64((n + 1) * SHARE_BYTES)) == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	if (n > 0)
		memcpy(out, in, n * SHARE_BYTES);
	k = share_find(out, n, imp, &found);
	c = (found ? share_cents(out + k * SHARE_BYTES) : 0) + cents;
	if (c < 0 || (!found && cents <= 0)) {
		sqlite3_free(out);
		sqlite3_result_error(ctx, "monitor roll-ups out of step", -1);
		sqlite3_result_error_code(ctx, SQLITE_CONSTRAINT);
		return;
	}
	if (!found) {
		memmove(out + (k + 1) * SHARE_BYTES, out + k * SHARE_BYTES,
		    (n - k) * SHARE_BYTES);
		n++;
	} else if (c == 0) {
		memmove(out + k * SHARE_BYTES, out + (k + 1) * SHARE_BYTES,
		    (n - k - 1) * SHARE_BYTES);
		n--;
	}
	if (c > 0)
		share_put(out + k * SHARE_BYTES, (uint32_t)imp, c);
	sqlite3_result_blob64(ctx, out, n * SHARE_BYTES, sqlite3_free);
}

void
mon_share_stats(const unsigned char *sh, size_t n, int64_t *importers,
    int64_t *top)
{
	size_t	 i;
	int64_t	 c;

	*importers = n;
	*top = 0;
	for (i = 0; i < n; i++)
		if ((c = share_cents(sh + i * SHARE_BYTES)) > *top)
			*top = c;
}

/* A statement using mon_shares: a connection learns the function the
 * first time (preparing fails until then). */
static sqlite3_stmt *
fn_stmt(struct db *db, enum stmt s)
{
	sqlite3_stmt	*st;

	if ((st = db_stmt(db, s)) != NULL)
		return st;
	if (sqlite3_create_function_v2(db->h, "mon_shares", 3, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, NULL, fn_shares, NULL,
	    NULL, NULL) != SQLITE_OK)
		return NULL;
	return db_stmt(db, s);
}

/*
 * Moves one cell of a view by a line (sign +1 adds, -1 takes away),
 * with its importer's share: one statement (and, when the cell empties,
 * one more).  DB_NOT_FOUND: taking away what is not there (out of
 * step).
 */
static enum db_err
cell_move(struct db *db, enum view view, const struct mline *l,
    uint32_t imp, int sign)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = fn_stmt(db, sign > 0 ? ST_MON_CELL_ADD : ST_MON_CELL_SUB);
	bind_key(st, view, l);
	db_bind_int(st, 10, l->grams);
	db_bind_int(st, 11, l->cents);
	db_bind_int(st, 12, imp);
	if (sign > 0)
		db_bind_int(st, 13, l->lines);
	rc = db_step(db, st);
	if (st != NULL)
		sqlite3_reset(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return DB_NOT_FOUND;
	if (rc != SQLITE_DONE)
		return db_error(db, st == NULL ? SQLITE_ERROR : rc);
	if (sign > 0)
		return DB_OK;
	if (sqlite3_changes(db->h) == 0)
		return DB_NOT_FOUND;
	st = db_stmt(db, ST_MON_CELL_PRUNE);
	bind_key(st, view, l);
	return db_exec_stmt(db, st);
}

const char *
mon_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char	*s = sqlite3_column_text(st, i);

	return s != NULL ? (const char *)s : "";
}

/* Moves every view's cell of one line, for its importer. */
static enum db_err
move_line(struct db *db, const struct mline *l, uint32_t imp, int sign)
{
	enum db_err	 e;
	int		 v;

	for (v = 0; v < VIEW__MAX; v++)
		if (mon_views[v] != 0 && (e = cell_move(db, v, l, imp, sign)) !=
		    DB_OK)
			return e;
	return DB_OK;
}

/* Moves every cell of a stored license version (sign +1 or -1). */
static enum db_err
apply_stored(struct db *db, int64_t id, int version, int sign)
{
	sqlite3_stmt	*st;
	struct mline	 l;
	int64_t		 imp = 0;
	int		 rc, have = 0;
	enum db_err	 e = DB_OK;

	st = db_stmt(db, ST_MON_LINES);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, version);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		memset(&l, 0, sizeof(l));
		l.product = mon_col_text(st, 0);
		l.month = mon_col_text(st, 1);
		if (!have) {
			if ((e = importer_id(db, mon_col_text(st, 2), sign,
			    &imp)) != DB_OK)
				goto out;
			have = 1;
		}
		l.v[MON_MONTH] = l.month;
		l.v[MON_ORIGIN] = mon_col_text(st, 3);
		l.v[MON_GROUP] = mon_col_text(st, 4);
		l.v[MON_HTS6] = mon_col_text(st, 5);
		l.v[MON_SMELT] = mon_col_text(st, 6);
		l.v[MON_CAST] = mon_col_text(st, 7);
		l.v[MON_MELT] = mon_col_text(st, 8);
		l.grams = sqlite3_column_int64(st, 9);
		l.cents = sqlite3_column_int64(st, 10);
		l.lines = 1;
		if ((e = move_line(db, &l, imp, sign)) != DB_OK)
			goto out;
	}
	if (rc != SQLITE_DONE)
		e = db_error(db, rc);
out:
	if (st != NULL)
		sqlite3_reset(st);
	return e;
}

/* Adds a license's lines as the registry holds them in memory (just
 * stored: the same values ST_MON_LINES would read back).  Lines that
 * fall in one cell of a view move it once. */
static enum db_err
apply_license(struct db *db, const struct license *lic)
{
	struct mline	*l = NULL, sum;
	char		 day[11], month[8], (*hts6)[7] = NULL;
	unsigned char	*done = NULL;
	int64_t		 imp;
	size_t		 i, j;
	int		 v;
	enum db_err	 e = DB_OK;

	if (lic->nlines == 0)
		return DB_OK;
	if ((e = importer_id(db, lic->importer_name, 1, &imp)) != DB_OK)
		return e;
	if ((l = calloc(lic->nlines, sizeof(*l))) == NULL ||
	    (hts6 = calloc(lic->nlines, sizeof(*hts6))) == NULL ||
	    (done = calloc(lic->nlines, 1)) == NULL) {
		e = DB_ERROR;
		goto out;
	}
	date_format(lic->import_date, day);
	memcpy(month, day, 7);
	month[7] = '\0';
	for (i = 0; i < lic->nlines; i++) {
		const struct license_line *n = &lic->lines[i];

		l[i].product = product_names[lic->product];
		l[i].month = l[i].v[MON_MONTH] = month;
		l[i].v[MON_ORIGIN] = lic->country_of_origin;
		l[i].v[MON_GROUP] = n->product_group;
		snprintf(hts6[i], sizeof(hts6[i]), "%.6s", n->hts_code);
		l[i].v[MON_HTS6] = hts6[i];
		l[i].v[MON_SMELT] = n->largest_smelt != NULL ?
		    n->largest_smelt : "";
		l[i].v[MON_CAST] = n->most_recent_cast != NULL ?
		    n->most_recent_cast : "";
		l[i].v[MON_MELT] = n->melt_and_pour != NULL ?
		    n->melt_and_pour : "";
		l[i].grams = n->grams;
		l[i].cents = n->value_cents;
		l[i].lines = 1;
	}
	for (v = 0; v < VIEW__MAX; v++) {
		if (mon_views[v] == 0)
			continue;
		memset(done, 0, lic->nlines);
		for (i = 0; i < lic->nlines; i++) {
			if (done[i])
				continue;
			sum = l[i];
			for (j = i + 1; j < lic->nlines; j++)
				if (!done[j] && same_cell(v, &l[i], &l[j])) {
					done[j] = 1;
					sum.grams += l[j].grams;
					sum.cents += l[j].cents;
					sum.lines++;
				}
			if ((e = cell_move(db, v, &sum, imp, 1)) != DB_OK)
				goto out;
		}
	}
out:
	free(l);
	free(hts6);
	free(done);
	return e;
}

/* Every roll-up again, from the licenses; inside the caller's
 * transaction. */
static enum db_err
rebuild(struct db *db)
{
	sqlite3_stmt	*st;
	int64_t		 id;
	int		 rc, version;
	enum db_err	 e;

	if ((e = db_exec_stmt(db, db_stmt(db, ST_MON_CLEAR))) != DB_OK)
		return e;
	st = db_stmt(db, ST_MON_LICENSES);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		version = sqlite3_column_int(st, 1);
		if ((e = apply_stored(db, id, version, 1)) != DB_OK) {
			sqlite3_reset(st);
			return e;
		}
	}
	if (st != NULL)
		sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_error(db, rc);
	/* Readers that keep answers see a new generation. */
	return db_exec_stmt(db, db_stmt(db, ST_MON_REBUILT));
}

enum db_err
monitor_change(struct db *db, int64_t id, int old_version,
    const struct license *lic)
{
	int64_t		 again = 0;
	enum db_err	 e = DB_OK;

	if (db->no_rollups)
		return DB_OK;
	/* A read, not a write: the change's own event row is what tells
	 * readers the roll-ups moved (monitor_state). */
	if (row_of(db, db_stmt(db, ST_MON_REBUILD_GET), &again, 1, &e) != 1)
		return e != DB_OK ? e : DB_ERROR;
	if (again)
		return rebuild(db);
	if ((old_version <= 0 || (e = apply_stored(db, id, old_version, -1)) ==
	    DB_OK) && (lic == NULL || (e = apply_license(db, lic)) == DB_OK))
		return DB_OK;
	if (e != DB_NOT_FOUND)
		return e;
	/* Taking away what is not there: the roll-ups are out of step
	 * (a bug, or a database edited by hand).  Counting again from
	 * the licenses puts them right. */
	log_msg(LOG_LVL_WARNING, "monitor: roll-ups out of step at license "
	    "%lld; rebuilding them", (long long)id);
	return rebuild(db);
}

enum db_err
monitor_rebuild(struct db *db)
{
	enum db_err	 e;

	if ((e = db_begin(db)) != DB_OK)
		return e;
	if ((e = rebuild(db)) != DB_OK || (e = db_commit(db)) != DB_OK) {
		db_rollback(db);
		return e;
	}
	return DB_OK;
}

enum db_err
monitor_state(struct db *db, int64_t *generation, char updated_at[24])
{
	sqlite3_stmt	*st = db_stmt(db, ST_MON_STATE);
	int		 rc;

	updated_at[0] = '\0';
	*generation = 0;
	if ((rc = db_step(db, st)) == SQLITE_ROW) {
		*generation = sqlite3_column_int64(st, 0);
		db_col_copy(st, 1, updated_at, 24);
	}
	if (st != NULL)
		sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? DB_OK :
	    db_error(db, rc);
}


/* ----- the recount, for tests ----- */

/* A cell's key as one string, and an importer's share in it. */
struct rc_row {
	char		*cell;
	char		*imp;		/* NULL: the cell itself */
	int64_t		 id;
	int64_t		 grams, cents, lines, importers, top;
};

struct rc_rows {
	struct rc_row	*v;
	size_t		 n, cap;
};

static int
rc_cmp(const void *a, const void *b)
{
	const struct rc_row	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->cell, y->cell)) != 0)
		return c;
	if (x->imp == NULL || y->imp == NULL)
		return (x->imp != NULL) - (y->imp != NULL);
	return strcmp(x->imp, y->imp);
}

static struct rc_row *
rc_add(struct rc_rows *r)
{
	struct rc_row	*n;
	size_t		 nc;

	if (r->n == r->cap) {
		nc = r->cap ? r->cap * 2 : 256;
		if ((n = reallocarray(r->v, nc, sizeof(*n))) == NULL)
			return NULL;
		r->v = n;
		r->cap = nc;
	}
	memset(&r->v[r->n], 0, sizeof(r->v[0]));
	return &r->v[r->n++];
}

static void
rc_free(struct rc_rows *r)
{
	size_t	 i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].cell);
		free(r->v[i].imp);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* view|product|month|dimensions, '' where the view sums over one. */
static char *
cell_key(int view, const char *product, const char *month,
    const char *const *v)
{
	char	*s;

	if (view < 0 || view >= VIEW__MAX)
		return NULL;
	if (asprintf(&s, "%d|%s|%s|%s|%s|%s|%s|%s|%s", view, product, month,
	    (mon_views[view] & BIT(MON_GROUP)) ? v[MON_GROUP] : "",
	    (mon_views[view] & BIT(MON_HTS6)) ? v[MON_HTS6] : "",
	    (mon_views[view] & BIT(MON_ORIGIN)) ? v[MON_ORIGIN] : "",
	    (mon_views[view] & BIT(MON_SMELT)) ? v[MON_SMELT] : "",
	    (mon_views[view] & BIT(MON_CAST)) ? v[MON_CAST] : "",
	    (mon_views[view] & BIT(MON_MELT)) ? v[MON_MELT] : "") == -1)
		return NULL;
	return s;
}

/* Expected shares from the licenses, one row per line and view. */
static enum db_err
rc_expected(struct db *db, struct rc_rows *ex)
{
	sqlite3_stmt	*st;
	const char	*v[MON__MAX];
	struct rc_row	*r;
	char		 key[LIM_FIELD_BYTES + 1];
	int		 rc, view;
	enum db_err	 e = DB_OK;

	st = db_stmt(db, ST_MON_RECOUNT);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		v[MON_ORIGIN] = mon_col_text(st, 3);
		v[MON_GROUP] = mon_col_text(st, 4);
		v[MON_HTS6] = mon_col_text(st, 5);
		v[MON_SMELT] = mon_col_text(st, 6);
		v[MON_CAST] = mon_col_text(st, 7);
		v[MON_MELT] = mon_col_text(st, 8);
		disc_importer_key(mon_col_text(st, 2), key, sizeof(key));
		for (view = 0; view < VIEW__MAX; view++) {
			if (mon_views[view] == 0)
				continue;
			if ((r = rc_add(ex)) == NULL ||
			    (r->cell = cell_key(view, mon_col_text(st, 0),
			    mon_col_text(st, 1), v)) == NULL ||
			    (r->imp = strdup(key)) == NULL) {
				e = DB_ERROR;
				goto out;
			}
			r->grams = sqlite3_column_int64(st, 9);
			r->cents = sqlite3_column_int64(st, 10);
			r->lines = 1;
		}
	}
	if (rc != SQLITE_DONE)
		e = db_error(db, rc);
out:
	if (st != NULL)
		sqlite3_reset(st);
	return e;
}

/* Sums equal keys of sorted rows into out: each cell's own row
 * (imp NULL) before its importers' rows. */
static enum db_err
rc_reduce(struct rc_rows *in, struct rc_rows *out)
{
	const struct rc_row	*x;
	struct rc_row		*o;
	size_t			 i, cell = 0, imp = 0;

	if (in->n > 1)
		qsort(in->v, in->n, sizeof(in->v[0]), rc_cmp);
	for (i = 0; i < in->n; i++) {
		x = &in->v[i];
		if (i == 0 || strcmp(out->v[cell].cell, x->cell) != 0) {
			if ((o = rc_add(out)) == NULL ||
			    (o->cell = strdup(x->cell)) == NULL)
				return DB_ERROR;
			cell = out->n - 1;
			imp = 0;
		}
		if (imp == 0 || strcmp(out->v[imp].imp, x->imp) != 0) {
			if ((o = rc_add(out)) == NULL ||
			    (o->cell = strdup(x->cell)) == NULL ||
			    (o->imp = strdup(x->imp)) == NULL)
				return DB_ERROR;
			imp = out->n - 1;
			out->v[cell].importers++;
		}
		/* Indices, not pointers: rc_add moves the rows. */
		out->v[imp].grams += x->grams;
		out->v[imp].cents += x->cents;
		out->v[imp].lines += x->lines;
		out->v[cell].grams += x->grams;
		out->v[cell].cents += x->cents;
		out->v[cell].lines += x->lines;
		if (out->v[imp].cents > out->v[cell].top)
			out->v[cell].top = out->v[imp].cents;
	}
	return DB_OK;
}

/* The stored roll-ups as rows like rc_reduce's. */
static enum db_err
rc_stored(struct db *db, struct rc_rows *out)
{
	sqlite3_stmt		*st;
	struct rc_row		*r;
	const unsigned char	*sh;
	const char		*v[MON__MAX];
	char			**key = NULL, **nk;
	size_t			 nkey = 0, i, n, ci;
	int64_t			 id;
	int			 rc, d;
	enum db_err		 e = DB_ERROR;

	/* Importer keys by id (ids are dense from 1). */
	st = db_stmt(db, ST_MON_ALL_IMPORTERS);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		if (id < 1 || id > 10000000)
			goto out;
		if ((size_t)id > nkey) {
			if ((nk = reallocarray(key, id, sizeof(*nk))) == NULL)
				goto out;
			memset(nk + nkey, 0, (id - nkey) * sizeof(*nk));
			key = nk;
			nkey = id;
		}
		if ((key[id - 1] = strdup(mon_col_text(st, 1))) == NULL)
			goto out;
	}
	if (st != NULL)
		sqlite3_reset(st);
	st = db_stmt(db, ST_MON_ALL_CELLS);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		for (d = MON_GROUP; d < MON__MAX; d++)
			v[d] = mon_col_text(st, 2 + d);
		if ((r = rc_add(out)) == NULL || (r->cell = cell_key(
		    sqlite3_column_int(st, 0), mon_col_text(st, 1),
		    mon_col_text(st, 2), v)) == NULL)
			goto out;
		r->grams = sqlite3_column_int64(st, 9);
		r->cents = sqlite3_column_int64(st, 10);
		r->lines = sqlite3_column_int64(st, 11);
		sh = sqlite3_column_blob(st, 12);
		n = sqlite3_column_bytes(st, 12) / SHARE_BYTES;
		mon_share_stats(sh, n, &r->importers, &r->top);
		/* By index: adding rows moves them. */
		ci = out->n - 1;
		for (i = 0; i < n; i++) {
			id = share_imp(sh + i * SHARE_BYTES);
			if ((r = rc_add(out)) == NULL ||
			    (r->cell = strdup(out->v[ci].cell)) == NULL ||
			    (r->imp = strdup(id >= 1 && (size_t)id <= nkey &&
			    key[id - 1] != NULL ? key[id - 1] : "?")) == NULL)
				goto out;
			r->cents = share_cents(sh + i * SHARE_BYTES);
		}
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(out->v[0]), rc_cmp);
	e = DB_OK;
out:
	if (st != NULL)
		sqlite3_reset(st);
	for (i = 0; i < nkey; i++)
		free(key[i]);
	free(key);
	return e;
}

/* Cells agree in every sum; importers' shares in value. */
static int
rc_same(const struct rc_row *a, const struct rc_row *b)
{
	if (a->imp != NULL)
		return a->cents == b->cents;
	return a->grams == b->grams && a->cents == b->cents &&
	    a->lines == b->lines && a->importers == b->importers &&
	    a->top == b->top;
}

long
monitor_recount(struct db *db, char *err, size_t errsz)
{
	struct rc_rows	 raw, ex, got;
	size_t		 i = 0, j = 0;
	long		 diff = 0;
	int		 c;
	const struct rc_row *x;

	memset(&raw, 0, sizeof(raw));
	memset(&ex, 0, sizeof(ex));
	memset(&got, 0, sizeof(got));
	if (errsz > 0)
		err[0] = '\0';
	if (rc_expected(db, &raw) != DB_OK || rc_reduce(&raw, &ex) != DB_OK ||
	    rc_stored(db, &got) != DB_OK) {
		diff = -1;
		goto out;
	}
	while (i < ex.n || j < got.n) {
		if (i == ex.n)
			c = 1;
		else if (j == got.n)
			c = -1;
		else
			c = rc_cmp(&ex.v[i], &got.v[j]);
		if (c == 0 && rc_same(&ex.v[i], &got.v[j])) {
			i++;
			j++;
			continue;
		}
		x = c <= 0 ? &ex.v[i] : &got.v[j];
		if (diff++ == 0)
			snprintf(err, errsz, "%s %s%s%s: recount %lld g %lld "
			    "cents %lld lines %lld importers %lld top; "
			    "roll-up %lld g %lld cents %lld lines %lld "
			    "importers %lld top", c < 0 ? "missing" : c > 0 ?
			    "extra" : "differs", x->cell, x->imp ? " " : "",
			    x->imp ? x->imp : "",
			    c <= 0 ? (long long)ex.v[i].grams : 0,
			    c <= 0 ? (long long)ex.v[i].cents : 0,
			    c <= 0 ? (long long)ex.v[i].lines : 0,
			    c <= 0 ? (long long)ex.v[i].importers : 0,
			    c <= 0 ? (long long)ex.v[i].top : 0,
			    c >= 0 ? (long long)got.v[j].grams : 0,
			    c >= 0 ? (long long)got.v[j].cents : 0,
			    c >= 0 ? (long long)got.v[j].lines : 0,
			    c >= 0 ? (long long)got.v[j].importers : 0,
			    c >= 0 ? (long long)got.v[j].top : 0);
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
out:
	rc_free(&raw);
	rc_free(&ex);
	rc_free(&got);
	return diff;
}
