/*
 * An email as the mail gateway reads it: decoded headers, the text, and
 * every attachment, from libetpan's MIME parse under the limits of
 * lib/limits.h.  Built by mail/mime.c (in a sandboxed child for mail
 * from outside), classified by mail/classify.c.
 */
#ifndef AIM_MESSAGE_H
#define AIM_MESSAGE_H

#include <stddef.h>

struct attachment {
	char		*name;		/* decoded filename (RFC 2047/2231), UTF-8 */
	char		*type;		/* "application/pdf", lower case */
	unsigned char	*data;		/* decoded content */
	size_t		 size;
	char		 sha256[65];	/* hex of data */
};

enum mail_class {
	MAIL_BOUNCE,		/* DSN, bounce, mailer-daemon */
	MAIL_AUTO_REPLY,	/* RFC 3834 auto-submitted, out of office */
	MAIL_OWN,		/* our own mail or our loop header: never answer */
	MAIL_REPLY,		/* a reply to our mail (token matched) */
	MAIL_SUBMISSION,	/* an emailed license form (PDF or XML) */
	MAIL_CORRESPONDENCE,	/* anything else */
	MAIL_CLASS__MAX
};

extern const char *const mail_class_names[MAIL_CLASS__MAX];

struct message {
	char		*message_id;	/* without <>, or NULL */
	char		*in_reply_to;
	char		*references;	/* raw list */
	char		*from;		/* address only, lower case */
	char		*from_name;	/* decoded display name */
	char		*reply_to;
	char		*to;		/* raw, decoded */
	char		*delivered_to;	/* plus-addressed recipient, for tokens */
	char		*subject;	/* decoded UTF-8 */
	char		*date;
	char		*auto_submitted;
	char		*auth_results;	/* Authentication-Results of our MTA */
	int		 has_loop_header;	/* X-AIM-Loop present */
	int		 is_dsn;	/* multipart/report delivery-status */
	char		*text;		/* the body as UTF-8 text (HTML converted) */
	struct attachment *att;
	size_t		 natt;
	int		 truncated;	/* a limit cut something off */
	char		*problem;	/* why parsing stopped, or NULL */
};

void	 message_free(struct message *);

#endif
