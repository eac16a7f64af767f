/*
 * Pages anyone may open: the home page, the public license check
 * (DOMAIN.md section 9) and the help pages.  The glossary is built from
 * the field vocabulary (forms/form.h), so it never drifts from the
 * forms.
 */
#include <stdio.h>
#include <string.h>

#include "lib/date.h"
#include "lib/limits.h"
#include "forms/licnum.h"
#include "forms/rules.h"
#include "db/registry.h"
#include "layout.h"
#include "route.h"

static void
para(struct req *r, const char *text)
{
	h_elem(&r->h, "p", text, NULL);
}

static void
ahref(struct req *r, const char *text, const char *href)
{
	h_elem(&r->h, "a", text, "href", href, "class", "usa-link", NULL);
}

/* ----- home ----- */

static void
card(struct req *r, const char *title, const char *text, const char *href,
    const char *button)
{
	struct html	*h = &r->h;

	h_open(h, "li", "class", "usa-card tablet:grid-col-6 "
	    "desktop:grid-col-3", NULL);
	h_open(h, "div", "class", "usa-card__container", NULL);
	h_open(h, "div", "class", "usa-card__header", NULL);
	h_elem(h, "h2", title, "class", "usa-card__heading", NULL);
	h_close(h);
	h_open(h, "div", "class", "usa-card__body", NULL);
	para(r, text);
	h_close(h);
	h_open(h, "div", "class", "usa-card__footer", NULL);
	h_elem(h, "a", button, "href", href, "class", "usa-button", NULL);
	h_close(h);
	h_close(h);
	h_close(h);
}

static void
home(struct req *r)
{
	struct html	*h = &r->h;
	int		 d;

	page_begin(r, "Home");
	h_open(h, "section", "class", "aim-hero", NULL);
	h_elem(h, "h1", "Import licenses for aluminum and steel", NULL);
	h_elem(h, "p", "Importers and customs brokers need a free import "
	    "license for every entry of covered aluminum (AIM) or steel "
	    "(SIMA) products before filing the entry summary. Apply here "
	    "and the license number is issued at once.", "class",
	    "usa-intro", NULL);
	if (r->signed_in) {
		h_elem(h, "a", "Apply for a license", "href", "/apply",
		    "class", "usa-button usa-button--big", NULL);
		h_elem(h, "a", "My licenses", "href", "/licenses", "class",
		    "usa-button usa-button--outline usa-button--big", NULL);
	} else {
		h_elem(h, "a", "Sign in", "href", "/signin", "class",
		    "usa-button usa-button--big", NULL);
		h_elem(h, "a", "Register", "href", "/register", "class",
		    "usa-button usa-button--outline usa-button--big", NULL);
	}
	h_close(h);

	h_open(h, "section", "class", "aim-about", "aria-labelledby",
	    "about-heading", NULL);
	h_elem(h, "h2", "What this system is", "id", "about-heading", NULL);
	para(r, "The licensing system for the import monitoring programs of "
	    "aluminum and steel. Every CBP entry summary of covered "
	    "aluminum or steel products needs its own license, and the "
	    "license number goes on the entry summary. Licenses are free. "
	    "The data they carry feeds a public monitor of import trends, "
	    "published as totals that never reveal one company's trade.");
	h_open(h, "ul", "class", "usa-list", NULL);
	h_elem(h, "li", "One account files both aluminum and steel "
	    "licenses; steel and aluminum never share one license.", NULL);
	h_elem(h, "li", "Apply up to 60 days before the expected import, "
	    "and until the entry summary is filed.", NULL);
	h_elem(h, "li", "A license is valid for 75 days; a license for a "
	    "foreign-trade zone admission does not expire.", NULL);
	h_elem(h, "li", "Small shipments can use one low value license for "
	    "many entries of at most $5,000 each.", NULL);
	h_close(h);
	h_close(h);

	h_open(h, "ul", "class", "usa-card-group aim-cards", NULL);
	card(r, "Apply for a license", r->signed_in ?
	    "File a standard or low value license for aluminum or steel. "
	    "The number is issued as soon as you submit." :
	    "Sign in or register an account, then file a standard or low "
	    "value license. The number is issued as soon as you submit.",
	    "/apply", "Apply");
	card(r, "Check a license", "Filing an entry? Check that a license "
	    "number is valid for the importer, the import date and the "
	    "entry value. No account needed.", "/check", "Check a license");
	card(r, "Help", "Who needs a license, when to apply, how long it is "
	    "valid, low value licenses, foreign-trade zones, Action "
	    "Required, and every field of the form explained.", "/help",
	    "Read the help");
	card(r, "Import monitor", "Monthly aluminum and steel imports from "
	    "the licenses, by product and country, weeks ahead of the "
	    "official statistics.", "/monitor", "Open the monitor");
	h_close(h);

	d = ui_alert_open(r, "info", "Site down and a shipment due?", NULL);
	h_open(h, "p", "class", "usa-alert__text", NULL);
	h_text(h, "If this site (or your own system) is down, you can file "
	    "by email with the PDF license form. An emailed form is not a "
	    "license until it is approved and a number is issued. ");
	ahref(r, "How to file by email in an emergency", "/help/emergency");
	h_close(h);
	h_close_to(h, d);
	page_end(r);
}

