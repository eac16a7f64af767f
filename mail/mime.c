/*
 * The MIME walk.  libetpan finds the structure (mailmime_parse) and
 * decodes bodies (mailmime_part_parse); the header fields of the
 * message and of each part are read here from the raw bytes, because
 * libetpan drops what it cannot parse (unquoted names with spaces,
 * encoded words in names, RFC 2231 parameters) and mail clients write
 * all of those.  The tree points into the caller's buffer, so it is
 * freed before mime_parse returns.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libetpan/libetpan.h>

#include "lib/utf8.h"
#include "lib/buf.h"
#include "lib/limits.h"
#include "lib/sha256.h"
#include "decode.h"
#include "digest.h"
#include "message.h"
#include "mime.h"
#include "tnef.h"

/* Bytes of a boundary: RFC 2046 allows 70; some senders go past. */
#define BOUNDARY_MAX	200
/* Characters of base64 decoded at a time for an attachment too large
 * to keep (add_large). */
#define MIME_PIECE	(1024 * 1024)
#define FWD_LINE	"---------- Forwarded message ----------\n"

/* One header field as written: name and raw (folded) value. */
struct hfield {
	const char	*name;
	size_t		 nlen;
	const char	*v;
	size_t		 vlen;
};

/* One message level: the message itself or a forwarded one. */
struct body {
	struct buf	 plain;
	struct buf	 html;
	int		 has_plain;
	int		 has_html;
};

struct walk {
	struct message	*m;
	struct buf	 fwd;		/* texts of forwarded messages */
	size_t		 parts;
	size_t		 attcap;
	int		 oom;
	int		 stop;		/* a limit was met: no more parts */
};

enum {
	W_TEXT = 1,		/* text parts are the body's text */
	W_FWD = 2		/* inside a forwarded message */
};

static void	 walk_mime(struct walk *, struct body *, struct mailmime *,
		    int, int);
static void	 body_as_text(struct walk *, struct body *, const char *,
		    size_t, const char *, size_t);

/* Length of the line at p (n bytes left), its end included. */
static size_t
line_len(const char *p, size_t n)
{
	const char	*nl;

	if ((nl = memchr(p, '\n', n)) == NULL)
		return n;
	return (size_t)(nl - p) + 1;
}

static int
blank_line(const char *p, size_t n)
{
	return (n >= 1 && p[0] == '\n') || (n >= 2 && p[0] == '\r' &&
	    p[1] == '\n');
}

/* Bytes of the header block at p, up to the empty line (or all); the
 * body starts at *body. */
static size_t
hdr_end(const char *p, size_t n, size_t *body)
{
	size_t	 pos = 0, l;

	while (pos < n) {
		l = line_len(p + pos, n - pos);
		if (blank_line(p + pos, n - pos)) {
			*body = pos + l;
			return pos;
		}
		pos += l;
	}
	*body = n;
	return n;
}

/*
 * Next header field of a block from *pos.  Lines that are not fields
 * (an mbox "From " line, garbage, a stray continuation) are skipped.
 */
static int
hdr_next(const char *p, size_t n, size_t *pos, struct hfield *f)
{
	size_t	 i, l, e;

	while (*pos < n) {
		i = *pos;
		l = line_len(p + i, n - i);
		*pos += l;
		if (p[i] == ' ' || p[i] == '\t')
			continue;
		/* A name: printable ASCII but ':', then blanks, ':'. */
		for (e = i; e < i + l && p[e] > 0x20 && p[e] < 0x7f &&
		    p[e] != ':'; e++)
			;
		f->name = p + i;
		f->nlen = e - i;
		while (e < i + l && (p[e] == ' ' || p[e] == '\t'))
			e++;
		if (f->nlen == 0 || e == i + l || p[e] != ':')
			continue;
		f->v = p + e + 1;
		/* Continuation lines start with a blank. */
		while (*pos < n && (p[*pos] == ' ' || p[*pos] == '\t'))
			*pos += line_len(p + *pos, n - *pos);
		f->vlen = (size_t)(p + *pos - f->v);
		return 1;
	}
	return 0;
}

/* The nth (from 0) field called name in the block, or 0. */
static int
hdr_get(const char *p, size_t n, const char *name, size_t nth,
    struct hfield *f)
{
	size_t	 pos = 0, nl = strlen(name);

	while (hdr_next(p, n, &pos, f))
		if (f->nlen == nl && strncasecmp(f->name, name, nl) == 0 &&
		    nth-- == 0)
			return 1;
	return 0;
}

/* The header block of a part starting at p (n bytes of the part),
 * cut at LIM_HEADER_BYTES. */
static size_t
hdr_block(const char *p, size_t n, size_t *body)
{
	size_t	 h = hdr_end(p, n, body);

	return h > LIM_HEADER_BYTES ? LIM_HEADER_BYTES : h;
}

static int
is_type(const char *type, const char *want)
{
	return type != NULL && strcmp(type, want) == 0;
}

/* Copies the raw parameter "boundary" into out (BOUNDARY_MAX + 1). */
static int
boundary_of(const char *v, size_t n, char *out)
{
	char	*b;
	size_t	 l;

	if ((b = decode_param(v, n, "boundary")) == NULL)
		return 0;
	l = strlen(b);
	if (l == 0 || l > BOUNDARY_MAX) {
		free(b);
		return 0;
	}
	memcpy(out, b, l + 1);
	free(b);
	return 1;
}

