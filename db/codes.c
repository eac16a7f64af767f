/*
 * One-time email codes.  Six digits are few, so a code is stored as
 * the SHA-256 of account, purpose and code (a leaked table row is not
 * a usable code), lives CODE_TTL_SECONDS and allows CODE_MAX_TRIES.
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "lib/sha256.h"
#include "accounts.h"
#include "clock.h"
#include "codes.h"
#include "events.h"
#include "outbox.h"

#define CODE_DIGITS	6
/* The largest multiple of 10^6 under 2^32: values at or past it are
 * drawn again, so that every code is equally likely. */
#define CODE_BOUND	4294000000UL
/* Draws before giving up; each redraw has odds of 1 in 4,500. */
#define CODE_DRAWS	16
/* Bytes of typed input looked at: a code with spaces fits. */
#define CODE_TYPED_MAX	64

/* The purpose as stored and as the outbox template name. */
static const char *const purposes[CODE__MAX] = {
	[CODE_VERIFY_EMAIL] = "verify_email",
	[CODE_RESET_PASSWORD] = "reset_password",
};

static int
code_random(char code[CODE_DIGITS + 1])
{
	unsigned char	 b[4];
	unsigned long	 v;
	int		 i;

	for (i = 0; i < CODE_DRAWS; i++) {
		if (RAND_bytes(b, sizeof(b)) != 1)
			return -1;
		v = (unsigned long)b[0] << 24 | (unsigned long)b[1] << 16 |
		    (unsigned long)b[2] << 8 | b[3];
		if (v < CODE_BOUND) {
			snprintf(code, CODE_DIGITS + 1, "%06lu", v % 1000000);
			return 0;
		}
	}
	return -1;
}

static int
code_hash(int64_t account_id, enum code_purpose p, const char *code,
    char hash[SHA256_HEX_LEN + 1])
{
	char	 buf[64];
	int	 n;

	n = snprintf(buf, sizeof(buf), "%lld:%s:%s", (long long)account_id,
	    purposes[p], code);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return -1;
	return sha256_hex(buf, (size_t)n, hash);
}

/*
 * Joins the caller's transaction when one is open (registration holds
 * the account, the code and the email in one), else makes its own.
 */
enum db_err
code_issue(struct db *db, int64_t account_id, enum code_purpose p,
    char *code)
{
	struct account	 a;
	sqlite3_stmt	*st;
	json_t		*params;
	char		 c[CODE_DIGITS + 1], hash[SHA256_HEX_LEN + 1];
	char		 end[CLOCK_ISO_LEN + 1];
	int		 own = sqlite3_get_autocommit(db->h) != 0;
	enum db_err	 e = DB_ERROR;

	memset(&a, 0, sizeof(a));
	c[0] = '\0';
	code[0] = '\0';
	if ((unsigned)p >= CODE__MAX)
		return DB_ERROR;
	if (own && (e = db_begin(db)) != DB_OK)
		goto out;
	if ((e = accounts_by_id(db, account_id, &a)) != DB_OK)
		goto out;
	e = DB_ERROR;
	if (code_random(c) == -1 || code_hash(account_id, p, c, hash) == -1) {
		snprintf(db->errmsg, sizeof(db->errmsg), "code: no random "
		    "bytes");
		goto out;
	}
	clock_iso(clock_now(db) + CODE_TTL_SECONDS, end);
	st = db_stmt(db, ST_CODE_UPSERT);
	db_bind_int(st, 1, account_id);
	db_bind_text(st, 2, purposes[p]);
	db_bind_text(st, 3, hash);
	db_bind_text(st, 4, end);
	if ((e = db_exec_stmt(db, st)) != DB_OK)
		goto out;
	/* To the primary address only: the alternate cannot sign in, so
	 * it must not be able to verify or reset either. */
	params = json_pack("{s:s, s:s, s:s, s:i}", "code", c,
	    "contact_name", a.v[AF_CONTACT_NAME] ? a.v[AF_CONTACT_NAME] : "",
	    "company_name", a.v[AF_COMPANY_NAME] ? a.v[AF_COMPANY_NAME] : "",
	    "valid_minutes", CODE_TTL_SECONDS / 60);
	if (params == NULL) {
		e = DB_ERROR;
		goto out;
	}
	if ((e = outbox_add(db, purposes[p], a.v[AF_EMAIL], NULL, params, 0,
	    account_id, NULL, 0)) != DB_OK)
		goto out;
	if (own && (e = db_commit(db)) != DB_OK)
		goto out;
	memcpy(code, c, sizeof(c));
out:
	if (e != DB_OK && own)
		db_rollback(db);
	account_clear(&a);
	OPENSSL_cleanse(c, sizeof(c));
	return e;
}

