/*
 * Applying for many licenses with one spreadsheet (DOMAIN.md section 7):
 *
 *   GET  /apply/multiple            how the template works; the upload
 *   POST /apply/multiple            file every license of a sheet, or
 *                                   none; the report row by row
 *   POST /apply/multiple/download   a sheet the result page carries
 *
 * The result page offers two spreadsheets: the results (license_ref ->
 * number and status) when licenses were filed, and the filer's own rows
 * with every problem marked when rows were refused.  A browser cannot
 * post a file again and the site keeps no files, so each sheet is made
 * while the upload is answered and travels in the page: a form with the
 * workbook (base64) and an HMAC under the server secret bound to the
 * account, which POST /apply/multiple/download checks and sends back
 * as an attachment.  Nothing is stored but the licenses.
 *
 * Every rule is the core's: forms/batch.c reads and groups the rows,
 * db/batch.c checks and files them in one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <xlsxwriter.h>

#include "db/batch.h"
#include "forms/batch.h"
#include "forms/csvread.h"
#include "forms/rules.h"
#include "forms/sheet.h"
#include "forms/xlsxread.h"
#include "lib/limits.h"
#include "lib/log.h"
#include "filing.h"
#include "layout.h"
#include "multipart.h"
#include "pages_forms.h"
#include "route.h"

/*
 * Largest workbook a result page carries.  Its base64 is a third
 * larger and the page holds the tables too, all within
 * LIM_RESPONSE_BYTES; posted back it must fit LIM_UPLOAD_BYTES.  A
 * full annotated sheet of LIM_SHEET_ROWS rows is about 2 MB.
 */
#define CARRY_MAX	(4 * 1024 * 1024)

_Static_assert(CARRY_MAX / 3 * 4 + 4096 < LIM_UPLOAD_BYTES / 2,
    "a carried sheet must fit the upload body once urlencoded");

/* The sheets a result page can carry. */
enum carry {
	CARRY_RESULTS,		/* license_ref -> number, status */
	CARRY_ANNOTATED,	/* the filer's rows, problems marked */
	CARRY__MAX
};

static const char *const carry_names[CARRY__MAX] = {
	"results", "annotated",
};
static const char *const carry_files[CARRY__MAX] = {
	"licenses-filed.xlsx", "licenses-with-errors.xlsx",
};

/* One upload, read and filed. */
struct outcome {
	struct sheet		 sh;
	struct batch		 b;
	struct reg_result	*res;		/* b.n of them */
	struct form		**forms;
	const char		*filename;	/* for people, never a path */
	int			 fcol[SHEET_COLS]; /* file column, or -1 */
	int			 certified;
	int			 accept;
	enum reg_err		 e;
	size_t			 stored;
	size_t			 action;	/* of them Action Required */
	size_t			 refused;	/* licenses with errors */
	double			 seconds;
};

static const char *
plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/*
 * The page.
 */

static void
bullet(struct html *h, const char *strong, const char *text)
{
	h_open(h, "li", NULL);
	if (strong != NULL) {
		h_elem(h, "strong", strong, NULL);
		h_text(h, " ");
	}
	h_text(h, text);
	h_close(h);
}

/* How the template works. */
static void
explain(struct req *r)
{
	struct html	*h = &r->h;
	char		 limits[200];

	h_elem(h, "h2", "1. Fill in the template", NULL);
	h_open(h, "p", NULL);
	h_elem(h, "a", "Download the template (.xlsx)", "href",
	    "/forms/template.xlsx", "class", "usa-button usa-button--outline",
	    "download", "", NULL);
	h_close(h);
	h_open(h, "ul", "class", "usa-list", NULL);
	bullet(h, "One row per product line.", "Row 1 holds the column "
	    "names: keep it exactly as the template has it.");
	bullet(h, "license_ref groups rows into licenses.", "Rows with the "
	    "same license_ref (your own reference, such as an invoice "
	    "number) make one license, and each license gets its own "
	    "number.");
	bullet(h, "Header columns repeat.", "The columns from product to "
	    "customs_entry_number describe the whole license: repeat them "
	    "on every row of a license, with the same values.");
	bullet(h, "Aluminum and steel never share a license.", "Use one "
	    "license_ref per product; a low value license has one row "
	    "without product line columns.");
	bullet(h, NULL, "The Instructions sheet explains each column and "
	    "lists the HTS codes. You may also upload the sheet saved as "
	    "CSV (UTF-8) with the same columns.");
	h_close(h);
	snprintf(limits, sizeof(limits), "Up to %d,%03d rows and %d MB in "
	    "one file. Larger batches go in several files.",
	    LIM_SHEET_ROWS / 1000, LIM_SHEET_ROWS % 1000,
	    LIM_XLSX_BYTES / (1024 * 1024));
	h_elem(h, "p", limits, "class", "usa-hint", NULL);
}

