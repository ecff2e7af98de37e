// The load shapes of the rush benchmarks (rush.js, deadline.js), for any kind of save: an open model at a fixed
// arrival rate and a closed loop, each followed by the check that every acknowledged save is stored.
// A workload is { name, save(officer, stats) → Promise<boolean>, refresh(officer), read(officers) → Map(applicationId →
// { version, audit, ... }), reset(officer, state) }: `read` gives each officer's record version and its audit rows.
const { Client } = require('pg');
const { call, pool, sleep } = require('./rush-http');
const { cpuMeter, perUnit } = require('./cpu-meter');

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 10_000);

/**
 * Each officer's record version, its audit rows with `action` and what `sql` adds (the value the next save changes):
 * on the server straight from the database (`sql` gets the officers' application ids and first KPI lines and answers
 * id, version and the rest), on PGlite (one process owns the files) through the API: `api.path(officer)` and
 * `api.state(json, officer)`, and the application's history as the draft's officer.
 */
function stateReader(url, { action, sql, api }) {
  if (url) {
    return async (officers) => {
      const db = new Client({ connectionString: url });
      await db.connect();
      try {
        const ids = officers.map((o) => o.applicationId);
        const records = await db.query(sql, [ids, officers.map((o) => o.lines[0].id)]);
        const audits = await db.query(
          `SELECT entity_id, count(*)::int AS n FROM audit_event WHERE entity_type = 'application' AND action = $2 AND entity_id = ANY($1) GROUP BY entity_id`,
          [ids.map(String), action],
        );
        const audit = new Map(audits.rows.map((r) => [Number(r.entity_id), r.n]));
        return new Map(records.rows.map(({ id, ...state }) => [id, { ...state, audit: audit.get(id) ?? 0 }]));
      } finally {
        await db.end();
      }
    };
  }
  return async (officers) => {
    const rows = await pool(officers, 8, async (o) => {
      const record = await call('GET', api.path(o), { headers: o.auth });
      const history = await call('GET', `/api/v1/history/application/${o.applicationId}`, { headers: o.auth });
      if (record.status !== 200 || history.status !== 200) throw new Error(`cannot read ${api.path(o)}: ${record.status}/${history.status}`);
      return [o.applicationId, { ...api.state(record.json, o), audit: history.json.filter((e) => e.action === action).length }];
    });
    return new Map(rows);
  };
}

/**
 * Draft saves of the officer's own application, as its form sends them: the officer's lines (one per action) with
 * their priorities; the first line's planned reach alternates 1, 2 so every save changes something (a save that
 * changes nothing writes nothing), the others stay at 1.
 */
function applicationDrafts(url) {
  const state = (json, o) => ({ version: json.version, reach: json.lines.find((l) => l.id === o.lines[0].id)?.plannedReach });
  const read = stateReader(url, {
    action: 'draft-saved',
    // The first line's planned reach too: the next save must change it.
    sql: `SELECT a.id, a.version, l.planned_reach AS reach FROM unnest($1::int[], $2::int[]) AS o(id, kpi_line_id)
            JOIN application a ON a.id = o.id JOIN application_line l ON l.application_id = a.id AND l.kpi_line_id = o.kpi_line_id`,
    api: { path: (o) => `/api/v1/applications/${o.applicationId}`, state },
  });
  return {
    name: 'draft saves',
    read,
    reset: (o, s) => Object.assign(o, { version: s.version, reach: s.reach }),
    async save(officer, stats) {
      const reach = officer.reach === 1 ? 2 : 1;
      const lines = officer.lines.map((l, i) => ({ kpiLineId: l.id, plannedReach: i === 0 ? reach : 1, currentReach: 0 }));
      const priorities = officer.lines.map((l, i) => ({ actionNumber: l.actionNumber, priority: i + 1 }));
      const json = await countedSave(stats, officer, 'PUT', `/api/v1/applications/${officer.applicationId}`, { version: officer.version, lines, priorities });
      if (json && json.version > officer.version) Object.assign(officer, { version: json.version, reach });
      return json !== undefined;
    },
    refresh: (officer) =>
      refreshOnce(officer, async () => {
        const res = await call('GET', `/api/v1/applications/${officer.applicationId}`, { headers: officer.auth, timeoutMs: 30_000 });
        if (res.status === 200) Object.assign(officer, state(res.json, officer));
      }),
  };
}

