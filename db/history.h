/*
 * The trailing-year history that Action Required compares a license
 * against, cached per day (stat_* tables) so a submit costs a few index
 * look-ups, not a scan of the year; each day's from the day before,
 * rolled forward (history.c).
 */
#ifndef AIM_HISTORY_H
#define AIM_HISTORY_H

#include "forms/license.h"
#include "forms/rules.h"
#include "db.h"

/* Fills hist[i] for each line of lic as of lic->application_date. */
enum db_err	 history_for(struct db *, const struct license *,
		    struct line_history *hist);
/* Records the current lines of a license (replacing earlier ones). */
enum db_err	 history_put(struct db *, int64_t license_id,
		    const char *issued_on, const struct license *);
/* The same for a license just stored, which has no earlier lines. */
enum db_err	 history_add(struct db *, int64_t license_id,
		    const char *issued_on, const struct license *);
/* Removes a license from the history (canceled). */
enum db_err	 history_drop(struct db *, int64_t license_id);
/*
 * Tests: the statistics of an HTS code, a product group and an origin
 * as of a day, from the trailing years the process keeps (rolled
 * forward to it) or, full, counted again from the lines.  Neither reads
 * nor writes the daily cache.
 */
enum db_err	 history_stats(struct db *, const char *hts, const char *group,
		    const char *origin, int day, int full,
		    struct line_history *);

#endif
