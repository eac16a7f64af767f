/*
 * The filled PDF license form (AcroForm), read from memory with the
 * libqpdf C API into the struct form the JSON and XML readers give.
 *
 * Fields are found from /Root /AcroForm /Fields down through /Kids: a
 * kid with /T is a field whose name is its parent's name, a dot and
 * its /T; a kid without /T is a widget (a place on a page) of the
 * field above it.  /FT and /V are inherited.  Names are the vocabulary: header names, the
 * filer block, line.N.FIELD and the checkbox certify.  Fields we do
 * not know are skipped: a filer cannot add fields to a PDF, so they
 * are buttons and the like, never license data.
 *
 * The objects come from forms/pdflite.c when it reads the file
 * through (a plain PDF, as pdftk and most form tools save one), else
 * from libqpdf: the walk asks both the same questions (the o_*
 * calls), and whatever pdflite cannot read exactly as qpdf would
 * makes the whole read start again with qpdf.
 *
 * Every string qpdf-c returns lives only until the next qpdf call, so
 * each is copied (or dropped) before another call is made.  Object
 * handles are not released one by one: the walk makes at most a few
 * per entry, LIM_PDF_FIELDS bounds the entries, and qpdf_cleanup frees
 * them all at once.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qpdf/qpdf-c.h>

#include "lib/limits.h"
#include "form.h"
#include "pdflite.h"
#include "read.h"

/*
 * Header names a PDF must carry to be taken for our form.  Ours has
 * all 12; a form tool that drops a few still leaves a form a filer
 * meant as ours, while another form sharing 8 of these names is
 * unlikely.
 */
#define HEADER_MIN	8
/* Bytes of a full field name that can be ours: the longest,
 * "line.999.country_of_second_largest_smelt", has 40. */
#define NAME_BYTES	64
/* Slots of the visited-object set: a power of two above twice
 * LIM_PDF_FIELDS, so probing stays short. */
#define SEEN_SLOTS	4096

const char *const filer_names[FILER__MAX] = {
	"filer_company_name",
	"filer_address",
	"filer_contact_name",
	"filer_phone",
	"filer_email",
};

static const char *const filer_labels[FILER__MAX] = {
	"Filer company name",
	"Filer address",
	"Filer contact name",
	"Filer phone",
	"Filer email",
};

enum refusal {
	REFUSE_NONE,
	REFUSE_FIELDS,		/* more than LIM_PDF_FIELDS */
	REFUSE_DEPTH,		/* deeper than LIM_PDF_DEPTH */
	REFUSE_MEMORY,
};

struct walk {
	qpdf_data		 q;		/* one of q and lite */
	struct pdflite		*lite;
	struct form		*f;
	struct form_line	*rows;		/* line N is rows[N - 1] */
	size_t			 nrows;		/* highest line named */
	size_t			 rowcap;
	struct pdf_filer	*filer;		/* NULL: checked, not kept */
	struct report		 rep;		/* handed on only if read */
	unsigned int		 headers;	/* a bit per header name met */
	int			 certify;	/* -1 no box, 0 off, 1 on */
	size_t			 terminals;	/* terminal fields met */
	size_t			 nodes;		/* entries walked */
	enum refusal		 refused;
	size_t			 namelen;
	char			 name[NAME_BYTES];
	int			 seen[SEEN_SLOTS];	/* object ids; 0 free */
};

