/*
 * Disclosure control of the public monitor (forms/disclosure.c) and the
 * surge rule (forms/surge.c): the importer rule on both sides of each
 * threshold, complementary suppression of lines and tables, and proof
 * that a dominated cell cannot be worked out from the published
 * figures: by every subtraction along each dimension, and by any linear
 * combination of the table's equations (an exact rank test written
 * here, independent of the bridge search the module uses).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forms/disclosure.h"
#include "forms/surge.h"
#include "tests.h"

#define MAXN	8

/* ----- the importer key ----- */

START_TEST(test_importer_key)
{
	char	 a[64], b[64];

	disc_importer_key("Acme Metals, Inc.", a, sizeof(a));
	ck_assert_str_eq(a, "ACMEMETALS");
	disc_importer_key("  ACME  metals inc", b, sizeof(b));
	ck_assert_str_eq(a, b);
	disc_importer_key("Acme Metals Co. LLC", b, sizeof(b));
	ck_assert_str_eq(a, b);
	/* A company-form word alone is the name, not nothing. */
	disc_importer_key("Inc.", a, sizeof(a));
	ck_assert_str_eq(a, "INC");
	/* Only trailing words go: "Co" inside a name stays. */
	disc_importer_key("Co Metals", a, sizeof(a));
	ck_assert_str_eq(a, "COMETALS");
	disc_importer_key("Acme Metals", a, sizeof(a));
	disc_importer_key("Acme Metal", b, sizeof(b));
	ck_assert_str_ne(a, b);
	/* UTF-8 letters are kept as they are. */
	disc_importer_key("Müller Stahl GmbH", a, sizeof(a));
	ck_assert_str_eq(a, "MüLLERSTAHL");
	/* Bounded by the buffer. */
	ck_assert_uint_eq(disc_importer_key("Abcdefgh", a, 4), 3);
	ck_assert_str_eq(a, "ABC");
	ck_assert_uint_eq(disc_importer_key("", a, sizeof(a)), 0);
}
END_TEST

/* ----- the importer rule ----- */

START_TEST(test_primary)
{
	/* Importers: 2 no, 3 yes. */
	ck_assert(!disc_primary_ok(2, 400, 1000));
	ck_assert(disc_primary_ok(3, 400, 1000));
	/* The largest share: 80% yes, a cent more no. */
	ck_assert(disc_primary_ok(3, 800, 1000));
	ck_assert(!disc_primary_ok(3, 801, 1000));
	ck_assert(disc_primary_ok(5, 80000, 100000));
	ck_assert(!disc_primary_ok(5, 80001, 100000));
	ck_assert(!disc_primary_ok(3, 0, 0));
	/* Bounds: sure when both ends agree, unsure otherwise. */
	ck_assert_int_eq(disc_primary_bounds(3, 9, 100, 700, 1000),
	    DISC_PASS);
	ck_assert_int_eq(disc_primary_bounds(1, 2, 100, 300, 1000),
	    DISC_FAIL);
	ck_assert_int_eq(disc_primary_bounds(1, 5, 810, 900, 1000),
	    DISC_FAIL);
	ck_assert_int_eq(disc_primary_bounds(2, 5, 100, 300, 1000),
	    DISC_UNSURE);
	ck_assert_int_eq(disc_primary_bounds(3, 5, 500, 801, 1000),
	    DISC_UNSURE);
	ck_assert_int_eq(disc_primary_bounds(3, 5, 500, 800, 1000),
	    DISC_PASS);
}
END_TEST

/* ----- the surge rule ----- */

START_TEST(test_surge)
{
	const int64_t	 t = 1000000;		/* grams in a metric ton */
	int64_t		 prev[3] = { 200 * t, 200 * t, 200 * t };
	int64_t		 zero[3] = { 0, 0, 0 };
	int64_t		 big[3] = { 1000 * t, 1000 * t, 1000 * t };

	/* +50% and +100 t: both at the edge. */
	ck_assert(surge_is(300 * t, prev));
	ck_assert(!surge_is(300 * t - 1, prev));
	/* +50% but under 100 t more. */
	prev[0] = prev[1] = prev[2] = 100 * t;
	ck_assert(!surge_is(199 * t, prev));
	ck_assert(surge_is(200 * t, prev));
	/* Over 100 t more but under 50%. */
	ck_assert(!surge_is(1499 * t, big));
	ck_assert(surge_is(1500 * t, big));
	/* Nothing before: any 100 t. */
	ck_assert(surge_is(100 * t, zero));
	ck_assert(!surge_is(100 * t - 1, zero));
	/* Uneven months: the average counts. */
	prev[0] = 600 * t;
	prev[1] = prev[2] = 0;
	ck_assert(surge_is(300 * t, prev));
	ck_assert(!surge_is(299 * t, prev));
}
END_TEST

