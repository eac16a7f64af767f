/*
 * mail/: decode.c (charsets, RFC 2047, RFC 2231, HTML), mime.c (the
 * MIME walk and its limits, each tried on both sides), tnef.c
 * (winmail.dat), token.c (reply tokens) and classify.c (the classes,
 * in order, and the first line of a reply).  Messages are built here
 * or read from tests/mail/messages (generate.py there wrote them).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libetpan/libetpan.h>

#include "lib/utf8.h"
#include "lib/buf.h"
#include "lib/limits.h"
#include "lib/sha256.h"
#include "mail/classify.h"
#include "mail/decode.h"
#include "mail/mime.h"
#include "mail/tnef.h"
#include "mail/token.h"
#include "tests.h"

static const unsigned char key[32] = "0123456789abcdef0123456789abcdef";
static const char *const ouraddrs[] = {
	"aluminum.license@aim.test", "steel.license@aim.test",
	"noreply@aim.test",
};
#define TODAY	20500	/* 2026-02-17 */

static struct classify_conf
conf(void)
{
	struct classify_conf	 c;

	memset(&c, 0, sizeof(c));
	c.addresses = ouraddrs;
	c.naddresses = 3;
	c.msgid_domain = "aim.test";
	c.key = key;
	c.keylen = sizeof(key);
	c.today = TODAY;
	return c;
}

static char *
cs(const char *charset, const char *in)
{
	char	*s = decode_charset(charset, in, strlen(in), 4096, NULL, NULL);

	ck_assert_ptr_nonnull(s);
	ck_assert(utf8_valid(s, strlen(s)));
	return s;
}

#define ck_cs(charset, in, want) do {					\
	char *s_ = cs(charset, in);					\
	ck_assert_str_eq(s_, want);					\
	free(s_);							\
} while (0)

/* A message cut to its buffer loses the character cut short, and only
 * that (fuzz/regress/xml: libxml2's message, cut mid-character). */
START_TEST(utf8_cut_short)
{
	static const struct { const char *in, *out; } t[] = {
		{ "", "" },
		{ "abc", "abc" },
		{ "caf\xc3\xa9", "caf\xc3\xa9" },
		{ "caf\xc3", "caf" },
		{ "\xe2\xbc", "" },
		{ "x\xe2\xbc\xbc", "x\xe2\xbc\xbc" },
		{ "x\xf0\x9f\x98", "x" },
		{ "x\xf0\x9f\x98\x80", "x\xf0\x9f\x98\x80" },
		/* Not a cut: left as it is. */
		{ "x\x80", "x\x80" },
	};
	char	 buf[16];
	size_t	 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", t[i].in);
		utf8_trim_cut(buf);
		ck_assert_str_eq(buf, t[i].out);
	}
}
END_TEST

START_TEST(charsets)
{
	ck_cs("ISO-8859-1", "caf\xe9", "caf\xc3\xa9");
	ck_cs("\"iso-8859-1\"", "\x80", "\xe2\x82\xac");	/* as cp1252 */
	ck_cs("windows-1252", "\x93q\x94", "\xe2\x80\x9cq\xe2\x80\x9d");
	ck_cs("UTF-8", "\xe3\x81\x82", "\xe3\x81\x82");
	ck_cs("iso-2022-jp", "\x1b$B$9$_$^$;$s!#\x1b(B",
	    "\xe3\x81\x99\xe3\x81\xbf\xe3\x81\xbe\xe3\x81\x9b\xe3\x82\x93"
	    "\xe3\x80\x82");
	ck_cs("ks_c_5601-1987", "\xbd\xba\xc6\xbc", "\xec\x8a\xa4\xed\x8b\xb0");
	ck_cs("EUC-KR", "\xc7\xd1", "\xed\x95\x9c");
	ck_cs("Shift_JIS", "\x82\xa0", "\xe3\x81\x82");
	ck_cs("GB2312", "\xc4\xe3\xba\xc3", "\xe4\xbd\xa0\xe5\xa5\xbd");
	ck_cs("UTF-7", "+AKM-1", "\xc2\xa3" "1");
	ck_cs("KOI8-R", "\xf0\xd2\xc9", "\xd0\x9f\xd1\x80\xd0\xb8");
	/* Undeclared: UTF-8 when it is, else windows-1252. */
	ck_cs(NULL, "\xc3\xa9", "\xc3\xa9");
	ck_cs("us-ascii", "\xe9", "\xc3\xa9");
	/* Unknown charset: non-UTF-8 bytes become U+FFFD. */
	ck_cs("x-no-such-charset", "a\xe9z", "a\xef\xbf\xbdz");
	ck_cs("../../etc/passwd", "a\xe9", "a\xef\xbf\xbd");
	/* Invalid UTF-8, overlongs, surrogates and NUL never get out. */
	ck_cs("utf-8", "a\xff\xc0\xafz", "a\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbdz");
	ck_cs("utf-8", "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd");
	ck_cs("Shift_JIS", "\x82", "\xef\xbf\xbd");	/* cut short */
}
END_TEST

START_TEST(charset_nul_and_max)
{
	char	*s;
	size_t	 n;
	int	 cut = 0;

	s = decode_charset("utf-8", "a\0b", 3, 100, &n, &cut);
	ck_assert_str_eq(s, "a\xef\xbf\xbd" "b");
	ck_assert_uint_eq(n, 5);
	free(s);
	/* "é" is 2 bytes: 3 bytes fit "aé", 2 do not cut it in half. */
	s = decode_charset("iso-8859-1", "a\xe9", 2, 3, &n, &cut);
	ck_assert_str_eq(s, "a\xc3\xa9");
	ck_assert_int_eq(cut, 0);
	free(s);
	s = decode_charset("iso-8859-1", "a\xe9", 2, 2, &n, &cut);
	ck_assert_str_eq(s, "a");
	ck_assert_int_eq(cut, 1);
	free(s);
}
END_TEST

#define ck_hdr(in, want) do {						\
	char *s_ = decode_header(in, strlen(in));			\
	ck_assert_ptr_nonnull(s_);					\
	ck_assert_str_eq(s_, want);					\
	free(s_);							\
} while (0)

