// The deadline rush of issue 13; run with `npm run build && npm run bench:deadline`. Prints figures only.
// On the embedded PGlite (temp DATA_DIR) and on a throwaway database of the PostgreSQL server (BENCH_DATABASE_URL),
// BENCH_OFFICERS officers (300, or as many as municipalities can still register), each signed in with an API token of
// its own, save and submit their applications and then, once ABB approved them all, their interim reports:
//   1. application drafts: an open model at BENCH_RATE saves/s over every officer and a closed loop of BENCH_CLIENTS
//      officers (50), BENCH_SECONDS each; on the server the platform runs in BENCH_WORKERS processes (2);
//   2. every officer completes its applicant (contact, payout account, signed letter) and submits: all must pass;
//   3. ABB sets the interim report due in 30 days, takes every application into review and approves it;
//   4. interim report drafts: the same two shapes;
//   5. every officer fills in every line of its report and submits it: all must pass.
// After every load run each acknowledged save must be stored (version increase = acknowledgements = audit rows);
// after each submission round the stored statuses are counted. On the server the statements of one application save
// and of one report save are captured and replayed through plain `pg` by as many clients: the baseline of the closed
// loops. See docs/benchmarks.md ("Deadline rush, issue 13").
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { Client } = require('pg');
const { withThrowawayDatabase } = require('./throwaway-database');
const { call, must, startPlatform, stop, prepareDrafts, completeApplicant, tokenFor, pool, agent, ADMIN, DEMO_PASSWORD } = require('./rush-http');
const { SECONDS, stateReader, applicationDrafts, countedSave, refreshOnce, runAll, printRuns } = require('./rush-load');
const { captureOne, template, idsOf, replay, VERSIONS, isWrite } = require('./rush-replay');
const { cpuMeter } = require('./cpu-meter');

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const OFFICERS = Number(process.env.BENCH_OFFICERS ?? 300);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
// On the server the platform runs in this many processes (WORKERS), as docs/deployment.md suggests for 2 cores.
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const TARGETS = (process.env.BENCH_TARGETS ?? 'embedded,server').split(',').map((t) => t.trim());
const ACTIONS = Number(process.env.BENCH_ACTIONS ?? 4);
const REVIEWER = 'beoordelaar@abb.demo'; // the demo's ABB reviewer

const print = (line) => process.stdout.write(`${line}\n`);
const note = (line) => process.stderr.write(`${line}\n`);

/**
 * Interim report drafts of the officer's own approved application: the realised quantity of its first line
 * alternates 1, 2, so every save changes something.
 */
function interimReports(url) {
  const path = (o) => `/api/v1/applications/${o.applicationId}/reports/interim`;
  const state = (json, o) => ({ version: json.version, realised: json.lines.find((l) => l.kpiLineId === o.lines[0].id)?.realisedQuantity ?? null });
  const read = stateReader(url, {
    action: 'report-saved',
    sql: `SELECT a.id, coalesce(r.version, 1) AS version, rl.realised_quantity AS realised
            FROM unnest($1::int[], $2::int[]) AS o(id, kpi_line_id) JOIN application a ON a.id = o.id
            LEFT JOIN kpi_report r ON r.application_id = a.id AND r.kind = 'interim'
            LEFT JOIN kpi_report_line rl ON rl.report_id = r.id AND rl.kpi_line_id = o.kpi_line_id`,
    api: { path, state },
  });
  return {
    name: 'interim report saves',
    read,
    reset: (o, s) => (o.report = { ...s }),
    async save(officer, stats) {
      const realised = officer.report.realised === 1 ? 2 : 1;
      const body = { version: officer.report.version, lines: [{ kpiLineId: officer.lines[0].id, realisedQuantity: realised }] };
      const json = await countedSave(stats, officer, 'PUT', path(officer), body);
      if (json && json.version > officer.report.version) officer.report = { version: json.version, realised };
      return json !== undefined;
    },
    refresh: (officer) =>
      refreshOnce(officer, async () => {
        const res = await call('GET', path(officer), { headers: officer.auth, timeoutMs: 30_000 });
        if (res.status === 200) officer.report = state(res.json, officer);
      }),
  };
}

