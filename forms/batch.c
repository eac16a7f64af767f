/*
 * Rows to licenses.  Rows with the same license_ref form one license,
 * in the order each reference first appears; its header columns must
 * repeat the same values on every row, and each row with a line value
 * becomes a product line.  Every problem names the row and column the
 * filer sees, so the rules' "lines[3].hts_code" becomes "row 14,
 * hts_code".
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "lib/limits.h"
#include "batch.h"
#include "csvread.h"
#include "xlsxread.h"

void
batch_report_init(struct batch_report *r)
{
	memset(r, 0, sizeof(*r));
}

void
batch_report_free(struct batch_report *r)
{
	size_t	 i;

	for (i = 0; i < r->nerrors; i++) {
		free(r->errors[i].field);
		free(r->errors[i].message);
	}
	free(r->errors);
	batch_report_init(r);
}

/* Allocation failures mark the report truncated, never short. */
void
batch_error(struct batch_report *r, size_t row, const char *field,
    const char *fmt, ...)
{
	struct batch_error	*p;
	va_list			 ap;
	char			*msg = NULL;
	int			 n;

	if (r->nerrors >= LIM_BATCH_ERRORS) {
		r->truncated = 1;
		return;
	}
	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n == -1) {
		r->truncated = 1;
		return;
	}
	if ((p = reallocarray(r->errors, r->nerrors + 1, sizeof(*p))) ==
	    NULL) {
		free(msg);
		r->truncated = 1;
		return;
	}
	r->errors = p;
	p = &r->errors[r->nerrors];
	p->row = row;
	p->message = msg;
	p->seq = r->nerrors;
	if ((p->field = strdup(field)) == NULL) {
		free(msg);
		r->truncated = 1;
		return;
	}
	r->nerrors++;
}

