/*
 * A strict reader of the objects of a plain PDF, for the walk over a
 * form's fields in forms/pdfread.c: qpdf parses each object it is
 * asked for into C++ objects and strings (about 12 us a field, most of
 * reading a filled form), this reads the same objects in place.
 *
 * It takes only what it can read exactly as qpdf would, without a
 * warning: one classic cross-reference table (no /Prev, no stream, no
 * encryption), objects at their offsets with their numbers, the
 * grammar without comments, name escapes or odd strings, text that is
 * ASCII or UTF-16BE.  Anything else, met when opening or at any later
 * call, makes it fail (pdflite_failed): the caller then reads the file
 * with qpdf, which decides.  Every table is bounded, so a hostile file
 * costs time and memory linear in its size, then fails.
 *
 * Handles are numbers as qpdf-c's (0: none); types are qpdf's
 * qpdf_object_type_e; a string returned lives until the next call.
 */
#ifndef AIM_PDFLITE_H
#define AIM_PDFLITE_H

#include <stddef.h>
#include <stdint.h>

struct pdflite;

/* NULL when the file is not one it reads (or no memory). */
struct pdflite	*pdflite_open(const char *buf, size_t len);
void		 pdflite_free(struct pdflite *);
/* Whether a call met what it does not read: drop every answer. */
int		 pdflite_failed(const struct pdflite *);

uint32_t	 pdflite_root(struct pdflite *);
int		 pdflite_type(struct pdflite *, uint32_t);
int		 pdflite_object_id(struct pdflite *, uint32_t);
/* A null handle (not 0) when the key is absent, as qpdf. */
uint32_t	 pdflite_key(struct pdflite *, uint32_t, const char *key);
/* Present and not null. */
int		 pdflite_has_key(struct pdflite *, uint32_t, const char *key);
int		 pdflite_n_items(struct pdflite *, uint32_t);
uint32_t	 pdflite_item(struct pdflite *, uint32_t, int);
/* A string as UTF-8, *len its bytes. */
const char	*pdflite_utf8(struct pdflite *, uint32_t, size_t *len);
/* A name with its '/', *len its bytes. */
const char	*pdflite_name(struct pdflite *, uint32_t, size_t *len);

#endif
