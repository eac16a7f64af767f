/*
 * API bearer tokens for brokers' software.  The token is shown once;
 * the database keeps its SHA-256.
 */
#ifndef AIM_TOKENS_H
#define AIM_TOKENS_H

#include <stddef.h>
#include <stdint.h>

#include "accounts.h"
#include "db.h"

#define TOKEN_PREFIX	"aim_"
#define TOKEN_LEN	(4 + 43)	/* prefix + 32 bytes base64url */

struct api_token {
	int64_t		 id;
	char		 name[64];
	char		 created_at[24];
	char		 last_used_at[24];	/* "" never */
	char		 prefix[12];		/* first characters, to tell apart */
};

/* Creates a token named name; token receives it (TOKEN_LEN + 1). */
enum db_err	 token_create(struct db *, int64_t account_id,
		    const char *name, char *token, int64_t *id);
/* The account of a live token (DB_NOT_FOUND if unknown or revoked). */
enum db_err	 token_account(struct db *, const char *token,
		    int64_t *account_id);
/* The same, the whole account read with the token (one read). */
enum db_err	 token_account_read(struct db *, const char *token,
		    struct account *);
enum db_err	 token_list(struct db *, int64_t account_id,
		    struct api_token **, size_t *);
/* Revokes one of the account's tokens (DB_NOT_FOUND if not its own). */
enum db_err	 token_revoke(struct db *, int64_t account_id, int64_t id);

#endif
