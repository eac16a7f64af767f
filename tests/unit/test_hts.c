/*
 * HTS lookup: every row of the compiled-in aluminum table, the edges of
 * the Section 232 steel ranges, categories by heading, input format.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forms/hts.h"
#include "tests.h"

/* The same embedded data/aluminum-hts.csv the module reads. */
extern const char	 hts_aluminum_csv[];
extern const size_t	 hts_aluminum_csv_len;

static void
setup(void)
{
	char	 err[256];

	ck_assert_msg(hts_init(err, sizeof(err)) == 0, "%s", err);
}

/*
 * A reader of its own for the table's simple shape (one line per row,
 * group quoted only when it holds a comma, no doubled quotes), so the
 * module's CSV reading is checked against something independent.
 * Calls fn for each row; returns the number of rows.
 */
static size_t
each_row(void (*fn)(const char *code, const char *group, void *), void *arg)
{
	const char	*p = hts_aluminum_csv, *end, *g, *ge;
	char		 code[11], group[256];
	size_t		 n = 0;

	ck_assert_uint_eq(strlen(hts_aluminum_csv), hts_aluminum_csv_len);
	ck_assert(strncmp(p, "hts_code,product_group,description\n", 35) == 0);
	for (; *p != '\0'; p = end + 1) {
		end = strchr(p, '\n');
		ck_assert_ptr_nonnull(end);
		if (strncmp(p, "76", 2) != 0)
			continue;
		ck_assert_int_eq(p[10], ',');
		memcpy(code, p, 10);
		code[10] = '\0';
		g = p + 11;
		if (*g == '"')
			ge = strchr(++g, '"');
		else
			ge = strchr(g, ',');
		ck_assert_ptr_nonnull(ge);
		ck_assert(ge < end);
		ck_assert_uint_lt((size_t)(ge - g), sizeof(group));
		memcpy(group, g, ge - g);
		group[ge - g] = '\0';
		fn(code, group, arg);
		n++;
	}
	return n;
}

static void
check_row(const char *code, const char *group, void *arg)
{
	size_t		*k = arg;
	enum product	 p;
	const char	*g, *rc, *rg, *rd;
	char		 out[11], dotted[16];

	ck_assert_int_eq(hts_lookup(code, out, &p, &g), HTS_OK);
	ck_assert_str_eq(out, code);
	ck_assert_int_eq(p, PRODUCT_ALUMINUM);
	ck_assert_str_eq(g, group);

	/* The way codes are printed: 7601.10.3000. */
	snprintf(dotted, sizeof(dotted), "%.4s.%.2s.%.4s", code, code + 4,
	    code + 6);
	ck_assert_int_eq(hts_lookup(dotted, out, &p, &g), HTS_OK);
	ck_assert_str_eq(out, code);
	ck_assert_str_eq(g, group);

	/* Rows in table order through the accessor. */
	hts_aluminum_row(*k, &rc, &rg, &rd);
	ck_assert_str_eq(rc, code);
	ck_assert_str_eq(rg, group);
	ck_assert_ptr_eq(rg, g);
	ck_assert_ptr_nonnull(rd);
	ck_assert_uint_gt(strlen(rd), 0);
	(*k)++;
}

START_TEST(test_every_row)
{
	size_t	 k = 0, n;

	n = each_row(check_row, &k);
	ck_assert_uint_gt(n, 50);
	ck_assert_uint_eq(n, k);
	ck_assert_uint_eq(hts_aluminum_count(), n);
}
END_TEST

START_TEST(test_init_twice)
{
	char		 err[256];
	const char	*c1, *c2, *g1, *g2;
	size_t		 n;

	n = hts_aluminum_count();
	hts_aluminum_row(0, &c1, &g1, NULL);
	ck_assert_int_eq(hts_init(err, sizeof(err)), 0);
	ck_assert_int_eq(hts_init(NULL, 0), 0);
	ck_assert_uint_eq(hts_aluminum_count(), n);
	hts_aluminum_row(0, &c2, &g2, NULL);
	/* The same table, not a reloaded copy. */
	ck_assert_ptr_eq(c1, c2);
	ck_assert_ptr_eq(g1, g2);
}
END_TEST

