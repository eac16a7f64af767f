/*
 * The staff console's core against a real SQLite file: staff accounts,
 * sessions and the sign-in throttle; the possible-duplicate rule and
 * list; questions, replies, reprocessing quarantined mail, account
 * switches and electronic filing; the staff license search; the
 * dashboard's numbers; the audit rows each action writes and the
 * triggers that keep them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "lib/date.h"
#include "forms/account.h"
#include "forms/dupcheck.h"
#include "db/accounts.h"
#include "db/console.h"
#include "db/dupes.h"
#include "db/listing.h"
#include "db/mailstore.h"
#include "db/queue.h"
#include "db/registry.h"
#include "db/sessions.h"
#include "db/staff.h"
#include "db/tables.h"
#include "tests.h"

static struct db	*db;
static char		 dir[TESTS_DIR_MAX];
static int64_t		 filer_id, other_id;
static int		 today;
static const struct staff ann = { "ann@office.test", "192.0.2.1" };
static const struct staff bob = { "bob@office.test", "192.0.2.2" };

static void
setup(void)
{
	db = tests_db_open(dir, 1);
	filer_id = tests_add_account(db, "filer@example.com", NULL,
	    "Test Metals LLC", 1);
	other_id = tests_add_account(db, "other@example.com", NULL,
	    "Other Steel Inc", 1);
	today = date_from_ymd(2026, 1, 15);
	db->now = (time_t)today * 86400 + 12 * 3600;
}

static void
teardown(void)
{
	tests_db_close(db, dir);
}

/* One number from SQL. */
static long long
scalar(const char *sql)
{
	return tests_scalar(db, sql);
}

static long long
audits(const char *action)
{
	char	 sql[160];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM staff_audit WHERE "
	    "action = '%s'", action);
	return scalar(sql);
}

/* The test application for importer, of value dollars on import_date. */
static struct form *
aluminum(const char *importer, const char *import_date, const char *value)
{
	struct form	*f = tests_aluminum();

	tests_hset(f, HF_IMPORTER_NAME, importer);
	tests_hset(f, HF_EXPECTED_IMPORT_DATE, import_date);
	tests_lset(&f->lines[0], LF_CUSTOMS_VALUE_USD, value);
	return f;
}

/* Files a license; its number into num. */
static enum reg_err
file(int64_t account, const char *channel, struct form *f,
    char num[LICNUM_LEN + 1])
{
	struct actor		 a;
	struct reg_result	 res;
	enum reg_err		 e;

	memset(&a, 0, sizeof(a));
	a.account_id = account;
	a.who = "test";
	a.channel = channel;
	reg_result_init(&res);
	e = reg_submit(db, &a, f, today, &res);
	if (num != NULL)
		snprintf(num, LICNUM_LEN + 1, "%s", res.number);
	reg_result_free(&res);
	form_free(f);
	return e;
}

static void
line(struct license_line *l, const char *hts, int64_t cents, int64_t grams)
{
	memset(l, 0, sizeof(*l));
	snprintf(l->hts_code, sizeof(l->hts_code), "%s", hts);
	l->value_cents = cents;
	l->grams = grams;
}

START_TEST(dupcheck_rule)
{
	struct license_line	 a[2], b[2];
	int			 d = today;

	/* Import dates: a week apart is close, eight days is not. */
	ck_assert_int_eq(dup_dates_close(d, d + DUP_IMPORT_DAYS), 1);
	ck_assert_int_eq(dup_dates_close(d + DUP_IMPORT_DAYS, d), 1);
	ck_assert_int_eq(dup_dates_close(d, d + DUP_IMPORT_DAYS + 1), 0);
	ck_assert_int_eq(dup_dates_close(d, DATE_NONE), 0);

	line(&a[0], "7601103000", 2500000, 10000000);
	line(&a[1], "7606123045", 100, 2000);
	line(&b[0], "7606123045", 100, 2000);
	line(&b[1], "7601103000", 2500000, 10000000);
	ck_assert_int_eq(dup_same_lines(a, 2, b, 2), 1);	/* any order */
	ck_assert_int_eq(dup_same_lines(a, 1, b, 2), 0);
	ck_assert_int_eq(dup_same_lines(a, 0, b, 0), 0);	/* low value */
	b[0].value_cents = 101;
	ck_assert_int_eq(dup_same_lines(a, 2, b, 2), 0);
	b[0].value_cents = 100;
	b[0].grams = 2001;
	ck_assert_int_eq(dup_same_lines(a, 2, b, 2), 0);
	b[0].grams = 2000;
	snprintf(b[0].hts_code, sizeof(b[0].hts_code), "7606123035");
	ck_assert_int_eq(dup_same_lines(a, 2, b, 2), 0);
	/* The same line twice is not two different lines. */
	line(&b[0], "7601103000", 2500000, 10000000);
	ck_assert_int_eq(dup_same_lines(a, 2, b, 2), 0);

	ck_assert_int_eq(dup_same_importer("Acme Metals", " acme METALS "),
	    1);
	ck_assert_int_eq(dup_same_importer("Acme Metals", "Acme Metal"), 0);
	ck_assert_int_eq(dup_same_importer("", ""), 0);
	ck_assert_int_eq(dup_same_importer(NULL, "x"), 0);
}
END_TEST

