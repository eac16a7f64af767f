/*
 * The web site's tables against a real SQLite file: sessions (idle and
 * absolute expiry), emailed codes (tries, expiry, reissue), API tokens,
 * license lists with every filter, My Account changes and the sign-in
 * throttle, and a lone write waiting on the write lock.  The clock is
 * db->now: nothing sleeps but the process holding that lock.
 */
#include <sys/file.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/b64url.h"
#include "lib/date.h"
#include "lib/sha256.h"
#include "forms/account.h"
#include "forms/rules.h"
#include "db/accounts.h"
#include "db/clock.h"
#include "db/codes.h"
#include "db/listing.h"
#include "db/outbox.h"
#include "db/registry.h"
#include "db/sessions.h"
#include "db/tables.h"
#include "db/tokens.h"
#include "tests.h"

#define HASH1	TESTS_HASH
#define HASH2	"$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$b3RoZXI"

static struct db	*db;
static char		 dir[TESTS_DIR_MAX];
static int64_t		 mine, other, unverified;
static time_t		 t0;	/* 2026-01-15T12:00:00Z */

static void
form_fill(struct account_form *af, const char *email, const char *company)
{
	tests_account_form(af, email, "alt@example.com", company);
}

static void
open_db(int hts)
{
	db = tests_db_open(dir, hts);
	t0 = (time_t)date_from_ymd(2026, 1, 15) * 86400 + 12 * 3600;
	db->now = t0;
	mine = tests_add_filer(db, "filer@example.com", 1);
	other = tests_add_filer(db, "other@example.com", 1);
	unverified = tests_add_filer(db, "new@example.com", 0);
}

static void
setup(void)
{
	open_db(0);
}

static void
setup_listing(void)
{
	open_db(1);
}

static void
teardown(void)
{
	tests_db_close(db, dir);
}

