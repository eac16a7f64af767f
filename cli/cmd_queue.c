/*
 * aimctl queue list|show|claim|release|approve|reject|close: the staff
 * queue from the command line, through the same calls as the staff
 * console (db/queue.h).  The operator acts as --as NAME, else as the
 * login name, from address "cli"; every action is audited.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "forms/read.h"
#include "db/accounts.h"
#include "db/queue.h"
#include "cli.h"
#include "out.h"

#define QUEUE_USAGE \
	"usage: aimctl queue list [--kind K] [--state S] [--product P] " \
	"[--json]\n" \
	"       aimctl queue show ID [--json]\n" \
	"       aimctl queue claim|release ID [--as NAME] [--force]\n" \
	"       aimctl queue approve ID [--as NAME] [--as-of YYYY-MM-DD] " \
	"[--force] [--json]\n" \
	"       aimctl queue reject ID --reason TEXT [--as NAME]\n" \
	"       aimctl queue close ID [--note TEXT] [--as NAME]\n"

/* Bytes of a staff name (the queue keeps 63). */
#define NAME_MAX_BYTES	63

/* Options shared by the item commands. */
struct qopts {
	const char	*as;
	const char	*reason;
	const char	*note;
	int		 force;
	int		 app;
	int64_t		 id;
};

/* Text from mail on a terminal: control characters become '?', so a
 * subject cannot move the cursor or change the title. */
static void
put_safe(FILE *f, const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)(s != NULL ? s : ""); *p; p++)
		fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, f);
}

/* put_safe, then spaces up to width bytes. */
static void
pad_safe(FILE *f, const char *s, size_t width)
{
	size_t	 n = strlen(s);

	put_safe(f, s);
	for (; n < width; n++)
		fputc(' ', f);
}

/* An item by id, or by its reference "EF-2026-000123" (the number is
 * the id; queue_show then checks the whole reference). */
static int
parse_id(const char *s, int64_t *id, int *byref)
{
	const char	*num = s;
	char		*end;
	long long	 v;

	*byref = 0;
	if (strncmp(s, "EF-", 3) == 0) {
		if ((num = strrchr(s, '-')) == NULL || num == s + 2)
			return -1;
		num++;
		*byref = 1;
	}
	if (*num < '0' || *num > '9')
		return -1;
	errno = 0;
	v = strtoll(num, &end, 10);
	if (errno != 0 || *end != '\0' || v < 1)
		return -1;
	*id = v;
	return 0;
}

static const char *
staff_name(const char *as)
{
	const char	*u;

	if (as != NULL)
		return as;
	u = getenv("USER");
	return u != NULL && *u != '\0' && strlen(u) <= NAME_MAX_BYTES ? u :
	    "aimctl";
}

static int
refused(struct cli *c, enum queue_err q, const char *why,
    const struct report *rep)
{
	if (c->json)
		cli_print_json(json_pack("{s:s, s:s, s:o}", "error",
		    q == QUEUE_NOT_FOUND ? "not_found" : q == QUEUE_CLAIMED ?
		    "claimed" : q == QUEUE_STATE ? "state" : q == QUEUE_KIND ?
		    "kind" : q == QUEUE_INVALID ? "invalid" :
		    q == QUEUE_NO_ACCOUNT ? "no_account" : q == QUEUE_ACCOUNT ?
		    "account" : "failed", "message", why != NULL && *why ? why :
		    queue_strerror(q), "errors", rep != NULL ?
		    out_errors(rep) : json_array()));
	fprintf(stderr, "aimctl: queue: %s\n", why != NULL && *why ? why :
	    queue_strerror(q));
	if (q == QUEUE_DB)
		fprintf(stderr, "aimctl: %s\n", c->db->errmsg);
	if (rep != NULL && !c->json)
		cli_print_report(stderr, rep);
	return q == QUEUE_DB || q == QUEUE_NOMEM ? EXIT_USAGE : EXIT_REFUSED;
}

/*
 * Parses the options of an item command and its one ID.  want says
 * which options it takes ("a" --as, "f" --force, "r" --reason, "n"
 * --note, "d" --as-of, "j" --json; "R": --reason is required).
 * Returns 0, or -1 for usage.
 */
