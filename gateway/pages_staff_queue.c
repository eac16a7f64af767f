/*
 * The staff queue: the list, an item with its email, its parsed form
 * and validation beside it and the thread of every email in and out;
 * claim, take over (after a confirmation), release; edit the form,
 * approve, reject, reply, close, reprocess quarantined mail; stored
 * messages and their attachments, downloaded, never shown inline.
 * Every action is one call of db/queue.h or db/console.h, which writes
 * its audit row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/limits.h"
#include "lib/log.h"
#include "forms/form.h"
#include "forms/urlform.h"
#include "db/console.h"
#include "db/mailstore.h"
#include "db/outbox.h"
#include "db/queue.h"
#include "mail/mime.h"
#include "layout.h"
#include "licform.h"
#include "staff.h"

#define LIST_ROWS	50		/* items on a page of the queue */
#define FILENAME_MAX_BYTES 100		/* of a download's ASCII name */

static const char *const kind_labels[QK__MAX] = {
	"Emailed form", "Correspondence", "Quarantined mail",
	"Failed outbound email",
};
static const char *const state_labels[QS__MAX] = {
	"Open", "Claimed", "Approved", "Rejected", "Closed",
};
static const char *const state_tags[QS__MAX] = {
	"usa-tag bg-primary", "usa-tag bg-accent-warm-dark",
	"usa-tag bg-success-dark", "usa-tag bg-secondary-dark",
	"usa-tag bg-base",
};

/* The list's filters: value, label pairs ("" any). */
static const char *const kind_opts[] = {
	"submission", "Emailed forms",
	"correspondence", "Correspondence",
	"quarantine", "Quarantined mail",
	"outbound_failure", "Failed outbound email",
};
static const char *const state_opts[] = {
	"active", "Waiting (open or claimed)",
	"open", "Open",
	"claimed", "Claimed",
	"approved", "Approved",
	"rejected", "Rejected",
	"closed", "Closed",
	"all", "Any state",
};
static const char *const product_opts[] = {
	"aluminum", "Aluminum",
	"steel", "Steel",
};
static const struct {
	const char	*value;
	const char	*label;
	long		 seconds;
} ages[] = {
	{ "1h", "Older than an hour", 3600 },
	{ "4h", "Older than 4 hours", 4 * 3600 },
	{ "1d", "Older than a day", 86400 },
	{ "3d", "Older than 3 days", 3 * 86400 },
	{ "7d", "Older than a week", 7 * 86400 },
};

/* The value of s among n value/label pairs, or NULL. */
static const char *
opt(const char *s, const char *const *opts, size_t n)
{
	size_t	 i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(s, opts[i * 2]) == 0)
			return opts[i * 2];
	return NULL;
}

#define NOPTS(a)	(sizeof(a) / sizeof(a[0]) / 2)

/* A form of one button (and hidden fields name=value, NULL-ended). */
static void
button_form(struct req *r, const char *action, const char *label,
    const char *cls, const char *name, const char *value)
{
	h_open(&r->h, "form", "method", "post", "action", action, "class",
	    "display-inline-block margin-right-1", NULL);
	h_void(&r->h, "input", "type", "hidden", "name", "csrf", "value",
	    r->csrf, NULL);
	if (name != NULL)
		h_void(&r->h, "input", "type", "hidden", "name", name,
		    "value", value, NULL);
	ui_button(r, label, cls);
	h_close(&r->h);
}

static void
textarea(struct req *r, const char *name, const char *label,
    const char *hint, const char *value, const char *error, int required)
{
	struct html	*h = &r->h;
	char		 id[96], hid[112];
	int		 d = h->depth;

	ui_field_id(name, id, sizeof(id));
	snprintf(hid, sizeof(hid), "%s-hint", id);
	h_open(h, "div", "class", error != NULL ? "usa-form-group "
	    "usa-form-group--error" : "usa-form-group", NULL);
	h_elem(h, "label", label, "class", "usa-label", "for", id, NULL);
	if (hint != NULL)
		h_elem(h, "div", hint, "class", "usa-hint", "id", hid, NULL);
	if (error != NULL)
		h_elem(h, "span", error, "class", "usa-error-message", "role",
		    "alert", NULL);
	h_elem(h, "textarea", value != NULL ? value : "", "class",
	    "usa-textarea", "id", id, "name", name, "rows", "6",
	    "required", required ? "" : NULL, "aria-describedby",
	    hint != NULL ? hid : NULL, NULL);
	h_close_to(h, d);
}

/* ----- the list ----- */