/* ----- lines ----- */

static void
cells(struct disc_cell *c, const char *states, const int64_t *v)
{
	size_t	 i;

	for (i = 0; states[i] != '\0'; i++) {
		c[i].value = v[i];
		c[i].state = states[i] == 'P' ? DISC_PUBLISHED :
		    states[i] == 'H' ? DISC_PRIMARY : states[i] == 'C' ?
		    DISC_COMPLEMENT : DISC_EMPTY;
	}
}

START_TEST(test_line)
{
	struct disc_cell	 c[5], tot = { 1000, DISC_PUBLISHED };
	const int64_t		 v[5] = { 500, 5, 60, 300, 135 };

	/* One hidden: the smallest worth a tenth of it (60, not 5). */
	cells(c, "HPPPP", v);
	ck_assert_uint_eq(disc_protect_line(c, 5, &tot), 1);
	ck_assert_int_eq(c[2].state, DISC_COMPLEMENT);
	ck_assert_int_eq(c[1].state, DISC_PUBLISHED);
	/* None worth a tenth: the largest. */
	cells(c, "HPPPP", (const int64_t[]){ 100000, 5, 60, 300, 135 });
	ck_assert_uint_eq(disc_protect_line(c, 5, &tot), 1);
	ck_assert_int_eq(c[3].state, DISC_COMPLEMENT);
	/* Two hidden, or none: nothing to do. */
	cells(c, "HPHPP", v);
	ck_assert_uint_eq(disc_protect_line(c, 5, &tot), 0);
	cells(c, "PPPPP", v);
	ck_assert_uint_eq(disc_protect_line(c, 5, &tot), 0);
	/* The total hidden and every cell shown: it is their sum. */
	tot.state = DISC_PRIMARY;
	ck_assert_uint_eq(disc_protect_line(c, 5, &tot), 1);
	/* The total hidden and one cell: two unknowns, one equation. */
	cells(c, "PPPHP", v);
	ck_assert_uint_eq(disc_protect_line(c, 5, &tot), 0);
	ck_assert_int_eq(disc_exposed(c, 5, 0, NULL, NULL, &tot), 0);
	tot.state = DISC_PUBLISHED;
	ck_assert_int_eq(disc_exposed(c, 5, 0, NULL, NULL, &tot), 1);
}
END_TEST

/* ----- checkers written here ----- */

/* The augmented table: (m+1) x (n+1) entries, the last row the column
 * totals, the last column the row totals. */
struct tab {
	size_t			 m, n;
	struct disc_cell	 c[MAXN * MAXN], row[MAXN], col[MAXN], grand;
};

static struct disc_cell *
at(struct tab *t, size_t i, size_t j)
{
	if (i < t->m && j < t->n)
		return &t->c[i * t->n + j];
	if (i < t->m)
		return &t->row[i];
	if (j < t->n)
		return &t->col[j];
	return &t->grand;
}

/*
 * Every subtraction along each dimension: for each row, column and the
 * rows and columns of totals, its total less its published figures.
 * Returns how many lines leave exactly one hidden figure (whose value
 * that subtraction gives).
 */
static int
subtractions(struct tab *t)
{
	size_t	 i, j, hidden;
	int	 bad = 0;

	for (i = 0; i <= t->m; i++) {
		hidden = 0;
		for (j = 0; j <= t->n; j++)
			hidden += DISC_HIDDEN(at(t, i, j)->state);
		bad += hidden == 1;
	}
	for (j = 0; j <= t->n; j++) {
		hidden = 0;
		for (i = 0; i <= t->m; i++)
			hidden += DISC_HIDDEN(at(t, i, j)->state);
		bad += hidden == 1;
	}
	return bad;
}

