#include <stddef.h>
#include <time.h>

#include "date.h"

/* Howard Hinnant's days_from_civil / civil_from_days. */
int
date_from_ymd(int y, int m, int d)
{
	int	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
date_to_ymd(int z, int *yp, int *mp, int *dp)
{
	int	 era, doe, yoe, y, doy, mp_, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp_ = (5 * doy + 2) / 153;
	d = doy - (153 * mp_ + 2) / 5 + 1;
	m = mp_ + (mp_ < 10 ? 3 : -9);
	*yp = y + (m <= 2);
	*mp = m;
	*dp = d;
}

static int
digits(const char *s, int n, int *out)
{
	int	 i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int
month_days(int y, int m)
{
	static const int len[12] =
	    { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return len[m - 1];
}

int
date_parse(const char *s, int *days)
{
	int	 y, m, d;

	if (s == NULL)
		return -1;
	if (s[0] && s[1] && s[2] && s[3] && s[4] == '-' &&
	    s[5] && s[6] && s[7] == '-' && s[8] && s[9] && s[10] == '\0') {
		if (digits(s, 4, &y) || digits(s + 5, 2, &m) ||
		    digits(s + 8, 2, &d))
			return -1;
	} else if (s[0] && s[1] && s[2] == '/' && s[3] && s[4] &&
	    s[5] == '/' && s[6] && s[7] && s[8] && s[9] && s[10] == '\0') {
		if (digits(s, 2, &m) || digits(s + 3, 2, &d) ||
		    digits(s + 6, 4, &y))
			return -1;
	} else
		return -1;
	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > month_days(y, m))
		return -1;
	*days = date_from_ymd(y, m, d);
	return 0;
}

void
date_format(int days, char out[11])
{
	int	 y, m, d, i;
	char	*p = out;

	date_to_ymd(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = 0;
	for (i = 1000; i > 0; i /= 10)
		*p++ = '0' + (y / i) % 10;
	*p++ = '-';
	*p++ = '0' + m / 10;
	*p++ = '0' + m % 10;
	*p++ = '-';
	*p++ = '0' + d / 10;
	*p++ = '0' + d % 10;
	*p = '\0';
}

int
date_today(void)
{
	return (int)(time(NULL) / 86400);
}
