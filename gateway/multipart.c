/*
 * multipart/form-data, by hand: a body is a preamble, then parts each
 * opened by a delimiter line "--BOUNDARY" (after a CRLF, but for the
 * first at the very start), then "--BOUNDARY--" and an epilogue.  A
 * part is a header section, an empty line and its data up to the CRLF
 * of the next delimiter.  The searches are memmem (linear) and each is
 * bounded, so hostile bodies cost time in proportion to their size.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/hex.h"
#include "lib/limits.h"
#include "multipart.h"

/* Pieces of a parameter continued per RFC 2231 (filename*0, *1, ...). */
#define MP_PIECES	16
/* Longest boundary (RFC 2046). */
#define MP_BOUNDARY_MAX	70

static const char *const mp_errs[MP__MAX] = {
	"no error",
	"not multipart/form-data with a boundary",
	"the multipart body has no opening boundary or a part has no "
	    "header end",
	"the multipart body has no closing boundary: it was cut off",
	"the multipart body has too many parts",
	"a part's header section is too large",
	"the multipart body is too large",
	"out of memory",
};

/* A part's headers as far as a form needs them. */
struct part {
	char	*name;
	char	*filename;		/* NULL: a text field */
	char	*type;
	char	*plain;			/* filename= */
	char	*piece[MP_PIECES];	/* filename*N, filename* as 0 */
	int	 encoded[MP_PIECES];	/* filename*N*: percent-encoded */
	int	 skip;			/* not form-data */
};

/* A header parameter: name (lower case) and its unquoted value. */
struct param {
	char	 name[32];
	char	*val;
};

const char *
multipart_strerror(enum mp_err e)
{
	if ((int)e < 0 || e >= MP__MAX)
		return "unknown multipart error";
	return mp_errs[e];
}

