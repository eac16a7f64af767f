/*
 * The mail gateway's store against a real SQLite file: idempotent on
 * (mailbox, UIDVALIDITY, UID), on Message-ID and on the SHA-256 when
 * there is none; one transaction under injected faults; failures
 * counted to quarantine; mailbox positions; single-use reply tokens;
 * what each class of message does to the queue.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/date.h"
#include "lib/sha256.h"
#include "forms/account.h"
#include "forms/rules.h"
#include "db/accounts.h"
#include "db/mailstore.h"
#include "db/outbox.h"
#include "db/queue.h"
#include "db/tables.h"
#include "tests.h"

static struct db	*db;
static char		 dir[TESTS_DIR_MAX];
static int		 today;

static void
setup(void)
{
	db = tests_db_open(dir, 1);
	tests_add_filer(db, "filer@example.com", 1);
	today = date_from_ymd(2026, 1, 15);
	db->now = (time_t)today * 86400 + 12 * 3600;
}

static void
teardown(void)
{
	tests_db_close(db, dir);
}

static long
count(const char *table)
{
	return tests_count(db, table);
}

/* Every row the store may write. */
static long
all_rows(void)
{
	return count("mail_message") + count("mail_attachment") +
	    count("queue_item") + count("queue_thread") + count("outbox") +
	    count("reply_token_use") + count("staff_audit");
}

/* The test application from origin: valid for "Germany". */
static struct form *
aluminum(const char *origin)
{
	struct form	*f = tests_aluminum();

	tests_hset(f, HF_COUNTRY_OF_ORIGIN, origin);
	return f;
}

/* A parsed message and its fetch, all pointing at static text. */
struct fixture {
	struct message		 msg;
	struct attachment	 att[2];
	struct mail_in		 in;
	char			 raw[512];
};

static void
fixture(struct fixture *x, enum mail_class cls, const char *mailbox,
    uint32_t uid, const char *mid, const char *from, const char *body)
{
	memset(x, 0, sizeof(*x));
	snprintf(x->raw, sizeof(x->raw), "Message-ID: <%s>\r\nFrom: %s\r\n"
	    "Subject: Aluminum License Application\r\n\r\n%s\r\n",
	    mid != NULL ? mid : "", from, body);
	x->msg.message_id = (char *)mid;
	x->msg.from = (char *)from;
	x->msg.from_name = (char *)"Pat Tester";
	x->msg.to = (char *)"aluminum.license@aim.test";
	x->msg.subject = (char *)"Aluminum License Application";
	x->msg.auth_results = (char *)"mx.aim.test; dmarc=pass";
	x->msg.text = (char *)body;
	x->att[0].name = (char *)"form.pdf";
	x->att[0].type = (char *)"application/pdf";
	x->att[0].data = (unsigned char *)"%PDF-1.7 form";
	x->att[0].size = 13;
	ck_assert_int_eq(sha256_hex(x->att[0].data, x->att[0].size,
	    x->att[0].sha256), 0);
	x->att[1].name = (char *)"screen shot.png";
	x->att[1].type = (char *)"image/png";
	x->att[1].data = (unsigned char *)"\x89PNG";
	x->att[1].size = 4;	/* no sha256: the store computes it */
	x->msg.att = x->att;
	x->msg.natt = 2;
	x->in.mailbox = mailbox;
	x->in.uidvalidity = 7;
	x->in.uid = uid;
	x->in.raw = x->raw;
	x->in.rawlen = strlen(x->raw);
	x->in.msg = &x->msg;
	x->in.cls = cls;
	x->in.product = "aluminum";
	x->in.app_date = today;
}

