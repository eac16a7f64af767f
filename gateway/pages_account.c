/*
 * Account pages: register, verify the email, sign in and out, forgot
 * and reset the password, and My Account (profile, password, API
 * tokens).  The rules are forms/account.c's; the storage db/'s.  What
 * is decided here is only what to tell whom: a sign-in failure never
 * says whether the email or the password was wrong, and the forgot and
 * resend answers are the same whether or not the account exists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/limits.h"
#include "lib/log.h"
#include "lib/pwhash.h"
#include "forms/account.h"
#include "db/accounts.h"
#include "db/codes.h"
#include "db/sessions.h"
#include "db/tokens.h"
#include "layout.h"
#include "route.h"
#include "signin.h"

#define SESSION_COOKIE	"aim_session"
#define SESSION_ROLE	"filer"
#define HOME_PATH	"/licenses"
#define TOKEN_NAME_MAX	(sizeof(((struct api_token *)NULL)->name) - 1)
#define MSG_SIGNIN_WRONG	"Email or password is wrong"
#define MSG_CODE_EXPIRED	"This code has expired or has been used up. " \
	"Send a new code and enter the one in the new email."

/* How each account field is typed in and filled in by browsers. */
static const struct afield_ui {
	const char	*type;
	const char	*autocomplete;
	const char	*width;
	int		 required;
} afui[AF__MAX] = {
	[AF_EMAIL] = { "email", "email", NULL, 1 },
	/* not "email": a browser would fill in the primary again */
	[AF_ALT_EMAIL] = { "email", "off", NULL, 0 },
	[AF_COMPANY_NAME] = { "text", "organization", NULL, 1 },
	[AF_EIN] = { "text", "off", "usa-input--medium", 0 },
	[AF_IMPORTER_NUMBER] = { "text", "off", "usa-input--medium", 0 },
	[AF_ADDRESS] = { "text", "street-address", NULL, 1 },
	[AF_PHONE] = { "tel", "tel", "usa-input--medium", 1 },
	[AF_CONTACT_NAME] = { "text", "name", NULL, 1 },
};

/* Legends sized as the heading level they stand for. */
#define LEGEND_H2	"usa-legend font-sans-lg text-bold margin-top-5"
#define LEGEND_H3	"usa-legend font-sans-md text-bold margin-top-4"

/* Field groups of the profile form, in the order people fill it in. */
static const enum afield company_fields[] = {
	AF_COMPANY_NAME, AF_ADDRESS,
};
static const enum afield contact_fields[] = {
	AF_CONTACT_NAME, AF_PHONE, AF_ALT_EMAIL,
};

static void
fail(struct req *r, const char *what)
{
	log_msg(LOG_LVL_ERR, "%s: %s", what, r->db->errmsg);
	resp_error_page(r, 503, "Something went wrong", "We could not "
	    "finish this on our side. Nothing was lost: try again in a "
	    "moment.");
}

static const char *
form_get(const struct req *r, const char *name)
{
	return kv_get(&r->form, name);
}

/*
 * An email as typed into sign-in, verify, forgot or reset: trimmed and
 * lower-cased (accounts store it so).  Returns 0 if it has the shape of
 * an address, -1 if not (out then holds what fitted, for redisplay).
 */
static int
email_norm(const char *in, char *out, size_t sz)
{
	size_t	 end;

	out[0] = '\0';
	if (in == NULL)
		return -1;
	while (*in == ' ' || *in == '\t')
		in++;
	end = strnlen(in, LIM_EMAIL_BYTES + 1);
	while (end > 0 && (in[end - 1] == ' ' || in[end - 1] == '\t'))
		end--;
	if (end == 0 || end > LIM_EMAIL_BYTES || end >= sz)
		return -1;
	email_lower(out, in, end);
	return email_valid(out) ? 0 : -1;
}

/* Percent-encodes s for a query string; -1 if it does not fit. */
static int
urlenc(const char *s, char *out, size_t sz)
{
	static const char	 hex[] = "0123456789ABCDEF";
	size_t			 o = 0;
	unsigned char		 c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-_.~@", c) != NULL) {
			if (o + 1 >= sz)
				return -1;
			out[o++] = c;
		} else {
			if (o + 3 >= sz)
				return -1;
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	if (o >= sz)
		return -1;
	out[o] = '\0';
	return 0;
}

/* Redirects to path?email=EMAIL&flag=1 (flag may be NULL). */
static void
redirect_email(struct req *r, const char *path, const char *email,
    const char *flag)
{
	char	 enc[LIM_EMAIL_BYTES * 3 + 1];
	char	 loc[LIM_NEXT_PATH_BYTES + sizeof(enc)];

	if (email == NULL || urlenc(email, enc, sizeof(enc)) == -1)
		enc[0] = '\0';
	snprintf(loc, sizeof(loc), "%s?email=%s%s%s%s", path, enc,
	    flag ? "&" : "", flag ? flag : "", flag ? "=1" : "");
	resp_redirect(r, loc);
}

/*
 * The page to go to after signing in: only a path of this site, never
 * "//host" or "/\host" (browsers take both as another host), nothing
 * outside printable ASCII, and not the sign-in pages themselves.
 */
static const char *
next_ok(const char *next)
{
	if (next == NULL || next[0] != '/' || next[1] == '/' ||
	    !signin_path_ok(next))
		return NULL;
	if (strncmp(next, "/signin", 7) == 0 ||
	    strncmp(next, "/signout", 8) == 0)
		return NULL;
	return next;
}

static int
flag_set(const struct req *r, const char *name)
{
	const char	*v = kv_get(&r->query, name);

	return v != NULL && strcmp(v, "1") == 0;
}

/*
 * Signs an account in on a new session id, so an id a visitor had
 * before (maybe planted) is worth nothing after.  0, or -1 after the
 * error page.
 */
