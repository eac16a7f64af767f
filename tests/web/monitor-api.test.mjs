// The public monitor's API (docs/api.md, Monitor) against a running
// nginx + aim-gateway: licenses filed through the licensing API move
// the figures at once; a figure with fewer than 3 importers, or one
// above 80% of its value, is withheld, and no published figure gives
// it away; a canceled license leaves the totals; CSV holds the JSON
// rows; answers are cacheable; every bad parameter is a 400; meta and
// surges.
//
//   AIM_URL=http://127.0.0.1:8080 AIM_TOKEN=aim_... \
//   node --test tests/web/monitor-api.test.mjs
//
// Other suites file licenses into the same database, so these figures
// come from origins no other suite uses (Finland, Estonia), steel, and
// every importer is tagged with a fresh id of this run.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { answerOf } from './lib.mjs';

const BASE = process.env.AIM_URL;
const TOKEN = process.env.AIM_TOKEN;

if (!BASE || !TOKEN)
	throw new Error('set AIM_URL and AIM_TOKEN (tests/web/run.sh does)');

const RUN = randomBytes(4).toString('hex');
const FLAT = '7208101500';
const PIPE = '7304290010';

/* YYYY-MM-DD of a date; n days from today (UTC, as the gateway). */
function iso(d) {
	return d.toISOString().slice(0, 10);
}
function day(n) {
	return iso(new Date(Date.now() + n * 86400000));
}
/* The 15th of the month k months from this one, and its YYYY-MM. */
function mid(k) {
	const d = new Date();
	return iso(new Date(Date.UTC(d.getUTCFullYear(),
	    d.getUTCMonth() + k, 15)));
}
function month(k) {
	return mid(k).slice(0, 7);
}
function daysBefore(date, n) {
	return iso(new Date(Date.parse(date) - n * 86400000));
}

function steel(importer, origin, importDate, lines) {
	return {
		product: 'steel',
		license_type: 'standard',
		entry_type: 'consumption',
		importer_name: importer,
		exporter_name: `${origin} Steel Export Oy`,
		manufacturer_name: `${origin} Steel Works`,
		country_of_origin: origin,
		country_of_exportation: origin,
		expected_export_date: daysBefore(importDate, 12),
		expected_import_date: importDate,
		port_of_entry: 'Baltimore, MD',
		lines: lines.map(([hts, usd, kg]) => ({
			hts_code: hts,
			customs_value_usd: usd,
			volume_kg: kg,
			country_of_melt_and_pour: origin,
		})),
	};
}

async function get(path) {
	return answerOf(await fetch(BASE + path));
}

async function file(form) {
	const res = await fetch(BASE + '/api/v1/licenses', {
		method: 'POST',
		headers: { 'Content-Type': 'application/json',
		    Authorization: `Bearer ${TOKEN}` },
		body: JSON.stringify(form),
	});
	const j = await res.json();
	assert.equal(res.status, 201, JSON.stringify(j));
	return j.license_number;
}