/* The upload form; rep holds its own problems (file, certify). */
static void
upload_form(struct req *r, const struct report *rep, int accept)
{
	struct html	*h = &r->h;
	const char	*ferr = ui_error_for(rep, "file");
	int		 d = h->depth;

	h_elem(h, "h2", "2. Upload the filled sheet", NULL);
	h_open(h, "form", "method", "post", "action", "/apply/multiple",
	    "enctype", "multipart/form-data", "id", "aim-batch-form", "class",
	    "usa-form usa-form--large", "novalidate", "", NULL);
	h_void(h, "input", "type", "hidden", "name", "csrf", "value", r->csrf,
	    NULL);
	h_open(h, "div", "class", ferr != NULL ? "usa-form-group "
	    "usa-form-group--error" : "usa-form-group", NULL);
	h_elem(h, "label", "Spreadsheet (.xlsx or .csv)", "class", ferr !=
	    NULL ? "usa-label usa-label--error" : "usa-label", "for",
	    "f-file", NULL);
	h_elem(h, "span", "The template filled in, or the same columns as "
	    "CSV.", "class", "usa-hint", "id", "f-file-hint", NULL);
	if (ferr != NULL)
		h_elem(h, "span", ferr, "class", "usa-error-message", "id",
		    "f-file-error", "role", "alert", NULL);
	h_void(h, "input", "class", ferr != NULL ? "usa-file-input "
	    "usa-input--error" : "usa-file-input", "id", "f-file", "name",
	    "file", "type", "file", "accept", ".xlsx,.csv,"
	    "application/vnd.openxmlformats-officedocument.spreadsheetml."
	    "sheet,text/csv", "aria-describedby", ferr != NULL ?
	    "f-file-hint f-file-error" : "f-file-hint", "required", "", NULL);
	h_close(h);

	h_open(h, "div", "class", "usa-form-group", NULL);
	h_open(h, "div", "class", "usa-checkbox", NULL);
	h_void(h, "input", "class", "usa-checkbox__input usa-checkbox__input--"
	    "tile", "id", "f-accept_valid", "type", "checkbox", "name",
	    "accept_valid", "value", "yes", "checked", accept ? "" : NULL,
	    NULL);
	h_open(h, "label", "class", "usa-checkbox__label", "for",
	    "f-accept_valid", NULL);
	h_text(h, "Accept the valid licenses only");
	h_elem(h, "span", "File the licenses that are valid even if others "
	    "in the file have errors. Without this, nothing is filed unless "
	    "every license in the file is valid.", "class",
	    "usa-checkbox__label-description", NULL);
	h_close(h);
	h_close(h);
	h_close(h);

	ui_checkbox(r, "certify", "I certify that the information in this "
	    "file is true and correct to the best of my knowledge, and that "
	    "I am authorized to file these applications.", 0,
	    ui_error_for(rep, "certify"));
	h_elem(h, "button", "Upload and apply", "type", "submit", "class",
	    "usa-button", "id", "aim-batch-submit", NULL);
	/* Shown by /static/batch.js while the file goes up and is
	 * checked; without script the browser's own indicator does. */
	h_open(h, "div", "id", "aim-batch-progress", "class", "usa-alert "
	    "usa-alert--info usa-alert--slim margin-top-3 display-none",
	    "role", "status",
	    "aria-live", "polite", "hidden", "", NULL);
	h_open(h, "div", "class", "usa-alert__body", NULL);
	h_elem(h, "p", "Uploading and checking the licenses...", "class",
	    "usa-alert__text", "id", "aim-batch-progress-text", NULL);
	h_open(h, "progress", "class", "width-full", "aria-label",
	    "Progress", NULL);
	h_close_to(h, d);
	h_open(h, "script", "src", "/static/batch.js", "defer", "", NULL);
	h_close(h);
}

static void
batch_page(struct req *r, const struct report *rep, int accept)
{
	struct html	*h = &r->h;

	page_begin(r, "Apply for multiple licenses");
	h_elem(h, "h1", "Apply for multiple licenses", NULL);
	h_elem(h, "p", "Upload one spreadsheet to apply for many licenses at "
	    "once. Every row is checked: either every license is filed, or "
	    "none is and you get a list of what to fix.", "class",
	    "usa-intro", NULL);
	ui_error_summary(r, rep);
	explain(r);
	upload_form(r, rep, accept);
	page_end(r);
}

static void
batch_get(struct req *r)
{
	batch_page(r, NULL, 0);
}

/*
 * Carrying a sheet in the page.
 */

/* HMAC-SHA256 of the carried sheet, for this account, as hex ("" when
 * it cannot be made, which no MAC matches). */
