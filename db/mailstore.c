/*
 * Messages taken in by the mail gateway, and what each one did: one
 * transaction holds the raw bytes, the headers, the attachment rows,
 * the queue item and the acknowledgement, so the daemon may be killed
 * anywhere and the next fetch of the same message finds it stored or
 * not at all.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lib/limits.h"
#include "lib/sha256.h"
#include "clock.h"
#include "mailstore.h"
#include "queue.h"

/* A Message-ID longer than a header line may be (RFC 5322) is no key
 * we trust: the SHA-256 stands in. */
#define KEY_MAX		998
/* Bytes of a raw message kept in a file written to the database at a
 * time. */
#define MAIL_RAW_PIECE	(256 * 1024)

/* As the schema's CHECK spells them. */
static const char *const class_names[MAIL_CLASS__MAX] = {
	[MAIL_BOUNCE] = "bounce",
	[MAIL_AUTO_REPLY] = "auto_reply",
	[MAIL_OWN] = "own",
	[MAIL_REPLY] = "reply",
	[MAIL_SUBMISSION] = "submission",
	[MAIL_CORRESPONDENCE] = "correspondence",
};

/* A stored message as a lookup finds it. */
struct known {
	int64_t		 id;
	char		 from[LIM_EMAIL_BYTES + 1];
	int		 classified;
	char		 state[16];
	int		 attempts;
};

static enum db_err
find(struct db *db, sqlite3_stmt *st, struct known *k)
{
	int	 rc;

	memset(k, 0, sizeof(*k));
	if ((rc = db_step(db, st)) == SQLITE_ROW) {
		k->id = sqlite3_column_int64(st, 0);
		db_col_copy(st, 1, k->from, sizeof(k->from));
		k->classified = sqlite3_column_type(st, 2) != SQLITE_NULL;
		db_col_copy(st, 3, k->state, sizeof(k->state));
		k->attempts = sqlite3_column_int(st, 4);
	}
	if (st != NULL)
		sqlite3_reset(st);
	return rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOT_FOUND :
	    db_error(db, rc);
}

static enum db_err
by_uid(struct db *db, const char *mailbox, uint32_t uidvalidity,
    uint32_t uid, struct known *k)
{
	sqlite3_stmt	*st = db_stmt(db, ST_MAIL_BY_UID);

	db_bind_text(st, 1, mailbox);
	db_bind_int(st, 2, uidvalidity);
	db_bind_int(st, 3, uid);
	return find(db, st, k);
}

static enum db_err
by_key(struct db *db, const char *key, struct known *k)
{
	sqlite3_stmt	*st = db_stmt(db, ST_MAIL_BY_KEY);

	db_bind_text(st, 1, key);
	return find(db, st, k);
}

/*
 * Finds the message by its place in the mailbox, else by its key.  A
 * Message-ID already taken by another sender's message is not this
 * one: it is then known by its SHA-256, so a forged Message-ID cannot
 * make us drop a message.
 */
static enum db_err
lookup(struct db *db, const struct mail_in *in, const char *sha,
    const char **key, struct known *k)
{
	const char	*mid = in->msg != NULL ? in->msg->message_id : NULL;
	const char	*from;
	enum db_err	 e;

	*key = sha;
	if (mid != NULL && *mid != '\0' && strlen(mid) <= KEY_MAX)
		*key = mid;
	if ((e = by_uid(db, in->mailbox, in->uidvalidity, in->uid, k)) !=
	    DB_NOT_FOUND)
		return e;
	if ((e = by_key(db, *key, k)) != DB_OK || *key == sha)
		return e;
	from = in->msg->from != NULL ? in->msg->from : "";
	if (strcasecmp(k->from, from) == 0)
		return DB_OK;
	*key = sha;
	return by_key(db, sha, k);
}

