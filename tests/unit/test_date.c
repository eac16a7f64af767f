/*
 * Calendar dates: known day numbers, leap years, month lengths, both
 * typed formats, round trips over the whole accepted range, and input
 * that is not a date.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/date.h"
#include "tests.h"

/* The Gregorian rule, written out apart from lib/date.c. */
static int
is_leap(int y)
{
	if (y % 400 == 0)
		return 1;
	if (y % 100 == 0)
		return 0;
	return y % 4 == 0;
}

static int
mdays(int y, int m)
{
	static const int	 len[13] =
	    { 0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : len[m];
}

static int
parses(const char *s)
{
	int	 d = 12345;

	if (date_parse(s, &d) == 0)
		return 1;
	/* A refused input leaves the result alone. */
	ck_assert_int_eq(d, 12345);
	return 0;
}

static int
parsed(const char *s)
{
	int	 d;

	ck_assert_msg(date_parse(s, &d) == 0, "\"%s\" refused", s);
	return d;
}

/* Day numbers worked out from the epoch (and checked with GNU date). */
START_TEST(test_known)
{
	ck_assert_int_eq(date_from_ymd(1970, 1, 1), 0);
	ck_assert_int_eq(date_from_ymd(1970, 1, 2), 1);
	ck_assert_int_eq(date_from_ymd(1969, 12, 31), -1);
	ck_assert_int_eq(date_from_ymd(1900, 1, 1), -25567);
	ck_assert_int_eq(date_from_ymd(2000, 3, 1), 11017);
	ck_assert_int_eq(date_from_ymd(2022, 6, 28), 19171);
	ck_assert_int_eq(date_from_ymd(2024, 2, 29), 19782);
	ck_assert_int_eq(date_from_ymd(9999, 12, 31), 2932896);

	ck_assert_int_eq(parsed("1970-01-01"), 0);
	ck_assert_int_eq(parsed("2022-06-28"), 19171);
	ck_assert_int_eq(parsed("06/28/2022"), 19171);
	ck_assert_int_eq(parsed("1900-01-01"), -25567);
	ck_assert_int_eq(parsed("01/01/1900"), -25567);
	ck_assert_int_eq(parsed("9999-12-31"), 2932896);
	ck_assert_int_eq(parsed("12/31/9999"), 2932896);
}
END_TEST

START_TEST(test_leap_years)
{
	static const int	 leap[] = { 1904, 1996, 2000, 2004, 2024, 2400,
	    9996 };
	static const int	 common[] = { 1900, 1901, 1999, 2023, 2100, 2200,
	    2300, 2500, 9999 };
	char			 s[32];
	size_t			 i;

	for (i = 0; i < sizeof(leap) / sizeof(leap[0]); i++) {
		snprintf(s, sizeof(s), "%04d-02-29", leap[i]);
		ck_assert_msg(parses(s), "%s", s);
		snprintf(s, sizeof(s), "02/29/%04d", leap[i]);
		ck_assert_msg(parses(s), "%s", s);
		ck_assert_int_eq(date_from_ymd(leap[i], 3, 1) -
		    date_from_ymd(leap[i], 2, 28), 2);
		ck_assert_int_eq(date_from_ymd(leap[i] + 1, 1, 1) -
		    date_from_ymd(leap[i], 1, 1), 366);
	}
	for (i = 0; i < sizeof(common) / sizeof(common[0]); i++) {
		snprintf(s, sizeof(s), "%04d-02-29", common[i]);
		ck_assert_msg(!parses(s), "%s", s);
		snprintf(s, sizeof(s), "02/29/%04d", common[i]);
		ck_assert_msg(!parses(s), "%s", s);
		snprintf(s, sizeof(s), "%04d-02-28", common[i]);
		ck_assert_msg(parses(s), "%s", s);
		ck_assert_int_eq(date_from_ymd(common[i], 3, 1) -
		    date_from_ymd(common[i], 2, 28), 1);
	}
}
END_TEST

/* The last day of every month is a date and the day after it is not. */
START_TEST(test_month_lengths)
{
	static const int	 years[] = { 1900, 2000, 2023, 2024 };
	char			 s[32];
	size_t			 i;
	int			 m, n;

	for (i = 0; i < sizeof(years) / sizeof(years[0]); i++) {
		for (m = 1; m <= 12; m++) {
			n = mdays(years[i], m);
			snprintf(s, sizeof(s), "%04d-%02d-%02d", years[i], m, n);
			ck_assert_msg(parses(s), "%s", s);
			snprintf(s, sizeof(s), "%02d/%02d/%04d", m, n, years[i]);
			ck_assert_msg(parses(s), "%s", s);
			snprintf(s, sizeof(s), "%04d-%02d-%02d", years[i], m,
			    n + 1);
			ck_assert_msg(!parses(s), "%s", s);
			snprintf(s, sizeof(s), "%02d/%02d/%04d", m, n + 1,
			    years[i]);
			ck_assert_msg(!parses(s), "%s", s);
			snprintf(s, sizeof(s), "%04d-%02d-01", years[i], m);
			ck_assert_msg(parses(s), "%s", s);
			snprintf(s, sizeof(s), "%04d-%02d-00", years[i], m);
			ck_assert_msg(!parses(s), "%s", s);
		}
	}
	ck_assert(!parses("2023-04-31"));
	ck_assert(!parses("2023-06-31"));
	ck_assert(!parses("2023-09-31"));
	ck_assert(!parses("2023-11-31"));
	ck_assert(parses("2023-12-31"));
	ck_assert(!parses("2023-12-32"));
}
END_TEST

START_TEST(test_formats)
{
	/* MM/DD/YYYY: month first, as on the paper form. */
	ck_assert_int_eq(parsed("03/04/2024"), parsed("2024-03-04"));
	ck_assert_int_ne(parsed("03/04/2024"), parsed("2024-04-03"));
	ck_assert_int_eq(parsed("12/01/2024"), date_from_ymd(2024, 12, 1));
	/* 13 is no month, even where it could be a day. */
	ck_assert(!parses("13/01/2024"));
	ck_assert(parses("01/13/2024"));
}
END_TEST

/*
 * Every day from 1900-01-01 to 9999-12-31: consecutive day numbers
 * follow the calendar, format and parse undo each other, and the
 * other format gives the same day.  Plain tests in the loop: Check's
 * assertions mark each point and would take seconds over 3 million days.
 */
START_TEST(test_round_trip)
{
	char	 s[11], us[32];
	int	 y, m, d, yy, mm, dd, days, first, got;

	first = days = date_from_ymd(1900, 1, 1);
	for (y = 1900; y <= 9999; y++) {
		for (m = 1; m <= 12; m++) {
			for (d = 1; d <= mdays(y, m); d++, days++) {
				if (date_from_ymd(y, m, d) != days)
					ck_abort_msg("%d-%d-%d: %d, not %d", y,
					    m, d, date_from_ymd(y, m, d), days);
				date_to_ymd(days, &yy, &mm, &dd);
				if (yy != y || mm != m || dd != d)
					ck_abort_msg("%d: %d-%d-%d, not "
					    "%d-%d-%d", days, yy, mm, dd, y, m,
					    d);
				date_format(days, s);
				if (date_parse(s, &got) != 0 || got != days)
					ck_abort_msg("%d: \"%s\"", days, s);
				/* The other format on a sample of days. */
				if (days % 97 != 0)
					continue;
				snprintf(us, sizeof(us), "%.2s/%.2s/%.4s",
				    s + 5, s + 8, s);
				if (date_parse(us, &got) != 0 || got != days)
					ck_abort_msg("%d: \"%s\"", days, us);
			}
		}
	}
	/* 8100 years: 8100 * 365 + leap days (2025 - 81 + 20 = 1964). */
	ck_assert_int_eq(days - first, 8100 * 365 + 1964);
	ck_assert_int_eq(days - 1, 2932896);

	date_format(0, s);
	ck_assert_str_eq(s, "1970-01-01");
	date_format(19782, s);
	ck_assert_str_eq(s, "2024-02-29");
	date_format(-25567, s);
	ck_assert_str_eq(s, "1900-01-01");
	/* Formats before 1900 (zero-padded) but does not parse them. */
	date_format(-25568, s);
	ck_assert_str_eq(s, "1899-12-31");
	ck_assert(!parses(s));
	date_format(date_from_ymd(1, 1, 1), s);
	ck_assert_str_eq(s, "0001-01-01");
}
END_TEST

START_TEST(test_bad)
{
	static const char *const bad[] = {
		"",
		"2024",
		"2024-02",
		"2024-2-03",
		"2024-02-3",
		"2024-1-1",
		"2024-02-031",
		"2024-02-03 ",
		" 2024-02-03",
		"2024-02-03T00:00",
		"2024/02/03",
		"02-03-2024",
		"2024.02.03",
		"20240203",
		"2024-0a-03",
		"2024-02-0x",
		"2O24-02-03",		/* letter O */
		"2024-+2-03",
		"2024- 2-03",
		"-024-02-03",
		"2024--2-03",
		"0000-01-01",
		"1899-12-31",
		"12/31/1899",
		"10000-01-01",
		"2024-00-10",
		"2024-13-10",
		"2024-01-00",
		"2024-01-32",
		"00/10/2024",
		"13/10/2024",
		"01/00/2024",
		"01/32/2024",
		"2/3/2024",
		"02/03/24",
		"02/03-2024",		/* mixed separators */
		"02-03/2024",
		"02/03x2024",
		"2024-02/03",
		"2024/02-03",
		"2024x02-03",
		"02/03/02024",
		"02/03/2024\n",
		"02/3/2024 ",
		"\xef\xbc\x92" "024-02-03",	/* fullwidth 2 */
	};
	size_t	 i;
	int	 d;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!parses(bad[i]), "\"%s\" accepted", bad[i]);
	ck_assert_int_eq(date_parse(NULL, &d), -1);
}
END_TEST

START_TEST(test_today)
{
	time_t	 before, after;
	int	 t;

	before = time(NULL);
	t = date_today();
	after = time(NULL);
	ck_assert_int_ge(t, (int)(before / 86400));
	ck_assert_int_le(t, (int)(after / 86400));
	ck_assert_int_gt(t, date_from_ymd(2024, 1, 1));
}
END_TEST

Suite *
suite_date(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("date");
	tc = tcase_create("core");
	tcase_add_test(tc, test_known);
	tcase_add_test(tc, test_leap_years);
	tcase_add_test(tc, test_month_lengths);
	tcase_add_test(tc, test_formats);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_bad);
	tcase_add_test(tc, test_today);
	suite_add_tcase(s, tc);
	return s;
}
