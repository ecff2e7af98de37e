// Benchmarks of the foundation; run with `npm run build && npm run bench`. Prints figures only.
// 1. Start-up: first start (migrations, reference and demo data) and warm restart, on the
//    embedded PGlite and on the PostgreSQL server named by BENCH_DATABASE_URL.
// 2. Requests: the menu and a local-government search through the whole HTTP stack,
//    against the same SQL sent through plain `pg` as a baseline, in the same run.
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir, cpus } = require('node:os');
const { join } = require('node:path');
const { Client } = require('pg');
const { withThrowawayDatabase } = require('./throwaway-database');

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PORT = 3931;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 500);
const main = join(__dirname, '..', '..', 'dist', 'apps', 'platform', 'src', 'main.js');

const print = (line) => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function startPlatform(env) {
  const started = performance.now();
  const child = spawn(process.execPath, [main], { env: { ...process.env, ...env, PORT: String(PORT), LOG_LEVEL: 'warn' }, stdio: 'ignore' });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`platform exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/health`)).ok) break;
    } catch {
      await sleep(20);
    }
  }
  return { child, ms: performance.now() - started };
}

async function stop(child) {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

async function timed(n, fn) {
  for (let i = 0; i < 20; i++) await fn(); // warm-up
  const samples = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const pick = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))].toFixed(2);
  return `median ${pick(0.5)} ms, p95 ${pick(0.95)} ms (${n} sequential)`;
}

const withDatabase = (fn) => withThrowawayDatabase(SERVER, 'ps_bench', fn);

// The menu's one statement, as CatalogueRepository.menuRows sends it ($1 the call, $2 its project year).
const MENU_SQL = `SELECT o.code, o.name_nl, a.number, ca.title_nl, ca.funded, to_jsonb(k) AS kpi_line
                    FROM objective o
                    LEFT JOIN (action a JOIN call_action ca ON ca.action_number = a.number AND ca.call_id = $1) ON a.objective_code = o.code
                    LEFT JOIN kpi_line k ON k.call_id = $1 AND k.action_number = a.number
                   WHERE o.first_year IS NULL OR o.first_year <= $2
                   ORDER BY o.position, o.code, a.number, k.position`;

async function main_() {
  print(`Machine: ${cpus().length} × ${cpus()[0].model}, Node ${process.version}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'ps-bench-'));
  try {
    const first = await startPlatform({ DATA_DIR: dataDir, DATABASE_URL: '' });
    await stop(first.child);
    const warm = await startPlatform({ DATA_DIR: dataDir, DATABASE_URL: '' });
    const embeddedMenu = await timed(REQUESTS, () => fetch(`http://127.0.0.1:${PORT}/api/v1/calls/1/menu`).then((r) => r.json()));
    await stop(warm.child);
    print(`Embedded PGlite: first start ${first.ms.toFixed(0)} ms (migrations, reference + demo data), warm restart ${warm.ms.toFixed(0)} ms`);
    print(`Embedded PGlite: GET /api/v1/calls/1/menu ${embeddedMenu}`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }

  await withDatabase(async (url) => {
    const first = await startPlatform({ DATABASE_URL: url, DEMO_DATA: 'true' });
    await stop(first.child);
    const warm = await startPlatform({ DATABASE_URL: url, DEMO_DATA: 'true' });
    print(`PostgreSQL server: first start ${first.ms.toFixed(0)} ms, warm restart ${warm.ms.toFixed(0)} ms`);
    const http = await timed(REQUESTS, () => fetch(`http://127.0.0.1:${PORT}/api/v1/calls/1/menu`).then((r) => r.json()));
    const search = await timed(REQUESTS, () => fetch(`http://127.0.0.1:${PORT}/api/v1/local-governments?q=ge`).then((r) => r.json()));
    await stop(warm.child);

    const client = new Client({ connectionString: url });
    await client.connect();
    const [{ id }] = (await client.query('SELECT id FROM call WHERE year_number = 1')).rows;
    const plainMenu = await timed(REQUESTS, () => client.query(MENU_SQL, [id, 1]));
    const plainSearch = await timed(REQUESTS, () =>
      client.query(`SELECT * FROM local_government WHERE lower(name_nl) LIKE $1 OR nis_code LIKE $2 ORDER BY nis_code NULLS LAST, name_nl`, ['%ge%', 'ge%']),
    );
    await client.end();
    print(`PostgreSQL server: GET /api/v1/calls/1/menu ${http}`);
    print(`  baseline, the same query through plain pg: ${plainMenu}`);
    print(`PostgreSQL server: GET /api/v1/local-governments?q=ge ${search}`);
    print(`  baseline, the same query through plain pg: ${plainSearch}`);
  });
}

main_().catch((error) => {
  process.stderr.write(`benchmark failed: ${error.message}\n`);
  process.exit(1);
});
