/*
 * Account rules (DOMAIN.md section 2): what registration and My Account
 * accept, and how values are normalised before they are stored.
 *
 * Identifiers accepted (exactly one of the two fields):
 *  ein              ##-####### or nine digits (stored as ##-#######);
 *                   an SSN-shaped ###-##-#### is refused.
 *  importer_number  ######-##### (CBP-assigned number) or ##-#######XX
 *                   (EIN-based importer number with its 2-character
 *                   suffix, letters upper-cased); SSN-based numbers
 *                   (###-##-####XX) are refused.
 *
 * Addresses must end in a U.S. state or territory code (the 50 states,
 * DC, AS, GU, MP, PR, VI) and a ZIP or ZIP+4; a trailing "USA" or
 * "United States" is dropped.  P.O. boxes are refused: "PO Box",
 * "P.O. Box", "P O Box", "Post Office Box", "Postal Box", "Post Box",
 * "PO Drawer" anywhere; "POBox" anywhere ("Pobox Street" too: the word
 * is only ever a box); "POB", "P.O.B." and "Apartado" (Puerto Rico)
 * when a number follows; "Box" followed by a number at the start.
 * "Box Elder Rd", "1 Boxwood Lane" and rural routes ("RR 2 Box 15")
 * pass.
 *
 * Phones: ten-digit U.S. numbers (an optional leading 1 or +1) stored as
 * 555-555-1234, with an optional extension (x, ext, ext., extension;
 * 1-6 digits) stored as " x123".  Other countries: + and 8-15 digits,
 * stored as +4420... (E.164).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/limits.h"
#include "account.h"

#define PASSWORD_MIN_CHARS	8
#define PASSWORD_MAX_CHARS	64
#define EMAIL_LOCAL_MAX		64	/* RFC 5321 */
#define DOMAIN_LABEL_MAX	63
#define PHONE_EXT_MAX		6
#define PHONE_INTL_MIN		8
#define PHONE_INTL_MAX		15	/* E.164 */
#define ADDRESS_EXAMPLE		"1200 Main St, Springfield, IL 62701"

const struct field_def afields[AF__MAX] = {
	{ "email", "Email address", FT_TEXT,
	  "Your user name. Verification codes and every license email go "
	  "here, e.g. name@example.com." },
	{ "alt_email", "Alternate email", FT_TEXT,
	  "Optional: gets a copy of every email sent to the primary "
	  "address. It cannot be used to sign in." },
	{ "company_name", "Company name", FT_TEXT,
	  "The importer, importing agent, customs broker or foreign filer "
	  "that files licenses." },
	{ "ein", "EIN", FT_TEXT,
	  "Employer Identification Number, ##-#######. Never a Social "
	  "Security Number. Give an EIN or a CBP importer number." },
	{ "importer_number", "CBP importer number", FT_TEXT,
	  "Only if you give no EIN: your CBP-assigned number ######-##### or "
	  "EIN-based importer number ##-#######XX." },
	{ "address", "U.S. street address", FT_TEXT,
	  "Street, city, state code and ZIP, e.g. " ADDRESS_EXAMPLE ". No "
	  "P.O. boxes; foreign filers give a U.S. address too." },
	{ "phone", "Phone", FT_TEXT,
	  "A U.S. number with area code, e.g. 555-555-1234 x123; numbers "
	  "outside the U.S. start with + and the country code." },
	{ "contact_name", "Contact name", FT_TEXT,
	  "The person we contact about this account." },
};

/* Counts errors itself: a full report drops items, and a caller must
 * never take a dropped error for a valid form. */
struct ctx {
	struct report	*rep;
	size_t		 n;
};

#define ERR(c, i, ...) do {						\
	report_error((c)->rep, 0, afields[(i)].name, __VA_ARGS__);	\
	(c)->n++;							\
} while (0)

static const char *const states[] = {
	"AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA",
	"HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD",
	"MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
	"NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC",
	"SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
	"DC", "AS", "GU", "MP", "PR", "VI",
};

