/*
 * FastCGI to struct req and back: parameters, cookies, body, the
 * visitor's session and CSRF token, and the response.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "lib/date.h"
#include "lib/hex.h"
#include "lib/limits.h"
#include "http.h"
#include "layout.h"
#include "multipart.h"

const char *
kv_get(const struct kvlist *l, const char *key)
{
	size_t	 i;

	for (i = l->n; i > 0; i--)
		if (strcmp(l->v[i - 1].key, key) == 0)
			return l->v[i - 1].val;
	return NULL;
}

static void
kv_free(struct kvlist *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].val);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Percent-decodes s[0..n) ('+' is a space when plus is set). */
static char *
urldecode(const char *s, size_t n, int plus)
{
	char	*out, *o;
	size_t	 i;
	int	 hi, lo;

	if ((out = malloc(n + 1)) == NULL)
		return NULL;
	for (o = out, i = 0; i < n; i++) {
		if (s[i] == '+' && plus)
			*o++ = ' ';
		else if (s[i] == '%' && i + 2 < n &&
		    (hi = hex_digit(s[i + 1])) >= 0 &&
		    (lo = hex_digit(s[i + 2])) >= 0) {
			*o++ = hi * 16 + lo;
			i += 2;
		} else
			*o++ = s[i];
	}
	*o = '\0';
	return out;
}

/* Parses "a=1&b=2" (or cookies "a=1; b=2" with sep ';'). */
int
http_parse_pairs(struct kvlist *l, const char *s, size_t len, char sep,
    int plus)
{
	const char	*p = s, *end = s + len, *amp, *eq;
	struct kv	*v;

	while (p < end) {
		while (p < end && (*p == sep || (sep == ';' && *p == ' ')))
			p++;
		if (p == end)
			break;
		if ((amp = memchr(p, sep, end - p)) == NULL)
			amp = end;
		if (l->n == LIM_PARAMS)
			return -1;
		if ((v = reallocarray(l->v, l->n + 1, sizeof(*v))) == NULL)
			return -1;
		l->v = v;
		if ((eq = memchr(p, '=', amp - p)) == NULL)
			eq = amp;
		v[l->n].key = urldecode(p, eq - p, plus);
		v[l->n].val = eq < amp ? urldecode(eq + 1, amp - eq - 1,
		    plus) : strdup("");
		if (v[l->n].key == NULL || v[l->n].val == NULL) {
			free(v[l->n].key);
			free(v[l->n].val);
			return -1;
		}
		l->n++;
		p = amp;
	}
	return 0;
}

static enum method
method_of(const char *m)
{
	static const char *const names[] = {
		"GET", "HEAD", "POST", "PUT", "DELETE",
	};
	size_t	 i;

	if (m != NULL)
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strcmp(m, names[i]) == 0)
				return i;
	return METHOD_OTHER;
}

void
resp_header(struct req *r, const char *name, const char *value)
{
	/* Header values are ours; a newline in one would split it. */
	if (strpbrk(value, "\r\n") != NULL)
		return;
	buf_printf(&r->headers, "%s: %s\r\n", name, value);
}

void
resp_cookie(struct req *r, const char *name, const char *value, int max_age)
{
	char	 age[32] = "";

	if (strpbrk(value, "\r\n;, ") != NULL)
		return;
	if (max_age >= 0)
		snprintf(age, sizeof(age), "; Max-Age=%d", max_age);
	buf_printf(&r->headers, "Set-Cookie: %s=%s; Path=/; HttpOnly; "
	    "SameSite=Lax%s%s\r\n", name, value, age,
	    r->gw->cfg->secure_cookies ? "; Secure" : "");
}

void
resp_redirect(struct req *r, const char *path)
{
	/* Only paths of this site: never an open redirect. */
	if (path[0] != '/' || path[1] == '/' || path[1] == '\\')
		path = "/";
	r->status = 303;
	resp_header(r, "Location", path);
}

void
resp_json(struct req *r, int status, json_t *v)
{
	char	*s;

	r->status = status;
	resp_header(r, "Content-Type", "application/json");
	buf_reset(&r->out);
	if (v != NULL && (s = json_dumps(v, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER)) != NULL) {
		buf_puts(&r->out, s);
		buf_puts(&r->out, "\n");
		free(s);
	}
	json_decref(v);
}

void
resp_json_error(struct req *r, int status, const char *code,
    const char *message)
{
	resp_json(r, status, json_pack("{s:s, s:s}", "error", code,
	    "message", message));
}

