/*
 * Checked licenses and reports as JSON (jansson), the shape every JSON
 * face of the system shows: the vocabulary keys, plus what the system
 * derives (product group, unit value).
 */
#ifndef AIM_LICJSON_H
#define AIM_LICJSON_H

#include <jansson.h>

#include "form.h"
#include "license.h"

json_t	*license_json(const struct license *);
/* [{"field": ..., "message": ...}, ...] of errors or flags. */
json_t	*report_items_json(const struct report_item *, size_t);

#endif