async function cancel(number) {
	const res = await fetch(`${BASE}/api/v1/licenses/${number}/cancel`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${TOKEN}` },
	});
	assert.equal(res.status, 200, await res.text());
}

async function cells(q) {
	const r = await get('/api/v1/monitor/cells?' +
	    new URLSearchParams(q).toString());
	assert.equal(r.status, 200, r.text.slice(0, 400));
	return r.json;
}

const M = month(1);		/* imports next month */
const who = (k) => `Monitor Test ${RUN} ${k} Metals`;
let finland = [];

before(async () => {
	// Finland: three importers of flat steel next month ($30,000,
	// 12,000 kg each plus one line more); Estonia: one importer.
	for (const k of ['A', 'B', 'C'])
		finland.push(await file(steel(who(k), 'Finland', mid(1),
		    [[FLAT, '30000.00', '12000'], [FLAT, '1000.50', '500']])));
	await file(steel(who('A'), 'Estonia', mid(1),
	    [[FLAT, '25000.00', '10000']]));
	// A surge of Finnish pipe this month: 3 importers, 20 t a month
	// for three months, then 100 t each.
	for (let k = -3; k <= 0; k++)
		for (const w of ['A', 'B', 'C'])
			await file(steel(who(w), 'Finland', k === 0 ?
			    day(0) : mid(k), [[PIPE, k === 0 ? '150000.00' :
			    '30000.00', k === 0 ? '100000' : '20000']]));
});

test('figures of three importers are published and add up', async () => {
	const j = await cells({ product: 'steel', by: 'country_of_origin',
	    country: 'Finland', product_group: 'Flat', from: M, to: M });
	assert.deepEqual(j.by, ['country_of_origin']);
	assert.equal(j.from, M);
	assert.equal(j.to, M);
	assert.equal(j.filters.country, 'Finland');
	assert.equal(j.rows.length, 1);
	const r = j.rows[0];
	assert.equal(r.country_of_origin, 'Finland');
	assert.equal(r.suppressed, false);
	assert.equal(r.kg, 3 * 12500);
	assert.equal(r.value_usd, Math.round(3 * 31000.5));
	assert.equal(r.usd_per_metric_ton,
	    Math.round(3 * 31000.5 / (3 * 12500 / 1000)));
	/* One country: its figure is the total. */
	assert.deepEqual(j.total, { kg: r.kg, value_usd: r.value_usd,
	    usd_per_metric_ton: r.usd_per_metric_ton, suppressed: false });
	assert.match(j.updated_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

test('one importer is withheld, figures left out', async () => {
	const j = await cells({ product: 'steel', by: 'month',
	    country: 'Estonia', from: M, to: M });
	assert.equal(j.rows.length, 1);
	assert.deepEqual(j.rows[0], { month: M, suppressed: true });
	assert.equal(j.total.suppressed, true);
	assert.equal(j.total.kg, undefined);
});

/* Every line of a two-way answer (each row with its margin, each
 * column with its margin, the margins with the total) must not have
 * exactly one hidden figure: else the published ones give it. */
function lines(j) {
	const [a, b] = j.by;
	const hidden = (x) => x.suppressed === true;
	const bad = [];
	for (const m of j.margins[a]) {
		const row = j.rows.filter((r) => r[a] === m[a]);
		const n = row.filter(hidden).length + (hidden(m) ? 1 : 0);
		if (n === 1)
			bad.push(`${a}=${m[a]}`);
	}
	for (const m of j.margins[b]) {
		const col = j.rows.filter((r) => r[b] === m[b]);
		const n = col.filter(hidden).length + (hidden(m) ? 1 : 0);
		if (n === 1)
			bad.push(`${b}=${m[b]}`);
	}
	for (const d of [a, b]) {
		const n = j.margins[d].filter(hidden).length +
		    (hidden(j.total) ? 1 : 0);
		if (n === 1)
			bad.push(`margin ${d}`);
	}
	return bad;
}

test('the withheld country cannot be worked out of its month',
    async () => {
	const j = await cells({ product: 'steel',
	    by: 'month,country_of_origin', product_group: 'Flat',
	    from: M, to: M });
	const est = j.rows.find((r) => r.country_of_origin === 'Estonia');
	assert.ok(est, 'Estonia has a row');
	assert.equal(est.suppressed, true);
	assert.equal(est.kg, undefined);
	// Another figure of that month is withheld with it.
	const hiddenInMonth = j.rows.filter((r) => r.month === M &&
	    r.suppressed).length;
	assert.ok(hiddenInMonth >= 2, `${hiddenInMonth} hidden in ${M}`);
	assert.deepEqual(lines(j), []);
	// Published figures: the margins agree with the one-way answers.
	const one = await cells({ product: 'steel', by: 'country_of_origin',
	    product_group: 'Flat', from: M, to: M });
	assert.deepEqual(j.margins.country_of_origin, one.rows);
	assert.deepEqual(j.total, one.total);
	for (const r of j.rows)
		if (!r.suppressed)
			assert.ok(r.kg > 0 && r.value_usd > 0, JSON.stringify(r));
});

test('CSV holds the rows of the JSON answer', async () => {
	const q = { product: 'steel', by: 'month,country_of_origin',
	    product_group: 'Flat', from: M, to: M };
	const j = await cells(q);
	const r = await get('/api/v1/monitor/cells?' +
	    new URLSearchParams({ ...q, format: 'csv' }).toString());
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), /^text\/csv/);
	assert.match(r.headers.get('content-disposition'),
	    /^attachment; filename="aim-monitor-steel-month-country_of_origin-/);
	const rows = r.text.trimEnd().split('\r\n');
	assert.equal(rows[0], 'month,country_of_origin,kg,value_usd,' +
	    'usd_per_metric_ton,suppressed');
	assert.equal(rows.length, j.rows.length + 1);
	j.rows.forEach((x, i) => {
		const name = /[",]/.test(x.country_of_origin) ?
		    `"${x.country_of_origin.replace(/"/g, '""')}"` :
		    x.country_of_origin;
		const want = x.suppressed ? `${x.month},${name},,,,true` :
		    `${x.month},${name},${x.kg},${x.value_usd},` +
		    `${x.usd_per_metric_ton},false`;
		assert.equal(rows[i + 1], want);
	});
});