START_TEST(staff_accounts_and_sessions)
{
	struct staff_user	 u;
	struct staff_session	 s;
	char			 tok[STAFF_TOKEN_LEN + 1];
	int64_t			 id, id2;
	int			 i, wait;

	ck_assert_int_eq(staff_role_parse("supervisor"),
	    STAFF_ROLE_SUPERVISOR);
	ck_assert_int_eq(staff_role_parse("admin"), -1);
	ck_assert_int_eq(staff_add(db, "ann@office.test", STAFF_ROLE_STAFF,
	    "$argon2id$hash", &id), DB_OK);
	ck_assert_int_eq(staff_add(db, "ANN@office.test", STAFF_ROLE_STAFF,
	    "$argon2id$hash", &id2), DB_EXISTS);
	ck_assert_int_eq(staff_add(db, "no-at-sign", STAFF_ROLE_STAFF,
	    "$argon2id$hash", &id2), DB_ERROR);
	/* The queue keeps names of 63 bytes: 64 is refused. */
	ck_assert_int_eq(staff_add(db, "a123456789012345678901234567890123"
	    "456789012345678901@office.test", STAFF_ROLE_STAFF, "h", &id2),
	    DB_ERROR);
	ck_assert_int_eq(staff_add(db, "a123456789012345678901234567890123"
	    "45678901234567890@office.test", STAFF_ROLE_STAFF, "h", &id2),
	    DB_OK);
	ck_assert_int_eq(staff_by_email(db, "Ann@Office.Test", &u), DB_OK);
	ck_assert_int_eq(u.id, id);
	ck_assert_int_eq(u.role, STAFF_ROLE_STAFF);
	ck_assert_int_eq(staff_by_email(db, "filer@example.com", &u),
	    DB_NOT_FOUND);
	/* A filer session table row is never a staff one. */
	ck_assert_int_eq(scalar("SELECT count(*) FROM staff WHERE email = "
	    "'filer@example.com'"), 0);

	ck_assert_int_eq(staff_session_create(db, id, "staff", 600, 3600,
	    tok), DB_OK);
	ck_assert_uint_eq(strlen(tok), STAFF_TOKEN_LEN);
	ck_assert_int_eq(staff_session_find(db, tok, 600, &s), DB_OK);
	ck_assert_int_eq(s.staff_id, id);
	ck_assert_str_eq(s.role, "staff");
	ck_assert_int_eq(staff_session_create(db, id, "root", 600, 3600,
	    tok), DB_ERROR);
	ck_assert_int_eq(staff_session_create(db, id, "staff", 600, 3600,
	    tok), DB_OK);
	/* Idle for ten minutes: gone (and removed). */
	db->now += 601;
	ck_assert_int_eq(staff_session_find(db, tok, 600, &s), DB_NOT_FOUND);
	ck_assert_int_eq(staff_session_create(db, id, "staff", 600, 3600,
	    tok), DB_OK);
	db->now += 599;
	ck_assert_int_eq(staff_session_find(db, tok, 600, &s), DB_OK);
	ck_assert_int_eq(staff_session_delete(db, tok), DB_OK);
	ck_assert_int_eq(staff_session_find(db, tok, 600, &s), DB_NOT_FOUND);
	ck_assert_int_eq(staff_session_find(db, "short", 600, &s),
	    DB_NOT_FOUND);

	/* The throttle: four failures leave sign-in open, the fifth
	 * blocks it. */
	for (i = 0; i < STAFF_SIGNIN_FAILURES - 1; i++)
		ck_assert_int_eq(staff_signin_failed(db, id), DB_OK);
	ck_assert_int_eq(staff_signin_wait(db, id, &wait), DB_OK);
	ck_assert_int_eq(wait, 0);
	ck_assert_int_eq(staff_signin_failed(db, id), DB_OK);
	ck_assert_int_eq(staff_signin_wait(db, id, &wait), DB_OK);
	ck_assert_int_eq(wait, STAFF_SIGNIN_BLOCK_SECONDS);
	db->now += STAFF_SIGNIN_BLOCK_SECONDS;
	ck_assert_int_eq(staff_signin_wait(db, id, &wait), DB_OK);
	ck_assert_int_eq(wait, 0);
}
END_TEST