/* ----- the license check ----- */

static const struct {
	const char	*kind;
	const char	*heading;
	const char	*text;
} check_ui[CHECK__MAX] = {
	[CHECK_VALID] = { "success", "Valid",
	    "This license is valid for this importer on this import date." },
	[CHECK_EXPIRED] = { "error", "Expired",
	    "This license is not valid on this import date: it has expired. "
	    "The entry needs another license." },
	[CHECK_CANCELED] = { "error", "Canceled",
	    "This license has been canceled. It cannot be used for any "
	    "entry." },
	[CHECK_NOT_FOUND] = { "error", "Not found",
	    "There is no license with this number. Check the number: it has "
	    "9 letters and digits, and never the letters I, L, O or U." },
	[CHECK_WRONG_IMPORTER] = { "error", "Not valid for this importer",
	    "This license was not issued for the importer you entered. "
	    "Check the importer name as written on the license." },
	[CHECK_OVER_LOW_VALUE_LIMIT] = { "error", "Over the low value limit",
	    "This is a low value license: it covers only entries whose "
	    "covered products are worth at most $5,000 in all. This entry "
	    "needs its own license." },
};

static void
check(struct req *r)
{
	struct html		*h = &r->h;
	struct report		 rep;
	struct ui_field		 uf;
	const char		*number, *importer, *date, *value;
	char			 norm[LICNUM_LEN + 1], money[32];
	int64_t			 cents = -1;
	int			 day = 0, asked, d;
	enum check_result	 res = CHECK_NOT_FOUND;
	enum reg_err		 e = REG_OK;

	report_init(&rep);
	asked = kv_get(&r->query, "number") != NULL;
	number = ui_query_text(r, "number", "The license number", &rep);
	importer = ui_query_text(r, "importer", "The importer name", &rep);
	date = ui_query_text(r, "import_date", "The import date", &rep);
	value = ui_query_text(r, "entry_value", "The entry value", &rep);
	if (asked) {
		if ((number == NULL || *number == '\0') &&
		    !report_has_error(&rep, "number"))
			report_error(&rep, 0, "number", "Enter the license "
			    "number.");
		if (importer == NULL || *importer == '\0') {
			if (!report_has_error(&rep, "importer"))
				report_error(&rep, 0, "importer", "Enter the "
				    "importer name as written on the "
				    "license.");
		}
		if (date == NULL || *date == '\0') {
			if (!report_has_error(&rep, "import_date"))
				report_error(&rep, 0, "import_date", "Enter "
				    "the date of import.");
		} else if (date_parse(date, &day) == -1)
			report_error(&rep, 0, "import_date", "Enter the "
			    "date of import as YYYY-MM-DD, for example "
			    "2025-03-14.");
		if (value != NULL && *value != '\0' &&
		    rules_parse_money(value, &cents) == -1)
			report_error(&rep, 0, "entry_value", "Enter the "
			    "entry value in U.S. dollars with at most 2 "
			    "decimals, for example 4500.00.");
		if (rep.nerrors == 0)
			e = reg_check(r->db, number, importer, day, cents,
			    &res);
	}
	if (e != REG_OK)
		r->status = 503;

	page_begin(r, "Check a license");
	h_elem(h, "h1", "Check a license", NULL);
	h_elem(h, "p", "Before filing an entry summary, check that a license "
	    "number is good for the entry. The answer says only whether the "
	    "license is valid; nothing else about it is shown.", "class",
	    "usa-intro", NULL);

	ui_error_summary(r, &rep);
	if (asked && rep.nerrors == 0) {
		h_open(h, "section", "class", "aim-check-result",
		    "aria-live", "polite", NULL);
		if (e != REG_OK) {
			d = ui_alert_open(r, "warning", "The check could not "
			    "be done", NULL);
			h_elem(h, "p", "The license register could not be "
			    "read just now. Try again in a moment.", "class",
			    "usa-alert__text", NULL);
			h_close_to(h, d);
		} else {
			d = ui_alert_open(r, check_ui[res].kind,
			    check_ui[res].heading, NULL);
			h_open(h, "p", "class", "usa-alert__text", NULL);
			h_text(h, "License ");
			h_elem(h, "strong", licnum_normalize(number, norm) ==
			    0 ? norm : number, "class", "aim-licnum", NULL);
			h_text(h, ", importer ");
			h_elem(h, "strong", importer, NULL);
			h_text(h, ", import date ");
			h_elem(h, "strong", date, NULL);
			if (cents >= 0) {
				money_format(cents, money, sizeof(money));
				h_text(h, ", entry value $");
				h_elem(h, "strong", money, NULL);
			}
			h_text(h, ".");
			h_close(h);
			h_elem(h, "p", check_ui[res].text, "class",
			    "usa-alert__text", NULL);
			h_close_to(h, d);
		}
		h_close(h);
	}

	h_open(h, "form", "method", "get", "action", "/check", "class",
	    "usa-form usa-form--large aim-check", "novalidate", "", NULL);
	memset(&uf, 0, sizeof(uf));
	uf.name = "number";
	uf.label = "License number";
	uf.hint = "9 letters and digits, as on the license";
	uf.value = kv_get(&r->query, "number");
	uf.error = ui_error_for(&rep, "number");
	uf.required = 1;
	uf.width = "usa-input--medium";
	ui_input(r, &uf);
	memset(&uf, 0, sizeof(uf));
	uf.name = "importer";
	uf.label = "Importer name";
	uf.hint = "The importer of record, as named on the license";
	uf.value = kv_get(&r->query, "importer");
	uf.error = ui_error_for(&rep, "importer");
	uf.autocomplete = "organization";
	uf.required = 1;
	ui_input(r, &uf);
	memset(&uf, 0, sizeof(uf));
	uf.name = "import_date";
	uf.label = "Date of import";
	uf.hint = NULL;	/* the date picker shows its own format */
	uf.type = "date";
	uf.value = kv_get(&r->query, "import_date");
	uf.error = ui_error_for(&rep, "import_date");
	uf.required = 1;
	uf.width = "usa-input--medium";
	ui_input(r, &uf);
	memset(&uf, 0, sizeof(uf));
	uf.name = "entry_value";
	uf.label = "Entry value (US$)";
	uf.hint = "For a low value license: the combined customs value of "
	    "the covered products on the entry, for example 4500.00";
	uf.value = kv_get(&r->query, "entry_value");
	uf.error = ui_error_for(&rep, "entry_value");
	uf.width = "usa-input--medium";
	ui_input(r, &uf);
	ui_button(r, "Check", NULL);
	h_close(h);

	h_open(h, "p", NULL);
	h_text(h, "Software can ask the same question: ");
	h_elem(h, "code", "GET /api/v1/license-check?number=&importer=&"
	    "import_date=&entry_value=", NULL);
	h_text(h, " (no token needed). ");
	ahref(r, "About the API", "/help/api");
	h_close(h);
	page_end(r);
	report_free(&rep);
}