/* Rank of a dense matrix (rows x cols, doubles), eliminated in place. */
static size_t
rank(double *a, size_t rows, size_t cols)
{
	size_t	 r = 0, c, i, k, p;
	double	 f, t;

	for (c = 0; c < cols && r < rows; c++) {
		p = r;
		for (i = r; i < rows; i++)
			if (fabs(a[i * cols + c]) > fabs(a[p * cols + c]))
				p = i;
		if (fabs(a[p * cols + c]) < 1e-9)
			continue;
		for (k = 0; k < cols; k++) {
			t = a[r * cols + k];
			a[r * cols + k] = a[p * cols + k];
			a[p * cols + k] = t;
		}
		for (i = 0; i < rows; i++) {
			if (i == r || fabs(a[i * cols + c]) < 1e-12)
				continue;
			f = a[i * cols + c] / a[r * cols + c];
			for (k = 0; k < cols; k++)
				a[i * cols + k] -= f * a[r * cols + k];
		}
		r++;
	}
	return r;
}

/*
 * Any linear combination: the hidden figures are the unknowns of the
 * table's equations (each row and column sums to its total).  A hidden
 * figure is determined exactly when dropping its column from the
 * system lowers the rank (no solution of the homogeneous system moves
 * it).  Returns how many are determined.
 */
static int
determined(struct tab *t)
{
	static double	 a[(MAXN + 1) * 2 * (MAXN + 1) * (MAXN + 1)];
	static double	 b[(MAXN + 1) * 2 * (MAXN + 1) * (MAXN + 1)];
	size_t		 u[(MAXN + 1) * (MAXN + 1)][2], nu = 0, neq, i, j, k;
	size_t		 x, col, full;
	int		 bad = 0;

	for (i = 0; i <= t->m; i++)
		for (j = 0; j <= t->n; j++)
			if (DISC_HIDDEN(at(t, i, j)->state)) {
				u[nu][0] = i;
				u[nu][1] = j;
				nu++;
			}
	if (nu == 0)
		return 0;
	neq = (t->m + 1) + (t->n + 1);
	/* Row i: its cells minus its total; column j likewise. */
	memset(a, 0, sizeof(a));
	for (k = 0; k < nu; k++) {
		i = u[k][0];
		j = u[k][1];
		a[i * nu + k] = j < t->n ? 1 : -1;
		a[(t->m + 1 + j) * nu + k] = i < t->m ? 1 : -1;
	}
	memcpy(b, a, neq * nu * sizeof(double));
	full = rank(b, neq, nu);
	for (x = 0; x < nu; x++) {
		memset(b, 0, sizeof(b));
		for (i = 0; i < neq; i++)
			for (k = 0, col = 0; k < nu; k++)
				if (k != x)
					b[i * (nu - 1) + col++] = a[i * nu + k];
		if (rank(b, neq, nu - 1) < full)
			bad++;
	}
	return bad;
}

/* The same for one line with its total. */
static int
determined_line(const struct disc_cell *c, size_t n,
    const struct disc_cell *total)
{
	size_t	 i, hidden = DISC_HIDDEN(total->state);

	for (i = 0; i < n; i++)
		hidden += DISC_HIDDEN(c[i].state);
	return hidden == 1;
}

static unsigned int	 seed;

static unsigned int
rnd(void)
{
	seed = seed * 1103515245 + 12345;
	return (seed >> 16) & 0x7fff;
}

/* A random pattern of hidden figures: the bridges the module finds
 * are exactly the figures the rank test says are determined. */
START_TEST(test_exposed_matches_rank)
{
	struct tab	 t;
	size_t		 i, j, k;
	int		 trial;

	seed = 7;
	for (trial = 0; trial < 400; trial++) {
		memset(&t, 0, sizeof(t));
		t.m = 1 + rnd() % 5;
		t.n = 1 + rnd() % 5;
		for (i = 0; i <= t.m; i++)
			for (j = 0; j <= t.n; j++) {
				k = rnd() % 10;
				at(&t, i, j)->value = 1 + rnd() % 1000;
				at(&t, i, j)->state = k < 3 ? DISC_PRIMARY :
				    DISC_PUBLISHED;
			}
		ck_assert_int_eq(disc_exposed(t.c, t.m, t.n, t.row, t.col,
		    &t.grand), determined(&t));
	}
}
END_TEST

