/*
 * forms/csv.c: RFC 4180 records, line numbers, limits and errors.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "forms/csv.h"
#include "lib/limits.h"
#include "tests.h"

static struct csv	 c;

static void
start(const char *s, size_t field_max)
{
	csv_init(&c, s, strlen(s), field_max);
}

static void
done(void)
{
	csv_free(&c);
}

/* The input must have no record left; then done. */
static void
done_at_eof(void)
{
	ck_assert_int_eq(csv_next(&c), CSV_EOF);
	done();
}

/* Reads one record that must have the given fields. */
static void
expect(size_t line, size_t n, ...)
{
	va_list		 ap;
	enum csv_err	 e;
	size_t		 i;

	e = csv_next(&c);
	ck_assert_msg(e == CSV_OK, "csv_next: %s", csv_strerror(e));
	ck_assert_uint_eq(c.line, line);
	ck_assert_uint_eq(c.nfields, n);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		ck_assert_str_eq(c.fields[i], va_arg(ap, const char *));
	va_end(ap);
}

START_TEST(test_simple)
{
	start("a,b,c\n1,2,3\n", 100);
	expect(1, 3, "a", "b", "c");
	expect(2, 3, "1", "2", "3");
	ck_assert_int_eq(csv_next(&c), CSV_EOF);
	done_at_eof();
}
END_TEST

START_TEST(test_empty_input)
{
	start("", 100);
	done_at_eof();
	start("\xef\xbb\xbf", 100);
	done_at_eof();
	csv_init(&c, NULL, 0, 100);
	done_at_eof();
}
END_TEST

START_TEST(test_quotes)
{
	start("\"a \"\"q\"\" b\",c,\"\",\"x,y\"\n", 100);
	expect(1, 4, "a \"q\" b", "c", "", "x,y");
	done_at_eof();
	/* Only quotes, doubled: one quote character. */
	start("\"\"\"\"", 100);
	expect(1, 1, "\"");
	done();
	/* A bare quote inside an unquoted field is text. */
	start("ab\"c,d", 100);
	expect(1, 2, "ab\"c", "d");
	done();
}
END_TEST

START_TEST(test_embedded_newlines)
{
	start("\"x\ny\",z\nnext\n\"p\r\nq\",\"r\rs\"\r\nlast", 100);
	expect(1, 2, "x\ny", "z");
	expect(3, 1, "next");
	expect(4, 2, "p\r\nq", "r\rs");
	expect(7, 1, "last");
	done_at_eof();
	/* A CR closing a quoted field and the LF after it: two breaks. */
	start("\"a\r\"\nb", 100);
	expect(1, 1, "a\r");
	expect(3, 1, "b");
	done();
}
END_TEST

START_TEST(test_line_endings)
{
	start("a,b\r\nc,d\r\n", 100);
	expect(1, 2, "a", "b");
	expect(2, 2, "c", "d");
	done_at_eof();
	start("a\rb\r\"c\"\r", 100);
	expect(1, 1, "a");
	expect(2, 1, "b");
	expect(3, 1, "c");
	done_at_eof();
}
END_TEST

START_TEST(test_bom)
{
	start("\xef\xbb\xbfname,x\n", 100);
	expect(1, 2, "name", "x");
	done();
	/* A BOM anywhere but the start is data. */
	start("a\n\xef\xbb\xbf" "b\n", 100);
	expect(1, 1, "a");
	expect(2, 1, "\xef\xbb\xbf" "b");
	done();
}
END_TEST

START_TEST(test_empty_fields)
{
	start(",,\na,,b\na,b,\n", 100);
	expect(1, 3, "", "", "");
	expect(2, 3, "a", "", "b");
	expect(3, 3, "a", "b", "");
	done_at_eof();
	/* Trailing empty field with no newline after it. */
	start("a,b,", 100);
	expect(1, 3, "a", "b", "");
	done_at_eof();
}
END_TEST

START_TEST(test_blank_lines)
{
	start("a\n\nb\n\r\n\n", 100);
	expect(1, 1, "a");
	expect(2, 1, "");
	expect(3, 1, "b");
	expect(4, 1, "");
	expect(5, 1, "");
	done_at_eof();
}
END_TEST

