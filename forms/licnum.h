/*
 * License numbers (DOMAIN.md section 3 decision): 8 random symbols and
 * a Luhn mod 32 check symbol over the alphabet 0-9 A-Z without I L O U.
 */
#ifndef AIM_LICNUM_H
#define AIM_LICNUM_H

#define LICNUM_LEN	9

/* A fresh number from OpenSSL's CSPRNG into out[10].  Returns 0, or -1
 * if the generator failed. */
int	 licnum_generate(char out[LICNUM_LEN + 1]);
/* The check symbol's value for 8 payload values. */
int	 licnum_check_value(const int payload[8]);
/* Normalises typed input (lower case, spaces and dashes ignored) into
 * out[10] and verifies the check symbol.  Returns 0 if it is a
 * well-formed number, -1 if not. */
int	 licnum_normalize(const char *in, char out[LICNUM_LEN + 1]);

#endif
