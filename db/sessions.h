/*
 * Web sessions.  The cookie holds a random token; the database keeps
 * only its SHA-256, so a copy of the database signs nobody in.
 */
#ifndef AIM_SESSIONS_H
#define AIM_SESSIONS_H

#include <stdint.h>

#include "db.h"

#define SESSION_TOKEN_LEN	43	/* 32 random bytes, base64url */

struct session {
	int64_t		 id;
	int64_t		 account_id;
	char		 role[16];		/* "filer", later "staff" */
	char		 created_at[24];
	char		 expires_at[24];
};

/* A new session for an account, expiring after ttl seconds (idle) and
 * never later than max_ttl after creation.  token receives the cookie
 * value (SESSION_TOKEN_LEN + 1 bytes). */
enum db_err	 session_create(struct db *, int64_t account_id,
		    const char *role, int ttl, int max_ttl, char *token);
/* Looks a token up; an expired session is DB_NOT_FOUND (and removed).
 * A found session's idle expiry is pushed ttl seconds ahead. */
enum db_err	 session_find(struct db *, const char *token, int ttl,
		    struct session *);
enum db_err	 session_delete(struct db *, const char *token);
/* Signs an account out everywhere (password changed or reset). */
enum db_err	 session_delete_account(struct db *, int64_t account_id);

/*
 * Shared by the filer (above, db/accounts.c) and staff (db/staff.h)
 * sessions and sign-in throttles, which differ only in their tables.
 * The owner is an account id or a staff id.
 */
enum session_kind {
	SESSION_FILER,
	SESSION_STAFF,
};
enum db_err	 session_kind_create(struct db *, enum session_kind,
		    int64_t owner, const char *role, int ttl, int max_ttl,
		    char *token);
enum db_err	 session_kind_find(struct db *, enum session_kind,
		    const char *token, int ttl, struct session *);
enum db_err	 session_kind_delete(struct db *, enum session_kind,
		    const char *token);
/* The throttle: failures in a row, then block seconds of refusal. */
enum db_err	 signin_kind_wait(struct db *, enum session_kind,
		    int64_t owner, int *wait);
enum db_err	 signin_kind_failed(struct db *, enum session_kind,
		    int64_t owner);
enum db_err	 signin_kind_ok(struct db *, enum session_kind, int64_t owner);

#endif
