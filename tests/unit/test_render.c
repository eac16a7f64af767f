/*
 * Outbound mail: every template rendered from parameters shaped as the
 * core writes them (and from rows the core really wrote), the headers
 * (Auto-Submitted, X-AIM-Loop, the row's Message-ID, threading), the
 * Reply-To tokens read back, RFC 2047 subjects, quoted-printable
 * bodies, the template language and its load errors; the retry
 * schedule; and the outbox calls the sender works rows through.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include <sys/socket.h>
#include <netinet/in.h>

#include "lib/config.h"
#include "lib/date.h"
#include "lib/log.h"
#include "forms/account.h"
#include "forms/form.h"
#include "forms/rules.h"
#include "db/accounts.h"
#include "db/clock.h"
#include "db/outbox.h"
#include "db/queue.h"
#include "db/registry.h"
#include "db/tables.h"
#include "mail/render.h"
#include "mail/sender.h"
#include "mail/token.h"
#include "tests.h"

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif
#define TEMPLATES	TEST_SRCDIR "/mail/templates"
#define CREATED		"2026-01-15T12:34:56Z"

static const unsigned char key[32] = "0123456789abcdef0123456789abcdef";
static struct render	*R;
static struct db	*db;
static char		 dir[TESTS_DIR_MAX];

static void
conf(struct render_conf *rc, const char *templates, int keyed)
{
	memset(rc, 0, sizeof(*rc));
	rc->templates_dir = templates;
	rc->domain = "aim.test";
	rc->from_name = "AIM Licensing";
	rc->aluminum_user = "aluminum.license@aim.test";
	rc->steel_user = "steel.license@aim.test";
	rc->site = "https://aim.example";
	if (keyed) {
		rc->key = key;
		rc->keylen = sizeof(key);
	}
}

static void
setup_render(void)
{
	struct render_conf	 rc;
	char			 err[512];

	conf(&rc, TEMPLATES, 1);
	R = render_new(&rc, err, sizeof(err));
	ck_assert_msg(R != NULL, "%s", err);
}

static void
teardown_render(void)
{
	render_free(R);
	R = NULL;
}

static void
row_init(struct outbox_row *row, const char *tpl, const char *params,
    int64_t license_id, const char *to, const char *cc)
{
	memset(row, 0, sizeof(*row));
	row->id = 7;
	snprintf(row->created_at, sizeof(row->created_at), CREATED);
	snprintf(row->template, sizeof(row->template), "%s", tpl);
	row->to = strdup(to);
	row->cc = cc != NULL ? strdup(cc) : NULL;
	row->params = strdup(params);
	snprintf(row->message_id, sizeof(row->message_id),
	    "<0123456789abcdef01234567.%s@aim.test>", tpl);
	snprintf(row->state, sizeof(row->state), "queued");
	row->license_id = license_id;
}

/* The header block (up to the blank line), unfolded, in out. */
static int
hdr(const struct rendered *m, const char *name, char *out, size_t sz)
{
	const char	*p = m->msg.p, *end, *e;
	size_t		 n = strlen(name), k = 0;

	end = strstr(p, "\r\n\r\n");
	ck_assert_ptr_nonnull(end);
	while (p < end) {
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			p += n + 1;
			while (*p == ' ')
				p++;
			for (;;) {
				e = strstr(p, "\r\n");
				while (p < e && k + 1 < sz)
					out[k++] = *p++;
				p = e + 2;
				if (p >= end + 2 || (*p != ' ' && *p != '\t'))
					break;
			}
			out[k] = '\0';
			return 1;
		}
		p = strstr(p, "\r\n") + 2;
	}
	out[0] = '\0';
	return 0;
}

static int
hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ?
	    c - 'A' + 10 : -1;
}

/* The body as text with LF line ends (quoted-printable decoded). */
static char *
body(const struct rendered *m)
{
	char		 cte[64];
	const char	*p = strstr(m->msg.p, "\r\n\r\n") + 4;
	char		*out = malloc(strlen(p) + 1), *w = out;
	int		 qp;

	ck_assert_ptr_nonnull(out);
	ck_assert(hdr(m, "Content-Transfer-Encoding", cte, sizeof(cte)));
	qp = strcmp(cte, "quoted-printable") == 0;
	while (*p != '\0') {
		if (p[0] == '\r' && p[1] == '\n') {
			*w++ = '\n';
			p += 2;
		} else if (qp && p[0] == '=' && p[1] == '\r' && p[2] == '\n')
			p += 3;
		else if (qp && p[0] == '=') {
			ck_assert_int_ge(hexval(p[1]), 0);
			ck_assert_int_ge(hexval(p[2]), 0);
			*w++ = (char)(hexval(p[1]) * 16 + hexval(p[2]));
			p += 3;
		} else
			*w++ = *p++;
	}
	*w = '\0';
	return out;
}

/* An unfolded header value with its encoded-words decoded. */
static void
decode_words(const char *in, char *out, size_t sz)
{
	const char	*p = in, *q, *e;
	unsigned char	 dec[256];
	size_t		 k = 0;
	int		 n, pad, last_ew = 0;

	while (*p != '\0') {
		if (strncmp(p, "=?UTF-8?B?", 10) == 0 &&
		    (e = strstr(p + 10, "?=")) != NULL) {
			ck_assert_int_lt(e - p - 10, (int)sizeof(dec));
			n = EVP_DecodeBlock(dec, (const unsigned char *)p + 10,
			    (int)(e - p - 10));
			ck_assert_int_ge(n, 0);
			for (pad = 0, q = e; q > p + 10 && q[-1] == '='; q--)
				pad++;
			ck_assert_int_lt(k + n, sz);
			memcpy(out + k, dec, n - pad);
			k += n - pad;
			p = e + 2;
			last_ew = 1;
			continue;
		}
		/* Blanks between two encoded-words are not text. */
		if (last_ew && *p == ' ' && strncmp(p + 1, "=?UTF-8?B?",
		    10) == 0) {
			p++;
			continue;
		}
		last_ew = 0;
		ck_assert_int_lt(k + 1, sz);
		out[k++] = *p++;
	}
	out[k] = '\0';
}

/*
 * Renders and checks what every message must have: CR LF lines of at
 * most 998 (78 in the headers but for encoded words' 76), no template
 * syntax left, the fixed headers, the row's Message-ID.
 */
static void
render_ok(const char *tpl, const char *params, int64_t license_id,
    const char *to, const char *cc, struct rendered *m)
{
	struct outbox_row	 row;
	const char		*p, *hend;
	char			 v[1024];
	size_t			 col = 0;
	enum render_err		 e;

	row_init(&row, tpl, params, license_id, to, cc);
	e = render_row(R, &row, m);
	ck_assert_msg(e == RENDER_OK, "%s: %s", tpl, render_strerror(e));
	ck_assert_ptr_nonnull(m->msg.p);
	ck_assert_msg(strstr(m->msg.p, "{{") == NULL &&
	    strstr(m->msg.p, "}}") == NULL, "%s: template syntax left:\n%s",
	    tpl, m->msg.p);
	hend = strstr(m->msg.p, "\r\n\r\n");
	for (p = m->msg.p; *p != '\0'; p++) {
		if (*p == '\n') {
			ck_assert_msg(p > m->msg.p && p[-1] == '\r',
			    "%s: bare LF", tpl);
			col = 0;
		} else if (*p != '\r') {
			col++;
			ck_assert_int_le(col, p < hend ? 78 : 998);
		}
	}
	ck_assert(hdr(m, "Message-ID", v, sizeof(v)));
	ck_assert_str_eq(v, row.message_id);
	ck_assert(hdr(m, "Date", v, sizeof(v)));
	ck_assert_str_eq(v, "Thu, 15 Jan 2026 12:34:56 +0000");
	ck_assert(hdr(m, "To", v, sizeof(v)));
	ck_assert_str_eq(v, to);
	ck_assert(hdr(m, "MIME-Version", v, sizeof(v)));
	ck_assert_str_eq(v, "1.0");
	ck_assert(hdr(m, "Content-Type", v, sizeof(v)));
	ck_assert_str_eq(v, "text/plain; charset=utf-8");
	ck_assert(hdr(m, "X-AIM-Loop", v, sizeof(v)));
	ck_assert_str_eq(v, "aim.test");
	ck_assert(hdr(m, "X-Auto-Response-Suppress", v, sizeof(v)));
	ck_assert(hdr(m, "Auto-Submitted", v, sizeof(v)));
	ck_assert_str_eq(v, outbox_is_auto_reply(tpl) ? "auto-replied" :
	    "auto-generated");
	ck_assert_int_eq(m->auto_reply, outbox_is_auto_reply(tpl));
	ck_assert(hdr(m, "Subject", v, sizeof(v)));
	ck_assert_str_eq(m->from, "noreply@aim.test");
	ck_assert_str_eq(m->rcpt[0], to);
	outbox_row_clear(&row);
}

static void
subject(const struct rendered *m, char *out, size_t sz)
{
	char	 raw[1024];

	ck_assert(hdr(m, "Subject", raw, sizeof(raw)));
	decode_words(raw, out, sz);
	ck_assert_str_eq(out, m->subject);
}

