/*
 * aimctl: create the database, add accounts, check and file license
 * forms, and look at licenses and the outbox.  See aimctl(1).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "lib/limits.h"
#include "forms/read.h"
#include "forms/rules.h"
#include "xml/xmlform.h"
#include "db/tables.h"
#include "cli.h"

#define DEFAULT_DB	"var/aim.db"

static const struct command {
	const char	*name;
	int		(*run)(struct cli *, int, char **);
	const char	*usage;
} commands[] = {
	{ "init", cmd_init, "init" },
	{ "account", cmd_account, "account add|show ..." },
	{ "check-form", cmd_check_form,
	  "check-form FILE [--as-of YYYY-MM-DD] [--json]" },
	{ "submit", cmd_submit, "submit FILE --account EMAIL [--json]" },
	{ "show", cmd_show, "show NUMBER [--json]" },
	{ "correct", cmd_correct, "correct NUMBER FILE [--json]" },
	{ "cancel", cmd_cancel, "cancel NUMBER [--json]" },
	{ "confirm", cmd_confirm, "confirm NUMBER [--json]" },
	{ "duplicate", cmd_duplicate, "duplicate NUMBER" },
	{ "outbox", cmd_outbox, "outbox [--state queued|sent|failed] [--json]" },
	{ "outbox", cmd_outbox, "outbox send [--once] [--retry-now]" },
	{ "outbox", cmd_outbox, "outbox show ID" },
	{ "check", cmd_check, "check NUMBER --importer NAME --import-date "
	  "YYYY-MM-DD [--entry-value USD] [--json]" },
	{ "token", cmd_token,
	  "token add --account EMAIL [--name NAME] [--json]" },
	{ "form", cmd_form,
	  "form pdf --product aluminum|steel [--account EMAIL] > FILE.pdf" },
	{ "form", cmd_form, "form xlsx > FILE.xlsx" },
	{ "submit-batch", cmd_submit_batch,
	  "submit-batch FILE --account EMAIL [--accept-valid] [--json]" },
	{ "mail", cmd_mail, "mail inspect FILE.eml [--json]" },
	{ "mail", cmd_mail, "mail store FILE.eml [--mailbox aluminum|steel] "
	  "[--quarantine REASON] [--json]" },
	{ "mail", cmd_mail, "mail retry [--json]" },
	{ "staff", cmd_staff, "staff add --email EMAIL --role "
	  "staff|supervisor --password-stdin" },
	{ "staff", cmd_staff, "staff list [--json]" },
	{ "queue", cmd_queue, "queue list|show|claim|release|approve|reject|"
	  "close ... (aimctl queue for details)" },
	{ "history", cmd_history, "history generate --licenses N [--years Y] "
	  "[--seed S] [--account EMAIL] [--json]" },
	{ "history", cmd_history, "history rebuild|check" },
};

static void
usage(void)
{
	size_t	 i;

	fprintf(stderr, "usage: aimctl [--db PATH] command ...\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(stderr, "       aimctl %s\n", commands[i].usage);
}

struct db *
cli_db(struct cli *c)
{
	char		 err[512];
	enum db_err	 e;

	if (c->db != NULL)
		return c->db;
	if ((c->db = db_open(c->dbpath, 0, err, sizeof(err))) == NULL) {
		fprintf(stderr, "aimctl: %s (run aimctl init first)\n", err);
		return NULL;
	}
	if ((e = db_migrate(c->db)) != DB_OK) {
		fprintf(stderr, "aimctl: %s: %s\n", c->dbpath, c->db->errmsg);
		db_close(c->db);
		c->db = NULL;
	}
	return c->db;
}

int
cmd_init(struct cli *c, int argc, char **argv)
{
	char		 err[512];
	enum db_err	 e;

	if (argc != 1) {
		fprintf(stderr, "usage: aimctl init\n");
		return EXIT_USAGE;
	}
	if ((c->db = db_open(c->dbpath, 1, err, sizeof(err))) == NULL) {
		fprintf(stderr, "aimctl: %s\n", err);
		return EXIT_REFUSED;
	}
	if ((e = db_migrate(c->db)) != DB_OK ||
	    (e = tables_load_hts(c->db)) != DB_OK) {
		fprintf(stderr, "aimctl: %s: %s\n", c->dbpath, c->db->errmsg);
		return EXIT_REFUSED;
	}
	if (!c->json)
		printf("%s: schema version %d, HTS tables loaded\n", c->dbpath,
		    db_schema_version());
	return EXIT_DONE;
}

struct form *
cli_read_form(struct cli *c, const char *path, struct report *rep,
    char *err, size_t errsz)
{
	FILE		*f;
	char		*buf = NULL;
	size_t		 n;
	struct form	*form = NULL;

	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(err, errsz, "%s", strerror(errno));
		fprintf(stderr, "aimctl: %s: %s\n", path, err);
		return NULL;
	}
	/* One byte past the largest limit tells "too large" from "just
	 * fits"; each reader checks its own format's limit. */
	if ((buf = malloc(LIM_PDF_BYTES + 1)) == NULL) {
		snprintf(err, errsz, "out of memory");
		fprintf(stderr, "aimctl: %s\n", err);
		goto out;
	}
	n = fread(buf, 1, LIM_PDF_BYTES + 1, f);
	if (ferror(f)) {
		snprintf(err, errsz, "%s", strerror(errno));
		fprintf(stderr, "aimctl: %s: %s\n", path, err);
		goto out;
	}
	if (n > LIM_PDF_BYTES) {
		snprintf(err, errsz, "the form is larger than %d bytes; a "
		    "license form is far smaller: check the file",
		    LIM_PDF_BYTES);
		fprintf(stderr, "aimctl: %s: %s\n", path, err);
		goto out;
	}
	if ((form = form_read(buf, n, rep, err, errsz)) == NULL)
		fprintf(stderr, "aimctl: %s: %s\n", path, err);
