/*
 * Each message of a watched mailbox: stored with what it did in one
 * transaction, then moved.  No rule of licensing lives here: forms go
 * to the queue (db/queue.c) or the registry (db/registry.c), which
 * check them.
 */
#include <sys/mman.h>

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "lib/date.h"
#include "lib/limits.h"
#include "lib/log.h"
#include "lib/sha256.h"
#include "db/accounts.h"
#include "db/clock.h"
#include "db/mailstore.h"
#include "db/outbox.h"
#include "db/queue.h"
#include "db/registry.h"
#include "digest.h"
#include "intake.h"

/* The window of the rate limit on automatic replies. */
#define REPLY_WINDOW_SECONDS	3600

/* Why a reply changed nothing: reply_refused's "code", and the words
 * the filer reads as its "reason" ("%s": the license number). */
enum refusal {
	RF_WRONG_SENDER,
	RF_DMARC,
	RF_TOKEN_USED,
	RF_TOKEN_EXPIRED,
	RF_TOKEN_FORGED,
	RF_NOT_ACTION,
	RF_NO_INSTRUCTION,
	RF_INVALID_FORM,
	RF_NOT_FLAGGED,
	RF_CANCELED,
	RF_UNKNOWN_LICENSE,
	RF__MAX
};

static const struct {
	const char	*code;
	int		 staff;		/* passed to staff */
	const char	*words;
} refusals[RF__MAX] = {
	[RF_WRONG_SENDER] = { "wrong_sender", 1,
	    "This reply did not come from the primary or alternate email of "
	    "the account that holds license %s, so it changed nothing. Our "
	    "staff will read it." },
	[RF_DMARC] = { "dmarc_fail", 1,
	    "Our mail server could not confirm that this reply came from its "
	    "sender, so it changed nothing to license %s. Our staff will read "
	    "it." },
	[RF_TOKEN_USED] = { "token_used", 1,
	    "The reply link in this email was used before, so your reply "
	    "changed nothing to license %s. Our staff will read it." },
	[RF_TOKEN_EXPIRED] = { "token_expired", 1,
	    "The email you answered is too old to be answered by reply, so "
	    "your reply changed nothing%s. Our staff will read it." },
	[RF_TOKEN_FORGED] = { "token_forged", 1,
	    "The reply link in this email was not written for your address, "
	    "so your reply changed nothing%s. Our staff will read it." },
	[RF_NOT_ACTION] = { "not_action_required", 1,
	    "The email you answered did not ask you to confirm or correct "
	    "license %s, so your reply changed nothing. Our staff will read "
	    "it." },
	[RF_NO_INSTRUCTION] = { "no_instruction", 1,
	    "We could not tell what to do with license %s: write CONFIRM "
	    "alone on the first line of your reply to confirm it as it is, or "
	    "attach the corrected form. Our staff will read your reply." },
	[RF_INVALID_FORM] = { "invalid_form", 0,
	    "The corrected form has errors, so license %s was not changed. "
	    "Correct them and reply again with the form attached." },
	[RF_NOT_FLAGGED] = { "not_flagged", 0,
	    "License %s is not waiting for a confirmation or a correction, "
	    "so your reply changed nothing." },
	[RF_CANCELED] = { "canceled", 0,
	    "License %s is canceled and can no longer be confirmed or "
	    "corrected." },
	[RF_UNKNOWN_LICENSE] = { "unknown_license", 1,
	    "The license your reply is about%s could not be found. Our staff "
	    "will read your reply." },
};

/* One message while it is handled. */
struct ctx {
	struct db			*db;
	const struct intake_conf	*c;
	const struct sandbox_result	*r;
	const struct message		*m;
	/* r->cls, with a reply from the account's other address made a
	 * reply (recheck_token). */
	struct classify_result		 cls;
	struct mail_in			 in;
	struct mail_stored		 st;
	/* The rate limit's count, kept over the batch's transaction. */
	struct outbox_recent		*recent;
	int				 may_answer;
	int				 dmarc_fail;
	char				 token_hash[SHA256_HEX_LEN + 1];
	char				 note[512];
	char				 contact[128];	/* the account's */
};

static void
outcome(struct intake_outcome *out, enum intake_where w, int64_t id,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
outcome(struct intake_outcome *out, enum intake_where w, int64_t id,
    const char *fmt, ...)
{
	va_list	 ap;

	out->where = w;
	out->id = id;
	va_start(ap, fmt);
	vsnprintf(out->what, sizeof(out->what), fmt, ap);
	va_end(ap);
}

/* ---- Authentication-Results ---- */

/* Whether s (n bytes) holds "dmarc=fail" as a result, not in a
 * comment, with blanks allowed around '='. */
static int
says_dmarc_fail(const char *s, size_t n)
{
	size_t	 i = 0, j;
	int	 depth = 0;

	while (i < n) {
		if (s[i] == '(') {
			depth++;
			i++;
			continue;
		}
		if (s[i] == ')' && depth > 0) {
			depth--;
			i++;
			continue;
		}
		if (depth == 0 && n - i >= 5 && strncasecmp(s + i, "dmarc",
		    5) == 0 && (i == 0 || s[i - 1] == ';' ||
		    isspace((unsigned char)s[i - 1]))) {
			j = i + 5;
			while (j < n && isspace((unsigned char)s[j]))
				j++;
			if (j < n && s[j] == '=') {
				j++;
				while (j < n && isspace((unsigned char)s[j]))
					j++;
				if (n - j >= 4 && strncasecmp(s + j, "fail",
				    4) == 0 && (n - j == 4 ||
				    !isalnum((unsigned char)s[j + 4])))
					return 1;
			}
		}
		i++;
	}
	return 0;
}

int
intake_dmarc_fail(const char *ar, const char *authserv_id)
{
	const char	*line, *end, *p;
	size_t		 idl;

	if (ar == NULL || authserv_id == NULL || *authserv_id == '\0')
		return 0;
	idl = strlen(authserv_id);
	for (line = ar; *line != '\0'; line = *end ? end + 1 : end) {
		if ((end = strchr(line, '\n')) == NULL)
			end = line + strlen(line);
		p = line;
		while (p < end && isspace((unsigned char)*p))
			p++;
		/* Only our MTA's header counts: anyone can write one. */
		if ((size_t)(end - p) < idl || strncasecmp(p, authserv_id,
		    idl) != 0 || (p + idl < end && p[idl] != ';' &&
		    !isspace((unsigned char)p[idl])))
			continue;
		if (says_dmarc_fail(p + idl, (size_t)(end - p) - idl))
			return 1;
	}
	return 0;
}

/* ---- answers ---- */

static json_t *
items_json(const struct report_item *it, size_t n)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; a != NULL && i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s}", "field",
		    it[i].field, "message", it[i].message));
	return a != NULL ? a : json_array();
}

/*
 * Queues an automatic answer to the sender (takes p), threaded on the
 * item or the license; nothing when answers are off for this message.
 */
