/*
 * The XML form (xml/xmlform.c): read under the schema, checked by the
 * rules, written back as JSON and XML.
 */
#include "xml/xmlform.h"
#include "fuzz.h"

FUZZ_INITIALIZE_TABLES

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_read_form(xmlform_read, data, size);
	return 0;
}
