/*
 * Where an incoming email goes (issue 5, "Classification"), decided
 * from a parsed struct message alone, in this order:
 *
 *  1. bounce: a delivery report (multipart/report, message/delivery-
 *     status), From MAILER-DAEMON or postmaster, an empty Return-Path,
 *     or a bounce's subject ("Undelivered Mail Returned to Sender"...);
 *  2. auto-reply: Auto-Submitted other than "no" (and what mime.c
 *     folds into it: X-Autoreply, X-Autorespond, Precedence bulk, junk
 *     or list, List-Id), or an "Out of Office" / "Automatic reply"
 *     subject;
 *  3. own: From one of our addresses, or our loop header X-AIM-Loop;
 *     these three are recorded and never answered (RFC 3834);
 *  4. reply: a valid reply token (mail/token.h) for the sender, in the
 *     plus-address of Delivered-To or To (aluminum.license+TOKEN@
 *     domain) or in one of our Message-IDs in In-Reply-To or
 *     References (<t.TOKEN@domain> or <TOKEN@domain>);
 *  5. submission: a PDF or XML attachment that forms/read.h reads as
 *     a form (rules are not checked here);
 *  6. correspondence: anything else.
 *
 * No network, no database: whether a token was used before, and
 * whether the sender may act on the license, are the caller's checks.
 */
#ifndef AIM_CLASSIFY_H
#define AIM_CLASSIFY_H

#include <stddef.h>

#include "message.h"
#include "token.h"

struct classify_conf {
	/* Our addresses, such as aluminum.license@DOMAIN,
	 * steel.license@DOMAIN and our noreply address. */
	const char *const	*addresses;
	size_t			 naddresses;
	const char		*msgid_domain;	/* of our Message-IDs */
	const unsigned char	*key;		/* HMAC key of tokens */
	size_t			 keylen;
	int			 today;		/* lib/date.h day */
	/* How an attachment (index idx of the message) is told to be a
	 * form; NULL: classify_is_form.  The sandboxed parser reads each
	 * form once and keeps what it read for its result. */
	int			(*is_form)(const struct attachment *,
				    size_t idx, void *arg);
	void			*is_form_arg;
};

struct classify_result {
	enum mail_class	 class;
	char		 reason[256];	/* why, for logs and operators */
	/* MAIL_REPLY: the token and which address it came in. */
	struct token	 token;
	char		 token_in[32];	/* "Delivered-To", "To", ... */
	/* A token that was there but refused (any class but reply):
	 * TOKEN_FORGED or TOKEN_EXPIRED; TOKEN_OK when none was. */
	enum token_err	 token_err;
	/* The token as written, lower case: the valid one of a reply,
	 * else the first refused one ("" if none).  A token refused for
	 * the sender may still be good for the account's other address:
	 * the intake, which has the database, checks (mail/intake.h). */
	char		 token_text[TOKEN_LEN + 1];
	char		 refused_in[32];	/* where that refused one was */
	/* The first of our Message-IDs in In-Reply-To or References,
	 * token or not ("" if none): threads a reply without a token. */
	char		 our_msgid[256];
	/* Indices in m->att of the attachments that read as forms (for
	 * any class: a reply may carry a corrected form). */
	size_t		*forms;
	size_t		 nforms;
};

enum mail_class	 classify(const struct message *,
		    const struct classify_conf *);
/* The same with the details; free with classify_result_free. Returns
 * res->class (MAIL_CORRESPONDENCE with reason "out of memory" if the
 * form list could not be kept). */
enum mail_class	 classify_full(const struct message *,
		    const struct classify_conf *, struct classify_result *);
void		 classify_result_free(struct classify_result *);

/* Whether an attachment is a PDF or XML form that forms/read.h can
 * read (by type or name, then by reading it). */
int		 classify_is_form(const struct attachment *);
/* The first half of that: a PDF or XML by type or name and content,
 * worth reading as a form (FORMAT_PDF or FORMAT_XML), else 0. */
int		 classify_form_candidate(const struct attachment *);

/*
 * The first line of the text that is the sender's own (for a reply of
 * "CONFIRM"): quoted lines ("> ...") and the attribution of a quote
 * ("On ... wrote:", over one or two lines) are skipped, blanks
 * trimmed.  "" when there is none.  The string is valid until the next
 * call (the mail processes are single threaded).
 */
const char	*message_first_line(const struct message *);

#endif