START_TEST(test_aluminum_known)
{
	static const struct {
		const char	*code;
		const char	*group;
	} v[] = {
		{ "7601103000", "Unwrought Aluminum" },
		{ "7604101000", "Bars, Rods and Profiles - Non-Alloy" },
		{ "7604291010", "Bars, Rods and Solid Profiles - Alloyed" },
		{ "7606123045", "Can Stock" },
		{ "7606123035", "Sheet and Plate" },
		{ "7608100030", "Seamless Pipe and Tube" },
		{ "7608100090", "Non-Seamless Pipe and Tube" },
		{ "7609000000", "Tube and Pipe Fittings" },
		{ "7616995170", "Castings and Forgings" },
	};
	enum product	 p;
	const char	*g, *c, *d;
	char		 out[11];
	size_t		 i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		ck_assert_int_eq(hts_lookup(v[i].code, out, &p, &g), HTS_OK);
		ck_assert_int_eq(p, PRODUCT_ALUMINUM);
		ck_assert_str_eq(g, v[i].group);
	}
	/* A quoted description with commas and UTF-8 read whole. */
	hts_aluminum_row(0, &c, &g, &d);
	ck_assert_str_eq(c, "7601103000");
	ck_assert_str_eq(d, "Unwrought Al, not alloyed, uniform "
	    "cross-section \xe2\x89\xa4" "9.5 mm, in coils");
	/* Past the end. */
	hts_aluminum_row(hts_aluminum_count(), &c, &g, &d);
	ck_assert_ptr_null(c);
	ck_assert_ptr_null(g);
	ck_assert_ptr_null(d);
}
END_TEST

START_TEST(test_aluminum_not_covered)
{
	static const char *const v[] = {
		"7602000000",	/* waste and scrap */
		"7601103001",	/* one off a listed code */
		"7601102999",
		"7616995190",
		"7600000000",
		"7699999999",
	};
	enum product	 p;
	const char	*g;
	char		 out[11];
	size_t		 i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		g = "x";
		ck_assert_int_eq(hts_lookup(v[i], out, &p, &g),
		    HTS_NOT_COVERED);
		ck_assert_str_eq(out, v[i]);
		ck_assert_int_eq(p, PRODUCT_ALUMINUM);
		ck_assert_ptr_null(g);
	}
}
END_TEST

struct groups {
	char	 name[64][256];
	size_t	 n;
};

static void
collect_group(const char *code, const char *group, void *arg)
{
	struct groups	*gs = arg;
	size_t		 i;

	(void)code;
	for (i = 0; i < gs->n; i++)
		if (strcmp(gs->name[i], group) == 0)
			return;
	ck_assert_uint_lt(gs->n, 64);
	snprintf(gs->name[gs->n++], sizeof(gs->name[0]), "%s", group);
}

START_TEST(test_groups)
{
	static struct groups	 gs;
	static const char *const steel[] = {
		"Semi-finished", "Flat", "Long", "Stainless", "Pipe and Tube",
	};
	const char		*g;
	size_t			 i, j;

	gs.n = 0;
	each_row(collect_group, &gs);
	ck_assert_uint_eq(gs.n, 13);
	ck_assert_uint_eq(hts_group_count(PRODUCT_ALUMINUM), gs.n);
	for (i = 0; i < gs.n; i++)
		ck_assert_str_eq(hts_group_name(PRODUCT_ALUMINUM, i),
		    gs.name[i]);
	ck_assert_str_eq(hts_group_name(PRODUCT_ALUMINUM, 0),
	    "Unwrought Aluminum");
	ck_assert_ptr_null(hts_group_name(PRODUCT_ALUMINUM, gs.n));
	/* Every row's group is one of the listed strings, shared. */
	for (i = 0; i < hts_aluminum_count(); i++) {
		hts_aluminum_row(i, NULL, &g, NULL);
		for (j = 0; j < gs.n; j++)
			if (g == hts_group_name(PRODUCT_ALUMINUM, j))
				break;
		ck_assert_uint_lt(j, gs.n);
	}

	ck_assert_uint_eq(hts_group_count(PRODUCT_STEEL), 5);
	for (i = 0; i < 5; i++)
		ck_assert_str_eq(hts_group_name(PRODUCT_STEEL, i), steel[i]);
	ck_assert_ptr_null(hts_group_name(PRODUCT_STEEL, 5));
	ck_assert_uint_eq(hts_group_count(PRODUCT__MAX), 0);
	ck_assert_ptr_null(hts_group_name(PRODUCT__MAX, 0));
}
END_TEST

