/*
 * The Excel template and the .xlsx reader: the template reads back with
 * every column; a sheet filled with libxlsxwriter (shared strings,
 * inline strings, numbers, real dates, formulas) reads back value by
 * value; hostile files (zip bombs, a million empty rows, macros, a PNG,
 * too many entries or strings) are refused in bounded time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>
#include <zip.h>

#include "lib/date.h"
#include "lib/limits.h"
#include "forms/batch.h"
#include "forms/hts.h"
#include "forms/rules.h"
#include "forms/sheet.h"
#include "forms/xlsxread.h"
#include "tests.h"

static char	 dir[64];
static char	 err[512];

static void
setup(void)
{
	tests_init_tables();
	snprintf(dir, sizeof(dir), "/tmp/aim-xlsx-test-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	err[0] = '\0';
}

static void
teardown(void)
{
	char	 cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf;
	long	 n;

	ck_assert_ptr_nonnull(f = fopen(path, "rb"));
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	ck_assert_ptr_nonnull(buf = malloc(n + 1));
	ck_assert_uint_eq(fread(buf, 1, n, f), (size_t)n);
	fclose(f);
	*len = n;
	return buf;
}

/* A zip of parts built with libzip (deflate level 1: fast). */
struct part {
	const char	*name;
	const char	*data;
	size_t		 len;
};

static char *
zip_of(const struct part *p, size_t n, size_t *len)
{
	zip_t		*za;
	zip_source_t	*s;
	zip_int64_t	 idx;
	char		 path[128];
	int		 ze;
	size_t		 i;

	snprintf(path, sizeof(path), "%s/t.zip", dir);
	unlink(path);
	ck_assert_ptr_nonnull(za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE,
	    &ze));
	for (i = 0; i < n; i++) {
		ck_assert_ptr_nonnull(s = zip_source_buffer(za, p[i].data,
		    p[i].len, 0));
		ck_assert_int_ge(idx = zip_file_add(za, p[i].name, s, 0), 0);
		ck_assert_int_eq(zip_set_file_compression(za, idx,
		    ZIP_CM_DEFLATE, 1), 0);
	}
	ck_assert_int_eq(zip_close(za), 0);
	return slurp(path, len);
}

#define CT_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"" \
	"http://schemas.openxmlformats.org/package/2006/content-types\">" \
	"<Default Extension=\"rels\" ContentType=\"application/vnd." \
	"openxmlformats-package.relationships+xml\"/><Default Extension=" \
	"\"xml\" ContentType=\"application/xml\"/>"
#define CT_WB CT_HEAD "<Override PartName=\"/xl/workbook.xml\" " \
	"ContentType=\"application/vnd.openxmlformats-officedocument." \
	"spreadsheetml.sheet.main+xml\"/></Types>"
#define CT_XLSM CT_HEAD "<Override PartName=\"/xl/workbook.xml\" " \
	"ContentType=\"application/vnd.ms-excel.sheet.macroEnabled." \
	"main+xml\"/></Types>"
#define RELS "<Relationships xmlns=\"http://schemas.openxmlformats.org/" \
	"package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"" \
	"http://schemas.openxmlformats.org/officeDocument/2006/" \
	"relationships/officeDocument\" Target=\"xl/workbook.xml\"/>" \
	"</Relationships>"
#define WB "<workbook xmlns=\"http://schemas.openxmlformats.org/" \
	"spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats." \
	"org/officeDocument/2006/relationships\">%s<sheets><sheet name=\"" \
	"Licenses\" sheetId=\"1\" r:id=\"rId7\"/><sheet name=\"Other\" " \
	"sheetId=\"2\" r:id=\"rId1\"/></sheets></workbook>"
#define WBRELS "<Relationships xmlns=\"http://schemas.openxmlformats.org/" \
	"package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"" \
	"http://schemas.openxmlformats.org/officeDocument/2006/" \
	"relationships/worksheet\" Target=\"worksheets/other.xml\"/>" \
	"<Relationship Id=\"rId7\" Type=\"http://schemas.openxmlformats." \
	"org/officeDocument/2006/relationships/worksheet\" Target=\"" \
	"/xl/worksheets/../worksheets/first.xml\"/><Relationship Id=\"rId9\" " \
	"Type=\"http://schemas.openxmlformats.org/officeDocument/2006/" \
	"relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>" \
	"</Relationships>"
#define SHEET_HEAD "<worksheet xmlns=\"http://schemas.openxmlformats.org/" \
	"spreadsheetml/2006/main\"><sheetData>"
#define SHEET_TAIL "</sheetData></worksheet>"
#define SST_EMPTY "<sst xmlns=\"http://schemas.openxmlformats.org/" \
	"spreadsheetml/2006/main\"/>"

/*
 * A hand-made workbook: the first sheet is "first.xml" (reached through
 * an absolute, dotted target and a relationship that is not rId1), then
 * shared strings and any extra part.
 */