static void
carry_mac(const struct req *r, enum carry kind, const char *data,
    size_t len, char out[65])
{
	unsigned char	 mac[EVP_MAX_MD_SIZE];
	unsigned int	 n = 0, i;
	char		*msg;
	int		 k;

	out[0] = '\0';
	if ((msg = malloc(len + 96)) == NULL)
		return;
	k = snprintf(msg, 96, "aim-batch-download\n%lld\n%s\n",
	    (long long)r->account.id, carry_names[kind]);
	memcpy(msg + k, data, len);
	if (HMAC(EVP_sha256(), r->gw->cfg->secret, CONFIG_SECRET_LEN,
	    (unsigned char *)msg, k + len, mac, &n) != NULL && n == 32)
		for (i = 0; i < n; i++)
			snprintf(out + i * 2, 3, "%02x", mac[i]);
	free(msg);
}

/* A form that posts the sheet back as a download. */
static void
carry_form(struct req *r, enum carry kind, const char *xlsx, size_t len,
    const char *label)
{
	struct html	*h = &r->h;
	char		*b64;
	char		 mac[65];

	if (xlsx == NULL)
		return;
	if (len > CARRY_MAX) {
		h_elem(h, "p", "The spreadsheet would be too large to offer "
		    "here: use the list on this page.", "class", "usa-hint",
		    NULL);
		return;
	}
	if ((b64 = malloc(len / 3 * 4 + 8)) == NULL)
		return;
	EVP_EncodeBlock((unsigned char *)b64, (const unsigned char *)xlsx,
	    (int)len);
	carry_mac(r, kind, b64, strlen(b64), mac);
	h_open(h, "form", "method", "post", "action",
	    "/apply/multiple/download", "class", "aim-carry", NULL);
	h_void(h, "input", "type", "hidden", "name", "csrf", "value", r->csrf,
	    NULL);
	h_void(h, "input", "type", "hidden", "name", "kind", "value",
	    carry_names[kind], NULL);
	h_void(h, "input", "type", "hidden", "name", "mac", "value", mac,
	    NULL);
	h_void(h, "input", "type", "hidden", "name", "data", "value", b64,
	    NULL);
	h_elem(h, "button", label, "type", "submit", "class",
	    "usa-button usa-button--outline", NULL);
	h_close(h);
	free(b64);
}

/* POST /apply/multiple/download */
static void
download_post(struct req *r)
{
	const char	*kind = kv_get(&r->form, "kind");
	const char	*data = kv_get(&r->form, "data");
	const char	*mac = kv_get(&r->form, "mac");
	unsigned char	*bin = NULL;
	char		 want[65];
	size_t		 len, pad = 0;
	int		 k, n;

	for (k = 0; k < CARRY__MAX; k++)
		if (kind != NULL && strcmp(kind, carry_names[k]) == 0)
			break;
	if (k == CARRY__MAX || data == NULL || mac == NULL ||
	    (len = strlen(data)) == 0 || len % 4 != 0 ||
	    len > CARRY_MAX / 3 * 4 + 8)
		goto bad;
	carry_mac(r, k, data, len, want);
	if (strlen(mac) != 64 || want[0] == '\0' ||
	    CRYPTO_memcmp(mac, want, 64) != 0)
		goto bad;
	if ((bin = malloc(len / 4 * 3 + 1)) == NULL) {
		resp_error_page(r, 503, "Not available", "Try again in a "
		    "moment.");
		return;
	}
	if ((n = EVP_DecodeBlock(bin, (const unsigned char *)data,
	    (int)len)) < 0)
		goto bad;
	/* EVP_DecodeBlock counts the padding as zero bytes. */
	pad = data[len - 1] == '=' ? (data[len - 2] == '=' ? 2 : 1) : 0;
	resp_attachment(r, MIME_XLSX, carry_files[k], bin, (size_t)n - pad);
	free(bin);
	return;
bad:
	free(bin);
	resp_error_page(r, 400, "Download not available", "This download "
	    "is not valid for your account. Upload the file again to get "
	    "its spreadsheet.");
}

/*
 * The spreadsheets, written with libxlsxwriter into a private
 * temporary folder (version 1.1.4 writes only to files) and read back.
 */

struct xbook {
	lxw_workbook	*wb;
	lxw_format	*f_name;
	lxw_format	*f_bad;
	lxw_error	 e;		/* the first error */
	char		 dir[256];
	char		 path[300];
	int		 made;
};

static void
keep(struct xbook *x, lxw_error e)
{
	if (x->e == LXW_NO_ERROR)
		x->e = e;
}

