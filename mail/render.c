/*
 * Outbox rows into RFC 5322 messages, through text templates an
 * operator can edit (see render.h for the template language).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "lib/date.h"
#include "forms/form.h"
#include "token.h"
#include "render.h"

const char *const render_templates[] = {
	"license_created",
	"license_corrected",
	"license_canceled",
	"license_confirmed",
	"batch_created",
	"verify_email",
	"reset_password",
	"password_changed",
	"submission_received",
	"submission_approved",
	"submission_rejected",
	"reply_confirmed",
	"reply_corrected",
	"reply_refused",
	"staff_question",
	"staff_reply",
	NULL
};

#define NTEMPLATES	16
#define NAME_MAX_LEN	64	/* bytes of a placeholder name */
/* An encoded-word carries at most 45 bytes: 60 base64 characters in
 * "=?UTF-8?B?...?=", 75 in all (RFC 2047 section 2). */
#define EW_BYTES	45
#define LINE_MAX_LEN	998	/* RFC 5322 2.1.1 */
#define QP_LINE		76	/* RFC 2045 6.7 */

static const char *const errs[RENDER__MAX] = {
	[RENDER_OK] = "rendered",
	[RENDER_TEMPLATE] = "no template of that name",
	[RENDER_PARAMS] = "the row's parameters or Message-ID are damaged",
	[RENDER_ADDRESS] = "a recipient is not a plain email address",
	[RENDER_TOKEN] = "a reply token is needed but no key is loaded",
	[RENDER_TOO_LARGE] = "the message is too large",
	[RENDER_NOMEM] = "out of memory",
};

struct tmpl {
	char	*subject;	/* the Subject line, after "Subject:" */
	char	*body;		/* standalone tag lines taken out */
};

struct render {
	char		*dir;
	char		*domain;
	char		*from_name;
	char		*aluminum_user;
	char		*steel_user;
	char		*site;
	unsigned char	 key[64];
	size_t		 keylen;	/* 0: no tokens */
	struct tmpl	 t[NTEMPLATES];
};

/* Expansion state: the stack of contexts names are looked up in. */
struct ctx {
	json_t		*stack[RENDER_DEPTH + 2];
	int		 depth;
	int		 oneline;	/* Subject: line breaks to spaces */
	struct buf	*out;
};

const char *
render_strerror(enum render_err e)
{
	return (unsigned)e < RENDER__MAX ? errs[e] : "unknown error";
}

int
render_err_permanent(enum render_err e)
{
	return e == RENDER_PARAMS || e == RENDER_ADDRESS ||
	    e == RENDER_TOO_LARGE;
}

void
render_conf_from(struct render_conf *rc, const struct config *cfg,
    int keyed)
{
	memset(rc, 0, sizeof(*rc));
	rc->templates_dir = cfg->templates_dir;
	rc->domain = cfg->mail_domain;
	rc->from_name = cfg->from_name;
	rc->aluminum_user = cfg->aluminum_user;
	rc->steel_user = cfg->steel_user;
	rc->site = cfg->base_url;
	if (keyed) {
		rc->key = cfg->secret;
		rc->keylen = sizeof(cfg->secret);
	}
}

static int
template_index(const char *name)
{
	int	 i;

	for (i = 0; render_templates[i] != NULL; i++)
		if (strcmp(render_templates[i], name) == 0)
			return i;
	return -1;
}

/* ---------------------------------------------------------------- */
/* Loading templates                                                 */
/* ---------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t		 len, i;
	unsigned int	 c;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	c = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++)
		c = (c << 6) | (s[i] & 0x3f);
	/* Overlong forms, surrogates and past U+10FFFF. */
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	return len;
}

