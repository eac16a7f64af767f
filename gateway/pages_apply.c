/*
 * Applying for a license on the web, correcting one and starting a new
 * one from an old one:
 *
 *   GET  /apply                    standard or low value, aluminum or steel
 *   GET  /apply/form               the license form (gateway/licform.c)
 *   POST /apply/form               add or remove a line, or submit
 *   GET  /licenses/NUMBER/edit     the form from the current version
 *   POST /licenses/NUMBER/edit     ... submitted as a correction
 *   GET  /licenses/NUMBER/duplicate a new application from a license
 *
 * Every rule is the core's: the pages read the form, call the registry
 * and show its messages beside the fields.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/log.h"
#include "db/registry.h"
#include "forms/licnum.h"
#include "forms/urlform.h"
#include "lib/limits.h"
#include "filing.h"
#include "layout.h"
#include "licform.h"
#include "route.h"
#include "writer.h"

/* The index of s in names (any case), or -1. */
static int
name_index(const char *s, const char *const *names, int n)
{
	int	 i;

	if (s != NULL)
		for (i = 0; i < n; i++)
			if (strcasecmp(s, names[i]) == 0)
				return i;
	return -1;
}

/* A registry failure that is not about the form, as a page. */
static void
reg_error_page(struct req *r, enum reg_err e)
{
	switch (e) {
	case REG_NOT_FOUND:
		filing_not_found(r);
		break;
	case REG_CANCELED:
		resp_error_page(r, 409, "License canceled", "This license "
		    "is canceled, and canceled licenses cannot be changed. "
		    "You can duplicate it to file a new license.");
		break;
	case REG_ACCOUNT:
		resp_error_page(r, 403, "Account cannot file", "Your account "
		    "cannot file licenses at the moment. Contact the "
		    "licensing office.");
		break;
	case REG_UNSURE:
		filing_unconfirmed(r, 0);
		break;
	default:
		log_msg(LOG_LVL_ERR, "%s: %s: %s", r->path, reg_strerror(e),
		    r->db->errmsg);
		resp_header(r, "Retry-After", "1");
		resp_error_page(r, 503, "Not saved", "The license could not "
		    "be saved just now, and nothing was stored. Go back and "
		    "submit the form again in a moment.");
		break;
	}
}

/* Choosing the kind of license. */

/* One radio tile with a short explanation. */
static void
tile(struct req *r, const char *name, const char *value, const char *label,
    const char *desc, const char *chosen)
{
	struct html	*h = &r->h;
	char		 id[96];

	snprintf(id, sizeof(id), "f-%s-%s", name, value);
	h_open(h, "div", "class", "usa-radio", NULL);
	h_void(h, "input", "class", "usa-radio__input usa-radio__input--tile",
	    "id", id, "type", "radio", "name", name, "value", value,
	    "checked", chosen != NULL && strcasecmp(chosen, value) == 0 ?
	    "" : NULL, NULL);
	h_open(h, "label", "class", "usa-radio__label", "for", id, NULL);
	h_text(h, label);
	h_elem(h, "span", desc, "class", "usa-checkbox__label-description",
	    NULL);
	h_close(h);
	h_close(h);
}

static void
choice_fieldset_begin(struct req *r, const char *name, const char *legend,
    const struct report *rep)
{
	struct html	*h = &r->h;
	const char	*e = ui_error_for(rep, name);
	char		 id[64];

	snprintf(id, sizeof(id), "f-%s", name);
	h_open(h, "fieldset", "class", e != NULL ? "usa-fieldset "
	    "usa-form-group usa-form-group--error" : "usa-fieldset "
	    "usa-form-group", "id", id, NULL);
	h_elem(h, "legend", legend, "class", "usa-legend usa-legend--large",
	    NULL);
	if (e != NULL)
		h_elem(h, "span", e, "class", "usa-error-message", "role",
		    "alert", NULL);
}

