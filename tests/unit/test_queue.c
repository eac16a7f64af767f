/*
 * The staff queue against a real SQLite file: submission items from
 * valid, invalid and unreadable forms with their acknowledgements; a
 * corrected form updating the same item; claims; approval through the
 * registry (one transaction, under injected faults too) and its
 * refusals; rejection; the list, the item view and the audit log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "lib/date.h"
#include "lib/sha256.h"
#include "forms/account.h"
#include "forms/rules.h"
#include "db/accounts.h"
#include "db/mailstore.h"
#include "db/outbox.h"
#include "db/queue.h"
#include "db/registry.h"
#include "db/tables.h"
#include "tests.h"

static struct db	*db;
static char		 dir[TESTS_DIR_MAX];
static int64_t		 filer_id;
static int		 today;
static const struct staff ann = { "ann", "192.0.2.1" };
static const struct staff bob = { "bob", "192.0.2.2" };

static void
setup(void)
{
	db = tests_db_open(dir, 1);
	filer_id = tests_add_filer(db, "filer@example.com", 1);
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

/* The test application from origin: valid for "Germany". */
static struct form *
aluminum(const char *origin)
{
	struct form	*f = tests_aluminum();

	tests_hset(f, HF_COUNTRY_OF_ORIGIN, origin);
	return f;
}

/*
 * An emailed form through the store, as the daemon hands it over:
 * returns the queue item.  f may be NULL (no readable form).
 */
static int64_t
emailed(uint32_t uid, const char *from, const struct form *f,
    const char *filer_email, int64_t *message)
{
	struct message		 msg;
	struct mail_in		 in;
	struct mail_stored	 out;
	char			 raw[256], mid[64];

	memset(&msg, 0, sizeof(msg));
	memset(&in, 0, sizeof(in));
	snprintf(mid, sizeof(mid), "sub%u@example.com", uid);
	snprintf(raw, sizeof(raw), "Message-ID: <%s>\r\nFrom: %s\r\n\r\n"
	    "form\r\n", mid, from);
	msg.message_id = mid;
	msg.from = (char *)from;
	msg.subject = (char *)"Aluminum License Application";
	msg.text = (char *)"Our systems are down; the form is attached.";
	in.mailbox = "aluminum";
	in.uidvalidity = 1;
	in.uid = uid;
	in.raw = raw;
	in.rawlen = strlen(raw);
	in.msg = &msg;
	in.cls = MAIL_SUBMISSION;
	in.has_form = 1;
	in.form = f;
	in.form_error = f == NULL ? "The PDF is damaged: it cannot be "
	    "opened." : NULL;
	in.filer_email = filer_email;
	in.product = "aluminum";
	in.app_date = today;
	ck_assert_int_eq(mail_store(db, &in, &out), DB_OK);
	ck_assert_int_gt(out.item_id, 0);
	if (message != NULL)
		*message = out.id;
	return out.item_id;
}

/* The newest outbox row of a template (its params parsed), or NULL. */
static json_t *
outbox_last(const char *template, char *to, size_t tosz)
{
	struct outbox_row	*r;
	json_t			*p = NULL;
	size_t			 n, i;

	ck_assert_int_eq(outbox_list(db, NULL, &r, &n), DB_OK);
	for (i = n; i-- > 0; )
		if (strcmp(r[i].template, template) == 0) {
			p = json_loads(r[i].params, 0, NULL);
			ck_assert_ptr_nonnull(p);
			if (to != NULL)
				snprintf(to, tosz, "%s", r[i].to);
			break;
		}
	outbox_rows_free(r, n);
	return p;
}

static long
audit_count(const char *action)
{
	struct audit_row	*r;
	size_t			 n, i;
	long			 c = 0;

	ck_assert_int_eq(queue_audit_list(db, 0, 0, &r, &n), QUEUE_OK);
	for (i = 0; i < n; i++)
		if (strcmp(r[i].action, action) == 0)
			c++;
	audit_rows_free(r, n);
	return c;
}

