/*
 * The outbox: emails to send, written in the same transaction as the
 * change they report.  A row names a template (mail/ renders it) and its
 * parameters as JSON; the Message-ID is fixed when the row is written.
 */
#ifndef AIM_OUTBOX_H
#define AIM_OUTBOX_H

#include <stdint.h>
#include <jansson.h>

#include "db.h"

/* Queues one email to to (cc may be NULL).  Takes a reference to
 * params.  message_id, if not NULL, receives the Message-ID (>= 128). */
enum db_err	 outbox_add(struct db *, const char *template, const char *to,
		    const char *cc, json_t *params, int64_t license_id,
		    int64_t account_id, char *message_id, size_t idsz);

struct outbox_row {
	int64_t		 id;
	char		 created_at[24];
	char		 template[48];
	char		*to;
	char		*cc;
	char		*params;		/* JSON text */
	char		 message_id[128];
	char		 state[12];
	int		 attempts;
};

/* Rows in id order, all or one state ("queued", "sent", "failed"). */
enum db_err	 outbox_list(struct db *, const char *state,
		    struct outbox_row **rows, size_t *n);
void		 outbox_rows_free(struct outbox_row *, size_t);

#endif
