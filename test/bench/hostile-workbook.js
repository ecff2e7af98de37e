// Hostile report workbooks (issue 23); run with `npm run build && npm run bench:workbook`. Prints figures only.
// Starts the built platform on the embedded PGlite (temp DATA_DIR; one process, one database connection: the worst
// case for other requests), prepares BENCH_UPLOADERS officers (4) with an approved application each, and then runs,
// BENCH_SECONDS (10) each:
//   1. baseline: BENCH_READERS clients (4) reading a light route (GET /api/v1/calls) back to back;
//   2. the same readers while every officer uploads, back to back, a file of the same size that is no zip (the control:
//      what any upload costs, refused at its first bytes);
//   3. the same readers while every officer uploads a workbook of 1,000,000 empty rows (10 KB packed, 6 MB unpacked)
//      back to back, all at once.
// Prints the readers' p50/p95/p99 in the three runs and the hostile uploads' answers and times; and, as the reference, how
// long exceljs takes to load that file in this process (what every upload did before issue 23). The goal: a hostile
// workbook refused in under 200 ms, and the readers' p95 unmoved. See docs/benchmarks.md ("Hostile workbooks").
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { hostileWorkbook } = require('../support/hostile-workbook');
const { Blob } = require('node:buffer');
const { call, must, startPlatform, stop, prepareDrafts, completeApplicant, tokenFor, PORT, ADMIN, DEMO_PASSWORD } = require('./rush-http');

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const UPLOADERS = Number(process.env.BENCH_UPLOADERS ?? 4);
const READERS = Number(process.env.BENCH_READERS ?? 4);
const REVIEWER = 'beoordelaar@abb.demo';
const LIGHT_ROUTE = '/api/v1/calls';

const print = (line) => process.stdout.write(`${line}\n`);
const note = (line) => process.stderr.write(`${line}\n`);
const percentile = (sorted, p) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
const ms = (value) => `${value.toFixed(1)} ms`;

/** Officers with an approved application each, its interim report open for 30 days: everything through the API. */
async function approvedOfficers(count) {
  // One at a time: the sign-ins of a batch at once may be answered 503 while password hashing is busy.
  const officers = [];
  for (let i = 0; i < count; i++) officers.push(...(await prepareDrafts(1, 2)));
  for (const o of officers) {
    const lines = o.lines.map((l) => ({ kpiLineId: l.id, plannedReach: 1, currentReach: 0 }));
    const priorities = o.lines.map((l, i) => ({ actionNumber: l.actionNumber, priority: i + 1 }));
    must(await call('PUT', `/api/v1/applications/${o.applicationId}`, { headers: o.auth, body: { version: o.version, lines, priorities } }), 200, 'draft');
    await completeApplicant(o);
    const draft = must(await call('GET', `/api/v1/applications/${o.applicationId}`, { headers: o.auth }), 200, 'draft').json;
    must(await call('POST', `/api/v1/applications/${o.applicationId}/submit`, { headers: o.auth, body: { version: draft.version } }), 200, 'submit');
  }
  const abb = { authorization: `Bearer ${await tokenFor(ADMIN, DEMO_PASSWORD)}` };
  const reviewer = { authorization: `Bearer ${await tokenFor(REVIEWER, DEMO_PASSWORD)}` };
  const calls = must(await call('GET', '/api/v1/calls', { headers: abb }), 200, 'calls').json;
  const latest = calls.reduce((a, b) => (b.yearNumber > a.yearNumber ? b : a));
  const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  must(
    await call('PATCH', `/api/v1/calls/${latest.yearNumber}`, { headers: abb, body: { version: latest.version, interimReportDue: `${due}T23:59` } }),
    200,
    'due',
  );
  for (const o of officers) {
    const submitted = must(await call('GET', `/api/v1/applications/${o.applicationId}`, { headers: reviewer }), 200, 'application').json;
    const path = `/api/v1/applications/${o.applicationId}`;
    const review = must(await call('POST', `${path}/start-review`, { headers: reviewer, body: { version: submitted.version } }), 200, 'start review').json;
    const confirmed = review.lines.filter((l) => l.plannedReach > 0).map((l) => ({ kpiLineId: l.id, quantity: l.plannedReach }));
    must(await call('POST', `${path}/approve`, { headers: reviewer, body: { version: review.version, confirmed } }), 200, 'approve');
  }
  return officers;
}

async function uploadWorkbook(officer, file) {
  const form = new globalThis.FormData();
  form.append('workbook', new Blob([file]), 'rapport.xlsx');
  const t0 = performance.now();
  const res = await fetch(`http://127.0.0.1:${PORT}/api/v1/applications/${officer.applicationId}/reports/interim/workbook`, {
    method: 'POST',
    headers: officer.auth,
    body: form,
  });
  const body = await res.json();
  return { status: res.status, ms: performance.now() - t0, message: body.errors?.workbook?.[0] ?? body.message };
}

