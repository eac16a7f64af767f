/*
 * What aim-maild does with each message of a watched mailbox: if the
 * database has it already, only where it goes (Processed or
 * Quarantine) is left to do; otherwise the sandboxed child reads it
 * (mail/sandbox.h), and the raw message, its classification and what
 * its class asks (queue item, acknowledgement, a license confirmed or
 * corrected by reply, the answer) are stored in one transaction.  The
 * IMAP server is told (UID MOVE) only after the commit: a crash in
 * between leaves a stored message in INBOX, which the next pass finds
 * known and only moves.
 *
 * Replies to Action Required (a license's reply token, purpose A)
 * change the license only when the token is valid and unused, the
 * sender is the license's primary or alternate email (the token is
 * written for the primary, the To of the mail; a reply from the
 * alternate, in Cc, is checked against the address the token was
 * written for) and our MTA's
 * Authentication-Results does not say dmarc=fail: a first line of the
 * sender's own "CONFIRM" confirms it (reg_confirm), an attached
 * corrected form corrects it (reg_correct, channel "email").  Anything
 * else goes to staff as correspondence with the reason.  Each outcome
 * is answered (outbox templates reply_confirmed, reply_corrected,
 * reply_refused) unless the sender had replies_per_hour automatic
 * replies in the last hour (RFC 3834) or DMARC failed.
 */
#ifndef AIM_INTAKE_H
#define AIM_INTAKE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "db/mailstore.h"
#include "imap.h"
#include "sandbox.h"

/* Where handled mail goes on the IMAP server. */
#define INTAKE_PROCESSED_BOX	"Processed"
#define INTAKE_QUARANTINE_BOX	"Quarantine"

/*
 * A pass takes messages in batches: up to INTAKE_BATCH of them and
 * INTAKE_BATCH_BYTES fetched in one UID FETCH, parsed by the workers
 * while the next batch is fetched, stored in one transaction, moved in
 * one UID MOVE per folder.  A message over INTAKE_PIECE_BYTES is a
 * batch of its own, fetched INTAKE_PIECE_BYTES at a time into a memfd
 * and stored from it piece by piece, so that aim-maild never holds it
 * whole.
 */
#define INTAKE_BATCH		32
#define INTAKE_BATCH_BYTES	(4 * 1024 * 1024)
#define INTAKE_PIECE_BYTES	(1024 * 1024)
/* Batches in hand at once: one fetched, one parsed and stored, one
 * stored and waiting for its move.  Only INTAKE_HELD hold their bytes
 * (up to INTAKE_BATCH_BYTES each, in the watcher; a worker forked
 * meanwhile shares those pages): a stored batch keeps its UIDs. */
#define INTAKE_DEPTH		3
#define INTAKE_HELD		2

/*
 * A watcher's store thread.  While the watcher's own thread fetches
 * batches, gives them to the parser and moves the stored ones, this
 * thread waits for the parser's results and stores each batch, in
 * order: the IMAP server and the database work at the same time.  It
 * lives as long as the watcher (workers it forks die with the thread
 * that forked them).  NULL when no thread could be started.
 */
struct intake_pipe;

struct intake_pipe *intake_pipe_new(void);
void	 intake_pipe_free(struct intake_pipe *);

struct intake_conf {
	const char		*mailbox;	/* its name in the database */
	const char		*product;	/* "aluminum" or "steel" */
	const char		*authserv_id;	/* our MTA's; NULL or "": none
						 * trusted */
	int			 max_attempts;	/* failures before Quarantine */
	int			 replies_per_hour;	/* per sender */
	const unsigned char	*key;		/* of reply tokens */
	size_t			 keylen;
	struct sandbox_conf	 sandbox;	/* its cc has the same key */
	/* The watcher's parser workers (intake_pass needs them);
	 * NULL: intake_message reads in a child of its own. */
	struct sandbox		*pool;
	/* The watcher's store thread (intake_pass needs it too). */
	struct intake_pipe	*pipe;
};

enum intake_where {
	INTAKE_PROCESSED,	/* stored and handled: to Processed */
	INTAKE_QUARANTINE,	/* to Quarantine */
	INTAKE_LATER,		/* left in INBOX for a later pass */
	INTAKE_STOP		/* left; the database cannot be used now */
};

struct intake_outcome {
	enum intake_where where;
	int64_t		 id;		/* the stored message, or 0 */
	char		 what[512];	/* for the log */
};

/*
 * Whether the message at (uidvalidity, uid) is stored and finished: 1
 * with out->where, 0 if it still has to be read, -1 if the database
 * failed (out->what says why).
 */
int	 intake_known(struct db *, const struct intake_conf *,
	    uint32_t uidvalidity, uint32_t uid, struct intake_outcome *out);

/* One fetched message, read and stored. */
void	 intake_message(struct db *, const struct intake_conf *,
	    uint32_t uidvalidity, uint32_t uid, const char *raw, size_t len,
	    struct intake_outcome *out);

/* A message of size bytes, over LIM_MAIL_BYTES: its first len bytes
 * are kept and it is quarantined at once. */
void	 intake_oversize(struct db *, const struct intake_conf *,
	    uint32_t uidvalidity, uint32_t uid, const char *head, size_t len,
	    size_t size, struct intake_outcome *out);

/* Whether the Authentication-Results lines (top first) of our MTA,
 * authserv_id, say dmarc=fail. */
int	 intake_dmarc_fail(const char *auth_results, const char *authserv_id);

struct intake_stats {
	size_t		 seen;		/* UIDs found */
	size_t		 stored;	/* read and stored now */
	size_t		 moved;
	size_t		 later;		/* left for a later pass */
};

/*
 * One pass over the selected mailbox: UID SEARCH ALL, then every
 * message in UID order, in batches (above), stored in UID order by the
 * store thread and moved once its batch is committed; the mailbox
 * position (uidvalidity, last UID) is kept in each batch's
 * transaction.  A crash anywhere leaves each message
 * stored with what it did, or not at all.  Stops early (IMAP_OK) when
 * *stop is set or the database cannot be used; returns the IMAP error
 * that broke the pass otherwise (what was fetched before it is still
 * stored).
 */
enum imap_err intake_pass(struct imap *, struct db *,
	    const struct intake_conf *, struct mailbox_state *,
	    volatile sig_atomic_t *stop, struct intake_stats *);

#endif