void
staff_queue_list(struct req *r)
{
	struct html		*h = &r->h;
	struct queue_filter	 f;
	struct queue_row	*rows = NULL, *w;
	struct buf		 base;
	const char		*kind, *state, *product, *age;
	char			 href[64], ts[40], agebuf[48], buf[64];
	const char		*ageo[sizeof(ages) / sizeof(ages[0]) * 2];
	size_t			 n = 0, total = 0, i, page = staff_page_arg(r);
	enum queue_err		 q;

	memset(&f, 0, sizeof(f));
	kind = opt(kv_get(&r->query, "kind"), kind_opts, NOPTS(kind_opts));
	state = opt(kv_get(&r->query, "state"), state_opts,
	    NOPTS(state_opts));
	product = opt(kv_get(&r->query, "product"), product_opts,
	    NOPTS(product_opts));
	age = kv_get(&r->query, "age");
	if (state == NULL)
		state = "active";
	f.kind = kind;
	f.state = strcmp(state, "all") == 0 ? NULL : state;
	f.product = product;
	for (i = 0; i < sizeof(ages) / sizeof(ages[0]); i++) {
		ageo[i * 2] = ages[i].value;
		ageo[i * 2 + 1] = ages[i].label;
		if (age != NULL && strcmp(age, ages[i].value) == 0)
			f.min_age = ages[i].seconds;
	}
	f.offset = (page - 1) * LIST_ROWS;
	f.limit = LIST_ROWS;
	if ((q = queue_list(r->db, &f, &rows, &n, &total)) != QUEUE_OK) {
		staff_queue_fail(r, q, NULL);
		return;
	}
	staff_page_begin(r, "Queue", "queue");
	h_elem(h, "h1", "Queue", NULL);
	staff_search_begin(r, "/staff/queue");
	h_open(h, "div", "class", "grid-row grid-gap", NULL);
	ui_search_select(r, "tablet:grid-col-3", "kind", "Kind", kind,
	    kind_opts, NOPTS(kind_opts));
	ui_search_select(r, "tablet:grid-col-3", "state", "State", state,
	    state_opts, NOPTS(state_opts));
	ui_search_select(r, "tablet:grid-col-2", "product", "Product", product,
	    product_opts, NOPTS(product_opts));
	ui_search_select(r, "tablet:grid-col-3", "age", "Age", f.min_age > 0 ?
	    age : NULL, ageo, sizeof(ages) / sizeof(ages[0]));
	h_close(h);
	ui_button(r, "Show", NULL);
	h_close(h);

	if (n == 0)
		h_elem(h, "p", "Nothing here: the queue is empty for these "
		    "filters.", "class", "aim-queue-empty", NULL);
	else {
		h_open(h, "table", "class", "usa-table usa-table--striped "
		    "usa-table--stacked aim-queue", NULL);
		h_open(h, "caption", NULL);
		h_textf(h, "%zu item%s, oldest first", total, total == 1 ? "" :
		    "s");
		h_close(h);
		ui_thead(h, "Reference", "Kind", "State", "Product", "From",
		    "Subject", "Received", "Waiting", "Form", NULL);
		for (i = 0; i < n; i++) {
			w = &rows[i];
			h_open(h, "tr", "data-item", w->reference, NULL);
			snprintf(href, sizeof(href), "/staff/queue/%lld",
			    (long long)w->id);
			h_open(h, "th", "scope", "row", "data-label",
			    "Reference", NULL);
			h_elem(h, "a", w->reference, "href", href, "class",
			    "usa-link", NULL);
			h_close(h);
			ui_td(h, "Kind", kind_labels[w->kind]);
			h_open(h, "td", "data-label", "State", NULL);
			h_elem(h, "span", state_labels[w->state], "class",
			    state_tags[w->state], NULL);
			if (w->state == QS_CLAIMED) {
				h_open(h, "span", "class", "aim-claimed "
				    "display-block font-body-3xs", NULL);
				h_textf(h, "by %s", strcmp(w->claimed_by,
				    r->staff_user.email) == 0 ? "you" :
				    w->claimed_by);
				h_close(h);
			}
			h_close(h);
			ui_td(h, "Product", w->product);
			ui_td(h, "From", w->sender);
			ui_td(h, "Subject", w->subject);
			ui_time(w->received_at[0] ? w->received_at :
			    w->created_at, ts, sizeof(ts));
			ui_td(h, "Received", ts);
			staff_age(w->created_at, agebuf, sizeof(agebuf));
			ui_td(h, "Waiting", agebuf);
			if (w->kind != QK_SUBMISSION)
				ui_td(h, "Form", "");
			else if (w->valid)
				ui_td(h, "Form", "Valid");
			else {
				snprintf(buf, sizeof(buf), "%d error%s",
				    w->nerrors, w->nerrors == 1 ? "" : "s");
				ui_td(h, "Form", buf);
			}
			h_close(h);
		}
		h_close(h);
		h_close(h);
	}
	buf_init(&base, 4096);
	buf_puts(&base, "/staff/queue");
	ui_qs_add(&base, "kind", kind);
	ui_qs_add(&base, "state", state);
	ui_qs_add(&base, "product", product);
	ui_qs_add(&base, "age", f.min_age > 0 ? age : NULL);
	staff_pager(r, buf_str(&base), page, LIST_ROWS, total);
	buf_free(&base);
	page_end(r);
	queue_rows_free(rows, n);
}

/* ----- an email ----- */

static void
dl_row(struct html *h, const char *label, const char *value, int pre)
{
	h_elem(h, "dt", label, "class", "text-bold margin-top-1", NULL);
	if (pre)
		h_elem(h, "dd", value != NULL ? value : "", "class",
		    "margin-left-0 aim-pre font-mono-3xs", NULL);
	else
		h_elem(h, "dd", value != NULL && *value ? value : "-",
		    "class", "margin-left-0", NULL);
}

/*
 * A stored message: its headers as read, the text (escaped, in a
 * <pre>: HTML mail was made text by the intake, and nothing is ever
 * written raw), and its attachments as download links.
 */
static void
mail_panel(struct req *r, const struct stored_message *m,
    const struct stored_attachment *att, size_t natt)
{
	struct html	*h = &r->h;
	char		 buf[512], href[96];
	size_t		 i;

	h_open(h, "dl", "class", "aim-mail-headers", NULL);
	if (m->from_name != NULL && *m->from_name != '\0')
		snprintf(buf, sizeof(buf), "%s <%s>", m->from_name,
		    m->from != NULL ? m->from : "");
	else
		snprintf(buf, sizeof(buf), "%s", m->from != NULL ? m->from :
		    "(none)");
	dl_row(h, "From", buf, 0);
	dl_row(h, "To", m->to, 0);
	dl_row(h, "Subject", m->subject, 0);
	dl_row(h, "Date", m->date, 0);
	ui_time(m->received_at, buf, sizeof(buf));
	dl_row(h, "Received", buf, 0);
	dl_row(h, "Message-ID", m->message_id, 0);
	dl_row(h, "In-Reply-To", m->in_reply_to, 0);
	snprintf(buf, sizeof(buf), "%s, UID %u (UIDVALIDITY %u)", m->mailbox,
	    m->uid, m->uidvalidity);
	dl_row(h, "Mailbox", buf, 0);
	snprintf(buf, sizeof(buf), "%zu bytes, SHA-256 %s", m->size,
	    m->sha256);
	dl_row(h, "Size", buf, 0);
	snprintf(buf, sizeof(buf), "%s, %s", m->classification[0] ?
	    m->classification : "not read", m->state);
	dl_row(h, "Classified", buf, 0);
	if (m->last_error != NULL && *m->last_error != '\0') {
		snprintf(buf, sizeof(buf), "%s (%d attempt%s)", m->last_error,
		    m->attempts, m->attempts == 1 ? "" : "s");
		dl_row(h, "Why it could not be read", buf, 0);
	}
	dl_row(h, "Authentication-Results", m->auth_results != NULL &&
	    *m->auth_results != '\0' ? m->auth_results : "(none)", 1);
	h_close(h);

	h_elem(h, "h3", "Text", NULL);
	h_elem(h, "pre", m->text != NULL && *m->text != '\0' ? m->text :
	    "(no text)", "class", "aim-mail-text bg-base-lightest padding-1 "
	    "font-mono-3xs", NULL);

	h_elem(h, "h3", "Attachments", NULL);
	if (natt == 0)
		h_elem(h, "p", "None.", NULL);
	else {
		h_open(h, "ul", "class", "usa-list aim-attachments", NULL);
		for (i = 0; i < natt; i++) {
			h_open(h, "li", NULL);
			snprintf(href, sizeof(href),
			    "/staff/mail/%lld/attachment?n=%d",
			    (long long)m->id, att[i].idx);
			if (m->classification[0] != '\0')
				h_elem(h, "a", att[i].name != NULL &&
				    *att[i].name ? att[i].name : "(no name)",
				    "href", href, "class", "usa-link",
				    "download", "", NULL);
			else
				h_text(h, att[i].name != NULL ? att[i].name :
				    "(no name)");
			h_textf(h, " (%s, %zu bytes, SHA-256 %.16s...)",
			    att[i].type != NULL ? att[i].type : "?",
			    att[i].size, att[i].sha256);
			h_close(h);
		}
		h_close(h);
	}
	h_open(h, "p", NULL);
	snprintf(href, sizeof(href), "/staff/mail/%lld/raw", (long long)m->id);
	h_elem(h, "a", "Download the message as received (.eml)", "href", href,
	    "class", "usa-link", "download", "", NULL);
	h_close(h);
}

