/*
 * License numbers: the check symbol against hand-computed vectors, the
 * errors it must catch, and the generator's output.
 */
#include <sys/wait.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "forms/licnum.h"
#include "lib/rand.h"
#include "tests.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* Plain tests in these helpers: Check's assertions each cost a write
 * to the parent, and they run hundreds of thousands of times. */
static int
value_of(char c)
{
	const char	*p;

	if (c == '\0' || (p = strchr(alphabet, c)) == NULL)
		ck_abort_msg("'%c' is not a symbol", c);
	return (int)(p - alphabet);
}

/* Writes the check symbol for the 8 payload symbols of s. */
static void
set_check(char s[LICNUM_LEN + 1])
{
	int	 payload[8], i, c;

	for (i = 0; i < 8; i++)
		payload[i] = value_of(s[i]);
	c = licnum_check_value(payload);
	if (c < 0 || c >= 32)
		ck_abort_msg("check value %d", c);
	s[8] = alphabet[c];
	s[9] = '\0';
}

static int
valid(const char *s)
{
	char	 out[LICNUM_LEN + 1];

	return licnum_normalize(s, out) == 0;
}

static void
fresh(char s[LICNUM_LEN + 1])
{
	if (licnum_generate(s) != 0 || strlen(s) != LICNUM_LEN)
		ck_abort_msg("licnum_generate failed");
}

/*
 * Vectors worked by hand.  Values: 0-9 are 0-9, A=10 ... H=17, J=18,
 * K=19, M=20, N=21, P=22, Q=23, R=24, S=25, T=26, V=27, W=28, X=29,
 * Y=30, Z=31.  Doubled are payload positions 8, 6, 4, 2 (1-based from
 * the left), i.e. the rightmost and every other one leftwards.
 *
 * 00000000: sum 0, check (32 - 0) % 32 = 0 -> "000000000".
 * 00000001: the 1 is doubled to 2; sum 2, check 30 = Y -> "00000001Y".
 * 10000000: the 1 is not doubled; sum 1, check 31 = Z -> "10000000Z".
 * 12345678: doubled 8,6,4,2 -> 16+12+8+4 = 40; plain 7+5+3+1 = 16;
 *   sum 56, 56 % 32 = 24, check 8 -> "123456788".
 * ABCDEFGH: doubled H=17 -> 34 -> 1+2 = 3, F=15 -> 30, D=13 -> 26,
 *   B=11 -> 22, total 81; plain A+C+E+G = 10+12+14+16 = 52; sum 133,
 *   133 % 32 = 5, check 27 = V -> "ABCDEFGHV".
 * ZZZZZZZZ: doubled 31 -> 62 -> 1+30 = 31, so all eight give 31;
 *   sum 248, 248 % 32 = 24, check 8 -> "ZZZZZZZZ8".
 */
START_TEST(test_vectors)
{
	static const struct {
		const char	*payload;
		const char	*number;
	} v[] = {
		{ "00000000", "000000000" },
		{ "00000001", "00000001Y" },
		{ "10000000", "10000000Z" },
		{ "12345678", "123456788" },
		{ "ABCDEFGH", "ABCDEFGHV" },
		{ "ZZZZZZZZ", "ZZZZZZZZ8" },
	};
	char	 s[LICNUM_LEN + 1], out[LICNUM_LEN + 1];
	size_t	 i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		memcpy(s, v[i].payload, 8);
		set_check(s);
		ck_assert_str_eq(s, v[i].number);
		ck_assert_int_eq(licnum_normalize(v[i].number, out), 0);
		ck_assert_str_eq(out, v[i].number);
	}
}
END_TEST

START_TEST(test_check_value_range)
{
	int	 p[8] = { 0, 0, 0, 0, 0, 0, 0, 0 };

	ck_assert_int_eq(licnum_check_value(p), 0);
	p[3] = 31;
	ck_assert_int_ge(licnum_check_value(p), 0);
	p[3] = 32;
	ck_assert_int_eq(licnum_check_value(p), -1);
	p[3] = -1;
	ck_assert_int_eq(licnum_check_value(p), -1);
}
END_TEST

