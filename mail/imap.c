/*
 * aim-maild's IMAP client on libetpan's mailimap.  libetpan verifies
 * neither the certificate nor the host name, so the certificate's
 * SHA-256 is compared with the configured pin before the password is
 * sent.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
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

#include "lib/hex.h"
#include "imap.h"

const char *const imap_tls_names[IMAP_TLS__MAX] = {
	[IMAP_TLS_STARTTLS] = "starttls",
	[IMAP_TLS_IMAPS] = "imaps",
	[IMAP_TLS_NONE] = "none",
};

static const char *const errs[IMAP__MAX] = {
	[IMAP_OK] = "ok",
	[IMAP_CONNECT] = "cannot connect",
	[IMAP_HANDSHAKE] = "TLS failed",
	[IMAP_PIN] = "server certificate does not match the pin",
	[IMAP_PLAIN] = "no TLS or no pin to a host that is not loopback",
	[IMAP_LOGIN] = "login refused",
	[IMAP_CAPA] = "server has neither MOVE nor UIDPLUS",
	[IMAP_NO] = "server refused the command",
	[IMAP_STREAM] = "connection lost",
	[IMAP_TOO_BIG] = "message too large",
	[IMAP_GONE] = "no such message",
	[IMAP_NOMEM] = "out of memory",
};

/* Bytes of one line read while idling ("* 12 EXISTS"). */
#define IDLE_LINE_MAX	1024

struct imap {
	mailimap	*s;
	int		 has_move;
	int		 has_uidplus;
	int		 has_idle;
	int		 broken;	/* no LOGOUT on a dead connection */
	char		 err[512];
};

const char *
imap_strerror(enum imap_err e)
{
	return (unsigned)e < IMAP__MAX ? errs[e] : "unknown";
}

const char *
imap_error(const struct imap *im)
{
	return im->err;
}

int
imap_tls_parse(const char *s, enum imap_tls *t)
{
	int	 i;

	for (i = 0; s != NULL && i < IMAP_TLS__MAX; i++)
		if (strcasecmp(s, imap_tls_names[i]) == 0) {
			*t = (enum imap_tls)i;
			return 0;
		}
	return -1;
}

int
imap_pin_parse(const char *s, unsigned char out[32])
{
	size_t	 n = 0;
	int	 hi, lo;

	if (s == NULL)
		return -1;
	while (*s != '\0') {
		if (*s == ':' && n > 0) {
			s++;
			continue;
		}
		if (n == 32 || (hi = hex_digit((unsigned char)s[0])) < 0 ||
		    (lo = hex_digit((unsigned char)s[1])) < 0)
			return -1;
		out[n++] = (unsigned char)(hi << 4 | lo);
		s += 2;
	}
	return n == 32 ? 0 : -1;
}

static int
addr_loopback(const struct sockaddr *sa)
{
	const struct sockaddr_in	*in4;
	const struct sockaddr_in6	*in6;

	switch (sa->sa_family) {
	case AF_INET:
		in4 = (const struct sockaddr_in *)(const void *)sa;
		return (ntohl(in4->sin_addr.s_addr) >> 24) == 127;
	case AF_INET6:
		in6 = (const struct sockaddr_in6 *)(const void *)sa;
		if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr))
			return 1;
		return IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) &&
		    in6->sin6_addr.s6_addr[12] == 127;
	default:
		return 0;
	}
}

int
imap_host_loopback(const char *host)
{
	struct addrinfo	 hints, *res, *ai;
	int		 ok = 1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (host == NULL || getaddrinfo(host, NULL, &hints, &res) != 0)
		return 0;
	for (ai = res; ai != NULL; ai = ai->ai_next)
		if (!addr_loopback(ai->ai_addr))
			ok = 0;
	freeaddrinfo(res);
	return ok;
}

