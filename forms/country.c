/*
 * Countries from Debian's iso-codes.  Every name, common name, official
 * name and alias is folded into a key (ASCII lower case, Latin-1 accents
 * dropped, spaces collapsed, "the " dropped, "St." read as "Saint", "&"
 * read as "and") and kept in a sorted array searched with bsearch; codes
 * and abbreviations live in a second array so they can be refused with
 * the full name.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "lib/limits.h"
#include "country.h"
#include "form.h"

/* Bytes of iso_3166-1.json (43 KB in iso-codes 4.15); blocks a huge or
 * endless file. */
#define COUNTRY_JSON_BYTES	(4 * 1024 * 1024)
/* Entries in the table (249 in iso-codes 4.15). */
#define COUNTRY_MAX		1000
/* A folded key: typed input is at most LIM_FIELD_BYTES, "&" grows into
 * " and " and "St." into "Saint"; longer input is not a country. */
#define KEY_BYTES		(LIM_FIELD_BYTES + 16)
/* Letters in the longest code or abbreviation ("hksar"). */
#define ABBR_MAX		5

struct country {
	char	*name;		/* canonical ISO name */
	char	*sortkey;	/* folded name, for the drop-down order */
	char	 a2[3];		/* lower case alpha-2 */
	char	 a3[4];		/* lower case alpha-3 */
};

struct ckey {
	char	*key;
	size_t	 idx;		/* into table.c */
};

struct table {
	struct country	*c;
	size_t		 nc;
	struct ckey	*names;	/* names, common, official, aliases */
	size_t		 nnames;
	struct ckey	*codes;	/* alpha-2, alpha-3, abbreviations */
	size_t		 ncodes;
};

/* Names people use that iso-codes does not list, by alpha-2 code so a
 * rename in iso-codes ("Turkey" to "Türkiye") keeps them working. */
static const struct {
	const char	*name;
	const char	*code;
} aliases[] = {
	{ "America", "US" },
	{ "Bolivia", "BO" },
	{ "Bonaire", "BQ" },
	{ "Bosnia", "BA" },
	{ "Britain", "GB" },
	{ "Brunei", "BN" },
	{ "Burma", "MM" },
	{ "Cape Verde", "CV" },
	{ "Caribbean Netherlands", "BQ" },
	{ "Cocos Islands", "CC" },
	{ "Congo (Brazzaville)", "CG" },
	{ "Congo (Kinshasa)", "CD" },
	{ "Congo, Democratic Republic of the", "CD" },
	{ "Congo, Republic of the", "CG" },
	{ "Congo-Brazzaville", "CG" },
	{ "Congo-Kinshasa", "CD" },
	{ "Czech Republic", "CZ" },
	{ "D.R. Congo", "CD" },
	{ "Democratic Republic of Congo", "CD" },
	{ "Democratic Republic of the Congo", "CD" },
	{ "DR Congo", "CD" },
	{ "East Timor", "TL" },
	{ "England", "GB" },
	{ "Falkland Islands", "FK" },
	{ "Great Britain", "GB" },
	{ "Holland", "NL" },
	{ "Holy See", "VA" },
	{ "Hong Kong SAR", "HK" },
	{ "Hong Kong, China", "HK" },
	{ "Iran", "IR" },
	{ "Ivory Coast", "CI" },
	{ "Korea (North)", "KP" },
	{ "Korea (South)", "KR" },
	{ "Korea, North", "KP" },
	{ "Korea, South", "KR" },
	{ "Lao PDR", "LA" },
	{ "Laos", "LA" },
	{ "Macao SAR", "MO" },
	{ "Macau", "MO" },
	{ "Macau SAR", "MO" },
	{ "Macedonia", "MK" },
	{ "Micronesia", "FM" },
	{ "Moldova", "MD" },
	{ "North Korea", "KP" },
	{ "Northern Ireland", "GB" },
	{ "Palestine", "PS" },
	{ "Pitcairn Islands", "PN" },
	{ "Republic of Congo", "CG" },
	{ "Republic of Ireland", "IE" },
	{ "Republic of Korea", "KR" },
	{ "Republic of Macedonia", "MK" },
	{ "Republic of the Congo", "CG" },
	{ "Russia", "RU" },
	{ "Saint Helena", "SH" },
	{ "Scotland", "GB" },
	{ "Sint Maarten", "SX" },
	{ "South Korea", "KR" },
	{ "Swaziland", "SZ" },
	{ "Syria", "SY" },
	{ "Taiwan", "TW" },
	{ "Tanzania", "TZ" },
	{ "Turkey", "TR" },
	{ "Turkiye", "TR" },
	{ "U.S. Virgin Islands", "VI" },
	{ "United States of America", "US" },
	{ "US Virgin Islands", "VI" },
	{ "Vatican", "VA" },
	{ "Vatican City", "VA" },
	{ "Vatican City State", "VA" },
	{ "Venezuela", "VE" },
	{ "Vietnam", "VN" },
	{ "Wales", "GB" },
};

