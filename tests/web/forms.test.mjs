// The forms of issue 4 on the running site (tests/web/run.sh starts it):
// the multiple-license upload through the API (CSV, and .xlsx made
// here by a small zip writer, so the reader meets a workbook that
// libxlsxwriter did not make) and on the web in headless Chromium
// (the 200-license sheet with 3 bad rows -> report -> fix -> 200
// licenses), and the downloads: PDF forms blank, prefilled and
// "Duplicate as PDF" (fields read back with pdftk), the template.
//
// Environment (run.sh sets it): AIM_URL, AIM_TOKEN, AIM_TOKEN2,
// AIM_EMAIL, AIM_PASSWORD, AIM_TOP.  Every run tags its importers with
// a fresh id, so runs on one database do not see each other.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { TOP, closePage, day, launch, shot as shotOf, tick, watch }
    from './lib.mjs';

for (const v of ['AIM_URL', 'AIM_TOKEN', 'AIM_TOKEN2', 'AIM_EMAIL',
    'AIM_PASSWORD'])
	if (!process.env[v])
		throw new Error(`set ${v} (tests/web/run.sh does)`);
const BASE = process.env.AIM_URL.replace(/\/+$/, '');
const TOKEN = process.env.AIM_TOKEN;
const TOKEN2 = process.env.AIM_TOKEN2;
const EMAIL = process.env.AIM_EMAIL;
const PASSWORD = process.env.AIM_PASSWORD;
const RUN = randomBytes(5).toString('hex');
const NUMBER_RE = /^[0-9A-HJKMNP-TV-Z]{9}$/;
const XLSX_TYPE =
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/* lib/limits.h LIM_XLSX_BYTES and LIM_UPLOAD_BYTES. */
const XLSX_MAX = 16 * 1024 * 1024;
const UPLOAD_MAX = XLSX_MAX + 64 * 1024;

/* The template's columns (forms/sheet.h), in its order. */
const COLUMNS = ['license_ref', 'product', 'license_type', 'entry_type',
    'importer_name', 'exporter_name', 'manufacturer_name',
    'country_of_origin', 'country_of_exportation', 'expected_export_date',
    'expected_import_date', 'port_of_entry', 'customs_entry_number',
    'hts_code', 'customs_value_usd', 'volume_kg',
    'country_of_largest_smelt', 'country_of_second_largest_smelt',
    'country_of_most_recent_cast', 'country_of_melt_and_pour'];

let tmp;
let browser;
let filerState;		/* the signed-in first filer's cookies */

/* One valid aluminum product line of license ref. */
function row(ref, importer, over = {}) {
	return {
		license_ref: ref, product: 'aluminum', license_type: 'standard',
		entry_type: 'consumption', importer_name: importer,
		exporter_name: 'Ontario Remelt Ltd.',
		manufacturer_name: 'Ontario Remelt Ltd.',
		country_of_origin: 'Canada', country_of_exportation: 'Canada',
		expected_export_date: day(5), expected_import_date: day(12),
		port_of_entry: 'Buffalo-Niagara Falls, NY',
		hts_code: '7601103000', customs_value_usd: '25000.00',
		volume_kg: '10000', country_of_largest_smelt: 'Canada',
		country_of_second_largest_smelt: 'not applicable',
		country_of_most_recent_cast: 'Canada', ...over,
	};
}

function csvCell(v) {
	const s = v === undefined || v === null ? '' : String(v);
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(rows) {
	return [COLUMNS.join(','), ...rows.map((r) =>
	    COLUMNS.map((c) => csvCell(r[c])).join(','))].join('\r\n') +
	    '\r\n';
}

/*
 * A minimal .xlsx: one sheet, inline strings, numbers as numbers and
 * the date columns as Excel serial days, zipped without compression.
 */
const CRC_TABLE = (() => {
	const t = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		t[n] = c >>> 0;
	}
	return t;
})();

function crc32(buf) {
	let c = 0xffffffff;
	for (const b of buf)
		c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function zip(files) {
	const locals = [];
	const central = [];
	let offset = 0;
	for (const [name, text] of files) {
		const data = Buffer.from(text);
		const n = Buffer.from(name);
		const crc = crc32(data);
		const lh = Buffer.alloc(30);
		lh.writeUInt32LE(0x04034b50, 0);
		lh.writeUInt16LE(20, 4);
		lh.writeUInt32LE(crc, 14);
		lh.writeUInt32LE(data.length, 18);
		lh.writeUInt32LE(data.length, 22);
		lh.writeUInt16LE(n.length, 26);
		const ch = Buffer.alloc(46);
		ch.writeUInt32LE(0x02014b50, 0);
		ch.writeUInt16LE(20, 4);
		ch.writeUInt16LE(20, 6);
		ch.writeUInt32LE(crc, 16);
		ch.writeUInt32LE(data.length, 20);
		ch.writeUInt32LE(data.length, 24);
		ch.writeUInt16LE(n.length, 28);
		ch.writeUInt32LE(offset, 42);
		locals.push(lh, n, data);
		central.push(ch, n);
		offset += 30 + n.length + data.length;
	}
	const cd = Buffer.concat(central);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(files.length, 8);
	end.writeUInt16LE(files.length, 10);
	end.writeUInt32LE(cd.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, cd, end]);
}

