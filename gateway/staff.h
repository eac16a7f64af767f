/*
 * The staff console under /staff (issue 6): pages_staff.c (sign-in,
 * dashboard, accounts, audit log and the route table),
 * pages_staff_queue.c (the queue and stored mail) and
 * pages_staff_lic.c (licenses, Action Required, duplicates).  What
 * they share is here.
 *
 * Who may see what: staff sign in at /staff/signin with a cookie of
 * their own (aim_staff), never a filer session.  route_dispatch sends
 * a filer the site's plain 404 page for every /staff address, a
 * signed-out visitor to the staff sign-in, and a staff member without
 * the supervisor role a 403 page for supervisors' pages.
 */
#ifndef AIM_STAFF_PAGES_H
#define AIM_STAFF_PAGES_H

#include <stddef.h>
#include <stdint.h>

#include "db/queue.h"
#include "req.h"

#define STAFF_COOKIE	"aim_staff"

/*
 * Finds the staff member of the staff cookie: 1 (r->staff and
 * r->staff_user set), 0 none (or locked), -1 when the database could
 * not answer.  Called by route_dispatch for staff routes.
 */
int	 staff_auth(struct req *);
/* The 404 page of an address with no page, the same for every one. */
void	 staff_no_page(struct req *);

/* Who acts, for the queue calls and the audit log. */
void	 staff_who(const struct req *, struct staff *);
/* page_begin, then the console's navigation; section names the
 * current one ("dashboard", "queue", "licenses", ...). */
void	 staff_page_begin(struct req *, const char *title,
	    const char *section);
/* A 503 page after a database failure (logged with what). */
void	 staff_fail(struct req *, const char *what);
/* How long ago iso was, in words ("3 h 12 min"); "" if unknown. */
void	 staff_age(const char *iso, char *out, size_t sz);
/* The route's "*" as an id (1 .. INT64_MAX); -1 if not one. */
int	 staff_arg_id(const struct req *, int64_t *);
/* <form method="get"> for searches (no CSRF: nothing changes). */
void	 staff_search_begin(struct req *, const char *action);
/* A previous/next pager for a list of total rows, per on a page. */
void	 staff_pager(struct req *, const char *base, size_t page,
	    size_t per, size_t total);
/* The ?page= of a list (1 ..); 1 if absent or bad. */
size_t	 staff_page_arg(const struct req *);
/* A queue failure as a page: 404, 409 (claimed, state), 422 ... */
void	 staff_queue_fail(struct req *, enum queue_err, const char *why);

/* Route handlers, in pages_staff_queue.c. */
void	 staff_queue_list(struct req *);
void	 staff_item(struct req *);
void	 staff_item_claim(struct req *);
void	 staff_item_takeover(struct req *);
void	 staff_item_release(struct req *);
void	 staff_item_edit(struct req *);
void	 staff_item_edit_post(struct req *);
void	 staff_item_approve(struct req *);
void	 staff_item_reject(struct req *);
void	 staff_item_close(struct req *);
void	 staff_item_reprocess(struct req *);
void	 staff_item_reply(struct req *);
void	 staff_mail(struct req *);
void	 staff_mail_attachment(struct req *);
void	 staff_mail_raw(struct req *);

/* Route handlers, in pages_staff_lic.c. */
void	 staff_licenses(struct req *);
void	 staff_license(struct req *);
void	 staff_license_question(struct req *);
void	 staff_action_required(struct req *);
void	 staff_duplicates(struct req *);
void	 staff_duplicate_dismiss(struct req *);
void	 staff_duplicate_ask(struct req *);

#endif
