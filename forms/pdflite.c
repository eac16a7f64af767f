/*
 * The strict reader of a plain PDF's objects (forms/pdflite.h).  What
 * it reads: the header, the last startxref, one cross-reference table
 * of 20-byte entries and its trailer, then each object asked for at
 * its offset ("N G obj", a value, "endobj"), parsed into nodes kept
 * until the end.  References inside an object are read when asked.
 * Whatever else it meets sets failed; the caller then asks qpdf.
 */
#include <stdlib.h>
#include <string.h>

#include <qpdf/Constants.h>

#include "lib/hex.h"
#include "pdflite.h"

/* Bounds; past them the file is qpdf's to read. */
#define LITE_OBJECTS_MAX	100000	/* entries of the xref table */
#define LITE_NODES_MAX		(1 << 18)	/* values of every object read */
#define LITE_DEPTH_MAX		32	/* arrays and dictionaries nested */
#define LITE_KEYS_MAX		256	/* keys of one dictionary */
#define LITE_TAIL		1024	/* where startxref is looked for */

/* A node's type: qpdf's, or an indirect reference not yet read. */
#define OT_REF			0x7f

/* Node 0 is none, node 1 the null every absent key gives. */
#define NODE_NULL		1

struct node {
	unsigned char	 type;
	/* bytes (string, name): offset in bytes; array, dictionary:
	 * first slot; reference: object number; integer: its value */
	uint32_t	 a;
	/* bytes: length; array: items; dictionary: keys and values,
	 * two slots each; reference: generation; integer: 1 if a holds
	 * its value (not negative, fits) */
	uint32_t	 n;
};

struct obj {
	size_t		 off;		/* 0: not in the table, or free */
	uint32_t	 gen;
	uint32_t	 val;		/* its value's node, 0: not read */
	int		 listed;	/* met in the table */
};

struct pdflite {
	const char	*p;
	size_t		 len;
	int		 failed;
	struct obj	*objs;
	uint32_t	 nobjs;
	struct node	*nodes;
	uint32_t	 nnodes, capnodes;
	uint32_t	*slots;
	size_t		 nslots, capslots;
	uint32_t	*stack;		/* values of the containers open */
	size_t		 nstack, capstack;
	char		*bytes;		/* strings and names, decoded */
	size_t		 nbytes, capbytes;
	char		*out;		/* the last UTF-8 answer */
	size_t		 capout;
	uint32_t	 root;
};

static uint32_t
fail(struct pdflite *l)
{
	l->failed = 1;
	return NODE_NULL;
}

/* fail() for the calls that answer with text. */
static const char *
fail_text(struct pdflite *l, size_t *len)
{
	l->failed = 1;
	*len = 0;
	return "";
}

/* Room for need elements of size in *v (capacity *cap), at most max. */
static int
room(void **v, size_t *cap, size_t need, size_t size, size_t max)
{
	size_t	 c = *cap;
	void	*p;

	if (need <= c)
		return 0;
	if (need > max)
		return -1;
	while (c < need)
		c = c < 64 ? 64 : c * 2;
	if (c > max)
		c = max;
	if ((p = reallocarray(*v, c, size)) == NULL)
		return -1;
	*v = p;
	*cap = c;
	return 0;
}

static uint32_t
node(struct pdflite *l, int type, uint32_t a, uint32_t n)
{
	size_t	 cap = l->capnodes;

	if (room((void **)&l->nodes, &cap, (size_t)l->nnodes + 1,
	    sizeof(*l->nodes), LITE_NODES_MAX) == -1) {
		fail(l);
		return 0;
	}
	l->capnodes = (uint32_t)cap;
	l->nodes[l->nnodes].type = (unsigned char)type;
	l->nodes[l->nnodes].a = a;
	l->nodes[l->nnodes].n = n;
	return l->nnodes++;
}

static int
byte(struct pdflite *l, char c)
{
	/* Decoding never makes more bytes than it reads: the file's
	 * length bounds them all. */
	if (room((void **)&l->bytes, &l->capbytes, l->nbytes + 1, 1,
	    l->len + 1) == -1)
		return -1;
	l->bytes[l->nbytes++] = c;
	return 0;
}

static int
ws(unsigned char c)
{
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' ||
	    c == ' ';
}

static int
delim(unsigned char c)
{
	return c != 0 && strchr("()<>[]{}/%", c) != NULL;
}

