/*
 * Pieces of both sign-in pages (filer and staff).
 */
#include <string.h>

#include "lib/pwhash.h"
#include "signin.h"

void
signin_delay(const char *pw)
{
	static char	 dummy[PWHASH_ENCODED_MAX];

	if (dummy[0] == '\0' && pwhash_make("aim-no-such-account", dummy,
	    sizeof(dummy)) == -1)
		return;
	pwhash_verify(dummy, pw);
}

void
signin_blocked(struct report *rep, int wait)
{
	int	 min = (wait + 59) / 60;

	report_error(rep, 0, "", "Too many failed sign-ins; try again in %d "
	    "minute%s", min, min == 1 ? "" : "s");
}

int
signin_path_ok(const char *p)
{
	size_t	 i, n;

	n = strnlen(p, LIM_NEXT_PATH_BYTES + 1);
	if (n > LIM_NEXT_PATH_BYTES)
		return 0;
	for (i = 0; i < n; i++)
		if (p[i] <= 0x20 || p[i] >= 0x7f || p[i] == '\\')
			return 0;
	return 1;
}
