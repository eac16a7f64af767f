/*
 * The multiple-license sheet as CSV.  Rows are counted as a spreadsheet
 * shows them, one per record (a quoted line break stays in its cell),
 * so the row numbers in a report match the filer's view of the file.
 */
#include <stdio.h>
#include <string.h>

#include "lib/limits.h"
#include "csv.h"
#include "csvread.h"

/* Cells up to this long are read and reported one by one as too
 * long; past it the file is refused (the reader cannot resume). */
#define CSV_CELL_MAX	(LIM_FIELD_BYTES * 4)

/* Whether the bytes are well-formed UTF-8 (no overlongs, surrogates or
 * code points past U+10FFFF). */
static int
utf8_ok(const unsigned char *p, size_t len)
{
	size_t		 i = 0, k, j;
	unsigned char	 lo, hi;

	while (i < len) {
		lo = 0x80;
		hi = 0xbf;
		if (p[i] < 0x80) {
			i++;
			continue;
		} else if (p[i] >= 0xc2 && p[i] <= 0xdf)
			k = 1;
		else if (p[i] >= 0xe0 && p[i] <= 0xef) {
			k = 2;
			if (p[i] == 0xe0)
				lo = 0xa0;
			else if (p[i] == 0xed)
				hi = 0x9f;
		} else if (p[i] >= 0xf0 && p[i] <= 0xf4) {
			k = 3;
			if (p[i] == 0xf0)
				lo = 0x90;
			else if (p[i] == 0xf4)
				hi = 0x8f;
		} else
			return 0;
		if (k >= len - i)
			return 0;	/* cut short by the end */
		if (p[i + 1] < lo || p[i + 1] > hi)
			return 0;
		for (j = 2; j <= k; j++)
			if ((p[i + j] & 0xc0) != 0x80)
				return 0;
		i += k + 1;
	}
	return 1;
}

int
csvread(const char *buf, size_t len, struct sheet *sh, char *err,
    size_t errsz)
{
	struct csv	 c;
	enum csv_err	 e;
	size_t		 row = 0, i;
	int		 rc = -1;

	if (len > LIM_XLSX_BYTES) {
		why_set(err, errsz, "the file is larger than %d bytes: split "
		    "it into several files", LIM_XLSX_BYTES);
		return -1;
	}
	if (len >= 2 && ((unsigned char)buf[0] == 0xff ||
	    (unsigned char)buf[0] == 0xfe) &&
	    ((unsigned char)buf[1] == 0xfe || (unsigned char)buf[1] == 0xff)) {
		why_set(err, errsz, "the CSV file is UTF-16: save it as \"CSV "
		    "UTF-8 (comma delimited)\"");
		return -1;
	}
	if (!utf8_ok((const unsigned char *)buf, len)) {
		why_set(err, errsz, "the CSV file is not UTF-8 text: save it "
		    "as \"CSV UTF-8 (comma delimited)\"");
		return -1;
	}
	csv_init(&c, buf, len, CSV_CELL_MAX);
	while ((e = csv_next(&c)) == CSV_OK) {
		row++;
		if (row == 1 && c.nfields == 1 && c.fields[0] != NULL &&
		    strchr(c.fields[0], ';') != NULL) {
			why_set(err, errsz, "the CSV file separates its "
			    "columns with semicolons: save it as \"CSV UTF-8 "
			    "(comma delimited)\"");
			goto out;
		}
		for (i = 0; i < c.nfields; i++)
			if (sheet_put(sh, row, i, c.fields[i],
			    strlen(c.fields[i]), err, errsz) == -1)
				goto out;
	}
	if (e != CSV_EOF) {
		why_set(err, errsz, "row %zu: %s", row + 1, e ==
		    CSV_FIELD_TOO_LONG ? "a value is far too long" :
		    csv_strerror(e));
		goto out;
	}
	rc = 0;
out:
	csv_free(&c);
	return rc;
}
