/*
 * bench-imapfetch: the raw IMAP limit for bench/mail: log in, select
 * INBOX and fetch every message with BODY.PEEK[] over one connection,
 * doing nothing with the bytes.  Plain IMAP to a loopback server.
 * usage: bench-imapfetch HOST PORT USER PASSWORD
 * Prints "messages N", "bytes N" and "seconds S".
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <libetpan/libetpan.h>

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char *argv[])
{
	mailimap			*imap;
	struct mailimap_set		*set;
	struct mailimap_fetch_type	*ft;
	struct mailimap_section		*sec;
	clist				*result = NULL;
	clistiter			*it, *ai;
	double				 t0;
	size_t				 bytes = 0, n = 0;

	if (argc != 5) {
		fprintf(stderr, "usage: bench-imapfetch HOST PORT USER PASS\n");
		return 2;
	}
	imap = mailimap_new(0, NULL);
	t0 = now();
	if (mailimap_socket_connect(imap, argv[1],
	    (uint16_t)strtol(argv[2], NULL, 10)) != MAILIMAP_NO_ERROR_NON_AUTHENTICATED ||
	    mailimap_login(imap, argv[3], argv[4]) != MAILIMAP_NO_ERROR ||
	    mailimap_select(imap, "INBOX") != MAILIMAP_NO_ERROR) {
		fprintf(stderr, "bench-imapfetch: cannot log in\n");
		return 1;
	}
	set = mailimap_set_new_interval(1, 0);
	sec = mailimap_section_new(NULL);
	ft = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_body_peek_section(sec));
	if (mailimap_uid_fetch(imap, set, ft, &result) != MAILIMAP_NO_ERROR) {
		fprintf(stderr, "bench-imapfetch: fetch failed\n");
		return 1;
	}
	for (it = clist_begin(result); it != NULL; it = clist_next(it)) {
		struct mailimap_msg_att *ma = clist_content(it);

		for (ai = clist_begin(ma->att_list); ai != NULL;
		    ai = clist_next(ai)) {
			struct mailimap_msg_att_item *item = clist_content(ai);

			if (item->att_type == MAILIMAP_MSG_ATT_ITEM_STATIC &&
			    item->att_data.att_static->att_type ==
			    MAILIMAP_MSG_ATT_BODY_SECTION)
				bytes += item->att_data.att_static->att_data.
				    att_body_section->sec_length;
		}
		n++;
	}
	printf("messages %zu\nbytes %zu\nseconds %.3f\n", n, bytes,
	    now() - t0);
	mailimap_fetch_list_free(result);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	mailimap_logout(imap);
	mailimap_free(imap);
	return 0;
}
