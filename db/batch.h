/*
 * Many licenses in one core call (DOMAIN.md section 7): every form is
 * checked; nothing is stored unless all are valid or the filer accepts
 * the valid ones only; those stored go in one transaction with one
 * confirmation email for the whole batch.
 */
#ifndef AIM_DB_BATCH_H
#define AIM_DB_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "forms/form.h"
#include "forms/license.h"
#include "registry.h"

/*
 * Files forms[0..n-1] as of the application date (days).  A NULL form
 * was rejected before the registry (a spreadsheet row error) and counts
 * as invalid.  res[] (n entries, each reg_result_init'ed) receives each
 * form's errors, or its number, status, validity and flags when stored
 * (res[i].number is "" for a form not stored).
 *
 * Returns REG_OK when at least one license was stored (all of them, or
 * with accept_valid the valid ones); REG_INVALID when nothing was
 * stored because a form is invalid (and !accept_valid) or none is
 * valid; REG_ACCOUNT, REG_DB or REG_NOMEM with nothing stored.
 */
enum reg_err	 reg_submit_batch(struct db *, const struct actor *,
		    struct form *const *forms, size_t n, int accept_valid,
		    int app_date, struct reg_result *res);

/*
 * Group commit: licenses of different filers, each already checked
 * (rules_check), stored in one transaction so that one fsync serves
 * them all.  Each is reg_submit_checked as if in a savepoint of its
 * own, so a refusal or a failed statement drops that one only (the
 * group is first tried without savepoints, and again with them when
 * one license fails).  When the whole
 * transaction fails (an I/O error, a full disk, the commit itself) none
 * is stored and each says REG_DB.  Used by the gateway's writer.
 */
struct reg_group_item {
	const struct actor	*actor;
	const struct license	*lic;
	int			 app_date;
	struct reg_result	*res;		/* reg_result_init'ed */
	enum reg_err		 e;		/* out */
};

void		 reg_submit_group(struct db *, struct reg_group_item *,
		    size_t n);

struct batch;

/*
 * The outcome as JSON, for aimctl and the API: {"licenses":
 * [{"license_ref", "license_number", "status"}], "errors": [{"row",
 * "field", "message"}]}.  res[] are b's licenses in order (after
 * batch_report_form has put their errors in b's report); a license not
 * stored has a null number and status "rejected" (it has errors) or
 * "not_filed" (valid, but the batch was not stored).
 */
json_t		*reg_batch_json(const struct batch *b,
		    const struct reg_result *res);

/*
 * Internal to db/: the registry's one insert path, in db/registry.c,
 * shared by reg_submit and reg_submit_batch so neither has a copy.
 */

/* Whether the actor's account may file (verified, not locked). */
enum reg_err	 reg_may_file(struct db *, const struct actor *,
		    struct reg_result *);
/*
 * Inside the caller's transaction: flags a checked license against
 * history, numbers and stores it with its lines, flags, history and
 * event; fills res (number, status, version, validity, flags) and *id.
 * Queues no email.
 */
enum db_err	 reg_insert(struct db *, const struct actor *,
		    const struct license *, int app_date,
		    struct reg_result *res, int64_t *id);

#endif