static int
utf8_valid(const char *s, size_t n)
{
	size_t	 i = 0, k;

	while (i < n) {
		if ((k = utf8_len((const unsigned char *)s + i, n - i)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

/* A placeholder name: "." or words of [A-Za-z0-9_] joined by dots. */
static int
name_ok(const char *s, size_t n)
{
	size_t	 i;
	int	 prev_dot = 1;

	if (n == 1 && s[0] == '.')
		return 1;
	if (n == 0 || n >= NAME_MAX_LEN)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (prev_dot)
				return 0;
			prev_dot = 1;
		} else if (isalnum((unsigned char)s[i]) || s[i] == '_')
			prev_dot = 0;
		else
			return 0;
	}
	return !prev_dot;
}

/* The tag between "{{" and "}}": its kind ('#', '^', '/', '!' or 0
 * for a value) and its name, blanks trimmed. */
static void
tag_parse(const char *s, size_t n, char *kind, const char **name,
    size_t *namelen)
{
	*kind = 0;
	if (n > 0 && strchr("#^/!", s[0]) != NULL) {
		*kind = s[0];
		s++;
		n--;
	}
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*name = s;
	*namelen = n;
}

/* Checks the tags of s: closed, known, balanced, not too deep.  line0
 * is the file line s starts on, for the message. */
static int
tags_check(const char *s, const char *file, int line0, char *err,
    size_t errsz)
{
	const char	*p = s, *q, *e, *name;
	char		 open[RENDER_DEPTH][NAME_MAX_LEN], kind;
	int		 openline[RENDER_DEPTH], depth = 0, line = line0;
	size_t		 n;

	while ((q = strstr(p, "{{")) != NULL) {
		for (; p < q; p++)
			line += *p == '\n';
		if ((e = strstr(q + 2, "}}")) == NULL ||
		    memchr(q + 2, '\n', e - q - 2) != NULL) {
			snprintf(err, errsz, "%s:%d: \"{{\" without \"}}\" on "
			    "the same line", file, line);
			return -1;
		}
		tag_parse(q + 2, e - q - 2, &kind, &name, &n);
		p = e + 2;
		if (kind == '!')
			continue;
		if (!name_ok(name, n) || (kind != 0 && n == 1 &&
		    name[0] == '.')) {
			snprintf(err, errsz, "%s:%d: bad placeholder "
			    "\"{{%.*s}}\"", file, line, (int)(e - q - 2),
			    q + 2);
			return -1;
		}
		if (kind == '#' || kind == '^') {
			if (depth == RENDER_DEPTH) {
				snprintf(err, errsz, "%s:%d: sections nested "
				    "deeper than %d", file, line,
				    RENDER_DEPTH);
				return -1;
			}
			memcpy(open[depth], name, n);
			open[depth][n] = '\0';
			openline[depth++] = line;
		} else if (kind == '/') {
			if (depth == 0 || strlen(open[depth - 1]) != n ||
			    memcmp(open[depth - 1], name, n) != 0) {
				snprintf(err, errsz, "%s:%d: \"{{/%.*s}}\" "
				    "closes %s%s%s", file, line, (int)n, name,
				    depth ? "{{#" : "no section",
				    depth ? open[depth - 1] : "",
				    depth ? "}}" : "");
				return -1;
			}
			depth--;
		}
	}
	if (depth > 0) {
		snprintf(err, errsz, "%s:%d: \"{{#%s}}\" is never closed",
		    file, openline[depth - 1], open[depth - 1]);
		return -1;
	}
	return 0;
}

/* Whether line (n bytes, no newline) is blanks and one section tag or
 * comment: then the tag stays and the line goes. */
static int
standalone(const char *line, size_t n, size_t *tag, size_t *taglen)
{
	size_t	 a = 0, b = n;
	const char *e;

	while (a < n && (line[a] == ' ' || line[a] == '\t'))
		a++;
	while (b > a && (line[b - 1] == ' ' || line[b - 1] == '\t'))
		b--;
	if (b - a < 5 || line[a] != '{' || line[a + 1] != '{' ||
	    strchr("#^/!", line[a + 2]) == NULL ||
	    line[b - 1] != '}' || line[b - 2] != '}')
		return 0;
	/* One tag only. */
	if ((e = memmem(line + a + 2, b - a - 2, "}}", 2)) == NULL ||
	    (size_t)(e - line) + 2 != b)
		return 0;
	*tag = a;
	*taglen = b - a;
	return 1;
}

static char *
strip_standalone(const char *s)
{
	struct buf	 b;
	const char	*p = s, *nl;
	size_t		 n, tag, taglen;
	char		*r;

	buf_init(&b, RENDER_TEMPLATE_BYTES);
	while (*p != '\0') {
		nl = strchr(p, '\n');
		n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (standalone(p, n, &tag, &taglen))
			buf_add(&b, p + tag, taglen);
		else {
			buf_add(&b, p, n);
			if (nl != NULL)
				buf_add(&b, "\n", 1);
		}
		p += n + (nl != NULL);
	}
	if (b.overflow) {
		buf_free(&b);
		return NULL;
	}
	r = strdup(buf_str(&b));
	buf_free(&b);
	return r;
}

static void
tmpl_clear(struct tmpl *t)
{
	free(t->subject);
	free(t->body);
	t->subject = t->body = NULL;
}

/* Reads dir/name.txt into t. */
static int
tmpl_load(const char *dir, const char *name, struct tmpl *t, char *err,
    size_t errsz)
{
	FILE	*f = NULL;
	char	 path[CONFIG_PATH_MAX + 80], *text = NULL, *p, *nl, *w;
	size_t	 n;
	int	 rc = -1;

	memset(t, 0, sizeof(*t));
	if ((size_t)snprintf(path, sizeof(path), "%s/%s.txt", dir, name) >=
	    sizeof(path)) {
		snprintf(err, errsz, "%s: path too long", dir);
		goto out;
	}
	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		goto out;
	}
	if ((text = malloc(RENDER_TEMPLATE_BYTES + 1)) == NULL) {
		snprintf(err, errsz, "%s: out of memory", path);
		goto out;
	}
	n = fread(text, 1, RENDER_TEMPLATE_BYTES + 1, f);
	if (ferror(f)) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (n > RENDER_TEMPLATE_BYTES) {
		snprintf(err, errsz, "%s: larger than %d bytes", path,
		    RENDER_TEMPLATE_BYTES);
		goto out;
	}
	text[n] = '\0';
	if (memchr(text, '\0', n) != NULL || !utf8_valid(text, n)) {
		snprintf(err, errsz, "%s: not UTF-8 text", path);
		goto out;
	}
	/* Editors' CR LF and byte order mark. */
	for (p = w = text; *p != '\0'; p++)
		if (!(p[0] == '\r' && p[1] == '\n'))
			*w++ = *p;
	*w = '\0';
	p = text;
	if (strncmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	if (strncasecmp(p, "Subject:", 8) != 0 ||
	    (nl = strchr(p, '\n')) == NULL) {
		snprintf(err, errsz, "%s:1: the first line must be "
		    "\"Subject: ...\"", path);
		goto out;
	}
	*nl = '\0';
	if (nl[1] != '\n') {
		snprintf(err, errsz, "%s:2: a blank line must follow the "
		    "Subject", path);
		goto out;
	}
	p += 8;
	while (*p == ' ' || *p == '\t')
		p++;
	if (tags_check(p, path, 1, err, errsz) == -1 ||
	    tags_check(nl + 2, path, 3, err, errsz) == -1)
		goto out;
	if ((t->subject = strdup(p)) == NULL ||
	    (t->body = strip_standalone(nl + 2)) == NULL) {
		snprintf(err, errsz, "%s: out of memory", path);
		goto out;
	}
	rc = 0;
out:
	if (rc == -1)
		tmpl_clear(t);
	if (f != NULL)
		fclose(f);
	free(text);
	return rc;
}

static int
load_all(const char *dir, struct tmpl *t, char *err, size_t errsz)
{
	int	 i, j;

	for (i = 0; i < NTEMPLATES; i++)
		if (tmpl_load(dir, render_templates[i], &t[i], err,
		    errsz) == -1) {
			for (j = 0; j < i; j++)
				tmpl_clear(&t[j]);
			return -1;
		}
	return 0;
}

struct render *
render_new(const struct render_conf *rc, char *err, size_t errsz)
{
	struct render	*r;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	if (rc->keylen > sizeof(r->key)) {
		snprintf(err, errsz, "token key longer than %zu bytes",
		    sizeof(r->key));
		goto fail;
	}
	if ((r->dir = strdup(rc->templates_dir)) == NULL ||
	    (r->domain = strdup(rc->domain)) == NULL ||
	    (r->from_name = strdup(rc->from_name)) == NULL ||
	    (r->aluminum_user = strdup(rc->aluminum_user)) == NULL ||
	    (r->steel_user = strdup(rc->steel_user)) == NULL ||
	    (r->site = strdup(rc->site != NULL ? rc->site : "")) == NULL) {
		snprintf(err, errsz, "out of memory");
		goto fail;
	}
	if (rc->key != NULL && rc->keylen > 0) {
		memcpy(r->key, rc->key, rc->keylen);
		r->keylen = rc->keylen;
	}
	if (load_all(r->dir, r->t, err, errsz) == -1)
		goto fail;
	return r;
fail:
	render_free(r);
	return NULL;
}

int
render_reload(struct render *r, char *err, size_t errsz)
{
	struct tmpl	 t[NTEMPLATES];
	int		 i;

	if (load_all(r->dir, t, err, errsz) == -1)
		return -1;
	for (i = 0; i < NTEMPLATES; i++) {
		tmpl_clear(&r->t[i]);
		r->t[i] = t[i];
	}
	return 0;
}

void
render_free(struct render *r)
{
	int	 i;

	if (r == NULL)
		return;
	for (i = 0; i < NTEMPLATES; i++)
		tmpl_clear(&r->t[i]);
	free(r->dir);
	free(r->domain);
	free(r->from_name);
	free(r->aluminum_user);
	free(r->steel_user);
	free(r->site);
	explicit_bzero(r->key, sizeof(r->key));
	free(r);
}

/* ---------------------------------------------------------------- */
/* Expanding templates                                               */
/* ---------------------------------------------------------------- */

/* Text of a value into the output: control characters dropped (line
 * breaks kept in the body, made spaces in the Subject). */
static void
emit_text(struct ctx *c, const char *s, size_t n)
{
	size_t	 i, start = 0;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch >= 0x20 && ch != 0x7f)
			continue;
		buf_add(c->out, s + start, i - start);
		start = i + 1;
		if (c->oneline && (ch == '\n' || ch == '\r' || ch == '\t'))
			buf_add(c->out, " ", 1);
		else if (!c->oneline && (ch == '\n' || ch == '\r' ||
		    ch == '\t'))
			buf_add(c->out, s + i, 1);
	}
	buf_add(c->out, s + start, n - start);
}

