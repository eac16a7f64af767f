/*
 * forms/rules.c: the rules of DOMAIN.md sections 3-5 through
 * rules_check (every test starts from a valid aluminum or steel form
 * and changes one thing, then names the exact field path the error
 * must carry), and the license check of section 9.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forms/form.h"
#include "forms/license.h"
#include "forms/rules.h"
#include "lib/date.h"
#include "lib/limits.h"
#include "tests.h"

#define ALU_HTS		"7601103000"	/* Unwrought Aluminum */
#define ALU_HTS2	"7606123015"	/* Sheet and Plate */
#define STEEL_HTS	"7208100000"	/* Flat */

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* The application date of every test: 2026-01-15. */
static int	 app;

/* rules_check must reset the caller's pointer; it starts here. */
static struct license	 sentinel;

static void
setup(void)
{
	tests_init_tables();
	app = date_from_ymd(2026, 1, 15);
}

/* Sets a header field; NULL removes it (not given at all). */
static void
hset(struct form *f, enum hfield h, const char *v)
{
	free(f->v[h]);
	f->v[h] = NULL;
	if (v != NULL && form_set(f, h, v, strlen(v)) == -1)
		ck_abort_msg("form_set: out of memory");
}

/* Sets a field of line n (from 1); NULL removes it. */
static void
lset(struct form *f, size_t n, enum lfield k, const char *v)
{
	struct form_line	*l;

	if (n == 0 || n > f->nlines)
		ck_abort_msg("lset: no line %zu", n);
	l = &f->lines[n - 1];
	free(l->v[k]);
	l->v[k] = NULL;
	if (v != NULL && form_line_set(l, k, v, strlen(v)) == -1)
		ck_abort_msg("form_line_set: out of memory");
}

static void
lput(struct form_line *l, enum lfield k, const char *v)
{
	if (form_line_set(l, k, v, strlen(v)) == -1)
		ck_abort_msg("form_line_set: out of memory");
}

/* A new line of the fields both products have. */
static struct form_line *
add_line(struct form *f, const char *hts, const char *usd, const char *kg)
{
	struct form_line	*l;

	if ((l = form_add_line(f)) == NULL)
		ck_abort_msg("form_add_line failed at %zu", f->nlines);
	lput(l, LF_HTS_CODE, hts);
	lput(l, LF_CUSTOMS_VALUE_USD, usd);
	lput(l, LF_VOLUME_KG, kg);
	return l;
}

static void
add_alu_line(struct form *f, const char *hts, const char *usd,
    const char *kg)
{
	struct form_line	*l = add_line(f, hts, usd, kg);

	lput(l, LF_COUNTRY_OF_LARGEST_SMELT, "Canada");
	lput(l, LF_COUNTRY_OF_SECOND_LARGEST_SMELT, "Norway");
	lput(l, LF_COUNTRY_OF_MOST_RECENT_CAST, "Germany");
}

static void
add_steel_line(struct form *f, const char *hts, const char *usd,
    const char *kg)
{
	lput(add_line(f, hts, usd, kg), LF_COUNTRY_OF_MELT_AND_POUR, "Japan");
}

/* Export and import dates as days. */
static void
set_dates(struct form *f, int exp, int imp)
{
	char	 d[11];

	date_format(exp, d);
	hset(f, HF_EXPECTED_EXPORT_DATE, d);
	date_format(imp, d);
	hset(f, HF_EXPECTED_IMPORT_DATE, d);
}

static void
header(struct form *f, const char *product)
{
	hset(f, HF_PRODUCT, product);
	hset(f, HF_LICENSE_TYPE, "standard");
	hset(f, HF_ENTRY_TYPE, "consumption");
	hset(f, HF_IMPORTER_NAME, "ACME Metals, Inc.");
	hset(f, HF_EXPORTER_NAME, "Rhein Export GmbH");
	hset(f, HF_MANUFACTURER_NAME, "unknown");
	hset(f, HF_COUNTRY_OF_ORIGIN, "Germany");
	hset(f, HF_COUNTRY_OF_EXPORTATION, "Netherlands");
	hset(f, HF_EXPECTED_EXPORT_DATE, "2026-01-20");
	hset(f, HF_EXPECTED_IMPORT_DATE, "2026-02-10");
	hset(f, HF_PORT_OF_ENTRY, "Baltimore, MD");
}

/* A fully valid standard aluminum license as of app, one line. */
static struct form *
alu_form(void)
{
	struct form	*f;

	if ((f = form_new()) == NULL)
		ck_abort_msg("form_new failed");
	header(f, "aluminum");
	add_alu_line(f, ALU_HTS, "12500.75", "1000.5");
	return f;
}

/* A fully valid standard steel license as of app, one line. */
static struct form *
steel_form(void)
{
	struct form	*f;

	if ((f = form_new()) == NULL)
		ck_abort_msg("form_new failed");
	header(f, "steel");
	add_steel_line(f, STEEL_HTS, "8000", "10000");
	return f;
}

/* The errors of a report, for failure messages. */
static const char *
listed(const struct report *r)
{
	return tests_listed(r->errors, r->nerrors, "no errors");
}

/* Checks a form that must be valid on day; returns its license. */
static struct license *
valid_on(const struct form *f, int day, const char *what)
{
	struct report	 r;
	struct license	*lic = &sentinel;
	size_t		 n;

	report_init(&r);
	n = rules_check(f, day, &r, &lic);
	ck_assert_msg(n == 0 && r.nerrors == 0, "%s: want valid, got %s",
	    what, listed(&r));
	ck_assert_msg(lic != NULL && lic != &sentinel, "%s: no license",
	    what);
	ck_assert_msg(r.nflags == 0, "%s: rules_check added flags", what);
	report_free(&r);
	return lic;
}

static struct license *
valid(const struct form *f, const char *what)
{
	return valid_on(f, app, what);
}

/* Valid, license dropped. */
static void
ok(const struct form *f, const char *what)
{
	license_free(valid(f, what));
}

/*
 * Checks a form that must have exactly one error, on field, whose
 * message contains want (unless NULL); no license comes out.
 */
static void
bad_on(const struct form *f, int day, const char *field, const char *want,
    const char *what)
{
	struct report	 r;
	struct license	*lic = &sentinel;
	size_t		 n;

	report_init(&r);
	n = rules_check(f, day, &r, &lic);
	ck_assert_msg(n == 1 && r.nerrors == 1 &&
	    report_has_error(&r, field), "%s: want one error on %s, got %s",
	    what, field, listed(&r));
	ck_assert_msg(lic == NULL, "%s: invalid form gave a license", what);
	if (want != NULL)
		ck_assert_msg(strstr(r.errors[0].message, want) != NULL,
		    "%s: message \"%s\" lacks \"%s\"", what,
		    r.errors[0].message, want);
	report_free(&r);
}

static void
bad(const struct form *f, const char *field, const char *want,
    const char *what)
{
	bad_on(f, app, field, want, what);
}

/* Each of the n values refused in field h of the valid form, with one
 * error on path whose message holds want. */
static void
bad_each(enum hfield h, const char *path, const char *want,
    const char *what, const char *const *values, size_t n)
{
	struct form	*f = alu_form();
	size_t		 i;

	for (i = 0; i < n; i++) {
		hset(f, h, values[i]);
		bad(f, path, want, what);
	}
	form_free(f);
}

/* n copies of unit, in a fresh string. */
static char *
repeat(const char *unit, size_t n)
{
	size_t	 len = strlen(unit), i;
	char	*s;

	if ((s = malloc(len * n + 1)) == NULL)
		ck_abort_msg("out of memory");
	for (i = 0; i < n; i++)
		memcpy(s + i * len, unit, len);
	s[len * n] = '\0';
	return s;
}

/* Whether s is well-formed UTF-8 (RFC 3629: no overlongs, surrogates
 * or code points past U+10FFFF), checked independently of rules.c. */
static int
utf8_ok(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned long		 cp;
	int			 k, i;

	while (*p) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		if (*p >= 0xc2 && *p <= 0xdf)
			k = 1;
		else if (*p >= 0xe0 && *p <= 0xef)
			k = 2;
		else if (*p >= 0xf0 && *p <= 0xf4)
			k = 3;
		else
			return 0;
		cp = *p & (0x7f >> (k + 1));
		for (i = 1; i <= k; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return 0;
		p += k + 1;
	}
	return 1;
}

/* ---- valid forms and what they become ---- */

