/*
 * multipart/form-data bodies (RFC 7578 over RFC 2046), as browsers send
 * a form with a file input.  Text fields go into a kvlist as the fields
 * of an urlencoded body do (so the CSRF check reads them the same way);
 * files go into a list whose data points into the body, never copied.
 * Every size is bounded by lib/limits.h: the body (LIM_UPLOAD_BYTES),
 * the parts (LIM_MULTIPART_PARTS), each part's header section
 * (LIM_MULTIPART_HEADER_BYTES) and the fields (LIM_PARAMS).
 */
#ifndef AIM_MULTIPART_H
#define AIM_MULTIPART_H

#include <stddef.h>

#include "req.h"

enum mp_err {
	MP_OK,
	MP_CONTENT_TYPE,	/* not multipart/form-data, or a bad boundary */
	MP_SYNTAX,		/* no opening boundary, a part without headers */
	MP_TRUNCATED,		/* no closing boundary: the body was cut off */
	MP_PARTS,		/* more than LIM_MULTIPART_PARTS parts */
	MP_HEADER,		/* a header section past its limit */
	MP_TOO_LARGE,		/* a body past LIM_UPLOAD_BYTES */
	MP_NOMEM,
	MP__MAX
};

const char	*multipart_strerror(enum mp_err);

/* Whether a Content-Type is multipart/form-data (any parameters). */
int	 multipart_is(const char *content_type);

/*
 * The boundary parameter of a multipart Content-Type (a token or a
 * quoted string) into out, at most 70 characters of RFC 2046's set and
 * no space at the end.  Returns its length, or -1.
 */
int	 multipart_boundary(const char *content_type, char *out,
	    size_t outsz);

/*
 * Parses body: a part with a filename parameter (even empty) is a file,
 * any other named part a text field.  The filename is filename*= (RFC
 * 5987/2231, UTF-8 or ISO-8859-1, continuations too) when given, else
 * filename=; parts without a name are skipped.  The preamble before the
 * first boundary and the epilogue after the last are ignored.  On
 * error nothing is added to form or files.
 */
enum mp_err	 multipart_parse(const char *content_type, const char *body,
		    size_t len, struct kvlist *form, struct uploads *files);

/* The first file of a field, or NULL. */
const struct upload *upload_get(const struct uploads *, const char *name);
void	 uploads_free(struct uploads *);

#endif