static void
emit_value(struct ctx *c, const json_t *v)
{
	char	 num[64];

	if (json_is_string(v))
		emit_text(c, json_string_value(v), json_string_length(v));
	else if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		buf_puts(c->out, num);
	} else if (json_is_real(v)) {
		snprintf(num, sizeof(num), "%g", json_real_value(v));
		buf_puts(c->out, num);
	} else if (json_is_true(v))
		buf_puts(c->out, "yes");
	else if (json_is_false(v))
		buf_puts(c->out, "no");
}

static int
truthy(const json_t *v)
{
	if (v == NULL || json_is_null(v) || json_is_false(v))
		return 0;
	if (json_is_string(v))
		return json_string_length(v) > 0;
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	if (json_is_real(v))
		return json_real_value(v) != 0.0;
	if (json_is_array(v))
		return json_array_size(v) > 0;
	return 1;
}

/* name (n bytes): the innermost context holding its first word, then
 * down its dots. */
static json_t *
lookup(const struct ctx *c, const char *name, size_t n)
{
	char		 key[NAME_MAX_LEN], *seg, *dot;
	json_t		*v = NULL;
	int		 i;

	if (n == 1 && name[0] == '.')
		return c->depth > 0 ? c->stack[c->depth - 1] : NULL;
	if (n >= sizeof(key))
		return NULL;
	memcpy(key, name, n);
	key[n] = '\0';
	seg = key;
	if ((dot = strchr(seg, '.')) != NULL)
		*dot = '\0';
	for (i = c->depth - 1; i >= 0; i--)
		if (json_is_object(c->stack[i]) &&
		    (v = json_object_get(c->stack[i], seg)) != NULL)
			break;
	while (v != NULL && dot != NULL) {
		seg = dot + 1;
		if ((dot = strchr(seg, '.')) != NULL)
			*dot = '\0';
		v = json_is_object(v) ? json_object_get(v, seg) : NULL;
	}
	return v;
}

