/*
 * The JSON form: one object whose keys are the header fields of the
 * vocabulary, and "lines", an array of objects keyed by line fields.
 * A form is refused whole (NULL and a message) when it cannot be read:
 * too large, too deep, too many keys, bad JSON, not an object.  The
 * rest goes into the report field by field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/limits.h"
#include "form.h"
#include "read.h"

/* Bytes of an unknown key shown back in a message. */
#define KEY_SHOWN	64

/*
 * Walks the text once before jansson sees it, so that neither a deep
 * nest nor an object of a million keys is ever built.  Only brackets
 * and colons outside strings count; in valid JSON each colon there
 * ends one key.  Invalid JSON may be miscounted here, but jansson
 * refuses it next anyway.
 */
static int
prescan(const char *buf, size_t len, char *err, size_t errsz)
{
	size_t	 keys[LIM_FORM_DEPTH + 1];
	size_t	 i, depth = 0;
	int	 instr = 0;

	for (i = 0; i < len; i++) {
		if (instr) {
			if (buf[i] == '\\')
				i++;
			else if (buf[i] == '"')
				instr = 0;
			continue;
		}
		switch (buf[i]) {
		case '"':
			instr = 1;
			break;
		case '{':
		case '[':
			if (depth == LIM_FORM_DEPTH) {
				why_set(err, errsz, "the form is nested deeper "
				    "than %d levels: a form is one object, its "
				    "lines array and the line objects",
				    LIM_FORM_DEPTH);
				return -1;
			}
			keys[depth++] = 0;
			break;
		case '}':
		case ']':
			if (depth > 0)
				depth--;
			break;
		case ':':
			if (depth > 0 && ++keys[depth - 1] > LIM_FORM_KEYS) {
				why_set(err, errsz, "an object in the form has "
				    "more than %d keys: keep only the fields "
				    "of the form", LIM_FORM_KEYS);
				return -1;
			}
			break;
		default:
			break;
		}
	}
	return 0;
}

/*
 * A key as it may be shown back: at most KEY_SHOWN bytes cut on a
 * character boundary, control characters as '?', "" for no name.
 */
