/*
 * SHA-256 through OpenSSL's EVP interface.
 */
#include <stddef.h>

#include <openssl/evp.h>

#include "sha256.h"

int
sha256_hex(const void *in, size_t n, char out[SHA256_HEX_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 len = 0, i;

	out[0] = '\0';
	if (EVP_Digest(in, n, md, &len, EVP_sha256(), NULL) != 1 ||
	    len * 2 != SHA256_HEX_LEN)
		return -1;
	for (i = 0; i < len; i++) {
		out[i * 2] = hex[md[i] >> 4];
		out[i * 2 + 1] = hex[md[i] & 15];
	}
	out[SHA256_HEX_LEN] = '\0';
	return 0;
}
