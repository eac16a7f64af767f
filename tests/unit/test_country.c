/*
 * forms/country.c: names, common and official names, aliases, codes and
 * abbreviations refused with the full name, odd input, and broken
 * iso-codes files.  Expected names are those of Debian 12's iso-codes.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "forms/country.h"
#include "lib/limits.h"
#include "tests.h"

/* country.c's cap on the iso-codes file (COUNTRY_JSON_BYTES). */
#define JSON_CAP	(4 * 1024 * 1024)

struct pair {
	const char	*in;
	const char	*want;
};

static const char *
iso_path(void)
{
	const char	*p;

	if ((p = getenv("AIM_ISO_CODES")) != NULL && *p != '\0')
		return p;
	return COUNTRY_ISO_JSON;
}

static void
load(void)
{
	char	 err[256];

	err[0] = '\0';
	ck_assert_msg(country_init(NULL, err, sizeof(err)) == 0, "%s", err);
}

/* Leaves the default table loaded for whatever runs next. */
static void
reload(void)
{
	country_free();
	load();
}

static void
unloaded(void)
{
	country_free();
}

static void
check_pairs(const struct pair *p, size_t n, enum country_err want)
{
	const char	*canon;
	size_t		 i;

	for (i = 0; i < n; i++) {
		canon = "unset";
		ck_assert_msg(country_lookup(p[i].in, &canon) == want,
		    "\"%s\": want status %d", p[i].in, (int)want);
		ck_assert_msg(canon != NULL && strcmp(canon, p[i].want) == 0,
		    "\"%s\": got \"%s\", want \"%s\"", p[i].in,
		    canon == NULL ? "(null)" : canon, p[i].want);
	}
}

static void
check_unknown(const char *in)
{
	const char	*canon = "unset";

	ck_assert_msg(country_lookup(in, &canon) == COUNTRY_UNKNOWN,
	    "\"%.40s\" taken as a country", in == NULL ? "(null)" : in);
	ck_assert_ptr_null(canon);
}

/* Writes data to a fresh temporary file named in path. */
static void
write_tmp(const char *data, size_t len, char path[64])
{
	size_t	 off = 0;
	ssize_t	 w;
	int	 fd;

	snprintf(path, 64, "/tmp/aim-country-XXXXXX");
	ck_assert_int_ne(fd = mkstemp(path), -1);
	while (off < len) {
		w = write(fd, data + off, len - off);
		ck_assert_int_gt(w, 0);
		off += (size_t)w;
	}
	ck_assert_int_eq(close(fd), 0);
}

static json_t *
system_json(void)
{
	json_error_t	 jerr;
	json_t		*root;

	root = json_load_file(iso_path(), 0, &jerr);
	ck_assert_msg(root != NULL, "%s: %s", iso_path(), jerr.text);
	return root;
}

static json_t *
entry_by_code(json_t *root, const char *a2)
{
	json_t	*arr, *e;
	size_t	 i;

	arr = json_object_get(root, "3166-1");
	json_array_foreach(arr, i, e)
		if (strcmp(json_string_value(json_object_get(e, "alpha_2")),
		    a2) == 0)
			return e;
	ck_abort_msg("no %s in %s", a2, iso_path());
	return NULL;
}

/* Inits from root written to a temporary file; returns country_init's
 * result with the message in err. */
static int
init_json(json_t *root, char *err, size_t errsz)
{
	char	 path[64];
	char	*text;
	int	 rc;

	ck_assert_ptr_nonnull(text = json_dumps(root, JSON_COMPACT));
	write_tmp(text, strlen(text), path);
	free(text);
	err[0] = '\0';
	rc = country_init(path, err, errsz);
	unlink(path);
	return rc;
}

