// The pure allocation engine at national scale (issue 10); run with `npm run build && npm run bench:allocation`.
// Prints one markdown table. Synthetic calls, deterministic from BENCH_SEED: every applicant claims every KPI
// line of the 2022 catalogue (config/reference/kpi-catalogue-call-2022.csv: 27 lines over 19 actions), its
// actions in a seeded random priority order 1..19, a seeded confirmed quantity 1..max per line (amount =
// quantity × unit amount), and a cooperation stimulus of 1,000,000 cents for every third applicant.
// Budget: 60 % of the total, so rounds are cut. Scales: 1× = 300 applicants (every municipality), 100× = 30,000.
// Per scale and policy, a fresh child process (fork of this script) builds the claims and times
// `allocate` (one warm-up, then median of 5 in the same process), checks the result and reports its peak RSS
// (process.resourceUsage().maxRSS) and the heap used after the run. Baseline in the same run: the same rows
// in a throwaway database of the PostgreSQL server (BENCH_DATABASE_URL), read in full through `pg` (median of 5).
// Exits non-zero when a check fails.
const { fork } = require('node:child_process');
const { existsSync, readFileSync, statSync } = require('node:fs');
const { cpus, totalmem, loadavg } = require('node:os');
const { join } = require('node:path');
const { Client } = require('pg');
const { withThrowawayDatabase } = require('./throwaway-database');

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SEED = Number(process.env.BENCH_SEED ?? 20260101);
const RUNS = 5;
const MUNICIPALITIES = 300;
const SCALES = [
  { label: '1×', applicants: MUNICIPALITIES },
  { label: '100×', applicants: 100 * MUNICIPALITIES },
];
const POLICIES = [
  { label: 'priority rounds', policy: { kind: 'priority-rounds', stimuliFirst: true } },
  { label: 'pro rata', policy: { kind: 'pro-rata' } },
];
const GOAL_MS = 1000;
const COOPERATION_CENTS = 1_000_000;
const INSERT_BATCH = 10_000; // rows per multi-row INSERT: 50,000 parameters, under PostgreSQL's 65,535

const root = join(__dirname, '..', '..');
const built = join(root, 'dist', 'libs', 'allocation', 'src', 'allocation-rules.js');
const source = join(root, 'libs', 'allocation', 'src', 'allocation-rules.ts');
const catalogueFile = join(root, 'config', 'reference', 'kpi-catalogue-call-2022.csv');

const print = (line) => process.stdout.write(`${line}\n`);
const note = (line) => process.stderr.write(`${line}\n`);

// ---- the synthetic call ----

/** The catalogue's KPI lines in file order: id 1..27, action number, max quantity, unit amount in cents. */
function readCatalogue() {
  const [, ...rows] = readFileSync(catalogueFile, 'utf8').trim().split('\n');
  return rows.map((row, index) => {
    const fields = row.match(/("[^"]*"|[^,]*)(,|$)/g).map((field) => field.replace(/,$/, ''));
    const [actionNumber, , , , maxQuantity, unitEuro] = fields;
    return { kpiLineId: index + 1, actionNumber: Number(actionNumber), maxQuantity: Number(maxQuantity), unitCents: Number(unitEuro) * 100 };
  });
}

/** The claims of `applicants` applicants (ids 1..n); the first 300 are the same at every scale. */
function syntheticClaims(applicants, catalogue) {
  // The data generator's seeded randomness (mulberry32), from the build like the engine.
  const { seededRandom } = require(join(root, 'dist', 'libs', 'setup', 'src', 'generator', 'prng.js'));
  const random = seededRandom(SEED);
  const actions = [...new Set(catalogue.map((line) => line.actionNumber))];
  const claims = [];
  for (let applicantId = 1; applicantId <= applicants; applicantId++) {
    const order = actions.map((_, index) => index + 1);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const priorityOf = new Map(actions.map((action, index) => [action, order[index]]));
    const lines = catalogue.map((line) => ({
      kpiLineId: line.kpiLineId,
      actionNumber: line.actionNumber,
      priority: priorityOf.get(line.actionNumber),
      amountCents: (1 + Math.floor(random() * line.maxQuantity)) * line.unitCents,
    }));
    const stimuli = applicantId % 3 === 1 ? [{ kind: 'cooperation', cents: COOPERATION_CENTS }] : [];
    claims.push({ applicantId, lines, stimuli });
  }
  return claims;
}

function totals(claims) {
  let lines = 0;
  let confirmed = 0;
  for (const claim of claims) {
    lines += claim.lines.length;
    for (const line of claim.lines) confirmed += line.amountCents;
    for (const stimulus of claim.stimuli) confirmed += stimulus.cents;
  }
  if (!Number.isSafeInteger(confirmed)) throw new Error('total confirmed is not a safe integer');
  return { lines, confirmed, budget: Math.floor((confirmed * 6) / 10) };
}

const median = (samples) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];

