/*
 * The XML form: <license xmlns="urn:aim:license:1"> holding the header
 * fields of the vocabulary and <lines><line>...</line></lines>.
 *
 * Reading is hardened against hostile documents: the size is capped
 * before libxml2 sees a byte, the parse runs from memory without the
 * network, DTD loading or entity substitution, any DOCTYPE refuses the
 * document the moment it is seen (before its internal subset is read,
 * so no entity is ever declared), and nesting is capped.  libxml2 never
 * prints: every context gets a handler that keeps what it says.
 *
 * A walk over the tree fills the struct form and names every problem
 * by field; xml/license.xsd then checks the layout as published, and
 * its findings are added for fields the walk did not already name.
 * The walk comes first because libxml2 stops checking an element's
 * children after the first misplaced one, while the filer should see
 * every problem at once.  Value rules (lengths, dates, countries) are
 * left to forms/rules.c, so that every channel says the same thing.
 *
 * The schema and its validation context are kept for the process; the
 * processes that read forms are single threaded.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/chvalid.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlstring.h>

#include "lib/utf8.h"
#include "lib/limits.h"
#include "forms/form.h"
#include "xmlform.h"

/* The schema source, compiled in from xml/license.xsd (scripts/embed). */
extern const char	 license_xsd[];
extern const size_t	 license_xsd_len;

#define XSI_NS		"http://www.w3.org/2001/XMLSchema-instance"
/* Bytes of an unknown element name shown back in a message. */
#define NAME_SHOWN	64
/* Bytes of one message before it goes into the report. */
#define MSG_MAX		512

static xmlSchemaPtr		 schema;
static xmlSchemaValidCtxtPtr	 vctxt;

/* What one parse learned, reached from the parser through _private. */
struct parse {
	int	 depth;
	int	 doctype;	/* a DOCTYPE was seen: refused */
	int	 deep;		/* nested past LIM_FORM_DEPTH: refused */
	int	 errline;	/* first error from libxml2 */
	char	 errmsg[256];
};

/* One read: where problems go. */
struct walk {
	struct report	*rep;
	xmlNodePtr	 root;
	char		*err;
	size_t		 errsz;
};

static void
fielderr(struct walk *w, size_t line, const char *field, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

/* Keeps the first line of a libxml2 message, without its newline. */
static void
keep_msg(char *out, size_t outsz, const char *msg)
{
	size_t	 n;

	if (msg == NULL)
		msg = "unknown error";
	n = strcspn(msg, "\r\n");
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, msg, n);
	out[n] = '\0';
	utf8_trim_cut(out);	/* cut mid-character */
}

/* Swallows libxml2's generic messages: nothing goes to stderr. */
static void
silent(void *ctx, const char *fmt, ...)
{
}

/* Parser and schema-parser errors: keep the first real one. */
static void
parse_error(void *data, xmlErrorPtr e)
{
	xmlParserCtxtPtr	 ctxt = data;
	struct parse		*p;

	if (ctxt == NULL || (p = ctxt->_private) == NULL)
		return;
	if (e == NULL || e->level < XML_ERR_ERROR || p->errmsg[0] != '\0')
		return;
	p->errline = e->line;
	keep_msg(p->errmsg, sizeof(p->errmsg), e->message);
}

static void
schema_parse_error(void *data, xmlErrorPtr e)
{
	struct parse	*p = data;

	if (e == NULL || e->level < XML_ERR_ERROR || p->errmsg[0] != '\0')
		return;
	p->errline = e->line;
	keep_msg(p->errmsg, sizeof(p->errmsg), e->message);
}

/* A form never needs a DOCTYPE; stop before its internal subset. */
static void
sax_doctype(void *ctx, const xmlChar *name, const xmlChar *eid,
    const xmlChar *sid)
{
	xmlParserCtxtPtr	 ctxt = ctx;
	struct parse		*p = ctxt->_private;

	p->doctype = 1;
	xmlStopParser(ctxt);
}

