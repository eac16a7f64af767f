/*
 * The surge rule of the public monitor.
 */
#include "surge.h"

int
surge_is(int64_t grams, const int64_t prev[SURGE_TRAILING_MONTHS])
{
	int64_t	 sum = 0;
	int	 i;

	for (i = 0; i < SURGE_TRAILING_MONTHS; i++)
		sum += prev[i];
	/* In whole numbers, times the number of months: the month at
	 * least (100 + SURGE_MIN_PCT)% of the average, and at least
	 * SURGE_MIN_GRAMS above it. */
	return grams * SURGE_TRAILING_MONTHS * 100 >=
	    sum * (100 + SURGE_MIN_PCT) &&
	    grams * SURGE_TRAILING_MONTHS - sum >=
	    SURGE_MIN_GRAMS * SURGE_TRAILING_MONTHS;
}