/* The edges of every Section 232 range, from both sides. */
START_TEST(test_steel_edges)
{
	static const struct {
		const char	*code;
		enum hts_err	 e;
		const char	*group;
	} v[] = {
		{ "7205.10.0000", HTS_NOT_COVERED, NULL },
		{ "7205.29.0000", HTS_NOT_COVERED, NULL },
		{ "7206.09.9999", HTS_NOT_COVERED, NULL },
		{ "7206.10.0000", HTS_OK, "Semi-finished" },
		{ "7216.50.0000", HTS_OK, "Long" },
		{ "7216.50.9999", HTS_OK, "Long" },
		{ "7216.51.0000", HTS_NOT_COVERED, NULL },
		{ "7216.61.0000", HTS_NOT_COVERED, NULL },
		{ "7216.91.0000", HTS_NOT_COVERED, NULL },
		{ "7216.98.9999", HTS_NOT_COVERED, NULL },
		{ "7216.99.0000", HTS_OK, "Long" },
		{ "7229.90.9000", HTS_OK, "Long" },
		{ "7301.10.0000", HTS_OK, "Long" },
		{ "7301.10.9999", HTS_OK, "Long" },
		{ "7301.11.0000", HTS_NOT_COVERED, NULL },
		{ "7301.20.1000", HTS_NOT_COVERED, NULL },
		{ "7302.09.0000", HTS_NOT_COVERED, NULL },
		{ "7302.10.1000", HTS_OK, "Long" },
		{ "7302.11.0000", HTS_NOT_COVERED, NULL },
		{ "7302.30.0000", HTS_NOT_COVERED, NULL },
		{ "7302.39.9999", HTS_NOT_COVERED, NULL },
		{ "7302.40.0000", HTS_OK, "Long" },
		{ "7302.90.0000", HTS_OK, "Long" },
		{ "7302.90.9999", HTS_OK, "Long" },
		{ "7302.91.0000", HTS_NOT_COVERED, NULL },
		{ "7303.00.0030", HTS_NOT_COVERED, NULL },
		{ "7304.09.9999", HTS_NOT_COVERED, NULL },
		{ "7304.10.1000", HTS_OK, "Pipe and Tube" },
		{ "7306.90.1000", HTS_OK, "Pipe and Tube" },
		{ "7306.90.9999", HTS_OK, "Pipe and Tube" },
		{ "7306.91.0000", HTS_NOT_COVERED, NULL },
		{ "7307.11.0000", HTS_NOT_COVERED, NULL },
		{ "7201.10.0000", HTS_NOT_COVERED, NULL },
		{ "7200.00.0000", HTS_NOT_COVERED, NULL },
		{ "7399.99.9999", HTS_NOT_COVERED, NULL },
	};
	enum product	 p;
	const char	*g;
	char		 out[11];
	size_t		 i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		g = "x";
		ck_assert_msg(hts_lookup(v[i].code, out, &p, &g) == v[i].e,
		    "%s", v[i].code);
		ck_assert_int_eq(p, PRODUCT_STEEL);
		if (v[i].group == NULL)
			ck_assert_ptr_null(g);
		else
			ck_assert_str_eq(g, v[i].group);
	}
}
END_TEST

START_TEST(test_steel_categories)
{
	static const struct {
		const char	*code;
		const char	*group;
	} v[] = {
		{ "7206100000", "Semi-finished" },
		{ "7207110000", "Semi-finished" },
		{ "7224100000", "Semi-finished" },
		{ "7208100000", "Flat" },
		{ "7210110000", "Flat" },
		{ "7212100000", "Flat" },
		{ "7225110000", "Flat" },
		{ "7226110000", "Flat" },
		{ "7213100000", "Long" },
		{ "7214100000", "Long" },
		{ "7217100000", "Long" },
		{ "7227100000", "Long" },
		{ "7228100000", "Long" },
		{ "7229200000", "Long" },
		{ "7301100000", "Long" },
		{ "7302100000", "Long" },
		{ "7218100000", "Stainless" },
		{ "7219110000", "Stainless" },
		{ "7223000000", "Stainless" },
		{ "7304110000", "Pipe and Tube" },
		{ "7305110000", "Pipe and Tube" },
		{ "7306110000", "Pipe and Tube" },
	};
	enum product	 p;
	const char	*g;
	char		 out[11];
	size_t		 i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		ck_assert_msg(hts_lookup(v[i].code, out, &p, &g) == HTS_OK,
		    "%s", v[i].code);
		ck_assert_str_eq(out, v[i].code);
		ck_assert_int_eq(p, PRODUCT_STEEL);
		ck_assert_str_eq(g, v[i].group);
	}
}
END_TEST