static enum db_err
answer(struct ctx *x, const char *template, json_t *p, int64_t item,
    int64_t license, int64_t account)
{
	int64_t		 oid;
	char		 irt[256];
	enum db_err	 e;

	if (p == NULL)
		return DB_ERROR;
	if (!x->may_answer || x->m->from == NULL) {
		json_decref(p);
		return DB_OK;
	}
	json_object_set_new(p, "subject", x->m->subject != NULL ?
	    json_string(x->m->subject) : json_null());
	/* mail/render.c threads on a Message-ID in its brackets. */
	if (x->m->message_id != NULL && *x->m->message_id != '\0' &&
	    strlen(x->m->message_id) < sizeof(irt) - 2) {
		snprintf(irt, sizeof(irt), "<%s>", x->m->message_id);
		json_object_set_new(p, "in_reply_to", json_string(irt));
	} else
		json_object_set_new(p, "in_reply_to", json_null());
	if (x->contact[0] != '\0')
		json_object_set_new(p, "contact_name",
		    json_string(x->contact));
	json_object_set_new(p, "product", json_string(x->c->product));
	if ((e = outbox_add(x->db, template, x->m->from, NULL, p, license,
	    account, NULL, 0)) != DB_OK)
		return e;
	oid = sqlite3_last_insert_rowid(x->db->h);
	if (item > 0 || license > 0)
		return queue_thread_add(x->db, item, license, 0, oid);
	return DB_OK;
}

/* The table's words with "%s" replaced by arg. */
static void
fill(char *out, size_t outsz, const char *words, const char *arg)
{
	const char	*p = strstr(words, "%s");

	if (p == NULL)
		snprintf(out, outsz, "%s", words);
	else
		snprintf(out, outsz, "%.*s%s%s", (int)(p - words), words, arg,
		    p + 2);
}

static enum db_err
refuse(struct ctx *x, enum refusal rf, const char *number, int64_t item,
    int64_t license, int64_t account, const struct report *errors)
{
	char		 words[512], num[64];
	json_t		*p;

	if (refusals[rf].words[0] == '\0')
		return DB_ERROR;
	if (rf == RF_TOKEN_EXPIRED || rf == RF_TOKEN_FORGED ||
	    rf == RF_UNKNOWN_LICENSE)
		snprintf(num, sizeof(num), "%s%s", number != NULL &&
		    *number ? " " : "", number != NULL ? number : "");
	else
		snprintf(num, sizeof(num), "%s", number != NULL ? number : "");
	fill(words, sizeof(words), refusals[rf].words, num);
	/* reason: the words the template shows; code: for programs. */
	p = json_pack("{s:s, s:s, s:b, s:o, s:o}",
	    "reason", words,
	    "code", refusals[rf].code,
	    "staff", refusals[rf].staff,
	    "license_number", number != NULL && *number ?
	    json_string(number) : json_null(),
	    "errors", errors != NULL ? items_json(errors->errors,
	    errors->nerrors) : json_array());
	return answer(x, "reply_refused", p, item, license, account);
}

/* A correspondence item for staff on a stored message, with why. */
static enum db_err
to_staff(struct ctx *x, int64_t license, const char *why)
{
	int64_t		 corr;
	enum db_err	 e;

	if ((e = queue_add_correspondence(x->db, x->st.id, x->m->from,
	    license, why, &corr)) != DB_OK ||
	    (e = queue_thread_add(x->db, corr, 0, x->st.id, 0)) != DB_OK)
		return e;
	x->st.item_id = corr;
	return DB_OK;
}

/* ---- replies to Action Required ---- */

static int
is_confirm(const char *line)
{
	size_t	 n;

	if (line == NULL)
		return 0;
	n = strlen(line);
	while (n > 0 && (line[n - 1] == '.' || line[n - 1] == '!'))
		n--;
	return n == 7 && strncasecmp(line, "confirm", 7) == 0;
}

/* Whether from is the account's primary or alternate email; keeps the
 * account's contact name for the answer. */
static int
sender_of_account(struct ctx *x, int64_t account, const char *from,
    enum db_err *e)
{
	struct account	 acc;
	int		 ok;

	x->contact[0] = '\0';
	/* A license without an account has no sender of its own. */
	if ((*e = accounts_by_id(x->db, account, &acc)) == DB_NOT_FOUND)
		*e = DB_OK;
	if (*e != DB_OK)
		return 0;
	ok = from != NULL && ((acc.v[AF_EMAIL] != NULL &&
	    strcasecmp(acc.v[AF_EMAIL], from) == 0) ||
	    (acc.v[AF_ALT_EMAIL] != NULL &&
	    strcasecmp(acc.v[AF_ALT_EMAIL], from) == 0));
	/* A stranger is not told whose license it is. */
	if (ok && acc.v[AF_CONTACT_NAME] != NULL)
		snprintf(x->contact, sizeof(x->contact), "%s",
		    acc.v[AF_CONTACT_NAME]);
	account_clear(&acc);
	return ok;
}

static const struct sandbox_form *
first_form(const struct sandbox_result *r)
{
	size_t	 i;

	for (i = 0; i < r->nforms; i++)
		if (r->forms[i].form != NULL)
			return &r->forms[i];
	return NULL;
}

static json_t *
result_json(const struct reg_result *rr)
{
	return json_pack("{s:s, s:s, s:i, s:s, s:s, s:o}",
	    "license_number", rr->number,
	    "status", status_names[rr->status],
	    "version", rr->version,
	    "valid_from", rr->valid_from,
	    "valid_through", rr->valid_through,
	    "flags", items_json(rr->report.flags, rr->report.nflags));
}

/* Refused before the registry is asked: staff, and maybe an answer. */
static enum db_err
refused(struct ctx *x, enum refusal rf, const char *number, int64_t lic,
    int64_t account)
{
	char		 why[600];
	enum db_err	 e;

	snprintf(why, sizeof(why), "Reply about license %s refused (%s): %s",
	    number, refusals[rf].code, x->note[0] ? x->note : "");
	if ((e = to_staff(x, lic, why)) != DB_OK)
		return e;
	if (rf == RF_DMARC)
		return DB_OK;
	return refuse(x, rf, number, x->st.item_id, lic, account, NULL);
}

/*
 * The license reply, stored already ("stored"): applied through the
 * registry with the token used in the same transaction, or refused.
 */
