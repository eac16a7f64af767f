/*
 * Page chrome and form pieces (U.S. Web Design System classes).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lib/limits.h"
#include "layout.h"

static const struct nav {
	const char	*href;
	const char	*label;
	int		 signed_in;	/* -1 either, 0 out only, 1 in only */
} nav[] = {
	{ "/apply", "Apply", 1 },
	{ "/licenses", "My licenses", 1 },
	{ "/check", "Check a license", -1 },
	{ "/monitor", "Monitor", -1 },
	{ "/help", "Help", -1 },
	{ "/account", "My account", 1 },
	{ "/signin", "Sign in", 0 },
	{ "/register", "Register", 0 },
};

void
page_head(struct req *r, const char *title)
{
	struct html	*h = &r->h;

	if (r->status == 0)
		r->status = 200;
	resp_header(r, "Content-Type", "text/html; charset=utf-8");
	h_doctype(h);
	h_open(h, "head", NULL);
	h_void(h, "meta", "charset", "utf-8", NULL);
	h_void(h, "meta", "name", "viewport", "content",
	    "width=device-width, initial-scale=1", NULL);
	h_open(h, "title", NULL);
	h_textf(h, "%s | AIM & SIMA import licensing", title);
	h_close(h);
	h_void(h, "link", "rel", "stylesheet", "href",
	    "/static/uswds/css/uswds.min.css", NULL);
	h_void(h, "link", "rel", "stylesheet", "href", "/static/aim.css",
	    NULL);
}

void
page_begin(struct req *r, const char *title)
{
	struct html	*h = &r->h;
	size_t		 i;
	int		 cur;

	page_head(r, title);
	h_open(h, "script", "src", "/static/uswds/js/uswds-init.min.js",
	    NULL);
	h_close(h);
	h_close(h);	/* head */
	h_open(h, "body", NULL);
	h_elem(h, "a", "Skip to main content", "class", "usa-skipnav",
	    "href", "#main-content", NULL);

	/* An honest banner: this is software for a licensing office. */
	h_open(h, "section", "class", "usa-banner aim-banner", "aria-label",
	    "About this site", NULL);
	h_open(h, "div", "class", "usa-banner__header", NULL);
	h_open(h, "div", "class", "usa-banner__inner", NULL);
	h_elem(h, "p", "Import licensing for aluminum (AIM) and steel (SIMA) "
	    "products: licenses are free and issued at once.",
	    "class", "usa-banner__header-text", NULL);
	h_close(h);
	h_close(h);
	h_close(h);

	h_open(h, "header", "class", "usa-header usa-header--basic", NULL);
	h_open(h, "div", "class", "usa-nav-container", NULL);
	h_open(h, "div", "class", "usa-navbar", NULL);
	h_open(h, "div", "class", "usa-logo", NULL);
	h_open(h, "em", "class", "usa-logo__text", NULL);
	h_elem(h, "a", "AIM & SIMA Import Licensing", "href", "/", "title",
	    "Home", NULL);
	h_close(h);
	h_close(h);
	h_elem(h, "button", "Menu", "type", "button", "class", "usa-menu-btn",
	    NULL);
	h_close(h);	/* navbar */
	h_open(h, "nav", "aria-label", "Primary navigation", "class",
	    "usa-nav", NULL);
	h_open(h, "button", "type", "button", "class", "usa-nav__close",
	    NULL);
	h_void(h, "img", "src", "/static/uswds/img/usa-icons/close.svg",
	    "role", "img", "alt", "Close", NULL);
	h_close(h);
	h_open(h, "ul", "class", "usa-nav__primary usa-accordion", NULL);
	for (i = 0; i < sizeof(nav) / sizeof(nav[0]); i++) {
		if (nav[i].signed_in >= 0 && nav[i].signed_in != r->signed_in)
			continue;
		cur = strncmp(r->path, nav[i].href, strlen(nav[i].href)) == 0;
		h_open(h, "li", "class", "usa-nav__primary-item", NULL);
		h_elem(h, "a", nav[i].label, "href", nav[i].href, "class",
		    cur ? "usa-nav-link usa-current" : "usa-nav-link",
		    "aria-current", cur ? "page" : NULL, NULL);
		h_close(h);
	}
	if (r->signed_in) {
		h_open(h, "li", "class", "usa-nav__primary-item", NULL);
		ui_form_begin(r, "/signout", NULL);
		h_elem(h, "button", "Sign out", "type", "submit", "class",
		    "usa-button usa-button--unstyled aim-signout", NULL);
		ui_form_end(r);
		h_close(h);
	}
	h_close(h);	/* ul */
	h_close(h);	/* nav */
	h_close(h);	/* container */
	h_close(h);	/* header */
	h_open(h, "main", "id", "main-content", "class",
	    "grid-container aim-main", NULL);
}

