/*
 * Reading the multiple-license sheet saved as CSV (the template's
 * columns, comma separated, UTF-8): forms/csv.c splits the records,
 * this feeds them to a struct sheet as the .xlsx reader does.
 */
#ifndef AIM_CSVREAD_H
#define AIM_CSVREAD_H

#include <stddef.h>

#include "sheet.h"

/*
 * Reads every record into sh (record 1 holds the column names; the
 * caller calls sheet_finish).  Returns 0, or -1 with a message in err
 * when the file cannot be read (not UTF-8, a broken quote, too large).
 */
int	 csvread(const char *buf, size_t len, struct sheet *sh, char *err,
	    size_t errsz);

#endif