/* The end of a token: the end of the file, a blank or a delimiter. */
static int
ends(const struct pdflite *l, size_t i)
{
	return i >= l->len || ws((unsigned char)l->p[i]) ||
	    delim((unsigned char)l->p[i]);
}

static void
skip(const struct pdflite *l, size_t *i)
{
	while (*i < l->len && ws((unsigned char)l->p[*i]))
		(*i)++;
}

static int
word(const struct pdflite *l, size_t i, const char *w)
{
	size_t	 n = strlen(w);

	return l->len - i >= n && memcmp(l->p + i, w, n) == 0 &&
	    ends(l, i + n);
}

/* Digits only, at most 10, into *v. */
static int
uint_at(const struct pdflite *l, size_t *i, uint32_t *v)
{
	uint64_t	 x = 0;
	size_t		 j = *i;

	while (j < l->len && l->p[j] >= '0' && l->p[j] <= '9' &&
	    j - *i < 10)
		x = x * 10 + (uint64_t)(l->p[j++] - '0');
	if (j == *i || x > UINT32_MAX || !ends(l, j))
		return -1;
	*v = (uint32_t)x;
	*i = j;
	return 0;
}

static uint32_t value(struct pdflite *, size_t *, int);

/* A number, or "N G R": a reference. */
static uint32_t
number(struct pdflite *l, size_t *at)
{
	size_t		 i = *at, j;
	uint32_t	 id, gen;
	int		 digits = 0, dot = 0, sign = 0;

	if (l->p[i] == '+' || l->p[i] == '-') {
		sign = 1;
		i++;
	}
	for (; i < l->len; i++) {
		if (l->p[i] >= '0' && l->p[i] <= '9')
			digits++;
		else if (l->p[i] == '.' && !dot)
			dot = 1;
		else
			break;
	}
	if (digits == 0 || !ends(l, i))
		return fail(l);
	if (dot) {
		*at = i;
		return node(l, ot_real, 0, 0);
	}
	j = *at + (size_t)sign;
	if (!sign && uint_at(l, &j, &id) == 0) {
		skip(l, &j);
		if (j < l->len && l->p[j] >= '0' && l->p[j] <= '9' &&
		    uint_at(l, &j, &gen) == 0) {
			skip(l, &j);
			if (j < l->len && l->p[j] == 'R' && ends(l, j + 1)) {
				*at = j + 1;
				return node(l, OT_REF, id, gen);
			}
		}
		*at = i;
		return node(l, ot_integer, id, 1);
	}
	*at = i;
	return node(l, ot_integer, 0, 0);
}

/* A literal string: escapes decoded; line ends other than a bare LF,
 * unknown escapes and octal past 255 are not read. */
static uint32_t
literal(struct pdflite *l, size_t *at)
{
	static const char	 from[] = "nrtbf()\\", to[] = "\n\r\t\b\f()\\";
	const char		*e;
	size_t			 i = *at + 1, start = l->nbytes, k;
	int			 depth = 1, v;
	unsigned char		 c;

	while (i < l->len) {
		c = (unsigned char)l->p[i++];
		if (c == '\r')
			return fail(l);
		if (c == '(')
			depth++;
		else if (c == ')' && --depth == 0) {
			*at = i;
			return node(l, ot_string, (uint32_t)start,
			    (uint32_t)(l->nbytes - start));
		}
		if (c != '\\') {
			if (byte(l, (char)c) == -1)
				return fail(l);
			continue;
		}
		if (i >= l->len)
			break;
		c = (unsigned char)l->p[i++];
		if (c >= '0' && c <= '7') {
			for (v = c - '0', k = 1; k < 3 && i < l->len &&
			    l->p[i] >= '0' && l->p[i] <= '7'; k++)
				v = v * 8 + (l->p[i++] - '0');
			if (v > 255)
				return fail(l);
			c = (unsigned char)v;
		} else if (c != 0 && (e = strchr(from, c)) != NULL)
			c = (unsigned char)to[e - from];
		else
			return fail(l);
		if (byte(l, (char)c) == -1)
			return fail(l);
	}
	return fail(l);
}

