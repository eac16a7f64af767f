/*
 * The license form page.  It works without JavaScript: adding and
 * removing product lines are submit buttons (action=add_line,
 * action=remove_line_N) that show the form again; /static/aim.js does
 * the same in the page and shows the unit value as it is typed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "forms/country.h"
#include "forms/hts.h"
#include "forms/license.h"
#include "forms/rules.h"
#include "forms/urlform.h"
#include "lib/limits.h"
#include "layout.h"
#include "licform.h"

/* What the line buttons post without script. */
#define ACTION_ADD	"add_line"
#define ACTION_REMOVE	"remove_line_"

#define DL_COUNTRY	"dl-country"	/* every country */
#define DL_COUNTRY_NA	"dl-country-na"	/* ... and "not applicable" */
#define DL_HTS		"dl-hts"	/* covered aluminum codes */

/* What the page is about, from the form's own values. */
struct kind {
	enum product	 product;
	int		 product_ok;	/* the form names a product we know */
	enum ltype	 ltype;
};

static const char *const product_titles[PRODUCT__MAX] = {
	"Aluminum (AIM)", "Steel (SIMA)",
};
static const char *const ltype_titles[LTYPE__MAX] = {
	"Standard license", "Low value license",
};
static const char *const product_options[] = {
	"aluminum", "Aluminum (AIM)",
	"steel", "Steel (SIMA)",
};
static const char *const ltype_options[] = {
	"standard", "Standard license",
	"low_value", "Low value license",
};
static const char *const entry_options[] = {
	"consumption", "Consumption entry",
	"ftz", "Admission into a foreign-trade zone (FTZ)",
};

/* Line fields asked of each product, in the order shown. */
static const enum lfield alu_countries[] = {
	LF_COUNTRY_OF_LARGEST_SMELT,
	LF_COUNTRY_OF_SECOND_LARGEST_SMELT,
	LF_COUNTRY_OF_MOST_RECENT_CAST,
};
static const enum lfield steel_countries[] = {
	LF_COUNTRY_OF_MELT_AND_POUR,
};

static void
kind_of(const struct form *f, struct kind *k)
{
	const char	*p = f->v[HF_PRODUCT], *t = f->v[HF_LICENSE_TYPE];

	k->product = PRODUCT_ALUMINUM;
	k->product_ok = 0;
	if (p != NULL && strcasecmp(p, product_names[PRODUCT_STEEL]) == 0) {
		k->product = PRODUCT_STEEL;
		k->product_ok = 1;
	} else if (p != NULL &&
	    strcasecmp(p, product_names[PRODUCT_ALUMINUM]) == 0)
		k->product_ok = 1;
	k->ltype = t != NULL && strcasecmp(t, ltype_names[LTYPE_LOW_VALUE]) ==
	    0 ? LTYPE_LOW_VALUE : LTYPE_STANDARD;
}

static const char *
error_for(const struct licform *lf, const char *path)
{
	return ui_error_for(lf->errors, path);
}

static const char *
flag_for(const struct licform *lf, const char *path)
{
	return ui_flag_for(lf->flags, path);
}

/* A summary of problems (errors or flags) linking to each field. */
static void
flag_summary(struct req *r, const struct licform *lf)
{
	struct html	*h = &r->h;
	const struct report *fl = lf->flags;

	if (fl == NULL || fl->nflags == 0)
		return;
	h_open(h, "div", "class", "usa-alert usa-alert--warning aim-flags",
	    "role", "region", "aria-labelledby", "flags-heading", NULL);
	h_open(h, "div", "class", "usa-alert__body", NULL);
	h_elem(h, "h2", "Action Required", "class", "usa-alert__heading",
	    "id", "flags-heading", NULL);
	h_elem(h, "p", "This license was flagged as unusual. Check the "
	    "fields marked in red: correct them and submit with changes, or, "
	    "if everything is right, confirm the license without change on "
	    "its page.", "class", "usa-alert__text", NULL);
	ui_item_links(r, fl->flags, fl->nflags);
	h_close(h);
	h_close(h);
}