START_TEST(test_no_final_newline)
{
	start("a,b\nc,\"d\"", 100);
	expect(1, 2, "a", "b");
	expect(2, 2, "c", "d");
	done_at_eof();
}
END_TEST

START_TEST(test_unterminated_quote)
{
	/* Closed after two line breaks: fine, and counted. */
	start("a\n\"x\ny\n\",c\nd", 100);
	expect(1, 1, "a");
	expect(2, 2, "x\ny\n", "c");
	expect(5, 1, "d");
	done();

	start("a\nb,\"open\nmore\n", 100);
	expect(1, 1, "a");
	ck_assert_int_eq(csv_next(&c), CSV_QUOTE);
	ck_assert_uint_eq(c.line, 2);
	ck_assert_uint_eq(c.nfields, 0);
	/* No resynchronising after a broken quote. */
	done_at_eof();
}
END_TEST

START_TEST(test_junk_after_quote)
{
	start("ok\n\n\"a\"b,c\n", 100);
	expect(1, 1, "ok");
	expect(2, 1, "");
	ck_assert_int_eq(csv_next(&c), CSV_QUOTE);
	ck_assert_uint_eq(c.line, 3);
	done();
	start("\"a\" ,b", 100);
	ck_assert_int_eq(csv_next(&c), CSV_QUOTE);
	done();
	/* Each close followed by a delimiter or the end is fine. */
	start("\"a\",\"b\"\r\n\"c\"\r\"d\"", 100);
	expect(1, 2, "a", "b");
	expect(2, 1, "c");
	expect(3, 1, "d");
	done();
}
END_TEST

static char *
fields_line(size_t n)
{
	char	*s;
	size_t	 i;

	s = malloc(n * 2 + 1);
	ck_assert_ptr_nonnull(s);
	for (i = 0; i < n; i++) {
		s[i * 2] = 'x';
		s[i * 2 + 1] = i + 1 < n ? ',' : '\n';
	}
	s[n * 2] = '\0';
	return s;
}

START_TEST(test_too_many_fields)
{
	char	*s, commas[LIM_CSV_FIELDS];

	s = fields_line(LIM_CSV_FIELDS);
	start(s, 100);
	ck_assert_int_eq(csv_next(&c), CSV_OK);
	ck_assert_uint_eq(c.nfields, LIM_CSV_FIELDS);
	ck_assert_str_eq(c.fields[LIM_CSV_FIELDS - 1], "x");
	done();
	free(s);

	s = fields_line(LIM_CSV_FIELDS + 1);
	start(s, 100);
	ck_assert_int_eq(csv_next(&c), CSV_TOO_MANY_FIELDS);
	ck_assert_uint_eq(c.nfields, 0);
	done_at_eof();
	free(s);

	/* 64 empty fields are fine; one more comma is not. */
	memset(commas, ',', sizeof(commas));
	csv_init(&c, commas, LIM_CSV_FIELDS - 1, 100);
	ck_assert_int_eq(csv_next(&c), CSV_OK);
	ck_assert_uint_eq(c.nfields, LIM_CSV_FIELDS);
	ck_assert_str_eq(c.fields[LIM_CSV_FIELDS - 1], "");
	done();
	csv_init(&c, commas, LIM_CSV_FIELDS, 100);
	ck_assert_int_eq(csv_next(&c), CSV_TOO_MANY_FIELDS);
	done();
}
END_TEST

START_TEST(test_too_long)
{
	start("abcde,x\n", 5);
	expect(1, 2, "abcde", "x");
	done();
	start("x,abcdef\n", 5);
	ck_assert_int_eq(csv_next(&c), CSV_FIELD_TOO_LONG);
	ck_assert_uint_eq(c.line, 1);
	done();
	/* Quotes around a field do not count; a doubled quote counts 1. */
	start("\"abcde\",\"ab\"\"cd\"\n", 5);
	expect(1, 2, "abcde", "ab\"cd");
	done();
	start("\"abc\"\"cd\"\n", 5);
	ck_assert_int_eq(csv_next(&c), CSV_FIELD_TOO_LONG);
	done();
	start("\"abcdef\"\n", 5);
	ck_assert_int_eq(csv_next(&c), CSV_FIELD_TOO_LONG);
	done();
	start("a,,b", 0);
	ck_assert_int_eq(csv_next(&c), CSV_FIELD_TOO_LONG);
	done();
	start(",,", 0);
	expect(1, 3, "", "", "");
	done();
}
END_TEST