static int
check_in(struct db *db, const struct mail_in *in)
{
	if (in == NULL || in->mailbox == NULL || *in->mailbox == '\0' ||
	    strlen(in->mailbox) >= MAILBOX_NAME_MAX || (in->raw == NULL &&
	    (in->raw_fd < 0 || in->sha256 == NULL)) ||
	    (in->sha256 != NULL && strlen(in->sha256) != SHA256_HEX_LEN) ||
	    (in->msg != NULL && (unsigned)in->cls >= MAIL_CLASS__MAX)) {
		snprintf(db->errmsg, sizeof(db->errmsg), "mail: a mailbox "
		    "name of 1 to %d bytes, the raw message and a class are "
		    "needed", MAILBOX_NAME_MAX - 1);
		return 0;
	}
	return 1;
}

/* The decoded headers and text, from parameter i on. */
static void
bind_meta(sqlite3_stmt *st, int i, const struct message *m)
{
	if (m == NULL)
		return;
	db_bind_text(st, i, m->from);
	db_bind_text(st, i + 1, m->from_name);
	db_bind_text(st, i + 2, m->to);
	db_bind_text(st, i + 3, m->subject);
	db_bind_text(st, i + 4, m->date);
	db_bind_text(st, i + 5, m->in_reply_to);
	db_bind_text(st, i + 6, m->auth_results);
	db_bind_text(st, i + 7, m->text);
}

/*
 * The raw bytes of a message kept in a file, written into its new
 * mail_raw row's zeroblob piece by piece (incremental blob I/O):
 * memory holds one piece, never the message.
 */
static enum db_err
write_raw(struct db *db, int64_t id, int fd, size_t len)
{
	sqlite3_blob	*b = NULL;
	unsigned char	*buf;
	size_t		 off = 0, want;
	ssize_t		 n;
	enum db_err	 e = DB_OK;
	int		 rc;

	if ((buf = malloc(MAIL_RAW_PIECE)) == NULL) {
		snprintf(db->errmsg, sizeof(db->errmsg), "mail: out of memory");
		return DB_ERROR;
	}
	if ((rc = sqlite3_blob_open(db->h, "main", "mail_raw", "raw", id, 1,
	    &b)) != SQLITE_OK) {
		e = db_error(db, rc);
		goto out;
	}
	while (off < len) {
		want = len - off < MAIL_RAW_PIECE ? len - off : MAIL_RAW_PIECE;
		if ((n = pread(fd, buf, want, (off_t)off)) <= 0) {
			if (n == -1 && errno == EINTR)
				continue;
			snprintf(db->errmsg, sizeof(db->errmsg), "mail: the "
			    "raw message could not be read back: %s", n == 0 ?
			    "it is shorter than said" : strerror(errno));
			e = DB_IO;
			goto out;
		}
		if ((rc = sqlite3_blob_write(b, buf, (int)n, (int)off)) !=
		    SQLITE_OK) {
			e = db_error(db, rc);
			goto out;
		}
		off += (size_t)n;
	}
out:
	if (b != NULL && (rc = sqlite3_blob_close(b)) != SQLITE_OK &&
	    e == DB_OK)
		e = db_error(db, rc);
	free(buf);
	return e;
}

/* The row goes in with its class and state, as apply() will leave
 * it: one write, not two. */
static enum db_err
insert_message(struct db *db, const struct mail_in *in, const char *key,
    const char *sha, const char *cls, const char *state, int64_t *id)
{
	sqlite3_stmt	*st;
	char		 now[CLOCK_ISO_LEN + 1];
	enum db_err	 e;

	clock_iso(clock_now(db), now);
	st = db_stmt(db, ST_MAIL_INSERT);
	db_bind_text(st, 1, in->mailbox);
	db_bind_int(st, 2, in->uidvalidity);
	db_bind_int(st, 3, in->uid);
	db_bind_text(st, 4, key);
	db_bind_text(st, 5, sha);
	db_bind_int(st, 6, (long long)in->rawlen);
	db_bind_text(st, 7, now);
	bind_meta(st, 8, in->msg);
	db_bind_text(st, 16, cls);
	db_bind_text(st, 17, state);
	if ((e = db_exec_stmt(db, st)) != DB_OK)
		return e;
	*id = sqlite3_last_insert_rowid(db->h);
	/* The bytes: from memory, or a zeroblob (the row's only value:
	 * SQLite keeps it a count of zeros) filled piece by piece. */
	st = db_stmt(db, ST_MAIL_RAW_INSERT);
	db_bind_int(st, 1, *id);
	if (st != NULL && in->raw != NULL)
		sqlite3_bind_blob64(st, 2, in->raw, in->rawlen,
		    SQLITE_STATIC);
	else if (st != NULL)
		sqlite3_bind_zeroblob64(st, 2, in->rawlen);
	if ((e = db_exec_stmt(db, st)) != DB_OK)
		return e;
	if (in->raw == NULL)
		e = write_raw(db, *id, in->raw_fd, in->rawlen);
	return e;
}

