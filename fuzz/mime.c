/*
 * The MIME walk (mail/mime.c: libetpan, iconv, winmail.dat) as
 * aim-maild's sandboxed child runs it on a fetched message, then
 * classification.  Every string of the message is valid UTF-8 without
 * NUL bytes (mail/decode.h), every limit of lib/limits.h holds.
 */
#include <string.h>

#include "lib/limits.h"
#include "mail/mime.h"
#include "fuzz.h"

FUZZ_INITIALIZE_TABLES

static void
text_ok(const char *s)
{
	FUZZ_ASSERT(s == NULL || fuzz_text_ok(s, strlen(s)));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct message	*m;
	char		 err[512];
	size_t		 i;

	if ((m = mime_parse((const char *)data, size, err,
	    sizeof(err))) == NULL)
		return 0;
	text_ok(m->message_id);
	text_ok(m->in_reply_to);
	text_ok(m->references);
	text_ok(m->from);
	text_ok(m->from_name);
	text_ok(m->reply_to);
	text_ok(m->to);
	text_ok(m->delivered_to);
	text_ok(m->subject);
	text_ok(m->date);
	text_ok(m->auto_submitted);
	text_ok(m->auth_results);
	text_ok(m->text);
	text_ok(m->problem);
	FUZZ_ASSERT(m->text == NULL ||
	    strlen(m->text) <= LIM_MAIL_TEXT_BYTES);
	FUZZ_ASSERT(m->natt <= LIM_MIME_PARTS);
	for (i = 0; i < m->natt; i++) {
		FUZZ_ASSERT(m->att[i].name != NULL && m->att[i].type != NULL);
		text_ok(m->att[i].name);
		text_ok(m->att[i].type);
		FUZZ_ASSERT(m->att[i].size <= LIM_ATTACHMENT_BYTES);
		FUZZ_ASSERT(strlen(m->att[i].sha256) == 64);
	}
	fuzz_classify(m);
	message_free(m);
	return 0;
}
