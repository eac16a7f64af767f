/*
 * forms/pdfform.c: the generated PDF parses, carries an AcroForm with
 * exactly the agreed field names for each product, prefills values,
 * keeps its widgets on the page and apart, and refuses what it cannot
 * hold.  The names are written out here, not taken from the module, so
 * a change to the vocabulary the reader relies on fails this test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qpdf/qpdf-c.h>

#include "forms/form.h"
#include "forms/license.h"
#include "forms/pdfform.h"
#include "lib/limits.h"
#include "tests.h"

#define NAMES_MAX	128
#define NAME_MAX_	64

static const char *const header_names[] = {
	"filer_company_name", "filer_address", "filer_contact_name",
	"filer_phone", "filer_email",
	"product", "license_type", "entry_type", "importer_name",
	"exporter_name", "manufacturer_name", "country_of_origin",
	"country_of_exportation", "expected_export_date",
	"expected_import_date", "port_of_entry", "customs_entry_number",
	"certify",
};

static const char *const al_line[] = {
	"hts_code", "customs_value_usd", "volume_kg",
	"country_of_largest_smelt", "country_of_second_largest_smelt",
	"country_of_most_recent_cast",
};

static const char *const st_line[] = {
	"hts_code", "customs_value_usd", "volume_kg",
	"country_of_melt_and_pour",
};

/* A parsed form: its terminal fields by fully qualified name. */
struct parsed {
	qpdf_data	 q;
	unsigned char	*pdf;
	size_t		 len;
	char		 name[NAMES_MAX][NAME_MAX_];
	qpdf_oh		 oh[NAMES_MAX];
	size_t		 n;
};

static void
walk(struct parsed *p, qpdf_oh f, const char *prefix, int depth)
{
	char		 full[NAME_MAX_];
	qpdf_oh		 kids;
	int		 i, nk;

	ck_assert_int_lt(depth, 4);
	ck_assert(qpdf_oh_has_key(p->q, f, "/T"));
	if (prefix[0] != '\0')
		snprintf(full, sizeof(full), "%s.%s", prefix,
		    qpdf_oh_get_utf8_value(p->q, qpdf_oh_get_key(p->q, f,
		    "/T")));
	else
		snprintf(full, sizeof(full), "%s",
		    qpdf_oh_get_utf8_value(p->q, qpdf_oh_get_key(p->q, f,
		    "/T")));
	if (qpdf_oh_has_key(p->q, f, "/Kids")) {
		kids = qpdf_oh_get_key(p->q, f, "/Kids");
		nk = qpdf_oh_get_array_n_items(p->q, kids);
		ck_assert_int_gt(nk, 0);
		for (i = 0; i < nk; i++)
			walk(p, qpdf_oh_get_array_item(p->q, kids, i), full,
			    depth + 1);
		return;
	}
	ck_assert_uint_lt(p->n, NAMES_MAX);
	memcpy(p->name[p->n], full, sizeof(full));
	p->oh[p->n] = f;
	p->n++;
}

static void
parse(struct parsed *p, enum product prod, const struct pdfform_fill *fill)
{
	char	 err[256];
	qpdf_oh	 acro, fields;
	int	 i, n;

	memset(p, 0, sizeof(*p));
	err[0] = '\0';
	ck_assert_msg(pdfform_make(prod, "aim.test", fill, &p->pdf, &p->len,
	    err, sizeof(err)) == 0, "%s", err);
	p->q = qpdf_init();
	qpdf_silence_errors(p->q);
	qpdf_set_suppress_warnings(p->q, QPDF_TRUE);
	ck_assert_int_eq(qpdf_read_memory(p->q, "form.pdf",
	    (const char *)p->pdf, p->len, NULL) & QPDF_ERRORS, 0);
	ck_assert(!qpdf_more_warnings(p->q));
	acro = qpdf_oh_get_key(p->q, qpdf_get_root(p->q), "/AcroForm");
	ck_assert(qpdf_oh_is_dictionary(p->q, acro));
	ck_assert(qpdf_oh_get_bool_value(p->q, qpdf_oh_get_key(p->q, acro,
	    "/NeedAppearances")));
	ck_assert(qpdf_oh_is_dictionary(p->q, qpdf_oh_get_key(p->q,
	    qpdf_oh_get_key(p->q, qpdf_oh_get_key(p->q, acro, "/DR"),
	    "/Font"), "/Helv")));
	ck_assert(!qpdf_oh_has_key(p->q, acro, "/XFA"));
	fields = qpdf_oh_get_key(p->q, acro, "/Fields");
	n = qpdf_oh_get_array_n_items(p->q, fields);
	for (i = 0; i < n; i++)
		walk(p, qpdf_oh_get_array_item(p->q, fields, i), "", 0);
}

