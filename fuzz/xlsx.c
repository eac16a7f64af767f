/*
 * The multiple-license workbook (forms/xlsxread.c: libzip and
 * libxml2's reader): read into a sheet, grouped into licenses, each
 * checked by the rules.
 */
#include <string.h>

#include "forms/xlsxread.h"
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
	const char	*kind;

	/* What the upload page says of a file that is no workbook. */
	if ((kind = xlsxread_kind((const char *)data, size)) != NULL)
		FUZZ_ASSERT(strlen(kind) > 0);
	fuzz_sheet(xlsxread, data, size);
	return 0;
}
