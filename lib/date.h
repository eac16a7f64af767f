/*
 * Calendar dates as whole days since 1970-01-01 (proleptic Gregorian).
 * Licensing works in whole days; no time zones are involved.
 */
#ifndef AIM_DATE_H
#define AIM_DATE_H

#define DATE_NONE	(-2147483647 - 1)

/* "YYYY-MM-DD" or "MM/DD/YYYY" (the paper form's way) to days; checks
 * the month length and leap years.  Returns 0, or -1 if not a date. */
int	 date_parse(const char *s, int *days);
/* Writes "YYYY-MM-DD" into out (11 bytes). */
void	 date_format(int days, char out[11]);
/* Days from a civil date; y in 1..9999. */
int	 date_from_ymd(int y, int m, int d);
void	 date_to_ymd(int days, int *y, int *m, int *d);
/* Today's date in UTC. */
int	 date_today(void);

#endif
