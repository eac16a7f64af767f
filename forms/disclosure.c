/*
 * Disclosure control of the public monitor: the importer rule and
 * complementary suppression (see disclosure.h for the model).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "disclosure.h"

/* Company-form words that do not tell two importers apart. */
static const char *const forms_words[] = {
	"AB", "AG", "AS", "BV", "CO", "COMPANY", "CORP", "CORPORATION",
	"GMBH", "INC", "INCORPORATED", "KG", "LIMITED", "LLC", "LLP", "LP",
	"LTD", "NV", "OY", "PLC", "PTE", "PTY", "SA", "SAS", "SPA", "SRL",
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
/* Words of a name looked at; longer names keep the rest as one. */
#define KEY_WORDS	64

static int
is_form_word(const char *w, size_t len)
{
	size_t	 i;

	for (i = 0; i < NELEM(forms_words); i++)
		if (strlen(forms_words[i]) == len &&
		    strncasecmp(forms_words[i], w, len) == 0)
			return 1;
	return 0;
}

/* ASCII letters and digits make words; bytes of UTF-8 sequences too. */
static int
word_byte(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

size_t
disc_importer_key(const char *name, char *out, size_t outsz)
{
	const char	*w[KEY_WORDS];
	size_t		 wl[KEY_WORDS], nw = 0, keep, i, j, o = 0;
	const char	*p = name;

	if (outsz == 0)
		return 0;
	while (p != NULL && *p != '\0') {
		while (*p != '\0' && !word_byte((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		if (nw == KEY_WORDS) {
			/* The rest counts as part of the last word. */
			wl[nw - 1] = strlen(w[nw - 1]);
			break;
		}
		w[nw] = p;
		while (*p != '\0' && word_byte((unsigned char)*p))
			p++;
		wl[nw] = p - w[nw];
		nw++;
	}
	/* Drop trailing company-form words ("Acme Metals Co. Inc."), but
	 * never the whole name. */
	keep = nw;
	while (keep > 1 && is_form_word(w[keep - 1], wl[keep - 1]))
		keep--;
	for (i = 0; i < keep; i++)
		for (j = 0; j < wl[i] && o + 1 < outsz; j++) {
			unsigned char	 c = w[i][j];

			if (!word_byte(c))
				continue;
			out[o++] = c < 0x80 ? toupper(c) : c;
		}
	out[o] = '\0';
	return o;
}

int
disc_primary_ok(int64_t importers, int64_t top, int64_t value)
{
	return disc_primary_bounds(importers, importers, top, top, value) ==
	    DISC_PASS;
}

enum disc_verdict
disc_primary_bounds(int64_t min_imp, int64_t max_imp, int64_t min_top,
    int64_t max_top, int64_t value)
{
	/* top > 80% of value, in integers: values stay far below 2^63 /
	 * 100 (LIM_VALUE_USD_MAX cents times any count of licenses). */
	if (value <= 0 || max_imp < DISC_MIN_IMPORTERS ||
	    min_top * 100 > (int64_t)DISC_MAX_SHARE_PCT * value)
		return DISC_FAIL;
	if (min_imp >= DISC_MIN_IMPORTERS &&
	    max_top * 100 <= (int64_t)DISC_MAX_SHARE_PCT * value)
		return DISC_PASS;
	return DISC_UNSURE;
}

/*
 * The published cell to hide for a line whose one hidden figure is
 * worth v: the smallest worth at least DISC_PROTECT_PCT of v, else the
 * largest.  -1 if none.
 */
static long
pick(const struct disc_cell *cells, size_t n, int64_t v)
{
	long	 best = -1, big = -1;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (cells[i].state != DISC_PUBLISHED)
			continue;
		if (cells[i].value * 100 >= v * DISC_PROTECT_PCT &&
		    (best == -1 || cells[i].value < cells[best].value))
			best = i;
		if (big == -1 || cells[i].value > cells[big].value)
			big = i;
	}
	return best != -1 ? best : big;
}

size_t
disc_protect_line(struct disc_cell *cells, size_t n,
    const struct disc_cell *total)
{
	size_t	 i, hidden = 0, added = 0;
	int64_t	 v = 0;
	long	 k;

	if (DISC_HIDDEN(total->state)) {
		hidden++;
		v = total->value;
	}
	for (i = 0; i < n; i++)
		if (DISC_HIDDEN(cells[i].state)) {
			hidden++;
			v = cells[i].value;
		}
	/* With the total published, one hidden cell is the total less the
	 * others; with the total hidden and every cell published, the total
	 * is their sum.  Two hidden figures in one equation are safe. */
	if (hidden == 1 && (k = pick(cells, n, v)) != -1) {
		cells[k].state = DISC_COMPLEMENT;
		added++;
	}
	return added;
}

/*
 * The table with its totals as a bipartite graph: nodes 0..m are the
 * rows and the row of column totals, m+1..m+n+1 the columns and the
 * column of row totals; the figure at (i, j), i <= m, j <= n, joins
 * node i and node m + 1 + j.
 */
struct table {
	struct disc_cell	*cells;
	const struct disc_cell	*rowtot, *coltot, *grand;
	size_t			 m, n, nodes;
	/* Hidden figures as edges, and each node's edges (CSR). */
	size_t			*eu, *ev, ne;
	size_t			*off, *adj;
	/* Bridge search. */
	size_t			*disc, *low;
	size_t			 clock;
	unsigned char		*bridge;
	/* Figures on no cycle even with every published cell hidden:
	 * hiding them could never be made safe. */
	unsigned char		*lost;
	/* Shortest path. */
	double			*dist;
	size_t			*prev;
	unsigned char		*done;
};

static const struct disc_cell *
entry(const struct table *t, size_t i, size_t j)
{
	if (i < t->m && j < t->n)
		return &t->cells[i * t->n + j];
	if (i < t->m)
		return &t->rowtot[i];
	if (j < t->n)
		return &t->coltot[j];
	return t->grand;
}

/* Whether a cell could still be hidden to protect another: a
 * published one, or an empty one (shown hidden, it may hold anything,
 * which is what keeps some tables safe). */
static int
candidate(const struct table *t, size_t i, size_t j)
{
	return i < t->m && j < t->n &&
	    (t->cells[i * t->n + j].state == DISC_PUBLISHED ||
	    t->cells[i * t->n + j].state == DISC_EMPTY);
}

/* Builds the edges of the hidden figures (with every candidate too
 * when pot) and the adjacency. */
static void
edges(struct table *t, int pot)
{
	size_t	 i, j, k, u, v;

	t->ne = 0;
	memset(t->off, 0, (t->nodes + 1) * sizeof(*t->off));
	for (i = 0; i <= t->m; i++)
		for (j = 0; j <= t->n; j++)
			if (DISC_HIDDEN(entry(t, i, j)->state) ||
			    (pot && candidate(t, i, j))) {
				t->eu[t->ne] = i;
				t->ev[t->ne] = t->m + 1 + j;
				t->off[i + 1]++;
				t->off[t->m + 2 + j]++;
				t->ne++;
			}
	for (k = 1; k <= t->nodes; k++)
		t->off[k] += t->off[k - 1];
	/* Fill with disc as a cursor per node. */
	for (k = 0; k < t->nodes; k++)
		t->disc[k] = t->off[k];
	for (k = 0; k < t->ne; k++) {
		u = t->eu[k];
		v = t->ev[k];
		t->adj[t->disc[u]++] = k;
		t->adj[t->disc[v]++] = k;
	}
}

#define UNSEEN	((size_t)-1)

/* Tarjan's bridges: depth-first, recursing at most once per node. */
static void
dfs(struct table *t, size_t u, size_t via)
{
	size_t	 k, e, w;

	t->disc[u] = t->low[u] = t->clock++;
	for (k = t->off[u]; k < t->off[u + 1]; k++) {
		e = t->adj[k];
		if (e == via)
			continue;
		w = t->eu[e] == u ? t->ev[e] : t->eu[e];
		if (t->disc[w] == UNSEEN) {
			dfs(t, w, e);
			if (t->low[w] < t->low[u])
				t->low[u] = t->low[w];
			if (t->low[w] > t->disc[u])
				t->bridge[e] = 1;
		} else if (t->disc[w] < t->low[u])
			t->low[u] = t->disc[w];
	}
}

/* Marks the bridges; returns how many. */
static size_t
bridges(struct table *t, int pot)
{
	size_t	 k, n = 0;

	edges(t, pot);
	for (k = 0; k < t->nodes; k++)
		t->disc[k] = UNSEEN;
	memset(t->bridge, 0, t->ne ? t->ne : 1);
	t->clock = 0;
	for (k = 0; k < t->nodes; k++)
		if (t->disc[k] == UNSEEN)
			dfs(t, k, UNSEEN);
	for (k = 0; k < t->ne; k++)
		n += t->bridge[k];
	return n;
}

/*
 * Hides the cheapest interior cells that put edge e on a cycle: a
 * shortest path from one end of e to the other where hidden figures
 * (but e) cost nothing and published cells their value, plus a penalty
 * when worth less than DISC_PROTECT_PCT of e.  Returns the number of
 * cells hidden (0: no path).
 */
static size_t
close_cycle(struct table *t, size_t e)
{
	const struct disc_cell	*c;
	size_t			 src = t->eu[e], dst = t->ev[e], u, w, i;
	size_t			 row, col, added = 0;
	int64_t			 need;
	double			 penalty = 1, cost;

	need = entry(t, src, dst - t->m - 1)->value;
	for (i = 0; i < t->m * t->n; i++)
		penalty += t->cells[i].value > 0 ? t->cells[i].value : 0;
	for (u = 0; u < t->nodes; u++) {
		t->dist[u] = -1;
		t->done[u] = 0;
		t->prev[u] = UNSEEN;
	}
	t->dist[src] = 0;
	for (;;) {
		u = UNSEEN;
		for (w = 0; w < t->nodes; w++)
			if (!t->done[w] && t->dist[w] >= 0 &&
			    (u == UNSEEN || t->dist[w] < t->dist[u]))
				u = w;
		if (u == UNSEEN || u == dst)
			break;
		t->done[u] = 1;
		/* Row nodes reach column nodes and back. */
		for (w = 0; w < t->nodes; w++) {
			if ((u <= t->m) == (w <= t->m) || t->done[w])
				continue;
			row = u <= t->m ? u : w;
			col = (u <= t->m ? w : u) - t->m - 1;
			if ((row == src && col + t->m + 1 == dst))
				continue;
			c = entry(t, row, col);
			if (t->lost[row * (t->n + 1) + col])
				continue;
			if (DISC_HIDDEN(c->state))
				cost = 0;
			else if (candidate(t, row, col) &&
			    c->state == DISC_EMPTY)
				cost = 2 * penalty;
			else if (candidate(t, row, col)) {
				cost = (double)c->value + 1;
				if (c->value * 100 < need * DISC_PROTECT_PCT)
					cost += penalty;
			} else
				continue;
			if (t->dist[w] < 0 || t->dist[u] + cost < t->dist[w]) {
				t->dist[w] = t->dist[u] + cost;
				t->prev[w] = u;
			}
		}
	}
	if (t->dist[dst] < 0)
		return 0;
	for (w = dst; w != src; w = u) {
		u = t->prev[w];
		row = u <= t->m ? u : w;
		col = (u <= t->m ? w : u) - t->m - 1;
		if (candidate(t, row, col)) {
			t->cells[row * t->n + col].state = DISC_COMPLEMENT;
			added++;
		}
	}
	return added;
}

static void
table_free(struct table *t)
{
	free(t->eu);
	free(t->ev);
	free(t->off);
	free(t->adj);
	free(t->disc);
	free(t->low);
	free(t->bridge);
	free(t->lost);
	free(t->dist);
	free(t->prev);
	free(t->done);
}

static int
table_init(struct table *t, struct disc_cell *cells, size_t m, size_t n,
    const struct disc_cell *rowtot, const struct disc_cell *coltot,
    const struct disc_cell *grand)
{
	size_t	 maxe = (m + 1) * (n + 1);

	memset(t, 0, sizeof(*t));
	t->cells = cells;
	t->rowtot = rowtot;
	t->coltot = coltot;
	t->grand = grand;
	t->m = m;
	t->n = n;
	t->nodes = m + n + 2;
	if ((t->eu = calloc(maxe, sizeof(size_t))) == NULL ||
	    (t->ev = calloc(maxe, sizeof(size_t))) == NULL ||
	    (t->off = calloc(t->nodes + 1, sizeof(size_t))) == NULL ||
	    (t->adj = calloc(2 * maxe, sizeof(size_t))) == NULL ||
	    (t->disc = calloc(t->nodes, sizeof(size_t))) == NULL ||
	    (t->low = calloc(t->nodes, sizeof(size_t))) == NULL ||
	    (t->bridge = calloc(maxe, 1)) == NULL ||
	    (t->lost = calloc(maxe, 1)) == NULL ||
	    (t->dist = calloc(t->nodes, sizeof(double))) == NULL ||
	    (t->prev = calloc(t->nodes, sizeof(size_t))) == NULL ||
	    (t->done = calloc(t->nodes, 1)) == NULL) {
		table_free(t);
		return -1;
	}
	return 0;
}

long
disc_protect_table(struct disc_cell *cells, size_t m, size_t n,
    const struct disc_cell *rowtot, const struct disc_cell *coltot,
    const struct disc_cell *grand)
{
	struct table	 t;
	size_t		 k, i, got;
	long		 added = 0;

	if (m == 0 || n == 0)
		return 0;
	if (table_init(&t, cells, m, n, rowtot, coltot, grand) == -1) {
		for (i = 0; i < m * n; i++)
			if (cells[i].state == DISC_PUBLISHED)
				cells[i].state = DISC_COMPLEMENT;
		return -1;
	}
	/* Hiding cells never changes which figures could be hidden, so
	 * what lies on no cycle of that graph is found once: such a cell
	 * is never a complement, and such a hidden figure (which the
	 * fixed totals alone give away) cannot be helped here. */
	bridges(&t, 1);
	for (k = 0; k < t.ne; k++)
		if (t.bridge[k])
			t.lost[t.eu[k] * (n + 1) + t.ev[k] - m - 1] = 1;
	/* Each round repairs one bridge (the first, in table order) and
	 * looks again: a repair can mend others. */
	while (bridges(&t, 0) > 0) {
		for (k = 0; k < t.ne; k++)
			if (t.bridge[k] &&
			    !t.lost[t.eu[k] * (n + 1) + t.ev[k] - m - 1])
				break;
		if (k == t.ne || (got = close_cycle(&t, k)) == 0)
			break;
		added += got;
	}
	table_free(&t);
	return added;
}

long
disc_exposed(const struct disc_cell *cells, size_t m, size_t n,
    const struct disc_cell *rowtot, const struct disc_cell *coltot,
    const struct disc_cell *grand)
{
	struct table	 t;
	size_t		 i, hidden;
	long		 r;

	if (n == 0) {
		hidden = DISC_HIDDEN(grand->state);
		for (i = 0; i < m; i++)
			hidden += DISC_HIDDEN(cells[i].state);
		return hidden == 1;
	}
	/* The search only reads the cells. */
	if (table_init(&t, (struct disc_cell *)cells, m, n, rowtot, coltot,
	    grand) == -1)
		return -1;
	r = bridges(&t, 0);
	table_free(&t);
	return r;
}
