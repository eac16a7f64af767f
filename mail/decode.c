/*
 * Charsets, encoded words, RFC 2231 parameters and HTML to UTF-8 text.
 * Every output passes through one UTF-8 writer that replaces what is
 * not valid, so nothing downstream (JSON, the database, a reply) ever
 * sees broken UTF-8 or a NUL byte.
 */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "lib/buf.h"
#include "lib/hex.h"
#include "lib/limits.h"
#include "lib/utf8.h"
#include "decode.h"

/* Bytes of a charset name we look at; real ones are under 20. */
#define CHARSET_MAX	40
/* Segments of one RFC 2231 continued parameter we join. */
#define PARAM_SEGMENTS	64
/* Bytes of a header value decoded; longer values are cut. */
#define HEADER_MAX	LIM_HEADER_BYTES
/* Bytes a charset conversion output grows by at a time. */
#define CONV_CHUNK	4096

static const char	 replacement[] = "\xef\xbf\xbd";	/* U+FFFD */

/*
 * MIME names mapped to the iconv charset that decodes them best: the
 * supersets mail clients really send under the older names.
 */
static const struct alias {
	const char	*mime;
	const char	*iconv;
} aliases[] = {
	{ "iso-8859-1", "WINDOWS-1252" },
	{ "iso8859-1", "WINDOWS-1252" },
	{ "iso_8859-1", "WINDOWS-1252" },
	{ "latin1", "WINDOWS-1252" },
	{ "latin-1", "WINDOWS-1252" },
	{ "l1", "WINDOWS-1252" },
	{ "cp819", "WINDOWS-1252" },
	{ "ks_c_5601-1987", "CP949" },
	{ "ks_c_5601", "CP949" },
	{ "ksc5601", "CP949" },
	{ "ksc_5601", "CP949" },
	{ "euc-kr", "CP949" },
	{ "korean", "CP949" },
	{ "gb2312", "GB18030" },
	{ "gbk", "GB18030" },
	{ "x-gbk", "GB18030" },
	{ "cp936", "GB18030" },
	{ "euc-cn", "GB18030" },
	{ "shift_jis", "CP932" },
	{ "shift-jis", "CP932" },
	{ "sjis", "CP932" },
	{ "x-sjis", "CP932" },
	{ "ms_kanji", "CP932" },
	{ "windows-31j", "CP932" },
	{ "iso-2022-jp", "ISO-2022-JP-3" },
	{ "csiso2022jp", "ISO-2022-JP-3" },
	{ "unicode-1-1-utf-7", "UTF-7" },
	{ "tis-620", "CP874" },
	{ "big5", "BIG5-HKSCS" },
};

enum cs_kind {
	CS_UTF8,	/* UTF-8 as is (invalid bytes replaced) */
	CS_ASCIIISH,	/* none or us-ascii: UTF-8 if it is, else cp1252 */
	CS_ICONV,
	CS_UNKNOWN	/* valid UTF-8 kept, every other byte replaced */
};

