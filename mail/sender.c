/*
 * The outbox sender over SMTP (libetpan mailsmtp); see sender.h for
 * what happens to a row and why.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <libetpan/libetpan.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "lib/date.h"
#include "lib/limits.h"
#include "lib/log.h"
#include "db/clock.h"
#include "db/outbox.h"
#include "imap.h"
#include "sender.h"

/* Bytes of a server's answer kept for the row and for staff. */
#define ANSWER_MAX	300
/* Connections tried in one run: one, and one more after a connection
 * lost mid-way. */
#define CONNECT_TRIES	2

struct conn {
	mailsmtp	*s;
	int		 up;
	int		 tries;
	char		 err[512];	/* why it is not up */
};

enum outcome {
	OUT_SENT,
	OUT_TEMP,		/* 4xx or no usable answer: later */
	OUT_PERM		/* 5xx: never */
};

long
sender_backoff(int attempts, unsigned int rnd)
{
	long	 d = SENDER_BACKOFF_FIRST;
	int	 i;

	for (i = 1; i < attempts && d < SENDER_BACKOFF_MAX; i++)
		d *= 2;
	if (d > SENDER_BACKOFF_MAX)
		d = SENDER_BACKOFF_MAX;
	return d - (long)(rnd % (unsigned int)(d / 5 + 1));
}

/* YYYY-MM-DDTHH:MM:SSZ to a time; -1 if it is not that. */
static int
iso_time(const char *iso, time_t *t)
{
	char	 day[11];
	int	 days, hh, mm, ss, i;

	if (strlen(iso) != 20 || iso[10] != 'T' || iso[13] != ':' ||
	    iso[16] != ':' || iso[19] != 'Z')
		return -1;
	for (i = 11; i < 19; i++)
		if (i != 13 && i != 16 && (iso[i] < '0' || iso[i] > '9'))
			return -1;
	memcpy(day, iso, 10);
	day[10] = '\0';
	if (date_parse(day, &days) == -1)
		return -1;
	hh = (iso[11] - '0') * 10 + iso[12] - '0';
	mm = (iso[14] - '0') * 10 + iso[15] - '0';
	ss = (iso[17] - '0') * 10 + iso[18] - '0';
	if (hh > 23 || mm > 59 || ss > 60)
		return -1;
	*t = (time_t)days * 86400 + hh * 3600 + mm * 60 + ss;
	return 0;
}

long
sender_next_due(struct db *db)
{
	char	 at[32];
	time_t	 t, now;

	if (outbox_next_due(db, at, sizeof(at)) != DB_OK)
		return -1;
	now = clock_now(db);
	if (at[0] == '\0' || iso_time(at, &t) == -1 || t <= now)
		return 0;
	return (long)(t - now);
}

int
sender_check(const struct config *cfg, char *err, size_t errsz)
{
	unsigned char	 pin[32];
	int		 tls;

	if (strcasecmp(cfg->smtp_tls, "starttls") == 0)
		tls = 1;
	else if (strcasecmp(cfg->smtp_tls, "none") == 0)
		tls = 0;
	else {
		snprintf(err, errsz, "smtp_tls is \"%s\": starttls or none",
		    cfg->smtp_tls);
		return -1;
	}
	if (cfg->smtp_pin[0] != '\0' && imap_pin_parse(cfg->smtp_pin,
	    pin) == -1) {
		snprintf(err, errsz, "smtp_pin is not 64 hex digits");
		return -1;
	}
	if ((!tls || cfg->smtp_pin[0] == '\0') &&
	    !imap_host_loopback(cfg->smtp_host)) {
		snprintf(err, errsz, "smtp_host %s is not loopback: it needs "
		    "smtp_tls starttls and smtp_pin (libetpan checks no "
		    "certificate)", cfg->smtp_host);
		return -1;
	}
	if (cfg->smtp_user[0] != '\0' && cfg->smtp_password_file[0] ==
	    '\0') {
		snprintf(err, errsz, "smtp_user is set but not "
		    "smtp_password_file");
		return -1;
	}
	if (cfg->mail_domain[0] == '\0') {
		snprintf(err, errsz, "no mail domain");
		return -1;
	}
	return 0;
}

