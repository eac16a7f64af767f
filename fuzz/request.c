/*
 * A web request made in memory for gateway/http.c: the CGI parameters
 * nginx would pass, and the body as a FastCGI input stream that ends
 * where the bytes end.  http_read then reads it as aim-gateway does
 * (query, cookies, body, urlencoded and multipart, CSRF, the session
 * cookie looked up in an empty database).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>

#include "lib/config.h"
#include "db/db.h"
#include "forms/urlform.h"
#include "gateway/http.h"
#include "fuzz.h"

/* Parameters of ours beyond the caller's: CONTENT_LENGTH, the end. */
#define ENV_MAX		32

static struct config	 cfg;
static struct gw	 gw;

/* The input has no more bytes than rdNext..stop. */
static void
fill_none(FCGX_Stream *s)
{
	s->isClosed = 1;
}

static void
setup(void)
{
	char	 err[512];

	if (gw.db != NULL)
		return;
	fuzz_init_tables();
	/* Defaults: the CSRF key is all zeros, as good as any here. */
	if (config_load(NULL, &cfg, err, sizeof(err)) == -1 ||
	    (gw.db = db_open(":memory:", 1, err, sizeof(err))) == NULL ||
	    db_migrate(gw.db) != DB_OK) {
		fprintf(stderr, "fuzz: %s\n", err);
		exit(1);
	}
	gw.cfg = &cfg;
}

/* The files point into the body, the CSRF token is set. */
static void
req_ok(const struct req *r)
{
	size_t	 i;

	for (i = 0; i < r->files.n; i++)
		FUZZ_ASSERT(r->files.v[i].data >= r->body &&
		    r->files.v[i].len <= r->bodylen &&
		    (size_t)(r->files.v[i].data - r->body) <=
		    r->bodylen - r->files.v[i].len &&
		    r->files.v[i].name != NULL &&
		    r->files.v[i].filename != NULL);
	if (strncmp(r->path, "/api/", 5) != 0)
		FUZZ_ASSERT(strlen(r->csrf) == 64);
	for (i = 0; i < r->form.n; i++)
		FUZZ_ASSERT(r->form.v[i].key != NULL &&
		    r->form.v[i].val != NULL);
}

/* The posted pairs through the web form reader, as /apply does. */
static void
form_of(const struct req *r)
{
	struct urlpair	*p;
	struct report	 rep;
	size_t		 i;
	char		 err[512];

	if ((p = calloc(r->form.n + 1, sizeof(*p))) == NULL)
		abort();
	for (i = 0; i < r->form.n; i++) {
		p[i].name = r->form.v[i].key;
		p[i].value = r->form.v[i].val;
	}
	report_init(&rep);
	fuzz_form(urlform_read(p, r->form.n, 0, &rep, err, sizeof(err)),
	    &rep);
	free(p);
}

int
fuzz_request(const char *const *env, const char *body, size_t len)
{
	FCGX_Request	 f;
	FCGX_Stream	 in;
	struct req	 r;
	char		*envp[ENV_MAX + 2], clen[64];
	size_t		 n = 0;
	int		 st;

	setup();
	for (; env[n] != NULL && n < ENV_MAX; n++)
		envp[n] = (char *)env[n];
	snprintf(clen, sizeof(clen), "CONTENT_LENGTH=%zu", len);
	envp[n++] = clen;
	envp[n] = NULL;

	memset(&in, 0, sizeof(in));
	in.rdNext = in.stopUnget = (unsigned char *)body;
	in.stop = in.wrNext = (unsigned char *)body + len;
	in.isReader = 1;
	in.fillBuffProc = fill_none;
	memset(&f, 0, sizeof(f));
	f.in = &in;
	f.envp = envp;

	/* As gateway/main.c sets a request up. */
	http_init(&r, &gw);
	if ((st = http_read(&r, &f)) == 0) {
		req_ok(&r);
		form_of(&r);
	}
	db_abort(gw.db);
	http_free(&r);
	return st;
}
