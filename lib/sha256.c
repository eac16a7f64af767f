/*
 * SHA-256 through OpenSSL's EVP interface.
 */
#include <stddef.h>
#include <pthread.h>

#include <openssl/evp.h>

#include "sha256.h"

/* Fetched once: with EVP_sha256() OpenSSL 3 looks the algorithm up
 * again on every digest, which cost more than hashing a token. */
static EVP_MD		*sha256_md;
static pthread_once_t	 sha256_once = PTHREAD_ONCE_INIT;

static void
sha256_fetch(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

int
sha256_hex(const void *in, size_t n, char out[SHA256_HEX_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 len = 0, i;

	out[0] = '\0';
	pthread_once(&sha256_once, sha256_fetch);
	if (EVP_Digest(in, n, md, &len, sha256_md != NULL ? sha256_md :
	    EVP_sha256(), NULL) != 1 || len * 2 != SHA256_HEX_LEN)
		return -1;
	for (i = 0; i < len; i++) {
		out[i * 2] = hex[md[i] >> 4];
		out[i * 2 + 1] = hex[md[i] & 15];
	}
	out[SHA256_HEX_LEN] = '\0';
	return 0;
}