START_TEST(test_names)
{
	static const struct pair p[] = {
		{ "China", "China" },
		{ "Germany", "Germany" },
		{ "United Arab Emirates", "United Arab Emirates" },
		{ "Korea, Republic of", "Korea, Republic of" },
		{ "Congo", "Congo" },
		{ "Chad", "Chad" },
		{ "Peru", "Peru" },
		{ "Cuba", "Cuba" },
		{ "Iraq", "Iraq" },
		{ "Oman", "Oman" },
		{ "Fiji", "Fiji" },
		{ "Mali", "Mali" },
		{ "Togo", "Togo" },
		{ "Niue", "Niue" },
		{ "Guam", "Guam" },
		{ "CHAD", "Chad" },
		{ "peru", "Peru" },
		{ "OMAN", "Oman" },
		{ "fiJI", "Fiji" },
		{ "Iran", "Iran, Islamic Republic of" },
		{ "IRAN", "Iran, Islamic Republic of" },
		{ "laos", "Lao People's Democratic Republic" },
		/* common names */
		{ "South Korea", "Korea, Republic of" },
		{ "North Korea", "Korea, Democratic People's Republic of" },
		{ "Bolivia", "Bolivia, Plurinational State of" },
		{ "Vietnam", "Viet Nam" },
		{ "Syria", "Syrian Arab Republic" },
		/* official names */
		{ "Federal Republic of Germany", "Germany" },
		{ "People's Republic of China", "China" },
		{ "Swiss Confederation", "Switzerland" },
		{ "United Kingdom of Great Britain and Northern Ireland",
		    "United Kingdom" },
		{ "Kingdom of the Netherlands", "Netherlands" },
		{ "Republic of Türkiye", "Türkiye" },
		{ "the State of Palestine", "Palestine, State of" },
	};

	check_pairs(p, sizeof(p) / sizeof(p[0]), COUNTRY_OK);
}
END_TEST

START_TEST(test_every_name)
{
	const char	*name, *canon;
	char		 up[256];
	size_t		 i, j, n;

	n = country_count();
	for (i = 0; i < n; i++) {
		name = country_name(i);
		ck_assert_int_eq(country_lookup(name, &canon), COUNTRY_OK);
		ck_assert_ptr_eq(canon, name);
		ck_assert_uint_lt(strlen(name), sizeof(up));
		for (j = 0; name[j] != '\0'; j++)
			up[j] = (char)toupper((unsigned char)name[j]);
		up[j] = '\0';
		ck_assert_msg(country_lookup(up, &canon) == COUNTRY_OK &&
		    canon == name, "\"%s\" not found", up);
	}
}
END_TEST

START_TEST(test_case_spaces)
{
	static const struct pair p[] = {
		{ "  united   kingdom  ", "United Kingdom" },
		{ "\tCHINA\n", "China" },
		{ "\r\nNew\t \tZealand\r\n", "New Zealand" },
		{ "NeW ZeAlAnD", "New Zealand" },
		{ "United\xc2\xa0States", "United States" },
		{ "Saint  Kitts and   Nevis", "Saint Kitts and Nevis" },
		{ "The Netherlands", "Netherlands" },
		{ "the gambia", "Gambia" },
		{ "THE BAHAMAS", "Bahamas" },
		{ "Trinidad & Tobago", "Trinidad and Tobago" },
		{ "Trinidad&Tobago", "Trinidad and Tobago" },
		{ "Bosnia & Herzegovina", "Bosnia and Herzegovina" },
		{ "St. Lucia", "Saint Lucia" },
		{ "St.Lucia", "Saint Lucia" },
		{ "st kitts & nevis", "Saint Kitts and Nevis" },
		{ "St. Vincent and the Grenadines",
		    "Saint Vincent and the Grenadines" },
	};

	check_pairs(p, sizeof(p) / sizeof(p[0]), COUNTRY_OK);
}
END_TEST

START_TEST(test_accents)
{
	static const struct pair p[] = {
		{ "Côte d'Ivoire", "Côte d'Ivoire" },
		{ "Cote d'Ivoire", "Côte d'Ivoire" },
		{ "CÔTE D’IVOIRE", "Côte d'Ivoire" },
		{ "cote d`ivoire", "Côte d'Ivoire" },
		{ "Türkiye", "Türkiye" },
		{ "TÜRKIYE", "Türkiye" },
		{ "Reunion", "Réunion" },
		{ "Curacao", "Curaçao" },
		{ "Aland Islands", "Åland Islands" },
		{ "Saint Barthelemy", "Saint Barthélemy" },
		{ "São Tomé and Príncipe", "Sao Tome and Principe" },
		{ "Guinea\xe2\x80\x90" "Bissau", "Guinea-Bissau" },
		{ "Timor\xe2\x80\x93Leste", "Timor-Leste" },
	};

	check_pairs(p, sizeof(p) / sizeof(p[0]), COUNTRY_OK);
}
END_TEST

