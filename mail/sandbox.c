/*
 * Untrusted mail read in forked children under resource limits.  A
 * child ("worker") is forked once and reads message after message: it
 * gets each as a sealed memfd (the message and a NUL) over a socket,
 * maps it, reads it with a CPU-time timer and an address-space limit
 * set for that message, and writes what it read as JSON, framed by its
 * length, to a pipe.  The parent rebuilds the result, kills a worker
 * past the wall clock or the result cap, and forks another: the
 * message it was reading counts as failed, the ones queued behind it
 * go to the next worker.  A worker is replaced after WORKER_MESSAGES
 * messages, so a leak or a fragmented heap cannot add up.
 *
 * A pool may be used from two threads (mail/intake.c submits from one
 * and waits in the other): its state is under a mutex, let go only
 * while poll() waits.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "lib/date.h"
#include "lib/limits.h"
#include "forms/read.h"
#include "forms/rules.h"
#include "mime.h"
#include "sandbox.h"

/* Exit codes of the child. */
#define CHILD_NOMEM	3		/* out of memory: a limit */
#define CHILD_FAILED	2

/* File descriptors the child may have open: the three on /dev/null,
 * the result pipe, the request socket, the message in hand, and what
 * iconv and the readers open for a moment. */
#define CHILD_NOFILE	16
/* The child's result pipe and request socket. */
#define CHILD_REQ_FD	4
/* Messages a worker reads before it is replaced. */
#define WORKER_MESSAGES	200
/* Messages handed to one worker before its first result is back: a
 * batch's worth (mail/intake.h), so that the workers read on while the
 * parent fetches, stores and moves, not only while it waits for them. */
#define WORKER_DEPTH	32
/* Bytes the result pipe holds: the results of WORKER_DEPTH messages,
 * so a worker does not stop on a full pipe while the parent is busy. */
#define RESULT_PIPE_BYTES	(1024 * 1024)
/* Bytes of a result frame's header: the length in decimal and '\n'. */
#define FRAME_HEAD	24
/* Address space a worker may reach at most, beyond what it has when it
 * starts: the largest message mapped and the per-message allowance. */
#define WORKER_AS_SLACK	(64ULL * 1024 * 1024)

static const char *const errs[SANDBOX__MAX] = {
	[SANDBOX_OK] = "read",
	[SANDBOX_KILLED] = "parser killed: CPU/memory limit",
	[SANDBOX_TIMEOUT] = "parser killed: time limit",
	[SANDBOX_TOO_LARGE] = "parser result too large",
	[SANDBOX_FAILED] = "parser failed",
	[SANDBOX_SYSTEM] = "cannot start the parser",
};

/* What the parent asks of a worker, with the message's fd. */
struct request {
	uint64_t	 len;		/* the memfd holds len + 1 bytes */
	int32_t		 today;		/* the classifier's day */
	int32_t		 app_date;	/* the rules' day; 0: today */
};

const char *
sandbox_strerror(enum sandbox_err e)
{
	return (unsigned)e < SANDBOX__MAX ? errs[e] : "unknown";
}

/* ---- the child: read, then write JSON ---- */

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

/* Sets o[key] = v; a NULL v (out of memory) sets *bad. */
static void
put(json_t *o, const char *key, json_t *v, int *bad)
{
	if (v == NULL || json_object_set_new(o, key, v) == -1)
		*bad = 1;
}

static void
append(json_t *a, json_t *v, int *bad)
{
	if (v == NULL || json_array_append_new(a, v) == -1)
		*bad = 1;
}

static json_t *
message_json(const struct message *m, int *bad)
{
	json_t		*o, *atts, *a;
	size_t		 i;

	if ((o = json_object()) == NULL || (atts = json_array()) == NULL) {
		json_decref(o);
		*bad = 1;
		return NULL;
	}
	put(o, "message_id", str_or_null(m->message_id), bad);
	put(o, "in_reply_to", str_or_null(m->in_reply_to), bad);
	put(o, "references", str_or_null(m->references), bad);
	put(o, "from", str_or_null(m->from), bad);
	put(o, "from_name", str_or_null(m->from_name), bad);
	put(o, "reply_to", str_or_null(m->reply_to), bad);
	put(o, "to", str_or_null(m->to), bad);
	put(o, "delivered_to", str_or_null(m->delivered_to), bad);
	put(o, "subject", str_or_null(m->subject), bad);
	put(o, "date", str_or_null(m->date), bad);
	put(o, "auto_submitted", str_or_null(m->auto_submitted), bad);
	put(o, "auth_results", str_or_null(m->auth_results), bad);
	put(o, "has_loop_header", json_boolean(m->has_loop_header), bad);
	put(o, "is_dsn", json_boolean(m->is_dsn), bad);
	put(o, "text", str_or_null(m->text), bad);
	put(o, "truncated", json_boolean(m->truncated), bad);
	put(o, "problem", str_or_null(m->problem), bad);
	for (i = 0; i < m->natt; i++) {
		if ((a = json_object()) == NULL) {
			*bad = 1;
			break;
		}
		put(a, "name", json_string(m->att[i].name != NULL ?
		    m->att[i].name : ""), bad);
		put(a, "type", json_string(m->att[i].type != NULL ?
		    m->att[i].type : ""), bad);
		put(a, "size", json_integer((json_int_t)m->att[i].size), bad);
		put(a, "sha256", json_string(m->att[i].sha256), bad);
		append(atts, a, bad);
	}
	put(o, "att", atts, bad);
	return o;
}

static json_t *
items_json(const struct report_item *it, size_t n, int *bad)
{
	json_t	*a;
	size_t	 i;

	if ((a = json_array()) == NULL) {
		*bad = 1;
		return NULL;
	}
	for (i = 0; i < n; i++)
		append(a, json_pack("{s:s, s:s}", "field", it[i].field,
		    "message", it[i].message), bad);
	return a;
}