/* The message's SHA-256: given (always with a file), else computed. */
static int
raw_sha(struct db *db, const struct mail_in *in,
    char sha[SHA256_HEX_LEN + 1])
{
	if (in->sha256 != NULL) {
		memcpy(sha, in->sha256, SHA256_HEX_LEN + 1);
		return 0;
	}
	if (sha256_hex(in->raw, in->rawlen, sha) == -1) {
		snprintf(db->errmsg, sizeof(db->errmsg), "mail: no SHA-256");
		return -1;
	}
	return 0;
}

static enum db_err
insert_attachments(struct db *db, int64_t id, const struct message *m)
{
	const struct attachment	*a;
	sqlite3_stmt		*st;
	char			 sha[SHA256_HEX_LEN + 1];
	size_t			 i;
	enum db_err		 e;

	for (i = 0; i < m->natt; i++) {
		a = &m->att[i];
		snprintf(sha, sizeof(sha), "%s", a->sha256);
		if (sha[0] == '\0' && sha256_hex(a->data != NULL ? a->data :
		    (const unsigned char *)"", a->size, sha) == -1)
			return DB_ERROR;
		st = db_stmt(db, ST_ATT_INSERT);
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, (long long)i);
		db_bind_text(st, 3, a->name);
		db_bind_text(st, 4, a->type);
		db_bind_int(st, 5, (long long)a->size);
		db_bind_text(st, 6, sha);
		if ((e = db_exec_stmt(db, st)) != DB_OK)
			return e;
	}
	return DB_OK;
}

/* A correspondence item for the message, threaded on what it answers
 * (item, a queue item that exists, and license may be 0). */
static enum db_err
correspondence(struct db *db, const struct mail_in *in, int64_t id,
    const char *note, int64_t item, int64_t license, struct mail_stored *out)
{
	int64_t		 corr;
	enum db_err	 e;

	if ((e = queue_add_correspondence(db, id, in->msg->from, license,
	    note != NULL ? note : in->note, &corr)) != DB_OK ||
	    (e = queue_thread_add(db, corr, license, id, 0)) != DB_OK)
		return e;
	out->item_id = corr;
	if (item > 0)
		e = queue_thread_add(db, item, 0, id, 0);
	return e;
}

static void
submission_of(const struct mail_in *in, int64_t id,
    struct queue_submission *sub)
{
	memset(sub, 0, sizeof(*sub));
	sub->message_id = id;
	sub->sender = in->msg->from;
	sub->form = in->form;
	sub->read_report = in->read_report;
	sub->form_error = in->form_error;
	sub->filer_email = in->filer_email;
	sub->product = in->product;
	sub->app_date = in->app_date;
}

static enum db_err
acknowledge(struct db *db, const struct mail_in *in, int64_t item, int update,
    struct mail_stored *out)
{
	int64_t		 oid = 0;
	enum db_err	 e;

	if (in->no_answer)
		return DB_OK;
	if ((e = queue_acknowledge(db, item, update, &oid)) == DB_OK)
		out->acked = oid > 0;
	return e;
}

