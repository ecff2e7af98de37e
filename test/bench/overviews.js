// Overviews and exports at national scale (issue 12); run with `npm run build && npm run bench:overviews`. Prints one
// markdown table. Per scale (BENCH_SCALES, default "1,100"), on a throwaway database of the PostgreSQL server
// (BENCH_DATABASE_URL): the data generator (`cli generate --scale N --seed BENCH_SEED`, docs/generator.md), an ABB
// administrator (`cli create-admin`), ANALYZE (the statistics autovacuum would gather), then the built platform against it, signed in through the form, with an API token.
// Measured, in the same run:
//   1. GET /api/v1/overviews/kpi-lines.csv, every KPI line: wall time to the last byte and bytes (1 warm-up, median of 3),
//      next to PostgreSQL's own COPY (<the same query>) TO STDOUT (FORMAT csv) through plain `pg` (median of 3);
//   2. the platform's memory during that export: VmRSS sampled every 50 ms from /proc/<pid>/status (peak), and VmHWM;
//   3. GET /overzichten under BENCH_USERS (20) signed-in users, closed loop for BENCH_SECONDS (20 s): p50/p95/max.
// Parts: BENCH_FORMATS (default "csv"; e.g. "csv,xlsx,json") also exports the KPI lines as XLSX and JSON (1 warm-up and 3
// runs each, time and peak RSS per format: a second table); BENCH_PAGE=0 leaves out the /overzichten load (3.);
// BENCH_PROFILE=<dir> writes the platform's CPU profile of the whole run there (rush-profile.js).
// Goals: export within 2× of COPY, peak RSS below 300 MB, /overzichten p95 under 300 ms. Exits non-zero on a failure
// (not on a missed goal). Cleans up: the platform is stopped and the databases dropped, also on failure.
const http = require('node:http');
const { spawn, execFile } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { cpus, totalmem, loadavg, platform, release } = require('node:os');
const { join } = require('node:path');
const { Client } = require('pg');
const { withThrowawayDatabase } = require('./throwaway-database');

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SCALES = (process.env.BENCH_SCALES ?? '1,100').split(',').map(Number);
const SEED = Number(process.env.BENCH_SEED ?? 20260101);
const USERS = Number(process.env.BENCH_USERS ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const PORT = Number(process.env.BENCH_PORT ?? 3934);
const FORMATS = (process.env.BENCH_FORMATS ?? 'csv').split(',');
const PAGE = process.env.BENCH_PAGE !== '0';
const RUNS = 3;
/** An export slower than this is stopped and reported as such (bytes so far), and not repeated. */
const EXPORT_LIMIT_S = Number(process.env.BENCH_EXPORT_LIMIT_S ?? 120);
const GOALS = { exportVsCopy: 2, peakRssMb: 300, pageP95Ms: 300 };
const EMAIL = 'bench@abb.vlaanderen.be';
const PASSWORD = 'bench-only-password-0123456789';

const root = join(__dirname, '..', '..');
const platformMain = join(root, 'dist', 'apps', 'platform', 'src', 'main.js');
const cliMain = join(root, 'dist', 'apps', 'cli', 'src', 'main.js');
const overviews = require(join(root, 'dist', 'libs', 'overviews', 'src', 'index.js'));

const print = (line) => process.stdout.write(`${line}\n`);
const note = (line) => process.stderr.write(`${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (sorted, q) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);
const agent = new http.Agent({ keepAlive: true, maxSockets: USERS + 10 });

/** The statement the export runs, as COPY: every KPI line, no filter. */
function copyStatement() {
  if (overviews.kpiLinesCopyStatement) return overviews.kpiLinesCopyStatement({});
  if (!overviews.KPI_LINES_QUERY) throw new Error('dist/libs/overviews exports neither kpiLinesCopyStatement nor KPI_LINES_QUERY: build first');
  const inlined = overviews.KPI_LINES_QUERY.replace(/\$(\d+)(::\w+)?/g, 'NULL$2');
  return `COPY (${inlined}) TO STDOUT WITH (FORMAT csv, HEADER)`;
}

// ---- processes ----

function cli(url, args, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [cliMain, ...args], { env: { ...process.env, DATABASE_URL: url, ...extraEnv }, maxBuffer: 1 << 20 }, (error, stdout, stderr) =>
      error ? reject(new Error(`cli ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout),
    );
  });
}

