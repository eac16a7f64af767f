/*
 * The mail gateway's records: every message taken in (raw, with its
 * SHA-256), the per-mailbox IMAP position, and what each message did to
 * the staff queue.  Idempotent on (mailbox, UIDVALIDITY, UID) and on
 * Message-ID, so a crash anywhere neither loses nor doubles a message:
 * store first (mail_store), then UID MOVE to Processed or Quarantine.
 *
 * Every call here is one transaction, or joins the caller's (db_begin
 * nests), so the daemon can put a registry call, mail_processed and
 * mail_token_use in one.
 */
#ifndef AIM_MAILSTORE_H
#define AIM_MAILSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/limits.h"
#include "forms/form.h"
#include "mail/message.h"
#include "db.h"

/* Bytes of a mailbox name we keep ("INBOX", "aluminum.license"). */
#define MAILBOX_NAME_MAX	64

struct mailbox_state {
	char		 mailbox[MAILBOX_NAME_MAX];
	uint32_t	 uidvalidity;
	uint32_t	 last_uid;	/* highest UID stored */
	char		 last_fetch_at[24];
	char		 last_error[256];
};

/* DB_NOT_FOUND (and zeros, with the name) for a mailbox never seen. */
enum db_err	 mailbox_get(struct db *, const char *mailbox,
		    struct mailbox_state *);
/* Writes the whole position; last_fetch_at "" means now. */
enum db_err	 mailbox_put(struct db *, const struct mailbox_state *);

/*
 * One fetched message and what the daemon made of it.  Only mailbox,
 * uidvalidity, uid and raw (or raw_fd and sha256) are required; msg is NULL when the message
 * could not be parsed (mail_fail then counts the attempt).
 */
struct mail_in {
	const char		*mailbox;
	uint32_t		 uidvalidity;
	uint32_t		 uid;
	const void		*raw;
	size_t			 rawlen;
	/* With raw NULL: the raw message is the first rawlen bytes of
	 * this file, stored in pieces (a large message is never held
	 * whole).  sha256 is its SHA-256 in hex: required then, and
	 * taken when given with raw (the watcher hashes on fetching,
	 * off its store thread). */
	int			 raw_fd;
	const char		*sha256;
	const struct message	*msg;
	enum mail_class		 cls;
	/* What a valid reply token named (mail/token.c checked it). */
	int64_t			 item_id;	/* a queue item, or 0 */
	int64_t			 license_id;	/* a license, or 0 */
	const char		*token_hash;	/* SHA-256 hex, or NULL */
	/* The form attached to a submission or a correcting reply. */
	int			 has_form;	/* a form attachment was found */
	const struct form	*form;		/* NULL: it could not be read */
	const struct report	*read_report;	/* the reader's errors, or NULL */
	const char		*form_error;	/* why it could not be read */
	const char		*filer_email;	/* the PDF form's filer block */
	const char		*product;	/* the mailbox's, if the form
						 * does not say; or NULL */
	int			 app_date;	/* days; 0 or DATE_NONE: today */
	int			 no_answer;	/* never acknowledge (rate limit) */
	/* Why the message goes to staff (aim-maild's refused replies),
	 * kept as the note of the correspondence item it makes; NULL:
	 * none. */
	const char		*note;
};

struct mail_stored {
	int64_t		 id;
	int		 created;	/* 0: known already, nothing changed; 1:
					 * stored now (or completed) */
	char		 state[16];	/* "stored", "processed", "quarantined" */
	int64_t		 item_id;	/* the queue item made or updated, or 0 */
	int		 acked;		/* an acknowledgement was queued */
	int		 token_reused;	/* the reply token was used before: the
					 * message went to staff instead */
};

/*
 * Stores the raw message, its SHA-256, classification, headers and
 * attachment rows, and does what its class asks, in one transaction:
 *  - submission: a queue item with the parsed form and its validation,
 *    and the "submission_received" acknowledgement to the sender;
 *  - reply naming a queue item: a corrected form updates that item (and
 *    is acknowledged again); the token is used up;
 *  - reply naming a license: threaded on the license and left "stored"
 *    for the daemon to apply (then mail_processed);
 *  - correspondence (or a reused token): a correspondence item;
 *  - bounce, auto-reply, our own mail: recorded, never answered.
 * The same (mailbox, uidvalidity, uid) or Message-ID again returns the
 * existing id with created = 0 and changes nothing, except that a
 * message only recorded by mail_fail is completed once readable.
 */