/* ASCII only: the C library's versions follow the locale. */
static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_alnum(int c)
{
	return is_alpha(c) || is_digit(c);
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

static int
to_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
to_upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

static int
all_digits(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (!is_digit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Characters in s[0..len), or -1 if it is not valid UTF-8 (overlong
 * forms, surrogates and code points past U+10FFFF included). */
static long
utf8_count(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	const unsigned char	*end = p + len;
	long			 n = 0;
	size_t			 i, k;

	while (p < end) {
		if (p[0] < 0x80)
			k = 0;
		else if (p[0] >= 0xc2 && p[0] <= 0xdf)
			k = 1;
		else if (p[0] >= 0xe0 && p[0] <= 0xef)
			k = 2;
		else if (p[0] >= 0xf0 && p[0] <= 0xf4)
			k = 3;
		else
			return -1;
		if ((size_t)(end - p) <= k)
			return -1;
		for (i = 1; i <= k; i++)
			if ((p[i] & 0xc0) != 0x80)
				return -1;
		if ((p[0] == 0xe0 && p[1] < 0xa0) ||
		    (p[0] == 0xed && p[1] > 0x9f) ||
		    (p[0] == 0xf0 && p[1] < 0x90) ||
		    (p[0] == 0xf4 && p[1] > 0x8f))
			return -1;
		p += k + 1;
		n++;
	}
	return n;
}

static int
has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* Drops leading and trailing white space and turns each inner run of
 * it (line breaks from a text area too) into one space. */
static void
squeeze(char *s)
{
	char	*r = s, *w = s;
	int	 gap = 0;

	while (is_space((unsigned char)*r))
		r++;
	for (; *r != '\0'; r++) {
		if (is_space((unsigned char)*r)) {
			gap = 1;
			continue;
		}
		if (gap)
			*w++ = ' ';
		gap = 0;
		*w++ = *r;
	}
	*w = '\0';
}

static int
replace(struct ctx *c, struct account_form *f, enum afield i,
    const char *val)
{
	char	*p;

	if ((p = strdup(val)) == NULL) {
		ERR(c, i, "%s could not be stored (out of memory)",
		    afields[i].label);
		return -1;
	}
	free(f->v[i]);
	f->v[i] = p;
	return 0;
}

/*
 * The checks every field gets: bounded as read, white space squeezed,
 * valid UTF-8 without control characters, at most LIM_FIELD_CHARS.
 * Returns 1 with a value, 0 when empty, -1 after reporting an error.
 */
static int
text_value(struct ctx *c, struct account_form *f, enum afield i)
{
	char	*s = f->v[i];
	long	 n;

	if (s == NULL)
		return 0;
	if (strnlen(s, LIM_FIELD_BYTES + 1) > LIM_FIELD_BYTES) {
		ERR(c, i, "%s is longer than %d characters", afields[i].label,
		    LIM_FIELD_CHARS);
		return -1;
	}
	squeeze(s);
	if (*s == '\0')
		return 0;
	if ((n = utf8_count(s, strlen(s))) == -1) {
		ERR(c, i, "%s is not valid UTF-8 text", afields[i].label);
		return -1;
	}
	if (has_control(s)) {
		ERR(c, i, "%s must not contain control characters",
		    afields[i].label);
		return -1;
	}
	/* emails have their own, longer limit (check_email) */
	if (n > LIM_FIELD_CHARS && i != AF_EMAIL && i != AF_ALT_EMAIL) {
		ERR(c, i, "%s is %ld characters long; at most %d are allowed",
		    afields[i].label, n, LIM_FIELD_CHARS);
		return -1;
	}
	return 1;
}

static int
local_char(int ch)
{
	return is_alpha(ch) || is_digit(ch) ||
	    (ch != '\0' && strchr("!#$%&'*+-/=?^_`{|}~.", ch) != NULL);
}

int
email_valid(const char *s)
{
	const char	*at, *p, *label;
	size_t		 len;

	if (s == NULL)
		return 0;
	len = strnlen(s, LIM_EMAIL_BYTES + 1);
	if (len == 0 || len > LIM_EMAIL_BYTES)
		return 0;
	if ((at = strchr(s, '@')) == NULL || strchr(at + 1, '@') != NULL)
		return 0;
	/* Local part: a dot-atom, no quoted strings. */
	if (at == s || at - s > EMAIL_LOCAL_MAX || s[0] == '.' ||
	    at[-1] == '.')
		return 0;
	for (p = s; p < at; p++)
		if (!local_char((unsigned char)*p) ||
		    (p[0] == '.' && p[1] == '.'))
			return 0;
	/* Domain: two or more labels; the last one starts with a letter. */
	label = at + 1;
	for (p = label;; p++) {
		if (*p == '.' || *p == '\0') {
			if (p == label || p - label > DOMAIN_LABEL_MAX ||
			    label[0] == '-' || p[-1] == '-')
				return 0;
			if (*p == '\0')
				break;
			label = p + 1;
		} else if (!is_alpha((unsigned char)*p) &&
		    !is_digit((unsigned char)*p) && *p != '-')
			return 0;
	}
	if (label == at + 1 || !is_alpha((unsigned char)label[0]) ||
	    p - label < 2)
		return 0;
	return 1;
}

/* Returns 1 if the address is valid (and lower-cases it), 0 if not. */
static int
check_email(struct ctx *c, struct account_form *f, enum afield i)
{
	if (strlen(f->v[i]) > LIM_EMAIL_BYTES) {
		ERR(c, i, "%s is longer than %d characters", afields[i].label,
		    LIM_EMAIL_BYTES);
		return 0;
	}
	if (!email_valid(f->v[i])) {
		ERR(c, i, "%s is not a valid email address (like "
		    "name@example.com)", afields[i].label);
		return 0;
	}
	email_lower(f->v[i], f->v[i], strlen(f->v[i]));
	return 1;
}

void
email_lower(char *out, const char *in, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		out[i] = to_lower((unsigned char)in[i]);
	out[n] = '\0';
}

static int
ssn_shaped(const char *s)
{
	return all_digits(s, 3) && s[3] == '-' && all_digits(s + 4, 2) &&
	    s[6] == '-' && all_digits(s + 7, 4);
}

static void
check_ein(struct ctx *c, struct account_form *f)
{
	const char	*s = f->v[AF_EIN];
	size_t		 len = strlen(s);
	char		 ein[11];

	if (len == 11 && ssn_shaped(s)) {
		/* not echoed: reports get logged */
		ERR(c, AF_EIN, "EIN has the shape of a Social Security Number "
		    "(###-##-####); an SSN must not be used: give the EIN as "
		    "##-####### or a CBP importer number");
		return;
	}
	if (len == 10 && all_digits(s, 2) && s[2] == '-' &&
	    all_digits(s + 3, 7))
		return;
	if (len != 9 || !all_digits(s, 9)) {
		ERR(c, AF_EIN, "EIN must be written ##-####### (nine digits)");
		return;
	}
	ein[0] = s[0];
	ein[1] = s[1];
	ein[2] = '-';
	memcpy(ein + 3, s + 2, 7);
	ein[10] = '\0';
	replace(c, f, AF_EIN, ein);
}

static void
check_importer(struct ctx *c, struct account_form *f)
{
	char	*s = f->v[AF_IMPORTER_NUMBER];
	size_t	 len = strlen(s);

	if ((len == 11 || (len == 13 && is_alnum((unsigned char)s[11]) &&
	    is_alnum((unsigned char)s[12]))) && ssn_shaped(s)) {
		ERR(c, AF_IMPORTER_NUMBER, "CBP importer number is based on a "
		    "Social Security Number (###-##-####XX); an SSN must not "
		    "be used: give an EIN or a CBP-assigned number");
		return;
	}
	/* CBP-assigned: ######-##### */
	if (len == 12 && all_digits(s, 6) && s[6] == '-' &&
	    all_digits(s + 7, 5))
		return;
	/* EIN-based: ##-####### and a 2-character suffix. */
	if (len == 12 && all_digits(s, 2) && s[2] == '-' &&
	    all_digits(s + 3, 7) &&
	    is_alnum((unsigned char)s[10]) && is_alnum((unsigned char)s[11])) {
		s[10] = to_upper((unsigned char)s[10]);
		s[11] = to_upper((unsigned char)s[11]);
		return;
	}
	ERR(c, AF_IMPORTER_NUMBER, "CBP importer number must be ######-##### "
	    "(CBP-assigned) or ##-#######XX (EIN-based, with its 2-character "
	    "suffix); an EIN alone goes in the EIN field");
}

/* Lower-case words of s, split at anything but a letter or digit and
 * between letters and digits, each with a space either side:
 * "P.O.Box12" gives " p o box 12 ". */
static void
words(const char *s, char *out, size_t outsz)
{
	size_t	 o = 0;
	int	 kind, prev = 0;	/* 0 other, 1 letter, 2 digit */
	int	 ch;

	out[o++] = ' ';
	for (; *s != '\0' && o + 3 < outsz; s++) {
		ch = (unsigned char)*s;
		kind = is_alpha(ch) ? 1 : is_digit(ch) ? 2 : 0;
		if (kind != prev && prev != 0)
			out[o++] = ' ';
		if (kind != 0)
			out[o++] = to_lower(ch);
		prev = kind;
	}
	if (prev != 0)
		out[o++] = ' ';
	out[o] = '\0';
}

static int
po_box(const char *s)
{
	static const char *const always[] = {
		" po box ", " p o box ", " post office box ", " postal box ",
		" post box ", " po drawer ", " p o drawer ",
		" post office drawer ", " pobox ",
	};
	static const char *const numbered[] = {
		" pob ", " p o b ", " apartado ",
	};
	char		 w[2 * LIM_FIELD_BYTES + 3];
	const char	*p;
	size_t		 i;

	words(s, w, sizeof(w));
	for (i = 0; i < sizeof(always) / sizeof(always[0]); i++)
		if (strstr(w, always[i]) != NULL)
			return 1;
	for (i = 0; i < sizeof(numbered) / sizeof(numbered[0]); i++)
		for (p = w; (p = strstr(p, numbered[i])) != NULL; p++)
			if (is_digit((unsigned char)p[strlen(numbered[i])]))
				return 1;
	return strncmp(w, " box ", 5) == 0 && is_digit((unsigned char)w[5]);
}

/* Does s start with the lower-case word w, in any case? */
static int
prefix_ci(const char *s, const char *w)
{
	for (; *w != '\0'; s++, w++)
		if (to_lower((unsigned char)*s) != *w)
			return 0;
	return 1;
}

static int
ends_with_ci(const char *s, size_t len, const char *suf)
{
	size_t	 n = strlen(suf), i;

	if (n > len)
		return 0;
	for (i = 0; i < n; i++)
		if (to_lower((unsigned char)s[len - n + i]) != suf[i])
			return 0;
	return 1;
}

/* Drops ", USA" and the like after the ZIP: the state code says it. */
static void
drop_country(char *s)
{
	static const char *const names[] = {
		"united states of america", "united states", "u.s.a.",
		"u.s.a", "usa", "u.s.", "u.s", "us",
	};
	size_t	 len = strlen(s), i, k;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!ends_with_ci(s, len, names[i]))
			continue;
		k = len - strlen(names[i]);
		if (k == 0 || (s[k - 1] != ' ' && s[k - 1] != ','))
			continue;
		while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == ','))
			k--;
		if (k > 0 && is_digit((unsigned char)s[k - 1]))
			s[k] = '\0';
		return;
	}
}