/* A hex string of an even number of digits, blanks allowed. */
static uint32_t
hex(struct pdflite *l, size_t *at)
{
	size_t	 i = *at + 1, start = l->nbytes;
	int	 hi = -1, v;

	for (; i < l->len; i++) {
		if (l->p[i] == '>') {
			if (hi != -1)
				return fail(l);
			*at = i + 1;
			return node(l, ot_string, (uint32_t)start,
			    (uint32_t)(l->nbytes - start));
		}
		if (ws((unsigned char)l->p[i]))
			continue;
		if ((v = hex_digit((unsigned char)l->p[i])) == -1)
			return fail(l);
		if (hi == -1)
			hi = v;
		else {
			if (byte(l, (char)(hi * 16 + v)) == -1)
				return fail(l);
			hi = -1;
		}
	}
	return fail(l);
}

/* A name with its '/': printable bytes, no '#' escape, not empty. */
static uint32_t
name(struct pdflite *l, size_t *at)
{
	size_t		 i = *at + 1, start = l->nbytes;
	unsigned char	 c;

	if (byte(l, '/') == -1)
		return fail(l);
	for (; i < l->len && !ends(l, i); i++) {
		c = (unsigned char)l->p[i];
		if (c < 0x21 || c > 0x7e || c == '#' || byte(l, (char)c) == -1)
			return fail(l);
	}
	if (i == *at + 1)
		return fail(l);
	*at = i;
	return node(l, ot_name, (uint32_t)start, (uint32_t)(l->nbytes - start));
}

static int
push(struct pdflite *l, uint32_t v)
{
	if (room((void **)&l->stack, &l->capstack, l->nstack + 1,
	    sizeof(*l->stack), LITE_NODES_MAX) == -1)
		return -1;
	l->stack[l->nstack++] = v;
	return 0;
}

/* The values pushed since mark, moved into slots as a container. */
static uint32_t
close_at(struct pdflite *l, size_t mark, int type)
{
	size_t	 n = l->nstack - mark, first = l->nslots;

	if (room((void **)&l->slots, &l->capslots, l->nslots + n,
	    sizeof(*l->slots), LITE_NODES_MAX) == -1)
		return fail(l);
	/* An empty one may come before any slot or value exists. */
	if (n > 0)
		memcpy(l->slots + first, l->stack + mark,
		    n * sizeof(*l->slots));
	l->nslots += n;
	l->nstack = mark;
	return node(l, type, (uint32_t)first, (uint32_t)n);
}

static int
same_name(const struct pdflite *l, uint32_t a, uint32_t b)
{
	return l->nodes[a].n == l->nodes[b].n && memcmp(l->bytes +
	    l->nodes[a].a, l->bytes + l->nodes[b].a, l->nodes[a].n) == 0;
}

static uint32_t
array(struct pdflite *l, size_t *at, int depth)
{
	size_t		 mark = l->nstack;
	uint32_t	 v;

	(*at)++;
	for (;;) {
		skip(l, at);
		if (*at >= l->len)
			return fail(l);
		if (l->p[*at] == ']') {
			(*at)++;
			return close_at(l, mark, ot_array);
		}
		if ((v = value(l, at, depth + 1)) == 0 || l->failed ||
		    push(l, v) == -1)
			return fail(l);
	}
}

/* A dictionary; a key twice is not read (qpdf warns of it). */
static uint32_t
dict(struct pdflite *l, size_t *at, int depth)
{
	size_t		 mark = l->nstack, k;
	uint32_t	 key, v;

	*at += 2;
	for (;;) {
		skip(l, at);
		if (*at >= l->len)
			return fail(l);
		if (l->len - *at >= 2 && l->p[*at] == '>' &&
		    l->p[*at + 1] == '>') {
			*at += 2;
			return close_at(l, mark, ot_dictionary);
		}
		if (l->p[*at] != '/' || (l->nstack - mark) / 2 >=
		    LITE_KEYS_MAX || (key = name(l, at)) == 0 || l->failed)
			return fail(l);
		for (k = mark; k < l->nstack; k += 2)
			if (same_name(l, l->stack[k], key))
				return fail(l);
		skip(l, at);
		if (*at >= l->len || (l->len - *at >= 2 && l->p[*at] == '>' &&
		    l->p[*at + 1] == '>'))
			return fail(l);
		if ((v = value(l, at, depth + 1)) == 0 || l->failed ||
		    push(l, key) == -1 || push(l, v) == -1)
			return fail(l);
	}
}

