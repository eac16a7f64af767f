/* FastCGI plumbing of gateway/req.h (used by main.c only, and tests). */
#ifndef AIM_HTTP_H
#define AIM_HTTP_H

#include <fcgiapp.h>

#include "req.h"

/* An empty request of gw with its buffers ready, as each one starts;
 * http_free frees it. */
void	 http_init(struct req *, struct gw *);
/* Reads a request; returns 0, or the HTTP status to answer with. */
int	 http_read(struct req *, FCGX_Request *);
void	 http_send(struct req *, FCGX_Request *);
void	 http_free(struct req *);
int	 http_parse_pairs(struct kvlist *, const char *, size_t, char sep,
	    int plus);

#endif
