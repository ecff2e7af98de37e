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
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { withThrowawayDatabase } = require('./throwaway-database');
const { startPlatform, stop, prepareDrafts, tokenFor, agent, PORT, ADMIN, DEMO_PASSWORD } = require('./rush-http');
const { SECONDS, applicationDrafts, runAll, printRuns } = require('./rush-load');
const { startProxy } = require('./round-robin-proxy');
const { captureOne, template, idsOf, replay, isWrite } = require('./rush-replay');
const { cpuMeter, perUnit } = require('./cpu-meter');

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const RATES = (process.env.BENCH_RATES ?? '50,100,150,200')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const DRAFTS = Number(process.env.BENCH_DRAFTS ?? 160);
const TARGETS = (process.env.BENCH_TARGETS ?? 'embedded,server').split(',').map((t) => t.trim());
const ACTIONS = Number(process.env.BENCH_ACTIONS ?? 4);
// On the server the runs are repeated with the platform in this many processes (WORKERS); 1 is the captured run.
const WORKERS = (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number);
// And with this many platform instances behind a round-robin proxy (round-robin-proxy.js); 1: not run.
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 2);

const print = (line) => process.stdout.write(`${line}\n`);
const note = (line) => process.stderr.write(`${line}\n`);
const shape = { rates: RATES, clients: CLIENTS, note };

async function onEmbedded() {
  const dataDir = mkdtempSync(join(tmpdir(), 'ps-bench-rush-'));
  try {
    const child = await startPlatform({ DATA_DIR: dataDir, DATABASE_URL: '' });
    try {
      const officers = await prepareDrafts(DRAFTS, ACTIONS);
      note(`embedded PGlite: ${officers.length} drafts ready`);
      return { runs: await runAll('embedded PGlite', applicationDrafts(null), officers, shape) };
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
    const work = applicationDrafts(url);
    const stats = { sent: 0, ok: 0, conflicts: 0, busy: 0, other: 0, failed: 0, latencies: [], acked: new Map() };
    await work.save(a, stats); // warm up
    await work.save(b, stats);
    await work.save(b, stats);
    ids[0].version = a.version;
    const capturedA = await captureOne(child, () => work.save(a, stats));
    ids[1].version = b.version;
    const capturedB = await captureOne(child, () => work.save(b, stats));
    if (stats.ok !== 5) throw new Error(`the capture saves were refused: ${stats.firstOther ?? `${stats.conflicts} conflicts`}`);
    captured = capturedA;
    build = template(capturedA, ids[0], capturedB, ids[1], false);
    buildWrites = template(capturedA, ids[0], capturedB, ids[1], true);
    runs.push(...(await runAll('PostgreSQL server', work, officers, shape)));
  } finally {
    await stop(child);
  }
  // The same drafts and tokens, the platform now in several processes on the same port (WORKERS).
  for (const workers of WORKERS.filter((n) => n > 1)) {
    const several = await startPlatform({ DATABASE_URL: url, WORKERS: String(workers) });
    try {
      runs.push(...(await runAll(`PostgreSQL server, ${workers} workers`, applicationDrafts(url), officers, shape)));
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
    const meter = cpuMeter();
    const result = await replay(url, b, drafts, SECONDS);
    runs.push({ database: 'PostgreSQL server', label: `${name}, ${drafts.length} clients`, replay: true, ...result, cpu: meter.stop() });
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
    return await runAll(`PostgreSQL server, ${INSTANCES} instances behind a proxy`, applicationDrafts(url), officers, shape);
  } finally {
    await proxy?.close();
    for (const instance of instances) await stop(instance);
  }
}

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
  const runs = results.flatMap((r) => r.runs);
  printRuns(print, 'Deadline rush', runs);
  printRatio(runs);
}

/**
 * The one-process closed loop against the replay of all its statements (issue 15's goal: at least 80 %), and the ratio the
 * CPU per unit allows when every core is busy: the machine's CPU divided by the CPU one save costs all processes together.
 */
function printRatio(runs) {
  const loop = runs.find((r) => r.database === 'PostgreSQL server' && !r.replay && r.label.includes('closed loop'));
  const replayed = runs.find((r) => r.replay && r.label.includes(' all '));
  if (!loop || !replayed) return;
  const saves = loop.ok / loop.elapsed;
  const transactions = replayed.latencies.length / replayed.elapsed;
  const pct = (x) => `${Math.round(x * 100)} %`;
  print(
    `\nClosed loop (one process) against the replay of all its statements: ${Math.round(saves)} saves/s against ${Math.round(transactions)} tx/s, ${pct(saves / transactions)}.`,
  );
  if (!loop.cpu || !replayed.cpu) return;
  const perSave = perUnit(loop.cpu, loop.ok).all;
  const perTransaction = perUnit(replayed.cpu, replayed.latencies.length).all;
  print(
    `CPU of all processes: ${perSave.toFixed(2)} ms per save, ${perTransaction.toFixed(2)} ms per replayed transaction; with every core busy in both, the closed loop could reach at most ${pct(perTransaction / perSave)} of the replay.`,
  );
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
