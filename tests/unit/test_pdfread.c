/*
 * forms/pdfread.c: the filled PDF form read into a struct form.  The
 * PDFs are written here, byte for byte, so that each test shows the
 * structure it tries: hierarchical names, widgets, inherited /FT and
 * /V, PDFDocEncoding and UTF-16BE text, checkboxes, line numbering,
 * and the files refused whole (damaged, password, XFA, flattened, not
 * ours, too large, too many or too deep fields, cycles).  Then the
 * real thing: forms/pdfform.c's forms, prefilled or filled by pdftk
 * (XFDF and FDF), read back field by field, and the golden PDFs of
 * tests/forms refused with the right message.
 */
#include <sys/wait.h>

#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <qpdf/qpdf-c.h>

#include "lib/date.h"
#include "lib/limits.h"
#include "forms/form.h"
#include "forms/license.h"
#include "forms/pdfform.h"
#include "forms/read.h"
#include "forms/rules.h"
#include "tests.h"

extern char **environ;

/* ---- a tiny PDF writer ---- */

/* Objects of one PDF, each the text between "N 0 obj" and "endobj". */
struct pb {
	char	**body;		/* body[1..n] */
	int	  n;
};

static void
pb_vput(struct pb *b, int num, const char *fmt, va_list ap)
{
	char	*s;

	ck_assert_int_ne(vasprintf(&s, fmt, ap), -1);
	free(b->body[num]);
	b->body[num] = s;
}

/* Sets the body of object num (made by pb_new). */
static void
pb_put(struct pb *b, int num, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
pb_put(struct pb *b, int num, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	pb_vput(b, num, fmt, ap);
	va_end(ap);
}

/* A new object (body NULL for now: "null"); returns its number. */
static int
pb_new(struct pb *b)
{
	b->body = reallocarray(b->body, b->n + 2, sizeof(*b->body));
	ck_assert_ptr_nonnull(b->body);
	b->n++;
	b->body[b->n] = NULL;
	return b->n;
}

static void
pb_free(struct pb *b)
{
	int	 i;

	for (i = 1; i <= b->n; i++)
		free(b->body[i]);
	free(b->body);
	b->body = NULL;
	b->n = 0;
}

/* The file: header, objects, cross-reference table, trailer. */
static char *
pb_pdf(struct pb *b, int root, size_t *len)
{
	FILE	*f;
	char	*out = NULL;
	long	*off;
	int	 i;

	off = calloc(b->n + 1, sizeof(*off));
	ck_assert_ptr_nonnull(off);
	f = open_memstream(&out, len);
	ck_assert_ptr_nonnull(f);
	fputs("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", f);
	for (i = 1; i <= b->n; i++) {
		off[i] = ftell(f);
		fprintf(f, "%d 0 obj\n%s\nendobj\n", i,
		    b->body[i] ? b->body[i] : "null");
	}
	off[0] = ftell(f);
	fprintf(f, "xref\n0 %d\n0000000000 65535 f \n", b->n + 1);
	for (i = 1; i <= b->n; i++)
		fprintf(f, "%010ld 00000 n \n", off[i]);
	fprintf(f, "trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%ld\n"
	    "%%%%EOF\n", b->n + 1, root, off[0]);
	fclose(f);
	free(off);
	return out;
}

/* ---- our form, as field name and value (PDF syntax) ---- */

struct fv {
	char		 name[96];
	const char	*v;		/* "(text)", "<FEFF...>", "/Yes"; NULL none */
};

struct fset {
	struct fv	 fv[160];
	size_t		 n;
};

static void
fs_set(struct fset *s, const char *name, const char *v)
{
	size_t	 i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->fv[i].name, name) == 0) {
			s->fv[i].v = v;
			return;
		}
	ck_assert_uint_lt(s->n, sizeof(s->fv) / sizeof(s->fv[0]));
	snprintf(s->fv[s->n].name, sizeof(s->fv[0].name), "%s", name);
	s->fv[s->n++].v = v;
}

static void
fs_drop(struct fset *s, const char *name)
{
	size_t	 i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->fv[i].name, name) == 0) {
			memmove(&s->fv[i], &s->fv[i + 1],
			    (s->n - i - 1) * sizeof(s->fv[0]));
			s->n--;
			return;
		}
	ck_abort_msg("no field %s to drop", name);
}

static void
fs_line(struct fset *s, int n, const char *field, const char *v)
{
	char	 name[48];

	snprintf(name, sizeof(name), "line.%d.%s", n, field);
	fs_set(s, name, v);
}

/* The blank form as the web site gives it: every field, no values. */
static void
fs_blank(struct fset *s)
{
	int	 i, j;

	s->n = 0;
	for (i = 0; i < FILER__MAX; i++)
		fs_set(s, filer_names[i], NULL);
	for (i = 0; i < HF__MAX; i++)
		fs_set(s, hfields[i].name, NULL);
	for (i = 1; i <= 10; i++)
		for (j = 0; j < LF__MAX; j++)
			fs_line(s, i, lfields[j].name, NULL);
	fs_set(s, "certify", "/Off");
}

/* A filled aluminum form, valid as of 2026-01-15. */
static void
fs_aluminum(struct fset *s)
{
	fs_blank(s);
	fs_set(s, "filer_company_name", "(Harbor Metals Importing LLC)");
	fs_set(s, "filer_address", "(12 Pier Road\\nLong Beach, CA 90802)");
	fs_set(s, "filer_contact_name", "(Dana Ortiz)");
	fs_set(s, "filer_phone", "(+1 562 555 0100)");
	fs_set(s, "filer_email", "(dana@harbor.example)");
	fs_set(s, "product", "(aluminum)");
	fs_set(s, "license_type", "(standard)");
	fs_set(s, "entry_type", "(consumption)");
	fs_set(s, "importer_name", "(Harbor Metals Importing LLC)");
	fs_set(s, "exporter_name", "(Shandong Coastal Trading Co., Ltd.)");
	fs_set(s, "manufacturer_name",
	    "(Shandong Nanshan Aluminium Co., Ltd.)");
	fs_set(s, "country_of_origin", "(China)");
	fs_set(s, "country_of_exportation", "(China)");
	fs_set(s, "expected_export_date", "(01/30/2026)");
	fs_set(s, "expected_import_date", "(2026-02-27)");
	fs_set(s, "port_of_entry", "(Long Beach, CA)");
	fs_set(s, "customs_entry_number", "()");
	fs_line(s, 1, "hts_code", "(7601103000)");
	fs_line(s, 1, "customs_value_usd", "(48250.25)");
	fs_line(s, 1, "volume_kg", "(19500)");
	fs_line(s, 1, "country_of_largest_smelt", "(China)");
	fs_line(s, 1, "country_of_second_largest_smelt", "(Canada)");
	fs_line(s, 1, "country_of_most_recent_cast", "(China)");
	fs_line(s, 2, "hts_code", "(7606123045)");
	fs_line(s, 2, "customs_value_usd", "(12,875.50)");
	fs_line(s, 2, "volume_kg", "(4100.5)");
	fs_line(s, 2, "country_of_largest_smelt", "(China)");
	fs_line(s, 2, "country_of_second_largest_smelt", "(Canada)");
	fs_line(s, 2, "country_of_most_recent_cast", "(Korea, Republic of)");
	fs_set(s, "certify", "/Yes");
}

/* How build() lays the fields out. */
#define B_WIDGETS	0x01	/* terminal fields get a widget kid */
#define B_XFA		0x02	/* /AcroForm has /XFA */
#define B_NOACRO	0x04	/* no /AcroForm at all (flattened) */

struct node {
	char		 part[96];
	int		 parent;	/* node index, -1 at the top */
	int		 obj;
	int		 widget;	/* object of its widget, or 0 */
	const char	*v;
	int		 terminal;
};

/* Entries build() put in /Fields and /Kids arrays. */
static size_t	 built_entries;

/*
 * Writes the fields of s as a field tree (line.2.hts_code is field
 * hts_code under 2 under line) into b, then the catalog, page and
 * /AcroForm; extra is raw text added to /Fields.  Returns the file.
 */