/* Whether the session's peer is a loopback address. */
static int
peer_loopback(mailimap *s)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl = sizeof(ss);
	int			 fd;

	fd = mailstream_low_get_fd(mailstream_get_low(s->imap_stream));
	if (fd < 0 || getpeername(fd, (struct sockaddr *)&ss, &sl) == -1)
		return 0;
	return addr_loopback((struct sockaddr *)&ss);
}

/* libetpan's error to ours: a broken stream means reconnecting. */
static enum imap_err
map(struct imap *im, int r, const char *what)
{
	enum imap_err	 e;

	switch (r) {
	case MAILIMAP_NO_ERROR:
	case MAILIMAP_NO_ERROR_AUTHENTICATED:
	case MAILIMAP_NO_ERROR_NON_AUTHENTICATED:
		return IMAP_OK;
	case MAILIMAP_ERROR_STREAM:
	case MAILIMAP_ERROR_PARSE:
	case MAILIMAP_ERROR_FATAL:
	case MAILIMAP_ERROR_PROTOCOL:
	case MAILIMAP_ERROR_BAD_STATE:
		im->broken = 1;
		e = IMAP_STREAM;
		break;
	case MAILIMAP_ERROR_MEMORY:
		e = IMAP_NOMEM;
		break;
	case MAILIMAP_ERROR_LOGIN:
		e = IMAP_LOGIN;
		break;
	default:
		e = IMAP_NO;
		break;
	}
	snprintf(im->err, sizeof(im->err), "%s: %s (libetpan %d)", what,
	    errs[e], r);
	return e;
}

static enum imap_err
check_pin(struct imap *im, const char *pin)
{
	unsigned char	*der = NULL, want[32], got[EVP_MAX_MD_SIZE];
	unsigned int	 gotlen = 0;
	ssize_t		 n;
	size_t		 i;
	char		 hex[65];
	enum imap_err	 e = IMAP_PIN;

	if (imap_pin_parse(pin, want) == -1) {
		snprintf(im->err, sizeof(im->err), "the pin is not 64 hex "
		    "digits");
		return IMAP_PIN;
	}
	if ((n = mailstream_ssl_get_certificate(im->s->imap_stream,
	    &der)) <= 0 || der == NULL) {
		snprintf(im->err, sizeof(im->err), "%s: the server sent no "
		    "certificate", errs[IMAP_PIN]);
		goto out;
	}
	if (EVP_Digest(der, (size_t)n, got, &gotlen, EVP_sha256(), NULL) !=
	    1 || gotlen != 32) {
		snprintf(im->err, sizeof(im->err), "%s: no SHA-256",
		    errs[IMAP_PIN]);
		goto out;
	}
	if (CRYPTO_memcmp(got, want, 32) != 0) {
		for (i = 0; i < 32; i++)
			snprintf(hex + 2 * i, 3, "%02x", got[i]);
		snprintf(im->err, sizeof(im->err), "%s: it is %s", errs[e],
		    hex);
		goto out;
	}
	e = IMAP_OK;
out:
	free(der);
	return e;
}

static void
capabilities(struct imap *im)
{
	im->has_move = mailimap_has_extension(im->s, "MOVE");
	im->has_uidplus = mailimap_has_extension(im->s, "UIDPLUS");
	im->has_idle = mailimap_has_idle(im->s);
}

