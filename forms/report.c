/*
 * Lists of problems with a form, each naming its field.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/limits.h"
#include "lib/utf8.h"
#include "form.h"

void
report_init(struct report *r)
{
	memset(r, 0, sizeof(*r));
}

static void
items_free(struct report_item *it, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(it[i].field);
		free(it[i].message);
	}
	free(it);
}

void
report_free(struct report *r)
{
	items_free(r->errors, r->nerrors);
	items_free(r->flags, r->nflags);
	report_init(r);
}

/*
 * Appends one item.  Allocation failures drop the item but mark the
 * report truncated, so a caller never takes a short list for complete.
 */
static void
add(struct report *r, struct report_item **list, size_t *n, size_t line,
    const char *field, const char *fmt, va_list ap)
{
	struct report_item	*p;
	char			 path[128], *msg = NULL;

	if (*n >= LIM_REPORT_ITEMS) {
		r->truncated = 1;
		return;
	}
	if (line > 0)
		snprintf(path, sizeof(path), "lines[%zu]%s%s", line,
		    *field ? "." : "", field);
	else
		snprintf(path, sizeof(path), "%s", field);
	if (vasprintf(&msg, fmt, ap) == -1) {
		r->truncated = 1;
		return;
	}
	p = reallocarray(*list, *n + 1, sizeof(*p));
	if (p == NULL) {
		free(msg);
		r->truncated = 1;
		return;
	}
	*list = p;
	p[*n].message = msg;
	if ((p[*n].field = strdup(path)) == NULL) {
		free(msg);
		r->truncated = 1;
		return;
	}
	(*n)++;
}

void
report_error(struct report *r, size_t line, const char *field,
    const char *fmt, ...)
{
	va_list	 ap;
	char	 path[128];

	/* One message per field: the first problem found (often the
	 * reader's) is the one to fix; a second would only repeat it. */
	if (line > 0)
		snprintf(path, sizeof(path), "lines[%zu]%s%s", line,
		    *field ? "." : "", field);
	else
		snprintf(path, sizeof(path), "%s", field);
	if (*path != '\0' && report_has_error(r, path))
		return;
	va_start(ap, fmt);
	add(r, &r->errors, &r->nerrors, line, field, fmt, ap);
	va_end(ap);
}

void
report_flag(struct report *r, size_t line, const char *field,
    const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	add(r, &r->flags, &r->nflags, line, field, fmt, ap);
	va_end(ap);
}

void
why_set(char *why, size_t whysz, const char *fmt, ...)
{
	va_list	 ap;

	if (why == NULL || whysz == 0)
		return;
	va_start(ap, fmt);
	if (vsnprintf(why, whysz, fmt, ap) >= (int)whysz)
		utf8_trim_cut(why);	/* cut mid-character */
	va_end(ap);
}

int
report_has_error(const struct report *r, const char *field)
{
	size_t	 i;

	for (i = 0; i < r->nerrors; i++)
		if (strcmp(r->errors[i].field, field) == 0)
			return 1;
	return 0;
}

void
report_ascii(char *msg)
{
	for (; msg != NULL && *msg != '\0'; msg++)
		if ((unsigned char)*msg < 0x20 || (unsigned char)*msg > 0x7e)
			*msg = '?';
}