static void
heading(struct req *r, const struct licform *lf, const struct kind *k)
{
	struct html	*h = &r->h;
	char		 title[128];
	const char	*intro;

	switch (lf->mode) {
	case LICFORM_EDIT:
		snprintf(title, sizeof(title), "Correct license %s",
		    lf->number);
		intro = "Your correction is checked like a new application "
		    "and kept as a new version of the license; the earlier "
		    "versions are never lost. The license number stays the "
		    "same.";
		break;
	case LICFORM_STAFF:
		snprintf(title, sizeof(title), "Edit the emailed form %s",
		    lf->number);
		intro = "Correct what was misread or mistyped. The form is "
		    "checked by the same rules as every filing and shows the "
		    "same messages the filer gets; nothing is issued until "
		    "the form is approved.";
		break;
	case LICFORM_DUPLICATE:
		snprintf(title, sizeof(title), "New license from %s",
		    lf->number);
		intro = "A new application prefilled from that license. It "
		    "gets its own license number when you submit it; the "
		    "license you started from does not change.";
		break;
	default:
		if (k->product_ok)
			snprintf(title, sizeof(title), "Apply for a %s %s "
			    "license", k->ltype == LTYPE_LOW_VALUE ?
			    "low value" : "standard", product_names[k->product]);
		else
			snprintf(title, sizeof(title), "Apply for a license");
		intro = k->ltype == LTYPE_LOW_VALUE ? "A low value license is "
		    "applied for once and used on many entries whose combined "
		    "customs value of covered products is at most $5,000. It "
		    "has no product lines and stays valid until canceled." :
		    "One license for each entry summary. The license number "
		    "is issued as soon as you submit. Informal entries under "
		    "$2,500 generally need no license.";
		break;
	}
	page_begin(r, title);
	h_elem(h, "h1", title, NULL);
	h_elem(h, "p", intro, "class", "usa-intro", NULL);
}

/* Product and license type: fixed for this form, carried hidden. */
static void
kind_block(struct req *r, const struct licform *lf, const struct kind *k)
{
	struct html	*h = &r->h;
	struct ui_field	 uf;
	const char	*e;

	if (lf->mode == LICFORM_STAFF) {
		/* An emailed form may lack or misstate them. */
		memset(&uf, 0, sizeof(uf));
		uf.name = "product";
		uf.label = "Product";
		uf.value = lf->form->v[HF_PRODUCT];
		uf.error = error_for(lf, "product");
		uf.required = 1;
		ui_radios(r, &uf, product_options, sizeof(product_options) /
		    sizeof(product_options[0]) / 2);
		memset(&uf, 0, sizeof(uf));
		uf.name = "license_type";
		uf.label = "License type";
		uf.value = lf->form->v[HF_LICENSE_TYPE];
		uf.error = error_for(lf, "license_type");
		uf.required = 1;
		ui_radios(r, &uf, ltype_options, sizeof(ltype_options) /
		    sizeof(ltype_options[0]) / 2);
		return;
	}
	h_void(h, "input", "type", "hidden", "name", "product", "value",
	    lf->form->v[HF_PRODUCT] ? lf->form->v[HF_PRODUCT] : "", NULL);
	h_void(h, "input", "type", "hidden", "name", "license_type", "value",
	    lf->form->v[HF_LICENSE_TYPE] ? lf->form->v[HF_LICENSE_TYPE] :
	    "", NULL);
	h_open(h, "div", "class", "usa-summary-box aim-kind", NULL);
	h_open(h, "div", "class", "usa-summary-box__body", NULL);
	h_open(h, "p", "id", "f-product", "class", "margin-y-05", NULL);
	h_elem(h, "strong", "Product: ", NULL);
	h_text(h, k->product_ok ? product_titles[k->product] :
	    lf->form->v[HF_PRODUCT]);
	h_close(h);
	if ((e = error_for(lf, "product")) != NULL)
		h_elem(h, "span", e, "class", "usa-error-message", NULL);
	h_open(h, "p", "id", "f-license_type", "class", "margin-y-05", NULL);
	h_elem(h, "strong", "License type: ", NULL);
	h_text(h, ltype_titles[k->ltype]);
	h_close(h);
	if ((e = error_for(lf, "license_type")) != NULL)
		h_elem(h, "span", e, "class", "usa-error-message", NULL);
	if (lf->mode == LICFORM_APPLY) {
		h_open(h, "p", "class", "margin-y-05", NULL);
		h_elem(h, "a", "Choose another product or license type",
		    "href", "/apply", "class", "usa-link", NULL);
		h_close(h);
	}
	h_close(h);
	h_close(h);
}