static int
start_session(struct req *r, int64_t account_id)
{
	const char	*old = kv_get(&r->cookies, SESSION_COOKIE);
	struct config	*cfg = r->gw->cfg;
	char		 tok[SESSION_TOKEN_LEN + 1];

	if (old != NULL && session_delete(r->db, old) != DB_OK)
		log_msg(LOG_LVL_WARNING, "sign-in: old session: %s",
		    r->db->errmsg);
	if (session_create(r->db, account_id, SESSION_ROLE,
	    cfg->session_idle_minutes * 60, cfg->session_max_hours * 3600,
	    tok) != DB_OK) {
		fail(r, "session_create");
		return -1;
	}
	resp_cookie(r, SESSION_COOKIE, tok, -1);
	explicit_bzero(tok, sizeof(tok));
	return 0;
}

/*
 * Page frame: the error summary first (scripts focus it), then the
 * heading in one centred column.  Titles of pages with errors start
 * with "Error:" so screen reader users hear it first.
 */
static void
page_open(struct req *r, const char *title, const struct report *rep,
    const char *cols)
{
	struct html	*h = &r->h;
	char		 t[128];

	if (rep != NULL && rep->nerrors > 0) {
		snprintf(t, sizeof(t), "Error: %s", title);
		page_begin(r, t);
	} else
		page_begin(r, title);
	h_open(h, "div", "class", "grid-row grid-gap", NULL);
	h_open(h, "div", "class", cols ? cols :
	    "grid-col-12 tablet:grid-col-10 desktop:grid-col-7", NULL);
	ui_error_summary(r, rep);
	h_elem(h, "h1", title, NULL);
}

static void
lead(struct req *r, const char *text)
{
	h_elem(&r->h, "p", text, "class", "usa-intro", NULL);
}

static void
afield_input(struct req *r, enum afield i, const char *value,
    const struct report *rep)
{
	struct ui_field	 f;

	memset(&f, 0, sizeof(f));
	f.name = afields[i].name;
	f.label = afields[i].label;
	f.hint = afields[i].help;
	f.value = value;
	f.type = afui[i].type;
	f.autocomplete = afui[i].autocomplete;
	f.width = afui[i].width;
	f.required = afui[i].required;
	f.error = ui_error_for(rep, f.name);
	ui_input(r, &f);
}

static void
email_input(struct req *r, const char *value, const char *hint,
    const struct report *rep)
{
	struct ui_field	 f;

	memset(&f, 0, sizeof(f));
	f.name = "email";
	f.label = afields[AF_EMAIL].label;
	f.hint = hint;
	f.value = value;
	f.type = "email";
	f.autocomplete = "email";
	f.required = 1;
	f.error = ui_error_for(rep, "email");
	ui_input(r, &f);
}

/* The 6-digit code box: numeric keypad on phones, one-time-code for
 * the browser to offer the code from the email (ui_input has no
 * inputmode, so this one is written here in the same markup). */
static void
code_input(struct req *r, const char *value, const struct report *rep)
{
	struct html	*h = &r->h;
	const char	*err = ui_error_for(rep, "code");
	int		 d = h->depth;

	h_open(h, "div", "class", err ? "usa-form-group "
	    "usa-form-group--error" : "usa-form-group", NULL);
	h_elem(h, "label", "Code", "class", err ? "usa-label "
	    "usa-label--error" : "usa-label", "for", "f-code", NULL);
	h_elem(h, "div", "The 6 digits in the email we sent you. A code is "
	    "valid for 30 minutes.", "class", "usa-hint", "id", "f-code-hint",
	    NULL);
	if (err != NULL)
		h_elem(h, "span", err, "class", "usa-error-message", "id",
		    "f-code-error", "role", "alert", NULL);
	h_void(h, "input", "class", err ? "usa-input usa-input--small "
	    "usa-input--error" : "usa-input usa-input--small", "id", "f-code",
	    "name", "code", "type", "text", "inputmode", "numeric",
	    "autocomplete", "one-time-code", "maxlength", "7", "value",
	    value ? value : "", "aria-describedby", err ?
	    "f-code-hint f-code-error" : "f-code-hint", "aria-invalid",
	    err ? "true" : NULL, "required", "", "spellcheck", "false", NULL);
	h_close_to(h, d);
}

static void
hidden(struct req *r, const char *name, const char *value)
{
	h_void(&r->h, "input", "type", "hidden", "name", name, "value", value,
	    NULL);
}

/* The buttons of a form that takes a code: label submits it; "Send a
 * new code" posts the same form to resend instead. */
static void
code_actions(struct req *r, const char *label, const char *resend)
{
	struct html	*h = &r->h;

	h_open(h, "div", "class", "aim-actions", NULL);
	ui_button(r, label, NULL);
	h_elem(h, "button", "Send a new code", "type", "submit",
	    "formaction", resend, "class", "usa-button usa-button--outline",
	    NULL);
	h_close(h);
}

static void
link_para(struct req *r, const char *before, const char *label,
    const char *href)
{
	h_open(&r->h, "p", NULL);
	if (before != NULL)
		h_text(&r->h, before);
	h_elem(&r->h, "a", label, "href", href, "class", "usa-link", NULL);
	h_close(&r->h);
}

/* The company and contact fields of register and My Account. */
static void
profile_fields(struct req *r, char *const *v, const struct report *rep,
    const char *legend)
{
	struct html	*h = &r->h;
	size_t		 i;

	h_open(h, "fieldset", "class", "usa-fieldset", NULL);
	h_elem(h, "legend", "Company", "class", legend, NULL);
	for (i = 0; i < sizeof(company_fields) / sizeof(company_fields[0]);
	    i++) {
		afield_input(r, company_fields[i], v[company_fields[i]], rep);
		if (company_fields[i] != AF_COMPANY_NAME)
			continue;
		/* EIN or importer number: one of the two. */
		h_open(h, "fieldset", "class", "usa-fieldset", NULL);
		h_elem(h, "legend", "Company identifier", "class",
		    "usa-legend", NULL);
		h_elem(h, "p", "Give your EIN or, if you have none, your CBP "
		    "importer number: one of the two.", "class", "usa-hint",
		    NULL);
		afield_input(r, AF_EIN, v[AF_EIN], rep);
		afield_input(r, AF_IMPORTER_NUMBER, v[AF_IMPORTER_NUMBER],
		    rep);
		h_close(h);
	}
	h_close(h);
	h_open(h, "fieldset", "class", "usa-fieldset", NULL);
	h_elem(h, "legend", "Contact", "class", legend, NULL);
	for (i = 0; i < sizeof(contact_fields) / sizeof(contact_fields[0]);
	    i++)
		afield_input(r, contact_fields[i], v[contact_fields[i]], rep);
	h_close(h);
}