static int
events(int64_t id, const char *action)
{
	sqlite3_stmt	*st;
	int		 n;

	ck_assert_int_eq(sqlite3_prepare_v2(db->h, "SELECT count(*) FROM "
	    "event WHERE account_id = ?1 AND action = ?2", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, action, -1, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

static int
verified(int64_t id)
{
	struct account	 a;
	int		 v;

	ck_assert_int_eq(accounts_by_id(db, id, &a), DB_OK);
	v = a.verified;
	account_clear(&a);
	return v;
}

START_TEST(b64url_vectors)
{
	static const unsigned char bin[] = { 0xfb, 0xff, 0x00 };
	char	 out[16];

	/* RFC 4648 section 10, without padding. */
	ck_assert_uint_eq(b64url_encode((const unsigned char *)"", 0, out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, "");
	ck_assert_uint_eq(b64url_encode((const unsigned char *)"f", 1, out,
	    sizeof(out)), 2);
	ck_assert_str_eq(out, "Zg");
	b64url_encode((const unsigned char *)"fo", 2, out, sizeof(out));
	ck_assert_str_eq(out, "Zm8");
	b64url_encode((const unsigned char *)"foo", 3, out, sizeof(out));
	ck_assert_str_eq(out, "Zm9v");
	b64url_encode((const unsigned char *)"foob", 4, out, sizeof(out));
	ck_assert_str_eq(out, "Zm9vYg");
	ck_assert_uint_eq(b64url_encode((const unsigned char *)"foobar", 6,
	    out, sizeof(out)), 8);
	ck_assert_str_eq(out, "Zm9vYmFy");
	/* The url alphabet: - and _ where base64 has + and /. */
	b64url_encode(bin, 3, out, sizeof(out));
	ck_assert_str_eq(out, "-_8A");
	/* "foo" needs 4 + 1 bytes: 5 fits, 4 does not. */
	ck_assert_uint_eq(b64url_encode((const unsigned char *)"foo", 3, out,
	    5), 4);
	ck_assert_uint_eq(b64url_encode((const unsigned char *)"foo", 3, out,
	    4), 0);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(B64URL_LEN(32), 43);
	ck_assert_int_eq(b64url_random(32, out, sizeof(out)), -1);
}
END_TEST

START_TEST(sha256_and_clock)
{
	char	 h[SHA256_HEX_LEN + 1], iso[CLOCK_ISO_LEN + 1];
	struct db fake;

	ck_assert_int_eq(sha256_hex("abc", 3, h), 0);
	ck_assert_str_eq(h, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	clock_iso(t0, iso);
	ck_assert_str_eq(iso, "2026-01-15T12:00:00Z");
	clock_iso(t0 + 43199, iso);
	ck_assert_str_eq(iso, "2026-01-15T23:59:59Z");
	memset(&fake, 0, sizeof(fake));
	ck_assert(clock_now(&fake) > t0 - 86400 * 365 * 10);
	fake.now = 42;
	ck_assert_int_eq(clock_now(&fake), 42);
}
END_TEST

START_TEST(session_create_find_delete)
{
	struct session	 s;
	char		 tok[SESSION_TOKEN_LEN + 1], tok2[SESSION_TOKEN_LEN + 1];
	char		 bad[SESSION_TOKEN_LEN + 2];

	ck_assert_int_eq(session_create(db, mine, "filer", 600, 3600, tok),
	    DB_OK);
	ck_assert_uint_eq(strlen(tok), SESSION_TOKEN_LEN);
	ck_assert_uint_eq(strspn(tok, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_"), SESSION_TOKEN_LEN);
	ck_assert_int_eq(session_create(db, mine, "filer", 600, 3600, tok2),
	    DB_OK);
	ck_assert_str_ne(tok, tok2);
	ck_assert_int_eq(session_find(db, tok, 600, &s), DB_OK);
	ck_assert_int_eq(s.account_id, mine);
	ck_assert_str_eq(s.role, "filer");
	ck_assert_str_eq(s.created_at, "2026-01-15T12:00:00Z");
	ck_assert_str_eq(s.expires_at, "2026-01-15T12:10:00Z");

	/* Near misses of a real token are unknown. */
	memcpy(bad, tok, sizeof(tok));
	bad[0] = bad[0] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(session_find(db, bad, 600, &s), DB_NOT_FOUND);
	bad[0] = tok[0];
	bad[SESSION_TOKEN_LEN - 1] = '\0';
	ck_assert_int_eq(session_find(db, bad, 600, &s), DB_NOT_FOUND);
	memcpy(bad, tok, sizeof(tok));
	bad[SESSION_TOKEN_LEN] = 'x';
	bad[SESSION_TOKEN_LEN + 1] = '\0';
	ck_assert_int_eq(session_find(db, bad, 600, &s), DB_NOT_FOUND);
	ck_assert_int_eq(session_find(db, "", 600, &s), DB_NOT_FOUND);
	ck_assert_int_eq(session_find(db, NULL, 600, &s), DB_NOT_FOUND);

	ck_assert_int_eq(session_delete(db, tok), DB_OK);
	ck_assert_int_eq(session_find(db, tok, 600, &s), DB_NOT_FOUND);
	ck_assert_int_eq(session_find(db, tok2, 600, &s), DB_OK);
	ck_assert_int_eq(session_delete(db, "nonsense"), DB_OK);

	/* Bad arguments store nothing. */
	ck_assert_int_eq(session_create(db, mine, "", 600, 3600, tok),
	    DB_ERROR);
	ck_assert_str_eq(tok, "");
	ck_assert_int_eq(session_create(db, mine, "a-role-far-too-long",
	    600, 3600, tok), DB_ERROR);
	ck_assert_int_eq(session_create(db, mine, "filer", 0, 3600, tok),
	    DB_ERROR);
	/* A session needs an account. */
	ck_assert_int_ne(session_create(db, 9999, "filer", 600, 3600, tok),
	    DB_OK);
}
END_TEST

START_TEST(session_idle_expiry)
{
	struct session	 s;
	char		 a[SESSION_TOKEN_LEN + 1], b[SESSION_TOKEN_LEN + 1];
	int		 changes;

	ck_assert_int_eq(session_create(db, mine, "filer", 600, 3600, a),
	    DB_OK);
	ck_assert_int_eq(session_create(db, mine, "filer", 600, 3600, b),
	    DB_OK);
	/* Used within the minute: not pushed (no write, not even one
	 * that changes nothing: no write lock taken). */
	db->now = t0 + 30;
	changes = sqlite3_total_changes(db->h);
	ck_assert_int_eq(session_find(db, a, 600, &s), DB_OK);
	ck_assert_str_eq(s.expires_at, "2026-01-15T12:10:00Z");
	ck_assert_int_eq(sqlite3_total_changes(db->h), changes);
	/* Used a minute or more later: pushed to now + ttl. */
	db->now = t0 + 60;
	ck_assert_int_eq(session_find(db, a, 600, &s), DB_OK);
	ck_assert_str_eq(s.expires_at, "2026-01-15T12:11:00Z");
	db->now = t0 + 599;
	ck_assert_int_eq(session_find(db, a, 600, &s), DB_OK);
	ck_assert_str_eq(s.expires_at, "2026-01-15T12:19:59Z");
	/* b was never used: the last second, then gone for good. */
	ck_assert_int_eq(session_find(db, b, 0, &s), DB_OK);
	db->now = t0 + 600;
	ck_assert_int_eq(session_find(db, b, 600, &s), DB_NOT_FOUND);
	db->now = t0;
	ck_assert_int_eq(session_find(db, b, 600, &s), DB_NOT_FOUND);
	/* a lives to its pushed expiry. */
	db->now = t0 + 1198;
	ck_assert_int_eq(session_find(db, a, 0, &s), DB_OK);
	db->now = t0 + 1199;
	ck_assert_int_eq(session_find(db, a, 600, &s), DB_NOT_FOUND);
}
END_TEST

START_TEST(session_absolute_expiry)
{
	struct session	 s;
	char		 a[SESSION_TOKEN_LEN + 1], b[SESSION_TOKEN_LEN + 1];
	int		 i, changes;

	/* Used every 5 minutes, still ends 1000 s after creation. */
	ck_assert_int_eq(session_create(db, mine, "filer", 600, 1000, a),
	    DB_OK);
	for (i = 1; i <= 3; i++) {
		db->now = t0 + i * 300;
		ck_assert_int_eq(session_find(db, a, 600, &s), DB_OK);
	}
	ck_assert_str_eq(s.expires_at, "2026-01-15T12:16:40Z");
	/* At its cap it moves no more, and nothing is written. */
	db->now = t0 + 999;
	changes = sqlite3_total_changes(db->h);
	ck_assert_int_eq(session_find(db, a, 600, &s), DB_OK);
	ck_assert_str_eq(s.expires_at, "2026-01-15T12:16:40Z");
	ck_assert_int_eq(sqlite3_total_changes(db->h), changes);
	db->now = t0 + 1000;
	ck_assert_int_eq(session_find(db, a, 600, &s), DB_NOT_FOUND);
	/* An idle ttl past the maximum is cut to it. */
	db->now = t0;
	ck_assert_int_eq(session_create(db, mine, "filer", 5000, 100, b),
	    DB_OK);
	ck_assert_int_eq(session_find(db, b, 0, &s), DB_OK);
	ck_assert_str_eq(s.expires_at, "2026-01-15T12:01:40Z");
}
END_TEST

START_TEST(session_delete_account_all)
{
	struct session	 s;
	char		 a[SESSION_TOKEN_LEN + 1], b[SESSION_TOKEN_LEN + 1];
	char		 c[SESSION_TOKEN_LEN + 1];

	ck_assert_int_eq(session_create(db, mine, "filer", 600, 3600, a),
	    DB_OK);
	ck_assert_int_eq(session_create(db, mine, "filer", 600, 3600, b),
	    DB_OK);
	ck_assert_int_eq(session_create(db, other, "filer", 600, 3600, c),
	    DB_OK);
	ck_assert_int_eq(session_delete_account(db, mine), DB_OK);
	ck_assert_int_eq(session_find(db, a, 600, &s), DB_NOT_FOUND);
	ck_assert_int_eq(session_find(db, b, 600, &s), DB_NOT_FOUND);
	ck_assert_int_eq(session_find(db, c, 600, &s), DB_OK);
	ck_assert_int_eq(s.account_id, other);
}
END_TEST

START_TEST(code_issue_mails_code)
{
	struct outbox_row	 r;
	char			 code[7], needle[32];

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(code_issue(db, unverified, CODE_VERIFY_EMAIL, code),
	    DB_OK);
	ck_assert_uint_eq(strlen(code), 6);
	ck_assert_uint_eq(strspn(code, "0123456789"), 6);
	ck_assert_uint_eq(tests_outbox_count(db, "verify_email", &r), 1);
	ck_assert_str_eq(r.to, "new@example.com");
	ck_assert_ptr_null(r.cc);	/* the alternate never gets codes */
	snprintf(needle, sizeof(needle), "\"code\":\"%s\"", code);
	ck_assert_ptr_nonnull(strstr(r.params, needle));
	ck_assert_ptr_nonnull(strstr(r.params, "\"contact_name\":"
	    "\"Pat Tester\""));
	ck_assert_ptr_nonnull(strstr(r.params, "\"company_name\":"
	    "\"Test Metals LLC\""));
	ck_assert_int_eq(code_issue(db, mine, CODE_RESET_PASSWORD, code),
	    DB_OK);
	ck_assert_uint_eq(tests_outbox_count(db, "reset_password", &r), 1);
	ck_assert_str_eq(r.to, "filer@example.com");
	ck_assert_ptr_null(r.cc);
	tests_outbox_row_clear(&r);
	/* Nobody to mail: nothing stored. */
	ck_assert_int_eq(code_issue(db, 9999, CODE_VERIFY_EMAIL, code),
	    DB_NOT_FOUND);
	ck_assert_str_eq(code, "");
	ck_assert_uint_eq(tests_outbox_count(db, NULL, NULL), 2);
}
END_TEST

/* A code other than c (same length, last digit changed). */
static void
wrong(const char *c, char out[7])
{
	memcpy(out, c, 7);
	out[5] = out[5] == '9' ? '0' : out[5] + 1;
}

START_TEST(code_right_verifies)
{
	enum code_result r;
	char		 code[7], bad[7];
	int		 i;

	ck_assert_int_eq(code_issue(db, unverified, CODE_VERIFY_EMAIL, code),
	    DB_OK);
	wrong(code, bad);
	/* Four wrong tries still leave the fifth. */
	for (i = 0; i < CODE_MAX_TRIES - 1; i++) {
		ck_assert_int_eq(code_check(db, unverified, CODE_VERIFY_EMAIL,
		    bad, &r), DB_OK);
		ck_assert_int_eq(r, CODE_WRONG);
	}
	ck_assert_int_eq(verified(unverified), 0);
	/* The right code for the other purpose is not this one. */
	ck_assert_int_eq(code_check(db, unverified, CODE_RESET_PASSWORD,
	    code, &r), DB_OK);
	ck_assert_int_eq(r, CODE_EXPIRED);
	ck_assert_int_eq(code_check(db, unverified, CODE_VERIFY_EMAIL, code,
	    &r), DB_OK);
	ck_assert_int_eq(r, CODE_OK);
	ck_assert_int_eq(verified(unverified), 1);
	ck_assert_int_eq(events(unverified, "email_verified"), 1);
	/* Used up. */
	ck_assert_int_eq(code_check(db, unverified, CODE_VERIFY_EMAIL, code,
	    &r), DB_OK);
	ck_assert_int_eq(r, CODE_EXPIRED);
}
END_TEST

START_TEST(code_tries_capped)
{
	enum code_result r;
	char		 code[7], bad[7];
	int		 i;

	ck_assert_int_eq(code_issue(db, unverified, CODE_VERIFY_EMAIL, code),
	    DB_OK);
	wrong(code, bad);
	for (i = 0; i < CODE_MAX_TRIES; i++) {
		ck_assert_int_eq(code_check(db, unverified, CODE_VERIFY_EMAIL,
		    i == 2 ? "12a456" : bad, &r), DB_OK);
		ck_assert_int_eq(r, CODE_WRONG);
	}
	ck_assert_int_eq(code_check(db, unverified, CODE_VERIFY_EMAIL, code,
	    &r), DB_OK);
	ck_assert_int_eq(r, CODE_EXPIRED);
	ck_assert_int_eq(verified(unverified), 0);
	/* A new code starts the tries again. */
	ck_assert_int_eq(code_issue(db, unverified, CODE_VERIFY_EMAIL, code),
	    DB_OK);
	ck_assert_int_eq(code_check(db, unverified, CODE_VERIFY_EMAIL, code,
	    &r), DB_OK);
	ck_assert_int_eq(r, CODE_OK);
}
END_TEST

START_TEST(code_expires_by_time)
{
	enum code_result r;
	char		 code[7], spaced[16];

	ck_assert_int_eq(code_issue(db, mine, CODE_RESET_PASSWORD, code),
	    DB_OK);
	/* The last second, typed with a space. */
	db->now = t0 + CODE_TTL_SECONDS - 1;
	snprintf(spaced, sizeof(spaced), "%.3s %s", code, code + 3);
	ck_assert_int_eq(code_check(db, mine, CODE_RESET_PASSWORD, spaced,
	    &r), DB_OK);
	ck_assert_int_eq(r, CODE_OK);
	/* A reset code does not verify anything. */
	ck_assert_int_eq(verified(unverified), 0);

	db->now = t0;
	ck_assert_int_eq(code_issue(db, mine, CODE_RESET_PASSWORD, code),
	    DB_OK);
	db->now = t0 + CODE_TTL_SECONDS;
	ck_assert_int_eq(code_check(db, mine, CODE_RESET_PASSWORD, code, &r),
	    DB_OK);
	ck_assert_int_eq(r, CODE_EXPIRED);
	/* Gone, even with the clock back. */
	db->now = t0;
	ck_assert_int_eq(code_check(db, mine, CODE_RESET_PASSWORD, code, &r),
	    DB_OK);
	ck_assert_int_eq(r, CODE_EXPIRED);
}
END_TEST

START_TEST(code_reissue_replaces)
{
	enum code_result r;
	char		 c1[7], c2[7];
	int		 i;

	ck_assert_int_eq(code_issue(db, mine, CODE_RESET_PASSWORD, c1),
	    DB_OK);
	/* One chance in a million to draw the same code: draw again. */
	for (i = 0; i < 5; i++) {
		ck_assert_int_eq(code_issue(db, mine, CODE_RESET_PASSWORD,
		    c2), DB_OK);
		if (strcmp(c1, c2) != 0)
			break;
	}
	ck_assert_str_ne(c1, c2);
	ck_assert_int_eq(code_check(db, mine, CODE_RESET_PASSWORD, c1, &r),
	    DB_OK);
	ck_assert_int_eq(r, CODE_WRONG);
	ck_assert_int_eq(code_check(db, mine, CODE_RESET_PASSWORD, c2, &r),
	    DB_OK);
	ck_assert_int_eq(r, CODE_OK);
}
END_TEST

/* Codes are 6 digits and not stuck: 300 draws use every digit in every
 * place (a missing one has odds of about 10 * 6 * 0.9^300). */
START_TEST(code_digits_spread)
{
	char	 code[7];
	int	 seen[6][10], i, j;

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < 300; i++) {
		ck_assert_int_eq(code_issue(db, mine, CODE_RESET_PASSWORD,
		    code), DB_OK);
		for (j = 0; j < 6; j++) {
			ck_assert(code[j] >= '0' && code[j] <= '9');
			seen[j][code[j] - '0']++;
		}
	}
	for (j = 0; j < 6; j++)
		for (i = 0; i < 10; i++)
			ck_assert_msg(seen[j][i] > 0, "digit %d never in "
			    "place %d", i, j);
}
END_TEST

START_TEST(register_is_one_transaction)
{
	struct account_form	 af;
	struct account		 a;
	struct outbox_row	 r;
	char			 code[7], needle[32];
	int64_t			 id = 0;

	memset(&r, 0, sizeof(r));
	form_fill(&af, "Reg@Example.com", "Reg Metals");
	ck_assert_int_eq(accounts_register(db, &af, HASH1, &id, code), DB_OK);
	ck_assert_int_gt(id, 0);
	ck_assert_int_eq(accounts_by_id(db, id, &a), DB_OK);
	ck_assert_int_eq(a.verified, 0);
	ck_assert_str_eq(a.v[AF_EMAIL], "reg@example.com");
	account_clear(&a);
	ck_assert_uint_eq(tests_outbox_count(db, "verify_email", &r), 1);
	ck_assert_str_eq(r.to, "reg@example.com");
	snprintf(needle, sizeof(needle), "\"code\":\"%s\"", code);
	ck_assert_ptr_nonnull(strstr(r.params, needle));
	tests_outbox_row_clear(&r);
	ck_assert_int_eq(events(id, "account_registered"), 1);
	/* The same email again: nothing more stored. */
	ck_assert_int_eq(accounts_register(db, &af, HASH1, NULL, code),
	    DB_EXISTS);
	ck_assert_str_eq(code, "");
	ck_assert_uint_eq(tests_outbox_count(db, NULL, NULL), 1);
	account_form_clear(&af);
	/* A fault at any step leaves no account behind. */
	form_fill(&af, "fault@example.com", "Fault Metals");
	db->fault_countdown = 3;
	ck_assert_int_eq(accounts_register(db, &af, HASH1, &id, code), DB_IO);
	db->fault_countdown = 0;
	ck_assert_int_eq(accounts_by_email(db, "fault@example.com", &a),
	    DB_NOT_FOUND);
	ck_assert_uint_eq(tests_outbox_count(db, NULL, NULL), 1);
	account_form_clear(&af);
}
END_TEST

START_TEST(token_life)
{
	struct api_token *t;
	char		 tok[TOKEN_LEN + 1], tok2[TOKEN_LEN + 1];
	char		 bad[TOKEN_LEN + 1], name[80];
	int64_t		 id, id2, who;
	size_t		 n;

	ck_assert_int_eq(token_create(db, mine, "ERP export", tok, &id),
	    DB_OK);
	ck_assert_uint_eq(strlen(tok), TOKEN_LEN);
	ck_assert(strncmp(tok, "aim_", 4) == 0);
	ck_assert_int_eq(token_create(db, mine, "second", tok2, &id2), DB_OK);
	ck_assert_str_ne(tok, tok2);
	ck_assert_int_eq(events(mine, "api_token_created"), 2);

	ck_assert_int_eq(token_list(db, mine, &t, &n), DB_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(t[0].id, id);
	ck_assert_str_eq(t[0].name, "ERP export");
	ck_assert_str_eq(t[0].created_at, "2026-01-15T12:00:00Z");
	ck_assert_str_eq(t[0].last_used_at, "");
	ck_assert_uint_eq(strlen(t[0].prefix), 10);
	ck_assert(strncmp(t[0].prefix, tok, 10) == 0);
	free(t);

	db->now = t0 + 5;
	ck_assert_int_eq(token_account(db, tok, &who), DB_OK);
	ck_assert_int_eq(who, mine);
	memcpy(bad, tok, sizeof(bad));
	bad[TOKEN_LEN - 1] = bad[TOKEN_LEN - 1] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(token_account(db, bad, &who), DB_NOT_FOUND);
	ck_assert_int_eq(who, 0);
	memcpy(bad, tok, sizeof(bad));
	bad[0] = 'x';
	ck_assert_int_eq(token_account(db, bad, &who), DB_NOT_FOUND);
	ck_assert_int_eq(token_account(db, "aim_", &who), DB_NOT_FOUND);
	/* last_used_at moves at most once a minute. */
	db->now = t0 + 30;
	ck_assert_int_eq(token_account(db, tok, &who), DB_OK);
	ck_assert_int_eq(token_list(db, mine, &t, &n), DB_OK);
	ck_assert_str_eq(t[0].last_used_at, "2026-01-15T12:00:05Z");
	free(t);
	db->now = t0 + 65;
	ck_assert_int_eq(token_account(db, tok, &who), DB_OK);
	ck_assert_int_eq(token_list(db, mine, &t, &n), DB_OK);
	ck_assert_str_eq(t[0].last_used_at, "2026-01-15T12:01:05Z");
	free(t);

	/* Another account cannot revoke it, nor see it. */
	ck_assert_int_eq(token_revoke(db, other, id), DB_NOT_FOUND);
	ck_assert_int_eq(token_account(db, tok, &who), DB_OK);
	ck_assert_int_eq(token_list(db, other, &t, &n), DB_OK);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(t);
	ck_assert_int_eq(token_revoke(db, mine, id), DB_OK);
	ck_assert_int_eq(token_account(db, tok, &who), DB_NOT_FOUND);
	ck_assert_int_eq(token_revoke(db, mine, id), DB_NOT_FOUND);
	ck_assert_int_eq(events(mine, "api_token_revoked"), 1);
	ck_assert_int_eq(token_account(db, tok2, &who), DB_OK);
	ck_assert_int_eq(token_list(db, mine, &t, &n), DB_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(t[0].id, id2);
	free(t);

	/* Names: 1 to 63 bytes, never cut. */
	memset(name, 'n', sizeof(name));
	name[63] = '\0';
	ck_assert_int_eq(token_create(db, mine, name, tok, NULL), DB_OK);
	name[63] = 'n';
	name[64] = '\0';
	ck_assert_int_eq(token_create(db, mine, name, tok, NULL), DB_ERROR);
	ck_assert_str_eq(tok, "");
	ck_assert_int_eq(token_create(db, mine, "", tok, NULL), DB_ERROR);
}
END_TEST

/*
 * A write outside a transaction (a token's last use) waits its turn on
 * the write lock that transactions take, as long as another process
 * holds it, and then lands: it neither fails nor slips past.
 */
START_TEST(lone_write_waits_its_turn)
{
	struct api_token *t;
	struct timespec	 a, b;
	char		 tok[TOKEN_LEN + 1], lock[1024], c;
	int64_t		 who;
	size_t		 n;
	int		 p[2], fd, st;
	pid_t		 pid;
	double		 ms;

	ck_assert_int_eq(token_create(db, mine, "waits", tok, NULL), DB_OK);
	snprintf(lock, sizeof(lock), "%s-wlock",
	    sqlite3_db_filename(db->h, "main"));
	ck_assert_int_eq(pipe(p), 0);
	if ((pid = fork()) == 0) {
		if ((fd = open(lock, O_RDWR)) == -1 ||
		    flock(fd, LOCK_EX) == -1)
			_exit(1);
		(void)write(p[1], "x", 1);
		usleep(300 * 1000);
		_exit(0);
	}
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	db->now = t0 + 65;
	clock_gettime(CLOCK_MONOTONIC, &a);
	ck_assert_int_eq(token_account(db, tok, &who), DB_OK);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
	ck_assert_msg(ms >= 250, "the write went past the lock (%.0f ms)",
	    ms);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ck_assert_int_eq(db->wlocked, 0);
	ck_assert_int_eq(token_list(db, mine, &t, &n), DB_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(t[0].last_used_at, "2026-01-15T12:01:05Z");
	free(t);
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(account_update_fields)
{
	struct account_form	 af;
	struct account		 a;

	form_fill(&af, "hijack@example.com", "Renamed Metals Inc");
	free(af.v[AF_ALT_EMAIL]);
	af.v[AF_ALT_EMAIL] = NULL;
	free(af.v[AF_PHONE]);
	af.v[AF_PHONE] = strdup("312-555-0199");
	ck_assert_int_eq(accounts_update(db, mine, &af), DB_OK);
	ck_assert_int_eq(accounts_by_id(db, mine, &a), DB_OK);
	ck_assert_str_eq(a.v[AF_EMAIL], "filer@example.com");
	ck_assert_ptr_null(a.v[AF_ALT_EMAIL]);
	ck_assert_str_eq(a.v[AF_COMPANY_NAME], "Renamed Metals Inc");
	ck_assert_ptr_nonnull(strstr(a.v[AF_PHONE], "555"));
	ck_assert_ptr_nonnull(strstr(a.v[AF_PHONE], "0199"));
	ck_assert_int_eq(a.verified, 1);
	ck_assert_str_eq(a.password_hash, HASH1);
	account_clear(&a);
	ck_assert_int_eq(accounts_by_email(db, "hijack@example.com", &a),
	    DB_NOT_FOUND);
	ck_assert_int_eq(events(mine, "account_updated"), 1);
	/* The other account is untouched. */
	ck_assert_int_eq(accounts_by_id(db, other, &a), DB_OK);
	ck_assert_str_eq(a.v[AF_COMPANY_NAME], "Test Metals LLC");
	account_clear(&a);
	ck_assert_int_eq(accounts_update(db, 9999, &af), DB_NOT_FOUND);
	ck_assert_int_eq(events(9999, "account_updated"), 0);
	account_form_clear(&af);
}
END_TEST

START_TEST(account_set_password)
{
	struct session		 s;
	struct account		 a;
	struct outbox_row	 r;
	enum code_result	 res;
	char			 t1[SESSION_TOKEN_LEN + 1];
	char			 t2[SESSION_TOKEN_LEN + 1];
	char			 t3[SESSION_TOKEN_LEN + 1], code[7];
	int			 i, wait;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(session_create(db, mine, "filer", 600, 3600, t1),
	    DB_OK);
	ck_assert_int_eq(session_create(db, mine, "filer", 600, 3600, t2),
	    DB_OK);
	ck_assert_int_eq(session_create(db, other, "filer", 600, 3600, t3),
	    DB_OK);
	ck_assert_int_eq(code_issue(db, mine, CODE_RESET_PASSWORD, code),
	    DB_OK);
	for (i = 0; i < SIGNIN_FAILURES; i++)
		ck_assert_int_eq(accounts_signin_failed(db, mine), DB_OK);
	ck_assert_int_eq(accounts_signin_wait(db, mine, &wait), DB_OK);
	ck_assert_int_gt(wait, 0);

	ck_assert_int_eq(accounts_set_password(db, mine, HASH2), DB_OK);
	ck_assert_int_eq(accounts_by_id(db, mine, &a), DB_OK);
	ck_assert_str_eq(a.password_hash, HASH2);
	account_clear(&a);
	ck_assert_int_eq(session_find(db, t1, 600, &s), DB_NOT_FOUND);
	ck_assert_int_eq(session_find(db, t2, 600, &s), DB_NOT_FOUND);
	ck_assert_int_eq(session_find(db, t3, 600, &s), DB_OK);
	ck_assert_uint_eq(tests_outbox_count(db, "password_changed", &r), 1);
	ck_assert_str_eq(r.to, "filer@example.com");
	ck_assert_str_eq(r.cc, "alt@example.com");
	ck_assert_ptr_null(strstr(r.params, "argon2"));
	tests_outbox_row_clear(&r);
	ck_assert_int_eq(events(mine, "password_changed"), 1);
	/* The throttle starts again and the reset code is void. */
	ck_assert_int_eq(accounts_signin_wait(db, mine, &wait), DB_OK);
	ck_assert_int_eq(wait, 0);
	ck_assert_int_eq(code_check(db, mine, CODE_RESET_PASSWORD, code,
	    &res), DB_OK);
	ck_assert_int_eq(res, CODE_EXPIRED);

	ck_assert_int_eq(accounts_set_password(db, 9999, HASH2),
	    DB_NOT_FOUND);
	ck_assert_uint_eq(tests_outbox_count(db, "password_changed", NULL), 1);
	/* A fault leaves the old password and the sessions. */
	ck_assert_int_eq(session_create(db, mine, "filer", 600, 3600, t1),
	    DB_OK);
	db->fault_countdown = 4;
	ck_assert_int_eq(accounts_set_password(db, mine, HASH1), DB_IO);
	db->fault_countdown = 0;
	ck_assert_int_eq(accounts_by_id(db, mine, &a), DB_OK);
	ck_assert_str_eq(a.password_hash, HASH2);
	account_clear(&a);
	ck_assert_int_eq(session_find(db, t1, 600, &s), DB_OK);
}
END_TEST

START_TEST(signin_throttle)
{
	int	 i, wait = -1;

	for (i = 0; i < SIGNIN_FAILURES - 1; i++) {
		ck_assert_int_eq(accounts_signin_failed(db, mine), DB_OK);
		ck_assert_int_eq(accounts_signin_wait(db, mine, &wait),
		    DB_OK);
		ck_assert_int_eq(wait, 0);
	}
	ck_assert_int_eq(accounts_signin_failed(db, mine), DB_OK);
	ck_assert_int_eq(accounts_signin_wait(db, mine, &wait), DB_OK);
	ck_assert_int_eq(wait, SIGNIN_BLOCK_SECONDS);
	/* Only this account. */
	ck_assert_int_eq(accounts_signin_wait(db, other, &wait), DB_OK);
	ck_assert_int_eq(wait, 0);
	db->now = t0 + SIGNIN_BLOCK_SECONDS - 1;
	ck_assert_int_eq(accounts_signin_wait(db, mine, &wait), DB_OK);
	ck_assert_int_eq(wait, 1);
	db->now = t0 + SIGNIN_BLOCK_SECONDS;
	ck_assert_int_eq(accounts_signin_wait(db, mine, &wait), DB_OK);
	ck_assert_int_eq(wait, 0);
	/* After a block the count starts again. */
	ck_assert_int_eq(accounts_signin_failed(db, mine), DB_OK);
	ck_assert_int_eq(accounts_signin_wait(db, mine, &wait), DB_OK);
	ck_assert_int_eq(wait, 0);

	/* A success resets the count: 4 + ok + 4 never blocks. */
	ck_assert_int_eq(accounts_signin_ok(db, mine), DB_OK);
	for (i = 0; i < 2 * (SIGNIN_FAILURES - 1); i++) {
		if (i == SIGNIN_FAILURES - 1)
			ck_assert_int_eq(accounts_signin_ok(db, mine), DB_OK);
		ck_assert_int_eq(accounts_signin_failed(db, mine), DB_OK);
		ck_assert_int_eq(accounts_signin_wait(db, mine, &wait),
		    DB_OK);
		ck_assert_int_eq(wait, 0);
	}
	ck_assert_int_eq(accounts_signin_failed(db, 9999), DB_NOT_FOUND);
	ck_assert_int_eq(accounts_signin_ok(db, 9999), DB_NOT_FOUND);
	ck_assert_int_eq(accounts_signin_wait(db, 9999, &wait),
	    DB_NOT_FOUND);
}
END_TEST

/* The test application for importer, of value dollars. */
static struct form *
aluminum(const char *importer, const char *value)
{
	struct form	*f = tests_aluminum();

	tests_hset(f, HF_IMPORTER_NAME, importer);
	tests_lset(&f->lines[0], LF_CUSTOMS_VALUE_USD, value);
	return f;
}

static struct form *
steel(const char *importer)
{
	struct form	*f = aluminum(importer, "25000");

	tests_make_steel(f);
	return f;
}

static void
submit(int64_t id, struct form *f, int app, char out[LICNUM_LEN + 1],
    enum lic_status want)
{
	struct reg_result	 res;
	struct actor		 a = { id, "filer@example.com", "web", 0 };

	reg_result_init(&res);
	ck_assert_int_eq(reg_submit(db, &a, f, app, &res), REG_OK);
	ck_assert_int_eq(res.status, want);
	memcpy(out, res.number, LICNUM_LEN + 1);
	reg_result_free(&res);
	form_free(f);
}

/* The licenses of the listing tests, oldest first. */
#define NLIC	7
static char	 num[NLIC][LICNUM_LEN + 1];

/*
 * 0 ACME Aluminum Inc	2026-01-10, aluminum, issued
 * 1 Beta Trading	2026-01-11, steel, issued
 * 2 acme aluminum inc	2026-01-12, aluminum, canceled
 * 3 Gamma Metals	2026-01-13, aluminum, action required ($0.10/kg)
 * 4 Delta Corp		2026-01-14, aluminum, 2 lines
 * 5 Epsilon LLC	2026-01-15, aluminum, corrected to "Zeta LLC"
 * 6 Omega		2026-01-15, aluminum, issued
 * and one license of another account.
 */
static void
make_licenses(void)
{
	struct reg_result	 res;
	struct actor		 a = { mine, "filer@example.com", "web", 0 };
	struct form		*f;
	char			 theirs[LICNUM_LEN + 1];
	int			 d = date_from_ymd(2026, 1, 10);

	submit(mine, aluminum("ACME Aluminum Inc", "25000"), d, num[0],
	    STATUS_ISSUED);
	submit(mine, steel("Beta Trading"), d + 1, num[1], STATUS_ISSUED);
	submit(mine, aluminum("acme aluminum inc", "25000"), d + 2, num[2],
	    STATUS_ISSUED);
	reg_result_init(&res);
	ck_assert_int_eq(reg_cancel(db, &a, num[2], &res), REG_OK);
	reg_result_free(&res);
	submit(mine, aluminum("Gamma Metals", "1000"), d + 3, num[3],
	    STATUS_ACTION_REQUIRED);
	f = aluminum("Delta Corp", "25000");
	tests_add_aluminum_line(f, "7601103000", "1000.50", "400");
	submit(mine, f, d + 4, num[4], STATUS_ISSUED);
	submit(mine, aluminum("Epsilon LLC", "25000"), d + 5, num[5],
	    STATUS_ISSUED);
	f = aluminum("Zeta LLC", "30000");
	reg_result_init(&res);
	ck_assert_int_eq(reg_correct(db, &a, num[5], f, d + 5, &res), REG_OK);
	reg_result_free(&res);
	form_free(f);
	submit(mine, aluminum("Omega", "25000"), d + 5, num[6],
	    STATUS_ISSUED);
	submit(other, aluminum("ACME Aluminum Inc", "25000"), d, theirs,
	    STATUS_ISSUED);
}

static size_t
list(struct listing_query *q, struct listing_row **rows, size_t *total)
{
	size_t	 n;

	if (q->limit == 0)
		q->limit = 50;
	ck_assert_int_eq(listing_query(db, q, rows, &n, total), DB_OK);
	return n;
}

/* The licenses a query lists, as indexes into num[], newest first. */
static void
expect(struct listing_query q, const int *want, size_t nwant)
{
	struct listing_row	*rows;
	size_t			 n, total, i;

	q.account_id = mine;
	n = list(&q, &rows, &total);
	ck_assert_uint_eq(total, nwant);
	ck_assert_uint_eq(n, nwant);
	for (i = 0; i < n; i++)
		ck_assert_str_eq(rows[i].number, num[want[i]]);
	free(rows);
}

START_TEST(listing_all_newest_first)
{
	struct listing_query	 q;
	struct listing_row	*rows;
	size_t			 n, total;
	static const int	 all[] = { 6, 5, 4, 3, 2, 1, 0 };

	make_licenses();
	memset(&q, 0, sizeof(q));
	expect(q, all, NLIC);

	q.account_id = mine;
	n = list(&q, &rows, &total);
	ck_assert_uint_eq(n, NLIC);
	/* Delta: two lines, summed. */
	ck_assert_str_eq(rows[2].importer_name, "Delta Corp");
	ck_assert_int_eq(rows[2].nlines, 2);
	ck_assert_int_eq(rows[2].value_cents, 2500000 + 100050);
	ck_assert_str_eq(rows[2].valid_from, "2026-01-14");
	ck_assert_str_eq(rows[2].valid_through, "2026-03-30");
	ck_assert_str_eq(rows[2].product, "aluminum");
	ck_assert_str_eq(rows[2].license_type, "standard");
	ck_assert_str_eq(rows[2].status, "issued");
	ck_assert_str_eq(rows[2].entry_type, "consumption");
	ck_assert_str_eq(rows[2].country_of_origin, "Germany");
	ck_assert_str_eq(rows[2].expected_import_date, "2026-02-10");
	ck_assert_str_eq(rows[2].channel, "web");
	ck_assert_int_eq(rows[2].version, 1);
	/* Epsilon shows its current version. */
	ck_assert_str_eq(rows[1].importer_name, "Zeta LLC");
	ck_assert_int_eq(rows[1].version, 2);
	ck_assert_int_eq(rows[1].nlines, 1);
	ck_assert_int_eq(rows[1].value_cents, 3000000);
	ck_assert_str_eq(rows[5].product, "steel");
	ck_assert_str_eq(rows[4].status, "canceled");
	ck_assert_str_eq(rows[3].status, "action_required");
	free(rows);

	/* Another account sees only its own. */
	q.account_id = other;
	n = list(&q, &rows, &total);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(total, 1);
	free(rows);
	q.account_id = unverified;
	n = list(&q, &rows, &total);
	ck_assert_uint_eq(n, 0);
	ck_assert_uint_eq(total, 0);
	ck_assert_ptr_null(rows);
}
END_TEST

START_TEST(listing_number_prefix)
{
	struct listing_query	 q;
	static const int	 all[] = { 6, 5, 4, 3, 2, 1, 0 };
	char			 typed[32], pfx[2];
	int			 want[NLIC], i, k;
	size_t			 n;

	make_licenses();
	memset(&q, 0, sizeof(q));
	/* The whole number, lower case with a dash. */
	snprintf(typed, sizeof(typed), "%.4s-%.5s", num[3], num[3] + 4);
	for (i = 0; typed[i] != '\0'; i++)
		if (typed[i] >= 'A' && typed[i] <= 'Z')
			typed[i] += 'a' - 'A';
	q.number = typed;
	want[0] = 3;
	expect(q, want, 1);
	/* One character: every license starting so, counted here. */
	for (k = 0; k < NLIC; k++) {
		pfx[0] = num[k][0];
		pfx[1] = '\0';
		n = 0;
		for (i = NLIC - 1; i >= 0; i--)
			if (num[i][0] == pfx[0])
				want[n++] = i;
		q.number = pfx;
		expect(q, want, n);
	}
	/* Wildcards are characters, and match nothing. */
	q.number = "%";
	expect(q, want, 0);
	q.number = "_";
	expect(q, want, 0);
	snprintf(typed, sizeof(typed), "%.3s%%", num[0]);
	q.number = typed;
	expect(q, want, 0);
	/* Longer than a number. */
	snprintf(typed, sizeof(typed), "%s0", num[0]);
	q.number = typed;
	expect(q, want, 0);
	/* Blank is no filter. */
	q.number = " ";
	expect(q, all, NLIC);
}
END_TEST

START_TEST(listing_filters)
{
	struct listing_query	 q;
	static const int	 acme[] = { 2, 0 }, lumin[] = { 2, 0 };
	static const int	 canceled[] = { 2 }, ar[] = { 3 };
	static const int	 steel1[] = { 1 }, zeta[] = { 5 };
	static const int	 issued[] = { 6, 5, 4, 1, 0 };
	static const int	 from12[] = { 6, 5, 4, 3, 2 };
	static const int	 to12[] = { 2, 1, 0 };
	static const int	 only12[] = { 2 };
	static const int	 mixed[] = { 0 };
	struct listing_row	*rows;
	size_t			 total;

	make_licenses();
	memset(&q, 0, sizeof(q));
	q.importer = "acme";
	expect(q, acme, 2);
	q.importer = "LUMIN";
	expect(q, lumin, 2);
	/* The current version only: Epsilon became Zeta. */
	q.importer = "epsilon";
	expect(q, zeta, 0);
	q.importer = "zeta";
	expect(q, zeta, 1);
	/* % and _ are plain characters. */
	q.importer = "%";
	expect(q, zeta, 0);
	q.importer = NULL;

	q.status = "canceled";
	expect(q, canceled, 1);
	q.status = "action_required";
	expect(q, ar, 1);
	q.status = "issued";
	expect(q, issued, 5);
	q.status = "nonsense";
	expect(q, ar, 0);
	q.status = "";
	q.product = "steel";
	expect(q, steel1, 1);
	q.product = NULL;

	/* Dates: both ends included. */
	q.from = "2026-01-12";
	expect(q, from12, 5);
	q.from = "01/12/2026";
	expect(q, from12, 5);
	q.from = NULL;
	q.to = "2026-01-12";
	expect(q, to12, 3);
	q.from = "2026-01-12";
	expect(q, only12, 1);
	q.from = "2026-01-13";
	expect(q, only12, 0);
	/* Every filter at once. */
	q.from = "2026-01-01";
	q.to = "2026-12-31";
	q.importer = "Acme";
	q.status = "issued";
	q.product = "aluminum";
	q.number = num[0];
	expect(q, mixed, 1);
	q.product = "steel";
	expect(q, mixed, 0);

	/* A bad date is the caller's bug. */
	memset(&q, 0, sizeof(q));
	q.account_id = mine;
	q.limit = 10;
	q.from = "2026-02-30";
	ck_assert_int_eq(listing_query(db, &q, &rows, &total, &total),
	    DB_ERROR);
}
END_TEST

START_TEST(listing_pages)
{
	struct listing_query	 q;
	struct listing_row	*rows;
	size_t			 n, total, off, seen = 0;

	make_licenses();
	memset(&q, 0, sizeof(q));
	q.account_id = mine;
	q.limit = 3;
	/* Pages of 3: 3, 3, 1, in order, each with the total. */
	for (off = 0; off < NLIC + 3; off += 3) {
		q.offset = off;
		n = list(&q, &rows, &total);
		ck_assert_uint_eq(total, NLIC);
		ck_assert_uint_eq(n, off >= NLIC ? 0 :
		    (NLIC - off < 3 ? NLIC - off : 3));
		for (size_t i = 0; i < n; i++)
			ck_assert_str_eq(rows[i].number,
			    num[NLIC - 1 - (off + i)]);
		seen += n;
		free(rows);
	}
	ck_assert_uint_eq(seen, NLIC);
	/* The last row alone, then none. */
	q.offset = NLIC - 1;
	n = list(&q, &rows, &total);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(rows[0].number, num[0]);
	free(rows);
	q.offset = NLIC;
	n = list(&q, &rows, &total);
	ck_assert_uint_eq(n, 0);
	ck_assert_uint_eq(total, NLIC);
	/* A count alone, and a limit past the page size. */
	q.offset = 0;
	q.limit = 0;
	ck_assert_int_eq(listing_query(db, &q, &rows, &n, &total), DB_OK);
	ck_assert_uint_eq(n, 0);
	ck_assert_uint_eq(total, NLIC);
	q.limit = 100000;
	ck_assert_int_eq(listing_query(db, &q, &rows, &n, &total), DB_OK);
	ck_assert_uint_eq(n, NLIC);
	free(rows);
}
END_TEST

Suite *
suite_web_db(void)
{
	Suite	*s = suite_create("web_db");
	TCase	*t = tcase_create("web_db");
	TCase	*l = tcase_create("listing");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, b64url_vectors);
	tcase_add_test(t, sha256_and_clock);
	tcase_add_test(t, session_create_find_delete);
	tcase_add_test(t, session_idle_expiry);
	tcase_add_test(t, session_absolute_expiry);
	tcase_add_test(t, session_delete_account_all);
	tcase_add_test(t, code_issue_mails_code);
	tcase_add_test(t, code_right_verifies);
	tcase_add_test(t, code_tries_capped);
	tcase_add_test(t, code_expires_by_time);
	tcase_add_test(t, code_reissue_replaces);
	tcase_add_test(t, code_digits_spread);
	tcase_add_test(t, register_is_one_transaction);
	tcase_add_test(t, token_life);
	tcase_add_test(t, lone_write_waits_its_turn);
	tcase_add_test(t, account_update_fields);
	tcase_add_test(t, account_set_password);
	tcase_add_test(t, signin_throttle);
	suite_add_tcase(s, t);

	tcase_add_checked_fixture(l, setup_listing, teardown);
	tcase_set_timeout(l, 30);
	tcase_add_test(l, listing_all_newest_first);
	tcase_add_test(l, listing_number_prefix);
	tcase_add_test(l, listing_filters);
	tcase_add_test(l, listing_pages);
	suite_add_tcase(s, l);
	return s;
}