START_TEST(valid_submission_acknowledged)
{
	struct form		*f = aluminum("Germany");
	struct queue_view	 v;
	json_t			*p, *s;
	char			 to[128];
	int64_t			 id, msg;

	id = emailed(1, "filer@example.com", f, NULL, &msg);
	ck_assert_int_eq(queue_show(db, id, &v), QUEUE_OK);
	ck_assert_int_eq(v.kind, QK_SUBMISSION);
	ck_assert_int_eq(v.state, QS_OPEN);
	ck_assert_str_eq(v.reference, "EF-2026-000001");
	ck_assert_str_eq(v.product, "aluminum");
	ck_assert_int_eq(v.valid, 1);
	ck_assert_uint_eq(v.report.nerrors, 0);
	ck_assert_int_eq(v.account_id, filer_id);
	ck_assert_str_eq(v.sender, "filer@example.com");
	ck_assert_ptr_nonnull(v.form);
	ck_assert_str_eq(v.form->v[HF_IMPORTER_NAME], "Test Metals LLC");
	ck_assert_int_eq(v.message_id, msg);
	ck_assert_int_eq(v.has_msg, 1);
	ck_assert_str_eq(v.msg.subject, "Aluminum License Application");
	/* The thread: the email in, the acknowledgement out. */
	ck_assert_uint_eq(v.nthread, 2);
	ck_assert_str_eq(v.thread[0].direction, "in");
	ck_assert_int_eq(v.thread[0].message_id, msg);
	ck_assert_str_eq(v.thread[1].direction, "out");
	ck_assert_str_eq(v.thread[1].template, "submission_received");
	ck_assert_str_eq(v.thread[1].to, "filer@example.com");
	queue_view_free(&v);

	p = outbox_last("submission_received", to, sizeof(to));
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(to, "filer@example.com");
	ck_assert_str_eq(json_string_value(json_object_get(p, "reference")),
	    "EF-2026-000001");
	ck_assert(json_is_true(json_object_get(p, "valid")));
	ck_assert(json_is_false(json_object_get(p, "update")));
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(p,
	    "notice")), "NOT a license number"));
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(p,
	    "notice")), "No entry may be filed"));
	ck_assert_str_eq(json_string_value(json_object_get(p, "in_reply_to")),
	    "sub1@example.com");
	s = json_object_get(p, "summary");
	ck_assert_str_eq(json_string_value(json_object_get(s,
	    "importer_name")), "Test Metals LLC");
	ck_assert_str_eq(json_string_value(json_object_get(s,
	    "exporter_name")), "Alu Export GmbH");
	ck_assert_str_eq(json_string_value(json_object_get(s,
	    "country_of_origin")), "Germany");
	ck_assert_int_eq(json_integer_value(json_object_get(s, "lines")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(s,
	    "total_customs_value_usd")), "25000.00");
	ck_assert_uint_eq(json_array_size(json_object_get(p, "errors")), 0);
	json_decref(p);
	form_free(f);
}
END_TEST

/* The acknowledgement queued with the item is the one
 * queue_acknowledge writes from the item read back. */
START_TEST(acknowledged_as_read_back)
{
	struct form	*f;
	json_t		*a, *b;
	int64_t		 id, oid;
	int		 k;

	for (k = 0; k < 3; k++) {
		f = k == 2 ? NULL : aluminum(k == 0 ? "Germany" : "CN");
		id = emailed((uint32_t)k + 1, "filer@example.com", f, NULL,
		    NULL);
		a = outbox_last("submission_received", NULL, 0);
		ck_assert_int_eq(queue_acknowledge(db, id, 0, &oid), DB_OK);
		ck_assert_int_gt(oid, 0);
		b = outbox_last("submission_received", NULL, 0);
		ck_assert_ptr_nonnull(a);
		ck_assert_ptr_nonnull(b);
		ck_assert_msg(json_equal(a, b), "form %d", k);
		json_decref(a);
		json_decref(b);
		form_free(f);
	}
}
END_TEST

START_TEST(invalid_and_unreadable_forms)
{
	struct form		*f = aluminum("CN");
	struct queue_view	 v;
	json_t			*p, *e;
	size_t			 i;
	int			 found = 0;
	int64_t			 id;

	id = emailed(1, "filer@example.com", f, NULL, NULL);
	ck_assert_int_eq(queue_show(db, id, &v), QUEUE_OK);
	ck_assert_int_eq(v.valid, 0);
	ck_assert(report_has_error(&v.report, "country_of_origin"));
	queue_view_free(&v);
	/* The acknowledgement names each error in plain words. */
	p = outbox_last("submission_received", NULL, 0);
	ck_assert(json_is_false(json_object_get(p, "valid")));
	json_array_foreach(json_object_get(p, "errors"), i, e)
		if (strcmp(json_string_value(json_object_get(e, "field")),
		    "country_of_origin") == 0) {
			ck_assert_str_eq(json_string_value(json_object_get(e,
			    "where")), "Country of origin");
			ck_assert_ptr_nonnull(strstr(json_string_value(
			    json_object_get(e, "message")), "China"));
			found = 1;
		}
	ck_assert(found);
	json_decref(p);
	form_free(f);

	/* No readable form: an item for staff, the reason to the filer. */
	id = emailed(2, "filer@example.com", NULL, NULL, NULL);
	ck_assert_int_eq(queue_show(db, id, &v), QUEUE_OK);
	ck_assert_int_eq(v.valid, 0);
	ck_assert_ptr_null(v.form);
	ck_assert_uint_eq(v.report.nerrors, 1);
	ck_assert_str_eq(v.report.errors[0].message,
	    "The PDF is damaged: it cannot be opened.");
	ck_assert_str_eq(v.reference, "EF-2026-000002");
	queue_view_free(&v);
	p = outbox_last("submission_received", NULL, 0);
	ck_assert(json_is_null(json_object_get(p, "summary")));
	e = json_array_get(json_object_get(p, "errors"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(e, "where")),
	    "The form");
	json_decref(p);
}
END_TEST