/* Copies the account fields of the posted form; email as given. */
static int
read_account_form(struct req *r, struct account_form *af)
{
	const char	*s;
	size_t		 i;

	memset(af, 0, sizeof(*af));
	for (i = 0; i < AF__MAX; i++)
		if ((s = form_get(r, afields[i].name)) != NULL &&
		    (af->v[i] = strdup(s)) == NULL)
			return -1;
	return 0;
}

/* New password and its confirmation, on fields password and
 * password_confirm.  Returns the number of errors added. */
static int
new_password_check(const char *pw, const char *pw2, struct report *rep)
{
	if (password_check(pw, rep) != 0)
		return 1;
	if (pw2 == NULL || *pw2 == '\0') {
		report_error(rep, 0, "password_confirm", "Type the password "
		    "again to confirm it");
		return 1;
	}
	if (strcmp(pw, pw2) != 0) {
		report_error(rep, 0, "password_confirm", "The two passwords "
		    "differ: type the same password in both fields");
		return 1;
	}
	return 0;
}

#define PASSWORD_HINT	"8 to 64 characters with at least three of: " \
	"lowercase letter, uppercase letter, digit, symbol."

/*
 * Register
 */

static void
register_page(struct req *r, char *const *v, const struct report *rep,
    int exists)
{
	struct html	*h = &r->h;

	page_open(r, "Register", rep, NULL);
	lead(r, "Create an account for your company to file aluminum and "
	    "steel import licenses. We send a code to your email address to "
	    "confirm it.");
	if (exists) {
		h_open(h, "p", NULL);
		h_elem(h, "a", "Sign in", "href", "/signin", "class",
		    "usa-link", NULL);
		h_text(h, " or ");
		h_elem(h, "a", "reset your password", "href", "/forgot",
		    "class", "usa-link", NULL);
		h_text(h, " if this is your account.");
		h_close(h);
	} else
		link_para(r, "Already registered? ", "Sign in", "/signin");
	ui_form_begin(r, "/register", "register-form");
	h_elem(h, "p", "Every field is required unless marked optional.",
	    "class", "usa-hint", NULL);
	h_open(h, "fieldset", "class", "usa-fieldset", NULL);
	h_elem(h, "legend", "Sign-in details", "class", LEGEND_H2, NULL);
	afield_input(r, AF_EMAIL, v[AF_EMAIL], rep);
	ui_password(r, "password", "Password", PASSWORD_HINT,
	    "new-password", rep);
	ui_password(r, "password_confirm", "Confirm password", NULL,
	    "new-password", rep);
	h_close(h);
	profile_fields(r, v, rep, LEGEND_H2);
	ui_button(r, "Create account", NULL);
	ui_form_end(r);
	page_end(r);
}

static void
register_get(struct req *r)
{
	char	*none[AF__MAX] = { NULL };

	if (r->signed_in) {
		resp_redirect(r, "/account");
		return;
	}
	register_page(r, none, NULL, 0);
}

static void
register_post(struct req *r)
{
	struct account_form af;
	struct report	 rep;
	const char	*pw = form_get(r, "password");
	char		 hash[PWHASH_ENCODED_MAX], code[8];
	int64_t		 id;
	int		 exists = 0;
	enum db_err	 e;

	report_init(&rep);
	hash[0] = '\0';
	if (read_account_form(r, &af) == -1) {
		fail(r, "register: out of memory");
		goto out;
	}
	account_check(&af, &rep);
	new_password_check(pw, form_get(r, "password_confirm"), &rep);
	if (rep.nerrors > 0)
		goto again;
	if (pwhash_make(pw, hash, sizeof(hash)) == -1) {
		fail(r, "register: password hash");
		goto out;
	}
	e = accounts_register(r->db, &af, hash, &id, code);
	explicit_bzero(code, sizeof(code));
	if (e == DB_EXISTS) {
		report_error(&rep, 0, afields[AF_EMAIL].name, "An account "
		    "with this email exists: sign in or reset your password");
		exists = 1;
		goto again;
	}
	if (e != DB_OK) {
		fail(r, "accounts_register");
		goto out;
	}
	redirect_email(r, "/verify", af.v[AF_EMAIL], "sent");
	goto out;
again:
	r->status = 422;
	register_page(r, af.v, &rep, exists);
out:
	explicit_bzero(hash, sizeof(hash));
	account_form_clear(&af);
	report_free(&rep);
}

/*
 * Emailed codes: verify the email address and reset the password.  An
 * unknown email answers as an account would, so that no page tells who
 * has an account.
 */

/* The email and code of a verify or reset form into email, errors into
 * rep (bad_email: what to say of an email that is not one). */
static void
code_form_read(struct req *r, char email[LIM_EMAIL_BYTES + 1],
    const char *bad_email, struct report *rep)
{
	const char	*code = form_get(r, "code");

	if (email_norm(form_get(r, "email"), email, LIM_EMAIL_BYTES + 1) ==
	    -1)
		report_error(rep, 0, "email", "%s", bad_email);
	if (code == NULL || *code == '\0')
		report_error(rep, 0, "code", "Enter the 6-digit code from "
		    "our email");
	else if (strnlen(code, 8) > 7)
		report_error(rep, 0, "code", "The code has 6 digits");
}

