// The web site in a real browser: headless Chromium (Debian's
// /usr/bin/chromium) driven by playwright-core, against the private
// nginx + aim-gateway that tests/web/run.sh starts (AIM_URL, AIM_DB,
// AIM_TOP, AIM_EMAIL, AIM_PASSWORD).  A filer's flows end to end:
// register -> verify (code from the outbox) -> apply aluminum and
// steel -> edit -> duplicate -> cancel, Action Required both ways,
// errors beside their fields, a keyboard-only application, the public
// license check.  Saves screenshots of the main pages in
// docs/screenshots/ (shown in the README).
//
// Each test opens its own browser context (its own cookies); all but
// the registration sign in as the first filer of run.sh, whose session
// the before hook makes once.  The pages are server-rendered, so after
// a navigation has loaded, what the test reads is final; the only
// script-driven change (adding a product line) is waited for.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { TOP, clickAndLoad as load, closePage, day, launch, mainText, shot,
    tick, watch } from './lib.mjs';

for (const v of ['AIM_URL', 'AIM_DB', 'AIM_EMAIL', 'AIM_PASSWORD'])
	if (!process.env[v])
		throw new Error(`set ${v} (tests/web/run.sh does)`);
const URL_ = process.env.AIM_URL.replace(/\/+$/, '');
const DB = process.env.AIM_DB;
const EMAIL = process.env.AIM_EMAIL;
const PASSWORD = process.env.AIM_PASSWORD;
const WIDTH = 1280;

/* A number is 9 symbols of this alphabet, the last a check symbol. */
const LICNUM = /^[0-9A-HJKMNP-TV-Z]{9}$/;
const LICNUM_IN_PATH = /\/licenses\/([0-9A-HJKMNP-TV-Z]{9})(?:\?|$)/;

let browser;
let userDir;
let filerState;		/* the signed-in first filer's cookies */

/* aimctl from the repository root; its standard output. */
function aimctl(...args) {
	const r = spawnSync(path.join(TOP, 'aimctl'), ['--db', DB, ...args],
	    { cwd: TOP, encoding: 'utf8', timeout: 20000 });
	assert.equal(r.status, 0, `aimctl ${args.join(' ')}: ` +
	    `${r.error || r.signal || ''} ${r.stderr}`);
	return r.stdout;
}

/* The newest verification code mailed to EMAIL, from the outbox. */
function verificationCode(email) {
	const rows = JSON.parse(aimctl('outbox', '--json'));
	assert.ok(Array.isArray(rows), 'aimctl outbox --json gives a list');
	const mine = rows.filter((m) => m.template === 'verify_email' &&
	    JSON.stringify(m).toLowerCase().includes(email.toLowerCase()));
	assert.ok(mine.length > 0, `a verify_email message to ${email} ` +
	    `in the outbox: ${JSON.stringify(rows).slice(0, 400)}`);
	const params = typeof mine[mine.length - 1].params === 'string' ?
	    JSON.parse(mine[mine.length - 1].params) :
	    mine[mine.length - 1].params;
	assert.match(String(params.code), /^[0-9]{6}$/);
	return String(params.code);
}

/* A license number that passes its check symbol (DOMAIN.md §3) but
 * that nobody was issued: 8 payload symbols of our choosing. */
function madeUpNumber(payload) {
	const A = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
	let sum = 0;
	for (let i = payload.length - 1, dbl = true; i >= 0; i--, dbl = !dbl) {
		let d = A.indexOf(payload[i]);
		if (dbl) {
			d *= 2;
			d = Math.floor(d / 32) + d % 32;
		}
		sum += d;
	}
	return payload + A[(32 - sum % 32) % 32];
}

async function newPage({ signedIn = true } = {}) {
	const ctx = await browser.newContext({
		viewport: { width: WIDTH, height: 900 },
		locale: 'en-US',
		timezoneId: 'UTC',
		storageState: signedIn ? filerState : undefined,
	});
	ctx.setDefaultTimeout(15000);
	ctx.setDefaultNavigationTimeout(20000);
	return watch(await ctx.newPage(), { failed: true });
}

