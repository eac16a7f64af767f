/*
 * HTS codes: aluminum from the table compiled in from
 * data/aluminum-hts.csv (checked once at hts_init, then searched with
 * bsearch), steel from the Section 232 ranges and heading categories
 * of DOMAIN.md section 5, which are short enough to live in code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/limits.h"
#include "lib/log.h"
#include "csv.h"
#include "hts.h"

/* scripts/embed output for data/aluminum-hts.csv. */
extern const char	 hts_aluminum_csv[];
extern const size_t	 hts_aluminum_csv_len;

#define HTS_DIGITS	10

struct alu_row {
	char		 code[HTS_DIGITS + 1];
	const char	*group;		/* one of alu.groups */
	char		*description;
};

static struct {
	int		 loaded;
	struct alu_row	*rows;		/* table order */
	size_t		 nrows;
	struct alu_row	**bycode;	/* sorted by code, for bsearch */
	char		**groups;	/* distinct, in table order */
	size_t		 ngroups;
} alu;

/* Section 232 steel: 6-digit subheadings, inclusive. */
static const struct {
	const char	*lo6;
	const char	*hi6;
} steel_ranges[] = {
	{ "720610", "721650" },
	{ "721699", "730110" },
	{ "730210", "730210" },
	{ "730240", "730290" },
	{ "730410", "730690" },
};

enum steel_cat {
	STEEL_SEMI,
	STEEL_FLAT,
	STEEL_LONG,
	STEEL_STAINLESS,
	STEEL_PIPE,
	STEEL__MAX
};

static const char *const steel_groups[STEEL__MAX] = {
	"Semi-finished",
	"Flat",
	"Long",
	"Stainless",
	"Pipe and Tube",
};

