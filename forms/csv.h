/*
 * RFC 4180 CSV: quoted fields, doubled quotes, embedded newlines, CRLF
 * or LF, a UTF-8 byte order mark.  A pull reader over a memory buffer.
 */
#ifndef AIM_CSV_H
#define AIM_CSV_H

#include <stddef.h>

enum csv_err {
	CSV_OK,
	CSV_EOF,		/* no more records */
	CSV_QUOTE,		/* a quote left open, or text after a close */
	CSV_TOO_MANY_FIELDS,	/* past LIM_CSV_FIELDS */
	CSV_FIELD_TOO_LONG,	/* past the reader's field limit */
	CSV_NOMEM,
	CSV__MAX
};

const char *csv_strerror(enum csv_err);

struct csv {
	const char	*buf;
	size_t		 len;
	size_t		 pos;
	size_t		 line;		/* physical line of the record start, from 1 */
	size_t		 field_max;	/* bytes per field */
	char		*fields[64];	/* LIM_CSV_FIELDS; owned, NUL-terminated */
	size_t		 nfields;
};

/* field_max bytes per field; a leading BOM is skipped. */
void	 csv_init(struct csv *, const char *buf, size_t len, size_t field_max);
/* Reads the next record into c->fields.  A blank line is a record with
 * one empty field. */
enum csv_err csv_next(struct csv *);
void	 csv_free(struct csv *);

#endif
