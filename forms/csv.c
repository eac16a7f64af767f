/*
 * RFC 4180 CSV, pulled one record at a time from a memory buffer.
 * Every byte is looked at a bounded number of times (a quoted field is
 * measured, then copied) and a record holds at most LIM_CSV_FIELDS
 * fields of field_max bytes, so time is linear and memory bounded
 * whatever the input.  A bare quote inside an unquoted field is kept
 * as text, as spreadsheets write it.  After an error the reader stands
 * at the end of its buffer: there is no resynchronising a broken quote.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/limits.h"
#include "csv.h"

/* The header sizes fields[] by hand; keep it in step with the limit. */
_Static_assert(sizeof(((struct csv *)0)->fields) /
    sizeof(((struct csv *)0)->fields[0]) == LIM_CSV_FIELDS,
    "struct csv fields[] must hold LIM_CSV_FIELDS");

static const char *const csv_errs[CSV__MAX] = {
	"no error",
	"end of file",
	"a quoted field is not closed, or has text after its closing quote",
	"a record has more than 64 fields",
	"a field is longer than allowed",
	"out of memory",
};

const char *
csv_strerror(enum csv_err e)
{
	if ((unsigned)e >= CSV__MAX)
		return "unknown CSV error";
	return csv_errs[e];
}

void
csv_init(struct csv *c, const char *buf, size_t len, size_t field_max)
{
	memset(c, 0, sizeof(*c));
	c->buf = buf;
	c->len = buf == NULL ? 0 : len;
	c->line = 1;
	c->field_max = field_max;
	if (c->len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		c->pos = 3;
}

static void
fields_clear(struct csv *c)
{
	size_t	 i;

	for (i = 0; i < c->nfields; i++) {
		free(c->fields[i]);
		c->fields[i] = NULL;
	}
	c->nfields = 0;
}

void
csv_free(struct csv *c)
{
	fields_clear(c);
}

/* Line breaks (CRLF, LF or lone CR) in a field's text. */
static size_t
breaks(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		if (*s == '\n' || (*s == '\r' && s[1] != '\n'))
			n++;
	return n;
}

static char *
field_copy(const char *p, size_t n)
{
	char	*s;

	if ((s = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

/*
 * Reads one field at c->pos, leaving c->pos on the delimiter after it
 * (comma, CR, LF) or at the end.
 */
static enum csv_err
field_read(struct csv *c, char **out)
{
	const char	*b = c->buf;
	size_t		 i, start, n;
	char		*s;

	*out = NULL;
	i = c->pos;
	if (i >= c->len || b[i] != '"') {
		start = i;
		while (i < c->len && b[i] != ',' && b[i] != '\r' &&
		    b[i] != '\n') {
			if (i - start >= c->field_max)
				return CSV_FIELD_TOO_LONG;
			i++;
		}
		if ((*out = field_copy(b + start, i - start)) == NULL)
			return CSV_NOMEM;
		c->pos = i;
		return CSV_OK;
	}

	/* Measure the quoted text, stopping early when it is too long. */
	start = ++i;
	n = 0;
	for (;;) {
		if (i >= c->len)
			return CSV_QUOTE;
		if (b[i] == '"') {
			if (i + 1 < c->len && b[i + 1] == '"')
				i++;
			else
				break;
		}
		if (n >= c->field_max)
			return CSV_FIELD_TOO_LONG;
		n++;
		i++;
	}
	if (i + 1 < c->len && b[i + 1] != ',' && b[i + 1] != '\r' &&
	    b[i + 1] != '\n')
		return CSV_QUOTE;

	if ((s = malloc(n + 1)) == NULL)
		return CSV_NOMEM;
	for (n = 0; start < i; start++) {
		s[n++] = b[start];
		if (b[start] == '"')
			start++;	/* the second of a doubled quote */
	}
	s[n] = '\0';
	*out = s;
	c->pos = i + 1;
	return CSV_OK;
}

enum csv_err
csv_next(struct csv *c)
{
	enum csv_err	 e;
	size_t		 i, nl;
	char		*f;

	/*
	 * The struct keeps only the start line of the last record, so the
	 * next one is found from its text: quoted fields keep their line
	 * breaks, and a record that is not the last ends in one.
	 */
	if (c->nfields > 0) {
		nl = 1;
		for (i = 0; i < c->nfields; i++)
			if (c->fields[i] != NULL)
				nl += breaks(c->fields[i]);
		c->line += nl;
	}
	fields_clear(c);
	if (c->pos >= c->len)
		return CSV_EOF;

	for (;;) {
		if (c->nfields == LIM_CSV_FIELDS) {
			e = CSV_TOO_MANY_FIELDS;
			goto out;
		}
		if ((e = field_read(c, &f)) != CSV_OK)
			goto out;
		c->fields[c->nfields++] = f;
		if (c->pos >= c->len)
			break;
		if (c->buf[c->pos] == ',') {
			c->pos++;
			continue;
		}
		if (c->buf[c->pos] == '\r' && c->pos + 1 < c->len &&
		    c->buf[c->pos + 1] == '\n')
			c->pos++;
		c->pos++;
		break;
	}
	return CSV_OK;
out:
	fields_clear(c);
	c->pos = c->len;
	return e;
}
