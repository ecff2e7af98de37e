// ABB's review queue of KPI reports (issue 28); run with `npm run build && npm run bench:report-queue`. Prints one markdown
// table. On a throwaway database of the PostgreSQL server (BENCH_DATABASE_URL): the data generator (`cli generate --scale
// BENCH_SCALE --seed BENCH_SEED`, docs/generator.md; its reports are all accepted), then BENCH_REPORTS (300) of them set
// back to 'submitted' (spread submission times, every seventh late) so they fill the queue, an ABB administrator
// (`cli create-admin`), ANALYZE; then per build the built platform against it (with test/bench/rush-capture.js preloaded),
// signed in through the form, with an API token, and:
//   1. GET /api/v1/reports (the whole queue), 5 warm-up requests, then BENCH_REQUESTS (50) sequential ones: p50/p95/max;
//   2. the statements that one such request sends (captured, the token check included), replayed through plain `pg` on
//      one connection, BENCH_REQUESTS times after 5 warm-ups: p50/p95 of the sum, and how many statements.
// Builds: BENCH_BUILDS, comma-separated label=directory pairs of built checkouts (default "this=<repo root>"), e.g.
// "before=/tmp/rq-before,after=/tmp/rq-after" for the code before and after issue 28 (git worktrees, `npm run build` in each).
// Goal: p50 and p95 of the queue under 100 ms with 300 reports. Exits non-zero on a failure (not on a missed goal).
const http = require('node:http');
const { spawn, execFile } = require('node:child_process');
const { cpus, loadavg } = require('node:os');
const { join } = require('node:path');
const { Client } = require('pg');
const { withThrowawayDatabase } = require('./throwaway-database');

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SCALE = Number(process.env.BENCH_SCALE ?? 2);
const SEED = Number(process.env.BENCH_SEED ?? 20260101);
const REPORTS = Number(process.env.BENCH_REPORTS ?? 300);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 50);
const WARM_UP = 5;
const PORT = Number(process.env.BENCH_PORT ?? 3935);
const GOAL_MS = 100;
const EMAIL = 'bench@abb.vlaanderen.be';
const PASSWORD = 'bench-only-password-0123456789';
const root = join(__dirname, '..', '..');
const BUILDS = (process.env.BENCH_BUILDS ?? `this=${root}`).split(',').map((pair) => {
  const [label, dir] = pair.split('=');
  return { label, dir };
});

const print = (line) => process.stdout.write(`${line}\n`);
const note = (line) => process.stderr.write(`${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
};
const ms = (value) => `${value.toFixed(1)} ms`;
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

// ---- processes ----

function cli(dir, url, args, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const main = join(dir, 'dist', 'apps', 'cli', 'src', 'main.js');
    execFile(process.execPath, [main, ...args], { env: { ...process.env, DATABASE_URL: url, ...extraEnv }, maxBuffer: 1 << 20 }, (error, stdout, stderr) =>
      error ? reject(new Error(`cli ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout),
    );
  });
}

async function startPlatform(dir, url) {
  const child = spawn(process.execPath, ['--require', require.resolve('./rush-capture'), join(dir, 'dist', 'apps', 'platform', 'src', 'main.js')], {
    cwd: dir,
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(PORT),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      SESSION_SECRET: 'bench-only-session-secret-0123456789abcdef',
      COOKIE_SECURE: 'false',
      DEMO_DATA: 'false',
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const kill = () => child.kill('SIGTERM');
  process.once('exit', kill); // never leave a platform behind
  child.once('exit', () => process.off('exit', kill));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`platform exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/health`)).ok) return child;
    } catch {
      await sleep(50);
    }
  }
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Sends a message to the statement capture and waits for its answer. */
function ask(child, message) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(message);
  });
}

// ---- HTTP ----

