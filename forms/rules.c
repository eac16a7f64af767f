/*
 * The rules of a license application (DOMAIN.md sections 3-5).  Each
 * check names the field it is about and says what to do; a form gets
 * every message at once, never just the first.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/date.h"
#include "lib/limits.h"
#include "country.h"
#include "hts.h"
#include "rules.h"

#define NOT_APPLICABLE	"not applicable"
#define UNKNOWN		"unknown"

int
rules_init(char *err, size_t errsz)
{
	if (country_init(NULL, err, errsz) == -1)
		return -1;
	if (hts_init(err, errsz) == -1)
		return -1;
	return 0;
}

/* Surrounding white space removed, into a fresh string. */
static char *
trimmed(const char *s)
{
	const char	*e;
	char		*p;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		e--;
	if ((p = malloc(e - s + 1)) == NULL)
		return NULL;
	memcpy(p, s, e - s);
	p[e - s] = '\0';
	return p;
}

/*
 * Characters in well-formed UTF-8 (no overlong forms, surrogates or
 * code points past U+10FFFF), or -1.  C1 controls count as invalid:
 * they are mojibake from a wrong charset, never meant text.
 */
static long
utf8_chars(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	long			 n = 0;
	int			 k, i;
	unsigned char		 lo, hi;

	while (*p) {
		lo = 0x80;
		hi = 0xbf;
		if (*p < 0x80)
			k = 0;
		else if (*p >= 0xc2 && *p <= 0xdf)
			k = 1;
		else if (*p >= 0xe0 && *p <= 0xef) {
			k = 2;
			if (*p == 0xe0)
				lo = 0xa0;
			else if (*p == 0xed)
				hi = 0x9f;
		} else if (*p >= 0xf0 && *p <= 0xf4) {
			k = 3;
			if (*p == 0xf0)
				lo = 0x90;
			else if (*p == 0xf4)
				hi = 0x8f;
		} else
			return -1;
		if (k > 0 && (p[1] < lo || p[1] > hi))
			return -1;
		for (i = 2; i <= k; i++)
			if ((p[i] & 0xc0) != 0x80)
				return -1;
		if (p[0] == 0xc2 && p[1] < 0xa0)
			return -1;	/* C1 control */
		p += k + 1;
		n++;
	}
	return n;
}

/* Whether the k bytes at p are one well-formed character. */
static int
utf8_one(const unsigned char *p, size_t k)
{
	char	 tmp[5];

	memcpy(tmp, p, k);
	tmp[k] = '\0';
	return utf8_chars(tmp) == 1 ? 0 : -1;
}

/*
 * User text quoted in a message: at most max characters, cut on a
 * character boundary (with "..." when cut), so a message stays valid
 * UTF-8 whatever was typed.  Invalid bytes are shown as "?".
 */
