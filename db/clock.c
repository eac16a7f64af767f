/*
 * Now, injectable, as text.
 */
#include <stdio.h>
#include <time.h>

#include "clock.h"

/* 9999-12-31T23:59:59Z: past it the text would not sort as time. */
#define CLOCK_MAX	253402300799LL

time_t
clock_now(const struct db *db)
{
	return db != NULL && db->now != 0 ? db->now : time(NULL);
}

void
clock_iso(time_t t, char out[CLOCK_ISO_LEN + 1])
{
	struct tm	 tm;

	if (t < 0)
		t = 0;
	if ((long long)t > CLOCK_MAX)
		t = (time_t)CLOCK_MAX;
	if (gmtime_r(&t, &tm) == NULL || strftime(out, CLOCK_ISO_LEN + 1,
	    "%Y-%m-%dT%H:%M:%SZ", &tm) != CLOCK_ISO_LEN)
		snprintf(out, CLOCK_ISO_LEN + 1, "1970-01-01T00:00:00Z");
}