/*
 * The bounded look at the structure before libetpan: a stack of open
 * multipart boundaries (and forwarded messages), pushed at each
 * Content-Type, popped at each delimiter line.  Linear in the size
 * times LIM_MIME_DEPTH.  Returns 0, or -1 with the limit in why.
 */
static int
prescan(const char *raw, size_t len, char *why, size_t whysz)
{
	struct level {
		char	 b[BOUNDARY_MAX + 1];	/* "" for a message */
		size_t	 blen;
	}		*st = NULL;
	struct hfield	 f;
	size_t		 sp = 0, pos = 0, parts = 1, body, h, l, k, bl;
	char		*ct;
	int		 headers = 1, rc = -1, close;
	const char	*p;

	if ((st = calloc(LIM_MIME_DEPTH + 1, sizeof(*st))) == NULL) {
		snprintf(why, whysz, "out of memory");
		return -1;
	}
	while (pos < len) {
		if (headers) {
			h = hdr_end(raw + pos, len - pos, &body);
			if (h > LIM_HEADER_BYTES) {
				snprintf(why, whysz, "a header section is "
				    "larger than %d bytes", LIM_HEADER_BYTES);
				goto out;
			}
			ct = NULL;
			if (hdr_get(raw + pos, h, "Content-Type", 0, &f))
				ct = decode_ctype(f.v, f.vlen);
			headers = 0;
			if (ct != NULL && strncmp(ct, "multipart/", 10) == 0 &&
			    sp < LIM_MIME_DEPTH + 1 &&
			    boundary_of(f.v, f.vlen, st[sp].b)) {
				st[sp].blen = strlen(st[sp].b);
				sp++;
			} else if (is_type(ct, "message/rfc822") ||
			    is_type(ct, "message/global")) {
				if (sp < LIM_MIME_DEPTH + 1)
					st[sp].b[0] = '\0';
				st[sp < LIM_MIME_DEPTH + 1 ? sp : 0].blen = 0;
				sp++;
				headers = 1;
			}
			free(ct);
			if (sp > LIM_MIME_DEPTH) {
				snprintf(why, whysz, "MIME parts nested more "
				    "than %d deep", LIM_MIME_DEPTH);
				goto out;
			}
			pos += body;
			continue;
		}
		p = raw + pos;
		l = line_len(p, len - pos);
		pos += l;
		if (l < 3 || p[0] != '-' || p[1] != '-')
			continue;
		for (k = sp; k-- > 0; ) {
			bl = st[k].blen;
			if (bl == 0 || l < 2 + bl ||
			    memcmp(p + 2, st[k].b, bl) != 0)
				continue;
			close = l >= 4 + bl && p[2 + bl] == '-' &&
			    p[3 + bl] == '-';
			if (!close) {
				size_t	 j;

				/* Only blanks may follow a delimiter. */
				for (j = 2 + bl; j < l && (p[j] == ' ' ||
				    p[j] == '\t' || p[j] == '\r' ||
				    p[j] == '\n'); j++)
					;
				if (j != l)
					continue;
			}
			if (close)
				sp = k;
			else {
				sp = k + 1;
				headers = 1;
				if (++parts > LIM_MIME_PARTS) {
					snprintf(why, whysz, "more than %d "
					    "MIME parts", LIM_MIME_PARTS);
					goto out;
				}
			}
			break;
		}
	}
	rc = 0;
out:
	free(st);
	return rc;
}

/* A copy of the value as one line of UTF-8 (decode_header); raw 8-bit
 * text that is not UTF-8 is taken in charset cs when given. */
static char *
hvalue(const struct hfield *f, const char *cs)
{
	return decode_header_cs(f->v, f->vlen, cs);
}

/* Lower case in place (ASCII). */
static void
lower(char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Keeps s if it looks like an address, else frees it: NULL. */
static char *
addr_check(char *s)
{
	size_t	 i, n;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	if (n == 0 || n > LIM_EMAIL_BYTES || strchr(s, '@') == NULL ||
	    strchr(s, '@') != strrchr(s, '@') || s[0] == '@' ||
	    s[n - 1] == '@' || !utf8_valid(s, n))
		goto bad;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == '<' ||
		    s[i] == '>' || s[i] == '"' || s[i] == ',' || s[i] == 0x7f)
			goto bad;
	lower(s);
	return s;
bad:
	free(s);
	return NULL;
}

/* Drops RFC 5322 comments "(...)" and blanks from an address. */
static char *
addr_clean(char *s)
{
	size_t	 i, o = 0;
	int	 depth = 0;

	if (s == NULL)
		return NULL;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '\\' && depth > 0 && s[i + 1] != '\0')
			i++;
		else if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && depth > 0)
			depth--;
		else if (depth == 0 && s[i] != ' ' && s[i] != '\t')
			s[o++] = s[i];
	}
	s[o] = '\0';
	return s;
}

/* Trims blanks and one pair of quotes. */
static void
unquote_name(char *s)
{
	size_t	 n = strlen(s), i = 0;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	if (n - i >= 2 && s[i] == '"' && s[n - 1] == '"') {
		s[n - 1] = '\0';
		i++;
	}
	memmove(s, s + i, strlen(s + i) + 1);
}

/*
 * The first mailbox of an address header: the address (lower case)
 * and the decoded display name.  libetpan's mailimf parser first;
 * when it refuses the header, the <...> part or the word with an '@'.
 */