static enum db_err
submission(struct db *db, const struct mail_in *in, int64_t id,
    struct mail_stored *out)
{
	struct queue_submission	 sub;
	int64_t			 item = 0, oid = 0;
	enum db_err		 e;

	submission_of(in, id, &sub);
	if ((e = queue_add_submission_acked(db, &sub, !in->no_answer, &item,
	    &oid)) != DB_OK)
		return e;
	out->item_id = item;
	out->acked = oid > 0;
	return DB_OK;
}

/*
 * A reply whose token names a queue item: a corrected form updates a
 * submission still to be decided; other words land on the item while
 * it is open, else go to staff as correspondence.
 */
static enum db_err
reply_item(struct db *db, const struct mail_in *in, int64_t id,
    struct mail_stored *out)
{
	struct queue_submission	 sub;
	enum queue_kind		 kind;
	enum queue_state	 qs;
	int64_t			 item = in->item_id, lic = 0;
	char			 note[160];
	int			 open;
	enum db_err		 e;

	if ((e = queue_item_state(db, item, &kind, &qs, &lic)) ==
	    DB_NOT_FOUND)
		return correspondence(db, in, id, NULL, 0, in->license_id,
		    out);
	if (e != DB_OK)
		return e;
	open = qs == QS_OPEN || qs == QS_CLAIMED;
	if (open && in->has_form && kind == QK_SUBMISSION) {
		submission_of(in, id, &sub);
		if ((e = queue_set_form(db, item, &sub)) != DB_OK ||
		    (e = queue_thread_add(db, item, 0, id, 0)) != DB_OK)
			return e;
		out->item_id = item;
		return acknowledge(db, in, item, 1, out);
	}
	if (open && !in->has_form) {
		out->item_id = item;
		return queue_thread_add(db, item, lic, id, 0);
	}
	snprintf(note, sizeof(note), "A reply about queue item %lld, which "
	    "is %s %s.", (long long)item, queue_kind_names[kind],
	    queue_state_names[qs]);
	return correspondence(db, in, id, note, item, lic, out);
}

/* Does what the message's class asks; *state is where it ends. */
static enum db_err
apply(struct db *db, const struct mail_in *in, int64_t id,
    struct mail_stored *out, const char **state)
{
	enum queue_kind	 kind;
	enum db_err	 e;

	*state = "processed";
	if (in->cls == MAIL_REPLY && in->token_hash != NULL) {
		if ((e = mail_token_use(db, in->token_hash, id)) ==
		    DB_EXISTS) {
			out->token_reused = 1;
			return correspondence(db, in, id, "The reply link in "
			    "this email was used before, so it changed "
			    "nothing: read it and answer the filer.", 0,
			    in->license_id, out);
		}
		if (e != DB_OK)
			return e;
	}
	switch (in->cls) {
	case MAIL_SUBMISSION:
		return submission(db, in, id, out);
	case MAIL_REPLY:
		if (in->item_id > 0)
			return reply_item(db, in, id, out);
		if (in->license_id > 0) {
			/* The daemon applies it through the registry,
			 * then mail_processed. */
			*state = "stored";
			return queue_thread_add(db, 0, in->license_id, id, 0);
		}
		return correspondence(db, in, id, NULL, 0, 0, out);
	case MAIL_CORRESPONDENCE:
		if (in->item_id > 0 && (e = queue_item_state(db, in->item_id,
		    &kind, NULL, NULL)) != DB_OK && e != DB_NOT_FOUND)
			return e;
		return correspondence(db, in, id, NULL, in->item_id > 0 &&
		    e == DB_OK ? in->item_id : 0, in->license_id, out);
	default:
		/* Recorded, never answered; kept on what it answers. */
		if (in->item_id > 0 && queue_item_state(db, in->item_id,
		    &kind, NULL, NULL) == DB_OK)
			return queue_thread_add(db, in->item_id,
			    in->license_id, id, 0);
		if (in->license_id > 0)
			return queue_thread_add(db, 0, in->license_id, id, 0);
		return DB_OK;
	}
}