START_TEST(encoded_words)
{
	ck_hdr("=?ISO-8859-1?Q?Andr=E9?= Lef=?iso-8859-1?q?=E8?=vre",
	    "Andr\xc3\xa9 Lef\xc3\xa8vre");
	/* Blanks between words vanish; a character split across two
	 * words (UTF-8 "\xe3\x81\x82" = "44GC") survives. */
	ck_hdr("=?UTF-8?B?44G+44G/?= =?UTF-8?B?44KA?=",
	    "\xe3\x81\xbe\xe3\x81\xbf\xe3\x82\x80");
	ck_hdr("=?utf-8?b?4oI=?=\r\n =?utf-8?b?rA==?=", "\xe2\x82\xac");
	ck_hdr("=?UTF-8?Q?a_b?=", "a b");
	ck_hdr("=?utf-8*en?Q?hi?=", "hi");		/* RFC 2231 language */
	/* Not encoded words: left as they are. */
	ck_hdr("=?utf-8?X?abc?=", "=?utf-8?X?abc?=");
	ck_hdr("=?utf-8?Q?abc", "=?utf-8?Q?abc");
	ck_hdr("price =? 5", "price =? 5");
	/* Folding, tabs and controls make one line. */
	ck_hdr("  a\r\n\tb\x01  c  ", "a b c");
	/* Raw 8-bit: UTF-8 kept, else windows-1252. */
	ck_hdr("J\xc3\xb6hn", "J\xc3\xb6hn");
	ck_hdr("J\xf6hn", "J\xc3\xb6hn");
}
END_TEST

START_TEST(header_fallback_charset)
{
	char	*s = decode_header_cs("\x82\xa0", 2, "Shift_JIS");

	ck_assert_str_eq(s, "\xe3\x81\x82");
	free(s);
}
END_TEST

#define ck_param(v, name, want) do {					\
	char *s_ = decode_param(v, strlen(v), name);			\
	if ((want) == NULL)						\
		ck_assert_ptr_null(s_);					\
	else {								\
		ck_assert_ptr_nonnull(s_);				\
		ck_assert_str_eq(s_, (want) != NULL ? (want) : "");	\
	}								\
	free(s_);							\
} while (0)

START_TEST(parameters)
{
	const char	*none = NULL;

	ck_param("attachment; filename=\"a b.pdf\"", "filename", "a b.pdf");
	ck_param("attachment; filename=This is a test.txt", "filename",
	    "This is a test.txt");
	ck_param("text/plain; name==?utf-8?B?VGhpcyBpcyBhIHRlc3QucGRm?=",
	    "name", "This is a test.pdf");
	ck_param("a; filename=\"=?ISO-8859-1?Q?R=E9sum=E9.txt?=\"",
	    "filename", "R\xc3\xa9sum\xc3\xa9.txt");
	ck_param("a; filename*=ISO-8859-1''Eelanal%FC%FCsi%20p%E4ring.jpg",
	    "filename", "Eelanal\xc3\xbc\xc3\xbcsi p\xc3\xa4ring.jpg");
	/* Continuations, in any order, extended or not. */
	ck_param("a;\r\n filename*1*=%20M%C3%A4rz.xml; "
	    "filename*0*=UTF-8''Antrag%20f%C3%BCr; filename*2=\" (1)\"",
	    "filename", "Antrag f\xc3\xbcr M\xc3\xa4rz.xml (1)");
	/* RFC 2231 wins over the plain form Outlook also writes. */
	ck_param("a; filename=\"x.pdf\"; filename*=utf-8''%E2%82%AC.pdf",
	    "filename", "\xe2\x82\xac.pdf");
	/* A gap in the sections stops there. */
	ck_param("a; name*0=ab; name*2=cd", "name", "ab");
	ck_param("text/plain; charset=\"UTF-8\"", "charset", "UTF-8");
	ck_param("text/plain; format=flowed", "charset", none);
	ck_param("text/plain; xname=a", "name", none);
	ck_param("multipart/mixed; boundary=\"=_a;b\"; x=1", "boundary",
	    "=_a;b");
	ck_param("a; name*99999=x", "name", none);
}
END_TEST

START_TEST(ctype)
{
	char	*t;

	t = decode_ctype(" Text/PLAIN; charset=x", 22);
	ck_assert_str_eq(t, "text/plain");
	free(t);
	ck_assert_ptr_null(decode_ctype("text", 4));
	ck_assert_ptr_null(decode_ctype("/plain", 6));
	ck_assert_ptr_null(decode_ctype("a/b/c", 5));
	ck_assert_str_eq(decode_guess_type("FORM.PDF"), "application/pdf");
	ck_assert_str_eq(decode_guess_type("x"), "application/octet-stream");
}
END_TEST

START_TEST(html_text)
{
	const char	*h = "<html><head><title>T</title><style>p{}</style>"
	    "</head><body><script>x()</script><p>Hello &amp; "
	    "good&nbsp;day,</p><div>line<br>two</div><ul><li>one</li></ul>"
	    "<blockquote><p>quoted</p></blockquote>&lt;tag&gt;</body>"
	    "</html>";
	char		*s;
	size_t		 n;
	int		 cut = 0;

	s = decode_html(h, strlen(h), 4096, &n, &cut);
	ck_assert_str_eq(s, "Hello & good\xc2\xa0" "day,\n\nline\ntwo\n\n- one"
	    "\n\n> quoted\n\n<tag>");
	ck_assert_int_eq(cut, 0);
	free(s);
	s = decode_html(h, strlen(h), 8, &n, &cut);
	ck_assert_int_eq(cut, 1);
	ck_assert_uint_le(n, 8);
	free(s);
}
END_TEST

/* ---- messages ---- */

static struct message *
parse(const char *raw, size_t len)
{
	struct message	*m;
	char		 err[256];

	m = mime_parse(raw, len, err, sizeof(err));
	ck_assert_msg(m != NULL, "%s", err);
	return m;
}

static struct message *
parse_str(const char *raw)
{
	return parse(raw, strlen(raw));
}