static const char *
skip_ws(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

/*
 * The next ";name=value" of a header value from *pp (a token or a
 * quoted string with \" and \\ escapes).  Returns 1 with p filled
 * (p->val to free), 0 at the end, -1 on bad syntax, -2 without memory.
 */
static int
param_next(const char **pp, const char *end, struct param *p)
{
	const char	*s = skip_ws(*pp, end), *n;
	char		*v;
	size_t		 nl, vl = 0, i;

	if (s == end)
		return 0;
	if (*s != ';')
		return -1;
	if ((s = skip_ws(s + 1, end)) == end)
		return 0;	/* a ';' at the end */
	n = s;
	while (s < end && *s != '=' && *s != ';' && *s != ' ' && *s != '\t')
		s++;
	nl = s - n;
	s = skip_ws(s, end);
	if (nl == 0 || nl >= sizeof(p->name) || s == end || *s != '=')
		return -1;
	for (i = 0; i < nl; i++)
		p->name[i] = tolower((unsigned char)n[i]);
	p->name[nl] = '\0';
	s = skip_ws(s + 1, end);
	if ((v = malloc(end - s + 1)) == NULL)
		return -2;
	if (s < end && *s == '"') {
		for (s++; s < end && *s != '"'; s++) {
			/* Only these two: old browsers send Windows paths
			 * with bare backslashes. */
			if (*s == '\\' && s + 1 < end && (s[1] == '"' ||
			    s[1] == '\\'))
				s++;
			v[vl++] = *s;
		}
		if (s == end) {
			free(v);
			return -1;
		}
		s++;
	} else
		while (s < end && *s != ';' && *s != ' ' && *s != '\t')
			v[vl++] = *s++;
	v[vl] = '\0';
	p->val = v;
	*pp = s;
	return 1;
}

int
multipart_is(const char *ct)
{
	static const char	 mt[] = "multipart/form-data";
	size_t			 n = sizeof(mt) - 1;

	return ct != NULL && strncasecmp(ct, mt, n) == 0 && (ct[n] == '\0' ||
	    ct[n] == ';' || ct[n] == ' ' || ct[n] == '\t');
}

static int
bchar(int c)
{
	return isalnum(c) || strchr("'()+_,-./:=? ", c) != NULL;
}

int
multipart_boundary(const char *ct, char *out, size_t outsz)
{
	struct param	 p;
	const char	*s, *end;
	size_t		 n, i;
	int		 rc, found = -1;

	if (ct == NULL || (s = strchr(ct, ';')) == NULL)
		return -1;
	end = ct + strlen(ct);
	while ((rc = param_next(&s, end, &p)) == 1) {
		n = strlen(p.val);
		if (found == -1 && strcmp(p.name, "boundary") == 0 &&
		    n >= 1 && n <= MP_BOUNDARY_MAX && n < outsz &&
		    p.val[n - 1] != ' ') {
			for (i = 0; i < n && bchar((unsigned char)p.val[i]);
			    i++)
				;
			if (i == n) {
				memcpy(out, p.val, n + 1);
				found = (int)n;
			}
		}
		free(p.val);
	}
	return rc == 0 ? found : -1;
}

/*
 * Whether a delimiter's boundary ending just before s is a real one:
 * "--" closes the body; transport padding and CRLF open a part.  *next
 * is past it.
 */
static int
delim_end(const char *s, const char *end, const char **next, int *close)
{
	if (end - s >= 2 && s[0] == '-' && s[1] == '-') {
		*close = 1;
		*next = s + 2;
		return 1;
	}
	s = skip_ws(s, end);
	if (end - s >= 2 && s[0] == '\r' && s[1] == '\n') {
		*close = 0;
		*next = s + 2;
		return 1;
	}
	return 0;
}

/* The next delimiter ("\r\n--BOUNDARY", then as delim_end says) at or
 * after p: where its CRLF starts, or NULL.  A boundary followed by
 * anything else is data: a sender should never send one. */
static const char *
next_delim(const char *p, const char *end, const char *d, size_t dl,
    const char **next, int *close)
{
	const char	*q;

	while (p < end && (q = memmem(p, end - p, d, dl)) != NULL) {
		if (delim_end(q + dl, end, next, close))
			return q;
		p = q + 1;
	}
	return NULL;
}

/* A part's header section from pos: its length with the last CRLF,
 * and where the data starts. */
static enum mp_err
headers_span(const char *pos, const char *end, size_t *hlen,
    const char **data)
{
	const char	*q;
	size_t		 lim = end - pos;

	if (lim >= 2 && pos[0] == '\r' && pos[1] == '\n') {
		*hlen = 0;	/* no headers at all */
		*data = pos + 2;
		return MP_OK;
	}
	/* "\r\n\r\n" at offset k makes a section of k + 2 bytes. */
	if (lim > LIM_MULTIPART_HEADER_BYTES + 2)
		lim = LIM_MULTIPART_HEADER_BYTES + 2;
	if ((q = memmem(pos, lim, "\r\n\r\n", 4)) == NULL)
		return (size_t)(end - pos) > LIM_MULTIPART_HEADER_BYTES ?
		    MP_HEADER : MP_SYNTAX;
	*hlen = q - pos + 2;
	*data = q + 4;
	return MP_OK;
}

/* Whether s[0..n) is UTF-8 (no overlong forms, surrogates or NUL). */
static int
utf8_ok(const unsigned char *s, size_t n)
{
	size_t		 i = 0, k, len;
	unsigned int	 c, min;

	while (i < n) {
		c = s[i];
		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			len = 2;
			c &= 0x1f;
			min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			len = 3;
			c &= 0x0f;
			min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			len = 4;
			c &= 0x07;
			min = 0x10000;
		} else
			return 0;
		if (n - i < len)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			c = c << 6 | (s[i + k] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

/*
 * filename*N pieces (RFC 2231; filename* of RFC 5987 is piece 0) as
 * UTF-8: "charset'language'%xx..." in the first encoded piece, UTF-8
 * or ISO-8859-1.  Returns a new string, or NULL when there is none or
 * it cannot be read (the plain filename= is used then).
 */
static char *
pieces_decode(const struct part *pt)
{
	const char	*s, *q;
	char		*raw = NULL, *out = NULL;
	size_t		 n = 0, cap = 0, i, k, o;
	int		 latin1 = 0, hi, lo;

	if (pt->piece[0] == NULL)
		return NULL;
	for (i = 0; i < MP_PIECES && pt->piece[i] != NULL; i++)
		cap += strlen(pt->piece[i]);
	if ((raw = malloc(cap + 1)) == NULL)
		return NULL;
	for (i = 0; i < MP_PIECES && pt->piece[i] != NULL; i++) {
		s = pt->piece[i];
		if (!pt->encoded[i]) {
			memcpy(raw + n, s, strlen(s));
			n += strlen(s);
			continue;
		}
		if (i == 0) {
			/* charset'language'value */
			if ((q = strchr(s, '\'')) == NULL ||
			    strchr(q + 1, '\'') == NULL)
				goto out;
			if (q - s == 10 && strncasecmp(s, "iso-8859-1", 10) == 0)
				latin1 = 1;
			else if (!((q - s == 5 && strncasecmp(s, "utf-8",
			    5) == 0) || (q - s == 8 && strncasecmp(s,
			    "us-ascii", 8) == 0)))
				goto out;
			s = strchr(q + 1, '\'') + 1;
		}
		for (; *s != '\0'; s++) {
			if (*s != '%') {
				raw[n++] = *s;
				continue;
			}
			if ((hi = hex_digit((unsigned char)s[1])) < 0 ||
			    (lo = hex_digit((unsigned char)s[2])) < 0)
				goto out;
			raw[n++] = hi * 16 + lo;
			s += 2;
		}
	}
	/* ISO-8859-1 doubles at most. */
	if ((out = malloc(n * 2 + 1)) == NULL)
		goto out;
	for (k = o = 0; k < n; k++) {
		if (latin1 && (unsigned char)raw[k] >= 0x80) {
			out[o++] = 0xc0 | (unsigned char)raw[k] >> 6;
			out[o++] = 0x80 | ((unsigned char)raw[k] & 0x3f);
		} else
			out[o++] = raw[k];
	}
	out[o] = '\0';
	if (!utf8_ok((unsigned char *)out, o)) {
		free(out);
		out = NULL;
	}
out:
	free(raw);
	return out;
}

static void
part_clear(struct part *pt)
{
	size_t	 i;

	free(pt->name);
	free(pt->filename);
	free(pt->type);
	free(pt->plain);
	for (i = 0; i < MP_PIECES; i++)
		free(pt->piece[i]);
	memset(pt, 0, sizeof(*pt));
}

/* "filename*", "filename*N" or "filename*N*": the piece, or -1. */
static int
piece_of(const char *name, int *encoded)
{
	const char	*s;
	char		*end;
	long		 n;

	if (strncmp(name, "filename*", 9) != 0)
		return -1;
	s = name + 9;
	if (*s == '\0') {
		*encoded = 1;
		return 0;
	}
	if (*s < '0' || *s > '9' || (*s == '0' && s[1] >= '0' &&
	    s[1] <= '9'))
		return -1;
	n = strtol(s, &end, 10);
	if (n < 0 || n >= MP_PIECES || (*end != '\0' && strcmp(end,
	    "*") != 0))
		return -1;
	*encoded = *end == '*';
	return (int)n;
}

/* Content-Disposition: form-data; name=...; filename=... */
static enum mp_err
disposition(const char *s, const char *end, struct part *pt)
{
	struct param	 p;
	const char	*t = s;
	int		 rc, i, enc;

	while (t < end && *t != ';' && *t != ' ' && *t != '\t')
		t++;
	if (t - s != 9 || strncasecmp(s, "form-data", 9) != 0) {
		pt->skip = 1;
		return MP_OK;
	}
	while ((rc = param_next(&t, end, &p)) == 1) {
		if (strcmp(p.name, "name") == 0 && pt->name == NULL) {
			pt->name = p.val;
			continue;
		}
		if (strcmp(p.name, "filename") == 0 && pt->plain == NULL) {
			pt->plain = p.val;
			continue;
		}
		if ((i = piece_of(p.name, &enc)) >= 0 &&
		    pt->piece[i] == NULL) {
			pt->piece[i] = p.val;
			pt->encoded[i] = enc;
			continue;
		}
		free(p.val);
	}
	if (rc == -2)
		return MP_NOMEM;
	return rc == 0 ? MP_OK : MP_SYNTAX;
}

/* The header section h[0..n): unfolded, then line by line. */
static enum mp_err
part_headers(const char *h, size_t n, struct part *pt)
{
	char		 buf[LIM_MULTIPART_HEADER_BYTES + 1];
	const char	*line, *nl, *colon, *v, *ve;
	size_t		 i, k = 0;
	enum mp_err	 e;

	if (n > LIM_MULTIPART_HEADER_BYTES)
		return MP_HEADER;
	/* A CRLF before a space or tab continues the line (RFC 5322). */
	for (i = 0; i < n; i++) {
		if (h[i] == '\r' && i + 1 < n && h[i + 1] == '\n') {
			if (i + 2 < n && (h[i + 2] == ' ' || h[i + 2] == '\t'))
				i++;
			else {
				buf[k++] = '\n';
				i++;
			}
			continue;
		}
		buf[k++] = h[i];
	}
	buf[k] = '\0';
	for (line = buf; *line != '\0'; line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL)
			nl = line + strlen(line);
		if ((colon = memchr(line, ':', nl - line)) == NULL)
			return MP_SYNTAX;
		v = skip_ws(colon + 1, nl);
		ve = nl;
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t' ||
		    ve[-1] == '\r'))
			ve--;
		if (colon - line == 19 && strncasecmp(line,
		    "Content-Disposition", 19) == 0) {
			if ((e = disposition(v, ve, pt)) != MP_OK)
				return e;
		} else if (colon - line == 12 && strncasecmp(line,
		    "Content-Type", 12) == 0 && pt->type == NULL) {
			if ((pt->type = strndup(v, ve - v)) == NULL)
				return MP_NOMEM;
		}
		if (*nl == '\0')
			break;
	}
	if (pt->skip || pt->name == NULL)
		return MP_OK;
	/* filename*= wins over filename= (RFC 6266 section 4.3). */
	if ((pt->filename = pieces_decode(pt)) == NULL && pt->plain != NULL) {
		pt->filename = pt->plain;
		pt->plain = NULL;
	}
	return MP_OK;
}