START_TEST(efiling_revoked_refuses_electronic_channels)
{
	/* Staff issue (an approved emailed form) and the operator still
	 * file. */
	static const struct {
		const char	*channel;
		enum reg_err	 e;
	} after[] = {
		{ "web", REG_ACCOUNT }, { "api", REG_ACCOUNT },
		{ "email", REG_OK }, { "cli", REG_OK },
	};
	char	 num[LICNUM_LEN + 1];
	size_t	 i;

	ck_assert_int_eq(file(filer_id, "web", tests_aluminum(), num), REG_OK);
	ck_assert_int_eq(console_account_set(db, &ann, filer_id,
	    CONSOLE_EFILING, 0), DB_OK);
	ck_assert_int_eq(scalar("SELECT efiling FROM account WHERE id = 1"),
	    0);
	for (i = 0; i < sizeof(after) / sizeof(after[0]); i++)
		ck_assert_msg(file(filer_id, after[i].channel,
		    tests_aluminum(), NULL) == after[i].e, "%s",
		    after[i].channel);
	/* Another account is not touched. */
	ck_assert_int_eq(file(other_id, "web", aluminum("Other Steel Inc",
	    "2026-02-10", "25000"), NULL), REG_OK);
	ck_assert_int_eq(console_account_set(db, &ann, filer_id,
	    CONSOLE_EFILING, 1), DB_OK);
	ck_assert_int_eq(file(filer_id, "web", tests_aluminum(), NULL), REG_OK);
	ck_assert_int_eq(audits("efiling_revoke"), 1);
	ck_assert_int_eq(audits("efiling_restore"), 1);
	ck_assert_int_eq(console_account_set(db, &ann, 999, CONSOLE_EFILING,
	    0), DB_NOT_FOUND);
	ck_assert_int_eq(audits("efiling_revoke"), 1);
}
END_TEST

START_TEST(lock_ends_sessions)
{
	char	 tok[SESSION_TOKEN_LEN + 1];
	struct session s;

	ck_assert_int_eq(session_create(db, filer_id, "filer", 600, 3600,
	    tok), DB_OK);
	ck_assert_int_eq(console_account_set(db, &ann, filer_id,
	    CONSOLE_LOCKED, 1), DB_OK);
	ck_assert_int_eq(session_find(db, tok, 600, &s), DB_NOT_FOUND);
	ck_assert_int_eq(scalar("SELECT locked FROM account WHERE id = 1"),
	    1);
	ck_assert_int_eq(file(filer_id, "email", tests_aluminum(), NULL),
	    REG_ACCOUNT);
	ck_assert_int_eq(console_account_set(db, &ann, filer_id,
	    CONSOLE_LOCKED, 0), DB_OK);
	ck_assert_int_eq(scalar("SELECT count(*) FROM staff_audit WHERE "
	    "action IN ('account_lock', 'account_unlock') AND who = "
	    "'ann@office.test' AND addr = '192.0.2.1' AND detail LIKE "
	    "'%filer@example.com'"), 2);
}
END_TEST