/** Runs `work` over the officers 20 at a time; answers how many passed, and the first refusal. */
async function round(officers, work) {
  let passed = 0;
  let firstRefusal;
  await pool(officers, 20, async (o) => {
    try {
      await work(o);
      passed++;
    } catch (error) {
      firstRefusal ??= error.message;
    }
  });
  return { passed, firstRefusal };
}

/** Every officer submits its application (the draft was saved by the load; the applicant is completed first). */
function submitApplications(officers) {
  return round(officers, async (o) => {
    await completeApplicant(o);
    const draft = must(await call('GET', `/api/v1/applications/${o.applicationId}`, { headers: o.auth }), 200, 'draft').json;
    must(await call('POST', `/api/v1/applications/${o.applicationId}/submit`, { headers: o.auth, body: { version: draft.version } }), 200, 'submit');
  });
}

/** ABB: the interim report due in 30 days, and every application taken into review and approved as planned. */
async function approveAll(officers) {
  const abb = { authorization: `Bearer ${await tokenFor(ADMIN, DEMO_PASSWORD)}` };
  const reviewer = { authorization: `Bearer ${await tokenFor(REVIEWER, DEMO_PASSWORD)}` };
  const calls = must(await call('GET', '/api/v1/calls', { headers: abb }), 200, 'calls').json;
  const latest = calls.reduce((a, b) => (b.yearNumber > a.yearNumber ? b : a));
  const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  must(
    await call('PATCH', `/api/v1/calls/${latest.yearNumber}`, { headers: abb, body: { version: latest.version, interimReportDue: `${due}T23:59` } }),
    200,
    'interim report due date',
  );
  return round(officers, async (o) => {
    const submitted = must(await call('GET', `/api/v1/applications/${o.applicationId}`, { headers: reviewer }), 200, 'application').json;
    const review = must(
      await call('POST', `/api/v1/applications/${o.applicationId}/start-review`, { headers: reviewer, body: { version: submitted.version } }),
      200,
      'start review',
    ).json;
    const confirmed = review.lines.filter((l) => l.plannedReach > 0).map((l) => ({ kpiLineId: l.id, quantity: l.plannedReach }));
    must(
      await call('POST', `/api/v1/applications/${o.applicationId}/approve`, { headers: reviewer, body: { version: review.version, confirmed } }),
      200,
      'approve',
    );
  });
}

/** Every officer fills in every line of its interim report as realised, with a motivation, and submits it. */
function submitReports(officers) {
  return round(officers, async (o) => {
    const path = `/api/v1/applications/${o.applicationId}/reports/interim`;
    const report = must(await call('GET', path, { headers: o.auth }), 200, 'report').json;
    const lines = report.lines.map((l) => ({ kpiLineId: l.kpiLineId, realisedQuantity: l.confirmedQuantity, motivation: 'Gerealiseerd zoals gepland.' }));
    const saved = must(await call('PUT', path, { headers: o.auth, body: { version: report.version, lines } }), 200, 'report lines').json;
    must(await call('POST', `${path}/submit`, { headers: o.auth, body: { version: saved.version } }), 200, 'submit report');
  });
}

/** Stored statuses of the officers' applications and interim reports (the server directly, PGlite through the API). */
async function statuses(url, officers) {
  const count = (values) => values.reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map());
  if (url) {
    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      const { rows } = await db.query(
        `SELECT a.status AS application, r.status AS report FROM application a LEFT JOIN kpi_report r ON r.application_id = a.id AND r.kind = 'interim' WHERE a.id = ANY($1)`,
        [officers.map((o) => o.applicationId)],
      );
      return { applications: count(rows.map((r) => r.application)), reports: count(rows.map((r) => r.report ?? 'none')) };
    } finally {
      await db.end();
    }
  }
  const rows = await pool(officers, 8, async (o) => {
    const application = await call('GET', `/api/v1/applications/${o.applicationId}`, { headers: o.auth });
    const report = await call('GET', `/api/v1/applications/${o.applicationId}/reports/interim`, { headers: o.auth });
    return { application: application.json?.status, report: report.status === 200 ? report.json.status : 'none' };
  });
  return { applications: count(rows.map((r) => r.application)), reports: count(rows.map((r) => r.report)) };
}

