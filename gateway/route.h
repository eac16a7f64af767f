/*
 * Dispatch by static tables: each pages_*.c file gives one table of
 * {method, path, role, handler}.  A "*" path segment matches one
 * segment and is handed to the handler as req->arg.
 */
#ifndef AIM_ROUTE_H
#define AIM_ROUTE_H

#include <stddef.h>

#include "req.h"

struct route {
	enum method	 method;
	const char	*path;
	enum role	 role;
	void		(*handler)(struct req *);
};

struct route_table {
	const struct route	*routes;
	size_t			 n;
};

#define ROUTE_TABLE(name, arr) \
	const struct route_table name = { arr, sizeof(arr) / sizeof(arr[0]) }

extern const struct route_table routes_public;	/* pages_public.c */
extern const struct route_table routes_account;	/* pages_account.c */
extern const struct route_table routes_license;	/* pages_license.c */
extern const struct route_table routes_apply;	/* pages_apply.c */
extern const struct route_table routes_api;	/* api.c */
extern const struct route_table routes_staff;	/* pages_staff.c */
extern const struct route_table routes_batch;	/* pages_batch.c */
extern const struct route_table routes_forms;	/* pages_forms.c */
extern const struct route_table routes_monitor_page;	/* pages_monitor.c */
extern const struct route_table routes_monitor;	/* api_monitor.c */

struct db;
/*
 * Reads the monitor's lists of meta (every month of the roll-up, about
 * 0.1-0.2 s of CPU on a million licenses) in the master before it forks
 * the workers: they inherit the lists and the month figures read for
 * them (monitor_keep_for_fork), so no worker's first visitor waits, and
 * each keeps them up to date as before.
 */
void	 api_monitor_warm(struct db *);

/* Runs the handler for a request, with the role checks: a filer page
 * without a session redirects to sign-in; an API route without a valid
 * token answers 401; no route is 404, a wrong method 405. */
void	 route_dispatch(struct req *);

#endif