test('monitor answers are cacheable, others are not', async () => {
	for (const p of ['/api/v1/monitor/meta',
	    '/api/v1/monitor/surges',
	    '/api/v1/monitor/cells?product=aluminum']) {
		const r = await get(p);
		assert.equal(r.status, 200, p);
		assert.equal(r.headers.get('cache-control'),
		    'public, max-age=60', p);
	}
	const r = await get('/api/v1/license-check?number=000000000&' +
	    'importer=x&import_date=2026-01-01');
	assert.equal(r.headers.get('cache-control'), 'no-store');
});

test('a canceled license leaves the totals at once', async () => {
	const q = { product: 'steel', by: 'country_of_origin',
	    country: 'Finland', product_group: 'Flat', from: M, to: M };
	const before_ = await cells(q);
	assert.equal(before_.rows[0].suppressed, false);
	await cancel(finland[0]);
	const after = await cells(q);
	// Two importers now: withheld.
	assert.deepEqual(after.rows, [{ country_of_origin: 'Finland',
	    suppressed: true }]);
	assert.notEqual(after.updated_at, undefined);
});

test('bad parameters are 400 and name the parameter', async () => {
	const cases = [
		['product=copper', 'product'],
		['by=month', 'product'],
		['product=steel&by=color', 'by'],
		['product=steel&by=month,month', 'by'],
		['product=steel&by=month,hts6,product_group', 'by'],
		['product=steel&by=country_of_largest_smelt', 'by'],
		['product=aluminum&by=country_of_melt_and_pour', 'by'],
		['product=steel&from=2026-13', 'from'],
		['product=steel&to=26-01', 'to'],
		['product=steel&from=2026-05&to=2026-04', 'from'],
		['product=steel&from=2000-01&to=2026-01', 'to'],
		['product=steel&hts6=7208', 'hts6'],
		['product=steel&country=Atlantis', 'country'],
		['product=steel&product_group=Foil', 'product_group'],
		['product=steel&product_group=' +
		    encodeURIComponent('Flat"\\\u0001'), 'product_group'],
		['product=steel&format=xml', 'format'],
	];
	for (const [q, param] of cases) {
		const r = await get('/api/v1/monitor/cells?' + q);
		assert.equal(r.status, 400, `${q}: ${r.text}`);
		assert.equal(r.json.error, 'bad_request', q);
		assert.equal(r.json.param, param, q);
		assert.ok(r.json.message.length > 0);
	}
	const s = await get('/api/v1/monitor/surges?month=2026-1');
	assert.equal(s.status, 400);
	assert.equal(s.json.param, 'month');
	const p = await get('/api/v1/monitor/cells');
	assert.equal(p.status, 400);
	const m = await fetch(BASE + '/api/v1/monitor/meta',
	    { method: 'POST' });
	assert.equal(m.status, 405);
});

