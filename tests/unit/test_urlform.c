/*
 * forms/urlform.c: the web form reader, its line numbering, empty
 * lines, unknown names and limits, and its output through the rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forms/rules.h"
#include "forms/urlform.h"
#include "lib/date.h"
#include "lib/limits.h"
#include "tests.h"

static struct report	 rep;
static char		 err[256];
static struct form	*f;

static void
setup(void)
{
	report_init(&rep);
	err[0] = '\0';
	f = NULL;
}

static void
teardown(void)
{
	report_free(&rep);
	form_free(f);
}

#define NPAIRS(a)	(sizeof(a) / sizeof(a[0]))

static struct form *
rd(const struct urlpair *p, size_t n, int flags)
{
	struct form	*r;

	r = urlform_read(p, n, flags, &rep, err, sizeof(err));
	ck_assert_msg(r != NULL, "urlform_read: %s", err);
	return r;
}

static const char *
errmsg(const char *field)
{
	return tests_errmsg(&rep, field);
}

/* A line value, or "(null)" for a field not given. */
static const char *
lv(size_t line, enum lfield k)
{
	ck_assert_uint_lt(line, f->nlines);
	return f->lines[line].v[k] != NULL ? f->lines[line].v[k] : "(null)";
}

START_TEST(test_header)
{
	static const struct urlpair p[] = {
		{ "product", "aluminum" },
		{ "license_type", "standard" },
		{ "importer_name", "Acme Metals, Inc." },
		{ "country_of_origin", " Canada " },
		{ "customs_entry_number", "" },
		{ "port_of_entry", "Baltimore, MD" },
	};

	f = rd(p, NPAIRS(p), 0);
	ck_assert_str_eq(f->v[HF_PRODUCT], "aluminum");
	ck_assert_str_eq(f->v[HF_LICENSE_TYPE], "standard");
	ck_assert_str_eq(f->v[HF_IMPORTER_NAME], "Acme Metals, Inc.");
	/* Text as given: trimming is the rules' business. */
	ck_assert_str_eq(f->v[HF_COUNTRY_OF_ORIGIN], " Canada ");
	ck_assert_str_eq(f->v[HF_CUSTOMS_ENTRY_NUMBER], "");
	ck_assert_str_eq(f->v[HF_PORT_OF_ENTRY], "Baltimore, MD");
	ck_assert_ptr_null(f->v[HF_EXPORTER_NAME]);
	ck_assert_ptr_null(f->v[HF_ENTRY_TYPE]);
	ck_assert_uint_eq(f->nlines, 0);
	ck_assert_int_eq(f->has_lines, 0);
	ck_assert_uint_eq(rep.nerrors, 0);
}
END_TEST

START_TEST(test_last_value_wins)
{
	static const struct urlpair p[] = {
		{ "exporter_name", "First" },
		{ "lines[1].hts_code", "7601103000" },
		{ "exporter_name", "Second" },
		{ "lines[1].hts_code", "7606123000" },
	};

	f = rd(p, NPAIRS(p), 0);
	ck_assert_str_eq(f->v[HF_EXPORTER_NAME], "Second");
	ck_assert_uint_eq(f->nlines, 1);
	ck_assert_str_eq(lv(0, LF_HTS_CODE), "7606123000");
}
END_TEST

START_TEST(test_lines_gaps_and_order)
{
	static const struct urlpair p[] = {
		{ "lines[7].hts_code", "c7" },
		{ "lines[3].volume_kg", "30" },
		{ "lines[1].hts_code", "c1" },
		{ "lines[3].hts_code", "c3" },
		{ "lines[1].customs_value_usd", "100.50" },
		{ "lines[7].country_of_melt_and_pour", "Japan" },
	};

	f = rd(p, NPAIRS(p), 0);
	/* Renumbered 1, 2, 3 in the order of N, not of the pairs. */
	ck_assert_uint_eq(f->nlines, 3);
	ck_assert_int_eq(f->has_lines, 1);
	ck_assert_str_eq(lv(0, LF_HTS_CODE), "c1");
	ck_assert_str_eq(lv(0, LF_CUSTOMS_VALUE_USD), "100.50");
	ck_assert_str_eq(lv(0, LF_VOLUME_KG), "(null)");
	ck_assert_str_eq(lv(1, LF_HTS_CODE), "c3");
	ck_assert_str_eq(lv(1, LF_VOLUME_KG), "30");
	ck_assert_str_eq(lv(2, LF_HTS_CODE), "c7");
	ck_assert_str_eq(lv(2, LF_COUNTRY_OF_MELT_AND_POUR), "Japan");
	ck_assert_uint_eq(rep.nerrors, 0);
}
END_TEST

