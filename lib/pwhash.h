/*
 * Password hashes: argon2id (libargon2) in the PHC string format, with
 * at most LIM_ARGON2_CONCURRENT hashes at once in a process, since each
 * takes PWHASH_MEMORY_KIB of memory.
 */
#ifndef AIM_PWHASH_H
#define AIM_PWHASH_H

#include <stddef.h>

#define PWHASH_T_COST		2
#define PWHASH_MEMORY_KIB	(19 * 1024)
#define PWHASH_PARALLELISM	1
#define PWHASH_ENCODED_MAX	128

/* Hashes pw with a fresh salt into out.  Returns 0, or -1. */
int	 pwhash_make(const char *pw, char *out, size_t outsz);
/* 1 if pw matches the encoded hash, 0 if not (or on any failure). */
int	 pwhash_verify(const char *encoded, const char *pw);

#endif
