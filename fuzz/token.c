/*
 * Reply tokens (mail/token.c) and where classification looks for them
 * (mail/classify.c): plus-addresses in Delivered-To and To, our
 * Message-IDs in In-Reply-To and References.  The input is a message's
 * lines: From, To, Delivered-To, In-Reply-To, References, then the
 * text.  "%A", "%Q" and "%X" in them become tokens made for the From
 * address with fuzz_key (license action, queue question, expired), so
 * the fuzzer can reach the tokens that verify; the raw input is tried
 * as a token too, and tokens made from its first bytes must read back.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/limits.h"
#include "mail/message.h"
#include "mail/token.h"
#include "fuzz.h"

#define FIELDS		5	/* lines before the text */
#define ANY_FROM	"filer@example.com"

/* s with each %A, %Q, %X replaced by a token for from (caller frees). */
static char *
with_tokens(const char *s, const char *from)
{
	static const struct token kinds[3] = {
		{ TOKEN_LICENSE, TOKEN_ACTION, 42, 0 },
		{ TOKEN_QUEUE, TOKEN_QUESTION, TOKEN_ID_MAX, 0 },
		{ TOKEN_LICENSE, TOKEN_SUBMISSION, 1, 0 },
	};
	struct token	 t;
	char		 tok[3][TOKEN_LEN + 1], *out, *o;
	size_t		 k;
	int		 i;

	for (i = 0; i < 3; i++) {
		t = kinds[i];
		/* Good for a month; the third ran out yesterday. */
		t.expires = fuzz_today() + (i == 2 ? -1 : 30);
		if (token_make(&t, from, fuzz_key, sizeof(fuzz_key),
		    tok[i]) == -1)
			tok[i][0] = '\0';
	}
	if ((out = malloc(strlen(s) / 2 * TOKEN_LEN + strlen(s) + 1)) ==
	    NULL)
		abort();
	for (o = out; *s != '\0'; s++) {
		k = s[0] != '%' ? 3 : s[1] == 'A' ? 0 : s[1] == 'Q' ? 1 :
		    s[1] == 'X' ? 2 : 3;
		if (k == 3) {
			*o++ = *s;
			continue;
		}
		memcpy(o, tok[k], strlen(tok[k]));
		o += strlen(tok[k]);
		s++;
	}
	*o = '\0';
	return out;
}

/* A token made of the first bytes reads back as made, in any case. */
static void
roundtrip(const uint8_t *d, size_t n, const char *from)
{
	struct token	 t, got;
	unsigned char	 other[sizeof(fuzz_key)];
	char		 tok[TOKEN_LEN + 1];
	enum token_err	 e;
	size_t		 i;
	int		 today = fuzz_today();

	if (n < 11)
		return;
	t.kind = d[0] & 1 ? TOKEN_QUEUE : TOKEN_LICENSE;
	t.purpose = d[0] & 2 ? TOKEN_ACTION : d[0] & 4 ? TOKEN_QUESTION :
	    TOKEN_SUBMISSION;
	t.id = 0;
	for (i = 1; i < 7; i++)
		t.id = t.id << 8 | d[i];
	t.expires = (int)((unsigned)d[7] << 16 | (unsigned)d[8] << 8 | d[9]);
	if (token_make(&t, from, fuzz_key, sizeof(fuzz_key), tok) == -1) {
		FUZZ_ASSERT(t.id == 0 || strlen(from) > LIM_EMAIL_BYTES ||
		    *from == '\0');
		return;
	}
	FUZZ_ASSERT(strlen(tok) == TOKEN_LEN);
	if (d[10] & 1)
		for (i = 0; i < TOKEN_LEN; i++)
			tok[i] = (char)toupper((unsigned char)tok[i]);
	e = token_parse(tok, TOKEN_LEN, from, fuzz_key, sizeof(fuzz_key),
	    today, &got);
	FUZZ_ASSERT(e == (t.expires < today ? TOKEN_EXPIRED : TOKEN_OK));
	FUZZ_ASSERT(got.kind == t.kind && got.purpose == t.purpose &&
	    got.id == t.id && got.expires == t.expires);
	/* Another recipient, or another key, is a forgery. */
	FUZZ_ASSERT(token_parse(tok, TOKEN_LEN, "x" ANY_FROM, fuzz_key,
	    sizeof(fuzz_key), today, &got) == TOKEN_FORGED);
	memcpy(other, fuzz_key, sizeof(other));
	other[d[10] % sizeof(other)] ^= 1;
	FUZZ_ASSERT(token_parse(tok, TOKEN_LEN, from, other, sizeof(other),
	    today, &got) == TOKEN_FORGED);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct message	 m;
	struct token	 t;
	char		*in, *p, *line[FIELDS + 1];
	size_t		 i;

	in = fuzz_strdup(data, size);
	memset(line, 0, sizeof(line));
	for (p = in, i = 0; p != NULL && i < FIELDS; i++)
		line[i] = strsep(&p, "\n");
	line[FIELDS] = p;

	memset(&m, 0, sizeof(m));
	m.from = line[0] != NULL && *line[0] != '\0' ? line[0] : NULL;
	for (i = 1; i <= FIELDS; i++)
		if (line[i] != NULL)
			line[i] = with_tokens(line[i], m.from != NULL ?
			    m.from : ANY_FROM);
	m.to = line[1];
	m.delivered_to = line[2];
	m.in_reply_to = line[3];
	m.references = line[4];
	m.text = line[5];
	fuzz_classify(&m);

	token_parse((const char *)data, size, m.from != NULL ? m.from :
	    ANY_FROM, fuzz_key, sizeof(fuzz_key), fuzz_today(), &t);
	roundtrip(data, size, m.from != NULL && strcasecmp(m.from, "x" ANY_FROM)
	    != 0 ? m.from : ANY_FROM);

	for (i = 1; i <= FIELDS; i++)
		free(line[i]);
	free(in);
	return 0;
}
