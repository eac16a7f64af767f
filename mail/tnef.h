/*
 * winmail.dat (application/ms-tnef): the files Outlook wraps inside
 * it, read with libytnef after a bounded check of the stream's own
 * framing, so that the library only ever sees a well-formed stream of
 * at most TNEF_ATTRS_MAX attributes with good checksums.
 */
#ifndef AIM_TNEF_H
#define AIM_TNEF_H

#include <stddef.h>

/* Attributes of one winmail.dat: about ten per file it holds. */
#define TNEF_ATTRS_MAX	10000

struct tnef_file {
	char		*name;		/* UTF-8; "" when it has none */
	char		*type;		/* lower case MIME type */
	unsigned char	*data;
	size_t		 size;
};

/*
 * The files of a TNEF stream, at most maxfiles (more is an error).
 * Returns the number of files (0 or more) with the array in *files,
 * or -1 with a message in err when the stream is not TNEF, damaged or
 * too large.  Free with tnef_free.
 */
int	 tnef_read(const unsigned char *data, size_t len, size_t maxfiles,
	    struct tnef_file **files, char *err, size_t errsz);
void	 tnef_free(struct tnef_file *, size_t n);

/* Is this the start of a TNEF stream (its signature)? */
int	 tnef_is(const unsigned char *data, size_t len);

#endif