static const char *
shown(const char *s, size_t max, char *buf, size_t sz)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n = 0, chars = 0, k;

	while (*p && chars < max) {
		k = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 :
		    (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;
		if (k == 0 || strnlen((const char *)p, k) < k ||
		    (k > 1 && utf8_one(p, k) == -1) || *p < 0x20) {
			k = 1;
			if (n + 1 >= sz)
				break;
			buf[n++] = '?';
		} else {
			if (n + k >= sz)
				break;
			memcpy(buf + n, p, k);
			n += k;
		}
		p += k;
		chars++;
	}
	if (*p && n + 4 < sz) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

/* The value of a field, trimmed, or NULL (with *missing) if empty. */
static char *
value(const char *raw, int *missing)
{
	char	*v;

	*missing = 0;
	if (raw == NULL) {
		*missing = 1;
		return NULL;
	}
	if ((v = trimmed(raw)) != NULL && *v == '\0') {
		free(v);
		*missing = 1;
		return NULL;
	}
	return v;
}

/*
 * A one-line text field of at most LIM_FIELD_CHARS characters.
 * Returns the trimmed text, or NULL with an error reported.
 */
static char *
text(struct report *r, size_t line, const char *field, const char *label,
    const char *raw, int required)
{
	char	*v;
	long	 n;
	int	 missing;
	const char *p;

	if ((v = value(raw, &missing)) == NULL) {
		if (missing && required)
			report_error(r, line, field, "%s is required.", label);
		return NULL;
	}
	for (p = v; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f ||
		    ((unsigned char)p[0] == 0xc2 && (unsigned char)p[1] >= 0x80
		    && (unsigned char)p[1] < 0xa0)) {
			report_error(r, line, field, "%s must be one line of "
			    "plain text, without line breaks or control "
			    "characters.", label);
			goto bad;
		}
	if ((n = utf8_chars(v)) < 0) {
		report_error(r, line, field, "%s is not valid UTF-8 text; "
		    "retype it.", label);
		goto bad;
	}
	if (n > LIM_FIELD_CHARS) {
		report_error(r, line, field, "%s is %ld characters long; "
		    "shorten it to at most %d.", label, n, LIM_FIELD_CHARS);
		goto bad;
	}
	return v;
bad:
	free(v);
	return NULL;
}

/* One of a list of words (any case); returns its index or -1. */
static int
choice(struct report *r, const char *field, const char *label,
    const char *raw, const char *const *words, int nwords, int dflt)
{
	char	*v;
	int	 i, missing;
	char	 q[256];

	if ((v = value(raw, &missing)) == NULL) {
		if (missing && raw == NULL && dflt >= 0)
			return dflt;
		if (nwords == 2)
			report_error(r, 0, field, "%s is required: choose %s or "
			    "%s.", label, words[0], words[1]);
		return -1;
	}
	for (i = 0; i < nwords; i++)
		if (strcasecmp(v, words[i]) == 0) {
			free(v);
			return i;
		}
	report_error(r, 0, field, "%s must be %s or %s, not \"%s\".",
	    label, words[0], words[1], shown(v, 40, q, sizeof(q)));
	free(v);
	return -1;
}

enum special {
	SPECIAL_NONE = 0,
	SPECIAL_NOT_APPLICABLE = 1,
	SPECIAL_UNKNOWN = 2,
};

/*
 * A country written in full, or one of the special words allowed
 * (a mask of enum special).  Returns the canonical text or NULL.
 */
static char *
country(struct report *r, size_t line, const char *field, const char *label,
    const char *raw, int allowed, int app_date, int *is_special)
{
	const char	*canon;
	char		*v, *out = NULL;
	int		 missing, last;
	char	 q[256];

	*is_special = SPECIAL_NONE;
	if ((v = value(raw, &missing)) == NULL) {
		if (missing)
			report_error(r, line, field, "%s is required: write "
			    "the country name in full%s.", label,
			    (allowed & SPECIAL_NOT_APPLICABLE) ?
			    ", or not applicable" : "");
		return NULL;
	}
	if (strcasecmp(v, NOT_APPLICABLE) == 0 ||
	    strcasecmp(v, "n/a") == 0 || strcasecmp(v, "na") == 0) {
		if (allowed & SPECIAL_NOT_APPLICABLE) {
			*is_special = SPECIAL_NOT_APPLICABLE;
			out = strdup(NOT_APPLICABLE);
		} else
			report_error(r, line, field, "%s cannot be not "
			    "applicable: write the country name in full.",
			    label);
		goto out;
	}
	if (strcasecmp(v, UNKNOWN) == 0) {
		date_parse(RULES_UNKNOWN_SMELT_LAST, &last);
		if ((allowed & SPECIAL_UNKNOWN) && app_date <= last) {
			*is_special = SPECIAL_UNKNOWN;
			out = strdup(UNKNOWN);
		} else if (allowed & SPECIAL_UNKNOWN)
			report_error(r, line, field, "%s may be unknown only on "
			    "applications dated on or before %s: write the "
			    "country name in full%s.", label,
			    RULES_UNKNOWN_SMELT_LAST,
			    (allowed & SPECIAL_NOT_APPLICABLE) ?
			    ", or not applicable" : "");
		else
			report_error(r, line, field, "%s cannot be unknown: "
			    "write the country name in full.", label);
		goto out;
	}
	switch (country_lookup(v, &canon)) {
	case COUNTRY_OK:
		out = strdup(canon);
		break;
	case COUNTRY_ABBREVIATION:
		report_error(r, line, field, "%s: write the country name in "
		    "full: %s (not %s).", label, canon,
		    shown(v, 20, q, sizeof(q)));
		break;
	default:
		report_error(r, line, field, "%s: \"%s\" is not a country "
		    "we know; write its full name, e.g. Germany.", label,
		    shown(v, 60, q, sizeof(q)));
		break;
	}
out:
	free(v);
	return out;
}

static int
date_field(struct report *r, const char *field, const char *label,
    const char *raw, int *days)
{
	char	*v;
	int	 missing, rc = -1;
	char	 q[256];

	if ((v = value(raw, &missing)) == NULL) {
		if (missing)
			report_error(r, 0, field, "%s is required "
			    "(YYYY-MM-DD).", label);
		return -1;
	}
	if (date_parse(v, days) == -1)
		report_error(r, 0, field, "%s \"%s\" is not a date: write "
		    "it as YYYY-MM-DD, e.g. 2026-03-31.", label,
		    shown(v, 20, q, sizeof(q)));
	else
		rc = 0;
	free(v);
	return rc;
}

enum dec_err {
	DEC_OK,
	DEC_SYNTAX,
	DEC_DECIMALS,
	DEC_NOT_POSITIVE,
	DEC_TOO_LARGE,
};

/*
 * A positive decimal with at most maxdec decimals, as an integer count
 * of 10^-maxdec units.  Thousands separators are allowed only in their
 * proper places ("1,234.5"); a leading "$" is ignored.
 */
static enum dec_err
decimal(const char *s, int maxdec, int64_t limit, int64_t *out)
{
	int64_t	 whole = 0, frac = 0;
	int	 digits = 0, group = -1, ndec = 0, i;

	if (*s == '$')
		s++;
	if (*s == '-')
		return strspn(s + 1, "0123456789.,") == strlen(s + 1) &&
		    s[1] != '\0' ? DEC_NOT_POSITIVE : DEC_SYNTAX;
	if (*s == '+')
		s++;
	for (; *s && *s != '.'; s++) {
		if (*s == ',') {
			/* a comma must follow 1-3 digits, then groups of 3 */
			if (digits == 0 || (group >= 0 && group != 3) ||
			    (group < 0 && digits > 3))
				return DEC_SYNTAX;
			group = 0;
			continue;
		}
		if (!isdigit((unsigned char)*s))
			return DEC_SYNTAX;
		if (whole > limit)
			return DEC_TOO_LARGE;
		whole = whole * 10 + (*s - '0');
		digits++;
		if (group >= 0)
			group++;
	}
	if (group >= 0 && group != 3)
		return DEC_SYNTAX;
	if (*s == '.') {
		s++;
		if (*s == '\0' && digits == 0)
			return DEC_SYNTAX;
		for (; *s; s++) {
			if (!isdigit((unsigned char)*s))
				return DEC_SYNTAX;
			if (++ndec > maxdec) {
				/* trailing zeros past the limit are harmless */
				if (*s != '0')
					return DEC_DECIMALS;
				continue;
			}
			frac = frac * 10 + (*s - '0');
		}
	} else if (digits == 0)
		return DEC_SYNTAX;
	if (whole > limit)
		return DEC_TOO_LARGE;
	for (i = ndec < maxdec ? ndec : maxdec; i < maxdec; i++)
		frac *= 10;
	for (i = 0; i < maxdec; i++) {
		whole *= 10;
		limit *= 10;
	}
	if (whole + frac > limit)
		return DEC_TOO_LARGE;
	if (whole + frac <= 0)
		return DEC_NOT_POSITIVE;
	*out = whole + frac;
	return DEC_OK;
}

static int
amount(struct report *r, size_t line, const char *field, const char *label,
    const char *raw, int maxdec, int64_t limit, const char *unit,
    int64_t *out)
{
	char	*v;
	int	 missing, rc = -1;
	char	 q[256];

	if ((v = value(raw, &missing)) == NULL) {
		if (missing)
			report_error(r, line, field, "%s is required.", label);
		return -1;
	}
	switch (decimal(v, maxdec, limit, out)) {
	case DEC_OK:
		rc = 0;
		break;
	case DEC_SYNTAX:
		report_error(r, line, field, "%s \"%s\" is not a number: "
		    "write digits with at most %d decimals, e.g. %s.", label,
		    shown(v, 30, q, sizeof(q)), maxdec, maxdec == 2 ? "12500.75" : "1000.5");
		break;
	case DEC_DECIMALS:
		report_error(r, line, field, "%s has more than %d decimals: "
		    "round it to %s.", label, maxdec,
		    maxdec == 2 ? "whole cents" : "whole grams");
		break;
	case DEC_NOT_POSITIVE:
		report_error(r, line, field, "%s must be more than zero.",
		    label);
		break;
	case DEC_TOO_LARGE:
		report_error(r, line, field, "%s is too large: at most %lld "
		    "%s on one line.", label, (long long)limit, unit);
		break;
	}
	free(v);
	return rc;
}

/* CBP entry number XXX-NNNNNNN-N, dashes and spaces optional. */
static char *
entry_number(struct report *r, const char *raw)
{
	char	 buf[16], *v, *out = NULL;
	size_t	 n = 0, i;
	int	 missing;
	char	 q[256];

	if ((v = value(raw, &missing)) == NULL)
		return NULL;
	for (i = 0; v[i] != '\0'; i++) {
		if (v[i] == '-' || v[i] == ' ')
			continue;
		if (n == 11 || !isalnum((unsigned char)v[i]))
			goto bad;
		buf[n++] = toupper((unsigned char)v[i]);
	}
	if (n != 11)
		goto bad;
	for (i = 3; i < 11; i++)
		if (!isdigit((unsigned char)buf[i]))
			goto bad;
	if (asprintf(&out, "%.3s-%.7s-%c", buf, buf + 3, buf[10]) == -1)
		out = NULL;
	free(v);
	return out;
bad:
	report_error(r, 0, hfields[HF_CUSTOMS_ENTRY_NUMBER].name,
	    "Customs entry number \"%s\" is not in CBP format "
	    "XXX-NNNNNNN-N (3-character filer code, 7 digits, check digit); "
	    "leave it empty if you do not know it yet.",
	    shown(v, 20, q, sizeof(q)));
	free(v);
	return NULL;
}

static const char *const product_words[] = { "aluminum", "steel" };
static const char *const ltype_words[] = { "standard", "low_value" };
static const char *const entry_words[] = { "consumption", "ftz" };

/* Header fields; returns 0 if the product is known. */
static void
check_header(const struct form *f, int app, struct report *r,
    struct license *lic, int *product_ok)
{
	int	 sp, v, have_exp, have_imp;

	v = choice(r, "product", "Product", f->v[HF_PRODUCT],
	    product_words, 2, -1);
	*product_ok = v >= 0;
	lic->product = v >= 0 ? v : PRODUCT_ALUMINUM;
	v = choice(r, "license_type", "License type", f->v[HF_LICENSE_TYPE],
	    ltype_words, 2, LTYPE_STANDARD);
	lic->ltype = v >= 0 ? v : LTYPE_STANDARD;
	v = choice(r, "entry_type", "Entry type", f->v[HF_ENTRY_TYPE],
	    entry_words, 2, -1);
	lic->entry = v >= 0 ? v : ENTRY_CONSUMPTION;

	lic->importer_name = text(r, 0, "importer_name", "Importer name",
	    f->v[HF_IMPORTER_NAME], 1);
	lic->exporter_name = text(r, 0, "exporter_name", "Exporter name",
	    f->v[HF_EXPORTER_NAME], 1);
	lic->manufacturer_name = text(r, 0, "manufacturer_name",
	    "Manufacturer name", f->v[HF_MANUFACTURER_NAME], 1);
	lic->country_of_origin = country(r, 0, "country_of_origin",
	    "Country of origin", f->v[HF_COUNTRY_OF_ORIGIN], 0, app, &sp);
	lic->country_of_exportation = country(r, 0, "country_of_exportation",
	    "Country of exportation", f->v[HF_COUNTRY_OF_EXPORTATION], 0,
	    app, &sp);
	lic->port_of_entry = text(r, 0, "port_of_entry", "Port of entry",
	    f->v[HF_PORT_OF_ENTRY], 1);
	lic->customs_entry_number = entry_number(r,
	    f->v[HF_CUSTOMS_ENTRY_NUMBER]);

	have_exp = date_field(r, "expected_export_date",
	    "Expected date of export", f->v[HF_EXPECTED_EXPORT_DATE],
	    &lic->export_date) == 0;
	have_imp = date_field(r, "expected_import_date",
	    "Expected date of import", f->v[HF_EXPECTED_IMPORT_DATE],
	    &lic->import_date) == 0;
	if (have_imp && lic->import_date - app > LIM_IMPORT_AHEAD_DAYS) {
		char d[11];

		date_format(app + LIM_IMPORT_AHEAD_DAYS, d);
		report_error(r, 0, "expected_import_date", "The expected date "
		    "of import is %d days after the application date; a "
		    "license can be requested at most %d days ahead (import "
		    "on or before %s), so apply later.",
		    lic->import_date - app, LIM_IMPORT_AHEAD_DAYS, d);
	}
	if (have_exp && have_imp && lic->export_date > lic->import_date)
		report_error(r, 0, "expected_export_date", "The expected date "
		    "of export is after the expected date of import; goods "
		    "leave before they arrive: check both dates.");
}

static void
check_line(const struct form_line *fl, size_t n, const struct license *lic,
    int product_ok, int app, struct report *r, struct license_line *out)
{
	enum product	 p;
	const char	*group;
	char		*v;
	int		 missing, sp_large = 0, sp_second = 0, i, ok_value,
			 ok_kg;
	char	 q[256];
	static const enum lfield alu_only[] = {
		LF_COUNTRY_OF_LARGEST_SMELT,
		LF_COUNTRY_OF_SECOND_LARGEST_SMELT,
		LF_COUNTRY_OF_MOST_RECENT_CAST,
	};

	if ((v = value(fl->v[LF_HTS_CODE], &missing)) == NULL)
		report_error(r, n, "hts_code", "HTS code is required: the "
		    "10-digit statistical reporting number.");
	else {
		switch (hts_lookup(v, out->hts_code, &p, &group)) {
		case HTS_OK:
			if (product_ok && p != lic->product)
				report_error(r, n, "hts_code", "%s is %s "
				    "code; %s and %s products never share "
				    "one license: file it on a separate %s "
				    "license.", out->hts_code,
				    p == PRODUCT_ALUMINUM ? "an aluminum" :
				    "a steel", product_names[p],
				    product_names[lic->product],
				    product_names[p]);
			else
				snprintf(out->product_group,
				    sizeof(out->product_group), "%s", group);
			break;
		case HTS_FORMAT:
			report_error(r, n, "hts_code", "HTS code \"%s\" must "
			    "be 10 digits, e.g. 7601103000 (dots are "
			    "ignored).", shown(v, 20, q, sizeof(q)));
			break;
		case HTS_NOT_COVERED:
			report_error(r, n, "hts_code", "HTS %s is not a covered "
			    "%s product: no license is needed for it; remove "
			    "the line, or check the code.", out->hts_code,
			    product_names[p]);
			break;
		default:
			report_error(r, n, "hts_code", "HTS %s is not an "
			    "aluminum (chapter 76) or steel (chapter 72/73) "
			    "code: check the code.", out->hts_code);
			break;
		}
		free(v);
	}
	ok_value = amount(r, n, "customs_value_usd", "Customs value",
	    fl->v[LF_CUSTOMS_VALUE_USD], 2, LIM_VALUE_USD_MAX, "dollars",
	    &out->value_cents) == 0;
	ok_kg = amount(r, n, "volume_kg", "Quantity (kg)",
	    fl->v[LF_VOLUME_KG], 3, LIM_KG_MAX, "kilograms",
	    &out->grams) == 0;
	if (ok_value && ok_kg)
		out->usd_per_kg = (double)out->value_cents * 10.0 /
		    (double)out->grams;
	if (!product_ok)
		return;

	if (lic->product == PRODUCT_STEEL) {
		for (i = 0; i < 3; i++)
			if (fl->v[alu_only[i]] != NULL &&
			    (v = value(fl->v[alu_only[i]], &missing)) != NULL) {
				free(v);
				report_error(r, n, lfields[alu_only[i]].name,
				    "%s is asked only on aluminum licenses: "
				    "leave it empty on a steel license.",
				    lfields[alu_only[i]].label);
			}
		out->melt_and_pour = country(r, n, "country_of_melt_and_pour",
		    "Country of melt and pour", fl->v[LF_COUNTRY_OF_MELT_AND_POUR],
		    0, app, &sp_large);
		return;
	}
	if (fl->v[LF_COUNTRY_OF_MELT_AND_POUR] != NULL &&
	    (v = value(fl->v[LF_COUNTRY_OF_MELT_AND_POUR], &missing)) != NULL) {
		free(v);
		report_error(r, n, "country_of_melt_and_pour", "Country of "
		    "melt and pour is asked only on steel licenses: leave it "
		    "empty on an aluminum license.");
	}
	out->largest_smelt = country(r, n, "country_of_largest_smelt",
	    "Country of largest smelt", fl->v[LF_COUNTRY_OF_LARGEST_SMELT],
	    SPECIAL_NOT_APPLICABLE | SPECIAL_UNKNOWN, app, &sp_large);
	out->second_smelt = country(r, n, "country_of_second_largest_smelt",
	    "Country of second largest smelt",
	    fl->v[LF_COUNTRY_OF_SECOND_LARGEST_SMELT],
	    SPECIAL_NOT_APPLICABLE | SPECIAL_UNKNOWN, app, &sp_second);
	if (out->largest_smelt != NULL && out->second_smelt != NULL &&
	    sp_large == SPECIAL_NOT_APPLICABLE &&
	    sp_second != SPECIAL_NOT_APPLICABLE)
		report_error(r, n, "country_of_second_largest_smelt", "With "
		    "no largest smelt (not applicable: secondary aluminum "
		    "only), the second largest smelt is not applicable "
		    "too.");
	out->most_recent_cast = country(r, n, "country_of_most_recent_cast",
	    "Country of most recent cast",
	    fl->v[LF_COUNTRY_OF_MOST_RECENT_CAST], 0, app, &sp_large);
}

size_t
rules_check(const struct form *f, int app, struct report *r,
    struct license **licp)
{
	struct license	*lic;
	size_t		 i;
	int		 product_ok;

	if (licp != NULL)
		*licp = NULL;
	if ((lic = calloc(1, sizeof(*lic))) == NULL) {
		report_error(r, 0, "", "Out of memory: try again.");
		return r->nerrors;
	}
	lic->application_date = app;
	check_header(f, app, r, lic, &product_ok);

	if (lic->ltype == LTYPE_LOW_VALUE && f->nlines > 0)
		report_error(r, 0, "lines", "A low value license has no "
		    "product lines: remove them, or apply for a standard "
		    "license.");
	else if (lic->ltype == LTYPE_STANDARD && f->nlines == 0)
		report_error(r, 0, "lines", "Add at least one product line "
		    "(HTS code, customs value, kilograms).");
	else if (f->nlines > LIM_LINES)
		report_error(r, 0, "lines", "At most %d product lines fit on "
		    "one license: split them into several.", LIM_LINES);
	else if (f->nlines > 0) {
		lic->lines = calloc(f->nlines, sizeof(*lic->lines));
		if (lic->lines == NULL)
			report_error(r, 0, "", "Out of memory: try again.");
		else {
			lic->nlines = f->nlines;
			for (i = 0; i < f->nlines; i++)
				check_line(&f->lines[i], i + 1, lic,
				    product_ok, app, r, &lic->lines[i]);
		}
	}
	/* Errors a reader put in the report count too. */
	if (r->nerrors == 0 && licp != NULL)
		*licp = lic;
	else
		license_free(lic);
	return r->nerrors;
}

int
rules_valid_through(enum ltype t, enum entry e, int issued_on)
{
	if (t == LTYPE_LOW_VALUE || e == ENTRY_FTZ)
		return DATE_NONE;
	return issued_on + LIM_VALID_DAYS;
}

/*
 * Importer names match when their letters and digits match, in any
 * case: "ACME Metals, Inc." is "Acme Metals Inc".
 */
int
rules_same_importer(const char *a, const char *b)
{
	for (;;) {
		while (*a && !isalnum((unsigned char)*a) &&
		    (unsigned char)*a < 0x80)
			a++;
		while (*b && !isalnum((unsigned char)*b) &&
		    (unsigned char)*b < 0x80)
			b++;
		if (*a == '\0' || *b == '\0')
			return *a == *b;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
		a++;
		b++;
	}
}

const char *const check_names[CHECK__MAX] = {
	"valid", "expired", "canceled", "not_found", "wrong_importer",
	"over_low_value_limit",
};

enum check_result
rules_license_check(const struct check_facts *f, const char *importer,
    int import_date, int64_t entry_value_cents)
{
	if (f->canceled)
		return CHECK_CANCELED;
	if (importer == NULL || !rules_same_importer(f->importer_name,
	    importer))
		return CHECK_WRONG_IMPORTER;
	if (f->valid_through != DATE_NONE && import_date > f->valid_through)
		return CHECK_EXPIRED;
	if (f->ltype == LTYPE_LOW_VALUE && entry_value_cents >
	    LIM_LOW_VALUE_CENTS)
		return CHECK_OVER_LOW_VALUE_LIMIT;
	return CHECK_VALID;
}

int
rules_parse_money(const char *s, int64_t *cents)
{
	return decimal(s, 2, LIM_VALUE_USD_MAX, cents) == DEC_OK ? 0 : -1;
}
