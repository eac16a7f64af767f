/*
 * Who files a license through the gateway, and what the filer is told
 * when there is no such license, or when the register did not confirm
 * a filing (one wording per channel, kept side by side).
 */
#include <string.h>

#include "lib/log.h"
#include "filing.h"

void
filing_actor(const struct req *r, const char *channel, const char *nobody,
    struct actor *a)
{
	memset(a, 0, sizeof(*a));
	a->account_id = r->account.id;
	a->who = r->account.v[AF_EMAIL] != NULL ? r->account.v[AF_EMAIL] :
	    nobody;
	a->channel = channel;
}

void
filing_not_found(struct req *r)
{
	resp_error_page(r, 404, "License not found", "There is no license "
	    "with this number in your account. Check the number, or find "
	    "the license in My licenses.");
}

void
filing_unconfirmed(struct req *r, int api)
{
	log_msg(LOG_LVL_ERR, "%s%s: %s", api ? "api " : "", r->path,
	    reg_strerror(REG_UNSURE));
	if (api)
		resp_json_error(r, 503, "unconfirmed", "The license register "
		    "did not confirm this filing: it may have been stored. "
		    "Look for it in GET /api/v1/licenses before you send it "
		    "again.");
	else
		resp_error_page(r, 503, "Not confirmed", "The license "
		    "register did not confirm this application: it may have "
		    "been filed. Look for it in My licenses before you "
		    "submit it again.");
}
