/*
 * Queued email rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "outbox.h"

enum db_err
outbox_add(struct db *db, const char *template, const char *to,
    const char *cc, json_t *params, int64_t license_id, int64_t account_id,
    char *message_id, size_t idsz)
{
	sqlite3_stmt	*st;
	unsigned char	 rnd[12];
	char		 mid[160], *text = NULL;
	size_t		 i, n;
	enum db_err	 e = DB_ERROR;

	/* Random, so our Message-IDs reveal nothing and never collide. */
	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		goto out;
	n = snprintf(mid, sizeof(mid), "<");
	for (i = 0; i < sizeof(rnd); i++)
		n += snprintf(mid + n, sizeof(mid) - n, "%02x", rnd[i]);
	snprintf(mid + n, sizeof(mid) - n, ".%s@%s>", template,
	    db->mail_domain);
	if ((text = json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		goto out;
	st = db_stmt(db, ST_OUTBOX_INSERT);
	db_bind_text(st, 1, template);
	db_bind_text(st, 2, to);
	db_bind_text(st, 3, cc != NULL && *cc != '\0' ? cc : NULL);
	db_bind_text(st, 4, text);
	db_bind_text(st, 5, mid);
	if (license_id > 0)
		db_bind_int(st, 6, license_id);
	if (account_id > 0)
		db_bind_int(st, 7, account_id);
	if ((e = db_exec_stmt(db, st)) == DB_OK && message_id != NULL)
		snprintf(message_id, idsz, "%s", mid);
out:
	free(text);
	json_decref(params);
	return e;
}

enum db_err
outbox_list(struct db *db, const char *state, struct outbox_row **rowsp,
    size_t *np)
{
	sqlite3_stmt		*st = db_stmt(db, ST_OUTBOX_LIST);
	struct outbox_row	*rows = NULL, *p, *r;
	size_t			 n = 0;
	int			 rc;
	enum db_err		 e = DB_OK;

	db_bind_text(st, 1, state);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		if ((p = reallocarray(rows, n + 1, sizeof(*rows))) == NULL) {
			e = DB_ERROR;
			goto out;
		}
		rows = p;
		r = &rows[n++];
		memset(r, 0, sizeof(*r));
		r->id = sqlite3_column_int64(st, 0);
		db_col_copy(st, 1, r->created_at, sizeof(r->created_at));
		db_col_copy(st, 2, r->template, sizeof(r->template));
		r->to = db_col_strdup(st, 3);
		r->cc = db_col_strdup(st, 4);
		r->params = db_col_strdup(st, 5);
		db_col_copy(st, 6, r->message_id, sizeof(r->message_id));
		db_col_copy(st, 7, r->state, sizeof(r->state));
		r->attempts = sqlite3_column_int(st, 8);
	}
	if (rc != SQLITE_DONE)
		e = db_error(db, rc);
out:
	if (st != NULL)
		sqlite3_reset(st);
	if (e != DB_OK) {
		outbox_rows_free(rows, n);
		rows = NULL;
		n = 0;
	}
	*rowsp = rows;
	*np = n;
	return e;
}

void
outbox_rows_free(struct outbox_row *rows, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(rows[i].to);
		free(rows[i].cc);
		free(rows[i].params);
	}
	free(rows);
}
