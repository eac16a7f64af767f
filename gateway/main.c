/*
 * aim-gateway: the FastCGI responder behind nginx.  The parent opens the
 * socket and keeps a fixed number of worker processes; each worker has
 * its own SQLite connection and answers one request at a time.
 *
 * libfcgi installs its own SIGTERM handler, so the parent blocks the
 * signals and sigwait()s; on SIGTERM it shuts the listening socket down,
 * which wakes every worker's accept() so it finishes its request and
 * exits.  See aim-gateway(8).
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "lib/config.h"
#include "lib/log.h"
#include "forms/rules.h"
#include "xml/xmlform.h"
#include "db/db.h"
#include "http.h"
#include "route.h"
#include "writer.h"

#define WORKERS_MAX	64

static void
usage(void)
{
	fprintf(stderr, "usage: aim-gateway [-dn] [-f config]\n");
	exit(2);
}

static void
serve(struct config *cfg, int fd, int wfd)
{
	FCGX_Request	 f;
	struct gw	 gw;
	struct req	 r;
	sigset_t	 all;
	char		 err[512];
	int		 st;

	/* Die with the parent; the parent restarts us if we die. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	memset(&gw, 0, sizeof(gw));
	gw.cfg = cfg;
	/* No time limit on the writer's answer: like a worker waiting for
	 * the write lock, it waits while the writer lives, and a writer
	 * that dies closes the socket at once. */
	gw.wfd = wfd;
	if ((gw.db = db_open(cfg->db_path, 0, err, sizeof(err))) == NULL)
		log_fatal("%s", err);
	if (db_migrate(gw.db) != DB_OK)
		log_fatal("%s: %s", cfg->db_path, gw.db->errmsg);
	snprintf(gw.db->mail_domain, sizeof(gw.db->mail_domain), "%s",
	    cfg->mail_domain);
	FCGX_InitRequest(&f, fd, 0);
	while (FCGX_Accept_r(&f) >= 0) {
		http_init(&r, &gw);
		if ((st = http_read(&r, &f)) != 0) {
			if (strncmp(r.path ? r.path : "", "/api/", 5) == 0)
				resp_json_error(&r, st, st == 413 ?
				    "too_large" : "bad_request", st == 413 ?
				    "The request body is too large." :
				    "The request could not be read.");
			else
				resp_error_page(&r, st, st == 413 ?
				    "Too large" : "Bad request", st == 413 ?
				    "What you sent is larger than this site "
				    "accepts." : "The request could not be "
				    "read.");
		} else
			route_dispatch(&r);
		if (r.status == 0)
			r.status = 200;
		/* A handler that left a transaction open is a bug; never
		 * let it hold the write lock into the next request. */
		db_abort(gw.db);
		http_send(&r, &f);
		http_free(&r);
		/* When all nginx sent has been read (the body, if any, to
		 * its end), close at once: libfcgi would shut the socket
		 * down and wait for nginx to hang up first, holding the
		 * worker until nginx got round to it.  A request read in
		 * part keeps that wait, so that nginx can finish sending. */
		if (FCGX_GetChar(f.in) == EOF && FCGX_HasSeenEOF(f.in) == EOF)
			FCGX_Detach(&f);
		FCGX_Finish_r(&f);
		if (gw.wrestart)
			break;
	}
	db_close(gw.db);
	exit(0);
}

/* What every worker would read first, read once for all (route.h). */
static void
warm(const struct config *cfg)
{
	struct db	*db;
	char		 err[512];

	/* A worker that cannot open the database says why itself. */
	if ((db = db_open(cfg->db_path, 0, err, sizeof(err))) == NULL)
		return;
	if (db_migrate(db) == DB_OK)
		api_monitor_warm(db);
	db_close(db);
}

/*
 * The writer's control socket (master's end), -1 without group commit
 * or while there is no writer.
 */
static int	 ctl = -1;

static pid_t
spawn(struct config *cfg, int fd)
{
	pid_t	 pid;
	int	 sv[2] = { -1, -1 };

	/* A worker whose pair fails files by itself. */
	if (ctl != -1 && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
	    sv) == 0 && writer_give(ctl, sv[1]) == -1) {
		close(sv[0]);
		sv[0] = -1;
	}
	if ((pid = fork()) == -1)
		log_msg(LOG_LVL_ERR, "fork: %s", strerror(errno));
	else if (pid == 0) {
		if (ctl != -1)
			close(ctl);
		if (sv[1] != -1)
			close(sv[1]);
		serve(cfg, fd, sv[0]);
	}
	if (sv[0] != -1)
		close(sv[0]);
	if (sv[1] != -1)
		close(sv[1]);
	return pid;
}

