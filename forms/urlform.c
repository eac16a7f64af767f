/*
 * Web form pairs into a struct form.  Browsers send every input of a
 * form, filled or not, so an untouched product line arrives as a set
 * of empty values: it is dropped rather than reported as missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/limits.h"
#include "urlform.h"

#define LINE_SEEN	0x01	/* a field of the line was named */
#define LINE_FILLED	0x02	/* ... and one of them was not blank */

/*
 * "lines[N].FIELD" with a known FIELD: returns N (1..LIM_LINES) and the
 * field in *field; 0 when the name is not a line field of ours; -1 when
 * N is past LIM_LINES.
 */
static int
line_name(const char *name, int *field)
{
	const char	*p;
	long		 n = 0;
	int		 digits = 0;

	if (strncmp(name, "lines[", 6) != 0)
		return 0;
	for (p = name + 6; *p >= '0' && *p <= '9'; p++) {
		/* "lines[0]" and "lines[01]" are no line of ours. */
		if (digits == 0 && *p == '0')
			return 0;
		/* Stops growing once past the limit: no overflow. */
		if (n <= LIM_LINES)
			n = n * 10 + (*p - '0');
		digits++;
	}
	if (digits == 0 || p[0] != ']' || p[1] != '.')
		return 0;
	if ((*field = lfield_find(p + 2)) == -1)
		return 0;
	return n > LIM_LINES ? -1 : (int)n;
}

static int
blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

static void
too_long(struct report *rep, size_t line, const struct field_def *fd)
{
	report_error(rep, line, fd->name, "%s is longer than %d bytes: "
	    "shorten it to at most %d characters.", fd->label,
	    LIM_FIELD_BYTES, LIM_FIELD_CHARS);
}

struct form *
urlform_read(const struct urlpair *p, size_t n, int flags,
    struct report *rep, char *err, size_t errsz)
{
	struct form	*f = NULL, *ret = NULL;
	unsigned char	*state = NULL;
	size_t		*index = NULL;	/* line number -> form line + 1 */
	const char	*val;
	size_t		 i, len;
	int		 k, line, past_limit = 0;

	if (errsz > 0)
		err[0] = '\0';
	if (n > LIM_PARAMS) {
		snprintf(err, errsz, "the form has more than %d fields",
		    LIM_PARAMS);
		return NULL;
	}
	state = calloc(LIM_LINES + 1, sizeof(*state));
	index = calloc(LIM_LINES + 1, sizeof(*index));
	if (state == NULL || index == NULL || (f = form_new()) == NULL)
		goto out;

	/* First which lines exist and which carry anything. */
	for (i = 0; i < n; i++) {
		if (p[i].name == NULL ||
		    (line = line_name(p[i].name, &k)) == 0)
			continue;
		f->has_lines = 1;
		if (line < 0) {
			past_limit = 1;
			continue;
		}
		state[line] |= LINE_SEEN;
		if (p[i].value != NULL && !blank(p[i].value))
			state[line] |= LINE_FILLED;
	}
	if (past_limit)
		report_error(rep, 0, "lines", "At most %d product lines fit "
		    "on one license: split them into several.", LIM_LINES);
	for (line = 1; line <= LIM_LINES; line++) {
		if (!(state[line] & LINE_FILLED) &&
		    !((state[line] & LINE_SEEN) &&
		    (flags & URLFORM_KEEP_EMPTY)))
			continue;
		if (form_add_line(f) == NULL)
			goto out;
		index[line] = f->nlines;
	}

	/* Then the values, each into its place. */
	for (i = 0; i < n; i++) {
		if (p[i].name == NULL)
			continue;
		val = p[i].value != NULL ? p[i].value : "";
		len = strnlen(val, LIM_FIELD_BYTES + 1);
		if ((line = line_name(p[i].name, &k)) > 0) {
			if (index[line] == 0)
				continue;
			if (len > LIM_FIELD_BYTES)
				too_long(rep, index[line], &lfields[k]);
			else if (form_line_set(&f->lines[index[line] - 1], k,
			    val, len) == -1)
				goto out;
		} else if (line == 0 && (k = hfield_find(p[i].name)) >= 0) {
			if (len > LIM_FIELD_BYTES)
				too_long(rep, 0, &hfields[k]);
			else if (form_set(f, k, val, len) == -1)
				goto out;
		}
	}
	ret = f;
	f = NULL;
out:
	if (ret == NULL)
		snprintf(err, errsz, "out of memory");
	free(state);
	free(index);
	form_free(f);
	return ret;
}
