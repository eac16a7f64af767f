/*
 * One hexadecimal digit, as percent-encoding (URLs, RFC 2231
 * parameters) carries them.
 */
#ifndef AIM_HEX_H
#define AIM_HEX_H

/* The value of c as a hex digit of either case, or -1. */
int	 hex_digit(int c);

#endif