/* The token of the Reply-To, read back for the To address. */
static enum token_err
reply_token(const struct rendered *m, const char *local, const char *to,
    int today, struct token *t)
{
	char		 v[512];
	const char	*plus, *at;

	ck_assert(hdr(m, "Reply-To", v, sizeof(v)));
	ck_assert_str_eq(v, m->reply_to);
	ck_assert_int_eq(strncmp(v, local, strlen(local)), 0);
	plus = strchr(v, '+');
	at = strchr(v, '@');
	ck_assert_ptr_nonnull(plus);
	ck_assert_ptr_nonnull(at);
	ck_assert_str_eq(at, "@aim.test");
	return token_parse(plus + 1, at - plus - 1, to, key, sizeof(key),
	    today, t);
}

static int
contains(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

/* Checks m's decoded Subject. */
static void
subject_is(const struct rendered *m, const char *want)
{
	char	 s[512];

	subject(m, s, sizeof(s));
	ck_assert_str_eq(s, want);
}

/* Checks that m's decoded body holds (want 1) or lacks (0) each text of
 * the NULL-terminated list. */
static void
body_says(const struct rendered *m, int want, va_list ap)
{
	const char	*t;
	char		*b = body(m);

	while ((t = va_arg(ap, const char *)) != NULL)
		ck_assert_msg(contains(b, t) == want, "the body %s "
		    "\"%s\":\n%s", want ? "lacks" : "has", t, b);
	free(b);
}

static void	 body_has(const struct rendered *, ...)
		    __attribute__((sentinel));
static void	 body_lacks(const struct rendered *, ...)
		    __attribute__((sentinel));

static void
body_has(const struct rendered *m, ...)
{
	va_list	 ap;

	va_start(ap, m);
	body_says(m, 1, ap);
	va_end(ap);
}

static void
body_lacks(const struct rendered *m, ...)
{
	va_list	 ap;

	va_start(ap, m);
	body_says(m, 0, ap);
	va_end(ap);
}

#define FLAGGED \
	"{\"license_number\": \"7M3K9QX2P\", \"status\": " \
	"\"action_required\", \"valid_from\": \"2026-01-15\", " \
	"\"valid_through\": \"2026-03-31\", \"flags\": [{\"field\": " \
	"\"lines[1].customs_value_usd\", \"message\": \"The unit value, " \
	"$0.05 per kg, is far outside the usual range.\"}, {\"field\": " \
	"\"country_of_origin\", \"message\": \"Few licenses name this " \
	"country of origin for this product.\"}], \"company_name\": " \
	"\"Test Metals LLC\", \"contact_name\": \"Pat Tester\", " \
	"\"product\": \"aluminum\", \"license_type\": \"standard\", " \
	"\"importer_name\": \"Harbor Metals LLC\", \"lines\": 1}"

#define ISSUED \
	"{\"license_number\": \"7M3K9QX2P\", \"status\": \"issued\", " \
	"\"valid_from\": \"2026-01-15\", \"valid_through\": " \
	"\"2026-03-31\", \"flags\": [], \"company_name\": \"Test Metals " \
	"LLC\", \"contact_name\": \"Pat Tester\", \"product\": " \
	"\"aluminum\", \"license_type\": \"standard\", \"importer_name\": " \
	"\"Harbor Metals LLC\", \"lines\": 2}"

#define ACK_ERRORS \
	"{\"update\": false, \"valid\": false, \"summary\": {\"product\": " \
	"\"steel\", \"importer_name\": \"Harbor Steel LLC\", " \
	"\"exporter_name\": \"Acero SA\", \"country_of_origin\": " \
	"\"Mexico\", \"country_of_exportation\": \"Mexico\", " \
	"\"expected_import_date\": \"2026-02-10\", \"lines\": 2, " \
	"\"total_customs_value_usd\": \"61125.75\"}, \"errors\": " \
	"[{\"field\": \"lines[2].hts_code\", \"message\": \"7601103000 is " \
	"not a covered steel HTS code.\", \"where\": \"Product line 2, HTS " \
	"code\"}, {\"field\": \"country_of_exportation\", \"message\": " \
	"\"Write the full country name, not MX.\", \"where\": \"Country " \
	"of exportation\"}], \"notice\": \"This reference is NOT a " \
	"license number. No entry may be filed with it.\", " \
	"\"reference\": \"EF-2026-000123\", \"item_id\": 123, " \
	"\"product\": \"steel\", \"subject\": \"Steel License " \
	"Application\", \"in_reply_to\": \"<CAF=x1@mail.example.com>\"}"

START_TEST(license_created_action_required)
{
	struct rendered	 m;
	struct token	 t;
	char		 v[512], where[160], *b;
	int		 day = date_from_ymd(2026, 1, 15);

	render_ok("license_created", FLAGGED, 42, "filer@example.com",
	    "alt@example.com", &m);
	subject_is(&m, "Action required: Aluminum import license "
	    "7M3K9QX2P issued");
	ck_assert(hdr(&m, "From", v, sizeof(v)));
	ck_assert_str_eq(v, "AIM Licensing <noreply@aim.test>");
	ck_assert(hdr(&m, "Cc", v, sizeof(v)));
	ck_assert_str_eq(v, "alt@example.com");
	ck_assert_int_eq(m.nrcpt, 2);
	ck_assert_str_eq(m.rcpt[1], "alt@example.com");
	b = body(&m);
	ck_assert(contains(b, "Hello Pat Tester,"));
	ck_assert(contains(b, "  License number:  7M3K9QX2P\n"));
	ck_assert(contains(b, "  Importer:        Harbor Metals LLC\n"));
	ck_assert(contains(b, "  Status:          Action Required\n"));
	ck_assert(contains(b, "  Valid through:   2026-03-31\n"));
	ck_assert(contains(b, "ACTION REQUIRED"));
	snprintf(where, sizeof(where), "  - Product line 1, %s: The unit "
	    "value, $0.05 per kg, is far outside the usual range.\n",
	    lfields[LF_CUSTOMS_VALUE_USD].label);
	ck_assert_msg(contains(b, where), "%s", b);
	snprintf(where, sizeof(where), "  - %s: Few licenses", 
	    hfields[HF_COUNTRY_OF_ORIGIN].label);
	ck_assert(contains(b, where));
	ck_assert(contains(b, "CONFIRM as the first line"));
	ck_assert(contains(b, "corrected license form"));
	ck_assert(contains(b, "https://aim.example"));
	/* Standalone section lines leave no blank line. */
	ck_assert(contains(b, "  License number:  7M3K9QX2P\n  Importer:"));
	ck_assert(!contains(b, "\n\n\n"));
	free(b);
	/* The token: this license, purpose A, for the primary only. */
	ck_assert_int_eq(reply_token(&m, "aluminum.license+",
	    "filer@example.com", day, &t), TOKEN_OK);
	ck_assert_int_eq(t.kind, TOKEN_LICENSE);
	ck_assert_int_eq(t.purpose, TOKEN_ACTION);
	ck_assert_int_eq(t.id, 42);
	ck_assert_int_eq(t.expires, day + RENDER_ACTION_DAYS);
	ck_assert_int_eq(reply_token(&m, "aluminum.license+",
	    "FILER@example.com", day + RENDER_ACTION_DAYS, &t), TOKEN_OK);
	ck_assert_int_eq(reply_token(&m, "aluminum.license+",
	    "filer@example.com", day + RENDER_ACTION_DAYS + 1, &t),
	    TOKEN_EXPIRED);
	ck_assert_int_eq(reply_token(&m, "aluminum.license+",
	    "someone@example.com", day, &t), TOKEN_FORGED);
	rendered_free(&m);
}
END_TEST

START_TEST(license_created_issued)
{
	struct rendered	 m;
	char		 v[512];

	render_ok("license_created", ISSUED, 42, "filer@example.com", NULL,
	    &m);
	subject_is(&m, "Aluminum import license 7M3K9QX2P issued");
	ck_assert(!hdr(&m, "Reply-To", v, sizeof(v)));
	ck_assert(!hdr(&m, "Cc", v, sizeof(v)));
	ck_assert(!hdr(&m, "In-Reply-To", v, sizeof(v)));
	ck_assert_str_eq(m.reply_to, "");
	ck_assert_int_eq(m.nrcpt, 1);
	ck_assert(hdr(&m, "Content-Transfer-Encoding", v, sizeof(v)));
	ck_assert_str_eq(v, "7bit");
	body_has(&m, "  Status:          Issued\n", NULL);
	body_lacks(&m, "ACTION REQUIRED", "CONFIRM", NULL);
	rendered_free(&m);
	/* Foreign-trade-zone licenses never expire; steel's own words. */
	render_ok("license_created", "{\"license_number\": \"7M3K9QX2P\", "
	    "\"status\": \"issued\", \"valid_from\": \"2026-01-15\", "
	    "\"valid_through\": \"\", \"flags\": [], \"product\": \"steel\"}",
	    42, "filer@example.com", "", &m);
	subject_is(&m, "Steel import license 7M3K9QX2P issued");
	body_has(&m, "  Valid through:   does not expire\n",
	    "Your steel import license has been issued.", NULL);
	rendered_free(&m);
}
END_TEST

START_TEST(license_changes)
{
	struct rendered	 m;
	struct token	 t;
	char		 v[512];

	render_ok("license_corrected", ISSUED, 42, "filer@example.com",
	    "alt@example.com", &m);
	subject_is(&m, "Aluminum import license 7M3K9QX2P corrected");
	ck_assert(!hdr(&m, "Reply-To", v, sizeof(v)));
	body_has(&m, "saved as a new version", NULL);
	rendered_free(&m);

	render_ok("license_corrected", FLAGGED, 42, "filer@example.com",
	    NULL, &m);
	subject_is(&m, "Action required: Aluminum import license "
	    "7M3K9QX2P corrected");
	ck_assert_int_eq(reply_token(&m, "aluminum.license+",
	    "filer@example.com", date_from_ymd(2026, 1, 15), &t), TOKEN_OK);
	ck_assert_int_eq(t.id, 42);
	rendered_free(&m);

	render_ok("license_canceled", "{\"license_number\": \"7M3K9QX2P\", "
	    "\"status\": \"canceled\", \"valid_from\": \"2026-01-15\", "
	    "\"valid_through\": \"2026-03-31\", \"flags\": [], "
	    "\"company_name\": \"Test Metals LLC\", \"contact_name\": \"Pat "
	    "Tester\", \"product\": \"aluminum\", \"importer_name\": "
	    "\"Harbor Metals LLC\"}", 42, "filer@example.com", NULL, &m);
	subject_is(&m, "Aluminum import license 7M3K9QX2P canceled");
	body_has(&m, "can never be used for an entry", "Duplicate", NULL);
	rendered_free(&m);

	render_ok("license_confirmed", ISSUED, 42, "filer@example.com", NULL,
	    &m);
	subject_is(&m, "Aluminum import license 7M3K9QX2P confirmed");
	body_has(&m, "without change", NULL);
	rendered_free(&m);
}
END_TEST

START_TEST(batch_and_account_mail)
{
	struct rendered	 m;
	char		 s[512], *b;

	render_ok("batch_created", "{\"count\": 12, \"action_required\": 2, "
	    "\"company_name\": \"Test Metals LLC\", \"contact_name\": \"Pat "
	    "Tester\"}", 0, "filer@example.com", "alt@example.com", &m);
	subject_is(&m, "12 import licenses filed from your upload");
	body_has(&m, "12 import licenses were filed",
	    "not listed in this email", "ACTION REQUIRED: 2 of these licenses",
	    NULL);
	rendered_free(&m);
	render_ok("batch_created", "{\"count\": 3, \"action_required\": 0, "
	    "\"company_name\": \"\", \"contact_name\": \"Pat Tester\"}", 0,
	    "filer@example.com", NULL, &m);
	body_lacks(&m, "ACTION REQUIRED", NULL);
	rendered_free(&m);

	render_ok("verify_email", "{\"code\": \"482913\", \"contact_name\": "
	    "\"Pat Tester\", \"company_name\": \"Test Metals LLC\", "
	    "\"valid_minutes\": 30}", 0, "filer@example.com", NULL, &m);
	subject(&m, s, sizeof(s));
	ck_assert(!contains(s, "482913"));
	b = body(&m);
	ck_assert(contains(b, "    482913\n"));
	ck_assert(contains(b, "good for\n30 minutes") ||
	    contains(b, "good for 30 minutes"));
	free(b);
	rendered_free(&m);

	render_ok("reset_password", "{\"code\": \"007311\", \"contact_name\": "
	    "\"Pat Tester\", \"company_name\": \"Test Metals LLC\", "
	    "\"valid_minutes\": 30}", 0, "filer@example.com", NULL, &m);
	body_has(&m, "    007311\n", "your password stays", NULL);
	rendered_free(&m);

	render_ok("password_changed", "{\"contact_name\": \"Pat Tester\", "
	    "\"company_name\": \"Test Metals LLC\"}", 0, "filer@example.com",
	    "alt@example.com", &m);
	body_has(&m, "for\nTest Metals LLC was just changed",
	    "Forgot password", NULL);
	rendered_free(&m);
}
END_TEST

START_TEST(submission_acknowledged)
{
	struct rendered	 m;
	struct token	 t;
	char		 v[512];
	int		 day = date_from_ymd(2026, 1, 15);

	render_ok("submission_received", ACK_ERRORS, 0,
	    "broker@example.com", NULL, &m);
	subject_is(&m, "Emailed license application received, "
	    "reference EF-2026-000123");
	/* The steel mailbox sends it and takes the reply. */
	ck_assert(hdr(&m, "From", v, sizeof(v)));
	ck_assert_str_eq(v, "AIM Licensing <steel.license@aim.test>");
	ck_assert(hdr(&m, "In-Reply-To", v, sizeof(v)));
	ck_assert_str_eq(v, "<CAF=x1@mail.example.com>");
	ck_assert(hdr(&m, "References", v, sizeof(v)));
	ck_assert_str_eq(v, "<CAF=x1@mail.example.com>");
	ck_assert_int_eq(reply_token(&m, "steel.license+",
	    "broker@example.com", day, &t), TOKEN_OK);
	ck_assert_int_eq(t.kind, TOKEN_QUEUE);
	ck_assert_int_eq(t.purpose, TOKEN_SUBMISSION);
	ck_assert_int_eq(t.id, 123);
	ck_assert_int_eq(t.expires, day + RENDER_SUBMISSION_DAYS);
	body_has(&m, "  Reference: EF-2026-000123\n", "NOT a license number",
	    "  Importer:                Harbor Steel LLC\n",
	    "  Product lines:           2\n",
	    "  Total customs value:     US$ 61125.75\n",
	    "  - Product line 2, HTS code: 7601103000 is "
	    "not a covered steel HTS code.\n",
	    "  - Country of exportation: Write the full "
	    "country name, not MX.\n",
	    "reply to this email and attach the corrected", NULL);
	body_lacks(&m, "We found no errors", NULL);
	rendered_free(&m);

	/* A correction with no errors; no form read at all. */
	render_ok("submission_received", "{\"update\": true, \"valid\": true, "
	    "\"summary\": {\"importer_name\": \"A\", \"lines\": 1, "
	    "\"total_customs_value_usd\": null}, \"errors\": [], \"notice\": "
	    "\"Not a license.\", \"reference\": \"EF-2026-000124\", "
	    "\"item_id\": 124, \"product\": null, \"subject\": null, "
	    "\"in_reply_to\": null}", 0, "broker@example.com", NULL, &m);
	subject_is(&m, "Corrected form received, reference "
	    "EF-2026-000124");
	ck_assert(!hdr(&m, "In-Reply-To", v, sizeof(v)));
	ck_assert(hdr(&m, "From", v, sizeof(v)));
	ck_assert_str_eq(v, "AIM Licensing <aluminum.license@aim.test>");
	body_has(&m, "We found no errors", NULL);
	body_lacks(&m, "Total customs value", NULL);
	ck_assert_int_eq(reply_token(&m, "aluminum.license+",
	    "broker@example.com", day, &t), TOKEN_OK);
	ck_assert_int_eq(t.id, 124);
	rendered_free(&m);

	render_ok("submission_received", "{\"update\": false, \"valid\": "
	    "false, \"summary\": null, \"errors\": [{\"field\": \"\", "
	    "\"message\": \"The PDF is damaged: it cannot be opened.\", "
	    "\"where\": \"The form\"}], \"notice\": \"Not a license.\", "
	    "\"reference\": \"EF-2026-000125\", \"item_id\": 125, "
	    "\"product\": \"aluminum\"}", 0, "broker@example.com", NULL, &m);
	body_has(&m, "could not read a license form",
	    "  - The form: The PDF is damaged", NULL);
	rendered_free(&m);
}
END_TEST

START_TEST(submission_decided)
{
	struct rendered	 m;
	char		 v[512];

	render_ok("submission_approved", "{\"license_number\": \"7M3K9QX2P\", "
	    "\"status\": \"issued\", \"valid_from\": \"2026-01-15\", "
	    "\"valid_through\": \"2026-03-31\", \"reference\": "
	    "\"EF-2026-000123\", \"item_id\": 123, \"product\": \"aluminum\", "
	    "\"subject\": \"Aluminum License Application\", \"in_reply_to\": "
	    "\"<a1@example.com>\"}", 42, "broker@example.com", NULL, &m);
	subject_is(&m, "License 7M3K9QX2P issued for your emailed "
	    "application EF-2026-000123");
	ck_assert(!hdr(&m, "Reply-To", v, sizeof(v)));
	ck_assert(hdr(&m, "In-Reply-To", v, sizeof(v)));
	body_has(&m, "  License number:  7M3K9QX2P\n",
	    "not the reference EF-2026-000123", NULL);
	rendered_free(&m);

	render_ok("submission_rejected", "{\"reason\": \"The importer is not "
	    "known to us.\\nPlease register first.\", \"notice\": \"This "
	    "reference is NOT a license number.\", \"reference\": "
	    "\"EF-2026-000123\", \"item_id\": 123, \"product\": \"steel\"}",
	    0, "broker@example.com", NULL, &m);
	subject_is(&m, "Emailed license application EF-2026-000123 not "
	    "accepted");
	body_has(&m, "The importer is not known to us.\nPlease "
	    "register first.", "steel.license@aim.test", NULL);
	rendered_free(&m);
}
END_TEST

START_TEST(replies_answered)
{
	struct rendered	 m;
	struct token	 t;
	char		 s[512], v[512], *b;

	render_ok("reply_confirmed", "{\"license_number\": \"7M3K9QX2P\", "
	    "\"status\": \"issued\", \"valid_through\": \"2026-03-31\", "
	    "\"product\": \"aluminum\", \"contact_name\": \"Pat Tester\", "
	    "\"in_reply_to\": \"<r1@example.com>\", \"references\": "
	    "\"<0123456789abcdef01234567.license_created@aim.test>\"}", 42,
	    "filer@example.com", NULL, &m);
	subject_is(&m, "Aluminum import license 7M3K9QX2P confirmed");
	ck_assert(hdr(&m, "References", v, sizeof(v)));
	ck_assert_str_eq(v, "<0123456789abcdef01234567.license_created@"
	    "aim.test> <r1@example.com>");
	ck_assert(!hdr(&m, "Reply-To", v, sizeof(v)));
	body_has(&m, "Hello Pat Tester,", "reply CONFIRM", NULL);
	rendered_free(&m);

	render_ok("reply_corrected", FLAGGED, 42, "filer@example.com", NULL,
	    &m);
	subject(&m, s, sizeof(s));
	ck_assert(contains(s, "Action required: "));
	b = body(&m);
	ck_assert_msg(contains(b, "saved it as\na new version of"), "%s", b);
	ck_assert(contains(b, "still has something that looks unusual"));
	free(b);
	ck_assert_int_eq(reply_token(&m, "aluminum.license+",
	    "filer@example.com", date_from_ymd(2026, 1, 15), &t), TOKEN_OK);
	ck_assert_int_eq(t.purpose, TOKEN_ACTION);
	rendered_free(&m);
	/* As mail/intake.c writes it: the version, no flags left. */
	render_ok("reply_corrected", "{\"license_number\": \"7M3K9QX2P\", "
	    "\"status\": \"issued\", \"version\": 3, \"valid_from\": "
	    "\"2026-01-15\", \"valid_through\": \"2026-03-31\", \"flags\": "
	    "[], \"subject\": \"Re: Action required\", \"in_reply_to\": "
	    "\"<r3@example.com>\", \"product\": \"aluminum\"}", 42,
	    "filer@example.com", NULL, &m);
	ck_assert(!hdr(&m, "Reply-To", v, sizeof(v)));
	body_has(&m, "saved it as\nversion 3 of aluminum import "
	    "license 7M3K9QX2P.", NULL);
	body_lacks(&m, "ACTION REQUIRED", NULL);
	rendered_free(&m);

	/* As mail/intake.c writes them. */
	render_ok("reply_refused", "{\"reason\": \"This reply did not come "
	    "from the primary or alternate email of the account that holds "
	    "license 7M3K9QX2P, so it changed nothing.\", \"code\": "
	    "\"wrong_sender\", \"staff\": true, \"license_number\": "
	    "\"7M3K9QX2P\", \"errors\": [], \"subject\": \"Re: Action "
	    "required\", \"in_reply_to\": \"<r2@example.com>\", "
	    "\"product\": \"aluminum\"}", 42, "other@example.com", NULL, &m);
	subject_is(&m, "Your reply about license 7M3K9QX2P was not "
	    "applied");
	body_has(&m, "not come from the primary or alternate", NULL);
	body_lacks(&m, "errors on the form", NULL);
	rendered_free(&m);
	render_ok("reply_refused", "{\"reason\": \"The corrected form has "
	    "errors, so license 7M3K9QX2P was not changed.\", \"code\": "
	    "\"invalid_form\", \"staff\": false, \"license_number\": "
	    "\"7M3K9QX2P\", \"errors\": [{\"field\": "
	    "\"lines[1].volume_kg\", \"message\": \"Give the weight in "
	    "kilograms.\"}], \"product\": \"steel\"}", 42,
	    "filer@example.com", NULL, &m);
	body_has(&m, "The errors on the form you sent:\n\n"
	    "  - Product line 1, Quantity (kg): Give the weight in "
	    "kilograms.\n", NULL);
	ck_assert(hdr(&m, "From", v, sizeof(v)));
	ck_assert_str_eq(v, "AIM Licensing <steel.license@aim.test>");
	rendered_free(&m);
	render_ok("reply_refused", "{\"reason\": \"The reply token has "
	    "expired.\"}", 0, "other@example.com", NULL, &m);
	subject_is(&m, "Your reply was not applied");
	rendered_free(&m);
}
END_TEST

/* Every template with no parameters at all: empty, never an error. */
START_TEST(every_template_without_params)
{
	struct rendered	 m;
	size_t		 i;

	for (i = 0; render_templates[i] != NULL; i++) {
		render_ok(render_templates[i], "{}", 0, "filer@example.com",
		    NULL, &m);
		ck_assert_str_ne(m.subject, "");
		rendered_free(&m);
	}
	ck_assert_int_eq(i, 16);
}
END_TEST

START_TEST(subject_encoding)
{
	struct buf	 b;
	char		 out[1024];
	const char	*p;
	size_t		 col;
	static const char *const texts[] = {
		"Résumé: licence n° 7M3K9QX2P — ünïcödé ✓ 日本語のテキスト "
		    "がとても長い件名になりますように",
		"A long ASCII subject that goes on and on well past the "
		    "seventy-eight characters of a header line",
		"Looks =?like?= an encoded word",
		"é",
	};
	size_t		 i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		buf_init(&b, 4096);
		buf_puts(&b, "Subject: ");
		ck_assert_int_eq(render_subject(&b, texts[i]), 0);
		buf_puts(&b, "\r\n");
		/* Lines of at most 76 with encoded words, 78 without. */
		for (col = 0, p = b.p; *p != '\0'; p++) {
			if (*p == '\r' || *p == '\n')
				col = 0;
			else
				ck_assert_int_le(++col, i == 1 ? 78 : 76);
			ck_assert((unsigned char)*p < 0x80);
		}
		/* Unfold, decode: the text again. */
		{
			char	 unf[1024];
			size_t	 k = 0;

			for (p = b.p + 9; *p != '\0'; p++) {
				if (p[0] == '\r' && p[1] == '\n') {
					p++;
					continue;
				}
				unf[k++] = *p;
			}
			unf[k] = '\0';
			decode_words(unf, out, sizeof(out));
		}
		ck_assert_str_eq(out, texts[i]);
		ck_assert_int_eq(strstr(b.p, "=?UTF-8?B?") != NULL, i != 1);
		buf_free(&b);
	}
}
END_TEST

