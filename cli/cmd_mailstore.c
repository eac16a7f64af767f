/*
 * aimctl mail store|retry: the mail gateway's intake (mail/intake.c,
 * the same calls aim-maild makes for a fetched message) without an IMAP
 * server.
 *
 *   mail store FILE.eml [--mailbox aluminum|steel] [--quarantine WHY]
 *	reads and stores one message exactly as the daemon would: the
 *	sandboxed parse, classification, queue item, acknowledgement,
 *	replies by token.  It is filed under UIDVALIDITY 0, which no IMAP
 *	server gives (RFC 3501: non-zero), and the next free UID there,
 *	so it never meets a fetched message.  --quarantine puts it
 *	straight into quarantine with the reason instead (a message an
 *	operator pulled out by hand; the tests' quarantined mail).
 *   mail retry
 *	reads again every message staff sent back from quarantine
 *	(db/mailstore.h mail_requeue, mail_pending), under its own
 *	mailbox and UID, as the daemon does.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/config.h"
#include "lib/limits.h"
#include "db/mailstore.h"
#include "mail/classify.h"
#include "mail/intake.h"
#include "mail/mime.h"
#include "cli.h"

#define STORE_USAGE \
	"usage: aimctl mail store FILE.eml [--mailbox aluminum|steel] " \
	"[--quarantine REASON] [--json]\n" \
	"       aimctl mail retry [--json]\n"

/* Messages read again by one retry. */
#define RETRY_MAX	1000
/* UIDVALIDITY of messages stored from a file. */
#define FILE_UIDVALIDITY	0

static const char *const where_names[] = {
	[INTAKE_PROCESSED] = "processed",
	[INTAKE_QUARANTINE] = "quarantined",
	[INTAKE_LATER] = "later",
	[INTAKE_STOP] = "stopped",
};

/* The daemon's view of one mailbox, from the configuration. */
struct setup {
	struct config		 cfg;
	struct classify_conf	 cc;
	struct intake_conf	 ic;
	const char		*addrs[3];
	char			 noreply[sizeof(((struct config *)NULL)->
				    mail_domain) + 16];
};

static int
setup(struct setup *s, const char *mailbox)
{
	char	 err[512];
	int	 keyed = 0;

	memset(s, 0, sizeof(*s));
	if (config_load(getenv("AIM_CONF"), &s->cfg, err, sizeof(err)) ==
	    -1) {
		fprintf(stderr, "aimctl: %s\n", err);
		return -1;
	}
	if (config_load_secret(&s->cfg, 0, err, sizeof(err)) == 0)
		keyed = 1;
	else
		fprintf(stderr, "aimctl: reply tokens not checked: %s\n", err);
	snprintf(s->noreply, sizeof(s->noreply), "noreply@%s",
	    s->cfg.mail_domain);
	s->addrs[0] = s->cfg.aluminum_user;
	s->addrs[1] = s->cfg.steel_user;
	s->addrs[2] = s->noreply;
	s->cc.addresses = s->addrs;
	s->cc.naddresses = 3;
	s->cc.msgid_domain = s->cfg.mail_domain;
	s->cc.key = keyed ? s->cfg.secret : NULL;
	s->cc.keylen = keyed ? sizeof(s->cfg.secret) : 0;
	s->ic.mailbox = mailbox;
	s->ic.product = mailbox;
	s->ic.authserv_id = s->cfg.authserv_id;
	s->ic.max_attempts = s->cfg.max_attempts;
	s->ic.replies_per_hour = s->cfg.replies_per_hour;
	s->ic.key = s->cc.key;
	s->ic.keylen = s->cc.keylen;
	s->ic.sandbox.cpu_seconds = s->cfg.sandbox_cpu_seconds;
	s->ic.sandbox.memory_mb = s->cfg.sandbox_memory_mb;
	s->ic.sandbox.cc = &s->cc;
	return 0;
}

/* Reads a whole file, at most LIM_MAIL_BYTES. */
static char *
slurp(const char *path, size_t *len)
{
	char	*buf;

	if ((buf = cli_read_file(path, LIM_MAIL_BYTES, len)) != NULL &&
	    *len > LIM_MAIL_BYTES) {
		fprintf(stderr, "aimctl: %s: larger than %d bytes\n", path,
		    LIM_MAIL_BYTES);
		free(buf);
		buf = NULL;
	}
	return buf;
}

static void
report(struct cli *c, const struct intake_outcome *o, int64_t item)
{
	if (c->json)
		cli_print_json(json_pack("{s:s, s:I, s:I, s:s}", "where",
		    where_names[o->where], "message_id", (json_int_t)o->id,
		    "item_id", (json_int_t)item, "what", o->what));
	else
		printf("%s: %s\n", where_names[o->where], o->what);
}

