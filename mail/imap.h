/*
 * One IMAP session of aim-maild (libetpan mailimap): connect with
 * STARTTLS or IMAPS and compare the server certificate's SHA-256 with
 * the configured pin before LOGIN (libetpan checks no certificate);
 * plain IMAP only to a loopback address.  Then LOGIN, CAPABILITY again
 * (MOVE and UIDPLUS show only after login), SELECT, UID SEARCH, fetch
 * with BODY.PEEK[] (never \Seen), UID MOVE, and IDLE.
 */
#ifndef AIM_IMAP_H
#define AIM_IMAP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

enum imap_tls {
	IMAP_TLS_STARTTLS,
	IMAP_TLS_IMAPS,
	IMAP_TLS_NONE,			/* loopback only */
	IMAP_TLS__MAX
};

extern const char *const imap_tls_names[IMAP_TLS__MAX];

enum imap_err {
	IMAP_OK,
	IMAP_CONNECT,		/* no connection or no greeting */
	IMAP_HANDSHAKE,		/* STARTTLS or the TLS handshake failed */
	IMAP_PIN,		/* the certificate is not the pinned one */
	IMAP_PLAIN,		/* no TLS (or no pin) to a host not loopback */
	IMAP_LOGIN,		/* LOGIN refused */
	IMAP_CAPA,		/* the server has neither MOVE nor UIDPLUS */
	IMAP_NO,		/* the server refused a command */
	IMAP_STREAM,		/* the connection broke or timed out */
	IMAP_TOO_BIG,		/* the message is over the size asked */
	IMAP_GONE,		/* no message with that UID (any more) */
	IMAP_NOMEM,
	IMAP__MAX
};

const char	*imap_strerror(enum imap_err);

struct imap_conf {
	const char	*host;
	int		 port;
	enum imap_tls	 tls;
	const char	*pin;		/* SHA-256 hex (colons allowed); ""
					 * none, allowed to loopback only */
	const char	*user;
	const char	*password;
	int		 timeout;	/* seconds a read may wait; 0: 60 */
};

/* "starttls", "imaps", "none" to the enum; -1 if none of them. */
int		 imap_tls_parse(const char *, enum imap_tls *);
/* A pin: 64 hex digits, pairs may be separated by ':'.  Returns 0 with
 * the 32 bytes in out, or -1. */
int		 imap_pin_parse(const char *, unsigned char out[32]);
/* Whether every address of host is a loopback address. */
int		 imap_host_loopback(const char *host);

struct imap;

/* Connects, checks TLS and the pin, logs in and asks the capabilities
 * again.  err receives the details of a failure. */
enum imap_err	 imap_open(const struct imap_conf *, struct imap **,
		    char *err, size_t errsz);
/* LOGOUT (when the connection still stands) and free. */
void		 imap_close(struct imap *);
/* The details of the last failure on this session. */
const char	*imap_error(const struct imap *);

/* Creates the mailbox unless it is there (LIST, then CREATE). */
enum imap_err	 imap_ensure(struct imap *, const char *mailbox);
/* SELECT; *uidvalidity receives its UIDVALIDITY. */
enum imap_err	 imap_select(struct imap *, const char *mailbox,
		    uint32_t *uidvalidity);
/* UID SEARCH ALL: every UID of the mailbox, ascending (free *uids). */
enum imap_err	 imap_search(struct imap *, uint32_t **uids, size_t *n);

/* A fetched message; raw points into libetpan's answer (no copy). */
struct imap_msg {
	uint32_t	 uid;
	size_t		 size;		/* RFC822.SIZE */
	const char	*raw;
	size_t		 len;
	void		*priv;
};

/*
 * BODY.PEEK[] of one message of at most max bytes: RFC822.SIZE is
 * asked first, and a larger message gives IMAP_TOO_BIG with its size in
 * msg->size.  partial asks only for its first max bytes instead
 * (BODY.PEEK[]<0.max>), for a message too big to take whole.
 * IMAP_GONE if there is no such UID.  Free with imap_msg_free.
 */
enum imap_err	 imap_fetch(struct imap *, uint32_t uid, size_t max,
		    int partial, struct imap_msg *);
void		 imap_msg_free(struct imap_msg *);

/* UID MOVE to mailbox (UID COPY, STORE \Deleted and UID EXPUNGE with
 * UIDPLUS when the server has no MOVE). */
enum imap_err	 imap_move(struct imap *, uint32_t uid, const char *mailbox);

/*
 * Many messages per round trip (aim-maild's intake).  A set names at
 * most IMAP_SET_MAX UIDs, ascending; a UID the server does not answer
 * for is gone (expunged meanwhile).
 */
#define IMAP_SET_MAX	256

/* RFC822.SIZE of each of n UIDs: sizes[i], or IMAP_SIZE_GONE. */
#define IMAP_SIZE_GONE	((size_t)-1)
enum imap_err	 imap_sizes(struct imap *, const uint32_t *uids, size_t n,
		    size_t *sizes);

/*
 * BODY.PEEK[] of n UIDs in one UID FETCH: msgs[i].raw and len point
 * into one answer (msgs[i].raw NULL: gone), freed together with
 * imap_batch_free.  Ask only for what fits in memory: the answer is
 * held whole.
 */
struct imap_batch {
	struct imap_msg	*msgs;
	size_t		 n;
	void		*priv;
};
enum imap_err	 imap_fetch_set(struct imap *, const uint32_t *uids,
		    size_t n, struct imap_batch *);
void		 imap_batch_free(struct imap_batch *);

/* BODY.PEEK[]<offset.len> of one message: its bytes from offset, at
 * most len (fewer at its end); IMAP_GONE if there is no such UID. */
enum imap_err	 imap_fetch_range(struct imap *, uint32_t uid, size_t offset,
		    size_t len, struct imap_msg *);

/* UID MOVE of n UIDs in one command (the same fallback as imap_move). */
enum imap_err	 imap_move_set(struct imap *, const uint32_t *uids, size_t n,
		    const char *mailbox);

/*
 * IDLE for at most seconds (a server without IDLE: NOOP after the
 * wait), ended early when the server announces new mail (EXISTS:
 * *woke set) or *stop becomes nonzero (a signal must interrupt the
 * wait: install handlers without SA_RESTART).
 */
enum imap_err	 imap_idle(struct imap *, int seconds,
		    volatile sig_atomic_t *stop, int *woke);

#endif
