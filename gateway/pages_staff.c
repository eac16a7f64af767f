/*
 * The staff console: sign-in and sign-out, the dashboard, filer
 * accounts (look up, lock, electronic filing), the audit log, the
 * pieces every console page shares, and the console's route table.
 * The queue is in pages_staff_queue.c, licenses in pages_staff_lic.c.
 * No rule and no SQL here: db/queue.h, db/console.h and the registry
 * decide; these pages show what they answer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/limits.h"
#include "lib/log.h"
#include "lib/pwhash.h"
#include "forms/account.h"
#include "db/clock.h"
#include "db/console.h"
#include "db/listing.h"
#include "db/staff.h"
#include "layout.h"
#include "route.h"
#include "signin.h"
#include "staff.h"

#define HOME		"/staff"
#define ACCOUNT_ROWS	50		/* accounts on a page */
#define AUDIT_ROWS	100		/* audit rows on a page */
#define PAGE_MAX	100000		/* highest page number taken */
#define MSG_WRONG	"Email or password is wrong"

static const struct {
	const char	*section;
	const char	*href;
	const char	*label;
	int		 supervisor;
} nav[] = {
	{ "dashboard", "/staff", "Dashboard", 0 },
	{ "queue", "/staff/queue", "Queue", 0 },
	{ "licenses", "/staff/licenses", "Licenses", 0 },
	{ "action", "/staff/action-required", "Action Required", 0 },
	{ "duplicates", "/staff/duplicates", "Possible duplicates", 0 },
	{ "accounts", "/staff/accounts", "Accounts", 0 },
	{ "audit", "/staff/audit", "Audit log", 1 },
};

static const char *const kind_labels[QK__MAX] = {
	"Emailed forms", "Correspondence", "Quarantined mail",
	"Failed outbound email",
};

/* ----- shared pieces ----- */

int
staff_auth(struct req *r)
{
	const char		*tok;
	struct staff_session	 s;
	struct config		*cfg = r->gw->cfg;
	enum db_err		 e;

	if (r->staff != 0)
		return 1;
	if ((tok = kv_get(&r->cookies, STAFF_COOKIE)) == NULL)
		return 0;
	if ((e = staff_session_find(r->db, tok, cfg->session_idle_minutes *
	    60, &s)) != DB_OK)
		return e == DB_NOT_FOUND ? 0 : -1;
	if ((e = staff_by_id(r->db, s.staff_id, &r->staff_user)) != DB_OK)
		return e == DB_NOT_FOUND ? 0 : -1;
	/* The request never needs the hash. */
	explicit_bzero(r->staff_user.password_hash,
	    sizeof(r->staff_user.password_hash));
	if (r->staff_user.locked) {
		memset(&r->staff_user, 0, sizeof(r->staff_user));
		return 0;
	}
	r->staff = r->staff_user.role == STAFF_ROLE_SUPERVISOR ?
	    ROLE_SUPERVISOR : ROLE_STAFF;
	return 1;
}

void
staff_who(const struct req *r, struct staff *s)
{
	s->name = r->staff_user.email;
	s->addr = r->remote[0] != '\0' ? r->remote : "unknown";
}

void
staff_fail(struct req *r, const char *what)
{
	log_msg(LOG_LVL_ERR, "staff: %s: %s", what, r->db->errmsg);
	resp_error_page(r, 503, "Something went wrong", "This could not be "
	    "done just now, and nothing was changed. Try again in a "
	    "moment.");
}

/* ISO UTC text to a time; -1 if it is not one. */
static int
iso_time(const char *iso, time_t *t)
{
	struct tm	 tm;
	const char	*end;

	memset(&tm, 0, sizeof(tm));
	if (iso == NULL || (end = strptime(iso, "%Y-%m-%dT%H:%M:%S",
	    &tm)) == NULL || (*end != 'Z' && *end != '\0'))
		return -1;
	*t = timegm(&tm);
	return 0;
}

void
staff_age(const char *iso, char *out, size_t sz)
{
	time_t		 t, now = time(NULL);
	long long	 s;

	out[0] = '\0';
	if (iso_time(iso, &t) == -1)
		return;
	s = (long long)(now - t);
	if (s < 0)
		s = 0;
	if (s < 60)
		snprintf(out, sz, "%lld s", s);
	else if (s < 3600)
		snprintf(out, sz, "%lld min", s / 60);
	else if (s < 86400)
		snprintf(out, sz, "%lld h %lld min", s / 3600, s % 3600 / 60);
	else
		snprintf(out, sz, "%lld d %lld h", s / 86400, s % 86400 / 3600);
}

int
staff_arg_id(const struct req *r, int64_t *id)
{
	char		*end;
	long long	 v;

	if (r->arg == NULL || *r->arg < '1' || *r->arg > '9')
		return -1;
	errno = 0;
	v = strtoll(r->arg, &end, 10);
	if (errno != 0 || *end != '\0' || v < 1)
		return -1;
	*id = v;
	return 0;
}