static char *
book(const char *ct, const char *wbpr, const char *sheet, size_t sheetlen,
    const char *sst, const struct part *extra, size_t *len)
{
	struct part	 p[7];
	char		 wb[1024];
	size_t		 n = 0;

	snprintf(wb, sizeof(wb), WB, wbpr);
	p[n++] = (struct part){ "[Content_Types].xml", ct, strlen(ct) };
	p[n++] = (struct part){ "_rels/.rels", RELS, strlen(RELS) };
	p[n++] = (struct part){ "xl/workbook.xml", wb, strlen(wb) };
	p[n++] = (struct part){ "xl/_rels/workbook.xml.rels", WBRELS,
	    strlen(WBRELS) };
	p[n++] = (struct part){ "xl/worksheets/first.xml", sheet, sheetlen };
	p[n++] = (struct part){ "xl/sharedStrings.xml", sst, strlen(sst) };
	if (extra != NULL)
		p[n++] = *extra;
	return zip_of(p, n, len);
}

/* Reads a buffer into a sheet; returns xlsxread's result. */
static int
read_sheet(const char *buf, size_t len, struct sheet *sh,
    struct batch_report *rep)
{
	int	 rc;

	batch_report_init(rep);
	sheet_init(sh, rep);
	err[0] = '\0';
	rc = xlsxread(buf, len, sh, err, sizeof(err));
	if (rc == 0)
		rc = sheet_finish(sh, err, sizeof(err));
	return rc;
}

static void
read_free(struct sheet *sh, struct batch_report *rep)
{
	sheet_free(sh);
	batch_report_free(rep);
}

/* buf must read as a sheet. */
static void
reads(const char *buf, size_t len)
{
	struct batch_report	 rep;
	struct sheet		 sh;

	ck_assert_msg(read_sheet(buf, len, &sh, &rep) == 0, "%s", err);
	read_free(&sh, &rep);
}

/* buf must be refused, with an error that names what. */
static void
refused(const char *buf, size_t len, const char *what)
{
	struct batch_report	 rep;
	struct sheet		 sh;

	ck_assert_int_eq(read_sheet(buf, len, &sh, &rep), -1);
	ck_assert_msg(strstr(err, what) != NULL, "\"%s\" lacks \"%s\"", err,
	    what);
	read_free(&sh, &rep);
}

START_TEST(serial_dates)
{
	char	 d[11];

	ck_assert_int_eq(xlsxread_serial_date(1, 0, d), 0);
	ck_assert_str_eq(d, "1900-01-01");
	ck_assert_int_eq(xlsxread_serial_date(59, 0, d), 0);
	ck_assert_str_eq(d, "1900-02-28");
	/* Lotus's 1900-02-29 is no day. */
	ck_assert_int_eq(xlsxread_serial_date(60, 0, d), -1);
	ck_assert_int_eq(xlsxread_serial_date(61, 0, d), 0);
	ck_assert_str_eq(d, "1900-03-01");
	ck_assert_int_eq(xlsxread_serial_date(46063.75, 0, d), 0);
	ck_assert_str_eq(d, "2026-02-10");
	ck_assert_int_eq(xlsxread_serial_date(0, 0, d), -1);
	ck_assert_int_eq(xlsxread_serial_date(-1, 0, d), -1);
	ck_assert_int_eq(xlsxread_serial_date(2958465, 0, d), 0);
	ck_assert_str_eq(d, "9999-12-31");
	ck_assert_int_eq(xlsxread_serial_date(2958466, 0, d), -1);
	ck_assert_int_eq(xlsxread_serial_date(0, 1, d), 0);
	ck_assert_str_eq(d, "1904-01-01");
	ck_assert_int_eq(xlsxread_serial_date(44601, 1, d), 0);
	ck_assert_str_eq(d, "2026-02-10");
}
END_TEST

START_TEST(col_letters)
{
	char	 l[8];

	sheet_col_letters(0, l);
	ck_assert_str_eq(l, "A");
	sheet_col_letters(25, l);
	ck_assert_str_eq(l, "Z");
	sheet_col_letters(26, l);
	ck_assert_str_eq(l, "AA");
	sheet_col_letters(16383, l);
	ck_assert_str_eq(l, "XFD");
}
END_TEST

