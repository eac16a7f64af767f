/*
 * Multiple licenses: CSV edge cases (quotes, embedded newlines, BOM,
 * CRLF), rows grouped by license_ref, header disagreement, rule errors
 * mapped back to rows and columns; and the registry's batch call
 * against a real SQLite file: all or nothing, accept the valid ones,
 * one outbox row per batch, atomic under injected faults.
 *
 * AIM_BENCH_SHEET=1 adds the 10,000-line benchmark (seconds, lines/s,
 * peak RSS) of DOMAIN.md section 7's upload.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "lib/buf.h"
#include "lib/date.h"
#include "lib/limits.h"
#include "forms/account.h"
#include "forms/batch.h"
#include "forms/rules.h"
#include "db/accounts.h"
#include "db/batch.h"
#include "db/outbox.h"
#include "db/tables.h"
#include "tests.h"

static char	 err[512];

/* The template's columns, as a CSV header. */
static void
csv_names(struct buf *b)
{
	int	 c;

	for (c = 0; c < SHEET_COLS; c++)
		buf_printf(b, "%s%s", c ? "," : "", sheet_col_name(c));
	buf_puts(b, "\r\n");
}

/* A valid aluminum line as of 2026-01-15, column by column. */
static const char *const defaults[SHEET_COLS] = {
	"R1", "aluminum", "standard", "consumption", "Test Metals LLC",
	"Alu Export GmbH", "Hydro", "Germany", "Germany", "2026-01-20",
	"2026-02-10", "Baltimore, MD", "", "7601103000", "25000", "10000",
	"Norway", "not applicable", "Germany", "",
};

/*
 * One CSV record: the defaults with license_ref ref and up to two
 * columns changed ("col=value" pairs, NULL for none), quoted where
 * needed.
 */
static void
csv_row(struct buf *b, const char *ref, const char *set1, const char *set2)
{
	const char	*v[SHEET_COLS], *sets[2] = { set1, set2 }, *eq, *p;
	char		 name[64];
	int		 c, k;

	memcpy(v, defaults, sizeof(v));
	v[SHEET_COL_REF] = ref;
	for (k = 0; k < 2; k++) {
		if (sets[k] == NULL)
			continue;
		ck_assert_ptr_nonnull(eq = strchr(sets[k], '='));
		snprintf(name, sizeof(name), "%.*s", (int)(eq - sets[k]),
		    sets[k]);
		ck_assert_int_ge(c = sheet_col_find(name), 0);
		v[c] = eq + 1;
	}
	for (c = 0; c < SHEET_COLS; c++) {
		if (c)
			buf_puts(b, ",");
		if (strpbrk(v[c], ",\"\r\n") == NULL) {
			buf_puts(b, v[c]);
			continue;
		}
		buf_puts(b, "\"");
		for (p = v[c]; *p; p++)
			if (*p == '"')
				buf_puts(b, "\"\"");
			else
				buf_add(b, p, 1);
		buf_puts(b, "\"");
	}
	buf_puts(b, "\r\n");
}

/* Reads CSV text into b; returns batch_read's result. */
static int
read_csv(const struct buf *csv, struct batch *b)
{
	batch_init(b);
	err[0] = '\0';
	return batch_read(csv->p, csv->len, b, err, sizeof(err));
}

/* Whether the report has an error at row and field. */
static const struct batch_error *
has(const struct batch *b, size_t row, const char *field)
{
	size_t	 i;

	for (i = 0; i < b->report.nerrors; i++)
		if (b->report.errors[i].row == row &&
		    strcmp(b->report.errors[i].field, field) == 0)
			return &b->report.errors[i];
	return NULL;
}

static void
setup_tables(void)
{
	tests_init_tables();
}

START_TEST(csv_edge_cases)
{
	struct buf	 csv;
	struct batch	 b;
	const struct form *f;

	buf_init(&csv, 1 << 20);
	buf_add(&csv, "\xef\xbb\xbf", 3);			/* BOM */
	csv_names(&csv);
	/* Row 2: doubled quotes, a comma, a line break in a cell. */
	buf_puts(&csv, "R1,aluminum,standard,consumption,\"Test \"\"Q\"\" "
	    "Metals\",Alu Export GmbH,\"Hydro\r\nNorsk\",Germany,Germany,"
	    "2026-01-20,2026-02-10,\"Baltimore, MD\",,7601103000,25000,10000,"
	    "Norway,not applicable,Germany,\r\n");
	/* Row 3 (physical lines 4): LF only, a bad HTS code. */
	buf_puts(&csv, "R2,aluminum,standard,consumption,Test Metals LLC,"
	    "Alu Export GmbH,Hydro,Germany,Germany,2026-01-20,2026-02-10,"
	    "\"Baltimore, MD\",,7601109999,25000,10000,Norway,"
	    "not applicable,Germany,\n");
	/* Row 4 blank, counted as a spreadsheet shows it; row 5 last,
	 * without a line break at the end. */
	buf_puts(&csv, "\r\n");
	csv_row(&csv, "R3", NULL, NULL);
	csv.len -= 2;
	ck_assert_msg(read_csv(&csv, &b) == 0, "%s", err);
	ck_assert_uint_eq(b.report.nerrors, 0);
	ck_assert_uint_eq(b.rows, 3);
	ck_assert_uint_eq(b.n, 3);
	f = b.lic[0].form;
	ck_assert_str_eq(f->v[HF_IMPORTER_NAME], "Test \"Q\" Metals");
	ck_assert_str_eq(f->v[HF_MANUFACTURER_NAME], "Hydro\r\nNorsk");
	ck_assert_str_eq(f->v[HF_PORT_OF_ENTRY], "Baltimore, MD");
	ck_assert_ptr_null(f->v[HF_CUSTOMS_ENTRY_NUMBER]);
	ck_assert_ptr_null(f->lines[0].v[LF_COUNTRY_OF_MELT_AND_POUR]);
	ck_assert_uint_eq(b.lic[1].first_row, 3);
	ck_assert_uint_eq(b.lic[2].first_row, 5);
	f = b.lic[2].form;
	ck_assert_str_eq(f->lines[0].v[LF_COUNTRY_OF_MOST_RECENT_CAST],
	    "Germany");
	batch_free(&b);
	buf_free(&csv);
}
END_TEST

