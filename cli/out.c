/*
 * JSON shapes aimctl prints: results of a change and whole licenses.
 */
#include <stdio.h>

#include "forms/licjson.h"
#include "db/registry.h"
#include "out.h"

json_t *
out_result(const struct reg_result *r)
{
	return json_pack("{s:s, s:s, s:i, s:s, s:o, s:o}",
	    "license_number", r->number,
	    "status", status_names[r->status],
	    "version", r->version,
	    "valid_from", r->valid_from,
	    "valid_through", r->valid_through[0] ?
	    json_string(r->valid_through) : json_null(),
	    "flags", report_items_json(r->report.flags, r->report.nflags));
}

json_t *
out_errors(const struct report *r)
{
	return report_items_json(r->errors, r->nerrors);
}

json_t *
out_view(const struct reg_view *v)
{
	json_t			*o, *vers, *evs, *cur = NULL;
	const struct reg_version *rv;
	const struct reg_event	*ev;
	size_t			 i;

	vers = json_array();
	for (i = 0; i < v->nversions; i++) {
		rv = &v->versions[i];
		json_array_append_new(vers, json_pack("{s:i, s:s, s:s, s:s, "
		    "s:o, s:o}", "version", rv->version, "created_at",
		    rv->created_at, "channel", rv->channel, "actor",
		    rv->actor ? rv->actor : "", "license",
		    license_json(rv->lic), "flags",
		    report_items_json(rv->flags.flags, rv->flags.nflags)));
	}
	evs = json_array();
	for (i = 0; i < v->nevents; i++) {
		ev = &v->events[i];
		json_array_append_new(evs, json_pack("{s:s, s:s, s:s, s:s, "
		    "s:s?}", "at", ev->at, "actor", ev->actor ? ev->actor : "",
		    "channel", ev->channel, "action", ev->action, "detail",
		    ev->detail));
	}
	if (v->nversions > 0) {
		rv = &v->versions[v->nversions - 1];
		cur = report_items_json(rv->flags.flags, rv->flags.nflags);
	}
	o = json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:o, s:s, s:s, s:o, "
	    "s:b, s:o?, s:o, s:o, s:o}",
	    "license_number", v->number,
	    "status", status_names[v->status],
	    "product", product_names[v->product],
	    "license_type", ltype_names[v->ltype],
	    "version", v->version,
	    "valid_from", v->valid_from,
	    "valid_through", v->valid_through[0] ?
	    json_string(v->valid_through) : json_null(),
	    "channel", v->channel,
	    "created_at", v->created_at,
	    "canceled_at", v->canceled_at[0] ? json_string(v->canceled_at) :
	    json_null(),
	    "synthetic", v->synthetic,
	    "license", v->nversions > 0 ?
	    license_json(v->versions[v->nversions - 1].lic) : NULL,
	    "flags", cur ? cur : json_array(),
	    "versions", vers,
	    "events", evs);
	return o;
}
