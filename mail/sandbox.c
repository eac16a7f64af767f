/*
 * Untrusted mail read in a forked child under resource limits; what
 * it read comes back as JSON on a pipe and is rebuilt here.  The child
 * shares the parent's memory as it was at fork (the raw message, the
 * rules' tables), so nothing is copied in.
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
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
 * the pipe, and what iconv and the readers open for a moment. */
#define CHILD_NOFILE	16

static const char *const errs[SANDBOX__MAX] = {
	[SANDBOX_OK] = "read",
	[SANDBOX_KILLED] = "parser killed: CPU/memory limit",
	[SANDBOX_TIMEOUT] = "parser killed: time limit",
	[SANDBOX_TOO_LARGE] = "parser result too large",
	[SANDBOX_FAILED] = "parser failed",
	[SANDBOX_SYSTEM] = "cannot start the parser",
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

/* One form attachment: read as the channel reads it, then checked by
 * the rules (the count only: the queue checks again when it stores). */
static json_t *
one_form(const struct sandbox_conf *c, const struct attachment *a,
    size_t idx, int *bad)
{
	struct pdf_filer filer;
	struct report	 rep, rules;
	struct form	*f;
	json_t		*o;
	char		 err[512];
	size_t		 nerr;

	memset(&filer, 0, sizeof(filer));
	report_init(&rep);
	report_init(&rules);
	err[0] = '\0';
	if (form_sniff((const char *)a->data, a->size) == FORMAT_PDF)
		f = pdfform_read_filer((const char *)a->data, a->size,
		    &filer, &rep, err, sizeof(err));
	else
		f = form_read((const char *)a->data, a->size, &rep, err,
		    sizeof(err));
	nerr = rep.nerrors;
	if (f != NULL) {
		rules_check(f, c->app_date > 0 ? c->app_date : date_today(),
		    &rules, NULL);
		nerr += rules.nerrors;
	}
	if ((o = json_object()) == NULL) {
		*bad = 1;
		goto out;
	}
	put(o, "att", json_integer((json_int_t)idx), bad);
	put(o, "form", f != NULL ? form_json(f, bad) : json_null(), bad);
	put(o, "read_errors", items_json(rep.errors, rep.nerrors, bad), bad);
	put(o, "error", f == NULL ? json_string(err[0] ? err :
	    "not readable") : json_null(), bad);
	put(o, "filer_email", str_or_null(filer.v[FILER_EMAIL]), bad);
	put(o, "nerrors", json_integer((json_int_t)nerr), bad);
out:
	pdf_filer_free(&filer);
	form_free(f);
	report_free(&rep);
	report_free(&rules);
	return o;
}

static json_t *
work(const struct sandbox_conf *c, const char *raw, size_t len)
{
	struct classify_result	 res;
	struct message		*m;
	json_t			*o = NULL, *t, *forms;
	char			 err[256];
	size_t			 i;
	int			 bad = 0;

	memset(&res, 0, sizeof(res));
	if ((m = mime_parse(raw, len, err, sizeof(err))) == NULL)
		return NULL;
	classify_full(m, c->cc, &res);
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
	put(o, "our_msgid", json_string(res.our_msgid), &bad);
	put(o, "first_line", json_string(message_first_line(m)), &bad);
	for (i = 0; i < res.nforms && i < SANDBOX_FORMS_MAX; i++)
		append(forms, one_form(c, &m->att[res.forms[i]], res.forms[i],
		    &bad), &bad);
	put(o, "forms", forms, &bad);
	if (bad)
		goto fail;
	classify_result_free(&res);
	message_free(m);
	return o;
fail:
	json_decref(o);
	classify_result_free(&res);
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

static void __attribute__((noreturn))
child(const struct sandbox_conf *c, const char *raw, size_t len, int fd)
{
	sigset_t		 all;
	unsigned long long	 as;
	json_t			*o;
	char			*text;
	int			 sig, null, mb, cpu;

	/* Dies with the daemon (which may be killed outright). */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* The daemon's handlers and blocked signals are not ours. */
	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigfillset(&all);
	sigprocmask(SIG_UNBLOCK, &all, NULL);

	/* Nothing open but /dev/null and the pipe (as fd 3). */
	if ((null = open("/dev/null", O_RDWR)) == -1 ||
	    dup2(null, 0) == -1 || dup2(null, 1) == -1 || dup2(null, 2) == -1)
		_exit(CHILD_FAILED);
	if (fd != 3) {
		if (dup2(fd, 3) == -1)
			_exit(CHILD_FAILED);
		fd = 3;
	}
	if (close_range(4, ~0U, 0) == -1) {
		for (null = 4; null < 1024; null++)
			close(null);
	}

	mb = c->memory_mb > 0 ? c->memory_mb : 256;
	cpu = c->cpu_seconds > 0 ? c->cpu_seconds : 10;
	as = vsize() + (unsigned long long)mb * 1024 * 1024;
	limit(RLIMIT_CORE, 0, 0);
	limit(RLIMIT_FSIZE, 0, 0);
	limit(RLIMIT_NOFILE, CHILD_NOFILE, CHILD_NOFILE);
	/* SIGXCPU at the soft limit, SIGKILL a second later. */
	limit(RLIMIT_CPU, (rlim_t)cpu, (rlim_t)cpu + 1);
	limit(RLIMIT_AS, (rlim_t)as, (rlim_t)as);

	if (c->child_hook != NULL)
		c->child_hook();
	if ((o = work(c, raw, len)) == NULL)
		_exit(CHILD_NOMEM);
	if ((text = json_dumps(o, JSON_COMPACT)) == NULL)
		_exit(CHILD_NOMEM);
	json_decref(o);
	if (write_all(fd, text, strlen(text)) == -1)
		_exit(CHILD_FAILED);
	/* Freed though the child ends here: valgrind checks it too. */
	free(text);
	_exit(0);
}

/* ---- the parent: read the result, rebuild it ---- */

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
	    res->cls.token.kind != TOKEN_QUEUE) || res->cls.token.id < 1))
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

