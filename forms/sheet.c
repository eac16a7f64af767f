/*
 * The multiple-license sheet: its columns, the rows as the readers
 * feed them, and the Excel template.  Row 1 of the template holds the
 * exact column names so that a filled template reads back as it was
 * written; labels and help go in cell notes and on "Instructions".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "lib/limits.h"
#include "batch.h"
#include "country.h"
#include "hts.h"
#include "license.h"
#include "sheet.h"

_Static_assert(SHEET_COLS <= 32, "struct sheet_row badcol needs a bit per "
    "column");
_Static_assert(SHEET_COLS <= LIM_SHEET_COLS, "the template's columns must "
    "fit LIM_SHEET_COLS");

const char *
sheet_col_name(int col)
{
	if (col == SHEET_COL_REF)
		return "license_ref";
	if (col >= SHEET_COL_HF(0) && col < SHEET_COL_LF(0))
		return hfields[col - SHEET_COL_HF(0)].name;
	if (col >= SHEET_COL_LF(0) && col < SHEET_COLS)
		return lfields[col - SHEET_COL_LF(0)].name;
	return NULL;
}

int
sheet_col_find(const char *name)
{
	int	 c;

	for (c = 0; c < SHEET_COLS; c++)
		if (strcmp(sheet_col_name(c), name) == 0)
			return c;
	return -1;
}

int
sheet_col_is_date(int col)
{
	return col >= SHEET_COL_HF(0) && col < SHEET_COL_LF(0) &&
	    hfields[col - SHEET_COL_HF(0)].type == FT_DATE;
}

void
sheet_col_letters(size_t col, char out[8])
{
	char	 tmp[8];
	size_t	 n = 0, i;

	/* Bijective base 26: A..Z, AA..ZZ, AAA... */
	col++;
	while (col > 0 && n < sizeof(tmp) - 1) {
		tmp[n++] = 'A' + (col - 1) % 26;
		col = (col - 1) / 26;
	}
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

/* Whether len bytes at v are only white space. */
static int
blank(const char *v, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (v[i] != ' ' && v[i] != '\t' && v[i] != '\r' &&
		    v[i] != '\n')
			return 0;
	return 1;
}

void
sheet_init(struct sheet *sh, struct batch_report *rep)
{
	size_t	 i;

	memset(sh, 0, sizeof(*sh));
	for (i = 0; i < LIM_SHEET_COLS; i++)
		sh->map[i] = -1;
	sh->rep = rep;
}

static void
row_clear(struct sheet_row *r)
{
	int	 c;

	for (c = 0; c < SHEET_COLS; c++)
		free(r->v[c]);
	memset(r, 0, sizeof(*r));
}

void
sheet_free(struct sheet *sh)
{
	size_t	 i;

	for (i = 0; i < sh->nrows; i++)
		row_clear(&sh->rows[i]);
	free(sh->rows);
	row_clear(&sh->cur);
	sh->rows = NULL;
	sh->nrows = sh->cap = 0;
	sh->cur_used = 0;
}

int
sheet_col_of(const struct sheet *sh, size_t col)
{
	if (col >= LIM_SHEET_COLS || sh->map[col] < 0)
		return -1;
	return sh->map[col];
}

/* Keeps the row being read, if it has any value. */
static int
flush(struct sheet *sh, char *err, size_t errsz)
{
	struct sheet_row	*p;
	size_t			 cap;

	if (!sh->cur_used)
		return 0;
	if (sh->nrows >= LIM_SHEET_ROWS) {
		why_set(err, errsz, "the sheet has more than %d rows of "
		    "product lines (row %zu is past the limit): split it "
		    "into several files", LIM_SHEET_ROWS, sh->cur.row);
		return -1;
	}
	if (sh->nrows == sh->cap) {
		cap = sh->cap ? sh->cap * 2 : 64;
		if (cap > LIM_SHEET_ROWS)
			cap = LIM_SHEET_ROWS;
		if ((p = reallocarray(sh->rows, cap, sizeof(*p))) == NULL) {
			why_set(err, errsz, "out of memory");
			return -1;
		}
		sh->rows = p;
		sh->cap = cap;
	}
	sh->rows[sh->nrows++] = sh->cur;
	memset(&sh->cur, 0, sizeof(sh->cur));
	sh->cur_used = 0;
	return 0;
}