START_TEST(injection_and_utf8)
{
	struct rendered	 m;
	char		 v[512];
	const char	*p;

	/* A line break in a value stays out of the headers. */
	render_ok("submission_received", "{\"reference\": \"EF-1\\r\\nBcc: "
	    "victim@example.com\", \"item_id\": 9, \"notice\": \"n\", "
	    "\"valid\": true}", 0, "broker@example.com", NULL, &m);
	subject_is(&m, "Emailed license application received, "
	    "reference EF-1 Bcc: victim@example.com");
	ck_assert(!hdr(&m, "Bcc", v, sizeof(v)));
	p = strstr(m.msg.p, "\r\nBcc");
	ck_assert(p == NULL || p > strstr(m.msg.p, "\r\n\r\n"));
	ck_assert_int_eq(m.nrcpt, 1);
	rendered_free(&m);

	/* Names in UTF-8: quoted-printable, lines of at most 76. */
	render_ok("password_changed", "{\"contact_name\": \"José Müller-"
	    "Łukasiewicz\", \"company_name\": \"Société Générale d'Aluminium "
	    "et de Métallurgie de Précision à Responsabilité Limitée "
	    "Internationale\"}", 0, "jose@example.com", NULL, &m);
	ck_assert(hdr(&m, "Content-Transfer-Encoding", v, sizeof(v)));
	ck_assert_str_eq(v, "quoted-printable");
	for (p = strstr(m.msg.p, "\r\n\r\n") + 4; *p != '\0'; ) {
		const char *e = strstr(p, "\r\n");

		ck_assert_ptr_nonnull(e);
		ck_assert_int_le(e - p, 76);
		ck_assert(e == p || (e[-1] != ' ' && e[-1] != '\t'));
		p = e + 2;
	}
	body_has(&m, "Hello José Müller-Łukasiewicz,",
	    "Société Générale d'Aluminium et de Métallurgie "
	    "de Précision", NULL);
	rendered_free(&m);
}
END_TEST

