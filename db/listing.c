/*
 * License lists: one prepared statement for a page and one for the
 * count, whatever the filters (a NULL parameter turns a filter off).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "lib/limits.h"
#include "listing.h"

/* A number prefix as licnum_normalize writes numbers: upper case,
 * spaces and dashes dropped.  Returns 0, 1 if empty, or -1 if it can
 * match no number. */
static int
number_prefix(const char *in, char out[LICNUM_LEN + 1])
{
	size_t	 i, n = 0;
	char	 c;

	out[0] = '\0';
	for (i = 0; in[i] != '\0'; i++) {
		if (i >= LIM_FIELD_BYTES)
			return -1;
		c = in[i];
		if (c == ' ' || c == '-')
			continue;
		if (c >= 'a' && c <= 'z')
			c = c - 'a' + 'A';
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) ||
		    n == LICNUM_LEN)
			return -1;
		out[n++] = c;
	}
	out[n] = '\0';
	return n == 0;
}

/* A date filter as YYYY-MM-DD (MM/DD/YYYY accepted too); -1 if bad. */
static int
date_filter(const char *in, char out[11])
{
	int	 d;

	out[0] = '\0';
	if (strnlen(in, 11) > 10 || date_parse(in, &d) == -1)
		return -1;
	date_format(d, out);
	return 0;
}

/* Like db_col_copy, but a text too long is cut at a character
 * boundary, never inside a UTF-8 sequence. */
static void
copy_text(sqlite3_stmt *st, int i, char *out, size_t sz)
{
	const unsigned char	*s = sqlite3_column_text(st, i);
	size_t			 n;

	n = s == NULL ? 0 : strlen((const char *)s);
	if (n >= sz) {
		n = sz - 1;
		while (n > 0 && (s[n] & 0xc0) == 0x80)
			n--;
	}
	if (n > 0)
		memcpy(out, s, n);
	out[n] = '\0';
}