/* Large hostile inputs finish in time proportional to their size. */
START_TEST(test_linear)
{
	size_t	 n = 8 * 1024 * 1024, recs, bad;
	char	*s;
	double	 t;

	s = malloc(n + 1);
	ck_assert_ptr_nonnull(s);
	t = tests_now();

	/* A sea of quotes: one endless quoted field. */
	memset(s, '"', n);
	s[n] = '\0';
	csv_init(&c, s, n, LIM_FIELD_BYTES);
	ck_assert_int_eq(csv_next(&c), CSV_FIELD_TOO_LONG);
	done();

	/* One quote never closed, the field limit past the input. */
	memset(s, 'a', n);
	s[0] = '"';
	csv_init(&c, s, n, n);
	ck_assert_int_eq(csv_next(&c), CSV_QUOTE);
	done();

	/* Commas: stops at the field limit of the first record. */
	memset(s, ',', n);
	csv_init(&c, s, n, LIM_FIELD_BYTES);
	ck_assert_int_eq(csv_next(&c), CSV_TOO_MANY_FIELDS);
	done();

	/* Blank lines: every one a record, line numbers kept. */
	memset(s, '\n', 1024 * 1024);
	csv_init(&c, s, 1024 * 1024, LIM_FIELD_BYTES);
	/* (No assertion per record: each one costs Check a write.) */
	for (recs = 0, bad = 0; csv_next(&c) == CSV_OK; recs++)
		bad += c.line != recs + 1;
	ck_assert_uint_eq(recs, 1024 * 1024);
	ck_assert_uint_eq(bad, 0);
	done();

	free(s);
	ck_assert_msg(tests_now() - t < 2.0 * tests_time_scale(), "took %.2f s",
	    tests_now() - t);
}
END_TEST

START_TEST(test_strerror)
{
	int	 i, j;

	for (i = 0; i < CSV__MAX; i++) {
		ck_assert_ptr_nonnull(csv_strerror(i));
		ck_assert_uint_gt(strlen(csv_strerror(i)), 0);
		for (j = 0; j < i; j++)
			ck_assert_str_ne(csv_strerror(i), csv_strerror(j));
	}
	ck_assert_ptr_nonnull(csv_strerror(CSV__MAX));
	ck_assert_ptr_nonnull(strstr(csv_strerror(CSV_TOO_MANY_FIELDS), "64"));
}
END_TEST

/* Fields belong to the reader: freed by the next record and csv_free. */
START_TEST(test_ownership)
{
	start("a,b\nc\n", 10);
	expect(1, 2, "a", "b");
	expect(2, 1, "c");
	ck_assert_ptr_null(c.fields[1]);
	csv_free(&c);
	ck_assert_uint_eq(c.nfields, 0);
	ck_assert_ptr_null(c.fields[0]);
	csv_free(&c);
}
END_TEST

Suite *
suite_csv(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("csv");
	tc = tcase_create("csv");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_simple);
	tcase_add_test(tc, test_empty_input);
	tcase_add_test(tc, test_quotes);
	tcase_add_test(tc, test_embedded_newlines);
	tcase_add_test(tc, test_line_endings);
	tcase_add_test(tc, test_bom);
	tcase_add_test(tc, test_empty_fields);
	tcase_add_test(tc, test_blank_lines);
	tcase_add_test(tc, test_no_final_newline);
	tcase_add_test(tc, test_unterminated_quote);
	tcase_add_test(tc, test_junk_after_quote);
	tcase_add_test(tc, test_too_many_fields);
	tcase_add_test(tc, test_too_long);
	tcase_add_test(tc, test_linear);
	tcase_add_test(tc, test_strerror);
	tcase_add_test(tc, test_ownership);
	suite_add_tcase(s, tc);
	return s;
}