function colName(i) {
	let s = '';
	for (i++; i > 0; i = Math.floor((i - 1) / 26))
		s = String.fromCharCode(65 + (i - 1) % 26) + s;
	return s;
}

function xmlEscape(s) {
	return s.replace(/&/g, '&amp;').replace(/</g, '&lt;')
	    .replace(/>/g, '&gt;');
}

function xlsx(rows) {
	const serial = (d) => (Date.parse(`${d}T00:00:00Z`) -
	    Date.UTC(1899, 11, 30)) / 86400000;
	const cell = (r, c, v, name) => {
		const ref = `${colName(c)}${r}`;
		if (v === undefined || v === '')
			return '';
		if (r > 1 && /_date$/.test(name))
			return `<c r="${ref}"><v>${serial(v)}</v></c>`;
		if (r > 1 && /^(customs_value_usd|volume_kg)$/.test(name))
			return `<c r="${ref}"><v>${Number(v)}</v></c>`;
		return `<c r="${ref}" t="inlineStr"><is><t>` +
		    `${xmlEscape(String(v))}</t></is></c>`;
	};
	const lines = [COLUMNS, ...rows.map((x) => COLUMNS.map((c) => x[c]))]
	    .map((vals, i) => `<row r="${i + 1}">` + vals.map((v, c) =>
	    cell(i + 1, c, v, COLUMNS[c])).join('') + '</row>');
	const ns = 'http://schemas.openxmlformats.org';
	return zip([
	    ['[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?>' +
	    `<Types xmlns="${ns}/package/2006/content-types">` +
	    '<Default Extension="rels" ContentType="application/' +
	    'vnd.openxmlformats-package.relationships+xml"/>' +
	    '<Default Extension="xml" ContentType="application/xml"/>' +
	    '<Override PartName="/xl/workbook.xml" ContentType="application/' +
	    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
	    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="' +
	    'application/vnd.openxmlformats-officedocument.spreadsheetml.' +
	    'worksheet+xml"/></Types>'],
	    ['_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?>' +
	    `<Relationships xmlns="${ns}/package/2006/relationships">` +
	    '<Relationship Id="rId1" Type="' + ns + '/officeDocument/2006/' +
	    'relationships/officeDocument" Target="xl/workbook.xml"/>' +
	    '</Relationships>'],
	    ['xl/workbook.xml', '<?xml version="1.0" encoding="UTF-8"?>' +
	    `<workbook xmlns="${ns}/spreadsheetml/2006/main" ` +
	    `xmlns:r="${ns}/officeDocument/2006/relationships"><sheets>` +
	    '<sheet name="Licenses" sheetId="1" r:id="rId1"/></sheets>' +
	    '</workbook>'],
	    ['xl/_rels/workbook.xml.rels', '<?xml version="1.0" ' +
	    'encoding="UTF-8"?>' +
	    `<Relationships xmlns="${ns}/package/2006/relationships">` +
	    '<Relationship Id="rId1" Type="' + ns + '/officeDocument/2006/' +
	    'relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
	    '</Relationships>'],
	    ['xl/worksheets/sheet1.xml', '<?xml version="1.0" ' +
	    `encoding="UTF-8"?><worksheet xmlns="${ns}/spreadsheetml/2006/` +
	    `main"><sheetData>${lines.join('')}</sheetData></worksheet>`],
	]);
}

/* One request: opts token (false: none), cookie, body, type, headers;
 * answers status, headers, the body as a Buffer, and its JSON if any. */
async function req(method, p, opts = {}) {
	const headers = { ...(opts.headers || {}) };
	const token = opts.token === undefined ? null : opts.token;
	if (token)
		headers.Authorization = `Bearer ${token}`;
	if (opts.cookie)
		headers.Cookie = opts.cookie;
	if (opts.type)
		headers['Content-Type'] = opts.type;
	const res = await fetch(BASE + p, { method, headers, body: opts.body,
	    redirect: 'manual' });
	const body = Buffer.from(await res.arrayBuffer());
	let json;
	try {
		json = JSON.parse(body.toString('utf8'));
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, body, json };
}