START_TEST(from_name_and_errors)
{
	struct render_conf	 rc;
	struct render		*r;
	struct outbox_row	 row;
	struct rendered		 m;
	char			 err[512], v[512], dec[512];
	enum render_err		 e;

	/* A display name with specials is quoted; one in UTF-8 encoded. */
	conf(&rc, TEMPLATES, 0);
	rc.from_name = "AIM \"Licensing\", U.S.";
	ck_assert_ptr_nonnull(r = render_new(&rc, err, sizeof(err)));
	row_init(&row, "password_changed", "{}", 0, "a@example.com", NULL);
	ck_assert_int_eq(render_row(r, &row, &m), RENDER_OK);
	ck_assert(hdr(&m, "From", v, sizeof(v)));
	ck_assert_str_eq(v, "\"AIM \\\"Licensing\\\", U.S.\" "
	    "<noreply@aim.test>");
	rendered_free(&m);
	/* A token is needed but there is no key: tried again later. */
	outbox_row_clear(&row);
	row_init(&row, "license_created", FLAGGED, 42, "a@example.com",
	    NULL);
	ck_assert_int_eq(e = render_row(r, &row, &m), RENDER_TOKEN);
	ck_assert(!render_err_permanent(e));
	rendered_free(&m);
	render_free(r);
	outbox_row_clear(&row);

	rc.from_name = "Bureau des Licences d'Importation — Aluminium";
	rc.key = key;
	rc.keylen = sizeof(key);
	ck_assert_ptr_nonnull(r = render_new(&rc, err, sizeof(err)));
	row_init(&row, "password_changed", "{}", 0, "a@example.com", NULL);
	ck_assert_int_eq(render_row(r, &row, &m), RENDER_OK);
	ck_assert(hdr(&m, "From", v, sizeof(v)));
	decode_words(v, dec, sizeof(dec));
	ck_assert_str_eq(dec, "Bureau des Licences d'Importation — "
	    "Aluminium <noreply@aim.test>");
	rendered_free(&m);
	outbox_row_clear(&row);

	/* Damaged rows fail for good; an unknown template is retried. */
	row_init(&row, "password_changed", "[1, 2]", 0, "a@example.com",
	    NULL);
	ck_assert_int_eq(e = render_row(r, &row, &m), RENDER_PARAMS);
	ck_assert(render_err_permanent(e));
	rendered_free(&m);
	outbox_row_clear(&row);
	row_init(&row, "password_changed", "{", 0, "a@example.com", NULL);
	ck_assert_int_eq(render_row(r, &row, &m), RENDER_PARAMS);
	rendered_free(&m);
	outbox_row_clear(&row);
	row_init(&row, "no_such_template", "{}", 0, "a@example.com", NULL);
	ck_assert_int_eq(e = render_row(r, &row, &m), RENDER_TEMPLATE);
	ck_assert(!render_err_permanent(e));
	rendered_free(&m);
	outbox_row_clear(&row);
	row_init(&row, "password_changed", "{}", 0, "a@example.com", NULL);
	snprintf(row.message_id, sizeof(row.message_id), "<no at sign>");
	ck_assert_int_eq(render_row(r, &row, &m), RENDER_PARAMS);
	rendered_free(&m);
	outbox_row_clear(&row);

	/* Addresses. */
	row_init(&row, "password_changed", "{}", 0, "a b@example.com", NULL);
	ck_assert_int_eq(e = render_row(r, &row, &m), RENDER_ADDRESS);
	ck_assert(render_err_permanent(e));
	rendered_free(&m);
	outbox_row_clear(&row);
	row_init(&row, "password_changed", "{}", 0, "a@example.com",
	    "x@example.com>\r\nBcc: y@example.com");
	ck_assert_int_eq(render_row(r, &row, &m), RENDER_ADDRESS);
	rendered_free(&m);
	outbox_row_clear(&row);
	/* The alternate equal to the primary: once. */
	row_init(&row, "password_changed", "{}", 0, "a@example.com",
	    "A@Example.com, b@example.com");
	ck_assert_int_eq(render_row(r, &row, &m), RENDER_OK);
	ck_assert_int_eq(m.nrcpt, 2);
	ck_assert_str_eq(m.rcpt[1], "b@example.com");
	ck_assert(hdr(&m, "Cc", v, sizeof(v)));
	ck_assert_str_eq(v, "b@example.com");
	rendered_free(&m);
	outbox_row_clear(&row);
	/* A broken In-Reply-To is left out, never passed on. */
	row_init(&row, "password_changed", "{\"in_reply_to\": \"<a b@c>\"}",
	    0, "a@example.com", NULL);
	ck_assert_int_eq(render_row(r, &row, &m), RENDER_OK);
	ck_assert(!hdr(&m, "In-Reply-To", v, sizeof(v)));
	ck_assert(!hdr(&m, "References", v, sizeof(v)));
	rendered_free(&m);
	outbox_row_clear(&row);
	render_free(r);

	ck_assert(render_address_ok("a@b.c"));
	ck_assert(render_address_ok("aluminum.license+abc@aim.test"));
	ck_assert(!render_address_ok("a@"));
	ck_assert(!render_address_ok("@b.c"));
	ck_assert(!render_address_ok("a@b@c"));
	ck_assert(!render_address_ok("ab.c"));
	ck_assert(!render_address_ok("a<b@c.d"));
	ck_assert(!render_address_ok("jos\xc3\xa9@b.c"));
	ck_assert(!render_address_ok(""));
}
END_TEST

