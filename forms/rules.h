/*
 * The licensing rules of DOMAIN.md sections 3-5 (and the Action
 * Required decisions of section 6), in one place.  No channel has a
 * rule of its own: every reader hands its struct form here.
 */
#ifndef AIM_RULES_H
#define AIM_RULES_H

#include <stdint.h>

#include "form.h"
#include "license.h"

/* Loads the country and HTS tables once; safe to call again.
 * Returns 0, or -1 with a message in err. */
int	 rules_init(char *err, size_t errsz);

/*
 * Checks a form as of an application date (days).  Errors go to rep,
 * after any a reader put there; when rep has none and lic is not NULL,
 * *lic receives the checked license (free it with license_free).
 * Returns the number of errors in rep.
 */
size_t	 rules_check(const struct form *, int application_date,
	    struct report *rep, struct license **lic);

/*
 * History the Action Required rules compare against, for one line,
 * gathered by the registry over the trailing 365 days.
 */
struct line_history {
	long	 hts_lines;		/* lines with this HTS code */
	double	 median_ln_auv;		/* median of ln(USD per kg) */
	double	 mad_ln_auv;		/* median absolute deviation */
	long	 group_licenses;	/* licenses of this product group */
	long	 group_origin_licenses;	/* ... from this origin */
};

/* Adds Action Required flags for a checked license to rep->flags.
 * hist has one entry per line.  Returns the number of flags added. */
size_t	 rules_flag(const struct license *, const struct line_history *hist,
	    struct report *rep);

/* Median and MAD of v[0..n-1] (v is reordered).  n > 0. */
void	 rules_median_mad(double *v, size_t n, double *median, double *mad);
/* The same of v[0..n-1] in ascending order, in time linear in n. */
void	 rules_median_mad_sorted(const double *v, size_t n, double *median,
	    double *mad);

/* Last day a license is valid, or DATE_NONE if it never expires
 * (FTZ admission, low value). */
int	 rules_valid_through(enum ltype, enum entry, int issued_on);

/* DOMAIN.md section 9: whether a license number is good for an entry. */
enum check_result {
	CHECK_VALID,
	CHECK_EXPIRED,
	CHECK_CANCELED,
	CHECK_NOT_FOUND,
	CHECK_WRONG_IMPORTER,
	CHECK_OVER_LOW_VALUE_LIMIT,
	CHECK__MAX
};

extern const char *const check_names[CHECK__MAX];

/* What the check needs to know of a stored license. */
struct check_facts {
	int		 canceled;
	enum ltype	 ltype;
	int		 valid_through;		/* DATE_NONE: never expires */
	const char	*importer_name;
};

/* entry_value_cents < 0: not given. */
enum check_result rules_license_check(const struct check_facts *,
	    const char *importer, int import_date, int64_t entry_value_cents);
int	 rules_same_importer(const char *, const char *);

/* A positive dollar amount with at most 2 decimals, in cents.
 * Returns 0, or -1 if it is not one. */
int	 rules_parse_money(const char *, int64_t *cents);

/* Thresholds, exposed for the registry's history queries and tests. */
#define RULES_RARE_ORIGIN_MIN		3	/* fewer is rare ... */
#define RULES_RARE_GROUP_MIN		50	/* ... once a group has this */
#define RULES_AUV_MIN_LINES		30
#define RULES_AUV_Z			3.5
#define RULES_HISTORY_DAYS		365
#define RULES_UNKNOWN_SMELT_LAST	"2022-06-28"

#endif