START_TEST(same_uid_twice_stores_once)
{
	struct fixture		 x;
	struct mail_stored	 a, b;
	struct form		*f = aluminum("Germany");
	long			 rows;

	fixture(&x, MAIL_SUBMISSION, "aluminum", 1, "m1@example.com",
	    "filer@example.com", "Our site is down; form attached.");
	x.in.has_form = 1;
	x.in.form = f;
	ck_assert_int_eq(mail_store(db, &x.in, &a), DB_OK);
	ck_assert_int_eq(a.created, 1);
	ck_assert_str_eq(a.state, "processed");
	ck_assert_int_gt(a.item_id, 0);
	ck_assert_int_eq(a.acked, 1);
	ck_assert_int_eq(count("mail_attachment"), 2);
	rows = all_rows();

	/* Fetched again after a crash before the MOVE. */
	ck_assert_int_eq(mail_store(db, &x.in, &b), DB_OK);
	ck_assert_int_eq(b.created, 0);
	ck_assert_int_eq(b.id, a.id);
	ck_assert_str_eq(b.state, "processed");
	ck_assert_int_eq(b.acked, 0);
	ck_assert_int_eq(all_rows(), rows);
	form_free(f);
}
END_TEST

START_TEST(same_message_id_elsewhere_stores_once)
{
	struct fixture		 x, y;
	struct mail_stored	 a, b;
	int64_t			 id = 0;

	fixture(&x, MAIL_CORRESPONDENCE, "aluminum", 5, "m2@example.com",
	    "filer@example.com", "A question.");
	fixture(&y, MAIL_CORRESPONDENCE, "steel", 9, "m2@example.com",
	    "filer@example.com", "A question (steel copy).");
	ck_assert_int_eq(mail_store(db, &x.in, &a), DB_OK);
	ck_assert_int_eq(a.created, 1);
	ck_assert_int_eq(count("queue_item"), 1);
	ck_assert_int_eq(mail_store(db, &y.in, &b), DB_OK);
	ck_assert_int_eq(b.created, 0);
	ck_assert_int_eq(b.id, a.id);
	ck_assert_int_eq(count("mail_message"), 1);
	ck_assert_int_eq(count("queue_item"), 1);
	/* message_seen knows it by either key. */
	ck_assert_int_eq(message_seen(db, "aluminum", 7, 5, NULL, &id), DB_OK);
	ck_assert_int_eq(id, a.id);
	ck_assert_int_eq(message_seen(db, "steel", 7, 9, "m2@example.com",
	    &id), DB_OK);
	ck_assert_int_eq(message_seen(db, "steel", 7, 9, NULL, &id),
	    DB_NOT_FOUND);
	ck_assert_int_eq(message_seen(db, "aluminum", 8, 5, NULL, &id),
	    DB_NOT_FOUND);
}
END_TEST

/* A Message-ID reused by another sender cannot hide that message. */
START_TEST(same_message_id_other_sender_is_kept)
{
	struct fixture		 x, y;
	struct mail_stored	 a, b;
	struct stored_message	 m;

	fixture(&x, MAIL_CORRESPONDENCE, "aluminum", 1, "m3@example.com",
	    "filer@example.com", "First.");
	fixture(&y, MAIL_CORRESPONDENCE, "aluminum", 2, "m3@example.com",
	    "mallory@example.net", "Second.");
	ck_assert_int_eq(mail_store(db, &x.in, &a), DB_OK);
	ck_assert_int_eq(mail_store(db, &y.in, &b), DB_OK);
	ck_assert_int_eq(b.created, 1);
	ck_assert_int_ne(b.id, a.id);
	ck_assert_int_eq(mail_get(db, b.id, &m), DB_OK);
	ck_assert_str_eq(m.message_id, m.sha256);
	ck_assert_str_eq(m.from, "mallory@example.net");
	stored_message_clear(&m);
}
END_TEST