async function startPlatform(url) {
  // BENCH_PROFILE=<dir>: the platform's CPU profile (test/bench/rush-profile.js) for the whole run.
  const profile = process.env.BENCH_PROFILE ? ['--require', require.resolve('./rush-profile')] : [];
  const child = spawn(process.execPath, [...profile, platformMain], {
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

/** VmRSS and VmHWM of a process in MB. */
function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)[1]);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

// ---- HTTP ----

/** One request; the body is kept (text) unless `count` is set, then only its bytes are counted. */
function call(method, path, { headers = {}, body, count = false, limitMs } = {}) {
  const payload = body === undefined ? undefined : body;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: PORT,
        method,
        path,
        agent,
        headers: { ...headers, ...(payload ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(payload) } : {}) },
      },
      (res) => {
        const chunks = [];
        let bytes = 0;
        res.on('data', (chunk) => {
          bytes += chunk.length;
          if (!count) chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, bytes, text: count ? '' : Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
        if (limitMs) {
          const timer = setTimeout(() => {
            resolve({ status: res.statusCode, headers: res.headers, bytes, text: '', stopped: true });
            req.destroy();
          }, limitMs);
          res.once('close', () => clearTimeout(timer));
        }
      },
    );
    req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
    req.end(payload);
  });
}

const csrf = (html) => /name="_csrf" value="([^"]+)"/.exec(html)[1];
const cookieOf = (res) => (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');

async function signIn() {
  const form = await call('GET', '/aanmelden');
  const signedIn = await call('POST', '/aanmelden', {
    headers: { cookie: cookieOf(form) },
    body: new URLSearchParams({ _csrf: csrf(form.text), email: EMAIL, password: PASSWORD }).toString(),
  });
  if (signedIn.status !== 303) throw new Error(`sign-in answered ${signedIn.status}`);
  return cookieOf(signedIn) || cookieOf(form);
}

async function issueToken(cookie) {
  const account = await call('GET', '/account', { headers: { cookie } });
  const issued = await call('POST', '/account/tokens', {
    headers: { cookie },
    body: new URLSearchParams({ _csrf: csrf(account.text), name: 'overzichtentest', validDays: '1' }).toString(),
  });
  const match = /id="new-token">([^<]+)</.exec(issued.text);
  if (!match) throw new Error(`no API token issued (${issued.status})`);
  return { authorization: `Bearer ${match[1]}` };
}

// ---- measurements ----

/** COPY … TO STDOUT through pg's simple query protocol: a submittable that counts the copyData bytes. */
function copyOut(client, text) {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    let messages = 0; // one copyData message per row, the header included
    let failed = null;
    const started = performance.now();
    client.query({
      submit: (connection) => connection.query(text),
      handleCopyData: (msg) => {
        bytes += msg.chunk.length;
        messages++;
      },
      handleCommandComplete: () => undefined,
      handleEmptyQuery: () => undefined,
      handleRowDescription: () => undefined,
      handleDataRow: () => undefined,
      handleError: (error) => (failed = error),
      handleReadyForQuery: () => (failed ? reject(failed) : resolve({ ms: performance.now() - started, bytes, messages })),
    });
  });
}

async function measureCopy(url) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const statement = copyStatement();
    await copyOut(client, statement); // warm-up
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await copyOut(client, statement));
    return { ms: median(runs.map((r) => r.ms)), bytes: runs[0].bytes, rows: runs[0].messages - 1 };
  } finally {
    await client.end();
  }
}

const EXPORT_PATHS = { csv: '/api/v1/overviews/kpi-lines.csv', xlsx: '/api/v1/overviews/kpi-lines.xlsx', json: '/api/v1/overviews/kpi-lines' };