/* ----- help ----- */

static void	 help_who(struct req *);
static void	 help_when(struct req *);
static void	 help_validity(struct req *);
static void	 help_low_value(struct req *);
static void	 help_ftz(struct req *);
static void	 help_informal(struct req *);
static void	 help_emergency(struct req *);
static void	 help_action_required(struct req *);
static void	 help_number(struct req *);
static void	 help_glossary(struct req *);
static void	 help_api(struct req *);

static const struct help_page {
	const char	*slug;
	const char	*title;
	void		(*render)(struct req *);
} help_pages[] = {
	{ "who", "Who needs a license", help_who },
	{ "when", "When to apply", help_when },
	{ "validity", "How long a license is valid", help_validity },
	{ "low-value", "Low value licenses", help_low_value },
	{ "ftz", "Foreign-trade zone admissions", help_ftz },
	{ "informal", "Informal entries", help_informal },
	{ "emergency", "Emergency filing by email", help_emergency },
	{ "action-required", "Action Required", help_action_required },
	{ "license-number", "The license number", help_number },
	{ "glossary", "Glossary of form fields", help_glossary },
	{ "api", "JSON API for software", help_api },
};

#define HELP_PAGES	(sizeof(help_pages) / sizeof(help_pages[0]))

static void
help_who(struct req *r)
{
	struct html	*h = &r->h;

	para(r, "Anyone who files the entry summary for covered aluminum or "
	    "steel products needs a license for it first:");
	h_open(h, "ul", "class", "usa-list", NULL);
	h_elem(h, "li", "importers of record;", NULL);
	h_elem(h, "li", "importing agents acting for an importer;", NULL);
	h_elem(h, "li", "customs brokers filing for their clients;", NULL);
	h_elem(h, "li", "foreign filers, as long as the account has a U.S. "
	    "street address.", NULL);
	h_close(h);
	para(r, "You need one license per CBP entry summary. One license "
	    "may list several products only when they share the importer, "
	    "the exporter, the manufacturer, the country of origin and the "
	    "country of exportation; otherwise file separate licenses.");
	para(r, "Licenses are free. One account files both aluminum and "
	    "steel licenses, but one license never mixes the two.");
	h_open(h, "p", NULL);
	h_text(h, "To file, ");
	ahref(r, "register an account", "/register");
	h_text(h, " with your company's details and verify your email "
	    "address with the code we send you.");
	h_close(h);
}

