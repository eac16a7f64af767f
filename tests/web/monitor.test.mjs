// The public import monitor (/monitor) in a real browser: headless
// Chromium (/usr/bin/chromium) driven by playwright-core, against the
// private nginx + aim-gateway of tests/web/run.sh (AIM_URL, AIM_DB,
// AIM_TOP).  Its database starts empty: the before hook fills it with
// `aimctl history generate` (synthetic licenses), or, where that
// command is missing, with a few dozen licenses filed through the API
// with the run's tokens.  Then: every chart is drawn (pixels on its
// canvas), each has role=img, a label and its table; the measure
// switch redraws; a country filter changes the figures; each view's
// CSV download gives the figures of its table; withheld cells show
// (D) with the legend; without JavaScript the tables are the page.
// Saves docs/screenshots/monitor.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { TOP, SHOTS, day, launch } from './lib.mjs';

for (const v of ['AIM_URL', 'AIM_DB'])
	if (!process.env[v])
		throw new Error(`set ${v} (tests/web/run.sh does)`);
const URL_ = process.env.AIM_URL.replace(/\/+$/, '');
const DB = process.env.AIM_DB;
const WIDTH = 1280;

let browser;
let userDir;

function aimctl(...args) {
	return spawnSync(path.join(TOP, 'aimctl'), ['--db', DB, ...args],
	    { cwd: TOP, encoding: 'utf8', timeout: 300000 });
}

/* The fallback: licenses through the API, six importers over a few
 * countries, so that some cells have 3 importers and some fewer. */
async function fileThroughApi() {
	const tokens = [process.env.AIM_TOKEN, process.env.AIM_TOKEN2]
	    .filter(Boolean);
	assert.ok(tokens.length > 0, 'aimctl history generate failed and ' +
	    'there is no API token to file licenses with');
	const origins = ['Canada', 'Canada', 'Canada', 'United Arab ' +
	    'Emirates', 'India', 'Bahrain'];
	let n = 0;
	for (let i = 0; i < 36; i++) {
		const origin = origins[i % origins.length];
		/* Imports over the last two months and this one. */
		const body = {
			product: 'aluminum', license_type: 'standard',
			entry_type: 'consumption',
			importer_name: `Importer ${i % 6} Metals LLC`,
			exporter_name: `${origin} Metals Exporter`,
			manufacturer_name: `${origin} Smelting Co`,
			country_of_origin: origin,
			country_of_exportation: origin,
			expected_export_date: day(-60 + 2 * i),
			expected_import_date: day(-55 + 2 * i),
			port_of_entry: 'Buffalo-Niagara Falls, NY',
			lines: [{
				hts_code: i % 2 ? '7601103000' : '7606123045',
				customs_value_usd: String(20000 + 1000 * i),
				volume_kg: String(8000 + 500 * i),
				country_of_largest_smelt: origin,
				country_of_second_largest_smelt:
				    'not applicable',
				country_of_most_recent_cast: origin,
			}],
		};
		const r = await fetch(`${URL_}/api/v1/licenses`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json',
			    Authorization: `Bearer ${tokens[i % tokens.length]}` },
			body: JSON.stringify(body),
		});
		if (r.status === 201 || r.status === 200)
			n++;
	}
	assert.ok(n > 0, 'licenses filed through the API');
}

async function newPage(opts = {}) {
	const ctx = await browser.newContext({
		viewport: { width: WIDTH, height: 900 },
		locale: 'en-US',
		timezoneId: 'UTC',
		...opts,
	});
	ctx.setDefaultTimeout(15000);
	ctx.setDefaultNavigationTimeout(20000);
	const page = await ctx.newPage();
	/* A script error, a CSP refusal or a file that does not load is a
	 * bug of the page. */
	page.jsErrors = [];
	page.on('pageerror', (e) => page.jsErrors.push(String(e)));
	page.on('console', (m) => {
		if (m.type() === 'error')
			page.jsErrors.push(`console: ${m.text()}`);
	});
	page.on('response', (r) => {
		if (r.status() >= 400)
			page.jsErrors.push(`${r.status()} ${r.url()}`);
	});
	page.on('requestfailed', (r) => page.jsErrors.push(
	    `failed ${r.url()}`));
	return page;
}

