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

#endif