/* Category by heading, written out apart from the module's table. */
static const char *
expect_category(int head)
{
	if (head == 7206 || head == 7207 || head == 7224)
		return "Semi-finished";
	if ((head >= 7208 && head <= 7212) || head == 7225 || head == 7226)
		return "Flat";
	if ((head >= 7213 && head <= 7217) || (head >= 7227 && head <= 7229) ||
	    head == 7301 || head == 7302)
		return "Long";
	if (head >= 7218 && head <= 7223)
		return "Stainless";
	if (head >= 7304 && head <= 7306)
		return "Pipe and Tube";
	return NULL;
}

/* Every 6-digit subheading of chapters 72 and 73. */
START_TEST(test_steel_exhaustive)
{
	enum product	 p;
	const char	*g, *lo, *hi;
	char		 code[16], out[11];
	int		 sub, in, in_acc, covered = 0;
	size_t		 i;
	enum hts_err	 e;

	for (sub = 720000; sub <= 739999; sub++) {
		in = (sub >= 720610 && sub <= 721650) ||
		    (sub >= 721699 && sub <= 730110) || sub == 730210 ||
		    (sub >= 730240 && sub <= 730290) ||
		    (sub >= 730410 && sub <= 730690);
		snprintf(code, sizeof(code), "%06d0000", sub);
		in_acc = 0;
		for (i = 0; i < hts_steel_range_count(); i++) {
			hts_steel_range(i, &lo, &hi);
			if (strncmp(code, lo, 6) >= 0 &&
			    strncmp(code, hi, 6) <= 0)
				in_acc = 1;
		}
		ck_assert_int_eq(in, in_acc);
		e = hts_lookup(code, out, &p, &g);
		ck_assert_int_eq(p, PRODUCT_STEEL);
		/* 7230-7300 fall inside 7216.99-7301.10 by number but are
		 * no heading of the tariff: they have no category. */
		if (in && sub / 100 >= 7230 && sub / 100 <= 7300)
			ck_assert_ptr_null(expect_category(sub / 100));
		else if (in)
			ck_assert_ptr_nonnull(expect_category(sub / 100));
		if (in && expect_category(sub / 100) != NULL) {
			covered++;
			ck_assert_msg(e == HTS_OK, "%s", code);
			ck_assert_str_eq(g, expect_category(sub / 100));
		} else {
			ck_assert_msg(e == HTS_NOT_COVERED, "%s", code);
			ck_assert_ptr_null(g);
		}
	}
	/*
	 * Subheadings: 7206.10-7216.50 is 1041; 7216.99-7301.10 is 8412 by
	 * number, of which 7216.99, 7217-7229 (1300) and 7301.00-7301.10
	 * (11) are real headings: 1312; then 1 + 51 + 281.
	 */
	ck_assert_int_eq(covered, 1041 + 1312 + 1 + 51 + 281);
}
END_TEST

START_TEST(test_steel_ranges)
{
	const char	*lo, *hi;

	ck_assert_uint_eq(hts_steel_range_count(), 5);
	hts_steel_range(0, &lo, &hi);
	ck_assert_str_eq(lo, "720610");
	ck_assert_str_eq(hi, "721650");
	hts_steel_range(2, &lo, &hi);
	ck_assert_str_eq(lo, "730210");
	ck_assert_str_eq(hi, "730210");
	hts_steel_range(4, &lo, &hi);
	ck_assert_str_eq(lo, "730410");
	ck_assert_str_eq(hi, "730690");
	hts_steel_range(5, &lo, &hi);
	ck_assert_ptr_null(lo);
	ck_assert_ptr_null(hi);
}
END_TEST