// ---- child: one scale and policy in a fresh process ----

function child(applicants, policyIndex) {
  const { allocate } = require(built);
  const { policy } = POLICIES[policyIndex];
  const claims = syntheticClaims(applicants, readCatalogue());
  const { lines, confirmed, budget } = totals(claims);
  globalThis.gc?.();
  const rssBeforeKb = process.resourceUsage().maxRSS;
  const last = { result: null };
  const timeOne = () => {
    last.result = null; // the previous result is garbage before the next run starts
    globalThis.gc?.();
    const started = performance.now();
    last.result = allocate(budget, claims, policy);
    return performance.now() - started;
  };
  timeOne(); // warm-up
  const samples = Array.from({ length: RUNS }, timeOne);
  const heapUsedAfter = process.memoryUsage().heapUsed;
  const result = last.result;
  const failures = check(result, { applicants, lines, confirmed, budget, policy });
  process.send(
    {
      applicants,
      lines,
      confirmed,
      budget,
      samples,
      rssBeforeKb,
      maxRssKb: process.resourceUsage().maxRSS,
      heapUsedAfter,
      rounds: result.rounds.map((round) => `${round.round}:${round.outcome}`),
      failures,
    },
    () => process.disconnect(),
  );
}

/** allocated = min(budget, confirmed), the applicants' shares add up to it and no line gets more than it claimed. */
function check(result, { applicants, lines, confirmed, budget, policy }) {
  const failures = [];
  if (result.confirmedCents !== confirmed) failures.push(`confirmed ${result.confirmedCents} ≠ ${confirmed}`);
  if (result.allocatedCents !== Math.min(budget, confirmed))
    failures.push(`allocated ${result.allocatedCents} ≠ min(budget, confirmed) ${Math.min(budget, confirmed)}`);
  if (result.fits) failures.push('the budget fits: no round was cut');
  if (result.applicants.length !== applicants) failures.push(`${result.applicants.length} applicants in the result, expected ${applicants}`);
  let allocated = 0;
  let lineCount = 0;
  for (const applicant of result.applicants) {
    allocated += applicant.allocatedCents;
    for (const line of applicant.lines) {
      lineCount++;
      if (line.allocatedCents > line.confirmedCents || line.allocatedCents < 0)
        failures.push(`line ${line.kpiLineId} of ${applicant.applicantId} out of range`);
    }
  }
  if (allocated !== result.allocatedCents) failures.push(`the applicants' allocations add up to ${allocated}, not ${result.allocatedCents}`);
  if (lineCount !== lines) failures.push(`${lineCount} lines in the result, expected ${lines}`);
  if (!result.rounds.some((round) => round.outcome === 'scaled')) failures.push('no scaled round');
  if (policy.kind === 'pro-rata' && result.rounds.length !== 1) failures.push('pro rata should have one round');
  return failures.slice(0, 5);
}

function runChild(applicants, policyIndex) {
  return new Promise((resolve, reject) => {
    const worker = fork(join(__dirname, 'allocation.js'), ['--child', String(applicants), String(policyIndex)], { execArgv: ['--expose-gc'] });
    let message;
    worker.on('message', (m) => (message = m));
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 && message ? resolve(message) : reject(new Error(`child for ${applicants} applicants exited with ${code}`))));
  });
}

// ---- baseline: PostgreSQL reading the same rows ----

async function loadRows(client, claims) {
  await client.query('TRUNCATE claim_line');
  const rows = claims.flatMap((claim) => claim.lines.map((line) => [claim.applicantId, line.kpiLineId, line.actionNumber, line.priority, line.amountCents]));
  for (let start = 0; start < rows.length; start += INSERT_BATCH) {
    const batch = rows.slice(start, start + INSERT_BATCH);
    const values = batch.map((_, i) => `($${i * 5 + 1}, $${i * 5 + 2}, $${i * 5 + 3}, $${i * 5 + 4}, $${i * 5 + 5})`).join(', ');
    await client.query(`INSERT INTO claim_line (applicant_id, kpi_line_id, action_number, priority, amount_cents) VALUES ${values}`, batch.flat());
  }
  await client.query('VACUUM ANALYZE claim_line');
  return rows.length;
}

