// Every route at national scale (issue 27); run with `npm run build && npm run bench:routes`. Prints figures only.
// On a throwaway database of the PostgreSQL server (BENCH_DATABASE_URL, 127.0.0.1):
//   1. the data generator at BENCH_SCALE× (default 100; `cli generate --scale N --seed BENCH_SEED`, docs/generator.md),
//      an ABB administrator (`cli create-admin`), ANALYZE;
//   2. the built platform on it (rush-http.js, DEMO_DATA=false) with routes-probe.js preloaded: the statement capture of
//      rush-capture.js and the routes the running application answers (Express's router, as test/support/routes.ts);
//   3. the administrator creates one user per other role through the API (municipal officer of the local government
//      that leads the chosen application, ABB reviewer, VVSG analyst, platform administrator; the outbox shows no
//      welcome link, so they get the administrator's password hash through SQL), the reviewer simulates and publishes an allocation run of the chosen application's call;
//   4. the walk: every GET route of the running application (the API's, which must include every GET of the OpenAPI
//      document /api/docs-json, and the pages) with real ids (the officer's own applicant, application, reports, run,
//      user, local government), once per role, signed in through the form; the statements each request sends are
//      captured, and their SELECTs replayed through plain `pg` (1 warm-up, median of BENCH_PG_RUNS): the baseline,
//      "main" is the slowest statement, "all" the sum;
//   5. BENCH_USERS (50) signed-in users, spread evenly over the five roles, in a closed loop for BENCH_SECONDS (30 s)
//      with BENCH_THINK_MS × 0.5–1.5 between an answer and the user's next request (a list, default "0,1000": one loop each),
//      each asking a random route of its role's mix (every walked route that answered 2xx/3xx for the role, the
//      documented exports left out: they are timed in the walk, once each, stopped after BENCH_EXPORT_LIMIT_S).
// Prints p50/p95/max per route pattern and role next to the plain `pg` time, and flags every route with p95 ≥ 100 ms
// (BENCH_GOAL_MS) that is not a documented export (EXPORTS below; docs/benchmarks.md). Stops the platform and drops the
// database by itself, also on failure and on Ctrl-C. See docs/benchmarks.md, "Every route at national scale (issue 27)".
process.env.BENCH_PORT ??= '3937'; // rush-http.js reads it: not the port of bench:rush, which may run beside this one
const http = require('node:http');
const { execFile } = require('node:child_process');
const { cpus, totalmem, loadavg } = require('node:os');
const { join } = require('node:path');
const { Client } = require('pg');
const { withThrowawayDatabase } = require('./throwaway-database');
const { startPlatform, stop, tokenFor, sleep, PORT } = require('./rush-http');
const { cpuMeter } = require('./cpu-meter');

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SCALE = Number(process.env.BENCH_SCALE ?? 100);
const SEED = Number(process.env.BENCH_SEED ?? 20260101);
const USERS = Number(process.env.BENCH_USERS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
// A person reads a page before the next click: each user waits THINK_MS × (0.5 to 1.5) between answer and next request.
// A comma-separated list runs one loop per think time, one after another on the same data, each reported. The default
// "0,1000": first the stress figure (every user asks again at once), then the loop the goal is judged on (people who
// read a page for a second on average before the next click; docs/benchmarks.md).
const THINK_TIMES = String(process.env.BENCH_THINK_MS ?? '0,1000')
  .split(',')
  .map(Number);
const GOAL_MS = Number(process.env.BENCH_GOAL_MS ?? 100);
const PG_RUNS = Number(process.env.BENCH_PG_RUNS ?? 5);
const EXPORT_LIMIT_S = Number(process.env.BENCH_EXPORT_LIMIT_S ?? 30);
const REQUEST_LIMIT_S = 30; // any other request: an answer slower than this is reported as a timeout
const ADMIN_EMAIL = 'routes-beheerder@abb.bench';
const PASSWORD = 'Een lang wachtwoord voor elke route 27';
const PREFIX = 'ps_bench_routes';
const ROLES = ['municipal-officer', 'abb-reviewer', 'abb-administrator', 'vvsg-analyst', 'platform-administrator'];

/**
 * The documented exports: downloads (CSV, XLSX, the JSON export of every KPI line) and PDFs. They are exempt from the
 * 100 ms goal (bench:overviews holds the export goals), timed once each in the walk and left out of the closed loop.
 * Every answer that comes as a download (content-disposition attachment, CSV, XLSX, PDF) must be listed here: the
 * script flags one that is not.
 */
const EXPORTS = [
  '/api/v1/allocation-runs/:id/payments.csv',
  '/api/v1/applicants/:id/iban-letter',
  '/api/v1/applications/:id/decision-letter.pdf',
  '/api/v1/applications/:id/reports/:kind/workbook',
  '/api/v1/applications/:id/reports/:kind/evidence/:evidenceId',
  '/api/v1/overviews/actions.csv',
  '/api/v1/overviews/actions.xlsx',
  '/api/v1/overviews/local-governments.csv',
  '/api/v1/overviews/local-governments.xlsx',
  '/api/v1/overviews/kpi-lines',
  '/api/v1/overviews/kpi-lines.csv',
  '/api/v1/overviews/kpi-lines.xlsx',
  '/aanvragers/:id/brief',
  '/aanvragen/:id/beslissingsbrief.pdf',
  '/aanvragen/:id/rapporten/:kind/excel',
  '/aanvragen/:id/rapporten/:kind/bewijsstukken/:evidenceId',
  '/verdelingen/:id/betaallijst',
  '/overzichten/acties.csv',
  '/overzichten/acties.xlsx',
  '/overzichten/lokale-besturen.csv',
  '/overzichten/lokale-besturen.xlsx',
  '/overzichten/kpi-lijnen.csv',
  '/overzichten/kpi-lijnen.xlsx',
];
/** Routes that are not a person's request: the API description, probes, static assets. Walked, but reported apart. */
const NOT_PAGES = /^\/(api\/docs|health|ready|metrics|assets)/;

const root = join(__dirname, '..', '..');
const cliMain = join(root, 'dist', 'apps', 'cli', 'src', 'main.js');
// The baseline's sessions get the settings the platform's connections get (jit=off since issue 27).
const { dataSourceOptions } = require(join(root, 'dist', 'libs', 'database', 'src', 'data-source-options.js'));
const SESSION_OPTIONS = dataSourceOptions({ DATABASE_URL: SERVER, MIGRATIONS_RUN: false, LOG_LEVEL: 'warn' }).extra?.options;
const print = (line = '') => process.stdout.write(`${line}\n`);
const note = (line) => process.stderr.write(`${line}\n`);
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const percentile = (sorted, q) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kb = (bytes) => (bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.round(bytes / 1024)} kB`);
const ms = (v) =>
  v === undefined || Number.isNaN(v) ? '–' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : v >= 10 ? `${Math.round(v)} ms` : `${v.toFixed(1)} ms`;

// ---- processes ----

const running = new Set(); // CLI children, ended on Ctrl-C
let platform = null; // the platform, killed on Ctrl-C (it may be busy in a long request and not take SIGTERM at once)
function cli(url, args, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [cliMain, ...args],
      { env: { ...process.env, DATABASE_URL: url, ...extraEnv }, maxBuffer: 1 << 22 },
      (error, stdout, stderr) => (error ? reject(new Error(`cli ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout)),
    );
    running.add(child);
    child.once('exit', () => running.delete(child));
  });
}