/* The first line of the password file. */
static int
read_password(const char *path, char *pw, size_t pwsz, char *err,
    size_t errsz)
{
	FILE	*f;
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errsz, "%.300s: %s", path, strerror(errno));
		return -1;
	}
	n = fread(pw, 1, pwsz - 1, f);
	fclose(f);
	pw[n] = '\0';
	pw[strcspn(pw, "\r\n")] = '\0';
	if (pw[0] == '\0' || n == pwsz - 1) {
		explicit_bzero(pw, pwsz);
		snprintf(err, errsz, "%.300s: %s", path, n == pwsz - 1 ?
		    "password too long" : "no password on its first line");
		return -1;
	}
	return 0;
}

static int
addr_loopback(const struct sockaddr *sa)
{
	const struct sockaddr_in	*in4;
	const struct sockaddr_in6	*in6;

	if (sa->sa_family == AF_INET) {
		in4 = (const struct sockaddr_in *)(const void *)sa;
		return (ntohl(in4->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		in6 = (const struct sockaddr_in6 *)(const void *)sa;
		return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr) ||
		    (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) &&
		    in6->sin6_addr.s6_addr[12] == 127);
	}
	return 0;
}

/* A TCP connection that gives up after the timeout (libetpan's own
 * connect would wait five minutes for a greeting). */
static int
tcp_connect(const char *host, int port, int *loopback, char *err,
    size_t errsz)
{
	struct addrinfo	 hints, *res = NULL, *ai;
	struct pollfd	 pfd;
	char		 serv[16];
	socklen_t	 sl;
	int		 fd = -1, r, soerr, fl;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	snprintf(serv, sizeof(serv), "%d", port);
	if ((r = getaddrinfo(host, serv, &hints, &res)) != 0) {
		snprintf(err, errsz, "%s: %s", host, gai_strerror(r));
		return -1;
	}
	snprintf(err, errsz, "%s port %d: no address", host, port);
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol)) == -1)
			continue;
		fl = fcntl(fd, F_GETFL);
		if (fl == -1 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1)
			goto next;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
			if (errno != EINPROGRESS)
				goto next;
			pfd.fd = fd;
			pfd.events = POLLOUT;
			if ((r = poll(&pfd, 1, SENDER_TIMEOUT_SECONDS *
			    1000)) <= 0) {
				errno = r == 0 ? ETIMEDOUT : errno;
				goto next;
			}
			sl = sizeof(soerr);
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr,
			    &sl) == -1 || soerr != 0) {
				errno = soerr;
				goto next;
			}
		}
		if (fcntl(fd, F_SETFL, fl) == -1)
			goto next;
		*loopback = addr_loopback(ai->ai_addr);
		freeaddrinfo(res);
		return fd;
next:
		snprintf(err, errsz, "%s port %d: %s", host, port,
		    strerror(errno));
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return -1;
}

/* The server's last answer, one line, for logs, rows and staff. */
static void
answer(mailsmtp *s, char *out, size_t sz)
{
	const char	*t = s->response != NULL ? s->response : "";
	size_t		 i, n;

	n = (size_t)snprintf(out, sz, "%d %s", s->response_code, t);
	if (n >= sz)
		n = sz - 1;
	for (i = 0; i < n; i++)
		if (out[i] == '\r' || out[i] == '\n' || out[i] == '\t')
			out[i] = ' ';
	while (n > 0 && out[n - 1] == ' ')
		out[--n] = '\0';
	if (s->response_code == 0)
		snprintf(out, sz, "no answer (connection lost or timed out)");
}

/* Closes without a word: after a wrong certificate, nothing more. */
static void
conn_drop(struct conn *c)
{
	if (c->s != NULL) {
		if (c->s->stream != NULL) {
			mailstream_close(c->s->stream);
			c->s->stream = NULL;
		}
		mailsmtp_free(c->s);
	}
	c->s = NULL;
	c->up = 0;
}