/* lib.mjs's clickAndLoad, never throttled. */
async function clickAndLoad(page, target) {
	await load(page, target);
	assert.doesNotMatch(await page.title(), /^Too many attempts/,
	    'throttled by nginx (tests/web/run.sh starts a fresh one)');
}

async function signIn(page, email, password) {
	await page.goto(`${URL_}/signin`);
	await page.getByLabel('Email address').fill(email);
	await page.getByLabel('Password', { exact: true }).fill(password);
	await clickAndLoad(page, page.getByRole('button', { name: 'Sign in' }));
	assert.doesNotMatch(new URL(page.url()).pathname, /^\/signin/,
	    `signed in as ${email}`);
}

function aluminumLine(over = {}) {
	return {
		hts: '7601103000', value: '25000.00', kg: '10000',
		smelt: 'Canada', smelt2: 'not applicable', cast: 'Canada',
		...over,
	};
}

function steelLine(over = {}) {
	return { hts: '7216500000', value: '9800', kg: '8200',
	    melt: 'Germany', ...over };
}

function header(product, over = {}) {
	const al = product === 'aluminum';
	return {
		exporter: al ? 'Ontario Remelt Ltd.' :
		    'Salzgitter Mannesmann International GmbH',
		manufacturer: al ? 'Ontario Remelt Ltd.' :
		    'Salzgitter Flachstahl GmbH',
		origin: al ? 'Canada' : 'Germany',
		exportation: al ? 'Canada' : 'Germany',
		exportDate: day(5),
		importDate: day(12),
		port: al ? 'Buffalo-Niagara Falls, NY' : 'Chicago, IL',
		...over,
	};
}

/* Chooses a standard license of PRODUCT on /apply and continues to the
 * form. */
async function chooseKind(page, product) {
	await page.goto(`${URL_}/apply`);
	await tick(page, 'Standard license');
	await tick(page, product === 'aluminum' ? 'Aluminum (AIM)' :
	    'Steel (SIMA)');
	await clickAndLoad(page, page.getByRole('button', { name: 'Continue' }));
	assert.match(await page.locator('h1').innerText(),
	    new RegExp(`standard ${product} license`, 'i'));
}

async function fillHeader(page, h) {
	await tick(page, 'Consumption entry');
	const f = (label) => page.getByLabel(label, { exact: true });
	await f('Exporter name').fill(h.exporter);
	await f('Manufacturer name').fill(h.manufacturer);
	await f('Country of origin').fill(h.origin);
	await f('Country of exportation').fill(h.exportation);
	await f('Expected date of export').fill(h.exportDate);
	await f('Expected date of import').fill(h.importDate);
	await f('Expected port of entry').fill(h.port);
}

/* Product line N (1-based), adding it with the button if needed. */
async function fillLine(page, product, n, l) {
	const group = page.getByRole('group', { name: `Product line ${n}` });
	if (await group.count() === 0) {
		await page.getByRole('button', { name: 'Add another line' })
		    .click();
		await group.waitFor();
	}
	const f = (label) => group.getByLabel(label, { exact: true });
	await f('HTS code').fill(l.hts);
	await f('Customs value (US$)').fill(l.value);
	await f('Quantity (kg)').fill(l.kg);
	if (product === 'aluminum') {
		await f('Country of largest smelt').fill(l.smelt);
		await f('Country of second largest smelt').fill(l.smelt2);
		await f('Country of most recent cast').fill(l.cast);
	} else
		await f('Country of melt and pour').fill(l.melt);
}

/* Applies for a standard license in the browser; returns the number
 * from the license page it lands on. */