static enum db_err
apply_license(struct ctx *x, const char *number, int64_t lic,
    int64_t account, const char *status)
{
	const struct sandbox_form	*sf;
	struct reg_result		 rr;
	struct actor			 a;
	enum reg_err			 rc;
	enum refusal			 rf;
	enum db_err			 e = DB_OK;
	size_t				 i;
	int				 confirm, today;

	if (x->cls.token.purpose == TOKEN_QUESTION) {
		char	 why[600];

		/* The filer answers a staff question: for staff to read,
		 * threaded on the license; nothing to refuse or apply. */
		snprintf(why, sizeof(why), "Answer from %s to a staff "
		    "question about license %s", x->m->from != NULL ?
		    x->m->from : "(no sender)", number);
		return to_staff(x, lic, why);
	}
	if (x->cls.token.purpose != TOKEN_ACTION) {
		snprintf(x->note, sizeof(x->note), "the reply link was for "
		    "%s, not Action Required", x->cls.token.purpose ==
		    TOKEN_QUESTION ? "a question from staff" : "another email");
		return refused(x, RF_NOT_ACTION, number, lic, account);
	}
	if (!sender_of_account(x, account, x->m->from, &e)) {
		if (e != DB_OK)
			return e;
		snprintf(x->note, sizeof(x->note), "%s is neither the primary "
		    "nor the alternate email of the account",
		    x->m->from != NULL ? x->m->from : "(no sender)");
		return refused(x, RF_WRONG_SENDER, number, lic, account);
	}
	if (x->dmarc_fail) {
		snprintf(x->note, sizeof(x->note), "our MTA (%s) says "
		    "dmarc=fail", x->c->authserv_id);
		return refused(x, RF_DMARC, number, lic, account);
	}
	confirm = is_confirm(x->r->first_line);
	sf = first_form(x->r);
	if (!confirm && sf == NULL) {
		snprintf(x->note, sizeof(x->note), "no CONFIRM on its first "
		    "line (\"%.80s\") and no corrected form",
		    x->r->first_line);
		return refused(x, RF_NO_INSTRUCTION, number, lic, account);
	}

	reg_result_init(&rr);
	a.account_id = account;
	a.who = x->m->from;
	a.channel = "email";
	a.synthetic = 0;
	today = x->c->sandbox.app_date > 0 ? x->c->sandbox.app_date :
	    date_today();
	if ((e = db_begin(x->db)) != DB_OK)
		goto out;
	/* Used in the transaction that applies it: a reply applies once. */
	if ((e = mail_token_use(x->db, x->token_hash, x->st.id)) ==
	    DB_EXISTS) {
		db_rollback(x->db);
		snprintf(x->note, sizeof(x->note), "its reply link was used "
		    "before");
		e = refused(x, RF_TOKEN_USED, number, lic, account);
		goto out;
	}
	if (e != DB_OK) {
		db_rollback(x->db);
		goto out;
	}
	if (confirm)
		rc = reg_confirm(x->db, &a, number, &rr);
	else {
		/* The reader's errors first, as every channel shows them. */
		for (i = 0; i < sf->read_report.nerrors; i++)
			report_error(&rr.report, 0,
			    sf->read_report.errors[i].field, "%s",
			    sf->read_report.errors[i].message);
		rc = sf->read_report.nerrors > 0 ? REG_INVALID :
		    reg_correct(x->db, &a, number, sf->form, today, &rr);
	}
	if (rc == REG_OK) {
		if ((e = db_commit(x->db)) != DB_OK) {
			db_rollback(x->db);
			goto out;
		}
		log_msg(LOG_LVL_INFO, "%s: message %lld: license %s %s by "
		    "reply of %s", x->c->mailbox, (long long)x->st.id, number,
		    confirm ? "confirmed" : "corrected", x->m->from);
		e = answer(x, confirm ? "reply_confirmed" : "reply_corrected",
		    result_json(&rr), 0, lic, account);
		goto out;
	}
	/* Nothing changed: the token stays unused for another try. */
	db_rollback(x->db);
	switch (rc) {
	case REG_INVALID:
		e = refuse(x, RF_INVALID_FORM, number, 0, lic, account,
		    &rr.report);
		break;
	case REG_CONFLICT:
		e = refuse(x, RF_NOT_FLAGGED, number, 0, lic, account, NULL);
		break;
	case REG_CANCELED:
		e = refuse(x, RF_CANCELED, number, 0, lic, account, NULL);
		break;
	case REG_DB:
		e = rr.dberr != DB_OK ? rr.dberr : DB_ERROR;
		break;
	case REG_NOMEM:
		e = DB_ERROR;
		break;
	default:
		rf = RF_UNKNOWN_LICENSE;
		snprintf(x->note, sizeof(x->note), "the registry said: %s "
		    "(status %s)", reg_strerror(rc), status);
		e = refused(x, rf, number, lic, account);
		break;
	}
out:
	reg_result_free(&rr);
	return e;
}

/* ---- one message ---- */

static void
set_form(struct ctx *x)
{
	const struct sandbox_form	*sf;

	if (x->r->nforms == 0)
		return;
	x->in.has_form = 1;
	sf = first_form(x->r);
	if (sf == NULL)
		sf = &x->r->forms[0];
	x->in.form = sf->form;
	x->in.read_report = &sf->read_report;
	x->in.form_error = sf->error;
	x->in.filer_email = sf->filer_email;
}

/* The SHA-256 of the token as written (lower case, so the same for
 * whichever address answers): its key in reply_token_use. */
static int
token_hash(struct ctx *x)
{
	if (strlen(x->cls.token_text) != TOKEN_LEN)
		return -1;
	return sha256_hex(x->cls.token_text, TOKEN_LEN, x->token_hash);
}

/*
 * A license's Action Required mail goes to the account's primary
 * email with its alternate in Cc, and its reply token is written for
 * the To address only: the classifier, which checks a token against
 * the sender, refuses it from the alternate.  When the sender is the
 * primary or alternate email of the account that holds the license
 * the token names, the token is checked again against each address
 * we wrote to about that license (the outbox): written for one of
 * them, it makes the message a reply.  Anyone else's stays refused,
 * and is not told whose license it is.  0, or a database error.
 */
static enum db_err
recheck_token(struct ctx *x)
{
	char		 to[MAIL_RECIPIENTS_MAX][LIM_EMAIL_BYTES + 1];
	char		 number[32], status[24];
	struct token	 t, got;
	int64_t		 account;
	size_t		 n, i;
	enum token_err	 te;
	enum db_err	 e;
	int		 today;

	if (x->cls.class == MAIL_REPLY || x->cls.token_err != TOKEN_FORGED ||
	    (x->cls.class != MAIL_SUBMISSION &&
	    x->cls.class != MAIL_CORRESPONDENCE) ||
	    token_fields(x->cls.token_text, strlen(x->cls.token_text),
	    &t) == -1 || t.kind != TOKEN_LICENSE || x->m->from == NULL)
		return DB_OK;
	if ((e = mail_license(x->db, t.id, number, sizeof(number), &account,
	    status, sizeof(status))) == DB_NOT_FOUND)
		return DB_OK;
	if (e != DB_OK)
		return e;
	if (!sender_of_account(x, account, x->m->from, &e))
		return e;
	if ((e = mail_license_recipients(x->db, t.id, to,
	    MAIL_RECIPIENTS_MAX, &n)) != DB_OK)
		return e;
	today = x->c->sandbox.cc != NULL ? x->c->sandbox.cc->today : 0;
	if (today <= 0)
		today = date_today();
	for (i = 0; i < n; i++) {
		te = token_parse(x->cls.token_text, TOKEN_LEN, to[i],
		    x->c->key, x->c->keylen, today, &got);
		if (te == TOKEN_EXPIRED) {
			x->cls.token_err = TOKEN_EXPIRED;
			return DB_OK;
		}
		if (te != TOKEN_OK)
			continue;
		x->cls.class = MAIL_REPLY;
		x->cls.token = got;
		x->cls.token_err = TOKEN_OK;
		snprintf(x->cls.token_in, sizeof(x->cls.token_in), "%s",
		    x->cls.refused_in);
		snprintf(x->cls.reason, sizeof(x->cls.reason), "reply token "
		    "in %s: license %lld, written for %s, answered by the "
		    "account's %s", x->cls.token_in, (long long)got.id, to[i],
		    x->m->from);
		x->in.cls = MAIL_REPLY;
		return DB_OK;
	}
	return DB_OK;
}