static void
unparse(struct parsed *p)
{
	qpdf_cleanup(&p->q);
	free(p->pdf);
}

static qpdf_oh
find(struct parsed *p, const char *name)
{
	size_t	 i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->name[i], name) == 0)
			return p->oh[i];
	ck_abort_msg("no field %s", name);
	return 0;
}

static int
has(struct parsed *p, const char *name)
{
	size_t	 i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->name[i], name) == 0)
			return 1;
	return 0;
}

/* The field's /V as UTF-8, or NULL when it has none. */
static const char *
value(struct parsed *p, const char *name)
{
	qpdf_oh	 f = find(p, name);

	if (!qpdf_oh_has_key(p->q, f, "/V"))
		return NULL;
	return qpdf_oh_get_utf8_value(p->q, qpdf_oh_get_key(p->q, f, "/V"));
}

/* Exactly the expected names, each once. */
static void
expect_names(struct parsed *p, const char *const *line, size_t nline)
{
	char	 want[NAME_MAX_];
	size_t	 i, k, n, total;

	total = sizeof(header_names) / sizeof(header_names[0]) +
	    nline * PDFFORM_LINES;
	ck_assert_uint_eq(p->n, total);
	for (i = 0; i < p->n; i++)
		for (k = i + 1; k < p->n; k++)
			ck_assert_str_ne(p->name[i], p->name[k]);
	for (i = 0; i < sizeof(header_names) / sizeof(header_names[0]); i++)
		ck_assert_msg(has(p, header_names[i]), "missing %s",
		    header_names[i]);
	for (n = 1; n <= PDFFORM_LINES; n++)
		for (k = 0; k < nline; k++) {
			snprintf(want, sizeof(want), "line.%zu.%s", n,
			    line[k]);
			ck_assert_msg(has(p, want), "missing %s", want);
		}
}

START_TEST(test_aluminum_fields)
{
	struct parsed	 p;

	parse(&p, PRODUCT_ALUMINUM, NULL);
	ck_assert_int_eq(qpdf_get_num_pages(p.q), 2);
	expect_names(&p, al_line, 6);
	ck_assert(!has(&p, "line.1.country_of_melt_and_pour"));
	ck_assert(!has(&p, "line.0.hts_code"));
	ck_assert(!has(&p, "line.11.hts_code"));
	ck_assert(has(&p, "line.10.country_of_most_recent_cast"));
	unparse(&p);
}
END_TEST

START_TEST(test_steel_fields)
{
	struct parsed	 p;

	parse(&p, PRODUCT_STEEL, NULL);
	ck_assert_int_eq(qpdf_get_num_pages(p.q), 2);
	expect_names(&p, st_line, 4);
	ck_assert(!has(&p, "line.1.country_of_largest_smelt"));
	ck_assert(!has(&p, "line.1.country_of_most_recent_cast"));
	ck_assert(!has(&p, "line.11.hts_code"));
	ck_assert(has(&p, "line.10.country_of_melt_and_pour"));
	unparse(&p);
}
END_TEST