/* The form as text in the vocabulary: {"h": {...}, "lines": [...]}. */
static json_t *
form_json(const struct form *f, int *bad)
{
	json_t	*o, *h, *lines, *l;
	size_t	 i, k;

	if ((o = json_object()) == NULL) {
		*bad = 1;
		return NULL;
	}
	if ((h = json_object()) == NULL || (lines = json_array()) == NULL) {
		json_decref(h);
		json_decref(o);
		*bad = 1;
		return NULL;
	}
	for (k = 0; k < HF__MAX; k++)
		if (f->v[k] != NULL)
			put(h, hfields[k].name, json_string(f->v[k]), bad);
	for (i = 0; i < f->nlines; i++) {
		if ((l = json_object()) == NULL) {
			*bad = 1;
			break;
		}
		for (k = 0; k < LF__MAX; k++)
			if (f->lines[i].v[k] != NULL)
				put(l, lfields[k].name,
				    json_string(f->lines[i].v[k]), bad);
		append(lines, l, bad);
	}
	put(o, "h", h, bad);
	put(o, "lines", lines, bad);
	put(o, "has_lines", json_boolean(f->has_lines), bad);
	return o;
}

/* Each form attachment read once: when the classifier asks, and kept
 * for the result. */
struct read_form {
	int		 done;		/* read (whatever came of it) */
	struct form	*form;
	struct report	 rep;
	struct pdf_filer filer;
	char		 err[512];
};

struct reads {
	struct read_form	*r;
	size_t			 n;
};

/* classify_conf.is_form: read as the channel reads it. */
static int
read_once(const struct attachment *a, size_t idx, void *arg)
{
	struct reads		*rs = arg;
	struct read_form	*rf;
	int			 k;

	if (idx >= rs->n || (k = classify_form_candidate(a)) == 0)
		return 0;
	rf = &rs->r[idx];
	if (!rf->done) {
		rf->done = 1;
		report_init(&rf->rep);
		if (k == FORMAT_PDF)
			rf->form = pdfform_read_filer((const char *)a->data,
			    a->size, &rf->filer, &rf->rep, rf->err,
			    sizeof(rf->err));
		else
			rf->form = form_read((const char *)a->data, a->size,
			    &rf->rep, rf->err, sizeof(rf->err));
	}
	return rf->form != NULL;
}

static void
reads_free(struct reads *rs)
{
	size_t	 i;

	for (i = 0; i < rs->n; i++)
		if (rs->r[i].done) {
			form_free(rs->r[i].form);
			report_free(&rs->r[i].rep);
			pdf_filer_free(&rs->r[i].filer);
		}
	free(rs->r);
	rs->r = NULL;
	rs->n = 0;
}

/* One form attachment as read, then checked by the rules (the count
 * only: the queue checks again when it stores). */
static json_t *
one_form(int app_date, const struct read_form *rf, size_t idx, int *bad)
{
	struct report	 rules;
	json_t		*o;
	size_t		 nerr = rf->rep.nerrors;

	report_init(&rules);
	if (rf->form != NULL) {
		rules_check(rf->form, app_date > 0 ? app_date : date_today(),
		    &rules, NULL);
		nerr += rules.nerrors;
	}
	if ((o = json_object()) == NULL) {
		*bad = 1;
		goto out;
	}
	put(o, "att", json_integer((json_int_t)idx), bad);
	put(o, "form", rf->form != NULL ? form_json(rf->form, bad) :
	    json_null(), bad);
	put(o, "read_errors", items_json(rf->rep.errors, rf->rep.nerrors,
	    bad), bad);
	put(o, "error", rf->form == NULL ? json_string(rf->err[0] ? rf->err :
	    "not readable") : json_null(), bad);
	put(o, "filer_email", str_or_null(rf->filer.v[FILER_EMAIL]), bad);
	put(o, "nerrors", json_integer((json_int_t)nerr), bad);
out:
	report_free(&rules);
	return o;
}