static char *
build(struct pb *b, const struct fset *s, int opts, const char *extra,
    size_t *len)
{
	struct node	*nd;
	FILE		*f;
	char		*kids = NULL, *fields = NULL, part[96], par[32];
	char		*p, *q;
	size_t		 nn = 0, kl, fl, i, j;
	int		 parent, k, root, pages, page, acro, xfa = 0;

	nd = calloc(s->n * 4 + 1, sizeof(*nd));
	ck_assert_ptr_nonnull(nd);
	for (i = 0; i < s->n; i++) {
		parent = -1;
		for (p = (char *)s->fv[i].name; p != NULL; ) {
			q = strchr(p, '.');
			k = q ? (int)(q - p) : (int)strlen(p);
			snprintf(part, sizeof(part), "%.*s", k, p);
			p = q ? q + 1 : NULL;
			for (j = 0; j < nn; j++)
				if (nd[j].parent == parent &&
				    strcmp(nd[j].part, part) == 0)
					break;
			if (j == nn) {
				ck_assert_uint_lt(nn, s->n * 4);
				snprintf(nd[nn].part, sizeof(nd[nn].part),
				    "%s", part);
				nd[nn].parent = parent;
				nd[nn].obj = pb_new(b);
				nn++;
			}
			parent = (int)j;
		}
		nd[parent].terminal = 1;
		nd[parent].v = s->fv[i].v;
		if ((opts & B_WIDGETS) && nd[parent].widget == 0)
			nd[parent].widget = pb_new(b);
	}
	page = pb_new(b);
	pages = pb_new(b);
	acro = pb_new(b);
	root = pb_new(b);
	if (opts & B_XFA) {
		xfa = pb_new(b);
		pb_put(b, xfa, "<< /Length 19 >>\nstream\n<xdp:xdp></xdp:xdp>"
		    "\nendstream");
	}
	built_entries = 0;
	for (i = 0; i < nn; i++) {
		f = open_memstream(&kids, &kl);
		for (j = 0; j < nn; j++)
			if (nd[j].parent == (int)i) {
				fprintf(f, "%d 0 R ", nd[j].obj);
				built_entries++;
			}
		if (nd[i].widget) {
			fprintf(f, "%d 0 R", nd[i].widget);
			built_entries++;
			pb_put(b, nd[i].widget, "<< /Type /Annot /Subtype "
			    "/Widget /Rect [0 0 100 20] /P %d 0 R /Parent %d "
			    "0 R >>", page, nd[i].obj);
		}
		fclose(f);
		if (nd[i].parent == -1)
			built_entries++;
		par[0] = '\0';
		if (nd[i].parent >= 0)
			snprintf(par, sizeof(par), " /Parent %d 0 R",
			    nd[nd[i].parent].obj);
		/* A part written as <hex> is a hex string already. */
		pb_put(b, nd[i].obj, "<< /T %s%s%s%s%s%s%s%s%s%s%s >>",
		    nd[i].part[0] == '<' ? "" : "(", nd[i].part,
		    nd[i].part[0] == '<' ? "" : ")",
		    nd[i].terminal ? (nd[i].v && nd[i].v[0] == '/' ?
		    " /FT /Btn" : " /FT /Tx") : "",
		    nd[i].terminal && nd[i].v ? " /V " : "",
		    nd[i].terminal && nd[i].v ? nd[i].v : "",
		    nd[i].terminal && !nd[i].widget ?
		    " /Type /Annot /Subtype /Widget /Rect [0 0 100 20]" : "",
		    *kids ? " /Kids [" : "", kids, *kids ? "]" : "", par);
		free(kids);
		kids = NULL;
	}
	f = open_memstream(&fields, &fl);
	for (i = 0; i < nn; i++)
		if (nd[i].parent == -1)
			fprintf(f, "%d 0 R ", nd[i].obj);
	fputs(extra ? extra : "", f);
	fclose(f);
	pb_put(b, page, "<< /Type /Page /Parent %d 0 R /MediaBox "
	    "[0 0 612 792] >>", pages);
	pb_put(b, pages, "<< /Type /Pages /Kids [%d 0 R] /Count 1 >>", page);
	if (xfa)
		pb_put(b, acro, "<< /Fields [%s] /XFA %d 0 R >>", fields, xfa);
	else
		pb_put(b, acro, "<< /Fields [%s] >>", fields);
	if (opts & B_NOACRO)
		pb_put(b, root, "<< /Type /Catalog /Pages %d 0 R >>", pages);
	else
		pb_put(b, root, "<< /Type /Catalog /Pages %d 0 R /AcroForm "
		    "%d 0 R >>", pages, acro);
	free(fields);
	free(nd);
	return pb_pdf(b, root, len);
}

/* The fields of s as a PDF with nothing else in it. */
static char *
form_pdf(const struct fset *s, int opts, const char *extra, size_t *len)
{
	struct pb	 b = { NULL, 0 };
	char		*pdf;

	pdf = build(&b, s, opts, extra, len);
	pb_free(&b);
	return pdf;
}

/* UTF-8 as a PDF hex string in UTF-16BE with its byte order mark. */
static const char *
u16(const char *s)
{
	static char		 buf[8][2048];
	static int		 at;
	const unsigned char	*p = (const unsigned char *)s;
	char			*o;
	unsigned long		 c;
	size_t			 n = 0;

	o = buf[at++ % 8];
	n += snprintf(o + n, 2048 - n, "<FEFF");
	while (*p) {
		if (*p < 0x80)
			c = *p++;
		else if (*p < 0xe0) {
			c = (p[0] & 0x1fUL) << 6 | (p[1] & 0x3f);
			p += 2;
		} else if (*p < 0xf0) {
			c = (p[0] & 0x0fUL) << 12 | (p[1] & 0x3fUL) << 6 |
			    (p[2] & 0x3f);
			p += 3;
		} else {
			c = (p[0] & 0x07UL) << 18 | (p[1] & 0x3fUL) << 12 |
			    (p[2] & 0x3fUL) << 6 | (p[3] & 0x3f);
			p += 4;
		}
		if (c >= 0x10000) {
			c -= 0x10000;
			n += snprintf(o + n, 2048 - n, "%04lX%04lX",
			    0xd800 + (c >> 10), 0xdc00 + (c & 0x3ff));
		} else
			n += snprintf(o + n, 2048 - n, "%04lX", c);
		ck_assert_uint_lt(n, 2040);
	}
	snprintf(o + n, 2048 - n, ">");
	return o;
}

/* ---- reading ---- */

static struct report	 rep;
static char		 err[512];

static void
setup(void)
{
	char	 e[256];

	ck_assert_msg(rules_init(e, sizeof(e)) == 0, "%s", e);
	report_init(&rep);
	err[0] = '\0';
}

static void
teardown(void)
{
	report_free(&rep);
}

static struct form *
rd(const char *pdf, size_t len)
{
	report_free(&rep);
	report_init(&rep);
	return pdfform_read(pdf, len, &rep, err, sizeof(err));
}

/* Reads s written as a PDF; the form must be readable. */
static struct form *
rd_set(const struct fset *s, int opts)
{
	struct form	*f;
	char		*pdf;
	size_t		 len;

	pdf = form_pdf(s, opts, NULL, &len);
	f = rd(pdf, len);
	free(pdf);
	ck_assert_msg(f != NULL, "refused: %s", err);
	ck_assert_str_eq(err, "");
	return f;
}

/* A refused PDF: NULL, and err holds part. */
static void
refused(const char *pdf, size_t len, const char *part)
{
	struct form	*f;

	f = rd(pdf, len);
	ck_assert_msg(f == NULL, "accepted, expected \"%s\"", part);
	ck_assert_msg(strstr(err, part) != NULL, "\"%s\" lacks \"%s\"", err,
	    part);
	ck_assert_uint_eq(rep.nerrors, 0);
}

static const char *
errmsg(const char *field)
{
	return tests_errmsg(&rep, field);
}

static void
expect_error(const char *field, const char *part)
{
	const char	*m;
	size_t		 i;

	if ((m = errmsg(field)) == NULL)
		for (i = 0; i < rep.nerrors; i++)
			fprintf(stderr, "  %s: %s\n", rep.errors[i].field,
			    rep.errors[i].message);
	ck_assert_msg(m != NULL, "no error on %s", field);
	ck_assert_msg(strstr(m, part) != NULL, "%s: \"%s\" lacks \"%s\"",
	    field, m, part);
}

static int
as_of(void)
{
	return date_from_ymd(2026, 1, 15);
}

