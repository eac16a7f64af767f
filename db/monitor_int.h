/*
 * What the monitor's writing (db/monitor.c) and reading
 * (db/monitor_read.c) share: the views of the roll-ups and the packed
 * shares column.  Not for other modules.
 */
#ifndef AIM_MONITOR_INT_H
#define AIM_MONITOR_INT_H

#include <stdint.h>

#include "monitor.h"

#define BIT(d)		(1u << (d))
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * The views: the dimensions each keeps (months always).  Each view a
 * line moves costs a filing some work and a page written (about 4% of
 * a submit each, measured), so there are two: the roll-up of every
 * dimension, and one without HTS-6, which answers every question on
 * groups, origins and where the metal was made.  A question on HTS-6
 * reads the full roll-up.
 */
enum view {
	VIEW_FULL = 0,
	VIEW_SRC = 2,	/* (1 was group by origin: a database rolled
			 * up before keeps such rows, unread, until
			 * aimctl history rebuild) */
	VIEW__MAX
};

extern const unsigned mon_views[VIEW__MAX];

/* What a dimension the license left blank is called. */
#define NOT_REPORTED	"not reported"

/* The shares column: an importer id (4 bytes) and cents (8 bytes),
 * little-endian, ordered by id. */
#define SHARE_BYTES	12

static inline uint32_t
share_imp(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static inline int64_t
share_cents(const unsigned char *p)
{
	uint64_t	 v = 0;
	int		 i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[4 + i];
	return (int64_t)v;
}

/* Distinct importers and the largest value of a shares column. */
void		 mon_share_stats(const unsigned char *sh, size_t n,
		    int64_t *importers, int64_t *top);

/* A text column, "" for NULL. */
const char	*mon_col_text(sqlite3_stmt *, int);

#endif