static long long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
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

/*
 * Reads the child's output into *buf until EOF, max bytes or the
 * deadline.  Returns SANDBOX_OK, SANDBOX_TIMEOUT, SANDBOX_TOO_LARGE or
 * SANDBOX_SYSTEM.
 */
static enum sandbox_err
collect(int fd, size_t max, long long deadline, char **bufp, size_t *lenp)
{
	struct pollfd	 pfd;
	char		*buf = NULL, *nb;
	size_t		 len = 0, cap = 0;
	ssize_t		 r;
	long long	 left;
	enum sandbox_err e = SANDBOX_OK;

	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		if ((left = deadline - now_ms()) <= 0) {
			e = SANDBOX_TIMEOUT;
			break;
		}
		if (poll(&pfd, 1, left > 60000 ? 60000 : (int)left) == -1) {
			if (errno == EINTR)
				continue;
			e = SANDBOX_SYSTEM;
			break;
		}
		if (pfd.revents == 0)
			continue;
		if (len == cap) {
			/* One byte past max tells a result too large. */
			if (cap > max) {
				e = SANDBOX_TOO_LARGE;
				break;
			}
			cap = cap == 0 ? 65536 : cap * 2;
			if (cap > max + 1)
				cap = max + 1;
			if ((nb = realloc(buf, cap + 1)) == NULL) {
				e = SANDBOX_SYSTEM;
				break;
			}
			buf = nb;
		}
		if ((r = read(fd, buf + len, cap - len)) == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			e = SANDBOX_SYSTEM;
			break;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > max) {
			e = SANDBOX_TOO_LARGE;
			break;
		}
	}
	if (e != SANDBOX_OK) {
		free(buf);
		return e;
	}
	*bufp = buf;
	*lenp = len;
	return SANDBOX_OK;
}

/* Waits for the child until the deadline, then kills it.  Returns the
 * status; *killed tells whether we had to kill it. */
