/*
 * A checked license application: the values of a struct form after
 * forms/rules.c has validated and normalised them (countries spelled as
 * in ISO 3166-1, dates as days, money in cents).  This is what the
 * registry stores.
 */
#ifndef AIM_LICENSE_H
#define AIM_LICENSE_H

#include <stddef.h>
#include <stdint.h>

#include "form.h"

enum product {
	PRODUCT_ALUMINUM,
	PRODUCT_STEEL,
	PRODUCT__MAX
};

enum ltype {
	LTYPE_STANDARD,
	LTYPE_LOW_VALUE,
	LTYPE__MAX
};

enum entry {
	ENTRY_CONSUMPTION,
	ENTRY_FTZ,
	ENTRY__MAX
};

extern const char *const product_names[PRODUCT__MAX];
extern const char *const ltype_names[LTYPE__MAX];
extern const char *const entry_names[ENTRY__MAX];

struct license_line {
	char		 hts_code[11];
	char		 product_group[64];
	int64_t		 value_cents;
	int64_t		 grams;			/* net weight, kg * 1000 */
	double		 usd_per_kg;		/* average unit value */
	/* Country names as canonical strings, or "unknown" /
	 * "not applicable"; NULL where the product has no such field. */
	char		*largest_smelt;
	char		*second_smelt;
	char		*most_recent_cast;
	char		*melt_and_pour;
};

struct license {
	enum product		 product;
	enum ltype		 ltype;
	enum entry		 entry;
	char			*importer_name;
	char			*exporter_name;
	char			*manufacturer_name;
	char			*country_of_origin;
	char			*country_of_exportation;
	int			 export_date;		/* days */
	int			 import_date;		/* days */
	char			*port_of_entry;
	char			*customs_entry_number;	/* NULL: none */
	int			 application_date;	/* days */
	struct license_line	*lines;
	size_t			 nlines;
};

void	 license_free(struct license *);
/* A form holding this license's values, for duplicate and correct. */
struct form *license_to_form(const struct license *);
/* Money and weight as text: "1234.50", "1000.5". out >= 32 bytes. */
void	 money_format(int64_t cents, char *out, size_t sz);
void	 grams_format(int64_t grams, char *out, size_t sz);

#endif
