/*
 * The XML form (xml/xmlform.c): read under the schema, checked by the
 * rules, written back as JSON and XML.
 */
#include <string.h>

#include "xml/xmlform.h"
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
	struct report	 rep;
	struct form	*f;
	char		 err[512];

	report_init(&rep);
	f = xmlform_read((const char *)data, size, &rep, err, sizeof(err));
	FUZZ_ASSERT(f != NULL || fuzz_text_ok(err, strlen(err)));
	fuzz_form(f, &rep);
	return 0;
}