/* The work of one message inside the caller's transaction. */
static enum db_err
handle(struct ctx *x)
{
	const struct classify_result	*cls = &x->cls;
	char				 number[32], status[24];
	char				 since[CLOCK_ISO_LEN + 1];
	int64_t				 account = 0, lic;
	enum db_err			 e;
	int				 n = 0;

	x->dmarc_fail = intake_dmarc_fail(x->m->auth_results,
	    x->c->authserv_id);
	x->may_answer = x->m->from != NULL && !x->dmarc_fail &&
	    cls->class != MAIL_BOUNCE && cls->class != MAIL_AUTO_REPLY &&
	    cls->class != MAIL_OWN;
	if (x->may_answer) {
		/* outbox.created_at is the system clock's (a default). */
		clock_iso(time(NULL) - REPLY_WINDOW_SECONDS, since);
		if ((e = outbox_recent_auto_memo(x->db, x->recent,
		    x->m->from, since, x->c->replies_per_hour, &n)) != DB_OK)
			return e;
		if (n >= x->c->replies_per_hour) {
			x->may_answer = 0;
			log_msg(LOG_LVL_NOTICE, "%s: UID %u: %s had %d or more "
			    "automatic replies in the last hour: not answered",
			    x->c->mailbox, x->in.uid, x->m->from, n);
		}
	}
	x->in.no_answer = !x->may_answer;

	if ((e = recheck_token(x)) != DB_OK)
		return e;
	/* A reply link that did not check out: staff read it. */
	if (cls->class != MAIL_REPLY && cls->token_err != TOKEN_OK &&
	    (cls->class == MAIL_SUBMISSION ||
	    cls->class == MAIL_CORRESPONDENCE)) {
		snprintf(x->note, sizeof(x->note), "A reply whose reply link "
		    "was refused (%s), so it changed nothing: read it and "
		    "answer the filer.", token_strerror(cls->token_err));
		x->in.cls = MAIL_CORRESPONDENCE;
		x->in.note = x->note;
		if ((e = mail_store(x->db, &x->in, &x->st)) != DB_OK ||
		    !x->st.created)
			return e;
		return refuse(x, cls->token_err == TOKEN_EXPIRED ?
		    RF_TOKEN_EXPIRED : RF_TOKEN_FORGED, NULL, x->st.item_id,
		    0, 0, NULL);
	}

	switch (cls->class) {
	case MAIL_SUBMISSION:
		set_form(x);
		return mail_store(x->db, &x->in, &x->st);
	case MAIL_REPLY:
		break;
	default:
		return mail_store(x->db, &x->in, &x->st);
	}

	if (token_hash(x) == -1) {
		snprintf(x->db->errmsg, sizeof(x->db->errmsg), "reply token "
		    "could not be written again");
		return DB_ERROR;
	}
	set_form(x);
	if (cls->token.kind == TOKEN_QUEUE) {
		/* db/mailstore.c uses the token and updates the item. */
		x->in.item_id = cls->token.id;
		x->in.token_hash = x->token_hash;
		if ((e = mail_store(x->db, &x->in, &x->st)) != DB_OK ||
		    !x->st.created)
			return e;
		if (x->st.token_reused)
			return refuse(x, RF_TOKEN_USED, NULL, x->st.item_id,
			    0, 0, NULL);
		return DB_OK;
	}

	lic = cls->token.id;
	if ((e = mail_license(x->db, lic, number, sizeof(number), &account,
	    status, sizeof(status))) == DB_NOT_FOUND) {
		snprintf(x->note, sizeof(x->note), "A reply about license id "
		    "%lld, which does not exist.", (long long)lic);
		x->in.cls = MAIL_CORRESPONDENCE;
		x->in.note = x->note;
		if ((e = mail_store(x->db, &x->in, &x->st)) != DB_OK ||
		    !x->st.created)
			return e;
		return refuse(x, RF_UNKNOWN_LICENSE, NULL, x->st.item_id, 0,
		    0, NULL);
	}
	if (e != DB_OK)
		return e;
	/* Stored and threaded on the license, left "stored" for us. */
	x->in.license_id = lic;
	if ((e = mail_store(x->db, &x->in, &x->st)) != DB_OK ||
	    !x->st.created)
		return e;
	if ((e = apply_license(x, number, lic, account, status)) != DB_OK)
		return e;
	if ((e = mail_processed(x->db, x->st.id)) == DB_NOT_FOUND)
		e = DB_OK;
	if (e == DB_OK)
		snprintf(x->st.state, sizeof(x->st.state), "processed");
	return e;
}

/* A database failure that no retry will mend counts as the message's. */
static int
transient(enum db_err e)
{
	return e == DB_BUSY || e == DB_IO || e == DB_FULL;
}

static void
fail(struct db *db, const struct intake_conf *c, const struct mail_in *base,
    const char *reason, struct intake_outcome *out)
{
	struct mail_in		 in = *base;
	struct mail_stored	 st;
	enum db_err		 e;

	in.msg = NULL;
	if ((e = mail_fail(db, &in, reason, c->max_attempts, &st)) !=
	    DB_OK) {
		outcome(out, INTAKE_STOP, 0, "UID %u: %s; and it could not be "
		    "recorded: %s: %s", in.uid, reason, db_strerror(e),
		    db->errmsg);
		return;
	}
	if (strcmp(st.state, "quarantined") == 0)
		outcome(out, INTAKE_QUARANTINE, st.id, "UID %u: message %lld "
		    "quarantined: %s", in.uid, (long long)st.id, reason);
	else if (strcmp(st.state, "processed") == 0)
		outcome(out, INTAKE_PROCESSED, st.id, "UID %u: message %lld "
		    "handled before", in.uid, (long long)st.id);
	else
		outcome(out, INTAKE_LATER, st.id, "UID %u: message %lld "
		    "failed (%s); tried again later", in.uid, (long long)st.id,
		    reason);
}

/*
 * One message of a batch: where its raw bytes are, what the parser
 * made of it, and where it goes.
 */
struct job {
	uint32_t		 uid;
	size_t			 size;		/* RFC822.SIZE */
	const char		*raw;		/* in memory, or NULL: in fd */
	size_t			 len;
	int			 fd;		/* the memfd the parser reads */
	/* Of the raw bytes, hashed as they were fetched ("": not yet). */
	char			 sha[SHA256_HEX_LEN + 1];
	long			 ticket;	/* -1: not with the parser */
	enum sandbox_err	 se;
	struct sandbox_result	 r;
	char			 why[512];
	int			 done;		/* out is final already */
	/* Over LIM_MAIL_BYTES: quarantined with its first bytes (in
	 * head, or raw when the server sent more than it said) by the
	 * store thread, which alone uses the database during a pass. */
	int			 over;
	struct imap_msg		 head;
	struct intake_outcome	 out;
};

static void
job_init(struct job *j, uint32_t uid, size_t size)
{
	memset(j, 0, sizeof(*j));
	j->uid = uid;
	j->size = size;
	j->fd = -1;
	j->ticket = -1;
}

static void
job_clear(struct job *j)
{
	if (j->fd != -1)
		close(j->fd);
	j->fd = -1;
	imap_msg_free(&j->head);
	sandbox_result_free(&j->r);
}