static int
is_sep(int ch)
{
	return ch == ' ' || ch == ',';
}

static void
check_address(struct ctx *c, struct account_form *f)
{
	char	*s = f->v[AF_ADDRESS];
	size_t	 len, i, k, nwords;
	int	 letter;

	if (po_box(s)) {
		ERR(c, AF_ADDRESS, "Address must be a street address, not a "
		    "P.O. box");
		return;
	}
	drop_country(s);
	len = strlen(s);
	/* ZIP (5 digits or ZIP+4) as the last word */
	if (len >= 10 && all_digits(s + len - 10, 5) && s[len - 5] == '-' &&
	    all_digits(s + len - 4, 4))
		i = len - 10;
	else if (len >= 5 && all_digits(s + len - 5, 5))
		i = len - 5;
	else
		goto bad;
	if (i == 0 || !is_sep((unsigned char)s[i - 1]))
		goto bad;
	while (i > 0 && is_sep((unsigned char)s[i - 1]))
		i--;
	/* two-letter state code as a word of its own */
	if (i < 3 || !is_alpha((unsigned char)s[i - 1]) ||
	    !is_alpha((unsigned char)s[i - 2]) ||
	    !is_sep((unsigned char)s[i - 3]))
		goto bad;
	s[i - 1] = to_upper((unsigned char)s[i - 1]);
	s[i - 2] = to_upper((unsigned char)s[i - 2]);
	for (k = 0; k < sizeof(states) / sizeof(states[0]); k++)
		if (memcmp(states[k], s + i - 2, 2) == 0)
			break;
	if (k == sizeof(states) / sizeof(states[0])) {
		ERR(c, AF_ADDRESS, "Address: %.2s is not a U.S. state or "
		    "territory code; end with the state code and ZIP, e.g. "
		    ADDRESS_EXAMPLE, s + i - 2);
		return;
	}
	/* a street and a city before the state: two words, one letter */
	nwords = 0;
	letter = 0;
	for (k = 0; k + 3 < i; k++) {
		if (!is_sep((unsigned char)s[k]) &&
		    (k == 0 || is_sep((unsigned char)s[k - 1])))
			nwords++;
		if (is_alpha((unsigned char)s[k]) ||
		    (unsigned char)s[k] >= 0x80)
			letter = 1;
	}
	if (nwords < 2 || !letter)
		goto bad;
	return;
bad:
	ERR(c, AF_ADDRESS, "Address must be a U.S. street address ending "
	    "with the state or territory code and ZIP code, e.g. "
	    ADDRESS_EXAMPLE);
}

