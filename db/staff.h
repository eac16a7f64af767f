/*
 * Staff accounts of the licensing office, apart from filer accounts:
 * their own table, password hashes (argon2id, lib/pwhash.h), sign-in
 * throttle and sessions (a cookie of their own, its SHA-256 stored as
 * for filer sessions).  A staff member's name in the queue and the
 * audit log is the email.
 */
#ifndef AIM_STAFF_H
#define AIM_STAFF_H

#include <stdint.h>

#include "db.h"

enum staff_role {
	STAFF_ROLE_STAFF,
	STAFF_ROLE_SUPERVISOR,
	STAFF_ROLE__MAX
};

extern const char *const staff_role_names[STAFF_ROLE__MAX];

/* Bytes of a staff email: the queue keeps names of at most 63. */
#define STAFF_EMAIL_MAX		63
#define STAFF_TOKEN_LEN		43	/* 32 random bytes, base64url */

struct staff_user {
	int64_t		 id;
	char		 email[STAFF_EMAIL_MAX + 1];
	enum staff_role	 role;
	char		 password_hash[160];
	int		 locked;
	char		 created_at[24];
};

/* The role named s ("staff", "supervisor"), or -1. */
int		 staff_role_parse(const char *s);

/* Adds a staff member (email lower-cased by the caller); DB_EXISTS if
 * the email is taken. */
enum db_err	 staff_add(struct db *, const char *email, enum staff_role,
		    const char *password_hash, int64_t *id);
enum db_err	 staff_by_email(struct db *, const char *email,
		    struct staff_user *);
enum db_err	 staff_by_id(struct db *, int64_t id, struct staff_user *);
/* Every staff member, in id order (at most LIM_PAGE_ROWS). */
enum db_err	 staff_list(struct db *, struct staff_user **, size_t *n);

/* The sign-in throttle, as for filers (db/accounts.h): after
 * STAFF_SIGNIN_FAILURES failures in a row, STAFF_SIGNIN_BLOCK_SECONDS
 * of refusal; *wait the seconds left. */
#define STAFF_SIGNIN_FAILURES		5
#define STAFF_SIGNIN_BLOCK_SECONDS	(15 * 60)
enum db_err	 staff_signin_wait(struct db *, int64_t id, int *wait);
enum db_err	 staff_signin_failed(struct db *, int64_t id);
enum db_err	 staff_signin_ok(struct db *, int64_t id);

struct staff_session {
	int64_t		 id;
	int64_t		 staff_id;
	char		 role[16];	/* at sign-in */
	char		 created_at[24];
	char		 expires_at[24];
};

/* A session expiring after ttl seconds idle, never later than max_ttl
 * after creation; token receives the cookie (STAFF_TOKEN_LEN + 1). */
enum db_err	 staff_session_create(struct db *, int64_t staff_id,
		    const char *role, int ttl, int max_ttl, char *token);
/* DB_NOT_FOUND for an unknown or expired token (an expired one is
 * removed); a live one's idle expiry is pushed ttl seconds ahead. */
enum db_err	 staff_session_find(struct db *, const char *token, int ttl,
		    struct staff_session *);
enum db_err	 staff_session_delete(struct db *, const char *token);

#endif
