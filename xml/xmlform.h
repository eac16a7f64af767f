/*
 * The XML form: <license xmlns="urn:aim:license:1"> with the foundation
 * vocabulary as element names, validated against xml/license.xsd.
 * Parsed with no network, no DTD loading and no entity expansion, under
 * the size and depth limits of lib/limits.h.
 */
#ifndef AIM_XMLFORM_H
#define AIM_XMLFORM_H

#include <stddef.h>

#include "../forms/form.h"

#define XMLFORM_NS	"urn:aim:license:1"

/* Loads the schema (compiled into the program).  Returns 0, or -1. */
int		 xmlform_init(char *err, size_t errsz);
void		 xmlform_free(void);
/* Same contract as the other readers in forms/read.h. */
struct form	*xmlform_read(const char *buf, size_t len, struct report *rep,
		    char *err, size_t errsz);
/* The form as an XML document (caller frees), or NULL. */
char		*xmlform_write(const struct form *);

#endif
