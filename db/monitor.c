/*
 * The public monitor: roll-ups moved with every license change, and the
 * aggregates the monitor API reads, with disclosure control.
 *
 * Writing.  Each license line adds to one cell of every view below (a
 * view keeps some dimensions and sums over the rest).  A cell holds
 * its sums and each importer's value, packed in its shares column, so
 * that a line moves one row per view in one statement (the SQL function
 * mon_shares updates the packed values): a filing writes a page or so
 * a view.
 *
 * Reading.  A query scans the smallest view that holds its dimensions
 * and filters, month by month, and adds the cells up into the figures
 * it answers with: each row, each margin, the total, and each of these
 * month by month (a figure over several months must pass the importer
 * rule in each month too).  Whether a sum of cells passes the rule is
 * mostly clear from the cells' own counts (forms/disclosure.c,
 * disc_primary_bounds); only when it is not are their importers'
 * values merged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "lib/limits.h"
#include "lib/log.h"
#include "forms/disclosure.h"
#include "forms/surge.h"
#include "monitor.h"

const char *const mon_dim_names[MON__MAX] = {
	"month", "product_group", "hts6", "country_of_origin",
	"country_of_largest_smelt", "country_of_most_recent_cast",
	"country_of_melt_and_pour",
};

#define BIT(d)		(1u << (d))
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * The views: the dimensions each keeps (months always).  Each view a
 * line moves costs a filing some work and a page written (about 4% of
 * a submit each, measured), so there are two: the roll-up of every
 * dimension, and one without HTS-6, which answers every question on
 * groups, origins and where the metal was made.  A question on HTS-6
 * reads the full roll-up.
 */
enum view {
	VIEW_FULL = 0,
	VIEW_SRC = 2,	/* (1 was group by origin: a database rolled
			 * up before keeps such rows, unread, until
			 * aimctl history rebuild) */
	VIEW__MAX
};

static const unsigned views[VIEW__MAX] = {
	[VIEW_FULL] = BIT(MON_GROUP) | BIT(MON_HTS6) | BIT(MON_ORIGIN) |
	    BIT(MON_SMELT) | BIT(MON_CAST) | BIT(MON_MELT),
	[VIEW_SRC] = BIT(MON_GROUP) | BIT(MON_ORIGIN) | BIT(MON_SMELT) |
	    BIT(MON_CAST) | BIT(MON_MELT),
};

/* Smallest first: the order a query looks for its view in. */
static const enum view read_order[] = {
	VIEW_SRC, VIEW_FULL,
};

/* What a dimension the license left blank is called. */
#define NOT_REPORTED	"not reported"

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
		sqlite3_bind_text(st, 3 + d, (views[view] & BIT(d)) ?
		    l->v[d] : "", -1, SQLITE_STATIC);
}

/* Whether two lines fall in the same cell of a view. */
static int
same_cell(enum view view, const struct mline *a, const struct mline *b)
{
	int	 d;

	for (d = MON_GROUP; d < MON__MAX; d++)
		if ((views[view] & BIT(d)) && strcmp(a->v[d], b->v[d]) != 0)
			return 0;
	return 1;
}

/* The shares column: an importer id (4 bytes) and cents (8 bytes),
 * little-endian, ordered by id. */
#define SHARE_BYTES	12