function batch(body, type, query = '', token = TOKEN) {
	return req('POST', `/api/v1/licenses/batch${query}`,
	    { token, body, type });
}

function expect(r, status) {
	assert.equal(r.status, status, `expected ${status}, got ${r.status}: ` +
	    r.body.toString('utf8').slice(0, 600));
}

/* The signed-in filer's cookies as a Cookie header. */
function cookieHeader() {
	return filerState.cookies.map((c) => `${c.name}=${c.value}`)
	    .join('; ');
}

/* pdftk's view of a PDF's fields: name -> value ('' when empty). */
function pdfFields(buf) {
	const f = path.join(tmp, `f${randomBytes(4).toString('hex')}.pdf`);
	fs.writeFileSync(f, buf);
	const r = spawnSync('pdftk', [f, 'dump_data_fields_utf8'],
	    { encoding: 'utf8', timeout: 60000 });
	assert.equal(r.status, 0, `pdftk: ${r.stderr}`);
	const out = new Map();
	for (const block of r.stdout.split('---')) {
		const name = block.match(/^FieldName: (.*)$/m);
		const value = block.match(/^FieldValue: (.*)$/m);
		if (name)
			out.set(name[1], value ? value[1] : '');
	}
	return out;
}

function newContext(opts = {}) {
	return browser.newContext({ viewport: { width: 1280, height: 900 },
	    locale: 'en-US', timezoneId: 'UTC', acceptDownloads: true,
	    storageState: filerState, ...opts });
}

/* A page that records script errors, CSP refusals and missing files. */
async function newPage(ctx) {
	ctx.setDefaultTimeout(30000);
	ctx.setDefaultNavigationTimeout(120000);
	return watch(await ctx.newPage());
}

/* Chooses the file, ticks what is asked, uploads; returns the seconds
 * from the click to the result page. */
async function upload(page, name, buf, { accept = false, certify = true,
    beforeClick } = {}) {
	await page.goto(`${BASE}/apply/multiple`);
	await page.locator('input[type=file][name=file]').setInputFiles(
	    { name, mimeType: name.endsWith('.csv') ? 'text/csv' : XLSX_TYPE,
	    buffer: buf });
	if (accept)
		await tick(page, /Accept the valid licenses only/);
	if (certify)
		await tick(page, /I certify/);
	if (beforeClick)
		await beforeClick(page);
	const t0 = performance.now();
	const nav = page.waitForEvent('framenavigated',
	    { predicate: (f) => f === page.mainFrame() });
	await page.getByRole('button', { name: 'Upload and apply' }).click();
	await nav;
	await page.waitForLoadState('load');
	return (performance.now() - t0) / 1000;
}

/* The row numbers of the report's table, in order. */
async function reportRows(page) {
	return page.locator('#aim-batch-errors tbody tr th').allInnerTexts();
}

/* Clicks a button that downloads; the file's bytes. */
async function download(page, name) {
	const [dl] = await Promise.all([page.waitForEvent('download'),
	    page.getByRole('button', { name }).click()]);
	const f = path.join(tmp, `dl-${randomBytes(4).toString('hex')}`);
	await dl.saveAs(f);
	return { name: dl.suggestedFilename(), data: fs.readFileSync(f) };
}

/* The window only, focus and all. */
function shot(page, name) {
	return shotOf(page, name, { fullPage: false, blur: false });
}

before(async () => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aim-forms-'));
	browser = await launch(tmp);
	/* One sign-in for the whole file.  nginx allows a few a minute
	 * per address and the other suites sign in too: wait if told. */
	const ctx = await newContext({ storageState: undefined });
	const page = await newPage(ctx);
	for (let i = 0; ; i++) {
		await page.goto(`${BASE}/signin`);
		await page.getByLabel('Email address').fill(EMAIL);
		await page.getByLabel('Password', { exact: true })
		    .fill(PASSWORD);
		const nav = page.waitForEvent('framenavigated',
		    { predicate: (f) => f === page.mainFrame() });
		await page.getByRole('button', { name: 'Sign in' }).click();
		await nav;
		await page.waitForLoadState('load');
		if (!/^Too many attempts/.test(await page.title()))
			break;
		assert.ok(i < 12, 'signed in within two minutes');
		await new Promise((ok) => setTimeout(ok, 10000));
	}
	assert.doesNotMatch(new URL(page.url()).pathname, /^\/signin/,
	    'signed in');
	filerState = await ctx.storageState();
	await ctx.close();
});