/** The export over HTTP, with the platform's memory sampled every 50 ms while it runs (peak over all runs and per run). */
async function measureExport(child, auth, format = 'csv') {
  const runs = [];
  let peakRss = 0;
  const peaks = [];
  const before = memoryOf(child.pid).rss;
  for (let i = 0; i <= RUNS; i++) {
    let sampling = true;
    let peak = 0;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, memoryOf(child.pid).rss);
        await sleep(50);
      }
    })();
    const started = performance.now();
    const res = await call('GET', EXPORT_PATHS[format], { headers: auth, count: true, limitMs: EXPORT_LIMIT_S * 1000 });
    const ms = performance.now() - started;
    sampling = false;
    await sampler;
    peaks.push(Math.round(peak));
    peakRss = Math.max(peakRss, peak);
    if (res.status !== 200) throw new Error(`${EXPORT_PATHS[format]} answered ${res.status}`);
    if (res.stopped) return { ms, bytes: res.bytes, stopped: true, rssBefore: before, peakRss, peaks, hwm: memoryOf(child.pid).hwm };
    if (i > 0) runs.push({ ms, bytes: res.bytes }); // the first is the warm-up
  }
  return { ms: median(runs.map((r) => r.ms)), bytes: runs[0].bytes, rssBefore: before, peakRss, peaks, hwm: memoryOf(child.pid).hwm };
}

/** USERS signed-in users, each asking for /overzichten as soon as the previous answer is in, for SECONDS. */
async function measurePage() {
  const cookies = [];
  for (let i = 0; i < USERS; i++) cookies.push(await signIn());
  const warm = await call('GET', '/overzichten', { headers: { cookie: cookies[0] } });
  if (warm.status !== 200) throw new Error(`/overzichten answered ${warm.status}`);
  const samples = [];
  const statuses = {};
  const deadline = performance.now() + SECONDS * 1000;
  await Promise.all(
    cookies.map(async (cookie) => {
      while (performance.now() < deadline) {
        const started = performance.now();
        const res = await call('GET', '/overzichten', { headers: { cookie }, count: true });
        samples.push(performance.now() - started);
        if (res.status !== 200) statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      }
    }),
  );
  const sorted = samples.sort((a, b) => a - b);
  return { requests: sorted.length, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), max: sorted.at(-1), statuses };
}

async function measureScale(scale) {
  return withThrowawayDatabase(SERVER, `ps_bench_overviews_${scale}`, async (url) => {
    note(`${scale}×: generating …`);
    const generated = await cli(url, ['generate', '--scale', String(scale), '--seed', String(SEED)]);
    const seconds = Number(/ in ([\d.]+) s:/.exec(generated)[1]);
    await cli(url, ['create-admin', EMAIL, 'Bench', 'ABB'], { ADMIN_PASSWORD: PASSWORD });
    // Statistics as autovacuum would have gathered them on a live database, so COPY and the export both get real plans.
    const analyze = new Client({ connectionString: url });
    await analyze.connect();
    await analyze.query('ANALYZE').finally(() => analyze.end());
    note(`${scale}×: generated in ${seconds} s; COPY …`);
    const copy = await measureCopy(url);
    const child = await startPlatform(url);
    try {
      const auth = await issueToken(await signIn());
      note(`${scale}×: export …`);
      const exported = await measureExport(child, auth);
      const formats = {};
      for (const format of FORMATS.filter((f) => f !== 'csv')) {
        note(`${scale}×: export ${format} …`);
        formats[format] = await measureExport(child, auth, format);
      }
      if (!PAGE) return { scale, seconds, copy, exported, formats, page: null };
      note(`${scale}×: /overzichten with ${USERS} users for ${SECONDS} s …`);
      const page = await measurePage();
      return { scale, seconds, copy, exported, formats, page };
    } finally {
      await stop(child);
    }
  });
}

async function postgresVersion() {
  const client = new Client({ connectionString: SERVER });
  await client.connect();
  try {
    return (await client.query('SHOW server_version')).rows[0].server_version;
  } finally {
    await client.end();
  }
}