/* ---------------------------------------------------------------- */
/* The template language and its files                               */
/* ---------------------------------------------------------------- */

static char	 tdir[64];

static void
setup_tdir(void)
{
	char	 cmd[256];

	snprintf(tdir, sizeof(tdir), "/tmp/aim-tmpl-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tdir));
	snprintf(cmd, sizeof(cmd), "cp %s/*.txt %s/", TEMPLATES, tdir);
	ck_assert_int_eq(system(cmd), 0);
}

static void
teardown_tdir(void)
{
	char	 cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tdir);
	ck_assert_int_eq(system(cmd), 0);
}

static void
put(const char *name, const char *text)
{
	char	 path[128];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s.txt", tdir, name);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
}

/* The body of verify_email rendered from params. */
static char *
verify_body(struct render *r, const char *params)
{
	struct outbox_row	 row;
	struct rendered		 m;
	char			*b;

	row_init(&row, "verify_email", params, 0, "a@example.com", NULL);
	ck_assert_int_eq(render_row(r, &row, &m), RENDER_OK);
	b = strdup(strstr(m.msg.p, "\r\n\r\n") + 4);
	rendered_free(&m);
	outbox_row_clear(&row);
	return b;
}

START_TEST(template_language)
{
	struct render_conf	 rc;
	struct render		*r;
	char			 err[512], *b;

	put("verify_email", "Subject: Code {{code}}\r\n\r\n"
	    "A {{code}} {{missing}}|\r\n"
	    "  {{#list}}  \r\n"
	    "- {{.}} of {{code}}\r\n"
	    "{{/list}}\r\n"
	    "{{! a comment line }}\r\n"
	    "{{^list}}\r\n"
	    "no list\r\n"
	    "{{/list}}\r\n"
	    "{{#o}}{{a.b}}/{{o.a.b}}/{{n}}/{{t}}/{{f}}{{/o}}\r\n"
	    "{{#zero}}zero{{/zero}}{{#empty}}empty{{/empty}}"
	    "{{^nul}}nul{{/nul}}{{#rows}}[{{k}}{{code}}]{{/rows}}\r\n"
	    "end");
	conf(&rc, tdir, 1);
	r = render_new(&rc, err, sizeof(err));
	ck_assert_msg(r != NULL, "%s", err);
	b = verify_body(r, "{\"code\": \"C\", \"list\": [\"x\", \"y\"], "
	    "\"o\": {\"a\": {\"b\": 5}, \"n\": 1.5, \"t\": true, \"f\": "
	    "false}, \"zero\": 0, \"empty\": \"\", \"nul\": null, "
	    "\"rows\": [{\"k\": 1}, {\"k\": 2, \"code\": \"D\"}]}");
	ck_assert_str_eq(b, "A C |\r\n- x of C\r\n- y of C\r\n"
	    "5/5/1.5/yes/no\r\nnul[1C][2D]\r\nend\r\n");
	free(b);
	b = verify_body(r, "{\"list\": []}");
	ck_assert_str_eq(b, "A  |\r\nno list\r\n\r\nnul\r\nend\r\n");
	free(b);
	render_free(r);
}
END_TEST

START_TEST(template_errors)
{
	struct render_conf	 rc;
	struct render		*r;
	char			 err[512], *b;
	static const struct {
		const char	*text;
		const char	*err;
	} bad[] = {
		{ "Hello\n\nbody\n", "verify_email.txt:1: the first line" },
		{ "Subject: x\nbody\n", "verify_email.txt:2: a blank line" },
		{ "Subject: x\n\n{{#a}}\nx\n", "verify_email.txt:3: "
		  "\"{{#a}}\" is never closed" },
		{ "Subject: x\n\nok\n{{#a}}{{/b}}\n", "verify_email.txt:4: "
		  "\"{{/b}}\" closes {{#a}}" },
		{ "Subject: x\n\n{{/a}}\n", "closes no section" },
		{ "Subject: x {{code\n\n", "verify_email.txt:1: \"{{\" "
		  "without \"}}\"" },
		{ "Subject: x\n\n\n\n{{co de}}\n", "verify_email.txt:5: bad "
		  "placeholder \"{{co de}}\"" },
		{ "Subject: x\n\n{{a..b}}\n", "bad placeholder" },
		{ "Subject: x\n\n{{#.}}x{{/.}}\n", "bad placeholder" },
		{ "Subject: x\n\n{{#a}}{{#b}}{{#c}}{{#d}}{{#e}}{{#f}}{{#g}}"
		  "{{#h}}{{#i}}{{/i}}{{/h}}{{/g}}{{/f}}{{/e}}{{/d}}{{/c}}"
		  "{{/b}}{{/a}}\n", "nested deeper than 8" },
		{ "Subject: x\n\nbad \xc3\x28 utf-8\n", "not UTF-8" },
	};
	size_t			 i;

	conf(&rc, tdir, 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put("verify_email", bad[i].text);
		r = render_new(&rc, err, sizeof(err));
		ck_assert_msg(r == NULL, "%zu loaded", i);
		ck_assert_msg(strstr(err, bad[i].err) != NULL, "%zu: %s", i,
		    err);
	}
	/* Reloading a broken set keeps the good one. */
	put("verify_email", "Subject: one\n\nfirst {{code}}\n");
	ck_assert_ptr_nonnull(r = render_new(&rc, err, sizeof(err)));
	b = verify_body(r, "{\"code\": \"1\"}");
	ck_assert_str_eq(b, "first 1\r\n");
	free(b);
	put("verify_email", "Subject: two\n\n{{#broken}}\n");
	ck_assert_int_eq(render_reload(r, err, sizeof(err)), -1);
	ck_assert(strstr(err, "never closed") != NULL);
	b = verify_body(r, "{\"code\": \"1\"}");
	ck_assert_str_eq(b, "first 1\r\n");
	free(b);
	put("verify_email", "Subject: two\n\nsecond {{code}}\n");
	ck_assert_int_eq(render_reload(r, err, sizeof(err)), 0);
	b = verify_body(r, "{\"code\": \"2\"}");
	ck_assert_str_eq(b, "second 2\r\n");
	free(b);
	/* A template file gone: refused, named. */
	{
		char	 path[128];

		snprintf(path, sizeof(path), "%s/reply_refused.txt", tdir);
		ck_assert_int_eq(unlink(path), 0);
	}
	ck_assert_int_eq(render_reload(r, err, sizeof(err)), -1);
	ck_assert(strstr(err, "reply_refused.txt") != NULL);
	render_free(r);
	ck_assert_ptr_null(render_new(&rc, err, sizeof(err)));
}
END_TEST

