/*
 * The license application as data: one vocabulary for every channel.
 * Every reader (JSON, XML, PDF, spreadsheet, web form) fills a struct
 * form with the text exactly as given; forms/rules.c checks it and
 * turns it into a struct license.  Field names here are the JSON keys,
 * XML element names, PDF field names and spreadsheet columns.
 */
#ifndef AIM_FORM_H
#define AIM_FORM_H

#include <stddef.h>

/* Header fields, in the order forms show them. */
enum hfield {
	HF_PRODUCT,
	HF_LICENSE_TYPE,
	HF_ENTRY_TYPE,
	HF_IMPORTER_NAME,
	HF_EXPORTER_NAME,
	HF_MANUFACTURER_NAME,
	HF_COUNTRY_OF_ORIGIN,
	HF_COUNTRY_OF_EXPORTATION,
	HF_EXPECTED_EXPORT_DATE,
	HF_EXPECTED_IMPORT_DATE,
	HF_PORT_OF_ENTRY,
	HF_CUSTOMS_ENTRY_NUMBER,
	HF__MAX
};

/* Product line fields. */
enum lfield {
	LF_HTS_CODE,
	LF_CUSTOMS_VALUE_USD,
	LF_VOLUME_KG,
	LF_COUNTRY_OF_LARGEST_SMELT,
	LF_COUNTRY_OF_SECOND_LARGEST_SMELT,
	LF_COUNTRY_OF_MOST_RECENT_CAST,
	LF_COUNTRY_OF_MELT_AND_POUR,
	LF__MAX
};

/* What a field holds, for readers that must know (JSON numbers). */
enum ftype {
	FT_TEXT,
	FT_CHOICE,
	FT_COUNTRY,
	FT_DATE,
	FT_MONEY,
	FT_KG,
	FT_HTS,
	FT__MAX
};

struct field_def {
	const char	*name;		/* vocabulary name */
	const char	*label;		/* what people read */
	enum ftype	 type;
	const char	*help;		/* glossary text */
};

extern const struct field_def hfields[HF__MAX];
extern const struct field_def lfields[LF__MAX];

/* Field index by vocabulary name, or -1. */
int	 hfield_find(const char *name);
int	 lfield_find(const char *name);
/* Where a form error's field path is, as people say it: "lines[2].hts_code"
 * is "Product line 2, HTS code", NULL or "" is "The form". */
void	 form_field_words(const char *path, char *out, size_t sz);

struct form_line {
	char	*v[LF__MAX];	/* NULL: not given */
};

struct form {
	char			*v[HF__MAX];	/* NULL: not given */
	struct form_line	*lines;
	size_t			 nlines;
	size_t			 linecap;
	int			 has_lines;	/* "lines" was given at all */
};

struct form	*form_new(void);
void		 form_free(struct form *);
/* Sets a header field to a copy of val (len bytes; no NUL needed).
 * Returns 0, or -1 on allocation failure. */
int		 form_set(struct form *, enum hfield, const char *val, size_t len);
/* Appends an empty line; returns it, or NULL. */
struct form_line *form_add_line(struct form *);
int		 form_line_set(struct form_line *, enum lfield, const char *val,
		    size_t len);
struct form	*form_dup(const struct form *);

/*
 * Problems with a form, each naming its field by vocabulary path:
 * "importer_name", "lines[2].hts_code" (lines from 1), "lines", or ""
 * for the form as a whole.  Errors make a form invalid; flags are
 * Action Required notices and never do.
 */
struct report_item {
	char	*field;
	char	*message;
};

struct report {
	struct report_item	*errors;
	size_t			 nerrors;
	struct report_item	*flags;
	size_t			 nflags;
	int			 truncated;	/* more than LIM_REPORT_ITEMS */
};

void	 report_init(struct report *);
void	 report_free(struct report *);
/* printf-like; the field is formatted from a line number when line > 0:
 * report_error(r, 2, "hts_code", ...) names "lines[2].hts_code". */
void	 report_error(struct report *, size_t line, const char *field,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	 report_flag(struct report *, size_t line, const char *field,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Why an input was refused as a whole (no report can hold it), or why
 * an action cannot be done: printf into the caller's buffer, if any
 * (why NULL or whysz 0: nowhere). */
void	 why_set(char *why, size_t whysz, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Does the report name this field (exact path) among errors? */
int	 report_has_error(const struct report *, const char *field);
/* A reader's refusal made fit for JSON and mail: bytes outside
 * printable ASCII (a library quoting the input) become '?'. */
void	 report_ascii(char *msg);

#endif
