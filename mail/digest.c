/*
 * Incremental SHA-256 on OpenSSL's EVP interface.
 */
#include <stdio.h>
#include <stdlib.h>

#include <openssl/evp.h>

#include "digest.h"

struct digest {
	EVP_MD_CTX	*md;
};

struct digest *
digest_new(void)
{
	struct digest	*d;

	if ((d = malloc(sizeof(*d))) == NULL)
		return NULL;
	if ((d->md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(d->md, EVP_sha256(), NULL) != 1) {
		digest_free(d);
		return NULL;
	}
	return d;
}

int
digest_add(struct digest *d, const void *p, size_t n)
{
	return n == 0 || EVP_DigestUpdate(d->md, p, n) == 1 ? 0 : -1;
}

int
digest_end(struct digest *d, char out[SHA256_HEX_LEN + 1])
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 n = 0, i;
	int		 rc = -1;

	out[0] = '\0';
	if (EVP_DigestFinal_ex(d->md, md, &n) == 1 &&
	    n * 2 == SHA256_HEX_LEN) {
		for (i = 0; i < n; i++)
			snprintf(out + 2 * i, 3, "%02x", md[i]);
		rc = 0;
	}
	digest_free(d);
	return rc;
}

void
digest_free(struct digest *d)
{
	if (d == NULL)
		return;
	EVP_MD_CTX_free(d->md);
	free(d);
}