void
staff_search_begin(struct req *r, const char *action)
{
	h_open(&r->h, "form", "method", "get", "action", action, "class",
	    "usa-form aim-staff-search", "role", "search", NULL);
}

size_t
staff_page_arg(const struct req *r)
{
	const char	*s = kv_get(&r->query, "page");
	char		*end;
	long		 v;

	if (s == NULL || *s < '1' || *s > '9')
		return 1;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < 1 || v > PAGE_MAX)
		return 1;
	return (size_t)v;
}

void
staff_pager(struct req *r, const char *base, size_t page, size_t per,
    size_t total)
{
	struct html	*h = &r->h;
	struct buf	 b;
	size_t		 pages = (total + per - 1) / per;
	char		 num[32];

	if (pages <= 1)
		return;
	h_open(h, "nav", "aria-label", "Pages", "class",
	    "aim-staff-pager margin-y-2", NULL);
	buf_init(&b, 8192);
	if (page > 1) {
		buf_puts(&b, base);
		snprintf(num, sizeof(num), "%zu", page - 1);
		ui_qs_add(&b, "page", num);
		h_elem(h, "a", "Previous page", "href", buf_str(&b), "class",
		    "usa-link margin-right-2", NULL);
	}
	h_open(h, "span", NULL);
	h_textf(h, "Page %zu of %zu", page, pages);
	h_close(h);
	if (page < pages) {
		buf_reset(&b);
		buf_puts(&b, base);
		snprintf(num, sizeof(num), "%zu", page + 1);
		ui_qs_add(&b, "page", num);
		h_elem(h, "a", "Next page", "href", buf_str(&b), "class",
		    "usa-link margin-left-2", NULL);
	}
	buf_free(&b);
	h_close(h);
}

void
staff_page_begin(struct req *r, const char *title, const char *section)
{
	struct html	*h = &r->h;
	char		 t[160];
	size_t		 i;
	int		 cur;

	snprintf(t, sizeof(t), "Staff: %s", title);
	page_begin(r, t);
	/* The console's own styles (a stylesheet link is body-ok). */
	h_void(h, "link", "rel", "stylesheet", "href", "/static/staff.css",
	    NULL);
	h_open(h, "nav", "class", "aim-staff-nav border-bottom-1px "
	    "border-base-lighter padding-bottom-1 margin-bottom-2",
	    "aria-label", "Staff console", NULL);
	h_open(h, "ul", "class", "usa-list usa-list--unstyled display-flex "
	    "flex-wrap flex-align-center", NULL);
	for (i = 0; i < sizeof(nav) / sizeof(nav[0]); i++) {
		if (nav[i].supervisor && r->staff != ROLE_SUPERVISOR)
			continue;
		cur = section != NULL && strcmp(section, nav[i].section) == 0;
		h_open(h, "li", "class", "margin-right-3", NULL);
		h_elem(h, "a", nav[i].label, "href", nav[i].href, "class",
		    cur ? "usa-link text-bold" : "usa-link", "aria-current",
		    cur ? "page" : NULL, NULL);
		h_close(h);
	}
	h_open(h, "li", "class", "margin-left-auto aim-staff-who", NULL);
	h_textf(h, "%s (%s) ", r->staff_user.email,
	    staff_role_names[r->staff_user.role]);
	h_close(h);
	h_open(h, "li", NULL);
	h_open(h, "form", "method", "post", "action", "/staff/signout",
	    "class", "display-inline", NULL);
	h_void(h, "input", "type", "hidden", "name", "csrf", "value",
	    r->csrf, NULL);
	h_elem(h, "button", "Sign out", "type", "submit", "class",
	    "usa-button usa-button--unstyled", NULL);
	h_close(h);
	h_close(h);
	h_close(h);
	h_close(h);
}

void
staff_queue_fail(struct req *r, enum queue_err q, const char *why)
{
	const char	*text = why != NULL && *why != '\0' ? why :
			    queue_strerror(q);

	switch (q) {
	case QUEUE_NOT_FOUND:
		resp_error_page(r, 404, "Not found", text);
		break;
	case QUEUE_CLAIMED:
		resp_error_page(r, 409, "Held by someone else", text);
		break;
	case QUEUE_STATE:
	case QUEUE_KIND:
	case QUEUE_NO_ACCOUNT:
	case QUEUE_ACCOUNT:
		resp_error_page(r, 409, "Not possible now", text);
		break;
	case QUEUE_INVALID:
		resp_error_page(r, 422, "Not accepted", text);
		break;
	default:
		staff_fail(r, "queue");
		break;
	}
}

/* ----- sign in and out ----- */

