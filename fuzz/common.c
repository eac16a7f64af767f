/*
 * What the fuzz targets share: the tables, the promises every reader
 * makes, and the steps the programs take after a form or a sheet is
 * read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/utf8.h"
#include "lib/date.h"
#include "lib/limits.h"
#include "forms/batch.h"
#include "forms/license.h"
#include "forms/read.h"
#include "forms/rules.h"
#include "forms/sheet.h"
#include "mail/classify.h"
#include "mail/decode.h"
#include "xml/xmlform.h"
#include "fuzz.h"

const unsigned char fuzz_key[32] = "fuzz key of reply tokens, 32 B.";

void
fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: fuzz promise broken: %s\n", file, line, what);
	abort();
}

void
fuzz_init_tables(void)
{
	char	 err[512];

	if (rules_init(err, sizeof(err)) == -1 ||
	    xmlform_init(err, sizeof(err)) == -1) {
		fprintf(stderr, "fuzz: %s\n", err);
		exit(1);
	}
}

int
fuzz_today(void)
{
	return date_from_ymd(2026, 1, 15);
}

char *
fuzz_strdup(const uint8_t *data, size_t size)
{
	char	*s;

	if ((s = malloc(size + 1)) == NULL)
		abort();
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

int
fuzz_text_ok(const char *s, size_t n)
{
	return memchr(s, '\0', n) == NULL && utf8_valid(s, n);
}

char *
fuzz_param(const char *name, const uint8_t *value, size_t n)
{
	size_t	 len = strlen(name);
	char	*s;

	if ((s = malloc(len + 1 + n + 1)) == NULL)
		abort();
	memcpy(s, name, len);
	s[len] = '=';
	if (n > 0)
		memcpy(s + len + 1, value, n);
	s[len + 1 + n] = '\0';
	return s;
}

/* Every value of a form (what the writers and pages print). */
static void
form_values_ok(const struct form *f)
{
	size_t	 i;
	int	 j;

	for (j = 0; j < HF__MAX; j++)
		if (f->v[j] != NULL)
			FUZZ_ASSERT(strlen(f->v[j]) <= LIM_FIELD_BYTES);
	FUZZ_ASSERT(f->nlines <= LIM_LINES);
	for (i = 0; i < f->nlines; i++)
		for (j = 0; j < LF__MAX; j++)
			if (f->lines[i].v[j] != NULL)
				FUZZ_ASSERT(strlen(f->lines[i].v[j]) <=
				    LIM_FIELD_BYTES);
}

/* The span of s without XML's whitespace around it. */
static const char *
xml_trim(const char *s, size_t *n)
{
	*n = strlen(s);
	while (*n > 0 && strchr(" \t\r\n", *s) != NULL) {
		s++;
		(*n)--;
	}
	while (*n > 0 && strchr(" \t\r\n", s[*n - 1]) != NULL)
		(*n)--;
	return s;
}

static int
same_value(const char *a, const char *b)
{
	size_t	 na, nb;

	if (a == NULL || b == NULL)
		return a == b;
	a = xml_trim(a, &na);
	b = xml_trim(b, &nb);
	return na == nb && memcmp(a, b, na) == 0;
}

/* The same forms, but for whitespace around values, which the XML
 * reader drops (pretty-printed XML has it). */
static int
same_xml(const struct form *a, const struct form *b)
{
	size_t	 i;
	int	 j;

	for (j = 0; j < HF__MAX; j++)
		if (!same_value(a->v[j], b->v[j]))
			return 0;
	if (a->nlines != b->nlines)
		return 0;
	for (i = 0; i < a->nlines; i++)
		for (j = 0; j < LF__MAX; j++)
			if (!same_value(a->lines[i].v[j], b->lines[i].v[j]))
				return 0;
	return 1;
}

