// Load benchmark (issue 8); run with `npm run build && npm run bench:load`. Prints figures only.
// Starts the built platform on the embedded PGlite (temp DATA_DIR), then on a throwaway database
// of the PostgreSQL server named by BENCH_DATABASE_URL, and runs BENCH_CLIENTS concurrent clients
// (keep-alive) for BENCH_SECONDS: 30 % draft saves through the API, 70 % reads (menu, local
// governments, application detail). Per route family: p50/p95/p99/max and the answers that were
// not 2xx; per run: how many clients got their first answer only after the load stopped.
const http = require('node:http');
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir, cpus, totalmem } = require('node:os');
const { join } = require('node:path');
const { withThrowawayDatabase } = require('./throwaway-database');

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PORT = 3932;
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const WRITE_SHARE = 0.3;
const OFFICERS = ['medewerker@gent.demo', 'medewerker@lier.demo', 'medewerker@duffel.demo'];
const DEMO_PASSWORD = 'Samenleven-demo-2026';
const main = join(__dirname, '..', '..', 'dist', 'apps', 'platform', 'src', 'main.js');

const print = (line) => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS + 10 });

/** One HTTP request; resolves with status, headers and the body (parsed when JSON). */
function call(method, path, { headers = {}, body } = {}) {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const type = typeof body === 'string' ? 'application/x-www-form-urlencoded' : 'application/json';
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: PORT,
        method,
        path,
        agent,
        headers: { ...headers, ...(payload ? { 'content-type': type, 'content-length': Buffer.byteLength(payload) } : {}) },
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const json = (res.headers['content-type'] ?? '').includes('json') ? JSON.parse(text) : undefined;
          resolve({ status: res.statusCode, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function startPlatform(env) {
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      ...env,
      PORT: String(PORT),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      SESSION_SECRET: 'bench-only-session-secret-0123456789abcdef',
      COOKIE_SECURE: 'false',
      DEMO_DATA: 'true',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.once('exit', () => child.kill('SIGTERM')); // never leave a platform behind
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
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

const csrf = (html) => /name="_csrf" value="([^"]+)"/.exec(html)[1];
const cookieOf = (res) => (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');

/** Signs an officer in through the form, issues an API token and opens (or finds) the applicant's draft. */
async function prepareOfficer(email) {
  const form = await call('GET', '/aanmelden');
  let cookie = cookieOf(form);
  const signedIn = await call('POST', '/aanmelden', {
    headers: { cookie },
    body: new URLSearchParams({ _csrf: csrf(form.text), email, password: DEMO_PASSWORD }).toString(),
  });
  if (signedIn.status !== 303) throw new Error(`sign-in of ${email} answered ${signedIn.status}`);
  cookie = cookieOf(signedIn) || cookie;
  const account = await call('GET', '/account', { headers: { cookie } });
  const issued = await call('POST', '/account/tokens', {
    headers: { cookie },
    body: new URLSearchParams({ _csrf: csrf(account.text), name: 'belastingstest', validDays: '1' }).toString(),
  });
  const token = /id="new-token">([^<]+)</.exec(issued.text)[1];
  const auth = { authorization: `Bearer ${token}` };
  const [applicant] =
    (await call('GET', '/api/v1/applicants', { headers: auth })).json.items ?? (await call('GET', '/api/v1/applicants', { headers: auth })).json;
  let opened = await call('POST', `/api/v1/applicants/${applicant.id}/application`, { headers: auth });
  if (opened.status === 409) {
    const list = (await call('GET', '/api/v1/applications', { headers: auth })).json;
    opened = await call('GET', `/api/v1/applications/${(list.items ?? list)[0].id}`, { headers: auth });
  }
  if (!opened.json?.lines) throw new Error(`cannot open a draft for ${email}: ${opened.status} ${opened.text.slice(0, 200)}`);
  return { auth, application: opened.json, line: opened.json.lines[0] };
}

function percentile(sorted, q) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** CLIENTS loops, each issuing its next request as soon as the previous one is answered. */
async function load(officers) {
  const samples = {
    'menu (GET /api/v1/calls/:year/menu)': [],
    'local governments (GET /api/v1/local-governments?q=)': [],
    'application detail (GET /api/v1/applications/:id)': [],
    'draft save (PUT /api/v1/applications/:id)': [],
  };
  const families = Object.keys(samples);
  const statuses = {};
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  let lateFirstAnswers = 0;
  const client = async (n) => {
    const officer = officers[n % officers.length];
    let first = true;
    while (performance.now() < deadline) {
      const write = Math.random() < WRITE_SHARE;
      const family = write ? families[3] : families[Math.floor(Math.random() * 3)];
      const t0 = performance.now();
      let res;
      if (family === families[0]) res = await call('GET', `/api/v1/calls/${officer.application.callYear}/menu`, { headers: officer.auth });
      else if (family === families[1]) res = await call('GET', `/api/v1/local-governments?q=${['ge', 'an', 'li', 'ro'][n % 4]}`, { headers: officer.auth });
      else if (family === families[2]) res = await call('GET', `/api/v1/applications/${officer.application.id}`, { headers: officer.auth });
      else {
        const body = {
          version: officer.application.version,
          lines: [{ kpiLineId: officer.line.id, plannedReach: 1, currentReach: 0 }],
          priorities: [{ actionNumber: officer.line.actionNumber, priority: 1 }],
        };
        res = await call('PUT', `/api/v1/applications/${officer.application.id}`, { headers: officer.auth, body });
        if (res.status === 200) officer.application.version = Math.max(officer.application.version, res.json.version);
        else if (res.status === 409) officer.application.version += 1; // someone else saved; try the next version
      }
      const t1 = performance.now();
      samples[family].push(t1 - t0);
      const key = `${family.split(' ')[0]} ${res.status}`;
      if (res.status >= 300) statuses[key] = (statuses[key] ?? 0) + 1;
      if (first && t1 > deadline) lateFirstAnswers++;
      first = false;
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
  return { samples, statuses, lateFirstAnswers, seconds: (performance.now() - started) / 1000 };
}

const withDatabase = (fn) => withThrowawayDatabase(SERVER, 'ps_bench_load', fn);

async function measure(label, env) {
  const child = await startPlatform(env);
  try {
    const officers = [];
    for (const email of OFFICERS) officers.push(await prepareOfficer(email));
    return { label, ...(await load(officers)) };
  } finally {
    await stop(child);
  }
}

function report(runs) {
  const ms = (value) => (Number.isNaN(value) ? '–' : value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`);
  print(`\n${CLIENTS} concurrent clients, ${Math.round(WRITE_SHARE * 100)} % writes, ${SECONDS} s per database\n`);
  print('| database | route family | requests | p50 | p95 | p99 | max |');
  print('|---|---|---|---|---|---|---|');
  for (const run of runs) {
    for (const [family, values] of Object.entries(run.samples)) {
      const sorted = [...values].sort((a, b) => a - b);
      print(
        `| ${run.label} | ${family} | ${sorted.length} | ${ms(percentile(sorted, 0.5))} | ${ms(percentile(sorted, 0.95))} | ${ms(percentile(sorted, 0.99))} | ${ms(sorted.at(-1) ?? NaN)} |`,
      );
    }
  }
  print('');
  for (const run of runs) {
    const total = Object.values(run.samples).reduce((sum, values) => sum + values.length, 0);
    const other =
      Object.entries(run.statuses)
        .map(([key, count]) => `${key}: ${count}`)
        .join(', ') || 'none';
    print(
      `${run.label}: ${total} answers in ${run.seconds.toFixed(1)} s (${Math.round(total / run.seconds)}/s); not 2xx: ${other}; clients whose first answer came after the load stopped: ${run.lateFirstAnswers}`,
    );
  }
}

async function run() {
  print(`Machine: ${cpus().length} × ${cpus()[0].model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  const runs = [];
  const only = process.env.BENCH_ONLY; // "embedded" or "postgres" for a quick look at one
  const dataDir = mkdtempSync(join(tmpdir(), 'ps-bench-load-'));
  try {
    if (only !== 'postgres') runs.push(await measure('embedded PGlite', { DATA_DIR: dataDir, DATABASE_URL: '' }));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (only !== 'embedded') runs.push(await withDatabase((url) => measure('PostgreSQL server', { DATABASE_URL: url })));
  report(runs);
  agent.destroy();
}

run().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
