/*
 * The public monitor's aggregates (DOMAIN.md section 10), read from the
 * roll-ups db/monitor.c keeps, with disclosure control.
 *
 * A question (product, dimensions, filters, months) is answered from
 * its month figures: in each month, every cell of the question's
 * dimensions other than month and every sum of such cells (by one
 * dimension, the month's total), each with its importers' values
 * merged.  The process keeps them, per question without its range,
 * until a license change touches their month: the event log tells
 * which licenses changed since it last looked, and their versions
 * which months.  An answer then adds up a few hundred month figures
 * rather than scanning and summing thousands of roll-up cells; only the
 * months it lacks are read from the roll-ups, in one read transaction
 * with the look at the event log, so that every month it adds up is
 * the month as the database holds it.
 *
 * A figure over several months must pass the importer rule in each
 * month too.  Whether a sum of month figures passes is mostly clear
 * from their own counts (forms/disclosure.c, disc_primary_bounds); only
 * when it is not are their importers' values merged.  Complementary
 * suppression runs on the whole answer, each time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forms/disclosure.h"
#include "forms/surge.h"
#include "monitor_int.h"

/* Smallest first: the order a query looks for its view in. */
static const enum view read_order[] = {
	VIEW_SRC, VIEW_FULL,
};

/*
 * What the process keeps.  Month figures of questions asked before, up
 * to a size (the least recently asked question goes first), and for as
 * long as the event log can say which months changed: a process that
 * finds more than MON_KEEP_EVENTS changes since it last looked starts
 * again rather than read them all.
 */
#define MON_KEEP_BYTES		(48 * 1024 * 1024)
#define MON_KEEP_QUESTIONS	256
#define MON_KEEP_EVENTS		2000

#define ALL	(-1)

/* ----- strings ----- */

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


/* ----- figures ----- */

/* A figure being added up: a row, margin or total, over the whole
 * range or in one month. */
struct fig {
	int		 c[MON_MAX_BY];	/* value per "by" dimension, or ALL */
	int		 m;		/* month, or ALL */
	int64_t		 grams, cents;
	int64_t		 max_imp, sum_imp, max_top, sum_top;
	size_t		 first, nparts;	/* into the pieces */
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
	size_t		*pairs;		/* what each figure sums, grouped
					 * by figure */
	/* Tables of the usual size: each figure's index + 1 by its
	 * coordinates, c[i] ALL or lo[i] .. lo[i] + w[i] - 2, in place
	 * of the hash (the month, when kept, is then one of them). */
	uint32_t	*dense;
	size_t		 w[MON_MAX_BY];
	int		 lo[MON_MAX_BY];
};

#define DENSE_MAX	(1u << 22)

/* Looks figures up by their place (when the table is not too large). */
static void
figs_dense(struct figs *fs, const size_t *w, const int *lo)
{
	size_t	 i;

	if (w[0] > DENSE_MAX || w[1] > DENSE_MAX / w[0] ||
	    (fs->dense = calloc(w[0] * w[1], sizeof(*fs->dense))) == NULL)
		return;
	for (i = 0; i < MON_MAX_BY; i++) {
		fs->w[i] = w[i];
		fs->lo[i] = lo[i];
	}
}

static size_t
dense_at(const struct figs *fs, const int *c)
{
	return (size_t)(c[0] == ALL ? 0 : c[0] - fs->lo[0] + 1) * fs->w[1] +
	    (size_t)(c[1] == ALL ? 0 : c[1] - fs->lo[1] + 1);
}

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

	if (fs->dense != NULL)
		return (long)fs->dense[dense_at(fs, c)] - 1;
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
	if (fs->dense == NULL && fs->n * 2 >= fs->nslot) {
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
	if (fs->dense != NULL) {
		fs->dense[dense_at(fs, c)] = fs->n + 1;
		return fs->n++;
	}
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
	free(fs->dense);
	memset(fs, 0, sizeof(*fs));
}


/* ----- month figures ----- */

/* An importer's value in a month figure. */
struct mshare {
	uint32_t	 imp;
	int64_t		 cents;
};

/* A figure of one month: its values of the question's dimensions
 * other than month (ALL where summed over), its sums and exact
 * importer counts. */
struct mfig {
	int		 c[MON_MAX_BY];
	int64_t		 grams, cents, importers, top;
	size_t		 sh, nsh;	/* its importers, in the month's */
};

struct mmonth {
	int		 month;
	struct mfig	*f;
	size_t		 nf;
	struct mshare	*sh;
	size_t		 nsh;
	uint32_t	 maximp;	/* the largest importer id */
};

struct touched {
	int		 month;
	uint64_t	 tick;
};

/* A question without its range: its product, dimensions other than
 * month (in enum order) and filters, and its month figures so far. */
struct sig {
	enum product	 product;
	enum view	 view;
	size_t		 ndim;
	enum mon_dim	 dim[MON_MAX_BY];
	char		*group, *hts6, *origin;	/* NULL: any */
	struct dict	 d[MON_MAX_BY];	/* the values of dim[] */
	struct mmonth	*m;		/* ordered by month */
	size_t		 nm, cap;
	size_t		 bytes;
	uint64_t	 used;
};

struct mcache {
	struct sig	**sig;
	size_t		  nsig;
	size_t		  bytes;
	uint64_t	  clock;
	/* What the months were read at: mon_state's generation (a rebuild
	 * changes everything) and the last event. */
	int64_t		  generation, event;
	/* What changed, for answers kept elsewhere (monitor_stamp): a
	 * tick at every forgetting, the tick that forgot everything and
	 * that of each month forgotten since. */
	uint64_t	  tick, base;
	struct touched	 *touched;
	size_t		  ntouched;
	int		  marked;
};

/* The process's: answers of a connection that is not inside a
 * transaction of its own. */
static struct mcache	 kept;

static void
month_free(struct mmonth *mm)
{
	free(mm->f);
	free(mm->sh);
	memset(mm, 0, sizeof(*mm));
}

static size_t
month_bytes(const struct mmonth *mm)
{
	return sizeof(*mm) + mm->nf * sizeof(*mm->f) +
	    mm->nsh * sizeof(*mm->sh);
}

static void
sig_free(struct sig *g)
{
	size_t	 i;

	if (g == NULL)
		return;
	for (i = 0; i < g->nm; i++)
		month_free(&g->m[i]);
	free(g->m);
	for (i = 0; i < MON_MAX_BY; i++)
		dict_free(&g->d[i]);
	free(g->group);
	free(g->hts6);
	free(g->origin);
	free(g);
}

/* Forgets every month kept (not whose connection it is). */
static void
cache_clear(struct mcache *c)
{
	size_t	 i;

	for (i = 0; i < c->nsig; i++)
		sig_free(c->sig[i]);
	free(c->sig);
	c->sig = NULL;
	c->nsig = 0;
	c->bytes = 0;
	c->marked = 0;
	free(c->touched);
	c->touched = NULL;
	c->ntouched = 0;
	c->base = ++c->tick;
}