static int
xbook_open(struct xbook *x)
{
	lxw_workbook_options	 opt;
	const char		*tmp;

	memset(x, 0, sizeof(*x));
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	if ((size_t)snprintf(x->dir, sizeof(x->dir), "%s/aim-batch-XXXXXX",
	    tmp) >= sizeof(x->dir) || mkdtemp(x->dir) == NULL)
		return -1;
	x->made = 1;
	snprintf(x->path, sizeof(x->path), "%s/out.xlsx", x->dir);
	memset(&opt, 0, sizeof(opt));
	/* Rows are written in order: a row at a time in memory. */
	opt.constant_memory = LXW_TRUE;
	opt.tmpdir = x->dir;
	if ((x->wb = workbook_new_opt(x->path, &opt)) == NULL)
		return -1;
	x->f_name = workbook_add_format(x->wb);
	format_set_bold(x->f_name);
	format_set_bg_color(x->f_name, 0xDFE1E2);
	x->f_bad = workbook_add_format(x->wb);
	format_set_bg_color(x->f_bad, 0xF8DFE2);
	format_set_font_color(x->f_bad, 0x8B0A03);
	format_set_border(x->f_bad, LXW_BORDER_THIN);
	format_set_border_color(x->f_bad, 0xB50909);
	return 0;
}

/* Closes the workbook and reads it back into *out (malloc'd). */
static int
xbook_close(struct xbook *x, char **out, size_t *len)
{
	struct stat	 st;
	FILE		*f = NULL;
	char		*buf = NULL;
	int		 rc = -1;
	lxw_error	 e;

	*out = NULL;
	*len = 0;
	if (x->wb != NULL) {
		e = workbook_close(x->wb);
		x->wb = NULL;
		keep(x, e);
	}
	if (x->e != LXW_NO_ERROR) {
		log_msg(LOG_LVL_ERR, "batch sheet: %s", lxw_strerror(x->e));
		goto out;
	}
	if ((f = fopen(x->path, "rb")) == NULL || fstat(fileno(f), &st) ==
	    -1 || st.st_size <= 0 || st.st_size > LIM_RESPONSE_BYTES ||
	    (buf = malloc(st.st_size)) == NULL ||
	    fread(buf, 1, st.st_size, f) != (size_t)st.st_size)
		goto out;
	*out = buf;
	*len = st.st_size;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	if (f != NULL)
		fclose(f);
	if (x->made) {
		unlink(x->path);
		rmdir(x->dir);
	}
	return rc;
}

static void
xbook_abort(struct xbook *x)
{
	char	*p;
	size_t	 n;

	x->e = LXW_ERROR_MEMORY_MALLOC_FAILED;	/* nothing to read back */
	xbook_close(x, &p, &n);
}

static const char *
status_of(const struct outcome *o, size_t i)
{
	if (o->res[i].number[0] != '\0')
		return status_names[o->res[i].status];
	if (o->b.lic[i].rejected || o->res[i].report.nerrors > 0)
		return "rejected";
	return "not_filed";
}

/* license_ref -> license_number, status, validity. */
static int
results_xlsx(const struct outcome *o, char **out, size_t *len)
{
	static const char *const cols[] = {
		"license_ref", "license_number", "status", "valid_from",
		"valid_through",
	};
	struct xbook		 x;
	lxw_worksheet		*ws;
	const struct reg_result	*res;
	size_t			 i, c;

	if (xbook_open(&x) == -1) {
		xbook_abort(&x);
		return -1;
	}
	if ((ws = workbook_add_worksheet(x.wb, "Licenses")) == NULL) {
		xbook_abort(&x);
		return -1;
	}
	worksheet_set_column(ws, 0, 0, 20, NULL);
	worksheet_set_column(ws, 1, 4, 16, NULL);
	worksheet_freeze_panes(ws, 1, 0);
	for (c = 0; c < sizeof(cols) / sizeof(cols[0]); c++)
		keep(&x, worksheet_write_string(ws, 0, c, cols[c], x.f_name));
	for (i = 0; i < o->b.n && i < LIM_SHEET_ROWS; i++) {
		res = &o->res[i];
		keep(&x, worksheet_write_string(ws, i + 1, 0, o->b.lic[i].ref,
		    NULL));
		if (res->number[0] != '\0') {
			keep(&x, worksheet_write_string(ws, i + 1, 1,
			    res->number, NULL));
			keep(&x, worksheet_write_string(ws, i + 1, 3,
			    res->valid_from, NULL));
			/* An FTZ license never expires: no date. */
			if (res->valid_through[0] != '\0')
				keep(&x, worksheet_write_string(ws, i + 1, 4,
				    res->valid_through, NULL));
		}
		keep(&x, worksheet_write_string(ws, i + 1, 2, status_of(o, i),
		    NULL));
	}
	return xbook_close(&x, out, len);
}

