/*
 * Every input limit of the system, in one place.  A reader that meets
 * input past one of these refuses it with a message naming the limit;
 * nothing is truncated silently.
 */
#ifndef AIM_LIMITS_H
#define AIM_LIMITS_H

/* Characters in one text field of a form (importer name, port, ...). */
#define LIM_FIELD_CHARS		200
/* Bytes in one field value as read, before the character count is
 * checked: 4 bytes per UTF-8 character at most, so 200 chars fit. */
#define LIM_FIELD_BYTES		(LIM_FIELD_CHARS * 4)
/* Product lines on one license; far above any real entry summary. */
#define LIM_LINES		999
/* Bytes of one JSON or XML form file or request body. */
#define LIM_FORM_BYTES		(1024 * 1024)
/* Nesting depth of a JSON or XML form (a form needs 4). */
#define LIM_FORM_DEPTH		16
/* Distinct keys or elements in one object: blocks hash-flood input. */
#define LIM_FORM_KEYS		64
/* Problems reported for one form; past this one "too many" entry. */
#define LIM_REPORT_ITEMS	200
/* Bytes of a CSV data file compiled into the program (HTS tables). */
#define LIM_DATA_CSV_BYTES	(4 * 1024 * 1024)
/* Fields in one CSV record. */
#define LIM_CSV_FIELDS		64
/* Bytes of one password (DOMAIN.md: 8-64 characters). */
#define LIM_PASSWORD_BYTES	256
/* Bytes of an email address (RFC 5321 path limit). */
#define LIM_EMAIL_BYTES		254
/* Days ahead of the application date an import may be expected. */
#define LIM_IMPORT_AHEAD_DAYS	60
/* Days a standard license stays valid from issue. */
#define LIM_VALID_DAYS		75
/* Largest customs value accepted on one line, in US dollars. */
#define LIM_VALUE_USD_MAX	1000000000000LL
/* Largest net weight accepted on one line, in kilograms. */
#define LIM_KG_MAX		1000000000000LL
/* Low value license: largest combined customs value of an entry,
 * in cents ($5,000.00). */
#define LIM_LOW_VALUE_CENTS	500000
/* Concurrent argon2id hashes in one process (19 MiB each). */
#define LIM_ARGON2_CONCURRENT	2

/* Bytes of a web or API request body (nginx refuses larger first). */
#define LIM_BODY_BYTES		LIM_FORM_BYTES
/* Name=value pairs in a query string or urlencoded body: 999 lines of
 * 7 fields plus the header fit. */
#define LIM_PARAMS		8192
/* Bytes of the Cookie header we read. */
#define LIM_COOKIE_BYTES	4096
/* Bytes of one response page or JSON document. */
#define LIM_RESPONSE_BYTES	(16 * 1024 * 1024)
/* Licenses on one page of a list. */
#define LIM_PAGE_ROWS		200

#endif