START_TEST(test_empty_lines_dropped)
{
	static const struct urlpair p[] = {
		{ "lines[1].hts_code", "" },
		{ "lines[1].customs_value_usd", "" },
		{ "lines[2].hts_code", "" },
		{ "lines[2].volume_kg", "5" },
		{ "lines[3].hts_code", "  \t" },
		{ "lines[3].volume_kg", "\r\n" },
		{ "lines[4].hts_code", NULL },
		{ "lines[5].customs_value_usd", " 1 " },
	};

	f = rd(p, NPAIRS(p), 0);
	/* Lines 1, 3 and 4 carry nothing; 2 and 5 one field each. */
	ck_assert_uint_eq(f->nlines, 2);
	ck_assert_str_eq(lv(0, LF_VOLUME_KG), "5");
	/* The empty fields of a kept line stay given (and empty). */
	ck_assert_str_eq(lv(0, LF_HTS_CODE), "");
	ck_assert_str_eq(lv(1, LF_CUSTOMS_VALUE_USD), " 1 ");
	ck_assert_str_eq(lv(1, LF_HTS_CODE), "(null)");
	form_free(f);

	/* Kept when the form is only being shown again. */
	f = rd(p, NPAIRS(p), URLFORM_KEEP_EMPTY);
	ck_assert_uint_eq(f->nlines, 5);
	ck_assert_str_eq(lv(0, LF_HTS_CODE), "");
	ck_assert_str_eq(lv(1, LF_VOLUME_KG), "5");
	ck_assert_str_eq(lv(2, LF_HTS_CODE), "  \t");
	ck_assert_str_eq(lv(3, LF_HTS_CODE), "");
	ck_assert_str_eq(lv(4, LF_CUSTOMS_VALUE_USD), " 1 ");
}
END_TEST

START_TEST(test_only_empty_lines)
{
	static const struct urlpair p[] = {
		{ "license_type", "standard" },
		{ "lines[1].hts_code", "" },
		{ "lines[1].volume_kg", "" },
	};

	f = rd(p, NPAIRS(p), 0);
	ck_assert_uint_eq(f->nlines, 0);
	ck_assert_int_eq(f->has_lines, 1);
	ck_assert_uint_eq(rep.nerrors, 0);
}
END_TEST

START_TEST(test_unknown_names)
{
	static const struct urlpair p[] = {
		{ "csrf", "0123" },
		{ "action", "add_line" },
		{ "certify", "yes" },
		{ "lines", "x" },
		{ "", "" },
		{ NULL, "no name" },
		{ "Importer_Name", "wrong case" },
		{ "importer_name ", "trailing space" },
		{ "lines[", "a" },
		{ "lines[]", "a" },
		{ "lines[].hts_code", "a" },
		{ "lines[0].hts_code", "zero" },
		{ "lines[01].hts_code", "leading zero" },
		{ "lines[-1].hts_code", "negative" },
		{ "lines[+1].hts_code", "plus" },
		{ "lines[1 ].hts_code", "space" },
		{ "lines[1]hts_code", "no dot" },
		{ "lines[1].", "no field" },
		{ "lines[1].bogus", "unknown field" },
		{ "lines[1].hts_code.x", "trailing" },
		{ "lines[2][3].hts_code", "nested" },
		{ "lines[a].hts_code", "letter" },
		{ "lines[99999999999999999999].bogus", "huge, unknown" },
		{ "importer_name", "Acme" },
	};

	f = rd(p, NPAIRS(p), 0);
	ck_assert_str_eq(f->v[HF_IMPORTER_NAME], "Acme");
	ck_assert_uint_eq(f->nlines, 0);
	ck_assert_int_eq(f->has_lines, 0);
	ck_assert_uint_eq(rep.nerrors, 0);
}
END_TEST