/* Appends one code point as UTF-8. */
static int
put_cp(struct buf *b, unsigned long cp)
{
	char	 s[4];

	if (cp < 0x80) {
		s[0] = (char)cp;
		return buf_add(b, s, 1);
	}
	if (cp < 0x800) {
		s[0] = (char)(0xc0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3f));
		return buf_add(b, s, 2);
	}
	if (cp < 0x10000) {
		s[0] = (char)(0xe0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[2] = (char)(0x80 | (cp & 0x3f));
		return buf_add(b, s, 3);
	}
	s[0] = (char)(0xf0 | (cp >> 18));
	s[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	s[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	s[3] = (char)(0x80 | (cp & 0x3f));
	return buf_add(b, s, 4);
}

/* Appends whole UTF-8 characters of s as long as they fit; -1 (and b
 * marked full) when not all did. */
static int
add_whole(struct buf *b, const unsigned char *s, size_t n)
{
	size_t	 room;

	if (b->overflow)
		return -1;
	room = b->max - b->len;
	if (n <= room)
		return buf_add(b, s, n);
	while (room > 0 && (s[room] & 0xc0) == 0x80)
		room--;
	if (room > 0)
		buf_add(b, s, room);
	b->overflow = 1;
	return -1;
}

/* windows-1252 0x80-0x9f; the rest of the set is Latin-1. */
static const unsigned short cp1252_high[32] = {
	0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd,
	0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178,
};

/*
 * Appends n bytes that should be UTF-8: valid sequences as they are,
 * NUL and each byte of an invalid sequence as U+FFFD, or, when
 * cp1252 is set, as the windows-1252 character of that byte.
 * Returns -1 when b is full.
 */
static int
put_utf8(struct buf *b, const char *in, size_t n, int cp1252)
{
	const unsigned char	*s = (const unsigned char *)in;
	size_t			 i = 0, l;
	int			 rc;

	while (i < n) {
		l = s[i] == '\0' ? 0 : utf8_seq(s + i, n - i);
		if (l > 0) {
			/* Runs of good bytes in one append. */
			size_t	 j = i + l;

			while (j < n && s[j] != '\0' &&
			    (l = utf8_seq(s + j, n - j)) > 0)
				j += l;
			rc = add_whole(b, s + i, j - i);
			i = j;
		} else if (cp1252 && s[i] >= 0x80) {
			rc = put_cp(b, s[i] < 0xa0 ?
			    cp1252_high[s[i] - 0x80] : s[i]);
			i++;
		} else {
			rc = buf_add(b, replacement, 3);
			i++;
		}
		if (rc == -1)
			return -1;
	}
	return 0;
}

/* A charset name as MIME gives it, lower case, quotes and RFC 2231
 * language ("utf-8*en") dropped.  Returns -1 if it does not look like
 * one (out is then ""). */
static int
charset_norm(const char *cs, char out[CHARSET_MAX + 1])
{
	size_t	 i = 0;

	out[0] = '\0';
	if (cs == NULL)
		return 0;
	while (*cs == ' ' || *cs == '\t' || *cs == '"' || *cs == '\'')
		cs++;
	for (; *cs != '\0' && *cs != '"' && *cs != '\'' && *cs != '*' &&
	    *cs != ' ' && *cs != '\t'; cs++) {
		/* iconv names are letters, digits and -_.:; no paths. */
		if ((!isalnum((unsigned char)*cs) && *cs != '-' &&
		    *cs != '_' && *cs != '.' && *cs != ':') ||
		    i == CHARSET_MAX) {
			out[0] = '\0';
			return -1;
		}
		out[i++] = (char)tolower((unsigned char)*cs);
	}
	out[i] = '\0';
	return 0;
}

static enum cs_kind
charset_kind(const char *cs, char name[CHARSET_MAX + 1], iconv_t *cd)
{
	size_t	 i;

	if (charset_norm(cs, name) == -1)
		return CS_UNKNOWN;
	if (name[0] == '\0' || strcmp(name, "us-ascii") == 0 ||
	    strcmp(name, "ascii") == 0 || strcmp(name, "ansi_x3.4-1968") == 0)
		return CS_ASCIIISH;
	if (strcmp(name, "utf-8") == 0 || strcmp(name, "utf8") == 0)
		return CS_UTF8;
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(name, aliases[i].mime) == 0) {
			*cd = iconv_open("UTF-8", aliases[i].iconv);
			return *cd == (iconv_t)-1 ? CS_UNKNOWN : CS_ICONV;
		}
	*cd = iconv_open("UTF-8", name);
	return *cd == (iconv_t)-1 ? CS_UNKNOWN : CS_ICONV;
}

/*
 * Runs iconv over in, appending UTF-8 to b through put_utf8 (iconv's
 * UTF-8 is valid, but UTF-7 can smuggle surrogates).  An undecodable
 * byte becomes U+FFFD and decoding goes on after it.
 */
static int
conv_iconv(iconv_t cd, struct buf *b, const char *in, size_t n)
{
	char	 out[CONV_CHUNK], *ip = (char *)in, *op;
	size_t	 il = n, ol, r;
	int	 flush = 0;

	for (;;) {
		op = out;
		ol = sizeof(out);
		if (!flush)
			r = iconv(cd, &ip, &il, &op, &ol);
		else
			r = iconv(cd, NULL, NULL, &op, &ol);
		if (put_utf8(b, out, (size_t)(op - out), 0) == -1)
			return -1;
		if (r != (size_t)-1) {
			if (flush)
				return 0;
			if (il == 0)
				flush = 1;
			continue;
		}
		if (errno == E2BIG)
			continue;
		/* EILSEQ, or EINVAL: a sequence cut off at the end. */
		if (buf_add(b, replacement, 3) == -1)
			return -1;
		if (errno == EINVAL || il == 0) {
			flush = 1;
			il = 0;
			continue;
		}
		ip++;
		il--;
		/* Back to the initial shift state of a stateful charset. */
		iconv(cd, NULL, NULL, NULL, NULL);
	}
}

/* Appends in converted from charset to b; -1 when b is full. */
static int
conv_append(struct buf *b, const char *charset, const char *in, size_t n)
{
	char		 name[CHARSET_MAX + 1];
	iconv_t		 cd = (iconv_t)-1;
	int		 rc;

	switch (charset_kind(charset, name, &cd)) {
	case CS_UTF8:
	case CS_UNKNOWN:
		return put_utf8(b, in, n, 0);
	case CS_ASCIIISH:
		/* Undeclared 8-bit text: UTF-8 when it is, else cp1252. */
		return put_utf8(b, in, n, !utf8_valid(in, n));
	case CS_ICONV:
		break;
	}
	rc = conv_iconv(cd, b, in, n);
	iconv_close(cd);
	return rc;
}

/* Cuts b back to its last whole UTF-8 character (a safety net: every
 * append puts whole characters). */
static void
cut_to_char(struct buf *b)
{
	const unsigned char	*p = (const unsigned char *)b->p;
	size_t			 i = b->len, lead;

	if (b->p == NULL)
		return;
	while (i > 0 && (p[i - 1] & 0xc0) == 0x80)
		i--;
	if (i > 0 && p[i - 1] >= 0xc0) {
		lead = i - 1;
		if (utf8_seq(p + lead, b->len - lead) == b->len - lead)
			return;
		i = lead;
	} else if (i == b->len)
		return;
	b->len = i;
	b->p[i] = '\0';
}

/* Gives the buffer's string away (an empty one when nothing was put). */
static char *
buf_take(struct buf *b, size_t *outlen)
{
	char	*s;

	if (b->p == NULL) {
		if ((s = strdup("")) == NULL)
			return NULL;
		if (outlen != NULL)
			*outlen = 0;
		return s;
	}
	s = b->p;
	if (outlen != NULL)
		*outlen = b->len;
	b->p = NULL;
	b->len = b->cap = 0;
	return s;
}

char *
decode_charset(const char *charset, const char *in, size_t n, size_t max,
    size_t *outlen, int *cut)
{
	struct buf	 b;

	buf_init(&b, max);
	if (conv_append(&b, charset, in, n) == -1) {
		cut_to_char(&b);
		if (cut != NULL)
			*cut = 1;
	}
	return buf_take(&b, outlen);
}

/* Base64: 0..63 for the alphabet, 64 for anything else. */
static const unsigned char b64tab[256] = {
#define X 64
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, 62, X, X, X, 63,
	52, 53, 54, 55, 56, 57, 58, 59, 60, 61, X, X, X, X, X, X,
	X, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
	15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, X, X, X, X, X,
	X, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
	41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
#undef X
};

static int
b64val(int c)
{
	return b64tab[c & 0xff] == 64 ? -1 : b64tab[c & 0xff];
}

/* Decodes base64 leniently (skipping what is not base64) into out,
 * which has room for n bytes; returns the bytes written. */
static size_t
b64_decode(const char *in, size_t n, char *out)
{
	size_t		 i, o = 0;
	unsigned long	 acc = 0;
	int		 bits = 0, v;

	for (i = 0; i < n; i++) {
		if (in[i] == '=')
			break;
		if ((v = b64val((unsigned char)in[i])) < 0)
			continue;
		acc = (acc << 6) | (unsigned long)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	return o;
}

/* The Q encoding of RFC 2047: '_' is a space, =XX a byte. */
static size_t
q_decode(const char *in, size_t n, char *out)
{
	size_t	 i, o = 0;
	int	 h, l;

	for (i = 0; i < n; i++) {
		if (in[i] == '_')
			out[o++] = ' ';
		else if (in[i] == '=' && i + 2 < n &&
		    (h = hex_digit((unsigned char)in[i + 1])) >= 0 &&
		    (l = hex_digit((unsigned char)in[i + 2])) >= 0) {
			out[o++] = (char)(h << 4 | l);
			i += 2;
		} else
			out[o++] = in[i];
	}
	return o;
}

/* One encoded word =?charset?E?text?= found at s. */
struct eword {
	const char	*cs;		/* charset, cslen bytes */
	size_t		 cslen;
	int		 enc;		/* 'B' or 'Q' */
	const char	*text;
	size_t		 textlen;
	size_t		 len;		/* of the whole word */
};

static int
eword_parse(const char *s, size_t n, struct eword *w)
{
	size_t	 i = 2, j;

	if (n < 8 || s[0] != '=' || s[1] != '?')
		return 0;
	w->cs = s + 2;
	while (i < n && s[i] != '?' && s[i] != ' ' && s[i] != '\t')
		i++;
	if (i >= n || s[i] != '?' || i == 2 || i - 2 > CHARSET_MAX)
		return 0;
	w->cslen = i - 2;
	if (i + 2 >= n || s[i + 2] != '?')
		return 0;
	w->enc = toupper((unsigned char)s[i + 1]);
	if (w->enc != 'B' && w->enc != 'Q')
		return 0;
	w->text = s + i + 3;
	/* The text ends at the first "?="; no spaces inside, though
	 * broken senders put some in Q words: allow, but not lines. */
	for (j = i + 3; j + 1 < n; j++) {
		if (s[j] == '?' && s[j + 1] == '=')
			break;
		if (s[j] == '\r' || s[j] == '\n')
			return 0;
	}
	if (j + 1 >= n)
		return 0;
	w->textlen = j - (i + 3);
	w->len = j + 2;
	return 1;
}

/*
 * Decodes a header value into b: runs of encoded words in one charset
 * are joined before conversion; raw text goes through put_utf8 with
 * the cp1252 fallback.  Blanks between two encoded words are dropped.
 */
static int
raw_append(struct buf *b, const char *in, size_t n, const char *fallback)
{
	if (utf8_valid(in, n))
		return put_utf8(b, in, n, 0);
	if (fallback != NULL)
		return conv_append(b, fallback, in, n);
	return put_utf8(b, in, n, 1);
}

static int
header_append(struct buf *b, const char *in, size_t n, const char *fallback)
{
	struct eword	 w, first = { NULL, 0, 0, NULL, 0, 0 };
	char		*bytes = NULL, cs[CHARSET_MAX + 1];
	size_t		 i = 0, raw = 0, nb = 0, k;
	int		 rc = -1, inrun = 0;

	/* Decoded bytes are never longer than the encoded text. */
	if ((bytes = malloc(n + 1)) == NULL)
		return -1;
	while (i < n) {
		if (in[i] == '=' && i + 1 < n && in[i + 1] == '?' &&
		    eword_parse(in + i, n - i, &w)) {
			/* Blanks between two encoded words vanish. */
			k = raw;
			while (k < i && (in[k] == ' ' || in[k] == '\t' ||
			    in[k] == '\r' || in[k] == '\n'))
				k++;
			if (!(inrun && k == i) && i > raw) {
				if (inrun) {
					memcpy(cs, first.cs, first.cslen);
					cs[first.cslen] = '\0';
					if (conv_append(b, cs, bytes, nb) == -1)
						goto out;
					inrun = 0;
					nb = 0;
				}
				if (raw_append(b, in + raw, i - raw,
				    fallback) == -1)
					goto out;
			}
			if (inrun && (w.cslen != first.cslen ||
			    strncasecmp(w.cs, first.cs, w.cslen) != 0)) {
				memcpy(cs, first.cs, first.cslen);
				cs[first.cslen] = '\0';
				if (conv_append(b, cs, bytes, nb) == -1)
					goto out;
				nb = 0;
				inrun = 0;
			}
			if (!inrun)
				first = w;
			inrun = 1;
			nb += w.enc == 'B' ? b64_decode(w.text, w.textlen,
			    bytes + nb) : q_decode(w.text, w.textlen, bytes + nb);
			i += w.len;
			raw = i;
			continue;
		}
		i++;
	}
	if (inrun) {
		memcpy(cs, first.cs, first.cslen);
		cs[first.cslen] = '\0';
		if (conv_append(b, cs, bytes, nb) == -1)
			goto out;
	}
	if (raw < n && raw_append(b, in + raw, n - raw, fallback) == -1)
		goto out;
	rc = 0;
out:
	free(bytes);
	return rc;
}

/* Makes a decoded header one line: controls become spaces, runs of
 * blanks one space, no blanks at either end. */
static void
one_line(struct buf *b)
{
	size_t	 i, o = 0;
	int	 sp = 1;
	char	 c;

	for (i = 0; i < b->len; i++) {
		c = b->p[i];
		if ((unsigned char)c < 0x20 || c == 0x7f)
			c = ' ';
		if (c == ' ') {
			if (sp)
				continue;
			sp = 1;
		} else
			sp = 0;
		b->p[o++] = c;
	}
	while (o > 0 && b->p[o - 1] == ' ')
		o--;
	b->len = o;
	if (b->p != NULL)
		b->p[o] = '\0';
}

char *
decode_header(const char *in, size_t n)
{
	return decode_header_cs(in, n, NULL);
}

char *
decode_header_cs(const char *in, size_t n, const char *fallback)
{
	struct buf	 b;

	buf_init(&b, HEADER_MAX);
	if (header_append(&b, in, n, fallback) == -1) {
		if (!b.overflow) {
			buf_free(&b);
			return NULL;
		}
		cut_to_char(&b);
	}
	one_line(&b);
	return buf_take(&b, NULL);
}

static int
tokenchar(int c)
{
	return c > 0x20 && c < 0x7f && strchr("()<>@,;:\\\"/[]?=", c) == NULL;
}

char *
decode_ctype(const char *v, size_t n)
{
	size_t	 i = 0, t0, slash = 0, k;
	char	*s;

	while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == '\r' ||
	    v[i] == '\n'))
		i++;
	t0 = i;
	while (i < n && (tokenchar((unsigned char)v[i]) || v[i] == '/')) {
		if (v[i] == '/') {
			if (slash)
				return NULL;
			slash = i;
		}
		i++;
	}
	if (slash == 0 || slash == t0 || slash + 1 == i)
		return NULL;
	if ((s = malloc(i - t0 + 1)) == NULL)
		return NULL;
	for (k = t0; k < i; k++)
		s[k - t0] = (char)tolower((unsigned char)v[k]);
	s[i - t0] = '\0';
	return s;
}