/* Where to go after sign-in: a console page, never another site. */
static const char *
next_ok(const char *next)
{
	if (next == NULL || strncmp(next, "/staff", 6) != 0 ||
	    (next[6] != '\0' && next[6] != '/') || !signin_path_ok(next))
		return NULL;
	if (strncmp(next, "/staff/sign", 11) == 0)
		return NULL;
	return next;
}

static void
signin_page(struct req *r, const char *email, const char *next,
    const struct report *rep)
{
	struct html	*h = &r->h;
	struct ui_field	 f;

	page_begin(r, rep != NULL && rep->nerrors > 0 ?
	    "Error: Staff sign in" : "Staff sign in");
	h_open(h, "div", "class", "grid-row", NULL);
	h_open(h, "div", "class", "grid-col-12 tablet:grid-col-8 "
	    "desktop:grid-col-6", NULL);
	ui_error_summary(r, rep);
	h_elem(h, "h1", "Licensing office sign in", NULL);
	h_elem(h, "p", "For staff of the licensing office. Filers sign in on "
	    "the filer sign-in page.", "class", "usa-intro", NULL);
	ui_form_begin(r, "/staff/signin", "staff-signin-form");
	if (next != NULL)
		h_void(h, "input", "type", "hidden", "name", "next", "value",
		    next, NULL);
	memset(&f, 0, sizeof(f));
	f.name = "email";
	f.label = "Email address";
	f.type = "email";
	f.value = email;
	f.autocomplete = "username";
	f.required = 1;
	f.error = ui_error_for(rep, "email");
	ui_input(r, &f);
	ui_password(r, "password", "Password", NULL, "current-password",
	    rep);
	ui_button(r, "Sign in", NULL);
	ui_form_end(r);
	page_end(r);
}

static void
signin_get(struct req *r)
{
	const char	*next = next_ok(kv_get(&r->query, "next"));
	int		 a;

	if ((a = staff_auth(r)) == -1) {
		staff_fail(r, "signin: session");
		return;
	}
	if (a == 1) {
		resp_redirect(r, next != NULL ? next : HOME);
		return;
	}
	/* A filer never learns the console exists. */
	if (r->signed_in) {
		staff_no_page(r);
		return;
	}
	signin_page(r, NULL, next, NULL);
}

static void
signin_post(struct req *r)
{
	struct staff_user	 u;
	struct staff		 s;
	struct report		 rep;
	struct config		*cfg = r->gw->cfg;
	const char		*pw = kv_get(&r->form, "password");
	const char		*in = kv_get(&r->form, "email");
	const char		*next = next_ok(kv_get(&r->form, "next"));
	const char		*old = kv_get(&r->cookies, STAFF_COOKIE);
	char			 email[LIM_EMAIL_BYTES + 1];
	char			 tok[STAFF_TOKEN_LEN + 1];
	size_t			 n;
	int			 wait;
	enum db_err		 e;

	memset(&u, 0, sizeof(u));
	report_init(&rep);
	if (r->signed_in) {
		staff_no_page(r);
		goto out;
	}
	email[0] = '\0';
	if (in != NULL) {
		while (*in == ' ')
			in++;
		n = strnlen(in, sizeof(email));
		while (n > 0 && in[n - 1] == ' ')
			n--;
		if (n < sizeof(email))
			email_lower(email, in, n);
	}
	if (email[0] == '\0')
		report_error(&rep, 0, "email", "Enter your email address");
	if (pw == NULL || *pw == '\0')
		report_error(&rep, 0, "password", "Enter your password");
	if (rep.nerrors > 0)
		goto again;
	if (strnlen(pw, LIM_PASSWORD_BYTES + 1) > LIM_PASSWORD_BYTES ||
	    strlen(email) > STAFF_EMAIL_MAX) {
		signin_delay("x");
		report_error(&rep, 0, "", MSG_WRONG);
		goto again;
	}
	if ((e = staff_by_email(r->db, email, &u)) == DB_NOT_FOUND) {
		signin_delay(pw);
		report_error(&rep, 0, "", MSG_WRONG);
		goto again;
	}
	if (e != DB_OK || staff_signin_wait(r->db, u.id, &wait) != DB_OK) {
		staff_fail(r, "signin: staff");
		goto out;
	}
	if (wait > 0) {
		signin_blocked(&rep, wait);
		r->status = 429;
		goto page;
	}
	s.name = u.email;
	s.addr = r->remote[0] != '\0' ? r->remote : "unknown";
	if (!pwhash_verify(u.password_hash, pw)) {
		if (staff_signin_failed(r->db, u.id) != DB_OK ||
		    queue_audit(r->db, &s, "signin_failed", 0, 0, NULL) !=
		    DB_OK) {
			staff_fail(r, "signin: failed");
			goto out;
		}
		report_error(&rep, 0, "", MSG_WRONG);
		goto again;
	}
	if (staff_signin_ok(r->db, u.id) != DB_OK) {
		staff_fail(r, "signin: ok");
		goto out;
	}
	if (u.locked) {
		resp_error_page(r, 403, "Staff account locked", "This staff "
		    "account is locked. Ask a supervisor.");
		goto out;
	}
	/* A new session id: one planted before is worth nothing. */
	if (old != NULL && staff_session_delete(r->db, old) != DB_OK)
		log_msg(LOG_LVL_WARNING, "staff signin: old session: %s",
		    r->db->errmsg);
	if (staff_session_create(r->db, u.id, staff_role_names[u.role],
	    cfg->session_idle_minutes * 60, cfg->session_max_hours * 3600,
	    tok) != DB_OK ||
	    queue_audit(r->db, &s, "signin", 0, 0, staff_role_names[u.role])
	    != DB_OK) {
		staff_fail(r, "signin: session");
		goto out;
	}
	resp_cookie(r, STAFF_COOKIE, tok, -1);
	explicit_bzero(tok, sizeof(tok));
	resp_redirect(r, next != NULL ? next : HOME);
	goto out;
again:
	r->status = 422;
page:
	signin_page(r, email, next, &rep);
out:
	explicit_bzero(&u, sizeof(u));
	report_free(&rep);
}

