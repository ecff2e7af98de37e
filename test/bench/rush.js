// The deadline rush (issue 15); run with `npm run build && npm run bench:rush`. Prints figures only.
// Starts the built platform (DEMO_DATA=true) on the embedded PGlite (temp DATA_DIR) and on a throwaway
// database of the PostgreSQL server (BENCH_DATABASE_URL), creates BENCH_DRAFTS drafts through the API,
// each with an officer and an API token of its own, and has every officer save ITS OWN draft:
//   - open model: saves arrive at a fixed rate (BENCH_RATES), round robin over the drafts, whatever the answers;
//   - closed loop: BENCH_CLIENTS officers, each saving again as soon as the previous save is answered;
// each for BENCH_SECONDS (on the server again with the platform in BENCH_WORKERS processes); the form of each save has BENCH_ACTIONS lines and priorities. After every run: each draft's version went up by exactly its acknowledged
// saves, and each stored save wrote one audit row. On the server, the statements of one save are
// captured (rush-capture.js) and replayed through plain `pg` by BENCH_CLIENTS clients: all of them,
// and just the writes. See docs/rush.md.
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir, cpus, totalmem } = require('node:os');
const { join } = require('node:path');
const { Client } = require('pg');
const { withThrowawayDatabase } = require('./throwaway-database');
const { call, startPlatform, stop, prepareDrafts, tokenFor, pool, agent, sleep, PORT, ADMIN, DEMO_PASSWORD } = require('./rush-http');
const { startProxy } = require('./round-robin-proxy');
const { captureOne, template, idsOf, replay, isWrite } = require('./rush-replay');

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const RATES = (process.env.BENCH_RATES ?? '50,100,150,200')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const DRAFTS = Number(process.env.BENCH_DRAFTS ?? 160);
const TARGETS = (process.env.BENCH_TARGETS ?? 'embedded,server').split(',').map((t) => t.trim());
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 10_000);
const ACTIONS = Number(process.env.BENCH_ACTIONS ?? 4);
// On the server the runs are repeated with the platform in this many processes (WORKERS); 1 is the captured run.
const WORKERS = (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number);
// And with this many platform instances behind a round-robin proxy (round-robin-proxy.js); 1: not run.
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 2);

const print = (line) => process.stdout.write(`${line}\n`);
const note = (line) => process.stderr.write(`${line}\n`);

/**
 * One save of the officer's own draft with the version it knows, as its form sends it: BENCH_ACTIONS
 * lines (one per action) with their priorities; the first line's planned reach alternates 1, 2 so every
 * save changes something, the others stay at 1.
 */
async function save(officer, stats) {
  const reach = officer.reach === 1 ? 2 : 1;
  const lines = officer.lines.map((l, i) => ({ kpiLineId: l.id, plannedReach: i === 0 ? reach : 1, currentReach: 0 }));
  const body = { version: officer.version, lines, priorities: officer.lines.map((l, i) => ({ actionNumber: l.actionNumber, priority: i + 1 })) };
  const t0 = performance.now();
  stats.sent++;
  const res = await call('PUT', `/api/v1/applications/${officer.applicationId}`, { headers: officer.auth, body, timeoutMs: TIMEOUT_MS });
  if (typeof res.status === 'number') stats.latencies.push(performance.now() - t0);
  if (res.status >= 200 && res.status < 300) {
    stats.ok++;
    stats.acked.set(officer.applicationId, (stats.acked.get(officer.applicationId) ?? 0) + 1);
    if (res.json.version > officer.version) Object.assign(officer, { version: res.json.version, reach });
    return true;
  }
  if (res.status === 409) stats.conflicts++;
  else if (res.status === 503) stats.busy++;
  else if (typeof res.status === 'number') {
    stats.other++;
    stats.firstOther ??= `${res.status} ${res.text.slice(0, 200)}`;
  } else stats.failed++;
  return false;
}

/** After a refused or unanswered save: read the draft again, as the officer's page would. */
async function refresh(officer) {
  if (officer.refreshing) return;
  officer.refreshing = true;
  const res = await call('GET', `/api/v1/applications/${officer.applicationId}`, { headers: officer.auth, timeoutMs: 30_000 });
  if (res.status === 200)
    Object.assign(officer, { version: res.json.version, reach: res.json.lines.find((l) => l.id === officer.lines[0].id)?.plannedReach ?? officer.reach });
  officer.refreshing = false;
}