/* Field kinds, flags, the checkbox's states and the blank values. */
START_TEST(test_field_kinds)
{
	struct parsed	 p;
	qpdf_oh		 f, n;
	size_t		 i;

	parse(&p, PRODUCT_STEEL, NULL);
	for (i = 0; i < p.n; i++) {
		f = p.oh[i];
		ck_assert(qpdf_oh_is_name_and_equals(p.q,
		    qpdf_oh_get_key(p.q, f, "/Subtype"), "/Widget"));
		ck_assert(qpdf_oh_has_key(p.q, f, "/TU"));
		if (strcmp(p.name[i], "certify") == 0)
			continue;
		ck_assert_msg(qpdf_oh_is_name_and_equals(p.q,
		    qpdf_oh_get_key(p.q, f, "/FT"), "/Tx"), "%s", p.name[i]);
		ck_assert(qpdf_oh_is_string(p.q, qpdf_oh_get_key(p.q, f,
		    "/DA")));
		if (strcmp(p.name[i], "product") != 0)
			ck_assert_msg(!qpdf_oh_has_key(p.q, f, "/V"), "%s",
			    p.name[i]);
	}
	/* The product is fixed by the form and read-only. */
	ck_assert_str_eq(value(&p, "product"), "steel");
	ck_assert_int_eq(qpdf_oh_get_int_value_as_int(p.q,
	    qpdf_oh_get_key(p.q, find(&p, "product"), "/Ff")) & 1, 1);
	ck_assert_int_eq(qpdf_oh_get_int_value_as_int(p.q,
	    qpdf_oh_get_key(p.q, find(&p, "importer_name"), "/Ff")) & 1, 0);
	/* The date fields tell both ways of writing a date. */
	ck_assert_ptr_nonnull(strstr(qpdf_oh_get_utf8_value(p.q,
	    qpdf_oh_get_key(p.q, find(&p, "expected_import_date"), "/TU")),
	    "MM/DD/YYYY or YYYY-MM-DD"));

	f = find(&p, "certify");
	ck_assert(qpdf_oh_is_name_and_equals(p.q, qpdf_oh_get_key(p.q, f,
	    "/FT"), "/Btn"));
	ck_assert(qpdf_oh_is_name_and_equals(p.q, qpdf_oh_get_key(p.q, f,
	    "/V"), "/Off"));
	ck_assert(qpdf_oh_is_name_and_equals(p.q, qpdf_oh_get_key(p.q, f,
	    "/AS"), "/Off"));
	n = qpdf_oh_get_key(p.q, qpdf_oh_get_key(p.q, f, "/AP"), "/N");
	ck_assert(qpdf_oh_is_stream(p.q, qpdf_oh_get_key(p.q, n, "/Yes")));
	ck_assert(qpdf_oh_is_stream(p.q, qpdf_oh_get_key(p.q, n, "/Off")));
	unparse(&p);
}
END_TEST

/* Widgets lie on the page, within the margins, and never overlap. */
START_TEST(test_widget_geometry)
{
	struct parsed	 p;
	double		 r[NAMES_MAX][4];
	int		 pg[NAMES_MAX], j;
	size_t		 i, k;
	qpdf_oh		 a;

	parse(&p, _i == 0 ? PRODUCT_ALUMINUM : PRODUCT_STEEL, NULL);
	for (i = 0; i < p.n; i++) {
		a = qpdf_oh_get_key(p.q, p.oh[i], "/Rect");
		ck_assert_int_eq(qpdf_oh_get_array_n_items(p.q, a), 4);
		for (j = 0; j < 4; j++)
			r[i][j] = qpdf_oh_get_numeric_value(p.q,
			    qpdf_oh_get_array_item(p.q, a, j));
		ck_assert(r[i][0] >= 36 && r[i][2] <= 612 - 36);
		ck_assert(r[i][1] >= 36 && r[i][3] <= 792 - 30);
		ck_assert(r[i][2] - r[i][0] >= 10);
		ck_assert(r[i][3] - r[i][1] >= 10);
		pg[i] = qpdf_find_page_by_oh(p.q, qpdf_oh_get_key(p.q,
		    p.oh[i], "/P"));
		ck_assert(pg[i] == 0 || pg[i] == 1);
	}
	/* Header and filer on page 1, lines and certify on page 2. */
	ck_assert_int_eq(pg[0], 0);
	ck_assert_int_eq(pg[p.n - 1], 1);
	for (i = 0; i < p.n; i++)
		for (k = i + 1; k < p.n; k++) {
			if (pg[i] != pg[k])
				continue;
			ck_assert_msg(r[i][2] <= r[k][0] ||
			    r[k][2] <= r[i][0] || r[i][3] <= r[k][1] ||
			    r[k][3] <= r[i][1], "%s overlaps %s",
			    p.name[i], p.name[k]);
		}
	unparse(&p);
}
END_TEST