START_TEST(test_valid_aluminum)
{
	struct form		*f = alu_form();
	struct license		*lic;
	const struct license_line *l;

	lic = valid(f, "aluminum form");
	ck_assert_int_eq(lic->product, PRODUCT_ALUMINUM);
	ck_assert_int_eq(lic->ltype, LTYPE_STANDARD);
	ck_assert_int_eq(lic->entry, ENTRY_CONSUMPTION);
	ck_assert_str_eq(lic->importer_name, "ACME Metals, Inc.");
	ck_assert_str_eq(lic->exporter_name, "Rhein Export GmbH");
	ck_assert_str_eq(lic->manufacturer_name, "unknown");
	ck_assert_str_eq(lic->country_of_origin, "Germany");
	ck_assert_str_eq(lic->country_of_exportation, "Netherlands");
	ck_assert_int_eq(lic->export_date, date_from_ymd(2026, 1, 20));
	ck_assert_int_eq(lic->import_date, date_from_ymd(2026, 2, 10));
	ck_assert_str_eq(lic->port_of_entry, "Baltimore, MD");
	ck_assert_ptr_null(lic->customs_entry_number);
	ck_assert_int_eq(lic->application_date, app);
	ck_assert_uint_eq(lic->nlines, 1);
	l = &lic->lines[0];
	ck_assert_str_eq(l->hts_code, ALU_HTS);
	ck_assert_str_eq(l->product_group, "Unwrought Aluminum");
	ck_assert_int_eq(l->value_cents, 1250075);
	ck_assert_int_eq(l->grams, 1000500);
	ck_assert_double_eq_tol(l->usd_per_kg, 12500.75 / 1000.5, 1e-9);
	ck_assert_str_eq(l->largest_smelt, "Canada");
	ck_assert_str_eq(l->second_smelt, "Norway");
	ck_assert_str_eq(l->most_recent_cast, "Germany");
	ck_assert_ptr_null(l->melt_and_pour);
	license_free(lic);
	form_free(f);
}
END_TEST

START_TEST(test_valid_steel)
{
	struct form		*f = steel_form();
	struct license		*lic;
	const struct license_line *l;

	lic = valid(f, "steel form");
	ck_assert_int_eq(lic->product, PRODUCT_STEEL);
	ck_assert_uint_eq(lic->nlines, 1);
	l = &lic->lines[0];
	ck_assert_str_eq(l->hts_code, STEEL_HTS);
	ck_assert_str_eq(l->product_group, "Flat");
	ck_assert_int_eq(l->value_cents, 800000);
	ck_assert_int_eq(l->grams, 10000000);
	ck_assert_double_eq_tol(l->usd_per_kg, 0.8, 1e-12);
	ck_assert_str_eq(l->melt_and_pour, "Japan");
	ck_assert_ptr_null(l->largest_smelt);
	ck_assert_ptr_null(l->second_smelt);
	ck_assert_ptr_null(l->most_recent_cast);
	license_free(lic);
	form_free(f);
}
END_TEST

/* Surrounding white space goes; inner text stays as typed. */
START_TEST(test_trimmed)
{
	struct form	*f = alu_form();
	struct license	*lic;

	hset(f, HF_IMPORTER_NAME, "  \tACME  Metals \r\n");
	hset(f, HF_PORT_OF_ENTRY, "\nBaltimore, MD\n");
	hset(f, HF_COUNTRY_OF_ORIGIN, "  germany ");
	lic = valid(f, "padded fields");
	ck_assert_str_eq(lic->importer_name, "ACME  Metals");
	ck_assert_str_eq(lic->port_of_entry, "Baltimore, MD");
	ck_assert_str_eq(lic->country_of_origin, "Germany");
	license_free(lic);
	form_free(f);
}
END_TEST

/* Errors already in the report (a reader's) make the form invalid too:
 * the count returned is the report's. */
START_TEST(test_report_reused)
{
	struct form	*f = alu_form();
	struct report	 r;
	struct license	*lic = &sentinel;

	report_init(&r);
	report_error(&r, 0, "earlier", "An earlier problem.");
	ck_assert_uint_eq(rules_check(f, app, &r, &lic), 1);
	ck_assert_uint_eq(r.nerrors, 1);
	ck_assert_ptr_null(lic);
	hset(f, HF_IMPORTER_NAME, NULL);
	lic = &sentinel;
	ck_assert_uint_eq(rules_check(f, app, &r, &lic), 2);
	ck_assert_uint_eq(r.nerrors, 2);
	ck_assert_ptr_null(lic);
	ck_assert(report_has_error(&r, "importer_name"));
	report_free(&r);
	/* No license wanted: still checked. */
	report_init(&r);
	ck_assert_uint_eq(rules_check(f, app, &r, NULL), 1);
	ck_assert(report_has_error(&r, "importer_name"));
	report_free(&r);
	form_free(f);
}
END_TEST

/*
 * BUG: report_error() now keeps one message per field, and
 * rules_check() decides validity by how much r->nerrors grew.  A
 * report that already names a field (a reader's error, as in
 * cli/cmd_form.c and db/registry.c) swallows the rule's error on it:
 * form without importer_name, report holding an earlier
 * "importer_name" error -> rules_check returns 0 and hands out a
 * license.  Expected: a count > 0 and no license.
 */
START_TEST(test_report_same_field)
{
	struct form	*f = alu_form();
	struct report	 r;
	struct license	*lic = &sentinel;
	size_t		 n;

	hset(f, HF_IMPORTER_NAME, NULL);
	report_init(&r);
	report_error(&r, 0, "importer_name", "A reader's problem.");
	n = rules_check(f, app, &r, &lic);
	ck_assert_msg(lic == NULL, "a form without importer_name gave a "
	    "license");
	ck_assert_uint_ge(n, 1);
	license_free(lic == &sentinel ? NULL : lic);
	report_free(&r);
	form_free(f);
}
END_TEST

/* ---- header fields ---- */

static const struct {
	enum hfield	 h;
	const char	*path;
} required[] = {
	{ HF_PRODUCT, "product" },
	{ HF_ENTRY_TYPE, "entry_type" },
	{ HF_IMPORTER_NAME, "importer_name" },
	{ HF_EXPORTER_NAME, "exporter_name" },
	{ HF_MANUFACTURER_NAME, "manufacturer_name" },
	{ HF_COUNTRY_OF_ORIGIN, "country_of_origin" },
	{ HF_COUNTRY_OF_EXPORTATION, "country_of_exportation" },
	{ HF_EXPECTED_EXPORT_DATE, "expected_export_date" },
	{ HF_EXPECTED_IMPORT_DATE, "expected_import_date" },
	{ HF_PORT_OF_ENTRY, "port_of_entry" },
};

START_TEST(test_required_header)
{
	static const char *const empties[] = { NULL, "", "   ", " \t\r\n " };
	struct form	*f;
	char		 what[128];
	size_t		 i, j;

	for (i = 0; i < NELEM(required); i++)
		for (j = 0; j < NELEM(empties); j++) {
			f = alu_form();
			hset(f, required[i].h, empties[j]);
			snprintf(what, sizeof(what), "%s %s", required[i].path,
			    empties[j] == NULL ? "absent" : "empty");
			bad(f, required[i].path, "required", what);
			form_free(f);
		}
	/* The same on a steel form. */
	for (i = 0; i < NELEM(required); i++) {
		f = steel_form();
		hset(f, required[i].h, "");
		bad(f, required[i].path, "required", required[i].path);
		form_free(f);
	}
}
END_TEST

START_TEST(test_license_type)
{
	struct form	*f = alu_form();
	struct license	*lic;

	hset(f, HF_LICENSE_TYPE, NULL);
	lic = valid(f, "license_type absent");
	ck_assert_int_eq(lic->ltype, LTYPE_STANDARD);
	license_free(lic);

	hset(f, HF_LICENSE_TYPE, "Standard");
	lic = valid(f, "Standard");
	ck_assert_int_eq(lic->ltype, LTYPE_STANDARD);
	license_free(lic);

	hset(f, HF_LICENSE_TYPE, "");
	bad(f, "license_type", "required", "license_type empty");
	hset(f, HF_LICENSE_TYPE, "  ");
	bad(f, "license_type", "required", "license_type blank");
	hset(f, HF_LICENSE_TYPE, "other");
	bad(f, "license_type", "\"other\"", "license_type other");
	hset(f, HF_LICENSE_TYPE, "low value");
	bad(f, "license_type", NULL, "low value with a space");
	form_free(f);

	/* A low value license has no lines. */
	f = form_new();
	header(f, "aluminum");
	hset(f, HF_LICENSE_TYPE, "LOW_VALUE");
	lic = valid(f, "LOW_VALUE");
	ck_assert_int_eq(lic->ltype, LTYPE_LOW_VALUE);
	ck_assert_uint_eq(lic->nlines, 0);
	license_free(lic);
	form_free(f);
}
END_TEST

