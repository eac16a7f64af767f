/*
 * The site's page chrome (U.S. Web Design System) and form pieces that
 * every page uses the same way: labels, hints, an error summary that
 * links to each field, errors beside their fields, Action Required
 * flags in red.
 */
#ifndef AIM_LAYOUT_H
#define AIM_LAYOUT_H

#include <stddef.h>

#include "forms/form.h"
#include "req.h"

/* Starts a page: headers, <head>, banner, header and navigation, and
 * opens <main>.  The status stays as set (200 if unset). */
void	 page_begin(struct req *, const char *title);
/* Its first part, for a page of its own (print): the headers and the
 * document's <head>, left open, with the title and the site's
 * stylesheets. */
void	 page_head(struct req *, const char *title);
/* Closes <main>, writes the footer, closes the document. */
void	 page_end(struct req *);

/* Field id of a vocabulary path: "lines[2].hts_code" -> "f-lines-2-hts_code". */
void	 ui_field_id(const char *path, char *out, size_t sz);
/* The error (or flag) message a report has for a path, or NULL. */
const char *ui_error_for(const struct report *, const char *path);
const char *ui_flag_for(const struct report *, const char *path);

/* "2025-11-28T02:26:00Z" -> "2025-11-28 02:26 UTC" (NULL: ""). */
void	 ui_time(const char *iso, char *out, size_t sz);
/* Appends "&key=value" (or "?key=value" first), percent-encoded;
 * nothing for a NULL or empty value. */
void	 ui_qs_add(struct buf *, const char *key, const char *value);
/* A search text of the query (NULL if absent); NULL with an error on
 * key in rep ("<label> is too long") past LIM_FIELD_BYTES. */
const char *ui_query_text(struct req *, const char *key, const char *label,
	    struct report *rep);

/* <form method="post" action=...> with the CSRF token; ui_form_end
 * closes it. */
void	 ui_form_begin(struct req *, const char *action, const char *id);
void	 ui_form_end(struct req *);

/* "There is a problem" box listing each error as a link to its field;
 * nothing when the report has no errors.  Focused on load by JS. */
void	 ui_error_summary(struct req *, const struct report *);
/* <ul> of n report items: each a link to its field's input, or plain
 * text when it is about the whole form. */
void	 ui_item_links(struct req *, const struct report_item *, size_t n);
/* <ul class=cls> of n links: pairs[2i] the text, pairs[2i+1] where to
 * (the sections of a page). */
void	 ui_link_list(struct req *, const char *cls,
	    const char *const *pairs, size_t n);

struct ui_field {
	const char	*name;		/* input name = vocabulary path */
	const char	*label;
	const char	*hint;		/* NULL: none */
	const char	*value;		/* NULL: empty */
	const char	*type;		/* "text", "email", "date", ... */
	const char	*autocomplete;	/* NULL: none */
	const char	*error;		/* shown beside, field marked */
	const char	*flag;		/* Action Required reason */
	int		 required;
	const char	*width;		/* USWDS width class or NULL */
	const char	*list;		/* datalist id or NULL */
};

void	 ui_input(struct req *, const struct ui_field *);
/* A required password input; hint may be NULL. */
void	 ui_password(struct req *, const char *name, const char *label,
	    const char *hint, const char *autocomplete,
	    const struct report *);
/* A select; options are value/label pairs (n pairs). */
void	 ui_select(struct req *, const struct ui_field *,
	    const char *const *options, size_t n);
/*
 * A search form's fields, each in a column of its grid (<div
 * class=cls>): an input showing the query's value of name and rep's
 * error for it (rep may be NULL; type NULL: "text"), and a select.
 */
void	 ui_search_input(struct req *, const char *cls, const char *name,
	    const char *label, const char *type, const char *hint,
	    const struct report *rep);
void	 ui_search_select(struct req *, const char *cls, const char *name,
	    const char *label, const char *value,
	    const char *const *options, size_t n);
/* Radio buttons for a choice (n value/label pairs). */
void	 ui_radios(struct req *, const struct ui_field *,
	    const char *const *options, size_t n);
void	 ui_checkbox(struct req *, const char *name, const char *label,
	    int checked, const char *error);
void	 ui_button(struct req *, const char *label, const char *cls);
/* A table's head, one th scope="col" for each name up to NULL (at most
 * UI_COLS_MAX) or each of n cols, and then <tbody> open for the rows. */
#define UI_COLS_MAX	32
void	 ui_thead(struct html *, ...) __attribute__((sentinel));
void	 ui_thead_of(struct html *, const char *const *cols, size_t n);
/* A cell labelled for the stacked (narrow screen) table; NULL: empty. */
void	 ui_td(struct html *, const char *label, const char *text);
/* kind: "success", "warning", "error", "info". */
void	 ui_alert(struct req *, const char *kind, const char *heading,
	    const char *text);
/* An alert opened with its heading (NULL: none) and extra classes (may
 * be NULL); the caller adds paragraphs and closes to the depth
 * returned. */
int	 ui_alert_open(struct req *, const char *kind, const char *heading,
	    const char *extra);

#endif