START_TEST(absent_message_id_keys_on_sha256)
{
	struct fixture		 x, y, z;
	struct mail_stored	 a, b, c;
	struct stored_message	 m;
	char			 sha[SHA256_HEX_LEN + 1];

	fixture(&x, MAIL_CORRESPONDENCE, "aluminum", 1, NULL,
	    "filer@example.com", "No Message-ID here.");
	ck_assert_int_eq(mail_store(db, &x.in, &a), DB_OK);
	ck_assert_int_eq(mail_get(db, a.id, &m), DB_OK);
	ck_assert_int_eq(sha256_hex(x.raw, strlen(x.raw), sha), 0);
	ck_assert_str_eq(m.sha256, sha);
	ck_assert_str_eq(m.message_id, sha);
	ck_assert_uint_eq(m.size, strlen(x.raw));
	stored_message_clear(&m);
	/* The same bytes under another UID: the same message. */
	fixture(&y, MAIL_CORRESPONDENCE, "aluminum", 2, NULL,
	    "filer@example.com", "No Message-ID here.");
	ck_assert_int_eq(mail_store(db, &y.in, &b), DB_OK);
	ck_assert_int_eq(b.created, 0);
	ck_assert_int_eq(b.id, a.id);
	/* One byte more: another message. */
	fixture(&z, MAIL_CORRESPONDENCE, "aluminum", 3, NULL,
	    "filer@example.com", "No Message-ID here!");
	ck_assert_int_eq(mail_store(db, &z.in, &c), DB_OK);
	ck_assert_int_eq(c.created, 1);
	ck_assert_int_eq(count("mail_message"), 2);
}
END_TEST

/*
 * Fails each statement step of a store in turn: every failure leaves
 * no row at all, and the next attempt stores everything.
 */
START_TEST(store_is_one_transaction)
{
	struct fixture		 x;
	struct mail_stored	 out;
	struct form		*f = aluminum("Germany");
	long			 before = all_rows();
	enum db_err		 e;
	int			 k;

	fixture(&x, MAIL_SUBMISSION, "aluminum", 3, "m4@example.com",
	    "filer@example.com", "Form attached.");
	x.in.has_form = 1;
	x.in.form = f;
	for (k = 1; k < 200; k++) {
		db->fault_countdown = k;
		e = mail_store(db, &x.in, &out);
		db->fault_countdown = 0;
		if (e == DB_OK)
			break;
		ck_assert_int_eq(e, DB_IO);
		ck_assert_int_eq(out.id, 0);
		ck_assert_msg(all_rows() == before, "fault at step %d left "
		    "rows", k);
		ck_assert_int_eq(db->wlocked, 0);
	}
	ck_assert_msg(k > 10 && k < 200, "store took %d steps", k);
	ck_assert_int_eq(out.created, 1);
	ck_assert_int_eq(count("mail_message"), 1);
	ck_assert_int_eq(count("mail_attachment"), 2);
	ck_assert_int_eq(count("queue_item"), 1);
	ck_assert_int_eq(count("outbox"), 1);
	form_free(f);
}
END_TEST

