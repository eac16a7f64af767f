/*
 * aimctl commands on licenses: submit, show, correct, cancel, confirm,
 * duplicate, check, and the outbox.  Each is one registry call.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "forms/licjson.h"
#include "forms/read.h"
#include "db/accounts.h"
#include "db/outbox.h"
#include "db/registry.h"
#include "cli.h"
#include "out.h"

static const struct option json_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "account", required_argument, NULL, 'a' },
	{ NULL, 0, NULL, 0 },
};

/* The operator acts on every account's licenses. */
static const struct actor operator = { -1, "aimctl", "cli", 0 };

/* Parses --json (and --account when acct is not NULL); the rest of the
 * arguments must be exactly nargs.  Returns 0 or -1 for usage. */
static int
args(struct cli *c, int argc, char **argv, int nargs, const char **acct)
{
	int	 ch;

	while ((ch = getopt_long(argc, argv, "", json_opts, NULL)) != -1)
		switch (ch) {
		case 'j':
			c->json = 1;
			break;
		case 'a':
			if (acct == NULL)
				return -1;
			*acct = optarg;
			break;
		default:
			return -1;
		}
	return argc - optind == nargs ? 0 : -1;
}

/* Reports a registry outcome other than success; returns the exit. */
static int
refused(struct cli *c, enum reg_err e, const char *number,
    const struct reg_result *res)
{
	if (e == REG_INVALID) {
		if (c->json)
			cli_print_json(json_pack("{s:o}", "errors",
			    out_errors(&res->report)));
		else
			cli_print_report(stderr, &res->report);
		return EXIT_REFUSED;
	}
	if (c->json)
		cli_print_json(json_pack("{s:s, s:s}", "error",
		    e == REG_NOT_FOUND ? "not_found" : e == REG_CANCELED ?
		    "canceled" : e == REG_CONFLICT ? "conflict" :
		    e == REG_ACCOUNT ? "account" : "failed", "message",
		    reg_strerror(e)));
	fprintf(stderr, "aimctl: %s: %s%s%s\n", number ? number : "license",
	    reg_strerror(e), e == REG_DB ? ": " : "",
	    e == REG_DB ? db_strerror(res->dberr) : "");
	return e == REG_DB || e == REG_NOMEM ? EXIT_USAGE : EXIT_REFUSED;
}

static int
done(struct cli *c, const char *what, const struct reg_result *res)
{
	if (c->json)
		cli_print_json(out_result(res));
	else {
		printf("%s %s: %s, valid from %s %s%s\n", what, res->number,
		    status_names[res->status], res->valid_from,
		    res->valid_through[0] ? "through " : "(never expires)",
		    res->valid_through);
		cli_print_report(stdout, &res->report);
	}
	return EXIT_DONE;
}

int
cmd_submit(struct cli *c, int argc, char **argv)
{
	struct reg_result res;
	struct account	 acc;
	struct actor	 a;
	struct form	*f = NULL;
	const char	*email = NULL;
	char		 err[512];
	enum reg_err	 e;
	int		 rc = EXIT_USAGE;

	reg_result_init(&res);
	memset(&acc, 0, sizeof(acc));
	if (args(c, argc, argv, 1, &email) == -1 || email == NULL) {
		fprintf(stderr, "usage: aimctl submit FILE --account EMAIL "
		    "[--json]\n");
		goto out;
	}
	if (cli_db(c) == NULL)
		goto out;
	if (accounts_by_email(c->db, email, &acc) != DB_OK) {
		fprintf(stderr, "aimctl: no account %s\n", email);
		goto out;
	}
	if ((f = cli_read_form(c, argv[optind], &res.report, err,
	    sizeof(err))) == NULL)
		goto out;
	if (res.report.nerrors > 0) {
		rc = refused(c, REG_INVALID, NULL, &res);
		goto out;
	}
	a.account_id = acc.id;
	a.who = acc.v[AF_EMAIL];
	a.channel = "cli";
	a.synthetic = 0;
	if ((e = reg_submit(c->db, &a, f, date_today(), &res)) != REG_OK)
		rc = refused(c, e, NULL, &res);
	else
		rc = done(c, "issued", &res);
out:
	account_clear(&acc);
	form_free(f);
	reg_result_free(&res);
	return rc;
}