/* Categories by 4-digit heading, inclusive. */
static const struct {
	int		 lo4;
	int		 hi4;
	enum steel_cat	 cat;
} steel_headings[] = {
	{ 7206, 7207, STEEL_SEMI },
	{ 7208, 7212, STEEL_FLAT },
	{ 7213, 7217, STEEL_LONG },
	{ 7218, 7223, STEEL_STAINLESS },
	{ 7224, 7224, STEEL_SEMI },
	{ 7225, 7226, STEEL_FLAT },
	{ 7227, 7229, STEEL_LONG },
	{ 7301, 7302, STEEL_LONG },
	{ 7304, 7306, STEEL_PIPE },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* The value of the first n digits of s; the caller checked they are
 * digits. */
static int
num(const char *s, int n)
{
	int	 i, v = 0;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static int
all_digits(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return s[n] == '\0';
}

static int
rowcmp(const void *a, const void *b)
{
	const struct alu_row *const	*ra = a, *const *rb = b;

	return strcmp((*ra)->code, (*rb)->code);
}

static int
keycmp(const void *key, const void *elem)
{
	const struct alu_row *const	*r = elem;

	return strcmp(key, (*r)->code);
}

static void
alu_free(void)
{
	size_t	 i;

	for (i = 0; i < alu.nrows; i++)
		free(alu.rows[i].description);
	for (i = 0; i < alu.ngroups; i++)
		free(alu.groups[i]);
	free(alu.rows);
	free(alu.bycode);
	free(alu.groups);
	memset(&alu, 0, sizeof(alu));
}

/* The shared copy of a group name, added on first sight.  The groups
 * are few, so a linear search is enough. */
static const char *
group_intern(const char *name)
{
	char	**g;
	size_t	 i;

	for (i = 0; i < alu.ngroups; i++)
		if (strcmp(alu.groups[i], name) == 0)
			return alu.groups[i];
	g = reallocarray(alu.groups, alu.ngroups + 1, sizeof(*g));
	if (g == NULL)
		return NULL;
	alu.groups = g;
	if ((g[alu.ngroups] = strdup(name)) == NULL)
		return NULL;
	return g[alu.ngroups++];
}

/* One record of the table, checked, appended to alu.rows. */
static int
add_row(struct csv *c, size_t *cap, char *err, size_t errsz)
{
	struct alu_row	*r;
	const char	*code = c->fields[0];

	if (c->nfields != 3) {
		why_set(err, errsz, "aluminum HTS table line %zu: %zu fields, "
		    "expected hts_code,product_group,description", c->line,
		    c->nfields);
		return -1;
	}
	if (!all_digits(code, HTS_DIGITS) || code[0] != '7' ||
	    code[1] != '6') {
		why_set(err, errsz, "aluminum HTS table line %zu: \"%.20s\" is "
		    "not a 10-digit chapter 76 code", c->line, code);
		return -1;
	}
	if (c->fields[1][0] == '\0' || c->fields[2][0] == '\0') {
		why_set(err, errsz, "aluminum HTS table line %zu: %s has no "
		    "product group or description", c->line, code);
		return -1;
	}
	if (alu.nrows == *cap) {
		r = reallocarray(alu.rows, *cap ? *cap * 2 : 64, sizeof(*r));
		if (r == NULL)
			goto nomem;
		alu.rows = r;
		*cap = *cap ? *cap * 2 : 64;
	}
	r = &alu.rows[alu.nrows];
	memcpy(r->code, code, HTS_DIGITS + 1);
	if ((r->group = group_intern(c->fields[1])) == NULL)
		goto nomem;
	if ((r->description = strdup(c->fields[2])) == NULL)
		goto nomem;
	alu.nrows++;
	return 0;
nomem:
	why_set(err, errsz, "aluminum HTS table: out of memory");
	return -1;
}

int
hts_init(char *err, size_t errsz)
{
	struct csv	 c;
	enum csv_err	 e;
	size_t		 cap = 0, i;
	int		 rc = -1;

	if (alu.loaded)
		return 0;
	csv_init(&c, hts_aluminum_csv, hts_aluminum_csv_len, LIM_FIELD_BYTES);
	if (hts_aluminum_csv_len > LIM_DATA_CSV_BYTES) {
		why_set(err, errsz, "aluminum HTS table: %zu bytes, over the "
		    "LIM_DATA_CSV_BYTES limit of %d", hts_aluminum_csv_len,
		    LIM_DATA_CSV_BYTES);
		goto out;
	}
	if ((e = csv_next(&c)) != CSV_OK || c.nfields != 3 ||
	    strcmp(c.fields[0], "hts_code") != 0 ||
	    strcmp(c.fields[1], "product_group") != 0 ||
	    strcmp(c.fields[2], "description") != 0) {
		why_set(err, errsz, "aluminum HTS table: the first line must "
		    "be hts_code,product_group,description");
		goto out;
	}
	while ((e = csv_next(&c)) == CSV_OK) {
		/* A blank line, e.g. at the end of the file. */
		if (c.nfields == 1 && c.fields[0][0] == '\0')
			continue;
		if (add_row(&c, &cap, err, errsz) == -1)
			goto out;
	}
	if (e != CSV_EOF) {
		why_set(err, errsz, "aluminum HTS table line %zu: %s", c.line,
		    csv_strerror(e));
		goto out;
	}
	if (alu.nrows == 0) {
		why_set(err, errsz, "aluminum HTS table: no codes");
		goto out;
	}

	if ((alu.bycode = reallocarray(NULL, alu.nrows,
	    sizeof(*alu.bycode))) == NULL) {
		why_set(err, errsz, "aluminum HTS table: out of memory");
		goto out;
	}
	for (i = 0; i < alu.nrows; i++)
		alu.bycode[i] = &alu.rows[i];
	qsort(alu.bycode, alu.nrows, sizeof(*alu.bycode), rowcmp);
	for (i = 1; i < alu.nrows; i++)
		if (strcmp(alu.bycode[i - 1]->code, alu.bycode[i]->code) == 0) {
			why_set(err, errsz, "aluminum HTS table: %s is listed "
			    "twice", alu.bycode[i]->code);
			goto out;
		}
	alu.loaded = 1;
	rc = 0;
out:
	csv_free(&c);
	if (rc == -1)
		alu_free();
	return rc;
}

/*
 * Callers are meant to run hts_init at startup; one that did not still
 * gets the table.  The table is compiled in, so failing to read it is a
 * broken build (the unit tests load it), not a run time condition.
 */
static void
alu_need(void)
{
	char	 err[256];

	if (alu.loaded)
		return;
	if (hts_init(err, sizeof(err)) == -1)
		log_fatal("%s", err);
}

static const char *
steel_group(const char *code)
{
	int	 sub, head;
	size_t	 i;

	sub = num(code, 6);
	for (i = 0; i < NELEM(steel_ranges); i++)
		if (sub >= num(steel_ranges[i].lo6, 6) &&
		    sub <= num(steel_ranges[i].hi6, 6))
			break;
	if (i == NELEM(steel_ranges))
		return NULL;
	head = num(code, 4);
	for (i = 0; i < NELEM(steel_headings); i++)
		if (head >= steel_headings[i].lo4 &&
		    head <= steel_headings[i].hi4)
			return steel_groups[steel_headings[i].cat];
	/* 7230-7300: inside 7216.99-7301.10 by number, but no heading of
	 * the tariff, so no steel product either. */
	return NULL;
}

enum hts_err
hts_lookup(const char *code, char out[11], enum product *product,
    const char **group)
{
	struct alu_row	**r;
	enum hts_err	 e = HTS_FORMAT;
	enum product	 p = PRODUCT__MAX;
	const char	*g = NULL;
	char		 buf[HTS_DIGITS + 1];
	size_t		 i, n = 0;
	int		 chapter;

	out[0] = '\0';
	if (code == NULL)
		goto out;
	for (i = 0; code[i] != '\0'; i++) {
		/* Dots and spaces make input longer; still bound it. */
		if (i >= LIM_FIELD_BYTES)
			goto out;
		if (code[i] == '.' || code[i] == ' ')
			continue;
		if (code[i] < '0' || code[i] > '9' || n == HTS_DIGITS)
			goto out;
		buf[n++] = code[i];
	}
	if (n != HTS_DIGITS)
		goto out;
	buf[n] = '\0';
	memcpy(out, buf, sizeof(buf));

	chapter = num(buf, 2);
	if (chapter == 76) {
		alu_need();
		p = PRODUCT_ALUMINUM;
		r = bsearch(buf, alu.bycode, alu.nrows, sizeof(*alu.bycode),
		    keycmp);
		if (r != NULL)
			g = (*r)->group;
	} else if (chapter == 72 || chapter == 73) {
		p = PRODUCT_STEEL;
		g = steel_group(buf);
	} else {
		e = HTS_NOT_METAL;
		goto out;
	}
	e = g != NULL ? HTS_OK : HTS_NOT_COVERED;
out:
	if (product != NULL)
		*product = p;
	if (group != NULL)
		*group = g;
	return e;
}

size_t
hts_aluminum_count(void)
{
	alu_need();
	return alu.nrows;
}

void
hts_aluminum_row(size_t i, const char **code, const char **group,
    const char **description)
{
	const struct alu_row	*r = NULL;

	alu_need();
	if (i < alu.nrows)
		r = &alu.rows[i];
	if (code != NULL)
		*code = r != NULL ? r->code : NULL;
	if (group != NULL)
		*group = r != NULL ? r->group : NULL;
	if (description != NULL)
		*description = r != NULL ? r->description : NULL;
}

size_t
hts_steel_range_count(void)
{
	return NELEM(steel_ranges);
}

void
hts_steel_range(size_t i, const char **lo6, const char **hi6)
{
	int	 ok = i < NELEM(steel_ranges);

	if (lo6 != NULL)
		*lo6 = ok ? steel_ranges[i].lo6 : NULL;
	if (hi6 != NULL)
		*hi6 = ok ? steel_ranges[i].hi6 : NULL;
}

size_t
hts_group_count(enum product p)
{
	switch (p) {
	case PRODUCT_ALUMINUM:
		alu_need();
		return alu.ngroups;
	case PRODUCT_STEEL:
		return STEEL__MAX;
	default:
		return 0;
	}
}

const char *
hts_group_name(enum product p, size_t i)
{
	if (i >= hts_group_count(p))
		return NULL;
	return p == PRODUCT_ALUMINUM ? alu.groups[i] : steel_groups[i];
}
