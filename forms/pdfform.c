/*
 * The fillable PDF license application (DOMAIN.md section 8).
 *
 * Two passes share one table of field boxes: the layout pass draws the
 * printed form with cairo and Pango into memory and records, for every
 * field, the rectangle it drew for it; the field pass opens that PDF
 * with qpdf and adds the AcroForm, one widget per recorded rectangle.
 * The boxes on paper and the fields on screen therefore cannot drift.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <qpdf/qpdf-c.h>

#include "lib/buf.h"
#include "lib/limits.h"
#include "account.h"
#include "pdfform.h"

/* US Letter, in points; cairo's origin is the top left corner. */
#define PAGE_W		612.0
#define PAGE_H		792.0
#define MARGIN		40.0
#define CONTENT_W	(PAGE_W - 2 * MARGIN)
#define TOP		34.0
#define FOOTER_Y	(PAGE_H - 30.0)

#define FONT		"DejaVu Sans"
#define FIELD_H		18.0	/* entry area of a header cell */
#define LINE_ROW_H	24.0	/* one product line */
#define BAND_H		14.0
#define RULE		0.5
#define GRAY_BAND	0.86
#define GRAY_FIELD	0.955
#define GRAY_HELP	0.30

/* Bytes of the drawn PDF and of the finished form: a form is about
 * 60 KB; far past that something is wrong. */
#define PDF_MAX		(2 * 1024 * 1024)
/* Fields on one form: 5 filer, 12 header, 10 lines of at most 6, 1. */
#define FBOX_MAX	96
#define FNAME_MAX	64
/* Parent fields: "line" and "line.1" ... "line.10". */
#define PARENT_MAX	(PDFFORM_LINES + 1)
#define TIP_MAX		600

#define DATE_HINT	"MM/DD/YYYY or YYYY-MM-DD"

const char *const pdfform_filer_names[PFF__MAX] = {
	"filer_company_name", "filer_address", "filer_contact_name",
	"filer_phone", "filer_email",
};

/* The account field behind each filer field, for labels and help. */
static const enum afield filer_af[PFF__MAX] = {
	AF_COMPANY_NAME, AF_ADDRESS, AF_CONTACT_NAME, AF_PHONE, AF_EMAIL,
};

static const struct pinfo {
	const char	*title;		/* printed and in /Info */
	const char	*program;
	const char	*formno;
	const char	*mailbox;	/* before "@domain" */
	const char	*subject;
	enum lfield	 lf[4];		/* line fields after value and kg */
	size_t		 nlf;
} pinfo[PRODUCT__MAX] = {
	{ "Aluminum Import License Application",
	  "Aluminum Import Monitoring and Analysis (AIM)", "AIM-EF",
	  "aluminum.license", "Aluminum License Application",
	  { LF_COUNTRY_OF_LARGEST_SMELT, LF_COUNTRY_OF_SECOND_LARGEST_SMELT,
	    LF_COUNTRY_OF_MOST_RECENT_CAST }, 3 },
	{ "Steel Import License Application",
	  "Steel Import Monitoring and Analysis (SIMA)", "SIMA-EF",
	  "steel.license", "Steel License Application",
	  { LF_COUNTRY_OF_MELT_AND_POUR }, 1 },
};

enum fkind {
	FK_TEXT,
	FK_CHECK,
};

#define FB_READONLY	0x01
#define FB_RIGHT	0x02	/* numbers: right aligned */
#define FB_DATE		0x04

/* One field: where the layout drew its box, and what goes in it. */
struct fbox {
	char		 name[FNAME_MAX];	/* fully qualified */
	char		 tip[TIP_MAX];		/* tooltip (/TU) */
	enum fkind	 kind;
	int		 page;			/* from 0 */
	double		 x, y, w, h;		/* cairo space */
	int		 flags;
	int		 size;			/* font size of the value */
	const char	*value;			/* prefill, or NULL */
};

struct ctx {
	cairo_t			*cr;
	PangoLayout		*pl;
	enum product		 product;
	const struct pinfo	*pi;
	const char		*domain;
	const struct pdfform_fill *fill;
	struct fbox		 box[FBOX_MAX];
	size_t			 nbox;
	int			 page;
	double			 y;		/* layout cursor */
	int			 item;		/* printed item number */
	int			 importer_item;
};

/* Text flags. */
#define T_BOLD		0x01
#define T_MARKUP	0x02
#define T_RIGHT		0x04
#define T_CENTER	0x08
#define T_MEASURE	0x10
#define T_ITALIC	0x20

/* One cell of a header row. */
struct cell {
	const char	*name;
	const char	*label;
	const char	*help;		/* printed; NULL: tooltip only */
	const char	*tiphelp;	/* tooltip */
	const char	*hint;		/* right of the label, or NULL */
	double		 frac;		/* of the content width */
	int		 flags;
	const char	*value;
};

int
pdfform_has_lfield(enum product p, enum lfield f)
{
	size_t	 i;

	if (p < 0 || p >= PRODUCT__MAX || f < 0 || f >= LF__MAX)
		return 0;
	if (f == LF_HTS_CODE || f == LF_CUSTOMS_VALUE_USD ||
	    f == LF_VOLUME_KG)
		return 1;
	for (i = 0; i < pinfo[p].nlf; i++)
		if (pinfo[p].lf[i] == f)
			return 1;
	return 0;
}

