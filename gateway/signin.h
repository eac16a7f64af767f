/*
 * What the filer's sign-in (pages_account.c) and the staff console's
 * (pages_staff.c) share: an unknown email refused in the time a wrong
 * password takes, the same words for a blocked sign-in, and the same
 * check of the page to go to after.
 */
#ifndef AIM_SIGNIN_H
#define AIM_SIGNIN_H

#include "forms/form.h"
#include "lib/limits.h"

/* Hashes pw against a throwaway hash. */
void	 signin_delay(const char *pw);
/* "Too many failed sign-ins" with the minutes to wait, into rep. */
void	 signin_blocked(struct report *, int wait);
/* 1 if p is at most LIM_NEXT_PATH_BYTES bytes of printable ASCII without a
 * backslash (browsers take "/\host" as another host). */
int	 signin_path_ok(const char *p);

#endif
