/*
 * Possible duplicate licenses for staff (issue 6): pairs of licenses of
 * one account that forms/dupcheck.h calls possible duplicates, found
 * among recent licenses, and what staff decided about a pair:
 * dismissed (then never listed again) or asked (the filer was emailed
 * a question; listed until dismissed).
 */
#ifndef AIM_DUPES_H
#define AIM_DUPES_H

#include <stddef.h>
#include <stdint.h>

#include "forms/licnum.h"
#include "db.h"
#include "queue.h"

struct dup_pair {
	int64_t		 id[2];			/* older first */
	char		 number[2][LICNUM_LEN + 1];
	char		 channel[2][16];
	char		 import_date[2][11];
	char		 issued_on[2][11];
	int64_t		 account_id;
	char		*company_name;
	char		*importer_name;
	int		 nlines;
	long long	 value_cents;		/* of each license */
	char		 state[12];		/* "" new, "asked" */
	char		 who[64];		/* who asked */
	char		 at[24];
};

/*
 * Pairs with at least one license issued on or after since (YYYY-MM-DD,
 * days back from now by the caller), newest first, at most
 * LIM_PAGE_ROWS; dismissed pairs are left out.
 */
enum db_err	 dup_list(struct db *, const char *since, struct dup_pair **,
		    size_t *n);
void		 dup_pairs_free(struct dup_pair *, size_t);

/*
 * Staff dismiss a pair (note may be NULL), audited ("duplicate_dismiss")
 * with both numbers.  QUEUE_NOT_FOUND unless both licenses exist and
 * belong to one account; QUEUE_INVALID for the same license twice.
 */
enum queue_err	 dup_dismiss(struct db *, const struct staff *,
		    const char *number_a, const char *number_b,
		    const char *note);
/*
 * Staff ask the filer about a pair: a "staff_question" email about the
 * newer license naming the older (console_question), the pair marked
 * asked, audited ("duplicate_ask"): one transaction.
 */
enum queue_err	 dup_ask(struct db *, const struct staff *,
		    const char *number_a, const char *number_b,
		    const char *question);

#endif
