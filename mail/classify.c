/*
 * The mail classes, decided by a table of checks in order (see
 * classify.h).  Each check says yes with a reason an operator can
 * read; the first yes wins.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/limits.h"
#include "forms/form.h"
#include "forms/read.h"
#include "classify.h"

const char *const mail_class_names[MAIL_CLASS__MAX] = {
	"bounce",
	"auto-reply",
	"own",
	"reply",
	"submission",
	"correspondence",
};

/* Bytes of the first line kept by message_first_line. */
#define FIRST_LINE_MAX	1024

/* Subjects of bounces and of automatic replies, compared from the
 * start without case. */
static const char *const bounce_subjects[] = {
	"undelivered mail returned to sender",
	"undeliverable:",
	"undeliverable mail",
	"undelivered mail",
	"delivery status notification",
	"delivery failure",
	"delivery has failed",
	"returned mail:",
	"mail delivery failed",
	"mail delivery failure",
	"mail system error",
	"failure notice",
	"warning: could not send message",
	"non remis",
	"unzustellbar",
};
static const char *const auto_subjects[] = {
	"out of office",
	"out of the office",
	"automatic reply",
	"auto reply",
	"auto-reply",
	"autoreply",
	"auto:",
	"auto response",
	"autoresponse",
	"away from the office",
	"r\xc3\xa9ponse automatique",
	"abwesenheitsnotiz",
	"respuesta autom\xc3\xa1tica",
};

struct ctx {
	const struct message		*m;
	const struct classify_conf	*c;
	struct classify_result		*r;
};