/* Row 1: a column name. */
static int
put_name(struct sheet *sh, size_t col, const char *v, size_t len,
    char *err, size_t errsz)
{
	char	 name[64], letters[8];
	size_t	 b = 0, e = len;
	int	 c;

	sheet_col_letters(col, letters);
	if (col >= LIM_SHEET_COLS) {
		why_set(err, errsz, "row 1 has a column name in column %s; "
		    "the template has %d columns: start from the template",
		    letters, SHEET_COLS);
		return -1;
	}
	while (b < e && (v[b] == ' ' || v[b] == '\t'))
		b++;
	while (e > b && (v[e - 1] == ' ' || v[e - 1] == '\t' ||
	    v[e - 1] == '\r' || v[e - 1] == '\n'))
		e--;
	c = -1;
	if (e - b < sizeof(name)) {
		memcpy(name, v + b, e - b);
		name[e - b] = '\0';
		c = sheet_col_find(name);
	}
	/* -2: named, but not ours; its values are not read. */
	sh->map[col] = -2;
	if (c < 0) {
		batch_error(sh->rep, 1, letters, "Column %s is named "
		    "\"%.*s\", which is not a column of the template: keep "
		    "row 1 exactly as the template has it.", letters,
		    (int)(e - b > 40 ? 40 : e - b), v + b);
		sh->names_bad = 1;
	} else if (sh->named[c]) {
		batch_error(sh->rep, 1, sheet_col_name(c), "Column %s repeats "
		    "the column %s: each column may appear once.", letters,
		    sheet_col_name(c));
		sh->names_bad = 1;
	} else {
		sh->map[col] = c;
		sh->named[c] = 1;
	}
	return 0;
}

/* Row 1 must name license_ref: without it no row has a license. */
static int
names_check(struct sheet *sh, char *err, size_t errsz)
{
	int	 c, any = 0;

	for (c = 0; c < SHEET_COLS; c++)
		any |= sh->named[c];
	if (!any) {
		why_set(err, errsz, "row 1 must hold the column names of the "
		    "template (license_ref, product, ...): start from the "
		    "template");
		return -1;
	}
	if (!sh->named[SHEET_COL_REF]) {
		why_set(err, errsz, "row 1 has no license_ref column, which "
		    "groups the rows into licenses: start from the template");
		return -1;
	}
	return 0;
}

int
sheet_put(struct sheet *sh, size_t row, size_t col, const char *v,
    size_t len, char *err, size_t errsz)
{
	char	 letters[8];
	char	*p;
	int	 c;

	if (row == 0 || (sh->cur.row > 0 && row < sh->cur.row)) {
		why_set(err, errsz, "row %zu comes after row %zu: the sheet "
		    "is damaged", row, sh->cur.row);
		return -1;
	}
	if (blank(v, len))
		return 0;
	if (row == 1)
		return put_name(sh, col, v, len, err, errsz);
	if (!sh->names_done) {
		sh->names_done = 1;
		if (names_check(sh, err, errsz) == -1)
			return -1;
	}
	if (row != sh->cur.row) {
		if (flush(sh, err, errsz) == -1)
			return -1;
		sh->cur.row = row;
	}
	sheet_col_letters(col, letters);
	c = col < LIM_SHEET_COLS ? sh->map[col] : -1;
	if (c == -2)
		return 0;	/* row 1 already says the column is wrong */
	sh->cur_used = 1;
	if (c < 0) {
		batch_error(sh->rep, row, letters, "Column %s has a value "
		    "but no column name in row 1: remove the value or move "
		    "it to its column.", letters);
		sh->cur.bad = 1;
		return 0;
	}
	if (len > LIM_FIELD_BYTES) {
		batch_error(sh->rep, row, sheet_col_name(c), "The value is "
		    "longer than %d bytes: shorten it to at most %d "
		    "characters.", LIM_FIELD_BYTES, LIM_FIELD_CHARS);
		sh->cur.bad = 1;
		sh->cur.badcol |= (uint32_t)1 << c;
		return 0;
	}
	if ((p = malloc(len + 1)) == NULL) {
		why_set(err, errsz, "out of memory");
		return -1;
	}
	memcpy(p, v, len);
	p[len] = '\0';
	free(sh->cur.v[c]);
	sh->cur.v[c] = p;
	return 0;
}

