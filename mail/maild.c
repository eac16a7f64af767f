/*
 * aim-maild: the mail gateway.  A supervisor process starts one
 * watcher per licensing mailbox (aluminum, steel) and the outbox
 * sender, each a child process of its own with its own database
 * connection, so that one failing mailbox never stops the other; a
 * child that ends is started again after a growing delay.
 *
 * A watcher: connect (mail/imap.c), create Processed and Quarantine if
 * missing, SELECT INBOX, keep UIDVALIDITY, then passes of
 * mail/intake.c (every message stored, then moved) and IDLE in turn,
 * a full UID SEARCH after every wake and at least every poll_seconds;
 * on any connection trouble, reconnect after a jittered exponential
 * delay.
 *
 * Signals (supervisor): SIGTERM and SIGINT stop every child (each ends
 * the message in hand) and exit; SIGHUP reads the configuration again
 * and, when it is good, restarts the children with it (passwords and
 * templates read anew).  Children die with the supervisor.
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/config.h"
#include "lib/date.h"
#include "lib/limits.h"
#include "lib/log.h"
#include "forms/rules.h"
#include "xml/xmlform.h"
#include "db/db.h"
#include "db/mailstore.h"
#include "imap.h"
#include "intake.h"
#include "render.h"
#include "sandbox.h"
#include "sender.h"

/* Longest wait between reconnects, and between restarts of a child. */
#define RECONNECT_MAX_SECONDS	300
#define RESTART_MAX_SECONDS	60
/* A child that ran this long had no trouble starting: its next
 * restart is quick again. */
#define RESTART_RESET_SECONDS	60
/* IDLE is renewed under RFC 2177's 29 minutes. */
#define IDLE_MAX_SECONDS	(28 * 60)
/* Seconds children get to finish the message in hand on SIGTERM. */
#define STOP_GRACE_SECONDS	15
/* Longest sleep of the outbox sender between runs. */
#define SENDER_SLEEP_SECONDS	1

enum role {
	ROLE_ALUMINUM,
	ROLE_STEEL,
	ROLE_OUTBOX,
	ROLE__MAX
};

static const char *const role_names[ROLE__MAX] = {
	[ROLE_ALUMINUM] = "aluminum",
	[ROLE_STEEL] = "steel",
	[ROLE_OUTBOX] = "outbox",
};

struct child {
	pid_t	 pid;
	time_t	 started;
	time_t	 restart_at;	/* 0: not waiting */
	int	 failures;
};

static volatile sig_atomic_t	 stop;

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: aim-maild [-dn] [-f config]\n");
	exit(2);
}

static void
on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

/* Sleeps up to seconds; a stop signal ends it early. */
static void
nap(double seconds)
{
	struct timespec	 t0, t;
	double		 left;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!stop) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		left = seconds - ((double)(t.tv_sec - t0.tv_sec) +
		    (double)(t.tv_nsec - t0.tv_nsec) / 1e9);
		if (left <= 0)
			break;
		poll(NULL, 0, left > 0.2 ? 200 : (int)(left * 1000) + 1);
	}
}