/* One value from *at on (blanks first). */
static uint32_t
value(struct pdflite *l, size_t *at, int depth)
{
	unsigned char	 c;

	if (depth > LITE_DEPTH_MAX)
		return fail(l);
	skip(l, at);
	if (*at >= l->len)
		return fail(l);
	c = (unsigned char)l->p[*at];
	switch (c) {
	case '/':
		return name(l, at);
	case '(':
		return literal(l, at);
	case '[':
		return array(l, at, depth);
	case '<':
		if (l->len - *at >= 2 && l->p[*at + 1] == '<')
			return dict(l, at, depth);
		return hex(l, at);
	default:
		break;
	}
	if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')
		return number(l, at);
	if (word(l, *at, "true") || word(l, *at, "false")) {
		*at += c == 't' ? 4 : 5;
		return node(l, ot_boolean, 0, 0);
	}
	if (word(l, *at, "null")) {
		*at += 4;
		return NODE_NULL;
	}
	return fail(l);
}

/* Object id's value, read at its offset the first time. */
static uint32_t
object(struct pdflite *l, uint32_t id, uint32_t gen)
{
	struct obj	*o;
	size_t		 i;
	uint32_t	 n, g, v;

	if (id >= l->nobjs || (o = &l->objs[id])->off == 0 || o->gen != gen)
		return fail(l);
	if (o->val != 0)
		return o->val;
	i = o->off;
	if (uint_at(l, &i, &n) == -1 || n != id)
		return fail(l);
	skip(l, &i);
	if (uint_at(l, &i, &g) == -1 || g != gen)
		return fail(l);
	skip(l, &i);
	if (!word(l, i, "obj"))
		return fail(l);
	i += 3;
	if ((v = value(l, &i, 0)) == 0 || l->failed ||
	    l->nodes[v].type == OT_REF)
		return fail(l);
	skip(l, &i);
	if (!word(l, i, "endobj"))
		return fail(l);
	o->val = v;
	return v;
}

/* What a handle stands for, a reference read. */
static uint32_t
deref(struct pdflite *l, uint32_t h)
{
	if (h == 0 || h >= l->nnodes)
		return fail(l);
	if (l->nodes[h].type == OT_REF)
		return object(l, l->nodes[h].a, l->nodes[h].n);
	return h;
}

/* A dictionary's value of key (a name with its '/'), 0 if absent. */
static uint32_t
lookup(struct pdflite *l, uint32_t d, const char *key)
{
	const struct node	*nd = &l->nodes[d];
	const struct node	*k;
	size_t			 n = strlen(key), i;

	for (i = 0; i + 1 < nd->n; i += 2) {
		k = &l->nodes[l->slots[nd->a + i]];
		if (k->n == n && memcmp(l->bytes + k->a, key, n) == 0)
			return l->slots[nd->a + i + 1];
	}
	return 0;
}

/* A line end after a keyword of the table. */
static int
eol(const struct pdflite *l, size_t *i)
{
	if (*i < l->len && l->p[*i] == '\r')
		(*i)++;
	else if (*i >= l->len || l->p[*i] != '\n')
		return -1;
	else {
		(*i)++;
		return 0;
	}
	if (*i < l->len && l->p[*i] == '\n')
		(*i)++;
	return 0;
}

/* An entry: 10 digits, blank, 5 digits, blank, n or f, 2-byte end. */
static int
entry(struct pdflite *l, const char *e, uint32_t id)
{
	uint64_t	 off = 0;
	uint32_t	 gen = 0;
	int		 k;

	for (k = 0; k < 10; k++) {
		if (e[k] < '0' || e[k] > '9')
			return -1;
		off = off * 10 + (uint64_t)(e[k] - '0');
	}
	for (k = 11; k < 16; k++) {
		if (e[k] < '0' || e[k] > '9')
			return -1;
		gen = gen * 10 + (uint32_t)(e[k] - '0');
	}
	if (e[10] != ' ' || e[16] != ' ' || (e[17] != 'n' && e[17] != 'f') ||
	    !((e[18] == ' ' && (e[19] == '\n' || e[19] == '\r')) ||
	    (e[18] == '\r' && e[19] == '\n')) || l->objs[id].listed)
		return -1;
	l->objs[id].listed = 1;
	if (e[17] == 'f')
		return 0;
	if (id == 0 || off == 0 || off >= l->len)
		return -1;
	l->objs[id].off = (size_t)off;
	l->objs[id].gen = gen;
	return 0;
}