START_TEST(test_aluminum)
{
	struct fset	 s;
	struct form	*f;
	int		 opts;

	/* Fields that are widgets too, and fields with widget kids. */
	for (opts = 0; opts <= B_WIDGETS; opts += B_WIDGETS) {
		fs_aluminum(&s);
		f = rd_set(&s, opts);
		ck_assert_uint_eq(rep.nerrors, 0);
		ck_assert_str_eq(f->v[HF_PRODUCT], "aluminum");
		ck_assert_str_eq(f->v[HF_LICENSE_TYPE], "standard");
		ck_assert_str_eq(f->v[HF_ENTRY_TYPE], "consumption");
		ck_assert_str_eq(f->v[HF_IMPORTER_NAME],
		    "Harbor Metals Importing LLC");
		ck_assert_str_eq(f->v[HF_EXPORTER_NAME],
		    "Shandong Coastal Trading Co., Ltd.");
		ck_assert_str_eq(f->v[HF_MANUFACTURER_NAME],
		    "Shandong Nanshan Aluminium Co., Ltd.");
		ck_assert_str_eq(f->v[HF_COUNTRY_OF_ORIGIN], "China");
		ck_assert_str_eq(f->v[HF_COUNTRY_OF_EXPORTATION], "China");
		/* Dates stay as typed; the rules read both ways. */
		ck_assert_str_eq(f->v[HF_EXPECTED_EXPORT_DATE], "01/30/2026");
		ck_assert_str_eq(f->v[HF_EXPECTED_IMPORT_DATE], "2026-02-27");
		ck_assert_str_eq(f->v[HF_PORT_OF_ENTRY], "Long Beach, CA");
		/* An empty field is not given. */
		ck_assert_ptr_null(f->v[HF_CUSTOMS_ENTRY_NUMBER]);
		/* Lines 3-10 are empty and dropped. */
		ck_assert_uint_eq(f->nlines, 2);
		ck_assert_int_eq(f->has_lines, 1);
		ck_assert_str_eq(f->lines[0].v[LF_HTS_CODE], "7601103000");
		ck_assert_str_eq(f->lines[0].v[LF_CUSTOMS_VALUE_USD],
		    "48250.25");
		ck_assert_str_eq(f->lines[0].v[LF_VOLUME_KG], "19500");
		ck_assert_str_eq(f->lines[0].v[LF_COUNTRY_OF_LARGEST_SMELT],
		    "China");
		ck_assert_str_eq(
		    f->lines[0].v[LF_COUNTRY_OF_SECOND_LARGEST_SMELT],
		    "Canada");
		ck_assert_str_eq(f->lines[0].v[LF_COUNTRY_OF_MOST_RECENT_CAST],
		    "China");
		ck_assert_ptr_null(f->lines[0].v[LF_COUNTRY_OF_MELT_AND_POUR]);
		ck_assert_str_eq(f->lines[1].v[LF_HTS_CODE], "7606123045");
		ck_assert_str_eq(f->lines[1].v[LF_CUSTOMS_VALUE_USD],
		    "12,875.50");
		ck_assert_str_eq(f->lines[1].v[LF_COUNTRY_OF_MOST_RECENT_CAST],
		    "Korea, Republic of");
		/* And the rules find nothing wrong with it. */
		ck_assert_uint_eq(rules_check(f, as_of(), &rep, NULL), 0);
		form_free(f);
	}
}
END_TEST

START_TEST(test_steel_low_value)
{
	struct fset	 s;
	struct form	*f;

	/* A low value license has no lines: none read, none made. */
	fs_blank(&s);
	fs_set(&s, "product", "(steel)");
	fs_set(&s, "license_type", "(low_value)");
	fs_set(&s, "entry_type", "(consumption)");
	fs_set(&s, "importer_name", "(Great Lakes Steel Supply Inc.)");
	fs_set(&s, "exporter_name", "(Hyundai Steel Company)");
	fs_set(&s, "manufacturer_name", "(unknown)");
	fs_set(&s, "country_of_origin", "(Korea, Republic of)");
	fs_set(&s, "country_of_exportation", "(South Korea)");
	fs_set(&s, "expected_export_date", "(01/20/2026)");
	fs_set(&s, "expected_import_date", "(02/18/2026)");
	fs_set(&s, "port_of_entry", "(Detroit, MI)");
	fs_line(&s, 4, "hts_code", "(   )");
	fs_set(&s, "certify", "/Yes");
	f = rd_set(&s, 0);
	ck_assert_uint_eq(f->nlines, 0);
	ck_assert_int_eq(f->has_lines, 0);
	ck_assert_uint_eq(rep.nerrors, 0);
	ck_assert_uint_eq(rules_check(f, as_of(), &rep, NULL), 0);
	form_free(f);
}
END_TEST

START_TEST(test_encodings)
{
	struct fset	 s;
	struct form	*f;

	fs_aluminum(&s);
	/* UTF-16BE, as FDF fills and most viewers save non-ASCII text,
	 * including a character outside the BMP (a surrogate pair). */
	fs_set(&s, "importer_name", u16("Société Générale des Métaux"));
	fs_set(&s, "exporter_name", u16("Łódź Trading \xf0\x9f\x98\x80"));
	/* PDFDocEncoding: 0xE9 is é as in Latin-1, but 0x84 is an em
	 * dash and 0x8D a left double quote, unlike Latin-1. */
	fs_set(&s, "manufacturer_name", "(Caf\\351 \\204 \\215Nord\\216)");
	/* A UTF-16 field name is read as the name it spells. */
	fs_drop(&s, "port_of_entry");
	fs_set(&s, u16("port_of_entry"), "(Long Beach, CA)");
	/* A hex string in PDFDocEncoding. */
	fs_line(&s, 1, "hts_code", "<37363031313033303030>");
	/* PDF 2.0 UTF-8, marked by its byte order mark. */
	fs_line(&s, 2, "country_of_second_largest_smelt",
	    "(\357\273\277Canad\303\241)");
	f = rd_set(&s, 0);
	ck_assert_str_eq(f->v[HF_IMPORTER_NAME],
	    "Société Générale des Métaux");
	ck_assert_str_eq(f->v[HF_EXPORTER_NAME],
	    "Łódź Trading \xf0\x9f\x98\x80");
	ck_assert_str_eq(f->v[HF_MANUFACTURER_NAME],
	    "Café \xe2\x80\x94 \xe2\x80\x9cNord\xe2\x80\x9d");
	ck_assert_str_eq(f->v[HF_PORT_OF_ENTRY], "Long Beach, CA");
	ck_assert_str_eq(f->lines[0].v[LF_HTS_CODE], "7601103000");
	ck_assert_str_eq(
	    f->lines[1].v[LF_COUNTRY_OF_SECOND_LARGEST_SMELT], "Canadá");
	ck_assert_uint_eq(rep.nerrors, 0);
	form_free(f);
}
END_TEST

START_TEST(test_value_kinds)
{
	struct fset	 s;
	struct form	*f;

	fs_aluminum(&s);
	/* Radio buttons and choices: a name; /Off is no choice. */
	fs_set(&s, "product", "/aluminum");
	fs_set(&s, "entry_type", "/Off");
	/* A list box value: an array of one. */
	fs_set(&s, "country_of_origin", "[(Norway)]");
	fs_set(&s, "country_of_exportation", "[(Norway) (Sweden)]");
	fs_set(&s, "port_of_entry", "[]");
	/* Not text at all. */
	fs_line(&s, 1, "volume_kg", "19500");
	fs_line(&s, 2, "volume_kg", "<< /A 1 >>");
	fs_line(&s, 2, "hts_code", "[/X]");
	/* A NUL byte would cut the text short unseen. */
	fs_set(&s, "exporter_name", "(Nordic\\000Export)");
	f = rd_set(&s, 0);
	ck_assert_str_eq(f->v[HF_PRODUCT], "aluminum");
	ck_assert_ptr_null(f->v[HF_ENTRY_TYPE]);
	ck_assert_str_eq(f->v[HF_COUNTRY_OF_ORIGIN], "Norway");
	ck_assert_ptr_null(f->v[HF_COUNTRY_OF_EXPORTATION]);
	expect_error("country_of_exportation", "has 2 values");
	ck_assert_ptr_null(f->v[HF_PORT_OF_ENTRY]);
	ck_assert_ptr_null(errmsg("port_of_entry"));
	ck_assert_ptr_null(f->lines[0].v[LF_VOLUME_KG]);
	expect_error("lines[1].volume_kg", "not text");
	expect_error("lines[2].volume_kg", "not text");
	expect_error("lines[2].hts_code", "not text");
	ck_assert_ptr_null(f->v[HF_EXPORTER_NAME]);
	expect_error("exporter_name", "NUL");
	ck_assert_uint_eq(rep.nerrors, 5);
	form_free(f);
}
END_TEST