int
sheet_finish(struct sheet *sh, char *err, size_t errsz)
{
	if (flush(sh, err, errsz) == -1)
		return -1;
	return names_check(sh, err, errsz);
}

/*
 * The template.
 */


/* Rows of the template's lists: data validation reaches this far. */
#define TPL_LAST_ROW	LIM_SHEET_ROWS

struct tpl {
	lxw_workbook	*wb;
	lxw_worksheet	*lic;		/* "Licenses" */
	lxw_worksheet	*ins;		/* "Instructions" */
	lxw_worksheet	*lst;		/* "Lists", hidden */
	lxw_format	*f_name_ref, *f_name_hdr, *f_name_line;
	lxw_format	*f_date, *f_text, *f_money, *f_kg;
	lxw_format	*f_title, *f_bold, *f_wrap, *f_code;
	lxw_error	 e;		/* the first error */
	/* Rows of the aluminum HTS list on "Instructions". */
	size_t		 hts_first;
	size_t		 hts_last;
	size_t		 ncountries;
};

static void
keep(struct tpl *t, lxw_error e)
{
	if (t->e == LXW_NO_ERROR)
		t->e = e;
}

static int
namecmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
tpl_formats(struct tpl *t)
{
	t->f_name_ref = workbook_add_format(t->wb);
	format_set_bold(t->f_name_ref);
	format_set_bg_color(t->f_name_ref, 0xD9D9D9);
	format_set_border(t->f_name_ref, LXW_BORDER_THIN);
	t->f_name_hdr = workbook_add_format(t->wb);
	format_set_bold(t->f_name_hdr);
	format_set_bg_color(t->f_name_hdr, 0xDDEBF7);
	format_set_border(t->f_name_hdr, LXW_BORDER_THIN);
	t->f_name_line = workbook_add_format(t->wb);
	format_set_bold(t->f_name_line);
	format_set_bg_color(t->f_name_line, 0xE2EFDA);
	format_set_border(t->f_name_line, LXW_BORDER_THIN);
	t->f_date = workbook_add_format(t->wb);
	format_set_num_format(t->f_date, "yyyy-mm-dd");
	t->f_text = workbook_add_format(t->wb);
	format_set_num_format(t->f_text, "@");
	t->f_money = workbook_add_format(t->wb);
	format_set_num_format(t->f_money, "0.00");
	t->f_kg = workbook_add_format(t->wb);
	format_set_num_format(t->f_kg, "0.###");
	t->f_title = workbook_add_format(t->wb);
	format_set_bold(t->f_title);
	format_set_font_size(t->f_title, 14);
	t->f_bold = workbook_add_format(t->wb);
	format_set_bold(t->f_bold);
	t->f_wrap = workbook_add_format(t->wb);
	format_set_text_wrap(t->f_wrap);
	format_set_align(t->f_wrap, LXW_ALIGN_VERTICAL_TOP);
	t->f_code = workbook_add_format(t->wb);
	format_set_num_format(t->f_code, "@");
	format_set_align(t->f_code, LXW_ALIGN_VERTICAL_TOP);
}

