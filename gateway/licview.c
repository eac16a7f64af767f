/*
 * Differences between versions of a license, for the filer's and the
 * staff's license pages.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "forms/licjson.h"
#include "db/registry.h"
#include "layout.h"
#include "licview.h"

static json_t *
change(const char *field, const char *from, const char *to)
{
	return json_pack("{s:s, s:s?, s:s?}", "field", field, "from", from,
	    "to", to);
}

/* Changes between two objects of text values, named prefix + key. */
static void
obj_changes(json_t *out, const char *prefix, json_t *a, json_t *b)
{
	json_t		*va, *vb;
	const char	*k, *sa, *sb;
	char		 path[128];

	json_object_foreach(b, k, vb) {
		if ((sb = json_string_value(vb)) == NULL)
			continue;
		sa = json_string_value(json_object_get(a, k));
		if (sa != NULL && strcmp(sa, sb) == 0)
			continue;
		snprintf(path, sizeof(path), "%s%s", prefix, k);
		json_array_append_new(out, change(path, sa, sb));
	}
	json_object_foreach(a, k, va) {
		if ((sa = json_string_value(va)) == NULL ||
		    json_string_value(json_object_get(b, k)) != NULL)
			continue;
		snprintf(path, sizeof(path), "%s%s", prefix, k);
		json_array_append_new(out, change(path, sa, NULL));
	}
}

/* A whole product line in a few words, for lines added or removed. */
static void
line_summary(json_t *l, char *out, size_t sz)
{
	const char	*hts, *val, *kg;

	hts = json_string_value(json_object_get(l, "hts_code"));
	val = json_string_value(json_object_get(l, "customs_value_usd"));
	kg = json_string_value(json_object_get(l, "volume_kg"));
	snprintf(out, sz, "HTS %s, US$ %s, %s kg", hts ? hts : "?",
	    val ? val : "?", kg ? kg : "?");
}

json_t *
licview_changes(const struct license *a, const struct license *b)
{
	json_t	*ja = NULL, *jb = NULL, *out = NULL, *la, *lb;
	char	 prefix[32], path[32], sum[160];
	size_t	 i, na, nb;

	if ((ja = license_json(a)) == NULL || (jb = license_json(b)) ==
	    NULL || (out = json_array()) == NULL)
		goto out;
	obj_changes(out, "", ja, jb);
	la = json_object_get(ja, "lines");
	lb = json_object_get(jb, "lines");
	na = json_array_size(la);
	nb = json_array_size(lb);
	for (i = 0; i < na || i < nb; i++) {
		snprintf(prefix, sizeof(prefix), "lines[%zu].", i + 1);
		snprintf(path, sizeof(path), "lines[%zu]", i + 1);
		if (i < na && i < nb)
			obj_changes(out, prefix, json_array_get(la, i),
			    json_array_get(lb, i));
		else if (i < nb) {
			line_summary(json_array_get(lb, i), sum, sizeof(sum));
			json_array_append_new(out, change(path, NULL, sum));
		} else {
			line_summary(json_array_get(la, i), sum, sizeof(sum));
			json_array_append_new(out, change(path, sum, NULL));
		}
	}
out:
	json_decref(ja);
	json_decref(jb);
	return out;
}

void
licview_changes_list(struct req *r, const struct license *prev,
    const struct license *cur)
{
	struct html	*h = &r->h;
	json_t		*ch, *c;
	const char	*from, *to;
	size_t		 i;

	if ((ch = licview_changes(prev, cur)) == NULL) {
		h_elem(h, "p", "The changes could not be listed.", NULL);
		return;
	}
	if (json_array_size(ch) == 0)
		h_elem(h, "p", "No field changed.", NULL);
	else {
		h_open(h, "ul", "class", "usa-list aim-changes", NULL);
		json_array_foreach(ch, i, c) {
			from = json_string_value(json_object_get(c, "from"));
			to = json_string_value(json_object_get(c, "to"));
			h_open(h, "li", NULL);
			h_elem(h, "span", json_string_value(
			    json_object_get(c, "field")), "class",
			    "aim-field-path font-mono-2xs", NULL);
			h_text(h, ": ");
			h_text(h, from != NULL ? from : "(none)");
			h_text(h, " -> ");
			h_text(h, to != NULL ? to : "(none)");
			h_close(h);
		}
		h_close(h);
	}
	json_decref(ch);
}

int
licview_events_begin(struct req *r, const char *title, const char *caption,
    size_t nevents)
{
	struct html	*h = &r->h;

	h_elem(h, "h2", title, "id", "events", NULL);
	if (nevents == 0) {
		h_elem(h, "p", "No events recorded.", NULL);
		return 0;
	}
	h_open(h, "table", "class", "usa-table usa-table--borderless "
	    "usa-table--stacked aim-events", NULL);
	h_elem(h, "caption", caption, "class", "usa-sr-only", NULL);
	ui_thead(h, "When", "What", "Who", "Channel", "Result", NULL);
	return 1;
}

int
licview_status_index(const char *s)
{
	int	 i;

	for (i = 0; i < STATUS__MAX; i++)
		if (strcmp(s, status_names[i]) == 0)
			return i;
	return -1;
}

void
licview_flag_message(struct html *h, const char *flag)
{
	if (flag == NULL)
		return;
	h_open(h, "span", "class", "aim-flag-message "
	    "text-secondary-dark display-block", NULL);
	h_elem(h, "strong", "Action Required: ", NULL);
	h_text(h, flag);
	h_close(h);
}