static json_t *
work(const struct sandbox_conf *c, const struct request *rq, const char *raw,
    size_t len)
{
	struct classify_result	 res;
	struct classify_conf	 cc;
	struct reads		 rs;
	struct message		*m;
	json_t			*o = NULL, *t, *forms;
	char			 err[256];
	size_t			 i;
	int			 bad = 0;

	memset(&res, 0, sizeof(res));
	memset(&rs, 0, sizeof(rs));
	if ((m = mime_parse(raw, len, err, sizeof(err))) == NULL)
		return NULL;
	if (m->natt > 0 && (rs.r = calloc(m->natt, sizeof(*rs.r))) == NULL)
		goto fail;
	rs.n = m->natt;
	cc = *c->cc;
	if (rq->today > 0)
		cc.today = rq->today;
	cc.is_form = read_once;
	cc.is_form_arg = &rs;
	classify_full(m, &cc, &res);
	if ((o = json_object()) == NULL || (forms = json_array()) == NULL)
		goto fail;
	put(o, "message", message_json(m, &bad), &bad);
	put(o, "class", json_string(mail_class_names[res.class]), &bad);
	put(o, "reason", json_string(res.reason), &bad);
	if ((t = json_object()) != NULL) {
		put(t, "kind", json_integer(res.token.kind), &bad);
		put(t, "purpose", json_integer(res.token.purpose), &bad);
		put(t, "id", json_integer(res.token.id), &bad);
		put(t, "expires", json_integer(res.token.expires), &bad);
	}
	put(o, "token", t, &bad);
	put(o, "token_in", json_string(res.token_in), &bad);
	put(o, "token_err", json_integer(res.token_err), &bad);
	put(o, "token_text", json_string(res.token_text), &bad);
	put(o, "refused_in", json_string(res.refused_in), &bad);
	put(o, "our_msgid", json_string(res.our_msgid), &bad);
	put(o, "first_line", json_string(message_first_line(m)), &bad);
	for (i = 0; i < res.nforms && i < SANDBOX_FORMS_MAX; i++)
		append(forms, one_form(rq->app_date, &rs.r[res.forms[i]],
		    res.forms[i], &bad), &bad);
	put(o, "forms", forms, &bad);
	if (bad)
		goto fail;
	classify_result_free(&res);
	reads_free(&rs);
	message_free(m);
	return o;
fail:
	json_decref(o);
	classify_result_free(&res);
	reads_free(&rs);
	message_free(m);
	return NULL;
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t	 w;

	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Bytes of address space the process has now (/proc/self/statm). */
static unsigned long long
vsize(void)
{
	char			 buf[128], *end;
	unsigned long long	 pages;
	ssize_t			 n;
	int			 fd;

	if ((fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	errno = 0;
	pages = strtoull(buf, &end, 10);
	if (errno != 0 || end == buf)
		return 0;
	return pages * (unsigned long long)sysconf(_SC_PAGESIZE);
}

static void
limit(int res, rlim_t soft, rlim_t hard)
{
	struct rlimit	 rl;

	rl.rlim_cur = soft;
	rl.rlim_max = hard;
	if (setrlimit(res, &rl) == 0)
		return;
	/* Lowering a limit is always allowed, except under valgrind
	 * (scripts/check --valgrind), which keeps its own descriptors
	 * above the hard RLIMIT_NOFILE and refuses to move it: there the
	 * soft limit alone holds. */
	if (errno == EPERM && res == RLIMIT_NOFILE &&
	    getrlimit(res, &rl) == 0 && rl.rlim_max >= soft) {
		rl.rlim_cur = soft;
		if (setrlimit(res, &rl) == 0)
			return;
	}
	_exit(CHILD_FAILED);
}

/* The next request and its fd; 0 when the parent is done with us. */
static int
next_request(struct request *rq, int *fd)
{
	union {
		struct cmsghdr	 h;
		char		 buf[CMSG_SPACE(sizeof(int))];
	}		 cm;
	struct msghdr	 mh;
	struct iovec	 iov;
	struct cmsghdr	*h;
	ssize_t		 n;

	memset(&mh, 0, sizeof(mh));
	iov.iov_base = rq;
	iov.iov_len = sizeof(*rq);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.buf;
	mh.msg_controllen = sizeof(cm.buf);
	while ((n = recvmsg(CHILD_REQ_FD, &mh, MSG_CMSG_CLOEXEC)) == -1 &&
	    errno == EINTR)
		;
	if (n == 0)
		return 0;
	if (n != (ssize_t)sizeof(*rq) || (mh.msg_flags & MSG_CTRUNC) ||
	    (h = CMSG_FIRSTHDR(&mh)) == NULL || h->cmsg_level != SOL_SOCKET ||
	    h->cmsg_type != SCM_RIGHTS ||
	    h->cmsg_len != CMSG_LEN(sizeof(int)))
		_exit(CHILD_FAILED);
	memcpy(fd, CMSG_DATA(h), sizeof(int));
	return 1;
}

/* Arms (seconds > 0) or stops the CPU-time timer of one message. */
static void
cpu_timer(timer_t t, int seconds)
{
	struct itimerspec	 its;

	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = seconds;
	if (timer_settime(t, 0, &its, NULL) == -1)
		_exit(CHILD_FAILED);
}

static void __attribute__((noreturn))
child(const struct sandbox_conf *c, int res, int req)
{
	struct sigevent		 sev;
	struct request		 rq;
	struct stat		 st;
	sigset_t		 all;
	unsigned long long	 mb, hard, now;
	timer_t			 timer;
	json_t			*o;
	char			*text, *raw, head[FRAME_HEAD];
	int			 sig, null, cpu, fd, n, r3, r4;

	/* Dies with the daemon (which may be killed outright). */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* The daemon's handlers and blocked signals are not ours. */
	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigfillset(&all);
	sigprocmask(SIG_UNBLOCK, &all, NULL);

	/* Nothing open but /dev/null, the result pipe (3) and the
	 * request socket (4). */
	if ((r3 = fcntl(res, F_DUPFD_CLOEXEC, 10)) == -1 ||
	    (r4 = fcntl(req, F_DUPFD_CLOEXEC, 10)) == -1 ||
	    dup2(r3, 3) == -1 || dup2(r4, CHILD_REQ_FD) == -1 ||
	    (null = open("/dev/null", O_RDWR)) == -1 ||
	    dup2(null, 0) == -1 || dup2(null, 1) == -1 || dup2(null, 2) == -1)
		_exit(CHILD_FAILED);
	if (close_range(CHILD_REQ_FD + 1, ~0U, 0) == -1) {
		for (fd = CHILD_REQ_FD + 1; fd < 1024; fd++)
			close(fd);
	}

	mb = (unsigned long long)(c->memory_mb > 0 ? c->memory_mb : 256) *
	    1024 * 1024;
	cpu = c->cpu_seconds > 0 ? c->cpu_seconds : 10;
	hard = vsize() + LIM_MAIL_BYTES + mb + WORKER_AS_SLACK;
	limit(RLIMIT_CORE, 0, 0);
	limit(RLIMIT_FSIZE, 0, 0);
	limit(RLIMIT_NOFILE, CHILD_NOFILE, CHILD_NOFILE);
	limit(RLIMIT_AS, (rlim_t)hard, (rlim_t)hard);
	/* SIGXCPU, as RLIMIT_CPU sends, once a message has had its CPU
	 * time: the timer counts this message only. */
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGXCPU;
	if (timer_create(CLOCK_PROCESS_CPUTIME_ID, &sev, &timer) == -1)
		_exit(CHILD_FAILED);

	while (next_request(&rq, &fd)) {
		if (fstat(fd, &st) == -1 || rq.len >= (uint64_t)st.st_size ||
		    rq.len > LIM_MAIL_BYTES)
			_exit(CHILD_FAILED);
		/* Room to map the message, then memory_mb beyond it. */
		limit(RLIMIT_AS, (rlim_t)hard, (rlim_t)hard);
		if ((raw = mmap(NULL, (size_t)rq.len + 1, PROT_READ,
		    MAP_PRIVATE, fd, 0)) == MAP_FAILED)
			_exit(CHILD_NOMEM);
		close(fd);
		/* Read once: each read of statm is three system calls. */
		now = vsize() + mb;
		limit(RLIMIT_AS, now < hard ? (rlim_t)now : (rlim_t)hard,
		    (rlim_t)hard);
		cpu_timer(timer, cpu);
		if (c->child_hook != NULL)
			c->child_hook();
		if ((o = work(c, &rq, raw, (size_t)rq.len)) == NULL)
			_exit(CHILD_NOMEM);
		if ((text = json_dumps(o, JSON_COMPACT)) == NULL)
			_exit(CHILD_NOMEM);
		cpu_timer(timer, 0);
		n = snprintf(head, sizeof(head), "%zu\n", strlen(text));
		if (write_all(3, head, (size_t)n) == -1 ||
		    write_all(3, text, strlen(text)) == -1)
			_exit(CHILD_FAILED);
		free(text);
		json_decref(o);
		munmap(raw, (size_t)rq.len + 1);
	}
	_exit(0);
}

/* ---- the parent: read the results, rebuild them ---- */



static char *
dup_str(const json_t *o, const char *key, int *bad)
{
	const json_t	*v = json_object_get(o, key);
	char		*s;

	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		*bad = 1;
		return NULL;
	}
	if ((s = strdup(json_string_value(v))) == NULL)
		*bad = 1;
	return s;
}

static int
get_bool(const json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key));
}