async function closePage(page) {
	const errs = page.jsErrors;
	await page.context().close();
	assert.deepEqual(errs, [], 'no script errors, CSP refusals or ' +
	    'missing files');
}

async function clickAndLoad(page, target) {
	const nav = page.waitForEvent('framenavigated',
	    { predicate: (f) => f === page.mainFrame() });
	await target.click();
	await nav;
	await page.waitForLoadState('load');
}

/* Opaque pixels drawn on a canvas. */
function inked(page, canvas) {
	return canvas.evaluate((c) => {
		const d = c.getContext('2d').getImageData(0, 0, c.width,
		    c.height).data;
		let n = 0;
		for (let i = 3; i < d.length; i += 4)
			if (d[i] > 0)
				n++;
		return n;
	});
}

/* A table's rows as arrays of cell texts (header cells included). */
function tableRows(page, id) {
	return page.locator(`#${id} tbody tr`).evaluateAll((rows) =>
	    rows.map((r) => Array.from(r.cells, (c) =>
	    c.textContent.trim())));
}

/* As pages_monitor.c and monitor.js write them. */
function tons(kg) {
	const t = kg / 1000;
	const dec = t !== 0 && Math.abs(t) < 10 ? 1 : 0;
	return t.toLocaleString('en-US', { minimumFractionDigits: dec,
	    maximumFractionDigits: dec });
}

function dollars(v) {
	return '$' + v.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

/* RFC 4180 CSV into arrays of fields. */
function parseCsv(text) {
	const rows = [];
	let row = [], f = '', q = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (q) {
			if (c === '"' && text[i + 1] === '"') {
				f += '"';
				i++;
			} else if (c === '"')
				q = false;
			else
				f += c;
		} else if (c === '"')
			q = true;
		else if (c === ',') {
			row.push(f);
			f = '';
		} else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n')
				i++;
			row.push(f);
			rows.push(row);
			row = [];
			f = '';
		} else
			f += c;
	}
	if (f !== '' || row.length > 0) {
		row.push(f);
		rows.push(row);
	}
	return rows.filter((r) => r.length > 1 || r[0] !== '');
}

/* The CSV behind a view's download link, as objects by column name. */
async function viewCsv(page, section) {
	const href = await page.locator(`#${section} a.aim-mon-csv`)
	    .getAttribute('href');
	assert.match(href, /format=csv/, `${section}: a CSV link`);
	const r = await fetch(new URL(href, URL_));
	assert.equal(r.status, 200, `${section}: CSV ${href}`);
	assert.match(r.headers.get('content-type') || '', /csv/);
	const [head, ...rows] = parseCsv(await r.text());
	return rows.map((v) => Object.fromEntries(head.map((h, i) =>
	    [h.trim(), v[i]])));
}

function isSuppressed(row) {
	return /^(true|1|yes|d)$/i.test(String(row.suppressed || '').trim());
}

before(async () => {
	const g = aimctl('history', 'generate', '--licenses', '3000',
	    '--years', '2', '--seed', '1');
	if (g.status !== 0)
		await fileThroughApi();
	userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aim-chromium-'));
	browser = await launch(userDir);
});

after(async () => {
	if (browser)
		await browser.close();
	if (userDir)
		fs.rmSync(userDir, { recursive: true, force: true });
});

test('the home page and the navigation lead to the monitor', async () => {
	const page = await newPage();
	await page.goto(`${URL_}/`);
	await page.getByRole('navigation', { name: 'Primary navigation' })
	    .getByRole('link', { name: 'Monitor' }).waitFor();
	await clickAndLoad(page, page.getByRole('link',
	    { name: 'Open the monitor' }));
	assert.equal(new URL(page.url()).pathname, '/monitor');
	assert.equal(await page.locator('h1').innerText(), 'Import monitor');
	await closePage(page);
});