/* "hts_code (column N)" or "column N" or the field as named. */
static void
column_text(const struct outcome *o, const char *field, char *out,
    size_t sz)
{
	char	 letters[8];
	int	 c = sheet_col_find(field);

	if (c >= 0 && o->fcol[c] >= 0) {
		sheet_col_letters(o->fcol[c], letters);
		snprintf(out, sz, "%s (column %s)", field, letters);
	} else if (c >= 0 || field[0] == '\0' || strspn(field,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != strlen(field))
		snprintf(out, sz, "%s", field[0] ? field : "-");
	else
		snprintf(out, sz, "column %s", field);
}

/* The messages of row errors [a, b) about sheet column c, joined. */
static char *
cell_note(const struct batch_report *rep, size_t a, size_t b, int c)
{
	struct buf	 nb;
	const char	*name = sheet_col_name(c);
	char		*s = NULL;
	size_t		 i;

	buf_init(&nb, 32 * 1024);	/* Excel keeps 32,767 characters */
	for (i = a; i < b; i++)
		if (strcmp(rep->errors[i].field, name) == 0)
			buf_printf(&nb, "%s%s", nb.len ? "\n" : "",
			    rep->errors[i].message);
	if (nb.len > 0 && !nb.overflow)
		s = strdup(buf_str(&nb));
	buf_free(&nb);
	return s;
}

/*
 * The filer's rows at their own rows and columns, each cell with a
 * problem marked and its message in a note; every problem listed on an
 * "Errors" sheet.  The first sheet has no extra column, so once fixed
 * it uploads as it is.
 */
static int
annotated_xlsx(const struct outcome *o, char **out, size_t *len)
{
	const struct batch_report	*rep = &o->b.report;
	const struct sheet_row		*row;
	struct xbook			 x;
	lxw_worksheet			*ws, *es;
	const char			*v;
	char				*note, col[96];
	size_t				 i, k = 0, kb, c, ncols = 0;
	int				 sc, bad;

	if (xbook_open(&x) == -1) {
		xbook_abort(&x);
		return -1;
	}
	ws = workbook_add_worksheet(x.wb, "Licenses");
	es = workbook_add_worksheet(x.wb, "Errors");
	if (ws == NULL || es == NULL) {
		xbook_abort(&x);
		return -1;
	}
	for (c = 0; c < LIM_SHEET_COLS; c++)
		if (o->sh.map[c] != -1)
			ncols = c + 1;
	worksheet_set_column(ws, 0, ncols > 0 ? ncols - 1 : 0, 18, NULL);
	worksheet_freeze_panes(ws, 1, 0);
	for (c = 0; c < ncols; c++)
		if ((sc = o->sh.map[c]) >= 0)
			keep(&x, worksheet_write_string(ws, 0, c,
			    sheet_col_name(sc), x.f_name));
	for (i = 0; i < o->sh.nrows; i++) {
		row = &o->sh.rows[i];
		while (k < rep->nerrors && rep->errors[k].row < row->row)
			k++;
		for (kb = k; kb < rep->nerrors && rep->errors[kb].row ==
		    row->row; kb++)
			;
		for (c = 0; c < ncols; c++) {
			if ((sc = o->sh.map[c]) < 0)
				continue;
			v = row->v[sc];
			note = cell_note(rep, k, kb, sc);
			bad = note != NULL || (row->badcol & (uint32_t)1 << sc);
			if (v != NULL)
				keep(&x, worksheet_write_string(ws,
				    row->row - 1, c, v, bad ? x.f_bad : NULL));
			else if (bad)
				keep(&x, worksheet_write_blank(ws, row->row - 1,
				    c, x.f_bad));
			if (note != NULL)
				keep(&x, worksheet_write_comment(ws,
				    row->row - 1, c, note));
			free(note);
		}
		k = kb;
	}

	worksheet_set_column(es, 0, 0, 8, NULL);
	worksheet_set_column(es, 1, 1, 34, NULL);
	worksheet_set_column(es, 2, 2, 100, NULL);
	worksheet_freeze_panes(es, 1, 0);
	keep(&x, worksheet_write_string(es, 0, 0, "row", x.f_name));
	keep(&x, worksheet_write_string(es, 0, 1, "column", x.f_name));
	keep(&x, worksheet_write_string(es, 0, 2, "problem", x.f_name));
	for (i = 0; i < rep->nerrors; i++) {
		if (rep->errors[i].row > 0)
			keep(&x, worksheet_write_number(es, i + 1, 0,
			    (double)rep->errors[i].row, NULL));
		column_text(o, rep->errors[i].field, col, sizeof(col));
		keep(&x, worksheet_write_string(es, i + 1, 1, col, NULL));
		keep(&x, worksheet_write_string(es, i + 1, 2,
		    rep->errors[i].message, NULL));
	}
	if (rep->truncated)
		keep(&x, worksheet_write_string(es, i + 1, 2, "More rows have "
		    "problems than shown: fix these first.", NULL));
	worksheet_activate(es);
	return xbook_close(&x, out, len);
}

/*
 * Reading and filing.
 */

static void
outcome_init(struct outcome *o)
{
	memset(o, 0, sizeof(*o));
	batch_init(&o->b);
	sheet_init(&o->sh, &o->b.report);
}

static void
outcome_free(struct outcome *o)
{
	size_t	 i;

	for (i = 0; o->res != NULL && i < o->b.n; i++)
		reg_result_free(&o->res[i]);
	free(o->res);
	free(o->forms);
	sheet_free(&o->sh);
	batch_free(&o->b);
}

/* The file's own name without folders, for the page. */
static const char *
display_name(const struct upload *u)
{
	const char	*s = u->filename, *p;

	if (s == NULL)
		return "the file";
	for (p = s; *p != '\0'; p++)
		if (*p == '/' || *p == '\\')
			s = p + 1;
	return *s != '\0' ? s : "the file";
}

/*
 * Reads the rows (as batch_read does, keeping the sheet for the
 * annotated copy) and groups them.  Returns 0, or -1 with err.
 */
static int
outcome_read(struct outcome *o, const struct upload *u, char *err,
    size_t errsz)
{
	size_t	 c;
	int	 sc;

	if (batch_sniff(u->data, u->len) == BATCH_CSV) {
		if (csvread(u->data, u->len, &o->sh, err, errsz) == -1)
			return -1;
	} else if (xlsxread(u->data, u->len, &o->sh, err, errsz) == -1)
		return -1;	/* it says what the file is instead */
	if (sheet_finish(&o->sh, err, errsz) == -1 ||
	    batch_group(&o->sh, &o->b, err, errsz) == -1)
		return -1;
	for (sc = 0; sc < SHEET_COLS; sc++)
		o->fcol[sc] = -1;
	for (c = 0; c < LIM_SHEET_COLS; c++)
		if ((sc = sheet_col_of(&o->sh, c)) >= 0)
			o->fcol[sc] = (int)c;
	return 0;
}

/* Checks every license, and files them unless told not to. */
static int
outcome_file(struct req *r, struct outcome *o)
{
	struct actor	 a;
	size_t		 i;

	/* b.n may be 0 when no row has a license_ref. */
	if ((o->res = calloc(o->b.n + 1, sizeof(*o->res))) == NULL ||
	    (o->forms = calloc(o->b.n + 1, sizeof(*o->forms))) == NULL)
		return -1;
	for (i = 0; i < o->b.n; i++) {
		reg_result_init(&o->res[i]);
		/* Rows with errors of their own never reach the core. */
		o->forms[i] = o->b.lic[i].rejected ? NULL : o->b.lic[i].form;
	}
	if (o->certified) {
		filing_actor(r, "sheet", "", &a);
		o->e = reg_submit_batch(r->db, &a, o->forms, o->b.n, o->accept,
		    req_today(r), o->res);
	} else {
		/* Not certified: every problem at once, nothing filed. */
		for (i = 0; i < o->b.n; i++)
			if (o->forms[i] != NULL)
				rules_check(o->forms[i], req_today(r),
				    &o->res[i].report, NULL);
		o->e = REG_INVALID;
	}
	for (i = 0; i < o->b.n; i++) {
		batch_report_form(&o->b, i, &o->res[i].report);
		if (o->res[i].number[0] != '\0') {
			o->stored++;
			if (o->res[i].status == STATUS_ACTION_REQUIRED)
				o->action++;
		} else if (o->b.lic[i].rejected ||
		    o->res[i].report.nerrors > 0)
			o->refused++;
	}
	batch_report_sort(&o->b.report);
	return 0;
}

/*
 * The result page.
 */

static const char *
status_label(const char *s)
{
	if (strcmp(s, "issued") == 0)
		return "Issued";
	if (strcmp(s, "action_required") == 0)
		return "Action Required";
	if (strcmp(s, "canceled") == 0)
		return "Canceled";
	if (strcmp(s, "rejected") == 0)
		return "Not filed: has errors";
	return "Not filed";
}

/* Each license of the file: its reference, number and status. */
static void
licenses_table(struct req *r, const struct outcome *o)
{
	struct html	*h = &r->h;
	const char	*st;
	char		 href[64];
	size_t		 i;

	h_open(h, "div", "class", "usa-table-container--scrollable",
	    "tabindex", "0", NULL);
	h_open(h, "table", "class", "usa-table usa-table--striped "
	    "usa-table--compact", "id", "aim-batch-licenses", NULL);
	h_elem(h, "caption", "Licenses in the file, in the order of the "
	    "sheet", NULL);
	ui_thead(h, "license_ref", "License number", "Status", NULL);
	for (i = 0; i < o->b.n; i++) {
		st = status_of(o, i);
		h_open(h, "tr", NULL);
		h_elem(h, "td", o->b.lic[i].ref, NULL);
		h_open(h, "td", NULL);
		if (o->res[i].number[0] != '\0') {
			snprintf(href, sizeof(href), "/licenses/%s",
			    o->res[i].number);
			h_elem(h, "a", o->res[i].number, "href", href, "class",
			    "usa-link aim-licnum", NULL);
		} else
			h_text(h, "-");
		h_close(h);
		h_elem(h, "td", status_label(st), "class", strcmp(st,
		    "rejected") == 0 ? "text-secondary-dark" : NULL, NULL);
		h_close(h);
	}
	h_close(h);
	h_close(h);
	h_close(h);
}

/* Each problem at its row and column. */
static void
errors_table(struct req *r, const struct outcome *o)
{
	struct html			*h = &r->h;
	const struct batch_error	*be;
	char				 col[96], rowtxt[24];
	size_t				 i;

	/* Not scrollable: its messages wrap. */
	h_open(h, "table", "class", "usa-table usa-table--striped "
	    "usa-table--compact", "id", "aim-batch-errors", NULL);
	h_elem(h, "caption", "Rows with problems (row 1 holds the column "
	    "names)", NULL);
	ui_thead(h, "Row", "Column", "Problem", NULL);
	for (i = 0; i < o->b.report.nerrors; i++) {
		be = &o->b.report.errors[i];
		if (be->row > 0)
			snprintf(rowtxt, sizeof(rowtxt), "%zu", be->row);
		else
			snprintf(rowtxt, sizeof(rowtxt), "%s", "file");
		column_text(o, be->field, col, sizeof(col));
		h_open(h, "tr", NULL);
		h_elem(h, "th", rowtxt, "scope", "row", NULL);
		h_elem(h, "td", col, NULL);
		h_elem(h, "td", be->message, NULL);
		h_close(h);
	}
	h_close(h);
	h_close(h);
	if (o->b.report.truncated)
		h_elem(h, "p", "More rows have problems than shown: fix these "
		    "first, then upload the file again.", "class",
		    "usa-hint", NULL);
}

/* The annotated sheet's offer, under the table of problems. */
static void
annotated_offer(struct req *r, const struct outcome *o)
{
	char	*x = NULL;
	size_t	 len = 0;

	if (annotated_xlsx(o, &x, &len) == -1)
		return;
	h_elem(&r->h, "p", "The spreadsheet has your rows as you sent them, "
	    "each problem marked in red with its message in a note, and "
	    "the list above on a second sheet. Fix the marked cells and "
	    "upload it again.", NULL);
	carry_form(r, CARRY_ANNOTATED, x, len,
	    "Download your rows with the errors marked (.xlsx)");
	free(x);
}

static void
filed_page(struct req *r, const struct outcome *o)
{
	struct html	*h = &r->h;
	char		 title[96], text[400];
	char		*x = NULL;
	size_t		 len = 0;

	snprintf(title, sizeof(title), "%zu %s issued", o->stored,
	    plural(o->stored, "license", "licenses"));
	page_begin(r, title);
	h_elem(h, "h1", title, NULL);
	snprintf(text, sizeof(text), "The %zu %s from %s %s filed. A "
	    "confirmation email is on its way; it gives the count, not the "
	    "numbers: they are below, in the results spreadsheet and in My "
	    "licenses.", o->stored, plural(o->stored, "license", "licenses"),
	    o->filename, plural(o->stored, "was", "were"));
	ui_alert(r, "success", "Licenses filed", text);
	if (o->action > 0) {
		snprintf(text, sizeof(text), "%zu of them %s marked Action "
		    "Required: open %s to confirm or correct.", o->action,
		    plural(o->action, "is", "are"), plural(o->action, "it",
		    "each"));
		ui_alert(r, "warning", "Action Required", text);
	}
	if (o->refused > 0) {
		snprintf(text, sizeof(text), "%zu %s not filed because %s "
		    "rows have errors: see the list below.", o->refused,
		    plural(o->refused, "license was", "licenses were"),
		    plural(o->refused, "its", "their"));
		ui_alert(r, "warning", "Some licenses were not filed", text);
	}
	if (results_xlsx(o, &x, &len) == 0)
		carry_form(r, CARRY_RESULTS, x, len,
		    "Download the results (.xlsx)");
	free(x);
	licenses_table(r, o);
	if (o->b.report.nerrors > 0) {
		h_elem(h, "h2", "Rows not filed", NULL);
		errors_table(r, o);
		annotated_offer(r, o);
	}
	h_open(h, "ul", "class", "usa-button-group margin-top-4", NULL);
	h_open(h, "li", "class", "usa-button-group__item", NULL);
	h_elem(h, "a", "Go to My licenses", "href", "/licenses", "class",
	    "usa-button", NULL);
	h_close(h);
	h_open(h, "li", "class", "usa-button-group__item", NULL);
	h_elem(h, "a", "Upload another file", "href", "/apply/multiple",
	    "class", "usa-button usa-button--outline", NULL);
	h_close(h);
	h_close(h);
	page_end(r);
}

static void
refused_page(struct req *r, const struct outcome *o)
{
	struct html	*h = &r->h;
	struct report	 rep;
	char		 text[400];
	size_t		 bad_rows = 0, last = 0, i;

	report_init(&rep);
	r->status = 422;
	for (i = 0; i < o->b.report.nerrors; i++)
		if (o->b.report.errors[i].row != last) {
			last = o->b.report.errors[i].row;
			bad_rows++;
		}
	if (!o->certified)
		report_error(&rep, 0, "certify", "Tick the box to certify that "
		    "the information is true and correct, then choose the "
		    "file and upload it again.");
	page_begin(r, "No licenses were filed");
	h_elem(h, "h1", "No licenses were filed", NULL);
	ui_error_summary(r, &rep);
	if (o->b.report.nerrors > 0) {
		snprintf(text, sizeof(text), "%s has %zu %s with problems, in "
		    "%zu of its %zu %s. %s", o->filename, bad_rows,
		    plural(bad_rows, "row", "rows"), o->refused, o->b.n,
		    plural(o->b.n, "license", "licenses"), !o->certified ?
		    "Nothing was filed." : o->accept ? "None of its licenses "
		    "is valid, so nothing was filed." : "Nothing was filed: "
		    "fix the rows below and upload the file again, or tick "
		    "\"Accept the valid licenses only\" to file the others.");
		ui_alert(r, "error", "Rows with problems", text);
		errors_table(r, o);
		annotated_offer(r, o);
	} else {
		snprintf(text, sizeof(text), "All %zu %s in %s %s valid.",
		    o->b.n, plural(o->b.n, "license", "licenses"),
		    o->filename, plural(o->b.n, "is", "are"));
		ui_alert(r, "info", NULL, text);
	}
	upload_form(r, &rep, o->accept);
	page_end(r);
	report_free(&rep);
}

/* POST /apply/multiple */
static void
batch_post(struct req *r)
{
	const struct upload	*u = upload_get(&r->files, "file");
	const char		*cert = kv_get(&r->form, "certify");
	const char		*acc = kv_get(&r->form, "accept_valid");
	struct outcome		 o;
	struct report		 rep;
	struct timespec		 t0, t1;
	char			 err[512];

	outcome_init(&o);
	report_init(&rep);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	o.certified = cert != NULL && *cert != '\0';
	o.accept = acc != NULL && *acc != '\0';
	if (u == NULL || u->len == 0) {
		report_error(&rep, 0, "file", "Choose the spreadsheet to upload: "
		    "an .xlsx or .csv file.");
		r->status = 422;
		batch_page(r, &rep, o.accept);
		goto out;
	}
	o.filename = display_name(u);
	if (u->len > LIM_XLSX_BYTES) {
		report_error(&rep, 0, "file", "%s is larger than %d MB: split "
		    "it into several files.", o.filename,
		    LIM_XLSX_BYTES / (1024 * 1024));
		r->status = 413;
		batch_page(r, &rep, o.accept);
		goto out;
	}
	if (outcome_read(&o, u, err, sizeof(err)) == -1) {
		report_error(&rep, 0, "file", "%s could not be read: %s.",
		    o.filename, err);
		r->status = 422;
		batch_page(r, &rep, o.accept);
		goto out;
	}
	if (outcome_file(r, &o) == -1) {
		o.e = REG_NOMEM;
		goto failed;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	o.seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	log_msg(LOG_LVL_INFO, "batch: account %lld: %zu rows, %zu licenses, "
	    "%zu filed, %zu errors, %.3f s", (long long)r->account.id,
	    o.b.rows, o.b.n, o.stored, o.b.report.nerrors, o.seconds);
	switch (o.e) {
	case REG_OK:
		filed_page(r, &o);
		goto out;
	case REG_INVALID:
		refused_page(r, &o);
		goto out;
	default:
		break;
	}
failed:
	if (o.e == REG_ACCOUNT)
		resp_error_page(r, 403, "Account cannot file", "Your account "
		    "cannot file licenses at the moment. Contact the "
		    "licensing office.");
	else {
		log_msg(LOG_LVL_ERR, "batch: %s", reg_strerror(o.e));
		resp_error_page(r, 503, "Not filed", "The licenses could not "
		    "be filed just now, and nothing was stored. Upload the "
		    "file again in a moment.");
	}
out:
	report_free(&rep);
	outcome_free(&o);
}

static const struct route routes[] = {
	{ METHOD_GET, "/apply/multiple", ROLE_FILER, batch_get },
	{ METHOD_POST, "/apply/multiple", ROLE_FILER, batch_post },
	{ METHOD_POST, "/apply/multiple/download", ROLE_FILER, download_post },
};

ROUTE_TABLE(routes_batch, routes);
