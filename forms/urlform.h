/*
 * The web form reader: decoded name/value pairs of an urlencoded body,
 * named by the vocabulary ("importer_name", "lines[2].hts_code"), into
 * a struct form.  The pairs come from whoever decoded the body, so this
 * module knows nothing of HTTP.
 */
#ifndef AIM_URLFORM_H
#define AIM_URLFORM_H

#include <stddef.h>

#include "form.h"

struct urlpair {
	const char	*name;
	const char	*value;
};

/* Keep product lines whose fields are all empty (a form being edited
 * and shown again, not submitted). */
#define URLFORM_KEEP_EMPTY	0x01

/*
 * Header fields by name; line fields as lines[N].FIELD with N from 1 to
 * LIM_LINES, in any order and with gaps: lines are renumbered from 1 in
 * the order of N.  A line whose every field is empty or white space is
 * dropped (unless URLFORM_KEEP_EMPTY).  A name given twice keeps its
 * last value.  Other names (csrf, buttons, typos) are ignored.  A value
 * over LIM_FIELD_BYTES or a line past LIM_LINES is an error in rep.
 * Returns NULL with a message in err when the pairs cannot be read at
 * all (more than LIM_PARAMS, or out of memory).
 */
struct form	*urlform_read(const struct urlpair *, size_t n, int flags,
		    struct report *rep, char *err, size_t errsz);

#endif