static json_int_t
get_int(const json_t *o, const char *key, json_int_t lo, json_int_t hi,
    int *bad)
{
	const json_t	*v = json_object_get(o, key);
	json_int_t	 n;

	if (!json_is_integer(v)) {
		*bad = 1;
		return lo;
	}
	n = json_integer_value(v);
	if (n < lo || n > hi) {
		*bad = 1;
		return lo;
	}
	return n;
}

/* A string into a fixed buffer; "" when absent, an error when too long. */
static void
copy_str(const json_t *o, const char *key, char *dst, size_t dstsz, int *bad)
{
	const json_t	*v = json_object_get(o, key);
	const char	*s;

	dst[0] = '\0';
	if (v == NULL || json_is_null(v))
		return;
	if (!json_is_string(v) || strlen(s = json_string_value(v)) >= dstsz) {
		*bad = 1;
		return;
	}
	memcpy(dst, s, strlen(s) + 1);
}

static struct message *
message_from(const json_t *o, int *bad)
{
	struct message	*m;
	const json_t	*atts, *a;
	size_t		 i;

	if (!json_is_object(o) || (m = calloc(1, sizeof(*m))) == NULL) {
		*bad = 1;
		return NULL;
	}
	m->message_id = dup_str(o, "message_id", bad);
	m->in_reply_to = dup_str(o, "in_reply_to", bad);
	m->references = dup_str(o, "references", bad);
	m->from = dup_str(o, "from", bad);
	m->from_name = dup_str(o, "from_name", bad);
	m->reply_to = dup_str(o, "reply_to", bad);
	m->to = dup_str(o, "to", bad);
	m->delivered_to = dup_str(o, "delivered_to", bad);
	m->subject = dup_str(o, "subject", bad);
	m->date = dup_str(o, "date", bad);
	m->auto_submitted = dup_str(o, "auto_submitted", bad);
	m->auth_results = dup_str(o, "auth_results", bad);
	m->has_loop_header = get_bool(o, "has_loop_header");
	m->is_dsn = get_bool(o, "is_dsn");
	m->text = dup_str(o, "text", bad);
	m->truncated = get_bool(o, "truncated");
	m->problem = dup_str(o, "problem", bad);
	atts = json_object_get(o, "att");
	if (!json_is_array(atts) || json_array_size(atts) > LIM_MIME_PARTS) {
		*bad = 1;
		return m;
	}
	if (json_array_size(atts) == 0)
		return m;
	if ((m->att = calloc(json_array_size(atts), sizeof(*m->att))) ==
	    NULL) {
		*bad = 1;
		return m;
	}
	json_array_foreach(atts, i, a) {
		m->natt = i + 1;
		if (!json_is_object(a)) {
			*bad = 1;
			break;
		}
		m->att[i].name = dup_str(a, "name", bad);
		m->att[i].type = dup_str(a, "type", bad);
		m->att[i].size = (size_t)get_int(a, "size", 0,
		    LIM_MAIL_BYTES, bad);
		copy_str(a, "sha256", m->att[i].sha256,
		    sizeof(m->att[i].sha256), bad);
		if (m->att[i].name == NULL || m->att[i].type == NULL)
			*bad = 1;
	}
	return m;
}

static struct form *
form_from(const json_t *o, int *bad)
{
	struct form		*f;
	struct form_line	*l;
	const json_t		*h, *lines, *lo, *v;
	const char		*key;
	size_t			 i;
	int			 k;

	h = json_object_get(o, "h");
	lines = json_object_get(o, "lines");
	if (!json_is_object(h) || !json_is_array(lines) ||
	    json_array_size(lines) > LIM_LINES ||
	    (f = form_new()) == NULL) {
		*bad = 1;
		return NULL;
	}
	f->has_lines = get_bool(o, "has_lines");
	json_object_foreach((json_t *)h, key, v) {
		if ((k = hfield_find(key)) < 0 || !json_is_string(v) ||
		    form_set(f, (enum hfield)k, json_string_value(v),
		    json_string_length(v)) == -1)
			goto fail;
	}
	json_array_foreach(lines, i, lo) {
		if (!json_is_object(lo) || (l = form_add_line(f)) == NULL)
			goto fail;
		json_object_foreach((json_t *)lo, key, v)
			if ((k = lfield_find(key)) < 0 || !json_is_string(v) ||
			    form_line_set(l, (enum lfield)k,
			    json_string_value(v), json_string_length(v)) == -1)
				goto fail;
	}
	return f;
fail:
	form_free(f);
	*bad = 1;
	return NULL;
}

