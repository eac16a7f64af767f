/*
 * HTML built with escaping by construction: element and attribute
 * names are the program's own literals; every value and every text
 * goes through the escaper.  There is no call that writes user text
 * raw.  Elements close in order: h_close closes the innermost.
 */
#ifndef AIM_HTML_H
#define AIM_HTML_H

#include "lib/buf.h"

#define HTML_DEPTH_MAX	64

struct html {
	struct buf	*out;
	const char	*stack[HTML_DEPTH_MAX];
	int		 depth;
	int		 error;		/* unbalanced use: a bug */
};

void	 html_init(struct html *, struct buf *);
/* "<!DOCTYPE html>" and <html lang="en">. */
void	 h_doctype(struct html *);
/*
 * Opens tag with attributes as name, value pairs ending in NULL:
 *   h_open(h, "a", "href", url, "class", "usa-link", NULL);
 * A NULL value leaves its attribute out; "" writes it bare (boolean).
 */
void	 h_open(struct html *, const char *tag, ...)
	    __attribute__((sentinel));
/* A void element (input, img, meta, link, br): nothing to close. */
void	 h_void(struct html *, const char *tag, ...)
	    __attribute__((sentinel));
void	 h_close(struct html *);
/* Closes elements until only d remain open (h->depth == d). */
void	 h_close_to(struct html *, int d);
void	 h_text(struct html *, const char *);
void	 h_textf(struct html *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* <tag attrs>text</tag> in one call. */
void	 h_elem(struct html *, const char *tag, const char *text, ...)
	    __attribute__((sentinel));
/* Escapes s into out for use in a text or attribute. */
void	 html_escape(struct buf *out, const char *s);

#endif