static void
sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri, int nns, const xmlChar **nss, int nattrs,
    int ndefaulted, const xmlChar **attrs)
{
	xmlParserCtxtPtr	 ctxt = ctx;
	struct parse		*p = ctxt->_private;

	if (++p->depth > LIM_FORM_DEPTH) {
		p->deep = 1;
		xmlStopParser(ctxt);
		return;
	}
	xmlSAX2StartElementNs(ctx, localname, prefix, uri, nns, nss, nattrs,
	    ndefaulted, attrs);
}

static void
sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri)
{
	xmlParserCtxtPtr	 ctxt = ctx;
	struct parse		*p = ctxt->_private;

	p->depth--;
	xmlSAX2EndElementNs(ctx, localname, prefix, uri);
}

int
xmlform_init(char *err, size_t errsz)
{
	xmlSchemaParserCtxtPtr	 pctxt = NULL;
	struct parse		 p;
	int			 rc = -1;

	if (vctxt != NULL)
		return 0;
	memset(&p, 0, sizeof(p));
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, silent);
	pctxt = xmlSchemaNewMemParserCtxt(license_xsd, (int)license_xsd_len);
	if (pctxt == NULL) {
		why_set(err, errsz, "XML form schema: out of memory");
		goto out;
	}
	xmlSchemaSetParserStructuredErrors(pctxt, schema_parse_error, &p);
	if ((schema = xmlSchemaParse(pctxt)) == NULL) {
		why_set(err, errsz, "XML form schema (xml/license.xsd) line "
		    "%d: %s", p.errline, p.errmsg[0] ? p.errmsg : "not loaded");
		goto out;
	}
	if ((vctxt = xmlSchemaNewValidCtxt(schema)) == NULL) {
		why_set(err, errsz, "XML form schema: out of memory");
		xmlSchemaFree(schema);
		schema = NULL;
		goto out;
	}
	rc = 0;
out:
	xmlSchemaFreeParserCtxt(pctxt);
	return rc;
}

void
xmlform_free(void)
{
	xmlSchemaFreeValidCtxt(vctxt);
	xmlSchemaFree(schema);
	vctxt = NULL;
	schema = NULL;
}

/*
 * Parses buf into a tree, or returns NULL with the reason in err.
 */
static xmlDocPtr
parse(const char *buf, size_t len, char *err, size_t errsz)
{
	xmlParserCtxtPtr	 ctxt;
	xmlDocPtr		 doc = NULL;
	struct parse		 p;
	int			 ok = 0;

	memset(&p, 0, sizeof(p));
	if ((ctxt = xmlCreateMemoryParserCtxt(buf, (int)len)) == NULL) {
		why_set(err, errsz, "out of memory reading the form");
		return NULL;
	}
	/* No NOENT, DTDLOAD, DTDATTR, DTDVALID, HUGE or XINCLUDE. */
	xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR |
	    XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	ctxt->_private = &p;
	ctxt->sax->serror = parse_error;
	ctxt->sax->internalSubset = sax_doctype;
	ctxt->sax->startElementNs = sax_start;
	ctxt->sax->endElementNs = sax_end;
	xmlParseDocument(ctxt);
	doc = ctxt->myDoc;
	ctxt->myDoc = NULL;
	if (p.doctype)
		why_set(err, errsz, "a DOCTYPE is not allowed in a license "
		    "form: remove the <!DOCTYPE ...> declaration");
	else if (p.deep)
		why_set(err, errsz, "the form is nested deeper than %d "
		    "elements: a form needs only 4 (license, lines, line, "
		    "field)", LIM_FORM_DEPTH);
	else if (!ctxt->wellFormed || doc == NULL)
		why_set(err, errsz, "not well-formed XML: line %d: %s",
		    p.errline > 0 ? p.errline : ctxt->input != NULL ?
		    ctxt->input->line : 1,
		    p.errmsg[0] ? p.errmsg : "cannot be read");
	else
		ok = 1;
	if (!ok) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	ctxt->_private = NULL;
	xmlFreeParserCtxt(ctxt);
	return doc;
}