/* Abbreviations that are not ISO codes, compacted (lower case, no dots
 * or spaces): refused like codes. */
static const struct {
	const char	*abbr;
	const char	*code;
} abbrs[] = {
	{ "bvi", "VG" },
	{ "car", "CF" },
	{ "dprk", "KP" },
	{ "drc", "CD" },
	{ "hksar", "HK" },
	{ "ksa", "SA" },
	{ "prc", "CN" },
	{ "rf", "RU" },
	{ "roc", "TW" },
	{ "rok", "KR" },
	{ "rsa", "ZA" },
	{ "uae", "AE" },
	{ "uk", "GB" },
	{ "usvi", "VI" },
};

/* Latin-1 letters U+00C0-U+00FF (UTF-8 C3 80-BF) without accents. */
static const char *const latin1[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c",	/* C0 */
	"e", "e", "e", "e", "i", "i", "i", "i",		/* C8 */
	"d", "n", "o", "o", "o", "o", "o", NULL,	/* D0, D7 is × */
	"o", "u", "u", "u", "u", "y", "th", "ss",	/* D8 */
	"a", "a", "a", "a", "a", "a", "ae", "c",	/* E0 */
	"e", "e", "e", "e", "i", "i", "i", "i",		/* E8 */
	"d", "n", "o", "o", "o", "o", "o", NULL,	/* F0, F7 is ÷ */
	"o", "u", "u", "u", "u", "y", "th", "y",	/* F8 */
};

static struct table	 tab;
static int		 loaded;

static int
put(char *out, size_t outsz, size_t *o, const char *s, size_t n)
{
	if (*o + n >= outsz)
		return -1;
	memcpy(out + *o, s, n);
	*o += n;
	out[*o] = '\0';
	return 0;
}

/*
 * Folds s[0..len) into out: surrounding white space dropped, inner runs
 * made one space, ASCII and Latin-1 letters lower case without accents,
 * typographic apostrophes and dashes made ASCII, "&" made "and".  Other
 * bytes are kept, so names in other scripts match exactly.  Returns the
 * length, or -1 if out is too small.
 */
static int
fold(const char *s, size_t len, char *out, size_t outsz)
{
	const unsigned char	*u = (const unsigned char *)s;
	const char		*rep;
	char			 ch;
	size_t			 i, o = 0, n, skip;
	int			 space = 0, amp;

	if (outsz == 0)
		return -1;
	out[0] = '\0';
	for (i = 0; i < len; i += skip) {
		skip = 1;
		amp = 0;
		rep = &ch;
		n = 1;
		ch = (char)u[i];
		if (u[i] == ' ' || (u[i] >= '\t' && u[i] <= '\r')) {
			space = 1;
			continue;
		}
		if (u[i] == 0xc2 && i + 1 < len && u[i + 1] == 0xa0) {
			/* no-break space */
			space = 1;
			skip = 2;
			continue;
		}
		if (u[i] >= 'A' && u[i] <= 'Z')
			ch = (char)(u[i] - 'A' + 'a');
		else if (u[i] == '`')
			ch = '\'';
		else if (u[i] == '&') {
			amp = 1;
			rep = "and";
			n = 3;
		} else if (u[i] == 0xc3 && i + 1 < len &&
		    u[i + 1] >= 0x80 && u[i + 1] <= 0xbf &&
		    latin1[u[i + 1] - 0x80] != NULL) {
			rep = latin1[u[i + 1] - 0x80];
			n = strlen(rep);
			skip = 2;
		} else if (u[i] == 0xca && i + 1 < len && u[i + 1] == 0xbc) {
			/* U+02BC modifier letter apostrophe */
			ch = '\'';
			skip = 2;
		} else if (u[i] == 0xe2 && i + 2 < len && u[i + 1] == 0x80 &&
		    (u[i + 2] == 0x98 || u[i + 2] == 0x99)) {
			/* U+2018, U+2019 quotation marks */
			ch = '\'';
			skip = 3;
		} else if (u[i] == 0xe2 && i + 2 < len && u[i + 1] == 0x80 &&
		    u[i + 2] >= 0x90 && u[i + 2] <= 0x94) {
			/* U+2010-U+2014 hyphens and dashes */
			ch = '-';
			skip = 3;
		}
		if ((space || amp) && o > 0 && put(out, outsz, &o, " ", 1))
			return -1;
		if (put(out, outsz, &o, rep, n))
			return -1;
		space = amp;
	}
	return (int)o;
}