START_TEST(test_product_entry)
{
	struct form	*f = alu_form();
	struct license	*lic;

	hset(f, HF_PRODUCT, "Aluminum");
	lic = valid(f, "Aluminum");
	ck_assert_int_eq(lic->product, PRODUCT_ALUMINUM);
	license_free(lic);
	hset(f, HF_PRODUCT, " ALUMINUM ");
	ok(f, "ALUMINUM padded");
	hset(f, HF_PRODUCT, "aluminium");
	bad(f, "product", "\"aluminium\"", "aluminium");
	hset(f, HF_PRODUCT, "copper");
	bad(f, "product", "aluminum or steel", "copper");
	hset(f, HF_PRODUCT, "aluminum");

	hset(f, HF_ENTRY_TYPE, "FTZ");
	lic = valid(f, "FTZ");
	ck_assert_int_eq(lic->entry, ENTRY_FTZ);
	license_free(lic);
	hset(f, HF_ENTRY_TYPE, "Consumption");
	lic = valid(f, "Consumption");
	ck_assert_int_eq(lic->entry, ENTRY_CONSUMPTION);
	license_free(lic);
	hset(f, HF_ENTRY_TYPE, "warehouse");
	bad(f, "entry_type", "consumption or ftz", "warehouse");
	hset(f, HF_ENTRY_TYPE, "foreign trade zone");
	bad(f, "entry_type", NULL, "foreign trade zone");
	form_free(f);

	f = steel_form();
	hset(f, HF_PRODUCT, "STEEL");
	lic = valid(f, "STEEL");
	ck_assert_int_eq(lic->product, PRODUCT_STEEL);
	license_free(lic);
	form_free(f);
}
END_TEST

static const struct {
	enum hfield	 h;
	const char	*path;
} texts[] = {
	{ HF_IMPORTER_NAME, "importer_name" },
	{ HF_EXPORTER_NAME, "exporter_name" },
	{ HF_MANUFACTURER_NAME, "manufacturer_name" },
	{ HF_PORT_OF_ENTRY, "port_of_entry" },
};

/* The stored text of a header text field. */
static const char *
text_of(const struct license *lic, enum hfield h)
{
	switch (h) {
	case HF_IMPORTER_NAME:
		return lic->importer_name;
	case HF_EXPORTER_NAME:
		return lic->exporter_name;
	case HF_MANUFACTURER_NAME:
		return lic->manufacturer_name;
	case HF_PORT_OF_ENTRY:
		return lic->port_of_entry;
	default:
		return NULL;
	}
}

START_TEST(test_text_length)
{
	/* One character of 1, 2, 3 and 4 bytes. */
	static const char *const units[] = { "a", "\xc3\xa9", "\xe2\x82\xac",
	    "\xf0\x9f\x98\x80" };
	struct form	*f;
	struct license	*lic;
	char		*s, what[128];
	size_t		 i, u;

	for (i = 0; i < NELEM(texts); i++)
		for (u = 0; u < NELEM(units); u++) {
			f = alu_form();
			snprintf(what, sizeof(what), "%s: 200 x %zu-byte",
			    texts[i].path, strlen(units[u]));
			s = repeat(units[u], LIM_FIELD_CHARS);
			hset(f, texts[i].h, s);
			lic = valid(f, what);
			ck_assert_str_eq(text_of(lic, texts[i].h), s);
			license_free(lic);
			free(s);

			snprintf(what, sizeof(what), "%s: 201 x %zu-byte",
			    texts[i].path, strlen(units[u]));
			s = repeat(units[u], LIM_FIELD_CHARS + 1);
			hset(f, texts[i].h, s);
			bad(f, texts[i].path, "201 characters", what);
			free(s);
			form_free(f);
		}

	/* White space around 200 characters does not count. */
	f = alu_form();
	s = repeat("x", LIM_FIELD_CHARS);
	free(f->v[HF_IMPORTER_NAME]);
	if (asprintf(&f->v[HF_IMPORTER_NAME], "   %s   ", s) == -1)
		ck_abort_msg("asprintf");
	lic = valid(f, "200 padded");
	ck_assert_str_eq(lic->importer_name, s);
	license_free(lic);
	free(s);
	form_free(f);
}
END_TEST

START_TEST(test_text_control)
{
	static const char *const refused[] = {
		"ACME\nMetals",
		"ACME\rMetals",
		"ACME\r\nMetals",
		"ACME\tMetals",
		"ACME\x01",
		"\x1b[31mACME",
		"ACME\x7f",
		"ACME\x1f" "Metals",
	};
	static const char *const accepted[] = {
		"\nACME Metals\n",		/* trimmed */
		"Caf\xc3\xa9 S.A.",
		"M\xc3\xbcller & S\xc3\xb6hne",
		"\xe6\x97\xa5\xe6\x9c\xac\xe8\xa3\xbd\xe9\x89\x84",
		"~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./",
	};
	struct form	*f;
	size_t		 i, j;

	for (i = 0; i < NELEM(texts); i++) {
		f = alu_form();
		for (j = 0; j < NELEM(refused); j++) {
			hset(f, texts[i].h, refused[j]);
			bad(f, texts[i].path, "one line", refused[j]);
		}
		for (j = 0; j < NELEM(accepted); j++) {
			hset(f, texts[i].h, accepted[j]);
			ok(f, accepted[j]);
		}
		form_free(f);
	}
}
END_TEST

START_TEST(test_text_utf8)
{
	static const char *const refused[] = {
		"ACME\xff",
		"ACME\xc3",			/* cut short */
		"\xc3(ACME",			/* no continuation */
		"ACME\x80",			/* lone continuation */
		"\xc0\xaf" "ACME",		/* 2-byte overlong, C0 */
		"\xc1\xbf" "ACME",		/* 2-byte overlong, C1 */
		"\xe2\x82",			/* 3-byte cut short */
		"\xf0\x9f\x98",			/* 4-byte cut short */
		"\xf5\x80\x80\x80",		/* past U+10FFFF */
		"\xf8\x88\x80\x80\x80",		/* 5-byte form */
	};

	bad_each(HF_EXPORTER_NAME, "exporter_name", "UTF-8", "invalid UTF-8",
	    refused, NELEM(refused));
}
END_TEST

/*
 * BUG: forms/rules.c utf8_chars() accepts ill-formed UTF-8 that RFC
 * 3629 forbids: 3-byte overlongs (E0 80 AF), UTF-16 surrogates
 * (ED A0 80), 4-byte overlongs (F0 80 80 80) and code points past
 * U+10FFFF (F4 90 80 80).  They are stored as names and later break
 * JSON output (jansson refuses them).  Expected: an error on the field.
 */
START_TEST(test_text_utf8_strict)
{
	static const char *const refused[] = {
		"ACME\xe0\x80\xaf",
		"ACME\xed\xa0\x80",
		"ACME\xed\xbf\xbf",
		"ACME\xf0\x80\x80\x80",
		"ACME\xf4\x90\x80\x80",
	};

	bad_each(HF_EXPORTER_NAME, "exporter_name", "UTF-8",
	    "ill-formed UTF-8", refused, NELEM(refused));
}
END_TEST

/*
 * BUG: forms/rules.c text() refuses C0 controls and DEL but accepts
 * the C1 controls U+0080-U+009F, e.g. U+0085 NEXT LINE (C2 85), a line
 * break.  Input importer_name "ACME\u0085Metals": expected an error on
 * importer_name ("one line of plain text"); got a valid license.
 */
START_TEST(test_text_c1_control)
{
	static const char *const refused[] = {
		"ACME\xc2\x85Metals",
		"ACME\xc2\x80",
		"ACME\xc2\x9f",
	};

	bad_each(HF_IMPORTER_NAME, "importer_name", "one line", "C1 control",
	    refused, NELEM(refused));
}
END_TEST

/*
 * BUG: rules.c quotes the input in messages with "%.40s" (choice),
 * "%.60s" (country), "%.30s" (amount), "%.20s" (dates, HTS, entry
 * number), which cut a multibyte character in half: product
 * "aaa...a\xc3\xa9" (39 'a' then 'é') gives a message ending in a lone
 * 0xC3 byte.  Expected: every message is valid UTF-8.
 */
START_TEST(test_messages_utf8)
{
	static const struct {
		int		 line;
		int		 k;
		size_t		 pad;
	} cases[] = {
		{ 0, HF_PRODUCT, 39 },
		{ 0, HF_ENTRY_TYPE, 39 },
		{ 0, HF_COUNTRY_OF_ORIGIN, 59 },
		{ 0, HF_EXPECTED_IMPORT_DATE, 19 },
		{ 0, HF_CUSTOMS_ENTRY_NUMBER, 19 },
		{ 1, LF_HTS_CODE, 19 },
		{ 1, LF_CUSTOMS_VALUE_USD, 29 },
	};
	struct report	 r;
	struct form	*f;
	char		*s, *v;
	size_t		 i;

	for (i = 0; i < NELEM(cases); i++) {
		f = alu_form();
		s = repeat("a", cases[i].pad);
		if (asprintf(&v, "%s\xc3\xa9\xc3\xa9", s) == -1)
			ck_abort_msg("asprintf");
		if (cases[i].line)
			lset(f, 1, cases[i].k, v);
		else
			hset(f, cases[i].k, v);
		report_init(&r);
		ck_assert_uint_eq(rules_check(f, app, &r, NULL), 1);
		ck_assert_msg(utf8_ok(r.errors[0].message),
		    "%s: message is not valid UTF-8: %s", r.errors[0].field,
		    r.errors[0].message);
		report_free(&r);
		free(v);
		free(s);
		form_free(f);
	}
}
END_TEST