static void
no_message(struct req *r)
{
	resp_error_page(r, 404, "No such message", "There is no stored "
	    "message with this number.");
}

static void
no_attachment(struct req *r)
{
	resp_error_page(r, 404, "No such attachment", "There is no such "
	    "attachment.");
}

/*
 * Stored message id and its attachments, both to free; -1 with the
 * page sent (not_found's for no such message; the log names what) and
 * nothing to free.
 */
static int
mail_load(struct req *r, int64_t id, struct stored_message *m,
    struct stored_attachment **att, size_t *natt,
    void (*not_found)(struct req *), const char *what)
{
	char		 where[64];
	enum db_err	 e;

	*att = NULL;
	*natt = 0;
	if ((e = mail_get(r->db, id, m)) != DB_OK) {
		if (e == DB_NOT_FOUND)
			not_found(r);
		else
			staff_fail(r, what);
		return -1;
	}
	if (mail_attachments(r->db, id, att, natt) != DB_OK) {
		snprintf(where, sizeof(where), "%s: attachments", what);
		staff_fail(r, where);
		stored_message_clear(m);
		return -1;
	}
	return 0;
}

void
staff_mail(struct req *r)
{
	struct html		*h = &r->h;
	struct stored_message	 m;
	struct stored_attachment *att;
	size_t			 natt;
	int64_t			 id;
	char			 title[64];

	if (staff_arg_id(r, &id) == -1) {
		no_message(r);
		return;
	}
	if (mail_load(r, id, &m, &att, &natt, no_message, "mail") == -1)
		return;
	snprintf(title, sizeof(title), "Message %lld", (long long)id);
	staff_page_begin(r, title, "queue");
	h_elem(h, "h1", m.subject != NULL && *m.subject ? m.subject :
	    "(no subject)", NULL);
	mail_panel(r, &m, att, natt);
	page_end(r);
	stored_attachments_free(att, natt);
	stored_message_clear(&m);
}

/* A download's name: ASCII letters, digits, dot, dash and underscore
 * (the rest as '_'), never empty, never a dot first. */
static void
safe_name(const char *in, const char *fallback, char *out, size_t sz)
{
	size_t	 i, n = 0;
	char	 c;

	for (i = 0; in != NULL && in[i] != '\0' && n + 1 < sz &&
	    n < FILENAME_MAX_BYTES; i++) {
		c = in[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		    c == '_'))
			c = '_';
		if (n == 0 && c == '.')
			c = '_';
		out[n++] = c;
	}
	out[n] = '\0';
	if (n == 0)
		snprintf(out, sz, "%s", fallback);
}

/* Bytes as a download: never shown by the browser, never sniffed. */
static void
download(struct req *r, const char *name, const void *data, size_t len)
{
	char	 cd[FILENAME_MAX_BYTES + 64];

	snprintf(cd, sizeof(cd), "attachment; filename=\"%s\"", name);
	r->status = 200;
	resp_header(r, "Content-Type", "application/octet-stream");
	resp_header(r, "Content-Disposition", cd);
	buf_reset(&r->out);
	if (len > 0 && buf_add(&r->out, data, len) == -1)
		/* http_send answers 500 rather than half a file. */
		log_msg(LOG_LVL_WARNING, "staff: a download of %zu bytes is "
		    "over the response limit", len);
}

void
staff_mail_raw(struct req *r)
{
	unsigned char	*raw = NULL;
	size_t		 len = 0;
	int64_t		 id;
	char		 name[64];
	enum db_err	 e;

	if (staff_arg_id(r, &id) == -1) {
		no_message(r);
		return;
	}
	if ((e = mail_raw(r->db, id, &raw, &len)) != DB_OK) {
		if (e == DB_NOT_FOUND)
			no_message(r);
		else
			staff_fail(r, "mail: raw");
		return;
	}
	snprintf(name, sizeof(name), "message-%lld.eml", (long long)id);
	download(r, name, raw, len);
	free(raw);
}

/*
 * An attachment: the raw message is read again with the intake's own
 * MIME code, and the part must have the SHA-256 stored when it came
 * in.  Only messages the intake could read (a class set): what made
 * the intake's sandbox fail is never parsed here; it can be
 * downloaded raw.
 */
void
staff_mail_attachment(struct req *r)
{
	struct stored_message	 m;
	struct stored_attachment *att;
	struct message		*msg = NULL;
	unsigned char		*raw = NULL;
	const char		*ns = kv_get(&r->query, "n");
	char			 err[256], name[FILENAME_MAX_BYTES + 1];
	char			*end;
	size_t			 natt, len = 0, i;
	long			 n;
	int64_t			 id;

	if (staff_arg_id(r, &id) == -1 || ns == NULL || *ns < '0' ||
	    *ns > '9' || (n = strtol(ns, &end, 10)) < 0 || *end != '\0' ||
	    n >= LIM_MIME_PARTS) {
		no_attachment(r);
		return;
	}
	if (mail_load(r, id, &m, &att, &natt, no_attachment, "attachment") ==
	    -1)
		return;
	for (i = 0; i < natt; i++)
		if (att[i].idx == n)
			break;
	if (i == natt) {
		no_attachment(r);
		goto out;
	}
	if (m.classification[0] == '\0') {
		resp_error_page(r, 409, "Not readable", "The mail gateway "
		    "could not read this message, so its attachments are not "
		    "taken apart here. Download the whole message instead.");
		goto out;
	}
	if (mail_raw(r->db, id, &raw, &len) != DB_OK) {
		staff_fail(r, "attachment: raw");
		goto out;
	}
	if ((msg = mime_parse((const char *)raw, len, err,
	    sizeof(err))) == NULL) {
		staff_fail(r, "attachment: parse");
		goto out;
	}
	if ((size_t)n >= msg->natt ||
	    strcmp(msg->att[n].sha256, att[i].sha256) != 0) {
		resp_error_page(r, 409, "Attachment not found again", "The "
		    "message does not read the same way as when it came in. "
		    "Download the whole message instead.");
		goto out;
	}
	safe_name(att[i].name, "attachment.bin", name, sizeof(name));
	download(r, name, msg->att[n].data, msg->att[n].size);
out:
	message_free(msg);
	free(raw);
	stored_attachments_free(att, natt);
	stored_message_clear(&m);
}

