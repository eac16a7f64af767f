/*
 * The field vocabulary and the struct form container.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/limits.h"
#include "form.h"

const struct field_def hfields[HF__MAX] = {
	{ "product", "Product", FT_CHOICE,
	  "aluminum or steel. Steel and aluminum products never share one "
	  "license." },
	{ "license_type", "License type", FT_CHOICE,
	  "standard (one entry, with product lines) or low_value (a "
	  "multiple-use license for entries of at most $5,000 of covered "
	  "products)." },
	{ "entry_type", "Entry type", FT_CHOICE,
	  "Entry for consumption, or admission into a foreign-trade zone "
	  "(FTZ); written consumption or ftz in files." },
	{ "importer_name", "Importer name", FT_TEXT,
	  "The importer of record named on the entry summary." },
	{ "exporter_name", "Exporter name", FT_TEXT,
	  "The company that sold and shipped the goods to the United "
	  "States." },
	{ "manufacturer_name", "Manufacturer name", FT_TEXT,
	  "Who made the products; list several names if there are several, "
	  "or write unknown." },
	{ "country_of_origin", "Country of origin", FT_COUNTRY,
	  "The country where the products were made, written in full." },
	{ "country_of_exportation", "Country of exportation", FT_COUNTRY,
	  "The country the products were shipped from; it may differ from "
	  "the country of origin." },
	{ "expected_export_date", "Expected date of export", FT_DATE,
	  "When the goods leave the country of exportation." },
	{ "expected_import_date", "Expected date of import", FT_DATE,
	  "When the goods arrive in the United States. Apply at "
	  "most 60 days before it; a past date is allowed until the entry "
	  "summary is filed." },
	{ "port_of_entry", "Expected port of entry", FT_TEXT,
	  "The CBP port where the goods will be entered, as city and state, "
	  "e.g. Baltimore, MD." },
	{ "customs_entry_number", "Customs entry number", FT_TEXT,
	  "Optional: the CBP entry number, XXX-NNNNNNN-N (filer code, "
	  "number, check digit)." },
};

const struct field_def lfields[LF__MAX] = {
	{ "hts_code", "HTS code", FT_HTS,
	  "The 10-digit Harmonized Tariff Schedule statistical reporting "
	  "number of a covered product." },
	{ "customs_value_usd", "Customs value (US$)", FT_MONEY,
	  "The entered value in U.S. dollars, without duties, freight, "
	  "packaging or brokerage." },
	{ "volume_kg", "Quantity (kg)", FT_KG,
	  "Net weight in kilograms (not pounds, not metric tons)." },
	{ "country_of_largest_smelt", "Country of largest smelt",
	  FT_COUNTRY,
	  "Where the largest share of the primary aluminum was smelted; "
	  "not applicable for secondary (recycled) aluminum only." },
	{ "country_of_second_largest_smelt",
	  "Country of second largest smelt", FT_COUNTRY,
	  "Where the second largest share was smelted; not applicable when "
	  "there is no second primary source." },
	{ "country_of_most_recent_cast", "Country of most recent cast",
	  FT_COUNTRY,
	  "Where the aluminum was last liquefied and cast." },
	{ "country_of_melt_and_pour", "Country of melt and pour",
	  FT_COUNTRY,
	  "Where the steel was first made liquid and poured into its first "
	  "solid shape." },
};

/* The index of name among the n fields of defs, or -1. */
static int
field_find(const struct field_def *defs, int n, const char *name)
{
	int	 i;

	for (i = 0; i < n; i++)
		if (strcmp(defs[i].name, name) == 0)
			return i;
	return -1;
}

int
hfield_find(const char *name)
{
	return field_find(hfields, HF__MAX, name);
}

int
lfield_find(const char *name)
{
	return field_find(lfields, LF__MAX, name);
}

