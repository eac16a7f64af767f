/*
 * libFuzzer targets (./configure --enable-fuzz with CC=clang; run by
 * scripts/fuzz).  Each fuzz/TARGET.c feeds its bytes to one parser the
 * way the programs do, then goes on through what the programs do next
 * with the result (the rules, the writers, classification), and checks
 * what the parser promises (valid UTF-8, a form that reads back).  A
 * broken promise aborts, which libFuzzer reports as a crash.
 * fuzz/common.c holds what several targets share; fuzz/request.c
 * drives gateway/http.c with a request made in memory.
 */
#ifndef AIM_FUZZ_H
#define AIM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "forms/form.h"

struct message;
struct sheet;

/* The domain of our addresses and Message-IDs, and the key of reply
 * tokens, as aim-maild would have them. */
#define FUZZ_DOMAIN	"aim.test"
extern const unsigned char fuzz_key[32];

/* libFuzzer's entry points. */
int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	 LLVMFuzzerInitialize(int *, char ***);

/* At file scope: the LLVMFuzzerInitialize of a target that needs only
 * the tables loaded.  A macro, not a function in libfuzz.a: libFuzzer
 * refers to it weakly, which would not pull it from the archive. */
#define FUZZ_INITIALIZE_TABLES						\
int									\
LLVMFuzzerInitialize(int *argc, char ***argv)				\
{									\
	fuzz_init_tables();						\
	return 0;							\
}

/* Aborts with a message naming the broken promise (a fuzz finding). */
#define FUZZ_ASSERT(c)	((c) ? (void)0 : \
	fuzz_fail(__FILE__, __LINE__, #c))
void	 fuzz_fail(const char *file, int line, const char *what)
	    __attribute__((noreturn));

/* The tables the rules and the XML reader need, loaded once. */
void	 fuzz_init_tables(void);
/* The day the targets check forms as of (2026-01-15, as golden.sh). */
int	 fuzz_today(void);
/* A NUL-terminated copy of the input (never NULL: aborts). */
char	*fuzz_strdup(const uint8_t *, size_t);
/* Whether n bytes are valid UTF-8 without a NUL byte. */
int	 fuzz_text_ok(const char *, size_t);
/* The CGI parameter "name=" followed by the n bytes of value, NUL
 * terminated (never NULL: aborts; the caller frees). */
char	*fuzz_param(const char *name, const uint8_t *value, size_t n);

/*
 * What the programs do with a form a reader gave (f and rep from the
 * reader): the rules, Action Required, the JSON and XML writers; the
 * JSON a form is written as must read back to the same JSON.  Frees f
 * and rep.
 */
void	 fuzz_form(struct form *f, struct report *rep);

/* A form reader (JSON, XML) on the input, its reason for refusing
 * checked to be text (it goes back to the filer), then fuzz_form. */
void	 fuzz_read_form(struct form *(*reader)(const char *, size_t,
	    struct report *, char *, size_t), const uint8_t *, size_t);

/* The .xlsx or .csv reader into a sheet, then as batch_read goes on:
 * rows grouped into licenses, each license through the rules. */
void	 fuzz_sheet(int (*reader)(const char *, size_t, struct sheet *,
	    char *, size_t), const uint8_t *, size_t);

/*
 * Where aim-maild would file m (mail/classify.c, with our addresses,
 * FUZZ_DOMAIN and fuzz_key), and the first line a reply is read by.
 */
void	 fuzz_classify(const struct message *m);

/*
 * fuzz/request.c: http_read (gateway/http.c) on a request whose CGI
 * parameters are env ("NAME=value", NULL-terminated; CONTENT_LENGTH is
 * added from len) and whose body is len bytes, against an empty
 * in-memory database; then the urlencoded pairs through the web form
 * reader.  Returns http_read's status (0: read).
 */
int	 fuzz_request(const char *const *env, const char *body, size_t len);

#endif