const newStats = (label) => ({ label, sent: 0, ok: 0, conflicts: 0, busy: 0, other: 0, failed: 0, latencies: [], acked: new Map() });

/** Sends one save and counts its outcome; answers the JSON of a 2xx, or undefined. */
async function countedSave(stats, officer, method, path, body) {
  const t0 = performance.now();
  stats.sent++;
  const res = await call(method, path, { headers: officer.auth, body, timeoutMs: TIMEOUT_MS });
  if (typeof res.status === 'number') stats.latencies.push(performance.now() - t0);
  if (res.status >= 200 && res.status < 300) {
    stats.ok++;
    stats.acked.set(officer.applicationId, (stats.acked.get(officer.applicationId) ?? 0) + 1);
    return res.json;
  }
  if (res.status === 409) stats.conflicts++;
  else if (res.status === 503) stats.busy++;
  else if (typeof res.status === 'number') {
    stats.other++;
    stats.firstOther ??= `${res.status} ${res.text.slice(0, 200)}`;
  } else stats.failed++;
  return undefined;
}

/** After a refused or unanswered save: read the record again (once at a time per officer), as the officer's page would. */
async function refreshOnce(officer, read) {
  if (officer.refreshing) return;
  officer.refreshing = true;
  try {
    await read();
  } finally {
    officer.refreshing = false;
  }
}

/** Open model: `rate` saves per second, round robin over the officers, sent whether or not earlier ones were answered. */
async function openModel(work, officers, rate) {
  const stats = newStats(`${work.name}: open model ${rate} saves/s`);
  const inFlight = new Set();
  const started = performance.now();
  const total = Math.round(rate * SECONDS);
  for (let sent = 0; sent < total;) {
    const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
    for (; sent < due; sent++) {
      const officer = officers[sent % officers.length];
      const p = work.save(officer, stats).then((ok) => ok || work.refresh(officer));
      inFlight.add(p);
      p.finally(() => inFlight.delete(p));
    }
    await sleep(Math.max(1, Math.min(10, 1000 / rate)));
  }
  await Promise.all(inFlight);
  return { ...stats, elapsed: (performance.now() - started) / 1000 };
}

/** Closed loop: `clients` officers, each saving again as soon as its previous save was answered. */
async function closedLoop(work, officers, clients) {
  const stats = newStats(`${work.name}: closed loop, ${clients} clients`);
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    officers.slice(0, clients).map(async (officer) => {
      while (performance.now() < deadline) if (!(await work.save(officer, stats))) await work.refresh(officer);
    }),
  );
  return { ...stats, elapsed: (performance.now() - started) / 1000 };
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

/** Runs each plan (open model at each rate, then the closed loop) and checks the stored saves after each. */
async function runAll(database, work, officers, { rates, clients, note }) {
  const runs = [];
  const plans = [...rates.map((rate) => () => openModel(work, officers, rate)), () => closedLoop(work, officers, Math.min(clients, officers.length))];
  let before = await work.read(officers);
  for (const plan of plans) {
    for (const o of officers) work.reset(o, before.get(o.applicationId));
    const meter = cpuMeter();
    const stats = { ...(await plan()), cpu: meter.stop() };
    const verdict = await check(work.read, officers, before, stats);
    before = verdict.after;
    runs.push({ database, ...stats, ...verdict });
    note(`${database}: ${stats.label} done (${stats.ok} saves acknowledged, ${verdict.stored} stored)`);
  }
  return runs;
}

function percentile(sorted, q) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