/* ----- an item ----- */

/* The parsed form, read only, each error beside its field. */
static void
form_panel(struct req *r, const struct queue_view *v)
{
	struct html		*h = &r->h;
	const struct form	*f = v->form;
	const struct report	*rep = &v->report;
	const char		*e;
	char			 path[96], id[128], head[64];
	size_t			 i, k;

	if (v->valid)
		ui_alert(r, "success", "The form is valid", "Every field "
		    "passed the rules: it can be approved.");
	else if (rep->nerrors > 0) {
		h_open(h, "div", "class", "usa-alert usa-alert--error "
		    "aim-form-errors", "role", "region", "aria-label",
		    "Validation results", NULL);
		h_open(h, "div", "class", "usa-alert__body", NULL);
		h_open(h, "h3", "class", "usa-alert__heading", NULL);
		h_textf(h, "%zu problem%s (what the filer was told)",
		    rep->nerrors, rep->nerrors == 1 ? "" : "s");
		h_close(h);
		h_open(h, "ul", "class", "usa-list", NULL);
		for (i = 0; i < rep->nerrors; i++) {
			h_open(h, "li", NULL);
			if (rep->errors[i].field[0] != '\0') {
				h_elem(h, "span", rep->errors[i].field,
				    "class", "font-mono-3xs", NULL);
				h_text(h, ": ");
			}
			h_text(h, rep->errors[i].message);
			h_close(h);
		}
		h_close(h);
		h_close(h);
		h_close(h);
	}
	if (f == NULL) {
		h_elem(h, "p", "No license form could be read from this email.",
		    NULL);
		return;
	}
	h_open(h, "dl", "class", "aim-form-fields", NULL);
	for (i = 0; i < HF__MAX; i++) {
		ui_field_id(hfields[i].name, id, sizeof(id));
		e = ui_error_for(rep, hfields[i].name);
		h_open(h, "div", "id", id, "class", e != NULL ?
		    "aim-field aim-field--error border-left-05 "
		    "border-secondary-dark padding-left-1" : "aim-field",
		    NULL);
		h_elem(h, "dt", hfields[i].label, "class",
		    "text-bold margin-top-1", NULL);
		h_open(h, "dd", "class", "margin-left-0", NULL);
		h_text(h, f->v[i] != NULL && *f->v[i] ? f->v[i] : "Not given");
		if (e != NULL)
			h_elem(h, "span", e, "class", "usa-error-message "
			    "display-block", NULL);
		h_close(h);
		h_close(h);
	}
	h_close(h);
	if ((e = ui_error_for(rep, "lines")) != NULL)
		h_elem(h, "span", e, "class", "usa-error-message", NULL);
	for (k = 0; k < f->nlines; k++) {
		snprintf(head, sizeof(head), "Product line %zu", k + 1);
		h_elem(h, "h4", head, NULL);
		h_open(h, "dl", "class", "aim-form-fields", NULL);
		for (i = 0; i < LF__MAX; i++) {
			snprintf(path, sizeof(path), "lines[%zu].%s", k + 1,
			    lfields[i].name);
			e = ui_error_for(rep, path);
			if (f->lines[k].v[i] == NULL && e == NULL)
				continue;
			ui_field_id(path, id, sizeof(id));
			h_open(h, "div", "id", id, "class", e != NULL ?
			    "aim-field aim-field--error border-left-05 "
			    "border-secondary-dark padding-left-1" :
			    "aim-field", NULL);
			h_elem(h, "dt", lfields[i].label, "class",
			    "text-bold margin-top-1", NULL);
			h_open(h, "dd", "class", "margin-left-0", NULL);
			h_text(h, f->lines[k].v[i] != NULL ? f->lines[k].v[i] :
			    "Not given");
			if (e != NULL)
				h_elem(h, "span", e, "class",
				    "usa-error-message display-block", NULL);
			h_close(h);
			h_close(h);
		}
		h_close(h);
	}
}

static void
thread_panel(struct req *r, const struct queue_view *v)
{
	struct html	*h = &r->h;
	const struct queue_thread_row *t;
	char		 ts[40], href[64], buf[96];
	size_t		 i;

	h_elem(h, "h2", "Thread", "id", "thread", NULL);
	if (v->nthread == 0) {
		h_elem(h, "p", "No email in or out yet.", NULL);
		return;
	}
	h_open(h, "table", "class", "usa-table usa-table--borderless "
	    "usa-table--stacked aim-thread", NULL);
	h_elem(h, "caption", "Every email in and out, oldest first", NULL);
	ui_thead(h, "When", "Direction", "From or to", "Subject or email",
	    "State", NULL);
	for (i = 0; i < v->nthread; i++) {
		t = &v->thread[i];
		h_open(h, "tr", "class", strcmp(t->direction, "in") == 0 ?
		    "aim-thread-in" : "aim-thread-out", NULL);
		ui_time(t->at, ts, sizeof(ts));
		ui_td(h, "When", ts);
		if (strcmp(t->direction, "in") == 0) {
			ui_td(h, "Direction", "In");
			ui_td(h, "From or to", t->from);
			h_open(h, "td", "data-label", "Subject or email",
			    NULL);
			snprintf(href, sizeof(href), "/staff/mail/%lld",
			    (long long)t->message_id);
			h_elem(h, "a", t->subject != NULL && *t->subject ?
			    t->subject : "(no subject)", "href", href,
			    "class", "usa-link", NULL);
			h_close(h);
			ui_td(h, "State", "received");
		} else {
			ui_td(h, "Direction", "Out");
			ui_td(h, "From or to", t->to);
			snprintf(buf, sizeof(buf), "%s (outbox %lld)",
			    t->template, (long long)t->outbox_id);
			ui_td(h, "Subject or email", buf);
			ui_td(h, "State", t->outbox_state);
		}
		h_close(h);
	}
	h_close(h);
	h_close(h);
}