/** Sends one message to the preloaded routes-probe.js and waits for the answer that has `key`. */
function ask(child, message, key) {
  return new Promise((resolve, reject) => {
    // Generous: after a request the walk stopped waiting for, the platform may still be busy with it.
    const timer = setTimeout(() => reject(new Error('no answer from routes-probe.js')), 300_000);
    const listen = (answer) => {
      if (!answer?.[key]) return;
      clearTimeout(timer);
      child.off('message', listen);
      resolve(answer[key]);
    };
    child.on('message', listen);
    child.send(message);
  });
}

// ---- HTTP ----

/**
 * One GET; resolves with status, headers, bytes, the text (unless `count`) and the time to the last byte. Stopped after
 * `limitMs` (status 'stopped'); never rejects.
 */
function get(path, headers, { count = false, limitMs = REQUEST_LIMIT_S * 1000 } = {}) {
  const started = performance.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (result) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ...result, ms: performance.now() - started });
    };
    const req = http.request({ host: '127.0.0.1', port: PORT, method: 'GET', path, agent, headers }, (res) => {
      const chunks = [];
      let bytes = 0;
      res.on('data', (chunk) => {
        bytes += chunk.length;
        if (!count) chunks.push(chunk);
      });
      res.on('end', () => finish({ status: res.statusCode, headers: res.headers, bytes, text: count ? '' : Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (error) => finish({ status: 'error', error, headers: {}, bytes }));
    });
    const timer = setTimeout(() => {
      finish({ status: 'stopped', headers: {}, bytes: 0 });
      req.destroy();
    }, limitMs);
    req.on('error', (error) => finish({ status: 'error', error, headers: {}, bytes: 0 }));
    req.end();
  });
}