async function main() {
  const loadBefore = loadavg();
  const results = [];
  for (const scale of SCALES) {
    results.push(await measureScale(scale));
    note(JSON.stringify(results.at(-1)));
  }
  const loadAfter = loadavg();
  const ms = (value) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`);
  const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;
  const ok = (pass) => (pass ? 'yes' : '**no**');

  print(
    `\n${new Date().toISOString().slice(0, 10)} · ${platform()} ${release()} · ${cpus().length} × ${cpus()[0].model} · ${Math.round(totalmem() / 2 ** 30)} GB`,
  );
  print(
    `Node ${process.version} · PostgreSQL ${await postgresVersion()} · load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(2)).join(' ')} after`,
  );
  print(
    `Data: \`cli generate --seed ${SEED}\`; export and COPY: 1 warm-up, median of ${RUNS}; /overzichten: ${USERS} signed-in users, closed loop, ${SECONDS} s\n`,
  );
  print(
    '| scale | generate | KPI lines | COPY csv | export kpi-lines.csv | export / COPY | platform RSS before → peak (VmHWM) | /overzichten p50 / p95 / max (requests) |',
  );
  print('|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const ratio = r.exported.stopped ? (r.exported.ms / r.copy.ms) * (r.copy.bytes / Math.max(1, r.exported.bytes)) : r.exported.ms / r.copy.ms;
    const exported = r.exported.stopped
      ? `stopped after ${ms(r.exported.ms)} with ${mb(r.exported.bytes)} (${Math.round((100 * r.exported.bytes) / r.copy.bytes)} % of COPY's bytes)`
      : `${ms(r.exported.ms)}, ${mb(r.exported.bytes)}`;
    const errors = r.page ? Object.entries(r.page.statuses).map(([status, n]) => `${n}× ${status}`) : [];
    const page = r.page
      ? `${ms(r.page.p50)} / ${ms(r.page.p95)} / ${ms(r.page.max)} (${r.page.requests}${errors.length ? `; ${errors.join(', ')}` : ''}) (goal p95 < ${GOALS.pageP95Ms} ms: ${ok(r.page.p95 < GOALS.pageP95Ms)})`
      : 'not measured (BENCH_PAGE=0)';
    print(
      `| ${r.scale}× | ${r.seconds.toFixed(1)} s | ${r.copy.rows.toLocaleString('en')} | ${ms(r.copy.ms)}, ${mb(r.copy.bytes)} | ${exported} | ` +
        `${r.exported.stopped ? '≈ ' : ''}${ratio.toFixed(r.exported.stopped ? 0 : 2)}×${r.exported.stopped ? ' at that rate' : ''} (goal ≤ ${GOALS.exportVsCopy}: ${ok(ratio <= GOALS.exportVsCopy)}) | ` +
        `${Math.round(r.exported.rssBefore)} → ${Math.round(r.exported.peakRss)} MB (${Math.round(r.exported.hwm)} MB) (goal < ${GOALS.peakRssMb}: ${ok(r.exported.peakRss < GOALS.peakRssMb)}) | ` +
        `${page} |`,
    );
  }
  print('\nPlatform RSS per export format (1 warm-up + 3 runs, one after the other; the peak of each run):\n');
  print('| scale | format | time (median) | bytes | RSS before → peak | peak per run | VmHWM |');
  print('|---|---|---|---|---|---|---|');
  for (const r of results) {
    for (const [format, e] of Object.entries({ csv: r.exported, ...r.formats })) {
      print(
        `| ${r.scale}× | ${format} | ${e.stopped ? `stopped after ${ms(e.ms)}` : ms(e.ms)} | ${mb(e.bytes)} | ${Math.round(e.rssBefore)} → ${Math.round(e.peakRss)} MB (goal < ${GOALS.peakRssMb}: ${ok(e.peakRss < GOALS.peakRssMb)}) | ${e.peaks.join(', ')} MB | ${Math.round(e.hwm)} MB |`,
      );
    }
  }
}

// Ctrl-C or a kill: stop the platform (its exit hook) and drop the throwaway databases of this run.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    note(`${signal}: cleaning up`);
    const admin = new Client({ connectionString: SERVER });
    try {
      await admin.connect();
      for (const scale of SCALES) await admin.query(`DROP DATABASE IF EXISTS "ps_bench_overviews_${scale}_${process.pid}" WITH (FORCE)`);
    } finally {
      process.exit(130);
    }
  });
}

main().then(
  () => process.exit(0),
  (error) => {
    note(error.stack ?? String(error));
    process.exit(1);
  },
);