/* The failed email of an outbound_failure item. */
static void
outbox_panel(struct req *r, int64_t id)
{
	struct html		*h = &r->h;
	struct outbox_row	 o;
	char			 buf[64];

	memset(&o, 0, sizeof(o));
	if (id <= 0 || outbox_get(r->db, id, &o) != DB_OK) {
		h_elem(h, "p", "The email that failed could not be read.",
		    NULL);
		return;
	}
	h_open(h, "dl", "class", "aim-outbox-row", NULL);
	dl_row(h, "Email", o.template, 0);
	dl_row(h, "To", o.to, 0);
	dl_row(h, "Copy to", o.cc, 0);
	dl_row(h, "Message-ID", o.message_id, 0);
	snprintf(buf, sizeof(buf), "%s after %d attempt%s", o.state,
	    o.attempts, o.attempts == 1 ? "" : "s");
	dl_row(h, "State", buf, 0);
	dl_row(h, "Last error", o.last_error, 0);
	dl_row(h, "Parameters", o.params, 1);
	h_close(h);
	outbox_row_clear(&o);
}

/* The claim: who holds the item, and the buttons to claim, release or
 * take over.  Returns 1 when this staff member may act on it. */
static int
claim_panel(struct req *r, const struct queue_view *v)
{
	struct html	*h = &r->h;
	char		 action[96], ts[40], text[256];
	int		 mine;

	if (v->state != QS_OPEN && v->state != QS_CLAIMED)
		return 0;
	mine = v->state == QS_CLAIMED &&
	    strcmp(v->claimed_by, r->staff_user.email) == 0;
	h_open(h, "div", "class", "aim-claim margin-y-2", NULL);
	if (v->state == QS_OPEN) {
		h_elem(h, "p", "Nobody has claimed this item.", "class",
		    "aim-claim-state", NULL);
		snprintf(action, sizeof(action), "/staff/queue/%lld/claim",
		    (long long)v->id);
		button_form(r, action, "Claim", NULL, NULL, NULL);
	} else if (mine) {
		ui_time(v->claimed_at, ts, sizeof(ts));
		h_open(h, "p", "class", "aim-claim-state", NULL);
		h_textf(h, "Claimed by you since %s.", ts);
		h_close(h);
		snprintf(action, sizeof(action), "/staff/queue/%lld/release",
		    (long long)v->id);
		button_form(r, action, "Release", "usa-button--outline", NULL,
		    NULL);
	} else {
		ui_time(v->claimed_at, ts, sizeof(ts));
		snprintf(text, sizeof(text), "%s has claimed this item since "
		    "%s. Only they can act on it unless you take it over.",
		    v->claimed_by, ts);
		ui_alert(r, "warning", "Claimed by someone else", text);
		snprintf(action, sizeof(action), "/staff/queue/%lld/takeover",
		    (long long)v->id);
		h_elem(h, "a", "Take over this item", "href", action, "class",
		    "usa-button usa-button--outline", NULL);
	}
	h_close(h);
	return v->state == QS_OPEN || mine;
}

/* What can be done to the item now, by kind. */
static void
actions_panel(struct req *r, const struct queue_view *v,
    const struct report *errs)
{
	struct html	*h = &r->h;
	struct ui_field	 uf;
	char		 action[96], subj[256];

	h_elem(h, "h2", "Decide", "id", "decide", NULL);
	if (v->kind == QK_SUBMISSION) {
		h_open(h, "div", "class", "margin-bottom-2", NULL);
		snprintf(action, sizeof(action), "/staff/queue/%lld/edit",
		    (long long)v->id);
		h_elem(h, "a", "Edit the form", "href", action, "class",
		    "usa-button usa-button--outline", NULL);
		snprintf(action, sizeof(action), "/staff/queue/%lld/approve",
		    (long long)v->id);
		button_form(r, action, "Approve and issue the license", NULL,
		    NULL, NULL);
		h_close(h);
		snprintf(action, sizeof(action), "/staff/queue/%lld/reject",
		    (long long)v->id);
		ui_form_begin(r, action, "reject-form");
		textarea(r, "reason", "Reasons for rejecting", "Emailed to the "
		    "sender, who may send a corrected form.", NULL,
		    ui_error_for(errs, "reason"), 1);
		ui_button(r, "Reject", "usa-button--secondary");
		ui_form_end(r);
	}
	if (v->kind == QK_CORRESPONDENCE && v->sender != NULL) {
		snprintf(action, sizeof(action), "/staff/queue/%lld/reply",
		    (long long)v->id);
		ui_form_begin(r, action, "reply-form");
		snprintf(subj, sizeof(subj), "%s%s", v->has_msg &&
		    v->msg.subject != NULL && strncasecmp(v->msg.subject,
		    "Re:", 3) == 0 ? "" : "Re: ", v->has_msg &&
		    v->msg.subject != NULL ? v->msg.subject : v->reference);
		memset(&uf, 0, sizeof(uf));
		uf.name = "subject";
		uf.label = "Subject";
		uf.value = subj;
		uf.error = ui_error_for(errs, "subject");
		ui_input(r, &uf);
		textarea(r, "body", "Reply", "Sent to the sender; their answer "
		    "comes back to this item.", NULL, ui_error_for(errs,
		    "body"), 1);
		ui_button(r, "Send the reply", NULL);
		ui_form_end(r);
	}
	if (v->kind == QK_QUARANTINE && v->message_id > 0) {
		h_elem(h, "p", "Send the message back to the mail gateway to be "
		    "read again (after a fix, or when the failure was "
		    "passing). The item is closed; what the gateway then makes "
		    "of the message comes as a new item.", NULL);
		snprintf(action, sizeof(action),
		    "/staff/queue/%lld/reprocess", (long long)v->id);
		button_form(r, action, "Reprocess the message", NULL, NULL,
		    NULL);
	}
	if (v->kind != QK_SUBMISSION) {
		snprintf(action, sizeof(action), "/staff/queue/%lld/close",
		    (long long)v->id);
		ui_form_begin(r, action, "close-form");
		textarea(r, "note", "Note (optional)", "Kept with the item and "
		    "in the audit log.", NULL, ui_error_for(errs, "note"), 0);
		ui_button(r, "Close the item", "usa-button--outline");
		ui_form_end(r);
	}
}