static int
item_args(struct cli *c, int argc, char **argv, const char *want,
    struct qopts *o)
{
	static const struct option opts[] = {
		{ "as", required_argument, NULL, 'a' },
		{ "force", no_argument, NULL, 'f' },
		{ "reason", required_argument, NULL, 'r' },
		{ "note", required_argument, NULL, 'n' },
		{ "as-of", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int	 ch, byref;

	memset(o, 0, sizeof(*o));
	o->app = DATE_NONE;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == '?' || strchr(want, ch) == NULL)
			return -1;
		switch (ch) {
		case 'a':
			o->as = optarg;
			break;
		case 'f':
			o->force = 1;
			break;
		case 'r':
			o->reason = optarg;
			break;
		case 'n':
			o->note = optarg;
			break;
		case 'd':
			if (cli_date("--as-of", optarg, &o->app) == -1)
				return -1;
			break;
		case 'j':
			c->json = 1;
			break;
		}
	}
	if (argc - optind != 1 ||
	    parse_id(argv[optind], &o->id, &byref) == -1) {
		if (argc - optind == 1)
			fprintf(stderr, "aimctl: queue: \"%s\" is not an item "
			    "number or reference\n", argv[optind]);
		return -1;
	}
	if (o->as != NULL && (*o->as == '\0' ||
	    strlen(o->as) > NAME_MAX_BYTES)) {
		fprintf(stderr, "aimctl: queue: --as takes a name of 1 to %d "
		    "bytes\n", NAME_MAX_BYTES);
		return -1;
	}
	if (byref) {
		/* The reference must be this item's, not just its number. */
		struct queue_view	 v;

		if (cli_db(c) == NULL)
			return -1;
		if (queue_show(c->db, o->id, &v) != QUEUE_OK ||
		    strcmp(v.reference, argv[optind]) != 0) {
			if (v.id != 0)
				queue_view_free(&v);
			fprintf(stderr, "aimctl: queue: no item %s\n",
			    argv[optind]);
			return -1;
		}
		queue_view_free(&v);
	}
	if (strchr(want, 'R') != NULL && o->reason == NULL)
		return -1;
	return 0;
}

/*
 * An item command's start: its options (item_args), the database open,
 * and the staff member it acts as (s may be NULL).  Returns 0, or -1
 * with the usage printed or the database's failure said.
 */
static int
item_begin(struct cli *c, int argc, char **argv, const char *want,
    struct qopts *o, struct staff *s)
{
	if (item_args(c, argc, argv, want, o) == -1) {
		fputs(QUEUE_USAGE, stderr);
		return -1;
	}
	if (cli_db(c) == NULL)
		return -1;
	if (s != NULL) {
		s->name = staff_name(o->as);
		s->addr = "cli";
	}
	return 0;
}

static int
name_ok(const char *s, const char *const *names, int n)
{
	int	 i;

	for (i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return 1;
	return 0;
}

static int
queue_ls(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "state", required_argument, NULL, 's' },
		{ "product", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct queue_filter	 f;
	struct queue_row	*r;
	json_t			*a;
	size_t			 i, n, total, page;
	int			 ch;
	enum queue_err		 q;

	memset(&f, 0, sizeof(f));
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'k':
			f.kind = optarg;
			break;
		case 's':
			f.state = optarg;
			break;
		case 'p':
			f.product = optarg;
			break;
		case 'j':
			c->json = 1;
			break;
		default:
			goto usage;
		}
	if (optind != argc ||
	    (f.kind != NULL && !name_ok(f.kind, queue_kind_names, QK__MAX)) ||
	    (f.state != NULL && strcmp(f.state, "active") != 0 &&
	    !name_ok(f.state, queue_state_names, QS__MAX)) ||
	    (f.product != NULL && !name_ok(f.product, product_names,
	    PRODUCT__MAX)))
		goto usage;
	if (cli_db(c) == NULL)
		return EXIT_USAGE;
	a = c->json ? json_array() : NULL;
	if (!c->json)
		printf("%-6s %-16s %-8s %-5s %-6s %-20s %-30s %s\n", "ID",
		    "KIND", "STATE", "VALID", "ERRORS", "RECEIVED", "FROM",
		    "SUBJECT");
	/* Every page, oldest first: the operator asked for the queue. */
	for (total = 1; f.offset < total; f.offset += page) {
		if ((q = queue_list(c->db, &f, &r, &n, &total)) != QUEUE_OK) {
			json_decref(a);
			return refused(c, q, NULL, NULL);
		}
		for (i = 0; i < n; i++) {
			const char *recv = r[i].received_at[0] ?
			    r[i].received_at : r[i].created_at;

			if (c->json) {
				json_array_append_new(a, json_pack("{s:I, "
				    "s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s, "
				    "s:b, s:i, s:s?, s:s?}",
				    "id", (json_int_t)r[i].id,
				    "reference", r[i].reference,
				    "kind", queue_kind_names[r[i].kind],
				    "state", queue_state_names[r[i].state],
				    "product", r[i].product[0] ?
				    r[i].product : NULL,
				    "from", r[i].sender,
				    "subject", r[i].subject,
				    "received", recv,
				    "valid", r[i].valid,
				    "errors", r[i].nerrors,
				    "claimed_by", r[i].claimed_by[0] ?
				    r[i].claimed_by : NULL,
				    "license_number",
				    r[i].license_number[0] ?
				    r[i].license_number : NULL));
				continue;
			}
			printf("%-6lld %-16s %-8s %-5s %-6d %-20s ",
			    (long long)r[i].id, queue_kind_names[r[i].kind],
			    queue_state_names[r[i].state],
			    r[i].kind == QK_SUBMISSION ? (r[i].valid ? "yes" :
			    "no") : "-", r[i].nerrors, recv);
			pad_safe(stdout, r[i].sender != NULL ? r[i].sender :
			    "-", 30);
			fputc(' ', stdout);
			put_safe(stdout, r[i].subject != NULL ?
			    r[i].subject : "");
			fputc('\n', stdout);
		}
		page = n;
		queue_rows_free(r, n);
		if (page == 0)
			break;
	}
	if (c->json)
		cli_print_json(a);
	return EXIT_DONE;
usage:
	fputs(QUEUE_USAGE, stderr);
	return EXIT_USAGE;
}