/* Month m changed: a new tick for it. */
static void
touch_month(struct mcache *c, int m)
{
	struct touched	*nt;
	size_t		 i;

	for (i = 0; i < c->ntouched && c->touched[i].month != m; i++)
		continue;
	if (i == c->ntouched) {
		if ((nt = reallocarray(c->touched, c->ntouched + 1,
		    sizeof(*nt))) == NULL) {
			/* Then everything counts as changed. */
			c->base = ++c->tick;
			return;
		}
		c->touched = nt;
		c->touched[c->ntouched++].month = m;
	}
	c->touched[i].tick = ++c->tick;
}

/* Where month m is (or would go) among a question's months. */
static size_t
month_find(const struct sig *g, int m, int *found)
{
	size_t	 lo = 0, hi = g->nm, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (g->m[mid].month < m)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < g->nm && g->m[lo].month == m;
	return lo;
}

/* Forgets month m of every question (a license change touched it). */
static void
cache_drop_month(struct mcache *c, int m)
{
	struct sig	*g;
	size_t		 i, k, b;
	int		 found;

	touch_month(c, m);
	for (i = 0; i < c->nsig; i++) {
		g = c->sig[i];
		k = month_find(g, m, &found);
		if (!found)
			continue;
		b = month_bytes(&g->m[k]);
		g->bytes -= b;
		c->bytes -= b;
		month_free(&g->m[k]);
		memmove(&g->m[k], &g->m[k + 1], (g->nm - k - 1) *
		    sizeof(*g->m));
		g->nm--;
	}
}

static int
same_filter(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static enum view
pick_view(unsigned need)
{
	size_t	 i;

	for (i = 0; i < NELEM(read_order); i++)
		if ((mon_views[read_order[i]] & need) == need)
			return read_order[i];
	return VIEW_FULL;
}

/* The question's entry, made if new (NULL when out of memory).  dims:
 * its dimensions other than month. */
static struct sig *
sig_get(struct mcache *c, enum product p, unsigned dims, const char *group,
    const char *hts6, const char *origin)
{
	struct sig	*g, **ns;
	unsigned	 need = dims;
	size_t		 i;
	int		 d;

	for (i = 0; i < c->nsig; i++) {
		g = c->sig[i];
		if (g->product != p || same_filter(g->group, group) == 0 ||
		    same_filter(g->hts6, hts6) == 0 ||
		    same_filter(g->origin, origin) == 0)
			continue;
		for (d = 0, need = 0; (size_t)d < g->ndim; d++)
			need |= BIT(g->dim[d]);
		if (need == dims) {
			g->used = ++c->clock;
			return g;
		}
	}
	if ((g = calloc(1, sizeof(*g))) == NULL)
		return NULL;
	g->product = p;
	for (d = MON_GROUP; d < MON__MAX; d++)
		if (dims & BIT(d))
			g->dim[g->ndim++] = d;
	need = dims | (group != NULL ? BIT(MON_GROUP) : 0) |
	    (hts6 != NULL ? BIT(MON_HTS6) : 0) |
	    (origin != NULL ? BIT(MON_ORIGIN) : 0);
	g->view = pick_view(need);
	g->used = ++c->clock;
	if ((group != NULL && (g->group = strdup(group)) == NULL) ||
	    (hts6 != NULL && (g->hts6 = strdup(hts6)) == NULL) ||
	    (origin != NULL && (g->origin = strdup(origin)) == NULL) ||
	    (ns = reallocarray(c->sig, c->nsig + 1, sizeof(*ns))) == NULL) {
		sig_free(g);
		return NULL;
	}
	c->sig = ns;
	c->sig[c->nsig++] = g;
	return g;
}

/* Keeps within MON_KEEP_BYTES and MON_KEEP_QUESTIONS, the least
 * recently asked going first. */
static void
cache_trim(struct mcache *c)
{
	size_t	 i, old;

	while (c->nsig > 1 && (c->bytes > MON_KEEP_BYTES ||
	    c->nsig > MON_KEEP_QUESTIONS)) {
		for (i = 1, old = 0; i < c->nsig; i++)
			if (c->sig[i]->used < c->sig[old]->used)
				old = i;
		c->bytes -= c->sig[old]->bytes;
		sig_free(c->sig[old]);
		c->sig[old] = c->sig[--c->nsig];
	}
}

/* ----- month figures: made from the roll-ups ----- */

/* A roll-up cell, as month figures are made of it. */
struct part {
	int		 month;
	int		 c[MON_MAX_BY];	/* the question's dict indices */
	int64_t		 grams, cents;
	size_t		 sh, nsh;	/* its shares column, in the arena */
};

struct parts {
	struct part	*p;
	size_t		 n, cap;
	unsigned char	*arena;		/* the shares columns */
	size_t		 alen, acap;
	uint32_t	 maximp;	/* the largest importer id */
};

static void
parts_free(struct parts *ps)
{
	free(ps->p);
	free(ps->arena);
	memset(ps, 0, sizeof(*ps));
}

/* The roll-up cells of months from..to that pass the question's
 * filters, with their values of its dimensions. */
static enum db_err
scan(struct db *db, struct sig *g, int from, int to, struct parts *ps)
{
	sqlite3_stmt	*st;
	struct part	*p;
	unsigned char	*na;
	const char	*v;
	char		 f[8], t[8];
	size_t		 nc, len, i;
	int		 rc, d, m, last[MON_MAX_BY] = { -1, -1 }, filtered;
	enum db_err	 e = DB_OK;

	mon_month_format(from, f);
	mon_month_format(to, t);
	filtered = g->group != NULL || g->hts6 != NULL || g->origin != NULL;
	st = db_stmt(db, filtered ? ST_MON_SCAN : ST_MON_SCAN_ALL);
	db_bind_int(st, 1, g->view);
	db_bind_text(st, 2, product_names[g->product]);
	db_bind_text(st, 3, f);
	db_bind_text(st, 4, t);
	if (filtered) {
		db_bind_text(st, 5, g->group);
		db_bind_text(st, 6, g->hts6);
		db_bind_text(st, 7, g->origin);
	}
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		if (mon_month_parse(mon_col_text(st, 0), &m) == -1 ||
		    m < from || m > to)
			continue;
		if (ps->n == ps->cap) {
			nc = ps->cap ? ps->cap * 2 : 1024;
			if ((p = reallocarray(ps->p, nc, sizeof(*p))) == NULL) {
				e = DB_ERROR;
				goto out;
			}
			ps->p = p;
			ps->cap = nc;
		}
		p = &ps->p[ps->n];
		memset(p, 0, sizeof(*p));
		p->month = m;
		p->c[0] = p->c[1] = ALL;
		for (d = 0; (size_t)d < g->ndim; d++) {
			if (*(v = mon_col_text(st, g->dim[d])) == '\0')
				v = NOT_REPORTED;
			/* Neighbouring cells mostly share their values. */
			if (last[d] != -1 && strcmp(g->d[d].s[last[d]], v) == 0)
				p->c[d] = last[d];
			else if ((p->c[d] = last[d] = dict_add(&g->d[d], v)) ==
			    -1) {
				e = DB_ERROR;
				goto out;
			}
		}
		p->grams = sqlite3_column_int64(st, 7);
		p->cents = sqlite3_column_int64(st, 8);
		len = sqlite3_column_bytes(st, 10);
		len -= len % SHARE_BYTES;
		if (ps->alen + len > ps->acap) {
			nc = ps->acap ? ps->acap : 64 * 1024;
			while (nc < ps->alen + len)
				nc *= 2;
			if ((na = realloc(ps->arena, nc)) == NULL) {
				e = DB_ERROR;
				goto out;
			}
			ps->arena = na;
			ps->acap = nc;
		}
		if (len > 0)
			memcpy(ps->arena + ps->alen,
			    sqlite3_column_blob(st, 10), len);
		p->sh = ps->alen;
		p->nsh = len / SHARE_BYTES;
		ps->alen += len;
		ps->n++;
	}
	if (rc != SQLITE_DONE)
		e = db_error(db, rc);
	/* The largest importer id, what merging importers' values
	 * needs room for. */
	for (i = 0; e == DB_OK && i + SHARE_BYTES <= ps->alen;
	    i += SHARE_BYTES)
		if (share_imp(ps->arena + i) > ps->maximp)
			ps->maximp = share_imp(ps->arena + i);
out:
	if (st != NULL)
		sqlite3_reset(st);
	return e;
}