static void
help_when(struct req *r)
{
	para(r, "Apply at most 60 days before the expected date of import. "
	    "You can apply any time after that until the entry summary is "
	    "filed, so an import date in the past is accepted.");
	para(r, "The license number is issued as soon as you submit the "
	    "application: there is no waiting and no review before "
	    "issue. Put it on the entry summary.");
	para(r, "If the dates, values or anything else change before the "
	    "entry summary is filed, edit the license: each correction is "
	    "kept as a new version and the number stays the same.");
}

static void
help_validity(struct req *r)
{
	para(r, "A standard license is valid for 75 days from the day it is "
	    "issued.");
	para(r, "What counts is the date of import: a license valid on that "
	    "date is accepted even if it expires before the entry summary "
	    "is filed.");
	para(r, "A license for a foreign-trade zone admission does not "
	    "expire. A low value license does not expire either: it stays "
	    "valid until it is canceled.");
	para(r, "A canceled license is never valid again, for any entry. You "
	    "can duplicate it to file a new one with the same details.");
	h_open(&r->h, "p", NULL);
	h_text(&r->h, "To see whether a license is good for an entry, use ");
	ahref(r, "the license check", "/check");
	h_text(&r->h, ".");
	h_close(&r->h);
}

static void
help_low_value(struct req *r)
{
	para(r, "A low value license is optional. You apply for it once and "
	    "use it on many entries, as long as the covered products on "
	    "each entry are worth at most $5,000 in all (combined customs "
	    "value).");
	para(r, "It has the same header as a standard license (importer, "
	    "exporter, manufacturer, countries, dates, port) but no product "
	    "lines. It stays valid until you cancel it.");
	para(r, "It is only good for entries by, or on behalf of, the "
	    "importer named on it. An entry worth more than $5,000 of "
	    "covered products needs a standard license; the license check "
	    "answers \"over the low value limit\" for it.");
}

