/*
 * The JSON form (forms/jsonform.c) as the API and email take it: read,
 * checked by the rules, written back as JSON and XML.
 */
#include "forms/read.h"
#include "fuzz.h"

FUZZ_INITIALIZE_TABLES

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_read_form(jsonform_read, data, size);
	return 0;
}