/* The end of the section whose inside starts at s: the length of its
 * inside and where its closing tag ends (tags were checked). */
static int
section_end(const char *s, size_t len, size_t *inner, size_t *after)
{
	const char	*p = s, *end = s + len, *q, *e, *name;
	size_t		 n;
	char		 kind;
	int		 depth = 1;

	while ((q = memmem(p, end - p, "{{", 2)) != NULL) {
		if ((e = memmem(q + 2, end - q - 2, "}}", 2)) == NULL)
			return -1;
		tag_parse(q + 2, e - q - 2, &kind, &name, &n);
		p = e + 2;
		if (kind == '#' || kind == '^')
			depth++;
		else if (kind == '/' && --depth == 0) {
			*inner = q - s;
			*after = p - s;
			return 0;
		}
	}
	return -1;
}

static int
expand(struct ctx *c, const char *s, size_t len)
{
	const char	*p = s, *end = s + len, *q, *e, *name;
	json_t		*v, *el;
	size_t		 n, inner, after, i;
	char		 kind;

	while (p < end) {
		if ((q = memmem(p, end - p, "{{", 2)) == NULL) {
			buf_add(c->out, p, end - p);
			break;
		}
		buf_add(c->out, p, q - p);
		if ((e = memmem(q + 2, end - q - 2, "}}", 2)) == NULL)
			return -1;
		tag_parse(q + 2, e - q - 2, &kind, &name, &n);
		p = e + 2;
		if (kind == '!')
			continue;
		if (kind == 0) {
			if ((v = lookup(c, name, n)) != NULL)
				emit_value(c, v);
			continue;
		}
		if (kind == '/' || section_end(p, end - p, &inner,
		    &after) == -1 || c->depth >= (int)(sizeof(c->stack) /
		    sizeof(c->stack[0])))
			return -1;
		v = lookup(c, name, n);
		if (kind == '^') {
			if (!truthy(v) && expand(c, p, inner) == -1)
				return -1;
		} else if (json_is_array(v)) {
			json_array_foreach(v, i, el) {
				c->stack[c->depth++] = el;
				if (expand(c, p, inner) == -1)
					return -1;
				c->depth--;
			}
		} else if (truthy(v)) {
			c->stack[c->depth++] = v;
			if (expand(c, p, inner) == -1)
				return -1;
			c->depth--;
		}
		p += after;
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* Headers                                                           */
/* ---------------------------------------------------------------- */

int
render_address_ok(const char *a)
{
	const char	*at = NULL, *p;
	size_t		 n;

	if (a == NULL || (n = strlen(a)) < 3 || n > LIM_EMAIL_BYTES)
		return 0;
	for (p = a; *p != '\0'; p++) {
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f ||
		    strchr("<>()[]\\,;:\"", *p) != NULL)
			return 0;
		if (*p == '@') {
			if (at != NULL)
				return 0;
			at = p;
		}
	}
	return at != NULL && at != a && at[1] != '\0' && at[1] != '.' &&
	    a[n - 1] != '.';
}

/* A Message-ID as we write it in headers: <left@right>, no blanks. */
static int
msgid_ok(const char *s)
{
	size_t	 n, i;

	if (s == NULL || (n = strlen(s)) < 5 || n > 250 || s[0] != '<' ||
	    s[n - 1] != '>' || strchr(s, '@') == NULL)
		return 0;
	for (i = 1; i < n - 1; i++)
		if ((unsigned char)s[i] <= 0x20 ||
		    (unsigned char)s[i] >= 0x7f || s[i] == '<' || s[i] == '>')
			return 0;
	return 1;
}

/* text as encoded-words on lines of at most 76 characters (RFC 2047
 * section 2), joined by folds; col is the column the first starts at. */
static void
encoded_words(struct buf *b, const char *text, size_t col)
{
	const unsigned char	*s = (const unsigned char *)text;
	unsigned char		 enc[4 * EW_BYTES / 3 + 4];
	size_t			 n = strlen(text), i = 0, take, k, room;

	while (i < n) {
		/* "=?UTF-8?B?" and "?=" are 12; base64 comes in fours. */
		room = col + 12 + 8 <= 76 ? (76 - col - 12) / 4 * 3 : 0;
		if (room > EW_BYTES)
			room = EW_BYTES;
		if (room < 4) {
			buf_puts(b, "\r\n ");
			col = 1;
			continue;
		}
		/* Whole characters only: each word must decode alone. */
		for (take = 0; i + take < n; take += k) {
			if ((k = utf8_len(s + i + take, n - i - take)) == 0)
				k = 1;
			if (take + k > room)
				break;
		}
		if (take == 0)
			take = 1;
		EVP_EncodeBlock(enc, s + i, (int)take);
		buf_printf(b, "=?UTF-8?B?%s?=", enc);
		i += take;
		if (i < n) {
			buf_puts(b, "\r\n ");
			col = 1;
		}
	}
}

static int
needs_encoding(const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p >= 0x7f || *p < 0x20)
			return 1;
	return strstr(s, "=?") != NULL;
}

