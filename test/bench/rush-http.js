// HTTP plumbing and set-up of the deadline-rush benchmark (rush.js): the platform process, requests
// with a time limit, and officers with drafts of their own, created through the API and the forms.
const http = require('node:http');
const { spawn } = require('node:child_process');
const { createHash } = require('node:crypto');
const { join } = require('node:path');
const { readFileSync } = require('node:fs');
const { cpuSeconds } = require('./cpu-meter');
const { mailInbox } = require('./mail-inbox');

const PORT = Number(process.env.BENCH_PORT ?? 3933);
const ADMIN = 'beheerder@abb.demo';
const DEMO_PASSWORD = 'Samenleven-demo-2026'; // as in load.js and libs/setup/src/demo-data.ts
const OFFICER_PASSWORD = 'Een lang wachtwoord voor de stormloop';
const main = join(__dirname, '..', '..', 'dist', 'apps', 'platform', 'src', 'main.js');
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One request; resolves with { status, headers, text, json } or, when no answer came in time or the
 * connection failed, with { status: 'timeout' | 'error', error }. Never rejects.
 */
function call(method, path, { headers = {}, body, timeoutMs = 60_000 } = {}) {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const type = typeof body === 'string' ? 'application/x-www-form-urlencoded' : 'application/json';
  return new Promise((resolve) => {
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
        res.on('error', (error) => resolve({ status: 'error', error }));
      },
    );
    req.setTimeout(timeoutMs, () => {
      resolve({ status: 'timeout' });
      req.destroy();
    });
    req.on('error', (error) => resolve({ status: 'error', error }));
    req.end(payload);
  });
}

/**
 * With WORKERS > 1 the first worker answers /health while the others still boot: waits until all are forked and
 * none is busy starting (under 0.1 s of CPU in half a second), so their start-up is not measured as load.
 */
async function workersStarted(child, workers) {
  if (workers <= 1) return;
  const children = () => readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  while (children().length < workers) await sleep(200);
  for (let quiet = 0; quiet < 2;) {
    const before = children().map(cpuSeconds);
    await sleep(500);
    quiet = children()
      .map(cpuSeconds)
      .every((cpu, i) => cpu - before[i] < 0.1)
      ? quiet + 1
      : 0;
  }
}

/** Starts the built platform with DEMO_DATA=true; `preload` is a module to --require (the statement capture). */
async function startPlatform(env, preload, port = PORT) {
  const args = [
    ...(process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean),
    ...(process.env.BENCH_PROFILE ? ['--require', require.resolve('./rush-profile')] : []),
    ...(preload ? ['--require', preload, main] : [main]),
  ];
  const smtpUrl = (await mailInbox()).url;
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      SMTP_URL: smtpUrl,
      ...env,
      PORT: String(port),
      LOG_LEVEL: process.env.BENCH_PLATFORM_LOG ? 'log' : 'warn',
      NODE_ENV: 'production',
      SESSION_SECRET: 'bench-only-session-secret-0123456789abcdef',
      COOKIE_SECURE: 'false',
      DEMO_DATA: env.DEMO_DATA ?? 'true',
    },
    stdio: [
      'ignore',
      process.env.BENCH_PLATFORM_LOG ? require('node:fs').openSync(process.env.BENCH_PLATFORM_LOG, 'a') : 'ignore',
      'inherit',
      ...(preload ? ['ipc'] : []),
    ],
  });
  const kill = () => child.kill('SIGTERM');
  process.once('exit', kill); // never leave a platform behind
  child.once('exit', () => process.off('exit', kill));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`platform exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return (await workersStarted(child, Number(env.WORKERS ?? 1)), child);
    } catch {
      await sleep(50);
    }
  }
}

async function stop(child) {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

const csrf = (html) => /name="_csrf" value="([^"]+)"/.exec(html)[1];
const cookieOf = (res) => (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
function must(res, status, what) {
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${res.error?.message ?? res.text?.slice(0, 300) ?? ''}`);
  return res;
}

/** Signs in through the form and issues a personal API token; returns the secret. */
async function tokenFor(email, password) {
  const form = await call('GET', '/aanmelden');
  const signedIn = must(
    await call('POST', '/aanmelden', {
      headers: { cookie: cookieOf(form) },
      body: new URLSearchParams({ _csrf: csrf(form.text), email, password }).toString(),
    }),
    303,
    `sign-in of ${email}`,
  );
  const cookie = cookieOf(signedIn) || cookieOf(form);
  const account = await call('GET', '/account', { headers: { cookie } });
  const issued = must(
    await call('POST', '/account/tokens', {
      headers: { cookie },
      body: new URLSearchParams({ _csrf: csrf(account.text), name: 'stormloop', validDays: '1' }).toString(),
    }),
    201,
    `token of ${email}`,
  );
  return /id="new-token">([^<]+)</.exec(issued.text)[1];
}

/** Runs work(item) over items, `width` at a time. */
async function pool(items, width, work) {
  const results = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i], i);
      }
    }),
  );
  return results;
}

/** What each officer's form sends: one line of each of `actions` actions, the first one able to plan 2 (its reach alternates 1, 2). */
function formLines(lines, actions) {
  const first = lines.find((l) => l.maxQuantity >= 2);
  const chosen = [first];
  for (const l of lines) if (chosen.length < actions && l.maxQuantity >= 1 && !chosen.some((c) => c.actionNumber === l.actionNumber)) chosen.push(l);
  return chosen;
}

/**
 * The set-up, all through the API and the forms as ABB's administrator: opens the latest call to every
 * municipality (threshold 0, new applicants allowed), registers `count` applicants "alone", creates an
 * officer for each, who sets a password from the welcome mail, signs in, issues an API token and opens the draft.
 */
