/* Each tests/unit/test_*.c file gives one Check suite. */
#ifndef AIM_TESTS_H
#define AIM_TESTS_H

#include <stddef.h>
#include <stdint.h>

#include <check.h>

#include "forms/form.h"
#include "db/db.h"

struct account_form;
struct outbox_row;

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
Suite	*suite_pdflite(void);
Suite	*suite_pdfform(void);
Suite	*suite_xlsxread(void);
Suite	*suite_batch(void);
Suite	*suite_mailstore(void);
Suite	*suite_queue(void);
Suite	*suite_staff(void);
Suite	*suite_mime(void);
Suite	*suite_sandbox(void);
Suite	*suite_multipart(void);
Suite	*suite_wire(void);
Suite	*suite_render(void);
Suite	*suite_disclosure(void);
Suite	*suite_monitor(void);
Suite	*suite_history(void);

/*
 * What the time limits of the speed tests are multiplied by: 1, or
 * AIM_TEST_TIME_SCALE from the environment (scripts/check --valgrind
 * sets it: memcheck runs code 20 to 50 times slower).
 */
double	 tests_time_scale(void);

/* Loads the country, HTS and XML tables once (fails the test if not). */
void	 tests_init_tables(void);

/*
 * Fixtures of tests/unit/fixtures.c.  Each fails the test when it
 * cannot do what it says.
 */

/* A fixed password hash: hashing is tested elsewhere and costs 80 ms. */
#define TESTS_HASH	"$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA"
#define TESTS_DIR_MAX	64

/* A migrated database in a new folder under /tmp (its name into dir);
 * with hts, the tables loaded (tests_init_tables) and the HTS table
 * stored. */
struct db	*tests_db_open(char dir[TESTS_DIR_MAX], int hts);
/* Closes the database and removes its folder. */
void		 tests_db_close(struct db *, const char *dir);

/* A filer's account form that passes the rules (alt may be NULL), and
 * the account made from it, verified or not: its id. */
void		 tests_account_form(struct account_form *, const char *email,
		    const char *alt, const char *company);
int64_t		 tests_add_account(struct db *, const char *email,
		    const char *alt, const char *company, int verified);
/* A filer of "Test Metals LLC" with alt@example.com as its alternate. */
int64_t		 tests_add_filer(struct db *, const char *email, int verified);

/* Sets a field of a form or of a line. */
void		 tests_hset(struct form *, enum hfield, const char *);
void		 tests_lset(struct form_line *, enum lfield, const char *);
/* A valid aluminum application as of 2026-01-15: "Test Metals LLC"
 * imports from Germany on 2026-02-10 one line, HTS 7601103000, of
 * 10,000 kg worth $25,000 (smelted in Norway, cast in Germany). */
struct form	*tests_aluminum(void);
/* Adds to f an aluminum line of this HTS code, value and weight,
 * smelted in Norway and cast in Germany. */
void		 tests_add_aluminum_line(struct form *f, const char *hts,
		    const char *usd, const char *kg);
/* An aluminum form (as tests_aluminum) made steel: its first line HTS
 * 7208100015, melted and poured in Japan, with no smelt or cast. */
void		 tests_make_steel(struct form *);

/* The message of the error a report has on field, or NULL. */
const char	*tests_errmsg(const struct report *, const char *field);
/* Seconds on the monotonic clock, to time what must be quick. */
double		 tests_now(void);
/* A report's errors or flags as "[field: message] ..." for a failure
 * message (none when there are none); a static buffer. */
const char	*tests_listed(const struct report_item *, size_t n,
		    const char *none);
/* The number one SQL query answers. */
long long	 tests_scalar(struct db *, const char *sql);
/* Rows of one table (test-only SQL: the schema is what is tested). */
long		 tests_count(struct db *, const char *table);
/* Rows of the license tables, events and outbox (ST_COUNT_ROWS). */
long		 tests_count_rows(struct db *);
/* Outbox rows of a template (NULL: all); a copy of the last one into
 * *last (may be NULL), for tests_outbox_row_clear. */
size_t		 tests_outbox_count(struct db *, const char *template,
		    struct outbox_row *last);
void		 tests_outbox_row_clear(struct outbox_row *);

#endif
