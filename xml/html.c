#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

void
html_init(struct html *h, struct buf *out)
{
	memset(h, 0, sizeof(*h));
	h->out = out;
}

void
html_escape(struct buf *out, const char *s)
{
	const char	*p, *rep;

	for (p = s; *p; p++) {
		switch (*p) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		buf_add(out, s, p - s);
		buf_puts(out, rep);
		s = p + 1;
	}
	buf_add(out, s, p - s);
}

void
h_doctype(struct html *h)
{
	buf_puts(h->out, "<!DOCTYPE html>\n");
	h_open(h, "html", "lang", "en", NULL);
}

static void
attrs(struct html *h, va_list ap)
{
	const char	*name, *val;

	while ((name = va_arg(ap, const char *)) != NULL) {
		val = va_arg(ap, const char *);
		if (val == NULL)
			continue;
		buf_add(h->out, " ", 1);
		buf_puts(h->out, name);
		if (*val == '\0')
			continue;
		buf_add(h->out, "=\"", 2);
		html_escape(h->out, val);
		buf_add(h->out, "\"", 1);
	}
}

/* A start tag with its attributes, pushed on the stack of open elements
 * when push (a void element is not); -1 when the stack is full. */
static int
start_tag(struct html *h, const char *tag, int push, va_list ap)
{
	if (push) {
		if (h->depth == HTML_DEPTH_MAX) {
			h->error = 1;
			return -1;
		}
		h->stack[h->depth++] = tag;
	}
	buf_add(h->out, "<", 1);
	buf_puts(h->out, tag);
	attrs(h, ap);
	buf_add(h->out, ">", 1);
	return 0;
}

void
h_open(struct html *h, const char *tag, ...)
{
	va_list	 ap;

	va_start(ap, tag);
	start_tag(h, tag, 1, ap);
	va_end(ap);
}

void
h_void(struct html *h, const char *tag, ...)
{
	va_list	 ap;

	va_start(ap, tag);
	start_tag(h, tag, 0, ap);
	va_end(ap);
}

void
h_close(struct html *h)
{
	if (h->depth == 0) {
		h->error = 1;
		return;
	}
	h->depth--;
	buf_add(h->out, "</", 2);
	buf_puts(h->out, h->stack[h->depth]);
	buf_add(h->out, ">", 1);
	/* New lines after block elements keep the source readable. */
	if (strcmp(h->stack[h->depth], "span") != 0 &&
	    strcmp(h->stack[h->depth], "a") != 0 &&
	    strcmp(h->stack[h->depth], "strong") != 0 &&
	    strcmp(h->stack[h->depth], "em") != 0 &&
	    strcmp(h->stack[h->depth], "abbr") != 0)
		buf_add(h->out, "\n", 1);
}

void
h_close_to(struct html *h, int d)
{
	while (h->depth > d)
		h_close(h);
}

void
h_text(struct html *h, const char *s)
{
	if (s != NULL)
		html_escape(h->out, s);
}

void
h_textf(struct html *h, const char *fmt, ...)
{
	va_list	 ap;
	char	*s = NULL;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		s = NULL;
	va_end(ap);
	if (s == NULL) {
		h->error = 1;
		return;
	}
	html_escape(h->out, s);
	free(s);
}

void
h_elem(struct html *h, const char *tag, const char *text, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, text);
	rc = start_tag(h, tag, 1, ap);
	va_end(ap);
	if (rc == 0) {
		h_text(h, text);
		h_close(h);
	}
}
