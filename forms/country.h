/*
 * Countries by Debian's iso-codes (ISO 3166-1 names, common names and
 * official names, any case) plus a short list of names people use
 * ("Russia", "South Korea", "Turkey", "Vietnam", ...).  Codes and
 * abbreviations ("CN", "DEU", "U.A.E.") are refused with the full name.
 */
#ifndef AIM_COUNTRY_H
#define AIM_COUNTRY_H

#include <stddef.h>

/* Where iso_3166-1.json is read from when AIM_ISO_CODES is not set. */
#define COUNTRY_ISO_JSON "/usr/share/iso-codes/json/iso_3166-1.json"

enum country_err {
	COUNTRY_OK,		/* *canon is the canonical ISO name */
	COUNTRY_ABBREVIATION,	/* a code or abbreviation; *canon its name */
	COUNTRY_UNKNOWN,	/* not a country we know */
	COUNTRY__MAX
};

/* Loads the table from path (NULL: $AIM_ISO_CODES or the default).
 * Returns 0, or -1 with a message in err. */
int	 country_init(const char *path, char *err, size_t errsz);
/* Looks up a name as typed (surrounding spaces ignored).  *canon points
 * into the table and lives until country_free. */
enum country_err country_lookup(const char *name, const char **canon);
/* Number of countries and the i-th canonical name, for drop-downs. */
size_t	 country_count(void);
const char *country_name(size_t i);
void	 country_free(void);

#endif
