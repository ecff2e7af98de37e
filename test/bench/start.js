// Build and start times (issue 27): `npm run bench:start`. Works on a fresh clone of the committed HEAD in a temporary
// folder (this checkout is not touched), on the embedded database, and prints one markdown table, before → after:
//
//   after (SWC, scripts/start.js):  npm ci; npm start to the first page (fresh data directory); npm start again (warm,
//                                   nothing changed: no build); npm run build with nothing changed; a full SWC build.
//   before (tsc), the same clone:   the old build command `nest build platform -b tsc && nest build cli -b tsc`, then
//                                   the platform started from that build, fresh and warm. The old `npm start` always
//                                   rebuilt, so its warm start is the tsc build plus the start; its fresh clone npm ci
//                                   (measured once, above) plus that.
//
// "First page": GET / answers 200. Goals: fresh clone under 90 s including npm ci, warm npm start under 10 s, an
// unchanged build under 2 s. It also checks that both builds serve the same OpenAPI document (/api/docs-json) and the
// same actions page (/acties): SWC emits the decorator metadata Nest and @nestjs/swagger read. Exits non-zero when a
// check fails. BENCH_KEEP=1 keeps the clone. The machine's load average is printed: other work slows every figure.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { createServer } = require('node:net');
const { cpus, loadavg, tmpdir } = require('node:os');
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const GOALS = { fresh: 90, warm: 10, unchanged: 2 };
const print = (line) => process.stdout.write(`${line}\n`);
const note = (line) => process.stderr.write(`${line}\n`);
const seconds = (ms) => (ms / 1000).toFixed(1);

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs a command to its end; its duration in ms. Fails loudly. */
function timed(command, args, cwd) {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  return performance.now() - started;
}

async function get(port, path) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.text() };
}

/**
 * Starts a command (npm start, or node on a built main.js) and waits for GET / to answer 200: the time to the first
 * page. Returns it with the OpenAPI document and the actions page, then stops the process group.
 */
async function firstPage(command, args, cwd) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command, args, {
    cwd,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, PORT: String(port), DATABASE_URL: '', DATA_DIR: './data', NODE_ENV: 'development', LOG_LEVEL: 'warn' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${command} ${args.join(' ')} stopped (${child.exitCode}):\n${stderr}`);
      const page = await get(port, '/').catch(() => undefined);
      if (page?.status === 200) break;
      if (performance.now() - started > 300_000) throw new Error(`no first page within 300 s:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const ms = performance.now() - started;
    const openapi = (await get(port, '/api/docs-json')).body;
    const actions = (await get(port, '/acties')).body;
    return { ms, openapi, actions };
  } finally {
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
}

async function main() {
  const load = loadavg();
  note(`${cpus().length} cores, load average ${load.map((l) => l.toFixed(1)).join(' ')} at the start`);
  const work = mkdtempSync(join(tmpdir(), 'ps-bench-start-'));
  const clone = join(work, 'clone');
  const failures = [];
  try {
    note('cloning the committed HEAD …');
    timed('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone]);
    note('npm ci …');
    const ci = timed('npm', ['ci', '--no-audit', '--no-fund'], clone);

    note('after: npm start on a fresh clone (builds with SWC, creates the database) …');
    const freshAfter = await firstPage('npm', ['start'], clone);
    note('after: npm start again (warm) …');
    const warmAfter = await firstPage('npm', ['start'], clone);
    const unchanged = [1, 2, 3].map(() => timed('npm', ['run', 'build'], clone)).sort((a, b) => a - b)[1];
    const fullSwc = timed('npm', ['run', 'build', '--', '--force'], clone);

    note('before: the old build command with tsc …');
    rmSync(join(clone, 'dist'), { recursive: true, force: true });
    const nest = join(clone, 'node_modules', '.bin', 'nest');
    const tscBuild = timed(nest, ['build', 'platform', '-b', 'tsc'], clone) + timed(nest, ['build', 'cli', '-b', 'tsc'], clone);
    const main = ['dist/apps/platform/src/main.js'];
    note('before: the platform from the tsc build, warm and fresh …');
    const warmStartTsc = await firstPage(process.execPath, main, clone);
    rmSync(join(clone, 'data'), { recursive: true, force: true });
    const freshStartTsc = await firstPage(process.execPath, main, clone);

    const freshBefore = ci + tscBuild + freshStartTsc.ms;
    const warmBefore = tscBuild + warmStartTsc.ms;
    const freshAfterTotal = ci + freshAfter.ms;
    const rows = [
      ['fresh clone: npm ci + npm start to the first page', freshBefore, freshAfterTotal, GOALS.fresh],
      ['  of which npm ci', ci, ci, undefined],
      ['warm npm start to the first page (nothing changed)', warmBefore, warmAfter.ms, GOALS.warm],
      ['build, nothing changed (`npm run build`)', tscBuild, unchanged, GOALS.unchanged],
      ['full build (tsc: both apps; SWC: one run for both)', tscBuild, fullSwc, undefined],
      ['platform start to the first page, existing data (no build)', warmStartTsc.ms, warmAfter.ms, undefined],
    ];
    print('| step | before (tsc) | after (SWC, start script) | goal |');
    print('|---|---:|---:|---:|');
    for (const [label, before, after, goal] of rows) {
      const met = goal === undefined ? '' : `${after / 1000 < goal ? '✓' : '✗'} < ${goal} s`;
      if (goal !== undefined && after / 1000 >= goal) failures.push(`${label}: ${seconds(after)} s, goal < ${goal} s`);
      print(`| ${label} | ${seconds(before)} s | ${seconds(after)} s | ${met} |`);
    }
    const sameOpenapi = freshAfter.openapi === warmStartTsc.openapi && freshAfter.openapi.startsWith('{"openapi"');
    const sameActions = freshAfter.actions === warmStartTsc.actions && freshAfter.actions.includes('Actie');
    print('');
    print(`OpenAPI document (/api/docs-json, ${freshAfter.openapi.length} bytes): ${sameOpenapi ? 'identical' : 'DIFFERENT'} from both builds`);
    print(`actions page (/acties): ${sameActions ? 'identical' : 'DIFFERENT'} from both builds`);
    if (!sameOpenapi) failures.push('the OpenAPI document differs between the tsc and the SWC build');
    if (!sameActions) failures.push('the actions page differs between the tsc and the SWC build');
    note(
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} at the end`,
    );
  } finally {
    if (process.env.BENCH_KEEP === '1') note(`kept ${clone}`);
    else rmSync(work, { recursive: true, force: true });
  }
  for (const failure of failures) note(`check failed: ${failure}`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

main().catch((error) => {
  note(error.stack ?? String(error));
  process.exit(1);
});