/* The filer: from the account, not editable here. */
static void
filer_block(struct req *r)
{
	struct html	*h = &r->h;
	static const struct {
		enum afield	 f;
		const char	*label;
	} rows[] = {
		{ AF_COMPANY_NAME, "Company" },
		{ AF_ADDRESS, "Address" },
		{ AF_CONTACT_NAME, "Contact" },
		{ AF_PHONE, "Phone" },
		{ AF_EMAIL, "Email" },
	};
	size_t		 i;
	const char	*v;

	h_open(h, "section", "class", "aim-filer", "aria-labelledby",
	    "filer-heading", NULL);
	h_elem(h, "h2", "Filer", "id", "filer-heading", NULL);
	h_open(h, "p", "class", "usa-hint", NULL);
	h_text(h, "From your account. To change it, go to ");
	h_elem(h, "a", "My account", "href", "/account", "class", "usa-link",
	    NULL);
	h_text(h, ".");
	h_close(h);
	h_open(h, "dl", "class", "aim-dl", NULL);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		v = r->account.v[rows[i].f];
		h_elem(h, "dt", rows[i].label, "class", "text-bold", NULL);
		h_elem(h, "dd", v != NULL && *v != '\0' ? v : "-", NULL);
	}
	h_close(h);
	h_close(h);
}

static void
header_fields(struct req *r, const struct licform *lf)
{
	struct html	*h = &r->h;
	struct ui_field	 uf;
	char		 hint[512];
	int		 i;

	h_open(h, "section", "class", "aim-header", "aria-labelledby",
	    "header-heading", NULL);
	h_elem(h, "h2", "Importer and shipment", "id", "header-heading",
	    NULL);
	for (i = HF_ENTRY_TYPE; i < HF__MAX; i++) {
		memset(&uf, 0, sizeof(uf));
		uf.name = hfields[i].name;
		uf.label = hfields[i].label;
		uf.hint = hfields[i].help;
		uf.value = lf->form->v[i];
		uf.error = error_for(lf, uf.name);
		uf.flag = flag_for(lf, uf.name);
		uf.required = i != HF_CUSTOMS_ENTRY_NUMBER;
		uf.type = "text";
		switch (hfields[i].type) {
		case FT_CHOICE:
			snprintf(hint, sizeof(hint), "%s Goods admitted into a "
			    "foreign-trade zone need a license too; FTZ "
			    "admission licenses never expire.", uf.hint);
			uf.hint = hint;
			ui_radios(r, &uf, entry_options,
			    sizeof(entry_options) / sizeof(entry_options[0]) /
			    2);
			continue;
		case FT_COUNTRY:
			uf.list = DL_COUNTRY;
			uf.autocomplete = "off";
			break;
		case FT_DATE:
			uf.type = "date";
			uf.width = "usa-input--medium";
			break;
		default:
			if (i == HF_CUSTOMS_ENTRY_NUMBER)
				uf.width = "usa-input--medium";
			break;
		}
		ui_input(r, &uf);
	}
	h_close(h);
}

/*
 * The product group and unit value of a line as typed, for reading
 * only: the rules decide, on submit.  The kilograms are read with the
 * money syntax (two decimals): finer weights just show no unit value.
 */