static int
starts(const char *s, const char *prefix)
{
	return s != NULL && strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* The subject without any number of "Re:", "Fwd:", "AW:" ... */
static const char *
subject_core(const char *s)
{
	static const char *const pre[] = { "re:", "fw:", "fwd:", "aw:",
	    "wg:", "sv:", "tr:" };
	size_t	 i;
	int	 again = 1;

	if (s == NULL)
		return NULL;
	while (again) {
		again = 0;
		while (*s == ' ')
			s++;
		for (i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
			if (starts(s, pre[i])) {
				s += strlen(pre[i]);
				again = 1;
			}
	}
	return s;
}

static int
local_is(const char *addr, const char *local)
{
	size_t	 n = strlen(local);

	return addr != NULL && strncasecmp(addr, local, n) == 0 &&
	    addr[n] == '@';
}

static int
is_bounce(struct ctx *x)
{
	const struct message	*m = x->m;
	const char		*subj;
	size_t			 i;

	if (m->is_dsn) {
		snprintf(x->r->reason, sizeof(x->r->reason),
		    "a delivery report (multipart/report)");
		return 1;
	}
	if (local_is(m->from, "mailer-daemon") ||
	    local_is(m->from, "postmaster") ||
	    local_is(m->from, "mail-daemon")) {
		snprintf(x->r->reason, sizeof(x->r->reason), "From %s",
		    m->from);
		return 1;
	}
	if (m->auto_submitted != NULL &&
	    strstr(m->auto_submitted, "(Return-Path: <>)") != NULL) {
		snprintf(x->r->reason, sizeof(x->r->reason),
		    "empty Return-Path (<>)");
		return 1;
	}
	subj = subject_core(m->subject);
	for (i = 0; i < sizeof(bounce_subjects) / sizeof(bounce_subjects[0]);
	    i++)
		if (starts(subj, bounce_subjects[i])) {
			snprintf(x->r->reason, sizeof(x->r->reason),
			    "a bounce's subject (\"%s\")", bounce_subjects[i]);
			return 1;
		}
	return 0;
}

static int
is_auto(struct ctx *x)
{
	const struct message	*m = x->m;
	const char		*a = m->auto_submitted;
	size_t			 i;

	if (a != NULL) {
		while (*a == ' ')
			a++;
		/* "no" (RFC 3834), with or without a comment, is a person. */
		if (*a != '\0' && !(strncasecmp(a, "no", 2) == 0 &&
		    (a[2] == '\0' || a[2] == ' ' || a[2] == ';' ||
		    a[2] == '('))) {
			snprintf(x->r->reason, sizeof(x->r->reason),
			    "Auto-Submitted: %s", a);
			return 1;
		}
	}
	for (i = 0; i < sizeof(auto_subjects) / sizeof(auto_subjects[0]); i++)
		if (starts(m->subject, auto_subjects[i])) {
			snprintf(x->r->reason, sizeof(x->r->reason),
			    "an automatic reply's subject (\"%s\")",
			    auto_subjects[i]);
			return 1;
		}
	return 0;
}

/* Whether addr is one of ours, or a plus-address of one. */
static int
ours(const struct classify_conf *c, const char *addr)
{
	const char	*at, *aat, *plus;
	size_t		 i, ll;

	if (addr == NULL || (aat = strrchr(addr, '@')) == NULL)
		return 0;
	for (i = 0; i < c->naddresses; i++) {
		if (strcasecmp(addr, c->addresses[i]) == 0)
			return 1;
		if ((at = strrchr(c->addresses[i], '@')) == NULL)
			continue;
		ll = (size_t)(at - c->addresses[i]);
		plus = addr + ll;
		if (strncasecmp(addr, c->addresses[i], ll) == 0 &&
		    *plus == '+' && strcasecmp(aat, at) == 0)
			return 1;
	}
	return 0;
}

static int
is_own(struct ctx *x)
{
	if (x->m->has_loop_header) {
		snprintf(x->r->reason, sizeof(x->r->reason),
		    "our loop header X-AIM-Loop");
		return 1;
	}
	if (ours(x->c, x->m->from)) {
		snprintf(x->r->reason, sizeof(x->r->reason),
		    "From our own address %s", x->m->from);
		return 1;
	}
	return 0;
}

static int
b32char(int c)
{
	c = tolower(c);
	return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7');
}

static void
keep_text(char out[TOKEN_LEN + 1], const char *s)
{
	size_t	 i;

	for (i = 0; i < TOKEN_LEN; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[TOKEN_LEN] = '\0';
}

/* Tries the TOKEN_LEN characters at s; keeps the first refusal. */
static int
try_token(struct ctx *x, const char *s, const char *where)
{
	struct token	 t;
	enum token_err	 e;

	if (x->m->from == NULL)
		return 0;
	e = token_parse(s, TOKEN_LEN, x->m->from, x->c->key, x->c->keylen,
	    x->c->today, &t);
	if (e == TOKEN_OK) {
		x->r->token = t;
		keep_text(x->r->token_text, s);
		snprintf(x->r->token_in, sizeof(x->r->token_in), "%s", where);
		snprintf(x->r->reason, sizeof(x->r->reason), "reply token "
		    "in %s: %s %lld", where, t.kind == TOKEN_LICENSE ?
		    "license" : "queue item", (long long)t.id);
		return 1;
	}
	if (x->r->token_err == TOKEN_OK) {
		x->r->token_err = e;
		keep_text(x->r->token_text, s);
		snprintf(x->r->refused_in, sizeof(x->r->refused_in), "%s",
		    where);
	}
	return 0;
}

/*
 * Tokens in plus-addresses of ours within s (an address or a header
 * line): "local+TOKEN@domain" for each of our "local@domain".
 */
static int
plus_tokens(struct ctx *x, const char *s, const char *where)
{
	const char	*p, *at, *a;
	size_t		 i, ll, k;

	if (s == NULL || x->c->key == NULL)
		return 0;
	for (i = 0; i < x->c->naddresses; i++) {
		a = x->c->addresses[i];
		if ((at = strrchr(a, '@')) == NULL)
			continue;
		ll = (size_t)(at - a);
		for (p = s; (p = strchr(p, '+')) != NULL; p++) {
			if ((size_t)(p - s) < ll ||
			    strncasecmp(p - ll, a, ll) != 0)
				continue;
			/* A whole local part, not the end of a longer one. */
			if ((size_t)(p - s) > ll && (isalnum((unsigned char)
			    (p - ll)[-1]) || (p - ll)[-1] == '.'))
				continue;
			for (k = 0; k < TOKEN_LEN && b32char((unsigned char)
			    p[1 + k]); k++)
				;
			if (k != TOKEN_LEN || strncasecmp(p + 1 + k, at,
			    strlen(at)) != 0)
				continue;
			if (try_token(x, p + 1, where))
				return 1;
		}
	}
	return 0;
}

/*
 * Our Message-IDs in a list of ids: <t.TOKEN@domain> or
 * <TOKEN@domain> carry a token; any <...@domain> is noted.
 */
static int
msgid_tokens(struct ctx *x, const char *s, const char *where)
{
	const char	*lt, *gt, *at, *id;
	size_t		 dl, n;

	if (s == NULL || x->c->msgid_domain == NULL)
		return 0;
	dl = strlen(x->c->msgid_domain);
	for (lt = s; (lt = strchr(lt, '<')) != NULL; lt = gt) {
		if ((gt = strchr(lt, '>')) == NULL)
			break;
		if ((at = memchr(lt, '@', (size_t)(gt - lt))) == NULL ||
		    (size_t)(gt - at - 1) != dl ||
		    strncasecmp(at + 1, x->c->msgid_domain, dl) != 0)
			continue;
		n = (size_t)(gt - lt) + 1;
		if (x->r->our_msgid[0] == '\0' && n < sizeof(x->r->our_msgid))
			snprintf(x->r->our_msgid, sizeof(x->r->our_msgid),
			    "%.*s", (int)n, lt);
		id = lt + 1;
		if (at - id == TOKEN_LEN + 2 && strncasecmp(id, "t.", 2) == 0)
			id += 2;
		if (at - id != TOKEN_LEN)
			continue;
		if (try_token(x, id, where))
			return 1;
	}
	return 0;
}

static int
is_reply(struct ctx *x)
{
	const struct message	*m = x->m;

	if (x->c->key == NULL || x->c->keylen == 0) {
		/* Still note our Message-IDs for threading. */
		msgid_tokens(x, m->in_reply_to, "In-Reply-To");
		msgid_tokens(x, m->references, "References");
		return 0;
	}
	return plus_tokens(x, m->delivered_to, "Delivered-To") ||
	    plus_tokens(x, m->to, "To") ||
	    msgid_tokens(x, m->in_reply_to, "In-Reply-To") ||
	    msgid_tokens(x, m->references, "References");
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t	 n, k;

	if (s == NULL)
		return 0;
	n = strlen(s);
	k = strlen(suffix);
	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

int
classify_form_candidate(const struct attachment *a)
{
	static const char *const types[] = { "application/pdf",
	    "application/x-pdf", "application/acrobat", "text/xml",
	    "application/xml" };
	size_t		 i;
	int		 cand = 0, k;

	/* No data: too large to be a form (mail/message.h). */
	if (a == NULL || a->data == NULL || a->size == 0)
		return 0;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (a->type != NULL && strcmp(a->type, types[i]) == 0)
			cand = 1;
	if (ends_with(a->name, ".pdf") || ends_with(a->name, ".xml"))
		cand = 1;
	if (!cand)
		return 0;
	/* The readers sniff the content; JSON is not an emailed form. */
	k = form_sniff((const char *)a->data, a->size);
	return k == FORMAT_PDF || k == FORMAT_XML ? k : 0;
}

int
classify_is_form(const struct attachment *a)
{
	struct report	 rep;
	struct form	*f;
	char		 err[256];

	if (!classify_form_candidate(a))
		return 0;
	report_init(&rep);
	f = form_read((const char *)a->data, a->size, &rep, err, sizeof(err));
	report_free(&rep);
	if (f == NULL)
		return 0;
	form_free(f);
	return 1;
}

static int
is_submission(struct ctx *x)
{
	if (x->r->nforms == 0)
		return 0;
	snprintf(x->r->reason, sizeof(x->r->reason), "%zu form%s attached "
	    "(%s)", x->r->nforms, x->r->nforms == 1 ? "" : "s",
	    x->m->att[x->r->forms[0]].name);
	return 1;
}

static const struct rule {
	enum mail_class	  class;
	int		(*check)(struct ctx *);
} rules[] = {
	{ MAIL_BOUNCE, is_bounce },
	{ MAIL_AUTO_REPLY, is_auto },
	{ MAIL_OWN, is_own },
	{ MAIL_REPLY, is_reply },
	{ MAIL_SUBMISSION, is_submission },
};

enum mail_class
classify_full(const struct message *m, const struct classify_conf *c,
    struct classify_result *r)
{
	struct ctx	 x;
	size_t		 i;

	memset(r, 0, sizeof(*r));
	r->token_err = TOKEN_OK;
	r->class = MAIL_CORRESPONDENCE;
	x.m = m;
	x.c = c;
	x.r = r;
	/* Forms are listed for every class: a reply may carry one. */
	if (m->natt > 0 && (r->forms = calloc(m->natt, sizeof(size_t))) ==
	    NULL) {
		snprintf(r->reason, sizeof(r->reason), "out of memory");
		return r->class;
	}
	for (i = 0; i < m->natt; i++)
		if (c->is_form != NULL ? c->is_form(&m->att[i], i,
		    c->is_form_arg) : classify_is_form(&m->att[i]))
			r->forms[r->nforms++] = i;
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (rules[i].check(&x)) {
			r->class = rules[i].class;
			return r->class;
		}
	if (r->token_err != TOKEN_OK)
		snprintf(r->reason, sizeof(r->reason), "none of the above "
		    "(%s)", token_strerror(r->token_err));
	else
		snprintf(r->reason, sizeof(r->reason), "none of the above");
	return r->class;
}

enum mail_class
classify(const struct message *m, const struct classify_conf *c)
{
	struct classify_result	 r;
	enum mail_class		 k;

	k = classify_full(m, c, &r);
	classify_result_free(&r);
	return k;
}

void
classify_result_free(struct classify_result *r)
{
	free(r->forms);
	r->forms = NULL;
	r->nforms = 0;
}

/* Whether the line (n bytes) is all blanks. */
static int
blank(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

static int
ends_line(const char *s, size_t n, const char *suffix)
{
	size_t	 k = strlen(suffix);

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r'))
		n--;
	return n >= k && strncasecmp(s + n - k, suffix, k) == 0;
}

/* The attribution line of a quote, in the languages we meet. */
static int
attribution_end(const char *s, size_t n)
{
	return ends_line(s, n, "wrote:") || ends_line(s, n, "a \xc3\xa9" "crit :") ||
	    ends_line(s, n, "a \xc3\xa9" "crit:") || ends_line(s, n, "schrieb:") ||
	    ends_line(s, n, "escribi\xc3\xb3:");
}

static int
attribution_start(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	return (n >= 3 && strncasecmp(s, "On ", 3) == 0) ||
	    (n >= 3 && strncasecmp(s, "Le ", 3) == 0) ||
	    (n >= 3 && strncasecmp(s, "Am ", 3) == 0) ||
	    (n >= 3 && strncasecmp(s, "El ", 3) == 0);
}

const char *
message_first_line(const struct message *m)
{
	static char	 line[FIRST_LINE_MAX];
	const char	*s, *e, *next, *e2;
	size_t		 n, n2;

	line[0] = '\0';
	if (m == NULL || m->text == NULL)
		return line;
	for (s = m->text; *s != '\0'; s = next) {
		e = strchr(s, '\n');
		n = e != NULL ? (size_t)(e - s) : strlen(s);
		next = e != NULL ? e + 1 : s + n;
		if (blank(s, n))
			continue;
		while (n > 0 && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
		}
		if (*s == '>')
			continue;
		if (attribution_start(s, n)) {
			if (attribution_end(s, n))
				continue;
			/* "On ... <a@b>" / "wrote:" wrapped in two lines. */
			e2 = strchr(next, '\n');
			n2 = e2 != NULL ? (size_t)(e2 - next) : strlen(next);
			if (attribution_end(next, n2)) {
				next = e2 != NULL ? e2 + 1 : next + n2;
				continue;
			}
		}
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
		    s[n - 1] == '\r'))
			n--;
		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		/* Cut at a whole UTF-8 character. */
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		memcpy(line, s, n);
		line[n] = '\0';
		break;
	}
	return line;
}
