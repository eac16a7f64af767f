#include <stdio.h>

#include "lib/date.h"
#include "licjson.h"

static void
set_str(json_t *o, const char *k, const char *v)
{
	if (v != NULL)
		json_object_set_new(o, k, json_string(v));
}

json_t *
license_json(const struct license *lic)
{
	json_t				*o, *lines, *l;
	const struct license_line	*ln;
	char				 buf[32];
	size_t				 i;

	if ((o = json_object()) == NULL)
		return NULL;
	set_str(o, "product", product_names[lic->product]);
	set_str(o, "license_type", ltype_names[lic->ltype]);
	set_str(o, "entry_type", entry_names[lic->entry]);
	set_str(o, "importer_name", lic->importer_name);
	set_str(o, "exporter_name", lic->exporter_name);
	set_str(o, "manufacturer_name", lic->manufacturer_name);
	set_str(o, "country_of_origin", lic->country_of_origin);
	set_str(o, "country_of_exportation", lic->country_of_exportation);
	date_format(lic->export_date, buf);
	set_str(o, "expected_export_date", buf);
	date_format(lic->import_date, buf);
	set_str(o, "expected_import_date", buf);
	set_str(o, "port_of_entry", lic->port_of_entry);
	set_str(o, "customs_entry_number", lic->customs_entry_number);
	date_format(lic->application_date, buf);
	set_str(o, "application_date", buf);
	lines = json_array();
	for (i = 0; i < lic->nlines; i++) {
		ln = &lic->lines[i];
		l = json_object();
		set_str(l, "hts_code", ln->hts_code);
		set_str(l, "product_group", ln->product_group);
		money_format(ln->value_cents, buf, sizeof(buf));
		set_str(l, "customs_value_usd", buf);
		grams_format(ln->grams, buf, sizeof(buf));
		set_str(l, "volume_kg", buf);
		snprintf(buf, sizeof(buf), "%.2f", ln->usd_per_kg);
		set_str(l, "usd_per_kg", buf);
		set_str(l, "country_of_largest_smelt", ln->largest_smelt);
		set_str(l, "country_of_second_largest_smelt",
		    ln->second_smelt);
		set_str(l, "country_of_most_recent_cast",
		    ln->most_recent_cast);
		set_str(l, "country_of_melt_and_pour", ln->melt_and_pour);
		json_array_append_new(lines, l);
	}
	json_object_set_new(o, "lines", lines);
	return o;
}

json_t *
report_items_json(const struct report_item *it, size_t n)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; a != NULL && i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s}", "field",
		    it[i].field, "message", it[i].message));
	return a;
}