static void
conn_close(struct conn *c)
{
	if (c->s != NULL && c->up)
		mailsmtp_quit(c->s);
	conn_drop(c);
}

static int
check_pin(struct conn *c, const char *pin)
{
	unsigned char	*der = NULL, want[32], got[EVP_MAX_MD_SIZE];
	unsigned int	 gotlen = 0;
	ssize_t		 n;
	size_t		 i;
	char		 hex[65];
	int		 rc = -1;

	if (imap_pin_parse(pin, want) == -1) {
		snprintf(c->err, sizeof(c->err), "smtp_pin is not 64 hex "
		    "digits");
		return -1;
	}
	if ((n = mailstream_ssl_get_certificate(c->s->stream, &der)) <= 0 ||
	    der == NULL) {
		snprintf(c->err, sizeof(c->err), "the server sent no "
		    "certificate");
		goto out;
	}
	if (EVP_Digest(der, (size_t)n, got, &gotlen, EVP_sha256(), NULL) !=
	    1 || gotlen != 32) {
		snprintf(c->err, sizeof(c->err), "no SHA-256");
		goto out;
	}
	if (CRYPTO_memcmp(got, want, 32) != 0) {
		for (i = 0; i < 32; i++)
			snprintf(hex + 2 * i, 3, "%02x", got[i]);
		snprintf(c->err, sizeof(c->err), "the server certificate "
		    "does not match smtp_pin: its SHA-256 is %s; nothing "
		    "sent", hex);
		goto out;
	}
	rc = 0;
out:
	free(der);
	return rc;
}

/* Connects, says EHLO, STARTTLS with the pin, EHLO, AUTH.  -1 with
 * c->err. */
static int
conn_open(struct conn *c, const struct config *cfg, const char *password)
{
	mailstream	*stream;
	char		 ans[ANSWER_MAX];
	int		 fd, r, loopback = 0, tls, pinned;

	c->tries++;
	c->err[0] = '\0';
	tls = strcasecmp(cfg->smtp_tls, "starttls") == 0;
	pinned = cfg->smtp_pin[0] != '\0';
	if ((c->s = mailsmtp_new(0, NULL)) == NULL) {
		snprintf(c->err, sizeof(c->err), "out of memory");
		return -1;
	}
	mailsmtp_set_timeout(c->s, SENDER_TIMEOUT_SECONDS);
	if ((fd = tcp_connect(cfg->smtp_host, cfg->smtp_port, &loopback,
	    c->err, sizeof(c->err))) == -1)
		goto fail;
	if ((stream = mailstream_socket_open_timeout(fd,
	    SENDER_TIMEOUT_SECONDS)) == NULL) {
		close(fd);
		snprintf(c->err, sizeof(c->err), "out of memory");
		goto fail;
	}
	if ((r = mailsmtp_connect(c->s, stream)) != MAILSMTP_NO_ERROR) {
		answer(c->s, ans, sizeof(ans));
		snprintf(c->err, sizeof(c->err), "%s port %d: no greeting: "
		    "%s", cfg->smtp_host, cfg->smtp_port, ans);
		goto fail;
	}
	/* Resolved elsewhere than sender_check saw: still no cleartext. */
	if (!loopback && (!tls || !pinned)) {
		snprintf(c->err, sizeof(c->err), "%s is not loopback: TLS "
		    "with a pin needed", cfg->smtp_host);
		goto fail;
	}
	if ((r = mailesmtp_ehlo(c->s)) != MAILSMTP_NO_ERROR) {
		answer(c->s, ans, sizeof(ans));
		snprintf(c->err, sizeof(c->err), "EHLO: %s", ans);
		goto fail;
	}
	if (tls) {
		if ((c->s->esmtp & MAILSMTP_ESMTP_STARTTLS) == 0) {
			snprintf(c->err, sizeof(c->err), "the server offers "
			    "no STARTTLS");
			goto fail;
		}
		if ((r = mailsmtp_socket_starttls(c->s)) !=
		    MAILSMTP_NO_ERROR) {
			snprintf(c->err, sizeof(c->err), "STARTTLS: %s",
			    mailsmtp_strerror(r));
			goto fail;
		}
		if (pinned && check_pin(c, cfg->smtp_pin) == -1)
			goto fail;
		if ((r = mailesmtp_ehlo(c->s)) != MAILSMTP_NO_ERROR) {
			answer(c->s, ans, sizeof(ans));
			snprintf(c->err, sizeof(c->err), "EHLO after "
			    "STARTTLS: %s", ans);
			goto fail;
		}
	}
	if (cfg->smtp_user[0] != '\0') {
		if (c->s->auth & MAILSMTP_AUTH_PLAIN)
			r = mailsmtp_auth_type(c->s, cfg->smtp_user, password,
			    MAILSMTP_AUTH_PLAIN);
		else if (c->s->auth & MAILSMTP_AUTH_LOGIN)
			r = mailsmtp_auth_type(c->s, cfg->smtp_user, password,
			    MAILSMTP_AUTH_LOGIN);
		else
			r = mailsmtp_auth(c->s, cfg->smtp_user, password);
		if (r != MAILSMTP_NO_ERROR) {
			answer(c->s, ans, sizeof(ans));
			snprintf(c->err, sizeof(c->err), "AUTH as %s: %s (%s)",
			    cfg->smtp_user, mailsmtp_strerror(r), ans);
			goto fail;
		}
	}
	c->up = 1;
	return 0;
fail:
	conn_drop(c);
	return -1;
}