/* Typed input to 6 digits, spaces ignored; -1 if it cannot be a code. */
static int
code_typed(const char *typed, char out[CODE_DIGITS + 1])
{
	size_t	 i, n = 0;

	out[0] = '\0';
	if (typed == NULL)
		return -1;
	for (i = 0; typed[i] != '\0'; i++) {
		if (i >= CODE_TYPED_MAX)
			return -1;
		if (typed[i] == ' ')
			continue;
		if (typed[i] < '0' || typed[i] > '9' || n == CODE_DIGITS)
			return -1;
		out[n++] = typed[i];
	}
	out[n] = '\0';
	return n == CODE_DIGITS ? 0 : -1;
}

enum db_err
code_check(struct db *db, int64_t account_id, enum code_purpose p,
    const char *typed, enum code_result *res)
{
	struct account	 a;
	sqlite3_stmt	*st;
	char		 c[CODE_DIGITS + 1], hash[SHA256_HEX_LEN + 1];
	char		 now[CLOCK_ISO_LEN + 1];
	int		 rc, match, live, tries;
	enum stmt	 next;
	enum db_err	 e = DB_ERROR;

	memset(&a, 0, sizeof(a));
	*res = CODE_EXPIRED;
	if ((unsigned)p >= CODE__MAX)
		return DB_ERROR;
	/* Malformed input still costs a try: it is a guess all the same. */
	if (code_typed(typed, c) == -1 ||
	    code_hash(account_id, p, c, hash) == -1)
		hash[0] = '\0';
	clock_iso(clock_now(db), now);
	if ((e = db_begin(db)) != DB_OK)
		goto out;
	st = db_stmt(db, ST_CODE_SELECT);
	db_bind_int(st, 1, account_id);
	db_bind_text(st, 2, purposes[p]);
	db_bind_text(st, 3, hash);
	db_bind_text(st, 4, now);
	if ((rc = db_step(db, st)) != SQLITE_ROW) {
		if (st != NULL)
			sqlite3_reset(st);
		/* No code: nothing to count, CODE_EXPIRED. */
		e = rc == SQLITE_DONE ? db_commit(db) : db_error(db, rc);
		goto out;
	}
	match = sqlite3_column_int(st, 0) && hash[0] != '\0';
	live = sqlite3_column_int(st, 1);
	tries = sqlite3_column_int(st, 2);
	sqlite3_reset(st);

	if (!live || tries >= CODE_MAX_TRIES) {
		next = ST_CODE_DELETE;
		*res = CODE_EXPIRED;
	} else if (match) {
		next = ST_CODE_DELETE;
		*res = CODE_OK;
	} else {
		next = ST_CODE_TRY;
		*res = CODE_WRONG;
	}
	st = db_stmt(db, next);
	db_bind_int(st, 1, account_id);
	db_bind_text(st, 2, purposes[p]);
	if ((e = db_exec_stmt(db, st)) != DB_OK)
		goto out;
	if (*res == CODE_OK && p == CODE_VERIFY_EMAIL) {
		st = db_stmt(db, ST_ACCOUNT_VERIFY);
		db_bind_int(st, 1, account_id);
		if ((e = db_exec_stmt(db, st)) != DB_OK ||
		    (e = accounts_by_id(db, account_id, &a)) != DB_OK ||
		    (e = event_add(db, account_id, 0, a.v[AF_EMAIL], "web",
		    "email_verified", NULL)) != DB_OK)
			goto out;
	}
	e = db_commit(db);
out:
	if (e != DB_OK) {
		db_rollback(db);
		*res = CODE_EXPIRED;
	}
	account_clear(&a);
	OPENSSL_cleanse(c, sizeof(c));
	return e;
}
