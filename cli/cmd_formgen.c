/*
 * aimctl form: the forms filers download.  "form pdf" writes the
 * fillable PDF license application for emergency email filing, blank or
 * with an account's filer details; each kind of form is one line of the
 * table below.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/config.h"
#include "forms/license.h"
#include "forms/pdfform.h"
#include "db/accounts.h"
#include "cli.h"

static int	 form_pdf(struct cli *, int, char **);

static const struct formcmd {
	const char	*name;
	int		(*run)(struct cli *, int, char **);
	const char	*usage;
} formcmds[] = {
	{ "pdf", form_pdf,
	  "form pdf --product aluminum|steel [--account EMAIL] > FILE.pdf" },
	{ "xlsx", cmd_form_xlsx, "form xlsx > FILE.xlsx" },
};

#define NFORMCMDS	(sizeof(formcmds) / sizeof(formcmds[0]))

static void
form_usage(void)
{
	size_t	 i;

	for (i = 0; i < NFORMCMDS; i++)
		fprintf(stderr, "%s aimctl %s\n", i == 0 ? "usage:" : "      ",
		    formcmds[i].usage);
}

/* Binary data on stdout, all of it or an error. */
static int
write_stdout(const unsigned char *p, size_t len)
{
	if (fwrite(p, 1, len, stdout) != len || fflush(stdout) == EOF) {
		fprintf(stderr, "aimctl: writing the form: %s\n",
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
form_pdf(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "product", required_argument, NULL, 'p' },
		{ "account", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	struct pdfform_fill	 fill;
	struct account		 a;
	struct config		 cfg;
	const char		*email = NULL, *prod = NULL;
	unsigned char		*pdf = NULL;
	size_t			 len;
	char			 err[512];
	int			 ch, p, rc = EXIT_USAGE;
	enum db_err		 e;

	memset(&fill, 0, sizeof(fill));
	memset(&a, 0, sizeof(a));
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			prod = optarg;
			break;
		case 'a':
			email = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc || prod == NULL)
		goto usage;
	for (p = 0; p < PRODUCT__MAX; p++)
		if (strcmp(prod, product_names[p]) == 0)
			break;
	if (p == PRODUCT__MAX) {
		fprintf(stderr, "aimctl: --product: \"%s\" is neither "
		    "aluminum nor steel\n", prod);
		goto usage;
	}
	/* A PDF on a terminal helps nobody. */
	if (isatty(STDOUT_FILENO)) {
		fprintf(stderr, "aimctl: standard output is a terminal: "
		    "redirect it to a file (> form.pdf)\n");
		goto out;
	}
	/* The mailbox named in the instructions: the site's mail domain. */
	if (config_load(getenv("AIM_CONF"), &cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "aimctl: %s\n", err);
		goto out;
	}
	if (email != NULL) {
		if (cli_db(c) == NULL)
			goto out;
		if ((e = accounts_by_email(c->db, email, &a)) != DB_OK) {
			fprintf(stderr, "aimctl: account %s: %s\n", email,
			    e == DB_NOT_FOUND ? "no such account" :
			    c->db->errmsg);
			rc = EXIT_REFUSED;
			goto out;
		}
		fill.filer[PFF_COMPANY_NAME] = a.v[AF_COMPANY_NAME];
		fill.filer[PFF_ADDRESS] = a.v[AF_ADDRESS];
		fill.filer[PFF_CONTACT_NAME] = a.v[AF_CONTACT_NAME];
		fill.filer[PFF_PHONE] = a.v[AF_PHONE];
		fill.filer[PFF_EMAIL] = a.v[AF_EMAIL];
	}
	if (pdfform_make(p, cfg.mail_domain, &fill, &pdf, &len, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "aimctl: form pdf: %s\n", err);
		rc = EXIT_REFUSED;
		goto out;
	}
	rc = write_stdout(pdf, len) == 0 ? EXIT_DONE : EXIT_REFUSED;
	goto out;
usage:
	form_usage();
out:
	free(pdf);
	account_clear(&a);
	return rc;
}

int
cmd_form(struct cli *c, int argc, char **argv)
{
	size_t	 i;

	if (argc < 2) {
		form_usage();
		return EXIT_USAGE;
	}
	for (i = 0; i < NFORMCMDS; i++)
		if (strcmp(argv[1], formcmds[i].name) == 0)
			break;
	if (i == NFORMCMDS) {
		fprintf(stderr, "aimctl: form: unknown kind %s\n", argv[1]);
		form_usage();
		return EXIT_USAGE;
	}
	optind = 0;	/* the kind's own options follow it */
	return formcmds[i].run(c, argc - 1, argv + 1);
}