void
resp_error_page(struct req *r, int status, const char *title,
    const char *message)
{
	r->status = status;
	buf_reset(&r->out);
	html_init(&r->h, &r->out);
	page_begin(r, title);
	h_elem(&r->h, "h1", title, NULL);
	h_elem(&r->h, "p", message, "class", "usa-intro", NULL);
	h_open(&r->h, "p", NULL);
	h_elem(&r->h, "a", "Go to the home page", "href", "/", "class",
	    "usa-link", NULL);
	h_close(&r->h);
	page_end(r);
}

/* HMAC-SHA256 of the CSRF cookie under the server secret, as hex. */
static void
csrf_token(const struct req *r, const char *cookie, char out[65])
{
	unsigned char	 mac[32];
	unsigned int	 len = sizeof(mac);
	size_t		 i;

	HMAC(EVP_sha256(), r->gw->cfg->secret, CONFIG_SECRET_LEN,
	    (const unsigned char *)cookie, strlen(cookie), mac, &len);
	for (i = 0; i < 32; i++)
		snprintf(out + i * 2, 3, "%02x", mac[i]);
}

int
req_csrf_ok(const struct req *r)
{
	const char	*given = kv_get(&r->form, "csrf");

	/* CRYPTO_memcmp: no timing hint about the expected token. */
	return given != NULL && strlen(given) == 64 && r->csrf[0] != '\0' &&
	    CRYPTO_memcmp(given, r->csrf, 64) == 0;
}

int
req_today(const struct req *r)
{
	return date_today();
}

/*
 * Every visitor carries a random CSRF cookie; forms carry its HMAC.
 * A cross-site page can neither read the cookie nor compute the MAC.
 */
static void
csrf_setup(struct req *r)
{
	const char	*c = kv_get(&r->cookies, "aim_csrf");
	unsigned char	 rnd[24];
	char		 val[64];
	size_t		 i;

	if (c == NULL || strlen(c) != 48 || strspn(c,
	    "0123456789abcdef") != 48) {
		if (RAND_bytes(rnd, sizeof(rnd)) != 1)
			return;
		for (i = 0; i < sizeof(rnd); i++)
			snprintf(val + i * 2, 3, "%02x", rnd[i]);
		resp_cookie(r, "aim_csrf", val, -1);
		/* The form posted with the old cookie still has to match
		 * it, so the new one is used for pages from now on. */
		c = val;
		csrf_token(r, c, r->csrf);
		return;
	}
	csrf_token(r, c, r->csrf);
}

/* Finds the signed-in filer from the session cookie. */
static void
session_setup(struct req *r)
{
	const char	*tok = kv_get(&r->cookies, "aim_session");
	struct config	*cfg = r->gw->cfg;

	if (tok == NULL || strlen(tok) >= sizeof(r->session_token))
		return;
	if (session_find(r->db, tok, cfg->session_idle_minutes * 60,
	    &r->session) != DB_OK)
		return;
	if (accounts_by_id(r->db, r->session.account_id, &r->account) !=
	    DB_OK)
		return;
	if (r->account.locked || !r->account.verified) {
		account_clear(&r->account);
		return;
	}
	snprintf(r->session_token, sizeof(r->session_token), "%s", tok);
	r->signed_in = 1;
}

/* The routes that take a spreadsheet: their bodies may be larger. */
static int
upload_route(const char *path)
{
	return strcmp(path, "/api/v1/licenses/batch") == 0 ||
	    strcmp(path, "/apply/multiple") == 0 ||
	    strncmp(path, "/apply/multiple/", 16) == 0;
}