/** Waits until the platform answers /health within 50 ms three times in a row: done with a request the walk stopped waiting for. */
async function settle() {
  for (let quick = 0; quick < 3;) {
    const res = await get('/health', {}, { limitMs: 600_000 });
    quick = res.ms < 50 ? quick + 1 : 0;
    await sleep(200);
  }
}

function post(path, headers, form) {
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: PORT,
        method: 'POST',
        path,
        agent,
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function api(method, path, auth, body) {
  const res = await fetch(`http://127.0.0.1:${PORT}${path}`, {
    method,
    headers: { authorization: `Bearer ${auth}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

const csrf = (html) => /name="_csrf" value="([^"]+)"/.exec(html)[1];
const cookieOf = (res) => (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');

/** Signs in through the form; answers the session cookie. */
async function signIn(email) {
  const form = await get('/aanmelden', {});
  const signedIn = await post('/aanmelden', { cookie: cookieOf(form) }, { _csrf: csrf(form.text), email, password: PASSWORD });
  if (signedIn.status !== 303) throw new Error(`sign-in of ${email} answered ${signedIn.status}`);
  return cookieOf(signedIn) || cookieOf(form);
}

// ---- set-up ----

/** The record the walk asks for: an approved application of project year 2 (interim and final report) led by a real municipality. */
async function chooseRecords(db) {
  const { rows } = await db.query(`
    SELECT a.id AS application_id, a.applicant_id, c.year_number, p.lead_local_government_id, lg.nis_code
      FROM application a JOIN call c ON c.id = a.call_id JOIN applicant p ON p.id = a.applicant_id
      JOIN local_government lg ON lg.id = p.lead_local_government_id
     WHERE a.status = 'goedgekeurd' AND c.year_number = 2 AND p.kind = 'cooperation' AND lg.id < 100001
       AND (SELECT count(*) FROM kpi_report r WHERE r.application_id = a.id) = 2
     ORDER BY a.id LIMIT 1`);
  if (rows.length === 0) throw new Error('no approved application of project year 2 with both reports: did the generator run?');
  const [line] = (await db.query(`SELECT kpi_line_id FROM application_line WHERE application_id = $1 ORDER BY kpi_line_id LIMIT 1`, [rows[0].application_id]))
    .rows;
  return { ...rows[0], kpi_line_id: line?.kpi_line_id };
}

/** The users of the other roles, created by the administrator through the API; their password is set in the database. */
async function createUsers(db, adminToken, localGovernmentId) {
  const users = { 'abb-administrator': ADMIN_EMAIL };
  for (const role of ROLES.filter((r) => r !== 'abb-administrator')) {
    const email = `routes-${role}@bench.example`;
    await api('POST', '/api/v1/users', adminToken, {
      email,
      displayName: `Route ${role}`,
      role,
      ...(role === 'municipal-officer' ? { localGovernmentId } : {}),
    });
    users[role] = email;
  }
  // The outbox shows no welcome link (docs/security.md): the new users get the administrator's password hash instead.
  await db.query(`UPDATE app_user SET password_hash = (SELECT password_hash FROM app_user WHERE email = $1) WHERE email = ANY($2)`, [
    ADMIN_EMAIL,
    Object.values(users),
  ]);
  return users;
}

/** A simulated and then published allocation run of the call: proposed by the reviewer, approved by the administrator (four eyes; a refusal is noted). */
async function allocationRun(reviewerToken, adminToken, year) {
  const run = await api('POST', `/api/v1/calls/${year}/allocation-runs`, reviewerToken, {});
  try {
    const proposal = await api('POST', `/api/v1/allocation-runs/${run.id}/publish`, reviewerToken, {
      confirmPendingReview: true,
      reason: 'Benchmark van elke route.',
    });
    await api('POST', `/api/v1/proposals/${proposal.id}/approve`, adminToken, { version: proposal.version });
    return { id: run.id, published: true };
  } catch (error) {
    note(`note: the run was simulated, not published (${error.message.slice(0, 200)})`);
    return { id: run.id, published: false };
  }
}

/** The paths to ask for each route pattern: every ":param" filled in with an id the users may see. */
function pathsOf(pattern, records, queries) {
  const ids = {
    year: String(records.year_number),
    nisCode: records.nis_code,
    localGovernmentId: String(records.lead_local_government_id),
    kind: 'interim',
    kpiLineId: String(records.kpi_line_id),
    evidenceId: '999999', // no evidence is generated: the route answers 404 and is reported so
    actionNumber: '5',
  };
  const history = {
    application: records.application_id,
    applicant: records.applicant_id,
    'allocation-run': records.run_id,
    user: records.officer_id,
    call: records.year_number,
    'kpi-line': records.kpi_line_id,
  };
  const byResource = [
    [/\/(applicants|aanvragers)\/:id/, records.applicant_id],
    [/\/(applications|aanvragen)\/:id/, records.application_id],
    [/\/(allocation-runs|verdelingen)\/:id/, records.run_id],
    [/\/(users|gebruikers)\/:id/, records.officer_id],
  ];
  const query = queries.get(pattern) ?? '';
  if (pattern.includes(':entityType'))
    return Object.entries(history).map(([type, id]) => pattern.replace(':entityType', type).replace(':entityId', String(id)) + query);
  let path = pattern;
  if (path.includes(':id')) {
    const found = byResource.find(([re]) => re.test(path));
    if (!found) return [];
    path = path.replace(':id', String(found[1]));
  }
  const paths = [path];
  // Both reports where a route names the kind.
  if (path.includes(':kind')) paths.push(path.replace(':kind', 'final'));
  const missing = paths.flatMap((p) => [...p.matchAll(/:(\w+)/g)].map((m) => m[1])).filter((name) => !(name in ids));
  if (missing.length > 0) return [];
  return paths.map((p) => p.replace(/:(\w+)/g, (_, name) => ids[name]) + query);
}

// ---- the plain pg baseline ----

const isRead = (text) => /^\s*(SELECT|WITH)\b/i.test(text) && !/\bFOR\s+(UPDATE|SHARE|NO KEY UPDATE)\b/i.test(text);

/** Replays the captured reads of one request through plain pg: median over runs of the sum and of the slowest statement. */
async function replayReads(db, statements) {
  const reads = statements.filter((s) => isRead(s.text));
  if (reads.length === 0) return null;
  const runs = [];
  for (let run = 0; run <= PG_RUNS; run++) {
    const times = [];
    for (const s of reads) {
      const t0 = performance.now();
      try {
        await db.query(s.text, s.params);
      } catch {
        times.push(NaN);
        continue;
      }
      times.push(performance.now() - t0);
    }
    if (run > 0) runs.push(times);
    if (run === 0 && times.reduce((a, b) => a + (b || 0), 0) > 5000) {
      runs.push(times); // too slow to repeat
      break;
    }
  }
  const valid = runs[0].map((t) => !Number.isNaN(t));
  const sums = runs.map((times) => times.reduce((a, t, i) => a + (valid[i] ? t : 0), 0));
  const mains = reads.map((_, i) => (valid[i] ? median(runs.map((times) => times[i])) : -1));
  const mainIndex = mains.indexOf(Math.max(...mains));
  return { count: reads.length, failed: valid.filter((v) => !v).length, all: median(sums), main: mains[mainIndex], mainText: reads[mainIndex].text };
}

// ---- the run ----

async function measure(url) {
  note(`${SCALE}×: generating …`);
  const generated = await cli(url, ['generate', '--scale', String(SCALE), '--seed', String(SEED)]);
  const generateSeconds = Number(/ in ([\d.]+) s:/.exec(generated)?.[1]);
  await cli(url, ['create-admin', ADMIN_EMAIL, 'Route', 'Beheerder'], { ADMIN_PASSWORD: PASSWORD });
  const db = new Client({ connectionString: url, options: SESSION_OPTIONS });
  db.on('error', (error) => note(`baseline connection: ${error.message}`)); // the database dropped on Ctrl-C
  await db.connect();
  try {
    await db.query('ANALYZE');
    const records = await chooseRecords(db);
    note(`${SCALE}×: generated in ${generateSeconds} s; starting the platform …`);
    const child = await startPlatform({ DATABASE_URL: url, DEMO_DATA: 'false' }, require.resolve('./routes-probe'));
    platform = child;
    try {
      const adminToken = await tokenFor(ADMIN_EMAIL, PASSWORD);
      const users = await createUsers(db, adminToken, records.lead_local_government_id);
      records.officer_id = (await db.query(`SELECT id FROM app_user WHERE email = $1`, [users['municipal-officer']])).rows[0].id;
      const run = await allocationRun(await tokenFor(users['abb-reviewer'], PASSWORD), adminToken, records.year_number);
      records.run_id = run.id;
      await db.query('ANALYZE');

      // The routes of the running application; the API's GETs must include every GET of the OpenAPI document.
      const routes = (await ask(child, 'routes', 'routes')).filter((r) => r.startsWith('GET ') && !r.includes('*')).map((r) => r.slice(4));
      const document = JSON.parse((await get('/api/docs-json', {})).text);
      const apiGets = Object.entries(document.paths).flatMap(([path, item]) => (item.get ? [{ path: path.replace(/\{(\w+)\}/g, ':$1'), op: item.get }] : []));
      const notRouted = apiGets.filter((o) => !routes.includes(o.path)).map((o) => o.path);
      if (notRouted.length > 0) throw new Error(`GET routes of the OpenAPI document the application does not answer: ${notRouted.join(', ')}`);
      const queries = new Map(
        apiGets.map((o) => {
          const required = (o.op.parameters ?? []).filter((p) => p.in === 'query' && p.required).map((p) => `${p.name}=${records.year_number}`);
          return [o.path, required.length > 0 ? `?${required.join('&')}` : ''];
        }),
      );
      const unknownExports = EXPORTS.filter((e) => !routes.includes(e));
      if (unknownExports.length > 0) note(`note: documented exports the application no longer answers: ${unknownExports.join(', ')}`);

      // The walk: every route, every role, one at a time, with the statements captured.
      const cookies = {};
      for (const role of ROLES) cookies[role] = await signIn(users[role]);
      const walked = []; // { pattern, path, role, status, ms, bytes, download, statements }
      const skipped = [];
      note(`${SCALE}×: walking ${routes.length} GET routes × ${ROLES.length} roles …`);
      // The exports last: one stopped at its limit goes on in the platform for a while, and would slow the routes after it.
      for (const pattern of [...routes.filter((r) => !EXPORTS.includes(r)), ...routes.filter((r) => EXPORTS.includes(r))]) {
        const paths = pathsOf(pattern, records, queries);
        if (paths.length === 0) {
          skipped.push(pattern);
          continue;
        }
        const isExport = EXPORTS.includes(pattern);
        const notPage = NOT_PAGES.test(pattern);
        for (const role of ROLES) {
          // An export is downloaded once, by the first role that may (the heavy ones take seconds at 100×).
          if (isExport && walked.some((w) => w.pattern === pattern && typeof w.status === 'number' && w.status < 400)) break;
          for (const path of paths) {
            await ask(child, 'start', 'started');
            const res = await get(path, { cookie: cookies[role] }, { count: true, limitMs: (isExport ? EXPORT_LIMIT_S : REQUEST_LIMIT_S) * 1000 });
            const statements = await ask(child, 'stop', 'statements');
            const type = String(res.headers['content-type'] ?? '');
            const download = /attachment/.test(String(res.headers['content-disposition'] ?? '')) || /csv|spreadsheet|pdf|octet-stream/.test(type);
            walked.push({ pattern, path, role, status: res.status, ms: res.ms, bytes: res.bytes, download, isExport, notPage, statements });
            if (res.status === 'stopped') await settle();
          }
        }
        // Progress, so that a run stopped halfway still tells which routes were slow.
        const mine = walked.filter((w) => w.pattern === pattern);
        const slowest = mine.reduce((a, b) => (b.ms > a.ms ? b : a), mine[0]);
        if (slowest) note(`  ${pattern}: slowest ${slowest.role} ${slowest.status} in ${ms(slowest.ms)}, ${kb(slowest.bytes)}`);
      }

      // The baseline: the captured reads of every walked request that was answered (not for exports).
      note(`${SCALE}×: replaying the captured reads through plain pg …`);
      for (const w of walked) if (!w.isExport && typeof w.status === 'number' && w.status < 400) w.pg = await replayReads(db, w.statements);

      // The closed loop over each role's mix.
      const mixes = {};
      for (const role of ROLES)
        mixes[role] = walked.filter((w) => w.role === role && !w.isExport && !w.notPage && typeof w.status === 'number' && w.status < 400);
      const sessions = [];
      for (let i = 0; i < USERS; i++) {
        const role = ROLES[i % ROLES.length];
        sessions.push({ role, cookie: await signIn(users[role]) });
      }
      const loops = [];
      for (const thinkMs of THINK_TIMES) {
        note(`${SCALE}×: ${USERS} users in a closed loop for ${SECONDS} s, think time ${thinkMs} ms …`);
        loops.push({ thinkMs, ...(await closedLoop(sessions, mixes, thinkMs)) });
      }
      return { generateSeconds, records, run, routes, apiGets, walked, skipped, loops };
    } finally {
      await stop(child);
    }
  } finally {
    await db.end();
  }
}

/** BENCH_USERS sessions round their role's mix for BENCH_SECONDS, waiting thinkMs × 0.5–1.5 between answer and request. */
async function closedLoop(sessions, mixes, thinkMs) {
  const samples = new Map(); // pattern|role → { times, errors }
  const meter = cpuMeter();
  const loadBefore = loadavg();
  const loopStart = performance.now();
  const deadline = loopStart + SECONDS * 1000;
  await Promise.all(
    sessions.map(async (s, i) => {
      // Round robin over the role's mix, each user from its own place in it: every route gets its share.
      const mix = mixes[s.role];
      let next = Math.floor(i / ROLES.length) * Math.max(1, Math.floor(mix.length / Math.ceil(USERS / ROLES.length)));
      // With a think time, users come in as people do, each after a pause of its own, not all in the same millisecond.
      if (thinkMs > 0) await sleep(thinkMs * Math.random());
      while (performance.now() < deadline && mix.length > 0) {
        const w = mix[next++ % mix.length];
        const res = await get(w.path, { cookie: s.cookie }, { count: true });
        const key = `${w.pattern}|${s.role}`;
        const entry = samples.get(key) ?? { times: [], errors: {} };
        entry.times.push(res.ms);
        // Every answer: when it was asked (ms into the loop), how long it took, its request id (the platform's log).
        (entry.trace ??= []).push([Math.round(performance.now() - res.ms - loopStart), Math.round(res.ms * 10) / 10, res.headers['x-request-id']]);
        if (res.status !== w.status) entry.errors[res.status] = (entry.errors[res.status] ?? 0) + 1;
        samples.set(key, entry);
        if (thinkMs > 0) await sleep(thinkMs * (0.5 + Math.random()));
      }
    }),
  );
  const cpu = meter.stop();
  return { samples, cpu, loadBefore, loadAfter: loadavg() };
}

function report(r) {
  const total = [...r.samples.values()].reduce((n, e) => n + e.times.length, 0);
  print(`\n## Every route at ${SCALE}× (seed ${SEED}), ${new Date().toISOString().slice(0, 16)} UTC`);
  print(
    `${cpus().length} × ${cpus()[0].model}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}; load average ${r.loadBefore.map((l) => l.toFixed(1)).join(' / ')} before the loop, ` +
      `${r.loadAfter.map((l) => l.toFixed(1)).join(' / ')} after; machine busy ${r.cpu ? Math.round(r.cpu.busyShare * 100) : '?'} % during the loop ` +
      `(platform ${r.cpu?.platform.toFixed(0)} s, PostgreSQL ${r.cpu?.postgres.toFixed(0)} s, load generator ${r.cpu?.client.toFixed(0)} s, rest ${r.cpu?.rest.toFixed(0)} s of CPU; ` +
      `per answer: platform ${ms((r.cpu?.platform * 1000) / total)}, PostgreSQL ${ms((r.cpu?.postgres * 1000) / total)})`,
  );
  print(
    `Generated in ${r.generateSeconds} s. Records asked for: application ${r.records.application_id} (project year ${r.records.year_number}), applicant ${r.records.applicant_id}, ` +
      `local government ${r.records.lead_local_government_id} (${r.records.nis_code}), allocation run ${r.run.id} (${r.run.published ? 'published' : 'simulated'}), user ${r.records.officer_id}.`,
  );
  print(
    `${r.routes.length} GET routes (${r.apiGets.length} in the OpenAPI document); walked ${new Set(r.walked.map((w) => w.pattern)).size}; ` +
      `not walked (no id to ask for): ${r.skipped.join(', ') || 'none'}. Closed loop: ${USERS} users, ${SECONDS} s, think time ${r.thinkMs} ms, ${total} answers (${(total / SECONDS).toFixed(0)}/s).`,
  );
  print(
    `Plain pg baseline: the request's captured reads (SELECT/WITH) one after another on one client, 1 warm-up + median of ${PG_RUNS}, ` +
      `session options ${SESSION_OPTIONS ?? 'none'} (as the platform's connections); "main" is the slowest statement.`,
  );
  const undocumented = [...new Set(r.walked.filter((w) => w.download && !w.isExport).map((w) => w.pattern))];
  if (undocumented.length > 0) print(`**Downloads not listed as exports:** ${undocumented.join(', ')}`);

  const rows = [];
  const patterns = [...new Set(r.walked.map((w) => w.pattern))];
  for (const pattern of patterns) {
    for (const role of ROLES) {
      const walks = r.walked.filter((w) => w.pattern === pattern && w.role === role);
      const statuses = [...new Set(walks.map((w) => w.status))].join('/');
      const entry = r.samples.get(`${pattern}|${role}`);
      const sorted = entry ? [...entry.times].sort((a, b) => a - b) : [];
      const pg = walks.map((w) => w.pg).filter(Boolean);
      const main = pg.length ? Math.max(...pg.map((p) => p.main)) : undefined;
      const all = pg.length ? Math.max(...pg.map((p) => p.all)) : undefined;
      const count = pg.length ? Math.max(...pg.map((p) => p.count)) : undefined;
      const isExport = walks[0]?.isExport;
      const walkMs = Math.max(...walks.map((w) => w.ms));
      const bytes = Math.max(...walks.map((w) => w.bytes));
      const p95 = percentile(sorted, 0.95);
      const notPage = walks[0]?.notPage;
      // A page or API route misses the goal with its loop p95, or when its walk was not answered within REQUEST_LIMIT_S.
      const stopped = walks.some((w) => typeof w.status !== 'number');
      const misses = !isExport && !notPage && ((sorted.length > 0 && p95 >= GOAL_MS) || stopped);
      const errors = entry ? Object.entries(entry.errors).map(([s, n]) => `${n}× ${s}`) : [];
      rows.push({
        pattern,
        role,
        statuses,
        bytes,
        n: sorted.length,
        p50: percentile(sorted, 0.5),
        p95,
        max: sorted.at(-1),
        walkMs,
        main,
        all,
        count,
        isExport,
        notPage,
        misses,
        errors,
        pg,
      });
    }
  }
  const answers = [...r.samples.values()].flatMap((e) => e.times).sort((a, b) => a - b);
  const judged = rows.filter((row) => row.n > 0 && !row.isExport && !row.notPage);
  print(
    `All answers of the loop: p50 ${ms(percentile(answers, 0.5))}, p95 ${ms(percentile(answers, 0.95))}, p99 ${ms(percentile(answers, 0.99))}, max ${ms(answers.at(-1))}; ` +
      `route × role pairs with p95 under ${GOAL_MS} ms: ${judged.filter((row) => !row.misses).length} of ${judged.length}` +
      (r.thinkMs === 0 ? " (no pauses: the stress figure; the goal is judged on the loop with people's pauses, docs/benchmarks.md)." : '.'),
  );
  print('\n| route pattern | role | walk: status, time, size | loop: answers | p50 | p95 | max | plain pg: main query / all reads (n) | goal |');
  print('|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) {
    const statusOk = row.statuses.split('/').every((s) => Number(s) < 400);
    if (row.statuses === '') continue; // an export walked by another role
    if (!statusOk && row.n === 0 && !row.isExport) continue; // refused (403/404): in the summary below
    const goal = row.isExport ? 'export (exempt)' : row.notPage ? 'not a page (walk only)' : row.misses ? `**✘ p95 ≥ ${GOAL_MS} ms**` : '✔';
    print(
      `| ${row.pattern} | ${row.role} | ${row.statuses}, ${ms(row.walkMs)}, ${kb(row.bytes)} | ${row.n}${row.errors.length ? ` (${row.errors.join(', ')})` : ''} | ${ms(row.p50)} | ${ms(row.p95)} | ${ms(row.max)} | ` +
        `${row.main === undefined ? '–' : `${ms(row.main)} / ${ms(row.all)} (${row.count})`} | ${goal} |`,
    );
  }
  const refused = rows.filter((row) => !row.isExport && !row.notPage && row.n === 0 && row.statuses.split('/').some((s) => !(Number(s) < 400)));
  const byStatus = {};
  for (const row of refused) (byStatus[`${row.role}: ${row.statuses}`] ??= []).push(row.pattern);
  print('\nNot in the loop (the role is refused, or the record does not exist), walk answers per role:');
  for (const [key, list] of Object.entries(byStatus)) print(`- ${key}: ${list.length} routes`);

  // Worst role per pattern, and the routes that miss the goal.
  print('\nPer route pattern: the slowest walk (one request at a time, the role named) and the worst loop p95 over the roles:\n');
  print('| route pattern | walk: slowest role, status, time, size | loop: worst role, answers, p50 / p95 / max | plain pg main / all reads | goal |');
  print('|---|---|---|---|---|');
  for (const pattern of patterns) {
    const answered = rows.filter((row) => row.pattern === pattern && row.statuses !== '' && row.statuses.split('/').every((s) => Number(s) < 400));
    if (answered.length === 0) continue;
    const slowWalk = answered.reduce((a, b) => (b.walkMs > a.walkMs ? b : a));
    const looped = answered.filter((row) => row.n > 0);
    const worst = looped.length > 0 ? looped.reduce((a, b) => (b.p95 > a.p95 ? b : a)) : null;
    const pg = answered.filter((row) => row.main !== undefined).reduce((a, b) => (a && a.main >= b.main ? a : b), null);
    const first = answered[0];
    const goal = first.isExport
      ? 'export (exempt)'
      : first.notPage
        ? 'not a page'
        : answered.some((row) => row.misses)
          ? '**✘**'
          : looped.length === 0
            ? 'no answer in the loop'
            : '✔';
    print(
      `| ${pattern} | ${slowWalk.role}, ${slowWalk.statuses}, ${ms(slowWalk.walkMs)}, ${kb(slowWalk.bytes)} | ` +
        `${worst ? `${worst.role}, ${worst.n}, ${ms(worst.p50)} / ${ms(worst.p95)} / ${ms(worst.max)}` : '–'} | ` +
        `${pg ? `${ms(pg.main)} / ${ms(pg.all)}` : '–'} | ${goal} |`,
    );
  }
  const missing = rows.filter((row) => row.misses);
  print(`\nRoutes with p95 ≥ ${GOAL_MS} ms (not exports): ${missing.length === 0 ? 'none' : ''}`);
  for (const row of missing) {
    const slowest = row.pg.reduce((a, b) => (b.main > (a?.main ?? -1) ? b : a), null);
    print(
      `- ${row.pattern} (${row.role}): p95 ${ms(row.p95)}, walk ${row.statuses} in ${ms(row.walkMs)} (${kb(row.bytes)}); slowest statement ${ms(slowest?.main)}: ${slowest?.mainText.replace(/\s+/g, ' ').slice(0, 160) ?? '–'}`,
    );
  }
}

// Ctrl-C or a kill: the platform stops with this process (rush-http's exit hook); the database is dropped here.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    note(`${signal}: cleaning up`);
    for (const child of running) child.kill('SIGTERM');
    if (platform && platform.exitCode === null) platform.kill('SIGKILL');
    const admin = new Client({ connectionString: SERVER });
    try {
      await admin.connect();
      await sleep(200);
      await admin.query(`DROP DATABASE IF EXISTS "${PREFIX}_${process.pid}" WITH (FORCE)`);
    } finally {
      process.exit(130);
    }
  });
}

withThrowawayDatabase(SERVER, PREFIX, measure).then(
  (result) => {
    // BENCH_RESULT_FILE: the raw figures as JSON as well (the walk without the captured statements, the loop's samples).
    if (process.env.BENCH_RESULT_FILE)
      require('node:fs').writeFileSync(
        process.env.BENCH_RESULT_FILE,
        JSON.stringify({
          ...result,
          walked: result.walked.map(({ statements, ...w }) => ({ ...w, statements: statements.length })),
          loops: result.loops.map((loop) => ({ ...loop, samples: [...loop.samples] })),
        }),
      );
    for (const loop of result.loops) report({ ...result, ...loop });
    process.exit(0);
  },
  (error) => {
    note(error.stack ?? String(error));
    process.exit(1);
  },
);
