/*
 * The checked license and its way back to a form.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "license.h"

const char *const product_names[PRODUCT__MAX] = { "aluminum", "steel" };
const char *const ltype_names[LTYPE__MAX] = { "standard", "low_value" };
const char *const entry_names[ENTRY__MAX] = { "consumption", "ftz" };

void
license_free(struct license *l)
{
	size_t	 i;

	if (l == NULL)
		return;
	free(l->importer_name);
	free(l->exporter_name);
	free(l->manufacturer_name);
	free(l->country_of_origin);
	free(l->country_of_exportation);
	free(l->port_of_entry);
	free(l->customs_entry_number);
	for (i = 0; i < l->nlines; i++) {
		free(l->lines[i].largest_smelt);
		free(l->lines[i].second_smelt);
		free(l->lines[i].most_recent_cast);
		free(l->lines[i].melt_and_pour);
	}
	free(l->lines);
	free(l);
}

void
money_format(int64_t cents, char *out, size_t sz)
{
	snprintf(out, sz, "%" PRId64 ".%02" PRId64, cents / 100, cents % 100);
}

/* Kilograms with as many decimals as needed (none for whole kg). */
void
grams_format(int64_t grams, char *out, size_t sz)
{
	int64_t	 g = grams % 1000;

	if (g == 0)
		snprintf(out, sz, "%" PRId64, grams / 1000);
	else if (g % 100 == 0)
		snprintf(out, sz, "%" PRId64 ".%01" PRId64, grams / 1000,
		    g / 100);
	else if (g % 10 == 0)
		snprintf(out, sz, "%" PRId64 ".%02" PRId64, grams / 1000,
		    g / 10);
	else
		snprintf(out, sz, "%" PRId64 ".%03" PRId64, grams / 1000, g);
}

static int
put(struct form *f, enum hfield h, const char *s)
{
	return s == NULL ? 0 : form_set(f, h, s, strlen(s));
}

static int
lput(struct form_line *l, enum lfield h, const char *s)
{
	return s == NULL ? 0 : form_line_set(l, h, s, strlen(s));
}

struct form *
license_to_form(const struct license *lic)
{
	struct form		*f;
	struct form_line	*fl;
	const struct license_line *l;
	char			 buf[32];
	size_t			 i;

	if ((f = form_new()) == NULL)
		return NULL;
	if (put(f, HF_PRODUCT, product_names[lic->product]) ||
	    put(f, HF_LICENSE_TYPE, ltype_names[lic->ltype]) ||
	    put(f, HF_ENTRY_TYPE, entry_names[lic->entry]) ||
	    put(f, HF_IMPORTER_NAME, lic->importer_name) ||
	    put(f, HF_EXPORTER_NAME, lic->exporter_name) ||
	    put(f, HF_MANUFACTURER_NAME, lic->manufacturer_name) ||
	    put(f, HF_COUNTRY_OF_ORIGIN, lic->country_of_origin) ||
	    put(f, HF_COUNTRY_OF_EXPORTATION, lic->country_of_exportation) ||
	    put(f, HF_PORT_OF_ENTRY, lic->port_of_entry) ||
	    put(f, HF_CUSTOMS_ENTRY_NUMBER, lic->customs_entry_number))
		goto fail;
	date_format(lic->export_date, buf);
	if (put(f, HF_EXPECTED_EXPORT_DATE, buf))
		goto fail;
	date_format(lic->import_date, buf);
	if (put(f, HF_EXPECTED_IMPORT_DATE, buf))
		goto fail;
	for (i = 0; i < lic->nlines; i++) {
		l = &lic->lines[i];
		if ((fl = form_add_line(f)) == NULL)
			goto fail;
		if (lput(fl, LF_HTS_CODE, l->hts_code))
			goto fail;
		money_format(l->value_cents, buf, sizeof(buf));
		if (lput(fl, LF_CUSTOMS_VALUE_USD, buf))
			goto fail;
		grams_format(l->grams, buf, sizeof(buf));
		if (lput(fl, LF_VOLUME_KG, buf) ||
		    lput(fl, LF_COUNTRY_OF_LARGEST_SMELT, l->largest_smelt) ||
		    lput(fl, LF_COUNTRY_OF_SECOND_LARGEST_SMELT,
		    l->second_smelt) ||
		    lput(fl, LF_COUNTRY_OF_MOST_RECENT_CAST,
		    l->most_recent_cast) ||
		    lput(fl, LF_COUNTRY_OF_MELT_AND_POUR, l->melt_and_pour))
			goto fail;
	}
	f->has_lines = lic->nlines > 0;
	return f;
fail:
	form_free(f);
	return NULL;
}