static void
signout(struct req *r)
{
	const char	*tok = kv_get(&r->cookies, STAFF_COOKIE);
	struct staff	 s;

	staff_who(r, &s);
	if (tok != NULL && staff_session_delete(r->db, tok) != DB_OK)
		log_msg(LOG_LVL_WARNING, "staff signout: %s", r->db->errmsg);
	if (queue_audit(r->db, &s, "signout", 0, 0, NULL) != DB_OK)
		log_msg(LOG_LVL_WARNING, "staff signout: audit: %s",
		    r->db->errmsg);
	resp_cookie(r, STAFF_COOKIE, "", 0);
	resp_redirect(r, "/staff/signin");
}

/* ----- the dashboard ----- */

static void
dashboard(struct req *r)
{
	struct html		*h = &r->h;
	struct console_dash	 d;
	char			 buf[96], age[64], href[96];
	size_t			 i;

	if (console_dashboard(r->db, &d) != DB_OK) {
		staff_fail(r, "dashboard");
		return;
	}
	staff_page_begin(r, "Dashboard", "dashboard");
	h_elem(h, "h1", "Licensing office", NULL);
	h_open(h, "p", "class", "usa-intro", NULL);
	ui_time(d.now, buf, sizeof(buf));
	h_textf(h, "The email channel at %s.", buf);
	h_close(h);

	h_elem(h, "h2", "Queue", "id", "queue", NULL);
	h_open(h, "table", "class", "usa-table usa-table--borderless "
	    "aim-dash-queue", NULL);
	h_elem(h, "caption", "Items waiting for staff, by kind", NULL);
	ui_thead(h, "Kind", "Waiting", "Claimed", "Oldest waiting", NULL);
	for (i = 0; i < QK__MAX; i++) {
		h_open(h, "tr", "data-kind", queue_kind_names[i], NULL);
		snprintf(href, sizeof(href), "/staff/queue?kind=%s",
		    queue_kind_names[i]);
		h_open(h, "th", "scope", "row", NULL);
		h_elem(h, "a", kind_labels[i], "href", href, "class",
		    "usa-link", NULL);
		h_close(h);
		snprintf(buf, sizeof(buf), "%ld", d.active[i]);
		h_elem(h, "td", buf, "data-label", "Waiting", "class",
		    "aim-dash-count", NULL);
		snprintf(buf, sizeof(buf), "%ld", d.claimed[i]);
		ui_td(h, "Claimed", buf);
		staff_age(d.oldest[i], age, sizeof(age));
		ui_td(h, "Oldest waiting", age[0] ? age : "-");
		h_close(h);
	}
	h_close(h);
	h_close(h);

	h_elem(h, "h2", "Incoming mail", "id", "mail", NULL);
	h_open(h, "ul", "class", "usa-list", NULL);
	h_open(h, "li", "class", "aim-dash-unread", NULL);
	staff_age(d.mail_oldest, age, sizeof(age));
	h_textf(h, "%ld message%s stored but not yet handled%s%s%s",
	    d.mail_unread, d.mail_unread == 1 ? "" : "s", age[0] ?
	    " (oldest " : "", age, age[0] ? " ago)" : "");
	h_close(h);
	h_open(h, "li", NULL);
	h_textf(h, "%ld message%s in quarantine", d.mail_quarantined,
	    d.mail_quarantined == 1 ? "" : "s");
	h_close(h);
	h_close(h);
	if (d.nmailboxes == 0)
		h_elem(h, "p", "No mailbox has been fetched yet: is the mail "
		    "gateway (aim-maild) running?", "class", "aim-dash-nofetch",
		    NULL);
	else {
		h_open(h, "table", "class", "usa-table usa-table--borderless "
		    "aim-dash-mailboxes", NULL);
		h_elem(h, "caption", "Mailboxes", NULL);
		ui_thead(h, "Mailbox", "Last fetched", "Since", "Last error",
		    NULL);
		for (i = 0; i < d.nmailboxes; i++) {
			h_open(h, "tr", NULL);
			h_elem(h, "th", d.mailboxes[i].mailbox, "scope", "row",
			    NULL);
			ui_time(d.mailboxes[i].last_fetch_at, buf,
			    sizeof(buf));
			ui_td(h, "Last fetched", buf[0] ? buf : "never");
			staff_age(d.mailboxes[i].last_fetch_at, age,
			    sizeof(age));
			ui_td(h, "Since", age[0] ? age : "-");
			ui_td(h, "Last error", d.mailboxes[i].last_error[0] ?
			    d.mailboxes[i].last_error : "none");
			h_close(h);
		}
		h_close(h);
		h_close(h);
	}

	h_elem(h, "h2", "Outgoing mail", "id", "outbox", NULL);
	h_open(h, "ul", "class", "usa-list", NULL);
	h_open(h, "li", "class", "aim-dash-backlog", NULL);
	staff_age(d.outbox_oldest, age, sizeof(age));
	h_textf(h, "%ld email%s waiting to be sent%s%s%s", d.outbox_queued,
	    d.outbox_queued == 1 ? "" : "s", age[0] ? " (oldest " : "", age,
	    age[0] ? " ago)" : "");
	h_close(h);
	h_open(h, "li", "class", "aim-dash-failed", NULL);
	h_textf(h, "%ld email%s failed for good ", d.outbox_failed,
	    d.outbox_failed == 1 ? "" : "s");
	h_elem(h, "a", "(see the queue)", "href",
	    "/staff/queue?kind=outbound_failure", "class", "usa-link", NULL);
	h_close(h);
	h_close(h);
	page_end(r);
	console_dash_free(&d);
}