START_TEST(failures_quarantine_and_completion)
{
	struct fixture		 x, y;
	struct mail_stored	 out;
	struct queue_view	 v;
	unsigned char		*raw;
	size_t			 len;

	/* Unreadable: kept raw on the first failure, never lost. */
	fixture(&x, MAIL_SUBMISSION, "aluminum", 11, "m5@example.com",
	    "filer@example.com", "bomb");
	x.in.msg = NULL;
	ck_assert_int_eq(mail_fail(db, &x.in, "parser killed: CPU time", 3,
	    &out), DB_OK);
	ck_assert_int_eq(out.created, 1);
	ck_assert_str_eq(out.state, "stored");
	ck_assert_int_eq(mail_raw(db, out.id, &raw, &len), DB_OK);
	ck_assert_uint_eq(len, strlen(x.raw));
	ck_assert_int_eq(memcmp(raw, x.raw, len), 0);
	free(raw);
	ck_assert_int_eq(mail_fail(db, &x.in, "parser killed: CPU time", 3,
	    &out), DB_OK);
	ck_assert_int_eq(out.created, 0);
	ck_assert_str_eq(out.state, "stored");
	ck_assert_int_eq(count("queue_item"), 0);
	/* The third failure quarantines, with a staff item. */
	ck_assert_int_eq(mail_fail(db, &x.in, "parser killed: memory", 3,
	    &out), DB_OK);
	ck_assert_str_eq(out.state, "quarantined");
	ck_assert_int_gt(out.item_id, 0);
	ck_assert_int_eq(queue_show(db, out.item_id, &v), QUEUE_OK);
	ck_assert_int_eq(v.kind, QK_QUARANTINE);
	ck_assert_str_eq(v.note, "parser killed: memory");
	ck_assert_int_eq(v.msg.attempts, 3);
	ck_assert_str_eq(v.msg.state, "quarantined");
	queue_view_free(&v);
	/* Once quarantined, neither store nor fail changes it. */
	x.in.msg = &x.msg;
	ck_assert_int_eq(mail_store(db, &x.in, &out), DB_OK);
	ck_assert_int_eq(out.created, 0);
	ck_assert_str_eq(out.state, "quarantined");
	ck_assert_int_eq(mail_fail(db, &x.in, "again", 3, &out), DB_OK);
	ck_assert_str_eq(out.state, "quarantined");
	ck_assert_int_eq(count("queue_item"), 1);

	/* Failed once, then read: the same row is completed. */
	fixture(&y, MAIL_CORRESPONDENCE, "aluminum", 12, NULL,
	    "filer@example.com", "flaky");
	y.in.msg = NULL;
	ck_assert_int_eq(mail_fail(db, &y.in, "timeout", 3, &out), DB_OK);
	y.in.msg = &y.msg;
	ck_assert_int_eq(mail_store(db, &y.in, &out), DB_OK);
	ck_assert_int_eq(out.created, 1);
	ck_assert_str_eq(out.state, "processed");
	ck_assert_int_gt(out.item_id, 0);
	ck_assert_int_eq(count("mail_message"), 2);
	/* A max below 1 means the first failure quarantines. */
	fixture(&y, MAIL_CORRESPONDENCE, "aluminum", 13, NULL,
	    "filer@example.com", "other");
	ck_assert_int_eq(mail_fail(db, &y.in, "bad", 0, &out), DB_OK);
	ck_assert_str_eq(out.state, "quarantined");
}
END_TEST

START_TEST(mailbox_positions)
{
	struct mailbox_state	 ms, got;

	ck_assert_int_eq(mailbox_get(db, "aluminum", &got), DB_NOT_FOUND);
	ck_assert_str_eq(got.mailbox, "aluminum");
	ck_assert_uint_eq(got.last_uid, 0);
	memset(&ms, 0, sizeof(ms));
	snprintf(ms.mailbox, sizeof(ms.mailbox), "aluminum");
	ms.uidvalidity = 4000000000U;	/* UIDs are unsigned 32-bit */
	ms.last_uid = 42;
	ck_assert_int_eq(mailbox_put(db, &ms), DB_OK);
	ck_assert_int_eq(mailbox_get(db, "aluminum", &got), DB_OK);
	ck_assert_uint_eq(got.uidvalidity, 4000000000U);
	ck_assert_uint_eq(got.last_uid, 42);
	ck_assert_str_eq(got.last_fetch_at, "2026-01-15T12:00:00Z");
	ck_assert_str_eq(got.last_error, "");
	ms.last_uid = 43;
	snprintf(ms.last_error, sizeof(ms.last_error), "connection reset");
	ck_assert_int_eq(mailbox_put(db, &ms), DB_OK);
	ck_assert_int_eq(mailbox_get(db, "aluminum", &got), DB_OK);
	ck_assert_uint_eq(got.last_uid, 43);
	ck_assert_str_eq(got.last_error, "connection reset");
	ck_assert_int_eq(mailbox_get(db, "steel", &got), DB_NOT_FOUND);
	ck_assert_int_eq(count("mailbox"), 1);
}
END_TEST