START_TEST(csv_refused)
{
	struct buf	 csv;
	struct batch	 b;

	buf_init(&csv, 1 << 20);
	buf_puts(&csv, "license_ref;product;license_type\r\nR1;aluminum;"
	    "standard\r\n");
	ck_assert_int_eq(read_csv(&csv, &b), -1);
	ck_assert_ptr_nonnull(strstr(err, "semicolons"));
	batch_free(&b);
	/* Windows-1252, as Excel's plain "CSV" saves it. */
	buf_reset(&csv);
	csv_names(&csv);
	csv_row(&csv, "R1", "importer_name=M\xfcller GmbH", NULL);
	ck_assert_int_eq(read_csv(&csv, &b), -1);
	ck_assert_ptr_nonnull(strstr(err, "not UTF-8"));
	batch_free(&b);
	buf_reset(&csv);
	buf_add(&csv, "\xff\xfel\0i\0", 6);
	ck_assert_int_eq(read_csv(&csv, &b), -1);
	ck_assert_ptr_nonnull(strstr(err, "UTF-16"));
	batch_free(&b);
	/* A quote left open: refused, naming the row. */
	buf_reset(&csv);
	csv_names(&csv);
	csv_row(&csv, "R1", NULL, NULL);
	buf_puts(&csv, "R2,\"aluminum\r\n");
	ck_assert_int_eq(read_csv(&csv, &b), -1);
	ck_assert_ptr_nonnull(strstr(err, "row 3"));
	batch_free(&b);
	/* Only the column names. */
	buf_reset(&csv);
	csv_names(&csv);
	ck_assert_int_eq(read_csv(&csv, &b), -1);
	ck_assert_ptr_nonnull(strstr(err, "no rows"));
	batch_free(&b);
	/* No column names at all. */
	buf_reset(&csv);
	csv_row(&csv, "R1", NULL, NULL);
	ck_assert_int_eq(read_csv(&csv, &b), -1);
	ck_assert_ptr_nonnull(strstr(err, "column names"));
	batch_free(&b);
	buf_free(&csv);
}
END_TEST

START_TEST(grouping)
{
	struct buf	 csv;
	struct batch	 b;

	buf_init(&csv, 1 << 20);
	csv_names(&csv);
	csv_row(&csv, "A", NULL, NULL);
	csv_row(&csv, "B", "product=steel", "hts_code=7208100000");
	csv_row(&csv, " A ", "hts_code=7601203000", NULL);
	csv_row(&csv, "", NULL, NULL);
	ck_assert_msg(read_csv(&csv, &b) == 0, "%s", err);
	ck_assert_uint_eq(b.rows, 4);
	ck_assert_uint_eq(b.n, 2);
	ck_assert_str_eq(b.lic[0].ref, "A");
	ck_assert_str_eq(b.lic[1].ref, "B");
	ck_assert_uint_eq(b.lic[0].form->nlines, 2);
	ck_assert_uint_eq(b.lic[0].line_rows[0], 2);
	ck_assert_uint_eq(b.lic[0].line_rows[1], 4);
	ck_assert_str_eq(b.lic[0].form->lines[1].v[LF_HTS_CODE],
	    "7601203000");
	ck_assert_uint_eq(b.lic[1].first_row, 3);
	/* The row without a reference belongs to no license. */
	ck_assert_uint_eq(b.report.nerrors, 1);
	ck_assert_ptr_nonnull(has(&b, 5, "license_ref"));
	ck_assert(!b.lic[0].rejected && !b.lic[1].rejected);
	batch_free(&b);
	buf_free(&csv);
}
END_TEST

