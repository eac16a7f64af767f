/*
 * The XML form reader and writer: full forms of both products, the
 * round trip, field-named problems, and hostile documents (entities,
 * DOCTYPEs, depth, size, junk) refused fast and quietly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/limits.h"
#include "forms/form.h"
#include "xml/xmlform.h"
#include "tests.h"

#define OPEN	"<license xmlns=\"urn:aim:license:1\">"
#define CLOSE	"</license>"

static const char aluminum[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<license xmlns=\"urn:aim:license:1\">\n"
    "  <product>aluminum</product>\n"
    "  <license_type>standard</license_type>\n"
    "  <entry_type>consumption</entry_type>\n"
    "  <importer_name>Acme Metals Inc.</importer_name>\n"
    "  <exporter_name>Nordic Export AB</exporter_name>\n"
    "  <manufacturer_name>Hydro Aluminium AS</manufacturer_name>\n"
    "  <country_of_origin>Norway</country_of_origin>\n"
    "  <country_of_exportation>Sweden</country_of_exportation>\n"
    "  <expected_export_date>2024-03-01</expected_export_date>\n"
    "  <expected_import_date>2024-03-15</expected_import_date>\n"
    "  <port_of_entry>Baltimore, MD</port_of_entry>\n"
    "  <customs_entry_number>ABC-1234567-8</customs_entry_number>\n"
    "  <lines>\n"
    "    <line>\n"
    "      <hts_code>7601103000</hts_code>\n"
    "      <customs_value_usd>125000.50</customs_value_usd>\n"
    "      <volume_kg>50000</volume_kg>\n"
    "      <country_of_largest_smelt>Norway</country_of_largest_smelt>\n"
    "      <country_of_second_largest_smelt>Iceland"
    "</country_of_second_largest_smelt>\n"
    "      <country_of_most_recent_cast>Norway"
    "</country_of_most_recent_cast>\n"
    "    </line>\n"
    "    <line>\n"
    "      <volume_kg>1200</volume_kg>\n"
    "      <hts_code>7604101000</hts_code>\n"
    "      <country_of_most_recent_cast>Sweden"
    "</country_of_most_recent_cast>\n"
    "      <customs_value_usd>4800</customs_value_usd>\n"
    "      <country_of_second_largest_smelt>not applicable"
    "</country_of_second_largest_smelt>\n"
    "      <country_of_largest_smelt>not applicable"
    "</country_of_largest_smelt>\n"
    "    </line>\n"
    "  </lines>\n"
    "</license>\n";

/* Fields in another order, a prefixed namespace, no declaration. */
static const char steel[] =
    "<a:license xmlns:a=\"urn:aim:license:1\">"
    "<a:lines><a:line>"
    "<a:country_of_melt_and_pour>Japan</a:country_of_melt_and_pour>"
    "<a:hts_code>7208101500</a:hts_code>"
    "<a:customs_value_usd>98000</a:customs_value_usd>"
    "<a:volume_kg>120000</a:volume_kg>"
    "</a:line></a:lines>"
    "<a:product>steel</a:product>"
    "<a:license_type>standard</a:license_type>"
    "<a:entry_type>ftz</a:entry_type>"
    "<a:importer_name>Gulf Steel LLC</a:importer_name>"
    "<a:exporter_name>Nippon Trading KK</a:exporter_name>"
    "<a:manufacturer_name>unknown</a:manufacturer_name>"
    "<a:country_of_origin>Japan</a:country_of_origin>"
    "<a:country_of_exportation>Japan</a:country_of_exportation>"
    "<a:expected_export_date>04/01/2024</a:expected_export_date>"
    "<a:expected_import_date>2024-04-20</a:expected_import_date>"
    "<a:port_of_entry>Houston, TX</a:port_of_entry>"
    "</a:license>";

static struct report	 rep;
static char		 err[512];

static void
setup(void)
{
	char	 e[256];

	ck_assert_msg(xmlform_init(e, sizeof(e)) == 0, "%s", e);
	report_init(&rep);
	err[0] = '\0';
}

static void
teardown(void)
{
	report_free(&rep);
	xmlform_free();
}

static struct form *
rd(const char *s)
{
	report_free(&rep);
	report_init(&rep);
	return xmlform_read(s, strlen(s), &rep, err, sizeof(err));
}

/* Reads a form that must be readable. */
static struct form *
rd_ok(const char *s)
{
	struct form	*f;

	f = rd(s);
	ck_assert_msg(f != NULL, "refused: %s", err);
	ck_assert_str_eq(err, "");
	return f;
}

/* Reads a form that must be refused; the message must say why. */
static void
rd_refused(const char *s, size_t len, const char *why)
{
	struct form	*f;

	report_free(&rep);
	report_init(&rep);
	f = xmlform_read(s, len, &rep, err, sizeof(err));
	ck_assert_ptr_null(f);
	ck_assert_msg(strstr(err, why) != NULL, "\"%s\" lacks \"%s\"", err,
	    why);
	ck_assert_uint_eq(rep.nerrors, 0);
}

static const char *
msg_of(const char *field)
{
	const char	*m = tests_errmsg(&rep, field);

	ck_assert_msg(m != NULL, "no error for %s (%zu errors)", field,
	    rep.nerrors);
	return m;
}

