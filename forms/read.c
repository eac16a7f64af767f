/*
 * Picks a form reader by what the bytes begin with, never by a file
 * name: mail attachments and uploads name their files anything.
 */
#include <stdio.h>
#include <string.h>

#include "xml/xmlform.h"
#include "read.h"

enum form_format
form_sniff(const char *buf, size_t len)
{
	size_t	 i = 0;

	if (buf == NULL)
		return FORMAT_UNKNOWN;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' ||
	    buf[i] == '\r' || buf[i] == '\n'))
		i++;
	if (i == len)
		return FORMAT_UNKNOWN;
	/* The PDF header, as in "%PDF-1.7". */
	if (len - i >= 5 && memcmp(buf + i, "%PDF-", 5) == 0)
		return FORMAT_PDF;
	if (buf[i] == '{')
		return FORMAT_JSON;
	if (buf[i] == '<')
		return FORMAT_XML;
	return FORMAT_UNKNOWN;
}

struct form *
form_read(const char *buf, size_t len, struct report *rep, char *err,
    size_t errsz)
{
	switch (form_sniff(buf, len)) {
	case FORMAT_JSON:
		return jsonform_read(buf, len, rep, err, errsz);
	case FORMAT_XML:
		return xmlform_read(buf, len, rep, err, errsz);
	case FORMAT_PDF:
		return pdfform_read(buf, len, rep, err, errsz);
	default:
		break;
	}
	if (err != NULL && errsz > 0)
		snprintf(err, errsz, "unreadable form: expected a JSON object "
		    "or an XML <license> document");
	return NULL;
}
