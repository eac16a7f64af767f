/*
 * JSON shapes aimctl prints: results of a change and whole licenses,
 * in the shapes of db/regjson.c that the API shows too.
 */
#include <stdio.h>

#include "forms/licjson.h"
#include "db/regjson.h"
#include "out.h"

json_t *
out_result(const struct reg_result *r)
{
	return regjson_result(r);
}

json_t *
out_errors(const struct report *r)
{
	return report_items_json(r->errors, r->nerrors);
}

json_t *
out_view(const struct reg_view *v)
{
	/* Operators see the whole history. */
	return regjson_view(v, REGJSON_HISTORY);
}