static int
cmp_mfig(const void *a, const void *b)
{
	const struct mfig	*x = a, *y = b;

	if (x->c[0] != y->c[0])
		return x->c[0] < y->c[0] ? -1 : 1;
	return x->c[1] < y->c[1] ? -1 : x->c[1] > y->c[1];
}

/*
 * One month's figures from its cells idx[0..n-1]: each cell adds to
 * every sum of it (each subset of the dimensions kept), and each
 * figure's importers are merged in acc (indexed by importer id, all 0
 * on entry and on return; seen has room for every importer).
 */
static enum db_err
month_make(const struct parts *ps, const size_t *idx, size_t n,
    size_t ndim, const size_t *dn, int64_t *acc, uint32_t *seen,
    struct mmonth *mm)
{
	struct figs	 fs;
	struct fig	*f;
	struct mfig	*o;
	struct mshare	*ms;
	const struct part *p;
	const unsigned char *e;
	size_t		*cursor = NULL, i, j, a, nsub = (size_t)1 << ndim, sub;
	size_t		 nsh = 0, ns, k, w[MON_MAX_BY];
	long		 x, *fx = NULL;
	int		 c[MON_MAX_BY], lo[MON_MAX_BY];
	uint32_t	 imp;
	enum db_err	 err = DB_ERROR;

	memset(&fs, 0, sizeof(fs));
	if (n == 0)
		return DB_OK;
	for (j = 0; j < MON_MAX_BY; j++) {
		w[j] = j < ndim ? dn[j] + 1 : 1;
		lo[j] = 0;
	}
	figs_dense(&fs, w, lo);
	if ((fx = calloc(n * nsub, sizeof(*fx))) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		p = &ps->p[idx[i]];
		for (sub = 0; sub < nsub; sub++) {
			c[0] = c[1] = ALL;
			for (j = 0; j < ndim; j++)
				if (sub & ((size_t)1 << j))
					c[j] = p->c[j];
			if ((x = fig_get(&fs, c, ALL)) == -1)
				goto out;
			fx[i * nsub + sub] = x;
			f = &fs.f[x];
			f->grams += p->grams;
			f->cents += p->cents;
			f->nparts++;
			nsh += p->nsh;
		}
	}
	if ((cursor = calloc(fs.n + 1, sizeof(*cursor))) == NULL ||
	    (fs.pairs = calloc(n * nsub, sizeof(size_t))) == NULL ||
	    (mm->f = calloc(fs.n, sizeof(*mm->f))) == NULL ||
	    (mm->sh = calloc(nsh + 1, sizeof(*mm->sh))) == NULL)
		goto out;
	for (i = 0, a = 0; i < fs.n; i++) {
		fs.f[i].first = cursor[i] = a;
		a += fs.f[i].nparts;
	}
	for (i = 0; i < n * nsub; i++)
		fs.pairs[cursor[fx[i]]++] = idx[i / nsub];
	for (i = 0; i < fs.n; i++) {
		f = &fs.f[i];
		o = &mm->f[i];
		o->c[0] = f->c[0];
		o->c[1] = f->c[1];
		o->grams = f->grams;
		o->cents = f->cents;
		for (j = 0, ns = 0; j < f->nparts; j++) {
			p = &ps->p[fs.pairs[f->first + j]];
			for (k = 0, e = ps->arena + p->sh; k < p->nsh; k++,
			    e += SHARE_BYTES) {
				imp = share_imp(e);
				if (acc[imp] == 0)
					seen[ns++] = imp;
				acc[imp] += share_cents(e);
			}
		}
		o->sh = mm->nsh;
		o->nsh = ns;
		o->importers = ns;
		for (k = 0; k < ns; k++) {
			imp = seen[k];
			if (acc[imp] > o->top)
				o->top = acc[imp];
			if (imp > mm->maximp)
				mm->maximp = imp;
			mm->sh[mm->nsh].imp = imp;
			mm->sh[mm->nsh++].cents = acc[imp];
			acc[imp] = 0;
		}
	}
	mm->nf = fs.n;
	/* In order of their values: an answer that picks the figures of
	 * one value of the first dimension finds them side by side. */
	qsort(mm->f, mm->nf, sizeof(*mm->f), cmp_mfig);
	/* Merged, the importers take less room than the cells' shares. */
	if ((ms = reallocarray(mm->sh, mm->nsh + 1, sizeof(*ms))) != NULL)
		mm->sh = ms;
	err = DB_OK;
out:
	free(fx);
	free(cursor);
	figs_free(&fs);
	return err;
}

/* Reads and makes months from..to of a question, none of them kept:
 * they go in at *at. */