static void
mailbox(const struct hfield *f, const char *cs, char **addr, char **name)
{
	struct mailimf_mailbox_list	*ml = NULL;
	struct mailimf_mailbox		*mb;
	size_t				 idx = 0;
	char				*one = NULL, *lt, *gt, *w, *sep;

	*addr = NULL;
	if (name != NULL)
		*name = NULL;
	if (mailimf_mailbox_list_parse(f->v, f->vlen, &idx, &ml) ==
	    MAILIMF_NO_ERROR && ml != NULL &&
	    clist_begin(ml->mb_list) != NULL) {
		mb = clist_content(clist_begin(ml->mb_list));
		if (mb->mb_addr_spec != NULL)
			*addr = addr_check(strdup(mb->mb_addr_spec));
		if (name != NULL && mb->mb_display_name != NULL) {
			*name = decode_header_cs(mb->mb_display_name,
			    strlen(mb->mb_display_name), cs);
			if (*name != NULL)
				unquote_name(*name);
		}
	}
	if (ml != NULL)
		mailimf_mailbox_list_free(ml);
	if (*addr != NULL)
		return;
	/* The lenient way, on the decoded line. */
	if ((one = hvalue(f, cs)) == NULL)
		return;
	if ((lt = strrchr(one, '<')) != NULL &&
	    (gt = strchr(lt, '>')) != NULL) {
		*gt = '\0';
		*addr = addr_check(addr_clean(strdup(lt + 1)));
		*lt = '\0';
		if (name != NULL && *name == NULL && (*name = strdup(one)) !=
		    NULL)
			unquote_name(*name);
	} else {
		sep = one;
		while ((w = strsep(&sep, " \t,;")) != NULL)
			if (strchr(w, '@') != NULL) {
				*addr = addr_check(addr_clean(strdup(w)));
				break;
			}
	}
	free(one);
}

/* The first <id> of a header, without the brackets, else the line. */
static char *
msgid(const struct hfield *f)
{
	char	*s, *lt, *gt;

	if ((s = hvalue(f, NULL)) == NULL)
		return NULL;
	if ((lt = strchr(s, '<')) != NULL && (gt = strchr(lt, '>')) != NULL) {
		*gt = '\0';
		memmove(s, lt + 1, strlen(lt + 1) + 1);
	}
	if (*s == '\0' || strchr(s, ' ') != NULL) {
		free(s);
		return NULL;
	}
	return s;
}

/* Replaces *dst by v (taking it). */
static void
set(char **dst, char *v)
{
	free(*dst);
	*dst = v;
}

static int
value_is(const struct hfield *f, const char *const *words)
{
	char	*v;
	int	 yes = 0;

	if ((v = hvalue(f, NULL)) == NULL)
		return 0;
	lower(v);
	for (; *words != NULL; words++)
		if (strcmp(v, *words) == 0)
			yes = 1;
	free(v);
	return yes;
}

/* The message's own header fields. */
static int
read_headers(struct message *m, const char *hb, size_t hn)
{
	static const char *const bulk[] = { "bulk", "junk", "list", NULL };
	static const char *const nullpath[] = { "<>", "< >", NULL };
	struct hfield	 f;
	struct buf	 ar;
	size_t		 i;
	char		*v, *cs = NULL;
	const char	*machine = NULL;
	int		 rc = -1;

	buf_init(&ar, LIM_HEADER_BYTES);
	/* Old clients write 8-bit headers in the body's charset. */
	if (hdr_get(hb, hn, "Content-Type", 0, &f))
		cs = decode_param(f.v, f.vlen, "charset");
	if (hdr_get(hb, hn, "From", 0, &f))
		mailbox(&f, cs, &m->from, &m->from_name);
	if (hdr_get(hb, hn, "Reply-To", 0, &f))
		mailbox(&f, cs, &m->reply_to, NULL);
	if (hdr_get(hb, hn, "To", 0, &f))
		m->to = hvalue(&f, cs);
	if (hdr_get(hb, hn, "Delivered-To", 0, &f) ||
	    hdr_get(hb, hn, "X-Original-To", 0, &f))
		mailbox(&f, cs, &m->delivered_to, NULL);
	if (hdr_get(hb, hn, "Subject", 0, &f))
		m->subject = hvalue(&f, cs);
	if (hdr_get(hb, hn, "Date", 0, &f))
		m->date = hvalue(&f, cs);
	if (hdr_get(hb, hn, "Message-ID", 0, &f))
		m->message_id = msgid(&f);
	if (hdr_get(hb, hn, "In-Reply-To", 0, &f))
		m->in_reply_to = hvalue(&f, NULL);
	if (hdr_get(hb, hn, "References", 0, &f))
		m->references = hvalue(&f, NULL);
	if (hdr_get(hb, hn, "X-AIM-Loop", 0, &f))
		m->has_loop_header = 1;
	for (i = 0; hdr_get(hb, hn, "Authentication-Results", i, &f); i++) {
		if ((v = hvalue(&f, NULL)) == NULL)
			goto out;
		if ((i > 0 && buf_add(&ar, "\n", 1) == -1) ||
		    buf_puts(&ar, v) == -1) {
			free(v);
			break;
		}
		free(v);
	}
	if (ar.len > 0 && (m->auth_results = strdup(ar.p)) == NULL)
		goto out;

	/* What marks the mail as sent by a machine (see mime.h). */
	if (hdr_get(hb, hn, "Auto-Submitted", 0, &f))
		m->auto_submitted = hvalue(&f, NULL);
	else if (hdr_get(hb, hn, "X-Autoreply", 0, &f))
		machine = "auto-replied (X-Autoreply)";
	else if (hdr_get(hb, hn, "X-Autorespond", 0, &f))
		machine = "auto-replied (X-Autorespond)";
	else if (hdr_get(hb, hn, "Precedence", 0, &f) && value_is(&f, bulk)) {
		if ((v = hvalue(&f, NULL)) == NULL)
			goto out;
		lower(v);
		if (strcmp(v, "bulk") == 0)
			machine = "auto-generated (Precedence: bulk)";
		else if (strcmp(v, "junk") == 0)
			machine = "auto-generated (Precedence: junk)";
		else
			machine = "auto-generated (Precedence: list)";
		free(v);
	} else if (hdr_get(hb, hn, "List-Id", 0, &f))
		machine = "auto-generated (List-Id)";
	if (hdr_get(hb, hn, "Return-Path", 0, &f) && value_is(&f, nullpath))
		machine = "auto-generated (Return-Path: <>)";
	if (machine != NULL && (v = strdup(machine)) != NULL)
		set(&m->auto_submitted, v);
	else if (machine != NULL)
		goto out;
	rc = 0;
out:
	free(cs);
	buf_free(&ar);
	return rc;
}