const newStats = (label) => ({ label, sent: 0, ok: 0, conflicts: 0, busy: 0, other: 0, failed: 0, latencies: [], acked: new Map() });

/** Open model: `rate` saves per second, round robin over the drafts, sent whether or not earlier ones were answered. */
async function openModel(officers, rate) {
  const stats = newStats(`open model ${rate} saves/s`);
  const inFlight = new Set();
  const started = performance.now();
  const total = Math.round(rate * SECONDS);
  for (let sent = 0; sent < total;) {
    const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
    for (; sent < due; sent++) {
      const officer = officers[sent % officers.length];
      const p = save(officer, stats).then((ok) => ok || refresh(officer));
      inFlight.add(p);
      p.finally(() => inFlight.delete(p));
    }
    await sleep(Math.max(1, Math.min(10, 1000 / rate)));
  }
  await Promise.all(inFlight);
  return { ...stats, elapsed: (performance.now() - started) / 1000 };
}

/** Closed loop: `clients` officers, each saving again as soon as its previous save was answered. */
async function closedLoop(officers, clients) {
  const stats = newStats(`closed loop, ${clients} clients`);
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    officers.slice(0, clients).map(async (officer) => {
      while (performance.now() < deadline) if (!(await save(officer, stats))) await refresh(officer);
    }),
  );
  return { ...stats, elapsed: (performance.now() - started) / 1000 };
}

/** Versions and draft-saved audit rows per draft: straight from the server, or through the API (history) on PGlite. */
function stateReader(url) {
  if (url) {
    return async (officers) => {
      const db = new Client({ connectionString: url });
      await db.connect();
      try {
        const ids = officers.map((o) => o.applicationId);
        // The first line's planned reach too: the next save must change it, or it would change nothing and write nothing.
        const versions = await db.query(
          `SELECT a.id, a.version, l.planned_reach FROM unnest($1::int[], $2::int[]) AS o(id, kpi_line_id)
             JOIN application a ON a.id = o.id JOIN application_line l ON l.application_id = a.id AND l.kpi_line_id = o.kpi_line_id`,
          [ids, officers.map((o) => o.lines[0].id)],
        );
        const audits = await db.query(
          `SELECT entity_id, count(*)::int AS n FROM audit_event WHERE entity_type = 'application' AND action = 'draft-saved' AND entity_id = ANY($1) GROUP BY entity_id`,
          [ids.map(String)],
        );
        const audit = new Map(audits.rows.map((r) => [Number(r.entity_id), r.n]));
        return new Map(versions.rows.map((r) => [r.id, { version: r.version, reach: r.planned_reach, audit: audit.get(r.id) ?? 0 }]));
      } finally {
        await db.end();
      }
    };
  }
  return async (officers) => {
    const rows = await pool(officers, 8, async (o) => {
      const draft = await call('GET', `/api/v1/applications/${o.applicationId}`, { headers: o.auth });
      const history = await call('GET', `/api/v1/history/application/${o.applicationId}`, { headers: o.auth });
      if (draft.status !== 200 || history.status !== 200) throw new Error(`cannot read draft ${o.applicationId}: ${draft.status}/${history.status}`);
      const reach = draft.json.lines.find((l) => l.id === o.lines[0].id)?.plannedReach;
      return [o.applicationId, { version: draft.json.version, reach, audit: history.json.filter((e) => e.action === 'draft-saved').length }];
    });
    return new Map(rows);
  };
}

/** Waits until no version changes for a second (saves whose client gave up may still be committing), then compares. */
async function check(read, officers, before, stats) {
  let after = await read(officers);
  for (let i = 0; i < 60; i++) {
    await sleep(1000);
    const again = await read(officers);
    const same = [...again].every(([id, s]) => after.get(id).version === s.version);
    after = again;
    if (same) break;
  }
  let stored = 0,
    lost = 0,
    unanswered = 0,
    auditMismatch = 0;
  for (const o of officers) {
    const delta = after.get(o.applicationId).version - before.get(o.applicationId).version;
    const acked = stats.acked.get(o.applicationId) ?? 0;
    stored += delta;
    lost += Math.max(0, acked - delta);
    unanswered += Math.max(0, delta - acked);
    auditMismatch += Math.abs(after.get(o.applicationId).audit - before.get(o.applicationId).audit - delta);
  }
  return { stored, lost, unanswered, auditMismatch, after };
}

