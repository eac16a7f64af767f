/*
 * Files the site hands out (gateway/pages_forms.c): the PDF forms, the
 * spreadsheet template and, from gateway/pages_batch.c, the sheets of
 * a multiple-license upload.
 */
#ifndef AIM_PAGES_FORMS_H
#define AIM_PAGES_FORMS_H

#include <stddef.h>

#include "req.h"

#define MIME_PDF	"application/pdf"
#define MIME_XLSX	"application/vnd.openxmlformats-officedocument." \
			"spreadsheetml.sheet"

/* A 200 answer that browsers save as filename (ASCII letters, digits,
 * '.', '-' and '_' only: the caller's own name, never the filer's). */
void	 resp_attachment(struct req *, const char *type, const char *filename,
	    const void *data, size_t len);

#endif