static void
forms_from(const json_t *a, size_t natt, struct sandbox_result *res,
    int *bad)
{
	struct sandbox_form	*sf;
	const json_t		*o, *fo, *items, *it;
	const char		*field, *msg;
	size_t			 i, j;

	if (!json_is_array(a) || json_array_size(a) > SANDBOX_FORMS_MAX) {
		*bad = 1;
		return;
	}
	if (json_array_size(a) == 0)
		return;
	if ((res->forms = calloc(json_array_size(a), sizeof(*res->forms))) ==
	    NULL) {
		*bad = 1;
		return;
	}
	json_array_foreach(a, i, o) {
		sf = &res->forms[i];
		report_init(&sf->read_report);
		res->nforms = i + 1;
		if (!json_is_object(o)) {
			*bad = 1;
			return;
		}
		sf->att = (size_t)get_int(o, "att", 0, (json_int_t)natt - 1,
		    bad);
		fo = json_object_get(o, "form");
		if (json_is_object(fo))
			sf->form = form_from(fo, bad);
		items = json_object_get(o, "read_errors");
		if (!json_is_array(items) ||
		    json_array_size(items) > LIM_REPORT_ITEMS + 1) {
			*bad = 1;
			return;
		}
		json_array_foreach(items, j, it) {
			field = json_string_value(json_object_get(it, "field"));
			msg = json_string_value(json_object_get(it,
			    "message"));
			if (field == NULL || msg == NULL) {
				*bad = 1;
				return;
			}
			report_error(&sf->read_report, 0, field, "%s", msg);
		}
		sf->error = dup_str(o, "error", bad);
		sf->filer_email = dup_str(o, "filer_email", bad);
		sf->nerrors = (size_t)get_int(o, "nerrors", 0, INT32_MAX,
		    bad);
		if (sf->form == NULL && sf->error == NULL)
			*bad = 1;
	}
}

static int
class_index(const char *name)
{
	int	 i;

	for (i = 0; name != NULL && i < MAIL_CLASS__MAX; i++)
		if (strcmp(mail_class_names[i], name) == 0)
			return i;
	return -1;
}

static int
decode(const char *buf, size_t len, struct sandbox_result *res)
{
	json_t		*o, *t;
	json_error_t	 jerr;
	size_t		 i;
	int		 bad = 0, k;

	if ((o = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr)) ==
	    NULL)
		return -1;
	if (!json_is_object(o))
		goto fail;
	if ((res->msg = message_from(json_object_get(o, "message"), &bad)) ==
	    NULL || bad)
		goto fail;
	if ((k = class_index(json_string_value(json_object_get(o,
	    "class")))) < 0)
		goto fail;
	res->cls.class = (enum mail_class)k;
	copy_str(o, "reason", res->cls.reason, sizeof(res->cls.reason), &bad);
	t = json_object_get(o, "token");
	res->cls.token.kind = (enum token_kind)get_int(t, "kind", 0, 255,
	    &bad);
	res->cls.token.purpose = (enum token_purpose)get_int(t, "purpose", 0,
	    255, &bad);
	res->cls.token.id = (int64_t)get_int(t, "id", 0, TOKEN_ID_MAX, &bad);
	res->cls.token.expires = (int)get_int(t, "expires", INT32_MIN,
	    INT32_MAX, &bad);
	copy_str(o, "token_in", res->cls.token_in, sizeof(res->cls.token_in),
	    &bad);
	res->cls.token_err = (enum token_err)get_int(o, "token_err", 0,
	    TOKEN__MAX - 1, &bad);
	copy_str(o, "token_text", res->cls.token_text,
	    sizeof(res->cls.token_text), &bad);
	copy_str(o, "refused_in", res->cls.refused_in,
	    sizeof(res->cls.refused_in), &bad);
	copy_str(o, "our_msgid", res->cls.our_msgid,
	    sizeof(res->cls.our_msgid), &bad);
	res->first_line = dup_str(o, "first_line", &bad);
	forms_from(json_object_get(o, "forms"), res->msg->natt, res, &bad);
	if (bad || res->first_line == NULL)
		goto fail;
	/* The classifier's list of forms, as classify_full gives it. */
	if (res->nforms > 0) {
		if ((res->cls.forms = calloc(res->nforms,
		    sizeof(*res->cls.forms))) == NULL)
			goto fail;
		for (i = 0; i < res->nforms; i++)
			res->cls.forms[i] = res->forms[i].att;
		res->cls.nforms = res->nforms;
	}
	/* A reply always names what it answers. */
	if (res->cls.class == MAIL_REPLY &&
	    ((res->cls.token.kind != TOKEN_LICENSE &&
	    res->cls.token.kind != TOKEN_QUEUE) || res->cls.token.id < 1 ||
	    strlen(res->cls.token_text) != TOKEN_LEN))
		goto fail;
	res->bytes = len;
	json_decref(o);
	return 0;
fail:
	json_decref(o);
	return -1;
}

void
sandbox_result_free(struct sandbox_result *res)
{
	size_t	 i;

	if (res == NULL)
		return;
	for (i = 0; i < res->nforms; i++) {
		form_free(res->forms[i].form);
		report_free(&res->forms[i].read_report);
		free(res->forms[i].error);
		free(res->forms[i].filer_email);
	}
	free(res->forms);
	classify_result_free(&res->cls);
	free(res->first_line);
	message_free(res->msg);
	memset(res, 0, sizeof(*res));
}

static const char *
signame(int sig)
{
	switch (sig) {
	case SIGXCPU:
		return "SIGXCPU";
	case SIGKILL:
		return "SIGKILL";
	case SIGSEGV:
		return "SIGSEGV";
	case SIGABRT:
		return "SIGABRT";
	case SIGBUS:
		return "SIGBUS";
	case SIGXFSZ:
		return "SIGXFSZ";
	default:
		return "a signal";
	}
}
static long long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum job_state {
	J_FREE,
	J_QUEUED,		/* waiting for a worker */
	J_SENT,			/* with a worker */
	J_DONE			/* result or error in hand */
};

struct job {
	enum job_state		 state;
	long			 ticket;
	int			 fd;		/* ours, until done */
	struct request		 rq;
	enum sandbox_err	 err;
	struct sandbox_result	 res;
	char			 why[256];
};

struct worker {
	pid_t		 pid;		/* 0: none */
	int		 req;		/* our end of its request socket */
	int		 res;		/* the read end of its result pipe */
	long		 sent[WORKER_DEPTH];	/* tickets, oldest first */
	int		 nsent;
	int		 given;		/* messages given since forked */
	long long	 since;		/* when it began sent[0] */
	char		 head[FRAME_HEAD];
	size_t		 headlen;
	char		*buf;		/* the frame's body, want bytes */
	size_t		 want, len;
	int		 inbody;
};