/* The mail_in of a job, before the parser's result is known. */
static void
job_in(const struct intake_conf *c, uint32_t uidvalidity,
    const struct job *j, struct mail_in *in)
{
	memset(in, 0, sizeof(*in));
	in->mailbox = c->mailbox;
	in->uidvalidity = uidvalidity;
	in->uid = j->uid;
	in->raw = j->raw;
	in->rawlen = j->len;
	in->raw_fd = j->raw == NULL ? j->fd : -1;
	in->sha256 = j->sha[0] != '\0' ? j->sha : NULL;
	in->product = c->product;
	in->app_date = c->sandbox.app_date;
}

/* The parser's result of one job stored, inside the batch's
 * transaction (a savepoint of its own).  Returns the database error
 * that must undo the whole batch, else DB_OK with j->out set. */
static enum db_err
store_one(struct db *db, const struct intake_conf *c, uint32_t uidvalidity,
    struct job *j, struct outbox_recent *recent)
{
	struct ctx	 x;
	char		 why[512];
	enum db_err	 e;

	memset(&x, 0, sizeof(x));
	x.db = db;
	x.c = c;
	x.recent = recent;
	job_in(c, uidvalidity, j, &x.in);
	if (j->se == SANDBOX_OK && j->r.msg == NULL) {
		j->se = SANDBOX_SYSTEM;
		snprintf(j->why, sizeof(j->why), "%s: not given to the parser",
		    sandbox_strerror(SANDBOX_SYSTEM));
	}
	if (j->se == SANDBOX_SYSTEM) {
		/* Not the message's fault: left for the next pass. */
		outcome(&j->out, INTAKE_LATER, 0, "UID %u: %s", j->uid,
		    j->why);
		return DB_OK;
	}
	if (j->se != SANDBOX_OK) {
		fail(db, c, &x.in, j->why, &j->out);
		return j->out.where == INTAKE_STOP ? DB_ERROR : DB_OK;
	}
	x.r = &j->r;
	x.m = j->r.msg;
	x.in.msg = j->r.msg;
	x.in.cls = j->r.cls.class;
	x.cls = j->r.cls;

	if ((e = db_begin(db)) == DB_OK) {
		if ((e = handle(&x)) == DB_OK)
			e = db_commit(db);
		if (e != DB_OK)
			db_rollback(db);
	}
	if (e != DB_OK) {
		if (transient(e))
			return e;
		snprintf(why, sizeof(why), "database: %s: %s",
		    db_strerror(e), db->errmsg);
		fail(db, c, &x.in, why, &j->out);
		return j->out.where == INTAKE_STOP ? DB_ERROR : DB_OK;
	}
	if (strcmp(x.st.state, "quarantined") == 0)
		outcome(&j->out, INTAKE_QUARANTINE, x.st.id, "UID %u: message "
		    "%lld was quarantined before", j->uid, (long long)x.st.id);
	else
		outcome(&j->out, INTAKE_PROCESSED, x.st.id, "UID %u: message "
		    "%lld %s: %s (%s)%s%s", j->uid, (long long)x.st.id,
		    x.st.created ? "stored" : "known", mail_class_names[
		    x.cls.class], x.cls.reason, x.st.item_id > 0 ?
		    ", queue item" : "", x.st.acked ? ", acknowledged" : "");
	return DB_OK;
}

/* A job over LIM_MAIL_BYTES: its first bytes kept, quarantined. */
static void
oversize_job(struct db *db, const struct intake_conf *c, uint32_t uidvalidity,
    struct job *j)
{
	if (j->head.raw != NULL)
		intake_oversize(db, c, uidvalidity, j->uid, j->head.raw,
		    j->head.len, j->size, &j->out);
	else
		intake_oversize(db, c, uidvalidity, j->uid, j->raw,
		    LIM_HEADER_BYTES, j->len, &j->out);
}

/*
 * The parsed jobs of a batch stored in one transaction, with the
 * mailbox position (ms, may be NULL) when it moves on: one commit, one
 * sync, for the whole batch.  Each message keeps its own savepoint, so
 * one that fails is counted alone; a failure that no retry mends
 * undoes the batch, whose messages are then left for a later pass.
 */
static void
store_batch(struct db *db, const struct intake_conf *c,
    uint32_t uidvalidity, struct job *jobs, size_t n,
    struct mailbox_state *ms)
{
	struct outbox_recent	 recent;
	uint32_t		 last = 0;
	size_t			 i;
	enum db_err		 e;

	memset(&recent, 0, sizeof(recent));
	if ((e = db_begin(db)) != DB_OK)
		goto left;
	for (i = 0; i < n; i++) {
		if (jobs[i].done)
			continue;
		if (jobs[i].over) {
			oversize_job(db, c, uidvalidity, &jobs[i]);
			if (jobs[i].out.where == INTAKE_STOP) {
				e = DB_ERROR;
				goto undo;
			}
			continue;
		}
		if ((e = store_one(db, c, uidvalidity, &jobs[i], &recent)) !=
		    DB_OK)
			goto undo;
		if ((jobs[i].out.where == INTAKE_PROCESSED ||
		    jobs[i].out.where == INTAKE_QUARANTINE) &&
		    jobs[i].uid > last)
			last = jobs[i].uid;
	}
	if (ms != NULL && last > ms->last_uid) {
		ms->last_uid = last;
		ms->last_error[0] = '\0';
		ms->last_fetch_at[0] = '\0';
		if ((e = mailbox_put(db, ms)) != DB_OK)
			goto undo;
	}
	if ((e = db_commit(db)) == DB_OK)
		return;
undo:
	db_rollback(db);
left:
	for (i = 0; i < n; i++)
		if (!jobs[i].done)
			outcome(&jobs[i].out, INTAKE_STOP, 0, "UID %u: "
			    "database: %s: %s", jobs[i].uid, db_strerror(e),
			    db->errmsg);
}

/* Gives a job's message to the workers (c->pool; without one,
 * parsed() reads it in a child of its own).  Its raw bytes go in a
 * sealed memfd. */
static void
parse(const struct intake_conf *c, struct job *j)
{
	int	 today = c->sandbox.cc != NULL ? c->sandbox.cc->today : 0;

	if (c->pool == NULL)
		return;
	if (j->fd == -1 && (j->fd = sandbox_memfd(j->raw, j->len)) == -1) {
		j->se = SANDBOX_SYSTEM;
		snprintf(j->why, sizeof(j->why), "%s: memfd: %s",
		    sandbox_strerror(SANDBOX_SYSTEM), strerror(errno));
		return;
	}
	if ((j->ticket = sandbox_submit(c->pool, j->fd, j->len, today,
	    c->sandbox.app_date)) == -1) {
		j->se = SANDBOX_SYSTEM;
		snprintf(j->why, sizeof(j->why), "%s: %s",
		    sandbox_strerror(SANDBOX_SYSTEM), strerror(errno));
	}
}

/* The parser's result of a job given to it (none for a job a failed
 * fetch left behind). */