static void
choose_page(struct req *r, const char *product, const char *ltype,
    const struct report *rep)
{
	struct html	*h = &r->h;

	page_begin(r, "Apply for a license");
	h_elem(h, "h1", "Apply for a license", NULL);
	h_elem(h, "p", "Importers and their agents need a free license for "
	    "each entry of covered aluminum or steel products before filing "
	    "the entry summary. The number is issued as soon as you submit.",
	    "class", "usa-intro", NULL);
	ui_error_summary(r, rep);
	ui_alert(r, "info", NULL, "Informal entries under $2,500 generally "
	    "need no license.");
	h_open(h, "p", NULL);
	h_text(h, "Many licenses at once? ");
	h_elem(h, "a", "Apply for multiple licenses", "href",
	    "/apply/multiple", "class", "usa-link", NULL);
	h_text(h, " with a spreadsheet.");
	h_close(h);
	/* A GET form: choosing is not a change, and the form's address
	 * can be bookmarked. */
	h_open(h, "form", "method", "get", "action", "/apply/form", "class",
	    "usa-form usa-form--large", "novalidate", "", NULL);

	choice_fieldset_begin(r, "license_type", "Which license?", rep);
	tile(r, "license_type", "standard", "Standard license", "For one "
	    "entry summary, with a product line for each HTS code. Valid "
	    "75 days from issue; an FTZ admission license never expires.",
	    ltype);
	tile(r, "license_type", "low_value", "Low value license", "A "
	    "multiple-use license for entries of at most $5,000 of covered "
	    "products. Valid until canceled; no product lines.", ltype);
	h_close(h);

	choice_fieldset_begin(r, "product", "Which products?", rep);
	tile(r, "product", "aluminum", "Aluminum (AIM)", "Covered aluminum "
	    "products of chapter 76: unwrought aluminum, bars, wire, "
	    "plates, sheet, foil, tubes and more.", product);
	tile(r, "product", "steel", "Steel (SIMA)", "Covered steel products "
	    "of chapters 72 and 73. Aluminum and steel never share one "
	    "license.", product);
	h_close(h);

	h_elem(h, "p", "Goods admitted into a foreign-trade zone (FTZ) need "
	    "a license too: choose FTZ admission as the entry type on the "
	    "form. FTZ admission licenses never expire.", "class",
	    "usa-hint", NULL);
	h_elem(h, "button", "Continue", "type", "submit", "class",
	    "usa-button", NULL);
	h_close(h);
	page_end(r);
}

static void
apply_choose(struct req *r)
{
	choose_page(r, kv_get(&r->query, "product"),
	    kv_get(&r->query, "license_type"), NULL);
}

/* The license form. */

static void
apply_form(struct req *r)
{
	struct licform	 lf;
	struct report	 rep;
	struct form	*f = NULL;
	const char	*ps = kv_get(&r->query, "product");
	const char	*ts = kv_get(&r->query, "license_type");
	const char	*company = r->account.v[AF_COMPANY_NAME];
	int		 p, t;

	report_init(&rep);
	p = name_index(ps, product_names, PRODUCT__MAX);
	t = name_index(ts, ltype_names, LTYPE__MAX);
	if (t < 0)
		report_error(&rep, 0, "license_type", "Choose a standard or a "
		    "low value license.");
	if (p < 0)
		report_error(&rep, 0, "product", "Choose aluminum or steel.");
	if (rep.nerrors > 0) {
		r->status = 422;
		choose_page(r, ps, ts, &rep);
		goto out;
	}
	if ((f = form_new()) == NULL ||
	    form_set(f, HF_PRODUCT, product_names[p],
	    strlen(product_names[p])) == -1 ||
	    form_set(f, HF_LICENSE_TYPE, ltype_names[t],
	    strlen(ltype_names[t])) == -1 ||
	    (company != NULL && form_set(f, HF_IMPORTER_NAME, company,
	    strlen(company)) == -1)) {
		reg_error_page(r, REG_NOMEM);
		goto out;
	}
	memset(&lf, 0, sizeof(lf));
	lf.mode = LICFORM_APPLY;
	lf.form = f;
	lf.action = "/apply/form";
	licform_page(r, &lf);
out:
	form_free(f);
	report_free(&rep);
}

/*
 * A posted license form, for a new application (number NULL) or a
 * correction: a line added or removed shows the form again; a submit
 * goes to the registry, and a form with errors comes back with each
 * message beside its field.  flags: Action Required of the license.
 */
