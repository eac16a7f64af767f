/*
 * Account rules and password hashes: each rule on both sides of its
 * boundary, the normal forms stored, and hashes that verify only the
 * right password.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forms/account.h"
#include "lib/limits.h"
#include "lib/pwhash.h"
#include "tests.h"

/* U+00E9: 2 bytes, 1 character */
#define E_ACUTE		"\xc3\xa9"

static const char *const good[AF__MAX] = {
	[AF_EMAIL] = "buyer@example.com",
	[AF_COMPANY_NAME] = "Acme Aluminum Imports LLC",
	[AF_EIN] = "12-3456789",
	[AF_ADDRESS] = "1200 Main St, Springfield, IL 62701",
	[AF_PHONE] = "555-555-1234",
	[AF_CONTACT_NAME] = "Pat Smith",
};

static void
fill(struct account_form *f)
{
	int	 i;

	for (i = 0; i < AF__MAX; i++) {
		f->v[i] = NULL;
		if (good[i] != NULL)
			ck_assert_ptr_nonnull(f->v[i] = strdup(good[i]));
	}
}

static void
put(struct account_form *f, enum afield i, const char *val)
{
	free(f->v[i]);
	f->v[i] = NULL;
	if (val != NULL)
		ck_assert_ptr_nonnull(f->v[i] = strdup(val));
}

static const char *
message(const struct report *r, const char *field)
{
	size_t	 i;

	for (i = 0; i < r->nerrors; i++)
		if (strcmp(r->errors[i].field, field) == 0)
			return r->errors[i].message;
	return NULL;
}

/*
 * Checks the good form with field i set to val.  want NULL: an error
 * on that field and no other, else the message (if msg) contains msg.
 * Otherwise: no error, and the stored value is want.
 */
static void
try(enum afield i, const char *val, const char *want, const char *msg)
{
	struct account_form	 f;
	struct report		 r;
	size_t			 n;
	const char		*m;

	fill(&f);
	put(&f, i, val);
	report_init(&r);
	n = account_check(&f, &r);
	ck_assert_uint_eq(n, r.nerrors);
	if (want != NULL) {
		ck_assert_msg(n == 0, "%s \"%s\": unexpected error: %s",
		    afields[i].name, val, n ? r.errors[0].message : "");
		ck_assert_str_eq(f.v[i], want);
	} else {
		ck_assert_msg(n == 1 && report_has_error(&r, afields[i].name),
		    "%s \"%s\": %zu errors, first on %s", afields[i].name,
		    val, n, n ? r.errors[0].field : "-");
		m = message(&r, afields[i].name);
		if (msg != NULL)
			ck_assert_msg(strstr(m, msg) != NULL,
			    "%s \"%s\": message \"%s\" lacks \"%s\"",
			    afields[i].name, val, m, msg);
	}
	report_free(&r);
	account_form_clear(&f);
}

/* n copies of the string unit. */
static char *
repeat(const char *unit, size_t n)
{
	size_t	 len = strlen(unit), i;
	char	*s;

	ck_assert_ptr_nonnull(s = malloc(len * n + 1));
	for (i = 0; i < n; i++)
		memcpy(s + i * len, unit, len);
	s[len * n] = '\0';
	return s;
}

START_TEST(test_good_form)
{
	struct account_form	 f;
	struct report		 r;

	fill(&f);
	put(&f, AF_EMAIL, "  Buyer@Example.COM\t");
	put(&f, AF_ALT_EMAIL, "Backup@Example.com");
	put(&f, AF_COMPANY_NAME, "  Acme \n Aluminum   Imports LLC ");
	put(&f, AF_EIN, " 123456789 ");
	put(&f, AF_ADDRESS, "1200 Main St\r\nSpringfield, il 62701-1234");
	put(&f, AF_PHONE, "(555) 555-1234 ext. 77");
	put(&f, AF_CONTACT_NAME, " Ren" E_ACUTE "e Smith ");
	report_init(&r);
	ck_assert_uint_eq(account_check(&f, &r), 0);
	ck_assert_uint_eq(r.nerrors, 0);
	ck_assert_str_eq(f.v[AF_EMAIL], "buyer@example.com");
	ck_assert_str_eq(f.v[AF_ALT_EMAIL], "backup@example.com");
	ck_assert_str_eq(f.v[AF_COMPANY_NAME], "Acme Aluminum Imports LLC");
	ck_assert_str_eq(f.v[AF_EIN], "12-3456789");
	ck_assert_str_eq(f.v[AF_ADDRESS],
	    "1200 Main St Springfield, IL 62701-1234");
	ck_assert_str_eq(f.v[AF_PHONE], "555-555-1234 x77");
	ck_assert_str_eq(f.v[AF_CONTACT_NAME], "Ren" E_ACUTE "e Smith");
	report_free(&r);
	account_form_clear(&f);
	for (int i = 0; i < AF__MAX; i++)
		ck_assert_ptr_null(f.v[i]);
}
END_TEST

