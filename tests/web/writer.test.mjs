// Group commit (gateway/writer.h): the workers hand checked licenses to
// one writer process that commits what has arrived together.  Each
// license acknowledged with 201 must be stored exactly once, with its
// confirmation email, whatever else is in its batch; a refused license
// never takes its batch down; a killed writer is replaced, and the
// workers file by themselves meanwhile.  Run by tests/web/run.sh (real
// nginx + aim-gateway), which sets AIM_URL, AIM_VAR, AIM_DB, AIM_TOKEN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { aluminum, children, until } from './lib.mjs';

for (const v of ['AIM_URL', 'AIM_VAR', 'AIM_DB', 'AIM_TOKEN'])
	if (!process.env[v])
		throw new Error(`set ${v} (tests/web/run.sh does)`);
const BASE = process.env.AIM_URL;
const VAR = process.env.AIM_VAR;
const DB = process.env.AIM_DB;
const TOKEN = process.env.AIM_TOKEN;
const RUN = randomBytes(4).toString('hex');

async function submit(form) {
	const r = await fetch(`${BASE}/api/v1/licenses`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${TOKEN}`,
		    'Content-Type': 'application/json' },
		body: JSON.stringify(form),
	});
	return { status: r.status, json: await r.json() };
}

function sql(q) {
	const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', DB, q],
	    { encoding: 'utf8' });
	assert.equal(r.status, 0, r.stderr);
	return r.stdout.trim();
}

const master = () => Number(fs.readFileSync(
    path.join(VAR, 'run', 'aim-gateway.pid'), 'utf8'));
const writers = () => children(master()).filter((c) =>
    c.comm === 'aim-writer').map((c) => c.pid);

/* Every number once in the database, each with one confirmation. */
function storedOnce(numbers) {
	const list = numbers.map((n) => `'${n}'`).join(',');
	assert.equal(Number(sql(`SELECT count(*) FROM license WHERE number
	    IN (${list})`)), numbers.length, 'licenses stored');
	assert.equal(Number(sql(`SELECT count(*) FROM outbox o JOIN license l
	    ON l.id = o.license_id WHERE o.template = 'license_created' AND
	    l.number IN (${list})`)), numbers.length,
	    'one confirmation email each');
}

test('the gateway runs one writer beside its workers', () => {
	assert.equal(writers().length, 1, `children: ${JSON.stringify(
	    children(master()))}`);
});

test('licenses filed at once are each stored once with their email',
    async () => {
	const n = 96;
	const rs = await Promise.all(Array.from({ length: n }, (_, i) =>
	    submit(aluminum(`Group ${RUN} Metals ${i} LLC`))));
	for (const r of rs)
		assert.equal(r.status, 201, JSON.stringify(r.json));
	const numbers = rs.map((r) => r.json.license_number);
	assert.equal(new Set(numbers).size, n, 'numbers are unique');
	storedOnce(numbers);
	/* Each answer is its own license's. */
	const got = sql(`SELECT l.number || '|' || v.importer_name FROM
	    license l JOIN license_version v ON v.license_id = l.id WHERE
	    l.number IN (${numbers.map((x) => `'${x}'`).join(',')})`);
	const byNumber = new Map(got.split('\n').map((l) => l.split('|')));
	rs.forEach((r, i) => assert.equal(byNumber.get(
	    r.json.license_number), `Group ${RUN} Metals ${i} LLC`));
});

test('a refused license in a batch leaves the others stored',
    async () => {
	/* Bad forms are refused by the worker; a locked account is
	 * refused by the core inside the batch (the writer's savepoint):
	 * both beside good ones. */
	const jobs = [];
	for (let i = 0; i < 30; i++)
		jobs.push(submit(i % 3 === 0 ?
		    aluminum(`Bad ${RUN} ${i}`, { country_of_origin: 'XX' }) :
		    aluminum(`Mixed ${RUN} ${i} LLC`)));
	const rs = await Promise.all(jobs);
	const good = [];
	rs.forEach((r, i) => {
		if (i % 3 === 0) {
			assert.equal(r.status, 422);
			assert.equal(r.json.errors[0].field, 'country_of_origin');
		} else {
			assert.equal(r.status, 201, JSON.stringify(r.json));
			good.push(r.json.license_number);
		}
	});
	storedOnce(good);
	assert.equal(Number(sql(`SELECT count(*) FROM license_version WHERE
	    importer_name LIKE 'Bad ${RUN} %'`)), 0);
});

test('a license of the most lines passes the writer whole', async () => {
	/* Its frame to the writer is far larger than one read takes, or
	 * than the socket holds: it arrives in pieces, with small ones
	 * from other workers beside it. */
	const line = aluminum('x').lines[0];
	const big = aluminum(`Long ${RUN} LLC`, { lines: Array.from(
	    { length: 999 }, (_, i) => ({ ...line,
	    customs_value_usd: `${20000 + i}.00` })) });
	const small = Array.from({ length: 8 }, (_, i) =>
	    submit(aluminum(`Beside ${RUN} ${i} LLC`)));
	const r = await submit(big);
	assert.equal(r.status, 201, JSON.stringify(r.json).slice(0, 300));
	for (const s of await Promise.all(small))
		assert.equal(s.status, 201);
	assert.equal(Number(sql(`SELECT count(*) FROM license_line n JOIN
	    license l ON l.id = n.license_id WHERE l.number =
	    '${r.json.license_number}'`)), 999);
	assert.equal(sql(`SELECT sum(n.customs_value_cents) FROM
	    license_line n JOIN license l ON l.id = n.license_id WHERE
	    l.number = '${r.json.license_number}'`),
	    String(999 * 2000000 + 998 * 999 / 2 * 100));
	storedOnce([r.json.license_number]);
});

test('a killed writer is replaced, and no license is lost meanwhile',
    async () => {
	const [old] = writers();
	assert.ok(old, 'a writer');
	/* Licenses in flight while it dies: each answered 201 is stored;
	 * none is stored twice. */
	const flight = Array.from({ length: 40 }, (_, i) =>
	    submit(aluminum(`Kill ${RUN} ${i} LLC`)));
	await sleep(5);
	process.kill(old, 'SIGKILL');
	const rs = await Promise.all(flight);
	const ok = rs.filter((r) => r.status === 201);
	/* 503 "unavailable": not stored; "unconfirmed": the writer took it
	 * and died before it answered, so it may be. */
	const unsure = rs.filter((r) => r.status === 503 &&
	    r.json.error === 'unconfirmed');
	for (const r of rs)
		assert.ok(r.status === 201 || (r.status === 503 &&
		    ['unavailable', 'unconfirmed'].includes(r.json.error)),
		    `status ${r.status} ${JSON.stringify(r.json)}`);
	storedOnce(ok.map((r) => r.json.license_number));
	const kept = Number(sql(`SELECT count(*) FROM license_version WHERE
	    importer_name LIKE 'Kill ${RUN} %'`));
	assert.ok(kept >= ok.length && kept <= ok.length + unsure.length,
	    `${kept} stored, ${ok.length} confirmed, ${unsure.length} unsure`);
	assert.equal(Number(sql(`SELECT count(*) FROM (SELECT importer_name
	    FROM license_version WHERE importer_name LIKE 'Kill ${RUN} %'
	    GROUP BY importer_name HAVING count(*) > 1)`)), 0,
	    'no license stored twice');
	await until('a new writer', () => {
		const w = writers();
		return w.length === 1 && w[0] !== old;
	}, 5000);
	/* After it, filing works as before, through the new writer. */
	const after = await Promise.all(Array.from({ length: 12 }, (_, i) =>
	    submit(aluminum(`After ${RUN} ${i} LLC`))));
	for (const r of after)
		assert.equal(r.status, 201, JSON.stringify(r.json));
	storedOnce(after.map((r) => r.json.license_number));
	assert.ok(fs.readFileSync(path.join(VAR, 'log', 'aim-gateway.log'),
	    'utf8').includes(`writer ${old} ended`), 'the log says so');
});