int
render_subject(struct buf *b, const char *text)
{
	const char	*p = text, *w;
	size_t		 col = 9, n;	/* after "Subject: " */

	if (needs_encoding(text)) {
		encoded_words(b, text, col);
		return b->overflow ? -1 : 0;
	}
	/* ASCII: folded at spaces to keep lines near 78 characters. */
	while (*p != '\0') {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		w = p;
		while (*p != '\0' && *p != ' ')
			p++;
		n = p - w;
		if (col > 9 && col + 1 + n > 78) {
			buf_puts(b, "\r\n ");
			col = 1;
		} else if (col > 9) {
			buf_puts(b, " ");
			col++;
		}
		buf_add(b, w, n);
		col += n;
	}
	return b->overflow ? -1 : 0;
}

/* The display name of From: atoms as they are, else a quoted string,
 * else (not ASCII) encoded-words. */
static void
phrase(struct buf *b, const char *name, size_t col)
{
	const char	*p;
	int		 plain = 1;

	if (needs_encoding(name)) {
		encoded_words(b, name, col);
		return;
	}
	for (p = name; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) &&
		    strchr(" !#$%&'*+-/=?^_`{|}~", *p) == NULL)
			plain = 0;
	if (plain && *name != '\0' && name[0] != ' ') {
		buf_puts(b, name);
		return;
	}
	buf_puts(b, "\"");
	for (p = name; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			buf_puts(b, "\\");
		buf_add(b, p, 1);
	}
	buf_puts(b, "\"");
}

static int
digits2(const char *s)
{
	return isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]);
}

/* created_at (YYYY-MM-DDTHH:MM:SSZ) as an RFC 5322 date; the clock
 * when it cannot be read. */
static void
date_header(struct buf *b, const char *iso)
{
	static const char *const wd[7] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const mon[12] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
		"Sep", "Oct", "Nov", "Dec" };
	char		 day[11];
	int		 days, y, m, d, hh, mm, ss;
	time_t		 t;
	struct tm	 tm;

	if (strlen(iso) == 20 && iso[10] == 'T' && iso[19] == 'Z' &&
	    iso[13] == ':' && iso[16] == ':' && digits2(iso + 11) &&
	    digits2(iso + 14) && digits2(iso + 17)) {
		memcpy(day, iso, 10);
		day[10] = '\0';
		hh = (iso[11] - '0') * 10 + iso[12] - '0';
		mm = (iso[14] - '0') * 10 + iso[15] - '0';
		ss = (iso[17] - '0') * 10 + iso[18] - '0';
		if (date_parse(day, &days) == 0 && hh < 24 && mm < 60 &&
		    ss < 61) {
			date_to_ymd(days, &y, &m, &d);
			buf_printf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d "
			    "+0000\r\n", wd[((days % 7) + 11) % 7], d,
			    mon[m - 1], y, hh, mm, ss);
			return;
		}
	}
	t = time(NULL);
	gmtime_r(&t, &tm);
	buf_printf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
	    wd[tm.tm_wday], tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* References: params.references (message-ids between blanks, the
 * last 20 kept) then in_reply_to, each once, folded one a line. */
static void
references(struct buf *b, const char *refs, const char *irt)
{
	char	 ids[21][252], tmp[252];
	int	 n = 0, i, dup;
	const char *p = refs != NULL ? refs : "", *w;
	size_t	 len;

	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		w = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\r' &&
		    *p != '\n')
			p++;
		if ((len = p - w) == 0 || len >= sizeof(tmp))
			continue;
		memcpy(tmp, w, len);
		tmp[len] = '\0';
		if (!msgid_ok(tmp))
			continue;
		if (n == 20) {
			memmove(ids[0], ids[1], sizeof(ids[0]) * 19);
			n = 19;
		}
		memcpy(ids[n++], tmp, len + 1);
	}
	dup = 0;
	for (i = 0; i < n; i++)
		dup |= strcmp(ids[i], irt) == 0;
	if (!dup)
		snprintf(ids[n++], sizeof(ids[0]), "%s", irt);
	buf_puts(b, "References:");
	for (i = 0; i < n; i++)
		buf_printf(b, "%s%s", i ? "\r\n " : " ", ids[i]);
	buf_puts(b, "\r\n");
}

/* ---------------------------------------------------------------- */
/* The body                                                          */
/* ---------------------------------------------------------------- */

