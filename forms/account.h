/*
 * Account rules (DOMAIN.md section 2): what registration and My Account
 * accept.  Errors name the fields by these names, as the web form does.
 */
#ifndef AIM_ACCOUNT_RULES_H
#define AIM_ACCOUNT_RULES_H

#include "form.h"

enum afield {
	AF_EMAIL,		/* primary email = username */
	AF_ALT_EMAIL,		/* optional */
	AF_COMPANY_NAME,
	AF_EIN,			/* ##-####### ... */
	AF_IMPORTER_NUMBER,	/* ... or a CBP importer number */
	AF_ADDRESS,		/* U.S. street address, no P.O. box */
	AF_PHONE,
	AF_CONTACT_NAME,
	AF__MAX
};

extern const struct field_def afields[AF__MAX];

struct account_form {
	char	*v[AF__MAX];	/* NULL or "": not given */
};

/*
 * Checks and normalises in place (trimmed, email lower-cased, EIN as
 * ##-#######, phone digits kept in a readable form).  Returns the number
 * of errors added to rep.
 */
size_t	 account_check(struct account_form *, struct report *rep);
/* Password rules: 8-64 characters, three of lower, upper, digit,
 * symbol.  Adds an error on field "password"; returns 0 if good. */
int	 password_check(const char *pw, struct report *rep);
/* An email address of the simple form local@domain.tld. */
int	 email_valid(const char *);
/* The n bytes of an email address at in lower-cased, as accounts keep
 * them, into out, ended (out holds n + 1 bytes; it may be in). */
void	 email_lower(char *out, const char *in, size_t n);
void	 account_form_clear(struct account_form *);

#endif