/* Every symbol replaced by each of the 31 others, at all 9 positions. */
START_TEST(test_substitution)
{
	char	 s[LICNUM_LEN + 1], t[LICNUM_LEN + 1];
	int	 n, pos, k, caught = 0, tried = 0;

	for (n = 0; n < 200; n++) {
		fresh(s);
		ck_assert(valid(s));
		for (pos = 0; pos < LICNUM_LEN; pos++) {
			for (k = 0; k < 32; k++) {
				if (alphabet[k] == s[pos])
					continue;
				memcpy(t, s, sizeof(t));
				t[pos] = alphabet[k];
				tried++;
				if (!valid(t))
					caught++;
				else
					ck_abort_msg("%s -> %s not caught", s, t);
			}
		}
	}
	ck_assert_int_eq(tried, 200 * 9 * 31);
	ck_assert_int_eq(caught, tried);
}
END_TEST

/*
 * Adjacent swaps, exhaustively.  Swapping a doubled value a with a plain
 * neighbour b leaves the sum alone iff f(a) - a == f(b) - b (mod 32),
 * where f folds the doubled value: f(x) - x is x for x < 16 and x - 31
 * for x >= 16, i.e. x + 1 (mod 32).  Two distinct values collide only
 * as {0, 31}, so of the 32 * 31 = 992 ordered pairs of distinct symbols
 * exactly 2 ("0Z" and "Z0") go unnoticed at each of the 8 neighbour
 * positions (check symbol included): 990 / 992 = 99.8 % caught.
 */
START_TEST(test_transposition_exhaustive)
{
	char	 s[LICNUM_LEN + 1];
	int	 pos, a, b, q, missed, missed_total = 0, tried = 0;

	for (pos = 0; pos < LICNUM_LEN - 1; pos++) {
		missed = 0;
		for (a = 0; a < 32; a++) {
			for (b = 0; b < 32; b++) {
				if (a == b)
					continue;
				/* A valid number with a, b at pos, pos + 1. */
				memcpy(s, "3K7PQ2XM", 8);
				s[pos] = alphabet[a];
				if (pos + 1 < 8) {
					s[pos + 1] = alphabet[b];
					set_check(s);
				} else {
					/* b is the check: tune symbol 0. */
					for (q = 0; q < 32; q++) {
						s[0] = alphabet[q];
						set_check(s);
						if (s[8] == alphabet[b])
							break;
					}
					ck_assert_int_lt(q, 32);
				}
				if (!valid(s))
					ck_abort_msg("%s built invalid", s);
				s[pos] = alphabet[b];
				s[pos + 1] = alphabet[a];
				tried++;
				if (valid(s)) {
					missed++;
					ck_assert_msg((a == 0 && b == 31) ||
					    (a == 31 && b == 0),
					    "missed swap %c%c at %d",
					    alphabet[a], alphabet[b], pos);
				}
			}
		}
		ck_assert_int_eq(missed, 2);
		missed_total += missed;
	}
	ck_assert_int_eq(tried, 8 * 992);
	/* 99.798 %: the true figure, well above the 90 % asked for. */
	ck_assert_int_eq(missed_total, 16);
	ck_assert((double)(tried - missed_total) / tried > 0.997);
}
END_TEST

/* The same over random numbers: misses are 0/Z swaps only, and rare. */
START_TEST(test_transposition_random)
{
	char	 s[LICNUM_LEN + 1], t[LICNUM_LEN + 1];
	int	 n, pos, tried = 0, missed = 0;

	for (n = 0; n < 500; n++) {
		fresh(s);
		for (pos = 0; pos < LICNUM_LEN - 1; pos++) {
			if (s[pos] == s[pos + 1])
				continue;
			memcpy(t, s, sizeof(t));
			t[pos] = s[pos + 1];
			t[pos + 1] = s[pos];
			tried++;
			if (!valid(t))
				continue;
			missed++;
			ck_assert_msg((s[pos] == '0' && s[pos + 1] == 'Z') ||
			    (s[pos] == 'Z' && s[pos + 1] == '0'),
			    "%s -> %s not caught", s, t);
		}
	}
	/* Expected 0.2 %; 1 % is far out in the tail. */
	ck_assert_int_gt(tried, 3500);
	ck_assert_int_lt(missed * 100, tried);
}
END_TEST