/* ---------------------------------------------------------------- */
/* Retries                                                           */
/* ---------------------------------------------------------------- */

START_TEST(backoff_schedule)
{
	static const long base[] = { 60, 60, 120, 240, 480, 960, 1920,
	    3600, 3600, 3600 };
	unsigned int	 rnd[] = { 0, 1, 7, 12, 13, 999, 123456, UINT_MAX };
	long		 d;
	int		 a;
	size_t		 i;

	/* attempts 0 is read as the first. */
	for (a = 0; a < 10; a++) {
		ck_assert_int_eq(sender_backoff(a, 0), base[a]);
		for (i = 0; i < sizeof(rnd) / sizeof(rnd[0]); i++) {
			d = sender_backoff(a, rnd[i]);
			ck_assert_int_le(d, base[a]);
			ck_assert_int_ge(d, base[a] - base[a] / 5);
		}
	}
	ck_assert_int_eq(sender_backoff(1, 5), 55);
	ck_assert_int_eq(sender_backoff(1, 12), 48);
	ck_assert_int_eq(sender_backoff(1, 13), 60);
	ck_assert_int_eq(sender_backoff(-3, 0), 60);
	ck_assert_int_eq(sender_backoff(1000, 0), SENDER_BACKOFF_MAX);
	ck_assert_int_eq(sender_backoff(INT_MAX, UINT_MAX),
	    SENDER_BACKOFF_MAX - (long)(UINT_MAX % 721));
}
END_TEST

/* ---------------------------------------------------------------- */
/* The outbox calls, on a real database                              */
/* ---------------------------------------------------------------- */

static void
setup_db(void)
{
	tests_init_tables();
	db = tests_db_open(dir, 0);
	snprintf(db->mail_domain, sizeof(db->mail_domain), "aim.test");
	setup_render();
}

static void
teardown_db(void)
{
	teardown_render();
	tests_db_close(db, dir);
}

static int64_t
add(const char *tpl, const char *to)
{
	ck_assert_int_eq(outbox_add(db, tpl, to, NULL, json_pack("{s:s}",
	    "code", "1"), 0, 0, NULL, 0), DB_OK);
	return sqlite3_last_insert_rowid(db->h);
}

static void
iso(long offset, char out[CLOCK_ISO_LEN + 1])
{
	clock_iso(time(NULL) + offset, out);
}

static size_t
due_count(const char *at, int retry, int64_t want)
{
	struct outbox_row	*rows;
	size_t			 n, i, found = 0;

	ck_assert_int_eq(outbox_due(db, at, retry, 50, &rows, &n), DB_OK);
	for (i = 0; i < n; i++)
		found += rows[i].id == want;
	outbox_rows_free(rows, n);
	return found;
}

