/*
 * Possible duplicates: the database narrows the licenses down to pairs
 * of one account with the same importer, as many lines and import
 * dates close together; forms/dupcheck.c decides on the lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "lib/limits.h"
#include "forms/dupcheck.h"
#include "clock.h"
#include "console.h"
#include "dupes.h"

/* Candidates read for one list: pairs the lines then rule out are
 * rare, as the query already matches importer, dates and line count. */
#define CANDIDATES_MAX	(4 * LIM_PAGE_ROWS)
/* A license may be requested this long before its import date, so a
 * partner of a recent license was issued at most this much earlier
 * than the window plus the days the import dates may differ. */
#define PARTNER_DAYS	(LIM_IMPORT_AHEAD_DAYS + DUP_IMPORT_DAYS)

/* A candidate as the query gives it. */
struct cand {
	struct dup_pair	 p;
	int		 version[2];
	char		*importer[2];
};

static void
pair_clear(struct dup_pair *p)
{
	free(p->company_name);
	free(p->importer_name);
	memset(p, 0, sizeof(*p));
}

void
dup_pairs_free(struct dup_pair *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		pair_clear(&v[i]);
	free(v);
}

static void
cand_clear(struct cand *c)
{
	pair_clear(&c->p);
	free(c->importer[0]);
	free(c->importer[1]);
	memset(c, 0, sizeof(*c));
}

static void
line_fill(sqlite3_stmt *st, void *v)
{
	struct license_line	*l = v;

	db_col_copy(st, 0, l->hts_code, sizeof(l->hts_code));
	l->value_cents = sqlite3_column_int64(st, 2);
	l->grams = sqlite3_column_int64(st, 3);
}

/* The current lines of a license: codes, values and weights only.
 * More than LIM_LINES is an error. */
static enum db_err
lines_of(struct db *db, int64_t id, int version, struct license_line **out,
    size_t *np)
{
	sqlite3_stmt	*st = db_stmt(db, ST_LINE_SELECT);
	void		*v;
	enum db_err	 e;

	db_bind_int(st, 1, id);
	db_bind_int(st, 2, version);
	e = db_rows_or_none(db, st, sizeof(**out), LIM_LINES + 1, line_fill,
	    NULL, &v, np);
	if (e == DB_OK && *np > LIM_LINES) {
		db_rows_free(v, *np, sizeof(**out), NULL);
		v = NULL;
		*np = 0;
		e = DB_ERROR;
	}
	*out = v;
	return e;
}

/* Whether the rule calls a candidate a possible duplicate: 1, 0, or -1
 * when the lines could not be read. */
static int
rule(struct db *db, struct cand *c)
{
	struct license_line	*la = NULL, *lb = NULL;
	size_t			 na = 0, nb = 0, i;
	int			 da, dd, same = -1;
	long long		 sum = 0;

	if (!dup_same_importer(c->importer[0], c->importer[1]) ||
	    date_parse(c->p.import_date[0], &da) == -1 ||
	    date_parse(c->p.import_date[1], &dd) == -1 ||
	    !dup_dates_close(da, dd))
		return 0;
	if (lines_of(db, c->p.id[0], c->version[0], &la, &na) != DB_OK ||
	    lines_of(db, c->p.id[1], c->version[1], &lb, &nb) != DB_OK)
		goto out;
	same = dup_same_lines(la, na, lb, nb);
	for (i = 0; i < na; i++)
		sum += la[i].value_cents;
	c->p.nlines = (int)na;
	c->p.value_cents = sum;
out:
	free(la);
	free(lb);
	return same;
}

enum db_err
dup_list(struct db *db, const char *since, struct dup_pair **out, size_t *np)
{
	sqlite3_stmt	*st;
	struct cand	*cs = NULL, *c;
	struct dup_pair	*v = NULL;
	char		 from[11], partner[11];
	size_t		 nc = 0, n = 0, i, k;
	int		 d, rc, ok;
	enum db_err	 e = DB_OK;

	*out = NULL;
	*np = 0;
	if (since == NULL || strnlen(since, 11) > 10 ||
	    date_parse(since, &d) == -1) {
		snprintf(db->errmsg, sizeof(db->errmsg), "duplicates: the "
		    "first day is not YYYY-MM-DD");
		return DB_ERROR;
	}
	date_format(d, from);
	date_format(d - PARTNER_DAYS, partner);
	if ((cs = calloc(CANDIDATES_MAX, sizeof(*cs))) == NULL)
		return DB_ERROR;
	st = db_stmt(db, ST_DUP_CANDIDATES);
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, partner);
	db_bind_int(st, 3, DUP_IMPORT_DAYS);
	db_bind_int(st, 4, CANDIDATES_MAX);
	while (nc < CANDIDATES_MAX && (rc = db_step(db, st)) == SQLITE_ROW) {
		c = &cs[nc++];
		/* The query gives the newer first; a pair is shown older
		 * first. */
		for (k = 0; k < 2; k++) {
			i = 1 - k;
			c->p.id[i] = sqlite3_column_int64(st, k * 6 + 0);
			db_col_copy(st, k * 6 + 1, c->p.number[i],
			    sizeof(c->p.number[i]));
			db_col_copy(st, k * 6 + 2, c->p.channel[i],
			    sizeof(c->p.channel[i]));
			db_col_copy(st, k * 6 + 3, c->p.import_date[i],
			    sizeof(c->p.import_date[i]));
			db_col_copy(st, k * 6 + 4, c->p.issued_on[i],
			    sizeof(c->p.issued_on[i]));
			c->version[i] = sqlite3_column_int(st, k * 6 + 5);
			c->importer[i] = db_col_strdup(st, 14 + k);
		}
		c->p.account_id = sqlite3_column_int64(st, 12);
		c->p.company_name = db_col_strdup(st, 13);
		c->p.importer_name = db_col_strdup(st, 14);
		db_col_copy(st, 16, c->p.state, sizeof(c->p.state));
		db_col_copy(st, 17, c->p.who, sizeof(c->p.who));
		db_col_copy(st, 18, c->p.at, sizeof(c->p.at));
	}
	if (st != NULL)
		sqlite3_reset(st);
	if (nc < CANDIDATES_MAX && rc != SQLITE_DONE) {
		e = db_error(db, rc);
		goto out;
	}
	if (nc > 0 && (v = calloc(nc < LIM_PAGE_ROWS ? nc : LIM_PAGE_ROWS,
	    sizeof(*v))) == NULL) {
		e = DB_ERROR;
		goto out;
	}
	for (i = 0; i < nc && n < LIM_PAGE_ROWS; i++) {
		if ((ok = rule(db, &cs[i])) == -1) {
			e = DB_ERROR;
			goto out;
		}
		if (!ok)
			continue;
		/* The pair moves over; the candidate keeps nothing. */
		v[n++] = cs[i].p;
		memset(&cs[i].p, 0, sizeof(cs[i].p));
	}
