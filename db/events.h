/* The append-only event log: who did what, when, through which channel. */
#ifndef AIM_EVENTS_H
#define AIM_EVENTS_H

#include <stdint.h>

#include "db.h"

/* account_id or license_id <= 0: none. */
enum db_err	 event_add(struct db *, int64_t account_id, int64_t license_id,
		    const char *actor, const char *channel, const char *action,
		    const char *detail);

#endif