static void
errs_are(size_t n)
{
	ck_assert_msg(rep.nerrors == n, "%zu errors, want %zu; first %s: %s",
	    rep.nerrors, n, rep.nerrors ? rep.errors[0].field : "-",
	    rep.nerrors ? rep.errors[0].message : "-");
}

static char *
repeat(const char *pre, char c, size_t n, const char *post)
{
	size_t	 a = strlen(pre), b = strlen(post);
	char	*s;

	s = malloc(a + n + b + 1);
	ck_assert_ptr_nonnull(s);
	memcpy(s, pre, a);
	memset(s + a, c, n);
	memcpy(s + a + n, post, b + 1);
	return s;
}

static void
forms_equal(const struct form *a, const struct form *b)
{
	size_t	 i;
	int	 j;

	for (j = 0; j < HF__MAX; j++) {
		if (a->v[j] == NULL || b->v[j] == NULL)
			ck_assert_msg(a->v[j] == b->v[j], "%s given once",
			    hfields[j].name);
		else
			ck_assert_str_eq(a->v[j], b->v[j]);
	}
	ck_assert_int_eq(a->has_lines, b->has_lines);
	ck_assert_uint_eq(a->nlines, b->nlines);
	for (i = 0; i < a->nlines; i++)
		for (j = 0; j < LF__MAX; j++) {
			if (a->lines[i].v[j] == NULL ||
			    b->lines[i].v[j] == NULL)
				ck_assert_msg(a->lines[i].v[j] ==
				    b->lines[i].v[j], "line %zu %s given once",
				    i + 1, lfields[j].name);
			else
				ck_assert_str_eq(a->lines[i].v[j],
				    b->lines[i].v[j]);
		}
}

START_TEST(test_aluminum)
{
	struct form	*f;

	f = rd_ok(aluminum);
	errs_are(0);
	ck_assert_str_eq(f->v[HF_PRODUCT], "aluminum");
	ck_assert_str_eq(f->v[HF_LICENSE_TYPE], "standard");
	ck_assert_str_eq(f->v[HF_ENTRY_TYPE], "consumption");
	ck_assert_str_eq(f->v[HF_IMPORTER_NAME], "Acme Metals Inc.");
	ck_assert_str_eq(f->v[HF_EXPORTER_NAME], "Nordic Export AB");
	ck_assert_str_eq(f->v[HF_MANUFACTURER_NAME], "Hydro Aluminium AS");
	ck_assert_str_eq(f->v[HF_COUNTRY_OF_ORIGIN], "Norway");
	ck_assert_str_eq(f->v[HF_COUNTRY_OF_EXPORTATION], "Sweden");
	ck_assert_str_eq(f->v[HF_EXPECTED_EXPORT_DATE], "2024-03-01");
	ck_assert_str_eq(f->v[HF_EXPECTED_IMPORT_DATE], "2024-03-15");
	ck_assert_str_eq(f->v[HF_PORT_OF_ENTRY], "Baltimore, MD");
	ck_assert_str_eq(f->v[HF_CUSTOMS_ENTRY_NUMBER], "ABC-1234567-8");
	ck_assert_int_eq(f->has_lines, 1);
	ck_assert_uint_eq(f->nlines, 2);
	ck_assert_str_eq(f->lines[0].v[LF_HTS_CODE], "7601103000");
	ck_assert_str_eq(f->lines[0].v[LF_CUSTOMS_VALUE_USD], "125000.50");
	ck_assert_str_eq(f->lines[0].v[LF_VOLUME_KG], "50000");
	ck_assert_str_eq(f->lines[0].v[LF_COUNTRY_OF_LARGEST_SMELT], "Norway");
	ck_assert_str_eq(f->lines[0].v[LF_COUNTRY_OF_SECOND_LARGEST_SMELT],
	    "Iceland");
	ck_assert_str_eq(f->lines[0].v[LF_COUNTRY_OF_MOST_RECENT_CAST],
	    "Norway");
	ck_assert_ptr_null(f->lines[0].v[LF_COUNTRY_OF_MELT_AND_POUR]);
	ck_assert_str_eq(f->lines[1].v[LF_HTS_CODE], "7604101000");
	ck_assert_str_eq(f->lines[1].v[LF_CUSTOMS_VALUE_USD], "4800");
	ck_assert_str_eq(f->lines[1].v[LF_VOLUME_KG], "1200");
	ck_assert_str_eq(f->lines[1].v[LF_COUNTRY_OF_LARGEST_SMELT],
	    "not applicable");
	ck_assert_str_eq(f->lines[1].v[LF_COUNTRY_OF_SECOND_LARGEST_SMELT],
	    "not applicable");
	ck_assert_str_eq(f->lines[1].v[LF_COUNTRY_OF_MOST_RECENT_CAST],
	    "Sweden");
	ck_assert_ptr_null(f->lines[1].v[LF_COUNTRY_OF_MELT_AND_POUR]);
	form_free(f);
}
END_TEST

