/* Filer accounts (DOMAIN.md section 2). */
#ifndef AIM_ACCOUNTS_H
#define AIM_ACCOUNTS_H

#include <stdint.h>

#include "forms/account.h"
#include "db.h"

struct account {
	int64_t		 id;
	char		*v[AF__MAX];	/* as in struct account_form */
	char		*password_hash;
	int		 verified;
	int		 locked;
	int		 efiling;	/* may file electronically */
};

/* Adds a checked account with a password hash; DB_EXISTS if the email
 * is taken. */
enum db_err	 accounts_add(struct db *, const struct account_form *,
		    const char *password_hash, int verified, int64_t *id);
enum db_err	 accounts_by_email(struct db *, const char *email,
		    struct account *);
enum db_err	 accounts_by_id(struct db *, int64_t id, struct account *);
/* The account of a live API token by the token's hash (db/tokens.c
 * hashes it), with the token's id and whether its last use, at or
 * before due, is to be written again. */
struct account_token {
	int64_t		 id;
	int		 stale;
};
enum db_err	 accounts_by_token(struct db *, const char *token_hash,
		    const char *due, struct account *,
		    struct account_token *);
void		 account_clear(struct account *);

/* Registration from the web: the account (not verified yet), its
 * verification code and the email carrying it, in one transaction.
 * code receives the 6 digits (7 bytes).  DB_EXISTS if the email is
 * taken. */
enum db_err	 accounts_register(struct db *, const struct account_form *,
		    const char *password_hash, int64_t *id, char *code);
/* My Account: every field but the email (the username). */
enum db_err	 accounts_update(struct db *, int64_t id,
		    const struct account_form *);
/* A new password hash; queues the "password_changed" email and ends
 * every session of the account, in one transaction. */
enum db_err	 accounts_set_password(struct db *, int64_t id,
		    const char *password_hash);

/* Sign-in throttle: after SIGNIN_FAILURES failures in a row, sign-in is
 * refused for SIGNIN_BLOCK_SECONDS.  *wait receives the seconds left
 * (0 if sign-in may be tried). */
#define SIGNIN_FAILURES		5
#define SIGNIN_BLOCK_SECONDS	(15 * 60)
enum db_err	 accounts_signin_wait(struct db *, int64_t id, int *wait);
enum db_err	 accounts_signin_failed(struct db *, int64_t id);
enum db_err	 accounts_signin_ok(struct db *, int64_t id);

#endif