static void
help_ftz(struct req *r)
{
	para(r, "Products admitted into a foreign-trade zone need a license "
	    "too. Choose the entry type \"ftz\" (foreign-trade zone "
	    "admission) instead of \"consumption\" on the application.");
	para(r, "A license for a foreign-trade zone admission does not "
	    "expire, because goods may stay in a zone for a long time "
	    "before they are entered for consumption.");
}

static void
help_informal(struct req *r)
{
	para(r, "Informal entries, generally those valued under $2,500, do "
	    "not need a license.");
	para(r, "If you are not sure whether an entry is formal or informal, "
	    "ask your customs broker, or apply anyway: a license costs "
	    "nothing.");
}

static void
help_emergency(struct req *r)
{
	struct html	*h = &r->h;
	const char	*dom = r->gw->cfg->mail_domain;
	char		 al[192], st[192];
	int		 d;

	snprintf(al, sizeof(al), "aluminum.license@%s", dom);
	snprintf(st, sizeof(st), "steel.license@%s", dom);
	para(r, "When this site is down, or your own systems are, and a "
	    "shipment is due, you can file by email:");
	h_open(h, "ol", "class", "usa-process-list", NULL);
	h_open(h, "li", "class", "usa-process-list__item", NULL);
	h_elem(h, "h3", "Fill in the PDF license form", "class",
	    "usa-process-list__heading", NULL);
	para(r, "Use the aluminum or the steel form, with the same fields "
	    "as the web form.");
	h_open(h, "ul", "class", "usa-list", NULL);
	h_open(h, "li", NULL);
	h_elem(h, "a", "Aluminum license form (PDF)", "href", r->signed_in ?
	    "/forms/aluminum.pdf?prefill=1" : "/forms/aluminum.pdf", "class",
	    "usa-link", NULL);
	h_close(h);
	h_open(h, "li", NULL);
	h_elem(h, "a", "Steel license form (PDF)", "href", r->signed_in ?
	    "/forms/steel.pdf?prefill=1" : "/forms/steel.pdf", "class",
	    "usa-link", NULL);
	h_close(h);
	h_close(h);
	h_close(h);
	h_open(h, "li", "class", "usa-process-list__item", NULL);
	h_elem(h, "h3", "Email it to the licensing mailbox", "class",
	    "usa-process-list__heading", NULL);
	h_open(h, "ul", "class", "usa-list", NULL);
	h_open(h, "li", NULL);
	h_text(h, "Aluminum: to ");
	h_elem(h, "strong", al, NULL);
	h_text(h, " with the subject ");
	h_elem(h, "strong", "Aluminum License Application", NULL);
	h_close(h);
	h_open(h, "li", NULL);
	h_text(h, "Steel: to ");
	h_elem(h, "strong", st, NULL);
	h_text(h, " with the subject ");
	h_elem(h, "strong", "Steel License Application", NULL);
	h_close(h);
	h_close(h);
	h_close(h);
	h_open(h, "li", "class", "usa-process-list__item", NULL);
	h_elem(h, "h3", "Say what went wrong", "class",
	    "usa-process-list__heading", NULL);
	para(r, "Add a short description of the problem and screenshots of "
	    "any error message you saw.");
	h_close(h);
	h_open(h, "li", "class", "usa-process-list__item", NULL);
	h_elem(h, "h3", "Wait for the license number", "class",
	    "usa-process-list__heading", NULL);
	para(r, "Staff review each emailed form. When it is approved, the "
	    "license number is issued and a confirmation is emailed to "
	    "you.");
	h_close(h);
	h_close(h);
	d = ui_alert_open(r, "warning", "An emailed form is not a license",
	    NULL);
	h_elem(h, "p", "Only a license number issued by this system is a "
	    "license. Do not file the entry summary with an emailed form.",
	    "class", "usa-alert__text", NULL);
	h_close_to(h, d);
}

