/*
 * The multiple-license sheet saved as CSV (forms/csv.c, forms/
 * csvread.c): read into a sheet, grouped into licenses, each checked by
 * the rules.
 */
#include "forms/csvread.h"
#include "fuzz.h"

FUZZ_INITIALIZE_TABLES

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_sheet(csvread, data, size);
	return 0;
}
