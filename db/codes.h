/*
 * One-time codes sent by email: 6 digits to verify a new account's
 * address or to reset a password.  Stored hashed, expiring, with a
 * limited number of tries.
 */
#ifndef AIM_CODES_H
#define AIM_CODES_H

#include <stdint.h>

#include "db.h"

enum code_purpose {
	CODE_VERIFY_EMAIL,
	CODE_RESET_PASSWORD,
	CODE__MAX
};

#define CODE_TTL_SECONDS	(30 * 60)
#define CODE_MAX_TRIES		5

/* Makes a fresh code for an account and purpose (replacing an older
 * one) and queues its email (outbox template "verify_email" or
 * "reset_password") in the same transaction.  code receives it (7). */
enum db_err	 code_issue(struct db *, int64_t account_id,
		    enum code_purpose, char *code);

enum code_result {
	CODE_OK,		/* matched; the code is used up */
	CODE_WRONG,		/* no match; a try is counted */
	CODE_EXPIRED,		/* too old, too many tries, or none */
	CODE_RESULT__MAX
};

/* Checks a typed code.  On CODE_OK with CODE_VERIFY_EMAIL the account
 * is marked verified in the same transaction. */
enum db_err	 code_check(struct db *, int64_t account_id,
		    enum code_purpose, const char *typed,
		    enum code_result *);

#endif