static int
in_ns(xmlNodePtr n)
{
	return n->ns != NULL && n->ns->href != NULL &&
	    strcmp((const char *)n->ns->href, XMLFORM_NS) == 0;
}

static int
is_elem(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && in_ns(n) &&
	    strcmp((const char *)n->name, name) == 0;
}

/* An element name as it may be shown back: cut on a UTF-8 boundary. */
static void
name_shown(const xmlChar *name, char *out, size_t outsz)
{
	size_t	 n, full;

	full = n = strlen((const char *)name);
	if (n > NAME_SHOWN) {
		n = NAME_SHOWN;
		while (n > 0 && (name[n] & 0xc0) == 0x80)
			n--;
	}
	if (n + 4 > outsz)
		n = 0;
	memcpy(out, name, n);
	if (n < full) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
}

/* The report's name for a field: "", "lines[2]", "lines[2].hts_code". */
static void
path_of(size_t line, const char *field, char *path, size_t pathsz)
{
	if (line > 0)
		snprintf(path, pathsz, "lines[%zu]%s%s", line,
		    *field ? "." : "", field);
	else
		snprintf(path, pathsz, "%s", field);
}

/*
 * Reports a problem once: the same words for the same field (a field
 * given three times) make one entry.
 */
static void
fielderr(struct walk *w, size_t line, const char *field, const char *fmt,
    ...)
{
	va_list	 ap;
	char	 path[128], msg[MSG_MAX];
	size_t	 i;

	path_of(line, field, path, sizeof(path));
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (i = 0; i < w->rep->nerrors; i++)
		if (strcmp(w->rep->errors[i].field, path) == 0 &&
		    strcmp(w->rep->errors[i].message, msg) == 0)
			return;
	report_error(w->rep, line, field, "%s", msg);
}

/* XML's whitespace; other spaces are data the rules may refuse. */
static int
is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
is_blank(const xmlChar *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if (!is_ws(*s))
			return 0;
	return 1;
}

/*
 * Attributes other than xsi:* (left to the schema) are never part of
 * a form.  Namespace declarations are not attributes in the tree.
 */
static void
check_attrs(struct walk *w, xmlNodePtr n, size_t line, const char *field)
{
	xmlAttrPtr	 a;
	char		 shown[NAME_SHOWN + 8];

	for (a = n->properties; a != NULL; a = a->next) {
		if (a->ns != NULL && a->ns->href != NULL &&
		    strcmp((const char *)a->ns->href, XSI_NS) == 0)
			continue;
		name_shown(a->name, shown, sizeof(shown));
		fielderr(w, line, field, "attributes are not part of the "
		    "form: remove %s=\"...\".", shown);
	}
}

/*
 * Text outside the fields, in the form, the lines or one line.
 */
static void
check_text(struct walk *w, xmlNodePtr n, size_t line, const char *field)
{
	if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
	    !is_blank(n->content))
		fielderr(w, line, field, "text outside any field: put it "
		    "inside a field element or remove it.");
}

/*
 * The value of a field element: its text and CDATA joined, trimmed of
 * surrounding whitespace.  Returns 1 and a malloc'ed *val, 0 if the
 * element is not plain text (reported), or -1 (memory).
 */
