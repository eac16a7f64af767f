/*
 * multipart/form-data (gateway/multipart.c): boundaries as RFC 2046
 * has them (quoted, padded, preamble and epilogue), Content-Disposition
 * names and filenames (RFC 5987/2231 too), and hostile bodies: no
 * closing boundary, 100,000 parts, huge headers, the boundary inside
 * the data, a body past the limit.  Every limit is tried at and one
 * past its value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/buf.h"
#include "lib/limits.h"
#include "gateway/multipart.h"
#include "tests.h"

#define CT	"multipart/form-data; boundary=XyZ"

static struct kvlist	 form;
static struct uploads	 files;

static void
clear(void)
{
	size_t	 i;

	for (i = 0; i < form.n; i++) {
		free(form.v[i].key);
		free(form.v[i].val);
	}
	free(form.v);
	memset(&form, 0, sizeof(form));
	uploads_free(&files);
}

static const char *
field(const char *key)
{
	size_t	 i;

	for (i = form.n; i > 0; i--)
		if (strcmp(form.v[i - 1].key, key) == 0)
			return form.v[i - 1].val;
	return NULL;
}

static enum mp_err
parse(const char *ct, const char *body)
{
	clear();
	return multipart_parse(ct, body, strlen(body), &form, &files);
}

START_TEST(boundary_param)
{
	char	 b[80], ct[200];
	char	 b70[71], b71[72];

	ck_assert_int_eq(multipart_boundary(CT, b, sizeof(b)), 3);
	ck_assert_str_eq(b, "XyZ");
	ck_assert_int_eq(multipart_boundary("multipart/form-data; "
	    "BOUNDARY=\"a b:c=d?\"", b, sizeof(b)), 8);
	ck_assert_str_eq(b, "a b:c=d?");
	ck_assert_int_eq(multipart_boundary("multipart/form-data;charset=x;"
	    "boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW", b, sizeof(b)),
	    37);
	ck_assert_str_eq(b, "----WebKitFormBoundary7MA4YWxkTrZu0gW");
	/* A trailing space, a character outside RFC 2046's set, none. */
	ck_assert_int_eq(multipart_boundary("multipart/form-data; boundary="
	    "\"abc \"", b, sizeof(b)), -1);
	ck_assert_int_eq(multipart_boundary("multipart/form-data; boundary="
	    "\"a<b\"", b, sizeof(b)), -1);
	ck_assert_int_eq(multipart_boundary("multipart/form-data", b,
	    sizeof(b)), -1);
	ck_assert_int_eq(multipart_boundary("multipart/form-data; boundary="
	    "\"unterminated", b, sizeof(b)), -1);
	ck_assert_int_eq(multipart_boundary("multipart/form-data; boundary=",
	    b, sizeof(b)), -1);
	/* 70 characters at most. */
	memset(b70, 'a', 70);
	b70[70] = '\0';
	memset(b71, 'a', 71);
	b71[71] = '\0';
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", b70);
	ck_assert_int_eq(multipart_boundary(ct, b, sizeof(b)), 70);
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", b71);
	ck_assert_int_eq(multipart_boundary(ct, b, sizeof(b)), -1);

	ck_assert(multipart_is("Multipart/Form-Data; boundary=x"));
	ck_assert(multipart_is("multipart/form-data"));
	ck_assert(!multipart_is("multipart/form-datax; boundary=x"));
	ck_assert(!multipart_is("multipart/mixed; boundary=x"));
	ck_assert(!multipart_is(NULL));
}
END_TEST

START_TEST(fields_and_file)
{
	const struct upload	*u;
	static const char	 body[] =
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
	    "0123abcd\r\n"
	    "--XyZ\r\n"
	    "content-disposition: form-data; name=\"accept_valid\"\r\n\r\n"
	    "yes\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"file\"; "
	    "filename=\"licenses.csv\"\r\n"
	    "Content-Type: text/csv\r\n\r\n"
	    "a,b\r\n1,2\r\n\r\n"
	    "--XyZ--\r\n";

	ck_assert_int_eq(parse(CT, body), MP_OK);
	ck_assert_uint_eq(form.n, 2);
	ck_assert_str_eq(field("csrf"), "0123abcd");
	ck_assert_str_eq(field("accept_valid"), "yes");
	ck_assert_uint_eq(files.n, 1);
	ck_assert_ptr_nonnull(u = upload_get(&files, "file"));
	ck_assert_str_eq(u->filename, "licenses.csv");
	ck_assert_str_eq(u->type, "text/csv");
	/* The data's own CRLFs stay; the delimiter's goes. */
	ck_assert_uint_eq(u->len, 10);
	ck_assert(memcmp(u->data, "a,b\r\n1,2\r\n", 10) == 0);
	/* No copy: the data is the body's. */
	ck_assert(u->data > body && u->data < body + sizeof(body));
	ck_assert_ptr_null(upload_get(&files, "csrf"));
	clear();
}
END_TEST