START_TEST(header_disagreement)
{
	struct buf		 csv;
	struct batch		 b;
	const struct batch_error *e;

	buf_init(&csv, 1 << 20);
	csv_names(&csv);
	csv_row(&csv, "A", NULL, NULL);
	/* The same day written the other way agrees. */
	csv_row(&csv, "A", "expected_import_date=02/10/2026",
	    "importer_name= Test Metals LLC ");
	csv_row(&csv, "A", "importer_name=Other Importer Inc",
	    "port_of_entry=Houston, TX");
	csv_row(&csv, "B", NULL, NULL);
	csv_row(&csv, "B", "customs_entry_number=ABC-1234567-8", NULL);
	ck_assert_msg(read_csv(&csv, &b) == 0, "%s", err);
	ck_assert_uint_eq(b.report.nerrors, 3);
	ck_assert_ptr_nonnull(e = has(&b, 4, "importer_name"));
	ck_assert_ptr_nonnull(strstr(e->message, "\"Other Importer Inc\""));
	ck_assert_ptr_nonnull(strstr(e->message, "row 2"));
	ck_assert_ptr_nonnull(has(&b, 4, "port_of_entry"));
	/* Empty on the first row, given on a later one: differs too. */
	ck_assert_ptr_nonnull(has(&b, 6, "customs_entry_number"));
	ck_assert(b.lic[0].rejected);
	ck_assert(b.lic[1].rejected);
	batch_free(&b);
	buf_free(&csv);
}
END_TEST

/* Rule errors land on the row and column the filer sees. */
START_TEST(error_mapping)
{
	struct buf	 csv;
	struct batch	 b;
	struct report	 rep;
	struct license	*lic;
	size_t		 i;
	int		 app = date_from_ymd(2026, 1, 15);

	buf_init(&csv, 1 << 20);
	csv_names(&csv);
	csv_row(&csv, "A", NULL, NULL);			/* row 2 */
	csv_row(&csv, "B", "country_of_origin=DE", NULL);	/* row 3 */
	csv_row(&csv, "A", NULL, NULL);			/* row 4 */
	csv_row(&csv, "A", "hts_code=7601109999", "volume_kg=-5");
	buf_puts(&csv, "C,aluminum,standard,consumption,Test Metals LLC,"
	    "Alu Export GmbH,Hydro,Germany,Germany,2026-01-20,2026-02-10,"
	    "\"Baltimore, MD\",,,,,,,,\r\n");			/* row 6 */
	ck_assert_msg(read_csv(&csv, &b) == 0, "%s", err);
	ck_assert_uint_eq(b.report.nerrors, 0);
	ck_assert_uint_eq(b.n, 3);
	/* C's rows have no line values: a standard license without lines. */
	ck_assert_uint_eq(b.lic[2].form->nlines, 0);
	for (i = 0; i < b.n; i++) {
		report_init(&rep);
		rules_check(b.lic[i].form, app, &rep, &lic);
		license_free(lic);
		batch_report_form(&b, i, &rep);
		report_free(&rep);
	}
	batch_report_sort(&b.report);
	ck_assert_ptr_nonnull(has(&b, 3, "country_of_origin"));
	ck_assert_ptr_nonnull(has(&b, 5, "hts_code"));
	ck_assert_ptr_nonnull(has(&b, 5, "volume_kg"));
	ck_assert_ptr_nonnull(has(&b, 6, "hts_code"));
	ck_assert_ptr_null(has(&b, 2, "hts_code"));
	ck_assert_ptr_null(has(&b, 3, "hts_code"));
	ck_assert_ptr_null(has(&b, 4, "hts_code"));
	for (i = 1; i < b.report.nerrors; i++)
		ck_assert_uint_le(b.report.errors[i - 1].row,
		    b.report.errors[i].row);
	batch_free(&b);
	buf_free(&csv);
}
END_TEST

/* A misnamed column: reported at row 1, no license trusted. */
START_TEST(unknown_column)
{
	struct buf	 csv;
	struct batch	 b;

	buf_init(&csv, 1 << 20);
	buf_puts(&csv, "license_ref,product,importer,notes\r\nA,aluminum,"
	    "X,\r\nB,steel,Y,\r\n");
	ck_assert_msg(read_csv(&csv, &b) == 0, "%s", err);
	ck_assert_ptr_nonnull(has(&b, 1, "C"));
	ck_assert_ptr_nonnull(has(&b, 1, "D"));
	ck_assert_uint_eq(b.n, 2);
	ck_assert(b.lic[0].rejected && b.lic[1].rejected);
	batch_free(&b);
	buf_free(&csv);
}
END_TEST

/* LIM_SHEET_ROWS data rows read; one more is refused. */
START_TEST(row_limit)
{
	struct buf	 csv;
	struct batch	 b;
	size_t		 i;

	buf_init(&csv, 4 << 20);
	buf_puts(&csv, "license_ref,product\n");
	for (i = 0; i < LIM_SHEET_ROWS; i++)
		buf_printf(&csv, "R%zu,aluminum\n", i % 100);
	ck_assert_msg(read_csv(&csv, &b) == 0, "%s", err);
	ck_assert_uint_eq(b.rows, LIM_SHEET_ROWS);
	ck_assert_uint_eq(b.n, 100);
	batch_free(&b);
	buf_puts(&csv, "R1,aluminum\n");
	ck_assert_int_eq(read_csv(&csv, &b), -1);
	ck_assert_ptr_nonnull(strstr(err, "more than 20000 rows"));
	batch_free(&b);
	buf_free(&csv);
}
END_TEST