static void
post_form(struct req *r, enum licform_mode mode, const char *number,
    const struct report *flags)
{
	struct reg_result res;
	struct licform	 lf;
	struct actor	 a;
	struct form	*f = NULL;
	const char	*cert = kv_get(&r->form, "certify");
	char		 path[64];
	int		 editing, today = req_today(r);
	enum reg_err	 e;

	reg_result_init(&res);
	if (licform_read(r, &res.report, &f, &editing) == -1) {
		reg_error_page(r, REG_NOMEM);
		goto out;
	}
	if (f == NULL) {
		resp_error_page(r, 400, "Form not read", "The form could not "
		    "be read: it has too many fields.");
		goto out;
	}
	memset(&lf, 0, sizeof(lf));
	lf.mode = mode;
	lf.form = f;
	lf.flags = flags;
	lf.number = number;
	lf.certified = cert != NULL && *cert != '\0';
	if (mode == LICFORM_EDIT) {
		snprintf(path, sizeof(path), "/licenses/%s/edit", number);
		lf.action = path;
	} else
		lf.action = "/apply/form";

	if (editing) {
		/* Only what the reader found; the rules wait for submit. */
		lf.errors = &res.report;
		licform_page(r, &lf);
		goto out;
	}

	if (!lf.certified) {
		/* Every problem at once: the rules' too, nothing stored. */
		rules_check(f, today, &res.report, NULL);
		report_error(&res.report, 0, "certify", "Tick the box to "
		    "certify that the information is true and correct.");
		e = REG_INVALID;
	} else {
		filing_actor(r, "web", "", &a);
		if (mode == LICFORM_EDIT)
			e = reg_correct(r->db, &a, number, f, today, &res);
		else
			e = writer_submit(r->gw, &a, f, today, &res);
	}
	switch (e) {
	case REG_OK:
		snprintf(path, sizeof(path), "/licenses/%s?%s=1", res.number,
		    mode == LICFORM_EDIT ? "corrected" : "new");
		resp_redirect(r, path);
		break;
	case REG_INVALID:
		r->status = 422;
		lf.errors = &res.report;
		licform_page(r, &lf);
		break;
	default:
		reg_error_page(r, e);
		break;
	}
out:
	form_free(f);
	reg_result_free(&res);
}

static void
apply_post(struct req *r)
{
	post_form(r, LICFORM_APPLY, NULL, NULL);
}

/* An existing license: correct or duplicate. */

/*
 * The license of the route for correcting: not found (or another
 * company's) and canceled become their pages.  Returns 0 with the view
 * filled (free it), or -1 with the page written.
 */
static int
editable(struct req *r, struct reg_view *v)
{
	struct actor	 a;
	enum reg_err	 e;

	filing_actor(r, "web", "", &a);
	if ((e = reg_show(r->db, &a, r->arg, v)) != REG_OK) {
		reg_error_page(r, e);
		return -1;
	}
	if (v->status == STATUS_CANCELED || v->nversions == 0) {
		reg_view_free(v);
		reg_error_page(r, REG_CANCELED);
		return -1;
	}
	return 0;
}

static void
edit_form(struct req *r)
{
	struct reg_view	 v;
	struct licform	 lf;
	struct form	*f;
	char		 path[64];

	if (editable(r, &v) == -1)
		return;
	if ((f = license_to_form(v.versions[v.nversions - 1].lic)) ==
	    NULL) {
		reg_error_page(r, REG_NOMEM);
		goto out;
	}
	snprintf(path, sizeof(path), "/licenses/%s/edit", v.number);
	memset(&lf, 0, sizeof(lf));
	lf.mode = LICFORM_EDIT;
	lf.form = f;
	lf.flags = &v.versions[v.nversions - 1].flags;
	lf.action = path;
	lf.number = v.number;
	licform_page(r, &lf);
out:
	form_free(f);
	reg_view_free(&v);
}

static void
edit_post(struct req *r)
{
	struct reg_view	 v;

	if (editable(r, &v) == -1)
		return;
	post_form(r, LICFORM_EDIT, v.number,
	    &v.versions[v.nversions - 1].flags);
	reg_view_free(&v);
}

static void
duplicate_form(struct req *r)
{
	struct licform	 lf;
	struct actor	 a;
	struct form	*f = NULL;
	char		 number[LICNUM_LEN + 1];
	enum reg_err	 e;

	filing_actor(r, "web", "", &a);
	if ((e = reg_duplicate(r->db, &a, r->arg, &f)) != REG_OK) {
		reg_error_page(r, e);
		goto out;
	}
	if (licnum_normalize(r->arg, number) == -1)
		snprintf(number, sizeof(number), "%s", "");
	memset(&lf, 0, sizeof(lf));
	lf.mode = LICFORM_DUPLICATE;
	lf.form = f;
	lf.action = "/apply/form";
	lf.number = number;
	licform_page(r, &lf);
out:
	form_free(f);
}

static const struct route routes[] = {
	{ METHOD_GET, "/apply", ROLE_FILER, apply_choose },
	{ METHOD_GET, "/apply/form", ROLE_FILER, apply_form },
	{ METHOD_POST, "/apply/form", ROLE_FILER, apply_post },
	{ METHOD_GET, "/licenses/*/edit", ROLE_FILER, edit_form },
	{ METHOD_POST, "/licenses/*/edit", ROLE_FILER, edit_post },
	{ METHOD_GET, "/licenses/*/duplicate", ROLE_FILER, duplicate_form },
};

ROUTE_TABLE(routes_apply, routes);