struct sandbox {
	pthread_mutex_t		 mu;		/* all that follows */
	struct sandbox_conf	 c;
	struct worker		 w[SANDBOX_WORKERS_MAX];
	int			 nw;
	struct job		 jobs[SANDBOX_JOBS];
	long			 next;		/* the next ticket */
	size_t			 max;		/* result bytes */
	int			 wall;		/* seconds per message */
};

static struct job *
job_of(struct sandbox *sb, long ticket)
{
	struct job	*j;

	if (ticket < 0)
		return NULL;
	j = &sb->jobs[ticket % SANDBOX_JOBS];
	return j->state != J_FREE && j->ticket == ticket ? j : NULL;
}

/* A job's end: its error, its why, and the fd it no longer needs. */
static void
finish(struct job *j, enum sandbox_err e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
finish(struct job *j, enum sandbox_err e, const char *fmt, ...)
{
	va_list	 ap;

	j->state = J_DONE;
	j->err = e;
	va_start(ap, fmt);
	vsnprintf(j->why, sizeof(j->why), fmt, ap);
	va_end(ap);
	if (j->fd != -1)
		close(j->fd);
	j->fd = -1;
}

static void
frame_reset(struct worker *w)
{
	free(w->buf);
	w->buf = NULL;
	w->want = w->len = w->headlen = 0;
	w->inbody = 0;
}

/* Forks a worker.  Returns 0, or -1 with errno. */
static int
spawn(struct sandbox *sb, struct worker *w)
{
	int	 sv[2], pp[2], e;
	pid_t	 pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		return -1;
	if (pipe2(pp, O_CLOEXEC) == -1) {
		e = errno;
		close(sv[0]);
		close(sv[1]);
		errno = e;
		return -1;
	}
	if ((pid = fork()) == -1) {
		e = errno;
		close(sv[0]);
		close(sv[1]);
		close(pp[0]);
		close(pp[1]);
		errno = e;
		return -1;
	}
	if (pid == 0)
		child(&sb->c, pp[1], sv[1]);
	close(sv[1]);
	close(pp[1]);
	/* Results are read as they come, from whichever worker.  A
	 * smaller pipe (pipe-max-size) only makes the worker wait. */
	fcntl(pp[0], F_SETFL, O_NONBLOCK);
	(void)fcntl(pp[0], F_SETPIPE_SZ, RESULT_PIPE_BYTES);
	memset(w, 0, sizeof(*w));
	w->pid = pid;
	w->req = sv[0];
	w->res = pp[0];
	return 0;
}

/* Waits for a worker that is ending (killed, or told to stop by
 * closing its socket); kills it past a second.  Returns the status,
 * or -1. */
static int
reap(pid_t pid)
{
	long long	 end = now_ms() + 1000;
	int		 status = 0;
	pid_t		 r;

	for (;;) {
		if ((r = waitpid(pid, &status, WNOHANG)) == pid)
			return status;
		if (r == -1 && errno != EINTR)
			return -1;
		if (now_ms() >= end) {
			kill(pid, SIGKILL);
			while ((r = waitpid(pid, &status, 0)) == -1 &&
			    errno == EINTR)
				;
			return r == pid ? status : -1;
		}
		usleep(1000);
	}
}

/* The worker is gone, or to be killed (kill_it): the message it was
 * reading fails, with e and why when we kill it, else as its exit
 * status tells; the ones behind it wait for the next worker. */
static void
lose(struct sandbox *sb, struct worker *w, int kill_it, enum sandbox_err e,
    const char *why)
{
	struct job	*j;
	int		 status, i;

	if (kill_it)
		kill(w->pid, SIGKILL);
	close(w->req);
	close(w->res);
	status = reap(w->pid);
	frame_reset(w);
	for (i = 0; i < w->nsent; i++) {
		if ((j = job_of(sb, w->sent[i])) == NULL)
			continue;
		if (i > 0) {
			j->state = J_QUEUED;
			continue;
		}
		if (kill_it)
			finish(j, e, "%s", why);
		else if (status == -1)
			finish(j, SANDBOX_SYSTEM, "%s: waitpid: %s",
			    errs[SANDBOX_SYSTEM], strerror(errno));
		else if (WIFSIGNALED(status)) {
			switch (WTERMSIG(status)) {
			case SIGXCPU:
			case SIGKILL:
			case SIGSEGV:
			case SIGABRT:
			case SIGBUS:
				/* The CPU limit, or memory running out
				 * where a library could not cope. */
				e = SANDBOX_KILLED;
				break;
			default:
				e = SANDBOX_FAILED;
				break;
			}
			finish(j, e, "%s (%s)", errs[e],
			    signame(WTERMSIG(status)));
		} else if (WEXITSTATUS(status) == CHILD_NOMEM)
			finish(j, SANDBOX_KILLED, "%s (out of memory)",
			    errs[SANDBOX_KILLED]);
		else if (WEXITSTATUS(status) != 0)
			finish(j, SANDBOX_FAILED, "%s (exit %d)",
			    errs[SANDBOX_FAILED], WEXITSTATUS(status));
		else
			finish(j, SANDBOX_FAILED, "%s (%s)",
			    errs[SANDBOX_FAILED], why);
	}
	memset(w, 0, sizeof(*w));
}

/* Hands job j to worker w: 0, 1 when its socket is full (never
 * waited for: the pool's lock is held), -1 when it is gone. */
static int
give(struct worker *w, struct job *j)
{
	union {
		struct cmsghdr	 h;
		char		 buf[CMSG_SPACE(sizeof(int))];
	}		 cm;
	struct msghdr	 mh;
	struct iovec	 iov;
	struct cmsghdr	*h;
	ssize_t		 n;

	memset(&mh, 0, sizeof(mh));
	memset(&cm, 0, sizeof(cm));
	iov.iov_base = &j->rq;
	iov.iov_len = sizeof(j->rq);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.buf;
	mh.msg_controllen = sizeof(cm.buf);
	h = CMSG_FIRSTHDR(&mh);
	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(h), &j->fd, sizeof(int));
	while ((n = sendmsg(w->req, &mh, MSG_NOSIGNAL | MSG_DONTWAIT)) ==
	    -1 && errno == EINTR)
		;
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 1;
	if (n != (ssize_t)sizeof(j->rq))
		return -1;
	if (w->nsent == 0)
		w->since = now_ms();
	w->sent[w->nsent++] = j->ticket;
	w->given++;
	j->state = J_SENT;
	return 0;
}