static void
help_action_required(struct req *r)
{
	para(r, "Every license is issued at once. Afterwards the system "
	    "compares it with the licenses of the last year, and marks it "
	    "Action Required when something looks unusual:");
	h_open(&r->h, "ul", "class", "usa-list", NULL);
	h_elem(&r->h, "li", "a rare country of origin for that product; or",
	    NULL);
	h_elem(&r->h, "li", "an unusually high or low value per kilogram, "
	    "often a sign that the value or the weight was typed wrong (for "
	    "example metric tons or pounds entered as kilograms).", NULL);
	h_close(&r->h);
	para(r, "The license page shows each flagged field in red with the "
	    "reason. Then do one of two things:");
	h_open(&r->h, "ul", "class", "usa-list", NULL);
	h_elem(&r->h, "li", "Submit with changes: correct the fields that "
	    "are wrong. The correction is kept as a new version.", NULL);
	h_elem(&r->h, "li", "Confirm without change: if every value is "
	    "right, say so, and the mark is cleared.", NULL);
	h_close(&r->h);
	para(r, "Licenses with Action Required are marked in your list of "
	    "licenses, and counted at its top.");
	para(r, "Staff may also email you about a possible error or a likely "
	    "duplicate license. Please answer promptly, by replying to that "
	    "email.");
}

static void
help_number(struct req *r)
{
	struct html	*h = &r->h;

	para(r, "A license number has 9 characters, letters and digits, for "
	    "example 4G7KX2M96. The last character is a check character "
	    "computed from the other eight, so a mistyped character is "
	    "caught at once.");
	para(r, "The letters I, L, O and U are never used, so they cannot be "
	    "confused with 1 and 0 (or make words). Lower case and spaces "
	    "are accepted when you type a number: 4g7k x2m96 is the same "
	    "number.");
	para(r, "Numbers are drawn at random, so one license number tells "
	    "nothing about another.");
	h_open(h, "p", NULL);
	h_text(h, "Put the number on the CBP entry summary. Anyone can ");
	ahref(r, "check a license number", "/check");
	h_text(h, " for an importer and an import date.");
	h_close(h);
}

static void
glossary_list(struct req *r, const struct field_def *defs, size_t n,
    const char *prefix, const char *idprefix)
{
	struct html	*h = &r->h;
	char		 name[96], id[96];
	size_t		 i;

	h_open(h, "dl", "class", "aim-glossary", NULL);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s%s", prefix, defs[i].name);
		snprintf(id, sizeof(id), "%s%s", idprefix, defs[i].name);
		h_open(h, "dt", "class", "text-bold margin-top-2", "id", id,
		    NULL);
		h_text(h, defs[i].label);
		h_text(h, " ");
		h_elem(h, "code", name, "class", "text-normal text-base",
		    NULL);
		h_close(h);
		h_elem(h, "dd", defs[i].help, "class", "margin-left-0", NULL);
	}
	h_close(h);
}

static void
help_glossary(struct req *r)
{
	para(r, "Every field of the license form, with the name the web "
	    "form, the JSON API, the XML and PDF forms and the spreadsheet "
	    "columns all use for it.");
	h_elem(&r->h, "h2", "License header", NULL);
	para(r, "The same for every product on the license.");
	glossary_list(r, hfields, HF__MAX, "", "g-");
	h_elem(&r->h, "h2", "Product lines", NULL);
	para(r, "One or more per standard license. Aluminum lines have the "
	    "smelt and cast countries; steel lines have the country of "
	    "melt and pour.");
	glossary_list(r, lfields, LF__MAX, "lines[].", "g-lines-");
	h_elem(&r->h, "h2", "Computed for you", NULL);
	para(r, "The product group (aluminum) or product category (steel) "
	    "comes from the HTS code, and the average unit value is the "
	    "customs value divided by the kilograms.");
}