static enum db_err
months_read(struct db *db, struct mcache *c, struct sig *g, int from,
    int to, size_t at)
{
	struct parts	 ps;
	struct mmonth	*nm, *mm;
	size_t		*idx = NULL, *start = NULL, i, span = to - from + 1, b;
	size_t		 dn[MON_MAX_BY];
	int64_t		*acc = NULL;
	uint32_t	*seen = NULL;
	enum db_err	 e;

	memset(&ps, 0, sizeof(ps));
	if ((e = scan(db, g, from, to, &ps)) != DB_OK)
		goto out;
	e = DB_ERROR;
	if (g->nm + span > g->cap) {
		b = g->cap ? g->cap : 16;
		while (b < g->nm + span)
			b *= 2;
		if ((nm = reallocarray(g->m, b, sizeof(*nm))) == NULL)
			goto out;
		g->m = nm;
		g->cap = b;
	}
	/* The cells by month (the scan reads them so, but need not). */
	if ((idx = calloc(ps.n + 1, sizeof(*idx))) == NULL ||
	    (start = calloc(span + 1, sizeof(*start))) == NULL ||
	    (acc = calloc((size_t)ps.maximp + 1, sizeof(*acc))) == NULL ||
	    (seen = calloc((size_t)ps.maximp + 1, sizeof(*seen))) == NULL)
		goto out;
	for (i = 0; i < ps.n; i++)
		start[ps.p[i].month - from + 1]++;
	for (i = 1; i <= span; i++)
		start[i] += start[i - 1];
	for (i = 0; i < ps.n; i++)
		idx[start[ps.p[i].month - from]++] = i;
	/* start[k] is now where month k + 1 begins. */
	for (i = 0; i < MON_MAX_BY; i++)
		dn[i] = g->d[i].n;
	memmove(&g->m[at + span], &g->m[at], (g->nm - at) * sizeof(*g->m));
	memset(&g->m[at], 0, span * sizeof(*g->m));
	g->nm += span;
	for (i = 0; i < span; i++) {
		mm = &g->m[at + i];
		mm->month = from + i;
		b = i == 0 ? 0 : start[i - 1];
		if (month_make(&ps, idx + b, start[i] - b, g->ndim, dn, acc,
		    seen, mm) != DB_OK) {
			/* Out of memory: take the months out again. */
			for (b = 0; b < span; b++)
				month_free(&g->m[at + b]);
			memmove(&g->m[at], &g->m[at + span], (g->nm - at -
			    span) * sizeof(*g->m));
			g->nm -= span;
			goto out;
		}
	}
	for (i = 0; i < span; i++) {
		b = month_bytes(&g->m[at + i]);
		g->bytes += b;
		c->bytes += b;
	}
	e = DB_OK;
out:
	free(idx);
	free(start);
	free(acc);
	free(seen);
	parts_free(&ps);
	return e;
}

/* Makes sure a question has every month from..to. */
static enum db_err
months_fill(struct db *db, struct mcache *c, struct sig *g, int from,
    int to)
{
	size_t	 k;
	int	 m = from, end, found;
	enum db_err e;

	while (m <= to) {
		k = month_find(g, m, &found);
		if (found) {
			m++;
			continue;
		}
		/* Missing from m up to the next kept month. */
		end = k < g->nm && g->m[k].month <= to ? g->m[k].month - 1 :
		    to;
		if ((e = months_read(db, c, g, m, end, k)) != DB_OK)
			return e;
		m = end + 1;
	}
	return DB_OK;
}

/* ----- month figures: kept in step with the database ----- */

static void
forget_kept(void)
{
	cache_clear(&kept);
}

/* The kept months are the connection's that read them, so that months
 * read through a connection since closed never answer for another. */
static struct db_keeper	 keeper = { "mon_keep_owner", forget_kept, NULL,
			    NULL, NULL };

void
monitor_keep_for_fork(struct db *db)
{
	db_keeper_bequeath(db, &keeper);
}

/* Forgets the kept months a license change touched since they were
 * read: all of them after a rebuild or too many changes. */
static enum db_err
cache_sync(struct db *db)
{
	sqlite3_stmt	*st;
	int64_t		 gen = 0, ev = 0;
	int		 rc, m;
	enum db_err	 e = DB_OK;

	st = db_stmt(db, ST_MON_MARKS);
	if ((rc = db_step(db, st)) == SQLITE_ROW) {
		gen = sqlite3_column_int64(st, 0);
		ev = sqlite3_column_int64(st, 1);
	}
	if (st != NULL)
		sqlite3_reset(st);
	if (rc != SQLITE_ROW) {
		cache_clear(&kept);
		return db_error(db, rc == SQLITE_DONE ? SQLITE_ERROR : rc);
	}
	if (!kept.marked || gen != kept.generation || ev < kept.event ||
	    ev - kept.event > MON_KEEP_EVENTS)
		cache_clear(&kept);
	else if (ev > kept.event) {
		st = db_stmt(db, ST_MON_TOUCHED);
		db_bind_int(st, 1, kept.event);
		db_bind_int(st, 2, ev);
		while ((rc = db_step(db, st)) == SQLITE_ROW)
			if (mon_month_parse(mon_col_text(st, 0), &m) == 0)
				cache_drop_month(&kept, m);
			else	/* not a month: nothing kept is sure */
				cache_clear(&kept);
		if (st != NULL)
			sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			cache_clear(&kept);
			return db_error(db, rc);
		}
	}
	kept.generation = gen;
	kept.event = ev;
	kept.marked = 1;
	return e;
}

/*
 * The month figures to answer from.  Outside a transaction: the kept
 * ones, in step with the database, inside a read transaction this
 * opens (*began) so that the months read now are the state it saw.
 * Inside the caller's transaction (whose changes may yet roll back):
 * fresh ones, in tmp, forgotten after the answer.
 */
static enum db_err
cache_open(struct db *db, struct mcache *tmp, struct mcache **c,
    int *began)
{
	enum db_err	 e;

	memset(tmp, 0, sizeof(*tmp));
	*c = tmp;
	*began = 0;
	if (sqlite3_get_autocommit(db->h) == 0)
		return DB_OK;
	if ((e = db_exec_stmt(db, db_stmt(db, ST_MON_READ))) != DB_OK)
		return e;
	*began = 1;
	if (db_keeper_own(db, &keeper) == -1)
		return DB_OK;
	if ((e = cache_sync(db)) != DB_OK) {
		db_abort(db);
		*began = 0;
		return e;
	}
	*c = &kept;
	return DB_OK;
}

static void
cache_close(struct db *db, struct mcache *c, int began)
{
	if (c != &kept)
		cache_clear(c);
	else
		cache_trim(c);
	if (began && db_exec_stmt(db, db_stmt(db, ST_COMMIT)) != DB_OK)
		db_abort(db);
}

enum db_err
monitor_stamp(struct db *db, const char *from, const char *to,
    uint64_t *stamp)
{
	struct mcache	 tmp, *c;
	size_t		 i;
	int		 f, t, began;
	enum db_err	 e;

	*stamp = 0;
	if (mon_month_parse(from, &f) == -1 || mon_month_parse(to, &t) == -1)
		return DB_ERROR;
	if ((e = cache_open(db, &tmp, &c, &began)) != DB_OK)
		return e;
	if (c == &kept) {
		*stamp = kept.base;
		for (i = 0; i < kept.ntouched; i++)
			if (kept.touched[i].month >= f &&
			    kept.touched[i].month <= t &&
			    kept.touched[i].tick > *stamp)
				*stamp = kept.touched[i].tick;
	}
	cache_close(db, c, began);
	return DB_OK;
}