/* ---- countries ---- */

START_TEST(test_countries)
{
	static const struct {
		const char	*in;
		const char	*want;
	} names[] = {
		{ "Germany", "Germany" },
		{ "GERMANY", "Germany" },
		{ "germany", "Germany" },
		{ "Federal Republic of Germany", "Germany" },
		{ "South Korea", "Korea, Republic of" },
		{ "south korea", "Korea, Republic of" },
		{ "Korea, Republic of", "Korea, Republic of" },
		{ "Vietnam", "Viet Nam" },
		{ "Russia", "Russian Federation" },
		{ "Turkey", "T\xc3\xbcrkiye" },
		{ "United Arab Emirates", "United Arab Emirates" },
		{ "China", "China" },
	};
	struct form	*f = alu_form();
	struct license	*lic;
	size_t		 i;

	for (i = 0; i < NELEM(names); i++) {
		hset(f, HF_COUNTRY_OF_ORIGIN, names[i].in);
		hset(f, HF_COUNTRY_OF_EXPORTATION, names[i].in);
		lset(f, 1, LF_COUNTRY_OF_LARGEST_SMELT, names[i].in);
		lset(f, 1, LF_COUNTRY_OF_SECOND_LARGEST_SMELT, names[i].in);
		lset(f, 1, LF_COUNTRY_OF_MOST_RECENT_CAST, names[i].in);
		lic = valid(f, names[i].in);
		ck_assert_str_eq(lic->country_of_origin, names[i].want);
		ck_assert_str_eq(lic->country_of_exportation, names[i].want);
		ck_assert_str_eq(lic->lines[0].largest_smelt, names[i].want);
		ck_assert_str_eq(lic->lines[0].second_smelt, names[i].want);
		ck_assert_str_eq(lic->lines[0].most_recent_cast,
		    names[i].want);
		license_free(lic);
	}
	form_free(f);
}
END_TEST

static const struct {
	int		 line;		/* 0: header */
	int		 k;
	const char	*path;
} country_fields[] = {
	{ 0, HF_COUNTRY_OF_ORIGIN, "country_of_origin" },
	{ 0, HF_COUNTRY_OF_EXPORTATION, "country_of_exportation" },
	{ 1, LF_COUNTRY_OF_LARGEST_SMELT, "lines[1].country_of_largest_smelt" },
	{ 1, LF_COUNTRY_OF_SECOND_LARGEST_SMELT,
	    "lines[1].country_of_second_largest_smelt" },
	{ 1, LF_COUNTRY_OF_MOST_RECENT_CAST,
	    "lines[1].country_of_most_recent_cast" },
};

static void
set_country(struct form *f, size_t i, const char *v)
{
	if (country_fields[i].line)
		lset(f, 1, country_fields[i].k, v);
	else
		hset(f, country_fields[i].k, v);
}

START_TEST(test_country_abbreviations)
{
	static const struct {
		const char	*in;
		const char	*full;
	} abbr[] = {
		{ "CN", "China" },
		{ "cn", "China" },
		{ "CHN", "China" },
		{ "DEU", "Germany" },
		{ "DE", "Germany" },
		{ "U.A.E.", "United Arab Emirates" },
		{ "UAE", "United Arab Emirates" },
	};
	struct form	*f;
	char		 what[128];
	size_t		 i, j;

	for (i = 0; i < NELEM(country_fields); i++) {
		f = alu_form();
		for (j = 0; j < NELEM(abbr); j++) {
			set_country(f, i, abbr[j].in);
			snprintf(what, sizeof(what), "%s = %s",
			    country_fields[i].path, abbr[j].in);
			bad(f, country_fields[i].path, abbr[j].full, what);
		}
		set_country(f, i, "Atlantis");
		bad(f, country_fields[i].path, "Atlantis", "Atlantis");
		set_country(f, i, "Germany and France");
		bad(f, country_fields[i].path, "not a country", "two");
		set_country(f, i, NULL);
		bad(f, country_fields[i].path, "required", "absent");
		set_country(f, i, "  ");
		bad(f, country_fields[i].path, "required", "blank");
		form_free(f);
	}
}
END_TEST

/* Origin, exportation, cast and melt-and-pour are always a country. */
START_TEST(test_country_no_special)
{
	static const char *const words[] = { "unknown", "UNKNOWN",
	    "not applicable", "Not Applicable", "n/a" };
	static const int always[] = { 0, 1, 4 };	/* country_fields */
	struct form	*f = alu_form();
	char		 what[128];
	size_t		 i, j;
	int		 day;

	/* Not even on a date when smelt may be unknown. */
	day = date_from_ymd(2022, 6, 28);
	for (i = 0; i < NELEM(always); i++)
		for (j = 0; j < NELEM(words); j++) {
			set_dates(f, day + 5, day + 10);
			set_country(f, always[i], words[j]);
			snprintf(what, sizeof(what), "%s = %s",
			    country_fields[always[i]].path, words[j]);
			bad_on(f, day, country_fields[always[i]].path, NULL,
			    what);
			set_country(f, always[i], "Germany");
		}
	form_free(f);

	f = steel_form();
	for (j = 0; j < NELEM(words); j++) {
		set_dates(f, day + 5, day + 10);
		lset(f, 1, LF_COUNTRY_OF_MELT_AND_POUR, words[j]);
		bad_on(f, day, "lines[1].country_of_melt_and_pour", NULL,
		    words[j]);
	}
	form_free(f);
}
END_TEST

/* ---- smelt: unknown until 2022-06-28, not applicable ---- */

START_TEST(test_smelt_unknown)
{
	static const enum lfield smelt[] = { LF_COUNTRY_OF_LARGEST_SMELT,
	    LF_COUNTRY_OF_SECOND_LARGEST_SMELT };
	static const char *const path[] = {
	    "lines[1].country_of_largest_smelt",
	    "lines[1].country_of_second_largest_smelt" };
	struct form	*f;
	struct license	*lic;
	int		 last, after;
	size_t		 i;

	last = date_from_ymd(2022, 6, 28);
	after = last + 1;
	for (i = 0; i < NELEM(smelt); i++) {
		f = alu_form();
		lset(f, 1, smelt[i], "unknown");
		set_dates(f, last + 5, last + 10);
		lic = valid_on(f, last, "unknown on 2022-06-28");
		ck_assert_str_eq(i == 0 ? lic->lines[0].largest_smelt :
		    lic->lines[0].second_smelt, "unknown");
		license_free(lic);
		lset(f, 1, smelt[i], "Unknown");
		set_dates(f, last - 360, last - 355);
		license_free(valid_on(f, last - 365, "unknown in 2021"));

		set_dates(f, after + 5, after + 10);
		bad_on(f, after, path[i], "2022-06-28",
		    "unknown on 2022-06-29");
		bad(f, path[i], "2022-06-28", "unknown in 2026");
		form_free(f);
	}

	/* Both unknown: both accepted, then both refused. */
	f = alu_form();
	lset(f, 1, LF_COUNTRY_OF_LARGEST_SMELT, "unknown");
	lset(f, 1, LF_COUNTRY_OF_SECOND_LARGEST_SMELT, "unknown");
	set_dates(f, last, last);
	license_free(valid_on(f, last, "both unknown"));
	{
		struct report	 r;

		report_init(&r);
		ck_assert_uint_eq(rules_check(f, after, &r, NULL), 2);
		ck_assert(report_has_error(&r, path[0]));
		ck_assert(report_has_error(&r, path[1]));
		report_free(&r);
	}
	form_free(f);
}
END_TEST

START_TEST(test_smelt_not_applicable)
{
	struct form	*f = alu_form();
	struct license	*lic;
	int		 last;

	lset(f, 1, LF_COUNTRY_OF_LARGEST_SMELT, "not applicable");
	lset(f, 1, LF_COUNTRY_OF_SECOND_LARGEST_SMELT, "Not Applicable");
	lic = valid(f, "both not applicable");
	ck_assert_str_eq(lic->lines[0].largest_smelt, "not applicable");
	ck_assert_str_eq(lic->lines[0].second_smelt, "not applicable");
	license_free(lic);

	lset(f, 1, LF_COUNTRY_OF_LARGEST_SMELT, "N/A");
	lic = valid(f, "N/A");
	ck_assert_str_eq(lic->lines[0].largest_smelt, "not applicable");
	license_free(lic);

	/* One primary source only. */
	lset(f, 1, LF_COUNTRY_OF_LARGEST_SMELT, "Canada");
	lset(f, 1, LF_COUNTRY_OF_SECOND_LARGEST_SMELT, "not applicable");
	lic = valid(f, "second not applicable");
	ck_assert_str_eq(lic->lines[0].largest_smelt, "Canada");
	ck_assert_str_eq(lic->lines[0].second_smelt, "not applicable");
	license_free(lic);

	/* No primary at all, yet a second one. */
	lset(f, 1, LF_COUNTRY_OF_LARGEST_SMELT, "not applicable");
	lset(f, 1, LF_COUNTRY_OF_SECOND_LARGEST_SMELT, "Canada");
	bad(f, "lines[1].country_of_second_largest_smelt", "not applicable",
	    "largest n/a, second Canada");

	/* ... nor unknown, even on a date where unknown is allowed. */
	last = date_from_ymd(2022, 6, 28);
	set_dates(f, last, last + 1);
	lset(f, 1, LF_COUNTRY_OF_SECOND_LARGEST_SMELT, "unknown");
	bad_on(f, last, "lines[1].country_of_second_largest_smelt",
	    "not applicable", "largest n/a, second unknown");
	form_free(f);
}
END_TEST

