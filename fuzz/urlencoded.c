/*
 * An urlencoded POST as the web form sends it, read by gateway/http.c
 * (percent-decoding, pairs, LIM_PARAMS) and then by the web form
 * reader (forms/urlform.c), the rules and the writers.  The same bytes
 * are the query string of a second request.
 */
#include <stdlib.h>

#include "fuzz.h"

FUZZ_INITIALIZE_TABLES

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
	q = fuzz_param("QUERY_STRING", data, size);
	get[0] = q;
	get[1] = "DOCUMENT_URI=/licenses";
	get[2] = NULL;
	fuzz_request(get, "", 0);
	free(q);
	return 0;
}