/* ----- filer accounts ----- */

static const char *
yes_no(int v)
{
	return v ? "Yes" : "No";
}

static void
accounts_table(struct req *r, const struct console_account *v, size_t n,
    const char *caption)
{
	struct html	*h = &r->h;
	char		 href[64], buf[32];
	size_t		 i;

	h_open(h, "table", "class", "usa-table usa-table--striped "
	    "usa-table--stacked aim-accounts", NULL);
	h_elem(h, "caption", caption, NULL);
	ui_thead(h, "Company", "Email (user)", "EIN or importer number",
	    "Contact", "Licenses", "State", NULL);
	for (i = 0; i < n; i++) {
		h_open(h, "tr", NULL);
		snprintf(href, sizeof(href), "/staff/accounts/%lld",
		    (long long)v[i].id);
		h_open(h, "th", "scope", "row", "data-label", "Company", NULL);
		h_elem(h, "a", v[i].company_name ? v[i].company_name : "-",
		    "href", href, "class", "usa-link", NULL);
		h_close(h);
		ui_td(&r->h, "Email (user)", v[i].email ? v[i].email : "");
		ui_td(&r->h, "EIN or importer number", v[i].ein && *v[i].ein ?
		    v[i].ein : v[i].importer_number ? v[i].importer_number :
		    "");
		ui_td(&r->h, "Contact", v[i].contact_name ? v[i].contact_name :
		    "");
		snprintf(buf, sizeof(buf), "%ld", v[i].licenses);
		ui_td(&r->h, "Licenses", buf);
		ui_td(&r->h, "State", v[i].locked ? "Locked" : !v[i].verified ?
		    "Not verified" : !v[i].efiling ? "E-filing revoked" :
		    "Active");
		h_close(h);
	}
	h_close(h);
	h_close(h);
}

static void
accounts(struct req *r)
{
	struct html		*h = &r->h;
	struct console_account	*v = NULL;
	struct ui_field		 f;
	struct buf		 base;
	const char		*q = kv_get(&r->query, "q");
	size_t			 n = 0, total = 0, page = staff_page_arg(r);
	char			 cap[96];

	if (console_accounts(r->db, q, (page - 1) * ACCOUNT_ROWS,
	    ACCOUNT_ROWS, &v, &n, &total) != DB_OK) {
		staff_fail(r, "accounts");
		return;
	}
	staff_page_begin(r, "Accounts", "accounts");
	h_elem(h, "h1", "Filer accounts", NULL);
	staff_search_begin(r, "/staff/accounts");
	memset(&f, 0, sizeof(f));
	f.name = "q";
	f.label = "Company, email, EIN or importer number";
	f.value = q;
	f.type = "search";
	ui_input(r, &f);
	ui_button(r, "Search", NULL);
	h_close(h);
	snprintf(cap, sizeof(cap), "%zu account%s", total, total == 1 ? "" :
	    "s");
	if (n == 0)
		h_elem(h, "p", "No account matches.", NULL);
	else
		accounts_table(r, v, n, cap);
	buf_init(&base, 4096);
	buf_puts(&base, "/staff/accounts");
	ui_qs_add(&base, "q", q);
	staff_pager(r, buf_str(&base), page, ACCOUNT_ROWS, total);
	buf_free(&base);
	page_end(r);
	console_accounts_free(v, n);
}