/* The table the last startxref points at, and its trailer. */
static int
table(struct pdflite *l)
{
	size_t		 i, from, cap = 0;
	uint32_t	 off, start, count, k, t, v, size;

	/* The header as qpdf takes it: "%PDF-", digits, '.', a digit. */
	if (l->len < 32 || memcmp(l->p, "%PDF-", 5) != 0)
		return -1;
	for (i = 5; i < 16 && l->p[i] >= '0' && l->p[i] <= '9'; i++)
		continue;
	if (i == 5 || l->p[i] != '.' || l->p[i + 1] < '0' ||
	    l->p[i + 1] > '9')
		return -1;
	from = l->len > LITE_TAIL ? l->len - LITE_TAIL : 0;
	for (i = l->len - 9; memcmp(l->p + i, "startxref", 9) != 0; i--)
		if (i == from)
			return -1;
	i += 9;
	skip(l, &i);
	if (uint_at(l, &i, &off) == -1 || off >= l->len)
		return -1;
	i = off;
	if (l->len - i < 4 || memcmp(l->p + i, "xref", 4) != 0)
		return -1;
	i += 4;
	if (eol(l, &i) == -1)
		return -1;
	while (!word(l, i, "trailer")) {
		if (uint_at(l, &i, &start) == -1 || i >= l->len ||
		    l->p[i++] != ' ' || uint_at(l, &i, &count) == -1 ||
		    eol(l, &i) == -1 || count > LITE_OBJECTS_MAX ||
		    start > LITE_OBJECTS_MAX - count ||
		    (l->len - i) / 20 < count)
			return -1;
		if (start + count > l->nobjs) {
			if (room((void **)&l->objs, &cap, start + count,
			    sizeof(*l->objs), LITE_OBJECTS_MAX) == -1)
				return -1;
			memset(l->objs + l->nobjs, 0, (cap - l->nobjs) *
			    sizeof(*l->objs));
			l->nobjs = start + count;
		}
		for (k = 0; k < count; k++, i += 20)
			if (entry(l, l->p + i, start + k) == -1)
				return -1;
	}
	i += 7;
	if ((t = value(l, &i, 0)) == 0 || l->failed ||
	    l->nodes[t].type != ot_dictionary || l->nobjs == 0 ||
	    l->objs[0].off != 0 || !l->objs[0].listed)
		return -1;
	/* Updates, streams and encryption are qpdf's. */
	if (lookup(l, t, "/Prev") || lookup(l, t, "/XRefStm") ||
	    lookup(l, t, "/Encrypt"))
		return -1;
	if ((v = lookup(l, t, "/Size")) == 0 ||
	    l->nodes[v].type != ot_integer || !l->nodes[v].n)
		return -1;
	size = l->nodes[v].a;
	for (k = 0; k < l->nobjs; k++)
		if (!l->objs[k].listed)
			return -1;
	if (size != l->nobjs)
		return -1;
	if ((l->root = lookup(l, t, "/Root")) == 0 ||
	    l->nodes[l->root].type != OT_REF)
		return -1;
	/* qpdf warns of a catalog without its /Type. */
	v = deref(l, l->root);
	if (l->failed || l->nodes[v].type != ot_dictionary ||
	    (t = lookup(l, v, "/Type")) == 0 || (t = deref(l, t)) == 0 ||
	    l->failed || l->nodes[t].type != ot_name ||
	    l->nodes[t].n != 8 || memcmp(l->bytes + l->nodes[t].a,
	    "/Catalog", 8) != 0)
		return -1;
	return 0;
}