/* ---- HTS codes ---- */

START_TEST(test_hts)
{
	static const struct {
		const char	*in;
		const char	*want;	/* NULL: refused */
		const char	*msg;
	} codes[] = {
		{ "7601103000", "7601103000", NULL },
		{ "7601.10.3000", "7601103000", NULL },
		{ "7601.10.30.00", "7601103000", NULL },
		{ "7601 10 3000", "7601103000", NULL },
		{ " 7606.12.3015 ", "7606123015", NULL },
		{ "760110300", NULL, "10 digits" },		/* 9 */
		{ "76011030001", NULL, "10 digits" },		/* 11 */
		{ "7601.10.300", NULL, "10 digits" },
		{ "76011030AB", NULL, "10 digits" },
		{ "7601-10-3000", NULL, "10 digits" },
		{ "7602000000", NULL, "not a covered" },	/* scrap */
		{ "7615100000", NULL, "not a covered" },
		{ "7403110000", NULL, "chapter 76" },		/* copper */
		{ "7404000000", NULL, "chapter 76" },
		{ "0000000000", NULL, "chapter 76" },
	};
	struct form	*f = alu_form();
	struct license	*lic;
	size_t		 i;

	for (i = 0; i < NELEM(codes); i++) {
		lset(f, 1, LF_HTS_CODE, codes[i].in);
		if (codes[i].want != NULL) {
			lic = valid(f, codes[i].in);
			ck_assert_str_eq(lic->lines[0].hts_code,
			    codes[i].want);
			license_free(lic);
		} else
			bad(f, "lines[1].hts_code", codes[i].msg,
			    codes[i].in);
	}
	lset(f, 1, LF_HTS_CODE, NULL);
	bad(f, "lines[1].hts_code", "required", "hts absent");
	lset(f, 1, LF_HTS_CODE, "");
	bad(f, "lines[1].hts_code", "required", "hts empty");
	form_free(f);

	f = steel_form();
	lset(f, 1, LF_HTS_CODE, "7303000030");
	bad(f, "lines[1].hts_code", "not a covered", "7303 cast iron tube");
	lset(f, 1, LF_HTS_CODE, "7302.30.0000");
	bad(f, "lines[1].hts_code", "not a covered", "7302.30");
	lset(f, 1, LF_HTS_CODE, "7304.10.1000");
	lic = valid(f, "7304 pipe");
	ck_assert_str_eq(lic->lines[0].product_group, "Pipe and Tube");
	license_free(lic);
	form_free(f);
}
END_TEST

/* Steel and aluminum never share a license: the odd line is named. */
START_TEST(test_hts_mixed)
{
	struct form	*f;
	struct report	 r;
	struct license	*lic;

	/* A steel code on an aluminum license, on line 3 of 3. */
	f = alu_form();
	add_alu_line(f, ALU_HTS2, "100", "10");
	add_alu_line(f, STEEL_HTS, "100", "10");
	bad(f, "lines[3].hts_code", "separate steel license", "steel on 3");
	lset(f, 3, LF_HTS_CODE, "7606.12.3015");
	lic = valid(f, "three aluminum lines");
	ck_assert_uint_eq(lic->nlines, 3);
	ck_assert_str_eq(lic->lines[1].product_group, "Sheet and Plate");
	ck_assert_str_eq(lic->lines[2].hts_code, ALU_HTS2);
	license_free(lic);
	form_free(f);

	/* An aluminum code on a steel license. */
	f = steel_form();
	add_steel_line(f, ALU_HTS, "100", "10");
	bad(f, "lines[2].hts_code", "separate aluminum license",
	    "aluminum on steel");
	form_free(f);

	/* Each mixed line is named. */
	f = alu_form();
	add_alu_line(f, STEEL_HTS, "100", "10");
	add_alu_line(f, ALU_HTS2, "100", "10");
	add_alu_line(f, "7304101000", "100", "10");
	report_init(&r);
	ck_assert_uint_eq(rules_check(f, app, &r, NULL), 2);
	ck_assert(report_has_error(&r, "lines[2].hts_code"));
	ck_assert(report_has_error(&r, "lines[4].hts_code"));
	report_free(&r);
	form_free(f);
}
END_TEST

/* ---- dates ---- */

START_TEST(test_dates)
{
	struct form	*f = alu_form();
	struct license	*lic;

	/* At most 60 days ahead. */
	set_dates(f, app, app + LIM_IMPORT_AHEAD_DAYS);
	lic = valid(f, "import app+60");
	ck_assert_int_eq(lic->import_date, app + 60);
	ck_assert_int_eq(lic->import_date, date_from_ymd(2026, 3, 16));
	license_free(lic);
	set_dates(f, app, app + LIM_IMPORT_AHEAD_DAYS + 1);
	bad(f, "expected_import_date", "2026-03-16", "import app+61");
	set_dates(f, app, app + 365);
	bad(f, "expected_import_date", "60 days", "import app+365");

	/* A past import date is fine until the entry summary is filed. */
	set_dates(f, app - 410, app - 400);
	lic = valid(f, "import app-400");
	ck_assert_int_eq(lic->import_date, app - 400);
	ck_assert_int_eq(lic->export_date, app - 410);
	license_free(lic);
	set_dates(f, app, app);
	ok(f, "import on the application date");

	/* Goods leave before (or on the day) they arrive. */
	set_dates(f, app + 20, app + 20);
	ok(f, "export == import");
	set_dates(f, app + 21, app + 20);
	bad(f, "expected_export_date", "after", "export = import+1");
	/* Export more than 60 days ahead is only wrong through import. */
	set_dates(f, app + 61, app + 61);
	bad(f, "expected_import_date", NULL, "both app+61");
	form_free(f);
}
END_TEST

START_TEST(test_date_text)
{
	static const char *const refused[] = {
		"tomorrow", "2026-02-30", "2026-02-29", "2026-13-01",
		"2026-00-10", "2026-02-00", "2026-2-10", "20260210",
		"2026/02/10", "10.02.2026", "02/30/2026", "13/10/2026",
		"2026-02-10T00:00", "2026-02-10x",
	};
	struct form	*f = alu_form();
	struct license	*lic;
	size_t		 i;

	for (i = 0; i < NELEM(refused); i++) {
		hset(f, HF_EXPECTED_IMPORT_DATE, refused[i]);
		bad(f, "expected_import_date", "YYYY-MM-DD", refused[i]);
		hset(f, HF_EXPECTED_IMPORT_DATE, "2026-02-10");
		hset(f, HF_EXPECTED_EXPORT_DATE, refused[i]);
		bad(f, "expected_export_date", "is not a date", refused[i]);
		hset(f, HF_EXPECTED_EXPORT_DATE, "2026-01-20");
	}

	/* The paper form's MM/DD/YYYY, and padding. */
	hset(f, HF_EXPECTED_EXPORT_DATE, "01/20/2026");
	hset(f, HF_EXPECTED_IMPORT_DATE, " 02/10/2026 ");
	lic = valid(f, "MM/DD/YYYY");
	ck_assert_int_eq(lic->export_date, date_from_ymd(2026, 1, 20));
	ck_assert_int_eq(lic->import_date, date_from_ymd(2026, 2, 10));
	license_free(lic);

	/* A leap day is a date. */
	hset(f, HF_EXPECTED_EXPORT_DATE, "2024-02-29");
	hset(f, HF_EXPECTED_IMPORT_DATE, "2024-02-29");
	ok(f, "2024-02-29");
	form_free(f);
}
END_TEST

/* ---- money and weight ---- */

struct amount_case {
	const char	*in;
	int64_t		 want;		/* -1: refused */
	const char	*msg;
};

