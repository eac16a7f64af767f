/*
 * Multiple licenses from one spreadsheet (DOMAIN.md section 7): the
 * rows of an .xlsx or .csv file grouped by license_ref into forms, and
 * every problem reported at the row and column the filer sees (row 1
 * holds the column names, so the first data row is row 2).
 */
#ifndef AIM_FORMS_BATCH_H
#define AIM_FORMS_BATCH_H

#include <stddef.h>

#include "form.h"
#include "sheet.h"

struct batch_error {
	size_t	 row;		/* 0: the file as a whole */
	char	*field;		/* column name, or "" */
	char	*message;
	size_t	 seq;		/* order added, for a stable sort */
};

struct batch_report {
	struct batch_error	*errors;
	size_t			 nerrors;
	int			 truncated; /* past LIM_BATCH_ERRORS */
};

void	 batch_report_init(struct batch_report *);
void	 batch_report_free(struct batch_report *);
void	 batch_error(struct batch_report *, size_t row, const char *field,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Orders the errors by row, keeping the order within a row. */
void	 batch_report_sort(struct batch_report *);

struct batch_license {
	char		*ref;		/* license_ref as written */
	struct form	*form;
	size_t		 first_row;
	size_t		*line_rows;	/* row of each line of form */
	size_t		 nrows;		/* rows of this license */
	int		 rejected;	/* its rows have errors */
};

struct batch {
	struct batch_license	*lic;	/* by first appearance */
	size_t			 n;
	size_t			 cap;
	size_t			 rows;	/* data rows read */
	struct batch_report	 report;
};

enum batch_format {
	BATCH_UNKNOWN,
	BATCH_XLSX,
	BATCH_CSV,
	BATCH__MAX
};

void	 batch_init(struct batch *);
void	 batch_free(struct batch *);
/* By content: a zip archive is .xlsx, UTF-8 text is .csv. */
enum batch_format batch_sniff(const char *buf, size_t len);
/*
 * Reads an .xlsx or .csv file (by content) and groups its rows into
 * licenses, into b (batch_init'ed; batch_free it either way).  Returns
 * 0 with the licenses and row problems in b, or -1 with a message in
 * err when the file cannot be read at all.
 */
int	 batch_read(const char *buf, size_t len, struct batch *b,
	    char *err, size_t errsz);
/* Groups the rows of a read sheet into b (the sheet's problems are
 * already in b->report).  Returns 0, or -1 with err. */
int	 batch_group(struct sheet *, struct batch *b, char *err,
	    size_t errsz);
/*
 * Adds the rule errors of license i (rep, as forms/rules.c names the
 * fields) to the batch report: a header field at the license's first
 * row, lines[N].x at the row of line N.
 */
void	 batch_report_form(struct batch *, size_t i, const struct report *);

#endif
