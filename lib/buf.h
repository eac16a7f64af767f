/*
 * Growable byte buffers with a maximum set at init: an append past the
 * maximum fails (and marks the buffer) instead of growing without end.
 */
#ifndef AIM_BUF_H
#define AIM_BUF_H

#include <stddef.h>

struct buf {
	char	*p;		/* NUL-terminated when len > 0 */
	size_t	 len;
	size_t	 cap;
	size_t	 max;
	int	 overflow;	/* an append failed: output is incomplete */
};

void	 buf_init(struct buf *, size_t max);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);
int	 buf_add(struct buf *, const void *, size_t);
int	 buf_puts(struct buf *, const char *);
int	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* The contents as a string ("" when empty). */
const char *buf_str(const struct buf *);

#endif