/* s with every line end made CR LF and a last one added. */
static void
crlf(struct buf *out, const char *s, size_t n)
{
	size_t	 i, start = 0;

	for (i = 0; i < n; i++) {
		if (s[i] != '\r' && s[i] != '\n')
			continue;
		buf_add(out, s + start, i - start);
		buf_puts(out, "\r\n");
		if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
			i++;
		start = i + 1;
	}
	buf_add(out, s + start, n - start);
	if (n == 0 || (s[n - 1] != '\n' && s[n - 1] != '\r'))
		buf_puts(out, "\r\n");
}

/* Whether CR LF text can go as it is: ASCII, lines of at most 998. */
static int
seven_bit(const char *s, size_t n)
{
	size_t	 i, col = 0;

	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] >= 0x80)
			return 0;
		if (s[i] == '\n')
			col = 0;
		else if (++col > LINE_MAX_LEN)
			return 0;
	}
	return 1;
}

/* CR LF text as quoted-printable (RFC 2045 6.7): lines of at most 76
 * characters, blanks before a line end encoded. */
static void
qp(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t		 i, col = 0, tl;
	unsigned char	 ch;
	char		 tok[3];
	int		 eol_next;

	for (i = 0; i < n; i++) {
		ch = (unsigned char)s[i];
		if (ch == '\r' && i + 1 < n && s[i + 1] == '\n') {
			buf_puts(out, "\r\n");
			i++;
			col = 0;
			continue;
		}
		eol_next = i + 1 == n || (s[i + 1] == '\r' && i + 2 < n &&
		    s[i + 2] == '\n');
		if ((ch >= 33 && ch <= 126 && ch != '=') ||
		    ((ch == ' ' || ch == '\t') && !eol_next)) {
			tok[0] = (char)ch;
			tl = 1;
		} else {
			tok[0] = '=';
			tok[1] = hex[ch >> 4];
			tok[2] = hex[ch & 15];
			tl = 3;
		}
		/* Room for the token and a soft break's "=". */
		if (col + tl > QP_LINE - 1) {
			buf_puts(out, "=\r\n");
			col = 0;
		}
		buf_add(out, tok, tl);
		col += tl;
	}
}

/* ---------------------------------------------------------------- */
/* Rows                                                              */
/* ---------------------------------------------------------------- */

static const char *
str_param(const json_t *p, const char *key)
{
	const char	*s = json_string_value(json_object_get(p, key));

	return s != NULL ? s : "";
}

static void
set_default(json_t *p, const char *key, json_t *v)
{
	if (v == NULL)
		return;
	if (json_object_get(p, key) == NULL)
		json_object_set_new(p, key, v);
	else
		json_decref(v);
}

static void
add_where(json_t *a)
{
	json_t		*v;
	size_t		 i;
	char		 where[160];
	const char	*field;

	if (!json_is_array(a))
		return;
	json_array_foreach(a, i, v) {
		if (!json_is_object(v) || json_object_get(v, "where") != NULL)
			continue;
		if ((field = json_string_value(json_object_get(v,
		    "field"))) == NULL)
			field = "";
		form_field_words(field, where, sizeof(where));
		json_object_set_new(v, "where", json_string(where));
	}
}

/* The address user (local@domain) with +tag in its local part. */
static int
plus_address(char *out, size_t sz, const char *user, const char *tag,
    const char *domain)
{
	const char	*at = strchr(user, '@');
	int		 n;

	if (at != NULL)
		n = snprintf(out, sz, "%.*s+%s%s", (int)(at - user), user, tag,
		    at);
	else
		n = snprintf(out, sz, "%s+%s@%s", user, tag, domain);
	return n < 0 || (size_t)n >= sz ? -1 : 0;
}

/* The row's day, for a token's expiry: today if unreadable. */
static int
row_day(const struct outbox_row *row)
{
	char	 day[11];
	int	 d;

	if (strlen(row->created_at) >= 10) {
		memcpy(day, row->created_at, 10);
		day[10] = '\0';
		if (date_parse(day, &d) == 0)
			return d;
	}
	return date_today();
}

/* The Reply-To with a token, if this row's answer means something. */
static enum render_err
reply_token(struct render *r, const struct outbox_row *row, const json_t *p,
    const char *licensing, char *out, size_t sz)
{
	struct token	 t;
	char		 tok[TOKEN_LEN + 1];
	json_int_t	 item;

	*out = '\0';
	memset(&t, 0, sizeof(t));
	if (row->license_id > 0 &&
	    strcmp(str_param(p, "status"), "action_required") == 0) {
		t.kind = TOKEN_LICENSE;
		t.purpose = TOKEN_ACTION;
		t.id = row->license_id;
		t.expires = row_day(row) + RENDER_ACTION_DAYS;
	} else if (strcmp(row->template, "submission_received") == 0 &&
	    (item = json_integer_value(json_object_get(p, "item_id"))) > 0) {
		t.kind = TOKEN_QUEUE;
		t.purpose = TOKEN_SUBMISSION;
		t.id = item;
		t.expires = row_day(row) + RENDER_SUBMISSION_DAYS;
	} else if (strcmp(row->template, "staff_question") == 0 &&
	    row->license_id > 0) {
		/* The answer threads back onto the license for staff. */
		t.kind = TOKEN_LICENSE;
		t.purpose = TOKEN_QUESTION;
		t.id = row->license_id;
		t.expires = row_day(row) + RENDER_SUBMISSION_DAYS;
	} else if (strcmp(row->template, "staff_reply") == 0 &&
	    (item = json_integer_value(json_object_get(p, "item_id"))) > 0) {
		t.kind = TOKEN_QUEUE;
		t.purpose = TOKEN_QUESTION;
		t.id = item;
		t.expires = row_day(row) + RENDER_SUBMISSION_DAYS;
	} else
		return RENDER_OK;
	if (r->keylen == 0)
		return RENDER_TOKEN;
	if (token_make(&t, row->to, r->key, r->keylen, tok) == -1)
		return RENDER_PARAMS;
	if (plus_address(out, sz, licensing, tok, r->domain) == -1 ||
	    !render_address_ok(out)) {
		*out = '\0';
		return RENDER_PARAMS;
	}
	return RENDER_OK;
}