/* 999 lines fit a license; the rules refuse 1000, at its first row. */
START_TEST(lines_per_license)
{
	struct buf	 csv;
	struct batch	 b;
	struct report	 rep;
	struct license	*lic;
	size_t		 i;

	buf_init(&csv, 4 << 20);
	csv_names(&csv);
	for (i = 0; i < LIM_LINES + 2; i++)
		csv_row(&csv, "A", NULL, NULL);
	ck_assert_msg(read_csv(&csv, &b) == 0, "%s", err);
	ck_assert_uint_eq(b.lic[0].nrows, LIM_LINES + 2);
	ck_assert_uint_eq(b.lic[0].form->nlines, LIM_LINES + 1);
	report_init(&rep);
	ck_assert_uint_gt(rules_check(b.lic[0].form, date_from_ymd(2026, 1,
	    15), &rep, &lic), 0);
	batch_report_form(&b, 0, &rep);
	ck_assert_ptr_nonnull(has(&b, 2, "hts_code"));
	report_free(&rep);
	batch_free(&b);
	buf_free(&csv);
}
END_TEST

/*
 * The registry's batch call.
 */

static struct db	*db;
static char		 dir[TESTS_DIR_MAX];
static int64_t		 acct_id, unverified;
static int		 today;

static void
setup_db(void)
{
	db = tests_db_open(dir, 1);
	acct_id = tests_add_filer(db, "filer@example.com", 1);
	unverified = tests_add_filer(db, "new@example.com", 0);
	today = date_from_ymd(2026, 1, 15);
}

static void
teardown_db(void)
{
	tests_db_close(db, dir);
}

/* A batch from CSV rows (NULL-terminated "ref|set1|set2" specs). */
struct run {
	struct batch		 b;
	struct form		**forms;
	struct reg_result	*res;
	enum reg_err		 e;
};

static void
run(struct run *r, int64_t account, int accept, const char *const *spec)
{
	struct buf	 csv;
	struct actor	 a = { account, "filer@example.com", "web", 0 };
	char		 s[3][128], *p, *q;
	size_t		 i;
	int		 k;

	buf_init(&csv, 1 << 20);
	csv_names(&csv);
	for (i = 0; spec[i] != NULL; i++) {
		snprintf(s[0], sizeof(s[0]), "%s", spec[i]);
		p = s[0];
		s[1][0] = s[2][0] = '\0';
		for (k = 1; k < 3 && (q = strchr(p, '|')) != NULL; k++) {
			*q = '\0';
			snprintf(s[k], sizeof(s[k]), "%s", q + 1);
			p = s[k];
		}
		csv_row(&csv, s[0], s[1][0] ? s[1] : NULL, s[2][0] ? s[2] :
		    NULL);
	}
	ck_assert_msg(read_csv(&csv, &r->b) == 0, "%s", err);
	buf_free(&csv);
	ck_assert_ptr_nonnull(r->forms = calloc(r->b.n + 1,
	    sizeof(*r->forms)));
	ck_assert_ptr_nonnull(r->res = calloc(r->b.n + 1, sizeof(*r->res)));
	for (i = 0; i < r->b.n; i++) {
		reg_result_init(&r->res[i]);
		r->forms[i] = r->b.lic[i].rejected ? NULL : r->b.lic[i].form;
	}
	r->e = reg_submit_batch(db, &a, r->forms, r->b.n, accept, today,
	    r->res);
	for (i = 0; i < r->b.n; i++)
		batch_report_form(&r->b, i, &r->res[i].report);
	batch_report_sort(&r->b.report);
}

static void
run_free(struct run *r)
{
	size_t	 i;

	for (i = 0; i < r->b.n; i++)
		reg_result_free(&r->res[i]);
	free(r->res);
	free(r->forms);
	batch_free(&r->b);
}

START_TEST(db_all_valid)
{
	struct outbox_row	 ob = { 0 };
	struct run		 r;
	json_t			*j, *p;
	size_t			 i;

	/* Steel needs its melt and pour country, not aluminum's smelts. */
	static const char *const spec[] = {
		"A", "A|hts_code=7601203000",
		"C|customs_value_usd=25000|volume_kg=10", NULL,
	};

	run(&r, acct_id, 0, spec);
	ck_assert_msg(r.e == REG_OK, "%s", r.b.report.nerrors ?
	    r.b.report.errors[0].message : reg_strerror(r.e));
	ck_assert_uint_eq(r.b.report.nerrors, 0);
	for (i = 0; i < r.b.n; i++)
		ck_assert_uint_eq(strlen(r.res[i].number), LICNUM_LEN);
	ck_assert_str_ne(r.res[0].number, r.res[1].number);
	ck_assert_int_eq(r.res[0].status, STATUS_ISSUED);
	/* $2,500 per kg: Action Required. */
	ck_assert_int_eq(r.res[1].status, STATUS_ACTION_REQUIRED);
	ck_assert_uint_eq(tests_outbox_count(db, NULL, NULL), 1);
	ck_assert_uint_eq(tests_outbox_count(db, "batch_created", &ob), 1);
	ck_assert_uint_eq(tests_outbox_count(db, "license_created", NULL), 0);
	ck_assert_ptr_nonnull(p = json_loads(ob.params, 0, NULL));
	ck_assert_int_eq(json_integer_value(json_object_get(p, "count")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(p,
	    "action_required")), 1);
	/* The email does not list the numbers. */
	for (i = 0; i < r.b.n; i++)
		ck_assert_ptr_null(strstr(ob.params, r.res[i].number));
	json_decref(p);
	tests_outbox_row_clear(&ob);
	/* The JSON of aimctl and the API. */
	ck_assert_ptr_nonnull(j = reg_batch_json(&r.b, r.res));
	ck_assert_uint_eq(json_array_size(json_object_get(j, "licenses")), 2);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "errors")), 0);
	p = json_array_get(json_object_get(j, "licenses"), 1);
	ck_assert_str_eq(json_string_value(json_object_get(p, "license_ref")),
	    "C");
	ck_assert_str_eq(json_string_value(json_object_get(p,
	    "license_number")), r.res[1].number);
	ck_assert_str_eq(json_string_value(json_object_get(p, "status")),
	    "action_required");
	json_decref(j);
	run_free(&r);
}
END_TEST