void
page_end(struct req *r)
{
	struct html	*h = &r->h;

	/* Close whatever the page left open, <main> included: only
	 * <html> and <body> stay. */
	h_close_to(h, 2);
	h_open(h, "footer", "class", "usa-footer usa-footer--slim", NULL);
	h_open(h, "div", "class", "grid-container aim-footer", NULL);
	h_open(h, "p", NULL);
	h_text(h, "An emailed form is not a license: only a license number "
	    "issued by this system is. ");
	h_elem(h, "a", "Emergency filing by email", "href",
	    "/help/emergency", "class", "usa-link", NULL);
	h_text(h, " · ");
	h_elem(h, "a", "Check a license", "href", "/check", "class",
	    "usa-link", NULL);
	h_close(h);
	h_close(h);
	h_close(h);	/* footer */
	h_open(h, "script", "src", "/static/uswds/js/uswds.min.js", NULL);
	h_close(h);
	h_open(h, "script", "src", "/static/aim.js", NULL);
	h_close(h);
	h_close_to(h, 0);
}

void
ui_field_id(const char *path, char *out, size_t sz)
{
	size_t	 n = 0;

	if (sz < 3)
		return;
	out[n++] = 'f';
	out[n++] = '-';
	for (; *path && n + 1 < sz; path++)
		if (*path == '[' || *path == '.')
			out[n++] = '-';
		else if (*path != ']')
			out[n++] = *path;
	out[n] = '\0';
}

/* The message of the first of n items about path, or NULL. */
static const char *
message_for(const struct report_item *it, size_t n, const char *path)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(it[i].field, path) == 0)
			return it[i].message;
	return NULL;
}

const char *
ui_error_for(const struct report *rep, const char *path)
{
	return rep != NULL ? message_for(rep->errors, rep->nerrors, path) :
	    NULL;
}

const char *
ui_flag_for(const struct report *rep, const char *path)
{
	return rep != NULL ? message_for(rep->flags, rep->nflags, path) :
	    NULL;
}

void
ui_time(const char *iso, char *out, size_t sz)
{
	if (iso != NULL && strlen(iso) >= 16 && iso[10] == 'T')
		snprintf(out, sz, "%.10s %.5s UTC", iso, iso + 11);
	else
		snprintf(out, sz, "%s", iso != NULL ? iso : "");
}

void
ui_qs_add(struct buf *b, const char *key, const char *val)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p;
	char			 e[3];

	if (val == NULL || *val == '\0')
		return;
	buf_puts(b, b->len == 0 || memchr(b->p, '?', b->len) == NULL ?
	    "?" : "&");
	buf_puts(b, key);
	buf_puts(b, "=");
	for (p = (const unsigned char *)val; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-_.~", *p) != NULL)
			buf_add(b, p, 1);
		else {
			e[0] = '%';
			e[1] = hex[*p >> 4];
			e[2] = hex[*p & 15];
			buf_add(b, e, 3);
		}
	}
}

const char *
ui_query_text(struct req *r, const char *key, const char *label,
    struct report *rep)
{
	const char	*v = kv_get(&r->query, key);

	if (v == NULL)
		return NULL;
	if (strnlen(v, LIM_FIELD_BYTES + 1) > LIM_FIELD_BYTES) {
		report_error(rep, 0, key, "%s is too long: at most %d "
		    "characters.", label, LIM_FIELD_CHARS);
		return NULL;
	}
	return v;
}