static int
field_text(struct walk *w, xmlNodePtr e, size_t line, const char *field,
    char **val, size_t *vlen)
{
	xmlNodePtr	 c;
	char		*s, shown[NAME_SHOWN + 8];
	size_t		 len = 0, n, a, b;

	*val = NULL;
	for (c = e->children; c != NULL; c = c->next) {
		if ((c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) && c->content != NULL)
			len += strlen((const char *)c->content);
		else if (c->type == XML_ELEMENT_NODE) {
			name_shown(c->name, shown, sizeof(shown));
			fielderr(w, line, field, "must be plain text: remove "
			    "the <%s> element inside it.", shown);
			return 0;
		}
	}
	if ((s = malloc(len + 1)) == NULL)
		return -1;
	len = 0;
	for (c = e->children; c != NULL; c = c->next) {
		if ((c->type != XML_TEXT_NODE &&
		    c->type != XML_CDATA_SECTION_NODE) || c->content == NULL)
			continue;
		n = strlen((const char *)c->content);
		memcpy(s + len, c->content, n);
		len += n;
	}
	s[len] = '\0';
	for (a = 0; a < len && is_ws(s[a]); a++)
		;
	for (b = len; b > a && is_ws(s[b - 1]); b--)
		;
	if (b - a > LIM_FIELD_BYTES) {
		free(s);
		fielderr(w, line, field, "is longer than %d bytes: shorten "
		    "it to at most %d characters.", LIM_FIELD_BYTES,
		    LIM_FIELD_CHARS);
		return 0;
	}
	memmove(s, s + a, b - a);
	s[b - a] = '\0';
	*val = s;
	*vlen = b - a;
	return 1;
}

/*
 * Counts element children against LIM_FORM_KEYS; a form needs 13 at
 * most in <license> and 7 in a <line>.
 */
static int
too_many(xmlNodePtr n, struct walk *w)
{
	xmlNodePtr	 c;
	size_t		 k = 0;

	for (c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && ++k > LIM_FORM_KEYS) {
			why_set(w->err, w->errsz, "an element of the form "
			    "holds more than %d elements (line %ld): keep "
			    "only the fields of the form", LIM_FORM_KEYS,
			    xmlGetLineNo(c));
			return 1;
		}
	return 0;
}

/*
 * Field k from element c, of the form f or of the line l (the other
 * NULL): refused when given again (seen holds the fields read).
 * Returns 0, or -1 (memory).
 */
static int
read_field(struct walk *w, xmlNodePtr c, size_t line, const char *shown,
    int k, unsigned int *seen, struct form *f, struct form_line *l)
{
	char	*val;
	size_t	 len;
	int	 rc;

	check_attrs(w, c, line, shown);
	if (*seen & (1U << k)) {
		fielderr(w, line, shown, "is given more than once: keep one.");
		return 0;
	}
	*seen |= 1U << k;
	if ((rc = field_text(w, c, line, shown, &val, &len)) <= 0)
		return rc;
	rc = l != NULL ? form_line_set(l, k, val, len) :
	    form_set(f, k, val, len);
	free(val);
	return rc;
}

/* One <line>.  Returns 0, or -1 with err set. */
static int
read_line(struct walk *w, xmlNodePtr ln, struct form_line *l, size_t line)
{
	xmlNodePtr	 c;
	char		 shown[NAME_SHOWN + 8];
	unsigned int	 seen = 0;
	int		 k;

	if (too_many(ln, w))
		return -1;
	check_attrs(w, ln, line, "");
	for (c = ln->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE) {
			check_text(w, c, line, "");
			continue;
		}
		name_shown(c->name, shown, sizeof(shown));
		k = lfield_find((const char *)c->name);
		if (!in_ns(c) || k == -1) {
			if (in_ns(c) && (hfield_find(shown) != -1 ||
			    strcmp(shown, "lines") == 0))
				fielderr(w, line, shown, "%s is a header "
				    "field: put it directly inside <license>, "
				    "not in a line.", shown);
			else if (!in_ns(c) && k != -1)
				fielderr(w, line, shown, "is not in the %s "
				    "namespace: write <%s> without a prefix "
				    "or namespace of its own.", XMLFORM_NS,
				    shown);
			else
				fielderr(w, line, shown, "Unknown field %s: "
				    "remove it or check its spelling.", shown);
			continue;
		}
		if (read_field(w, c, line, shown, k, &seen, NULL, l) == -1)
			goto nomem;
	}
	return 0;
nomem:
	why_set(w->err, w->errsz, "out of memory reading the form");
	return -1;
}

