/*
 * The multiple-license spreadsheet (DOMAIN.md section 7): one row per
 * product line, the column names of row 1 being the vocabulary
 * (license_ref, then the header fields, then the line fields), rows
 * with the same license_ref forming one license.  This module holds the
 * columns, the rows as read (struct sheet, fed cell by cell by the
 * .xlsx and .csv readers) and the Excel template writer.
 */
#ifndef AIM_SHEET_H
#define AIM_SHEET_H

#include <stddef.h>
#include <stdint.h>

#include "lib/limits.h"
#include "form.h"

/* Columns: license_ref, the header fields, the line fields. */
#define SHEET_COL_REF		0
#define SHEET_COL_HF(h)		(1 + (h))
#define SHEET_COL_LF(l)		(1 + HF__MAX + (l))
#define SHEET_COLS		(1 + HF__MAX + LF__MAX)

/* A column's vocabulary name, and its index by name (or -1). */
const char	*sheet_col_name(int col);
int		 sheet_col_find(const char *name);
/* Whether a column holds dates (an .xlsx serial number is a date). */
int		 sheet_col_is_date(int col);

struct batch_report;

struct sheet_row {
	size_t		 row;		/* as the filer sees it */
	int		 bad;		/* a cell could not be taken */
	uint32_t	 badcol;	/* ... in these columns (bits) */
	char		*v[SHEET_COLS];	/* NULL: empty */
};

struct sheet {
	/* File column to SHEET_COL_, -1 unnamed, -2 misnamed. */
	int			 map[LIM_SHEET_COLS];
	int			 named[SHEET_COLS];	/* row 1 has it */
	int			 names_done;	/* row 1 was read */
	int			 names_bad;	/* row 1 has errors */
	struct sheet_row	*rows;		/* data rows, not empty */
	size_t			 nrows;
	size_t			 cap;
	struct sheet_row	 cur;		/* the row being read */
	int			 cur_used;
	struct batch_report	*rep;
};

/* Problems with cells and column names go to rep. */
void	 sheet_init(struct sheet *, struct batch_report *rep);
void	 sheet_free(struct sheet *);
/*
 * Feeds one cell: row from 1 (row 1 holds the column names), col from
 * 0.  Rows come in ascending order; empty values are skipped.  Returns
 * 0, or -1 with a message in err when the sheet cannot be read on
 * (too many rows, rows out of order, memory).
 */
int	 sheet_put(struct sheet *, size_t row, size_t col, const char *v,
	    size_t len, char *err, size_t errsz);
/* After the last cell.  Returns 0, or -1 with err (no license_ref
 * column, no rows). */
int	 sheet_finish(struct sheet *, char *err, size_t errsz);
/* The sheet column of a file column once row 1 is read, or -1. */
int	 sheet_col_of(const struct sheet *, size_t col);

/* The column letters of a file column from 0 ("A", "Z", "AA"). */
void	 sheet_col_letters(size_t col, char out[8]);

/*
 * Writes the Excel template: sheet "Licenses" with the column names,
 * notes and drop-down lists; "Instructions" with how to fill it and
 * the HTS codes; a hidden "Lists" sheet with the country names.
 * Needs rules_init.  Returns 0 with *out (caller frees) and *len, or
 * -1 with a message in err.
 */
int	 sheet_template(char **out, size_t *len, char *err, size_t errsz);

#endif