/* A reply carrying a corrected form updates the same item. */
START_TEST(correction_updates_same_item)
{
	struct form		*bad = aluminum("CN"), *good = aluminum("Germany");
	struct message		 msg;
	struct mail_in		 in;
	struct mail_stored	 out;
	struct queue_view	 v;
	json_t			*p;
	const char		*raw = "From: filer@example.com\r\n\r\nfixed\r\n";
	char			 hash[SHA256_HEX_LEN + 1];
	int64_t			 id;

	id = emailed(1, "filer@example.com", bad, NULL, NULL);
	memset(&msg, 0, sizeof(msg));
	memset(&in, 0, sizeof(in));
	msg.message_id = (char *)"fix1@example.com";
	msg.from = (char *)"filer@example.com";
	in.mailbox = "aluminum";
	in.uidvalidity = 1;
	in.uid = 2;
	in.raw = raw;
	in.rawlen = strlen(raw);
	in.msg = &msg;
	in.cls = MAIL_REPLY;
	in.item_id = id;
	ck_assert_int_eq(sha256_hex("tok", 3, hash), 0);
	in.token_hash = hash;
	in.has_form = 1;
	in.form = good;
	in.app_date = today;
	ck_assert_int_eq(mail_store(db, &in, &out), DB_OK);
	ck_assert_int_eq(out.item_id, id);
	ck_assert_int_eq(out.acked, 1);
	ck_assert_int_eq(count("queue_item"), 1);
	ck_assert_int_eq(queue_show(db, id, &v), QUEUE_OK);
	ck_assert_int_eq(v.valid, 1);
	ck_assert_uint_eq(v.report.nerrors, 0);
	ck_assert_str_eq(v.form->v[HF_COUNTRY_OF_ORIGIN], "Germany");
	ck_assert_uint_eq(v.nthread, 4);	/* in, ack, in, ack */
	queue_view_free(&v);
	p = outbox_last("submission_received", NULL, 0);
	ck_assert(json_is_true(json_object_get(p, "update")));
	ck_assert(json_is_true(json_object_get(p, "valid")));
	json_decref(p);
	ck_assert_uint_eq(tests_outbox_count(db, "submission_received",
	    NULL), 2);

	/* Once decided, a further form goes to staff, not onto it. */
	ck_assert_int_eq(queue_reject(db, id, &ann, "Duplicate of a license "
	    "filed on the web."), QUEUE_OK);
	in.uid = 3;
	msg.message_id = (char *)"fix2@example.com";
	in.token_hash = NULL;
	ck_assert_int_eq(mail_store(db, &in, &out), DB_OK);
	ck_assert_int_ne(out.item_id, id);
	ck_assert_int_eq(queue_show(db, out.item_id, &v), QUEUE_OK);
	ck_assert_int_eq(v.kind, QK_CORRESPONDENCE);
	queue_view_free(&v);
	/* queue_set_form itself refuses a decided item. */
	{
		struct queue_submission sub = { 0, "filer@example.com", good,
		    NULL, NULL, NULL, NULL, today };

		ck_assert_int_eq(queue_set_form(db, id, &sub), DB_NOT_FOUND);
	}
	form_free(bad);
	form_free(good);
}
END_TEST

