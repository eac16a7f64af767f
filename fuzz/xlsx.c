/*
 * The multiple-license workbook (forms/xlsxread.c: libzip and
 * libxml2's reader): read into a sheet, grouped into licenses, each
 * checked by the rules.
 *
 * An input that starts with "PK" is the .xlsx file itself.  Any other
 * input is the workbook's XML parts, split at NUL bytes, in the order
 * of parts[] (the sheet first); the parts not given are those of a
 * small valid workbook.  They are stored in a zip made here with the
 * right CRCs, so mutations of the XML get past libzip's checks.
 */
#include <stdlib.h>
#include <string.h>

#include "forms/xlsxread.h"
#include "fuzz.h"

#define NS	"http://schemas.openxmlformats.org/"
#define MAIN	NS "spreadsheetml/2006/main"
#define RELS	NS "package/2006/relationships"
#define OREL	NS "officeDocument/2006/relationships"

static const struct {
	const char	*name;
	const char	*xml;		/* when the input has no such part */
} parts[] = {
	{ "xl/worksheets/sheet1.xml", "<worksheet xmlns=\"" MAIN "\">"
	    "<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
	    "<c r=\"B1\" t=\"inlineStr\"><is><t>hts_code</t></is></c></row>"
	    "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c><c r=\"B2\">"
	    "<v>7601103000</v></c></row></sheetData></worksheet>" },
	{ "xl/sharedStrings.xml", "<sst xmlns=\"" MAIN "\"><si><t>"
	    "license_ref</t></si><si><t>R1</t></si></sst>" },
	{ "xl/workbook.xml", "<workbook xmlns=\"" MAIN "\" xmlns:r=\"" OREL
	    "\"><sheets><sheet name=\"Licenses\" sheetId=\"1\" r:id=\"rId1\"/>"
	    "</sheets></workbook>" },
	{ "xl/_rels/workbook.xml.rels", "<Relationships xmlns=\"" RELS "\">"
	    "<Relationship Id=\"rId1\" Type=\"" OREL "/worksheet\" Target=\""
	    "worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"" OREL
	    "/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>" },
	{ "_rels/.rels", "<Relationships xmlns=\"" RELS "\"><Relationship "
	    "Id=\"rId1\" Type=\"" OREL "/officeDocument\" Target=\""
	    "xl/workbook.xml\"/></Relationships>" },
	{ "[Content_Types].xml", "<Types xmlns=\"" NS "package/2006/"
	    "content-types\"><Default Extension=\"xml\" ContentType=\""
	    "application/xml\"/><Override PartName=\"/xl/workbook.xml\" "
	    "ContentType=\"application/vnd.openxmlformats-officedocument."
	    "spreadsheetml.sheet.main+xml\"/></Types>" },
};
#define NPARTS	(sizeof(parts) / sizeof(parts[0]))

FUZZ_INITIALIZE_TABLES

static uint32_t
crc32_of(const uint8_t *p, size_t n)
{
	uint32_t	 c = 0xffffffffu;
	int		 k;

	while (n-- > 0)
		for (c ^= *p++, k = 0; k < 8; k++)
			c = c >> 1 ^ (0xedb88320u & (0u - (c & 1)));
	return ~c;
}

static uint8_t *
le(uint8_t *o, uint32_t v, int bytes)
{
	while (bytes-- > 0) {
		*o++ = (uint8_t)v;
		v >>= 8;
	}
	return o;
}

/* A zip of the parts, stored (no compression). */
static uint8_t *
zip_of(const uint8_t *const *data, const size_t *len, size_t *zlen)
{
	uint8_t		*z, *o, *cd;
	uint32_t	 off[NPARTS], crc[NPARTS], cdlen;
	size_t		 i, total = 22, nl;

	for (i = 0; i < NPARTS; i++)
		total += 30 + 46 + 2 * strlen(parts[i].name) + len[i];
	if ((z = malloc(total)) == NULL)
		abort();
	o = z;
	for (i = 0; i < NPARTS; i++) {
		nl = strlen(parts[i].name);
		off[i] = (uint32_t)(o - z);
		crc[i] = crc32_of(data[i], len[i]);
		o = le(o, 0x04034b50, 4);
		o = le(o, 20, 2);		/* version needed */
		o = le(o, 0, 2);		/* flags */
		o = le(o, 0, 2);		/* stored */
		o = le(o, 0, 4);		/* time, date */
		o = le(o, crc[i], 4);
		o = le(o, (uint32_t)len[i], 4);
		o = le(o, (uint32_t)len[i], 4);
		o = le(o, (uint32_t)nl, 2);
		o = le(o, 0, 2);		/* extra */
		memcpy(o, parts[i].name, nl);
		o += nl;
		if (len[i] > 0)
			memcpy(o, data[i], len[i]);
		o += len[i];
	}
	cd = o;
	for (i = 0; i < NPARTS; i++) {
		nl = strlen(parts[i].name);
		o = le(o, 0x02014b50, 4);
		o = le(o, 20, 2);		/* made by */
		o = le(o, 20, 2);		/* needed */
		o = le(o, 0, 2);
		o = le(o, 0, 2);
		o = le(o, 0, 4);
		o = le(o, crc[i], 4);
		o = le(o, (uint32_t)len[i], 4);
		o = le(o, (uint32_t)len[i], 4);
		o = le(o, (uint32_t)nl, 2);
		o = le(o, 0, 2);		/* extra */
		o = le(o, 0, 2);		/* comment */
		o = le(o, 0, 2);		/* disk */
		o = le(o, 0, 2);		/* internal attributes */
		o = le(o, 0, 4);		/* external attributes */
		o = le(o, off[i], 4);
		memcpy(o, parts[i].name, nl);
		o += nl;
	}
	cdlen = (uint32_t)(o - cd);
	o = le(o, 0x06054b50, 4);
	o = le(o, 0, 4);			/* disks */
	o = le(o, NPARTS, 2);
	o = le(o, NPARTS, 2);
	o = le(o, cdlen, 4);
	o = le(o, (uint32_t)(cd - z), 4);
	o = le(o, 0, 2);			/* comment */
	*zlen = (size_t)(o - z);
	return z;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t	*d[NPARTS], *p = data, *end = data + size, *nul;
	size_t		 len[NPARTS], i, zlen;
	uint8_t		*z;
	const char	*kind;

	/* What the upload page says of a file that is no workbook. */
	if ((kind = xlsxread_kind((const char *)data, size)) != NULL)
		FUZZ_ASSERT(strlen(kind) > 0);
	if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
		fuzz_sheet(xlsxread, data, size);
		return 0;
	}
	for (i = 0; i < NPARTS; i++) {
		if (p != NULL && p <= end) {
			nul = memchr(p, '\0', (size_t)(end - p));
			d[i] = p;
			len[i] = (size_t)((nul != NULL ? nul : end) - p);
			p = nul != NULL ? nul + 1 : NULL;
		} else {
			d[i] = (const uint8_t *)parts[i].xml;
			len[i] = strlen(parts[i].xml);
		}
	}
	z = zip_of(d, len, &zlen);
	fuzz_sheet(xlsxread, z, zlen);
	free(z);
	return 0;
}