/*
 * The account of email into a and what it makes of the typed code into
 * *res (left as it is for an unknown email); -1 with the error page
 * sent (what names the page in the log) when the database fails.
 */
static int
code_account(struct req *r, const char *email, enum code_purpose p,
    const char *code, struct account *a, enum code_result *res,
    const char *what)
{
	char		 where[64];
	enum db_err	 e;

	e = accounts_by_email(r->db, email, a);
	if (e != DB_OK && e != DB_NOT_FOUND) {
		snprintf(where, sizeof(where), "%s: account", what);
		fail(r, where);
		return -1;
	}
	if (e == DB_OK && code_check(r->db, a->id, p, code, res) != DB_OK) {
		snprintf(where, sizeof(where), "%s: code_check", what);
		fail(r, where);
		return -1;
	}
	return 0;
}

/* 1 with the reason in rep when a code was not taken. */
static int
code_refused(enum code_result res, struct report *rep)
{
	if (res == CODE_OK)
		return 0;
	if (res == CODE_WRONG)
		/* codes.h does not say how many tries are left. */
		report_error(rep, 0, "code", "That code is not right. Check "
		    "the newest email from us and type its 6 digits; after %d "
		    "wrong tries the code stops working", CODE_MAX_TRIES);
	else
		report_error(rep, 0, "code", "%s", MSG_CODE_EXPIRED);
	return 1;
}

/*
 * Emails a new code of purpose to the account of email, if any and if
 * it may have one (not locked; not verified yet when unverified_only),
 * then redirects to path?email=...&flag=1 all the same.
 */
static void
code_send(struct req *r, const char *email, enum code_purpose p,
    int unverified_only, const char *what, const char *path,
    const char *flag)
{
	struct account	 a;
	char		 code[8], where[64];
	enum db_err	 e;

	memset(&a, 0, sizeof(a));
	e = accounts_by_email(r->db, email, &a);
	if (e != DB_OK && e != DB_NOT_FOUND) {
		snprintf(where, sizeof(where), "%s: account", what);
		fail(r, where);
		goto out;
	}
	if (e == DB_OK && !a.locked && !(unverified_only && a.verified)) {
		if (code_issue(r->db, a.id, p, code) != DB_OK) {
			snprintf(where, sizeof(where), "%s: code_issue", what);
			fail(r, where);
			goto out;
		}
		explicit_bzero(code, sizeof(code));
	}
	redirect_email(r, path, email, flag);
out:
	account_clear(&a);
}

/*
 * Verify the email address
 */

static void
verify_page(struct req *r, const char *email, const char *code,
    const struct report *rep)
{
	struct html	*h = &r->h;

	page_open(r, "Confirm your email address", rep, NULL);
	if (flag_set(r, "sent") && email != NULL && *email != '\0') {
		h_open(h, "div", "class", "usa-alert usa-alert--info "
		    "usa-alert--slim", "role", "status", NULL);
		h_open(h, "div", "class", "usa-alert__body", NULL);
		h_open(h, "p", "class", "usa-alert__text", NULL);
		h_text(h, "We sent a 6-digit code to ");
		h_elem(h, "strong", email, NULL);
		h_text(h, ". It is valid for 30 minutes.");
		h_close(h);
		h_close(h);
		h_close(h);
	} else if (flag_set(r, "resent"))
		ui_alert(r, "info", NULL, "If an account at that email is "
		    "waiting to be confirmed, we sent it a new code. Enter the "
		    "code from the newest email.");
	else if (flag_set(r, "unverified"))
		ui_alert(r, "warning", "Confirm your email address first",
		    "Enter the code from the email we sent when you "
		    "registered, or send a new code.");
	lead(r, "Enter the code from our email to activate your account. "
	    "If it has not arrived, check your spam folder, or send a new "
	    "code.");
	ui_form_begin(r, "/verify", "verify-form");
	email_input(r, email, NULL, rep);
	code_input(r, code, rep);
	code_actions(r, "Confirm", "/verify/resend");
	ui_form_end(r);
	page_end(r);
}

static void
verify_get(struct req *r)
{
	char	 email[LIM_EMAIL_BYTES + 1];

	email_norm(kv_get(&r->query, "email"), email, sizeof(email));
	verify_page(r, email, NULL, NULL);
}

static void
verify_post(struct req *r)
{
	struct account	 a;
	struct report	 rep;
	const char	*code = form_get(r, "code");
	char		 email[LIM_EMAIL_BYTES + 1];
	/* An unknown email answers as a code that is gone. */
	enum code_result res = CODE_EXPIRED;

	memset(&a, 0, sizeof(a));
	report_init(&rep);
	code_form_read(r, email, "Enter the email address you registered "
	    "with, like name@example.com", &rep);
	if (rep.nerrors > 0)
		goto again;
	if (code_account(r, email, CODE_VERIFY_EMAIL, code, &a, &res,
	    "verify") == -1)
		goto out;
	if (code_refused(res, &rep))
		goto again;
	if (a.locked) {
		resp_error_page(r, 403, "Account locked", "Your email "
		    "address is confirmed, but this account is locked. "
		    "Contact the licensing office.");
		goto out;
	}
	if (start_session(r, a.id) == 0)
		resp_redirect(r, HOME_PATH "?welcome=1");
	goto out;
again:
	r->status = 422;
	verify_page(r, email, res == CODE_WRONG ? NULL : code, &rep);
out:
	account_clear(&a);
	report_free(&rep);
}

static void
verify_resend(struct req *r)
{
	struct report	 rep;
	char		 email[LIM_EMAIL_BYTES + 1];

	report_init(&rep);
	if (email_norm(form_get(r, "email"), email, sizeof(email)) == -1) {
		report_error(&rep, 0, "email", "Enter the email address you "
		    "registered with, like name@example.com");
		r->status = 422;
		verify_page(r, email, NULL, &rep);
	} else
		code_send(r, email, CODE_VERIFY_EMAIL, 1, "resend", "/verify",
		    "resent");
	report_free(&rep);
}