enum db_err	 mail_store(struct db *, const struct mail_in *,
		    struct mail_stored *);

/*
 * Counts a failed attempt at a message (stored raw if not yet, so it is
 * never lost); at max_attempts it is quarantined with the reason and a
 * "quarantine" queue item is raised.  out->state says which.
 */
enum db_err	 mail_fail(struct db *, const struct mail_in *,
		    const char *reason, int max_attempts, struct mail_stored *);

/* A stored message fully handled (DB_NOT_FOUND unless "stored"). */
enum db_err	 mail_processed(struct db *, int64_t id);

/* Uses up a reply token: DB_EXISTS if it was used before. */
enum db_err	 mail_token_use(struct db *, const char *token_hash,
		    int64_t message_id);

/* Whether this (mailbox, uidvalidity, uid) or Message-ID is stored:
 * DB_OK with *id, or DB_NOT_FOUND. */
enum db_err	 message_seen(struct db *, const char *mailbox,
		    uint32_t uidvalidity, uint32_t uid, const char *message_id,
		    int64_t *id);

/* A message as stored, without its raw bytes (mail_raw). */
struct stored_message {
	int64_t		 id;
	char		 mailbox[MAILBOX_NAME_MAX];
	uint32_t	 uidvalidity;
	uint32_t	 uid;
	char		*message_id;	/* the key: Message-ID or SHA-256 */
	char		 sha256[65];
	size_t		 size;
	char		 received_at[24];
	char		*from;
	char		*from_name;
	char		*to;
	char		*subject;
	char		*date;
	char		*in_reply_to;
	char		*auth_results;
	char		*text;
	char		 classification[24];	/* "" not classified */
	char		 state[16];
	int		 attempts;
	char		*last_error;
};

struct stored_attachment {
	int		 idx;
	char		*name;
	char		*type;
	size_t		 size;
	char		 sha256[65];
};

enum db_err	 mail_get(struct db *, int64_t id, struct stored_message *);
void		 stored_message_clear(struct stored_message *);
/* The raw bytes (caller frees). */
enum db_err	 mail_raw(struct db *, int64_t id, unsigned char **raw,
		    size_t *len);
enum db_err	 mail_attachments(struct db *, int64_t id,
		    struct stored_attachment **, size_t *n);
void		 stored_attachments_free(struct stored_attachment *, size_t);

/*
 * For aim-maild (mail/intake.c).  The license a reply token names: its
 * number (numbersz bytes), account and status as stored ("issued",
 * "action_required", "canceled").  DB_NOT_FOUND if there is none.
 */
enum db_err	 mail_license(struct db *, int64_t license_id, char *number,
		    size_t numbersz, int64_t *account_id, char *status,
		    size_t statussz);

/*
 * The addresses (lower case) the outbox wrote to about a license, at
 * most max of them, each of up to LIM_EMAIL_BYTES: whom a reply token
 * about it may have been written for.  *n receives how many.
 */
#define MAIL_RECIPIENTS_MAX	16
enum db_err	 mail_license_recipients(struct db *, int64_t license_id,
		    char (*out)[LIM_EMAIL_BYTES + 1], size_t max, size_t *n);

/* The templates of automatic replies (RFC 3834: acknowledgements and
 * answers to replies), NULL-terminated: db/outbox.h
 * outbox_is_auto_reply and outbox_recent_auto count these. */
extern const char *const mail_auto_templates[];

/*
 * The staff console's "reprocess" of a quarantined message: it is made
 * "stored" again with no attempts, no error and no class, as if never
 * read, so the intake reads it again from its raw bytes.  The daemon
 * finds such messages with mail_pending (its IMAP copy is in the
 * Quarantine folder by then) and stores what it reads with mail_store
 * (the same mailbox, UIDVALIDITY and UID find the row and complete it)
 * or counts a failure with mail_fail.  DB_NOT_FOUND unless the message
 * is quarantined.
 */
enum db_err	 mail_requeue(struct db *, int64_t message_id);
/* Up to max ids of messages stored but never read (requeued, or
 * failed fewer than max_attempts times), oldest first; *n of them. */
enum db_err	 mail_pending(struct db *, int64_t *ids, size_t max, size_t *n);

#endif