static int
cmp9(const void *a, const void *b)
{
	return memcmp(a, b, LICNUM_LEN);
}

START_TEST(test_generate)
{
	enum { N = 10000 };
	char	(*all)[LICNUM_LEN + 1];
	char	 out[LICNUM_LEN + 1];
	static int	 count[8][32], pair[7][32 * 32];
	double		 e, chi2;
	int		 i, j;

	all = calloc(N, sizeof(*all));
	ck_assert_ptr_nonnull(all);
	memset(count, 0, sizeof(count));
	memset(pair, 0, sizeof(pair));
	for (i = 0; i < N; i++) {
		fresh(all[i]);
		if (licnum_normalize(all[i], out) != 0 ||
		    strcmp(out, all[i]) != 0)
			ck_abort_msg("%s does not normalise", all[i]);
		for (j = 0; j < 8; j++)
			count[j][value_of(all[i][j])]++;
		for (j = 0; j < 7; j++)
			pair[j][value_of(all[i][j]) * 32 +
			    value_of(all[i][j + 1])]++;
	}
	qsort(all, N, sizeof(*all), cmp9);
	for (i = 1; i < N; i++)
		if (memcmp(all[i - 1], all[i], LICNUM_LEN) == 0)
			ck_abort_msg("duplicate %s", all[i]);
	/*
	 * Each symbol at each position: expected 312.5, sd about 17.4;
	 * 200..430 is more than 6 sd either way, so only a biased or
	 * stuck generator falls outside.
	 */
	for (j = 0; j < 8; j++)
		for (i = 0; i < 32; i++)
			ck_assert_msg(count[j][i] >= 200 && count[j][i] <= 430,
			    "symbol %c at %d: %d", alphabet[i], j,
			    count[j][i]);
	/*
	 * Neighbours independent (no bits shared between symbols):
	 * chi-square over the 1024 pairs has 1023 degrees of freedom,
	 * mean 1023 and sd about 45; 1300 is more than 6 sd out.
	 */
	e = N / 1024.0;
	for (j = 0; j < 7; j++) {
		chi2 = 0;
		for (i = 0; i < 32 * 32; i++)
			chi2 += (pair[j][i] - e) * (pair[j][i] - e) / e;
		ck_assert_msg(chi2 < 1300, "pairs at %d: chi2 %.0f", j, chi2);
	}
	free(all);
}
END_TEST

/* The pool behind license numbers: bytes are never handed out twice,
 * not by two calls and not by a parent and the child it forked after
 * filling its pool (which would issue the same numbers). */
