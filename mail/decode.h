/*
 * Decoding what an email carries into UTF-8: charsets (iconv), RFC
 * 2047 encoded words in headers, RFC 2231 parameters (filename*=,
 * filename*0*= continuations) and HTML bodies turned into text.
 *
 * Everything returned is valid UTF-8 without NUL bytes, whatever the
 * input: bytes a charset cannot decode, and every byte of an unknown
 * charset that is not valid UTF-8, become U+FFFD.  Results are
 * malloc'd; NULL means out of memory unless said otherwise.
 */
#ifndef AIM_DECODE_H
#define AIM_DECODE_H

#include <stddef.h>

/*
 * Converts n bytes in charset (a MIME name: "ISO-8859-1", "Shift_JIS",
 * "ks_c_5601-1987" ...; NULL or "" for none given) to UTF-8 of at most
 * max bytes.  Past max the text is cut at a character and *cut set
 * (cut may be NULL).  Its length goes to *outlen (may be NULL).
 */
char	*decode_charset(const char *charset, const char *in, size_t n,
	    size_t max, size_t *outlen, int *cut);

/*
 * A header value (folded or not) to one line of UTF-8: RFC 2047
 * encoded words decoded (adjacent words joined, so a character split
 * across words survives), raw 8-bit text taken as UTF-8 when it is,
 * else as windows-1252, line breaks and tabs made spaces, leading and
 * trailing blanks dropped.
 */
char	*decode_header(const char *in, size_t n);
/* The same, raw 8-bit text that is not UTF-8 taken in charset fallback
 * (the message's own charset: old clients write headers in it). */
char	*decode_header_cs(const char *in, size_t n, const char *fallback);

/*
 * The type/subtype of a Content-Type value, lower case ("text/plain"),
 * or NULL (also out of memory) when there is none that looks right.
 */
char	*decode_ctype(const char *value, size_t n);

/*
 * Parameter name (lower case, such as "filename", "name", "charset",
 * "boundary") of a Content-Type or Content-Disposition value: RFC 2231
 * forms first (name*=charset'lang'%XX, name*0= / name*0*= ...
 * continuations), else name=, quoted or not, with encoded words and
 * raw 8-bit decoded as decode_header does.  Lenient as mail clients
 * are: an unquoted value runs to the next ';' even across spaces.
 * NULL when absent (or out of memory).
 */
char	*decode_param(const char *value, size_t n, const char *name);

/*
 * HTML (n bytes, already UTF-8) to readable text of at most max bytes
 * (*cut set past it): tags dropped, entities decoded, scripts and
 * styles left out, a line break at each block element, "> " before
 * the lines of a blockquote.  Never parses more than it is given and
 * loads nothing from the network.
 */
char	*decode_html(const char *in, size_t n, size_t max, size_t *outlen,
	    int *cut);

/* A MIME type for a file name by its extension ("a.PDF" gives
 * "application/pdf"), "application/octet-stream" when unknown. */
const char *decode_guess_type(const char *name);

/*
 * Base64 as mail clients send it, decoded as libetpan decodes it (but
 * in one pass, in pieces if need be): every byte outside the alphabet,
 * '=' included, is skipped, and a last group of 2 or 3 characters gives
 * 1 or 2 bytes.  decode_base64 writes the bytes of n characters to out
 * (room for decode_base64_size of them, or n / 4 * 3 + 3) and returns
 * how many; the group
 * left open carries over in st (zeroed first); decode_base64_end writes
 * what it holds (at most 2 bytes).
 */
struct base64_state {
	unsigned char	 q[4];
	int		 n;
};
size_t	 decode_base64(struct base64_state *st, const char *in, size_t n,
	    unsigned char *out);
size_t	 decode_base64_end(struct base64_state *st, unsigned char *out);
/* The exact size of the bytes n characters of base64 decode to. */
size_t	 decode_base64_size(const char *in, size_t n);

#endif