/* A supervisor's switch of an account: a form with one button. */
static void
switch_form(struct req *r, int64_t id, const char *what, int on,
    const char *label, const char *cls)
{
	char	 action[96];

	snprintf(action, sizeof(action), "/staff/accounts/%lld/%s",
	    (long long)id, what);
	h_open(&r->h, "li", "class", "usa-button-group__item", NULL);
	h_open(&r->h, "form", "method", "post", "action", action, NULL);
	h_void(&r->h, "input", "type", "hidden", "name", "csrf", "value",
	    r->csrf, NULL);
	h_void(&r->h, "input", "type", "hidden", "name", "on", "value",
	    on ? "1" : "0", NULL);
	ui_button(r, label, cls);
	h_close(&r->h);
	h_close(&r->h);
}

static void
dl(struct html *h, const char *label, const char *value)
{
	h_elem(h, "dt", label, "class", "text-bold margin-top-1", NULL);
	h_elem(h, "dd", value != NULL && *value ? value : "-", "class",
	    "margin-left-0", NULL);
}

static void
account_page(struct req *r)
{
	struct html			*h = &r->h;
	struct console_account		 a, *co = NULL;
	struct listing_staff_query	 lq;
	struct listing_staff_row	*rows = NULL;
	const char			*done = kv_get(&r->query, "done");
	char				 href[96], title[128];
	size_t				 nco = 0, n = 0, total = 0, i;
	int64_t				 id;
	enum db_err			 e;

	if (staff_arg_id(r, &id) == -1) {
		resp_error_page(r, 404, "No such account", "There is no "
		    "account with this number.");
		return;
	}
	if ((e = console_account(r->db, id, &a)) != DB_OK) {
		if (e == DB_NOT_FOUND)
			resp_error_page(r, 404, "No such account", "There is "
			    "no account with this number.");
		else
			staff_fail(r, "account");
		return;
	}
	memset(&lq, 0, sizeof(lq));
	lq.account_id = id;
	lq.limit = 25;
	if (console_company(r->db, &a, &co, &nco) != DB_OK ||
	    listing_staff_query(r->db, &lq, &rows, &n, &total) != DB_OK) {
		staff_fail(r, "account: company");
		goto out;
	}
	snprintf(title, sizeof(title), "%s", a.company_name ?
	    a.company_name : "Account");
	staff_page_begin(r, title, "accounts");
	if (done != NULL && strcmp(done, "1") == 0)
		ui_alert(r, "success", "Saved", "The change is made and "
		    "recorded in the audit log.");
	h_elem(h, "h1", title, NULL);
	h_open(h, "dl", "class", "aim-account", NULL);
	dl(h, "Email (user name)", a.email);
	dl(h, "Alternate email", a.alt_email);
	dl(h, "EIN", a.ein);
	dl(h, "CBP importer number", a.importer_number);
	dl(h, "Contact", a.contact_name);
	dl(h, "Phone", a.phone);
	dl(h, "Email verified", yes_no(a.verified));
	dl(h, "Locked", yes_no(a.locked));
	dl(h, "May file electronically", yes_no(a.efiling));
	ui_time(a.created_at, title, sizeof(title));
	dl(h, "Registered", title);
	h_close(h);
	if (!a.efiling)
		ui_alert(r, "warning", "Electronic filing revoked", "The web "
		    "site and the API refuse this account's filings; its "
		    "licenses are issued only by staff, from emailed forms.");
	if (r->staff == ROLE_SUPERVISOR) {
		h_elem(h, "h2", "Supervisor actions", NULL);
		h_open(h, "ul", "class", "usa-button-group", NULL);
		switch_form(r, id, "lock", !a.locked, a.locked ?
		    "Unlock the account" : "Lock the account", a.locked ?
		    NULL : "usa-button--secondary");
		switch_form(r, id, "efiling", !a.efiling, a.efiling ?
		    "Revoke electronic filing" : "Restore electronic filing",
		    "usa-button--outline");
		h_close(h);
	}
	h_elem(h, "h2", "The company's users", NULL);
	if (nco == 0)
		h_elem(h, "p", "No other account has this company's name, EIN "
		    "or importer number.", NULL);
	else
		accounts_table(r, co, nco, "Other accounts of the company");
	h_open(h, "h2", NULL);
	h_textf(h, "Licenses (%zu)", total);
	h_close(h);
	h_open(h, "ul", "class", "usa-list", NULL);
	for (i = 0; i < n; i++) {
		h_open(h, "li", NULL);
		snprintf(href, sizeof(href), "/staff/licenses/%s",
		    rows[i].l.number);
		h_elem(h, "a", rows[i].l.number, "href", href, "class",
		    "usa-link aim-licnum", NULL);
		h_textf(h, " %s, %s, %s, issued %s", rows[i].l.product,
		    rows[i].l.status, rows[i].l.importer_name,
		    rows[i].l.valid_from);
		h_close(h);
	}
	h_close(h);
	if (total > n) {
		snprintf(href, sizeof(href), "/staff/licenses?account=%lld",
		    (long long)id);
		h_elem(h, "a", "All the account's licenses", "href", href,
		    "class", "usa-link", NULL);
	}
	page_end(r);
out:
	free(rows);
	console_accounts_free(co, nco);
	console_account_clear(&a);
}

