/*
 * Surges of the public monitor (DOMAIN.md section 10 decision): a
 * product group from a country of origin whose month exceeds its
 * trailing 3-month average by 50% or more and by at least 100 metric
 * tons.
 */
#ifndef AIM_SURGE_H
#define AIM_SURGE_H

#include <stdint.h>

#define SURGE_TRAILING_MONTHS	3
#define SURGE_MIN_PCT		50
#define SURGE_MIN_GRAMS		(100LL * 1000 * 1000)	/* 100 t */

/*
 * Whether a month of grams surges over the SURGE_TRAILING_MONTHS months
 * before it (prev, any order; a month without imports is 0).  An
 * average of 0 makes any month of at least 100 t a surge.
 */
int	 surge_is(int64_t grams, const int64_t prev[SURGE_TRAILING_MONTHS]);

#endif