/* <lines>.  Returns 0, or -1 with err set. */
static int
read_lines(struct walk *w, xmlNodePtr ls, struct form *f)
{
	struct form_line	*l;
	xmlNodePtr		 c;
	char			 shown[NAME_SHOWN + 8];
	size_t			 line = 0;

	f->has_lines = 1;
	check_attrs(w, ls, 0, "lines");
	for (c = ls->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE) {
			check_text(w, c, 0, "lines");
			continue;
		}
		if (!is_elem(c, "line")) {
			name_shown(c->name, shown, sizeof(shown));
			fielderr(w, 0, "lines", "<%s> is not a product line: "
			    "write each line as <line>...</line> inside "
			    "<lines>.", shown);
			continue;
		}
		if (++line > LIM_LINES) {
			fielderr(w, 0, "lines", "at most %d product lines; "
			    "split into several licenses.", LIM_LINES);
			break;
		}
		/* The schema's findings name lines by this number. */
		c->_private = (void *)(uintptr_t)line;
		if ((l = form_add_line(f)) == NULL) {
			why_set(w->err, w->errsz, "out of memory reading the "
			    "form");
			return -1;
		}
		if (read_line(w, c, l, line) == -1)
			return -1;
	}
	return 0;
}

/* The children of <license>.  Returns 0, or -1 with err set. */
static int
read_form(struct walk *w, struct form *f)
{
	xmlNodePtr	 c;
	char		 shown[NAME_SHOWN + 8];
	unsigned int	 seen = 0;
	int		 k, lines_seen = 0;

	if (too_many(w->root, w))
		return -1;
	check_attrs(w, w->root, 0, "");
	for (c = w->root->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE) {
			check_text(w, c, 0, "");
			continue;
		}
		name_shown(c->name, shown, sizeof(shown));
		if (is_elem(c, "lines")) {
			if (lines_seen++) {
				fielderr(w, 0, "lines", "is given more than "
				    "once: put every <line> in one <lines>.");
				continue;
			}
			if (read_lines(w, c, f) == -1)
				return -1;
			continue;
		}
		k = hfield_find((const char *)c->name);
		if (!in_ns(c) || k == -1) {
			if (in_ns(c) && lfield_find(shown) != -1)
				fielderr(w, 0, shown, "%s belongs in a product "
				    "line: put it inside <lines><line>.",
				    shown);
			else if (!in_ns(c) && (k != -1 ||
			    strcmp(shown, "lines") == 0))
				fielderr(w, 0, shown, "is not in the %s "
				    "namespace: write <%s> without a prefix "
				    "or namespace of its own.", XMLFORM_NS,
				    shown);
			else
				fielderr(w, 0, shown, "Unknown field %s: "
				    "remove it or check its spelling.", shown);
			continue;
		}
		if (read_field(w, c, 0, shown, k, &seen, f, NULL) == -1)
			goto nomem;
	}
	return 0;
nomem:
	why_set(w->err, w->errsz, "out of memory reading the form");
	return -1;
}

/*
 * The field path of a node the schema complains about: the form
 * (""), a header field, "lines", "lines[N]" or "lines[N].field".
 * Nodes deeper than a field are named by their field.
 */
static size_t
node_path(struct walk *w, xmlNodePtr n, char *field, size_t fsz)
{
	xmlNodePtr	 chain[LIM_FORM_DEPTH + 2];
	size_t		 depth = 0, line;

	if (n != NULL && n->type == XML_ATTRIBUTE_NODE)
		n = n->parent;
	/* chain[0] the node, ..., chain[depth - 1] a child of the root. */
	for (; n != NULL && n != w->root && n->type == XML_ELEMENT_NODE;
	    n = n->parent) {
		if (depth == sizeof(chain) / sizeof(chain[0]))
			depth--;	/* cannot happen: depth is capped */
		chain[depth++] = n;
	}
	field[0] = '\0';
	if (n != w->root || depth == 0)
		return 0;
	n = chain[depth - 1];
	if (!is_elem(n, "lines")) {
		name_shown(n->name, field, fsz);
		return 0;
	}
	snprintf(field, fsz, "lines");
	if (depth < 2 || (line = (uintptr_t)chain[depth - 2]->_private) == 0)
		return 0;
	field[0] = '\0';
	if (depth >= 3)
		name_shown(chain[depth - 3]->name, field, fsz);
	return line;
}