/* The hidden list sheet: countries for header and line columns. */
static int
tpl_lists(struct tpl *t, char *err, size_t errsz)
{
	const char	**names;
	size_t		  i, n;

	n = country_count();
	if (n == 0) {
		why_set(err, errsz, "the country table is not loaded");
		return -1;
	}
	if ((names = calloc(n, sizeof(*names))) == NULL) {
		why_set(err, errsz, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++)
		names[i] = country_name(i);
	qsort(names, n, sizeof(*names), namecmp);
	keep(t, worksheet_write_string(t->lst, 0, 0, "country", t->f_bold));
	keep(t, worksheet_write_string(t->lst, 0, 1, "line_country",
	    t->f_bold));
	keep(t, worksheet_write_string(t->lst, 1, 1, "not applicable",
	    NULL));
	keep(t, worksheet_write_string(t->lst, 2, 1, "unknown", NULL));
	for (i = 0; i < n; i++) {
		keep(t, worksheet_write_string(t->lst, 1 + i, 0, names[i],
		    NULL));
		keep(t, worksheet_write_string(t->lst, 3 + i, 1, names[i],
		    NULL));
	}
	keep(t, worksheet_set_column(t->lst, 0, 1, 40, NULL));
	worksheet_hide(t->lst);
	t->ncountries = n;
	free(names);
	return 0;
}

/* The steel product group of a 4-digit heading, or NULL. */
static const char *
steel_heading_group(int heading)
{
	char		 code[16], norm[11];
	const char	*group;
	enum product	 p;
	int		 sub;

	for (sub = 10; sub <= 99; sub++) {
		snprintf(code, sizeof(code), "%04d%02d0000", heading, sub);
		if (hts_lookup(code, norm, &p, &group) == HTS_OK &&
		    p == PRODUCT_STEEL)
			return group;
	}
	return NULL;
}

static const char *const steps[] = {
	"Fill in one row per product line, starting in row 2 of the "
	"Licenses sheet. Rows with the same license_ref form one license: "
	"use any reference of yours (a purchase order, an invoice), at "
	"most 200 characters.",
	"Repeat the license's header columns (product to "
	"customs_entry_number) with the same values on every row of the "
	"license. A row whose header values differ is rejected, with its "
	"row and column.",
	"A low value license has no product lines: give it one row with "
	"the line columns (hts_code to country_of_melt_and_pour) empty.",
	"Dates: Excel dates, or text as YYYY-MM-DD or MM/DD/YYYY. Money "
	"in U.S. dollars with at most 2 decimals; weights in kilograms.",
	"Countries written in full (Germany, not DE or DEU): the "
	"drop-down lists hold the names. Smelt and cast countries may be "
	"unknown or not applicable where the rules allow.",
	"HTS codes: 10 digits. Aluminum codes are listed below and in the "
	"drop-down; steel codes are any code in the subheading ranges "
	"below.",
	"Keep row 1 exactly as it is: the column names are how the system "
	"reads the sheet. Do not add, rename or move columns. Notes on "
	"the column names explain each one.",
	"At most 20,000 rows (product lines) per file and 999 lines per "
	"license. Save as .xlsx (files with macros are not accepted) or "
	"as CSV UTF-8 with the same columns.",
	"Every row is checked. Nothing is filed unless every license in "
	"the file is valid, or you choose to accept the valid licenses "
	"only; the result lists each rejected row with its column and "
	"the reason.",
	"One confirmation email is sent for the whole file. The license "
	"numbers are on the site and in the result sheet. A filled sheet "
	"is not a license: only a license number issued by the system "
	"is.",
};

/* "Instructions": steps, columns, HTS codes. */
static void
tpl_instructions(struct tpl *t)
{
	const char	*code, *group, *desc, *lo, *hi, *prev, *g;
	char		 buf[64], num[8];
	size_t		 r = 0, i, n;
	int		 c, h, start;

	keep(t, worksheet_set_column(t->ins, 0, 0, 16, NULL));
	keep(t, worksheet_set_column(t->ins, 1, 1, 34, NULL));
	keep(t, worksheet_set_column(t->ins, 2, 2, 100, NULL));
	keep(t, worksheet_write_string(t->ins, r++, 0, "Applying for "
	    "multiple import licenses (aluminum AIM, steel SIMA) in one "
	    "sheet", t->f_title));
	r++;
	keep(t, worksheet_write_string(t->ins, r++, 0, "How to fill in the "
	    "Licenses sheet", t->f_bold));
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++, r++) {
		snprintf(num, sizeof(num), "%zu.", i + 1);
		keep(t, worksheet_write_string(t->ins, r, 0, num, t->f_wrap));
		keep(t, worksheet_merge_range(t->ins, r, 1, r, 2, steps[i],
		    t->f_wrap));
		keep(t, worksheet_set_row(t->ins, r, 32, NULL));
	}
	r++;
	keep(t, worksheet_write_string(t->ins, r++, 0, "Columns", t->f_bold));
	keep(t, worksheet_write_string(t->ins, r, 0, "Column", t->f_bold));
	keep(t, worksheet_write_string(t->ins, r, 1, "Meaning", t->f_bold));
	keep(t, worksheet_write_string(t->ins, r++, 2, "What to write",
	    t->f_bold));
	for (c = 0; c < SHEET_COLS; c++, r++) {
		keep(t, worksheet_write_string(t->ins, r, 0, sheet_col_name(c),
		    t->f_wrap));
		if (c == SHEET_COL_REF) {
			keep(t, worksheet_write_string(t->ins, r, 1,
			    "License reference", t->f_wrap));
			keep(t, worksheet_write_string(t->ins, r, 2, "Your "
			    "reference grouping the rows of one license; it "
			    "is not the license number.", t->f_wrap));
		} else if (c < SHEET_COL_LF(0)) {
			keep(t, worksheet_write_string(t->ins, r, 1,
			    hfields[c - SHEET_COL_HF(0)].label, t->f_wrap));
			keep(t, worksheet_write_string(t->ins, r, 2,
			    hfields[c - SHEET_COL_HF(0)].help, t->f_wrap));
		} else {
			keep(t, worksheet_write_string(t->ins, r, 1,
			    lfields[c - SHEET_COL_LF(0)].label, t->f_wrap));
			keep(t, worksheet_write_string(t->ins, r, 2,
			    lfields[c - SHEET_COL_LF(0)].help, t->f_wrap));
		}
	}
	r++;
	keep(t, worksheet_write_string(t->ins, r++, 0, "Aluminum HTS codes",
	    t->f_bold));
	keep(t, worksheet_write_string(t->ins, r, 0, "HTS code", t->f_bold));
	keep(t, worksheet_write_string(t->ins, r, 1, "Product group",
	    t->f_bold));
	keep(t, worksheet_write_string(t->ins, r++, 2, "Description",
	    t->f_bold));
	n = hts_aluminum_count();
	t->hts_first = r;
	for (i = 0; i < n; i++, r++) {
		hts_aluminum_row(i, &code, &group, &desc);
		keep(t, worksheet_write_string(t->ins, r, 0, code, t->f_code));
		keep(t, worksheet_write_string(t->ins, r, 1, group, t->f_wrap));
		keep(t, worksheet_write_string(t->ins, r, 2, desc, t->f_wrap));
	}
	t->hts_last = r - 1;
	r++;
	keep(t, worksheet_write_string(t->ins, r++, 0, "Steel HTS codes: any "
	    "10-digit code in these 6-digit subheading ranges", t->f_bold));
	keep(t, worksheet_write_string(t->ins, r, 0, "From", t->f_bold));
	keep(t, worksheet_write_string(t->ins, r++, 1, "To (inclusive)",
	    t->f_bold));
	n = hts_steel_range_count();
	for (i = 0; i < n; i++, r++) {
		hts_steel_range(i, &lo, &hi);
		snprintf(buf, sizeof(buf), "%.4s.%.2s", lo, lo + 4);
		keep(t, worksheet_write_string(t->ins, r, 0, buf, t->f_code));
		snprintf(buf, sizeof(buf), "%.4s.%.2s", hi, hi + 4);
		keep(t, worksheet_write_string(t->ins, r, 1, buf, t->f_code));
	}
	r++;
	keep(t, worksheet_write_string(t->ins, r++, 0, "Steel product groups "
	    "by heading", t->f_bold));
	keep(t, worksheet_write_string(t->ins, r, 0, "Headings", t->f_bold));
	keep(t, worksheet_write_string(t->ins, r++, 1, "Product group",
	    t->f_bold));
	/* Runs of headings with one group, from the lookup itself. */
	prev = NULL;
	start = 0;
	for (h = 7206; h <= 7307; h++) {
		g = h < 7307 ? steel_heading_group(h) : NULL;
		if (g == prev && g != NULL)
			continue;
		if (prev != NULL) {
			if (start == h - 1)
				snprintf(buf, sizeof(buf), "%d", start);
			else
				snprintf(buf, sizeof(buf), "%d-%d", start,
				    h - 1);
			keep(t, worksheet_write_string(t->ins, r, 0, buf,
			    t->f_code));
			keep(t, worksheet_write_string(t->ins, r++, 1, prev,
			    t->f_wrap));
		}
		prev = g;
		start = h;
	}
}