/*
 * Importers behind each cell: importer k's value in cell (i, j).  The
 * rule on cells, totals and the grand total comes from these, as the
 * monitor computes it.
 */
struct world {
	size_t		 m, n, ni;
	int64_t		 v[MAXN][MAXN][12];
};

static enum disc_state
rule(const struct world *w, int ri, int cj)
{
	int64_t		 by[12] = { 0 }, sum = 0, top = 0, imp = 0;
	size_t		 i, j, k;

	for (i = 0; i < w->m; i++)
		for (j = 0; j < w->n; j++) {
			if ((ri >= 0 && (size_t)ri != i) ||
			    (cj >= 0 && (size_t)cj != j))
				continue;
			for (k = 0; k < w->ni; k++)
				by[k] += w->v[i][j][k];
		}
	for (k = 0; k < w->ni; k++) {
		sum += by[k];
		imp += by[k] > 0;
		if (by[k] > top)
			top = by[k];
	}
	if (sum == 0)
		return DISC_EMPTY;
	return disc_primary_ok(imp, top, sum) ? DISC_PUBLISHED : DISC_PRIMARY;
}

static int64_t
sum_of(const struct world *w, int ri, int cj)
{
	int64_t	 s = 0;
	size_t	 i, j, k;

	for (i = 0; i < w->m; i++)
		for (j = 0; j < w->n; j++)
			if ((ri < 0 || (size_t)ri == i) &&
			    (cj < 0 || (size_t)cj == j))
				for (k = 0; k < w->ni; k++)
					s += w->v[i][j][k];
	return s;
}

/* The monitor's order: the rule everywhere, each margin protected
 * against the grand total, then the table against its margins. */
static void
publish(const struct world *w, struct tab *t)
{
	size_t	 i, j;

	memset(t, 0, sizeof(*t));
	t->m = w->m;
	t->n = w->n;
	t->grand.value = sum_of(w, -1, -1);
	t->grand.state = rule(w, -1, -1);
	for (i = 0; i < w->m; i++) {
		t->row[i].value = sum_of(w, i, -1);
		t->row[i].state = rule(w, i, -1);
	}
	for (j = 0; j < w->n; j++) {
		t->col[j].value = sum_of(w, -1, j);
		t->col[j].state = rule(w, -1, j);
	}
	for (i = 0; i < w->m; i++)
		for (j = 0; j < w->n; j++) {
			t->c[i * w->n + j].value = sum_of(w, i, j);
			t->c[i * w->n + j].state = rule(w, i, j);
		}
	disc_protect_line(t->row, t->m, &t->grand);
	disc_protect_line(t->col, t->n, &t->grand);
	/* What the one-way answers publish must be safe on their own. */
	ck_assert_int_eq(determined_line(t->row, t->m, &t->grand), 0);
	ck_assert_int_eq(determined_line(t->col, t->n, &t->grand), 0);
	ck_assert_int_ge(disc_protect_table(t->c, t->m, t->n, t->row,
	    t->col, &t->grand), 0);
}

/* A world where importer 0 dominates cell (di, dj) and the rest is
 * spread over importers 1..ni-1, some cells thinly. */
static void
make_world(struct world *w, size_t *di, size_t *dj)
{
	size_t	 i, j, k, nk;

	memset(w, 0, sizeof(*w));
	w->m = 2 + rnd() % (MAXN - 2);
	w->n = 2 + rnd() % (MAXN - 2);
	w->ni = 4 + rnd() % 8;
	for (i = 0; i < w->m; i++)
		for (j = 0; j < w->n; j++) {
			if (rnd() % 8 == 0)
				continue;	/* an empty cell */
			nk = 1 + rnd() % 5;
			for (k = 0; k < nk; k++)
				w->v[i][j][1 + rnd() % (w->ni - 1)] +=
				    1 + rnd() % 5000;
		}
	*di = rnd() % w->m;
	*dj = rnd() % w->n;
	/* 95% of that cell is importer 0's. */
	w->v[*di][*dj][0] = 19 * (sum_of(w, *di, *dj) + 1);
}

/* A failing table, for the log: E empty, P published, H primary, C
 * complement; the last row and column are the totals. */