function call(method, path, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: PORT,
        method,
        path,
        agent,
        headers: { ...headers, ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } : {}) },
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const csrf = (html) => /name="_csrf" value="([^"]+)"/.exec(html)[1];
const cookieOf = (res) => (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');

async function bearer() {
  const form = await call('GET', '/aanmelden');
  const signedIn = await call('POST', '/aanmelden', {
    headers: { cookie: cookieOf(form) },
    body: new URLSearchParams({ _csrf: csrf(form.text), email: EMAIL, password: PASSWORD }).toString(),
  });
  if (signedIn.status !== 303) throw new Error(`sign-in answered ${signedIn.status}`);
  const cookie = cookieOf(signedIn) || cookieOf(form);
  const account = await call('GET', '/account', { headers: { cookie } });
  const issued = await call('POST', '/account/tokens', {
    headers: { cookie },
    body: new URLSearchParams({ _csrf: csrf(account.text), name: 'rapportenwachtrij', validDays: '1' }).toString(),
  });
  const match = /id="new-token">([^<]+)</.exec(issued.text);
  if (!match) throw new Error(`no API token issued (${issued.status})`);
  return { authorization: `Bearer ${match[1]}` };
}

// ---- measurements ----

async function measureBuild({ label, dir }, url) {
  const platform = await startPlatform(dir, url);
  try {
    const headers = await bearer();
    const queue = async () => {
      const started = performance.now();
      const res = await call('GET', '/api/v1/reports', { headers });
      const took = performance.now() - started;
      if (res.status !== 200) throw new Error(`${label}: GET /api/v1/reports answered ${res.status}: ${res.text.slice(0, 200)}`);
      return { took, items: JSON.parse(res.text) };
    };
    for (let i = 0; i < WARM_UP; i++) await queue();
    const times = [];
    let items = [];
    for (let i = 0; i < REQUESTS; i++) {
      const answer = await queue();
      times.push(answer.took);
      items = answer.items;
    }
    await ask(platform, 'start');
    await queue();
    const { statements } = await ask(platform, 'stop');
    return { label, times, items, statements };
  } finally {
    await stop(platform);
  }
}

/** The captured statements through plain pg, one after the other on one connection, as one request sends them. */
async function replay(url, statements) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const each = statements.map(() => []);
    const once = async () => {
      const started = performance.now();
      for (const [i, s] of statements.entries()) {
        const t = performance.now();
        await client.query(s.text, s.params);
        each[i].push(performance.now() - t);
      }
      return performance.now() - started;
    };
    for (let i = 0; i < WARM_UP; i++) await once();
    const times = [];
    for (let i = 0; i < REQUESTS; i++) times.push(await once());
    if (statements.length <= 50) {
      // Where the time goes, per statement (median), for a request of few statements.
      for (const [i, s] of statements.entries()) note(`  ${ms(percentile(each[i], 0.5))}  ${s.text.replace(/\s+/g, ' ').slice(0, 140)}`);
    }
    return times;
  } finally {
    await client.end();
  }
}

async function main() {
  const load = loadavg().map((l) => l.toFixed(1));
  await withThrowawayDatabase(SERVER, 'bench_report_queue', async (url) => {
    note(`generating (scale ${SCALE}) …`);
    await cli(BUILDS[0].dir, url, ['generate', '--scale', String(SCALE), '--seed', String(SEED)]);
    await cli(BUILDS[0].dir, url, ['create-admin', EMAIL, 'Bench', 'ABB'], { ADMIN_PASSWORD: PASSWORD });
    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM kpi_report`)).rows;
      if (n < REPORTS) throw new Error(`scale ${SCALE} made ${n} reports, fewer than ${REPORTS}: raise BENCH_SCALE`);
      await db.query(
        `UPDATE kpi_report SET status = 'submitted', submitted_at = now() - (id % 500) * interval '1 hour', late = (id % 7 = 0),
                reviewed_at = NULL, reviewed_by_label = NULL, review_comment = NULL
          WHERE id IN (SELECT id FROM kpi_report ORDER BY id LIMIT $1)`,
        [REPORTS],
      );
      await db.query('ANALYZE');
    } finally {
      await db.end();
    }
    const results = [];
    for (const build of BUILDS) {
      note(`${build.label}: ${build.dir} …`);
      const measured = await measureBuild(build, url);
      note(`${build.label}: replaying ${measured.statements.length} statements …`);
      results.push({ ...measured, replay: await replay(url, measured.statements) });
    }
    print(
      `Report review queue, ${REPORTS} submitted reports (generator scale ${SCALE}, seed ${SEED}), PostgreSQL server; ${cpus().length} CPUs, load average ${load.join(' ')} at the start\n`,
    );
    print('| build | GET /api/v1/reports p50 | p95 | max | items | statements per request | same statements through plain pg p50 | p95 |');
    print('|---|---|---|---|---|---|---|---|');
    for (const r of results) {
      print(
        `| ${r.label} | ${ms(percentile(r.times, 0.5))} | ${ms(percentile(r.times, 0.95))} | ${ms(Math.max(...r.times))} | ${r.items.length} | ${r.statements.length} | ${ms(percentile(r.replay, 0.5))} | ${ms(percentile(r.replay, 0.95))} |`,
      );
    }
    if (results.length > 1) {
      const same = results.every((r) => JSON.stringify(r.items) === JSON.stringify(results[0].items));
      print(`\nSame answer from every build: ${same ? 'yes' : 'NO'}`);
      if (!same) process.exitCode = 1;
    }
    const last = results[results.length - 1];
    print(`Goal (p95 under ${GOAL_MS} ms, ${last.label}): ${percentile(last.times, 0.95) < GOAL_MS ? 'met' : 'missed'}`);
  });
}

main().catch((error) => {
  note(error.stack ?? String(error));
  process.exitCode = 1;
});
