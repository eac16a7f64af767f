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
/* Bytes of a PDF form, which LIM_FORM_BYTES does not cover: viewers
 * embed fonts and filers paste screenshots, so filled forms run to
 * megabytes. */
#define LIM_PDF_BYTES		(20 * 1024 * 1024)
/* Field and widget dictionaries (and /Fields or /Kids entries) walked
 * in one PDF form; ours has about 200.  Bounds shared and cyclic
 * /Kids too. */
#define LIM_PDF_FIELDS		2000
/* Nesting of PDF fields through /Kids (line.N.FIELD needs 3). */
#define LIM_PDF_DEPTH		16
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

/* Bytes of an uploaded multiple-license spreadsheet, .xlsx or .csv: a
 * full sheet of LIM_SHEET_ROWS rows is about 2 MB as .xlsx, 6 MB as
 * .csv. */
#define LIM_XLSX_BYTES		(16 * 1024 * 1024)
/* Bytes the parts of an .xlsx we read may inflate to, together.  The
 * zip directory's sizes are checked before inflating and the bytes are
 * counted while inflating, so a zip bomb costs neither time nor memory
 * (a full sheet with inline strings is about 20 MB). */
#define LIM_XLSX_UNCOMPRESSED	(64 * 1024 * 1024)
/* Entries in an .xlsx archive; a workbook has 10 to 20. */
#define LIM_XLSX_ENTRIES	1000
/* Data rows (product lines) in one multiple-license sheet, past the
 * column names in row 1.  Empty rows are skipped and not counted. */
#define LIM_SHEET_ROWS		20000
/* Columns of a spreadsheet: the template has 20. */
#define LIM_SHEET_COLS		LIM_CSV_FIELDS
/* Strings in an .xlsx shared-string table: one per cell of a full
 * sheet of the template's 20 columns. */
#define LIM_SHARED_STRINGS	(LIM_SHEET_ROWS * 20)
/* Problems reported for one spreadsheet; past this one "too many". */
#define LIM_BATCH_ERRORS	1000

/* Bytes of one email as fetched (the raw message, headers and all):
 * the 25 MB attachment of the mail benchmark, base64-encoded, fits. */
#define LIM_MAIL_BYTES		(40 * 1024 * 1024)
/* Bytes of one header section (the message's or a MIME part's);
 * Postfix refuses more than 100 kB of headers by default. */
#define LIM_HEADER_BYTES	(256 * 1024)
/* Nesting of multiparts and forwarded messages in one email; mail
 * clients nest 3 or 4 deep, forwards of forwards a few more. */
#define LIM_MIME_DEPTH		20
/* MIME parts (multiparts, bodies, attachments, forwarded messages
 * and the files of a winmail.dat) read from one email. */
#define LIM_MIME_PARTS		500
/* Bytes of one decoded attachment: a PDF form (LIM_PDF_BYTES) with
 * room to spare; a larger one is left out and the email marked
 * as cut off. */
#define LIM_ATTACHMENT_BYTES	(30 * 1024 * 1024)
/* Bytes of the text of an email kept as UTF-8 (plain text, or HTML
 * turned into text): a reply or a question, never a document. */
#define LIM_MAIL_TEXT_BYTES	(1024 * 1024)

/* Bytes of a web or API request body (nginx refuses larger first). */
#define LIM_BODY_BYTES		LIM_FORM_BYTES
/* Bytes of a request body on the upload routes (/apply/multiple...
 * and POST /api/v1/licenses/batch): the largest sheet (LIM_XLSX_BYTES)
 * and 64 kB for the multipart framing and the form's other fields.
 * nginx refuses more first (etc/nginx.conf.in, 17m on those paths). */
#define LIM_UPLOAD_BYTES	(LIM_XLSX_BYTES + 64 * 1024)
/* Parts of one multipart/form-data body: the upload form has five. */
#define LIM_MULTIPART_PARTS	32
/* Bytes of the header section of one multipart part: browsers send
 * two short lines (Content-Disposition, Content-Type). */
#define LIM_MULTIPART_HEADER_BYTES	(8 * 1024)
/* Name=value pairs in a query string or urlencoded body: 999 lines of
 * 7 fields plus the header fit. */
#define LIM_PARAMS		8192
/* Bytes of the Cookie header we read. */
#define LIM_COOKIE_BYTES	4096
/* Bytes of one response page or JSON document. */
#define LIM_RESPONSE_BYTES	(16 * 1024 * 1024)
/* Licenses on one page of a list. */
#define LIM_PAGE_ROWS		200
/* Bytes of the page to return to after signing in ("next"): a longer
 * one is none of ours. */
#define LIM_NEXT_PATH_BYTES	512
/* Bytes of one message between a gateway worker and its writer: a
 * checked license of LIM_LINES lines with every text at its limit. */
#define LIM_WIRE_BYTES		(LIM_LINES * 6 * (LIM_FIELD_BYTES + 8) + \
				    64 * 1024)
/* Licenses the gateway's writer commits together at most: more wait
 * for the next commit, so one batch never holds the lock for long. */
#define LIM_GROUP_COMMIT	64

#endif