START_TEST(test_steel)
{
	struct form	*f;
	int		 j;

	f = rd_ok(steel);
	errs_are(0);
	ck_assert_str_eq(f->v[HF_PRODUCT], "steel");
	ck_assert_str_eq(f->v[HF_LICENSE_TYPE], "standard");
	ck_assert_str_eq(f->v[HF_ENTRY_TYPE], "ftz");
	ck_assert_str_eq(f->v[HF_IMPORTER_NAME], "Gulf Steel LLC");
	ck_assert_str_eq(f->v[HF_EXPORTER_NAME], "Nippon Trading KK");
	ck_assert_str_eq(f->v[HF_MANUFACTURER_NAME], "unknown");
	ck_assert_str_eq(f->v[HF_COUNTRY_OF_ORIGIN], "Japan");
	ck_assert_str_eq(f->v[HF_COUNTRY_OF_EXPORTATION], "Japan");
	ck_assert_str_eq(f->v[HF_EXPECTED_EXPORT_DATE], "04/01/2024");
	ck_assert_str_eq(f->v[HF_EXPECTED_IMPORT_DATE], "2024-04-20");
	ck_assert_str_eq(f->v[HF_PORT_OF_ENTRY], "Houston, TX");
	ck_assert_ptr_null(f->v[HF_CUSTOMS_ENTRY_NUMBER]);
	ck_assert_uint_eq(f->nlines, 1);
	ck_assert_str_eq(f->lines[0].v[LF_HTS_CODE], "7208101500");
	ck_assert_str_eq(f->lines[0].v[LF_CUSTOMS_VALUE_USD], "98000");
	ck_assert_str_eq(f->lines[0].v[LF_VOLUME_KG], "120000");
	ck_assert_str_eq(f->lines[0].v[LF_COUNTRY_OF_MELT_AND_POUR], "Japan");
	for (j = LF_COUNTRY_OF_LARGEST_SMELT;
	    j <= LF_COUNTRY_OF_MOST_RECENT_CAST; j++)
		ck_assert_ptr_null(f->lines[0].v[j]);
	form_free(f);
}
END_TEST

START_TEST(test_roundtrip)
{
	struct form	*a, *b;
	char		*x, *y;

	a = rd_ok(aluminum);
	x = xmlform_write(a);
	ck_assert_ptr_nonnull(x);
	ck_assert_msg(strncmp(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
	    38) == 0, "%s", x);
	/* Pretty-printed: one element a line, indented. */
	ck_assert_ptr_nonnull(strstr(x, "\n  <importer_name>Acme Metals Inc."
	    "</importer_name>\n"));
	ck_assert_ptr_nonnull(strstr(x, "\n      <hts_code>7601103000"));
	b = rd_ok(x);
	errs_are(0);
	forms_equal(a, b);
	/* And writing again gives the same text. */
	y = xmlform_write(b);
	ck_assert_ptr_nonnull(y);
	ck_assert_str_eq(x, y);
	free(x);
	free(y);
	form_free(a);
	form_free(b);

	a = rd_ok(steel);
	x = xmlform_write(a);
	ck_assert_ptr_nonnull(x);
	b = rd_ok(x);
	forms_equal(a, b);
	free(x);
	form_free(a);
	form_free(b);
}
END_TEST

/* Markup characters and text of every kind survive, escaped. */
START_TEST(test_roundtrip_escaping)
{
	struct form		*a, *b;
	struct form_line	*l;
	char			*x;
	static const char	 nasty[] = "A&B <Co> \"quoted\" 'it' ]]> "
	    "&amp; </importer_name><product>steel</product>";
	static const char	 accents[] = "Société Générale d'Aluminium, "
	    "Türkiye, Ελλάδα, 日本";

	a = form_new();
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(form_set(a, HF_IMPORTER_NAME, nasty,
	    strlen(nasty)), 0);
	ck_assert_int_eq(form_set(a, HF_EXPORTER_NAME, accents,
	    strlen(accents)), 0);
	ck_assert_int_eq(form_set(a, HF_MANUFACTURER_NAME, "one\ntwo\r\nthree",
	    14), 0);
	ck_assert_int_eq(form_set(a, HF_PORT_OF_ENTRY, "", 0), 0);
	l = form_add_line(a);
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(form_line_set(l, LF_HTS_CODE, "7601<>", 6), 0);
	ck_assert_ptr_nonnull(form_add_line(a));	/* an empty line */
	x = xmlform_write(a);
	ck_assert_ptr_nonnull(x);
	ck_assert_ptr_null(strstr(x, "<Co>"));
	ck_assert_ptr_nonnull(strstr(x, "A&amp;B &lt;Co&gt;"));
	ck_assert_ptr_nonnull(strstr(x, "Société"));	/* UTF-8, not &#...; */
	b = rd_ok(x);
	errs_are(0);
	forms_equal(a, b);
	ck_assert_ptr_null(b->v[HF_PRODUCT]);
	ck_assert_str_eq(b->v[HF_PORT_OF_ENTRY], "");
	ck_assert_uint_eq(b->nlines, 2);
	free(x);
	form_free(a);
	form_free(b);
}
END_TEST

START_TEST(test_write_lines)
{
	struct form	*a, *b;
	char		*x;

	a = form_new();
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(form_set(a, HF_PRODUCT, "aluminum", 8), 0);
	x = xmlform_write(a);
	ck_assert_ptr_nonnull(x);
	ck_assert_ptr_null(strstr(x, "lines"));
	b = rd_ok(x);
	ck_assert_int_eq(b->has_lines, 0);
	forms_equal(a, b);
	free(x);
	form_free(b);

	/* Lines given but empty: a low value license says so. */
	a->has_lines = 1;
	x = xmlform_write(a);
	ck_assert_ptr_nonnull(x);
	ck_assert_ptr_nonnull(strstr(x, "<lines/>"));
	b = rd_ok(x);
	ck_assert_int_eq(b->has_lines, 1);
	ck_assert_uint_eq(b->nlines, 0);
	free(x);
	form_free(b);
	form_free(a);
}
END_TEST