static const struct amount_case money[] = {
	{ "0.01", 1, NULL },
	{ "12.34", 1234, NULL },
	{ "12.340", 1234, NULL },
	{ "12.3400000", 1234, NULL },
	{ "12.3", 1230, NULL },
	{ "12.", 1200, NULL },
	{ ".5", 50, NULL },
	{ "1,234.56", 123456, NULL },
	{ "1,234,567.00", 123456700, NULL },
	{ "$100", 10000, NULL },
	{ "$1,000.5", 100050, NULL },
	{ "+5", 500, NULL },
	{ "007", 700, NULL },
	{ " 12.34 ", 1234, NULL },
	{ "1000000000000", 100000000000000LL, NULL },
	{ "0", -1, "more than zero" },
	{ "0.00", -1, "more than zero" },
	{ "0.000", -1, "more than zero" },
	{ "-5", -1, "more than zero" },
	{ "-0.01", -1, "more than zero" },
	{ "$-5", -1, "more than zero" },
	{ "12.345", -1, "decimals" },
	{ "0.001", -1, "decimals" },
	{ "12.3401", -1, "decimals" },
	{ "1,23", -1, "not a number" },
	{ "1,2345", -1, "not a number" },
	{ "1234,567", -1, "not a number" },
	{ "12,34,567", -1, "not a number" },
	{ ",123", -1, "not a number" },
	{ "1,234,56", -1, "not a number" },
	{ "abc", -1, "not a number" },
	{ "12a", -1, "not a number" },
	{ "1e3", -1, "not a number" },
	{ "12.34.5", -1, "not a number" },
	{ "1 234", -1, "not a number" },
	{ ".", -1, "not a number" },
	{ "$", -1, "not a number" },
	{ "-", -1, "not a number" },
	{ "-abc", -1, "not a number" },
	{ "USD 100", -1, "not a number" },
	{ "100$", -1, "not a number" },
	{ "1000000000001", -1, "too large" },
	{ "99999999999999999999999999999999", -1, "too large" },
};

static const struct amount_case kgs[] = {
	{ "1", 1000, NULL },
	{ "0.001", 1, NULL },
	{ "1.234", 1234, NULL },
	{ "1.2340", 1234, NULL },
	{ "1000.5", 1000500, NULL },
	{ "25,000", 25000000, NULL },
	{ "1000000000000", 1000000000000000LL, NULL },
	{ "1.2345", -1, "decimals" },
	{ "0.0001", -1, "decimals" },
	{ "0", -1, "more than zero" },
	{ "0.000", -1, "more than zero" },
	{ "-1", -1, "more than zero" },
	{ "10 kg", -1, "not a number" },
	{ "1,0", -1, "not a number" },
	{ "1000000000001", -1, "too large" },
};

static void
amounts(const struct amount_case *c, size_t n, enum lfield k,
    const char *path)
{
	struct form	*f = alu_form();
	struct license	*lic;
	char		 what[128];
	size_t		 i;

	for (i = 0; i < n; i++) {
		lset(f, 1, k, c[i].in);
		snprintf(what, sizeof(what), "%s \"%s\"", path, c[i].in);
		if (c[i].want < 0) {
			bad(f, path, c[i].msg, what);
			continue;
		}
		lic = valid(f, what);
		ck_assert_msg((k == LF_VOLUME_KG ? lic->lines[0].grams :
		    lic->lines[0].value_cents) == c[i].want,
		    "%s: got %lld, want %lld", what, (long long)(k ==
		    LF_VOLUME_KG ? lic->lines[0].grams :
		    lic->lines[0].value_cents), (long long)c[i].want);
		license_free(lic);
	}
	lset(f, 1, k, NULL);
	bad(f, path, "required", "absent");
	lset(f, 1, k, " ");
	bad(f, path, "required", "blank");
	form_free(f);
}

START_TEST(test_money)
{
	amounts(money, NELEM(money), LF_CUSTOMS_VALUE_USD,
	    "lines[1].customs_value_usd");
}
END_TEST

START_TEST(test_kg)
{
	amounts(kgs, NELEM(kgs), LF_VOLUME_KG, "lines[1].volume_kg");
}
END_TEST

/*
 * BUG: forms/rules.c decimal() compares only the whole part with the
 * limit, so the fraction slips past it: customs value
 * "1000000000000.01" is accepted as 100000000000001 cents (limit
 * LIM_VALUE_USD_MAX dollars), and volume "1000000000000.5" as
 * 1000000000000500 grams (limit LIM_KG_MAX kg).  Expected: "too large"
 * errors on lines[1].customs_value_usd / lines[1].volume_kg.
 */
START_TEST(test_amount_limit_fraction)
{
	struct form	*f = alu_form();

	lset(f, 1, LF_CUSTOMS_VALUE_USD, "1000000000000.01");
	bad(f, "lines[1].customs_value_usd", "too large",
	    "value limit + 1 cent");
	lset(f, 1, LF_CUSTOMS_VALUE_USD, "100");
	lset(f, 1, LF_VOLUME_KG, "1000000000000.5");
	bad(f, "lines[1].volume_kg", "too large", "kg limit + 0.5");
	form_free(f);
}
END_TEST

START_TEST(test_unit_value)
{
	static const struct {
		const char	*usd;
		const char	*kg;
		double		 want;
	} c[] = {
		{ "12500.75", "1000.5", 12500.75 / 1000.5 },
		{ "100", "0.001", 100000.0 },
		{ "0.01", "1000000", 1e-8 },
		{ "500", "1000", 0.5 },
		{ "1,000", "3", 1000.0 / 3.0 },
	};
	struct form	*f = alu_form();
	struct license	*lic;
	size_t		 i;

	for (i = 0; i < NELEM(c); i++) {
		lset(f, 1, LF_CUSTOMS_VALUE_USD, c[i].usd);
		lset(f, 1, LF_VOLUME_KG, c[i].kg);
		lic = valid(f, c[i].usd);
		ck_assert_msg(fabs(lic->lines[0].usd_per_kg - c[i].want) <=
		    1e-12 * c[i].want, "%s / %s: got %.17g, want %.17g",
		    c[i].usd, c[i].kg, lic->lines[0].usd_per_kg, c[i].want);
		license_free(lic);
	}
	form_free(f);
}
END_TEST

/* ---- customs entry number ---- */

START_TEST(test_entry_number)
{
	static const struct {
		const char	*in;
		const char	*want;
	} good[] = {
		{ "ABC-1234567-8", "ABC-1234567-8" },
		{ "abc12345678", "ABC-1234567-8" },
		{ "abc 1234567 8", "ABC-1234567-8" },
		{ " Ab1-0000000-0 ", "AB1-0000000-0" },
		{ "12312345678", "123-1234567-8" },
	};
	static const char *const refused[] = {
		"AB-1234567-8",		/* filer code too short */
		"ABC-123456-8",		/* number too short */
		"ABC-1234567-",		/* no check digit */
		"ABC-123456A-8",	/* letter in number */
		"ABC-1234567-X",	/* letter as check digit */
		"ABC-1234567-89",	/* too long */
		"ABCD-1234567-8",
		"ABC_1234567-8",
		"ABC.1234567.8",
		"AB\xc3\x89-1234567-8",
		"none",
	};
	struct form	*f = alu_form();
	struct license	*lic;
	size_t		 i;

	for (i = 0; i < NELEM(good); i++) {
		hset(f, HF_CUSTOMS_ENTRY_NUMBER, good[i].in);
		lic = valid(f, good[i].in);
		ck_assert_str_eq(lic->customs_entry_number, good[i].want);
		license_free(lic);
	}
	for (i = 0; i < NELEM(refused); i++) {
		hset(f, HF_CUSTOMS_ENTRY_NUMBER, refused[i]);
		bad(f, "customs_entry_number", "XXX-NNNNNNN-N", refused[i]);
	}
	/* Optional: absent or empty is no number. */
	hset(f, HF_CUSTOMS_ENTRY_NUMBER, NULL);
	lic = valid(f, "absent");
	ck_assert_ptr_null(lic->customs_entry_number);
	license_free(lic);
	hset(f, HF_CUSTOMS_ENTRY_NUMBER, "  ");
	lic = valid(f, "blank");
	ck_assert_ptr_null(lic->customs_entry_number);
	license_free(lic);
	form_free(f);
}
END_TEST

/* ---- lines ---- */

START_TEST(test_lines_by_type)
{
	struct form	*f;
	struct license	*lic;

	/* Standard with none. */
	f = form_new();
	header(f, "aluminum");
	bad(f, "lines", "at least one", "standard, no lines");
	hset(f, HF_LICENSE_TYPE, NULL);
	bad(f, "lines", "at least one", "default type, no lines");
	/* Low value with none. */
	hset(f, HF_LICENSE_TYPE, "low_value");
	lic = valid(f, "low value, no lines");
	ck_assert_uint_eq(lic->nlines, 0);
	ck_assert_ptr_null(lic->lines);
	license_free(lic);
	/* Low value with one. */
	add_alu_line(f, ALU_HTS, "100", "10");
	bad(f, "lines", "low value", "low value with a line");
	form_free(f);

	/* Steel the same. */
	f = form_new();
	header(f, "steel");
	bad(f, "lines", NULL, "steel, no lines");
	hset(f, HF_LICENSE_TYPE, "low_value");
	hset(f, HF_ENTRY_TYPE, "ftz");
	lic = valid(f, "steel low value ftz");
	ck_assert_int_eq(lic->product, PRODUCT_STEEL);
	ck_assert_int_eq(lic->entry, ENTRY_FTZ);
	license_free(lic);
	form_free(f);
}
END_TEST

