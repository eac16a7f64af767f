/*
 * mail/decode.c: RFC 2047 encoded words, RFC 2231 parameters, charsets
 * (iconv) and HTML to text.  Its promise: whatever the input, the
 * result is valid UTF-8 without NUL bytes, within the size asked.
 * The first byte picks a charset and a size; the rest is the text.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/limits.h"
#include "mail/decode.h"
#include "fuzz.h"

/* Names as mail carries them, good and bad, and none. */
static const char *const charsets[16] = {
	NULL, "", "utf-8", "ISO-8859-1", "windows-1252", "Shift_JIS",
	"ISO-2022-JP", "UTF-7", "utf-16", "ks_c_5601-1987", "gb2312",
	"big5", "KOI8-R", "x-unknown", "UTF-32LE", "iso-8859-8-i",
};
/* Sizes a caller may cut at, from one byte up. */
static const size_t maxes[8] = {
	LIM_MAIL_TEXT_BYTES, 1, 2, 3, 4, 5, 7, 64,
};
static const char *const params[4] = {
	"filename", "name", "charset", "boundary",
};

static void
ok(char *s, size_t len, size_t max)
{
	if (s == NULL)
		return;
	FUZZ_ASSERT(strlen(s) == len && len <= max &&
	    fuzz_text_ok(s, len));
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*in = (const char *)data + 1, *cs, *type;
	char		*s, *html, *name;
	size_t		 n, max, len, hlen;
	int		 cut;

	if (size == 0)
		return 0;
	n = size - 1;
	cs = charsets[data[0] & 15];
	max = maxes[(data[0] >> 4) & 7];

	len = 0;
	if ((s = decode_charset(cs, in, n, max, &len, &cut)) != NULL) {
		FUZZ_ASSERT(strlen(s) == len && len <= max &&
		    fuzz_text_ok(s, len));
		/* Bodies are decoded, then an HTML one made text. */
		hlen = 0;
		html = decode_html(s, len, max, &hlen, &cut);
		ok(html, hlen, max);
		free(s);
	}
	if ((s = decode_header(in, n)) != NULL)
		ok(s, strlen(s), (size_t)-1);
	if ((s = decode_header_cs(in, n, cs)) != NULL)
		ok(s, strlen(s), (size_t)-1);
	if ((s = decode_ctype(in, n)) != NULL)
		ok(s, strlen(s), (size_t)-1);
	if ((s = decode_param(in, n, params[data[0] >> 6])) != NULL)
		ok(s, strlen(s), (size_t)-1);
	/* A decoded filename gives a type by its extension. */
	name = fuzz_strdup((const uint8_t *)in, n);
	type = decode_guess_type(name);
	FUZZ_ASSERT(type != NULL && strchr(type, '/') != NULL);
	free(name);
	return 0;
}
