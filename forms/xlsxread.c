/*
 * .xlsx reading: libzip for the archive, libxml2's streaming reader for
 * each part, fed straight from the inflater so no part is held whole.
 * The path to the first worksheet follows the package: _rels/.rels to
 * the workbook, its first <sheet> to a relationship id, the workbook's
 * .rels to the worksheet and the shared strings.
 *
 * Hostile input is refused before work is done: the file size, the
 * number of entries and each part's inflated size (as the zip
 * directory states it) are checked before inflating, and the bytes
 * actually inflated are counted, so an entry that lies about its size
 * is stopped at the size it claimed.  Macros (.xlsm) are refused.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlreader.h>
#include <zip.h>

#include "lib/date.h"
#include "lib/limits.h"
#include "xlsxread.h"

/* Excel's sheet size: rows and columns past these are damage. */
#define XLSX_MAX_ROW	1048576
#define XLSX_MAX_COL	16384
/* Bytes of a part path inside the archive. */
#define PART_MAX	256
/* Bytes of a relationship id or an attribute we keep. */
#define ATTR_MAX	64

#define REL_NS		"http://schemas.openxmlformats.org/" \
			"officeDocument/2006/relationships"
#define REL_NS_STRICT	"http://purl.oclc.org/ooxml/" \
			"officeDocument/relationships"

struct xr {
	zip_t		*za;
	size_t		 budget;	/* bytes left to inflate */
	int		 date1904;
	char		*err;
	size_t		 errsz;
	/* Shared strings: NUL-terminated, one after the other. */
	char		*sst;
	size_t		 sstlen;
	size_t		 sstcap;
	size_t		*sstoff;
	size_t		 nsst;
	size_t		 sstoffcap;
	/* The part being read. */
	zip_file_t	*zf;
	const char	*part;
	zip_uint64_t	 left;		/* bytes it may still give */
	int		 over;		/* it gave more than claimed */
	int		 zerr;		/* libzip failed to inflate */
	char		 xmlerr[160];
};