START_TEST(test_fields_table)
{
	static const char *const names[AF__MAX] = {
		"email", "alt_email", "company_name", "ein",
		"importer_number", "address", "phone", "contact_name",
	};
	int	 i;

	for (i = 0; i < AF__MAX; i++) {
		ck_assert_str_eq(afields[i].name, names[i]);
		ck_assert_ptr_nonnull(afields[i].label);
		ck_assert_ptr_nonnull(afields[i].help);
		ck_assert_uint_gt(strlen(afields[i].help), 10);
	}
}
END_TEST

START_TEST(test_required)
{
	static const enum afield req[] = {
		AF_EMAIL, AF_COMPANY_NAME, AF_ADDRESS, AF_PHONE,
		AF_CONTACT_NAME,
	};
	struct account_form	 f;
	struct report		 r;
	size_t			 i;

	for (i = 0; i < sizeof(req) / sizeof(req[0]); i++) {
		try(req[i], NULL, NULL, "required");
		try(req[i], "", NULL, "required");
		try(req[i], " \t\r\n ", NULL, "required");
	}
	/* the optional alternate email: the good form has none */
	fill(&f);
	ck_assert_ptr_null(f.v[AF_ALT_EMAIL]);
	report_init(&r);
	ck_assert_uint_eq(account_check(&f, &r), 0);
	report_free(&r);
	account_form_clear(&f);
	try(AF_ALT_EMAIL, "  ", "", NULL);

	/* an empty form: one error per required field plus the EIN rule */
	memset(&f, 0, sizeof(f));
	report_init(&r);
	ck_assert_uint_eq(account_check(&f, &r), 6);
	for (i = 0; i < sizeof(req) / sizeof(req[0]); i++)
		ck_assert(report_has_error(&r, afields[req[i]].name));
	ck_assert(report_has_error(&r, "ein"));
	report_free(&r);
}
END_TEST

/* An address of n bytes: "a@", labels of 50 letters, ".com". */
static void
make_addr(char *buf, size_t n)
{
	size_t	 j;

	memcpy(buf, "a@", 2);
	for (j = 0; j < n - 6; j++)
		buf[2 + j] = j % 51 == 50 ? '.' : 'b';
	memcpy(buf + n - 4, ".com", 5);
}

