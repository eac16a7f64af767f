/*
 * Registry outcomes as JSON: the one shape every JSON face (aimctl,
 * the API) shows for the result of a change and for a license as it
 * stands.  No database access: it only formats registry structures.
 */
#ifndef AIM_REGJSON_H
#define AIM_REGJSON_H

#include <jansson.h>

#include "registry.h"

/* {"license_number", "status", "version", "valid_from", "valid_through",
 * "flags"} after a change; valid_through is null when it never expires. */
json_t	*regjson_result(const struct reg_result *);

/* regjson_view flags. */
#define REGJSON_HISTORY	0x01	/* every version and event (operators) */

/*
 * A license: number, status, product, type, version, validity, channel,
 * creation and cancel times, the current values ("license") and flags.
 * With REGJSON_HISTORY also "synthetic", "versions" and "events";
 * without it "version_count".  NULL when out of memory.
 */
json_t	*regjson_view(const struct reg_view *, int flags);

#endif
