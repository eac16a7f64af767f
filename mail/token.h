/*
 * Reply tokens: what ties an email reply to the license or queue item
 * it answers, carried in the reply address (aluminum.license+TOKEN@
 * domain) and in our Message-IDs (<t.TOKEN@domain>).
 *
 * A token is 25 bytes packed in binary, written in lower-case base32
 * without padding: exactly TOKEN_LEN (40) characters, so the address
 * "aluminum.license+TOKEN" stays far under the 64 of a local part.
 *
 *   kind (1)  'L' license, 'Q' queue item
 *   purpose (1)  'A' action required, 'S' submission, 'Q' question
 *   id (6)  big-endian, so ids up to 2^48
 *   expiry (3)  day (lib/date.h) past which it is refused
 *   MAC (14)  HMAC-SHA256, keyed by the server secret, over a label,
 *             the fields above and the recipient's address in lower
 *             case; truncated to 112 bits
 *
 * A token only proves that we wrote it for that recipient about that
 * item: whether it was already used is the database's business.
 */
#ifndef AIM_TOKEN_H
#define AIM_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#define TOKEN_LEN	40		/* characters of a token */
#define TOKEN_ID_MAX	((INT64_C(1) << 48) - 1)
#define TOKEN_DAY_MAX	((1 << 24) - 1)

enum token_kind {
	TOKEN_LICENSE = 'L',
	TOKEN_QUEUE = 'Q'
};

enum token_purpose {
	TOKEN_ACTION = 'A',		/* action required: confirm or correct */
	TOKEN_SUBMISSION = 'S',		/* acknowledgement of a submission */
	TOKEN_QUESTION = 'Q'		/* staff asked the filer something */
};

struct token {
	enum token_kind		 kind;
	enum token_purpose	 purpose;
	int64_t			 id;		/* 1 .. TOKEN_ID_MAX */
	int			 expires;	/* last good day */
};

enum token_err {
	TOKEN_OK,
	TOKEN_MALFORMED,	/* not 40 base32 characters, bad field */
	TOKEN_FORGED,		/* MAC wrong: other key or other recipient */
	TOKEN_EXPIRED,
	TOKEN__MAX
};

const char	*token_strerror(enum token_err);

/*
 * Writes the token for recipient email into out (TOKEN_LEN + 1 bytes).
 * Returns 0, or -1 if a field is out of range or the key is empty.
 */
int	 token_make(const struct token *, const char *email,
	    const unsigned char *key, size_t keylen, char out[TOKEN_LEN + 1]);

/*
 * Reads len bytes of s (upper or lower case) as a token for recipient
 * email, comparing the MAC in constant time, and refuses it when
 * today is past its expiry.  On TOKEN_OK (and on TOKEN_EXPIRED, for
 * the message to the sender) the fields are in *t.
 */
enum token_err token_parse(const char *s, size_t len, const char *email,
	    const unsigned char *key, size_t keylen, int today,
	    struct token *t);

/*
 * The fields of a token WITHOUT checking its MAC: only to find for
 * whom it may have been written (a reply from the account's other
 * address), after which token_parse must check it against each of
 * them.  Returns 0, or -1 if s is no token.
 */
int	 token_fields(const char *s, size_t len, struct token *t);

#endif