/* The template reads back: every column named, in order; no rows. */
START_TEST(template_reads_back)
{
	struct batch_report	 rep;
	struct sheet		 sh;
	struct batch		 b;
	char			*buf;
	size_t			 len;
	int			 c;

	ck_assert_int_eq(sheet_template(&buf, &len, err, sizeof(err)), 0);
	ck_assert_uint_gt(len, 1000);
	ck_assert(xlsxread_is_zip(buf, len));
	ck_assert_int_eq(read_sheet(buf, len, &sh, &rep), 0);
	for (c = 0; c < SHEET_COLS; c++)
		ck_assert_int_eq(sheet_col_of(&sh, c), c);
	ck_assert_int_eq(sheet_col_of(&sh, SHEET_COLS), -1);
	ck_assert_uint_eq(sh.nrows, 0);
	ck_assert_uint_eq(rep.nerrors, 0);
	read_free(&sh, &rep);
	/* No rows below the names: nothing to file, said plainly. */
	batch_init(&b);
	ck_assert_int_eq(batch_read(buf, len, &b, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no rows"));
	batch_free(&b);
	free(buf);
}
END_TEST

/* The template's parts: lists, notes, instructions with HTS codes. */
START_TEST(template_content)
{
	zip_t		*za;
	zip_source_t	*src;
	zip_file_t	*zf;
	zip_stat_t	 st;
	char		*buf, *part;
	size_t		 len;
	const char	*code;

	ck_assert_int_eq(sheet_template(&buf, &len, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(src = zip_source_buffer_create(buf, len, 0,
	    NULL));
	ck_assert_ptr_nonnull(za = zip_open_from_source(src, ZIP_RDONLY,
	    NULL));
	/* Drop-downs on "Licenses". */
	ck_assert_int_eq(zip_stat(za, "xl/worksheets/sheet1.xml", 0, &st), 0);
	ck_assert_ptr_nonnull(part = calloc(1, st.size + 1));
	ck_assert_ptr_nonnull(zf = zip_fopen(za, "xl/worksheets/sheet1.xml",
	    0));
	ck_assert_int_eq(zip_fread(zf, part, st.size), (zip_int64_t)st.size);
	zip_fclose(zf);
	ck_assert_ptr_nonnull(strstr(part, "\"aluminum,steel\""));
	ck_assert_ptr_nonnull(strstr(part, "\"standard,low_value\""));
	ck_assert_ptr_nonnull(strstr(part, "\"consumption,ftz\""));
	ck_assert_ptr_nonnull(strstr(part, "Lists!$A$2:$A$"));
	ck_assert_ptr_nonnull(strstr(part, "Lists!$B$2:$B$"));
	ck_assert_ptr_nonnull(strstr(part, "Instructions!$A$"));
	ck_assert_ptr_nonnull(strstr(part, "sqref=\"J2:J20001\""));
	free(part);
	/* Countries, instructions and HTS codes as shared strings. */
	ck_assert_int_eq(zip_stat(za, "xl/sharedStrings.xml", 0, &st), 0);
	ck_assert_ptr_nonnull(part = calloc(1, st.size + 1));
	ck_assert_ptr_nonnull(zf = zip_fopen(za, "xl/sharedStrings.xml", 0));
	ck_assert_int_eq(zip_fread(zf, part, st.size), (zip_int64_t)st.size);
	zip_fclose(zf);
	ck_assert_ptr_nonnull(strstr(part, "Germany"));
	ck_assert_ptr_nonnull(strstr(part, "not applicable"));
	ck_assert_ptr_nonnull(strstr(part, "7206.10"));
	ck_assert_ptr_nonnull(strstr(part, "Pipe and Tube"));
	ck_assert_ptr_nonnull(strstr(part, "macros are not accepted"));
	hts_aluminum_row(0, &code, NULL, NULL);
	ck_assert_ptr_nonnull(strstr(part, code));
	free(part);
	/* The country list is hidden, the notes are there. */
	ck_assert_int_ge(zip_name_locate(za, "xl/comments1.xml", 0), 0);
	zip_close(za);
	free(buf);
}
END_TEST

/* Writes the template's column names in row 0. */
static void
names(lxw_worksheet *ws)
{
	int	 c;

	for (c = 0; c < SHEET_COLS; c++)
		ck_assert_int_eq(worksheet_write_string(ws, 0, c,
		    sheet_col_name(c), NULL), LXW_NO_ERROR);
}

static void
str(lxw_worksheet *ws, int row, int col, const char *v)
{
	ck_assert_int_eq(worksheet_write_string(ws, row, col, v, NULL),
	    LXW_NO_ERROR);
}

static void
header(lxw_worksheet *ws, lxw_format *df, int row, const char *ref,
    const char *product, const char *ltype)
{
	lxw_datetime	 exp = { 2026, 1, 20, 0, 0, 0 };
	lxw_datetime	 imp = { 2026, 2, 10, 0, 0, 0 };

	str(ws, row, SHEET_COL_REF, ref);
	str(ws, row, SHEET_COL_HF(HF_PRODUCT), product);
	str(ws, row, SHEET_COL_HF(HF_LICENSE_TYPE), ltype);
	str(ws, row, SHEET_COL_HF(HF_ENTRY_TYPE), "consumption");
	str(ws, row, SHEET_COL_HF(HF_IMPORTER_NAME), "Test Metals LLC");
	str(ws, row, SHEET_COL_HF(HF_EXPORTER_NAME), "Export GmbH");
	str(ws, row, SHEET_COL_HF(HF_MANUFACTURER_NAME), "Hydro");
	str(ws, row, SHEET_COL_HF(HF_COUNTRY_OF_ORIGIN), "Germany");
	str(ws, row, SHEET_COL_HF(HF_COUNTRY_OF_EXPORTATION), "Germany");
	/* Real Excel dates: serial numbers with a date format. */
	ck_assert_int_eq(worksheet_write_datetime(ws, row,
	    SHEET_COL_HF(HF_EXPECTED_EXPORT_DATE), &exp, df), LXW_NO_ERROR);
	ck_assert_int_eq(worksheet_write_datetime(ws, row,
	    SHEET_COL_HF(HF_EXPECTED_IMPORT_DATE), &imp, df), LXW_NO_ERROR);
	str(ws, row, SHEET_COL_HF(HF_PORT_OF_ENTRY), "Baltimore, MD");
}

/*
 * A filled sheet: L1 two aluminum lines (numbers, a formula, dates),
 * L2 a steel line with a text date, L3 a low value license (no line
 * columns), an empty row between.  constant: libxlsxwriter's
 * constant-memory mode, which writes inline strings.
 */
static char *
filled(int constant, size_t *len)
{
	lxw_workbook_options	 opt = { constant, dir, 0 };
	lxw_workbook		*wb;
	lxw_worksheet		*ws;
	lxw_format		*df;
	char			 path[128];

	snprintf(path, sizeof(path), "%s/filled.xlsx", dir);
	ck_assert_ptr_nonnull(wb = workbook_new_opt(path, &opt));
	ck_assert_ptr_nonnull(ws = workbook_add_worksheet(wb, "Licenses"));
	ck_assert_ptr_nonnull(workbook_add_worksheet(wb, "Instructions"));
	df = workbook_add_format(wb);
	format_set_num_format(df, "yyyy-mm-dd");
	names(ws);
	header(ws, df, 1, "L1", "aluminum", "standard");
	str(ws, 1, SHEET_COL_LF(LF_HTS_CODE), "7601103000");
	worksheet_write_number(ws, 1, SHEET_COL_LF(LF_CUSTOMS_VALUE_USD),
	    25000, NULL);
	worksheet_write_number(ws, 1, SHEET_COL_LF(LF_VOLUME_KG), 10000,
	    NULL);
	str(ws, 1, SHEET_COL_LF(LF_COUNTRY_OF_LARGEST_SMELT), "Norway");
	str(ws, 1, SHEET_COL_LF(LF_COUNTRY_OF_SECOND_LARGEST_SMELT),
	    "not applicable");
	str(ws, 1, SHEET_COL_LF(LF_COUNTRY_OF_MOST_RECENT_CAST), "Germany");
	header(ws, df, 2, "L1", "aluminum", "standard");
	/* A number, as a spreadsheet computes it. */
	worksheet_write_number(ws, 2, SHEET_COL_LF(LF_HTS_CODE), 7601203000.0,
	    NULL);
	worksheet_write_number(ws, 2, SHEET_COL_LF(LF_CUSTOMS_VALUE_USD),
	    1234.56, NULL);
	worksheet_write_formula_num(ws, 2, SHEET_COL_LF(LF_VOLUME_KG),
	    "=250*2", NULL, 500);
	str(ws, 2, SHEET_COL_LF(LF_COUNTRY_OF_LARGEST_SMELT), "Norway");
	str(ws, 2, SHEET_COL_LF(LF_COUNTRY_OF_SECOND_LARGEST_SMELT),
	    "not applicable");
	str(ws, 2, SHEET_COL_LF(LF_COUNTRY_OF_MOST_RECENT_CAST), "Germany");
	/* Row 4 stays empty. */
	header(ws, df, 4, "L2", "steel", "standard");
	str(ws, 4, SHEET_COL_HF(HF_EXPECTED_IMPORT_DATE), "2026-02-10");
	str(ws, 4, SHEET_COL_LF(LF_HTS_CODE), "7208.10.0000");
	worksheet_write_formula_str(ws, 4, SHEET_COL_LF(LF_CUSTOMS_VALUE_USD),
	    "=\"5000\"", NULL, "5000");
	worksheet_write_number(ws, 4, SHEET_COL_LF(LF_VOLUME_KG), 4000, NULL);
	str(ws, 4, SHEET_COL_LF(LF_COUNTRY_OF_MELT_AND_POUR), "Japan");
	header(ws, df, 5, "L3", "aluminum", "low_value");
	ck_assert_int_eq(workbook_close(wb), LXW_NO_ERROR);
	return slurp(path, len);
}

static void
check_filled(const char *buf, size_t len)
{
	struct batch		 b;
	struct report		 rep;
	struct license		*lic;
	const struct form	*f;
	size_t			 i;

	batch_init(&b);
	ck_assert_msg(batch_read(buf, len, &b, err, sizeof(err)) == 0, "%s",
	    err);
	ck_assert_uint_eq(b.report.nerrors, 0);
	ck_assert_uint_eq(b.rows, 4);
	ck_assert_uint_eq(b.n, 3);
	ck_assert_str_eq(b.lic[0].ref, "L1");
	ck_assert_str_eq(b.lic[1].ref, "L2");
	ck_assert_str_eq(b.lic[2].ref, "L3");
	f = b.lic[0].form;
	ck_assert_str_eq(f->v[HF_EXPECTED_EXPORT_DATE], "2026-01-20");
	ck_assert_str_eq(f->v[HF_EXPECTED_IMPORT_DATE], "2026-02-10");
	ck_assert_str_eq(f->v[HF_PORT_OF_ENTRY], "Baltimore, MD");
	ck_assert_ptr_null(f->v[HF_CUSTOMS_ENTRY_NUMBER]);
	ck_assert_uint_eq(f->nlines, 2);
	ck_assert_str_eq(f->lines[0].v[LF_CUSTOMS_VALUE_USD], "25000");
	ck_assert_str_eq(f->lines[1].v[LF_HTS_CODE], "7601203000");
	ck_assert_str_eq(f->lines[1].v[LF_CUSTOMS_VALUE_USD], "1234.56");
	ck_assert_str_eq(f->lines[1].v[LF_VOLUME_KG], "500");
	ck_assert_uint_eq(b.lic[0].first_row, 2);
	ck_assert_uint_eq(b.lic[0].line_rows[1], 3);
	f = b.lic[1].form;
	ck_assert_str_eq(f->v[HF_EXPECTED_IMPORT_DATE], "2026-02-10");
	ck_assert_str_eq(f->lines[0].v[LF_CUSTOMS_VALUE_USD], "5000");
	ck_assert_uint_eq(b.lic[1].first_row, 5);
	ck_assert_uint_eq(b.lic[2].form->nlines, 0);
	/* And the rules take every one. */
	for (i = 0; i < b.n; i++) {
		report_init(&rep);
		ck_assert_uint_eq(rules_check(b.lic[i].form,
		    date_from_ymd(2026, 1, 15), &rep, &lic), 0);
		license_free(lic);
		report_free(&rep);
	}
	batch_free(&b);
}

START_TEST(filled_shared_strings)
{
	char	*buf;
	size_t	 len;

	buf = filled(0, &len);
	check_filled(buf, len);
	free(buf);
}
END_TEST

START_TEST(filled_inline_strings)
{
	char	*buf;
	size_t	 len;

	buf = filled(1, &len);
	check_filled(buf, len);
	free(buf);
}
END_TEST

/* Hand-made cells: rich text, phonetic runs, booleans, errors, cells
 * without r=, the 1904 date system. */
START_TEST(handmade_cells)
{
	static const char sheet[] = SHEET_HEAD
	    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
	    "<c t=\"inlineStr\"><is><t>importer_name</t></is></c>"
	    "<c r=\"J1\" t=\"s\"><v>1</v></c>"
	    "<c r=\"E1\" t=\"inlineStr\"><is><t>manufacturer_name</t></is>"
	    "</c></row>"
	    "<row><c r=\"A2\" t=\"inlineStr\"><is><r><t>R</t></r><r><t "
	    "xml:space=\"preserve\">-1 </t></r><rPh><t>x</t></rPh></is></c>"
	    "<c t=\"s\"><v>2</v></c>"
	    "<c r=\"J2\"><v>44601</v></c>"
	    "<c r=\"E2\" t=\"b\"><v>1</v></c></row>"
	    "<row r=\"3\"><c r=\"A3\" t=\"str\"><f>A2</f><v>R-1</v></c>"
	    "<c r=\"B3\" t=\"e\"><v>#N/A</v></c>"
	    "<c r=\"J3\" t=\"inlineStr\"><is><t>02/10/2026</t></is></c>"
	    "</row>"
	    SHEET_TAIL;
	static const char sst[] = "<sst xmlns=\"http://schemas.openxmlformats"
	    ".org/spreadsheetml/2006/main\" count=\"3\" uniqueCount=\"3\">"
	    "<si><t>license_ref</t></si><si><r><t>expected_</t></r><r><t>"
	    "import_date</t></r></si><si><t>Acme &amp; Sons</t><rPh><t>"
	    "akume</t></rPh></si></sst>";
	struct batch_report	 rep;
	struct sheet		 sh;
	char			*buf;
	size_t			 len;

	buf = book(CT_WB, "<workbookPr date1904=\"1\"/>", sheet,
	    sizeof(sheet) - 1, sst, NULL, &len);
	ck_assert_msg(read_sheet(buf, len, &sh, &rep) == 0, "%s", err);
	ck_assert_uint_eq(rep.nerrors, 0);
	ck_assert_int_eq(sheet_col_of(&sh, 0), SHEET_COL_REF);
	ck_assert_int_eq(sheet_col_of(&sh, 1),
	    SHEET_COL_HF(HF_IMPORTER_NAME));
	ck_assert_int_eq(sheet_col_of(&sh, 9),
	    SHEET_COL_HF(HF_EXPECTED_IMPORT_DATE));
	ck_assert_uint_eq(sh.nrows, 2);
	ck_assert_uint_eq(sh.rows[0].row, 2);
	ck_assert_str_eq(sh.rows[0].v[SHEET_COL_REF], "R-1 ");
	ck_assert_str_eq(sh.rows[0].v[SHEET_COL_HF(HF_IMPORTER_NAME)],
	    "Acme & Sons");
	/* 1904 system: serial 44601 is 2026-02-10. */
	ck_assert_str_eq(sh.rows[0].v[SHEET_COL_HF(HF_EXPECTED_IMPORT_DATE)],
	    "2026-02-10");
	ck_assert_str_eq(sh.rows[0].v[SHEET_COL_HF(HF_MANUFACTURER_NAME)],
	    "TRUE");
	ck_assert_uint_eq(sh.rows[1].row, 3);
	ck_assert_str_eq(sh.rows[1].v[SHEET_COL_REF], "R-1");
	ck_assert_str_eq(sh.rows[1].v[SHEET_COL_HF(HF_IMPORTER_NAME)],
	    "#N/A");
	ck_assert_str_eq(sh.rows[1].v[SHEET_COL_HF(HF_EXPECTED_IMPORT_DATE)],
	    "02/10/2026");
	read_free(&sh, &rep);
	free(buf);
}
END_TEST

/* A shared string index past the table is damage, not a crash. */
START_TEST(bad_shared_string_index)
{
	static const char sheet[] = SHEET_HEAD
	    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>5</v></c></row>" SHEET_TAIL;
	char			*buf;
	size_t			 len;

	buf = book(CT_WB, "", sheet, sizeof(sheet) - 1, SST_EMPTY, NULL,
	    &len);
	refused(buf, len, "shared string");
	free(buf);
}
END_TEST

/* A header and a data row, empty <row/> elements up to last (when
 * fill), and a last row r=last with one value. */
static char *
empty_rows(size_t last, int fill, size_t *len)
{
	static const char head[] = SHEET_HEAD
	    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>license_ref</t>"
	    "</is></c></row><row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>"
	    "R1</t></is></c></row>";
	char	*x, *buf;
	size_t	 n, r, cap;

	cap = (fill ? last * 20 : 0) + 4096;
	ck_assert_ptr_nonnull(x = malloc(cap));
	memcpy(x, head, sizeof(head) - 1);
	n = sizeof(head) - 1;
	for (r = 3; fill && r < last; r++)
		n += snprintf(x + n, cap - n, "<row r=\"%zu\"/>", r);
	n += snprintf(x + n, cap - n, "<row r=\"%zu\"><c r=\"A%zu\" t=\""
	    "inlineStr\"><is><t>R2</t></is></c></row>" SHEET_TAIL, last,
	    last);
	buf = book(CT_WB, "", x, n, SST_EMPTY, NULL, len);
	free(x);
	return buf;
}

START_TEST(million_empty_rows)
{
	struct batch_report	 rep;
	struct sheet		 sh;
	struct timespec		 t0, t1;
	char			*buf;
	size_t			 len;
	double			 s;

	buf = empty_rows(1000000, 1, &len);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_msg(read_sheet(buf, len, &sh, &rep) == 0, "%s", err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	ck_assert_msg(s < 3 * tests_time_scale(),
	    "a million empty rows took %.2f s", s);
	ck_assert_uint_eq(sh.nrows, 2);
	ck_assert_uint_eq(sh.rows[1].row, 1000000);
	read_free(&sh, &rep);
	free(buf);
}
END_TEST

/* Excel's last row is 1,048,576; past it the sheet is damaged. */
START_TEST(row_past_excel)
{
	char			*buf;
	size_t			 len;

	buf = empty_rows(1048576, 0, &len);
	reads(buf, len);
	free(buf);
	buf = empty_rows(1048577, 0, &len);
	refused(buf, len, "damaged");
	free(buf);
}
END_TEST

/* A deflated part of zeros that says it inflates past the cap: refused
 * from the zip directory, before a byte is inflated. */
START_TEST(zip_bomb_claims_huge)
{
	struct batch_report	 rep;
	struct sheet		 sh;
	struct timespec		 t0, t1;
	char			*zeros, *buf;
	size_t			 len, big = LIM_XLSX_UNCOMPRESSED + 1;
	double			 s;

	ck_assert_ptr_nonnull(zeros = calloc(1, big));
	buf = book(CT_WB, "", zeros, big, SST_EMPTY, NULL, &len);
	free(zeros);
	ck_assert_uint_lt(len, LIM_XLSX_BYTES);	/* small on the wire */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(read_sheet(buf, len, &sh, &rep), -1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	ck_assert_ptr_nonnull(strstr(err, "claims"));
	ck_assert_msg(s < 0.05, "refusing took %.3f s", s);
	read_free(&sh, &rep);
	free(buf);
}
END_TEST

/* Sets the uncompressed size of every zip entry named name (local and
 * central headers) to size: an entry that lies. */
static void
lie_about_size(char *buf, size_t len, const char *name, uint32_t size)
{
	size_t	 i, nl = strlen(name), hits = 0;
	unsigned char *p;

	for (i = 0; i + 46 + nl <= len; i++) {
		p = (unsigned char *)buf + i;
		if (memcmp(p, "PK\003\004", 4) == 0 &&
		    (size_t)(p[26] + 256 * p[27]) == nl &&
		    memcmp(p + 30, name, nl) == 0) {
			p[22] = size & 0xff;
			p[23] = (size >> 8) & 0xff;
			p[24] = (size >> 16) & 0xff;
			p[25] = size >> 24;
			hits++;
		}
		if (memcmp(p, "PK\001\002", 4) == 0 &&
		    (size_t)(p[28] + 256 * p[29]) == nl &&
		    memcmp(p + 46, name, nl) == 0) {
			p[24] = size & 0xff;
			p[25] = (size >> 8) & 0xff;
			p[26] = (size >> 16) & 0xff;
			p[27] = size >> 24;
			hits++;
		}
	}
	ck_assert_uint_eq(hits, 2);
}

/* A part that claims 4 KB and inflates to 8 MB: stopped at 4 KB. */
START_TEST(zip_bomb_lies)
{
	struct batch_report	 rep;
	struct sheet		 sh;
	char			*x, *buf;
	size_t			 len, n = 8 * 1024 * 1024, i;

	ck_assert_ptr_nonnull(x = malloc(n));
	memcpy(x, SHEET_HEAD, sizeof(SHEET_HEAD) - 1);
	for (i = sizeof(SHEET_HEAD) - 1; i < n; i++)
		x[i] = ' ';
	buf = book(CT_WB, "", x, n, SST_EMPTY, NULL, &len);
	free(x);
	lie_about_size(buf, len, "xl/worksheets/first.xml", 4096);
	ck_assert_int_eq(read_sheet(buf, len, &sh, &rep), -1);
	/* Stopped by our count, at the size it claimed. */
	ck_assert_msg(strstr(err, "first.xml inflates to more than the 4096 "
	    "bytes the zip directory claims") != NULL, "%s", err);
	read_free(&sh, &rep);
	free(buf);
}
END_TEST

START_TEST(too_many_entries)
{
	struct part		*p;
	char			*buf, (*names)[16];
	size_t			 len, i, n = LIM_XLSX_ENTRIES + 1;

	ck_assert_ptr_nonnull(p = calloc(n, sizeof(*p)));
	ck_assert_ptr_nonnull(names = calloc(n, sizeof(*names)));
	for (i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "e%zu", i);
		p[i] = (struct part){ names[i], "x", 1 };
	}
	buf = zip_of(p, n, &len);
	refused(buf, len, "entries");
	free(buf);
	free(p);
	free(names);
}
END_TEST

/* n shared strings, all empty. */
static char *
many_strings(size_t n, size_t *len)
{
	static const char sheet[] = SHEET_HEAD
	    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>license_ref</t>"
	    "</is></c></row><row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c>"
	    "</row>" SHEET_TAIL;
	char	*x, *buf;
	size_t	 i, k = 0;

	ck_assert_ptr_nonnull(x = malloc(n * 5 + 256));
	k = snprintf(x, 256, "<sst xmlns=\"http://schemas.openxmlformats."
	    "org/spreadsheetml/2006/main\">");
	for (i = 0; i < n; i++, k += 5)
		memcpy(x + k, "<si/>", 5);
	memcpy(x + k, "</sst>", 7);
	buf = book(CT_WB, "", sheet, sizeof(sheet) - 1, x, NULL, len);
	free(x);
	return buf;
}

START_TEST(shared_string_limit)
{
	char			*buf;
	size_t			 len;

	buf = many_strings(LIM_SHARED_STRINGS, &len);
	reads(buf, len);
	free(buf);
	buf = many_strings(LIM_SHARED_STRINGS + 1, &len);
	refused(buf, len, "shared strings");
	free(buf);
}
END_TEST

static const char tiny_sheet[] = SHEET_HEAD
    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>license_ref</t></is>"
    "</c></row>" SHEET_TAIL;

START_TEST(xlsm_refused)
{
	struct batch_report	 rep;
	struct sheet		 sh;
	struct part		 vba = { "xl/vbaProject.bin",
				     "\xd0\xcf\x11\xe0", 4 };
	char			*buf;
	size_t			 len;

	/* The macro content type alone. */
	buf = book(CT_XLSM, "", tiny_sheet, sizeof(tiny_sheet) - 1,
	    SST_EMPTY, NULL, &len);
	ck_assert_int_eq(read_sheet(buf, len, &sh, &rep), -1);
	ck_assert_msg(strstr(err, "macros are not accepted") != NULL, "%s",
	    err);
	ck_assert_ptr_nonnull(strstr(err, ".xlsx"));
	read_free(&sh, &rep);
	free(buf);
	/* A vbaProject.bin under an innocent content type. */
	buf = book(CT_WB, "", tiny_sheet, sizeof(tiny_sheet) - 1, SST_EMPTY,
	    &vba, &len);
	refused(buf, len, "macros");
	free(buf);
	/* The same workbook without it reads. */
	buf = book(CT_WB, "", tiny_sheet, sizeof(tiny_sheet) - 1, SST_EMPTY,
	    NULL, &len);
	reads(buf, len);
	free(buf);
}
END_TEST

START_TEST(wrong_types_refused)
{
	static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1";
	static const char pdf[] = "%PDF-1.7\n%\xe2\xe3\n1 0 obj";
	static const char xls[] = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0";
	struct part		 txt = { "hello.txt", "hello", 5 };
	struct batch		 b;
	char			*buf;
	size_t			 len;

	refused(png, sizeof(png) - 1, "PNG image");
	refused(pdf, sizeof(pdf) - 1, "PDF");
	refused(xls, sizeof(xls) - 1, ".xls");
	/* A PNG renamed .xlsx, through the batch reader: never CSV, even
	 * with no NUL byte. */
	ck_assert_int_eq(batch_sniff(png, sizeof(png) - 1), BATCH_UNKNOWN);
	ck_assert_int_eq(batch_sniff(png, 8), BATCH_UNKNOWN);
	ck_assert_int_eq(batch_sniff(pdf, sizeof(pdf) - 1), BATCH_UNKNOWN);
	ck_assert_int_eq(batch_sniff("license_ref\r\n", 13), BATCH_CSV);
	batch_init(&b);
	ck_assert_int_eq(batch_read(png, sizeof(png) - 1, &b, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "PNG"));
	batch_free(&b);
	/* A zip that is no workbook. */
	buf = zip_of(&txt, 1, &len);
	refused(buf, len, "not an Excel workbook");
	/* A truncated workbook. */
	free(buf);
	buf = book(CT_WB, "", tiny_sheet, sizeof(tiny_sheet) - 1, SST_EMPTY,
	    NULL, &len);
	refused(buf, len / 2, "damaged");
	free(buf);
}
END_TEST

/* Entities and DTDs: a workbook part never has one. */
START_TEST(doctype_refused)
{
	static const char sheet[] = "<?xml version=\"1.0\"?><!DOCTYPE w ["
	    "<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>"
	    SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&b;"
	    "</t></is></c></row>" SHEET_TAIL;
	char			*buf;
	size_t			 len;

	buf = book(CT_WB, "", sheet, sizeof(sheet) - 1, SST_EMPTY, NULL,
	    &len);
	refused(buf, len, "DOCTYPE");
	free(buf);
}
END_TEST

/* Cells: too long, in an unnamed column, a misnamed column. */
START_TEST(cell_problems)
{
	static const char sheet_fmt[] = SHEET_HEAD
	    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>license_ref</t>"
	    "</is></c><c r=\"B1\" t=\"inlineStr\"><is><t>importer</t></is>"
	    "</c><c r=\"C1\" t=\"inlineStr\"><is><t>exporter_name</t></is>"
	    "</c></row><row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>R</t>"
	    "</is></c><c r=\"C2\" t=\"inlineStr\"><is><t>%s</t></is></c>"
	    "<c r=\"D2\"><v>1</v></c></row>" SHEET_TAIL;
	struct batch_report	 rep;
	struct sheet		 sh;
	char			 x[4096], longv[LIM_FIELD_BYTES + 2];
	char			*buf;
	size_t			 len, i;

	memset(longv, 'x', LIM_FIELD_BYTES + 1);
	longv[LIM_FIELD_BYTES + 1] = '\0';
	snprintf(x, sizeof(x), sheet_fmt, longv);
	buf = book(CT_WB, "", x, strlen(x), SST_EMPTY, NULL, &len);
	ck_assert_msg(read_sheet(buf, len, &sh, &rep) == 0, "%s", err);
	ck_assert_uint_eq(rep.nerrors, 3);
	ck_assert_uint_eq(rep.errors[0].row, 1);
	ck_assert_str_eq(rep.errors[0].field, "B");
	ck_assert_ptr_nonnull(strstr(rep.errors[0].message, "\"importer\""));
	ck_assert_uint_eq(rep.errors[1].row, 2);
	ck_assert_str_eq(rep.errors[1].field, "exporter_name");
	ck_assert_ptr_nonnull(strstr(rep.errors[1].message, "longer"));
	ck_assert_uint_eq(rep.errors[2].row, 2);
	ck_assert_str_eq(rep.errors[2].field, "D");
	ck_assert(sh.names_bad);
	ck_assert(sh.rows[0].bad);
	read_free(&sh, &rep);
	free(buf);
	/* One byte less fits. */
	longv[LIM_FIELD_BYTES] = '\0';
	snprintf(x, sizeof(x), sheet_fmt, longv);
	buf = book(CT_WB, "", x, strlen(x), SST_EMPTY, NULL, &len);
	ck_assert_msg(read_sheet(buf, len, &sh, &rep) == 0, "%s", err);
	for (i = 0; i < rep.nerrors; i++)
		ck_assert_str_ne(rep.errors[i].field, "exporter_name");
	ck_assert_uint_eq(strlen(sh.rows[0].v[SHEET_COL_HF(
	    HF_EXPORTER_NAME)]), LIM_FIELD_BYTES);
	read_free(&sh, &rep);
	free(buf);
}
END_TEST

Suite *
suite_xlsxread(void)
{
	Suite	*s = suite_create("xlsxread");
	TCase	*tc = tcase_create("xlsxread");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, serial_dates);
	tcase_add_test(tc, col_letters);
	tcase_add_test(tc, template_reads_back);
	tcase_add_test(tc, template_content);
	tcase_add_test(tc, filled_shared_strings);
	tcase_add_test(tc, filled_inline_strings);
	tcase_add_test(tc, handmade_cells);
	tcase_add_test(tc, bad_shared_string_index);
	tcase_add_test(tc, million_empty_rows);
	tcase_add_test(tc, row_past_excel);
	tcase_add_test(tc, zip_bomb_claims_huge);
	tcase_add_test(tc, zip_bomb_lies);
	tcase_add_test(tc, too_many_entries);
	tcase_add_test(tc, shared_string_limit);
	tcase_add_test(tc, xlsm_refused);
	tcase_add_test(tc, wrong_types_refused);
	tcase_add_test(tc, doctype_refused);
	tcase_add_test(tc, cell_problems);
	suite_add_tcase(s, tc);
	return s;
}