START_TEST(preamble_epilogue_padding)
{
	/* A preamble (with a line that looks like the boundary but is
	 * not one), padding after a delimiter, an epilogue with another
	 * part in it that must not be read. */
	ck_assert_int_eq(parse(CT,
	    "This is a preamble.\r\n--XyZnot\r\n"
	    "\r\n--XyZ  \t\r\n"
	    "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
	    "1\r\n"
	    "--XyZ\t\r\n"
	    "Content-Disposition: form-data; name=\"b\"\r\n\r\n"
	    "\r\n"
	    "--XyZ--epilogue\r\n--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"c\"\r\n\r\n"
	    "3\r\n--XyZ--\r\n"), MP_OK);
	ck_assert_uint_eq(form.n, 2);
	ck_assert_str_eq(field("a"), "1");
	ck_assert_str_eq(field("b"), "");	/* an empty part */
	ck_assert_ptr_null(field("c"));
	/* The quoted boundary of the Content-Type; no parts at all. */
	ck_assert_int_eq(parse("multipart/form-data; boundary=\"a b\"",
	    "--a b--"), MP_OK);
	ck_assert_uint_eq(form.n + files.n, 0);
	/* A part with no headers has no name: skipped. */
	ck_assert_int_eq(parse(CT, "--XyZ\r\n\r\nnameless\r\n--XyZ--"),
	    MP_OK);
	ck_assert_uint_eq(form.n + files.n, 0);
	clear();
}
END_TEST

START_TEST(boundary_inside_data)
{
	const struct upload	*u;
	static const char	 data[] =
	    "x --XyZ y\r\n--XyZ-not-a-delimiter\r\n--XyZZ\r\n--Xy\r\nend";

	/* Only CRLF "--XyZ" then padding + CRLF or "--" delimits. */
	ck_assert_int_eq(parse(CT,
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n"
	    "\r\n"
	    "x --XyZ y\r\n--XyZ-not-a-delimiter\r\n--XyZZ\r\n--Xy\r\nend"
	    "\r\n--XyZ--"), MP_OK);
	ck_assert_ptr_nonnull(u = upload_get(&files, "f"));
	ck_assert_uint_eq(u->len, sizeof(data) - 1);
	ck_assert(memcmp(u->data, data, u->len) == 0);
	clear();
}
END_TEST

START_TEST(cut_off)
{
	static const char	 half[] =
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"b\"; "
	    "filename=\"b.csv\"\r\n\r\nhalf a fi";

	/* Earlier fields stay when a parse fails; its own go. */
	ck_assert_int_eq(parse(CT, "--XyZ--"), MP_OK);
	form.v = calloc(1, sizeof(*form.v));
	form.v[0].key = strdup("kept");
	form.v[0].val = strdup("1");
	form.n = 1;
	ck_assert_int_eq(multipart_parse(CT, half, strlen(half), &form,
	    &files), MP_TRUNCATED);
	ck_assert_uint_eq(form.n, 1);
	ck_assert_str_eq(field("kept"), "1");
	ck_assert_uint_eq(files.n, 0);
	clear();
	/* No closing boundary, or a closing one cut in half. */
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"a\"\r\n\r\n1\r\n--XyZ-"), MP_TRUNCATED);
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"a\"\r\n\r\n1\r\n"), MP_TRUNCATED);
	/* No opening boundary; headers that never end. */
	ck_assert_int_eq(parse(CT, "just text\r\n"), MP_SYNTAX);
	ck_assert_int_eq(parse(CT, ""), MP_SYNTAX);
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"a\"\r\n--XyZ--"), MP_SYNTAX);
	/* A header line without a colon; a broken quoted name. */
	ck_assert_int_eq(parse(CT, "--XyZ\r\nnonsense\r\n\r\n1\r\n--XyZ--"),
	    MP_SYNTAX);
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"a\r\n\r\n1\r\n--XyZ--"), MP_SYNTAX);
	/* Not multipart, or no boundary. */
	ck_assert_int_eq(parse("application/x-www-form-urlencoded", "a=1"),
	    MP_CONTENT_TYPE);
	ck_assert_int_eq(parse("multipart/form-data", "--XyZ--"),
	    MP_CONTENT_TYPE);
	ck_assert_uint_eq(form.n + files.n, 0);
	clear();
}
END_TEST

