// The server around the pages: nginx's static files, headers and rate
// limits, and aim-gateway's process handling (configuration check,
// SIGTERM, a killed worker).  Run by tests/web/run.sh, which starts a
// private nginx + aim-gateway and sets AIM_URL, AIM_VAR, AIM_CONF,
// AIM_GATEWAY and AIM_DB.
//
// The rate limits count per client address, so the tests that fill one
// send from their own loopback address (127.0.0.2 and up; all of
// 127/8 is this machine) and leave 127.0.0.1 untouched for the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { children as procChildren, gone, until } from './lib.mjs';

for (const v of ['AIM_URL', 'AIM_VAR', 'AIM_CONF', 'AIM_GATEWAY', 'AIM_DB'])
	if (!process.env[v])
		throw new Error(`set ${v} (tests/web/run.sh does)`);
const URL_ = new URL(process.env.AIM_URL);
const VAR = process.env.AIM_VAR;
const CONF = process.env.AIM_CONF;
const GATEWAY = process.env.AIM_GATEWAY;
const DB = process.env.AIM_DB;

/* One request on its own connection; from: a local address to send
 * from.  Resolves to { status, headers, body } (body as text). */
function request(method, p, { headers = {}, body, from } = {}) {
	return new Promise((resolve, reject) => {
		const h = { ...headers };
		if (body !== undefined)
			h['Content-Length'] = Buffer.byteLength(body);
		const req = http.request({
			host: URL_.hostname, port: URL_.port, method, path: p,
			headers: h, localAddress: from, agent: false,
		}, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve({
				status: res.statusCode, headers: res.headers,
				body: Buffer.concat(chunks).toString('utf8'),
			}));
			res.on('error', reject);
		});
		req.on('error', reject);
		req.setTimeout(10000, () => req.destroy(new Error(
		    `${method} ${p}: no answer in 10 s`)));
		req.end(body);
	});
}
const get = (p, opts) => request('GET', p, opts);
const form = (fields) => new URLSearchParams(fields).toString();
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

/* Pids of PARENT's children: its workers, or with writer its
 * group-commit writer (comm aim-writer). */
function children(parent, writer = false) {
	return procChildren(parent).filter((c) =>
	    (c.comm === 'aim-writer') === writer).map((c) => c.pid);
}

/* A GET through FastCGI straight to a gateway socket (cgi-fcgi). */
function fcgiGet(sock, uri) {
	const r = spawnSync('cgi-fcgi', ['-bind', '-connect', sock], {
		env: { REQUEST_METHOD: 'GET', DOCUMENT_URI: uri,
		    QUERY_STRING: '', PATH: process.env.PATH },
		encoding: 'utf8', timeout: 5000,
	});
	return r.stdout || '';
}

test('the home page answers 200 with HTML', async () => {
	const r = await get('/');
	assert.equal(r.status, 200);
	assert.match(r.headers['content-type'], /^text\/html; charset=utf-8/);
	assert.match(r.body, /^<!DOCTYPE html>/i);
	assert.match(r.body, /\/static\/uswds\/css\/uswds\.min\.css/);
	assert.match(r.body, /\/static\/aim\.css/);
});

