/*
 * The time of the web tables (sessions, codes, tokens, the sign-in
 * throttle), as ISO UTC text that compares in time order.  Tests set
 * db->now instead of sleeping.
 */
#ifndef AIM_CLOCK_H
#define AIM_CLOCK_H

#include <time.h>

#include "db.h"

#define CLOCK_ISO_LEN	20	/* YYYY-MM-DDTHH:MM:SSZ */

/* db->now if set, else the system clock. */
time_t	 clock_now(const struct db *);
/* t as YYYY-MM-DDTHH:MM:SSZ into out (CLOCK_ISO_LEN + 1 bytes). */
void	 clock_iso(time_t t, char out[CLOCK_ISO_LEN + 1]);

#endif