START_TEST(test_aliases)
{
	static const struct pair p[] = {
		{ "Russia", "Russian Federation" },
		{ "South Korea", "Korea, Republic of" },
		{ "Korea (South)", "Korea, Republic of" },
		{ "Korea, South", "Korea, Republic of" },
		{ "Republic of Korea", "Korea, Republic of" },
		{ "North Korea", "Korea, Democratic People's Republic of" },
		{ "Korea (North)", "Korea, Democratic People's Republic of" },
		{ "Turkey", "Türkiye" },
		{ "Türkiye", "Türkiye" },
		{ "Turkiye", "Türkiye" },
		{ "Vietnam", "Viet Nam" },
		{ "Iran", "Iran, Islamic Republic of" },
		{ "Syria", "Syrian Arab Republic" },
		{ "Laos", "Lao People's Democratic Republic" },
		{ "Lao PDR", "Lao People's Democratic Republic" },
		{ "Moldova", "Moldova, Republic of" },
		{ "Tanzania", "Tanzania, United Republic of" },
		{ "Venezuela", "Venezuela, Bolivarian Republic of" },
		{ "Bolivia", "Bolivia, Plurinational State of" },
		{ "Czech Republic", "Czechia" },
		{ "Macedonia", "North Macedonia" },
		{ "Taiwan", "Taiwan, Province of China" },
		{ "Brunei", "Brunei Darussalam" },
		{ "Cape Verde", "Cabo Verde" },
		{ "Ivory Coast", "Côte d'Ivoire" },
		{ "Holland", "Netherlands" },
		{ "Great Britain", "United Kingdom" },
		{ "Britain", "United Kingdom" },
		{ "England", "United Kingdom" },
		{ "Scotland", "United Kingdom" },
		{ "Wales", "United Kingdom" },
		{ "Northern Ireland", "United Kingdom" },
		{ "America", "United States" },
		{ "United States of America", "United States" },
		{ "Swaziland", "Eswatini" },
		{ "Burma", "Myanmar" },
		{ "Hong Kong", "Hong Kong" },
		{ "Hong Kong SAR", "Hong Kong" },
		{ "Macau", "Macao" },
		{ "Macao", "Macao" },
		{ "Palestine", "Palestine, State of" },
		{ "Vatican", "Holy See (Vatican City State)" },
		{ "Vatican City", "Holy See (Vatican City State)" },
		{ "Holy See", "Holy See (Vatican City State)" },
		{ "Micronesia", "Micronesia, Federated States of" },
		{ "Democratic Republic of the Congo",
		    "Congo, The Democratic Republic of the" },
		{ "Democratic Republic of Congo",
		    "Congo, The Democratic Republic of the" },
		{ "DR Congo", "Congo, The Democratic Republic of the" },
		{ "D.R. Congo", "Congo, The Democratic Republic of the" },
		{ "Congo-Kinshasa", "Congo, The Democratic Republic of the" },
		{ "Republic of the Congo", "Congo" },
		{ "Republic of Congo", "Congo" },
		{ "Congo-Brazzaville", "Congo" },
		{ "East Timor", "Timor-Leste" },
		{ "Falkland Islands", "Falkland Islands (Malvinas)" },
		{ "US Virgin Islands", "Virgin Islands, U.S." },
		{ "British Virgin Islands", "Virgin Islands, British" },
		{ "  russia ", "Russian Federation" },
		{ "GREAT  BRITAIN", "United Kingdom" },
	};

	check_pairs(p, sizeof(p) / sizeof(p[0]), COUNTRY_OK);
}
END_TEST

START_TEST(test_codes)
{
	static const struct pair p[] = {
		{ "CN", "China" },
		{ "cn", "China" },
		{ "Cn", "China" },
		{ "CHN", "China" },
		{ "chn", "China" },
		{ "DEU", "Germany" },
		{ "de", "Germany" },
		{ "US", "United States" },
		{ "USA", "United States" },
		{ "GB", "United Kingdom" },
		{ "GBR", "United Kingdom" },
		{ "AE", "United Arab Emirates" },
		{ "ARE", "United Arab Emirates" },
		{ "KR", "Korea, Republic of" },
		{ "PRK", "Korea, Democratic People's Republic of" },
		{ "TW", "Taiwan, Province of China" },
		{ "CAN", "Canada" },
		{ "NA", "Namibia" },
		{ " td ", "Chad" },
		{ "TCD", "Chad" },
		{ "PER", "Peru" },
		/* "St." is not "Saint" alone: it is São Tomé's code */
		{ "ST.", "Sao Tome and Principe" },
	};

	check_pairs(p, sizeof(p) / sizeof(p[0]), COUNTRY_ABBREVIATION);
}
END_TEST