START_TEST(test_rand_pool)
{
	unsigned char	 a[16], b[16], big[2000], kid[16];
	int		 fd[2], st;
	pid_t		 pid;

	ck_assert_int_eq(rand_fill(a, sizeof(a)), 0);
	ck_assert_int_eq(rand_fill(b, sizeof(b)), 0);
	ck_assert_int_ne(memcmp(a, b, sizeof(a)), 0);
	ck_assert_int_eq(rand_fill(big, sizeof(big)), 0);
	ck_assert_int_eq(pipe(fd), 0);
	if ((pid = fork()) == 0) {
		close(fd[0]);
		_exit(rand_fill(kid, sizeof(kid)) == 0 &&
		    write(fd[1], kid, sizeof(kid)) == (ssize_t)sizeof(kid) ?
		    0 : 1);
	}
	ck_assert_int_gt(pid, 0);
	close(fd[1]);
	ck_assert_int_eq(rand_fill(a, sizeof(a)), 0);
	ck_assert_int_eq(read(fd[0], kid, sizeof(kid)), (ssize_t)sizeof(kid));
	close(fd[0]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ck_assert_msg(memcmp(a, kid, sizeof(a)) != 0,
	    "a forked child handed out its parent's bytes");
}
END_TEST

START_TEST(test_normalize_accepts)
{
	char	 out[LICNUM_LEN + 1];

	ck_assert_int_eq(licnum_normalize("abcdefghv", out), 0);
	ck_assert_str_eq(out, "ABCDEFGHV");
	ck_assert_int_eq(licnum_normalize("AbCd EfGh-v", out), 0);
	ck_assert_str_eq(out, "ABCDEFGHV");
	ck_assert_int_eq(licnum_normalize("  ABC-DEF-GHV  ", out), 0);
	ck_assert_str_eq(out, "ABCDEFGHV");
	ck_assert_int_eq(licnum_normalize("1234 5678 8", out), 0);
	ck_assert_str_eq(out, "123456788");
	ck_assert_int_eq(licnum_normalize("00000001y", out), 0);
	ck_assert_str_eq(out, "00000001Y");
}
END_TEST

START_TEST(test_normalize_refuses)
{
	char	 out[LICNUM_LEN + 1], big[2000];

	/* Wrong check symbol (correct one is V). */
	ck_assert_int_eq(licnum_normalize("ABCDEFGHW", out), -1);
	ck_assert_str_eq(out, "");
	/* Wrong lengths: 8 and 10 symbols, empty, separators only. */
	ck_assert_int_eq(licnum_normalize("00000000", out), -1);
	ck_assert_int_eq(licnum_normalize("0000000000", out), -1);
	ck_assert_int_eq(licnum_normalize("", out), -1);
	ck_assert_int_eq(licnum_normalize(" - - ", out), -1);
	ck_assert_int_eq(licnum_normalize(NULL, out), -1);
	/*
	 * I, L, O, U are not symbols and are not mapped to 1 or 0.
	 * "00000000O" would be "000000000" if O were read as 0.
	 */
	ck_assert_int_eq(licnum_normalize("00000000O", out), -1);
	ck_assert_int_eq(licnum_normalize("00000000o", out), -1);
	ck_assert_int_eq(licnum_normalize("O00000000", out), -1);
	/* "10000000Z" with 1 typed as I or l. */
	ck_assert_int_eq(licnum_normalize("I0000000Z", out), -1);
	ck_assert_int_eq(licnum_normalize("l0000000Z", out), -1);
	ck_assert_int_eq(licnum_normalize("L0000000Z", out), -1);
	ck_assert_int_eq(licnum_normalize("U0000000Z", out), -1);
	ck_assert_int_eq(licnum_normalize("u0000000Z", out), -1);
	/* Other separators and characters. */
	ck_assert_int_eq(licnum_normalize("ABCD.EFGHV", out), -1);
	ck_assert_int_eq(licnum_normalize("ABCD\tEFGHV", out), -1);
	ck_assert_int_eq(licnum_normalize("ABCD_EFGHV", out), -1);
	ck_assert_int_eq(licnum_normalize("ABCDEFGHV\n", out), -1);
	ck_assert_int_eq(licnum_normalize("ABCDEFGH\xc3\x9c", out), -1);
	/* A valid number buried in more separators than any field. */
	memset(big, ' ', sizeof(big));
	memcpy(big + sizeof(big) - 10, "000000000", 10);
	ck_assert_int_eq(licnum_normalize(big, out), -1);
	ck_assert_int_eq(licnum_normalize(big + sizeof(big) - 100, out), 0);
}
END_TEST

Suite *
suite_licnum(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("licnum");
	tc = tcase_create("core");
	tcase_add_test(tc, test_vectors);
	tcase_add_test(tc, test_check_value_range);
	tcase_add_test(tc, test_substitution);
	tcase_add_test(tc, test_transposition_exhaustive);
	tcase_add_test(tc, test_transposition_random);
	tcase_add_test(tc, test_generate);
	tcase_add_test(tc, test_normalize_accepts);
	tcase_add_test(tc, test_normalize_refuses);
	tcase_add_test(tc, test_rand_pool);
	suite_add_tcase(s, tc);
	return s;
}