/* What XML cannot carry is refused, never written broken. */
START_TEST(test_write_refuses)
{
	struct form		*a;
	struct form_line	*l;
	char			*x;

	a = form_new();
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(form_set(a, HF_IMPORTER_NAME, "tab\tok", 6), 0);
	x = xmlform_write(a);
	ck_assert_ptr_nonnull(x);
	free(x);
	ck_assert_int_eq(form_set(a, HF_IMPORTER_NAME, "bell\a", 5), 0);
	ck_assert_ptr_null(xmlform_write(a));
	ck_assert_int_eq(form_set(a, HF_IMPORTER_NAME, "bad \xc3(", 6), 0);
	ck_assert_ptr_null(xmlform_write(a));
	ck_assert_int_eq(form_set(a, HF_IMPORTER_NAME, "ok", 2), 0);
	l = form_add_line(a);
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(form_line_set(l, LF_VOLUME_KG, "\xff", 1), 0);
	ck_assert_ptr_null(xmlform_write(a));
	/* A continuation byte first, an overlong '/': libxml2 2.9 takes
	 * them as characters, its parser refuses them (a fuzz finding,
	 * fuzz/regress/urlencoded). */
	ck_assert_int_eq(form_line_set(l, LF_VOLUME_KG, "1\xb0\xb0", 3), 0);
	ck_assert_ptr_null(xmlform_write(a));
	ck_assert_int_eq(form_line_set(l, LF_VOLUME_KG, "\xc0\xaf", 2), 0);
	ck_assert_ptr_null(xmlform_write(a));
	form_free(a);
}
END_TEST

START_TEST(test_values)
{
	struct form	*f;

	f = rd_ok(OPEN "<importer_name>\n   ACME  Corp \t\r\n</importer_name>"
	    "<exporter_name/><manufacturer_name>  </manufacturer_name>"
	    "<port_of_entry><![CDATA[A & B <Co>]]></port_of_entry>"
	    "<country_of_origin>Bos<!-- c -->nia and <![CDATA[Herze]]>govina"
	    "<?pi x?></country_of_origin>"
	    "<customs_entry_number>&lt;&amp;&#x41;&#66;</customs_entry_number>"
	    CLOSE);
	errs_are(0);
	ck_assert_str_eq(f->v[HF_IMPORTER_NAME], "ACME  Corp");
	ck_assert_str_eq(f->v[HF_EXPORTER_NAME], "");
	ck_assert_str_eq(f->v[HF_MANUFACTURER_NAME], "");
	ck_assert_str_eq(f->v[HF_PORT_OF_ENTRY], "A & B <Co>");
	ck_assert_str_eq(f->v[HF_COUNTRY_OF_ORIGIN], "Bosnia and Herzegovina");
	ck_assert_str_eq(f->v[HF_CUSTOMS_ENTRY_NUMBER], "<&AB");
	ck_assert_ptr_null(f->v[HF_PRODUCT]);
	ck_assert_int_eq(f->has_lines, 0);
	ck_assert_uint_eq(f->nlines, 0);
	form_free(f);
}
END_TEST

START_TEST(test_comments)
{
	struct form	*f;

	f = rd_ok("<?xml version=\"1.0\"?>\n<!-- filed by hand -->\n"
	    "<?xml-stylesheet href=\"x.xsl\"?>\n"
	    OPEN "<!-- header --><product>steel</product>\n"
	    "<lines><!-- one --><line><!-- x --><hts_code>7208101500"
	    "</hts_code></line><?pi?></lines>" CLOSE "\n<!-- end -->\n");
	errs_are(0);
	ck_assert_str_eq(f->v[HF_PRODUCT], "steel");
	ck_assert_uint_eq(f->nlines, 1);
	ck_assert_str_eq(f->lines[0].v[LF_HTS_CODE], "7208101500");
	form_free(f);
}
END_TEST

START_TEST(test_utf8)
{
	struct form	*f;

	f = rd_ok(OPEN "<importer_name>Société Générale d'Aluminium</"
	    "importer_name><country_of_origin>Türkiye</country_of_origin>"
	    "<exporter_name>Ω&#x3a9;&#233;</exporter_name>" CLOSE);
	errs_are(0);
	ck_assert_str_eq(f->v[HF_IMPORTER_NAME],
	    "Société Générale d'Aluminium");
	ck_assert_str_eq(f->v[HF_COUNTRY_OF_ORIGIN], "Türkiye");
	ck_assert_str_eq(f->v[HF_EXPORTER_NAME], "ΩΩé");
	form_free(f);

	/* Latin-1 declared is turned into UTF-8. */
	f = rd_ok("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" OPEN
	    "<importer_name>Soci\xe9t\xe9</importer_name>" CLOSE);
	ck_assert_str_eq(f->v[HF_IMPORTER_NAME], "Société");
	form_free(f);
}
END_TEST