/* Every alpha-2 and alpha-3 code of the file, either case. */
START_TEST(test_every_code)
{
	json_t		*root, *arr, *e;
	const char	*name, *canon, *code;
	const char	*keys[] = { "alpha_2", "alpha_3" };
	char		 low[4];
	size_t		 i, j, k;

	root = system_json();
	arr = json_object_get(root, "3166-1");
	ck_assert_uint_gt(json_array_size(arr), 240);
	json_array_foreach(arr, i, e) {
		name = json_string_value(json_object_get(e, "name"));
		for (j = 0; j < 2; j++) {
			code = json_string_value(json_object_get(e, keys[j]));
			ck_assert_msg(country_lookup(code, &canon) ==
			    COUNTRY_ABBREVIATION && strcmp(canon, name) == 0,
			    "%s not refused as %s", code, name);
			for (k = 0; k < 3 && code[k] != '\0'; k++)
				low[k] = (char)tolower((unsigned char)code[k]);
			low[k] = '\0';
			ck_assert_msg(country_lookup(low, &canon) ==
			    COUNTRY_ABBREVIATION && strcmp(canon, name) == 0,
			    "%s not refused as %s", low, name);
		}
	}
	json_decref(root);
}
END_TEST

START_TEST(test_abbreviations)
{
	static const struct pair p[] = {
		{ "U.A.E.", "United Arab Emirates" },
		{ "UAE", "United Arab Emirates" },
		{ "u.a.e", "United Arab Emirates" },
		{ "U. A. E.", "United Arab Emirates" },
		{ "U.K.", "United Kingdom" },
		{ "UK", "United Kingdom" },
		{ "uk", "United Kingdom" },
		{ "The UK", "United Kingdom" },
		{ "USA", "United States" },
		{ "U.S.A.", "United States" },
		{ "u s a", "United States" },
		{ "U.S.", "United States" },
		{ " US ", "United States" },
		{ "PRC", "China" },
		{ "P.R.C.", "China" },
		{ "ROK", "Korea, Republic of" },
		{ "DPRK", "Korea, Democratic People's Republic of" },
		{ "D.P.R.K.", "Korea, Democratic People's Republic of" },
		{ "ROC", "Taiwan, Province of China" },
		{ "KSA", "Saudi Arabia" },
		{ "DRC", "Congo, The Democratic Republic of the" },
		{ "RSA", "South Africa" },
		{ "BVI", "Virgin Islands, British" },
		{ "HKSAR", "Hong Kong" },
	};

	check_pairs(p, sizeof(p) / sizeof(p[0]), COUNTRY_ABBREVIATION);
}
END_TEST

START_TEST(test_not_countries)
{
	static const char *const bad[] = {
		"", "   ", "\t\n", "unknown", "Unknown", "UNKNOWN",
		"not applicable", "Not Applicable", "N/A", "Korea",
		"Narnia", "X", "U", "U.", ".", "...", "U-S", "U.S.A.X.Y.Z",
		"Chinaa", "Chin", "Germany Germany", "\xff\xfe", "\xc3",
		"Chin\xc3", "C\xc3\x97", "\xe2\x80", "\xe2\x80\x99", "&",
		"&&&&", "the", "The ", "Saint", "Virgin Islands",
		"Republic of", "Viet-Nam-Nam", "Ch\xc3\x97na",
	};
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check_unknown(bad[i]);
	check_unknown(NULL);
}
END_TEST