/* POST on=0|1 to a switch; the audit row is written by db/console.c. */
static void
account_switch(struct req *r, enum console_switch sw)
{
	const char	*on = kv_get(&r->form, "on");
	struct staff	 s;
	char		 to[64];
	int64_t		 id;
	enum db_err	 e;

	if (staff_arg_id(r, &id) == -1 || on == NULL ||
	    (strcmp(on, "0") != 0 && strcmp(on, "1") != 0)) {
		resp_error_page(r, 400, "Not understood", "Choose the change "
		    "on the account's page.");
		return;
	}
	staff_who(r, &s);
	if ((e = console_account_set(r->db, &s, id, sw, on[0] == '1')) !=
	    DB_OK) {
		if (e == DB_NOT_FOUND)
			resp_error_page(r, 404, "No such account", "There is "
			    "no account with this number.");
		else
			staff_fail(r, "account switch");
		return;
	}
	snprintf(to, sizeof(to), "/staff/accounts/%lld?done=1",
	    (long long)id);
	resp_redirect(r, to);
}

static void
account_lock(struct req *r)
{
	account_switch(r, CONSOLE_LOCKED);
}

static void
account_efiling(struct req *r)
{
	account_switch(r, CONSOLE_EFILING);
}

/* ----- the audit log (supervisors) ----- */

static void
audit(struct req *r)
{
	struct html			*h = &r->h;
	struct console_audit_filter	 f;
	struct console_audit_row	*v = NULL;
	struct ui_field			 uf;
	struct buf			 base;
	const char			*who = kv_get(&r->query, "who");
	const char			*action = kv_get(&r->query, "action");
	const char			*item = kv_get(&r->query, "item");
	char				 ts[40], href[96], id[32];
	char				*end;
	size_t				 n = 0, total = 0, i;
	size_t				 page = staff_page_arg(r);
	long long			 it = 0;

	memset(&f, 0, sizeof(f));
	if (item != NULL && *item != '\0') {
		it = strtoll(item, &end, 10);
		if (*end != '\0' || it < 1)
			it = -1;
	}
	f.who = who;
	f.action = action;
	f.item_id = it;
	f.offset = (page - 1) * AUDIT_ROWS;
	f.limit = AUDIT_ROWS;
	/* An item that cannot be one matches nothing. */
	if (it != -1 && console_audit(r->db, &f, &v, &n, &total) != DB_OK) {
		staff_fail(r, "audit");
		return;
	}
	staff_page_begin(r, "Audit log", "audit");
	h_elem(h, "h1", "Audit log", NULL);
	h_elem(h, "p", "Every staff action: who, when, from which address, "
	    "what. Newest first. The log can be read, never changed.",
	    "class", "usa-intro", NULL);
	staff_search_begin(r, "/staff/audit");
	memset(&uf, 0, sizeof(uf));
	uf.name = "who";
	uf.label = "Staff member (email)";
	uf.value = who;
	ui_input(r, &uf);
	uf.name = "action";
	uf.label = "Action (approve, reject, claim, question, ...)";
	uf.value = action;
	ui_input(r, &uf);
	uf.name = "item";
	uf.label = "Queue item number";
	uf.value = item;
	uf.width = "usa-input--small";
	ui_input(r, &uf);
	ui_button(r, "Filter", NULL);
	h_close(h);
	h_open(h, "table", "class", "usa-table usa-table--striped "
	    "usa-table--stacked aim-audit", NULL);
	h_open(h, "caption", NULL);
	h_textf(h, "%zu row%s", total, total == 1 ? "" : "s");
	h_close(h);
	ui_thead(h, "When", "Who", "From", "Action", "Item", "License",
	    "Detail", NULL);
	for (i = 0; i < n; i++) {
		h_open(h, "tr", NULL);
		ui_time(v[i].a.at, ts, sizeof(ts));
		ui_td(h, "When", ts);
		ui_td(h, "Who", v[i].a.who ? v[i].a.who : "");
		ui_td(h, "From", v[i].a.addr ? v[i].a.addr : "");
		h_elem(h, "td", v[i].a.action, "data-label", "Action",
		    "class", "aim-audit-action", NULL);
		h_open(h, "td", "data-label", "Item", NULL);
		if (v[i].a.item_id > 0) {
			snprintf(href, sizeof(href), "/staff/queue/%lld",
			    (long long)v[i].a.item_id);
			snprintf(id, sizeof(id), "%lld",
			    (long long)v[i].a.item_id);
			h_elem(h, "a", id, "href", href, "class", "usa-link",
			    NULL);
		}
		h_close(h);
		h_open(h, "td", "data-label", "License", NULL);
		if (v[i].license_number[0] != '\0') {
			snprintf(href, sizeof(href), "/staff/licenses/%s",
			    v[i].license_number);
			h_elem(h, "a", v[i].license_number, "href", href,
			    "class", "usa-link aim-licnum", NULL);
		}
		h_close(h);
		ui_td(h, "Detail", v[i].a.detail ? v[i].a.detail : "");
		h_close(h);
	}
	h_close(h);
	h_close(h);
	buf_init(&base, 4096);
	buf_puts(&base, "/staff/audit");
	ui_qs_add(&base, "who", who);
	ui_qs_add(&base, "action", action);
	ui_qs_add(&base, "item", item);
	staff_pager(r, buf_str(&base), page, AUDIT_ROWS, total);
	buf_free(&base);
	page_end(r);
	console_audit_free(v, n);
}