START_TEST(test_format)
{
	static const char *const bad[] = {
		"",
		"760110300",		/* 9 digits */
		"76011030001",		/* 11 digits */
		"7601.10.300",
		"7601.10.30001",
		"7601A03000",
		"760110300O",		/* letter O for zero */
		"7601-10-3000",		/* only dots and spaces go */
		"7601\t103000",
		"7601103000\n",
		"+7601103000",
		"-760110300",
		"7601,103000",
		"\xef\xbc\x97" "601103000",	/* fullwidth 7 */
		". . .",
	};
	enum product	 p;
	const char	*g;
	char		 out[11], big[1200];
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(out, "junk", 5);
		ck_assert_msg(hts_lookup(bad[i], out, &p, &g) == HTS_FORMAT,
		    "\"%s\"", bad[i]);
		ck_assert_str_eq(out, "");
		ck_assert_int_eq(p, PRODUCT__MAX);
		ck_assert_ptr_null(g);
	}
	ck_assert_int_eq(hts_lookup(NULL, out, &p, &g), HTS_FORMAT);

	ck_assert_int_eq(hts_lookup("7601.10.3000", out, &p, &g), HTS_OK);
	ck_assert_str_eq(out, "7601103000");
	ck_assert_int_eq(hts_lookup(" 7601 10 3000 ", out, &p, &g), HTS_OK);
	ck_assert_str_eq(out, "7601103000");
	ck_assert_int_eq(hts_lookup("7601..103.000.", out, NULL, NULL),
	    HTS_OK);
	ck_assert_str_eq(out, "7601103000");

	/* Padding past any field's length is refused, not scanned on. */
	memset(big, ' ', sizeof(big));
	memcpy(big + sizeof(big) - 11, "7601103000", 11);
	ck_assert_int_eq(hts_lookup(big, out, &p, &g), HTS_FORMAT);
	ck_assert_int_eq(hts_lookup(big + sizeof(big) - 100, out, &p, &g),
	    HTS_OK);
}
END_TEST

START_TEST(test_not_metal)
{
	static const char *const v[] = {
		"7403110000",		/* copper cathodes */
		"7400000000",
		"7499999999",
		"7199999999",
		"7108120000",		/* gold */
		"7700000000",
		"7500000000",
		"0000000000",
		"9999999999",
		"2606000030",		/* aluminum ore is not chapter 76 */
	};
	enum product	 p;
	const char	*g;
	char		 out[11];
	size_t		 i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		ck_assert_msg(hts_lookup(v[i], out, &p, &g) == HTS_NOT_METAL,
		    "%s", v[i]);
		ck_assert_str_eq(out, v[i]);
		ck_assert_int_eq(p, PRODUCT__MAX);
		ck_assert_ptr_null(g);
	}
}
END_TEST

/* Every heading: never HTS_OTHER_PRODUCT (that is for callers), and
 * the product follows the chapter. */
START_TEST(test_every_heading)
{
	enum product	 p;
	const char	*g;
	char		 code[16], out[11];
	int		 head, ch;
	enum hts_err	 e;

	for (head = 0; head <= 9999; head++) {
		snprintf(code, sizeof(code), "%04d100000", head);
		e = hts_lookup(code, out, &p, &g);
		ck_assert_int_ne(e, HTS_OTHER_PRODUCT);
		ck_assert_int_ne(e, HTS_FORMAT);
		ch = head / 100;
		if (ch == 72 || ch == 73)
			ck_assert_int_eq(p, PRODUCT_STEEL);
		else if (ch == 76)
			ck_assert_int_eq(p, PRODUCT_ALUMINUM);
		else
			ck_assert_int_eq(e, HTS_NOT_METAL);
	}
}
END_TEST

Suite *
suite_hts(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("hts");
	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_every_row);
	tcase_add_test(tc, test_init_twice);
	tcase_add_test(tc, test_aluminum_known);
	tcase_add_test(tc, test_aluminum_not_covered);
	tcase_add_test(tc, test_groups);
	tcase_add_test(tc, test_steel_edges);
	tcase_add_test(tc, test_steel_categories);
	tcase_add_test(tc, test_steel_exhaustive);
	tcase_add_test(tc, test_steel_ranges);
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_not_metal);
	tcase_add_test(tc, test_every_heading);
	suite_add_tcase(s, tc);
	return s;
}