static char *
slurp(const char *rel, size_t *len)
{
	char	 path[1024], *buf;
	FILE	*f;
	long	 n;

	snprintf(path, sizeof(path), "%s/tests/mail/%s", TEST_SRCDIR, rel);
	ck_assert_msg((f = fopen(path, "rb")) != NULL, "%s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	ck_assert_ptr_nonnull(buf = malloc((size_t)n + 1));
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

START_TEST(headers)
{
	struct message	*m;

	m = parse_str("From mbox line Mon Jan  1 00:00:00 2026\r\n"
	    "From: =?UTF-8?Q?J=C3=BCrgen?= <Juergen@Example.COM>\r\n"
	    "To: Aluminum <aluminum.license+abc@aim.test>\r\n"
	    "Delivered-To: Aluminum.License+xyz@aim.test\r\n"
	    "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n"
	    "Message-ID:\r\n <id-1@example.com>\r\n"
	    "In-Reply-To: <a@aim.test>\r\n"
	    "References: <b@aim.test>\r\n <a@aim.test>\r\n"
	    "Authentication-Results: mx.aim.test; dmarc=pass\r\n"
	    "Authentication-Results: evil.example; dmarc=fail\r\n"
	    "X-AIM-Loop: aim.test\r\n"
	    "\r\n"
	    "Body\r\n");
	ck_assert_str_eq(m->from, "juergen@example.com");
	ck_assert_str_eq(m->from_name, "J\xc3\xbcrgen");
	ck_assert_str_eq(m->delivered_to, "aluminum.license+xyz@aim.test");
	ck_assert_str_eq(m->subject, "Gr\xc3\xbc\xc3\x9f" "e");
	ck_assert_str_eq(m->message_id, "id-1@example.com");
	ck_assert_str_eq(m->references, "<b@aim.test> <a@aim.test>");
	ck_assert_str_eq(m->auth_results, "mx.aim.test; dmarc=pass\n"
	    "evil.example; dmarc=fail");
	ck_assert_int_eq(m->has_loop_header, 1);
	ck_assert_ptr_null(m->auto_submitted);
	ck_assert_str_eq(m->text, "Body");
	ck_assert_int_eq(m->truncated, 0);
	ck_assert_ptr_null(m->problem);
	message_free(m);

	/* Addresses libetpan refuses are still found. */
	m = parse_str("From: Pete(A \\) chap) <pete(his)@silly.test(host)>"
	    "\r\nReply-To: a@b.example c@d.example\r\n\r\nx");
	ck_assert_str_eq(m->from, "pete@silly.test");
	ck_assert_str_eq(m->reply_to, "a@b.example");
	message_free(m);
	m = parse_str("From: nobody\r\n\r\nx");
	ck_assert_ptr_null(m->from);
	message_free(m);
}
END_TEST

START_TEST(machine_markers)
{
	static const struct {
		const char	*hdr;
		const char	*want;
	} t[] = {
		{ "Auto-Submitted: auto-replied", "auto-replied" },
		{ "Auto-Submitted: no", "no" },
		{ "X-Autoreply: yes", "auto-replied (X-Autoreply)" },
		{ "X-Autorespond: yes", "auto-replied (X-Autorespond)" },
		{ "Precedence: Bulk", "auto-generated (Precedence: bulk)" },
		{ "Precedence: junk", "auto-generated (Precedence: junk)" },
		{ "Precedence: list", "auto-generated (Precedence: list)" },
		{ "Precedence: first-class", NULL },
		{ "List-Id: <x.lists.example>", "auto-generated (List-Id)" },
		{ "Return-Path: <>\r\nAuto-Submitted: no",
		    "auto-generated (Return-Path: <>)" },
		{ "Return-Path: <a@b.example>", NULL },
	};
	struct message	*m;
	char		 raw[256];
	size_t		 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(raw, sizeof(raw), "From: a@b.example\r\n%s\r\n\r\n"
		    "x", t[i].hdr);
		m = parse_str(raw);
		if (t[i].want == NULL)
			ck_assert_ptr_null(m->auto_submitted);
		else
			ck_assert_str_eq(m->auto_submitted, t[i].want);
		message_free(m);
	}
}
END_TEST

START_TEST(structure)
{
	struct message	*m;

	/* The plain alternative is the text; the HTML one is no
	 * attachment; a real attachment is, with its SHA-256. */
	m = parse_str("From: a@b.example\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=m\r\n\r\n"
	    "--m\r\nContent-Type: multipart/alternative; boundary=a\r\n\r\n"
	    "--a\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
	    "caf=E9=\r\n au lait\r\n"
	    "--a\r\nContent-Type: text/html\r\n\r\n<p>cafe html</p>\r\n"
	    "--a--\r\n"
	    "--m\r\nContent-Type: application/octet-stream; name=h.bin\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n"
	    "--m--\r\n");
	ck_assert_str_eq(m->text, "caf\xc3\xa9 au lait");
	ck_assert_uint_eq(m->natt, 1);
	ck_assert_str_eq(m->att[0].name, "h.bin");
	ck_assert_str_eq(m->att[0].type, "application/octet-stream");
	ck_assert_uint_eq(m->att[0].size, 5);
	ck_assert_mem_eq(m->att[0].data, "hello", 5);
	ck_assert_str_eq(m->att[0].sha256, "2cf24dba5fb0a30e26e83b2ac5b9e29e"
	    "1b161e5c1fa7425e73043362938b9824");
	message_free(m);

	/* HTML only: converted. */
	m = parse_str("From: a@b.example\r\nContent-Type: text/html; "
	    "charset=utf-8\r\n\r\n<p>One</p><p>Two &eacute;</p>");
	ck_assert_str_eq(m->text, "One\n\nTwo \xc3\xa9");
	ck_assert_uint_eq(m->natt, 0);
	message_free(m);

	/* A report is a DSN; its status part is not an attachment. */
	m = parse_str("From: x@y.example\r\nContent-Type: multipart/report; "
	    "report-type=delivery-status; boundary=r\r\n\r\n--r\r\n\r\n"
	    "failed\r\n--r\r\nContent-Type: message/delivery-status\r\n\r\n"
	    "Action: failed\r\n--r--\r\n");
	ck_assert_int_eq(m->is_dsn, 1);
	ck_assert_uint_eq(m->natt, 0);
	message_free(m);

	/* A DSN forwarded inside a message does not make it one. */
	m = parse_str("From: x@y.example\r\nContent-Type: multipart/mixed; "
	    "boundary=o\r\n\r\n--o\r\n\r\nsee\r\n--o\r\nContent-Type: "
	    "message/rfc822\r\n\r\nFrom: m@d.example\r\nSubject: fail\r\n"
	    "Content-Type: multipart/report; boundary=r\r\n\r\n--r\r\n\r\n"
	    "failed\r\n--r--\r\n--o--\r\n");
	ck_assert_int_eq(m->is_dsn, 0);
	ck_assert_str_eq(m->text, "see\n\n---------- Forwarded message "
	    "----------\nFrom: m@d.example\nSubject: fail\n\nfailed");
	message_free(m);

	/* libetpan cannot read it: the body is the text. */
	m = parse_str("From: a@b.example\r\nSubject: s\r\n\r\nplain\r\n");
	ck_assert_str_eq(m->text, "plain");
	message_free(m);
	m = parse(NULL, 0);
	ck_assert_str_eq(m->text, "");
	message_free(m);
}
END_TEST

START_TEST(real_world_messages)
{
	struct message	*m;
	char		*raw;
	size_t		 len;

	raw = slurp("messages/outlook-winmail-pdf.eml", &len);
	m = parse(raw, len);
	free(raw);
	ck_assert_uint_eq(m->natt, 2);
	ck_assert_str_eq(m->att[0].name,
	    "Aluminum license form \xe2\x80\x93 March.pdf");
	ck_assert_str_eq(m->att[0].type, "application/pdf");
	ck_assert_mem_eq(m->att[0].data, "%PDF-", 5);
	ck_assert_str_eq(m->att[1].name, "notes.txt");
	message_free(m);

	raw = slurp("messages/thunderbird-rfc2231.eml", &len);
	m = parse(raw, len);
	free(raw);
	ck_assert_uint_eq(m->natt, 1);
	ck_assert_str_eq(m->att[0].name, "Antrag f\xc3\xbcr die Stahl-Einfuhr"
	    " \xe2\x80\x93 M\xc3\xa4rz.xml");
	ck_assert_str_eq(m->from_name, "J\xc3\xbcrgen M\xc3\xbcller");
	ck_assert_ptr_nonnull(strstr(m->text, "Gr\xc3\xbc\xc3\x9f" "e"));
	message_free(m);

	raw = slurp("messages/nested-forwards.eml", &len);
	m = parse(raw, len);
	free(raw);
	ck_assert_uint_eq(m->natt, 1);
	ck_assert_str_eq(m->att[0].name, "march.xml");
	ck_assert_ptr_nonnull(strstr(m->text, "From: Carlos Ruiz"));
	message_free(m);

	raw = slurp("messages/html-only.eml", &len);
	m = parse(raw, len);
	free(raw);
	ck_assert_str_eq(m->text, "Hello & good morning,\n\nIs HTS\xc2\xa0"
	    "7601.10 \xe2\x80\x93 unwrought aluminum \xe2\x80\x93 covered?\n"
	    "Thanks,\nMia\n\n> Earlier message");
	message_free(m);

	raw = slurp("corpus/attachment_emails/attachment_with_base64_"
	    "encoded_name.eml", &len);
	m = parse(raw, len);
	free(raw);
	ck_assert_uint_eq(m->natt, 1);
	ck_assert_str_eq(m->att[0].name, "This is a test.pdf");
	message_free(m);
}
END_TEST

START_TEST(tnef_damaged)
{
	unsigned char		*w;
	struct tnef_file	*files;
	char			*raw, err[256];
	size_t			 len;
	int			 n;

	raw = slurp("messages/winmail.dat", &len);
	w = (unsigned char *)raw;
	n = tnef_read(w, len, 10, &files, err, sizeof(err));
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(files[1].name, "notes.txt");
	ck_assert_str_eq(files[1].type, "text/plain");
	tnef_free(files, (size_t)n);
	/* maxfiles on both sides. */
	ck_assert_int_eq(tnef_read(w, len, 2, &files, err, sizeof(err)), 2);
	tnef_free(files, 2);
	ck_assert_int_eq(tnef_read(w, len, 1, &files, err, sizeof(err)), -1);
	/* A checksum, a length past the end, a cut stream. */
	w[len - 1] ^= 1;
	ck_assert_int_eq(tnef_read(w, len, 10, &files, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "TNEF checksum wrong");
	w[len - 1] ^= 1;
	ck_assert_int_eq(tnef_read(w, len - 1, 10, &files, err,
	    sizeof(err)), -1);
	w[6 + 5] = 0xff;
	ck_assert_int_eq(tnef_read(w, len, 10, &files, err, sizeof(err)), -1);
	ck_assert_int_eq(tnef_read((unsigned char *)"nope", 4, 10, &files,
	    err, sizeof(err)), -1);
	free(raw);
}
END_TEST

/* A message of n nested multiparts around one text part. */
static char *
nested(int n, size_t *len)
{
	struct buf	 b;
	int		 i;

	buf_init(&b, 64 * 1024 * 1024);
	buf_puts(&b, "From: a@b.example\r\nSubject: deep\r\n"
	    "Content-Type: multipart/mixed; boundary=b0\r\n\r\n");
	for (i = 1; i < n; i++)
		buf_printf(&b, "--b%d\r\nContent-Type: multipart/mixed; "
		    "boundary=b%d\r\n\r\n", i - 1, i);
	buf_printf(&b, "--b%d\r\nContent-Type: text/plain\r\n\r\ninner\r\n",
	    n - 1);
	for (i = n - 1; i >= 0; i--)
		buf_printf(&b, "--b%d--\r\n", i);
	ck_assert_int_eq(b.overflow, 0);
	*len = b.len;
	return b.p;
}

/* A message of one multipart with n attachments. */
static char *
many(int n, size_t *len)
{
	struct buf	 b;
	int		 i;

	buf_init(&b, 64 * 1024 * 1024);
	buf_puts(&b, "From: a@b.example\r\nSubject: many\r\n"
	    "Content-Type: multipart/mixed; boundary=b\r\n\r\n");
	for (i = 0; i < n; i++)
		buf_puts(&b, "--b\r\nContent-Type: application/octet-stream"
		    "\r\n\r\nx\r\n");
	buf_puts(&b, "--b--\r\n");
	ck_assert_int_eq(b.overflow, 0);
	*len = b.len;
	return b.p;
}

START_TEST(limit_depth)
{
	struct message	*m;
	char		*raw;
	size_t		 len;

	raw = nested(LIM_MIME_DEPTH, &len);
	m = parse(raw, len);
	ck_assert_int_eq(m->truncated, 0);
	ck_assert_str_eq(m->text, "inner");
	message_free(m);
	free(raw);
	raw = nested(LIM_MIME_DEPTH + 1, &len);
	m = parse(raw, len);
	ck_assert_int_eq(m->truncated, 1);
	ck_assert_ptr_nonnull(strstr(m->problem, "nested"));
	ck_assert_str_eq(m->subject, "deep");
	ck_assert_str_eq(m->text, "");
	message_free(m);
	free(raw);
}
END_TEST

START_TEST(limit_parts)
{
	struct message	*m;
	char		*raw;
	size_t		 len;

	/* The multipart counts as a part: LIM_MIME_PARTS - 1 children. */
	raw = many(LIM_MIME_PARTS - 1, &len);
	m = parse(raw, len);
	ck_assert_int_eq(m->truncated, 0);
	ck_assert_uint_eq(m->natt, LIM_MIME_PARTS - 1);
	message_free(m);
	free(raw);
	raw = many(LIM_MIME_PARTS, &len);
	m = parse(raw, len);
	ck_assert_int_eq(m->truncated, 1);
	ck_assert_ptr_nonnull(strstr(m->problem, "MIME parts"));
	ck_assert_uint_eq(m->natt, 0);
	message_free(m);
	free(raw);
}
END_TEST

/* MIME bombs are refused in bounded time, headers still read. */
START_TEST(bombs)
{
	struct message	*m;
	struct timespec	 t0, t1;
	char		*raw;
	size_t		 len;
	double		 s;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	raw = nested(10000, &len);
	m = parse(raw, len);
	ck_assert_int_eq(m->truncated, 1);
	ck_assert_str_eq(m->subject, "deep");
	message_free(m);
	free(raw);
	raw = many(100000, &len);
	m = parse(raw, len);
	ck_assert_int_eq(m->truncated, 1);
	ck_assert_str_eq(m->subject, "many");
	message_free(m);
	free(raw);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	ck_assert_msg(s < 5.0 * tests_time_scale(), "bombs took %.1f s", s);
}
END_TEST

/* A message whose raw (8bit) attachment is n bytes. */
static char *
with_attachment(size_t n, size_t *len)
{
	static const char	 head[] = "From: a@b.example\r\nSubject: big\r\n"
	    "Content-Type: application/octet-stream; name=big.bin\r\n\r\n";
	char			*raw;

	ck_assert_ptr_nonnull(raw = malloc(sizeof(head) - 1 + n));
	memcpy(raw, head, sizeof(head) - 1);
	memset(raw + sizeof(head) - 1, 'x', n);
	*len = sizeof(head) - 1 + n;
	return raw;
}

START_TEST(limit_attachment_and_message)
{
	struct message	*m;
	char		*raw;
	size_t		 len;

	raw = with_attachment(LIM_ATTACHMENT_BYTES, &len);
	m = parse(raw, len);
	ck_assert_int_eq(m->truncated, 0);
	ck_assert_uint_eq(m->natt, 1);
	ck_assert_uint_eq(m->att[0].size, LIM_ATTACHMENT_BYTES);
	message_free(m);
	free(raw);
	raw = with_attachment(LIM_ATTACHMENT_BYTES + 1, &len);
	m = parse(raw, len);
	ck_assert_int_eq(m->truncated, 1);
	ck_assert_uint_eq(m->natt, 0);
	ck_assert_ptr_nonnull(strstr(m->problem, "big.bin"));
	message_free(m);
	free(raw);

	/* The whole message: LIM_MAIL_BYTES is read, one more is not. */
	ck_assert_ptr_nonnull(raw = malloc(LIM_MAIL_BYTES + 1));
	len = (size_t)snprintf(raw, 200, "From: a@b.example\r\nSubject: big"
	    "\r\n\r\n");
	memset(raw + len, 'x', LIM_MAIL_BYTES + 1 - len);
	m = parse(raw, LIM_MAIL_BYTES);
	ck_assert(m->problem == NULL || strstr(m->problem, "headers") == NULL);
	message_free(m);
	m = parse(raw, LIM_MAIL_BYTES + 1);
	ck_assert_int_eq(m->truncated, 1);
	ck_assert_ptr_nonnull(strstr(m->problem, "only its headers"));
	ck_assert_str_eq(m->subject, "big");
	message_free(m);
	free(raw);
}
END_TEST

/* A message whose base64 attachment (type, name) decodes to data. */
static char *
with_base64(const char *type, const char *name, const unsigned char *data,
    size_t n, size_t *len)
{
	static const char	 b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"
	    "ghijklmnopqrstuvwxyz0123456789+/";
	char			*raw, *p;
	size_t			 i, col = 0, cap;
	unsigned long		 acc;

	cap = 512 + (n + 2) / 3 * 4 * 78 / 76 + 8;
	ck_assert_ptr_nonnull(raw = malloc(cap));
	p = raw + snprintf(raw, 512, "From: a@b.example\r\nSubject: big\r\n"
	    "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; "
	    "boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
	    "hi\r\n--b\r\nContent-Type: %s; name=\"%s\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n", type, name);
	for (i = 0; i < n; i += 3) {
		acc = (unsigned long)data[i] << 16 | (i + 1 < n ?
		    (unsigned long)data[i + 1] << 8 : 0) | (i + 2 < n ?
		    data[i + 2] : 0);
		*p++ = b64[acc >> 18 & 63];
		*p++ = b64[acc >> 12 & 63];
		*p++ = i + 1 < n ? b64[acc >> 6 & 63] : '=';
		*p++ = i + 2 < n ? b64[acc & 63] : '=';
		if ((col += 4) == 76) {
			*p++ = '\r';
			*p++ = '\n';
			col = 0;
		}
	}
	p += snprintf(p, 16, "\r\n--b--\r\n");
	*len = (size_t)(p - raw);
	ck_assert_uint_lt(*len, cap);
	return raw;
}

START_TEST(base64_as_libetpan_decodes)
{
	struct base64_state	 st;
	unsigned char		 out[1024];
	char			 in[1024], *ref;
	size_t			 n, o, i, k, cut, rl, idx;
	int			 round;

	srandom(7);
	for (round = 0; round < 2000; round++) {
		/* Base64 with junk, line breaks, padding in the middle
		 * and groups cut short at the end. */
		/* libetpan reads a lone first character's neighbour
		 * uninitialized: a whole group comes first. */
		n = 4 + (size_t)(random() % 300);
		memcpy(in, "QUJD", 4);
		for (i = 4; i < n; i++) {
			k = (size_t)random() % 100;
			in[i] = k < 80 ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm"
			    "nopqrstuvwxyz0123456789+/"[k % 64] : k < 88 ? '\n' :
			    k < 93 ? '=' : (char)(random() % 256);
		}
		idx = 0;
		ck_assert_int_eq(mailmime_part_parse(in, n, &idx,
		    MAILMIME_MECHANISM_BASE64, &ref, &rl), MAILIMF_NO_ERROR);
		/* In two pieces cut anywhere: the same bytes. */
		memset(&st, 0, sizeof(st));
		cut = n > 0 ? (size_t)random() % n : 0;
		o = decode_base64(&st, in, cut, out);
		o += decode_base64(&st, in + cut, n - cut, out + o);
		o += decode_base64_end(&st, out + o);
		ck_assert_uint_eq(o, rl);
		ck_assert_uint_eq(decode_base64_size(in, n), rl);
		ck_assert(memcmp(out, ref, o) == 0);
		mailmime_decoded_part_free(ref);
	}
}
END_TEST

START_TEST(large_attachment_not_kept)
{
	struct message	*m;
	unsigned char	*data;
	char		*raw, sha[65];
	size_t		 n, len, i;

	/* One byte over what a form may be: hashed, not kept. */
	n = LIM_PDF_BYTES + 1;
	ck_assert_ptr_nonnull(data = malloc(n));
	for (i = 0; i < n; i++)
		data[i] = (unsigned char)(i * 2654435761u >> 13);
	ck_assert_int_eq(sha256_hex(data, n, sha), 0);
	raw = with_base64("application/pdf", "form.pdf", data, n, &len);
	m = parse(raw, len);
	ck_assert_int_eq(m->truncated, 0);
	ck_assert_uint_eq(m->natt, 1);
	ck_assert_str_eq(m->att[0].name, "form.pdf");
	ck_assert_uint_eq(m->att[0].size, n);
	ck_assert_ptr_null(m->att[0].data);
	ck_assert_str_eq(m->att[0].sha256, sha);
	ck_assert_int_eq(classify_is_form(&m->att[0]), 0);
	message_free(m);
	free(raw);
	/* At the limit: kept whole (a form may be that large). */
	ck_assert_int_eq(sha256_hex(data, n - 1, sha), 0);
	raw = with_base64("application/pdf", "form.pdf", data, n - 1, &len);
	m = parse(raw, len);
	ck_assert_uint_eq(m->natt, 1);
	ck_assert_uint_eq(m->att[0].size, n - 1);
	ck_assert_ptr_nonnull(m->att[0].data);
	ck_assert(memcmp(m->att[0].data, data, n - 1) == 0);
	ck_assert_str_eq(m->att[0].sha256, sha);
	message_free(m);
	free(raw);
	free(data);
}
END_TEST

START_TEST(limit_text_and_headers)
{
	static const char	 head[] = "From: a@b.example\r\n\r\n";
	struct message		*m;
	char			*raw;
	size_t			 n;

	n = sizeof(head) - 1 + LIM_MAIL_TEXT_BYTES + 1;
	ck_assert_ptr_nonnull(raw = malloc(n));
	memcpy(raw, head, sizeof(head) - 1);
	memset(raw + sizeof(head) - 1, 'a', LIM_MAIL_TEXT_BYTES + 1);
	m = parse(raw, n - 1);
	ck_assert_int_eq(m->truncated, 0);
	ck_assert_uint_eq(strlen(m->text), LIM_MAIL_TEXT_BYTES);
	message_free(m);
	m = parse(raw, n);
	ck_assert_int_eq(m->truncated, 1);
	ck_assert_uint_le(strlen(m->text), LIM_MAIL_TEXT_BYTES);
	message_free(m);
	free(raw);

	/* A header section one byte past the limit. */
	n = LIM_HEADER_BYTES + 64;
	ck_assert_ptr_nonnull(raw = malloc(n));
	memcpy(raw, "Subject: s\r\nX: ", 15);
	memset(raw + 15, 'h', n - 15);
	/* The section ends with its last field's line end. */
	memcpy(raw + LIM_HEADER_BYTES - 2, "\r\n\r\nbody", 8);
	m = parse(raw, LIM_HEADER_BYTES + 6);
	ck_assert_int_eq(m->truncated, 0);
	ck_assert_str_eq(m->text, "body");
	message_free(m);
	memcpy(raw + LIM_HEADER_BYTES - 2, "h\r\n\r\nbody", 9);
	m = parse(raw, LIM_HEADER_BYTES + 7);
	ck_assert_int_eq(m->truncated, 1);
	ck_assert_str_eq(m->subject, "s");
	message_free(m);
	free(raw);
}
END_TEST

/* ---- tokens ---- */

START_TEST(tokens)
{
	struct token	 t = { TOKEN_LICENSE, TOKEN_ACTION, 123456789, TODAY };
	struct token	 got;
	char		 s[TOKEN_LEN + 1], up[TOKEN_LEN + 1];
	size_t		 i;

	ck_assert_int_eq(token_make(&t, "Filer@Example.com", key, sizeof(key),
	    s), 0);
	ck_assert_uint_eq(strlen(s), TOKEN_LEN);
	for (i = 0; i < TOKEN_LEN; i++) {
		ck_assert(strchr("abcdefghijklmnopqrstuvwxyz234567", s[i]));
		up[i] = (char)(s[i] >= 'a' ? s[i] - 32 : s[i]);
	}
	up[TOKEN_LEN] = '\0';
	/* The last good day, in any case, any address case. */
	ck_assert_int_eq(token_parse(s, TOKEN_LEN, "filer@example.com", key,
	    sizeof(key), TODAY, &got), TOKEN_OK);
	ck_assert_int_eq(got.kind, TOKEN_LICENSE);
	ck_assert_int_eq(got.purpose, TOKEN_ACTION);
	ck_assert_int_eq(got.id, 123456789);
	ck_assert_int_eq(got.expires, TODAY);
	ck_assert_int_eq(token_parse(up, TOKEN_LEN, "FILER@example.com", key,
	    sizeof(key), TODAY, &got), TOKEN_OK);
	/* A day late; another sender; another key; one letter off. */
	ck_assert_int_eq(token_parse(s, TOKEN_LEN, "filer@example.com", key,
	    sizeof(key), TODAY + 1, &got), TOKEN_EXPIRED);
	ck_assert_int_eq(token_parse(s, TOKEN_LEN, "other@example.com", key,
	    sizeof(key), TODAY, &got), TOKEN_FORGED);
	ck_assert_int_eq(token_parse(s, TOKEN_LEN, "filer@example.com",
	    (const unsigned char *)"another key", 11, TODAY, &got),
	    TOKEN_FORGED);
	s[30] = s[30] == 'a' ? 'b' : 'a';
	ck_assert_int_eq(token_parse(s, TOKEN_LEN, "filer@example.com", key,
	    sizeof(key), TODAY, &got), TOKEN_FORGED);
	ck_assert_int_eq(token_parse(s, TOKEN_LEN - 1, "filer@example.com",
	    key, sizeof(key), TODAY, &got), TOKEN_MALFORMED);
	s[3] = '1';
	ck_assert_int_eq(token_parse(s, TOKEN_LEN, "filer@example.com", key,
	    sizeof(key), TODAY, &got), TOKEN_MALFORMED);
	/* Ids on both sides of their range. */
	t.id = TOKEN_ID_MAX;
	ck_assert_int_eq(token_make(&t, "a@b", key, sizeof(key), s), 0);
	ck_assert_int_eq(token_parse(s, TOKEN_LEN, "a@b", key, sizeof(key),
	    TODAY, &got), TOKEN_OK);
	ck_assert_int_eq(got.id, TOKEN_ID_MAX);
	t.id = TOKEN_ID_MAX + 1;
	ck_assert_int_eq(token_make(&t, "a@b", key, sizeof(key), s), -1);
	t.id = 0;
	ck_assert_int_eq(token_make(&t, "a@b", key, sizeof(key), s), -1);
	t.id = 1;
	t.kind = 'X';
	ck_assert_int_eq(token_make(&t, "a@b", key, sizeof(key), s), -1);
	t.kind = TOKEN_QUEUE;
	ck_assert_int_eq(token_make(&t, "a@b", key, 0, s), -1);
}
END_TEST

/* ---- classification ---- */

static enum mail_class
class_of_file(const char *rel, struct classify_result *r)
{
	struct classify_conf	 c = conf();
	struct message		*m;
	enum mail_class		 k;
	char			*raw;
	size_t			 len;

	raw = slurp(rel, &len);
	m = parse(raw, len);
	free(raw);
	k = classify_full(m, &c, r);
	message_free(m);
	return k;
}

START_TEST(classes_of_messages)
{
	static const struct {
		const char	*file;
		enum mail_class	 want;
	} t[] = {
		{ "messages/outlook-winmail-pdf.eml", MAIL_SUBMISSION },
		{ "messages/gmail-xml-form.eml", MAIL_SUBMISSION },
		{ "messages/apple-mail-pdf.eml", MAIL_SUBMISSION },
		{ "messages/thunderbird-rfc2231.eml", MAIL_SUBMISSION },
		{ "messages/nested-forwards.eml", MAIL_SUBMISSION },
		{ "messages/qp-latin1-names.eml", MAIL_CORRESPONDENCE },
		{ "messages/utf8-names.eml", MAIL_CORRESPONDENCE },
		{ "messages/html-only.eml", MAIL_CORRESPONDENCE },
		{ "messages/auto-reply-ooo.eml", MAIL_AUTO_REPLY },
		{ "messages/auto-reply-precedence.eml", MAIL_AUTO_REPLY },
		{ "messages/dsn-postfix.eml", MAIL_BOUNCE },
		{ "messages/own-loop.eml", MAIL_OWN },
		{ "messages/reply-no-token.eml", MAIL_CORRESPONDENCE },
		{ "corpus/multipart_report_emails/report_422.eml", MAIL_BOUNCE },
		{ "corpus/error_emails/missing_body.eml", MAIL_CORRESPONDENCE },
	};
	struct classify_result	 r;
	size_t			 i;

	tests_init_tables();
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_msg(class_of_file(t[i].file, &r) == t[i].want,
		    "%s: %s (%s)", t[i].file, mail_class_names[r.class],
		    r.reason);
		classify_result_free(&r);
	}
	/* A forged token (not made with our key) is noted. */
	class_of_file("messages/reply-no-token.eml", &r);
	ck_assert_int_eq(r.token_err, TOKEN_MALFORMED);
	ck_assert_str_eq(r.our_msgid, "<0a1b2c3d4e5f60718293a4b5.action@aim.test>");
	classify_result_free(&r);
	/* A PDF that is not a form is no submission. */
	class_of_file("messages/qp-latin1-names.eml", &r);
	ck_assert_uint_eq(r.nforms, 0);
	classify_result_free(&r);
}
END_TEST

/* A reply from sender carrying a token made for whom, in where. */
static enum mail_class
reply_class(const char *sender, const char *whom, int expires,
    const char *fmt, struct classify_result *r)
{
	struct classify_conf	 c = conf();
	struct token		 t = { TOKEN_QUEUE, TOKEN_SUBMISSION, 42,
				    expires };
	struct message		*m;
	char			 tok[TOKEN_LEN + 1], hdr[512], raw[1024];
	enum mail_class		 k;

	ck_assert_int_eq(token_make(&t, whom, key, sizeof(key), tok), 0);
	/* fmt is one of this file's literals, with one %s. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(hdr, sizeof(hdr), fmt, tok);
#pragma GCC diagnostic pop
	snprintf(raw, sizeof(raw), "From: <%s>\r\n%s\r\nSubject: Re: x\r\n"
	    "\r\nthanks\r\n", sender, hdr);
	m = parse_str(raw);
	k = classify_full(m, &c, r);
	message_free(m);
	return k;
}

START_TEST(replies)
{
	struct classify_result	 r;

	ck_assert_int_eq(reply_class("f@x.example", "f@x.example", TODAY,
	    "To: Licensing <aluminum.license+%s@aim.test>", &r), MAIL_REPLY);
	ck_assert_str_eq(r.token_in, "To");
	ck_assert_int_eq(r.token.id, 42);
	ck_assert_int_eq(r.token.kind, TOKEN_QUEUE);
	classify_result_free(&r);
	ck_assert_int_eq(reply_class("f@x.example", "f@x.example", TODAY,
	    "Delivered-To: steel.license+%s@aim.test", &r), MAIL_REPLY);
	ck_assert_str_eq(r.token_in, "Delivered-To");
	classify_result_free(&r);
	ck_assert_int_eq(reply_class("f@x.example", "f@x.example", TODAY,
	    "References: <a@b.example>\r\n <t.%s@aim.test>", &r), MAIL_REPLY);
	ck_assert_str_eq(r.token_in, "References");
	classify_result_free(&r);
	ck_assert_int_eq(reply_class("f@x.example", "f@x.example", TODAY,
	    "In-Reply-To: <%s@aim.test>", &r), MAIL_REPLY);
	classify_result_free(&r);
	/* Not ours: another domain, another mailbox, a longer name. */
	ck_assert_int_eq(reply_class("f@x.example", "f@x.example", TODAY,
	    "In-Reply-To: <t.%s@evil.example>", &r), MAIL_CORRESPONDENCE);
	classify_result_free(&r);
	ck_assert_int_eq(reply_class("f@x.example", "f@x.example", TODAY,
	    "To: sales+%s@aim.test", &r), MAIL_CORRESPONDENCE);
	classify_result_free(&r);
	ck_assert_int_eq(reply_class("f@x.example", "f@x.example", TODAY,
	    "To: xaluminum.license+%s@aim.test", &r), MAIL_CORRESPONDENCE);
	classify_result_free(&r);
	/* Another sender, an expired token: staff. */
	ck_assert_int_eq(reply_class("g@x.example", "f@x.example", TODAY,
	    "To: aluminum.license+%s@aim.test", &r), MAIL_CORRESPONDENCE);
	ck_assert_int_eq(r.token_err, TOKEN_FORGED);
	classify_result_free(&r);
	ck_assert_int_eq(reply_class("f@x.example", "f@x.example", TODAY - 1,
	    "To: aluminum.license+%s@aim.test", &r), MAIL_CORRESPONDENCE);
	ck_assert_int_eq(r.token_err, TOKEN_EXPIRED);
	ck_assert_ptr_nonnull(strstr(r.reason, "expired"));
	classify_result_free(&r);
	/* An auto-reply with a good token is still never answered. */
	ck_assert_int_eq(reply_class("f@x.example", "f@x.example", TODAY,
	    "Auto-Submitted: auto-replied\r\nTo: aluminum.license+%s@aim.test",
	    &r), MAIL_AUTO_REPLY);
	classify_result_free(&r);
}
END_TEST

static enum mail_class
class_of(const char *raw)
{
	struct classify_conf	 c = conf();
	struct message		*m = parse_str(raw);
	enum mail_class		 k = classify(m, &c);

	message_free(m);
	return k;
}

START_TEST(classes_in_order)
{
	ck_assert_int_eq(class_of("From: MAILER-DAEMON@x.example\r\n\r\nx"),
	    MAIL_BOUNCE);
	ck_assert_int_eq(class_of("From: postmaster@x.example\r\n\r\nx"),
	    MAIL_BOUNCE);
	ck_assert_int_eq(class_of("From: a@x.example\r\nSubject: Fwd: "
	    "Delivery Status Notification (Failure)\r\n\r\nx"), MAIL_BOUNCE);
	ck_assert_int_eq(class_of("From: a@x.example\r\nReturn-Path: <>\r\n"
	    "\r\nx"), MAIL_BOUNCE);
	ck_assert_int_eq(class_of("From: a@x.example\r\nSubject: Automatic "
	    "reply: hi\r\n\r\nx"), MAIL_AUTO_REPLY);
	ck_assert_int_eq(class_of("From: a@x.example\r\nAuto-Submitted: no "
	    "(a person)\r\n\r\nx"), MAIL_CORRESPONDENCE);
	ck_assert_int_eq(class_of("From: a@x.example\r\nList-Id: <l.x>\r\n"
	    "\r\nx"), MAIL_AUTO_REPLY);
	/* Bounce before auto-reply before own. */
	ck_assert_int_eq(class_of("From: noreply@aim.test\r\nAuto-Submitted: "
	    "auto-replied\r\nSubject: Undeliverable: x\r\n\r\nx"),
	    MAIL_BOUNCE);
	ck_assert_int_eq(class_of("From: Steel.License+x@AIM.test\r\n\r\nx"),
	    MAIL_OWN);
	ck_assert_int_eq(class_of("From: steel.license@aim.test.evil\r\n\r\nx"),
	    MAIL_CORRESPONDENCE);
	ck_assert_int_eq(class_of("From: a@x.example\r\nX-AIM-Loop: x\r\n\r\n"
	    "x"), MAIL_OWN);
}
END_TEST

START_TEST(first_line)
{
	static const struct {
		const char	*text;
		const char	*want;
	} t[] = {
		{ "CONFIRM\n\nOn Mon, X <a@b> wrote:\n> hi", "CONFIRM" },
		{ "\n  \n  confirm  \r\n", "confirm" },
		{ "> quoted\n>> more\nOn Mon, 1 Jan 2026, X wrote:\nCONFIRM",
		    "CONFIRM" },
		{ "On Fri, Mar 13, 2026 at 10:00 AM Aluminum <a@aim.test>\n"
		    "wrote:\n> Please\n\nCONFIRM\n", "CONFIRM" },
		{ "Le 13 mars 2026, X a \xc3\xa9" "crit :\n> x\nOK", "OK" },
		{ "On the other hand\nno", "On the other hand" },
		{ "> only quoted", "" },
		{ "", "" },
	};
	struct message	 m;
	size_t		 i;

	memset(&m, 0, sizeof(m));
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		m.text = (char *)t[i].text;
		ck_assert_str_eq(message_first_line(&m), t[i].want);
	}
	m.text = NULL;
	ck_assert_str_eq(message_first_line(&m), "");
}
END_TEST