static void
line_facts(struct req *r, const struct form_line *l, enum product product)
{
	struct html	*h = &r->h;
	const char	*group = NULL;
	char		 code[11], auv[64] = "-";
	enum product	 p;
	int64_t		 cents, kg100;

	if (l != NULL && l->v[LF_HTS_CODE] != NULL &&
	    hts_lookup(l->v[LF_HTS_CODE], code, &p, &group) == HTS_OK &&
	    p != product)
		group = NULL;
	if (l != NULL && l->v[LF_CUSTOMS_VALUE_USD] != NULL &&
	    l->v[LF_VOLUME_KG] != NULL &&
	    rules_parse_money(l->v[LF_CUSTOMS_VALUE_USD], &cents) == 0 &&
	    rules_parse_money(l->v[LF_VOLUME_KG], &kg100) == 0 && kg100 > 0)
		snprintf(auv, sizeof(auv), "$%.2f per kg",
		    (double)cents / (double)kg100);
	h_open(h, "div", "class", "aim-line-facts bg-base-lightest "
	    "padding-1 margin-top-2", NULL);
	h_open(h, "p", "class", "margin-y-05", NULL);
	h_elem(h, "strong", "Product group: ", NULL);
	h_elem(h, "output", group != NULL ? group : "-", "class",
	    "aim-group", NULL);
	h_close(h);
	h_open(h, "p", "class", "margin-y-05", NULL);
	h_elem(h, "strong", "Unit value: ", NULL);
	h_elem(h, "output", auv, "class", "aim-auv", NULL);
	h_close(h);
	h_close(h);
}

/*
 * One product line as a fieldset; n is its number (0 in the template
 * that aim.js copies and renumbers), l its values or NULL.
 */
static void
line_fieldset(struct req *r, const struct licform *lf, enum product product,
    size_t n, const struct form_line *l, int removable)
{
	struct html	*h = &r->h;
	struct ui_field	 uf;
	const enum lfield *cs;
	char		 name[64], id[64], legend[48], val[32], label[48];
	size_t		 i, ncs;
	int		 k;

	snprintf(name, sizeof(name), "lines[%zu]", n);
	ui_field_id(name, id, sizeof(id));
	snprintf(legend, sizeof(legend), "Product line %zu", n);
	h_open(h, "fieldset", "class", "usa-fieldset aim-line border-1px "
	    "border-base-lighter radius-md padding-2 margin-top-2", "id", id,
	    NULL);
	h_elem(h, "legend", legend, "class", "usa-legend text-bold "
	    "padding-x-1", NULL);
	if (product == PRODUCT_STEEL) {
		cs = steel_countries;
		ncs = sizeof(steel_countries) / sizeof(steel_countries[0]);
	} else {
		cs = alu_countries;
		ncs = sizeof(alu_countries) / sizeof(alu_countries[0]);
	}
	for (i = 0; i < 3 + ncs; i++) {
		k = i < 3 ? (int)i : (int)cs[i - 3];
		snprintf(name, sizeof(name), "lines[%zu].%s", n,
		    lfields[k].name);
		memset(&uf, 0, sizeof(uf));
		uf.name = name;
		uf.label = lfields[k].label;
		uf.hint = lfields[k].help;
		uf.value = l != NULL ? l->v[k] : NULL;
		uf.type = "text";
		uf.error = error_for(lf, name);
		uf.flag = flag_for(lf, name);
		uf.required = 1;
		switch (k) {
		case LF_HTS_CODE:
			uf.width = "usa-input--medium";
			uf.autocomplete = "off";
			if (product == PRODUCT_ALUMINUM)
				uf.list = DL_HTS;
			break;
		case LF_CUSTOMS_VALUE_USD:
		case LF_VOLUME_KG:
			uf.width = "usa-input--medium";
			break;
		case LF_COUNTRY_OF_LARGEST_SMELT:
		case LF_COUNTRY_OF_SECOND_LARGEST_SMELT:
			uf.list = DL_COUNTRY_NA;
			uf.autocomplete = "off";
			break;
		default:
			uf.list = DL_COUNTRY;
			uf.autocomplete = "off";
			break;
		}
		ui_input(r, &uf);
		if (k == LF_VOLUME_KG)
			line_facts(r, l, product);
	}
	snprintf(val, sizeof(val), ACTION_REMOVE "%zu", n);
	snprintf(label, sizeof(label), "Remove product line %zu", n);
	/* USWDS styles buttons display: inline-block, which beats the
	 * hidden attribute alone. */
	h_elem(h, "button", label, "type", "submit", "name", "action",
	    "value", val, "class", removable ? "usa-button "
	    "usa-button--unstyled aim-remove-line margin-top-2" :
	    "usa-button usa-button--unstyled aim-remove-line margin-top-2 "
	    "display-none", "hidden", removable ? NULL : "", NULL);
	h_close(h);
}