async function apply(page, product, lines, over = {}, beforeSubmit) {
	await chooseKind(page, product);
	await fillHeader(page, header(product, over));
	for (let i = 0; i < lines.length; i++)
		await fillLine(page, product, i + 1, lines[i]);
	await tick(page, /I certify/);
	if (beforeSubmit)
		await beforeSubmit(page);
	await clickAndLoad(page,
	    page.getByRole('button', { name: 'Submit application' }));
	const m = page.url().match(LICNUM_IN_PATH);
	assert.ok(m, `landed on a license page, not ${page.url()}: ` +
	    await page.locator('main').innerText());
	return m[1];
}

/* The status tag in the license page's heading. */
async function status(page) {
	return (await page.locator('h1 .usa-tag').textContent()).trim();
}

before(async () => {
	/* Chromium's home, config and cache: removed in after(). */
	userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aim-chromium-'));
	browser = await launch(userDir);
	const page = await newPage({ signedIn: false });
	await signIn(page, EMAIL, PASSWORD);
	filerState = await page.context().storageState();
	await closePage(page);
});

after(async () => {
	if (browser)
		await browser.close();
	if (userDir)
		fs.rmSync(userDir, { recursive: true, force: true });
});

test('home page, signed out', async () => {
	const page = await newPage({ signedIn: false });
	await page.goto(`${URL_}/`);
	assert.equal(await page.locator('h1').count(), 1);
	await page.getByRole('link', { name: 'Register' }).first().waitFor();
	await shot(page, 'home.png');
	await closePage(page);
});

test('register -> code from the outbox -> verify -> signed in',
    async () => {
	const page = await newPage({ signedIn: false });
	const email = `new.filer.${process.pid}.${Date.now()}@web.test`;
	const password = 'Brand-New-Filer-42';

	await page.goto(`${URL_}/`);
	await clickAndLoad(page, page.getByRole('link',
	    { name: 'Register', exact: true }).first());
	assert.equal(new URL(page.url()).pathname, '/register');
	const f = (label) => page.getByLabel(label, { exact: true });
	await f('Email address').fill(email);
	await f('Password').fill(password);
	await f('Confirm password').fill(password);
	await f('Company name').fill('Lakeshore Aluminum Trading Co.');
	await page.getByLabel(/^EIN/).fill('12-3456789');
	await f('U.S. street address').fill(
	    '1200 Harbor Blvd, Cleveland, OH 44114');
	await f('Contact name').fill('Rosa Delgado');
	await f('Phone').fill('216-555-0142');
	await page.getByLabel(/^Alternate email/).fill(
	    `imports.${process.pid}@lakeshore.test`);
	await shot(page, 'register.png');
	await clickAndLoad(page,
	    page.getByRole('button', { name: 'Create account' }));

	assert.equal(new URL(page.url()).pathname, '/verify',
	    await mainText(page));
	assert.match(await mainText(page), /6-digit code/);
	const code = verificationCode(email);
	assert.equal(await f('Email address').inputValue(), email,
	    'the verify page knows the address');
	await page.getByLabel(/code/i).first().fill(code);
	await clickAndLoad(page, page.getByRole('button', { name: 'Confirm',
	    exact: true }));

	/* Signed in: on the filer's home, with a way to sign out. */
	assert.doesNotMatch(new URL(page.url()).pathname,
	    /^\/(verify|signin)/, await mainText(page));
	await page.getByRole('button', { name: 'Sign out' }).waitFor();
	await page.goto(`${URL_}/account`);
	assert.equal(new URL(page.url()).pathname, '/account');
	assert.equal(await page.getByLabel('Company name').inputValue(),
	    'Lakeshore Aluminum Trading Co.');
	await closePage(page);
});