const counted = (map) => [...map].map(([status, n]) => `${n} ${status}`).join(', ');

/** The whole deadline on one database; `capture` (server only) records one save of each kind for the replay. */
async function deadline(database, url, officers, capture) {
  const shape = { rates: [RATE], clients: CLIENTS, note };
  const runs = [];
  const drafts = applicationDrafts(url);
  const captured = { application: await capture?.(drafts) };
  runs.push(...(await runAll(database, drafts, officers, shape)));
  const submitted = await submitApplications(officers);
  note(`${database}: ${submitted.passed} of ${officers.length} applications submitted ${submitted.firstRefusal ?? ''}`);
  const approved = await approveAll(officers);
  note(`${database}: ${approved.passed} approved by ABB ${approved.firstRefusal ?? ''}`);
  if (approved.passed < officers.length) throw new Error('not every application could be approved: no reports to save');
  const reports = interimReports(url);
  for (const o of officers) reports.reset(o, (await reports.read([o])).get(o.applicationId));
  captured.report = await capture?.(reports);
  runs.push(...(await runAll(database, reports, officers, shape)));
  const reported = await submitReports(officers);
  const stored = await statuses(url, officers);
  note(`${database}: ${reported.passed} interim reports submitted; stored: applications ${counted(stored.applications)}; reports ${counted(stored.reports)}`);
  return { database, officers: officers.length, runs, captured, rounds: { submitted, approved, reported }, stored };
}