int
cmd_correct(struct cli *c, int argc, char **argv)
{
	struct reg_result res;
	struct form	*f = NULL;
	char		 err[512];
	enum reg_err	 e;
	int		 rc = EXIT_USAGE;

	reg_result_init(&res);
	if (args(c, argc, argv, 2, NULL) == -1) {
		fprintf(stderr, "usage: aimctl correct NUMBER FILE [--json]\n");
		goto out;
	}
	if (cli_db(c) == NULL ||
	    (f = cli_read_form(c, argv[optind + 1], &res.report, err,
	    sizeof(err))) == NULL)
		goto out;
	if (res.report.nerrors > 0)
		rc = refused(c, REG_INVALID, NULL, &res);
	else if ((e = reg_correct(c->db, &operator, argv[optind], f,
	    date_today(), &res)) != REG_OK)
		rc = refused(c, e, argv[optind], &res);
	else
		rc = done(c, "corrected", &res);
out:
	form_free(f);
	reg_result_free(&res);
	return rc;
}

/* cancel and confirm take a number and nothing else. */
static int
by_number(struct cli *c, int argc, char **argv,
    enum reg_err (*fn)(struct db *, const struct actor *, const char *,
    struct reg_result *), const char *what)
{
	struct reg_result res;
	enum reg_err	 e;
	int		 rc = EXIT_USAGE;

	reg_result_init(&res);
	if (args(c, argc, argv, 1, NULL) == -1) {
		fprintf(stderr, "usage: aimctl %s NUMBER [--json]\n", argv[0]);
		goto out;
	}
	if (cli_db(c) == NULL)
		goto out;
	if ((e = fn(c->db, &operator, argv[optind], &res)) != REG_OK)
		rc = refused(c, e, argv[optind], &res);
	else
		rc = done(c, what, &res);
out:
	reg_result_free(&res);
	return rc;
}

int
cmd_cancel(struct cli *c, int argc, char **argv)
{
	return by_number(c, argc, argv, reg_cancel, "canceled");
}

int
cmd_confirm(struct cli *c, int argc, char **argv)
{
	return by_number(c, argc, argv, reg_confirm, "confirmed");
}

int
cmd_duplicate(struct cli *c, int argc, char **argv)
{
	struct reg_result res;
	struct form	*f = NULL;
	char		*s;
	enum reg_err	 e;
	int		 rc = EXIT_USAGE;

	reg_result_init(&res);
	if (args(c, argc, argv, 1, NULL) == -1) {
		fprintf(stderr, "usage: aimctl duplicate NUMBER\n");
		goto out;
	}
	if (cli_db(c) == NULL)
		goto out;
	if ((e = reg_duplicate(c->db, &operator, argv[optind], &f)) !=
	    REG_OK) {
		rc = refused(c, e, argv[optind], &res);
		goto out;
	}
	if ((s = jsonform_write(f)) == NULL) {
		fprintf(stderr, "aimctl: out of memory\n");
		goto out;
	}
	puts(s);
	free(s);
	rc = EXIT_DONE;
out:
	form_free(f);
	reg_result_free(&res);
	return rc;
}

int
cmd_show(struct cli *c, int argc, char **argv)
{
	struct reg_result res;
	struct reg_view	 v;
	json_t		*j;
	char		*s;
	enum reg_err	 e;
	int		 rc = EXIT_USAGE;

	reg_result_init(&res);
	if (args(c, argc, argv, 1, NULL) == -1) {
		fprintf(stderr, "usage: aimctl show NUMBER [--json]\n");
		goto out;
	}
	if (cli_db(c) == NULL)
		goto out;
	if ((e = reg_show(c->db, &operator, argv[optind], &v)) != REG_OK) {
		rc = refused(c, e, argv[optind], &res);
		goto out;
	}
	j = out_view(&v);
	if (c->json)
		cli_print_json(j);
	else {
		printf("License %s (%s %s), %s, version %d\n", v.number,
		    product_names[v.product], ltype_names[v.ltype],
		    status_names[v.status], v.version);
		printf("valid from %s %s%s\n", v.valid_from,
		    v.valid_through[0] ? "through " : "(never expires)",
		    v.valid_through);
		s = json_dumps(json_object_get(j, "license"), JSON_INDENT(2) |
		    JSON_PRESERVE_ORDER);
		if (s != NULL)
			puts(s);
		free(s);
		cli_print_report(stdout, &v.versions[v.nversions - 1].flags);
		printf("%zu version(s), %zu event(s); --json shows them all\n",
		    v.nversions, v.nevents);
		json_decref(j);
	}
	reg_view_free(&v);
	rc = EXIT_DONE;
out:
	reg_result_free(&res);
	return rc;
}

