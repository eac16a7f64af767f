/*
 * aimctl mail inspect: how the mail gateway reads one message, with
 * the gateway's own code (mail/mime.c, mail/classify.c) and without
 * storing anything.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/config.h"
#include "lib/date.h"
#include "lib/limits.h"
#include "forms/licjson.h"
#include "forms/read.h"
#include "forms/rules.h"
#include "mail/classify.h"
#include "mail/mime.h"
#include "cli.h"

/* Our mailboxes, as the gateway's configuration names them. */
#define MAILBOX_ALUMINUM	"aluminum.license"
#define MAILBOX_STEEL		"steel.license"
#define MAILBOX_NOREPLY		"noreply"

/* A form attachment checked by the rules as of today. */
static json_t *
form_json(const struct attachment *a, int verbose)
{
	struct report	 rep;
	struct form	*f;
	char		 err[512];
	json_t		*errs;
	size_t		 i;
	int		 valid;

	report_init(&rep);
	if ((f = form_read((const char *)a->data, a->size, &rep, err,
	    sizeof(err))) != NULL)
		rules_check(f, date_today(), &rep, NULL);
	else
		report_error(&rep, 0, "", "%s", err);
	errs = report_items_json(rep.errors, rep.nerrors);
	valid = rep.nerrors == 0;
	if (verbose) {
		printf("  %s: %s\n", a->name[0] ? a->name : "(no name)",
		    rep.nerrors == 0 ? "valid" : "invalid");
		for (i = 0; i < rep.nerrors; i++)
			printf("    error: %s: %s\n", rep.errors[i].field[0] ?
			    rep.errors[i].field : "form",
			    rep.errors[i].message);
	}
	form_free(f);
	report_free(&rep);
	return json_pack("{s:s, s:b, s:o}", "attachment", a->name, "valid",
	    valid, "errors", errs);
}

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

int
cmd_mail(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct config		 cfg;
	struct classify_conf	 cc;
	struct classify_result	 res;
	struct message		*m = NULL;
	char			 err[512], addr[3][sizeof(cfg.mail_domain) +
				    32];
	const char		*addrs[3], *path;
	char			*raw = NULL;
	json_t			*atts = NULL, *forms = NULL;
	size_t			 len = 0, i;
	int			 ch, rc = EXIT_USAGE, keyed = 0;

	memset(&res, 0, sizeof(res));
	/* store and retry: cli/cmd_mailstore.c. */
	if (argc >= 2 && strcmp(argv[1], "store") == 0)
		return cmd_mail_store(c, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "retry") == 0)
		return cmd_mail_retry(c, argc - 1, argv + 1);
	if (argc < 2 || strcmp(argv[1], "inspect") != 0)
		goto usage;
	argc--;
	argv++;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'j':
			c->json = 1;
			break;
		default:
			goto usage;
		}
	if (optind != argc - 1)
		goto usage;
	path = argv[optind];

	/* Our addresses and the token key, as aim-maild has them. */
	if (config_load(getenv("AIM_CONF"), &cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "aimctl: %s\n", err);
		goto out;
	}
	if (config_load_secret(&cfg, 0, err, sizeof(err)) == 0)
		keyed = 1;
	else
		fprintf(stderr, "aimctl: reply tokens not checked: %s\n", err);
	snprintf(addr[0], sizeof(addr[0]), MAILBOX_ALUMINUM "@%s",
	    cfg.mail_domain);
	snprintf(addr[1], sizeof(addr[1]), MAILBOX_STEEL "@%s",
	    cfg.mail_domain);
	snprintf(addr[2], sizeof(addr[2]), MAILBOX_NOREPLY "@%s",
	    cfg.mail_domain);
	for (i = 0; i < 3; i++)
		addrs[i] = addr[i];
	memset(&cc, 0, sizeof(cc));
	cc.addresses = addrs;
	cc.naddresses = 3;
	cc.msgid_domain = cfg.mail_domain;
	cc.key = keyed ? cfg.secret : NULL;
	cc.keylen = keyed ? sizeof(cfg.secret) : 0;
	cc.today = date_today();

	/* One byte past the limit tells mime_parse the message is too
	 * large. */
	if ((raw = cli_read_file(path, LIM_MAIL_BYTES, &len)) == NULL)
		goto out;
	if ((m = mime_parse(raw, len, err, sizeof(err))) == NULL) {
		fprintf(stderr, "aimctl: %s: %s\n", path, err);
		goto out;
	}
	classify_full(m, &cc, &res);
	if (m->problem != NULL)
		fprintf(stderr, "aimctl: %s: cut off: %s\n", path, m->problem);

	if (!c->json) {
		printf("%s: %s (%s)\n", path, mail_class_names[res.class],
		    res.reason);
		printf("From: %s%s%s%s\n", m->from_name != NULL ?
		    m->from_name : "", m->from_name != NULL ? " <" : "",
		    m->from != NULL ? m->from : "(none)",
		    m->from_name != NULL ? ">" : "");
		printf("Subject: %s\n", m->subject != NULL ? m->subject : "");
		if (m->date != NULL)
			printf("Date: %s\n", m->date);
		printf("First line: %s\n", message_first_line(m));
		if (m->problem != NULL)
			printf("Cut off: %s\n", m->problem);
		printf("Attachments: %zu\n", m->natt);
		for (i = 0; i < m->natt; i++)
			printf("  %s  %s  %zu bytes  sha256 %s\n",
			    m->att[i].name[0] ? m->att[i].name : "(no name)",
			    m->att[i].type, m->att[i].size, m->att[i].sha256);
		printf("Forms: %zu\n", res.nforms);
	}
	if ((atts = json_array()) == NULL || (forms = json_array()) == NULL)
		goto oom;
	for (i = 0; i < m->natt; i++)
		if (json_array_append_new(atts, json_pack("{s:s, s:s, s:I, "
		    "s:s}", "name", m->att[i].name, "type", m->att[i].type,
		    "size", (json_int_t)m->att[i].size, "sha256",
		    m->att[i].sha256)) == -1)
			goto oom;
	for (i = 0; i < res.nforms; i++)
		if (json_array_append_new(forms, form_json(&m->att[
		    res.forms[i]], !c->json)) == -1)
			goto oom;
	if (c->json) {
		cli_print_json(json_pack("{s:s, s:o, s:o, s:o, s:o}",
		    "classification", mail_class_names[res.class],
		    "from", str_or_null(m->from),
		    "subject", str_or_null(m->subject),
		    "attachments", atts, "forms", forms));
		atts = forms = NULL;
	}
	rc = EXIT_DONE;
	goto out;
oom:
	fprintf(stderr, "aimctl: out of memory\n");
	goto out;
usage:
	fprintf(stderr, "usage: aimctl mail inspect FILE.eml [--json]\n");
out:
	json_decref(atts);
	json_decref(forms);
	classify_result_free(&res);
	message_free(m);
	free(raw);
	return rc;
}
