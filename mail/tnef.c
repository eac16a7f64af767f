/*
 * winmail.dat through libytnef.  The library trusts its input more
 * than we do (it allocates what a length field says, and walks its
 * attachment list once per attribute), so the stream's framing is
 * checked here first: every attribute's length inside the data, its
 * checksum right, no empty attribute, at most TNEF_ATTRS_MAX of them.
 * The library also prints its complaints on standard output, which
 * may carry our JSON: that is pointed at /dev/null while it runs (the
 * processes that read mail are single threaded).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/limits.h"
#include "decode.h"
#include "tnef.h"

/* ytnef.h defines BYTE, WORD and DWORD as macros: it comes last. */
#include <ytnef.h>

#define TNEF_SIGNATURE	0x223e9f78u
#define TNEF_NAME_MAX	1024	/* bytes of a file name kept */

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

int
tnef_is(const unsigned char *data, size_t len)
{
	return len >= 6 && le32(data) == TNEF_SIGNATURE;
}

/* Checks the framing: signature, key, then level (1), id (4),
 * length (4), data, checksum (2) to the end. */
static int
tnef_check(const unsigned char *d, size_t len, char *err, size_t errsz)
{
	size_t		 pos = 6, i, nattr = 0;
	uint32_t	 size;
	unsigned int	 sum;

	if (!tnef_is(d, len)) {
		snprintf(err, errsz, "not a TNEF stream");
		return -1;
	}
	while (pos < len) {
		if (len - pos < 9) {
			snprintf(err, errsz, "TNEF stream cut short");
			return -1;
		}
		size = le32(d + pos + 5);
		pos += 9;
		if (size == 0 || size > len - pos || len - pos - size < 2) {
			snprintf(err, errsz, "TNEF attribute length past "
			    "the end");
			return -1;
		}
		for (sum = 0, i = 0; i < size; i++)
			sum += d[pos + i];
		if ((sum & 0xffff) != ((unsigned int)d[pos + size] |
		    (unsigned int)d[pos + size + 1] << 8)) {
			snprintf(err, errsz, "TNEF checksum wrong");
			return -1;
		}
		pos += size + 2;
		if (++nattr > TNEF_ATTRS_MAX) {
			snprintf(err, errsz, "more than %d TNEF attributes",
			    TNEF_ATTRS_MAX);
			return -1;
		}
	}
	return 0;
}

/* A MAPI string property of an attachment as UTF-8, or NULL. */
static char *
mapi_string(MAPIProps *p, unsigned int id)
{
	variableLength	*v;
	size_t		 n;

	if ((v = MAPIFindProperty(p, PROP_TAG(PT_UNICODE, id))) !=
	    MAPI_UNDEFINED && v != NULL && v->data != NULL && v->size > 0) {
		/* ytnef made it UTF-8 and NUL-terminated it. */
		n = strnlen((char *)v->data, (size_t)v->size * 3 / 2 + 1);
		return decode_charset("UTF-8", (char *)v->data, n,
		    TNEF_NAME_MAX, NULL, NULL);
	}
	if ((v = MAPIFindProperty(p, PROP_TAG(PT_STRING8, id))) !=
	    MAPI_UNDEFINED && v != NULL && v->data != NULL && v->size > 0) {
		n = strnlen((char *)v->data, (size_t)v->size);
		return decode_charset("windows-1252", (char *)v->data, n,
		    TNEF_NAME_MAX, NULL, NULL);
	}
	return NULL;
}

/* Standard output to /dev/null; returns the saved descriptor or -1. */
static int
quiet_begin(void)
{
	int	 saved, nul;

	fflush(stdout);
	if ((nul = open("/dev/null", O_WRONLY | O_CLOEXEC)) == -1)
		return -1;
	if ((saved = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3)) == -1) {
		close(nul);
		return -1;
	}
	if (dup2(nul, STDOUT_FILENO) == -1) {
		close(saved);
		saved = -1;
	}
	close(nul);
	return saved;
}

static void
quiet_end(int saved)
{
	fflush(stdout);
	if (saved == -1)
		return;
	dup2(saved, STDOUT_FILENO);
	close(saved);
}

void
tnef_free(struct tnef_file *f, size_t n)
{
	size_t	 i;

	if (f == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(f[i].name);
		free(f[i].type);
		free(f[i].data);
	}
	free(f);
}

int
tnef_read(const unsigned char *data, size_t len, size_t maxfiles,
    struct tnef_file **filesp, char *err, size_t errsz)
{
	TNEFStruct		 tnef;
	Attachment		*a;
	struct tnef_file	*files = NULL, *f;
	size_t			 n = 0, cap = 0;
	char			*mime;
	int			 saved, rc = -1, parsed = 0;

	*filesp = NULL;
	if (len > LIM_ATTACHMENT_BYTES || len > INT32_MAX) {
		snprintf(err, errsz, "winmail.dat larger than %d bytes",
		    LIM_ATTACHMENT_BYTES);
		return -1;
	}
	if (tnef_check(data, len, err, errsz) == -1)
		return -1;
	memset(&tnef, 0, sizeof(tnef));
	TNEFInitialize(&tnef);
	tnef.Debug = 0;
	parsed = 1;
	saved = quiet_begin();
	/* ytnef reads its memory without writing it. */
	rc = TNEFParseMemory((BYTE *)(uintptr_t)data, (long)len, &tnef);
	quiet_end(saved);
	if (rc != 0) {
		snprintf(err, errsz, "winmail.dat damaged (ytnef error %d)",
		    rc);
		rc = -1;
		goto out;
	}
	rc = -1;
	for (a = tnef.starting_attach.next; a != NULL; a = a->next) {
		/* Embedded messages and OLE objects have no file data. */
		if (a->FileData.data == NULL || a->FileData.size <= 0)
			continue;
		if (n == maxfiles) {
			snprintf(err, errsz, "winmail.dat holds more than %zu "
			    "files", maxfiles);
			goto out;
		}
		if (n == cap) {
			struct tnef_file	*nf;

			cap = cap ? cap * 2 : 4;
			if ((nf = reallocarray(files, cap, sizeof(*nf))) ==
			    NULL)
				goto oom;
			files = nf;
		}
		f = &files[n];
		memset(f, 0, sizeof(*f));
		n++;
		if ((f->name = mapi_string(&a->MAPI,
		    PR_ATTACH_LONG_FILENAME)) == NULL &&
		    a->Title.data != NULL && a->Title.size > 0)
			f->name = decode_charset("windows-1252",
			    (char *)a->Title.data, strnlen((char *)
			    a->Title.data, (size_t)a->Title.size),
			    TNEF_NAME_MAX, NULL, NULL);
		if (f->name == NULL && (f->name = strdup("")) == NULL)
			goto oom;
		mime = mapi_string(&a->MAPI, PR_ATTACH_MIME_TAG);
		f->type = mime != NULL ? decode_ctype(mime, strlen(mime)) :
		    NULL;
		free(mime);
		if (f->type == NULL &&
		    (f->type = strdup(decode_guess_type(f->name))) == NULL)
			goto oom;
		if ((f->data = malloc((size_t)a->FileData.size)) == NULL)
			goto oom;
		memcpy(f->data, a->FileData.data, (size_t)a->FileData.size);
		f->size = (size_t)a->FileData.size;
	}
	*filesp = files;
	files = NULL;
	rc = (int)n;
	goto out;
oom:
	snprintf(err, errsz, "out of memory");
out:
	if (rc == -1)
		tnef_free(files, n);
	if (parsed)
		TNEFFree(&tnef);
	return rc;
}