after(async () => {
	if (browser)
		await browser.close();
	if (tmp)
		fs.rmSync(tmp, { recursive: true, force: true });
});

/*
 * The API.
 */

test('API batch: a valid CSV files every license: 201', async () => {
	const imp = `Batch CSV ${RUN}`;
	const rows = [row('A-1', imp), row('A-2', imp),
	    row('A-2', imp, { hts_code: '7604101000',
	    customs_value_usd: '8000', volume_kg: '2000' }), row('A-3', imp)];
	const r = await batch(csv(rows), 'text/csv; charset=utf-8');
	expect(r, 201);
	assert.deepEqual(r.json.errors, []);
	assert.deepEqual(r.json.licenses.map((l) => l.license_ref),
	    ['A-1', 'A-2', 'A-3']);
	for (const l of r.json.licenses) {
		assert.match(l.license_number, NUMBER_RE);
		/* Action Required depends on the history: filed either way. */
		assert.match(l.status, /^(issued|action_required)$/);
	}
	/* Stored for this account, with the rows as lines; the channel
	 * is the API's. */
	const g = await req('GET', '/api/v1/licenses/' +
	    r.json.licenses[1].license_number, { token: TOKEN });
	expect(g, 200);
	assert.equal(g.json.license.importer_name, imp);
	assert.equal(g.json.license.lines.length, 2);
	assert.equal(g.json.license.lines[1].hts_code, '7604101000');
	assert.equal(g.json.channel, 'api');
	/* Another company sees none of them. */
	const o = await req('GET', '/api/v1/licenses/' +
	    r.json.licenses[0].license_number, { token: TOKEN2 });
	expect(o, 404);
});

test('API batch: one bad row stores nothing: 422 with row and column',
    async () => {
	const imp = `Batch Bad ${RUN}`;
	const rows = [row('B-1', imp), row('B-2', imp, { hts_code:
	    '1234567890' }), row('B-3', imp)];
	const r = await batch(csv(rows), 'text/csv');
	expect(r, 422);
	assert.deepEqual(r.json.licenses.map((l) => [l.license_ref,
	    l.license_number, l.status]), [['B-1', null, 'not_filed'],
	    ['B-2', null, 'rejected'], ['B-3', null, 'not_filed']]);
	assert.ok(r.json.errors.length >= 1);
	for (const e of r.json.errors) {
		assert.equal(e.row, 3);
		assert.equal(e.field, 'hts_code');
		assert.ok(e.message.length > 0);
	}
	const l = await req('GET', '/api/v1/licenses?importer=' +
	    encodeURIComponent(imp), { token: TOKEN });
	expect(l, 200);
	assert.equal(l.json.total, 0, 'nothing stored');

	/* accept_valid=1 files the valid ones: 200. */
	const a = await batch(csv(rows), 'text/csv', '?accept_valid=1');
	expect(a, 200);
	assert.deepEqual(a.json.licenses.map((x) => x.status === 'rejected' ?
	    x.status : 'filed'), ['filed', 'rejected', 'filed']);
	assert.match(a.json.licenses[0].license_number, NUMBER_RE);
	assert.equal(a.json.licenses[1].license_number, null);
	assert.equal(a.json.errors[0].row, 3);
	const l2 = await req('GET', '/api/v1/licenses?importer=' +
	    encodeURIComponent(imp), { token: TOKEN });
	assert.equal(l2.json.total, 2);
});

test('API batch: an .xlsx with numbers and serial dates: 201',
    async () => {
	const imp = `Batch XLSX ${RUN}`;
	const rows = [row('X-1', imp), row('X-1', imp, { hts_code:
	    '7604101000', customs_value_usd: '1234.5', volume_kg: '500' }),
	    row('X-2', imp, { country_of_origin: 'Norway',
	    country_of_exportation: 'Norway', country_of_largest_smelt:
	    'Norway', country_of_most_recent_cast: 'Norway' })];
	const r = await batch(xlsx(rows), XLSX_TYPE);
	expect(r, 201);
	assert.equal(r.json.licenses.length, 2);
	const g = await req('GET', '/api/v1/licenses/' +
	    r.json.licenses[0].license_number, { token: TOKEN });
	expect(g, 200);
	const lic = g.json.license;
	assert.equal(lic.expected_import_date, day(12));
	assert.equal(lic.expected_export_date, day(5));
	assert.equal(lic.lines.length, 2);
	assert.equal(lic.lines[1].customs_value_usd, '1234.50');
	assert.equal(lic.lines[1].volume_kg, '500');

	/* The same rows with a bad date: its row and column. */
	const bad = await batch(xlsx([row('X-9', imp,
	    { expected_import_date: 'soon' })]), XLSX_TYPE);
	expect(bad, 422);
	assert.equal(bad.json.errors[0].row, 2);
	assert.equal(bad.json.errors[0].field, 'expected_import_date');
});