START_TEST(test_value_length)
{
	struct fset	 s;
	struct form	*f;
	char		 at[LIM_FIELD_BYTES + 8], over[LIM_FIELD_BYTES + 8];
	char		 wide[LIM_FIELD_CHARS * 2 + 1];
	size_t		 i;

	/* LIM_FIELD_BYTES bytes pass to the rules; one more is refused
	 * here, on the field. */
	at[0] = over[0] = '(';
	memset(at + 1, 'x', LIM_FIELD_BYTES);
	memset(over + 1, 'x', LIM_FIELD_BYTES + 1);
	snprintf(at + 1 + LIM_FIELD_BYTES, 2, ")");
	snprintf(over + 2 + LIM_FIELD_BYTES, 2, ")");
	/* UTF-16 counts as the UTF-8 it becomes: 200 é are 400 bytes. */
	for (i = 0; i < LIM_FIELD_CHARS; i++)
		memcpy(wide + 2 * i, "é", 2);
	wide[2 * LIM_FIELD_CHARS] = '\0';
	fs_aluminum(&s);
	fs_set(&s, "importer_name", at);
	fs_set(&s, "exporter_name", over);
	fs_set(&s, "manufacturer_name", u16(wide));
	fs_line(&s, 2, "country_of_largest_smelt", over);
	fs_set(&s, "filer_email", over);
	f = rd_set(&s, 0);
	ck_assert_uint_eq(strlen(f->v[HF_IMPORTER_NAME]), LIM_FIELD_BYTES);
	ck_assert_ptr_null(errmsg("importer_name"));
	ck_assert_ptr_null(f->v[HF_EXPORTER_NAME]);
	expect_error("exporter_name", "longer than 800 bytes");
	ck_assert_uint_eq(strlen(f->v[HF_MANUFACTURER_NAME]),
	    2 * LIM_FIELD_CHARS);
	expect_error("lines[2].country_of_largest_smelt", "longer than");
	ck_assert_ptr_null(f->lines[1].v[LF_COUNTRY_OF_LARGEST_SMELT]);
	/* The filer block is bounded even when not kept. */
	expect_error("filer_email", "longer than");
	ck_assert_uint_eq(rep.nerrors, 3);
	form_free(f);
}
END_TEST

START_TEST(test_lines)
{
	struct fset	 s;
	struct form	*f;

	/* Line 3 left empty, line 4 filled: line 4 stays lines[4], and
	 * the gap is named where the filer sees it. */
	fs_aluminum(&s);
	fs_line(&s, 3, "hts_code", "( )");
	fs_line(&s, 3, "volume_kg", "()");
	fs_line(&s, 4, "hts_code", "(7601209000)");
	fs_line(&s, 4, "customs_value_usd", "(-5)");
	f = rd_set(&s, 0);
	ck_assert_uint_eq(f->nlines, 4);
	ck_assert_ptr_null(f->lines[2].v[LF_HTS_CODE]);
	ck_assert_ptr_null(f->lines[2].v[LF_VOLUME_KG]);
	ck_assert_str_eq(f->lines[3].v[LF_HTS_CODE], "7601209000");
	expect_error("lines[3]", "Line 3 is empty but line 4 is filled");
	ck_assert_uint_eq(rep.nerrors, 1);
	rules_check(f, as_of(), &rep, NULL);
	/* The rules' complaint about line 4 names line 4. */
	ck_assert(errmsg("lines[4].customs_value_usd") != NULL);
	ck_assert(errmsg("lines[3].customs_value_usd") != NULL);
	form_free(f);

	/* Only line 10 filled: nine gaps, each named. */
	fs_blank(&s);
	fs_set(&s, "product", "(aluminum)");
	fs_line(&s, 10, "hts_code", "(7601103000)");
	f = rd_set(&s, 0);
	ck_assert_uint_eq(f->nlines, 10);
	expect_error("lines[1]", "Line 1 is empty but line 10 is filled");
	expect_error("lines[9]", "Line 9 is empty");
	ck_assert_ptr_null(errmsg("lines[10]"));
	form_free(f);

	/* Lines past 10 read as they are named (a longer form); names
	 * not of a line are not fields of ours. */
	fs_aluminum(&s);
	fs_line(&s, 3, "hts_code", "(7601103000)");
	fs_set(&s, "line.0.hts_code", "(1)");
	fs_set(&s, "line.01.hts_code", "(2)");
	fs_set(&s, "line.1000.hts_code", "(3)");
	fs_set(&s, "line.3.hts", "(4)");
	fs_set(&s, "line.3x.hts_code", "(5)");
	fs_set(&s, "lines.3.hts_code", "(6)");
	fs_set(&s, "x.line.3.hts_code", "(7)");
	f = rd_set(&s, 0);
	ck_assert_uint_eq(f->nlines, 3);
	ck_assert_str_eq(f->lines[0].v[LF_HTS_CODE], "7601103000");
	ck_assert_str_eq(f->lines[2].v[LF_HTS_CODE], "7601103000");
	ck_assert_uint_eq(rep.nerrors, 0);
	form_free(f);

	fs_aluminum(&s);
	fs_line(&s, 999, "hts_code", "(7601103000)");
	f = rd_set(&s, 0);
	ck_assert_uint_eq(f->nlines, 999);
	ck_assert_str_eq(f->lines[998].v[LF_HTS_CODE], "7601103000");
	form_free(f);
}
END_TEST

START_TEST(test_certify)
{
	struct fset	 s;
	struct form	*f;
	struct pb	 b = { NULL, 0 };
	char		*pdf, extra[64];
	size_t		 len;
	int		 w1, w2, cert;

	fs_aluminum(&s);
	fs_set(&s, "certify", "/Off");
	f = rd_set(&s, 0);
	expect_error("certify", "Check the certification box");
	ck_assert_uint_eq(rep.nerrors, 1);
	form_free(f);

	fs_set(&s, "certify", NULL);
	f = rd_set(&s, 0);
	expect_error("certify", "Check the certification box");
	form_free(f);

	/* A text field named certify is no checkbox. */
	fs_set(&s, "certify", "(Yes)");
	f = rd_set(&s, 0);
	expect_error("certify", "Check the certification box");
	form_free(f);

	fs_drop(&s, "certify");
	f = rd_set(&s, 0);
	expect_error("certify", "Check the certification box");
	form_free(f);

	fs_set(&s, "certify", "/Yes");
	f = rd_set(&s, B_WIDGETS);
	ck_assert_uint_eq(rep.nerrors, 0);
	form_free(f);

	/* /FT and /V on the field, its two widgets below without /T:
	 * the field is the one named. */
	fs_drop(&s, "certify");
	cert = pb_new(&b);
	w1 = pb_new(&b);
	w2 = pb_new(&b);
	pb_put(&b, cert, "<< /T (certify) /FT /Btn /V /Yes /Kids [%d 0 R %d "
	    "0 R] >>", w1, w2);
	pb_put(&b, w1, "<< /Subtype /Widget /Parent %d 0 R /AS /Yes >>",
	    cert);
	pb_put(&b, w2, "<< /Subtype /Widget /Parent %d 0 R /AS /Yes >>",
	    cert);
	snprintf(extra, sizeof(extra), "%d 0 R", cert);
	pdf = build(&b, &s, 0, extra, &len);
	f = rd(pdf, len);
	ck_assert_msg(f != NULL, "%s", err);
	ck_assert_ptr_null(errmsg("certify"));
	form_free(f);
	free(pdf);
	pb_free(&b);
}
END_TEST

START_TEST(test_inherit)
{
	struct fset	 s;
	struct form	*f;
	struct pb	 b = { NULL, 0 };
	char		*pdf, extra[64];
	size_t		 len;
	int		 line, two, hts, kg, cert, box;

	/* /FT and /V given on line.2 reach hts_code below it, which has
	 * neither; volume_kg has its own /V. */
	fs_aluminum(&s);
	fs_drop(&s, "certify");
	line = pb_new(&b);
	two = pb_new(&b);
	hts = pb_new(&b);
	kg = pb_new(&b);
	cert = pb_new(&b);
	box = pb_new(&b);
	pb_put(&b, line, "<< /T (line) /Kids [%d 0 R] >>", two);
	pb_put(&b, two, "<< /T (2) /FT /Tx /V (7601103000) /Parent %d 0 R "
	    "/Kids [%d 0 R %d 0 R] >>", line, hts, kg);
	pb_put(&b, hts, "<< /T (hts_code) /Parent %d 0 R /Subtype /Widget "
	    ">>", two);
	pb_put(&b, kg, "<< /T (volume_kg) /Parent %d 0 R /V (250) >>", two);
	/* /FT /Btn inherited by certify from a nameless ancestor. */
	pb_put(&b, box, "<< /FT /Btn /Kids [%d 0 R] >>", cert);
	pb_put(&b, cert, "<< /T (certify) /V /Yes /Parent %d 0 R >>", box);
	snprintf(extra, sizeof(extra), "%d 0 R %d 0 R", line, box);
	fs_drop(&s, "line.2.hts_code");
	fs_drop(&s, "line.2.volume_kg");
	pdf = build(&b, &s, 0, extra, &len);
	f = rd(pdf, len);
	ck_assert_msg(f != NULL, "%s", err);
	ck_assert_uint_eq(f->nlines, 2);
	ck_assert_str_eq(f->lines[1].v[LF_HTS_CODE], "7601103000");
	ck_assert_str_eq(f->lines[1].v[LF_VOLUME_KG], "250");
	ck_assert_ptr_null(errmsg("certify"));
	form_free(f);
	free(pdf);
	pb_free(&b);
}
END_TEST

