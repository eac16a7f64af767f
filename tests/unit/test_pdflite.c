/*
 * forms/pdflite.c: the strict reader takes plain PDFs, gives up on
 * what qpdf would read otherwise or warn of, and the form read through
 * it is the form qpdf reads, for the golden PDFs and thousands of
 * damaged copies of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <qpdf/Constants.h>

#include "forms/pdflite.h"
#include "forms/read.h"
#include "tests.h"

static char *
slurp(const char *name, size_t *len)
{
	char	 path[512], *p;
	FILE	*f;
	long	 n;

	snprintf(path, sizeof(path), "%s/tests/forms/%s", TEST_SRCDIR, name);
	ck_assert_msg((f = fopen(path, "rb")) != NULL, "%s: cannot open",
	    path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	ck_assert_int_ge(n = ftell(f), 0);
	rewind(f);
	ck_assert_ptr_nonnull(p = malloc((size_t)n + 1));
	ck_assert_uint_eq(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return p;
}

/* A PDF of the objects given (1 is the catalog), its table right. */
static size_t
mkpdf(char *out, size_t cap, const char *const *objs, size_t n,
    const char *trailer)
{
	size_t	 off[8], o, x, i;

	ck_assert_uint_le(n, 8);
	o = (size_t)snprintf(out, cap, "%%PDF-1.5\n");
	for (i = 0; i < n; i++) {
		off[i] = o;
		o += (size_t)snprintf(out + o, cap - o, "%zu 0 obj\n%s\nendobj\n",
		    i + 1, objs[i]);
	}
	x = o;
	o += (size_t)snprintf(out + o, cap - o, "xref\n0 %zu\n"
	    "0000000000 65535 f \n", n + 1);
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(out + o, cap - o, "%010zu 00000 n \n",
		    off[i]);
	o += (size_t)snprintf(out + o, cap - o, "trailer\n<< /Size %zu "
	    "/Root 1 0 R %s>>\nstartxref\n%zu\n%%%%EOF\n", n + 1, trailer, x);
	ck_assert_uint_lt(o, cap);
	return o;
}

/* Reads buf with pdflite first and with qpdf alone: the same form,
 * filer block, errors and refusal. */
static void
agree(const char *what, const char *buf, size_t len)
{
	struct pdf_filer	 fa, fb;
	struct report		 ra, rb;
	struct form		*a, *b;
	char			 ea[512], eb[512], *ja, *jb;
	size_t			 i;
	int			 k;

	report_init(&ra);
	report_init(&rb);
	a = pdfform_read_with(buf, len, &fa, &ra, ea, sizeof(ea), 1);
	b = pdfform_read_with(buf, len, &fb, &rb, eb, sizeof(eb), 0);
	ck_assert_msg((a == NULL) == (b == NULL) && strcmp(ea, eb) == 0,
	    "%s: with pdflite \"%s\", with qpdf \"%s\"", what,
	    a != NULL ? "read" : ea, b != NULL ? "read" : eb);
	if (a != NULL) {
		ck_assert_ptr_nonnull(ja = jsonform_write(a));
		ck_assert_ptr_nonnull(jb = jsonform_write(b));
		ck_assert_msg(strcmp(ja, jb) == 0, "%s: %s\nqpdf: %s", what,
		    ja, jb);
		free(ja);
		free(jb);
		for (k = 0; k < FILER__MAX; k++)
			ck_assert_msg((fa.v[k] == NULL && fb.v[k] == NULL) ||
			    (fa.v[k] != NULL && fb.v[k] != NULL &&
			    strcmp(fa.v[k], fb.v[k]) == 0), "%s: %s", what,
			    filer_names[k]);
	}
	ck_assert_msg(ra.nerrors == rb.nerrors && ra.truncated ==
	    rb.truncated, "%s: %zu errors with pdflite, %zu with qpdf", what,
	    ra.nerrors, rb.nerrors);
	for (i = 0; i < ra.nerrors; i++) {
		ck_assert_str_eq(ra.errors[i].field, rb.errors[i].field);
		ck_assert_str_eq(ra.errors[i].message, rb.errors[i].message);
	}
	form_free(a);
	form_free(b);
	if (a != NULL) {
		pdf_filer_free(&fa);
		pdf_filer_free(&fb);
	}
	report_free(&ra);
	report_free(&rb);
}