/* Appends text with its line ends made "\n". */
static void
put_text(struct buf *b, const char *s, size_t n)
{
	size_t	 i, run = 0;

	for (i = 0; i < n; i++) {
		if (s[i] != '\r')
			continue;
		buf_add(b, s + run, i - run);
		if (i + 1 == n || s[i + 1] != '\n')
			buf_add(b, "\n", 1);
		run = i + 1;
	}
	buf_add(b, s + run, n - run);
}

/* The mailmime content type as "type/subtype", lower case. */
static char *
ct_string(struct mailmime_content *ct)
{
	const char	*t = "application";
	char		 s[256];

	if (ct == NULL || ct->ct_type == NULL || ct->ct_subtype == NULL)
		return strdup("text/plain");
	if (ct->ct_type->tp_type == MAILMIME_TYPE_DISCRETE_TYPE) {
		struct mailmime_discrete_type	*d =
		    ct->ct_type->tp_data.tp_discrete_type;

		switch (d->dt_type) {
		case MAILMIME_DISCRETE_TYPE_TEXT:
			t = "text";
			break;
		case MAILMIME_DISCRETE_TYPE_IMAGE:
			t = "image";
			break;
		case MAILMIME_DISCRETE_TYPE_AUDIO:
			t = "audio";
			break;
		case MAILMIME_DISCRETE_TYPE_VIDEO:
			t = "video";
			break;
		case MAILMIME_DISCRETE_TYPE_EXTENSION:
			if (d->dt_extension != NULL)
				t = d->dt_extension;
			break;
		default:
			break;
		}
	} else if (ct->ct_type->tp_type == MAILMIME_TYPE_COMPOSITE_TYPE) {
		struct mailmime_composite_type	*c =
		    ct->ct_type->tp_data.tp_composite_type;

		if (c->ct_type == MAILMIME_COMPOSITE_TYPE_MESSAGE)
			t = "message";
		else if (c->ct_type == MAILMIME_COMPOSITE_TYPE_MULTIPART)
			t = "multipart";
		else if (c->ct_token != NULL)
			t = c->ct_token;
	}
	snprintf(s, sizeof(s), "%s/%s", t, ct->ct_subtype);
	lower(s);
	return strdup(s);
}

