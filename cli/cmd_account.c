/*
 * aimctl account add|show: filer accounts made by the operator are
 * verified at once (the operator knows the filer).  aimctl token add:
 * an API token for an account, printed once.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/limits.h"
#include "lib/pwhash.h"
#include "forms/account.h"
#include "db/accounts.h"
#include "db/tokens.h"
#include "cli.h"

static int
account_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "email", required_argument, NULL, AF_EMAIL },
		{ "alt-email", required_argument, NULL, AF_ALT_EMAIL },
		{ "company", required_argument, NULL, AF_COMPANY_NAME },
		{ "ein", required_argument, NULL, AF_EIN },
		{ "importer-number", required_argument, NULL,
		  AF_IMPORTER_NUMBER },
		{ "address", required_argument, NULL, AF_ADDRESS },
		{ "phone", required_argument, NULL, AF_PHONE },
		{ "contact", required_argument, NULL, AF_CONTACT_NAME },
		{ "password-stdin", no_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct account_form af;
	struct report	 rep;
	char		 pw[LIM_PASSWORD_BYTES + 2], hash[PWHASH_ENCODED_MAX];
	int64_t		 id;
	int		 ch, pwstdin = 0, rc = EXIT_USAGE;
	enum db_err	 e;

	memset(&af, 0, sizeof(af));
	report_init(&rep);
	pw[0] = '\0';
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch >= 0 && ch < AF__MAX) {
			free(af.v[ch]);
			if ((af.v[ch] = strdup(optarg)) == NULL)
				goto out;
		} else if (ch == 'p')
			pwstdin = 1;
		else if (ch == 'j')
			c->json = 1;
		else
			goto usage;
	}
	if (optind != argc || !pwstdin)
		goto usage;
	if (cli_read_password(pw, sizeof(pw)) == -1)
		goto out;
	account_check(&af, &rep);
	password_check(pw, &rep);
	if (rep.nerrors > 0) {
		cli_print_report(stderr, &rep);
		rc = EXIT_REFUSED;
		goto out;
	}
	if (pwhash_make(pw, hash, sizeof(hash)) == -1) {
		fprintf(stderr, "aimctl: could not hash the password\n");
		goto out;
	}
	if (cli_db(c) == NULL)
		goto out;
	if ((e = accounts_add(c->db, &af, hash, 1, &id)) != DB_OK) {
		fprintf(stderr, "aimctl: account %s: %s\n", af.v[AF_EMAIL],
		    e == DB_EXISTS ? "an account with this email already "
		    "exists" : c->db->errmsg);
		rc = EXIT_REFUSED;
		goto out;
	}
	if (c->json)
		cli_print_json(json_pack("{s:I, s:s}", "id", (json_int_t)id,
		    "email", af.v[AF_EMAIL]));
	else
		printf("account %lld: %s (verified)\n", (long long)id,
		    af.v[AF_EMAIL]);
	rc = EXIT_DONE;
	goto out;
usage:
	fprintf(stderr, "usage: aimctl account add --email E --company C "
	    "--ein NN-NNNNNNN --address A --phone P --contact NAME "
	    "[--alt-email E] [--importer-number N] --password-stdin\n");
out:
	explicit_bzero(pw, sizeof(pw));
	account_form_clear(&af);
	report_free(&rep);
	return rc;
}

static int
account_show(struct cli *c, int argc, char **argv)
{
	struct account	 a;
	json_t		*o;
	int		 i;
	enum db_err	 e;

	if (argc - optind == 2 && strcmp(argv[optind + 1], "--json") == 0)
		c->json = 1;
	else if (argc - optind != 1) {
		fprintf(stderr, "usage: aimctl account show EMAIL [--json]\n");
		return EXIT_USAGE;
	}
	if (cli_db(c) == NULL)
		return EXIT_USAGE;
	if ((e = accounts_by_email(c->db, argv[optind], &a)) != DB_OK) {
		fprintf(stderr, "aimctl: account %s: %s\n", argv[optind],
		    db_strerror(e));
		return EXIT_REFUSED;
	}
	o = json_pack("{s:I}", "id", (json_int_t)a.id);
	for (i = 0; i < AF__MAX; i++)
		json_object_set_new(o, afields[i].name, a.v[i] ?
		    json_string(a.v[i]) : json_null());
	json_object_set_new(o, "verified", json_boolean(a.verified));
	json_object_set_new(o, "locked", json_boolean(a.locked));
	json_object_set_new(o, "efiling", json_boolean(a.efiling));
	if (c->json)
		cli_print_json(o);
	else {
		for (i = 0; i < AF__MAX; i++)
			if (a.v[i] != NULL)
				printf("%-16s %s\n", afields[i].name, a.v[i]);
		printf("%-16s %s%s\n", "state", a.verified ? "verified" :
		    "not verified", a.locked ? ", locked" : "");
		json_decref(o);
	}
	account_clear(&a);
	return EXIT_DONE;
}

int
cmd_account(struct cli *c, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return account_add(c, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "show") == 0) {
		optind = 1;
		return account_show(c, argc - 1, argv + 1);
	}
	fprintf(stderr, "usage: aimctl account add|show ...\n");
	return EXIT_USAGE;
}

#define TOKEN_NAME_MAX	(sizeof(((struct api_token *)NULL)->name) - 1)

static int
token_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "account", required_argument, NULL, 'a' },
		{ "name", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct account	 a;
	const char	*name = "aimctl", *p;
	char		 email[LIM_EMAIL_BYTES + 1], tok[TOKEN_LEN + 1];
	size_t		 n;
	int64_t		 id;
	int		 ch, rc = EXIT_USAGE;
	enum db_err	 e;

	memset(&a, 0, sizeof(a));
	email[0] = '\0';
	tok[0] = '\0';
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'a':
			n = strlen(optarg);
			if (n == 0 || n > LIM_EMAIL_BYTES) {
				fprintf(stderr, "aimctl: --account: not an "
				    "email address\n");
				goto out;
			}
			email_lower(email, optarg, n);
			break;
		case 'n':
			name = optarg;
			break;
		case 'j':
			c->json = 1;
			break;
		default:
			goto usage;
		}
	if (optind != argc || email[0] == '\0')
		goto usage;
	n = strlen(name);
	if (n == 0 || n > TOKEN_NAME_MAX) {
		fprintf(stderr, "aimctl: --name: 1 to %zu characters\n",
		    TOKEN_NAME_MAX);
		goto out;
	}
	for (p = name; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			fprintf(stderr, "aimctl: --name: no control "
			    "characters\n");
			goto out;
		}
	if (cli_db(c) == NULL)
		goto out;
	if ((e = accounts_by_email(c->db, email, &a)) != DB_OK) {
		fprintf(stderr, "aimctl: account %s: %s\n", email,
		    e == DB_NOT_FOUND ? "no such account" : c->db->errmsg);
		rc = EXIT_REFUSED;
		goto out;
	}
	if ((e = token_create(c->db, a.id, name, tok, &id)) != DB_OK) {
		fprintf(stderr, "aimctl: token: %s\n", c->db->errmsg);
		rc = EXIT_REFUSED;
		goto out;
	}
	/* The token alone on stdout, so a script can capture it. */
	if (c->json)
		cli_print_json(json_pack("{s:I, s:s, s:s, s:s}", "id",
		    (json_int_t)id, "account", email, "name", name, "token",
		    tok));
	else
		printf("%s\n", tok);
	rc = EXIT_DONE;
	goto out;
usage:
	fprintf(stderr, "usage: aimctl token add --account EMAIL "
	    "[--name NAME] [--json]\n");
out:
	explicit_bzero(tok, sizeof(tok));
	account_clear(&a);
	return rc;
}

int
cmd_token(struct cli *c, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return token_add(c, argc - 1, argv + 1);
	fprintf(stderr, "usage: aimctl token add --account EMAIL "
	    "[--name NAME] [--json]\n");
	return EXIT_USAGE;
}
