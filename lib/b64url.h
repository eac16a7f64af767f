/*
 * Base64url without padding (RFC 4648 section 5): random tokens that
 * fit in cookies, URLs and headers unescaped.
 */
#ifndef AIM_B64URL_H
#define AIM_B64URL_H

#include <stddef.h>

/* Characters that n bytes encode to, without padding or the NUL. */
#define B64URL_LEN(n)	(((n) * 4 + 2) / 3)

/* Encodes n bytes into out with a NUL.  Returns the length, or 0 (out
 * set to "" if it has room) when out is smaller than B64URL_LEN(n) + 1. */
size_t	 b64url_encode(const unsigned char *in, size_t n, char *out,
	    size_t outsz);
/* nbytes from OpenSSL's CSPRNG, encoded into out.  Returns 0, or -1 if
 * the generator failed or out is too small. */
int	 b64url_random(size_t nbytes, char *out, size_t outsz);

#endif