static void
validate_list(struct tpl *t, int col, const char **list,
    const char *formula, uint8_t error_type, const char *title,
    const char *msg)
{
	lxw_data_validation	 dv;

	memset(&dv, 0, sizeof(dv));
	dv.validate = list != NULL ? LXW_VALIDATION_TYPE_LIST :
	    LXW_VALIDATION_TYPE_LIST_FORMULA;
	dv.value_list = (char **)list;
	dv.value_formula = (char *)formula;
	dv.error_type = error_type;
	dv.input_title = (char *)title;
	dv.input_message = (char *)msg;
	dv.error_title = (char *)title;
	dv.error_message = (char *)msg;
	keep(t, worksheet_data_validation_range(t->lic, 1, col, TPL_LAST_ROW,
	    col, &dv));
}

static void
validate_other(struct tpl *t, int col, uint8_t type, const char *title,
    const char *msg)
{
	lxw_data_validation	 dv;

	memset(&dv, 0, sizeof(dv));
	dv.validate = type;
	dv.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
	dv.input_title = (char *)title;
	dv.input_message = (char *)msg;
	dv.error_title = (char *)title;
	dv.error_message = (char *)msg;
	if (type == LXW_VALIDATION_TYPE_DATE) {
		dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
		dv.minimum_datetime.year = 2000;
		dv.minimum_datetime.month = 1;
		dv.minimum_datetime.day = 1;
		dv.maximum_datetime.year = 2099;
		dv.maximum_datetime.month = 12;
		dv.maximum_datetime.day = 31;
	} else {
		dv.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN;
		dv.value_number = 0;
	}
	keep(t, worksheet_data_validation_range(t->lic, 1, col, TPL_LAST_ROW,
	    col, &dv));
}