/* One parameter as written: name (lower case) and raw value. */
struct param {
	char		 name[64];
	const char	*v;		/* value; quotes removed by unquote */
	size_t		 vlen;
	int		 quoted;
};

/*
 * Next parameter of a header value from *pos: skips the leading type
 * and anything unparsable up to a ';'.  Returns 0 at the end.
 */
static int
param_next(const char *s, size_t n, size_t *pos, struct param *p)
{
	size_t	 i = *pos, j, k, e;

	for (;;) {
		/* To the next ';' not inside quotes. */
		while (i < n && s[i] != ';') {
			if (s[i] == '"') {
				for (i++; i < n && s[i] != '"'; i++)
					if (s[i] == '\\' && i + 1 < n)
						i++;
			}
			if (i < n)
				i++;
		}
		if (i >= n)
			return 0;
		i++;
		while (i < n && (s[i] == ' ' || s[i] == '\t' ||
		    s[i] == '\r' || s[i] == '\n'))
			i++;
		k = i;
		while (i < n && s[i] != '=' && s[i] != ';')
			i++;
		if (i >= n || s[i] != '=')
			continue;
		e = i;
		while (e > k && (s[e - 1] == ' ' || s[e - 1] == '\t'))
			e--;
		if (e == k || e - k >= sizeof(p->name))
			continue;
		for (j = k; j < e; j++)
			p->name[j - k] = (char)tolower((unsigned char)s[j]);
		p->name[e - k] = '\0';
		i++;
		while (i < n && (s[i] == ' ' || s[i] == '\t' ||
		    s[i] == '\r' || s[i] == '\n'))
			i++;
		if (i < n && s[i] == '"') {
			p->quoted = 1;
			p->v = s + ++i;
			while (i < n && s[i] != '"') {
				if (s[i] == '\\' && i + 1 < n)
					i++;
				i++;
			}
			p->vlen = (size_t)(s + i - p->v);
			if (i < n)
				i++;
		} else {
			/* Unquoted runs to ';' (spaces allowed, as mail
			 * clients write "name=This is a test.txt"). */
			p->quoted = 0;
			p->v = s + i;
			while (i < n && s[i] != ';')
				i++;
			e = i;
			while (e > (size_t)(p->v - s) && (s[e - 1] == ' ' ||
			    s[e - 1] == '\t' || s[e - 1] == '\r' ||
			    s[e - 1] == '\n'))
				e--;
			p->vlen = e - (size_t)(p->v - s);
		}
		*pos = i;
		return 1;
	}
}

