/*
 * The public monitor's roll-ups (DOMAIN.md section 10): license lines
 * summed by month of expected import, product and the dimensions below,
 * with each importer's share, moved in the same transaction as every
 * license change; and the aggregates the monitor API reads from them,
 * with disclosure control (forms/disclosure.h) applied.
 */
#ifndef AIM_MONITOR_H
#define AIM_MONITOR_H

#include <stdint.h>

#include "forms/disclosure.h"
#include "forms/license.h"
#include "db.h"

/* Dimensions of the aggregates, by their API names. */
enum mon_dim {
	MON_MONTH,
	MON_GROUP,		/* product_group */
	MON_HTS6,
	MON_ORIGIN,		/* country_of_origin */
	MON_SMELT,		/* country_of_largest_smelt (aluminum) */
	MON_CAST,		/* country_of_most_recent_cast (aluminum) */
	MON_MELT,		/* country_of_melt_and_pour (steel) */
	MON__MAX
};

extern const char *const mon_dim_names[MON__MAX];

/* A dimension by API name, or -1. */
int		 mon_dim_find(const char *name);
/* Whether a product's licenses carry the dimension. */
int		 mon_dim_applies(enum mon_dim, enum product);

/* Months in one query: twenty years. */
#define MON_MAX_MONTHS	240
/* Dimensions in one query's "by". */
#define MON_MAX_BY	2

/*
 * The roll-up hook of the registry, inside the caller's transaction:
 * the stored version old_version of a license leaves the roll-ups (0:
 * none) and lic, its new version just stored, enters them (NULL: none).
 * A submit passes (0, lic), a correction (old, lic), a cancel (current,
 * NULL).  Does nothing when db->no_rollups.
 */
enum db_err	 monitor_change(struct db *, int64_t license_id,
		    int old_version, const struct license *lic);
/* Recomputes every roll-up from the licenses (aimctl history rebuild;
 * also done by itself after a migration found licenses). */
enum db_err	 monitor_rebuild(struct db *);
/*
 * Tests: compares every roll-up with a recount from the current
 * versions of the licenses not canceled.  Returns the number of
 * differences (0: in step), the first described in err; -1 when the
 * database failed.
 */
long		 monitor_recount(struct db *, char *err, size_t errsz);

/* When a license last changed ("" never), and a number that grows
 * with every change of the roll-ups (to key answers kept by readers). */
enum db_err	 monitor_state(struct db *, int64_t *generation,
		    char updated_at[24]);

/*
 * A number that grows whenever the figures of months from..to may have
 * changed, as far as this process has seen (it looks first): answers
 * kept by it stay good while the number stays.  0 (inside a
 * transaction of the caller's, or out of memory): keep nothing.
 */
enum db_err	 monitor_stamp(struct db *, const char *from, const char *to,
		    uint64_t *stamp);

/* What to aggregate. */
struct mon_query {
	enum product	 product;
	enum mon_dim	 by[MON_MAX_BY];
	size_t		 nby;		/* 0..MON_MAX_BY, distinct */
	char		 from[8];	/* "YYYY-MM", inclusive */
	char		 to[8];
	const char	*group;		/* filters: NULL for all */
	const char	*hts6;
	const char	*origin;
};

/* One figure: its dimension values (NULL where summed over), sums and
 * whether it may be shown. */
struct mon_fig {
	const char	*key[MON_MAX_BY];
	int64_t		 grams;
	int64_t		 cents;
	enum disc_state	 state;
};

struct mon_result {
	struct mon_fig	*rows;		/* by every dimension of "by" */
	size_t		 nrows;
	/* With two dimensions: the figures by each alone (key[0]). */
	struct mon_fig	*margin[MON_MAX_BY];
	size_t		 nmargin[MON_MAX_BY];
	struct mon_fig	 total;		/* DISC_EMPTY: no data */
	char		**strings;	/* the keys point here */
	size_t		 nstrings;
};

/*
 * The figures of a query, each with its disclosure state: rows ordered
 * by their keys (months oldest first, other values alphabetically).
 */
enum db_err	 monitor_cells(struct db *, const struct mon_query *,
		    struct mon_result *);
void		 monitor_result_free(struct mon_result *);

/* A surge (DOMAIN.md section 10) among published figures. */
struct mon_surge {
	enum product	 product;
	char		 month[8];
	char		*group;
	char		*origin;
	int64_t		 grams;		/* the month */
	int64_t		 cents;
	int64_t		 trailing_grams; /* the 3 months before, summed */
};

/*
 * The surges of each month from..to of the products asked (product ==
 * PRODUCT__MAX: both), largest increase first.
 */
enum db_err	 monitor_surges(struct db *, enum product, const char *from,
		    const char *to, struct mon_surge **, size_t *);
void		 monitor_surges_free(struct mon_surge *, size_t);

/* What there is to ask for, per product. */
struct mon_meta_product {
	char		**months;	/* with data, oldest first */
	size_t		  nmonths;
	char		**values[MON__MAX];	/* with data, sorted (not
						 * months) */
	size_t		  nvalues[MON__MAX];
};

struct mon_meta {
	char			 updated_at[24];	/* "" never */
	struct mon_meta_product	 p[PRODUCT__MAX];
};

/* dims: which to list (MON_DIM(MON_MONTH) | ...).  From the month
 * figures the process keeps, as answers are (the first time, a read
 * of the roll-ups: of the full one for HTS-6 subheadings). */
#define MON_DIM(d)	(1u << (d))
#define MON_DIMS_ALL	((1u << MON__MAX) - 1)
enum db_err	 monitor_meta(struct db *, unsigned dims, struct mon_meta *);

/*
 * For a server about to fork its workers (aim-gateway's master): the
 * month figures this connection read are kept when it closes, and the
 * first connection of the process (or of a forked child) to the same
 * database file adopts them; the event log then brings them up to date
 * as it does for its own.  A month read once serves every worker.
 */
void		 monitor_keep_for_fork(struct db *);
void		 monitor_meta_free(struct mon_meta *);

/* "YYYY-MM" checks and arithmetic. */
int		 mon_month_parse(const char *, int *index);	/* 0 / -1 */
void		 mon_month_format(int index, char out[8]);

#endif