/* Parses an extension ("x123", "ext. 123", "extension 123") into ext.
 * Returns 0, or -1. */
static int
phone_ext(const char *s, char *ext, size_t extsz)
{
	static const char *const exts[] = {
		"extension", "ext.", "ext", "x",
	};
	size_t	 i, n;

	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (prefix_ci(s, exts[i]))
			break;
	if (i == sizeof(exts) / sizeof(exts[0]))
		return -1;
	s += strlen(exts[i]);
	while (*s == ' ' || *s == '.')
		s++;
	n = strlen(s);
	if (n == 0 || n > PHONE_EXT_MAX || n >= extsz || !all_digits(s, n))
		return -1;
	memcpy(ext, s, n + 1);
	return 0;
}

static void
check_phone(struct ctx *c, struct account_form *f)
{
	const char	*s = f->v[AF_PHONE], *p;
	char		 d[PHONE_INTL_MAX + 1], ext[PHONE_EXT_MAX + 1];
	char		 out[64];
	size_t		 nd = 0;
	int		 plus = 0, n;

	ext[0] = '\0';
	if (*s == '+') {
		plus = 1;
		s++;
	}
	for (p = s; *p != '\0' && !is_alpha((unsigned char)*p); p++) {
		if (is_digit((unsigned char)*p)) {
			if (nd == PHONE_INTL_MAX)
				goto bad;
			d[nd++] = *p;
		} else if (strchr(" -.()/,", *p) == NULL)
			goto bad;
	}
	if (*p != '\0' && phone_ext(p, ext, sizeof(ext)) == -1)
		goto bad;
	if (nd == 0)
		goto bad;
	if (plus && d[0] != '1') {
		if (nd < PHONE_INTL_MIN)
			goto bad;
		n = snprintf(out, sizeof(out), "+%.*s%s%s", (int)nd, d,
		    ext[0] ? " x" : "", ext);
		goto store;
	}
	/* a leading 1 is the U.S. country code, required after + */
	if (nd == 11 && d[0] == '1') {
		memmove(d, d + 1, 10);
		nd = 10;
	} else if (plus)
		goto bad;
	if (nd != 10)
		goto bad;
	if (d[0] < '2' || d[3] < '2') {
		ERR(c, AF_PHONE, "Phone: U.S. area codes and exchanges do not "
		    "start with 0 or 1");
		return;
	}
	n = snprintf(out, sizeof(out), "%.3s-%.3s-%.4s%s%s", d, d + 3,
	    d + 6, ext[0] ? " x" : "", ext);
store:
	if (n < 0 || (size_t)n >= sizeof(out))
		goto bad;
	replace(c, f, AF_PHONE, out);
	return;
bad:
	ERR(c, AF_PHONE, "Phone must be a U.S. number with area code, e.g. "
	    "555-555-1234 or (555) 555-1234 x123; numbers outside the U.S. "
	    "start with + and the country code");
}

