// Fault 2: the platform killed (SIGKILL) in the middle of a rush of saves on the embedded database, and
// started again on the same DATA_DIR (issue 13: nothing committed is lost). FAULTS_KILLS rounds: FAULTS_CLIENTS
// officers save their own drafts, the process is killed after a random 1.5–3.5 s, its stale data-directory
// lock must be taken over by the new process, and every acknowledged save must be there with exactly its
// audit row and nothing half-written; then every officer saves once more. Run alone: `node test/faults/embedded-kill.js`.
const { mkdtempSync, readFileSync, rmSync, existsSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { check, ensureBuilt, freePort, machine, onCleanup, print, scenario, sleep, stopPlatform } = require('./common');

const CLIENTS = Number(process.env.FAULTS_EMBEDDED_CLIENTS ?? 10);
const KILLS = Number(process.env.FAULTS_KILLS ?? 2);
const TIMEOUT_MS = Number(process.env.FAULTS_TIMEOUT_MS ?? 10_000);

scenario('the platform killed and restarted on the embedded database', async () => {
  ensureBuilt();
  process.env.BENCH_PORT = String(await freePort());
  const { startPlatform, stop, prepareDrafts, agent } = require('../bench/rush-http');
  const { save, saveLoop, stateReader, compare, settled, warmUp } = require('./drafts');
  onCleanup(() => agent.destroy());
  const dataDir = mkdtempSync(join(tmpdir(), 'ps-faults-embedded-'));
  onCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  print(`machine: ${machine()}`);
  print(`database: embedded PGlite in a temporary DATA_DIR; ${CLIENTS} clients, ${KILLS} kills`);

  const start = async () => {
    const child = await startPlatform({ DATA_DIR: dataDir, DATABASE_URL: '' });
    onCleanup(() => stopPlatform(stop, child));
    return child;
  };
  let child = await start();
  const officers = await prepareDrafts(CLIENTS, 4);
  await warmUp(officers);
  const read = stateReader(null);

  for (let round = 1; round <= KILLS; round++) {
    const before = await read(officers);
    const log = [];
    const acked = [];
    let done = false;
    const load = saveLoop(officers, { until: () => done, log, acked, timeoutMs: TIMEOUT_MS });
    const killAfter = 1500 + Math.round(Math.random() * 2000);
    await sleep(killAfter);
    const inFlight = log.length;
    child.kill('SIGKILL');
    await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', resolve)));
    const killedPid = child.pid;
    done = true;
    await load;
    const lock = join(dataDir, 'pglite.lock');
    const stale = existsSync(lock) ? Number(readFileSync(lock, 'utf8').trim()) : undefined;
    print(
      `round ${round}: killed pid ${killedPid} after ${killAfter} ms and ${inFlight} answers (${acked.length} acknowledged); lock file ${stale === killedPid ? 'left behind by the killed process' : `holds ${stale}`}`,
    );

    const restartedAt = Date.now();
    child = await start();
    check(true, `round ${round}: the platform started again on the same DATA_DIR (stale lock taken over) in ${Date.now() - restartedAt} ms`);
    const ownerNow = Number(readFileSync(lock, 'utf8').trim());
    check(ownerNow === child.pid, `round ${round}: the data-directory lock belongs to the new process`, `lock holds ${ownerNow}, platform is ${child.pid}`);

    const after = await settled(read, officers);
    const verdict = compare(officers, before, after, acked);
    print(
      `round ${round}: stored ${verdict.stored} saves for ${acked.length} acknowledged (${verdict.unanswered} committed without an answer before the kill)`,
    );
    check(verdict.problems.lost.length === 0, `round ${round}: every acknowledged save survived the kill`, verdict.problems.lost.slice(0, 3).join('; '));
    check(
      verdict.problems.audit.length === 0,
      `round ${round}: every stored save has exactly one draft-saved audit row`,
      verdict.problems.audit.slice(0, 3).join('; '),
    );
    check(
      verdict.problems.chain.length === 0,
      `round ${round}: the audit rows follow one another and end in the stored draft`,
      verdict.problems.chain.slice(0, 3).join('; '),
    );
    check(
      verdict.problems.halfWritten.length === 0,
      `round ${round}: no draft half-written (lines match the version)`,
      verdict.problems.halfWritten.slice(0, 3).join('; '),
    );

    // The officers' pages would read their drafts again; then each saves once more.
    for (const o of officers) Object.assign(o, { version: after.get(o.applicationId).version, reach: after.get(o.applicationId).lines.get(o.lines[0].id) });
    const again = [];
    for (const o of officers) again.push(await save(o, { log: [], acked: [], timeoutMs: TIMEOUT_MS }));
    const refused = again.filter((e) => e.status !== 200);
    check(
      refused.length === 0,
      `round ${round}: the restarted platform serves normally (a save per officer answered 200)`,
      refused
        .slice(0, 3)
        .map((e) => `${e.status} ${e.text ?? ''}`)
        .join('; '),
    );
  }
  const health = await fetch(`http://127.0.0.1:${process.env.BENCH_PORT}/health`);
  check(health.status === 200, '/health answers 200 at the end', String(health.status));
});