void
ui_form_begin(struct req *r, const char *action, const char *id)
{
	h_open(&r->h, "form", "method", "post", "action", action, "id", id,
	    "class", "usa-form usa-form--large", "novalidate", "", NULL);
	h_void(&r->h, "input", "type", "hidden", "name", "csrf", "value",
	    r->csrf, NULL);
}

void
ui_form_end(struct req *r)
{
	h_close(&r->h);
}

void
ui_item_links(struct req *r, const struct report_item *it, size_t n)
{
	struct html	*h = &r->h;
	char		 id[160], href[170];
	size_t		 i;

	h_open(h, "ul", "class", "usa-list", NULL);
	for (i = 0; i < n; i++) {
		h_open(h, "li", NULL);
		if (it[i].field[0] != '\0') {
			ui_field_id(it[i].field, id, sizeof(id));
			snprintf(href, sizeof(href), "#%s", id);
			h_elem(h, "a", it[i].message, "href", href, "class",
			    "usa-link", NULL);
		} else
			h_text(h, it[i].message);
		h_close(h);
	}
	h_close(h);
}

void
ui_link_list(struct req *r, const char *cls, const char *const *pairs,
    size_t n)
{
	struct html	*h = &r->h;
	size_t		 i;

	h_open(h, "ul", "class", cls, NULL);
	for (i = 0; i < n; i++) {
		h_open(h, "li", NULL);
		h_elem(h, "a", pairs[2 * i], "href", pairs[2 * i + 1], "class",
		    "usa-link", NULL);
		h_close(h);
	}
	h_close(h);
}

void
ui_error_summary(struct req *r, const struct report *rep)
{
	struct html	*h = &r->h;

	if (rep == NULL || rep->nerrors == 0)
		return;
	h_open(h, "div", "class", "usa-alert usa-alert--error aim-summary",
	    "role", "alert", "tabindex", "-1", "id", "error-summary", NULL);
	h_open(h, "div", "class", "usa-alert__body", NULL);
	h_open(h, "h2", "class", "usa-alert__heading", NULL);
	h_textf(h, "There %s %zu problem%s to fix", rep->nerrors == 1 ?
	    "is" : "are", rep->nerrors, rep->nerrors == 1 ? "" : "s");
	h_close(h);
	ui_item_links(r, rep->errors, rep->nerrors);
	h_close(h);
	h_close(h);
}

/* The label, hint, error and flag lines shared by every field kind.
 * Returns the depth to close to after the control. */
static int
field_open(struct req *r, const struct ui_field *f, const char *id,
    char *describedby, size_t dsz)
{
	struct html	*h = &r->h;
	char		 hid[200];
	int		 d = h->depth;
	size_t		 n = 0;

	describedby[0] = '\0';
	h_open(h, "div", "class", f->error ? "usa-form-group "
	    "usa-form-group--error" : f->flag ? "usa-form-group "
	    "aim-flagged" : "usa-form-group", NULL);
	h_open(h, "label", "class", f->error ? "usa-label usa-label--error" :
	    "usa-label", "for", id, NULL);
	h_text(h, f->label);
	if (!f->required)
		h_elem(h, "span", " (optional)", "class", "aim-optional",
		    NULL);
	h_close(h);
	if (f->hint != NULL) {
		snprintf(hid, sizeof(hid), "%s-hint", id);
		h_elem(h, "div", f->hint, "class", "usa-hint", "id", hid,
		    NULL);
		n += snprintf(describedby + n, dsz - n, "%s", hid);
	}
	if (f->error != NULL) {
		snprintf(hid, sizeof(hid), "%s-error", id);
		h_open(h, "span", "class", "usa-error-message", "id", hid,
		    "role", "alert", NULL);
		h_text(h, f->error);
		h_close(h);
		if (n < dsz)
			n += snprintf(describedby + n, dsz - n, "%s%s",
			    n ? " " : "", hid);
	}
	if (f->flag != NULL) {
		snprintf(hid, sizeof(hid), "%s-flag", id);
		h_open(h, "span", "class", "aim-flag-message", "id", hid,
		    NULL);
		h_elem(h, "strong", "Action Required: ", NULL);
		h_text(h, f->flag);
		h_close(h);
		if (n < dsz)
			snprintf(describedby + n, dsz - n, "%s%s",
			    n ? " " : "", hid);
	}
	return d;
}