test('the page says where the data come from and when', async () => {
	const page = await newPage();
	await page.goto(`${URL_}/monitor`);
	const text = await page.locator('main').innerText();
	assert.match(text, /import licenses, not official trade statistics/);
	assert.match(text, /seven weeks ahead/);
	assert.match(text, /Census/);
	assert.doesNotMatch(await page.locator('.aim-mon-updated')
	    .innerText(), /^unknown$/, 'the date of the last update');
	assert.match(text, /withheld to avoid disclosing data of individual companies/);
	await closePage(page);
});

test('every chart is drawn, labeled, and has its table', async () => {
	const page = await newPage();
	await page.goto(`${URL_}/monitor`);
	const slots = page.locator('.aim-mon-chart[data-table]');
	const n = await slots.count();
	assert.ok(n >= 4, `at least 4 charts (aluminum), not ${n}`);
	let drawn = 0;
	for (let i = 0; i < n; i++) {
		const slot = slots.nth(i);
		const tid = await slot.getAttribute('data-table');
		assert.equal(await page.locator(`table#${tid}`).count(), 1,
		    `the table of chart ${tid}`);
		/* A chart for every table with a published figure; none
		 * where all is withheld (the table says so). */
		const published = await page.locator(`#${tid} [data-t]`)
		    .count();
		assert.equal(await slot.isVisible(), published > 0,
		    `${tid}: drawn if and only if something is published`);
		if (published === 0)
			continue;
		const canvas = slot.locator('canvas');
		assert.equal(await canvas.getAttribute('role'), 'img');
		assert.ok((await canvas.getAttribute('aria-label')).length > 40,
		    `${tid}: the chart has a label`);
		assert.ok(await inked(page, canvas) > 2000,
		    `${tid}: the chart has pixels`);
		drawn++;
	}
	assert.ok(drawn >= 3, `${drawn} charts drawn`);
	/* The trend charts are always drawn; the text summary says what
	 * they show. */
	for (const id of ['t-by-group', 't-by-country']) {
		assert.ok(await page.locator(`.aim-mon-chart[data-table=${id}] ` +
		    'canvas').isVisible(), `${id} drawn`);
		assert.match(await page.locator(`#${id}-summary`).innerText(),
		    /^In \d{4}-\d{2}, /);
	}
	/* The tables fold under their charts, one click away. */
	const details = page.locator('#by-group details');
	assert.equal(await details.getAttribute('open'), null);
	await details.locator('summary').click();
	assert.ok(await page.locator('#t-by-group').isVisible());

	await page.evaluate(() => window.scrollTo(0, 0));
	await details.locator('summary').click();
	fs.mkdirSync(SHOTS, { recursive: true });
	await page.evaluate(() => document.activeElement &&
	    document.activeElement.blur());
	await page.screenshot({ path: path.join(SHOTS, 'monitor.png'),
	    fullPage: true, type: 'png', animations: 'disabled',
	    caret: 'hide' });
	await closePage(page);
});

test('the measure switch redraws the charts and rewrites the tables',
    async () => {
	const page = await newPage();
	await page.goto(`${URL_}/monitor`);
	const canvas = page.locator('.aim-mon-chart[data-table=t-by-group] ' +
	    'canvas');
	const before_ = await canvas.evaluate((c) => c.toDataURL());
	const cell = page.locator('#t-by-group tbody td:not([data-d])')
	    .first();
	assert.doesNotMatch(await cell.textContent(), /^\$/);
	/* USWDS draws the radio on its label. */
	await page.locator('label[for="f-measure-usd"]').click();
	await page.waitForFunction(() => /US dollars/.test(document
	    .querySelector('#t-by-group caption').textContent));
	assert.match(await cell.textContent(), /^\$[\d,]+$/);
	assert.notEqual(await canvas.evaluate((c) => c.toDataURL()), before_,
	    'the chart changed');
	assert.match(await canvas.getAttribute('aria-label'), /US dollars/);
	assert.match(new URL(page.url()).searchParams.get('measure'), /usd/);
	await closePage(page);
});