/* The parameters the templates see: the row's and the derived ones. */
static void
derive(struct render *r, json_t *p, const char *licensing,
    const char *reply_to)
{
	const char	*status = str_param(p, "status");
	const char	*product = str_param(p, "product");
	int		 steel = strcmp(product, "steel") == 0;
	int		 alu = strcmp(product, "aluminum") == 0;

	if (*status != '\0') {
		set_default(p, "action_required",
		    json_boolean(strcmp(status, "action_required") == 0));
		set_default(p, "status_words", json_string(
		    strcmp(status, "issued") == 0 ? "Issued" :
		    strcmp(status, "action_required") == 0 ?
		    "Action Required" : strcmp(status, "canceled") == 0 ?
		    "Canceled" : status));
	}
	set_default(p, "product_title", json_string(steel ? "Steel" :
	    alu ? "Aluminum" : ""));
	set_default(p, "license_kind", json_string(steel ?
	    "steel import license" : alu ? "aluminum import license" :
	    "import license"));
	set_default(p, "license_kind_title", json_string(steel ?
	    "Steel import license" : alu ? "Aluminum import license" :
	    "Import license"));
	set_default(p, "site", json_string(r->site));
	set_default(p, "licensing_address", json_string(licensing));
	set_default(p, "reply_address", json_string(reply_to));
	set_default(p, "has_flags", json_boolean(json_array_size(
	    json_object_get(p, "flags")) > 0));
	set_default(p, "has_errors", json_boolean(json_array_size(
	    json_object_get(p, "errors")) > 0));
	add_where(json_object_get(p, "flags"));
	add_where(json_object_get(p, "errors"));
}

/* Subject and body of template t with parameters p. */
static enum render_err
fill(const struct tmpl *t, json_t *p, char *subject, size_t subjsz,
    struct buf *body)
{
	struct ctx	 c;
	struct buf	 s;
	const char	*q;
	size_t		 n;
	enum render_err	 e = RENDER_NOMEM;

	buf_init(&s, RENDER_SUBJECT_BYTES * 8);
	memset(&c, 0, sizeof(c));
	c.stack[c.depth++] = p;
	c.oneline = 1;
	c.out = &s;
	if (expand(&c, t->subject, strlen(t->subject)) == -1) {
		e = RENDER_TEMPLATE;
		goto out;
	}
	/* Blanks squeezed; cut at a character's start. */
	n = 0;
	for (q = buf_str(&s); *q != '\0' && n + 1 < subjsz; q++)
		if (*q != ' ' || (n > 0 && subject[n - 1] != ' '))
			subject[n++] = *q;
	while (n > 0 && (subject[n - 1] == ' ' ||
	    !utf8_valid(subject, n)))
		n--;
	subject[n] = '\0';
	c.oneline = 0;
	c.out = body;
	c.depth = 1;
	if (expand(&c, t->body, strlen(t->body)) == -1) {
		e = RENDER_TEMPLATE;
		goto out;
	}
	e = body->overflow ? RENDER_TOO_LARGE : RENDER_OK;
out:
	buf_free(&s);
	return e;
}

/* The recipients: To, then each Cc (split at commas) not already in. */
static enum render_err
recipients(const struct outbox_row *row, struct rendered *out,
    struct buf *cc)
{
	const char	*p, *w;
	char		 a[LIM_EMAIL_BYTES + 1];
	size_t		 n, i;
	int		 dup;

	if (!render_address_ok(row->to))
		return RENDER_ADDRESS;
	snprintf(out->rcpt[0], sizeof(out->rcpt[0]), "%s", row->to);
	out->nrcpt = 1;
	for (p = row->cc != NULL ? row->cc : ""; *p != '\0';) {
		while (*p == ' ' || *p == ',')
			p++;
		w = p;
		while (*p != '\0' && *p != ',')
			p++;
		n = p - w;
		while (n > 0 && w[n - 1] == ' ')
			n--;
		if (n == 0)
			continue;
		if (n >= sizeof(a))
			return RENDER_ADDRESS;
		memcpy(a, w, n);
		a[n] = '\0';
		if (!render_address_ok(a))
			return RENDER_ADDRESS;
		for (dup = 0, i = 0; i < out->nrcpt; i++)
			dup |= strcasecmp(out->rcpt[i], a) == 0;
		if (dup)
			continue;
		if (out->nrcpt == RENDER_RCPT_MAX)
			return RENDER_ADDRESS;
		snprintf(out->rcpt[out->nrcpt++], sizeof(out->rcpt[0]), "%s",
		    a);
		buf_printf(cc, "%s%s", cc->len ? ",\r\n " : "", a);
	}
	return RENDER_OK;
}