struct pdflite *
pdflite_open(const char *buf, size_t len)
{
	struct pdflite	*l;

	if (buf == NULL || len > UINT32_MAX / 2 ||
	    (l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	l->p = buf;
	l->len = len;
	if (node(l, ot_uninitialized, 0, 0) != 0 ||
	    node(l, ot_null, 0, 0) != NODE_NULL || table(l) == -1 ||
	    l->failed) {
		pdflite_free(l);
		return NULL;
	}
	return l;
}

void
pdflite_free(struct pdflite *l)
{
	if (l == NULL)
		return;
	free(l->objs);
	free(l->nodes);
	free(l->slots);
	free(l->stack);
	free(l->bytes);
	free(l->out);
	free(l);
}

int
pdflite_failed(const struct pdflite *l)
{
	return l->failed;
}

uint32_t
pdflite_root(struct pdflite *l)
{
	return l->root;
}

int
pdflite_type(struct pdflite *l, uint32_t h)
{
	/* Read first: reading an object may move the nodes. */
	uint32_t	 d = deref(l, h);

	return l->nodes[d].type;
}

int
pdflite_object_id(struct pdflite *l, uint32_t h)
{
	if (h == 0 || h >= l->nnodes) {
		fail(l);
		return 0;
	}
	return l->nodes[h].type == OT_REF ? (int)l->nodes[h].a : 0;
}

uint32_t
pdflite_key(struct pdflite *l, uint32_t h, const char *key)
{
	uint32_t	 d = deref(l, h), v;

	if (l->nodes[d].type != ot_dictionary)
		return fail(l);
	return (v = lookup(l, d, key)) != 0 ? v : NODE_NULL;
}

int
pdflite_has_key(struct pdflite *l, uint32_t h, const char *key)
{
	return pdflite_type(l, pdflite_key(l, h, key)) != ot_null;
}

int
pdflite_n_items(struct pdflite *l, uint32_t h)
{
	uint32_t	 a = deref(l, h);

	if (l->nodes[a].type != ot_array) {
		fail(l);
		return 0;
	}
	return (int)l->nodes[a].n;
}

uint32_t
pdflite_item(struct pdflite *l, uint32_t h, int i)
{
	uint32_t	 a = deref(l, h);

	if (l->nodes[a].type != ot_array || i < 0 ||
	    (uint32_t)i >= l->nodes[a].n)
		return fail(l);
	return l->slots[l->nodes[a].a + (uint32_t)i];
}

/* One code point as UTF-8 at out. */
static size_t
utf8_put(char *out, uint32_t c)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* Text as qpdf gives it: UTF-16BE after its mark, else PDFDocEncoding,
 * here only where it is ASCII.  Control characters (ESC starts a
 * language code) and lone surrogates are qpdf's to read. */
const char *
pdflite_utf8(struct pdflite *l, uint32_t h, size_t *len)
{
	const unsigned char	*s;
	uint32_t		 d = deref(l, h), c, c2;
	size_t			 n, i, o = 0;

	*len = 0;
	if (l->nodes[d].type != ot_string)
		return fail_text(l, len);
	n = l->nodes[d].n;
	s = n > 0 ? (const unsigned char *)l->bytes + l->nodes[d].a :
	    (const unsigned char *)"";
	if (room((void **)&l->out, &l->capout, n * 2 + 1, 1, SIZE_MAX) == -1)
		return fail_text(l, len);
	if (n >= 2 && s[0] == 0xfe && s[1] == 0xff) {
		if (n % 2 != 0)
			return fail_text(l, len);
		for (i = 2; i < n; i += 2) {
			c = (uint32_t)s[i] << 8 | s[i + 1];
			if (c >= 0xdc00 && c <= 0xdfff)
				return fail_text(l, len);
			if (c >= 0xd800 && c <= 0xdbff) {
				if (i + 3 >= n)
					return fail_text(l, len);
				c2 = (uint32_t)s[i + 2] << 8 | s[i + 3];
				if (c2 < 0xdc00 || c2 > 0xdfff)
					return fail_text(l, len);
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (c2 - 0xdc00);
				i += 2;
			} else if (c < 0x20 && c != '\t' && c != '\n' &&
			    c != '\r')
				return fail_text(l, len);
			o += utf8_put(l->out + o, c);
		}
	} else {
		if (n >= 2 && ((s[0] == 0xff && s[1] == 0xfe) ||
		    (n >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)))
			return fail_text(l, len);
		for (i = 0; i < n; i++) {
			if ((s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' &&
			    s[i] != '\r') || s[i] > 0x7e)
				return fail_text(l, len);
			l->out[o++] = (char)s[i];
		}
	}
	l->out[o] = '\0';
	*len = o;
	return l->out;
}

const char *
pdflite_name(struct pdflite *l, uint32_t h, size_t *len)
{
	uint32_t	 d = deref(l, h);

	*len = 0;
	if (l->nodes[d].type != ot_name ||
	    room((void **)&l->out, &l->capout, l->nodes[d].n + 1, 1,
	    SIZE_MAX) == -1)
		return fail_text(l, len);
	memcpy(l->out, l->bytes + l->nodes[d].a, l->nodes[d].n);
	l->out[l->nodes[d].n] = '\0';
	*len = l->nodes[d].n;
	return l->out;
}