test('API batch: wrong types, bad parameters, no token, unreadable and ' +
    'too large', async () => {
	const body = csv([row('C-1', `Batch Refused ${RUN}`)]);
	expect(await batch(body, 'application/json'), 415);
	assert.equal((await batch(body, 'application/json')).json.error,
	    'unsupported_media_type');
	expect(await batch(body, null), 415);
	const p = await batch(body, 'text/csv', '?accept_valid=maybe');
	expect(p, 400);
	assert.equal(p.json.param, 'accept_valid');
	const u = await batch(body, 'text/csv', '', false);
	expect(u, 401);
	/* A PNG is no sheet: said for the file as a whole (row 0). */
	const png = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
	    Buffer.alloc(64)]);
	const b = await batch(png, XLSX_TYPE);
	expect(b, 422);
	assert.deepEqual(b.json.licenses, []);
	assert.equal(b.json.errors[0].row, 0);
	assert.match(b.json.errors[0].message, /PNG/i);
	/* A zip that is no workbook. */
	const z = await batch(zip([['a.txt', 'hello']]), XLSX_TYPE);
	expect(z, 422);
	assert.equal(z.json.errors[0].row, 0);
	/* Past the sheet limit, the gateway says 413; past the upload
	 * limit, nginx does, in the API's JSON. */
	const big = Buffer.alloc(XLSX_MAX + 1, 'a');
	const t = await batch(big, 'text/csv');
	expect(t, 413);
	assert.equal(t.json.error, 'too_large');
	const huge = Buffer.alloc(UPLOAD_MAX + 1024 * 1024, 'a');
	const n = await batch(huge, 'text/csv');
	expect(n, 413);
	assert.equal(n.json.error, 'too_large');
});

/*
 * Downloads.
 */

test('PDF forms: blank, public, with every field', async () => {
	for (const product of ['aluminum', 'steel']) {
		const r = await req('GET', `/forms/${product}.pdf`);
		expect(r, 200);
		assert.equal(r.headers.get('content-type'), 'application/pdf');
		assert.equal(r.headers.get('content-disposition'),
		    `attachment; filename="${product}-license-application.pdf"`);
		assert.equal(r.body.subarray(0, 5).toString('latin1'), '%PDF-');
		const f = pdfFields(r.body);
		for (const name of ['importer_name', 'exporter_name',
		    'country_of_origin', 'expected_import_date',
		    'filer_company_name', 'filer_email', 'certify',
		    'line.1.hts_code', 'line.10.volume_kg'])
			assert.ok(f.has(name), `${product}: field ${name}`);
		assert.equal(f.get('filer_company_name'), '');
		assert.equal(f.get('importer_name'), '');
		assert.equal(f.has('line.1.country_of_melt_and_pour'),
		    product === 'steel');
		assert.equal(f.has('line.1.country_of_largest_smelt'),
		    product === 'aluminum');
	}
	/* HEAD answers the same headers without the file. */
	const h = await req('HEAD', '/forms/steel.pdf');
	expect(h, 200);
	assert.equal(h.body.length, 0);
});

test('PDF forms: prefilled for the signed-in filer; sign-in first ' +
    'otherwise', async () => {
	const out = await req('GET', '/forms/aluminum.pdf?prefill=1');
	expect(out, 303);
	assert.equal(out.headers.get('location'),
	    '/signin?next=/forms/aluminum.pdf%3Fprefill%3D1');
	const r = await req('GET', '/forms/aluminum.pdf?prefill=1',
	    { cookie: cookieHeader() });
	expect(r, 200);
	const f = pdfFields(r.body);
	assert.equal(f.get('filer_company_name'), 'Web Test Metals LLC');
	assert.equal(f.get('filer_email'), EMAIL);
	assert.equal(f.get('importer_name'), '');
});