static enum db_err
set_state(struct db *db, int64_t id, const char *cls, const char *state)
{
	sqlite3_stmt	*st = db_stmt(db, ST_MAIL_SET_STATE);

	db_bind_int(st, 1, id);
	db_bind_text(st, 2, cls);
	db_bind_text(st, 3, state);
	return db_exec_stmt(db, st);
}

enum db_err
mail_store(struct db *db, const struct mail_in *in, struct mail_stored *out)
{
	struct known	 k;
	sqlite3_stmt	*st;
	const char	*key, *state = "stored", *cls, *will;
	char		 sha[SHA256_HEX_LEN + 1];
	int64_t		 id = 0;
	enum db_err	 e;
	int		 inserted = 0;

	memset(out, 0, sizeof(*out));
	if (!check_in(db, in))
		return DB_ERROR;
	if (raw_sha(db, in, sha) == -1)
		return DB_ERROR;
	cls = in->msg != NULL ? class_names[in->cls] : NULL;
	/* Where apply() leaves it: "stored" only for a license reply,
	 * which the daemon applies next. */
	will = in->msg == NULL || (in->cls == MAIL_REPLY &&
	    in->item_id == 0 && in->license_id > 0) ? "stored" : "processed";
	if ((e = db_begin(db)) != DB_OK)
		return e;
	if ((e = lookup(db, in, sha, &key, &k)) == DB_OK) {
		/* Known: nothing changes, unless mail_fail kept it
		 * unread and now it could be read. */
		out->id = k.id;
		snprintf(out->state, sizeof(out->state), "%s", k.state);
		if (k.classified || in->msg == NULL ||
		    strcmp(k.state, "stored") != 0) {
			db_rollback(db);
			return DB_OK;
		}
		id = k.id;
		st = db_stmt(db, ST_MAIL_SET_META);
		db_bind_int(st, 1, id);
		bind_meta(st, 2, in->msg);
		if ((e = db_exec_stmt(db, st)) != DB_OK)
			goto fail;
	} else if (e != DB_NOT_FOUND ||
	    (e = insert_message(db, in, key, sha, cls, will, &id)) != DB_OK)
		goto fail;
	else
		inserted = 1;
	if (in->msg != NULL &&
	    ((e = insert_attachments(db, id, in->msg)) != DB_OK ||
	    (e = apply(db, in, id, out, &state)) != DB_OK))
		goto fail;
	if ((!inserted || strcmp(state, will) != 0) &&
	    (e = set_state(db, id, cls, state)) != DB_OK)
		goto fail;
	if ((e = db_commit(db)) != DB_OK)
		goto fail;
	out->id = id;
	out->created = 1;
	snprintf(out->state, sizeof(out->state), "%s", state);
	return DB_OK;
fail:
	db_rollback(db);
	memset(out, 0, sizeof(*out));
	return e;
}