/* The PDFs pdftk fills (and our own blank form) are read by pdflite. */
START_TEST(test_plain_taken)
{
	static const char *const files[] = {
		"good/aluminum-xfdf.pdf", "good/steel-fdf.pdf",
		"bad/aluminum-flattened.pdf", "bad/not-our-form.pdf",
	};
	struct pdflite	*l;
	uint32_t	 root, acro;
	char		*buf;
	size_t		 len, i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		buf = slurp(files[i], &len);
		ck_assert_msg((l = pdflite_open(buf, len)) != NULL, "%s",
		    files[i]);
		root = pdflite_root(l);
		ck_assert_int_eq(pdflite_type(l, root), ot_dictionary);
		ck_assert_int_ne(pdflite_object_id(l, root), 0);
		acro = pdflite_key(l, root, "/AcroForm");
		ck_assert_int_ne(pdflite_type(l, acro), ot_uninitialized);
		ck_assert(!pdflite_failed(l));
		pdflite_free(l);
		free(buf);
	}
	/* Password, object streams, damage: qpdf's. */
	buf = slurp("bad/aluminum-password.pdf", &len);
	ck_assert_ptr_null(pdflite_open(buf, len));
	free(buf);
	buf = slurp("good/aluminum-pdfdoc-objstm.pdf", &len);
	ck_assert_ptr_null(pdflite_open(buf, len));
	free(buf);
	buf = slurp("bad/aluminum-truncated.pdf", &len);
	ck_assert_ptr_null(pdflite_open(buf, len));
	free(buf);
}
END_TEST

/* Objects, strings and names as qpdf gives them. */
START_TEST(test_values)
{
	const char *const objs[] = {
		"<< /Type /Catalog /AcroForm 2 0 R >>",
		"<< /Fields [3 0 R] /DA (x) >>",
		"<< /T (a\\(b\\)\\101) /V <FEFF00E9D83DDE00> /Kids [] "
		    "/Q -1.5 /F true /N null >>",
	};
	struct pdflite	*l;
	const char	*s;
	uint32_t	 acro, f, fields;
	char		 pdf[2048];
	size_t		 len, n;

	len = mkpdf(pdf, sizeof(pdf), objs, 3, "");
	ck_assert_ptr_nonnull(l = pdflite_open(pdf, len));
	acro = pdflite_key(l, pdflite_root(l), "/AcroForm");
	ck_assert_int_eq(pdflite_object_id(l, acro), 2);
	fields = pdflite_key(l, acro, "/Fields");
	ck_assert_int_eq(pdflite_type(l, fields), ot_array);
	ck_assert_int_eq(pdflite_n_items(l, fields), 1);
	f = pdflite_item(l, fields, 0);
	ck_assert_int_eq(pdflite_object_id(l, f), 3);
	s = pdflite_utf8(l, pdflite_key(l, f, "/T"), &n);
	ck_assert_uint_eq(n, 5);
	ck_assert_str_eq(s, "a(b)A");
	s = pdflite_utf8(l, pdflite_key(l, f, "/V"), &n);
	ck_assert_str_eq(s, "\xc3\xa9\xf0\x9f\x98\x80");
	ck_assert_int_eq(pdflite_type(l, pdflite_key(l, f, "/Q")), ot_real);
	ck_assert_int_eq(pdflite_type(l, pdflite_key(l, f, "/F")),
	    ot_boolean);
	/* A null value, or none: not there. */
	ck_assert(!pdflite_has_key(l, f, "/N"));
	ck_assert(!pdflite_has_key(l, f, "/Nope"));
	ck_assert(pdflite_has_key(l, f, "/Kids"));
	ck_assert(!pdflite_failed(l));
	pdflite_free(l);
}
END_TEST