/* "Licenses": names, notes, widths, formats, drop-downs. */
static void
tpl_licenses(struct tpl *t)
{
	const char		*products[PRODUCT__MAX + 1] = { NULL };
	const char		*ltypes[LTYPE__MAX + 1] = { NULL };
	const char		*entries[ENTRY__MAX + 1] = { NULL };
	lxw_comment_options	 co;
	lxw_format		*name_fmt, *col_fmt;
	const struct field_def	*fd;
	char			 note[1024], formula[64];
	double			 width;
	int			 c, i;

	for (i = 0; i < PRODUCT__MAX; i++)
		products[i] = product_names[i];
	for (i = 0; i < LTYPE__MAX; i++)
		ltypes[i] = ltype_names[i];
	for (i = 0; i < ENTRY__MAX; i++)
		entries[i] = entry_names[i];
	memset(&co, 0, sizeof(co));
	co.width = 320;
	co.height = 120;
	co.author = "AIM";
	for (c = 0; c < SHEET_COLS; c++) {
		fd = NULL;
		if (c >= SHEET_COL_LF(0))
			fd = &lfields[c - SHEET_COL_LF(0)];
		else if (c >= SHEET_COL_HF(0))
			fd = &hfields[c - SHEET_COL_HF(0)];
		name_fmt = c == SHEET_COL_REF ? t->f_name_ref :
		    c < SHEET_COL_LF(0) ? t->f_name_hdr : t->f_name_line;
		keep(t, worksheet_write_string(t->lic, 0, c, sheet_col_name(c),
		    name_fmt));
		if (fd == NULL)
			snprintf(note, sizeof(note), "License reference\n"
			    "Rows with the same license_ref form one license; "
			    "repeat the header columns on each of its rows.");
		else
			snprintf(note, sizeof(note), "%s%s\n%s", fd->label,
			    c < SHEET_COL_LF(0) ? " (header: same on every "
			    "row of a license)" : " (product line)", fd->help);
		keep(t, worksheet_write_comment_opt(t->lic, 0, c, note, &co));
		col_fmt = NULL;
		width = 22;
		if (fd == NULL || strcmp(fd->name, "customs_entry_number") ==
		    0) {
			col_fmt = t->f_text;
			width = 18;
		} else if (fd->type == FT_DATE) {
			col_fmt = t->f_date;
			width = 20;
		} else if (fd->type == FT_HTS) {
			col_fmt = t->f_text;
			width = 14;
		} else if (fd->type == FT_MONEY) {
			col_fmt = t->f_money;
			width = 18;
		} else if (fd->type == FT_KG) {
			col_fmt = t->f_kg;
			width = 14;
		} else if (fd->type == FT_CHOICE)
			width = 14;
		else if (fd->type == FT_COUNTRY)
			width = 30;
		keep(t, worksheet_set_column(t->lic, c, c, width, col_fmt));
	}
	worksheet_freeze_panes(t->lic, 1, 1);

	validate_list(t, SHEET_COL_HF(HF_PRODUCT), products, NULL,
	    LXW_VALIDATION_ERROR_TYPE_STOP, "Product",
	    "aluminum or steel; never both on one license.");
	validate_list(t, SHEET_COL_HF(HF_LICENSE_TYPE), ltypes, NULL,
	    LXW_VALIDATION_ERROR_TYPE_STOP, "License type",
	    "standard, or low_value (entries of at most $5,000; no "
	    "product lines).");
	validate_list(t, SHEET_COL_HF(HF_ENTRY_TYPE), entries, NULL,
	    LXW_VALIDATION_ERROR_TYPE_STOP, "Entry type",
	    "consumption, or ftz for admission into a foreign-trade zone.");
	snprintf(formula, sizeof(formula), "=Lists!$A$2:$A$%zu",
	    t->ncountries + 1);
	for (i = HF_COUNTRY_OF_ORIGIN; i <= HF_COUNTRY_OF_EXPORTATION; i++)
		validate_list(t, SHEET_COL_HF(i), NULL, formula,
		    LXW_VALIDATION_ERROR_TYPE_WARNING, "Country",
		    "The country written in full; pick it from the list.");
	snprintf(formula, sizeof(formula), "=Lists!$B$2:$B$%zu",
	    t->ncountries + 3);
	for (i = LF_COUNTRY_OF_LARGEST_SMELT; i < LF__MAX; i++)
		validate_list(t, SHEET_COL_LF(i), NULL, formula,
		    LXW_VALIDATION_ERROR_TYPE_WARNING, "Country",
		    "The country written in full, or unknown or not "
		    "applicable where the rules allow.");
	/* Information only: steel codes are ranges, not a list. */
	snprintf(formula, sizeof(formula), "=Instructions!$A$%zu:$A$%zu",
	    t->hts_first + 1, t->hts_last + 1);
	validate_list(t, SHEET_COL_LF(LF_HTS_CODE), NULL, formula,
	    LXW_VALIDATION_ERROR_TYPE_INFORMATION, "HTS code",
	    "Pick an aluminum code, or type a 10-digit steel code from the "
	    "ranges on the Instructions sheet.");
	validate_other(t, SHEET_COL_HF(HF_EXPECTED_EXPORT_DATE),
	    LXW_VALIDATION_TYPE_DATE, "Date", "A date, e.g. 2026-02-10.");
	validate_other(t, SHEET_COL_HF(HF_EXPECTED_IMPORT_DATE),
	    LXW_VALIDATION_TYPE_DATE, "Date", "A date, e.g. 2026-02-10; "
	    "at most 60 days ahead.");
	validate_other(t, SHEET_COL_LF(LF_CUSTOMS_VALUE_USD),
	    LXW_VALIDATION_TYPE_DECIMAL, "Customs value",
	    "U.S. dollars, more than zero, at most 2 decimals.");
	validate_other(t, SHEET_COL_LF(LF_VOLUME_KG),
	    LXW_VALIDATION_TYPE_DECIMAL, "Quantity",
	    "Net weight in kilograms, more than zero.");
}