enum db_err
mail_fail(struct db *db, const struct mail_in *in, const char *reason,
    int max_attempts, struct mail_stored *out)
{
	struct known	 k;
	sqlite3_stmt	*st;
	const char	*key, *state;
	char		 sha[SHA256_HEX_LEN + 1];
	int64_t		 item = 0;
	int		 attempts, created = 0;
	enum db_err	 e;

	memset(out, 0, sizeof(*out));
	if (!check_in(db, in))
		return DB_ERROR;
	if (raw_sha(db, in, sha) == -1)
		return DB_ERROR;
	if (reason == NULL)
		reason = "failed";
	if (max_attempts < 1)
		max_attempts = 1;
	if ((e = db_begin(db)) != DB_OK)
		return e;
	if ((e = lookup(db, in, sha, &key, &k)) == DB_NOT_FOUND) {
		/* Kept raw, so that nothing is lost even if it never
		 * parses; mail_store completes it if it does. */
		memset(&k, 0, sizeof(k));
		snprintf(k.state, sizeof(k.state), "stored");
		if ((e = insert_message(db, in, key, sha, NULL, "stored",
		    &k.id)) != DB_OK)
			goto fail;
		created = 1;
	} else if (e != DB_OK)
		goto fail;
	else if (strcmp(k.state, "stored") != 0) {
		/* Handled already (another copy, or quarantined). */
		out->id = k.id;
		snprintf(out->state, sizeof(out->state), "%s", k.state);
		db_rollback(db);
		return DB_OK;
	}
	attempts = k.attempts + 1;
	state = attempts >= max_attempts ? "quarantined" : "stored";
	st = db_stmt(db, ST_MAIL_SET_FAIL);
	db_bind_int(st, 1, k.id);
	db_bind_int(st, 2, attempts);
	db_bind_text(st, 3, reason);
	db_bind_text(st, 4, state);
	if ((e = db_exec_stmt(db, st)) != DB_OK)
		goto fail;
	if (strcmp(state, "quarantined") == 0 &&
	    (e = queue_add_quarantine(db, k.id, in->msg != NULL ?
	    in->msg->from : NULL, reason, &item)) != DB_OK)
		goto fail;
	if ((e = db_commit(db)) != DB_OK)
		goto fail;
	out->id = k.id;
	out->created = created;
	out->item_id = item;
	snprintf(out->state, sizeof(out->state), "%s", state);
	return DB_OK;
fail:
	db_rollback(db);
	return e;
}

/* Runs an update of one row by id: DB_NOT_FOUND if it changed none. */
static enum db_err
update_id(struct db *db, enum stmt which, int64_t id)
{
	sqlite3_stmt	*st = db_stmt(db, which);
	enum db_err	 e;

	db_bind_int(st, 1, id);
	if ((e = db_exec_stmt(db, st)) == DB_OK &&
	    sqlite3_changes(db->h) == 0)
		e = DB_NOT_FOUND;
	return e;
}

enum db_err
mail_processed(struct db *db, int64_t id)
{
	return update_id(db, ST_MAIL_PROCESSED, id);
}

enum db_err
mail_token_use(struct db *db, const char *token_hash, int64_t message_id)
{
	sqlite3_stmt	*st;
	char		 now[CLOCK_ISO_LEN + 1];

	if (token_hash == NULL || *token_hash == '\0' ||
	    strlen(token_hash) > SHA256_HEX_LEN) {
		snprintf(db->errmsg, sizeof(db->errmsg), "mail: a token hash "
		    "of at most %d characters", SHA256_HEX_LEN);
		return DB_ERROR;
	}
	clock_iso(clock_now(db), now);
	st = db_stmt(db, ST_REPLY_TOKEN_USE);
	db_bind_text(st, 1, token_hash);
	db_bind_text(st, 2, now);
	if (message_id > 0)
		db_bind_int(st, 3, message_id);
	return db_exec_stmt(db, st);
}

enum db_err
message_seen(struct db *db, const char *mailbox, uint32_t uidvalidity,
    uint32_t uid, const char *message_id, int64_t *id)
{
	struct known	 k;
	enum db_err	 e;

	e = by_uid(db, mailbox, uidvalidity, uid, &k);
	if (e == DB_NOT_FOUND && message_id != NULL && *message_id != '\0')
		e = by_key(db, message_id, &k);
	if (e == DB_OK && id != NULL)
		*id = k.id;
	return e;
}

enum db_err
mailbox_get(struct db *db, const char *mailbox, struct mailbox_state *ms)
{
	sqlite3_stmt	*st = db_stmt(db, ST_MAILBOX_GET);
	int		 rc;

	memset(ms, 0, sizeof(*ms));
	snprintf(ms->mailbox, sizeof(ms->mailbox), "%s", mailbox);
	db_bind_text(st, 1, mailbox);
	if ((rc = db_step(db, st)) == SQLITE_ROW) {
		ms->uidvalidity = (uint32_t)sqlite3_column_int64(st, 0);
		ms->last_uid = (uint32_t)sqlite3_column_int64(st, 1);
		db_col_copy(st, 2, ms->last_fetch_at,
		    sizeof(ms->last_fetch_at));
		db_col_copy(st, 3, ms->last_error, sizeof(ms->last_error));
	}
	if (st != NULL)
		sqlite3_reset(st);
	return rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOT_FOUND :
	    db_error(db, rc);
}