static void
set(struct form *f, enum hfield h, const char *v)
{
	ck_assert_int_eq(form_set(f, h, v, strlen(v)), 0);
}

START_TEST(test_prefill)
{
	struct pdfform_fill	 fill;
	struct parsed		 p;
	struct form		*f;
	struct form_line	*l;
	size_t			 n;

	f = form_new();
	ck_assert_ptr_nonnull(f);
	set(f, HF_IMPORTER_NAME,
	    "Soci\xc3\xa9t\xc3\xa9 G\xc3\xa9n\xc3\xa9rale");
	set(f, HF_PRODUCT, "steel");
	set(f, HF_EXPECTED_IMPORT_DATE, "2026-03-01");
	/* A name outside PDFDocEncoding: stored as UTF-16. */
	set(f, HF_EXPORTER_NAME, "\xe5\xb1\xb1\xe4\xb8\x9c Aluminium");
	for (n = 1; n <= PDFFORM_LINES; n++) {
		ck_assert_ptr_nonnull(l = form_add_line(f));
		if (n == 2 || n == PDFFORM_LINES) {
			ck_assert_int_eq(form_line_set(l, LF_HTS_CODE,
			    "7601103000", 10), 0);
			ck_assert_int_eq(form_line_set(l,
			    LF_COUNTRY_OF_MOST_RECENT_CAST, "Canada", 6), 0);
		}
	}
	memset(&fill, 0, sizeof(fill));
	fill.filer[PFF_EMAIL] = "filer@example.com";
	fill.filer[PFF_COMPANY_NAME] = "Acme Imports Inc.";
	fill.form = f;
	parse(&p, PRODUCT_ALUMINUM, &fill);
	expect_names(&p, al_line, 6);
	ck_assert_str_eq(value(&p, "importer_name"),
	    "Soci\xc3\xa9t\xc3\xa9 G\xc3\xa9n\xc3\xa9rale");
	ck_assert_str_eq(value(&p, "exporter_name"),
	    "\xe5\xb1\xb1\xe4\xb8\x9c Aluminium");
	ck_assert_str_eq(value(&p, "expected_import_date"), "2026-03-01");
	ck_assert_str_eq(value(&p, "filer_email"), "filer@example.com");
	ck_assert_str_eq(value(&p, "filer_company_name"),
	    "Acme Imports Inc.");
	/* The form's product never overrides the form's own. */
	ck_assert_str_eq(value(&p, "product"), "aluminum");
	ck_assert_str_eq(value(&p, "line.2.hts_code"), "7601103000");
	ck_assert_str_eq(value(&p, "line.10.country_of_most_recent_cast"),
	    "Canada");
	ck_assert_ptr_null(value(&p, "line.1.hts_code"));
	ck_assert_ptr_null(value(&p, "line.2.volume_kg"));
	ck_assert_ptr_null(value(&p, "filer_phone"));
	ck_assert_ptr_null(value(&p, "port_of_entry"));
	unparse(&p);

	/* An eleventh line does not fit: refused, not dropped. */
	ck_assert_ptr_nonnull(form_add_line(f));
	{
		unsigned char	*out = (unsigned char *)"x";
		size_t		 len = 1;
		char		 err[256];

		err[0] = '\0';
		ck_assert_int_eq(pdfform_make(PRODUCT_ALUMINUM, "aim.test",
		    &fill, &out, &len, err, sizeof(err)), -1);
		ck_assert_ptr_null(out);
		ck_assert_uint_eq(len, 0);
		ck_assert_ptr_nonnull(strstr(err, "11 product lines"));
	}
	form_free(f);
}
END_TEST

/* A value of LIM_FIELD_BYTES bytes fits; one more is refused. */
START_TEST(test_value_limit)
{
	struct pdfform_fill	 fill;
	unsigned char		*out = NULL;
	size_t			 len = 0;
	char			 err[256], *v;

	v = malloc(LIM_FIELD_BYTES + 2);
	ck_assert_ptr_nonnull(v);
	memset(v, 'a', LIM_FIELD_BYTES + 1);
	v[LIM_FIELD_BYTES] = '\0';
	memset(&fill, 0, sizeof(fill));
	fill.filer[PFF_ADDRESS] = v;
	ck_assert_msg(pdfform_make(PRODUCT_STEEL, "aim.test", &fill, &out,
	    &len, err, sizeof(err)) == 0, "%s", err);
	free(out);
	v[LIM_FIELD_BYTES] = 'a';
	v[LIM_FIELD_BYTES + 1] = '\0';
	err[0] = '\0';
	ck_assert_int_eq(pdfform_make(PRODUCT_STEEL, "aim.test", &fill, &out,
	    &len, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "filer_address"));
	free(v);
}
END_TEST

