/*
 * The license form, written once for applying, correcting (edit) and
 * duplicating: the filer block from the account, the header fields, the
 * product lines and the certification, each field with its glossary
 * help, its error and its Action Required flag.  Input names are the
 * vocabulary paths, so the core's messages land beside their fields.
 */
#ifndef AIM_LICFORM_H
#define AIM_LICFORM_H

#include "forms/form.h"
#include "req.h"

enum licform_mode {
	LICFORM_APPLY,		/* a new application */
	LICFORM_EDIT,		/* a correction of license number */
	LICFORM_DUPLICATE,	/* a new application from license number */
	LICFORM_STAFF,		/* staff edit an emailed form (number: its
				 * reference); product and type editable */
	LICFORM__MAX
};

struct licform {
	enum licform_mode	 mode;
	const struct form	*form;		/* the values shown */
	const struct report	*errors;	/* NULL: none */
	const struct report	*flags;		/* Action Required; NULL: none */
	const char		*action;	/* where the form posts */
	const char		*number;	/* edit, duplicate: the license */
	int			 certified;	/* the box was ticked */
	const char		*back;		/* staff: the item's page */
};

/* The whole page (page_begin to page_end) with the status as set.  A
 * standard license shows at least one product line. */
void	 licform_page(struct req *, const struct licform *);

/*
 * The posted form (r->form) read into *fp, errors in rep.  Without
 * script its buttons post action=add_line or remove_line_N: the line
 * removed is left out, a line is added (up to LIM_LINES), and *editing
 * is set: the form is to be shown again, its empty lines kept, rather
 * than submitted.  -1: out of memory; 0 with *fp NULL: the form has too
 * many fields to read.  The caller frees *fp in both cases.
 */
int	 licform_read(const struct req *, struct report *, struct form **fp,
	    int *editing);

#endif