Suite *
suite_mime(void)
{
	Suite	*s = suite_create("mime");
	TCase	*tc = tcase_create("mime");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, charsets);
	tcase_add_test(tc, utf8_cut_short);
	tcase_add_test(tc, charset_nul_and_max);
	tcase_add_test(tc, encoded_words);
	tcase_add_test(tc, header_fallback_charset);
	tcase_add_test(tc, parameters);
	tcase_add_test(tc, ctype);
	tcase_add_test(tc, html_text);
	tcase_add_test(tc, headers);
	tcase_add_test(tc, machine_markers);
	tcase_add_test(tc, structure);
	tcase_add_test(tc, real_world_messages);
	tcase_add_test(tc, tnef_damaged);
	tcase_add_test(tc, limit_depth);
	tcase_add_test(tc, limit_parts);
	tcase_add_test(tc, bombs);
	tcase_add_test(tc, limit_attachment_and_message);
	tcase_add_test(tc, base64_as_libetpan_decodes);
	tcase_add_test(tc, large_attachment_not_kept);
	tcase_add_test(tc, limit_text_and_headers);
	tcase_add_test(tc, tokens);
	tcase_add_test(tc, classes_of_messages);
	tcase_add_test(tc, replies);
	tcase_add_test(tc, classes_in_order);
	tcase_add_test(tc, first_line);
	suite_add_tcase(s, tc);
	return s;
}