START_TEST(reply_tokens_are_single_use)
{
	struct fixture		 x, y;
	struct mail_stored	 a, b;
	struct queue_view	 v;
	char			 hash[SHA256_HEX_LEN + 1];

	ck_assert_int_eq(sha256_hex("token-1", 7, hash), 0);
	ck_assert_int_eq(mail_token_use(db, hash, 0), DB_OK);
	ck_assert_int_eq(mail_token_use(db, hash, 0), DB_EXISTS);
	ck_assert_int_eq(mail_token_use(db, "", 0), DB_ERROR);

	/* A reply with a token used before goes to staff. */
	fixture(&x, MAIL_CORRESPONDENCE, "aluminum", 20, "q@example.com",
	    "filer@example.com", "Question");
	ck_assert_int_eq(mail_store(db, &x.in, &a), DB_OK);
	ck_assert_int_eq(sha256_hex("token-2", 7, hash), 0);
	fixture(&y, MAIL_REPLY, "aluminum", 21, "r1@example.com",
	    "filer@example.com", "Thanks");
	y.in.item_id = a.item_id;
	y.in.token_hash = hash;
	ck_assert_int_eq(mail_store(db, &y.in, &b), DB_OK);
	ck_assert_int_eq(b.token_reused, 0);
	ck_assert_int_eq(b.item_id, a.item_id);	/* threaded on it */
	fixture(&y, MAIL_REPLY, "aluminum", 22, "r2@example.com",
	    "filer@example.com", "Thanks again");
	y.in.item_id = a.item_id;
	y.in.token_hash = hash;
	ck_assert_int_eq(mail_store(db, &y.in, &b), DB_OK);
	ck_assert_int_eq(b.token_reused, 1);
	ck_assert_int_ne(b.item_id, a.item_id);
	ck_assert_int_eq(queue_show(db, b.item_id, &v), QUEUE_OK);
	ck_assert_int_eq(v.kind, QK_CORRESPONDENCE);
	ck_assert_ptr_nonnull(strstr(v.note, "used before"));
	queue_view_free(&v);
	ck_assert_int_eq(count("reply_token_use"), 2);
}
END_TEST

START_TEST(never_answered_classes)
{
	static const enum mail_class cls[] = { MAIL_BOUNCE, MAIL_AUTO_REPLY,
	    MAIL_OWN };
	struct fixture		 x;
	struct mail_stored	 out;
	struct stored_message	 m;
	size_t			 i;

	for (i = 0; i < sizeof(cls) / sizeof(cls[0]); i++) {
		fixture(&x, cls[i], "aluminum", 30 + i, NULL,
		    "mailer-daemon@example.com", cls[i] == MAIL_BOUNCE ?
		    "bounce" : cls[i] == MAIL_OWN ? "own" : "away");
		ck_assert_int_eq(mail_store(db, &x.in, &out), DB_OK);
		ck_assert_str_eq(out.state, "processed");
		ck_assert_int_eq(out.item_id, 0);
		ck_assert_int_eq(out.acked, 0);
		ck_assert_int_eq(mail_get(db, out.id, &m), DB_OK);
		ck_assert_str_eq(m.classification, cls[i] == MAIL_BOUNCE ?
		    "bounce" : cls[i] == MAIL_OWN ? "own" : "auto_reply");
		stored_message_clear(&m);
	}
	ck_assert_int_eq(count("queue_item"), 0);
	ck_assert_int_eq(count("outbox"), 0);
	/* Even a submission is not answered when told not to. */
	fixture(&x, MAIL_SUBMISSION, "aluminum", 40, NULL,
	    "filer@example.com", "form");
	x.in.no_answer = 1;
	ck_assert_int_eq(mail_store(db, &x.in, &out), DB_OK);
	ck_assert_int_gt(out.item_id, 0);
	ck_assert_int_eq(out.acked, 0);
	ck_assert_int_eq(count("outbox"), 0);
}
END_TEST

