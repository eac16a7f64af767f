/*
 * What the filer's web pages and the API share about a filing sent to
 * the license register: who files it, and the answers when there is no
 * such license or the register could not say whether it stored one.
 */
#ifndef AIM_FILING_H
#define AIM_FILING_H

#include "db/registry.h"
#include "req.h"

/*
 * The signed-in account files through channel ("web", "api",
 * "sheet"); nobody is who it is when the account has no email.
 */
void	 filing_actor(const struct req *, const char *channel,
	    const char *nobody, struct actor *);

/* 404 for a number the account holds no license of: another
 * company's license looks like none at all. */
void	 filing_not_found(struct req *);

/*
 * REG_UNSURE (the writer may have stored it): logged, and answered
 * 503 "unconfirmed" in JSON (api) or as a page, telling the filer to
 * look for the license before sending it again.
 */
void	 filing_unconfirmed(struct req *, int api);

#endif
