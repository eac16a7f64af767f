/*
 * The Cookie header (gateway/http.c): pairs split at ';', the CSRF
 * cookie checked and answered, the session cookie looked up.  The
 * input is the header's value.
 */
#include <stdlib.h>

#include "fuzz.h"

FUZZ_INITIALIZE_TABLES

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*env[4];
	char		*c;

	c = fuzz_param("HTTP_COOKIE", data, size);
	env[0] = "REQUEST_METHOD=GET";
	env[1] = "DOCUMENT_URI=/account";
	env[2] = c;
	env[3] = NULL;
	fuzz_request(env, "", 0);
	free(c);
	return 0;
}