/* ----- answers ----- */

/* A month figure as a range figure adds it up: its importers. */
struct piece {
	const struct mshare	*sh;
	size_t			 nsh;
};

/* Which month figures an answer takes: those whose dimension dim[pos]
 * has value val (pos -1: all). */
struct pick {
	int	 pos, val;
};

static const struct pick all_figures = { -1, ALL };

/* Where the figures a pick takes begin in a month (ordered by their
 * first dimension's value). */
static size_t
pick_first(const struct mmonth *mm, struct pick pk)
{
	size_t	 lo = 0, hi = mm->nf, mid;

	if (pk.pos != 0)
		return 0;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (mm->f[mid].c[0] < pk.val)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Every figure of an answer by "by" over months from..to of a question
 * (all kept): the month figures as they are (when month is a "by"
 * dimension) and their sums over the range, each with its verdict;
 * a month that fails the rule fails its range figure too.
 */
static enum db_err
gather(const struct sig *g, const enum mon_dim *by, size_t nby,
    struct pick pk, int from, int to, struct figs *fs)
{
	const struct mmonth	*mm;
	const struct mfig	*mf;
	struct piece		*pc = NULL;
	struct fig		*f, *y;
	size_t			 pos[MON_MAX_BY] = { 0, 0 }, i, j, a, n = 0, npc;
	size_t			*cursor = NULL;
	size_t			 w[MON_MAX_BY];
	long			 x, *fx = NULL;
	int64_t			*acc = NULL, top, imps;
	uint32_t		 maximp = 0;
	int			 c[MON_MAX_BY], lo[MON_MAX_BY], k = -1, m, found;
	int			 fail;
	enum db_err		 e = DB_ERROR;

	for (i = 0; i < nby; i++) {
		if (by[i] == MON_MONTH) {
			k = i;
			continue;
		}
		for (j = 0; j < g->ndim && g->dim[j] != by[i]; j++)
			continue;
		pos[i] = j;
	}
	for (i = 0; i < MON_MAX_BY; i++) {
		w[i] = i >= nby ? 1 : (int)i == k ? (size_t)(to - from) + 2 :
		    g->d[pos[i]].n + 1;
		lo[i] = (int)i == k ? from : 0;
	}
	figs_dense(fs, w, lo);
	for (m = from; m <= to; m++) {
		mm = &g->m[month_find(g, m, &found)];
		if (found)
			n += mm->nf;
	}
	if ((fx = calloc(n + 1, sizeof(*fx))) == NULL ||
	    (pc = calloc(n + 1, sizeof(*pc))) == NULL)
		goto out;
	npc = 0;
	for (m = from; m <= to; m++) {
		mm = &g->m[month_find(g, m, &found)];
		if (!found)
			continue;
		for (i = pick_first(mm, pk); i < mm->nf; i++) {
			mf = &mm->f[i];
			if (pk.pos == 0 && mf->c[0] != pk.val)
				break;
			if (pk.pos > 0 && mf->c[pk.pos] != pk.val)
				continue;
			for (j = 0; j < nby; j++)
				c[j] = (int)j == k ? m : mf->c[pos[j]];
			for (; j < MON_MAX_BY; j++)
				c[j] = ALL;
			fail = !disc_primary_ok(mf->importers, mf->top,
			    mf->cents);
			/* The month's own figure, when months are shown. */
			if (k >= 0) {
				if ((x = fig_get(fs, c, m)) == -1)
					goto out;
				f = &fs->f[x];
				f->grams = mf->grams;
				f->cents = mf->cents;
				f->verdict = fail ? DISC_FAIL : DISC_PASS;
				c[k] = ALL;
			}
			if ((x = fig_get(fs, c, ALL)) == -1)
				goto out;
			y = &fs->f[x];
			y->grams += mf->grams;
			y->cents += mf->cents;
			y->sum_imp += mf->importers;
			y->sum_top += mf->top;
			if (mf->importers > y->max_imp)
				y->max_imp = mf->importers;
			if (mf->top > y->max_top)
				y->max_top = mf->top;
			y->nparts++;
			if (fail)
				y->month_failed = 1;
			fx[npc] = x;
			pc[npc].sh = mm->sh + mf->sh;
			pc[npc++].nsh = mf->nsh;
		}
		if (mm->maximp > maximp)
			maximp = mm->maximp;
	}
	/* Each range figure's month figures, side by side. */
	if ((cursor = calloc(fs->n + 1, sizeof(*cursor))) == NULL ||
	    (fs->pairs = calloc(npc + 1, sizeof(size_t))) == NULL)
		goto out;
	for (i = 0, a = 0; i < fs->n; i++) {
		fs->f[i].first = cursor[i] = a;
		a += fs->f[i].nparts;
	}
	for (i = 0; i < npc; i++)
		fs->pairs[cursor[fx[i]]++] = i;
	/* The rule on each range figure, exactly where the months'
	 * counts leave it open. */
	if ((acc = calloc((size_t)maximp + 1, sizeof(*acc))) == NULL)
		goto out;
	for (i = 0; i < fs->n; i++) {
		f = &fs->f[i];
		if (f->m != ALL)
			continue;
		f->verdict = disc_primary_bounds(f->max_imp, f->sum_imp,
		    f->max_top, f->sum_top, f->cents);
		if (f->verdict != DISC_UNSURE)
			continue;
		for (a = 0, imps = 0, top = 0; a < f->nparts; a++) {
			const struct piece *p = &pc[fs->pairs[f->first + a]];

			for (j = 0; j < p->nsh; j++) {
				if (acc[p->sh[j].imp] == 0)
					imps++;
				if ((acc[p->sh[j].imp] += p->sh[j].cents) > top)
					top = acc[p->sh[j].imp];
			}
		}
		for (a = 0; a < f->nparts; a++) {
			const struct piece *p = &pc[fs->pairs[f->first + a]];

			for (j = 0; j < p->nsh; j++)
				acc[p->sh[j].imp] = 0;
		}
		f->verdict = disc_primary_ok(imps, top, f->cents) ?
		    DISC_PASS : DISC_FAIL;
	}
	e = DB_OK;
out:
	free(fx);
	free(pc);
	free(cursor);
	free(acc);
	return e;
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


/* The values of "by" dimension i among the figures. */
static int
axis_build(struct axis *ax, size_t i, enum mon_dim dim, const struct sig *g,
    const struct figs *fs, int from, int to)
{
	unsigned char	*seen = NULL;
	size_t		 j, lim, lo = 0;
	int		 v;

	memset(ax, 0, sizeof(*ax));
	ax->dim = dim;
	if (dim == MON_MONTH) {
		lo = from;
		lim = to - from + 1;
	} else {
		for (j = 0; j < g->ndim && g->dim[j] != dim; j++)
			continue;
		ax->dict = &g->d[j];
		lim = ax->dict->n;
	}
	if ((seen = calloc(lim ? lim : 1, 1)) == NULL ||
	    (ax->v = calloc(lim ? lim : 1, sizeof(int))) == NULL) {
		free(seen);
		return -1;
	}
	for (j = 0; j < fs->n; j++) {
		if ((v = fs->f[j].c[i]) == ALL)
			continue;
		if (!seen[v - lo]) {
			seen[v - lo] = 1;
			ax->v[ax->n++] = v;
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


/* An answer settled: its figures and axes, and the state of each
 * cell, margin and the total after complementary suppression. */
struct settled {
	struct figs	 fs;
	struct axis	 ax[MON_MAX_BY];
	struct disc_cell *cells;	/* [a * ax[1].n + b] with two */
	struct disc_cell *mar[MON_MAX_BY];
	struct disc_cell tot;
	int		 k;		/* the month's "by" place, or -1 */
};

static void
settled_free(struct settled *st)
{
	size_t	 i;

	for (i = 0; i < MON_MAX_BY; i++) {
		free(st->ax[i].v);
		free(st->mar[i]);
	}
	free(st->cells);
	figs_free(&st->fs);
	memset(st, 0, sizeof(*st));
}

/*
 * The answer by "by" over months from..to of a question (all kept),
 * from the month figures pk picks: every figure summed and checked,
 * then complementary suppression.
 */
static enum db_err
settle(const struct sig *g, const enum mon_dim *by, size_t nby,
    struct pick pk, int from, int to, struct settled *st)
{
	struct figs	*fs = &st->fs;
	struct axis	*ax = st->ax;
	size_t		 i, j, a, b;
	int		 c[MON_MAX_BY], m;
	long		 x;

	memset(st, 0, sizeof(*st));
	st->k = -1;
	for (i = 0; i < nby; i++)
		if (by[i] == MON_MONTH)
			st->k = i;
	if (gather(g, by, nby, pk, from, to, fs) != DB_OK)
		goto fail;
	for (i = 0; i < nby; i++)
		if (axis_build(&ax[i], i, by[i], g, fs, from, to) == -1)
			goto fail;
	c[0] = c[1] = ALL;
	x = fig_find(fs, c, ALL);
	st->tot.state = fig_state(fs, c, ALL);
	st->tot.value = x == -1 ? 0 : fs->f[x].cents;
	for (i = 0; i < nby; i++) {
		if ((st->mar[i] = calloc(ax[i].n ? ax[i].n : 1,
		    sizeof(*st->mar[i]))) == NULL)
			goto fail;
		for (j = 0; j < ax[i].n; j++) {
			c[0] = c[1] = ALL;
			c[i] = ax[i].v[j];
			m = st->k == (int)i ? c[i] : ALL;
			x = fig_find(fs, c, m);
			st->mar[i][j].state = fig_state(fs, c, m);
			st->mar[i][j].value = x == -1 ? 0 : fs->f[x].cents;
		}
		disc_protect_line(st->mar[i], ax[i].n, &st->tot);
	}
	if (nby == 2) {
		if ((st->cells = calloc(ax[0].n * ax[1].n + 1,
		    sizeof(*st->cells))) == NULL)
			goto fail;
		for (a = 0; a < ax[0].n; a++)
			for (b = 0; b < ax[1].n; b++) {
				c[0] = ax[0].v[a];
				c[1] = ax[1].v[b];
				m = st->k >= 0 ? c[st->k] : ALL;
				x = fig_find(fs, c, m);
				st->cells[a * ax[1].n + b].state =
				    fig_state(fs, c, m);
				st->cells[a * ax[1].n + b].value = x == -1 ? 0 :
				    fs->f[x].cents;
			}
		if (disc_protect_table(st->cells, ax[0].n, ax[1].n,
		    st->mar[0], st->mar[1], &st->tot) < 0)
			goto fail;
	}
	return DB_OK;
fail:
	settled_free(st);
	return DB_ERROR;
}

/* The answer of a settled table: rows (the table, or the one margin),
 * margins and total. */
static enum db_err
answer_out(const struct settled *st, size_t nby, struct mon_result *r)
{
	const struct figs	*fs = &st->fs;
	const struct axis	*ax = st->ax;
	size_t			 i, j, a, b;
	int			 c[MON_MAX_BY], m, k = st->k;

	memset(r, 0, sizeof(*r));
	c[0] = c[1] = ALL;
	fig_out(fs, c, ALL, &r->total);
	r->total.state = st->tot.state;
	for (i = 0; i < nby && nby == 2; i++) {
		if ((r->margin[i] = calloc(ax[i].n ? ax[i].n : 1,
		    sizeof(struct mon_fig))) == NULL)
			goto fail;
		for (j = 0; j < ax[i].n; j++) {
			struct mon_fig	*o = &r->margin[i][j];

			c[0] = c[1] = ALL;
			c[i] = ax[i].v[j];
			m = k == (int)i ? c[i] : ALL;
			fig_out(fs, c, m, o);
			o->state = st->mar[i][j].state;
			if ((o->key[0] = res_string(r, &ax[i], c[i])) == NULL)
				goto fail;
			r->nmargin[i]++;
		}
	}
	if (nby == 1) {
		if ((r->rows = calloc(ax[0].n ? ax[0].n : 1,
		    sizeof(*r->rows))) == NULL)
			goto fail;
		for (j = 0; j < ax[0].n; j++) {
			struct mon_fig	*o = &r->rows[j];

			c[0] = ax[0].v[j];
			c[1] = ALL;
			fig_out(fs, c, k == 0 ? c[0] : ALL, o);
			o->state = st->mar[0][j].state;
			if ((o->key[0] = res_string(r, &ax[0], c[0])) == NULL)
				goto fail;
			r->nrows++;
		}
	} else if (nby == 2) {
		if ((r->rows = calloc(ax[0].n * ax[1].n + 1,
		    sizeof(*r->rows))) == NULL)
			goto fail;
		for (a = 0; a < ax[0].n; a++)
			for (b = 0; b < ax[1].n; b++) {
				struct mon_fig	*o = &r->rows[r->nrows];

				if (st->cells[a * ax[1].n + b].state ==
				    DISC_EMPTY)
					continue;
				c[0] = ax[0].v[a];
				c[1] = ax[1].v[b];
				fig_out(fs, c, k >= 0 ? c[k] : ALL, o);
				o->state = st->cells[a * ax[1].n + b].state;
				/* The margins own the same strings. */
				o->key[0] = r->margin[0][a].key[0];
				o->key[1] = r->margin[1][b].key[0];
				r->nrows++;
			}
	}
	return DB_OK;
fail:
	monitor_result_free(r);
	return DB_ERROR;
}

static enum db_err
answer(const struct sig *g, const enum mon_dim *by, size_t nby,
    struct pick pk, int from, int to, struct mon_result *r)
{
	struct settled	 st;
	enum db_err	 e;

	memset(r, 0, sizeof(*r));
	if ((e = settle(g, by, nby, pk, from, to, &st)) != DB_OK)
		return e;
	e = answer_out(&st, nby, r);
	settled_free(&st);
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


/* The months of a question's range, kept and in step. */
static enum db_err
question(struct db *db, struct mcache *c, enum product p, unsigned dims,
    const char *group, const char *hts6, const char *origin, int from,
    int to, struct sig **out)
{
	if ((*out = sig_get(c, p, dims, group, hts6, origin)) == NULL)
		return DB_ERROR;
	return months_fill(db, c, *out, from, to);
}

enum db_err
monitor_cells(struct db *db, const struct mon_query *q,
    struct mon_result *r)
{
	struct mcache	 tmp, *c;
	struct sig	*g;
	size_t		 i;
	unsigned	 dims = 0;
	int		 from, to, began;
	enum db_err	 e;

	memset(r, 0, sizeof(*r));
	if (q->nby > MON_MAX_BY || q->product >= PRODUCT__MAX ||
	    mon_month_parse(q->from, &from) == -1 ||
	    mon_month_parse(q->to, &to) == -1 || from > to ||
	    to - from + 1 > MON_MAX_MONTHS)
		return DB_ERROR;
	for (i = 0; i < q->nby; i++) {
		if (!mon_dim_applies(q->by[i], q->product) ||
		    (i == 1 && q->by[0] == q->by[1]))
			return DB_ERROR;
		if (q->by[i] != MON_MONTH)
			dims |= BIT(q->by[i]);
	}
	if ((e = cache_open(db, &tmp, &c, &began)) != DB_OK)
		return e;
	if ((e = question(db, c, q->product, dims, q->group, q->hts6,
	    q->origin, from, to, &g)) == DB_OK)
		e = answer(g, q->by, q->nby, all_figures, from, to, r);
	cache_close(db, c, began);
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

/* A cell of a settled table by month (first) and origin: its state,
 * and its figures when there is one. */
static enum disc_state
month_cell(const struct settled *st, const int *at, int lo, int month,
    size_t b, struct mon_fig *f)
{
	int	 c[MON_MAX_BY];

	f->grams = f->cents = 0;
	if (at[month - lo] == -1)
		return DISC_EMPTY;
	c[0] = month;
	c[1] = st->ax[1].v[b];
	fig_out(&st->fs, c, month, f);
	return st->cells[(size_t)at[month - lo] * st->ax[1].n + b].state;
}

/* The surges of one product group's table by month and origin over
 * from - 3 .. to. */
static int
group_surges(const struct settled *st, const struct dict *origins,
    enum product p, const char *group, int from, int to,
    struct mon_surge **out, size_t *n)
{
	struct mon_fig	 cur, pf;
	enum disc_state	 s;
	int64_t		 prev[SURGE_TRAILING_MONTHS];
	size_t		 b, a;
	int		*at, lo = from - SURGE_TRAILING_MONTHS, t, j, ok;

	/* Each month's place among the table's months (-1: none). */
	if ((at = calloc(to - lo + 1, sizeof(*at))) == NULL)
		return -1;
	for (t = lo; t <= to; t++)
		at[t - lo] = -1;
	for (a = 0; a < st->ax[0].n; a++)
		if (st->ax[0].v[a] >= lo && st->ax[0].v[a] <= to)
			at[st->ax[0].v[a] - lo] = a;
	for (b = 0; b < st->ax[1].n; b++)
		for (t = from; t <= to; t++) {
			if (month_cell(st, at, lo, t, b, &cur) !=
			    DISC_PUBLISHED)
				continue;
			/* A month before withheld (even one without
			 * imports, withheld to protect another) rules the
			 * surge out; one without imports counts as 0. */
			ok = 1;
			for (j = 0; j < SURGE_TRAILING_MONTHS; j++) {
				s = month_cell(st, at, lo, t - 1 - j, b, &pf);
				if (DISC_HIDDEN(s))
					ok = 0;
				prev[j] = pf.grams;
			}
			if (!ok || !surge_is(cur.grams, prev))
				continue;
			if (add_surge(out, n, p, t, group,
			    origins->s[st->ax[1].v[b]], &cur, prev[0] +
			    prev[1] + prev[2]) == -1) {
				free(at);
				return -1;
			}
		}
	free(at);
	return 0;
}

/* The product groups with data in months from..to, by dict index of
 * a question by product group and more (NULL when out of memory). */
static unsigned char *
groups_present(const struct sig *g, int from, int to)
{
	const struct mmonth	*mm;
	struct pick		 pk;
	unsigned char		*has;
	size_t			 i;
	int			 m, found;

	if ((has = calloc(g->d[0].n + 1, 1)) == NULL)
		return NULL;
	for (m = from; m <= to; m++) {
		mm = &g->m[month_find(g, m, &found)];
		/* Figures go by group: one look a group. */
		for (i = 0; found && i < mm->nf; ) {
			pk.pos = 0;
			pk.val = mm->f[i].c[0];
			if (pk.val != ALL)
				has[pk.val] = 1;
			pk.val++;
			i = pick_first(mm, pk);
		}
	}
	return has;
}

/*
 * Whether product group gr (of a question by group and origin) could
 * surge in months from..to: whether it does on its figures before any
 * is withheld.  Withholding only takes surges away (a published surge
 * has the same figures), so a group that cannot needs no table.  -1
 * when out of memory.
 */
static int
may_surge(const struct sig *g, int gr, int from, int to)
{
	const struct mmonth	*mm;
	struct pick		 pk = { 0, gr };
	int64_t			*grams, prev[SURGE_TRAILING_MONTHS];
	size_t			 i, no = g->d[1].n, span;
	int			 lo = from - SURGE_TRAILING_MONTHS, m, j, found;
	int			 r = 0;

	/* The group's grams by month and origin (0: no imports). */
	span = to - lo + 1;
	if ((grams = calloc(span * no + 1, sizeof(*grams))) == NULL)
		return -1;
	for (m = lo; m <= to; m++) {
		mm = &g->m[month_find(g, m, &found)];
		if (!found)
			continue;
		for (i = pick_first(mm, pk); i < mm->nf &&
		    mm->f[i].c[0] == gr; i++)
			if (mm->f[i].c[1] != ALL)
				grams[(m - lo) * no + mm->f[i].c[1]] =
				    mm->f[i].grams;
	}
	for (m = from; m <= to && !r; m++)
		for (i = 0; i < no && !r; i++) {
			if (grams[(m - lo) * no + i] == 0)
				continue;
			for (j = 0; j < SURGE_TRAILING_MONTHS; j++)
				prev[j] = grams[(m - 1 - j - lo) * no + i];
			r = surge_is(grams[(m - lo) * no + i], prev);
		}
	free(grams);
	return r;
}

enum db_err
monitor_surges(struct db *db, enum product product, const char *from,
    const char *to, struct mon_surge **out, size_t *n)
{
	static const enum mon_dim by[2] = { MON_MONTH, MON_ORIGIN };
	struct mcache		 tmp, *c;
	struct settled		 st;
	struct sig		*gs;
	struct pick		 pk;
	unsigned char		*has = NULL;
	size_t			 g;
	int			 f, t, lo, p, began, r;
	enum db_err		 e = DB_OK;

	*out = NULL;
	*n = 0;
	if (mon_month_parse(from, &f) == -1 || mon_month_parse(to, &t) == -1 ||
	    f > t || t - f + 1 > MON_MAX_MONTHS)
		return DB_ERROR;
	lo = f - SURGE_TRAILING_MONTHS;
	if ((e = cache_open(db, &tmp, &c, &began)) != DB_OK)
		return e;
	for (p = 0; p < PRODUCT__MAX && e == DB_OK; p++) {
		if (product != PRODUCT__MAX && product != (enum product)p)
			continue;
		/* Groups by origins: each group's figures are those the
		 * question with product_group=G has (one read of a month
		 * for them all). */
		if ((e = question(db, c, p, BIT(MON_GROUP) | BIT(MON_ORIGIN),
		    NULL, NULL, NULL, lo, t, &gs)) != DB_OK)
			break;
		if ((has = groups_present(gs, lo, t)) == NULL) {
			e = DB_ERROR;
			break;
		}
		/* One table per product group, as the cells API answers
		 * by=month,country_of_origin&product_group=G. */
		for (g = 0; e == DB_OK && g < gs->d[0].n; g++) {
			if (!has[g] || (r = may_surge(gs, g, f, t)) == 0)
				continue;
			if (r == -1) {
				e = DB_ERROR;
				break;
			}
			pk.pos = 0;
			pk.val = g;
			if ((e = settle(gs, by, 2, pk, lo, t, &st)) != DB_OK)
				break;
			if (group_surges(&st, &gs->d[1], p, gs->d[0].s[g], f,
			    t, out, n) == -1)
				e = DB_ERROR;
			settled_free(&st);
		}
		free(has);
		has = NULL;
	}
	cache_close(db, c, began);
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

/* Adds a copy of s to a list; -1 when out of memory. */
static int
list_add(char ***list, size_t *n, const char *s)
{
	char	**nl;

	if ((nl = reallocarray(*list, *n + 1, sizeof(*nl))) == NULL)
		return -1;
	*list = nl;
	if ((nl[*n] = strdup(s)) == NULL)
		return -1;
	(*n)++;
	return 0;
}

/* The values of a question's dimension dim[k] with data in months
 * from..to, sorted. */
static int
values_of(const struct sig *g, size_t k, int from, int to, char ***out,
    size_t *n)
{
	const struct mmonth	*mm;
	unsigned char		*seen;
	size_t			 i;
	int			 m, found, rc = 0;

	if ((seen = calloc(g->d[k].n + 1, 1)) == NULL)
		return -1;
	for (m = from; m <= to; m++) {
		mm = &g->m[month_find(g, m, &found)];
		for (i = 0; found && i < mm->nf; i++)
			if (mm->f[i].c[k] != ALL)
				seen[mm->f[i].c[k]] = 1;
	}
	for (i = 0; rc == 0 && i < g->d[k].n; i++)
		if (seen[i])
			rc = list_add(out, n, g->d[k].s[i]);
	free(seen);
	if (rc == 0 && *n > 1)
		qsort(*out, *n, sizeof(**out), cmp_str);
	return rc;
}

/* The questions meta reads its lists from (those the page asks, so
 * mostly kept already); a product's months, from the first. */
static const unsigned meta_questions[] = {
	BIT(MON_GROUP) | BIT(MON_ORIGIN),
	BIT(MON_SMELT) | BIT(MON_CAST),
	BIT(MON_MELT),
	BIT(MON_HTS6),
};

enum db_err
monitor_meta(struct db *db, unsigned dims, struct mon_meta *mm)
{
	struct mcache		 tmp, *c;
	struct mon_meta_product	*mp;
	struct sig		*g;
	sqlite3_stmt		*st;
	unsigned		 use, done;
	int64_t			 gen;
	size_t			 q, k;
	int			 p, d, m, lo, hi, rc, found, began;
	char			 a[8], b[8], buf[8];
	enum db_err		 e;

	memset(mm, 0, sizeof(*mm));
	if ((e = monitor_state(db, &gen, mm->updated_at)) != DB_OK)
		return e;
	if ((e = cache_open(db, &tmp, &c, &began)) != DB_OK)
		return e;
	for (p = 0; p < PRODUCT__MAX && e == DB_OK; p++) {
		mp = &mm->p[p];
		/* The months the product has data in, first to last. */
		st = db_stmt(db, ST_MON_MONTH_SPAN);
		db_bind_int(st, 1, VIEW_SRC);
		db_bind_text(st, 2, product_names[p]);
		a[0] = b[0] = '\0';
		if ((rc = db_step(db, st)) == SQLITE_ROW) {
			db_col_copy(st, 0, a, sizeof(a));
			db_col_copy(st, 1, b, sizeof(b));
		}
		if (st != NULL)
			sqlite3_reset(st);
		if (rc != SQLITE_ROW) {
			e = db_error(db, rc == SQLITE_DONE ? SQLITE_ERROR : rc);
			break;
		}
		if (mon_month_parse(a, &lo) == -1 ||
		    mon_month_parse(b, &hi) == -1 || lo > hi)
			continue;	/* no data */
		for (q = 0, done = 0; q < NELEM(meta_questions) && e == DB_OK;
		    q++) {
			use = 0;
			for (d = MON_GROUP; d < MON__MAX; d++)
				if ((meta_questions[q] & BIT(d)) &&
				    mon_dim_applies(d, p))
					use |= BIT(d);
			if ((use & dims & ~done) == 0 && !(q == 0 &&
			    (dims & BIT(MON_MONTH))))
				continue;
			if ((e = question(db, c, p, use, NULL, NULL, NULL, lo,
			    hi, &g)) != DB_OK)
				break;
			for (k = 0; k < g->ndim; k++)
				if ((dims & ~done & BIT(g->dim[k])) &&
				    values_of(g, k, lo, hi,
				    &mp->values[g->dim[k]],
				    &mp->nvalues[g->dim[k]]) == -1)
					e = DB_ERROR;
			done |= use;
			if (q != 0 || !(dims & BIT(MON_MONTH)))
				continue;
			for (m = lo; m <= hi && e == DB_OK; m++) {
				k = month_find(g, m, &found);
				if (!found || g->m[k].nf == 0)
					continue;
				mon_month_format(m, buf);
				if (list_add(&mp->months, &mp->nmonths, buf) ==
				    -1)
					e = DB_ERROR;
			}
		}
	}
	cache_close(db, c, began);
	if (e != DB_OK)
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