START_TEST(test_duplicates)
{
	struct fset	 s;
	struct form	*f;
	struct pb	 b = { NULL, 0 };
	char		*pdf, extra[64];
	size_t		 len;
	int		 a, c;

	/* Two fields of one name (not one field with two widgets). */
	fs_aluminum(&s);
	a = pb_new(&b);
	c = pb_new(&b);
	pb_put(&b, a, "<< /T (importer_name) /FT /Tx /V (Harbor Metals "
	    "Importing LLC) >>");
	pb_put(&b, c, "<< /T (port_of_entry) /FT /Tx /V (Seattle, WA) >>");
	snprintf(extra, sizeof(extra), "%d 0 R %d 0 R", a, c);
	pdf = build(&b, &s, 0, extra, &len);
	f = rd(pdf, len);
	ck_assert_msg(f != NULL, "%s", err);
	ck_assert_ptr_null(errmsg("importer_name"));
	expect_error("port_of_entry", "twice with different values");
	ck_assert_uint_eq(rep.nerrors, 1);
	form_free(f);
	free(pdf);
	pb_free(&b);
}
END_TEST

START_TEST(test_filer)
{
	struct fset		 s;
	struct form		*f;
	struct pdf_filer	 filer;
	char			*pdf;
	size_t			 len;

	fs_aluminum(&s);
	fs_set(&s, "filer_phone", "()");
	pdf = form_pdf(&s, 0, NULL, &len);
	f = pdfform_read_filer(pdf, len, &filer, &rep, err, sizeof(err));
	ck_assert_msg(f != NULL, "%s", err);
	ck_assert_str_eq(filer.v[FILER_COMPANY_NAME],
	    "Harbor Metals Importing LLC");
	ck_assert_str_eq(filer.v[FILER_ADDRESS],
	    "12 Pier Road\nLong Beach, CA 90802");
	ck_assert_str_eq(filer.v[FILER_CONTACT_NAME], "Dana Ortiz");
	ck_assert_ptr_null(filer.v[FILER_PHONE]);
	ck_assert_str_eq(filer.v[FILER_EMAIL], "dana@harbor.example");
	ck_assert_uint_eq(rep.nerrors, 0);
	form_free(f);
	pdf_filer_free(&filer);
	ck_assert_ptr_null(filer.v[FILER_EMAIL]);

	/* Refused: the filer block is left empty. */
	pdf[len / 2] = '\0';
	ck_assert_ptr_null(pdfform_read_filer(pdf, len / 2, &filer, &rep,
	    err, sizeof(err)));
	ck_assert_ptr_null(filer.v[FILER_COMPANY_NAME]);
	free(pdf);
}
END_TEST

START_TEST(test_not_ours)
{
	struct fset	 s;
	struct form	*f;
	struct pb	 b = { NULL, 0 };
	char		*pdf, extra[64];
	size_t		 len;
	int		 i, a, c;

	/* Another form entirely. */
	s.n = 0;
	fs_set(&s, "topmostSubform[0].Page1[0].f1_01[0]", "(Jane Doe)");
	fs_set(&s, "name", "(Acme)");
	fs_set(&s, "product_name", "(aluminum)");
	fs_set(&s, "certify", "/Yes");
	pdf = form_pdf(&s, 0, NULL, &len);
	refused(pdf, len, "not the AIM license form");
	free(pdf);

	/* HEADER_MIN (8) of the 12 header names are enough... */
	fs_aluminum(&s);
	for (i = HF__MAX - 1; i >= 8; i--)
		fs_drop(&s, hfields[i].name);
	f = rd_set(&s, 0);
	ck_assert_str_eq(f->v[HF_PRODUCT], "aluminum");
	form_free(f);
	/* ...7 are not, however many lines are filled. */
	fs_drop(&s, hfields[7].name);
	pdf = form_pdf(&s, 0, NULL, &len);
	refused(pdf, len, "not the AIM license form");
	free(pdf);
	/* A header name under another field is not that header. */
	fs_set(&s, "x.country_of_exportation", "(China)");
	pdf = form_pdf(&s, 0, NULL, &len);
	refused(pdf, len, "not the AIM license form");
	free(pdf);
	/* A header name counts once, however often it appears. */
	a = pb_new(&b);
	c = pb_new(&b);
	pb_put(&b, a, "<< /T (product) /FT /Tx /V (aluminum) >>");
	pb_put(&b, c, "<< /T (product) /FT /Tx /V (aluminum) >>");
	snprintf(extra, sizeof(extra), "%d 0 R %d 0 R", a, c);
	pdf = build(&b, &s, 0, extra, &len);
	pb_free(&b);
	refused(pdf, len, "not the AIM license form");
	free(pdf);
}
END_TEST

START_TEST(test_no_fields)
{
	struct fset	 s;
	char		*pdf;
	size_t		 len;

	/* Flattened: pdftk flatten drops /AcroForm. */
	fs_aluminum(&s);
	pdf = form_pdf(&s, B_NOACRO, NULL, &len);
	refused(pdf, len, "no fillable fields: the form was flattened or "
	    "scanned");
	free(pdf);
	/* Some tools leave an empty /Fields; a scan has no fields. */
	s.n = 0;
	pdf = form_pdf(&s, 0, NULL, &len);
	refused(pdf, len, "no fillable fields");
	free(pdf);
	/* Entries without names are widgets, not fields. */
	pdf = form_pdf(&s, 0, "<< /Subtype /Widget >> null 7 (x)", &len);
	refused(pdf, len, "no fillable fields");
	free(pdf);
}
END_TEST

START_TEST(test_xfa)
{
	struct fset	 s;
	struct form	*f;
	char		*pdf;
	size_t		 len;

	s.n = 0;
	pdf = form_pdf(&s, B_XFA, NULL, &len);
	refused(pdf, len, "This is an XFA form");
	ck_assert_ptr_nonnull(strstr(err, "use the AcroForm version from "
	    "the web site"));
	free(pdf);
	/* XFA with its own AcroForm shadow fields, not ours. */
	fs_set(&s, "form1[0].#subform[0].importer[0]", "(Acme)");
	pdf = form_pdf(&s, B_XFA, NULL, &len);
	refused(pdf, len, "This is an XFA form");
	free(pdf);
	/* Both XFA and our AcroForm fields: the fields are read. */
	fs_aluminum(&s);
	f = rd_set(&s, B_XFA);
	ck_assert_str_eq(f->v[HF_PRODUCT], "aluminum");
	form_free(f);
}
END_TEST

/* s written as a PDF and encrypted by qpdf (R6, AES-256). */
static char *
encrypted(const struct fset *s, const char *user, const char *owner,
    size_t *len)
{
	qpdf_data	 q;
	char		*pdf, *out;

	pdf = form_pdf(s, 0, NULL, len);
	q = qpdf_init();
	qpdf_silence_errors(q);
	ck_assert_int_eq(qpdf_read_memory(q, "t.pdf", pdf, *len, NULL) &
	    QPDF_ERRORS, 0);
	ck_assert_int_eq(qpdf_init_write_memory(q) & QPDF_ERRORS, 0);
	qpdf_set_r6_encryption_parameters2(q, user, owner, QPDF_TRUE,
	    QPDF_TRUE, QPDF_TRUE, QPDF_TRUE, QPDF_TRUE, QPDF_TRUE,
	    qpdf_r3p_full, QPDF_TRUE);
	ck_assert_int_eq(qpdf_write(q) & QPDF_ERRORS, 0);
	*len = qpdf_get_buffer_length(q);
	out = malloc(*len);
	ck_assert_ptr_nonnull(out);
	memcpy(out, qpdf_get_buffer(q), *len);
	qpdf_cleanup(&q);
	free(pdf);
	return out;
}

START_TEST(test_encrypted)
{
	struct fset	 s;
	struct form	*f;
	char		*pdf;
	size_t		 len;

	fs_aluminum(&s);
	fs_set(&s, "importer_name", u16("Société Générale des Métaux"));
	pdf = encrypted(&s, "user", "owner", &len);
	refused(pdf, len, "remove the password");
	free(pdf);
	/* An owner password alone opens without asking: accepted, and
	 * the strings decrypt. */
	pdf = encrypted(&s, "", "owner", &len);
	f = rd(pdf, len);
	ck_assert_msg(f != NULL, "%s", err);
	ck_assert_str_eq(f->v[HF_IMPORTER_NAME],
	    "Société Générale des Métaux");
	ck_assert_str_eq(f->lines[1].v[LF_HTS_CODE], "7606123045");
	form_free(f);
	free(pdf);
}
END_TEST