START_TEST(claims_conflict)
{
	struct form		*f = aluminum("Germany");
	struct reg_result	 res;
	struct queue_view	 v;
	struct audit_row	*r;
	char			 who[64], why[256];
	size_t			 n;
	int64_t			 id;

	id = emailed(1, "filer@example.com", f, NULL, NULL);
	ck_assert_int_eq(queue_claim(db, id, &ann, 0, who, sizeof(who)),
	    QUEUE_OK);
	/* Claiming twice is harmless and not audited twice. */
	ck_assert_int_eq(queue_claim(db, id, &ann, 0, who, sizeof(who)),
	    QUEUE_OK);
	ck_assert_int_eq(audit_count("claim"), 1);
	ck_assert_int_eq(queue_claim(db, id, &bob, 0, who, sizeof(who)),
	    QUEUE_CLAIMED);
	ck_assert_str_eq(who, "ann");
	reg_result_init(&res);
	ck_assert_int_eq(queue_approve(db, id, &bob, today, &res, why,
	    sizeof(why)), QUEUE_CLAIMED);
	ck_assert_ptr_nonnull(strstr(why, "claimed by ann"));
	ck_assert_int_eq(queue_reject(db, id, &bob, "no"), QUEUE_CLAIMED);
	ck_assert_int_eq(queue_release(db, id, &bob, 0), QUEUE_CLAIMED);
	/* Forced: taken over, and recorded with whom it was taken from. */
	ck_assert_int_eq(queue_claim(db, id, &bob, 1, who, sizeof(who)),
	    QUEUE_OK);
	ck_assert_int_eq(queue_audit_list(db, id, 0, &r, &n), QUEUE_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(r[1].action, "claim_forced");
	ck_assert_str_eq(r[1].who, "bob");
	ck_assert_str_eq(r[1].addr, "192.0.2.2");
	ck_assert_str_eq(r[1].detail, "taken over from ann");
	audit_rows_free(r, n);
	ck_assert_int_eq(queue_show(db, id, &v), QUEUE_OK);
	ck_assert_int_eq(v.state, QS_CLAIMED);
	ck_assert_str_eq(v.claimed_by, "bob");
	queue_view_free(&v);
	ck_assert_int_eq(queue_release(db, id, &bob, 0), QUEUE_OK);
	ck_assert_int_eq(queue_release(db, id, &bob, 0), QUEUE_STATE);
	ck_assert_int_eq(queue_show(db, id, &v), QUEUE_OK);
	ck_assert_int_eq(v.state, QS_OPEN);
	ck_assert_str_eq(v.claimed_by, "");
	queue_view_free(&v);
	ck_assert_int_eq(queue_claim(db, 999, &ann, 0, who, sizeof(who)),
	    QUEUE_NOT_FOUND);
	reg_result_free(&res);
	form_free(f);
}
END_TEST

START_TEST(approve_issues_license)
{
	struct form		*f = aluminum("Germany");
	struct reg_result	 res;
	struct reg_view	 	 rv;
	struct queue_view	 v;
	struct outbox_row	*r;
	char			 why[256];
	size_t			 n, i;
	int64_t			 id;
	int			 created = 0;

	id = emailed(1, "filer@example.com", f, NULL, NULL);
	ck_assert_int_eq(queue_claim(db, id, &ann, 0, NULL, 0), QUEUE_OK);
	reg_result_init(&res);
	ck_assert_int_eq(queue_approve(db, id, &ann, today, &res, why,
	    sizeof(why)), QUEUE_OK);
	ck_assert_uint_eq(strlen(res.number), LICNUM_LEN);
	ck_assert_int_eq(res.status, STATUS_ISSUED);
	/* Issued by the core, to the sender's account, by staff. */
	ck_assert_int_eq(reg_show(db, NULL, res.number, &rv), REG_OK);
	ck_assert_int_eq(rv.account_id, filer_id);
	ck_assert_str_eq(rv.channel, "email");
	ck_assert_str_eq(rv.versions[0].actor, "staff:ann");
	ck_assert_str_eq(rv.valid_from, "2026-01-15");
	reg_view_free(&rv);
	/* The confirmation to the account (primary, alternate copied);
	 * the sender is the primary: no second email. */
	ck_assert_int_eq(outbox_list(db, NULL, &r, &n), DB_OK);
	for (i = 0; i < n; i++)
		if (strcmp(r[i].template, "license_created") == 0) {
			ck_assert_str_eq(r[i].to, "filer@example.com");
			ck_assert_str_eq(r[i].cc, "alt@example.com");
			ck_assert_ptr_nonnull(strstr(r[i].params, res.number));
			created++;
		}
	outbox_rows_free(r, n);
	ck_assert_int_eq(created, 1);
	ck_assert_uint_eq(tests_outbox_count(db, "submission_approved",
	    NULL), 0);
	ck_assert_int_eq(queue_show(db, id, &v), QUEUE_OK);
	ck_assert_int_eq(v.state, QS_APPROVED);
	ck_assert_str_eq(v.license_number, res.number);
	ck_assert_str_eq(v.decided_by, "ann");
	ck_assert_str_eq(v.claimed_by, "");
	ck_assert_uint_eq(v.nthread, 3);	/* in, ack, confirmation */
	ck_assert_str_eq(v.thread[2].template, "license_created");
	queue_view_free(&v);
	ck_assert_int_eq(audit_count("approve"), 1);
	/* Once only. */
	ck_assert_int_eq(queue_approve(db, id, &ann, today, &res, why,
	    sizeof(why)), QUEUE_STATE);
	ck_assert_int_eq(count("license"), 1);
	reg_result_free(&res);
	form_free(f);
}
END_TEST

/* A colleague writes for the filer: the license goes to the account
 * named by the form's filer email, and the colleague learns the
 * number too.  Revoked electronic filing does not stop staff. */
START_TEST(approve_for_filer_email_without_efiling)
{
	struct form		*f = aluminum("Germany");
	struct reg_result	 res;
	json_t			*p;
	char			 why[256], to[128];
	int64_t			 id, other;

	other = tests_add_account(db, "broker@example.org", "desk@example.org",
	    "Test Metals LLC", 1);
	ck_assert_int_eq(sqlite3_exec(db->h, "UPDATE account SET efiling = 0",
	    NULL, NULL, NULL), SQLITE_OK);
	id = emailed(1, "colleague@example.org", f, "BROKER@example.org",
	    NULL);
	reg_result_init(&res);
	ck_assert_int_eq(queue_approve(db, id, &ann, today, &res, why,
	    sizeof(why)), QUEUE_OK);
	p = outbox_last("submission_approved", to, sizeof(to));
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(to, "colleague@example.org");
	ck_assert_str_eq(json_string_value(json_object_get(p,
	    "license_number")), res.number);
	ck_assert_str_eq(json_string_value(json_object_get(p, "reference")),
	    "EF-2026-000001");
	json_decref(p);
	p = outbox_last("license_created", to, sizeof(to));
	ck_assert_str_eq(to, "broker@example.org");
	json_decref(p);
	{
		struct reg_view	 rv;

		ck_assert_int_eq(reg_show(db, NULL, res.number, &rv), REG_OK);
		ck_assert_int_eq(rv.account_id, other);
		reg_view_free(&rv);
	}
	reg_result_free(&res);

	/* The alternate email counts as the account's own. */
	id = emailed(2, "desk@example.org", f, NULL, NULL);
	reg_result_init(&res);
	ck_assert_int_eq(queue_approve(db, id, &ann, today, &res, why,
	    sizeof(why)), QUEUE_OK);
	ck_assert_uint_eq(tests_outbox_count(db, "submission_approved",
	    NULL), 1);
	reg_result_free(&res);
	form_free(f);
}
END_TEST

START_TEST(approve_refusals_change_nothing)
{
	struct form		*f = aluminum("Germany"), *bad = aluminum("CN");
	struct reg_result	 res;
	struct queue_view	 v;
	char			 why[256];
	long			 outbox, audit;
	int64_t			 id, nobody, invalid, unread, corr;

	nobody = emailed(1, "stranger@example.net", f, NULL, NULL);
	invalid = emailed(2, "filer@example.com", bad, NULL, NULL);
	unread = emailed(3, "filer@example.com", NULL, NULL, NULL);
	ck_assert_int_eq(queue_add_correspondence(db, 0, "filer@example.com",
	    0, NULL, &corr), DB_OK);
	outbox = count("outbox");
	audit = count("staff_audit");

	reg_result_init(&res);
	ck_assert_int_eq(queue_approve(db, nobody, &ann, today, &res, why,
	    sizeof(why)), QUEUE_NO_ACCOUNT);
	ck_assert_ptr_nonnull(strstr(why, "stranger@example.net"));
	ck_assert_str_eq(res.number, "");
	reg_result_free(&res);

	reg_result_init(&res);
	ck_assert_int_eq(queue_approve(db, invalid, &ann, today, &res, why,
	    sizeof(why)), QUEUE_INVALID);
	ck_assert(report_has_error(&res.report, "country_of_origin"));
	reg_result_free(&res);

	reg_result_init(&res);
	ck_assert_int_eq(queue_approve(db, unread, &ann, today, &res, why,
	    sizeof(why)), QUEUE_INVALID);
	ck_assert_ptr_nonnull(strstr(why, "no readable form"));
	reg_result_free(&res);

	reg_result_init(&res);
	ck_assert_int_eq(queue_approve(db, corr, &ann, today, &res, why,
	    sizeof(why)), QUEUE_KIND);
	ck_assert_int_eq(queue_approve(db, 999, &ann, today, &res, why,
	    sizeof(why)), QUEUE_NOT_FOUND);
	reg_result_free(&res);

	/* A locked account: refused by the core. */
	ck_assert_int_eq(sqlite3_exec(db->h, "UPDATE account SET locked = 1",
	    NULL, NULL, NULL), SQLITE_OK);
	id = emailed(4, "filer@example.com", f, NULL, NULL);
	outbox = count("outbox");
	reg_result_init(&res);
	ck_assert_int_eq(queue_approve(db, id, &ann, today, &res, why,
	    sizeof(why)), QUEUE_ACCOUNT);
	reg_result_free(&res);

	ck_assert_int_eq(count("license"), 0);
	ck_assert_int_eq(count("outbox"), outbox);
	ck_assert_int_eq(count("staff_audit"), audit);
	ck_assert_int_eq(queue_show(db, nobody, &v), QUEUE_OK);
	ck_assert_int_eq(v.state, QS_OPEN);
	queue_view_free(&v);
	form_free(f);
	form_free(bad);
}
END_TEST

/* Every step of an approval failed in turn: the license, the item's
 * state, the emails and the audit row go together or not at all. */
START_TEST(approve_is_one_transaction)
{
	struct form		*f = aluminum("Germany");
	struct reg_result	 res;
	struct queue_view	 v;
	char			 why[256];
	long			 lic, out, aud, thr;
	int64_t			 id;
	enum queue_err		 q;
	int			 k;

	id = emailed(1, "colleague@example.org", f, "filer@example.com",
	    NULL);
	lic = count("license");
	out = count("outbox");
	aud = count("staff_audit");
	thr = count("queue_thread");
	for (k = 1; k < 300; k++) {
		reg_result_init(&res);
		db->fault_countdown = k;
		q = queue_approve(db, id, &ann, today, &res, why,
		    sizeof(why));
		db->fault_countdown = 0;
		if (q == QUEUE_OK)
			break;
		ck_assert_int_eq(q, QUEUE_DB);
		ck_assert_str_eq(res.number, "");
		reg_result_free(&res);
		ck_assert_msg(count("license") == lic &&
		    count("outbox") == out && count("staff_audit") == aud &&
		    count("queue_thread") == thr, "fault at step %d left "
		    "rows", k);
		ck_assert_int_eq(db->wlocked, 0);
		ck_assert_int_eq(queue_show(db, id, &v), QUEUE_OK);
		ck_assert_int_eq(v.state, QS_OPEN);
		queue_view_free(&v);
	}
	ck_assert_msg(k > 10 && k < 300, "approval took %d steps", k);
	ck_assert_int_eq(count("license"), lic + 1);
	/* The core's confirmation and the sender's copy. */
	ck_assert_int_eq(count("outbox"), out + 2);
	ck_assert_int_eq(count("staff_audit"), aud + 1);
	reg_result_free(&res);
	form_free(f);
}
END_TEST

START_TEST(reject_emails_reasons)
{
	struct form		*f = aluminum("Germany");
	struct queue_view	 v;
	json_t			*p;
	char			 to[128], big[QUEUE_NOTE_MAX + 2];
	int64_t			 id;

	id = emailed(1, "filer@example.com", f, NULL, NULL);
	ck_assert_int_eq(queue_reject(db, id, &ann, ""), QUEUE_INVALID);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';	/* QUEUE_NOTE_MAX + 1 bytes */
	ck_assert_int_eq(queue_reject(db, id, &ann, big), QUEUE_INVALID);
	ck_assert_int_eq(queue_reject(db, id, &ann, "The importer named is "
	    "not the filer's client."), QUEUE_OK);
	p = outbox_last("submission_rejected", to, sizeof(to));
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(to, "filer@example.com");
	ck_assert_str_eq(json_string_value(json_object_get(p, "reason")),
	    "The importer named is not the filer's client.");
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(p,
	    "notice")), "NOT a license number"));
	json_decref(p);
	ck_assert_int_eq(queue_show(db, id, &v), QUEUE_OK);
	ck_assert_int_eq(v.state, QS_REJECTED);
	ck_assert_str_eq(v.note, "The importer named is not the filer's "
	    "client.");
	ck_assert_str_eq(v.thread[v.nthread - 1].template,
	    "submission_rejected");
	queue_view_free(&v);
	ck_assert_int_eq(audit_count("reject"), 1);
	ck_assert_int_eq(queue_reject(db, id, &ann, "again"), QUEUE_STATE);
	ck_assert_int_eq(queue_close(db, id, &ann, NULL), QUEUE_STATE);
	big[QUEUE_NOTE_MAX] = '\0';	/* exactly the limit */
	id = emailed(2, "filer@example.com", f, NULL, NULL);
	ck_assert_int_eq(queue_reject(db, id, &ann, big), QUEUE_OK);
	form_free(f);
}
END_TEST

