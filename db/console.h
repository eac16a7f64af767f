/*
 * What the staff console reads and does beyond the queue calls of
 * db/queue.h: the dashboard's numbers, filer account lookup, lock and
 * electronic filing, a license's emails, questions to filers, replies
 * to correspondence, sending quarantined mail back to the intake, and
 * the audit log.  Every action is one transaction holding the change,
 * its email and its audit row (who, when, from which address, what).
 */
#ifndef AIM_CONSOLE_H
#define AIM_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

#include "forms/licnum.h"
#include "db.h"
#include "mailstore.h"
#include "queue.h"

/* The numbers that say the email channel is healthy. */
struct console_dash {
	long		 active[QK__MAX];	/* open or claimed items */
	long		 claimed[QK__MAX];
	char		 oldest[QK__MAX][24];	/* created_at, "" none */
	long		 mail_unread;		/* stored, not yet handled */
	char		 mail_oldest[24];	/* received_at, "" none */
	long		 mail_quarantined;
	struct mailbox_state *mailboxes;
	size_t		 nmailboxes;
	long		 outbox_queued;
	char		 outbox_oldest[24];	/* of the queued, "" none */
	long		 outbox_failed;
	long		 outbox_sent;
	char		 now[24];		/* when counted */
};

enum db_err	 console_dashboard(struct db *, struct console_dash *);
void		 console_dash_free(struct console_dash *);

/* A filer account as the lists show it. */
struct console_account {
	int64_t		 id;
	char		*email;
	char		*alt_email;
	char		*company_name;
	char		*ein;
	char		*importer_number;
	char		*contact_name;
	char		*phone;
	int		 verified;
	int		 locked;
	int		 efiling;
	char		 created_at[24];
	long		 licenses;
};

/* Accounts whose company, email, alternate email, EIN or importer
 * number holds q (any ASCII case; NULL or "": all), by company, a
 * page of at most LIM_PAGE_ROWS from offset. */
enum db_err	 console_accounts(struct db *, const char *q, size_t offset,
		    size_t limit, struct console_account **, size_t *n,
		    size_t *total);
/* One account, DB_NOT_FOUND if none. */
enum db_err	 console_account(struct db *, int64_t id,
		    struct console_account *);
/* The company's users: the other accounts with the account's EIN or
 * importer number, or its company name (any case). */
enum db_err	 console_company(struct db *, const struct console_account *,
		    struct console_account **, size_t *n);
void		 console_account_clear(struct console_account *);
void		 console_accounts_free(struct console_account *, size_t);

enum console_switch {
	CONSOLE_LOCKED,		/* account.locked: no sign-in, no API */
	CONSOLE_EFILING,	/* account.efiling: may file on the web and
				 * by the API (else only staff issue) */
	CONSOLE_SWITCH__MAX
};

/*
 * Sets a switch of an account (on 0 or 1), audited ("account_lock",
 * "account_unlock", "efiling_revoke", "efiling_restore") with the
 * account's email; locking also ends its web sessions.  DB_NOT_FOUND
 * if no such account.
 */
enum db_err	 console_account_set(struct db *, const struct staff *,
		    int64_t id, enum console_switch, int on);

/* An email sent about a license (the outbox rows naming it). */
struct console_out {
	int64_t		 id;
	char		 created_at[24];
	char		 template[48];
	char		*to;
	char		 state[12];
	char		*message_id;
};

/* Emails in and out threaded on a license (oldest first), and every
 * outbox row about it. */
enum db_err	 console_license_thread(struct db *, int64_t license_id,
		    struct queue_thread_row **, size_t *n);
enum db_err	 console_license_outbox(struct db *, int64_t license_id,
		    struct console_out **, size_t *n);
void		 console_thread_free(struct queue_thread_row *, size_t);
void		 console_out_free(struct console_out *, size_t);

/* Bytes of a question or a reply staff write (emailed). */
#define CONSOLE_TEXT_MAX	QUEUE_NOTE_MAX
/* Bytes of a reply's subject. */
#define CONSOLE_SUBJECT_MAX	200

/*
 * Emails the filer of a license a question (outbox template
 * "staff_question", params {license_number, question, license_id}, to
 * the primary email, copied to the alternate), threaded on the license
 * and audited ("question").  The sender writes a reply token of purpose
 * Q into it, so the answer threads back onto the license.  QUEUE_INVALID
 * for an empty or too long question, QUEUE_NOT_FOUND for no license.
 * *outbox_id (may be NULL) receives the row.
 */
enum queue_err	 console_question(struct db *, const struct staff *,
		    const char *number, const char *question,
		    int64_t *outbox_id);

/*
 * Answers the sender of an item (outbox template "staff_reply", params
 * {body, subject, item_id, in_reply_to, reference}), threaded on the
 * item and audited ("reply").  subject NULL or "": "Re: " and the
 * email's.  QUEUE_STATE when the item is decided, QUEUE_CLAIMED when
 * another holds it, QUEUE_KIND when it has no sender to answer.
 */
enum queue_err	 console_reply(struct db *, int64_t item_id,
		    const struct staff *, const char *subject,
		    const char *body, int64_t *outbox_id);

/*
 * A quarantine item's message goes back to the mail gateway to be read
 * again (mail_requeue), and the item is closed: audited ("reprocess").
 * The item keeps the message in its thread but no longer holds it, so
 * the item the intake then makes of it can (one item per message).
 * QUEUE_KIND unless a quarantine item with a message.
 */
enum queue_err	 console_reprocess(struct db *, int64_t item_id,
		    const struct staff *);

/* The audit log, newest first, filtered (NULL or 0: any). */
struct console_audit_filter {
	const char	*who;
	const char	*action;
	int64_t		 item_id;
	int64_t		 license_id;
	size_t		 offset;
	size_t		 limit;		/* at most LIM_PAGE_ROWS */
};

struct console_audit_row {
	struct audit_row a;
	char		 license_number[LICNUM_LEN + 1];	/* "" none */
};

enum db_err	 console_audit(struct db *, const struct console_audit_filter *,
		    struct console_audit_row **, size_t *n, size_t *total);
void		 console_audit_free(struct console_audit_row *, size_t);

#endif
