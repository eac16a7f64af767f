/*
 * The outbox sender: queued rows (db/outbox.h) rendered (mail/render.h)
 * and delivered over SMTP with libetpan, one connection per run.
 *
 * The connection: TCP with a timeout, the greeting, EHLO; with
 * smtp_tls "starttls" STARTTLS, the server certificate's SHA-256
 * compared with smtp_pin before anything else is said (libetpan checks
 * no certificate), EHLO again; AUTH when smtp_user is set (password
 * from smtp_password_file).  smtp_tls "none", or no pin, only to a
 * loopback address.  A server that offers no STARTTLS is never sent to
 * in the clear.
 *
 * Each due row is claimed (a lease, so no two senders take it), then:
 *  - past SENDER_GIVE_UP_SECONDS in the queue: failed, staff told;
 *  - an automatic reply to a recipient that had replies_per_hour of
 *    them in the hour before it: failed "rate limited", not sent;
 *  - MAIL FROM:<noreply@DOMAIN>, RCPT TO each of To and Cc, DATA.
 *    250 to DATA: marked sent at once.  A 4xx anywhere, a lost
 *    connection, a server down or the wrong certificate: deferred
 *    (next_attempt_at by sender_backoff).  5xx: failed with the
 *    server's answer and an outbound_failure queue item for staff in
 *    the same transaction; when only some recipients were refused the
 *    others get the message and staff are told of the refused ones.
 *
 * A row is never sent twice except in one window no SMTP client can
 * close: the server has taken the message (250 to DATA) but we die, or
 * the connection breaks while its answer is on the way, before the row
 * is marked sent.  The mark follows the 250 immediately, with nothing
 * in between; a lost answer is retried, which may deliver it twice.
 *
 * The envelope sender is noreply@DOMAIN, never the null path <>, for
 * automatic replies too: <> belongs to bounces and other delivery
 * notices (RFC 5321 4.5.5), receivers treat other mail with it as
 * suspect, and it would throw away the bounce of an acknowledgement
 * that could not be delivered.  Loops are stopped without it: every
 * message says Auto-Submitted (RFC 3834 responders do not answer it)
 * and carries X-AIM-Loop, our intake never answers bounces,
 * auto-replies or our own mail, and automatic replies are limited per
 * recipient.
 *
 * The caller ignores SIGPIPE (a server may close while we write).
 */
#ifndef AIM_SENDER_H
#define AIM_SENDER_H

#include <stddef.h>
#include <time.h>

#include "lib/config.h"
#include "db/db.h"
#include "render.h"

/* Rows one run takes at most. */
#define SENDER_BATCH		50
/* How long a claimed row is left to its sender: far longer than one
 * message takes, even at the timeout of every command. */
#define SENDER_LEASE_SECONDS	600
/* Seconds a connect or a server answer may take. */
#define SENDER_TIMEOUT_SECONDS	30
/* A row still not delivered after this long is given up (as MTAs do
 * after 5 days). */
#define SENDER_GIVE_UP_SECONDS	(5 * 86400)
/* Retry delays: the first, doubling up to the cap. */
#define SENDER_BACKOFF_FIRST	60
#define SENDER_BACKOFF_MAX	3600

/* sender_run_once flags. */
#define SENDER_RETRY_NOW	0x1	/* deferred rows too, now */

struct sender_stats {
	size_t	 sent;
	size_t	 deferred;	/* temporary failures, retried later */
	size_t	 failed;	/* permanent failures (staff told) */
	size_t	 limited;	/* automatic replies over the limit */
	size_t	 skipped;	/* claimed meanwhile by another sender */
	char	 error[512];	/* the last connection or db error */
};

/*
 * The [mail] settings the sender needs: smtp_tls "starttls" or "none",
 * a pin of 64 hex digits (or none, to loopback only), "none" to
 * loopback only, a password file when smtp_user is set.  0, or -1 with
 * the reason in err.
 */
int	 sender_check(const struct config *, char *err, size_t errsz);

/*
 * One run: up to SENDER_BATCH due rows, one SMTP connection (opened
 * only if a row needs it), as above.  Returns 0 when the run went
 * through - rows may have been deferred, see stats - or -1 when the
 * settings are wrong or the database failed (stats->error says why;
 * rows not reached are left as they were).  The daemon calls it from
 * its main loop; render holds the templates (render_reload on SIGHUP).
 */
int	 sender_run_once(struct db *, const struct config *,
	    struct render *, int flags, struct sender_stats *);

/*
 * When to retry after attempts failed tries (1 after the first):
 * SENDER_BACKOFF_FIRST doubled for each further try, at most
 * SENDER_BACKOFF_MAX, less a jitter of up to a fifth taken from rnd (so
 * rows that failed together do not all come back at once).  Seconds.
 */
long	 sender_backoff(int attempts, unsigned int rnd);

/* Seconds from now until the next queued row is due (0: due now), or
 * -1 if none is queued or the database failed: how long the daemon may
 * sleep. */
long	 sender_next_due(struct db *);

#endif
