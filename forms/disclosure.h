/*
 * Disclosure control of the public monitor (DOMAIN.md section 10): which
 * aggregate figures may be published.  Pure functions on numbers and
 * arrays of cells; db/monitor.c gathers the figures.
 *
 * Primary suppression: a figure is published only when at least
 * DISC_MIN_IMPORTERS distinct importers contribute and no importer has
 * more than DISC_MAX_SHARE_PCT percent of its value.
 *
 * Complementary suppression: within a table and its margins, no hidden
 * figure may be worked out from the published ones.  Every line of a
 * table (a row with its row total, a column with its column total, the
 * totals with the grand total) is one equation; the hidden figures are
 * the unknowns.  In a two-way table each figure lies on exactly two
 * lines, so the unknowns are the edges of a bipartite graph of lines,
 * and an unknown is determined by the published figures exactly when
 * its edge is a bridge of that graph (it lies on no cycle).  Hiding a
 * cell in a line with one hidden figure is the simplest such repair;
 * disc_protect_table repairs every bridge.
 */
#ifndef AIM_DISCLOSURE_H
#define AIM_DISCLOSURE_H

#include <stddef.h>
#include <stdint.h>

#define DISC_MIN_IMPORTERS	3
#define DISC_MAX_SHARE_PCT	80
/* A complement should be worth at least this share of the figure it
 * protects, so that the published figures do not pin the hidden one
 * down to a narrow range either. */
#define DISC_PROTECT_PCT	10

enum disc_state {
	DISC_EMPTY,		/* no data: a known zero, never shown */
	DISC_PUBLISHED,
	DISC_PRIMARY,		/* fails the importer rule */
	DISC_COMPLEMENT,	/* hidden to protect another figure */
	DISC__MAX
};

#define DISC_HIDDEN(s)	((s) == DISC_PRIMARY || (s) == DISC_COMPLEMENT)

/*
 * The key that tells importers apart: the importer name without case,
 * punctuation, spacing or trailing company-form words ("Inc", "LLC",
 * "GmbH" ...), so that two spellings of one company count as one (which
 * errs towards suppression).  Writes at most outsz - 1 bytes and a NUL;
 * returns the length.
 */
size_t	 disc_importer_key(const char *name, char *out, size_t outsz);

/* The rule on exact figures: 1 publishable, 0 not. */
int	 disc_primary_ok(int64_t importers, int64_t top_value,
	    int64_t value);

/*
 * The rule on a figure summed from parts whose importers may overlap:
 * its distinct importers lie in [min_importers, max_importers] (the
 * largest part's count, the sum of the counts) and its largest
 * importer's value in [min_top, max_top] (the largest part's, the sum
 * of the parts').  DISC_UNSURE: only the exact figures can tell.
 */
enum disc_verdict {
	DISC_PASS,
	DISC_FAIL,
	DISC_UNSURE
};
enum disc_verdict disc_primary_bounds(int64_t min_importers,
	    int64_t max_importers, int64_t min_top, int64_t max_top,
	    int64_t value);

/* One figure of a table: its value (what complements are chosen by)
 * and its state. */
struct disc_cell {
	int64_t		 value;
	enum disc_state	 state;
};

/*
 * One line: cells[0..n-1] and their total, which is fixed (another
 * answer publishes it or not).  Hides the cheapest adequate published
 * cells until the line does not have exactly one hidden figure.
 * Returns the number of cells hidden.
 */
size_t	 disc_protect_line(struct disc_cell *cells, size_t n,
	    const struct disc_cell *total);

/*
 * A two-way table: cells[i * ncols + j], its row totals rowtot[nrows],
 * column totals coltot[ncols] and grand total, all fixed (the one-way
 * answers publish them).  Hides interior cells until no hidden figure,
 * interior or total, is determined by the published ones: published
 * cells, cheapest first, and where nothing else will do, empty cells
 * (shown hidden, an empty cell may hold anything).  What the fixed
 * totals alone give away no cell can hide; that is left as it is.
 * Returns the number of cells hidden, or -1 when out of memory (then
 * every non-empty cell is hidden).
 */
long	 disc_protect_table(struct disc_cell *cells, size_t nrows,
	    size_t ncols, const struct disc_cell *rowtot,
	    const struct disc_cell *coltot, const struct disc_cell *grand);

/*
 * How many hidden figures of a table and its totals the published ones
 * determine (0: safe).  ncols == 0 checks one line: cells[0..nrows-1]
 * with the grand total.  -1 when out of memory.
 */
long	 disc_exposed(const struct disc_cell *cells, size_t nrows,
	    size_t ncols, const struct disc_cell *rowtot,
	    const struct disc_cell *coltot, const struct disc_cell *grand);

#endif