/** `clients` loops of `work` until the time is up; every answer's latency and status. */
async function loop(clients, seconds, work) {
  const until = performance.now() + seconds * 1000;
  const results = [];
  await Promise.all(
    Array.from({ length: clients }, async (_, index) => {
      while (performance.now() < until) results.push(await work(index));
    }),
  );
  return results;
}

const read = (auth) => async () => {
  const t0 = performance.now();
  const res = await call('GET', LIGHT_ROUTE, { headers: auth });
  return { status: res.status, ms: performance.now() - t0, message: res.json?.message };
};

function figures(label, results) {
  const sorted = results.map((r) => r.ms).sort((a, b) => a - b);
  const statuses = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  const answers = Object.entries(statuses)
    .map(([status, count]) => `${count}× ${status}`)
    .join(', ');
  print(
    `| ${label} | ${results.length} | ${ms(percentile(sorted, 50))} | ${ms(percentile(sorted, 95))} | ${ms(percentile(sorted, 99))} | ${ms(sorted.at(-1) ?? NaN)} | ${answers} |`,
  );
  return percentile(sorted, 95);
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'ps-bench-workbook-'));
  const hostile = hostileWorkbook(1_000_000);
  try {
    const child = await startPlatform({ DATA_DIR: dataDir, DATABASE_URL: '', WORKERS: '1' });
    try {
      const officers = await approvedOfficers(UPLOADERS);
      note(`embedded PGlite: ${officers.length} officers with an approved application each`);
      const reader = officers[0].auth;
      // Warm up: the first upload starts the parser's worker thread (loading exceljs), as a first upload after a start does.
      const warm = await uploadWorkbook(officers[0], hostile);
      await loop(READERS, 1, read(reader));

      const alone = [];
      for (let i = 0; i < 10; i++) alone.push(await uploadWorkbook(officers[0], hostile));
      const baseline = await loop(READERS, SECONDS, read(reader));
      const during = async (file) => {
        const [readers, uploads] = await Promise.all([
          loop(READERS, SECONDS, read(reader)),
          loop(officers.length, SECONDS, (index) => uploadWorkbook(officers[index], file)),
        ]);
        return { readers, uploads };
      };
      // The control: as many uploads of a file of the same size that is no zip at all, refused at its first bytes.
      const control = await during(Buffer.alloc(hostile.length, 0x20));
      const { readers, uploads } = await during(hostile);

      print(`## Hostile workbooks (${new Date().toISOString().slice(0, 10)}, embedded PGlite, ${SECONDS} s per run)`);
      print('');
      print(
        `Workbook of 1,000,000 empty rows: ${hostile.length.toLocaleString('en')} bytes packed; first upload after start: ${warm.status} in ${ms(warm.ms)}.`,
      );
      print(`Answer: ${uploads[0]?.status} "${uploads[0]?.message}"`);
      print('');
      print('| run | requests | p50 | p95 | p99 | max | answers |');
      print('|---|---|---|---|---|---|---|');
      const before = figures(`${LIGHT_ROUTE}, ${READERS} readers, alone (baseline)`, baseline);
      const withControl = figures(`${LIGHT_ROUTE}, ${READERS} readers, during uploads of a non-zip file (control)`, control.readers);
      const withHostile = figures(`${LIGHT_ROUTE}, ${READERS} readers, during the hostile uploads`, readers);
      figures('hostile uploads, one officer, one after the other, no readers', alone);
      figures(`non-zip uploads (control), ${officers.length} officers back to back`, control.uploads);
      figures(`hostile uploads, ${officers.length} officers back to back`, uploads);
      const other = [...uploads, ...readers].find((r) => r.status >= 500);
      if (other) print(`First 5xx: ${other.status} "${other.message}"`);
      print('');
      print(
        `Readers' p95 during the hostile uploads: ${(withHostile / before).toFixed(2)}× the baseline alone, ` +
          `${(withHostile / withControl).toFixed(2)}× the baseline with as many uploads of a non-zip file.`,
      );
    } finally {
      await stop(child);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  // The reference: what every upload cost before issue 23, exceljs loading the file on the event loop.
  const ExcelJS = require('exceljs');
  const heap = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const outcome = await new ExcelJS.Workbook().xlsx.load(hostile).then(
    (workbook) => `${workbook.getWorksheet('Rapport')?.rowCount} rows`,
    (error) => `refused by exceljs after reading it all ("${error.message}")`,
  );
  const loaded = performance.now() - t0;
  print(
    `Reference, exceljs loading the same file in this process (the parse before issue 23): ${ms(loaded)}, ${outcome}, ` +
      `heap +${Math.round((process.memoryUsage().heapUsed - heap) / 1e6)} MB.`,
  );
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
