/*
 * aimctl staff add|list: staff accounts of the licensing office, apart
 * from filer accounts (db/staff.h).  They sign in to the console at
 * /staff/signin; their role is "staff" or "supervisor".
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/limits.h"
#include "lib/pwhash.h"
#include "forms/account.h"
#include "db/staff.h"
#include "cli.h"

#define STAFF_USAGE \
	"usage: aimctl staff add --email EMAIL --role staff|supervisor " \
	"--password-stdin [--json]\n" \
	"       aimctl staff list [--json]\n"

static int
staff_add_cmd(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "email", required_argument, NULL, 'e' },
		{ "role", required_argument, NULL, 'r' },
		{ "password-stdin", no_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct report	 rep;
	const char	*role = NULL;
	char		 email[STAFF_EMAIL_MAX + 2];
	char		 pw[LIM_PASSWORD_BYTES + 2], hash[PWHASH_ENCODED_MAX];
	size_t		 n;
	int64_t		 id;
	int		 ch, pwstdin = 0, k, rc = EXIT_USAGE;
	enum db_err	 e;

	report_init(&rep);
	email[0] = pw[0] = '\0';
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'e':
			n = strlen(optarg);
			if (n >= sizeof(email) - 1) {
				fprintf(stderr, "aimctl: staff: an email of at "
				    "most %d bytes\n", STAFF_EMAIL_MAX);
				goto out;
			}
			/* Stored lower case, as filer emails are. */
			email_lower(email, optarg, n);
			break;
		case 'r':
			role = optarg;
			break;
		case 'p':
			pwstdin = 1;
			break;
		case 'j':
			c->json = 1;
			break;
		default:
			goto usage;
		}
	if (optind != argc || !pwstdin || email[0] == '\0' || role == NULL)
		goto usage;
	if ((k = staff_role_parse(role)) < 0) {
		fprintf(stderr, "aimctl: staff: the role is staff or "
		    "supervisor, not %s\n", role);
		goto out;
	}
	rc = EXIT_REFUSED;
	if (!email_valid(email)) {
		fprintf(stderr, "aimctl: staff: %s is not an email address\n",
		    email);
		goto out;
	}
	if (cli_read_password(pw, sizeof(pw)) == -1) {
		rc = EXIT_USAGE;
		goto out;
	}
	/* The filers' password rules: staff passwords are no weaker. */
	if (password_check(pw, &rep) != 0) {
		cli_print_report(stderr, &rep);
		goto out;
	}
	if (pwhash_make(pw, hash, sizeof(hash)) == -1) {
		fprintf(stderr, "aimctl: staff: the password could not be "
		    "hashed\n");
		goto out;
	}
	if (cli_db(c) == NULL)
		goto out;
	if ((e = staff_add(c->db, email, k, hash, &id)) != DB_OK) {
		if (e == DB_EXISTS)
			fprintf(stderr, "aimctl: staff: %s exists already\n",
			    email);
		else
			fprintf(stderr, "aimctl: staff: %s\n", c->db->errmsg);
		goto out;
	}
	if (c->json)
		cli_print_json(json_pack("{s:I, s:s, s:s}", "id",
		    (json_int_t)id, "email", email, "role",
		    staff_role_names[k]));
	else
		printf("staff %lld: %s (%s)\n", (long long)id, email,
		    staff_role_names[k]);
	rc = EXIT_DONE;
	goto out;
usage:
	fputs(STAFF_USAGE, stderr);
out:
	explicit_bzero(pw, sizeof(pw));
	explicit_bzero(hash, sizeof(hash));
	report_free(&rep);
	return rc;
}

static int
staff_list_cmd(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct staff_user	*v = NULL;
	json_t			*a;
	size_t			 n = 0, i;
	int			 ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (ch == 'j')
			c->json = 1;
		else {
			fputs(STAFF_USAGE, stderr);
			return EXIT_USAGE;
		}
	if (optind != argc) {
		fputs(STAFF_USAGE, stderr);
		return EXIT_USAGE;
	}
	if (cli_db(c) == NULL)
		return EXIT_REFUSED;
	if (staff_list(c->db, &v, &n) != DB_OK) {
		fprintf(stderr, "aimctl: staff: %s\n", c->db->errmsg);
		return EXIT_REFUSED;
	}
	if (c->json) {
		a = json_array();
		for (i = 0; a != NULL && i < n; i++)
			json_array_append_new(a, json_pack("{s:I, s:s, s:s, "
			    "s:b, s:s}", "id", (json_int_t)v[i].id, "email",
			    v[i].email, "role", staff_role_names[v[i].role],
			    "locked", v[i].locked, "created_at",
			    v[i].created_at));
		cli_print_json(a);
	} else
		for (i = 0; i < n; i++)
			printf("%lld\t%s\t%s%s\n", (long long)v[i].id,
			    v[i].email, staff_role_names[v[i].role],
			    v[i].locked ? "\tlocked" : "");
	for (i = 0; i < n; i++)
		explicit_bzero(v[i].password_hash,
		    sizeof(v[i].password_hash));
	free(v);
	return EXIT_DONE;
}

int
cmd_staff(struct cli *c, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return staff_add_cmd(c, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return staff_list_cmd(c, argc - 1, argv + 1);
	fputs(STAFF_USAGE, stderr);
	return EXIT_USAGE;
}