static int
reap(pid_t pid, long long deadline, int *killed)
{
	int	 status = 0;
	pid_t	 r;

	*killed = 0;
	for (;;) {
		if ((r = waitpid(pid, &status, WNOHANG)) == pid)
			return status;
		if (r == -1 && errno != EINTR)
			return -1;
		if (now_ms() >= deadline && !*killed) {
			kill(pid, SIGKILL);
			*killed = 1;
			deadline = now_ms() + 60000;
		}
		if (*killed) {
			while ((r = waitpid(pid, &status, 0)) == -1 &&
			    errno == EINTR)
				;
			return r == pid ? status : -1;
		}
		usleep(1000);
	}
}

enum sandbox_err
sandbox_parse(const struct sandbox_conf *c, const char *raw, size_t len,
    struct sandbox_result *res, char *why, size_t whysz)
{
	char		*buf = NULL;
	size_t		 blen = 0, max;
	long long	 deadline;
	pid_t		 pid;
	int		 p[2], status, killed, wall;
	enum sandbox_err e;

	memset(res, 0, sizeof(*res));
	max = c->result_max > 0 ? c->result_max : SANDBOX_RESULT_MAX;
	wall = c->wall_seconds > 0 ? c->wall_seconds :
	    2 * (c->cpu_seconds > 0 ? c->cpu_seconds : 10) + 5;
	if (pipe2(p, O_CLOEXEC) == -1) {
		snprintf(why, whysz, "%s: pipe: %s", errs[SANDBOX_SYSTEM],
		    strerror(errno));
		return SANDBOX_SYSTEM;
	}
	if ((pid = fork()) == -1) {
		snprintf(why, whysz, "%s: fork: %s", errs[SANDBOX_SYSTEM],
		    strerror(errno));
		close(p[0]);
		close(p[1]);
		return SANDBOX_SYSTEM;
	}
	if (pid == 0) {
		close(p[0]);
		child(c, raw, len, p[1]);
	}
	close(p[1]);
	deadline = now_ms() + (long long)wall * 1000;
	e = collect(p[0], max, deadline, &buf, &blen);
	close(p[0]);
	/* A child that closed its pipe still has until the deadline. */
	status = reap(pid, e == SANDBOX_OK ? deadline : 0, &killed);
	if (e == SANDBOX_OK && killed)
		e = SANDBOX_TIMEOUT;
	if (e != SANDBOX_OK) {
		snprintf(why, whysz, "%s", errs[e]);
		if (e == SANDBOX_TIMEOUT)
			snprintf(why, whysz, "%s (%d s)", errs[e], wall);
		else if (e == SANDBOX_TOO_LARGE)
			snprintf(why, whysz, "%s (over %zu bytes)", errs[e],
			    max);
		goto out;
	}
	if (status == -1) {
		e = SANDBOX_SYSTEM;
		snprintf(why, whysz, "%s: waitpid: %s", errs[e],
		    strerror(errno));
	} else if (WIFSIGNALED(status)) {
		switch (WTERMSIG(status)) {
		case SIGXCPU:
		case SIGKILL:
		case SIGSEGV:
		case SIGABRT:
		case SIGBUS:
			/* The CPU limit, or memory running out where a
			 * library could not cope with it. */
			e = SANDBOX_KILLED;
			break;
		default:
			e = SANDBOX_FAILED;
			break;
		}
		snprintf(why, whysz, "%s (%s)", errs[e],
		    signame(WTERMSIG(status)));
	} else if (WEXITSTATUS(status) == CHILD_NOMEM) {
		e = SANDBOX_KILLED;
		snprintf(why, whysz, "%s (out of memory)", errs[e]);
	} else if (WEXITSTATUS(status) != 0) {
		e = SANDBOX_FAILED;
		snprintf(why, whysz, "%s (exit %d)", errs[e],
		    WEXITSTATUS(status));
	} else if (decode(buf, blen, res) == -1) {
		sandbox_result_free(res);
		e = SANDBOX_FAILED;
		snprintf(why, whysz, "%s (its result is not readable)",
		    errs[e]);
	} else
		snprintf(why, whysz, "%s", errs[SANDBOX_OK]);
out:
	free(buf);
	return e;
}