size_t
account_check(struct account_form *f, struct report *rep)
{
	static const enum afield required[] = {
		AF_EMAIL, AF_COMPANY_NAME, AF_ADDRESS, AF_PHONE,
		AF_CONTACT_NAME,
	};
	struct ctx	 c;
	int		 has[AF__MAX], email_ok = 0, alt_ok;
	size_t		 i;

	c.rep = rep;
	c.n = 0;
	for (i = 0; i < AF__MAX; i++)
		has[i] = text_value(&c, f, i);
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (has[required[i]] == 0)
			ERR(&c, required[i], "%s is required",
			    afields[required[i]].label);

	if (has[AF_EMAIL] == 1)
		email_ok = check_email(&c, f, AF_EMAIL);
	if (has[AF_ALT_EMAIL] == 1) {
		alt_ok = check_email(&c, f, AF_ALT_EMAIL);
		if (alt_ok && email_ok &&
		    strcmp(f->v[AF_EMAIL], f->v[AF_ALT_EMAIL]) == 0)
			ERR(&c, AF_ALT_EMAIL, "Alternate email must differ "
			    "from the primary email address");
	}

	/* exactly one of EIN and importer number */
	if (has[AF_EIN] == 0 && has[AF_IMPORTER_NUMBER] == 0)
		ERR(&c, AF_EIN, "Give an EIN (##-#######) or a CBP importer "
		    "number");
	if (has[AF_EIN] == 1 && has[AF_IMPORTER_NUMBER] == 1)
		ERR(&c, AF_IMPORTER_NUMBER, "Give either an EIN or a CBP "
		    "importer number, not both");
	if (has[AF_EIN] == 1)
		check_ein(&c, f);
	if (has[AF_IMPORTER_NUMBER] == 1)
		check_importer(&c, f);

	if (has[AF_ADDRESS] == 1)
		check_address(&c, f);
	if (has[AF_PHONE] == 1)
		check_phone(&c, f);
	return c.n;
}

