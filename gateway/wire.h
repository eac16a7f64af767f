/*
 * What a gateway worker and the writer (gateway/writer.c) say to each
 * other: a checked license with its actor, and the registry's answer.
 * Both ends are the same program on the same machine, so numbers go in
 * host byte order; lengths and enums are still checked on the way in.
 */
#ifndef AIM_WIRE_H
#define AIM_WIRE_H

#include "lib/buf.h"
#include "forms/license.h"
#include "db/registry.h"

/* An actor as read back: the strings point into the request's own. */
struct wire_submit {
	struct actor	 actor;
	char		*who;
	char		*channel;
	int		 app;
	struct license	*lic;
};

/* Appends to b; -1 when it overflows. */
int	 wire_put_submit(struct buf *, const struct actor *,
	    const struct license *, int app);
int	 wire_put_result(struct buf *, enum reg_err,
	    const struct reg_result *);

/* Read what the other end put; -1 on anything malformed. */
int	 wire_get_submit(const char *, size_t, struct wire_submit *);
void	 wire_submit_free(struct wire_submit *);
/* res must be initialised (reg_result_init). */
int	 wire_get_result(const char *, size_t, enum reg_err *,
	    struct reg_result *);

#endif