static const char *const one_bad[] = {
	"A", "B|hts_code=7601109999", "C", "C|country_of_origin=Germany", NULL,
};

START_TEST(db_all_or_nothing)
{
	struct run	 r;
	json_t		*j, *l;
	long		 before = tests_count_rows(db);

	run(&r, acct_id, 0, one_bad);
	ck_assert_int_eq(r.e, REG_INVALID);
	ck_assert_int_eq(tests_count_rows(db), before);
	ck_assert_uint_eq(tests_outbox_count(db, NULL, NULL), 0);
	ck_assert_str_eq(r.res[0].number, "");
	ck_assert_str_eq(r.res[2].number, "");
	ck_assert_uint_gt(r.res[1].report.nerrors, 0);
	ck_assert_uint_eq(r.b.report.nerrors, 1);
	ck_assert_ptr_nonnull(has(&r.b, 3, "hts_code"));
	ck_assert_ptr_nonnull(j = reg_batch_json(&r.b, r.res));
	l = json_object_get(j, "licenses");
	ck_assert(json_is_null(json_object_get(json_array_get(l, 0),
	    "license_number")));
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(l,
	    0), "status")), "not_filed");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(l,
	    1), "status")), "rejected");
	l = json_array_get(json_object_get(j, "errors"), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(l, "row")), 3);
	ck_assert_str_eq(json_string_value(json_object_get(l, "field")),
	    "hts_code");
	json_decref(j);
	run_free(&r);
}
END_TEST

START_TEST(db_accept_valid)
{
	struct outbox_row	 ob = { 0 };
	struct run		 r;
	json_t			*p;

	run(&r, acct_id, 1, one_bad);
	ck_assert_int_eq(r.e, REG_OK);
	ck_assert_uint_eq(strlen(r.res[0].number), LICNUM_LEN);
	ck_assert_str_eq(r.res[1].number, "");
	ck_assert_uint_eq(strlen(r.res[2].number), LICNUM_LEN);
	ck_assert_uint_eq(tests_outbox_count(db, "batch_created", &ob), 1);
	ck_assert_uint_eq(tests_outbox_count(db, NULL, NULL), 1);
	ck_assert_ptr_nonnull(p = json_loads(ob.params, 0, NULL));
	ck_assert_int_eq(json_integer_value(json_object_get(p, "count")), 2);
	json_decref(p);
	tests_outbox_row_clear(&ob);
	/* The rejected row is still reported. */
	ck_assert_ptr_nonnull(has(&r.b, 3, "hts_code"));
	run_free(&r);
}
END_TEST

/* Rows rejected before the registry (a NULL form) count as invalid. */
START_TEST(db_rejected_rows)
{
	static const char *const spec[] = {
		"A", "B", "B|importer_name=Someone Else", NULL,
	};
	struct run	 r;
	long		 before = tests_count_rows(db);

	run(&r, acct_id, 0, spec);
	ck_assert_ptr_null(r.forms[1]);
	ck_assert_int_eq(r.e, REG_INVALID);
	ck_assert_int_eq(tests_count_rows(db), before);
	ck_assert_ptr_nonnull(has(&r.b, 4, "importer_name"));
	run_free(&r);
	run(&r, acct_id, 1, spec);
	ck_assert_int_eq(r.e, REG_OK);
	ck_assert_uint_eq(strlen(r.res[0].number), LICNUM_LEN);
	ck_assert_str_eq(r.res[1].number, "");
	ck_assert_uint_eq(tests_outbox_count(db, NULL, NULL), 1);
	run_free(&r);
}
END_TEST

START_TEST(db_none_valid)
{
	static const char *const spec[] = {
		"A|hts_code=7601109999", "B|country_of_origin=DE", NULL,
	};
	struct run	 r;
	long		 before = tests_count_rows(db);

	run(&r, acct_id, 1, spec);
	ck_assert_int_eq(r.e, REG_INVALID);
	ck_assert_int_eq(tests_count_rows(db), before);
	ck_assert_uint_eq(tests_outbox_count(db, NULL, NULL), 0);
	ck_assert_ptr_nonnull(has(&r.b, 3, "country_of_origin"));
	run_free(&r);
}
END_TEST

START_TEST(db_account_refused)
{
	static const char *const spec[] = { "A", NULL };
	struct run	 r;
	long		 before = tests_count_rows(db);

	run(&r, unverified, 0, spec);
	ck_assert_int_eq(r.e, REG_ACCOUNT);
	ck_assert_int_eq(tests_count_rows(db), before);
	ck_assert_str_eq(r.res[0].number, "");
	run_free(&r);
}
END_TEST

