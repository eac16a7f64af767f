/*
 * The sandboxed parser (mail/sandbox.c): what the child reads comes
 * back whole (message, class, reply token, forms); the CPU limit, the
 * memory limit, the wall clock and the result cap each end a child
 * without harm to the caller; the child holds no file of its parent's
 * and can write none; a garbled result is refused.  And what the
 * intake (mail/intake.c) makes of it against a real database: stored
 * once whatever the UID, a killed parser counted to quarantine, our
 * MTA's dmarc=fail told from anyone else's.
 */
#include <sys/stat.h>

#include <signal.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/date.h"
#include "lib/sha256.h"
#include "forms/account.h"
#include "db/accounts.h"
#include "db/registry.h"
#include "db/tables.h"
#include "mail/intake.h"
#include "mail/sandbox.h"
#include "mail/token.h"
#include "tests.h"

static const unsigned char key[32] = "0123456789abcdef0123456789abcde";
static const char *const ours[] = { "aluminum.license@aim.test",
    "steel.license@aim.test" };
static struct classify_conf cc;
static struct sandbox_conf sc;

static void
setup(void)
{
	tests_init_tables();
	memset(&cc, 0, sizeof(cc));
	cc.addresses = ours;
	cc.naddresses = 2;
	cc.msgid_domain = "aim.test";
	cc.key = key;
	cc.keylen = sizeof(key);
	cc.today = date_from_ymd(2026, 1, 15);
	memset(&sc, 0, sizeof(sc));
	sc.cpu_seconds = 5;
	sc.memory_mb = 256;
	sc.wall_seconds = 20;
	sc.cc = &cc;
	sc.app_date = date_from_ymd(2026, 1, 15);
}