static void
lines_section(struct req *r, const struct licform *lf, const struct kind *k)
{
	struct html	*h = &r->h;
	const struct form *f = lf->form;
	const char	*e;
	size_t		 i, n = f->nlines > 0 ? f->nlines : 1;

	h_open(h, "section", "class", "aim-lines", "id", "f-lines",
	    "aria-labelledby", "lines-heading", NULL);
	h_elem(h, "h2", "Product lines", "id", "lines-heading", NULL);
	h_elem(h, "p", "One line for each HTS code on the entry summary. "
	    "The product group and the unit value are worked out for you.",
	    "class", "usa-hint", NULL);
	if ((e = error_for(lf, "lines")) != NULL)
		h_elem(h, "span", e, "class", "usa-error-message", "role",
		    "alert", NULL);
	h_open(h, "div", "id", "aim-lines", "data-product",
	    product_names[k->product], NULL);
	for (i = 0; i < n; i++)
		line_fieldset(r, lf, k->product, i + 1, i < f->nlines ?
		    &f->lines[i] : NULL, n > 1);
	h_close(h);
	if (n < LIM_LINES)
		h_elem(h, "button", "Add another line", "type", "submit",
		    "name", "action", "value", ACTION_ADD, "class",
		    "usa-button usa-button--outline aim-add-line margin-top-2",
		    NULL);
	h_close(h);
}

static void
datalists(struct req *r, const struct kind *k)
{
	struct html	*h = &r->h;
	const char	*code, *group, *desc;
	char		 text[512];
	size_t		 i, n = country_count();

	h_open(h, "datalist", "id", DL_COUNTRY, NULL);
	for (i = 0; i < n; i++)
		h_void(h, "option", "value", country_name(i), NULL);
	h_close(h);
	if (k->ltype != LTYPE_STANDARD || k->product != PRODUCT_ALUMINUM)
		return;
	h_open(h, "datalist", "id", DL_COUNTRY_NA, NULL);
	h_void(h, "option", "value", "not applicable", NULL);
	for (i = 0; i < n; i++)
		h_void(h, "option", "value", country_name(i), NULL);
	h_close(h);
	h_open(h, "datalist", "id", DL_HTS, NULL);
	for (i = 0; i < hts_aluminum_count(); i++) {
		hts_aluminum_row(i, &code, &group, &desc);
		snprintf(text, sizeof(text), "%s: %s", group, desc);
		h_elem(h, "option", text, "value", code, "data-group", group,
		    NULL);
	}
	h_close(h);
}

static void
certification(struct req *r, const struct licform *lf)
{
	struct html	*h = &r->h;

	h_open(h, "section", "class", "aim-certify", "aria-labelledby",
	    "certify-heading", NULL);
	h_elem(h, "h2", "Certification", "id", "certify-heading", NULL);
	ui_checkbox(r, "certify", "I certify that the information is true "
	    "and correct to the best of my knowledge.", lf->certified,
	    error_for(lf, "certify"));
	h_close(h);
}

