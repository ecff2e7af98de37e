import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { loadConfig } from '@ps/config';
import { brusselsLocal } from '@ps/applications';
import { BACKUP_SOCKET, dataSourceOptions, restoreEmbedded } from '@ps/database';
import { threeApprovedAndOnePending } from '../support/allocation-fixture';
import { Factories, startFactories } from '../support/factories';
import { publishByTwo } from '../support/four-eyes';
import { ONE_PAGE_PDF } from '../support/pdf';

/**
 * Issue 27: a backup is only a backup once it restored. A database with the demo data and a complete programme year
 * (approved, allocated and published, reported and settled, with an uploaded confirmation letter, evidence files and
 * archived decision letters: the documents are bytea columns) is backed up while the platform runs, wiped, restored,
 * and compared table by table: row counts and an MD5 over every row in key order, the sequences, the triggers. The audit
 * trail stays append-only. On the embedded database (no DATABASE_URL) the round trip is `npm run cli -- backup` and
 * `restore`; on the PostgreSQL server it is pg_dump and pg_restore as docs/deployment.md gives them.
 */
const ROOT = join(__dirname, '..', '..');
const server = process.env.DATABASE_URL;
const DOCUMENT_TABLES = ['applicant_document', 'decision_letter', 'kpi_report_evidence'];
const YEAR_TABLES = ['allocation_run', 'payment', 'settlement', 'kpi_report', 'audit_event'];

interface Fingerprint {
  tables: Record<string, { rows: number; md5: string }>;
  sequences: string[];
  triggers: string[];
}

/** Every table's row count and the MD5 of its rows as text, ordered by primary key; the sequences and the triggers. */
async function fingerprint(query: (sql: string) => Promise<Record<string, unknown>[]>): Promise<Fingerprint> {
  const tables = await query(`
    SELECT c.relname AS name,
           (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.ordinality)
              FROM pg_index i CROSS JOIN unnest(i.indkey) WITH ORDINALITY AS k(attnum, ordinality)
              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
             WHERE i.indrelid = c.oid AND i.indisprimary) AS key
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY c.relname`);
  const result: Fingerprint = { tables: {}, sequences: [], triggers: [] };
  for (const { name, key } of tables as { name: string; key: string | null }[]) {
    const order = key ?? 't::text';
    const [row] = await query(`SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY ${order}), '')) AS md5 FROM "${name}" t`);
    result.tables[name] = row as { rows: number; md5: string };
  }
  result.sequences = (
    await query(`SELECT sequencename || '=' || coalesce(last_value::text, '-') AS s FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1`)
  ).map((r) => String(r.s));
  result.triggers = (
    await query(`SELECT tgrelid::regclass::text || '.' || tgname || ':' || tgenabled::text AS t FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1`)
  ).map((r) => String(r.t));
  return result;
}

/** The audit trail and the security log refuse UPDATE, DELETE and TRUNCATE, the owner included. */
async function expectAppendOnly(query: (sql: string) => Promise<unknown>): Promise<void> {
  for (const table of ['audit_event', 'security_event']) {
    for (const statement of [`UPDATE ${table} SET id = id`, `DELETE FROM ${table}`, `TRUNCATE ${table}`]) {
      await expect(query(statement)).rejects.toThrow(new RegExp(`${table} is append-only`));
    }
  }
}

