/*
 * Reading an Excel .xlsx workbook: the first worksheet, cell by cell,
 * into a struct sheet.  No xlsx reader ships with Debian: the zip is
 * opened with libzip and each XML part streamed through libxml2's
 * reader, never held whole, with every size checked against
 * lib/limits.h before a byte is inflated.
 */
#ifndef AIM_XLSXREAD_H
#define AIM_XLSXREAD_H

#include <stddef.h>

#include "sheet.h"

/* Whether the bytes start like a zip archive (PK\3\4). */
int	 xlsxread_is_zip(const char *buf, size_t len);
/* What a file that is no zip is, by its first bytes ("a PNG image"),
 * for a message that helps; NULL if not known. */
const char *xlsxread_kind(const char *buf, size_t len);

/*
 * Reads the first worksheet of an .xlsx into sh (cells go through
 * sheet_put; the caller calls sheet_finish).  Shared and inline
 * strings, numbers, booleans, formulas by their cached value; numbers
 * in date columns are Excel serial dates and become YYYY-MM-DD.
 * Returns 0, or -1 with a message in err when the file is refused
 * (macros, not a workbook, too large, zip bomb) or damaged.
 */
int	 xlsxread(const char *buf, size_t len, struct sheet *sh, char *err,
	    size_t errsz);

/* An Excel serial day (1900 or 1904 system) as YYYY-MM-DD into
 * out[11].  Returns 0, or -1 if it is no date of years 1900-9999. */
int	 xlsxread_serial_date(double serial, int date1904, char out[11]);

#endif
