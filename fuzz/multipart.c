/*
 * A multipart/form-data upload (gateway/multipart.c through
 * gateway/http.c), as the spreadsheet page receives one.  The input's
 * first line is the Content-Type (boundary and all), the rest the body.
 */
#include <stdlib.h>
#include <string.h>

#include "gateway/multipart.h"
#include "fuzz.h"

FUZZ_INITIALIZE_TABLES

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*env[4], *nl, *body;
	char		*ct, b[128];
	size_t		 n;
	int		 len;

	nl = memchr(data, '\n', size);
	n = nl != NULL ? (size_t)(nl - (const char *)data) : size;
	body = nl != NULL ? nl + 1 : (const char *)data + size;
	ct = fuzz_param("CONTENT_TYPE", data, n);

	/* The boundary is at most 70 characters, none of them odd. */
	if ((len = multipart_boundary(ct + sizeof("CONTENT_TYPE=") - 1, b,
	    sizeof(b))) >= 0)
		FUZZ_ASSERT(len >= 1 && len <= 70 && (size_t)len == strlen(b));

	env[0] = "REQUEST_METHOD=POST";
	env[1] = "DOCUMENT_URI=/apply/multiple";
	env[2] = ct;
	env[3] = NULL;
	fuzz_request(env, body, size - (size_t)(body - (const char *)data));
	free(ct);
	return 0;
}