enum db_err
mailbox_put(struct db *db, const struct mailbox_state *ms)
{
	sqlite3_stmt	*st;
	char		 now[CLOCK_ISO_LEN + 1];

	if (ms->mailbox[0] == '\0' ||
	    memchr(ms->mailbox, '\0', sizeof(ms->mailbox)) == NULL) {
		snprintf(db->errmsg, sizeof(db->errmsg), "mailbox: no name");
		return DB_ERROR;
	}
	clock_iso(clock_now(db), now);
	st = db_stmt(db, ST_MAILBOX_PUT);
	db_bind_text(st, 1, ms->mailbox);
	db_bind_int(st, 2, ms->uidvalidity);
	db_bind_int(st, 3, ms->last_uid);
	db_bind_text(st, 4, ms->last_fetch_at[0] != '\0' ?
	    ms->last_fetch_at : now);
	db_bind_text(st, 5, ms->last_error[0] != '\0' ? ms->last_error :
	    NULL);
	return db_exec_stmt(db, st);
}

enum db_err
mail_get(struct db *db, int64_t id, struct stored_message *m)
{
	sqlite3_stmt	*st = db_stmt(db, ST_MAIL_GET);
	int		 rc;

	memset(m, 0, sizeof(*m));
	db_bind_int(st, 1, id);
	if ((rc = db_step(db, st)) == SQLITE_ROW) {
		m->id = sqlite3_column_int64(st, 0);
		db_col_copy(st, 1, m->mailbox, sizeof(m->mailbox));
		m->uidvalidity = (uint32_t)sqlite3_column_int64(st, 2);
		m->uid = (uint32_t)sqlite3_column_int64(st, 3);
		m->message_id = db_col_strdup(st, 4);
		db_col_copy(st, 5, m->sha256, sizeof(m->sha256));
		m->size = (size_t)sqlite3_column_int64(st, 6);
		db_col_copy(st, 7, m->received_at, sizeof(m->received_at));
		m->from = db_col_strdup(st, 8);
		m->from_name = db_col_strdup(st, 9);
		m->to = db_col_strdup(st, 10);
		m->subject = db_col_strdup(st, 11);
		m->date = db_col_strdup(st, 12);
		m->in_reply_to = db_col_strdup(st, 13);
		m->auth_results = db_col_strdup(st, 14);
		m->text = db_col_strdup(st, 15);
		db_col_copy(st, 16, m->classification,
		    sizeof(m->classification));
		db_col_copy(st, 17, m->state, sizeof(m->state));
		m->attempts = sqlite3_column_int(st, 18);
		m->last_error = db_col_strdup(st, 19);
	}
	if (st != NULL)
		sqlite3_reset(st);
	return rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOT_FOUND :
	    db_error(db, rc);
}

void
stored_message_clear(struct stored_message *m)
{
	free(m->message_id);
	free(m->from);
	free(m->from_name);
	free(m->to);
	free(m->subject);
	free(m->date);
	free(m->in_reply_to);
	free(m->auth_results);
	free(m->text);
	free(m->last_error);
	memset(m, 0, sizeof(*m));
}

enum db_err
mail_raw(struct db *db, int64_t id, unsigned char **raw, size_t *len)
{
	sqlite3_stmt	*st = db_stmt(db, ST_MAIL_RAW);
	const void	*b;
	size_t		 n;
	int		 rc;
	enum db_err	 e = DB_OK;

	*raw = NULL;
	*len = 0;
	db_bind_int(st, 1, id);
	if ((rc = db_step(db, st)) != SQLITE_ROW) {
		e = rc == SQLITE_DONE ? DB_NOT_FOUND : db_error(db, rc);
		goto out;
	}
	b = sqlite3_column_blob(st, 0);
	n = (size_t)sqlite3_column_bytes(st, 0);
	/* One more byte, so that an empty message is not NULL. */
	if ((*raw = malloc(n + 1)) == NULL) {
		e = DB_ERROR;
		goto out;
	}
	if (n > 0)
		memcpy(*raw, b, n);
	(*raw)[n] = '\0';
	*len = n;
out:
	if (st != NULL)
		sqlite3_reset(st);
	return e;
}

