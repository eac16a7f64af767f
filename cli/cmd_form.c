/*
 * aimctl check-form: how the rules read a form, without storing it.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "lib/date.h"
#include "forms/licjson.h"
#include "forms/rules.h"
#include "cli.h"

int
cmd_check_form(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as-of", required_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct report	 rep;
	struct form	*f = NULL;
	struct license	*lic = NULL;
	const char	*path;
	char		 err[512];
	int		 ch, app = date_today(), rc = EXIT_USAGE;

	report_init(&rep);
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'a':
			if (cli_date("--as-of", optarg, &app) == -1)
				return EXIT_USAGE;
			break;
		case 'j':
			c->json = 1;
			break;
		default:
			goto usage;
		}
	if (optind != argc - 1)
		goto usage;
	path = argv[optind];
	if ((f = cli_read_form(c, path, &rep, err, sizeof(err))) == NULL) {
		if (c->json)
			cli_print_json(json_pack("{s:b, s:[{s:s, s:s}], s:[]}",
			    "valid", 0, "errors", "field", "", "message", err,
			    "flags"));
		goto out;
	}
	/* Reader errors (unknown fields ...) and rule errors together. */
	rules_check(f, app, &rep, &lic);
	if (lic != NULL && rep.nerrors == 0)
		rules_flag(lic, NULL, &rep);
	rc = rep.nerrors == 0 ? EXIT_DONE : EXIT_REFUSED;
	if (c->json)
		cli_print_json(json_pack("{s:b, s:o, s:o}",
		    "valid", rep.nerrors == 0,
		    "errors", report_items_json(rep.errors, rep.nerrors),
		    "flags", report_items_json(rep.flags, rep.nflags)));
	else {
		printf("%s: %s\n", path, rep.nerrors == 0 ? "valid" :
		    "invalid");
		cli_print_report(stdout, &rep);
	}
	goto out;
usage:
	fprintf(stderr, "usage: aimctl check-form FILE [--as-of YYYY-MM-DD] "
	    "[--json]\n");
out:
	license_free(lic);
	form_free(f);
	report_free(&rep);
	return rc;
}
