/*
 * The covered HTS codes and their product groups: aluminum from the
 * table compiled in from data/aluminum-hts.csv, steel by the Section 232
 * ranges and categories of DOMAIN.md section 5.
 */
#ifndef AIM_HTS_H
#define AIM_HTS_H

#include <stddef.h>

#include "license.h"

enum hts_err {
	HTS_OK,
	HTS_FORMAT,		/* not 10 digits */
	HTS_NOT_COVERED,	/* a chapter 72/73/76 code outside the lists */
	HTS_OTHER_PRODUCT,	/* covered, but for the other product */
	HTS_NOT_METAL,		/* not chapter 72, 73 or 76 */
	HTS__MAX
};

/* Loads the aluminum table.  Returns 0, or -1 with a message. */
int	 hts_init(char *err, size_t errsz);
/*
 * Normalises code (dots and spaces removed) into out[11] and finds its
 * product and group.  *group is a static string.
 */
enum hts_err hts_lookup(const char *code, char out[11], enum product *,
	    const char **group);
/* Aluminum table rows, for the database and templates. */
size_t	 hts_aluminum_count(void);
void	 hts_aluminum_row(size_t i, const char **code, const char **group,
	    const char **description);
/* Steel ranges (6-digit subheadings, inclusive) and heading categories. */
size_t	 hts_steel_range_count(void);
void	 hts_steel_range(size_t i, const char **lo6, const char **hi6);
/* Product groups of a product, for menus and the monitor. */
size_t	 hts_group_count(enum product);
const char *hts_group_name(enum product, size_t i);

#endif