/* Outcome of the action that sent staff here (?done=...). */
static void
done_alert(struct req *r, const struct queue_view *v)
{
	const char	*done = kv_get(&r->query, "done");
	char		 text[256];

	if (done == NULL)
		return;
	if (strcmp(done, "approved") == 0 && v->license_number[0] != '\0') {
		snprintf(text, sizeof(text), "License %s is issued; the "
		    "confirmation with its number is queued to the filer.",
		    v->license_number);
		ui_alert(r, "success", "Approved", text);
	} else if (strcmp(done, "rejected") == 0)
		ui_alert(r, "success", "Rejected", "The reasons are queued to "
		    "the sender.");
	else if (strcmp(done, "edited") == 0)
		ui_alert(r, v->valid ? "success" : "warning", "Form saved",
		    v->valid ? "The rules accept the form: it can be "
		    "approved." : "The rules still find problems: see them "
		    "beside the fields.");
	else if (strcmp(done, "claimed") == 0)
		ui_alert(r, "success", "Claimed", "The item is yours until "
		    "you release it or decide it.");
	else if (strcmp(done, "released") == 0)
		ui_alert(r, "info", "Released", "Anyone may claim the item "
		    "now.");
	else if (strcmp(done, "replied") == 0)
		ui_alert(r, "success", "Reply queued", "The reply is in the "
		    "thread below.");
	else if (strcmp(done, "closed") == 0)
		ui_alert(r, "success", "Closed", "The item is closed.");
	else if (strcmp(done, "reprocessed") == 0)
		ui_alert(r, "success", "Sent back to the mail gateway", "The "
		    "gateway reads the message again; what it makes of it "
		    "comes as a new item.");
}

/*
 * The item page, with an alert on top when an action was refused
 * (heading NULL: none) and that action's errors beside its fields.
 */
static void
item_page(struct req *r, int64_t id, const char *heading, const char *text,
    const struct report *errs)
{
	struct html		*h = &r->h;
	struct queue_view	 v;
	struct console_account	 acc;
	char			 title[96], ts[40], href[64];
	size_t			 i;
	int			 may, d;
	enum queue_err		 q;

	if ((q = queue_show(r->db, id, &v)) != QUEUE_OK) {
		staff_queue_fail(r, q, NULL);
		return;
	}
	snprintf(title, sizeof(title), "%s %s", kind_labels[v.kind],
	    v.reference);
	staff_page_begin(r, title, "queue");
	h_open(h, "p", NULL);
	h_elem(h, "a", "Back to the queue", "href", "/staff/queue", "class",
	    "usa-link", NULL);
	h_close(h);
	if (heading != NULL) {
		d = ui_alert_open(r, "error", heading, "aim-refused");
		if (text != NULL)
			h_elem(h, "p", text, "class", "usa-alert__text", NULL);
		if (errs != NULL && errs->nerrors > 0) {
			h_open(h, "ul", "class", "usa-list", NULL);
			for (i = 0; i < errs->nerrors; i++) {
				h_open(h, "li", NULL);
				if (errs->errors[i].field[0] != '\0') {
					h_text(h, errs->errors[i].field);
					h_text(h, ": ");
				}
				h_text(h, errs->errors[i].message);
				h_close(h);
			}
			h_close(h);
		}
		h_close_to(h, d);
	}
	done_alert(r, &v);
	h_open(h, "h1", NULL);
	h_text(h, title);
	h_text(h, " ");
	h_elem(h, "span", state_labels[v.state], "class", state_tags[v.state],
	    "id", "item-state", NULL);
	h_close(h);
	h_open(h, "p", "class", "usa-intro", NULL);
	ui_time(v.created_at, ts, sizeof(ts));
	h_textf(h, "In the queue since %s", ts);
	if (v.product[0] != '\0')
		h_textf(h, "; %s", v.product);
	h_text(h, ".");
	if (v.kind == QK_SUBMISSION)
		h_text(h, " The reference is not a license number.");
	h_close(h);
	if (v.note != NULL && *v.note != '\0') {
		h_open(h, "p", "class", "aim-item-note", NULL);
		h_elem(h, "strong", v.kind == QK_QUARANTINE ? "Why "
		    "quarantined: " : v.kind == QK_OUTBOUND_FAILURE ?
		    "Why it failed: " : "Note: ", NULL);
		h_text(h, v.note);
		h_close(h);
	}
	if (v.state == QS_APPROVED || v.state == QS_REJECTED ||
	    v.state == QS_CLOSED) {
		ui_time(v.decided_at, ts, sizeof(ts));
		h_open(h, "p", "class", "aim-decided", NULL);
		h_textf(h, "%s by %s at %s.", state_labels[v.state],
		    v.decided_by, ts);
		h_close(h);
	}
	if (v.license_number[0] != '\0') {
		h_open(h, "p", NULL);
		h_text(h, "License: ");
		snprintf(href, sizeof(href), "/staff/licenses/%s",
		    v.license_number);
		h_elem(h, "a", v.license_number, "href", href, "class",
		    "usa-link aim-licnum", "id", "item-license", NULL);
		h_close(h);
	}
	if (v.account_id > 0 &&
	    console_account(r->db, v.account_id, &acc) == DB_OK) {
		h_open(h, "p", NULL);
		h_text(h, "Filer account: ");
		snprintf(href, sizeof(href), "/staff/accounts/%lld",
		    (long long)v.account_id);
		h_elem(h, "a", acc.email != NULL ? acc.email : "?", "href",
		    href, "class", "usa-link", "id", "item-account", NULL);
		if (acc.company_name != NULL) {
			h_text(h, ", ");
			h_text(h, acc.company_name);
		}
		if (!acc.efiling)
			h_text(h, " (electronic filing revoked)");
		h_close(h);
		console_account_clear(&acc);
	}
	if (v.filer_email != NULL) {
		h_open(h, "p", NULL);
		h_text(h, "Filer email on the form: ");
		h_text(h, v.filer_email);
		h_close(h);
	}
	may = claim_panel(r, &v);

	h_open(h, "div", "class", "grid-row grid-gap", NULL);
	h_open(h, "section", "class", v.kind == QK_SUBMISSION ?
	    "desktop:grid-col-6 aim-item-mail" : "grid-col-12 aim-item-mail",
	    "aria-labelledby", "mail-heading", NULL);
	h_elem(h, "h2", v.kind == QK_OUTBOUND_FAILURE ? "The email that "
	    "failed" : "The email", "id", "mail-heading", NULL);
	if (v.kind == QK_OUTBOUND_FAILURE)
		outbox_panel(r, v.outbox_id);
	else if (v.has_msg)
		mail_panel(r, &v.msg, v.att, v.natt);
	else
		h_elem(h, "p", "No email is stored with this item.", NULL);
	h_close(h);
	if (v.kind == QK_SUBMISSION) {
		h_open(h, "section", "class", "desktop:grid-col-6 "
		    "aim-item-form", "aria-labelledby", "form-heading", NULL);
		h_elem(h, "h2", "The form as read", "id", "form-heading",
		    NULL);
		form_panel(r, &v);
		h_close(h);
	}
	h_close(h);
	if (may)
		actions_panel(r, &v, errs);
	thread_panel(r, &v);
	page_end(r);
	queue_view_free(&v);
}