static void
parsed(const struct intake_conf *c, struct job *j)
{
	if (j->done || j->over || j->se == SANDBOX_SYSTEM)
		return;
	if (j->ticket != -1) {
		j->se = sandbox_wait(c->pool, j->ticket, &j->r, j->why,
		    sizeof(j->why));
		j->ticket = -1;
		return;
	}
	/* No pool: the raw bytes are in memory (intake_message). */
	if (c->pool == NULL && j->raw != NULL)
		j->se = sandbox_parse(&c->sandbox, j->raw, j->len, &j->r,
		    j->why, sizeof(j->why));
}

void
intake_message(struct db *db, const struct intake_conf *c,
    uint32_t uidvalidity, uint32_t uid, const char *raw, size_t len,
    struct intake_outcome *out)
{
	struct job	 j;

	job_init(&j, uid, len);
	j.raw = raw;
	j.len = len;
	parse(c, &j);
	parsed(c, &j);
	store_batch(db, c, uidvalidity, &j, 1, NULL);
	*out = j.out;
	job_clear(&j);
}

void
intake_oversize(struct db *db, const struct intake_conf *c,
    uint32_t uidvalidity, uint32_t uid, const char *head, size_t len,
    size_t size, struct intake_outcome *out)
{
	struct mail_in		 in;
	struct mail_stored	 st;
	char			 why[256];
	enum db_err		 e;

	memset(out, 0, sizeof(*out));
	memset(&in, 0, sizeof(in));
	in.mailbox = c->mailbox;
	in.uidvalidity = uidvalidity;
	in.uid = uid;
	in.raw = head;
	in.rawlen = len;
	snprintf(why, sizeof(why), "message of %zu bytes is over the limit "
	    "of %d bytes: its first %zu bytes are kept, the whole message "
	    "is in the IMAP folder " INTAKE_QUARANTINE_BOX, size,
	    LIM_MAIL_BYTES, len);
	if ((e = mail_fail(db, &in, why, 1, &st)) != DB_OK) {
		outcome(out, INTAKE_STOP, 0, "UID %u: %s: %s", uid,
		    db_strerror(e), db->errmsg);
		return;
	}
	outcome(out, strcmp(st.state, "processed") == 0 ? INTAKE_PROCESSED :
	    INTAKE_QUARANTINE, st.id, "UID %u: message %lld: %s", uid,
	    (long long)st.id, why);
}

int
intake_known(struct db *db, const struct intake_conf *c,
    uint32_t uidvalidity, uint32_t uid, struct intake_outcome *out)
{
	struct stored_message	 sm;
	int64_t			 id;
	enum db_err		 e;
	int			 rc = 0;

	memset(out, 0, sizeof(*out));
	if ((e = message_seen(db, c->mailbox, uidvalidity, uid, NULL, &id)) ==
	    DB_NOT_FOUND)
		return 0;
	if (e == DB_OK && (e = mail_get(db, id, &sm)) == DB_OK) {
		if (strcmp(sm.state, "processed") == 0) {
			outcome(out, INTAKE_PROCESSED, id, "UID %u: message "
			    "%lld stored before", uid, (long long)id);
			rc = 1;
		} else if (strcmp(sm.state, "quarantined") == 0) {
			outcome(out, INTAKE_QUARANTINE, id, "UID %u: message "
			    "%lld quarantined before", uid, (long long)id);
			rc = 1;
		}
		stored_message_clear(&sm);
		return rc;
	}
	outcome(out, INTAKE_STOP, 0, "UID %u: %s: %s", uid, db_strerror(e),
	    db->errmsg);
	return -1;
}


/* ---- a pass over the mailbox ---- */

/* A batch: up to INTAKE_BATCH small messages fetched in one UID FETCH
 * (their bytes in its answer), or one large message fetched in pieces
 * into a memfd, or one over LIM_MAIL_BYTES (its head kept). */
struct batch {
	struct job		 jobs[INTAKE_BATCH];
	size_t			 n;
	struct imap_batch	 fetched;
	int			 drop;		/* not to be stored */
	int			 dropped;	/* was not stored */
};

static void
batch_clear(struct batch *b)
{
	size_t	 i;

	for (i = 0; i < b->n; i++)
		job_clear(&b->jobs[i]);
	imap_batch_free(&b->fetched);
	b->n = 0;
}

/*
 * A large message into a sealed memfd, INTAKE_PIECE_BYTES at a time
 * (BODY.PEEK[]<offset.length>), hashed on the way: aim-maild never
 * holds it whole.  IMAP_TOO_BIG if it grew past LIM_MAIL_BYTES.
 */
static enum imap_err
fetch_pieces(struct imap *im, struct job *j)
{
	struct imap_msg	 piece;
	struct digest	*d;
	size_t		 off = 0, got;
	enum imap_err	 e = IMAP_NOMEM;

	if ((d = digest_new()) == NULL ||
	    (j->fd = memfd_create("aim-mail", MFD_CLOEXEC |
	    MFD_ALLOW_SEALING)) == -1)
		goto out;
	for (;;) {
		if ((e = imap_fetch_range(im, j->uid, off, INTAKE_PIECE_BYTES,
		    &piece)) != IMAP_OK)
			goto out;
		if (off + piece.len > LIM_MAIL_BYTES) {
			imap_msg_free(&piece);
			e = IMAP_TOO_BIG;
			goto out;
		}
		if (digest_add(d, piece.raw, piece.len) == -1 ||
		    pwrite(j->fd, piece.raw, piece.len, (off_t)off) !=
		    (ssize_t)piece.len) {
			imap_msg_free(&piece);
			e = IMAP_NOMEM;
			goto out;
		}
		off += piece.len;
		got = piece.len;
		imap_msg_free(&piece);
		/* A short piece is the end of the message. */
		if (got < INTAKE_PIECE_BYTES)
			break;
	}
	e = IMAP_NOMEM;
	if (pwrite(j->fd, "", 1, (off_t)off) != 1 ||
	    sandbox_seal(j->fd) == -1)
		goto out;
	if (digest_end(d, j->sha) == -1) {
		d = NULL;
		goto out;
	}
	d = NULL;
	j->len = off;
	e = IMAP_OK;
out:
	digest_free(d);
	return e;
}

/* The head of a message over LIM_MAIL_BYTES, to be kept and the
 * message quarantined (oversize_job). */
static enum imap_err
oversize(struct imap *im, struct job *j)
{
	enum imap_err	 e;

	if ((e = imap_fetch_range(im, j->uid, 0, LIM_HEADER_BYTES,
	    &j->head)) == IMAP_GONE) {
		j->done = 1;
		outcome(&j->out, INTAKE_LATER, 0, "UID %u: gone", j->uid);
		return IMAP_OK;
	}
	if (e == IMAP_OK)
		j->over = 1;
	else
		j->done = 1;
	return e;
}

/*
 * The next batch from todo[*at] on (sizes known), fetched and given
 * to the parser.  An IMAP error leaves the batch to be cleared.
 */
