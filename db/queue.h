/*
 * The staff queue: emailed submissions, correspondence, quarantined
 * mail and failed outbound mail.  Staff claim an item, approve a
 * submission (the license is issued through the registry, the one core
 * call) or reject it with reasons; every action is one transaction
 * holding the change, its emails and its audit row.  aimctl queue and
 * the staff console both work through these calls.
 *
 * A submission's reference ("EF-2026-000123") is what the filer is
 * told: it is NOT a license number and no entry may be filed with it.
 */
#ifndef AIM_QUEUE_H
#define AIM_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "forms/form.h"
#include "forms/licnum.h"
#include "db.h"
#include "mailstore.h"
#include "registry.h"

enum queue_err {
	QUEUE_OK,
	QUEUE_NOT_FOUND,	/* no such item */
	QUEUE_CLAIMED,		/* another staff member holds it */
	QUEUE_STATE,		/* not possible in the item's state */
	QUEUE_KIND,		/* not possible for this kind of item */
	QUEUE_INVALID,		/* the form has errors (or there is none) */
	QUEUE_NO_ACCOUNT,	/* no filer account has the sender's email */
	QUEUE_ACCOUNT,		/* the account is unverified or locked */
	QUEUE_DB,		/* database failure; nothing was changed */
	QUEUE_NOMEM,
	QUEUE__MAX
};

const char	*queue_strerror(enum queue_err);

enum queue_kind {
	QK_SUBMISSION,
	QK_CORRESPONDENCE,
	QK_QUARANTINE,
	QK_OUTBOUND_FAILURE,
	QK__MAX
};

enum queue_state {
	QS_OPEN,
	QS_CLAIMED,
	QS_APPROVED,
	QS_REJECTED,
	QS_CLOSED,
	QS__MAX
};

extern const char *const queue_kind_names[QK__MAX];
extern const char *const queue_state_names[QS__MAX];

/* Who acts: recorded on the item and in the audit log. */
struct staff {
	const char	*name;		/* "ann"; "aimctl" for the operator */
	const char	*addr;		/* remote address, or "cli" */
};

/* Whether s names a staff member as the queue's fixed columns hold
 * them (1 to 63 bytes); if not, db->errmsg says so after "who: ". */
int		 queue_staff_ok(struct db *, const struct staff *,
		    const char *who);

/* Bytes of a reference: "EF-" year "-" at least 6 digits. */
#define QUEUE_REF_MAX	32
/* Bytes of a staff note or rejection reason (emailed to the filer):
 * a page of text.  (Belongs in lib/limits.h.) */
#define QUEUE_NOTE_MAX	4000

/* One line of a queue list. */
struct queue_row {
	int64_t		 id;
	char		 reference[QUEUE_REF_MAX];
	enum queue_kind	 kind;
	enum queue_state state;
	char		 product[12];		/* "" not known */
	char		*sender;
	char		*subject;
	char		 received_at[24];
	char		 created_at[24];
	int		 valid;
	int		 nerrors;
	char		 claimed_by[64];
	char		 license_number[LICNUM_LEN + 1];
};

/* NULL or 0: any.  state may also be "active" (open or claimed). */
struct queue_filter {
	const char	*kind;
	const char	*state;
	const char	*product;
	long		 min_age;	/* seconds: created at least this long ago */
	long		 max_age;	/* seconds: ... at most this long ago */
	size_t		 offset;
	size_t		 limit;		/* 0: LIM_PAGE_ROWS; at most that */
};

/* Oldest first.  total (may be NULL) receives the count of all rows
 * matching the filter, for paging. */
enum queue_err	 queue_list(struct db *, const struct queue_filter *,
		    struct queue_row **, size_t *n, size_t *total);
void		 queue_rows_free(struct queue_row *, size_t);
/* For db/console.c's lists too: the count in the one row of a COUNT
 * statement (resets it); a page's LIMIT as ?i and OFFSET as ?i+1, the
 * limit 0 or past LIM_PAGE_ROWS taken as LIM_PAGE_ROWS and returned. */