/*
 * Sign in and out
 */

static void
signin_page(struct req *r, const char *email, const char *next,
    const struct report *rep)
{
	struct html	*h = &r->h;

	page_open(r, "Sign in", rep, NULL);
	if (next != NULL && rep == NULL)
		ui_alert(r, "info", NULL, "Sign in to see this page.");
	ui_form_begin(r, "/signin", "signin-form");
	if (next != NULL)
		hidden(r, "next", next);
	email_input(r, email, NULL, rep);
	ui_password(r, "password", "Password", NULL, "current-password",
	    rep);
	ui_button(r, "Sign in", NULL);
	ui_form_end(r);
	link_para(r, NULL, "Forgot your password?", "/forgot");
	link_para(r, "No account yet? ", "Register", "/register");
	h_open(h, "p", "class", "usa-hint", NULL);
	h_text(h, "Registered but did not confirm your email? ");
	h_elem(h, "a", "Enter your code", "href", "/verify", "class",
	    "usa-link", NULL);
	h_close(h);
	page_end(r);
}

static void
signin_get(struct req *r)
{
	const char	*next = next_ok(kv_get(&r->query, "next"));

	if (r->signed_in) {
		resp_redirect(r, next ? next : HOME_PATH);
		return;
	}
	signin_page(r, NULL, next, NULL);
}

static void
signin_post(struct req *r)
{
	struct account	 a;
	struct report	 rep;
	const char	*pw = form_get(r, "password");
	const char	*next = next_ok(form_get(r, "next"));
	char		 email[LIM_EMAIL_BYTES + 1];
	int		 wait, bad;
	enum db_err	 e;

	memset(&a, 0, sizeof(a));
	report_init(&rep);
	bad = email_norm(form_get(r, "email"), email, sizeof(email));
	if (form_get(r, "email") == NULL || *email == '\0')
		report_error(&rep, 0, "email", "Enter your email address");
	if (pw == NULL || *pw == '\0')
		report_error(&rep, 0, "password", "Enter your password");
	if (rep.nerrors > 0)
		goto again;
	if (bad || strnlen(pw, LIM_PASSWORD_BYTES + 1) > LIM_PASSWORD_BYTES) {
		signin_delay("x");
		report_error(&rep, 0, "", MSG_SIGNIN_WRONG);
		goto again;
	}
	e = accounts_by_email(r->db, email, &a);
	if (e == DB_NOT_FOUND) {
		signin_delay(pw);
		report_error(&rep, 0, "", MSG_SIGNIN_WRONG);
		goto again;
	}
	if (e != DB_OK || accounts_signin_wait(r->db, a.id, &wait) != DB_OK) {
		fail(r, "signin: account");
		goto out;
	}
	if (wait > 0) {
		signin_blocked(&rep, wait);
		r->status = 429;
		goto page;
	}
	if (!pwhash_verify(a.password_hash, pw)) {
		if (accounts_signin_failed(r->db, a.id) != DB_OK ||
		    accounts_signin_wait(r->db, a.id, &wait) != DB_OK) {
			fail(r, "signin: failed");
			goto out;
		}
		/* The try that blocks says so at once. */
		if (wait > 0) {
			signin_blocked(&rep, wait);
			r->status = 429;
			goto page;
		}
		report_error(&rep, 0, "", MSG_SIGNIN_WRONG);
		goto again;
	}
	/* The password was right: from here on the visitor owns it. */
	if (accounts_signin_ok(r->db, a.id) != DB_OK) {
		fail(r, "signin: ok");
		goto out;
	}
	if (a.locked) {
		resp_error_page(r, 403, "Account locked", "This account is "
		    "locked. Contact the licensing office.");
		goto out;
	}
	if (!a.verified) {
		redirect_email(r, "/verify", email, "unverified");
		goto out;
	}
	if (start_session(r, a.id) == 0)
		resp_redirect(r, next ? next : HOME_PATH);
	goto out;
again:
	r->status = 422;
page:
	signin_page(r, email, next, &rep);
out:
	account_clear(&a);
	report_free(&rep);
}

static void
signout(struct req *r)
{
	const char	*tok = kv_get(&r->cookies, SESSION_COOKIE);

	if (tok != NULL && session_delete(r->db, tok) != DB_OK)
		log_msg(LOG_LVL_WARNING, "signout: %s", r->db->errmsg);
	resp_cookie(r, SESSION_COOKIE, "", 0);
	resp_redirect(r, "/");
}

/*
 * Forgot and reset the password
 */

static void
forgot_page(struct req *r, const char *email, const struct report *rep)
{
	page_open(r, "Reset your password", rep, NULL);
	lead(r, "Enter the email address you sign in with. We send a code "
	    "to it to set a new password.");
	ui_form_begin(r, "/forgot", "forgot-form");
	email_input(r, email, NULL, rep);
	ui_button(r, "Send a code", NULL);
	ui_form_end(r);
	link_para(r, "Remembered it? ", "Sign in", "/signin");
	page_end(r);
}

static void
forgot_get(struct req *r)
{
	char	 email[LIM_EMAIL_BYTES + 1];

	email_norm(kv_get(&r->query, "email"), email, sizeof(email));
	forgot_page(r, email, NULL);
}

static void
forgot_post(struct req *r)
{
	struct report	 rep;
	char		 email[LIM_EMAIL_BYTES + 1];

	report_init(&rep);
	if (email_norm(form_get(r, "email"), email, sizeof(email)) == -1) {
		report_error(&rep, 0, "email", "Enter your email address, "
		    "like name@example.com");
		r->status = 422;
		forgot_page(r, email, &rep);
	} else
		code_send(r, email, CODE_RESET_PASSWORD, 0, "forgot", "/reset",
		    "sent");
	report_free(&rep);
}