static void
seterr(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
seterr(char *err, size_t errsz, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

/* Marks an object id visited; returns 1 if it was already. */
static int
seen(struct walk *w, int id)
{
	unsigned int	 h;

	h = ((unsigned int)id * 2654435761u) & (SEEN_SLOTS - 1);
	while (w->seen[h] != 0) {
		if (w->seen[h] == id)
			return 1;
		h = (h + 1) & (SEEN_SLOTS - 1);
	}
	w->seen[h] = id;
	return 0;
}

static int
keep(char **slot, const char *s, size_t len)
{
	char	*p;

	if ((p = malloc(len + 1)) == NULL)
		return -1;
	memcpy(p, s, len);
	p[len] = '\0';
	free(*slot);
	*slot = p;
	return 0;
}

static int
filer_find(const char *name)
{
	int	 i;

	for (i = 0; i < FILER__MAX; i++)
		if (strcmp(filer_names[i], name) == 0)
			return i;
	return -1;
}

/*
 * "N.FIELD" of a line field name: N from 1 to LIM_LINES without
 * leading zeros, FIELD a line vocabulary name.  Returns 0, or -1.
 */
static int
line_name(const char *s, size_t *line, int *k)
{
	size_t	 n = 0;

	if (*s < '1' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++)
		if ((n = n * 10 + (size_t)(*s - '0')) > LIM_LINES)
			return -1;
	if (*s != '.' || (*k = lfield_find(s + 1)) == -1)
		return -1;
	*line = n;
	return 0;
}

/* Makes rows[line - 1] exist.  Returns 0, or -1 (memory). */
static int
row_need(struct walk *w, size_t line)
{
	struct form_line	*p;
	size_t			 cap;

	if (line > w->rowcap) {
		cap = w->rowcap ? w->rowcap * 2 : 16;
		if (cap < line)
			cap = line;
		if ((p = reallocarray(w->rows, cap, sizeof(*p))) == NULL)
			return -1;
		memset(p + w->rowcap, 0, (cap - w->rowcap) * sizeof(*p));
		w->rows = p;
		w->rowcap = cap;
	}
	if (line > w->nrows)
		w->nrows = line;
	return 0;
}

static void
rows_free(struct walk *w)
{
	size_t	 i;
	int	 j;

	for (i = 0; i < w->nrows; i++)
		for (j = 0; j < LF__MAX; j++)
			free(w->rows[i].v[j]);
	free(w->rows);
	w->rows = NULL;
	w->nrows = w->rowcap = 0;
}

static int
row_empty(const struct form_line *l)
{
	int	 j;

	for (j = 0; j < LF__MAX; j++)
		if (l->v[j] != NULL)
			return 0;
	return 1;
}

/* ---- the questions the walk asks, of pdflite or qpdf ---- */

static int
o_type(struct walk *w, qpdf_oh h)
{
	return w->lite != NULL ? pdflite_type(w->lite, h) :
	    (int)qpdf_oh_get_type_code(w->q, h);
}

static int
o_id(struct walk *w, qpdf_oh h)
{
	return w->lite != NULL ? pdflite_object_id(w->lite, h) :
	    qpdf_oh_get_object_id(w->q, h);
}

static qpdf_oh
o_key(struct walk *w, qpdf_oh h, const char *key)
{
	return w->lite != NULL ? pdflite_key(w->lite, h, key) :
	    qpdf_oh_get_key(w->q, h, key);
}

static int
o_has_key(struct walk *w, qpdf_oh h, const char *key)
{
	return w->lite != NULL ? pdflite_has_key(w->lite, h, key) :
	    qpdf_oh_has_key(w->q, h, key);
}

static int
o_n_items(struct walk *w, qpdf_oh h)
{
	return w->lite != NULL ? pdflite_n_items(w->lite, h) :
	    qpdf_oh_get_array_n_items(w->q, h);
}

static qpdf_oh
o_item(struct walk *w, qpdf_oh h, int i)
{
	return w->lite != NULL ? pdflite_item(w->lite, h, i) :
	    qpdf_oh_get_array_item(w->q, h, i);
}

/* A string as UTF-8 (PDFDocEncoding or UTF-16BE in the file). */
static const char *
o_utf8(struct walk *w, qpdf_oh h, size_t *len)
{
	return w->lite != NULL ? pdflite_utf8(w->lite, h, len) :
	    qpdf_oh_get_binary_utf8_value(w->q, h, len);
}

/* A name with its '/'. */
static const char *
o_name(struct walk *w, qpdf_oh h, size_t *len)
{
	const char	*s;

	if (w->lite != NULL)
		return pdflite_name(w->lite, h, len);
	s = qpdf_oh_get_name(w->q, h);
	*len = qpdf_get_last_string_length(w->q);
	return s;
}

static int
o_is_name(struct walk *w, qpdf_oh h, const char *name)
{
	const char	*s;
	size_t		 len;

	if (w->lite == NULL)
		return qpdf_oh_is_name_and_equals(w->q, h, name);
	if (o_type(w, h) != ot_name)
		return 0;
	s = o_name(w, h, &len);
	return len == strlen(name) && memcmp(s, name, len) == 0;
}

/*
 * The value v of a terminal field: text (PDFDocEncoding or UTF-16BE,
 * as UTF-8) or a name (a checkbox, radio button or choice; /Off is
 * empty).  Sets *s and *len, *len 0 for none; the text lives until the
 * next qpdf call.  Returns 0, or -1 with the problem reported.
 */
static int
value(struct walk *w, qpdf_oh v, size_t line, const char *field,
    const char *label, const char **s, size_t *len)
{
	qpdf_oh	 item;
	int	 n;

	*s = "";
	*len = 0;
	switch (o_type(w, v)) {
	case ot_null:
	case ot_uninitialized:
		return 0;
	case ot_string:
		*s = o_utf8(w, v, len);
		return 0;
	case ot_name:
		*s = o_name(w, v, len);
		if (*len > 0 && **s == '/') {
			(*s)++;
			(*len)--;
		}
		if (*len == 3 && memcmp(*s, "Off", 3) == 0)
			*len = 0;
		return 0;
	case ot_array:
		/* A list box may allow several choices; ours take one. */
		if ((n = o_n_items(w, v)) == 0)
			return 0;
		if (n > 1) {
			report_error(&w->rep, line, field, "%s has %d values: "
			    "choose one.", label, n);
			return -1;
		}
		item = o_item(w, v, 0);
		if (o_type(w, item) == ot_string) {
			*s = o_utf8(w, item, len);
			return 0;
		}
		break;
	default:
		break;
	}
	report_error(&w->rep, line, field, "%s is not text in the PDF: "
	    "retype it in the original form.", label);
	return -1;
}

/*
 * A key of a terminal field dictionary, or the one it inherits when
 * it has none; own says whether walk() has looked it up already.
 */
static qpdf_oh
inherited(struct walk *w, qpdf_oh oh, const char *key, qpdf_oh up, int own)
{
	qpdf_oh	 h;

	if (own)
		return up;
	h = o_key(w, oh, key);
	return o_type(w, h) == ot_null ? up : h;
}

/*
 * The terminal field oh: its value goes where its name says; /FT and
 * /V are looked up only for names of ours.  Returns 0, or -1
 * (memory).
 */
static int
take(struct walk *w, qpdf_oh oh, qpdf_oh ft, qpdf_oh v, int own)
{
	char		**slot = NULL;
	const char	 *field, *label, *s;
	size_t		  line = 0, len, i;
	int		  k, on;

	w->terminals++;
	if (strcmp(w->name, "certify") == 0) {
		ft = inherited(w, oh, "/FT", ft, own);
		v = inherited(w, oh, "/V", v, own);
		on = ft != 0 && v != 0 &&
		    o_is_name(w, ft, "/Btn") && o_is_name(w, v, "/Yes");
		/* Two boxes of that name count as checked only if both. */
		w->certify = w->certify == -1 ? on : w->certify && on;
		return 0;
	}
	if ((k = hfield_find(w->name)) != -1) {
		w->headers |= 1u << k;
		slot = &w->f->v[k];
		field = hfields[k].name;
		label = hfields[k].label;
	} else if ((k = filer_find(w->name)) != -1) {
		if (w->filer != NULL)
			slot = &w->filer->v[k];
		field = filer_names[k];
		label = filer_labels[k];
	} else if (strncmp(w->name, "line.", 5) == 0 &&
	    line_name(w->name + 5, &line, &k) == 0) {
		if (row_need(w, line) == -1)
			return -1;
		slot = &w->rows[line - 1].v[k];
		field = lfields[k].name;
		label = lfields[k].label;
	} else
		return 0;

	v = inherited(w, oh, "/V", v, own);
	if (v == 0 || value(w, v, line, field, label, &s, &len) == -1)
		return 0;
	/* Blank is not given: rules tell what is required. */
	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' &&
		    s[i] != '\n')
			break;
	if (i == len)
		return 0;
	if (len > LIM_FIELD_BYTES) {
		report_error(&w->rep, line, field, "%s is longer than %d "
		    "bytes: shorten it to at most %d characters.", label,
		    LIM_FIELD_BYTES, LIM_FIELD_CHARS);
		return 0;
	}
	if (memchr(s, '\0', len) != NULL) {
		report_error(&w->rep, line, field, "%s holds a NUL "
		    "character: retype it.", label);
		return 0;
	}
	if (slot == NULL)
		return 0;
	if (*slot != NULL) {
		if (strlen(*slot) != len || memcmp(*slot, s, len) != 0)
			report_error(&w->rep, line, field, "%s is on the form "
			    "twice with different values: the form was "
			    "altered; fill the original form.", label);
		return 0;
	}
	return keep(slot, s, len);
}

/*
 * Adds "." and the string t (or t alone at the top) to the name.
 * Returns 0, or -1 when the result cannot be one of our names (too
 * long, a NUL inside).
 */
static int
name_push(struct walk *w, qpdf_oh t)
{
	const char	*s;
	size_t		 len, at;

	s = o_utf8(w, t, &len);
	at = w->namelen;
	if (at > 0)
		at++;
	if (memchr(s, '\0', len) != NULL || at + len >= NAME_BYTES)
		return -1;
	if (at > 0)
		w->name[at - 1] = '.';
	memcpy(w->name + at, s, len);
	w->namelen = at + len;
	w->name[w->namelen] = '\0';
	return 0;
}

/*
 * One object of the field tree and what hangs below it, with the /FT
 * and /V it inherits.  A dictionary without /T adds nothing to the
 * name: a widget, or rarely a nameless node above fields.  Returns 1
 * when it or anything below it is a field, 0 if not (a widget, not a
 * dictionary, an object met before), -1 when refused.
 *
 * Each qpdf call costs about as much as parsing a short token, so the
 * walk asks only what it needs: a terminal field (most of them) costs
 * its object id, /T, /Kids and, for our names, /V.
 */
static int
walk(struct walk *w, qpdf_oh oh, qpdf_oh ft, qpdf_oh v, int depth)
{
	qpdf_oh		 t, kids = 0;
	size_t		 namelen = w->namelen;
	int		 id, n, i, r, field, below = 0, rc = -1;

	if (depth > LIM_PDF_DEPTH) {
		w->refused = REFUSE_DEPTH;
		return -1;
	}
	/* Asking a key of anything else would be a warning. */
	if (o_type(w, oh) != ot_dictionary)
		return 0;
	/* Cycles and shared kids: each object once (direct ones have
	 * id 0 and cannot recur). */
	if ((id = o_id(w, oh)) != 0 && seen(w, id))
		return o_has_key(w, oh, "/T");
	t = o_key(w, oh, "/T");
	switch (o_type(w, t)) {
	case ot_null:
		field = 0;
		kids = o_key(w, oh, "/Kids");
		if (o_type(w, kids) != ot_array)
			return 0;
		break;
	case ot_string:
		field = 1;
		if (name_push(w, t) == -1)
			return 1;	/* not a name of ours, nor below */
		if (o_has_key(w, oh, "/Kids"))
			kids = o_key(w, oh, "/Kids");
		break;
	default:
		return 1;		/* a field, oddly named: not ours */
	}
	if (kids != 0) {
		/* Above others: what they inherit. */
		if (o_has_key(w, oh, "/FT"))
			ft = o_key(w, oh, "/FT");
		if (o_has_key(w, oh, "/V"))
			v = o_key(w, oh, "/V");
		n = o_type(w, kids) == ot_array ? o_n_items(w, kids) : 0;
		for (i = 0; i < n; i++) {
			if (++w->nodes > LIM_PDF_FIELDS) {
				w->refused = REFUSE_FIELDS;
				goto out;
			}
			r = walk(w, o_item(w, kids, i), ft, v,
			    depth + 1);
			if (r == -1)
				goto out;
			below |= r;
		}
	}
	if (field && !below && take(w, oh, ft, v, kids != 0) == -1) {
		w->refused = REFUSE_MEMORY;
		goto out;
	}
	rc = field || below;
out:
	w->namelen = namelen;
	w->name[namelen] = '\0';
	return rc;
}

/*
 * Lines into the form and the last checks.  Line N of the PDF is
 * lines[N], so every message names the line the filer sees: empty
 * lines after the last filled one are dropped, and an empty line
 * before it stays (empty, an error) rather than shifting the lines
 * below it.  Returns 0, or -1 (memory).
 */
static int
finish(struct walk *w)
{
	struct form_line	*l;
	size_t			 last, i;

	if (w->certify != 1)
		report_error(&w->rep, 0, "certify", "Check the certification "
		    "box: it certifies that the application is true and "
		    "complete.");
	for (last = w->nrows; last > 0; last--)
		if (!row_empty(&w->rows[last - 1]))
			break;
	for (i = 0; i < last; i++) {
		if (row_empty(&w->rows[i]))
			report_error(&w->rep, i + 1, "", "Line %zu is empty "
			    "but line %zu is filled: fill product lines "
			    "from line 1 down, with no empty line between "
			    "them.", i + 1, last);
		if ((l = form_add_line(w->f)) == NULL)
			return -1;
		/* The strings move; nothing is copied. */
		*l = w->rows[i];
		memset(&w->rows[i], 0, sizeof(w->rows[i]));
	}
	return 0;
}

static int
popcount(unsigned int x)
{
	int	 n;

	for (n = 0; x != 0; x &= x - 1)
		n++;
	return n;
}

/* Why qpdf could not read the file (its error or first warning). */
static void
qpdf_refusal(qpdf_data q, char *err, size_t errsz)
{
	qpdf_error	 e;

	if (qpdf_has_error(q))
		e = qpdf_get_error(q);
	else
		e = qpdf_next_warning(q);
	if (e != NULL && qpdf_get_error_code(q, e) == qpdf_e_password) {
		seterr(err, errsz, "the PDF is protected by a password: "
		    "remove the password (save or print the form without "
		    "security) and send it again");
		return;
	}
	seterr(err, errsz, "damaged PDF (%s): fill and save the original "
	    "form again", e != NULL ? qpdf_get_error_message_detail(q, e) :
	    "unreadable");
	/* qpdf quotes bytes of the file ("invalid character (\xff) in
	 * hexstring"), and JSON and mail take only UTF-8. */
	if (err != NULL && errsz > 0)
		report_ascii(err);
}

/* A walk with nothing read yet. */
static struct walk *
walk_new(struct pdf_filer *filer)
{
	struct walk	*w;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	if ((w->f = form_new()) == NULL) {
		free(w);
		return NULL;
	}
	report_init(&w->rep);
	w->certify = -1;
	w->filer = filer;
	return w;
}

/* Frees a walk and what it read (the filer block's values too). */
static void
walk_free(struct walk *w)
{
	if (w == NULL)
		return;
	if (w->q != NULL)
		qpdf_cleanup(&w->q);
	pdflite_free(w->lite);
	rows_free(w);
	form_free(w->f);
	report_free(&w->rep);
	pdf_filer_free(w->filer);
	free(w);
}

/* The fields from /Root /AcroForm /Fields down; *xfa: /XFA is there. */
static void
walk_fields(struct walk *w, int *xfa)
{
	qpdf_oh		 root, acro = 0, fields = 0;
	int		 n, r;

	*xfa = 0;
	root = w->lite != NULL ? pdflite_root(w->lite) : qpdf_get_root(w->q);
	if (o_type(w, root) == ot_dictionary)
		acro = o_key(w, root, "/AcroForm");
	if (acro != 0 && o_type(w, acro) == ot_dictionary) {
		*xfa = o_has_key(w, acro, "/XFA");
		fields = o_key(w, acro, "/Fields");
	}
	n = fields != 0 && o_type(w, fields) == ot_array ?
	    o_n_items(w, fields) : 0;
	for (r = 0; r < n; r++) {
		if (++w->nodes > LIM_PDF_FIELDS) {
			w->refused = REFUSE_FIELDS;
			break;
		}
		if (walk(w, o_item(w, fields, r), 0, 0, 1) == -1)
			break;
	}
}

struct form *
pdfform_read_with(const char *buf, size_t len, struct pdf_filer *filer,
    struct report *rep, char *err, size_t errsz, int lite)
{
	struct walk	*w = NULL;
	struct form	*f = NULL;
	size_t		 i;
	int		 xfa = 0;

	seterr(err, errsz, "%s", "");
	if (filer != NULL)
		memset(filer, 0, sizeof(*filer));
	if (len > LIM_PDF_BYTES) {
		seterr(err, errsz, "the PDF is larger than %d MiB: send "
		    "screenshots as separate attachments",
		    LIM_PDF_BYTES / (1024 * 1024));
		return NULL;
	}
	if (buf == NULL || len == 0) {
		seterr(err, errsz, "damaged PDF (empty file): fill and save "
		    "the original form again");
		return NULL;
	}
	if ((w = walk_new(filer)) == NULL) {
		seterr(err, errsz, "out of memory reading the form");
		goto out;
	}
	if (lite && (w->lite = pdflite_open(buf, len)) != NULL) {
		walk_fields(w, &xfa);
		/* Something pdflite does not read: all again with qpdf. */
		if (pdflite_failed(w->lite)) {
			walk_free(w);
			if ((w = walk_new(filer)) == NULL) {
				seterr(err, errsz, "out of memory reading the "
				    "form");
				goto out;
			}
		}
	}
	if (w->lite == NULL) {
		if ((w->q = qpdf_init()) == NULL) {
			seterr(err, errsz, "out of memory reading the form");
			goto out;
		}
		qpdf_silence_errors(w->q);
		qpdf_set_suppress_warnings(w->q, QPDF_TRUE);
		/* A rebuilt cross-reference table may lose fields unseen:
		 * a damaged file is refused, not guessed at. */
		qpdf_set_attempt_recovery(w->q, QPDF_FALSE);
		if (qpdf_read_memory(w->q, "form.pdf", buf, len, NULL) &
		    QPDF_ERRORS) {
			qpdf_refusal(w->q, err, errsz);
			goto out;
		}
		walk_fields(w, &xfa);
	}
	switch (w->refused) {
	case REFUSE_NONE:
		break;
	case REFUSE_FIELDS:
		seterr(err, errsz, "not the AIM license form: the PDF has "
		    "more than %d fields", LIM_PDF_FIELDS);
		goto out;
	case REFUSE_DEPTH:
		seterr(err, errsz, "not the AIM license form: the PDF's "
		    "fields nest deeper than %d levels", LIM_PDF_DEPTH);
		goto out;
	default:
		seterr(err, errsz, "out of memory reading the form");
		goto out;
	}
	/* Objects that would not load read as null with a warning
	 * (pdflite reads none such). */
	if (w->q != NULL && (qpdf_has_error(w->q) ||
	    qpdf_more_warnings(w->q))) {
		qpdf_refusal(w->q, err, errsz);
		goto out;
	}
	if (xfa && w->terminals == 0) {
		seterr(err, errsz, "This is an XFA form, which this system "
		    "cannot read: use the AcroForm version from the web "
		    "site");
		goto out;
	}
	if (w->terminals == 0) {
		seterr(err, errsz, "no fillable fields: the form was "
		    "flattened or scanned; fill the original form from the "
		    "web site and send it as saved");
		goto out;
	}
	if (popcount(w->headers) < HEADER_MIN) {
		seterr(err, errsz, "%s", xfa ? "This is an XFA form, which "
		    "this system cannot read: use the AcroForm version from "
		    "the web site" : "not the AIM license form: its fields "
		    "are not those of the license application; download "
		    "the form from the web site");
		goto out;
	}
	if (finish(w) == -1) {
		seterr(err, errsz, "out of memory reading the form");
		goto out;
	}
	for (i = 0; i < w->rep.nerrors; i++)
		report_error(rep, 0, w->rep.errors[i].field, "%s",
		    w->rep.errors[i].message);
	if (w->rep.truncated)
		rep->truncated = 1;
	f = w->f;
	w->f = NULL;
	/* The filer block is the caller's now. */
	w->filer = NULL;
out:
	walk_free(w);
	return f;
}

struct form *
pdfform_read_filer(const char *buf, size_t len, struct pdf_filer *filer,
    struct report *rep, char *err, size_t errsz)
{
	return pdfform_read_with(buf, len, filer, rep, err, errsz, 1);
}

struct form *
pdfform_read(const char *buf, size_t len, struct report *rep, char *err,
    size_t errsz)
{
	return pdfform_read_filer(buf, len, NULL, rep, err, errsz);
}

void
pdf_filer_free(struct pdf_filer *filer)
{
	int	 i;

	if (filer == NULL)
		return;
	for (i = 0; i < FILER__MAX; i++) {
		free(filer->v[i]);
		filer->v[i] = NULL;
	}
}