enum imap_err
imap_open(const struct imap_conf *c, struct imap **out, char *err,
    size_t errsz)
{
	struct mailimap_capability_data	*cap = NULL;
	struct imap			*im;
	int				 r, pinned;
	enum imap_err			 e;

	*out = NULL;
	if ((im = calloc(1, sizeof(*im))) == NULL ||
	    (im->s = mailimap_new(0, NULL)) == NULL) {
		free(im);
		snprintf(err, errsz, "%s", errs[IMAP_NOMEM]);
		return IMAP_NOMEM;
	}
	mailimap_set_timeout(im->s, c->timeout > 0 ? c->timeout : 60);
	pinned = c->pin != NULL && *c->pin != '\0';

	if (c->tls == IMAP_TLS_IMAPS)
		r = mailimap_ssl_connect(im->s, c->host, (uint16_t)c->port);
	else
		r = mailimap_socket_connect(im->s, c->host,
		    (uint16_t)c->port);
	if (r != MAILIMAP_NO_ERROR && r != MAILIMAP_NO_ERROR_AUTHENTICATED &&
	    r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED) {
		e = c->tls == IMAP_TLS_IMAPS && r == MAILIMAP_ERROR_SSL ?
		    IMAP_HANDSHAKE : IMAP_CONNECT;
		im->broken = 1;
		snprintf(im->err, sizeof(im->err), "%s %s:%d (libetpan %d)",
		    errs[e], c->host, c->port, r);
		goto fail;
	}
	/* The password goes to loopback only, unless TLS with a pin. */
	if (!peer_loopback(im->s) && (c->tls == IMAP_TLS_NONE || !pinned)) {
		e = IMAP_PLAIN;
		snprintf(im->err, sizeof(im->err), "%s: %s", c->host,
		    errs[e]);
		goto fail;
	}
	if (c->tls == IMAP_TLS_STARTTLS &&
	    (r = mailimap_socket_starttls(im->s)) != MAILIMAP_NO_ERROR) {
		e = IMAP_HANDSHAKE;
		im->broken = 1;
		snprintf(im->err, sizeof(im->err), "STARTTLS: %s (libetpan "
		    "%d)", errs[e], r);
		goto fail;
	}
	if (c->tls != IMAP_TLS_NONE && pinned &&
	    (e = check_pin(im, c->pin)) != IMAP_OK)
		goto fail;
	if ((e = map(im, mailimap_login(im->s, c->user, c->password),
	    "LOGIN")) != IMAP_OK)
		goto fail;
	/* MOVE and UIDPLUS are announced only to a logged-in client. */
	if ((e = map(im, mailimap_capability(im->s, &cap), "CAPABILITY")) !=
	    IMAP_OK)
		goto fail;
	mailimap_capability_data_free(cap);
	capabilities(im);
	if (!im->has_move && !im->has_uidplus) {
		e = IMAP_CAPA;
		snprintf(im->err, sizeof(im->err), "%s", errs[e]);
		goto fail;
	}
	*out = im;
	return IMAP_OK;
fail:
	snprintf(err, errsz, "%s", im->err);
	imap_close(im);
	return e;
}

void
imap_close(struct imap *im)
{
	if (im == NULL)
		return;
	if (!im->broken && im->s->imap_state != MAILIMAP_STATE_DISCONNECTED) {
		/* Short: a server that stopped answering is not waited. */
		mailimap_set_timeout(im->s, 5);
		mailimap_logout(im->s);
	}
	mailimap_free(im->s);
	free(im);
}

enum imap_err
imap_ensure(struct imap *im, const char *mailbox)
{
	clist		*list = NULL;
	enum imap_err	 e;
	int		 found;

	if ((e = map(im, mailimap_list(im->s, "", mailbox, &list),
	    "LIST")) != IMAP_OK)
		return e;
	found = list != NULL && clist_count(list) > 0;
	if (list != NULL)
		mailimap_list_result_free(list);
	if (found)
		return IMAP_OK;
	return map(im, mailimap_create(im->s, mailbox), "CREATE");
}

enum imap_err
imap_select(struct imap *im, const char *mailbox, uint32_t *uidvalidity)
{
	enum imap_err	 e;

	if ((e = map(im, mailimap_select(im->s, mailbox), "SELECT")) !=
	    IMAP_OK)
		return e;
	*uidvalidity = im->s->imap_selection_info != NULL ?
	    im->s->imap_selection_info->sel_uidvalidity : 0;
	return IMAP_OK;
}