void
form_field_words(const char *path, char *out, size_t sz)
{
	const char	*rest;
	char		*end;
	long		 line;
	int		 i;

	if (path == NULL || *path == '\0') {
		snprintf(out, sz, "The form");
		return;
	}
	if (strncmp(path, "lines[", 6) == 0) {
		line = strtol(path + 6, &end, 10);
		if (end == path + 6 || *end != ']' || line < 1 ||
		    line > LIM_LINES) {
			snprintf(out, sz, "%s", path);
			return;
		}
		rest = end + 1;
		if (*rest == '.' && (i = lfield_find(rest + 1)) >= 0)
			snprintf(out, sz, "Product line %ld, %s", line,
			    lfields[i].label);
		else
			snprintf(out, sz, "Product line %ld", line);
		return;
	}
	if (strcmp(path, "lines") == 0)
		snprintf(out, sz, "Product lines");
	else if ((i = hfield_find(path)) >= 0)
		snprintf(out, sz, "%s", hfields[i].label);
	else
		snprintf(out, sz, "%s", path);
}

struct form *
form_new(void)
{
	return calloc(1, sizeof(struct form));
}

void
form_free(struct form *f)
{
	size_t	 i;
	int	 j;

	if (f == NULL)
		return;
	for (j = 0; j < HF__MAX; j++)
		free(f->v[j]);
	for (i = 0; i < f->nlines; i++)
		for (j = 0; j < LF__MAX; j++)
			free(f->lines[i].v[j]);
	free(f->lines);
	free(f);
}

static int
set(char **slot, const char *val, size_t len)
{
	char	*p;

	if ((p = malloc(len + 1)) == NULL)
		return -1;
	memcpy(p, val, len);
	p[len] = '\0';
	free(*slot);
	*slot = p;
	return 0;
}

int
form_set(struct form *f, enum hfield h, const char *val, size_t len)
{
	return set(&f->v[h], val, len);
}

int
form_line_set(struct form_line *l, enum lfield h, const char *val, size_t len)
{
	return set(&l->v[h], val, len);
}

struct form_line *
form_add_line(struct form *f)
{
	struct form_line	*p;
	size_t			 cap;

	if (f->nlines == f->linecap) {
		cap = f->linecap ? f->linecap * 2 : 4;
		if (cap > LIM_LINES + 1)
			cap = LIM_LINES + 1;
		if (cap <= f->nlines)
			return NULL;
		p = reallocarray(f->lines, cap, sizeof(*p));
		if (p == NULL)
			return NULL;
		f->lines = p;
		f->linecap = cap;
	}
	p = &f->lines[f->nlines++];
	memset(p, 0, sizeof(*p));
	f->has_lines = 1;
	return p;
}

struct form *
form_dup(const struct form *f)
{
	struct form		*n;
	struct form_line	*l;
	size_t			 i;
	int			 j;

	if ((n = form_new()) == NULL)
		return NULL;
	for (j = 0; j < HF__MAX; j++)
		if (f->v[j] != NULL &&
		    form_set(n, j, f->v[j], strlen(f->v[j])) == -1)
			goto fail;
	for (i = 0; i < f->nlines; i++) {
		if ((l = form_add_line(n)) == NULL)
			goto fail;
		for (j = 0; j < LF__MAX; j++)
			if (f->lines[i].v[j] != NULL &&
			    form_line_set(l, j, f->lines[i].v[j],
			    strlen(f->lines[i].v[j])) == -1)
				goto fail;
	}
	n->has_lines = f->has_lines;
	return n;
fail:
	form_free(n);
	return NULL;
}

#ifdef __SANITIZE_ADDRESS__
/*
 * Leaks in libraries we cannot fix, skipped by the leak checks of the
 * sanitized builds (ours are still checked).  Here because every
 * program links this file.  libxlsxwriter 1.1.4 copies the formula of a
 * list validation twice and frees one copy (about 20 bytes per
 * drop-down); fontconfig, Pango, cairo, HarfBuzz and GLib keep process
 * caches for the life of the program (the PDF form writer).
 */
const char	*__lsan_default_suppressions(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:libxlsxwriter.so\n"
	    "leak:libfontconfig.so\n"
	    "leak:libpango-1.0.so\n"
	    "leak:libpangoft2-1.0.so\n"
	    "leak:libpangocairo-1.0.so\n"
	    "leak:libcairo.so\n"
	    "leak:libharfbuzz.so\n"
	    "leak:libglib-2.0.so\n"
	    "leak:libgobject-2.0.so\n";
}
#endif