test('a country filter changes the figures', async () => {
	const page = await newPage();
	await page.goto(`${URL_}/monitor`);
	const all = await tableRows(page, 't-by-group');
	const top = await tableRows(page, 't-top-countries');
	assert.ok(top.length >= 2, 'at least two countries of origin');
	const country = top[0][0];
	/* By keyboard: choose in the list, then Apply. */
	await page.locator('#f-country').focus();
	await page.locator('#f-country').selectOption({ label: country });
	await page.getByRole('button', { name: 'Apply filters' }).focus();
	const nav = page.waitForEvent('framenavigated',
	    { predicate: (f) => f === page.mainFrame() });
	await page.keyboard.press('Enter');
	await nav;
	await page.waitForLoadState('load');
	assert.equal(new URL(page.url()).searchParams.get('country'), country);
	assert.equal(await page.locator('#f-country').inputValue(), country);
	const one = await tableRows(page, 't-by-group');
	assert.equal(one.length, all.length, 'the same months');
	assert.notDeepEqual(one, all, 'other figures for one country');
	const onlyTop = await tableRows(page, 't-top-countries');
	assert.deepEqual(onlyTop.map((r) => r[0]), [country],
	    'top countries: only the chosen one');
	/* The country's total is at most the total of all countries. */
	const total = (rows) => rows.map((r) => r[r.length - 1])
	    .filter((s) => /^[\d,.]+$/.test(s))
	    .reduce((a, s) => a + parseFloat(s.replace(/,/g, '')), 0);
	assert.ok(total(one) < total(all), `${country} < all countries`);
	/* The CSV link carries the filter. */
	assert.match(await page.locator('#by-group a.aim-mon-csv')
	    .getAttribute('href'), new RegExp('country=' +
	    encodeURIComponent(country).replace(/[()]/g, '\\$&')));
	await closePage(page);
});

test('each CSV download gives the figures of its table', async () => {
	const page = await newPage();
	await page.goto(`${URL_}/monitor`);

	/* Top countries: a row per country. */
	const csv = await viewCsv(page, 'top-countries');
	const rows = await tableRows(page, 't-top-countries');
	assert.ok(rows.length > 0);
	/* The page lists all published rows and the first withheld
	 * ones, and counts the rest. */
	const note = await page.locator('#top-countries .aim-mon-note')
	    .allTextContents();
	const more = note.map((t) => t.match(/^(\d+) more rows?/))
	    .find(Boolean);
	assert.equal(rows.length + (more ? Number(more[1]) : 0), csv.length,
	    'every row of the CSV shown or counted');
	assert.equal(rows.filter((r) => r[1] !== '(D)').length,
	    csv.filter((c) => !isSuppressed(c)).length,
	    'every published row shown');
	let compared = 0;
	for (const r of rows) {
		const c = csv.find((x) => x.country_of_origin === r[0]);
		assert.ok(c, `${r[0]} in the CSV`);
		if (r[1] === '(D)') {
			assert.ok(isSuppressed(c), `${r[0]} withheld in both`);
			assert.ok(!c.kg, 'no figure for a withheld row');
			continue;
		}
		assert.equal(r[1], tons(parseFloat(c.kg)), `${r[0]} tons`);
		assert.equal(r[2], dollars(parseFloat(c.value_usd)),
		    `${r[0]} dollars`);
		compared++;
	}
	assert.ok(compared > 0, 'published rows compared');

	/* Monthly by product group: a cell per month and group. */
	const gcsv = await viewCsv(page, 'by-group');
	const groups = await page.locator('#t-by-group thead th')
	    .evaluateAll((t) => t.map((x) => x.textContent.trim()));
	const grows = await tableRows(page, 't-by-group');
	compared = 0;
	for (const r of [grows[0], grows[grows.length - 1]])
		for (let j = 1; j < groups.length - 1; j++) {
			const c = gcsv.find((x) => x.month === r[0] &&
			    x.product_group === groups[j]);
			if (!c) {
				assert.equal(r[j], '0',
				    `${r[0]} ${groups[j]}: no row, no imports`);
				continue;
			}
			assert.equal(r[j], isSuppressed(c) ? '(D)' :
			    tons(parseFloat(c.kg)), `${r[0]} ${groups[j]}`);
			compared++;
		}
	assert.ok(compared > 0, 'monthly cells compared');
	await closePage(page);
});