static int
uidcmp(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

enum imap_err
imap_search(struct imap *im, uint32_t **uidsp, size_t *np)
{
	struct mailimap_search_key	*key;
	clist				*res = NULL;
	clistiter			*it;
	uint32_t			*uids = NULL;
	size_t				 n = 0;
	enum imap_err			 e;

	*uidsp = NULL;
	*np = 0;
	if ((key = mailimap_search_key_new_all()) == NULL)
		return IMAP_NOMEM;
	e = map(im, mailimap_uid_search(im->s, NULL, key, &res),
	    "UID SEARCH");
	mailimap_search_key_free(key);
	if (e != IMAP_OK)
		return e;
	if (res != NULL && clist_count(res) > 0) {
		if ((uids = calloc((size_t)clist_count(res),
		    sizeof(*uids))) == NULL) {
			mailimap_search_result_free(res);
			return IMAP_NOMEM;
		}
		for (it = clist_begin(res); it != NULL; it = clist_next(it))
			uids[n++] = *(uint32_t *)clist_content(it);
		qsort(uids, n, sizeof(*uids), uidcmp);
	}
	if (res != NULL)
		mailimap_search_result_free(res);
	*uidsp = uids;
	*np = n;
	return IMAP_OK;
}

/* The static items of the answer for uid: size and body. */
static int
items(clist *list, uint32_t uid, size_t *size, const char **body,
    size_t *blen)
{
	struct mailimap_msg_att		*ma;
	struct mailimap_msg_att_item	*item;
	struct mailimap_msg_att_static	*st;
	clistiter			*i, *j;
	uint32_t			 got;
	size_t				 sz;
	const char			*b;
	size_t				 bl;
	int				 has_size, has_body;

	for (i = clist_begin(list); i != NULL; i = clist_next(i)) {
		ma = clist_content(i);
		got = 0;
		sz = bl = 0;
		b = NULL;
		has_size = has_body = 0;
		for (j = clist_begin(ma->att_list); j != NULL;
		    j = clist_next(j)) {
			item = clist_content(j);
			if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
				continue;
			st = item->att_data.att_static;
			switch (st->att_type) {
			case MAILIMAP_MSG_ATT_UID:
				got = st->att_data.att_uid;
				break;
			case MAILIMAP_MSG_ATT_RFC822_SIZE:
				sz = st->att_data.att_rfc822_size;
				has_size = 1;
				break;
			case MAILIMAP_MSG_ATT_BODY_SECTION:
				b = st->att_data.att_body_section->
				    sec_body_part;
				bl = st->att_data.att_body_section->sec_length;
				has_body = 1;
				break;
			default:
				break;
			}
		}
		/* Other messages' flag updates may come along. */
		if (got != uid)
			continue;
		if (has_size)
			*size = sz;
		if (has_body) {
			*body = b != NULL ? b : "";
			*blen = b != NULL ? bl : 0;
		}
		return 1;
	}
	return 0;
}

/* The set of n ascending UIDs, runs of consecutive ones as ranges. */
static struct mailimap_set *
uid_set(const uint32_t *uids, size_t n)
{
	struct mailimap_set	*set;
	size_t			 i, j;

	if (n == 0 || n > IMAP_SET_MAX ||
	    (set = mailimap_set_new_empty()) == NULL)
		return NULL;
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && uids[j] == uids[j - 1] + 1; j++)
			;
		if (mailimap_set_add_interval(set, uids[i], uids[j - 1]) !=
		    MAILIMAP_NO_ERROR) {
			mailimap_set_free(set);
			return NULL;
		}
	}
	return set;
}

/* UID FETCH of att (taken) and UID for the set (taken). */
static enum imap_err
fetch_set(struct imap *im, struct mailimap_set *set,
    struct mailimap_fetch_att *att, clist **listp)
{
	struct mailimap_fetch_type	*ft;
	struct mailimap_fetch_att	*ua;
	enum imap_err			 e;