static void
reset_page(struct req *r, const char *email, const char *code,
    const struct report *rep)
{
	page_open(r, "Set a new password", rep, NULL);
	if (flag_set(r, "sent"))
		ui_alert(r, "info", NULL, "If an account exists for that "
		    "email, we sent a code. It is valid for 30 minutes.");
	lead(r, "Enter the code from our email and choose a new password. "
	    "Setting it signs you out everywhere else.");
	ui_form_begin(r, "/reset", "reset-form");
	email_input(r, email, NULL, rep);
	code_input(r, code, rep);
	ui_password(r, "password", "New password", PASSWORD_HINT,
	    "new-password", rep);
	ui_password(r, "password_confirm", "Confirm new password", NULL,
	    "new-password", rep);
	code_actions(r, "Set password", "/forgot");
	ui_form_end(r);
	page_end(r);
}

static void
reset_get(struct req *r)
{
	char	 email[LIM_EMAIL_BYTES + 1];

	email_norm(kv_get(&r->query, "email"), email, sizeof(email));
	reset_page(r, email, NULL, NULL);
}

static void
reset_post(struct req *r)
{
	struct account	 a;
	struct report	 rep;
	const char	*code = form_get(r, "code"), *pw = form_get(r,
			    "password");
	char		 email[LIM_EMAIL_BYTES + 1], hash[PWHASH_ENCODED_MAX];
	enum code_result res = CODE_EXPIRED;

	memset(&a, 0, sizeof(a));
	report_init(&rep);
	hash[0] = '\0';
	code_form_read(r, email, "Enter your email address, like "
	    "name@example.com", &rep);
	/* Password first: a code is used up once it matches. */
	new_password_check(pw, form_get(r, "password_confirm"), &rep);
	if (rep.nerrors > 0)
		goto again;
	if (code_account(r, email, CODE_RESET_PASSWORD, code, &a, &res,
	    "reset") == -1)
		goto out;
	if (code_refused(res, &rep))
		goto again;
	if (pwhash_make(pw, hash, sizeof(hash)) == -1) {
		fail(r, "reset: password hash");
		goto out;
	}
	/* A reset also lifts a sign-in block: the owner proved itself. */
	if (accounts_set_password(r->db, a.id, hash) != DB_OK ||
	    accounts_signin_ok(r->db, a.id) != DB_OK) {
		fail(r, "reset: set password");
		goto out;
	}
	if (a.locked) {
		resp_error_page(r, 403, "Account locked", "Your password is "
		    "changed, but this account is locked. Contact the "
		    "licensing office.");
		goto out;
	}
	if (!a.verified) {
		redirect_email(r, "/verify", email, "unverified");
		goto out;
	}
	if (start_session(r, a.id) == 0)
		resp_redirect(r, HOME_PATH "?password_reset=1");
	goto out;
again:
	r->status = 422;
	reset_page(r, email, res == CODE_WRONG ? NULL : code, &rep);
out:
	explicit_bzero(hash, sizeof(hash));
	account_clear(&a);
	report_free(&rep);
}

/*
 * My Account
 */

static void
token_table(struct req *r, const struct api_token *t, size_t n)
{
	struct html	*h = &r->h;
	char		 action[64], created[40], used[40], label[128];
	size_t		 i;

	if (n == 0) {
		h_elem(h, "p", "You have no API tokens.", NULL);
		return;
	}
	h_open(h, "table", "class", "usa-table usa-table--borderless "
	    "usa-table--stacked-header aim-tokens", NULL);
	h_elem(h, "caption", "Your API tokens", "class", "usa-sr-only", NULL);
	h_open(h, "thead", NULL);
	h_open(h, "tr", NULL);
	h_elem(h, "th", "Name", "scope", "col", NULL);
	h_elem(h, "th", "Starts with", "scope", "col", NULL);
	h_elem(h, "th", "Created", "scope", "col", NULL);
	h_elem(h, "th", "Last used", "scope", "col", NULL);
	h_open(h, "th", "scope", "col", NULL);
	h_elem(h, "span", "Action", "class", "usa-sr-only", NULL);
	h_close(h);
	h_close(h);
	h_close(h);
	h_open(h, "tbody", NULL);
	for (i = 0; i < n; i++) {
		ui_time(t[i].created_at, created, sizeof(created));
		if (t[i].last_used_at[0] != '\0')
			ui_time(t[i].last_used_at, used, sizeof(used));
		else
			snprintf(used, sizeof(used), "Never");
		snprintf(action, sizeof(action), "/account/tokens/%lld/revoke",
		    (long long)t[i].id);
		snprintf(label, sizeof(label), "Revoke token %s", t[i].name);
		h_open(h, "tr", NULL);
		h_elem(h, "th", t[i].name, "scope", "row", "data-label",
		    "Name", NULL);
		h_open(h, "td", "data-label", "Starts with", NULL);
		h_open(h, "code", NULL);
		h_textf(h, "%s…", t[i].prefix);
		h_close(h);
		h_close(h);
		h_elem(h, "td", created, "data-label", "Created", NULL);
		h_elem(h, "td", used, "data-label", "Last used", NULL);
		h_open(h, "td", NULL);
		ui_form_begin(r, action, NULL);
		h_elem(h, "button", "Revoke", "type", "submit", "class",
		    "usa-button usa-button--secondary", "aria-label", label,
		    NULL);
		ui_form_end(r);
		h_close(h);
		h_close(h);
	}
	h_close(h);
	h_close(h);
}

/* The new token, once: it is stored only hashed. */
static void
token_shown_once(struct req *r, const char *token)
{
	struct html	*h = &r->h;

	h_open(h, "div", "class", "usa-alert usa-alert--success", "role",
	    "status", NULL);
	h_open(h, "div", "class", "usa-alert__body", NULL);
	h_elem(h, "h3", "Your new API token", "class", "usa-alert__heading",
	    NULL);
	h_elem(h, "p", "Copy it now and keep it safe: it will not be shown "
	    "again. Send it as Authorization: Bearer followed by the token.",
	    "class", "usa-alert__text", "id", "new-token-hint", NULL);
	h_elem(h, "label", "API token", "class", "usa-label", "for",
	    "new-token", NULL);
	h_void(h, "input", "class", "usa-input aim-token", "id", "new-token",
	    "type", "text", "readonly", "", "value", token, "autocomplete",
	    "off", "spellcheck", "false", "aria-describedby",
	    "new-token-hint", NULL);
	h_close(h);
	h_close(h);
}