/* What a failed command means: the connection is gone (no answer),
 * 5xx for good, else later.  RSET after an answer, to go on. */
static enum outcome
refusal(struct conn *c, const char *what, char *why, size_t whysz)
{
	char	 ans[ANSWER_MAX];
	int	 code = c->s->response_code;

	answer(c->s, ans, sizeof(ans));
	snprintf(why, whysz, "%s: %s", what, ans);
	if (code < 400 || code > 599) {
		conn_drop(c);
		snprintf(c->err, sizeof(c->err), "connection lost");
		return OUT_TEMP;
	}
	if (mailsmtp_reset(c->s) != MAILSMTP_NO_ERROR)
		conn_close(c);
	return code >= 500 ? OUT_PERM : OUT_TEMP;
}

/* One message: MAIL, RCPT for each recipient, DATA.  refused receives
 * the recipients refused for good when others took it. */
static enum outcome
deliver(struct conn *c, const struct rendered *m, char *why, size_t whysz,
    char *refused, size_t refsz)
{
	char		 ans[ANSWER_MAX], what[LIM_EMAIL_BYTES + 16];
	size_t		 i, len, accepted = 0, n = 0;
	int		 r, code;

	*why = *refused = '\0';
	/* libetpan ends the data with CR LF . CR LF itself. */
	len = m->msg.len;
	if (len >= 2 && m->msg.p[len - 2] == '\r' && m->msg.p[len - 1] == '\n')
		len -= 2;
	if ((r = mailesmtp_mail_size(c->s, m->from, 0, NULL, len)) !=
	    MAILSMTP_NO_ERROR)
		return refusal(c, "MAIL FROM", why, whysz);
	for (i = 0; i < m->nrcpt; i++) {
		if ((r = mailesmtp_rcpt(c->s, m->rcpt[i], 0, NULL)) ==
		    MAILSMTP_NO_ERROR) {
			accepted++;
			continue;
		}
		code = c->s->response_code;
		snprintf(what, sizeof(what), "RCPT TO %s", m->rcpt[i]);
		if (code < 500 || code > 599)
			return refusal(c, what, why, whysz);
		answer(c->s, ans, sizeof(ans));
		n += (size_t)snprintf(refused + n, n < refsz ? refsz - n : 0,
		    "%s%s refused: %s", n ? "; " : "", m->rcpt[i], ans);
		if (n >= refsz)
			n = refsz;
	}
	if (accepted == 0) {
		snprintf(why, whysz, "%s", refused);
		*refused = '\0';
		if (mailsmtp_reset(c->s) != MAILSMTP_NO_ERROR)
			conn_close(c);
		return OUT_PERM;
	}
	if ((r = mailsmtp_data(c->s)) != MAILSMTP_NO_ERROR)
		return refusal(c, "DATA", why, whysz);
	if ((r = mailsmtp_data_message(c->s, m->msg.p, len)) !=
	    MAILSMTP_NO_ERROR)
		return refusal(c, "end of DATA", why, whysz);
	return OUT_SENT;
}