/* The group-commit writer (writer.h); sets ctl. */
static pid_t
spawn_writer(struct config *cfg, int fd)
{
	pid_t	 pid;
	int	 sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1) {
		log_msg(LOG_LVL_ERR, "socketpair: %s", strerror(errno));
		return -1;
	}
	if ((pid = fork()) == -1) {
		log_msg(LOG_LVL_ERR, "fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		close(fd);
		close(sv[0]);
		writer_main(cfg, sv[1]);
	}
	close(sv[1]);
	ctl = sv[0];
	return pid;
}

int
main(int argc, char *argv[])
{
	struct config	 cfg;
	const char	*conf = getenv("AIM_CONF");
	char		 err[1024];
	pid_t		 kids[WORKERS_MAX], pid, writer = -1;
	time_t		 wstarted = 0;
	sigset_t	 set;
	int		 ch, check = 0, debug = 0, fd, sig, i, status, tries,
			 left;

	while ((ch = getopt(argc, argv, "df:n")) != -1)
		switch (ch) {
		case 'd':
			debug = 1;
			break;
		case 'f':
			conf = optarg;
			break;
		case 'n':
			check = 1;
			break;
		default:
			usage();
		}
	if (optind != argc)
		usage();
	log_init("aim-gateway", debug ? LOG_LVL_DEBUG : LOG_LVL_INFO, 0);
	if (config_load(conf, &cfg, err, sizeof(err)) == -1)
		log_fatal("%s", err);
	if (config_load_secret(&cfg, !check, err, sizeof(err)) == -1 &&
	    !check)
		log_fatal("%s", err);
	if (check) {
		printf("%s: configuration OK\n", conf ? conf : "(defaults)");
		return 0;
	}
	if (rules_init(err, sizeof(err)) == -1 ||
	    xmlform_init(err, sizeof(err)) == -1)
		log_fatal("%s", err);

	if (FCGX_Init() != 0)
		log_fatal("FCGX_Init failed");
	unlink(cfg.socket_path);
	if ((fd = FCGX_OpenSocket(cfg.socket_path, 128)) < 0)
		log_fatal("%s: cannot listen", cfg.socket_path);
	/* nginx workers run as another user. */
	chmod(cfg.socket_path, 0666);

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (cfg.group_commit) {
		writer = spawn_writer(&cfg, fd);
		wstarted = time(NULL);
	}
	warm(&cfg);
	for (i = 0; i < cfg.workers; i++)
		kids[i] = spawn(&cfg, fd);
	log_msg(LOG_LVL_INFO, "listening on %s with %d workers%s",
	    cfg.socket_path, cfg.workers, writer > 0 ?
	    " and a group-commit writer" : "");

	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGCHLD) {
			while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
				if (pid == writer) {
					/* Workers file by themselves till
					 * each is started anew; a writer
					 * that dies at once is not
					 * restarted in a tight loop. */
					log_msg(LOG_LVL_WARNING, "writer %d "
					    "ended (status %d); restarting",
					    pid, status);
					close(ctl);
					ctl = -1;
					if (time(NULL) - wstarted < 1)
						sleep(1);
					writer = spawn_writer(&cfg, fd);
					wstarted = time(NULL);
					continue;
				}
				for (i = 0; i < cfg.workers; i++)
					if (kids[i] == pid) {
						log_msg(LOG_LVL_WARNING,
						    "worker %d ended (status "
						    "%d); restarting", pid,
						    status);
						kids[i] = spawn(&cfg, fd);
					}
			}
			continue;
		}
		if (sig == SIGTERM || sig == SIGINT)
			break;
	}
	log_msg(LOG_LVL_INFO, "stopping");
	/* Wakes every worker's accept(); each ends after its request. */
	shutdown(fd, SHUT_RDWR);
	for (tries = 0; tries < 100; tries++) {
		for (left = 0, i = 0; i < cfg.workers; i++)
			if (kids[i] > 0 && waitpid(kids[i], NULL, WNOHANG) == 0)
				left++;
			else
				kids[i] = 0;
		if (left == 0)
			break;
		usleep(50 * 1000);
	}
	for (i = 0; i < cfg.workers; i++)
		if (kids[i] > 0) {
			log_msg(LOG_LVL_WARNING, "worker %d did not stop; "
			    "killing it", kids[i]);
			kill(kids[i], SIGKILL);
			waitpid(kids[i], NULL, 0);
		}
	/* The writer ends when its control socket closes. */
	if (writer > 0) {
		close(ctl);
		waitpid(writer, NULL, 0);
	}
	close(fd);
	unlink(cfg.socket_path);
	return 0;
}