/* Draws (or only measures) text at x, y in width w; returns its height. */
static double
text(struct ctx *c, double x, double y, double w, double size, double gray,
    int how, const char *s)
{
	PangoFontDescription	*fd;
	int			 pw, ph;

	fd = pango_font_description_new();
	pango_font_description_set_family(fd, FONT);
	pango_font_description_set_weight(fd, (how & T_BOLD) ?
	    PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_style(fd, (how & T_ITALIC) ?
	    PANGO_STYLE_OBLIQUE : PANGO_STYLE_NORMAL);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_layout_set_font_description(c->pl, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(c->pl, w > 0 ? (int)(w * PANGO_SCALE) : -1);
	pango_layout_set_wrap(c->pl, PANGO_WRAP_WORD);
	pango_layout_set_alignment(c->pl, (how & T_RIGHT) ? PANGO_ALIGN_RIGHT :
	    (how & T_CENTER) ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
	/* set_text keeps the attributes of earlier markup: drop them. */
	pango_layout_set_attributes(c->pl, NULL);
	if (how & T_MARKUP)
		pango_layout_set_markup(c->pl, s, -1);
	else
		pango_layout_set_text(c->pl, s, -1);
	pango_layout_get_size(c->pl, &pw, &ph);
	if (!(how & T_MEASURE)) {
		cairo_set_source_rgb(c->cr, gray, gray, gray);
		cairo_move_to(c->cr, x, y);
		pango_cairo_show_layout(c->cr, c->pl);
	}
	return (double)ph / PANGO_SCALE;
}

static void
rect(struct ctx *c, double x, double y, double w, double h, double fill,
    double line)
{
	cairo_rectangle(c->cr, x, y, w, h);
	if (fill >= 0) {
		cairo_set_source_rgb(c->cr, fill, fill, fill);
		if (line > 0)
			cairo_fill_preserve(c->cr);
		else
			cairo_fill(c->cr);
	}
	if (line > 0) {
		cairo_set_source_rgb(c->cr, 0, 0, 0);
		cairo_set_line_width(c->cr, line);
		cairo_stroke(c->cr);
	}
}

static void
hline(struct ctx *c, double x, double y, double w, double line)
{
	cairo_set_source_rgb(c->cr, 0, 0, 0);
	cairo_set_line_width(c->cr, line);
	cairo_move_to(c->cr, x, y);
	cairo_line_to(c->cr, x + w, y);
	cairo_stroke(c->cr);
}

/* Records a field box; the field pass makes a widget of it. */
static struct fbox *
addbox(struct ctx *c, const char *name, enum fkind kind, double x, double y,
    double w, double h)
{
	struct fbox	*b;

	/* The box table is sized for the largest form: a bug otherwise. */
	if (c->nbox == FBOX_MAX)
		abort();
	b = &c->box[c->nbox++];
	memset(b, 0, sizeof(*b));
	snprintf(b->name, sizeof(b->name), "%s", name);
	b->kind = kind;
	b->page = c->page;
	b->x = x;
	b->y = y;
	b->w = w;
	b->h = h;
	b->size = 9;
	return b;
}

static void
tip(struct fbox *b, const char *prefix, const char *label, const char *help)
{
	snprintf(b->tip, sizeof(b->tip), "%s%s.%s%s%s", prefix, label,
	    help ? " " : "", help ? help : "",
	    (b->flags & FB_DATE) ? " Type " DATE_HINT "." : "");
}

static void
band(struct ctx *c, const char *title)
{
	rect(c, MARGIN, c->y, CONTENT_W, BAND_H, GRAY_BAND, RULE);
	text(c, MARGIN + 5, c->y + 2.2, CONTENT_W - 10, 8.5, 0, T_BOLD, title);
	c->y += BAND_H;
}

/*
 * A row of labelled cells sharing borders: item number and label, an
 * optional hint at the right, the help in small type, then the entry
 * area at the bottom, which becomes the field.
 */
static void
row(struct ctx *c, const struct cell *cells, size_t n)
{
	char		 lab[160];
	double		 x, w, top[8], h = 0;
	size_t		 i;
	struct fbox	*b;

	for (x = MARGIN, i = 0; i < n; i++) {
		w = CONTENT_W * cells[i].frac;
		top[i] = 3 + text(c, 0, 0, w - 8, 7.2, 0, T_BOLD | T_MEASURE,
		    "X");
		if (cells[i].help != NULL)
			top[i] += text(c, 0, 0, w - 8, 6.3, 0, T_MEASURE,
			    cells[i].help);
		if (top[i] > h)
			h = top[i];
	}
	h += FIELD_H + 5;
	for (x = MARGIN, i = 0; i < n; i++) {
		w = CONTENT_W * cells[i].frac;
		rect(c, x, c->y, w, h, -1, RULE);
		c->item++;
		snprintf(lab, sizeof(lab), "%d  %s", c->item, cells[i].label);
		if (cells[i].hint != NULL)
			text(c, x + 4, c->y + 3.6, w - 8, 6.3, GRAY_HELP,
			    T_RIGHT | T_ITALIC, cells[i].hint);
		text(c, x + 4, c->y + 2.5, w - 8, 7.2, 0, T_BOLD, lab);
		if (cells[i].help != NULL)
			text(c, x + 4, c->y + 3 + text(c, 0, 0, w - 8, 7.2, 0,
			    T_BOLD | T_MEASURE, "X"), w - 8, 6.3, GRAY_HELP, 0,
			    cells[i].help);
		rect(c, x + 3, c->y + h - FIELD_H - 3, w - 6, FIELD_H,
		    GRAY_FIELD, 0);
		b = addbox(c, cells[i].name, FK_TEXT, x + 3,
		    c->y + h - FIELD_H - 3, w - 6, FIELD_H);
		b->flags = cells[i].flags;
		b->value = cells[i].value;
		tip(b, "", cells[i].label, cells[i].tiphelp);
		x += w;
	}
	c->y += h;
}

static void
footer(struct ctx *c)
{
	char	 s[256];

	hline(c, MARGIN, FOOTER_Y, CONTENT_W, RULE);
	snprintf(s, sizeof(s), "Form %s (%s)  \xc2\xb7  %s \xe2\x80\x93 "
	    "Emergency Email Filing", c->pi->formno,
	    product_names[c->product], c->pi->title);
	text(c, MARGIN, FOOTER_Y + 3, CONTENT_W, 6.5, GRAY_HELP, 0, s);
	snprintf(s, sizeof(s), "Page %d of %d", c->page + 1, PDFFORM_PAGES);
	text(c, MARGIN, FOOTER_Y + 3, CONTENT_W, 6.5, 0, T_RIGHT | T_BOLD, s);
}

static const char *
hvalue(const struct ctx *c, enum hfield h)
{
	if (c->fill == NULL || c->fill->form == NULL)
		return NULL;
	return c->fill->form->v[h];
}

static void
title_block(struct ctx *c)
{
	char	 s[160];
	double	 bw = 118, bx = MARGIN + CONTENT_W - bw;

	snprintf(s, sizeof(s), "%s  \xc2\xb7  Import Licensing",
	    c->pi->program);
	text(c, MARGIN, c->y, CONTENT_W - bw - 8, 7, GRAY_HELP, T_BOLD, s);
	text(c, MARGIN, c->y + 11, CONTENT_W - bw - 8, 17, 0, T_BOLD,
	    c->pi->title);
	text(c, MARGIN, c->y + 33, CONTENT_W - bw - 8, 12, 0, 0,
	    "Emergency Email Filing");
	rect(c, bx, c->y, bw, 46, -1, RULE);
	text(c, bx, c->y + 5, bw, 6.5, GRAY_HELP, T_CENTER, "FORM");
	text(c, bx, c->y + 13, bw, 13, 0, T_BOLD | T_CENTER, c->pi->formno);
	snprintf(s, sizeof(s), "%s license", product_names[c->product]);
	text(c, bx, c->y + 31, bw, 7, 0, T_CENTER, s);
	c->y += 52;
	hline(c, MARGIN, c->y, CONTENT_W, 1.6);
	c->y += 6;
}

/* One instruction: a bullet and a paragraph of markup (freed here). */
static void
bullet(struct ctx *c, char *markup)
{
	/* g_markup_printf_escaped aborts rather than return NULL. */
	text(c, MARGIN + 1, c->y, 8, 8, 0, T_BOLD, "\xe2\x80\xa2");
	c->y += text(c, MARGIN + 8, c->y, CONTENT_W - 16, 8, 0, T_MARKUP,
	    markup) + 3;
	g_free(markup);
}

static void
instructions(struct ctx *c)
{
	static const char warn[] = "An emailed form is not a license; only "
	    "a license number issued by the licensing system is. Do not "
	    "file an entry summary until you receive the license number by "
	    "email.";
	double	 h, bx = MARGIN + 8, bw = CONTENT_W - 16;

	band(c, "Instructions");
	c->y += 5;
	bullet(c, g_markup_printf_escaped("<b>When to use this form.</b> "
	    "Only when the licensing web site is down, or your own systems "
	    "are, and a shipment is due. At all other times apply on the "
	    "web site."));
	bullet(c, g_markup_printf_escaped("<b>How to send it.</b> Fill in "
	    "the form with a PDF reader (or print it and write clearly in "
	    "capitals), tick the certification in Part D and save it. Email "
	    "it to <b>%s@%s</b> with the subject <b>%s</b>. In the message, "
	    "describe the problem in a few words and attach screenshots of "
	    "any error you saw.", c->pi->mailbox, c->domain,
	    c->pi->subject));
	bullet(c, g_markup_printf_escaped("<b>One form, one license.</b> "
	    "One license covers one customs entry summary. A low value "
	    "license (license type low_value) has no product lines: leave "
	    "Part C empty. Informal entries (generally under $2,500) need "
	    "no license."));
	bullet(c, g_markup_printf_escaped("<b>How to write the entries.</b> "
	    "Dates as " DATE_HINT ". Countries written out in full "
	    "(Germany, not DE or DEU). Values in U.S. dollars, quantities "
	    "in kilograms, HTS codes with all 10 digits."));
	c->y += 2;
	h = text(c, 0, 0, bw - 16, 8.5, 0, T_BOLD | T_MEASURE, warn);
	rect(c, bx, c->y, bw, h + 10, 0.93, 1.2);
	text(c, bx + 8, c->y + 5, bw - 16, 8.5, 0, T_BOLD, warn);
	c->y += h + 14;
	text(c, bx, c->y, bw, 7.5, GRAY_HELP, 0, "Staff review each emailed "
	    "form. When it is approved, the license number is emailed to "
	    "the filer's email address in Part A.");
	c->y += 14;
}

static void
filer_block(struct ctx *c)
{
	static const struct { int f; double frac; } grid[3][2] = {
		{ { PFF_COMPANY_NAME, 0.56 }, { PFF_CONTACT_NAME, 0.44 } },
		{ { PFF_ADDRESS, 1.0 }, { -1, 0 } },
		{ { PFF_PHONE, 0.36 }, { PFF_EMAIL, 0.64 } },
	};
	struct cell	 cells[2];
	size_t		 r, i, n;
	int		 f;

	band(c, "Part A \xe2\x80\x93 Filer (as on your account)");
	for (r = 0; r < 3; r++) {
		memset(cells, 0, sizeof(cells));
		for (n = 0, i = 0; i < 2; i++) {
			if ((f = grid[r][i].f) == -1)
				continue;
			cells[n].name = pdfform_filer_names[f];
			cells[n].label = afields[filer_af[f]].label;
			cells[n].tiphelp = afields[filer_af[f]].help;
			cells[n].frac = grid[r][i].frac;
			if (c->fill != NULL)
				cells[n].value = c->fill->filer[f];
			n++;
		}
		row(c, cells, n);
	}
	c->y += 8;
}

static void
header_block(struct ctx *c)
{
	static const struct { int f; double frac; } grid[7][3] = {
		{ { HF_PRODUCT, 0.24 }, { HF_LICENSE_TYPE, 0.38 },
		  { HF_ENTRY_TYPE, 0.38 } },
		{ { HF_IMPORTER_NAME, 1.0 }, { -1, 0 }, { -1, 0 } },
		{ { HF_EXPORTER_NAME, 1.0 }, { -1, 0 }, { -1, 0 } },
		{ { HF_MANUFACTURER_NAME, 1.0 }, { -1, 0 }, { -1, 0 } },
		{ { HF_COUNTRY_OF_ORIGIN, 0.5 },
		  { HF_COUNTRY_OF_EXPORTATION, 0.5 }, { -1, 0 } },
		{ { HF_EXPECTED_EXPORT_DATE, 0.5 },
		  { HF_EXPECTED_IMPORT_DATE, 0.5 }, { -1, 0 } },
		{ { HF_PORT_OF_ENTRY, 0.5 }, { HF_CUSTOMS_ENTRY_NUMBER, 0.5 },
		  { -1, 0 } },
	};
	struct cell	 cells[3];
	size_t		 r, i, n;
	int		 f;

	band(c, "Part B \xe2\x80\x93 License");
	for (r = 0; r < 7; r++) {
		memset(cells, 0, sizeof(cells));
		for (n = 0, i = 0; i < 3; i++) {
			if ((f = grid[r][i].f) == -1)
				continue;
			cells[n].name = hfields[f].name;
			cells[n].label = hfields[f].label;
			cells[n].help = cells[n].tiphelp = hfields[f].help;
			cells[n].frac = grid[r][i].frac;
			cells[n].value = hvalue(c, f);
			if (f == HF_IMPORTER_NAME)
				c->importer_item = c->item + (int)n + 1;
			if (hfields[f].type == FT_DATE) {
				cells[n].flags |= FB_DATE;
				cells[n].hint = DATE_HINT;
			}
			if (f == HF_PRODUCT) {
				/* Fixed by which form this is. */
				cells[n].flags |= FB_READONLY;
				cells[n].value = product_names[c->product];
				cells[n].hint = "preprinted";
			}
			n++;
		}
		row(c, cells, n);
	}
}

/* The short type hint under a column label. */
static const char *
lhint(enum lfield f)
{
	switch (lfields[f].type) {
	case FT_HTS:
		return "10 digits";
	case FT_MONEY:
		return "U.S. dollars";
	case FT_KG:
		return "net weight, kg";
	default:
		return "full country name";
	}
}

static void
lines_block(struct ctx *c)
{
	enum lfield	 col[8];
	double		 cw[8], x, hh = 0, h, y0;
	char		 s[FNAME_MAX], lab[64], *m;
	const struct form *form = NULL;
	const char	*v;
	struct fbox	*b;
	size_t		 ncol, i, n;

	if (c->fill != NULL)
		form = c->fill->form;
	col[0] = LF_HTS_CODE;
	col[1] = LF_CUSTOMS_VALUE_USD;
	col[2] = LF_VOLUME_KG;
	for (ncol = 3, i = 0; i < c->pi->nlf; i++)
		col[ncol++] = c->pi->lf[i];
	/* Line number, then the fixed columns, then the countries share
	 * what is left. */
	cw[0] = 20;
	cw[1] = 74;
	cw[2] = 78;
	cw[3] = 72;
	for (i = 4; i <= ncol; i++)
		cw[i] = (CONTENT_W - 20 - 74 - 78 - 72) / (ncol - 3);

	band(c, "Part C \xe2\x80\x93 Product lines");
	c->y += 4;
	c->y += text(c, MARGIN, c->y, CONTENT_W, 7.5, 0, 0, "One line for "
	    "each HTS code on the entry summary; the form holds 10. Leave "
	    "this part empty for a low value license. See the notes under "
	    "the table.") + 5;

	for (i = 1; i <= ncol; i++) {
		h = text(c, 0, 0, cw[i] - 6, 7, 0, T_BOLD | T_MEASURE,
		    lfields[col[i - 1]].label) +
		    text(c, 0, 0, cw[i] - 6, 6.2, 0, T_MEASURE | T_ITALIC,
		    lhint(col[i - 1]));
		if (h > hh)
			hh = h;
	}
	hh += 8;
	y0 = c->y;
	rect(c, MARGIN, c->y, CONTENT_W, hh, GRAY_BAND, RULE);
	text(c, MARGIN, c->y + hh / 2 - 5, cw[0], 7, 0, T_BOLD | T_CENTER,
	    "Line");
	for (x = MARGIN + cw[0], i = 1; i <= ncol; i++) {
		c->item++;
		snprintf(lab, sizeof(lab), "%d  %s", c->item,
		    lfields[col[i - 1]].label);
		h = text(c, x + 3, c->y + 3, cw[i] - 6, 7, 0, T_BOLD, lab);
		text(c, x + 3, c->y + 3 + h, cw[i] - 6, 6.2, GRAY_HELP,
		    T_ITALIC, lhint(col[i - 1]));
		x += cw[i];
	}
	c->y += hh;

	for (n = 1; n <= PDFFORM_LINES; n++) {
		if (n % 2 == 0)
			rect(c, MARGIN, c->y, CONTENT_W, LINE_ROW_H, 0.965, 0);
		snprintf(lab, sizeof(lab), "%zu", n);
		text(c, MARGIN, c->y + LINE_ROW_H / 2 - 5, cw[0], 8, 0,
		    T_BOLD | T_CENTER, lab);
		for (x = MARGIN + cw[0], i = 1; i <= ncol; i++) {
			snprintf(s, sizeof(s), PDFFORM_LINE ".%zu.%s", n,
			    lfields[col[i - 1]].name);
			b = addbox(c, s, FK_TEXT, x + 2, c->y + 2, cw[i] - 4,
			    LINE_ROW_H - 4);
			b->size = 8;
			if (col[i - 1] == LF_CUSTOMS_VALUE_USD ||
			    col[i - 1] == LF_VOLUME_KG)
				b->flags |= FB_RIGHT;
			snprintf(lab, sizeof(lab), "Line %zu: ", n);
			tip(b, lab, lfields[col[i - 1]].label,
			    lfields[col[i - 1]].help);
			v = NULL;
			if (form != NULL && n <= form->nlines)
				v = form->lines[n - 1].v[col[i - 1]];
			b->value = v;
			x += cw[i];
		}
		c->y += LINE_ROW_H;
	}
	/* Rules after the shading, which would cover them, then the
	 * frame. */
	for (n = 1; n < PDFFORM_LINES; n++)
		hline(c, MARGIN, y0 + hh + n * LINE_ROW_H, CONTENT_W, 0.35);
	for (x = MARGIN, i = 0; i < ncol; i++) {
		x += cw[i];
		cairo_set_source_rgb(c->cr, 0, 0, 0);
		cairo_set_line_width(c->cr, RULE);
		cairo_move_to(c->cr, x, y0);
		cairo_line_to(c->cr, x, c->y);
		cairo_stroke(c->cr);
	}
	rect(c, MARGIN, y0, CONTENT_W, c->y - y0, -1, 0.9);
	c->y += 8;

	text(c, MARGIN, c->y, CONTENT_W, 7.5, 0, T_BOLD,
	    "Notes on the product lines");
	c->y += 11;
	for (i = 0; i < ncol; i++) {
		m = g_markup_printf_escaped("<b>%s.</b> %s",
		    lfields[col[i]].label, lfields[col[i]].help);
		c->y += text(c, MARGIN + 8, c->y, CONTENT_W - 8, 7.5,
		    GRAY_HELP, T_MARKUP, m) + 2.5;
		g_free(m);
	}
	c->y += 10;
}

/* The certification and the office's own box. */
static void
certify_block(struct ctx *c)
{
	static const char *const office[] = {
		"Date received", "Reviewed by", "License number issued",
	};
	char		 lab[64], sent[512];
	double		 h, x, w;
	size_t		 i;
	struct fbox	*b;

	band(c, "Part D \xe2\x80\x93 Certification");
	c->y += 8;
	c->item++;
	rect(c, MARGIN + 4, c->y + 1, 12, 12, 1, 0.9);
	b = addbox(c, PDFFORM_CERTIFY, FK_CHECK, MARGIN + 4, c->y + 1, 12,
	    12);
	snprintf(lab, sizeof(lab), "%d", c->item);
	text(c, MARGIN + 22, c->y + 1, 20, 8, 0, T_BOLD, lab);
	snprintf(sent, sizeof(sent), "I certify that the information on "
	    "this form is true, correct and complete to the best of my "
	    "knowledge, that I am authorized to apply for this license for "
	    "the importer named in item %d, and that I understand that this "
	    "form is not a license and that no entry summary may be filed "
	    "for these goods until a license number has been issued.",
	    c->importer_item);
	h = text(c, MARGIN + 38, c->y, CONTENT_W - 38, 8.5, 0, 0, sent);
	snprintf(b->tip, sizeof(b->tip), "Certification: tick to certify "
	    "that the information on this form is true, correct and "
	    "complete.");
	c->y += h + 16;

	band(c, "For licensing office use only");
	for (x = MARGIN, i = 0; i < 3; i++) {
		w = CONTENT_W / 3;
		rect(c, x, c->y, w, 30, -1, RULE);
		text(c, x + 4, c->y + 2.5, w - 8, 7, GRAY_HELP, T_BOLD,
		    office[i]);
		x += w;
	}
	c->y += 30;
}

static cairo_status_t
write_buf(void *closure, const unsigned char *data, unsigned int len)
{
	return buf_add(closure, data, len) == 0 ? CAIRO_STATUS_SUCCESS :
	    CAIRO_STATUS_WRITE_ERROR;
}

/* The layout pass: draws both pages into pdf and fills c->box. */
static int
draw(struct ctx *c, struct buf *pdf, char *err, size_t errsz)
{
	cairo_surface_t		*sf;
	cairo_font_options_t	*fo = NULL;
	PangoContext		*pc = NULL;
	char			 s[256];
	int			 rc = -1;
	cairo_status_t		 st;

	sf = cairo_pdf_surface_create_for_stream(write_buf, pdf, PAGE_W,
	    PAGE_H);
	snprintf(s, sizeof(s), "%s \xe2\x80\x93 Emergency Email Filing",
	    c->pi->title);
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, s);
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR, "aim");
	c->cr = cairo_create(sf);
	/* Layout in points, without hinting: metrics as printed. */
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pc = pango_cairo_create_context(c->cr);
	pango_cairo_context_set_font_options(pc, fo);
	pango_cairo_context_set_resolution(pc, 72);
	c->pl = pango_layout_new(pc);

	c->page = 0;
	c->y = TOP;
	title_block(c);
	instructions(c);
	filer_block(c);
	header_block(c);
	footer(c);
	cairo_show_page(c->cr);

	c->page = 1;
	c->y = TOP;
	snprintf(s, sizeof(s), "%s \xe2\x80\x93 Emergency Email Filing",
	    c->pi->title);
	text(c, MARGIN, c->y, CONTENT_W, 8, 0, T_BOLD, s);
	snprintf(s, sizeof(s), "Form %s", c->pi->formno);
	text(c, MARGIN, c->y, CONTENT_W, 8, 0, T_BOLD | T_RIGHT, s);
	c->y += 13;
	hline(c, MARGIN, c->y, CONTENT_W, 1.6);
	c->y += 6;
	lines_block(c);
	certify_block(c);
	footer(c);
	cairo_show_page(c->cr);

	cairo_surface_finish(sf);
	if ((st = cairo_surface_status(sf)) != CAIRO_STATUS_SUCCESS ||
	    (st = cairo_status(c->cr)) != CAIRO_STATUS_SUCCESS) {
		snprintf(err, errsz, "drawing the form: %s%s",
		    cairo_status_to_string(st), pdf->overflow ?
		    " (larger than the limit)" : "");
		goto out;
	}
	rc = 0;
out:
	if (c->pl != NULL)
		g_object_unref(c->pl);
	c->pl = NULL;
	if (pc != NULL)
		g_object_unref(pc);
	if (fo != NULL)
		cairo_font_options_destroy(fo);
	cairo_destroy(c->cr);
	c->cr = NULL;
	cairo_surface_destroy(sf);
	return rc;
}

/* A decimal number without the locale's help (PDF wants a dot). */
static void
num(char *out, size_t sz, double v)
{
	long	 n = lround(v * 100);

	snprintf(out, sz, "%s%ld.%02ld", n < 0 ? "-" : "", labs(n) / 100,
	    labs(n) % 100);
}

static qpdf_oh
real(qpdf_data q, double v)
{
	return qpdf_oh_new_real_from_double(q, v, 2);
}

static void
set_name(qpdf_data q, qpdf_oh d, const char *key, const char *name)
{
	qpdf_oh_replace_key(q, d, key, qpdf_oh_new_name(q, name));
}

static void
set_int(qpdf_data q, qpdf_oh d, const char *key, long long v)
{
	qpdf_oh_replace_key(q, d, key, qpdf_oh_new_integer(q, v));
}

static void
set_text(qpdf_data q, qpdf_oh d, const char *key, const char *utf8)
{
	qpdf_oh_replace_key(q, d, key, qpdf_oh_new_unicode_string(q, utf8));
}

static qpdf_oh
box_array(qpdf_data q, double x0, double y0, double x1, double y1)
{
	qpdf_oh	 a = qpdf_oh_new_array(q);

	qpdf_oh_append_item(q, a, real(q, x0));
	qpdf_oh_append_item(q, a, real(q, y0));
	qpdf_oh_append_item(q, a, real(q, x1));
	qpdf_oh_append_item(q, a, real(q, y1));
	return a;
}

/* A form XObject for a checkbox state. */
static qpdf_oh
appearance(qpdf_data q, double w, double h, int on)
{
	char		 ops[256], a[5][24];
	qpdf_oh		 s, d;

	if (on) {
		/* A tick drawn with lines: needs no font. */
		num(a[0], sizeof(a[0]), w * 0.2);
		num(a[1], sizeof(a[1]), h * 0.5);
		num(a[2], sizeof(a[2]), w * 0.42);
		num(a[3], sizeof(a[3]), h * 0.22);
		num(a[4], sizeof(a[4]), w * 0.82);
		snprintf(ops, sizeof(ops), "q 0 G 1.6 w 1 J 1 j %s %s m "
		    "%s %s l %s %s l S Q\n", a[0], a[1], a[2], a[3], a[4],
		    a[4]);
	} else
		snprintf(ops, sizeof(ops), "q Q\n");
	s = qpdf_oh_new_stream(q);
	qpdf_oh_replace_stream_data(q, s, (const unsigned char *)ops,
	    strlen(ops), qpdf_oh_new_null(q), qpdf_oh_new_null(q));
	d = qpdf_oh_get_dict(q, s);
	set_name(q, d, "/Type", "/XObject");
	set_name(q, d, "/Subtype", "/Form");
	qpdf_oh_replace_key(q, d, "/BBox", box_array(q, 0, 0, w, h));
	qpdf_oh_replace_key(q, d, "/Resources", qpdf_oh_new_dictionary(q));
	return s;
}

static qpdf_oh
font(qpdf_data q, const char *base, const char *name, int winansi)
{
	qpdf_oh	 f = qpdf_oh_new_dictionary(q);

	set_name(q, f, "/Type", "/Font");
	set_name(q, f, "/Subtype", "/Type1");
	set_name(q, f, "/BaseFont", base);
	set_name(q, f, "/Name", name);
	if (winansi)
		set_name(q, f, "/Encoding", "/WinAnsiEncoding");
	return qpdf_make_indirect_object(q, f);
}

struct parent {
	char		 path[FNAME_MAX];
	qpdf_oh		 oh;
	qpdf_oh		 kids;
};

/*
 * The field for box b: "line.3.hts_code" hangs under the parent fields
 * "line" and "line.3", made on first use.  Parents' /Kids arrays are
 * kept aside and set once all fields exist.
 */
static qpdf_oh
field(qpdf_data q, const struct fbox *b, qpdf_oh fields, struct parent *par,
    size_t *npar)
{
	char		 part[FNAME_MAX];
	const char	*p, *dot;
	qpdf_oh		 up = 0, upkids = fields, d;
	size_t		 i, len;
	int		 hasup = 0;

	for (p = b->name; (dot = strchr(p, '.')) != NULL; p = dot + 1) {
		len = dot - b->name;
		for (i = 0; i < *npar; i++)
			if (strlen(par[i].path) == len &&
			    memcmp(par[i].path, b->name, len) == 0)
				break;
		if (i == *npar) {
			/* Table sized for our own names: a bug otherwise. */
			if (*npar == PARENT_MAX)
				abort();
			memcpy(par[i].path, b->name, len);
			par[i].path[len] = '\0';
			memcpy(part, p, dot - p);
			part[dot - p] = '\0';
			d = qpdf_oh_new_dictionary(q);
			set_text(q, d, "/T", part);
			par[i].oh = qpdf_make_indirect_object(q, d);
			par[i].kids = qpdf_oh_new_array(q);
			if (hasup)
				qpdf_oh_replace_key(q, par[i].oh, "/Parent",
				    up);
			qpdf_oh_append_item(q, upkids, par[i].oh);
			(*npar)++;
		}
		up = par[i].oh;
		upkids = par[i].kids;
		hasup = 1;
	}
	d = qpdf_oh_new_dictionary(q);
	set_text(q, d, "/T", p);
	d = qpdf_make_indirect_object(q, d);
	if (hasup)
		qpdf_oh_replace_key(q, d, "/Parent", up);
	qpdf_oh_append_item(q, upkids, d);
	return d;
}

/* The field pass: the AcroForm over the drawn pages. */
static int
add_fields(struct ctx *c, qpdf_data q, char *err, size_t errsz)
{
	struct parent	 par[PARENT_MAX];
	qpdf_oh		 page[PDFFORM_PAGES], annots[PDFFORM_PAGES];
	qpdf_oh		 acro, fields, dr, fonts, d, mk, ap, n;
	char		 da[64];
	size_t		 i, npar = 0;
	int		 ff;
	const struct fbox *b;

	if (qpdf_get_num_pages(q) != PDFFORM_PAGES) {
		snprintf(err, errsz, "the drawn form has %d pages, not %d",
		    qpdf_get_num_pages(q), PDFFORM_PAGES);
		return -1;
	}
	for (i = 0; i < PDFFORM_PAGES; i++) {
		page[i] = qpdf_get_page_n(q, i);
		annots[i] = qpdf_oh_new_array(q);
	}
	fields = qpdf_oh_new_array(q);
	for (i = 0; i < c->nbox; i++) {
		b = &c->box[i];
		d = field(q, b, fields, par, &npar);
		set_name(q, d, "/Type", "/Annot");
		set_name(q, d, "/Subtype", "/Widget");
		qpdf_oh_replace_key(q, d, "/Rect", box_array(q, b->x,
		    PAGE_H - b->y - b->h, b->x + b->w, PAGE_H - b->y));
		qpdf_oh_replace_key(q, d, "/P", page[b->page]);
		set_int(q, d, "/F", 4);		/* print */
		set_text(q, d, "/TU", b->tip);
		if (b->kind == FK_CHECK) {
			set_name(q, d, "/FT", "/Btn");
			set_name(q, d, "/V", "/Off");
			set_name(q, d, "/AS", "/Off");
			qpdf_oh_replace_key(q, d, "/DA",
			    qpdf_oh_new_string(q, "/ZaDb 0 Tf 0 g"));
			mk = qpdf_oh_new_dictionary(q);
			/* ZapfDingbats "4" is a tick, for viewers that
			 * redraw the box themselves. */
			qpdf_oh_replace_key(q, mk, "/CA",
			    qpdf_oh_new_string(q, "4"));
			qpdf_oh_replace_key(q, d, "/MK", mk);
			n = qpdf_oh_new_dictionary(q);
			qpdf_oh_replace_key(q, n, "/" PDFFORM_CERTIFY_ON,
			    appearance(q, b->w, b->h, 1));
			qpdf_oh_replace_key(q, n, "/Off",
			    appearance(q, b->w, b->h, 0));
			ap = qpdf_oh_new_dictionary(q);
			qpdf_oh_replace_key(q, ap, "/N", n);
			qpdf_oh_replace_key(q, d, "/AP", ap);
		} else {
			set_name(q, d, "/FT", "/Tx");
			snprintf(da, sizeof(da), "/Helv %d Tf 0 g", b->size);
			qpdf_oh_replace_key(q, d, "/DA",
			    qpdf_oh_new_string(q, da));
			set_int(q, d, "/MaxLen", LIM_FIELD_CHARS);
			set_int(q, d, "/Q", (b->flags & FB_RIGHT) ? 2 : 0);
			ff = 1 << 22;		/* no spell check */
			if (b->flags & FB_READONLY)
				ff |= 1;
			set_int(q, d, "/Ff", ff);
			if (b->value != NULL)
				set_text(q, d, "/V", b->value);
		}
		qpdf_oh_append_item(q, annots[b->page], d);
	}
	for (i = 0; i < npar; i++)
		qpdf_oh_replace_key(q, par[i].oh, "/Kids", par[i].kids);
	for (i = 0; i < PDFFORM_PAGES; i++)
		qpdf_oh_replace_key(q, page[i], "/Annots", annots[i]);

	fonts = qpdf_oh_new_dictionary(q);
	qpdf_oh_replace_key(q, fonts, "/Helv",
	    font(q, "/Helvetica", "/Helv", 1));
	qpdf_oh_replace_key(q, fonts, "/ZaDb",
	    font(q, "/ZapfDingbats", "/ZaDb", 0));
	dr = qpdf_oh_new_dictionary(q);
	qpdf_oh_replace_key(q, dr, "/Font", fonts);
	acro = qpdf_oh_new_dictionary(q);
	qpdf_oh_replace_key(q, acro, "/Fields", fields);
	/* Viewers draw the values themselves, in the field's /DA. */
	qpdf_oh_replace_key(q, acro, "/NeedAppearances",
	    qpdf_oh_new_bool(q, QPDF_TRUE));
	qpdf_oh_replace_key(q, acro, "/DR", dr);
	qpdf_oh_replace_key(q, acro, "/DA",
	    qpdf_oh_new_string(q, "/Helv 0 Tf 0 g"));
	qpdf_oh_replace_key(q, qpdf_get_root(q), "/AcroForm",
	    qpdf_make_indirect_object(q, acro));
	return 0;
}

static int
check_value(const char *name, const char *v, char *err, size_t errsz)
{
	if (v != NULL && strlen(v) > LIM_FIELD_BYTES) {
		snprintf(err, errsz, "%s: longer than %d bytes", name,
		    LIM_FIELD_BYTES);
		return -1;
	}
	return 0;
}

/* What the form can hold: bounded values, at most 10 lines. */
static int
check_fill(const struct pdfform_fill *fill, char *err, size_t errsz)
{
	const struct form	*f;
	size_t			 i;
	int			 j;

	if (fill == NULL)
		return 0;
	for (j = 0; j < PFF__MAX; j++)
		if (check_value(pdfform_filer_names[j], fill->filer[j], err,
		    errsz) == -1)
			return -1;
	if ((f = fill->form) == NULL)
		return 0;
	for (j = 0; j < HF__MAX; j++)
		if (check_value(hfields[j].name, f->v[j], err, errsz) == -1)
			return -1;
	if (f->nlines > PDFFORM_LINES) {
		snprintf(err, errsz, "the license has %zu product lines; the "
		    "PDF form holds %d", f->nlines, PDFFORM_LINES);
		return -1;
	}
	for (i = 0; i < f->nlines; i++)
		for (j = 0; j < LF__MAX; j++)
			if (check_value(lfields[j].name, f->lines[i].v[j], err,
			    errsz) == -1)
				return -1;
	return 0;
}

/* qpdf's last error, valid until the next qpdf call. */
static const char *
qerr(qpdf_data q)
{
	qpdf_error	 e;

	if (!qpdf_has_error(q) || (e = qpdf_get_error(q)) == NULL)
		return "unknown error";
	return qpdf_get_error_full_text(q, e);
}

/* A host name: letters, digits, dots and hyphens only. */
static int
domain_ok(const char *d)
{
	size_t	 i, n;

	if (d == NULL || (n = strlen(d)) == 0 || n > 253)
		return 0;
	for (i = 0; i < n; i++)
		if (!((d[i] >= 'a' && d[i] <= 'z') ||
		    (d[i] >= 'A' && d[i] <= 'Z') ||
		    (d[i] >= '0' && d[i] <= '9') || d[i] == '.' ||
		    d[i] == '-'))
			return 0;
	return d[0] != '.' && d[0] != '-' && d[n - 1] != '.';
}

int
pdfform_make(enum product product, const char *mail_domain,
    const struct pdfform_fill *fill, unsigned char **out, size_t *outlen,
    char *err, size_t errsz)
{
	struct ctx		*c = NULL;
	struct buf		 pdf;
	qpdf_data		 q = NULL;
	const unsigned char	*w;
	size_t			 wlen;
	int			 rc = -1;

	*out = NULL;
	*outlen = 0;
	buf_init(&pdf, PDF_MAX);
	if (product < 0 || product >= PRODUCT__MAX) {
		snprintf(err, errsz, "no such product");
		goto out;
	}
	if (!domain_ok(mail_domain)) {
		snprintf(err, errsz, "mail domain \"%s\" is not a host name",
		    mail_domain ? mail_domain : "");
		goto out;
	}
	if (check_fill(fill, err, errsz) == -1)
		goto out;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	c->product = product;
	c->pi = &pinfo[product];
	c->domain = mail_domain;
	c->fill = fill;
	if (draw(c, &pdf, err, errsz) == -1)
		goto out;

	q = qpdf_init();
	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
	if (qpdf_read_memory(q, "form.pdf", pdf.p, pdf.len, NULL) &
	    QPDF_ERRORS) {
		snprintf(err, errsz, "reading the drawn form: %s", qerr(q));
		goto out;
	}
	if (add_fields(c, q, err, errsz) == -1)
		goto out;
	if (qpdf_has_error(q)) {
		snprintf(err, errsz, "adding the fields: %s", qerr(q));
		goto out;
	}
	if (qpdf_init_write_memory(q) & QPDF_ERRORS) {
		snprintf(err, errsz, "writing the form: %s", qerr(q));
		goto out;
	}
	/* Same input, same bytes: no random /ID. */
	qpdf_set_deterministic_ID(q, QPDF_TRUE);
	if (qpdf_write(q) & QPDF_ERRORS) {
		snprintf(err, errsz, "writing the form: %s", qerr(q));
		goto out;
	}
	wlen = qpdf_get_buffer_length(q);
	w = qpdf_get_buffer(q);
	if (wlen == 0 || wlen > PDF_MAX || w == NULL) {
		snprintf(err, errsz, "writing the form: %zu bytes", wlen);
		goto out;
	}
	if ((*out = malloc(wlen)) == NULL) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	memcpy(*out, w, wlen);
	*outlen = wlen;
	rc = 0;
out:
	if (q != NULL)
		qpdf_cleanup(&q);
	buf_free(&pdf);
	free(c);
	return rc;
}
