// Helpers several web suites share (not a suite itself: run.sh runs
// only *.test.mjs): dates and a valid API form, headless Chromium and
// its pages, and the gateway's processes read from /proc.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const TOP = process.env.AIM_TOP ||
    path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const SHOTS = path.join(TOP, 'docs', 'screenshots');
export const CHROMIUM = '/usr/bin/chromium';

/* What a fetch answered: status, headers, the body as text, and the
 * body parsed when it is JSON (undefined when not). */
export async function answerOf(res) {
	const text = await res.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, text, json };
}

/* YYYY-MM-DD, n days from today (UTC, as the gateway counts). */
export function day(n) {
	return new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
}

/* A valid standard aluminum application as the JSON API takes it. */
export function aluminum(importer, over = {}) {
	return {
		product: 'aluminum',
		license_type: 'standard',
		entry_type: 'consumption',
		importer_name: importer,
		exporter_name: 'Ontario Remelt Ltd.',
		manufacturer_name: 'Ontario Remelt Ltd.',
		country_of_origin: 'Canada',
		country_of_exportation: 'Canada',
		expected_export_date: day(10),
		expected_import_date: day(20),
		port_of_entry: 'Buffalo-Niagara Falls, NY',
		lines: [{
			hts_code: '7601103000',
			customs_value_usd: '20000.00',
			volume_kg: 5200,
			country_of_largest_smelt: 'Canada',
			country_of_second_largest_smelt: 'not applicable',
			country_of_most_recent_cast: 'Canada',
		}],
		...over,
	};
}

/*
 * Headless Chromium.  launch() gives it a fresh temporary profile
 * (--user-data-dir), removed when the browser closes; its home, config
 * and cache go to dir (the caller's, to remove), so nothing of the
 * user's own Chromium is read or written.
 */
export async function launch(dir) {
	/* Loaded here: the suites without a browser do without it. */
	const { chromium } = await import('playwright-core');

	assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} (apt-get install ` +
	    'chromium)');
	return chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic',
		    '--no-first-run', '--disable-background-networking',
		    '--disable-component-update', '--disable-sync',
		    '--disk-cache-dir=' + path.join(dir, 'cache')],
		env: { ...process.env, HOME: dir,
		    XDG_CONFIG_HOME: path.join(dir, 'config'),
		    XDG_CACHE_HOME: path.join(dir, 'cache') },
		timeout: 30000,
	});
}

/*
 * Records on page.jsErrors what is a bug of the pages: a script error,
 * a CSP refusal, a style, script or image that does not load (and with
 * failed, one whose request failed).  A page answered with a 4xx on
 * purpose, as a form with errors is, logs "Failed to load resource":
 * that is the document, checked by each test.
 */
export function watch(page, { failed = false } = {}) {
	page.jsErrors = [];
	page.on('pageerror', (e) => page.jsErrors.push(String(e)));
	page.on('console', (m) => {
		if (m.type() === 'error' &&
		    !m.text().startsWith('Failed to load resource'))
			page.jsErrors.push(`console: ${m.text()}`);
	});
	page.on('response', (r) => {
		if (r.status() >= 400 && r.request().resourceType() !==
		    'document')
			page.jsErrors.push(`${r.status()} ${r.url()}`);
	});
	if (failed)
		page.on('requestfailed', (r) => {
			if (r.resourceType() !== 'document')
				page.jsErrors.push(`failed ${r.url()}`);
		});
	return page;
}

/* Closes the page's context; none of watch()'s errors may be left. */
export async function closePage(page) {
	const errs = page.jsErrors;
	await page.context().close();
	assert.deepEqual(errs, [], 'no script errors, CSP refusals or ' +
	    'missing files on the pages');
}

/* Clicks target, which submits a form or follows a link, and waits
 * for the next page of the main frame to load (even if its address
 * is the same as now, as when a form comes back with errors). */
export async function clickAndLoad(page, target) {
	const nav = page.waitForEvent('framenavigated',
	    { predicate: (f) => f === page.mainFrame() });
	await target.click();
	await nav;
	await page.waitForLoadState('load');
}

/* A PNG of the page in docs/screenshots (fullPage: all of it; blur:
 * without the focus ring of whatever the test touched last). */
export async function shot(page, name, { fullPage = true, blur = true } =
    {}) {
	fs.mkdirSync(SHOTS, { recursive: true });
	if (blur)
		await page.evaluate(() => document.activeElement &&
		    document.activeElement.blur());
	await page.screenshot({ path: path.join(SHOTS, name), fullPage,
	    type: 'png', animations: 'disabled', caret: 'hide' });
}

/* USWDS hides radio and checkbox inputs off screen and draws them on
 * their labels: a person clicks the label. */
export async function tick(page, label) {
	const input = page.getByLabel(label);
	const id = await input.getAttribute('id');
	await page.locator(`label[for="${id}"]`).click();
	assert.ok(await input.isChecked(), `${label} is ticked`);
}

export async function mainText(page) {
	return page.locator('main').innerText();
}

/* The live children of process parent, from /proc (no procps needed):
 * [{ pid, comm }] by pid. */
export function children(parent) {
	const out = [];
	for (const d of fs.readdirSync('/proc')) {
		if (!/^[0-9]+$/.test(d))
			continue;
		let st;
		try {
			st = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
		} catch {
			continue;	/* ended meanwhile */
		}
		/* "pid (comm) state ppid ...": comm may hold anything. */
		const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
		const comm = st.slice(st.indexOf('(') + 1, st.lastIndexOf(')'));
		if (Number(f[1]) === parent && f[0] !== 'Z')
			out.push({ pid: Number(d), comm });
	}
	return out.sort((a, b) => a.pid - b.pid);
}

/* True if pid is gone (or a zombie nobody reaped yet). */
export function gone(pid) {
	try {
		const st = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		return st.slice(st.lastIndexOf(')') + 2)[0] === 'Z';
	} catch {
		return true;
	}
}

/* Waits for fn() to be true, polling; fails after ms. */
export async function until(what, fn, ms) {
	const end = Date.now() + ms;
	while (!(await fn())) {
		if (Date.now() > end)
			assert.fail(`${what}: not within ${ms} ms`);
		await sleep(25);
	}
}
