/*
 * The filled PDF form (forms/pdfread.c, libqpdf): read with its filer
 * block, checked by the rules, written back as JSON and XML.  Only our
 * walk over qpdf's objects is instrumented, not qpdf itself.
 */
#include <string.h>

#include "forms/read.h"
#include "fuzz.h"

FUZZ_INITIALIZE_TABLES

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pdf_filer filer;
	struct report	 rep;
	struct form	*f;
	char		 err[512];
	int		 i;

	memset(&filer, 0, sizeof(filer));
	report_init(&rep);
	f = pdfform_read_filer((const char *)data, size, &filer, &rep, err,
	    sizeof(err));
	FUZZ_ASSERT(f != NULL || fuzz_text_ok(err, strlen(err)));
	for (i = 0; i < FILER__MAX; i++)
		FUZZ_ASSERT(filer.v[i] == NULL ||
		    fuzz_text_ok(filer.v[i], strlen(filer.v[i])));
	pdf_filer_free(&filer);
	fuzz_form(f, &rep);
	return 0;
}
