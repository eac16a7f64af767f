/*
 * Reply tokens (see token.h): HMAC-SHA256 over the packed fields and
 * the recipient, base32 so that any mail system keeps it intact in a
 * local part (no case, no punctuation).
 */
#include <ctype.h>
#include <limits.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "lib/limits.h"
#include "token.h"

#define TOKEN_BYTES	25		/* 40 base32 characters */
#define TOKEN_FIELDS	11		/* kind, purpose, id, expiry */
#define TOKEN_MAC	(TOKEN_BYTES - TOKEN_FIELDS)
/* Keeps these MACs apart from anything else keyed by the secret. */
#define TOKEN_LABEL	"aim mail reply token v1"

static const char	 b32[] = "abcdefghijklmnopqrstuvwxyz234567";

static const char *const token_errs[TOKEN__MAX] = {
	"valid",
	"not a reply token",
	"reply token not ours or not for this sender",
	"reply token expired",
};

const char *
token_strerror(enum token_err e)
{
	return e < TOKEN__MAX ? token_errs[e] : "unknown token error";
}

static int
valid_kind(int k)
{
	return k == TOKEN_LICENSE || k == TOKEN_QUEUE;
}

static int
valid_purpose(int p)
{
	return p == TOKEN_ACTION || p == TOKEN_SUBMISSION ||
	    p == TOKEN_QUESTION;
}

/* The MAC over label, fields and the lower-case address. */
static int
mac(const unsigned char *fields, const char *email,
    const unsigned char *key, size_t keylen, unsigned char out[TOKEN_MAC])
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned char	 msg[sizeof(TOKEN_LABEL) + TOKEN_FIELDS +
			    LIM_EMAIL_BYTES];
	unsigned int	 mdlen = 0;
	size_t		 n, i, off;

	n = strlen(email);
	if (n == 0 || n > LIM_EMAIL_BYTES || keylen == 0 || keylen > INT_MAX)
		return -1;
	/* The label's NUL ends it: no field can run into it. */
	memcpy(msg, TOKEN_LABEL, sizeof(TOKEN_LABEL));
	off = sizeof(TOKEN_LABEL);
	memcpy(msg + off, fields, TOKEN_FIELDS);
	off += TOKEN_FIELDS;
	for (i = 0; i < n; i++)
		msg[off + i] = (unsigned char)tolower((unsigned char)email[i]);
	if (HMAC(EVP_sha256(), key, (int)keylen, msg, off + n, md,
	    &mdlen) == NULL || mdlen < TOKEN_MAC)
		return -1;
	memcpy(out, md, TOKEN_MAC);
	OPENSSL_cleanse(md, sizeof(md));
	return 0;
}

int
token_make(const struct token *t, const char *email,
    const unsigned char *key, size_t keylen, char out[TOKEN_LEN + 1])
{
	unsigned char	 b[TOKEN_BYTES];
	unsigned int	 acc = 0;
	int		 bits = 0, i, o = 0, sh;

	out[0] = '\0';
	if (!valid_kind(t->kind) || !valid_purpose(t->purpose) ||
	    t->id < 1 || t->id > TOKEN_ID_MAX || t->expires < 0 ||
	    t->expires > TOKEN_DAY_MAX || email == NULL)
		return -1;
	b[0] = (unsigned char)t->kind;
	b[1] = (unsigned char)t->purpose;
	for (i = 0, sh = 40; i < 6; i++, sh -= 8)
		b[2 + i] = (unsigned char)(t->id >> sh);
	b[8] = (unsigned char)(t->expires >> 16);
	b[9] = (unsigned char)(t->expires >> 8);
	b[10] = (unsigned char)t->expires;
	if (mac(b, email, key, keylen, b + TOKEN_FIELDS) == -1)
		return -1;
	for (i = 0; i < TOKEN_BYTES; i++) {
		acc = (acc << 8) | b[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[o++] = b32[(acc >> bits) & 31];
		}
	}
	out[o] = '\0';
	return 0;
}

/* The TOKEN_LEN base32 characters of s (any case) as bytes. */
static int
unpack(const char *s, size_t len, unsigned char b[TOKEN_BYTES])
{
	unsigned int	 acc = 0;
	const char	*p;
	size_t		 i;
	int		 bits = 0, o = 0, c;

	if (s == NULL || len != TOKEN_LEN)
		return -1;
	for (i = 0; i < len; i++) {
		c = tolower((unsigned char)s[i]);
		if (c == '\0' || (p = strchr(b32, c)) == NULL)
			return -1;
		acc = (acc << 5) | (unsigned int)(p - b32);
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			b[o++] = (unsigned char)(acc >> bits);
		}
	}
	return valid_kind(b[0]) && valid_purpose(b[1]) ? 0 : -1;
}

static void
fields_of(const unsigned char b[TOKEN_BYTES], struct token *t)
{
	size_t	 i;

	t->kind = (enum token_kind)b[0];
	t->purpose = (enum token_purpose)b[1];
	t->id = 0;
	for (i = 0; i < 6; i++)
		t->id = (t->id << 8) | b[2 + i];
	t->expires = b[8] << 16 | b[9] << 8 | b[10];
}

int
token_fields(const char *s, size_t len, struct token *t)
{
	unsigned char	 b[TOKEN_BYTES];

	if (unpack(s, len, b) == -1)
		return -1;
	fields_of(b, t);
	return t->id >= 1 ? 0 : -1;
}

enum token_err
token_parse(const char *s, size_t len, const char *email,
    const unsigned char *key, size_t keylen, int today, struct token *t)
{
	unsigned char	 b[TOKEN_BYTES], want[TOKEN_MAC];

	if (email == NULL || unpack(s, len, b) == -1)
		return TOKEN_MALFORMED;
	if (mac(b, email, key, keylen, want) == -1 ||
	    CRYPTO_memcmp(want, b + TOKEN_FIELDS, TOKEN_MAC) != 0)
		return TOKEN_FORGED;
	fields_of(b, t);
	return today > t->expires ? TOKEN_EXPIRED : TOKEN_OK;
}