	*listp = NULL;
	ft = mailimap_fetch_type_new_fetch_att_list_empty();
	ua = mailimap_fetch_att_new_uid();
	if (ft == NULL || ua == NULL || set == NULL || att == NULL ||
	    mailimap_fetch_type_new_fetch_att_list_add(ft, ua) != 0) {
		if (ua != NULL)
			mailimap_fetch_att_free(ua);
		e = IMAP_NOMEM;
		goto out;
	}
	ua = NULL;
	if (mailimap_fetch_type_new_fetch_att_list_add(ft, att) != 0) {
		e = IMAP_NOMEM;
		goto out;
	}
	att = NULL;
	e = map(im, mailimap_uid_fetch(im->s, set, ft, listp), "UID FETCH");
out:
	if (att != NULL)
		mailimap_fetch_att_free(att);
	if (ft != NULL)
		mailimap_fetch_type_free(ft);
	if (set != NULL)
		mailimap_set_free(set);
	return e;
}

static enum imap_err
fetch(struct imap *im, uint32_t uid, struct mailimap_fetch_att *att,
    clist **listp)
{
	struct mailimap_set	*set;

	if ((set = mailimap_set_new_single(uid)) == NULL) {
		*listp = NULL;
		if (att != NULL)
			mailimap_fetch_att_free(att);
		return IMAP_NOMEM;
	}
	return fetch_set(im, set, att, listp);
}

enum imap_err
imap_fetch(struct imap *im, uint32_t uid, size_t max, int partial,
    struct imap_msg *msg)
{
	struct mailimap_section	*sec;
	struct mailimap_fetch_att *att;
	clist			*list = NULL;
	const char		*body = NULL;
	size_t			 size = 0, blen = 0;
	enum imap_err		 e;

	memset(msg, 0, sizeof(*msg));
	msg->uid = uid;
	if ((e = fetch(im, uid, mailimap_fetch_att_new_rfc822_size(),
	    &list)) != IMAP_OK)
		return e;
	if (!items(list, uid, &size, &body, &blen)) {
		mailimap_fetch_list_free(list);
		snprintf(im->err, sizeof(im->err), "UID %u: %s", uid,
		    errs[IMAP_GONE]);
		return IMAP_GONE;
	}
	mailimap_fetch_list_free(list);
	list = NULL;
	msg->size = size;
	if (size > max && !partial) {
		snprintf(im->err, sizeof(im->err), "UID %u: %s (%zu bytes)",
		    uid, errs[IMAP_TOO_BIG], size);
		return IMAP_TOO_BIG;
	}
	if ((sec = mailimap_section_new(NULL)) == NULL)
		return IMAP_NOMEM;
	/* PEEK: the server's \Seen flag is never our state. */
	att = partial ? mailimap_fetch_att_new_body_peek_section_partial(sec,
	    0, (uint32_t)(max > UINT32_MAX ? UINT32_MAX : max)) :
	    mailimap_fetch_att_new_body_peek_section(sec);
	if (att == NULL) {
		mailimap_section_free(sec);
		return IMAP_NOMEM;
	}
	if ((e = fetch(im, uid, att, &list)) != IMAP_OK)
		return e;
	body = NULL;
	if (!items(list, uid, &size, &body, &blen) || body == NULL) {
		mailimap_fetch_list_free(list);
		snprintf(im->err, sizeof(im->err), "UID %u: %s", uid,
		    errs[IMAP_GONE]);
		return IMAP_GONE;
	}
	/* The server sent more than it said: not taken. */
	if (blen > max) {
		mailimap_fetch_list_free(list);
		snprintf(im->err, sizeof(im->err), "UID %u: %s (%zu bytes "
		    "sent)", uid, errs[IMAP_TOO_BIG], blen);
		return IMAP_TOO_BIG;
	}
	msg->raw = body;
	msg->len = blen;
	msg->priv = list;
	return IMAP_OK;
}