test('withheld figures show as (D), with the legend', async () => {
	const page = await newPage();
	await page.goto(`${URL_}/monitor`);
	const d = page.locator('main td.aim-mon-d');
	/* Small cells are withheld: if the whole market has none, the
	 * smallest countries of origin do. */
	const countries = (await tableRows(page, 't-top-countries'))
	    .map((r) => r[0]).reverse();
	for (const c of countries.slice(0, 5)) {
		if (await d.count() > 0)
			break;
		await page.goto(`${URL_}/monitor?country=` +
		    encodeURIComponent(c));
	}
	assert.ok(await d.count() > 0, 'some figure is withheld (the ' +
	    'synthetic history has small cells)');
	const texts = await d.evaluateAll((x) => x.map((c) =>
	    c.textContent.trim()));
	assert.ok(texts.every((t) => t === '(D)'), texts.join(' '));
	/* Its section explains it. */
	const section = d.first().locator('xpath=ancestor::section[1]');
	assert.match(await section.innerText(), /\(D\) withheld to avoid disclosing data of individual companies/);
	/* A withheld row carries no figure in the page, for a script to
	 * find either. */
	const attrs = await page.locator('main [data-d]').evaluateAll((x) =>
	    x.filter((e) => e.hasAttribute('data-t') ||
	    e.hasAttribute('data-usd')).length);
	assert.equal(attrs, 0);
	await closePage(page);
});

test('steel shows the melt-and-pour view', async () => {
	const page = await newPage();
	await page.goto(`${URL_}/monitor?product=steel`);
	assert.equal(await page.locator('#melt-pour').count(), 1);
	assert.equal(await page.locator('#smelt-cast').count(), 0);
	assert.ok(await page.locator('#f-product-steel').isChecked());
	/* Only steel's product groups can be chosen. */
	const disabled = await page.locator('#f-product_group ' +
	    'optgroup[data-product=aluminum]').getAttribute('disabled');
	assert.notEqual(disabled, null);
	await closePage(page);
});

test('a filter that is not valid is explained beside its field',
    async () => {
	const page = await newPage();
	const r = await page.goto(`${URL_}/monitor?hts6=12ab`);
	assert.equal(r.status(), 400);
	assert.match(await page.locator('#error-summary').innerText(),
	    /HTS/);
	assert.match(await page.locator('#f-hts6-error').innerText(),
	    /6 digits/);
	page.jsErrors = page.jsErrors.filter((e) => !/^(400|console)/
	    .test(e));
	await closePage(page);
});

test('without JavaScript the tables are the page', async () => {
	const page = await newPage({ javaScriptEnabled: false });
	await page.goto(`${URL_}/monitor`);
	for (const id of ['t-by-group', 't-by-country', 't-top-countries',
	    't-smelt-cast'])
		assert.ok(await page.locator(`#${id}`).isVisible(),
		    `${id} shown`);
	assert.ok((await tableRows(page, 't-by-group')).length > 0);
	assert.equal(await page.locator('canvas').count(), 0);
	assert.equal(await page.locator('.aim-mon-chart:visible').count(), 0,
	    'no empty chart boxes');
	/* The filters still work: a plain GET form. */
	await page.locator('label[for="f-measure-usd"]').click();
	await clickAndLoad(page, page.getByRole('button',
	    { name: 'Apply filters' }));
	assert.match(await page.locator('#t-by-group caption').innerText(),
	    /US dollars/);
	assert.match(await page.locator('#t-by-group tbody td:not([data-d])')
	    .first().innerText(), /^\$/);
	await closePage(page);
});