/* LIM_LINES lines fit; one more is refused on "lines". */
START_TEST(test_lines_limit)
{
	struct form	*f = alu_form();
	struct license	*lic;
	size_t		 i;

	while (f->nlines < LIM_LINES)
		add_alu_line(f, f->nlines % 2 ? ALU_HTS2 : ALU_HTS, "100",
		    "10");
	lic = valid(f, "999 lines");
	ck_assert_uint_eq(lic->nlines, LIM_LINES);
	for (i = 0; i < lic->nlines; i++)
		if (strcmp(lic->lines[i].hts_code, i % 2 ? ALU_HTS2 :
		    ALU_HTS) != 0 || lic->lines[i].value_cents !=
		    (i == 0 ? 1250075 : 10000))
			ck_abort_msg("line %zu: %s %lld", i + 1,
			    lic->lines[i].hts_code,
			    (long long)lic->lines[i].value_cents);
	license_free(lic);

	add_alu_line(f, ALU_HTS, "100", "10");
	ck_assert_uint_eq(f->nlines, LIM_LINES + 1);
	bad(f, "lines", "999", "1000 lines");
	/* The container stops there. */
	ck_assert_ptr_null(form_add_line(f));
	ck_assert_uint_eq(f->nlines, LIM_LINES + 1);
	form_free(f);
}
END_TEST

/* Errors on many lines stop at LIM_REPORT_ITEMS, marked truncated. */
START_TEST(test_lines_many_errors)
{
	struct form	*f = alu_form();
	struct report	 r;
	struct license	*lic = &sentinel;
	size_t		 n;

	lset(f, 1, LF_HTS_CODE, "bad");
	while (f->nlines < LIM_LINES)
		add_alu_line(f, "bad", "100", "10");
	report_init(&r);
	n = rules_check(f, app, &r, &lic);
	ck_assert_uint_eq(n, LIM_REPORT_ITEMS);
	ck_assert_int_eq(r.truncated, 1);
	ck_assert_ptr_null(lic);
	ck_assert_str_eq(r.errors[0].field, "lines[1].hts_code");
	ck_assert_str_eq(r.errors[LIM_REPORT_ITEMS - 1].field,
	    "lines[200].hts_code");
	report_free(&r);
	form_free(f);
}
END_TEST

/* ---- steel fields ---- */

START_TEST(test_steel_fields)
{
	static const struct {
		enum lfield	 k;
		const char	*path;
	} alu_only[] = {
		{ LF_COUNTRY_OF_LARGEST_SMELT,
		    "lines[1].country_of_largest_smelt" },
		{ LF_COUNTRY_OF_SECOND_LARGEST_SMELT,
		    "lines[1].country_of_second_largest_smelt" },
		{ LF_COUNTRY_OF_MOST_RECENT_CAST,
		    "lines[1].country_of_most_recent_cast" },
	};
	struct form	*f = steel_form();
	struct license	*lic;
	size_t		 i;

	lset(f, 1, LF_COUNTRY_OF_MELT_AND_POUR, NULL);
	bad(f, "lines[1].country_of_melt_and_pour", "required", "absent");
	lset(f, 1, LF_COUNTRY_OF_MELT_AND_POUR, "");
	bad(f, "lines[1].country_of_melt_and_pour", "required", "empty");
	lset(f, 1, LF_COUNTRY_OF_MELT_AND_POUR, "JPN");
	bad(f, "lines[1].country_of_melt_and_pour", "Japan", "JPN");
	lset(f, 1, LF_COUNTRY_OF_MELT_AND_POUR, "south korea");
	lic = valid(f, "south korea");
	ck_assert_str_eq(lic->lines[0].melt_and_pour, "Korea, Republic of");
	license_free(lic);

	for (i = 0; i < NELEM(alu_only); i++) {
		lset(f, 1, alu_only[i].k, "Canada");
		bad(f, alu_only[i].path, "only on aluminum", alu_only[i].path);
		/* Given but empty is not given. */
		lset(f, 1, alu_only[i].k, " ");
		ok(f, "blank aluminum field on steel");
		lset(f, 1, alu_only[i].k, NULL);
	}

	/* The steel line of a 2-line license is named. */
	add_steel_line(f, "7306.30.1000", "500", "100");
	lset(f, 2, LF_COUNTRY_OF_MELT_AND_POUR, NULL);
	bad(f, "lines[2].country_of_melt_and_pour", NULL, "line 2");
	form_free(f);

	/* Melt and pour is not asked on aluminum. */
	f = alu_form();
	lset(f, 1, LF_COUNTRY_OF_MELT_AND_POUR, "Japan");
	bad(f, "lines[1].country_of_melt_and_pour", "only on steel",
	    "melt and pour on aluminum");
	lset(f, 1, LF_COUNTRY_OF_MELT_AND_POUR, "");
	lic = valid(f, "empty melt and pour on aluminum");
	ck_assert_ptr_null(lic->lines[0].melt_and_pour);
	license_free(lic);
	form_free(f);
}
END_TEST

/* ---- every problem at once ---- */

START_TEST(test_all_at_once)
{
	static const char *const all[] = {
		"product", "entry_type", "importer_name", "exporter_name",
		"manufacturer_name", "country_of_origin",
		"country_of_exportation", "expected_export_date",
		"expected_import_date", "port_of_entry", "lines",
	};
	struct form	*f;
	struct report	 r;
	struct license	*lic = &sentinel;
	size_t		 i;

	f = alu_form();
	hset(f, HF_IMPORTER_NAME, NULL);
	set_dates(f, app, app + 61);
	add_alu_line(f, ALU_HTS, "100", "0");
	report_init(&r);
	ck_assert_uint_eq(rules_check(f, app, &r, &lic), 3);
	ck_assert_msg(report_has_error(&r, "importer_name") &&
	    report_has_error(&r, "expected_import_date") &&
	    report_has_error(&r, "lines[2].volume_kg"), "%s", listed(&r));
	ck_assert_ptr_null(lic);
	report_free(&r);
	form_free(f);

	/* An empty form: every required field, each once. */
	f = form_new();
	report_init(&r);
	ck_assert_uint_eq(rules_check(f, app, &r, NULL), NELEM(all));
	for (i = 0; i < NELEM(all); i++)
		ck_assert_msg(report_has_error(&r, all[i]), "%s missing: %s",
		    all[i], listed(&r));
	report_free(&r);
	form_free(f);

	/* Several problems on one line, each with its own field. */
	f = alu_form();
	lset(f, 1, LF_HTS_CODE, "1234");
	lset(f, 1, LF_CUSTOMS_VALUE_USD, "0");
	lset(f, 1, LF_VOLUME_KG, "x");
	lset(f, 1, LF_COUNTRY_OF_LARGEST_SMELT, "CN");
	lset(f, 1, LF_COUNTRY_OF_SECOND_LARGEST_SMELT, "Atlantis");
	lset(f, 1, LF_COUNTRY_OF_MOST_RECENT_CAST, "unknown");
	lset(f, 1, LF_COUNTRY_OF_MELT_AND_POUR, "Japan");
	report_init(&r);
	ck_assert_uint_eq(rules_check(f, app, &r, NULL), LF__MAX);
	for (i = 0; i < LF__MAX; i++) {
		char	 path[64];

		snprintf(path, sizeof(path), "lines[1].%s", lfields[i].name);
		ck_assert_msg(report_has_error(&r, path), "%s: %s", path,
		    listed(&r));
	}
	report_free(&r);
	form_free(f);
}
END_TEST

/* ---- validity and the license check (section 9) ---- */

START_TEST(test_valid_through)
{
	ck_assert_int_eq(rules_valid_through(LTYPE_STANDARD,
	    ENTRY_CONSUMPTION, app), app + 75);
	ck_assert_int_eq(rules_valid_through(LTYPE_STANDARD,
	    ENTRY_CONSUMPTION, 0), LIM_VALID_DAYS);
	ck_assert_int_eq(rules_valid_through(LTYPE_STANDARD, ENTRY_FTZ, app),
	    DATE_NONE);
	ck_assert_int_eq(rules_valid_through(LTYPE_LOW_VALUE,
	    ENTRY_CONSUMPTION, app), DATE_NONE);
	ck_assert_int_eq(rules_valid_through(LTYPE_LOW_VALUE, ENTRY_FTZ, app),
	    DATE_NONE);
}
END_TEST

