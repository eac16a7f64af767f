#ifndef AIM_OUT_H
#define AIM_OUT_H

#include <jansson.h>

#include "db/registry.h"

/* {"license_number", "status", "version", "valid_from", "valid_through",
 * "flags"} after a change. */
json_t	*out_result(const struct reg_result *);
/* [{"field", "message"}] of a report's errors. */
json_t	*out_errors(const struct report *);
/* A whole license: current values, every version, every event. */
json_t	*out_view(const struct reg_view *);

#endif
