/*
 * Possible duplicate licenses (issue 6): two licenses of one account
 * with the same importer, the same product lines (HTS codes, customs
 * values and kilograms) and import dates at most DUP_IMPORT_DAYS
 * apart, whatever channel each came by.  The database finds the
 * candidates (db/dupes.c); the rule is here, once.
 */
#ifndef AIM_DUPCHECK_H
#define AIM_DUPCHECK_H

#include <stddef.h>

#include "license.h"

/* Days two expected import dates may be apart. */
#define DUP_IMPORT_DAYS	7

/* 1 when the two import dates (lib/date.h days) are close enough. */
int	 dup_dates_close(int a, int b);
/*
 * 1 when a and b hold the same lines: each HTS code with the same
 * customs value and kilograms, as many times, in any order.  Licenses
 * without lines (low value) never match.
 */
int	 dup_same_lines(const struct license_line *a, size_t na,
	    const struct license_line *b, size_t nb);
/* 1 when the two importer names are the same (ASCII case and blanks
 * at either end aside). */
int	 dup_same_importer(const char *a, const char *b);

#endif