static void
help_api(struct req *r)
{
	struct html	*h = &r->h;

	para(r, "Brokers' and importers' software can file and manage "
	    "licenses through a JSON API, with the same fields and the same "
	    "rules as this site.");
	h_open(h, "ul", "class", "usa-list", NULL);
	h_open(h, "li", NULL);
	h_text(h, "Create an API token under ");
	ahref(r, "My account", "/account");
	h_text(h, " and send it as ");
	h_elem(h, "code", "Authorization: Bearer TOKEN", NULL);
	h_text(h, ".");
	h_close(h);
	h_open(h, "li", NULL);
	h_elem(h, "code", "POST /api/v1/licenses", NULL);
	h_text(h, " files a license; the body uses the field names of ");
	ahref(r, "the glossary", "/help/glossary");
	h_text(h, ".");
	h_close(h);
	h_open(h, "li", NULL);
	h_elem(h, "code", "GET /api/v1/licenses", NULL);
	h_text(h, " lists your licenses; ");
	h_elem(h, "code", "GET", NULL);
	h_text(h, ", ");
	h_elem(h, "code", "PUT", NULL);
	h_text(h, " and ");
	h_elem(h, "code", "POST .../cancel, .../duplicate, .../confirm",
	    NULL);
	h_text(h, " work on one license.");
	h_close(h);
	h_open(h, "li", NULL);
	h_elem(h, "code", "GET /api/v1/license-check", NULL);
	h_text(h, " answers the license check without a token.");
	h_close(h);
	h_close(h);
	h_open(h, "p", NULL);
	h_text(h, "The full reference, with examples for curl, is ");
	h_elem(h, "code", "docs/api.md", NULL);
	h_text(h, " in the source distribution of this system.");
	h_close(h);
}

static void
help_nav(struct req *r, const struct help_page *cur)
{
	struct html	*h = &r->h;
	char		 href[64];
	size_t		 i;

	h_open(h, "nav", "aria-label", "Help topics", NULL);
	h_open(h, "ul", "class", "usa-sidenav", NULL);
	h_open(h, "li", "class", "usa-sidenav__item", NULL);
	h_elem(h, "a", "Help topics", "href", "/help", "class", cur == NULL ?
	    "usa-current" : NULL, "aria-current", cur == NULL ? "page" : NULL,
	    NULL);
	h_close(h);
	for (i = 0; i < HELP_PAGES; i++) {
		snprintf(href, sizeof(href), "/help/%s", help_pages[i].slug);
		h_open(h, "li", "class", "usa-sidenav__item", NULL);
		h_elem(h, "a", help_pages[i].title, "href", href, "class",
		    cur == &help_pages[i] ? "usa-current" : NULL,
		    "aria-current", cur == &help_pages[i] ? "page" : NULL,
		    NULL);
		h_close(h);
	}
	h_close(h);
	h_close(h);
}

/* The help layout: side navigation, then the topic (NULL: the index). */
static void
help_render(struct req *r, const struct help_page *p)
{
	struct html	*h = &r->h;
	char		 href[64];
	size_t		 i;

	page_begin(r, p != NULL ? p->title : "Help");
	h_open(h, "div", "class", "grid-row grid-gap aim-help", NULL);
	h_open(h, "div", "class", "desktop:grid-col-3 aim-help__nav", NULL);
	help_nav(r, p);
	h_close(h);
	h_open(h, "div", "class", "desktop:grid-col-9 usa-prose aim-help__body",
	    NULL);
	if (p != NULL) {
		h_elem(h, "h1", p->title, NULL);
		p->render(r);
	} else {
		h_elem(h, "h1", "Help", NULL);
		para(r, "Plain answers about import licenses for aluminum "
		    "and steel.");
		h_open(h, "ul", "class", "usa-list", NULL);
		for (i = 0; i < HELP_PAGES; i++) {
			snprintf(href, sizeof(href), "/help/%s",
			    help_pages[i].slug);
			h_open(h, "li", NULL);
			ahref(r, help_pages[i].title, href);
			h_close(h);
		}
		h_close(h);
	}
	h_close(h);
	h_close(h);
	page_end(r);
}

static void
help_index(struct req *r)
{
	help_render(r, NULL);
}

static void
help_topic(struct req *r)
{
	size_t	 i;

	for (i = 0; i < HELP_PAGES; i++)
		if (strcmp(r->arg, help_pages[i].slug) == 0) {
			help_render(r, &help_pages[i]);
			return;
		}
	resp_error_page(r, 404, "Page not found", "There is no help page at "
	    "this address. Start from the list of help topics at /help.");
}

static const struct route routes[] = {
	{ METHOD_GET, "/", ROLE_PUBLIC, home },
	{ METHOD_GET, "/check", ROLE_PUBLIC, check },
	{ METHOD_GET, "/help", ROLE_PUBLIC, help_index },
	{ METHOD_GET, "/help/*", ROLE_PUBLIC, help_topic },
};

ROUTE_TABLE(routes_public, routes);