static int
errcmp(const void *a, const void *b)
{
	const struct batch_error	*x = a, *y = b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
batch_report_sort(struct batch_report *r)
{
	if (r->nerrors > 1)
		qsort(r->errors, r->nerrors, sizeof(*r->errors), errcmp);
}

void
batch_init(struct batch *b)
{
	memset(b, 0, sizeof(*b));
	batch_report_init(&b->report);
}

void
batch_free(struct batch *b)
{
	size_t	 i;

	for (i = 0; i < b->n; i++) {
		free(b->lic[i].ref);
		form_free(b->lic[i].form);
		free(b->lic[i].line_rows);
	}
	free(b->lic);
	batch_report_free(&b->report);
	memset(b, 0, sizeof(*b));
}

enum batch_format
batch_sniff(const char *buf, size_t len)
{
	size_t	 i, n = len < 4096 ? len : 4096;

	if (xlsxread_is_zip(buf, len))
		return BATCH_XLSX;
	/* UTF-16 text: CSV in the wrong encoding, which csvread names. */
	if (len >= 2 && (((unsigned char)buf[0] == 0xff &&
	    (unsigned char)buf[1] == 0xfe) || ((unsigned char)buf[0] == 0xfe &&
	    (unsigned char)buf[1] == 0xff)))
		return BATCH_CSV;
	/* A known binary type, or NUL bytes: no CSV. */
	if (xlsxread_kind(buf, len) != NULL)
		return BATCH_UNKNOWN;
	for (i = 0; i < n; i++)
		if (buf[i] == '\0')
			return BATCH_UNKNOWN;
	return BATCH_CSV;
}

/* s without surrounding white space: start and length. */
static const char *
trim(const char *s, size_t *len)
{
	size_t	 n;

	if (s == NULL) {
		*len = 0;
		return "";
	}
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	*len = n;
	return s;
}

/* At most 60 bytes of a value for a message, cut on a character. */
static int
shown(const char *s, size_t len)
{
	size_t	 n = len;

	if (n <= 60)
		return (int)n;
	n = 60;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return (int)n;
}

/* Characters of UTF-8 text (continuation bytes not counted). */
static size_t
utf8_count(const char *s, size_t len)
{
	size_t	 i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

/* Whether two header values say the same (dates by their day). */
static int
same(int col, const char *a, const char *b)
{
	const char	*ta, *tb;
	char		 da[16], db[16];
	size_t		 la, lb;
	int		 x, y;

	ta = trim(a, &la);
	tb = trim(b, &lb);
	if (la == lb && memcmp(ta, tb, la) == 0)
		return 1;
	if (!sheet_col_is_date(col) || la >= sizeof(da) || lb >= sizeof(db))
		return 0;
	memcpy(da, ta, la);
	da[la] = '\0';
	memcpy(db, tb, lb);
	db[lb] = '\0';
	return date_parse(da, &x) == 0 && date_parse(db, &y) == 0 && x == y;
}

/*
 * License references to licenses: open addressing over a table twice
 * the row count, so grouping stays linear at the row limit.
 */
struct refmap {
	size_t	*slot;		/* license index + 1; 0: empty */
	size_t	 size;		/* a power of two */
};

static uint32_t
refhash(const char *s, size_t n)
{
	uint32_t	 h = 2166136261u;
	size_t		 i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/* The license of a reference, or the empty slot where it goes. */
static size_t *
refmap_find(struct refmap *m, const struct batch *b, const char *ref,
    size_t len)
{
	size_t	 i;
	const char *r;

	i = refhash(ref, len) & (m->size - 1);
	for (;;) {
		if (m->slot[i] == 0)
			return &m->slot[i];
		r = b->lic[m->slot[i] - 1].ref;
		if (strlen(r) == len && memcmp(r, ref, len) == 0)
			return &m->slot[i];
		i = (i + 1) & (m->size - 1);
	}
}

static struct batch_license *
license_new(struct batch *b, const char *ref, size_t len, size_t row)
{
	struct batch_license	*p;
	size_t			 cap;

	if (b->n == b->cap) {
		cap = b->cap ? b->cap * 2 : 16;
		if ((p = reallocarray(b->lic, cap, sizeof(*p))) == NULL)
			return NULL;
		b->lic = p;
		b->cap = cap;
	}
	p = &b->lic[b->n];
	memset(p, 0, sizeof(*p));
	if ((p->ref = strndup(ref, len)) == NULL ||
	    (p->form = form_new()) == NULL) {
		free(p->ref);
		return NULL;
	}
	p->first_row = row;
	b->n++;
	return p;
}

/* The header values of a license's first row. */
static int
header_set(struct batch_license *l, const struct sheet_row *r)
{
	int	 h;

	for (h = 0; h < HF__MAX; h++)
		if (r->v[SHEET_COL_HF(h)] != NULL &&
		    form_set(l->form, h, r->v[SHEET_COL_HF(h)],
		    strlen(r->v[SHEET_COL_HF(h)])) == -1)
			return -1;
	return 0;
}

/* A later row of a license: its header values must agree. */
static void
header_check(struct batch *b, struct batch_license *l,
    const struct sheet_row *r)
{
	const char	*a, *f;
	size_t		 la, lf;
	int		 h, c;

	for (h = 0; h < HF__MAX; h++) {
		c = SHEET_COL_HF(h);
		if ((r->badcol & (uint32_t)1 << c) ||
		    same(c, r->v[c], l->form->v[h]))
			continue;	/* agrees, or already reported */
		a = trim(r->v[c], &la);
		f = trim(l->form->v[h], &lf);
		batch_error(&b->report, r->row, sheet_col_name(c), "%s is "
		    "\"%.*s\" here but \"%.*s\" on row %zu, the first row of "
		    "license_ref %s: repeat the same header values on every "
		    "row of a license.", sheet_col_name(c), shown(a, la), a,
		    shown(f, lf), f, l->first_row, l->ref);
		l->rejected = 1;
	}
}

/* The row's product line, if it has any line value. */
static int
line_add(struct batch_license *l, const struct sheet_row *r)
{
	struct form_line	*fl;
	size_t			*p;
	int			 k, any = 0;

	for (k = 0; k < LF__MAX; k++)
		if (r->v[SHEET_COL_LF(k)] != NULL)
			any = 1;
	if (!any)
		return 0;
	/* One line past the limit lets the rules say so; no more. */
	if (l->form->nlines > LIM_LINES)
		return 0;
	if ((fl = form_add_line(l->form)) == NULL)
		return -1;
	for (k = 0; k < LF__MAX; k++)
		if (r->v[SHEET_COL_LF(k)] != NULL &&
		    form_line_set(fl, k, r->v[SHEET_COL_LF(k)],
		    strlen(r->v[SHEET_COL_LF(k)])) == -1)
			return -1;
	p = reallocarray(l->line_rows, l->form->nlines, sizeof(*p));
	if (p == NULL)
		return -1;
	l->line_rows = p;
	p[l->form->nlines - 1] = r->row;
	return 0;
}

int
batch_group(struct sheet *sh, struct batch *b, char *err, size_t errsz)
{
	struct refmap		 m;
	struct batch_license	*l;
	const struct sheet_row	*r;
	const char		*ref;
	size_t			 i, len, *slot;
	int			 rc = -1;

	memset(&m, 0, sizeof(m));
	b->rows = sh->nrows;
	if (sh->nrows == 0) {
		why_set(err, errsz, "the sheet has no rows below the column "
		    "names: fill in one row per product line from row 2");
		return -1;
	}
	for (m.size = 16; m.size < sh->nrows * 2; m.size *= 2)
		;
	if ((m.slot = calloc(m.size, sizeof(*m.slot))) == NULL)
		goto nomem;
	for (i = 0; i < sh->nrows; i++) {
		r = &sh->rows[i];
		ref = trim(r->v[SHEET_COL_REF], &len);
		if (len == 0) {
			if (!(r->badcol & (uint32_t)1 << SHEET_COL_REF))
				batch_error(&b->report, r->row, "license_ref",
				    "license_ref is empty: rows with the same "
				    "license_ref form one license, so every "
				    "row needs one.");
			continue;
		}
		if (utf8_count(ref, len) > LIM_FIELD_CHARS) {
			batch_error(&b->report, r->row, "license_ref",
			    "license_ref is too long: at most %d characters.",
			    LIM_FIELD_CHARS);
			continue;
		}
		slot = refmap_find(&m, b, ref, len);
		if (*slot == 0) {
			if ((l = license_new(b, ref, len, r->row)) == NULL)
				goto nomem;
			*slot = b->n;
			if (header_set(l, r) == -1)
				goto nomem;
		} else {
			l = &b->lic[*slot - 1];
			header_check(b, l, r);
		}
		l->nrows++;
		if (r->bad)
			l->rejected = 1;
		if (line_add(l, r) == -1)
			goto nomem;
	}
	/* A misnamed column may hold any license's values. */
	if (sh->names_bad)
		for (i = 0; i < b->n; i++)
			b->lic[i].rejected = 1;
	rc = 0;
	goto out;
nomem:
	why_set(err, errsz, "out of memory");
out:
	free(m.slot);
	return rc;
}

int
batch_read(const char *buf, size_t len, struct batch *b, char *err,
    size_t errsz)
{
	struct sheet	 sh;
	int		 rc = -1;

	sheet_init(&sh, &b->report);
	if (batch_sniff(buf, len) == BATCH_CSV) {
		if (csvread(buf, len, &sh, err, errsz) == -1)
			goto out;
	} else if (xlsxread(buf, len, &sh, err, errsz) == -1)
		goto out;	/* it names what the file is instead */
	if (sheet_finish(&sh, err, errsz) == -1 ||
	    batch_group(&sh, b, err, errsz) == -1)
		goto out;
	rc = 0;
out:
	sheet_free(&sh);
	return rc;
}

/* lines[N].x: N from 1 and the field after the dot. */
static int
line_path(const char *path, size_t *n, const char **field)
{
	char	*end;
	long	 v;

	if (strncmp(path, "lines[", 6) != 0 || path[6] < '0' ||
	    path[6] > '9')
		return -1;
	v = strtol(path + 6, &end, 10);
	if (*end != ']' || v < 1 || v > LIM_LINES + 1)
		return -1;
	*n = (size_t)v;
	*field = end[1] == '.' ? end + 2 : "";
	return 0;
}

void
batch_report_form(struct batch *b, size_t i, const struct report *rep)
{
	const struct batch_license	*l;
	const char			*path, *field;
	size_t				 k, n, row;

	if (i >= b->n)
		return;
	l = &b->lic[i];
	for (k = 0; k < rep->nerrors; k++) {
		path = rep->errors[k].field;
		row = l->first_row;
		field = path;
		if (line_path(path, &n, &field) == 0) {
			if (n <= l->form->nlines)
				row = l->line_rows[n - 1];
			if (*field == '\0')
				field = "hts_code";
		} else if (strcmp(path, "lines") == 0)
			field = "hts_code";	/* about the product lines */
		else if (*path == '\0')
			field = "license_ref";
		batch_error(&b->report, row, field, "%s",
		    rep->errors[k].message);
	}
	if (rep->truncated)
		batch_error(&b->report, l->first_row, "license_ref", "License "
		    "%s has more problems than shown: fix these first.",
		    l->ref);
}