int
http_read(struct req *r, FCGX_Request *f)
{
	const char	*s, *q;
	char		*end;
	long long	 len;
	int		 n;

	r->method = method_of(FCGX_GetParam("REQUEST_METHOD", f->envp));
	if ((s = FCGX_GetParam("DOCUMENT_URI", f->envp)) == NULL &&
	    (s = FCGX_GetParam("SCRIPT_NAME", f->envp)) == NULL)
		s = "/";
	r->path = s;
	if ((q = FCGX_GetParam("QUERY_STRING", f->envp)) != NULL &&
	    http_parse_pairs(&r->query, q, strlen(q), '&', 1) == -1)
		return 400;
	if ((s = FCGX_GetParam("HTTP_COOKIE", f->envp)) != NULL &&
	    strlen(s) <= LIM_COOKIE_BYTES)
		http_parse_pairs(&r->cookies, s, strlen(s), ';', 0);
	r->content_type = FCGX_GetParam("CONTENT_TYPE", f->envp);
	r->accept = FCGX_GetParam("HTTP_ACCEPT", f->envp);
	r->authorization = FCGX_GetParam("HTTP_AUTHORIZATION", f->envp);
	if ((s = FCGX_GetParam("REMOTE_ADDR", f->envp)) != NULL)
		snprintf(r->remote, sizeof(r->remote), "%s", s);

	if ((s = FCGX_GetParam("CONTENT_LENGTH", f->envp)) != NULL &&
	    *s != '\0') {
		len = strtoll(s, &end, 10);
		if (*end != '\0' || len < 0)
			return 400;
		if (len > (upload_route(r->path) ? LIM_UPLOAD_BYTES :
		    LIM_BODY_BYTES))
			return 413;
		if (len > 0) {
			if ((r->body = malloc(len + 1)) == NULL)
				return 503;
			n = FCGX_GetStr(r->body, (int)len, f->in);
			if (n != len)
				return 400;
			r->body[len] = '\0';
			r->bodylen = len;
		}
	}
	if (r->body != NULL && r->content_type != NULL &&
	    strncasecmp(r->content_type, "application/x-www-form-urlencoded",
	    33) == 0 &&
	    http_parse_pairs(&r->form, r->body, r->bodylen, '&', 1) == -1)
		return 413;
	/* Text fields into form (the CSRF token among them), files into
	 * files, before the route is dispatched.  The API takes no
	 * multipart bodies: its handlers answer 415 for them. */
	if (r->body != NULL && multipart_is(r->content_type) &&
	    strncmp(r->path, "/api/", 5) != 0)
		switch (multipart_parse(r->content_type, r->body, r->bodylen,
		    &r->form, &r->files)) {
		case MP_OK:
		case MP_CONTENT_TYPE:	/* no boundary: nothing to read */
			break;
		case MP_PARTS:
		case MP_TOO_LARGE:
			return 413;
		case MP_NOMEM:
			return 503;
		default:
			return 400;
		}
	/* The API authenticates by token: no cookies for it. */
	if (strncmp(r->path, "/api/", 5) != 0) {
		csrf_setup(r);
		session_setup(r);
	}
	return 0;
}

static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Status";
	}
}

/* Whether the handler set a header (lines "Name: value\r\n"). */
static int
has_header(const struct buf *h, const char *name)
{
	const char	*p = buf_str(h);
	size_t		 n = strlen(name);

	while (*p != '\0') {
		if (strncasecmp(p, name, n) == 0 && p[n] == ':')
			return 1;
		if ((p = strchr(p, '\n')) == NULL)
			break;
		p++;
	}
	return 0;
}

void
http_send(struct req *r, FCGX_Request *f)
{
	if (r->out.overflow || r->h.error) {
		/* Never send half a page. */
		r->status = 500;
		buf_reset(&r->out);
		buf_reset(&r->headers);
		buf_puts(&r->out, "The page could not be built.\n");
		resp_header(r, "Content-Type", "text/plain; charset=utf-8");
	}
	char	 line[96];

	/* libfcgi's own printf knows no %zu: format here. */
	snprintf(line, sizeof(line), "Status: %d %s\r\n", r->status,
	    reason(r->status));
	FCGX_PutS(line, f->out);
	FCGX_PutStr(buf_str(&r->headers), (int)r->headers.len, f->out);
	/* What every response carries: no framing, no sniffing, no
	 * inline script, no referrer leaking license numbers. */
	FCGX_PutS("X-Content-Type-Options: nosniff\r\n"
	    "X-Frame-Options: DENY\r\n"
	    "Referrer-Policy: same-origin\r\n"
	    "Content-Security-Policy: default-src 'self'; script-src 'self'; "
	    "style-src 'self'; img-src 'self' data:; font-src 'self'; "
	    "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
	    "form-action 'self'\r\n", f->out);
	/* Nothing is cached unless its handler says how (the public
	 * monitor's answers may be). */
	if (!has_header(&r->headers, "Cache-Control"))
		FCGX_PutS("Cache-Control: no-store\r\n", f->out);
	snprintf(line, sizeof(line), "Content-Length: %zu\r\n\r\n",
	    r->out.len);
	FCGX_PutS(line, f->out);
	if (r->method != METHOD_HEAD)
		FCGX_PutStr(buf_str(&r->out), (int)r->out.len, f->out);
}

void
http_init(struct req *r, struct gw *gw)
{
	memset(r, 0, sizeof(*r));
	r->gw = gw;
	r->db = gw->db;
	buf_init(&r->headers, 64 * 1024);
	buf_init(&r->out, LIM_RESPONSE_BYTES);
	html_init(&r->h, &r->out);
}

void
http_free(struct req *r)
{
	kv_free(&r->query);
	kv_free(&r->form);
	kv_free(&r->cookies);
	uploads_free(&r->files);	/* before the body it points into */
	free(r->body);
	account_clear(&r->account);
	buf_free(&r->headers);
	buf_free(&r->out);
	explicit_bzero(r->session_token, sizeof(r->session_token));
}
