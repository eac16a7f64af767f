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

/*
 * The staff console's search over every license, of any account: the
 * filer filters and more, each off when NULL or "" (0 for account_id).
 * Text filters are substrings in any (ASCII) case; hts a prefix of the
 * code (dots ignored) of any current line; country the origin or the
 * country of exportation.  Newest first.
 */
struct listing_staff_query {
	const char	*number;	/* prefix */
	const char	*company;	/* the filer account's company */
	const char	*importer;
	const char	*exporter;
	const char	*hts;
	const char	*country;
	const char	*from;		/* issued on or after YYYY-MM-DD */
	const char	*to;		/* issued on or before */
	const char	*import_from;	/* expected import on or after */
	const char	*import_to;
	const char	*status;
	const char	*channel;	/* "web", "api", "email", ... */
	const char	*product;
	int64_t		 account_id;
	size_t		 offset;
	size_t		 limit;		/* at most LIM_PAGE_ROWS */
};

struct listing_staff_row {
	struct listing_row	 l;
	int64_t			 account_id;
	char			 company_name[801];
	char			 exporter_name[801];
};

/* Rows of one page and the total count; a date filter that is not a
 * date is DB_ERROR with the reason in db->errmsg. */
enum db_err	 listing_staff_query(struct db *,
		    const struct listing_staff_query *,
		    struct listing_staff_row **, size_t *n, size_t *total);

#endif