static long
items(const char *kind)
{
	sqlite3_stmt	*st;
	long		 n;

	ck_assert_int_eq(sqlite3_prepare_v2(db->h, "SELECT count(*) FROM "
	    "queue_item WHERE kind = ?1", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

START_TEST(outbox_lifecycle)
{
	struct outbox_row	 r;
	struct queue_view	 v;
	char			 now[CLOCK_ISO_LEN + 1];
	char			 lease[CLOCK_ISO_LEN + 1];
	char			 soon[CLOCK_ISO_LEN + 1];
	char			 later[CLOCK_ISO_LEN + 1];
	char			 at[32];
	int64_t			 r1, r2, r3, item;
	int			 k;

	ck_assert_int_eq(outbox_next_due(db, at, sizeof(at)), DB_NOT_FOUND);
	iso(0, now);
	iso(600, lease);
	iso(60, soon);
	iso(61, later);
	r1 = add("verify_email", "a@example.com");
	r2 = add("verify_email", "b@example.com");
	ck_assert_int_eq(outbox_next_due(db, at, sizeof(at)), DB_OK);
	ck_assert_str_eq(at, "");
	ck_assert_int_eq(due_count(now, 0, r1), 1);
	ck_assert_int_eq(due_count(now, 0, r2), 1);

	/* A claim is a lease: no second sender, not even a flush. */
	ck_assert_int_eq(outbox_claim(db, r1, now, 0, lease), DB_OK);
	ck_assert_int_eq(outbox_claim(db, r1, now, 0, lease), DB_NOT_FOUND);
	ck_assert_int_eq(outbox_claim(db, r1, now, 1, lease), DB_NOT_FOUND);
	ck_assert_int_eq(due_count(now, 0, r1), 0);
	ck_assert_int_eq(due_count(now, 1, r1), 0);
	ck_assert_int_eq(outbox_get(db, r1, &r), DB_OK);
	ck_assert_int_eq(r.attempts, 1);
	ck_assert_str_eq(r.next_attempt_at, lease);
	ck_assert_ptr_null(r.last_error);
	outbox_row_clear(&r);
	/* The lease over, it is due again (its sender died). */
	ck_assert_int_eq(due_count(lease, 0, r1), 1);

	/* Deferred: due at its time, or at once for a flush. */
	ck_assert_int_eq(outbox_defer(db, r1, soon, "451 4.3.0 try later"),
	    DB_OK);
	ck_assert_int_eq(due_count(now, 0, r1), 0);
	ck_assert_int_eq(due_count(now, 1, r1), 1);
	ck_assert_int_eq(due_count(later, 0, r1), 1);
	ck_assert_int_eq(outbox_get(db, r1, &r), DB_OK);
	ck_assert_str_eq(r.state, "queued");
	ck_assert_str_eq(r.last_error, "451 4.3.0 try later");
	ck_assert_str_eq(r.next_attempt_at, soon);
	outbox_row_clear(&r);
	ck_assert_int_eq(outbox_claim(db, r1, now, 0, lease), DB_NOT_FOUND);
	ck_assert_int_eq(outbox_claim(db, r1, now, 1, lease), DB_OK);
	ck_assert_int_eq(outbox_sent(db, r1, now, NULL), DB_OK);
	ck_assert_int_eq(outbox_sent(db, r1, now, NULL), DB_NOT_FOUND);
	ck_assert_int_eq(outbox_claim(db, r1, later, 1, lease), DB_NOT_FOUND);
	ck_assert_int_eq(outbox_get(db, r1, &r), DB_OK);
	ck_assert_str_eq(r.state, "sent");
	ck_assert_str_eq(r.sent_at, now);
	ck_assert_int_eq(r.attempts, 2);
	ck_assert_ptr_null(r.last_error);
	outbox_row_clear(&r);
	ck_assert_int_eq(items("outbound_failure"), 0);

	/* A permanent failure: the row and a staff item, together. */
	ck_assert_int_eq(outbox_claim(db, r2, now, 0, lease), DB_OK);
	ck_assert_int_eq(outbox_fail(db, r2, "RCPT TO b@example.com: 550 "
	    "5.1.1 no such user", 1, &item), DB_OK);
	ck_assert_int_gt(item, 0);
	ck_assert_int_eq(outbox_fail(db, r2, "again", 1, NULL), DB_NOT_FOUND);
	ck_assert_int_eq(queue_show(db, item, &v), QUEUE_OK);
	ck_assert_int_eq(v.kind, QK_OUTBOUND_FAILURE);
	ck_assert_int_eq(v.outbox_id, r2);
	ck_assert_str_eq(v.note, "RCPT TO b@example.com: 550 5.1.1 no such "
	    "user");
	queue_view_free(&v);
	ck_assert_int_eq(outbox_get(db, r2, &r), DB_OK);
	ck_assert_str_eq(r.state, "failed");
	outbox_row_clear(&r);
	ck_assert_int_eq(items("outbound_failure"), 1);

	/* Sent to some, refused by others: sent, and staff told. */
	r3 = add("verify_email", "c@example.com");
	ck_assert_int_eq(outbox_sent(db, r3, now, "d@example.com refused: "
	    "550 5.1.1"), DB_OK);
	ck_assert_int_eq(items("outbound_failure"), 2);
	/* Rate limited: failed, no staff item. */
	r3 = add("submission_received", "c@example.com");
	ck_assert_int_eq(outbox_fail(db, r3, "rate limited", 0, &item),
	    DB_OK);
	ck_assert_int_eq(item, 0);
	ck_assert_int_eq(items("outbound_failure"), 2);
	ck_assert_int_eq(outbox_next_due(db, at, sizeof(at)), DB_NOT_FOUND);

	/* A fault anywhere, the staff item's too, rolls it all back. */
	r3 = add("verify_email", "e@example.com");
	for (k = 1; k <= 4; k++) {
		db->fault_countdown = k;
		ck_assert_int_ne(outbox_fail(db, r3, "550", 1, NULL), DB_OK);
		db->fault_countdown = 0;
		ck_assert_int_eq(outbox_get(db, r3, &r), DB_OK);
		ck_assert_str_eq(r.state, "queued");
		outbox_row_clear(&r);
		ck_assert_int_eq(items("outbound_failure"), 2);
	}
	ck_assert_int_eq(outbox_fail(db, r3, "550", 1, NULL), DB_OK);
	ck_assert_int_eq(items("outbound_failure"), 3);
}
END_TEST

/* The count through a memo, checked against a count from scratch. */
static int
memo_count(struct outbox_recent *m, const char *to, const char *since,
    int max)
{
	int	 n, fresh;

	ck_assert_int_eq(outbox_recent_auto_memo(db, m, to, since, max, &n),
	    DB_OK);
	ck_assert_int_eq(outbox_recent_auto(db, to, since, 0, max, &fresh),
	    DB_OK);
	ck_assert_int_eq(n, fresh);
	return n;
}

START_TEST(outbox_rate_memo)
{
	struct outbox_recent	 m;
	char			 past[CLOCK_ISO_LEN + 1];
	char			 future[CLOCK_ISO_LEN + 1];
	int			 k;

	memset(&m, 0, sizeof(m));
	iso(-3600, past);
	iso(60, future);
	ck_assert_int_eq(memo_count(&m, "filer@example.com", past, 10), 0);
	add("submission_received", "filer@example.com");
	add("license_created", "filer@example.com");
	ck_assert_int_eq(memo_count(&m, "filer@example.com", past, 10), 1);
	for (k = 0; k < 5; k++) {
		add("reply_refused", "Filer@Example.com");
		ck_assert_int_eq(memo_count(&m, "FILER@example.com", past,
		    10), 2 + k);
		ck_assert_int_eq(m.newest, sqlite3_last_insert_rowid(db->h));
	}
	/* Another recipient, then back. */
	add("submission_received", "other@example.com");
	ck_assert_int_eq(memo_count(&m, "other@example.com", past, 10), 1);
	add("reply_confirmed", "filer@example.com");
	ck_assert_int_eq(memo_count(&m, "filer@example.com", past, 10), 7);
	/* At the limit it stays there; another limit counts again. */
	ck_assert_int_eq(memo_count(&m, "filer@example.com", past, 3), 3);
	add("reply_corrected", "filer@example.com");
	ck_assert_int_eq(memo_count(&m, "filer@example.com", past, 3), 3);
	ck_assert_int_eq(memo_count(&m, "filer@example.com", past, 100), 8);
	/* What was counted left the window: counted again. */
	ck_assert_int_eq(memo_count(&m, "filer@example.com", future, 100), 0);
	add("reply_refused", "filer@example.com");
	ck_assert_int_eq(memo_count(&m, "filer@example.com", future, 100), 0);
	ck_assert_int_eq(memo_count(&m, "", past, 100), 0);
}
END_TEST

START_TEST(outbox_rate_count)
{
	char		 past[CLOCK_ISO_LEN + 1], future[CLOCK_ISO_LEN + 1];
	int64_t		 a1, a2, a3;
	int		 n;

	iso(-3600, past);
	iso(60, future);
	ck_assert(outbox_is_auto_reply("submission_received"));
	ck_assert(outbox_is_auto_reply("reply_confirmed"));
	ck_assert(outbox_is_auto_reply("reply_corrected"));
	ck_assert(outbox_is_auto_reply("reply_refused"));
	ck_assert(!outbox_is_auto_reply("license_created"));
	ck_assert(!outbox_is_auto_reply("submission_approved"));
	a1 = add("submission_received", "Filer@Example.com");
	add("license_created", "filer@example.com");
	a2 = add("reply_refused", "filer@example.com");
	add("submission_received", "other@example.com");
	a3 = add("reply_confirmed", "filer@EXAMPLE.com");
	ck_assert_int_eq(outbox_recent_auto(db, "filer@example.com", past, 0,
	    100, &n), DB_OK);
	ck_assert_int_eq(n, 3);
	/* Counting stops at the limit asked about. */
	ck_assert_int_eq(outbox_recent_auto(db, "filer@example.com", past, 0,
	    2, &n), DB_OK);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(outbox_recent_auto(db, "filer@example.com", past, 0,
	    0, &n), DB_OK);
	ck_assert_int_eq(n, 0);
	/* Before a row: only those written before it. */
	ck_assert_int_eq(outbox_recent_auto(db, "filer@example.com", past,
	    a2, 100, &n), DB_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(outbox_recent_auto(db, "filer@example.com", past,
	    a1, 100, &n), DB_OK);
	ck_assert_int_eq(n, 0);
	/* A failed (rate limited) reply does not count. */
	ck_assert_int_eq(outbox_fail(db, a2, "rate limited", 0, NULL), DB_OK);
	ck_assert_int_eq(outbox_recent_auto(db, "FILER@example.com", past,
	    0, 100, &n), DB_OK);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(outbox_recent_auto(db, "filer@example.com", past,
	    a3, 100, &n), DB_OK);
	ck_assert_int_eq(n, 1);
	/* Outside the hour: none. */
	ck_assert_int_eq(outbox_recent_auto(db, "filer@example.com", future,
	    0, 100, &n), DB_OK);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(outbox_recent_auto(db, "nobody@example.com", past,
	    0, 100, &n), DB_OK);
	ck_assert_int_eq(n, 0);
}
END_TEST

/* ---------------------------------------------------------------- */
/* Rows the core wrote                                               */
/* ---------------------------------------------------------------- */

/* The test application exported from exportation, of value dollars
 * for kg. */
static struct form *
aluminum(const char *exportation, const char *value, const char *kg)
{
	struct form	*f = tests_aluminum();

	tests_hset(f, HF_COUNTRY_OF_EXPORTATION, exportation);
	tests_lset(&f->lines[0], LF_CUSTOMS_VALUE_USD, value);
	tests_lset(&f->lines[0], LF_VOLUME_KG, kg);
	return f;
}

/* The newest row of a template (caller clears it). */
static void
newest(const char *tpl, struct outbox_row *out)
{
	struct outbox_row	*rows;
	size_t			 n, i;

	ck_assert_int_eq(outbox_list(db, NULL, &rows, &n), DB_OK);
	for (i = n; i-- > 0; )
		if (strcmp(rows[i].template, tpl) == 0)
			break;
	ck_assert_msg(i < n, "no %s row", tpl);
	ck_assert_int_eq(outbox_get(db, rows[i].id, out), DB_OK);
	outbox_rows_free(rows, n);
}

START_TEST(rows_the_core_wrote)
{
	struct reg_result		 res;
	struct actor			 a;
	struct queue_submission		 sub;
	struct outbox_row		 row;
	struct rendered			 m;
	struct token			 t;
	struct form			*f;
	char				 v[512], *b;
	int64_t				 acct, item, oid;
	int				 today, day;

	today = date_from_ymd(2026, 1, 15);
	ck_assert_int_eq(tables_load_hts(db), DB_OK);
	acct = tests_add_filer(db, "filer@example.com", 1);

	/* $0.001 a kg: flagged, Action Required. */
	memset(&a, 0, sizeof(a));
	a.account_id = acct;
	a.who = "filer@example.com";
	a.channel = "web";
	reg_result_init(&res);
	f = aluminum("Germany", "10", "10000");
	ck_assert_int_eq(reg_submit(db, &a, f, today, &res), REG_OK);
	ck_assert_int_eq(res.status, STATUS_ACTION_REQUIRED);
	form_free(f);
	newest("license_created", &row);
	ck_assert_int_gt(row.license_id, 0);
	ck_assert_int_eq(render_row(R, &row, &m), RENDER_OK);
	ck_assert(contains(m.subject, "Action required"));
	ck_assert(contains(m.subject, res.number));
	ck_assert(hdr(&m, "Message-ID", v, sizeof(v)));
	ck_assert_str_eq(v, row.message_id);
	ck_assert_int_eq(m.nrcpt, 2);
	ck_assert_str_eq(m.rcpt[1], "alt@example.com");
	day = (int)(time(NULL) / 86400);
	ck_assert_int_eq(reply_token(&m, "aluminum.license+",
	    "filer@example.com", day, &t), TOKEN_OK);
	ck_assert_int_eq(t.id, row.license_id);
	ck_assert_int_eq(t.purpose, TOKEN_ACTION);
	b = body(&m);
	ck_assert_msg(contains(b, "  - Product line 1, "), "%s", b);
	ck_assert(contains(b, "Test Metals LLC"));
	free(b);
	rendered_free(&m);
	outbox_row_clear(&row);
	reg_result_free(&res);

	/* An emailed form with an error, acknowledged. */
	memset(&sub, 0, sizeof(sub));
	f = aluminum("DE", "25000", "10000");
	sub.sender = "broker@example.com";
	sub.form = f;
	sub.product = "aluminum";
	sub.app_date = today;
	ck_assert_int_eq(queue_add_submission(db, &sub, &item), DB_OK);
	ck_assert_int_eq(queue_acknowledge(db, item, 0, &oid), DB_OK);
	form_free(f);
	ck_assert_int_eq(outbox_get(db, oid, &row), DB_OK);
	ck_assert_str_eq(row.template, "submission_received");
	ck_assert_int_eq(render_row(R, &row, &m), RENDER_OK);
	ck_assert(hdr(&m, "From", v, sizeof(v)));
	ck_assert_str_eq(v, "AIM Licensing <aluminum.license@aim.test>");
	ck_assert(hdr(&m, "Auto-Submitted", v, sizeof(v)));
	ck_assert_str_eq(v, "auto-replied");
	ck_assert_int_eq(reply_token(&m, "aluminum.license+",
	    "broker@example.com", day, &t), TOKEN_OK);
	ck_assert_int_eq(t.kind, TOKEN_QUEUE);
	ck_assert_int_eq(t.purpose, TOKEN_SUBMISSION);
	ck_assert_int_eq(t.id, item);
	ck_assert(contains(m.subject, "reference EF-"));
	b = body(&m);
	ck_assert_msg(contains(b, "  - Country of exportation: "), "%s", b);
	ck_assert(contains(b, "NOT a license number"));
	ck_assert(contains(b, "  Importer:                Test Metals LLC"));
	free(b);
	rendered_free(&m);
	outbox_row_clear(&row);
}
END_TEST

/* ---------------------------------------------------------------- */
/* The sender without a server: what it decides before and after     */
/* connecting                                                        */
/* ---------------------------------------------------------------- */

/* A loopback port nobody listens on (bound, then let go). */
static int
closed_port(void)
{
	struct sockaddr_in	 sin;
	socklen_t		 sl = sizeof(sin);
	int			 fd, port;

	ck_assert_int_ge(fd = socket(AF_INET, SOCK_STREAM, 0), 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

static void
sender_conf(struct config *cfg)
{
	char	 err[256];

	ck_assert_int_eq(config_load(NULL, cfg, err, sizeof(err)), 0);
	snprintf(cfg->smtp_host, sizeof(cfg->smtp_host), "127.0.0.1");
	cfg->smtp_port = closed_port();
	snprintf(cfg->smtp_tls, sizeof(cfg->smtp_tls), "none");
	cfg->replies_per_hour = 1;
}

START_TEST(sender_settings)
{
	struct config	 cfg;
	char		 err[256];

	sender_conf(&cfg);
	ck_assert_int_eq(sender_check(&cfg, err, sizeof(err)), 0);
	snprintf(cfg.smtp_tls, sizeof(cfg.smtp_tls), "tls");
	ck_assert_int_eq(sender_check(&cfg, err, sizeof(err)), -1);
	ck_assert(contains(err, "starttls or none"));
	snprintf(cfg.smtp_tls, sizeof(cfg.smtp_tls), "starttls");
	ck_assert_int_eq(sender_check(&cfg, err, sizeof(err)), 0);
	snprintf(cfg.smtp_pin, sizeof(cfg.smtp_pin), "12:34");
	ck_assert_int_eq(sender_check(&cfg, err, sizeof(err)), -1);
	ck_assert(contains(err, "smtp_pin"));
	/* Off loopback: TLS and a pin, or nothing. */
	cfg.smtp_pin[0] = '\0';
	snprintf(cfg.smtp_host, sizeof(cfg.smtp_host), "192.0.2.1");
	ck_assert_int_eq(sender_check(&cfg, err, sizeof(err)), -1);
	ck_assert(contains(err, "not loopback"));
	snprintf(cfg.smtp_pin, sizeof(cfg.smtp_pin), "%064d", 7);
	ck_assert_int_eq(sender_check(&cfg, err, sizeof(err)), 0);
	snprintf(cfg.smtp_tls, sizeof(cfg.smtp_tls), "none");
	ck_assert_int_eq(sender_check(&cfg, err, sizeof(err)), -1);
	snprintf(cfg.smtp_host, sizeof(cfg.smtp_host), "127.0.0.1");
	snprintf(cfg.smtp_user, sizeof(cfg.smtp_user), "relay");
	ck_assert_int_eq(sender_check(&cfg, err, sizeof(err)), -1);
	ck_assert(contains(err, "smtp_password_file"));
}
END_TEST

static void
row_state(int64_t id, const char *state, int attempts)
{
	struct outbox_row	 r;

	ck_assert_int_eq(outbox_get(db, id, &r), DB_OK);
	ck_assert_msg(strcmp(r.state, state) == 0, "row %lld is %s",
	    (long long)id, r.state);
	ck_assert_int_eq(r.attempts, attempts);
	outbox_row_clear(&r);
}

START_TEST(sender_without_server)
{
	struct config		 cfg;
	struct sender_stats	 st;
	struct outbox_row	 r;
	char			 lo[CLOCK_ISO_LEN + 1], hi[CLOCK_ISO_LEN + 1];
	int64_t			 down, r1, r2, old, bad;
	long			 next;

	log_init("unit", LOG_LVL__MAX, 0);
	sender_conf(&cfg);
	ck_assert_int_eq(sender_next_due(db), -1);
	/* Nothing due: no connection, nothing to say. */
	ck_assert_int_eq(sender_run_once(db, &cfg, R, 0, &st), 0);
	ck_assert_int_eq(st.sent + st.deferred + st.failed + st.limited, 0);

	down = add("verify_email", "a@example.com");
	/* Two automatic replies to one address, one allowed an hour. */
	r1 = add("reply_refused", "b@example.com");
	r2 = add("reply_refused", "B@example.com");
	/* Queued six days ago: given up, staff told. */
	old = add("password_changed", "c@example.com");
	ck_assert_int_eq(sqlite3_exec(db->h, "UPDATE outbox SET created_at = "
	    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-6 days') WHERE id = 4",
	    NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(old, 4);
	/* Damaged: failed for good, staff told. */
	ck_assert_int_eq(outbox_add(db, "verify_email", "d d@example.com",
	    NULL, json_object(), 0, 0, NULL, 0), DB_OK);
	bad = sqlite3_last_insert_rowid(db->h);

	iso(48, lo);
	ck_assert_int_eq(sender_run_once(db, &cfg, R, 0, &st), 0);
	iso(60, hi);
	ck_assert_int_eq(st.sent, 0);
	ck_assert_int_eq(st.deferred, 2);
	ck_assert_int_eq(st.limited, 1);
	ck_assert_int_eq(st.failed, 2);
	ck_assert(contains(st.error, "Connection refused"));
	row_state(down, "queued", 1);
	row_state(r1, "queued", 1);
	row_state(r2, "failed", 1);
	row_state(old, "failed", 1);
	row_state(bad, "failed", 1);
	ck_assert_int_eq(items("outbound_failure"), 2);
	/* Retried after the first backoff: 48 to 60 seconds. */
	ck_assert_int_eq(outbox_get(db, down, &r), DB_OK);
	ck_assert_msg(strcmp(r.next_attempt_at, lo) >= 0 &&
	    strcmp(r.next_attempt_at, hi) <= 0, "next %s not in %s..%s",
	    r.next_attempt_at, lo, hi);
	ck_assert(contains(r.last_error, "Connection refused"));
	outbox_row_clear(&r);
	ck_assert_int_eq(outbox_get(db, r2, &r), DB_OK);
	ck_assert(contains(r.last_error, "rate limited"));
	outbox_row_clear(&r);
	next = sender_next_due(db);
	ck_assert_int_ge(next, 40);
	ck_assert_int_le(next, 60);

	/* Not due yet; a flush takes them; the second backoff doubles. */
	ck_assert_int_eq(sender_run_once(db, &cfg, R, 0, &st), 0);
	ck_assert_int_eq(st.deferred, 0);
	row_state(down, "queued", 1);
	ck_assert_int_eq(sender_run_once(db, &cfg, R, SENDER_RETRY_NOW, &st),
	    0);
	ck_assert_int_eq(st.deferred, 2);
	row_state(down, "queued", 2);
	iso(96, lo);
	iso(121, hi);
	ck_assert_int_eq(outbox_get(db, down, &r), DB_OK);
	ck_assert(strcmp(r.next_attempt_at, lo) >= 0 &&
	    strcmp(r.next_attempt_at, hi) <= 0);
	outbox_row_clear(&r);

	/* Wrong settings: nothing touched. */
	snprintf(cfg.smtp_tls, sizeof(cfg.smtp_tls), "ssl");
	ck_assert_int_eq(sender_run_once(db, &cfg, R, SENDER_RETRY_NOW, &st),
	    -1);
	ck_assert(contains(st.error, "smtp_tls"));
	row_state(down, "queued", 2);
}
END_TEST

Suite *
suite_render(void)
{
	Suite	*s = suite_create("render");
	TCase	*tc;

	tc = tcase_create("templates");
	tcase_add_checked_fixture(tc, setup_render, teardown_render);
	tcase_add_test(tc, license_created_action_required);
	tcase_add_test(tc, license_created_issued);
	tcase_add_test(tc, license_changes);
	tcase_add_test(tc, batch_and_account_mail);
	tcase_add_test(tc, submission_acknowledged);
	tcase_add_test(tc, submission_decided);
	tcase_add_test(tc, replies_answered);
	tcase_add_test(tc, every_template_without_params);
	tcase_add_test(tc, subject_encoding);
	tcase_add_test(tc, injection_and_utf8);
	tcase_add_test(tc, from_name_and_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("language");
	tcase_add_checked_fixture(tc, setup_tdir, teardown_tdir);
	tcase_add_test(tc, template_language);
	tcase_add_test(tc, template_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("backoff");
	tcase_add_test(tc, backoff_schedule);
	suite_add_tcase(s, tc);

	tc = tcase_create("outbox");
	tcase_add_checked_fixture(tc, setup_db, teardown_db);
	tcase_add_test(tc, outbox_lifecycle);
	tcase_add_test(tc, outbox_rate_count);
	tcase_add_test(tc, outbox_rate_memo);
	tcase_add_test(tc, rows_the_core_wrote);
	tcase_add_test(tc, sender_settings);
	tcase_add_test(tc, sender_without_server);
	suite_add_tcase(s, tc);
	return s;
}