static int	drain(struct sandbox *, struct worker *);

/* Queued jobs, oldest first, to workers with room (forked as needed);
 * a job no worker can be forked for ends with SANDBOX_SYSTEM. */
static void
dispatch(struct sandbox *sb)
{
	struct worker	*w, *best;
	struct job	*j;
	long		 t;
	int		 i, score, s, g;
	unsigned int	 full = 0;	/* workers whose socket is full */

	for (t = sb->next - SANDBOX_JOBS; t < sb->next; t++) {
		if ((j = job_of(sb, t)) == NULL || j->state != J_QUEUED)
			continue;
		for (;;) {
			/* An idle worker, else a new one, else the one
			 * with the fewest messages in hand and room for
			 * the next. */
			best = NULL;
			score = WORKER_DEPTH + 2;
			for (i = 0; i < sb->nw; i++) {
				w = &sb->w[i];
				if (full & (1u << i))
					continue;
				if (w->pid != 0 && w->given >=
				    WORKER_MESSAGES) {
					/* It has read its share: it ends
					 * once its results are in. */
					if (w->nsent > 0)
						continue;
					close(w->req);
					close(w->res);
					reap(w->pid);
					frame_reset(w);
					memset(w, 0, sizeof(*w));
				}
				if (w->pid == 0)
					s = 1;
				else if (w->nsent == 0)
					s = 0;
				else if (w->nsent < WORKER_DEPTH)
					s = 1 + w->nsent;
				else
					continue;
				if (s < score) {
					best = w;
					score = s;
				}
			}
			if (best == NULL)
				return;
			if (best->pid == 0 && spawn(sb, best) == -1) {
				finish(j, SANDBOX_SYSTEM, "%s: fork: %s",
				    errs[SANDBOX_SYSTEM], strerror(errno));
				break;
			}
			if ((g = give(best, j)) == 0)
				break;
			if (g == 1) {
				full |= 1u << (best - sb->w);
				continue;
			}
			/* It died meanwhile: the results it wrote first
			 * are read (drain loses it at their end), then
			 * what it had fails or waits; this one tries the
			 * next worker. */
			if (drain(sb, best) == 0)
				lose(sb, best, 0, SANDBOX_FAILED,
				    "its result is not readable");
		}
	}
}

/* A whole frame from w: the result of its oldest message. */
static void
got_frame(struct sandbox *sb, struct worker *w)
{
	struct job	*j = job_of(sb, w->sent[0]);
	int		 i;

	if (j != NULL) {
		if (decode(w->buf, w->len, &j->res) == -1) {
			sandbox_result_free(&j->res);
			finish(j, SANDBOX_FAILED, "%s (its result is not "
			    "readable)", errs[SANDBOX_FAILED]);
		} else
			finish(j, SANDBOX_OK, "%s", errs[SANDBOX_OK]);
	}
	for (i = 1; i < w->nsent; i++)
		w->sent[i - 1] = w->sent[i];
	w->nsent--;
	w->since = now_ms();
	frame_reset(w);
}