START_TEST(test_long)
{
	static char	 buf[10 * 1024 + 1];
	const char	*canon;
	size_t		 i;

	memset(buf, 'a', sizeof(buf) - 1);
	check_unknown(buf);
	memset(buf, ' ', sizeof(buf) - 1);
	check_unknown(buf);
	memset(buf, '&', sizeof(buf) - 1);
	check_unknown(buf);
	memset(buf, '.', sizeof(buf) - 1);
	check_unknown(buf);
	/* 'ß' folds to "ss": as long as it came in */
	for (i = 0; i + 1 < LIM_FIELD_BYTES; i += 2)
		memcpy(buf + i, "\xc3\x9f", 2);
	buf[i] = '\0';
	check_unknown(buf);
	/* '&' as " and " outgrows the key: refused, not overrun */
	memset(buf, '&', LIM_FIELD_BYTES);
	buf[LIM_FIELD_BYTES] = '\0';
	check_unknown(buf);

	/* A name padded to exactly the field limit, then one byte more. */
	memset(buf, ' ', LIM_FIELD_BYTES);
	memcpy(buf, "China", 5);
	buf[LIM_FIELD_BYTES] = '\0';
	ck_assert_int_eq(country_lookup(buf, &canon), COUNTRY_OK);
	ck_assert_str_eq(canon, "China");
	buf[LIM_FIELD_BYTES] = ' ';
	buf[LIM_FIELD_BYTES + 1] = '\0';
	check_unknown(buf);
	/* A code padded the same way. */
	memset(buf, ' ', LIM_FIELD_BYTES);
	memcpy(buf + LIM_FIELD_BYTES - 2, "CN", 2);
	buf[LIM_FIELD_BYTES] = '\0';
	ck_assert_int_eq(country_lookup(buf, &canon), COUNTRY_ABBREVIATION);
	ck_assert_str_eq(canon, "China");
}
END_TEST

START_TEST(test_null_canon)
{
	ck_assert_int_eq(country_lookup("China", NULL), COUNTRY_OK);
	ck_assert_int_eq(country_lookup("CN", NULL), COUNTRY_ABBREVIATION);
	ck_assert_int_eq(country_lookup("Narnia", NULL), COUNTRY_UNKNOWN);
}
END_TEST

START_TEST(test_sorted)
{
	const char	*a, *b;
	size_t		 i, j, n, aland = 0, albania = 0;
	int		 ascii;

	n = country_count();
	ck_assert_uint_gt(n, 240);
	ck_assert_uint_lt(n, 1000);
	ck_assert_str_eq(country_name(0), "Afghanistan");
	ck_assert_str_eq(country_name(n - 1), "Zimbabwe");
	ck_assert_ptr_nonnull(country_name(n - 1));
	ck_assert_ptr_null(country_name(n));
	ck_assert_ptr_null(country_name((size_t)-1));
	for (i = 0; i < n; i++) {
		a = country_name(i);
		ck_assert_uint_gt(strlen(a), 0);
		if (strcmp(a, "Åland Islands") == 0)
			aland = i;
		if (strcmp(a, "Albania") == 0)
			albania = i;
		if (i + 1 == n)
			break;
		b = country_name(i + 1);
		ascii = 1;
		for (j = 0; a[j] != '\0'; j++)
			ascii &= (unsigned char)a[j] < 0x80;
		for (j = 0; b[j] != '\0'; j++)
			ascii &= (unsigned char)b[j] < 0x80;
		if (ascii)
			ck_assert_msg(strcasecmp(a, b) < 0,
			    "\"%s\" before \"%s\"", a, b);
	}
	/* Accented names sort by their letters, not after "Z". */
	ck_assert_uint_gt(aland, 0);
	ck_assert_uint_eq(albania, aland + 1);
}
END_TEST

START_TEST(test_init_twice)
{
	char	 err[256];

	err[0] = '\0';
	ck_assert_int_eq(country_init("/nonexistent/iso.json", err,
	    sizeof(err)), 0);
	ck_assert_str_eq(err, "");
	ck_assert_int_eq(country_lookup("China", NULL), COUNTRY_OK);
	ck_assert_uint_gt(country_count(), 240);
}
END_TEST

START_TEST(test_free)
{
	const char	*canon = "unset";

	country_free();
	ck_assert_int_eq(country_lookup("China", &canon), COUNTRY_UNKNOWN);
	ck_assert_ptr_null(canon);
	ck_assert_uint_eq(country_count(), 0);
	ck_assert_ptr_null(country_name(0));
	country_free();
	load();
	ck_assert_int_eq(country_lookup("China", &canon), COUNTRY_OK);
	ck_assert_str_eq(canon, "China");
}
END_TEST