void
imap_msg_free(struct imap_msg *msg)
{
	if (msg->priv != NULL)
		mailimap_fetch_list_free(msg->priv);
	memset(msg, 0, sizeof(*msg));
}

/* UID MOVE of the set (taken). */
static enum imap_err
move_set(struct imap *im, struct mailimap_set *set, const char *mailbox)
{
	struct mailimap_flag_list	*fl;
	struct mailimap_store_att_flags	*sa;
	enum imap_err			 e;

	if (set == NULL)
		return IMAP_NOMEM;
	if (im->has_move) {
		e = map(im, mailimap_uid_move(im->s, set, mailbox),
		    "UID MOVE");
		goto out;
	}
	/* RFC 6851's fallback, UID EXPUNGE touching only this message. */
	if ((e = map(im, mailimap_uid_copy(im->s, set, mailbox),
	    "UID COPY")) != IMAP_OK)
		goto out;
	if ((fl = mailimap_flag_list_new_empty()) == NULL) {
		e = IMAP_NOMEM;
		goto out;
	}
	if (mailimap_flag_list_add(fl, mailimap_flag_new_deleted()) != 0 ||
	    (sa = mailimap_store_att_flags_new_add_flags_silent(fl)) ==
	    NULL) {
		mailimap_flag_list_free(fl);
		e = IMAP_NOMEM;
		goto out;
	}
	e = map(im, mailimap_uid_store(im->s, set, sa), "UID STORE");
	mailimap_store_att_flags_free(sa);
	if (e == IMAP_OK)
		e = map(im, mailimap_uid_expunge(im->s, set), "UID EXPUNGE");
out:
	mailimap_set_free(set);
	return e;
}

enum imap_err
imap_move(struct imap *im, uint32_t uid, const char *mailbox)
{
	return move_set(im, mailimap_set_new_single(uid), mailbox);
}

enum imap_err
imap_move_set(struct imap *im, const uint32_t *uids, size_t n,
    const char *mailbox)
{
	if (n == 0)
		return IMAP_OK;
	return move_set(im, uid_set(uids, n), mailbox);
}

