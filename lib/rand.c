/*
 * Random bytes for license numbers and Message-IDs, pooled.
 */
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "rand.h"

#define POOL_BYTES	512

static __thread unsigned char	pool[POOL_BYTES];
static __thread size_t		left;		/* unused bytes at the end */
static __thread pid_t		owner;		/* the process that filled it */

int
rand_fill(void *buf, size_t n)
{
	unsigned char	*out = buf;
	size_t		 k;
	pid_t		 pid = getpid();

	if (owner != pid) {
		OPENSSL_cleanse(pool, sizeof(pool));
		left = 0;
		owner = pid;
	}
	if (n > POOL_BYTES)
		return RAND_bytes(out, (int)n) == 1 ? 0 : -1;
	while (n > 0) {
		if (left == 0) {
			if (RAND_bytes(pool, POOL_BYTES) != 1)
				return -1;
			left = POOL_BYTES;
		}
		k = n < left ? n : left;
		/* Hand out from the end, and forget what was handed out. */
		memcpy(out, pool + left - k, k);
		OPENSSL_cleanse(pool + left - k, k);
		left -= k;
		out += k;
		n -= k;
	}
	return 0;
}
