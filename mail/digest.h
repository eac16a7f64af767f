/*
 * SHA-256 of bytes that come in pieces (a large message fetched piece
 * by piece, an attachment decoded a megabyte at a time), in the hex of
 * lib/sha256.h.
 */
#ifndef AIM_DIGEST_H
#define AIM_DIGEST_H

#include <stddef.h>

#include "lib/sha256.h"

struct digest;

/* NULL when out of memory. */
struct digest	*digest_new(void);
/* 0, or -1 (OpenSSL failed). */
int		 digest_add(struct digest *, const void *, size_t);
/* The hex digest of all that was added; 0 or -1.  Frees d. */
int		 digest_end(struct digest *, char out[SHA256_HEX_LEN + 1]);
void		 digest_free(struct digest *);

#endif