async function prepareDrafts(count, actions) {
  const admin = { authorization: `Bearer ${await tokenFor(ADMIN, DEMO_PASSWORD)}` };
  const calls = must(await call('GET', '/api/v1/calls', { headers: admin }), 200, 'calls').json;
  const latest = calls.reduce((a, b) => (b.yearNumber > a.yearNumber ? b : a));
  const opened = await call('PATCH', `/api/v1/calls/${latest.yearNumber}`, {
    headers: admin,
    body: { version: latest.version, eligibilityThreshold: '0', onlyExistingApplicants: 'false' },
  });
  if (opened.status !== 200)
    process.stderr.write(`note: could not open call ${latest.yearNumber} to every municipality (${opened.status}); using the eligible ones\n`);
  // the coverage overview and the local governments come a page at a time: walk them at the largest page size
  const coverage = [];
  for (let page = 1, pages = 1; page <= pages; page += 1) {
    const body = must(
      await call('GET', `/api/v1/eligibility?year=${latest.yearNumber}&pageSize=200&page=${page}`, { headers: admin }),
      200,
      'eligibility',
    ).json;
    coverage.push(...body.items);
    pages = body.pages;
  }
  const free = new Set(coverage.filter((r) => r.status === 'eligible-alone' && !r.applicantId).map((r) => r.nisCode));
  let governments = [];
  for (let page = 1, pages = 1; page <= pages && governments.length < count; page += 1) {
    const found = must(await call('GET', `/api/v1/local-governments?pageSize=200&page=${page}`, { headers: admin }), 200, 'local governments').json;
    pages = found.pages;
    governments.push(...found.items.filter((g) => free.has(g.nisCode)));
  }
  governments = governments.slice(0, count);
  if (governments.length < count) process.stderr.write(`note: only ${governments.length} municipalities can register; BENCH_DRAFTS=${count}\n`);
  const officers = [];
  for (let start = 0; start < governments.length; start += 50) {
    const batch = governments.slice(start, start + 50);
    for (const g of batch) {
      const applicant = must(
        await call('POST', '/api/v1/applicants', { headers: admin, body: { year: latest.yearNumber, kind: 'alone', leadLocalGovernmentId: g.id } }),
        201,
        `applicant for ${g.nameNl}`,
      ).json;
      const email = `stormloop-${g.nisCode}@bench.example`;
      must(
        await call('POST', '/api/v1/users', {
          headers: admin,
          body: { email, displayName: `Stormloop ${g.nameNl}`, role: 'municipal-officer', localGovernmentId: g.id },
        }),
        201,
        `officer of ${g.nameNl}`,
      );
      officers.push({ email, localGovernmentId: g.id, applicantId: applicant.id });
    }
    const inbox = await mailInbox();
    await pool(officers.slice(start), 4, async (officer) => {
      const welcome = inbox.tokenFor(officer.email);
      const page = await call('GET', `/wachtwoord-herstellen?token=${welcome}`);
      must(
        await call('POST', '/wachtwoord-herstellen', {
          headers: { cookie: cookieOf(page) },
          body: new URLSearchParams({ _csrf: csrf(page.text), token: welcome, password: OFFICER_PASSWORD }).toString(),
        }),
        303,
        `password of ${officer.email}`,
      );
      officer.token = await tokenFor(officer.email, OFFICER_PASSWORD);
      officer.tokenHash = createHash('sha256').update(officer.token).digest('hex');
      officer.auth = { authorization: `Bearer ${officer.token}` };
      const draft = must(
        await call('POST', `/api/v1/applicants/${officer.applicantId}/application`, { headers: officer.auth }),
        201,
        `draft of ${officer.email}`,
      ).json;
      officer.applicationId = draft.id;
      officer.version = draft.version;
      officer.lines = formLines(draft.lines, actions);
      officer.reach = officer.lines[0].plannedReach;
    });
  }
  return officers;
}

/** A one-page PDF: the signed letter that confirms a payout account. */
let letterPdf;
async function payoutLetter() {
  const { PDFDocument } = require('pdf-lib');
  letterPdf ??= Buffer.from(await PDFDocument.create().then((d) => (d.addPage(), d.save())));
  return letterPdf;
}

/** An upload of one file in the form field `field`, as a browser sends it (multipart/form-data). */
function upload(path, headers, field, filename, contentType, content) {
  const boundary = `----bench${Date.now()}${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return fetch(`http://127.0.0.1:${PORT}${path}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
  });
}

/**
 * What a submission needs besides the draft, by the officer: the applicant's contact person and payout account,
 * and the signed letter that confirms that account.
 */
async function completeApplicant(officer) {
  const applicant = must(await call('GET', `/api/v1/applicants/${officer.applicantId}`, { headers: officer.auth }), 200, 'applicant').json;
  must(
    await call('PUT', `/api/v1/applicants/${officer.applicantId}/contact`, {
      headers: officer.auth,
      body: {
        contactName: 'Fien Stormloop',
        contactEmail: officer.email,
        contactPhone: '09 266 55 00',
        payoutIban: 'BE68 5390 0754 7034',
        version: applicant.version,
      },
    }),
    200,
    `contact of ${officer.email}`,
  );
  const letter = await upload(
    `/api/v1/applicants/${officer.applicantId}/iban-letter`,
    officer.auth,
    'letter',
    'bevestiging.pdf',
    'application/pdf',
    await payoutLetter(),
  );
  if (letter.status !== 201) throw new Error(`letter of ${officer.email}: ${letter.status} ${await letter.text()}`);
}

module.exports = { call, must, startPlatform, stop, prepareDrafts, completeApplicant, tokenFor, pool, agent, sleep, PORT, ADMIN, DEMO_PASSWORD };