static const struct route routes[] = {
	{ METHOD_GET, "/staff/signin", ROLE_PUBLIC, signin_get },
	{ METHOD_POST, "/staff/signin", ROLE_PUBLIC, signin_post },
	{ METHOD_POST, "/staff/signout", ROLE_STAFF, signout },
	{ METHOD_GET, "/staff", ROLE_STAFF, dashboard },
	{ METHOD_GET, "/staff/queue", ROLE_STAFF, staff_queue_list },
	{ METHOD_GET, "/staff/queue/*", ROLE_STAFF, staff_item },
	{ METHOD_POST, "/staff/queue/*/claim", ROLE_STAFF, staff_item_claim },
	{ METHOD_GET, "/staff/queue/*/takeover", ROLE_STAFF,
	  staff_item_takeover },
	{ METHOD_POST, "/staff/queue/*/release", ROLE_STAFF,
	  staff_item_release },
	{ METHOD_GET, "/staff/queue/*/edit", ROLE_STAFF, staff_item_edit },
	{ METHOD_POST, "/staff/queue/*/edit", ROLE_STAFF,
	  staff_item_edit_post },
	{ METHOD_POST, "/staff/queue/*/approve", ROLE_STAFF,
	  staff_item_approve },
	{ METHOD_POST, "/staff/queue/*/reject", ROLE_STAFF,
	  staff_item_reject },
	{ METHOD_POST, "/staff/queue/*/close", ROLE_STAFF, staff_item_close },
	{ METHOD_POST, "/staff/queue/*/reprocess", ROLE_STAFF,
	  staff_item_reprocess },
	{ METHOD_POST, "/staff/queue/*/reply", ROLE_STAFF, staff_item_reply },
	{ METHOD_GET, "/staff/mail/*", ROLE_STAFF, staff_mail },
	{ METHOD_GET, "/staff/mail/*/attachment", ROLE_STAFF,
	  staff_mail_attachment },
	{ METHOD_GET, "/staff/mail/*/raw", ROLE_STAFF, staff_mail_raw },
	{ METHOD_GET, "/staff/licenses", ROLE_STAFF, staff_licenses },
	{ METHOD_GET, "/staff/licenses/*", ROLE_STAFF, staff_license },
	{ METHOD_POST, "/staff/licenses/*/question", ROLE_STAFF,
	  staff_license_question },
	{ METHOD_GET, "/staff/action-required", ROLE_STAFF,
	  staff_action_required },
	{ METHOD_GET, "/staff/duplicates", ROLE_STAFF, staff_duplicates },
	{ METHOD_POST, "/staff/duplicates/dismiss", ROLE_STAFF,
	  staff_duplicate_dismiss },
	{ METHOD_POST, "/staff/duplicates/ask", ROLE_STAFF,
	  staff_duplicate_ask },
	{ METHOD_GET, "/staff/accounts", ROLE_STAFF, accounts },
	{ METHOD_GET, "/staff/accounts/*", ROLE_STAFF, account_page },
	{ METHOD_POST, "/staff/accounts/*/lock", ROLE_SUPERVISOR,
	  account_lock },
	{ METHOD_POST, "/staff/accounts/*/efiling", ROLE_SUPERVISOR,
	  account_efiling },
	{ METHOD_GET, "/staff/audit", ROLE_SUPERVISOR, audit },
};

ROUTE_TABLE(routes_staff, routes);
