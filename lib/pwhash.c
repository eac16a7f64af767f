/*
 * Password hashes: argon2id in the PHC string format.  Each hash holds
 * PWHASH_MEMORY_KIB for its duration, so a counting semaphore lets at
 * most LIM_ARGON2_CONCURRENT run at once in a process: a burst of
 * sign-ins waits its turn instead of exhausting memory.
 */
#include <pthread.h>
#include <string.h>

#include <argon2.h>
#include <openssl/rand.h>

#include "lib/limits.h"
#include "pwhash.h"

#define SALT_BYTES	16
#define HASH_BYTES	32
#define PREFIX		"$argon2id$v=19$m="
/* Costs a stored hash may carry: room for raising ours later, but a
 * damaged or planted row cannot ask for gigabytes or minutes. */
#define VERIFY_M_MAX	(PWHASH_MEMORY_KIB * 4)
#define VERIFY_T_MAX	(PWHASH_T_COST * 8)
#define VERIFY_P_MAX	(PWHASH_PARALLELISM * 8)

static pthread_mutex_t	 slot_mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 slot_cond = PTHREAD_COND_INITIALIZER;
static int		 slot_used;

static void
slot_take(void)
{
	pthread_mutex_lock(&slot_mtx);
	while (slot_used >= LIM_ARGON2_CONCURRENT)
		pthread_cond_wait(&slot_cond, &slot_mtx);
	slot_used++;
	pthread_mutex_unlock(&slot_mtx);
}

static void
slot_give(void)
{
	pthread_mutex_lock(&slot_mtx);
	slot_used--;
	pthread_cond_signal(&slot_cond);
	pthread_mutex_unlock(&slot_mtx);
}

/* Parses 1-9 digits at *sp, at most max, then expects the string end.
 * Returns 0 and advances *sp, or -1. */
static int
number(const char **sp, long max, const char *end)
{
	const char	*s = *sp;
	long		 v = 0;
	int		 n;

	for (n = 0; s[n] >= '0' && s[n] <= '9'; n++) {
		if (n == 9)
			return -1;
		v = v * 10 + (s[n] - '0');
	}
	if (n == 0 || (n > 1 && s[0] == '0') || v < 1 || v > max)
		return -1;
	if (strncmp(s + n, end, strlen(end)) != 0)
		return -1;
	*sp = s + n + strlen(end);
	return 0;
}

/* The cost parameters of an encoded hash are ours to bound before
 * libargon2 allocates what they ask for. */
static int
params_ok(const char *e)
{
	const char	*s;

	if (strncmp(e, PREFIX, strlen(PREFIX)) != 0)
		return 0;
	s = e + strlen(PREFIX);
	return number(&s, VERIFY_M_MAX, ",t=") == 0 &&
	    number(&s, VERIFY_T_MAX, ",p=") == 0 &&
	    number(&s, VERIFY_P_MAX, "$") == 0;
}

int
pwhash_make(const char *pw, char *out, size_t outsz)
{
	unsigned char	 salt[SALT_BYTES];
	size_t		 len;
	int		 rc = -1;

	if (out == NULL || outsz == 0)
		return -1;
	out[0] = '\0';
	if (pw == NULL)
		goto out;
	len = strnlen(pw, LIM_PASSWORD_BYTES + 1);
	if (len > LIM_PASSWORD_BYTES)
		goto out;
	if (outsz < argon2_encodedlen(PWHASH_T_COST, PWHASH_MEMORY_KIB,
	    PWHASH_PARALLELISM, SALT_BYTES, HASH_BYTES, Argon2_id))
		goto out;
	if (RAND_bytes(salt, sizeof(salt)) != 1)
		goto out;
	slot_take();
	rc = argon2id_hash_encoded(PWHASH_T_COST, PWHASH_MEMORY_KIB,
	    PWHASH_PARALLELISM, pw, len, salt, sizeof(salt), HASH_BYTES,
	    out, outsz) == ARGON2_OK ? 0 : -1;
	slot_give();
out:
	if (rc == -1)
		out[0] = '\0';
	return rc;
}

int
pwhash_verify(const char *encoded, const char *pw)
{
	size_t	 len;
	int	 r;

	if (encoded == NULL || pw == NULL)
		return 0;
	if (strnlen(encoded, PWHASH_ENCODED_MAX) >= PWHASH_ENCODED_MAX)
		return 0;
	len = strnlen(pw, LIM_PASSWORD_BYTES + 1);
	if (len > LIM_PASSWORD_BYTES)
		return 0;
	if (!params_ok(encoded))
		return 0;
	slot_take();
	r = argon2id_verify(encoded, pw, len);
	slot_give();
	return r == ARGON2_OK;
}