/* UTF-16 with a byte order mark, as some Windows tools write. */
START_TEST(test_utf16)
{
	static const char	 src[] = OPEN "<product>steel</product>" CLOSE;
	struct form		*f;
	char			 buf[2 * sizeof(src) + 2];
	size_t			 i;

	buf[0] = '\xff';
	buf[1] = '\xfe';
	for (i = 0; i < sizeof(src) - 1; i++) {
		buf[2 + 2 * i] = src[i];
		buf[3 + 2 * i] = '\0';
	}
	f = xmlform_read(buf, 2 + 2 * (sizeof(src) - 1), &rep, err,
	    sizeof(err));
	ck_assert_msg(f != NULL, "%s", err);
	ck_assert_str_eq(f->v[HF_PRODUCT], "steel");
	form_free(f);
}
END_TEST

START_TEST(test_has_lines)
{
	struct form	*f;

	f = rd_ok(OPEN "<lines/>" CLOSE);
	errs_are(0);
	ck_assert_int_eq(f->has_lines, 1);
	ck_assert_uint_eq(f->nlines, 0);
	form_free(f);
	f = rd_ok(OPEN "<lines><line/><line></line></lines>" CLOSE);
	errs_are(0);
	ck_assert_uint_eq(f->nlines, 2);
	ck_assert_ptr_null(f->lines[1].v[LF_HTS_CODE]);
	form_free(f);
	f = rd_ok(OPEN CLOSE);
	errs_are(0);
	ck_assert_int_eq(f->has_lines, 0);
	form_free(f);
}
END_TEST

START_TEST(test_unknown)
{
	struct form	*f;

	f = rd_ok(OPEN "<foo>1</foo><importer_name>Acme</importer_name>"
	    "<lines><line><hts_code>7601103000</hts_code></line>"
	    "<line><foo/><volume_kg>5</volume_kg><bar/></line></lines>"
	    "<baz/>" CLOSE);
	ck_assert_str_eq(msg_of("foo"), "Unknown field foo: remove it or "
	    "check its spelling.");
	ck_assert_str_eq(msg_of("lines[2].foo"), "Unknown field foo: remove "
	    "it or check its spelling.");
	ck_assert_ptr_nonnull(strstr(msg_of("lines[2].bar"), "bar"));
	ck_assert_ptr_nonnull(strstr(msg_of("baz"), "baz"));
	errs_are(4);
	/* The rest is read, so every problem is shown at once. */
	ck_assert_str_eq(f->v[HF_IMPORTER_NAME], "Acme");
	ck_assert_uint_eq(f->nlines, 2);
	ck_assert_str_eq(f->lines[1].v[LF_VOLUME_KG], "5");
	form_free(f);
}
END_TEST

START_TEST(test_misplaced)
{
	struct form	*f;

	f = rd_ok(OPEN "<hts_code>1</hts_code><lines><line>"
	    "<importer_name>x</importer_name></line><hts_code/><line/>"
	    "</lines>" CLOSE);
	ck_assert_ptr_nonnull(strstr(msg_of("hts_code"), "product line"));
	ck_assert_ptr_nonnull(strstr(msg_of("lines[1].importer_name"),
	    "header field"));
	ck_assert_ptr_nonnull(strstr(msg_of("lines"), "<hts_code>"));
	errs_are(3);
	ck_assert_uint_eq(f->nlines, 2);
	ck_assert_ptr_null(f->v[HF_IMPORTER_NAME]);
	form_free(f);
}
END_TEST

START_TEST(test_repeated)
{
	struct form	*f;

	f = rd_ok(OPEN "<importer_name>A</importer_name><product>steel"
	    "</product><importer_name>B</importer_name><importer_name>C"
	    "</importer_name><lines><line>"
	    "<hts_code>1</hts_code><hts_code>2</hts_code></line></lines>"
	    "<lines><line/></lines>" CLOSE);
	ck_assert_ptr_nonnull(strstr(msg_of("importer_name"), "more than "
	    "once"));
	ck_assert_ptr_nonnull(strstr(msg_of("lines[1].hts_code"),
	    "more than once"));
	ck_assert_ptr_nonnull(strstr(msg_of("lines"), "more than once"));
	errs_are(3);
	ck_assert_str_eq(f->v[HF_IMPORTER_NAME], "A");
	ck_assert_str_eq(f->lines[0].v[LF_HTS_CODE], "1");
	ck_assert_uint_eq(f->nlines, 1);
	form_free(f);
}
END_TEST

START_TEST(test_structure)
{
	struct form	*f;

	f = rd_ok(OPEN "<importer_name>A<b>B</b></importer_name>"
	    "<exporter_name lang=\"en\">E</exporter_name>stray"
	    "<lines>x<line id=\"1\">y<volume_kg>3</volume_kg></line></lines>"
	    CLOSE);
	ck_assert_ptr_nonnull(strstr(msg_of("importer_name"), "plain text"));
	ck_assert_ptr_nonnull(strstr(msg_of("exporter_name"), "lang"));
	ck_assert_ptr_nonnull(strstr(msg_of(""), "outside any field"));
	ck_assert_ptr_nonnull(strstr(msg_of("lines"), "outside any field"));
	ck_assert_ptr_nonnull(strstr(msg_of("lines[1]"), "id=\""));
	/* Two problems with one line: one message per field (report.c). */
	errs_are(5);
	ck_assert_ptr_null(f->v[HF_IMPORTER_NAME]);
	ck_assert_str_eq(f->lines[0].v[LF_VOLUME_KG], "3");
	form_free(f);
}
END_TEST