test('Duplicate as PDF: the license in its form; another company\'s ' +
    'is not found', async () => {
	const imp = `Batch PDF ${RUN}`;
	const r = await batch(csv([row('P-1', imp), row('P-1', imp,
	    { hts_code: '7604101000', customs_value_usd: '8000',
	    volume_kg: '2000' })]), 'text/csv');
	expect(r, 201);
	const n = r.json.licenses[0].license_number;
	const p = await req('GET', `/licenses/${n}/pdf`,
	    { cookie: cookieHeader() });
	expect(p, 200);
	assert.equal(p.headers.get('content-type'), 'application/pdf');
	assert.match(p.headers.get('content-disposition'),
	    new RegExp(`^attachment; filename="aluminum-application-from-${n}` +
	    '\\.pdf"$'));
	const f = pdfFields(p.body);
	assert.equal(f.get('importer_name'), imp);
	assert.equal(f.get('country_of_origin'), 'Canada');
	assert.equal(f.get('line.1.hts_code'), '7601103000');
	assert.equal(f.get('line.2.hts_code'), '7604101000');
	assert.equal(f.get('line.3.hts_code'), '');
	assert.equal(f.get('filer_company_name'), 'Web Test Metals LLC');

	/* Signed out: sign in first.  Another company's: 404. */
	const s = await req('GET', `/licenses/${n}/pdf`);
	expect(s, 303);
	assert.match(s.headers.get('location'), /^\/signin\?next=/);
	const o = await batch(csv([row('P-2', `Batch PDF other ${RUN}`)]),
	    'text/csv', '', TOKEN2);
	expect(o, 201);
	const other = await req('GET', '/licenses/' +
	    `${o.json.licenses[0].license_number}/pdf`,
	    { cookie: cookieHeader() });
	expect(other, 404);
	assert.match(other.headers.get('content-type'), /^text\/html/);
});