START_TEST(test_damaged)
{
	struct fset	 s;
	struct form	*f;
	char		*pdf, *p;
	size_t		 len;

	refused("%PDF-1.7\n", 9, "damaged PDF");
	refused("%PDF-1.7\ngarbage\n%%EOF\n", 23, "damaged PDF");
	refused("", 0, "damaged PDF");
	refused(NULL, 0, "damaged PDF");
	fs_aluminum(&s);
	pdf = form_pdf(&s, 0, NULL, &len);
	/* Cut anywhere, the cross-reference table is gone. */
	refused(pdf, len / 2, "damaged PDF");
	refused(pdf, len - 30, "damaged PDF");
	/* The whole file reads. */
	f = rd(pdf, len);
	ck_assert_msg(f != NULL, "%s", err);
	form_free(f);
	/* One field object overwritten: the table points at junk. */
	p = strstr(pdf, "\n5 0 obj");
	ck_assert_ptr_nonnull(p);
	memcpy(p + 1, "JUNK JUNK", 9);
	refused(pdf, len, "damaged PDF");
	free(pdf);
}
END_TEST

START_TEST(test_too_large)
{
	struct fset	 s;
	struct form	*f;
	struct pb	 b = { NULL, 0 };
	char		*pdf, *big;
	size_t		 len, pad;
	int		 fill, i;

	/* LIM_PDF_BYTES exactly (an unused padding object) reads... */
	fs_aluminum(&s);
	fill = pb_new(&b);
	pb_put(&b, fill, "(x)");
	pdf = build(&b, &s, 0, NULL, &len);
	pb_free(&b);
	/* The startxref offset grows a few digits: measure again. */
	pad = 3;
	for (i = 0; i < 3 && len != LIM_PDF_BYTES; i++) {
		free(pdf);
		pad = (size_t)((long)pad + LIM_PDF_BYTES - (long)len);
		big = malloc(pad + 1);
		ck_assert_ptr_nonnull(big);
		big[0] = '(';
		memset(big + 1, 'x', pad - 2);
		big[pad - 1] = ')';
		big[pad] = '\0';
		fill = pb_new(&b);
		b.body[fill] = big;
		pdf = build(&b, &s, 0, NULL, &len);
		pb_free(&b);
	}
	ck_assert_uint_eq(len, LIM_PDF_BYTES);
	f = rd(pdf, len);
	ck_assert_msg(f != NULL, "%s", err);
	form_free(f);
	free(pdf);
	/* ...and one byte more is refused unread. */
	refused("%PDF-", LIM_PDF_BYTES + 1, "larger than 20 MiB");
}
END_TEST

START_TEST(test_too_many_fields)
{
	struct fset	 s;
	struct form	*f;
	char		*pdf, *extra;
	size_t		 len, n, i;

	/* LIM_PDF_FIELDS entries in all are read; one more is not. */
	fs_aluminum(&s);
	free(form_pdf(&s, 0, NULL, &len));
	n = LIM_PDF_FIELDS - built_entries;
	extra = malloc(5 * (n + 1) + 1);
	ck_assert_ptr_nonnull(extra);
	for (i = 0; i < n; i++)
		memcpy(extra + 5 * i, "<<>> ", 5);
	extra[5 * n] = '\0';
	pdf = form_pdf(&s, 0, extra, &len);
	f = rd(pdf, len);
	ck_assert_msg(f != NULL, "%s", err);
	form_free(f);
	free(pdf);
	memcpy(extra + 5 * n, "<<>> ", 6);
	pdf = form_pdf(&s, 0, extra, &len);
	refused(pdf, len, "more than 2000 fields");
	free(pdf);
	free(extra);
}
END_TEST

/* Our form plus a chain of n fields, each the only kid of the last. */
static char *
chain(int n, size_t *len)
{
	struct fset	 s;
	struct pb	 b = { NULL, 0 };
	char		*pdf, extra[32];
	int		 i, first, o;

	fs_aluminum(&s);
	first = pb_new(&b);
	for (i = 1; i < n; i++)
		pb_new(&b);
	for (i = 0; i < n; i++) {
		o = first + i;
		if (i + 1 < n)
			pb_put(&b, o, "<< /T (c) /Kids [%d 0 R] >>", o + 1);
		else
			pb_put(&b, o, "<< /T (c) /FT /Tx /V (end) >>");
	}
	snprintf(extra, sizeof(extra), "%d 0 R", first);
	pdf = build(&b, &s, 0, extra, len);
	pb_free(&b);
	return pdf;
}

START_TEST(test_depth)
{
	struct form	*f;
	char		*pdf;
	size_t		 len;

	pdf = chain(LIM_PDF_DEPTH, &len);
	f = rd(pdf, len);
	ck_assert_msg(f != NULL, "%s", err);
	form_free(f);
	free(pdf);
	pdf = chain(LIM_PDF_DEPTH + 1, &len);
	refused(pdf, len, "deeper than 16 levels");
	free(pdf);
}
END_TEST

START_TEST(test_cycles)
{
	struct fset	 s;
	struct form	*f;
	struct pb	 b = { NULL, 0 };
	char		*pdf, *kids, extra[64];
	size_t		 len, kl;
	FILE		*fp;
	clock_t		 t0;
	int		 a, c, self, i, j, first;

	/* a -> c -> a, and a field that is its own kid. */
	fs_aluminum(&s);
	a = pb_new(&b);
	c = pb_new(&b);
	self = pb_new(&b);
	pb_put(&b, a, "<< /T (a) /Kids [%d 0 R] >>", c);
	pb_put(&b, c, "<< /T (c) /Kids [%d 0 R] >>", a);
	pb_put(&b, self, "<< /T (s) /Kids [%d 0 R %d 0 R] >>", self, self);
	snprintf(extra, sizeof(extra), "%d 0 R %d 0 R", a, self);
	pdf = build(&b, &s, 0, extra, &len);
	pb_free(&b);
	f = rd(pdf, len);
	ck_assert_msg(f != NULL, "%s", err);
	form_free(f);
	free(pdf);

	/* A ladder: each of 15 rungs lists the next 3 times, 3^14 paths
	 * without the visited set, 43 entries with it. */
	first = pb_new(&b);
	for (i = 1; i < 15; i++)
		pb_new(&b);
	for (i = 0; i < 15; i++) {
		fp = open_memstream(&kids, &kl);
		for (j = 0; i + 1 < 15 && j < 3; j++)
			fprintf(fp, "%d 0 R ", first + i + 1);
		fclose(fp);
		pb_put(&b, first + i, "<< /T (r) /Kids [%s] >>", kids);
		free(kids);
	}
	snprintf(extra, sizeof(extra), "%d 0 R", first);
	pdf = build(&b, &s, 0, extra, &len);
	pb_free(&b);
	t0 = clock();
	f = rd(pdf, len);
	ck_assert_msg(f != NULL, "%s", err);
	ck_assert_double_lt((double)(clock() - t0) / CLOCKS_PER_SEC,
	    0.5 * tests_time_scale());
	form_free(f);
	free(pdf);
}
END_TEST

START_TEST(test_sniff)
{
	struct fset	 s;
	struct form	*f;
	char		*pdf;
	size_t		 len;

	ck_assert_int_eq(form_sniff("%PDF-1.7", 8), FORMAT_PDF);
	ck_assert_int_eq(form_sniff("\r\n%PDF-2.0", 10), FORMAT_PDF);
	ck_assert_int_eq(form_sniff("%PDF-", 5), FORMAT_PDF);
	ck_assert_int_eq(form_sniff("%PDF", 4), FORMAT_UNKNOWN);
	ck_assert_int_eq(form_sniff("%PDF-1.7", 4), FORMAT_UNKNOWN);
	ck_assert_int_eq(form_sniff("%!PS-Adobe", 10), FORMAT_UNKNOWN);
	fs_aluminum(&s);
	pdf = form_pdf(&s, 0, NULL, &len);
	f = form_read(pdf, len, &rep, err, sizeof(err));
	ck_assert_msg(f != NULL, "%s", err);
	ck_assert_str_eq(f->v[HF_PRODUCT], "aluminum");
	form_free(f);
	free(pdf);
	/* Refusals come back through form_read. */
	ck_assert_ptr_null(form_read("%PDF-1.4\n", 9, &rep, err,
	    sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "damaged PDF"));
}
END_TEST

/* ---- the real form: forms/pdfform.c, pdftk, the golden files ---- */

struct rt {
	const char	*name;
	const char	*value;
};