int
cmd_mail_store(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mailbox", required_argument, NULL, 'm' },
		{ "quarantine", required_argument, NULL, 'q' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct setup		*s = NULL;
	struct intake_outcome	 o;
	struct mail_in		 in;
	struct mail_stored	 st;
	struct message		*m = NULL;
	const char		*mailbox = "aluminum", *why = NULL;
	char			*raw = NULL, err[256];
	size_t			 len = 0;
	uint32_t		 uid;
	int64_t			 id;
	int			 ch, rc = EXIT_USAGE;
	enum db_err		 e;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'm':
			mailbox = optarg;
			break;
		case 'q':
			why = optarg;
			break;
		case 'j':
			c->json = 1;
			break;
		default:
			goto usage;
		}
	if (optind != argc - 1)
		goto usage;
	if (strcmp(mailbox, "aluminum") != 0 && strcmp(mailbox, "steel") !=
	    0) {
		fprintf(stderr, "aimctl: mail store: the mailbox is aluminum "
		    "or steel\n");
		goto usage;
	}
	if (why != NULL && (*why == '\0' || strlen(why) > 512)) {
		fprintf(stderr, "aimctl: mail store: a reason of 1 to 512 "
		    "bytes\n");
		goto usage;
	}
	rc = EXIT_REFUSED;
	if ((s = calloc(1, sizeof(*s))) == NULL || setup(s, mailbox) == -1 ||
	    (raw = slurp(argv[optind], &len)) == NULL || cli_db(c) == NULL)
		goto out;
	/* The next UID free under UIDVALIDITY 0. */
	for (uid = 1; ; uid++) {
		e = message_seen(c->db, mailbox, FILE_UIDVALIDITY, uid, NULL,
		    &id);
		if (e == DB_NOT_FOUND)
			break;
		if (e != DB_OK || uid == UINT32_MAX) {
			fprintf(stderr, "aimctl: mail store: %s\n",
			    c->db->errmsg);
			goto out;
		}
	}
	if (why != NULL) {
		/* Parsed here only for its sender: the item shows it. */
		m = mime_parse(raw, len, err, sizeof(err));
		memset(&in, 0, sizeof(in));
		in.mailbox = mailbox;
		in.uidvalidity = FILE_UIDVALIDITY;
		in.uid = uid;
		in.raw = raw;
		in.rawlen = len;
		in.msg = m;
		if ((e = mail_fail(c->db, &in, why, 1, &st)) != DB_OK) {
			fprintf(stderr, "aimctl: mail store: %s\n",
			    c->db->errmsg);
			goto out;
		}
		memset(&o, 0, sizeof(o));
		o.where = strcmp(st.state, "quarantined") == 0 ?
		    INTAKE_QUARANTINE : INTAKE_PROCESSED;
		o.id = st.id;
		snprintf(o.what, sizeof(o.what), "message %lld %s: %s",
		    (long long)st.id, st.state, why);
		report(c, &o, st.item_id);
		rc = EXIT_DONE;
		goto out;
	}
	intake_message(c->db, &s->ic, FILE_UIDVALIDITY, uid, raw, len, &o);
	report(c, &o, 0);
	rc = o.where == INTAKE_PROCESSED || o.where == INTAKE_QUARANTINE ?
	    EXIT_DONE : EXIT_REFUSED;
	goto out;
usage:
	fputs(STORE_USAGE, stderr);
out:
	message_free(m);
	free(raw);
	free(s);
	return rc;
}

int
cmd_mail_retry(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct setup		*s = NULL;
	struct stored_message	 m;
	struct intake_outcome	 o;
	int64_t			*ids = NULL;
	unsigned char		*raw;
	size_t			 n = 0, i, len;
	int			 ch, rc = EXIT_USAGE, failed = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (ch == 'j')
			c->json = 1;
		else
			goto usage;
	if (optind != argc)
		goto usage;
	rc = EXIT_REFUSED;
	if ((ids = calloc(RETRY_MAX, sizeof(*ids))) == NULL ||
	    (s = calloc(1, sizeof(*s))) == NULL || cli_db(c) == NULL)
		goto out;
	if (mail_pending(c->db, ids, RETRY_MAX, &n) != DB_OK) {
		fprintf(stderr, "aimctl: mail retry: %s\n", c->db->errmsg);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (mail_get(c->db, ids[i], &m) != DB_OK ||
		    mail_raw(c->db, ids[i], &raw, &len) != DB_OK) {
			fprintf(stderr, "aimctl: mail retry: message %lld: "
			    "%s\n", (long long)ids[i], c->db->errmsg);
			stored_message_clear(&m);
			failed = 1;
			continue;
		}
		/* The product of the mailbox it came to. */
		if (setup(s, strcmp(m.mailbox, "steel") == 0 ? "steel" :
		    "aluminum") == -1) {
			free(raw);
			stored_message_clear(&m);
			goto out;
		}
		s->ic.mailbox = m.mailbox;
		intake_message(c->db, &s->ic, m.uidvalidity, m.uid,
		    (const char *)raw, len, &o);
		report(c, &o, 0);
		if (o.where != INTAKE_PROCESSED &&
		    o.where != INTAKE_QUARANTINE)
			failed = 1;
		free(raw);
		stored_message_clear(&m);
	}
	if (n == 0 && !c->json)
		printf("no message to read again\n");
	rc = failed ? EXIT_REFUSED : EXIT_DONE;
	goto out;
usage:
	fputs(STORE_USAGE, stderr);
out:
	free(s);
	free(ids);
	return rc;
}