/* A reply to a license waits for the daemon to apply it. */
START_TEST(reply_to_license_waits)
{
	struct fixture		 x;
	struct mail_stored	 out;
	struct stored_message	 m;
	struct stored_attachment *att;
	size_t			 n;
	int64_t			 lic;

	ck_assert_int_eq(sqlite3_exec(db->h, "INSERT INTO license (number, "
	    "account_id, product, license_type, status, version, issued_on, "
	    "channel) VALUES ('ABCDEFGH0', 1, 'aluminum', 'standard', "
	    "'action_required', 1, '2026-01-10', 'web')", NULL, NULL, NULL),
	    SQLITE_OK);
	lic = sqlite3_last_insert_rowid(db->h);
	fixture(&x, MAIL_REPLY, "aluminum", 50, "c@example.com",
	    "filer@example.com", "CONFIRM");
	x.in.license_id = lic;
	ck_assert_int_eq(mail_store(db, &x.in, &out), DB_OK);
	ck_assert_str_eq(out.state, "stored");
	ck_assert_int_eq(out.item_id, 0);
	ck_assert_int_eq(count("queue_thread"), 1);
	ck_assert_int_eq(mail_processed(db, out.id), DB_OK);
	ck_assert_int_eq(mail_processed(db, out.id), DB_NOT_FOUND);
	ck_assert_int_eq(mail_get(db, out.id, &m), DB_OK);
	ck_assert_str_eq(m.state, "processed");
	ck_assert_str_eq(m.classification, "reply");
	ck_assert_str_eq(m.subject, "Aluminum License Application");
	ck_assert_str_eq(m.auth_results, "mx.aim.test; dmarc=pass");
	ck_assert_str_eq(m.text, "CONFIRM");
	ck_assert_str_eq(m.mailbox, "aluminum");
	ck_assert_uint_eq(m.uid, 50);
	stored_message_clear(&m);
	ck_assert_int_eq(mail_attachments(db, out.id, &att, &n), DB_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(att[0].name, "form.pdf");
	ck_assert_str_eq(att[0].sha256, x.att[0].sha256);
	ck_assert_str_eq(att[1].type, "image/png");
	ck_assert_uint_eq(att[1].size, 4);
	ck_assert_uint_eq(strlen(att[1].sha256), SHA256_HEX_LEN);
	stored_attachments_free(att, n);
	ck_assert_int_eq(mail_get(db, 9999, &m), DB_NOT_FOUND);
}
END_TEST

START_TEST(bad_input_refused)
{
	struct fixture		 x;
	struct mail_stored	 out;
	char			 name[MAILBOX_NAME_MAX + 1];

	fixture(&x, MAIL_CORRESPONDENCE, "", 1, NULL, "a@example.com", "x");
	ck_assert_int_eq(mail_store(db, &x.in, &out), DB_ERROR);
	memset(name, 'm', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	fixture(&x, MAIL_CORRESPONDENCE, name, 1, NULL, "a@example.com", "x");
	ck_assert_int_eq(mail_store(db, &x.in, &out), DB_ERROR);
	name[MAILBOX_NAME_MAX - 1] = '\0';	/* 63 bytes: fits */
	fixture(&x, MAIL_CORRESPONDENCE, name, 1, NULL, "a@example.com", "x");
	ck_assert_int_eq(mail_store(db, &x.in, &out), DB_OK);
	fixture(&x, MAIL_CLASS__MAX, "aluminum", 2, NULL, "a@example.com",
	    "x");
	ck_assert_int_eq(mail_store(db, &x.in, &out), DB_ERROR);
	ck_assert_int_eq(count("mail_message"), 1);
	/* The raw bytes are evidence: the database refuses to rewrite
	 * or drop them. */
	ck_assert_int_ne(sqlite3_exec(db->h, "UPDATE mail_raw SET raw = "
	    "'x'", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_ne(sqlite3_exec(db->h, "DELETE FROM mail_raw", NULL,
	    NULL, NULL), SQLITE_OK);
	ck_assert_int_ne(sqlite3_exec(db->h, "UPDATE mail_message SET sha256 "
	    "= 'x'", NULL, NULL, NULL), SQLITE_OK);
}
END_TEST

/* A database error names its cause, not "SQL logic error". */
START_TEST(errors_name_their_cause)
{
	ck_assert_int_eq(db_commit(db), DB_ERROR);
	ck_assert_msg(strstr(db->errmsg, "no transaction") != NULL, "%s",
	    db->errmsg);
}
END_TEST

/* A large message is stored from its file, a piece at a time. */
START_TEST(raw_from_a_file)
{
	struct mail_stored	 out;
	struct fixture		 x;
	unsigned char		*raw, *back;
	char			 sha[65], path[64];
	size_t			 n = 3 * 256 * 1024 + 17, i, len;
	int			 fd;

	ck_assert_ptr_nonnull(raw = malloc(n));
	for (i = 0; i < n; i++)
		raw[i] = (unsigned char)(i * 7 + i / 251);
	ck_assert_int_eq(sha256_hex(raw, n, sha), 0);
	snprintf(path, sizeof(path), "/tmp/aim-raw-XXXXXX");
	ck_assert_int_ge(fd = mkstemp(path), 0);
	unlink(path);
	ck_assert_int_eq(write(fd, raw, n), (ssize_t)n);
	fixture(&x, MAIL_CORRESPONDENCE, "aluminum", 1, "file@example.com",
	    "a@example.com", "x");
	x.in.raw = NULL;
	x.in.rawlen = n;
	x.in.raw_fd = fd;
	/* Without its SHA-256 it is refused. */
	ck_assert_int_eq(mail_store(db, &x.in, &out), DB_ERROR);
	x.in.sha256 = sha;
	ck_assert_int_eq(mail_store(db, &x.in, &out), DB_OK);
	ck_assert_int_eq(out.created, 1);
	ck_assert_int_eq(mail_raw(db, out.id, &back, &len), DB_OK);
	ck_assert_uint_eq(len, n);
	ck_assert(memcmp(back, raw, n) == 0);
	free(back);
	/* A file shorter than said stores nothing. */
	fixture(&x, MAIL_CORRESPONDENCE, "aluminum", 2, "short@example.com",
	    "a@example.com", "x");
	x.in.raw = NULL;
	x.in.rawlen = n + 1;
	x.in.raw_fd = fd;
	x.in.sha256 = sha;
	ck_assert_int_eq(mail_store(db, &x.in, &out), DB_IO);
	ck_assert_int_eq(count("mail_message"), 1);
	ck_assert_int_eq(count("mail_raw"), 1);
	close(fd);
	free(raw);
}
END_TEST

Suite *
suite_mailstore(void)
{
	Suite	*s = suite_create("mailstore");
	TCase	*tc = tcase_create("store");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, same_uid_twice_stores_once);
	tcase_add_test(tc, same_message_id_elsewhere_stores_once);
	tcase_add_test(tc, same_message_id_other_sender_is_kept);
	tcase_add_test(tc, absent_message_id_keys_on_sha256);
	tcase_add_test(tc, store_is_one_transaction);
	tcase_add_test(tc, failures_quarantine_and_completion);
	tcase_add_test(tc, mailbox_positions);
	tcase_add_test(tc, reply_tokens_are_single_use);
	tcase_add_test(tc, never_answered_classes);
	tcase_add_test(tc, reply_to_license_waits);
	tcase_add_test(tc, bad_input_refused);
	tcase_add_test(tc, raw_from_a_file);
	tcase_add_test(tc, errors_name_their_cause);
	suite_add_tcase(s, tc);
	return s;
}
