/*
 * Registry results and licenses as JSON for aimctl and the API (so
 * both show the same keys; see db/regjson.h).
 */
#include <stdio.h>

#include "forms/licjson.h"
#include "regjson.h"

json_t *
regjson_result(const struct reg_result *r)
{
	return json_pack("{s:s, s:s, s:i, s:s, s:s?, s:o}",
	    "license_number", r->number,
	    "status", status_names[r->status],
	    "version", r->version,
	    "valid_from", r->valid_from,
	    "valid_through", r->valid_through[0] ? r->valid_through : NULL,
	    "flags", report_items_json(r->report.flags, r->report.nflags));
}

/* Sets o[k] = v (taking v); remembers a failure in *bad. */
static void
put(json_t *o, const char *k, json_t *v, int *bad)
{
	if (v == NULL || json_object_set_new(o, k, v) == -1)
		*bad = 1;
}

/* A text, or null when empty. */
static json_t *
text_or_null(const char *s)
{
	return s[0] != '\0' ? json_string(s) : json_null();
}

/* Version i of v as JSON, or NULL (out of memory). */
static json_t *
version_json(const struct reg_view *v, size_t i)
{
	const struct reg_version	*rv = &v->versions[i];

	return json_pack("{s:i, s:s, s:s, s:s, s:o, s:o}", "version",
	    rv->version, "created_at", rv->created_at, "channel",
	    rv->channel, "actor", rv->actor ? rv->actor : "", "license",
	    license_json(rv->lic), "flags",
	    report_items_json(rv->flags.flags, rv->flags.nflags));
}

/* Event i of v as JSON, or NULL (out of memory). */
static json_t *
event_json(const struct reg_view *v, size_t i)
{
	const struct reg_event	*ev = &v->events[i];

	return json_pack("{s:s, s:s, s:s, s:s, s:s?}", "at", ev->at, "actor",
	    ev->actor ? ev->actor : "", "channel", ev->channel, "action",
	    ev->action, "detail", ev->detail);
}

/* The array of item(v, i) for i below n; NULL when one cannot be made. */
static json_t *
array_of(const struct reg_view *v, size_t n,
    json_t *(*item)(const struct reg_view *, size_t))
{
	json_t	*a;
	size_t	 i;

	if ((a = json_array()) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (json_array_append_new(a, item(v, i)) == -1) {
			json_decref(a);
			return NULL;
		}
	return a;
}

json_t *
regjson_view(const struct reg_view *v, int flags)
{
	const struct reg_version	*cur = NULL;
	json_t				*o;
	int				 bad = 0;

	if (v->nversions > 0)
		cur = &v->versions[v->nversions - 1];
	if ((o = json_object()) == NULL)
		return NULL;
	put(o, "license_number", json_string(v->number), &bad);
	put(o, "status", json_string(status_names[v->status]), &bad);
	put(o, "product", json_string(product_names[v->product]), &bad);
	put(o, "license_type", json_string(ltype_names[v->ltype]), &bad);
	put(o, "version", json_integer(v->version), &bad);
	put(o, "valid_from", json_string(v->valid_from), &bad);
	put(o, "valid_through", text_or_null(v->valid_through), &bad);
	put(o, "channel", json_string(v->channel), &bad);
	put(o, "created_at", json_string(v->created_at), &bad);
	put(o, "canceled_at", text_or_null(v->canceled_at), &bad);
	if (flags & REGJSON_HISTORY)
		put(o, "synthetic", json_boolean(v->synthetic), &bad);
	put(o, "license", cur != NULL ? license_json(cur->lic) : json_null(),
	    &bad);
	put(o, "flags", cur != NULL ? report_items_json(cur->flags.flags,
	    cur->flags.nflags) : json_array(), &bad);
	if (flags & REGJSON_HISTORY) {
		put(o, "versions", array_of(v, v->nversions, version_json),
		    &bad);
		put(o, "events", array_of(v, v->nevents, event_json), &bad);
	} else
		put(o, "version_count", json_integer(v->nversions), &bad);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}
