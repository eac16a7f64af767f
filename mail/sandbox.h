/*
 * Reading mail from outside in forked children that may die: the MIME
 * walk (mail/mime.c), the classification (mail/classify.c), the form
 * readers and the rules run in a worker process with limits on CPU
 * time per message (a timer that sends SIGXCPU), address space per
 * message (RLIMIT_AS: memory_mb beyond the message, mapped read-only),
 * file writes (RLIMIT_FSIZE 0) and open files, stdin, stdout and stderr
 * on /dev/null and nothing else open but its two pipes.  A worker reads
 * message after message (each a sealed memfd); it writes what it read
 * as JSON; the parent reads at most result_max bytes within a
 * wall-clock time per message and kills the worker past either.  A
 * MIME or PDF bomb kills the worker, never aim-maild: the message it
 * was reading fails, the next worker takes the rest.
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
/* Workers of one pool at most, and messages queued or in hand. */
#define SANDBOX_WORKERS_MAX	8
#define SANDBOX_JOBS		128

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
	int			 workers;	/* at once; 0: 1 */
	/* Tests only: run in the child before each message's work. */
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
 * Reads len bytes of raw mail in a child of its own (aimctl, tests).
 * SANDBOX_OK fills *res (free with sandbox_result_free); otherwise why
 * says what happened, as "parser killed: CPU/memory limit" for a child
 * the limits killed.
 */
enum sandbox_err sandbox_parse(const struct sandbox_conf *, const char *raw,
		    size_t len, struct sandbox_result *res, char *why,
		    size_t whysz);
void		 sandbox_result_free(struct sandbox_result *);

/*
 * A pool of workers (conf->workers of them, forked when first needed)
 * for many messages: submit each, then wait for each result, in any
 * order.  A worker's death fails only the message it was reading.
 * Two threads may use a pool at once (one submits while the other
 * waits); a worker dies with the thread that forked it (either), so
 * both must last as long as the pool is used.
 */
struct sandbox;

struct sandbox	*sandbox_new(const struct sandbox_conf *);
/* Kills the workers; results not waited for are dropped. */
void		 sandbox_free(struct sandbox *);
/*
 * Queues the message in fd (a sealed memfd of len + 1 bytes, the last
 * a NUL: sandbox_memfd, or sandbox_seal on one written so) for the
 * classifier's day today (0: the conf's) and the rules' app_date (0:
 * the conf's); fd stays the caller's.  Returns a ticket, or -1 when
 * SANDBOX_JOBS are pending or out of file descriptors.
 */
long		 sandbox_submit(struct sandbox *, int fd, size_t len,
		    int today, int app_date);
/* Waits for a ticket's result, as sandbox_parse gives it. */
enum sandbox_err sandbox_wait(struct sandbox *, long ticket,
		    struct sandbox_result *, char *why, size_t whysz);
/* A sealed memfd holding len bytes of raw and a NUL, or -1. */
int		 sandbox_memfd(const char *raw, size_t len);
/* Seals a memfd (made with MFD_ALLOW_SEALING) against change. */
int		 sandbox_seal(int fd);

#endif