static json_t *
view_json(const struct queue_view *v)
{
	json_t	*o, *m = json_null(), *atts, *thr, *form = json_null();
	char	*s;
	size_t	 i;

	if (v->form != NULL && (s = jsonform_write(v->form)) != NULL) {
		json_decref(form);
		if ((form = json_loads(s, 0, NULL)) == NULL)
			form = json_null();
		free(s);
	}
	if (v->has_msg) {
		json_decref(m);
		m = json_pack("{s:I, s:s, s:I, s:I, s:s?, s:s, s:I, s:s, s:s?, "
		    "s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s, s:s, s:i, s:s?, "
		    "s:s?}",
		    "id", (json_int_t)v->msg.id,
		    "mailbox", v->msg.mailbox,
		    "uidvalidity", (json_int_t)v->msg.uidvalidity,
		    "uid", (json_int_t)v->msg.uid,
		    "message_id", v->msg.message_id,
		    "sha256", v->msg.sha256,
		    "size", (json_int_t)v->msg.size,
		    "received_at", v->msg.received_at,
		    "from", v->msg.from,
		    "from_name", v->msg.from_name,
		    "to", v->msg.to,
		    "subject", v->msg.subject,
		    "date", v->msg.date,
		    "in_reply_to", v->msg.in_reply_to,
		    "auth_results", v->msg.auth_results,
		    "classification", v->msg.classification,
		    "state", v->msg.state,
		    "attempts", v->msg.attempts,
		    "last_error", v->msg.last_error,
		    "text", v->msg.text);
		if (m == NULL)
			m = json_null();
	}
	atts = json_array();
	for (i = 0; i < v->natt; i++)
		json_array_append_new(atts, json_pack("{s:i, s:s?, s:s?, s:I, "
		    "s:s}", "index", v->att[i].idx, "name", v->att[i].name,
		    "type", v->att[i].type, "size", (json_int_t)v->att[i].size,
		    "sha256", v->att[i].sha256));
	thr = json_array();
	for (i = 0; i < v->nthread; i++) {
		const struct queue_thread_row *t = &v->thread[i];

		if (strcmp(t->direction, "in") == 0)
			json_array_append_new(thr, json_pack("{s:s, s:s, s:I, "
			    "s:s?, s:s?}", "direction", "in", "at", t->at,
			    "message_id", (json_int_t)t->message_id, "from",
			    t->from, "subject", t->subject));
		else
			json_array_append_new(thr, json_pack("{s:s, s:s, s:I, "
			    "s:s, s:s?, s:s}", "direction", "out", "at", t->at,
			    "outbox_id", (json_int_t)t->outbox_id, "template",
			    t->template, "to", t->to, "state",
			    t->outbox_state));
	}
	o = json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:b, s:o, "
	    "s:o, s:s?, s:s?, s:s?, s:s?, s:s?, s:s, s:s, s:o, s:o, s:o}",
	    "id", (json_int_t)v->id,
	    "reference", v->reference,
	    "kind", queue_kind_names[v->kind],
	    "state", queue_state_names[v->state],
	    "product", v->product[0] ? v->product : NULL,
	    "from", v->sender,
	    "filer_email", v->filer_email,
	    "valid", v->valid,
	    "errors", out_errors(&v->report),
	    "form", form,
	    "note", v->note,
	    "license_number", v->license_number[0] ? v->license_number : NULL,
	    "claimed_by", v->claimed_by[0] ? v->claimed_by : NULL,
	    "decided_by", v->decided_by[0] ? v->decided_by : NULL,
	    "decided_at", v->decided_at[0] ? v->decided_at : NULL,
	    "created_at", v->created_at,
	    "updated_at", v->updated_at,
	    "message", m,
	    "attachments", atts,
	    "thread", thr);
	return o;
}

