/*
 * One web request as the pages and the API see it, and its response.
 * gateway/http.c fills it from FastCGI; handlers read the parameters
 * and write status, headers and body; http.c sends it.
 */
#ifndef AIM_REQ_H
#define AIM_REQ_H

#include <stdint.h>
#include <jansson.h>

#include "lib/buf.h"
#include "lib/config.h"
#include "db/accounts.h"
#include "db/db.h"
#include "db/sessions.h"
#include "db/staff.h"
#include "xml/html.h"

struct kv {
	char	*key;
	char	*val;
};

struct kvlist {
	struct kv	*v;
	size_t		 n;
};

/* The last value of key, or NULL. */
const char	*kv_get(const struct kvlist *, const char *key);

/* A file of a multipart/form-data body (gateway/multipart.h). */
struct upload {
	char		*name;		/* the form field */
	char		*filename;	/* as sent (UTF-8), "" if none */
	char		*type;		/* the part's Content-Type, or NULL */
	const char	*data;		/* into req->body: no copy */
	size_t		 len;
};

struct uploads {
	struct upload	*v;
	size_t		 n;
};

enum method {
	METHOD_GET,
	METHOD_HEAD,
	METHOD_POST,
	METHOD_PUT,
	METHOD_DELETE,
	METHOD_OTHER,
	METHOD__MAX
};

/* Who may use a route. */
enum role {
	ROLE_PUBLIC,		/* anyone */
	ROLE_FILER,		/* a signed-in, verified filer (web) */
	ROLE_API,		/* a bearer token (JSON API) */
	ROLE_STAFF,		/* a signed-in staff member (/staff) */
	ROLE_SUPERVISOR,	/* a signed-in staff supervisor */
	ROLE__MAX
};

/* What a worker keeps between requests. */
struct gw {
	struct config	*cfg;
	struct db	*db;
	int		 wfd;		/* to the writer (writer.h), or -1 */
	int		 wrestart;	/* the writer is gone: end after this
					 * request, to be started anew */
};

struct req {
	struct gw	*gw;
	struct db	*db;		/* gw->db */
	enum method	 method;
	const char	*path;		/* without the query */
	const char	*arg;		/* the "*" of the route, or NULL */
	struct kvlist	 query;
	struct kvlist	 form;		/* urlencoded body */
	struct kvlist	 cookies;
	const char	*content_type;	/* NULL if none */
	const char	*accept;
	const char	*authorization;
	char		*body;
	size_t		 bodylen;
	char		 remote[64];

	/* Who is asking. */
	int		 signed_in;
	struct session	 session;
	struct account	 account;	/* when signed in or by token */
	char		 session_token[64];
	char		 csrf[65];	/* the token forms must carry */
	/* A staff member, by the staff cookie (gateway/staff.h): 0, or
	 * ROLE_STAFF or ROLE_SUPERVISOR once a staff route checked it. */
	int		 staff;
	struct staff_user staff_user;

	/* The response. */
	int		 status;
	struct buf	 headers;	/* "Name: value\r\n" lines */
	struct buf	 out;		/* the body */
	struct html	 h;		/* writes into out */

	/* Files of a multipart/form-data body; its text fields are in
	 * form, so the CSRF check sees them. */
	struct uploads	 files;
};

/* Response helpers. */
void	 resp_header(struct req *, const char *name, const char *value);
/* Set-Cookie with HttpOnly, SameSite=Lax, Path=/, and Secure when the
 * configuration says so; max_age < 0: session cookie, 0: delete. */
void	 resp_cookie(struct req *, const char *name, const char *value,
	    int max_age);
/* 303 See Other to a path of this site. */
void	 resp_redirect(struct req *, const char *path);
/* A JSON body with a status (takes the reference). */
void	 resp_json(struct req *, int status, json_t *);
/* {"error": code, "message": message} */
void	 resp_json_error(struct req *, int status, const char *code,
	    const char *message);
/* A plain error page in the site's layout. */
void	 resp_error_page(struct req *, int status, const char *title,
	    const char *message);

/* Whether a POSTed form carries this visitor's CSRF token. */
int	 req_csrf_ok(const struct req *);
/* Today's date (days) for applications. */
int	 req_today(const struct req *);

#endif