static enum imap_err
load(struct imap *im, const struct intake_conf *c, const uint32_t *todo,
    const size_t *sizes, size_t ntodo, size_t *at, struct batch *b)
{
	uint32_t	 uids[INTAKE_BATCH];
	struct job	*j;
	size_t		 bytes = 0, i;
	enum imap_err	 e;

	memset(b, 0, sizeof(*b));
	/* What is gone is skipped; what is large goes alone. */
	while (*at < ntodo && b->n < INTAKE_BATCH) {
		i = *at;
		if (b->n > 0 && (sizes[i] > INTAKE_PIECE_BYTES ||
		    bytes + sizes[i] > INTAKE_BATCH_BYTES))
			break;
		j = &b->jobs[b->n++];
		job_init(j, todo[i], sizes[i]);
		(*at)++;
		if (sizes[i] == IMAP_SIZE_GONE) {
			j->done = 1;
			outcome(&j->out, INTAKE_LATER, 0, "UID %u: gone",
			    j->uid);
			continue;
		}
		if (sizes[i] > LIM_MAIL_BYTES)
			return oversize(im, j);
		if (sizes[i] > INTAKE_PIECE_BYTES) {
			e = fetch_pieces(im, j);
			if (e == IMAP_TOO_BIG) {
				close(j->fd);
				j->fd = -1;
				return oversize(im, j);
			}
			if (e == IMAP_GONE) {
				j->done = 1;
				outcome(&j->out, INTAKE_LATER, 0, "UID %u: "
				    "gone", j->uid);
				return IMAP_OK;
			}
			if (e != IMAP_OK)
				return e;
			parse(c, j);
			return IMAP_OK;
		}
		bytes += sizes[i];
	}
	for (i = 0; i < b->n; i++)
		uids[i] = b->jobs[i].uid;
	if ((e = imap_fetch_set(im, uids, b->n, &b->fetched)) != IMAP_OK)
		return e;
	for (i = 0; i < b->n; i++) {
		j = &b->jobs[i];
		if (j->done)
			continue;
		if (b->fetched.msgs[i].raw == NULL) {
			j->done = 1;
			outcome(&j->out, INTAKE_LATER, 0, "UID %u: gone",
			    j->uid);
			continue;
		}
		j->raw = b->fetched.msgs[i].raw;
		j->len = b->fetched.msgs[i].len;
		/* The server sent more than it said. */
		if (j->len > LIM_MAIL_BYTES) {
			j->over = 1;
			continue;
		}
		parse(c, j);
		/* Here, not in the store thread, which the pipeline waits
		 * on (the store computes it if this failed). */
		if (sha256_hex(j->raw, j->len, j->sha) == -1)
			j->sha[0] = '\0';
	}
	return IMAP_OK;
}

/* UID MOVE of the batch's handled messages, a set per mailbox. */
static enum imap_err
move(struct imap *im, const struct intake_conf *c, struct job *jobs,
    size_t n, struct intake_stats *stats)
{
	static const struct {
		enum intake_where	 where;
		const char		*box;
	} to[] = {
		{ INTAKE_PROCESSED, INTAKE_PROCESSED_BOX },
		{ INTAKE_QUARANTINE, INTAKE_QUARANTINE_BOX },
	};
	uint32_t	 uids[IMAP_SET_MAX];
	size_t		 i, k, m;
	enum imap_err	 e;

	for (k = 0; k < sizeof(to) / sizeof(to[0]); k++) {
		for (m = 0, i = 0; i < n && m < IMAP_SET_MAX; i++)
			if (jobs[i].out.where == to[k].where)
				uids[m++] = jobs[i].uid;
		if (m == 0)
			continue;
		e = imap_move_set(im, uids, m, to[k].box);
		if (e == IMAP_NO) {
			/* Stored: the next pass moves them. */
			log_msg(LOG_LVL_WARNING, "%s: %s", c->mailbox,
			    imap_error(im));
			stats->later += m;
			continue;
		}
		if (e != IMAP_OK)
			return e;
		stats->moved += m;
	}
	return IMAP_OK;
}

static void
report(const struct intake_conf *c, const struct job *j,
    struct intake_stats *stats)
{
	switch (j->out.where) {
	case INTAKE_PROCESSED:
	case INTAKE_QUARANTINE:
		log_msg(j->out.where == INTAKE_QUARANTINE ? LOG_LVL_WARNING :
		    LOG_LVL_INFO, "%s: %s", c->mailbox, j->out.what);
		if (j->out.id > 0 && !j->done)
			stats->stored++;
		break;
	case INTAKE_LATER:
		log_msg(LOG_LVL_WARNING, "%s: %s", c->mailbox, j->out.what);
		stats->later++;
		break;
	case INTAKE_STOP:
		log_msg(LOG_LVL_ERR, "%s: %s; pass stopped", c->mailbox,
		    j->out.what);
		stats->later++;
		break;
	}
}

/*
 * Messages staff sent back from quarantine ("Reprocess"): read again
 * from the stored raw bytes, this mailbox's only.  Their IMAP copies
 * stay in Quarantine; the database is the record.
 */
static void
retry_requeued(struct db *db, const struct intake_conf *c,
    volatile sig_atomic_t *stop)
{
	struct intake_outcome	 o;
	struct stored_message	 m;
	int64_t			 ids[64];
	unsigned char		*raw;
	size_t			 n = 0, i, len;

	if (mail_pending(db, ids, sizeof(ids) / sizeof(ids[0]), &n) != DB_OK)
		return;
	for (i = 0; i < n && !*stop; i++) {
		if (mail_get(db, ids[i], &m) != DB_OK)
			continue;
		if (strcmp(m.mailbox, c->mailbox) != 0 ||
		    mail_raw(db, ids[i], &raw, &len) != DB_OK) {
			stored_message_clear(&m);
			continue;
		}
		intake_message(db, c, m.uidvalidity, m.uid,
		    (const char *)raw, len, &o);
		log_msg(LOG_LVL_INFO, "%s: read again: %s", c->mailbox,
		    o.what);
		free(raw);
		stored_message_clear(&m);
	}
}

/*
 * What is in INBOX and known already (stored before a crash, or
 * before a move failed) is only moved; the rest goes in todo, in UID
 * order.  -1 when the database cannot be used now.
 */
static int
sort_known(struct imap *im, struct db *db, const struct intake_conf *c,
    struct mailbox_state *ms, const uint32_t *uids, size_t n,
    uint32_t *todo, size_t *ntodo, struct intake_stats *stats,
    enum imap_err *e)
{
	struct job	*known;
	size_t		 i, k = 0;
	int		 rc = 0, r;

