#ifndef AIM_LIB_RAND_H
#define AIM_LIB_RAND_H

#include <stddef.h>

/*
 * n bytes from OpenSSL's CSPRNG, taken from a small pool of the
 * calling thread that one RAND_bytes call fills (one call costs about
 * 1.7 us whatever its size; a license and its email take two small
 * ones).  A process forked since the pool was filled fills its own:
 * no two processes hand out the same bytes.  Returns 0, or -1 when
 * OpenSSL could not supply them.
 */
int	 rand_fill(void *buf, size_t n);

#endif
