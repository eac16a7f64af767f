/*
 * The outbox: emails to send, written in the same transaction as the
 * change they report.  A row names a template (mail/ renders it) and its
 * parameters as JSON; the Message-ID is fixed when the row is written.
 *
 * The sender (mail/sender.c) works a row through these calls:
 *
 *   queued --claim--> (in flight) --sent--> sent
 *                          |  `---fail--> failed (+ a staff queue item)
 *                          `--defer--> queued, due again at next_attempt_at
 *
 * A claim is a lease: attempts + 1, next_attempt_at = the end of the
 * lease and last_error cleared, so no other sender takes the row while
 * one works on it, and a sender that dies mid-way leaves a row that is
 * due again once the lease is over.  A deferred row keeps the error
 * that deferred it: "due now, backoff or not" (an operator's flush)
 * takes rows with an error, never rows in flight.
 */
#ifndef AIM_OUTBOX_H
#define AIM_OUTBOX_H

#include <stdint.h>
#include <jansson.h>

#include "lib/limits.h"
#include "clock.h"
#include "db.h"

/* Queues one email to to (cc may be NULL).  Takes a reference to
 * params.  message_id, if not NULL, receives the Message-ID (>= 128). */
enum db_err	 outbox_add(struct db *, const char *template,
		    const char *to, const char *cc, json_t *params,
		    int64_t license_id, int64_t account_id, char *message_id,
		    size_t idsz);

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
	int64_t		 license_id;		/* 0: none */
	int64_t		 account_id;		/* 0: none */
	char		 next_attempt_at[24];	/* "" due now */
	char		*last_error;		/* NULL: none */
	char		 sent_at[24];		/* "" not sent */
};

/* Rows in id order, all or one state ("queued", "sent", "failed"). */
enum db_err	 outbox_list(struct db *, const char *state,
		    struct outbox_row **rows, size_t *n);
void		 outbox_rows_free(struct outbox_row *, size_t);
/* One row (DB_NOT_FOUND if none); free with outbox_row_clear. */
enum db_err	 outbox_get(struct db *, int64_t id, struct outbox_row *);
void		 outbox_row_clear(struct outbox_row *);

/*
 * The automatic replies among the templates (acknowledgements and the
 * answers to replies): sent with "Auto-Submitted: auto-replied" and
 * rate-limited per recipient.
 */
int		 outbox_is_auto_reply(const char *template);

/*
 * Queued rows due at now (ISO UTC, db/clock.h), in id order, at most
 * max.  With retry_now, rows deferred after a failure are due whatever
 * their next_attempt_at (never rows in flight).
 */
enum db_err	 outbox_due(struct db *, const char *now, int retry_now,
		    size_t max, struct outbox_row **rows, size_t *n);
/*
 * Takes a due row for one attempt until lease_until (attempts + 1).
 * DB_NOT_FOUND: it is no longer queued and due (another sender has it,
 * or it was sent meanwhile): leave it alone.
 */
enum db_err	 outbox_claim(struct db *, int64_t id, const char *now,
		    int retry_now, const char *lease_until);
/*
 * Delivered (the server said 250 to DATA).  refused, if not NULL, names
 * recipients the server refused for good: kept as the row's last_error
 * and raised as an outbound_failure queue item for staff, in the same
 * transaction.
 */
enum db_err	 outbox_sent(struct db *, int64_t id, const char *now,
		    const char *refused);
/* A temporary failure: due again at next_at, with the reason. */
enum db_err	 outbox_defer(struct db *, int64_t id, const char *next_at,
		    const char *error);
/*
 * A permanent failure: the row is marked failed with reason and, when
 * raise is set, an outbound_failure queue item is added for staff in
 * the same transaction (*item_id, may be NULL, receives it; 0 if none).
 */
enum db_err	 outbox_fail(struct db *, int64_t id, const char *reason,
		    int raise, int64_t *item_id);
/*
 * How many automatic replies (outbox_is_auto_reply) to recipient (any
 * case) were queued or sent since since (ISO UTC), before row
 * before_id (0: all rows); rows that failed do not count.  The rate
 * limit of replies per recipient: the intake checks before queuing,
 * the sender again before sending.  Reads the newest rows backwards
 * only as far as since, at most OUTBOX_SCAN_MAX of them (the
 * recipient's: outbox_by_recipient, which holds what is read), and
 * stops once max are counted (*count is then max): the callers only
 * ask whether the limit is reached, and a busy sender's hour would
 * otherwise be read again for each of its messages.
 */
#define OUTBOX_SCAN_MAX	100000
enum db_err	 outbox_recent_auto(struct db *, const char *recipient,
		    const char *since, int64_t before_id, int max,
		    int *count);
/*
 * What outbox_recent_auto_memo counted last, for a caller that counts
 * again and again inside one write transaction (the intake, for each
 * message of a batch): no other connection can change the rows
 * meanwhile, so the next count for the same recipient reads only the
 * rows written since, unless one it counted has left the hour.
 * Zeroed before the transaction; dropped with it.
 */
struct outbox_recent {
	char		 to[LIM_EMAIL_BYTES + 1];
	char		 since[CLOCK_ISO_LEN + 1];
	char		 oldest[CLOCK_ISO_LEN + 1];	/* of those counted */
	int64_t		 newest;	/* the newest row read */
	int		 count;
	int		 max;
	int		 set;
};
/* outbox_recent_auto (all rows) through the memo. */
enum db_err	 outbox_recent_auto_memo(struct db *, struct outbox_recent *,
		    const char *recipient, const char *since, int max,
		    int *count);
/* When the next queued row is due: its next_attempt_at, "" if due now
 * (never tried), DB_NOT_FOUND if nothing is queued. */
enum db_err	 outbox_next_due(struct db *, char *at, size_t atsz);

#endif