test('apply aluminum with 2 lines and steel with 1: numbers at once',
    async () => {
	const page = await newPage();
	const al = await apply(page, 'aluminum', [
		aluminumLine(),
		aluminumLine({ hts: '7606123035', value: '48000', kg: '12500',
		    smelt: 'Canada', smelt2: 'Norway', cast: 'Canada' }),
	], {}, async (p) => {
		/* The live facts of the line added by script. */
		const l2 = p.getByRole('group', { name: 'Product line 2' });
		assert.equal(await l2.locator('output.aim-auv').innerText(),
		    '$3.84 per kg');
		assert.equal(await l2.locator('output.aim-group').innerText(),
		    'Sheet and Plate');
		await shot(p, 'apply-form.png');
	});
	assert.match(al, LICNUM);
	assert.equal(await page.locator('h1 .aim-licnum').innerText(), al);
	assert.equal(await status(page), 'Issued');
	assert.match(await page.locator('.aim-issued').innerText(),
	    new RegExp(`License issued: ${al}`));
	const lines = page.locator('table.aim-lines tbody tr');
	assert.equal(await lines.count(), 2, 'two product lines');
	assert.match(await mainText(page), /7606123035/);
	await shot(page, 'license-issued.png');

	const st = await apply(page, 'steel', [steelLine()]);
	assert.match(st, LICNUM);
	assert.notEqual(st, al);
	assert.equal(await status(page), 'Issued');
	assert.equal(await page.locator('table.aim-lines tbody tr').count(),
	    1);

	/* Both in the list, newest first. */
	await page.goto(`${URL_}/licenses`);
	const nums = await page.locator('table.aim-licenses a.aim-licnum')
	    .allInnerTexts();
	assert.ok(nums.indexOf(st) >= 0 && nums.indexOf(al) > nums.indexOf(st),
	    `steel ${st} above aluminum ${al} in ${nums.join(' ')}`);
	await closePage(page);
});

test('edit (correct) a license: version 2 shows the change', async () => {
	const page = await newPage();
	const n = await apply(page, 'aluminum', [aluminumLine()],
	    { exporter: 'Old Exporter Inc.' });
	await clickAndLoad(page, page.getByRole('link', { name: 'Edit',
	    exact: true }));
	assert.equal(new URL(page.url()).pathname, `/licenses/${n}/edit`);
	const ex = page.getByLabel('Exporter name', { exact: true });
	assert.equal(await ex.inputValue(), 'Old Exporter Inc.');
	await ex.fill('New Exporter GmbH');
	await tick(page, /I certify/);
	await clickAndLoad(page,
	    page.getByRole('button', { name: 'Submit correction' }));
	assert.match(page.url(), new RegExp(`/licenses/${n}\\?corrected`),
	    await mainText(page));
	assert.equal(await status(page), 'Issued');
	const v2 = page.locator('.aim-versions li.aim-version').first();
	assert.match(await v2.locator('h3').innerText(),
	    /Version 2 \(current\)/);
	assert.match(await v2.locator('.aim-changes').innerText(),
	    /exporter_name: Old Exporter Inc\. -> New Exporter GmbH/);
	assert.match(await page.locator('.aim-versions li.aim-version')
	    .nth(1).innerText(), /Version 1/);
	await closePage(page);
});

test('duplicate a license: prefilled form, a new number', async () => {
	const page = await newPage();
	const n = await apply(page, 'steel', [steelLine({ value: '15500' })],
	    { exporter: 'Dillinger Export GmbH' });
	await clickAndLoad(page, page.getByRole('link', { name: 'Duplicate' }));
	assert.equal(new URL(page.url()).pathname, `/licenses/${n}/duplicate`);
	assert.equal(await page.getByLabel('Exporter name', { exact: true })
	    .inputValue(), 'Dillinger Export GmbH');
	const l1 = page.getByRole('group', { name: 'Product line 1' });
	assert.equal(await l1.getByLabel('Customs value (US$)').inputValue(),
	    '15500.00');
	await tick(page, /I certify/);
	await clickAndLoad(page,
	    page.getByRole('button', { name: 'Submit application' }));
	const m = page.url().match(LICNUM_IN_PATH);
	assert.ok(m, page.url());
	assert.notEqual(m[1], n, 'the duplicate has its own number');
	assert.equal(await status(page), 'Issued');
	assert.match(await mainText(page), /Dillinger Export GmbH/);
	await closePage(page);
});