async function runAll(label, read, officers) {
  const runs = [];
  const plans = [...RATES.map((rate) => () => openModel(officers, rate)), () => closedLoop(officers, Math.min(CLIENTS, officers.length))];
  let before = await read(officers);
  for (const plan of plans) {
    for (const o of officers) Object.assign(o, { version: before.get(o.applicationId).version, reach: before.get(o.applicationId).reach });
    const stats = await plan();
    const verdict = await check(read, officers, before, stats);
    before = verdict.after;
    runs.push({ database: label, ...stats, ...verdict });
    note(`${label}: ${stats.label} done (${stats.ok} saves acknowledged, ${verdict.stored} stored)`);
  }
  return runs;
}

async function onEmbedded() {
  const dataDir = mkdtempSync(join(tmpdir(), 'ps-bench-rush-'));
  try {
    const child = await startPlatform({ DATA_DIR: dataDir, DATABASE_URL: '' });
    try {
      const officers = await prepareDrafts(DRAFTS, ACTIONS);
      note(`embedded PGlite: ${officers.length} drafts ready`);
      return { runs: await runAll('embedded PGlite', stateReader(null), officers) };
    } finally {
      await stop(child);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function onServer(url) {
  const child = await startPlatform({ DATABASE_URL: url }, join(__dirname, 'rush-capture.js'));
  let officers, captured, build, buildWrites;
  const runs = [];
  try {
    officers = await prepareDrafts(DRAFTS, ACTIONS);
    note(`PostgreSQL server: ${officers.length} drafts ready`);
    // Two captures, on drafts A and B at different versions, tell the per-draft parameters from the constants.
    const [a, b] = officers.slice(-2);
    const ids = await idsOf(url, [a, b]);
    const stats = newStats('capture');
    await save(a, stats); // warm up
    await save(b, stats);
    await save(b, stats);
    ids[0].version = a.version;
    const capturedA = await captureOne(child, () => save(a, stats));
    ids[1].version = b.version;
    const capturedB = await captureOne(child, () => save(b, stats));
    if (stats.ok !== 5) throw new Error(`the capture saves were refused: ${stats.firstOther ?? `${stats.conflicts} conflicts`}`);
    captured = capturedA;
    build = template(capturedA, ids[0], capturedB, ids[1], false);
    buildWrites = template(capturedA, ids[0], capturedB, ids[1], true);
    runs.push(...(await runAll('PostgreSQL server', stateReader(url), officers)));
  } finally {
    await stop(child);
  }
  // The same drafts and tokens, the platform now in several processes on the same port (WORKERS).
  for (const workers of WORKERS.filter((n) => n > 1)) {
    const several = await startPlatform({ DATABASE_URL: url, WORKERS: String(workers) });
    try {
      runs.push(...(await runAll(`PostgreSQL server, ${workers} workers`, stateReader(url), officers)));
    } finally {
      await stop(several);
    }
  }
  if (INSTANCES > 1) runs.push(...(await behindProxy(url, officers)));
  const drafts = await idsOf(url, officers.slice(0, Math.min(CLIENTS, officers.length)));
  for (const [name, b] of [
    [`plain pg replay, all ${build.count} statements of one save`, build],
    [`plain pg replay, the ${buildWrites.count} statements of its transaction and writes`, buildWrites],
  ]) {
    const result = await replay(url, b, drafts, SECONDS);
    runs.push({ database: 'PostgreSQL server', label: `${name}, ${drafts.length} clients`, replay: true, ...result });
    note(`PostgreSQL server: ${name} done (${result.latencies.length} transactions, ${result.errors} errors)`);
  }
  return { runs, captured, swapped: build.swapped };
}

/**
 * INSTANCES platforms (one process each) on the same database, each on a port of its own, behind the round-robin
 * proxy on the benchmark's port. First an officer signs in and issues a token through the proxy (form, sign-in,
 * account page and token form each answered by the next instance: the session and its CSRF token live in
 * PostgreSQL), then the same runs.
 */
async function behindProxy(url, officers) {
  const instances = [];
  let proxy;
  try {
    for (let i = 1; i <= INSTANCES; i++) instances.push(await startPlatform({ DATABASE_URL: url }, undefined, PORT + i));
    proxy = await startProxy(
      PORT,
      instances.map((_, i) => PORT + i + 1),
    );
    await tokenFor(ADMIN, DEMO_PASSWORD);
    note(`PostgreSQL server, ${INSTANCES} instances: signed in and issued a token through the proxy (answers per instance: ${proxy.answered.join(', ')})`);
    return await runAll(`PostgreSQL server, ${INSTANCES} instances behind a proxy`, stateReader(url), officers);
  } finally {
    await proxy?.close();
    for (const instance of instances) await stop(instance);
  }
}

function percentile(sorted, q) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

const ms = (value) => (Number.isNaN(value) ? '–' : value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`);
const oneLine = (text) => text.replace(/\s+/g, ' ').trim();

function report(results) {
  const server = results.find((r) => r.captured);
  if (server) {
    const writes = server.captured.filter((s) => isWrite(s.text)).length;
    print(
      `\nStatements of one draft save on the PostgreSQL server: ${server.captured.length} (${writes} writes); ${server.swapped} parameters are the draft's own ids or version\n`,
    );
    server.captured.forEach((s, i) => print(`${String(i + 1).padStart(2)}. ${isWrite(s.text) ? 'W' : ' '} ${oneLine(s.text).slice(0, 160)}`));
  }
  print(`\nDeadline rush, ${SECONDS} s per run, request time limit ${TIMEOUT_MS / 1000} s; ${new Date().toISOString().slice(0, 10)}`);
  print(`Machine: ${cpus().length} × ${cpus()[0].model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`);
  print('| database | run | sent | 2xx | 409 | 503 | other | timeout / connection error | p50 | p95 | p99 | max | saves/s | every acknowledged save stored |');
  print('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const run of results.flatMap((r) => r.runs)) {
    const sorted = [...run.latencies].sort((x, y) => x - y);
    const figures = `${ms(percentile(sorted, 0.5))} | ${ms(percentile(sorted, 0.95))} | ${ms(percentile(sorted, 0.99))} | ${ms(sorted.at(-1) ?? NaN)}`;
    if (run.replay) {
      print(
        `| ${run.database} | ${run.label} | ${sorted.length + run.errors} tx | ${sorted.length} | – | – | ${run.errors} errors | – | ${figures} | ${Math.round(sorted.length / run.elapsed)} tx/s | ${run.bumped === sorted.length ? `yes: ${run.bumped} versions = ${sorted.length} tx` : `NO: ${run.bumped} versions for ${sorted.length} tx`} |`,
      );
      continue;
    }
    const verdict =
      run.lost === 0 && run.auditMismatch === 0
        ? `yes: ${run.stored} stored = ${run.stored} audit rows`
        : `NO: ${run.lost} lost, ${run.auditMismatch} audit rows off`;
    const unanswered = run.unanswered > 0 ? `; ${run.unanswered} stored without an answer` : '';
    print(
      `| ${run.database} | ${run.label} | ${run.sent} | ${run.ok} | ${run.conflicts} | ${run.busy} | ${run.other} | ${run.failed} | ${figures} | ${Math.round(run.ok / run.elapsed)} | ${verdict}${unanswered} |`,
    );
  }
  for (const run of results.flatMap((r) => r.runs)) {
    if (run.firstOther) print(`\n${run.database}, ${run.label}: first other answer: ${run.firstOther}`);
    if (run.firstError) print(`\n${run.database}, ${run.label}: first replay error: ${run.firstError}`);
  }
}

async function run() {
  const results = [];
  if (TARGETS.includes('embedded')) results.push(await onEmbedded());
  if (TARGETS.includes('server')) results.push(await withThrowawayDatabase(SERVER, 'ps_bench_rush', onServer));
  report(results);
  agent.destroy();
}

run().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
