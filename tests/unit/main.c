/*
 * Runs every unit suite.  Check prints "NN%: Checks: N, Failures: N,
 * Errors: N" and the exit status says whether all passed.
 */
#include <stdlib.h>

#include "forms/rules.h"
#include "xml/xmlform.h"
#include "tests.h"

void
tests_init_tables(void)
{
	char	 err[256];

	ck_assert_msg(rules_init(err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(xmlform_init(err, sizeof(err)) == 0, "%s", err);
}

double
tests_time_scale(void)
{
	const char	*v = getenv("AIM_TEST_TIME_SCALE");
	char		*end;
	double		 d;

	if (v == NULL || *v == '\0')
		return 1;
	d = strtod(v, &end);
	return *end == '\0' && d >= 1 && d <= 1000 ? d : 1;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(suite_date());
	srunner_add_suite(sr, suite_licnum());
	srunner_add_suite(sr, suite_country());
	srunner_add_suite(sr, suite_hts());
	srunner_add_suite(sr, suite_rules());
	srunner_add_suite(sr, suite_flags());
	srunner_add_suite(sr, suite_jsonform());
	srunner_add_suite(sr, suite_xmlform());
	srunner_add_suite(sr, suite_csv());
	srunner_add_suite(sr, suite_account());
	srunner_add_suite(sr, suite_registry());
	srunner_add_suite(sr, suite_web_db());
	srunner_add_suite(sr, suite_urlform());
	srunner_add_suite(sr, suite_pdfread());
	srunner_add_suite(sr, suite_pdflite());
	srunner_add_suite(sr, suite_pdfform());
	srunner_add_suite(sr, suite_xlsxread());
	srunner_add_suite(sr, suite_batch());
	srunner_add_suite(sr, suite_mailstore());
	srunner_add_suite(sr, suite_queue());
	srunner_add_suite(sr, suite_staff());
	srunner_add_suite(sr, suite_mime());
	srunner_add_suite(sr, suite_sandbox());
	srunner_add_suite(sr, suite_multipart());
	srunner_add_suite(sr, suite_wire());
	srunner_add_suite(sr, suite_render());
	srunner_add_suite(sr, suite_disclosure());
	srunner_add_suite(sr, suite_monitor());
	srunner_add_suite(sr, suite_history());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