/* The index of uid in the n ascending uids, or n. */
static size_t
uid_index(const uint32_t *uids, size_t n, uint32_t uid)
{
	size_t	 lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (uids[mid] == uid)
			return mid;
		if (uids[mid] < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return n;
}

/* Each answer of a FETCH list, as items() reads one: its UID, size
 * and body.  Returns 0 at the end. */
static int
next_answer(clistiter **it, uint32_t *uid, size_t *size, const char **body,
    size_t *blen)
{
	struct mailimap_msg_att		*ma;
	struct mailimap_msg_att_item	*item;
	struct mailimap_msg_att_static	*st;
	clistiter			*j;

	for (; *it != NULL; *it = clist_next(*it)) {
		ma = clist_content(*it);
		*uid = 0;
		*size = IMAP_SIZE_GONE;
		*body = NULL;
		*blen = 0;
		for (j = clist_begin(ma->att_list); j != NULL;
		    j = clist_next(j)) {
			item = clist_content(j);
			if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
				continue;
			st = item->att_data.att_static;
			if (st->att_type == MAILIMAP_MSG_ATT_UID)
				*uid = st->att_data.att_uid;
			else if (st->att_type == MAILIMAP_MSG_ATT_RFC822_SIZE)
				*size = st->att_data.att_rfc822_size;
			else if (st->att_type ==
			    MAILIMAP_MSG_ATT_BODY_SECTION) {
				*body = st->att_data.att_body_section->
				    sec_body_part;
				*blen = st->att_data.att_body_section->
				    sec_length;
				if (*body == NULL) {
					*body = "";
					*blen = 0;
				}
			}
		}
		*it = clist_next(*it);
		if (*uid != 0)
			return 1;
	}
	return 0;
}

enum imap_err
imap_sizes(struct imap *im, const uint32_t *uids, size_t n, size_t *sizes)
{
	clist		*list = NULL;
	clistiter	*it;
	const char	*body;
	size_t		 i, size, blen;
	uint32_t	 uid;
	enum imap_err	 e;

	for (i = 0; i < n; i++)
		sizes[i] = IMAP_SIZE_GONE;
	if (n == 0)
		return IMAP_OK;
	if ((e = fetch_set(im, uid_set(uids, n),
	    mailimap_fetch_att_new_rfc822_size(), &list)) != IMAP_OK)
		return e;
	/* Other messages' flag updates may come along: matched by UID. */
	it = clist_begin(list);
	while (next_answer(&it, &uid, &size, &body, &blen))
		if ((i = uid_index(uids, n, uid)) < n)
			sizes[i] = size;
	mailimap_fetch_list_free(list);
	return IMAP_OK;
}

enum imap_err
imap_fetch_set(struct imap *im, const uint32_t *uids, size_t n,
    struct imap_batch *b)
{
	struct mailimap_section	*sec;
	struct mailimap_fetch_att *att;
	clist			*list = NULL;
	clistiter		*it;
	const char		*body;
	size_t			 i, size, blen;
	uint32_t		 uid;
	enum imap_err		 e;

	memset(b, 0, sizeof(*b));
	if (n == 0)
		return IMAP_OK;
	if ((b->msgs = calloc(n, sizeof(*b->msgs))) == NULL)
		return IMAP_NOMEM;
	b->n = n;
	for (i = 0; i < n; i++)
		b->msgs[i].uid = uids[i];
	if ((sec = mailimap_section_new(NULL)) == NULL) {
		imap_batch_free(b);
		return IMAP_NOMEM;
	}
	/* PEEK: the server's \Seen flag is never our state. */
	if ((att = mailimap_fetch_att_new_body_peek_section(sec)) == NULL) {
		mailimap_section_free(sec);
		imap_batch_free(b);
		return IMAP_NOMEM;
	}
	if ((e = fetch_set(im, uid_set(uids, n), att, &list)) != IMAP_OK) {
		imap_batch_free(b);
		return e;
	}
	b->priv = list;
	it = clist_begin(list);
	while (next_answer(&it, &uid, &size, &body, &blen))
		if (body != NULL && (i = uid_index(uids, n, uid)) < n) {
			b->msgs[i].raw = body;
			b->msgs[i].len = blen;
			b->msgs[i].size = blen;
		}
	return IMAP_OK;
}

void
imap_batch_free(struct imap_batch *b)
{
	if (b->priv != NULL)
		mailimap_fetch_list_free(b->priv);
	free(b->msgs);
	memset(b, 0, sizeof(*b));
}

enum imap_err
imap_fetch_range(struct imap *im, uint32_t uid, size_t offset, size_t len,
    struct imap_msg *msg)
{
	struct mailimap_section	*sec;
	struct mailimap_fetch_att *att;
	clist			*list = NULL;
	const char		*body = NULL;
	size_t			 size = 0, blen = 0;
	enum imap_err		 e;

	memset(msg, 0, sizeof(*msg));
	msg->uid = uid;
	if (offset > UINT32_MAX || len == 0 || len > UINT32_MAX)
		return IMAP_TOO_BIG;
	if ((sec = mailimap_section_new(NULL)) == NULL)
		return IMAP_NOMEM;
	if ((att = mailimap_fetch_att_new_body_peek_section_partial(sec,
	    (uint32_t)offset, (uint32_t)len)) == NULL) {
		mailimap_section_free(sec);
		return IMAP_NOMEM;
	}
	if ((e = fetch(im, uid, att, &list)) != IMAP_OK)
		return e;
	if (!items(list, uid, &size, &body, &blen) || body == NULL) {
		mailimap_fetch_list_free(list);
		snprintf(im->err, sizeof(im->err), "UID %u: %s", uid,
		    errs[IMAP_GONE]);
		return IMAP_GONE;
	}
	if (blen > len) {
		mailimap_fetch_list_free(list);
		snprintf(im->err, sizeof(im->err), "UID %u: %s (%zu bytes "
		    "sent for %zu)", uid, errs[IMAP_TOO_BIG], blen, len);
		return IMAP_TOO_BIG;
	}
	msg->raw = body;
	msg->len = blen;
	msg->priv = list;
	return IMAP_OK;
}

static long long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Whether an untagged line while idling says new mail: "* N EXISTS". */
static int
is_exists(const char *line)
{
	const char	*p = line;

	if (p[0] != '*' || p[1] != ' ')
		return 0;
	p += 2;
	if (!isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p))
		p++;
	return strncasecmp(p, " EXISTS", 7) == 0;
}

