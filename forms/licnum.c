/*
 * License numbers (DOMAIN.md section 3 decision): 8 payload symbols
 * from the CSPRNG and one Luhn mod 32 check symbol, over an alphabet
 * without I, L, O and U so that no symbol reads as another.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/limits.h"
#include "lib/rand.h"
#include "licnum.h"

#define LICNUM_PAYLOAD	8
#define LICNUM_BASE	32

static const char alphabet[LICNUM_BASE + 1] =
    "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* A symbol's value (its position in the alphabet), or -1. */
static int
symbol_value(char c)
{
	const char	*p;

	if (c >= 'a' && c <= 'z')
		c = c - 'a' + 'A';
	/* strchr would match the terminating NUL. */
	if (c == '\0' || (p = strchr(alphabet, c)) == NULL)
		return -1;
	return (int)(p - alphabet);
}

/*
 * Luhn mod N with N = 32: doubling every other value starting with the
 * rightmost payload value and folding d into d / 32 + d % 32 is a
 * permutation of 0..31, so every single substitution changes the sum.
 * Returns the check value, or -1 if a payload value is out of range.
 */
int
licnum_check_value(const int payload[8])
{
	int	 i, v, sum = 0;

	for (i = LICNUM_PAYLOAD - 1; i >= 0; i--) {
		v = payload[i];
		if (v < 0 || v >= LICNUM_BASE)
			return -1;
		if ((LICNUM_PAYLOAD - 1 - i) % 2 == 0) {
			v *= 2;
			v = v / LICNUM_BASE + v % LICNUM_BASE;
		}
		sum += v;
	}
	return (LICNUM_BASE - sum % LICNUM_BASE) % LICNUM_BASE;
}

int
licnum_generate(char out[LICNUM_LEN + 1])
{
	unsigned char	 rnd[5];	/* 40 bits: 8 symbols of 5 bits */
	uint64_t	 bits = 0;
	int		 payload[LICNUM_PAYLOAD];
	int		 i;

	out[0] = '\0';
	if (rand_fill(rnd, sizeof(rnd)) == -1)
		return -1;
	for (i = 0; i < (int)sizeof(rnd); i++)
		bits = (bits << 8) | rnd[i];
	/* Whole 5-bit groups, so every symbol is equally likely. */
	for (i = 0; i < LICNUM_PAYLOAD; i++) {
		payload[i] = (int)(bits & (LICNUM_BASE - 1));
		bits >>= 5;
		out[i] = alphabet[payload[i]];
	}
	out[LICNUM_PAYLOAD] = alphabet[licnum_check_value(payload)];
	out[LICNUM_LEN] = '\0';
	return 0;
}

int
licnum_normalize(const char *in, char out[LICNUM_LEN + 1])
{
	char	 buf[LICNUM_LEN + 1];
	int	 payload[LICNUM_PAYLOAD];
	int	 v, check = -1;
	size_t	 i, n = 0;

	out[0] = '\0';
	if (in == NULL)
		return -1;
	for (i = 0; in[i] != '\0'; i++) {
		/* Separators make the input longer; still bound it. */
		if (i >= LIM_FIELD_BYTES)
			return -1;
		if (in[i] == ' ' || in[i] == '-')
			continue;
		if ((v = symbol_value(in[i])) == -1 || n == LICNUM_LEN)
			return -1;
		if (n < LICNUM_PAYLOAD)
			payload[n] = v;
		else
			check = v;
		buf[n++] = alphabet[v];
	}
	if (n != LICNUM_LEN || licnum_check_value(payload) != check)
		return -1;
	buf[n] = '\0';
	memcpy(out, buf, sizeof(buf));
	return 0;
}