START_TEST(test_license_check)
{
	struct check_facts	 c;
	int			 through;

	through = rules_valid_through(LTYPE_STANDARD, ENTRY_CONSUMPTION, app);
	memset(&c, 0, sizeof(c));
	c.ltype = LTYPE_STANDARD;
	c.valid_through = through;
	c.importer_name = "ACME Metals, Inc.";

	ck_assert_int_eq(rules_license_check(&c, "ACME Metals, Inc.", app,
	    -1), CHECK_VALID);
	ck_assert_int_eq(rules_license_check(&c, "acme metals inc", through,
	    -1), CHECK_VALID);
	ck_assert_int_eq(rules_license_check(&c, "acme metals inc",
	    through + 1, -1), CHECK_EXPIRED);
	ck_assert_int_eq(rules_license_check(&c, "acme metals inc",
	    app - 30, -1), CHECK_VALID);
	/* A standard license has no value limit. */
	ck_assert_int_eq(rules_license_check(&c, "ACME Metals Inc", app,
	    100000000000LL), CHECK_VALID);
	ck_assert_int_eq(rules_license_check(&c, "Other Metals Inc", app,
	    -1), CHECK_WRONG_IMPORTER);
	ck_assert_int_eq(rules_license_check(&c, "ACME Metal Inc", app, -1),
	    CHECK_WRONG_IMPORTER);
	ck_assert_int_eq(rules_license_check(&c, "ACME Metals Incorporated",
	    app, -1), CHECK_WRONG_IMPORTER);
	ck_assert_int_eq(rules_license_check(&c, NULL, app, -1),
	    CHECK_WRONG_IMPORTER);
	ck_assert_int_eq(rules_license_check(&c, "", app, -1),
	    CHECK_WRONG_IMPORTER);

	/* Canceled is said before anything else. */
	c.canceled = 1;
	ck_assert_int_eq(rules_license_check(&c, "ACME Metals, Inc.", app,
	    -1), CHECK_CANCELED);
	ck_assert_int_eq(rules_license_check(&c, "Other", through + 100,
	    -1), CHECK_CANCELED);
	c.canceled = 0;

	/* FTZ admission: never expires. */
	c.valid_through = rules_valid_through(LTYPE_STANDARD, ENTRY_FTZ, app);
	ck_assert_int_eq(rules_license_check(&c, "acme metals inc",
	    app + 10000, -1), CHECK_VALID);

	/* Low value: at most $5,000.00 an entry, never expires. */
	c.ltype = LTYPE_LOW_VALUE;
	c.valid_through = rules_valid_through(LTYPE_LOW_VALUE,
	    ENTRY_CONSUMPTION, app);
	ck_assert_int_eq(rules_license_check(&c, "acme metals inc",
	    app + 5000, 500000), CHECK_VALID);
	ck_assert_int_eq(rules_license_check(&c, "acme metals inc", app,
	    500001), CHECK_OVER_LOW_VALUE_LIMIT);
	ck_assert_int_eq(rules_license_check(&c, "acme metals inc", app, -1),
	    CHECK_VALID);
	ck_assert_int_eq(rules_license_check(&c, "acme metals inc", app, 1),
	    CHECK_VALID);
	ck_assert_int_eq(rules_license_check(&c, "Other", app, 500001),
	    CHECK_WRONG_IMPORTER);
}
END_TEST

START_TEST(test_check_names)
{
	ck_assert_str_eq(check_names[CHECK_VALID], "valid");
	ck_assert_str_eq(check_names[CHECK_EXPIRED], "expired");
	ck_assert_str_eq(check_names[CHECK_CANCELED], "canceled");
	ck_assert_str_eq(check_names[CHECK_NOT_FOUND], "not_found");
	ck_assert_str_eq(check_names[CHECK_WRONG_IMPORTER], "wrong_importer");
	ck_assert_str_eq(check_names[CHECK_OVER_LOW_VALUE_LIMIT],
	    "over_low_value_limit");
}
END_TEST

START_TEST(test_same_importer)
{
	static const struct {
		const char	*a;
		const char	*b;
		int		 same;
	} c[] = {
		{ "ACME Metals, Inc.", "acme metals inc", 1 },
		{ "ACME Metals, Inc.", "ACME-METALS INC", 1 },
		{ "ACME Metals, Inc.", "  ACME   Metals Inc.  ", 1 },
		{ "ACME Metals, Inc.", "ACMEMetalsInc", 1 },
		{ "Soci\xc3\xa9t\xc3\xa9 G\xc3\xa9n\xc3\xa9rale",
		    "soci\xc3\xa9t\xc3\xa9 g\xc3\xa9n\xc3\xa9rale", 1 },
		{ "ACME Metals, Inc.", "ACME Metals Inc 2", 0 },
		{ "ACME Metals, Inc.", "ACME Metal Inc", 0 },
		{ "ACME Metals, Inc.", "AMCE Metals Inc", 0 },
		{ "ACME", "ACM", 0 },
		{ "ACME", "", 0 },
		{ "Caf\xc3\xa9", "Cafe", 0 },
	};
	size_t	 i;

	for (i = 0; i < NELEM(c); i++) {
		ck_assert_msg(rules_same_importer(c[i].a, c[i].b) == c[i].same,
		    "\"%s\" vs \"%s\"", c[i].a, c[i].b);
		ck_assert_msg(rules_same_importer(c[i].b, c[i].a) == c[i].same,
		    "\"%s\" vs \"%s\"", c[i].b, c[i].a);
	}
}
END_TEST

START_TEST(test_parse_money)
{
	static const struct amount_case c[] = {
		{ "5,000.00", 500000, NULL },
		{ "5000.01", 500001, NULL },
		{ "$12.5", 1250, NULL },
		{ "0.01", 1, NULL },
		{ "12.340", 1234, NULL },
		{ "1000000000000", 100000000000000LL, NULL },
		{ "5000.001", -1, NULL },
		{ "0", -1, NULL },
		{ "0.00", -1, NULL },
		{ "-5", -1, NULL },
		{ "abc", -1, NULL },
		{ "", -1, NULL },
		{ "1,23", -1, NULL },
		{ "1000000000001", -1, NULL },
	};
	int64_t	 cents;
	size_t	 i;

	for (i = 0; i < NELEM(c); i++) {
		cents = -7;
		if (c[i].want < 0) {
			ck_assert_msg(rules_parse_money(c[i].in, &cents) == -1,
			    "\"%s\" accepted", c[i].in);
			continue;
		}
		ck_assert_msg(rules_parse_money(c[i].in, &cents) == 0,
		    "\"%s\" refused", c[i].in);
		ck_assert_msg(cents == c[i].want, "\"%s\": %lld", c[i].in,
		    (long long)cents);
	}
}
END_TEST

/* The checked license is what the check is then asked about. */
START_TEST(test_check_from_form)
{
	struct form		*f = form_new();
	struct license		*lic;
	struct check_facts	 c;

	header(f, "aluminum");
	hset(f, HF_LICENSE_TYPE, "low_value");
	lic = valid(f, "low value");
	memset(&c, 0, sizeof(c));
	c.ltype = lic->ltype;
	c.valid_through = rules_valid_through(lic->ltype, lic->entry, app);
	c.importer_name = lic->importer_name;
	ck_assert_int_eq(c.valid_through, DATE_NONE);
	ck_assert_int_eq(rules_license_check(&c, "acme metals inc",
	    app + 400, 500000), CHECK_VALID);
	ck_assert_int_eq(rules_license_check(&c, "acme metals inc", app,
	    500001), CHECK_OVER_LOW_VALUE_LIMIT);
	license_free(lic);
	form_free(f);
}
END_TEST

Suite *
suite_rules(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("rules");

	tc = tcase_create("form");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_valid_aluminum);
	tcase_add_test(tc, test_valid_steel);
	tcase_add_test(tc, test_trimmed);
	tcase_add_test(tc, test_report_reused);
	tcase_add_test(tc, test_report_same_field);
	tcase_add_test(tc, test_required_header);
	tcase_add_test(tc, test_license_type);
	tcase_add_test(tc, test_product_entry);
	tcase_add_test(tc, test_text_length);
	tcase_add_test(tc, test_text_control);
	tcase_add_test(tc, test_text_utf8);
	tcase_add_test(tc, test_text_utf8_strict);
	tcase_add_test(tc, test_text_c1_control);
	tcase_add_test(tc, test_messages_utf8);
	tcase_add_test(tc, test_countries);
	tcase_add_test(tc, test_country_abbreviations);
	tcase_add_test(tc, test_country_no_special);
	tcase_add_test(tc, test_smelt_unknown);
	tcase_add_test(tc, test_smelt_not_applicable);
	tcase_add_test(tc, test_hts);
	tcase_add_test(tc, test_hts_mixed);
	tcase_add_test(tc, test_dates);
	tcase_add_test(tc, test_date_text);
	tcase_add_test(tc, test_money);
	tcase_add_test(tc, test_kg);
	tcase_add_test(tc, test_amount_limit_fraction);
	tcase_add_test(tc, test_unit_value);
	tcase_add_test(tc, test_entry_number);
	tcase_add_test(tc, test_lines_by_type);
	tcase_add_test(tc, test_lines_limit);
	tcase_add_test(tc, test_lines_many_errors);
	tcase_add_test(tc, test_steel_fields);
	tcase_add_test(tc, test_all_at_once);
	tcase_add_test(tc, test_check_from_form);
	suite_add_tcase(s, tc);

	tc = tcase_create("check");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_valid_through);
	tcase_add_test(tc, test_license_check);
	tcase_add_test(tc, test_check_names);
	tcase_add_test(tc, test_same_importer);
	tcase_add_test(tc, test_parse_money);
	suite_add_tcase(s, tc);
	return s;
}