void
fuzz_form(struct form *f, struct report *rep)
{
	struct license	*lic = NULL;
	struct report	 rep2;
	struct form	*f2 = NULL;
	char		*json = NULL, *json2 = NULL, *xml = NULL, err[512];

	if (f == NULL)
		goto out;
	form_values_ok(f);
	rules_check(f, fuzz_today(), rep, &lic);
	if (lic != NULL && rep->nerrors == 0)
		rules_flag(lic, NULL, rep);
	FUZZ_ASSERT(rep->nerrors <= LIM_REPORT_ITEMS &&
	    rep->nflags <= LIM_REPORT_ITEMS);

	/* The API answers with the form as JSON, and a queue item keeps
	 * it so: it must read back as the same form. */
	report_init(&rep2);
	if ((json = jsonform_write(f)) != NULL &&
	    strlen(json) <= LIM_FORM_BYTES) {
		f2 = jsonform_read(json, strlen(json), &rep2, err,
		    sizeof(err));
		if (f2 == NULL)
			fprintf(stderr, "fuzz: written JSON refused: %s\n",
			    err);
		FUZZ_ASSERT(f2 != NULL);
		json2 = jsonform_write(f2);
		FUZZ_ASSERT(json2 != NULL && strcmp(json, json2) == 0);
	}
	report_free(&rep2);
	/* The XML writer's output reads back as the same form. */
	if ((xml = xmlform_write(f)) != NULL &&
	    strlen(xml) <= LIM_FORM_BYTES) {
		form_free(f2);
		free(json2);
		json2 = NULL;
		report_init(&rep2);
		f2 = xmlform_read(xml, strlen(xml), &rep2, err, sizeof(err));
		if (f2 == NULL)
			fprintf(stderr, "fuzz: written XML refused: %s\n%s\n",
			    err, xml);
		FUZZ_ASSERT(f2 != NULL);
		if (!same_xml(f, f2)) {
			json2 = jsonform_write(f2);
			fprintf(stderr, "fuzz: XML read back differs:\n%s\n%s\n",
			    json != NULL ? json : "(null)",
			    json2 != NULL ? json2 : "(null)");
			FUZZ_ASSERT(same_xml(f, f2));
		}
		report_free(&rep2);
	}
out:
	free(xml);
	free(json2);
	free(json);
	form_free(f2);
	license_free(lic);
	form_free(f);
	report_free(rep);
}

void
fuzz_read_form(struct form *(*reader)(const char *, size_t, struct report *,
    char *, size_t), const uint8_t *data, size_t size)
{
	struct report	 rep;
	struct form	*f;
	char		 err[512];

	report_init(&rep);
	f = reader((const char *)data, size, &rep, err, sizeof(err));
	FUZZ_ASSERT(f != NULL || fuzz_text_ok(err, strlen(err)));
	fuzz_form(f, &rep);
}

void
fuzz_sheet(int (*reader)(const char *, size_t, struct sheet *, char *,
    size_t), const uint8_t *data, size_t size)
{
	struct batch	 b;
	struct sheet	 sh;
	struct report	 rep;
	char		 err[512];
	size_t		 i;

	batch_init(&b);
	sheet_init(&sh, &b.report);
	/* As batch_read and the upload page go on. */
	if (reader((const char *)data, size, &sh, err, sizeof(err)) == 0 &&
	    sheet_finish(&sh, err, sizeof(err)) == 0 &&
	    batch_group(&sh, &b, err, sizeof(err)) == 0) {
		FUZZ_ASSERT(b.rows <= LIM_SHEET_ROWS);
		for (i = 0; i < b.n; i++) {
			report_init(&rep);
			if (!b.lic[i].rejected)
				rules_check(b.lic[i].form, fuzz_today(), &rep,
				    NULL);
			batch_report_form(&b, i, &rep);
			report_free(&rep);
		}
		batch_report_sort(&b.report);
		FUZZ_ASSERT(b.report.nerrors <= LIM_BATCH_ERRORS);
	}
	sheet_free(&sh);
	batch_free(&b);
}

void
fuzz_classify(const struct message *m)
{
	static const char *const addrs[] = {
		"aluminum.license@" FUZZ_DOMAIN,
		"steel.license@" FUZZ_DOMAIN,
		"noreply@" FUZZ_DOMAIN,
	};
	struct classify_conf	 cc;
	struct classify_result	 res;
	const char		*line;
	size_t			 i;

	memset(&cc, 0, sizeof(cc));
	cc.addresses = addrs;
	cc.naddresses = sizeof(addrs) / sizeof(addrs[0]);
	cc.msgid_domain = FUZZ_DOMAIN;
	cc.key = fuzz_key;
	cc.keylen = sizeof(fuzz_key);
	cc.today = fuzz_today();
	memset(&res, 0, sizeof(res));
	classify_full(m, &cc, &res);
	FUZZ_ASSERT(res.class < MAIL_CLASS__MAX);
	if (res.class == MAIL_REPLY)
		FUZZ_ASSERT(res.token.id >= 1 && res.token.id <= TOKEN_ID_MAX &&
		    res.token.expires >= cc.today);
	for (i = 0; i < res.nforms; i++)
		FUZZ_ASSERT(res.forms[i] < m->natt);
	classify_result_free(&res);
	/* Cut at a character: text in UTF-8 gives a line in UTF-8. */
	line = message_first_line(m);
	if (m->text == NULL || fuzz_text_ok(m->text, strlen(m->text)))
		FUZZ_ASSERT(fuzz_text_ok(line, strlen(line)));
}