START_TEST(audit_log_is_append_only)
{
	struct audit_row	*r;
	size_t			 n;

	ck_assert_int_eq(queue_audit(db, &ann, "lock_account", 0, 0,
	    "account 1"), DB_OK);
	ck_assert_int_ne(sqlite3_exec(db->h, "UPDATE staff_audit SET who = "
	    "'mallory'", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_ne(sqlite3_exec(db->h, "DELETE FROM staff_audit",
	    NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(queue_audit_list(db, 0, 0, &r, &n), QUEUE_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(r[0].who, "ann");
	ck_assert_str_eq(r[0].addr, "192.0.2.1");
	ck_assert_str_eq(r[0].at, "2026-01-15T12:00:00Z");
	audit_rows_free(r, n);
	ck_assert_int_eq(queue_audit_list(db, 0, 1, &r, &n), QUEUE_OK);
	ck_assert_uint_eq(n, 0);
	audit_rows_free(r, n);
}
END_TEST

/* How many items match f (queue_list's total). */
static size_t
list_total(const struct queue_filter *f)
{
	struct queue_row	*r;
	size_t			 n, total;

	ck_assert_int_eq(queue_list(db, f, &r, &n, &total), QUEUE_OK);
	queue_rows_free(r, n);
	return total;
}

START_TEST(list_filters_and_pages)
{
	struct form		*f = aluminum("Germany");
	struct queue_filter	 flt;
	struct queue_row	*r;
	size_t			 n, total;
	int64_t			 a, b, c, d;
	time_t			 t0 = db->now;

	a = emailed(1, "filer@example.com", f, NULL, NULL);
	db->now = t0 + 3600;
	b = emailed(2, "other@example.com", f, NULL, NULL);
	db->now = t0 + 7200;
	ck_assert_int_eq(queue_add_correspondence(db, 0, "x@example.com", 0,
	    NULL, &c), DB_OK);
	ck_assert_int_eq(queue_add_quarantine(db, 0, NULL, "bomb", &d),
	    DB_OK);
	ck_assert_int_eq(queue_claim(db, b, &ann, 0, NULL, 0), QUEUE_OK);
	db->now = t0 + 4 * 3600;

	memset(&flt, 0, sizeof(flt));
	ck_assert_int_eq(queue_list(db, &flt, &r, &n, &total), QUEUE_OK);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(total, 4);
	ck_assert_int_eq(r[0].id, a);		/* oldest first */
	ck_assert_int_eq(r[1].id, b);
	ck_assert_str_eq(r[0].sender, "filer@example.com");
	ck_assert_str_eq(r[0].subject, "Aluminum License Application");
	ck_assert_int_eq(r[0].valid, 1);
	ck_assert_int_eq(r[0].nerrors, 0);
	ck_assert_str_eq(r[1].claimed_by, "ann");
	ck_assert_int_eq(r[2].kind, QK_CORRESPONDENCE);
	ck_assert_int_eq(r[3].kind, QK_QUARANTINE);
	queue_rows_free(r, n);

	flt.kind = "submission";
	ck_assert_uint_eq(list_total(&flt), 2);
	flt.kind = NULL;
	flt.state = "open";
	ck_assert_uint_eq(list_total(&flt), 3);
	flt.state = "active";
	ck_assert_uint_eq(list_total(&flt), 4);
	flt.state = NULL;
	flt.product = "aluminum";
	ck_assert_uint_eq(list_total(&flt), 2);
	flt.product = NULL;
	/* Ages now: 4 h, 3 h, 2 h, 2 h.  At least 3 h old: the first
	 * two (the boundary is included); a second more: the first. */
	flt.min_age = 3 * 3600;
	ck_assert_uint_eq(list_total(&flt), 2);
	flt.min_age = 3 * 3600 + 1;
	ck_assert_int_eq(queue_list(db, &flt, &r, &n, &total), QUEUE_OK);
	ck_assert_uint_eq(total, 1);
	ck_assert_int_eq(r[0].id, a);
	queue_rows_free(r, n);
	flt.min_age = 4 * 3600;
	ck_assert_uint_eq(list_total(&flt), 1);
	flt.min_age = 4 * 3600 + 1;
	ck_assert_uint_eq(list_total(&flt), 0);
	flt.min_age = 0;
	flt.max_age = 2 * 3600;		/* at most 2 hours old */
	ck_assert_uint_eq(list_total(&flt), 2);
	flt.max_age = 2 * 3600 - 1;
	ck_assert_uint_eq(list_total(&flt), 0);
	flt.max_age = 0;
	/* Pages: 3 from the second on, the total unchanged. */
	flt.offset = 1;
	flt.limit = 2;
	ck_assert_int_eq(queue_list(db, &flt, &r, &n, &total), QUEUE_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(total, 4);
	ck_assert_int_eq(r[0].id, b);
	ck_assert_int_eq(r[1].id, c);
	queue_rows_free(r, n);
	flt.offset = 4;
	ck_assert_int_eq(queue_list(db, &flt, &r, &n, NULL), QUEUE_OK);
	ck_assert_uint_eq(n, 0);
	queue_rows_free(r, n);
	form_free(f);
}
END_TEST

/* A savepoint inside a transaction: the inner part rolls back alone. */
START_TEST(transactions_nest)
{
	int64_t		 a, b;

	ck_assert_int_eq(db_begin(db), DB_OK);
	ck_assert_int_eq(queue_add_quarantine(db, 0, NULL, "one", &a),
	    DB_OK);
	ck_assert_int_eq(db_begin(db), DB_OK);
	ck_assert_int_eq(db->wlocked, 2);
	ck_assert_int_eq(queue_add_quarantine(db, 0, NULL, "two", &b),
	    DB_OK);
	db_rollback(db);
	ck_assert_int_eq(db->wlocked, 1);
	ck_assert_int_eq(db_commit(db), DB_OK);
	ck_assert_int_eq(db->wlocked, 0);
	ck_assert_int_eq(count("queue_item"), 1);
	ck_assert_int_eq(queue_item_state(db, a, NULL, NULL, NULL), DB_OK);
	/* The outer rollback takes the committed inner part with it. */
	ck_assert_int_eq(db_begin(db), DB_OK);
	ck_assert_int_eq(queue_add_quarantine(db, 0, NULL, "three", &b),
	    DB_OK);
	db_rollback(db);
	ck_assert_int_eq(db->wlocked, 0);
	ck_assert_int_eq(count("queue_item"), 1);
}
END_TEST

START_TEST(outbound_failure_and_close)
{
	struct queue_view	 v;
	int64_t			 oid, id;

	ck_assert_int_eq(outbox_add(db, "license_created", "gone@example.com",
	    NULL, json_object(), 0, 0, NULL, 0), DB_OK);
	oid = sqlite3_last_insert_rowid(db->h);
	ck_assert_int_eq(queue_add_outbound_failure(db, oid, "550 5.1.1 no "
	    "such user", &id), DB_OK);
	ck_assert_int_eq(queue_show(db, id, &v), QUEUE_OK);
	ck_assert_int_eq(v.kind, QK_OUTBOUND_FAILURE);
	ck_assert_int_eq(v.outbox_id, oid);
	ck_assert_uint_eq(v.nthread, 1);
	ck_assert_str_eq(v.thread[0].to, "gone@example.com");
	ck_assert_int_eq(v.has_msg, 0);
	queue_view_free(&v);
	ck_assert_int_eq(queue_close(db, id, &ann, "Filer phoned; new "
	    "address on the account."), QUEUE_OK);
	ck_assert_int_eq(queue_close(db, id, &ann, NULL), QUEUE_STATE);
	ck_assert_int_eq(audit_count("close"), 1);
	/* A thread row must be one email on something. */
	ck_assert_int_eq(queue_thread_add(db, 0, 0, 0, oid), DB_ERROR);
	ck_assert_int_eq(queue_thread_add(db, id, 0, 0, 0), DB_ERROR);
}
END_TEST

/* Staff correct the form before approval: re-validated, audited. */
START_TEST(staff_edit_form)
{
	struct form		*bad = aluminum("CN"), *good = aluminum("Germany");
	struct queue_submission	 sub;
	struct queue_view	 v;
	int64_t			 id, corr;

	id = emailed(1, "filer@example.com", bad, NULL, NULL);
	memset(&sub, 0, sizeof(sub));
	sub.form = good;
	sub.app_date = today;
	ck_assert_int_eq(queue_claim(db, id, &ann, 0, NULL, 0), QUEUE_OK);
	ck_assert_int_eq(queue_edit_form(db, id, &sub, &bob), QUEUE_CLAIMED);
	ck_assert_int_eq(queue_show(db, id, &v), QUEUE_OK);
	ck_assert_int_eq(v.valid, 0);
	queue_view_free(&v);
	ck_assert_int_eq(queue_edit_form(db, id, &sub, &ann), QUEUE_OK);
	ck_assert_int_eq(queue_show(db, id, &v), QUEUE_OK);
	ck_assert_int_eq(v.valid, 1);
	ck_assert_uint_eq(v.report.nerrors, 0);
	ck_assert_str_eq(v.form->v[HF_COUNTRY_OF_ORIGIN], "Germany");
	ck_assert_str_eq(v.sender, "filer@example.com");	/* kept */
	queue_view_free(&v);
	ck_assert_int_eq(audit_count("edit_form"), 1);
	/* An edit that breaks it again is stored with its errors. */
	sub.form = bad;
	ck_assert_int_eq(queue_edit_form(db, id, &sub, &ann), QUEUE_OK);
	ck_assert_int_eq(queue_show(db, id, &v), QUEUE_OK);
	ck_assert_int_eq(v.valid, 0);
	ck_assert(report_has_error(&v.report, "country_of_origin"));
	queue_view_free(&v);
	ck_assert_int_eq(queue_add_correspondence(db, 0, NULL, 0, NULL,
	    &corr), DB_OK);
	ck_assert_int_eq(queue_edit_form(db, corr, &sub, &ann), QUEUE_KIND);
	ck_assert_int_eq(queue_edit_form(db, 999, &sub, &ann),
	    QUEUE_NOT_FOUND);
	form_free(bad);
	form_free(good);
}
END_TEST

Suite *
suite_queue(void)
{
	Suite	*s = suite_create("queue");
	TCase	*tc = tcase_create("queue");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, valid_submission_acknowledged);
	tcase_add_test(tc, acknowledged_as_read_back);
	tcase_add_test(tc, invalid_and_unreadable_forms);
	tcase_add_test(tc, correction_updates_same_item);
	tcase_add_test(tc, claims_conflict);
	tcase_add_test(tc, approve_issues_license);
	tcase_add_test(tc, approve_for_filer_email_without_efiling);
	tcase_add_test(tc, approve_refusals_change_nothing);
	tcase_add_test(tc, approve_is_one_transaction);
	tcase_add_test(tc, reject_emails_reasons);
	tcase_add_test(tc, audit_log_is_append_only);
	tcase_add_test(tc, list_filters_and_pages);
	tcase_add_test(tc, transactions_nest);
	tcase_add_test(tc, outbound_failure_and_close);
	tcase_add_test(tc, staff_edit_form);
	suite_add_tcase(s, tc);
	return s;
}
