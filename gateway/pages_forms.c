/*
 * The forms filers download (DOMAIN.md sections 7 and 8):
 *
 *   GET /forms/aluminum.pdf         the fillable PDF license form, blank;
 *   GET /forms/steel.pdf            ?prefill=1 fills in the signed-in
 *                                   filer's details
 *   GET /forms/template.xlsx        the multiple-license template
 *   GET /licenses/NUMBER/pdf        "Duplicate as PDF": the license's
 *                                   values in its product's form
 *
 * The files are made by forms/ on each request (a few milliseconds);
 * nothing here knows their layout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/registry.h"
#include "forms/license.h"
#include "forms/pdfform.h"
#include "forms/sheet.h"
#include "lib/log.h"
#include "filing.h"
#include "pages_forms.h"
#include "route.h"

void
resp_attachment(struct req *r, const char *type, const char *filename,
    const void *data, size_t len)
{
	char	 cd[128];

	/* The name goes into a header unquoted-safe: refuse anything
	 * else rather than escape it. */
	if (strspn(filename, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") != strlen(filename))
		filename = "download";
	snprintf(cd, sizeof(cd), "attachment; filename=\"%s\"", filename);
	r->status = 200;
	resp_header(r, "Content-Type", type);
	resp_header(r, "Content-Disposition", cd);
	buf_reset(&r->out);
	/* A failed append marks the buffer: http_send answers 500. */
	buf_add(&r->out, data, len);
}

static void
not_made(struct req *r, const char *what, const char *err)
{
	log_msg(LOG_LVL_ERR, "%s: %s: %s", r->path, what, err);
	resp_error_page(r, 503, "Not available", "The form could not be made "
	    "just now. Try again in a moment.");
}

/* The filer block from the signed-in account. */
static void
fill_filer(const struct req *r, struct pdfform_fill *fill)
{
	fill->filer[PFF_COMPANY_NAME] = r->account.v[AF_COMPANY_NAME];
	fill->filer[PFF_ADDRESS] = r->account.v[AF_ADDRESS];
	fill->filer[PFF_CONTACT_NAME] = r->account.v[AF_CONTACT_NAME];
	fill->filer[PFF_PHONE] = r->account.v[AF_PHONE];
	fill->filer[PFF_EMAIL] = r->account.v[AF_EMAIL];
}

static void
send_pdf(struct req *r, enum product p, const struct pdfform_fill *fill,
    const char *filename)
{
	unsigned char	*pdf = NULL;
	size_t		 len;
	char		 err[256];

	if (pdfform_make(p, r->gw->cfg->mail_domain, fill, &pdf, &len, err,
	    sizeof(err)) == -1) {
		not_made(r, "pdfform_make", err);
		return;
	}
	resp_attachment(r, MIME_PDF, filename, pdf, len);
	free(pdf);
}

/* A blank form, or with ?prefill=1 the filer's details. */
static void
blank_pdf(struct req *r, enum product p)
{
	struct pdfform_fill	 fill;
	const char		*pre = kv_get(&r->query, "prefill");
	char			 next[96], name[64];

	memset(&fill, 0, sizeof(fill));
	if (pre != NULL && strcmp(pre, "1") == 0) {
		if (!r->signed_in) {
			/* Back here after signing in. */
			snprintf(next, sizeof(next), "/signin?next=/forms/"
			    "%s.pdf%%3Fprefill%%3D1", product_names[p]);
			resp_redirect(r, next);
			return;
		}
		fill_filer(r, &fill);
	}
	snprintf(name, sizeof(name), "%s-license-application.pdf",
	    product_names[p]);
	send_pdf(r, p, &fill, name);
}

static void
aluminum_pdf(struct req *r)
{
	blank_pdf(r, PRODUCT_ALUMINUM);
}

static void
steel_pdf(struct req *r)
{
	blank_pdf(r, PRODUCT_STEEL);
}

static void
template_xlsx(struct req *r)
{
	char	*x = NULL, err[256];
	size_t	 len;

	if (sheet_template(&x, &len, err, sizeof(err)) == -1) {
		not_made(r, "sheet_template", err);
		return;
	}
	resp_attachment(r, MIME_XLSX, "multiple-licenses-template.xlsx", x,
	    len);
	free(x);
}

/* GET /licenses/NUMBER/pdf: a new application from the license, on
 * paper, as Duplicate makes one on the web. */
static void
license_pdf(struct req *r)
{
	struct pdfform_fill	 fill;
	struct reg_view		 v;
	struct actor		 a;
	struct form		*f = NULL;
	const struct license	*lic;
	char			 name[64], msg[320];
	enum reg_err		 e;

	memset(&fill, 0, sizeof(fill));
	filing_actor(r, "web", "", &a);
	if ((e = reg_show(r->db, &a, r->arg, &v)) != REG_OK) {
		if (e == REG_NOT_FOUND)
			filing_not_found(r);
		else
			resp_error_page(r, 503, "Not available", "The license "
			    "could not be read just now. Try again in a "
			    "moment.");
		return;
	}
	if (v.nversions == 0) {
		resp_error_page(r, 404, "License not found", "This license has "
		    "no version to copy.");
		goto out;
	}
	lic = v.versions[v.nversions - 1].lic;
	if ((f = license_to_form(lic)) == NULL) {
		not_made(r, "license_to_form", "out of memory");
		goto out;
	}
	if (f->nlines > PDFFORM_LINES) {
		snprintf(msg, sizeof(msg), "License %s has %zu product lines "
		    "and the PDF form holds %d. Use Duplicate to file a new "
		    "license from it on this site, or split it over several "
		    "forms.", v.number, f->nlines, PDFFORM_LINES);
		resp_error_page(r, 422, "Too many lines for the PDF form",
		    msg);
		goto out;
	}
	fill_filer(r, &fill);
	fill.form = f;
	snprintf(name, sizeof(name), "%s-application-from-%s.pdf",
	    product_names[v.product], v.number);
	send_pdf(r, v.product, &fill, name);
out:
	form_free(f);
	reg_view_free(&v);
}

static const struct route routes[] = {
	{ METHOD_GET, "/forms/aluminum.pdf", ROLE_PUBLIC, aluminum_pdf },
	{ METHOD_GET, "/forms/steel.pdf", ROLE_PUBLIC, steel_pdf },
	{ METHOD_GET, "/forms/template.xlsx", ROLE_PUBLIC, template_xlsx },
	{ METHOD_GET, "/licenses/*/pdf", ROLE_FILER, license_pdf },
};

ROUTE_TABLE(routes_forms, routes);