START_TEST(question_threads_on_license)
{
	struct queue_thread_row	*t;
	struct console_out	*o;
	char			 num[LICNUM_LEN + 1], big[CONSOLE_TEXT_MAX + 2];
	size_t			 nt, no;
	int64_t			 oid;

	ck_assert_int_eq(file(filer_id, "web", tests_aluminum(), num), REG_OK);
	ck_assert_int_eq(console_question(db, &ann, num, "", &oid),
	    QUEUE_INVALID);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(console_question(db, &ann, num, big, &oid),
	    QUEUE_INVALID);
	ck_assert_int_eq(console_question(db, &ann, "0000000000", "Why?",
	    &oid), QUEUE_NOT_FOUND);
	ck_assert_int_eq(audits("question"), 0);
	ck_assert_int_eq(console_question(db, &ann, num, "Is line 1 in "
	    "U.S. dollars?", &oid), QUEUE_OK);
	ck_assert_int_gt(oid, 0);
	ck_assert_int_eq(console_license_outbox(db, 1, &o, &no), DB_OK);
	ck_assert_uint_eq(no, 2);	/* the confirmation, the question */
	ck_assert_str_eq(o[1].template, "staff_question");
	ck_assert_str_eq(o[1].to, "filer@example.com");
	console_out_free(o, no);
	ck_assert_int_eq(console_license_thread(db, 1, &t, &nt), DB_OK);
	ck_assert_uint_eq(nt, 1);
	ck_assert_str_eq(t[0].direction, "out");
	ck_assert_int_eq(t[0].outbox_id, oid);
	console_thread_free(t, nt);
	ck_assert_int_eq(scalar("SELECT count(*) FROM outbox WHERE template = "
	    "'staff_question' AND json_extract(params, '$.license_id') = 1 AND "
	    "json_extract(params, '$.question') LIKE 'Is line 1%'"), 1);
	ck_assert_int_eq(audits("question"), 1);
}
END_TEST

/* A stored message that made an item of kind (a plain email). */
static int64_t
stored(uint32_t uid, enum mail_class cls, int64_t *message)
{
	struct message		 msg;
	struct mail_in		 in;
	struct mail_stored	 out;
	char			 raw[128], mid[64];

	memset(&msg, 0, sizeof(msg));
	memset(&in, 0, sizeof(in));
	snprintf(mid, sizeof(mid), "m%u@example.com", uid);
	snprintf(raw, sizeof(raw), "Message-ID: <%s>\r\nFrom: "
	    "filer@example.com\r\n\r\nhello\r\n", mid);
	msg.message_id = mid;
	msg.from = (char *)"filer@example.com";
	msg.subject = (char *)"A question";
	msg.text = (char *)"hello";
	in.mailbox = "aluminum";
	in.uidvalidity = 1;
	in.uid = uid;
	in.raw = raw;
	in.rawlen = strlen(raw);
	in.msg = &msg;
	in.cls = cls;
	ck_assert_int_eq(mail_store(db, &in, &out), DB_OK);
	if (message != NULL)
		*message = out.id;
	return out.item_id;
}

START_TEST(reply_to_correspondence)
{
	struct queue_view	 v;
	int64_t			 item, oid;
	char			 who[64];

	item = stored(1, MAIL_CORRESPONDENCE, NULL);
	ck_assert_int_gt(item, 0);
	ck_assert_int_eq(console_reply(db, item, &ann, NULL, "", &oid),
	    QUEUE_INVALID);
	ck_assert_int_eq(queue_claim(db, item, &bob, 0, who, sizeof(who)),
	    QUEUE_OK);
	ck_assert_int_eq(console_reply(db, item, &ann, NULL, "Answer", &oid),
	    QUEUE_CLAIMED);
	ck_assert_int_eq(console_reply(db, item, &bob, NULL, "Answer", &oid),
	    QUEUE_OK);
	ck_assert_int_eq(scalar("SELECT count(*) FROM outbox WHERE template = "
	    "'staff_reply' AND to_addr = 'filer@example.com' AND "
	    "json_extract(params, '$.subject') = 'Re: A question' AND "
	    "json_extract(params, '$.in_reply_to') = 'm1@example.com' AND "
	    "json_extract(params, '$.item_id') = 1"), 1);
	ck_assert_int_eq(queue_show(db, item, &v), QUEUE_OK);
	ck_assert_uint_eq(v.nthread, 2);
	ck_assert_str_eq(v.thread[1].template, "staff_reply");
	queue_view_free(&v);
	ck_assert_int_eq(queue_close(db, item, &bob, NULL), QUEUE_OK);
	ck_assert_int_eq(console_reply(db, item, &bob, NULL, "More", &oid),
	    QUEUE_STATE);
	ck_assert_int_eq(audits("reply"), 1);
	ck_assert_int_eq(console_reply(db, 999, &bob, NULL, "x", &oid),
	    QUEUE_NOT_FOUND);
}
END_TEST