/* Copies a quoted-string's content without its backslashes. */
static size_t
unquote(const char *v, size_t n, char *out)
{
	size_t	 i, o = 0;

	for (i = 0; i < n; i++) {
		if (v[i] == '\\' && i + 1 < n)
			i++;
		out[o++] = v[i];
	}
	return o;
}

/* %XX decoding of RFC 2231 extended values (a stray '%' stays). */
static size_t
pct_decode(const char *v, size_t n, char *out)
{
	size_t	 i, o = 0;
	int	 h, l;

	for (i = 0; i < n; i++) {
		if (v[i] == '%' && i + 2 < n &&
		    (h = hex_digit((unsigned char)v[i + 1])) >= 0 &&
		    (l = hex_digit((unsigned char)v[i + 2])) >= 0) {
			out[o++] = (char)(h << 4 | l);
			i += 2;
		} else
			out[o++] = v[i];
	}
	return o;
}

/* A section number of name*N or name*N*, or -1. */
static int
section(const char *s, const char *name, int *ext)
{
	size_t	 nl = strlen(name);
	long	 k = 0;
	int	 digits = 0;

	if (strncmp(s, name, nl) != 0 || s[nl] != '*')
		return -1;
	s += nl + 1;
	if (*s == '\0') {
		/* name*=charset'lang'value: one extended section. */
		*ext = 1;
		return -2;
	}
	while (*s >= '0' && *s <= '9' && digits < 4) {
		k = k * 10 + (*s++ - '0');
		digits++;
	}
	if (digits == 0 || k >= PARAM_SEGMENTS)
		return -1;
	*ext = *s == '*';
	if (*s == '*')
		s++;
	return *s == '\0' ? (int)k : -1;
}

