/*
 * The multiple-license sheet saved as CSV (forms/csv.c, forms/
 * csvread.c): read into a sheet, grouped into licenses, each checked by
 * the rules.
 */
#include "forms/csvread.h"
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
	fuzz_sheet(csvread, data, size);
	return 0;
}