enum db_err	 queue_count(struct db *, sqlite3_stmt *, size_t *n);
size_t		 queue_bind_page(sqlite3_stmt *, int i, size_t limit,
		    size_t offset);

struct queue_thread_row {
	int64_t		 id;
	char		 direction[4];		/* "in" or "out" */
	char		 at[24];
	int64_t		 message_id;		/* in: mail_message id */
	int64_t		 outbox_id;		/* out: outbox id */
	char		*from;			/* in */
	char		*subject;		/* in */
	char		 template[48];		/* out */
	char		*to;			/* out */
	char		 outbox_state[12];	/* out */
};

/* For db/console.c, which reads the same rows: the db_rows fill of one
 * ST_THREAD_LIST row into a struct queue_thread_row, its clear (for
 * db_rows_or_none) and the freeing of such rows. */
void		 queue_thread_fill(sqlite3_stmt *, void *);
void		 queue_thread_clear(void *);
void		 queue_thread_rows_free(struct queue_thread_row *, size_t);

/* One item with everything staff need to decide it. */
struct queue_view {
	int64_t			 id;
	enum queue_kind		 kind;
	enum queue_state	 state;
	char			 product[12];
	char			 reference[QUEUE_REF_MAX];
	int64_t			 message_id;	/* 0: none */
	int64_t			 outbox_id;	/* outbound_failure: the row */
	int64_t			 license_id;	/* 0: none */
	char			 license_number[LICNUM_LEN + 1];
	int64_t			 account_id;	/* 0: none known */
	char			*sender;
	char			*filer_email;
	struct form		*form;		/* NULL: none readable */
	struct report		 report;	/* its errors */
	int			 valid;
	char			*note;
	char			 claimed_by[64];
	char			 claimed_at[24];
	char			 decided_by[64];
	char			 decided_at[24];
	char			 created_at[24];
	char			 updated_at[24];
	int			 has_msg;
	struct stored_message	 msg;		/* when has_msg */
	struct stored_attachment *att;
	size_t			 natt;
	struct queue_thread_row	*thread;	/* oldest first */
	size_t			 nthread;
};

enum queue_err	 queue_show(struct db *, int64_t id, struct queue_view *);
void		 queue_view_free(struct queue_view *);

/*
 * Storage calls, used by the mail gateway (db/mailstore.c) and the
 * daemon: each is one transaction or joins the caller's, and returns
 * the database error as it is (DB_BUSY: try again later).
 *
 * A submission: form is NULL when no form could be read (form_error
 * says why).  The form is validated by the rules as of app_date (0 or
 * DATE_NONE: today) after the reader's own errors in read_report (may
 * be NULL).  The item gets its reference.
 */
struct queue_submission {
	int64_t			 message_id;	/* 0: none */
	const char		*sender;
	const struct form	*form;
	const struct report	*read_report;
	const char		*form_error;
	const char		*filer_email;
	const char		*product;	/* when the form does not say */
	int			 app_date;
};

enum db_err	 queue_add_submission(struct db *,
		    const struct queue_submission *, int64_t *id);
/* The filer's corrected form on the same item, re-validated
 * (DB_NOT_FOUND unless an open or claimed submission). */
enum db_err	 queue_set_form(struct db *, int64_t id,
		    const struct queue_submission *);
/* Queues the "submission_received" acknowledgement of a submission to
 * its sender and threads it; *outbox_id (may be NULL) receives the row
 * (0 when the item has no sender to answer). */
enum db_err	 queue_acknowledge(struct db *, int64_t id, int update,
		    int64_t *outbox_id);
/* queue_add_submission, the item threaded on its message (if any),
 * then with answer its acknowledgement as queue_acknowledge queues it,
 * in one transaction and without reading the item back. */
enum db_err	 queue_add_submission_acked(struct db *,
		    const struct queue_submission *, int answer, int64_t *id,
		    int64_t *outbox_id);
/* Items for staff to read: correspondence (message_id and license_id
 * may be 0; note says what it answers), quarantined mail, an outbound
 * email that failed for good. */