/* n parts of one short field each. */
static char *
many_parts(size_t n, size_t *len)
{
	struct buf	 b;
	size_t		 i;
	char		*s;

	buf_init(&b, 64 * 1024 * 1024);
	for (i = 0; i < n; i++)
		buf_printf(&b, "--XyZ\r\nContent-Disposition: form-data; "
		    "name=\"f%zu\"\r\n\r\nv\r\n", i);
	buf_puts(&b, "--XyZ--\r\n");
	ck_assert(!b.overflow);
	*len = b.len;
	s = malloc(b.len + 1);
	memcpy(s, b.p, b.len + 1);
	buf_free(&b);
	return s;
}

START_TEST(part_limit)
{
	char	*s;
	size_t	 len;
	clock_t	 t0;

	s = many_parts(LIM_MULTIPART_PARTS, &len);
	clear();
	ck_assert_int_eq(multipart_parse(CT, s, len, &form, &files), MP_OK);
	ck_assert_uint_eq(form.n, LIM_MULTIPART_PARTS);
	free(s);
	s = many_parts(LIM_MULTIPART_PARTS + 1, &len);
	clear();
	ck_assert_int_eq(multipart_parse(CT, s, len, &form, &files),
	    MP_PARTS);
	ck_assert_uint_eq(form.n, 0);
	free(s);
	/* 100,000 parts: refused at once, not after reading them all. */
	s = many_parts(100000, &len);
	t0 = clock();
	clear();
	ck_assert_int_eq(multipart_parse(CT, s, len, &form, &files),
	    MP_PARTS);
	ck_assert_msg(clock() - t0 < CLOCKS_PER_SEC / 10 *
	    tests_time_scale(), "100k parts took "
	    "%ld clocks", (long)(clock() - t0));
	free(s);
	clear();
}
END_TEST

/* One part whose header section is exactly n bytes with its CRLF. */
static char *
header_of(size_t n, size_t *len)
{
	static const char	 pre[] = "--XyZ\r\n";
	static const char	 cd[] = "Content-Disposition: form-data; "
	    "name=\"a\"\r\nX-Pad: ";
	static const char	 post[] = "\r\n\r\nv\r\n--XyZ--";
	size_t			 pad = n - (sizeof(cd) - 1) - 2, o = 0;
	char			*s;

	*len = sizeof(pre) - 1 + n + sizeof(post) - 1 - 2;
	s = malloc(*len + 1);
	memcpy(s, pre, sizeof(pre) - 1);
	o = sizeof(pre) - 1;
	memcpy(s + o, cd, sizeof(cd) - 1);
	o += sizeof(cd) - 1;
	memset(s + o, 'p', pad);
	o += pad;
	memcpy(s + o, post, sizeof(post) - 1);
	o += sizeof(post) - 1;
	s[o] = '\0';
	ck_assert_uint_eq(o, *len);
	return s;
}

START_TEST(header_limit)
{
	char	*s;
	size_t	 len;

	s = header_of(LIM_MULTIPART_HEADER_BYTES, &len);
	clear();
	ck_assert_int_eq(multipart_parse(CT, s, len, &form, &files), MP_OK);
	ck_assert_str_eq(field("a"), "v");
	free(s);
	s = header_of(LIM_MULTIPART_HEADER_BYTES + 1, &len);
	clear();
	ck_assert_int_eq(multipart_parse(CT, s, len, &form, &files),
	    MP_HEADER);
	free(s);
	/* A megabyte of header that never ends. */
	s = header_of(1024 * 1024, &len);
	memcpy(s + len - 16, "xxxxxxxxxxxxxxxx", 16);
	clear();
	ck_assert_int_eq(multipart_parse(CT, s, len, &form, &files),
	    MP_HEADER);
	free(s);
	clear();
}
END_TEST

START_TEST(body_limit)
{
	static const char	 head[] = "--XyZ\r\nContent-Disposition: "
	    "form-data; name=\"f\"; filename=\"big.xlsx\"\r\n\r\n";
	static const char	 tail[] = "\r\n--XyZ--";
	const struct upload	*u;
	size_t			 len = LIM_UPLOAD_BYTES;
	char			*s;

	s = malloc(len + 1);
	memcpy(s, head, sizeof(head) - 1);
	memset(s + sizeof(head) - 1, 'z', len - (sizeof(head) - 1) -
	    (sizeof(tail) - 1));
	memcpy(s + len - (sizeof(tail) - 1), tail, sizeof(tail) - 1);
	clear();
	ck_assert_int_eq(multipart_parse(CT, s, len, &form, &files), MP_OK);
	ck_assert_ptr_nonnull(u = upload_get(&files, "f"));
	ck_assert_uint_eq(u->len, len - (sizeof(head) - 1) -
	    (sizeof(tail) - 1));
	clear();
	ck_assert_int_eq(multipart_parse(CT, s, len + 1, &form, &files),
	    MP_TOO_LARGE);
	free(s);
	clear();
}
END_TEST