const ms = (value) => (Number.isNaN(value) ? '–' : value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`);

const TABLE_HEAD = [
  '| database | run | sent | 2xx | 409 | 503 | other | timeout / connection error | p50 | p95 | p99 | max | saves/s | every acknowledged save stored |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
];

/** One table row of a run: a load run, or a plain `pg` replay ({ replay: true, errors, bumped }). */
function tableRow(run) {
  const sorted = [...run.latencies].sort((x, y) => x - y);
  const figures = `${ms(percentile(sorted, 0.5))} | ${ms(percentile(sorted, 0.95))} | ${ms(percentile(sorted, 0.99))} | ${ms(sorted.at(-1) ?? NaN)}`;
  if (run.replay) {
    const verdict = run.bumped === sorted.length ? `yes: ${run.bumped} versions = ${sorted.length} tx` : `NO: ${run.bumped} versions for ${sorted.length} tx`;
    return `| ${run.database} | ${run.label} | ${sorted.length + run.errors} tx | ${sorted.length} | – | – | ${run.errors} errors | – | ${figures} | ${Math.round(sorted.length / run.elapsed)} tx/s | ${verdict} |`;
  }
  const verdict =
    run.lost === 0 && run.auditMismatch === 0
      ? `yes: ${run.stored} stored = ${run.stored} audit rows`
      : `NO: ${run.lost} lost, ${run.auditMismatch} audit rows off`;
  const unanswered = run.unanswered > 0 ? `; ${run.unanswered} stored without an answer` : '';
  return `| ${run.database} | ${run.label} | ${run.sent} | ${run.ok} | ${run.conflicts} | ${run.busy} | ${run.other} | ${run.failed} | ${figures} | ${Math.round(run.ok / run.elapsed)} | ${verdict}${unanswered} |`;
}

/** The table of all runs, with the machine above it and the first odd answer or replay error of any run below it. */
function printRuns(print, title, runs) {
  const { cpus, totalmem } = require('node:os');
  print(`\n${title}, ${SECONDS} s per run, request time limit ${TIMEOUT_MS / 1000} s; ${new Date().toISOString().slice(0, 10)}`);
  print(`Machine: ${cpus().length} × ${cpus()[0].model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`);
  TABLE_HEAD.forEach(print);
  for (const run of runs) print(tableRow(run));
  printCpu(print, runs);
  for (const run of runs) {
    if (run.firstOther) print(`\n${run.database}, ${run.label}: first other answer: ${run.firstOther}`);
    if (run.firstError) print(`\n${run.database}, ${run.label}: first replay error: ${run.firstError}`);
  }
}

/**
 * Where the CPU went in each run (cpu-meter.js): milliseconds per acknowledged save or replayed transaction, per process
 * group, and the machine's busy share (100 % = every core busy). A run with less CPU per unit can go faster only where
 * the machine still has idle time.
 */
function printCpu(print, runs) {
  const measured = runs.filter((run) => run.cpu);
  if (measured.length === 0) return;
  print('\nCPU per acknowledged save or replayed transaction (ms, from /proc), and how busy the machine was:\n');
  print('| database | run | platform | PostgreSQL | load generator / replay client | rest of the machine | all | machine busy |');
  print('|---|---|---|---|---|---|---|---|');
  for (const run of measured) {
    const units = run.replay ? run.latencies.length : run.ok;
    const cpu = perUnit(run.cpu, units);
    const f = (value) => (Number.isNaN(value) ? '–' : value.toFixed(2));
    print(
      `| ${run.database} | ${run.label} | ${f(cpu.platform)} | ${f(cpu.postgres)} | ${f(cpu.client)} | ${f(cpu.rest)} | ${f(cpu.all)} | ${Math.round(run.cpu.busyShare * 100)} % |`,
    );
  }
}

module.exports = { SECONDS, TIMEOUT_MS, stateReader, applicationDrafts, countedSave, refreshOnce, runAll, printRuns, percentile, ms };
