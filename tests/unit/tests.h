/* Each tests/unit/test_*.c file gives one Check suite. */
#ifndef AIM_TESTS_H
#define AIM_TESTS_H

#include <check.h>

Suite	*suite_date(void);
Suite	*suite_licnum(void);
Suite	*suite_country(void);
Suite	*suite_hts(void);
Suite	*suite_rules(void);
Suite	*suite_flags(void);
Suite	*suite_jsonform(void);
Suite	*suite_xmlform(void);
Suite	*suite_csv(void);
Suite	*suite_account(void);
Suite	*suite_registry(void);
Suite	*suite_web_db(void);
Suite	*suite_urlform(void);
Suite	*suite_pdfread(void);
Suite	*suite_pdfform(void);
Suite	*suite_xlsxread(void);
Suite	*suite_batch(void);
Suite	*suite_mailstore(void);
Suite	*suite_queue(void);
Suite	*suite_staff(void);
Suite	*suite_mime(void);
Suite	*suite_sandbox(void);
Suite	*suite_multipart(void);
Suite	*suite_render(void);
Suite	*suite_disclosure(void);
Suite	*suite_monitor(void);
Suite	*suite_history(void);

/* Loads the country, HTS and XML tables once (fails the test if not). */
void	 tests_init_tables(void);

#endif