void
ui_input(struct req *r, const struct ui_field *f)
{
	char	 id[160], desc[512], cls[128];
	int	 d;

	ui_field_id(f->name, id, sizeof(id));
	d = field_open(r, f, id, desc, sizeof(desc));
	snprintf(cls, sizeof(cls), "usa-input%s%s%s",
	    f->error ? " usa-input--error" : "", f->width ? " " : "",
	    f->width ? f->width : "");
	h_void(&r->h, "input", "class", cls, "id", id, "name", f->name,
	    "type", f->type ? f->type : "text", "value", f->value ? f->value :
	    "", "autocomplete", f->autocomplete, "aria-describedby",
	    desc[0] ? desc : NULL, "aria-invalid", f->error ? "true" : NULL,
	    "required", f->required ? "" : NULL, "list", f->list,
	    "spellcheck", "false", NULL);
	h_close_to(&r->h, d);
}

void
ui_password(struct req *r, const char *name, const char *label,
    const char *hint, const char *autocomplete, const struct report *rep)
{
	struct ui_field	 f;

	memset(&f, 0, sizeof(f));
	f.name = name;
	f.label = label;
	f.hint = hint;
	f.type = "password";
	f.autocomplete = autocomplete;
	f.required = 1;
	f.error = ui_error_for(rep, name);
	ui_input(r, &f);
}

void
ui_select(struct req *r, const struct ui_field *f, const char *const *opts,
    size_t n)
{
	char	 id[160], desc[512];
	size_t	 i;
	int	 d, sel;

	ui_field_id(f->name, id, sizeof(id));
	d = field_open(r, f, id, desc, sizeof(desc));
	h_open(&r->h, "select", "class", f->error ? "usa-select "
	    "usa-input--error" : "usa-select", "id", id, "name", f->name,
	    "aria-describedby", desc[0] ? desc : NULL, "aria-invalid",
	    f->error ? "true" : NULL, NULL);
	h_elem(&r->h, "option", "- Select -", "value", "", NULL);
	for (i = 0; i < n; i++) {
		sel = f->value != NULL && strcasecmp(f->value,
		    opts[i * 2]) == 0;
		h_elem(&r->h, "option", opts[i * 2 + 1], "value", opts[i * 2],
		    "selected", sel ? "" : NULL, NULL);
	}
	h_close_to(&r->h, d);
}

void
ui_search_input(struct req *r, const char *cls, const char *name,
    const char *label, const char *type, const char *hint,
    const struct report *rep)
{
	struct ui_field	 f;

	memset(&f, 0, sizeof(f));
	f.name = name;
	f.label = label;
	f.type = type;
	f.hint = hint;
	f.value = kv_get(&r->query, name);
	f.error = ui_error_for(rep, name);
	h_open(&r->h, "div", "class", cls, NULL);
	ui_input(r, &f);
	h_close(&r->h);
}

void
ui_search_select(struct req *r, const char *cls, const char *name,
    const char *label, const char *value, const char *const *opts, size_t n)
{
	struct ui_field	 f;

	memset(&f, 0, sizeof(f));
	f.name = name;
	f.label = label;
	f.value = value;
	h_open(&r->h, "div", "class", cls, NULL);
	ui_select(r, &f, opts, n);
	h_close(&r->h);
}

