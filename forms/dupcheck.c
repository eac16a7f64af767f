/*
 * The possible-duplicate rule: same importer, same lines, import dates
 * within a week.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/date.h"
#include "lib/limits.h"
#include "dupcheck.h"

int
dup_dates_close(int a, int b)
{
	if (a == DATE_NONE || b == DATE_NONE)
		return 0;
	return (a > b ? a - b : b - a) <= DUP_IMPORT_DAYS;
}

/* Orders lines by HTS code, value, weight. */
static int
line_cmp(const void *pa, const void *pb)
{
	const struct license_line *const *a = pa, *const *b = pb;
	int	 c;

	if ((c = strcmp((*a)->hts_code, (*b)->hts_code)) != 0)
		return c;
	if ((*a)->value_cents != (*b)->value_cents)
		return (*a)->value_cents < (*b)->value_cents ? -1 : 1;
	if ((*a)->grams != (*b)->grams)
		return (*a)->grams < (*b)->grams ? -1 : 1;
	return 0;
}

int
dup_same_lines(const struct license_line *a, size_t na,
    const struct license_line *b, size_t nb)
{
	const struct license_line	**sa = NULL, **sb = NULL;
	size_t				 i;
	int				 same = 0;

	if (na == 0 || na != nb || na > LIM_LINES)
		return 0;
	/* Sorted pointers: the lines themselves stay as given. */
	if ((sa = calloc(na, sizeof(*sa))) == NULL ||
	    (sb = calloc(nb, sizeof(*sb))) == NULL)
		goto out;
	for (i = 0; i < na; i++) {
		sa[i] = &a[i];
		sb[i] = &b[i];
	}
	qsort(sa, na, sizeof(*sa), line_cmp);
	qsort(sb, nb, sizeof(*sb), line_cmp);
	for (i = 0; i < na; i++)
		if (line_cmp(&sa[i], &sb[i]) != 0)
			goto out;
	same = 1;
out:
	free(sa);
	free(sb);
	return same;
}

/* s without blanks at either end: *len bytes from the return. */
static const char *
trimmed(const char *s, size_t *len)
{
	size_t	 n;

	while (*s != '\0' && isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	*len = n;
	return s;
}

int
dup_same_importer(const char *a, const char *b)
{
	size_t	 la, lb;

	if (a == NULL || b == NULL)
		return 0;
	a = trimmed(a, &la);
	b = trimmed(b, &lb);
	return la > 0 && la == lb && strncasecmp(a, b, la) == 0;
}