static void
dump(struct tab *t, int trial)
{
	size_t	 i, j;

	fprintf(stderr, "trial %d:\n", trial);
	for (i = 0; i <= t->m; i++) {
		for (j = 0; j <= t->n; j++)
			fprintf(stderr, " %c%lld", "EPHC"[at(t, i, j)->state],
			    (long long)at(t, i, j)->value);
		fprintf(stderr, "\n");
	}
}

START_TEST(test_dominated_cell_stays_hidden)
{
	struct world	 w;
	struct tab	 t;
	size_t		 di, dj, i, j;
	int		 trial, complements = 0;

	seed = 2026;
	for (trial = 0; trial < 500; trial++) {
		make_world(&w, &di, &dj);
		publish(&w, &t);
		/* The dominated cell fails the rule and stays hidden. */
		ck_assert_int_eq(t.c[di * t.n + dj].state, DISC_PRIMARY);
		/* No subtraction along a row, a column or the totals
		 * leaves it (or any hidden figure) alone ... */
		if (subtractions(&t) != 0 || determined(&t) != 0)
			dump(&t, trial);
		ck_assert_int_eq(subtractions(&t), 0);
		/* ... nor does any combination of the published figures
		 * determine a hidden one. */
		ck_assert_int_eq(determined(&t), 0);
		ck_assert_int_eq(disc_exposed(t.c, t.m, t.n, t.row, t.col,
		    &t.grand), 0);
		/* Only what had to be hidden is: published cells still
		 * pass the rule. */
		for (i = 0; i < t.m; i++)
			for (j = 0; j < t.n; j++) {
				if (t.c[i * t.n + j].state == DISC_PUBLISHED)
					ck_assert_int_eq(rule(&w, i, j),
					    DISC_PUBLISHED);
				complements += t.c[i * t.n + j].state ==
				    DISC_COMPLEMENT;
			}
	}
	/* The protection did real work. */
	ck_assert_int_gt(complements, 100);
}
END_TEST

/* Without complementary suppression the dominated cell would show: the
 * checkers do fail on an unprotected table. */
START_TEST(test_checkers_catch_a_leak)
{
	struct tab	 t;
	size_t		 i;

	memset(&t, 0, sizeof(t));
	t.m = 2;
	t.n = 2;
	for (i = 0; i < 4; i++) {
		t.c[i].value = 100 + i;
		t.c[i].state = DISC_PUBLISHED;
	}
	t.c[0].state = DISC_PRIMARY;
	t.row[0].value = 201;
	t.row[1].value = 205;
	t.col[0].value = 202;
	t.col[1].value = 204;
	t.row[0].state = t.row[1].state = DISC_PUBLISHED;
	t.col[0].state = t.col[1].state = DISC_PUBLISHED;
	t.grand.value = 406;
	t.grand.state = DISC_PUBLISHED;
	ck_assert_int_eq(subtractions(&t), 2);
	ck_assert_int_eq(determined(&t), 1);
	/* A 2 x 2 block of hidden cells: every line has two, but the
	 * block is still safe only because it is a cycle. */
	ck_assert_int_eq(disc_protect_table(t.c, 2, 2, t.row, t.col,
	    &t.grand), 3);
	ck_assert_int_eq(subtractions(&t), 0);
	ck_assert_int_eq(determined(&t), 0);

	/* Lines of two hidden cells that still give one away: a hidden
	 * pair in row 0 and in column 0 joined by a bridge. */
	memset(&t, 0, sizeof(t));
	t.m = 4;
	t.n = 4;
	for (i = 0; i < 16; i++) {
		t.c[i].value = 10;
		t.c[i].state = DISC_PUBLISHED;
	}
	for (i = 0; i < 4; i++) {
		t.row[i].value = t.col[i].value = 40;
		t.row[i].state = t.col[i].state = DISC_PUBLISHED;
	}
	t.grand.value = 160;
	t.grand.state = DISC_PUBLISHED;
	/* Two 2 x 2 cycles, (0,0)(0,1)(1,0)(1,1) and (2,2)(2,3)(3,2)
	 * (3,3), joined by (1,2) and (2,1) would be safe; joined by
	 * (1,2) alone, (1,2) is a bridge: rows 0-1 minus columns 0-1. */
	t.c[0].state = t.c[1].state = t.c[4].state = t.c[5].state =
	    DISC_PRIMARY;
	t.c[10].state = t.c[11].state = t.c[14].state = t.c[15].state =
	    DISC_PRIMARY;
	t.c[6].state = DISC_PRIMARY;
	ck_assert_int_eq(subtractions(&t), 0);
	ck_assert_int_eq(determined(&t), 1);
	ck_assert_int_eq(disc_exposed(t.c, 4, 4, t.row, t.col, &t.grand), 1);
	ck_assert_int_ge(disc_protect_table(t.c, 4, 4, t.row, t.col,
	    &t.grand), 1);
	ck_assert_int_eq(determined(&t), 0);
}
END_TEST