out:
	for (i = 0; i < nc; i++)
		cand_clear(&cs[i]);
	free(cs);
	if (e != DB_OK) {
		dup_pairs_free(v, n);
		return e;
	}
	if (n == 0) {
		free(v);
		v = NULL;
	}
	*out = v;
	*np = n;
	return DB_OK;
}

/*
 * Both licenses of a pair, older (smaller id) first; the caller holds
 * the transaction.
 */
static enum queue_err
pair_of(struct db *db, const char *a, const char *b, int64_t id[2],
    char num[2][LICNUM_LEN + 1])
{
	int64_t		 acc[2], t;
	char		 tn[LICNUM_LEN + 1];
	enum db_err	 e;

	if ((e = queue_license_of(db, a, num[0], &id[0], &acc[0])) != DB_OK ||
	    (e = queue_license_of(db, b, num[1], &id[1], &acc[1])) != DB_OK)
		return e == DB_NOT_FOUND ? QUEUE_NOT_FOUND : QUEUE_DB;
	if (acc[0] != acc[1])
		return QUEUE_NOT_FOUND;
	if (id[0] == id[1])
		return QUEUE_INVALID;
	if (id[0] > id[1]) {
		t = id[0];
		id[0] = id[1];
		id[1] = t;
		memcpy(tn, num[0], sizeof(tn));
		memcpy(num[0], num[1], sizeof(tn));
		memcpy(num[1], tn, sizeof(tn));
	}
	return QUEUE_OK;
}

static enum db_err
review(struct db *db, const struct staff *s, const int64_t id[2],
    const char *state, const char *note)
{
	sqlite3_stmt	*st;
	char		 now[CLOCK_ISO_LEN + 1];

	clock_iso(clock_now(db), now);
	st = db_stmt(db, ST_DUP_REVIEW_PUT);
	db_bind_int(st, 1, id[0]);
	db_bind_int(st, 2, id[1]);
	db_bind_text(st, 3, state);
	db_bind_text(st, 4, s->name);
	db_bind_text(st, 5, now);
	db_bind_text(st, 6, note);
	return db_exec_stmt(db, st);
}

enum queue_err
dup_dismiss(struct db *db, const struct staff *s, const char *a,
    const char *b, const char *note)
{
	int64_t		 id[2];
	char		 num[2][LICNUM_LEN + 1], detail[QUEUE_NOTE_MAX + 64];
	enum queue_err	 q;

	if (note != NULL && *note == '\0')
		note = NULL;
	if (note != NULL && strnlen(note, QUEUE_NOTE_MAX + 1) >
	    QUEUE_NOTE_MAX)
		return QUEUE_INVALID;
	if (!queue_staff_ok(db, s, "duplicates") || db_begin(db) != DB_OK)
		return QUEUE_DB;
	if ((q = pair_of(db, a, b, id, num)) != QUEUE_OK)
		goto fail;
	snprintf(detail, sizeof(detail), "%s and %s are not duplicates%s%s",
	    num[0], num[1], note != NULL ? ": " : "", note != NULL ? note :
	    "");
	q = QUEUE_DB;
	if (review(db, s, id, "dismissed", note) != DB_OK ||
	    queue_audit(db, s, "duplicate_dismiss", 0, id[1], detail) !=
	    DB_OK || db_commit(db) != DB_OK)
		goto fail;
	return QUEUE_OK;
fail:
	db_rollback(db);
	return q;
}

enum queue_err
dup_ask(struct db *db, const struct staff *s, const char *a, const char *b,
    const char *question)
{
	int64_t		 id[2];
	char		 num[2][LICNUM_LEN + 1], detail[96];
	enum queue_err	 q;

	if (!queue_staff_ok(db, s, "duplicates") || db_begin(db) != DB_OK)
		return QUEUE_DB;
	if ((q = pair_of(db, a, b, id, num)) != QUEUE_OK)
		goto fail;
	/* The question is about the newer license: usually the one filed
	 * twice. */
	if ((q = console_question(db, s, num[1], question, NULL)) !=
	    QUEUE_OK)
		goto fail;
	snprintf(detail, sizeof(detail), "asked the filer about %s and %s",
	    num[0], num[1]);
	q = QUEUE_DB;
	if (review(db, s, id, "asked", NULL) != DB_OK ||
	    queue_audit(db, s, "duplicate_ask", 0, id[1], detail) != DB_OK ||
	    db_commit(db) != DB_OK)
		goto fail;
	return QUEUE_OK;
fail:
	db_rollback(db);
	return q;
}
