/*
 * UTF-8 checks shared by the mail decoder, the XML writer and the
 * fuzz targets.
 */
#include <string.h>

#include "utf8.h"

/*
 * Length of the valid UTF-8 sequence at s (n bytes left), or 0 if the
 * bytes there are not one: overlong forms, surrogates and code points
 * past U+10FFFF are not.
 */
size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned long	 cp;
	size_t		 len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

int
utf8_valid(const char *in, size_t n)
{
	const unsigned char	*s = (const unsigned char *)in;
	size_t			 i = 0, l;

	while (i < n) {
		if ((l = utf8_seq(s + i, n - i)) == 0)
			return 0;
		i += l;
	}
	return 1;
}

void
utf8_trim_cut(char *s)
{
	unsigned char	*u = (unsigned char *)s;
	size_t		 n = strlen(s), p = n, k;

	/* Back over up to 3 continuation bytes to the last lead byte. */
	for (k = 0; p > 0 && k < 3 && (u[p - 1] & 0xc0) == 0x80; k++)
		p--;
	if (p == 0 || u[p - 1] < 0xc0)
		return;
	p--;
	if (utf8_seq(u + p, n - p) != n - p)
		s[p] = '\0';
}
