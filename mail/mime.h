/*
 * Raw email bytes to a struct message (mail/message.h): headers, the
 * text, every attachment, with no network and no database.  The same
 * code serves aim-maild (in its sandboxed child) and "aimctl mail
 * inspect".
 *
 * Bounded by lib/limits.h: LIM_MAIL_BYTES, LIM_HEADER_BYTES,
 * LIM_MIME_DEPTH, LIM_MIME_PARTS, LIM_ATTACHMENT_BYTES and
 * LIM_MAIL_TEXT_BYTES.  Before libetpan sees the body, a linear scan
 * of the MIME structure refuses nesting past LIM_MIME_DEPTH and more
 * than LIM_MIME_PARTS parts (libetpan takes time proportional to
 * depth times size: 10,000 nested multiparts would take minutes).  A
 * message past any limit is still returned, with its headers and
 * whatever fitted, truncated set and the limit named in problem.
 *
 * What the message fields hold, beyond message.h:
 * - auto_submitted: the Auto-Submitted header; when there is none,
 *   what else marks the mail as sent by a machine, in its words:
 *   "auto-replied (X-Autoreply)", "auto-replied (X-Autorespond)",
 *   "auto-generated (Precedence: bulk)" (junk, list), "auto-generated
 *   (List-Id)".  An empty Return-Path ("<>", bounces and RFC 3834
 *   responders) gives "auto-generated (Return-Path: <>)" whatever else
 *   is there.  mail/classify.c reads these.
 * - auth_results: every Authentication-Results header, top (newest)
 *   first, one per line, so the caller can pick its own MTA's by
 *   authserv-id.
 * - delivered_to: the first Delivered-To, else X-Original-To, as an
 *   address in lower case.
 * - in_reply_to, references: the header as one line ("<a@b> <c@d>").
 * - is_dsn: a multipart/report (of any report-type: delivery status
 *   or read receipt) or a message/delivery-status part, outside
 *   forwarded messages.
 * - text: the text/plain parts of the message in order (a
 *   multipart/alternative gives its plain part), else its first HTML
 *   part as text; then each forwarded message (message/rfc822) after
 *   a "---------- Forwarded message ----------" block naming its From,
 *   Date and Subject.  Lines end in "\n".
 * - att: every other part, in order, including those inside forwarded
 *   messages; a winmail.dat that reads is replaced by its files.
 *   Names are never NULL ("" when the part has none); types are lower
 *   case.
 */
#ifndef AIM_MIME_H
#define AIM_MIME_H

#include <stddef.h>

#include "message.h"

/* Returns the message, or NULL (message in err) when out of memory. */
struct message	*mime_parse(const char *raw, size_t len, char *err,
		    size_t errsz);

#endif