START_TEST(test_missing)
{
	char	 err[256];

	err[0] = '\0';
	ck_assert_int_eq(country_init("/nonexistent/iso.json", err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/iso.json"));
	ck_assert_int_eq(country_lookup("China", NULL), COUNTRY_UNKNOWN);
	ck_assert_uint_eq(country_count(), 0);
	/* A directory is not a file. */
	ck_assert_int_eq(country_init("/tmp", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "regular"));
	/* NULL or empty err is allowed. */
	ck_assert_int_eq(country_init("/nonexistent/iso.json", NULL, 0),
	    -1);
	ck_assert_int_eq(country_init("/nonexistent/iso.json", err, 0),
	    -1);
}
END_TEST

START_TEST(test_env)
{
	char	 err[256];

	ck_assert_int_eq(setenv("AIM_ISO_CODES", "/nonexistent/env.json",
	    1), 0);
	err[0] = '\0';
	ck_assert_int_eq(country_init(NULL, err, sizeof(err)), -1);
	unsetenv("AIM_ISO_CODES");
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/env.json"));
	/* An explicit path wins over the environment. */
	ck_assert_int_eq(setenv("AIM_ISO_CODES", "/nonexistent/env.json",
	    1), 0);
	ck_assert_int_eq(country_init(COUNTRY_ISO_JSON, err, sizeof(err)),
	    0);
	unsetenv("AIM_ISO_CODES");
}
END_TEST

START_TEST(test_malformed)
{
	static const char *const bad[] = {
		"",
		"{",
		"[]",
		"{}",
		"null",
		"{\"3166-1\": {}}",
		"{\"3166-1\": []}",
		"{\"3166-1\": [1]}",
		"{\"3166-1\": [{\"alpha_3\": \"FRA\", \"name\": \"France\"}]}",
		"{\"3166-1\": [{\"alpha_2\": \"F\", \"alpha_3\": \"FRA\", "
		    "\"name\": \"France\"}]}",
		"{\"3166-1\": [{\"alpha_2\": \"F1\", \"alpha_3\": \"FRA\", "
		    "\"name\": \"France\"}]}",
		"{\"3166-1\": [{\"alpha_2\": \"FR\", \"alpha_3\": \"FRAN\", "
		    "\"name\": \"France\"}]}",
		"{\"3166-1\": [{\"alpha_2\": \"FR\", \"alpha_3\": \"FRA\"}]}",
		"{\"3166-1\": [{\"alpha_2\": \"FR\", \"alpha_3\": \"FRA\", "
		    "\"name\": 5}]}",
		"{\"3166-1\": [{\"alpha_2\": \"FR\", \"alpha_3\": \"FRA\", "
		    "\"name\": \"  \"}]}",
		"{\"3166-1\": [{\"alpha_2\": \"FR\", \"alpha_3\": \"FRA\", "
		    "\"name\": \"France\"}]} trailing",
		"\x01\x02\x03",
	};
	char	 path[64], err[256];
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_tmp(bad[i], strlen(bad[i]), path);
		err[0] = '\0';
		ck_assert_msg(country_init(path, err, sizeof(err)) == -1,
		    "case %zu accepted", i);
		unlink(path);
		ck_assert_msg(strstr(err, path) != NULL,
		    "case %zu: message \"%s\"", i, err);
		ck_assert_uint_eq(country_count(), 0);
	}
}
END_TEST

/* Entries that are each well formed but wrong as a table. */
START_TEST(test_bad_table)
{
	json_t	*root, *e;
	char	 path[64], err[256];
	char	*text, *dup;

	/* iso-codes dropped the country an alias points at */
	root = system_json();
	e = entry_by_code(root, "MM");
	json_object_set_new(e, "alpha_2", json_string("XM"));
	ck_assert_int_eq(init_json(root, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "Burma") && strstr(err, "MM"), "%s", err);
	json_decref(root);

	/* a common name that is another country's name */
	root = system_json();
	json_object_set_new(entry_by_code(root, "FR"), "common_name",
	    json_string("GERMANY"));
	ck_assert_int_eq(init_json(root, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "names both"), "%s", err);
	json_decref(root);

	/* a code given to two countries */
	root = system_json();
	json_object_set_new(entry_by_code(root, "FR"), "alpha_3",
	    json_string("DEU"));
	ck_assert_int_eq(init_json(root, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "names both"), "%s", err);
	json_decref(root);

	/* the same name twice */
	root = system_json();
	json_object_set_new(entry_by_code(root, "FR"), "name",
	    json_string("Germany"));
	ck_assert_int_eq(init_json(root, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "Germany"), "%s", err);
	json_decref(root);

	/* an official name that is not a string */
	root = system_json();
	json_object_set_new(entry_by_code(root, "FR"), "official_name",
	    json_integer(1));
	ck_assert_int_eq(init_json(root, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "official_name"), "%s", err);
	json_decref(root);

	/* a key given twice: the second must not silently win */
	root = system_json();
	ck_assert_ptr_nonnull(text = json_dumps(root, JSON_COMPACT));
	json_decref(root);
	ck_assert_int_eq(strncmp(text, "{\"3166-1\":[", 11), 0);
	ck_assert_ptr_nonnull(dup = malloc(strlen(text) + 16));
	snprintf(dup, strlen(text) + 16, "{\"3166-1\":[],%s", text + 1);
	free(text);
	write_tmp(dup, strlen(dup), path);
	free(dup);
	ck_assert_int_eq(country_init(path, err, sizeof(err)), -1);
	unlink(path);
	ck_assert_msg(strstr(err, "3166-1"), "%s", err);

	ck_assert_uint_eq(country_count(), 0);
}
END_TEST

/* Aliases follow a rename in iso-codes; the old name goes. */
START_TEST(test_renamed)
{
	json_t		*root;
	const char	*canon;
	char		 path[64], err[256];
	char		*text;

	root = system_json();
	json_object_set_new(entry_by_code(root, "RU"), "name",
	    json_string("Russia Renamed"));
	ck_assert_ptr_nonnull(text = json_dumps(root, 0));
	json_decref(root);
	write_tmp(text, strlen(text), path);
	free(text);
	ck_assert_int_eq(setenv("AIM_ISO_CODES", path, 1), 0);
	err[0] = '\0';
	ck_assert_msg(country_init(NULL, err, sizeof(err)) == 0, "%s", err);
	unsetenv("AIM_ISO_CODES");
	unlink(path);
	ck_assert_int_eq(country_lookup("Russia", &canon), COUNTRY_OK);
	ck_assert_str_eq(canon, "Russia Renamed");
	ck_assert_int_eq(country_lookup("RUS", &canon),
	    COUNTRY_ABBREVIATION);
	ck_assert_str_eq(canon, "Russia Renamed");
	check_unknown("Russian Federation");
}
END_TEST

/* The file cap, both sides: a valid table padded to the cap loads. */
START_TEST(test_size_cap)
{
	json_t	*root;
	char	 path[64], err[256];
	char	*text, *buf;
	size_t	 len;

	root = system_json();
	ck_assert_ptr_nonnull(text = json_dumps(root, JSON_COMPACT));
	json_decref(root);
	len = strlen(text);
	ck_assert_uint_lt(len, JSON_CAP);
	ck_assert_ptr_nonnull(buf = malloc(JSON_CAP + 1));
	memset(buf, ' ', JSON_CAP + 1);
	memcpy(buf, text, len);
	free(text);

	write_tmp(buf, JSON_CAP, path);
	err[0] = '\0';
	ck_assert_msg(country_init(path, err, sizeof(err)) == 0, "%s", err);
	unlink(path);
	ck_assert_int_eq(country_lookup("China", NULL), COUNTRY_OK);
	country_free();

	write_tmp(buf, JSON_CAP + 1, path);
	free(buf);
	ck_assert_int_eq(country_init(path, err, sizeof(err)), -1);
	unlink(path);
	ck_assert_msg(strstr(err, "larger"), "%s", err);
	ck_assert_uint_eq(country_count(), 0);
}
END_TEST

Suite *
suite_country(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("country");

	tc = tcase_create("lookup");
	tcase_add_checked_fixture(tc, load, NULL);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_every_name);
	tcase_add_test(tc, test_case_spaces);
	tcase_add_test(tc, test_accents);
	tcase_add_test(tc, test_aliases);
	tcase_add_test(tc, test_codes);
	tcase_add_test(tc, test_every_code);
	tcase_add_test(tc, test_abbreviations);
	tcase_add_test(tc, test_not_countries);
	tcase_add_test(tc, test_long);
	tcase_add_test(tc, test_null_canon);
	suite_add_tcase(s, tc);

	tc = tcase_create("table");
	tcase_add_checked_fixture(tc, load, reload);
	tcase_add_test(tc, test_sorted);
	tcase_add_test(tc, test_init_twice);
	tcase_add_test(tc, test_free);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_checked_fixture(tc, unloaded, reload);
	tcase_add_test(tc, test_missing);
	tcase_add_test(tc, test_env);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_bad_table);
	tcase_add_test(tc, test_renamed);
	tcase_add_test(tc, test_size_cap);
	suite_add_tcase(s, tc);

	return s;
}
