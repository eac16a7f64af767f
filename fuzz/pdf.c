/*
 * The filled PDF form (forms/pdfread.c, libqpdf): read with its filer
 * block, checked by the rules, written back as JSON and XML.  Only our
 * walk over the objects is instrumented, not qpdf itself.  Each input
 * is read twice, with forms/pdflite.c first and with qpdf alone: the
 * two must give the same form, filer block, errors or refusal.
 */
#include <stdlib.h>
#include <string.h>

#include "forms/read.h"
#include "fuzz.h"

FUZZ_INITIALIZE_TABLES

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pdf_filer filer, qf;
	struct report	 rep, qrep;
	struct form	*f, *q;
	char		 err[512], qerr[512], *a, *b;
	size_t		 i;
	int		 k;

	memset(&filer, 0, sizeof(filer));
	report_init(&rep);
	report_init(&qrep);
	f = pdfform_read_filer((const char *)data, size, &filer, &rep, err,
	    sizeof(err));
	FUZZ_ASSERT(f != NULL || fuzz_text_ok(err, strlen(err)));
	for (k = 0; k < FILER__MAX; k++)
		FUZZ_ASSERT(filer.v[k] == NULL ||
		    fuzz_text_ok(filer.v[k], strlen(filer.v[k])));
	q = pdfform_read_with((const char *)data, size, &qf, &qrep, qerr,
	    sizeof(qerr), 0);
	FUZZ_ASSERT((f == NULL) == (q == NULL));
	FUZZ_ASSERT(strcmp(err, qerr) == 0);
	FUZZ_ASSERT(rep.nerrors == qrep.nerrors);
	for (i = 0; i < rep.nerrors; i++)
		FUZZ_ASSERT(strcmp(rep.errors[i].message,
		    qrep.errors[i].message) == 0);
	if (f != NULL) {
		a = jsonform_write(f);
		b = jsonform_write(q);
		FUZZ_ASSERT(a != NULL && b != NULL && strcmp(a, b) == 0);
		free(a);
		free(b);
		for (k = 0; k < FILER__MAX; k++)
			FUZZ_ASSERT((filer.v[k] == NULL) == (qf.v[k] == NULL) &&
			    (filer.v[k] == NULL ||
			    strcmp(filer.v[k], qf.v[k]) == 0));
		pdf_filer_free(&qf);
	}
	form_free(q);
	report_free(&qrep);
	pdf_filer_free(&filer);
	fuzz_form(f, &rep);
	return 0;
}