/* Every kind of field, non-ASCII text, a date typed the paper way. */
static const struct rt rt_aluminum[] = {
	{ "filer_company_name", "Harbor Metals & Alloys LLC" },
	{ "filer_address", "12 Pier Road, Long Beach, CA 90802" },
	{ "filer_contact_name", "Zoë Ørsted" },
	{ "filer_phone", "+1 562 555 0100" },
	{ "filer_email", "zoe@harbor.example" },
	{ "license_type", "standard" },
	{ "entry_type", "consumption" },
	{ "importer_name", "Harbor Metals & Alloys LLC" },
	{ "exporter_name", "Société Nordique d’Aluminium SA" },
	{ "manufacturer_name", "Hydro Aluminium Høyanger AS — Łódź" },
	{ "country_of_origin", "Norway" },
	{ "country_of_exportation", "France" },
	{ "expected_export_date", "01/30/2026" },
	{ "expected_import_date", "2026-02-27" },
	{ "port_of_entry", "Long Beach, CA" },
	{ "customs_entry_number", "HMA-0012345-6" },
	{ "line.1.hts_code", "7601103000" },
	{ "line.1.customs_value_usd", "48250.25" },
	{ "line.1.volume_kg", "19500" },
	{ "line.1.country_of_largest_smelt", "Norway" },
	{ "line.1.country_of_second_largest_smelt", "Iceland" },
	{ "line.1.country_of_most_recent_cast", "Norway" },
	{ "line.2.hts_code", "7606123045" },
	{ "line.2.customs_value_usd", "12,875.50" },
	{ "line.2.volume_kg", "4100.5" },
	{ "line.2.country_of_largest_smelt", "not applicable" },
	{ "line.2.country_of_second_largest_smelt", "not applicable" },
	{ "line.2.country_of_most_recent_cast", "France" },
	{ "line.10.hts_code", "7604101000" },
	{ "line.10.customs_value_usd", "4800" },
	{ "line.10.volume_kg", "1200" },
	{ "line.10.country_of_largest_smelt", "Norway" },
	{ "line.10.country_of_second_largest_smelt", "Canada" },
	{ "line.10.country_of_most_recent_cast", "Norway" },
};

static const struct rt rt_steel[] = {
	{ "filer_company_name", "Great Lakes Steel Supply Inc." },
	{ "filer_email", "imports@greatlakes.example" },
	{ "license_type", "standard" },
	{ "entry_type", "ftz" },
	{ "importer_name", "Great Lakes Steel Supply Inc." },
	{ "exporter_name", "Hyundai Steel Company (현대제철)" },
	{ "manufacturer_name", "unknown" },
	{ "country_of_origin", "Korea, Republic of" },
	{ "country_of_exportation", "South Korea" },
	{ "expected_export_date", "2026-01-20" },
	{ "expected_import_date", "02/18/2026" },
	{ "port_of_entry", "Detroit, MI" },
	{ "line.1.hts_code", "7208100015" },
	{ "line.1.customs_value_usd", "61200.00" },
	{ "line.1.volume_kg", "72000" },
	{ "line.1.country_of_melt_and_pour", "Korea, Republic of" },
};

static const char *
rt_get(const struct rt *t, size_t n, const char *name)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return t[i].value;
	return NULL;
}

static void
same(const char *what, const char *want, const char *got)
{
	if (want == NULL)
		ck_assert_msg(got == NULL, "%s: \"%s\", expected none", what,
		    got);
	else {
		ck_assert_msg(got != NULL, "%s: none, expected \"%s\"", what,
		    want);
		ck_assert_msg(strcmp(want, got) == 0, "%s: \"%s\", expected "
		    "\"%s\"", what, got, want);
	}
}

/* Every field of the form and filer block against the table. */
static void
rt_compare(const struct rt *t, size_t n, enum product p,
    const struct form *f, const struct pdf_filer *filer)
{
	char		 name[64];
	const char	*want;
	size_t		 line, last = 0, i;
	int		 j;

	for (j = 0; j < HF__MAX; j++) {
		want = rt_get(t, n, hfields[j].name);
		/* The form's own product, printed on it, read-only. */
		if (j == HF_PRODUCT)
			want = product_names[p];
		same(hfields[j].name, want, f->v[j]);
	}
	for (i = 0; i < n; i++)
		if (strncmp(t[i].name, "line.", 5) == 0 &&
		    (line = strtoul(t[i].name + 5, NULL, 10)) > last)
			last = line;
	ck_assert_uint_eq(f->nlines, last);
	for (line = 1; line <= last; line++)
		for (j = 0; j < LF__MAX; j++) {
			snprintf(name, sizeof(name), "line.%zu.%s", line,
			    lfields[j].name);
			same(name, rt_get(t, n, name), f->lines[line - 1].v[j]);
		}
	for (j = 0; j < FILER__MAX; j++)
		same(filer_names[j], rt_get(t, n, filer_names[j]),
		    filer->v[j]);
}