/* Due again after the backoff of its attempts. */
static enum db_err
defer(struct db *db, const struct outbox_row *row, int attempts,
    const char *why, struct sender_stats *st)
{
	char		 next[CLOCK_ISO_LEN + 1];
	long		 d = sender_backoff(attempts, arc4random());
	enum db_err	 e;

	clock_iso(clock_now(db) + d, next);
	log_msg(LOG_LVL_WARNING, "outbox %lld (%s to %s): attempt %d failed, "
	    "again in %ld s: %s", (long long)row->id, row->template, row->to,
	    attempts, d, why);
	if ((e = outbox_defer(db, row->id, next, why)) == DB_OK)
		st->deferred++;
	return e == DB_NOT_FOUND ? DB_OK : e;
}

static enum db_err
fail(struct db *db, const struct outbox_row *row, const char *why,
    int raise, struct sender_stats *st)
{
	int64_t		 item = 0;
	enum db_err	 e;

	if ((e = outbox_fail(db, row->id, why, raise, &item)) == DB_OK) {
		log_msg(LOG_LVL_ERR, "outbox %lld (%s to %s) failed%s%lld: %s",
		    (long long)row->id, row->template, row->to, item ?
		    ", queue item " : "", (long long)item, why);
		st->failed++;
	}
	return e == DB_NOT_FOUND ? DB_OK : e;
}

/* Whether an automatic reply is over the limit: what the recipient got
 * in the hour before the row was written. */
static enum db_err
rate_limited(struct db *db, const struct config *cfg,
    const struct outbox_row *row, time_t created, int *over)
{
	char		 since[CLOCK_ISO_LEN + 1];
	int		 n = 0;
	enum db_err	 e;

	*over = 0;
	if (!outbox_is_auto_reply(row->template))
		return DB_OK;
	clock_iso(created - 3600, since);
	if ((e = outbox_recent_auto(db, row->to, since, row->id,
	    cfg->replies_per_hour, &n)) ==
	    DB_OK)
		*over = n >= cfg->replies_per_hour;
	return e;
}

/* One claimed row to its end (sent, deferred or failed). */
static enum db_err
work(struct db *db, const struct config *cfg, struct render *r,
    struct conn *c, const char *password, const struct outbox_row *row,
    struct sender_stats *st)
{
	struct rendered	 m;
	char		 why[1024], refused[1024], now[CLOCK_ISO_LEN + 1];
	time_t		 created;
	int		 attempts = row->attempts + 1, over;
	enum render_err	 re;
	enum outcome	 o;
	enum db_err	 e;

