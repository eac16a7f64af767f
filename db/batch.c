/*
 * Many licenses in one transaction.  Every form is checked first, so a
 * batch that will not be stored costs no database work; the valid ones
 * then go through the registry's own insert path, and one email tells
 * the filer how many were filed (the numbers are on the site).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "forms/batch.h"
#include "forms/rules.h"
#include "accounts.h"
#include "batch.h"
#include "outbox.h"

/*
 * One try at the group: 0 when it is committed, -1 when the
 * transaction was lost (e_out says why), 1 when a flat try met a
 * failing license (rolled back; the caller tries again with
 * savepoints).
 */
static int
group_try(struct db *db, struct reg_group_item *it, size_t n, int flat,
    enum db_err *e_out)
{
	size_t		 i;
	enum db_err	 e;

	*e_out = DB_OK;
	if ((e = db_begin(db)) != DB_OK) {
		*e_out = e;
		return -1;
	}
	db->flat = flat;
	db->flat_failed = 0;
	for (i = 0; i < n; i++) {
		it[i].e = reg_submit_checked(db, it[i].actor, it[i].lic,
		    it[i].app_date, it[i].res);
		/* db_rollback drops every level when SQLite has already
		 * ended the transaction. */
		if (db->wlocked == 0)
			break;
		if (db->flat_failed) {
			db->flat = 0;
			db_abort(db);
			return 1;
		}
	}
	db->flat = 0;
	if (db->wlocked == 0)
		return -1;
	if ((e = db_commit(db)) != DB_OK) {
		db_rollback(db);
		*e_out = e;
		return -1;
	}
	return 0;
}

void
reg_submit_group(struct db *db, struct reg_group_item *it, size_t n)
{
	size_t		 i;
	enum db_err	 e;
	int		 r;

	/* Nearly always every license stores: then savepoints would only
	 * cost.  When one fails, the group is done again with them. */
	if ((r = group_try(db, it, n, !db->no_flat, &e)) == 1) {
		for (i = 0; i < n; i++) {
			reg_result_free(it[i].res);
			reg_result_init(it[i].res);
		}
		r = group_try(db, it, n, 0, &e);
	}
	if (r == 0)
		return;
	db_abort(db);
	for (i = 0; i < n; i++) {
		it[i].e = REG_DB;
		it[i].res->number[0] = '\0';
		if (it[i].res->dberr == DB_OK)
			it[i].res->dberr = e != DB_OK ? e : DB_IO;
	}
}

/* The one confirmation of a batch: counts, never license numbers. */
static enum db_err
batch_mail(struct db *db, int64_t account_id, size_t count, size_t action)
{
	struct account	 acc;
	json_t		*p;
	enum db_err	 e;

	if ((e = accounts_by_id(db, account_id, &acc)) != DB_OK)
		return e;
	p = json_pack("{s:I, s:I, s:s, s:s}",
	    "count", (json_int_t)count,
	    "action_required", (json_int_t)action,
	    "company_name", acc.v[AF_COMPANY_NAME] ? acc.v[AF_COMPANY_NAME] :
	    "",
	    "contact_name", acc.v[AF_CONTACT_NAME] ? acc.v[AF_CONTACT_NAME] :
	    "");
	if (p == NULL)
		e = DB_ERROR;
	else	/* outbox_add takes p */
		e = outbox_add(db, "batch_created", acc.v[AF_EMAIL],
		    acc.v[AF_ALT_EMAIL], p, 0, account_id, NULL, 0);
	account_clear(&acc);
	return e;
}

enum reg_err
reg_submit_batch(struct db *db, const struct actor *a,
    struct form *const *forms, size_t n, int accept_valid, int app,
    struct reg_result *res)
{
	struct license	**lic = NULL;
	size_t		  i, valid = 0, stored = 0, action = 0;
	int64_t		  id;
	enum db_err	  e = DB_OK;
	enum reg_err	  r = REG_INVALID;

	if (n > 0 && (lic = calloc(n, sizeof(*lic))) == NULL)
		return REG_NOMEM;
	/* Every form is checked, so the report covers them all. */
	for (i = 0; i < n; i++)
		if (forms[i] != NULL &&
		    rules_check(forms[i], app, &res[i].report, &lic[i]) == 0 &&
		    lic[i] != NULL)
			valid++;
	if (valid == 0 || (valid < n && !accept_valid))
		goto out;
	if ((r = reg_may_file(db, a, &res[0])) != REG_OK)
		goto out;
	r = REG_DB;
	if ((e = db_begin(db)) != DB_OK)
		goto out;
	for (i = 0; i < n; i++) {
		if (lic[i] == NULL)
			continue;
		if ((e = reg_insert(db, a, lic[i], app, &res[i], &id)) !=
		    DB_OK)
			goto fail;
		stored++;
		if (res[i].status == STATUS_ACTION_REQUIRED)
			action++;
	}
	if (!a->synthetic && (e = batch_mail(db, a->account_id, stored,
	    action)) != DB_OK)
		goto fail;
	if ((e = db_commit(db)) != DB_OK)
		goto fail;
	r = REG_OK;
	goto out;
fail:
	db_rollback(db);
	/* Numbers drawn before the failure were never stored. */
	for (i = 0; i < n; i++)
		res[i].number[0] = '\0';
out:
	for (i = 0; i < n; i++) {
		res[i].dberr = e;
		license_free(lic != NULL ? lic[i] : NULL);
	}
	free(lic);
	return r;
}

json_t *
reg_batch_json(const struct batch *b, const struct reg_result *res)
{
	const struct batch_error	*be;
	const char			*status;
	json_t				*o, *lics, *errs;
	size_t				 i;
	int				 bad = 0;

	/* json_pack takes the arrays, even when it fails. */
	if ((o = json_pack("{s:o, s:o}", "licenses", json_array(), "errors",
	    json_array())) == NULL)
		return NULL;
	lics = json_object_get(o, "licenses");
	errs = json_object_get(o, "errors");
	for (i = 0; i < b->n; i++) {
		if (res[i].number[0] != '\0')
			status = status_names[res[i].status];
		else if (b->lic[i].rejected || res[i].report.nerrors > 0)
			status = "rejected";
		else
			status = "not_filed";
		bad |= json_array_append_new(lics, json_pack("{s:s, s:s?, s:s}",
		    "license_ref", b->lic[i].ref,
		    "license_number", res[i].number[0] ? res[i].number : NULL,
		    "status", status));
	}
	for (i = 0; i < b->report.nerrors; i++) {
		be = &b->report.errors[i];
		bad |= json_array_append_new(errs, json_pack("{s:I, s:s, s:s}",
		    "row", (json_int_t)be->row, "field", be->field,
		    "message", be->message));
	}
	if (b->report.truncated)
		bad |= json_array_append_new(errs, json_pack("{s:I, s:s, s:s}",
		    "row", (json_int_t)0, "field", "", "message", "More rows "
		    "have problems than shown: fix these first."));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}