int
password_check(const char *pw, struct report *rep)
{
	static const char *const names[4] = {
		"lowercase letter", "uppercase letter", "digit", "symbol",
	};
	const unsigned char	*p;
	char			 miss[128];
	size_t			 len, off;
	long			 n;
	int			 has[4] = { 0, 0, 0, 0 };
	int			 i, k, nmiss, rc = 0;

	if (pw == NULL || *pw == '\0') {
		report_error(rep, 0, "password", "Password is required");
		return -1;
	}
	len = strnlen(pw, LIM_PASSWORD_BYTES + 1);
	if (len > LIM_PASSWORD_BYTES) {
		report_error(rep, 0, "password", "Password is longer than %d "
		    "characters", PASSWORD_MAX_CHARS);
		return -1;
	}
	if ((n = utf8_count(pw, len)) == -1) {
		report_error(rep, 0, "password", "Password is not valid "
		    "UTF-8 text");
		return -1;
	}
	if (has_control(pw)) {
		report_error(rep, 0, "password", "Password must not contain "
		    "control characters");
		return -1;
	}
	if (n < PASSWORD_MIN_CHARS || n > PASSWORD_MAX_CHARS) {
		report_error(rep, 0, "password", "Password must be %d to %d "
		    "characters long; it has %ld", PASSWORD_MIN_CHARS,
		    PASSWORD_MAX_CHARS, n);
		rc = -1;
	}
	/* anything not an ASCII letter or digit is a symbol */
	for (p = (const unsigned char *)pw; *p != '\0'; p++) {
		if (*p >= 'a' && *p <= 'z')
			has[0] = 1;
		else if (*p >= 'A' && *p <= 'Z')
			has[1] = 1;
		else if (is_digit(*p))
			has[2] = 1;
		else
			has[3] = 1;
	}
	if (has[0] + has[1] + has[2] + has[3] >= 3)
		return rc;
	nmiss = 4 - (has[0] + has[1] + has[2] + has[3]);
	off = 0;
	miss[0] = '\0';
	for (i = 0, k = 0; i < 4 && off < sizeof(miss); i++) {
		if (has[i])
			continue;
		off += snprintf(miss + off, sizeof(miss) - off, "%sno %s",
		    k == 0 ? "" : k == nmiss - 1 ? " and " : ", ", names[i]);
		k++;
	}
	report_error(rep, 0, "password", "Password must contain three of: "
	    "lowercase letter, uppercase letter, digit, symbol; it has %s",
	    miss);
	return -1;
}

void
account_form_clear(struct account_form *f)
{
	size_t	 i;

	for (i = 0; i < AF__MAX; i++) {
		free(f->v[i]);
		f->v[i] = NULL;
	}
}