out:
	free(buf);
	fclose(f);
	return form;
}

char *
cli_read_file(const char *path, size_t max, size_t *len)
{
	FILE	*f;
	char	*buf = NULL, *nb;
	size_t	 n = 0, cap = 0, r;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "aimctl: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n == cap) {
			if (cap > max)
				break;
			cap = cap ? cap * 2 : 65536;
			if (cap > max + 1)
				cap = max + 1;
			if ((nb = realloc(buf, cap)) == NULL) {
				fprintf(stderr, "aimctl: out of memory\n");
				goto fail;
			}
			buf = nb;
		}
		if ((r = fread(buf + n, 1, cap - n, f)) == 0)
			break;
		n += r;
	}
	if (ferror(f)) {
		fprintf(stderr, "aimctl: %s: %s\n", path, strerror(errno));
		goto fail;
	}
	fclose(f);
	*len = n;
	return buf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}

void
cli_print_json(json_t *v)
{
	char	*s;

	if (v == NULL || (s = json_dumps(v, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER)) == NULL) {
		fprintf(stderr, "aimctl: out of memory\n");
		json_decref(v);
		return;
	}
	puts(s);
	free(s);
	json_decref(v);
}

void
cli_print_report(FILE *f, const struct report *r)
{
	size_t	 i;

	for (i = 0; i < r->nerrors; i++)
		fprintf(f, "error: %s: %s\n", r->errors[i].field[0] ?
		    r->errors[i].field : "form", r->errors[i].message);
	if (r->truncated)
		fprintf(f, "error: form: more problems than shown; fix these "
		    "first\n");
	for (i = 0; i < r->nflags; i++)
		fprintf(f, "action required: %s: %s\n", r->flags[i].field,
		    r->flags[i].message);
}

int
cli_read_password(char *buf, size_t sz)
{
	size_t	 n;

	if (fgets(buf, sz, stdin) == NULL)
		goto bad;
	n = strcspn(buf, "\r\n");
	if (buf[n] == '\0' && n == sz - 1)
		goto bad;	/* longer than the buffer */
	buf[n] = '\0';
	return 0;
bad:
	fprintf(stderr, "aimctl: read the password as one line on standard "
	    "input (at most 64 characters)\n");
	return -1;
}

int
cli_date(const char *opt, const char *s, int *days)
{
	if (date_parse(s, days) == -1) {
		fprintf(stderr, "aimctl: %s: \"%s\" is not a date "
		    "(YYYY-MM-DD)\n", opt, s);
		return -1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli	 c;
	char		 err[512];
	size_t		 i;
	int		 ch, rc = EXIT_USAGE;

	memset(&c, 0, sizeof(c));
	if ((c.dbpath = getenv("AIM_DB")) == NULL || *c.dbpath == '\0')
		c.dbpath = DEFAULT_DB;
	/* "+": stop at the command; its own options follow it. */
	while ((ch = getopt_long(argc, argv, "+d:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			c.dbpath = optarg;
			break;
		case 'h':
			usage();
			return EXIT_DONE;
		default:
			usage();
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage();
		return EXIT_USAGE;
	}
	if (rules_init(err, sizeof(err)) == -1 ||
	    xmlform_init(err, sizeof(err)) == -1) {
		fprintf(stderr, "aimctl: %s\n", err);
		return EXIT_REFUSED;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[0], commands[i].name) == 0)
			break;
	if (i == sizeof(commands) / sizeof(commands[0])) {
		fprintf(stderr, "aimctl: unknown command %s\n", argv[0]);
		usage();
	} else {
		optind = 0;	/* getopt again, for the command's options */
		rc = commands[i].run(&c, argc, argv);
	}
	db_close(c.db);
	xmlform_free();
	return rc;
}
