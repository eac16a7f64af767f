/*
 * Reading mail from outside in a forked child that may die: the MIME
 * walk (mail/mime.c), the classification (mail/classify.c), the form
 * readers and the rules run in a child with limits on CPU time
 * (RLIMIT_CPU), address space (RLIMIT_AS), file writes (RLIMIT_FSIZE
 * 0) and open files, stdin, stdout and stderr on /dev/null and nothing
 * else open but a pipe.  The child writes what it read as JSON to the
 * pipe; the parent reads at most result_max bytes within a wall-clock
 * time and kills the child past either.  A MIME or PDF bomb kills the
 * child, never aim-maild.
 */
#ifndef AIM_SANDBOX_H
#define AIM_SANDBOX_H

#include <stddef.h>

#include "forms/form.h"
#include "classify.h"
#include "message.h"

/*
 * Bytes of one child's result: the text of an email (LIM_MAIL_TEXT_BYTES,
 * up to 6 bytes each once escaped in JSON), its headers
 * (LIM_HEADER_BYTES) and the forms read (LIM_FORM_BYTES each) fit.
 * (Belongs in lib/limits.h.)
 */
#define SANDBOX_RESULT_MAX	(16 * 1024 * 1024)
/* Forms read from one email; more are listed but not read. */
#define SANDBOX_FORMS_MAX	8

enum sandbox_err {
	SANDBOX_OK,
	SANDBOX_KILLED,		/* CPU time or memory limit */
	SANDBOX_TIMEOUT,	/* the wall-clock limit */
	SANDBOX_TOO_LARGE,	/* a result past result_max */
	SANDBOX_FAILED,		/* the child ended without a good result */
	SANDBOX_SYSTEM,		/* no fork or pipe: not the message's fault */
	SANDBOX__MAX
};

const char	*sandbox_strerror(enum sandbox_err);

struct sandbox_conf {
	int			 cpu_seconds;	/* RLIMIT_CPU; 0: 10 */
	/* Megabytes of address space the child may add to what it
	 * shares with aim-maild when forked (RLIMIT_AS); 0: 256. */
	int			 memory_mb;
	int			 wall_seconds;	/* 0: 2 * cpu_seconds + 5 */
	size_t			 result_max;	/* 0: SANDBOX_RESULT_MAX */
	const struct classify_conf *cc;
	int			 app_date;	/* rules as of; 0: today */
	/* Tests only: run in the child before the work. */
	void			(*child_hook)(void);
};

/* A form attachment as the child read it. */
struct sandbox_form {
	size_t		 att;		/* index in msg->att */
	struct form	*form;		/* NULL: it could not be read */
	struct report	 read_report;	/* the reader's own errors */
	char		*error;		/* why it could not be read */
	char		*filer_email;	/* a PDF form's filer block */
	size_t		 nerrors;	/* the reader's and the rules' */
};

struct sandbox_result {
	/* The message; attachments carry name, type, size and SHA-256
	 * but no data (the raw message has them). */
	struct message		*msg;
	struct classify_result	 cls;
	char			*first_line;	/* message_first_line */
	struct sandbox_form	*forms;		/* in cls.forms order */
	size_t			 nforms;
	size_t			 bytes;		/* of the child's result */
};

/*
 * Reads len bytes of raw mail in a child.  SANDBOX_OK fills *res (free
 * with sandbox_result_free); otherwise why says what happened, as
 * "parser killed: CPU/memory limit" for a child the limits killed.
 */
enum sandbox_err sandbox_parse(const struct sandbox_conf *, const char *raw,
		    size_t len, struct sandbox_result *res, char *why,
		    size_t whysz);
void		 sandbox_result_free(struct sandbox_result *);

#endif
