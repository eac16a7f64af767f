/*
 * aimctl outbox send: the daemon's outbox sender (mail/sender.c), run
 * by an operator, so the outbox can be flushed without aim-maild; and
 * aimctl outbox show: one row as the message it becomes.  Both read
 * the [mail] settings from $AIM_CONF (the defaults without it) and the
 * server secret for reply tokens.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/config.h"
#include "lib/log.h"
#include "db/outbox.h"
#include "mail/render.h"
#include "mail/sender.h"
#include "cli.h"

/* The configuration and the templates; NULL after a message. */
static struct render *
setup(struct config *cfg)
{
	struct render_conf	 rc;
	struct render		*r;
	char			 err[512];
	int			 keyed;

	if (config_load(getenv("AIM_CONF"), cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "aimctl: %s\n", err);
		return NULL;
	}
	/* Without the secret, mail that needs a reply token waits. */
	keyed = config_load_secret(cfg, 0, err, sizeof(err)) == 0;
	if (!keyed)
		fprintf(stderr, "aimctl: no reply tokens: %s\n", err);
	render_conf_from(&rc, cfg, keyed);
	if ((r = render_new(&rc, err, sizeof(err))) == NULL)
		fprintf(stderr, "aimctl: templates: %s\n", err);
	return r;
}

int
cmd_outbox_send(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "once", no_argument, NULL, 'o' },
		{ "retry-now", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct config		 cfg;
	struct sender_stats	 st, all;
	struct render		*r = NULL;
	char			 err[512];
	int			 ch, once = 0, flags = 0, rc = EXIT_REFUSED;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'o':
			once = 1;
			break;
		case 'r':
			flags |= SENDER_RETRY_NOW;
			break;
		default:
			goto usage;
		}
	if (optind != argc)
		goto usage;
	log_init("aimctl", LOG_LVL_INFO, 0);
	/* A server may close while we write: an error, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	if ((r = setup(&cfg)) == NULL)
		return EXIT_USAGE;
	if (sender_check(&cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "aimctl: %s\n", err);
		rc = EXIT_USAGE;
		goto out;
	}
	if (cli_db(c) == NULL) {
		rc = EXIT_USAGE;
		goto out;
	}
	memset(&all, 0, sizeof(all));
	for (;;) {
		if (sender_run_once(c->db, &cfg, r, flags, &st) == -1) {
			fprintf(stderr, "aimctl: outbox: %s\n", st.error);
			goto out;
		}
		all.sent += st.sent;
		all.deferred += st.deferred;
		all.failed += st.failed;
		all.limited += st.limited;
		/* More may be due: go on until a run finds none, or the
		 * server is in trouble (deferred rows would come back). */
		if (once || st.deferred > 0 || st.sent + st.failed +
		    st.limited + st.skipped == 0)
			break;
	}
	printf("sent %zu, deferred %zu, failed %zu, rate-limited %zu\n",
	    all.sent, all.deferred, all.failed, all.limited);
	if (all.deferred > 0 && st.error[0] != '\0')
		fprintf(stderr, "aimctl: outbox: %s\n", st.error);
	rc = EXIT_DONE;
	goto out;
usage:
	fprintf(stderr, "usage: aimctl outbox send [--once] [--retry-now]\n");
	return EXIT_USAGE;
out:
	render_free(r);
	return rc;
}

int
cmd_outbox_show(struct cli *c, int argc, char **argv)
{
	struct config		 cfg;
	struct outbox_row	 row;
	struct rendered		 m;
	struct render		*r = NULL;
	const char		*p;
	char			*end;
	size_t			 i;
	long long		 id;
	int			 rc = EXIT_REFUSED;
	enum render_err		 e;
	enum db_err		 de;

	memset(&row, 0, sizeof(row));
	memset(&m, 0, sizeof(m));
	if (argc != 2)
		goto usage;
	id = strtoll(argv[1], &end, 10);
	if (end == argv[1] || *end != '\0' || id < 1)
		goto usage;
	if ((r = setup(&cfg)) == NULL)
		return EXIT_USAGE;
	if (cli_db(c) == NULL) {
		rc = EXIT_USAGE;
		goto out;
	}
	if ((de = outbox_get(c->db, id, &row)) != DB_OK) {
		fprintf(stderr, "aimctl: outbox %lld: %s\n", id,
		    de == DB_NOT_FOUND ? "no such row" : c->db->errmsg);
		goto out;
	}
	if ((e = render_row(r, &row, &m)) != RENDER_OK) {
		fprintf(stderr, "aimctl: outbox %lld: %s\n", id,
		    render_strerror(e));
		goto out;
	}
	/* The envelope, then the message with the terminal's line ends. */
	fprintf(stderr, "aimctl: outbox %lld (%s): MAIL FROM:<%s>", id,
	    row.state, m.from);
	for (i = 0; i < m.nrcpt; i++)
		fprintf(stderr, " RCPT TO:<%s>", m.rcpt[i]);
	fputc('\n', stderr);
	for (p = m.msg.p; *p != '\0'; p++)
		if (!(p[0] == '\r' && p[1] == '\n'))
			putchar(*p);
	rc = EXIT_DONE;
	goto out;
usage:
	fprintf(stderr, "usage: aimctl outbox show ID\n");
	return EXIT_USAGE;
out:
	rendered_free(&m);
	outbox_row_clear(&row);
	render_free(r);
	return rc;
}