/*
 * The lookup key of s[0..len): fold() plus a leading "the " dropped
 * ("The Netherlands") and a leading "St." or "St" read as "Saint".
 * Returns the length (0 for blank input), or -1 if too long.
 */
static int
mkkey(const char *s, size_t len, char *out, size_t outsz)
{
	size_t	 n, cut;
	int	 r;

	if ((r = fold(s, len, out, outsz)) <= 0)
		return r;
	n = (size_t)r;
	if (n > 4 && strncmp(out, "the ", 4) == 0) {
		memmove(out, out + 4, n - 4 + 1);
		n -= 4;
	}
	cut = 0;
	if (n > 4 && strncmp(out, "st. ", 4) == 0)
		cut = 4;
	else if (n > 3 && (strncmp(out, "st.", 3) == 0 ||
	    strncmp(out, "st ", 3) == 0))
		cut = 3;
	if (cut > 0) {
		if (n - cut + 6 >= outsz)
			return -1;
		memmove(out + 6, out + cut, n - cut + 1);
		memcpy(out, "saint ", 6);
		n = n - cut + 6;
	}
	return (int)n;
}

/*
 * The compact form of a key for codes and abbreviations: dots and
 * spaces dropped, only letters a-z, 2 to ABBR_MAX of them.  Returns 0,
 * or -1 if key cannot be a code.
 */
static int
compact(const char *key, char out[ABBR_MAX + 1])
{
	size_t	 o = 0;

	for (; *key != '\0'; key++) {
		if (*key == '.' || *key == ' ')
			continue;
		if (*key < 'a' || *key > 'z' || o == ABBR_MAX)
			return -1;
		out[o++] = *key;
	}
	out[o] = '\0';
	return o >= 2 ? 0 : -1;
}

/* Only ASCII letters, dots and white space can be typed as a code; "&"
 * would otherwise become "and", Andorra's code. */
static int
codeish(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '.' ||
		    s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')))
			return 0;
	return 1;
}

static int
ckey_cmp(const void *a, const void *b)
{
	const struct ckey	*ka = a, *kb = b;

	return strcmp(ka->key, kb->key);
}

static int
country_cmp(const void *a, const void *b)
{
	const struct country	*ca = a, *cb = b;
	int			 r;

	if ((r = strcmp(ca->sortkey, cb->sortkey)) != 0)
		return r;
	return strcmp(ca->name, cb->name);
}

static const struct ckey *
find(const struct ckey *keys, size_t n, const char *key)
{
	struct ckey	 k;

	k.key = (char *)key;
	k.idx = 0;
	if (n == 0)
		return NULL;
	return bsearch(&k, keys, n, sizeof(*keys), ckey_cmp);
}

static void
table_free(struct table *t)
{
	size_t	 i;

	for (i = 0; i < t->nc; i++) {
		free(t->c[i].name);
		free(t->c[i].sortkey);
	}
	for (i = 0; i < t->nnames; i++)
		free(t->names[i].key);
	for (i = 0; i < t->ncodes; i++)
		free(t->codes[i].key);
	free(t->c);
	free(t->names);
	free(t->codes);
	memset(t, 0, sizeof(*t));
}

