/*
 * The gateway worker <-> writer messages (gateway/wire.c): a license
 * and its answer come back as sent, and a damaged message is refused
 * whole, never half-read.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/limits.h"
#include "gateway/wire.h"
#include "tests.h"

static struct license *
sample(size_t nlines)
{
	struct license	*l = calloc(1, sizeof(*l));
	size_t		 i;

	ck_assert_ptr_nonnull(l);
	l->product = PRODUCT_STEEL;
	l->ltype = LTYPE_LOW_VALUE;
	l->entry = ENTRY_FTZ;
	l->importer_name = strdup("Zürich Stahl AG");
	l->exporter_name = strdup("Exporter");
	l->manufacturer_name = strdup("Maker");
	l->country_of_origin = strdup("Switzerland");
	l->country_of_exportation = strdup("Germany");
	l->export_date = 20400;
	l->import_date = 20420;
	l->port_of_entry = strdup("Chicago, IL");
	l->customs_entry_number = NULL;
	l->application_date = 20390;
	l->nlines = nlines;
	l->lines = calloc(nlines, sizeof(*l->lines));
	for (i = 0; i < nlines; i++) {
		snprintf(l->lines[i].hts_code, sizeof(l->lines[i].hts_code),
		    "72085%05zu", i);
		snprintf(l->lines[i].product_group,
		    sizeof(l->lines[i].product_group), "Flat");
		l->lines[i].value_cents = 123456789 + (int64_t)i;
		l->lines[i].grams = 987654321;
		l->lines[i].usd_per_kg = 1.25 + (double)i;
		l->lines[i].melt_and_pour = strdup("Germany");
	}
	return l;
}

START_TEST(submit_round_trip)
{
	struct actor		 a = { 42, "filer@example.com", "api", 0 };
	struct license		*l = sample(3);
	struct wire_submit	 w;
	struct buf		 b;
	size_t			 i;

	buf_init(&b, LIM_WIRE_BYTES);
	ck_assert_int_eq(wire_put_submit(&b, &a, l, 20390), 0);
	ck_assert_int_eq(wire_get_submit(b.p, b.len, &w), 0);
	ck_assert_int_eq(w.actor.account_id, 42);
	ck_assert_str_eq(w.actor.who, "filer@example.com");
	ck_assert_str_eq(w.actor.channel, "api");
	ck_assert_int_eq(w.app, 20390);
	ck_assert_int_eq(w.lic->product, PRODUCT_STEEL);
	ck_assert_int_eq(w.lic->ltype, LTYPE_LOW_VALUE);
	ck_assert_int_eq(w.lic->entry, ENTRY_FTZ);
	ck_assert_str_eq(w.lic->importer_name, "Zürich Stahl AG");
	ck_assert_ptr_null(w.lic->customs_entry_number);
	ck_assert_int_eq(w.lic->import_date, 20420);
	ck_assert_uint_eq(w.lic->nlines, 3);
	for (i = 0; i < 3; i++) {
		ck_assert_str_eq(w.lic->lines[i].hts_code,
		    l->lines[i].hts_code);
		ck_assert_int_eq(w.lic->lines[i].value_cents,
		    l->lines[i].value_cents);
		ck_assert(w.lic->lines[i].usd_per_kg ==
		    l->lines[i].usd_per_kg);
		ck_assert_ptr_null(w.lic->lines[i].largest_smelt);
		ck_assert_str_eq(w.lic->lines[i].melt_and_pour, "Germany");
	}
	wire_submit_free(&w);
	license_free(l);
	buf_free(&b);
}
END_TEST

/* Every truncation, and every byte flipped, is refused or read whole:
 * never a crash, never a leak (ASan runs this too). */
START_TEST(submit_damaged)
{
	struct actor		 a = { 7, "x@example.com", "web", 0 };
	struct license		*l = sample(2);
	struct wire_submit	 w;
	struct buf		 b;
	char			*p;
	size_t			 n, k;

	buf_init(&b, LIM_WIRE_BYTES);
	ck_assert_int_eq(wire_put_submit(&b, &a, l, 1), 0);
	for (n = 0; n < b.len; n++)
		ck_assert_int_eq(wire_get_submit(b.p, n, &w), -1);
	ck_assert_ptr_nonnull(p = malloc(b.len));
	for (k = 0; k < b.len; k++) {
		memcpy(p, b.p, b.len);
		p[k] ^= 0x80;
		if (wire_get_submit(p, b.len, &w) == 0)
			wire_submit_free(&w);
	}
	free(p);
	wire_submit_free(&w);
	license_free(l);
	buf_free(&b);
}
END_TEST

START_TEST(result_round_trip)
{
	struct reg_result	 r, back;
	struct buf		 b;
	enum reg_err		 e;

	reg_result_init(&r);
	reg_result_init(&back);
	snprintf(r.number, sizeof(r.number), "ABCDEFGH0");
	r.status = STATUS_ACTION_REQUIRED;
	r.version = 1;
	snprintf(r.valid_from, sizeof(r.valid_from), "2026-11-28");
	report_flag(&r.report, 1, "customs_value_usd", "unusual: %d", 5);
	report_flag(&r.report, 0, "country_of_origin", "rare origin");
	buf_init(&b, LIM_WIRE_BYTES);
	ck_assert_int_eq(wire_put_result(&b, REG_OK, &r), 0);
	ck_assert_int_eq(wire_get_result(b.p, b.len, &e, &back), 0);
	ck_assert_int_eq(e, REG_OK);
	ck_assert_str_eq(back.number, "ABCDEFGH0");
	ck_assert_int_eq(back.status, STATUS_ACTION_REQUIRED);
	ck_assert_str_eq(back.valid_from, "2026-11-28");
	ck_assert_str_eq(back.valid_through, "");
	ck_assert_uint_eq(back.report.nflags, 2);
	ck_assert_str_eq(back.report.flags[0].field,
	    "lines[1].customs_value_usd");
	ck_assert_str_eq(back.report.flags[0].message, "unusual: 5");
	reg_result_free(&back);
	reg_result_init(&back);
	/* A number too long for its field is refused. */
	b.p[8 + 8 + 0] = 60;
	ck_assert_int_eq(wire_get_result(b.p, b.len, &e, &back), -1);
	reg_result_free(&back);
	reg_result_free(&r);
	buf_free(&b);
}
END_TEST

Suite *
suite_wire(void)
{
	Suite	*s = suite_create("wire");
	TCase	*tc = tcase_create("wire");

	tcase_add_test(tc, submit_round_trip);
	tcase_add_test(tc, submit_damaged);
	tcase_add_test(tc, result_round_trip);
	suite_add_tcase(s, tc);
	return s;
}