START_TEST(test_bad_arguments)
{
	unsigned char	*out = NULL;
	size_t		 len = 0;
	char		 err[256];

	ck_assert_int_eq(pdfform_make(PRODUCT__MAX, "aim.test", NULL, &out,
	    &len, err, sizeof(err)), -1);
	ck_assert_int_eq(pdfform_make(PRODUCT_STEEL, NULL, NULL, &out, &len,
	    err, sizeof(err)), -1);
	ck_assert_int_eq(pdfform_make(PRODUCT_STEEL, "", NULL, &out, &len,
	    err, sizeof(err)), -1);
	ck_assert_int_eq(pdfform_make(PRODUCT_STEEL, "aim.test<b>", NULL,
	    &out, &len, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a host name"));
	ck_assert_int_eq(pdfform_make(PRODUCT_STEEL, ".aim.test", NULL,
	    &out, &len, err, sizeof(err)), -1);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(pdfform_make(PRODUCT_STEEL, "mail-1.example.gov",
	    NULL, &out, &len, err, sizeof(err)), 0);
	free(out);
}
END_TEST

/* A form is tens of kilobytes: embedded font subsets, no full fonts. */
START_TEST(test_size)
{
	unsigned char	*out = NULL;
	size_t		 len = 0;
	char		 err[256];

	ck_assert_msg(pdfform_make(_i == 0 ? PRODUCT_ALUMINUM : PRODUCT_STEEL,
	    "aim.test", NULL, &out, &len, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_gt(len, 10 * 1024);
	ck_assert_uint_lt(len, 256 * 1024);
	ck_assert_int_eq(memcmp(out, "%PDF-", 5), 0);
	free(out);
}
END_TEST

START_TEST(test_has_lfield)
{
	ck_assert(pdfform_has_lfield(PRODUCT_ALUMINUM, LF_HTS_CODE));
	ck_assert(pdfform_has_lfield(PRODUCT_STEEL, LF_VOLUME_KG));
	ck_assert(pdfform_has_lfield(PRODUCT_ALUMINUM,
	    LF_COUNTRY_OF_SECOND_LARGEST_SMELT));
	ck_assert(!pdfform_has_lfield(PRODUCT_ALUMINUM,
	    LF_COUNTRY_OF_MELT_AND_POUR));
	ck_assert(pdfform_has_lfield(PRODUCT_STEEL,
	    LF_COUNTRY_OF_MELT_AND_POUR));
	ck_assert(!pdfform_has_lfield(PRODUCT_STEEL,
	    LF_COUNTRY_OF_LARGEST_SMELT));
	ck_assert(!pdfform_has_lfield(PRODUCT__MAX, LF_HTS_CODE));
	ck_assert(!pdfform_has_lfield(PRODUCT_STEEL, LF__MAX));
	ck_assert_str_eq(pdfform_filer_names[PFF_COMPANY_NAME],
	    "filer_company_name");
	ck_assert_str_eq(pdfform_filer_names[PFF_EMAIL], "filer_email");
}
END_TEST

Suite *
suite_pdfform(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("pdfform");
	tc = tcase_create("pdfform");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_aluminum_fields);
	tcase_add_test(tc, test_steel_fields);
	tcase_add_test(tc, test_field_kinds);
	tcase_add_loop_test(tc, test_widget_geometry, 0, 2);
	tcase_add_test(tc, test_prefill);
	tcase_add_test(tc, test_value_limit);
	tcase_add_test(tc, test_bad_arguments);
	tcase_add_loop_test(tc, test_size, 0, 2);
	tcase_add_test(tc, test_has_lfield);
	suite_add_tcase(s, tc);
	return s;
}
