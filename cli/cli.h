/*
 * aimctl, the operator's command line: shared pieces of its commands.
 */
#ifndef AIM_CLI_H
#define AIM_CLI_H

#include <stddef.h>
#include <jansson.h>

#include "db/db.h"
#include "forms/form.h"

/* Exit statuses: done; refused (invalid form, not found ...); usage or
 * unreadable input. */
#define EXIT_DONE	0
#define EXIT_REFUSED	1
#define EXIT_USAGE	2

struct cli {
	const char	*dbpath;
	struct db	*db;		/* opened on demand by cli_db */
	int		 json;		/* --json output */
};

/* Opens and migrates the database; NULL after a message. */
struct db	*cli_db(struct cli *);
/* Reads a form file of any known format; NULL after a message (the
 * form's field errors, if any, stay in rep; why it could not be read
 * goes to err). */
struct form	*cli_read_form(struct cli *, const char *path,
		    struct report *rep, char *err, size_t errsz);
/* A whole file read into a fresh buffer, but at most max + 1 bytes:
 * *len past max tells the caller the file is too large.  NULL after a
 * message. */
char		*cli_read_file(const char *path, size_t max, size_t *len);
/* Prints a JSON value on stdout (takes the reference). */
void		 cli_print_json(json_t *);
/* Prints the errors or flags of a report, human readable, to f. */
void		 cli_print_report(FILE *, const struct report *);
/* Reads the password as one line of standard input (newline removed)
 * into buf; -1 after a message. */
int		 cli_read_password(char *buf, size_t sz);
/* Parses an application date option; -1 after a message. */
int		 cli_date(const char *opt, const char *s, int *days);

int	 cmd_init(struct cli *, int, char **);
int	 cmd_account(struct cli *, int, char **);
int	 cmd_check_form(struct cli *, int, char **);
int	 cmd_submit(struct cli *, int, char **);
int	 cmd_show(struct cli *, int, char **);
int	 cmd_correct(struct cli *, int, char **);
int	 cmd_cancel(struct cli *, int, char **);
int	 cmd_confirm(struct cli *, int, char **);
int	 cmd_duplicate(struct cli *, int, char **);
int	 cmd_outbox(struct cli *, int, char **);
int	 cmd_outbox_send(struct cli *, int, char **);
int	 cmd_outbox_show(struct cli *, int, char **);
int	 cmd_check(struct cli *, int, char **);
int	 cmd_token(struct cli *, int, char **);
int	 cmd_form(struct cli *, int, char **);
int	 cmd_form_xlsx(struct cli *, int, char **);
int	 cmd_submit_batch(struct cli *, int, char **);
int	 cmd_mail(struct cli *, int, char **);
int	 cmd_mail_store(struct cli *, int, char **);
int	 cmd_mail_retry(struct cli *, int, char **);
int	 cmd_staff(struct cli *, int, char **);
int	 cmd_queue(struct cli *, int, char **);
int	 cmd_history(struct cli *, int, char **);

#endif