	*ntodo = 0;
	*e = IMAP_OK;
	if ((known = calloc(IMAP_SET_MAX, sizeof(*known))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		job_init(&known[k], uids[i], 0);
		if ((r = intake_known(db, c, ms->uidvalidity, uids[i],
		    &known[k].out)) == 0) {
			todo[(*ntodo)++] = uids[i];
			continue;
		}
		if (r == -1) {
			report(c, &known[k], stats);
			rc = -1;
			break;
		}
		known[k].done = 1;
		report(c, &known[k], stats);
		if (++k == IMAP_SET_MAX) {
			if ((*e = move(im, c, known, k, stats)) != IMAP_OK)
				break;
			k = 0;
		}
	}
	if (*e == IMAP_OK && k > 0)
		*e = move(im, c, known, k, stats);
	free(known);
	return rc;
}

/*
 * The store thread and what it shares with the watcher's thread, under
 * mu.  Batches go round the INTAKE_DEPTH slots in order: the watcher
 * loads batch number `loaded` (fetched, given to the parser), the
 * thread stores number `stored` once the parser is done with it (and
 * lets its bytes go), the watcher moves number `moved`; moved <= stored
 * <= loaded <= moved + INTAKE_DEPTH, and loaded <= stored +
 * INTAKE_HELD.  During a pass only the thread uses the database.
 */
/* Every message in hand has a job of the pool. */
_Static_assert(INTAKE_HELD * INTAKE_BATCH <= SANDBOX_JOBS,
    "the pool must hold every batch in hand");

struct intake_pipe {
	pthread_t			 th;
	pthread_mutex_t			 mu;
	pthread_cond_t			 cv;
	int				 quit;
	/* The pass being served. */
	struct db			*db;
	const struct intake_conf	*c;
	struct mailbox_state		*ms;
	int				 halt;	/* the database failed */
	unsigned			 loaded, stored, moved;
	struct batch			 b[INTAKE_DEPTH];
};

static void *
store_loop(void *arg)
{
	struct intake_pipe	*p = arg;
	struct batch		*b;
	size_t			 i;
	int			 halt;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->quit && p->stored == p->loaded)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->stored == p->loaded)
			break;
		b = &p->b[p->stored % INTAKE_DEPTH];
		/* After a failure that stopped the pass, what follows is
		 * left for the next one. */
		b->dropped = b->drop || p->halt;
		pthread_mutex_unlock(&p->mu);
		for (i = 0; i < b->n; i++)
			parsed(p->c, &b->jobs[i]);
		halt = 0;
		if (!b->dropped) {
			store_batch(p->db, p->c, p->ms->uidvalidity, b->jobs,
			    b->n, p->ms);
			for (i = 0; i < b->n; i++)
				if (b->jobs[i].out.where == INTAKE_STOP)
					halt = 1;
		}
		/* What is left to do, the move, needs only the UIDs and
		 * the outcomes: the bytes go now. */
		for (i = 0; i < b->n; i++) {
			job_clear(&b->jobs[i]);
			b->jobs[i].raw = NULL;
		}
		imap_batch_free(&b->fetched);
		pthread_mutex_lock(&p->mu);
		if (halt)
			p->halt = 1;
		p->stored++;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct intake_pipe *
intake_pipe_new(void)
{
	struct intake_pipe	*p;
	sigset_t		 all, old;
	int			 e;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	if (pthread_mutex_init(&p->mu, NULL) != 0)
		goto fail;
	if (pthread_cond_init(&p->cv, NULL) != 0) {
		pthread_mutex_destroy(&p->mu);
		goto fail;
	}
	/* The thread takes no signal: SIGTERM must reach the watcher's
	 * own thread, whose poll() it ends (mail/imap.c waits on EINTR).
	 * Workers it forks unblock theirs (mail/sandbox.c). */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	e = pthread_create(&p->th, NULL, store_loop, p);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e != 0) {
		errno = e;
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
		goto fail;
	}
	return p;
fail:
	free(p);
	return NULL;
}

void
intake_pipe_free(struct intake_pipe *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->th, NULL);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

/*
 * The watcher's side of a pass: batches loaded while there is room,
 * each stored batch reported and moved (a set per folder), until all
 * that was loaded is done.  After an IMAP error nothing more is loaded
 * or moved: what the thread stores meanwhile is moved by the next pass
 * (known, only moved).
 */
static enum imap_err
pipeline(struct intake_pipe *p, struct imap *im, const uint32_t *todo,
    const size_t *sizes, size_t ntodo, volatile sig_atomic_t *stop,
    struct intake_stats *stats)
{
	struct batch	*b;
	size_t		 at = 0, i;
	enum imap_err	 le = IMAP_OK;
	int		 more;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		more = at < ntodo && !*stop && !p->halt && le == IMAP_OK &&
		    p->loaded - p->moved < INTAKE_DEPTH &&
		    p->loaded - p->stored < INTAKE_HELD;
		/* Loading first: the parser then reads the next batch
		 * while this thread moves. */
		if (more) {
			b = &p->b[p->loaded % INTAKE_DEPTH];
			pthread_mutex_unlock(&p->mu);
			if ((le = load(im, p->c, todo, sizes, ntodo, &at, b)) !=
			    IMAP_OK)
				b->drop = 1;
			pthread_mutex_lock(&p->mu);
			p->loaded++;
			pthread_cond_broadcast(&p->cv);
			continue;
		}
		if (p->moved < p->stored) {
			/* Stored: told to the server. */
			b = &p->b[p->moved % INTAKE_DEPTH];
			pthread_mutex_unlock(&p->mu);
			if (!b->dropped) {
				for (i = 0; i < b->n; i++)
					report(p->c, &b->jobs[i], stats);
				if (le == IMAP_OK)
					le = move(im, p->c, b->jobs, b->n,
					    stats);
			}
			batch_clear(b);
			pthread_mutex_lock(&p->mu);
			p->moved++;
			continue;
		}
		if (p->moved == p->loaded)
			break;
		pthread_cond_wait(&p->cv, &p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	return le;
}

enum imap_err
intake_pass(struct imap *im, struct db *db, const struct intake_conf *c,
    struct mailbox_state *ms, volatile sig_atomic_t *stop,
    struct intake_stats *stats)
{
	struct intake_pipe	*p = c->pipe;
	uint32_t		*uids = NULL, *todo = NULL;
	size_t			*sizes = NULL, n = 0, ntodo = 0, i, k;
	enum imap_err		 e;
	int			 halt = 0;

	memset(stats, 0, sizeof(*stats));
	if ((e = imap_search(im, &uids, &n)) != IMAP_OK)
		return e;
	stats->seen = n;
	if (n == 0)
		goto requeued;
	if ((todo = calloc(n, sizeof(*todo))) == NULL ||
	    (sizes = calloc(n, sizeof(*sizes))) == NULL) {
		e = IMAP_NOMEM;
		goto out;
	}
	if (sort_known(im, db, c, ms, uids, n, todo, &ntodo, stats, &e) ==
	    -1 || e != IMAP_OK)
		goto out;
	if (ntodo > 0)
		log_msg(LOG_LVL_INFO, "%s: %zu new in INBOX", c->mailbox,
		    ntodo);
	for (i = 0; i < ntodo; i += k) {
		k = ntodo - i < IMAP_SET_MAX ? ntodo - i : IMAP_SET_MAX;
		if ((e = imap_sizes(im, todo + i, k, sizes + i)) != IMAP_OK)
			goto out;
	}
	if (ntodo > 0) {
		if (p == NULL) {
			e = IMAP_NOMEM;
			goto out;
		}
		pthread_mutex_lock(&p->mu);
		p->db = db;
		p->c = c;
		p->ms = ms;
		p->halt = 0;
		p->loaded = p->stored = p->moved = 0;
		pthread_mutex_unlock(&p->mu);
		e = pipeline(p, im, todo, sizes, ntodo, stop, stats);
		pthread_mutex_lock(&p->mu);
		halt = p->halt;
		pthread_mutex_unlock(&p->mu);
	}
	if (e != IMAP_OK || halt)
		goto out;
requeued:
	retry_requeued(db, c, stop);
out:
	free(sizes);
	free(todo);
	free(uids);
	return e;
}