/** A complete programme year on top of the demo data, through the API: documents of all three kinds included. */
async function aCompleteYear(f: Factories): Promise<void> {
  const due = (days: number) => brusselsLocal(new Date(Date.now() + days * 24 * 3600 * 1000)).slice(0, 16);
  const fx = await threeApprovedAndOnePending(f, { interimReportDue: due(10), finalReportDue: due(40) });
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const [reviewer, officerA, officerB, admin] = await Promise.all([
    f.actors.reviewer().then((x) => f.bearer(x)),
    f.bearer(fx.a.applicant.officer),
    f.bearer(fx.b.applicant.officer),
    f.actors.administrator().then((x) => f.bearer(x)),
  ]);
  // The confirmation letter goes with an applicant that has not submitted yet (a submitted one's account is locked).
  const newcomer = await f.anApplicant(fx.call);
  await request(f.http)
    .post(`/api/v1/applicants/${newcomer.id}/iban-letter`)
    .set(as(await f.bearer(newcomer.officer)))
    .attach('letter', ONE_PAGE_PDF, { filename: 'bevestiging rekening.pdf', contentType: 'application/pdf' })
    .expect(201);
  const run = (await request(f.http).post(`/api/v1/calls/${fx.call.year}/allocation-runs`).set(as(reviewer)).send({}).expect(201)).body;
  await publishByTwo(f.http, run.id, { confirmPendingReview: true, reason: 'D volgt' }, reviewer, admin);
  for (const id of [fx.a.id, fx.b.id, fx.c.id]) await request(f.http).get(`/api/v1/applications/${id}/decision-letter.pdf`).set(as(admin)).expect(200);

  const report = (id: number, kind: string) => `/api/v1/applications/${id}/reports/${kind}`;
  const version = async (id: number, kind: string, token: string) => (await request(f.http).get(report(id, kind)).set(as(token)).expect(200)).body.version;
  const lines = [
    { kpiLineId: fx.call.line(5).id, realisedQuantity: 10, approach: 'Taalcafé op zaterdag', partners: 'Bibliotheek' },
    { kpiLineId: fx.call.line(9).id, realisedQuantity: 4 },
  ];
  for (const kind of ['interim', 'final']) {
    await request(f.http)
      .put(report(fx.a.id, kind))
      .set(as(officerA))
      .send({ version: await version(fx.a.id, kind, officerA), lines })
      .expect(200);
    await request(f.http)
      .post(`${report(fx.a.id, kind)}/submit`)
      .set(as(officerA))
      .send({ version: await version(fx.a.id, kind, officerA) })
      .expect(200);
    await request(f.http)
      .post(`${report(fx.a.id, kind)}/review`)
      .set(as(reviewer))
      .send({ version: await version(fx.a.id, kind, reviewer), decision: 'accept' })
      .expect(200);
  }
  await request(f.http).get('/api/v1/calls').set(as('ps_geen_echt_token')).expect(401); // one line in the security log
  await request(f.http)
    .post(`${report(fx.b.id, 'final')}/lines/${fx.call.line(9).id}/evidence`)
    .set(as(officerB))
    .attach('file', ONE_PAGE_PDF, 'verslag.pdf')
    .expect(201);
}