/* Notes the first limit met (the caller stops reading). */
static void	 limit(struct walk *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
limit(struct walk *w, const char *fmt, ...)
{
	va_list	 ap;
	char	 s[512];

	w->m->truncated = 1;
	if (w->m->problem != NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	if ((w->m->problem = strdup(s)) == NULL)
		w->oom = 1;
}

static int
is_base64(const char *cte)
{
	return cte != NULL && strncasecmp(cte, "base64", 6) == 0;
}

/* Decodes a part's body by its Content-Transfer-Encoding.  Returns the
 * bytes (malloc'd, never NULL for none), or NULL when out of memory.
 * Base64, by far the bulk of mail, is decoded here in one pass;
 * libetpan decodes the rest. */
#define PART_PAD	8

static char *
decode_body(const char *data, size_t n, const char *cte, size_t *outlen)
{
	struct base64_state	 st;
	char			*res = NULL, *copy, *padded;
	size_t			 idx = 0, o;
	int			 enc = MAILMIME_MECHANISM_8BIT;

	if (is_base64(cte)) {
		memset(&st, 0, sizeof(st));
		if ((copy = malloc(n / 4 * 3 + 3)) == NULL)
			return NULL;
		o = decode_base64(&st, data, n, (unsigned char *)copy);
		o += decode_base64_end(&st, (unsigned char *)copy + o);
		*outlen = o;
		return copy;
	}
	if (cte != NULL && strncasecmp(cte, "quoted-printable", 16) == 0)
		enc = MAILMIME_MECHANISM_QUOTED_PRINTABLE;
	/* libetpan reads up to 2 bytes past the length it is given (a
	 * line end it looks for: found by fuzz/mime under ASan): it gets
	 * a copy with NULs after the end. */
	if ((padded = malloc(n + PART_PAD)) == NULL)
		return NULL;
	if (n > 0)	/* data is NULL for an empty body */
		memcpy(padded, data, n);
	memset(padded + n, 0, PART_PAD);
	if (mailmime_part_parse(padded, n, &idx, enc, &res, outlen) !=
	    MAILIMF_NO_ERROR) {
		free(padded);
		return NULL;
	}
	free(padded);
	if ((copy = malloc(*outlen + 1)) != NULL)
		memcpy(copy, res, *outlen);
	mailmime_decoded_part_free(res);
	return copy;
}

static int	 is_tnef(const char *, const char *, const char *, size_t);

/* Adds an attachment (taking name, type and data); sha, when not
 * NULL, is the SHA-256 of one kept without its data. */
static int
add_att_sha(struct walk *w, char *name, char *type, unsigned char *data,
    size_t size, const char *sha)
{
	struct message		*m = w->m;
	struct attachment	*a;

	if (name == NULL || type == NULL || (data == NULL && size > 0 &&
	    sha == NULL))
		goto fail;
	if (m->natt >= LIM_MIME_PARTS) {
		limit(w, "more than %d attachments", LIM_MIME_PARTS);
		w->stop = 1;
		goto drop;
	}
	if (m->natt == w->attcap) {
		size_t	 cap = w->attcap ? w->attcap * 2 : 4;

		if ((a = reallocarray(m->att, cap, sizeof(*a))) == NULL)
			goto fail;
		m->att = a;
		w->attcap = cap;
	}
	a = &m->att[m->natt];
	memset(a, 0, sizeof(*a));
	a->name = name;
	a->type = type;
	a->data = data;
	a->size = size;
	if (sha != NULL)
		memcpy(a->sha256, sha, sizeof(a->sha256));
	else if (sha256_hex(data != NULL ? (void *)data : (void *)"", size,
	    a->sha256) == -1)
		goto fail;
	m->natt++;
	return 0;
fail:
	w->oom = 1;
drop:
	free(name);
	free(type);
	free(data);
	return -1;
}

static int
add_att(struct walk *w, char *name, char *type, unsigned char *data,
    size_t size)
{
	return add_att_sha(w, name, type, data, size, NULL);
}

/*
 * A base64 attachment larger than any form can be (LIM_PDF_BYTES) is
 * decoded a piece at a time for its SHA-256 and size and not kept: the
 * raw message holds it, and its decoded copy would double the memory
 * the parser needs.  Returns 0 when it was added (or left out past
 * LIM_ATTACHMENT_BYTES), 1 when it must be kept after all (a
 * winmail.dat, which is read for its files).
 */
static int
add_large(struct walk *w, char **name, char **type, const char *data,
    size_t n, size_t size)
{
	struct base64_state	 st;
	struct digest		*d = NULL;
	unsigned char		*piece;
	char			 sha[SHA256_HEX_LEN + 1];
	size_t			 off, k, o;

	if ((piece = malloc(MIME_PIECE / 4 * 3 + 3)) == NULL ||
	    (d = digest_new()) == NULL)
		goto oom;
	memset(&st, 0, sizeof(st));
	for (off = 0; off < n; off += k) {
		k = n - off < MIME_PIECE ? n - off : MIME_PIECE;
		o = decode_base64(&st, data + off, k, piece);
		if (off == 0 && is_tnef(*type, *name, (const char *)piece, o)) {
			digest_free(d);
			free(piece);
			return 1;
		}
		if (digest_add(d, piece, o) == -1)
			goto oom;
	}
	o = decode_base64_end(&st, piece);
	if (digest_add(d, piece, o) == -1)
		goto oom;
	free(piece);
	piece = NULL;
	k = digest_end(d, sha);
	d = NULL;
	if (k != 0 || (*name == NULL && (*name = strdup("")) == NULL))
		goto oom;
	add_att_sha(w, *name, *type, NULL, size, sha);
	*name = *type = NULL;
	return 0;
oom:
	digest_free(d);
	free(piece);
	w->oom = 1;
	return 0;
}

static int
is_tnef(const char *type, const char *name, const char *data, size_t n)
{
	if (is_type(type, "application/ms-tnef") ||
	    is_type(type, "application/vnd.ms-tnef"))
		return 1;
	if (name != NULL && strcasecmp(name, "winmail.dat") == 0)
		return 1;
	return is_type(type, "application/octet-stream") &&
	    tnef_is((const unsigned char *)data, n);
}

/* The files of a winmail.dat as attachments; 0 if it read. */
static int
add_tnef(struct walk *w, const char *data, size_t n)
{
	struct tnef_file	*files = NULL;
	char			 err[256];
	int			 nf, i;

	nf = tnef_read((const unsigned char *)data, n, LIM_MIME_PARTS,
	    &files, err, sizeof(err));
	if (nf < 0)
		return -1;
	for (i = 0; i < nf && !w->stop && !w->oom; i++) {
		add_att(w, files[i].name, files[i].type, files[i].data,
		    files[i].size);
		files[i].name = files[i].type = NULL;
		files[i].data = NULL;
	}
	tnef_free(files, (size_t)nf);
	return 0;
}

/* The raw value of a part's header, or NULL. */
static char *
part_raw(const char *hb, size_t hn, const char *name)
{
	struct hfield	 f;
	char		*s;

	if (!hdr_get(hb, hn, name, 0, &f))
		return NULL;
	if ((s = malloc(f.vlen + 1)) == NULL)
		return NULL;
	memcpy(s, f.v, f.vlen);
	s[f.vlen] = '\0';
	return s;
}

/* The first word of a header value, lower case ("attachment"). */
static void
first_word(const char *v, char *out, size_t outsz)
{
	size_t	 i = 0;

	out[0] = '\0';
	if (v == NULL)
		return;
	while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
		v++;
	while (*v != '\0' && *v != ';' && *v != ' ' && *v != '\t' &&
	    *v != '\r' && *v != '\n' && i + 1 < outsz)
		out[i++] = (char)tolower((unsigned char)*v++);
	out[i] = '\0';
}

static void
walk_single(struct walk *w, struct body *bd, struct mailmime *mm, int fl)
{
	struct mailmime_data	*d = mm->mm_data.mm_single;
	const char		*start = mm->mm_mime_start;
	char			*ctv = NULL, *cdv = NULL, *ctev = NULL;
	char			*type = NULL, *name = NULL, *cs = NULL, *dec = NULL;
	char			*txt = NULL, disp[32], cte[32];
	unsigned char		*copy = NULL;
	size_t			 hn = 0, body, dn = 0, tn;
	int			 cut = 0, text;

	if (start != NULL)
		hn = hdr_block(start, mm->mm_length, &body);
	if (start != NULL) {
		ctv = part_raw(start, hn, "Content-Type");
		cdv = part_raw(start, hn, "Content-Disposition");
		ctev = part_raw(start, hn, "Content-Transfer-Encoding");
	}
	if (ctv != NULL)
		type = decode_ctype(ctv, strlen(ctv));
	if (type == NULL && (type = ct_string(mm->mm_content_type)) == NULL)
		goto oom;
	first_word(cdv, disp, sizeof(disp));
	first_word(ctev, cte, sizeof(cte));
	if (cdv != NULL)
		name = decode_param(cdv, strlen(cdv), "filename");
	if (name == NULL && ctv != NULL)
		name = decode_param(ctv, strlen(ctv), "name");
	if (name != NULL && *name == '\0') {
		free(name);
		name = NULL;
	}

	/* Reports' machinery: what makes a bounce, not an attachment. */
	if (is_type(type, "message/delivery-status") ||
	    is_type(type, "message/global-delivery-status") ||
	    is_type(type, "message/disposition-notification")) {
		if (!(fl & W_FWD))
			w->m->is_dsn = 1;
		goto out;
	}
	text = name == NULL && strcmp(disp, "attachment") != 0 &&
	    (is_type(type, "text/plain") || is_type(type, "text/html") ||
	    strncmp(type, "multipart/", 10) == 0);
	/* The other versions of a multipart/alternative's text. */
	if (text && !(fl & W_TEXT))
		goto out;
	if (d == NULL || d->dt_type != MAILMIME_DATA_TEXT) {
		if (text)
			goto out;
		dn = 0;
	} else if (!text && is_base64(cte) && d->dt_data.dt_text.dt_length >
	    MIME_PIECE && (dn = decode_base64_size(d->dt_data.dt_text.dt_data,
	    d->dt_data.dt_text.dt_length)) > LIM_PDF_BYTES) {
		if (dn > LIM_ATTACHMENT_BYTES)
			goto too_large;
		if (add_large(w, &name, &type, d->dt_data.dt_text.dt_data,
		    d->dt_data.dt_text.dt_length, dn) == 0)
			goto out;
		/* A winmail.dat: read whole for its files. */
		if ((dec = decode_body(d->dt_data.dt_text.dt_data,
		    d->dt_data.dt_text.dt_length, cte, &dn)) == NULL)
			goto oom;
	} else if ((dec = decode_body(d->dt_data.dt_text.dt_data,
	    d->dt_data.dt_text.dt_length, cte, &dn)) == NULL)
		goto oom;
	if (text) {
		if (ctv != NULL)
			cs = decode_param(ctv, strlen(ctv), "charset");
		txt = decode_charset(cs, dec, dn, LIM_MAIL_TEXT_BYTES, &tn,
		    &cut);
		if (txt == NULL)
			goto oom;
		if (is_type(type, "text/html")) {
			put_text(&bd->html, txt, tn);
			bd->has_html = 1;
		} else {
			if (bd->has_plain && bd->plain.len > 0 &&
			    bd->plain.p[bd->plain.len - 1] != '\n')
				buf_add(&bd->plain, "\n", 1);
			put_text(&bd->plain, txt, tn);
			bd->has_plain = 1;
		}
		if (cut)
			limit(w, "the text is longer than %d bytes: cut",
			    LIM_MAIL_TEXT_BYTES);
		goto out;
	}
	if (dn > LIM_ATTACHMENT_BYTES) {
too_large:
		limit(w, "attachment \"%s\" is larger than %d bytes: left "
		    "out", name != NULL ? name : "", LIM_ATTACHMENT_BYTES);
		goto out;
	}
	if (is_tnef(type, name, dec, dn) && add_tnef(w, dec, dn) == 0)
		goto out;
	if (name == NULL && (name = strdup("")) == NULL)
		goto oom;
	/* The decoded bytes are the attachment's: no copy. */
	copy = (unsigned char *)dec;
	dec = NULL;
	add_att(w, name, type, copy, dn);
	name = type = NULL;
	copy = NULL;
	goto out;
oom:
	w->oom = 1;
out:
	free(dec);
	free(ctv);
	free(cdv);
	free(ctev);
	free(type);
	free(name);
	free(cs);
	free(txt);
	free(copy);
}

/* The text of one message level: its plain parts, else its HTML. */
static char *
body_text(struct walk *w, struct body *bd, size_t *n)
{
	int	 cut = 0;
	char	*s;

	if (bd->has_plain || !bd->has_html) {
		s = strdup(bd->plain.p != NULL ? bd->plain.p : "");
		*n = s != NULL ? strlen(s) : 0;
		return s;
	}
	s = decode_html(bd->html.p != NULL ? bd->html.p : "", bd->html.len,
	    LIM_MAIL_TEXT_BYTES, n, &cut);
	if (cut)
		limit(w, "the text is longer than %d bytes: cut",
		    LIM_MAIL_TEXT_BYTES);
	return s;
}

static void
body_init(struct body *bd)
{
	memset(bd, 0, sizeof(*bd));
	buf_init(&bd->plain, LIM_MAIL_TEXT_BYTES);
	buf_init(&bd->html, LIM_MAIL_TEXT_BYTES * 4);
}

static void
body_free(struct body *bd)
{
	buf_free(&bd->plain);
	buf_free(&bd->html);
}

/*
 * A forwarded message: its own text after a block naming it.  It is
 * parsed again from its own bytes, because libetpan reads no headers
 * of a forwarded message that starts with an mbox "From " line (as
 * "forward as attachment" often makes them), and a body encoded
 * against the rules must be decoded first.
 */
static void
walk_message(struct walk *w, struct mailmime *mm, int depth)
{
	static const char *const shown[] = { "From", "Date", "Subject" };
	struct mailmime	*tree = NULL;
	struct body	 bd;
	struct hfield	 f;
	const char	*in;
	size_t		 hn, body, n, il, idx = 0, i, skip;
	char		*v, *t, *ctev, cte[32], *dec = NULL;

	body_init(&bd);
	buf_puts(&w->fwd, w->fwd.len > 0 ? "\n\n" FWD_LINE : FWD_LINE);
	if (mm->mm_mime_start == NULL)
		goto out;
	hn = hdr_block(mm->mm_mime_start, mm->mm_length, &body);
	ctev = part_raw(mm->mm_mime_start, hn, "Content-Transfer-Encoding");
	first_word(ctev, cte, sizeof(cte));
	free(ctev);
	in = mm->mm_mime_start + body;
	il = mm->mm_length - body;
	if (strcmp(cte, "base64") == 0 || strcmp(cte, "quoted-printable") == 0) {
		if ((dec = decode_body(in, il, cte, &il)) == NULL) {
			w->oom = 1;
			goto out;
		}
		in = dec;
	}
	if (il > 5 && memcmp(in, "From ", 5) == 0) {
		skip = line_len(in, il);
		in += skip;
		il -= skip;
	}
	hn = hdr_block(in, il, &body);
	for (i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
		if (!hdr_get(in, hn, shown[i], 0, &f))
			continue;
		if ((v = hvalue(&f, NULL)) == NULL) {
			w->oom = 1;
			goto out;
		}
		buf_printf(&w->fwd, "%s: %s\n", shown[i], v);
		free(v);
	}
	buf_add(&w->fwd, "\n", 1);
	if (mailmime_parse(in, il, &idx, &tree) != MAILIMF_NO_ERROR ||
	    tree == NULL)
		body_as_text(w, &bd, in, hn, in + body, il - body);
	else if (tree->mm_type == MAILMIME_MESSAGE) {
		if (tree->mm_data.mm_message.mm_msg_mime != NULL)
			walk_mime(w, &bd, tree->mm_data.mm_message.mm_msg_mime,
			    depth + 1, W_TEXT | W_FWD);
	} else
		walk_mime(w, &bd, tree, depth + 1, W_TEXT | W_FWD);
	if ((t = body_text(w, &bd, &n)) == NULL)
		w->oom = 1;
	else
		buf_add(&w->fwd, t, n);
	free(t);
out:
	if (tree != NULL)
		mailmime_free(tree);
	free(dec);	/* decode_body's copy: not libetpan's */
	body_free(&bd);
}

/* Index of the alternative whose text to read: the first text/plain
 * (not an attachment), else the last, the richest. */
static int
alt_choice(clist *l)
{
	clistiter	*c;
	struct mailmime	*k;
	int		 i = 0, last = -1;
	char		*t;

	for (c = clist_begin(l); c != NULL; c = clist_next(c), i++) {
		k = clist_content(c);
		last = i;
		if (k->mm_type != MAILMIME_SINGLE)
			continue;
		t = ct_string(k->mm_content_type);
		if (is_type(t, "text/plain")) {
			free(t);
			return i;
		}
		free(t);
	}
	return last;
}

static void
walk_mime(struct walk *w, struct body *bd, struct mailmime *mm, int depth,
    int fl)
{
	clistiter	*c;
	int		 i, pick;
	const char	*sub;

	if (w->stop || w->oom)
		return;
	if (depth > LIM_MIME_DEPTH) {
		limit(w, "MIME parts nested more than %d deep",
		    LIM_MIME_DEPTH);
		w->stop = 1;
		return;
	}
	if (++w->parts > LIM_MIME_PARTS) {
		limit(w, "more than %d MIME parts", LIM_MIME_PARTS);
		w->stop = 1;
		return;
	}
	switch (mm->mm_type) {
	case MAILMIME_SINGLE:
		walk_single(w, bd, mm, fl);
		break;
	case MAILMIME_MULTIPLE:
		sub = mm->mm_content_type != NULL &&
		    mm->mm_content_type->ct_subtype != NULL ?
		    mm->mm_content_type->ct_subtype : "mixed";
		if (strcasecmp(sub, "report") == 0 && !(fl & W_FWD))
			w->m->is_dsn = 1;
		pick = strcasecmp(sub, "alternative") == 0 ?
		    alt_choice(mm->mm_data.mm_multipart.mm_mp_list) : -1;
		i = 0;
		for (c = clist_begin(mm->mm_data.mm_multipart.mm_mp_list);
		    c != NULL; c = clist_next(c), i++)
			walk_mime(w, bd, clist_content(c), depth + 1,
			    pick == -1 || pick == i ? fl : fl & ~W_TEXT);
		break;
	case MAILMIME_MESSAGE:
		walk_message(w, mm, depth);
		break;
	default:
		break;
	}
}

/* When libetpan refuses the body: all of it as text in its charset. */
static void
body_as_text(struct walk *w, struct body *bd, const char *hb, size_t hn,
    const char *b, size_t n)
{
	char	*ctv, *cs = NULL, *t;
	size_t	 tn;
	int	 cut = 0;

	if ((ctv = part_raw(hb, hn, "Content-Type")) != NULL)
		cs = decode_param(ctv, strlen(ctv), "charset");
	if ((t = decode_charset(cs, b, n, LIM_MAIL_TEXT_BYTES, &tn, &cut)) ==
	    NULL)
		w->oom = 1;
	else {
		put_text(&bd->plain, t, tn);
		bd->has_plain = 1;
	}
	if (cut)
		limit(w, "the text is longer than %d bytes: cut",
		    LIM_MAIL_TEXT_BYTES);
	free(t);
	free(cs);
	free(ctv);
}

struct message *
mime_parse(const char *raw, size_t len, char *err, size_t errsz)
{
	struct message	*m;
	struct mailmime	*mime = NULL;
	struct walk	 w;
	struct body	 bd;
	struct buf	 all;
	const char	*hb;
	size_t		 hn, hl, body, idx = 0, n, skip;
	char		 why[256], *t = NULL;
	int		 r;

	if ((m = calloc(1, sizeof(*m))) == NULL) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	memset(&w, 0, sizeof(w));
	w.m = m;
	buf_init(&w.fwd, LIM_MAIL_TEXT_BYTES);
	body_init(&bd);
	buf_init(&all, LIM_MAIL_TEXT_BYTES);
	if (raw == NULL)
		len = 0;
	hb = raw;
	hl = len;
	hn = hdr_end(raw, len, &body);
	if (hn > LIM_HEADER_BYTES) {
		hn = LIM_HEADER_BYTES;
		limit(&w, "the header section is larger than %d bytes",
		    LIM_HEADER_BYTES);
	}
	if (read_headers(m, raw, hn) == -1)
		w.oom = 1;
	if (m->truncated)
		goto done;
	if (len > LIM_MAIL_BYTES) {
		limit(&w, "the message is larger than %d bytes: only its "
		    "headers were read", LIM_MAIL_BYTES);
		goto done;
	}
	/* An mbox "From " line first stops libetpan reading headers. */
	if (len > 5 && memcmp(raw, "From ", 5) == 0) {
		skip = line_len(raw, len);
		raw += skip;
		len -= skip;
	}
	if (prescan(raw, len, why, sizeof(why)) == -1) {
		limit(&w, "%s: only the headers were read", why);
		goto done;
	}
	r = mailmime_parse(raw, len, &idx, &mime);
	if (r != MAILIMF_NO_ERROR || mime == NULL) {
		body_as_text(&w, &bd, hb, hn, hb + body, hl - body);
		goto done;
	}
	if (mime->mm_type == MAILMIME_MESSAGE) {
		if (mime->mm_data.mm_message.mm_msg_mime != NULL)
			walk_mime(&w, &bd, mime->mm_data.mm_message.mm_msg_mime,
			    0, W_TEXT);
	} else
		walk_mime(&w, &bd, mime, 0, W_TEXT);
done:
	/* Free the tree before the caller may free raw. */
	if (mime != NULL)
		mailmime_free(mime);
	if ((t = body_text(&w, &bd, &n)) == NULL)
		w.oom = 1;
	else {
		/* No trailing blank lines, then the forwards. */
		while (n > 0 && (t[n - 1] == '\n' || t[n - 1] == ' '))
			n--;
		buf_add(&all, t, n);
		if (w.fwd.len > 0) {
			if (n > 0)
				buf_add(&all, "\n\n", 2);
			buf_add(&all, w.fwd.p, w.fwd.len);
		}
		if (all.overflow || w.fwd.overflow)
			limit(&w, "the text is longer than %d bytes: cut",
			    LIM_MAIL_TEXT_BYTES);
		m->text = strdup(all.p != NULL ? all.p : "");
		if (m->text == NULL)
			w.oom = 1;
	}
	free(t);
	buf_free(&all);
	buf_free(&w.fwd);
	body_free(&bd);
	if (w.oom) {
		snprintf(err, errsz, "out of memory");
		message_free(m);
		return NULL;
	}
	return m;
}

void
message_free(struct message *m)
{
	size_t	 i;

	if (m == NULL)
		return;
	free(m->message_id);
	free(m->in_reply_to);
	free(m->references);
	free(m->from);
	free(m->from_name);
	free(m->reply_to);
	free(m->to);
	free(m->delivered_to);
	free(m->subject);
	free(m->date);
	free(m->auto_submitted);
	free(m->auth_results);
	free(m->text);
	for (i = 0; i < m->natt; i++) {
		free(m->att[i].name);
		free(m->att[i].type);
		free(m->att[i].data);
	}
	free(m->att);
	free(m->problem);
	free(m);
}
