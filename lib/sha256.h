/* SHA-256 as lower-case hex: how tokens and codes are stored. */
#ifndef AIM_SHA256_H
#define AIM_SHA256_H

#include <stddef.h>

#define SHA256_HEX_LEN	64

/* Writes the digest of n bytes into out (SHA256_HEX_LEN + 1 bytes).
 * Returns 0, or -1 (out set to "") if OpenSSL failed. */
int	 sha256_hex(const void *in, size_t n, char out[SHA256_HEX_LEN + 1]);

#endif