/* The route's item id; -1 after the 404 page. */
static int
item_id(struct req *r, int64_t *id)
{
	if (staff_arg_id(r, id) == -1) {
		resp_error_page(r, 404, "Not found", "There is no queue item "
		    "with this number.");
		return -1;
	}
	return 0;
}

static void
redirect_item(struct req *r, int64_t id, const char *done)
{
	char	 to[96];

	snprintf(to, sizeof(to), "/staff/queue/%lld?done=%s", (long long)id,
	    done);
	resp_redirect(r, to);
}

/* A refused action shown on the item page (status set). */
static void
refused(struct req *r, int64_t id, enum queue_err q, const char *why,
    const struct report *errs)
{
	const char	*text = why != NULL && *why != '\0' ? why :
			    queue_strerror(q);

	switch (q) {
	case QUEUE_NOT_FOUND:
		staff_queue_fail(r, q, why);
		return;
	case QUEUE_CLAIMED:
	case QUEUE_STATE:
	case QUEUE_KIND:
	case QUEUE_NO_ACCOUNT:
	case QUEUE_ACCOUNT:
		r->status = 409;
		break;
	case QUEUE_INVALID:
		r->status = 422;
		break;
	default:
		staff_fail(r, "queue action");
		return;
	}
	item_page(r, id, "Not done", text, errs);
}

void
staff_item(struct req *r)
{
	int64_t	 id;

	if (item_id(r, &id) == 0)
		item_page(r, id, NULL, NULL, NULL);
}

void
staff_item_claim(struct req *r)
{
	const char	*force = kv_get(&r->form, "force");
	struct staff	 s;
	char		 who[64], why[160];
	int64_t		 id;
	enum queue_err	 q;

	if (item_id(r, &id) == -1)
		return;
	staff_who(r, &s);
	q = queue_claim(r->db, id, &s, force != NULL && strcmp(force, "1") ==
	    0, who, sizeof(who));
	if (q == QUEUE_OK) {
		redirect_item(r, id, "claimed");
		return;
	}
	if (q == QUEUE_CLAIMED) {
		snprintf(why, sizeof(why), "%s has claimed this item. Take it "
		    "over to work on it.", who);
		refused(r, id, q, why, NULL);
	} else
		refused(r, id, q, NULL, NULL);
}

void
staff_item_takeover(struct req *r)
{
	struct html		*h = &r->h;
	struct queue_view	 v;
	char			 action[96], back[64], ts[40];
	int64_t			 id;
	enum queue_err		 q;

	if (item_id(r, &id) == -1)
		return;
	if ((q = queue_show(r->db, id, &v)) != QUEUE_OK) {
		staff_queue_fail(r, q, NULL);
		return;
	}
	snprintf(back, sizeof(back), "/staff/queue/%lld", (long long)id);
	if (v.state != QS_CLAIMED ||
	    strcmp(v.claimed_by, r->staff_user.email) == 0) {
		resp_redirect(r, back);
		goto out;
	}
	staff_page_begin(r, "Take over an item", "queue");
	h_open(h, "h1", NULL);
	h_textf(h, "Take over %s from %s?", v.reference, v.claimed_by);
	h_close(h);
	ui_time(v.claimed_at, ts, sizeof(ts));
	h_open(h, "p", "class", "usa-intro", NULL);
	h_textf(h, "%s has held this item since %s and may be working on it "
	    "right now. Once you take it over, they can no longer act on it; "
	    "the take-over is recorded in the audit log. Tell them first if "
	    "you can.", v.claimed_by, ts);
	h_close(h);
	snprintf(action, sizeof(action), "/staff/queue/%lld/claim",
	    (long long)id);
	button_form(r, action, "Take it over", "usa-button--secondary",
	    "force", "1");
	h_elem(h, "a", "Leave it with them", "href", back, "class",
	    "usa-button usa-button--unstyled", NULL);
	page_end(r);
out:
	queue_view_free(&v);
}

void
staff_item_release(struct req *r)
{
	struct staff	 s;
	int64_t		 id;
	enum queue_err	 q;

	if (item_id(r, &id) == -1)
		return;
	staff_who(r, &s);
	if ((q = queue_release(r->db, id, &s, 0)) == QUEUE_OK)
		redirect_item(r, id, "released");
	else
		refused(r, id, q, q == QUEUE_CLAIMED ? "Only the staff member "
		    "holding the item can release it." : q == QUEUE_STATE ?
		    "The item is not claimed." : NULL, NULL);
}

void
staff_item_approve(struct req *r)
{
	struct reg_result	 res;
	struct staff		 s;
	char			 why[512];
	int64_t			 id;
	enum queue_err		 q;

	if (item_id(r, &id) == -1)
		return;
	staff_who(r, &s);
	reg_result_init(&res);
	q = queue_approve(r->db, id, &s, req_today(r), &res, why,
	    sizeof(why));
	if (q == QUEUE_OK)
		redirect_item(r, id, "approved");
	else
		refused(r, id, q, why, q == QUEUE_INVALID ? &res.report :
		    NULL);
	reg_result_free(&res);
}

/*
 * An action that takes a text of the form (field; "" is none, refused
 * with missing when that is set) of at most QUEUE_NOTE_MAX bytes: a
 * refusal names the field ("Keep <noun> under N characters"), and
 * not_done says what did not happen; done is the word for the page.
 */
static void
text_action(struct req *r, const char *field, const char *missing,
    const char *noun, const char *not_done, enum queue_err (*act)(
    struct db *, int64_t, const struct staff *, const char *),
    const char *done)
{
	const char	*text = kv_get(&r->form, field);
	struct report	 rep;
	struct staff	 s;
	int64_t		 id;
	enum queue_err	 q;

	if (item_id(r, &id) == -1)
		return;
	report_init(&rep);
	if (text != NULL && *text == '\0')
		text = NULL;
	if (text == NULL && missing != NULL)
		report_error(&rep, 0, field, "%s", missing);
	else if (text != NULL && strnlen(text, QUEUE_NOTE_MAX + 1) >
	    QUEUE_NOTE_MAX)
		report_error(&rep, 0, field, "Keep %s under %d characters.",
		    noun, QUEUE_NOTE_MAX);
	if (rep.nerrors > 0) {
		refused(r, id, QUEUE_INVALID, not_done, &rep);
		goto out;
	}
	staff_who(r, &s);
	if ((q = act(r->db, id, &s, text)) == QUEUE_OK)
		redirect_item(r, id, done);
	else
		refused(r, id, q, NULL, NULL);
out:
	report_free(&rep);
}