START_TEST(filenames)
{
	/* RFC 5987 wins over the plain name. */
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"f\"; filename=\"EUR.xlsx\"; "
	    "filename*=UTF-8''%E2%82%AC%20rates.xlsx\r\n\r\n1\r\n--XyZ--"),
	    MP_OK);
	ck_assert_str_eq(upload_get(&files, "f")->filename,
	    "\xe2\x82\xac rates.xlsx");
	/* ISO-8859-1 becomes UTF-8. */
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"f\"; filename*=iso-8859-1'de'M%FCller.csv\r\n\r\n1\r\n"
	    "--XyZ--"), MP_OK);
	ck_assert_str_eq(upload_get(&files, "f")->filename,
	    "M\xc3\xbcller.csv");
	/* RFC 2231 continuations, encoded and not, in any order. */
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"f\"; filename*1=\"part-\"; filename*0*=UTF-8''%C3%A9t%C3%A9-;"
	    " filename*2*=%32.csv\r\n\r\n1\r\n--XyZ--"), MP_OK);
	ck_assert_str_eq(upload_get(&files, "f")->filename,
	    "\xc3\xa9t\xc3\xa9-part-2.csv");
	/* Broken encodings fall back to filename=. */
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"f\"; filename*=UTF-8''%E2%8; filename=\"plain.csv\"\r\n"
	    "\r\n1\r\n--XyZ--"), MP_OK);
	ck_assert_str_eq(upload_get(&files, "f")->filename, "plain.csv");
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"f\"; filename*=UTF-8''%FF.csv; filename=\"p.csv\"\r\n"
	    "\r\n1\r\n--XyZ--"), MP_OK);
	ck_assert_str_eq(upload_get(&files, "f")->filename, "p.csv");
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"f\"; filename*=koi8-r''%C1.csv; filename=p.csv\r\n"
	    "\r\n1\r\n--XyZ--"), MP_OK);
	ck_assert_str_eq(upload_get(&files, "f")->filename, "p.csv");
	/* Escaped quotes; a Windows path kept as sent; an empty one (no
	 * file chosen) is still a file. */
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"f\"; filename=\"C:\\dir\\a \\\"b\\\".csv\"\r\n\r\n1\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"g\"; "
	    "filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n"
	    "\r\n--XyZ--"), MP_OK);
	ck_assert_str_eq(upload_get(&files, "f")->filename,
	    "C:\\dir\\a \"b\".csv");
	ck_assert_ptr_null(upload_get(&files, "f")->type);
	ck_assert_str_eq(upload_get(&files, "g")->filename, "");
	ck_assert_str_eq(upload_get(&files, "g")->type,
	    "application/octet-stream");
	ck_assert_uint_eq(upload_get(&files, "g")->len, 0);
	ck_assert_uint_eq(form.n, 0);
	clear();
}
END_TEST

START_TEST(headers_forms)
{
	/* Folded lines, other headers, other dispositions skipped. */
	ck_assert_int_eq(parse(CT, "--XyZ\r\nX-Other: 1\r\nContent-Disposition:"
	    " form-data;\r\n name=\"folded\"\r\n\r\nok\r\n"
	    "--XyZ\r\nContent-Disposition: attachment; name=\"att\"\r\n\r\n"
	    "no\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=token\r\n\r\n"
	    "tok\r\n--XyZ--"), MP_OK);
	ck_assert_str_eq(field("folded"), "ok");
	ck_assert_str_eq(field("token"), "tok");
	ck_assert_ptr_null(field("att"));
	ck_assert_uint_eq(form.n, 2);
	clear();
}
END_TEST

Suite *
suite_multipart(void)
{
	Suite	*s = suite_create("multipart");
	TCase	*tc = tcase_create("multipart");

	tcase_add_test(tc, boundary_param);
	tcase_add_test(tc, fields_and_file);
	tcase_add_test(tc, preamble_epilogue_padding);
	tcase_add_test(tc, boundary_inside_data);
	tcase_add_test(tc, cut_off);
	tcase_add_test(tc, part_limit);
	tcase_add_test(tc, header_limit);
	tcase_add_test(tc, body_limit);
	tcase_add_test(tc, filenames);
	tcase_add_test(tc, headers_forms);
	suite_add_tcase(s, tc);
	return s;
}
