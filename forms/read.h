/*
 * Form readers.  Each turns bytes into a struct form.  Two kinds of
 * trouble are kept apart: input that cannot be read at all (bad syntax,
 * too large or deep, entities, not a form) gives NULL and a message in
 * err; a readable form whose parts are wrong (unknown field, a number
 * where text belongs, a field too long) gives the form and errors in
 * rep naming each field, so the filer sees all problems at once.
 */
#ifndef AIM_READ_H
#define AIM_READ_H

#include <stddef.h>

#include "form.h"

enum form_format {
	FORMAT_UNKNOWN,
	FORMAT_JSON,
	FORMAT_XML,
	FORMAT_PDF,
	FORMAT__MAX
};

/* Guesses the format from the content (not a file name). */
enum form_format form_sniff(const char *buf, size_t len);

/* Reads any known format by content. */
struct form	*form_read(const char *buf, size_t len, struct report *rep,
		    char *err, size_t errsz);

/* forms/jsonform.c: the JSON object of the foundation vocabulary. */
struct form	*jsonform_read(const char *buf, size_t len, struct report *rep,
		    char *err, size_t errsz);
/* The form as a JSON object text (caller frees), or NULL. */
char		*jsonform_write(const struct form *);

/*
 * forms/pdfread.c: the filled PDF license form (AcroForm), read from
 * memory with libqpdf.  Field names are the vocabulary: header names,
 * line.N.FIELD for product line N (1-10 on our form) and the checkbox
 * certify; errors on line N name lines[N], the line the filer sees.
 * Refused whole (NULL, message in err): damaged, password-protected,
 * XFA-only, flattened or scanned (no fields), or not our form.
 */
struct form	*pdfform_read(const char *buf, size_t len, struct report *rep,
		    char *err, size_t errsz);

/* The filer block of the PDF form: who to answer, not license data. */
enum filer_field {
	FILER_COMPANY_NAME,
	FILER_ADDRESS,
	FILER_CONTACT_NAME,
	FILER_PHONE,
	FILER_EMAIL,
	FILER__MAX
};

/* Field names of the filer block ("filer_company_name", ...). */
extern const char *const filer_names[FILER__MAX];

struct pdf_filer {
	char	*v[FILER__MAX];		/* NULL: empty or not on the form */
};

/* pdfform_read that also keeps the filer block in *filer (filled
 * only when a form is returned; free it with pdf_filer_free). */
struct form	*pdfform_read_filer(const char *buf, size_t len,
		    struct pdf_filer *filer, struct report *rep, char *err,
		    size_t errsz);
/* pdfform_read_filer with forms/pdflite.c first (lite 1, as it does)
 * or with libqpdf alone (0): the tests and the fuzzer check that both
 * read every file alike. */
struct form	*pdfform_read_with(const char *buf, size_t len,
		    struct pdf_filer *filer, struct report *rep, char *err,
		    size_t errsz, int lite);
/* Frees the strings of a filer block, not the struct. */
void		 pdf_filer_free(struct pdf_filer *);

#endif
