/*
 * Outbox rows (db/outbox.h) into whole RFC 5322 messages.
 *
 * A template is a text file in templates_dir named after the row's
 * template ("license_created.txt"), for an operator to edit:
 *
 *   Subject: License {{license_number}} issued
 *   <blank line>
 *   the body, plain text
 *
 * Placeholders take the row's parameters (the JSON object the core
 * wrote) and a few derived ones (below):
 *
 *   {{name}}  {{a.b}}      the value (text, number; yes/no; else empty)
 *   {{#name}}..{{/name}}   for each element of an array (names inside
 *                          look in the element first, {{.}} is the
 *                          element itself), once for an object or any
 *                          other true value, never for a false one:
 *                          missing, null, false, "", 0, []
 *   {{^name}}..{{/name}}   once when name is false, as above
 *   {{! comment }}
 *
 * A line holding only a section tag or a comment leaves no blank line.
 * Values are plain text and are never interpreted; in the Subject their
 * line breaks become spaces.  A template that is not valid UTF-8, has
 * an unbalanced section or an unknown tag is refused when loaded, with
 * its file and line: render_reload then keeps the templates it had.
 *
 * Derived parameters (set only where the row has no such key):
 *   action_required    true when status is "action_required"
 *   status_words       "Issued", "Action Required", "Canceled"
 *   product_title      "Aluminum", "Steel" or ""
 *   license_kind       "aluminum import license", "steel import
 *                      license" or "import license"
 *   license_kind_title the same, capitalized
 *   site               the web site's address (base_url)
 *   licensing_address  the licensing mailbox of the product
 *   reply_address      the Reply-To address with its token, or ""
 *   flags[].where, errors[].where   the field in plain words
 *                      ("Product line 1, Customs value (US$)")
 *   has_flags, has_errors   true when the array is not empty (a
 *                      heading shown once above the list)
 *
 * Every message carries: Date (the row's creation), From, To, Cc,
 * Subject (RFC 2047 when not ASCII), Message-ID (the row's own),
 * In-Reply-To and References when params.in_reply_to (and
 * params.references) name a message, MIME-Version, a text/plain
 * UTF-8 body (7bit when ASCII with short lines, else
 * quoted-printable), Auto-Submitted ("auto-replied" on automatic
 * replies, db/outbox.h outbox_is_auto_reply, else "auto-generated"),
 * X-Auto-Response-Suppress: All and the loop header X-AIM-Loop: DOMAIN.
 *
 * From is "from_name" <noreply@DOMAIN>, or the licensing mailbox of
 * the product (params.product; aluminum when unknown) for the mail
 * about emailed forms and replies (submission_*, reply_*).  Mail whose
 * answer means something gets a Reply-To with a signed token
 * (mail/token.h) for the row's To address:
 *   status action_required and a license_id: kind L, purpose A, the
 *     license, valid RENDER_ACTION_DAYS from the row's day;
 *   submission_received with params.item_id: kind Q, purpose S, the
 *     queue item, valid RENDER_SUBMISSION_DAYS;
 * as aluminum.license+TOKEN@DOMAIN (steel.license+... for steel).
 */
#ifndef AIM_RENDER_H
#define AIM_RENDER_H

#include <stddef.h>

#include "lib/buf.h"
#include "lib/config.h"
#include "lib/limits.h"
#include "db/outbox.h"

/* Bytes of a template file (a page of text is 3 KB).  (Belongs in
 * lib/limits.h.) */
#define RENDER_TEMPLATE_BYTES	(64 * 1024)
/* Bytes of one rendered message: a rejection reason, 200 form errors
 * and a summary fit with room to spare.  (Belongs in lib/limits.h.) */
#define RENDER_MESSAGE_BYTES	(1024 * 1024)
/* Bytes of a Subject after its placeholders are filled. */
#define RENDER_SUBJECT_BYTES	256
/* Nesting of sections in a template. */
#define RENDER_DEPTH		8
/* Recipients of one message: To and Cc. */
#define RENDER_RCPT_MAX		8
/* Days a reply token stays good: an action-required license is
 * answered within its 75 days of validity; an emailed form is
 * corrected within weeks. */
#define RENDER_ACTION_DAYS	90
#define RENDER_SUBMISSION_DAYS	60

enum render_err {
	RENDER_OK,
	RENDER_TEMPLATE,	/* no template of that name */
	RENDER_PARAMS,		/* a damaged row: params, Message-ID */
	RENDER_ADDRESS,		/* a recipient is not a plain address */
	RENDER_TOKEN,		/* a reply token is needed but no key */
	RENDER_TOO_LARGE,	/* past RENDER_MESSAGE_BYTES */
	RENDER_NOMEM,
	RENDER__MAX
};

const char	*render_strerror(enum render_err);
/* Whether the error stays whatever is retried (the row's own data):
 * the sender then fails the row; else it tries again later. */
int		 render_err_permanent(enum render_err);

struct render_conf {
	const char		*templates_dir;
	const char		*domain;
	const char		*from_name;
	const char		*aluminum_user;	/* aluminum.license@... */
	const char		*steel_user;
	const char		*site;		/* base URL, for bodies */
	const unsigned char	*key;		/* of tokens; NULL: none */
	size_t			 keylen;
};

/* The configuration's [mail] values; key only when keyed (the secret
 * was loaded).  Points into cfg. */
void		 render_conf_from(struct render_conf *,
		    const struct config *, int keyed);

/* The template names the system writes, NULL-terminated. */
extern const char *const render_templates[];

struct render;

/* Copies conf and loads every template; NULL with the reason (file and
 * line) in err. */
struct render	*render_new(const struct render_conf *, char *err,
		    size_t errsz);
/* Reads the templates again (SIGHUP).  On -1 the old ones stay. */
int		 render_reload(struct render *, char *err, size_t errsz);
void		 render_free(struct render *);

struct rendered {
	struct buf	 msg;		/* the message, CRLF line ends */
	char		 from[LIM_EMAIL_BYTES + 1];	/* envelope's */
	char		 rcpt[RENDER_RCPT_MAX][LIM_EMAIL_BYTES + 1];
	size_t		 nrcpt;		/* To then Cc, each once */
	int		 auto_reply;
	char		 subject[RENDER_SUBJECT_BYTES];	/* UTF-8 */
	char		 reply_to[LIM_EMAIL_BYTES + 1];	/* "" none */
};

/* Renders row into out (initialised here; free with rendered_free,
 * also after an error). */
enum render_err	 render_row(struct render *, const struct outbox_row *,
		    struct rendered *out);
void		 rendered_free(struct rendered *);

/*
 * Helpers, exposed for the tests.  An address render_row accepts:
 * printable ASCII, one @, no spaces or address syntax (<>,;:"()[]\).
 */
int		 render_address_ok(const char *);
/* text (UTF-8) as a Subject header value: as is when ASCII, else RFC
 * 2047 encoded-words of at most 75 characters on folded lines. */
int		 render_subject(struct buf *, const char *text);

#endif