START_TEST(reprocess_quarantine)
{
	struct mail_in		 in;
	struct mail_stored	 out;
	struct stored_message	 m;
	struct queue_view	 v;
	int64_t			 ids[4], item;
	size_t			 n;
	const char		*raw = "Message-ID: <q@example.com>\r\n\r\nx\r\n";

	memset(&in, 0, sizeof(in));
	in.mailbox = "aluminum";
	in.uidvalidity = 1;
	in.uid = 7;
	in.raw = raw;
	in.rawlen = strlen(raw);
	ck_assert_int_eq(mail_fail(db, &in, "parser killed", 1, &out), DB_OK);
	ck_assert_str_eq(out.state, "quarantined");
	item = out.item_id;
	ck_assert_int_gt(item, 0);
	ck_assert_int_eq(mail_pending(db, ids, 4, &n), DB_OK);
	ck_assert_uint_eq(n, 0);
	/* Only quarantine items are read again. */
	ck_assert_int_eq(console_reprocess(db, stored(2, MAIL_CORRESPONDENCE,
	    NULL), &ann), QUEUE_KIND);
	ck_assert_int_eq(console_reprocess(db, item, &ann), QUEUE_OK);
	ck_assert_int_eq(mail_get(db, out.id, &m), DB_OK);
	ck_assert_str_eq(m.state, "stored");
	ck_assert_int_eq(m.attempts, 0);
	stored_message_clear(&m);
	ck_assert_int_eq(mail_pending(db, ids, 4, &n), DB_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(ids[0], out.id);
	/* Closed, no longer holding the message, which stays in its
	 * thread. */
	ck_assert_int_eq(queue_show(db, item, &v), QUEUE_OK);
	ck_assert_int_eq(v.state, QS_CLOSED);
	ck_assert_int_eq(v.message_id, 0);
	ck_assert_uint_eq(v.nthread, 1);
	ck_assert_int_eq(v.thread[0].message_id, out.id);
	queue_view_free(&v);
	ck_assert_int_eq(console_reprocess(db, item, &ann), QUEUE_STATE);
	ck_assert_int_eq(mail_requeue(db, out.id), DB_NOT_FOUND);
	/* Failing again, it is quarantined again with an item of its own. */
	ck_assert_int_eq(mail_fail(db, &in, "parser killed", 1, &out), DB_OK);
	ck_assert_str_eq(out.state, "quarantined");
	ck_assert_int_gt(out.item_id, item);
	ck_assert_int_eq(audits("reprocess"), 1);
}
END_TEST

START_TEST(duplicates_listed_dismissed_asked)
{
	struct dup_pair	*p;
	char		 a[LICNUM_LEN + 1], b[LICNUM_LEN + 1];
	char		 c[LICNUM_LEN + 1], d[LICNUM_LEN + 1];
	char		 e[LICNUM_LEN + 1];
	size_t		 n;

	ck_assert_int_eq(file(filer_id, "web", aluminum("Test Metals LLC",
	    "2026-02-10", "25000"), a), REG_OK);
	/* Same importer (another case), lines and a week apart: a pair,
	 * across channels. */
	ck_assert_int_eq(file(filer_id, "email", aluminum("TEST METALS LLC",
	    "2026-02-17", "25000"), b), REG_OK);
	/* Eight days apart, another value, another account: none. */
	ck_assert_int_eq(file(filer_id, "api", aluminum("Test Metals LLC",
	    "2026-02-25", "25000"), c), REG_OK);
	ck_assert_int_eq(file(filer_id, "api", aluminum("Test Metals LLC",
	    "2026-02-10", "25000.01"), d), REG_OK);
	ck_assert_int_eq(file(other_id, "web", aluminum("Test Metals LLC",
	    "2026-02-10", "25000"), e), REG_OK);

	ck_assert_int_eq(dup_list(db, "2026-01-01", &p, &n), DB_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(p[0].number[0], a);
	ck_assert_str_eq(p[0].number[1], b);
	ck_assert_str_eq(p[0].channel[0], "web");
	ck_assert_str_eq(p[0].channel[1], "email");
	ck_assert_int_eq(p[0].nlines, 1);
	ck_assert_int_eq(p[0].value_cents, 2500000);
	ck_assert_str_eq(p[0].state, "");
	dup_pairs_free(p, n);
	/* Out of the window: none. */
	ck_assert_int_eq(dup_list(db, "2026-01-16", &p, &n), DB_OK);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(dup_list(db, "someday", &p, &n), DB_ERROR);

	/* Not one account; the same license twice: refused. */
	ck_assert_int_eq(dup_dismiss(db, &ann, a, e, NULL), QUEUE_NOT_FOUND);
	ck_assert_int_eq(dup_dismiss(db, &ann, a, a, NULL), QUEUE_INVALID);
	ck_assert_int_eq(dup_ask(db, &ann, b, a, ""), QUEUE_INVALID);
	ck_assert_int_eq(audits("duplicate_ask"), 0);
	ck_assert_int_eq(dup_ask(db, &ann, b, a, "Same shipment?"),
	    QUEUE_OK);
	ck_assert_int_eq(dup_list(db, "2026-01-01", &p, &n), DB_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(p[0].state, "asked");
	ck_assert_str_eq(p[0].who, "ann@office.test");
	dup_pairs_free(p, n);
	ck_assert_int_eq(dup_dismiss(db, &bob, b, a, "two containers"),
	    QUEUE_OK);
	ck_assert_int_eq(dup_list(db, "2026-01-01", &p, &n), DB_OK);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(audits("duplicate_ask"), 1);
	ck_assert_int_eq(audits("duplicate_dismiss"), 1);
	/* The question went about the newer license, to its filer. */
	ck_assert_int_eq(scalar("SELECT count(*) FROM outbox WHERE template = "
	    "'staff_question' AND to_addr = 'filer@example.com'"), 1);
}
END_TEST

START_TEST(staff_search_every_account)
{
	struct listing_staff_query	 q;
	struct listing_staff_row	*rows;
	size_t				 n, total;

	ck_assert_int_eq(file(filer_id, "web", tests_aluminum(), NULL), REG_OK);
	ck_assert_int_eq(file(other_id, "email", aluminum("Another "
	    "Importer", "2026-02-12", "30000"), NULL), REG_OK);
	memset(&q, 0, sizeof(q));
	q.limit = 10;
	ck_assert_int_eq(listing_staff_query(db, &q, &rows, &n, &total),
	    DB_OK);
	ck_assert_uint_eq(total, 2);
	ck_assert_str_eq(rows[0].company_name, "Other Steel Inc");
	ck_assert_str_eq(rows[0].exporter_name, "Alu Export GmbH");
	free(rows);
	q.hts = "7601.10";
	q.channel = "email";
	ck_assert_int_eq(listing_staff_query(db, &q, &rows, &n, &total),
	    DB_OK);
	ck_assert_uint_eq(total, 1);
	ck_assert_str_eq(rows[0].l.importer_name, "Another Importer");
	free(rows);
	q.hts = "7606";
	ck_assert_int_eq(listing_staff_query(db, &q, &rows, &n, &total),
	    DB_OK);
	ck_assert_uint_eq(total, 0);
	memset(&q, 0, sizeof(q));
	q.limit = 10;
	q.company = "test metals";
	q.country = "germ";
	q.import_from = "2026-02-10";
	q.import_to = "2026-02-10";
	ck_assert_int_eq(listing_staff_query(db, &q, &rows, &n, &total),
	    DB_OK);
	ck_assert_uint_eq(total, 1);
	free(rows);
	q.import_from = "2026-02-11";
	ck_assert_int_eq(listing_staff_query(db, &q, &rows, &n, &total),
	    DB_OK);
	ck_assert_uint_eq(total, 0);
	q.account_id = other_id;
	q.company = NULL;
	q.import_from = NULL;
	q.import_to = NULL;
	ck_assert_int_eq(listing_staff_query(db, &q, &rows, &n, &total),
	    DB_OK);
	ck_assert_uint_eq(total, 1);
	free(rows);
	q.from = "2026-13-45";
	ck_assert_int_eq(listing_staff_query(db, &q, &rows, &n, &total),
	    DB_ERROR);
	/* Input is data, never SQL. */
	memset(&q, 0, sizeof(q));
	q.limit = 10;
	q.importer = "' OR 1=1 --";
	ck_assert_int_eq(listing_staff_query(db, &q, &rows, &n, &total),
	    DB_OK);
	ck_assert_uint_eq(total, 0);
}
END_TEST

START_TEST(dashboard_numbers)
{
	struct console_dash	 d;
	struct mailbox_state	 ms;
	char			 who[64];
	int64_t			 item;

	item = stored(1, MAIL_CORRESPONDENCE, NULL);
	stored(2, MAIL_CORRESPONDENCE, NULL);
	ck_assert_int_eq(queue_claim(db, item, &ann, 0, who, sizeof(who)),
	    QUEUE_OK);
	memset(&ms, 0, sizeof(ms));
	snprintf(ms.mailbox, sizeof(ms.mailbox), "aluminum");
	ms.uidvalidity = 9;
	ms.last_uid = 2;
	ck_assert_int_eq(mailbox_put(db, &ms), DB_OK);
	ck_assert_int_eq(console_dashboard(db, &d), DB_OK);
	ck_assert_int_eq(d.active[QK_CORRESPONDENCE], 2);
	ck_assert_int_eq(d.claimed[QK_CORRESPONDENCE], 1);
	ck_assert_int_eq(d.active[QK_SUBMISSION], 0);
	ck_assert_str_ne(d.oldest[QK_CORRESPONDENCE], "");
	ck_assert_str_eq(d.oldest[QK_SUBMISSION], "");
	ck_assert_uint_eq(d.nmailboxes, 1);
	ck_assert_str_eq(d.mailboxes[0].mailbox, "aluminum");
	ck_assert_int_eq(d.outbox_failed, 0);
	console_dash_free(&d);
}
END_TEST

START_TEST(audit_list_and_triggers)
{
	struct console_audit_filter	 f;
	struct console_audit_row	*r;
	char				 num[LICNUM_LEN + 1];
	size_t				 n, total;

	ck_assert_int_eq(file(filer_id, "web", tests_aluminum(), num), REG_OK);
	ck_assert_int_eq(console_question(db, &ann, num, "Why?", NULL),
	    QUEUE_OK);
	ck_assert_int_eq(console_account_set(db, &bob, other_id,
	    CONSOLE_LOCKED, 1), DB_OK);
	memset(&f, 0, sizeof(f));
	ck_assert_int_eq(console_audit(db, &f, &r, &n, &total), DB_OK);
	ck_assert_uint_eq(total, 2);
	ck_assert_str_eq(r[0].a.action, "account_lock");	/* newest */
	ck_assert_str_eq(r[1].license_number, num);
	console_audit_free(r, n);
	f.who = "ann@office.test";
	ck_assert_int_eq(console_audit(db, &f, &r, &n, &total), DB_OK);
	ck_assert_uint_eq(total, 1);
	ck_assert_str_eq(r[0].a.addr, "192.0.2.1");
	console_audit_free(r, n);
	/* Editable by nobody. */
	ck_assert_int_ne(sqlite3_exec(db->h, "UPDATE staff_audit SET "
	    "who = 'x'", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_ne(sqlite3_exec(db->h, "DELETE FROM staff_audit",
	    NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(scalar("SELECT count(*) FROM staff_audit"), 2);
}
END_TEST

Suite *
suite_staff(void)
{
	Suite	*s = suite_create("staff");
	TCase	*tc = tcase_create("staff");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, dupcheck_rule);
	tcase_add_test(tc, staff_accounts_and_sessions);
	tcase_add_test(tc, efiling_revoked_refuses_electronic_channels);
	tcase_add_test(tc, lock_ends_sessions);
	tcase_add_test(tc, question_threads_on_license);
	tcase_add_test(tc, reply_to_correspondence);
	tcase_add_test(tc, reprocess_quarantine);
	tcase_add_test(tc, duplicates_listed_dismissed_asked);
	tcase_add_test(tc, staff_search_every_account);
	tcase_add_test(tc, dashboard_numbers);
	tcase_add_test(tc, audit_list_and_triggers);
	suite_add_tcase(s, tc);
	return s;
}