/* RFC 2231: the pieces of name*0*, name*1 ... (or name*) in order. */
static char *
param_2231(const char *v, size_t n, const char *name)
{
	struct param	 p;
	const char	*segv[PARAM_SEGMENTS];
	size_t		 segl[PARAM_SEGMENTS], pos = 0, nb = 0, i, total = 0;
	int		 segext[PARAM_SEGMENTS], segq[PARAM_SEGMENTS], k, ext;
	int		 nseg = 0, single = 0;
	char		*bytes = NULL, *out = NULL, cs[CHARSET_MAX + 1];
	const char	*q1, *q2;

	memset(segv, 0, sizeof(segv));
	while (param_next(v, n, &pos, &p)) {
		if ((k = section(p.name, name, &ext)) == -1)
			continue;
		if (k == -2) {
			k = 0;
			single = 1;
		}
		if (segv[k] != NULL)
			continue;	/* the first one counts */
		segv[k] = p.v;
		segl[k] = p.vlen;
		segext[k] = ext;
		segq[k] = p.quoted;
		total += p.vlen;
		if (k + 1 > nseg)
			nseg = k + 1;
		if (single)
			break;
	}
	if (nseg == 0 || segv[0] == NULL)
		return NULL;
	if ((bytes = malloc(total + 1)) == NULL)
		return NULL;
	cs[0] = '\0';
	for (k = 0; k < nseg && segv[k] != NULL; k++) {
		const char	*sv = segv[k];
		size_t		 sl = segl[k];

		if (k == 0 && segext[0] &&
		    (q1 = memchr(sv, '\'', sl)) != NULL &&
		    (q2 = memchr(q1 + 1, '\'', sl - (size_t)(q1 + 1 - sv))) !=
		    NULL) {
			i = (size_t)(q1 - sv);
			if (i <= CHARSET_MAX) {
				memcpy(cs, sv, i);
				cs[i] = '\0';
			}
			sl -= (size_t)(q2 + 1 - sv);
			sv = q2 + 1;
		}
		if (segext[k])
			nb += pct_decode(sv, sl, bytes + nb);
		else if (segq[k])
			nb += unquote(sv, sl, bytes + nb);
		else {
			memcpy(bytes + nb, sv, sl);
			nb += sl;
		}
	}
	out = decode_charset(cs[0] != '\0' ? cs : NULL, bytes, nb,
	    HEADER_MAX, NULL, NULL);
	free(bytes);
	return out;
}