	memset(&m, 0, sizeof(m));
	if (iso_time(row->created_at, &created) == -1)
		created = clock_now(db);
	if (clock_now(db) - created > SENDER_GIVE_UP_SECONDS) {
		snprintf(why, sizeof(why), "not delivered in %d days (%d "
		    "attempts); last error: %s", SENDER_GIVE_UP_SECONDS /
		    86400, row->attempts, row->last_error != NULL ?
		    row->last_error : "none");
		return fail(db, row, why, 1, st);
	}
	if ((e = rate_limited(db, cfg, row, created, &over)) != DB_OK)
		return e;
	if (over) {
		snprintf(why, sizeof(why), "rate limited: %s had %d "
		    "automatic replies in the hour before", row->to,
		    cfg->replies_per_hour);
		/* Not raised to staff: a loop must not flood the queue. */
		if ((e = outbox_fail(db, row->id, why, 0, NULL)) == DB_OK) {
			log_msg(LOG_LVL_NOTICE, "outbox %lld (%s to %s) not "
			    "sent: %s", (long long)row->id, row->template,
			    row->to, why);
			st->limited++;
		}
		return e == DB_NOT_FOUND ? DB_OK : e;
	}
	if ((re = render_row(r, row, &m)) != RENDER_OK) {
		snprintf(why, sizeof(why), "cannot be rendered: %s",
		    render_strerror(re));
		e = render_err_permanent(re) ? fail(db, row, why, 1, st) :
		    defer(db, row, attempts, why, st);
		goto out;
	}
	if (!c->up && c->tries < CONNECT_TRIES &&
	    conn_open(c, cfg, password) == -1) {
		log_msg(LOG_LVL_WARNING, "smtp: %s", c->err);
		/* One failed connect is enough for this run. */
		c->tries = CONNECT_TRIES;
	}
	if (!c->up) {
		snprintf(st->error, sizeof(st->error), "%s", c->err);
		e = defer(db, row, attempts, c->err, st);
		goto out;
	}
	o = deliver(c, &m, why, sizeof(why), refused, sizeof(refused));
	if (o == OUT_SENT) {
		/* Nothing between the 250 and this mark (sender.h). */
		clock_iso(clock_now(db), now);
		if ((e = outbox_sent(db, row->id, now, refused[0] ? refused :
		    NULL)) != DB_OK) {
			log_msg(LOG_LVL_ERR, "outbox %lld was delivered but "
			    "cannot be marked sent (%s): it may be sent "
			    "again", (long long)row->id, db->errmsg);
			goto out;
		}
		st->sent++;
		log_msg(LOG_LVL_INFO, "outbox %lld (%s) sent to %s%s%s",
		    (long long)row->id, row->template, row->to,
		    refused[0] ? "; " : "", refused);
	} else if (o == OUT_TEMP)
		e = defer(db, row, attempts, why, st);
	else
		e = fail(db, row, why, 1, st);
out:
	rendered_free(&m);
	return e;
}

int
sender_run_once(struct db *db, const struct config *cfg, struct render *r,
    int flags, struct sender_stats *st)
{
	struct outbox_row	*rows = NULL;
	struct conn		 c;
	char			 password[LIM_PASSWORD_BYTES + 2];
	char			 now[CLOCK_ISO_LEN + 1];
	char			 lease[CLOCK_ISO_LEN + 1];
	size_t			 i, n = 0;
	int			 retry = (flags & SENDER_RETRY_NOW) != 0;
	int			 rc = -1;
	enum db_err		 e;

	memset(st, 0, sizeof(*st));
	memset(&c, 0, sizeof(c));
	password[0] = '\0';
	if (sender_check(cfg, st->error, sizeof(st->error)) == -1)
		goto out;
	if (cfg->smtp_user[0] != '\0' &&
	    read_password(cfg->smtp_password_file, password,
	    sizeof(password), st->error, sizeof(st->error)) == -1)
		goto out;
	clock_iso(clock_now(db), now);
	if ((e = outbox_due(db, now, retry, SENDER_BATCH, &rows, &n)) !=
	    DB_OK) {
		snprintf(st->error, sizeof(st->error), "outbox: %s",
		    db->errmsg);
		goto out;
	}
	for (i = 0; i < n; i++) {
		clock_iso(clock_now(db), now);
		clock_iso(clock_now(db) + SENDER_LEASE_SECONDS, lease);
		e = outbox_claim(db, rows[i].id, now, retry, lease);
		if (e == DB_NOT_FOUND) {
			st->skipped++;
			continue;
		}
		if (e != DB_OK || (e = work(db, cfg, r, &c, password,
		    &rows[i], st)) != DB_OK) {
			snprintf(st->error, sizeof(st->error), "outbox %lld: "
			    "%s: %s", (long long)rows[i].id, db_strerror(e),
			    db->errmsg);
			goto out;
		}
	}
	rc = 0;
out:
	conn_close(&c);
	explicit_bzero(password, sizeof(password));
	outbox_rows_free(rows, n);
	return rc;
}