static void
key_shown(const char *key, char *out, size_t outsz)
{
	size_t	 n, i;

	n = strlen(key);
	if (n == 0) {
		snprintf(out, outsz, "\"\"");
		return;
	}
	if (n > KEY_SHOWN) {
		n = KEY_SHOWN;
		while (n > 0 && ((unsigned char)key[n] & 0xc0) == 0x80)
			n--;
	}
	if (n + 4 > outsz)
		n = 0;
	for (i = 0; i < n; i++) {
		out[i] = key[i];
		if ((unsigned char)key[i] < 0x20 || key[i] == 0x7f)
			out[i] = '?';
	}
	if (n < strlen(key)) {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
}

static int
is_number_type(enum ftype t)
{
	return t == FT_MONEY || t == FT_KG || t == FT_HTS;
}

/*
 * The text of one JSON value for a field of type t (numbers printed
 * into buf) and its length in *len; NULL when the value is null (not
 * given) or wrong (reported here).
 */
static const char *
value_text(const json_t *v, enum ftype t, struct report *rep, size_t line,
    const char *name, char *buf, size_t bufsz, size_t *len)
{
	const char	*s = NULL;

	switch (json_typeof(v)) {
	case JSON_NULL:
		return NULL;
	case JSON_STRING:
		s = json_string_value(v);
		*len = json_string_length(v);
		break;
	case JSON_INTEGER:
		if (!is_number_type(t))
			goto notext;
		snprintf(buf, bufsz, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		s = buf;
		*len = strlen(buf);
		break;
	case JSON_REAL:
		if (!is_number_type(t))
			goto notext;
		/* 15 digits: what a double holds, so 12.345 stays 12.345. */
		snprintf(buf, bufsz, "%.15g", json_real_value(v));
		s = buf;
		*len = strlen(buf);
		break;
	default:
		if (!is_number_type(t))
			goto notext;
		report_error(rep, line, name, "must be a number or text, "
		    "such as 1234.50 or \"1234.50\".");
		return NULL;
	}
	if (*len > LIM_FIELD_BYTES) {
		report_error(rep, line, name, "is longer than %d bytes: "
		    "shorten it to at most %d characters.", LIM_FIELD_BYTES,
		    LIM_FIELD_CHARS);
		return NULL;
	}
	return s;
notext:
	report_error(rep, line, name, "must be text: write the value in "
	    "double quotes.");
	return NULL;
}

/* One line object into a new form line.  Returns 0, or -1 (memory). */
static int
read_line(struct form *f, json_t *o, size_t line, struct report *rep)
{
	struct form_line	*l;
	const char		*key, *s;
	json_t			*v;
	char			 num[64], shown[KEY_SHOWN + 8];
	size_t			 len;
	int			 k;

	if ((l = form_add_line(f)) == NULL)
		return -1;
	if (!json_is_object(o)) {
		/* The empty line keeps later lines numbered as sent. */
		report_error(rep, 0, "lines", "item %zu is not an object: "
		    "write each product line as {\"hts_code\": ..., ...}.",
		    line);
		return 0;
	}
	json_object_foreach(o, key, v) {
		if ((k = lfield_find(key)) == -1) {
			key_shown(key, shown, sizeof(shown));
			report_error(rep, line, *key ? shown : "",
			    "Unknown field %s: "
			    "remove it or check its spelling.", shown);
			continue;
		}
		s = value_text(v, lfields[k].type, rep, line, lfields[k].name,
		    num, sizeof(num), &len);
		if (s != NULL && form_line_set(l, k, s, len) == -1)
			return -1;
	}
	return 0;
}

static int
read_lines(struct form *f, json_t *a, struct report *rep)
{
	size_t	 i;

	if (json_is_null(a))
		return 0;
	f->has_lines = 1;
	if (!json_is_array(a)) {
		report_error(rep, 0, "lines", "must be an array of product "
		    "line objects: [{\"hts_code\": ..., ...}].");
		return 0;
	}
	if (json_array_size(a) > LIM_LINES) {
		report_error(rep, 0, "lines", "at most %d product lines; "
		    "split into several licenses.", LIM_LINES);
		return 0;
	}
	for (i = 0; i < json_array_size(a); i++)
		if (read_line(f, json_array_get(a, i), i + 1, rep) == -1)
			return -1;
	return 0;
}

/* The header keys and "lines".  Returns 0, or -1 (memory). */
static int
read_root(struct form *f, json_t *root, struct report *rep)
{
	const char	*key, *s;
	json_t		*v;
	char		 num[64], shown[KEY_SHOWN + 8];
	size_t		 n;
	int		 k;

	json_object_foreach(root, key, v) {
		if (strcmp(key, "lines") == 0) {
			if (read_lines(f, v, rep) == -1)
				return -1;
			continue;
		}
		if ((k = hfield_find(key)) == -1) {
			key_shown(key, shown, sizeof(shown));
			report_error(rep, 0, *key ? shown : "",
			    "Unknown field %s: remove it or check its "
			    "spelling.", shown);
			continue;
		}
		s = value_text(v, hfields[k].type, rep, 0, hfields[k].name,
		    num, sizeof(num), &n);
		if (s != NULL && form_set(f, k, s, n) == -1)
			return -1;
	}
	return 0;
}

struct form *
jsonform_read(const char *buf, size_t len, struct report *rep, char *err,
    size_t errsz)
{
	struct form	*f = NULL;
	json_t		*root = NULL;
	json_error_t	 je;

	why_set(err, errsz, "%s", "");
	if (len > LIM_FORM_BYTES) {
		why_set(err, errsz, "the form is larger than 1 MiB");
		goto out;
	}
	if (buf == NULL)
		len = 0;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	if (prescan(buf, len, err, errsz) == -1)
		goto out;
	root = json_loadb(buf == NULL ? "" : buf, len,
	    JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	if (root == NULL) {
		/* jansson quotes the input near the error, cut anywhere. */
		report_ascii(je.text);
		why_set(err, errsz, "not valid JSON: %s at line %d column %d",
		    je.text, je.line, je.column);
		goto out;
	}
	if (!json_is_object(root)) {
		why_set(err, errsz, "the form must be a JSON object: "
		    "{\"importer_name\": ..., \"lines\": [...]}");
		goto out;
	}
	if ((f = form_new()) == NULL || read_root(f, root, rep) == -1) {
		why_set(err, errsz, "out of memory reading the form");
		form_free(f);
		f = NULL;
	}
out:
	json_decref(root);
	return f;
}

char *
jsonform_write(const struct form *f)
{
	json_t		*root, *lines = NULL, *o;
	const char	*s;
	char		*out = NULL;
	size_t		 i;
	int		 j;

	if ((root = json_object()) == NULL)
		return NULL;
	/* json_string refuses invalid UTF-8, and so the whole form. */
	for (j = 0; j < HF__MAX; j++) {
		if ((s = f->v[j]) == NULL)
			continue;
		if (json_object_set_new(root, hfields[j].name,
		    json_string(s)) == -1)
			goto out;
	}
	if (f->has_lines || f->nlines > 0) {
		if ((lines = json_array()) == NULL ||
		    json_object_set_new(root, "lines", lines) == -1)
			goto out;
		for (i = 0; i < f->nlines; i++) {
			if ((o = json_object()) == NULL ||
			    json_array_append_new(lines, o) == -1)
				goto out;
			for (j = 0; j < LF__MAX; j++) {
				if ((s = f->lines[i].v[j]) == NULL)
					continue;
				if (json_object_set_new(o, lfields[j].name,
				    json_string(s)) == -1)
					goto out;
			}
		}
	}
	out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
out:
	json_decref(root);
	return out;
}