/* Margins hidden by the one-way answers are protected too: published
 * cells must not add up to a hidden total. */
START_TEST(test_hidden_margin)
{
	struct tab	 t;
	size_t		 i;

	memset(&t, 0, sizeof(t));
	t.m = 2;
	t.n = 3;
	for (i = 0; i < 6; i++) {
		t.c[i].value = 50 + 10 * i;
		t.c[i].state = DISC_PUBLISHED;
	}
	t.row[0].value = 180;
	t.row[1].value = 270;
	t.col[0].value = 130;
	t.col[1].value = 150;
	t.col[2].value = 170;
	t.grand.value = 450;
	t.row[0].state = t.row[1].state = DISC_COMPLEMENT;
	t.col[0].state = t.col[1].state = t.col[2].state = DISC_PUBLISHED;
	t.grand.state = DISC_PUBLISHED;
	ck_assert_int_eq(determined(&t), 2);
	ck_assert_int_gt(disc_protect_table(t.c, 2, 3, t.row, t.col,
	    &t.grand), 0);
	ck_assert_int_eq(determined(&t), 0);
	ck_assert_int_eq(subtractions(&t), 0);
}
END_TEST

/* A table where published totals pin a hidden cell down unless an
 * empty cell is shown hidden too: row 0 less columns 1 and 2 (each a
 * single published cell) gives (0,3), and column 3 then gives (1,3). */
START_TEST(test_empty_cell_hidden)
{
	struct tab	 t;
	size_t		 i, empties = 0;
	static const char states[] = "EPPPHEEH";
	static const int64_t v[] = { 0, 7369, 10816, 8497, 221199, 0, 0,
	    3502 };

	memset(&t, 0, sizeof(t));
	t.m = 2;
	t.n = 4;
	cells(t.c, states, v);
	t.row[0] = (struct disc_cell){ 26682, DISC_PUBLISHED };
	t.row[1] = (struct disc_cell){ 224701, DISC_PRIMARY };
	t.col[0] = (struct disc_cell){ 221199, DISC_PRIMARY };
	t.col[1] = (struct disc_cell){ 7369, DISC_PUBLISHED };
	t.col[2] = (struct disc_cell){ 10816, DISC_PUBLISHED };
	t.col[3] = (struct disc_cell){ 11999, DISC_PUBLISHED };
	t.grand = (struct disc_cell){ 251383, DISC_PRIMARY };
	ck_assert_int_eq(determined(&t), 1);
	ck_assert_int_gt(disc_protect_table(t.c, 2, 4, t.row, t.col,
	    &t.grand), 0);
	ck_assert_int_eq(determined(&t), 0);
	ck_assert_int_eq(subtractions(&t), 0);
	for (i = 0; i < 8; i++)
		empties += t.c[i].value == 0 &&
		    t.c[i].state == DISC_COMPLEMENT;
	ck_assert_uint_ge(empties, 1);
}
END_TEST

Suite *
suite_disclosure(void)
{
	Suite	*s = suite_create("disclosure");
	TCase	*tc = tcase_create("rules");

	tcase_add_test(tc, test_importer_key);
	tcase_add_test(tc, test_primary);
	tcase_add_test(tc, test_surge);
	tcase_add_test(tc, test_line);
	tcase_add_test(tc, test_exposed_matches_rank);
	tcase_add_test(tc, test_dominated_cell_stays_hidden);
	tcase_add_test(tc, test_checkers_catch_a_leak);
	tcase_add_test(tc, test_hidden_margin);
	tcase_add_test(tc, test_empty_cell_hidden);
	suite_add_tcase(s, tc);
	return s;
}