/* Reads path whole, refusing more than COUNTRY_JSON_BYTES. */
static char *
slurp(const char *path, size_t *lenp, char *err, size_t errsz)
{
	struct stat	 st;
	char		*buf = NULL;
	size_t		 len = 0, cap;
	ssize_t		 r;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		why_set(err, errsz, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) == -1) {
		why_set(err, errsz, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		why_set(err, errsz, "%s: not a regular file", path);
		goto out;
	}
	if (st.st_size > COUNTRY_JSON_BYTES) {
		why_set(err, errsz, "%s: larger than %d bytes", path,
		    COUNTRY_JSON_BYTES);
		goto out;
	}
	/* One byte more than the size tells a file that grew. */
	cap = (size_t)st.st_size + 1;
	if ((buf = malloc(cap)) == NULL) {
		why_set(err, errsz, "%s: out of memory", path);
		goto out;
	}
	while (len < cap) {
		r = read(fd, buf + len, cap - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			why_set(err, errsz, "%s: %s", path, strerror(errno));
			free(buf);
			buf = NULL;
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (len == cap) {
		why_set(err, errsz, "%s: changed while being read", path);
		free(buf);
		buf = NULL;
		goto out;
	}
	*lenp = len;
out:
	if (fd != -1)
		close(fd);
	return buf;
}

/* Copies a 2 or 3 letter code in lower case; -1 if it is not one. */
static int
code_copy(const char *s, size_t want, char *out)
{
	size_t	 i;

	if (s == NULL || strlen(s) != want)
		return -1;
	for (i = 0; i < want; i++) {
		if (s[i] >= 'A' && s[i] <= 'Z')
			out[i] = (char)(s[i] - 'A' + 'a');
		else if (s[i] >= 'a' && s[i] <= 'z')
			out[i] = s[i];
		else
			return -1;
	}
	out[want] = '\0';
	return 0;
}

/* Reads the entries of the "3166-1" array into t->c, sorted. */
static int
load_entries(struct table *t, json_t *root, const char *path,
    char *err, size_t errsz)
{
	json_t		*arr, *e, *v;
	struct country	*c;
	char		 key[KEY_BYTES];
	size_t		 i, n;

	arr = json_is_object(root) ? json_object_get(root, "3166-1") : NULL;
	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		why_set(err, errsz, "%s: no \"3166-1\" array", path);
		return -1;
	}
	if ((n = json_array_size(arr)) > COUNTRY_MAX) {
		why_set(err, errsz, "%s: more than %d countries", path,
		    COUNTRY_MAX);
		return -1;
	}
	if ((t->c = calloc(n, sizeof(*t->c))) == NULL) {
		why_set(err, errsz, "%s: out of memory", path);
		return -1;
	}
	for (i = 0; i < n; i++) {
		e = json_array_get(arr, i);
		c = &t->c[i];
		t->nc = i + 1;
		if (!json_is_object(e) ||
		    code_copy(json_string_value(json_object_get(e,
		    "alpha_2")), 2, c->a2) ||
		    code_copy(json_string_value(json_object_get(e,
		    "alpha_3")), 3, c->a3)) {
			why_set(err, errsz, "%s: entry %zu: no valid alpha_2 "
			    "and alpha_3", path, i + 1);
			return -1;
		}
		v = json_object_get(e, "name");
		if (!json_is_string(v) || mkkey(json_string_value(v),
		    json_string_length(v), key, sizeof(key)) <= 0) {
			why_set(err, errsz, "%s: entry %zu (%s): no valid "
			    "name", path, i + 1, c->a2);
			return -1;
		}
		/* Folded without mkkey's rewrites: sorts as written. */
		fold(json_string_value(v), json_string_length(v), key,
		    sizeof(key));
		if ((c->name = strdup(json_string_value(v))) == NULL ||
		    (c->sortkey = strdup(key)) == NULL) {
			why_set(err, errsz, "%s: out of memory", path);
			return -1;
		}
	}
	qsort(t->c, t->nc, sizeof(*t->c), country_cmp);
	for (i = 1; i < t->nc; i++)
		if (strcmp(t->c[i - 1].name, t->c[i].name) == 0) {
			why_set(err, errsz, "%s: \"%s\" listed twice", path,
			    t->c[i].name);
			return -1;
		}
	return 0;
}

static int
add_key(struct ckey *keys, size_t *n, const char *key, size_t idx)
{
	if ((keys[*n].key = strdup(key)) == NULL)
		return -1;
	keys[*n].idx = idx;
	(*n)++;
	return 0;
}

/*
 * Sorts keys and drops repeats naming the same country; a key naming
 * two countries is an error (which would we pick?).
 */
static int
sort_keys(struct table *t, struct ckey *keys, size_t *n, const char *path,
    char *err, size_t errsz)
{
	size_t	 i, o;

	qsort(keys, *n, sizeof(*keys), ckey_cmp);
	for (i = 1, o = 1; i < *n; i++) {
		if (strcmp(keys[o - 1].key, keys[i].key) != 0) {
			keys[o++] = keys[i];
			continue;
		}
		if (keys[o - 1].idx != keys[i].idx) {
			why_set(err, errsz, "%s: \"%s\" names both %s and %s",
			    path, keys[i].key, t->c[keys[o - 1].idx].name,
			    t->c[keys[i].idx].name);
			/* Keep every key reachable for table_free. */
			keys[o++] = keys[i];
			for (i++; i < *n; i++)
				keys[o++] = keys[i];
			*n = o;
			return -1;
		}
		free(keys[i].key);
	}
	if (*n > 0)
		*n = o;
	return 0;
}

static int
build_codes(struct table *t, const char *path, char *err, size_t errsz)
{
	const struct ckey	*k;
	size_t			 i;
	char			 code[3];

	t->codes = calloc(2 * t->nc + sizeof(abbrs) / sizeof(abbrs[0]),
	    sizeof(*t->codes));
	if (t->codes == NULL)
		goto oom;
	for (i = 0; i < t->nc; i++)
		if (add_key(t->codes, &t->ncodes, t->c[i].a2, i) ||
		    add_key(t->codes, &t->ncodes, t->c[i].a3, i))
			goto oom;
	/* A code given to two countries is refused here. */
	if (sort_keys(t, t->codes, &t->ncodes, path, err, errsz))
		return -1;
	for (i = 0; i < sizeof(abbrs) / sizeof(abbrs[0]); i++) {
		if (code_copy(abbrs[i].code, 2, code) ||
		    (k = find(t->codes, t->ncodes, code)) == NULL) {
			why_set(err, errsz, "%s: abbreviation \"%s\" needs "
			    "code %s, which is not in the table", path,
			    abbrs[i].abbr, abbrs[i].code);
			return -1;
		}
		if (add_key(t->codes, &t->ncodes, abbrs[i].abbr, k->idx))
			goto oom;
	}
	return sort_keys(t, t->codes, &t->ncodes, path, err, errsz);
oom:
	why_set(err, errsz, "%s: out of memory", path);
	return -1;
}

static int
add_name(struct table *t, const char *name, size_t len, size_t idx)
{
	char	 key[KEY_BYTES];

	if (mkkey(name, len, key, sizeof(key)) <= 0)
		return 1;
	return add_key(t->names, &t->nnames, key, idx);
}

static int
build_names(struct table *t, json_t *root, const char *path,
    char *err, size_t errsz)
{
	static const char *const fields[] =
	    { "name", "common_name", "official_name" };
	const struct ckey	*k;
	json_t			*arr, *e, *v;
	char			 a2[3];
	size_t			 i, j, na;
	int			 r;

	na = sizeof(aliases) / sizeof(aliases[0]);
	if ((t->names = calloc(3 * t->nc + na, sizeof(*t->names))) == NULL)
		goto oom;
	arr = json_object_get(root, "3166-1");
	for (i = 0; i < json_array_size(arr); i++) {
		e = json_array_get(arr, i);
		/* The entries were sorted: find this one by its code. */
		code_copy(json_string_value(json_object_get(e, "alpha_2")),
		    2, a2);
		if ((k = find(t->codes, t->ncodes, a2)) == NULL) {
			why_set(err, errsz, "%s: entry %zu lost", path, i + 1);
			return -1;
		}
		for (j = 0; j < 3; j++) {
			if ((v = json_object_get(e, fields[j])) == NULL)
				continue;
			if (!json_is_string(v) ||
			    (r = add_name(t, json_string_value(v),
			    json_string_length(v), k->idx)) > 0) {
				why_set(err, errsz, "%s: entry %zu (%s): bad "
				    "%s", path, i + 1, t->c[k->idx].a2,
				    fields[j]);
				return -1;
			}
			if (r < 0)
				goto oom;
		}
	}
	for (i = 0; i < na; i++) {
		if (code_copy(aliases[i].code, 2, a2) ||
		    (k = find(t->codes, t->ncodes, a2)) == NULL) {
			why_set(err, errsz, "%s: alias \"%s\" needs code %s, "
			    "which is not in the table", path,
			    aliases[i].name, aliases[i].code);
			return -1;
		}
		if ((r = add_name(t, aliases[i].name, strlen(aliases[i].name),
		    k->idx)) < 0)
			goto oom;
	}
	return sort_keys(t, t->names, &t->nnames, path, err, errsz);
oom:
	why_set(err, errsz, "%s: out of memory", path);
	return -1;
}

int
country_init(const char *path, char *err, size_t errsz)
{
	struct table	 t;
	json_error_t	 jerr;
	json_t		*root = NULL;
	char		*buf = NULL;
	size_t		 len = 0;
	int		 rc = -1;

	if (loaded)
		return 0;
	memset(&t, 0, sizeof(t));
	if (path == NULL && (path = getenv("AIM_ISO_CODES")) != NULL &&
	    *path == '\0')
		path = NULL;
	if (path == NULL)
		path = COUNTRY_ISO_JSON;
	if ((buf = slurp(path, &len, err, errsz)) == NULL)
		goto out;
	if ((root = json_loadb(buf, len, JSON_REJECT_DUPLICATES,
	    &jerr)) == NULL) {
		why_set(err, errsz, "%s:%d:%d: %s", path, jerr.line,
		    jerr.column, jerr.text);
		goto out;
	}
	if (load_entries(&t, root, path, err, errsz) ||
	    build_codes(&t, path, err, errsz) ||
	    build_names(&t, root, path, err, errsz))
		goto out;
	tab = t;
	memset(&t, 0, sizeof(t));
	loaded = 1;
	rc = 0;
out:
	table_free(&t);
	json_decref(root);
	free(buf);
	return rc;
}

enum country_err
country_lookup(const char *name, const char **canon)
{
	const struct ckey	*k;
	char			 key[KEY_BYTES], abbr[ABBR_MAX + 1];
	size_t			 len;

	if (canon != NULL)
		*canon = NULL;
	if (!loaded || name == NULL)
		return COUNTRY_UNKNOWN;
	/* Past the field limit it is not a name anyone typed. */
	if ((len = strnlen(name, LIM_FIELD_BYTES + 1)) > LIM_FIELD_BYTES)
		return COUNTRY_UNKNOWN;
	if (mkkey(name, len, key, sizeof(key)) <= 0)
		return COUNTRY_UNKNOWN;
	if ((k = find(tab.names, tab.nnames, key)) != NULL) {
		if (canon != NULL)
			*canon = tab.c[k->idx].name;
		return COUNTRY_OK;
	}
	if (codeish(name, len) && compact(key, abbr) == 0 &&
	    (k = find(tab.codes, tab.ncodes, abbr)) != NULL) {
		if (canon != NULL)
			*canon = tab.c[k->idx].name;
		return COUNTRY_ABBREVIATION;
	}
	return COUNTRY_UNKNOWN;
}

size_t
country_count(void)
{
	return loaded ? tab.nc : 0;
}

const char *
country_name(size_t i)
{
	if (!loaded || i >= tab.nc)
		return NULL;
	return tab.c[i].name;
}

void
country_free(void)
{
	table_free(&tab);
	loaded = 0;
}