async function timeRead(client, expectedRows) {
  const read = () => client.query('SELECT applicant_id, kpi_line_id, action_number, priority, amount_cents FROM claim_line');
  const warm = await read();
  if (warm.rows.length !== expectedRows) throw new Error(`PostgreSQL returned ${warm.rows.length} rows, expected ${expectedRows}`);
  const samples = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    await read();
    samples.push(performance.now() - started);
  }
  return samples;
}

// ---- parent ----

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(0);
const ms = (value) => (value < 10 ? value.toFixed(1) : value.toFixed(0));
const thousands = (n) => n.toLocaleString('en-US');

async function main() {
  if (!existsSync(built)) {
    note(`${built} is missing: run \`npm run build\` first.`);
    process.exit(2);
  }
  if (statSync(built).mtimeMs < statSync(source).mtimeMs)
    note(`warning: the built engine is older than ${source}; run \`npm run build\` to measure the current source.`);
  const load = loadavg();
  const started = new Date();
  const catalogue = readCatalogue();

  const engine = [];
  for (const scale of SCALES) {
    for (let index = 0; index < POLICIES.length; index++) {
      note(`engine: ${scale.label} (${thousands(scale.applicants)} applicants), ${POLICIES[index].label} …`);
      engine.push({ scale, policy: POLICIES[index], ...(await runChild(scale.applicants, index)) });
    }
  }

  const reads = new Map();
  let serverVersion = '';
  await withThrowawayDatabase(SERVER, 'ps_bench_allocation', async (url) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      serverVersion = (await client.query('SHOW server_version')).rows[0].server_version;
      await client.query('CREATE TABLE claim_line (applicant_id int, kpi_line_id int, action_number int, priority int, amount_cents bigint)');
      for (const scale of SCALES) {
        note(`PostgreSQL: loading and reading ${thousands(scale.applicants)} applicants …`);
        const rows = await loadRows(client, syntheticClaims(scale.applicants, catalogue));
        reads.set(scale.label, await timeRead(client, rows));
      }
    } finally {
      await client.end();
    }
  });

  print(`Machine: ${cpus().length} × ${cpus()[0].model}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}, PostgreSQL ${serverVersion}`);
  print(`Load average at start: ${load.map((l) => l.toFixed(2)).join(', ')}; ${started.toISOString()}; seed ${SEED}`);
  print('');
  print(
    '| scale | policy | applicants | lines | budget (60 %) | rounds | engine ms median (min–max) | peak RSS MB (before engine) | heap used after MB | PostgreSQL read ms median (min–max) | engine / read | check |',
  );
  print('|---|---|---|---|---|---|---|---|---|---|---|---|');
  let failed = false;
  for (const row of engine) {
    const read = reads.get(row.scale.label);
    const engineMedian = median(row.samples);
    const readMedian = median(read);
    const scaled = row.rounds.filter((r) => r.endsWith(':scaled')).map((r) => r.split(':')[0]);
    const cut = row.rounds.filter((r) => r.endsWith(':none')).length;
    const rounds = `${row.rounds.length}${scaled.length ? `, ${scaled.join(', ')} cut` : ''}${cut ? `, ${cut} unpaid` : ''}`;
    failed ||= row.failures.length > 0;
    print(
      `| ${row.scale.label} | ${row.policy.label} | ${thousands(row.applicants)} | ${thousands(row.lines)} | €${thousands(Math.round(row.budget / 100))} | ${rounds} | ` +
        `${ms(engineMedian)} (${ms(Math.min(...row.samples))}–${ms(Math.max(...row.samples))}) | ${mb(row.maxRssKb * 1024)} (${mb(row.rssBeforeKb * 1024)}) | ` +
        `${mb(row.heapUsedAfter)} | ${ms(readMedian)} (${ms(Math.min(...read))}–${ms(Math.max(...read))}) | ${(engineMedian / readMedian).toFixed(1)} | ` +
        `${row.failures.length ? `FAILED: ${row.failures.join('; ')}` : 'ok'} |`,
    );
  }
  const worst = Math.max(...engine.filter((row) => row.scale.label === '100×').map((row) => median(row.samples)));
  print('');
  print(`Goal (under ${GOAL_MS} ms at 100×): ${worst < GOAL_MS ? 'met' : 'not met'}, slowest 100× median ${ms(worst)} ms.`);
  if (failed) {
    note('a check failed');
    process.exit(1);
  }
}

if (process.argv[2] === '--child') {
  try {
    child(Number(process.argv[3]), Number(process.argv[4]));
  } catch (error) {
    note(`child failed: ${error.stack}`);
    process.exit(1);
  }
} else {
  main().catch((error) => {
    note(`benchmark failed: ${error.message}`);
    process.exit(1);
  });
}