static const char *
given(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

/* Binds ?1-?7, the filters.  Returns 0, 1 if nothing can match, -1 if
 * a date is not one. */
static int
bind_filters(struct db *db, sqlite3_stmt *st, const struct listing_query *q)
{
	char	 num[LICNUM_LEN + 1], from[11], to[11];
	int	 rc;

	db_bind_int(st, 1, q->account_id);
	if (given(q->number) != NULL) {
		if ((rc = number_prefix(q->number, num)) == -1)
			return 1;
		if (rc == 0)
			db_bind_text(st, 2, num);
	}
	/* instr() is given the text as typed: no wildcards to escape. */
	if (given(q->importer) != NULL) {
		if (strnlen(q->importer, LIM_FIELD_BYTES + 1) >
		    LIM_FIELD_BYTES)
			return 1;
		db_bind_text(st, 3, q->importer);
	}
	db_bind_text(st, 4, given(q->status));
	db_bind_text(st, 5, given(q->product));
	if (given(q->from) != NULL) {
		if (date_filter(q->from, from) == -1)
			goto bad;
		db_bind_text(st, 6, from);
	}
	if (given(q->to) != NULL) {
		if (date_filter(q->to, to) == -1)
			goto bad;
		db_bind_text(st, 7, to);
	}
	return 0;
bad:
	snprintf(db->errmsg, sizeof(db->errmsg), "listing: a date filter "
	    "is not YYYY-MM-DD");
	return -1;
}

/* The count of a bound statement; bound is what its binder returned
 * (1: nothing can match, so 0; -1: a bad filter). */
static enum db_err
count(struct db *db, sqlite3_stmt *st, int bound, size_t *total)
{
	int		 rc;
	enum db_err	 e = DB_OK;

	*total = 0;
	if (bound != 0) {
		e = bound == 1 ? DB_OK : DB_ERROR;
		goto out;
	}
	if ((rc = db_step(db, st)) != SQLITE_ROW) {
		e = db_error(db, rc == SQLITE_DONE ? SQLITE_ERROR : rc);
		goto out;
	}
	*total = (size_t)sqlite3_column_int64(st, 0);
out:
	if (st != NULL)
		sqlite3_reset(st);
	return e;
}

/* The columns a filer's and a staff page share, in this order. */
static void
read_row(sqlite3_stmt *st, struct listing_row *r)
{
	db_col_copy(st, 0, r->number, sizeof(r->number));
	db_col_copy(st, 1, r->product, sizeof(r->product));
	db_col_copy(st, 2, r->license_type, sizeof(r->license_type));
	db_col_copy(st, 3, r->status, sizeof(r->status));
	db_col_copy(st, 4, r->entry_type, sizeof(r->entry_type));
	copy_text(st, 5, r->importer_name, sizeof(r->importer_name));
	copy_text(st, 6, r->country_of_origin,
	    sizeof(r->country_of_origin));
	db_col_copy(st, 7, r->expected_import_date,
	    sizeof(r->expected_import_date));
	db_col_copy(st, 8, r->valid_from, sizeof(r->valid_from));
	db_col_copy(st, 9, r->valid_through, sizeof(r->valid_through));
	r->version = sqlite3_column_int(st, 10);
	r->nlines = sqlite3_column_int(st, 11);
	r->value_cents = sqlite3_column_int64(st, 12);
	db_col_copy(st, 13, r->channel, sizeof(r->channel));
}

static void
row_fill(sqlite3_stmt *st, void *p)
{
	read_row(st, p);
}

/* The rows per page asked for, at most a page. */
static size_t
page_limit(size_t limit)
{
	return limit > LIM_PAGE_ROWS ? LIM_PAGE_ROWS : limit;
}

enum db_err
listing_query(struct db *db, const struct listing_query *q,
    struct listing_row **rowsp, size_t *np, size_t *totalp)
{
	sqlite3_stmt	*st;
	void		*v;
	size_t		 limit = page_limit(q->limit);
	enum db_err	 e;

	*rowsp = NULL;
	*np = 0;
	st = db_stmt(db, ST_LISTING_COUNT);
	if ((e = count(db, st, bind_filters(db, st, q), totalp)) != DB_OK ||
	    limit == 0 || q->offset >= *totalp)
		return e;
	st = db_stmt(db, ST_LISTING_PAGE);
	if (bind_filters(db, st, q) != 0) {
		*totalp = 0;
		return DB_ERROR;
	}
	db_bind_int(st, 8, (long long)limit);
	db_bind_int(st, 9, (long long)q->offset);
	if ((e = db_rows_or_none(db, st, sizeof(**rowsp), limit, row_fill,
	    NULL, &v, np)) != DB_OK)
		*totalp = 0;
	*rowsp = v;
	return e;
}

/* An HTS prefix as stored: digits only, dots dropped.  Returns 0, 1 if
 * empty, -1 if it can match no code. */
static int
hts_prefix(const char *in, char out[11])
{
	size_t	 i, n = 0;

	out[0] = '\0';
	for (i = 0; in[i] != '\0'; i++) {
		if (i >= LIM_FIELD_BYTES)
			return -1;
		if (in[i] == '.' || in[i] == ' ')
			continue;
		if (in[i] < '0' || in[i] > '9' || n == 10)
			return -1;
		out[n++] = in[i];
	}
	out[n] = '\0';
	return n == 0;
}

/* A text filter: bound as typed, or 1 if too long to match. */
static int
bind_text_filter(sqlite3_stmt *st, int i, const char *s)
{
	if (given(s) == NULL)
		return 0;
	if (strnlen(s, LIM_FIELD_BYTES + 1) > LIM_FIELD_BYTES)
		return 1;
	db_bind_text(st, i, s);
	return 0;
}

/* Binds ?1-?14 of ST_LISTING_STAFF_*.  Returns 0, 1 if nothing can
 * match, -1 if a date is not one. */
static int
bind_staff(struct db *db, sqlite3_stmt *st,
    const struct listing_staff_query *q)
{
	const char	*dates[4] = { q->from, q->to, q->import_from,
			    q->import_to };
	char		 num[LICNUM_LEN + 1], hts[11], d[4][11];
	int		 i, rc;

	if (given(q->number) != NULL) {
		if ((rc = number_prefix(q->number, num)) == -1)
			return 1;
		if (rc == 0)
			db_bind_text(st, 1, num);
	}
	if (bind_text_filter(st, 2, q->company) ||
	    bind_text_filter(st, 3, q->importer) ||
	    bind_text_filter(st, 4, q->exporter) ||
	    bind_text_filter(st, 6, q->country))
		return 1;
	if (given(q->hts) != NULL) {
		if ((rc = hts_prefix(q->hts, hts)) == -1)
			return 1;
		if (rc == 0)
			db_bind_text(st, 5, hts);
	}
	for (i = 0; i < 4; i++) {
		if (given(dates[i]) == NULL)
			continue;
		if (date_filter(dates[i], d[i]) == -1) {
			snprintf(db->errmsg, sizeof(db->errmsg), "listing: a "
			    "date filter is not YYYY-MM-DD");
			return -1;
		}
		db_bind_text(st, 7 + i, d[i]);
	}
	if (bind_text_filter(st, 11, q->status) ||
	    bind_text_filter(st, 12, q->channel) ||
	    bind_text_filter(st, 13, q->product))
		return 1;
	if (q->account_id > 0)
		db_bind_int(st, 14, q->account_id);
	return 0;
}

static void
staff_row_fill(sqlite3_stmt *st, void *p)
{
	struct listing_staff_row	*s = p;

	read_row(st, &s->l);
	s->account_id = sqlite3_column_int64(st, 14);
	copy_text(st, 15, s->company_name, sizeof(s->company_name));
	copy_text(st, 16, s->exporter_name, sizeof(s->exporter_name));
}

enum db_err
listing_staff_query(struct db *db, const struct listing_staff_query *q,
    struct listing_staff_row **rowsp, size_t *np, size_t *totalp)
{
	sqlite3_stmt	*st;
	void		*v;
	size_t		 limit = page_limit(q->limit);
	enum db_err	 e;

	*rowsp = NULL;
	*np = 0;
	st = db_stmt(db, ST_LISTING_STAFF_COUNT);
	if ((e = count(db, st, bind_staff(db, st, q), totalp)) != DB_OK ||
	    limit == 0 || q->offset >= *totalp)
		return e;
	st = db_stmt(db, ST_LISTING_STAFF_PAGE);
	if (bind_staff(db, st, q) != 0) {
		*totalp = 0;
		return DB_ERROR;
	}
	db_bind_int(st, 15, (long long)limit);
	db_bind_int(st, 16, (long long)q->offset);
	if ((e = db_rows_or_none(db, st, sizeof(**rowsp), limit,
	    staff_row_fill, NULL, &v, np)) != DB_OK)
		*totalp = 0;
	*rowsp = v;
	return e;
}
