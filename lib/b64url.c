/*
 * Base64url without padding.
 */
#include <stddef.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "b64url.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t
b64url_encode(const unsigned char *in, size_t n, char *out, size_t outsz)
{
	unsigned long	 v;
	size_t		 i, o = 0, left;

	/* Checked before multiplying: n * 4 must not wrap. */
	if (outsz == 0 || n > (outsz - 1) / 4 * 3 + 2 ||
	    B64URL_LEN(n) >= outsz) {
		if (outsz > 0)
			out[0] = '\0';
		return 0;
	}
	for (i = 0; i < n; i += 3) {
		left = n - i;
		v = (unsigned long)in[i] << 16;
		if (left > 1)
			v |= (unsigned long)in[i + 1] << 8;
		if (left > 2)
			v |= in[i + 2];
		out[o++] = alphabet[(v >> 18) & 63];
		out[o++] = alphabet[(v >> 12) & 63];
		if (left > 1)
			out[o++] = alphabet[(v >> 6) & 63];
		if (left > 2)
			out[o++] = alphabet[v & 63];
	}
	out[o] = '\0';
	return o;
}

int
b64url_random(size_t nbytes, char *out, size_t outsz)
{
	unsigned char	 rnd[64];
	int		 rc = -1;

	if (outsz > 0)
		out[0] = '\0';
	if (nbytes == 0 || nbytes > sizeof(rnd) ||
	    RAND_bytes(rnd, (int)nbytes) != 1)
		goto out;
	if (b64url_encode(rnd, nbytes, out, outsz) == 0)
		goto out;
	rc = 0;
out:
	/* The bytes are a secret (a session or API token). */
	OPENSSL_cleanse(rnd, sizeof(rnd));
	return rc;
}