static void
view_print(const struct queue_view *v)
{
	size_t	 i;

	printf("Item %lld (%s): %s, %s%s%s\n", (long long)v->id,
	    v->reference, queue_kind_names[v->kind],
	    queue_state_names[v->state], v->product[0] ? ", " : "",
	    v->product);
	if (v->kind == QK_SUBMISSION)
		printf("The reference is not a license number.\n");
	if (v->claimed_by[0])
		printf("claimed by %s since %s\n", v->claimed_by,
		    v->claimed_at);
	if (v->decided_by[0])
		printf("%s by %s at %s\n", queue_state_names[v->state],
		    v->decided_by, v->decided_at);
	if (v->license_number[0])
		printf("license %s\n", v->license_number);
	if (v->note != NULL) {
		printf("note: ");
		put_safe(stdout, v->note);
		putchar('\n');
	}
	if (v->has_msg) {
		printf("from: ");
		put_safe(stdout, v->msg.from);
		printf("\nsubject: ");
		put_safe(stdout, v->msg.subject);
		printf("\nreceived: %s (%s UID %u), %zu bytes, sha256 %s\n",
		    v->msg.received_at, v->msg.mailbox, v->msg.uid,
		    v->msg.size, v->msg.sha256);
		if (v->msg.auth_results != NULL) {
			printf("authentication: ");
			put_safe(stdout, v->msg.auth_results);
			putchar('\n');
		}
		for (i = 0; i < v->natt; i++) {
			printf("attachment %d: ", v->att[i].idx);
			put_safe(stdout, v->att[i].name);
			printf(" (%s, %zu bytes, sha256 %s)\n",
			    v->att[i].type != NULL ? v->att[i].type : "?",
			    v->att[i].size, v->att[i].sha256);
		}
	}
	if (v->filer_email != NULL)
		printf("filer email on the form: %s\n", v->filer_email);
	if (v->kind == QK_SUBMISSION) {
		printf("form: %s\n", v->form == NULL ? "none readable" :
		    v->valid ? "valid" : "has errors");
		cli_print_report(stdout, &v->report);
	}
	for (i = 0; i < v->nthread; i++) {
		const struct queue_thread_row *t = &v->thread[i];

		if (strcmp(t->direction, "in") == 0) {
			printf("%s  in   ", t->at);
			put_safe(stdout, t->from);
			printf(": ");
			put_safe(stdout, t->subject);
			putchar('\n');
		} else {
			printf("%s  out  %s to ", t->at, t->template);
			put_safe(stdout, t->to);
			printf(" (%s)\n", t->outbox_state);
		}
	}
	if (v->has_msg && v->msg.text != NULL) {
		printf("\n");
		put_safe(stdout, v->msg.text);
		putchar('\n');
	}
}

static int
queue_sh(struct cli *c, int argc, char **argv)
{
	struct qopts		 o;
	struct queue_view	 v;
	enum queue_err		 q;

	if (item_begin(c, argc, argv, "j", &o, NULL) == -1)
		return EXIT_USAGE;
	if ((q = queue_show(c->db, o.id, &v)) != QUEUE_OK)
		return refused(c, q, NULL, NULL);
	if (c->json)
		cli_print_json(view_json(&v));
	else
		view_print(&v);
	queue_view_free(&v);
	return EXIT_DONE;
}

