/*
 * Finding a request's handler and checking who may use it.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "db/tokens.h"
#include "route.h"
#include "staff.h"

static const struct route_table *const tables[] = {
	&routes_public, &routes_account, &routes_license, &routes_apply,
	&routes_api, &routes_staff,
	&routes_monitor_page, &routes_monitor, &routes_batch, &routes_forms,
};

/* Matches a pattern; a "*" segment captures into arg (one segment,
 * no "/", at most argsz - 1 bytes). */
static int
match(const char *pat, const char *path, char *arg, size_t argsz)
{
	size_t	 n;

	while (*pat && *path) {
		if (*pat == '*') {
			n = strcspn(path, "/");
			if (n == 0 || n >= argsz)
				return 0;
			memcpy(arg, path, n);
			arg[n] = '\0';
			path += n;
			pat++;
			continue;
		}
		if (*pat != *path)
			return 0;
		pat++;
		path++;
	}
	return *pat == '\0' && *path == '\0';
}

/* The page of an address with no page; a filer gets the same for every
 * staff page, so the console's addresses cannot be told apart. */
void
staff_no_page(struct req *r)
{
	resp_error_page(r, 404, "Page not found", "There is no page at this "
	    "address. Check the address, or start from the home page.");
}

/* Bearer token -> account, for the API: 1 yes, 0 no, -1 when the
 * database could not answer (a valid token must not look revoked). */
static int
api_auth(struct req *r)
{
	const char	*a = r->authorization;
	enum db_err	 e;

	if (a == NULL || strncasecmp(a, "Bearer ", 7) != 0)
		return 0;
	a += 7;
	while (*a == ' ')
		a++;
	account_clear(&r->account);
	if ((e = token_account_read(r->db, a, &r->account)) != DB_OK)
		return e == DB_NOT_FOUND ? 0 : -1;
	return r->account.verified && !r->account.locked;
}

void
route_dispatch(struct req *r)
{
	static char		 arg[128];
	const struct route	*rt, *found = NULL;
	enum method		 m = r->method == METHOD_HEAD ? METHOD_GET :
				     r->method;
	size_t			 t, i;
	int			 path_ok = 0, api, auth;
	char			 next[600];

	for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (i = 0; i < tables[t]->n; i++) {
			rt = &tables[t]->routes[i];
			if (!match(rt->path, r->path, arg, sizeof(arg)))
				continue;
			path_ok = 1;
			if (rt->method == m) {
				found = rt;
				goto done;
			}
		}
done:
	api = strncmp(r->path, "/api/", 5) == 0;
	/* Nor does a wrong method tell anyone but staff a page is there. */
	if (found == NULL && path_ok && strncmp(r->path, "/staff", 6) == 0 &&
	    staff_auth(r) != 1)
		path_ok = 0;
	if (found == NULL) {
		if (api)
			resp_json_error(r, path_ok ? 405 : 404, path_ok ?
			    "method_not_allowed" : "not_found", path_ok ?
			    "This method is not allowed here." :
			    "No such resource.");
		else if (path_ok)
			resp_error_page(r, 405, "Not allowed", "This page "
			    "cannot be used that way.");
		else
			staff_no_page(r);
		return;
	}
	r->arg = strchr(found->path, '*') ? arg : NULL;
	switch (found->role) {
	case ROLE_FILER:
		if (!r->signed_in) {
			if (r->method == METHOD_GET) {
				snprintf(next, sizeof(next), "/signin?next=%s",
				    r->path);
				resp_redirect(r, next);
			} else
				resp_error_page(r, 403, "Signed out",
				    "Your session has ended. Sign in again, "
				    "then repeat what you were doing.");
			return;
		}
		break;
	case ROLE_API:
		if ((auth = api_auth(r)) == -1) {
			resp_header(r, "Retry-After", "1");
			resp_json_error(r, 503, "unavailable", "The license "
			    "register is busy; try again.");
			return;
		}
		if (auth == 0) {
			resp_header(r, "WWW-Authenticate",
			    "Bearer realm=\"aim\"");
			resp_json_error(r, 401, "unauthorized", "Send a valid "
			    "API token: Authorization: Bearer aim_...");
			return;
		}
		break;
	case ROLE_STAFF:
	case ROLE_SUPERVISOR:
		if ((auth = staff_auth(r)) == -1) {
			resp_error_page(r, 503, "Not available", "The licensing "
			    "register is busy; try again in a moment.");
			return;
		}
		if (auth == 0) {
			/* A filer never learns the console exists. */
			if (r->signed_in)
				staff_no_page(r);
			else if (r->method == METHOD_GET) {
				snprintf(next, sizeof(next),
				    "/staff/signin?next=%s", r->path);
				resp_redirect(r, next);
			} else
				resp_error_page(r, 403, "Signed out", "Your "
				    "session has ended. Sign in again, then "
				    "repeat what you were doing.");
			return;
		}
		if (found->role == ROLE_SUPERVISOR &&
		    r->staff != ROLE_SUPERVISOR) {
			resp_error_page(r, 403, "Supervisors only", "This page "
			    "is for supervisors of the licensing office.");
			return;
		}
		break;
	default:
		break;
	}
	/* Every form post of the web site carries the CSRF token. */
	if (!api && r->method == METHOD_POST && !req_csrf_ok(r)) {
		resp_error_page(r, 403, "Form expired", "This form has "
		    "expired or did not come from this site. Go back, reload "
		    "the page and send it again.");
		return;
	}
	found->handler(r);
}