/* Fails each statement step in turn: nothing is ever left behind. */
START_TEST(db_atomic)
{
	static const char *const spec[] = {
		"A", "A|hts_code=7601203000", "B", "C", NULL,
	};
	struct run	 r;
	long		 before = tests_count_rows(db);
	size_t		 i;
	int		 k;

	for (k = 1; k < 400; k++) {
		db->fault_countdown = k;
		run(&r, acct_id, 0, spec);
		db->fault_countdown = 0;
		if (r.e == REG_OK)
			break;
		ck_assert_int_eq(r.e, REG_DB);
		ck_assert_msg(tests_count_rows(db) == before, "fault at step "
		    "%d left rows", k);
		for (i = 0; i < r.b.n; i++)
			ck_assert_str_eq(r.res[i].number, "");
		run_free(&r);
	}
	ck_assert_msg(k > 10 && k < 400, "the batch took %d steps", k);
	ck_assert_int_gt(tests_count_rows(db), before);
	ck_assert_uint_eq(tests_outbox_count(db, NULL, NULL), 1);
	run_free(&r);
}
END_TEST

/* A single submit still sends its own email. */
START_TEST(db_single_submit_unchanged)
{
	struct batch		 b;
	struct buf		 csv;
	struct reg_result	 res;
	struct actor		 a = { acct_id, "filer@example.com", "web",
				   0 };

	buf_init(&csv, 1 << 20);
	csv_names(&csv);
	csv_row(&csv, "A", NULL, NULL);
	ck_assert_msg(read_csv(&csv, &b) == 0, "%s", err);
	reg_result_init(&res);
	ck_assert_int_eq(reg_submit(db, &a, b.lic[0].form, today, &res),
	    REG_OK);
	ck_assert_uint_eq(tests_outbox_count(db, "license_created", NULL), 1);
	ck_assert_uint_eq(tests_outbox_count(db, "batch_created", NULL), 0);
	reg_result_free(&res);
	batch_free(&b);
	buf_free(&csv);
}
END_TEST

/*
 * The benchmark: a 10,000-line .xlsx (2,000 licenses of 5 lines, or
 * 10,000 of one), written by a child so its memory is not counted,
 * then read, validated and stored here.
 */