/* A field element in another namespace is not the field. */
START_TEST(test_field_namespace)
{
	struct form	*f;

	f = rd_ok(OPEN "<importer_name xmlns=\"\">A</importer_name>"
	    "<x:product xmlns:x=\"urn:other\">steel</x:product>" CLOSE);
	ck_assert_ptr_nonnull(strstr(msg_of("importer_name"), XMLFORM_NS));
	ck_assert_ptr_nonnull(strstr(msg_of("product"), "namespace"));
	errs_are(2);
	ck_assert_ptr_null(f->v[HF_IMPORTER_NAME]);
	ck_assert_ptr_null(f->v[HF_PRODUCT]);
	form_free(f);
}
END_TEST

/* What only the schema checks still comes out named by field. */
START_TEST(test_schema_backstop)
{
	struct form	*f;

	f = rd_ok(OPEN "<importer_name xmlns:xsi=\"http://www.w3.org/2001/"
	    "XMLSchema-instance\" xsi:nil=\"true\"/><lines><line><volume_kg "
	    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
	    "xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" "
	    "xsi:type=\"xs:int\">4</volume_kg></line></lines>" CLOSE);
	ck_assert_ptr_nonnull(strstr(msg_of("importer_name"), "xsi:nil"));
	ck_assert_ptr_nonnull(strstr(msg_of("lines[1].volume_kg"),
	    "xsi:type"));
	errs_are(2);
	form_free(f);

	/* xsi:schemaLocation, which editors add, is fine. */
	f = rd_ok("<license xmlns=\"urn:aim:license:1\" xmlns:xsi=\"http://"
	    "www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"urn:"
	    "aim:license:1 http://127.0.0.1:9/license.xsd\"><product>steel"
	    "</product>" CLOSE);
	errs_are(0);
	form_free(f);
}
END_TEST