char *
decode_param(const char *v, size_t n, const char *name)
{
	struct param	 p;
	size_t		 pos = 0, l;
	char		*s, *tmp;

	if ((s = param_2231(v, n, name)) != NULL)
		return s;
	while (param_next(v, n, &pos, &p)) {
		if (strcmp(p.name, name) != 0)
			continue;
		if ((tmp = malloc(p.vlen + 1)) == NULL)
			return NULL;
		l = p.quoted ? unquote(p.v, p.vlen, tmp) : p.vlen;
		if (!p.quoted)
			memcpy(tmp, p.v, l);
		s = decode_header(tmp, l);
		free(tmp);
		return s;
	}
	return NULL;
}

/* HTML elements that end a line of text, and those left out. */
static const char *const html_blocks[] = {
	"address", "article", "aside", "blockquote", "br", "caption",
	"dd", "div", "dl", "dt", "fieldset", "figure", "footer", "form",
	"h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
	"nav", "ol", "p", "pre", "section", "table", "tr", "ul",
};
static const char *const html_skipped[] = {
	"head", "noscript", "object", "script", "style", "template",
	"title",
};

static int
in_list(const char *name, const char *const *list, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcasecmp(name, list[i]) == 0)
			return 1;
	return 0;
}

struct text {
	struct buf	 b;
	int		 quote;		/* blockquote depth */
	int		 pre;		/* inside <pre> */
	int		 bol;		/* at the beginning of a line */
	int		 space;		/* a blank is owed before more text */
};