static uint32_t
share_imp(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static int64_t
share_cents(const unsigned char *p)
{
	uint64_t	 v = 0;
	int		 i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[4 + i];
	return (int64_t)v;
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

/* Distinct importers and the largest value of a shares column. */
static void
share_stats(const unsigned char *sh, size_t n, int64_t *importers,
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

static const char *
col_text(sqlite3_stmt *st, int i)
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
		if (views[v] != 0 && (e = cell_move(db, v, l, imp, sign)) !=
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
		l.product = col_text(st, 0);
		l.month = col_text(st, 1);
		if (!have) {
			if ((e = importer_id(db, col_text(st, 2), sign,
			    &imp)) != DB_OK)
				goto out;
			have = 1;
		}
		l.v[MON_MONTH] = l.month;
		l.v[MON_ORIGIN] = col_text(st, 3);
		l.v[MON_GROUP] = col_text(st, 4);
		l.v[MON_HTS6] = col_text(st, 5);
		l.v[MON_SMELT] = col_text(st, 6);
		l.v[MON_CAST] = col_text(st, 7);
		l.v[MON_MELT] = col_text(st, 8);
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
		if (views[v] == 0)
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

/* ----- reading: strings and parts ----- */

/* Distinct strings of one dimension, each with an index. */
struct dict {
	char		**s;
	size_t		  n, cap;
	size_t		 *slot;		/* index + 1; 0 empty */
	size_t		  nslot;
};

static uint64_t
hash_str(const char *s)
{
	uint64_t	 h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void
dict_free(struct dict *d)
{
	size_t	 i;

	for (i = 0; i < d->n; i++)
		free(d->s[i]);
	free(d->s);
	free(d->slot);
	memset(d, 0, sizeof(*d));
}

/* The index of s, added if new; -1 when out of memory. */
static int
dict_add(struct dict *d, const char *s)
{
	size_t	 i, k, *ns, nn;
	char	**p;

	if (d->n * 2 >= d->nslot) {
		nn = d->nslot ? d->nslot * 2 : 64;
		if ((ns = calloc(nn, sizeof(*ns))) == NULL)
			return -1;
		for (i = 0; i < d->n; i++) {
			k = hash_str(d->s[i]) & (nn - 1);
			while (ns[k] != 0)
				k = (k + 1) & (nn - 1);
			ns[k] = i + 1;
		}
		free(d->slot);
		d->slot = ns;
		d->nslot = nn;
	}
	k = hash_str(s) & (d->nslot - 1);
	while (d->slot[k] != 0) {
		if (strcmp(d->s[d->slot[k] - 1], s) == 0)
			return d->slot[k] - 1;
		k = (k + 1) & (d->nslot - 1);
	}
	if (d->n == d->cap) {
		nn = d->cap ? d->cap * 2 : 32;
		if ((p = reallocarray(d->s, nn, sizeof(*p))) == NULL)
			return -1;
		d->s = p;
		d->cap = nn;
	}
	if ((d->s[d->n] = strdup(s)) == NULL)
		return -1;
	d->slot[k] = d->n + 1;
	return d->n++;
}

/* A cell of a view as a query reads it. */
struct part {
	int64_t		 grams, cents, importers, top;
	int		 v[MON__MAX];	/* month index; dict indices */
	size_t		 sh;		/* its shares column, in the arena */
	size_t		 nsh;
};

struct scan {
	struct part	*p;
	size_t		 n, cap;
	struct dict	 d[MON__MAX];	/* d[MON_MONTH] unused */
	enum view	 view;
	/* The parts' shares columns, one after another. */
	unsigned char	*arena;
	size_t		 alen, acap;
	int		 spare;		/* the buffers are the spare ones */
};

/*
 * The parts and shares of the last scan, kept for the next: a process
 * answers one question at a time, and fresh megabytes for each would
 * cost it more in page faults than the scan itself.  (Up to a size:
 * an answer over twenty years of HTS-6 does not keep its memory.)
 */
#define KEEP_BYTES	(64 * 1024 * 1024)

static struct {
	struct part	*p;
	size_t		 cap;
	unsigned char	*arena;
	size_t		 acap;
	int		 busy;
} spare;

static void
scan_start(struct scan *s)
{
	memset(s, 0, sizeof(*s));
	if (spare.busy)
		return;
	s->p = spare.p;
	s->cap = spare.cap;
	s->arena = spare.arena;
	s->acap = spare.acap;
	s->spare = 1;
	memset(&spare, 0, sizeof(spare));
	spare.busy = 1;
}

static void
scan_free(struct scan *s)
{
	size_t	 i;

	for (i = 0; i < MON__MAX; i++)
		dict_free(&s->d[i]);
	if (s->spare && s->cap * sizeof(*s->p) + s->acap <= KEEP_BYTES) {
		spare.p = s->p;
		spare.cap = s->cap;
		spare.arena = s->arena;
		spare.acap = s->acap;
	} else {
		free(s->arena);
		free(s->p);
	}
	if (s->spare)
		spare.busy = 0;
	memset(s, 0, sizeof(*s));
}

static enum view
pick_view(unsigned need)
{
	size_t	 i;

	for (i = 0; i < NELEM(read_order); i++)
		if ((views[read_order[i]] & need) == need)
			return read_order[i];
	return VIEW_FULL;
}

/* The cells of a view between two months (inclusive) that pass the
 * filters (NULL: any), with the values of the dimensions in need. */
static enum db_err
scan_view(struct db *db, enum view view, unsigned need, enum product product,
    const char *from, const char *to, const char *group, const char *hts6,
    const char *origin, struct scan *s)
{
	sqlite3_stmt	*st;
	struct part	*p;
	const char	*v;
	unsigned char	*na;
	size_t		 nc, len;
	int		 rc, d, m, last[MON__MAX], filtered;
	enum db_err	 e = DB_OK;

	for (d = 0; d < MON__MAX; d++)
		last[d] = -1;
	scan_start(s);
	s->view = view;
	filtered = group != NULL || hts6 != NULL || origin != NULL;
	st = db_stmt(db, filtered ? ST_MON_SCAN : ST_MON_SCAN_ALL);
	db_bind_int(st, 1, view);
	db_bind_text(st, 2, product_names[product]);
	db_bind_text(st, 3, from);
	db_bind_text(st, 4, to);
	if (filtered) {
		db_bind_text(st, 5, group);
		db_bind_text(st, 6, hts6);
		db_bind_text(st, 7, origin);
	}
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		if (mon_month_parse(col_text(st, 0), &m) == -1)
			continue;
		if (s->n == s->cap) {
			nc = s->cap ? s->cap * 2 : 1024;
			if ((p = reallocarray(s->p, nc, sizeof(*p))) == NULL) {
				e = DB_ERROR;
				goto out;
			}
			s->p = p;
			s->cap = nc;
		}
		p = &s->p[s->n];
		memset(p, 0, sizeof(*p));
		p->v[MON_MONTH] = m;
		for (d = MON_GROUP; d < MON__MAX; d++) {
			p->v[d] = -1;
			if (!(need & views[view] & BIT(d)) ||
			    !mon_dim_applies(d, product))
				continue;
			if (*(v = col_text(st, d)) == '\0')
				v = NOT_REPORTED;
			/* Neighbouring cells mostly share their values. */
			if (last[d] != -1 && strcmp(s->d[d].s[last[d]], v) == 0)
				p->v[d] = last[d];
			else if ((p->v[d] = last[d] = dict_add(&s->d[d], v)) ==
			    -1) {
				e = DB_ERROR;
				goto out;
			}
		}
		p->grams = sqlite3_column_int64(st, 7);
		p->cents = sqlite3_column_int64(st, 8);
		/* Kept for the exact rule: a few bytes an importer. */
		len = sqlite3_column_bytes(st, 10);
		if (s->alen + len > s->acap) {
			nc = s->acap ? s->acap : 64 * 1024;
			while (nc < s->alen + len)
				nc *= 2;
			if ((na = realloc(s->arena, nc)) == NULL) {
				e = DB_ERROR;
				goto out;
			}
			s->arena = na;
			s->acap = nc;
		}
		if (len > 0)
			memcpy(s->arena + s->alen, sqlite3_column_blob(st, 10),
			    len);
		p->sh = s->alen;
		p->nsh = len / SHARE_BYTES;
		s->alen += len;
		share_stats(s->arena + p->sh, p->nsh, &p->importers, &p->top);
		s->n++;
	}
	if (rc != SQLITE_DONE)
		e = db_error(db, rc);
out:
	if (st != NULL)
		sqlite3_reset(st);
	if (e != DB_OK)
		scan_free(s);
	return e;
}

/* ----- reading: figures ----- */

#define ALL	(-1)

/* A figure being added up: a row, margin or total, over the whole
 * range or in one month. */
struct fig {
	int		 c[MON_MAX_BY];	/* value per "by" dimension, or ALL */
	int		 m;		/* month, or ALL */
	int64_t		 grams, cents;
	int64_t		 max_imp, sum_imp, max_top, sum_top;
	size_t		 first, nparts;	/* into the pairs */
	enum disc_verdict verdict;
	int		 month_failed;	/* a month of it fails the rule */
};

/* A figure's place in the table: its key beside it, so that a look-up
 * reads one array. */
struct slot {
	uint64_t	 key;
	size_t		 i;		/* index + 1; 0 empty */
};

struct figs {
	struct fig	*f;
	size_t		 n, cap;
	struct slot	*slot;
	size_t		 nslot;
	size_t		*pairs;		/* part indices, grouped by figure */
};

static uint64_t
fig_key(const int *c, int m)
{
	return ((uint64_t)(c[0] + 1) << 42) | ((uint64_t)(c[1] + 1) << 21) |
	    (uint64_t)(m + 1);
}

static uint64_t
mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return k;
}

/* The figure with these coordinates, or -1. */
static long
fig_find(const struct figs *fs, const int *c, int m)
{
	uint64_t	 key = fig_key(c, m);
	size_t		 k;

	if (fs->nslot == 0)
		return -1;
	k = mix(key) & (fs->nslot - 1);
	while (fs->slot[k].i != 0) {
		if (fs->slot[k].key == key)
			return fs->slot[k].i - 1;
		k = (k + 1) & (fs->nslot - 1);
	}
	return -1;
}

/* The figure with these coordinates, added if new; -1 out of memory. */
static long
fig_get(struct figs *fs, const int *c, int m)
{
	struct fig	*nf;
	struct slot	*ns;
	uint64_t	 key = fig_key(c, m);
	size_t		 nn, i, k;
	long		 x;

	if ((x = fig_find(fs, c, m)) != -1)
		return x;
	if (fs->n * 2 >= fs->nslot) {
		nn = fs->nslot ? fs->nslot * 2 : 256;
		if ((ns = calloc(nn, sizeof(*ns))) == NULL)
			return -1;
		for (i = 0; i < fs->nslot; i++) {
			if (fs->slot[i].i == 0)
				continue;
			k = mix(fs->slot[i].key) & (nn - 1);
			while (ns[k].i != 0)
				k = (k + 1) & (nn - 1);
			ns[k] = fs->slot[i];
		}
		free(fs->slot);
		fs->slot = ns;
		fs->nslot = nn;
	}
	if (fs->n == fs->cap) {
		nn = fs->cap ? fs->cap * 2 : 128;
		if ((nf = reallocarray(fs->f, nn, sizeof(*nf))) == NULL)
			return -1;
		fs->f = nf;
		fs->cap = nn;
	}
	nf = &fs->f[fs->n];
	memset(nf, 0, sizeof(*nf));
	nf->c[0] = c[0];
	nf->c[1] = c[1];
	nf->m = m;
	k = mix(key) & (fs->nslot - 1);
	while (fs->slot[k].i != 0)
		k = (k + 1) & (fs->nslot - 1);
	fs->slot[k].key = key;
	fs->slot[k].i = fs->n + 1;
	return fs->n++;
}

static void
figs_free(struct figs *fs)
{
	free(fs->f);
	free(fs->slot);
	free(fs->pairs);
	memset(fs, 0, sizeof(*fs));
}

/*
 * The exact importer rule on a figure: its cells' shares merged, each
 * importer's value added up in acc (indexed by importer id, all 0 on
 * entry and on return).
 */
static void
exact(const struct scan *s, const struct figs *fs, struct fig *f,
    int64_t *acc)
{
	const struct part	*p;
	const unsigned char	*e;
	size_t			 i, j;
	int64_t			 n = 0, top = 0;
	uint32_t		 imp;

	for (i = 0; i < f->nparts; i++) {
		p = &s->p[fs->pairs[f->first + i]];
		for (j = 0, e = s->arena + p->sh; j < p->nsh; j++,
		    e += SHARE_BYTES) {
			imp = share_imp(e);
			if (acc[imp] == 0)
				n++;
			if ((acc[imp] += share_cents(e)) > top)
				top = acc[imp];
		}
	}
	for (i = 0; i < f->nparts; i++) {
		p = &s->p[fs->pairs[f->first + i]];
		for (j = 0, e = s->arena + p->sh; j < p->nsh; j++,
		    e += SHARE_BYTES)
			acc[share_imp(e)] = 0;
	}
	f->verdict = disc_primary_ok(n, top, f->cents) ? DISC_PASS : DISC_FAIL;
}

/* The largest importer id in a scan's shares (ids count from 1). */
static uint32_t
max_importer(const struct scan *s)
{
	size_t		 i;
	uint32_t	 m = 0, v;

	for (i = 0; i + SHARE_BYTES <= s->alen; i += SHARE_BYTES)
		if ((v = share_imp(s->arena + i)) > m)
			m = v;
	return m;
}

/* The values of one "by" dimension present, in answer order. */
struct axis {
	enum mon_dim	 dim;
	int		*v;		/* month index or dict index */
	size_t		 n;
	const struct dict *dict;
};

static const struct dict *sort_dict;

static int
cmp_int(const void *a, const void *b)
{
	int	 x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_dict(const void *a, const void *b)
{
	return strcmp(sort_dict->s[*(const int *)a],
	    sort_dict->s[*(const int *)b]);
}

static int
axis_build(struct axis *ax, enum mon_dim dim, const struct scan *s,
    const size_t *idx, size_t n)
{
	unsigned char	*seen = NULL;
	size_t		 i, lim;
	int		 v, lo = 0, hi = 0;

	memset(ax, 0, sizeof(*ax));
	ax->dim = dim;
	if (n == 0)
		return 0;
	if (dim == MON_MONTH) {
		lo = hi = s->p[idx[0]].v[MON_MONTH];
		for (i = 0; i < n; i++) {
			v = s->p[idx[i]].v[MON_MONTH];
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
		lim = hi - lo + 1;
	} else {
		ax->dict = &s->d[dim];
		lim = s->d[dim].n;
	}
	if ((seen = calloc(lim ? lim : 1, 1)) == NULL ||
	    (ax->v = calloc(lim ? lim : 1, sizeof(int))) == NULL) {
		free(seen);
		return -1;
	}
	for (i = 0; i < n; i++) {
		v = s->p[idx[i]].v[dim];
		if (v < 0)
			continue;
		v -= dim == MON_MONTH ? lo : 0;
		if (!seen[v]) {
			seen[v] = 1;
			ax->v[ax->n++] = v + (dim == MON_MONTH ? lo : 0);
		}
	}
	free(seen);
	if (dim == MON_MONTH)
		qsort(ax->v, ax->n, sizeof(int), cmp_int);
	else {
		sort_dict = ax->dict;
		qsort(ax->v, ax->n, sizeof(int), cmp_dict);
	}
	return 0;
}

/* A figure's state from its own rule. */
static enum disc_state
fig_state(const struct figs *fs, const int *c, int m)
{
	long	 x = fig_find(fs, c, m);

	if (x == -1)
		return DISC_EMPTY;
	return fs->f[x].verdict == DISC_PASS && !fs->f[x].month_failed ?
	    DISC_PUBLISHED : DISC_PRIMARY;
}

static void
fig_out(const struct figs *fs, const int *c, int m, struct mon_fig *o)
{
	long	 x = fig_find(fs, c, m);

	o->grams = x == -1 ? 0 : fs->f[x].grams;
	o->cents = x == -1 ? 0 : fs->f[x].cents;
}

/* A string the result owns; NULL when out of memory. */
static const char *
res_string(struct mon_result *r, const struct axis *ax, int v)
{
	char	 buf[8], **p;
	char	*s;

	if (ax->dim == MON_MONTH) {
		mon_month_format(v, buf);
		s = strdup(buf);
	} else
		s = strdup(ax->dict->s[v]);
	if (s == NULL)
		return NULL;
	if ((p = reallocarray(r->strings, r->nstrings + 1, sizeof(*p))) ==
	    NULL) {
		free(s);
		return NULL;
	}
	r->strings = p;
	r->strings[r->nstrings++] = s;
	return s;
}

/*
 * The answer to "by" over the parts idx[0..n-1] of a scan: every
 * figure summed and checked, then complementary suppression.
 */
static enum db_err
compute(struct db *db, struct scan *s, const size_t *idx, size_t n,
    const enum mon_dim *by, size_t nby, struct mon_result *r)
{
	struct figs	 fs;
	struct axis	 ax[MON_MAX_BY];
	struct disc_cell *cells = NULL, *mar[MON_MAX_BY] = { NULL, NULL };
	struct disc_cell tot;
	struct part	*p;
	struct fig	*f;
	size_t		*cursor = NULL, i, j, a, b, nsub, sub, per;
	int		 k = -1, val[MON_MAX_BY], c[MON_MAX_BY], m;
	long		 x, *fx = NULL;
	int64_t		*acc = NULL;
	enum db_err	 e = DB_ERROR;

	memset(&fs, 0, sizeof(fs));
	memset(ax, 0, sizeof(ax));
	memset(r, 0, sizeof(*r));
	for (i = 0; i < nby; i++)
		if (by[i] == MON_MONTH)
			k = i;
	nsub = (size_t)1 << nby;

	/* Each part adds to every figure it belongs to: each subset of
	 * the "by" values kept, over the range and in its month (once
	 * when month is a "by" dimension: the figure's month is then that
	 * value).  Which figures, each part remembers in fx. */
	per = nsub * (k >= 0 ? 1 : 2);
	if ((fx = calloc(n * per + 1, sizeof(*fx))) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		p = &s->p[idx[i]];
		for (j = 0; j < nby; j++)
			val[j] = p->v[by[j]];
		for (sub = 0; sub < per; sub++) {
			c[0] = c[1] = ALL;
			for (j = 0; j < nby; j++)
				if (sub & ((size_t)1 << j))
					c[j] = val[j];
			if (k >= 0)
				m = c[k];
			else
				m = sub >= nsub ? p->v[MON_MONTH] : ALL;
			if ((x = fig_get(&fs, c, m)) == -1)
				goto out;
			fx[i * per + sub] = x;
			f = &fs.f[x];
			f->grams += p->grams;
			f->cents += p->cents;
			f->sum_imp += p->importers;
			f->sum_top += p->top;
			if (p->importers > f->max_imp)
				f->max_imp = p->importers;
			if (p->top > f->max_top)
				f->max_top = p->top;
			f->nparts++;
		}
	}
	/* The parts of each figure, side by side. */
	if ((cursor = calloc(fs.n + 1, sizeof(*cursor))) == NULL)
		goto out;
	for (i = 0, a = 0; i < fs.n; i++) {
		fs.f[i].first = cursor[i] = a;
		a += fs.f[i].nparts;
	}
	if ((fs.pairs = calloc(a + 1, sizeof(size_t))) == NULL)
		goto out;
	for (i = 0; i < n; i++)
		for (sub = 0; sub < per; sub++)
			fs.pairs[cursor[fx[i * per + sub]]++] = idx[i];

	/* The rule on every figure, exactly where the counts leave it
	 * open; a month that fails fails its range figure too. */
	if ((acc = calloc((size_t)max_importer(s) + 1, sizeof(*acc))) == NULL)
		goto out;
	for (i = 0; i < fs.n; i++) {
		f = &fs.f[i];
		f->verdict = disc_primary_bounds(f->max_imp, f->sum_imp,
		    f->max_top, f->sum_top, f->cents);
		if (f->verdict == DISC_UNSURE)
			exact(s, &fs, f, acc);
	}
	for (i = 0; i < fs.n; i++) {
		f = &fs.f[i];
		if (f->m == ALL || f->verdict == DISC_PASS)
			continue;
		c[0] = f->c[0];
		c[1] = f->c[1];
		if (k >= 0)
			c[k] = ALL;
		if ((x = fig_find(&fs, c, ALL)) != -1)
			fs.f[x].month_failed = 1;
	}

	/* The table, its margins and total. */
	e = DB_ERROR;
	for (i = 0; i < nby; i++)
		if (axis_build(&ax[i], by[i], s, idx, n) == -1)
			goto out;
	c[0] = c[1] = ALL;
	tot.state = fig_state(&fs, c, ALL);
	tot.value = 0;
	fig_out(&fs, c, ALL, &r->total);
	r->total.state = tot.state;
	tot.value = r->total.cents;
	for (i = 0; i < nby; i++) {
		if ((mar[i] = calloc(ax[i].n ? ax[i].n : 1,
		    sizeof(*mar[i]))) == NULL)
			goto out;
		for (j = 0; j < ax[i].n; j++) {
			c[0] = c[1] = ALL;
			c[i] = ax[i].v[j];
			m = k == (int)i ? c[i] : ALL;
			x = fig_find(&fs, c, m);
			mar[i][j].state = fig_state(&fs, c, m);
			mar[i][j].value = x == -1 ? 0 : fs.f[x].cents;
		}
		disc_protect_line(mar[i], ax[i].n, &tot);
	}
	if (nby == 2) {
		if ((cells = calloc(ax[0].n * ax[1].n + 1,
		    sizeof(*cells))) == NULL)
			goto out;
		for (a = 0; a < ax[0].n; a++)
			for (b = 0; b < ax[1].n; b++) {
				c[0] = ax[0].v[a];
				c[1] = ax[1].v[b];
				m = k >= 0 ? c[k] : ALL;
				x = fig_find(&fs, c, m);
				cells[a * ax[1].n + b].state =
				    fig_state(&fs, c, m);
				cells[a * ax[1].n + b].value = x == -1 ? 0 :
				    fs.f[x].cents;
			}
		if (disc_protect_table(cells, ax[0].n, ax[1].n, mar[0],
		    mar[1], &tot) < 0)
			goto out;
	}

	/* Out: the rows (the table, or the one margin), the margins. */
	for (i = 0; i < nby && nby == 2; i++) {
		if ((r->margin[i] = calloc(ax[i].n ? ax[i].n : 1,
		    sizeof(struct mon_fig))) == NULL)
			goto out;
		for (j = 0; j < ax[i].n; j++) {
			struct mon_fig	*o = &r->margin[i][j];

			c[0] = c[1] = ALL;
			c[i] = ax[i].v[j];
			m = k == (int)i ? c[i] : ALL;
			fig_out(&fs, c, m, o);
			o->state = mar[i][j].state;
			if ((o->key[0] = res_string(r, &ax[i], c[i])) == NULL)
				goto out;
			r->nmargin[i]++;
		}
	}
	if (nby == 1) {
		if ((r->rows = calloc(ax[0].n ? ax[0].n : 1,
		    sizeof(*r->rows))) == NULL)
			goto out;
		for (j = 0; j < ax[0].n; j++) {
			struct mon_fig	*o = &r->rows[j];

			c[0] = ax[0].v[j];
			c[1] = ALL;
			fig_out(&fs, c, k == 0 ? c[0] : ALL, o);
			o->state = mar[0][j].state;
			if ((o->key[0] = res_string(r, &ax[0], c[0])) == NULL)
				goto out;
			r->nrows++;
		}
	} else if (nby == 2) {
		if ((r->rows = calloc(ax[0].n * ax[1].n + 1,
		    sizeof(*r->rows))) == NULL)
			goto out;
		for (a = 0; a < ax[0].n; a++)
			for (b = 0; b < ax[1].n; b++) {
				struct mon_fig	*o = &r->rows[r->nrows];

				if (cells[a * ax[1].n + b].state == DISC_EMPTY)
					continue;
				c[0] = ax[0].v[a];
				c[1] = ax[1].v[b];
				fig_out(&fs, c, k >= 0 ? c[k] : ALL, o);
				o->state = cells[a * ax[1].n + b].state;
				/* The margins own the same strings. */
				o->key[0] = r->margin[0][a].key[0];
				o->key[1] = r->margin[1][b].key[0];
				r->nrows++;
			}
	}
	e = DB_OK;
out:
	if (e != DB_OK)
		monitor_result_free(r);
	for (i = 0; i < MON_MAX_BY; i++) {
		free(ax[i].v);
		free(mar[i]);
	}
	free(cells);
	free(cursor);
	free(fx);
	free(acc);
	figs_free(&fs);
	return e;
}

void
monitor_result_free(struct mon_result *r)
{
	size_t	 i;

	for (i = 0; i < r->nstrings; i++)
		free(r->strings[i]);
	free(r->strings);
	free(r->rows);
	for (i = 0; i < MON_MAX_BY; i++)
		free(r->margin[i]);
	memset(r, 0, sizeof(*r));
}

static size_t *
all_parts(const struct scan *s)
{
	size_t	*idx, i;

	if ((idx = calloc(s->n ? s->n : 1, sizeof(*idx))) == NULL)
		return NULL;
	for (i = 0; i < s->n; i++)
		idx[i] = i;
	return idx;
}

enum db_err
monitor_cells(struct db *db, const struct mon_query *q,
    struct mon_result *r)
{
	struct scan	 s;
	size_t		*idx = NULL, i;
	unsigned	 need = 0, bydims = 0;
	enum db_err	 e;

	memset(r, 0, sizeof(*r));
	if (q->nby > MON_MAX_BY || q->product >= PRODUCT__MAX)
		return DB_ERROR;
	for (i = 0; i < q->nby; i++) {
		if (!mon_dim_applies(q->by[i], q->product))
			return DB_ERROR;
		if (q->by[i] != MON_MONTH)
			bydims |= BIT(q->by[i]);
	}
	if (q->group != NULL)
		need |= BIT(MON_GROUP);
	if (q->hts6 != NULL)
		need |= BIT(MON_HTS6);
	if (q->origin != NULL)
		need |= BIT(MON_ORIGIN);
	if ((e = scan_view(db, pick_view(need | bydims), bydims, q->product,
	    q->from, q->to, q->group, q->hts6, q->origin, &s)) != DB_OK)
		return e;
	if ((idx = all_parts(&s)) == NULL)
		e = DB_ERROR;
	else
		e = compute(db, &s, idx, s.n, q->by, q->nby, r);
	free(idx);
	scan_free(&s);
	return e;
}

/* ----- surges ----- */

static int
cmp_surge(const void *a, const void *b)
{
	const struct mon_surge	*x = a, *y = b;
	int64_t			 ix, iy;
	int			 c;

	/* The increase over the average, times 3. */
	ix = x->grams * SURGE_TRAILING_MONTHS - x->trailing_grams;
	iy = y->grams * SURGE_TRAILING_MONTHS - y->trailing_grams;
	if (ix != iy)
		return ix > iy ? -1 : 1;
	if ((c = strcmp(x->month, y->month)) != 0)
		return c;
	if ((c = strcmp(x->group, y->group)) != 0)
		return c;
	return strcmp(x->origin, y->origin);
}

static int
add_surge(struct mon_surge **out, size_t *n, enum product p, int month,
    const char *group, const char *origin, const struct mon_fig *cur,
    int64_t trailing)
{
	struct mon_surge	*ns, *s;

	if ((ns = reallocarray(*out, *n + 1, sizeof(*ns))) == NULL)
		return -1;
	*out = ns;
	s = &ns[*n];
	memset(s, 0, sizeof(*s));
	s->product = p;
	mon_month_format(month, s->month);
	s->group = strdup(group);
	s->origin = strdup(origin);
	s->grams = cur->grams;
	s->cents = cur->cents;
	s->trailing_grams = trailing;
	(*n)++;
	if (s->group == NULL || s->origin == NULL)
		return -1;
	return 0;
}

/* The surges of one product group's table (by month, origin). */
static int
group_surges(const struct mon_result *r, enum product p, const char *group,
    int from, int to, struct mon_surge **out, size_t *n)
{
	const struct mon_fig	**grid = NULL;
	const struct mon_fig	*cur;
	int64_t			 prev[SURGE_TRAILING_MONTHS];
	size_t			 o, no = r->nmargin[1], span, i;
	int			 lo = from - SURGE_TRAILING_MONTHS, t, mo, j;
	int			 rc = -1, ok;

	span = to - lo + 1;
	if ((grid = calloc(no * span + 1, sizeof(*grid))) ==
	    NULL)
		return -1;
	/* Rows point at the margins' strings: find each by address. */
	for (i = 0; i < r->nrows; i++) {
		if (mon_month_parse(r->rows[i].key[0], &mo) == -1 ||
		    mo < lo || mo > to)
			continue;
		for (o = 0; o < no; o++)
			if (r->margin[1][o].key[0] == r->rows[i].key[1])
				break;
		if (o < no)
			grid[o * span + (mo - lo)] = &r->rows[i];
	}
	for (o = 0; o < no; o++)
		for (t = from; t <= to; t++) {
			cur = grid[o * span + (t - lo)];
			if (cur == NULL || cur->state != DISC_PUBLISHED)
				continue;
			ok = 1;
			for (j = 0; j < SURGE_TRAILING_MONTHS; j++) {
				const struct mon_fig *pf =
				    grid[o * span + (t - 1 - j - lo)];

				if (pf != NULL && pf->state != DISC_PUBLISHED)
					ok = 0;
				prev[j] = pf != NULL ? pf->grams : 0;
			}
			if (!ok || !surge_is(cur->grams, prev))
				continue;
			if (add_surge(out, n, p, t, group,
			    r->margin[1][o].key[0], cur, prev[0] + prev[1] +
			    prev[2]) == -1)
				goto out;
		}
	rc = 0;
out:
	free(grid);
	return rc;
}

enum db_err
monitor_surges(struct db *db, enum product product, const char *from,
    const char *to, struct mon_surge **out, size_t *n)
{
	static const enum mon_dim by[2] = { MON_MONTH, MON_ORIGIN };
	struct scan		 s;
	struct mon_result	 r;
	size_t			*idx = NULL, i, ni;
	char			 lo[8];
	int			 f, t, p, g;
	enum db_err		 e = DB_OK;

	*out = NULL;
	*n = 0;
	if (mon_month_parse(from, &f) == -1 || mon_month_parse(to, &t) == -1)
		return DB_ERROR;
	mon_month_format(f - SURGE_TRAILING_MONTHS, lo);
	for (p = 0; p < PRODUCT__MAX && e == DB_OK; p++) {
		if (product != PRODUCT__MAX && product != (enum product)p)
			continue;
		if ((e = scan_view(db, VIEW_SRC, BIT(MON_GROUP) |
		    BIT(MON_ORIGIN), p, lo, to, NULL, NULL, NULL, &s)) !=
		    DB_OK)
			break;
		if ((idx = calloc(s.n ? s.n : 1, sizeof(*idx))) == NULL)
			e = DB_ERROR;
		/* One table per product group, as the cells API answers
		 * by=month,country_of_origin&product_group=G. */
		for (g = 0; e == DB_OK && (size_t)g < s.d[MON_GROUP].n; g++) {
			for (i = 0, ni = 0; i < s.n; i++)
				if (s.p[i].v[MON_GROUP] == g)
					idx[ni++] = i;
			if ((e = compute(db, &s, idx, ni, by, 2, &r)) != DB_OK)
				break;
			if (group_surges(&r, p, s.d[MON_GROUP].s[g], f, t, out,
			    n) == -1)
				e = DB_ERROR;
			monitor_result_free(&r);
		}
		free(idx);
		idx = NULL;
		scan_free(&s);
	}
	if (e != DB_OK) {
		monitor_surges_free(*out, *n);
		*out = NULL;
		*n = 0;
		return e;
	}
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), cmp_surge);
	return DB_OK;
}

void
monitor_surges_free(struct mon_surge *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(s[i].group);
		free(s[i].origin);
	}
	free(s);
}

/* ----- meta ----- */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The dictionary's strings, sorted, moved into a list. */
static void
take_values(struct dict *d, char ***out, size_t *n)
{
	*out = d->s;
	*n = d->n;
	if (d->n > 1)
		qsort(d->s, d->n, sizeof(*d->s), cmp_str);
	d->s = NULL;
	d->n = d->cap = 0;
}

/* What meta takes from each view: the rest the others give. */
static const unsigned meta_dims[VIEW__MAX] = {
	[VIEW_FULL] = BIT(MON_HTS6),
	[VIEW_SRC] = BIT(MON_MONTH) | BIT(MON_GROUP) | BIT(MON_ORIGIN) |
	    BIT(MON_SMELT) | BIT(MON_CAST) | BIT(MON_MELT),
};

enum db_err
monitor_meta(struct db *db, unsigned dims, struct mon_meta *mm)
{
	sqlite3_stmt		*st = NULL;
	struct mon_meta_product	*mp;
	struct dict		 d[MON__MAX];
	unsigned char		 seen[MON_MAX_MONTHS * 50];
	const char		*val;
	int64_t			 gen;
	int			 p, k, v, m, rc, view, lo = 1970 * 12;
	char			 buf[8], **np;
	enum db_err		 e;

	memset(mm, 0, sizeof(*mm));
	memset(d, 0, sizeof(d));
	if ((e = monitor_state(db, &gen, mm->updated_at)) != DB_OK)
		return e;
	for (p = 0; p < PRODUCT__MAX; p++) {
		mp = &mm->p[p];
		memset(seen, 0, sizeof(seen));
		for (view = 0; view < VIEW__MAX; view++) {
			if ((meta_dims[view] & dims) == 0)
				continue;
			st = db_stmt(db, ST_MON_META_SCAN);
			db_bind_int(st, 1, view);
			db_bind_text(st, 2, product_names[p]);
			while ((rc = db_step(db, st)) == SQLITE_ROW) {
				if ((meta_dims[view] & dims & BIT(MON_MONTH)) &&
				    mon_month_parse(col_text(st, 1), &m) == 0 &&
				    m - lo >= 0 &&
				    (size_t)(m - lo) < sizeof(seen))
					seen[m - lo] = 1;
				for (k = MON_GROUP; k < MON__MAX; k++) {
					if ((meta_dims[view] & dims &
					    BIT(k)) == 0 ||
					    !mon_dim_applies(k, p))
						continue;
					val = col_text(st, k + 1);
					if (dict_add(&d[k], *val ? val :
					    NOT_REPORTED) == -1) {
						e = DB_ERROR;
						goto fail;
					}
				}
			}
			if (st != NULL)
				sqlite3_reset(st);
			st = NULL;
			if (rc != SQLITE_DONE) {
				e = db_error(db, rc);
				goto fail;
			}
		}
		for (v = 0; (size_t)v < sizeof(seen); v++) {
			if (!seen[v])
				continue;
			np = reallocarray(mp->months, mp->nmonths + 1,
			    sizeof(*np));
			if (np == NULL) {
				e = DB_ERROR;
				goto fail;
			}
			mp->months = np;
			mon_month_format(v + lo, buf);
			if ((mp->months[mp->nmonths] = strdup(buf)) == NULL) {
				e = DB_ERROR;
				goto fail;
			}
			mp->nmonths++;
		}
		for (k = MON_GROUP; k < MON__MAX; k++) {
			take_values(&d[k], &mp->values[k], &mp->nvalues[k]);
			dict_free(&d[k]);
		}
	}
	return DB_OK;
fail:
	if (st != NULL)
		sqlite3_reset(st);
	for (k = 0; k < MON__MAX; k++)
		dict_free(&d[k]);
	monitor_meta_free(mm);
	return e;
}

void
monitor_meta_free(struct mon_meta *mm)
{
	size_t	 i;
	int	 p, d;

	for (p = 0; p < PRODUCT__MAX; p++) {
		for (i = 0; i < mm->p[p].nmonths; i++)
			free(mm->p[p].months[i]);
		free(mm->p[p].months);
		for (d = 0; d < MON__MAX; d++) {
			for (i = 0; i < mm->p[p].nvalues[d]; i++)
				free(mm->p[p].values[d][i]);
			free(mm->p[p].values[d]);
		}
	}
	memset(mm, 0, sizeof(*mm));
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
	    (views[view] & BIT(MON_GROUP)) ? v[MON_GROUP] : "",
	    (views[view] & BIT(MON_HTS6)) ? v[MON_HTS6] : "",
	    (views[view] & BIT(MON_ORIGIN)) ? v[MON_ORIGIN] : "",
	    (views[view] & BIT(MON_SMELT)) ? v[MON_SMELT] : "",
	    (views[view] & BIT(MON_CAST)) ? v[MON_CAST] : "",
	    (views[view] & BIT(MON_MELT)) ? v[MON_MELT] : "") == -1)
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
		v[MON_ORIGIN] = col_text(st, 3);
		v[MON_GROUP] = col_text(st, 4);
		v[MON_HTS6] = col_text(st, 5);
		v[MON_SMELT] = col_text(st, 6);
		v[MON_CAST] = col_text(st, 7);
		v[MON_MELT] = col_text(st, 8);
		disc_importer_key(col_text(st, 2), key, sizeof(key));
		for (view = 0; view < VIEW__MAX; view++) {
			if (views[view] == 0)
				continue;
			if ((r = rc_add(ex)) == NULL ||
			    (r->cell = cell_key(view, col_text(st, 0),
			    col_text(st, 1), v)) == NULL ||
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
		if ((key[id - 1] = strdup(col_text(st, 1))) == NULL)
			goto out;
	}
	if (st != NULL)
		sqlite3_reset(st);
	st = db_stmt(db, ST_MON_ALL_CELLS);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		for (d = MON_GROUP; d < MON__MAX; d++)
			v[d] = col_text(st, 2 + d);
		if ((r = rc_add(out)) == NULL || (r->cell = cell_key(
		    sqlite3_column_int(st, 0), col_text(st, 1),
		    col_text(st, 2), v)) == NULL)
			goto out;
		r->grams = sqlite3_column_int64(st, 9);
		r->cents = sqlite3_column_int64(st, 10);
		r->lines = sqlite3_column_int64(st, 11);
		sh = sqlite3_column_blob(st, 12);
		n = sqlite3_column_bytes(st, 12) / SHARE_BYTES;
		share_stats(sh, n, &r->importers, &r->top);
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