test('the template: public, an .xlsx that reads back empty', async () => {
	const r = await req('GET', '/forms/template.xlsx');
	expect(r, 200);
	assert.equal(r.headers.get('content-type'), XLSX_TYPE);
	assert.equal(r.headers.get('content-disposition'),
	    'attachment; filename="multiple-licenses-template.xlsx"');
	assert.equal(r.body.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
	/* Uploaded as it is: the column names are right, no rows. */
	const b = await batch(r.body, XLSX_TYPE);
	expect(b, 422);
	assert.match(b.json.errors[0].message, /no rows/);
});

/*
 * The web site.
 */

test('web: links to the forms from the apply, license and help pages',
    async () => {
	const c = { cookie: cookieHeader() };
	const apply = (await req('GET', '/apply', c)).body.toString();
	assert.match(apply, /href="\/apply\/multiple"/);
	const help = (await req('GET', '/help/emergency', c)).body.toString();
	assert.match(help, /href="\/forms\/aluminum\.pdf\?prefill=1"/);
	assert.match(help, /href="\/forms\/steel\.pdf\?prefill=1"/);
	const pub = (await req('GET', '/help/emergency')).body.toString();
	assert.match(pub, /href="\/forms\/aluminum\.pdf"/);
	const r = await batch(csv([row('L-1', `Batch Link ${RUN}`)]),
	    'text/csv');
	const n = r.json.licenses[0].license_number;
	const lic = (await req('GET', `/licenses/${n}`, c)).body.toString();
	assert.match(lic, new RegExp(`<form method="get" ` +
	    `action="/licenses/${n}/pdf">`));
	assert.match(lic, />Duplicate as PDF</);
	const page = (await req('GET', '/apply/multiple', c)).body.toString();
	assert.match(page, /href="\/forms\/template\.xlsx"/);
	assert.match(page, /enctype="multipart\/form-data"/);
	assert.match(page, /src="\/static\/batch\.js"/);
	/* Signed out: sign in first. */
	const out = await req('GET', '/apply/multiple');
	expect(out, 303);
	assert.equal(out.headers.get('location'),
	    '/signin?next=/apply/multiple');
});

test('web: a multipart post without its CSRF token is refused',
    async () => {
	const fd = new FormData();
	fd.append('certify', 'yes');
	fd.append('file', new Blob([csv([row('F-1', `Batch CSRF ${RUN}`)])]),
	    'x.csv');
	const r = await req('POST', '/apply/multiple',
	    { cookie: cookieHeader(), body: fd });
	expect(r, 403);
	assert.match(r.body.toString(), /Form expired/);
	const l = await req('GET', '/api/v1/licenses?importer=' +
	    encodeURIComponent(`Batch CSRF ${RUN}`), { token: TOKEN });
	assert.equal(l.json.total, 0);
});

test('web: cut-off and too large uploads, forged downloads', async () => {
	const c = cookieHeader();
	const page = (await req('GET', '/apply/multiple', { cookie: c }))
	    .body.toString();
	const csrf = page.match(/name="csrf" value="([0-9a-f]{64})"/)[1];
	/* No closing boundary: the browser never sends that. */
	const cut = `--b0\r\nContent-Disposition: form-data; name="csrf"` +
	    `\r\n\r\n${csrf}\r\n--b0\r\nContent-Disposition: form-data; ` +
	    `name="file"; filename="x.csv"\r\n\r\nlicense_ref,pro`;
	const r = await req('POST', '/apply/multiple', { cookie: c, body: cut,
	    type: 'multipart/form-data; boundary=b0' });
	expect(r, 400);
	/* nginx refuses more than the upload limit, in the site's words. */
	const big = await req('POST', '/apply/multiple', { cookie: c,
	    body: Buffer.alloc(UPLOAD_MAX + 1024 * 1024, 'a'),
	    type: 'multipart/form-data; boundary=b0' });
	expect(big, 413);
	assert.match(big.body.toString(), /File too large/);
	/* A sheet carried by a result page is good only as the page made
	 * it, and only for its account. */
	const forged = new URLSearchParams({ csrf, kind: 'results',
	    data: Buffer.from('PK\x03\x04 not ours').toString('base64'),
	    mac: '0'.repeat(64) });
	const f = await req('POST', '/apply/multiple/download', { cookie: c,
	    body: forged.toString(),
	    type: 'application/x-www-form-urlencoded' });
	expect(f, 400);
	assert.match(f.headers.get('content-type'), /^text\/html/);
});

test('web: 200 licenses with 3 bad rows -> the report -> fixed -> 200 ' +
    'issued', async (t) => {
	const imp = `Batch Browser ${RUN}`;
	/* 200 licenses in 250 rows: the first 50 have two lines. */
	const rows = [];
	for (let i = 1; i <= 200; i++) {
		const ref = `WEB-${String(i).padStart(3, '0')}`;
		rows.push(row(ref, imp));
		if (i <= 50)
			rows.push(row(ref, imp, { hts_code: '7604101000',
			    customs_value_usd: '8000', volume_kg: '2000' }));
	}
	/* Row numbers as the filer sees them (row 1: column names). */
	const at = (i) => i + 2;
	const bad = { 19: { hts_code: '1234567890' },
	    169: { country_of_most_recent_cast: 'unknown' },
	    199: { volume_kg: '0' } };
	const broken = rows.map((r, i) => bad[i] ? { ...r, ...bad[i] } : r);
	const badRows = Object.keys(bad).map((i) => String(at(+i)));
	assert.deepEqual(badRows, ['21', '171', '201']);

	const ctx = await newContext();
	const page = await newPage(ctx);

	/* The progress message, on a submit that this test holds back
	 * (a listener after batch.js's cancels it). */
	await page.goto(`${BASE}/apply/multiple`);
	await page.locator('input[type=file][name=file]').setInputFiles(
	    { name: 'licenses.csv', mimeType: 'text/csv',
	    buffer: Buffer.from(csv(broken)) });
	await page.locator('#aim-batch-form').evaluate((f) =>
	    f.addEventListener('submit', (e) => e.preventDefault()));
	assert.ok(await page.locator('#aim-batch-progress').isHidden());
	await page.getByRole('button', { name: 'Upload and apply' }).click();
	await page.locator('#aim-batch-progress').waitFor({ state: 'visible' });
	assert.match(await page.locator('#aim-batch-progress-text').innerText(),
	    /^Uploading and checking licenses\.csv \(\d+ kB\)/);
	await page.waitForFunction(() => document.getElementById(
	    'aim-batch-submit').disabled);
	await page.waitForFunction(() => /[1-9] seconds?/.test(document
	    .getElementById('aim-batch-progress-text').textContent), null,
	    { timeout: 5000 });

	const secs = await upload(page, 'licenses.csv',
	    Buffer.from(csv(broken)));
	t.diagnostic(`200 licenses, 3 bad rows: report in ${secs.toFixed(2)}` +
	    ' s');
	assert.equal(await page.locator('h1').innerText(),
	    'No licenses were filed');
	const listed = await reportRows(page);
	assert.deepEqual([...new Set(listed)], badRows,
	    'the report lists exactly the 3 bad rows');
	const text = await page.locator('#aim-batch-errors').innerText();
	assert.match(text, /hts_code \(column N\)/);
	assert.match(text, /country_of_most_recent_cast \(column S\)/);
	assert.match(text, /volume_kg \(column P\)/);
	await shot(page, 'batch-errors.png');

	/* The annotated sheet: the same rows, the same problems. */
	const ann = await download(page, /errors marked/);
	assert.equal(ann.name, 'licenses-with-errors.xlsx');
	assert.equal(ann.data.subarray(0, 2).toString(), 'PK');
	/* The notes on the marked cells, and the list on its own sheet. */
	assert.ok(ann.data.includes('xl/comments1.xml'), 'cell notes');
	assert.ok(ann.data.includes('xl/worksheets/sheet2.xml'),
	    'an Errors sheet');
	const back = await batch(ann.data, XLSX_TYPE);
	expect(back, 422);
	assert.deepEqual([...new Set(back.json.errors.map((e) =>
	    String(e.row)))], badRows);
	const none = await req('GET', '/api/v1/licenses?importer=' +
	    encodeURIComponent(imp), { token: TOKEN });
	assert.equal(none.json.total, 0, 'nothing filed');

	/* Fixed: 200 licenses. */
	const secs2 = await upload(page, 'licenses.csv', Buffer.from(csv(rows)));
	t.diagnostic(`200 licenses (250 rows) uploaded, checked and filed ` +
	    `in ${secs2.toFixed(2)} s`);
	assert.equal(await page.locator('h1').innerText(),
	    '200 licenses issued');
	const nums = await page.locator('#aim-batch-licenses tbody a')
	    .allInnerTexts();
	assert.equal(nums.length, 200);
	assert.equal(new Set(nums).size, 200);
	for (const n of nums)
		assert.match(n, NUMBER_RE);
	await shot(page, 'batch-issued.png');
	const res = await download(page, /Download the results/);
	assert.equal(res.name, 'licenses-filed.xlsx');
	assert.equal(res.data.subarray(0, 2).toString(), 'PK');

	/* The list page counts them. */
	await page.goto(`${BASE}/licenses?importer=` + encodeURIComponent(imp));
	const cap = await page.locator('table.aim-licenses caption')
	    .innerText();
	assert.match(cap, / of 200\b/);
	await closePage(page);
});

test('web: accept the valid licenses only; a missing file; no ' +
    'certification', async () => {
	const imp = `Batch Accept ${RUN}`;
	const rows = [row('V-1', imp), row('V-2', imp, { volume_kg: '-5' }),
	    row('V-3', imp)];
	const ctx = await newContext();
	const page = await newPage(ctx);
	await upload(page, 'some.csv', Buffer.from(csv(rows)),
	    { accept: true });
	assert.equal(await page.locator('h1').innerText(),
	    '2 licenses issued');
	assert.match(await page.locator('main').innerText(),
	    /1 license was not filed/);
	assert.deepEqual([...new Set(await reportRows(page))], ['3']);
	const st = await page.locator('#aim-batch-licenses tbody tr td:last-child')
	    .allInnerTexts();
	assert.deepEqual(st.map((x) => /^(Issued|Action Required)$/.test(x) ?
	    'filed' : x), ['filed', 'Not filed: has errors', 'filed']);

	/* No file chosen. */
	await page.goto(`${BASE}/apply/multiple`);
	await tick(page, /I certify/);
	await page.getByRole('button', { name: 'Upload and apply' }).click();
	await page.waitForLoadState('load');
	await page.locator('#f-file-error').waitFor();
	assert.match(await page.locator('#f-file-error').innerText(),
	    /Choose the spreadsheet/);

	/* Not certified: checked, nothing filed. */
	const imp2 = `Batch Uncertified ${RUN}`;
	await upload(page, 'ok.csv', Buffer.from(csv([row('U-1', imp2)])),
	    { certify: false });
	assert.equal(await page.locator('h1').innerText(),
	    'No licenses were filed');
	assert.match(await page.locator('#error-summary').innerText(),
	    /certify/);
	assert.match(await page.locator('main').innerText(),
	    /All 1 license in ok\.csv is valid/);
	const l = await req('GET', '/api/v1/licenses?importer=' +
	    encodeURIComponent(imp2), { token: TOKEN });
	assert.equal(l.json.total, 0);

	/* Not a spreadsheet at all. */
	await upload(page, 'photo.xlsx', Buffer.concat([Buffer.from(
	    '\x89PNG\r\n\x1a\n', 'latin1'), Buffer.alloc(100)]));
	assert.match(await page.locator('#f-file-error').innerText(),
	    /photo\.xlsx could not be read: .*PNG/i);
	await closePage(page);
});

test('web: the upload works without JavaScript', async () => {
	const imp = `Batch NoJS ${RUN}`;
	const ctx = await newContext({ javaScriptEnabled: false });
	const page = await newPage(ctx);
	await upload(page, 'nojs.xlsx', xlsx([row('N-1', imp),
	    row('N-2', imp)]));
	assert.equal(await page.locator('h1').innerText(),
	    '2 licenses issued');
	await closePage(page);
});
