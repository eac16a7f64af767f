/*
 * The gateway's writer process and the workers' side of it (see
 * writer.h).  Messages are framed by a 4-byte length; each worker has at
 * most one request out, so the writer reads a whole frame once poll()
 * says it has begun.
 */
#include <sys/prctl.h>
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/limits.h"
#include "lib/log.h"
#include "forms/rules.h"
#include "db/batch.h"
#include "db/db.h"
#include "req.h"
#include "wire.h"
#include "writer.h"

/* Workers the writer serves at once: the configured maximum, plus room
 * for those restarted before the writer saw the old ones close. */
#define CONNS_MAX	256
/* A frame already begun must finish in this time. */
#define FRAME_SECONDS	5

static int
write_all(int fd, const void *p, size_t n)
{
	const char	*c = p;
	ssize_t		 w;

	while (n > 0) {
		if ((w = send(fd, c, n, MSG_NOSIGNAL)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/* What recv_frame asks of its first read: a submit or an answer
 * whole, as a rule. */
#define FRAME_READ	(16 * 1024)

/* b begins with room for the length (frame_start). */
static int
send_frame(int fd, struct buf *b)
{
	uint32_t	 n = (uint32_t)(b->len - sizeof(n));

	memcpy(b->p, &n, sizeof(n));
	return write_all(fd, b->p, b->len);
}

/* Empties b and leaves room for the frame's length. */
static void
frame_start(struct buf *b)
{
	uint32_t	 n = 0;

	buf_reset(b);
	buf_add(b, &n, sizeof(n));
}

/* A frame into *bufp (grown as needed, NUL-terminated); its length, or
 * -1 on EOF, an error or a bad length.  One frame at most is ever on
 * its way on a connection (each side waits for the other's answer), so
 * one read takes a whole small frame, length and all. */
static ssize_t
recv_frame(int fd, char **bufp, size_t *capp)
{
	uint32_t	 n = 0;
	size_t		 got = 0, want = sizeof(n), room;
	ssize_t		 r;
	char		*p;

	if (*capp < FRAME_READ) {
		if ((p = realloc(*bufp, FRAME_READ)) == NULL)
			return -1;
		*bufp = p;
		*capp = FRAME_READ;
	}
	while (got < want) {
		/* Until the length is known, as much as the buffer holds
		 * (keeping a byte for the NUL); then what is left of it. */
		room = (n == 0 ? *capp - 1 : want) - got;
		if ((r = read(fd, *bufp + got, room)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			return -1;
		got += (size_t)r;
		if (n == 0 && got >= sizeof(n)) {
			memcpy(&n, *bufp, sizeof(n));
			if (n == 0 || n > LIM_WIRE_BYTES)
				return -1;
			want = sizeof(n) + n;
			if (got > want)
				return -1;
			if (*capp < want + 1) {
				if ((p = realloc(*bufp, want + 1)) == NULL)
					return -1;
				*bufp = p;
				*capp = want + 1;
			}
		}
	}
	memmove(*bufp, *bufp + sizeof(n), n);
	(*bufp)[n] = '\0';
	return n;
}

int
writer_give(int ctl, int fd)
{
	struct msghdr	 m;
	struct cmsghdr	*c;
	struct iovec	 iov;
	char		 byte = 'w';
	union {
		struct cmsghdr	 h;
		char		 b[CMSG_SPACE(sizeof(int))];
	}		 u;

	memset(&m, 0, sizeof(m));
	memset(&u, 0, sizeof(u));
	iov.iov_base = &byte;
	iov.iov_len = 1;
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = u.b;
	m.msg_controllen = sizeof(u.b);
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	while (sendmsg(ctl, &m, MSG_NOSIGNAL) == -1)
		if (errno != EINTR)
			return -1;
	return 0;
}

/* A worker's socket from the master: the fd, 0 for none, -1 at EOF. */
static int
take(int ctl)
{
	struct msghdr	 m;
	struct cmsghdr	*c;
	struct iovec	 iov;
	char		 byte;
	int		 fd = 0;
	ssize_t		 r;
	union {
		struct cmsghdr	 h;
		char		 b[CMSG_SPACE(sizeof(int))];
	}		 u;

	memset(&m, 0, sizeof(m));
	iov.iov_base = &byte;
	iov.iov_len = 1;
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = u.b;
	m.msg_controllen = sizeof(u.b);
	if ((r = recvmsg(ctl, &m, MSG_CMSG_CLOEXEC)) == -1)
		return errno == EINTR ? 0 : -1;
	if (r == 0)
		return -1;
	for (c = CMSG_FIRSTHDR(&m); c != NULL; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/*
 * The WAL is copied back into the database by a thread of its own, on
 * its own connection, once it holds this many pages (SQLite's automatic
 * checkpoint would do it in the writer, between batches, while every
 * worker waits).  Not more: after a full disk is freed, the log and
 * the database growing by its pages must fit in the space freed, or
 * the log can never be reset (4,000 pages did not, in
 * tests/fault/diskfull.test.sh).
 */
#define CHECKPOINT_PAGES	1000
/*
 * The writer's page cache: the tails of every table and index it
 * appends to, and the upper levels of the random-keyed ones, stay in
 * memory across batches (with SQLite's 2 MB, a large registry read
 * pages back every batch).
 */
#define WRITER_CACHE_KIB	(64 * 1024)

static struct {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	int		 due;
	const char	*path;
} ckpt = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, NULL };

static void
wal_grew(void *arg, int pages)
{
	(void)arg;
	if (pages < CHECKPOINT_PAGES)
		return;
	pthread_mutex_lock(&ckpt.mu);
	ckpt.due = 1;
	pthread_cond_signal(&ckpt.cv);
	pthread_mutex_unlock(&ckpt.mu);
}

static void *
checkpointer(void *arg)
{
	struct db	*db = arg;

	for (;;) {
		pthread_mutex_lock(&ckpt.mu);
		while (!ckpt.due)
			pthread_cond_wait(&ckpt.cv, &ckpt.mu);
		ckpt.due = 0;
		pthread_mutex_unlock(&ckpt.mu);
		if (db_checkpoint(db) != DB_OK)
			log_msg(LOG_LVL_WARNING, "writer: checkpoint: %s",
			    db->errmsg);
	}
	return NULL;
}

/* One license of a batch. */
struct item {
	int			 conn;		/* index into conns */
	struct wire_submit	 w;
	struct reg_result	 res;
};

/* Stores a batch (reg_submit_group) and answers each worker; dead[i]
 * when item i's worker could not be told. */
static void
commit_batch(struct db *db, struct item *it, size_t n, const int *conns,
    int *dead)
{
	struct reg_group_item	 g[LIM_GROUP_COMMIT];
	struct buf		 b;
	size_t			 i;

	for (i = 0; i < n; i++) {
		g[i].actor = &it[i].w.actor;
		g[i].lic = it[i].w.lic;
		g[i].app_date = it[i].w.app;
		g[i].res = &it[i].res;
	}
	reg_submit_group(db, g, n);
	for (i = 0; i < n; i++)
		if (g[i].e == REG_DB) {
			log_msg(LOG_LVL_ERR, "writer: a batch of %zu: %s", n,
			    db->errmsg);
			break;
		}
	buf_init(&b, LIM_WIRE_BYTES);
	for (i = 0; i < n; i++) {
		frame_start(&b);
		if (wire_put_result(&b, g[i].e, &it[i].res) == -1 ||
		    send_frame(conns[it[i].conn], &b) == -1)
			dead[i] = 1;
	}
	buf_free(&b);
}

void
writer_main(const struct config *cfg, int ctl)
{
	struct pollfd	 pfd[CONNS_MAX + 1];
	struct item	 it[LIM_GROUP_COMMIT];
	struct db	*db, *cdb;
	pthread_t	 tid;
	struct timeval	 tv = { FRAME_SECONDS, 0 };
	sigset_t	 all;
	char		 err[512], *in = NULL;
	int		 conns[CONNS_MAX], gone[CONNS_MAX],
			 dead[LIM_GROUP_COMMIT], fd;
	size_t		 incap = 0, nconns = 0, n, i, k, start = 0;
	ssize_t		 len;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* So operators (and tests) can tell it from the workers. */
	prctl(PR_SET_NAME, "aim-writer");
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	if ((db = db_open(cfg->db_path, 0, err, sizeof(err))) == NULL)
		log_fatal("writer: %s", err);
	if (db_migrate(db) != DB_OK)
		log_fatal("writer: %s: %s", cfg->db_path, db->errmsg);
	snprintf(db->mail_domain, sizeof(db->mail_domain), "%s",
	    cfg->mail_domain);
	if (db_cache_size(db, WRITER_CACHE_KIB) != DB_OK)
		log_msg(LOG_LVL_WARNING, "writer: cache: %s", db->errmsg);
	/* Without the thread, SQLite checkpoints as it always does. */
	if ((cdb = db_open(cfg->db_path, 0, err, sizeof(err))) == NULL ||
	    pthread_create(&tid, NULL, checkpointer, cdb) != 0)
		log_msg(LOG_LVL_WARNING, "writer: no checkpoint thread");
	else
		db_wal_watch(db, wal_grew, NULL);
	for (;;) {
		pfd[0].fd = ctl;
		pfd[0].events = POLLIN;
		for (i = 0; i < nconns; i++) {
			pfd[i + 1].fd = conns[i];
			pfd[i + 1].events = POLLIN;
			gone[i] = 0;
		}
		if (poll(pfd, nconns + 1, -1) == -1) {
			if (errno == EINTR)
				continue;
			log_fatal("writer: poll: %s", strerror(errno));
		}
		/*
		 * Everything that has arrived, up to a batch: taken round
		 * the connections from where the last batch stopped, so
		 * no worker waits behind others for long.  A connection
		 * that reads as closed is a worker that ended; a
		 * malformed frame is a bug, and ends that worker too.
		 */
		n = 0;
		for (k = 0; k < nconns && n < LIM_GROUP_COMMIT; k++) {
			i = (start + k) % nconns;
			if (pfd[i + 1].revents == 0)
				continue;
			if ((len = recv_frame(conns[i], &in, &incap)) == -1 ||
			    wire_get_submit(in, (size_t)len, &it[n].w) == -1) {
				gone[i] = 1;
				continue;
			}
			reg_result_init(&it[n].res);
			it[n].conn = (int)i;
			dead[n] = 0;
			n++;
		}
		if (nconns > 0)
			start = (start + k) % nconns;
		if (n > 0)
			commit_batch(db, it, n, conns, dead);
		for (i = 0; i < n; i++) {
			if (dead[i])
				gone[it[i].conn] = 1;
			wire_submit_free(&it[i].w);
			reg_result_free(&it[i].res);
		}
		for (i = nconns; i > 0; i--)
			if (gone[i - 1]) {
				close(conns[i - 1]);
				conns[i - 1] = conns[--nconns];
			}
		if (pfd[0].revents != 0) {
			if ((fd = take(ctl)) == -1)
				break;
			if (fd > 0 && nconns == CONNS_MAX) {
				log_msg(LOG_LVL_ERR, "writer: more than %d "
				    "workers; one files by itself", CONNS_MAX);
				close(fd);
			} else if (fd > 0) {
				setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
				    sizeof(tv));
				conns[nconns++] = fd;
			}
		}
	}
	free(in);
	for (i = 0; i < nconns; i++)
		close(conns[i]);
	db_close(db);
	exit(0);
}

/* The writer is gone: file by ourselves, and end after this request. */
static void
writer_lost(struct gw *gw)
{
	if (gw->wfd != -1)
		close(gw->wfd);
	gw->wfd = -1;
	gw->wrestart = 1;
}

enum reg_err
writer_submit(struct gw *gw, const struct actor *a, const struct form *f,
    int app, struct reg_result *res)
{
	struct license	*lic = NULL;
	struct buf	 b;
	char		*in = NULL;
	size_t		 incap = 0;
	ssize_t		 len;
	enum reg_err	 e;

	buf_init(&b, LIM_WIRE_BYTES);
	frame_start(&b);
	if (rules_check(f, app, &res->report, &lic) > 0) {
		e = REG_INVALID;
		goto out;
	}
	if (gw->wfd == -1 || wire_put_submit(&b, a, lic, app) == -1 ||
	    send_frame(gw->wfd, &b) == -1) {
		if (gw->wfd != -1 && !b.overflow)
			writer_lost(gw);
		e = reg_submit_checked(gw->db, a, lic, app, res);
		goto out;
	}
	if ((len = recv_frame(gw->wfd, &in, &incap)) == -1 ||
	    wire_get_result(in, (size_t)len, &e, res) == -1) {
		/* Sent but not answered: stored or not, we cannot say, and
		 * the filer must not be told "nothing was stored". */
		log_msg(LOG_LVL_ERR, "the writer did not answer a submit; "
		    "whether it was stored is not known");
		writer_lost(gw);
		res->number[0] = '\0';
		res->dberr = DB_IO;
		e = REG_UNSURE;
	}
out:
	free(in);
	buf_free(&b);
	license_free(lic);
	return e;
}