async function onEmbedded() {
  const dataDir = mkdtempSync(join(tmpdir(), 'ps-bench-deadline-'));
  try {
    const child = await startPlatform({ DATA_DIR: dataDir, DATABASE_URL: '' });
    try {
      const officers = await prepareDrafts(OFFICERS, ACTIONS);
      note(`embedded PGlite: ${officers.length} officers with a draft each`);
      return await deadline('embedded PGlite', null, officers);
    } finally {
      await stop(child);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * One save of `work`'s kind captured twice, on two officers' records at different versions (see rush-replay.js),
 * as a template for the plain `pg` replay; `withReport` adds each officer's interim report id to the swapped ids.
 */
async function captureSave(child, url, work, officers, withReport) {
  const [a, b] = officers.slice(-2);
  const stats = { sent: 0, ok: 0, conflicts: 0, busy: 0, other: 0, failed: 0, latencies: [], acked: new Map() };
  const state = await work.read([a, b]);
  work.reset(a, state.get(a.applicationId));
  work.reset(b, state.get(b.applicationId));
  await work.save(a, stats);
  await work.save(b, stats);
  await work.save(b, stats);
  const ids = await idsFor(url, [a, b], withReport);
  const after = await work.read([a, b]);
  ids[0].version = after.get(a.applicationId).version;
  const capturedA = await captureOne(child, () => work.save(a, stats));
  ids[1].version = after.get(b.applicationId).version;
  const capturedB = await captureOne(child, () => work.save(b, stats));
  if (stats.ok !== 5) throw new Error(`the capture saves were refused: ${stats.firstOther ?? `${stats.conflicts} conflicts`}`);
  return { statements: capturedA, build: template(capturedA, ids[0], capturedB, ids[1], false), withReport };
}

async function idsFor(url, officers, withReport) {
  const ids = await idsOf(url, officers);
  if (!withReport) return ids;
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query(`SELECT application_id, id FROM kpi_report WHERE kind = 'interim' AND application_id = ANY($1)`, [
      officers.map((o) => o.applicationId),
    ]);
    const reportOf = new Map(rows.map((r) => [r.application_id, r.id]));
    return ids.map((i) => ({ ...i, reportId: reportOf.get(i.applicationId) }));
  } finally {
    await db.end();
  }
}

async function onServer(url) {
  const capture = join(__dirname, 'rush-capture.js');
  const platform = { child: await startPlatform({ DATABASE_URL: url }, capture), capturing: true };
  let officers, result;
  try {
    officers = await prepareDrafts(OFFICERS, ACTIONS);
    note(`PostgreSQL server: ${officers.length} officers with a draft each`);
    let reportsOpen = false;
    const database = `PostgreSQL server${WORKERS > 1 ? `, ${WORKERS} workers` : ''}`;
    // Before each load: one save captured on a single-process platform (the capture answers over its IPC channel),
    // then the load on WORKERS processes.
    result = await deadline(database, url, officers, async (work) => {
      if (!platform.capturing) {
        await stop(platform.child);
        platform.child = await startPlatform({ DATABASE_URL: url }, capture);
      }
      const captured = await captureSave(platform.child, url, work, officers, reportsOpen);
      reportsOpen = true;
      await stop(platform.child);
      platform.child = await startPlatform({ DATABASE_URL: url, WORKERS: String(WORKERS) });
      platform.capturing = false;
      return captured;
    });
  } finally {
    await stop(platform.child);
  }
  // The baseline: each captured save replayed back to back by as many plain pg clients as the closed loop had.
  for (const [kind, versions] of [
    ['application', VERSIONS.application],
    ['report', VERSIONS.interimReport],
  ]) {
    const { build, statements } = result.captured[kind];
    const clients = await idsFor(url, officers, kind === 'report');
    const meter = cpuMeter();
    const replayed = await replay(url, build, clients.slice(0, CLIENTS), SECONDS, versions);
    const cpu = meter.stop();
    const writes = statements.filter((s) => isWrite(s.text)).length;
    result.runs.push({
      database: 'PostgreSQL server',
      label: `plain pg replay of one ${kind === 'application' ? 'application draft' : 'interim report'} save (${build.count} statements, ${writes} writes), ${Math.min(CLIENTS, clients.length)} clients`,
      replay: true,
      ...replayed,
      cpu,
    });
    note(`PostgreSQL server: ${kind} replay done (${replayed.latencies.length} transactions, ${replayed.errors} errors)`);
  }
  return result;
}

function report(results) {
  for (const [kind, captured] of Object.entries(results.find((r) => r.captured.application)?.captured ?? {})) {
    print(`\nStatements of one ${kind} save on the PostgreSQL server: ${captured.statements.length}`);
    captured.statements.forEach((s, i) =>
      print(`${String(i + 1).padStart(2)}. ${isWrite(s.text) ? 'W' : ' '} ${s.text.replace(/\s+/g, ' ').trim().slice(0, 150)}`),
    );
  }
  printRuns(
    print,
    `Deadline rush (issue 13), open model ${RATE} saves/s`,
    results.flatMap((r) => r.runs),
  );
  print('');
  for (const r of results) {
    const { submitted, approved, reported } = r.rounds;
    print(
      `- ${r.database}, ${r.officers} officers: ${submitted.passed} applications submitted, ${approved.passed} approved, ${reported.passed} interim reports submitted; stored: applications ${counted(r.stored.applications)}; interim reports ${counted(r.stored.reports)}`,
    );
    for (const [what, result] of Object.entries(r.rounds)) if (result.firstRefusal) print(`  first refusal (${what}): ${result.firstRefusal}`);
  }
}

async function run() {
  const results = [];
  if (TARGETS.includes('embedded')) results.push(await onEmbedded());
  if (TARGETS.includes('server')) results.push(await withThrowawayDatabase(SERVER, 'ps_bench_deadline', onServer));
  report(results);
  agent.destroy();
}

run().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
