/*
 * What changed from one version of a license to the next, shared by
 * the filer's license page (pages_license.c) and the staff console's
 * (pages_staff_lic.c).
 */
#ifndef AIM_LICVIEW_H
#define AIM_LICVIEW_H

#include <jansson.h>

#include "forms/license.h"
#include "req.h"

/*
 * The changes field by field, from license_json of each version:
 * [{"field", "from", "to"}] with vocabulary paths ("exporter_name",
 * "lines[2].volume_kg"); a line added or removed is one change
 * "lines[N]" with from or to null.  NULL if out of memory.
 */
json_t	*licview_changes(const struct license *a, const struct license *b);
/* The changes as a list, "No field changed." when there are none. */
void	 licview_changes_list(struct req *, const struct license *prev,
	    const struct license *cur);
/* An event table's heading and head, for both license pages: 0 (and a
 * line saying so) when there are no events, else 1 with the tbody
 * open; the caller writes the rows and closes the tbody and table. */
int	 licview_events_begin(struct req *, const char *title,
	    const char *caption, size_t nevents);
/* A status name's index in status_names, -1 if none. */
int	 licview_status_index(const char *);
/* An Action Required reason under a value; nothing for NULL. */
void	 licview_flag_message(struct html *, const char *flag);

#endif