START_TEST(test_email_valid)
{
	static const char *const yes[] = {
		"a@b.co", "first.last@example.com", "x+tag@sub.example.org",
		"o'brien@example.ie", "A_B-C@EXAMPLE.COM", "1@123.example.com",
		"u@xn--bcher-kva.example",
	};
	static const char *const no[] = {
		"", "plain", "@example.com", "a@", "a@b", "a@b.", "a@.com",
		"a@b..com", "a b@example.com", "a@exa mple.com",
		"a@@example.com", "a@b@example.com", ".a@example.com",
		"a.@example.com", "a..b@example.com", "a@-b.com",
		"a@b-.com", "a@b.c", "a@b.123", "a@exam_ple.com",
		"a\"b@example.com", "a@example.com.",
		"r" E_ACUTE "@example.com",
	};
	char	*local, addr[LIM_EMAIL_BYTES + 2];
	size_t	 i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		ck_assert_msg(email_valid(yes[i]), "refused %s", yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		ck_assert_msg(!email_valid(no[i]), "accepted %s", no[i]);
	ck_assert(!email_valid(NULL));

	/* local part: 64 characters, not 65 */
	local = repeat("a", 64);
	snprintf(addr, sizeof(addr), "%s@example.com", local);
	ck_assert(email_valid(addr));
	free(local);
	local = repeat("a", 65);
	snprintf(addr, sizeof(addr), "%s@example.com", local);
	ck_assert(!email_valid(addr));
	free(local);

	/* whole address: 254 bytes, not 255 */
	make_addr(addr, LIM_EMAIL_BYTES);
	ck_assert_uint_eq(strlen(addr), LIM_EMAIL_BYTES);
	ck_assert(email_valid(addr));
	try(AF_EMAIL, addr, addr, NULL);
	make_addr(addr, LIM_EMAIL_BYTES + 1);
	ck_assert_uint_eq(strlen(addr), LIM_EMAIL_BYTES + 1);
	ck_assert(!email_valid(addr));
	try(AF_EMAIL, addr, NULL, "longer than 254");
}
END_TEST

START_TEST(test_email_fields)
{
	try(AF_EMAIL, " Pat@Example.Com ", "pat@example.com", NULL);
	try(AF_EMAIL, "pat@example", NULL, "valid email");
	try(AF_ALT_EMAIL, "other@example.com", "other@example.com", NULL);
	try(AF_ALT_EMAIL, "other@", NULL, "valid email");
	/* same as the primary, whatever the case */
	try(AF_ALT_EMAIL, "BUYER@example.com", NULL, "differ");
	try(AF_ALT_EMAIL, "buyer@example.com", NULL, "differ");
}
END_TEST

START_TEST(test_text_lengths)
{
	static const enum afield text[] = {
		AF_COMPANY_NAME, AF_CONTACT_NAME,
	};
	char	*s, addr[LIM_FIELD_CHARS + 8];
	size_t	 i;

	for (i = 0; i < 2; i++) {
		s = repeat("x", LIM_FIELD_CHARS);
		try(text[i], s, s, NULL);
		free(s);
		s = repeat("x", LIM_FIELD_CHARS + 1);
		try(text[i], s, NULL, "at most 200");
		free(s);
		/* 200 two-byte characters are 400 bytes but fit */
		s = repeat(E_ACUTE, LIM_FIELD_CHARS);
		try(text[i], s, s, NULL);
		free(s);
		s = repeat(E_ACUTE, LIM_FIELD_CHARS + 1);
		try(text[i], s, NULL, "at most 200");
		free(s);
		/* 4-byte characters up to the byte limit, and past it */
		s = repeat("\xf0\x9f\x98\x80", LIM_FIELD_CHARS);
		try(text[i], s, s, NULL);
		free(s);
		s = repeat(" ", LIM_FIELD_BYTES + 1);
		try(text[i], s, NULL, "longer than");
		free(s);
		try(text[i], "Acme \xff Corp", NULL, "UTF-8");
		try(text[i], "Acme \xc0\xaf Corp", NULL, "UTF-8");
		try(text[i], "Acme \xed\xa0\x80 Corp", NULL, "UTF-8");
		try(text[i], "Acme \xc3", NULL, "UTF-8");
		try(text[i], "Acme\x01 Corp", NULL, "control");
		try(text[i], "Acme\x7f Corp", NULL, "control");
	}
	/* an address of 201 characters is refused before its format */
	s = repeat("a", 176);
	snprintf(addr, sizeof(addr), "1 %.*s, Springfield, IL 62701", 175, s);
	ck_assert_uint_eq(strlen(addr), LIM_FIELD_CHARS);
	try(AF_ADDRESS, addr, addr, NULL);
	snprintf(addr, sizeof(addr), "1 %s, Springfield, IL 62701", s);
	try(AF_ADDRESS, addr, NULL, "at most 200");
	free(s);
}
END_TEST

static void
try_id(const char *ein, const char *imp, enum afield bad, const char *want,
    const char *msg)
{
	struct account_form	 f;
	struct report		 r;
	size_t			 n;

	fill(&f);
	put(&f, AF_EIN, ein);
	put(&f, AF_IMPORTER_NUMBER, imp);
	report_init(&r);
	n = account_check(&f, &r);
	if (want != NULL) {
		ck_assert_msg(n == 0, "%s/%s: %s", ein, imp,
		    n ? r.errors[0].message : "");
		ck_assert_str_eq(f.v[ein != NULL ? AF_EIN : AF_IMPORTER_NUMBER],
		    want);
	} else {
		ck_assert_msg(n == 1 && report_has_error(&r, afields[bad].name),
		    "%s/%s: %zu errors", ein, imp, n);
		if (msg != NULL)
			ck_assert_ptr_nonnull(strstr(r.errors[0].message, msg));
	}
	report_free(&r);
	account_form_clear(&f);
}

START_TEST(test_ein)
{
	try_id("12-3456789", NULL, 0, "12-3456789", NULL);
	try_id("123456789", NULL, 0, "12-3456789", NULL);
	try_id(" 98-7654321 ", NULL, 0, "98-7654321", NULL);
	try_id("12-345678", NULL, AF_EIN, NULL, "##-#######");
	try_id("12-34567890", NULL, AF_EIN, NULL, "##-#######");
	try_id("12345678", NULL, AF_EIN, NULL, "##-#######");
	try_id("1234567890", NULL, AF_EIN, NULL, "##-#######");
	try_id("123-456789", NULL, AF_EIN, NULL, "##-#######");
	try_id("12 3456789", NULL, AF_EIN, NULL, "##-#######");
	try_id("AB-CDEFGHI", NULL, AF_EIN, NULL, "##-#######");
	try_id("123-45-6789", NULL, AF_EIN, NULL, "SSN must not be used");
	try_id("123-45-6789", NULL, AF_EIN, NULL, "Social Security");
	/* neither, both */
	try_id(NULL, NULL, AF_EIN, NULL, "importer number");
	try_id("  ", "", AF_EIN, NULL, "importer number");
	try_id("12-3456789", "123456-12345", AF_IMPORTER_NUMBER, NULL,
	    "not both");
}
END_TEST

START_TEST(test_importer_number)
{
	try_id(NULL, "123456-12345", 0, "123456-12345", NULL);
	try_id(NULL, "12-3456789AB", 0, "12-3456789AB", NULL);
	try_id(NULL, "12-3456789ab", 0, "12-3456789AB", NULL);
	try_id(NULL, "12-345678900", 0, "12-345678900", NULL);
	try_id(NULL, "12-3456789", AF_IMPORTER_NUMBER, NULL, "######-#####");
	try_id(NULL, "12345612345", AF_IMPORTER_NUMBER, NULL, NULL);
	try_id(NULL, "123456-1234", AF_IMPORTER_NUMBER, NULL, NULL);
	try_id(NULL, "1234567-12345", AF_IMPORTER_NUMBER, NULL, NULL);
	try_id(NULL, "12-3456789A", AF_IMPORTER_NUMBER, NULL, NULL);
	try_id(NULL, "12-3456789A-", AF_IMPORTER_NUMBER, NULL, NULL);
	try_id(NULL, "123-45-6789", AF_IMPORTER_NUMBER, NULL,
	    "SSN must not be used");
	try_id(NULL, "123-45-678900", AF_IMPORTER_NUMBER, NULL,
	    "SSN must not be used");
	try_id(NULL, "123-45-6789AB", AF_IMPORTER_NUMBER, NULL,
	    "SSN must not be used");
}
END_TEST

START_TEST(test_po_box)
{
	static const char *const box[] = {
		"PO Box 123, Springfield, IL 62701",
		"P.O. Box 123, Springfield, IL 62701",
		"p.o. box 123, Springfield, IL 62701",
		"P O Box 123, Springfield, IL 62701",
		"P. O. Box 123, Springfield, IL 62701",
		"P.O.Box 123, Springfield, IL 62701",
		"PO BOX #123, Springfield, IL 62701",
		"PO Box123, Springfield, IL 62701",
		"Po-Box 123, Springfield, IL 62701",
		"POBox 123, Springfield, IL 62701",
		"POBOX123, Springfield, IL 62701",
		"Post Office Box 123, Springfield, IL 62701",
		"post-office box 123, Springfield, IL 62701",
		"Postal Box 123, Springfield, IL 62701",
		"Post Box 123, Springfield, IL 62701",
		"POB 123, Springfield, IL 62701",
		"P.O.B. 123, Springfield, IL 62701",
		"Box 123, Springfield, IL 62701",
		"box #123, Springfield, IL 62701",
		"BOX 5 Springfield IL 62701",
		"PO Drawer 9, Springfield, IL 62701",
		"Acme Inc, PO Box 7, Springfield, IL 62701",
		"Apartado 123, San Juan, PR 00902",
		/* decision: "pobox" is only ever a box */
		"12 Pobox Street, Springfield, IL 62701",
	};
	static const char *const street[] = {
		"1 Boxwood Lane, Springfield, IL 62701",
		"Box Elder Rd, Brigham City, UT 84302",
		"1 Box Elder Rd, Brigham City, UT 84302",
		"RR 2 Box 15, Springfield, IL 62701",
		"12 Boxer Ave, Springfield, IL 62701",
		"7 Pope Blvd, Springfield, IL 62701",
		"1 Post Office Square, Boston, MA 02109",
		"44 Tempo Box Court, Springfield, IL 62701",
		"5 Jacob Street, Springfield, IL 62701",
		"9 Pob Hill, Springfield, IL 62701",
	};
	size_t	 i;

	for (i = 0; i < sizeof(box) / sizeof(box[0]); i++)
		try(AF_ADDRESS, box[i], NULL, "not a P.O. box");
	for (i = 0; i < sizeof(street) / sizeof(street[0]); i++)
		try(AF_ADDRESS, street[i], street[i], NULL);
}
END_TEST

START_TEST(test_address)
{
	const char	*eg = "1200 Main St, Springfield, IL 62701";

	try(AF_ADDRESS, eg, eg, NULL);
	try(AF_ADDRESS, "1200 Main St Springfield IL 62701",
	    "1200 Main St Springfield IL 62701", NULL);
	try(AF_ADDRESS, "1200 Main St, Springfield, IL, 62701-0001",
	    "1200 Main St, Springfield, IL, 62701-0001", NULL);
	try(AF_ADDRESS, "1200 Main St, Springfield, il 62701", eg, NULL);
	try(AF_ADDRESS, "1200 Main St, Springfield, IL 62701, USA", eg,
	    NULL);
	try(AF_ADDRESS, "1200 Main St, Springfield, IL 62701 U.S.A.", eg,
	    NULL);
	try(AF_ADDRESS, "1200 Main St, Springfield, IL 62701, United States",
	    eg, NULL);
	try(AF_ADDRESS, "1 Calle Sol, San Juan, PR 00901",
	    "1 Calle Sol, San Juan, PR 00901", NULL);
	try(AF_ADDRESS, "1 Marine Dr, Hagatna, GU 96910",
	    "1 Marine Dr, Hagatna, GU 96910", NULL);
	try(AF_ADDRESS, "1600 Pennsylvania Ave NW, Washington, DC 20500",
	    "1600 Pennsylvania Ave NW, Washington, DC 20500", NULL);
	try(AF_ADDRESS, "One Microsoft Way, Redmond, WA 98052",
	    "One Microsoft Way, Redmond, WA 98052", NULL);

	/* ZIP: 5 or 5+4 digits, a word of its own */
	try(AF_ADDRESS, "1200 Main St, Springfield, IL 6270", NULL, eg);
	try(AF_ADDRESS, "1200 Main St, Springfield, IL 627011", NULL, eg);
	try(AF_ADDRESS, "1200 Main St, Springfield, IL 62701-123", NULL, eg);
	try(AF_ADDRESS, "1200 Main St, Springfield, IL62701", NULL, eg);
	try(AF_ADDRESS, "1200 Main St, Springfield, IL", NULL, eg);
	try(AF_ADDRESS, "1200 Main St, Springfield, 62701", NULL, eg);
	try(AF_ADDRESS, "1200 Main St, Springfield, Illinois 62701", NULL,
	    eg);
	/* state: a known 2-letter code */
	try(AF_ADDRESS, "1200 Main St, Springfield, ZZ 62701", NULL,
	    "ZZ is not a U.S. state");
	try(AF_ADDRESS, "12 Rue X, Paris, FR 75001", NULL, "not a U.S.");
	try(AF_ADDRESS, "1200 Main St, Springfield, I 62701", NULL, eg);
	/* a street and a city before it */
	try(AF_ADDRESS, "Springfield, IL 62701", NULL, eg);
	try(AF_ADDRESS, "IL 62701", NULL, eg);
	try(AF_ADDRESS, "12 34, IL 62701", NULL, eg);
	try(AF_ADDRESS, "10 Downing Street, London SW1A 2AA", NULL, eg);
}
END_TEST

START_TEST(test_phone)
{
	static const struct {
		const char	*in, *out;
	} ok[] = {
		{ "555-555-1234", "555-555-1234" },
		{ "(555) 555-1234", "555-555-1234" },
		{ "(555)555-1234", "555-555-1234" },
		{ "555.555.1234", "555-555-1234" },
		{ "5555551234", "555-555-1234" },
		{ "+1 555 555 1234", "555-555-1234" },
		{ "+1 (555) 555-1234", "555-555-1234" },
		{ "1-555-555-1234", "555-555-1234" },
		{ "15555551234", "555-555-1234" },
		{ "555-555-1234 x123", "555-555-1234 x123" },
		{ "555-555-1234x1", "555-555-1234 x1" },
		{ "555-555-1234 X 123456", "555-555-1234 x123456" },
		{ "555-555-1234 ext. 42", "555-555-1234 x42" },
		{ "555-555-1234, Ext 42", "555-555-1234 x42" },
		{ "555-555-1234 extension 42", "555-555-1234 x42" },
		{ "+44 20 7946 0958", "+442079460958" },
		{ "+49 30 1234567 x5", "+49301234567 x5" },
		{ "+44 1234 56", "+44123456" },		/* 8 digits */
		{ "+44 1234 5678 9012 3", "+441234567890123" },	/* 15 */
	};
	static const char *const bad[] = {
		"555-555-123",		/* 9 digits */
		"555-555-12345",	/* 11, not a leading 1 */
		"2555-555-1234",
		"055-555-1234",		/* area code 0xx */
		"155-555-1234",
		"555-155-1234",		/* exchange 1xx */
		"555-055-1234",
		"555-555-1234 x",
		"555-555-1234 x1234567",	/* extension of 7 digits */
		"555-555-1234 x12a",
		"555-555-1234 ext",
		"555-555-CALL",
		"555_555_1234",
		"+1 555 555 123",	/* +1 needs ten more digits */
		"+44 1234 5",		/* 7 digits: too short */
		"+44 1234 5678 9012 34",	/* 16 digits */
		"++1 555 555 1234",
		"555-555-1234+",
		"phone",
	};
	size_t	 i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		try(AF_PHONE, ok[i].in, ok[i].out, NULL);
	try(AF_PHONE, "+1 234 5678", NULL, "555-555-1234");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		try(AF_PHONE, bad[i], NULL, NULL);
	try(AF_PHONE, "055-555-1234", NULL, "0 or 1");
	try(AF_PHONE, "555-555-123", NULL, "555-555-1234");
}
END_TEST

static const char *
pw_error(const char *pw)
{
	static char	 msg[512];
	struct report	 r;
	int		 rc;

	report_init(&r);
	rc = password_check(pw, &r);
	ck_assert_int_eq(rc == 0, r.nerrors == 0);
	msg[0] = '\0';
	if (r.nerrors > 0) {
		ck_assert_str_eq(r.errors[0].field, "password");
		snprintf(msg, sizeof(msg), "%s", r.errors[0].message);
	}
	report_free(&r);
	return rc == 0 ? NULL : msg;
}

START_TEST(test_password_length)
{
	char		*s;
	const char	*m;

	ck_assert_ptr_null(pw_error("Abcdef1!"));		/* 8 */
	ck_assert_ptr_nonnull(m = pw_error("Abcde1!"));		/* 7 */
	ck_assert_ptr_nonnull(strstr(m, "8 to 64"));
	/* multibyte: 8 characters in 9 bytes pass, 7 in 8 bytes do not */
	ck_assert_ptr_null(pw_error("Abcdef1" E_ACUTE));
	ck_assert_ptr_nonnull(pw_error("Abcde1" E_ACUTE));
	ck_assert_ptr_nonnull(pw_error("Ab1" "\xf0\x9f\x98\x80"
	    "\xf0\x9f\x98\x80" "\xf0\x9f\x98\x80" "\xf0\x9f\x98\x80"));

	/* 64 and 65 characters, ASCII and two-byte */
	s = repeat("aB1!", 16);
	ck_assert_ptr_null(pw_error(s));
	free(s);
	s = repeat("aB1!", 16);
	ck_assert_ptr_nonnull(s = realloc(s, 66));
	memcpy(s + 64, "x", 2);
	ck_assert_ptr_nonnull(m = pw_error(s));
	ck_assert_ptr_nonnull(strstr(m, "it has 65"));
	free(s);
	s = repeat("aB1" E_ACUTE, 16);		/* 64 chars, 80 bytes */
	ck_assert_ptr_null(pw_error(s));
	free(s);
	s = repeat(E_ACUTE, 65);
	ck_assert_ptr_nonnull(pw_error(s));
	free(s);
	/* four-byte characters: 64 pass, 65 do not (251 bytes) */
	s = repeat("\xf0\x9f\x98\x80", 62);
	ck_assert_ptr_nonnull(s = realloc(s, 62 * 4 + 4));
	memcpy(s + 62 * 4, "aB1", 4);
	ck_assert_uint_lt(strlen(s), LIM_PASSWORD_BYTES);
	ck_assert_ptr_nonnull(m = pw_error(s));
	ck_assert_ptr_nonnull(strstr(m, "it has 65"));
	ck_assert_ptr_null(pw_error(s + 4));
	free(s);
	s = repeat("a", LIM_PASSWORD_BYTES + 1);
	ck_assert_ptr_nonnull(pw_error(s));
	free(s);

	ck_assert_ptr_nonnull(m = pw_error(""));
	ck_assert_ptr_nonnull(strstr(m, "required"));
	ck_assert_ptr_nonnull(pw_error(NULL));
	ck_assert_ptr_nonnull(pw_error("Abcdefg1\xff"));
	ck_assert_ptr_nonnull(pw_error("Abcdefg1\n"));
}
END_TEST

START_TEST(test_password_classes)
{
	const char	*m;

	/* three of four, each combination */
	ck_assert_ptr_null(pw_error("abcdefG1"));
	ck_assert_ptr_null(pw_error("abcdefG!"));
	ck_assert_ptr_null(pw_error("abcdef1!"));
	ck_assert_ptr_null(pw_error("ABCDEF1!"));
	ck_assert_ptr_null(pw_error("abc DEF 12"));	/* space: a symbol */
	/* so is U+00E9 */
	ck_assert_ptr_null(pw_error("abcdEFG" E_ACUTE));

	/* two of four: the message names exactly what is missing */
	ck_assert_ptr_nonnull(m = pw_error("abcdefg1"));
	ck_assert_ptr_nonnull(strstr(m, "no uppercase letter and no symbol"));
	ck_assert_ptr_null(strstr(m, "no digit"));
	ck_assert_ptr_null(strstr(m, "no lowercase"));
	ck_assert_ptr_nonnull(m = pw_error("ABCDEFG!"));
	ck_assert_ptr_nonnull(strstr(m, "no lowercase letter and no digit"));
	ck_assert_ptr_nonnull(m = pw_error("abcdEFGH"));
	ck_assert_ptr_nonnull(strstr(m, "no digit and no symbol"));
	ck_assert_ptr_nonnull(m = pw_error("12345678!"));
	ck_assert_ptr_nonnull(strstr(m,
	    "no lowercase letter and no uppercase letter"));
	/* one of four */
	ck_assert_ptr_nonnull(m = pw_error("abcdefghij"));
	ck_assert_ptr_nonnull(strstr(m,
	    "no uppercase letter, no digit and no symbol"));
	ck_assert_ptr_nonnull(m = pw_error("12345678"));
	ck_assert_ptr_nonnull(strstr(m,
	    "no lowercase letter, no uppercase letter and no symbol"));
}
END_TEST

START_TEST(test_pwhash)
{
	char	 h1[PWHASH_ENCODED_MAX], h2[PWHASH_ENCODED_MAX], *s;
	char	 small[64];

	ck_assert_int_eq(pwhash_make("Correct horse 1", h1, sizeof(h1)), 0);
	ck_assert_int_eq(strncmp(h1, "$argon2id$v=19$m=19456,t=2,p=1$", 31),
	    0);
	ck_assert_int_eq(pwhash_verify(h1, "Correct horse 1"), 1);
	ck_assert_int_eq(pwhash_verify(h1, "Correct horse 2"), 0);
	ck_assert_int_eq(pwhash_verify(h1, "correct horse 1"), 0);
	ck_assert_int_eq(pwhash_verify(h1, ""), 0);
	ck_assert_int_eq(pwhash_verify(h1, NULL), 0);
	/* a fresh salt each time */
	ck_assert_int_eq(pwhash_make("Correct horse 1", h2, sizeof(h2)), 0);
	ck_assert_str_ne(h1, h2);

	/* passwords up to LIM_PASSWORD_BYTES, not past */
	s = repeat("p", LIM_PASSWORD_BYTES);
	ck_assert_int_eq(pwhash_make(s, h2, sizeof(h2)), 0);
	ck_assert_int_eq(pwhash_verify(h2, s), 1);
	free(s);
	s = repeat("p", LIM_PASSWORD_BYTES + 1);
	ck_assert_int_eq(pwhash_make(s, h2, sizeof(h2)), -1);
	ck_assert_str_eq(h2, "");
	ck_assert_int_eq(pwhash_verify(h1, s), 0);
	free(s);
	ck_assert_int_eq(pwhash_make("Correct horse 1", small, sizeof(small)),
	    -1);
	ck_assert_int_eq(pwhash_make(NULL, h2, sizeof(h2)), -1);
}
END_TEST

START_TEST(test_pwhash_garbage)
{
	char	 h[PWHASH_ENCODED_MAX], bad[PWHASH_ENCODED_MAX + 8];
	size_t	 len;

	ck_assert_int_eq(pwhash_make("Correct horse 1", h, sizeof(h)), 0);
	len = strlen(h);
	ck_assert_int_eq(pwhash_verify(NULL, "x"), 0);
	ck_assert_int_eq(pwhash_verify("", "Correct horse 1"), 0);
	ck_assert_int_eq(pwhash_verify("garbage", "Correct horse 1"), 0);
	ck_assert_int_eq(pwhash_verify("$argon2id$v=19$m=19456,t=2,p=1$",
	    "Correct horse 1"), 0);
	ck_assert_int_eq(pwhash_verify("$argon2id$v=19$m=19456,t=2,p=1$!!$!!",
	    "Correct horse 1"), 0);
	/* truncated */
	memcpy(bad, h, len - 5);
	bad[len - 5] = '\0';
	ck_assert_int_eq(pwhash_verify(bad, "Correct horse 1"), 0);
	/* another type, the same bytes */
	snprintf(bad, sizeof(bad), "$argon2i$%s", h + strlen("$argon2id$"));
	ck_assert_int_eq(pwhash_verify(bad, "Correct horse 1"), 0);
	/* costs past what we would ever store, or malformed */
	snprintf(bad, sizeof(bad), "$argon2id$v=19$m=4194304,t=2,p=1$%s",
	    h + 31);
	ck_assert_int_eq(pwhash_verify(bad, "Correct horse 1"), 0);
	snprintf(bad, sizeof(bad), "$argon2id$v=19$m=19456,t=999,p=1$%s",
	    h + 31);
	ck_assert_int_eq(pwhash_verify(bad, "Correct horse 1"), 0);
	snprintf(bad, sizeof(bad), "$argon2id$v=19$m=019456,t=2,p=1$%s",
	    h + 31);
	ck_assert_int_eq(pwhash_verify(bad, "Correct horse 1"), 0);
	snprintf(bad, sizeof(bad), "$argon2id$v=19$m=-1,t=2,p=1$%s", h + 31);
	ck_assert_int_eq(pwhash_verify(bad, "Correct horse 1"), 0);
	/* too long for any hash we make */
	memset(bad, 'A', sizeof(bad) - 1);
	bad[sizeof(bad) - 1] = '\0';
	memcpy(bad, h, len);
	ck_assert_int_eq(pwhash_verify(bad, "Correct horse 1"), 0);
	/* and the real one still verifies */
	ck_assert_int_eq(pwhash_verify(h, "Correct horse 1"), 1);
}
END_TEST

static void *
hash_thread(void *arg)
{
	char	 h[PWHASH_ENCODED_MAX];
	int	*ok = arg;

	*ok = pwhash_make("Thread pw 1", h, sizeof(h)) == 0 &&
	    pwhash_verify(h, "Thread pw 1") == 1 &&
	    pwhash_verify(h, "Thread pw 2") == 0;
	return NULL;
}

/* More threads than slots: all finish, none fails for waiting. */
START_TEST(test_pwhash_threads)
{
	pthread_t	 t[LIM_ARGON2_CONCURRENT + 2];
	int		 ok[LIM_ARGON2_CONCURRENT + 2];
	size_t		 i;

	for (i = 0; i < LIM_ARGON2_CONCURRENT + 2; i++) {
		ok[i] = 0;
		ck_assert_int_eq(pthread_create(&t[i], NULL, hash_thread,
		    &ok[i]), 0);
	}
	for (i = 0; i < LIM_ARGON2_CONCURRENT + 2; i++) {
		ck_assert_int_eq(pthread_join(t[i], NULL), 0);
		ck_assert_int_eq(ok[i], 1);
	}
}
END_TEST

Suite *
suite_account(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("account");
	tc = tcase_create("rules");
	tcase_add_test(tc, test_good_form);
	tcase_add_test(tc, test_fields_table);
	tcase_add_test(tc, test_required);
	tcase_add_test(tc, test_email_valid);
	tcase_add_test(tc, test_email_fields);
	tcase_add_test(tc, test_text_lengths);
	tcase_add_test(tc, test_ein);
	tcase_add_test(tc, test_importer_number);
	tcase_add_test(tc, test_po_box);
	tcase_add_test(tc, test_address);
	tcase_add_test(tc, test_phone);
	tcase_add_test(tc, test_password_length);
	tcase_add_test(tc, test_password_classes);
	suite_add_tcase(s, tc);
	tc = tcase_create("pwhash");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_pwhash);
	tcase_add_test(tc, test_pwhash_garbage);
	tcase_add_test(tc, test_pwhash_threads);
	suite_add_tcase(s, tc);
	return s;
}