static void
attachment_fill(sqlite3_stmt *st, void *p)
{
	struct stored_attachment	*r = p;

	r->idx = sqlite3_column_int(st, 0);
	r->name = db_col_strdup(st, 1);
	r->type = db_col_strdup(st, 2);
	r->size = (size_t)sqlite3_column_int64(st, 3);
	db_col_copy(st, 4, r->sha256, sizeof(r->sha256));
}

static void
attachment_clear(void *p)
{
	struct stored_attachment	*r = p;

	free(r->name);
	free(r->type);
}

enum db_err
mail_attachments(struct db *db, int64_t id, struct stored_attachment **out,
    size_t *np)
{
	sqlite3_stmt	*st = db_stmt(db, ST_ATT_LIST);
	void		*v;
	enum db_err	 e;

	db_bind_int(st, 1, id);
	e = db_rows_or_none(db, st, sizeof(**out), 0, attachment_fill,
	    attachment_clear, &v, np);
	*out = v;
	return e;
}

void
stored_attachments_free(struct stored_attachment *a, size_t n)
{
	db_rows_free(a, n, sizeof(*a), attachment_clear);
}

enum db_err
mail_license(struct db *db, int64_t license_id, char *number,
    size_t numbersz, int64_t *account_id, char *status, size_t statussz)
{
	sqlite3_stmt	*st = db_stmt(db, ST_MAIL_LICENSE);
	int		 rc;

	db_bind_int(st, 1, license_id);
	if ((rc = db_step(db, st)) == SQLITE_ROW) {
		db_col_copy(st, 0, number, numbersz);
		*account_id = sqlite3_column_int64(st, 1);
		db_col_copy(st, 2, status, statussz);
	}
	if (st != NULL)
		sqlite3_reset(st);
	return rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOT_FOUND :
	    db_error(db, rc);
}

enum db_err
mail_license_recipients(struct db *db, int64_t license_id,
    char (*out)[LIM_EMAIL_BYTES + 1], size_t max, size_t *n)
{
	sqlite3_stmt	*st = db_stmt(db, ST_MAIL_LICENSE_RECIPIENTS);
	int		 rc;

	*n = 0;
	db_bind_int(st, 1, license_id);
	db_bind_int(st, 2, (long long)max);
	while ((rc = db_step(db, st)) == SQLITE_ROW && *n < max)
		db_col_copy(st, 0, out[(*n)++], LIM_EMAIL_BYTES + 1);
	if (st != NULL)
		sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? DB_OK :
	    db_error(db, rc);
}

/* What RFC 3834 calls automatic responses: sent because mail came. */
const char *const mail_auto_templates[] = {
	"submission_received",
	"reply_confirmed",
	"reply_corrected",
	"reply_refused",
	NULL
};

enum db_err
mail_requeue(struct db *db, int64_t id)
{
	return update_id(db, ST_MAIL_REQUEUE, id);
}

enum db_err
mail_pending(struct db *db, int64_t *ids, size_t max, size_t *np)
{
	sqlite3_stmt	*st = db_stmt(db, ST_MAIL_PENDING);
	size_t		 n = 0;
	int		 rc = SQLITE_DONE;

	*np = 0;
	db_bind_int(st, 1, max > INT64_MAX ? INT64_MAX : (long long)max);
	while (n < max && (rc = db_step(db, st)) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(st, 0);
	if (st != NULL)
		sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(db, rc);
	*np = n;
	return DB_OK;
}