/* A part as a text field or a file. */
static enum mp_err
part_add(struct part *pt, const char *data, size_t len, struct kvlist *form,
    struct uploads *files)
{
	struct kv	*kv;
	struct upload	*u;
	char		*val;

	if (pt->skip || pt->name == NULL)
		return MP_OK;
	if (pt->filename == NULL) {
		if (form->n >= LIM_PARAMS)
			return MP_PARTS;
		if ((kv = reallocarray(form->v, form->n + 1,
		    sizeof(*kv))) == NULL)
			return MP_NOMEM;
		form->v = kv;
		if ((val = malloc(len + 1)) == NULL)
			return MP_NOMEM;
		memcpy(val, data, len);
		val[len] = '\0';
		kv[form->n].key = pt->name;
		kv[form->n].val = val;
		pt->name = NULL;
		form->n++;
		return MP_OK;
	}
	if ((u = reallocarray(files->v, files->n + 1, sizeof(*u))) == NULL)
		return MP_NOMEM;
	files->v = u;
	u = &files->v[files->n++];
	u->name = pt->name;
	u->filename = pt->filename;
	u->type = pt->type;
	u->data = data;
	u->len = len;
	pt->name = pt->filename = pt->type = NULL;
	return MP_OK;
}

static void
upload_clear(struct upload *u)
{
	free(u->name);
	free(u->filename);
	free(u->type);
}