/* The first line of a password file, at most LIM_PASSWORD_BYTES. */
static int
read_password(const char *path, char *out, size_t outsz, char *err,
    size_t errsz)
{
	char	 buf[LIM_PASSWORD_BYTES + 2];
	ssize_t	 n;
	size_t	 len;
	int	 fd;

	if (path == NULL || *path == '\0') {
		snprintf(err, errsz, "no password file is set");
		return -1;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	buf[n] = '\0';
	len = strcspn(buf, "\r\n");
	if (len == 0 || len > LIM_PASSWORD_BYTES || len >= outsz ||
	    memchr(buf, '\0', len) != NULL) {
		snprintf(err, errsz, "%s: the first line must hold a password "
		    "of 1 to %d bytes", path, LIM_PASSWORD_BYTES);
		return -1;
	}
	memcpy(out, buf, len);
	out[len] = '\0';
	explicit_bzero(buf, sizeof(buf));
	return 0;
}

/* What -n checks, and the daemon before it starts. */
static int
check(const struct config *cfg, char *err, size_t errsz)
{
	enum imap_tls	 tls;
	unsigned char	 pin[32];
	char		 pw[LIM_PASSWORD_BYTES + 1], why[512];

	if (imap_tls_parse(cfg->imap_tls, &tls) == -1) {
		snprintf(err, errsz, "[mail] imap_tls must be starttls, imaps "
		    "or none, not \"%s\"", cfg->imap_tls);
		return -1;
	}
	if (cfg->imap_pin[0] != '\0' && imap_pin_parse(cfg->imap_pin, pin) ==
	    -1) {
		snprintf(err, errsz, "[mail] imap_pin must be the SHA-256 of "
		    "the server certificate: 64 hex digits");
		return -1;
	}
	if ((tls == IMAP_TLS_NONE || cfg->imap_pin[0] == '\0') &&
	    !imap_host_loopback(cfg->imap_host)) {
		snprintf(err, errsz, "[mail] imap_host %s is not a loopback "
		    "address: it needs imap_tls starttls or imaps and an "
		    "imap_pin", cfg->imap_host);
		return -1;
	}
	if (read_password(cfg->aluminum_password_file, pw, sizeof(pw), why,
	    sizeof(why)) == -1) {
		snprintf(err, errsz, "[mail] aluminum_password_file: %s", why);
		return -1;
	}
	if (read_password(cfg->steel_password_file, pw, sizeof(pw), why,
	    sizeof(why)) == -1) {
		snprintf(err, errsz, "[mail] steel_password_file: %s", why);
		return -1;
	}
	explicit_bzero(pw, sizeof(pw));
	if (sender_check(cfg, why, sizeof(why)) == -1) {
		snprintf(err, errsz, "%s", why);
		return -1;
	}
	return 0;
}

static void
child_signals(void)
{
	struct sigaction	 sa;
	sigset_t		 all;

	/* No SA_RESTART: a stop interrupts poll() and IDLE. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sigfillset(&all);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
}

static struct db *
child_db(const struct config *cfg, const char *role)
{
	struct db	*db;
	char		 err[512];

	if ((db = db_open(cfg->db_path, 0, err, sizeof(err))) == NULL) {
		log_msg(LOG_LVL_ERR, "%s: %s", role, err);
		return NULL;
	}
	snprintf(db->mail_domain, sizeof(db->mail_domain), "%s",
	    cfg->mail_domain);
	return db;
}

/* Keeps the last connection problem where operators look. */
static void
note_error(struct db *db, struct mailbox_state *ms, const char *what)
{
	if (ms->mailbox[0] == '\0')
		return;
	/* Cut to the column's size. */
	snprintf(ms->last_error, sizeof(ms->last_error), "%.*s",
	    (int)sizeof(ms->last_error) - 1, what);
	mailbox_put(db, ms);
}

/* Opens the session and selects INBOX; keeps the new UIDVALIDITY. */
static enum imap_err
attach(const struct imap_conf *ic, const char *name, struct db *db,
    struct imap **imp, struct mailbox_state *ms, char *err, size_t errsz)
{
	struct imap	*im;
	uint32_t	 uidv;
	enum imap_err	 e;
	enum db_err	 de;

	if ((e = imap_open(ic, &im, err, errsz)) != IMAP_OK)
		return e;
	if ((e = imap_ensure(im, INTAKE_PROCESSED_BOX)) != IMAP_OK ||
	    (e = imap_ensure(im, INTAKE_QUARANTINE_BOX)) != IMAP_OK ||
	    (e = imap_select(im, "INBOX", &uidv)) != IMAP_OK) {
		snprintf(err, errsz, "%s", imap_error(im));
		imap_close(im);
		return e;
	}
	if ((de = mailbox_get(db, name, ms)) != DB_OK && de != DB_NOT_FOUND)
		log_msg(LOG_LVL_WARNING, "%s: position unknown: %s", name,
		    db->errmsg);
	if (ms->uidvalidity != uidv) {
		/* UIDs start over: what we know by UID is no guide. */
		if (ms->uidvalidity != 0)
			log_msg(LOG_LVL_NOTICE, "%s: UIDVALIDITY changed from "
			    "%u to %u: rescanning", name, ms->uidvalidity,
			    uidv);
		ms->uidvalidity = uidv;
		ms->last_uid = 0;
	}
	ms->last_error[0] = '\0';
	ms->last_fetch_at[0] = '\0';
	if (mailbox_put(db, ms) != DB_OK)
		log_msg(LOG_LVL_WARNING, "%s: position not kept: %s", name,
		    db->errmsg);
	*imp = im;
	return IMAP_OK;
}

static double
jitter(double base)
{
	/* Half to all of it, so watchers do not come back in step. */
	return base / 2 + base / 2 * (double)arc4random_uniform(1001) / 1000;
}

/* Parser workers of a watcher: one per core, at most
 * MAILD_WORKERS_MAX (two watchers share the machine). */
#define MAILD_WORKERS_MAX	4

/* The changed pages a watcher's transaction keeps in memory: a
 * batch of INTAKE_BATCH_BYTES and the pages it changes besides. */
#define MAILD_SPILL_BYTES	(2 * (size_t)INTAKE_BATCH_BYTES)
/* The WAL a watcher lets grow before it checkpoints: four batches. */
#define MAILD_CHECKPOINT_BYTES	(4 * (size_t)INTAKE_BATCH_BYTES)

static int
workers(void)
{
	long	 n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > MAILD_WORKERS_MAX ? MAILD_WORKERS_MAX : (int)n;
}

static void __attribute__((noreturn))
watch(const struct config *cfg, enum role role)
{
	const char		*name = role_names[role];
	struct intake_conf	 ic;
	struct classify_conf	 cc;
	struct imap_conf	 mc;
	struct mailbox_state	 ms;
	struct intake_stats	 stats;
	struct imap		*im = NULL;
	struct db		*db;
	const char		*addrs[3];
	char			 noreply[sizeof(cfg->mail_domain) + 16];
	char			 pw[LIM_PASSWORD_BYTES + 1], err[512];
	double			 backoff = 1;
	enum imap_err		 e;
	int			 woke, idle;

	if ((db = child_db(cfg, name)) == NULL)
		exit(1);
	/* A batch's pages go to the WAL at its commit: as SQLite's 2 MB
	 * cache filled they were spilled a page at a time, and those
	 * changed again (indexes, the queue) written again.  A large
	 * message still spills past the limit. */
	if (db_cache_spill(db, MAILD_SPILL_BYTES) != DB_OK) {
		log_msg(LOG_LVL_ERR, "%s: cache_spill: %s", name, db->errmsg);
		exit(1);
	}
	/* SQLite checkpointed after each batch (its 1000 pages are one
	 * batch's): every few batches copies each message's pages the
	 * same once, the pages all of them change (indexes, the queue)
	 * once instead of each time, with a quarter of the syncs. */
	if (db_checkpoint_after(db, MAILD_CHECKPOINT_BYTES) != DB_OK) {
		log_msg(LOG_LVL_ERR, "%s: wal_autocheckpoint: %s", name,
		    db->errmsg);
		exit(1);
	}
	if (read_password(role == ROLE_ALUMINUM ?
	    cfg->aluminum_password_file : cfg->steel_password_file, pw,
	    sizeof(pw), err, sizeof(err)) == -1) {
		log_msg(LOG_LVL_ERR, "%s: %s", name, err);
		exit(1);
	}
	snprintf(noreply, sizeof(noreply), "noreply@%s", cfg->mail_domain);
	addrs[0] = cfg->aluminum_user;
	addrs[1] = cfg->steel_user;
	addrs[2] = noreply;
	memset(&cc, 0, sizeof(cc));
	cc.addresses = addrs;
	cc.naddresses = 3;
	cc.msgid_domain = cfg->mail_domain;
	cc.key = cfg->secret;
	cc.keylen = sizeof(cfg->secret);

	memset(&ic, 0, sizeof(ic));
	ic.mailbox = name;
	ic.product = name;
	ic.authserv_id = cfg->authserv_id;
	ic.max_attempts = cfg->max_attempts;
	ic.replies_per_hour = cfg->replies_per_hour;
	ic.key = cfg->secret;
	ic.keylen = sizeof(cfg->secret);
	ic.sandbox.cpu_seconds = cfg->sandbox_cpu_seconds;
	ic.sandbox.memory_mb = cfg->sandbox_memory_mb;
	ic.sandbox.cc = &cc;
	/* Workers read while the watcher fetches and stores; each is
	 * forked when first needed and kept for many messages. */
	ic.sandbox.workers = workers();
	if ((ic.pool = sandbox_new(&ic.sandbox)) == NULL) {
		log_msg(LOG_LVL_ERR, "%s: out of memory", name);
		exit(1);
	}
	/* Stores while this thread fetches and moves. */
	if ((ic.pipe = intake_pipe_new()) == NULL) {
		log_msg(LOG_LVL_ERR, "%s: no store thread: %s", name,
		    strerror(errno));
		exit(1);
	}

	memset(&mc, 0, sizeof(mc));
	mc.host = cfg->imap_host;
	mc.port = cfg->imap_port;
	imap_tls_parse(cfg->imap_tls, &mc.tls);
	mc.pin = cfg->imap_pin;
	mc.user = role == ROLE_ALUMINUM ? cfg->aluminum_user :
	    cfg->steel_user;
	mc.password = pw;
	idle = cfg->poll_seconds < IDLE_MAX_SECONDS ? cfg->poll_seconds :
	    IDLE_MAX_SECONDS;
	memset(&ms, 0, sizeof(ms));

	while (!stop) {
		if ((e = attach(&mc, name, db, &im, &ms, err,
		    sizeof(err))) != IMAP_OK) {
			log_msg(LOG_LVL_WARNING, "%s: %s@%s:%d: %s; again in "
			    "%.0f s or so", name, mc.user, mc.host, mc.port,
			    err, backoff);
			note_error(db, &ms, err);
			nap(jitter(backoff));
			backoff = backoff * 2 > RECONNECT_MAX_SECONDS ?
			    RECONNECT_MAX_SECONDS : backoff * 2;
			continue;
		}
		log_msg(LOG_LVL_INFO, "%s: watching %s@%s:%d (UIDVALIDITY %u)",
		    name, mc.user, mc.host, mc.port, ms.uidvalidity);
		backoff = 1;
		while (!stop) {
			cc.today = date_today();
			/* Again until a pass finds nothing: mail that came
			 * during one was announced to it, not to IDLE. */
			do {
				e = intake_pass(im, db, &ic, &ms, &stop,
				    &stats);
			} while (e == IMAP_OK && !stop &&
			    (stats.moved > 0 || stats.stored > 0));
			if (e != IMAP_OK || stop)
				break;
			if ((e = imap_idle(im, idle, &stop, &woke)) !=
			    IMAP_OK)
				break;
			if (woke)
				log_msg(LOG_LVL_DEBUG, "%s: new mail", name);
		}
		if (e != IMAP_OK && !stop) {
			log_msg(LOG_LVL_WARNING, "%s: %s; reconnecting", name,
			    imap_error(im));
			note_error(db, &ms, imap_error(im));
		}
		imap_close(im);
		im = NULL;
		if (!stop)
			nap(jitter(backoff));
	}
	explicit_bzero(pw, sizeof(pw));
	intake_pipe_free(ic.pipe);
	sandbox_free(ic.pool);
	log_msg(LOG_LVL_INFO, "%s: stopped", name);
	db_close(db);
	exit(0);
}

static void __attribute__((noreturn))
send_loop(const struct config *cfg)
{
	struct render_conf	 rc;
	struct sender_stats	 st;
	struct render		*r;
	struct db		*db;
	char			 err[512];
	long			 next;

	if ((db = child_db(cfg, "outbox")) == NULL)
		exit(1);
	render_conf_from(&rc, cfg, 1);
	if ((r = render_new(&rc, err, sizeof(err))) == NULL) {
		log_msg(LOG_LVL_ERR, "outbox: %s", err);
		exit(1);
	}
	log_msg(LOG_LVL_INFO, "outbox: sending through %s:%d",
	    cfg->smtp_host, cfg->smtp_port);
	while (!stop) {
		memset(&st, 0, sizeof(st));
		if (sender_run_once(db, cfg, r, 0, &st) == -1) {
			log_msg(LOG_LVL_ERR, "outbox: %s", st.error);
			nap(5);
			continue;
		}
		if (st.sent + st.deferred + st.failed + st.limited > 0)
			log_msg(LOG_LVL_INFO, "outbox: %zu sent, %zu deferred, "
			    "%zu failed, %zu rate limited%s%s", st.sent,
			    st.deferred, st.failed, st.limited,
			    st.error[0] ? ": " : "", st.error);
		/* Rows queued by the watchers or aimctl are seen within
		 * a second; a full batch goes on at once. */
		if (st.sent + st.deferred + st.failed + st.limited >=
		    SENDER_BATCH)
			continue;
		next = sender_next_due(db);
		nap(next >= 0 && next < SENDER_SLEEP_SECONDS ? (double)next :
		    SENDER_SLEEP_SECONDS);
	}
	render_free(r);
	db_close(db);
	log_msg(LOG_LVL_INFO, "outbox: stopped");
	exit(0);
}

static pid_t
spawn(const struct config *cfg, enum role role)
{
	pid_t	 pid, parent = getpid();

	if ((pid = fork()) == -1) {
		log_msg(LOG_LVL_ERR, "%s: fork: %s", role_names[role],
		    strerror(errno));
		return -1;
	}
	if (pid > 0)
		return pid;
	/* A supervisor killed outright takes its children along. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	child_signals();
	if (role == ROLE_OUTBOX)
		send_loop(cfg);
	watch(cfg, role);
}

/* The configuration, checked; the secret is made when create is set
 * (a check alone accepts its absence: the first start makes it). */
static int
load(const char *conf, struct config *cfg, int create, char *err,
    size_t errsz)
{
	if (config_load(conf, cfg, err, errsz) == -1)
		return -1;
	if ((create || access(cfg->secret_file, F_OK) == 0) &&
	    config_load_secret(cfg, create, err, errsz) == -1)
		return -1;
	return check(cfg, err, errsz);
}

/* Stops every child: SIGTERM, then SIGKILL after the grace time. */
static void
stop_all(struct child *kids)
{
	time_t	 end = time(NULL) + STOP_GRACE_SECONDS;
	int	 i, left;
	pid_t	 pid;

	for (i = 0; i < ROLE__MAX; i++)
		if (kids[i].pid > 0)
			kill(kids[i].pid, SIGTERM);
	for (;;) {
		while ((pid = waitpid(-1, NULL, WNOHANG)) > 0)
			for (i = 0; i < ROLE__MAX; i++)
				if (kids[i].pid == pid)
					kids[i].pid = 0;
		for (left = 0, i = 0; i < ROLE__MAX; i++)
			if (kids[i].pid > 0)
				left++;
		if (left == 0)
			return;
		if (time(NULL) >= end) {
			for (i = 0; i < ROLE__MAX; i++)
				if (kids[i].pid > 0) {
					log_msg(LOG_LVL_WARNING, "%s: still "
					    "running after %d s; killed",
					    role_names[i], STOP_GRACE_SECONDS);
					kill(kids[i].pid, SIGKILL);
				}
			end = time(NULL) + 60;
		}
		poll(NULL, 0, 50);
	}
}

int
main(int argc, char *argv[])
{
	struct config	 cfg, next;
	struct child	 kids[ROLE__MAX];
	struct timespec	 ts;
	struct db	*db;
	const char	*conf = getenv("AIM_CONF");
	char		 err[1024];
	sigset_t	 set;
	time_t		 now, wake;
	pid_t		 pid;
	int		 ch, checkonly = 0, debug = 0, sig, i, status,
			 delay;

	while ((ch = getopt(argc, argv, "df:n")) != -1)
		switch (ch) {
		case 'd':
			debug = 1;
			break;
		case 'f':
			conf = optarg;
			break;
		case 'n':
			checkonly = 1;
			break;
		default:
			usage();
		}
	if (optind != argc)
		usage();
	log_init("aim-maild", debug ? LOG_LVL_DEBUG : LOG_LVL_INFO, 0);
	if (load(conf, &cfg, !checkonly, err, sizeof(err)) == -1) {
		if (checkonly) {
			fprintf(stderr, "aim-maild: %s\n", err);
			return 1;
		}
		log_fatal("%s", err);
	}
	if (checkonly) {
		printf("%s: configuration OK\n", conf ? conf : "(defaults)");
		return 0;
	}
	/* Loaded once; every child and sandboxed parser inherits them. */
	if (rules_init(err, sizeof(err)) == -1 ||
	    xmlform_init(err, sizeof(err)) == -1)
		log_fatal("%s", err);
	if ((db = db_open(cfg.db_path, 0, err, sizeof(err))) == NULL)
		log_fatal("%s", err);
	db_close(db);

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	memset(kids, 0, sizeof(kids));
	for (i = 0; i < ROLE__MAX; i++) {
		kids[i].pid = spawn(&cfg, (enum role)i);
		kids[i].started = time(NULL);
		if (kids[i].pid == -1)
			kids[i].restart_at = time(NULL) + 1;
	}
	log_msg(LOG_LVL_INFO, "started: IMAP %s:%d (%s), SMTP %s:%d",
	    cfg.imap_host, cfg.imap_port, cfg.imap_tls, cfg.smtp_host,
	    cfg.smtp_port);

	for (;;) {
		now = time(NULL);
		wake = 0;
		for (i = 0; i < ROLE__MAX; i++) {
			if (kids[i].pid > 0 || kids[i].restart_at == 0)
				continue;
			if (kids[i].restart_at <= now) {
				kids[i].restart_at = 0;
				kids[i].started = now;
				if ((kids[i].pid = spawn(&cfg,
				    (enum role)i)) == -1)
					kids[i].restart_at = now + 1;
				else
					log_msg(LOG_LVL_INFO, "%s: started "
					    "(pid %d)", role_names[i],
					    (int)kids[i].pid);
			}
			if (kids[i].restart_at != 0 && (wake == 0 ||
			    kids[i].restart_at < wake))
				wake = kids[i].restart_at;
		}
		ts.tv_sec = wake > now ? wake - now : 60;
		ts.tv_nsec = 0;
		if ((sig = sigtimedwait(&set, NULL, &ts)) == -1)
			continue;
		if (sig == SIGCHLD) {
			while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
				for (i = 0; i < ROLE__MAX; i++) {
					if (kids[i].pid != pid)
						continue;
					kids[i].pid = 0;
					now = time(NULL);
					if (now - kids[i].started >=
					    RESTART_RESET_SECONDS)
						kids[i].failures = 0;
					delay = 1 << (kids[i].failures < 6 ?
					    kids[i].failures : 6);
					if (delay > RESTART_MAX_SECONDS)
						delay = RESTART_MAX_SECONDS;
					kids[i].failures++;
					kids[i].restart_at = now + delay;
					log_msg(LOG_LVL_WARNING, "%s: ended "
					    "(%s %d); restarting in %d s",
					    role_names[i], WIFSIGNALED(status) ?
					    "signal" : "status",
					    WIFSIGNALED(status) ?
					    WTERMSIG(status) :
					    WEXITSTATUS(status), delay);
				}
			continue;
		}
		if (sig == SIGHUP) {
			if (load(conf, &next, 0, err, sizeof(err)) == -1) {
				log_msg(LOG_LVL_ERR, "SIGHUP: %s; keeping the "
				    "running configuration", err);
				continue;
			}
			log_msg(LOG_LVL_INFO, "SIGHUP: configuration read "
			    "again; restarting the children");
			cfg = next;
			stop_all(kids);
			for (i = 0; i < ROLE__MAX; i++) {
				kids[i].failures = 0;
				kids[i].restart_at = time(NULL);
			}
			continue;
		}
		if (sig == SIGTERM || sig == SIGINT)
			break;
	}
	log_msg(LOG_LVL_INFO, "stopping");
	stop_all(kids);
	log_msg(LOG_LVL_INFO, "stopped");
	return 0;
}