/* Reads what w wrote.  0, or -1 when it was lost. */
static int
drain(struct sandbox *sb, struct worker *w)
{
	char		*end;
	ssize_t		 r;
	size_t		 n;

	for (;;) {
		if (!w->inbody) {
			r = read(w->res, w->head + w->headlen, 1);
			if (r == 1) {
				if (w->head[w->headlen] != '\n') {
					if (++w->headlen >= FRAME_HEAD - 1 ||
					    w->head[w->headlen - 1] < '0' ||
					    w->head[w->headlen - 1] > '9')
						goto garbled;
					continue;
				}
				w->head[w->headlen] = '\0';
				errno = 0;
				n = strtoull(w->head, &end, 10);
				if (w->headlen == 0 || *end != '\0' ||
				    errno != 0)
					goto garbled;
				if (w->nsent == 0)
					goto garbled;
				if (n > sb->max) {
					lose(sb, w, 1, SANDBOX_TOO_LARGE,
					    "");
					return -1;
				}
				if ((w->buf = malloc(n + 1)) == NULL) {
					lose(sb, w, 1, SANDBOX_SYSTEM,
					    "cannot start the parser: out of "
					    "memory");
					return -1;
				}
				w->want = n;
				w->len = 0;
				w->inbody = 1;
				if (n == 0) {
					got_frame(sb, w);
					continue;
				}
				continue;
			}
		} else {
			r = read(w->res, w->buf + w->len, w->want - w->len);
			if (r > 0) {
				w->len += (size_t)r;
				if (w->len == w->want)
					got_frame(sb, w);
				continue;
			}
		}
		if (r == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (r == -1 && errno == EINTR)
			continue;
		/* EOF: it ended. */
		lose(sb, w, 0, SANDBOX_FAILED, "its result is not readable");
		return -1;
	}
garbled:
	lose(sb, w, 1, SANDBOX_FAILED, "parser failed (its result is not "
	    "readable)");
	return -1;
}

/* Waits for results (or a death, or the wall clock) for at most the
 * nearest deadline; handles what happened. */
static void
step(struct sandbox *sb)
{
	struct pollfd	 pfd[SANDBOX_WORKERS_MAX];
	struct worker	*w;
	long long	 now, dl, first = -1;
	pid_t		 pid[SANDBOX_WORKERS_MAX];
	int		 map[SANDBOX_WORKERS_MAX], n = 0, i, r;

	now = now_ms();
	for (i = 0; i < sb->nw; i++) {
		w = &sb->w[i];
		if (w->pid == 0 || w->nsent == 0)
			continue;
		dl = w->since + (long long)sb->wall * 1000;
		if (dl <= now) {
			/* The result cap holds a slow writer too. */
			lose(sb, w, 1, SANDBOX_TIMEOUT, "");
			continue;
		}
		if (first == -1 || dl < first)
			first = dl;
		pfd[n].fd = w->res;
		pfd[n].events = POLLIN;
		pid[n] = w->pid;
		map[n++] = i;
	}
	if (n == 0)
		return;
	/* The other thread may submit (or wait) meanwhile. */
	pthread_mutex_unlock(&sb->mu);
	r = poll(pfd, (nfds_t)n, first - now > 60000 ? 60000 :
	    (int)(first - now));
	pthread_mutex_lock(&sb->mu);
	if (r <= 0)
		return;
	/* Only a worker still there: it may have been lost and another
	 * forked in its place while we were not looking. */
	for (i = 0; i < n; i++) {
		w = &sb->w[map[i]];
		if (pfd[i].revents != 0 && w->pid == pid[i] &&
		    w->res == pfd[i].fd)
			drain(sb, w);
	}
}

struct sandbox *
sandbox_new(const struct sandbox_conf *c)
{
	struct sandbox	*sb;
	int		 i;

	if ((sb = calloc(1, sizeof(*sb))) == NULL)
		return NULL;
	if (pthread_mutex_init(&sb->mu, NULL) != 0) {
		free(sb);
		return NULL;
	}
	sb->c = *c;
	sb->nw = c->workers < 1 ? 1 : c->workers > SANDBOX_WORKERS_MAX ?
	    SANDBOX_WORKERS_MAX : c->workers;
	sb->max = c->result_max > 0 ? c->result_max : SANDBOX_RESULT_MAX;
	sb->wall = c->wall_seconds > 0 ? c->wall_seconds :
	    2 * (c->cpu_seconds > 0 ? c->cpu_seconds : 10) + 5;
	for (i = 0; i < SANDBOX_JOBS; i++)
		sb->jobs[i].fd = -1;
	return sb;
}

void
sandbox_free(struct sandbox *sb)
{
	struct job	*j;
	int		 i;

	if (sb == NULL)
		return;
	for (i = 0; i < sb->nw; i++)
		if (sb->w[i].pid != 0) {
			/* Told to stop: it ends after the message in
			 * hand, or is killed a second later. */
			close(sb->w[i].req);
			close(sb->w[i].res);
			kill(sb->w[i].pid, SIGKILL);
			reap(sb->w[i].pid);
			frame_reset(&sb->w[i]);
		}
	for (i = 0; i < SANDBOX_JOBS; i++) {
		j = &sb->jobs[i];
		if (j->fd != -1)
			close(j->fd);
		sandbox_result_free(&j->res);
	}
	pthread_mutex_destroy(&sb->mu);
	free(sb);
}

long
sandbox_submit(struct sandbox *sb, int fd, size_t len, int today,
    int app_date)
{
	struct job	*j;
	long		 t = -1;

	pthread_mutex_lock(&sb->mu);
	j = &sb->jobs[sb->next % SANDBOX_JOBS];
	if (j->state != J_FREE || len > LIM_MAIL_BYTES)
		goto out;
	memset(j, 0, sizeof(*j));
	if ((j->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) == -1)
		goto out;
	j->rq.len = len;
	j->rq.today = today;
	j->rq.app_date = app_date != 0 ? app_date : sb->c.app_date;
	j->ticket = t = sb->next++;
	j->state = J_QUEUED;
	dispatch(sb);
out:
	pthread_mutex_unlock(&sb->mu);
	return t;
}

enum sandbox_err
sandbox_wait(struct sandbox *sb, long ticket, struct sandbox_result *res,
    char *why, size_t whysz)
{
	struct job		*j;
	enum sandbox_err	 e;

	memset(res, 0, sizeof(*res));
	pthread_mutex_lock(&sb->mu);
	if ((j = job_of(sb, ticket)) == NULL) {
		pthread_mutex_unlock(&sb->mu);
		snprintf(why, whysz, "%s: no such message", errs[SANDBOX_SYSTEM]);
		return SANDBOX_SYSTEM;
	}
	while (j->state != J_DONE) {
		dispatch(sb);
		if (j->state != J_DONE)
			step(sb);
	}
	e = j->err;
	if (e == SANDBOX_TIMEOUT)
		snprintf(why, whysz, "%s (%d s)", errs[e], sb->wall);
	else if (e == SANDBOX_TOO_LARGE)
		snprintf(why, whysz, "%s (over %zu bytes)", errs[e], sb->max);
	else
		snprintf(why, whysz, "%s", j->why);
	*res = j->res;
	memset(&j->res, 0, sizeof(j->res));
	j->state = J_FREE;
	/* Keep the workers busy with what is queued. */
	dispatch(sb);
	pthread_mutex_unlock(&sb->mu);
	return e;
}

int
sandbox_memfd(const char *raw, size_t len)
{
	int	 fd;

	if ((fd = memfd_create("aim-mail", MFD_CLOEXEC |
	    MFD_ALLOW_SEALING)) == -1)
		return -1;
	if (write_all(fd, raw, len) == -1 || write_all(fd, "", 1) == -1 ||
	    sandbox_seal(fd) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

int
sandbox_seal(int fd)
{
	/* The parser reads it; nobody changes it meanwhile. */
	return fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW |
	    F_SEAL_WRITE | F_SEAL_SEAL);
}

enum sandbox_err
sandbox_parse(const struct sandbox_conf *c, const char *raw, size_t len,
    struct sandbox_result *res, char *why, size_t whysz)
{
	struct sandbox_conf	 one = *c;
	struct sandbox		*sb;
	enum sandbox_err	 e;
	long			 t;
	int			 fd;

	memset(res, 0, sizeof(*res));
	one.workers = 1;
	if ((fd = sandbox_memfd(raw, len)) == -1 ||
	    (sb = sandbox_new(&one)) == NULL) {
		snprintf(why, whysz, "%s: %s", errs[SANDBOX_SYSTEM],
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return SANDBOX_SYSTEM;
	}
	if ((t = sandbox_submit(sb, fd, len, c->cc != NULL ? c->cc->today :
	    0, c->app_date)) == -1) {
		snprintf(why, whysz, "%s: %s", errs[SANDBOX_SYSTEM],
		    strerror(errno));
		e = SANDBOX_SYSTEM;
	} else
		e = sandbox_wait(sb, t, res, why, whysz);
	sandbox_free(sb);
	close(fd);
	return e;
}