/* Takes back what a failed parse added. */
static void
rollback(struct kvlist *form, size_t form0, struct uploads *files,
    size_t files0)
{
	while (form->n > form0) {
		form->n--;
		free(form->v[form->n].key);
		free(form->v[form->n].val);
	}
	while (files->n > files0)
		upload_clear(&files->v[--files->n]);
}

enum mp_err
multipart_parse(const char *ct, const char *body, size_t len,
    struct kvlist *form, struct uploads *files)
{
	struct part	 pt;
	const char	*end = body + len, *pos, *next, *data, *q;
	char		 delim[4 + MP_BOUNDARY_MAX + 1];
	size_t		 dl, hlen, nparts = 0, form0 = form->n;
	size_t		 files0 = files->n;
	int		 bl, close;
	enum mp_err	 e = MP_OK;

	memset(&pt, 0, sizeof(pt));
	if (len > LIM_UPLOAD_BYTES)
		return MP_TOO_LARGE;
	if (!multipart_is(ct) || (bl = multipart_boundary(ct, delim + 4,
	    sizeof(delim) - 4)) <= 0)
		return MP_CONTENT_TYPE;
	memcpy(delim, "\r\n--", 4);
	dl = 4 + (size_t)bl;
	if (body == NULL)
		return MP_SYNTAX;
	/* The first delimiter may start the body, without its CRLF. */
	if (!(len >= dl - 2 && memcmp(body, delim + 2, dl - 2) == 0 &&
	    delim_end(body + dl - 2, end, &next, &close)) &&
	    next_delim(body, end, delim, dl, &next, &close) == NULL)
		return MP_SYNTAX;
	for (pos = next; !close; pos = next) {
		if (++nparts > LIM_MULTIPART_PARTS) {
			e = MP_PARTS;
			goto fail;
		}
		if ((e = headers_span(pos, end, &hlen, &data)) != MP_OK ||
		    (e = part_headers(pos, hlen, &pt)) != MP_OK)
			goto fail;
		/* The data's last CRLF belongs to the delimiter: an empty
		 * part's delimiter starts right at data. */
		if ((q = next_delim(data, end, delim, dl, &next,
		    &close)) == NULL) {
			e = MP_TRUNCATED;
			goto fail;
		}
		if ((e = part_add(&pt, data, q - data, form, files)) != MP_OK)
			goto fail;
		part_clear(&pt);
	}
	return MP_OK;
fail:
	part_clear(&pt);
	rollback(form, form0, files, files0);
	return e;
}

const struct upload *
upload_get(const struct uploads *l, const char *name)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

void
uploads_free(struct uploads *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		upload_clear(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
