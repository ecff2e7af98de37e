// Fault 1: PostgreSQL restarted during a rush of draft saves (issue 13). On a private PostgreSQL cluster of
// this run (see common.js; without one, an outage of the shared server's throwaway database instead:
// its connections terminated and new ones refused), FAULTS_CLIENTS officers save their own drafts on the
// built platform; after FAULTS_BEFORE_S seconds the cluster is stopped (fast), left down FAULTS_DOWN_S
// seconds and started again; the saves go on FAULTS_AFTER_S seconds more. Checks: during the outage only
// 503 with Retry-After (no 500, no answer later than the client's time limit), saves succeed again after the
// restart in the same platform process, every acknowledged save stored with exactly its audit row, nothing
// half-written, no transaction left open. Run alone: `node test/faults/pg-restart.js`.
const {
  check,
  ensureBuilt,
  freePort,
  machine,
  note,
  onCleanup,
  print,
  privateCluster,
  query,
  reachable,
  scenario,
  sleep,
  stopPlatform,
  throwawayDatabase,
} = require('./common');

const CLIENTS = Number(process.env.FAULTS_CLIENTS ?? 20);
const BEFORE_S = Number(process.env.FAULTS_BEFORE_S ?? 5);
const DOWN_S = Number(process.env.FAULTS_DOWN_S ?? 3);
const AFTER_S = Number(process.env.FAULTS_AFTER_S ?? 10);
const TIMEOUT_MS = Number(process.env.FAULTS_TIMEOUT_MS ?? 10_000);
const SHARED = process.env.FAULTS_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The outage: stop and start the private cluster, or (fallback) shut the throwaway database of the shared server. */
async function outageOf(cluster, url) {
  if (cluster) {
    return {
      how: `private cluster (${cluster.version}), pg_ctl stop -m fast, ${DOWN_S} s down, pg_ctl start`,
      begin: () => cluster.stop(),
      end: () => cluster.start(),
    };
  }
  const name = new URL(url).pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  return {
    how: `shared server: ALTER DATABASE ${name} ALLOW_CONNECTIONS false + pg_terminate_backend of its connections, ${DOWN_S} s, then allowed again`,
    begin: async () => {
      await query(admin.toString(), `ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await query(admin.toString(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
    },
    end: () => query(admin.toString(), `ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`),
  };
}

scenario('PostgreSQL restarted during a rush of draft saves', async () => {
  ensureBuilt();
  process.env.BENCH_PORT = String(await freePort());
  const { startPlatform, stop, prepareDrafts, agent } = require('../bench/rush-http');
  const { saveLoop, stateReader, compare, settled, warmUp } = require('./drafts');
  onCleanup(() => agent.destroy());

  const cluster = await privateCluster();
  let url;
  if (cluster) url = await throwawayDatabase(cluster.url, 'ps_faults');
  else if (await reachable(SHARED)) {
    note('no private cluster: falling back to an outage of a throwaway database on the shared server');
    url = await throwawayDatabase(SHARED, `ps_faults_restart_${process.pid}`);
  } else throw new Error(`neither a private PostgreSQL cluster nor the server at ${SHARED}`);
  const outage = await outageOf(cluster, url);
  print(`machine: ${machine()}`);
  print(`database: ${outage.how}`);

  const child = await startPlatform({ DATABASE_URL: url });
  onCleanup(() => stopPlatform(stop, child));
  const officers = await prepareDrafts(CLIENTS, 4);
  await warmUp(officers);
  const read = stateReader(url);
  const before = await read(officers);

  const log = [];
  const acked = [];
  let done = false;
  const t0 = Date.now();
  const load = saveLoop(officers, { until: () => done, log, acked, timeoutMs: TIMEOUT_MS });
  await sleep(BEFORE_S * 1000);
  const downAt = Date.now();
  await outage.begin();
  const stoppedAt = Date.now();
  await sleep(DOWN_S * 1000);
  await outage.end();
  const upAt = Date.now();
  await sleep(AFTER_S * 1000);
  done = true;
  await load;
  const after = await settled(read, officers);

  const sec = (t) => `${((t - t0) / 1000).toFixed(1)} s`;
  const ok = (e) => typeof e.status === 'number' && e.status >= 200 && e.status < 300;
  const during = log.filter((e) => e.answeredAt >= downAt && e.sentAt <= upAt);
  const afterUp = log.filter((e) => e.sentAt > upAt);
  const tally = (entries) => {
    const by = new Map();
    for (const e of entries) by.set(String(e.status), (by.get(String(e.status)) ?? 0) + 1);
    return [...by].map(([status, n]) => `${status}: ${n}`).join(', ') || 'none';
  };
  print(
    `timeline: load from 0 s, stop at ${sec(downAt)} (down by ${sec(stoppedAt)}), started again by ${sec(upAt)}, load ended ${sec(Date.now())}; ${CLIENTS} clients, time limit ${TIMEOUT_MS / 1000} s`,
  );
  print(
    `answers: ${log.length} saves (${tally(log)}); during the outage ${during.length} (${tally(during)}); after the restart ${afterUp.length} (${tally(afterUp)})`,
  );

  const unexpected = log.filter((e) => typeof e.status === 'number' && !ok(e) && e.status !== 409 && e.status !== 503);
  check(
    unexpected.length === 0,
    'every answer is 2xx, 409 or 503 (no 500)',
    unexpected.length ? `${unexpected.length} others, first: ${unexpected[0].status} ${unexpected[0].text}` : '',
  );
  const unanswered = log.filter((e) => typeof e.status !== 'number');
  check(
    unanswered.length === 0,
    `every save answered within the client's ${TIMEOUT_MS / 1000} s`,
    unanswered.length ? `${unanswered.length} timeouts/connection errors, first: ${unanswered[0].status} ${unanswered[0].text ?? ''}` : '',
  );
  const slowest = Math.max(0, ...log.filter((e) => typeof e.status === 'number').map((e) => e.answeredAt - e.sentAt));
  print(`slowest answer: ${slowest} ms`);
  const refused = during.filter((e) => e.status === 503);
  check(refused.length > 0, 'the outage is answered with 503', tally(during));
  const withoutHint = log.filter((e) => e.status === 503 && !/^\d+$/.test(e.retryAfter ?? ''));
  check(
    withoutHint.length === 0,
    'every 503 carries a Retry-After header (seconds)',
    withoutHint.length ? `${withoutHint.length} without` : `e.g. Retry-After: ${refused[0]?.retryAfter}`,
  );
  const firstOk = afterUp.find(ok);
  check(child.exitCode === null && child.signalCode === null, 'the platform process kept running (no restart)');
  check(
    firstOk !== undefined,
    'saves succeed again after the restart',
    firstOk ? `first 2xx ${firstOk.answeredAt - upAt} ms after the database was back` : tally(afterUp),
  );
  const lastSecond = officers.map((o) => log.filter((e) => e.officer === o.applicationId).at(-1));
  check(
    lastSecond.every((e) => e && ok(e)),
    "every officer's last save succeeded",
    lastSecond
      .filter((e) => !e || !ok(e))
      .map((e) => `${e?.officer}: ${e?.status}`)
      .join(', '),
  );
  const health = await fetch(`http://127.0.0.1:${process.env.BENCH_PORT}/health`);
  check(health.status === 200, '/health answers 200 after the restart', String(health.status));

  const verdict = compare(officers, before, after, acked);
  print(
    `stored: ${verdict.stored} saves for ${acked.length} acknowledged (${verdict.unanswered} stored without a 2xx answer: refused or lost answers that committed)`,
  );
  check(verdict.problems.lost.length === 0, 'every acknowledged save is stored', verdict.problems.lost.slice(0, 3).join('; '));
  check(verdict.problems.audit.length === 0, 'every stored save has exactly one draft-saved audit row', verdict.problems.audit.slice(0, 3).join('; '));
  check(verdict.problems.chain.length === 0, 'the audit rows follow one another and end in the stored draft', verdict.problems.chain.slice(0, 3).join('; '));
  check(verdict.problems.halfWritten.length === 0, 'no draft half-written (lines match the version)', verdict.problems.halfWritten.slice(0, 3).join('; '));
  const open = await query(url, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`);
  check(open[0].n === 0, 'no transaction left open on the database', `${open[0].n} idle in transaction`);
});