test('cancel through the confirmation page: canceled, no Edit',
    async () => {
	const page = await newPage();
	const n = await apply(page, 'aluminum', [aluminumLine()]);
	await page.getByRole('link', { name: 'Edit', exact: true }).waitFor();
	await clickAndLoad(page, page.getByRole('link',
	    { name: 'Cancel license' }));
	assert.equal(new URL(page.url()).pathname, `/licenses/${n}/cancel`);
	assert.match(await page.locator('h1').innerText(),
	    new RegExp(`Cancel license ${n}\\?`));
	/* Nothing is canceled until the button on this page. */
	await clickAndLoad(page, page.getByRole('link',
	    { name: 'Keep the license' }));
	assert.equal(await status(page), 'Issued');
	await clickAndLoad(page, page.getByRole('link',
	    { name: 'Cancel license' }));
	await clickAndLoad(page, page.getByRole('button',
	    { name: `Cancel license ${n}` }));
	assert.match(page.url(), new RegExp(`/licenses/${n}\\?canceled`));
	assert.equal(await status(page), 'Canceled');
	assert.equal(await page.getByRole('link', { name: 'Edit',
	    exact: true }).count(), 0, 'no Edit on a canceled license');
	assert.equal(await page.getByRole('link', { name: 'Cancel license' })
	    .count(), 0);
	await page.getByRole('link', { name: 'Duplicate' }).waitFor();
	/* And the edit page refuses it. */
	const r = await page.goto(`${URL_}/licenses/${n}/edit`);
	assert.ok(r.status() >= 400, `edit of a canceled license: ${r.status()}`);
	await closePage(page);
});

/* $10 for 10,000 kg of aluminum: $0.001 per kg, far below anything;
 * checks the license page's Action Required. */
async function flagged(page) {
	const n = await apply(page, 'aluminum',
	    [aluminumLine({ value: '10', kg: '10000' })]);
	assert.equal(await status(page), 'Action Required');
	const ar = page.locator('.aim-action-required');
	await ar.waitFor();
	const reasons = await ar.locator('li').allInnerTexts();
	assert.ok(reasons.length > 0, 'the reasons are listed');
	assert.ok(reasons.some((t) => /Customs value|unit value/i.test(t)),
	    reasons.join(' | '));
	/* Each listed field is highlighted in red, with its reason. */
	const hot = page.locator('.aim-flagged');
	assert.ok(await hot.count() > 0, 'flagged fields highlighted');
	const first = hot.first();
	assert.ok(await first.locator('.aim-flag-message').count() > 0);
	assert.notEqual((await first.locator('.aim-flag-message')
	    .innerText()).trim(), '');
	const colour = await first.evaluate((e) =>
	    getComputedStyle(e).borderLeftColor);
	const [r, g, b] = colour.match(/\d+/g).map(Number);
	assert.ok(r > 150 && g < 80 && b < 80, `red highlight, not ${colour}`);
	for (const a of await ar.locator('a[href^="#"]').all()) {
		const id = (await a.getAttribute('href')).slice(1);
		assert.equal(await page.locator(`[id="${id}"].aim-flagged`)
		    .count(), 1, `the reason's link #${id} is a flagged field`);
	}
	return n;
}

test('Action Required: confirm without change -> issued', async () => {
	const page = await newPage();
	const n = await flagged(page);
	await shot(page, 'action-required.png');
	await clickAndLoad(page, page.getByRole('button',
	    { name: 'Confirm without change' }));
	assert.match(page.url(), new RegExp(`/licenses/${n}\\?confirmed`));
	assert.equal(await status(page), 'Issued');
	assert.equal(await page.locator('.aim-action-required').count(), 0);
	await closePage(page);
});

