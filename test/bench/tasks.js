// "Mijn taken" for a user with many items (issue 25); run with `npm run build && npm run bench:tasks`. Prints one markdown
// table. On a throwaway database of the PostgreSQL server (BENCH_DATABASE_URL): the data generator (`cli generate --scale
// BENCH_SCALE --seed BENCH_SEED`, docs/generator.md), then BENCH_ITEMS (50) of its applications set back to 'ingediend'
// (spread submission times) so an ABB reviewer has that many applications to review, a user made with `cli create-admin`
// and given the reviewer's role, ANALYZE; then the built platform against it, signed in through the form, and:
//   1. GET /taken (the reviewer's task page), 5 warm-up requests, then BENCH_REQUESTS (50) sequential ones: p50/p95/max,
//      and the number of task links on the page;
//   2. the baseline in the same run, on the same session: GET /account (a page that reads one user's tokens), as many
//      requests, so a loaded machine shows in both rows.
// Goal: p95 of GET /taken under 300 ms with 50 items. Exits non-zero on a failure (not on a missed goal).
const http = require('node:http');
const { spawn, execFile } = require('node:child_process');
const { cpus, loadavg } = require('node:os');
const { join } = require('node:path');
const { Client } = require('pg');
const { withThrowawayDatabase } = require('./throwaway-database');

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const SEED = Number(process.env.BENCH_SEED ?? 20260101);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 50);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 50);
const WARM_UP = 5;
const PORT = Number(process.env.BENCH_PORT ?? 3936);
const GOAL_MS = 300;
const EMAIL = 'bench-taken@abb.vlaanderen.be';
const PASSWORD = 'bench-only-password-0123456789';
const root = join(__dirname, '..', '..');

const print = (line) => process.stdout.write(`${line}\n`);
const note = (line) => process.stderr.write(`${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
};
const ms = (value) => `${value.toFixed(1)} ms`;
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

function cli(url, args, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const main = join(root, 'dist', 'apps', 'cli', 'src', 'main.js');
    execFile(process.execPath, [main, ...args], { env: { ...process.env, DATABASE_URL: url, ...extraEnv }, maxBuffer: 1 << 20 }, (error, stdout, stderr) =>
      error ? reject(new Error(`cli ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout),
    );
  });
}

async function startPlatform(url) {
  const child = spawn(process.execPath, [join(root, 'dist', 'apps', 'platform', 'src', 'main.js')], {
    cwd: root,
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
    stdio: ['ignore', 'ignore', 'inherit'],
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
const taskLinks = (html) => [...html.matchAll(/<a class="govuk-link govuk-!-font-weight-bold" href="([^"]+)"/g)].length;

async function signIn() {
  const form = await call('GET', '/aanmelden');
  const signedIn = await call('POST', '/aanmelden', {
    headers: { cookie: cookieOf(form) },
    body: new URLSearchParams({ _csrf: csrf(form.text), email: EMAIL, password: PASSWORD }).toString(),
  });
  if (signedIn.status !== 303 || signedIn.headers.location !== '/taken') throw new Error(`sign-in answered ${signedIn.status} to ${signedIn.headers.location}`);
  return { cookie: cookieOf(signedIn) || cookieOf(form) };
}

async function measure(path, headers) {
  const once = async () => {
    const started = performance.now();
    const res = await call('GET', path, { headers });
    const took = performance.now() - started;
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${res.text.slice(0, 200)}`);
    return { took, text: res.text };
  };
  for (let i = 0; i < WARM_UP; i++) await once();
  const times = [];
  let text = '';
  for (let i = 0; i < REQUESTS; i++) {
    const answer = await once();
    times.push(answer.took);
    text = answer.text;
  }
  return { times, items: taskLinks(text) };
}

async function main() {
  const load = loadavg().map((l) => l.toFixed(1));
  await withThrowawayDatabase(SERVER, 'bench_tasks', async (url) => {
    note(`generating (scale ${SCALE}) …`);
    await cli(url, ['generate', '--scale', String(SCALE), '--seed', String(SEED)]);
    await cli(url, ['create-admin', EMAIL, 'Bench', 'Reviewer'], { ADMIN_PASSWORD: PASSWORD });
    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      await db.query(`UPDATE app_user SET role = 'abb-reviewer' WHERE email = $1`, [EMAIL]);
      const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM application`)).rows;
      if (n < ITEMS) throw new Error(`scale ${SCALE} made ${n} applications, fewer than ${ITEMS}: raise BENCH_SCALE`);
      await db.query(
        `UPDATE application SET status = 'ingediend', submitted_at = now() - (id % 500) * interval '1 hour', decided_at = NULL
          WHERE id IN (SELECT id FROM application ORDER BY id LIMIT $1)`,
        [ITEMS],
      );
      await db.query('ANALYZE');
    } finally {
      await db.end();
    }
    const platform = await startPlatform(url);
    let tasks;
    let baseline;
    try {
      const headers = await signIn();
      tasks = await measure('/taken', headers);
      baseline = await measure('/account', headers);
    } finally {
      await stop(platform);
    }
    print(
      `Mijn taken of an ABB reviewer with ${ITEMS} applications to review (generator scale ${SCALE}, seed ${SEED}), PostgreSQL server; ${cpus().length} CPUs, load average ${load.join(' ')} at the start\n`,
    );
    print('| page | p50 | p95 | max | task links on the page |');
    print('|---|---|---|---|---|');
    print(`| GET /taken | ${ms(percentile(tasks.times, 0.5))} | ${ms(percentile(tasks.times, 0.95))} | ${ms(Math.max(...tasks.times))} | ${tasks.items} |`);
    print(
      `| GET /account (baseline) | ${ms(percentile(baseline.times, 0.5))} | ${ms(percentile(baseline.times, 0.95))} | ${ms(Math.max(...baseline.times))} | – |`,
    );
    print(
      `\nGoal (GET /taken p95 under ${GOAL_MS} ms with at least ${ITEMS} items): ${percentile(tasks.times, 0.95) < GOAL_MS && tasks.items >= ITEMS ? 'met' : 'missed'}`,
    );
  });
}

main().catch((error) => {
  note(error.stack ?? String(error));
  process.exitCode = 1;
});
