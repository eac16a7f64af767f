/*
 * The fillable PDF license application (AcroForm) that filers email
 * during outages (DOMAIN.md section 8): one form per product, blank or
 * prefilled.  The printed layout is drawn with cairo and Pango; the
 * fields are then added with qpdf at the boxes the layout drew.
 *
 * Field names are the vocabulary of forms/form.h: the header fields by
 * name ("importer_name", ...; "product" is a read-only field holding
 * "aluminum" or "steel"), the filer fields below, the product lines as
 * "line.N.FIELD" (N = 1 ... PDFFORM_LINES, FIELD a line field of the
 * product) and the checkbox "certify" (on value "Yes").
 */
#ifndef AIM_PDFFORM_H
#define AIM_PDFFORM_H

#include <stddef.h>

#include "form.h"
#include "license.h"

/* Product lines on the form. */
#define PDFFORM_LINES		10
/* Pages of the form. */
#define PDFFORM_PAGES		2
/* The checkbox and its on value. */
#define PDFFORM_CERTIFY		"certify"
#define PDFFORM_CERTIFY_ON	"Yes"
/* The parent field of the product lines. */
#define PDFFORM_LINE		"line"

/* The filer block: the account's details. */
enum pdfform_filer {
	PFF_COMPANY_NAME,
	PFF_ADDRESS,
	PFF_CONTACT_NAME,
	PFF_PHONE,
	PFF_EMAIL,
	PFF__MAX
};

/* "filer_company_name", ... */
extern const char *const pdfform_filer_names[PFF__MAX];

/* What to prefill; any member may be NULL (blank). */
struct pdfform_fill {
	const char		*filer[PFF__MAX];
	/* Header and lines ("Duplicate as PDF"); its product is ignored:
	 * the form's product is fixed. */
	const struct form	*form;
};

/* Is this line field on the product's form? */
int	 pdfform_has_lfield(enum product, enum lfield);

/*
 * Makes the form for the product; the instructions name the mailbox
 * PRODUCT.license@mail_domain.  fill may be NULL.  On success *out is
 * a malloc'd PDF of *outlen bytes (the caller frees it) and 0 is
 * returned; on failure -1 with the reason in err (a value too long,
 * more lines than the form holds, a bad domain, a library failure).
 */
int	 pdfform_make(enum product, const char *mail_domain,
	    const struct pdfform_fill *fill, unsigned char **out,
	    size_t *outlen, char *err, size_t errsz);

#endif