static void seterr(struct xr *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* Keeps the first message: it names the cause, later ones the fallout. */
static void
seterr(struct xr *x, const char *fmt, ...)
{
	va_list	 ap;

	if (x->err == NULL || x->errsz == 0 || x->err[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(x->err, x->errsz, fmt, ap);
	va_end(ap);
}

int
xlsxread_is_zip(const char *buf, size_t len)
{
	return len >= 4 && memcmp(buf, "PK\003\004", 4) == 0;
}

int
xlsxread_serial_date(double serial, int date1904, char out[11])
{
	long	 day;
	int	 days;

	/* Day 0 is 1904-01-01 in the 1904 system, no day in the 1900
	 * one; 2958465 is 9999-12-31.  The time of day is dropped. */
	if (!(serial >= (date1904 ? 0 : 1) && serial < 2958466))
		return -1;
	day = (long)floor(serial);
	if (date1904)
		days = date_from_ymd(1904, 1, 1) + (int)day;
	else if (day == 60)
		return -1;	/* 1900-02-29: Lotus's leap year, no day */
	else if (day < 60)
		days = date_from_ymd(1899, 12, 31) + (int)day;
	else
		days = date_from_ymd(1899, 12, 30) + (int)day;
	if (days > date_from_ymd(9999, 12, 31))
		return -1;
	date_format(days, out);
	return 0;
}

const char *
xlsxread_kind(const char *buf, size_t len)
{
	if (len >= 8 && memcmp(buf, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "a PNG image";
	if (len >= 3 && memcmp(buf, "\xff\xd8\xff", 3) == 0)
		return "a JPEG image";
	if (len >= 5 && memcmp(buf, "%PDF-", 5) == 0)
		return "a PDF document";
	if (len >= 8 && memcmp(buf, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) ==
	    0)
		return "an Excel 97-2003 (.xls) or password-protected file";
	if (len >= 4 && memcmp(buf, "PK\005\006", 4) == 0)
		return "an empty zip archive";
	return NULL;
}

/* The part path of target, relative to the folder of part base. */
static int
resolve(const char *base, const char *target, char out[PART_MAX])
{
	char	 tmp[PART_MAX * 2], *seg, *p;
	size_t	 n = 0, dir = 0, k;

	if (target[0] == '/')
		snprintf(tmp, sizeof(tmp), "%s", target + 1);
	else {
		if ((p = strrchr(base, '/')) != NULL)
			dir = p - base + 1;
		if (dir + strlen(target) >= sizeof(tmp))
			return -1;
		snprintf(tmp, sizeof(tmp), "%.*s%s", (int)dir, base, target);
	}
	/* Segment by segment, so "../" and "./" fold away. */
	out[0] = '\0';
	p = tmp;
	while ((seg = strsep(&p, "/")) != NULL) {
		if (*seg == '\0' || strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			if (n == 0)
				return -1;
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
			out[n] = '\0';
			continue;
		}
		k = strlen(seg);
		if (n + (n > 0) + k >= PART_MAX)
			return -1;
		if (n > 0)
			out[n++] = '/';
		memcpy(out + n, seg, k);
		n += k;
		out[n] = '\0';
	}
	return n > 0 ? 0 : -1;
}

/*
 * Reader plumbing: each part streams from zip_fread into libxml2,
 * counted against what the zip directory claimed.
 */

static int
part_read(void *ctx, char *buf, int len)
{
	struct xr	*x = ctx;
	zip_int64_t	 n;

	if (x->zf == NULL || len <= 0)
		return 0;
	if ((n = zip_fread(x->zf, buf, len)) < 0) {
		x->zerr = 1;
		return -1;
	}
	if ((zip_uint64_t)n > x->left) {
		x->over = 1;
		return -1;
	}
	x->left -= n;
	return (int)n;
}

static int
part_close(void *ctx)
{
	struct xr	*x = ctx;

	if (x->zf != NULL)
		zip_fclose(x->zf);
	x->zf = NULL;
	return 0;
}

static void
part_error(void *arg, const char *msg, xmlParserSeverities sev,
    xmlTextReaderLocatorPtr loc)
{
	struct xr	*x = arg;
	size_t		 n;

	if (x->xmlerr[0] != '\0' || (sev != XML_PARSER_SEVERITY_ERROR &&
	    sev != XML_PARSER_SEVERITY_VALIDITY_ERROR))
		return;
	snprintf(x->xmlerr, sizeof(x->xmlerr), "%s", msg);
	n = strlen(x->xmlerr);
	while (n > 0 && (x->xmlerr[n - 1] == '\n' || x->xmlerr[n - 1] == ' '))
		x->xmlerr[--n] = '\0';
}

/*
 * One node as the handlers see it: its type and, for elements and end
 * tags, its local name, looked up once (the reader's accessors are not
 * free: the node type of a text node scans it for blanks).
 */
struct node {
	xmlTextReaderPtr	 r;
	int			 type;
	const char		*name;	/* NULL: not an element */
};

/* Node handlers return 0 to go on, -1 to stop (message set). */
typedef int (*node_fn)(struct xr *, const struct node *, void *);

/*
 * Streams one part through fn.  Returns 0; 1 if the part is missing
 * and not required; -1 with a message.
 */
static int
part_walk(struct xr *x, const char *name, int required, node_fn fn,
    void *arg)
{
	xmlTextReaderPtr	 r = NULL;
	struct node		 nd;
	zip_stat_t		 st;
	zip_int64_t		 idx;
	int			 rc, ret = -1;

	if ((idx = zip_name_locate(x->za, name, ZIP_FL_NOCASE)) < 0) {
		if (!required)
			return 1;
		seterr(x, "the workbook has no %s part: it is damaged or not "
		    "an Excel workbook", name);
		return -1;
	}
	if (zip_stat_index(x->za, idx, 0, &st) == -1 ||
	    !(st.valid & ZIP_STAT_SIZE)) {
		seterr(x, "%s: the zip directory is damaged", name);
		return -1;
	}
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
	    st.encryption_method != ZIP_EM_NONE) {
		seterr(x, "the workbook is encrypted: save it without a "
		    "password");
		return -1;
	}
	/* Checked before a byte is inflated. */
	if (st.size > x->budget) {
		seterr(x, "the workbook inflates to more than %d bytes (%s "
		    "alone claims %llu): it is not a license sheet",
		    LIM_XLSX_UNCOMPRESSED, name, (unsigned long long)st.size);
		return -1;
	}
	x->budget -= st.size;
	if ((x->zf = zip_fopen_index(x->za, idx, 0)) == NULL) {
		seterr(x, "%s: %s", name, zip_strerror(x->za));
		return -1;
	}
	x->part = name;
	x->left = st.size;
	x->over = x->zerr = 0;
	x->xmlerr[0] = '\0';
	/* part_close runs whether or not the reader is made. */
	r = xmlReaderForIO(part_read, part_close, x, name, NULL,
	    XML_PARSE_NONET);
	if (r == NULL) {
		seterr(x, "%s: out of memory", name);
		goto out;
	}
	xmlTextReaderSetErrorHandler(r, part_error, x);
	nd.r = r;
	while ((rc = xmlTextReaderRead(r)) == 1) {
		nd.type = xmlTextReaderNodeType(r);
		nd.name = NULL;
		if (nd.type == XML_READER_TYPE_DOCUMENT_TYPE) {
			seterr(x, "%s has a DOCTYPE, which a workbook never "
			    "has: refused", name);
			goto out;
		}
		if (nd.type == XML_READER_TYPE_ELEMENT ||
		    nd.type == XML_READER_TYPE_END_ELEMENT)
			nd.name = (const char *)xmlTextReaderConstLocalName(r);
		if (fn(x, &nd, arg) == -1)
			goto out;
	}
	if (rc != 0) {
		if (x->over)
			seterr(x, "%s inflates to more than the %llu bytes the "
			    "zip directory claims: the file is damaged or "
			    "hostile", name, (unsigned long long)st.size);
		else if (x->zerr)
			seterr(x, "%s cannot be inflated: the file is damaged",
			    name);
		else
			seterr(x, "%s is not well-formed XML%s%s", name,
			    x->xmlerr[0] ? ": " : "", x->xmlerr);
		goto out;
	}
	ret = 0;
out:
	if (r != NULL)
		xmlFreeTextReader(r);
	else
		part_close(x);
	x->part = NULL;
	return ret;
}

static int
is_elem(const struct node *n, const char *name)
{
	return n->type == XML_READER_TYPE_ELEMENT && n->name != NULL &&
	    strcmp(n->name, name) == 0;
}

static int
is_end(const struct node *n, const char *name)
{
	return n->type == XML_READER_TYPE_END_ELEMENT && n->name != NULL &&
	    strcmp(n->name, name) == 0;
}

static int
is_text(const struct node *n)
{
	switch (n->type) {
	case XML_READER_TYPE_TEXT:
	case XML_READER_TYPE_CDATA:
	case XML_READER_TYPE_WHITESPACE:
	case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
		return 1;
	default:
		return 0;
	}
}

/* An attribute of the current element, by local name (and namespace
 * when ns is not NULL), copied into out; "" when absent. */
static void
attr(xmlTextReaderPtr r, const char *name, const char *ns, char *out,
    size_t sz)
{
	const xmlChar	*n, *u, *v;

	out[0] = '\0';
	if (xmlTextReaderMoveToFirstAttribute(r) != 1)
		return;
	do {
		n = xmlTextReaderConstLocalName(r);
		u = xmlTextReaderConstNamespaceUri(r);
		if (n == NULL || strcmp((const char *)n, name) != 0)
			continue;
		if (ns != NULL && (u == NULL || strcmp((const char *)u, ns) !=
		    0))
			continue;
		if ((v = xmlTextReaderConstValue(r)) != NULL)
			snprintf(out, sz, "%s", (const char *)v);
		break;
	} while (xmlTextReaderMoveToNextAttribute(r) == 1);
	xmlTextReaderMoveToElement(r);
}

/*
 * [Content_Types].xml: a workbook's main part, and no macros.
 */
struct ctypes {
	int	 workbook;
	int	 macros;
};

static int
ctypes_node(struct xr *x, const struct node *n, void *arg)
{
	struct ctypes	*c = arg;
	char		 ct[160];

	if (!is_elem(n, "Override") && !is_elem(n, "Default"))
		return 0;
	attr(n->r, "ContentType", NULL, ct, sizeof(ct));
	if (strcasestr(ct, "macroEnabled") != NULL ||
	    strcasestr(ct, "vbaProject") != NULL)
		c->macros = 1;
	if (strstr(ct, "spreadsheetml.sheet.main+xml") != NULL ||
	    strstr(ct, "spreadsheetml.template.main+xml") != NULL)
		c->workbook = 1;
	return 0;
}

/*
 * Relationships: by id, or by type.
 */
struct rels {
	const char	*want_id;	/* NULL: only types */
	const char	*want_type;	/* suffix of Type */
	char		 id_target[PART_MAX];
	char		 id_type[160];
	char		 type_target[PART_MAX];
};

static int
rels_node(struct xr *x, const struct node *n, void *arg)
{
	struct rels	*rl = arg;
	char		 id[ATTR_MAX], type[160], target[PART_MAX];
	size_t		 tl, wl;

	if (!is_elem(n, "Relationship"))
		return 0;
	attr(n->r, "Id", NULL, id, sizeof(id));
	attr(n->r, "Type", NULL, type, sizeof(type));
	attr(n->r, "Target", NULL, target, sizeof(target));
	if (rl->want_id != NULL && strcmp(id, rl->want_id) == 0 &&
	    rl->id_target[0] == '\0') {
		memcpy(rl->id_target, target, sizeof(target));
		memcpy(rl->id_type, type, sizeof(type));
	}
	tl = strlen(type);
	wl = strlen(rl->want_type);
	if (tl >= wl && strcmp(type + tl - wl, rl->want_type) == 0 &&
	    rl->type_target[0] == '\0')
		memcpy(rl->type_target, target, sizeof(target));
	return 0;
}

/*
 * The workbook: the first sheet's relationship id, the date system.
 */
struct wbook {
	char	 rid[ATTR_MAX];
	int	 sheets;
};

static int
wbook_node(struct xr *x, const struct node *n, void *arg)
{
	struct wbook	*w = arg;
	char		 v[ATTR_MAX];

	if (is_elem(n, "workbookPr")) {
		attr(n->r, "date1904", NULL, v, sizeof(v));
		x->date1904 = strcmp(v, "1") == 0 || strcasecmp(v, "true") ==
		    0;
	} else if (is_elem(n, "sheet") && w->sheets++ == 0) {
		attr(n->r, "id", REL_NS, w->rid, sizeof(w->rid));
		if (w->rid[0] == '\0')
			attr(n->r, "id", REL_NS_STRICT, w->rid, sizeof(w->rid));
	}
	return 0;
}

/*
 * Shared strings, into one arena.  A string longer than a field may be
 * is kept one byte past the limit, so the cell using it is reported
 * too long without the table growing by its length.
 */
struct sstw {
	int	 in_si;
	int	 in_t;
	int	 in_rph;	/* phonetic runs are not the text */
	size_t	 len;		/* of the string being read */
};

static int
sst_room(struct xr *x, size_t n)
{
	char	*p;
	size_t	 cap;

	if (x->sstlen + n <= x->sstcap)
		return 0;
	cap = x->sstcap ? x->sstcap : 4096;
	while (cap < x->sstlen + n)
		cap *= 2;
	if ((p = realloc(x->sst, cap)) == NULL) {
		seterr(x, "out of memory");
		return -1;
	}
	x->sst = p;
	x->sstcap = cap;
	return 0;
}

static int
sst_node(struct xr *x, const struct node *n, void *arg)
{
	struct sstw	*s = arg;
	const xmlChar	*v;
	size_t		*p, cap, k;
	int		 empty;

	if (is_elem(n, "si")) {
		if (x->nsst >= LIM_SHARED_STRINGS) {
			seterr(x, "the workbook has more than %d shared "
			    "strings: it is not a license sheet",
			    LIM_SHARED_STRINGS);
			return -1;
		}
		if (x->nsst == x->sstoffcap) {
			cap = x->sstoffcap ? x->sstoffcap * 2 : 1024;
			if ((p = reallocarray(x->sstoff, cap,
			    sizeof(*p))) == NULL) {
				seterr(x, "out of memory");
				return -1;
			}
			x->sstoff = p;
			x->sstoffcap = cap;
		}
		x->sstoff[x->nsst++] = x->sstlen;
		s->len = 0;
		empty = xmlTextReaderIsEmptyElement(n->r);
		s->in_si = !empty;
		if (sst_room(x, 1) == -1)
			return -1;
		x->sst[x->sstlen] = '\0';
		if (empty)
			x->sstlen++;
		return 0;
	}
	if (!s->in_si)
		return 0;
	if (is_end(n, "si")) {
		s->in_si = 0;
		x->sstlen++;	/* past the NUL */
	} else if (is_elem(n, "rPh"))
		s->in_rph = !xmlTextReaderIsEmptyElement(n->r);
	else if (is_end(n, "rPh"))
		s->in_rph = 0;
	else if (is_elem(n, "t"))
		s->in_t = !xmlTextReaderIsEmptyElement(n->r);
	else if (is_end(n, "t"))
		s->in_t = 0;
	else if (s->in_t && !s->in_rph && is_text(n) &&
	    (v = xmlTextReaderConstValue(n->r)) != NULL) {
		k = strlen((const char *)v);
		if (s->len + k > LIM_FIELD_BYTES + 1)
			k = LIM_FIELD_BYTES + 1 - s->len;
		if (sst_room(x, k + 1) == -1)
			return -1;
		memcpy(x->sst + x->sstlen, v, k);
		x->sstlen += k;
		s->len += k;
		x->sst[x->sstlen] = '\0';
	}
	return 0;
}

/*
 * The worksheet, cell by cell into the sheet.
 */
struct sheetw {
	struct sheet	*sh;
	size_t		 row;		/* current <row>, from 1 */
	size_t		 nextcol;	/* for cells without r= */
	size_t		 col;
	int		 in_data;	/* inside <sheetData> */
	int		 in_c;
	int		 in_v;
	int		 in_is;
	int		 in_t;
	int		 in_rph;
	char		 type[16];
	char		 val[LIM_FIELD_BYTES + 2];
	size_t		 len;
};

/* "C12" into column 2, row 12.  Returns 0, or -1. */
static int
cellref(const char *s, size_t *col, size_t *row)
{
	size_t	 c = 0, r = 0, i = 0;

	for (; s[i] >= 'A' && s[i] <= 'Z' && i < 3; i++)
		c = c * 26 + (s[i] - 'A' + 1);
	if (c == 0 || c > XLSX_MAX_COL)
		return -1;
	if (s[i] == '\0') {
		*col = c - 1;
		*row = 0;
		return 0;
	}
	for (; s[i] >= '0' && s[i] <= '9' && r <= XLSX_MAX_ROW; i++)
		r = r * 10 + (s[i] - '0');
	if (s[i] != '\0' || r == 0 || r > XLSX_MAX_ROW)
		return -1;
	*col = c - 1;
	*row = r;
	return 0;
}

/* A row number attribute: 1 to XLSX_MAX_ROW, or 0. */
static size_t
rownum(const char *s)
{
	char	*end;
	long	 v;

	if (*s < '0' || *s > '9')
		return 0;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < 1 || v > XLSX_MAX_ROW)
		return 0;
	return (size_t)v;
}

static void
cell_add(struct sheetw *w, const char *v, size_t n)
{
	if (w->len + n > LIM_FIELD_BYTES + 1)
		n = LIM_FIELD_BYTES + 1 - w->len;
	memcpy(w->val + w->len, v, n);
	w->len += n;
	w->val[w->len] = '\0';
}

/* The cell's value as the filer meant it, then into the sheet. */
static int
cell_end(struct xr *x, struct sheetw *w)
{
	const char	*v = w->val;
	char		 num[40], *end;
	size_t		 len = w->len;
	unsigned long	 idx;
	double		 d;
	int		 sc;

	if (strcmp(w->type, "s") == 0) {
		if (len == 0)
			return 0;
		idx = strtoul(w->val, &end, 10);
		if (*end != '\0' || w->val[0] < '0' || w->val[0] > '9' ||
		    idx >= x->nsst) {
			seterr(x, "row %zu: a cell names shared string "
			    "\"%.20s\", which the workbook does not have: it "
			    "is damaged", w->row, w->val);
			return -1;
		}
		v = x->sst + x->sstoff[idx];
		len = strlen(v);
	} else if (strcmp(w->type, "b") == 0) {
		if (len == 0)
			return 0;
		v = strcmp(w->val, "0") == 0 ? "FALSE" : "TRUE";
		len = strlen(v);
	} else if (strcmp(w->type, "d") == 0) {
		/* ISO 8601 date-time: the date part. */
		if (len > 10 && w->val[10] == 'T')
			len = 10;
	} else if (w->type[0] == '\0' || strcmp(w->type, "n") == 0) {
		if (len == 0)
			return 0;
		d = strtod(w->val, &end);
		if (*end != '\0' || end == w->val || !isfinite(d))
			;	/* not a number after all: as written */
		else if ((sc = sheet_col_of(w->sh, w->col)) >= 0 &&
		    sheet_col_is_date(sc) &&
		    xlsxread_serial_date(d, x->date1904, num) == 0) {
			v = num;
			len = 10;
		} else {
			/* 15 digits, as Excel shows: 1234.5599999999999
			 * is the 1234.56 that was typed. */
			snprintf(num, sizeof(num), "%.15g", d);
			v = num;
			len = strlen(num);
		}
	}
	/* "str", "inlineStr", "e" and the rest: the text as it is. */
	if (sheet_put(w->sh, w->row, w->col, v, len, x->err, x->errsz) ==
	    -1)
		return -1;
	return 0;
}

static int
sheet_node(struct xr *x, const struct node *n, void *arg)
{
	struct sheetw	*w = arg;
	const xmlChar	*v;
	char		 a[ATTR_MAX];
	size_t		 col, row;

	if (is_elem(n, "sheetData")) {
		w->in_data = !xmlTextReaderIsEmptyElement(n->r);
		return 0;
	}
	if (!w->in_data)
		return 0;
	if (is_end(n, "sheetData")) {
		w->in_data = 0;
		return 0;
	}
	if (is_elem(n, "row")) {
		attr(n->r, "r", NULL, a, sizeof(a));
		row = a[0] == '\0' ? w->row + 1 : rownum(a);
		if (row == 0 || row <= w->row) {
			seterr(x, "row \"%.10s\" after row %zu: the sheet is "
			    "damaged", a, w->row);
			return -1;
		}
		w->row = row;
		w->nextcol = 0;
		return 0;
	}
	if (is_elem(n, "c")) {
		if (w->row == 0) {
			seterr(x, "a cell outside any row: the sheet is "
			    "damaged");
			return -1;
		}
		attr(n->r, "r", NULL, a, sizeof(a));
		col = w->nextcol;
		if (a[0] != '\0' && (cellref(a, &col, &row) == -1 ||
		    (row != 0 && row != w->row))) {
			seterr(x, "cell \"%.10s\" in row %zu: the sheet is "
			    "damaged", a, w->row);
			return -1;
		}
		if (col >= XLSX_MAX_COL) {
			seterr(x, "row %zu has more than %d columns: the sheet "
			    "is damaged", w->row, XLSX_MAX_COL);
			return -1;
		}
		w->col = col;
		w->nextcol = col + 1;
		attr(n->r, "t", NULL, w->type, sizeof(w->type));
		w->len = 0;
		w->val[0] = '\0';
		w->in_v = w->in_is = w->in_t = w->in_rph = 0;
		w->in_c = !xmlTextReaderIsEmptyElement(n->r);
		return 0;
	}
	if (!w->in_c)
		return 0;
	if (is_end(n, "c")) {
		w->in_c = 0;
		return cell_end(x, w);
	}
	if (is_elem(n, "v"))
		w->in_v = !xmlTextReaderIsEmptyElement(n->r);
	else if (is_end(n, "v"))
		w->in_v = 0;
	else if (is_elem(n, "is"))
		w->in_is = !xmlTextReaderIsEmptyElement(n->r);
	else if (is_end(n, "is"))
		w->in_is = 0;
	else if (is_elem(n, "rPh"))
		w->in_rph = !xmlTextReaderIsEmptyElement(n->r);
	else if (is_end(n, "rPh"))
		w->in_rph = 0;
	else if (is_elem(n, "t"))
		w->in_t = w->in_is && !xmlTextReaderIsEmptyElement(n->r);
	else if (is_end(n, "t"))
		w->in_t = 0;
	else if (is_text(n) && (w->in_v || (w->in_t && !w->in_rph)) &&
	    (v = xmlTextReaderConstValue(n->r)) != NULL)
		cell_add(w, (const char *)v, strlen((const char *)v));
	return 0;
}

/* Entries: how many, and none holding macros. */
static int
check_entries(struct xr *x)
{
	zip_int64_t	 n, i;
	const char	*name;
	size_t		 len;

	if ((n = zip_get_num_entries(x->za, 0)) < 0 ||
	    n > LIM_XLSX_ENTRIES) {
		seterr(x, "the archive has more than %d entries: it is not "
		    "a license sheet", LIM_XLSX_ENTRIES);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if ((name = zip_get_name(x->za, i, 0)) == NULL)
			continue;
		len = strlen(name);
		if (len >= 4 && strcasecmp(name + len - 4, ".bin") == 0 &&
		    strcasestr(name, "vba") != NULL) {
			seterr(x, "the workbook contains macros, which are not "
			    "accepted: save it as an Excel Workbook (.xlsx)");
			return -1;
		}
	}
	return 0;
}

int
xlsxread(const char *buf, size_t len, struct sheet *sh, char *err,
    size_t errsz)
{
	struct xr	 x;
	struct ctypes	 ct;
	struct rels	 rl;
	struct wbook	 wb;
	struct sstw	 sw;
	struct sheetw	*w = NULL;
	zip_source_t	*src = NULL;
	zip_error_t	 ze;
	const char	*kind;
	char		 wbpath[PART_MAX], wbrels[PART_MAX];
	char		 sheet[PART_MAX], sstpath[PART_MAX], *p;
	int		 rc = -1, k;

	memset(&x, 0, sizeof(x));
	x.err = err;
	x.errsz = errsz;
	x.budget = LIM_XLSX_UNCOMPRESSED;
	if (err != NULL && errsz > 0)
		err[0] = '\0';
	zip_error_init(&ze);
	if (len > LIM_XLSX_BYTES) {
		seterr(&x, "the file is larger than %d bytes: split it into "
		    "several files", LIM_XLSX_BYTES);
		goto out;
	}
	if (!xlsxread_is_zip(buf, len)) {
		if ((kind = xlsxread_kind(buf, len)) != NULL)
			seterr(&x, "the file is %s, not an Excel workbook "
			    "(.xlsx)", kind);
		else
			seterr(&x, "the file is not an Excel workbook (.xlsx): "
			    "it is no zip archive");
		goto out;
	}
	if ((src = zip_source_buffer_create(buf, len, 0, &ze)) == NULL ||
	    (x.za = zip_open_from_source(src, ZIP_RDONLY, &ze)) == NULL) {
		seterr(&x, "the zip archive is damaged: %s",
		    zip_error_strerror(&ze));
		goto out;
	}
	src = NULL;	/* the archive owns it now */
	if (check_entries(&x) == -1)
		goto out;

	memset(&ct, 0, sizeof(ct));
	if ((k = part_walk(&x, "[Content_Types].xml", 0, ctypes_node,
	    &ct)) == -1)
		goto out;
	if (ct.macros) {
		seterr(&x, "the workbook is macro-enabled (.xlsm); macros are "
		    "not accepted: save it as an Excel Workbook (.xlsx)");
		goto out;
	}
	if (k == 1 || !ct.workbook) {
		seterr(&x, "the zip archive is not an Excel workbook (.xlsx)");
		goto out;
	}

	/* The package's main part, then its first sheet. */
	memset(&rl, 0, sizeof(rl));
	rl.want_type = "/officeDocument";
	if (part_walk(&x, "_rels/.rels", 1, rels_node, &rl) == -1)
		goto out;
	if (rl.type_target[0] == '\0' ||
	    resolve("", rl.type_target, wbpath) == -1) {
		seterr(&x, "the package does not name its workbook: it is "
		    "damaged");
		goto out;
	}
	memset(&wb, 0, sizeof(wb));
	if (part_walk(&x, wbpath, 1, wbook_node, &wb) == -1)
		goto out;
	if (wb.rid[0] == '\0') {
		seterr(&x, "the workbook has no worksheet");
		goto out;
	}
	p = strrchr(wbpath, '/');
	k = snprintf(wbrels, sizeof(wbrels), "%.*s_rels/%s.rels",
	    p != NULL ? (int)(p - wbpath + 1) : 0, wbpath,
	    p != NULL ? p + 1 : wbpath);
	if (k < 0 || (size_t)k >= sizeof(wbrels)) {
		seterr(&x, "the workbook's part name is too long");
		goto out;
	}
	memset(&rl, 0, sizeof(rl));
	rl.want_id = wb.rid;
	rl.want_type = "/sharedStrings";
	if (part_walk(&x, wbrels, 1, rels_node, &rl) == -1)
		goto out;
	if (rl.id_target[0] == '\0' ||
	    resolve(wbpath, rl.id_target, sheet) == -1) {
		seterr(&x, "the workbook's first sheet has no part: it is "
		    "damaged");
		goto out;
	}
	if (strlen(rl.id_type) < 10 || strcmp(rl.id_type +
	    strlen(rl.id_type) - 10, "/worksheet") != 0) {
		seterr(&x, "the first sheet of the workbook is not a "
		    "worksheet: keep the Licenses sheet first");
		goto out;
	}
	if (rl.type_target[0] != '\0') {
		if (resolve(wbpath, rl.type_target, sstpath) == -1) {
			seterr(&x, "the shared strings part is misnamed: the "
			    "workbook is damaged");
			goto out;
		}
		memset(&sw, 0, sizeof(sw));
		if (part_walk(&x, sstpath, 1, sst_node, &sw) == -1)
			goto out;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		seterr(&x, "out of memory");
		goto out;
	}
	w->sh = sh;
	if (part_walk(&x, sheet, 1, sheet_node, w) == -1)
		goto out;
	rc = 0;
out:
	free(w);
	if (x.za != NULL)
		zip_discard(x.za);
	zip_source_free(src);
	zip_error_fini(&ze);
	free(x.sst);
	free(x.sstoff);
	return rc;
}
