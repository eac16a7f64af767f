/*
 * The Cookie header (gateway/http.c): pairs split at ';', the CSRF
 * cookie checked and answered, the session cookie looked up.  The
 * input is the header's value.
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
	const char	*env[4];
	char		*c;

	if ((c = malloc(size + sizeof("HTTP_COOKIE="))) == NULL)
		abort();
	memcpy(c, "HTTP_COOKIE=", sizeof("HTTP_COOKIE=") - 1);
	memcpy(c + sizeof("HTTP_COOKIE=") - 1, data, size);
	c[sizeof("HTTP_COOKIE=") - 1 + size] = '\0';
	env[0] = "REQUEST_METHOD=GET";
	env[1] = "DOCUMENT_URI=/account";
	env[2] = c;
	env[3] = NULL;
	fuzz_request(env, "", 0);
	free(c);
	return 0;
}