/*
 * A schema finding in words a filer can act on.  Value facets are the
 * rules' business (forms/rules.c says it the same way everywhere).
 */
static void
schema_error(void *data, xmlErrorPtr e)
{
	struct walk	*w = data;
	xmlNodePtr	 n;
	char		 field[NAME_SHOWN + 8], shown[NAME_SHOWN + 8];
	char		 path[128];
	size_t		 line;
	int		 known;

	if (e == NULL || e->level < XML_ERR_ERROR || w->rep->truncated)
		return;
	if ((e->code >= XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_1 &&
	    e->code <= XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_3) ||
	    (e->code >= XML_SCHEMAV_CVC_FACET_VALID &&
	    e->code <= XML_SCHEMAV_CVC_ENUMERATION_VALID))
		return;
	n = e->node;
	line = node_path(w, n, field, sizeof(field));
	/* The walk's words come first; the schema only fills gaps. */
	path_of(line, field, path, sizeof(path));
	if (report_has_error(w->rep, path))
		return;
	shown[0] = '\0';
	if (n != NULL && n->name != NULL)
		name_shown(n->name, shown, sizeof(shown));
	switch (e->code) {
	case XML_SCHEMAV_ELEMENT_CONTENT:
		known = line > 0 ? lfield_find(shown) != -1 :
		    hfield_find(shown) != -1 || strcmp(shown, "lines") == 0;
		if (known && in_ns(n))
			fielderr(w, line, field, "is given more than once: "
			    "keep one.");
		else
			fielderr(w, line, field, "Unknown field %s: remove "
			    "it or check its spelling.", shown);
		break;
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_3:
		fielderr(w, line, field, "text outside any field: put it "
		    "inside a field element or remove it.");
		break;
	case XML_SCHEMAV_CVC_TYPE_3_1_2:
		fielderr(w, line, field, "must be plain text, with no "
		    "elements inside it.");
		break;
	case XML_SCHEMAV_CVC_TYPE_3_1_1:
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_1:
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_2:
		fielderr(w, line, field, "attributes are not part of the "
		    "form: remove them.");
		break;
	case XML_SCHEMAV_CVC_ELT_3_1:
	case XML_SCHEMAV_CVC_ELT_3_2_1:
	case XML_SCHEMAV_CVC_ELT_3_2_2:
		fielderr(w, line, field, "xsi:nil is not part of the form: "
		    "leave the element empty, or leave it out.");
		break;
	case XML_SCHEMAV_CVC_ELT_4_1:
	case XML_SCHEMAV_CVC_ELT_4_2:
	case XML_SCHEMAV_CVC_ELT_4_3:
		fielderr(w, line, field, "xsi:type is not part of the form: "
		    "remove it.");
		break;
	default:
		fielderr(w, line, field, "is not laid out as the license "
		    "form schema expects (line %d of the document).",
		    e->line);
		break;
	}
}

struct form *
xmlform_read(const char *buf, size_t len, struct report *rep, char *err,
    size_t errsz)
{
	struct form	*f = NULL;
	struct walk	 w;
	xmlDocPtr	 doc = NULL;
	xmlNodePtr	 root;

	why_set(err, errsz, "%s", "");
	if (buf == NULL)
		len = 0;
	if (len > LIM_FORM_BYTES) {
		why_set(err, errsz, "the form is larger than 1 MiB");
		goto out;
	}
	if (len == 0) {
		why_set(err, errsz, "the form is empty: send a <license "
		    "xmlns=\"%s\"> document", XMLFORM_NS);
		goto out;
	}
	if (vctxt == NULL && xmlform_init(err, errsz) == -1)
		goto out;
	if ((doc = parse(buf, len, err, errsz)) == NULL)
		goto out;
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !is_elem(root, "license")) {
		why_set(err, errsz, "not an AIM license form: root element "
		    "must be <license xmlns=\"%s\">", XMLFORM_NS);
		goto out;
	}
	if ((f = form_new()) == NULL) {
		why_set(err, errsz, "out of memory reading the form");
		goto out;
	}
	memset(&w, 0, sizeof(w));
	w.rep = rep;
	w.root = root;
	w.err = err;
	w.errsz = errsz;
	if (read_form(&w, f) == -1)
		goto fail;
	xmlSchemaSetValidStructuredErrors(vctxt, schema_error, &w);
	if (xmlSchemaValidateDoc(vctxt, doc) == -1) {
		why_set(err, errsz, "the form could not be checked against "
		    "its schema");
		goto fail;
	}
	goto out;