static int
text_newline(struct text *t)
{
	t->space = 0;
	/* Never more than one empty line in a row. */
	if (t->b.len >= 2 && t->b.p[t->b.len - 1] == '\n' &&
	    t->b.p[t->b.len - 2] == '\n')
		return 0;
	if (t->b.len == 0)
		return 0;
	t->bol = 1;
	return buf_add(&t->b, "\n", 1);
}

static int
text_put(struct text *t, const char *s, size_t n)
{
	size_t	 i, j;
	int	 q;

	for (i = 0; i < n; i = j) {
		if (!t->pre && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
		    s[i] == '\n')) {
			t->space = !t->bol;
			j = i + 1;
			continue;
		}
		if (t->pre && s[i] == '\n') {
			if (buf_add(&t->b, "\n", 1) == -1)
				return -1;
			t->bol = 1;
			j = i + 1;
			continue;
		}
		if (t->bol) {
			for (q = 0; q < t->quote; q++)
				if (buf_add(&t->b, "> ", 2) == -1)
					return -1;
			t->bol = 0;
			t->space = 0;
		} else if (t->space) {
			if (buf_add(&t->b, " ", 1) == -1)
				return -1;
			t->space = 0;
		}
		j = i + 1;
		while (j < n && s[j] != ' ' && s[j] != '\t' && s[j] != '\r' &&
		    s[j] != '\n')
			j++;
		if (buf_add(&t->b, s + i, j - i) == -1)
			return -1;
	}
	return 0;
}

static int
html_enter(struct text *t, xmlNodePtr n, int *skip)
{
	const char	*name = (const char *)n->name;

	*skip = 0;
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
		return n->content == NULL ? 0 : text_put(t,
		    (const char *)n->content, strlen((char *)n->content));
	if (n->type != XML_ELEMENT_NODE || name == NULL) {
		*skip = 1;
		return 0;
	}
	if (in_list(name, html_skipped,
	    sizeof(html_skipped) / sizeof(html_skipped[0]))) {
		*skip = 1;
		return 0;
	}
	if (in_list(name, html_blocks,
	    sizeof(html_blocks) / sizeof(html_blocks[0])) &&
	    text_newline(t) == -1)
		return -1;
	if (strcasecmp(name, "blockquote") == 0)
		t->quote++;
	else if (strcasecmp(name, "pre") == 0)
		t->pre++;
	else if (strcasecmp(name, "li") == 0)
		return text_put(t, "- ", 2);
	else if (strcasecmp(name, "td") == 0 || strcasecmp(name, "th") == 0)
		t->space = !t->bol;
	return 0;
}

static int
html_leave(struct text *t, xmlNodePtr n)
{
	const char	*name = (const char *)n->name;

	if (n->type != XML_ELEMENT_NODE || name == NULL)
		return 0;
	if (strcasecmp(name, "blockquote") == 0 && t->quote > 0)
		t->quote--;
	else if (strcasecmp(name, "pre") == 0 && t->pre > 0)
		t->pre--;
	if (in_list(name, html_blocks,
	    sizeof(html_blocks) / sizeof(html_blocks[0])) &&
	    strcasecmp(name, "br") != 0)
		return text_newline(t);
	return 0;
}

char *
decode_html(const char *in, size_t n, size_t max, size_t *outlen, int *cut)
{
	htmlDocPtr	 doc = NULL;
	xmlNodePtr	 root, cur;
	struct text	 t;
	char		*s = NULL;
	int		 skip, full = 0;

	memset(&t, 0, sizeof(t));
	buf_init(&t.b, max);
	t.bol = 1;
	if (n > INT32_MAX)
		n = INT32_MAX;
	doc = htmlReadMemory(in, (int)n, NULL, "UTF-8", HTML_PARSE_NONET |
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER);
	if (doc == NULL || (root = xmlDocGetRootElement(doc)) == NULL)
		goto done;
	/* Iterative walk: deep HTML must not deepen our stack. */
	cur = root;
	while (cur != NULL && !full) {
		if (html_enter(&t, cur, &skip) == -1) {
			full = 1;
			break;
		}
		if (!skip && cur->children != NULL &&
		    cur->type == XML_ELEMENT_NODE) {
			cur = cur->children;
			continue;
		}
		if (!skip && html_leave(&t, cur) == -1) {
			full = 1;
			break;
		}
		while (cur != NULL && cur->next == NULL) {
			cur = cur->parent;
			if (cur == NULL || cur == (xmlNodePtr)doc)
				cur = NULL;
			else if (html_leave(&t, cur) == -1)
				full = 1;
		}
		if (cur != NULL)
			cur = cur->next;
	}
done:
	if (t.b.overflow || full) {
		cut_to_char(&t.b);
		if (cut != NULL)
			*cut = 1;
	}
	/* No trailing blank lines. */
	while (t.b.len > 0 && t.b.p[t.b.len - 1] == '\n')
		t.b.p[--t.b.len] = '\0';
	s = buf_take(&t.b, outlen);
	buf_free(&t.b);
	if (doc != NULL)
		xmlFreeDoc(doc);
	return s;
}