enum db_err	 queue_add_correspondence(struct db *, int64_t message_id,
		    const char *sender, int64_t license_id, const char *note,
		    int64_t *id);
enum db_err	 queue_add_quarantine(struct db *, int64_t message_id,
		    const char *sender, const char *reason, int64_t *id);
enum db_err	 queue_add_outbound_failure(struct db *, int64_t outbox_id,
		    const char *reason, int64_t *id);
/* Attaches an email in (message_id) or out (outbox_id), exactly one,
 * to an item, a license or both (0: none). */
enum db_err	 queue_thread_add(struct db *, int64_t item_id,
		    int64_t license_id, int64_t message_id, int64_t outbox_id);
/* The id and account of a license by number, normalised into norm
 * (account_id may be NULL); DB_NOT_FOUND if none. */
enum db_err	 queue_license_of(struct db *, const char *number,
		    char norm[LICNUM_LEN + 1], int64_t *id,
		    int64_t *account_id);
/* Kind, state and license of an item (DB_NOT_FOUND if none). */
enum db_err	 queue_item_state(struct db *, int64_t id, enum queue_kind *,
		    enum queue_state *, int64_t *license_id);
/* One row of the audit log (staff->addr NULL: "unknown"). */
enum db_err	 queue_audit(struct db *, const struct staff *,
		    const char *action, int64_t item_id, int64_t license_id,
		    const char *detail);

/*
 * Staff actions: each one transaction with its audit row.  QUEUE_DB
 * leaves the reason in db->errmsg.
 *
 * Staff edit a submission's form before approval: re-validated by the
 * rules, as the filer's corrections are.
 */
enum queue_err	 queue_edit_form(struct db *, int64_t id,
		    const struct queue_submission *, const struct staff *);

/*
 * Claims an item.  QUEUE_CLAIMED (holder's name in who) if another
 * holds it, unless force; a forced claim is audited with the holder.
 * Release gives it back (only the holder, unless force).
 */
enum queue_err	 queue_claim(struct db *, int64_t id, const struct staff *,
		    int force, char *who, size_t whosz);
enum queue_err	 queue_release(struct db *, int64_t id, const struct staff *,
		    int force);

/*
 * Approves a submission: the license is issued by reg_submit to the
 * filer account whose primary or alternate email is the sender's (else
 * the form's filer email) - even when that account may no longer file
 * electronically - the item marked approved, the sender emailed the
 * license number if not one of the account's addresses (the registry
 * emails the account), the audit row written: one transaction.  why
 * receives a sentence for the refusals (no account: names the email).
 * res->report holds the form's errors with QUEUE_INVALID.
 */
enum queue_err	 queue_approve(struct db *, int64_t id, const struct staff *,
		    int app_date, struct reg_result *res, char *why,
		    size_t whysz);
/* Rejects a submission: the reasons are emailed to the sender. */
enum queue_err	 queue_reject(struct db *, int64_t id, const struct staff *,
		    const char *reason);
/* Closes an item that needs no decision (correspondence read,
 * quarantine dealt with), with a note. */
enum queue_err	 queue_close(struct db *, int64_t id, const struct staff *,
		    const char *note);

struct audit_row {
	int64_t		 id;
	char		 at[24];
	char		*who;
	char		*addr;
	char		 action[32];
	int64_t		 item_id;
	int64_t		 license_id;
	char		*detail;
};

/* Oldest first; item_id 0: all.  At most LIM_PAGE_ROWS from offset. */
enum queue_err	 queue_audit_list(struct db *, int64_t item_id,
		    size_t offset, struct audit_row **, size_t *n);
void		 audit_rows_free(struct audit_row *, size_t);
/* For db/console.c: columns 0-6 of an audit row (id to license_id) and
 * its detail in column detail_col; what one row holds, freed. */
void		 audit_row_read(sqlite3_stmt *, struct audit_row *,
		    int detail_col);
void		 audit_row_clear(struct audit_row *);

#endif