int
cmd_check(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "importer", required_argument, NULL, 'i' },
		{ "import-date", required_argument, NULL, 'd' },
		{ "entry-value", required_argument, NULL, 'v' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	enum check_result res;
	const char	*importer = NULL;
	int64_t		 cents = -1;
	int		 ch, day = DATE_NONE;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'i':
			importer = optarg;
			break;
		case 'd':
			if (cli_date("--import-date", optarg, &day) == -1)
				return EXIT_USAGE;
			break;
		case 'v':
			if (rules_parse_money(optarg, &cents) == -1) {
				fprintf(stderr, "aimctl: --entry-value: \"%s\" "
				    "is not an amount in dollars\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'j':
			c->json = 1;
			break;
		default:
			goto usage;
		}
	if (optind != argc - 1 || importer == NULL || day == DATE_NONE)
		goto usage;
	if (cli_db(c) == NULL)
		return EXIT_USAGE;
	if (reg_check(c->db, argv[optind], importer, day, cents, &res) !=
	    REG_OK) {
		fprintf(stderr, "aimctl: the check failed: %s\n",
		    c->db->errmsg);
		return EXIT_USAGE;
	}
	if (c->json)
		cli_print_json(json_pack("{s:s}", "result", check_names[res]));
	else
		puts(check_names[res]);
	return EXIT_DONE;
usage:
	fprintf(stderr, "usage: aimctl check NUMBER --importer NAME "
	    "--import-date YYYY-MM-DD [--entry-value USD] [--json]\n");
	return EXIT_USAGE;
}

int
cmd_outbox(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct outbox_row *rows;
	const char	*state = NULL;
	json_t		*a, *params;
	size_t		 i, n;
	int		 ch;

	/* aimctl outbox send | show: cli/cmd_send.c. */
	if (argc > 1 && strcmp(argv[1], "send") == 0)
		return cmd_outbox_send(c, argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "show") == 0)
		return cmd_outbox_show(c, argc - 1, argv + 1);
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 's':
			state = optarg;
			break;
		case 'j':
			c->json = 1;
			break;
		default:
			goto usage;
		}
	if (optind != argc)
		goto usage;
	if (cli_db(c) == NULL)
		return EXIT_USAGE;
	if (outbox_list(c->db, state, &rows, &n) != DB_OK) {
		fprintf(stderr, "aimctl: outbox: %s\n", c->db->errmsg);
		return EXIT_USAGE;
	}
	a = json_array();
	for (i = 0; i < n; i++) {
		params = json_loads(rows[i].params, 0, NULL);
		if (c->json)
			json_array_append_new(a, json_pack("{s:I, s:s, s:s, "
			    "s:s, s:s?, s:s, s:s, s:i, s:o}", "id",
			    (json_int_t)rows[i].id, "created_at",
			    rows[i].created_at, "template", rows[i].template,
			    "to", rows[i].to, "cc", rows[i].cc, "message_id",
			    rows[i].message_id, "state", rows[i].state,
			    "attempts", rows[i].attempts, "params",
			    params ? params : json_null()));
		else {
			printf("%lld  %s  %-8s %-20s to %s%s%s\n",
			    (long long)rows[i].id, rows[i].created_at,
			    rows[i].state, rows[i].template, rows[i].to,
			    rows[i].cc ? " cc " : "", rows[i].cc ?
			    rows[i].cc : "");
			printf("    %s\n", rows[i].params);
			json_decref(params);
		}
	}
	if (c->json)
		cli_print_json(a);
	else
		json_decref(a);
	outbox_rows_free(rows, n);
	return EXIT_DONE;
usage:
	fprintf(stderr, "usage: aimctl outbox [--state queued|sent|failed] "
	    "[--json]\n");
	return EXIT_USAGE;
}