START_TEST(test_not_a_form)
{
	static const char	 want[] = "not an AIM license form: root "
	    "element must be <license xmlns=\"urn:aim:license:1\">";
	static const char	*docs[] = {
		"<license xmlns=\"urn:aim:license:2\"/>",
		"<license><product>steel</product></license>",
		"<l:license xmlns:l=\"urn:aim:license:1x\"/>",
		"<form xmlns=\"urn:aim:license:1\"/>",
		"<html><body>hi</body></html>",
	};
	size_t			 i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
		rd_refused(docs[i], strlen(docs[i]), want);
	ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(test_billion_laughs)
{
	static const char	 doc[] =
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE license [\n"
	    " <!ENTITY lol \"lol\">\n"
	    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"
	    "&lol;\">\n"
	    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"
	    "&lol1;&lol1;&lol1;\">\n"
	    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"
	    "&lol2;&lol2;&lol2;\">\n"
	    " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"
	    "&lol3;&lol3;&lol3;\">\n"
	    " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"
	    "&lol4;&lol4;&lol4;\">\n"
	    " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"
	    "&lol5;&lol5;&lol5;\">\n"
	    " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"
	    "&lol6;&lol6;&lol6;\">\n"
	    " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"
	    "&lol7;&lol7;&lol7;\">\n"
	    " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;"
	    "&lol8;&lol8;&lol8;\">\n"
	    "]>\n"
	    OPEN "<importer_name>&lol9;</importer_name>" CLOSE;
	double	 t;

	t = tests_now();
	rd_refused(doc, sizeof(doc) - 1, "DOCTYPE");
	ck_assert_msg(tests_now() - t < 0.5, "took %.3f s", tests_now() - t);
}
END_TEST

START_TEST(test_external_entity)
{
	static const char	 doc[] =
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE license [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
	    OPEN "<importer_name>&xxe;</importer_name>" CLOSE;
	static const char	 http[] =
	    "<!DOCTYPE license SYSTEM \"http://127.0.0.1:9/evil.dtd\">"
	    OPEN "<importer_name>&xxe;</importer_name>" CLOSE;
	static const char	 pe[] =
	    "<!DOCTYPE license [<!ENTITY % p SYSTEM \"file:///etc/passwd\">"
	    "%p;]>" OPEN CLOSE;

	rd_refused(doc, sizeof(doc) - 1, "DOCTYPE");
	ck_assert_ptr_null(strstr(err, "root:"));
	rd_refused(http, sizeof(http) - 1, "DOCTYPE");
	rd_refused(pe, sizeof(pe) - 1, "DOCTYPE");
	/* Even a harmless one: forms never need it. */
	rd_refused("<!DOCTYPE license>" OPEN CLOSE, 18 + strlen(OPEN CLOSE),
	    "DOCTYPE");
	/* Without a DOCTYPE an entity is simply undefined. */
	rd_refused(OPEN "<importer_name>&xxe;</importer_name>" CLOSE,
	    strlen(OPEN "<importer_name>&xxe;</importer_name>" CLOSE),
	    "line 1");
}
END_TEST

/* n elements deep in all, license included. */
static char *
nest(int n)
{
	char	*s;
	size_t	 len, at;
	int	 i;

	len = strlen(OPEN CLOSE) + (size_t)(n - 1) * 7;
	s = malloc(len + 1);
	ck_assert_ptr_nonnull(s);
	at = strlen(OPEN);
	memcpy(s, OPEN, at);
	for (i = 1; i < n; i++) {
		memcpy(s + at, "<a>", 3);
		at += 3;
	}
	for (i = 1; i < n; i++) {
		memcpy(s + at, "</a>", 4);
		at += 4;
	}
	memcpy(s + at, CLOSE, strlen(CLOSE) + 1);
	return s;
}

START_TEST(test_depth)
{
	struct form	*f;
	char		*s;

	s = nest(1000);
	rd_refused(s, strlen(s), "nested deeper than 16");
	free(s);
	s = nest(LIM_FORM_DEPTH + 1);
	rd_refused(s, strlen(s), "nested deeper");
	free(s);
	s = nest(LIM_FORM_DEPTH);
	f = rd_ok(s);
	ck_assert_ptr_nonnull(strstr(msg_of("a"), "Unknown field a"));
	errs_are(1);
	form_free(f);
	free(s);
}
END_TEST

START_TEST(test_size)
{
	struct form	*f;
	char		*s;
	size_t		 pad;

	/* 2 MB of otherwise harmless whitespace. */
	s = repeat(OPEN, ' ', 2 * 1024 * 1024, CLOSE);
	rd_refused(s, strlen(s), "larger than 1 MiB");
	free(s);
	pad = LIM_FORM_BYTES - strlen(OPEN CLOSE);
	s = repeat(OPEN, ' ', pad + 1, CLOSE);
	rd_refused(s, strlen(s), "larger than");
	free(s);
	s = repeat(OPEN, ' ', pad, CLOSE);
	ck_assert_uint_eq(strlen(s), LIM_FORM_BYTES);
	f = rd_ok(s);
	errs_are(0);
	form_free(f);
	free(s);
}
END_TEST

START_TEST(test_field_length)
{
	struct form	*f;
	char		*s, *t;
	size_t		 i;

	/* 201 characters: the rules refuse it, the reader passes it on. */
	s = repeat(OPEN "<importer_name>", 'a', 201, "</importer_name>" CLOSE);
	f = rd_ok(s);
	errs_are(0);
	ck_assert_uint_eq(strlen(f->v[HF_IMPORTER_NAME]), 201);
	form_free(f);
	free(s);

	s = repeat(OPEN "<importer_name>", 'a', LIM_FIELD_BYTES,
	    "</importer_name>" CLOSE);
	f = rd_ok(s);
	errs_are(0);
	ck_assert_uint_eq(strlen(f->v[HF_IMPORTER_NAME]), LIM_FIELD_BYTES);
	form_free(f);
	free(s);

	/* Surrounding whitespace is not the value. */
	s = repeat(OPEN "<importer_name>    ", 'a', LIM_FIELD_BYTES,
	    "    </importer_name>" CLOSE);
	f = rd_ok(s);
	errs_are(0);
	form_free(f);
	free(s);

	s = repeat(OPEN "<exporter_name>e</exporter_name><importer_name>", 'a',
	    LIM_FIELD_BYTES + 1, "</importer_name>" CLOSE);
	f = rd_ok(s);
	ck_assert_ptr_nonnull(strstr(msg_of("importer_name"),
	    "longer than 800 bytes"));
	errs_are(1);
	ck_assert_ptr_null(f->v[HF_IMPORTER_NAME]);
	ck_assert_str_eq(f->v[HF_EXPORTER_NAME], "e");
	form_free(f);
	free(s);

	/* 200 two-byte characters are 400 bytes: fine. */
	t = malloc(401);
	ck_assert_ptr_nonnull(t);
	for (i = 0; i < 200; i++)
		memcpy(t + 2 * i, "é", 2);
	t[400] = '\0';
	if (asprintf(&s, OPEN "<importer_name>%s</importer_name>" CLOSE,
	    t) == -1)
		ck_abort();
	f = rd_ok(s);
	ck_assert_str_eq(f->v[HF_IMPORTER_NAME], t);
	form_free(f);
	free(s);
	free(t);

	/* A line field names its line. */
	s = repeat(OPEN "<lines><line/><line/><line><hts_code>", '7',
	    LIM_FIELD_BYTES + 1, "</hts_code></line></lines>" CLOSE);
	f = rd_ok(s);
	ck_assert_ptr_nonnull(strstr(msg_of("lines[3].hts_code"),
	    "at most 200 characters"));
	errs_are(1);
	ck_assert_ptr_null(f->lines[2].v[LF_HTS_CODE]);
	form_free(f);
	free(s);
}
END_TEST

static char *
many_lines(size_t n)
{
	char	*s;
	size_t	 i, at, o = strlen(OPEN "<lines>");

	s = malloc(o + n * 7 + strlen("</lines>" CLOSE) + 1);
	ck_assert_ptr_nonnull(s);
	memcpy(s, OPEN "<lines>", o);
	for (i = 0, at = o; i < n; i++, at += 7)
		memcpy(s + at, "<line/>", 7);
	memcpy(s + at, "</lines>" CLOSE, strlen("</lines>" CLOSE) + 1);
	return s;
}

START_TEST(test_line_count)
{
	struct form	*f;
	char		*s;

	s = many_lines(LIM_LINES);
	f = rd_ok(s);
	errs_are(0);
	ck_assert_uint_eq(f->nlines, LIM_LINES);
	form_free(f);
	free(s);
	s = many_lines(LIM_LINES + 1);
	f = rd_ok(s);
	ck_assert_ptr_nonnull(strstr(msg_of("lines"), "at most 999"));
	errs_are(1);
	form_free(f);
	free(s);
}
END_TEST

static char *
many_elems(size_t n)
{
	char	*s;
	size_t	 i, at, o = strlen(OPEN);

	s = malloc(o + n * 4 + strlen(CLOSE) + 1);
	ck_assert_ptr_nonnull(s);
	memcpy(s, OPEN, o);
	for (i = 0, at = o; i < n; i++, at += 4)
		memcpy(s + at, "<a/>", 4);
	memcpy(s + at, CLOSE, strlen(CLOSE) + 1);
	return s;
}

START_TEST(test_element_count)
{
	struct form	*f;
	char		*s;

	s = many_elems(LIM_FORM_KEYS);
	f = rd_ok(s);
	errs_are(1);	/* one per field path */
	form_free(f);
	free(s);
	s = many_elems(LIM_FORM_KEYS + 1);
	rd_refused(s, strlen(s), "more than 64 elements");
	free(s);
}
END_TEST

START_TEST(test_junk)
{
	static const char	 junk[] =
	    "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xfe";
	static const char	 cut[] = "<?xml version=\"1.0\"?>\n" OPEN "\n"
	    "  <importer_name>Acme</importer_name>\n  <lines><line>";
	static const char	 badutf[] = OPEN "\n\n<importer_name>\xc3("
	    "</importer_name>" CLOSE;

	rd_refused(junk, sizeof(junk) - 1, "line 1");
	rd_refused(cut, sizeof(cut) - 1, "line 4");
	rd_refused(badutf, sizeof(badutf) - 1, "line 3");
	rd_refused(OPEN "<a></b>" CLOSE, strlen(OPEN "<a></b>" CLOSE),
	    "not well-formed XML: line 1");
	rd_refused(OPEN CLOSE "<again/>", strlen(OPEN CLOSE "<again/>"),
	    "line 1");
	ck_assert_ptr_null(strchr(err, '\n'));
}
END_TEST

START_TEST(test_empty)
{
	rd_refused("", 0, "empty");
	rd_refused(NULL, 10, "empty");
	rd_refused(" \n\n ", 4, "line");
}
END_TEST

/* libxml2 says nothing on stderr, however bad the input. */
START_TEST(test_quiet)
{
	FILE	*tmp;
	int	 saved;
	long	 size;
	char	*s;

	tmp = tmpfile();
	ck_assert_ptr_nonnull(tmp);
	fflush(stderr);
	saved = dup(2);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_eq(dup2(fileno(tmp), 2), 2);
	form_free(rd("\x89PNG junk"));
	form_free(rd("<!DOCTYPE x [<!ENTITY a \"b\">]><x/>"));
	form_free(rd(OPEN "<a>&nope;</a>" CLOSE));
	form_free(rd(OPEN "<foo/><importer_name a='1'>x<b/></importer_name>"
	    CLOSE));
	s = nest(100);
	form_free(rd(s));
	free(s);
	fflush(stderr);
	ck_assert_int_eq(dup2(saved, 2), 2);
	close(saved);
	fseek(tmp, 0, SEEK_END);
	size = ftell(tmp);
	fclose(tmp);
	ck_assert_int_eq(size, 0);
}
END_TEST

START_TEST(test_init_twice)
{
	char	 e[256];

	ck_assert_int_eq(xmlform_init(e, sizeof(e)), 0);
	ck_assert_int_eq(xmlform_init(e, sizeof(e)), 0);
	xmlform_free();
	xmlform_free();
	/* Reading sets the schema up again when needed. */
	form_free(rd_ok(steel));
	errs_are(0);
}
END_TEST

Suite *
suite_xmlform(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("xmlform");
	tc = tcase_create("read");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_aluminum);
	tcase_add_test(tc, test_steel);
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_comments);
	tcase_add_test(tc, test_utf8);
	tcase_add_test(tc, test_utf16);
	tcase_add_test(tc, test_has_lines);
	tcase_add_test(tc, test_unknown);
	tcase_add_test(tc, test_misplaced);
	tcase_add_test(tc, test_repeated);
	tcase_add_test(tc, test_structure);
	tcase_add_test(tc, test_field_namespace);
	tcase_add_test(tc, test_schema_backstop);
	tcase_add_test(tc, test_field_length);
	tcase_add_test(tc, test_line_count);
	tcase_add_test(tc, test_init_twice);
	suite_add_tcase(s, tc);

	tc = tcase_create("hostile");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_not_a_form);
	tcase_add_test(tc, test_billion_laughs);
	tcase_add_test(tc, test_external_entity);
	tcase_add_test(tc, test_depth);
	tcase_add_test(tc, test_size);
	tcase_add_test(tc, test_element_count);
	tcase_add_test(tc, test_junk);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_quiet);
	suite_add_tcase(s, tc);

	tc = tcase_create("write");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_roundtrip_escaping);
	tcase_add_test(tc, test_write_lines);
	tcase_add_test(tc, test_write_refuses);
	suite_add_tcase(s, tc);
	return s;
}