static int
queue_claim_cmd(struct cli *c, int argc, char **argv, int release)
{
	struct qopts	 o;
	struct staff	 s;
	char		 who[64], why[128];
	enum queue_err	 q;

	if (item_begin(c, argc, argv, "af", &o, &s) == -1)
		return EXIT_USAGE;
	q = release ? queue_release(c->db, o.id, &s, o.force) :
	    queue_claim(c->db, o.id, &s, o.force, who, sizeof(who));
	if (q != QUEUE_OK) {
		why[0] = '\0';
		if (q == QUEUE_CLAIMED && !release)
			snprintf(why, sizeof(why), "item %lld is claimed by %s "
			    "(--force takes it over)", (long long)o.id, who);
		return refused(c, q, why, NULL);
	}
	printf("item %lld %s by %s\n", (long long)o.id, release ?
	    "released" : "claimed", s.name);
	return EXIT_DONE;
}

static int
queue_approve_cmd(struct cli *c, int argc, char **argv)
{
	struct qopts		 o;
	struct staff		 s;
	struct reg_result	 res;
	struct queue_view	 v;
	struct account		 acc;
	char			 why[512], who[64];
	int			 rc = EXIT_USAGE;
	enum queue_err		 q;

	reg_result_init(&res);
	memset(&acc, 0, sizeof(acc));
	if (item_begin(c, argc, argv, "afdj", &o, &s) == -1)
		goto out;
	/* --force: take the item over from whoever holds it (audited). */
	if (o.force && (q = queue_claim(c->db, o.id, &s, 1, who,
	    sizeof(who))) != QUEUE_OK) {
		rc = refused(c, q, NULL, NULL);
		goto out;
	}
	if ((q = queue_approve(c->db, o.id, &s, o.app, &res, why,
	    sizeof(why))) != QUEUE_OK) {
		rc = refused(c, q, why, q == QUEUE_INVALID ? &res.report :
		    NULL);
		goto out;
	}
	if (queue_show(c->db, o.id, &v) == QUEUE_OK) {
		if (v.account_id > 0)
			accounts_by_id(c->db, v.account_id, &acc);
		queue_view_free(&v);
	}
	if (c->json)
		cli_print_json(out_result(&res));
	else {
		printf("approved item %lld: license %s, %s, valid from %s "
		    "%s%s\n", (long long)o.id, res.number,
		    status_names[res.status], res.valid_from,
		    res.valid_through[0] ? "through " : "(never expires)",
		    res.valid_through);
		printf("confirmation queued to %s%s%s\n",
		    acc.v[AF_EMAIL] != NULL ? acc.v[AF_EMAIL] : "the account",
		    acc.v[AF_ALT_EMAIL] != NULL ? " and " : "",
		    acc.v[AF_ALT_EMAIL] != NULL ? acc.v[AF_ALT_EMAIL] : "");
		cli_print_report(stdout, &res.report);
	}
	rc = EXIT_DONE;
out:
	account_clear(&acc);
	reg_result_free(&res);
	return rc;
}

static int
queue_decide_cmd(struct cli *c, int argc, char **argv, int reject)
{
	struct qopts	 o;
	struct staff	 s;
	enum queue_err	 q;

	if (item_begin(c, argc, argv, reject ? "arR" : "an", &o, &s) == -1)
		return EXIT_USAGE;
	q = reject ? queue_reject(c->db, o.id, &s, o.reason) :
	    queue_close(c->db, o.id, &s, o.note);
	if (q == QUEUE_INVALID)
		return refused(c, q, c->db->errmsg, NULL);
	if (q != QUEUE_OK)
		return refused(c, q, NULL, NULL);
	printf("item %lld %s by %s%s\n", (long long)o.id, reject ?
	    "rejected" : "closed", s.name, reject ? "; the reasons are "
	    "queued to the sender" : "");
	return EXIT_DONE;
}

int
cmd_queue(struct cli *c, int argc, char **argv)
{
	const char	*sub = argc >= 2 ? argv[1] : "";

	if (strcmp(sub, "list") == 0)
		return queue_ls(c, argc - 1, argv + 1);
	if (strcmp(sub, "show") == 0)
		return queue_sh(c, argc - 1, argv + 1);
	if (strcmp(sub, "claim") == 0)
		return queue_claim_cmd(c, argc - 1, argv + 1, 0);
	if (strcmp(sub, "release") == 0)
		return queue_claim_cmd(c, argc - 1, argv + 1, 1);
	if (strcmp(sub, "approve") == 0)
		return queue_approve_cmd(c, argc - 1, argv + 1);
	if (strcmp(sub, "reject") == 0)
		return queue_decide_cmd(c, argc - 1, argv + 1, 1);
	if (strcmp(sub, "close") == 0)
		return queue_decide_cmd(c, argc - 1, argv + 1, 0);
	fputs(QUEUE_USAGE, stderr);
	return EXIT_USAGE;
}