static const struct ext_type {
	const char	*ext;
	const char	*type;
} ext_types[] = {
	{ "csv", "text/csv" },
	{ "doc", "application/msword" },
	{ "docx", "application/vnd.openxmlformats-officedocument."
	    "wordprocessingml.document" },
	{ "eml", "message/rfc822" },
	{ "gif", "image/gif" },
	{ "htm", "text/html" },
	{ "html", "text/html" },
	{ "jpeg", "image/jpeg" },
	{ "jpg", "image/jpeg" },
	{ "json", "application/json" },
	{ "pdf", "application/pdf" },
	{ "png", "image/png" },
	{ "rtf", "application/rtf" },
	{ "tif", "image/tiff" },
	{ "tiff", "image/tiff" },
	{ "txt", "text/plain" },
	{ "xls", "application/vnd.ms-excel" },
	{ "xlsx", "application/vnd.openxmlformats-officedocument."
	    "spreadsheetml.sheet" },
	{ "xml", "application/xml" },
	{ "zip", "application/zip" },
};

const char *
decode_guess_type(const char *name)
{
	const char	*dot;
	size_t		 i;

	if (name == NULL || (dot = strrchr(name, '.')) == NULL)
		return "application/octet-stream";
	for (i = 0; i < sizeof(ext_types) / sizeof(ext_types[0]); i++)
		if (strcasecmp(dot + 1, ext_types[i].ext) == 0)
			return ext_types[i].type;
	return "application/octet-stream";
}

/* ---- base64 ---- */

size_t
decode_base64(struct base64_state *st, const char *in, size_t n,
    unsigned char *out)
{
	const unsigned char	*p = (const unsigned char *)in, *end = p + n;
	unsigned char		*o = out, v;
	unsigned long		 acc;

	for (;;) {
		/* Four alphabet characters in a row: the common case. */
		while (st->n == 0 && end - p >= 4 && ((b64tab[p[0]] |
		    b64tab[p[1]] | b64tab[p[2]] | b64tab[p[3]]) & 64) == 0) {
			acc = (unsigned long)b64tab[p[0]] << 18 |
			    (unsigned long)b64tab[p[1]] << 12 |
			    (unsigned long)b64tab[p[2]] << 6 | b64tab[p[3]];
			o[0] = (unsigned char)(acc >> 16);
			o[1] = (unsigned char)(acc >> 8);
			o[2] = (unsigned char)acc;
			o += 3;
			p += 4;
		}
		if (p == end)
			break;
		/* A line break, junk, or a group cut by the input. */
		if ((v = b64tab[*p++]) == 64)
			continue;
		st->q[st->n++] = v;
		if (st->n == 4) {
			*o++ = (unsigned char)(st->q[0] << 2 | st->q[1] >> 4);
			*o++ = (unsigned char)(st->q[1] << 4 | st->q[2] >> 2);
			*o++ = (unsigned char)(st->q[2] << 6 | st->q[3]);
			st->n = 0;
		}
	}
	return (size_t)(o - out);
}

size_t
decode_base64_end(struct base64_state *st, unsigned char *out)
{
	size_t	 o = 0;

	/* As libetpan: a lone character still gives a byte. */
	if (st->n >= 1) {
		if (st->n == 1)
			st->q[1] = 0;
		out[o++] = (unsigned char)(st->q[0] << 2 | st->q[1] >> 4);
	}
	if (st->n == 3)
		out[o++] = (unsigned char)(st->q[1] << 4 | st->q[2] >> 2);
	st->n = 0;
	return o;
}

size_t
decode_base64_size(const char *in, size_t n)
{
	const unsigned char	*p = (const unsigned char *)in;
	size_t			 i, k = 0;

	for (i = 0; i < n; i++)
		if (b64tab[p[i]] != 64)
			k++;
	return k / 4 * 3 + (k % 4 == 0 ? 0 : k % 4 == 3 ? 2 : 1);
}