static char *
slurp(const char *rel, size_t *len)
{
	char	 path[512], *buf;
	FILE	*f;
	long	 n;

	snprintf(path, sizeof(path), "%s/%s", TEST_SRCDIR, rel);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_gt(n, 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* An email from filer@example.com carrying the XML golden form. */
static char *
xml_mail(size_t *len, char *sha)
{
	char	*xml, *m;
	size_t	 xl, cap;
	int	 n;

	xml = slurp("tests/forms/good/aluminum-standard.xml", &xl);
	ck_assert_int_eq(sha256_hex(xml, xl, sha), 0);
	cap = xl + 2048;
	m = malloc(cap);
	ck_assert_ptr_nonnull(m);
	n = snprintf(m, cap,
	    "From: Dana Ortiz <Dana@Example.com>\r\n"
	    "To: aluminum.license@aim.test\r\n"
	    "Subject: =?UTF-8?Q?Aluminum_License_Application_=E2=80=93_urgent?="
	    "\r\n"
	    "Message-ID: <x1@example.com>\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
	    "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
	    "Our site login fails.\r\n"
	    "--b1\r\nContent-Type: text/xml; name=\"form.xml\"\r\n"
	    "Content-Disposition: attachment; filename=\"form.xml\"\r\n\r\n"
	    "%s\r\n--b1--\r\n", xml);
	ck_assert(n > 0 && (size_t)n < cap);
	free(xml);
	*len = (size_t)n;
	return m;
}

START_TEST(reads_a_submission)
{
	struct sandbox_result	 r;
	char			 why[256], sha[65], *m;
	size_t			 len;

	m = xml_mail(&len, sha);
	ck_assert_int_eq(sandbox_parse(&sc, m, len, &r, why, sizeof(why)),
	    SANDBOX_OK);
	ck_assert_int_eq(r.cls.class, MAIL_SUBMISSION);
	ck_assert_str_eq(r.msg->from, "dana@example.com");
	ck_assert_str_eq(r.msg->from_name, "Dana Ortiz");
	ck_assert_str_eq(r.msg->subject,
	    "Aluminum License Application \xe2\x80\x93 urgent");
	ck_assert_str_eq(r.msg->message_id, "x1@example.com");
	ck_assert_str_eq(r.first_line, "Our site login fails.");
	ck_assert_uint_eq(r.msg->natt, 1);
	ck_assert_str_eq(r.msg->att[0].name, "form.xml");
	ck_assert_ptr_null(r.msg->att[0].data);
	ck_assert_str_eq(r.msg->att[0].sha256, sha);
	ck_assert_uint_eq(r.nforms, 1);
	ck_assert_uint_eq(r.cls.nforms, 1);
	ck_assert_uint_eq(r.cls.forms[0], 0);
	ck_assert_ptr_nonnull(r.forms[0].form);
	ck_assert_str_eq(r.forms[0].form->v[HF_IMPORTER_NAME],
	    "Harbor Metals Importing LLC");
	ck_assert_uint_eq(r.forms[0].form->nlines, 2);
	ck_assert_str_eq(r.forms[0].form->lines[1].v[LF_HTS_CODE],
	    "7606123045");
	/* Valid as of the application date given... */
	ck_assert_uint_eq(r.forms[0].nerrors, 0);
	ck_assert_uint_eq(r.forms[0].read_report.nerrors, 0);
	ck_assert_uint_gt(r.bytes, 0);
	sandbox_result_free(&r);
	/* ... and not months before (the import is over 60 days away). */
	sc.app_date = date_from_ymd(2025, 11, 1);
	ck_assert_int_eq(sandbox_parse(&sc, m, len, &r, why, sizeof(why)),
	    SANDBOX_OK);
	ck_assert_uint_gt(r.forms[0].nerrors, 0);
	ck_assert_uint_eq(r.forms[0].read_report.nerrors, 0);
	sandbox_result_free(&r);
	free(m);
}
END_TEST

START_TEST(reads_a_reply_and_a_bounce)
{
	struct sandbox_result	 r;
	struct token		 t;
	char			 why[256], tok[TOKEN_LEN + 1], m[2048];
	int			 n;

	t.kind = TOKEN_LICENSE;
	t.purpose = TOKEN_ACTION;
	t.id = 42;
	t.expires = cc.today + 30;
	ck_assert_int_eq(token_make(&t, "filer@example.com", key,
	    sizeof(key), tok), 0);
	n = snprintf(m, sizeof(m),
	    "From: filer@example.com\r\n"
	    "To: aluminum.license+%s@aim.test\r\n"
	    "Subject: Re: Action required\r\n\r\n"
	    "  CONFIRM  \r\n\r\n"
	    "On Monday, AIM Licensing wrote:\r\n> Please confirm\r\n", tok);
	ck_assert_int_eq(sandbox_parse(&sc, m, (size_t)n, &r, why,
	    sizeof(why)), SANDBOX_OK);
	ck_assert_int_eq(r.cls.class, MAIL_REPLY);
	ck_assert_int_eq(r.cls.token.kind, TOKEN_LICENSE);
	ck_assert_int_eq(r.cls.token.purpose, TOKEN_ACTION);
	ck_assert_int_eq(r.cls.token.id, 42);
	ck_assert_int_eq(r.cls.token.expires, cc.today + 30);
	ck_assert_str_eq(r.cls.token_in, "To");
	ck_assert_str_eq(r.first_line, "CONFIRM");
	sandbox_result_free(&r);

	/* The same reply from someone else: the token is not theirs. */
	n = snprintf(m, sizeof(m),
	    "From: other@example.com\r\n"
	    "To: aluminum.license+%s@aim.test\r\n"
	    "Subject: Re: Action required\r\n\r\nCONFIRM\r\n", tok);
	ck_assert_int_eq(sandbox_parse(&sc, m, (size_t)n, &r, why,
	    sizeof(why)), SANDBOX_OK);
	ck_assert_int_eq(r.cls.class, MAIL_CORRESPONDENCE);
	ck_assert_int_eq(r.cls.token_err, TOKEN_FORGED);
	sandbox_result_free(&r);

	n = snprintf(m, sizeof(m),
	    "From: MAILER-DAEMON@mail.example.com\r\n"
	    "To: aluminum.license@aim.test\r\n"
	    "Subject: Undelivered Mail Returned to Sender\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/report; report-type=delivery-status; "
	    "boundary=\"r\"\r\n\r\n"
	    "--r\r\nContent-Type: text/plain\r\n\r\nNo such user.\r\n"
	    "--r\r\nContent-Type: message/delivery-status\r\n\r\n"
	    "Reporting-MTA: dns; mail.example.com\r\n\r\n"
	    "Final-Recipient: rfc822; x@example.com\r\nAction: failed\r\n"
	    "Status: 5.1.1\r\n\r\n--r--\r\n");
	ck_assert_int_eq(sandbox_parse(&sc, m, (size_t)n, &r, why,
	    sizeof(why)), SANDBOX_OK);
	ck_assert_int_eq(r.cls.class, MAIL_BOUNCE);
	ck_assert_int_eq(r.msg->is_dsn, 1);
	sandbox_result_free(&r);
}
END_TEST

static double
since(const struct timespec *t0)
{
	struct timespec	 t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	    (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
spin(void)
{
	volatile unsigned long	 n = 0;

	for (;;)
		n++;
}

START_TEST(cpu_limit_kills_the_child)
{
	struct sandbox_result	 r;
	struct timespec		 t0;
	char			 why[256], sha[65], *m;
	size_t			 len;

	m = xml_mail(&len, sha);
	sc.cpu_seconds = 1;
	sc.wall_seconds = 40;
	sc.child_hook = spin;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(sandbox_parse(&sc, m, len, &r, why, sizeof(why)),
	    SANDBOX_KILLED);
	ck_assert_msg(strncmp(why, "parser killed: CPU/memory limit",
	    31) == 0, "%s", why);
	ck_assert_msg(strstr(why, "SIGXCPU") != NULL, "%s", why);
	/* The CPU limit, not the wall clock, ended it (a second of CPU
	 * takes longer on a busy machine). */
	ck_assert_double_lt(since(&t0), 30.0);
	ck_assert_ptr_null(r.msg);
	sandbox_result_free(&r);
	/* The caller goes on: the next message reads. */
	sc.child_hook = NULL;
	ck_assert_int_eq(sandbox_parse(&sc, m, len, &r, why, sizeof(why)),
	    SANDBOX_OK);
	sandbox_result_free(&r);
	free(m);
}
END_TEST

/* A deliberately huge message: 24 MB of base64 attachment. */
static char *
huge_mail(size_t *len)
{
	static const char head[] =
	    "From: a@example.com\r\nTo: aluminum.license@aim.test\r\n"
	    "Subject: big\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
	    "--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
	    "--b\r\nContent-Type: application/octet-stream; name=\"x.bin\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n";
	static const char tail[] = "--b--\r\n";
	size_t	 lines = 24 * 1024 * 1024 / 78, i, n;
	char	*m, *p;

	n = sizeof(head) - 1 + lines * 78 + sizeof(tail) - 1;
	m = malloc(n + 1);
	ck_assert_ptr_nonnull(m);
	memcpy(m, head, sizeof(head) - 1);
	p = m + sizeof(head) - 1;
	for (i = 0; i < lines; i++) {
		memset(p, 'Q', 76);
		p[76] = '\r';
		p[77] = '\n';
		p += 78;
	}
	memcpy(p, tail, sizeof(tail) - 1);
	*len = n;
	return m;
}

START_TEST(memory_limit_kills_the_child)
{
	struct sandbox_result	 r;
	char			 why[256], *m;
	size_t			 len;

	m = huge_mail(&len);
	sc.memory_mb = 16;
	ck_assert_int_eq(sandbox_parse(&sc, m, len, &r, why, sizeof(why)),
	    SANDBOX_KILLED);
	ck_assert_msg(strncmp(why, "parser killed: CPU/memory limit",
	    31) == 0, "%s", why);
	sandbox_result_free(&r);
	/* With room, the same message reads. */
	sc.memory_mb = 512;
	ck_assert_int_eq(sandbox_parse(&sc, m, len, &r, why, sizeof(why)),
	    SANDBOX_OK);
	ck_assert_uint_eq(r.msg->natt, 1);
	ck_assert_uint_gt(r.msg->att[0].size, 17 * 1024 * 1024);
	sandbox_result_free(&r);
	free(m);
}
END_TEST

static void
nap(void)
{
	sleep(30);
}

START_TEST(wall_clock_kills_a_sleeping_child)
{
	struct sandbox_result	 r;
	struct timespec		 t0;
	char			 why[256], sha[65], *m;
	size_t			 len;
	double			 s;

	m = xml_mail(&len, sha);
	sc.wall_seconds = 1;
	sc.child_hook = nap;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(sandbox_parse(&sc, m, len, &r, why, sizeof(why)),
	    SANDBOX_TIMEOUT);
	s = since(&t0);
	ck_assert_double_ge(s, 0.9);
	ck_assert_double_lt(s, 10.0);
	ck_assert_msg(strncmp(why, "parser killed: time limit", 25) == 0,
	    "%s", why);
	free(m);
}
END_TEST

START_TEST(result_size_is_capped)
{
	struct sandbox_result	 r;
	char			 why[256], sha[65], *m;
	size_t			 len, bytes;

	m = xml_mail(&len, sha);
	ck_assert_int_eq(sandbox_parse(&sc, m, len, &r, why, sizeof(why)),
	    SANDBOX_OK);
	bytes = r.bytes;
	sandbox_result_free(&r);
	/* Exactly the cap reads; one byte less is refused. */
	sc.result_max = bytes;
	ck_assert_int_eq(sandbox_parse(&sc, m, len, &r, why, sizeof(why)),
	    SANDBOX_OK);
	ck_assert_uint_eq(r.bytes, bytes);
	sandbox_result_free(&r);
	sc.result_max = bytes - 1;
	ck_assert_int_eq(sandbox_parse(&sc, m, len, &r, why, sizeof(why)),
	    SANDBOX_TOO_LARGE);
	ck_assert_ptr_null(r.msg);
	ck_assert_msg(strstr(why, "too large") != NULL, "%s", why);
	free(m);
}
END_TEST

static int	 parent_fd = -1;
static char	 scratch[64];

/* Exits 9 if the parent's file is still open in the child. */
static void
probe_fd(void)
{
	if (fcntl(parent_fd, F_GETFD) != -1)
		_exit(9);
}

static void
write_file(void)
{
	int	 fd;

	if ((fd = open(scratch, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1)
		_exit(8);
	(void)write(fd, "x", 1);
	_exit(0);
}

START_TEST(child_holds_and_writes_no_files)
{
	struct sandbox_result	 r;
	struct stat		 st;
	char			 why[256], sha[65], *m;
	size_t			 len;
	int			 fd;

	m = xml_mail(&len, sha);
	/* Above the worker's own (0 to 4). */
	fd = open("/dev/null", O_RDONLY);
	ck_assert_int_ge(fd, 0);
	parent_fd = fcntl(fd, F_DUPFD, 100);
	ck_assert_int_ge(parent_fd, 100);
	close(fd);
	sc.child_hook = probe_fd;
	ck_assert_int_eq(sandbox_parse(&sc, m, len, &r, why, sizeof(why)),
	    SANDBOX_OK);
	sandbox_result_free(&r);
	close(parent_fd);

	/* RLIMIT_FSIZE 0: the write kills it, the file stays empty. */
	snprintf(scratch, sizeof(scratch), "/tmp/aim-sandbox-%d",
	    (int)getpid());
	sc.child_hook = write_file;
	ck_assert_int_eq(sandbox_parse(&sc, m, len, &r, why, sizeof(why)),
	    SANDBOX_FAILED);
	ck_assert_msg(strstr(why, "SIGXFSZ") != NULL, "%s", why);
	ck_assert_int_eq(stat(scratch, &st), 0);
	ck_assert_int_eq(st.st_size, 0);
	unlink(scratch);
	free(m);
}
END_TEST

static void
garble(void)
{
	static const char bad[] = "{\"message\": 5, \"class\": \"reply\"}";

	(void)write(3, bad, sizeof(bad) - 1);
	_exit(0);
}

static void
forge_reply(void)
{
	/* A reply naming nothing: refused though well formed. */
	static const char bad[] = "{\"message\": {\"att\": []}, "
	    "\"class\": \"reply\", \"reason\": \"\", \"token\": {\"kind\": 0,"
	    " \"purpose\": 0, \"id\": 0, \"expires\": 0}, \"token_in\": \"\","
	    " \"token_err\": 0, \"our_msgid\": \"\", \"first_line\": \"\", "
	    "\"forms\": []}";
	char	 head[16];
	int	 n;

	/* Framed as a worker frames a result: its length, then it. */
	n = snprintf(head, sizeof(head), "%zu\n", sizeof(bad) - 1);
	(void)write(3, head, (size_t)n);
	(void)write(3, bad, sizeof(bad) - 1);
	_exit(0);
}

START_TEST(garbled_results_are_refused)
{
	struct sandbox_result	 r;
	char			 why[256], sha[65], *m;
	size_t			 len;

	m = xml_mail(&len, sha);
	sc.child_hook = garble;
	ck_assert_int_eq(sandbox_parse(&sc, m, len, &r, why, sizeof(why)),
	    SANDBOX_FAILED);
	ck_assert_ptr_null(r.msg);
	sc.child_hook = forge_reply;
	ck_assert_int_eq(sandbox_parse(&sc, m, len, &r, why, sizeof(why)),
	    SANDBOX_FAILED);
	ck_assert_ptr_null(r.msg);
	free(m);
}
END_TEST

/* ---- mail/intake.c ---- */

/* In a worker: every third message it reads hits the CPU limit. */
static void
third_dies(void)
{
	static int	 n;

	if (++n % 3 == 0)
		raise(SIGXCPU);
}

START_TEST(a_pool_reads_many_and_loses_only_the_bomb)
{
	struct sandbox_result	 r;
	struct sandbox		*sb;
	char			 why[256], sha[65], *m;
	long			 t[8];
	size_t			 len, i;
	int			 fd;

	m = xml_mail(&len, sha);
	fd = sandbox_memfd(m, len);
	ck_assert_int_ge(fd, 0);
	/* One worker: the order of its messages is known. */
	sc.workers = 1;
	sc.child_hook = third_dies;
	ck_assert_ptr_nonnull(sb = sandbox_new(&sc));
	for (i = 0; i < 8; i++)
		ck_assert_int_ge(t[i] = sandbox_submit(sb, fd, len, 0, 0), 0);
	for (i = 0; i < 8; i++) {
		/* 3rd and 6th of the first worker; its successor starts
		 * counting again at the 4th. */
		if (i == 2 || i == 5) {
			ck_assert_int_eq(sandbox_wait(sb, t[i], &r, why,
			    sizeof(why)), SANDBOX_KILLED);
			ck_assert_msg(strstr(why, "SIGXCPU") != NULL, "%s",
			    why);
			ck_assert_ptr_null(r.msg);
			continue;
		}
		ck_assert_msg(sandbox_wait(sb, t[i], &r, why, sizeof(why)) ==
		    SANDBOX_OK, "message %zu: %s", i, why);
		ck_assert_int_eq(r.cls.class, MAIL_SUBMISSION);
		ck_assert_uint_eq(r.nforms, 1);
		ck_assert_ptr_nonnull(r.forms[0].form);
		sandbox_result_free(&r);
	}
	sandbox_free(sb);

	/* Two workers, results waited for out of order. */
	sc.workers = 2;
	sc.child_hook = NULL;
	ck_assert_ptr_nonnull(sb = sandbox_new(&sc));
	for (i = 0; i < 8; i++)
		ck_assert_int_ge(t[i] = sandbox_submit(sb, fd, len, 0, 0), 0);
	for (i = 8; i-- > 0;) {
		ck_assert_int_eq(sandbox_wait(sb, t[i], &r, why, sizeof(why)),
		    SANDBOX_OK);
		ck_assert_str_eq(r.msg->att[0].sha256, sha);
		sandbox_result_free(&r);
	}
	/* A ticket is waited for once. */
	ck_assert_int_eq(sandbox_wait(sb, t[0], &r, why, sizeof(why)),
	    SANDBOX_SYSTEM);
	sandbox_free(sb);
	close(fd);
	free(m);
}
END_TEST

/*
 * As the watcher uses it: one thread submits batch after batch while
 * another waits for each result in order, and workers die under them
 * (every third message a worker reads hits the CPU limit).  Each
 * message is read once or fails alone; nothing hangs.
 */
#define TWO_N	96

struct submitter {
	struct sandbox	*sb;
	int		 fd;
	size_t		 len;
	long		 t[TWO_N];
	int		 n;		/* submitted so far */
	int		 done;		/* all waited for */
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
};

static void *
submit_all(void *arg)
{
	struct submitter	*s = arg;
	long			 t;
	int			 i;

	for (i = 0; i < TWO_N; i++) {
		/* Batches of 32, as intake_pass loads them. */
		if (i > 0 && i % 32 == 0)
			usleep(20000);
		t = sandbox_submit(s->sb, s->fd, s->len, 0, 0);
		pthread_mutex_lock(&s->mu);
		s->t[i] = t;
		s->n = i + 1;
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);
	}
	/* Workers die with the thread that forked them: as the
	 * watcher's threads, this one lasts as long as the pool's use. */
	pthread_mutex_lock(&s->mu);
	while (!s->done)
		pthread_cond_wait(&s->cv, &s->mu);
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

START_TEST(a_pool_serves_two_threads)
{
	struct sandbox_result	 r;
	struct submitter	 s;
	pthread_t		 th;
	enum sandbox_err	 e;
	char			 why[256], sha[65], *m;
	long			 t;
	int			 i, ok = 0, killed = 0;

	m = xml_mail(&s.len, sha);
	ck_assert_int_ge(s.fd = sandbox_memfd(m, s.len), 0);
	sc.workers = 2;
	sc.child_hook = third_dies;
	ck_assert_ptr_nonnull(s.sb = sandbox_new(&sc));
	s.n = s.done = 0;
	pthread_mutex_init(&s.mu, NULL);
	pthread_cond_init(&s.cv, NULL);
	ck_assert_int_eq(pthread_create(&th, NULL, submit_all, &s), 0);
	for (i = 0; i < TWO_N; i++) {
		pthread_mutex_lock(&s.mu);
		while (s.n <= i)
			pthread_cond_wait(&s.cv, &s.mu);
		t = s.t[i];
		pthread_mutex_unlock(&s.mu);
		ck_assert_int_ge(t, 0);
		e = sandbox_wait(s.sb, t, &r, why, sizeof(why));
		if (e == SANDBOX_KILLED) {
			ck_assert_msg(strstr(why, "SIGXCPU") != NULL, "%s",
			    why);
			killed++;
			continue;
		}
		ck_assert_msg(e == SANDBOX_OK, "message %d: %s", i, why);
		ck_assert_str_eq(r.msg->att[0].sha256, sha);
		ck_assert_uint_eq(r.nforms, 1);
		sandbox_result_free(&r);
		ok++;
	}
	pthread_mutex_lock(&s.mu);
	s.done = 1;
	pthread_cond_broadcast(&s.cv);
	pthread_mutex_unlock(&s.mu);
	ck_assert_int_eq(pthread_join(th, NULL), 0);
	ck_assert_int_eq(ok + killed, TWO_N);
	/* A worker dies at its third message; the messages queued behind
	 * it go to its successor, which reads two before it dies too. */
	ck_assert_int_ge(killed, TWO_N / 3 - 2);
	ck_assert_int_le(killed, TWO_N / 3 + 2);
	sandbox_free(s.sb);
	pthread_cond_destroy(&s.cv);
	pthread_mutex_destroy(&s.mu);
	close(s.fd);
	free(m);
}
END_TEST

/* The store thread takes no signal: SIGTERM reaches the watcher's own
 * thread, whose poll() it must end. */
START_TEST(the_store_thread_blocks_signals)
{
	struct intake_pipe	*p;
	struct dirent		*de;
	char			 path[300], line[256];
	unsigned long long	 blk;
	DIR			*d;
	FILE			*f;
	int			 others = 0;

	ck_assert_ptr_nonnull(p = intake_pipe_new());
	ck_assert_ptr_nonnull(d = opendir("/proc/self/task"));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' ||
		    strtol(de->d_name, NULL, 10) == (long)getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/status",
		    de->d_name);
		ck_assert_ptr_nonnull(f = fopen(path, "r"));
		while (fgets(line, sizeof(line), f) != NULL)
			if (strncmp(line, "SigBlk:", 7) == 0) {
				blk = strtoull(line + 7, NULL, 16);
				ck_assert_msg(blk & (1ULL << (SIGTERM - 1)),
				    "thread %s takes SIGTERM", de->d_name);
				ck_assert(blk & (1ULL << (SIGINT - 1)));
				others++;
			}
		fclose(f);
	}
	closedir(d);
	ck_assert_int_eq(others, 1);
	intake_pipe_free(p);
}
END_TEST

START_TEST(dmarc_of_our_mta_only)
{
	static const char us[] = "mail.aim.test";

	ck_assert_int_eq(intake_dmarc_fail("mail.aim.test; spf=pass; "
	    "dmarc=fail (p=reject) header.from=x.example", us), 1);
	ck_assert_int_eq(intake_dmarc_fail("Mail.AIM.test 1; DMARC = FAIL",
	    us), 1);
	/* Top (ours) second: every line of ours counts. */
	ck_assert_int_eq(intake_dmarc_fail("mx.other.example; dmarc=pass\n"
	    "mail.aim.test; dmarc=fail", us), 1);
	ck_assert_int_eq(intake_dmarc_fail("mail.aim.test; dmarc=pass", us),
	    0);
	/* Anyone else's header, or a longer name, is not ours. */
	ck_assert_int_eq(intake_dmarc_fail("mx.other.example; dmarc=fail",
	    us), 0);
	ck_assert_int_eq(intake_dmarc_fail("mail.aim.test.evil.example; "
	    "dmarc=fail", us), 0);
	/* In a comment, or another word, it says nothing. */
	ck_assert_int_eq(intake_dmarc_fail("mail.aim.test; dmarc=pass "
	    "(was dmarc=fail)", us), 0);
	ck_assert_int_eq(intake_dmarc_fail("mail.aim.test; dmarc=failed",
	    us), 0);
	ck_assert_int_eq(intake_dmarc_fail("mail.aim.test; xdmarc=fail",
	    us), 0);
	/* No trusted MTA configured: nothing is trusted. */
	ck_assert_int_eq(intake_dmarc_fail("mail.aim.test; dmarc=fail", ""),
	    0);
	ck_assert_int_eq(intake_dmarc_fail(NULL, us), 0);
}
END_TEST

static struct db		*idb;
static char			 idir[64];
static struct intake_conf	 ic;
static int64_t			 iacct;

static void
intake_setup(void)
{
	struct account_form	 af;
	struct report		 rep;
	char			 path[128], err[256];
	int64_t			 id;

	setup();
	snprintf(idir, sizeof(idir), "/tmp/aim-intake-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(idir));
	snprintf(path, sizeof(path), "%s/aim.db", idir);
	idb = db_open(path, 1, err, sizeof(err));
	ck_assert_msg(idb != NULL, "%s", err);
	ck_assert_int_eq(db_migrate(idb), DB_OK);
	ck_assert_int_eq(tables_load_hts(idb), DB_OK);
	snprintf(idb->mail_domain, sizeof(idb->mail_domain), "aim.test");
	memset(&af, 0, sizeof(af));
	report_init(&rep);
	af.v[AF_EMAIL] = strdup("dana@example.com");
	af.v[AF_ALT_EMAIL] = strdup("alt@example.com");
	af.v[AF_COMPANY_NAME] = strdup("Harbor Metals Importing LLC");
	af.v[AF_EIN] = strdup("12-3456789");
	af.v[AF_ADDRESS] = strdup("1 Main St, Springfield, IL 62701");
	af.v[AF_PHONE] = strdup("217-555-0100");
	af.v[AF_CONTACT_NAME] = strdup("Dana Ortiz");
	ck_assert_int_eq(account_check(&af, &rep), 0);
	ck_assert_int_eq(accounts_add(idb, &af, "$argon2id$v=19$m=8,t=1,p=1$"
	    "c2FsdHNhbHQ$aGFzaA", 1, &id), DB_OK);
	iacct = id;
	account_form_clear(&af);
	report_free(&rep);
	memset(&ic, 0, sizeof(ic));
	ic.mailbox = "aluminum";
	ic.product = "aluminum";
	ic.authserv_id = "mail.aim.test";
	ic.max_attempts = 2;
	ic.replies_per_hour = 10;
	ic.key = key;
	ic.keylen = sizeof(key);
	ic.sandbox = sc;
}

static void
intake_teardown(void)
{
	char	 cmd[128];

	db_close(idb);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", idir);
	ck_assert_int_eq(system(cmd), 0);
}

static long
rows(const char *sql)
{
	sqlite3_stmt	*st;
	long		 n;

	ck_assert_int_eq(sqlite3_prepare_v2(idb->h, sql, -1, &st, NULL),
	    SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

START_TEST(intake_stores_once)
{
	struct intake_outcome	 out;
	char			 sha[65], *m;
	size_t			 len;

	m = xml_mail(&len, sha);
	ck_assert_int_eq(intake_known(idb, &ic, 7, 1, &out), 0);
	intake_message(idb, &ic, 7, 1, m, len, &out);
	ck_assert_msg(out.where == INTAKE_PROCESSED, "%s", out.what);
	ck_assert_int_gt(out.id, 0);
	ck_assert_int_eq(rows("SELECT count(*) FROM queue_item WHERE "
	    "kind = 'submission' AND valid = 1"), 1);
	ck_assert_int_eq(rows("SELECT count(*) FROM outbox WHERE template = "
	    "'submission_received' AND to_addr = 'dana@example.com'"), 1);
	/* After a crash before the move: known, only moved. */
	ck_assert_int_eq(intake_known(idb, &ic, 7, 1, &out), 1);
	ck_assert_int_eq(out.where, INTAKE_PROCESSED);
	/* The same message again under another UID: nothing new. */
	intake_message(idb, &ic, 7, 2, m, len, &out);
	ck_assert_msg(out.where == INTAKE_PROCESSED, "%s", out.what);
	ck_assert_int_eq(rows("SELECT count(*) FROM mail_message"), 1);
	ck_assert_int_eq(rows("SELECT count(*) FROM queue_item"), 1);
	ck_assert_int_eq(rows("SELECT count(*) FROM outbox"), 1);
	free(m);
}
END_TEST

/* With a watcher's workers (sandbox_submit, sandbox_wait): the same. */
START_TEST(intake_with_workers)
{
	struct intake_outcome	 out;
	char			 sha[65], *m;
	size_t			 len;

	m = xml_mail(&len, sha);
	ic.sandbox.workers = 2;
	ck_assert_ptr_nonnull(ic.pool = sandbox_new(&ic.sandbox));
	intake_message(idb, &ic, 7, 1, m, len, &out);
	ck_assert_msg(out.where == INTAKE_PROCESSED, "%s", out.what);
	ck_assert_int_eq(rows("SELECT count(*) FROM queue_item WHERE "
	    "kind = 'submission' AND valid = 1"), 1);
	/* Known by its Message-ID under another UID. */
	intake_message(idb, &ic, 7, 2, m, len, &out);
	ck_assert_msg(out.where == INTAKE_PROCESSED, "%s", out.what);
	ck_assert_int_eq(rows("SELECT count(*) FROM mail_message"), 1);
	ck_assert_int_eq(rows("SELECT count(*) FROM mail_raw"), 1);
	sandbox_free(ic.pool);
	ic.pool = NULL;
	free(m);
}
END_TEST

static void
die_xcpu(void)
{
	raise(SIGXCPU);
}

START_TEST(intake_quarantines_what_kills_the_parser)
{
	struct intake_outcome	 out;
	char			 sha[65], *m;
	size_t			 len;

	m = xml_mail(&len, sha);
	ic.sandbox.child_hook = die_xcpu;
	/* max_attempts 2: once left for later, then quarantined. */
	intake_message(idb, &ic, 7, 5, m, len, &out);
	ck_assert_msg(out.where == INTAKE_LATER, "%s", out.what);
	ck_assert_int_eq(intake_known(idb, &ic, 7, 5, &out), 0);
	ck_assert_int_eq(rows("SELECT count(*) FROM mail_message WHERE "
	    "state = 'stored' AND attempts = 1 AND last_error LIKE "
	    "'parser killed: CPU/memory limit%'"), 1);
	intake_message(idb, &ic, 7, 5, m, len, &out);
	ck_assert_msg(out.where == INTAKE_QUARANTINE, "%s", out.what);
	ck_assert_int_eq(rows("SELECT count(*) FROM mail_message WHERE "
	    "state = 'quarantined' AND attempts = 2"), 1);
	ck_assert_int_eq(rows("SELECT count(*) FROM queue_item WHERE "
	    "kind = 'quarantine' AND note LIKE 'parser killed: CPU/memory "
	    "limit%'"), 1);
	ck_assert_int_eq(intake_known(idb, &ic, 7, 5, &out), 1);
	ck_assert_int_eq(out.where, INTAKE_QUARANTINE);
	/* Nothing answered, nothing submitted. */
	ck_assert_int_eq(rows("SELECT count(*) FROM outbox"), 0);
	ck_assert_int_eq(rows("SELECT count(*) FROM queue_item WHERE "
	    "kind = 'submission'"), 0);
	free(m);
}
END_TEST

static void
fset(struct form *f, enum hfield h, const char *v)
{
	ck_assert_int_eq(form_set(f, h, v, strlen(v)), 0);
}

static void
lset(struct form_line *l, enum lfield h, const char *v)
{
	ck_assert_int_eq(form_line_set(l, h, v, strlen(v)), 0);
}

/* A license flagged for its unit value ($10,000 per kg), filed by the
 * account: the registry queues its Action Required mail to the
 * primary email with the alternate in Cc.  Returns its id. */
static int64_t
flagged_license(char *number, size_t numbersz)
{
	struct reg_result	 res;
	struct actor		 a = { iacct, "dana@example.com", "web", 0 };
	struct form		*f = form_new();
	struct form_line	*l;
	char			 sql[256];

	fset(f, HF_PRODUCT, "aluminum");
	fset(f, HF_LICENSE_TYPE, "standard");
	fset(f, HF_ENTRY_TYPE, "consumption");
	fset(f, HF_IMPORTER_NAME, "Harbor Metals Importing LLC");
	fset(f, HF_EXPORTER_NAME, "Alu Export GmbH");
	fset(f, HF_MANUFACTURER_NAME, "Hydro");
	fset(f, HF_COUNTRY_OF_ORIGIN, "Germany");
	fset(f, HF_COUNTRY_OF_EXPORTATION, "Germany");
	fset(f, HF_EXPECTED_EXPORT_DATE, "2026-01-20");
	fset(f, HF_EXPECTED_IMPORT_DATE, "2026-02-10");
	fset(f, HF_PORT_OF_ENTRY, "Baltimore, MD");
	l = form_add_line(f);
	lset(l, LF_HTS_CODE, "7601103000");
	lset(l, LF_CUSTOMS_VALUE_USD, "100000");
	lset(l, LF_VOLUME_KG, "10");
	lset(l, LF_COUNTRY_OF_LARGEST_SMELT, "Norway");
	lset(l, LF_COUNTRY_OF_SECOND_LARGEST_SMELT, "not applicable");
	lset(l, LF_COUNTRY_OF_MOST_RECENT_CAST, "Germany");
	reg_result_init(&res);
	ck_assert_int_eq(reg_submit(idb, &a, f, sc.app_date, &res), REG_OK);
	ck_assert_int_eq(res.status, STATUS_ACTION_REQUIRED);
	snprintf(number, numbersz, "%s", res.number);
	reg_result_free(&res);
	form_free(f);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM outbox WHERE "
	    "license_id = (SELECT id FROM license WHERE number = '%s') AND "
	    "to_addr = 'dana@example.com' AND cc_addr = 'alt@example.com'",
	    number);
	ck_assert_int_eq(rows(sql), 1);
	snprintf(sql, sizeof(sql), "SELECT id FROM license WHERE number = "
	    "'%s'", number);
	return rows(sql);
}

/* A reply CONFIRM from from to the reply address of the Action
 * Required mail, whose token was written for the primary email (as
 * mail/render.c writes it). */
static char *
confirm_mail(const char *from, int64_t license, const char *mid,
    size_t *len)
{
	struct token	 t = { TOKEN_LICENSE, TOKEN_ACTION, license,
			    0 };
	char		 tok[TOKEN_LEN + 1], *m;
	int		 n;

	t.expires = sc.app_date + 90;
	ck_assert_int_eq(token_make(&t, "dana@example.com", key, sizeof(key),
	    tok), 0);
	m = malloc(2048);
	ck_assert_ptr_nonnull(m);
	n = snprintf(m, 2048,
	    "From: %s\r\n"
	    "To: aluminum.license+%s@aim.test\r\n"
	    "Subject: Re: Action required\r\n"
	    "Message-ID: <%s@example.com>\r\n"
	    "Authentication-Results: mail.aim.test; dmarc=pass\r\n"
	    "\r\n"
	    "CONFIRM\r\n\r\nOn Monday AIM Licensing wrote:\r\n"
	    "> Action required\r\n", from, tok, mid);
	ck_assert(n > 0 && n < 2048);
	*len = (size_t)n;
	return m;
}

static long
license_issued(int64_t id)
{
	char	 sql[96];

	snprintf(sql, sizeof(sql), "SELECT status = 'issued' FROM license "
	    "WHERE id = %lld", (long long)id);
	return rows(sql);
}

START_TEST(intake_confirm_from_the_alternate_email)
{
	struct intake_outcome	 out;
	char			 number[32], *m;
	int64_t			 lic;
	size_t			 len;

	lic = flagged_license(number, sizeof(number));
	/* The primary's token, answered by the account's alternate. */
	m = confirm_mail("Alt <ALT@example.com>", lic, "alt1", &len);
	intake_message(idb, &ic, 7, 10, m, len, &out);
	ck_assert_msg(out.where == INTAKE_PROCESSED, "%s", out.what);
	ck_assert_int_eq(license_issued(lic), 1);
	ck_assert_int_eq(rows("SELECT count(*) FROM mail_message WHERE "
	    "uid = 10 AND classification = 'reply' AND state = "
	    "'processed'"), 1);
	ck_assert_int_eq(rows("SELECT count(*) FROM outbox WHERE template = "
	    "'reply_confirmed' AND to_addr = 'alt@example.com'"), 1);
	ck_assert_int_eq(rows("SELECT count(*) FROM queue_item WHERE "
	    "kind = 'correspondence'"), 0);
	ck_assert_int_eq(rows("SELECT count(*) FROM reply_token_use"), 1);
	free(m);
	/* The same token again, from the primary: used up. */
	m = confirm_mail("dana@example.com", lic, "alt2", &len);
	intake_message(idb, &ic, 7, 11, m, len, &out);
	ck_assert_msg(out.where == INTAKE_PROCESSED, "%s", out.what);
	ck_assert_int_eq(rows("SELECT count(*) FROM queue_item WHERE "
	    "kind = 'correspondence' AND sender = 'dana@example.com' AND "
	    "note LIKE '%used before%'"), 1);
	ck_assert_int_eq(rows("SELECT count(*) FROM reply_token_use"), 1);
	free(m);
}
END_TEST

START_TEST(intake_confirm_from_a_third_address_goes_to_staff)
{
	struct intake_outcome	 out;
	char			 number[32], *m;
	int64_t			 lic;
	size_t			 len;

	lic = flagged_license(number, sizeof(number));
	m = confirm_mail("other@example.com", lic, "third1", &len);
	intake_message(idb, &ic, 7, 20, m, len, &out);
	ck_assert_msg(out.where == INTAKE_PROCESSED, "%s", out.what);
	ck_assert_int_eq(license_issued(lic), 0);
	ck_assert_int_eq(rows("SELECT count(*) FROM queue_item WHERE "
	    "kind = 'correspondence' AND sender = 'other@example.com' AND "
	    "note LIKE '%reply link%'"), 1);
	ck_assert_int_eq(rows("SELECT count(*) FROM mail_message WHERE "
	    "uid = 20 AND classification = 'correspondence'"), 1);
	/* Not told whose license it is. */
	ck_assert_int_eq(rows("SELECT count(*) FROM outbox WHERE template = "
	    "'reply_refused' AND to_addr = 'other@example.com' AND params "
	    "NOT LIKE '%token_forged%'"), 0);
	ck_assert_int_eq(rows("SELECT count(*) FROM reply_token_use"), 0);
	free(m);
	/* The alternate, but our MTA says dmarc=fail: staff. */
	m = confirm_mail("alt@example.com", lic, "third2", &len);
	{
		char	*p = strstr(m, "dmarc=pass");

		ck_assert_ptr_nonnull(p);
		memcpy(p, "dmarc=fail", 10);
	}
	intake_message(idb, &ic, 7, 21, m, len, &out);
	ck_assert_msg(out.where == INTAKE_PROCESSED, "%s", out.what);
	ck_assert_int_eq(license_issued(lic), 0);
	ck_assert_int_eq(rows("SELECT count(*) FROM queue_item WHERE "
	    "kind = 'correspondence' AND sender = 'alt@example.com' AND "
	    "note LIKE '%dmarc_fail%'"), 1);
	free(m);
}
END_TEST

Suite *
suite_sandbox(void)
{
	Suite	*s = suite_create("sandbox");
	TCase	*tc = tcase_create("sandbox");
	TCase	*ti = tcase_create("intake");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, reads_a_submission);
	tcase_add_test(tc, reads_a_reply_and_a_bounce);
	tcase_add_test(tc, cpu_limit_kills_the_child);
	tcase_add_test(tc, memory_limit_kills_the_child);
	tcase_add_test(tc, wall_clock_kills_a_sleeping_child);
	tcase_add_test(tc, result_size_is_capped);
	tcase_add_test(tc, child_holds_and_writes_no_files);
	tcase_add_test(tc, garbled_results_are_refused);
	tcase_add_test(tc, a_pool_reads_many_and_loses_only_the_bomb);
	tcase_add_test(tc, a_pool_serves_two_threads);
	tcase_add_test(tc, the_store_thread_blocks_signals);
	tcase_add_test(tc, dmarc_of_our_mta_only);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(ti, intake_setup, intake_teardown);
	tcase_set_timeout(ti, 30);
	tcase_add_test(ti, intake_stores_once);
	tcase_add_test(ti, intake_with_workers);
	tcase_add_test(ti, intake_quarantines_what_kills_the_parser);
	tcase_add_test(ti, intake_confirm_from_the_alternate_email);
	tcase_add_test(ti, intake_confirm_from_a_third_address_goes_to_staff);
	suite_add_tcase(s, ti);
	return s;
}