/*
 * My Account: v is the profile to show (the account's own, or what was
 * just posted with its errors); token a token just created, or NULL.
 */
static void
account_page(struct req *r, char *const *v, const struct report *rep,
    const char *token, const char *token_name)
{
	static const char *const sections[] = {
		"Profile", "#profile", "Password", "#password",
		"API tokens", "#tokens",
	};
	struct html	*h = &r->h;
	struct api_token *t = NULL;
	struct ui_field	 f;
	size_t		 n = 0;

	if (token_list(r->db, r->account.id, &t, &n) != DB_OK) {
		fail(r, "account: token_list");
		return;
	}
	page_open(r, "My Account", rep, "grid-col-12 desktop:grid-col-9");

	if (flag_set(r, "saved"))
		ui_alert(r, "success", NULL, "Your account details are saved.");
	if (flag_set(r, "password"))
		ui_alert(r, "success", NULL, "Your password is changed. Other "
		    "sessions were signed out, and we emailed you a notice.");
	if (flag_set(r, "revoked"))
		ui_alert(r, "success", NULL, "The API token is revoked; "
		    "programs using it can no longer file.");

	h_open(h, "nav", "aria-label", "On this page", NULL);
	ui_link_list(r, "usa-list usa-list--unstyled aim-page-links",
	    sections, sizeof(sections) / sizeof(sections[0]) / 2);
	h_close(h);

	/* Profile */
	h_open(h, "section", "id", "profile", "aria-labelledby",
	    "profile-h", NULL);
	h_elem(h, "h2", "Profile", "id", "profile-h", NULL);
	ui_form_begin(r, "/account", "profile-form");
	h_open(h, "div", "class", "usa-form-group", NULL);
	h_elem(h, "label", "Email address (your user name)", "class",
	    "usa-label", "for", "f-email", NULL);
	h_elem(h, "div", "Your user name cannot change. To use another "
	    "address, register a new account.", "class", "usa-hint", "id",
	    "f-email-hint", NULL);
	h_void(h, "input", "class", "usa-input", "id", "f-email", "type",
	    "email", "readonly", "", "value", r->account.v[AF_EMAIL],
	    "aria-describedby", "f-email-hint", NULL);
	h_close(h);
	profile_fields(r, v, rep, LEGEND_H3);
	ui_button(r, "Save changes", NULL);
	ui_form_end(r);
	h_close(h);

	/* Password */
	h_open(h, "section", "id", "password", "aria-labelledby",
	    "password-h", NULL);
	h_elem(h, "h2", "Change password", "id", "password-h", NULL);
	ui_form_begin(r, "/account/password", "password-form");
	ui_password(r, "current_password", "Current password", NULL,
	    "current-password", rep);
	ui_password(r, "password", "New password", PASSWORD_HINT,
	    "new-password", rep);
	ui_password(r, "password_confirm", "Confirm new password", NULL,
	    "new-password", rep);
	ui_button(r, "Change password", NULL);
	ui_form_end(r);
	h_close(h);

	/* API tokens */
	h_open(h, "section", "id", "tokens", "aria-labelledby", "tokens-h",
	    NULL);
	h_elem(h, "h2", "API tokens", "id", "tokens-h", NULL);
	h_elem(h, "p", "Tokens let your own software or your broker's file "
	    "licenses for this account through the JSON API. Revoke a token "
	    "as soon as it is no longer needed.", NULL);
	if (token != NULL)
		token_shown_once(r, token);
	token_table(r, t, n);
	h_elem(h, "h3", "Create a token", NULL);
	ui_form_begin(r, "/account/tokens", "token-form");
	memset(&f, 0, sizeof(f));
	f.name = "name";
	f.label = "Token name";
	f.hint = "What uses it, e.g. \"Broker software\" (up to 63 "
	    "characters).";
	f.value = token == NULL ? token_name : NULL;
	f.type = "text";
	f.autocomplete = "off";
	f.required = 1;
	f.error = ui_error_for(rep, "name");
	ui_input(r, &f);
	ui_button(r, "Create token", NULL);
	ui_form_end(r);
	h_close(h);
	page_end(r);
	free(t);
}

static void
account_get(struct req *r)
{
	account_page(r, r->account.v, NULL, NULL, NULL);
}

static void
account_post(struct req *r)
{
	struct account_form af;
	struct report	 rep;

	report_init(&rep);
	if (read_account_form(r, &af) == -1) {
		fail(r, "account: out of memory");
		goto out;
	}
	/* The email is the user name: never changed here. */
	free(af.v[AF_EMAIL]);
	if ((af.v[AF_EMAIL] = strdup(r->account.v[AF_EMAIL])) == NULL) {
		fail(r, "account: out of memory");
		goto out;
	}
	if (account_check(&af, &rep) > 0) {
		r->status = 422;
		account_page(r, af.v, &rep, NULL, NULL);
		goto out;
	}
	if (accounts_update(r->db, r->account.id, &af) != DB_OK) {
		fail(r, "accounts_update");
		goto out;
	}
	resp_redirect(r, "/account?saved=1");
out:
	account_form_clear(&af);
	report_free(&rep);
}