/* Reads a whole file of at most max bytes. */
static int
slurp(const char *path, size_t max, char **out, size_t *len, char *err,
    size_t errsz)
{
	FILE	*f;
	char	*buf = NULL;
	size_t	 n;
	int	 rc = -1;

	if ((f = fopen(path, "rb")) == NULL) {
		why_set(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((buf = malloc(max + 1)) == NULL) {
		why_set(err, errsz, "out of memory");
		goto out;
	}
	n = fread(buf, 1, max + 1, f);
	if (ferror(f) || n > max) {
		why_set(err, errsz, "%s: cannot read back the template", path);
		goto out;
	}
	*out = buf;
	*len = n;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	fclose(f);
	return rc;
}

int
sheet_template(char **out, size_t *len, char *err, size_t errsz)
{
	lxw_workbook_options	 opt;
	struct tpl		 t;
	const char		*tmp;
	char			 dir[256], path[300];
	int			 rc = -1, made = 0;

	*out = NULL;
	*len = 0;
	memset(&t, 0, sizeof(t));
	/* libxlsxwriter 1.1.4 writes only to files: a private directory
	 * for the workbook and libxlsxwriter's own temporary files. */
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	if ((size_t)snprintf(dir, sizeof(dir), "%s/aim-xlsx-XXXXXX", tmp) >=
	    sizeof(dir) || mkdtemp(dir) == NULL) {
		why_set(err, errsz, "cannot make a temporary directory in %s",
		    tmp);
		return -1;
	}
	made = 1;
	snprintf(path, sizeof(path), "%s/template.xlsx", dir);
	memset(&opt, 0, sizeof(opt));
	opt.tmpdir = dir;
	if ((t.wb = workbook_new_opt(path, &opt)) == NULL) {
		why_set(err, errsz, "cannot start the workbook");
		goto out;
	}
	t.lic = workbook_add_worksheet(t.wb, "Licenses");
	t.ins = workbook_add_worksheet(t.wb, "Instructions");
	t.lst = workbook_add_worksheet(t.wb, "Lists");
	if (t.lic == NULL || t.ins == NULL || t.lst == NULL) {
		why_set(err, errsz, "cannot add the worksheets");
		goto out;
	}
	tpl_formats(&t);
	if (tpl_lists(&t, err, errsz) == -1)
		goto out;
	tpl_instructions(&t);
	tpl_licenses(&t);
	worksheet_activate(t.lic);
	if (t.e != LXW_NO_ERROR) {
		why_set(err, errsz, "writing the template: %s",
		    lxw_strerror(t.e));
		goto out;
	}
	t.e = workbook_close(t.wb);
	t.wb = NULL;
	if (t.e != LXW_NO_ERROR) {
		why_set(err, errsz, "writing the template: %s",
		    lxw_strerror(t.e));
		goto out;
	}
	rc = slurp(path, LIM_XLSX_BYTES, out, len, err, errsz);
out:
	if (t.wb != NULL)
		workbook_close(t.wb);	/* frees it; the file is removed */
	if (made) {
		unlink(path);
		rmdir(dir);
	}
	return rc;
}