enum render_err
render_row(struct render *r, const struct outbox_row *row,
    struct rendered *out)
{
	struct buf	 body, enc, cc;
	json_t		*p = NULL;
	const char	*licensing, *irt;
	char		 bracketed[260];
	int		 i, from_licensing;
	enum render_err	 e;

	memset(out, 0, sizeof(*out));
	buf_init(&out->msg, RENDER_MESSAGE_BYTES);
	buf_init(&body, RENDER_MESSAGE_BYTES);
	buf_init(&enc, RENDER_MESSAGE_BYTES);
	buf_init(&cc, 4096);
	if ((i = template_index(row->template)) < 0 ||
	    r->t[i].subject == NULL) {
		e = RENDER_TEMPLATE;
		goto out;
	}
	e = RENDER_PARAMS;
	if (row->params == NULL || !msgid_ok(row->message_id) ||
	    (p = json_loads(row->params, 0, NULL)) == NULL ||
	    !json_is_object(p))
		goto out;
	if ((e = recipients(row, out, &cc)) != RENDER_OK)
		goto out;
	out->auto_reply = outbox_is_auto_reply(row->template);
	licensing = strcmp(str_param(p, "product"), "steel") == 0 ?
	    r->steel_user : r->aluminum_user;
	from_licensing = strncmp(row->template, "submission_", 11) == 0 ||
	    strncmp(row->template, "reply_", 6) == 0;
	if ((e = reply_token(r, row, p, licensing, out->reply_to,
	    sizeof(out->reply_to))) != RENDER_OK)
		goto out;
	derive(r, p, licensing, out->reply_to);
	if ((e = fill(&r->t[i], p, out->subject, sizeof(out->subject),
	    &body)) != RENDER_OK)
		goto out;
	/* The envelope sender: see mail/sender.c. */
	if ((size_t)snprintf(out->from, sizeof(out->from), "noreply@%s",
	    r->domain) >= sizeof(out->from)) {
		e = RENDER_PARAMS;
		goto out;
	}

	date_header(&out->msg, row->created_at);
	buf_puts(&out->msg, "From: ");
	phrase(&out->msg, r->from_name, 6);
	buf_printf(&out->msg, "%s<%s>\r\n", needs_encoding(r->from_name) ?
	    "\r\n " : " ", from_licensing ? licensing : out->from);
	buf_printf(&out->msg, "To: %s\r\n", out->rcpt[0]);
	if (cc.len > 0)
		buf_printf(&out->msg, "Cc: %s\r\n", buf_str(&cc));
	buf_puts(&out->msg, "Subject: ");
	render_subject(&out->msg, out->subject);
	buf_puts(&out->msg, "\r\n");
	buf_printf(&out->msg, "Message-ID: %s\r\n", row->message_id);
	irt = str_param(p, "in_reply_to");
	/* Stored ids may come without their brackets (db/queue.c). */
	if (irt[0] != '\0' && irt[0] != '<' && strlen(irt) + 3 <
	    sizeof(bracketed)) {
		snprintf(bracketed, sizeof(bracketed), "<%s>", irt);
		irt = bracketed;
	}
	if (msgid_ok(irt)) {
		buf_printf(&out->msg, "In-Reply-To: %s\r\n", irt);
		references(&out->msg, str_param(p, "references"), irt);
	}
	if (out->reply_to[0] != '\0')
		buf_printf(&out->msg, "Reply-To: %s\r\n", out->reply_to);
	buf_puts(&out->msg, "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n");
	crlf(&enc, buf_str(&body), body.len);
	if (seven_bit(buf_str(&enc), enc.len))
		buf_puts(&out->msg, "Content-Transfer-Encoding: 7bit\r\n");
	else
		buf_puts(&out->msg, "Content-Transfer-Encoding: "
		    "quoted-printable\r\n");
	/* RFC 3834; Exchange's own way of asking for no auto-replies; our
	 * loop header, which our intake never answers. */
	buf_printf(&out->msg, "Auto-Submitted: %s\r\n", out->auto_reply ?
	    "auto-replied" : "auto-generated");
	buf_puts(&out->msg, "X-Auto-Response-Suppress: All\r\n");
	buf_printf(&out->msg, "X-AIM-Loop: %s\r\n", r->domain);
	buf_puts(&out->msg, "\r\n");
	if (seven_bit(buf_str(&enc), enc.len))
		buf_add(&out->msg, buf_str(&enc), enc.len);
	else
		qp(&out->msg, buf_str(&enc), enc.len);
	if (enc.overflow || out->msg.overflow)
		e = RENDER_TOO_LARGE;
	else
		e = RENDER_OK;
out:
	json_decref(p);
	buf_free(&body);
	buf_free(&enc);
	buf_free(&cc);
	return e;
}

void
rendered_free(struct rendered *out)
{
	buf_free(&out->msg);
}