void
staff_item_reject(struct req *r)
{
	text_action(r, "reason", "Give the reasons: they are emailed to the "
	    "sender.", "the reasons", "The item was not rejected.",
	    queue_reject, "rejected");
}

void
staff_item_close(struct req *r)
{
	text_action(r, "note", NULL, "the note", "The item was not closed.",
	    queue_close, "closed");
}

void
staff_item_reprocess(struct req *r)
{
	struct staff	 s;
	int64_t		 id;
	enum queue_err	 q;

	if (item_id(r, &id) == -1)
		return;
	staff_who(r, &s);
	if ((q = console_reprocess(r->db, id, &s)) == QUEUE_OK)
		redirect_item(r, id, "reprocessed");
	else
		refused(r, id, q, q == QUEUE_KIND ? "Only quarantined mail can "
		    "be read again." : q == QUEUE_STATE ? "The item is "
		    "decided already, or its message is no longer in "
		    "quarantine." : NULL, NULL);
}

void
staff_item_reply(struct req *r)
{
	const char	*subject = kv_get(&r->form, "subject");
	const char	*body = kv_get(&r->form, "body");
	struct report	 rep;
	struct staff	 s;
	int64_t		 id;
	enum queue_err	 q;

	if (item_id(r, &id) == -1)
		return;
	report_init(&rep);
	if (body == NULL || *body == '\0')
		report_error(&rep, 0, "body", "Write the reply.");
	else if (strnlen(body, CONSOLE_TEXT_MAX + 1) > CONSOLE_TEXT_MAX)
		report_error(&rep, 0, "body", "Keep the reply under %d "
		    "characters.", CONSOLE_TEXT_MAX);
	if (subject != NULL && strnlen(subject, CONSOLE_SUBJECT_MAX + 1) >
	    CONSOLE_SUBJECT_MAX)
		report_error(&rep, 0, "subject", "Keep the subject under %d "
		    "characters.", CONSOLE_SUBJECT_MAX);
	if (rep.nerrors > 0) {
		refused(r, id, QUEUE_INVALID, "The reply was not sent.", &rep);
		goto out;
	}
	staff_who(r, &s);
	if ((q = console_reply(r->db, id, &s, subject, body, NULL)) ==
	    QUEUE_OK)
		redirect_item(r, id, "replied");
	else
		refused(r, id, q, q == QUEUE_KIND ? "The item has no sender "
		    "to answer." : NULL, NULL);
out:
	report_free(&rep);
}

/* ----- edit the form ----- */

/* An item staff may edit now, or -1 after the page saying why. */
static int
editable(struct req *r, int64_t id, struct queue_view *v)
{
	enum queue_err	 q;

	if ((q = queue_show(r->db, id, v)) != QUEUE_OK) {
		staff_queue_fail(r, q, NULL);
		return -1;
	}
	if (v->kind != QK_SUBMISSION)
		q = QUEUE_KIND;
	else if (v->state != QS_OPEN && v->state != QS_CLAIMED)
		q = QUEUE_STATE;
	else if (v->state == QS_CLAIMED &&
	    strcmp(v->claimed_by, r->staff_user.email) != 0)
		q = QUEUE_CLAIMED;
	if (q != QUEUE_OK) {
		staff_queue_fail(r, q, q == QUEUE_CLAIMED ? "Another staff "
		    "member holds this item: take it over first." : NULL);
		queue_view_free(v);
		return -1;
	}
	return 0;
}

static void
edit_page(struct req *r, int64_t id, const struct queue_view *v,
    const struct form *f, const struct report *errs)
{
	struct licform	 lf;
	char		 action[96], back[64];

	snprintf(action, sizeof(action), "/staff/queue/%lld/edit",
	    (long long)id);
	snprintf(back, sizeof(back), "/staff/queue/%lld", (long long)id);
	memset(&lf, 0, sizeof(lf));
	lf.mode = LICFORM_STAFF;
	lf.form = f;
	lf.errors = errs;
	lf.action = action;
	lf.number = v->reference;
	lf.back = back;
	licform_page(r, &lf);
}

void
staff_item_edit(struct req *r)
{
	struct queue_view	 v;
	struct form		*f = NULL;
	int64_t			 id;

	if (item_id(r, &id) == -1 || editable(r, id, &v) == -1)
		return;
	if (v.form != NULL)
		f = form_dup(v.form);
	else if ((f = form_new()) != NULL && v.product[0] != '\0' &&
	    form_set(f, HF_PRODUCT, v.product, strlen(v.product)) == -1) {
		form_free(f);
		f = NULL;
	}
	if (f == NULL) {
		resp_error_page(r, 503, "Out of memory", "Try again.");
		goto out;
	}
	edit_page(r, id, &v, f, &v.report);
out:
	form_free(f);
	queue_view_free(&v);
}

void
staff_item_edit_post(struct req *r)
{
	struct queue_view	 v;
	struct queue_submission	 sub;
	struct report		 rep;
	struct form		*f = NULL;
	struct staff		 s;
	int64_t			 id;
	int			 editing;
	enum queue_err		 q;

	if (item_id(r, &id) == -1 || editable(r, id, &v) == -1)
		return;
	report_init(&rep);
	if (licform_read(r, &rep, &f, &editing) == -1) {
		resp_error_page(r, 503, "Out of memory", "Try again.");
		goto out;
	}
	if (f == NULL) {
		resp_error_page(r, 400, "Form not read", "The form could not "
		    "be read: it has too many fields.");
		goto out;
	}
	if (editing) {
		edit_page(r, id, &v, f, &rep);
		goto out;
	}
	/* The core validates (reader's errors first, then the rules). */
	memset(&sub, 0, sizeof(sub));
	sub.form = f;
	sub.read_report = &rep;
	staff_who(r, &s);
	if ((q = queue_edit_form(r->db, id, &sub, &s)) == QUEUE_OK)
		redirect_item(r, id, "edited");
	else
		refused(r, id, q, NULL, NULL);
out:
	form_free(f);
	report_free(&rep);
	queue_view_free(&v);
}