/** Runs the CLI from source (as the other e2e tests do) in a process of its own, without blocking this one. */
function cli(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/cli/src/main.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: 'tsconfig.json', NODE_ENV: 'test', LOG_LEVEL: 'error', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const run = promisify(execFile);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe(`backups that restore (${server ? 'PostgreSQL server: pg_dump and pg_restore' : 'embedded database: npm run cli -- backup and restore'})`, () => {
  const work = mkdtempSync(join(tmpdir(), 'ps-backup-'));
  const dataDir = join(work, 'data');
  const file = join(work, server ? 'plan.dump' : 'plan.tar.gz');
  const second = join(work, 'second.tar.gz');
  let f: Factories | undefined;
  let restored: DataSource | undefined;
  let restoredClient: Client | undefined;
  let restoredDatabase: string | undefined;
  let before: Fingerprint;

  beforeAll(async () => {
    f = await startFactories({ http: true, fictionalFigures: false, env: { DEMO_DATA: 'true', ...(server ? {} : { DATA_DIR: dataDir }) } });
    await aCompleteYear(f);
    before = await fingerprint((sql) => f!.dataSource.query(sql));
  }, 600_000);

  afterAll(async () => {
    await restored?.destroy();
    await restoredClient?.end();
    await f?.close();
    if (restoredDatabase) {
      const admin = new Client({ connectionString: server });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${restoredDatabase}" WITH (FORCE)`);
      await admin.end();
    }
    rmSync(work, { recursive: true, force: true });
  });

  it('starts from the demo data and a complete year: every kind of document and every step of the year is there', () => {
    for (const table of [...DOCUMENT_TABLES, ...YEAR_TABLES, 'security_event', 'app_user', 'applicant']) expect(before.tables[table].rows).toBeGreaterThan(0);
    expect(before.triggers).toEqual(expect.arrayContaining([expect.stringMatching(/^audit_event\.audit_event_no_update_or_delete:O$/)]));
  });

  if (!server) {
    it('backs up while the platform runs (over its backup channel), which keeps serving; restore is refused meanwhile', async () => {
      expect(statSync(join(dataDir, BACKUP_SOCKET)).mode & 0o777).toBe(0o600);
      const env = { DATA_DIR: dataDir };
      const [backup, refused] = await Promise.all([cli(['backup', file], env), cli(['restore', file], env)]);
      expect(backup).toMatchObject({ status: 0, stderr: '' });
      expect(backup.stdout.trim()).toMatch(
        new RegExp(`^Backup written to ${escape(file)} \\(\\d+\\.\\d MB; taken by the running platform, process ${process.pid}\\)\\.$`),
      );
      await request(f!.http).get('/health').expect(200);
      expect(refused.status).toBe(1);
      expect(refused.stderr.trim().split('\n')).toEqual([
        `De ingebedde databank in ${dataDir} is in gebruik door proces ${process.pid} (stop het platform eerst, of gebruik DATABASE_URL).`,
      ]);
      // A second backup never overwrites the first.
      const again = await cli(['backup', file], env);
      expect(again.status).toBe(1);
      expect(again.stderr.trim()).toBe(`${file} exists: choose another file name (a backup never overwrites one)`);
    }, 300_000);

    it('refuses to restore into a data directory that holds a database, then wipes it and restores into the empty one', async () => {
      await f!.close();
      f = undefined;
      expect(existsSync(join(dataDir, BACKUP_SOCKET))).toBe(false);
      const env = { DATA_DIR: dataDir };
      const full = await cli(['restore', file], env);
      expect(full.status).toBe(1);
      expect(full.stderr.trim()).toBe(`${join(dataDir, 'pglite')} is not empty: a restore only goes into an empty data directory (move it away first)`);

      rmSync(join(dataDir, 'pglite'), { recursive: true });
      const done = await cli(['restore', file], env);
      expect(done).toMatchObject({ status: 0, stderr: '' });
      expect(done.stdout.trim()).toMatch(
        new RegExp(`^Restored ${escape(file)} into ${escape(join(dataDir, 'pglite'))}: ${Object.keys(before.tables).length} tables, last migration \\w+\\.$`),
      );
      expect(readdirSync(dataDir).sort()).toEqual(['pglite']);
    }, 300_000);

    it('backs up directly when no platform runs, leaving nothing behind in the data directory', async () => {
      const direct = await cli(['backup', second], { DATA_DIR: dataDir });
      expect(direct).toMatchObject({ status: 0, stderr: '' });
      expect(direct.stdout.trim()).toMatch(new RegExp(`^Backup written to ${escape(second)} \\(\\d+\\.\\d MB; no platform runs\\)\\.$`));
      expect(readdirSync(dataDir).sort()).toEqual(['pglite']);
    }, 300_000);

    it('restores every row of every table, the sequences and the triggers, and the audit trail stays append-only', async () => {
      for (const [dir, backup] of [
        [dataDir, file],
        [join(work, 'second-data'), second],
      ]) {
        if (dir !== dataDir) await restoreEmbedded(dir, backup);
        restored = new DataSource(dataSourceOptions(loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, MIGRATIONS_RUN: 'false' })));
        await restored.initialize();
        expect(await fingerprint((sql) => restored!.query(sql))).toEqual(before);
        await expectAppendOnly((sql) => restored!.query(sql));
        await restored.destroy();
        restored = undefined;
      }
    }, 300_000);
  } else {
    it('dumps with pg_dump while the platform runs, drops the database, and restores with pg_restore into a new empty one', async () => {
      const source = f!.service.config.DATABASE_URL!;
      // docs/deployment.md, "Backups": custom format, as the schema owner (here the one role of the test database).
      await run('pg_dump', ['--format=custom', `--file=${file}`, source]);
      await request(f!.http).get('/health').expect(200);
      await f!.close(); // drops the test database: the wipe
      f = undefined;

      const target = new URL(source);
      restoredDatabase = `${target.pathname.slice(1)}_restored`;
      target.pathname = `/${restoredDatabase}`;
      const admin = new Client({ connectionString: server });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${restoredDatabase}"`);
      } finally {
        await admin.end();
      }
      await run('pg_restore', ['--exit-on-error', '--single-transaction', '--no-owner', `--dbname=${target}`, file]);
      restoredClient = new Client({ connectionString: target.toString() });
      await restoredClient.connect();
    }, 300_000);

    it('restores every row of every table, the sequences and the triggers, and the audit trail stays append-only', async () => {
      const query = async (sql: string) => (await restoredClient!.query(sql)).rows;
      expect(await fingerprint(query)).toEqual(before);
      await expectAppendOnly(query);
    });
  }
});
