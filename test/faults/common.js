// Shared parts of the fault suite (issue 13, docs/reliability.md): PASS/FAIL lines, clean-up that also runs
// on failure and on Ctrl-C, the build, a private PostgreSQL cluster that can be stopped and started, and
// throwaway databases. Each scenario is a plain Node script; run.js runs them all (`npm run test:faults`).
const { execFileSync, spawnSync } = require('node:child_process');
const { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } = require('node:fs');
const net = require('node:net');
const { cpus, totalmem, tmpdir, release, platform } = require('node:os');
const { join } = require('node:path');
const { Client } = require('pg');

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'apps', 'platform', 'src', 'main.js');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const print = (line) => process.stdout.write(`${line}\n`);
const note = (line) => process.stderr.write(`${line}\n`);

let failures = 0;
/** One verdict: a PASS or FAIL line (with what was seen when it failed). */
function check(ok, what, detail = '') {
  if (!ok) failures++;
  print(`${ok ? 'PASS' : 'FAIL'} ${what}${detail ? ` — ${detail}` : ''}`);
  return ok;
}

const cleanups = [];
/** Registers clean-up work; it runs last registered first, when the scenario ends, fails or is interrupted. */
function onCleanup(work) {
  cleanups.push(work);
}
async function cleanUp() {
  while (cleanups.length > 0) {
    const work = cleanups.pop();
    let timer;
    try {
      // No clean-up step may hold up the others for long.
      await Promise.race([work(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('a step took longer than 20 s')), 20_000)))]);
    } catch (error) {
      note(`clean-up: ${error.message}`);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Runs one scenario: prints its name, runs it, cleans up whatever happens, exits 1 when a check failed. */
function scenario(name, run) {
  let ending = false;
  const end = async (code) => {
    if (ending) return;
    ending = true;
    await cleanUp();
    print(`${code === 0 ? 'PASS' : 'FAIL'} scenario: ${name}`);
    process.exit(code);
  };
  // Node exits by itself when nothing is left to wait for: then something never finished, which is a failure too.
  process.once('beforeExit', () => {
    print(`FAIL scenario: ${name} — stopped early: a step or clean-up never finished`);
    process.exitCode = 1;
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => (note(`${signal}: cleaning up`), end(130)));
  print(`\n== ${name}`);
  run().then(
    () => end(failures > 0 ? 1 : 0),
    (error) => {
      check(false, `${name} ran to the end`, error.stack);
      return end(1);
    },
  );
}

/** Stops a platform process (rush-http's stop) unless it is gone already, killed or not. */
async function stopPlatform(stop, child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const late = setTimeout(() => child.kill('SIGKILL'), 5000); // a test platform gets 5 s to shut down gracefully
  await stop(child);
  clearTimeout(late);
}

/** Newest modification time of the platform's sources (TypeScript, views, texts). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|hbs|json)$/.test(entry.name) && !/\.spec\.ts$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the platform (`npm run build`) when dist is missing or older than a source file. */
function ensureBuilt() {
  const built = existsSync(MAIN) ? statSync(MAIN).mtimeMs : 0;
  const sources = Math.max(newestSource(join(ROOT, 'apps')), newestSource(join(ROOT, 'libs')));
  if (built >= sources) return;
  note(built ? 'dist is older than the sources: npm run build' : 'no dist: npm run build');
  try {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch {
    throw new Error(
      'npm run build failed. In a checkout where a change is half done, run the suite from a snapshot of a commit: git archive HEAD | tar -x -C <dir>, link node_modules there, npm run test:faults in <dir>',
    );
  }
}

/** A TCP port nobody listens on right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The binaries of the newest PostgreSQL installed on this machine (or FAULTS_PG_BIN), if any. */
function postgresBin() {
  if (process.env.FAULTS_PG_BIN) return process.env.FAULTS_PG_BIN;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(base, versions[0], 'bin') : undefined;
}

/**
 * A PostgreSQL cluster of this run only, in a temporary directory, listening on 127.0.0.1 and a free port,
 * trust authentication for `postgres`. As root, initdb refuses to run, so the cluster runs as the `postgres`
 * OS user (runuser). Stopped and removed at clean-up. Returns undefined when it cannot be made here.
 */
async function privateCluster() {
  const bin = postgresBin();
  if (!bin) return undefined;
  const root = process.getuid?.() === 0;
  let owner;
  if (root) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (id.status !== 0) return undefined;
    owner = { uid: Number(id.stdout), gid: Number(gid.stdout) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'ps-faults-pg-'));
  const data = join(dir, 'data');
  let running = false;
  const run = (tool, args) => {
    const command = root ? 'runuser' : join(bin, tool);
    const argv = root ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args;
    const result = spawnSync(command, argv, { encoding: 'utf8', cwd: dir });
    if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')}: ${result.stderr || result.stdout || result.error?.message}`);
    return result.stdout;
  };
  onCleanup(() => {
    if (running)
      spawnSync(root ? 'runuser' : join(bin, 'pg_ctl'), [
        ...(root ? ['-u', 'postgres', '--', join(bin, 'pg_ctl')] : []),
        '-D',
        data,
        '-m',
        'immediate',
        '-w',
        'stop',
      ]);
    rmSync(dir, { recursive: true, force: true });
  });
  if (owner) chownSync(dir, owner.uid, owner.gid);
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync']);
  } catch (error) {
    note(`cannot make a private PostgreSQL cluster: ${error.message.split('\n')[0]}`);
    return undefined;
  }
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`;
  const cluster = {
    dir,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    version: run('postgres', ['--version']).trim(),
    start() {
      run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', 'start']);
      running = true;
    },
    stop() {
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      running = false;
    },
  };
  cluster.start();
  return cluster;
}

/** A new database on the server at serverUrl, dropped at clean-up (also after a failure or Ctrl-C); returns its URL. */
async function throwawayDatabase(serverUrl, name) {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  onCleanup(async () => {
    const again = new Client({ connectionString: serverUrl });
    await again.connect();
    try {
      await again.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await again.end();
    }
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Whether a PostgreSQL server answers at url. */
async function reachable(url) {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** One query on a fresh connection. */
async function query(url, text, params) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** Machine and date, for docs/reliability.md. */
function machine() {
  return `${new Date().toISOString().slice(0, 10)}; ${platform()} ${release()}, ${cpus().length} × ${cpus()[0].model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

module.exports = {
  ROOT,
  sleep,
  print,
  note,
  check,
  onCleanup,
  scenario,
  stopPlatform,
  ensureBuilt,
  freePort,
  privateCluster,
  throwawayDatabase,
  reachable,
  query,
  machine,
};