test('hts6 and country filters take other spellings', async () => {
	const a = await cells({ product: 'steel', by: 'hts6',
	    country: 'Finland', hts6: '7208.10', from: M, to: M });
	assert.equal(a.filters.hts6, '720810');
	assert.deepEqual(a.rows.map((r) => r.hts6), ['720810']);
	const b = await cells({ product: 'steel', by: 'hts6',
	    country: 'finland', hts6: '720810', from: M, to: M });
	assert.equal(b.filters.country, 'Finland');
	assert.deepEqual(b.rows, a.rows);
});

test('meta lists what there is to ask for', async () => {
	const r = await get('/api/v1/monitor/meta');
	assert.equal(r.status, 200);
	const j = r.json;
	assert.match(j.updated_at, /Z$/);
	assert.match(j.current_month, /^\d{4}-\d\d$/);
	assert.equal(j.default_to, j.current_month);
	assert.deepEqual(j.disclosure, { min_importers: 3,
	    max_share_pct: 80 });
	assert.match(j.note, /not official trade statistics/);
	const st = j.products.find((p) => p.product === 'steel');
	assert.ok(st.months.includes(M) && st.months.includes(month(0)));
	assert.ok(st.countries.country_of_origin.includes('Finland'));
	assert.ok(st.countries.country_of_melt_and_pour.includes('Estonia'));
	assert.equal(st.countries.country_of_largest_smelt, undefined);
	/* Suggestions, kept a minute by each worker. */
	assert.ok(Array.isArray(st.hts6));
	assert.ok(st.groups.includes('Flat'));
	assert.deepEqual(j.groups.steel, st.groups);
	assert.ok(j.months.includes(M));
	assert.ok(j.countries.includes('Estonia'));
	const al = j.products.find((p) => p.product === 'aluminum');
	assert.ok(al.dimensions.includes('country_of_largest_smelt'));
	assert.ok(!al.dimensions.includes('country_of_melt_and_pour'));
});

test('the Finnish pipe surge is listed', async () => {
	const r = await get('/api/v1/monitor/surges?product=steel&month=' +
	    month(0));
	assert.equal(r.status, 200, r.text);
	const j = r.json;
	assert.equal(j.month, month(0));
	assert.deepEqual(j.trailing, [month(-3), month(-2), month(-1)]);
	assert.deepEqual(j.rule, { min_increase_pct: 50,
	    min_increase_kg: 100000, trailing_months: 3 });
	const s = j.surges.find((x) => x.country_of_origin === 'Finland' &&
	    x.product_group === 'Pipe and Tube');
	assert.ok(s, JSON.stringify(j.surges));
	assert.equal(s.product, 'steel');
	assert.equal(s.month, month(0));
	assert.equal(s.kg, 300000);
	assert.equal(s.trailing_avg_kg, 60000);
	assert.equal(s.increase_kg, 240000);
	assert.equal(s.increase_pct, 400);
	assert.equal(s.value_usd, 450000);
	// Estonia's flat steel (one importer) is never a surge.
	assert.ok(!j.surges.some((x) => x.country_of_origin === 'Estonia'));
	const c = await get('/api/v1/monitor/surges?product=steel&month=' +
	    month(0) + '&format=csv');
	assert.equal(c.status, 200);
	const rows = c.text.trimEnd().split('\r\n');
	assert.equal(rows[0], 'month,product,product_group,' +
	    'country_of_origin,kg,trailing_avg_kg,increase_kg,increase_pct,' +
	    'value_usd,usd_per_metric_ton');
	assert.ok(rows.includes(`${month(0)},steel,Pipe and Tube,Finland,` +
	    `300000,60000,240000,400,450000,1500`), rows.join('\n'));
});