START_TEST(test_line_limit)
{
	struct urlpair	 p[2];
	char		 name[64];

	/* The last line number allowed... */
	snprintf(name, sizeof(name), "lines[%d].hts_code", LIM_LINES);
	p[0].name = name;
	p[0].value = "7601103000";
	f = rd(p, 1, 0);
	ck_assert_uint_eq(f->nlines, 1);
	ck_assert_str_eq(lv(0, LF_HTS_CODE), "7601103000");
	ck_assert_uint_eq(rep.nerrors, 0);
	form_free(f);

	/* ... and the first past it. */
	snprintf(name, sizeof(name), "lines[%d].hts_code", LIM_LINES + 1);
	p[1].name = "lines[1].volume_kg";
	p[1].value = "10";
	f = rd(p, 2, 0);
	ck_assert_uint_eq(f->nlines, 1);
	ck_assert_str_eq(lv(0, LF_VOLUME_KG), "10");
	ck_assert_str_eq(lv(0, LF_HTS_CODE), "(null)");
	ck_assert_ptr_nonnull(errmsg("lines"));
	ck_assert_ptr_nonnull(strstr(errmsg("lines"), "999"));
	ck_assert_uint_eq(rep.nerrors, 1);
	form_free(f);
	report_free(&rep);

	/* Digits that would overflow any integer. */
	p[0].name = "lines[184467440737095516161844674407370955161].hts_code";
	f = rd(p, 1, 0);
	ck_assert_uint_eq(f->nlines, 0);
	ck_assert_ptr_nonnull(errmsg("lines"));
}
END_TEST

START_TEST(test_field_bytes)
{
	struct urlpair	 p[2];
	char		*ok, *big;

	ok = malloc(LIM_FIELD_BYTES + 1);
	big = malloc(LIM_FIELD_BYTES + 2);
	ck_assert_ptr_nonnull(ok);
	ck_assert_ptr_nonnull(big);
	memset(ok, 'a', LIM_FIELD_BYTES);
	ok[LIM_FIELD_BYTES] = '\0';
	memset(big, 'a', LIM_FIELD_BYTES + 1);
	big[LIM_FIELD_BYTES + 1] = '\0';

	p[0].name = "importer_name";
	p[0].value = ok;
	p[1].name = "lines[2].hts_code";
	p[1].value = ok;
	f = rd(p, 2, 0);
	ck_assert_uint_eq(strlen(f->v[HF_IMPORTER_NAME]), LIM_FIELD_BYTES);
	ck_assert_uint_eq(strlen(lv(0, LF_HTS_CODE)), LIM_FIELD_BYTES);
	ck_assert_uint_eq(rep.nerrors, 0);
	form_free(f);

	p[0].value = big;
	p[1].value = big;
	f = rd(p, 2, 0);
	ck_assert_ptr_null(f->v[HF_IMPORTER_NAME]);
	/* The line keeps its place; the error names it as renumbered. */
	ck_assert_uint_eq(f->nlines, 1);
	ck_assert_str_eq(lv(0, LF_HTS_CODE), "(null)");
	ck_assert_ptr_nonnull(errmsg("importer_name"));
	ck_assert_ptr_nonnull(strstr(errmsg("importer_name"),
	    "Importer name is longer than"));
	ck_assert_ptr_nonnull(errmsg("lines[1].hts_code"));
	ck_assert_uint_eq(rep.nerrors, 2);
	free(ok);
	free(big);
}
END_TEST

START_TEST(test_param_limit)
{
	struct urlpair	*p;
	size_t		 i;

	p = calloc(LIM_PARAMS + 1, sizeof(*p));
	ck_assert_ptr_nonnull(p);
	for (i = 0; i <= LIM_PARAMS; i++) {
		p[i].name = "csrf";
		p[i].value = "x";
	}
	p[LIM_PARAMS - 1].name = "exporter_name";
	f = rd(p, LIM_PARAMS, 0);
	ck_assert_str_eq(f->v[HF_EXPORTER_NAME], "x");
	form_free(f);
	f = urlform_read(p, LIM_PARAMS + 1, 0, &rep, err, sizeof(err));
	ck_assert_ptr_null(f);
	ck_assert_ptr_nonnull(strstr(err, "8192"));
	free(p);
}
END_TEST