static int
is_bye(const char *line)
{
	return strncasecmp(line, "* BYE", 5) == 0;
}

/* Waits on the connection's socket (or only the clock when fd < 0). */
static int
wait_fd(int fd, long long deadline, volatile sig_atomic_t *stop)
{
	struct pollfd	 pfd;
	long long	 left;
	int		 r;

	for (;;) {
		if (stop != NULL && *stop)
			return 0;
		if ((left = deadline - now_ms()) <= 0)
			return 0;
		if (fd < 0) {
			/* No IDLE: a signal ends the sleep. */
			poll(NULL, 0, left > 1000 ? 1000 : (int)left);
			continue;
		}
		pfd.fd = fd;
		pfd.events = POLLIN;
		if ((r = poll(&pfd, 1, left > 60000 ? 60000 : (int)left)) ==
		    -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r > 0)
			return 1;
	}
}

enum imap_err
imap_idle(struct imap *im, int seconds, volatile sig_atomic_t *stop,
    int *woke)
{
	MMAPString	*line = NULL;
	mailstream	*ms = im->s->imap_stream;
	const char	*l;
	long long	 deadline = now_ms() + (long long)seconds * 1000;
	enum imap_err	 e = IMAP_OK;
	int		 r;

	*woke = 0;
	if (!im->has_idle) {
		wait_fd(-1, deadline, stop);
		return map(im, mailimap_noop(im->s), "NOOP");
	}
	if ((line = mmap_string_new("")) == NULL)
		return IMAP_NOMEM;
	if ((e = map(im, mailimap_idle(im->s), "IDLE")) != IMAP_OK)
		goto out;
	/* An EXISTS read along with the continuation. */
	if (im->s->imap_selection_info != NULL &&
	    im->s->imap_selection_info->sel_has_exists)
		*woke = 1;
	while (!*woke) {
		/* Lines may already sit in libetpan's buffer. */
		if (ms->read_buffer_len == 0 &&
		    (r = wait_fd(mailimap_idle_get_fd(im->s), deadline,
		    stop)) <= 0) {
			if (r == -1) {
				im->broken = 1;
				e = IMAP_STREAM;
				snprintf(im->err, sizeof(im->err), "IDLE: %s",
				    strerror(errno));
				goto out;
			}
			break;
		}
		if ((l = mailstream_read_line_remove_eol(ms, line)) == NULL) {
			im->broken = 1;
			e = IMAP_STREAM;
			snprintf(im->err, sizeof(im->err), "IDLE: %s",
			    errs[e]);
			goto out;
		}
		if (strlen(l) > IDLE_LINE_MAX || is_bye(l)) {
			im->broken = 1;
			e = IMAP_STREAM;
			snprintf(im->err, sizeof(im->err), "IDLE: the server "
			    "said: %.200s", l);
			goto out;
		}
		if (is_exists(l)) {
			*woke = 1;
			break;
		}
		/* "* OK Still here", EXPUNGE, FETCH: idle on. */
	}
	e = map(im, mailimap_idle_done(im->s), "DONE");
out:
	mmap_string_free(line);
	return e;
}