static double
cpu(const struct rusage *ru)
{
	return ru->ru_utime.tv_sec + ru->ru_stime.tv_sec +
	    (ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1e6;
}

static void
bench_write(const char *path, size_t licenses, size_t lines)
{
	lxw_workbook_options	 opt = { 1, dir, 0 };
	lxw_workbook		*wb;
	lxw_worksheet		*ws;
	lxw_format		*df;
	lxw_datetime		 exp = { 2026, 1, 20, 0, 0, 0 };
	lxw_datetime		 imp = { 2026, 2, 10, 0, 0, 0 };
	char			 ref[32];
	size_t			 i, k, row = 1;
	int			 c;

	wb = workbook_new_opt(path, &opt);
	ws = workbook_add_worksheet(wb, "Licenses");
	df = workbook_add_format(wb);
	format_set_num_format(df, "yyyy-mm-dd");
	for (c = 0; c < SHEET_COLS; c++)
		worksheet_write_string(ws, 0, c, sheet_col_name(c), NULL);
	for (i = 0; i < licenses; i++) {
		snprintf(ref, sizeof(ref), "PO-%06zu", i);
		for (k = 0; k < lines; k++, row++) {
			for (c = 0; c < SHEET_COLS; c++) {
				if (c == SHEET_COL_REF)
					worksheet_write_string(ws, row, c, ref,
					    NULL);
				else if (c == SHEET_COL_HF(
				    HF_EXPECTED_EXPORT_DATE))
					worksheet_write_datetime(ws, row, c,
					    &exp, df);
				else if (c == SHEET_COL_HF(
				    HF_EXPECTED_IMPORT_DATE))
					worksheet_write_datetime(ws, row, c,
					    &imp, df);
				else if (c == SHEET_COL_LF(
				    LF_CUSTOMS_VALUE_USD))
					worksheet_write_number(ws, row, c,
					    20000 + k * 100 + i % 7, NULL);
				else if (c == SHEET_COL_LF(LF_VOLUME_KG))
					worksheet_write_number(ws, row, c,
					    8000 + k * 10, NULL);
				else if (defaults[c][0] != '\0')
					worksheet_write_string(ws, row, c,
					    defaults[c], NULL);
			}
		}
	}
	workbook_close(wb);
}

START_TEST(bench_10k_lines)
{
	static const size_t shapes[][2] = { { 2000, 5 }, { 10000, 1 } };
	struct rusage	 ru0, ru;
	struct batch	 b;
	struct actor	 a = { acct_id, "filer@example.com", "web", 0 };
	struct reg_result *res;
	struct form	**forms;
	char		 path[128], *buf;
	size_t		 len, i, nl = 0, licenses, lines;
	double		 t0, t1, t2;
	FILE		*f;
	pid_t		 pid;
	int		 status;
	long		 sz;

	licenses = shapes[_i][0];
	lines = shapes[_i][1];
	snprintf(path, sizeof(path), "%s/bench.xlsx", dir);
	if ((pid = fork()) == 0) {
		bench_write(path, licenses, lines);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(f = fopen(path, "rb"));
	fseek(f, 0, SEEK_END);
	sz = ftell(f);
	rewind(f);
	ck_assert_ptr_nonnull(buf = malloc(sz));
	ck_assert_int_eq(fread(buf, 1, sz, f), sz);
	fclose(f);
	len = sz;
	getrusage(RUSAGE_SELF, &ru0);

	t0 = tests_now();
	batch_init(&b);
	ck_assert_msg(batch_read(buf, len, &b, err, sizeof(err)) == 0, "%s",
	    err);
	free(buf);
	t1 = tests_now();
	ck_assert_ptr_nonnull(res = calloc(b.n, sizeof(*res)));
	ck_assert_ptr_nonnull(forms = calloc(b.n, sizeof(*forms)));
	for (i = 0; i < b.n; i++) {
		reg_result_init(&res[i]);
		forms[i] = b.lic[i].form;
		nl += b.lic[i].form->nlines;
	}
	ck_assert_int_eq(reg_submit_batch(db, &a, forms, b.n, 0, today, res),
	    REG_OK);
	t2 = tests_now();
	getrusage(RUSAGE_SELF, &ru);
	ck_assert_uint_eq(nl, licenses * lines);
	for (i = 0; i < b.n; i++)
		ck_assert_uint_eq(strlen(res[i].number), LICNUM_LEN);
	/* CPU time too: the wall clock counts a busy machine's waits. */
	printf("bench: %zu lines in %zu licenses, %ld bytes of .xlsx: read "
	    "%.3f s, validated and stored %.3f s, total %.3f s = %.0f "
	    "lines/s (%.3f s CPU); peak RSS %ld KB (%ld KB before)\n", nl,
	    b.n, sz, t1 - t0, t2 - t1, t2 - t0, nl / (t2 - t0),
	    cpu(&ru) - cpu(&ru0), ru.ru_maxrss, ru0.ru_maxrss);
	for (i = 0; i < b.n; i++)
		reg_result_free(&res[i]);
	free(res);
	free(forms);
	batch_free(&b);
}
END_TEST


/*
 * Group commit (reg_submit_group): licenses of several filers in one
 * transaction, each in its own savepoint.
 */
#define GROUP_N	4

struct group {
	struct batch		 b;
	struct license		*lic[GROUP_N];
	struct reg_result	 res[GROUP_N];
	struct actor		 a[GROUP_N];
	struct reg_group_item	 it[GROUP_N];
};

/* GROUP_N checked licenses; item k files for the unverified account. */
static void
group_run(struct group *g, int unverified_item)
{
	static const char *const refs[GROUP_N] = { "A", "B", "C", "D" };
	struct buf	 csv;
	struct report	 rep;
	size_t		 i;

	memset(g, 0, sizeof(*g));
	buf_init(&csv, 1 << 20);
	csv_names(&csv);
	for (i = 0; i < GROUP_N; i++)
		csv_row(&csv, refs[i], NULL, NULL);
	ck_assert_msg(read_csv(&csv, &g->b) == 0, "%s", err);
	buf_free(&csv);
	ck_assert_uint_eq(g->b.n, GROUP_N);
	for (i = 0; i < GROUP_N; i++) {
		report_init(&rep);
		ck_assert_int_eq(rules_check(g->b.lic[i].form, today, &rep,
		    &g->lic[i]), 0);
		report_free(&rep);
		reg_result_init(&g->res[i]);
		g->a[i] = (struct actor){ (int)i == unverified_item ?
		    unverified : acct_id, "filer@example.com", "api", 0 };
		g->it[i] = (struct reg_group_item){ &g->a[i], g->lic[i],
		    today, &g->res[i], REG_DB };
	}
	reg_submit_group(db, g->it, GROUP_N);
}

static void
group_free(struct group *g)
{
	size_t	 i;

	for (i = 0; i < GROUP_N; i++) {
		license_free(g->lic[i]);
		reg_result_free(&g->res[i]);
	}
	batch_free(&g->b);
}

/* Whether a license with this number is stored. */
static int
stored(const char *number)
{
	struct reg_view	 v;
	int		 ok;

	memset(&v, 0, sizeof(v));
	ok = number[0] != '\0' && reg_show(db, NULL, number, &v) == REG_OK;
	reg_view_free(&v);
	return ok;
}

START_TEST(group_refusal_is_its_own)
{
	struct group	 g;
	long		 before = tests_count_rows(db);
	size_t		 i;

	group_run(&g, 1);
	for (i = 0; i < GROUP_N; i++) {
		if (i == 1) {
			ck_assert_int_eq(g.it[i].e, REG_ACCOUNT);
			ck_assert_str_eq(g.res[i].number, "");
			continue;
		}
		ck_assert_int_eq(g.it[i].e, REG_OK);
		ck_assert_uint_eq(strlen(g.res[i].number), LICNUM_LEN);
		ck_assert(stored(g.res[i].number));
	}
	ck_assert_str_ne(g.res[0].number, g.res[2].number);
	/* Each stored license has its own confirmation. */
	ck_assert_uint_eq(tests_outbox_count(db, "license_created", NULL),
	    GROUP_N - 1);
	ck_assert_int_gt(tests_count_rows(db), before);
	ck_assert_int_eq(db->wlocked, 0);
	group_free(&g);
}
END_TEST

/*
 * A failed statement at every step in turn: whatever each item was
 * told holds - REG_OK means stored with its email, anything else means
 * not stored - and the write lock is never left held.
 */
START_TEST(group_faults)
{
	struct group	 g;
	size_t		 i, ok, partial = 0;
	int		 k;

	/* The savepoint pass, which the flat one falls back to. */
	db->no_flat = 1;
	for (k = 1; k < 600; k++) {
		size_t	 mails = tests_outbox_count(db, "license_created",
		    NULL);

		db->fault_countdown = k;
		group_run(&g, -1);
		db->fault_countdown = 0;
		ck_assert_int_eq(db->wlocked, 0);
		for (ok = 0, i = 0; i < GROUP_N; i++) {
			if (g.it[i].e == REG_OK) {
				ck_assert_msg(stored(g.res[i].number),
				    "step %d: item %zu told stored", k, i);
				ok++;
			} else {
				ck_assert_int_eq(g.it[i].e, REG_DB);
				ck_assert_str_eq(g.res[i].number, "");
			}
		}
		ck_assert_uint_eq(tests_outbox_count(db, "license_created",
		    NULL), mails + ok);
		if (ok > 0 && ok < GROUP_N)
			partial++;
		group_free(&g);
		if (ok == GROUP_N)
			break;
	}
	db->no_flat = 0;
	ck_assert_msg(k > 20 && k < 600, "the group took %d steps", k);
	/* Some faults hit one item only, and the others were stored. */
	ck_assert_uint_gt(partial, 0);
}
END_TEST

/*
 * The first, flat pass: a failed statement anywhere in it, and the
 * group is done again with savepoints - where nothing fails now, so
 * every license is stored once, with its one email.
 */
START_TEST(group_flat_faults)
{
	struct group	 g;
	size_t		 i, mails, lics, ok, redone = 0;
	int		 k, fired;

	for (k = 1; k < 600; k++) {
		mails = tests_outbox_count(db, "license_created", NULL);
		lics = (size_t)tests_scalar(db, "SELECT count(*) FROM license");
		db->fault_countdown = k;
		group_run(&g, -1);
		fired = db->fault_countdown == 0;
		db->fault_countdown = 0;
		ck_assert_int_eq(db->wlocked, 0);
		ck_assert_int_eq(db->flat, 0);
		/* What each was told holds (a failed read before a license's
		 * writes drops that one only; BEGIN or COMMIT, all). */
		for (ok = 0, i = 0; i < GROUP_N; i++) {
			ck_assert_msg(stored(g.res[i].number) ==
			    (g.it[i].e == REG_OK), "step %d: item %zu told %d",
			    k, i, g.it[i].e);
			ok += g.it[i].e == REG_OK;
		}
		ck_assert_uint_eq(tests_outbox_count(db, "license_created",
		    NULL), mails + ok);
		ck_assert_uint_eq((size_t)tests_scalar(db,
		    "SELECT count(*) FROM license"), lics + ok);
		group_free(&g);
		/* Past the last step: the fault never fired. */
		if (!fired)
			break;
		/* A write failed in the flat pass, and the redo stored all. */
		redone += ok == GROUP_N;
	}
	ck_assert_msg(k > 20 && k < 600, "the group took %d steps", k);
	ck_assert_uint_gt(redone, 20);
}
END_TEST

Suite *
suite_batch(void)
{
	Suite	*s = suite_create("batch");
	TCase	*tc = tcase_create("rows");
	TCase	*td = tcase_create("registry");
	TCase	*tb;

	tcase_add_checked_fixture(tc, setup_tables, NULL);
	tcase_add_test(tc, csv_edge_cases);
	tcase_add_test(tc, csv_refused);
	tcase_add_test(tc, grouping);
	tcase_add_test(tc, header_disagreement);
	tcase_add_test(tc, error_mapping);
	tcase_add_test(tc, unknown_column);
	tcase_add_test(tc, row_limit);
	tcase_add_test(tc, lines_per_license);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(td, setup_db, teardown_db);
	tcase_set_timeout(td, 30);
	tcase_add_test(td, db_all_valid);
	tcase_add_test(td, db_all_or_nothing);
	tcase_add_test(td, db_accept_valid);
	tcase_add_test(td, db_rejected_rows);
	tcase_add_test(td, db_none_valid);
	tcase_add_test(td, db_account_refused);
	tcase_add_test(td, db_atomic);
	tcase_add_test(td, db_single_submit_unchanged);
	tcase_add_test(td, group_refusal_is_its_own);
	tcase_add_test(td, group_faults);
	tcase_add_test(td, group_flat_faults);
	suite_add_tcase(s, td);
	if (getenv("AIM_BENCH_SHEET") != NULL) {
		tb = tcase_create("bench");
		tcase_add_checked_fixture(tb, setup_db, teardown_db);
		tcase_set_timeout(tb, 120);
		tcase_add_loop_test(tb, bench_10k_lines, 0, 2);
		suite_add_tcase(s, tb);
	}
	return s;
}
