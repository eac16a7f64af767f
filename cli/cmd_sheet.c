/*
 * aimctl and the multiple-license spreadsheet: "form xlsx" writes the
 * Excel template, "submit-batch" files every license of a filled sheet
 * (.xlsx or .csv, told apart by content) in one registry call.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/date.h"
#include "lib/limits.h"
#include "forms/batch.h"
#include "forms/sheet.h"
#include "db/accounts.h"
#include "db/batch.h"
#include "cli.h"

int
cmd_form_xlsx(struct cli *c, int argc, char **argv)
{
	char	*buf = NULL;
	char	 err[512];
	size_t	 len;
	int	 rc = EXIT_REFUSED;

	if (argc != 1) {
		fprintf(stderr, "usage: aimctl form xlsx > FILE.xlsx\n");
		return EXIT_USAGE;
	}
	/* A workbook on a terminal helps nobody. */
	if (isatty(STDOUT_FILENO)) {
		fprintf(stderr, "aimctl: standard output is a terminal: "
		    "redirect it to a file (> template.xlsx)\n");
		return EXIT_USAGE;
	}
	if (sheet_template(&buf, &len, err, sizeof(err)) == -1) {
		fprintf(stderr, "aimctl: form xlsx: %s\n", err);
		goto out;
	}
	if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) == EOF) {
		fprintf(stderr, "aimctl: writing the template: %s\n",
		    strerror(errno));
		goto out;
	}
	rc = EXIT_DONE;
out:
	free(buf);
	return rc;
}

/* The whole file, at most LIM_XLSX_BYTES; NULL after a message. */
static char *
read_file(const char *path, size_t *len)
{
	char	*buf;

	if ((buf = cli_read_file(path, LIM_XLSX_BYTES, len)) != NULL &&
	    *len > LIM_XLSX_BYTES) {
		fprintf(stderr, "aimctl: %s: larger than %d bytes: split it "
		    "into several files\n", path, LIM_XLSX_BYTES);
		free(buf);
		buf = NULL;
	}
	return buf;
}

static void
print_text(const char *path, const struct batch *b,
    const struct reg_result *res, enum reg_err e)
{
	const struct batch_error	*be;
	size_t				 i, filed = 0;

	for (i = 0; i < b->n; i++)
		if (res[i].number[0] != '\0') {
			filed++;
			printf("%s: %s %s\n", b->lic[i].ref, res[i].number,
			    status_names[res[i].status]);
		}
	for (i = 0; i < b->report.nerrors; i++) {
		be = &b->report.errors[i];
		if (be->row > 0)
			fprintf(stderr, "row %zu, %s: %s\n", be->row,
			    be->field[0] ? be->field : "row", be->message);
		else
			fprintf(stderr, "%s: %s\n", path, be->message);
	}
	if (b->report.truncated)
		fprintf(stderr, "%s: more rows have problems than shown; fix "
		    "these first\n", path);
	printf("%s: %zu rows, %zu licenses, %zu filed\n", path, b->rows, b->n,
	    filed);
	if (filed == 0 && e == REG_INVALID)
		fprintf(stderr, "%s: nothing was filed: fix the rows above, or "
		    "use --accept-valid to file the valid licenses only\n",
		    path);
}

int
cmd_submit_batch(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "account", required_argument, NULL, 'a' },
		{ "accept-valid", no_argument, NULL, 'v' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct batch		 b;
	struct account		 acc;
	struct actor		 a;
	struct reg_result	*res = NULL;
	struct form		**forms = NULL;
	const char		*email = NULL, *path;
	char			*buf = NULL, err[512];
	size_t			 len, i;
	int			 ch, accept = 0, rc = EXIT_USAGE;
	enum reg_err		 e;

	batch_init(&b);
	memset(&acc, 0, sizeof(acc));
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'a':
			email = optarg;
			break;
		case 'v':
			accept = 1;
			break;
		case 'j':
			c->json = 1;
			break;
		default:
			goto usage;
		}
	if (optind != argc - 1 || email == NULL)
		goto usage;
	path = argv[optind];
	if (cli_db(c) == NULL)
		goto out;
	if (accounts_by_email(c->db, email, &acc) != DB_OK) {
		fprintf(stderr, "aimctl: no account %s\n", email);
		goto out;
	}
	if ((buf = read_file(path, &len)) == NULL)
		goto out;
	if (batch_read(buf, len, &b, err, sizeof(err)) == -1) {
		if (c->json)
			cli_print_json(json_pack("{s:[], s:[{s:i, s:s, s:s}]}",
			    "licenses", "errors", "row", 0, "field", "",
			    "message", err));
		fprintf(stderr, "aimctl: %s: %s\n", path, err);
		goto out;
	}
	free(buf);
	buf = NULL;
	/* b.n may be 0 when no row has a license_ref. */
	if ((res = calloc(b.n + 1, sizeof(*res))) == NULL ||
	    (forms = calloc(b.n + 1, sizeof(*forms))) == NULL) {
		fprintf(stderr, "aimctl: out of memory\n");
		goto out;
	}
	for (i = 0; i < b.n; i++) {
		reg_result_init(&res[i]);
		/* Rows with errors of their own never reach the registry. */
		forms[i] = b.lic[i].rejected ? NULL : b.lic[i].form;
	}
	a.account_id = acc.id;
	a.who = acc.v[AF_EMAIL];
	a.channel = "cli";
	a.synthetic = 0;
	e = reg_submit_batch(c->db, &a, forms, b.n, accept, date_today(),
	    res);
	for (i = 0; i < b.n; i++)
		batch_report_form(&b, i, &res[i].report);
	batch_report_sort(&b.report);
	if (e != REG_OK && e != REG_INVALID)
		fprintf(stderr, "aimctl: %s: %s%s%s\n", path, reg_strerror(e),
		    e == REG_DB ? ": " : "", e == REG_DB && b.n > 0 ?
		    db_strerror(res[0].dberr) : "");
	if (c->json)
		cli_print_json(reg_batch_json(&b, res));
	else
		print_text(path, &b, res, e);
	rc = e == REG_OK && b.report.nerrors == 0 && !b.report.truncated ?
	    EXIT_DONE : EXIT_REFUSED;
	goto out;
usage:
	fprintf(stderr, "usage: aimctl submit-batch FILE --account EMAIL "
	    "[--accept-valid] [--json]\n");
out:
	for (i = 0; res != NULL && i < b.n; i++)
		reg_result_free(&res[i]);
	free(res);
	free(forms);
	free(buf);
	batch_free(&b);
	account_clear(&acc);
	return rc;
}
