/*
 * Lists of an account's licenses for the web and the API: newest first,
 * filtered, a page at a time.
 */
#ifndef AIM_LISTING_H
#define AIM_LISTING_H

#include <stddef.h>
#include <stdint.h>

#include "forms/licnum.h"
#include "db.h"

struct listing_query {
	int64_t		 account_id;
	const char	*number;	/* prefix, normalised; NULL any */
	const char	*importer;	/* substring, any case; NULL any */
	const char	*status;	/* "issued", ...; NULL any */
	const char	*product;	/* "aluminum"/"steel"; NULL any */
	const char	*from;		/* issued on or after YYYY-MM-DD */
	const char	*to;		/* issued on or before */
	size_t		 offset;
	size_t		 limit;		/* at most 200 */
};

struct listing_row {
	char		 number[LICNUM_LEN + 1];
	char		 product[12];
	char		 license_type[12];
	char		 status[20];
	char		 entry_type[16];
	char		 importer_name[801];	/* LIM_FIELD_BYTES + 1 */
	char		 country_of_origin[128];
	char		 expected_import_date[11];
	char		 valid_from[11];
	char		 valid_through[11];
	int		 version;
	int		 nlines;
	long long	 value_cents;	/* sum over lines */
	char		 channel[16];
};

/* Rows of one page and the total count of matching licenses. */
enum db_err	 listing_query(struct db *, const struct listing_query *,
		    struct listing_row **, size_t *n, size_t *total);

#endif