test('Action Required: submit with changes -> fixed value -> issued',
    async () => {
	const page = await newPage();
	const n = await flagged(page);
	await clickAndLoad(page, page.getByRole('link',
	    { name: 'Submit with changes' }));
	assert.equal(new URL(page.url()).pathname, `/licenses/${n}/edit`);
	/* The edit page marks the flagged field too. */
	const l1 = page.getByRole('group', { name: 'Product line 1' });
	const value = l1.getByLabel('Customs value (US$)', { exact: true });
	assert.ok(await page.locator('.aim-flags').count() > 0,
	    'the flags summarized on the edit page');
	await value.fill('26500.00');
	await tick(page, /I certify/);
	await clickAndLoad(page, page.getByRole('button',
	    { name: 'Submit with changes' }));
	assert.match(page.url(), new RegExp(`/licenses/${n}\\?corrected`));
	assert.equal(await status(page), 'Issued');
	assert.equal(await page.locator('.aim-action-required').count(), 0);
	assert.equal(await page.locator('.aim-flagged').count(), 0,
	    'no flagged field left');
	await closePage(page);
});

test('errors sit beside their fields and the summary links to them',
    async () => {
	const page = await newPage();
	await chooseKind(page, 'aluminum');
	await fillHeader(page, header('aluminum', { origin: 'CN' }));
	await fillLine(page, 'aluminum', 1, aluminumLine({ hts: '760110300' }));
	await tick(page, /I certify/);
	await clickAndLoad(page,
	    page.getByRole('button', { name: 'Submit application' }));
	assert.equal(new URL(page.url()).pathname, '/apply/form');

	const summary = page.locator('#error-summary');
	await summary.waitFor();
	/* aim.js gives the summary the focus. */
	assert.equal(await page.evaluate(() => document.activeElement.id),
	    'error-summary');
	const links = summary.locator('a[href^="#"]');
	const want = { country_of_origin: null, 'lines[1].hts_code': null };
	for (const a of await links.all()) {
		const id = (await a.getAttribute('href')).slice(1);
		const input = page.locator(`[id="${id}"]`);
		assert.equal(await input.count(), 1, `#${id} exists`);
		const name = await input.getAttribute('name');
		if (name in want)
			want[name] = (await a.innerText()).trim();
	}
	for (const [name, msg] of Object.entries(want)) {
		assert.ok(msg, `the summary lists ${name}: ` +
		    await summary.innerText());
		const input = page.locator(`[name="${name}"]`);
		assert.equal(await input.getAttribute('aria-invalid'), 'true');
		const grp = input.locator('xpath=ancestor::*[contains(' +
		    'concat(" ", @class, " "), " usa-form-group--error ")][1]');
		assert.equal(await grp.count(), 1, `${name} in an error group`);
		assert.ok((await grp.locator('.usa-error-message').innerText())
		    .includes(msg), `${name}: "${msg}" beside the field`);
	}
	assert.match(want.country_of_origin, /China/,
	    'the message names the full name');
	/* Following a link brings its field into view. */
	await summary.getByRole('link', { name: want['lines[1].hts_code'] })
	    .click();
	await page.waitForURL(/#f-lines-1-hts_code$/);
	assert.ok(await page.locator('#f-lines-1-hts_code').isVisible());
	/* The filer's entries are kept. */
	assert.equal(await page.getByLabel('Exporter name', { exact: true })
	    .inputValue(), 'Ontario Remelt Ltd.');
	await page.evaluate(() => window.scrollTo(0, 0));
	await shot(page, 'form-errors.png');
	await closePage(page);
});

/* Tabs (at most LIMIT times) until the focused element matches
 * SELECTOR; checks that each focus stop it lands on is visible. */
async function tabTo(page, selector, limit = 60) {
	for (let i = 0; i < limit; i++) {
		await page.keyboard.press('Tab');
		const st = await page.evaluate((sel) => {
			const e = document.activeElement;
			if (!e || e === document.body)
				return { hit: false, shown: true };
			/* Radios and checkboxes are drawn by the label. */
			let box = e, pseudo = null;
			if (e.matches('input[type=radio], input[type=checkbox]')
			    && e.labels && e.labels.length > 0) {
				box = e.labels[0];
				pseudo = '::before';
			}
			const cs = getComputedStyle(box, pseudo);
			return {
				hit: e.matches(sel),
				shown: cs.outlineStyle !== 'none' &&
				    parseFloat(cs.outlineWidth) > 0,
				what: `${e.outerHTML.slice(0, 100)} (outline ` +
				    `${cs.outlineStyle} ${cs.outlineWidth})`,
			};
		}, selector);
		assert.ok(st.shown, `focus visible on ${st.what}`);
		if (st.hit)
			return;
	}
	assert.fail(`${selector} not reached with ${limit} Tabs`);
}

test('keyboard only: sign in and apply without a click', async () => {
	const page = await newPage({ signedIn: false });
	const k = page.keyboard;
	const h = header('aluminum', { exporter: 'Keyboard Exports Ltd.' });
	const l = aluminumLine();

	await page.goto(`${URL_}/signin`);
	await tabTo(page, '#f-email');
	await k.type(EMAIL);
	await tabTo(page, '#f-password');
	await k.type(PASSWORD);
	let nav = page.waitForURL((u) => u.pathname !== '/signin');
	await k.press('Enter');
	await nav;

	await page.goto(`${URL_}/apply`);
	await tabTo(page, '#f-license_type-standard');
	await k.press('Space');
	await tabTo(page, '#f-product-aluminum');
	await k.press('Space');
	await tabTo(page, 'button[type=submit]');
	nav = page.waitForURL(/\/apply\/form\?/);
	await k.press('Enter');
	await nav;
	await page.waitForLoadState('load');

	await tabTo(page, '#f-entry_type-consumption');
	await k.press('Space');
	const type = async (id, text) => {
		await tabTo(page, `#${id}`);
		await k.type(text);
	};
	/* Date fields take the digits of mm/dd/yyyy in an en-US browser. */
	const mdy = (d) => d.slice(5, 7) + d.slice(8, 10) + d.slice(0, 4);
	await tabTo(page, '#f-importer_name');
	await type('f-exporter_name', h.exporter);
	await type('f-manufacturer_name', h.manufacturer);
	await type('f-country_of_origin', h.origin);
	await type('f-country_of_exportation', h.exportation);
	await type('f-expected_export_date', mdy(h.exportDate));
	await type('f-expected_import_date', mdy(h.importDate));
	await type('f-port_of_entry', h.port);
	await type('f-lines-1-hts_code', l.hts);
	await type('f-lines-1-customs_value_usd', l.value);
	await type('f-lines-1-volume_kg', l.kg);
	await type('f-lines-1-country_of_largest_smelt', l.smelt);
	await type('f-lines-1-country_of_second_largest_smelt', l.smelt2);
	await type('f-lines-1-country_of_most_recent_cast', l.cast);
	assert.equal(await page.locator('#f-expected_import_date')
	    .inputValue(), h.importDate, 'the date typed in');
	await tabTo(page, '#f-certify');
	await k.press('Space');
	assert.ok(await page.locator('#f-certify').isChecked());
	await tabTo(page, 'button[value=submit]:not(.usa-sr-only)');
	nav = page.waitForURL(LICNUM_IN_PATH);
	await k.press('Enter');
	await nav;
	await page.waitForLoadState('load');
	assert.equal(await status(page), 'Issued');
	assert.match(await mainText(page), /Keyboard Exports Ltd\./);
	await closePage(page);
});

test('public license check: valid, not found, nothing more', async () => {
	const filer = await newPage();
	const h = header('aluminum', { exporter: 'Secret Exporter SA',
	    manufacturer: 'Secret Mill SA' });
	const n = await apply(filer, 'aluminum',
	    [aluminumLine({ value: '31234.56' })], h);
	const importer = (await filer.locator('#f-importer_name dd')
	    .innerText()).trim();
	await closePage(filer);
	assert.notEqual(importer, '');

	const page = await newPage({ signedIn: false });
	const ask = async (number) => {
		await page.goto(`${URL_}/check`);
		await page.getByLabel('License number').fill(number);
		await page.getByLabel('Importer name').fill(importer);
		await page.getByLabel('Date of import').fill(h.importDate);
		await clickAndLoad(page, page.getByRole('button',
		    { name: 'Check', exact: true }));
		return page.locator('.aim-check-result');
	};

	/* Typed as people do: lower case and spaces are accepted. */
	let res = await ask(`${n.slice(0, 4).toLowerCase()} ${n.slice(4)}`);
	assert.match(await res.locator('.usa-alert__heading').innerText(),
	    /^Valid$/);
	res = await ask(n);
	assert.match(await res.locator('.usa-alert__heading').innerText(),
	    /^Valid$/);
	assert.match(await res.innerText(), new RegExp(n));
	const text = await mainText(page);
	for (const secret of ['Secret Exporter SA', 'Secret Mill SA',
	    '7601103000', '31,234.56', '31234.56', 'Buffalo', 'Canada',
	    'Unwrought', 'Terry Tester', '419-555'])
		assert.ok(!text.includes(secret), `the check shows ${secret}`);
	await shot(page, 'check.png');

	res = await ask(madeUpNumber('ZZZZ2345'));
	assert.match(await res.locator('.usa-alert__heading').innerText(),
	    /^Not found$/);
	await closePage(page);
});

test('My Account page', async () => {
	const page = await newPage();
	await page.goto(`${URL_}/account`);
	assert.equal(await page.getByLabel('Email address').inputValue(),
	    EMAIL);
	await page.getByRole('heading', { name: 'API tokens' }).waitFor();
	await shot(page, 'account.png');
	await closePage(page);
});

test('license list: Action Required marked, search', async () => {
	const page = await newPage();
	const n = await apply(page, 'aluminum',
	    [aluminumLine({ value: '20', kg: '10000' })]);
	assert.equal(await status(page), 'Action Required');
	const importer = (await page.locator('#f-importer_name dd')
	    .innerText()).trim();

	await page.goto(`${URL_}/licenses`);
	assert.match(await page.locator('.aim-action-count').innerText(),
	    /Action Required on/);
	const row = page.locator('table.aim-licenses tbody tr',
	    { has: page.getByRole('link', { name: n, exact: true }) });
	assert.equal(await row.count(), 1, `${n} in the list`);
	assert.equal((await row.locator('.usa-tag').textContent()).trim(),
	    'Action Required');

	/* Search by number (typed in lower case): that license alone. */
	await page.getByLabel(/^License number/).fill(n.toLowerCase());
	await clickAndLoad(page, page.getByRole('button', { name: 'Search' }));
	assert.deepEqual(await page.locator('table.aim-licenses a.aim-licnum')
	    .allInnerTexts(), [n]);
	/* By status: only licenses with Action Required. */
	await page.goto(`${URL_}/licenses?status=action_required`);
	const tags = await page.locator('table.aim-licenses .usa-tag')
	    .allTextContents();
	assert.ok(tags.length > 0 && tags.every((t) =>
	    t.trim() === 'Action Required'), tags.join(', '));

	/* The screenshot: this filer's licenses made through the site
	 * (the API suite's have other importer names). */
	await page.goto(`${URL_}/licenses?importer=` +
	    encodeURIComponent(importer));
	await shot(page, 'licenses-list.png');
	await closePage(page);
});