static void
actions(struct req *r, const struct licform *lf)
{
	struct html	*h = &r->h;
	char		 back[64];
	const char	*label;

	switch (lf->mode) {
	case LICFORM_EDIT:
		label = lf->flags != NULL && lf->flags->nflags > 0 ?
		    "Submit with changes" : "Submit correction";
		break;
	case LICFORM_STAFF:
		label = "Save and check";
		break;
	default:
		label = "Submit application";
		break;
	}
	h_open(h, "div", "class", "aim-form-actions margin-top-4", NULL);
	h_elem(h, "button", label, "type", "submit", "name", "action",
	    "value", "submit", "class", "usa-button", NULL);
	if (lf->mode == LICFORM_APPLY)
		h_elem(h, "a", "Start over", "href", "/apply", "class",
		    "usa-button usa-button--unstyled", NULL);
	else if (lf->mode == LICFORM_STAFF)
		h_elem(h, "a", "Back to the item", "href", lf->back != NULL ?
		    lf->back : "/staff/queue", "class",
		    "usa-button usa-button--unstyled", NULL);
	else {
		snprintf(back, sizeof(back), "/licenses/%s", lf->number);
		h_elem(h, "a", "Back to the license", "href", back, "class",
		    "usa-button usa-button--unstyled", NULL);
	}
	h_close(h);
}

void
licform_page(struct req *r, const struct licform *lf)
{
	struct html	*h = &r->h;
	struct kind	 k;

	kind_of(lf->form, &k);
	heading(r, lf, &k);
	ui_error_summary(r, lf->errors);
	flag_summary(r, lf);
	ui_form_begin(r, lf->action, "aim-license-form");
	/* Enter in a field submits with the first submit button: make
	 * that this one, not "Remove product line 1". */
	h_elem(h, "button", "Submit", "type", "submit", "name", "action",
	    "value", "submit", "class", "usa-sr-only", "tabindex", "-1",
	    "aria-hidden", "true", NULL);
	kind_block(r, lf, &k);
	/* Staff work on a form from an email: no filer account here, and
	 * the filer certified by sending it. */
	if (lf->mode != LICFORM_STAFF)
		filer_block(r);
	header_fields(r, lf);
	if (k.ltype == LTYPE_STANDARD)
		lines_section(r, lf, &k);
	if (lf->mode != LICFORM_STAFF)
		certification(r, lf);
	actions(r, lf);
	ui_form_end(r);
	datalists(r, &k);
	if (k.ltype == LTYPE_STANDARD) {
		/* What aim.js copies for "Add another line". */
		h_open(h, "template", "id", "aim-line-template", NULL);
		line_fieldset(r, lf, k.product, 0, NULL, 1);
		h_close(h);
	}
	page_end(r);
}

/* "remove_line_N" -> N, or 0. */
static size_t
removed_line(const char *action)
{
	const char	*s;
	char		*end;
	long		 n;

	if (action == NULL || strncmp(action, ACTION_REMOVE,
	    strlen(ACTION_REMOVE)) != 0)
		return 0;
	s = action + strlen(ACTION_REMOVE);
	if (*s < '1' || *s > '9')
		return 0;
	n = strtol(s, &end, 10);
	if (*end != '\0' || n < 1 || n > LIM_LINES)
		return 0;
	return (size_t)n;
}

int
licform_read(const struct req *r, struct report *rep, struct form **fp,
    int *editing)
{
	struct urlpair	*p;
	const char	*action = kv_get(&r->form, "action");
	char		 err[128], prefix[32];
	size_t		 i, n = 0, plen = 0, removed = removed_line(action);
	int		 adding;

	*fp = NULL;
	adding = action != NULL && strcmp(action, ACTION_ADD) == 0;
	*editing = adding || removed > 0;
	if (removed > 0)
		plen = snprintf(prefix, sizeof(prefix), "lines[%zu].",
		    removed);
	if ((p = calloc(r->form.n + 1, sizeof(*p))) == NULL)
		return -1;
	for (i = 0; i < r->form.n; i++) {
		if (plen > 0 && strncmp(r->form.v[i].key, prefix, plen) == 0)
			continue;
		p[n].name = r->form.v[i].key;
		p[n].value = r->form.v[i].val;
		n++;
	}
	/* A form being edited keeps its empty lines; a submitted one
	 * drops them. */
	*fp = urlform_read(p, n, *editing ? URLFORM_KEEP_EMPTY : 0, rep, err,
	    sizeof(err));
	free(p);
	if (*fp != NULL && adding && (*fp)->nlines < LIM_LINES &&
	    form_add_line(*fp) == NULL)
		return -1;
	return 0;
}