START_TEST(test_empty_input)
{
	f = rd(NULL, 0, 0);
	ck_assert_uint_eq(f->nlines, 0);
	ck_assert_ptr_null(f->v[HF_PRODUCT]);
	ck_assert_uint_eq(rep.nerrors, 0);
}
END_TEST

/* What a browser posts for the aluminum form: the rules accept it and
 * their error paths are the input names as shown again. */
START_TEST(test_through_rules)
{
	static const struct urlpair p[] = {
		{ "csrf", "x" },
		{ "product", "aluminum" },
		{ "license_type", "standard" },
		{ "entry_type", "consumption" },
		{ "importer_name", "Acme Metals Inc" },
		{ "exporter_name", "Northern Smelting Ltd" },
		{ "manufacturer_name", "unknown" },
		{ "country_of_origin", "Canada" },
		{ "country_of_exportation", "Canada" },
		{ "expected_export_date", "2026-03-02" },
		{ "expected_import_date", "2026-03-10" },
		{ "port_of_entry", "Detroit, MI" },
		{ "customs_entry_number", "" },
		{ "lines[1].hts_code", "7601103000" },
		{ "lines[1].customs_value_usd", "12,500.00" },
		{ "lines[1].volume_kg", "5000" },
		{ "lines[1].country_of_largest_smelt", "Canada" },
		{ "lines[1].country_of_second_largest_smelt", "not applicable" },
		{ "lines[1].country_of_most_recent_cast", "Canada" },
		{ "lines[2].hts_code", "" },
		{ "lines[2].customs_value_usd", "" },
		{ "lines[2].volume_kg", "" },
		{ "lines[2].country_of_largest_smelt", "" },
		{ "lines[2].country_of_second_largest_smelt", "" },
		{ "lines[2].country_of_most_recent_cast", "" },
		{ "lines[4].hts_code", "7601103000" },
		{ "lines[4].customs_value_usd", "0" },
		{ "lines[4].volume_kg", "10" },
		{ "lines[4].country_of_largest_smelt", "Canada" },
		{ "lines[4].country_of_second_largest_smelt", "not applicable" },
		{ "lines[4].country_of_most_recent_cast", "Canada" },
		{ "certify", "yes" },
		{ "action", "submit" },
	};
	struct license	*lic = NULL;
	int		 app;

	tests_init_tables();
	ck_assert_int_eq(date_parse("2026-03-01", &app), 0);
	f = rd(p, NPAIRS(p), 0);
	ck_assert_uint_eq(f->nlines, 2);
	/* Line 4 as posted is line 2 once the empty line is dropped. */
	ck_assert_uint_eq(rules_check(f, app, &rep, &lic), 1);
	ck_assert_ptr_nonnull(errmsg("lines[2].customs_value_usd"));
	ck_assert_ptr_null(lic);
	report_free(&rep);

	/* Without the bad line it is a license. */
	f->nlines = 1;
	ck_assert_uint_eq(rules_check(f, app, &rep, &lic), 0);
	ck_assert_ptr_nonnull(lic);
	ck_assert_uint_eq(lic->nlines, 1);
	ck_assert_int_eq(lic->lines[0].value_cents, 1250000);
	ck_assert_str_eq(lic->lines[0].second_smelt, "not applicable");
	license_free(lic);
	f->nlines = 2;
}
END_TEST

Suite *
suite_urlform(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("urlform");
	tc = tcase_create("urlform");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_header);
	tcase_add_test(tc, test_last_value_wins);
	tcase_add_test(tc, test_lines_gaps_and_order);
	tcase_add_test(tc, test_empty_lines_dropped);
	tcase_add_test(tc, test_only_empty_lines);
	tcase_add_test(tc, test_unknown_names);
	tcase_add_test(tc, test_line_limit);
	tcase_add_test(tc, test_field_bytes);
	tcase_add_test(tc, test_param_limit);
	tcase_add_test(tc, test_empty_input);
	tcase_add_test(tc, test_through_rules);
	suite_add_tcase(s, tc);
	return s;
}