static void
put_file(const char *path, const void *p, size_t n)
{
	FILE	*f;

	ck_assert_ptr_nonnull(f = fopen(path, "wb"));
	ck_assert_uint_eq(fwrite(p, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
}

static char *
get_file(const char *path, size_t *len)
{
	FILE	*f;
	char	*p;
	long	 n;

	ck_assert_msg((f = fopen(path, "rb")) != NULL, "%s: cannot open",
	    path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	ck_assert_int_ge(n = ftell(f), 0);
	rewind(f);
	ck_assert_ptr_nonnull(p = malloc(n + 1));
	ck_assert_uint_eq(fread(p, 1, n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return p;
}

static unsigned char *
blank_form(enum product p, const struct pdfform_fill *fill, size_t *len)
{
	unsigned char	*pdf;
	char		 e[256];

	ck_assert_msg(pdfform_make(p, "aim.example.gov", fill, &pdf, len, e,
	    sizeof(e)) == 0, "pdfform_make: %s", e);
	return pdf;
}

/* The writer's prefill ("Duplicate as PDF") read back unchanged. */
START_TEST(test_writer_prefill)
{
	static const struct {
		enum product	 p;
		const struct rt	*t;
		size_t		 n;
	} cases[] = {
		{ PRODUCT_ALUMINUM, rt_aluminum,
		  sizeof(rt_aluminum) / sizeof(rt_aluminum[0]) },
		{ PRODUCT_STEEL, rt_steel,
		  sizeof(rt_steel) / sizeof(rt_steel[0]) },
	};
	struct pdfform_fill	 fill;
	struct pdf_filer	 filer;
	struct form		*in, *f;
	struct form_line	*l;
	unsigned char		*pdf;
	const char		*v;
	char			 name[64];
	size_t			 c, len, i, line;
	int			 j;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		ck_assert_ptr_nonnull(in = form_new());
		memset(&fill, 0, sizeof(fill));
		for (j = 0; j < HF__MAX; j++)
			if ((v = rt_get(cases[c].t, cases[c].n,
			    hfields[j].name)) != NULL)
				ck_assert_int_eq(form_set(in, j, v,
				    strlen(v)), 0);
		for (line = 1; line <= PDFFORM_LINES; line++) {
			ck_assert_ptr_nonnull(l = form_add_line(in));
			for (j = 0; j < LF__MAX; j++) {
				snprintf(name, sizeof(name), "line.%zu.%s",
				    line, lfields[j].name);
				if ((v = rt_get(cases[c].t, cases[c].n,
				    name)) != NULL)
					ck_assert_int_eq(form_line_set(l, j,
					    v, strlen(v)), 0);
			}
		}
		for (j = 0; j < FILER__MAX; j++)
			fill.filer[j] = rt_get(cases[c].t, cases[c].n,
			    filer_names[j]);
		fill.form = in;
		pdf = blank_form(cases[c].p, &fill, &len);
		report_free(&rep);
		report_init(&rep);
		f = pdfform_read_filer((char *)pdf, len, &filer, &rep, err,
		    sizeof(err));
		ck_assert_msg(f != NULL, "%s", err);
		rt_compare(cases[c].t, cases[c].n, cases[c].p, f, &filer);
		/* Lines 3-9 of the aluminum form are left empty. */
		for (i = 1; i <= f->nlines; i++) {
			snprintf(name, sizeof(name), "lines[%zu]", i);
			ck_assert_int_eq(errmsg(name) != NULL,
			    cases[c].p == PRODUCT_ALUMINUM && i >= 3 &&
			    i <= 9);
		}
		ck_assert_uint_eq(rep.nerrors, cases[c].p == PRODUCT_ALUMINUM ?
		    8 : 1);
		/* A prefilled form is not yet certified. */
		expect_error("certify", "Check the certification box");
		form_free(f);
		form_free(in);
		pdf_filer_free(&filer);
		free(pdf);
	}
}
END_TEST

/* XFDF: UTF-8 values, XML escapes. */
static void
write_xfdf(const char *path, const struct rt *t, size_t n)
{
	FILE		*f;
	const char	*p;
	size_t		 i;

	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xfdf "
	    "xmlns=\"http://ns.adobe.com/xfdf/\" xml:space=\"preserve\">"
	    "<fields>\n");
	for (i = 0; i < n; i++) {
		fprintf(f, "<field name=\"%s\"><value>", t[i].name);
		for (p = t[i].value; *p; p++)
			if (*p == '&')
				fputs("&amp;", f);
			else if (*p == '<')
				fputs("&lt;", f);
			else
				fputc(*p, f);
		fputs("</value></field>\n", f);
	}
	fputs("<field name=\"certify\"><value>Yes</value></field>\n"
	    "</fields></xfdf>\n", f);
	ck_assert_int_eq(fclose(f), 0);
}

/* FDF: UTF-16BE hex strings, lines nested as /Kids. */
static void
write_fdf(const char *path, const struct rt *t, size_t n)
{
	FILE		*f;
	const char	*p, *q;
	size_t		 i;

	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("%FDF-1.2\n1 0 obj\n<< /FDF << /Fields [\n", f);
	for (i = 0; i < n; i++) {
		if (strncmp(t[i].name, "line.", 5) == 0) {
			p = t[i].name + 5;
			q = strchr(p, '.');
			fprintf(f, "<< /T (line) /Kids [<< /T (%.*s) /Kids "
			    "[<< /T (%s) /V %s >>] >>] >>\n", (int)(q - p), p,
			    q + 1, u16(t[i].value));
		} else
			fprintf(f, "<< /T (%s) /V %s >>\n", t[i].name,
			    u16(t[i].value));
	}
	fputs("<< /T (certify) /V /Yes >>\n] >> >>\nendobj\ntrailer\n"
	    "<< /Root 1 0 R >>\n%%EOF\n", f);
	ck_assert_int_eq(fclose(f), 0);
}

/*
 * Generates each product's form, fills it with pdftk from XFDF (and
 * the aluminum one from FDF too; the golden steel-fdf.pdf is the
 * other), three pdftk runs at once (a JVM each), reads each back and
 * compares every field.
 */
START_TEST(test_pdftk_roundtrip)
{
	static const struct {
		enum product	 p;
		const struct rt	*t;
		size_t		 n;
		const char	*ext;
	} cases[] = {
		{ PRODUCT_ALUMINUM, rt_aluminum,
		  sizeof(rt_aluminum) / sizeof(rt_aluminum[0]), "xfdf" },
		{ PRODUCT_ALUMINUM, rt_aluminum,
		  sizeof(rt_aluminum) / sizeof(rt_aluminum[0]), "fdf" },
		{ PRODUCT_STEEL, rt_steel,
		  sizeof(rt_steel) / sizeof(rt_steel[0]), "xfdf" },
	};
	enum { NC = sizeof(cases) / sizeof(cases[0]) };
	posix_spawn_file_actions_t	 fa;
	struct pdf_filer		 filer;
	struct form			*f;
	unsigned char			*pdf;
	char				 dir[] = "/tmp/aim-pdfread-XXXXXX";
	char				 blank[NC][128], data[NC][128];
	char				 out[NC][128], *argv[7], *buf;
	pid_t				 pid[NC];
	size_t				 c, len;
	int				 st, rc;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
	ck_assert_int_eq(posix_spawn_file_actions_addopen(&fa, 1,
	    "/dev/null", O_WRONLY, 0), 0);
	for (c = 0; c < NC; c++) {
		snprintf(blank[c], sizeof(blank[c]), "%s/%s.pdf", dir,
		    product_names[cases[c].p]);
		snprintf(data[c], sizeof(data[c]), "%s/%s.%s", dir,
		    product_names[cases[c].p], cases[c].ext);
		snprintf(out[c], sizeof(out[c]), "%s/%s-%s.pdf", dir,
		    product_names[cases[c].p], cases[c].ext);
		pdf = blank_form(cases[c].p, NULL, &len);
		put_file(blank[c], pdf, len);
		free(pdf);
		if (strcmp(cases[c].ext, "xfdf") == 0)
			write_xfdf(data[c], cases[c].t, cases[c].n);
		else
			write_fdf(data[c], cases[c].t, cases[c].n);
		argv[0] = "pdftk";
		argv[1] = blank[c];
		argv[2] = "fill_form";
		argv[3] = data[c];
		argv[4] = "output";
		argv[5] = out[c];
		argv[6] = NULL;
		rc = posix_spawnp(&pid[c], "pdftk", &fa, NULL, argv, environ);
		ck_assert_msg(rc == 0, "pdftk: %s (scripts/deps installs "
		    "pdftk-java)", strerror(rc));
	}
	posix_spawn_file_actions_destroy(&fa);
	for (c = 0; c < NC; c++) {
		ck_assert_int_eq(waitpid(pid[c], &st, 0), pid[c]);
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		    "pdftk failed on %s", data[c]);
	}
	for (c = 0; c < NC; c++) {
		buf = get_file(out[c], &len);
		report_free(&rep);
		report_init(&rep);
		f = pdfform_read_filer(buf, len, &filer, &rep, err,
		    sizeof(err));
		ck_assert_msg(f != NULL, "%s: %s", out[c], err);
		rt_compare(cases[c].t, cases[c].n, cases[c].p, f, &filer);
		if (cases[c].p == PRODUCT_ALUMINUM)
			ck_assert_ptr_nonnull(errmsg("lines[3]"));
		else {
			ck_assert_uint_eq(rep.nerrors, 0);
			ck_assert_uint_eq(rules_check(f, as_of(), &rep, NULL),
			    0);
		}
		ck_assert_ptr_null(errmsg("certify"));
		form_free(f);
		pdf_filer_free(&filer);
		free(buf);
	}
	for (c = 0; c < NC; c++) {
		unlink(out[c]);
		unlink(data[c]);
		unlink(blank[c]);
	}
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/*
 * qpdf quotes bytes of a damaged file in its message ("invalid
 * character (\xff) in hexstring"); the message goes to the filer in
 * JSON and mail, so it stays printable ASCII (a fuzz finding, kept in
 * fuzz/regress/pdf).
 */
START_TEST(test_damaged_message_ascii)
{
	char	 path[512], *buf;
	size_t	 len, i;

	snprintf(path, sizeof(path), "%s/fuzz/regress/pdf/"
	    "qpdf-error-quotes-raw-byte.pdf", TEST_SRCDIR);
	buf = get_file(path, &len);
	ck_assert_ptr_nonnull(memchr(buf, 0xff, len));
	refused(buf, len, "damaged PDF (invalid character (?) in hexstring)");
	for (i = 0; err[i] != '\0'; i++)
		ck_assert_msg(err[i] >= 0x20 && err[i] <= 0x7e,
		    "byte %zu of \"%s\"", i, err);
	free(buf);
}
END_TEST

/* The golden PDFs refused whole say why (golden.sh sees exit 2). */
START_TEST(test_golden_refusals)
{
	static const struct {
		const char	*file;
		const char	*part;
	} cases[] = {
		{ "bad/aluminum-flattened.pdf", "no fillable fields" },
		{ "bad/scanned.pdf", "no fillable fields" },
		{ "bad/aluminum-password.pdf", "remove the password" },
		{ "bad/aluminum-truncated.pdf", "damaged PDF" },
		{ "bad/xfa-only.pdf", "This is an XFA form" },
		{ "bad/not-our-form.pdf", "not the AIM license form" },
	};
	char	 path[512], *buf;
	size_t	 c, len;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		snprintf(path, sizeof(path), "%s/tests/forms/%s", TEST_SRCDIR,
		    cases[c].file);
		buf = get_file(path, &len);
		refused(buf, len, cases[c].part);
		free(buf);
	}
}
END_TEST

Suite *
suite_pdfread(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("pdfread");
	tc = tcase_create("pdfread");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_aluminum);
	tcase_add_test(tc, test_steel_low_value);
	tcase_add_test(tc, test_encodings);
	tcase_add_test(tc, test_value_kinds);
	tcase_add_test(tc, test_value_length);
	tcase_add_test(tc, test_lines);
	tcase_add_test(tc, test_certify);
	tcase_add_test(tc, test_inherit);
	tcase_add_test(tc, test_duplicates);
	tcase_add_test(tc, test_filer);
	tcase_add_test(tc, test_not_ours);
	tcase_add_test(tc, test_no_fields);
	tcase_add_test(tc, test_xfa);
	tcase_add_test(tc, test_encrypted);
	tcase_add_test(tc, test_damaged);
	tcase_add_test(tc, test_damaged_message_ascii);
	tcase_add_test(tc, test_too_large);
	tcase_add_test(tc, test_too_many_fields);
	tcase_add_test(tc, test_depth);
	tcase_add_test(tc, test_cycles);
	tcase_add_test(tc, test_sniff);
	tcase_add_test(tc, test_writer_prefill);
	tcase_add_test(tc, test_golden_refusals);
	suite_add_tcase(s, tc);

	/* pdftk starts a JVM per run: its own, longer time limit. */
	tc = tcase_create("pdftk");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_pdftk_roundtrip);
	suite_add_tcase(s, tc);
	return s;
}