test('every stylesheet, script and image of the home page is served',
    async () => {
	const page = await get('/');
	const urls = [...new Set([...page.body.matchAll(
	    /(?:href|src)="(\/static\/[^"]+)"/g)].map((m) => m[1]))];
	assert.ok(urls.length >= 3, `only ${urls.length} static links`);
	const types = { css: /^text\/css/, js: /^application\/javascript/,
	    svg: /^image\/svg\+xml/, png: /^image\/png/ };
	for (const u of urls) {
		const r = await get(u);
		assert.equal(r.status, 200, `${u}: ${r.status}`);
		const ext = u.split('.').pop();
		if (types[ext])
			assert.match(r.headers['content-type'], types[ext], u);
	}
});

test('static files carry their type and cache headers', async () => {
	const own = await get('/static/aim.css');
	assert.equal(own.status, 200);
	assert.equal(own.headers['content-type'], 'text/css; charset=utf-8');
	assert.equal(own.headers['cache-control'], 'max-age=3600');
	assert.ok(own.headers.expires, 'an Expires header');
	assert.ok(own.headers.etag, 'an ETag');
	assert.equal(own.headers['x-content-type-options'], 'nosniff');
	assert.equal(own.headers['set-cookie'], undefined);
	assert.match(own.body, /\.aim-flagged/);

	const css = await get('/static/uswds/css/uswds.min.css');
	assert.equal(css.status, 200);
	assert.match(css.headers['content-type'], /^text\/css/);
	assert.equal(css.headers['cache-control'], 'max-age=604800');
	const js = await get('/static/uswds/js/uswds.min.js');
	assert.equal(js.status, 200);
	assert.match(js.headers['content-type'], /^application\/javascript/);
	const svg = await get('/static/uswds/img/usa-icons/close.svg');
	assert.equal(svg.status, 200);
	assert.match(svg.headers['content-type'], /^image\/svg\+xml/);
	const ico = await get('/favicon.ico');
	assert.equal(ico.status, 200);
	assert.match(ico.headers['content-type'], /^image\//);

	/* Compressed when asked for, and said so for caches. */
	const gz = await get('/static/uswds/css/uswds.min.css',
	    { headers: { 'Accept-Encoding': 'gzip' } });
	assert.equal(gz.headers['content-encoding'], 'gzip');
	assert.match(gz.headers.vary ?? '', /Accept-Encoding/);
	const missing = await get('/static/no-such-file.css');
	assert.equal(missing.status, 404);
});

test('pages are never compressed (BREACH) nor cached', async () => {
	const r = await get('/', { headers: { 'Accept-Encoding': 'gzip' } });
	assert.equal(r.status, 200);
	assert.equal(r.headers['content-encoding'], undefined);
	assert.equal(r.headers['cache-control'], 'no-store');
});

test('no directory listing and no way out of static/', async () => {
	const dir = await get('/static/');
	assert.ok([403, 404].includes(dir.status), `/static/: ${dir.status}`);
	assert.doesNotMatch(dir.body, /aim\.css/);
	for (const p of ['/static/../etc/passwd', '/static/..%2f..%2fetc/passwd',
	    '/static/uswds/../../package.json', '/static/%2e%2e/README.md']) {
		const r = await get(p);
		assert.notEqual(r.status, 200, `${p}: 200`);
		assert.doesNotMatch(r.body, /root:x:0:0|"dependencies"|# aim/, p);
	}
});

test('pages carry the security headers, and nginx hides its version',
    async () => {
	for (const p of ['/', '/no-such-page', '/signin']) {
		const r = await get(p);
		const csp = r.headers['content-security-policy'] ?? '';
		assert.match(csp, /default-src 'self'/, p);
		assert.match(csp, /frame-ancestors 'none'/, p);
		assert.match(csp, /script-src 'self'/, p);
		assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, p);
		assert.equal(r.headers['x-frame-options'], 'DENY', p);
		assert.equal(r.headers['x-content-type-options'], 'nosniff', p);
		assert.ok(['no-referrer', 'same-origin',
		    'strict-origin-when-cross-origin'].includes(
		    r.headers['referrer-policy']), `${p}: referrer policy`);
		assert.equal(r.headers.server, 'nginx', p);
		/* Each header once: nginx adds none of its own to pages. */
		assert.ok(!Array.isArray(r.headers['x-frame-options']), p);
	}
});

test('an unknown address gets the 404 page (and JSON under /api/)',
    async () => {
	const r = await get('/no-such-page');
	assert.equal(r.status, 404);
	assert.match(r.headers['content-type'], /^text\/html/);
	assert.match(r.body, /<h1[^>]*>[^<]*not found/i);
	assert.match(r.body, /href="\/"/);
	assert.match(r.body, /\/static\/uswds\/css\/uswds\.min\.css/);

	const api = await get('/api/v1/no-such-thing');
	assert.equal(api.status, 404);
	assert.match(api.headers['content-type'], /^application\/json/);
	assert.equal(typeof JSON.parse(api.body).error, 'string');
});

test('a form post without its CSRF token is refused with 403', async () => {
	const from = '127.0.0.5';
	const creds = { email: process.env.AIM_EMAIL ?? 'x@example.com',
	    password: 'not-the-password' };
	const bare = await request('POST', '/signin',
	    { headers: FORM, body: form(creds), from });
	assert.equal(bare.status, 403);
	assert.match(bare.headers['content-type'], /^text\/html/);

	/* The cookie without the token, or with a forged one: refused. */
	const page = await get('/signin', { from });
	assert.equal(page.status, 200);
	const cookie = (page.headers['set-cookie'] ?? [])
	    .map((c) => c.split(';')[0]).find((c) => /^aim_csrf=/.test(c));
	assert.ok(cookie, 'GET /signin sets the CSRF cookie');
	const token = page.body.match(/name="csrf" value="([0-9a-f]{64})"/);
	assert.ok(token, 'the sign-in form carries the CSRF token');
	const forged = await request('POST', '/signin', { from,
	    headers: { ...FORM, Cookie: cookie },
	    body: form({ ...creds, csrf: '0'.repeat(64) }) });
	assert.equal(forged.status, 403);

	/* The right pair gets past the check (to a wrong password). */
	const right = await request('POST', '/signin', { from,
	    headers: { ...FORM, Cookie: cookie },
	    body: form({ ...creds, csrf: token[1] }) });
	assert.notEqual(right.status, 403);
	assert.ok(right.status < 500, `status ${right.status}`);
});

test('sign-in attempts from one address get 429 after a burst', async () => {
	const from = '127.0.0.3';
	const statuses = [];
	const t0 = Date.now();
	for (let i = 0; i < 10; i++) {
		const r = await request('POST', '/signin', { from, headers: FORM,
		    body: form({ email: 'nobody@example.com', password: 'x' }) });
		statuses.push(r.status);
		if (r.status === 429) {
			assert.match(r.headers['content-type'], /^text\/html/);
			assert.match(r.body, /Too many attempts/);
			assert.ok(r.headers['retry-after']);
		}
	}
	/* 10 a minute, 5 at once: the first 6 pass (to the CSRF check),
	 * the rest wait, but for one more each 6 s a slow machine took. */
	const refill = Math.floor((Date.now() - t0) / 6000);
	assert.deepEqual(statuses.slice(0, 6), Array(6).fill(403),
	    statuses.join(' '));
	assert.ok(statuses.slice(6).every((s) => s === 403 || s === 429),
	    statuses.join(' '));
	assert.ok(statuses.filter((s) => s === 429).length >= 4 - refill,
	    statuses.join(' '));
	/* Code entry shares the budget; reading a form does not count,
	 * and another address has its own. */
	const verify = await request('POST', '/verify', { from, headers: FORM,
	    body: form({ code: '123456' }) });
	if (Date.now() - t0 < 5000)
		assert.equal(verify.status, 429);
	assert.equal((await get('/signin', { from })).status, 200);
	const other = await request('POST', '/signin', { from: '127.0.0.6',
	    headers: FORM, body: form({ email: 'a@b.c', password: 'x' }) });
	assert.equal(other.status, 403);
});

test('the API throttles a flood from one address, not from 127.0.0.1',
    async () => {
	const flood = async (from, n) => {
		const statuses = [];
		for (let i = 0; i < n; i += 10)
			statuses.push(...(await Promise.all(Array.from(
			    { length: 10 }, () => get(
			    '/api/v1/license-check?number=000000000', { from })
			    .then((r) => {
				if (r.status === 429) {
					assert.match(r.headers['content-type'],
					    /^application\/json/);
					assert.equal(JSON.parse(r.body).error,
					    'too_many_requests');
				}
				return r.status;
			    })))));
		return statuses;
	};
	const t0 = Date.now();
	const other = await flood('127.0.0.4', 200);
	const ms = Date.now() - t0;
	const limited = other.filter((s) => s === 429).length;
	/* 50 a second after a burst of 100: at least 200 - 101 - 50 * s. */
	assert.ok(limited >= 200 - 101 - Math.ceil(50 * ms / 1000),
	    `${limited} of 200 limited in ${ms} ms`);
	assert.ok(other.slice(0, 50).every((s) => s !== 429),
	    'the burst passes');
	const local = await flood('127.0.0.1', 200);
	assert.equal(local.filter((s) => s === 429).length, 0);
	assert.ok(local.every((s) => s < 500), local.join(' '));
});

test('a body over 1 MB is refused with 413 (JSON under /api/)', async () => {
	const big = JSON.stringify({ filler: 'x'.repeat(1100 * 1024) });
	let r;
	try {
		r = await request('POST', '/api/v1/licenses', { from: '127.0.0.7',
		    headers: { 'Content-Type': 'application/json' }, body: big });
	} catch (e) {
		assert.fail(`no response, ${e.message}`);
	}
	assert.equal(r.status, 413);
	assert.match(r.headers['content-type'], /^application\/json/);
	assert.equal(JSON.parse(r.body).error, 'too_large');
});

test('aim-gateway -n accepts a good configuration and names a bad line',
    () => {
	const ok = spawnSync(GATEWAY, ['-n', '-f', CONF], { encoding: 'utf8' });
	assert.equal(ok.status, 0, ok.stderr);
	assert.match(ok.stdout, /configuration OK/);

	const dir = fs.mkdtempSync(path.join(VAR, 'conf-'));
	const bad = (name, text, line, what) => {
		const f = path.join(dir, name);
		fs.writeFileSync(f, text);
		const r = spawnSync(GATEWAY, ['-n', '-f', f],
		    { encoding: 'utf8' });
		assert.notEqual(r.status, 0, `${name} accepted`);
		assert.ok(r.stderr.includes(`${f}:${line}:`),
		    `${name}: ${r.stderr}`);
		assert.match(r.stderr, what, name);
	};
	bad('key.conf', '# a comment\n[database]\npath = x.db\n' +
	    '[gateway]\nworkerz = 4\n', 5, /workerz/);
	bad('value.conf', '[gateway]\nworkers = 0\n', 2, /workers/);
	bad('twice.conf', '[gateway]\nworkers = 2\n\nworkers = 3\n', 4,
	    /twice/);
	bad('section.conf', '[gateways]\n', 1, /gateways/);
	const missing = spawnSync(GATEWAY, ['-n', '-f',
	    path.join(dir, 'none.conf')], { encoding: 'utf8' });
	assert.notEqual(missing.status, 0);
	fs.rmSync(dir, { recursive: true });
});

test('a killed worker is replaced and the site keeps answering',
    async () => {
	const parent = Number(fs.readFileSync(
	    path.join(VAR, 'run', 'aim-gateway.pid'), 'utf8'));
	const before = children(parent);
	const want = Number(/^workers = ([0-9]+)$/m.exec(
	    fs.readFileSync(CONF, 'utf8'))[1]);
	assert.equal(before.length, want, `workers: ${before}`);
	const victim = before[0];
	process.kill(victim, 'SIGKILL');
	await until('a new worker', () => {
		const now = children(parent);
		return now.length === before.length && !now.includes(victim);
	}, 3000);
	for (let i = 0; i < 12; i++)
		assert.equal((await get('/')).status, 200);
	assert.ok(fs.readFileSync(path.join(VAR, 'log', 'aim-gateway.log'),
	    'utf8').includes(`${victim}`), 'the log names the ended worker');
});

test('SIGTERM stops aim-gateway within 2 s with no worker left',
    async () => {
	/* A gateway of its own: stopping the site's would stop the site. */
	const dir = fs.mkdtempSync(path.join(VAR, 'sigterm-'));
	const sock = path.join(dir, 'gw.sock');
	const conf = path.join(dir, 'gw.conf');
	fs.writeFileSync(conf, `[database]\npath = ${DB}\n[gateway]\n` +
	    `socket = ${sock}\nworkers = 3\nsecure_cookies = no\n` +
	    `secret_file = ${path.join(dir, 'secret.key')}\n`);
	const gw = spawn(GATEWAY, ['-f', conf], { stdio: 'ignore' });
	const exited = new Promise((resolve) => gw.on('exit',
	    (code, signal) => resolve({ code, signal, at: Date.now() })));
	try {
		await until('3 workers listening', () => fs.existsSync(sock) &&
		    children(gw.pid).length === 3, 5000);
		assert.match(fcgiGet(sock, '/'), /^Status: 200/);
		const workers = children(gw.pid);
		const writer = children(gw.pid, true);
		assert.equal(writer.length, 1, 'a group-commit writer');

		const t0 = Date.now();
		gw.kill('SIGTERM');
		const end = await Promise.race([exited,
		    sleep(2000).then(() => null)]);
		assert.ok(end, 'still running 2 s after SIGTERM');
		assert.equal(end.code, 0, `exit ${end.code} ${end.signal}`);
		assert.ok(end.at - t0 <= 2000);
		for (const w of workers)
			assert.ok(gone(w), `worker ${w} left running`);
		assert.ok(gone(writer[0]), 'the writer left running');
		assert.ok(!fs.existsSync(sock), 'the socket is removed');
	} finally {
		if (gw.exitCode === null && gw.signalCode === null)
			gw.kill('SIGKILL');
		fs.rmSync(dir, { recursive: true, force: true });
	}
});