/* What qpdf would warn of or read otherwise: pdflite gives up. */
START_TEST(test_gives_up)
{
	static const struct {
		const char	*field;		/* object 3 */
		const char	*key;		/* then asked for */
	} cases[] = {
		{ "<< /T (a) /T (b) >>", "/T" },	/* a key twice */
		{ "<< /T (a) % a comment\n>>", "/T" },
		{ "<< /T#20x (a) >>", "/T" },		/* a name escape */
		{ "<< /T <FEFFD800> >>", "/T" },	/* a lone surrogate */
		{ "<< /T (caf\\351) >>", "/T" },	/* not ASCII */
		{ "<< /T (a\\qb) >>", "/T" },		/* unknown escape */
		{ "<< /T (a) /V 9 0 R >>", "/V" },	/* no object 9 */
		{ "<< /T (a) /V >>", "/V" },		/* no value */
		{ "<< /T (a) >> stream", "/T" },
	};
	const char	*objs[3] = {
		"<< /Type /Catalog /AcroForm 2 0 R >>",
		"<< /Fields [3 0 R] >>",
		NULL,
	};
	struct pdflite	*l;
	char		 pdf[2048];
	size_t		 len, c, n;
	uint32_t	 f;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		objs[2] = cases[c].field;
		len = mkpdf(pdf, sizeof(pdf), objs, 3, "");
		ck_assert_ptr_nonnull(l = pdflite_open(pdf, len));
		f = pdflite_item(l, pdflite_key(l, pdflite_key(l,
		    pdflite_root(l), "/AcroForm"), "/Fields"), 0);
		if (pdflite_type(l, f) == ot_dictionary)
			(void)pdflite_utf8(l, pdflite_key(l, f, cases[c].key),
			    &n);
		ck_assert_msg(pdflite_failed(l), "%s", cases[c].field);
		pdflite_free(l);
		agree(cases[c].field, pdf, len);
	}
	/* An empty trailer, the first container read (the fuzzer's). */
	snprintf(pdf, sizeof(pdf), "%%PDF-1.5\nxref\n0 1\n0000000000 65535 "
	    "f \ntrailer\n<<>>\nstartxref\n9\n%%%%EOF\n");
	ck_assert_ptr_null(pdflite_open(pdf, strlen(pdf)));
	agree("empty trailer", pdf, strlen(pdf));
	/* Updates, encryption, a catalog without its /Type. */
	objs[2] = "<< /T (a) >>";
	len = mkpdf(pdf, sizeof(pdf), objs, 3, "/Prev 9 ");
	ck_assert_ptr_null(pdflite_open(pdf, len));
	len = mkpdf(pdf, sizeof(pdf), objs, 3, "/Encrypt 2 0 R ");
	ck_assert_ptr_null(pdflite_open(pdf, len));
	objs[0] = "<< /AcroForm 2 0 R >>";
	len = mkpdf(pdf, sizeof(pdf), objs, 3, "");
	ck_assert_ptr_null(pdflite_open(pdf, len));
}
END_TEST

/* The golden PDFs, cut short and with bytes changed: the two readers
 * agree on every one. */
START_TEST(test_agrees)
{
	static const char *const files[] = {
		"good/aluminum-xfdf.pdf", "good/steel-fdf.pdf",
		"bad/aluminum-line-gap.pdf", "bad/aluminum-not-certified.pdf",
		"bad/not-our-form.pdf", "bad/xfa-only.pdf",
		"bad/scanned.pdf", "bad/aluminum-flattened.pdf",
	};
	static const char	 put[] = " 0(/\\<\xfe" "1";
	char			*buf, what[128];
	size_t			 len, i, k, at;
	unsigned int		 seed = 12345;
	char			 was;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		buf = slurp(files[i], &len);
		agree(files[i], buf, len);
		for (k = 1; k < 12; k++) {
			snprintf(what, sizeof(what), "%s cut at %zu",
			    files[i], len * k / 12);
			agree(what, buf, len * k / 12);
		}
		for (k = 0; k < 120; k++) {
			seed = seed * 1103515245u + 12345u;
			at = (seed >> 8) % len;
			was = buf[at];
			buf[at] = put[k % (sizeof(put) - 1)];
			snprintf(what, sizeof(what), "%s byte %zu made '%c'",
			    files[i], at, buf[at]);
			agree(what, buf, len);
			buf[at] = was;
		}
		free(buf);
	}
}
END_TEST

Suite *
suite_pdflite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("pdflite");
	tc = tcase_create("pdflite");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_plain_taken);
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_gives_up);
	tcase_add_test(tc, test_agrees);
	suite_add_tcase(s, tc);
	return s;
}