void
ui_radios(struct req *r, const struct ui_field *f, const char *const *opts,
    size_t n)
{
	struct html	*h = &r->h;
	char		 id[160], oid[200];
	size_t		 i;
	int		 d = h->depth, sel;

	ui_field_id(f->name, id, sizeof(id));
	h_open(h, "fieldset", "class", f->error ? "usa-fieldset "
	    "usa-form-group usa-form-group--error" : "usa-fieldset "
	    "usa-form-group", "id", id, NULL);
	h_elem(h, "legend", f->label, "class", "usa-legend", NULL);
	if (f->hint)
		h_elem(h, "div", f->hint, "class", "usa-hint", NULL);
	if (f->error)
		h_elem(h, "span", f->error, "class", "usa-error-message",
		    "role", "alert", NULL);
	for (i = 0; i < n; i++) {
		snprintf(oid, sizeof(oid), "%s-%s", id, opts[i * 2]);
		sel = f->value != NULL && strcasecmp(f->value,
		    opts[i * 2]) == 0;
		h_open(h, "div", "class", "usa-radio", NULL);
		h_void(h, "input", "class", "usa-radio__input "
		    "usa-radio__input--tile", "id", oid, "type", "radio",
		    "name", f->name, "value", opts[i * 2], "checked",
		    sel ? "" : NULL, NULL);
		h_elem(h, "label", opts[i * 2 + 1], "class",
		    "usa-radio__label", "for", oid, NULL);
		h_close(h);
	}
	h_close_to(h, d);
}

void
ui_checkbox(struct req *r, const char *name, const char *label, int checked,
    const char *error)
{
	struct html	*h = &r->h;
	char		 id[160];
	int		 d = h->depth;

	ui_field_id(name, id, sizeof(id));
	h_open(h, "div", "class", error ? "usa-form-group "
	    "usa-form-group--error" : "usa-form-group", NULL);
	if (error)
		h_elem(h, "span", error, "class", "usa-error-message", "role",
		    "alert", NULL);
	h_open(h, "div", "class", "usa-checkbox", NULL);
	h_void(h, "input", "class", "usa-checkbox__input", "id", id, "type",
	    "checkbox", "name", name, "value", "yes", "checked",
	    checked ? "" : NULL, NULL);
	h_elem(h, "label", label, "class", "usa-checkbox__label", "for", id,
	    NULL);
	h_close_to(h, d);
}

void
ui_button(struct req *r, const char *label, const char *cls)
{
	char	 c[128];

	snprintf(c, sizeof(c), "usa-button%s%s", cls ? " " : "",
	    cls ? cls : "");
	h_elem(&r->h, "button", label, "type", "submit", "class", c, NULL);
}

void
ui_thead_of(struct html *h, const char *const *cols, size_t n)
{
	size_t	 i;

	h_open(h, "thead", NULL);
	h_open(h, "tr", NULL);
	for (i = 0; i < n; i++)
		h_elem(h, "th", cols[i], "scope", "col", NULL);
	h_close(h);
	h_close(h);
	h_open(h, "tbody", NULL);
}

void
ui_thead(struct html *h, ...)
{
	va_list		 ap;
	const char	*cols[UI_COLS_MAX], *col;
	size_t		 n = 0;

	va_start(ap, h);
	while ((col = va_arg(ap, const char *)) != NULL && n < UI_COLS_MAX)
		cols[n++] = col;
	va_end(ap);
	ui_thead_of(h, cols, n);
}

void
ui_td(struct html *h, const char *label, const char *text)
{
	h_elem(h, "td", text, "data-label", label, NULL);
}

int
ui_alert_open(struct req *r, const char *kind, const char *heading,
    const char *extra)
{
	struct html	*h = &r->h;
	char		 cls[96];
	int		 d = h->depth;

	snprintf(cls, sizeof(cls), "usa-alert usa-alert--%s%s%s", kind,
	    extra != NULL ? " " : "", extra != NULL ? extra : "");
	h_open(h, "div", "class", cls, "role", strcmp(kind, "error") == 0 ?
	    "alert" : "status", NULL);
	h_open(h, "div", "class", "usa-alert__body", NULL);
	if (heading != NULL)
		h_elem(h, "h2", heading, "class", "usa-alert__heading", NULL);
	return d;
}

void
ui_alert(struct req *r, const char *kind, const char *heading,
    const char *text)
{
	int	 d = ui_alert_open(r, kind, heading, NULL);

	if (text)
		h_elem(&r->h, "p", text, "class", "usa-alert__text", NULL);
	h_close_to(&r->h, d);
}
