/* UTF-8 as the system accepts it: shortest forms, no surrogates, no
 * code point past U+10FFFF. */
#ifndef AIM_UTF8_H
#define AIM_UTF8_H

#include <stddef.h>

/* Length of the valid sequence at s (n bytes left), or 0. */
size_t	 utf8_seq(const unsigned char *s, size_t n);
/* Whether n bytes are valid UTF-8. */
int	 utf8_valid(const char *in, size_t n);
/* Drops a sequence cut short at the end of s (a message truncated to
 * its buffer), so that valid UTF-8 stays valid. */
void	 utf8_trim_cut(char *s);

#endif