fail:
	form_free(f);
	f = NULL;
out:
	if (vctxt != NULL)
		xmlSchemaSetValidStructuredErrors(vctxt, NULL, NULL);
	xmlFreeDoc(doc);
	return f;
}

/*
 * Text libxml2 can write and read back: valid UTF-8 of XML chars.
 * libxml2 2.9's xmlGetUTF8Char takes a continuation byte for a lead
 * byte (and overlong forms), which its parser then refuses: the bytes
 * are checked as UTF-8 first.
 */
static int
xml_text_ok(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	int			 n, c, left;

	left = (int)strlen(s);
	if (!utf8_valid(s, (size_t)left))
		return 0;
	while (left > 0) {
		n = left;
		if ((c = xmlGetUTF8Char(p, &n)) < 0 || !xmlIsCharQ(c))
			return 0;
		p += n;
		left -= n;
	}
	return 1;
}

char *
xmlform_write(const struct form *f)
{
	xmlDocPtr	 doc;
	xmlNodePtr	 root, lines, ln;
	xmlNsPtr	 ns;
	xmlChar		*mem = NULL;
	char		*out = NULL;
	size_t		 i;
	int		 j, size = 0;

	if ((doc = xmlNewDoc(BAD_CAST "1.0")) == NULL)
		return NULL;
	if ((root = xmlNewDocNode(doc, NULL, BAD_CAST "license", NULL)) ==
	    NULL)
		goto out;
	xmlDocSetRootElement(doc, root);
	if ((ns = xmlNewNs(root, BAD_CAST XMLFORM_NS, NULL)) == NULL)
		goto out;
	xmlSetNs(root, ns);
	/* xmlNewTextChild escapes the value: no markup from data. */
	for (j = 0; j < HF__MAX; j++) {
		if (f->v[j] == NULL)
			continue;
		if (!xml_text_ok(f->v[j]) || xmlNewTextChild(root, ns,
		    BAD_CAST hfields[j].name, BAD_CAST f->v[j]) == NULL)
			goto out;
	}
	if (f->has_lines || f->nlines > 0) {
		if ((lines = xmlNewChild(root, ns, BAD_CAST "lines", NULL)) ==
		    NULL)
			goto out;
		for (i = 0; i < f->nlines; i++) {
			if ((ln = xmlNewChild(lines, ns, BAD_CAST "line",
			    NULL)) == NULL)
				goto out;
			for (j = 0; j < LF__MAX; j++) {
				if (f->lines[i].v[j] == NULL)
					continue;
				if (!xml_text_ok(f->lines[i].v[j]) ||
				    xmlNewTextChild(ln, ns,
				    BAD_CAST lfields[j].name,
				    BAD_CAST f->lines[i].v[j]) == NULL)
					goto out;
			}
		}
	}
	xmlDocDumpFormatMemoryEnc(doc, &mem, &size, "UTF-8", 1);
	if (mem == NULL || size <= 0)
		goto out;
	/* The caller frees with free(), not xmlFree(). */
	if ((out = malloc((size_t)size + 1)) == NULL)
		goto out;
	memcpy(out, mem, (size_t)size);
	out[size] = '\0';
out:
	xmlFree(mem);
	xmlFreeDoc(doc);
	return out;
}
