/*
 * An urlencoded POST as the web form sends it, read by gateway/http.c
 * (percent-decoding, pairs, LIM_PARAMS) and then by the web form
 * reader (forms/urlform.c), the rules and the writers.  The same bytes
 * are the query string of a second request.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init_tables();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const post[] = {
		"REQUEST_METHOD=POST",
		"DOCUMENT_URI=/apply/aluminum",
		"CONTENT_TYPE=application/x-www-form-urlencoded",
		NULL,
	};
	const char	*get[3];
	char		*q;

	fuzz_request(post, (const char *)data, size);
	/* CGI parameters end at a NUL, as nginx's do. */
	q = fuzz_strdup(data, size);
	if ((get[0] = malloc(size + sizeof("QUERY_STRING="))) == NULL)
		abort();
	memcpy((char *)get[0], "QUERY_STRING=", sizeof("QUERY_STRING="));
	memcpy((char *)get[0] + sizeof("QUERY_STRING=") - 1, q, size + 1);
	get[1] = "DOCUMENT_URI=/licenses";
	get[2] = NULL;
	fuzz_request(get, "", 0);
	free((char *)get[0]);
	free(q);
	return 0;
}