static void
account_password(struct req *r)
{
	struct report	 rep;
	const char	*cur = form_get(r, "current_password");
	const char	*pw = form_get(r, "password");
	char		 hash[PWHASH_ENCODED_MAX];
	int		 wait;

	report_init(&rep);
	hash[0] = '\0';
	if (cur == NULL || *cur == '\0') {
		report_error(&rep, 0, "current_password", "Enter your current "
		    "password");
		goto again;
	}
	/* A borrowed session must not become a way to guess passwords:
	 * the same throttle as sign-in. */
	if (accounts_signin_wait(r->db, r->account.id, &wait) != DB_OK) {
		fail(r, "password: wait");
		goto out;
	}
	if (wait > 0) {
		report_error(&rep, 0, "current_password", "Too many failed "
		    "sign-ins; try again in %d minute%s", (wait + 59) / 60,
		    (wait + 59) / 60 == 1 ? "" : "s");
		goto again;
	}
	if (strnlen(cur, LIM_PASSWORD_BYTES + 1) > LIM_PASSWORD_BYTES ||
	    !pwhash_verify(r->account.password_hash, cur)) {
		if (accounts_signin_failed(r->db, r->account.id) != DB_OK) {
			fail(r, "password: failed");
			goto out;
		}
		report_error(&rep, 0, "current_password", "Current password "
		    "is wrong");
		goto again;
	}
	if (new_password_check(pw, form_get(r, "password_confirm"),
	    &rep) > 0)
		goto again;
	if (pwhash_make(pw, hash, sizeof(hash)) == -1) {
		fail(r, "password: hash");
		goto out;
	}
	/* This ends every session, ours too: sign in again at once. */
	if (accounts_set_password(r->db, r->account.id, hash) != DB_OK ||
	    accounts_signin_ok(r->db, r->account.id) != DB_OK) {
		fail(r, "accounts_set_password");
		goto out;
	}
	if (start_session(r, r->account.id) == 0)
		resp_redirect(r, "/account?password=1#password");
	goto out;
again:
	r->status = 422;
	account_page(r, r->account.v, &rep, NULL, NULL);
out:
	explicit_bzero(hash, sizeof(hash));
	report_free(&rep);
}

/* A token name: trimmed, 1 to TOKEN_NAME_MAX bytes, no control
 * characters.  Returns 0, or -1 after adding an error on "name". */
static int
token_name_check(const char *in, char *out, size_t sz, struct report *rep)
{
	size_t	 n, i;

	out[0] = '\0';
	if (in == NULL)
		in = "";
	while (*in == ' ' || *in == '\t')
		in++;
	n = strnlen(in, TOKEN_NAME_MAX + 1);
	if (n > TOKEN_NAME_MAX) {
		report_error(rep, 0, "name", "Token name is longer than %zu "
		    "characters", TOKEN_NAME_MAX);
		return -1;
	}
	while (n > 0 && (in[n - 1] == ' ' || in[n - 1] == '\t'))
		n--;
	if (n >= sz)
		return -1;
	memcpy(out, in, n);
	out[n] = '\0';
	if (n == 0) {
		report_error(rep, 0, "name", "Give the token a name, so you "
		    "can tell it apart later");
		return -1;
	}
	for (i = 0; i < n; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f) {
			report_error(rep, 0, "name", "Token name must not "
			    "contain control characters");
			return -1;
		}
	return 0;
}

static void
token_new(struct req *r)
{
	struct report	 rep;
	char		 name[TOKEN_NAME_MAX + 1], tok[TOKEN_LEN + 1];

	report_init(&rep);
	tok[0] = '\0';
	if (token_name_check(form_get(r, "name"), name, sizeof(name),
	    &rep) == -1) {
		r->status = 422;
		account_page(r, r->account.v, &rep, NULL, name);
		goto out;
	}
	if (token_create(r->db, r->account.id, name, tok, NULL) != DB_OK) {
		fail(r, "token_create");
		goto out;
	}
	/* Shown on this response only: a redirect would put it in a URL. */
	account_page(r, r->account.v, NULL, tok, NULL);
out:
	explicit_bzero(tok, sizeof(tok));
	report_free(&rep);
}

static void
token_revoke_post(struct req *r)
{
	char		*end;
	long long	 id;
	enum db_err	 e;

	if (r->arg == NULL || r->arg[0] < '1' || r->arg[0] > '9' ||
	    strlen(r->arg) > 18)
		goto notfound;
	id = strtoll(r->arg, &end, 10);
	if (*end != '\0' || id <= 0)
		goto notfound;
	e = token_revoke(r->db, r->account.id, id);
	if (e == DB_NOT_FOUND)
		goto notfound;
	if (e != DB_OK) {
		fail(r, "token_revoke");
		return;
	}
	resp_redirect(r, "/account?revoked=1#tokens");
	return;
notfound:
	resp_error_page(r, 404, "Token not found", "This API token does not "
	    "exist or is already revoked.");
}

static const struct route routes[] = {
	{ METHOD_GET, "/register", ROLE_PUBLIC, register_get },
	{ METHOD_POST, "/register", ROLE_PUBLIC, register_post },
	{ METHOD_GET, "/verify", ROLE_PUBLIC, verify_get },
	{ METHOD_POST, "/verify", ROLE_PUBLIC, verify_post },
	{ METHOD_POST, "/verify/resend", ROLE_PUBLIC, verify_resend },
	{ METHOD_GET, "/signin", ROLE_PUBLIC, signin_get },
	{ METHOD_POST, "/signin", ROLE_PUBLIC, signin_post },
	{ METHOD_POST, "/signout", ROLE_PUBLIC, signout },
	{ METHOD_GET, "/forgot", ROLE_PUBLIC, forgot_get },
	{ METHOD_POST, "/forgot", ROLE_PUBLIC, forgot_post },
	{ METHOD_GET, "/reset", ROLE_PUBLIC, reset_get },
	{ METHOD_POST, "/reset", ROLE_PUBLIC, reset_post },
	{ METHOD_GET, "/account", ROLE_FILER, account_get },
	{ METHOD_POST, "/account", ROLE_FILER, account_post },
	{ METHOD_POST, "/account/password", ROLE_FILER, account_password },
	{ METHOD_POST, "/account/tokens", ROLE_FILER, token_new },
	{ METHOD_POST, "/account/tokens/*/revoke", ROLE_FILER,
	  token_revoke_post },
};

ROUTE_TABLE(routes_account, routes);
