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
void		 account_clear(struct account *);

#endif
